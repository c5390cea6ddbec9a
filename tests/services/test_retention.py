"""Retention: the review date's rules, legal holds, the review list, and deleting a child's
file on a real store (real SQLCipher, real audit chain, the real command line)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from test_attachments import letter

from attacker import copy_inbox, put_inbox_back
from casework_data import concern_data, submit
from cli_run import assert_error, run
from conftest import StoreFixture
from safeguard_desktop.domain.children import HouseholdMember
from safeguard_desktop.domain.errors import BadInput, NotPermitted
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.domain.retention import Basis, RetentionFacts, review_date
from safeguard_desktop.services import (
    attachments,
    audit_trail,
    casework,
    children,
    inbox,
    retention,
)
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

FAR = date(2200, 1, 1)  # a day every file is due by


def _facts(**given: object) -> RetentionFacts:
    values: dict[str, object] = {
        "child_id": 1,
        "date_of_birth": None,
        "approximate_age": None,
        "first_entry": date(2026, 3, 1),
        "last_entry": date(2027, 6, 30),
        "serious": False,
    }
    values.update(given)
    return RetentionFacts(**values)  # type: ignore[arg-type]


# The rules -----------------------------------------------------------------------------


def test_a_school_keeps_a_file_until_the_child_is_25() -> None:
    kept = review_date(_facts(date_of_birth=date(2015, 3, 2)), OrgType.SCHOOL)
    assert (kept.review_on, kept.basis) == (date(2040, 3, 2), Basis.BIRTH_PLUS_25)
    leap = review_date(_facts(date_of_birth=date(2016, 2, 29)), OrgType.SCHOOL)
    assert leap.review_on == date(2041, 3, 1)  # the day after, never before
    # Age only: counted from the last entry (it may have been given then), born at the
    # latest day that age allows, so never reviewed early.
    guessed = review_date(_facts(approximate_age=9), OrgType.SCHOOL)
    assert (guessed.review_on, guessed.basis) == (date(2043, 6, 30), Basis.ESTIMATED_BIRTH_PLUS_25)
    unknown = review_date(_facts(), OrgType.SCHOOL)
    assert (unknown.review_on, unknown.basis) == (date(2052, 6, 30), Basis.AFTER_LAST_ENTRY)


def test_a_club_keeps_a_file_six_years_after_the_last_entry_or_to_25_if_serious() -> None:
    born = date(2015, 3, 2)
    plain = review_date(_facts(date_of_birth=born), OrgType.CLUB)
    assert (plain.review_on, plain.basis) == (date(2033, 6, 30), Basis.AFTER_LAST_ENTRY)
    assert review_date(_facts(date_of_birth=born), OrgType.CLUB, 10).review_on == date(2037, 6, 30)
    serious = review_date(_facts(date_of_birth=born, serious=True), OrgType.OTHER)
    assert (serious.review_on, serious.basis) == (date(2040, 3, 2), Basis.SERIOUS_UNTIL_25)
    # A referral and no birth date or age: 25 years after the last entry, never 6.
    unknown = review_date(_facts(serious=True), OrgType.CLUB)
    assert (unknown.review_on, unknown.basis) == (date(2052, 6, 30), Basis.SERIOUS_UNTIL_25)
    set_by_lead = review_date(
        _facts(set_on=date(2030, 1, 1), set_reason="Sibling case open", set_by="Dana Lead"),
        OrgType.SCHOOL,
    )
    assert set_by_lead.basis is Basis.SET_BY_LEAD
    assert set_by_lead.basis_words() == "Set by Dana Lead: Sibling case open"


def test_a_held_file_or_one_not_yet_due_cannot_be_deleted() -> None:
    kept = review_date(_facts(date_of_birth=date(2015, 3, 2)), OrgType.SCHOOL)
    assert "kept until its retention review on 2 March 2040" in str(
        kept.blocked_because(date(2040, 3, 1))
    )
    assert kept.blocked_because(date(2040, 3, 2)) is None
    held = review_date(_facts(hold_reason="Police investigation"), OrgType.CLUB)
    assert "legal hold (Police investigation)" in str(held.blocked_because(FAR))


# On a real store -----------------------------------------------------------------------


@pytest.fixture
def two_children(store_dir: StoreFixture) -> tuple[CaseSession, int, int, str, str]:
    """Amelia alone in one concern, and with Zofia in another; a file each."""
    store = Store.open(store_dir.data_dir)
    alone = submit(store, concern_data(observed="Amelia alone; bruise on her arm."))
    shared = submit(
        store,
        concern_data(
            observed="Both girls left at the gate.",
            extra_children=({"name": "Zofia Nowak", "date_of_birth": "2014-05-01"},),
        ),
    )
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    amelia = casework.create_child_for(session, alone, 0).id
    casework.link_child(session, shared, 0, amelia)
    zofia = casework.create_child_for(session, shared, 1).id
    children.add_household_member(
        session, amelia, HouseholdMember.checked(name="Ewa Kowalska", relationship="Mother")
    )
    attachments.attach_to_concern(session, alone, letter("Amelia's notes"), "notes.pdf")
    attachments.attach_to_child(session, amelia, letter("School letter"), "letter.pdf")
    attachments.attach_to_concern(session, shared, letter("Gate notes"), "gate.pdf")
    return session, amelia, zofia, alone, shared


def test_a_legal_hold_stops_deletion_in_the_service_until_it_is_lifted(
    two_children: tuple[CaseSession, int, int, str, str], store_dir: StoreFixture
) -> None:
    session, amelia, _, _, _ = two_children
    try:
        retention.place_legal_hold(session, amelia, "Police investigation, ref 44/2026")
        with pytest.raises(BadInput, match="already under a legal hold"):
            retention.place_legal_hold(session, amelia, "Again")
        with pytest.raises(BadInput, match="legal hold") as planned:
            retention.deletion_plan(session, amelia, today=FAR)
        with pytest.raises(BadInput, match="legal hold") as deleted:
            retention.delete_child_file(session, amelia, concerns=1, today=FAR)
        # The reason the lead typed is record text: never in an error, which may be logged.
        for refused in (planned, deleted):
            assert "44/2026" not in str(refused.value)
            assert "Keeping this file tab" in str(refused.value)
        assert [d.child_id for d in retention.due_for_review(session, FAR) if d.retention.held] == [
            amelia
        ]
        with pytest.raises(NotPermitted, match="Only an administrator can lift"):
            retention.lift_legal_hold(session, amelia, "Investigation closed")
        admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
        try:
            retention.lift_legal_hold(admin, amelia, "Investigation closed")
            with pytest.raises(BadInput, match="not under a legal hold"):
                retention.lift_legal_hold(admin, amelia, "Twice")
        finally:
            admin.lock()
        assert retention.deletion_plan(session, amelia, today=FAR).concerns_deleted
        actions = [e.action for e in audit_trail.entries(session, 100)]
        assert {"legal_hold_placed", "legal_hold_lifted"} <= set(actions)
    finally:
        session.lock()


def test_a_file_cannot_be_deleted_before_its_review_and_a_lead_date_is_never_past(
    two_children: tuple[CaseSession, int, int, str, str],
) -> None:
    session, amelia, _, _, _ = two_children
    try:
        with pytest.raises(BadInput, match="kept until its retention review"):
            retention.delete_child_file(session, amelia, concerns=1)
        with pytest.raises(BadInput, match="cannot be in the past"):
            retention.set_review_date(session, amelia, date(2020, 1, 1), "Mistake")
        # Longer than the rule, never shorter: tomorrow would review it years early.
        tomorrow = date.fromordinal(date.today().toordinal() + 1)
        with pytest.raises(BadInput, match="can keep it longer, not shorter"):
            retention.set_review_date(session, amelia, tomorrow, "In a hurry")
        with pytest.raises(BadInput, match="Reason"):
            retention.set_review_date(session, amelia, date(2090, 1, 1), "   ")
        retention.set_review_date(session, amelia, date(2090, 1, 1), "Family asked us to keep it")
        kept = retention.retention_of(session, amelia)
        assert (kept.review_on, kept.basis) == (date(2090, 1, 1), Basis.SET_BY_LEAD)
        retention.clear_review_date(session, amelia)
        # The template store is a club: six years after the last entry (today).
        assert retention.retention_of(session, amelia).basis is Basis.AFTER_LAST_ENTRY
        with pytest.raises(NotPermitted):
            retention.set_years_after_last(session, 10)  # a DSL, not an administrator
    finally:
        session.lock()


def test_deleting_a_file_removes_the_childs_records_and_keeps_the_shared_concern(
    two_children: tuple[CaseSession, int, int, str, str], store_dir: StoreFixture
) -> None:
    session, amelia, zofia, alone, shared = two_children
    try:
        plan = retention.deletion_plan(session, amelia, today=FAR)
        assert plan.concerns_deleted == (alone,) and plan.concerns_kept == (shared,)
        assert (plan.attachments, plan.household) == (2, 1)
        with pytest.raises(BadInput, match="changed since you were told"):
            retention.delete_child_file(session, amelia, concerns=2, today=FAR)
        assert children.child_record(session, amelia)  # nothing went

        done = retention.delete_child_file(session, amelia, concerns=1, today=FAR)
        assert done.space_reclaimed
        assert "Backups made before now still hold this file" in done.sentence()
        assert done.changes.children == {amelia} and done.changes.concerns == {alone, shared}
        with pytest.raises(BadInput, match="does not exist"):
            children.child_record(session, amelia)
        assert {c.ref for c in casework.list_concerns(session)} == {shared}
        # The shared concern stays whole for Zofia, no longer linked to Amelia's file.
        file = casework.concern_file(session, shared)
        assert [c.link.child_id for c in file.children] == [None, zofia]
        assert [a.file_name for a in attachments.for_child(session, zofia)] == ["gate.pdf"]
        assert file.children[0].link.file_deleted_at is not None
        assert casework.home(session).unlinked_concerns == 0  # not waiting to be linked
        with pytest.raises(BadInput, match="deleted at its retention review"):
            casework.create_child_for(session, shared, 0)
        with pytest.raises(BadInput, match="deleted at its retention review"):
            casework.link_child(session, shared, 0, zofia)
        conn = session.conn
        for table in ("household_members", "retention_dates", "legal_holds"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0  # noqa: S608
        assert conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 1
        assert conn.execute(
            "SELECT file_deleted_at IS NOT NULL FROM concern_children WHERE position = 0"
        ).fetchone() == (1,)
        # The tombstone: ids, references and counts, never a name; the chain still whole.
        (tombstone,) = [
            e.detail for e in audit_trail.entries(session, 200) if e.action == "child_file_deleted"
        ]
        assert tombstone["child_id"] == amelia and tombstone["concerns"] == [alone]
        assert tombstone["concerns_kept_for_other_children"] == [shared]
        assert tombstone["counts"]["attachments"] == 2  # type: ignore[index]
        assert "Amelia" not in json.dumps(tombstone) and "Kowalsk" not in json.dumps(tombstone)
        assert audit_trail.verify(session).ok
    finally:
        session.lock()
    # The deleted words are gone from the search index's own pages, not only unsearchable
    # (a contentless index marks deletions until its segments are merged).
    raw_session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(raw_session, CaseSession)
    try:
        rows = raw_session.conn.execute("SELECT block FROM concern_search_data").fetchall()
        assert b"bruise" not in b"".join(bytes(row[0]) for row in rows)
    finally:
        raw_session.lock()


def test_the_command_line_lists_holds_and_deletes_with_the_documented_codes(
    two_children: tuple[CaseSession, int, int, str, str], store_dir: StoreFixture, tmp_path: Path
) -> None:
    session, amelia, zofia, _, _ = two_children
    session.lock()
    pw = "dsl-password-1\n"
    listed = run(tmp_path, store_dir.data_dir, "children", "--as", "dana", stdin=pw)
    assert listed.returncode == 0, listed.stderr
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {line["id"] for line in lines} == {amelia, zofia}
    first = next(line for line in lines if line["id"] == amelia)
    assert first["name"] == "Amelia Kowalska" and first["date_of_birth"] == "2015-03-02"
    assert first["retention_basis"] == "after_last_entry" and first["legal_hold"] is None
    assert first["transferred"] is False

    held = run(
        tmp_path, store_dir.data_dir, "retention", str(amelia), "--as", "dana", "--hold",
        "--reason", "Police investigation", stdin=pw,
    )  # fmt: skip
    assert held.returncode == 0 and json.loads(held.stdout)["legal_hold"] == "Police investigation"
    refused = run(
        tmp_path, store_dir.data_dir, "delete-child", str(amelia), "--as", "dana", stdin=pw
    )
    assert "legal hold" in assert_error(refused, 2)
    not_admin = run(
        tmp_path, store_dir.data_dir, "retention", str(amelia), "--as", "dana", "--lift-hold",
        "--reason", "Closed", stdin=pw,
    )  # fmt: skip
    assert "Only an administrator" in assert_error(not_admin, 3)
    no_reason = run(
        tmp_path, store_dir.data_dir, "retention", str(amelia), "--as", "admin", "--lift-hold",
        stdin="admin-password-1\n",
    )  # fmt: skip
    assert "Reason" in assert_error(no_reason, 2)
    recorder = run(
        tmp_path, store_dir.data_dir, "children", "--as", "rita", stdin="recorder-pw-1\n"
    )
    assert_error(recorder, 3)


def _as_if_written_in_2015(conn: object) -> None:
    """Every date in the store moved back to 2015, as if the file were eleven years old."""
    old = "2015-01-01T10:00:00+00:00"
    for table, columns in {
        "children": ("created_at", "updated_at"),
        "concerns": ("occurred_at", "submitted_at"),
        "child_history": ("changed_at",),
        "attachments": ("added_at",),
        "actions": ("occurred_at", "recorded_at"),
    }.items():
        sets = ", ".join(f"{column} = '{old}'" for column in columns)
        conn.execute(f"UPDATE {table} SET {sets}")  # type: ignore[attr-defined]  # noqa: S608


def test_a_file_past_its_date_is_listed_and_deleted_from_the_command_line(
    two_children: tuple[CaseSession, int, int, str, str], store_dir: StoreFixture, tmp_path: Path
) -> None:
    session, amelia, zofia, alone, _ = two_children
    with session.conn:
        _as_if_written_in_2015(session.conn)
    assert {d.child_id for d in retention.due_for_review(session)} == {amelia, zofia}
    session.lock()
    pw = "dsl-password-1\n"
    due = run(tmp_path, store_dir.data_dir, "children", "--as", "dana", "--due", stdin=pw)
    assert {json.loads(line)["retention_review_on"] for line in due.stdout.splitlines()} == {
        "2021-01-01"
    }
    asked = run(tmp_path, store_dir.data_dir, "delete-child", str(amelia), "--as", "dana", stdin=pw)
    assert "--concerns 1" in assert_error(asked, 2)
    assert json.loads(asked.stdout)["would_delete"]["concerns"] == 1
    deleted = run(
        tmp_path, store_dir.data_dir, "delete-child", str(amelia), "--as", "dana",
        "--concerns", "1", stdin=pw,
    )  # fmt: skip
    assert deleted.returncode == 0, deleted.stderr
    assert json.loads(deleted.stdout)["deleted"]["attachments"] == 2
    assert "Backups made before now" in deleted.stderr
    verified = run(tmp_path, store_dir.data_dir, "audit-verify", "--as", "dana", stdin=pw)
    assert verified.returncode == 0, verified.stderr
    after = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    try:
        assert alone not in {c.ref for c in casework.list_concerns(after)}  # type: ignore[arg-type]
    finally:
        after.lock()


def test_the_last_childs_deletion_takes_the_shared_concern_and_nothing_of_another_child(
    two_children: tuple[CaseSession, int, int, str, str],
) -> None:
    """From a review: a shared concern outlived both its children; another child's action
    on a concern about the first alone went with the first; a sealed copy kept aside and
    the search index's pages still held the deleted words."""
    from datetime import datetime

    from safeguard_desktop.domain.casework import NewAction

    session, amelia, zofia, alone, shared = two_children
    conn = session.conn
    try:
        # Zofia's own action, recorded against the concern about Amelia alone.
        now = datetime.now().replace(microsecond=0)
        casework.add_action(
            session,
            NewAction.checked(
                kind="note", occurred_at=now, who="", details="Zofia's note.", now=now
            ),
            ref=alone,
            child_id=zofia,
        )
        # A sealed copy of that concern kept aside (a duplicate that arrived twice).
        with conn:
            conn.execute(
                "INSERT INTO quarantine (ref, kind, said_sent_at, arrived_at, reason, inbox_key,"
                " sealed) VALUES (?, 'concern', '', '', 'duplicate', x'00', x'00')",
                (alone,),
            )

        def index_bytes() -> bytes:
            rows = conn.execute("SELECT block FROM concern_search_data").fetchall()
            return b"".join(bytes(row[0]) for row in rows)

        assert b"bruise" in index_bytes()  # the check below can fail
        plan = retention.deletion_plan(session, amelia, today=FAR)
        assert plan.kept_aside_copies == 1 and plan.actions == 0
        retention.delete_child_file(session, amelia, concerns=1, today=FAR)
        (kept_action,) = conn.execute(
            "SELECT concern_id, details FROM actions WHERE child_id = ?", (zofia,)
        ).fetchall()
        assert kept_action == (None, "Zofia's note.")
        assert conn.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
        # Then Zofia's: the shared concern goes with her, the last child it was kept for.
        assert retention.deletion_plan(session, zofia, today=FAR).concerns_deleted == (shared,)
        retention.delete_child_file(session, zofia, concerns=1, today=FAR)
        assert casework.list_concerns(session) == []
        assert conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
        # The words are gone from the index's own pages, not only unsearchable.
        blocks = index_bytes()
        for word in (b"bruise", b"gate", b"amelia"):
            assert word not in blocks, word
        assert audit_trail.verify(session).ok
    finally:
        session.lock()


def test_a_referral_decided_but_never_saved_as_a_pdf_is_still_a_serious_matter(
    store_dir: StoreFixture,
) -> None:
    """A club's file where the lead decided to refer (phoned through, or typed into the
    council's web form: the app never marked it sent) is kept to 25, not six years."""
    from datetime import datetime

    from test_export import _decision

    from safeguard_desktop.services.handoff import record_handoff

    ref = submit(Store.open(store_dir.data_dir), concern_data())
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        child = casework.create_child_for(session, ref, 0).id
        assert retention.retention_of(session, child).basis is Basis.AFTER_LAST_ENTRY
        record_handoff(session, ref, _decision())
        kept = retention.retention_of(session, child)
        assert kept.basis is Basis.SERIOUS_UNTIL_25 and kept.review_on == date(2040, 3, 2)
        assert datetime.now().year < 2040
    finally:
        session.lock()


def test_a_deleted_concern_in_an_old_inbox_put_back_is_kept_aside_never_taken_in_again(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    """From a review: after a child's file was deleted at its review, an inbox.db copied
    before the concern was first taken in, put back, brought the concern in again as new."""
    store = Store.open(store_dir.data_dir)
    ref = submit(store, concern_data(observed="Amelia alone; bruise on her arm."))
    copy_inbox(store_dir.data_dir, tmp_path / "old")  # the attacker's copy
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        amelia = casework.create_child_for(session, ref, 0).id
        retention.delete_child_file(session, amelia, concerns=1, today=FAR)
    finally:
        session.lock()
    put_inbox_back(store_dir.data_dir, tmp_path / "old")

    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)  # ingests at sign-in
    assert isinstance(session, CaseSession)
    try:
        assert casework.list_concerns(session) == []
        [kept] = inbox.quarantined(session)
        assert (kept.ref, kept.reason, kept.can_accept) == (ref, "deleted_at_review", False)
        assert "deleted with a child's file at its retention review" in kept.sentence
        # Kept aside without its sealed copy: the inbox key cannot open the text again.
        assert session.conn.execute("SELECT sealed, inbox_key FROM quarantine").fetchall() == [
            (b"", b"")
        ]
        rows = session.conn.execute("SELECT block FROM concern_search_data").fetchall()
        assert b"bruise" not in b"".join(bytes(row[0]) for row in rows)
        audited = audit_trail.entries(session, 100)
        kept_aside = [e.detail for e in audited if e.action == "inbox_item_quarantined"]
        assert [(d["ref"], d["reason"]) for d in kept_aside] == [(ref, "deleted_at_review")]
        assert session.store.inbox.count() == 0
        with pytest.raises(NotPermitted, match="Only a concern whose sender"):
            inbox.accept_quarantined(session, kept.item_id)
        assert audit_trail.verify(session).ok
    finally:
        session.lock()
