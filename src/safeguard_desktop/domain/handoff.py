"""The DSL's handoff: what the guided wizard asks, the routes it can end in, and their rules.

One wizard, several paths through it (statutory guidance: Keeping Children Safe in
Education; Working Together to Safeguard Children):

* a child in immediate danger: call 999 now, and record the call;
* an allegation about an adult who works with children: the LADO, within one working
  day, without investigating first;
* the threshold decision: significant harm (or the risk of it) means a referral to
  children's social care; needs not being met mean early help, with consent; below
  both, monitor with a review date; radicalisation means Prevent;
* information sharing: consent, the lawful basis, whether parents were told;
* the referral's content; then the decision, its reason and a follow-up date.

:meth:`HandoffDecision.checked` is the one gate: the wizard and any other caller are
refused with the same sentence, naming the step and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from .errors import BadInput
from .referral import AdultDetails, ReferralContent, ReferralKind
from .text import clean_text

# The lawful basis a DSL relies on when sharing without consent; offered as the default.
DEFAULT_LAWFUL_BASIS = (
    "Safeguarding a child comes first. UK GDPR Article 6(1)(e) (public task) or 6(1)(f) "
    "(legitimate interests), and the Data Protection Act 2018, Schedule 8 paragraph 4 "
    "(safeguarding of children and individuals at risk), allow information to be shared "
    "without consent where that is needed to protect a child."
)


class Outcome(StrEnum):
    """Where the threshold decision leads."""

    SOCIAL_CARE = "social_care_referral"
    EARLY_HELP = "early_help"
    MONITOR = "monitor"
    PREVENT = "prevent_referral"

    @property
    def label(self) -> str:
        return {
            Outcome.SOCIAL_CARE: "Referral to children's social care",
            Outcome.EARLY_HELP: "Early help (with consent)",
            Outcome.MONITOR: "Monitor, with a review date",
            Outcome.PREVENT: "Prevent referral",
        }[self]

    @property
    def referral_kind(self) -> ReferralKind | None:
        """The referral this outcome makes, if any."""
        return {
            Outcome.SOCIAL_CARE: ReferralKind.SOCIAL_CARE,
            Outcome.EARLY_HELP: ReferralKind.EARLY_HELP,
            Outcome.PREVENT: ReferralKind.PREVENT,
        }.get(self)


class Consent(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    NOT_SOUGHT = "not_sought"

    @property
    def label(self) -> str:
        return {
            Consent.GIVEN: "Consent sought and given",
            Consent.REFUSED: "Consent sought and refused",
            Consent.NOT_SOUGHT: "Consent not sought",
        }[self]


@dataclass(frozen=True)
class PoliceCall:
    called_at: datetime
    incident_number: str = ""
    spoke_to: str = ""
    notes: str = ""


@dataclass(frozen=True)
class LadoContact:
    """The LADO route. ``contacted_at`` None: not yet, and a follow-up is due next working day."""

    adult: AdultDetails
    allegation: str
    contacted_at: datetime | None = None
    officer: str = ""
    advice: str = ""


@dataclass(frozen=True)
class AdviceSought:
    from_whom: str
    advice: str = ""


@dataclass(frozen=True)
class InformationSharing:
    consent: Consent
    consent_reason: str  # why not sought, or what was said when refused; may be blank if given
    lawful_basis: str
    parents_told: bool
    parents_not_told_reason: str = ""


@dataclass(frozen=True)
class HandoffDecision:
    """Everything the wizard gathered, checked against the rules above."""

    immediate_danger: bool
    police: PoliceCall | None
    allegation_against_adult: bool
    lado: LadoContact | None
    outcome: Outcome
    reason: str
    advice: AdviceSought | None
    information_sharing: InformationSharing | None
    referral: ReferralContent | None
    review_on: date | None
    follow_up_on: date
    follow_up_what: str

    @property
    def referral_kinds(self) -> tuple[ReferralKind, ...]:
        """Every referral this decision makes: the threshold one, and the LADO's."""
        kinds: list[ReferralKind] = []
        if self.outcome.referral_kind is not None:
            kinds.append(self.outcome.referral_kind)
        if self.lado is not None:
            kinds.append(ReferralKind.LADO)
        return tuple(kinds)

    @classmethod
    def checked(
        cls,
        *,
        immediate_danger: bool,
        police: PoliceCall | None,
        allegation_against_adult: bool,
        lado: LadoContact | None,
        outcome: object,
        reason: object,
        advice: AdviceSought | None,
        information_sharing: InformationSharing | None,
        referral: ReferralContent | None,
        review_on: date | None,
        follow_up_on: date | None,
        follow_up_what: object = "",
        now: datetime,
    ) -> HandoffDecision:
        today = now.date()
        if immediate_danger:
            if police is None:
                raise BadInput(
                    "A child is in immediate danger: call 999 now, then record the call.",
                    "police.called_at",
                )
            police = PoliceCall(
                called_at=_past(police.called_at, now, "police.called_at", "When you called"),
                incident_number=_line(
                    police.incident_number, "police.incident_number", "Incident number"
                ),
                spoke_to=_line(police.spoke_to, "police.spoke_to", "Who you spoke to"),
                notes=clean_text(police.notes, "police.notes", label="What the police said"),
            )
        else:
            police = None
        if allegation_against_adult:
            if lado is None:
                raise BadInput(
                    "An allegation about an adult who works with children goes to the LADO; "
                    "record the adult's details and the allegation.",
                    "lado.adult.name",
                )
            lado = LadoContact(
                adult=AdultDetails.checked(**lado.adult.__dict__),
                allegation=clean_text(
                    lado.allegation, "lado.allegation", required=True, label="The allegation"
                ),
                contacted_at=(
                    None
                    if lado.contacted_at is None
                    else _past(
                        lado.contacted_at, now, "lado.contacted_at", "When you contacted the LADO"
                    )
                ),
                officer=_line(lado.officer, "lado.officer", "The LADO's name"),
                advice=clean_text(lado.advice, "lado.advice", label="The LADO's advice"),
            )
        else:
            lado = None
        try:
            chosen = Outcome(str(outcome))
        except ValueError:
            raise BadInput("Choose what happens next: the threshold decision.", "outcome") from None
        reason_text = clean_text(
            reason, "reason", required=True, label="The reason for the decision"
        )
        if advice is not None and advice.from_whom.strip():
            advice = AdviceSought(
                from_whom=_line(advice.from_whom, "advice.from_whom", "Advice from"),
                advice=clean_text(advice.advice, "advice.advice", label="The advice given"),
            )
        else:
            advice = None
        makes_referral = chosen.referral_kind is not None or lado is not None
        if chosen.referral_kind is not None and information_sharing is None:
            raise BadInput(
                "Record what was decided about consent and sharing.",
                "information_sharing.consent",
            )
        if information_sharing is not None:
            information_sharing = _checked_sharing(information_sharing, chosen)
        if makes_referral:
            if referral is None:
                raise BadInput("Fill in what the referral will say.", "referral.summary")
            referral = ReferralContent.checked(**referral.__dict__)
        else:
            referral = None
        if chosen is Outcome.MONITOR:
            if review_on is None:
                raise BadInput("Monitoring needs a review date.", "review_on")
            if review_on <= today:
                raise BadInput("The review date must be after today.", "review_on")
        else:
            review_on = None
        if follow_up_on is None:
            raise BadInput("Set a date to follow this up.", "follow_up_on")
        if follow_up_on < today:
            raise BadInput("The follow-up date cannot be in the past.", "follow_up_on")
        what = clean_text(
            follow_up_what, "follow_up_what", max_length=1_000, label="What to follow up"
        )
        if not what.strip():
            what = f"Follow up: {chosen.label.lower()}"
        return cls(
            immediate_danger=immediate_danger,
            police=police,
            allegation_against_adult=allegation_against_adult,
            lado=lado,
            outcome=chosen,
            reason=reason_text,
            advice=advice,
            information_sharing=information_sharing,
            referral=referral,
            review_on=review_on,
            follow_up_on=follow_up_on,
            follow_up_what=what,
        )


def _checked_sharing(sharing: InformationSharing, outcome: Outcome) -> InformationSharing:
    try:
        consent = Consent(str(sharing.consent))
    except ValueError:
        raise BadInput(
            "Say whether consent was sought, given or refused.", "information_sharing.consent"
        ) from None
    if outcome is Outcome.EARLY_HELP and consent is not Consent.GIVEN:
        raise BadInput(
            "Early help needs the family's consent. If they refuse and you are still "
            "worried about the child, consider a referral to children's social care instead.",
            "information_sharing.consent",
        )
    reason = clean_text(sharing.consent_reason, "information_sharing.consent_reason", label="Why")
    if consent is not Consent.GIVEN and not reason.strip():
        raise BadInput(
            "Say why consent was not sought, or what was said when it was refused.",
            "information_sharing.consent_reason",
        )
    basis = clean_text(
        sharing.lawful_basis,
        "information_sharing.lawful_basis",
        required=True,
        max_length=5_000,
        label="Lawful basis for sharing",
    )
    not_told = clean_text(
        sharing.parents_not_told_reason,
        "information_sharing.parents_not_told_reason",
        label="Why parents were not told",
    )
    if not sharing.parents_told and not not_told.strip():
        raise BadInput(
            "Say why the parents or carers were not told (for example, telling them "
            "could put the child at greater risk).",
            "information_sharing.parents_not_told_reason",
        )
    return InformationSharing(
        consent=consent,
        consent_reason=reason,
        lawful_basis=basis,
        parents_told=sharing.parents_told,
        parents_not_told_reason=not_told if not sharing.parents_told else "",
    )


def _line(value: str, field: str, label: str) -> str:
    return clean_text(value, field, max_length=500, multiline=False, label=label).strip()


def _past(when: datetime, now: datetime, field: str, label: str) -> datetime:
    local = when if when.tzinfo is None else when.astimezone().replace(tzinfo=None)
    local_now = now if now.tzinfo is None else now.astimezone().replace(tzinfo=None)
    if (local - local_now).total_seconds() > 300:
        raise BadInput(f"'{label}' is in the future; please check it.", field)
    return local.replace(microsecond=0)


def next_working_day(day: date) -> date:
    """The next weekday after ``day`` (bank holidays are not known to the program)."""
    following = day + timedelta(days=1)
    while following.weekday() >= 5:
        following += timedelta(days=1)
    return following
