"""Walks the real app through setup, sign-in and the signed-in areas, saving a PNG of each.

    uv run python tools/screenshots.py [OUT_DIR]            # offscreen, default docs/screenshots
    xvfb-run -s "-screen 0 1366x768x24" uv run python tools/screenshots.py

Everything runs against a fresh store in a temporary folder, with fictional names. A second
pass repeats it with the app font at 150 % (into OUT_DIR/scaled-150) to catch text that is
cut off. The window is 1366 x 720: a 1366 x 768 laptop screen minus the taskbar.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never put a device secret into the developer's real keyring from a screenshot run.
os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)

from PySide6.QtCore import Qt  # imported after choosing the platform above
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from safeguard_desktop.app import DEMO_HINT, make_application
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.theme import apply_theme

WIDTH, HEIGHT = 1366, 720
ADMIN_PASSWORD = "kettle river orange bicycle"  # noqa: S105 - fictional, throw-away store
RECORDER_PASSWORD = "coach-password"  # noqa: S105 - fictional, throw-away store


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        QTest.qWait(20)


def settle() -> None:
    QTest.qWait(150)


class Shooter:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def shot(self, widget: QWidget, name: str) -> None:
        settle()
        self.count += 1
        path = self.out_dir / f"{self.count:02d}-{name}.png"
        widget.grab().save(str(path))
        print(path)


def click_next(wizard: QWizard) -> None:
    for which in (QWizard.WizardButton.CommitButton, QWizard.WizardButton.NextButton):
        button = wizard.button(which)
        if button.isVisible() and button.isEnabled():
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            return
    raise RuntimeError("no enabled Next button")


def walk(out_dir: Path, data_dir: Path) -> None:
    shooter = Shooter(out_dir)
    window = MainWindow(data_dir)
    window.resize(WIDTH, HEIGHT)
    window.show()
    wait_until(lambda: window.wizard is not None)
    wizard = window.wizard
    assert wizard is not None

    org = wizard.organisation_page
    shooter.shot(window, "setup-welcome-empty")
    QTest.keyClicks(org.org_name, "Riverside Juniors FC")
    org.select_org_type(OrgType.CLUB)
    org.allow_guests.setChecked(True)
    shooter.shot(window, "setup-welcome")
    click_next(wizard)

    admin = wizard.admin_page
    QTest.keyClicks(admin.display_name, "Sam Taylor")
    QTest.keyClicks(admin.password, "short")
    admin.password_again.setFocus()
    QTest.keyClicks(admin.password_again, "sh")
    admin.display_name.setFocus()
    shooter.shot(window, "setup-admin-errors")
    admin.password.clear()
    admin.password_again.clear()
    QTest.keyClicks(admin.password, ADMIN_PASSWORD)
    QTest.keyClicks(admin.password_again, ADMIN_PASSWORD)
    shooter.shot(window, "setup-admin")
    click_next(wizard)

    contacts = wizard.contacts_page.form
    QTest.keyClicks(contacts.front_door, "0100 496 0000")
    QTest.keyClicks(contacts.lado, "0100 496 0001")
    shooter.shot(window, "setup-contacts")
    click_next(wizard)

    shooter.shot(window, "setup-creating")
    wait_until(lambda: wizard.result is not None)
    shooter.shot(window, "setup-created")
    click_next(wizard)

    shooter.shot(window, "setup-recovery-key")
    wizard.key_page.saved_check.setChecked(True)
    groups = wizard.recovery_groups()
    click_next(wizard)

    confirm = wizard.confirm_page
    numbers = confirm.expected_group_numbers()
    wrong = groups[numbers[0] % len(groups)]  # another group: passes its check digit
    typo = groups[numbers[1] - 1][:-1] + str((int(groups[numbers[1] - 1][-1]) + 1) % 10)
    QTest.keyClicks(confirm.edits[0], wrong)
    QTest.keyClicks(confirm.edits[1], typo)
    shooter.shot(window, "setup-confirm-mistakes")
    confirm.edits[0].clear()
    confirm.edits[1].clear()
    QTest.keyClicks(confirm.edits[0], groups[numbers[0] - 1])
    QTest.keyClicks(confirm.edits[1], groups[numbers[1] - 1])
    shooter.shot(window, "setup-confirm")
    click_next(wizard)
    shooter.shot(window, "setup-done")
    QTest.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    login = window.login_page
    wait_until(lambda: window.stack.currentWidget() is login)
    shooter.shot(window, "login-after-setup")
    QTest.keyClicks(login.password, "not the password")
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    shooter.shot(window, "login-busy")
    wait_until(lambda: not login.busy)
    shooter.shot(window, "login-wrong-password")
    QTest.keyClicks(login.password, ADMIN_PASSWORD)
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    wait_until(lambda: isinstance(window.session_area, CaseArea))
    area = window.session_area
    assert isinstance(area, CaseArea)
    wait_until(lambda: not window.worker.busy)
    shooter.shot(window, "dsl-home")

    area.show_section("Audit log")
    wait_until(lambda: not window.worker.busy)
    shooter.shot(window, "dsl-audit-log")

    area.show_section("People")
    people = area.people
    assert people is not None
    people.open_add_dialog()
    dialog = people.add_dialog
    assert dialog is not None
    QTest.keyClicks(dialog.display_name, "Chris Coach")
    QTest.keyClicks(dialog.username, "chris")
    QTest.keyClicks(dialog.password, RECORDER_PASSWORD)
    shooter.shot(dialog, "people-add-dialog")
    QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: people.add_dialog is None and not window.worker.busy)
    shooter.shot(window, "people")
    people.select_username("chris")
    people.ask_remove()
    box = people.confirm_box
    assert box is not None
    shooter.shot(box, "people-remove-confirm")
    box.reject()

    area.show_section("Settings")
    shooter.shot(window, "settings")

    window.lock()
    wait_until(lambda: window.findChild(CaseArea) is None)
    shooter.shot(window, "locked")

    login.username.setText("chris")
    QTest.keyClicks(login.password, RECORDER_PASSWORD)
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    wait_until(lambda: window.session_area is not None and not window.worker.busy)
    shooter.shot(window, "recorder-area")
    window.sign_out()
    window.close()

    demo = MainWindow(data_dir, demo_hint=DEMO_HINT)
    demo.resize(WIDTH, HEIGHT)
    demo.show()
    wait_until(lambda: demo.stack.currentWidget() is demo.login_page)
    shooter.shot(demo, "login-demo-banner")
    demo.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default="docs/screenshots", type=Path)
    args = parser.parse_args()
    app = make_application()
    for sub, scale in (("", 1.0), ("scaled-150", 1.5)):
        apply_theme(app, scale)
        root = Path(tempfile.mkdtemp(prefix="safeguard-shots-"))
        try:
            walk(args.out_dir / sub if sub else args.out_dir, root / "data")
        finally:
            shutil.rmtree(root, ignore_errors=True)
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
