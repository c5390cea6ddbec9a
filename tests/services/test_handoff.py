"""The handoff decision's rules (domain) and what recording one writes (services), per route."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
from safeguard_desktop.domain.errors import BadInput, IncompleteDecision
from safeguard_desktop.domain.handoff import (
    DEFAULT_LAWFUL_BASIS,
    AdviceSought,
    Consent,
    HandoffDecision,
    InformationSharing,
    LadoContact,
    Outcome,
    PoliceCall,
)
from safeguard_desktop.domain.referral import (
    AdultDetails,
    InterimStep,
    ReferralContent,
    ReferralKind,
)
from safeguard_desktop.domain.working_days import WorkingDays
from safeguard_desktop.services import audit_trail, casework, children
from safeguard_desktop.services.handoff import record_handoff, referral_prefill
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

NOW = datetime.now().replace(microsecond=0)
TODAY = NOW.date()


def _sharing(consent: Consent = Consent.NOT_SOUGHT, told: bool = False) -> InformationSharing:
    return InformationSharing(
        consent=consent,
        consent_reason="" if consent is Consent.GIVEN else "Asking could put the child at risk.",
        lawful_basis=DEFAULT_LAWFUL_BASIS,
        parents_told=told,
        parents_not_told_reason="" if told else "The concern is about a parent.",
    )


def _decision(**changes: Any) -> HandoffDecision:
    values: dict[str, Any] = {
        "immediate_danger": False,
        "police": None,
        "allegation_against_adult": False,
        "lado": None,
        "outcome": Outcome.SOCIAL_CARE,
        "situation": ChildSituation(urgency=Urgency.SAME_DAY, child_now="At home tonight."),
        "reason": "A bruise with an explanation that does not fit, and the child's words.",
        "advice": None,
        "information_sharing": _sharing(),
        "referral": ReferralContent(summary="Bruise on forearm.", risks="Physical harm at home."),
        "review_on": None,
        "follow_up_on": TODAY + timedelta(days=2),
        "follow_up_what": "Chase the front door for the outcome.",
        "now": NOW,
    }
    values.update(changes)
    return HandoffDecision.checked(**values)


def _adult() -> AdultDetails:
    return AdultDetails(name="Sam Coach", role="Assistant coach", employment_basis="volunteer")


def test_each_route_has_its_rules() -> None:
    with pytest.raises(BadInput, match="call 999"):
        _decision(immediate_danger=True)
    with pytest.raises(BadInput, match="LADO"):
        _decision(allegation_against_adult=True)
    with pytest.raises(IncompleteDecision) as gaps:
        _decision(
            allegation_against_adult=True,
            lado=LadoContact(adult=_adult(), allegation="x", interim_steps=InterimStep.SUSPENDED),
        )
    assert gaps.value.fields == ("lado.raised_by", "lado.interim_reason")
    with pytest.raises(BadInput, match="review date") as err:
        _decision(outcome=Outcome.MONITOR, information_sharing=None, referral=None)
    assert err.value.field == "review_on"
    with pytest.raises(BadInput, match="consent"):
        _decision(outcome=Outcome.EARLY_HELP, information_sharing=_sharing(Consent.REFUSED))
    with pytest.raises(BadInput, match="why the parents"):
        _decision(information_sharing=InformationSharing(Consent.GIVEN, "", "basis", False, ""))
    with pytest.raises(BadInput, match="say what they think of it") as err:
        _decision(information_sharing=_sharing(told=True))
    assert err.value.field == "parents_views"
    with pytest.raises(BadInput, match="referral will say"):
        _decision(referral=None)
    with pytest.raises(BadInput, match="reason"):
        _decision(reason="  ")
    with pytest.raises(BadInput, match="follow"):
        _decision(follow_up_on=TODAY - timedelta(days=1))
    with pytest.raises(BadInput, match="future"):
        _decision(immediate_danger=True, police=PoliceCall(called_at=NOW + timedelta(hours=2)))
    monitor = _decision(
        outcome=Outcome.MONITOR,
        information_sharing=None,
        referral=ReferralContent(summary="ignored"),
        review_on=TODAY + timedelta(days=28),
    )
    assert monitor.referral is None and monitor.referral_kinds == ()
    assert WorkingDays().next(date(2026, 12, 4)) == date(2026, 12, 7)  # Friday -> Monday


def _session(fixture: StoreFixture) -> CaseSession:
    session = Store.open(fixture.data_dir).login(*fixture.dsl)
    assert isinstance(session, CaseSession)
    return session


@pytest.fixture
def concern(store_dir: StoreFixture) -> tuple[StoreFixture, str]:
    return store_dir, submit(Store.open(store_dir.data_dir), concern_data())


def _audit_details(session: CaseSession, action: str) -> list[dict[str, object]]:
    return [e.detail for e in audit_trail.entries(session, 1000) if e.action == action]


def test_danger_route_records_the_call_and_a_social_care_referral(
    concern: tuple[StoreFixture, str],
) -> None:
    fixture, ref = concern
    session = _session(fixture)
    try:
        result = record_handoff(
            session,
            ref,
            _decision(
                immediate_danger=True,
                police=PoliceCall(
                    called_at=NOW, incident_number="CAD 1234", spoke_to="Call handler"
                ),
            ),
        )
        file = casework.concern_file(session, ref)
        assert [a.kind.value for a in file.actions] == ["called_police"]
        assert "CAD 1234" in file.actions[0].details
        assert [d.outcome for d in file.decisions] == ["social_care_referral"]
        assert file.decisions[0].details["police"]["incident_number"] == "CAD 1234"  # type: ignore[index]
        assert file.decisions[0].decided_by == fixture.dsl[0]
        assert [r.kind for r in file.referrals] == [ReferralKind.SOCIAL_CARE]
        assert [r.ref for r in file.referrals] == list(result.referral_refs)
        assert casework.home(session).open_referrals == 1
        (audit,) = _audit_details(session, "handoff_decision")
        assert audit["police_called"] is True and audit["referrals"] == list(result.referral_refs)
    finally:
        session.lock()


def test_lado_route_not_yet_contacted_is_due_next_working_day(
    concern: tuple[StoreFixture, str],
) -> None:
    fixture, ref = concern
    session = _session(fixture)
    try:
        record_handoff(
            session,
            ref,
            _decision(
                allegation_against_adult=True,
                lado=LadoContact(
                    adult=_adult(),
                    allegation="Grabbed a child's arm hard.",
                    raised_by="The child told her teacher.",
                    interim_steps=InterimStep.SUSPENDED,
                    interim_reason="To keep the children safe until the LADO advises.",
                ),
                outcome=Outcome.MONITOR,
                information_sharing=None,
                review_on=TODAY + timedelta(days=14),
            ),
        )
        file = casework.concern_file(session, ref)
        assert [r.kind for r in file.referrals] == [ReferralKind.LADO]
        lado = file.referrals[0]
        assert lado.extra["adult"]["name"] == "Sam Coach"  # type: ignore[index]
        assert "LADO" in lado.content.asking_for
        dues = {f.due_on: f.what for f in file.follow_ups}
        assert "LADO" in dues[WorkingDays().next(TODAY)]
        assert TODAY + timedelta(days=14) in dues
    finally:
        session.lock()


def test_lado_contacted_is_an_agency_contact_in_the_chronology(
    concern: tuple[StoreFixture, str],
) -> None:
    fixture, ref = concern
    session = _session(fixture)
    try:
        child_id = casework.create_child_for(session, ref, 0).id
        record_handoff(
            session,
            ref,
            _decision(
                allegation_against_adult=True,
                lado=LadoContact(
                    adult=_adult(),
                    allegation="x",
                    raised_by="A parent emailed the head.",
                    interim_steps=InterimStep.NONE,
                    interim_reason="He does not coach until the LADO advises.",
                    contacted_at=NOW,
                    officer="J. Officer",
                    advice="Do not tell the adult; strategy discussion tomorrow.",
                ),
                advice=AdviceSought(from_whom="NSPCC helpline", advice="Refer."),
            ),
        )
        entries = children.chronology(session, child_id)
        titles = [e.title for e in entries]
        assert any(t.startswith("Contacted the LADO") for t in titles)
        assert any(t.startswith("Sought advice") for t in titles)
        assert any(t.startswith("Decision: Referral to children") for t in titles)
        file = casework.concern_file(session, ref)
        assert {r.kind for r in file.referrals} == {ReferralKind.SOCIAL_CARE, ReferralKind.LADO}
    finally:
        session.lock()


def test_early_help_needs_consent_and_monitor_needs_no_referral(
    store_dir: StoreFixture,
) -> None:
    store = Store.open(store_dir.data_dir)
    help_ref = submit(store, concern_data(categories=("neglect",)))
    monitor_ref = submit(store, concern_data(categories=("other",)))
    session = _session(store_dir)
    try:
        record_handoff(
            session,
            help_ref,
            _decision(
                outcome=Outcome.EARLY_HELP,
                information_sharing=_sharing(Consent.GIVEN, True),
                situation=ChildSituation(parents_views="Her father asked for help with meals."),
            ),
        )
        record_handoff(
            session,
            monitor_ref,
            _decision(
                outcome=Outcome.MONITOR,
                information_sharing=None,
                referral=None,
                review_on=TODAY + timedelta(days=30),
            ),
        )
        assert [r.kind for r in casework.concern_file(session, help_ref).referrals] == [
            ReferralKind.EARLY_HELP
        ]
        monitored = casework.concern_file(session, monitor_ref)
        assert monitored.referrals == ()
        assert monitored.decisions[0].review_on == TODAY + timedelta(days=30)
        outcomes = [d["outcome"] for d in _audit_details(session, "handoff_decision")]
        assert sorted(outcomes) == ["early_help", "monitor"]
    finally:
        session.lock()


def test_prefill_carries_the_concern_and_the_childs_words(
    concern: tuple[StoreFixture, str],
) -> None:
    fixture, ref = concern
    session = _session(fixture)
    try:
        content = referral_prefill(session, ref, ReferralKind.SOCIAL_CARE)
        body = casework.concern_file(session, ref, audit=False).concern.body
        # When, where and who; what they saw is printed once, under its own heading.
        assert str(body["observed"]) not in content.summary
        assert "Rita Recorder (Recorder) recorded this concern" in content.summary
        assert "What was seen and heard" in content.summary
        assert content.child_words == body["child_words"]
        assert "significant harm" in content.asking_for
        assert "Listened" in content.immediate_actions
    finally:
        session.lock()
