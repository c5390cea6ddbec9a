"""Schema version 2 (casework): an older case database is upgraded with nothing lost."""

from __future__ import annotations

import json
import logging
import secrets
import shutil
from pathlib import Path

import pytest

from casework_data import concern_data
from safeguard_desktop.domain.errors import StoreDamaged
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.storage import case_database, children_records, concern_search
from safeguard_desktop.storage.schema import MIGRATIONS, SCHEMA_VERSION


def _version_1_database(path: Path, key: bytes, bodies: list[dict[str, object]]) -> None:
    conn = case_database._connect(path, key)
    try:
        for statement in case_database._statements(MIGRATIONS[0]):
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        for i, body in enumerate(bodies):
            conn.execute(
                "INSERT INTO concerns (ref, submitted_at, received_at, submitter,"
                " format_version, body) VALUES (?, ?, ?, ?, 1, ?)",
                (
                    f"C-OLD0-000{i}",
                    "2026-11-01T10:00:00+00:00",
                    "2026-11-01T10:05:00+00:00",
                    json.dumps({"name": "Rita Recorder", "role": "recorder", "username": "rita"}),
                    json.dumps(body, ensure_ascii=False),
                ),
            )
    finally:
        conn.close()


def test_version_1_concerns_are_listed_searchable_and_ready_to_link(tmp_path: Path) -> None:
    path, key = tmp_path / "cases.db", secrets.token_bytes(32)
    two_children = concern_data(
        name="Łucja Nowak",
        observed="Scratches on the neck.",
        extra_children=({"name": "Jan Nowak", "approximate_age": 6},),
        categories=("physical_abuse", "neglect"),
    )
    _version_1_database(path, key, [concern_data(), two_children])
    conn = case_database.open_database(path, key)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        # The copy made before migrating is gone once the result checked out: it would
        # open with this key even after the key is rotated (issue 11).
        assert not list(tmp_path.glob("*.bak"))
        rows = concern_search.search(conn, SearchFilters())
        assert [r.ref for r in rows] == ["C-OLD0-0001", "C-OLD0-0000"]
        assert rows[0].child_names == "Łucja Nowak; Jan Nowak"
        assert rows[0].categories == ("physical_abuse", "neglect")
        assert rows[0].recorder_name == "Rita Recorder"
        assert rows[0].unlinked_children == 2
        assert rows[0].occurred_at == two_children["occurred_at"]
        found = concern_search.search(conn, SearchFilters(text="lucja scratch"))
        assert [r.ref for r in found] == ["C-OLD0-0001"]
        neglect = concern_search.search(conn, SearchFilters(categories=("neglect",)))
        assert [r.ref for r in neglect] == ["C-OLD0-0001"]
        assert [link.position for link in children_records.links_for_concern(conn, 2)] == [0, 1]
    finally:
        conn.close()


def test_failed_upgrade_keeps_the_copy_and_logs_where_it_is(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path, key = tmp_path / "cases.db", secrets.token_bytes(32)
    body = concern_data(name="Łucja Nowak", observed="Scratches on the neck.")
    _version_1_database(path, key, [body])
    conn = case_database._connect(path, key)
    conn.execute("CREATE TABLE children (x)")  # the casework step creates it: that step fails
    conn.close()
    backup = tmp_path / "cases.db.before-v2.bak"

    with caplog.at_level(logging.INFO), pytest.raises(StoreDamaged, match="could not be upgraded"):
        case_database.open_database(path, key)
    # Kept, and the log says where, with no record text.
    assert backup.exists()
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(str(backup) in message for message in warnings), warnings
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Łucja" not in logged and "Scratches" not in logged
    # The copy is the version 1 database, as encrypted as the original.
    assert b"Scratches" not in backup.read_bytes()
    old = case_database._connect(backup, key)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert old.execute("SELECT count(*) FROM concerns").fetchone()[0] == 1
    finally:
        old.close()

    # Once the upgrade goes through (the stray table gone), the copy goes too.
    conn = case_database._connect(path, key)
    conn.execute("DROP TABLE children")
    conn.close()
    conn = case_database.open_database(path, key)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM concerns").fetchone()[0] == 1
    finally:
        conn.close()
    assert not backup.exists()


def test_a_copy_left_by_an_earlier_version_is_removed_at_the_next_open(tmp_path: Path) -> None:
    # An earlier version kept its copy, keyed with the key of its day; the key has been
    # rotated since (an account removed), so the old key must not open anything left.
    old_key, key = secrets.token_bytes(32), secrets.token_bytes(32)
    _version_1_database(tmp_path / "old.db", old_key, [concern_data()])
    leftover = tmp_path / "cases.db.before-v2.bak"
    shutil.move(tmp_path / "old.db", leftover)
    path = tmp_path / "cases.db"
    case_database.create_database(path, key).close()

    conn = case_database.open_database(path, key)
    conn.close()
    assert not leftover.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.db"]
