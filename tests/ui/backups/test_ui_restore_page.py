"""Restore from a backup (ui/backups/restore_page.py), its refusals from the keyboard on a
small screen: a typing slip in the recovery key is said in sight, a user name that is not
an administrator's (or no one's) puts the keyboard back in the user name, and the new
password is kept until the restore has worked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from backup_made import backup_on_a_stick
from conftest import StoreFixture
from safeguard_desktop.security import recovery_key
from safeguard_desktop.ui.backups.restore_page import RestorePage
from safeguard_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

NEW_PASSWORD = "lantern meadow copper whistle"


@pytest.fixture
def backup_file(store_dir: StoreFixture, tmp_path: Path) -> Path:
    return backup_on_a_stick(store_dir.data_dir, store_dir.admin, tmp_path / "usb")


def restore_page(qtbot: QtBot, data_dir: Path) -> tuple[MainWindow, RestorePage]:
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.resize(911, 472)  # 1366 x 768 at 150 %
    window.show()
    qtbot.waitUntil(lambda: window.first_run_page is not None, timeout=10_000)
    assert window.first_run_page is not None
    window.first_run_page.restore_button.click()
    page = window.restore_page
    assert page is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window, page


def in_sight(area: QScrollArea, widget: QWidget) -> bool:
    viewport = area.viewport()
    top = widget.mapTo(viewport, QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= viewport.height()


def test_a_typing_slip_in_the_key_is_said_in_sight(
    qtbot: QtBot, store_dir: StoreFixture, backup_file: Path, tmp_path: Path
) -> None:
    _window, page = restore_page(qtbot, tmp_path / "new pc")
    page.use_file(backup_file)
    groups = recovery_key.groups_of(store_dir.recovery_key)
    slip = groups[0][:-1] + str((int(groups[0][-1]) + 1) % 10)
    page.scroller.verticalScrollBar().setValue(0)
    for char in slip:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, char)
    message = page.key_entry.key_message
    assert message.text().startswith("There is a typing mistake in group 1")
    qtbot.waitUntil(lambda: in_sight(page.scroller, message), timeout=2000)
    # The keyboard stays where the typing is, in sight too.
    focused = QApplication.focusWidget()
    assert focused in page.key_entry.groups
    assert in_sight(page.scroller, focused)


@pytest.mark.parametrize(
    ("username", "sentence"),
    [
        ("dana", "only to an administrator account"),
        ("nobody", "No account in the backup has the user name nobody."),
    ],
)
def test_a_user_name_at_fault_takes_the_keyboard_and_the_passwords_stay(
    qtbot: QtBot,
    store_dir: StoreFixture,
    backup_file: Path,
    tmp_path: Path,
    username: str,
    sentence: str,
) -> None:
    window, page = restore_page(qtbot, tmp_path / "new pc")
    page.use_file(backup_file)
    page.key_entry.set_key(store_dir.recovery_key)
    page.username.setText(username)
    page.passwords.password.setText(NEW_PASSWORD)
    page.passwords.password_again.setText(NEW_PASSWORD)
    page.restore_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert sentence in page.error.text()
    assert QApplication.focusWidget() is page.username
    assert page.passwords.password.text() == NEW_PASSWORD
    assert page.passwords.password_again.text() == NEW_PASSWORD

    # Put right, the same passwords restore; the fields are emptied as the page goes.
    emptied: list[str] = []
    page.restored.connect(lambda *_: emptied.append(page.passwords.password.text()))
    page.username.setText(store_dir.admin[0])
    page.restore_button.click()
    qtbot.waitUntil(lambda: window.restore_page is None, timeout=60_000)
    assert emptied == [""]
