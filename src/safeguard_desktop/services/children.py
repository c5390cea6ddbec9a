"""A child's record: the Children list, a child's file, their details, case owner and risk
level, household and professionals, and the chronology.

Every function takes an unlocked :class:`CaseSession` (a DSL or an administrator).
Opening a file and every change is written to the audit log, with ids only; a change to
the household or the professionals keeps the record before in the child's history.
What concerns say about a child, and linking them, is in services/casework.py; a child's
statuses (a plan, a pattern) in services/child_status.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.attachments import AttachmentRecord
from ..domain.casework import RiskLevel, checked_case_owner, parse_enum
from ..domain.child_history import HistoryRecord
from ..domain.child_status import StatusRecord
from ..domain.children import ChildDetails, HouseholdMember, Professional
from ..domain.chronology import mark_repeats
from ..domain.errors import BadInput
from ..domain.records import (
    ChildRecord,
    ChronologyEntry,
    ConcernSummary,
    FollowUpRecord,
    HouseholdRecord,
    ProfessionalRecord,
    SearchFilters,
)
from ..storage import (
    attachment_records,
    audit_log,
    case_records,
    casework_records,
    child_status_records,
    children_records,
    chronology_query,
    concern_search,
)
from .casework import PAGE_SIZE
from .changes import Added, Changes
from .session import CaseSession


@dataclass(frozen=True)
class ChildFile:
    record: ChildRecord
    household: tuple[HouseholdRecord, ...]
    professionals: tuple[ProfessionalRecord, ...]
    follow_ups: tuple[FollowUpRecord, ...]
    concerns: tuple[ConcernSummary, ...]
    statuses: tuple[StatusRecord, ...] = ()  # current first (services/child_status.py)
    history: tuple[HistoryRecord, ...] = ()  # changes to the record, newest first
    # the child's own and their concerns', oldest first (services/attachments.py)
    attachments: tuple[AttachmentRecord, ...] = ()


def _audit(session: CaseSession, action: str, detail: dict[str, object]) -> None:
    audit_log.append(session.conn, session.user.username, action, detail)


def list_children(
    session: CaseSession, name_filter: str = "", *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[ChildRecord]:
    return children_records.list_children(session.conn, name_filter, limit=limit, offset=offset)


def child_record(session: CaseSession, child_id: int) -> ChildRecord:
    """The child's record; BadInput if there is none (not audited)."""
    record = children_records.get_child(session.conn, child_id)
    if record is None:
        raise BadInput("That child record does not exist.", "child")
    return record


def child_file(session: CaseSession, child_id: int, *, audit: bool = True) -> ChildFile:
    record = child_record(session, child_id)
    conn = session.conn
    if audit:
        session.audit_read("child_opened", {"child_id": child_id})
    return ChildFile(
        record=record,
        household=tuple(children_records.household(conn, child_id)),
        professionals=tuple(children_records.professionals(conn, child_id)),
        follow_ups=tuple(casework_records.follow_ups_for(conn, child_id=child_id)),
        concerns=tuple(concern_search.search(conn, SearchFilters(child_id=child_id), limit=10_000)),
        statuses=tuple(child_status_records.statuses_for(conn, child_id)),
        history=tuple(children_records.history(conn, child_id)),
        attachments=tuple(attachment_records.for_child(conn, child_id)),
    )


def chronology(session: CaseSession, child_id: int) -> list[ChronologyEntry]:
    """Everything about the child in date order, repeated concerns marked."""
    child_record(session, child_id)
    return mark_repeats(chronology_query.chronology_rows(session.conn, child_id))


def update_child(session: CaseSession, child_id: int, details: ChildDetails) -> Changes:
    # Checked here too: the rules hold whoever built the details (the dialog checks early).
    details = ChildDetails.checked(**vars(details))
    child_record(session, child_id)
    with case_records.transaction(session.conn):
        children_records.update_child(session.conn, child_id, details, session.user.username)
        _audit(session, "child_updated", {"child_id": child_id})
    return Changes.of(children=[child_id])


def set_case_owner(session: CaseSession, child_id: int, username: str) -> Changes:
    owner = checked_case_owner(username)
    if owner:
        record = session.store.vault.user(owner)
        if record is None or not record.role.holds_database_key:
            raise BadInput(
                "The case owner must be a safeguarding lead or administrator account.",
                "case_owner",
            )
    child_record(session, child_id)
    with case_records.transaction(session.conn):
        children_records.set_case_owner(session.conn, child_id, owner)
        _audit(session, "case_owner_set", {"child_id": child_id, "owner": owner})
    return Changes.of(children=[child_id])


def set_risk_level(session: CaseSession, child_id: int, level: RiskLevel | str) -> Changes:
    chosen = parse_enum(RiskLevel, level, "risk_level", "risk level")
    child_record(session, child_id)
    with case_records.transaction(session.conn):
        children_records.set_risk_level(session.conn, child_id, chosen)
        _audit(session, "risk_level_set", {"child_id": child_id, "level": chosen.value})
    return Changes.of(children=[child_id])


def add_household_member(session: CaseSession, child_id: int, member: HouseholdMember) -> Added:
    child_record(session, child_id)
    with case_records.transaction(session.conn):
        member_id = children_records.add_household_member(
            session.conn, child_id, member, session.user.username
        )
        _audit(session, "household_added", {"child_id": child_id, "member_id": member_id})
    return Added(member_id, Changes.of(children=[child_id]))


def remove_household_member(session: CaseSession, child_id: int, member_id: int) -> Changes:
    with case_records.transaction(session.conn):
        if not children_records.remove_household_member(
            session.conn, child_id, member_id, session.user.username
        ):
            raise BadInput("That person is not in this child's household.", "member")
        _audit(session, "household_removed", {"child_id": child_id, "member_id": member_id})
    return Changes.of(children=[child_id])


def change_household_member(
    session: CaseSession, child_id: int, member_id: int, member: HouseholdMember
) -> Added:
    """A household member's details corrected or changed (a new address, a new
    partner's name): the record before is kept in the child's history."""
    member = HouseholdMember.checked(**vars(member))
    with case_records.transaction(session.conn):
        new_id = children_records.replace_household_member(
            session.conn, child_id, member_id, member, session.user.username
        )
        if new_id is None:
            raise BadInput("That person is not in this child's household.", "member")
        _audit(
            session,
            "household_changed",
            {"child_id": child_id, "member_id": member_id, "new_member_id": new_id},
        )
    return Added(new_id, Changes.of(children=[child_id]))


def change_professional(
    session: CaseSession, child_id: int, professional_id: int, professional: Professional
) -> Added:
    """A professional's details changed (a new GP, a new social worker's number): the
    record before is kept in the child's history."""
    professional = Professional.checked(**vars(professional))
    with case_records.transaction(session.conn):
        new_id = children_records.replace_professional(
            session.conn, child_id, professional_id, professional, session.user.username
        )
        if new_id is None:
            raise BadInput("That professional is not listed for this child.", "professional")
        _audit(
            session,
            "professional_changed",
            {"child_id": child_id, "professional_id": professional_id, "new_id": new_id},
        )
    return Added(new_id, Changes.of(children=[child_id]))


def add_professional(session: CaseSession, child_id: int, professional: Professional) -> Added:
    child_record(session, child_id)
    with case_records.transaction(session.conn):
        pid = children_records.add_professional(
            session.conn, child_id, professional, session.user.username
        )
        _audit(session, "professional_added", {"child_id": child_id, "professional_id": pid})
    return Added(pid, Changes.of(children=[child_id]))


def remove_professional(session: CaseSession, child_id: int, professional_id: int) -> Changes:
    with case_records.transaction(session.conn):
        if not children_records.remove_professional(
            session.conn, child_id, professional_id, session.user.username
        ):
            raise BadInput("That professional is not listed for this child.", "professional")
        _audit(
            session,
            "professional_removed",
            {"child_id": child_id, "professional_id": professional_id},
        )
    return Changes.of(children=[child_id])
