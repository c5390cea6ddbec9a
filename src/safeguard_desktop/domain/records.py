"""Read models: what the case database hands back, as plain frozen dataclasses.

storage/ builds these from rows; services/ pass them to the UI and the command line.
Times are ISO 8601 strings as stored ("2026-11-20T15:30:00"); ``occurred_at`` values are
the organisation's local time, ``*_at`` audit times are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .casework import ActionKind, ConcernStatus, RiskLevel
from .children import ChildDetails, HouseholdMember, Professional
from .referral import ReferralContent, ReferralKind, ReferralStatus


@dataclass(frozen=True)
class SearchFilters:
    """What the DSL narrows the list of concerns by; every part optional."""

    text: str = ""
    categories: tuple[str, ...] = ()
    date_from: date | None = None  # on or after, by when it happened
    date_to: date | None = None  # on or before
    status: ConcernStatus | None = None
    recorder: str = ""  # the recorder's name as shown
    child_id: int | None = None


@dataclass(frozen=True)
class ConcernSummary:
    """One row of a list of concerns; no record text beyond the children's names."""

    concern_id: int
    ref: str
    occurred_at: str
    submitted_at: str
    status: ConcernStatus
    child_names: str
    categories: tuple[str, ...]
    recorder_name: str
    immediate_danger: bool
    unlinked_children: int = 0
    recorder_username: str | None = None  # None for a guest
    recorder_role: str = ""


@dataclass(frozen=True)
class ChildRecord:
    child_id: int
    details: ChildDetails
    case_owner: str
    risk_level: RiskLevel
    created_at: str
    updated_at: str
    concern_count: int = 0
    last_concern_at: str = ""

    @property
    def name(self) -> str:
        return self.details.name


@dataclass(frozen=True)
class ChildLink:
    """A child as named in a concern, and the child record it is linked to (if yet)."""

    concern_id: int
    position: int
    child_id: int | None
    suggested_child_id: int | None
    linked_at: str | None
    linked_by: str | None
    # The child's file was deleted at its retention review (UTC): the concern is kept for
    # the other children it names, and this child is not linked to a record again.
    file_deleted_at: str | None = None


@dataclass(frozen=True)
class HouseholdRecord:
    member_id: int
    child_id: int
    member: HouseholdMember


@dataclass(frozen=True)
class ProfessionalRecord:
    professional_id: int
    child_id: int
    professional: Professional


@dataclass(frozen=True)
class ActionRecord:
    action_id: int
    child_id: int | None
    concern_id: int | None
    kind: ActionKind
    occurred_at: str
    who: str
    details: str
    outcome: str
    recorded_at: str
    recorded_by: str
    decision_id: int | None = None


@dataclass(frozen=True)
class FollowUpRecord:
    follow_up_id: int
    child_id: int | None
    concern_id: int | None
    due_on: date
    what: str
    created_at: str
    created_by: str
    done_at: str | None = None
    done_by: str | None = None
    done_note: str | None = None
    child_name: str = ""
    concern_ref: str = ""

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_on < today

    def is_due(self, today: date) -> bool:
        return self.done_at is None and self.due_on <= today


@dataclass(frozen=True)
class AmendmentRecord:
    amendment_id: int
    concern_id: int
    field: str
    new_value: str
    reason: str
    amended_at: str
    amended_by: str


@dataclass(frozen=True)
class DecisionRecord:
    decision_id: int
    concern_id: int
    outcome: str
    reason: str
    details: dict[str, object]
    review_on: date | None
    decided_at: str
    decided_by: str
    decided_by_name: str
    # Which child named in the concern (its position); None only for a record made
    # before decisions were per child and not yet carried over.
    child_position: int | None = None
    migrated: bool = False  # made for the whole concern by an older version


@dataclass(frozen=True)
class ReferralRecord:
    referral_id: int
    ref: str
    concern_id: int
    decision_id: int | None
    kind: ReferralKind
    content: ReferralContent
    status: ReferralStatus
    created_at: str
    created_by: str
    sent_at: str | None = None
    pdf_sha256: str | None = None
    response: str | None = None
    closed_at: str | None = None
    extra: dict[str, object] = field(default_factory=dict)  # LADO: adult, allegation
    concern_ref: str = ""
    # The child it is about (position in the concern); None: made for a whole concern
    # naming several children by an older version (kept as sent; not signable).
    child_position: int | None = None


@dataclass(frozen=True)
class ChronologyEntry:
    """One line of a child's chronology, in date order with everything else."""

    when: str  # local time the thing happened (or was decided), ISO; or a day alone
    # "concern", "action", "decision", "referral", "acknowledgement", "outcome",
    # "escalation", "amendment", "follow_up", "attachment", "transferred" (from an earlier
    # school or club, as it was sent)
    kind: str
    title: str  # e.g. "Concern: Physical abuse" or "Called the police"
    summary: str  # one or two lines; the full text is one click away
    ref: str = ""  # concern reference, for opening it
    source_id: int = 0
    agency_contact: bool = False
    recorded_at: str = ""  # when it was written down (differs when backdated)
    by: str = ""
    repeated: bool = False  # part of a cluster of concerns close together
