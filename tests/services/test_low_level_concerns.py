"""The low-level concerns log (KCSIE Part four, section two): its rules, and the service on a
real store: leads only, every gap at once, audited without names, patterns found, each
entry's review date, and kept apart from children's records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from test_export import _populated_template, admin, populated  # noqa: F401 (fixtures)

from safeguard_desktop.domain.errors import BadInput, IncompleteDecision, NotPermitted
from safeguard_desktop.domain.low_level_concerns import (
    PATTERN_COUNT,
    LowLevelConcern,
    StoredLowLevelConcern,
    adult_key,
    patterns,
    problems,
    review_due,
    summarise,
)
from safeguard_desktop.services import audit_trail, casework, low_level_concerns, people
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

TODAY = date(2026, 12, 7)
ENTRY = LowLevelConcern(
    occurred_on=date(2026, 12, 1),
    adult_name="Sam Coach",
    adult_role="Assistant coach",
    what_happened="Sent a player a message on his own phone about training times.",
    action_taken="Reminded him of the code of conduct: messages go through the club's app.",
)


def _stored(entry_id: int, on: date, name: str = "Sam Coach") -> StoredLowLevelConcern:
    from datetime import UTC, datetime

    return StoredLowLevelConcern(
        entry_id=entry_id,
        concern=replace(ENTRY, occurred_on=on, adult_name=name),
        recorded_at=datetime(2026, 12, 7, tzinfo=UTC),
        recorded_by="dana",
        recorded_by_name="Dana Lead",
    )


# The rules ----------------------------------------------------------------------------


def test_every_gap_is_named_at_once_and_a_future_date_is_refused() -> None:
    empty = LowLevelConcern(TODAY + timedelta(days=1), "  ", "", "", "")
    found = problems(empty, TODAY)
    assert [field for field, _ in found] == [
        "occurred_on",
        "adult_name",
        "adult_role",
        "what_happened",
        "action_taken",
    ]
    assert found[0][1] == "The date cannot be in the future."
    assert problems(ENTRY, TODAY) == []
    assert problems(replace(ENTRY, adult_role="Coach\nand driver"), TODAY)[0][0] == "adult_role"


def test_three_about_one_adult_in_twelve_months_is_a_pattern_and_older_ones_are_not() -> None:
    close = [_stored(1, date(2026, 3, 1)), _stored(2, date(2026, 9, 1))]
    third = _stored(3, date(2026, 12, 1), name="sam  COACH")  # the same adult, as typed
    assert adult_key("Sam Coach") == adult_key("sam  COACH")
    assert patterns(close, TODAY) == []
    found = patterns([*close, third], TODAY)
    assert len(found) == 1 and found[0].in_window == PATTERN_COUNT == 3
    assert found[0].name == "sam  COACH"  # as written in the newest entry
    # Three spread over more than 12 months: shown with the total, not flagged.
    spread = [_stored(1, date(2024, 6, 1)), _stored(2, date(2025, 6, 1)), third]
    assert patterns(spread, TODAY) == []
    (summary,) = summarise(spread, TODAY)
    assert (summary.in_window, summary.total, summary.pattern) == (1, 3, False)
    # Two adults never add up to one pattern.
    mixed = [*close, _stored(3, date(2026, 12, 1), name="Pat Other")]
    assert patterns(mixed, TODAY) == []


def test_each_entry_falls_due_for_review_six_years_after_it() -> None:
    assert review_due(date(2026, 12, 1)) == date(2032, 12, 1)
    assert review_due(date(2024, 2, 29)) == date(2030, 2, 28)
    assert _stored(1, date(2026, 12, 1)).review_due == date(2032, 12, 1)


# The service -----------------------------------------------------------------------------


def _lead(store_dir) -> CaseSession:
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    return session


def test_a_lead_records_and_reads_the_log_audited_without_names(store_dir) -> None:
    session = _lead(store_dir)
    try:
        with pytest.raises(IncompleteDecision) as gaps:
            low_level_concerns.record(session, replace(ENTRY, what_happened=" "))
        assert gaps.value.fields == ("what_happened",)
        added = [
            low_level_concerns.record(session, replace(ENTRY, occurred_on=TODAY - timedelta(d)))
            for d in (200, 100, 5)
        ]
        assert added[0].changes.low_level_concerns == frozenset({added[0].id})
        assert low_level_concerns.patterns_to_review(session, today=TODAY) == 1
        log = low_level_concerns.read_log(session, today=TODAY)
        assert [e.entry_id for e in log.entries] == [a.id for a in reversed(added)]
        newest = log.entries[0]
        assert newest.recorded_by == "dana" and newest.recorded_by_name == "Dana Lead"
        assert newest.concern.adult_name == "Sam Coach"
        assert [a.name for a in log.patterns] == ["Sam Coach"]
        entries = [e for e in audit_trail.entries(session, 100) if e.action.startswith("low_level")]
        assert {e.action for e in entries} == {
            "low_level_concern_recorded",
            "low_level_log_opened",
        }
        text = repr([e.detail for e in entries])
        assert "Sam" not in text and "coach" not in text.lower()
        # Kept apart from children's files: no concern, child or chronology gained anything.
        assert casework.concern_count(session) == 0
    finally:
        session.lock()


def test_a_recorder_can_neither_record_nor_read_the_log(store_dir) -> None:
    recorder = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    with pytest.raises(NotPermitted):
        low_level_concerns.record(recorder, ENTRY)
    with pytest.raises(NotPermitted):
        low_level_concerns.read_log(recorder)
    with pytest.raises(NotPermitted):
        low_level_concerns.delete_after_review(recorder, 1, adult_has_left=True)


# The full export and backups -------------------------------------------------------------


def test_the_full_export_carries_the_log_apart_from_every_child_record(
    populated,  # noqa: F811 (the fixture)
    admin: CaseSession,  # noqa: F811
    tmp_path,
) -> None:
    import json
    import subprocess

    from test_export import _check_export_json

    from safeguard_desktop.services import export

    canary = "Zq7LowLevel"
    entry = replace(ENTRY, occurred_on=date.today(), what_happened=f"Shouted. {canary}")
    added = low_level_concerns.record(admin, entry)
    people.suspend_user(admin, "rita")
    target = tmp_path / "out"
    export.export_everything(admin, target)
    data = json.loads((target / "export.json").read_text(encoding="utf-8"))
    _check_export_json(data, admin)  # the schema, and every count as the database has it
    (row,) = data["low_level_concerns"]
    assert row["id"] == added.id and row["what_happened"] == entry.what_happened
    assert row["recorded_by"] == "admin" and row["occurred_on"] == date.today().isoformat()
    # Nowhere else: no child's row, concern, referral or chronology PDF holds it.
    others = {k: v for k, v in data.items() if k != "low_level_concerns"}
    assert canary not in json.dumps(others, ensure_ascii=False)
    for pdf in target.rglob("*.pdf"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert canary not in text and "Sam Coach" not in text, pdf
    (rita,) = [a for a in data["accounts"] if a["username"] == "rita"]
    assert rita["suspended_at"]


def test_a_backup_carries_the_log(store_dir, tmp_path) -> None:
    from safeguard_desktop.services import backup
    from safeguard_desktop.storage import low_level_records

    session = _lead(store_dir)
    try:
        low_level_concerns.record(session, ENTRY)
        report = backup.make_backup(session, tmp_path)
    finally:
        session.lock()
    # Restored into a new folder with the recovery key, the entry is there.
    target = tmp_path / "restored"
    backup.restore_backup(report.path, target, store_dir.recovery_key, "admin", "new-admin-pw-1")
    vault_key_session = Store.open(target).login("admin", "new-admin-pw-1")
    assert isinstance(vault_key_session, CaseSession)
    try:
        (restored,) = low_level_records.all_entries(vault_key_session.conn)
        assert restored.concern == ENTRY
    finally:
        vault_key_session.lock()


def test_the_demo_shows_a_pattern_and_a_suspended_account(tmp_path) -> None:
    from safeguard_desktop.services.demo_store import DEMO_ADMIN, DEMO_HELPER, build_demo_store

    build_demo_store(tmp_path / "demo")
    session = Store.open(tmp_path / "demo").login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        log = low_level_concerns.read_log(session)
        assert len(log.entries) == 4
        assert [a.name for a in log.patterns] == ["Alex Helper (demo)"]
        helper = session.store.vault.user(DEMO_HELPER[0])
        assert helper is not None and helper.suspended
    finally:
        session.lock()


def test_an_entry_goes_only_at_its_review_and_only_once_the_adult_has_left(store_dir) -> None:
    session = _lead(store_dir)
    long_ago = TODAY - timedelta(days=7 * 365)
    try:
        old = low_level_concerns.record(session, replace(ENTRY, occurred_on=long_ago), today=TODAY)
        recent = low_level_concerns.record(session, ENTRY, today=TODAY)
        with pytest.raises(BadInput, match="kept until its review on 1 December 2032"):
            low_level_concerns.delete_after_review(
                session, recent.id, adult_has_left=True, today=TODAY
            )
        with pytest.raises(BadInput, match="only if the adult no longer works or volunteers"):
            low_level_concerns.delete_after_review(
                session, old.id, adult_has_left=False, today=TODAY
            )
        changes = low_level_concerns.delete_after_review(
            session, old.id, adult_has_left=True, today=TODAY
        )
        assert changes.low_level_concerns == frozenset({old.id})
        assert [e.entry_id for e in low_level_concerns.read_log(session).entries] == [recent.id]
        with pytest.raises(BadInput, match="no longer in the log"):
            low_level_concerns.delete_after_review(
                session, old.id, adult_has_left=True, today=TODAY
            )
        deleted = [
            e for e in audit_trail.entries(session, 100) if e.action == "low_level_concern_deleted"
        ]
        # That it went and when it was due; never whom it named or what it said.
        assert [e.detail for e in deleted] == [
            {"id": old.id, "review_due": review_due(long_ago).isoformat()}
        ]
    finally:
        session.lock()
