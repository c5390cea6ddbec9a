"""The DSL's casework: the inbox, concerns, children and their chronology, actions, amendments.

Every method needs an unlocked :class:`CaseSession` (a DSL or an administrator): a
recorder never reaches any of it. Everything that reads a record or changes anything is
written to the audit log in the same transaction, with references and ids only.

The session builds its Casework (``CaseSession.casework``), so what casework needs of
one is named here as a Protocol, :class:`CaseworkSession`, instead of importing
services/session.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Protocol

from ..domain.casework import (
    ConcernStatus,
    NewAction,
    NewAmendment,
    RiskLevel,
    check_correction_changes,
    checked_case_owner,
    checked_close_reason,
    checked_done_note,
    checked_follow_up,
    parse_enum,
)
from ..domain.child_history import HistoryRecord
from ..domain.child_status import ConcernNotice, StatusRecord
from ..domain.children import (
    ChildDetails,
    HouseholdMember,
    Professional,
    Suggestion,
    suggest_matches,
)
from ..domain.chronology import mark_repeats
from ..domain.concern import TEXT_FIELDS, Child, Concern
from ..domain.errors import BadInput
from ..domain.organisation import Organisation
from ..domain.records import (
    ActionRecord,
    AmendmentRecord,
    ChildLink,
    ChildRecord,
    ChronologyEntry,
    ConcernSummary,
    DecisionRecord,
    FollowUpRecord,
    HouseholdRecord,
    ProfessionalRecord,
    ReferralRecord,
    SearchFilters,
)
from ..domain.referral_outcome import ReferralProgress
from ..domain.reporting import CategoryReport, build_report, status_counts
from ..domain.text import clean_text
from ..storage import (
    after_referral_records,
    audit_log,
    case_records,
    casework_records,
    child_status_records,
    children_records,
    chronology_query,
    concern_search,
    report_query,
)
from ..storage.case_database import Connection
from ..storage.case_records import StoredConcern
from . import inbox_ingest
from .changes import Added, Changes
from .data_folder import DataFolder, UserInfo
from .inbox_ingest import QuarantineEntry, concern_child

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


@dataclass(frozen=True)
class ChildFile:
    record: ChildRecord
    household: tuple[HouseholdRecord, ...]
    professionals: tuple[ProfessionalRecord, ...]
    follow_ups: tuple[FollowUpRecord, ...]
    concerns: tuple[ConcernSummary, ...]
    statuses: tuple[StatusRecord, ...] = ()  # current first (services/child_status.py)
    history: tuple[HistoryRecord, ...] = ()  # changes to the record, newest first


class CaseworkSession(Protocol):
    """What casework needs of the unlocked CaseSession (services/session.py) it runs over.

    The use cases above casework (handoff, referral, export) read the same through
    ``Casework.session``.
    """

    @property
    def conn(self) -> Connection: ...

    @property
    def user(self) -> UserInfo: ...

    @property
    def store(self) -> DataFolder: ...

    @property
    def organisation(self) -> Organisation: ...

    def audit_read(self, action: str, detail: dict[str, object]) -> None:
        """Audit a read, unless the records are open read-only."""

    def ingest_inbox(self) -> Changes:
        """Take in what recorders sealed: the concerns that arrived, the items kept aside."""


class Casework:
    """Casework use cases over one unlocked case session."""

    def __init__(self, session: CaseworkSession) -> None:
        self.session = session

    @property
    def _conn(self) -> Connection:
        return self.session.conn

    @property
    def _who(self) -> str:
        return self.session.user.username

    def _audit(self, action: str, detail: dict[str, object]) -> None:
        audit_log.append(self._conn, self._who, action, detail)

    # Inbox and home ---------------------------------------------------------------

    def ingest(self) -> Changes:
        """Open sealed concerns into the case database: the references of those that
        arrived (how many: ``len(changes.concerns)``), and any item kept aside."""
        return self.session.ingest_inbox()

    def home(self, today: date | None = None) -> HomeSummary:
        today = today or date.today()
        conn = self._conn
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

    def acknowledge_danger(self, ref: str) -> Changes:
        """A lead has seen that a child may be in immediate danger and is acting on it.

        Until then the concern stays first on Home, in words and colour. Audited; a second
        acknowledgement changes nothing.
        """
        concern_id = self._concern_id(ref)
        with case_records.transaction(self._conn):
            at = datetime.now(UTC).replace(microsecond=0).isoformat()
            if concern_search.acknowledge_danger(self._conn, concern_id, self._who, at):
                self._audit("danger_acknowledged", {"ref": self.summary(ref).ref})
        return self._changes_about(concern_id)

    # Concerns ---------------------------------------------------------------------

    def search(
        self, filters: SearchFilters, *, limit: int = PAGE_SIZE, offset: int = 0
    ) -> list[ConcernSummary]:
        return concern_search.search(self._conn, filters, limit=limit, offset=offset)

    def count(self, filters: SearchFilters) -> int:
        return concern_search.count(self._conn, filters)

    def recorders(self) -> list[str]:
        return concern_search.recorders(self._conn)

    def _concern_id(self, ref: str) -> int:
        cleaned = ref.strip().upper()
        concern_id = casework_records.concern_id_for_ref(self._conn, cleaned)
        if concern_id is None:
            # Echoed as typed, not as compared: "c-7k3m" upper-cased is not what was given.
            raise BadInput(
                f"There is no concern with the reference {ref.strip()[:20]}.", "reference"
            )
        return concern_id

    def _changes_about(
        self,
        concern_id: int | None,
        *,
        children: Iterable[int | None] = (),
        follow_ups: Iterable[int | None] = (),
        referrals: Iterable[str] = (),
    ) -> Changes:
        """What a write about concern ``concern_id`` (if any) changed: the concern, every
        child linked to it (their files show its status, follow-ups and actions), and the
        children, follow-ups and referrals named."""
        conn = self._conn
        concerns: list[str] = []
        linked: list[int | None] = []
        if concern_id is not None:
            concerns.append(casework_records.concern_ref(conn, concern_id))
            linked = [
                link.child_id for link in children_records.links_for_concern(conn, concern_id)
            ]
        return Changes.of(
            concerns=concerns,
            children=[*linked, *children],
            follow_ups=follow_ups,
            referrals=referrals,
        )

    def summary(self, ref: str) -> ConcernSummary:
        """One concern's list row (no record text but the children's names); not audited."""
        found = concern_search.summary_by_id(self._conn, self._concern_id(ref))
        assert found is not None  # _concern_id found the row
        return found

    def concern_file(
        self, ref: str, *, audit: bool = True, suggestions: bool = True
    ) -> ConcernFile:
        """One concern and all that was added to it; opening it is audited.

        ``suggestions=False`` skips looking for records an unlinked child may be (the
        one costly part), for callers that only need the concern and what was added.
        """
        summary = self.summary(ref)
        concern_id = summary.concern_id
        conn = self._conn
        stored = case_records.get_concern(conn, summary.ref)
        assert stored is not None
        if audit:
            self.session.audit_read("concern_opened", {"ref": stored.ref})
        referrals = tuple(casework_records.referrals_for(conn, concern_id))
        return ConcernFile(
            concern=stored,
            summary=summary,
            children=tuple(self._link_choices(stored, suggestions)),
            amendments=tuple(casework_records.amendments_for(conn, concern_id)),
            actions=tuple(casework_records.actions_for_concern(conn, concern_id)),
            decisions=tuple(casework_records.decisions_for(conn, concern_id)),
            referrals=referrals,
            follow_ups=tuple(casework_records.follow_ups_for(conn, concern_id=concern_id)),
            after_referral=after_referral_records.progress_for(
                conn, (r.referral_id for r in referrals)
            ),
        )

    def _link_choices(self, stored: StoredConcern, with_suggestions: bool) -> list[LinkChoice]:
        conn = self._conn
        choices = []
        for link in children_records.links_for_concern(conn, stored.concern_id):
            # One link for each child the concern names, made when it was stored.
            named = stored.recorded.children[link.position]
            linked = (
                children_records.get_child(conn, link.child_id)
                if link.child_id is not None
                else None
            )
            suggestions: list[tuple[Suggestion, ChildRecord]] = []
            if linked is None and with_suggestions:
                child = concern_child(named)
                candidates = children_records.match_candidates(
                    conn, child.name, child.date_of_birth
                )
                for suggestion in suggest_matches(child, candidates):
                    record = children_records.get_child(conn, suggestion.child_id)
                    if record is not None:
                        suggestions.append((suggestion, record))
            statuses = (
                child_status_records.current_statuses(conn, [linked.child_id]).get(
                    linked.child_id, []
                )
                if linked is not None
                else []
            )
            choices.append(
                LinkChoice(link.position, named, link, linked, tuple(suggestions), tuple(statuses))
            )
        return choices

    def set_status(self, ref: str, status: ConcernStatus | str, reason: str = "") -> Changes:
        """Close or reopen a concern; closing needs a reason, kept as a note beside it."""
        chosen = parse_enum(ConcernStatus, status, "status", "status")
        concern_id = self._concern_id(ref)
        if chosen is ConcernStatus.CLOSED:
            reason_text = checked_close_reason(reason)
        else:
            reason_text = clean_text(reason, "reason", max_length=5_000, label="Reason")
        conn = self._conn
        with case_records.transaction(conn):
            casework_records.set_concern_status(conn, concern_id, chosen)
            if reason_text.strip():
                casework_records.add_action(
                    conn,
                    NewAction.checked(
                        kind="note",
                        occurred_at=datetime.now(),
                        who=self.session.user.display_name,
                        details=f"Concern {chosen.label.lower()}: {reason_text}",
                        now=datetime.now(),
                    ),
                    child_id=None,
                    concern_id=concern_id,
                    by=self._who,
                )
            self._audit("concern_status", {"ref": ref.strip().upper(), "status": chosen.value})
        return self._changes_about(concern_id)

    # Linking children -------------------------------------------------------------

    def link_child(self, ref: str, position: int, child_id: int) -> Changes:
        """Confirm that the child at ``position`` in concern ``ref`` is record ``child_id``."""
        concern_id = self._concern_id(ref)
        conn = self._conn
        if children_records.get_child(conn, child_id) is None:
            raise BadInput("That child record does not exist.", "child")
        with case_records.transaction(conn):
            self._link(concern_id, position, child_id)
            self._audit(
                "child_linked",
                {"ref": ref.strip().upper(), "position": position, "child_id": child_id},
            )
        return self._changes_about(concern_id)

    def create_child_for(self, ref: str, position: int) -> Added:
        """A new child record from how concern ``ref`` names the child; linked at once."""
        concern_id = self._concern_id(ref)
        conn = self._conn
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
            self._link(concern_id, position, child_id)
            self._audit("child_created", {"child_id": child_id, "ref": stored.ref})
            self._audit(
                "child_linked", {"ref": stored.ref, "position": position, "child_id": child_id}
            )
        return Added(child_id, self._changes_about(concern_id))

    def _link(self, concern_id: int, position: int, child_id: int) -> None:
        conn = self._conn
        links = children_records.links_for_concern(conn, concern_id)
        if not any(link.position == position for link in links):
            raise BadInput("That concern does not name a child at that place.", "position")
        children_records.link(conn, concern_id, position, child_id, self._who)
        # Once every child named is linked, the concern has been looked at.
        if all(link.child_id is not None or link.position == position for link in links):
            summary = concern_search.summary_by_id(conn, concern_id)
            if summary is not None and summary.status is ConcernStatus.NEW:
                casework_records.set_concern_status(conn, concern_id, ConcernStatus.OPEN)

    # Children ---------------------------------------------------------------------

    def list_children(
        self, name_filter: str = "", *, limit: int = PAGE_SIZE, offset: int = 0
    ) -> list[ChildRecord]:
        return children_records.list_children(self._conn, name_filter, limit=limit, offset=offset)

    def _child(self, child_id: int) -> ChildRecord:
        record = children_records.get_child(self._conn, child_id)
        if record is None:
            raise BadInput("That child record does not exist.", "child")
        return record

    def child_file(self, child_id: int, *, audit: bool = True) -> ChildFile:
        record = self._child(child_id)
        conn = self._conn
        if audit:
            self.session.audit_read("child_opened", {"child_id": child_id})
        return ChildFile(
            record=record,
            household=tuple(children_records.household(conn, child_id)),
            professionals=tuple(children_records.professionals(conn, child_id)),
            follow_ups=tuple(casework_records.follow_ups_for(conn, child_id=child_id)),
            concerns=tuple(
                concern_search.search(conn, SearchFilters(child_id=child_id), limit=10_000)
            ),
            statuses=tuple(child_status_records.statuses_for(conn, child_id)),
            history=tuple(children_records.history(conn, child_id)),
        )

    def chronology(self, child_id: int) -> list[ChronologyEntry]:
        """Everything about the child in date order, repeated concerns marked."""
        self._child(child_id)
        return mark_repeats(chronology_query.chronology_rows(self._conn, child_id))

    def record_chronology_printed(self, child_id: int, sha256: str) -> None:
        with case_records.transaction(self._conn):
            self._audit("chronology_exported", {"child_id": child_id, "sha256": sha256})

    def update_child(self, child_id: int, details: ChildDetails) -> Changes:
        # Checked here too: the rules hold whoever built the details (the dialog checks early).
        details = ChildDetails.checked(**vars(details))
        self._child(child_id)
        with case_records.transaction(self._conn):
            children_records.update_child(self._conn, child_id, details, self._who)
            self._audit("child_updated", {"child_id": child_id})
        return Changes.of(children=[child_id])

    def set_case_owner(self, child_id: int, username: str) -> Changes:
        owner = checked_case_owner(username)
        if owner:
            record = self.session.store.vault.user(owner)
            if record is None or not record.role.holds_database_key:
                raise BadInput(
                    "The case owner must be a safeguarding lead or administrator account.",
                    "case_owner",
                )
        self._child(child_id)
        with case_records.transaction(self._conn):
            children_records.set_case_owner(self._conn, child_id, owner)
            self._audit("case_owner_set", {"child_id": child_id, "owner": owner})
        return Changes.of(children=[child_id])

    def set_risk_level(self, child_id: int, level: RiskLevel | str) -> Changes:
        chosen = parse_enum(RiskLevel, level, "risk_level", "risk level")
        self._child(child_id)
        with case_records.transaction(self._conn):
            children_records.set_risk_level(self._conn, child_id, chosen)
            self._audit("risk_level_set", {"child_id": child_id, "level": chosen.value})
        return Changes.of(children=[child_id])

    def add_household_member(self, child_id: int, member: HouseholdMember) -> Added:
        self._child(child_id)
        with case_records.transaction(self._conn):
            member_id = children_records.add_household_member(
                self._conn, child_id, member, self._who
            )
            self._audit("household_added", {"child_id": child_id, "member_id": member_id})
        return Added(member_id, Changes.of(children=[child_id]))

    def remove_household_member(self, child_id: int, member_id: int) -> Changes:
        with case_records.transaction(self._conn):
            if not children_records.remove_household_member(
                self._conn, child_id, member_id, self._who
            ):
                raise BadInput("That person is not in this child's household.", "member")
            self._audit("household_removed", {"child_id": child_id, "member_id": member_id})
        return Changes.of(children=[child_id])

    def change_household_member(
        self, child_id: int, member_id: int, member: HouseholdMember
    ) -> Added:
        """A household member's details corrected or changed (a new address, a new
        partner's name): the record before is kept in the child's history."""
        member = HouseholdMember.checked(**vars(member))
        with case_records.transaction(self._conn):
            new_id = children_records.replace_household_member(
                self._conn, child_id, member_id, member, self._who
            )
            if new_id is None:
                raise BadInput("That person is not in this child's household.", "member")
            self._audit(
                "household_changed",
                {"child_id": child_id, "member_id": member_id, "new_member_id": new_id},
            )
        return Added(new_id, Changes.of(children=[child_id]))

    def change_professional(
        self, child_id: int, professional_id: int, professional: Professional
    ) -> Added:
        """A professional's details changed (a new GP, a new social worker's number): the
        record before is kept in the child's history."""
        professional = Professional.checked(**vars(professional))
        with case_records.transaction(self._conn):
            new_id = children_records.replace_professional(
                self._conn, child_id, professional_id, professional, self._who
            )
            if new_id is None:
                raise BadInput("That professional is not listed for this child.", "professional")
            self._audit(
                "professional_changed",
                {"child_id": child_id, "professional_id": professional_id, "new_id": new_id},
            )
        return Added(new_id, Changes.of(children=[child_id]))

    def add_professional(self, child_id: int, professional: Professional) -> Added:
        self._child(child_id)
        with case_records.transaction(self._conn):
            pid = children_records.add_professional(self._conn, child_id, professional, self._who)
            self._audit("professional_added", {"child_id": child_id, "professional_id": pid})
        return Added(pid, Changes.of(children=[child_id]))

    def remove_professional(self, child_id: int, professional_id: int) -> Changes:
        with case_records.transaction(self._conn):
            if not children_records.remove_professional(
                self._conn, child_id, professional_id, self._who
            ):
                raise BadInput("That professional is not listed for this child.", "professional")
            self._audit(
                "professional_removed", {"child_id": child_id, "professional_id": professional_id}
            )
        return Changes.of(children=[child_id])

    # Actions, follow-ups, amendments -----------------------------------------------------

    def add_action(
        self, action: NewAction, *, ref: str | None = None, child_id: int | None = None
    ) -> Added:
        """Record an action against a concern, a child, or both; with its follow-up, if any."""
        if ref is None and child_id is None:
            raise BadInput("Choose the concern or child the action is about.", "ref")
        concern_id = self._concern_id(ref) if ref else None
        if child_id is not None:
            self._child(child_id)
        conn = self._conn
        follow_up_id: int | None = None
        with case_records.transaction(conn):
            action_id = casework_records.add_action(
                conn, action, child_id=child_id, concern_id=concern_id, by=self._who
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
                    by=self._who,
                )
                detail["follow_up_id"] = follow_up_id
            self._audit("action_added", detail)
        changes = self._changes_about(concern_id, children=[child_id], follow_ups=[follow_up_id])
        return Added(action_id, changes)

    def add_follow_up(
        self, due_on: date, what: str, *, ref: str | None = None, child_id: int | None = None
    ) -> Added:
        due, text = checked_follow_up(due_on, what, today=date.today())
        concern_id = self._concern_id(ref) if ref else None
        if child_id is not None:
            self._child(child_id)
        if concern_id is None and child_id is None:
            raise BadInput("Choose the concern or child the follow-up is about.", "ref")
        with case_records.transaction(self._conn):
            fid = casework_records.add_follow_up(
                self._conn,
                due_on=due,
                what=text,
                child_id=child_id,
                concern_id=concern_id,
                by=self._who,
            )
            self._audit("follow_up_added", {"follow_up_id": fid, "due_on": due.isoformat()})
        return Added(fid, self._changes_about(concern_id, children=[child_id], follow_ups=[fid]))

    def complete_follow_up(self, follow_up_id: int, note: str = "") -> Changes:
        """Mark a follow-up done; a short note of what was done is required."""
        text = checked_done_note(note)
        with case_records.transaction(self._conn):
            if not casework_records.complete_follow_up(self._conn, follow_up_id, self._who, text):
                raise BadInput("That follow-up is already done or does not exist.", "follow_up")
            self._audit("follow_up_done", {"follow_up_id": follow_up_id})
        done = casework_records.get_follow_up(self._conn, follow_up_id)
        assert done is not None  # completed just now
        return self._changes_about(
            done.concern_id, children=[done.child_id], follow_ups=[follow_up_id]
        )

    def open_follow_ups(self, due_by: date | None = None) -> list[FollowUpRecord]:
        return casework_records.open_follow_ups(self._conn, due_by=due_by)

    def amend(self, ref: str, amendment: NewAmendment) -> Added:
        """Add a correction beside a concern; the concern as submitted stays as it was.

        A correction that says exactly what was submitted corrects nothing and is
        refused here, so the command line and the app answer alike.
        """
        concern_id = self._concern_id(ref)
        stored = case_records.get_concern(self._conn, ref.strip().upper())
        original = _original_text(stored.recorded, amendment.field) if stored is not None else None
        check_correction_changes(original, amendment.new_value)
        with case_records.transaction(self._conn):
            amendment_id = casework_records.add_amendment(
                self._conn, concern_id, amendment, self._who
            )
            self._audit(
                "concern_amended",
                {
                    "ref": ref.strip().upper(),
                    "amendment_id": amendment_id,
                    "field": amendment.field,
                },
            )
        return Added(amendment_id, self._changes_about(concern_id))

    # Referrals and reports -------------------------------------------------------------

    def open_referrals(self) -> list[ReferralRecord]:
        return casework_records.open_referrals(self._conn)

    def category_report(
        self, by: str = "month", date_from: date | None = None, date_to: date | None = None
    ) -> CategoryReport:
        conn = self._conn
        report = build_report(
            report_query.category_months(conn, date_from, date_to),
            report_query.concern_months(conn, date_from, date_to),
            by=by,
        )
        started = child_status_records.started_between(
            conn, date_from or date.min, date_to or date.max
        )
        return replace(
            report,
            statuses_now=status_counts(child_status_records.current_counts(conn)),
            statuses_started=status_counts(started),
        )

    def record_report_exported(self, by: str, sha256: str) -> None:
        with case_records.transaction(self._conn):
            self._audit("report_exported", {"by": by, "sha256": sha256})

    def count_due_follow_ups(self, today: date | None = None) -> int:
        """How many follow-ups are not done and due by ``today``: all of them, where
        ``home()`` lists only the first 100."""
        today = today or date.today()
        tomorrow = date.fromordinal(today.toordinal() + 1)
        return casework_records.count_open_follow_ups(self._conn, due_before=tomorrow)


def _original_text(recorded: Concern, field: str) -> str | None:
    """What the recorder wrote for the part a correction names; None for a part that is not
    one piece of text (the children, "something else")."""
    if field in TEXT_FIELDS:
        return recorded.text(field)
    if field == "occurred_at":
        return recorded.occurred_at.isoformat()
    return None
