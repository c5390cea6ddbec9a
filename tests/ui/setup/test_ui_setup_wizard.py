"""The first-run wizard, driven like a person would: typing, clicking Next, reading the key."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QScrollArea,
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
from screen_checks import unnamed_controls

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


def fill_first_pages(
    qtbot: QtBot, window: MainWindow, wizard: SetupWizard, *, contacts: bool = False
) -> None:
    org = wizard.organisation_page
    assert not next_button(wizard).isEnabled()  # no name yet
    qtbot.keyClicks(org.org_name, ORG)
    click_label(qtbot, org.radio(OrgType.CLUB))
    assert unnamed_controls(wizard) == []
    if contacts:
        click_label(qtbot, org.add_contacts)
    click_next(qtbot, wizard)

    if contacts:
        form = wizard.contacts_page.form
        assert wizard.currentPage() is wizard.contacts_page
        assert form.police.text() == "101"
        assert form.emergency.text() == "999"
        assert form.nspcc.text() == "0808 800 5000"
        qtbot.keyClicks(form.front_door, "0100 496 0000")
        qtbot.keyClicks(form.notes, f"Office hours 9 to 5 {CANARY}")
        click_next(qtbot, wizard)

    admin = wizard.admin_page
    assert wizard.currentPage() is admin
    assert "Welfare Officer" in admin.intro.text()
    qtbot.keyClicks(admin.display_name, f"Sam {CANARY}")
    assert admin.username.text() == "sam"  # suggested from the first name
    qtbot.keyClicks(admin.password, "short")
    admin.password.editingFinished.emit()  # the person moves on to the next field
    assert admin.password_error.text().startswith("The password must be at least 10")
    # A screen reader on the field hears what is wrong with it.
    assert admin.password.accessibleDescription() == admin.password_error.text()
    assert not next_button(wizard).isEnabled()
    admin.password.clear()
    qtbot.keyClicks(admin.password, PASSWORD)
    assert admin.password_error.text() == "This password is long enough."
    # The field's own description again: none, or the missing credential store's warning.
    assert admin.password.accessibleDescription() in {"", admin.keyring_sentence.text()}
    qtbot.keyClicks(admin.password_again, PASSWORD[:-1] + "X")
    assert admin.password_again_error.text().startswith("The two passwords are not the same")
    assert not next_button(wizard).isEnabled()
    admin.password_again.clear()
    qtbot.keyClicks(admin.password_again, PASSWORD)
    assert admin.password_again_error.text() == ""
    assert_title_clean(window)
    assert unnamed_controls(wizard) == []
    assert next_button(wizard).text() == "&Create my store"
    # Tests have no credential store (no D-Bus): the page where the password is chosen says
    # so, and what to do, before the store is made.
    qtbot.waitUntil(lambda: admin.keyring_box.isVisible(), timeout=10_000)
    assert "your password alone will protect the records" in admin.keyring_sentence.text()
    assert "four or more words" in admin.keyring_sentence.text()


def test_setup_end_to_end_then_sign_in(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    window, wizard = open_wizard(qtbot, data_dir)
    fill_first_pages(qtbot, window, wizard, contacts=True)
    click_next(qtbot, wizard)

    # The store is made on the worker; the window stays responsive and there is no way back.
    key_page = wizard.key_page
    assert wizard.currentPage() is key_page
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert wizard.steps.rows[0].currentWidget() is wizard.steps.rows[0].label
    qtbot.waitUntil(lambda: wizard.made is not None, timeout=120_000)
    assert Store.exists(data_dir)

    # The key, grouped, on the same page; Finish only once the copy is checked.
    shown = key_page.key_view.text()
    groups = shown.split("-")
    assert len(groups) == 8 and all(check_group(g) for g in groups)
    assert shown == wizard.recovery_key()
    assert key_page.key_view.isVisible() and not key_page.check_part.isVisible()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
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
    # Saved: the key is hidden, and two random groups are typed back from the copy.
    assert not key_page.key_view.isVisible() and key_page.check_part.isVisible()
    assert unnamed_controls(wizard) == []
    first, second = key_page.expected_group_numbers()
    assert first != second
    other = groups[first % 8]  # a real group, but not the one asked for
    qtbot.keyClicks(key_page.edits[0], other)
    assert key_page.messages[0].text() == (
        f"That is a different group of the key; please type group {first}."
    )
    typo = groups[second - 1][:-1] + str((int(groups[second - 1][-1]) + 1) % 10)
    qtbot.keyClicks(key_page.edits[1], typo)
    assert key_page.messages[1].text().startswith(f"There is a typing mistake in group {second}")
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    for edit, number in zip(key_page.edits, (first, second), strict=True):
        edit.clear()
        qtbot.keyClicks(edit, groups[number - 1])
    assert key_page.messages[0].text() == f"Group {first} is right."
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.text() == "&Finish setup" and finish.isEnabled()
    assert_title_clean(window)
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)

    # Done: the key has been dropped from every widget and from the result; what to do
    # next is said on the sign-in page.
    login = window.login_page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is login, timeout=5000)
    assert key_page.key_view.digit_labels == []
    assert wizard.recovery_key() == "" and wizard.recovery_groups() == []
    assert wizard.admin_page.password.text() == ""
    assert "People" in login.notice.text() and "Welfare Officer" in login.notice.text()
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


def test_a_club_taking_the_defaults_sets_up_in_three_pages(qtbot: QtBot, tmp_path: Path) -> None:
    """With the first screen, four: its name, the account, the recovery key."""
    window, wizard = open_wizard(qtbot, tmp_path / "data")
    seen = [wizard.currentPage()]
    wizard.currentIdChanged.connect(lambda _id: seen.append(wizard.currentPage()))
    fill_first_pages(qtbot, window, wizard)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.made is not None, timeout=120_000)
    assert seen == [wizard.organisation_page, wizard.admin_page, wizard.key_page]
    # The contacts page that was not needed is said so in the list of steps.
    assert "not needed" in wizard.steps.rows[1].label.text()
    assert Store.open(tmp_path / "data").organisation.contacts.nspcc_helpline == "0808 800 5000"


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
    org = wizard.organisation_page
    qtbot.keyClicks(org.org_name, ORG)
    click_label(qtbot, org.add_contacts)
    click_next(qtbot, wizard)
    contacts = wizard.contacts_page
    contacts.form.lado.setText("0100\x07496")  # a control character pasted in
    click_next(qtbot, wizard)
    assert wizard.currentPage() is contacts
    assert "control character" in contacts.error.text()
    assert not window.worker.busy and not Store.exists(data_dir)


def test_no_credential_store_is_said_above_the_password_and_with_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """At 150 % on a 1366 x 768 laptop (911 x 472 for the window) the warning is seen
    without scrolling, above the password it is about, and a screen reader on the
    password field hears it (the box takes no Tab)."""
    window, wizard = open_wizard(qtbot, tmp_path / "data")
    window.resize(911, 472)
    org = wizard.organisation_page
    qtbot.keyClicks(org.org_name, ORG)
    click_label(qtbot, org.radio(OrgType.CLUB))
    click_next(qtbot, wizard)
    admin = wizard.admin_page
    assert wizard.currentPage() is admin
    qtbot.waitUntil(lambda: admin.keyring_box.isVisible(), timeout=10_000)
    sentence = admin.keyring_sentence.text()
    assert "your password alone will protect the records" in sentence
    box = admin.keyring_box
    assert box.mapTo(admin, QPoint(0, 0)).y() < admin.password.mapTo(admin, QPoint(0, 0)).y()
    area = box.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert area is not None
    viewport = area.viewport()
    top = box.mapTo(viewport, QPoint(0, 0)).y()
    assert top >= 0 and top + box.height() <= viewport.height(), (top, viewport.height())
    assert sentence in admin.password.accessibleDescription()
    # An error on the password is said instead while it lasts, then the warning again.
    qtbot.keyClicks(admin.password, "short")
    admin.password.editingFinished.emit()
    assert admin.password.accessibleDescription() == admin.password_error.text()
    admin.password.clear()
    qtbot.keyClicks(admin.password, PASSWORD)
    assert admin.password.accessibleDescription() == sentence
