"""The routes a decision can take beside a referral: the police, the FGM duty, Prevent, and
the agencies already told.

* **The police as a route** (not the 999 call for a child in immediate danger, which
  domain/handoff.py records as ``PoliceCall``): a crime reported, or advice asked, by 999
  or 101, with the crime reference, the officer and what they said.
* **Female genital mutilation.** The FGM Act 2003, section 5B (inserted by the Serious
  Crime Act 2015), in England and Wales: a teacher who sees physical signs that FGM has
  been carried out on a girl under 18, or whom the girl tells that it has, must report it
  to the police personally, by 101, as soon as possible and at the latest within one
  month. The DSL does not do it for them, though they should be told and support it
  (Home Office, Mandatory reporting of FGM: procedural information, 2020). Scotland and
  Northern Ireland have no such duty: the usual safeguarding route applies there.
  :func:`fgm_duty_applies` says when the duty applies; the decision then records the
  report (who made it, when, the police reference) or, not made yet, a follow-up.
* **Prevent**: who at the local Prevent team was contacted, and the Channel panel's
  decision once known (Prevent duty guidance 2023; Channel duty guidance 2023).
* **Agencies already informed**: the police, the GP, the school nurse or another, with the
  date each was told, as every council's referral form asks.

Each is checked by :func:`check_routes`, called from the one gate
(:meth:`.handoff.HandoffDecision.checked`), every gap at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import StrEnum

from .date_words import long_date
from .errors import BadInput
from .text import clean_name, clean_text
from .working_days import Nation

FGM_CATEGORY = "fgm"
# Where the mandatory reporting duty applies (FGM Act 2003 s5B).
FGM_DUTY_NATIONS = frozenset({Nation.ENGLAND, Nation.WALES})
FGM_DUTY_WORDS = (
    "This is female genital mutilation and the law in England and Wales applies: a teacher "
    "who has seen signs of FGM on a girl under 18, or whom she has told, must report it to "
    "the police personally, by calling 101, as soon as possible and within one month at "
    "the latest. The lead cannot report it for them, but should be told and can help."
)

_SHORT = 500
_LONG = 5_000


class PoliceLine(StrEnum):
    EMERGENCY = "999"
    NON_EMERGENCY = "101"

    @property
    def label(self) -> str:
        return {
            PoliceLine.EMERGENCY: "999 (emergency)",
            PoliceLine.NON_EMERGENCY: "101 (non-emergency)",
        }[self]


@dataclass(frozen=True)
class PoliceReport:
    """The police as a route: what was reported, on which line, and what they said."""

    line: PoliceLine
    reported_at: datetime
    crime_reference: str = ""
    officer: str = ""
    what_they_said: str = ""

    def words(self) -> str:
        parts = [f"Reported to the police by {self.line.label}, {long_date(self.reported_at)}"]
        if self.crime_reference:
            parts.append(f"crime reference {self.crime_reference}")
        if self.officer:
            parts.append(f"officer {self.officer}")
        text = "; ".join(parts) + "."
        if self.what_they_said:
            text += f" What they said: {self.what_they_said}"
        return text


class FgmKnown(StrEnum):
    """How the FGM came to light: only the first two bring the mandatory duty."""

    TOLD_BY_GIRL = "told_by_girl"
    SIGNS_SEEN = "signs_seen"
    SUSPECTED = "suspected"  # at risk, or suspected without signs seen or being told

    @property
    def label(self) -> str:
        return {
            FgmKnown.TOLD_BY_GIRL: "The girl told a teacher it has been done",
            FgmKnown.SIGNS_SEEN: "A teacher saw physical signs it has been done",
            FgmKnown.SUSPECTED: "Suspected, or she may be at risk (no disclosure, no signs seen)",
        }[self]


@dataclass(frozen=True)
class FgmReport:
    """The mandatory report: the teacher who made it, when, and the police reference.

    ``reported_at`` None: not made yet; the decision then sets a follow-up.
    """

    known: FgmKnown
    by_teacher: bool  # a teacher saw the signs or was told (the duty is a teacher's)
    teacher: str = ""  # the teacher who reports, by name
    reported_at: datetime | None = None
    police_reference: str = ""

    def words(self) -> str:
        text = self.known.label + "."
        if self.reported_at is not None:
            text += (
                f" Reported to the police under the mandatory duty by {self.teacher}, "
                f"{long_date(self.reported_at)}"
            )
            text += f", reference {self.police_reference}." if self.police_reference else "."
        elif self.teacher:
            text += f" The mandatory report to the police by {self.teacher} is still to be made."
        return text


class ChannelDecision(StrEnum):
    NOT_KNOWN_YET = "not_known_yet"
    ADOPTED = "adopted"  # the Channel panel took the case on
    NOT_ADOPTED = "not_adopted"
    OTHER_SUPPORT = "other_support"  # signposted to other support

    @property
    def label(self) -> str:
        return {
            ChannelDecision.NOT_KNOWN_YET: "Not known yet",
            ChannelDecision.ADOPTED: "Adopted by the Channel panel",
            ChannelDecision.NOT_ADOPTED: "Not adopted by Channel",
            ChannelDecision.OTHER_SUPPORT: "Not for Channel: other support offered",
        }[self]


@dataclass(frozen=True)
class PreventContact:
    """Who at the Prevent team was contacted, when, and the Channel decision once known."""

    contacted: str
    contacted_at: datetime | None = None
    channel_decision: ChannelDecision = ChannelDecision.NOT_KNOWN_YET
    channel_note: str = ""

    def words(self) -> str:
        when = f", {long_date(self.contacted_at)}" if self.contacted_at else ""
        text = f"Prevent: contacted {self.contacted}{when}. Channel: {self.channel_decision.label}."
        return text + (f" {self.channel_note}" if self.channel_note else "")


class Agency(StrEnum):
    POLICE = "police"
    GP = "gp"
    SCHOOL_NURSE = "school_nurse"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            Agency.POLICE: "Police",
            Agency.GP: "GP",
            Agency.SCHOOL_NURSE: "School nurse",
            Agency.OTHER: "Other",
        }[self]


@dataclass(frozen=True)
class AgencyInformed:
    """An agency already told of the concern, and when; ``who`` names it for "other"."""

    agency: Agency
    informed_on: date
    who: str = ""

    def words(self) -> str:
        name = self.agency.label
        if self.who:
            name = self.who if self.agency is Agency.OTHER else f"{name} ({self.who})"
        return f"{name}, {long_date(self.informed_on)}"


@dataclass(frozen=True)
class Routes:
    """The routes of one decision beside its threshold outcome; all may be absent."""

    police_report: PoliceReport | None = None
    fgm: FgmReport | None = None
    prevent: PreventContact | None = None
    agencies_informed: tuple[AgencyInformed, ...] = ()


def fgm_duty_applies(
    categories: Iterable[str], nation: Nation | None, fgm: FgmReport | None
) -> bool:
    """Whether the mandatory FGM reporting duty applies to this concern and answer."""
    return (
        FGM_CATEGORY in set(categories)
        and nation in FGM_DUTY_NATIONS
        and fgm is not None
        and fgm.by_teacher
        and fgm.known in (FgmKnown.TOLD_BY_GIRL, FgmKnown.SIGNS_SEEN)
    )


def check_routes(
    routes: Routes,
    *,
    police_required: bool,
    prevent_required: bool,
    categories: Iterable[str] | None,
    nation: Nation | None,
    now: datetime,
) -> tuple[Routes, list[tuple[str, str]]]:
    """The routes, checked, and every gap found (field, sentence).

    ``categories`` None: the concern is not known to the caller, so the FGM question is
    checked only as far as it was answered.
    """
    gaps: list[tuple[str, str]] = []

    def gather(make: Callable[[], object], field: str) -> object:
        try:
            return make()
        except BadInput as error:
            gaps.append((error.field or field, error.message))
            return None

    police = routes.police_report
    if police is None:
        if police_required:
            gaps.append(
                (
                    "police_report.line",
                    "Record the report to the police: 999 or 101, when, the crime reference "
                    "and what they said.",
                )
            )
    else:
        report = police
        line = report.line if str(police.line) in PoliceLine._value2member_map_ else None
        if line is None:
            gaps.append(("police_report.line", "Say whether you called 999 or 101."))
        reported = gather(
            lambda: _past(report.reported_at, now, "police_report.reported_at", "When"),
            "police_report.reported_at",
        )
        police = PoliceReport(
            line=PoliceLine(str(line or PoliceLine.NON_EMERGENCY)),
            reported_at=reported if isinstance(reported, datetime) else now,
            crime_reference=str(
                gather(
                    lambda: _line(
                        report.crime_reference, "police_report.crime_reference", "Crime reference"
                    ),
                    "police_report.crime_reference",
                )
                or ""
            ),
            officer=str(
                gather(
                    lambda: _line(report.officer, "police_report.officer", "The officer"),
                    "police_report.officer",
                )
                or ""
            ),
            what_they_said=str(
                gather(
                    lambda: clean_text(
                        report.what_they_said,
                        "police_report.what_they_said",
                        max_length=_LONG,
                        label="What the police said",
                    ),
                    "police_report.what_they_said",
                )
                or ""
            ),
        )

    fgm = routes.fgm
    has_fgm = categories is not None and FGM_CATEGORY in set(categories)
    if fgm is None and has_fgm:
        gaps.append(
            (
                "fgm.known",
                "This concern is about FGM: say how it came to light (the girl told a "
                "teacher, a teacher saw signs, or it is suspected).",
            )
        )
    elif fgm is not None:
        given = fgm
        known = given.known if str(given.known) in FgmKnown._value2member_map_ else None
        if known is None:
            gaps.append(("fgm.known", "Say how the FGM came to light."))
        teacher = str(
            gather(
                lambda: clean_name(given.teacher, "fgm.teacher", label="The teacher"), "fgm.teacher"
            )
            if given.teacher.strip()
            else ""
        )
        reported_at = given.reported_at
        if reported_at is not None:
            checked_at = gather(
                lambda: _past(reported_at, now, "fgm.reported_at", "When it was reported"),
                "fgm.reported_at",
            )
            reported_at = checked_at if isinstance(checked_at, datetime) else None
        reference = str(
            gather(
                lambda: _line(given.police_reference, "fgm.police_reference", "Police reference"),
                "fgm.police_reference",
            )
            or ""
        )
        fgm = FgmReport(
            known=FgmKnown(str(known or FgmKnown.SUSPECTED)),
            by_teacher=bool(given.by_teacher),
            teacher=teacher,
            reported_at=reported_at,
            police_reference=reference,
        )
        if known is not None and fgm_duty_applies(
            [FGM_CATEGORY] if categories is None else categories, nation, fgm
        ):
            if not teacher:
                gaps.append(
                    (
                        "fgm.teacher",
                        "Name the teacher who must report it to the police personally (the "
                        "mandatory duty is theirs).",
                    )
                )
            if given.reported_at is not None and not reference:
                gaps.append(
                    ("fgm.police_reference", "Give the police reference for the FGM report.")
                )

    prevent = routes.prevent
    if prevent is None:
        if prevent_required:
            gaps.append(
                (
                    "prevent.contacted",
                    "Say who at the Prevent team you contacted (their name and team).",
                )
            )
    else:
        asked = prevent
        contacted = str(
            gather(
                lambda: clean_text(
                    asked.contacted,
                    "prevent.contacted",
                    required=True,
                    max_length=_SHORT,
                    multiline=False,
                    label="Who at the Prevent team you contacted",
                ).strip(),
                "prevent.contacted",
            )
            or ""
        )
        when = asked.contacted_at
        if when is not None:
            checked_when = gather(
                lambda: _past(when, now, "prevent.contacted_at", "When you contacted them"),
                "prevent.contacted_at",
            )
            when = checked_when if isinstance(checked_when, datetime) else None
        decision = asked.channel_decision
        if str(decision) not in ChannelDecision._value2member_map_:
            gaps.append(
                (
                    "prevent.channel_decision",
                    "Choose the Channel decision: not known yet, adopted, not adopted, or "
                    "other support.",
                )
            )
            decision = ChannelDecision.NOT_KNOWN_YET
        note = str(
            gather(
                lambda: clean_text(
                    asked.channel_note,
                    "prevent.channel_note",
                    max_length=_LONG,
                    label="About the Channel decision",
                ),
                "prevent.channel_note",
            )
            or ""
        )
        prevent = PreventContact(
            contacted=contacted,
            contacted_at=when,
            channel_decision=ChannelDecision(str(decision)),
            channel_note=note,
        )

    agencies: list[AgencyInformed] = []
    for index, told in enumerate(routes.agencies_informed):
        if str(told.agency) not in Agency._value2member_map_:
            gaps.append(
                (
                    f"agencies_informed[{index}].agency",
                    "Choose the agency: police, GP, school nurse or other.",
                )
            )
            continue
        agency = Agency(str(told.agency))
        # Named by the agency, not its place in the list: the wizard has a line for each.
        field = f"agencies_informed.{agency.value}"
        if not isinstance(told.informed_on, date):
            gaps.append((f"{field}.informed_on", "Give the date the agency was told."))
            continue
        if told.informed_on > now.date():
            gaps.append((f"{field}.informed_on", "That date is in the future; please check it."))
            continue
        who = str(
            gather(functools.partial(_line, told.who, f"{field}.who", "Which agency"), "") or ""
        )
        if agency is Agency.OTHER and not who:
            gaps.append((f"{field}.who", "Name the other agency that was told."))
        agencies.append(AgencyInformed(agency, told.informed_on, who))
    return Routes(police, fgm, prevent, tuple(agencies)), gaps


def routes_json(routes: Routes) -> dict[str, object]:
    """The routes as the decision's details keep them (and export.json shows them)."""
    data: dict[str, object] = {}
    if routes.police_report is not None:
        data["police_report"] = _plain(asdict(routes.police_report))
    if routes.fgm is not None:
        data["fgm"] = _plain(asdict(routes.fgm))
    if routes.prevent is not None:
        data["prevent"] = _plain(asdict(routes.prevent))
    if routes.agencies_informed:
        data["agencies_informed"] = [_plain(asdict(a)) for a in routes.agencies_informed]
    return data


def routes_from_json(data: object) -> Routes:
    """The routes a stored decision recorded; anything not understood is left out."""
    if not isinstance(data, dict):
        return Routes()

    def moment(value: object) -> datetime | None:
        try:
            return datetime.fromisoformat(str(value)) if value else None
        except ValueError:
            return None

    def part(key: str) -> dict[str, object]:
        value = data.get(key)
        return value if isinstance(value, dict) else {}

    police = part("police_report")
    fgm = part("fgm")
    prevent = part("prevent")
    reported = moment(police.get("reported_at"))
    agencies: list[AgencyInformed] = []
    for item in data.get("agencies_informed") or []:
        if not isinstance(item, dict):
            continue
        try:
            agencies.append(
                AgencyInformed(
                    Agency(str(item.get("agency"))),
                    date.fromisoformat(str(item.get("informed_on"))),
                    str(item.get("who") or ""),
                )
            )
        except ValueError:
            continue
    return Routes(
        police_report=PoliceReport(
            line=PoliceLine(str(police.get("line"))),
            reported_at=reported,
            crime_reference=str(police.get("crime_reference") or ""),
            officer=str(police.get("officer") or ""),
            what_they_said=str(police.get("what_they_said") or ""),
        )
        if reported is not None and str(police.get("line")) in PoliceLine._value2member_map_
        else None,
        fgm=FgmReport(
            known=FgmKnown(str(fgm.get("known"))),
            by_teacher=fgm.get("by_teacher") is True,
            teacher=str(fgm.get("teacher") or ""),
            reported_at=moment(fgm.get("reported_at")),
            police_reference=str(fgm.get("police_reference") or ""),
        )
        if str(fgm.get("known")) in FgmKnown._value2member_map_
        else None,
        prevent=PreventContact(
            contacted=str(prevent.get("contacted") or ""),
            contacted_at=moment(prevent.get("contacted_at")),
            channel_decision=ChannelDecision(str(prevent.get("channel_decision"))),
            channel_note=str(prevent.get("channel_note") or ""),
        )
        if prevent.get("contacted")
        and str(prevent.get("channel_decision")) in ChannelDecision._value2member_map_
        else None,
        agencies_informed=tuple(agencies),
    )


def _plain(data: dict[str, object]) -> dict[str, object]:
    """Dates and times as ISO text, enums as their values: JSON as the details keep it."""
    return {
        key: value.isoformat()
        if isinstance(value, date | datetime)
        else value.value
        if isinstance(value, StrEnum)
        else value
        for key, value in data.items()
    }


def _line(value: object, field: str, label: str) -> str:
    return clean_text(value, field, max_length=_SHORT, multiline=False, label=label).strip()


def _past(when: object, now: datetime, field: str, label: str) -> datetime:
    if not isinstance(when, datetime):
        raise BadInput(f"'{label}' must be a date and time.", field)
    local = when if when.tzinfo is None else when.astimezone().replace(tzinfo=None)
    local_now = now if now.tzinfo is None else now.astimezone().replace(tzinfo=None)
    if (local - local_now).total_seconds() > 300:
        raise BadInput(f"'{label}' is in the future; please check it.", field)
    return local.replace(microsecond=0)
