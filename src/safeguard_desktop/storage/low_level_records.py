"""The low-level concerns log's rows (migration 9): added, read, never linked to a child.

Rows are added, and deleted one at a time at their retention review (the rule is
domain/low_level_concerns.py's; the database overwrites what it deletes: secure_delete).
"""

from __future__ import annotations

from datetime import date, datetime

from ..domain.low_level_concerns import LowLevelConcern, StoredLowLevelConcern
from .case_database import Connection

_COLUMNS = (
    "id, occurred_on, adult_name, adult_role, what_happened, action_taken,"
    " recorded_at, recorded_by, recorded_by_name"
)


def add(
    conn: Connection,
    entry: LowLevelConcern,
    *,
    recorded_at: str,
    recorded_by: str,
    recorded_by_name: str,
) -> int:
    """Store one entry (inside the caller's transaction); its id."""
    cursor = conn.execute(
        "INSERT INTO low_level_concerns (occurred_on, adult_name, adult_role, what_happened,"
        " action_taken, recorded_at, recorded_by, recorded_by_name)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.occurred_on.isoformat(),
            entry.adult_name,
            entry.adult_role,
            entry.what_happened,
            entry.action_taken,
            recorded_at,
            recorded_by,
            recorded_by_name,
        ),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def all_entries(conn: Connection) -> list[StoredLowLevelConcern]:
    """Every entry, newest first (by the day it happened, then as recorded)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM low_level_concerns ORDER BY occurred_on DESC, id DESC"
    ).fetchall()
    return [_stored(row) for row in rows]


def get(conn: Connection, entry_id: int) -> StoredLowLevelConcern | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM low_level_concerns WHERE id = ?", (entry_id,)
    ).fetchone()
    return _stored(row) if row is not None else None


def delete(conn: Connection, entry_id: int) -> None:
    """Remove one entry (inside the caller's transaction)."""
    conn.execute("DELETE FROM low_level_concerns WHERE id = ?", (entry_id,))


def count(conn: Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM low_level_concerns").fetchone()[0])


def _stored(row: tuple[object, ...]) -> StoredLowLevelConcern:
    (entry_id, occurred_on, name, role, what, action, at, by, by_name) = row
    return StoredLowLevelConcern(
        entry_id=int(str(entry_id)),
        concern=LowLevelConcern(
            occurred_on=date.fromisoformat(str(occurred_on)),
            adult_name=str(name),
            adult_role=str(role),
            what_happened=str(what),
            action_taken=str(action),
        ),
        recorded_at=datetime.fromisoformat(str(at)),
        recorded_by=str(by),
        recorded_by_name=str(by_name),
    )
