"""A child's statuses, the history of their record and Home's notices, in the real window
(issue 14, point 3): added and ended with the mouse and keyboard, refused under the field at
fault, read back through the services.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from test_ui_children import (  # the same store, window and helpers as the Children tests
    CHILD,
    DIALOG_WARNING,
    _dsl,
    audit,
    idle,
    linked,
    open_child_from_list,
    open_children,
    save_dialog,
    window,
)

from conftest import StoreFixture
from safeguard_desktop.domain.child_status import NewStatus, Notice, StatusKind
from safeguard_desktop.services import child_status
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.children.child_dialogs import ChildDetailsDialog, HouseholdMemberDialog
from safeguard_desktop.ui.children.child_page import (
    DETAILS_TAB,
    HISTORY_TAB,
    HOUSEHOLD_TAB,
    STATUSES_TAB,
)
from safeguard_desktop.ui.children.status_dialogs import EndStatusDialog, StatusDialog
from safeguard_desktop.ui.main_window import MainWindow
from ui_store import open_main_window

pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)
__all__ = ["linked", "window"]  # fixtures, used by name


def test_a_lead_adds_and_ends_a_status_and_sees_the_records_history(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = open_children(qtbot, window)
    child = open_child_from_list(qtbot, window, page)
    child.tabs.setCurrentIndex(STATUSES_TAB)
    assert child.statuses.rowCount() == 0
    assert not child.end_status_button.isEnabled()

    qtbot.mouseClick(child.add_status_button, Qt.MouseButton.LeftButton)
    dialog = child.dialog
    assert isinstance(dialog, StatusDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(StatusKind.LOOKED_AFTER.value))
    assert dialog.virtual_school_contact.isEnabled() and not dialog.review_on.isEnabled()
    qtbot.keyClicks(dialog.lead_professional, "Jo Patel, social worker")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "virtual school head" in dialog.field_errors["virtual_school_contact"].text()
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.virtual_school_contact, "J. Head, Virtual School")
    save_dialog(qtbot, window, child, dialog)
    assert child.message.text() == "Status added."
    assert child.statuses.rowCount() == 1
    assert child.statuses.cell_text(0, 0) == "Looked after (a child in care)"
    assert child.statuses.cell_text(0, 2) == "Current"
    assert "Virtual school: J. Head" in child.statuses.cell_text(0, 3)
    assert child.tabs.tabText(STATUSES_TAB) == "Statuses and p&lans (1)"
    (added,) = audit(window, "child_status_added")
    assert added["kind"] == "looked_after"

    # The concern view says it beside the linked child.
    ref = child.concerns.value(0)
    assert isinstance(ref, str)
    area = window.session_area
    assert isinstance(area, CaseArea)
    area.open_concern(ref)
    view = area.concerns.view
    assert view is not None
    qtbot.waitUntil(lambda: view.file is not None, timeout=10_000)
    idle(qtbot, window)
    words = [label.text() for label in view.findChildren(QLabel)]
    assert any(
        w.startswith("Plans and statuses now: Looked after (a child in care), from ")
        and "virtual school: J. Head, Virtual School" in w
        for w in words
    ), words
    area.show_section("Children")  # back to her file, still open
    idle(qtbot, window)

    child.statuses.selectRow(0)
    assert child.end_status_button.isEnabled()
    qtbot.mouseClick(child.end_status_button, Qt.MouseButton.LeftButton)
    ending = child.dialog
    assert isinstance(ending, EndStatusDialog)
    save_dialog(qtbot, window, child, ending)
    assert child.message.text() == "The status is marked as ended."
    assert child.statuses.cell_text(0, 2) != "Current"
    assert child.tabs.tabText(STATUSES_TAB) == "Statuses and p&lans (0)"

    # An edit of the details is kept in the history: before, after, who.
    child.tabs.setCurrentIndex(DETAILS_TAB)
    qtbot.mouseClick(child.edit_button, Qt.MouseButton.LeftButton)
    details = child.dialog
    assert isinstance(details, ChildDetailsDialog)
    details.address.setPlainText("12 River Lane")
    save_dialog(qtbot, window, child, details)
    child.tabs.setCurrentIndex(HISTORY_TAB)
    assert child.history.rowCount() == 1
    assert child.history.cell_text(0, 1) == "Address"
    assert child.history.cell_text(0, 3) == "12 River Lane"
    assert child.history.cell_text(0, 4) == "Dana Lead"
    assert child.tabs.tabText(HISTORY_TAB) == "Histor&y (1)"

    # A household member changed: the list shows the new, the history the old and new.
    child.tabs.setCurrentIndex(HOUSEHOLD_TAB)
    qtbot.mouseClick(child.add_member_button, Qt.MouseButton.LeftButton)
    adding = child.dialog
    assert isinstance(adding, HouseholdMemberDialog)
    qtbot.keyClicks(adding.name, "Anna Wisniewska")
    adding.relationship.setCurrentText("Mother")
    save_dialog(qtbot, window, child, adding)
    assert not child.change_member_button.isEnabled()
    child.household.selectRow(0)
    qtbot.mouseClick(child.change_member_button, Qt.MouseButton.LeftButton)
    changing = child.dialog
    assert isinstance(changing, HouseholdMemberDialog)
    assert changing.windowTitle() == "Change a household member"
    assert changing.name.text() == "Anna Wisniewska"
    changing.name.setText("Anna Nowak")
    save_dialog(qtbot, window, child, changing)
    assert child.household.cell_text(0, 0) == "Anna Nowak"
    assert child.household.rowCount() == 1
    assert child.history.cell_text(0, 1) == "Household, parents and carers"
    assert child.history.cell_text(0, 2) == "Anna Wisniewska (Mother)"
    assert child.history.cell_text(0, 3) == "Anna Nowak (Mother)"
    (changed,) = audit(window, "household_changed")
    assert changed["child_id"] == child.child_id


def test_home_shows_an_open_plan_until_the_lead_professional_is_told(
    qtbot: QtBot, linked: tuple[StoreFixture, int, list[str]]
) -> None:
    fixture, child_id, refs = linked
    session = _dsl(fixture)
    try:
        child_status.add_status(
            session,
            child_id,
            NewStatus(
                kind=StatusKind.CHILD_PROTECTION_PLAN,
                started_on=date.today() - timedelta(days=90),
                lead_professional="Jo Patel, social worker",
            ),
        )
    finally:
        session.lock()
    win = open_main_window(qtbot, fixture.data_dir)
    win.resize(1366, 720)
    login = win.login_page
    login.username.setText(fixture.dsl[0])
    qtbot.keyClicks(login.password, fixture.dsl[1])
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(win.session_area, CaseArea), timeout=15_000)
    idle(qtbot, win)
    area = win.session_area
    assert isinstance(area, CaseArea)
    home = area.home
    notices = home.notices
    qtbot.waitUntil(notices.isVisible, timeout=10_000)
    # Each of her four concerns is new to the plan, the newest first; three bruises within
    # the year make the last two a pattern continuing as well.
    plans = [n for n in notices.notices if n.notice is Notice.OPEN_PLAN]
    assert [n.concern_ref for n in plans] == refs[::-1]
    patterns = [n for n in notices.notices if n.notice is Notice.PATTERN]
    assert [n.concern_ref for n in patterns] == refs[:1:-1]
    words = [label.text() for label in notices.box.findChildren(QLabel)]
    assert f"Open plan: tell the lead professional: concern {refs[-1]} about {CHILD}" in words
    assert any("Jo Patel, social worker" in text for text in words)
    newest = plans[0]
    # Without saying whom they told: refused, and the notice stays.
    notices.mark_done(newest)
    qtbot.waitUntil(lambda: bool(notices.error.text()), timeout=10_000)
    assert "Say who you told" in notices.error.text()
    note = notices.notes[(newest.concern_ref, newest.child_id)]
    qtbot.keyClicks(note, "Jo Patel, by phone")
    notices.mark_done(newest)
    qtbot.waitUntil(lambda: len(notices.notices) == 5, timeout=10_000)
    assert newest not in notices.notices
    session = win.session
    assert isinstance(session, CaseSession)
    (entry,) = audit(win, "concern_notice_done")
    assert entry["ref"] == newest.concern_ref and entry["notice"] == "open_plan"
    win.close()
