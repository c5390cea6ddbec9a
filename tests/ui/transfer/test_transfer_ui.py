"""Transferring a child's file through the real screens on two real stores: the club's
DSL transfers it from the child's Transfers tab, the school's DSL receives it from the
Children page with the phoned password and the fingerprint tick and saves a receipt, and
the club takes the receipt in so Home's reminder goes. A wrong password is one sentence
and takes nothing in. Every new screen fits at 1366x768 and with 150 % text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from casework_data import concern_data, submit
from conftest import StoreFixture
from fit_screens import problems_in, screen  # noqa: F401 (a fixture)
from safeguard_desktop.domain.errors import WrongCredentials
from safeguard_desktop.services import casework, children, transfer, transfer_receive
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.children.child_page import TRANSFERS_TAB, ChildPage
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.transfer import receive_dialog as receiving
from safeguard_desktop.ui.transfer import send_dialog as sending
from safeguard_desktop.ui.transfer.receive_dialog import ReceiveDialog
from safeguard_desktop.ui.transfer.send_dialog import TransferDialog
from safeguard_desktop.ui.widgets import screen_fit
from transfer_setup import SCHOOL_DSL, SCHOOL_NAME, TRANSFER_PASSWORD, school_session
from ui_store import case_area, idle, open_child, signed_in_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CHILD = "Amelia Kowalska"


@pytest.fixture
def club(store_dir: StoreFixture) -> tuple[StoreFixture, int]:
    """The club's store with Amelia's file (one concern)."""
    store = Store.open(store_dir.data_dir)
    ref = submit(store, concern_data(observed="Amelia said she was scared to go home."))
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        child_id = casework.create_child_for(session, ref, 0).id
    finally:
        session.lock()
    return store_dir, child_id


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def at_transfers(qtbot: QtBot, window: MainWindow, child_id: int) -> ChildPage:
    page = open_child(qtbot, window, child_id)
    page.tabs.setCurrentIndex(TRANSFERS_TAB)
    QApplication.processEvents()
    idle(qtbot, window)
    return page


def tick(qtbot: QtBot, box: QWidget) -> None:
    """A tick box changed from the keyboard (a click on its middle may miss its text)."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)


def active(qtbot: QtBot, dialog: QWidget) -> None:
    """The dialog shown and the active window, as it is on a desktop (keys and focus)."""
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)


def labels(widget: QWidget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def transfer_dialog(qtbot: QtBot, page: ChildPage) -> TransferDialog:
    click(qtbot, page.transfers.transfer_button)
    dialog = page.transfers.opener.transfer_dialog
    assert isinstance(dialog, TransferDialog)
    active(qtbot, dialog)
    return dialog


def make_transfer(qtbot: QtBot, window: MainWindow, dialog: TransferDialog, folder: Path) -> str:
    """Fill in the first step by keyboard and press Enter; the password it suggested."""
    assert dialog.focusWidget() is dialog.organisation
    qtbot.keyClicks(dialog.organisation, SCHOOL_NAME)
    dialog.folder.edit.setText(str(folder))
    password = dialog.password
    qtbot.keyClick(dialog.organisation, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() != 0, timeout=5_000)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() != sending.MAKING, timeout=60_000)
    assert dialog.pages.currentIndex() == sending.DONE, labels(dialog)
    idle(qtbot, window)
    return password


def receive_window(qtbot: QtBot, school_dir: Path) -> tuple[MainWindow, CaseArea]:
    window = signed_in_window(qtbot, school_dir, SCHOOL_DSL)
    area = case_area(window)
    area.show_section("Children")
    idle(qtbot, window)
    return window, area


def open_receive(qtbot: QtBot, area: CaseArea) -> ReceiveDialog:
    click(qtbot, area.children_page.receive_button)
    dialog = area.children_page.transfers.receive_dialog
    assert isinstance(dialog, ReceiveDialog)
    active(qtbot, dialog)
    return dialog


def open_package(
    qtbot: QtBot, window: MainWindow, dialog: ReceiveDialog, path: Path, password: str
) -> None:
    dialog.path.edit.setText(str(path))
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=30_000)
    idle(qtbot, window)


def choose_in(qtbot: QtBot, chooser: QFileDialog | None, path: Path) -> None:
    """The real file dialog: ``path`` chosen in it, then its accept button."""
    assert isinstance(chooser, QFileDialog)
    qtbot.waitUntil(chooser.isVisible, timeout=5_000)
    chooser.setDirectory(str(path.parent))
    chooser.selectFile(str(path))
    chooser.accept()


def test_a_file_transferred_received_and_its_receipt_taken_in_through_the_screens(
    qtbot: QtBot, club: tuple[StoreFixture, int], school_dir: Path, tmp_path: Path
) -> None:
    fixture, child_id = club
    usb = tmp_path / "usb"
    usb.mkdir()

    # The club's DSL transfers the file from the child's Transfers tab.
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    page = at_transfers(qtbot, window, child_id)
    tab = page.transfers
    assert tab.no_sent.isVisible() and not page.transferred_banner.isVisible()
    dialog = transfer_dialog(qtbot, page)
    assert CHILD not in dialog.windowTitle()
    assert len(dialog.password) == 24 and dialog.password_text.isVisible()
    first = dialog.password
    click(qtbot, dialog.another_button)
    assert dialog.password != first
    # A password of their own under 12 characters is refused under the field.
    tick(qtbot, dialog.own_choice)
    assert dialog.focusWidget() is dialog.own_password and not dialog.password_text.isVisible()
    qtbot.keyClicks(dialog.own_password, "short")
    click(qtbot, dialog.action_button)
    assert dialog.errors["transfer_password"].text() and dialog.pages.currentIndex() == 0
    tick(qtbot, dialog.own_choice)
    dialog.organisation.setFocus()
    password = make_transfer(qtbot, window, dialog, usb)
    saved = dialog.saved
    assert saved is not None
    names = sorted(p.name for p in usb.iterdir())
    assert names == sorted(saved.names)
    assert all(name.startswith("transfer-") and "amelia" not in name.lower() for name in names)
    done = labels(dialog)
    assert password in done and "for the last time" in done and "Never email it" in done
    assert saved.fingerprint.split(":")[0] in done
    assert "Confirm that they received it by" in done
    assert not dialog.cancel_button.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.opener.transfer_dialog is None, timeout=5_000)
    idle(qtbot, window)
    # The tab and the top of the file say where it went; the receipt is due.
    qtbot.waitUntil(lambda: len(tab.sent) == 1, timeout=10_000)
    assert page.transferred_banner.isVisible()
    banner = page.transferred_banner.sentence.text()
    assert banner.startswith(f"Transferred to {SCHOOL_NAME} on ") and "kept until" in banner
    qtbot.waitUntil(lambda: "confirm receipt by" in labels(tab))
    # Home lists it, with a way to the child's Transfers tab.
    area = case_area(window)
    area.show_section("Home")
    idle(qtbot, window)
    box = area.home.transfers
    qtbot.waitUntil(box.isVisible, timeout=10_000)
    qtbot.waitUntil(lambda: f"{CHILD} to {SCHOOL_NAME}: confirm receipt by" in labels(box))
    # Its Open button, made once the list arrived, is in Tab order where it is on the page.
    # Tab from Back up now, above the box, reaches it before the audit log's button below.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    area.home.backups.backup_button.setFocus()
    reached = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert box.open_buttons[0] in reached and area.home.audit_button in reached
    assert reached.index(box.open_buttons[0]) < reached.index(area.home.audit_button)
    with qtbot.waitSignal(area.home.child_transfers_requested) as asked:
        click(qtbot, box.open_buttons[0])
    assert asked.args == [child_id]
    # ...and it goes there: the child's file, open at its Transfers tab.
    qtbot.waitUntil(lambda: area.children_page.child_page is not None, timeout=10_000)
    opened = area.children_page.child_page
    assert opened is not None and opened.child_id == child_id
    assert opened.tabs.currentIndex() == TRANSFERS_TAB
    idle(qtbot, window)  # the file's tabs finish reading before the window closes
    window.close()

    # The school's DSL receives it with the phoned password and the fingerprint tick.
    package = usb / saved.names[1]
    school, school_area = receive_window(qtbot, school_dir)
    receive = open_receive(qtbot, school_area)
    assert receive.focusWidget() is receive.path.edit
    open_package(qtbot, school, receive, package, password)
    assert receive.pages.currentIndex() == receiving.CHECK
    shown = labels(receive)
    assert CHILD in shown and "Riverside Juniors FC" in shown and "2 March 2015" in shown
    assert receive.fingerprint.text().replace("\n", "") == saved.fingerprint
    assert not receive.action_button.isEnabled()  # the tick first
    assert receive.chosen_child == (True, None)  # no child here: a new record
    qtbot.keyClick(receive.compared, Qt.Key.Key_Space)
    assert receive.compared.isChecked() and receive.action_button.isEnabled()
    click(qtbot, receive.action_button)
    qtbot.waitUntil(lambda: receive.pages.currentIndex() == receiving.RECEIVED, timeout=30_000)
    idle(qtbot, school)
    received = receive.result_
    assert received is not None
    # A receipt for the sender, saved through the real Save dialog with the suggested name.
    click(qtbot, receive.receipt_button)
    chooser = school_area.children_page.transfers.file_dialog
    assert isinstance(chooser, QFileDialog)
    suggested = transfer_receive.receipt_name(received.received)
    assert Path(chooser.selectedFiles()[0]).name == suggested
    choose_in(qtbot, chooser, usb / suggested)
    qtbot.waitUntil(lambda: (usb / suggested).exists(), timeout=10_000)
    qtbot.waitUntil(lambda: bool(receive.receipt_line.text()), timeout=10_000)
    assert suggested in receive.receipt_line.text()
    # Then the child's file, at its Transfers tab.
    click(qtbot, receive.action_button)
    qtbot.waitUntil(lambda: school_area.children_page.child_page is not None, timeout=5_000)
    school_page = school_area.children_page.child_page
    assert school_page is not None and school_page.child_id == received.child_id
    qtbot.waitUntil(lambda: len(school_page.transfers.received) == 1, timeout=10_000)
    assert school_page.tabs.currentIndex() == TRANSFERS_TAB
    qtbot.waitUntil(lambda: "From Riverside Juniors FC" in labels(school_page.transfers))
    school.close()

    # The club takes the receipt in; the reminder on Home goes.
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    page = at_transfers(qtbot, window, child_id)
    tab = page.transfers
    qtbot.waitUntil(lambda: len(tab.take_in_buttons) == 1, timeout=10_000)
    click(qtbot, tab.take_in_buttons[0])
    choose_in(qtbot, tab.opener.file_dialog, usb / suggested)
    qtbot.waitUntil(lambda: "Receipt taken in" in tab.message.text(), timeout=10_000)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: tab.sent and tab.sent[0].receipt_at is not None, timeout=10_000)
    qtbot.waitUntil(lambda: "receipt confirmed on" in labels(tab))
    assert not tab.take_in_buttons
    area = case_area(window)
    area.show_section("Home")
    idle(qtbot, window)
    assert area.home.transfers.waiting == [] and not area.home.transfers.isVisible()


def test_a_wrong_password_is_one_sentence_and_takes_nothing_in(
    qtbot: QtBot, club: tuple[StoreFixture, int], school_dir: Path, tmp_path: Path
) -> None:
    fixture, child_id = club
    session = Store.open(fixture.data_dir).login(*fixture.dsl)
    assert isinstance(session, CaseSession)
    try:
        made, _ = transfer.transfer_to_folder(
            session, child_id, SCHOOL_NAME, "secure_email", TRANSFER_PASSWORD, tmp_path
        )
    finally:
        session.lock()
    package = tmp_path / made.suggested_names[1]
    school = school_session(school_dir)
    try:
        with pytest.raises(WrongCredentials) as refused:
            transfer_receive.open_package(school, package, "WRONG-WRONG-WRONG")
        before = children.list_children(school)
    finally:
        school.lock()

    window, area = receive_window(qtbot, school_dir)
    dialog = open_receive(qtbot, area)
    open_package(qtbot, window, dialog, package, "WRONG-WRONG-WRONG")
    assert dialog.pages.currentIndex() == receiving.CHOOSE
    assert dialog.error.isVisible() and dialog.error.text() == refused.value.message
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: area.children_page.transfers.receive_dialog is None, timeout=5_000)
    window.close()
    school = school_session(school_dir)
    try:
        assert children.list_children(school) == before
        assert transfer_receive.received_for_child(school, 1) == []
    finally:
        school.lock()


def _sent_to_a_school_that_knows_her(
    club: tuple[StoreFixture, int], school_dir: Path, tmp_path: Path
) -> tuple[Path, int]:
    """The club's package for Amelia, and her child id at the school, where she is already
    known: a concern recorded there on her first day."""
    fixture, child_id = club
    session = Store.open(fixture.data_dir).login(*fixture.dsl)
    assert isinstance(session, CaseSession)
    try:
        made, _ = transfer.transfer_to_folder(
            session, child_id, SCHOOL_NAME, "by_hand", TRANSFER_PASSWORD, tmp_path
        )
    finally:
        session.lock()
    ref = submit(Store.open(school_dir), concern_data(observed="Amelia arrived upset."))
    school = school_session(school_dir)
    try:
        return tmp_path / made.suggested_names[1], casework.create_child_for(school, ref, 0).id
    finally:
        school.lock()


def test_one_strong_match_is_chosen_for_the_lead_to_confirm_and_receives_into_it(
    qtbot: QtBot, club: tuple[StoreFixture, int], school_dir: Path, tmp_path: Path
) -> None:
    package, known = _sent_to_a_school_that_knows_her(club, school_dir, tmp_path)
    window, area = receive_window(qtbot, school_dir)
    dialog = open_receive(qtbot, area)
    open_package(qtbot, window, dialog, package, TRANSFER_PASSWORD)
    assert dialog.pages.currentIndex() == receiving.CHECK
    assert dialog.chosen_child == (True, known)
    assert "check before you receive" in dialog.match_hint.text()
    assert not dialog.action_button.isEnabled()
    tick(qtbot, dialog.compared)
    qtbot.keyClick(dialog.compared, Qt.Key.Key_Return)  # Enter presses Receive
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == receiving.RECEIVED, timeout=30_000)
    idle(qtbot, window)
    assert dialog.result_ is not None and dialog.result_.child_id == known


def test_receipt_confirmed_by_phone_is_recorded_with_its_note(
    qtbot: QtBot, club: tuple[StoreFixture, int], tmp_path: Path
) -> None:
    fixture, child_id = club
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    page = at_transfers(qtbot, window, child_id)
    tab = page.transfers
    dialog = transfer_dialog(qtbot, page)
    make_transfer(qtbot, window, dialog, tmp_path)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tab.opener.transfer_dialog is None, timeout=5_000)
    qtbot.waitUntil(lambda: len(tab.record_buttons) == 1, timeout=10_000)
    click(qtbot, tab.record_buttons[0])
    record = tab.opener.receipt_dialog
    assert record is not None
    active(qtbot, record)
    assert record.focusWidget() is record.note
    click(qtbot, record.save_button)  # a note is needed
    assert record.error.text() and record.isVisible()
    qtbot.keyClicks(record.note, "Phoned Mrs Patel, their DSL")
    click(qtbot, record.save_button)
    qtbot.waitUntil(lambda: tab.opener.receipt_dialog is None, timeout=10_000)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: tab.sent[0].receipt_at is not None, timeout=10_000)
    qtbot.waitUntil(lambda: "receipt confirmed on" in labels(tab))
    assert "Phoned Mrs Patel" in labels(tab)


def test_every_transfer_screen_fits_and_names_its_controls(
    qtbot: QtBot,
    club: tuple[StoreFixture, int],
    school_dir: Path,
    tmp_path: Path,
    screen: tuple[str, QRect],  # noqa: F811 (the fixture imported above)
) -> None:
    fixture, child_id = club
    name = screen[0]
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    window.resize(screen_fit.largest_client_size(window))
    page = at_transfers(qtbot, window, child_id)
    tab = page.transfers
    problems = problems_in(tab, f"{name}, the Transfers tab")
    dialog = transfer_dialog(qtbot, page)
    largest = screen_fit.largest_client_size(window)

    def fits(widget: QWidget, what: str) -> list[str]:
        found = problems_in(widget, f"{name}, {what}")
        if widget.height() > largest.height() or widget.width() > largest.width():
            found.append(f"{name}: {what} is bigger than the screen")
        return found

    problems += fits(dialog, "Transfer: first step")
    make_transfer(qtbot, window, dialog, tmp_path)
    problems += fits(dialog, "Transfer: files saved")
    saved = dialog.saved
    password = dialog.final_password.text()
    assert saved is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(tab.record_buttons) == 1, timeout=10_000)
    problems += problems_in(page, f"{name}, the Transfers tab with a transfer")
    click(qtbot, tab.record_buttons[0])
    record = tab.opener.receipt_dialog
    assert record is not None
    active(qtbot, record)
    problems += fits(record, "Record the receipt")
    qtbot.keyClick(record, Qt.Key.Key_Escape)
    area = case_area(window)
    area.show_section("Home")
    idle(qtbot, window)
    qtbot.waitUntil(area.home.transfers.isVisible, timeout=10_000)
    problems += problems_in(area.home.transfers, f"{name}, Home's transfers box")
    window.close()

    school, school_area = receive_window(qtbot, school_dir)
    school.resize(screen_fit.largest_client_size(school))
    receive = open_receive(qtbot, school_area)
    problems += fits(receive, "Receive: first step")
    open_package(qtbot, school, receive, tmp_path / saved.names[1], password)
    problems += fits(receive, "Receive: the check")
    tick(qtbot, receive.compared)
    click(qtbot, receive.action_button)
    qtbot.waitUntil(lambda: receive.pages.currentIndex() == receiving.RECEIVED, timeout=30_000)
    idle(qtbot, school)
    problems += fits(receive, "Receive: received")
    assert problems == [], "\n".join(problems)


def test_a_file_that_is_not_a_transfer_is_one_sentence_and_nothing_is_taken_in(
    qtbot: QtBot, school_dir: Path, tmp_path: Path
) -> None:
    """What a lead might pick by mistake: a PDF, random bytes, an empty file, a folder."""
    window, area = receive_window(qtbot, school_dir)
    dialog = open_receive(qtbot, area)
    wrong = {
        "a PDF": (tmp_path / "letter.pdf", b"%PDF-1.4\n%%EOF\n", "does not start like one"),
        "random bytes": (tmp_path / "x.sgtransfer", bytes(range(256)) * 40, "does not start"),
        "an empty file": (tmp_path / "empty.sgtransfer", b"", "does not start like one"),
    }
    for name, (path, data, words) in wrong.items():
        path.write_bytes(data)
        dialog.password.clear()
        open_package(qtbot, window, dialog, path, TRANSFER_PASSWORD)
        assert dialog.pages.currentIndex() == receiving.CHOOSE, name
        said = dialog.error.text()
        assert words in said and "Nothing was taken in" in said and "\n" not in said, name
    if GRAB := os.environ.get("SAFEGUARD_GRAB"):
        dialog.grab().save(GRAB)
    dialog.password.clear()
    open_package(qtbot, window, dialog, tmp_path, TRANSFER_PASSWORD)  # a folder
    assert dialog.pages.currentIndex() == receiving.CHOOSE and dialog.error.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    window.close()
    school = school_session(school_dir)
    try:
        assert children.list_children(school) == []
    finally:
        school.lock()


def test_a_child_already_here_is_a_short_choice_with_its_reason_under_it(
    qtbot: QtBot,
    club: tuple[StoreFixture, int],
    school_dir: Path,
    tmp_path: Path,
    screen: tuple[str, QRect],  # noqa: F811 (the fixture imported above)
) -> None:
    """A radio button's words never wrap: at 150 % the name, date of birth and reason on
    one were cut off. The name is on the button, the rest on a wrapping line under it,
    and a screen reader hears both."""
    package, known = _sent_to_a_school_that_knows_her(club, school_dir, tmp_path)
    window, area = receive_window(qtbot, school_dir)
    window.resize(screen_fit.largest_client_size(window))
    dialog = open_receive(qtbot, area)
    open_package(qtbot, window, dialog, package, TRANSFER_PASSWORD)
    assert dialog.pages.currentIndex() == receiving.CHECK
    option = next(button for button, cid in dialog.choices if cid == known)
    assert option.text() == f"{CHILD}, already here"
    assert option.accessibleName() == option.text()
    assert option.accessibleDescription() == "Born 2 March 2015: same name and date of birth"
    problems = problems_in(dialog, f"{screen[0]}, Receive: a child already here")
    assert problems == [], "\n".join(problems)


def test_no_school_or_club_typed_is_said_as_what_to_do(
    qtbot: QtBot, club: tuple[StoreFixture, int]
) -> None:
    fixture, child_id = club
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    page = at_transfers(qtbot, window, child_id)
    dialog = transfer_dialog(qtbot, page)
    dialog.organisation.clear()
    click(qtbot, dialog.action_button)
    line = dialog.errors["to_organisation"]
    assert line.text() == "Type the school or club the file is going to."
    assert dialog.focusWidget() is dialog.organisation
    assert dialog.organisation.accessibleDescription() == line.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
