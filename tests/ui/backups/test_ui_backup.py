"""Backups in the app, driven through real widgets on real stores and real files.

Back up now from Home (mouse and keyboard only), Stop, a folder that is not there, the
automatic backup at sign-in and at lock, "Restore from a backup" on the first-run screen
into an empty folder and then signing in, the People page's note for accounts with no
password on this PC, and "Check the records now".
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from backup_made import backup_on_a_stick
from conftest import StoreFixture
from safeguard_desktop.security import recovery_key
from safeguard_desktop.services import backup
from safeguard_desktop.services.backup import AutoBackupSettings
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import NOT_SET_UP_ON_THIS_PC, Store
from safeguard_desktop.ui.access.password_reset_dialog import PasswordResetDialog
from safeguard_desktop.ui.backups.backup_dialog import BackupDialog
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.main_window import MainWindow
from screen_checks import unnamed_controls
from ui_store import idle, open_main_window, sign_in_lead

# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

NEW_ADMIN_PASSWORD = "lantern meadow copper whistle"
NEW_DSL_PASSWORD = "river bench orange kettle"


def files_in(folder: Path) -> list[str]:
    """Every name in the folder, hidden temporary files included."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def open_dialog(qtbot: QtBot, area: CaseArea) -> BackupDialog:
    backups = area.home.backups
    qtbot.mouseClick(backups.backup_button, Qt.MouseButton.LeftButton)
    dialog = backups.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def set_automatic(data_dir: Path, who: tuple[str, str], folder: Path) -> None:
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    try:
        backup.set_automatic_backups(session, AutoBackupSettings(str(folder)))
    finally:
        session.lock()


def no_dialogs(window: MainWindow) -> bool:
    return not [d for d in window.findChildren(QDialog) if d.isVisible()] and not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


# Back up now ---------------------------------------------------------------------------


def test_backup_now_writes_a_checked_file_and_home_then_says_today(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.dsl)
    backups = area.home.backups
    qtbot.waitUntil(lambda: backups.facts is not None, timeout=10_000)
    assert backups.status_line.text().startswith("No backup has been made yet.")
    assert backups.level == "amber"
    assert unnamed_controls(backups) == []

    dialog = open_dialog(qtbot, area)
    assert unnamed_controls(dialog) == []
    dialog.folder.setText(str(usb))
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert dialog.running and not dialog.make_button.isEnabled()
    assert dialog.cancel_button.text() == "&Stop the backup"
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    report = dialog.report
    assert report is not None
    # One file, named for the organisation and the day; nothing else left in the folder.
    assert files_in(usb) == [report.path.name]
    assert report.path.name.startswith("safeguard-backup-riverside-juniors-fc-")
    assert report.path.stat().st_size == report.size
    assert dialog.outcome.text() == report.sentence()
    assert dialog.outcome.text().startswith("Backup made and checked: safeguard-backup-")
    assert f"in {usb}." in dialog.details.text()
    assert dialog.progress.isHidden() and dialog.make_button.isHidden()
    assert dialog.cancel_button.text() == "&Close"
    assert QApplication.focusWidget() is dialog.cancel_button

    qtbot.waitUntil(
        lambda: backups.status_line.text() == "Last backup: today, checked.", timeout=10_000
    )
    assert backups.level == "ok"
    assert str(report.path) in backups.where_line.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: backups.dialog is None, timeout=5000)


def test_stop_leaves_nothing_in_the_folder(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.dsl)
    dialog = open_dialog(qtbot, area)
    dialog.folder.setText(str(usb))
    # Hold the worker so Stop is pressed before the backup has started, every time.
    gate = threading.Event()
    window.worker.submit(gate.wait, 10)
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # Stop stops the backup; it does not close the dialog
    assert dialog.phase.text() == "Stopping…"
    gate.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.outcome.text() == "The backup was cancelled; nothing was written."
    assert dialog.outcome.property("sgRole") == "hint"  # said calmly: nothing went wrong
    assert dialog.report is None
    assert files_in(usb) == []
    idle(qtbot, window)
    assert area.home.backups.status_line.text().startswith("No backup has been made yet.")


def test_a_folder_that_is_not_there_gets_the_services_sentence(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    gone = tmp_path / "usb stick that was pulled out"
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.admin)
    dialog = open_dialog(qtbot, area)
    dialog.folder.setText(str(gone))
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running and dialog.outcome.text() != "", timeout=15_000)
    assert dialog.outcome.text() == (
        f"The folder {gone} does not exist or cannot be reached (is the USB stick plugged in?)."
    )
    assert dialog.outcome.property("sgRole") == "error"
    assert dialog.make_button.isVisible() and dialog.make_button.isEnabled()
    assert not gone.exists()


def test_keyboard_only_through_the_backup_dialog(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.dsl)
    home = area.home
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    # Alt+U, the underlined letter of "Back up now…", from anywhere on Home.
    home.record_button.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: home.backups.dialog is not None, timeout=5000)
    dialog = home.backups.dialog
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    assert QApplication.focusWidget() is dialog.make_button
    # Alt+I goes to the folder; type over it; Enter makes the backup.
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.folder
    qtbot.keyClick(dialog.folder, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.folder, str(usb))
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    assert dialog.running
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    assert QApplication.focusWidget() is dialog.cancel_button
    qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: home.backups.dialog is None, timeout=5000)
    assert len(files_in(usb)) == 1 and files_in(usb)[0].endswith(".sgbackup")
    qtbot.waitUntil(
        lambda: home.backups.status_line.text() == "Last backup: today, checked.", timeout=10_000
    )


def test_a_lock_while_backing_up_stops_the_backup_and_still_locks(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.dsl)
    session = window.session
    assert isinstance(session, CaseSession)
    dialog = open_dialog(qtbot, area)
    dialog.folder.setText(str(usb))
    gate = threading.Event()
    window.worker.submit(gate.wait, 10)
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    window.lock()
    assert window.stack.currentWidget() is window.login_page
    gate.set()
    qtbot.waitUntil(lambda: session.is_locked, timeout=30_000)
    idle(qtbot, window)
    assert files_in(usb) == []


# Automatic backups ---------------------------------------------------------------------


def test_automatic_backup_at_sign_in_when_due(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    auto = tmp_path / "second disk"
    auto.mkdir()
    set_automatic(store_dir.data_dir, store_dir.admin, auto)
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.dsl)
    backups = area.home.backups
    qtbot.waitUntil(lambda: len(files_in(auto)) == 1, timeout=30_000)
    idle(qtbot, window)
    assert files_in(auto)[0].endswith(".sgbackup")
    assert backups.notice.text().startswith("Automatic backup: Backup made and checked: ")
    assert backups.notice.property("sgRole") == "good"
    qtbot.waitUntil(
        lambda: backups.status_line.text() == "Last backup: today, checked.", timeout=10_000
    )
    assert backups.automatic_line.text() == (
        f"Automatic backups: every day into {auto}, keeping the newest 10."
    )
    assert not window.automatic_backups.indicator.isVisible()
    assert no_dialogs(window)

    # Made today, so signing out makes no second one.
    session = window.session
    assert isinstance(session, CaseSession)
    window.sign_out()
    qtbot.waitUntil(lambda: session.is_locked, timeout=15_000)
    idle(qtbot, window)
    assert len(files_in(auto)) == 1


def test_a_missing_folder_is_a_quiet_notice_and_the_lock_makes_the_backup(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    set_automatic(store_dir.data_dir, store_dir.admin, stick)
    stick.rmdir()  # the USB stick is taken out
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.admin)
    backups = area.home.backups
    qtbot.waitUntil(lambda: backups.notice.text() != "", timeout=10_000)
    assert backups.notice.text() == (
        f"The automatic backup is due, but its folder {stick} is not there "
        "(is the USB stick plugged in?). It will be tried again."
    )
    assert backups.notice.property("sgRole") == "hint"  # a notice, not an error
    assert no_dialogs(window)

    # The stick goes in; locking makes the backup, then closes the records.
    stick.mkdir()
    session = window.session
    assert isinstance(session, CaseSession)
    window.lock()
    assert window.stack.currentWidget() is window.login_page
    assert window.findChild(CaseArea) is None or not window.findChild(CaseArea).isVisible()
    qtbot.waitUntil(lambda: session.is_locked, timeout=30_000)
    idle(qtbot, window)
    assert len(files_in(stick)) == 1
    # Said under "Locked", where it wraps, rather than cut off in the status bar.
    notice = window.login_page.notice.text().splitlines()
    assert notice[0] == "Locked. Sign in to carry on."
    assert notice[1].startswith("Automatic backup: Backup made and checked: ")
    assert not window.automatic_backups.indicator.isVisible()


def test_an_administrator_turns_automatic_backups_on_in_settings(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    auto = tmp_path / "backups"
    auto.mkdir()
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.admin)
    area.show_section("Settings")
    idle(qtbot, window)
    part = area.settings.backups
    assert unnamed_controls(part) == []
    assert not part.automatic_on.isChecked() and not part.automatic_folder.isEnabled()
    part.automatic_on.setChecked(True)
    assert part.automatic_folder.isEnabled()
    part.automatic_folder.setText(str(auto))
    part.every_days.setValue(7)
    assert part.every_days.suffix() == " days"
    part.keep.setValue(1)
    assert part.keep.suffix() == " backup"
    qtbot.mouseClick(part.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert part.automatic_message.text().startswith("Saved.")
    session = window.session
    assert isinstance(session, CaseSession)
    assert backup.automatic_backups(session) == AutoBackupSettings(str(auto), 7, 1)

    # A folder inside the records' own folder is refused with the service's sentence.
    part.automatic_folder.setText(str(store_dir.data_dir))
    qtbot.mouseClick(part.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert part.automatic_message.text().startswith(
        "A backup cannot go into the records' own folder"
    )
    window.sign_out()
    idle(qtbot, window)

    # A lead who is not an administrator sees them, and cannot change them.
    area = sign_in_lead(qtbot, window, store_dir.dsl)
    area.show_section("Settings")
    idle(qtbot, window)
    part = area.settings.backups
    assert part.automatic_on.isChecked() and part.automatic_folder.text() == str(auto)
    assert not part.automatic_on.isEnabled() and not part.automatic_folder.isEnabled()
    assert not part.save_button.isVisible()
    assert part.backup_button.isEnabled() and part.check_button.isEnabled()


# Check the records now -----------------------------------------------------------------


def test_check_the_records_now_shows_the_sentence(qtbot: QtBot, store_dir: StoreFixture) -> None:
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.dsl)
    area.show_section("Settings")
    idle(qtbot, window)
    part = area.settings.backups
    qtbot.mouseClick(part.check_button, Qt.MouseButton.LeftButton)
    assert not part.check_button.isEnabled() and part.check_progress.isVisible()
    qtbot.waitUntil(lambda: part.check_result.text() != "", timeout=30_000)
    assert part.check_result.text().startswith(
        "Everything checked is in order: every page of the records, every table, and the "
        "audit log's "
    )
    assert part.check_result.property("sgRole") == "good"
    assert not part.check_advice.isVisible()
    assert part.check_button.isEnabled() and not part.check_progress.isVisible()


# Restoring on a new PC -----------------------------------------------------------------


@pytest.fixture
def backup_file(store_dir: StoreFixture, tmp_path: Path) -> Path:
    return backup_on_a_stick(store_dir.data_dir, store_dir.admin, tmp_path / "usb")


def open_first_run(qtbot: QtBot, data_dir: Path) -> MainWindow:
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.first_run_page is not None, timeout=10_000)
    assert window.first_run_page is not None
    assert window.stack.currentWidget() is window.first_run_page
    return window


def type_into_focus(qtbot: QtBot, text: str) -> None:
    for char in text:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, char)


def test_restore_from_the_first_run_screen_then_sign_in(
    qtbot: QtBot, store_dir: StoreFixture, backup_file: Path, tmp_path: Path
) -> None:
    new_pc = tmp_path / "new pc" / "Safeguard Desktop"
    window = open_first_run(qtbot, new_pc)
    first = window.first_run_page
    assert first is not None
    assert unnamed_controls(first) == []
    qtbot.mouseClick(first.restore_button, Qt.MouseButton.LeftButton)
    page = window.restore_page
    assert page is not None and window.stack.currentWidget() is page
    assert unnamed_controls(page) == []
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)

    page.use_file(backup_file)
    assert QApplication.focusWidget() is page.key_entry.groups[0]
    for group in recovery_key.groups_of(store_dir.recovery_key):
        type_into_focus(qtbot, group)  # each sixth digit moves on by itself
    assert page.key_entry.wrong_groups() == []
    assert QApplication.focusWidget() is page.username
    type_into_focus(qtbot, store_dir.admin[0])
    qtbot.keyClicks(page.passwords.password, NEW_ADMIN_PASSWORD)
    qtbot.keyClicks(page.passwords.password_again, NEW_ADMIN_PASSWORD)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert page.busy and page.progress.isVisible()

    login = window.login_page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is login, timeout=60_000)
    assert window.restore_page is None and window.first_run_page is None
    assert login.notice.text().startswith("Restored: 0 concerns and 0 children as they were")
    assert login.notice.text().endswith(
        "Then give everyone else a new password on the People page."
    )
    assert login.username.text() == store_dir.admin[0]
    assert sorted(p.name for p in new_pc.iterdir()) == ["cases.db", "inbox.db", "vault.json"]

    # Someone whose password stayed on the old PC is told so at sign-in.
    login.username.setText(store_dir.dsl[0])
    qtbot.keyClicks(login.password, store_dir.dsl[1])
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not login.busy, timeout=15_000)
    assert login.error.text() == NOT_SET_UP_ON_THIS_PC

    area = sign_in_lead(qtbot, window, (store_dir.admin[0], NEW_ADMIN_PASSWORD))
    backups = area.home.backups
    qtbot.waitUntil(lambda: backups.facts is not None, timeout=10_000)
    assert backups.restored.isVisible()
    line = backups.restored_line
    assert line is not None
    assert line.text().startswith("These records were restored on ")
    assert " from a backup made on " in line.text()
    assert line.text().endswith("; anything recorded after the backup was made is not here.")
    # Not "no backup has been made yet" under it: the records came from one.
    assert backups.status_line.text().startswith(
        "No backup has been made on this PC since the records were restored."
    )

    # People: each account without a password here says so, with the action beside it.
    area.show_section("People")
    people = area.people
    assert people is not None
    idle(qtbot, window)
    assert people.no_password_hint.isVisible()
    notes = {
        people.table.item(row, 1).text(): people.table.cellWidget(row, 3)
        for row in range(people.table.rowCount())
    }
    assert notes[store_dir.admin[0]] is None
    # Tab: the table, each "Give a new one…" beside it, then the buttons under it.
    gives = [
        cell.findChild(QPushButton)
        for cell in (notes[store_dir.dsl[0]], notes[store_dir.recorder[0]])
        if cell is not None
    ]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    people.table.setFocus()
    reached = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == [*gives, people.add_button]
    assert people.table.item(0, 3) is not None
    rows = {people.table.item(r, 1).text(): r for r in range(people.table.rowCount())}
    for username in (store_dir.dsl[0], store_dir.recorder[0]):
        cell = notes[username]
        assert cell is not None
        assert cell.accessibleName() == "No password on this PC yet: give a new one"
        assert people.table.item(rows[username], 3).text() == cell.accessibleName()
        button = cell.findChild(QPushButton)
        assert button is not None and button.text() == "Give a new one…"
        assert button.accessibleName().startswith("No password on this PC yet: give ")
        # Not cut off: the note and its button get all the room they ask for.
        assert cell.sizeHint().height() <= people.table.rowHeight(rows[username])
        assert cell.sizeHint().width() <= cell.width()
    dsl_button = notes[store_dir.dsl[0]].findChild(QPushButton)  # type: ignore[union-attr]
    assert isinstance(dsl_button, QPushButton)
    qtbot.mouseClick(dsl_button, Qt.MouseButton.LeftButton)
    dialog = people.reset_dialog
    assert isinstance(dialog, PasswordResetDialog) and dialog.person.username == store_dir.dsl[0]
    qtbot.keyClicks(dialog.password, NEW_DSL_PASSWORD)
    qtbot.keyClicks(dialog.password_again, NEW_DSL_PASSWORD)
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: people.reset_dialog is None, timeout=15_000)
    idle(qtbot, window)
    rows = {people.table.item(r, 1).text(): r for r in range(people.table.rowCount())}
    assert people.table.cellWidget(rows[store_dir.dsl[0]], 3) is None
    assert people.table.item(rows[store_dir.dsl[0]], 3).text() == "Can sign in"
    assert people.table.cellWidget(rows[store_dir.recorder[0]], 3) is not None
    assert people.no_password_hint.isVisible()  # the recorder still needs one


def test_restore_refuses_a_folder_that_is_not_empty_and_back_returns(
    qtbot: QtBot, store_dir: StoreFixture, backup_file: Path, tmp_path: Path
) -> None:
    busy_folder = tmp_path / "busy"
    busy_folder.mkdir()
    (busy_folder / "notes.txt").write_text("someone's notes", encoding="utf-8")
    window = open_first_run(qtbot, busy_folder)
    first = window.first_run_page
    assert first is not None
    qtbot.mouseClick(first.restore_button, Qt.MouseButton.LeftButton)
    page = window.restore_page
    assert page is not None
    page.use_file(backup_file)
    page.key_entry.set_key(store_dir.recovery_key)
    page.username.setText(store_dir.admin[0])
    page.passwords.password.setText(NEW_ADMIN_PASSWORD)
    page.passwords.password_again.setText(NEW_ADMIN_PASSWORD)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    assert page.error.text() == (
        f"{busy_folder} is not empty, so nothing was restored into it and nothing in it "
        "was changed. Choose a new or empty folder."
    )
    assert files_in(busy_folder) == ["notes.txt"]

    # A mistake caught before the slow part: a key with a typing slip.
    groups = recovery_key.groups_of(store_dir.recovery_key)
    slip = groups[0][:-1] + str((int(groups[0][-1]) + 1) % 10)
    page.key_entry.set_key("-".join([slip, *groups[1:]]))
    # The new password is kept after the refusal: not typed twice again.
    assert page.passwords.password.text() == NEW_ADMIN_PASSWORD
    assert page.passwords.password_again.text() == NEW_ADMIN_PASSWORD
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert not page.busy and not window.worker.busy
    assert page.key_entry.key_message.text() == (
        "There is a typing mistake in group 1; check each digit against the sheet."
    )

    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.first_run_page
    assert window.restore_page is None
