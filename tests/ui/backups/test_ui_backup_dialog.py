"""Back up now and the automatic backups' folder (ui/backups/backup_dialog.py,
backup_settings.py): the words under the folder follow what is typed and say what the
offered folder really is; a refused folder takes the keyboard; the automatic backups
never offer a folder on the PC itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from conftest import StoreFixture
from safeguard_desktop.ui.backups import backup_dialog, backup_folder, backup_settings
from safeguard_desktop.ui.backups.backup_dialog import BackupDialog
from safeguard_desktop.ui.backups.backup_folder import SuggestedFolder
from safeguard_desktop.ui.case_area import CaseArea
from ui_store import idle, open_main_window, sign_in_lead

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def open_dialog(qtbot: QtBot, area: CaseArea) -> BackupDialog:
    dialog = area.home.backups.open_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_the_folder_hint_follows_the_folder_typed_and_names_the_home_folder(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    monkeypatch.setattr(
        backup_folder, "removable_drives", lambda: [SuggestedFolder(stick, True, "KINGSTON")]
    )
    # No USB stick in, and no Documents folder: the home folder is offered, named so.
    home = SuggestedFolder(Path.home(), False, "")
    monkeypatch.setattr(backup_dialog, "suggested_backup_folder", lambda: home)
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.admin)
    dialog = open_dialog(qtbot, area)
    assert dialog.folder.text() == str(Path.home())
    assert "this is your home folder on this PC" in dialog.folder_hint.text()
    assert "Documents" not in dialog.folder_hint.text()

    # Typed: the words follow it, keystroke by keystroke.
    dialog.folder.setFocus()
    qtbot.keyClick(dialog.folder, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.folder, str(stick / "backups"))
    assert dialog.folder_hint.text().startswith("This is a USB stick or other removable drive")
    assert "KINGSTON" in dialog.folder_hint.text()
    qtbot.keyClick(dialog.folder, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.folder, str(tmp_path / "on the PC"))
    assert dialog.folder_hint.text().startswith("This folder is not on a USB stick.")
    assert "lost with the PC" in dialog.folder_hint.text()
    dialog.reject()


@pytest.mark.parametrize("where", ["the records' own folder", "a folder that is not there"])
def test_a_refused_folder_takes_the_keyboard(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path, where: str
) -> None:
    folder = store_dir.data_dir if where.startswith("the records") else tmp_path / "gone"
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.admin)
    dialog = open_dialog(qtbot, area)
    dialog.folder.setText(str(folder))
    dialog.make_button.setFocus()
    qtbot.keyClick(dialog.make_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.running and dialog.outcome.text() != "", timeout=15_000)
    assert dialog.outcome.property("sgRole") == "error"
    assert QApplication.focusWidget() is dialog.folder
    dialog.reject()


def test_export_into_a_folder_refused_takes_the_keyboard(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.admin)
    area.show_section("Settings")
    idle(qtbot, window)
    section = area.settings.export_section
    assert section is not None
    dialog = section.open_dialog()
    qtbot.waitExposed(dialog)
    dialog.as_folder.setChecked(True)
    dialog.folder.setText(str(store_dir.data_dir))
    dialog.export_button.setFocus()
    qtbot.keyClick(dialog.export_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.running and dialog.message.text() != "", timeout=15_000)
    assert "data folder" in dialog.message.text()
    assert QApplication.focusWidget() is dialog.folder
    dialog.reject()


@pytest.mark.parametrize("stick", [False, True], ids=["no USB stick", "a USB stick in"])
def test_automatic_backups_offer_only_a_removable_drive(
    qtbot: QtBot,
    store_dir: StoreFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stick: bool,
) -> None:
    drive = SuggestedFolder(tmp_path / "KINGSTON", True, "KINGSTON")
    offered = drive if stick else SuggestedFolder(tmp_path / "Documents", False, "")
    monkeypatch.setattr(backup_settings, "suggested_backup_folder", lambda: offered)
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.admin)
    area.show_section("Settings")
    idle(qtbot, window)
    part = area.settings.backups
    part.automatic_on.setChecked(True)
    assert part.automatic_folder.text() == (str(drive.path) if stick else "")
    if not stick:
        assert part.automatic_folder.placeholderText()
        # Saved with a folder that is not there: said, and the keyboard in the folder.
        part.automatic_folder.setText(str(tmp_path / "gone"))
        part.save_button.setFocus()
        qtbot.keyClick(part.save_button, Qt.Key.Key_Space)
        idle(qtbot, window)
        qtbot.waitUntil(lambda: "does not exist" in part.automatic_message.text(), timeout=5000)
        assert QApplication.focusWidget() is part.automatic_folder


def test_after_a_restore_no_backup_yet_is_said_as_since_the_restore(qtbot: QtBot) -> None:
    from safeguard_desktop.ui.backups.backup_status import last_backup_sentence

    fresh, level = last_backup_sentence(None)
    assert fresh.startswith("No backup has been made yet.") and level == "amber"
    restored, level = last_backup_sentence(None, restored=True)
    assert restored.startswith(
        "No backup has been made on this PC since the records were restored."
    )
    assert level == "amber"
