"""The full check at sign-in, split so a big store signs in within seconds (issue 17).

When cases.db is not as this program last closed it, sign-in checks every page's HMAC
while the audit chain is walked on a second connection, before anything is written;
the comparison of every table with its indexes (`PRAGMA integrity_check`) runs after
sign-in on its own connection. These tests use real stores: byte damage is still refused
before any write (tests/storage/test_damaged_files.py covers every kind), damage that passes
every HMAC is found after sign-in and stops every write, and a file is recorded as
checked only once the whole check has passed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from damaged_store import database_key, indexes_disagree
from safeguard_desktop.domain.errors import StoreReadOnly
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.services import casework, inbox, people
from safeguard_desktop.services.changes import Setting
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import audit_log, case_database
from safeguard_desktop.storage.case_database import CASES_NAME, CLOSED_SUFFIX


def _sign_in(data_dir: Path, who: tuple[str, str]) -> CaseSession:
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    return session


def _closed_record(data_dir: Path) -> Path:
    return data_dir / (CASES_NAME + CLOSED_SUFFIX)


def test_a_copied_folder_is_checked_in_two_parts_and_then_trusted(store_dir, tmp_path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(store_dir.data_dir, copy)  # a copy: a new file, so the full check
    _closed_record(copy).unlink(missing_ok=True)

    session = _sign_in(copy, store_dir.admin)
    # Every page's HMAC was checked at open; the structure is checked after sign-in.
    assert case_database.structure_owed(session.conn)
    assert session.check_after_sign_in(60) == ""
    # The chain was walked beside the page check, and agrees with a walk of its own.
    fresh = audit_log.verify(session.conn)
    assert session.audit_report.ok and fresh.ok
    assert session.audit_report.entries == fresh.entries - 1  # the sign-in's own entry
    session.lock()
    assert _closed_record(copy).exists()

    again = _sign_in(copy, store_dir.admin)
    try:
        assert not case_database.structure_owed(again.conn)  # trusted: no check due
        assert again._structure is None
        assert again.check_after_sign_in(0) == ""
    finally:
        again.lock()


def test_a_file_whose_check_did_not_pass_is_not_recorded_as_checked(store_dir, tmp_path) -> None:
    # What the session's lock does when the check after sign-in failed or was stopped.
    copy = tmp_path / "copy"
    shutil.copytree(store_dir.data_dir, copy)
    key = database_key(copy, store_dir.admin)
    assert _closed_record(copy).exists()
    path = copy / CASES_NAME
    conn = case_database.open_database(path, key)
    assert not case_database.structure_owed(conn)  # as closed: nothing due
    case_database.close_database(conn, key, audit_intact=True, pages_intact=False)
    assert not _closed_record(copy).exists()
    conn = case_database.open_database(path, key)
    try:
        assert case_database.structure_owed(conn)  # so it is checked again
    finally:
        case_database.close_database(conn, key, pages_intact=True)
    assert _closed_record(copy).exists()


def test_damage_every_hmac_accepts_is_found_after_sign_in_and_stops_every_write(
    store_dir,
) -> None:
    data_dir = store_dir.data_dir
    indexes_disagree(data_dir, database_key(data_dir, store_dir.admin))

    session = _sign_in(data_dir, store_dir.admin)  # signing in and reading still work
    try:
        assert session.check_after_sign_in(60) == session.damage
        assert session.damage is not None
        assert str(data_dir / CASES_NAME) in session.damage
        assert "backup" in session.damage and "\n" not in session.damage
        with pytest.raises(StoreReadOnly) as refused:
            people.add_user(session, "newdsl", "New Lead", Role.DSL, "new-dsl-password-1")
        assert str(refused.value) == session.damage
        casework.search(session, SearchFilters())  # reading the records still works
    finally:
        session.lock()
    # Never recorded as checked: the next sign-in checks again and finds it again.
    assert not _closed_record(data_dir).exists()
    again = _sign_in(data_dir, store_dir.admin)
    try:
        assert again.check_after_sign_in(60) == again.damage is not None
    finally:
        again.lock()


def test_the_minute_inbox_check_tells_the_screens_once_that_the_records_are_damaged(
    store_dir,
) -> None:
    data_dir = store_dir.data_dir
    indexes_disagree(data_dir, database_key(data_dir, store_dir.admin))
    session = _sign_in(data_dir, store_dir.admin)
    try:
        session._structure.wait(60)  # type: ignore[union-attr]
        # The first inbox check after the check found damage says the records became
        # read-only (Home then shows why); it takes nothing in, and says it only once.
        assert inbox.ingest(session).settings == {Setting.READ_ONLY}
        assert session.damage is not None
        assert not inbox.ingest(session)
    finally:
        session.lock()
