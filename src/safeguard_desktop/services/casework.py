"""The DSL's casework on concerns: Home, the search, a concern's file, its status, the
children it names linked to their records, actions, follow-ups and corrections.

Every function takes an unlocked :class:`CaseSession` (a DSL or an administrator): a
recorder never reaches any of it. Everything that reads a record or changes anything is
written to the audit log in the same transaction, with references and ids only. A child's
own record (details, household, professionals, chronology) is in services/children.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ..domain.attachments import AttachmentRecord
from ..domain.casework import (
    ConcernStatus,
    NewAction,
    NewAmendment,
    check_correction_changes,
    checked_close_reason,
    checked_done_note,
    checked_follow_up,
    parse_enum,
)
from ..domain.child_status import ConcernNotice, StatusRecord
from ..domain.children import (
    ChildDetails,
    Suggestion,
    suggest_matches,
)
from ..domain.concern import TEXT_FIELDS, Child, Concern
from ..domain.errors import BadInput
from ..domain.records import (
    ActionRecord,
    AmendmentRecord,
    ChildLink,
    ChildRecord,
    ConcernSummary,
    DecisionRecord,
    FollowUpRecord,
    ReferralRecord,
    SearchFilters,
)
from ..domain.referral_outcome import ReferralProgress
from ..domain.text import clean_text
from ..storage import (
    after_referral_records,
    attachment_records,
    audit_log,
    case_records,
    casework_records,
    child_status_records,
    children_records,
    concern_search,
)
from ..storage.case_records import StoredConcern
from . import inbox_ingest
from .changes import Added, Changes
from .inbox_ingest import QuarantineEntry, concern_child
from .session import CaseSession

# A page of a list: big enough to fill any screen, small enough to stay quick.
PAGE_SIZE = 200


@dataclass(frozen=True)
class HomeSummary:
    new_concerns: int
    unlinked_concerns: int
    open_concerns: int
    overdue_follow_ups: int
    open_referrals: int
    due_follow_ups: tuple[FollowUpRecord, ...]  # due today or overdue, soonest first
    referrals: tuple[ReferralRecord, ...]  # not yet closed, newest first
    newest: tuple[ConcernSummary, ...]  # status "new", newest first
    # Inbox items that could not be accepted, oldest first (services/inbox_ingest.py).
    quarantined: tuple[QuarantineEntry, ...] = ()
    # A child in immediate danger, said the recorder, and no lead has acknowledged it yet:
    # first on Home, oldest first, until acknowledged (acknowledge_danger).
    danger: tuple[ConcernSummary, ...] = ()
    # A new concern about a child on a plan, or continuing a pattern, until a lead has
    # dealt with it (services/child_status.py).
    notices: tuple[ConcernNotice, ...] = ()


@dataclass(frozen=True)
class LinkChoice:
    """A child named in a concern, and the records it may be."""

    position: int
    named: Child  # the child as the recorder typed them
    link: ChildLink
    linked: ChildRecord | None
    suggestions: tuple[tuple[Suggestion, ChildRecord], ...]
    statuses: tuple[StatusRecord, ...] = ()  # the linked child's current statuses


@dataclass(frozen=True)
class ConcernFile:
    """One concern with everything added beside it."""

    concern: StoredConcern
    summary: ConcernSummary
    children: tuple[LinkChoice, ...]
    amendments: tuple[AmendmentRecord, ...]
    actions: tuple[ActionRecord, ...]
    decisions: tuple[DecisionRecord, ...]
    referrals: tuple[ReferralRecord, ...]
    follow_ups: tuple[FollowUpRecord, ...]
    # What happened after each referral, by referral id (services/after_referral.py).
    after_referral: dict[int, ReferralProgress] = field(default_factory=dict)
    attachments: tuple[AttachmentRecord, ...] = ()  # oldest first (services/attachments.py)


def _audit(session: CaseSession, action: str, detail: dict[str, object]) -> None:
    audit_log.append(session.conn, session.user.username, action, detail)


def _known_child(session: CaseSession, child_id: int) -> None:
    if children_records.get_child(session.conn, child_id) is None:
        raise BadInput("That child record does not exist.", "child")


def home(session: CaseSession, today: date | None = None) -> HomeSummary:
    today = today or date.today()
    conn = session.conn
    statuses = casework_records.count_by_status(conn)
    return HomeSummary(
        new_concerns=statuses[ConcernStatus.NEW],
        unlinked_concerns=children_records.concerns_with_unlinked_children(conn),
        open_concerns=statuses[ConcernStatus.OPEN],
        overdue_follow_ups=casework_records.count_open_follow_ups(conn, due_before=today),
        open_referrals=casework_records.count_open_referrals(conn),
        due_follow_ups=tuple(casework_records.open_follow_ups(conn, due_by=today, limit=100)),
        referrals=tuple(casework_records.open_referrals(conn, limit=100)),
        newest=tuple(
            concern_search.search(conn, SearchFilters(status=ConcernStatus.NEW), limit=50)
        ),
        quarantined=tuple(inbox_ingest.quarantined(conn)),
        danger=tuple(concern_search.danger_waiting(conn)),
        notices=tuple(child_status_records.notices(conn)),
    )


def acknowledge_danger(session: CaseSession, ref: str) -> Changes:
    """A lead has seen that a child may be in immediate danger and is acting on it.

    Until then the concern stays first on Home, in words and colour. Audited; a second
    acknowledgement changes nothing.
    """
    concern_id = _concern_id(session, ref)
    with case_records.transaction(session.conn):
        at = datetime.now(UTC).replace(microsecond=0).isoformat()
        if concern_search.acknowledge_danger(session.conn, concern_id, session.user.username, at):
            _audit(session, "danger_acknowledged", {"ref": summary(session, ref).ref})
    return _changes_about(session, concern_id)


# Concerns ---------------------------------------------------------------------


def search(
    session: CaseSession, filters: SearchFilters, *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[ConcernSummary]:
    return concern_search.search(session.conn, filters, limit=limit, offset=offset)


def count(session: CaseSession, filters: SearchFilters) -> int:
    return concern_search.count(session.conn, filters)


def recorders(session: CaseSession) -> list[str]:
    return concern_search.recorders(session.conn)


def _concern_id(session: CaseSession, ref: str) -> int:
    cleaned = ref.strip().upper()
    concern_id = casework_records.concern_id_for_ref(session.conn, cleaned)
    if concern_id is None:
        # Echoed as typed, not as compared: "c-7k3m" upper-cased is not what was given.
        raise BadInput(f"There is no concern with the reference {ref.strip()[:20]}.", "reference")
    return concern_id


def _changes_about(
    session: CaseSession,
    concern_id: int | None,
    *,
    children: Iterable[int | None] = (),
    follow_ups: Iterable[int | None] = (),
    referrals: Iterable[str] = (),
) -> Changes:
    """What a write about concern ``concern_id`` (if any) changed: the concern, every
    child linked to it (their files show its status, follow-ups and actions), and the
    children, follow-ups and referrals named."""
    conn = session.conn
    concerns: list[str] = []
    linked: list[int | None] = []
    if concern_id is not None:
        concerns.append(casework_records.concern_ref(conn, concern_id))
        linked = [link.child_id for link in children_records.links_for_concern(conn, concern_id)]
    return Changes.of(
        concerns=concerns,
        children=[*linked, *children],
        follow_ups=follow_ups,
        referrals=referrals,
    )


def concern_count(session: CaseSession) -> int:
    """How many concerns the records hold (Home's first count)."""
    return case_records.count_concerns(session.conn)


def list_concerns(session: CaseSession, limit: int = 1000, offset: int = 0) -> list[StoredConcern]:
    """Stored concerns, a page at a time, as submitted; not audited (no screen shows them)."""
    return case_records.list_concerns(session.conn, limit, offset)


def open_concern(session: CaseSession, ref: str) -> StoredConcern:
    """One concern as submitted, with its opening written to the audit log."""
    concern = case_records.get_concern(session.conn, ref.strip().upper())
    if concern is None:
        raise BadInput(
            f"There is no concern with the reference {ref.strip()[:20]}.", field="reference"
        )
    session.audit_read("concern_opened", {"ref": concern.ref})
    return concern


def summary(session: CaseSession, ref: str) -> ConcernSummary:
    """One concern's list row (no record text but the children's names); not audited."""
    found = concern_search.summary_by_id(session.conn, _concern_id(session, ref))
    assert found is not None  # _concern_id found the row
    return found


def concern_file(
    session: CaseSession, ref: str, *, audit: bool = True, suggestions: bool = True
) -> ConcernFile:
    """One concern and all that was added to it; opening it is audited.

    ``suggestions=False`` skips looking for records an unlinked child may be (the
    one costly part), for callers that only need the concern and what was added.
    """
    row = summary(session, ref)
    concern_id = row.concern_id
    conn = session.conn
    stored = case_records.get_concern(conn, row.ref)
    assert stored is not None
    if audit:
        session.audit_read("concern_opened", {"ref": stored.ref})
    referrals = tuple(casework_records.referrals_for(conn, concern_id))
    return ConcernFile(
        concern=stored,
        summary=row,
        children=tuple(_link_choices(session, stored, suggestions)),
        amendments=tuple(casework_records.amendments_for(conn, concern_id)),
        actions=tuple(casework_records.actions_for_concern(conn, concern_id)),
        decisions=tuple(casework_records.decisions_for(conn, concern_id)),
        referrals=referrals,
        follow_ups=tuple(casework_records.follow_ups_for(conn, concern_id=concern_id)),
        after_referral=after_referral_records.progress_for(
            conn, (r.referral_id for r in referrals)
        ),
        attachments=tuple(attachment_records.for_concern(conn, concern_id)),
    )


def _link_choices(
    session: CaseSession, stored: StoredConcern, with_suggestions: bool
) -> list[LinkChoice]:
    conn = session.conn
    choices = []
    for link in children_records.links_for_concern(conn, stored.concern_id):
        # One link for each child the concern names, made when it was stored.
        named = stored.recorded.children[link.position]
        linked = (
            children_records.get_child(conn, link.child_id) if link.child_id is not None else None
        )
        suggestions: list[tuple[Suggestion, ChildRecord]] = []
        # A child whose file was deleted at its review is not linked again: no suggestions.
        if linked is None and with_suggestions and not link.file_deleted_at:
            child = concern_child(named)
            candidates = children_records.match_candidates(conn, child.name, child.date_of_birth)
            for suggestion in suggest_matches(child, candidates):
                record = children_records.get_child(conn, suggestion.child_id)
                if record is not None:
                    suggestions.append((suggestion, record))
        statuses = (
            child_status_records.current_statuses(conn, [linked.child_id]).get(linked.child_id, [])
            if linked is not None
            else []
        )
        choices.append(
            LinkChoice(link.position, named, link, linked, tuple(suggestions), tuple(statuses))
        )
    return choices


def set_status(
    session: CaseSession, ref: str, status: ConcernStatus | str, reason: str = ""
) -> Changes:
    """Close or reopen a concern; closing needs a reason, kept as a note beside it."""
    chosen = parse_enum(ConcernStatus, status, "status", "status")
    concern_id = _concern_id(session, ref)
    if chosen is ConcernStatus.CLOSED:
        reason_text = checked_close_reason(reason)
    else:
        reason_text = clean_text(reason, "reason", max_length=5_000, label="Reason")
    conn = session.conn
    with case_records.transaction(conn):
        casework_records.set_concern_status(conn, concern_id, chosen)
        if reason_text.strip():
            casework_records.add_action(
                conn,
                NewAction.checked(
                    kind="note",
                    occurred_at=datetime.now(),
                    who=session.user.display_name,
                    details=f"Concern {chosen.label.lower()}: {reason_text}",
                    now=datetime.now(),
                ),
                child_id=None,
                concern_id=concern_id,
                by=session.user.username,
            )
        _audit(session, "concern_status", {"ref": ref.strip().upper(), "status": chosen.value})
    return _changes_about(session, concern_id)


def link_child(session: CaseSession, ref: str, position: int, child_id: int) -> Changes:
    """Confirm that the child at ``position`` in concern ``ref`` is record ``child_id``."""
    concern_id = _concern_id(session, ref)
    conn = session.conn
    if children_records.get_child(conn, child_id) is None:
        raise BadInput("That child record does not exist.", "child")
    with case_records.transaction(conn):
        _link(session, concern_id, position, child_id)
        _audit(
            session,
            "child_linked",
            {"ref": ref.strip().upper(), "position": position, "child_id": child_id},
        )
    return _changes_about(session, concern_id)


def create_child_for(session: CaseSession, ref: str, position: int) -> Added:
    """A new child record from how concern ``ref`` names the child; linked at once."""
    concern_id = _concern_id(session, ref)
    conn = session.conn
    stored = case_records.get_concern(conn, ref.strip().upper())
    assert stored is not None
    named_children = stored.recorded.children
    if not 0 <= position < len(named_children):
        raise BadInput("That concern does not name a child at that place.", "position")
    named = concern_child(named_children[position])
    details = ChildDetails.checked(
        name=named.name,
        date_of_birth=named.date_of_birth,
        approximate_age=named.approximate_age,
        group=named.group,
        additional_needs=named.additional_needs,
    )
    with case_records.transaction(conn):
        child_id = children_records.insert_child(conn, details)
        _link(session, concern_id, position, child_id)
        _audit(session, "child_created", {"child_id": child_id, "ref": stored.ref})
        _audit(
            session, "child_linked", {"ref": stored.ref, "position": position, "child_id": child_id}
        )
    return Added(child_id, _changes_about(session, concern_id))


def _link(session: CaseSession, concern_id: int, position: int, child_id: int) -> None:
    conn = session.conn
    links = children_records.links_for_concern(conn, concern_id)
    if not any(link.position == position for link in links):
        raise BadInput("That concern does not name a child at that place.", "position")
    if any(link.position == position and link.file_deleted_at for link in links):
        raise BadInput(
            "This child's file was deleted at its retention review; the concern is kept for "
            "the other children it names, and is not linked to this child again.",
            "position",
        )
    children_records.link(conn, concern_id, position, child_id, session.user.username)
    # Once every child named is linked, the concern has been looked at.
    if all(
        link.child_id is not None or link.file_deleted_at or link.position == position
        for link in links
    ):
        summary = concern_search.summary_by_id(conn, concern_id)
        if summary is not None and summary.status is ConcernStatus.NEW:
            casework_records.set_concern_status(conn, concern_id, ConcernStatus.OPEN)


def add_action(
    session: CaseSession, action: NewAction, *, ref: str | None = None, child_id: int | None = None
) -> Added:
    """Record an action against a concern, a child, or both; with its follow-up, if any."""
    if ref is None and child_id is None:
        raise BadInput("Choose the concern or child the action is about.", "ref")
    concern_id = _concern_id(session, ref) if ref else None
    if child_id is not None:
        _known_child(session, child_id)
    conn = session.conn
    follow_up_id: int | None = None
    with case_records.transaction(conn):
        action_id = casework_records.add_action(
            conn, action, child_id=child_id, concern_id=concern_id, by=session.user.username
        )
        detail: dict[str, object] = {"action_id": action_id, "kind": action.kind.value}
        if ref:
            detail["ref"] = ref.strip().upper()
        if child_id is not None:
            detail["child_id"] = child_id
        if action.follow_up_on is not None:
            due, what = checked_follow_up(
                action.follow_up_on, action.follow_up_what, today=date.today()
            )
            follow_up_id = casework_records.add_follow_up(
                conn,
                due_on=due,
                what=what,
                child_id=child_id,
                concern_id=concern_id,
                by=session.user.username,
            )
            detail["follow_up_id"] = follow_up_id
        _audit(session, "action_added", detail)
    changes = _changes_about(session, concern_id, children=[child_id], follow_ups=[follow_up_id])
    return Added(action_id, changes)


def add_follow_up(
    session: CaseSession,
    due_on: date,
    what: str,
    *,
    ref: str | None = None,
    child_id: int | None = None,
) -> Added:
    due, text = checked_follow_up(due_on, what, today=date.today())
    concern_id = _concern_id(session, ref) if ref else None
    if child_id is not None:
        _known_child(session, child_id)
    if concern_id is None and child_id is None:
        raise BadInput("Choose the concern or child the follow-up is about.", "ref")
    with case_records.transaction(session.conn):
        fid = casework_records.add_follow_up(
            session.conn,
            due_on=due,
            what=text,
            child_id=child_id,
            concern_id=concern_id,
            by=session.user.username,
        )
        _audit(session, "follow_up_added", {"follow_up_id": fid, "due_on": due.isoformat()})
    return Added(fid, _changes_about(session, concern_id, children=[child_id], follow_ups=[fid]))


def complete_follow_up(session: CaseSession, follow_up_id: int, note: str = "") -> Changes:
    """Mark a follow-up done; a short note of what was done is required."""
    text = checked_done_note(note)
    with case_records.transaction(session.conn):
        if not casework_records.complete_follow_up(
            session.conn, follow_up_id, session.user.username, text
        ):
            raise BadInput("That follow-up is already done or does not exist.", "follow_up")
        _audit(session, "follow_up_done", {"follow_up_id": follow_up_id})
    done = casework_records.get_follow_up(session.conn, follow_up_id)
    assert done is not None  # completed just now
    return _changes_about(
        session, done.concern_id, children=[done.child_id], follow_ups=[follow_up_id]
    )


def open_follow_ups(session: CaseSession, due_by: date | None = None) -> list[FollowUpRecord]:
    return casework_records.open_follow_ups(session.conn, due_by=due_by)


def amend(session: CaseSession, ref: str, amendment: NewAmendment) -> Added:
    """Add a correction beside a concern; the concern as submitted stays as it was.

    A correction that says exactly what was submitted corrects nothing and is
    refused here, so the command line and the app answer alike.
    """
    concern_id = _concern_id(session, ref)
    stored = case_records.get_concern(session.conn, ref.strip().upper())
    original = _original_text(stored.recorded, amendment.field) if stored is not None else None
    check_correction_changes(original, amendment.new_value)
    with case_records.transaction(session.conn):
        amendment_id = casework_records.add_amendment(
            session.conn, concern_id, amendment, session.user.username
        )
        _audit(
            session,
            "concern_amended",
            {
                "ref": ref.strip().upper(),
                "amendment_id": amendment_id,
                "field": amendment.field,
            },
        )
    return Added(amendment_id, _changes_about(session, concern_id))


def open_referrals(session: CaseSession) -> list[ReferralRecord]:
    return casework_records.open_referrals(session.conn)


def count_due_follow_ups(session: CaseSession, today: date | None = None) -> int:
    """How many follow-ups are not done and due by ``today``: all of them, where
    ``home`` lists only the first 100."""
    today = today or date.today()
    tomorrow = date.fromordinal(today.toordinal() + 1)
    return casework_records.count_open_follow_ups(session.conn, due_before=tomorrow)


def _original_text(recorded: Concern, field: str) -> str | None:
    """What the recorder wrote for the part a correction names; None for a part that is not
    one piece of text (the children, "something else")."""
    if field in TEXT_FIELDS:
        return recorded.text(field)
    if field == "occurred_at":
        return recorded.occurred_at.isoformat()
    return None
