"""Consistent copies of the two databases, and the checks a copy must pass.

A backup never copies a live file: cases.db is copied with ``VACUUM INTO`` on a
connection of its own (SQLCipher writes the copy under the same key; the app's own
connection keeps working meanwhile, as WAL lets a reader and a writer run together),
inbox.db with SQLite's backup API. A copy read back from a backup is then checked as
thoroughly as the program can: every page's HMAC, the integrity of every table and
index, and the audit chain walked to its head.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import audit_log, vault_copy
from .case_database import Connection, DatabaseError, connect_keyed

# SQLite calls the progress handler every this many virtual-machine steps.
_PROGRESS_STEPS = 20_000


def snapshot_case_database(
    path: Path, key: bytes, target: Path, tick: Callable[[], bool] | None = None
) -> None:
    """Write a consistent, encrypted copy of ``path`` to ``target`` (which must not exist).

    ``tick`` is called now and then; returning True cancels (the partial copy is removed).
    """
    conn = connect_keyed(path, key)
    try:
        if tick is not None:
            conn.set_progress_handler(lambda: 1 if tick() else 0, _PROGRESS_STEPS)
        conn.execute("VACUUM INTO ?", (str(target),))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        conn.close()


def snapshot_inbox(path: Path) -> bytes:
    """A consistent copy of inbox.db, as the bytes of a SQLite file."""
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(":memory:")
        try:
            source.backup(copy)
            return copy.serialize()
        finally:
            copy.close()
    finally:
        source.close()


def check_inbox_copy(target: Path) -> None:
    """Check an inbox read back from a backup: SQLite's own check, and its tables."""
    target.chmod(0o600)
    conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "sealed" not in tables or conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            raise DatabaseError("the inbox copy is not whole")
    finally:
        conn.close()


@dataclass(frozen=True)
class SnapshotFacts:
    """What a copy of cases.db holds, for the manifest and to compare against it."""

    head_seq: int
    head_hash: str
    concerns: int
    children: int
    audit_entries: int
    vault_copy: str | None
    vault_signing_key: bytes | None


def snapshot_facts(conn: Connection) -> SnapshotFacts:
    seq, digest = audit_log.head(conn)
    count = conn.execute
    return SnapshotFacts(
        head_seq=seq,
        head_hash=digest,
        concerns=int(count("SELECT count(*) FROM concerns").fetchone()[0]),
        children=int(count("SELECT count(*) FROM children").fetchone()[0]),
        audit_entries=int(count("SELECT count(*) FROM audit_log").fetchone()[0]),
        vault_copy=vault_copy.vault_copy(conn),
        vault_signing_key=vault_copy.signing_key(conn),
    )


def facts_of(path: Path, key: bytes) -> SnapshotFacts:
    conn = connect_keyed(path, key)
    try:
        return snapshot_facts(conn)
    finally:
        conn.close()


@dataclass(frozen=True)
class CopyCheck:
    ok: bool
    problem: str  # "" when ok; otherwise a few words for the sentence
    facts: SnapshotFacts | None


def check_copy(path: Path, key: bytes, tick: Callable[[], bool] | None = None) -> CopyCheck:
    """Check a copy of cases.db: the key, every page's HMAC, integrity, the audit chain."""
    try:
        conn = connect_keyed(path, key)
    except DatabaseError:
        return CopyCheck(False, "the database copy cannot be opened", None)
    try:
        if tick is not None:
            conn.set_progress_handler(lambda: 1 if tick() else 0, _PROGRESS_STEPS)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if conn.execute("PRAGMA cipher_integrity_check").fetchall():
                return CopyCheck(False, "a page of the database copy is damaged", None)
            if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                return CopyCheck(False, "the database copy is not consistent", None)
        except DatabaseError:
            return CopyCheck(False, "the database copy is damaged", None)
        report = audit_log.verify(conn)
        if not report.ok:
            return CopyCheck(False, f"its audit log is broken ({report.reason})", None)
        return CopyCheck(True, "", snapshot_facts(conn))
    finally:
        conn.close()
