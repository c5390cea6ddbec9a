"""The routes a decision can take beside a referral (issue 14, point 4): the police, the FGM
mandatory reporting duty, Prevent with its Channel decision and the local Prevent contact,
and the agencies already informed. The domain's rules, then ``decide`` and the wizard's
one gate on a real store, then what the referral prints.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from casework_data import concern_data, submit
from conftest import StoreFixture
from repo_paths import REPO
from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.errors import BadInput, IncompleteDecision
from safeguard_desktop.domain.organisation import LocalContacts, validate_contacts
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.domain.referral_sections import section_texts
from safeguard_desktop.domain.routes import (
    Agency,
    AgencyInformed,
    FgmKnown,
    FgmReport,
    PoliceLine,
    PoliceReport,
    Routes,
    check_routes,
    fgm_duty_applies,
    routes_from_json,
    routes_json,
)
from safeguard_desktop.domain.working_days import Nation
from safeguard_desktop.services import casework, decisions
from safeguard_desktop.services.casework_settings import CaseworkSettings, set_casework_settings
from safeguard_desktop.services.referral import build_referral_document
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

NOW = datetime.now().replace(microsecond=0)
TODAY = NOW.date()
TOMORROW = (TODAY + timedelta(days=1)).isoformat()
DOCS = REPO / "docs"


def _login(fixture: StoreFixture, who: tuple[str, str] | None = None) -> CaseSession:
    session = Store.open(fixture.data_dir).login(*(who or fixture.dsl))
    assert isinstance(session, CaseSession)
    return session


def _check(routes: Routes, **given: Any) -> list[tuple[str, str]]:
    values: dict[str, Any] = {
        "police_required": False,
        "prevent_required": False,
        "categories": (),
        "nation": Nation.ENGLAND,
        "now": NOW,
    }
    values.update(given)
    return check_routes(routes, **values)[1]


# The domain -------------------------------------------------------------------------------


def test_the_fgm_duty_is_a_teachers_in_england_and_wales_only() -> None:
    told = FgmReport(FgmKnown.TOLD_BY_GIRL, by_teacher=True)
    assert fgm_duty_applies(["fgm"], Nation.ENGLAND, told)
    assert fgm_duty_applies(["fgm", "neglect"], Nation.WALES, told)
    assert not fgm_duty_applies(["fgm"], Nation.SCOTLAND, told)
    assert not fgm_duty_applies(["fgm"], Nation.NORTHERN_IRELAND, told)
    assert not fgm_duty_applies(["neglect"], Nation.ENGLAND, told)
    assert not fgm_duty_applies(["fgm"], Nation.ENGLAND, FgmReport(FgmKnown.SUSPECTED, True))
    assert not fgm_duty_applies(["fgm"], Nation.ENGLAND, FgmReport(FgmKnown.SIGNS_SEEN, False))
    # Under the duty the teacher is named; once reported, the police reference is given.
    assert [f for f, _ in _check(Routes(fgm=told), categories=("fgm",))] == ["fgm.teacher"]
    reported = FgmReport(
        FgmKnown.SIGNS_SEEN, True, teacher="Ms Khan", reported_at=NOW - timedelta(hours=1)
    )
    assert [f for f, _ in _check(Routes(fgm=reported), categories=("fgm",))] == [
        "fgm.police_reference"
    ]
    # In Scotland no teacher is named by law; nothing more is asked.
    assert _check(Routes(fgm=told), categories=("fgm",), nation=Nation.SCOTLAND) == []
    # A concern about FGM must say how it came to light.
    assert [f for f, _ in _check(Routes(), categories=("fgm",))] == ["fgm.known"]


def test_police_prevent_and_agencies_are_checked_every_gap_at_once() -> None:
    gaps = _check(
        Routes(
            agencies_informed=(
                AgencyInformed(Agency.OTHER, TODAY),
                AgencyInformed(Agency.GP, TODAY + timedelta(days=2)),
                AgencyInformed("nobody", TODAY),  # type: ignore[arg-type]
            )
        ),
        police_required=True,
        prevent_required=True,
    )
    assert [f for f, _ in gaps] == [
        "police_report.line",
        "prevent.contacted",
        "agencies_informed.other.who",
        "agencies_informed.gp.informed_on",
        "agencies_informed[2].agency",
    ]
    future = PoliceReport(PoliceLine.NON_EMERGENCY, NOW + timedelta(hours=2), "x\ny")
    assert [f for f, _ in _check(Routes(police_report=future))] == [
        "police_report.reported_at",
        "police_report.crime_reference",
    ]
    kept = Routes(
        police_report=PoliceReport(PoliceLine.EMERGENCY, NOW, "CR/1", "PC Lee", "Attending."),
        fgm=FgmReport(FgmKnown.SUSPECTED, False),
        agencies_informed=(AgencyInformed(Agency.SCHOOL_NURSE, TODAY, "Nurse Ali"),),
    )
    assert routes_from_json(json.loads(json.dumps(routes_json(kept)))) == kept
    assert routes_from_json(None) == Routes()


def test_the_prevent_contact_is_one_of_the_local_contacts() -> None:
    contacts = LocalContacts(prevent="Prevent team, 0100 000 0600")
    assert LocalContacts.from_json(contacts.to_json()).prevent == "Prevent team, 0100 000 0600"
    # A vault written before it existed reads as not set.
    old = {k: v for k, v in contacts.to_json().items() if k != "prevent"}
    assert LocalContacts.from_json(old).prevent == ""
    with pytest.raises(BadInput) as error:
        validate_contacts(LocalContacts(prevent="two\nlines"))
    assert error.value.field == "prevent"


def test_the_documented_schema_names_what_decide_reads() -> None:
    schema = json.loads((DOCS / "decision.schema.json").read_text(encoding="utf-8"))
    properties = schema["properties"]
    assert set(properties["police_report"]["properties"]) == decisions._POLICE_REPORT_KEYS
    assert set(properties["fgm"]["properties"]) == decisions._FGM_KEYS
    assert set(properties["prevent"]["properties"]) == decisions._PREVENT_KEYS
    assert set(properties["agencies_informed"]["items"]["properties"]) == decisions._AGENCY_KEYS
    assert "police_report" in properties["outcome"]["enum"]


# The services -----------------------------------------------------------------------------


@pytest.fixture
def concern(store_dir: StoreFixture) -> tuple[StoreFixture, str]:
    return store_dir, submit(Store.open(store_dir.data_dir), concern_data())


@pytest.fixture
def fgm_concern(store_dir: StoreFixture) -> tuple[StoreFixture, str]:
    ref = submit(Store.open(store_dir.data_dir), concern_data(categories=("fgm",)))
    return store_dir, ref


def _social_care(**changes: Any) -> dict[str, Any]:
    return {
        "outcome": "social_care_referral",
        "reason": "What she said.",
        "urgency": "same_day",
        "consent": "not_sought",
        "consent_reason": "Risk to her.",
        "parents_told": False,
        "parents_not_told_reason": "Risk to her.",
        "child_now": "In school.",
        "follow_up_on": TOMORROW,
        **changes,
    }


def test_police_as_a_route_from_decide(concern: tuple[StoreFixture, str]) -> None:
    fixture, ref = concern
    session = _login(fixture)
    try:
        with pytest.raises(IncompleteDecision) as gaps:
            decisions.decide(
                session,
                ref,
                {"outcome": "police_report", "reason": "Theft.", "follow_up_on": TOMORROW},
            )
        assert "police_report.line" in gaps.value.fields
        decided = decisions.decide(
            session,
            ref,
            {
                "outcome": "police_report",
                "reason": "Her phone was taken with threats on the way home.",
                "follow_up_on": TOMORROW,
                "police_report": {
                    "line": "101",
                    "reported_at": NOW.isoformat(),
                    "crime_reference": "CR/2026/123",
                    "officer": "PC Lee",
                    "what_they_said": "An officer will visit tomorrow.",
                },
            },
        )
        assert decided.result.referral_refs == ()
        file = casework.concern_file(session, ref, audit=False)
        (decision,) = file.decisions
        assert decision.details["routes"] == {
            "police_report": {
                "line": "101",
                "reported_at": NOW.isoformat(),
                "crime_reference": "CR/2026/123",
                "officer": "PC Lee",
                "what_they_said": "An officer will visit tomorrow.",
            }
        }
        (action,) = [a for a in file.actions if a.kind.value == "called_police"]
        assert "101 (non-emergency)" in action.details and "CR/2026/123" in action.details
    finally:
        session.lock()


def test_the_fgm_duty_is_stated_recorded_and_followed_up(
    fgm_concern: tuple[StoreFixture, str],
) -> None:
    fixture, ref = fgm_concern
    session = _login(fixture)
    try:
        # The concern is about FGM: how it came to light is asked, whoever decides.
        with pytest.raises(IncompleteDecision) as gaps:
            decisions.decide(session, ref, _social_care())
        assert "fgm.known" in gaps.value.fields
        told = {"known": "told_by_girl", "by_teacher": True}
        with pytest.raises(IncompleteDecision) as gaps:
            decisions.decide(session, ref, _social_care(fgm=told))
        assert gaps.value.fields == ("fgm.teacher",)
        decided = decisions.decide(
            session,
            ref,
            _social_care(
                fgm={**told, "teacher": "Ms Khan"},
                agencies_informed=[{"agency": "school_nurse", "informed_on": TODAY.isoformat()}],
            ),
        )
        file = casework.concern_file(session, ref, audit=False)
        (chase,) = [f for f in file.follow_ups if "Ms Khan has reported the FGM" in f.what]
        assert chase.follow_up_id in decided.result.follow_up_ids
        assert "within one month" in chase.what
        (referral_ref,) = decided.result.referral_refs
        doc = build_referral_document(session, referral_ref)
        assert doc.agencies_informed == f"School nurse, {long_date(TODAY)}"
        assert any("still to be made" in line for line in doc.routes)
        actions = next(s for s in section_texts(doc) if s.key == "actions")
        assert "Agencies already informed, and other routes" in actions.text
        assert "School nurse" in actions.text
    finally:
        session.lock()


def test_in_scotland_there_is_no_fgm_duty_to_follow_up(
    fgm_concern: tuple[StoreFixture, str],
) -> None:
    fixture, ref = fgm_concern
    admin = _login(fixture, fixture.admin)
    try:
        set_casework_settings(admin, CaseworkSettings(nation=Nation.SCOTLAND))
    finally:
        admin.lock()
    session = _login(fixture)
    try:
        decided = decisions.decide(
            session, ref, _social_care(fgm={"known": "told_by_girl", "by_teacher": True})
        )
        file = casework.concern_file(session, ref, audit=False)
        assert not [f for f in file.follow_ups if "FGM" in f.what]
        assert len(decided.result.referral_refs) == 1
    finally:
        session.lock()


def test_prevent_records_who_was_contacted_and_the_channel_decision(
    concern: tuple[StoreFixture, str],
) -> None:
    fixture, ref = concern
    session = _login(fixture)
    try:
        prevent = _social_care(outcome="prevent_referral")
        with pytest.raises(IncompleteDecision) as gaps:
            decisions.decide(session, ref, prevent)
        assert "prevent.contacted" in gaps.value.fields
        with pytest.raises(IncompleteDecision) as gaps:
            decisions.decide(
                session,
                ref,
                {**prevent, "prevent": {"contacted": "A. Officer", "channel_decision": "maybe"}},
            )
        assert gaps.value.fields == ("prevent.channel_decision",)
        decided = decisions.decide(
            session,
            ref,
            {
                **prevent,
                "prevent": {
                    "contacted": "A. Officer, Prevent team",
                    "contacted_at": (NOW - timedelta(hours=1)).isoformat(),
                    "channel_decision": "adopted",
                    "channel_note": "Panel on Thursday.",
                },
            },
        )
        (referral_ref,) = decided.result.referral_refs
        doc = build_referral_document(session, referral_ref)
        when = long_date(NOW - timedelta(hours=1))
        assert doc.routes == (
            f"Prevent: contacted A. Officer, Prevent team, {when}. Channel: Adopted by the "
            "Channel panel. Panel on Thursday.",
        )
        file = casework.concern_file(session, ref, audit=False)
        assert any(a.details == "Contacted the Prevent team." for a in file.actions)
    finally:
        session.lock()


def test_an_unknown_route_field_is_refused_by_name(concern: tuple[StoreFixture, str]) -> None:
    fixture, ref = concern
    session = _login(fixture)
    try:
        with pytest.raises(IncompleteDecision) as gaps:
            decisions.decide(
                session,
                ref,
                _social_care(police_report={"line": "101", "colour": "blue"}, agencies_informed={}),
            )
        assert set(gaps.value.fields) >= {
            "police_report.colour",
            "police_report.reported_at",
            "agencies_informed",
        }
    finally:
        session.lock()


def test_routes_json_is_plain() -> None:
    assert routes_json(Routes()) == {}
    assert routes_json(
        Routes(agencies_informed=(AgencyInformed(Agency.GP, date(2026, 1, 2)),))
    ) == {"agencies_informed": [{"agency": "gp", "informed_on": "2026-01-02", "who": ""}]}


def test_the_demo_prints_the_agencies_already_informed(tmp_path: Path) -> None:
    from safeguard_desktop.services.demo_store import DEMO_ADMIN, build_demo_store

    build_demo_store(tmp_path / "demo")
    store = Store.open(tmp_path / "demo")
    assert store.organisation.contacts.prevent.startswith("Prevent team (fictional)")
    session = store.login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        docs = [
            build_referral_document(session, r.ref)
            for summary in casework.search(session, SearchFilters())
            for r in casework.concern_file(session, summary.ref, audit=False).referrals
        ]
        assert any(d.agencies_informed.startswith("GP (Dr A. Example), ") for d in docs)
    finally:
        session.lock()


def test_the_demo_has_a_prevent_referral_with_its_channel_decision(tmp_path: Path) -> None:
    from safeguard_desktop.services.demo_store import DEMO_ADMIN, build_demo_store

    build_demo_store(tmp_path / "demo")
    session = Store.open(tmp_path / "demo").login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        (sam,) = [
            s for s in casework.search(session, SearchFilters()) if s.child_names == "Sam Sample"
        ]
        file = casework.concern_file(session, sam.ref, audit=False)
        (referral,) = file.referrals
        assert referral.kind.value == "prevent"
        doc = build_referral_document(session, referral.ref)
        assert any("Channel: Not known yet" in line for line in doc.routes)
        # The police as a route of its own: by 101, the officer and what they said.
        assert any(
            line.startswith("Reported to the police by 101 (non-emergency)")
            and "officer PC Example (fictional)" in line
            for line in doc.routes
        ), doc.routes
        assert doc.agencies_informed.startswith("Police (Prevent team), ")
        assert any(a.details == "Contacted the Prevent team." for a in file.actions)
    finally:
        session.lock()


def test_the_demo_has_a_girl_at_risk_of_fgm_with_how_it_came_to_light(tmp_path: Path) -> None:
    from safeguard_desktop.services.demo_store import DEMO_ADMIN, build_demo_store

    build_demo_store(tmp_path / "demo")
    session = Store.open(tmp_path / "demo").login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        (amina,) = [
            s for s in casework.search(session, SearchFilters()) if s.child_names == "Amina Example"
        ]
        (referral,) = casework.concern_file(session, amina.ref, audit=False).referrals
        doc = build_referral_document(session, referral.ref)
        # Suspected, neither told nor seen: no teacher's mandatory report is asked for.
        assert doc.routes == ("Suspected, or she may be at risk (no disclosure, no signs seen).",)
        assert doc.agencies_informed.startswith("Police (101, FGM advice), ")
    finally:
        session.lock()


def test_record_handoff_asks_about_fgm_whoever_built_the_decision(
    fgm_concern: tuple[StoreFixture, str],
) -> None:
    from safeguard_desktop.domain.handoff import HandoffDecision, Outcome
    from safeguard_desktop.services.handoff import record_handoff

    fixture, ref = fgm_concern
    # Built without the concern's categories, as a caller that forgot them would.
    decision = HandoffDecision.checked(
        immediate_danger=False,
        police=None,
        allegation_against_adult=False,
        lado=None,
        outcome=Outcome.MONITOR,
        reason="Watching.",
        advice=None,
        information_sharing=None,
        referral=None,
        review_on=TODAY + timedelta(days=7),
        follow_up_on=TODAY + timedelta(days=1),
        now=NOW,
    )
    session = _login(fixture)
    try:
        with pytest.raises(IncompleteDecision) as gaps:
            record_handoff(session, ref, decision)
        assert gaps.value.fields == ("fgm.known",)
        assert casework.concern_file(session, ref, audit=False).decisions == ()
    finally:
        session.lock()
