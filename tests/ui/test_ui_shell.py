"""The main window around a session: locking (idle, minimise, Ctrl+L), title, People, Settings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from safeguard_desktop.domain.organisation import OrgType, Role
from safeguard_desktop.services import people
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.ui.admin.people_page import AddPersonDialog
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.main_window import MainWindow
from ui_store import build_store, copy_store, open_main_window, sign_in_lead

ORG = "Hillside Primary School"
ADMIN, ADMIN_PASSWORD = "jo", "a long admin passphrase"
CANARY = "Zq7Canary"
ALLOWED_TITLES = {"Safeguard Desktop", f"Safeguard Desktop – {ORG}"}
# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"


@pytest.fixture(scope="module")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir, _ = build_store(
        tmp_path_factory.mktemp("template"),
        org=ORG,
        org_type=OrgType.SCHOOL,
        admin=(ADMIN, "Jo Morgan", ADMIN_PASSWORD),
    )
    return data_dir


@pytest.fixture
def data_dir(store_template: Path, tmp_path: Path) -> Path:
    return copy_store(store_template, tmp_path)


@pytest.fixture
def open_window(qtbot: QtBot, data_dir: Path) -> Callable[..., MainWindow]:
    def opener(**kwargs: object) -> MainWindow:
        return open_main_window(qtbot, data_dir, **kwargs)

    return opener


@pytest.fixture
def signed_in(qtbot: QtBot, open_window: Callable[..., MainWindow]) -> Iterator[MainWindow]:
    window = open_window()
    sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    yield window


def texts_shown(window: QWidget) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel)]


def assert_locked(qtbot: QtBot, window: MainWindow, session: CaseSession) -> None:
    qtbot.waitUntil(lambda: window.findChild(CaseArea) is None, timeout=5000)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=5000)
    assert window.session is None and window.session_area is None
    assert session.is_locked
    assert window.stack.currentWidget() is window.login_page
    assert not any("Welcome, Jo Morgan" in text for text in texts_shown(window))
    assert not window.lock_action.isEnabled()
    assert window.login_page.username.text() == ADMIN


def test_idle_lock_fires_and_destroys_the_session_views(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(idle_timeout_ms=400)
    sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    session = window.session
    assert isinstance(session, CaseSession)
    assert any("Welcome, Jo Morgan" in text for text in texts_shown(window))
    assert_locked(qtbot, window, session)
    assert window.login_page.notice.text().startswith("Locked because nobody used the app")
    # Signing in again works after an idle lock.
    sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    assert window.session is not None and window.session is not session


def test_minimising_locks(qtbot: QtBot, signed_in: MainWindow) -> None:
    session = signed_in.session
    assert isinstance(session, CaseSession)
    signed_in.showMinimized()
    assert_locked(qtbot, signed_in, session)
    assert signed_in.login_page.notice.text() == (
        "Locked because the window was minimised. Sign in to carry on."
    )


def test_ctrl_l_locks(qtbot: QtBot, signed_in: MainWindow) -> None:
    session = signed_in.session
    assert isinstance(session, CaseSession)
    signed_in.activateWindow()
    qtbot.waitUntil(signed_in.isActiveWindow, timeout=5000)
    qtbot.keyClick(signed_in, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert_locked(qtbot, signed_in, session)
    assert signed_in.login_page.notice.text() == "Locked. Sign in to carry on."


@pytest.mark.qt_log_ignore(DIALOG_WARNING)
def test_lock_closes_an_open_dialog_with_the_session(qtbot: QtBot, signed_in: MainWindow) -> None:
    area = signed_in.session_area
    assert isinstance(area, CaseArea) and area.people is not None
    area.show_section("People")
    area.people.open_add_dialog()
    dialog = area.people.add_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.display_name, CANARY)
    signed_in.lock()
    qtbot.waitUntil(lambda: not signed_in.findChildren(AddPersonDialog), timeout=5000)
    assert not [e for e in signed_in.findChildren(QLineEdit) if CANARY in e.text()]


def test_window_title_never_shows_what_was_typed(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    page = window.login_page
    qtbot.keyClicks(page.username, CANARY.lower())
    assert window.windowTitle() in ALLOWED_TITLES
    qtbot.keyClicks(page.password, CANARY)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.busy, timeout=15_000)
    assert window.windowTitle() in ALLOWED_TITLES
    assert CANARY not in window.windowTitle()
    sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    assert window.windowTitle() == f"Safeguard Desktop – {ORG}"


@pytest.mark.qt_log_ignore(DIALOG_WARNING)
def test_admin_adds_and_removes_a_person(qtbot: QtBot, signed_in: MainWindow) -> None:
    area = signed_in.session_area
    assert isinstance(area, CaseArea) and area.people is not None
    people = area.people
    area.show_section("People")
    assert people.table.rowCount() == 1

    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    dialog = people.add_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.display_name, "Chris Coach")
    qtbot.keyClicks(dialog.username, "chris")
    assert dialog.chosen_role() is Role.RECORDER
    qtbot.keyClicks(dialog.password, "short")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not signed_in.worker.busy, timeout=10_000)
    assert dialog.error.text().startswith("The password must be at least 8 characters")
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "coach-password")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: people.add_dialog is None, timeout=15_000)
    assert people.table.rowCount() == 2
    assert people.message.text() == "Chris Coach can now sign in as chris."
    assert signed_in.store is not None
    assert [u.username for u in signed_in.store.users()] == [ADMIN, "chris"]

    # The administrator cannot remove themselves; the button says so by being disabled.
    people.select_username(ADMIN)
    assert not people.remove_button.isEnabled()
    people.select_username("chris")
    assert people.remove_button.isEnabled()
    qtbot.mouseClick(people.remove_button, Qt.MouseButton.LeftButton)
    box = people.confirm_box
    assert isinstance(box, QMessageBox)
    assert "Their key slot is removed" in box.text()
    remove = next(b for b in box.buttons() if b.text() == "Remove Chris Coach")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: people.message.text() == "Removed.", timeout=15_000)
    assert [u.username for u in signed_in.store.users()] == [ADMIN]
    assert people.table.rowCount() == 1


@pytest.mark.qt_log_ignore(DIALOG_WARNING)
def test_removing_a_lead_warns_that_the_database_key_changes(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    area = signed_in.session_area
    assert isinstance(area, CaseArea) and area.people is not None
    session = signed_in.session
    assert isinstance(session, CaseSession)
    with qtbot.waitSignal(signed_in.worker.idle, timeout=15_000):
        signed_in.worker.submit(
            people.add_user, session, "deputy", "Dee Puty", Role.DSL, "deputy-passphrase"
        )
    area.show_section("People")
    area.people.select_username("deputy")
    area.people.ask_remove()
    box = area.people.confirm_box
    assert box is not None
    assert "the database key is changed" in box.text()
    assert "Designated Safeguarding Lead" in box.text()
    box.reject()


def test_settings_change_the_idle_lock(qtbot: QtBot, signed_in: MainWindow) -> None:
    area = signed_in.session_area
    assert isinstance(area, CaseArea)
    area.show_section("Settings")
    settings = area.settings
    settings.idle_minutes.setValue(7)
    qtbot.keyClicks(settings.contacts.lado, "0100 496 0009")
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.message.text() == "Saved.", timeout=10_000)
    assert signed_in.store is not None
    assert signed_in.store.idle_lock_minutes == 7
    assert signed_in.store.organisation.contacts.lado == "0100 496 0009"
    assert signed_in.idle_lock.interval_ms == 7 * 60_000
    area.show_section("Audit log")
    qtbot.waitUntil(lambda: area.audit.table.rowCount() >= 4, timeout=10_000)
    actions = [area.audit.table.item(r, 2).text() for r in range(area.audit.table.rowCount())]
    assert actions[:2] == ["Setting changed", "Setting changed"]
    assert actions[-1] == "Store created"


def test_every_control_in_every_section_has_an_accessible_name(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    area = signed_in.session_area
    assert isinstance(area, CaseArea)
    kinds = (QAbstractButton, QLineEdit, QComboBox, QSpinBox, QPlainTextEdit, QAbstractItemView)
    for title in area.section_titles():
        area.show_section(title)
        qtbot.waitUntil(lambda: not signed_in.worker.busy, timeout=10_000)
        unnamed = [
            type(w).__name__
            for kind in kinds
            for w in signed_in.findChildren(kind)
            if w.isVisibleTo(signed_in)
            and not w.accessibleName()
            # Inner editors are named through their spin box (date edits too) or combo
            # box, and header cells are announced as the column headers of their table.
            and not isinstance(w.parent(), QAbstractSpinBox | QComboBox)
            and not isinstance(w, QHeaderView)
        ]
        assert unnamed == [], f"{title}: {unnamed}"


def test_sign_in_with_the_keyboard_only(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    assert QApplication.focusWidget() is window.login_page.username
    qtbot.keyClicks(QApplication.focusWidget(), ADMIN)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.login_page.password
    qtbot.keyClicks(QApplication.focusWidget(), ADMIN_PASSWORD)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.session_area, CaseArea), timeout=15_000)


def test_smoke_run_reaches_the_sign_in_page(data_dir: Path, tmp_path: Path) -> None:
    """What ``safeguard-desktop --smoke-test-gui`` runs on a frozen build, run the same way:
    a process of its own, which starts Qt, themes it and opens the store as a user's would
    (in this process it would theme again the application every other test uses)."""
    env = dict(os.environ, SAFEGUARD_LOG_DIR=str(tmp_path / "logs"), QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "safeguard_desktop.cli", "--data-dir", str(data_dir)]
    done = subprocess.run(
        [*command, "--smoke-test-gui", "1.5"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "GUI smoke test passed" in (tmp_path / "logs" / "safeguard-desktop.log").read_text()
