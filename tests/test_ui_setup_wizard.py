"""The first-run wizard, driven like a person would: typing, clicking Next, reading the key."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.security.recovery_key import check_group
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.setup.recovery_key_pages import recovery_sheet_html
from safeguard_desktop.ui.setup.setup_wizard import SetupWizard

CANARY = "Qx9Canary"
PASSWORD = f"kettle river orange {CANARY}"
ORG = "Riverside Juniors FC"


def open_wizard(qtbot: QtBot, data_dir: Path) -> tuple[MainWindow, SetupWizard]:
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    # No store yet: the first screen offers a new store or a restore from a backup.
    qtbot.waitUntil(lambda: window.first_run_page is not None, timeout=10_000)
    assert window.first_run_page is not None
    qtbot.mouseClick(window.first_run_page.setup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.wizard is not None, timeout=10_000)
    assert window.wizard is not None
    return window, window.wizard


def next_button(wizard: QWizard) -> QAbstractButton:
    """Whichever of Next / the commit button the current page shows."""
    for which in (QWizard.WizardButton.CommitButton, QWizard.WizardButton.NextButton):
        button = wizard.button(which)
        if button.isVisible():
            return button
    raise AssertionError("no Next button on this page")


def click_next(qtbot: QtBot, wizard: QWizard) -> None:
    button = next_button(wizard)
    assert button.isEnabled(), f"Next is disabled on {wizard.currentPage().plain_title}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_label(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a radio button or tick box on its text, where a person would."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(12, button.height() // 2))


def assert_title_clean(window: MainWindow) -> None:
    assert window.windowTitle() in {"Safeguard Desktop", f"Safeguard Desktop – {ORG}"}


def unnamed_controls(root: QWidget) -> list[str]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QSpinBox, QPlainTextEdit)
    return [
        f"{type(w).__name__} {w.objectName() or getattr(w, 'text', lambda: '')()!r}"
        for kind in kinds
        for w in root.findChildren(kind)
        if w.isVisibleTo(root)
        and not w.accessibleName()
        # The line edit inside a spin box or combo box is named through its owner.
        and not isinstance(w.parent(), QSpinBox | QComboBox)
    ]


def fill_first_pages(qtbot: QtBot, window: MainWindow, wizard: SetupWizard) -> None:
    org = wizard.organisation_page
    assert not next_button(wizard).isEnabled()  # no name yet
    qtbot.keyClicks(org.org_name, ORG)
    click_label(qtbot, org.radio(OrgType.CLUB))
    assert unnamed_controls(wizard) == []
    click_next(qtbot, wizard)

    admin = wizard.admin_page
    assert "Welfare Officer" in admin.intro.text()
    qtbot.keyClicks(admin.display_name, f"Sam {CANARY}")
    assert admin.username.text() == "sam"  # suggested from the first name
    qtbot.keyClicks(admin.password, "short")
    admin.password.editingFinished.emit()  # the person moves on to the next field
    assert admin.password_error.text().startswith("The password must be at least 10")
    assert not next_button(wizard).isEnabled()
    admin.password.clear()
    qtbot.keyClicks(admin.password, PASSWORD)
    assert admin.password_error.text() == "This password is long enough."
    qtbot.keyClicks(admin.password_again, PASSWORD[:-1] + "X")
    assert admin.password_again_error.text().startswith("The two passwords are not the same")
    assert not next_button(wizard).isEnabled()
    admin.password_again.clear()
    qtbot.keyClicks(admin.password_again, PASSWORD)
    assert admin.password_again_error.text() == ""
    assert_title_clean(window)
    assert unnamed_controls(wizard) == []
    click_next(qtbot, wizard)

    contacts = wizard.contacts_page.form
    assert contacts.police.text() == "101"
    assert contacts.emergency.text() == "999"
    assert contacts.nspcc.text() == "0808 800 5000"
    qtbot.keyClicks(contacts.front_door, "0100 496 0000")
    qtbot.keyClicks(contacts.notes, f"Office hours 9 to 5 {CANARY}")
    assert next_button(wizard).text() == "&Create my store"
    assert_title_clean(window)


def test_setup_end_to_end_then_sign_in(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    window, wizard = open_wizard(qtbot, data_dir)
    fill_first_pages(qtbot, window, wizard)
    click_next(qtbot, wizard)

    # (d) created on the worker; the window stays responsive and there is no way back.
    assert wizard.currentPage() is wizard.creating_page
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=120_000)
    assert wizard.creating_page.progress.value() == 100
    assert Store.exists(data_dir)
    click_next(qtbot, wizard)

    # (e) the key, grouped; Next only once the person says it is saved.
    key_page = wizard.key_page
    assert wizard.currentPage() is key_page
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    shown = key_page.key_view.text()
    groups = shown.split("-")
    assert len(groups) == 8 and all(check_group(g) for g in groups)
    assert shown == wizard.recovery_key()
    assert not next_button(wizard).isEnabled()
    pdf = tmp_path / "recovery key.pdf"
    key_page.save_pdf(pdf)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=30_000)
    assert key_page.save_message.text().startswith("Saved to ")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert groups[0] in text and groups[7] in text
    click_label(qtbot, key_page.saved_check)
    assert key_page.saved_check.isChecked()
    assert unnamed_controls(wizard) == []
    click_next(qtbot, wizard)

    # (f) two random groups typed back; a wrong group and a typo are both refused.
    confirm = wizard.confirm_page
    first, second = confirm.expected_group_numbers()
    assert first != second
    other = groups[first % 8]  # a real group, but not the one asked for
    qtbot.keyClicks(confirm.edits[0], other)
    assert confirm.messages[0].text() == (
        f"That is a different group of the key; please type group {first}."
    )
    typo = groups[second - 1][:-1] + str((int(groups[second - 1][-1]) + 1) % 10)
    qtbot.keyClicks(confirm.edits[1], typo)
    assert confirm.messages[1].text().startswith(f"There is a typing mistake in group {second}")
    assert not next_button(wizard).isEnabled()
    for edit, number in zip(confirm.edits, (first, second), strict=True):
        edit.clear()
        qtbot.keyClicks(edit, groups[number - 1])
    assert confirm.messages[0].text() == f"Group {first} is right."
    assert next_button(wizard).text() == "&Finish setup"
    click_next(qtbot, wizard)

    # (g) done; the key has been dropped from every widget and from the result.
    assert wizard.currentPage() is wizard.done_page
    assert key_page.key_view.digit_labels == []
    assert wizard.recovery_key() == "" and wizard.recovery_groups() == []
    assert wizard.admin_page.password.text() == ""
    assert "Welfare Officer" in wizard.done_page.next_steps.text()
    assert_title_clean(window)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    login = window.login_page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is login, timeout=5000)
    qtbot.waitUntil(lambda: not window.findChildren(SetupWizard), timeout=5000)
    assert window.windowTitle() == f"Safeguard Desktop – {ORG}"
    assert login.username.text() == "sam"
    qtbot.keyClicks(login.password, PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.session_area, CaseArea), timeout=30_000)
    area = window.session_area
    assert isinstance(area, CaseArea)
    assert area.home.welcome.text() == f"Welcome, Sam {CANARY}"
    assert_title_clean(window)
    assert unnamed_controls(area) == []
    store = Store.open(data_dir)
    assert store.organisation.name == ORG
    assert store.organisation.org_type is OrgType.CLUB
    assert store.organisation.contacts.front_door == "0100 496 0000"


def test_words_follow_the_kind_of_organisation(qtbot: QtBot, tmp_path: Path) -> None:
    window, wizard = open_wizard(qtbot, tmp_path / "data")
    qtbot.keyClicks(wizard.organisation_page.org_name, "Hillside Primary School")
    click_next(qtbot, wizard)
    assert "Designated Safeguarding Lead" in wizard.admin_page.intro.text()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    wizard.organisation_page.select_org_type(OrgType.CLUB)
    click_next(qtbot, wizard)
    assert "Welfare Officer" in wizard.admin_page.intro.text()
    assert window.windowTitle() == "Safeguard Desktop"


def test_escape_does_not_make_the_wizard_vanish(qtbot: QtBot, tmp_path: Path) -> None:
    window, wizard = open_wizard(qtbot, tmp_path / "data")
    qtbot.keyClick(wizard.organisation_page.org_name, Qt.Key.Key_Escape)
    assert wizard.isVisible()
    assert window.stack.currentWidget() is wizard


def test_recovery_sheet_for_printing_escapes_the_name() -> None:
    page = recovery_sheet_html(
        "Tom & Jerry's <Club>", ["123455", "234567"], datetime(2026, 11, 23, 9, 30)
    )
    assert "Tom &amp; Jerry" in page and "<Club>" not in page
    assert "123455" in page and "23 November 2026" in page


def test_contacts_are_checked_before_the_point_of_no_return(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    window, wizard = open_wizard(qtbot, data_dir)
    fill_first_pages(qtbot, window, wizard)
    contacts = wizard.contacts_page
    contacts.form.lado.setText("0100\x07496")  # a control character pasted in
    click_next(qtbot, wizard)
    assert wizard.currentPage() is contacts
    assert "control character" in contacts.error.text()
    assert not window.worker.busy and not Store.exists(data_dir)
