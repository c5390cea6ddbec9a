"""'Change my password' from the top bar, for a recorder and an administrator, on real stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from safeguard_desktop.domain.errors import WrongCredentials
from safeguard_desktop.domain.organisation import OrgType, Role
from safeguard_desktop.services.session import CaseSession, RecorderSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.access.change_password_dialog import ChangePasswordDialog
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.recording.recorder_area import RecorderArea
from screen_checks import unnamed_controls
from ui_store import build_store, copy_store, open_main_window, sign_in

ORG = "Hillside Primary School"
ADMIN, ADMIN_PASSWORD = "jo", "a long admin passphrase"
RECORDER, RECORDER_PASSWORD = "sam", "sam's old words"
NEW_PASSWORD = "lantern meadow copper whistle"
MISMATCH = "The two passwords are not the same; please type the same password twice."
# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"

pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real store per module with an administrator and a recorder; copied per test."""
    data_dir, _ = build_store(
        tmp_path_factory.mktemp("template"),
        org=ORG,
        org_type=OrgType.SCHOOL,
        admin=(ADMIN, "Jo Morgan", ADMIN_PASSWORD),
        users=[(RECORDER, "Sam Helper", Role.RECORDER, RECORDER_PASSWORD)],
    )
    return data_dir


@pytest.fixture
def data_dir(template: Path, tmp_path: Path) -> Path:
    return copy_store(template, tmp_path)


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    yield open_main_window(qtbot, data_dir)


def open_dialog_by_keyboard(qtbot: QtBot, window: MainWindow) -> ChangePasswordDialog:
    button = window.toolbar.widgetForAction(window.change_password_action)
    assert button.isVisible() and button.accessibleName() == "Change my password"
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    dialog = window.change_password_dialog
    assert isinstance(dialog, ChangePasswordDialog) and dialog.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    assert QApplication.focusWidget() is dialog.current
    return dialog


def type_into_focus(qtbot: QtBot, text: str) -> None:
    """Type key by key into whichever field has the focus, as a person would."""
    for char in text:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, char)


def tab(qtbot: QtBot) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def assert_password_is_now(data_dir: Path, username: str, new: str, old: str) -> None:
    store = Store.open(data_dir)
    session = store.login(username, new)
    assert session.user.username == username
    session.lock()
    with pytest.raises(WrongCredentials):
        store.login(username, old)


def test_a_recorder_changes_their_password_with_the_keyboard_only(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    sign_in(qtbot, window, (RECORDER, RECORDER_PASSWORD))
    assert isinstance(window.session_area, RecorderArea)
    assert isinstance(window.session, RecorderSession)
    dialog = open_dialog_by_keyboard(qtbot, window)
    assert unnamed_controls(dialog) == []
    assert dialog.fields.hint.text().startswith("At least 8 characters.")

    type_into_focus(qtbot, RECORDER_PASSWORD)
    tab(qtbot)
    assert QApplication.focusWidget() is dialog.fields.password
    type_into_focus(qtbot, NEW_PASSWORD)
    tab(qtbot)
    assert QApplication.focusWidget() is dialog.fields.password_again
    type_into_focus(qtbot, NEW_PASSWORD)
    qtbot.keyClick(dialog.fields.password_again, Qt.Key.Key_Return)
    # Busy at once: nothing to press twice, no way out half-way, nothing left in the fields.
    assert dialog.busy and window.worker.busy
    assert dialog.busy_bar.isVisibleTo(dialog)
    assert not dialog.change_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert dialog.current.text() == "" and dialog.fields.password.text() == ""
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()

    qtbot.waitUntil(lambda: window.change_password_dialog is None, timeout=15_000)
    assert window.statusBar().currentMessage() == "Your password has been changed."
    assert isinstance(window.session, RecorderSession)  # still signed in
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    assert_password_is_now(data_dir, RECORDER, NEW_PASSWORD, RECORDER_PASSWORD)


def test_an_administrator_changes_their_password(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    sign_in(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    assert isinstance(window.session_area, CaseArea)
    assert isinstance(window.session, CaseSession)
    qtbot.mouseClick(
        window.toolbar.widgetForAction(window.change_password_action), Qt.MouseButton.LeftButton
    )
    dialog = window.change_password_dialog
    assert dialog is not None
    assert unnamed_controls(dialog) == []
    assert dialog.fields.hint.text().startswith("At least 10 characters.")
    # The show box reveals the current password as well as the new ones.
    dialog.fields.show_passwords.setChecked(True)
    assert dialog.current.echoMode() == QLineEdit.EchoMode.Normal
    assert dialog.fields.password_again.echoMode() == QLineEdit.EchoMode.Normal
    qtbot.keyClicks(dialog.current, ADMIN_PASSWORD)
    qtbot.keyClicks(dialog.fields.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.fields.password_again, NEW_PASSWORD)
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert dialog.busy
    qtbot.waitUntil(lambda: window.change_password_dialog is None, timeout=15_000)
    assert window.statusBar().currentMessage() == "Your password has been changed."
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    assert_password_is_now(data_dir, ADMIN, NEW_PASSWORD, ADMIN_PASSWORD)


def test_a_wrong_current_password_gets_the_service_sentence(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, (RECORDER, RECORDER_PASSWORD))
    dialog = open_dialog_by_keyboard(qtbot, window)
    qtbot.keyClicks(dialog.current, "not my password")
    qtbot.keyClicks(dialog.fields.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.fields.password_again, NEW_PASSWORD)
    qtbot.keyClick(dialog.fields.password_again, Qt.Key.Key_Return)
    assert dialog.busy
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=15_000)
    assert not dialog.busy and dialog.isVisible()
    assert dialog.error.text() == "The current password is not right."
    assert dialog.error.accessibleDescription() == "The current password is not right."
    assert dialog.change_button.isEnabled()
    assert QApplication.focusWidget() is dialog.current
    assert window.statusBar().currentMessage() == ""
    assert window.session is not None


def test_mismatched_new_passwords_are_caught_before_any_slow_work(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    dialog = open_dialog_by_keyboard(qtbot, window)
    # Nothing typed yet: asked for the current password first.
    qtbot.keyClick(dialog.current, Qt.Key.Key_Return)
    assert not window.worker.busy and not dialog.busy
    assert dialog.error.text() == "Please type your current password."

    qtbot.keyClicks(dialog.current, ADMIN_PASSWORD)
    qtbot.keyClicks(dialog.fields.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.fields.password_again, NEW_PASSWORD + "x")
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert not window.worker.busy and not dialog.busy
    assert dialog.error.text() == MISMATCH
    assert QApplication.focusWidget() is dialog.fields.password_again
    assert dialog.isVisible()

    # Locking takes the dialog, and what was typed in it, away with the session.
    window.lock()
    qtbot.waitUntil(lambda: not window.findChildren(ChangePasswordDialog), timeout=5000)
    assert window.change_password_dialog is None
    assert not window.change_password_action.isEnabled()
