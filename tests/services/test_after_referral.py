"""What happens after a referral (issue 14, point 2): working days, the agency's answer, the
lead's view, escalation, and the follow-ups that close themselves. Domain rules first, then
the services on a real store: what they write, what the chronology and the audit log say.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
from safeguard_desktop.domain.errors import BadInput, IncompleteDecision, NotPermitted
from safeguard_desktop.domain.handoff import (
    DEFAULT_LAWFUL_BASIS,
    Consent,
    HandoffDecision,
    InformationSharing,
    Outcome,
)
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.domain.referral import ReferralContent, ReferralKind, ReferralStatus
from safeguard_desktop.domain.referral_outcome import (
    Acknowledgement,
    AgencyOutcome,
    ConferenceResult,
    EscalationResult,
    EscalationStage,
    NewEscalation,
    NewOutcome,
    outcomes_for,
)
from safeguard_desktop.domain.working_days import Nation, WorkingDays
from safeguard_desktop.services import after_referral, audit_trail, casework, children
from safeguard_desktop.services.casework_settings import (
    CaseworkSettings,
    casework_settings,
    set_casework_settings,
)
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import casework_records

TODAY = date.today()
NOW = datetime.now().replace(microsecond=0)


def test_the_casework_settings_are_checked() -> None:
    assert CaseworkSettings().nation is Nation.ENGLAND
    assert CaseworkSettings().chase_working_days == 1
    with pytest.raises(BadInput) as error:
        CaseworkSettings.checked(nation="cornwall", chase_working_days=1)
    assert error.value.field == "nation"
    for bad in (0, 11, "2", True):
        with pytest.raises(BadInput) as error:
            CaseworkSettings.checked(nation="wales", chase_working_days=bad)
        assert error.value.field == "chase_working_days"


# The domain's rules for what is recorded after a referral ---------------------------------


def _outcome(**changes: Any) -> NewOutcome:
    values: dict[str, Any] = {
        "outcome": AgencyOutcome.NO_FURTHER_ACTION,
        "decided_on": TODAY,
        "note": "Threshold not met; advice given to the family.",
        "conference_result": None,
        "lead_agrees": True,
        "escalation": None,
        "kind": ReferralKind.SOCIAL_CARE,
        "today": TODAY,
        "referred_on": TODAY - timedelta(days=3),
    }
    values.update(changes)
    return NewOutcome.checked(**values)


def _escalation(**changes: Any) -> NewEscalation:
    values: dict[str, Any] = {
        "stage": EscalationStage.PRACTITIONER,
        "to_whom": "A. Example, duty social worker",
        "raised_on": TODAY,
        "reason": "She says her father hits her; that is significant harm.",
        "follow_up_on": TODAY + timedelta(days=7),
    }
    values.update(changes)
    return NewEscalation(**values)


def test_an_outcome_has_its_rules_every_gap_at_once() -> None:
    assert _outcome().outcome is AgencyOutcome.NO_FURTHER_ACTION
    with pytest.raises(IncompleteDecision) as gaps:
        _outcome(note="  ", decided_on=TODAY + timedelta(days=1), lead_agrees=None)
    assert gaps.value.fields == ("decided_on", "note", "lead_agrees")
    assert "reason for no further action" in gaps.value.problems[1][1]
    # Before the referral was made: a slip of the date.
    with pytest.raises(BadInput, match="before the referral") as error:
        _outcome(decided_on=TODAY - timedelta(days=4))
    assert error.value.field == "decided_on"
    # An initial child protection conference needs its result.
    with pytest.raises(BadInput, match="conference decided") as error:
        _outcome(outcome=AgencyOutcome.CONFERENCE, note="")
    conference = _outcome(
        outcome=AgencyOutcome.CONFERENCE,
        note="",
        conference_result=ConferenceResult.CHILD_PROTECTION_PLAN,
    )
    assert conference.conference_result is ConferenceResult.CHILD_PROTECTION_PLAN
    # A section 47 enquiry follows a social care referral, not one to the LADO.
    with pytest.raises(BadInput, match="does not follow") as error:
        _outcome(outcome=AgencyOutcome.SECTION_47, kind=ReferralKind.LADO)
    assert error.value.field == "outcome"
    assert AgencyOutcome.SECTION_47 not in outcomes_for(ReferralKind.LADO)
    assert len(outcomes_for(ReferralKind.SOCIAL_CARE)) == len(AgencyOutcome)
    # What the agency said is optional for an assessment; required for "something else".
    assert _outcome(outcome=AgencyOutcome.ASSESSMENT, note="").note == ""
    with pytest.raises(BadInput, match="What they decided or said"):
        _outcome(outcome=AgencyOutcome.OTHER, note="")


def test_a_disagreement_is_challenged_never_only_noted() -> None:
    with pytest.raises(BadInput, match="resolution policy") as error:
        _outcome(lead_agrees=False)
    assert error.value.field == "escalation.to_whom"
    with pytest.raises(IncompleteDecision) as gaps:
        _outcome(
            lead_agrees=False,
            escalation=_escalation(to_whom="", reason="", follow_up_on=TODAY - timedelta(1)),
        )
    assert gaps.value.fields == (
        "escalation.to_whom",
        "escalation.reason",
        "escalation.follow_up_on",
    )
    with pytest.raises(BadInput, match="before the decision it challenges"):
        _outcome(
            lead_agrees=False,
            decided_on=TODAY,
            escalation=_escalation(raised_on=TODAY - timedelta(days=1)),
        )
    checked = _outcome(lead_agrees=False, escalation=_escalation())
    assert checked.escalation is not None
    assert checked.escalation.stage is EscalationStage.PRACTITIONER
    # Agreeing drops whatever escalation a screen still held.
    assert _outcome(lead_agrees=True, escalation=_escalation()).escalation is None


def test_an_acknowledgement_and_an_escalation_result_are_checked() -> None:
    with pytest.raises(IncompleteDecision) as gaps:
        Acknowledgement.checked(
            acknowledged_on=TODAY + timedelta(days=1),
            by=" ",
            their_reference="line\nbreak",
            today=TODAY,
            referred_on=TODAY,
        )
    assert gaps.value.fields == ("acknowledged_on", "by", "their_reference")
    with pytest.raises(IncompleteDecision) as gaps:
        EscalationResult.checked(
            result="", result_on=TODAY - timedelta(days=2), today=TODAY, raised_on=TODAY
        )
    assert gaps.value.fields == ("result", "result_on")
    assert EscalationStage.MANAGER.next is EscalationStage.SENIOR_MANAGER
    assert EscalationStage.PARTNERSHIP.next is None


# The services ---------------------------------------------------------------------------


def _decision(outcome: Outcome = Outcome.SOCIAL_CARE) -> HandoffDecision:
    return HandoffDecision.checked(
        immediate_danger=False,
        police=None,
        allegation_against_adult=False,
        lado=None,
        outcome=outcome,
        situation=ChildSituation(urgency=Urgency.SAME_DAY, child_now="At home tonight."),
        reason="A bruise with an explanation that does not fit.",
        advice=None,
        information_sharing=InformationSharing(
            Consent.GIVEN if outcome is Outcome.EARLY_HELP else Consent.NOT_SOUGHT,
            "" if outcome is Outcome.EARLY_HELP else "Risk.",
            DEFAULT_LAWFUL_BASIS,
            False,
            "About a parent.",
        ),
        referral=ReferralContent(summary="Bruise on forearm."),
        review_on=None,
        follow_up_on=TODAY + timedelta(days=7),
        follow_up_what="Check how she is.",
        now=NOW,
    )


def _login(fixture: StoreFixture, who: tuple[str, str] | None = None) -> CaseSession:
    session = Store.open(fixture.data_dir).login(*(who or fixture.dsl))
    assert isinstance(session, CaseSession)
    return session


def _audit(session: CaseSession, action: str) -> list[dict[str, object]]:
    return [e.detail for e in audit_trail.entries(session, 1000) if e.action == action]


@pytest.fixture
def two_children(store_dir: StoreFixture) -> tuple[StoreFixture, str, int, int]:
    """A concern naming two children from different families, each linked to a record."""
    ref = submit(
        Store.open(store_dir.data_dir),
        concern_data(extra_children=({"name": "Zofia Brown", "date_of_birth": "2014-05-06"},)),
    )
    session = _login(store_dir)
    try:
        amelia = casework.create_child_for(session, ref, 0)
        zofia = casework.create_child_for(session, ref, 1)
    finally:
        session.lock()
    return store_dir, ref, _id(amelia), _id(zofia)


def _id(made: object) -> int:
    """A new record's id, whether the service returns it bare or with its changes."""
    return int(getattr(made, "id", made))  # type: ignore[call-overload]


def test_a_social_care_referral_is_chased_one_working_day_later(
    two_children: tuple[StoreFixture, str, int, int],
) -> None:
    fixture, ref, amelia, _ = two_children
    session = _login(fixture)
    try:
        result = record_handoff(session, ref, _decision(), child=0)
        (referral_ref,) = result.referral_refs
        file = casework.concern_file(session, ref, audit=False)
        (chase,) = [f for f in file.follow_ups if referral_ref in f.what]
        assert chase.due_on == WorkingDays().next(TODAY)
        assert chase.child_id == amelia  # the referral's child, not the whole concern
        assert "within one working day" in chase.what
        assert sorted(result.follow_up_ids) == sorted(f.follow_up_id for f in file.follow_ups)
        # Early help is not chased this way: the lead's own follow-up covers it.
        early = record_handoff(session, ref, _decision(Outcome.EARLY_HELP), child=1)
        assert len(early.follow_up_ids) == 1
    finally:
        session.lock()


def test_the_nation_and_the_chase_are_an_administrators_settings(
    two_children: tuple[StoreFixture, str, int, int],
) -> None:
    fixture, ref, _, _ = two_children
    lead = _login(fixture)
    try:
        with pytest.raises(NotPermitted):
            set_casework_settings(lead, CaseworkSettings(Nation.SCOTLAND, 2))
        assert casework_settings(lead) == CaseworkSettings()
    finally:
        lead.lock()
    admin = _login(fixture, fixture.admin)
    try:
        with pytest.raises(BadInput):
            set_casework_settings(
                admin,
                CaseworkSettings(Nation.SCOTLAND, 0),
            )
        set_casework_settings(admin, CaseworkSettings(Nation.SCOTLAND, 2))
        assert casework_settings(admin) == CaseworkSettings(Nation.SCOTLAND, 2)
        (audit,) = _audit(admin, "setting_changed")[-1:]
        assert audit == {"setting": "casework", "nation": "scotland", "chase_working_days": 2}
        (referral_ref,) = record_handoff(admin, ref, _decision(), child=0).referral_refs
        file = casework.concern_file(admin, ref, audit=False)
        (chase,) = [f for f in file.follow_ups if referral_ref in f.what]
        assert chase.due_on == WorkingDays(Nation.SCOTLAND).add(TODAY, 2)
    finally:
        admin.lock()


def test_acknowledged_then_no_further_action_closes_the_chase_with_a_note(
    two_children: tuple[StoreFixture, str, int, int],
) -> None:
    fixture, ref, amelia, zofia = two_children
    session = _login(fixture)
    try:
        (referral_ref,) = record_handoff(session, ref, _decision(), child=0).referral_refs
        after_referral.acknowledge(
            session,
            referral_ref,
            Acknowledgement(TODAY, "J. Example, MASH duty worker", "MASH-2231"),
        )
        # Checked in the service, whoever built it.
        with pytest.raises(BadInput) as error:
            after_referral.acknowledge(session, referral_ref, Acknowledgement(TODAY, "", ""))
        assert error.value.field == "by"
        after_referral.record_outcome(
            session,
            referral_ref.lower(),
            NewOutcome(AgencyOutcome.NO_FURTHER_ACTION, TODAY, "Threshold not met.", None, True),
        )
        file = casework.concern_file(session, ref, audit=False)
        (referral,) = file.referrals
        assert referral.status is ReferralStatus.CLOSED  # answered: off Home's waiting list
        progress = file.after_referral[referral.referral_id]
        assert [a.their_reference for a in progress.acknowledgements] == ["MASH-2231"]
        (outcome,) = progress.outcomes
        assert outcome.outcome is AgencyOutcome.NO_FURTHER_ACTION and outcome.lead_agrees
        (chase,) = [f for f in file.follow_ups if referral_ref in f.what]
        assert chase.done_at is not None and chase.done_by == "dana"
        assert chase.done_note is not None and chase.done_note.startswith("Closed by itself")
        assert "no further action" in chase.done_note
        assert casework.open_referrals(session) == []
        # In the child's chronology, dated the day it was decided; not in the other child's.
        lines = {(e.kind, e.title): e for e in children.chronology(session, amelia)}
        assert lines["outcome", "Outcome: No further action"].when == TODAY.isoformat()
        assert ("acknowledgement", "Referral acknowledged: Children's social care") in lines
        assert (
            "MASH-2231"
            in lines["acknowledgement", "Referral acknowledged: Children's social care"].summary
        )
        assert lines["follow_up", "Follow-up done"].summary.endswith(chase.done_note)
        other = {e.kind for e in children.chronology(session, zofia)}
        assert not other & {"outcome", "acknowledgement", "referral"}
        assert "follow_up" not in other  # Amelia's chase is hers alone
        (audit,) = _audit(session, "referral_outcome")
        assert audit["outcome"] == "no_further_action" and audit["lead_agrees"] is True
        assert "Threshold" not in str(audit)  # references and ids, never text
        assert _audit(session, "referral_acknowledged")[0]["referral"] == referral_ref
        # A later outcome is another dated step; nothing is left to close.
        after_referral.record_outcome(
            session,
            referral_ref,
            NewOutcome(AgencyOutcome.EARLY_HELP, TODAY, "", None, True),
        )
        again = casework.concern_file(session, ref, audit=False)
        assert len(again.after_referral[referral.referral_id].outcomes) == 2
    finally:
        session.lock()


def test_a_disagreement_escalates_stage_by_stage_each_with_its_follow_up(
    two_children: tuple[StoreFixture, str, int, int],
) -> None:
    fixture, ref, amelia, _ = two_children
    session = _login(fixture)
    try:
        (referral_ref,) = record_handoff(session, ref, _decision(), child=0).referral_refs
        after_referral.record_outcome(
            session,
            referral_ref,
            NewOutcome(
                AgencyOutcome.NO_FURTHER_ACTION,
                TODAY,
                "Explained as rough play.",
                None,
                False,
                _escalation(),
            ),
        )
        file = casework.concern_file(session, ref, audit=False)
        referral_id = file.referrals[0].referral_id
        (stage_1,) = file.after_referral[referral_id].escalations
        assert stage_1.stage is EscalationStage.PRACTITIONER and stage_1.is_open
        assert stage_1.outcome_id == file.after_referral[referral_id].outcomes[0].outcome_id
        (first_follow_up,) = [f for f in file.follow_ups if "stage 1" in f.what]
        assert first_follow_up.due_on == TODAY + timedelta(days=7)
        assert first_follow_up.done_at is None and first_follow_up.child_id == amelia

        # The next stage only: not stage 3 from stage 1.
        with pytest.raises(BadInput, match="next stage") as error:
            after_referral.raise_to_next_stage(
                session,
                stage_1.escalation_id,
                _escalation(stage=EscalationStage.SENIOR_MANAGER, to_whom="Head of service"),
            )
        assert error.value.field == "stage"
        after_referral.raise_to_next_stage(
            session,
            stage_1.escalation_id,
            _escalation(stage=EscalationStage.MANAGER, to_whom="B. Example, team manager"),
        )
        file = casework.concern_file(session, ref, audit=False)
        first, second = file.after_referral[referral_id].escalations
        assert first.result is not None and "raised to stage 2" in first.result
        assert second.stage is EscalationStage.MANAGER and second.is_open
        closed = next(f for f in file.follow_ups if f.follow_up_id == first_follow_up.follow_up_id)
        assert closed.done_note is not None and "raised to stage 2" in closed.done_note
        # A stage that has ended cannot be raised again.
        with pytest.raises(BadInput, match="has a result already"):
            after_referral.raise_to_next_stage(
                session, first.escalation_id, _escalation(stage=EscalationStage.MANAGER)
            )

        after_referral.record_escalation_result(
            session,
            second.escalation_id,
            EscalationResult("The team manager agreed to an assessment.", TODAY),
        )
        with pytest.raises(BadInput, match="already has its result"):
            after_referral.record_escalation_result(
                session, second.escalation_id, EscalationResult("Again.", TODAY)
            )
        file = casework.concern_file(session, ref, audit=False)
        assert all(f.done_at is not None for f in file.follow_ups if "Escalation" in f.what)
        assert file.after_referral[referral_id].open_escalation is None
        chronology = children.chronology(session, amelia)
        titles = [e.title for e in chronology if e.kind == "escalation"]
        assert titles == [
            "Escalation, stage 1: raised with A. Example, duty social worker",
            "Escalation, stage 1: result",
            "Escalation, stage 2: raised with B. Example, team manager",
            "Escalation, stage 2: result",
        ]
        assert [a["stage"] for a in _audit(session, "escalation_raised")] == [2]
        assert len(_audit(session, "escalation_result")) == 1
    finally:
        session.lock()


def test_the_last_stage_cannot_be_raised_further(
    two_children: tuple[StoreFixture, str, int, int],
) -> None:
    fixture, ref, _, _ = two_children
    session = _login(fixture)
    try:
        (referral_ref,) = record_handoff(session, ref, _decision(), child=0).referral_refs
        after_referral.record_outcome(
            session,
            referral_ref,
            NewOutcome(AgencyOutcome.NO_FURTHER_ACTION, TODAY, "No.", None, False, _escalation()),
        )
        file = casework.concern_file(session, ref, audit=False)
        referral_id = file.referrals[0].referral_id
        for stage in (
            EscalationStage.MANAGER,
            EscalationStage.SENIOR_MANAGER,
            EscalationStage.PARTNERSHIP,
        ):
            current = casework.concern_file(session, ref, audit=False).after_referral[referral_id]
            assert current.open_escalation is not None
            after_referral.raise_to_next_stage(
                session, current.open_escalation.escalation_id, _escalation(stage=stage)
            )
        last = casework.concern_file(session, ref, audit=False).after_referral[referral_id]
        assert last.open_escalation is not None
        with pytest.raises(BadInput, match="last stage"):
            after_referral.raise_to_next_stage(
                session,
                last.open_escalation.escalation_id,
                _escalation(stage=EscalationStage.PARTNERSHIP),
            )
    finally:
        session.lock()


def test_an_answer_kept_as_free_text_by_an_earlier_version_stays_readable(
    two_children: tuple[StoreFixture, str, int, int],
) -> None:
    fixture, ref, _, _ = two_children
    session = _login(fixture)
    try:
        (referral_ref,) = record_handoff(session, ref, _decision(), child=0).referral_refs
        record = casework_records.get_referral(session.conn, referral_ref)
        assert record is not None
        with session.conn:
            casework_records.close_referral(
                session.conn, record.referral_id, "Accepted for assessment."
            )
        file = casework.concern_file(session, ref, audit=False)
        assert file.referrals[0].response == "Accepted for assessment."
        assert file.referrals[0].status is ReferralStatus.CLOSED
        # Structured outcomes can still follow it.
        after_referral.record_outcome(
            session,
            referral_ref,
            NewOutcome(AgencyOutcome.ASSESSMENT, TODAY, "", None, True),
        )
        file = casework.concern_file(session, ref, audit=False)
        assert file.referrals[0].response == "Accepted for assessment."
        assert len(file.after_referral[file.referrals[0].referral_id].outcomes) == 1
    finally:
        session.lock()


def test_no_referral_no_record(two_children: tuple[StoreFixture, str, int, int]) -> None:
    fixture, _, _, _ = two_children
    session = _login(fixture)
    try:
        with pytest.raises(BadInput, match="no referral") as error:
            after_referral.acknowledge(session, "R-NONE-NONE", Acknowledgement(TODAY, "X", ""))
        assert error.value.field == "referral"
        with pytest.raises(BadInput, match="no such escalation"):
            after_referral.record_escalation_result(session, 999, EscalationResult("x", TODAY))
    finally:
        session.lock()


def test_the_demo_store_shows_each_record_made_after_a_referral(tmp_path: Path) -> None:
    from safeguard_desktop.services.demo_store import DEMO_ADMIN, build_demo_store

    build_demo_store(tmp_path / "demo")
    session = Store.open(tmp_path / "demo").login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        files = [
            casework.concern_file(session, s.ref, audit=False)
            for s in casework.search(session, SearchFilters())
        ]
        ((file, progress),) = [
            (f, p) for f in files for p in f.after_referral.values() if p.outcomes
        ]
        answered = next(r for r in file.referrals if r.referral_id == progress.referral_id)
        assert answered.kind is ReferralKind.SOCIAL_CARE
        assert answered.ref not in {r.ref for r in casework.open_referrals(session)}
        assert len(progress.acknowledgements) == 1
        (outcome,) = progress.outcomes
        assert outcome.outcome is AgencyOutcome.NO_FURTHER_ACTION and not outcome.lead_agrees
        first, second = progress.escalations
        assert not first.is_open and second.is_open
        assert second.stage is EscalationStage.MANAGER
        done = [f for f in file.follow_ups if f.done_at is not None]
        assert len(done) == 2 and all("Closed by itself" in (f.done_note or "") for f in done)
    finally:
        session.lock()


def test_show_prints_what_happened_after_each_referral(
    two_children: tuple[StoreFixture, str, int, int], tmp_path: Path
) -> None:
    fixture, ref, _, _ = two_children
    session = _login(fixture)
    try:
        (referral_ref,) = record_handoff(session, ref, _decision(), child=0).referral_refs
        after_referral.acknowledge(session, referral_ref, Acknowledgement(TODAY, "MASH", "M-7"))
        after_referral.record_outcome(
            session,
            referral_ref,
            NewOutcome(AgencyOutcome.STRATEGY_DISCUSSION, TODAY, "", None, True),
        )
    finally:
        session.lock()
    env = {**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")}
    env.pop("SAFEGUARD_DATA_DIR", None)
    shown = subprocess.run(
        [
            *(sys.executable, "-m", "safeguard_desktop.cli"),
            *("--data-dir", str(fixture.data_dir), "show", ref, "--as", fixture.dsl[0]),
        ],
        input=fixture.dsl[1] + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    (referral,) = json.loads(shown.stdout)["referrals"]
    assert referral["status"] == "closed" and referral["response"] is None
    assert [a["their_reference"] for a in referral["acknowledgements"]] == ["M-7"]
    assert [(o["outcome"], o["decided_on"]) for o in referral["outcomes"]] == [
        ("strategy_discussion", TODAY.isoformat())
    ]
    assert referral["escalations"] == []


def test_a_follow_up_done_reads_as_sentences_in_the_chronology(
    two_children: tuple[StoreFixture, str, int, int],
) -> None:
    """The chase's own words end with a full stop; the chronology joins its note after it
    with one, not two ("…tell you.. Closed by itself", seen in the siblings tour)."""
    fixture, ref, amelia, _ = two_children
    session = _login(fixture)
    try:
        (referral_ref,) = record_handoff(session, ref, _decision(), child=0).referral_refs
        after_referral.record_outcome(
            session,
            referral_ref,
            NewOutcome(AgencyOutcome.NO_FURTHER_ACTION, TODAY, "Threshold not met.", None, True),
        )
        (chase,) = [
            e.summary
            for e in children.chronology(session, amelia)
            if e.kind == "follow_up" and referral_ref in e.summary
        ]
        assert "tell you. Closed by itself" in chase
        assert ".." not in chase
    finally:
        session.lock()
