"""Inbox items that could not be accepted, kept whole with the reason (never dropped)."""

from __future__ import annotations

from dataclasses import dataclass

from .case_database import Connection
from .case_records import utc_now


@dataclass(frozen=True)
class QuarantinedItem:
    item_id: int
    ref: str
    kind: str
    said_sent_at: str
    arrived_at: str
    reason: str
    detail: str
    inbox_key: bytes
    sealed: bytes
    resolved_at: str | None
    resolution: str | None


_COLUMNS = (
    "id, ref, kind, said_sent_at, arrived_at, reason, detail, inbox_key, sealed,"
    " resolved_at, resolution"
)


def _item(row: tuple[object, ...]) -> QuarantinedItem:
    return QuarantinedItem(
        item_id=int(str(row[0])),
        ref=str(row[1]),
        kind=str(row[2]),
        said_sent_at=str(row[3]),
        arrived_at=str(row[4]),
        reason=str(row[5]),
        detail=str(row[6]),
        inbox_key=bytes(row[7]),  # type: ignore[call-overload]
        sealed=bytes(row[8]),  # type: ignore[call-overload]
        resolved_at=None if row[9] is None else str(row[9]),
        resolution=None if row[10] is None else str(row[10]),
    )


def add(
    conn: Connection,
    *,
    ref: str,
    kind: str,
    said_sent_at: str,
    reason: str,
    detail: str,
    inbox_key: bytes,
    sealed: bytes,
    file_sha256: str | None = None,
) -> int:
    """Keep one item; call inside the transaction that removes it from the inbox's view.
    ``file_sha256``: a file from the stations' drop folder, kept by its hash alone."""
    cursor = conn.execute(
        "INSERT INTO quarantine (ref, kind, said_sent_at, arrived_at, reason, detail,"
        " inbox_key, sealed, file_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ref[:64],
            kind[:32],
            said_sent_at[:64],
            utc_now(),
            reason,
            detail[:200],
            inbox_key,
            sealed,
            file_sha256,
        ),
    )
    return int(cursor.lastrowid or 0)


def is_kept(
    conn: Connection, *, ref: str, sealed: bytes | None = None, file_sha256: str | None = None
) -> bool:
    """Whether an item still waiting in quarantine is this one: the same reference and
    sealed bytes, or (a file from the drop folder) the same name and SHA-256."""
    if sealed is not None:
        row = conn.execute(
            "SELECT 1 FROM quarantine WHERE resolved_at IS NULL AND ref = ? AND sealed = ?",
            (ref, sealed),
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT 1 FROM quarantine WHERE resolved_at IS NULL AND ref = ? AND file_sha256 = ?",
            (ref, file_sha256),
        ).fetchone()
    return row is not None


def unresolved(conn: Connection) -> list[QuarantinedItem]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM quarantine WHERE resolved_at IS NULL ORDER BY id"
    ).fetchall()
    return [_item(r) for r in rows]


def get(conn: Connection, item_id: int) -> QuarantinedItem | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM quarantine WHERE id = ?", (item_id,)).fetchone()
    return _item(row) if row else None


def resolve(conn: Connection, item_id: int, by: str, resolution: str) -> None:
    """Mark an item dealt with; the row (and its sealed bytes) stays."""
    conn.execute(
        "UPDATE quarantine SET resolved_at = ?, resolved_by = ?, resolution = ?"
        " WHERE id = ? AND resolved_at IS NULL",
        (utc_now(), by, resolution, item_id),
    )
