"""Schema version 2 (casework): an older case database is upgraded with nothing lost."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from casework_data import concern_data
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
        assert (tmp_path / "cases.db.before-v2.bak").exists()
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
