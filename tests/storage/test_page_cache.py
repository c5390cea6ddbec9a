"""The case database's page cache is the size the benchmarks chose (issue 17).

benchmarks/run.py measured searches on the 100,000-concern store at 1.34 times plain
SQLite with SQLCipher's default 8 MB cache and 1.01 with 32 MiB; every connection the
app opens on cases.db must get it, the session's and the ones opened for a backup's copy.
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
