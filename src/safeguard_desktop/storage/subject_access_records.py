"""Subject access requests' rows (migration 13): the request, the words taken out, the
items withheld, and the response released (services/subject_access.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.subject_access import Exemption, NewRequest, Term
from .case_database import Connection


@dataclass(frozen=True)
class RequestRecord:
    request_id: int
    child_id: int
    requester: str
    relationship: str
    received_on: date
    identity_checked: str
    due_on: date
    recorded_at: str
    recorded_by: str
    released_at: str | None = None
    released_by: str | None = None
    released_sha256: str | None = None
    child_name: str = ""

    def overdue(self, today: date) -> bool:
        return self.released_at is None and self.due_on < today


_COLUMNS = (
    "r.id, r.child_id, r.requester, r.relationship, r.received_on, r.identity_checked,"
    " r.due_on, r.recorded_at, r.recorded_by, r.released_at, r.released_by,"
    " r.released_sha256, coalesce(c.name, '')"
)
_FROM = "FROM subject_access_requests r LEFT JOIN children c ON c.id = r.child_id"


def add(conn: Connection, child_id: int, new: NewRequest, due_on: date, at: str, by: str) -> int:
    cursor = conn.execute(
        "INSERT INTO subject_access_requests (child_id, requester, relationship, received_on,"
        " identity_checked, due_on, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            child_id,
            new.requester,
            new.relationship,
            new.received_on.isoformat(),
            new.identity_checked,
            due_on.isoformat(),
            at,
            by,
        ),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def get(conn: Connection, request_id: int) -> RequestRecord | None:
    row = conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE r.id = ?", (request_id,)).fetchone()
    return _record(row) if row is not None else None


def open_requests(conn: Connection) -> list[RequestRecord]:
    """Requests not answered yet, soonest deadline first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE r.released_at IS NULL ORDER BY r.due_on, r.id"
    ).fetchall()
    return [_record(row) for row in rows]


def for_child(conn: Connection, child_id: int) -> list[RequestRecord]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE r.child_id = ? ORDER BY r.id DESC", (child_id,)
    ).fetchall()
    return [_record(row) for row in rows]


def terms(conn: Connection, request_id: int) -> list[tuple[int, Term]]:
    rows = conn.execute(
        "SELECT id, term, exemption FROM subject_access_terms WHERE request_id = ? ORDER BY id",
        (request_id,),
    ).fetchall()
    return [(int(r[0]), Term(str(r[1]), Exemption(str(r[2])))) for r in rows]


def add_term(conn: Connection, request_id: int, term: Term, at: str, by: str) -> int:
    cursor = conn.execute(
        "INSERT INTO subject_access_terms (request_id, term, exemption, added_at, added_by)"
        " VALUES (?, ?, ?, ?, ?)",
        (request_id, term.text, term.exemption.value, at, by),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def remove_term(conn: Connection, request_id: int, term_id: int) -> bool:
    cursor = conn.execute(
        "DELETE FROM subject_access_terms WHERE request_id = ? AND id = ?", (request_id, term_id)
    )
    return cursor.rowcount > 0


def withheld(conn: Connection, request_id: int) -> dict[str, Exemption]:
    rows = conn.execute(
        "SELECT item_key, exemption FROM subject_access_withheld WHERE request_id = ?",
        (request_id,),
    ).fetchall()
    return {str(r[0]): Exemption(str(r[1])) for r in rows}


def withhold(
    conn: Connection, request_id: int, item_key: str, exemption: Exemption, at: str, by: str
) -> None:
    conn.execute(
        "INSERT INTO subject_access_withheld (request_id, item_key, exemption, decided_at,"
        " decided_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id, item_key) DO UPDATE SET"
        " exemption = excluded.exemption, decided_at = excluded.decided_at,"
        " decided_by = excluded.decided_by",
        (request_id, item_key, exemption.value, at, by),
    )


def release_item(conn: Connection, request_id: int, item_key: str) -> None:
    conn.execute(
        "DELETE FROM subject_access_withheld WHERE request_id = ? AND item_key = ?",
        (request_id, item_key),
    )


def mark_released(
    conn: Connection, request_id: int, at: str, by: str, sha256: str, appendix_sha256: str
) -> None:
    conn.execute(
        "UPDATE subject_access_requests SET released_at = ?, released_by = ?,"
        " released_sha256 = ?, appendix_sha256 = ? WHERE id = ?",
        (at, by, sha256, appendix_sha256, request_id),
    )


def _record(row: tuple[object, ...]) -> RequestRecord:
    (
        request_id, child_id, requester, relationship, received, identity, due, at, by,
        released_at, released_by, released_sha256, child_name,
    ) = row  # fmt: skip
    return RequestRecord(
        request_id=int(str(request_id)),
        child_id=int(str(child_id)),
        requester=str(requester),
        relationship=str(relationship),
        received_on=date.fromisoformat(str(received)),
        identity_checked=str(identity),
        due_on=date.fromisoformat(str(due)),
        recorded_at=str(at),
        recorded_by=str(by),
        released_at=str(released_at) if released_at is not None else None,
        released_by=str(released_by) if released_by is not None else None,
        released_sha256=str(released_sha256) if released_sha256 is not None else None,
        child_name=str(child_name),
    )
