"""Retention: each child's review date, legal holds, the review list, and deleting a file.

The rules (which date, what blocks deletion) are domain/retention.py's; they are checked
here, whoever calls: the Children page, a child's file and the command line all come
through these functions, so a legal hold cannot be got round from anywhere.

Deleting a child's file is the one deletion of records the app makes, and only at its
review: under no legal hold, on or after its review date, with the lead confirming how
many concerns go (if the file changed after they were told, nothing is deleted and they
are asked again). The rows are removed with secure delete, the file is rewritten
without the freed pages, and the audit log gets a tombstone: the child's id, the
references of what went and what stayed for other children, the counts, the review
date and what it was worked out from, who and when. Never a name or any text, so the
chain stays whole and verifiable and holds nothing of the child. Backups made earlier
still hold the file until they are replaced; the result says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date

from ..domain.errors import BadInput, NotPermitted
from ..domain.organisation import Role
from ..domain.retention import (
    DEFAULT_YEARS_AFTER_LAST,
    DeletionPlan,
    Retention,
    checked_reason,
    checked_review_on,
    checked_years_after_last,
    review_date,
)
from ..storage import audit_log, case_records, children_records, retention_records
from ..storage.case_database import DatabaseError
from ..storage.case_records import utc_now
from .changes import Changes, Setting
from .session import CaseSession, require_case_session

log = logging.getLogger(__name__)

YEARS_SETTING = Setting.RETENTION.value

BACKUPS_STILL_HOLD_IT = (
    "Backups made before now still hold this file until they are replaced: automatic "
    "backups keep the newest ten, and a backup kept elsewhere keeps it until it is deleted."
)


@dataclass(frozen=True)
class DueChild:
    """A child whose file is due for its retention review, as the review list shows it."""

    child_id: int
    name: str
    retention: Retention


@dataclass(frozen=True)
class Deleted:
    """What deleting a child's file did."""

    plan: DeletionPlan
    space_reclaimed: bool
    changes: Changes

    def sentence(self) -> str:
        counts = self.plan.counts()
        kept = counts["concerns_kept_for_other_children"]
        words = (
            f"The child's file was deleted: {_count(counts['concerns'], 'concern')}, "
            f"{_count(counts['actions'], 'action')} and "
            f"{_count(counts['attachments'], 'attached file')}."
        )
        if kept:
            words += (
                f" {_count(kept, 'concern')} that name other children too were kept for them, "
                "no longer linked to this child."
            )
        return f"{words} {BACKUPS_STILL_HOLD_IT}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def years_after_last(session: object) -> int:
    """The organisation's period for clubs and others, in years after the last entry."""
    lead = require_case_session(session)
    value = case_records.get_setting(lead.conn, YEARS_SETTING, DEFAULT_YEARS_AFTER_LAST)
    return (
        value
        if isinstance(value, int) and not isinstance(value, bool)
        else DEFAULT_YEARS_AFTER_LAST
    )


def set_years_after_last(session: object, years: int) -> Changes:
    """Set the organisation's period (administrators only)."""
    lead = require_case_session(session)
    lead.require_admin()
    years = checked_years_after_last(years)
    with case_records.transaction(lead.conn):
        case_records.set_setting(lead.conn, YEARS_SETTING, years)
        audit_log.append(
            lead.conn,
            lead.user.username,
            "setting_changed",
            {"setting": YEARS_SETTING, "years": years},
        )
    return Changes.of(settings=[Setting.RETENTION])


def retention_of(session: object, child_id: int) -> Retention:
    lead = require_case_session(session)
    _known_child(lead, child_id)
    (facts,) = retention_records.facts(lead.conn, child_id)
    return review_date(facts, lead.organisation.org_type, years_after_last(lead))


def every_retention(session: object) -> dict[int, Retention]:
    """Every child's retention, by child id (one query for all of them)."""
    lead = require_case_session(session)
    years = years_after_last(lead)
    org_type = lead.organisation.org_type
    return {
        facts.child_id: review_date(facts, org_type, years)
        for facts in retention_records.facts(lead.conn)
    }


def due_for_review(session: object, today: date | None = None) -> list[DueChild]:
    """The children whose review date has come, soonest first (held ones too, marked)."""
    lead = require_case_session(session)
    today = today or date.today()
    due = [r for r in every_retention(lead).values() if r.due(today)]
    names = children_records.names(lead.conn, [r.child_id for r in due])
    return sorted(
        (DueChild(r.child_id, names.get(r.child_id, ""), r) for r in due),
        key=lambda d: (d.retention.review_on, d.child_id),
    )


def set_review_date(
    session: object, child_id: int, review_on: date, reason: str, today: date | None = None
) -> Changes:
    """A lead's own review date for the child's file, with why (never in the past)."""
    lead = require_case_session(session)
    _known_child(lead, child_id)
    (facts,) = retention_records.facts(lead.conn, child_id)
    rule = review_date(
        replace(facts, set_on=None), lead.organisation.org_type, years_after_last(lead)
    )
    review_on = checked_review_on(review_on, today or date.today(), rule.review_on)
    reason = checked_reason(reason)
    with case_records.transaction(lead.conn):
        retention_records.set_review_date(
            lead.conn, child_id, review_on, reason, utc_now(), lead.user.display_name
        )
        _audit(
            lead, "retention_date_set", {"child_id": child_id, "review_on": review_on.isoformat()}
        )
    return Changes.of(children=[child_id])


def clear_review_date(session: object, child_id: int) -> Changes:
    """Back to the organisation's rule for this child."""
    lead = require_case_session(session)
    _known_child(lead, child_id)
    with case_records.transaction(lead.conn):
        retention_records.clear_review_date(lead.conn, child_id)
        _audit(lead, "retention_date_cleared", {"child_id": child_id})
    return Changes.of(children=[child_id])


def place_legal_hold(session: object, child_id: int, reason: str) -> Changes:
    """Stop the child's file being deleted, whatever its date, until the hold is lifted."""
    lead = require_case_session(session)
    _known_child(lead, child_id)
    reason = checked_reason(reason)
    if retention_of(lead, child_id).held:
        raise BadInput("This child's file is already under a legal hold.", "hold")
    with case_records.transaction(lead.conn):
        hold_id = retention_records.place_hold(
            lead.conn, child_id, reason, utc_now(), lead.user.display_name
        )
        _audit(lead, "legal_hold_placed", {"child_id": child_id, "hold": hold_id})
    return Changes.of(children=[child_id])


def lift_legal_hold(session: object, child_id: int, reason: str) -> Changes:
    """Lift the hold (administrators only: a hold that one lead could place and lift
    alone would not stop that lead deleting the file)."""
    lead = require_case_session(session)
    if lead.user.role is not Role.ADMIN:
        raise NotPermitted(
            "Only an administrator can lift a legal hold; ask one to do it, with the reason."
        )
    _known_child(lead, child_id)
    reason = checked_reason(reason)
    with case_records.transaction(lead.conn):
        lifted = retention_records.lift_holds(
            lead.conn, child_id, reason, utc_now(), lead.user.display_name
        )
        if not lifted:
            raise BadInput("This child's file is not under a legal hold.", "hold")
        _audit(lead, "legal_hold_lifted", {"child_id": child_id, "holds": lifted})
    return Changes.of(children=[child_id])


def deletion_plan(session: object, child_id: int, today: date | None = None) -> DeletionPlan:
    """What deleting the child's file would remove; refused (one sentence) if it may not
    be deleted today."""
    lead = require_case_session(session)
    _refuse_unless_deletable(lead, child_id, today or date.today())
    return retention_records.plan(lead.conn, child_id)


def delete_child_file(
    session: object,
    child_id: int,
    *,
    concerns: int,
    today: date | None = None,
    shown: DeletionPlan | None = None,
) -> Deleted:
    """Delete the child's file at its review. ``concerns`` is the number of concerns the
    lead was told would go (the command line's check), ``shown`` the whole plan when a
    screen showed it: if the file has changed since, in either, nothing is deleted."""
    lead = require_case_session(session)
    today = today or date.today()
    conn = lead.conn
    with case_records.transaction(conn):
        retention = _refuse_unless_deletable(lead, child_id, today)
        plan = retention_records.plan(conn, child_id)
        if len(plan.concerns_deleted) != concerns or (shown is not None and shown != plan):
            raise BadInput(
                "The child's file has changed since you were told what would be deleted; "
                "nothing was deleted. Look at it again, then delete it.",
                "concerns",
            )
        retention_records.delete_file(conn, child_id, utc_now())
        _audit(
            lead,
            "child_file_deleted",
            {
                "child_id": child_id,
                "concerns": list(plan.concerns_deleted),
                "concerns_kept_for_other_children": list(plan.concerns_kept),
                "referrals": list(plan.referrals),
                "counts": plan.counts(),
                "review_on": retention.review_on.isoformat(),
                "basis": retention.basis.value,
            },
        )
    reclaimed = True
    try:
        retention_records.reclaim_space(conn)
    except DatabaseError as error:
        # The rows are gone and overwritten (secure delete); only the file's size waits
        # for the next time (another program or connection was reading the file).
        log.warning("the space of a deleted file was not reclaimed: %s", type(error).__name__)
        reclaimed = False
    changes = Changes.of(
        children=[child_id], concerns=[*plan.concerns_deleted, *plan.concerns_kept]
    )
    return Deleted(plan, reclaimed, changes)


def _refuse_unless_deletable(lead: CaseSession, child_id: int, today: date) -> Retention:
    retention = retention_of(lead, child_id)
    why_not = retention.blocked_because(today, with_reason=False)  # never typed words in an error
    if why_not is not None:
        raise BadInput(why_not, "child")
    return retention


def _known_child(lead: CaseSession, child_id: int) -> None:
    if children_records.get_child(lead.conn, child_id) is None:
        raise BadInput("That child record does not exist.", "child")


def _audit(lead: CaseSession, action: str, detail: dict[str, object]) -> None:
    audit_log.append(lead.conn, lead.user.username, action, detail)
