"""Walks the real app through setup, sign-in and the signed-in areas, saving a PNG of each.

New views are shot at the end of the walk, so the numbers of the older files never change.

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
from safeguard_desktop.security import recovery_key
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.recorder_area import RecorderArea
from safeguard_desktop.ui.theme import apply_theme

WIDTH, HEIGHT = 1366, 720
ADMIN_PASSWORD = "kettle river orange bicycle"  # noqa: S105 - fictional, throw-away store
RECORDER_PASSWORD = "coach-password"  # noqa: S105 - fictional, throw-away store
NEW_ADMIN_PASSWORD = "lantern meadow copper whistle"  # noqa: S105 - fictional
NEW_RECORDER_PASSWORD = "river-bench-42"  # noqa: S105 - fictional


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
    record_concern(shooter, window)
    window.sign_out()
    window.close()

    demo = MainWindow(data_dir, demo_hint=DEMO_HINT)
    demo.resize(WIDTH, HEIGHT)
    demo.show()
    wait_until(lambda: demo.stack.currentWidget() is demo.login_page)
    shooter.shot(demo, "login-demo-banner")
    demo.close()

    recover_and_reset(shooter, data_dir, groups)


def recover_and_reset(shooter: Shooter, data_dir: Path, groups: list[str]) -> None:
    """The recovery-key dialog, then a new password for someone on the People page."""
    window = MainWindow(data_dir)
    window.resize(WIDTH, HEIGHT)
    window.show()
    wait_until(lambda: window.stack.currentWidget() is window.login_page)
    login = window.login_page
    login.open_recovery_dialog()
    dialog = login.recovery_dialog
    assert dialog is not None
    QTest.keyClicks(dialog.username, "sam")
    typo = groups[2][:-1] + str((int(groups[2][-1]) + 1) % 10)
    for edit, group in zip(dialog.groups, [*groups[:2], typo], strict=False):
        QTest.keyClicks(edit, group)
    shooter.shot(dialog, "recovery-key-typo")

    # A key that is well formed but is not this store's: the slow check says so.
    dialog.set_key(recovery_key.generate())
    QTest.keyClicks(dialog.password, NEW_ADMIN_PASSWORD)
    QTest.keyClicks(dialog.password_again, NEW_ADMIN_PASSWORD)
    QTest.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    shooter.shot(dialog, "recovery-key-checking")
    wait_until(lambda: not dialog.busy and not window.worker.busy)
    shooter.shot(dialog, "recovery-key-wrong")

    dialog.set_key("-".join(groups))
    QTest.keyClicks(dialog.password, NEW_ADMIN_PASSWORD)
    QTest.keyClicks(dialog.password_again, NEW_ADMIN_PASSWORD)
    dialog.error.clear_message()
    shooter.shot(dialog, "recovery-key")
    QTest.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: isinstance(window.session_area, CaseArea) and not window.worker.busy)
    shooter.shot(window, "recovery-signed-in")

    area = window.session_area
    assert isinstance(area, CaseArea) and area.people is not None
    area.show_section("People")
    people = area.people
    people.select_username("chris")
    people.open_reset_dialog()
    reset = people.reset_dialog
    assert reset is not None
    QTest.keyClicks(reset.password, NEW_RECORDER_PASSWORD)
    QTest.keyClicks(reset.password_again, NEW_RECORDER_PASSWORD)
    shooter.shot(reset, "people-reset-password")
    QTest.mouseClick(reset.set_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: people.reset_dialog is None and not window.worker.busy)
    shooter.shot(window, "people-reset-done")
    window.sign_out()
    window.close()


def record_concern(shooter: Shooter, window: MainWindow) -> None:
    """Every step of the guided concern form, as the recorder signed in to ``window``."""
    from PySide6.QtCore import QPoint

    area = window.session_area
    assert isinstance(area, RecorderArea)
    QTest.mouseClick(area.record_button, Qt.MouseButton.LeftButton)
    form = window.concern_form
    assert form is not None
    wizard = form.wizard
    wait_until(lambda: form.stack.currentWidget() is wizard)
    shooter.shot(window, "concern-danger-question")
    wizard.danger_question_page.yes.setChecked(True)
    click_next(wizard)
    shooter.shot(window, "concern-danger-call-999")
    click_next(wizard)
    children = wizard.children_page
    children.boxes[0].name.setText("Sam Example")
    children.boxes[0].age_radio.setChecked(True)
    children.boxes[0].group.setText("Under 10s")
    children.add_child()
    children.boxes[1].dob_radio.setChecked(True)
    click_next(wizard)  # the second child has no name yet: refused, said beside the field
    shooter.shot(window, "concern-children-error")
    children.boxes[1].name.setText("Zażółć Kowalska")
    click_next(wizard)
    wizard.when_page.location.setText("Changing room by the main pitch")
    shooter.shot(window, "concern-when-where")
    click_next(wizard)
    facts = wizard.facts_page.observed
    facts.setPlainText(
        "At 10:15 I saw Sam holding his left arm. I think he was hiding it. When he "
        "rolled up his sleeve there was a round purple bruise about 3 cm across, and it "
        "probably happened at home."
    )
    cursor = facts.textCursor()
    cursor.setPosition(44)
    facts.setTextCursor(cursor)
    facts.setFocus()
    shooter.shot(window, "concern-facts-underlined")
    click_next(wizard)
    wizard.words_page.child_words.setPlainText("Dad grabbed me. Don't tell him I said.")
    wizard.words_page.presentation.setPlainText("Quiet, looked at the floor, flinched.")
    shooter.shot(window, "concern-child-words")
    click_next(wizard)
    wizard.actions_page.others_present.setPlainText("Coach Ben Example")
    wizard.actions_page.actions_taken.setPlainText("Listened, thanked him, came to record it.")
    wizard.actions_page.told_no.setChecked(True)
    shooter.shot(window, "concern-what-you-did")
    click_next(wizard)
    wizard.categories_page.checks["physical_abuse"].setChecked(True)
    shooter.shot(window, "concern-categories")
    click_next(wizard)
    editor = wizard.body_page.editor
    canvas = editor.canvases["front"]
    rect = canvas.outline_rect()
    for x, y in ((0.22, 0.38), (0.5, 0.6)):
        point = QPoint(round(rect.x() + rect.width() * x), round(rect.y() + rect.height() * y))
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point)
    editor.note_edit(0).setText("Round, purple, about 3 cm")
    shooter.shot(window, "concern-body-map")
    click_next(wizard)
    shooter.shot(window, "concern-review")
    QTest.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_until(lambda: window.after_page is not None)
    after = window.after_page
    assert after is not None
    shooter.shot(window, "concern-what-happens-next")
    QTest.mouseClick(after.done_button, Qt.MouseButton.LeftButton)


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
