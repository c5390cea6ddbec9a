"""Recording the DSL's handoff decision for one child, and prefilling what the referral says.

One :class:`~safeguard_desktop.domain.handoff.HandoffDecision` for one child named in a
concern becomes, in one transaction: the decision with its reason and who made it; an
action for each call made (police, LADO, advice); a draft referral about that child for
each referral the decision makes, with the chase for social care's outcome
(services/after_referral.py); the follow-up (and, for monitoring, the review) on the
home screen; and audit entries. Another child of the same concern has a decision of
their own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from ..domain.accounts import new_reference
from ..domain.casework import ActionKind, NewAction
from ..domain.date_words import long_date
from ..domain.errors import BadInput, IncompleteDecision
from ..domain.handoff import HandoffDecision, Outcome
from ..domain.recorder_words import recorder_words
from ..domain.referral import ReferralContent, ReferralKind
from ..domain.routes import Routes, check_routes, fgm_duty_applies, routes_json
from ..domain.text import single_line
from ..storage import audit_log, case_records, casework_records
from ..storage.case_database import Connection
from . import casework
from .after_referral import add_chase
from .casework_settings import read_settings
from .changes import Changes
from .child_choice import choose_child

if TYPE_CHECKING:
    from .session import CaseSession


@dataclass(frozen=True)
class HandoffResult:
    decision_id: int
    referral_refs: tuple[str, ...]
    follow_up_ids: tuple[int, ...]
    changes: Changes  # the concern, its children, the referrals and follow-ups made


# What each referral asks for, unless the DSL writes otherwise.
_ASKING_FOR = {
    ReferralKind.SOCIAL_CARE: (
        "We ask children's social care to consider whether the child is suffering, or is "
        "likely to suffer, significant harm, and whether an assessment is needed."
    ),
    ReferralKind.EARLY_HELP: (
        "With the family's consent, we ask for an early help assessment and support for "
        "the needs described."
    ),
    ReferralKind.PREVENT: (
        "We ask the Prevent team to consider whether the child is vulnerable to "
        "radicalisation and needs support through Channel."
    ),
    ReferralKind.LADO: (
        "We ask the LADO to advise on the allegation and on what should happen next; we "
        "have not investigated and have not told the adult concerned."
    ),
}


def asking_for_default(kind: ReferralKind) -> str:
    return _ASKING_FOR[kind]


def referral_prefill(session: CaseSession, ref: str, kind: ReferralKind) -> ReferralContent:
    """What a referral about concern ``ref`` says before the DSL edits it.

    The summary says when, where and who recorded it, not what they saw: the referral
    prints the recorder's own words once, under "What was seen and heard", with any
    correction applied, and copying them here printed them twice (issue 20). The rest
    of the summary is the lead's own words about the whole picture.
    """
    file = casework.concern_file(session, ref, audit=False, suggestions=False)
    recorded = file.concern.recorded
    latest = {a.field: a.new_value for a in file.amendments}  # the last correction wins
    when_words = long_date(recorded.occurred_at)
    if "occurred_at" in latest:
        when_words += f" (corrected later: {single_line(latest['occurred_at'])})"
    place = single_line(latest.get("location", recorded.location)).strip()
    recorder = recorder_words(file.concern.submitter, session.organisation.org_type)
    summary = (
        f"On {when_words}"
        + (f", at {place}" if place else "")
        + f", {recorder} recorded this concern. What they saw and heard is printed in "
        "their own words under \u201cWhat was seen and heard\u201d."
    )
    done = [recorded.actions_taken.strip()]
    done += [
        f"{a.occurred_at[:16].replace('T', ' ')}: {a.kind.label}. {single_line(a.details)}"
        for a in file.actions
    ]
    return ReferralContent(
        summary=summary,
        child_words=recorded.child_words,
        risks="",
        needs="",
        strengths="",
        asking_for=_ASKING_FOR[kind],
        immediate_actions="\n".join(d for d in done if d),
    )


def record_handoff(
    session: CaseSession, ref: str, decision: HandoffDecision, *, child: int | None = None
) -> HandoffResult:
    """Write one child's decision and everything that follows from it; all or nothing.

    ``child`` is the child's position in the concern; it may be left out only when the
    concern names one child.
    """
    conn = session.conn
    summary = casework.summary(session, ref)
    concern_id = summary.concern_id
    file = casework.concern_file(session, summary.ref, audit=False, suggestions=False)
    if child is None:
        position = choose_child(file, None).position
    elif any(choice.position == child for choice in file.children):
        position = child
    else:
        raise BadInput("That child is not named in this concern.", "child")
    who, name = session.user.username, session.user.display_name
    now = datetime.now().replace(microsecond=0)
    today = now.date()
    settings = read_settings(conn)
    # The FGM duty depends on the concern and the organisation's nation, whatever the
    # caller passed to the gate: checked again here with both (domain/routes.py).
    _, route_gaps = check_routes(
        decision.routes,
        police_required=decision.outcome is Outcome.POLICE,
        prevent_required=decision.outcome is Outcome.PREVENT,
        categories=file.concern.recorded.categories,
        nation=settings.nation,
        now=now,
    )
    if route_gaps:
        raise IncompleteDecision(route_gaps, "The decision was not recorded:")
    details: dict[str, object] = {
        "immediate_danger": decision.immediate_danger,
        "allegation_against_adult": decision.allegation_against_adult,
        "situation": _jsonable(asdict(decision.situation)),
    }
    if decision.police is not None:
        details["police"] = _jsonable(asdict(decision.police))
    if decision.lado is not None:
        details["lado"] = _jsonable(asdict(decision.lado))
    if decision.advice is not None:
        details["advice"] = asdict(decision.advice)
    if decision.information_sharing is not None:
        details["information_sharing"] = _jsonable(asdict(decision.information_sharing))
    if decision.routes != Routes():
        details["routes"] = routes_json(decision.routes)
    follow_ups: list[int] = []
    refs: list[str] = []
    with case_records.transaction(conn):
        decision_id = casework_records.add_decision(
            conn,
            concern_id=concern_id,
            outcome=decision.outcome.value,
            reason=decision.reason,
            details=details,
            review_on=decision.review_on,
            decided_at=now.isoformat(),
            by=who,
            by_name=name,
            child_position=position,
        )
        for action in _actions(decision, now):
            casework_records.add_action(
                conn, action, child_id=None, concern_id=concern_id, by=who, decision_id=decision_id
            )
        if decision.lado is not None and decision.lado.contacted_at is None:
            follow_ups.append(
                casework_records.add_follow_up(
                    conn,
                    due_on=settings.working_days.next(today),
                    what="Contact the LADO about the allegation (within one working day).",
                    child_id=None,
                    concern_id=concern_id,
                    by=who,
                )
            )
        fgm = decision.routes.fgm
        if (
            fgm is not None
            and fgm.reported_at is None
            and fgm_duty_applies(file.concern.recorded.categories, settings.nation, fgm)
        ):
            follow_ups.append(
                casework_records.add_follow_up(
                    conn,
                    due_on=settings.working_days.next(today),
                    what=f"Check that {fgm.teacher} has reported the FGM to the police by "
                    "101 personally, as the law requires: as soon as possible, and within one "
                    "month at most. Record their police reference.",
                    child_id=None,
                    concern_id=concern_id,
                    by=who,
                )
            )
        if decision.review_on is not None:
            follow_ups.append(
                casework_records.add_follow_up(
                    conn,
                    due_on=decision.review_on,
                    what="Review the monitoring decision.",
                    child_id=None,
                    concern_id=concern_id,
                    by=who,
                )
            )
        follow_ups.append(
            casework_records.add_follow_up(
                conn,
                due_on=decision.follow_up_on,
                what=decision.follow_up_what,
                child_id=None,
                concern_id=concern_id,
                by=who,
            )
        )
        for kind in decision.referral_kinds:
            assert decision.referral is not None  # checked() requires it for a referral
            content = decision.referral
            extra: dict[str, object] = {}
            if kind is ReferralKind.LADO:
                assert decision.lado is not None
                extra = {
                    "adult": _jsonable(asdict(decision.lado.adult)),
                    "allegation": decision.lado.allegation,
                }
                # The wizard prefills the threshold referral's request; the LADO's differs.
                threshold_defaults = {v for k, v in _ASKING_FOR.items() if k is not kind}
                if not content.asking_for.strip() or content.asking_for in threshold_defaults:
                    content = ReferralContent(
                        **{**content.to_json(), "asking_for": _ASKING_FOR[kind]}
                    )
            referral_ref = new_referral_ref(conn)
            referral_id = casework_records.add_referral(
                conn,
                ref=referral_ref,
                concern_id=concern_id,
                decision_id=decision_id,
                kind=kind,
                content=content,
                extra=extra,
                by=who,
                child_position=position,
            )
            refs.append(referral_ref)
            if kind is ReferralKind.SOCIAL_CARE:
                # Social care decides within one working day: chase it if not.
                follow_ups.append(
                    add_chase(
                        conn,
                        referral_id=referral_id,
                        referral_ref=referral_ref,
                        concern_id=concern_id,
                        child_position=position,
                        made_on=today,
                        by=who,
                    )
                )
        audit_log.append(
            conn,
            who,
            "handoff_decision",
            {
                "ref": summary.ref,
                "child": position,
                "decision_id": decision_id,
                "outcome": decision.outcome.value,
                "police_called": decision.police is not None,
                "lado": decision.lado is not None,
                "referrals": refs,
            },
        )
    changes = Changes.of(
        concerns=[summary.ref],
        children=[choice.link.child_id for choice in file.children],
        referrals=refs,
        follow_ups=follow_ups,
    )
    return HandoffResult(decision_id, tuple(refs), tuple(follow_ups), changes)


def _actions(decision: HandoffDecision, now: datetime) -> list[NewAction]:
    actions = []
    if decision.police is not None:
        police = decision.police
        details = "Called 999 because a child was in immediate danger."
        if police.incident_number:
            details += f" Incident number {police.incident_number}."
        actions.append(
            NewAction.checked(
                kind=ActionKind.CALLED_POLICE,
                occurred_at=police.called_at,
                who=police.spoke_to,
                details=details,
                outcome=police.notes,
                now=now,
            )
        )
    lado = decision.lado
    if lado is not None and lado.contacted_at is not None:
        actions.append(
            NewAction.checked(
                kind=ActionKind.CONTACTED_LADO,
                occurred_at=lado.contacted_at,
                who=lado.officer,
                details="Contacted the LADO about an allegation about an adult who works "
                "with children.",
                outcome=lado.advice,
                now=now,
            )
        )
    report = decision.routes.police_report
    if report is not None:
        details = f"Reported to the police by {report.line.label}."
        if report.crime_reference:
            details += f" Crime reference {report.crime_reference}."
        actions.append(
            NewAction.checked(
                kind=ActionKind.CALLED_POLICE,
                occurred_at=report.reported_at,
                who=report.officer,
                details=details,
                outcome=report.what_they_said,
                now=now,
            )
        )
    fgm = decision.routes.fgm
    if fgm is not None and fgm.reported_at is not None:
        details = (
            f"{fgm.teacher} reported FGM to the police by 101, under the mandatory duty."
            if fgm.teacher
            else "FGM reported to the police by 101."
        )
        if fgm.police_reference:
            details += f" Police reference {fgm.police_reference}."
        actions.append(
            NewAction.checked(
                kind=ActionKind.CALLED_POLICE,
                occurred_at=fgm.reported_at,
                who=fgm.teacher,
                details=details,
                outcome="",
                now=now,
            )
        )
    prevent = decision.routes.prevent
    if prevent is not None and prevent.contacted_at is not None:
        actions.append(
            NewAction.checked(
                kind=ActionKind.OTHER_AGENCY,
                occurred_at=prevent.contacted_at,
                who=prevent.contacted,
                details="Contacted the Prevent team.",
                outcome=f"Channel: {prevent.channel_decision.label}. "
                f"{prevent.channel_note}".strip(),
                now=now,
            )
        )
    if decision.advice is not None:
        actions.append(
            NewAction.checked(
                kind=ActionKind.SOUGHT_ADVICE,
                occurred_at=now,
                who=decision.advice.from_whom,
                details="Sought advice before deciding.",
                outcome=decision.advice.advice,
                now=now,
            )
        )
    return actions


def _jsonable(data: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, date | datetime):
            out[key] = value.isoformat()
        elif isinstance(value, dict):
            out[key] = _jsonable(value)
        elif isinstance(value, StrEnum):
            out[key] = value.value
        else:
            out[key] = value
    return out


def new_referral_ref(conn: Connection) -> str:
    for _ in range(8):
        ref = new_reference("R")
        if not casework_records.referral_ref_taken(conn, ref):
            return ref
    raise RuntimeError("no free referral reference after 8 tries")
