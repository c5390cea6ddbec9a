"""Damage that every page's HMAC accepts, for the check after sign-in to find.

Byte damage is refused when cases.db is opened (tests/storage/test_damaged_files.py);
this is what gets past that: an index whose entries do not match its table, written
through SQLCipher with the key, as a bug in SQLite, or pages spliced in from another
copy of the file, would leave it.
"""

from __future__ import annotations

from pathlib import Path

from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import case_database
from safeguard_desktop.storage.case_database import CASES_NAME


def database_key(data_dir: Path, who: tuple[str, str]) -> bytes:
    """cases.db's key, by signing in as ``who`` (then locking again)."""
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    try:
        return session.backup_key_material()
    finally:
        session.lock()


def indexes_disagree(data_dir: Path, key: bytes) -> None:
    """Damage that every page's HMAC accepts: an index whose entries do not match its
    table, written through SQLCipher with the key (as SQLite's own bug, or pages spliced
    in from another copy of the file, would leave it)."""
    conn = case_database.connect_keyed(data_dir / CASES_NAME, key)
    try:
        conn.execute("CREATE INDEX test_damage ON audit_log (actor)")
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_schema SET sql = 'CREATE INDEX test_damage ON audit_log (action)'"
            " WHERE name = 'test_damage'"
        )
        conn.execute("PRAGMA writable_schema = OFF")
        conn.commit()
    finally:
        conn.close()
    check = case_database.connect_keyed(data_dir / CASES_NAME, key)
    try:
        assert check.execute("PRAGMA cipher_integrity_check").fetchall() == []
        assert check.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
    finally:
        check.close()
