"""A child in immediate danger stays first on Home until a lead acknowledges it (issue 14.5)."""

from __future__ import annotations

from pathlib import Path

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store


def _login(store: StoreFixture) -> CaseSession:
    session = Store.open(store.data_dir).login(*store.dsl)
    assert isinstance(session, CaseSession)
    return session


def _submit(store: StoreFixture, danger: bool) -> str:
    data = concern_data()
    data["immediate_danger"] = danger
    return submit(Store.open(store.data_dir), data)


def test_danger_waits_on_home_until_acknowledged_once(store_dir: StoreFixture) -> None:
    first = _submit(store_dir, True)
    _submit(store_dir, False)
    second = _submit(store_dir, True)
    session = _login(store_dir)
    try:
        work = session.casework
        assert [s.ref for s in work.home().danger] == [first, second]  # oldest first
        work.acknowledge_danger(first.lower())
        work.acknowledge_danger(first)  # again: nothing more happens
        assert [s.ref for s in work.home().danger] == [second]
        audited = [
            e.detail for e in session.audit_entries(100) if e.action == "danger_acknowledged"
        ]
        assert audited == [{"ref": first}]
    finally:
        session.lock()
    # It stays acknowledged for the next lead who signs in.
    again = _login(store_dir)
    try:
        assert [s.ref for s in again.casework.home().danger] == [second]
    finally:
        again.lock()


def test_a_concern_without_danger_is_never_listed(store_dir: StoreFixture, tmp_path: Path) -> None:
    ref = _submit(store_dir, False)
    session = _login(store_dir)
    try:
        session.casework.acknowledge_danger(ref)
        assert session.casework.home().danger == ()
        assert not [e for e in session.audit_entries(100) if e.action == "danger_acknowledged"]
    finally:
        session.lock()
