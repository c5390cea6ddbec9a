"""Repositories over the case database: transactions, settings, inbox keys, concerns."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime

from ..domain.concern import CONCERN_FORMAT_VERSION, Concern
from ..domain.errors import BadInput, SafeguardError, StoreDamaged, StoreReadOnly, StoreTooNew
from .case_database import CASES_WHAT, Connection, DatabaseError, database_path
from .concern_search import reindex_concern
from .storage_errors import database_error


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# Set on a connection by the session that owns it (services/session.py): a sentence
# that refuses every write (the store is open read-only), and a callable run after
# every commit (it moves the audit anchor kept outside cases.db).
READ_ONLY_ATTR = "sg_read_only"
AFTER_COMMIT_ATTR = "sg_after_commit"


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back on any error.

    A database error that the user can act on (the disk is full, another program holds
    the file, the disk failed, the file is damaged) comes out as its one sentence
    (storage/storage_errors.py); any other is a bug and comes out as it was raised.
    """
    refusal = getattr(conn, READ_ONLY_ATTR, None)
    if refusal:
        raise StoreReadOnly(str(refusal))
    try:
        conn.execute("BEGIN IMMEDIATE")  # SQLITE_BUSY after the timeout: another writer
        try:
            yield conn
        except BaseException:
            # SQLite may already have rolled back (disk full, I/O error): a second
            # ROLLBACK would fail and hide the error that says what happened.
            if conn.in_transaction:
                with suppress(DatabaseError):
                    conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            # A COMMIT that failed (the log could not be written) may leave the
            # transaction open: undo it, so the next write starts clean.
            if conn.in_transaction:
                with suppress(DatabaseError):
                    conn.execute("ROLLBACK")
            raise
    except DatabaseError as err:
        known = _told(conn, err)
        if known is None:
            raise
        raise known from err
    after = getattr(conn, AFTER_COMMIT_ATTR, None)
    if after is not None:
        after()


def _told(conn: Connection, err: DatabaseError) -> SafeguardError | None:
    path = database_path(conn)
    return None if path is None else database_error(err, path, CASES_WHAT)


def set_read_only(conn: Connection, refusal: str | None) -> None:
    """Refuse every write on ``conn`` with the sentence ``refusal`` (None: allow again).

    Checked by :func:`transaction` for a plain answer, and enforced by SQLite itself
    (``query_only``) for anything that would write without one.
    """
    setattr(conn, READ_ONLY_ATTR, refusal)
    conn.execute(f"PRAGMA query_only = {'ON' if refusal else 'OFF'}")


def after_every_commit(conn: Connection, callback: Callable[[], None] | None) -> None:
    setattr(conn, AFTER_COMMIT_ATTR, callback)


@contextmanager
def savepoint(conn: Connection) -> Iterator[None]:
    """Inside a transaction: undo this block alone when it raises (the error propagates)."""
    conn.execute("SAVEPOINT sg_item")
    try:
        yield
    except BaseException:
        # Not after SQLite rolled the whole transaction back itself (disk full): the
        # savepoint is gone, and ROLLBACK TO would replace the error that says why.
        if conn.in_transaction:
            conn.execute("ROLLBACK TO sg_item")
            conn.execute("RELEASE sg_item")
        raise
    conn.execute("RELEASE sg_item")


# Settings --------------------------------------------------------------------


def get_setting(conn: Connection, key: str, default: object = None) -> object:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def set_setting(conn: Connection, key: str, value: object) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value)),
    )


# Inbox keys ------------------------------------------------------------------


def add_inbox_key(conn: Connection, public_key: bytes, private_key: bytes) -> None:
    conn.execute("UPDATE inbox_keys SET retired_at = ? WHERE retired_at IS NULL", (utc_now(),))
    conn.execute(
        "INSERT INTO inbox_keys (public_key, private_key, created_at) VALUES (?, ?, ?)",
        (public_key, private_key, utc_now()),
    )


def current_inbox_public_key(conn: Connection) -> bytes | None:
    """The inbox key new concerns are sealed to, as the case database holds it (the one
    not retired); None only in a database from before the first key was made."""
    row = conn.execute(
        "SELECT public_key FROM inbox_keys WHERE retired_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return bytes(row[0]) if row else None


def inbox_key_retired_at(conn: Connection, public_key: bytes) -> str | None:
    """When the inbox key ``public_key`` was replaced (an account removed or suspended:
    services/session.py rotate_keys), or None while it is current or not ours."""
    row = conn.execute(
        "SELECT retired_at FROM inbox_keys WHERE public_key = ?", (public_key,)
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def inbox_private_keys(conn: Connection) -> dict[bytes, bytes]:
    """Every inbox key ever used, current and retired, by public key."""
    rows = conn.execute("SELECT public_key, private_key FROM inbox_keys").fetchall()
    return {bytes(pub): bytes(priv) for pub, priv in rows}


# Concerns --------------------------------------------------------------------


@dataclass(frozen=True)
class StoredConcern:
    """A concern as stored: its row, the JSON exactly as it was sealed (``body``, which
    the export and the command line give out as it is), and the same concern read once
    into its typed form (``recorded``), which is what every screen and use case reads."""

    concern_id: int
    ref: str
    submitted_at: str
    received_at: str
    submitter: dict[str, object]
    format_version: int
    body: dict[str, object]
    status: str
    recorded: Concern


def recorded_concern(ref: str, format_version: int, body: object, received_at: str) -> Concern:
    """The typed concern a stored body holds: the one place each format version is read.

    A stored concern passed ``Concern.from_json`` when it was received, and is read through
    it again here with the time it was received as "now", so a PC clock set back later
    cannot make it a concern from the future. Version 1 is the only format so far; a later
    one gets its own branch here, and every reader keeps reading ``Concern``.
    """
    if format_version != CONCERN_FORMAT_VERSION:
        raise StoreTooNew(
            f"Concern {ref} was recorded by a newer version of Safeguard Desktop; update this "
            "app to read it."
        )
    try:
        return Concern.from_json(body, now=datetime.fromisoformat(received_at))
    except (BadInput, ValueError, TypeError):
        raise StoreDamaged(
            f"Concern {ref} is stored in a form that cannot be read; it has not been changed."
        ) from None


def insert_concern(
    conn: Connection,
    *,
    ref: str,
    submitted_at: str,
    submitter: dict[str, object],
    format_version: int,
    body: dict[str, object],
) -> int:
    """Store one concern as submitted, with its list columns, links to fill and search index."""
    children = body.get("children")
    children = children if isinstance(children, list) else []
    names = "; ".join(str(c.get("name", "")) for c in children if isinstance(c, dict))
    listed = body.get("categories")
    categories = [str(c) for c in listed] if isinstance(listed, list) else []
    cursor = conn.execute(
        "INSERT INTO concerns (ref, submitted_at, received_at, submitter, format_version, body,"
        " occurred_at, child_names, categories, recorder_name, recorder_username,"
        " immediate_danger) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ref,
            submitted_at,
            utc_now(),
            json.dumps(submitter, ensure_ascii=False),
            format_version,
            json.dumps(body, ensure_ascii=False),
            str(body.get("occurred_at") or submitted_at),
            names,
            ",".join(categories),
            str(submitter.get("name") or ""),
            submitter.get("username"),
            1 if body.get("immediate_danger") else 0,
        ),
    )
    concern_id = int(cursor.lastrowid or 0)
    conn.executemany(
        "INSERT INTO concern_categories (concern_id, category) VALUES (?, ?)",
        [(concern_id, c) for c in categories],
    )
    conn.executemany(
        "INSERT INTO concern_children (concern_id, position) VALUES (?, ?)",
        [(concern_id, i) for i in range(len(children))],
    )
    reindex_concern(conn, concern_id)
    return concern_id


def concern_exists(conn: Connection, ref: str) -> bool:
    return conn.execute("SELECT 1 FROM concerns WHERE ref = ?", (ref,)).fetchone() is not None


def count_concerns(conn: Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM concerns").fetchone()[0])


_COLUMNS = "id, ref, submitted_at, received_at, submitter, format_version, body, status"


def _concern(row: tuple[object, ...]) -> StoredConcern:
    cid, ref, submitted_at, received_at, submitter, version, body, status = row
    parsed = json.loads(str(body))
    return StoredConcern(
        concern_id=int(str(cid)),
        ref=str(ref),
        submitted_at=str(submitted_at),
        received_at=str(received_at),
        submitter=json.loads(str(submitter)),
        format_version=int(str(version)),
        body=parsed,
        status=str(status),
        recorded=recorded_concern(str(ref), int(str(version)), parsed, str(received_at)),
    )


def list_concerns(conn: Connection, limit: int = 1000, offset: int = 0) -> list[StoredConcern]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM concerns ORDER BY submitted_at DESC, id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [_concern(r) for r in rows]


def get_concern(conn: Connection, ref: str) -> StoredConcern | None:
    query = f"SELECT {_COLUMNS} FROM concerns WHERE ref = ?"
    row = conn.execute(query, (ref,)).fetchone()
    return _concern(row) if row else None
