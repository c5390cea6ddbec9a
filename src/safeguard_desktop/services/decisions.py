"""A DSL's decision for one child of a concern, from the wizard or from a JSON file.

A concern may name several children, from different families; each has their own
decision and their own referral. This module finds which child a caller means, reads
the decision JSON the command line's ``decide`` takes (docs/decision.schema.json), and
records it through the same gate as the handoff wizard
(:meth:`~..domain.handoff.HandoffDecision.checked`), so the two cannot differ.

Messages never name a child (services/child_choice.py words them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..domain.child_situation import ChildSituation, PersonCausingHarm
from ..domain.errors import BadInput, IncompleteDecision
from ..domain.handoff import (
    AdviceSought,
    HandoffDecision,
    InformationSharing,
    LadoContact,
    Outcome,
    PoliceCall,
)
from ..domain.lawful_basis import lawful_basis_for
from ..domain.referral import AdultDetails, ReferralContent, ReferralKind
from ..domain.routes import (
    AgencyInformed,
    ChannelDecision,
    FgmReport,
    PoliceReport,
    PreventContact,
    Routes,
)
from ..domain.working_days import Nation
from . import casework
from .casework_settings import read_settings
from .child_choice import choose_child
from .handoff import HandoffResult, record_handoff, referral_prefill

if TYPE_CHECKING:
    from .session import CaseSession


# The decision JSON -------------------------------------------------------------------------

_TOP_KEYS = frozenset(
    {
        "child",
        "immediate_danger",
        "police",
        "allegation_against_adult",
        "lado",
        "outcome",
        "reason",
        "urgency",
        "consent",
        "consent_reason",
        "lawful_basis",
        "parents_told",
        "parents_not_told_reason",
        "child_views",
        "child_now",
        "keep_from_family",
        "person_causing_harm",
        "referrer_relationship",
        "parents_views",
        "advice",
        "referral",
        "review_on",
        "follow_up_on",
        "follow_up_what",
        "police_report",
        "fgm",
        "prevent",
        "agencies_informed",
    }
)
_POLICE_REPORT_KEYS = frozenset(
    {"line", "reported_at", "crime_reference", "officer", "what_they_said"}
)
_FGM_KEYS = frozenset({"known", "by_teacher", "teacher", "reported_at", "police_reference"})
_PREVENT_KEYS = frozenset({"contacted", "contacted_at", "channel_decision", "channel_note"})
_AGENCY_KEYS = frozenset({"agency", "informed_on", "who"})
_POLICE_KEYS = frozenset({"called_at", "incident_number", "spoke_to", "notes"})
_LADO_KEYS = frozenset(
    {
        "allegation",
        "adult",
        "contacted_at",
        "officer",
        "advice",
        "raised_by",
        "child_social_worker",
        "interim_steps",
        "interim_reason",
    }
)
_ADULT_KEYS = frozenset(
    {
        "name",
        "role",
        "employment",
        "started_on",
        "ended_on",
        "workplace",
        "date_of_birth",
        "contact",
        "other_work_with_children",
        "aware",
        "previous_concerns",
        "own_children",
    }
)
_HARM_KEYS = frozenset({"name", "relationship", "lives_with_child", "contact_with_other_children"})
_ADVICE_KEYS = frozenset({"from", "advice"})
_REFERRAL_KEYS = frozenset(ReferralContent.__dataclass_fields__)


class _Reader:
    """Typed reads from the decision JSON; every wrong type or unknown key is one gap."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, field: str, message: str) -> None:
        self.problems.append((field, message))

    def obj(self, data: object, field: str, keys: frozenset[str]) -> dict[str, object] | None:
        if data is None:
            return None
        if not isinstance(data, dict):
            self.fail(field or "decision", f"'{field or 'the decision'}' must be a JSON object.")
            return None
        for key in sorted(set(data) - keys):
            shown = key[:40]
            where = f"{field}.{shown}" if field else shown
            self.fail(where, f"'{where}' is not a field of a decision (see decision.schema.json).")
        return data

    def text(self, data: Mapping[str, object], key: str, field: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(field, f"'{field}' must be text.")
            return ""
        return value

    def flag(self, data: Mapping[str, object], key: str, field: str) -> bool | None:
        value = data.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.fail(field, f"'{field}' must be true or false.")
        return None

    def day(self, data: Mapping[str, object], key: str, field: str) -> date | None:
        value = self.text(data, key, field)
        if not value:
            return None
        try:
            # Python also reads "20271223" and week dates; the schema says YYYY-MM-DD.
            if not _DAY.fullmatch(value):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(field, f"'{field}' must be a date written YYYY-MM-DD.")
            return None
        if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
            self.fail(field, f"'{field}' must be a date between {_FIRST_YEAR} and {_LAST_YEAR}.")
            return None
        return day

    def moment(self, data: Mapping[str, object], key: str, field: str) -> datetime | None:
        value = self.text(data, key, field)
        if not value:
            return None
        try:
            if not _MOMENT.fullmatch(value):
                raise ValueError(value)
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(field, f"'{field}' must be a date and time written YYYY-MM-DDTHH:MM.")
            return None
        # Within these years a time-zone offset can always be turned into local time.
        if not _FIRST_YEAR <= moment.year <= _LAST_YEAR:
            self.fail(field, f"'{field}' must be a time between {_FIRST_YEAR} and {_LAST_YEAR}.")
            return None
        return moment


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?", re.ASCII
)
_FIRST_YEAR, _LAST_YEAR = 1900, 9998


def decision_from_json(
    data: object,
    *,
    now: datetime,
    lawful_basis: str,
    prefill: Callable[[ReferralKind], ReferralContent],
    categories: tuple[str, ...] | None = None,
    nation: Nation | None = None,
) -> HandoffDecision:
    """One child's decision from the ``decide`` JSON, checked as the wizard checks it.

    Every problem (a wrong type, an unknown field, a rule broken) is listed at once in
    one :class:`IncompleteDecision`. ``prefill(kind)`` gives what the referral says when
    the JSON has no ``referral`` object, as the wizard prefills it from the concern.
    """
    read = _Reader()
    if not isinstance(data, dict):
        raise BadInput("The decision must be one JSON object: { ... }.", "--json")
    top = read.obj(data, "", _TOP_KEYS)
    assert top is not None
    danger = bool(read.flag(top, "immediate_danger", "immediate_danger"))
    police = None
    police_data = read.obj(top.get("police"), "police", _POLICE_KEYS)
    if police_data is not None:
        called = read.moment(police_data, "called_at", "police.called_at")
        if called is None and "police.called_at" not in dict(read.problems):
            read.fail("police.called_at", "Say when you called the police ('police.called_at').")
        if called is not None:
            police = PoliceCall(
                called_at=called,
                incident_number=read.text(police_data, "incident_number", "police.incident_number"),
                spoke_to=read.text(police_data, "spoke_to", "police.spoke_to"),
                notes=read.text(police_data, "notes", "police.notes"),
            )
    allegation = bool(read.flag(top, "allegation_against_adult", "allegation_against_adult"))
    lado = _lado(read, top.get("lado"))
    outcome = read.text(top, "outcome", "outcome")
    sharing = None
    if any(key in top for key in ("consent", "parents_told", "consent_reason")):
        told = read.flag(top, "parents_told", "parents_told")
        if told is None and "parents_told" not in dict(read.problems):
            read.fail("parents_told", "Say whether the parents or carers were told.")
        sharing = InformationSharing(
            consent=read.text(top, "consent", "consent"),  # type: ignore[arg-type]  # checked
            consent_reason=read.text(top, "consent_reason", "consent_reason"),
            lawful_basis=read.text(top, "lawful_basis", "lawful_basis") or lawful_basis,
            parents_told=bool(told),
            parents_not_told_reason=read.text(
                top, "parents_not_told_reason", "parents_not_told_reason"
            ),
        )
    harm = None
    harm_data = read.obj(top.get("person_causing_harm"), "person_causing_harm", _HARM_KEYS)
    if harm_data is not None:
        harm = PersonCausingHarm(
            name=read.text(harm_data, "name", "person_causing_harm.name"),
            relationship=read.text(harm_data, "relationship", "person_causing_harm.relationship"),
            lives_with_child=read.flag(
                harm_data, "lives_with_child", "person_causing_harm.lives_with_child"
            ),
            contact_with_other_children=read.text(
                harm_data,
                "contact_with_other_children",
                "person_causing_harm.contact_with_other_children",
            ),
        )
    situation = ChildSituation(
        urgency=read.text(top, "urgency", "urgency") or None,  # type: ignore[arg-type]  # checked
        child_views=read.text(top, "child_views", "child_views"),
        child_now=read.text(top, "child_now", "child_now"),
        keep_from_family=read.text(top, "keep_from_family", "keep_from_family"),
        person_causing_harm=harm,
        referrer_relationship=read.text(top, "referrer_relationship", "referrer_relationship"),
        parents_views=read.text(top, "parents_views", "parents_views"),
    )
    advice = None
    advice_data = read.obj(top.get("advice"), "advice", _ADVICE_KEYS)
    if advice_data is not None:
        advice = AdviceSought(
            from_whom=read.text(advice_data, "from", "advice.from"),
            advice=read.text(advice_data, "advice", "advice.advice"),
        )
    referral_data = read.obj(top.get("referral"), "referral", _REFERRAL_KEYS)
    content = None
    if referral_data is not None:
        content = ReferralContent(
            **{key: read.text(referral_data, key, f"referral.{key}") for key in _REFERRAL_KEYS}
        )
    else:
        kind = _kind_of(outcome, lado)
        content = prefill(kind) if kind is not None else None
    routes = _routes(read, top, now)
    review_on = read.day(top, "review_on", "review_on")
    follow_up_on = read.day(top, "follow_up_on", "follow_up_on")
    follow_up_what = read.text(top, "follow_up_what", "follow_up_what")
    reason = read.text(top, "reason", "reason")
    problems = list(read.problems)
    try:
        decision = HandoffDecision.checked(
            immediate_danger=danger,
            police=police,
            allegation_against_adult=allegation,
            lado=lado,
            outcome=outcome,
            reason=reason,
            advice=advice,
            information_sharing=sharing,
            referral=content,
            review_on=review_on,
            follow_up_on=follow_up_on,
            follow_up_what=follow_up_what,
            situation=situation,
            routes=routes,
            categories=categories,
            nation=nation,
            now=now,
        )
    except IncompleteDecision as error:
        # A field already refused for its type is not reported twice as missing.
        seen = {field for field, _ in problems}
        problems += [
            (_json_key(field), message)
            for field, message in error.problems
            if _json_key(field) not in seen
        ]
        raise IncompleteDecision(problems, "The decision was not recorded:") from None
    if problems:
        raise IncompleteDecision(problems, "The decision was not recorded:")
    return decision


def _json_key(field: str) -> str:
    """The decision JSON's name for a field the domain names (the information-sharing
    fields are top-level keys in the JSON, grouped in the domain)."""
    return field.removeprefix("information_sharing.")


def _routes(read: _Reader, top: Mapping[str, object], now: datetime) -> Routes:
    """The police report, the FGM report, Prevent and the agencies told, as given."""
    police = None
    police_data = read.obj(top.get("police_report"), "police_report", _POLICE_REPORT_KEYS)
    if police_data is not None:
        police = PoliceReport(
            line=read.text(police_data, "line", "police_report.line"),  # type: ignore[arg-type]  # checked
            reported_at=read.moment(police_data, "reported_at", "police_report.reported_at") or now,
            crime_reference=read.text(
                police_data, "crime_reference", "police_report.crime_reference"
            ),
            officer=read.text(police_data, "officer", "police_report.officer"),
            what_they_said=read.text(police_data, "what_they_said", "police_report.what_they_said"),
        )
        if "reported_at" not in police_data:
            read.fail("police_report.reported_at", "Say when you reported it to the police.")
    fgm = None
    fgm_data = read.obj(top.get("fgm"), "fgm", _FGM_KEYS)
    if fgm_data is not None:
        fgm = FgmReport(
            known=read.text(fgm_data, "known", "fgm.known"),  # type: ignore[arg-type]  # checked
            by_teacher=bool(read.flag(fgm_data, "by_teacher", "fgm.by_teacher")),
            teacher=read.text(fgm_data, "teacher", "fgm.teacher"),
            reported_at=read.moment(fgm_data, "reported_at", "fgm.reported_at"),
            police_reference=read.text(fgm_data, "police_reference", "fgm.police_reference"),
        )
    prevent = None
    prevent_data = read.obj(top.get("prevent"), "prevent", _PREVENT_KEYS)
    if prevent_data is not None:
        prevent = PreventContact(
            contacted=read.text(prevent_data, "contacted", "prevent.contacted"),
            contacted_at=read.moment(prevent_data, "contacted_at", "prevent.contacted_at"),
            channel_decision=read.text(  # type: ignore[arg-type]  # checked
                prevent_data, "channel_decision", "prevent.channel_decision"
            )
            or ChannelDecision.NOT_KNOWN_YET,
            channel_note=read.text(prevent_data, "channel_note", "prevent.channel_note"),
        )
    agencies: list[AgencyInformed] = []
    told = top.get("agencies_informed")
    if told is not None and not isinstance(told, list):
        read.fail("agencies_informed", "'agencies_informed' must be a list of objects.")
    for index, item in enumerate(told if isinstance(told, list) else []):
        field = f"agencies_informed[{index}]"
        entry = read.obj(item, field, _AGENCY_KEYS)
        if entry is None:
            continue
        on = read.day(entry, "informed_on", f"{field}.informed_on")
        agencies.append(
            AgencyInformed(
                agency=read.text(entry, "agency", f"{field}.agency"),  # type: ignore[arg-type]  # checked
                informed_on=on,  # type: ignore[arg-type]  # None is refused by the gate
                who=read.text(entry, "who", f"{field}.who"),
            )
        )
    return Routes(police, fgm, prevent, tuple(agencies))


def _kind_of(outcome: str, lado: LadoContact | None) -> ReferralKind | None:
    try:
        kind = Outcome(outcome).referral_kind
    except ValueError:
        kind = None
    return kind or (ReferralKind.LADO if lado is not None else None)


def _lado(read: _Reader, data: object) -> LadoContact | None:
    lado = read.obj(data, "lado", _LADO_KEYS)
    if lado is None:
        return None
    adult_data = read.obj(lado.get("adult"), "lado.adult", _ADULT_KEYS) or {}
    adult = AdultDetails(
        name=read.text(adult_data, "name", "lado.adult.name"),
        role=read.text(adult_data, "role", "lado.adult.role"),
        employment_basis=read.text(adult_data, "employment", "lado.adult.employment") or "employed",
        started_on=read.day(adult_data, "started_on", "lado.adult.started_on"),
        ended_on=read.day(adult_data, "ended_on", "lado.adult.ended_on"),
        workplace=read.text(adult_data, "workplace", "lado.adult.workplace"),
        date_of_birth=read.day(adult_data, "date_of_birth", "lado.adult.date_of_birth"),
        contact=read.text(adult_data, "contact", "lado.adult.contact"),
        other_work_with_children=read.text(
            adult_data, "other_work_with_children", "lado.adult.other_work_with_children"
        ),
        aware=read.flag(adult_data, "aware", "lado.adult.aware"),
        previous_concerns=read.text(
            adult_data, "previous_concerns", "lado.adult.previous_concerns"
        ),
        own_children=read.text(adult_data, "own_children", "lado.adult.own_children"),
    )
    return LadoContact(
        adult=adult,
        allegation=read.text(lado, "allegation", "lado.allegation"),
        contacted_at=read.moment(lado, "contacted_at", "lado.contacted_at"),
        officer=read.text(lado, "officer", "lado.officer"),
        advice=read.text(lado, "advice", "lado.advice"),
        raised_by=read.text(lado, "raised_by", "lado.raised_by"),
        child_social_worker=read.text(lado, "child_social_worker", "lado.child_social_worker"),
        interim_steps=read.text(lado, "interim_steps", "lado.interim_steps") or None,  # type: ignore[arg-type]  # checked
        interim_reason=read.text(lado, "interim_reason", "lado.interim_reason"),
    )


# Recording it ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decided:
    """What ``decide`` recorded, for the command line (no record text, no names)."""

    concern_ref: str
    child_position: int
    child_id: int | None
    result: HandoffResult


def decide(session: CaseSession, concern_ref: str, data: object) -> Decided:
    """Record one child's decision from the ``decide`` JSON; every gap listed at once."""
    file = casework.concern_file(session, concern_ref, audit=False, suggestions=False)
    wanted = data.get("child") if isinstance(data, dict) else None
    if wanted is not None and not isinstance(wanted, str | int):
        raise BadInput("'child' must be the child's name or child record id.", "child")
    choice = choose_child(file, wanted if isinstance(wanted, str | int) else None)
    decision = decision_from_json(
        data,
        now=datetime.now().replace(microsecond=0),
        lawful_basis=lawful_basis_for(session.organisation.org_type),
        prefill=lambda kind: referral_prefill(session, file.concern.ref, kind),
        categories=file.concern.recorded.categories,
        nation=read_settings(session.conn).nation,
    )
    result = record_handoff(session, file.concern.ref, decision, child=choice.position)
    return Decided(
        concern_ref=file.concern.ref,
        child_position=choice.position,
        child_id=choice.linked.child_id if choice.linked is not None else None,
        result=result,
    )
