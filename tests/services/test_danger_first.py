"""A child in immediate danger stays first on Home until a lead acknowledges it (issue 14.5)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.services import audit_trail, casework
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
        assert [s.ref for s in casework.home(session).danger] == [first, second]  # oldest first
        casework.acknowledge_danger(session, first.lower())
        casework.acknowledge_danger(session, first)  # again: nothing more happens
        assert [s.ref for s in casework.home(session).danger] == [second]
        audited = [
            e.detail for e in audit_trail.entries(session, 100) if e.action == "danger_acknowledged"
        ]
        assert audited == [{"ref": first}]
    finally:
        session.lock()
    # It stays acknowledged for the next lead who signs in.
    again = _login(store_dir)
    try:
        assert [s.ref for s in casework.home(again).danger] == [second]
    finally:
        again.lock()


def test_a_concern_without_danger_is_never_listed(store_dir: StoreFixture, tmp_path: Path) -> None:
    ref = _submit(store_dir, False)
    session = _login(store_dir)
    try:
        casework.acknowledge_danger(session, ref)
        assert casework.home(session).danger == ()
        assert not [
            e for e in audit_trail.entries(session, 100) if e.action == "danger_acknowledged"
        ]
    finally:
        session.lock()


def test_home_shows_the_danger_box_first_until_a_lead_says_they_have_seen_it(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    from PySide6.QtCore import Qt

    from safeguard_desktop.ui.case_area import CaseArea
    from ui_store import open_main_window

    ref = _submit(store_dir, True)
    window = open_main_window(qtbot, store_dir.data_dir)
    page = window.login_page
    page.username.setText(store_dir.dsl[0])
    qtbot.keyClicks(page.password, store_dir.dsl[1])
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session_area is not None, timeout=15_000)
    area = window.session_area
    assert isinstance(area, CaseArea)
    home = area.home
    qtbot.waitUntil(lambda: home.facts is not None and not window.worker.busy, timeout=15_000)
    danger = home.danger
    assert danger.isVisible() and danger.refs == [ref]
    # First on Home after the data-folder alarms, and said in words, not colour alone.
    layout = home.alarms.parentWidget().layout()
    assert layout.indexOf(danger) == layout.indexOf(home.alarms) + 1
    assert danger.box.accessibleName() == "A child may be in immediate danger"
    seen = [
        b
        for b in danger.findChildren(QPushButton)
        if b.text() == "I have seen this and am acting on it"
    ]
    assert (
        seen and seen[0].accessibleName() == f"Say you have seen concern {ref} and are acting on it"
    )
    qtbot.mouseClick(seen[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not danger.isVisible(), timeout=15_000)
    assert danger.refs == []
