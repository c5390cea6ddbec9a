"""Open, create and migrate the SQLCipher 4 case database.

The database is keyed with a random 32-byte raw key (no KDF: the key is
already random). Opening checks the key and, unless the file is exactly as this
program last closed it, every page's HMAC before anything is written, so a damaged
or foreign file is reported and left untouched (see :func:`open_database`).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import hmac
import json
import logging
import secrets
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from ..domain.errors import SafeguardError, StoreDamaged, StoreTooNew
from ..domain.text import fold_letters
from .atomic_file import clear_temporaries, copy_atomically, remove_durably, write_atomically
from .file_modes import create_private_file
from .schema import MIGRATIONS, SCHEMA_VERSION
from .storage_errors import Fault, database_error, database_fault, file_error

log = logging.getLogger(__name__)

CASES_NAME = "cases.db"
# Beside cases.db: its size, times and inode when this program last closed it cleanly,
# and the audit log's head if that session found the chain intact, under a MAC keyed by
# the database key. No secret, no record text.
CLOSED_SUFFIX = ".closed"
# Even a file that is exactly as it was closed has every page checked this often, for
# damage that changes no file times (a failing disk).
FULL_CHECK_DAYS = 7
# The page cache of the session's connection, in KiB (SQLite's negative cache_size).
# SQLCipher's default is 2,000 pages (8 MB): on the 100,000-concern benchmark store the
# searches a DSL types read more than that, so pages were decrypted and their HMAC
# checked again on every search, 1.34 times as slow as plain SQLite; with 32 MiB, 1.00
# (64 MiB: 1.04). 16 MiB was tried for memory (it saves up to 16 MB on that store) and
# measured 1.16 on benchmarks/run.py's 57 searches on a quiet machine, over issue 17's
# 1.1, so 32 it stays. It is memory held only as pages are read: up to 24 MiB more than
# the default on a big store, none on a small one.
PAGE_CACHE_KIB = 32_768
# The checks beside a session's connection (connect_reading) read each page once, so a
# cache would only hold memory: 32 MiB each, in threads whose freed memory glibc keeps.
CHECK_CACHE_KIB = 2_048
_CLOSED_MAC_LABEL = b"safeguard-desktop cases.db closed v1\x00"
# What opening a connection found, kept on the connection (see _CaseConnection).
_DATA_VERSION = "sg_data_version_at_open"
_AUDIT_HEAD = "sg_audit_head_as_closed"
_STRUCTURE_OWED = "sg_structure_owed"
_PATH = "sg_path"
# What an error while opening says did not happen (storage/storage_errors.py).
_NOT_OPENED = "the records could not be opened"
CASES_WHAT = "the case database"
if TYPE_CHECKING:
    # sqlcipher3 ships no type hints; its API is the standard library's sqlite3.
    from sqlite3 import Connection as Connection
    from sqlite3 import Connection as _CaseConnection
    from sqlite3 import DatabaseError as DatabaseError
else:
    Connection = sqlcipher3.Connection
    DatabaseError = sqlcipher3.DatabaseError

    class _CaseConnection(sqlcipher3.Connection):
        """A connection that can carry what opening it found (the base class takes no
        attributes): the data version then, and the audit head it may trust."""


def _damaged(path: Path) -> StoreDamaged:
    return StoreDamaged(
        f"The case database {path} is damaged, incomplete or not a Safeguard Desktop "
        "file, so it cannot be opened. It has not been changed. Restore the data folder "
        "from your most recent backup.",
        path=str(path),
    )


def _settings_not_these(path: Path) -> StoreDamaged:
    return StoreDamaged(
        f"The settings file vault.json in {path.parent} does not belong with the case "
        f"database {path} (it is another store's, or one from before a key change), so "
        "nothing was opened or changed; put back the vault.json that belongs with these "
        "records, or restore the data folder from your most recent backup.",
        path=str(path),
    )


def damaged_sentence(path: Path) -> str:
    """What a session says of every write once the check after sign-in found damage."""
    return (
        f"The case database {path} is damaged (its tables and indexes do not agree), so "
        "nothing more can be saved; what is there can still be read. Restore the data "
        "folder from your most recent backup."
    )


def _told(err: BaseException, path: Path) -> SafeguardError | None:
    """``err`` met while opening ``path``, as its sentence; None for a bug (re-raise it)."""
    if isinstance(err, DatabaseError):
        return database_error(err, path, CASES_WHAT, outcome=_NOT_OPENED, damaged=_damaged(path))
    return file_error(err, path, CASES_WHAT, outcome=_NOT_OPENED)


def _connect(path: Path, key: bytes) -> Connection:
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    conn: Connection = sqlcipher3.connect(
        str(path), isolation_level=None, check_same_thread=False, factory=_CaseConnection
    )
    # SQLCipher otherwise prints decryption failures to stderr; we report them ourselves.
    conn.execute("PRAGMA cipher_log_level = NONE")
    # A raw key in hex: SQLCipher skips its own KDF for it. Never logged.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_compatibility = 4")
    register_functions(conn)
    setattr(conn, _PATH, path)
    return conn


def database_path(conn: Connection) -> Path | None:
    """The file ``conn`` was opened on (for the sentence when a write to it fails)."""
    path = getattr(conn, _PATH, None)
    return path if isinstance(path, Path) else None


def connect_keyed(path: Path, key: bytes) -> Connection:
    """A keyed connection with no checks, configuration or migration: for copies
    (a backup's snapshot), never for the live store (see :func:`open_database`)."""
    return _connect(path, key)


def register_functions(conn: Connection) -> None:
    """SQL functions the schema and the search index use; every connection needs them."""
    # The search index stores plain-Latin spellings beside names like "Łucja".
    conn.create_function("sg_fold", 1, _fold_or_null, deterministic=True)


def _fold_or_null(text: object) -> str | None:
    """``text`` as searched for, or NULL when that is the text itself.

    Text is stored as typed, so the same name may be stored composed ("Zoë") or with
    combining accents, and Hangul as whole syllables or as jamo. The index gets the
    NFC form beside it, as fts_query normalises what is typed into the search box, and
    then the letters accent-folding misses in plain Latin (domain.text.fold_letters).
    """
    if not isinstance(text, str):
        return None
    folded = fold_letters(unicodedata.normalize("NFC", text))
    return folded if folded != text else None


def _configure(conn: Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    # Sorts and temporary tables stay in memory: no plaintext temp files.
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")


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


# Something to run beside the page check when one is due (the session walks the audit
# chain on a second connection, services/records_check.py): started before the check,
# and the function it returns is called after it, to wait for it.
Alongside = Callable[[], Callable[[], None]]


def open_database(path: Path, key: bytes, *, alongside: Alongside | None = None) -> Connection:
    """Open an existing case database, check it, migrate it; raises StoreDamaged.

    When a full check is due (see below), every page's HMAC is checked before anything
    is written, with ``alongside`` running at the same time; the comparison of every
    table with its indexes is then owed (:func:`structure_owed`), and the session runs
    it after sign-in (services/records_check.StructureCheck).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError as err:
        raise StoreDamaged(
            f"The case database {path} is missing. Restore the data folder from your "
            "most recent backup.",
            path=str(path),
        ) from err
    except OSError as err:
        known = _told(err, path)
        if known is None:
            raise
        raise known from err
    if size == 0:
        raise _damaged(path)
    # Looked at before connecting: reading a database in WAL mode creates the log.
    left_a_log = Path(f"{path}-wal").exists()
    conn = _connect(path, key)
    try:
        # Page 1 and the schema: the key, the header, and the page count the header
        # records against the file's length (SQLite refuses a file shorter than that).
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError as err:
            if _closed_with_another_key(conn, path, key):
                raise _settings_not_these(path) from err
            raise
        # Changes when any other connection commits; compared when this one closes.
        setattr(conn, _DATA_VERSION, conn.execute("PRAGMA data_version").fetchone()[0])
        why, audit_head = (
            ("it was not closed cleanly", None) if left_a_log else _as_closed(conn, path, key)
        )
        setattr(conn, _AUDIT_HEAD, audit_head)
        if why:
            # Reads every page and checks its HMAC: a flipped byte or a truncated file
            # is caught here, before any write (0.8 s for 100,000 concerns). What it
            # cannot see, pages that each decrypt but do not agree with each other
            # (SQLite's own damage, or pages spliced in from another copy of this file
            # with its key), `PRAGMA integrity_check` finds by comparing every table
            # with its indexes: 2.7 s more, so it is run after sign-in instead, and
            # until it has passed this file is not recorded as checked.
            log.info("checking every page of the case database (%s)", why)
            wait = alongside() if alongside is not None else None
            try:
                failed = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            finally:
                if wait is not None:
                    wait()
            if failed:
                raise _damaged(path)
            setattr(conn, _STRUCTURE_OWED, True)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except DatabaseError as err:
        conn.close()
        # Told apart by SQLite's result code: a full disk, a lock held by another
        # program or a failing disk is not damage; damage keeps its own sentence.
        known = _told(err, path)
        if known is None:
            raise
        raise known from err
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
            _migrate_with_a_copy(conn, path, version)
        if why:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES ('pages_checked_at', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (json.dumps(datetime.now(UTC).isoformat(timespec="seconds")),),
            )
    except (DatabaseError, OSError) as err:
        conn.close()
        known = _told(err, path)
        if known is None:
            raise
        raise known from err
    except BaseException:
        conn.close()
        raise
    _remove_migration_copies(path)
    return conn


# Checking every page costs a read of the whole file: seconds at every sign-in on a big
# store (3.5 s for 100,000 concerns, 450 MiB; benchmarks/bench_casework.py). It is only
# needed when something other than this program may have changed the file since every
# page was last checked, so it is skipped when cases.db is exactly as this program
# closed it (same size, modification and change times, inode: a copy, a restore, an
# editor or a flipped byte written by anything changes at least one), no write-ahead log
# was left behind (a crash, or another program with the file open), and the last full
# check passed within FULL_CHECK_DAYS. A damaged page that slips past (a failing disk
# changes no file times) still fails its HMAC the moment it is read, and the weekly
# check finds it. The record of the clean close is bound to the database key by a MAC,
# so it cannot be made up without the key, and it holds no secret or record text.


def _file_identity(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,
        "inode": stat.st_ino,
    }


def _closed_mac(key: bytes, record: dict[str, object]) -> str:
    message = _CLOSED_MAC_LABEL + json.dumps(record, sort_keys=True).encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _closed_record(path: Path) -> tuple[dict[str, int], tuple[int, str] | None, str] | None:
    """The record of cases.db's last clean close: (file identity, audit head, MAC), or
    None when there is none or it cannot be read."""
    try:
        recorded = json.loads(path.with_name(path.name + CLOSED_SUFFIX).read_text("ascii"))
        identity = {k: int(recorded[k]) for k in ("size", "mtime_ns", "ctime_ns", "inode")}
        audit = recorded.get("audit")
        audit_head = (int(audit[0]), str(audit[1])) if audit is not None else None
        return identity, audit_head, str(recorded["mac"])
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _closed_with_another_key(conn: Connection, path: Path, key: bytes) -> bool:
    """True when page 1 failed because ``key`` is not this file's, not because the file is
    damaged: the record of its last clean close, MACed with the key it was closed with,
    does not verify with ``key``, and not one of its pages' HMACs does either. (Damage
    leaves the record verifying, a flipped salt included; a page-1 flip leaves the other
    pages verifying.) Reads every page: only on the way to refusing."""
    recorded = _closed_record(path)
    if recorded is None:
        return False
    identity, audit_head, mac = recorded
    expected = _closed_mac(key, {**identity, "audit": list(audit_head) if audit_head else None})
    if hmac.compare_digest(mac, expected):
        return False
    try:
        page_bytes = int(conn.execute("PRAGMA cipher_page_size").fetchone()[0])
        failed = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        pages = path.stat().st_size // page_bytes
    except (DatabaseError, OSError, TypeError, ValueError, ZeroDivisionError):
        return False
    return pages > 1 and len(failed) >= pages


def _as_closed(conn: Connection, path: Path, key: bytes) -> tuple[str, tuple[int, str] | None]:
    """(why every page must be checked now, or "" when the file is as this program left
    it; the audit head recorded then, if the file is as left and the chain was intact)."""
    recorded = _closed_record(path)
    if recorded is None:
        return "no record of a clean close", None
    identity, audit_head, mac = recorded
    expected = _closed_mac(key, {**identity, "audit": list(audit_head) if audit_head else None})
    if not hmac.compare_digest(mac, expected):
        return "the record of the last close does not belong to it", None
    if identity != _file_identity(path):
        return "the file changed after it was last closed", None
    row = conn.execute("SELECT value FROM settings WHERE key = 'pages_checked_at'").fetchone()
    try:
        checked = datetime.fromisoformat(json.loads(row[0])) if row else None
    except (TypeError, ValueError):
        checked = None
    now = datetime.now(UTC)
    if checked is None or not now - timedelta(days=FULL_CHECK_DAYS) < checked <= now:
        return f"the last full check was more than {FULL_CHECK_DAYS} days ago", None
    return "", audit_head


def audit_head_as_closed(conn: Connection) -> tuple[int, str] | None:
    """The audit log's head (seq, hash) when this file was last closed by a session that
    had found the chain intact, if opening ``conn`` found the file exactly as it was then.

    The chain cannot have changed since, so walking it again at sign-in (1.6 s for the
    656,000 entries of the 100,000-concern benchmark store) can be skipped: another
    connection's commit during that session, a change to the file after it, or a
    record made without the database key each mean None, and a full walk. The weekly
    full check of every page walks the chain too.
    """
    head = getattr(conn, _AUDIT_HEAD, None)
    return head if isinstance(head, tuple) else None


def structure_owed(conn: Connection) -> bool:
    """True when opening ``conn`` checked every page's HMAC but not yet every table
    against its indexes (`PRAGMA integrity_check`), which the session runs after sign-in."""
    return bool(getattr(conn, _STRUCTURE_OWED, False))


def close_database(
    conn: Connection, key: bytes, *, audit_intact: bool = False, pages_intact: bool = True
) -> None:
    """Close, and record how cases.db was left so the next open can trust it (see above).

    ``audit_intact``: the session found the audit chain intact (at sign-in, or when last
    checked) and has only added to it since; the head is then recorded too.
    ``pages_intact`` False: a check owed since opening (:func:`structure_owed`) did not
    pass or did not finish, so nothing is recorded and the next open checks again.
    """
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
        others_wrote = conn.execute("PRAGMA data_version").fetchone()[0] != getattr(
            conn, _DATA_VERSION, None
        )
        head = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    except DatabaseError:  # already closed, or broken: nothing to record
        row = None
    conn.close()
    path = Path(str(row[2])) if row and row[2] else None
    if path is None or Path(f"{path}-wal").exists():
        return  # not closed cleanly after all: the next open checks every page
    closed_record = path.with_name(path.name + CLOSED_SUFFIX)
    if not pages_intact:
        with contextlib.suppress(OSError):
            closed_record.unlink(missing_ok=True)
        return
    if others_wrote:
        # Another program (the command line, a tool with the key) committed while this
        # connection was open: this session never checked what it wrote.
        log.info("the case database was changed by another program; not recording its state")
        with contextlib.suppress(OSError):
            closed_record.unlink(missing_ok=True)
        return
    try:
        record: dict[str, object] = {
            **_file_identity(path),
            "audit": [int(head[0]), str(head[1])] if audit_intact and head else None,
        }
        record["mac"] = _closed_mac(key, record)
        clear_temporaries(closed_record)  # what a process killed here before left
        write_atomically(closed_record, json.dumps(record, sort_keys=True).encode("ascii"))
    except OSError:
        # Without the record the next sign-in checks every page: slower, never unsafe.
        log.warning("could not record that the case database was closed cleanly")


def create_database(path: Path, key: bytes) -> Connection:
    """Create a new, empty case database at the current schema version."""
    create_private_file(path)  # raises FileExistsError; SQLite takes an empty file as new
    conn = _connect(path, key)
    try:
        _configure(conn)
        migrate(conn, 0)
        setattr(conn, _DATA_VERSION, conn.execute("PRAGMA data_version").fetchone()[0])
    except DatabaseError as err:
        conn.close()
        known = database_error(err, path, CASES_WHAT, outcome="the records could not be set up")
        if known is None:
            raise
        raise known from err
    except BaseException:
        conn.close()
        raise
    return conn


# Before migrating, cases.db is copied aside (as encrypted as the original), in case a
# step goes wrong in a way its transaction does not undo. The copy is removed as soon
# as the migrated database checks out: it is keyed with the key of its day, and once an
# account is removed and the key rotated, the removed person's old key would still open
# it. So no copy outlives a successful open, including one an earlier version left.


def _migration_copy(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.before-v{version}.bak")


def _migrate_with_a_copy(conn: Connection, path: Path, version: int) -> None:
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = _migration_copy(path, version + 1)
    if not backup.exists():
        copy_atomically(path, backup)  # an OSError is told apart by open_database
        log.info("copied the case database aside before migrating from version %d", version)
    try:
        migrate(conn, version)
    except DatabaseError as err:
        if database_fault(err, path.parent) not in (None, Fault.DAMAGED, Fault.NOT_A_DATABASE):
            # The disk, not the step: the step's transaction was undone; free space
            # (or close the other program) and the next sign-in upgrades again.
            raise
        log.warning("migrating the case database failed; the copy from before is %s", backup)
        raise StoreDamaged(
            f"The case database {path} could not be upgraded to this version of "
            "Safeguard Desktop, so the change was undone and nothing was lost; "
            "please report this and keep using the previous version for now.",
            path=str(path),
        ) from err
    except BaseException:
        log.warning("migrating the case database failed; the copy from before is %s", backup)
        raise
    try:
        verified = (
            conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
            and conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        )
    except DatabaseError:
        verified = False
    if not verified:
        log.warning("the migrated case database failed its check; the copy is %s", backup)
        raise StoreDamaged(
            f"The case database {path} did not pass its check after being upgraded to "
            f"this version of Safeguard Desktop; a copy from before the upgrade is kept "
            f"at {backup}. Please report this and keep that copy.",
            path=str(path),
        )


def _remove_migration_copies(path: Path) -> None:
    """Remove every copy made before a migration, now that ``path`` opened at this version."""
    copies = sorted(path.parent.glob(f"{glob.escape(path.name)}.before-v*.bak"))
    if not copies:
        return
    try:
        remove_durably(copies)
    except OSError as err:
        # Opening goes on: the records are fine. The next open tries again.
        log.warning("could not remove the copy made before migrating: %s", type(err).__name__)
        return
    log.info("removed %d copies made before migrating the case database", len(copies))


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


def connect_reading(path: Path, key: bytes) -> Connection:
    """A keyed connection that can only read: for a check beside the session's own,
    which reads each page once (a small page cache)."""
    conn = _connect(path, key)
    conn.execute("PRAGMA query_only = ON")
    conn.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
    return conn


def check_tables_and_indexes(conn: Connection) -> str:
    """`PRAGMA integrity_check`: "" when every table agrees with its indexes (and the
    free lists and overflow pages are sound), else a few words saying what. Raises
    DatabaseError when interrupted or when a page cannot be read."""
    if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
        return "the records' tables and indexes do not agree"
    return ""


def check_every_page(conn: Connection) -> str:
    """The full check of the live database: "" when whole, else a few words saying what.

    Reads every page (each page's HMAC), then SQLite's integrity check (tables against
    their indexes, free lists, overflow pages).
    """
    try:
        if conn.execute("PRAGMA cipher_integrity_check").fetchall():
            return "a page of the records is damaged"
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            return "the records' tables and indexes do not agree"
    except DatabaseError:
        return "the records could not be read to the end"
    return ""


def checkpoint(conn: Connection) -> None:
    """Fold the write-ahead log into the main file (before copying or moving it)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def rekey(conn: Connection, new_key: bytes) -> None:
    """Re-encrypt every page under ``new_key`` (SQLCipher does it in one transaction).

    It rewrites the whole file, so a full disk or a lock held by another program is
    likelier here than anywhere: told apart like any write (the transaction is undone,
    and the next sign-in finishes the rotation from the key kept in vault.json).
    """
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    except DatabaseError as err:
        path = database_path(conn)
        known = None if path is None else database_error(err, path, CASES_WHAT)
        if known is None:
            raise
        raise known from err


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
