"""A child's statuses, Home's notices, and the history of the child's record (issue 14,
point 3 and the household's history): the domain's rules, then the services on a real
store, the referral that prints the statuses and the report that counts them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from casework_data import concern_data, submit
from conftest import StoreFixture
from repo_paths import REPO
from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
from safeguard_desktop.domain.child_status import (
    NewStatus,
    Notice,
    StatusKind,
    checked_end,
    repeated_categories,
)
from safeguard_desktop.domain.children import ChildDetails, HouseholdMember, Professional
from safeguard_desktop.domain.errors import BadInput, IncompleteDecision
from safeguard_desktop.domain.handoff import (
    DEFAULT_LAWFUL_BASIS,
    Consent,
    HandoffDecision,
    InformationSharing,
    Outcome,
)
from safeguard_desktop.domain.referral import ReferralContent
from safeguard_desktop.domain.referral_sections import section_texts
from safeguard_desktop.services import audit_trail, casework, child_status, children, report_export
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.referral import build_referral_document
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

TODAY = date.today()


def _login(fixture: StoreFixture) -> CaseSession:
    session = Store.open(fixture.data_dir).login(*fixture.dsl)
    assert isinstance(session, CaseSession)
    return session


def _audit(session: CaseSession, action: str) -> list[dict[str, object]]:
    return [e.detail for e in audit_trail.entries(session, 1000) if e.action == action]


# The domain ------------------------------------------------------------------------------


def test_a_status_is_checked_every_gap_at_once() -> None:
    with pytest.raises(IncompleteDecision) as gaps:
        NewStatus.checked(kind="looked_after", started_on=TODAY + timedelta(days=1), today=TODAY)
    assert gaps.value.fields == ("started_on", "virtual_school_contact")
    with pytest.raises(IncompleteDecision) as gaps:
        NewStatus.checked(kind="early_help_plan", started_on=TODAY, today=TODAY)
    assert gaps.value.fields == ("review_on",)
    with pytest.raises(IncompleteDecision) as gaps:
        NewStatus.checked(
            kind="early_help_plan",
            started_on=TODAY,
            review_on=TODAY - timedelta(days=1),
            today=TODAY,
        )
    assert "past" in gaps.value.problems[0][1]
    with pytest.raises(IncompleteDecision) as gaps:
        NewStatus.checked(kind="on_the_moon", started_on=None, today=TODAY)
    assert gaps.value.fields == ("kind", "started_on")
    ok = NewStatus.checked(
        kind="young_carer",
        started_on=TODAY,
        review_on=TODAY + timedelta(days=9),  # only an early help plan keeps one
        today=TODAY,
    )
    assert ok.kind is StatusKind.YOUNG_CARER and ok.review_on is None
    assert not StatusKind.YOUNG_CARER.has_lead_professional
    assert StatusKind.CHILD_PROTECTION_PLAN.has_lead_professional
    with pytest.raises(BadInput, match="before the start"):
        checked_end(TODAY, TODAY - timedelta(days=1), today=TODAY)
    with pytest.raises(BadInput, match="future"):
        checked_end(TODAY, TODAY + timedelta(days=1), today=TODAY)


def test_a_pattern_is_three_of_a_kind_within_twelve_months() -> None:
    day = datetime(2026, 6, 1, 12, 0)
    earlier = [
        (datetime(2026, 5, 1, 9, 0), ["neglect", "other"]),
        (datetime(2025, 6, 2, 0, 5), ["neglect"]),  # the first day of the window
        (datetime(2025, 6, 1, 23, 0), ["physical_abuse"]),  # a day too early
        (datetime(2026, 6, 1, 12, 1), ["physical_abuse"]),  # after this concern
        (datetime(2026, 1, 1), ["other"]),
        (datetime(2026, 2, 1), ["other"]),
    ]
    assert repeated_categories(day, ["neglect", "physical_abuse", "other"], earlier) == ("neglect",)
    assert repeated_categories(day, ["neglect"], earlier[1:]) == ()


# The services -----------------------------------------------------------------------------


@pytest.fixture
def amelia(store_dir: StoreFixture) -> tuple[StoreFixture, str, int]:
    ref = submit(Store.open(store_dir.data_dir), concern_data(categories=("neglect",)))
    session = _login(store_dir)
    try:
        child_id = casework.create_child_for(session, ref, 0).id
    finally:
        session.lock()
    return store_dir, ref, child_id


def test_statuses_start_end_and_an_early_help_review_is_followed_up(
    amelia: tuple[StoreFixture, str, int],
) -> None:
    fixture, ref, child_id = amelia
    session = _login(fixture)
    try:
        plan = child_status.add_status(
            session,
            child_id,
            NewStatus(
                kind=StatusKind.EARLY_HELP_PLAN,
                started_on=TODAY - timedelta(days=30),
                lead_professional="Sam Okafor, early help team, 0100 000 0300",
                review_on=TODAY + timedelta(days=14),
            ),
        )
        assert plan.changes.follow_ups  # the review's follow-up
        (review,) = [
            f for f in children.child_file(session, child_id).follow_ups if f.done_at is None
        ]
        assert review.due_on == TODAY + timedelta(days=14)
        assert "Early help plan review" in review.what
        cared = child_status.add_status(
            session,
            child_id,
            NewStatus(
                kind=StatusKind.LOOKED_AFTER,
                started_on=TODAY - timedelta(days=3),
                virtual_school_contact="J. Head, Virtual School, 0100 000 0400",
            ),
        )
        # The services check again, whoever built the status.
        with pytest.raises(IncompleteDecision):
            child_status.add_status(
                session, child_id, NewStatus(kind=StatusKind.LOOKED_AFTER, started_on=TODAY)
            )
        file = children.child_file(session, child_id)
        assert [s.kind for s in file.statuses] == [
            StatusKind.LOOKED_AFTER,
            StatusKind.EARLY_HELP_PLAN,
        ]
        assert "virtual school: J. Head" in file.statuses[0].words()
        # The concern view shows the linked child's current statuses.
        (choice,) = casework.concern_file(session, ref, audit=False).children
        assert {s.status_id for s in choice.statuses} == {plan.id, cared.id}

        ended = child_status.end_status(session, plan.id, TODAY)
        assert review.follow_up_id in ended.follow_ups
        closed = [
            f for f in children.child_file(session, child_id).follow_ups if f.done_at is not None
        ]
        assert closed and "plan ended" in (closed[0].done_note or "")
        with pytest.raises(BadInput, match="ended already"):
            child_status.end_status(session, plan.id, TODAY)
        file = children.child_file(session, child_id)
        assert [s.is_current for s in file.statuses] == [True, False]
        assert sorted(str(d["kind"]) for d in _audit(session, "child_status_added")) == [
            "early_help_plan",
            "looked_after",
        ]
        assert _audit(session, "child_status_ended")[0]["status_id"] == plan.id
        assert child_status.status_counts(session)[StatusKind.LOOKED_AFTER] == 1
        assert child_status.status_counts(session)[StatusKind.EARLY_HELP_PLAN] == 0
        report = report_export.category_report(session)
        assert report.statuses_now == (("looked_after", 1),)
        assert dict(report.statuses_started) == {"looked_after": 1, "early_help_plan": 1}
    finally:
        session.lock()


def test_home_says_open_plan_until_the_lead_professional_is_told(
    amelia: tuple[StoreFixture, str, int],
) -> None:
    fixture, ref, child_id = amelia
    session = _login(fixture)
    try:
        assert casework.home(session).notices == ()
        child_status.add_status(
            session,
            child_id,
            NewStatus(
                kind=StatusKind.CHILD_PROTECTION_PLAN,
                started_on=TODAY - timedelta(days=60),
                lead_professional="Jo Patel, social worker",
            ),
        )
        (notice,) = casework.home(session).notices
        assert notice.notice is Notice.OPEN_PLAN
        assert notice.concern_ref == ref and notice.child_id == child_id
        assert "Jo Patel" in notice.about[0]
        with pytest.raises(BadInput, match="who you told") as error:
            child_status.notice_done(session, ref, child_id, Notice.OPEN_PLAN, "  ")
        assert error.value.field == "note"
        with pytest.raises(BadInput, match="does not apply"):
            child_status.notice_done(session, ref, child_id, Notice.PATTERN, "")
        changes = child_status.notice_done(
            session, ref, child_id, Notice.OPEN_PLAN, "Jo Patel, by phone"
        )
        assert ref in changes.concerns
        assert casework.home(session).notices == ()
        (entry,) = _audit(session, "concern_notice_done")
        assert entry == {"ref": ref, "child_id": child_id, "notice": "open_plan"}
    finally:
        session.lock()


def test_home_says_pattern_continuing_at_the_third_concern_of_a_kind(
    amelia: tuple[StoreFixture, str, int],
) -> None:
    fixture, _, child_id = amelia
    store = Store.open(fixture.data_dir)
    refs = [
        submit(store, concern_data(categories=("neglect", "other"), days_ago=days))
        for days in (40, 400)  # the second is outside the twelve months
    ]
    session = _login(fixture)
    try:
        for ref in refs:
            casework.link_child(session, ref, 0, child_id)
        assert casework.home(session).notices == ()  # two within the year: not yet
    finally:
        session.lock()
    third = submit(store, concern_data(categories=("neglect",), days_ago=0.5))
    session = _login(fixture)
    try:
        casework.link_child(session, third, 0, child_id)
        notices = casework.home(session).notices
        assert [(n.notice, n.concern_ref, n.about) for n in notices] == [
            (Notice.PATTERN, third, ("neglect",))
        ]
        child_status.notice_done(session, third, child_id, "pattern")
        assert casework.home(session).notices == ()
        with pytest.raises(BadInput):
            child_status.notice_done(session, third, child_id, "nonsense")
    finally:
        session.lock()


def test_the_referral_prints_the_childs_statuses_now(
    amelia: tuple[StoreFixture, str, int],
) -> None:
    fixture, ref, child_id = amelia
    session = _login(fixture)
    try:
        child_status.add_status(
            session,
            child_id,
            NewStatus(
                kind=StatusKind.CHILD_IN_NEED_PLAN,
                started_on=date(2026, 1, 5),
                lead_professional="Jo Patel, social worker",
            ),
        )
        decision = HandoffDecision.checked(
            immediate_danger=False,
            police=None,
            allegation_against_adult=False,
            lado=None,
            outcome=Outcome.SOCIAL_CARE,
            situation=ChildSituation(urgency=Urgency.SAME_DAY, child_now="At home tonight."),
            reason="Neglect on a child in need plan.",
            advice=None,
            information_sharing=InformationSharing(
                Consent.NOT_SOUGHT, "Risk.", DEFAULT_LAWFUL_BASIS, False, "About a parent."
            ),
            referral=ReferralContent(summary="Neglect."),
            review_on=None,
            follow_up_on=TODAY + timedelta(days=7),
            follow_up_what="Check.",
            now=datetime.now(),
        )
        (referral_ref,) = record_handoff(session, ref, decision, child=0).referral_refs
        doc = build_referral_document(session, referral_ref)
        assert "Child in need plan, from 5 January 2026" in doc.children[0].statuses
        children = next(s for s in section_texts(doc) if s.key == "children")
        assert "Plans and statuses now: Child in need plan, from 5 January 2026" in children.text
    finally:
        session.lock()


def test_the_childs_record_keeps_its_history(amelia: tuple[StoreFixture, str, int]) -> None:
    fixture, _, child_id = amelia
    session = _login(fixture)
    try:
        before = children.child_file(session, child_id).record.details
        children.update_child(
            session,
            child_id,
            ChildDetails(**{**vars(before), "address": "1 New Road", "lives_with": "Her mother"}),
        )
        mother = children.add_household_member(
            session, child_id, HouseholdMember.checked(name="Ewa Kowalska", relationship="Mother")
        )
        children.add_professional(
            session,
            child_id,
            Professional.checked(name="Dr Shah", role="GP", organisation="Riverside"),
        )
        children.remove_household_member(session, child_id, mother.id)
        history = child_status.history(session, child_id)
        assert [(h.field, h.before_words, h.after_words) for h in history] == [
            ("household", "Ewa Kowalska (Mother)", "(blank)"),
            ("professional", "(blank)", "Dr Shah (GP), Riverside"),
            ("household", "(blank)", "Ewa Kowalska (Mother)"),
            ("lives_with", "(blank)", "Her mother"),  # one save, newest id first
            ("address", before.address or "(blank)", "1 New Road"),
        ]
        assert history[0].current is None and history[2].previous is None
        assert {h.changed_by for h in history} == {fixture.dsl[0]}
        assert history[-1].label == "Address"
        # A second edit keeps the first value as "before".
        now = children.child_file(session, child_id).record.details
        children.update_child(
            session, child_id, ChildDetails(**{**vars(now), "address": "2 Old Lane"})
        )
        latest = child_status.history(session, child_id)[0]
        assert (latest.field, latest.before_words, latest.after_words) == (
            "address",
            "1 New Road",
            "2 Old Lane",
        )
        assert children.child_file(session, child_id).history[0].history_id == latest.history_id
    finally:
        session.lock()


def test_the_demo_shows_statuses_notices_and_history(tmp_path: Path) -> None:
    from safeguard_desktop.services.demo_store import DEMO_ADMIN, build_demo_store

    build_demo_store(tmp_path / "demo")
    session = Store.open(tmp_path / "demo").login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        child_ids = {c.details.name: c.child_id for c in children.list_children(session)}
        maya = children.child_file(session, child_ids["Maya Fictional"])
        assert [s.kind for s in maya.statuses] == [StatusKind.EARLY_HELP_PLAN]
        assert any("Early help plan review" in f.what for f in maya.follow_ups)
        assert {h.field for h in maya.history} >= {"address", "household", "professional"}
        tom = children.child_file(session, child_ids["Tom Example"])
        assert [s.kind for s in tom.statuses] == [StatusKind.YOUNG_CARER]
        notices = {(n.notice, n.child_name) for n in casework.home(session).notices}
        assert (Notice.OPEN_PLAN, "Maya Fictional") in notices
        assert (Notice.PATTERN, "Tom Example") in notices
        # The early help plan is printed on her referral.
        docs = [
            build_referral_document(session, r.ref)
            for ref in {c.ref for c in maya.concerns}
            for r in casework.concern_file(session, ref, audit=False).referrals
        ]
        rows = [c for doc in docs for c in doc.children if c.name == "Maya Fictional"]
        assert rows and all("Early help plan" in row.statuses for row in rows)
    finally:
        session.lock()


def test_the_full_export_holds_statuses_history_and_notices(
    amelia: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    import json

    import jsonschema

    from safeguard_desktop.services import export

    fixture, ref, child_id = amelia
    session = _login(fixture)
    try:
        child_status.add_status(
            session,
            child_id,
            NewStatus(
                kind=StatusKind.EARLY_HELP_PLAN,
                started_on=TODAY,
                lead_professional="Sam Okafor",
                review_on=TODAY + timedelta(days=7),
            ),
        )
        child_status.notice_done(session, ref, child_id, Notice.OPEN_PLAN, "Sam, by phone")
        before = children.child_file(session, child_id).record.details
        children.update_child(
            session, child_id, ChildDetails(**{**vars(before), "address": "1 New Road"})
        )
    finally:
        session.lock()
    admin = Store.open(fixture.data_dir).login(*fixture.admin)
    assert isinstance(admin, CaseSession)
    try:
        export.export_everything(admin, tmp_path / "export", progress=lambda _p, _t: None)
    finally:
        admin.lock()
    data = json.loads((tmp_path / "export" / "export.json").read_text(encoding="utf-8"))
    schema_path = REPO / "docs" / "export.schema.json"
    jsonschema.Draft202012Validator(json.loads(schema_path.read_text("utf-8"))).validate(data)
    (status,) = data["child_statuses"]
    assert status["kind"] == "early_help_plan" and status["details"]["review_on"]
    assert [(h["field"], h["current"]) for h in data["child_history"]] == [
        ("address", "1 New Road")
    ]
    (notice,) = data["concern_notices_done"]
    assert notice["concern_ref"] == ref and notice["note"] == "Sam, by phone"
    assert [f["status_id"] for f in data["follow_ups"] if f["status_id"]] == [status["id"]]


def test_changing_a_household_member_or_professional_keeps_the_before(
    amelia: tuple[StoreFixture, str, int],
) -> None:
    fixture, _, child_id = amelia
    session = _login(fixture)
    try:
        mother = children.add_household_member(
            session,
            child_id,
            HouseholdMember.checked(name="Ewa Kowalska", relationship="Mother", contact="0100"),
        )
        gp = children.add_professional(
            session,
            child_id,
            Professional.checked(name="Dr Shah", role="GP", organisation="Riverside"),
        )
        moved = children.change_household_member(
            session,
            child_id,
            mother.id,
            HouseholdMember.checked(name="Ewa Nowak", relationship="Mother", contact="0200"),
        )
        children.change_professional(
            session,
            child_id,
            gp.id,
            Professional.checked(name="Dr Lee", role="GP", organisation="Hill"),
        )
        file = children.child_file(session, child_id)
        assert [(m.member_id, m.member.name) for m in file.household] == [(moved.id, "Ewa Nowak")]
        assert [p.professional.name for p in file.professionals] == ["Dr Lee"]
        latest, before = file.history[:2]
        assert (latest.field, latest.before_words, latest.after_words) == (
            "professional",
            "Dr Shah (GP), Riverside",
            "Dr Lee (GP), Hill",
        )
        assert (before.field, before.before_words, before.after_words) == (
            "household",
            "Ewa Kowalska (Mother)",
            "Ewa Nowak (Mother)",
        )
        assert isinstance(before.previous, dict) and before.previous["contact"] == "0100"
        # The old row is gone from the list: changing it again is refused.
        with pytest.raises(BadInput, match="not in this child's household"):
            children.change_household_member(
                session, child_id, mother.id, HouseholdMember.checked(name="X", relationship="Aunt")
            )
        with pytest.raises(BadInput):  # checked again whoever built it
            children.change_professional(session, child_id, gp.id, Professional(name="", role="GP"))
        actions = [e.action for e in audit_trail.entries(session, 1000)]
        assert "household_changed" in actions and "professional_changed" in actions
    finally:
        session.lock()
