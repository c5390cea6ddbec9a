"""The append-only, hash-chained audit log inside the case database.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's
own canonical JSON, so changing, removing or reordering any entry breaks
every link after it. Triggers refuse UPDATE and DELETE. Details hold
references and counts, never record text, names of children or secrets.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from .case_database import Connection, DatabaseError

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    detail: dict[str, object]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditReport:
    ok: bool
    entries: int
    first_broken: int | None
    head_seq: int
    head_hash: str
    reason: str


def canonical(seq: int, at: str, actor: str, action: str, detail: dict[str, object]) -> bytes:
    return json.dumps(
        {"seq": seq, "at": at, "actor": actor, "action": action, "detail": detail},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")


def entry_hash(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()


def head(conn: Connection) -> tuple[int, str]:
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def append(conn: Connection, actor: str, action: str, detail: dict[str, object]) -> AuditEntry:
    """Add one entry; call inside the transaction of the write it records."""
    prev_seq, prev_hash = head(conn)
    seq = prev_seq + 1
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    body = canonical(seq, at, actor, action, detail)
    digest = entry_hash(prev_hash, body)
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            at,
            actor,
            action,
            json.dumps(detail, sort_keys=True, ensure_ascii=False),
            prev_hash,
            digest,
        ),
    )
    return AuditEntry(seq, datetime.fromisoformat(at), actor, action, detail, prev_hash, digest)


def _row_entry(row: tuple[object, ...]) -> AuditEntry:
    seq, at, actor, action, detail, prev_hash, digest = row
    return AuditEntry(
        seq=int(str(seq)),
        at=datetime.fromisoformat(str(at)),
        actor=str(actor),
        action=str(action),
        detail=json.loads(str(detail)),
        prev_hash=str(prev_hash),
        hash=str(digest),
    )


def recent(conn: Connection, limit: int = 200) -> list[AuditEntry]:
    rows = conn.execute(
        "SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit_log "
        "ORDER BY seq DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [_row_entry(r) for r in rows]


# SQLite writes each entry's canonical JSON (json_quote escapes as json.dumps does with
# ensure_ascii=False, json() keeps the stored detail's sorted keys and drops its spaces),
# so only the hashing is left to Python: half the time of canonical() per entry, which
# matters at sign-in on a big store (656,000 entries: 4.1 s to 1.9 s, bench_casework.py).
_CANONICAL_SQL = (
    "SELECT seq, prev_hash, hash, json_object('action', action, 'actor', actor, 'at', at,"
    " 'detail', json(detail), 'seq', seq) FROM audit_log ORDER BY seq"
)


def _intact_quickly(conn: Connection) -> AuditReport | None:
    """The report for an unbroken chain, read quickly; None if any entry needs a closer look.

    None is no verdict: :func:`verify` then walks the chain entry by entry, so an entry
    this shortcut cannot confirm is judged exactly as before, and a report of a broken
    link always comes from that walk.
    """
    expected_prev, count = GENESIS, 0
    sha256 = hashlib.sha256
    try:
        for seq, prev_hash, digest, body in conn.execute(_CANONICAL_SQL):
            count += 1
            if (
                seq != count
                or prev_hash != expected_prev
                or sha256(f"{prev_hash}{body}".encode()).hexdigest() != digest
            ):
                return None
            expected_prev = digest
    except DatabaseError:  # e.g. a detail that is not JSON: the walk says which entry
        return None
    return AuditReport(
        True, count, None, count, expected_prev, "the audit log is complete and unchanged"
    )


def verify(conn: Connection, *, as_closed: tuple[int, str] | None = None) -> AuditReport:
    """Walk the whole chain; report the first entry whose link is broken.

    ``as_closed`` is the head a session that found the chain intact left behind, given
    only while cases.db is exactly as that session closed it
    (case_database.audit_head_as_closed): if it is still the head, no entry can have
    changed since it was checked, and the walk is skipped.
    """
    if as_closed is not None and head(conn) == as_closed:
        seq, digest = as_closed
        return AuditReport(True, seq, None, seq, digest, "the audit log is complete and unchanged")
    report = _intact_quickly(conn)
    if report is not None:
        return report
    expected_prev, expected_seq, count = GENESIS, 1, 0
    cursor = conn.execute(
        "SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit_log ORDER BY seq"
    )
    for seq, at, actor, action, detail, prev_hash, digest in cursor:
        count += 1
        problem = None
        if seq != expected_seq:
            problem = f"entry {expected_seq} is missing"
        elif prev_hash != expected_prev:
            problem = f"entry {seq} does not follow entry {seq - 1}"
        else:
            try:
                body = canonical(seq, at, actor, action, json.loads(detail))
            except (TypeError, ValueError):
                body = b""
            if entry_hash(prev_hash, body) != digest:
                problem = f"entry {seq} was changed after it was written"
        if problem:
            return AuditReport(
                False,
                count,
                expected_seq if seq != expected_seq else seq,
                expected_seq - 1,
                expected_prev,
                problem,
            )
        expected_prev, expected_seq = digest, seq + 1
    return AuditReport(
        True,
        count,
        None,
        expected_seq - 1,
        expected_prev,
        "the audit log is complete and unchanged",
    )


def hash_at(conn: Connection, seq: int) -> str | None:
    """The stored hash of entry ``seq``, or None when there is no such entry."""
    row = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    return str(row[0]) if row else None


def entry_time(conn: Connection, seq: int) -> str | None:
    row = conn.execute("SELECT at FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    return str(row[0]) if row else None
