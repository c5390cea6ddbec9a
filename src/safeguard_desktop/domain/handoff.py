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

A decision belongs to one child named in the concern, never to the concern: two
children in one incident may come from different families and need different routes.

:meth:`HandoffDecision.checked` is the one gate: the wizard, the command line's
``decide`` and any other caller are refused with the same sentences, every gap listed
at once (:class:`~.errors.IncompleteDecision`), each naming its field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from .child_situation import ChildSituation, PersonCausingHarm, Urgency
from .errors import BadInput, IncompleteDecision
from .lawful_basis import lawful_basis_for
from .organisation import OrgType
from .referral import AdultDetails, InterimStep, ReferralContent, ReferralKind
from .routes import Routes, check_routes
from .text import clean_name, clean_text
from .working_days import Nation

# The lawful basis a school relies on when sharing without consent; a club's differs
# (domain/lawful_basis.py). Offered as the default, always editable.
DEFAULT_LAWFUL_BASIS = lawful_basis_for(OrgType.SCHOOL)

T = TypeVar("T")

INTERIM_STEPS_NEEDED = (
    "Say what has been done about the adult while the LADO advises: suspended, "
    "redeployed away from children, or no interim step."
)
INTERIM_REASON_NEEDED = (
    "Say why: for example, suspended to keep the children safe until the LADO advises, or "
    "no step because they will not work with children before then."
)
PARENTS_VIEWS_NEEDED = (
    "The parents or carers were told of the referral: say what they think of it (or that "
    "they gave no view)."
)


class Outcome(StrEnum):
    """Where the threshold decision leads."""

    SOCIAL_CARE = "social_care_referral"
    EARLY_HELP = "early_help"
    MONITOR = "monitor"
    PREVENT = "prevent_referral"
    POLICE = "police_report"  # reported to the police; no referral made here

    @property
    def label(self) -> str:
        return {
            Outcome.SOCIAL_CARE: "Referral to children's social care",
            Outcome.EARLY_HELP: "Early help (with consent)",
            Outcome.MONITOR: "Monitor, with a review date",
            Outcome.PREVENT: "Prevent referral",
            Outcome.POLICE: "Report to the police (999 or 101)",
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
    """The LADO route. ``contacted_at`` None: not yet, and a follow-up is due the next working
    day (domain/working_days.py: weekends and the organisation's nation's bank holidays
    skipped)."""

    adult: AdultDetails
    allegation: str
    contacted_at: datetime | None = None
    officer: str = ""
    advice: str = ""
    raised_by: str = ""  # who raised the allegation, and how it came to light
    child_social_worker: str = ""  # the child's social worker, if known
    interim_steps: InterimStep | None = None  # what the employer has done meanwhile
    interim_reason: str = ""  # why that step (or none)


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
    situation: ChildSituation = field(default_factory=ChildSituation)
    # The police as a route, the FGM duty's report, Prevent, agencies told (domain/routes.py).
    routes: Routes = field(default_factory=Routes)

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
        situation: ChildSituation | None = None,
        routes: Routes | None = None,
        categories: Iterable[str] | None = None,
        nation: Nation | None = None,
        now: datetime,
    ) -> HandoffDecision:
        """The decision, checked; else :class:`IncompleteDecision` listing every gap.

        ``categories`` (the concern's) and ``nation`` (the organisation's) decide whether
        the FGM reporting duty applies; services/handoff.record_handoff passes them again
        whoever built the decision, so leaving them out cannot get round it.
        """
        today = now.date()
        gaps = _Gaps()
        if immediate_danger:
            if police is None:
                gaps.add(
                    "police.called_at",
                    "A child is in immediate danger: call 999 now, then record the call.",
                )
            else:
                called = police
                police = gaps.check(lambda: _checked_police(called, now))
        else:
            police = None
        if allegation_against_adult:
            if lado is None:
                gaps.add(
                    "lado.adult.name",
                    "An allegation about an adult who works with children goes to the LADO; "
                    "record the adult's details and the allegation.",
                )
            else:
                lado = _checked_lado(lado, now, gaps)
        else:
            lado = None
        chosen: Outcome | None
        try:
            chosen = Outcome(str(outcome))
        except ValueError:
            chosen = None
            gaps.add("outcome", "Choose what happens next: the threshold decision.")
        reason_text = gaps.check(
            lambda: clean_text(reason, "reason", required=True, label="The reason for the decision")
        )
        if advice is not None and advice.from_whom.strip():
            sought = advice
            advice = gaps.check(lambda: _checked_advice(sought))
        else:
            advice = None
        threshold_kind = chosen.referral_kind if chosen is not None else None
        makes_referral = threshold_kind is not None or lado is not None
        if threshold_kind is not None and information_sharing is None:
            gaps.add(
                "information_sharing.consent", "Record what was decided about consent and sharing."
            )
        if information_sharing is not None and chosen is not None:
            information_sharing = _checked_sharing(information_sharing, chosen, gaps)
        if makes_referral:
            if referral is None:
                gaps.add("referral.summary", "Fill in what the referral will say.")
            else:
                referral = gaps.check(lambda: ReferralContent.checked(**referral.__dict__))
        else:
            referral = None
        checked_situation = _checked_situation(situation or ChildSituation(), gaps)
        checked_routes, route_gaps = check_routes(
            routes or Routes(),
            police_required=chosen is Outcome.POLICE,
            prevent_required=chosen is Outcome.PREVENT,
            categories=categories,
            nation=nation,
            now=now,
        )
        for gap in route_gaps:
            gaps.add(*gap)
        if threshold_kind in (ReferralKind.SOCIAL_CARE, ReferralKind.PREVENT):
            # What every council's form asks first; a referral is not signed without them.
            if checked_situation.urgency is None and "urgency" not in gaps.fields():
                gaps.add("urgency", "Choose how urgent this is: immediate, today or routine.")
            if (
                threshold_kind is ReferralKind.SOCIAL_CARE
                and not checked_situation.child_now.strip()
            ):
                gaps.add(
                    "child_now",
                    "Say where the child is now and whether they are safe tonight (or that "
                    "you do not know).",
                )
        if (
            threshold_kind is not None
            and isinstance(information_sharing, InformationSharing)
            and information_sharing.parents_told
            and not checked_situation.parents_views.strip()
            and "parents_views" not in gaps.fields()
        ):
            # Every council's form asks what the family thinks of a referral they know of.
            gaps.add("parents_views", PARENTS_VIEWS_NEEDED)
        if chosen is Outcome.MONITOR:
            if review_on is None:
                gaps.add("review_on", "Monitoring needs a review date.")
            elif review_on <= today:
                gaps.add("review_on", "The review date must be after today.")
        else:
            review_on = None
        if follow_up_on is None:
            gaps.add("follow_up_on", "Set a date to follow this up.")
        elif follow_up_on < today:
            gaps.add("follow_up_on", "The follow-up date cannot be in the past.")
        what = gaps.check(
            lambda: clean_text(
                follow_up_what, "follow_up_what", max_length=1_000, label="What to follow up"
            )
        )
        gaps.raise_any()
        assert chosen is not None and follow_up_on is not None  # else a gap was raised
        if not str(what).strip():
            what = f"Follow up: {chosen.label.lower()}"
        return cls(
            immediate_danger=immediate_danger,
            police=police,
            allegation_against_adult=allegation_against_adult,
            lado=lado,
            outcome=chosen,
            reason=str(reason_text),
            advice=advice,
            information_sharing=information_sharing,
            referral=referral,
            review_on=review_on,
            follow_up_on=follow_up_on,
            follow_up_what=str(what),
            situation=checked_situation,
            routes=checked_routes,
        )


class _Gaps:
    """Every problem found in one decision, gathered so they are reported together."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.problems.append((field, message))

    def fields(self) -> set[str]:
        return {field for field, _ in self.problems}

    def check(self, make: Callable[[], T]) -> T:
        """``make()``; a :class:`BadInput` it raises is noted (its value is then unused)."""
        try:
            return make()
        except IncompleteDecision as error:
            self.problems.extend(error.problems)
        except BadInput as error:
            self.problems.append((error.field or "", error.message))
        return None  # type: ignore[return-value]  # only read when no gap was noted

    def raise_any(self) -> None:
        if self.problems:
            raise IncompleteDecision(self.problems)


def _checked_police(police: PoliceCall, now: datetime) -> PoliceCall:
    return PoliceCall(
        called_at=_past(police.called_at, now, "police.called_at", "When you called"),
        incident_number=_line(police.incident_number, "police.incident_number", "Incident number"),
        spoke_to=_line(police.spoke_to, "police.spoke_to", "Who you spoke to"),
        notes=clean_text(police.notes, "police.notes", label="What the police said"),
    )


def _checked_lado(lado: LadoContact, now: datetime, gaps: _Gaps) -> LadoContact:
    adult = gaps.check(lambda: AdultDetails.checked(**lado.adult.__dict__))
    allegation = gaps.check(
        lambda: clean_text(
            lado.allegation, "lado.allegation", required=True, label="The allegation"
        )
    )
    contacted = (
        None
        if lado.contacted_at is None
        else gaps.check(
            lambda: _past(
                lado.contacted_at,  # type: ignore[arg-type]  # not None: checked above
                now,
                "lado.contacted_at",
                "When you contacted the LADO",
            )
        )
    )
    officer = gaps.check(lambda: _line(lado.officer, "lado.officer", "The LADO's name"))
    advice = gaps.check(lambda: clean_text(lado.advice, "lado.advice", label="The LADO's advice"))
    raised_by = gaps.check(
        lambda: clean_text(
            lado.raised_by,
            "lado.raised_by",
            required=True,
            max_length=5_000,
            label="Who raised the allegation",
        )
    )
    social_worker = gaps.check(
        lambda: _line(
            lado.child_social_worker, "lado.child_social_worker", "The child's social worker"
        )
    )
    interim: InterimStep | None = None
    if str(lado.interim_steps or "") in InterimStep._value2member_map_:
        interim = InterimStep(str(lado.interim_steps))
    else:
        gaps.add("lado.interim_steps", INTERIM_STEPS_NEEDED)
    reason = str(
        gaps.check(
            lambda: clean_text(
                lado.interim_reason,
                "lado.interim_reason",
                max_length=5_000,
                label="The reason for the interim step",
            )
        )
    )
    if interim is not None and not reason.strip():
        gaps.add("lado.interim_reason", INTERIM_REASON_NEEDED)
    return LadoContact(
        adult=adult,
        allegation=allegation,
        contacted_at=contacted,
        officer=officer,
        advice=advice,
        raised_by=raised_by,
        child_social_worker=social_worker,
        interim_steps=interim,
        interim_reason=reason,
    )


def _checked_advice(advice: AdviceSought) -> AdviceSought:
    return AdviceSought(
        from_whom=_line(advice.from_whom, "advice.from_whom", "Advice from"),
        advice=clean_text(advice.advice, "advice.advice", label="The advice given"),
    )


def _checked_situation(situation: ChildSituation, gaps: _Gaps) -> ChildSituation:
    urgency = situation.urgency
    if urgency is not None:
        try:
            urgency = Urgency(str(urgency))
        except ValueError:
            gaps.add("urgency", "Choose how urgent this is: immediate, today or routine.")
            urgency = None

    def text(value: str, name: str, label: str) -> str:
        return str(gaps.check(lambda: clean_text(value, name, max_length=5_000, label=label)))

    harm = situation.person_causing_harm
    if harm is not None:
        named = harm
        name = gaps.check(
            lambda: clean_name(
                named.name,
                "person_causing_harm.name",
                label="The name of the person believed to be causing harm",
            )
        )
        harm = PersonCausingHarm(
            name=str(name),
            relationship=str(
                gaps.check(
                    lambda: _line(
                        named.relationship, "person_causing_harm.relationship", "Their relationship"
                    )
                )
            ),
            lives_with_child=named.lives_with_child,
            contact_with_other_children=text(
                named.contact_with_other_children,
                "person_causing_harm.contact_with_other_children",
                "Their contact with other children",
            ),
        )
    return ChildSituation(
        urgency=urgency,
        child_views=text(situation.child_views, "child_views", "The child's views and wishes"),
        child_now=text(situation.child_now, "child_now", "Where the child is now"),
        keep_from_family=text(
            situation.keep_from_family, "keep_from_family", "What must not be shared"
        ),
        person_causing_harm=harm,
        referrer_relationship=str(
            gaps.check(
                lambda: _line(
                    situation.referrer_relationship,
                    "referrer_relationship",
                    "Your relationship to the child",
                )
            )
        ),
        parents_views=text(
            situation.parents_views,
            "parents_views",
            "The parents' or carers' views of the referral",
        ),
    )


def _checked_sharing(
    sharing: InformationSharing, outcome: Outcome, gaps: _Gaps
) -> InformationSharing:
    consent: Consent | None
    try:
        consent = Consent(str(sharing.consent))
    except ValueError:
        consent = None
        gaps.add("information_sharing.consent", "Say whether consent was sought, given or refused.")
    if outcome is Outcome.EARLY_HELP and consent is not None and consent is not Consent.GIVEN:
        gaps.add(
            "information_sharing.consent",
            "Early help needs the family's consent. If they refuse and you are still "
            "worried about the child, consider a referral to children's social care instead.",
        )
    reason = str(
        gaps.check(
            lambda: clean_text(
                sharing.consent_reason, "information_sharing.consent_reason", label="Why"
            )
        )
    )
    if consent is not None and consent is not Consent.GIVEN and not reason.strip():
        gaps.add(
            "information_sharing.consent_reason",
            "Say why consent was not sought, or what was said when it was refused.",
        )
    basis = gaps.check(
        lambda: clean_text(
            sharing.lawful_basis,
            "information_sharing.lawful_basis",
            required=True,
            max_length=5_000,
            label="Lawful basis for sharing",
        )
    )
    not_told = str(
        gaps.check(
            lambda: clean_text(
                sharing.parents_not_told_reason,
                "information_sharing.parents_not_told_reason",
                label="Why parents were not told",
            )
        )
    )
    if not sharing.parents_told and not not_told.strip():
        gaps.add(
            "information_sharing.parents_not_told_reason",
            "Say why the parents or carers were not told (for example, telling them "
            "could put the child at greater risk).",
        )
    return InformationSharing(
        consent=consent or Consent.NOT_SOUGHT,  # only used when no gap was noted
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
