"""The sign-in delay against someone who edits inbox.db's login_failures row.

Here no credential store is reachable (conftest.py), so inbox.db is the only copy; the
second copy in a real keyring, which survives the row being deleted, is tried in
tests/security/test_keyring_real.py.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from safeguard_desktop.domain.errors import WrongCredentials
from safeguard_desktop.services import login_throttle
from safeguard_desktop.services.store import Store

TEN_YEARS = 10 * 365 * 24 * 3600.0


def _set_row(data_dir: Path, username: str, failures: object, last_at: object) -> None:
    """What the attacker does: edit the plain SQLite file directly."""
    conn = sqlite3.connect(data_dir / "inbox.db", isolation_level=None)
    try:
        conn.execute(
            "INSERT OR REPLACE INTO login_failures (username, failures, last_at) VALUES (?, ?, ?)",
            (username, failures, last_at),
        )
    finally:
        conn.close()


def _row(data_dir: Path, username: str) -> tuple[int, float]:
    conn = sqlite3.connect(data_dir / "inbox.db", isolation_level=None)
    try:
        row = conn.execute(
            "SELECT failures, last_at FROM login_failures WHERE username = ?", (username,)
        ).fetchone()
    finally:
        conn.close()
    return row


def test_a_last_failure_dated_ten_years_ahead_delays_five_minutes_at_most(store_dir) -> None:
    username, password = store_dir.dsl
    _set_row(store_dir.data_dir, username, 1_000_000, time.time() + TEN_YEARS)
    store = Store.open(store_dir.data_dir)

    delay = store.login_delay(username)
    assert 0 < delay <= login_throttle.MAX_DELAY_SECONDS
    # The date was brought back to now in the file, so the wait really ends within
    # five minutes instead of starting again at every look.
    failures, last_at = _row(store_dir.data_dir, username)
    assert failures == 1_000_000 and last_at <= time.time()
    later = last_at + login_throttle.MAX_DELAY_SECONDS + 1
    assert login_throttle.seconds_left(failures, last_at, now=later) == 0
    assert Store.open(store_dir.data_dir).login_delay(username) <= delay

    with pytest.raises(WrongCredentials) as caught:
        store.login(username, password)
    assert 0 < caught.value.retry_after <= login_throttle.MAX_DELAY_SECONDS
    # Other accounts are not touched.
    assert store.login_delay(store_dir.admin[0]) == 0


@pytest.mark.parametrize(
    ("failures", "last_at"),
    [("many", "yesterday"), (None, 0.0), (-5, 0.0), (2**62, float("inf"))],
    ids=["text", "null", "negative", "huge_and_infinite"],
)
def test_nonsense_in_the_row_never_breaks_sign_in(store_dir, failures, last_at) -> None:
    username = store_dir.dsl[0]
    conn = sqlite3.connect(store_dir.data_dir / "inbox.db", isolation_level=None)
    # A row the table's constraints would refuse: the attacker rebuilds the table.
    conn.execute("DROP TABLE login_failures")
    conn.execute("CREATE TABLE login_failures (username TEXT PRIMARY KEY, failures, last_at)")
    conn.close()
    _set_row(store_dir.data_dir, username, failures, last_at)

    store = Store.open(store_dir.data_dir)
    assert 0 <= store.login_delay(username) <= login_throttle.MAX_DELAY_SECONDS
    # A wrong password is refused as such (counted, or turned away during a delay of
    # five minutes at most), never "something went wrong".
    with pytest.raises(WrongCredentials) as caught:
        store.login(username, "not-the-password")
    assert 0 <= caught.value.retry_after <= login_throttle.MAX_DELAY_SECONDS
    assert 0 <= store.login_delay(username) <= login_throttle.MAX_DELAY_SECONDS


def test_the_delay_never_overflows() -> None:
    assert login_throttle.delay_after(10**9) == login_throttle.MAX_DELAY_SECONDS
    assert login_throttle.seconds_left(3, time.time() + TEN_YEARS) == 2.0
