"""What happens after a referral: the agency's acknowledgement, its outcomes, the lead's view,
and escalation when the lead disagrees.

Working Together to Safeguard Children 2023 (chapter 2): children's social care
acknowledges a referral and decides within one working day what happens next, and tells
the referrer. What follows is a sequence, each step dated: no further action (with their
reason), signposting to early help, a child and family assessment (Children Act 1989
section 17), a strategy discussion, a section 47 enquiry, an initial child protection
conference (and its result), a child in need plan, a police investigation.

The lead records whether they agree with each outcome. Where they do not, the guidance
expects them to challenge it under the local safeguarding partnership's resolution
(escalation) policy: a disagreement opens an escalation at stage 1 with whom it was
raised and when, and a follow-up; each later stage is raised with someone more senior,
until a result is recorded. Local policies name their stages differently; the four
here are the usual shape, and the lead writes to whom each stage went.

Everything is added beside the referral, never changed in place: an escalation's result
and a follow-up's closing are the only fields filled in later. Each ``checked``
constructor is the one gate for the app and every other caller, listing every gap at once
(:class:`~.errors.IncompleteDecision`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum

from .errors import BadInput, IncompleteDecision
from .referral import ReferralKind
from .text import clean_text

# How many working days after a social care referral the lead chases an outcome, unless
# Settings say otherwise: social care should decide within one working day.
DEFAULT_CHASE_WORKING_DAYS = 1
MAX_CHASE_WORKING_DAYS = 10
# An escalation's follow-up, unless the lead sets another date: resolution policies
# usually expect an answer at each stage within a few working days.
ESCALATION_FOLLOW_UP_DAYS = 7

_SHORT = 500  # one line: a name, a reference
_LONG = 10_000


class AgencyOutcome(StrEnum):
    """What the agency decided, or what has happened since (a referral can have several)."""

    NO_FURTHER_ACTION = "no_further_action"
    EARLY_HELP = "signposted_early_help"
    ASSESSMENT = "child_and_family_assessment"
    STRATEGY_DISCUSSION = "strategy_discussion"
    SECTION_47 = "section_47_enquiry"
    CONFERENCE = "initial_child_protection_conference"
    CHILD_IN_NEED_PLAN = "child_in_need_plan"
    POLICE_INVESTIGATION = "police_investigation"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]

    @property
    def note_label(self) -> str:
        """What the note beside this outcome holds."""
        if self is AgencyOutcome.NO_FURTHER_ACTION:
            return "Their reason for no further action"
        if self is AgencyOutcome.OTHER:
            return "What they decided or said"
        return "What they said (optional)"

    def applies_to(self, kind: ReferralKind) -> bool:
        """Whether an outcome can follow a referral of ``kind``."""
        return kind in _APPLIES_TO[self]


_OUTCOME_LABELS = {
    AgencyOutcome.NO_FURTHER_ACTION: "No further action",
    AgencyOutcome.EARLY_HELP: "Signposted to early help",
    AgencyOutcome.ASSESSMENT: "Child and family assessment (section 17)",
    AgencyOutcome.STRATEGY_DISCUSSION: "Strategy discussion",
    AgencyOutcome.SECTION_47: "Section 47 enquiry",
    AgencyOutcome.CONFERENCE: "Initial child protection conference",
    AgencyOutcome.CHILD_IN_NEED_PLAN: "Child in need plan",
    AgencyOutcome.POLICE_INVESTIGATION: "Police investigation",
    AgencyOutcome.OTHER: "Something else",
}

_EVERY_KIND = frozenset(ReferralKind)
_APPLIES_TO: dict[AgencyOutcome, frozenset[ReferralKind]] = {
    AgencyOutcome.NO_FURTHER_ACTION: _EVERY_KIND,
    AgencyOutcome.EARLY_HELP: frozenset({ReferralKind.SOCIAL_CARE, ReferralKind.PREVENT}),
    AgencyOutcome.ASSESSMENT: frozenset({ReferralKind.SOCIAL_CARE}),
    # The LADO convenes a strategy discussion when a child may be at risk of harm.
    AgencyOutcome.STRATEGY_DISCUSSION: frozenset({ReferralKind.SOCIAL_CARE, ReferralKind.LADO}),
    AgencyOutcome.SECTION_47: frozenset({ReferralKind.SOCIAL_CARE}),
    AgencyOutcome.CONFERENCE: frozenset({ReferralKind.SOCIAL_CARE}),
    AgencyOutcome.CHILD_IN_NEED_PLAN: frozenset({ReferralKind.SOCIAL_CARE}),
    AgencyOutcome.POLICE_INVESTIGATION: frozenset(
        {ReferralKind.SOCIAL_CARE, ReferralKind.LADO, ReferralKind.PREVENT}
    ),
    AgencyOutcome.OTHER: _EVERY_KIND,
}


def outcomes_for(kind: ReferralKind) -> tuple[AgencyOutcome, ...]:
    """The outcomes that can follow a referral of ``kind``, in the order they usually come."""
    return tuple(outcome for outcome in AgencyOutcome if outcome.applies_to(kind))


class ConferenceResult(StrEnum):
    """What an initial child protection conference decided."""

    CHILD_PROTECTION_PLAN = "child_protection_plan"
    CHILD_IN_NEED_PLAN = "child_in_need_plan"
    NO_PLAN = "no_plan"

    @property
    def label(self) -> str:
        return {
            ConferenceResult.CHILD_PROTECTION_PLAN: "A child protection plan",
            ConferenceResult.CHILD_IN_NEED_PLAN: "No child protection plan; a child in need plan",
            ConferenceResult.NO_PLAN: "No plan",
        }[self]


class EscalationStage(IntEnum):
    """The stages of a local resolution (escalation) policy, each more senior."""

    PRACTITIONER = 1
    MANAGER = 2
    SENIOR_MANAGER = 3
    PARTNERSHIP = 4

    @property
    def label(self) -> str:
        return {
            EscalationStage.PRACTITIONER: "Stage 1: with the social worker or practitioner",
            EscalationStage.MANAGER: "Stage 2: with their manager",
            EscalationStage.SENIOR_MANAGER: "Stage 3: with the service manager or head of service",
            EscalationStage.PARTNERSHIP: "Stage 4: with the local safeguarding partnership",
        }[self]

    @property
    def next(self) -> EscalationStage | None:
        return EscalationStage(self + 1) if self < EscalationStage.PARTNERSHIP else None


class _Gaps:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def text(
        self, value: object, field: str, label: str, *, required: bool = False, short: bool = False
    ) -> str:
        try:
            return clean_text(
                value,
                field,
                max_length=_SHORT if short else _LONG,
                multiline=not short,
                required=required,
                label=label,
            ).strip()
        except BadInput as error:
            self.problems.append((error.field or field, error.message))
            return ""

    def day(self, value: object, field: str, label: str, *, today: date, earliest: date) -> date:
        if not isinstance(value, date):
            self.problems.append((field, f"Give the date: {label.lower()}."))
            return today
        if value > today:
            self.problems.append((field, f"'{label}' is in the future; please check it."))
        elif value < earliest:
            self.problems.append(
                (field, f"'{label}' is before the referral was made; please check it.")
            )
        return value

    def add(self, field: str, message: str) -> None:
        self.problems.append((field, message))

    def raise_any(self) -> None:
        if self.problems:
            raise IncompleteDecision(self.problems)


@dataclass(frozen=True)
class Acknowledgement:
    """The agency has the referral: when, who there said so, and their reference."""

    acknowledged_on: date
    by: str
    their_reference: str = ""

    @classmethod
    def checked(
        cls, *, acknowledged_on: object, by: object, their_reference: object = "",
        today: date, referred_on: date,
    ) -> Acknowledgement:  # fmt: skip
        gaps = _Gaps()
        day = gaps.day(
            acknowledged_on,
            "acknowledged_on",
            "When they acknowledged it",
            today=today,
            earliest=referred_on,
        )
        who = gaps.text(by, "by", "Who acknowledged it", required=True, short=True)
        reference = gaps.text(their_reference, "their_reference", "Their reference", short=True)
        gaps.raise_any()
        return cls(acknowledged_on=day, by=who, their_reference=reference)


@dataclass(frozen=True)
class NewEscalation:
    """One stage of a challenge under the local resolution policy."""

    stage: EscalationStage
    to_whom: str
    raised_on: date
    reason: str
    follow_up_on: date

    @classmethod
    def checked(
        cls, *, stage: object, to_whom: object, raised_on: object, reason: object,
        follow_up_on: object, today: date, referred_on: date, prefix: str = "",
    ) -> NewEscalation:  # fmt: skip
        gaps = _Gaps()
        checked = cls._check(
            gaps, prefix, stage, to_whom, raised_on, reason, follow_up_on, today, referred_on
        )
        gaps.raise_any()
        return checked

    @classmethod
    def _check(
        cls, gaps: _Gaps, prefix: str, stage: object, to_whom: object, raised_on: object,
        reason: object, follow_up_on: object, today: date, referred_on: date,
    ) -> NewEscalation:  # fmt: skip
        try:
            chosen = EscalationStage(int(str(stage)))
        except ValueError:
            gaps.add(prefix + "stage", "Choose the stage of the resolution policy.")
            chosen = EscalationStage.PRACTITIONER
        whom = gaps.text(to_whom, prefix + "to_whom", "Raised with whom", required=True, short=True)
        raised = gaps.day(
            raised_on, prefix + "raised_on", "When it was raised", today=today, earliest=referred_on
        )
        why = gaps.text(reason, prefix + "reason", "Why you disagree", required=True)
        follow = today
        if not isinstance(follow_up_on, date):
            gaps.add(prefix + "follow_up_on", "Set a date to follow the escalation up.")
        elif follow_up_on < today:
            gaps.add(prefix + "follow_up_on", "The follow-up date cannot be in the past.")
        else:
            follow = follow_up_on
        return cls(chosen, whom, raised, why, follow)


@dataclass(frozen=True)
class NewOutcome:
    """One outcome of a referral, dated, and whether the lead agrees with it.

    ``escalation`` is required exactly when the lead disagrees: a disagreement is
    challenged, never only noted.
    """

    outcome: AgencyOutcome
    decided_on: date
    note: str
    conference_result: ConferenceResult | None
    lead_agrees: bool
    escalation: NewEscalation | None = None

    @classmethod
    def checked(
        cls, *, outcome: object, decided_on: object, note: object = "",
        conference_result: object = None, lead_agrees: object, escalation: object = None,
        kind: ReferralKind, today: date, referred_on: date,
    ) -> NewOutcome:  # fmt: skip
        gaps = _Gaps()
        chosen: AgencyOutcome | None
        try:
            chosen = AgencyOutcome(str(outcome))
        except ValueError:
            chosen = None
            gaps.add("outcome", "Choose what they decided.")
        if chosen is not None and not chosen.applies_to(kind):
            gaps.add(
                "outcome",
                f"'{chosen.label}' does not follow a referral to {kind.label.lower()}; "
                "choose another, or 'Something else' and say what.",
            )
        day = gaps.day(decided_on, "decided_on", "When", today=today, earliest=referred_on)
        needs_note = chosen in (AgencyOutcome.NO_FURTHER_ACTION, AgencyOutcome.OTHER)
        note_label = chosen.note_label if chosen is not None else "What they said"
        text = gaps.text(note, "note", note_label, required=needs_note)
        result: ConferenceResult | None = None
        if chosen is AgencyOutcome.CONFERENCE:
            try:
                result = ConferenceResult(str(conference_result))
            except ValueError:
                gaps.add("conference_result", "Say what the conference decided.")
        if not isinstance(lead_agrees, bool):
            gaps.add("lead_agrees", "Say whether you agree with their decision.")
            agrees = True
        else:
            agrees = lead_agrees
        raised: NewEscalation | None = None
        if not agrees:
            if not isinstance(escalation, NewEscalation):
                gaps.add(
                    "escalation.to_whom",
                    "You disagree: challenge it under the local resolution policy, and "
                    "record with whom you raised it and when.",
                )
            else:
                raised = NewEscalation._check(
                    gaps,
                    "escalation.",
                    escalation.stage,
                    escalation.to_whom,
                    escalation.raised_on,
                    escalation.reason,
                    escalation.follow_up_on,
                    today,
                    referred_on,
                )
                if raised.raised_on < day:
                    gaps.add(
                        "escalation.raised_on",
                        "The escalation is dated before the decision it challenges; "
                        "please check the dates.",
                    )
        gaps.raise_any()
        assert chosen is not None
        return cls(chosen, day, text, result, agrees, raised)


@dataclass(frozen=True)
class EscalationResult:
    """How a stage of an escalation ended."""

    result: str
    result_on: date

    @classmethod
    def checked(
        cls, *, result: object, result_on: object, today: date, raised_on: date
    ) -> EscalationResult:
        gaps = _Gaps()
        text = gaps.text(result, "result", "The result", required=True)
        day = gaps.day(
            result_on, "result_on", "When it was resolved", today=today, earliest=raised_on
        )
        gaps.raise_any()
        return cls(text, day)


# Read models ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AcknowledgementRecord:
    acknowledgement_id: int
    referral_id: int
    acknowledged_on: date
    by: str
    their_reference: str
    recorded_at: str
    recorded_by: str


@dataclass(frozen=True)
class OutcomeRecord:
    outcome_id: int
    referral_id: int
    outcome: AgencyOutcome | str  # str: an id this version does not know
    decided_on: date
    note: str
    conference_result: ConferenceResult | None
    lead_agrees: bool
    recorded_at: str
    recorded_by: str

    @property
    def label(self) -> str:
        if isinstance(self.outcome, AgencyOutcome):
            return self.outcome.label
        return self.outcome.replace("_", " ").capitalize()


@dataclass(frozen=True)
class EscalationRecord:
    escalation_id: int
    referral_id: int
    outcome_id: int | None
    stage: EscalationStage
    to_whom: str
    raised_on: date
    reason: str
    recorded_at: str
    recorded_by: str
    result: str | None = None
    result_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.result is None


@dataclass(frozen=True)
class ReferralProgress:
    """Everything recorded after one referral, oldest first."""

    referral_id: int
    acknowledgements: tuple[AcknowledgementRecord, ...] = ()
    outcomes: tuple[OutcomeRecord, ...] = ()
    escalations: tuple[EscalationRecord, ...] = ()

    @property
    def open_escalation(self) -> EscalationRecord | None:
        return next((e for e in reversed(self.escalations) if e.is_open), None)


def referred_on(created_at: str) -> date:
    """The local day a referral was made (its ``created_at``, UTC): nothing recorded after
    it can be dated earlier."""
    made = datetime.fromisoformat(created_at)
    return (made.astimezone() if made.tzinfo else made).date()


def chase_days_checked(value: object) -> int:
    """The working days after a social care referral before its chase is due."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput("Give a whole number of working days.", "chase_working_days")
    if not 1 <= value <= MAX_CHASE_WORKING_DAYS:
        raise BadInput(
            f"Chase an outcome between 1 and {MAX_CHASE_WORKING_DAYS} working days after "
            "the referral.",
            "chase_working_days",
        )
    return value
