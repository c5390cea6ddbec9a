"""The Children section in the real window: the list, a child's file, the chronology, the PDF.

Concerns arrive the real way (sealed, then ingested at sign-in) and a DSL links them to
a child through the services; everything after that is done in the window with the
mouse and keyboard. What was saved and audited is read back through the services.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.casework import ActionKind
from safeguard_desktop.domain.children import ChildDetails
from safeguard_desktop.services import audit_trail, casework, children
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.casework.action_dialog import AddActionDialog
from safeguard_desktop.ui.children.child_dialogs import (
    ChildDetailsDialog,
    FollowUpDialog,
    HouseholdMemberDialog,
    ProfessionalDialog,
)
from safeguard_desktop.ui.children.child_page import (
    CHRONOLOGY_TAB,
    CONCERNS_TAB,
    DETAILS_TAB,
    FOLLOW_UPS_TAB,
    HOUSEHOLD_TAB,
    PROFESSIONALS_TAB,
    ChildPage,
)
from safeguard_desktop.ui.children.children_list import ChildrenModel
from safeguard_desktop.ui.children.children_page import ChildrenPage
from safeguard_desktop.ui.children.chronology_view import ChronologyModel
from safeguard_desktop.ui.main_window import MainWindow
from ui_store import case_area, idle, open_main_window

# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"
pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)

CHILD = "Łucja Wiśniewska"
REPEATED = "Repeated: 3+ in 30 days"


def _dsl(fixture: StoreFixture) -> CaseSession:
    session = Store.open(fixture.data_dir).login(*fixture.dsl)
    assert isinstance(session, CaseSession)
    return session


@pytest.fixture
def linked(store_dir: StoreFixture) -> tuple[StoreFixture, int, list[str]]:
    """Four concerns about Łucja (the last three within 30 days) linked to her record by
    the DSL, and two other children with one concern each."""
    store = Store.open(store_dir.data_dir)
    refs = [
        submit(
            store,
            concern_data(
                name=CHILD,
                born="2015-03-02",
                days_ago=days,
                observed=f"Bruise on the arm seen {days} days ago.",
            ),
        )
        for days in (80, 20, 12, 5)
    ]
    others = [
        submit(store, concern_data(name="Amelia Kowalska", born="2014-06-01", days_ago=3)),
        submit(store, concern_data(name="Lucas Brown", born="2013-01-20", days_ago=2)),
    ]
    session = _dsl(store_dir)
    try:
        child_id = casework.create_child_for(session, refs[0], 0).id
        for ref in refs[1:]:
            casework.link_child(session, ref, 0, child_id)
        for ref in others:
            casework.create_child_for(session, ref, 0)
    finally:
        session.lock()
    return store_dir, child_id, refs


@pytest.fixture
def window(qtbot: QtBot, linked: tuple[StoreFixture, int, list[str]]) -> Iterator[MainWindow]:
    fixture = linked[0]
    win = open_main_window(qtbot, fixture.data_dir)
    win.resize(1366, 720)
    page = win.login_page
    page.username.setText(fixture.dsl[0])
    qtbot.keyClicks(page.password, fixture.dsl[1])
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(win.session_area, CaseArea), timeout=15_000)
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10_000)
    yield win


def names_shown(model: ChildrenModel) -> list[str]:
    return [model.index(r, ChildrenModel.NAME).data() for r in range(model.rowCount())]


def open_children(qtbot: QtBot, window: MainWindow) -> ChildrenPage:
    area = case_area(window)
    area.show_section("Children")
    page = area.children_page
    qtbot.waitUntil(lambda: page.model.complete, timeout=10_000)
    idle(qtbot, window)
    return page


def open_child_from_list(qtbot: QtBot, window: MainWindow, page: ChildrenPage) -> ChildPage:
    """Filter by name without accents, then open the one match with the keyboard."""
    qtbot.keyClicks(page.name_filter, "lucja")
    qtbot.waitUntil(
        lambda: page.model.name_filter == "lucja" and page.model.complete, timeout=10_000
    )
    assert names_shown(page.model) == [CHILD]
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    child = page.child_page
    assert child is not None
    qtbot.waitUntil(lambda: child.loaded, timeout=10_000)
    idle(qtbot, window)
    return child


def audit(window: MainWindow, action: str) -> list[dict[str, object]]:
    session = window.session
    assert isinstance(session, CaseSession)
    # Read on the worker, where the database is used, after everything queued before.
    entries = window.worker.submit(audit_trail.entries, session, 1000).result(timeout=10)
    return [e.detail for e in entries if e.action == action]


def save_dialog(qtbot: QtBot, window: MainWindow, child: ChildPage, dialog: Any) -> None:
    # The action dialog is the one a concern uses: its button is the confirm button.
    save = dialog.confirm_button if isinstance(dialog, AddActionDialog) else dialog.save_button
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: child.dialog is None, timeout=10_000)
    qtbot.waitUntil(lambda: child.loaded and not child.busy.isVisible(), timeout=10_000)
    idle(qtbot, window)


def chronology_column(child: ChildPage, column: int) -> list[str]:
    model = child.chronology.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_list_finds_a_polish_name_typed_without_accents(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = open_children(qtbot, window)
    assert names_shown(page.model) == ["Amelia Kowalska", "Lucas Brown", CHILD]
    row = names_shown(page.model).index(CHILD)
    cells = [page.model.index(row, c).data() for c in range(page.model.columnCount())]
    assert cells[ChildrenModel.BORN].startswith("2 Mar 2015 (")
    assert cells[ChildrenModel.CONCERNS] == "4"
    assert cells[ChildrenModel.RISK] == "Not set"
    assert cells[ChildrenModel.OWNER] == "Nobody yet"
    assert page.status.text() == "3 children."
    child = open_child_from_list(qtbot, window, page)
    assert child.title.text() == CHILD
    assert page.stack.currentWidget() is child
    # Opening the file is audited once, by the child's id only.
    assert audit(window, "child_opened") == [{"child_id": child.child_id}]

    # Alt+Left goes back to the list, as the button does.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    child.back_button.setFocus()
    qtbot.keyClick(child.back_button, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.stack.currentWidget() is page.list_page
    qtbot.waitUntil(lambda: page.child_page is None, timeout=5000)
    # A name that matches nobody says so.
    page.name_filter.clear()
    qtbot.keyClicks(page.name_filter, "zzz")
    qtbot.waitUntil(lambda: page.model.name_filter == "zzz" and page.model.complete, timeout=10_000)
    assert page.model.rowCount() == 0
    assert page.status.text() == "No child's name matches."


def test_the_list_loads_in_pages_and_drops_answers_for_an_old_filter(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = open_children(qtbot, window)
    # The view asks for pages as long as it has room to show more rows.
    page.model.page_size = 2
    page.model.restart("")
    qtbot.waitUntil(lambda: page.model.complete, timeout=10_000)
    assert page.model.rowCount() == 3
    # Page by page, as scrolling asks for them, on a model of its own.
    session = window.session
    assert isinstance(session, CaseSession) and window.store is not None
    model = ChildrenModel(session, window.store, window.worker, page, page_size=2)
    model.restart("")
    qtbot.waitUntil(lambda: not model.fetching, timeout=10_000)
    assert model.rowCount() == 2 and model.canFetchMore() and not model.complete
    model.fetchMore()
    qtbot.waitUntil(lambda: not model.fetching, timeout=10_000)
    assert model.rowCount() == 3
    assert model.complete and not model.canFetchMore()
    # Rows of pages shown long ago are let go, and read again when shown again.
    model.keep_rows = 1
    model.page_size = 1
    model.restart("")
    while not model.complete:
        qtbot.waitUntil(lambda: not model.fetching, timeout=10_000)
        model.fetchMore()
    assert model.rowCount() == 3
    assert [model.item(row) is None for row in range(3)] == [True, False, False]
    with qtbot.waitSignal(model.dataChanged, timeout=10_000):
        pass  # row 0's page, asked for just above, comes back
    assert model.child_id(0) is not None and model.index(0, 0).data()
    # Keeping row 0 let go of the page least recently shown, row 1's.
    assert [model.item(row) is None for row in (0, 2, 1)] == [False, False, True]
    page.model.page_size = 200
    page.model.restart("")
    qtbot.waitUntil(lambda: page.model.complete, timeout=10_000)
    assert page.status.text() == "3 children."
    # Two filters in quick succession: only the second one's answer is shown.
    model.restart("a")
    model.restart("lucja")
    idle(qtbot, window)
    assert names_shown(model) == [CHILD]


def test_a_dsl_works_on_a_childs_file(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = open_children(qtbot, window)
    child = open_child_from_list(qtbot, window, page)
    child_id = child.child_id

    # The chronology: four concerns in date order, the last three marked as repeated,
    # in words as well as colour.
    assert child.tabs.currentIndex() == CHRONOLOGY_TAB
    assert child.chronology.row_count() == 4
    what = chronology_column(child, ChronologyModel.WHAT)
    assert [REPEATED in text for text in what] == [False, True, True, True]
    model = child.chronology.model
    brush = model.index(1, ChronologyModel.SUMMARY).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush)
    assert model.index(0, ChronologyModel.SUMMARY).data(Qt.ItemDataRole.BackgroundRole) is None

    # A phone call from 15 days ago, recorded now: it falls into its place.
    qtbot.mouseClick(child.action_button, Qt.MouseButton.LeftButton)
    dialog = child.dialog
    assert isinstance(dialog, AddActionDialog)
    # About the child alone: it goes into the chronology, a note unless said otherwise.
    assert dialog.windowTitle() == "Add an action or note"
    assert dialog.kind.currentData() == ActionKind.NOTE.value
    dialog.kind.setCurrentIndex(dialog.kind.findData(ActionKind.CONSULTED_SOCIAL_CARE.value))
    dialog.when.setDateTime(QDateTime(datetime.now().replace(second=0) - timedelta(days=15)))
    dialog.who.clear()
    qtbot.keyClicks(dialog.who, "Sam Jones, social worker")
    # Nothing typed in "What happened": refused under that field, the dialog stays.
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.field_errors["details"].text() == (
        "The field 'What happened' is empty; please fill it in."
    )
    assert dialog.isVisible()
    # QTest types ASCII only: the Polish letters are pasted, as an input method would.
    qtbot.keyClicks(dialog.details, "Rang to ask how ")
    dialog.details.insertPlainText("Łucja was doing after the strategy meeting.")
    save_dialog(qtbot, window, child, dialog)
    assert child.message.text() == "Added to the chronology."
    assert child.chronology.row_count() == 5
    what = chronology_column(child, ChronologyModel.WHAT)
    assert what[2].startswith("Consulted children's social care (Sam Jones, social worker)")
    assert "Agency contact" in what[2]
    when = chronology_column(child, ChronologyModel.WHEN)
    assert "recorded later on" in when[2]
    assert REPEATED in what[1] and REPEATED in what[3]

    # Double-clicking a concern entry asks for that concern to be opened.
    ref = child.chronology.model.entry(0).ref  # type: ignore[union-attr]
    table = child.chronology.table
    with qtbot.waitSignal(page.concern_requested, timeout=2000) as opened:
        centre = table.visualRect(model.index(0, ChronologyModel.WHAT)).center()
        # A view counts a double-click on the item its first press landed on.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened.args == [ref]

    # Details: a bad edit is refused under its field; a good one is saved and shown.
    child.tabs.setCurrentIndex(DETAILS_TAB)
    qtbot.mouseClick(child.edit_button, Qt.MouseButton.LeftButton)
    details = child.dialog
    assert isinstance(details, ChildDetailsDialog)
    assert details.name.text() == CHILD
    details.name.clear()
    qtbot.mouseClick(details.save_button, Qt.MouseButton.LeftButton)
    assert details.field_errors["name"].text() == (
        "The field 'Child's name' is empty; please fill it in."
    )
    details.name.insert(CHILD)
    qtbot.keyClicks(details.language, "Polish")
    qtbot.keyClicks(details.other_names, "Lucy Wisniewska")
    details.address.setPlainText("12 River Lane\nRiverside")
    save_dialog(qtbot, window, child, details)
    assert child.detail_values["language"].text() == "Polish"
    assert child.detail_values["address"].text() == "12 River Lane\nRiverside"
    assert child.detail_values["born"].text().startswith("2 Mar 2015 (age ")

    # Household and professionals.
    child.tabs.setCurrentIndex(HOUSEHOLD_TAB)
    qtbot.mouseClick(child.add_member_button, Qt.MouseButton.LeftButton)
    member = child.dialog
    assert isinstance(member, HouseholdMemberDialog)
    qtbot.keyClicks(member.name, "Katarzyna ")
    member.name.insert("Wiśniewska")
    member.relationship.setCurrentText("Mother")
    member.parental_responsibility.setChecked(True)
    member.dob_known.setChecked(True)
    member.date_of_birth.setDate(QDate(1988, 4, 9))
    qtbot.keyClicks(member.contact, "07700 900123")
    save_dialog(qtbot, window, child, member)
    row = [child.household.cell_text(0, c) for c in range(child.household.columnCount())]
    assert row == ["Katarzyna Wiśniewska", "Mother", "9 Apr 1988", "Yes", "Yes", "07700 900123"]

    child.tabs.setCurrentIndex(PROFESSIONALS_TAB)
    qtbot.mouseClick(child.add_professional_button, Qt.MouseButton.LeftButton)
    professional = child.dialog
    assert isinstance(professional, ProfessionalDialog)
    qtbot.keyClicks(professional.name, "Sam Jones")
    professional.role.setCurrentText("Social worker")
    qtbot.keyClicks(professional.organisation, "Riverside children's services")
    save_dialog(qtbot, window, child, professional)
    assert child.professionals.rowCount() == 1
    assert child.professionals.cell_text(0, 1) == "Social worker"

    # A follow-up for the child.
    child.tabs.setCurrentIndex(FOLLOW_UPS_TAB)
    qtbot.mouseClick(child.follow_up_button, Qt.MouseButton.LeftButton)
    follow_up = child.dialog
    assert isinstance(follow_up, FollowUpDialog)
    qtbot.keyClicks(follow_up.what, "Ask the social worker about the strategy meeting")
    save_dialog(qtbot, window, child, follow_up)
    assert child.follow_ups.rowCount() == 1
    assert child.follow_ups.cell_text(0, 2) == "Not yet"
    assert child.tabs.tabText(FOLLOW_UPS_TAB) == "Follo&w-ups (1)"

    # Case owner and risk: chosen with the keyboard and saved (once) where the arrows stop.
    child.owner.setFocus()
    qtbot.keyClick(child.owner, Qt.Key.Key_Down)
    qtbot.keyClick(child.owner, Qt.Key.Key_Down)
    assert child.message.text() == "Saving…"
    qtbot.waitUntil(lambda: child.message.text() == "Case owner saved.", timeout=10_000)
    qtbot.waitUntil(lambda: child.loaded and not child.busy.isVisible(), timeout=10_000)
    idle(qtbot, window)
    assert child.owner.currentText() == "Dana Lead (dana)"
    child.risk.setFocus()
    for _ in range(3):
        qtbot.keyClick(child.risk, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: child.message.text() == "Risk level saved: High.", timeout=10_000)
    idle(qtbot, window)

    assert audit(window, "case_owner_set") == [{"child_id": child_id, "owner": "dana"}]
    assert audit(window, "risk_level_set") == [{"child_id": child_id, "level": "high"}]
    assert audit(window, "child_updated") == [{"child_id": child_id}]
    assert [d["child_id"] for d in audit(window, "household_added")] == [child_id]
    assert [d["child_id"] for d in audit(window, "professional_added")] == [child_id]
    assert [d["kind"] for d in audit(window, "action_added")] == ["consulted_social_care"]
    # Reloading after each change is not a new opening.
    assert audit(window, "child_opened") == [{"child_id": child_id}]

    # Back in the list, the changes show.
    qtbot.mouseClick(child.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.complete and not page.model.fetching, timeout=10_000)
    idle(qtbot, window)
    assert page.model.index(0, ChildrenModel.RISK).data() == "High"
    assert page.model.index(0, ChildrenModel.OWNER).data() == "Dana Lead"


def test_the_chronology_saves_as_a_pdf_with_a_neutral_name(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    page = open_children(qtbot, window)
    child = open_child_from_list(qtbot, window, page)

    qtbot.mouseClick(child.pdf_button, Qt.MouseButton.LeftButton)
    chooser = child.file_dialog
    assert isinstance(chooser, QFileDialog)
    assert chooser.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    suggested = Path(chooser.selectedFiles()[0]).name
    assert suggested == "chronology.pdf"
    assert "cja" not in suggested and "Wi" not in suggested
    chooser.reject()
    qtbot.waitUntil(lambda: child.file_dialog is None, timeout=5000)

    target = tmp_path / "out" / "saved.pdf"
    target.parent.mkdir()
    child.save_pdf(str(target))
    assert not child.pdf_button.isEnabled()  # one PDF at a time
    assert child.busy.isVisible()
    qtbot.waitUntil(lambda: child.message.text().startswith("Saved the chronology"), timeout=15_000)
    assert child.pdf_button.isEnabled() and not child.busy.isVisible()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(target), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    folded = " ".join(text.split())
    assert CHILD in folded
    assert "Page 1 of 1" in folded
    for entry in child.chronology.model.entries():
        assert " ".join(entry.summary.split()) in folded
    assert [d["child_id"] for d in audit(window, "chronology_exported")] == [child.child_id]

    # A place that cannot be written: one sentence on the page, nothing audited.
    child.save_pdf(str(tmp_path / "missing" / "chronology.pdf"))
    qtbot.waitUntil(lambda: child.message.text().startswith("The PDF could not"), timeout=15_000)
    assert child.message.property("sgRole") == "error"
    assert len(audit(window, "chronology_exported")) == 1


def test_a_refusal_under_a_long_field_is_scrolled_into_sight(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Pasting far too much into "Additional needs" says so where it can be read."""
    page = open_children(qtbot, window)
    child = open_child_from_list(qtbot, window, page)
    child.tabs.setCurrentIndex(DETAILS_TAB)
    qtbot.mouseClick(child.edit_button, Qt.MouseButton.LeftButton)
    details = child.dialog
    assert isinstance(details, ChildDetailsDialog)
    qtbot.waitUntil(details.isVisible, timeout=5000)
    details.additional_needs.setPlainText("Needs a quiet space. " * 5000)  # 105,000 characters
    qtbot.mouseClick(details.save_button, Qt.MouseButton.LeftButton)
    line = details.field_errors["additional_needs"]
    assert line.text() == (
        "The field 'Additional needs' is longer than 100,000 characters; please shorten it."
    )
    viewport = details.scroller.viewport()

    def line_in_sight() -> bool:
        top = line.mapTo(viewport, line.rect().topLeft()).y()
        return top >= 0 and top + line.height() <= viewport.height()

    qtbot.waitUntil(line_in_sight, timeout=2000)
    assert details.isVisible() and not details.busy.isVisible()  # nothing typed is lost


def test_tables_of_records_open_on_enter_and_copy_nothing(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+C on a row would put a child's name or a concern on the clipboard, which the
    lock cannot clear; Enter opens the row, as a double-click does."""
    clipboard = QApplication.clipboard()
    clipboard.setText("nothing from the app")
    copy = Qt.KeyboardModifier.ControlModifier
    page = open_children(qtbot, window)
    page.table.setFocus()
    page.table.selectRow(names_shown(page.model).index(CHILD))
    qtbot.keyClick(page.table, Qt.Key.Key_C, copy)
    assert clipboard.text() == "nothing from the app"
    child = open_child_from_list(qtbot, window, page)
    for table, tab in ((child.chronology.table, CHRONOLOGY_TAB), (child.concerns, CONCERNS_TAB)):
        child.tabs.setCurrentIndex(tab)
        table.setFocus()
        table.selectRow(0)
        qtbot.keyClick(table, Qt.Key.Key_C, copy)
        assert clipboard.text() == "nothing from the app"
        with qtbot.waitSignal(page.concern_requested, timeout=2000) as opened:
            qtbot.keyClick(table, Qt.Key.Key_Return)
        assert opened.args and opened.args[0].startswith("C-")
    clipboard.clear()


def test_a_dialog_closed_while_saving_leaves_the_next_one_alone(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Escape while a household member is being saved, then "Add a professional": the
    member's answer, arriving late, once closed the professional's dialog unsaved."""
    page = open_children(qtbot, window)
    child = open_child_from_list(qtbot, window, page)
    child.tabs.setCurrentIndex(HOUSEHOLD_TAB)
    qtbot.mouseClick(child.add_member_button, Qt.MouseButton.LeftButton)
    member = child.dialog
    assert isinstance(member, HouseholdMemberDialog)
    qtbot.keyClicks(member.name, "Dan Example")
    member.relationship.setCurrentText("Father")
    window.worker.submit(time.sleep, 0.5)  # the database is slow today
    qtbot.mouseClick(member.save_button, Qt.MouseButton.LeftButton)
    assert member.busy.isVisible()
    qtbot.keyClick(member, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: child.dialog is None, timeout=2000)
    child.open_add_professional()
    professional = child.dialog
    assert isinstance(professional, ProfessionalDialog)
    qtbot.keyClicks(professional.name, "Sam Jones")
    qtbot.waitUntil(lambda: child.message.text() == "Added to the household.", timeout=10_000)
    idle(qtbot, window)
    assert child.dialog is professional and professional.isVisible()
    assert professional.name.text() == "Sam Jones"
    assert child.household.cell_text(0, 0) == "Dan Example"
    professional.reject()


def test_markup_in_a_name_is_shown_as_typed(
    qtbot: QtBot, linked: tuple[StoreFixture, int, list[str]], window: MainWindow
) -> None:
    child_id = linked[1]
    session = window.session
    assert isinstance(session, CaseSession)
    typed = "<b>Ann</b> & <i>Nowak</i>"
    details = ChildDetails.checked(name=typed, date_of_birth=date(2015, 3, 2))
    window.worker.submit(children.update_child, session, child_id, details).result(timeout=10)
    page = open_children(qtbot, window)
    assert typed in names_shown(page.model)
    page.open_child(child_id)
    child = page.child_page
    assert child is not None
    qtbot.waitUntil(lambda: child.loaded, timeout=10_000)
    assert child.title.text() == typed
    assert child.title.textFormat() is Qt.TextFormat.PlainText
    child.tabs.setCurrentIndex(DETAILS_TAB)
    assert child.detail_values["name"].text() == typed
    assert child.detail_values["name"].textFormat() is Qt.TextFormat.PlainText
    # Nothing on the page can be selected and copied: a copy would outlive the lock.
    child.chronology.table.selectRow(0)
    assert child.chronology.detail.text()
    selectable = Qt.TextInteractionFlag.TextSelectableByMouse
    assert not [
        label.text()
        for label in child.findChildren(QLabel)
        if label.textInteractionFlags() & selectable
    ]


def _everything_typed(window: QWidget) -> list[str]:
    texts = [label.text() for label in window.findChildren(QLabel)]
    texts += [edit.text() for edit in window.findChildren(QLineEdit)]
    return texts


def test_locking_destroys_the_childs_file_and_its_open_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = open_children(qtbot, window)
    child = open_child_from_list(qtbot, window, page)
    child.tabs.setCurrentIndex(HOUSEHOLD_TAB)
    qtbot.mouseClick(child.add_member_button, Qt.MouseButton.LeftButton)
    assert isinstance(child.dialog, HouseholdMemberDialog)
    qtbot.keyClicks(child.dialog.name, "Zq7Canary")
    assert any(CHILD in text for text in _everything_typed(window))

    window.lock()
    qtbot.waitUntil(lambda: not window.findChildren(ChildPage), timeout=5000)
    qtbot.waitUntil(lambda: not window.findChildren(HouseholdMemberDialog), timeout=5000)
    idle(qtbot, window)
    QApplication.processEvents()
    assert window.session is None
    shown = _everything_typed(window)
    assert not any(CHILD in text or "Zq7Canary" in text for text in shown)
    assert not any(
        isinstance(w, QWidget) and "Zq7Canary" in w.windowTitle()
        for w in QApplication.topLevelWidgets()
    )


def test_every_control_on_the_childs_file_has_an_accessible_name(
    qtbot: QtBot, window: MainWindow
) -> None:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QSpinBox, QPlainTextEdit, QAbstractItemView)

    def unnamed(widgets: list[QWidget], top: QWidget) -> list[str]:
        return [
            f"{type(w).__name__} {getattr(w, 'text', lambda: '')()}".strip()
            for w in widgets
            if isinstance(w, kinds)
            and w.isVisibleTo(top)
            and not w.accessibleName()
            # Inner editors are named through their spin box or combo box, and header
            # cells are announced as the column headers of their table.
            and not isinstance(w.parent(), QAbstractSpinBox | QComboBox)
            and not isinstance(w, QHeaderView)
        ]

    page = open_children(qtbot, window)
    assert unnamed(page.findChildren(QWidget), page) == []
    child = open_child_from_list(qtbot, window, page)
    for tab in range(child.tabs.count()):
        child.tabs.setCurrentIndex(tab)
        assert unnamed(child.findChildren(QWidget), child) == [], child.tabs.tabText(tab)
    openers: list[Callable[[], Any]] = [
        child.open_action,
        child.open_follow_up,
        child.open_add_member,
        child.open_add_professional,
        child.open_edit_details,
    ]
    for opener in openers:
        opener()
        dialog = child.dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible, timeout=5000)
        if isinstance(dialog, AddActionDialog):
            dialog.follow_up.setChecked(True)
        assert unnamed(dialog.findChildren(QWidget), dialog) == [], dialog.windowTitle()
        dialog.reject()
        qtbot.waitUntil(lambda: child.dialog is None, timeout=5000)


def test_a_long_contact_wraps_instead_of_being_cut_short(qtbot: QtBot) -> None:
    """The household table is the only place a contact is shown: it must be readable whole."""
    from safeguard_desktop.ui.children.child_file_tabs import (
        HOUSEHOLD_HEADERS,
        HOUSEHOLD_STRETCH,
        ListTable,
        headers,
    )

    table = ListTable(headers(HOUSEHOLD_HEADERS), "Household members", HOUSEHOLD_STRETCH)
    qtbot.addWidget(table)
    one_line = table.verticalHeader().defaultSectionSize()
    contact = "07700 900123 (mobile), dan.example@example.com, works nights"
    table.fill([(["Dan Example", "Father", "", "Yes", "Yes", contact], 1)])
    table.resize(700, 300)
    table.show()
    qtbot.waitUntil(lambda: table.rowHeight(0) > one_line, timeout=2000)
    lines = table.rowHeight(0) // table.fontMetrics().lineSpacing()
    assert lines >= 2
    # A name takes only the room it needs; the contact has the rest.
    assert table.columnWidth(0) < table.columnWidth(5)
