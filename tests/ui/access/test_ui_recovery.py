"""The recovery-key dialog and "Set a new password" on the People page, on real stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
)
from pytestqt.qtbot import QtBot

from safeguard_desktop.domain.errors import WrongCredentials
from safeguard_desktop.domain.organisation import OrgType, Role
from safeguard_desktop.security import recovery_key
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.access.password_reset_dialog import PasswordResetDialog
from safeguard_desktop.ui.access.recovery_dialog import RecoveryDialog
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.main_window import MainWindow
from screen_checks import unnamed_controls
from ui_store import build_store, copy_store, open_main_window

ORG = "Hillside Primary School"
ADMIN, ADMIN_PASSWORD = "jo", "a long admin passphrase"
DSL, DSL_PASSWORD = "dana", "dana's old passphrase"
NEW_PASSWORD = "lantern meadow copper whistle"
# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"
WRONG_KEY_SENTENCE = (
    "That recovery key does not open these records; check it against the printed sheet."
)

pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One real store per module, with its recovery key; copied for each test."""
    return build_store(
        tmp_path_factory.mktemp("template"),
        org=ORG,
        org_type=OrgType.SCHOOL,
        admin=(ADMIN, "Jo Morgan", ADMIN_PASSWORD),
        users=[(DSL, "Dana Lead", Role.DSL, DSL_PASSWORD)],
    )


@pytest.fixture
def data_dir(template: tuple[Path, str], tmp_path: Path) -> Path:
    return copy_store(template[0], tmp_path)


@pytest.fixture
def key_groups(template: tuple[Path, str]) -> list[str]:
    return recovery_key.groups_of(template[1])


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    yield open_main_window(qtbot, data_dir)


def open_recovery(qtbot: QtBot, window: MainWindow) -> RecoveryDialog:
    page = window.login_page
    assert page.recovery_button.isVisibleTo(page)
    qtbot.mouseClick(page.recovery_button, Qt.MouseButton.LeftButton)
    dialog = page.recovery_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    return dialog


def type_into_focus(qtbot: QtBot, text: str) -> None:
    """Type key by key into whichever field has the focus, as a person would."""
    for char in text:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, char)


def with_typo(group: str) -> str:
    return group[:-1] + str((int(group[-1]) + 1) % 10)


def test_recover_with_the_real_key_signs_in_as_the_administrator(
    qtbot: QtBot, window: MainWindow, data_dir: Path, key_groups: list[str]
) -> None:
    dialog = open_recovery(qtbot, window)
    assert unnamed_controls(dialog) == []
    assert "give each of them a new password on the People page" in dialog.after.text()
    assert QApplication.focusWidget() is dialog.username
    type_into_focus(qtbot, ADMIN)
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.groups[0]
    for number, group in enumerate(key_groups, start=1):
        type_into_focus(qtbot, group)
        # The sixth digit moves on by itself: to the next group, then to the password.
        expected = dialog.groups[number] if number < 8 else dialog.password
        assert QApplication.focusWidget() is expected, f"after group {number}"
    assert dialog.key_text() == "-".join(key_groups)
    assert dialog.wrong_groups() == []
    assert all(g.property("sgCheck") == "right" for g in dialog.groups)
    assert not dialog.key_message.isVisibleTo(dialog)
    type_into_focus(qtbot, NEW_PASSWORD)
    qtbot.keyClicks(dialog.password_again, NEW_PASSWORD)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and not dialog.cancel_button.isEnabled()
    assert dialog.password.text() == "" and dialog.password_again.text() == ""

    qtbot.waitUntil(lambda: isinstance(window.session_area, CaseArea), timeout=15_000)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    session = window.session
    assert isinstance(session, CaseSession)
    assert session.user.username == ADMIN and session.user.role is Role.ADMIN
    assert window.login_page.recovery_dialog is None
    assert window.statusBar().currentMessage().startswith("Your new password is set.")
    assert window.lock_action.isEnabled()

    # The new password now opens the records; the old one no longer does.
    store = Store.open(data_dir)
    later = store.login(ADMIN, NEW_PASSWORD)
    assert isinstance(later, CaseSession)
    later.lock()
    with pytest.raises(WrongCredentials):
        store.login(ADMIN, ADMIN_PASSWORD)

    # Locking clears the reminder along with the session.
    window.lock()
    qtbot.waitUntil(lambda: window.findChild(CaseArea) is None, timeout=5000)
    assert window.statusBar().currentMessage() == ""


def test_pasting_the_whole_key_fills_every_group_and_clears_the_clipboard(
    qtbot: QtBot, window: MainWindow, key_groups: list[str]
) -> None:
    window.login_page.username.setText(ADMIN)
    dialog = open_recovery(qtbot, window)
    assert dialog.username.text() == ADMIN
    assert QApplication.focusWidget() is dialog.groups[0]
    clipboard = QApplication.clipboard()
    clipboard.setText("Recovery key: " + " ".join(key_groups) + "\n")
    qtbot.keyClick(dialog.groups[0], Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [g.text() for g in dialog.groups] == key_groups
    assert dialog.wrong_groups() == []
    assert QApplication.focusWidget() is dialog.password
    assert clipboard.text() == ""
    # Backspace in an emptied group steps back to the one before, as typing forward does.
    dialog.groups[4].setFocus()
    dialog.groups[4].clear()
    qtbot.keyClick(dialog.groups[4], Qt.Key.Key_Backspace)
    assert QApplication.focusWidget() is dialog.groups[3]
    assert dialog.groups[3].text() == key_groups[3]


def test_a_typo_in_a_group_is_flagged_before_submitting(
    qtbot: QtBot, window: MainWindow, key_groups: list[str]
) -> None:
    dialog = open_recovery(qtbot, window)
    qtbot.keyClicks(dialog.username, ADMIN)
    dialog.groups[0].setFocus()
    type_into_focus(qtbot, "".join(key_groups[:2]))
    assert not dialog.key_message.isVisibleTo(dialog)
    type_into_focus(qtbot, with_typo(key_groups[2]))
    # Flagged the moment the sixth digit of group 3 is typed, in words and in colour.
    assert dialog.wrong_groups() == [3]
    assert dialog.key_message.text() == (
        "There is a typing mistake in group 3; check each digit against the sheet."
    )
    assert dialog.key_message.isVisibleTo(dialog)
    assert dialog.groups[2].property("sgCheck") == "wrong"
    assert dialog.groups[2].accessibleDescription() == "This group has a typing mistake"
    assert dialog.captions[2].property("sgRole") == "error"
    assert dialog.groups[1].property("sgCheck") == "right"

    type_into_focus(qtbot, "".join(key_groups[3:]))
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.password_again, NEW_PASSWORD)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    # Refused on the spot: no slow check was started.
    assert not window.worker.busy and not dialog.busy
    assert dialog.key_message.isVisibleTo(dialog) and "group 3" in dialog.key_message.text()
    assert not dialog.error.isVisibleTo(dialog)  # said once, beside the groups
    assert QApplication.focusWidget() is dialog.groups[2]
    assert window.session is None

    # Putting the digit right clears the mark.
    dialog.groups[2].selectAll()
    type_into_focus(qtbot, key_groups[2])
    assert dialog.wrong_groups() == []
    assert not dialog.key_message.isVisibleTo(dialog)
    assert dialog.groups[2].property("sgCheck") == "right"

    # Two different passwords are caught before the slow check too.
    dialog.password_again.clear()
    qtbot.keyClicks(dialog.password_again, NEW_PASSWORD + "x")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert not window.worker.busy
    assert dialog.error.text() == (
        "The two passwords are not the same; please type the same password twice."
    )


def test_a_wrong_but_well_formed_key_gets_one_sentence(
    qtbot: QtBot, window: MainWindow, key_groups: list[str]
) -> None:
    other = recovery_key.generate()
    assert other != "-".join(key_groups)
    dialog = open_recovery(qtbot, window)
    qtbot.keyClicks(dialog.username, ADMIN)
    dialog.set_key(other)
    assert dialog.wrong_groups() == []  # every group passes its own check digit
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.password_again, NEW_PASSWORD)
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)
    assert dialog.busy
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=15_000)
    assert not dialog.busy
    assert dialog.error.text() == WRONG_KEY_SENTENCE
    assert dialog.error.accessibleDescription() == WRONG_KEY_SENTENCE
    assert dialog.isVisible() and window.session is None
    assert window.stack.currentWidget() is window.login_page
    assert dialog.password.text() == ""
    assert dialog.submit_button.isEnabled()  # the first mistakes cost no waiting


def test_the_recovery_key_is_only_for_an_administrator(
    qtbot: QtBot, window: MainWindow, key_groups: list[str]
) -> None:
    dialog = open_recovery(qtbot, window)
    qtbot.keyClicks(dialog.username, DSL)
    dialog.set_key("-".join(key_groups))
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.password_again, NEW_PASSWORD)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=15_000)
    assert dialog.error.text() == (
        "The recovery key can give a new password only to an administrator account."
    )
    assert window.session is None


def test_cancel_closes_the_dialog_and_forgets_the_key(
    qtbot: QtBot, window: MainWindow, key_groups: list[str]
) -> None:
    dialog = open_recovery(qtbot, window)
    dialog.set_key("-".join(key_groups))
    groups = dialog.groups
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert [g.text() for g in groups] == [""] * 8
    qtbot.waitUntil(lambda: not window.findChildren(RecoveryDialog), timeout=5000)
    assert window.login_page.recovery_dialog is None
    assert not window.worker.busy and window.session is None


def test_admin_sets_a_new_password_for_someone_on_the_people_page(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    page = window.login_page
    page.username.setText(ADMIN)
    qtbot.keyClicks(page.password, ADMIN_PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.session_area, CaseArea), timeout=15_000)
    area = window.session_area
    assert isinstance(area, CaseArea) and area.people is not None
    people = area.people
    area.show_section("People")
    # Let the pages' own background reads finish, so "not busy" below means something.
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    assert not people.reset_button.isEnabled()  # nobody selected yet
    people.select_username(ADMIN)
    assert not people.reset_button.isEnabled()  # not for your own account
    people.select_username(DSL)
    assert people.reset_button.isEnabled()

    qtbot.mouseClick(people.reset_button, Qt.MouseButton.LeftButton)
    dialog = people.reset_dialog
    assert isinstance(dialog, PasswordResetDialog) and dialog.isVisible()
    assert dialog.person.username == DSL
    assert unnamed_controls(dialog) == []
    assert "Tell Dana Lead the new password in person" in dialog.advice.text()
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.password_again, "something else entirely")
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    assert not window.worker.busy
    assert dialog.error.text() == (
        "The two passwords are not the same; please type the same password twice."
    )
    dialog.password.clear()
    dialog.password_again.clear()
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.password_again, "short")
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    assert dialog.error.text().startswith("The password must be at least 10 characters")
    dialog.password.clear()
    dialog.password_again.clear()
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.password_again, NEW_PASSWORD)
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    assert dialog.busy
    qtbot.waitUntil(lambda: people.reset_dialog is None, timeout=15_000)
    assert people.message.text() == (
        "Dana Lead has a new password. Tell them it in person; their old one no longer works."
    )
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)

    # Dana signs in with the new password, to the records; the old one is refused.
    store = Store.open(data_dir)
    session = store.login(DSL, NEW_PASSWORD)
    assert isinstance(session, CaseSession)
    session.lock()
    with pytest.raises(WrongCredentials):
        store.login(DSL, DSL_PASSWORD)


def test_repeated_wrong_keys_show_a_countdown(
    qtbot: QtBot, window: MainWindow, key_groups: list[str]
) -> None:
    dialog = open_recovery(qtbot, window)
    qtbot.keyClicks(dialog.username, ADMIN)
    for _ in range(3):  # two free mistakes, then the store asks for a pause
        qtbot.waitUntil(dialog.submit_button.isEnabled, timeout=10_000)
        dialog.set_key(recovery_key.generate())
        qtbot.keyClicks(dialog.password, NEW_PASSWORD)
        qtbot.keyClicks(dialog.password_again, NEW_PASSWORD)
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.worker.busy, timeout=15_000)
    assert dialog.seconds_to_wait() > 0
    assert not dialog.submit_button.isEnabled()
    assert dialog.submit_button.text().startswith("Try again in ")
    assert dialog.submit_button.accessibleName() == dialog.submit_button.text()
    # Even the right key waits its turn: Enter does nothing during the pause.
    dialog.set_key("-".join(key_groups))
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.password_again, NEW_PASSWORD)
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)
    assert not dialog.busy and not window.worker.busy and window.session is None
    qtbot.waitUntil(dialog.submit_button.isEnabled, timeout=10_000)
    assert dialog.submit_button.text() == "&Set the new password and sign in"
