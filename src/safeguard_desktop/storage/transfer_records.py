"""Transfers' rows (migration 14): each child's file sent to a new school or club, with
the receipt, and each file received from an earlier one with its records as sent
(services/transfer.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from .case_database import Connection


@dataclass(frozen=True)
class SentRecord:
    sent_id: int
    transfer_id: str
    child_id: int
    to_organisation: str
    sent_how: str
    made_at: str
    made_by: str
    pdf_sha256: str
    package_sha256: str
    receipt_due_on: date
    receipt_at: str | None
    receipt_by: str | None
    receipt_note: str | None
    receipt_fingerprint: str | None
    child_name: str = ""

    @property
    def receipt_confirmed(self) -> bool:
        return self.receipt_at is not None

    def overdue(self, today: date) -> bool:
        return self.receipt_at is None and self.receipt_due_on < today


@dataclass(frozen=True)
class ReceivedRecord:
    received_id: int
    transfer_id: str
    child_id: int
    from_organisation: str
    sent_at: str
    sent_by: str
    sender_fingerprint: str
    package_sha256: str
    received_at: str
    received_by: str

    @property
    def sent_on(self) -> date:
        return date.fromisoformat(self.sent_at[:10])


@dataclass(frozen=True)
class StoredItem:
    item_id: int
    section: str
    heading: str
    lines: tuple[str, ...]
    occurred: str


@dataclass(frozen=True)
class NewSent:
    transfer_id: str
    child_id: int
    to_organisation: str
    sent_how: str
    made_at: str
    made_by: str
    pdf_sha256: str
    package_sha256: str
    receipt_key: bytes
    receipt_due_on: date


_SENT = (
    "s.id, s.transfer_id, s.child_id, s.to_organisation, s.sent_how, s.made_at, s.made_by,"
    " s.pdf_sha256, s.package_sha256, s.receipt_due_on, s.receipt_at, s.receipt_by,"
    " s.receipt_note, s.receipt_fingerprint, coalesce(c.name, '')"
    " FROM transfers_sent s LEFT JOIN children c ON c.id = s.child_id"
)
_RECEIVED = (
    "id, transfer_id, child_id, from_organisation, sent_at, sent_by, sender_fingerprint,"
    " package_sha256, received_at, received_by FROM transfers_received"
)


def _sent(row: tuple[object, ...]) -> SentRecord:
    return SentRecord(
        sent_id=int(str(row[0])),
        transfer_id=str(row[1]),
        child_id=int(str(row[2])),
        to_organisation=str(row[3]),
        sent_how=str(row[4]),
        made_at=str(row[5]),
        made_by=str(row[6]),
        pdf_sha256=str(row[7]),
        package_sha256=str(row[8]),
        receipt_due_on=date.fromisoformat(str(row[9])),
        receipt_at=None if row[10] is None else str(row[10]),
        receipt_by=None if row[11] is None else str(row[11]),
        receipt_note=None if row[12] is None else str(row[12]),
        receipt_fingerprint=None if row[13] is None else str(row[13]),
        child_name=str(row[14]),
    )


def _received(row: tuple[object, ...]) -> ReceivedRecord:
    return ReceivedRecord(
        received_id=int(str(row[0])),
        transfer_id=str(row[1]),
        child_id=int(str(row[2])),
        from_organisation=str(row[3]),
        sent_at=str(row[4]),
        sent_by=str(row[5]),
        sender_fingerprint=str(row[6]),
        package_sha256=str(row[7]),
        received_at=str(row[8]),
        received_by=str(row[9]),
    )


def add_sent(conn: Connection, new: NewSent) -> int:
    cursor = conn.execute(
        "INSERT INTO transfers_sent (transfer_id, child_id, to_organisation, sent_how, made_at,"
        " made_by, pdf_sha256, package_sha256, receipt_key, receipt_due_on)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.transfer_id,
            new.child_id,
            new.to_organisation,
            new.sent_how,
            new.made_at,
            new.made_by,
            new.pdf_sha256,
            new.package_sha256,
            new.receipt_key,
            new.receipt_due_on.isoformat(),
        ),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def sent(conn: Connection, sent_id: int) -> SentRecord | None:
    row = conn.execute(f"SELECT {_SENT} WHERE s.id = ?", (sent_id,)).fetchone()
    return None if row is None else _sent(row)


def sent_by_transfer(conn: Connection, transfer_id: str) -> tuple[SentRecord, bytes] | None:
    """The transfer sent with this id, and the key its receipt is checked with."""
    row = conn.execute(
        f"SELECT {_SENT.replace(' FROM', ', s.receipt_key FROM', 1)} WHERE s.transfer_id = ?",
        (transfer_id,),
    ).fetchone()
    return None if row is None else (_sent(row[:15]), bytes(row[15]))


def sent_for_child(conn: Connection, child_id: int) -> list[SentRecord]:
    rows = conn.execute(f"SELECT {_SENT} WHERE s.child_id = ? ORDER BY s.id", (child_id,))
    return [_sent(r) for r in rows]


def awaiting_receipt(conn: Connection) -> list[SentRecord]:
    """Transfers whose receipt is not confirmed yet, soonest due first."""
    rows = conn.execute(
        f"SELECT {_SENT} WHERE s.receipt_at IS NULL ORDER BY s.receipt_due_on, s.id"
    )
    return [_sent(r) for r in rows]


def transferred_children(conn: Connection) -> set[int]:
    return {int(r[0]) for r in conn.execute("SELECT DISTINCT child_id FROM transfers_sent")}


def record_receipt(
    conn: Connection, sent_id: int, at: str, by: str, note: str, fingerprint: str | None
) -> bool:
    """Mark the receipt confirmed; False when it already was."""
    cursor = conn.execute(
        "UPDATE transfers_sent SET receipt_at = ?, receipt_by = ?, receipt_note = ?,"
        " receipt_fingerprint = ? WHERE id = ? AND receipt_at IS NULL",
        (at, by, note, fingerprint, sent_id),
    )
    return cursor.rowcount == 1


def add_received(
    conn: Connection,
    *,
    transfer_id: str,
    child_id: int,
    from_organisation: str,
    sent_at: str,
    sent_by: str,
    sender_fingerprint: str,
    package_sha256: str,
    receipt_key: bytes,
    received_at: str,
    received_by: str,
    serious: bool,
) -> int:
    cursor = conn.execute(
        "INSERT INTO transfers_received (transfer_id, child_id, from_organisation, sent_at,"
        " sent_by, sender_fingerprint, package_sha256, receipt_key, received_at, received_by,"
        " serious) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            transfer_id,
            child_id,
            from_organisation,
            sent_at,
            sent_by,
            sender_fingerprint,
            package_sha256,
            receipt_key,
            received_at,
            received_by,
            int(serious),
        ),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def add_item(
    conn: Connection,
    received_id: int,
    child_id: int,
    position: int,
    section: str,
    heading: str,
    lines: tuple[str, ...],
    occurred: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO transferred_items (received_id, child_id, position, section, heading,"
        " lines, occurred) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            received_id,
            child_id,
            position,
            section,
            heading,
            json.dumps(list(lines), ensure_ascii=False),
            occurred,
        ),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def received(conn: Connection, received_id: int) -> tuple[ReceivedRecord, bytes] | None:
    """A transfer received, and the key its receipt is made with."""
    row = conn.execute(
        f"SELECT {_RECEIVED.replace(' FROM', ', receipt_key FROM', 1)} WHERE id = ?",
        (received_id,),
    ).fetchone()
    return None if row is None else (_received(row[:10]), bytes(row[10]))


def deleted_on(conn: Connection, transfer_id: str) -> str | None:
    """When the child's file this transfer went into was deleted at its review, if it was."""
    row = conn.execute(
        "SELECT deleted_at FROM transfers_deleted WHERE transfer_id = ?", (transfer_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def received_by_transfer(conn: Connection, transfer_id: str) -> ReceivedRecord | None:
    row = conn.execute(f"SELECT {_RECEIVED} WHERE transfer_id = ?", (transfer_id,)).fetchone()
    return None if row is None else _received(row)


def received_for_child(conn: Connection, child_id: int) -> list[ReceivedRecord]:
    rows = conn.execute(f"SELECT {_RECEIVED} WHERE child_id = ? ORDER BY id", (child_id,))
    return [_received(r) for r in rows]


def items(conn: Connection, received_id: int) -> list[StoredItem]:
    rows = conn.execute(
        "SELECT id, section, heading, lines, occurred FROM transferred_items"
        " WHERE received_id = ? ORDER BY position",
        (received_id,),
    )
    return [
        StoredItem(int(r[0]), str(r[1]), str(r[2]), tuple(json.loads(str(r[3]))), str(r[4]))
        for r in rows
    ]


def all_received(conn: Connection) -> list[ReceivedRecord]:
    return [_received(r) for r in conn.execute(f"SELECT {_RECEIVED} ORDER BY id")]
