"""The case database's page caches are the sizes the benchmarks chose (issue 17).

benchmarks/run.py measured searches on the 100,000-concern store at 1.34 times plain
SQLite with SQLCipher's default 8 MB cache, 1.16 with 16 MiB and 1.00 with 32 MiB; 32 MiB
is what the session's connection gets. The
checks beside it read each page once and get a small cache, which would otherwise be
memory held for nothing.
"""

from __future__ import annotations

from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import case_database


def test_the_signed_in_session_reads_through_a_32_mib_page_cache(store_dir) -> None:
    session = Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert isinstance(session, CaseSession)
    try:
        (size,) = session.conn.execute("PRAGMA cache_size").fetchone()
        assert size == -case_database.PAGE_CACHE_KIB == -32_768
        # Not SQLCipher's default of 2,000 pages, which made big searches decrypt again.
        assert size != -8_000 and size != 2_000
    finally:
        session.lock()


def test_a_check_beside_the_session_reads_through_a_small_cache(store_dir) -> None:
    session = Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert isinstance(session, CaseSession)
    try:
        path = case_database.database_path(session.conn)
        assert path is not None
        check = case_database.connect_reading(path, session.backup_key_material())
        try:
            (size,) = check.execute("PRAGMA cache_size").fetchone()
            assert size == -case_database.CHECK_CACHE_KIB == -2_048
        finally:
            check.close()
    finally:
        session.lock()
