"""Open, create and migrate the SQLCipher 4 case database.

The database is keyed with a random 32-byte raw key (no KDF: the key is
already random). Opening checks the key and every page's HMAC before anything
is written, so a damaged or foreign file is reported and left untouched.
"""

from __future__ import annotations

import logging
import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from ..domain.errors import StoreDamaged, StoreTooNew
from ..domain.text import fold_letters
from .schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

CASES_NAME = "cases.db"
if TYPE_CHECKING:
    # sqlcipher3 ships no type hints; its API is the standard library's sqlite3.
    from sqlite3 import Connection as Connection
    from sqlite3 import DatabaseError as DatabaseError
else:
    Connection = sqlcipher3.Connection
    DatabaseError = sqlcipher3.DatabaseError


def _damaged(path: Path) -> StoreDamaged:
    return StoreDamaged(
        f"The case database {path} is damaged, incomplete or not a Safeguard Desktop "
        "file, so it cannot be opened. It has not been changed. Restore the data folder "
        "from your most recent backup.",
        path=str(path),
    )


def _connect(path: Path, key: bytes) -> Connection:
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    conn: Connection = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    # SQLCipher otherwise prints decryption failures to stderr; we report them ourselves.
    conn.execute("PRAGMA cipher_log_level = NONE")
    # A raw key in hex: SQLCipher skips its own KDF for it. Never logged.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_compatibility = 4")
    register_functions(conn)
    return conn


def register_functions(conn: Connection) -> None:
    """SQL functions the schema and the search index use; every connection needs them."""
    # The search index stores plain-Latin spellings beside names like "Łucja".
    conn.create_function("sg_fold", 1, _fold_or_null, deterministic=True)


def _fold_or_null(text: object) -> str | None:
    """``text`` folded (domain.text.fold_letters), or NULL when folding changes nothing."""
    if not isinstance(text, str):
        return None
    folded = fold_letters(text)
    return folded if folded != text else None


def _configure(conn: Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    # Sorts and temporary tables stay in memory: no plaintext temp files.
    conn.execute("PRAGMA temp_store = MEMORY")


def key_opens(path: Path, key: bytes) -> bool:
    """True when ``key`` decrypts the first page of ``path`` (reads only)."""
    conn = _connect(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except DatabaseError:
        return False
    finally:
        conn.close()


def open_database(path: Path, key: bytes) -> Connection:
    """Open an existing case database, check it, migrate it; raises StoreDamaged."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as err:
        raise StoreDamaged(
            f"The case database {path} is missing. Restore the data folder from your "
            "most recent backup.",
            path=str(path),
        ) from err
    if size == 0:
        raise _damaged(path)
    conn = _connect(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # Reads every page, so SQLCipher checks every page's HMAC: a flipped
        # byte or a truncated file is caught here, before any write.
        result = conn.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise _damaged(path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except DatabaseError as err:
        conn.close()
        raise _damaged(path) from err
    except BaseException:
        conn.close()
        raise
    if version > SCHEMA_VERSION:
        conn.close()
        raise StoreTooNew(
            f"The case database {path} was written by a newer version of Safeguard "
            "Desktop. Install the latest version to open these records."
        )
    try:
        _configure(conn)
        if version < SCHEMA_VERSION:
            _backup_before_migrating(conn, path, version)
            try:
                migrate(conn, version)
            except DatabaseError as err:
                raise StoreDamaged(
                    f"The case database {path} could not be upgraded to this version of "
                    "Safeguard Desktop, so the change was undone and nothing was lost; "
                    "please report this and keep using the previous version for now.",
                    path=str(path),
                ) from err
    except BaseException:
        conn.close()
        raise
    return conn


def create_database(path: Path, key: bytes) -> Connection:
    """Create a new, empty case database at the current schema version."""
    if path.exists():
        raise FileExistsError(path)
    conn = _connect(path, key)
    _configure(conn)
    migrate(conn, 0)
    return conn


def _backup_before_migrating(conn: Connection, path: Path, version: int) -> None:
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = path.with_name(f"{path.name}.before-v{version + 1}.bak")
    if not backup.exists():
        # The copy is as encrypted as the original.
        shutil.copy2(path, backup)
        log.info("copied the case database aside before migrating from version %d", version)


def migrate(conn: Connection, version: int) -> None:
    register_functions(conn)
    for step in range(version, SCHEMA_VERSION):
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        log.info("case database migrated to version %d", step + 1)


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines():
        current += line + "\n"
        if sqlcipher3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError("a migration ends with an incomplete statement")
    return statements


def checkpoint(conn: Connection) -> None:
    """Fold the write-ahead log into the main file (before copying or moving it)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def rekey(conn: Connection, new_key: bytes) -> None:
    """Re-encrypt every page under ``new_key`` (SQLCipher does it in one transaction)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")


def probe_engine() -> tuple[str, str, bool]:
    """(SQLCipher version, SQLite version, FTS5 answers) from a throwaway in-memory database."""
    conn = sqlcipher3.connect(":memory:")
    try:
        conn.execute(f"PRAGMA key = \"x'{secrets.token_hex(32)}'\"")
        row = conn.execute("PRAGMA cipher_version").fetchone()
        cipher_version = str(row[0]) if row and row[0] else ""
        sqlite_version = str(conn.execute("SELECT sqlite_version()").fetchone()[0])
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5(body)")
        conn.execute("INSERT INTO probe (body) VALUES ('bruise on the left forearm')")
        hits = conn.execute("SELECT rowid FROM probe WHERE probe MATCH 'forearm'").fetchall()
    finally:
        conn.close()
    return cipher_version, sqlite_version, hits == [(1,)]
