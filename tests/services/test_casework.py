"""DSL casework through the services, on real SQLCipher stores copied from the template.

Concerns arrive the real way: sealed into inbox.db, then ingested by a DSL session.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.casework import ConcernStatus, NewAction, NewAmendment, RiskLevel
from safeguard_desktop.domain.children import ChildDetails, HouseholdMember, Professional
from safeguard_desktop.domain.errors import BadInput, NotPermitted
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.services import audit_trail, casework, children, inbox, report_export
from safeguard_desktop.services.session import CaseSession, require_case_session
from safeguard_desktop.services.store import Store


def _dsl(fixture: StoreFixture) -> CaseSession:
    session = Store.open(fixture.data_dir).login(*fixture.dsl)
    assert isinstance(session, CaseSession)
    return session


def _actions_in_audit(session: CaseSession) -> list[str]:
    return [e.action for e in reversed(audit_trail.entries(session, 1000))]


def test_unlock_ingests_and_home_counts_new_concerns(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    refs = [submit(store, concern_data(days_ago=d)) for d in (3, 2, 1)]
    session = _dsl(store_dir)
    try:
        home = casework.home(session)
        assert home.new_concerns == 3
        assert home.unlinked_concerns == 3
        assert [c.ref for c in home.newest] == list(reversed(refs))
        assert store.inbox.count() == 0
        # Arrivals after unlock come in at the next ingest (every minute in the app).
        later = submit(store, concern_data())
        assert len(inbox.ingest(session).concerns) == 1
        assert casework.home(session).new_concerns == 4
        assert later in {c.ref for c in casework.home(session).newest}
    finally:
        session.lock()


def test_ingest_keeps_a_sealed_copy_until_its_record_is_committed(
    store_dir: StoreFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(store_dir.data_dir)
    session = _dsl(store_dir)
    try:
        submit(store, concern_data())
        from safeguard_desktop.storage import audit_log

        def broken_append(*args: object, **kwargs: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(audit_log, "append", broken_append)
        with pytest.raises(OSError):
            inbox.ingest(session)
        monkeypatch.undo()
        assert store.inbox.count() == 1  # rolled back: the sealed copy is still there
        assert casework.count(session, SearchFilters()) == 0
        assert len(inbox.ingest(session).concerns) == 1
        assert store.inbox.count() == 0
    finally:
        session.lock()


def test_linking_suggests_the_same_child_and_the_dsl_confirms(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    first = submit(store, concern_data(name="Amelia Kowalska", born="2015-03-02", days_ago=5))
    session = _dsl(store_dir)
    try:
        file = casework.concern_file(session, first)
        assert file.children[0].suggestions == ()  # nobody on record yet
        child_id = casework.create_child_for(session, first, 0).id
        assert casework.concern_file(session, first).summary.status is ConcernStatus.OPEN
        # The same child, typed slightly differently and with accents dropped.
        second = submit(store, concern_data(name="amelia  kowalska", born="2015-03-02"))
        typo = submit(store, concern_data(name="Amelia Kowalksa", born="2015-03-02"))
        swapped = submit(store, concern_data(name="Amelia Kowalska", born="2015-02-03"))
        other = submit(store, concern_data(name="Amelia Kowalska", born="2016-07-09"))
        inbox.ingest(session)
        strong = casework.concern_file(session, second).children[0].suggestions
        assert [(s.child_id, s.strong) for s, _ in strong] == [(child_id, True)]
        assert (
            casework.concern_file(session, typo).children[0].suggestions[0][0].child_id == child_id
        )
        assert (
            casework.concern_file(session, swapped).children[0].suggestions[0][0].child_id
            == child_id
        )
        # Same name, different birthday: a different child, never suggested.
        assert casework.concern_file(session, other).children[0].suggestions == ()
        # Nothing is linked until the DSL says so.
        assert casework.concern_file(session, second).children[0].linked is None
        casework.link_child(session, second, 0, child_id)
        assert casework.concern_file(session, second).children[0].linked.child_id == child_id  # type: ignore[union-attr]
        assert "child_linked" in _actions_in_audit(session)
        with pytest.raises(BadInput):
            casework.link_child(session, second, 5, child_id)
        with pytest.raises(BadInput):
            casework.link_child(session, second, 0, 999_999)
    finally:
        session.lock()


def test_chronology_is_in_date_order_with_backdated_entries_and_repeats(
    store_dir: StoreFixture,
) -> None:
    store = Store.open(store_dir.data_dir)
    refs = [submit(store, concern_data(days_ago=d)) for d in (80, 20, 12, 5)]
    session = _dsl(store_dir)
    try:
        child_id = casework.create_child_for(session, refs[0], 0).id
        for ref in refs[1:]:
            casework.link_child(session, ref, 0, child_id)
        # Recorded today, but it happened 15 days ago: it falls between the concerns.
        backdated = datetime.now().replace(microsecond=0) - timedelta(days=15)
        casework.add_action(
            session,
            NewAction.checked(
                kind="consulted_social_care",
                occurred_at=backdated,
                who="Front door duty worker",
                details="Rang for advice.",
                now=datetime.now(),
            ),
            child_id=child_id,
        )
        entries = children.chronology(session, child_id)
        kinds = [e.kind for e in entries]
        assert kinds == ["concern", "concern", "action", "concern", "concern"]
        assert entries[2].agency_contact
        assert entries[2].recorded_at > entries[3].when  # recorded after, shown before
        # Three concerns within 30 days (20, 12 and 5 days ago) are marked; the first is not.
        assert [e.repeated for e in entries if e.kind == "concern"] == [False, True, True, True]
    finally:
        session.lock()


def test_amendment_sits_beside_the_original_and_is_searchable(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    ref = submit(store, concern_data(observed="A bruise on the left forearm."))
    session = _dsl(store_dir)
    try:
        casework.amend(
            session,
            ref,
            NewAmendment.checked(
                field="observed",
                new_value="A bruise on the RIGHT forearm (recorder corrected the side).",
                reason="The recorder phoned to correct the side.",
            ),
        )
        file = casework.concern_file(session, ref)
        assert file.concern.body["observed"] == "A bruise on the left forearm."
        assert [a.field for a in file.amendments] == ["observed"]
        assert [c.ref for c in casework.search(session, SearchFilters(text="RIGHT forearm"))] == [
            ref
        ]
        with pytest.raises(BadInput):
            NewAmendment.checked(field="observed", new_value="x", reason="")
        with pytest.raises(BadInput):
            NewAmendment.checked(field="submitter", new_value="x", reason="because")
    finally:
        session.lock()


def test_search_by_text_names_and_filters(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    a = submit(
        store,
        concern_data(name="Zażółć Nowak", observed="Bruise on the shin.", days_ago=40),
        recorder="Sam Lee",
    )
    b = submit(
        store,
        concern_data(
            name="محمد الأحمد",
            born="2014-01-01",
            observed="Hungry at breakfast club.",
            categories=("neglect",),
            days_ago=3,
        ),
    )
    c = submit(
        store,
        concern_data(
            name="王小明",
            born="2013-05-05",
            observed="Bruises on both arms.",
            categories=("physical_abuse", "domestic_abuse"),
            days_ago=1,
        ),
    )
    session = _dsl(store_dir)
    try:

        def refs(**kwargs: object) -> list[str]:
            return [s.ref for s in casework.search(session, SearchFilters(**kwargs))]  # type: ignore[arg-type]

        assert refs() == [c, b, a]
        assert refs(text="bruis") == [c, a]  # the last word is a prefix
        assert refs(text="zazolc") == [a]  # accents folded
        assert refs(text="محمد") == [b]
        assert refs(text="王小明") == [c]
        assert refs(categories=("neglect",)) == [b]
        assert refs(categories=("domestic_abuse", "neglect")) == [c, b]
        assert refs(text="bruises", categories=("physical_abuse",)) == [c]
        assert refs(date_from=date.today() - timedelta(days=5)) == [c, b]
        assert refs(date_to=date.today() - timedelta(days=10)) == [a]
        assert refs(recorder="Sam Lee") == [a]
        assert refs(status=ConcernStatus.OPEN) == []
        assert casework.count(session, SearchFilters(text="bruis")) == 2
        # FTS5 syntax typed by a user is searched for, never run.
        assert refs(text='" OR * NEAR(') == []
        assert refs(text="AND") == []
        assert "Sam Lee" in casework.recorders(session)
    finally:
        session.lock()


def test_children_details_household_professionals_owner_and_risk(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    ref = submit(store, concern_data())
    session = _dsl(store_dir)
    try:
        child_id = casework.create_child_for(session, ref, 0).id
        details = ChildDetails.checked(
            name="Amelia Kowalska",
            date_of_birth=date(2015, 3, 2),
            gender="Female",
            ethnicity="White: Polish",
            language="Polish",
            address="1 Example Road",
            group="Under 11s",
        )
        children.update_child(session, child_id, details)
        children.add_household_member(
            session,
            child_id,
            HouseholdMember.checked(
                name="Piotr Kowalski", relationship="Father", parental_responsibility=True
            ),
        )
        children.add_professional(
            session,
            child_id,
            Professional.checked(name="Dr Shah", role="GP", organisation="Example Surgery"),
        )
        children.set_case_owner(session, child_id, store_dir.dsl[0])
        children.set_risk_level(session, child_id, RiskLevel.HIGH)
        with pytest.raises(BadInput):
            children.set_case_owner(
                session, child_id, store_dir.recorder[0]
            )  # a recorder cannot own a case
        with pytest.raises(BadInput):
            children.set_risk_level(session, child_id, "extreme")
        file = children.child_file(session, child_id)
        assert file.record.details.language == "Polish"
        assert file.record.case_owner == "dana"
        assert file.record.risk_level is RiskLevel.HIGH
        assert [h.member.name for h in file.household] == ["Piotr Kowalski"]
        assert file.household[0].member.parental_responsibility
        assert [p.professional.role for p in file.professionals] == ["GP"]
        assert [c.ref for c in file.concerns] == [ref]
        with pytest.raises(BadInput):  # another child's id: nothing removed, nothing audited
            children.remove_household_member(session, child_id + 1, file.household[0].member_id)
        children.remove_household_member(session, child_id, file.household[0].member_id)
        assert children.child_file(session, child_id).household == ()
        audit = _actions_in_audit(session)
        for action in (
            "child_updated",
            "household_added",
            "professional_added",
            "case_owner_set",
            "risk_level_set",
            "child_opened",
            "household_removed",
        ):
            assert action in audit
    finally:
        session.lock()


def test_follow_ups_come_due_and_are_done(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    ref = submit(store, concern_data())
    session = _dsl(store_dir)
    try:
        casework.add_action(
            session,
            NewAction.checked(
                kind="contacted_parent",
                occurred_at=datetime.now(),
                who="Mother",
                details="Phoned about the bruise.",
                follow_up_on=date.today(),
                follow_up_what="Check in with the child after the weekend.",
                now=datetime.now(),
            ),
            ref=ref,
        )
        later = casework.add_follow_up(
            session, date.today() + timedelta(days=7), "Review", ref=ref
        ).id
        # Set from the concern, they are the linked child's follow-ups too.
        child_id = casework.create_child_for(session, ref, 0).id
        assert len(children.child_file(session, child_id).follow_ups) == 2
        home = casework.home(session)
        assert [f.what for f in home.due_follow_ups] == [
            "Check in with the child after the weekend."
        ]
        # Due today is due, not overdue: overdue means the date has passed.
        assert home.overdue_follow_ups == 0
        assert (
            casework.home(session, today=date.today() + timedelta(days=8)).overdue_follow_ups == 2
        )
        casework.complete_follow_up(
            session, home.due_follow_ups[0].follow_up_id, "Spoke to her; fine."
        )
        assert casework.home(session).due_follow_ups == ()
        with pytest.raises(BadInput):
            casework.complete_follow_up(session, home.due_follow_ups[0].follow_up_id)
        with pytest.raises(BadInput):
            casework.add_follow_up(session, date.today() - timedelta(days=1), "Too late", ref=ref)
        assert later in {f.follow_up_id for f in casework.open_follow_ups(session)}
    finally:
        session.lock()


def test_closing_a_concern_needs_a_reason(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    ref = submit(store, concern_data())
    session = _dsl(store_dir)
    try:
        with pytest.raises(BadInput):
            casework.set_status(session, ref, ConcernStatus.CLOSED)
        casework.set_status(
            session, ref, ConcernStatus.CLOSED, "Explained by a known medical condition."
        )
        file = casework.concern_file(session, ref)
        assert file.summary.status is ConcernStatus.CLOSED
        assert "medical condition" in file.actions[-1].details
    finally:
        session.lock()


def test_a_recorder_cannot_reach_casework(store_dir: StoreFixture) -> None:
    session = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    try:
        assert not hasattr(session, "casework")
        with pytest.raises(NotPermitted):
            require_case_session(session)
    finally:
        session.lock()


def test_category_report_counts_per_month_and_term(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    submit(store, concern_data(categories=("neglect",), days_ago=1))
    submit(store, concern_data(categories=("neglect", "online_harm"), days_ago=1))
    submit(store, concern_data(categories=("online_harm",), days_ago=70))
    session = _dsl(store_dir)
    try:
        report = report_export.category_report(session, "month")
        assert report.total == 3
        assert report.category_total("neglect") == 2
        assert report.category_total("online_harm") == 2
        assert report.categories == ("neglect", "online_harm")
        terms = report_export.category_report(session, "term")
        assert sum(terms.concern_totals.values()) == 3
    finally:
        session.lock()


def test_a_child_record_takes_whatever_the_concern_named(store_dir: StoreFixture) -> None:
    """A concern's longest child fields fit the child record made from it."""
    store = Store.open(store_dir.data_dir)
    needs = "Needs a quiet space. " * 4_700  # just under 100,000 characters
    ref = submit(
        store,
        concern_data(
            extra_children=(
                {"name": "Zoë Ó Briain 👧🏽", "approximate_age": 9, "additional_needs": needs},
            )
        ),
    )
    session = _dsl(store_dir)
    try:
        child_id = casework.create_child_for(session, ref, 1).id
        record = children.child_file(session, child_id).record
        assert record.details.additional_needs == needs.strip()
        assert record.name == "Zoë Ó Briain 👧🏽"
    finally:
        session.lock()


def test_text_is_kept_as_typed_and_compared_normalised(store_dir: StoreFixture) -> None:
    # Issue 21: names and words were NFC-normalised and CR LF became LF on the way in.
    # They are evidence, kept exactly; only comparing (search, matching a child)
    # normalises, at that moment.
    decomposed = "Zoe\u0308 Ne\u0301meth"  # combining accents: 13 code points, shown as 11
    jamo = "\u1112\u1161\u11ab Lee"  # Hangul typed as jamo: 한 Lee
    observed = "First line.\r\nSecond line.\rThird  line."
    store = Store.open(store_dir.data_dir)
    first = submit(store, concern_data(name=decomposed, observed=observed))
    second = submit(store, concern_data(name=jamo, born="2014-01-01"))
    session = _dsl(store_dir)
    try:
        file = casework.concern_file(session, first)
        assert file.concern.body["children"][0]["name"] == decomposed  # type: ignore[index]
        assert file.concern.body["observed"] == observed
        assert casework.concern_file(session, second).concern.body["children"][0]["name"] == jamo  # type: ignore[index]

        def refs(text: str) -> list[str]:
            return [s.ref for s in casework.search(session, SearchFilters(text=text))]

        assert refs("Zoë Németh") == [first]  # typed composed
        assert refs("zoe nemeth") == [first]
        assert refs("한") == [second]
        assert refs("second line") == [first]
        # A record made from the concern keeps the name as typed; the same child named
        # composed in a later concern is suggested as the same child.
        child_id = casework.create_child_for(session, first, 0).id
        assert children.child_file(session, child_id).record.name == decomposed
        again = submit(store, concern_data(name="Zoë Németh"))
        inbox.ingest(session)
        suggested = casework.concern_file(session, again).children[0].suggestions
        assert [(s.child_id, s.strong) for s, _ in suggested] == [(child_id, True)]
    finally:
        session.lock()


def test_rules_the_dialogs_check_are_checked_in_the_service_too(store_dir: StoreFixture) -> None:
    # The command line and any other caller meet the same refusals as the screens.
    ref = submit(Store.open(store_dir.data_dir), concern_data(observed="A bruise on the arm."))
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    try:
        with pytest.raises(BadInput, match="same as what was submitted"):
            casework.amend(
                session,
                ref,
                NewAmendment.checked(
                    field="observed", new_value=" A bruise on the arm. ", reason="typo"
                ),
            )
        follow_up = casework.add_follow_up(session, date.today(), "Check in", ref=ref).id
        with pytest.raises(BadInput, match="what was done"):
            casework.complete_follow_up(session, follow_up, "   ")
        with pytest.raises(BadInput, match="being closed"):
            casework.set_status(session, ref, "closed", "")
    finally:
        session.lock()
