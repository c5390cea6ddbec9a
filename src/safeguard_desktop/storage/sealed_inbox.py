"""inbox.db: a plain SQLite file holding only sealed (encrypted) submissions.

Recorders and guests write here without the database key; only a DSL
session can open what is inside. Each submission is committed with
synchronous=FULL before its receipt is shown. A small table also counts
failed sign-ins per user name, so the increasing delay survives a restart.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import SafeguardError, StoreDamaged
from .file_modes import create_private_file
from .storage_errors import database_error, database_errors_told

INBOX_NAME = "inbox.db"
INBOX_WHAT = "the inbox file"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS sealed ("
    " id INTEGER PRIMARY KEY,"
    " ref TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL,"
    " submitted_at TEXT NOT NULL,"
    " inbox_key BLOB NOT NULL,"
    " sealed BLOB NOT NULL)",
    # A recorder's receipts, sealed to their own key slot: only they can list them.
    "CREATE TABLE IF NOT EXISTS receipts ("
    " id INTEGER PRIMARY KEY,"
    " owner_key BLOB NOT NULL,"
    " sealed BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS receipts_owner ON receipts (owner_key)",
    # Unsent drafts, encrypted under a key only their account's password reaches.
    "CREATE TABLE IF NOT EXISTS drafts ( owner_key BLOB PRIMARY KEY, sealed BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS login_failures ("
    " username TEXT PRIMARY KEY,"
    " failures INTEGER NOT NULL,"
    " last_at REAL NOT NULL)",
)


class DuplicateReference(Exception):
    """The inbox already holds an item with this reference; nothing was written."""


@dataclass(frozen=True)
class SealedItem:
    item_id: int
    ref: str
    kind: str
    submitted_at: str
    inbox_key: bytes
    sealed: bytes


class SealedInbox:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _damaged(self) -> StoreDamaged:
        return StoreDamaged(
            f"The inbox file {self.path} is damaged and cannot be read. It has not been "
            "changed. Restore the data folder from your most recent backup.",
            path=str(self.path),
        )

    def _told(self, err: sqlite3.DatabaseError) -> SafeguardError | None:
        """``err`` as a sentence, told apart by SQLite's result code: a full disk, a
        read-only folder, a lock held by another program or a failing disk is not damage
        (storage/storage_errors.py). None for a bug, which is re-raised as it came."""
        return database_error(err, self.path, INBOX_WHAT, damaged=self._damaged())

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self.path.exists():
            raise StoreDamaged(
                f"The inbox file {self.path} is missing. Restore the data folder from "
                "your most recent backup.",
                path=str(self.path),
            )
        with database_errors_told(self.path, INBOX_WHAT, damaged=self._damaged()):
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        try:
            # Read before any write: SQLite would happily turn an empty or foreign
            # file into a database of its own by setting the journal mode.
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if not {"sealed", "login_failures"} <= tables:
                raise self._damaged()
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            if not {"receipts", "drafts"} <= tables:
                # An inbox from before receipts and drafts: add their tables.
                for statement in _SCHEMA:
                    conn.execute(statement)
            yield conn
        except sqlite3.DatabaseError as err:
            known = self._told(err)
            if known is None:
                raise
            raise known from err
        finally:
            conn.close()

    @classmethod
    def create(cls, path: Path) -> SealedInbox:
        create_private_file(path, exist_ok=True)  # 0600, and so are its -wal and -shm
        with database_errors_told(path, INBOX_WHAT, outcome="the inbox could not be made"):
            conn = sqlite3.connect(path, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                for statement in _SCHEMA:
                    conn.execute(statement)
            finally:
                conn.close()
        return cls(path)

    def put(
        self,
        ref: str,
        kind: str,
        submitted_at: str,
        inbox_key: bytes,
        sealed: bytes,
        *,
        draft_owner: bytes | None = None,
    ) -> None:
        """Store one sealed item; durable when this returns.

        ``draft_owner``: the sender's draft is deleted in the same transaction, so a
        crash can never leave both the sent concern and its draft (sent twice).
        """
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT INTO sealed (ref, kind, submitted_at, inbox_key, sealed) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (ref, kind, submitted_at, inbox_key, sealed),
                )
                if draft_owner is not None:
                    conn.execute("PRAGMA secure_delete = ON")
                    conn.execute("DELETE FROM drafts WHERE owner_key = ?", (draft_owner,))
                conn.execute("COMMIT")
            except sqlite3.IntegrityError:
                # Not damage: the reference is taken. The caller picks another.
                conn.execute("ROLLBACK")
                raise DuplicateReference(ref) from None
            except BaseException:
                # Not after SQLite rolled back itself (disk full, I/O error): a second
                # ROLLBACK would fail and replace the error that says what happened.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def pending(
        self, limit: int | None = None, after_id: int = 0, max_bytes: int | None = None
    ) -> list[SealedItem]:
        """Sealed items in the order they arrived, from just after ``after_id``.

        ``max_bytes``: stop before the items' sealed bytes pass it (but always give the
        first): a concern sealed with its files can be 34 MB, and a batch of them must
        not be read into memory at once.
        """
        with self._connect() as conn:
            if max_bytes is not None:
                sizes = conn.execute(
                    "SELECT id, length(sealed) FROM sealed WHERE id > ? ORDER BY id LIMIT ?",
                    (after_id, -1 if limit is None else limit),
                ).fetchall()
                total, taken = 0, 0
                for _, size in sizes:
                    total += int(size)
                    if taken and total > max_bytes:
                        break
                    taken += 1
                limit = taken
            rows = conn.execute(
                "SELECT id, ref, kind, submitted_at, inbox_key, sealed FROM sealed "
                "WHERE id > ? ORDER BY id LIMIT ?",
                (after_id, -1 if limit is None else limit),
            ).fetchall()
        return [SealedItem(*row) for row in rows]

    def count(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT count(*) FROM sealed").fetchone()[0])

    def remove(self, item_ids: list[int]) -> None:
        """Delete sealed copies whose records are already committed elsewhere."""
        if not item_ids:
            return
        with self._connect() as conn:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("DELETE FROM sealed WHERE id = ?", [(i,) for i in item_ids])
            conn.execute("COMMIT")

    # Receipts -------------------------------------------------------------

    def put_receipt(self, owner_key: bytes, sealed: bytes) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO receipts (owner_key, sealed) VALUES (?, ?)", (owner_key, sealed)
            )

    def move_owner(self, old_key: bytes, new_key: bytes) -> None:
        """Re-label one account's receipts and draft (from its public key to an opaque
        tag only that account can compute: inbox.db then no longer says whose they are)."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "UPDATE receipts SET owner_key = ? WHERE owner_key = ?", (new_key, old_key)
            )
            conn.execute(
                "UPDATE OR IGNORE drafts SET owner_key = ? WHERE owner_key = ?", (new_key, old_key)
            )
            conn.execute("COMMIT")

    def receipts(self, owner_key: bytes) -> list[bytes]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT sealed FROM receipts WHERE owner_key = ? ORDER BY id", (owner_key,)
            ).fetchall()
        return [bytes(r[0]) for r in rows]

    # Drafts ---------------------------------------------------------------

    def put_draft(self, owner_key: bytes, sealed: bytes) -> None:
        """Replace this account's draft; durable when this returns."""
        with self._connect() as conn:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute(
                "INSERT INTO drafts (owner_key, sealed) VALUES (?, ?) "
                "ON CONFLICT(owner_key) DO UPDATE SET sealed = excluded.sealed",
                (owner_key, sealed),
            )

    def draft(self, owner_key: bytes) -> bytes | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT sealed FROM drafts WHERE owner_key = ?", (owner_key,)
            ).fetchone()
        return bytes(row[0]) if row else None

    def delete_draft(self, owner_key: bytes) -> None:
        with self._connect() as conn:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("DELETE FROM drafts WHERE owner_key = ?", (owner_key,))

    # Failed sign-ins ------------------------------------------------------

    def failures(self, username: str) -> tuple[int, float]:
        """(failures, when the last one was, as a Unix time); (0, 0.0) when none are
        recorded, or when what is there is not numbers (anyone can edit this file)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT failures, last_at FROM login_failures WHERE username = ?",
                (username.casefold(),),
            ).fetchone()
        try:
            return (int(row[0]), float(row[1])) if row else (0, 0.0)
        except (TypeError, ValueError, OverflowError):
            return (0, 0.0)

    def record_failure(self, username: str, at_least: int = 1) -> int:
        """Count one more failure (and at least ``at_least``, the count kept elsewhere)."""
        now = time.time()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO login_failures (username, failures, last_at) VALUES (?, max(1, ?), ?)"
                " ON CONFLICT(username) DO UPDATE SET"
                " failures = max(coalesce(failures, 0) + 1, ?), last_at = ?",
                (username.casefold(), at_least, now, at_least, now),
            )
            count = conn.execute(
                "SELECT failures FROM login_failures WHERE username = ?", (username.casefold(),)
            ).fetchone()[0]
            conn.execute("COMMIT")
        return int(count)

    def clamp_failure_time(self, username: str, now: float) -> None:
        """Bring a last failure dated after ``now`` back to ``now``."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE login_failures SET last_at = ? WHERE username = ? AND NOT last_at <= ?",
                (now, username.casefold(), now),
            )

    def clear_failures(self, username: str) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM login_failures WHERE username = ?", (username.casefold(),))
