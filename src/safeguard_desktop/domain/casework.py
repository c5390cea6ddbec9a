"""The DSL's casework as data: statuses, actions, follow-ups, amendments, risk.

Everything a DSL adds to a concern is a new record beside it: a concern as submitted
is never changed. Each kind of thing here has one validating constructor, so the app,
the command line and the tests refuse the same input with the same sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from .errors import BadInput
from .text import clean_name, clean_text

MAX_SHORT_TEXT = 200

E = TypeVar("E", bound=StrEnum)


class ConcernStatus(StrEnum):
    """Where a concern stands. ``new`` until a DSL has looked at it and linked its children."""

    NEW = "new"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            ConcernStatus.NEW: "New",
            ConcernStatus.OPEN: "Open",
            ConcernStatus.CLOSED: "Closed",
        }[self]


class RiskLevel(StrEnum):
    """The DSL's current view of the risk to a child; never worked out by the program."""

    NOT_SET = "not_set"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return {
            RiskLevel.NOT_SET: "Not set",
            RiskLevel.LOW: "Low",
            RiskLevel.MEDIUM: "Medium",
            RiskLevel.HIGH: "High",
        }[self]


class ActionKind(StrEnum):
    """What a DSL (or someone for them) did. The agency kinds count as agency contact."""

    SPOKE_TO_CHILD = "spoke_to_child"
    CONTACTED_PARENT = "contacted_parent"
    CONSULTED_SOCIAL_CARE = "consulted_social_care"
    CALLED_POLICE = "called_police"
    CONTACTED_LADO = "contacted_lado"
    SOUGHT_ADVICE = "sought_advice"
    REFERRAL_SENT = "referral_sent"
    OTHER_AGENCY = "other_agency"
    MEETING = "meeting"
    NOTE = "note"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]

    @property
    def is_agency_contact(self) -> bool:
        return self in _AGENCY_KINDS


_ACTION_LABELS = {
    ActionKind.SPOKE_TO_CHILD: "Spoke to the child",
    ActionKind.CONTACTED_PARENT: "Contacted a parent or carer",
    ActionKind.CONSULTED_SOCIAL_CARE: "Consulted children's social care",
    ActionKind.CALLED_POLICE: "Called the police",
    ActionKind.CONTACTED_LADO: "Contacted the LADO",
    ActionKind.SOUGHT_ADVICE: "Sought advice",
    ActionKind.REFERRAL_SENT: "Referral sent",
    ActionKind.OTHER_AGENCY: "Contact with another agency",
    ActionKind.MEETING: "Meeting",
    ActionKind.NOTE: "Note",
}
_AGENCY_KINDS = frozenset(
    {
        ActionKind.CONSULTED_SOCIAL_CARE,
        ActionKind.CALLED_POLICE,
        ActionKind.CONTACTED_LADO,
        ActionKind.SOUGHT_ADVICE,
        ActionKind.REFERRAL_SENT,
        ActionKind.OTHER_AGENCY,
    }
)


def parse_enum(kind: type[E], value: object, field: str, what: str) -> E:
    """``value`` as a member of ``kind``, or BadInput naming ``field``."""
    try:
        return kind(str(value))
    except ValueError:
        raise BadInput(f"The {what} is not one of the known choices.", field=field) from None


@dataclass(frozen=True)
class NewAction:
    """An action as the DSL typed it, checked. ``occurred_at`` may be in the past."""

    kind: ActionKind
    occurred_at: datetime
    who: str
    details: str
    outcome: str = ""
    follow_up_on: date | None = None
    follow_up_what: str = ""

    @classmethod
    def checked(
        cls,
        *,
        kind: object,
        occurred_at: datetime,
        who: object,
        details: object,
        outcome: object = "",
        follow_up_on: date | None = None,
        follow_up_what: object = "",
        now: datetime,
    ) -> NewAction:
        action_kind = parse_enum(ActionKind, kind, "kind", "kind of action")
        when = _not_in_future(occurred_at, now, "occurred_at", "When it happened")
        text = clean_text(details, "details", required=True, label="What happened")
        follow_what = clean_text(
            follow_up_what, "follow_up_what", max_length=MAX_SHORT_TEXT * 5, label="Follow-up"
        )
        if follow_up_on is not None and follow_up_on < now.date():
            raise BadInput("A follow-up date cannot be in the past.", "follow_up_on")
        if follow_up_on is not None and not follow_what.strip():
            follow_what = "Follow up: " + action_kind.label.lower()
        return cls(
            kind=action_kind,
            occurred_at=when,
            who=clean_text(who, "who", max_length=MAX_SHORT_TEXT, multiline=False, label="Who"),
            details=text,
            outcome=clean_text(outcome, "outcome", label="Outcome"),
            follow_up_on=follow_up_on,
            follow_up_what=follow_what,
        )


@dataclass(frozen=True)
class NewAmendment:
    """A correction to a concern: which part, the corrected text and why."""

    field: str
    new_value: str
    reason: str

    @classmethod
    def checked(cls, *, field: object, new_value: object, reason: object) -> NewAmendment:
        if not isinstance(field, str) or field not in AMENDABLE_FIELDS:
            raise BadInput("Choose which part of the concern the correction is to.", "field")
        return cls(
            field=field,
            new_value=clean_text(new_value, "new_value", required=True, label="Correction"),
            reason=clean_text(
                reason, "reason", required=True, max_length=5_000, label="Reason for the correction"
            ),
        )


# Parts of a concern a correction can be made to, with the words the DSL sees.
AMENDABLE_FIELDS: dict[str, str] = {
    "occurred_at": "When it happened",
    "location": "Where it happened",
    "observed": "What was seen and heard",
    "child_words": "The child's own words",
    "presentation": "How the child seemed",
    "others_present": "Who else was there",
    "actions_taken": "What the recorder did",
    "children": "The child's details",
    "other": "Something else",
}


def checked_follow_up(due_on: date, what: object, *, today: date) -> tuple[date, str]:
    """A follow-up date and what is to be done; the date may be today or later."""
    if due_on < today:
        raise BadInput("A follow-up date cannot be in the past.", "due_on")
    return due_on, clean_text(
        what, "what", required=True, max_length=MAX_SHORT_TEXT * 5, label="What to follow up"
    )


def checked_close_reason(reason: object) -> str:
    """Why a concern is closed: required, kept beside it as typed."""
    text = clean_text(reason, "reason", max_length=5_000, label="Reason")
    if not text.strip():
        raise BadInput("Say why the concern is being closed.", "reason")
    return text


def checked_done_note(note: object) -> str:
    """What was done about a follow-up marked done: required."""
    text = clean_text(note, "note", max_length=10_000, label="What was done")
    if not text.strip():
        raise BadInput("Say briefly what was done.", "note")
    return text


def check_correction_changes(original: str | None, corrected: str) -> None:
    """A correction that says exactly what was submitted corrects nothing: refused.

    ``original`` is None for a part that is not one piece of text (the children,
    "something else"), which any description corrects.
    """
    if original is not None and original.strip() and corrected.strip() == original.strip():
        raise BadInput(
            "The correction is the same as what was submitted; change it first.", "new_value"
        )


def checked_set_aside_note(note: object) -> str:
    """Why an inbox item that was not accepted is set aside: required, at most 2,000
    characters, kept as typed."""
    text = clean_text(note, "note", max_length=2_000, label="Why it is set aside")
    if not text.strip():
        raise BadInput("Say briefly why you are setting it aside.", "note")
    return text


def checked_case_owner(username: object) -> str:
    """A case owner's user name ("" for nobody)."""
    if username in (None, ""):
        return ""
    return clean_name(username, "case_owner", max_length=64, label="Case owner")


def _not_in_future(when: datetime, now: datetime, field: str, label: str) -> datetime:
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    local_now = now if now.tzinfo is None else now.astimezone().replace(tzinfo=None)
    if (when - local_now).total_seconds() > 300:
        raise BadInput(f"'{label}' is in the future; please check the date and time.", field)
    if when.year < 1900:
        raise BadInput(f"'{label}' is before 1900; please check the year.", field)
    return when.replace(microsecond=0)
