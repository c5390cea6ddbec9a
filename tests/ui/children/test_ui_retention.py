"""Keeping a child's file, in the real window on a real store: the review date, a legal
hold placed and lifted through its dialogs, the files due for review, deleting one at
its review through the confirmation, what the concern it shared shows afterwards, and the
organisation's period in Settings.

Concerns arrive the real way (sealed, then taken in at sign-in); a file is made due by
moving its dates back with SQL, as tests/services/test_retention.py does. What was saved,
deleted and audited is read back through the services, on the window's worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from casework_data import concern_data, submit
from conftest import StoreFixture
from fit_screens import problems_in, screen  # noqa: F401 (a fixture)
from safeguard_desktop.domain.children import HouseholdMember
from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.retention import Basis
from safeguard_desktop.services import audit_trail, casework, children, retention
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.children.child_page import KEEPING_TAB, ChildPage
from safeguard_desktop.ui.children.children_page import ChildrenPage
from safeguard_desktop.ui.children.retention_dialogs import (
    DeleteFileDialog,
    HoldDialog,
    ReviewDateDialog,
)
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.widgets import screen_fit
from ui_store import (
    case_area,
    idle,
    open_child,
    open_concern,
    signed_in_window,
)

# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

HOLD = "Police investigation, ref 44/2026"


# A store with two children ----------------------------------------------------------------


def _lead(data_dir: Path, who: tuple[str, str]) -> CaseSession:
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    return session


def _as_if_eleven_years_old(session: CaseSession) -> None:
    """Every day the review dates count from set back to 2015 (a club keeps six years)."""
    old = "2015-01-01T10:00:00+00:00"
    with session.conn as conn:
        for statement in (
            "UPDATE children SET created_at = :old, updated_at = :old",
            "UPDATE concerns SET occurred_at = :old, submitted_at = :old",
            "UPDATE child_history SET changed_at = :old",
            "UPDATE follow_ups SET created_at = :old",
        ):
            conn.execute(statement, {"old": old})


@pytest.fixture(params=["new", "due"])
def two_children(
    request: pytest.FixtureRequest, store_dir: StoreFixture
) -> tuple[StoreFixture, int, int, str, str]:
    """Amelia alone in one concern (with a follow-up and her mother in her file), and with
    Zofia in another; a file each. With "due", both files as if eleven years old."""
    store = Store.open(store_dir.data_dir)
    alone = submit(store, concern_data(observed="Amelia alone; bruise on her arm."))
    shared = submit(
        store,
        concern_data(
            observed="Both girls left at the gate.",
            extra_children=({"name": "Zofia Nowak", "date_of_birth": "2014-05-01"},),
        ),
    )
    session = _lead(store_dir.data_dir, store_dir.dsl)
    try:
        amelia = casework.create_child_for(session, alone, 0).id
        casework.link_child(session, shared, 0, amelia)
        zofia = casework.create_child_for(session, shared, 1).id
        children.add_household_member(
            session, amelia, HouseholdMember.checked(name="Ewa Kowalska", relationship="Mother")
        )
        casework.add_follow_up(session, date.today(), "Ask about the bruise", child_id=amelia)
        if request.param == "due":
            _as_if_eleven_years_old(session)
    finally:
        session.lock()
    return store_dir, amelia, zofia, alone, shared


def _only(name: str) -> Callable[..., Any]:
    """Run a test with only one of the fixture's stores."""
    return pytest.mark.parametrize("two_children", [name], indirect=True)


def on_worker(window: MainWindow, fn: Callable[..., Any], *args: Any) -> Any:
    """A service call on the window's worker, after everything queued before it."""
    session = window.session
    assert isinstance(session, CaseSession)
    return window.worker.submit(fn, session, *args).result(timeout=20)


def audited(window: MainWindow, action: str) -> list[dict[str, object]]:
    return [e.detail for e in on_worker(window, audit_trail.entries, 500) if e.action == action]


def keeping(qtbot: QtBot, window: MainWindow, child_id: int) -> ChildPage:
    """The child's file open at Keeping this file."""
    page = open_child(qtbot, window, child_id)
    page.tabs.setCurrentIndex(KEEPING_TAB)
    QApplication.processEvents()
    return page


def lead_at_keeping(
    qtbot: QtBot, fixture: StoreFixture, child_id: int
) -> tuple[MainWindow, ChildPage]:
    """The DSL signed in, at Keeping this file of child ``child_id``."""
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    return window, keeping(qtbot, window, child_id)


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def save(qtbot: QtBot, window: MainWindow, page: ChildPage) -> None:
    """Press the open dialog's own button; wait for the file read again."""
    dialog = page.dialog
    assert dialog is not None
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=10_000)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: page.loaded and not page.busy.isVisible(), timeout=10_000)


def shown_texts(widget: QWidget) -> list[str]:
    QApplication.processEvents()
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]


# A legal hold -----------------------------------------------------------------------------


@_only("due")
def test_a_legal_hold_placed_and_lifted_through_its_dialogs_stops_deletion_meanwhile(
    qtbot: QtBot, two_children: tuple[StoreFixture, int, int, str, str]
) -> None:
    fixture, amelia, _, _, _ = two_children
    window, page = lead_at_keeping(qtbot, fixture, amelia)
    tab = page.keeping_tab
    assert not page.hold_banner.isVisible()
    assert tab.delete_button.isEnabled() and not tab.blocked.isVisible()
    assert page.tabs.tabText(KEEPING_TAB) == "Keeping this file (review due)"

    click(qtbot, tab.place_hold_button)
    dialog = page.dialog
    assert isinstance(dialog, HoldDialog) and dialog.windowTitle() == "Place a legal hold"
    assert dialog.focusWidget() is dialog.reason  # the keyboard starts in the one field
    click(qtbot, dialog.save_button)  # no reason: refused under the field, nothing saved
    assert dialog.field_errors["reason"].isVisible()
    assert "Reason" in dialog.field_errors["reason"].text()
    qtbot.keyClicks(dialog.reason, HOLD)
    save(qtbot, window, page)

    # The banner, in words, whichever tab is open; the button off, and why.
    assert page.hold_banner.isVisible()
    assert page.hold_banner.title.text() == f"LEGAL HOLD: {HOLD}"
    assert "cannot be deleted" in page.hold_banner.sentence.text()
    assert "Placed by Dana Lead on " in page.hold_banner.sentence.text()
    page.tabs.setCurrentIndex(0)
    assert page.hold_banner.isVisible()
    page.tabs.setCurrentIndex(KEEPING_TAB)
    assert page.tabs.tabText(KEEPING_TAB) == "Keeping this file (legal hold)"
    assert tab.until.text() == ("Review date 1 January 2021: kept while the legal hold is in force")
    assert not tab.delete_button.isEnabled()
    assert tab.blocked.isVisible() and f"under a legal hold ({HOLD})" in tab.blocked.text()
    assert not tab.place_hold_button.isVisible() and tab.lift_hold_button.isVisible()
    assert on_worker(window, retention.retention_of, amelia).facts.hold_reason == HOLD

    # A DSL placed it; only an administrator lifts it (one lead alone could otherwise
    # place a hold and lift it to delete), so the button is off and says so.
    assert tab.lift_hold_button.isVisible() and not tab.lift_hold_button.isEnabled()
    assert tab.lift_hint.isVisible() and "Only an administrator" in tab.lift_hint.text()
    window.sign_out()
    idle(qtbot, window)
    window = signed_in_window(qtbot, fixture.data_dir, fixture.admin)
    page = keeping(qtbot, window, amelia)
    tab = page.keeping_tab
    assert tab.lift_hold_button.isEnabled() and not tab.lift_hint.isVisible()

    # Escape leaves the hold as it is; lifting it needs a reason too.
    click(qtbot, tab.lift_hold_button)
    dialog = page.dialog
    assert isinstance(dialog, HoldDialog) and dialog.windowTitle() == "Lift the legal hold"
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=5_000)
    assert page.hold_banner.isVisible()
    click(qtbot, tab.lift_hold_button)
    dialog = page.dialog
    assert isinstance(dialog, HoldDialog)
    assert any(HOLD in text for text in shown_texts(dialog))  # what is being lifted
    qtbot.keyClicks(dialog.reason, "Investigation closed, no charges")
    save(qtbot, window, page)
    assert not page.hold_banner.isVisible()
    assert tab.delete_button.isEnabled() and tab.place_hold_button.isVisible()
    assert page.message.text() == "The legal hold is lifted."
    assert [d["child_id"] for d in audited(window, "legal_hold_placed")] == [amelia]
    assert [d["child_id"] for d in audited(window, "legal_hold_lifted")] == [amelia]


# A lead's own review date -----------------------------------------------------------------


@_only("new")
def test_a_review_date_set_with_its_reason_and_back_to_the_rule(
    qtbot: QtBot, two_children: tuple[StoreFixture, int, int, str, str]
) -> None:
    fixture, amelia, _, _, _ = two_children
    window, page = lead_at_keeping(qtbot, fixture, amelia)
    tab = page.keeping_tab
    # A club's rule: six years after the last entry (today's).
    in_six_years = date.today().replace(year=date.today().year + 6)
    assert tab.until.text() == f"Kept until {long_date(in_six_years)}"
    assert tab.why.text().startswith("After the organisation's retention period")
    assert tab.last_entry.text() == f"Last entry in the file: {long_date(date.today())}."
    assert not tab.delete_button.isEnabled()
    assert "it cannot be deleted before then" in tab.blocked.text()

    click(qtbot, tab.change_date_button)
    dialog = page.dialog
    assert isinstance(dialog, ReviewDateDialog)
    assert dialog.rule_button is None  # the date already is the rule's
    focused = dialog.focusWidget()
    assert focused is dialog.review_on or dialog.review_on.isAncestorOf(focused)
    # Longer than the rule, never shorter: the picker stops at the rule's date.
    rule = QDate(in_six_years.year, in_six_years.month, in_six_years.day)
    assert dialog.review_on.minimumDate() == rule
    dialog.review_on.setDate(QDate(2020, 1, 1))
    assert dialog.review_on.date() == rule
    dialog.review_on.setDate(QDate(2090, 1, 1))
    click(qtbot, dialog.save_button)  # no reason
    assert dialog.field_errors["reason"].isVisible()
    qtbot.keyClicks(dialog.reason, "The family asked us to keep it")
    save(qtbot, window, page)
    assert tab.until.text() == "Kept until 1 January 2090"
    assert tab.why.text() == "Set by Dana Lead: The family asked us to keep it"
    kept = on_worker(window, retention.retention_of, amelia)
    assert (kept.review_on, kept.basis) == (date(2090, 1, 1), Basis.SET_BY_LEAD)

    click(qtbot, tab.change_date_button)
    dialog = page.dialog
    assert isinstance(dialog, ReviewDateDialog) and dialog.rule_button is not None
    assert dialog.review_on.date() == QDate(2090, 1, 1)  # the date now, to change from
    # The rule's own date is not on the page now: the service refuses an earlier one,
    # and says so under the date.
    dialog.review_on.setDate(QDate.currentDate().addYears(1))
    qtbot.keyClicks(dialog.reason, "Sooner, by mistake")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.field_errors["review_on"].isVisible(), timeout=10_000)
    assert (
        dialog.field_errors["review_on"]
        .text()
        .startswith(f"The rule keeps this file until {long_date(in_six_years)}")
    )
    assert on_worker(window, retention.retention_of, amelia).review_on == date(2090, 1, 1)
    click(qtbot, dialog.rule_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=10_000)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: tab.why.text().startswith("After the organisation's"), timeout=5_000)
    assert page.message.text() == "The review date follows the organisation's rule again."
    assert on_worker(window, retention.retention_of, amelia).basis is Basis.AFTER_LAST_ENTRY
    assert [d["review_on"] for d in audited(window, "retention_date_set")] == ["2090-01-01"]
    assert len(audited(window, "retention_date_cleared")) == 1


# The files due, and deleting one -------------------------------------------------------


def open_due_list(qtbot: QtBot, window: MainWindow) -> ChildrenPage:
    area = case_area(window)
    area.show_section("Children")
    page = area.children_page
    idle(qtbot, window)
    click(qtbot, page.due_choice)
    qtbot.waitUntil(lambda: not page.due_list.reading, timeout=10_000)
    idle(qtbot, window)
    return page


def due_rows(page: ChildrenPage) -> list[list[str]]:
    table = page.due_list.table
    return [
        [table.cell_text(row, column) for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


@_only("due")
def test_a_due_file_is_listed_then_deleted_through_the_confirmation(
    qtbot: QtBot, two_children: tuple[StoreFixture, int, int, str, str]
) -> None:
    fixture, amelia, zofia, alone, shared = two_children
    hold = _lead(fixture.data_dir, fixture.dsl)
    try:
        retention.place_legal_hold(hold, zofia, "A claim against the club")
    finally:
        hold.lock()
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    area = case_area(window)
    # Home counts them (read with the rest of Home, on the worker).
    assert area.home.review_box.isVisible()
    assert area.home.review_line.text().startswith(
        "2 children's files are due for their retention review. 1 of them is under a legal hold."
    )
    # Home's button goes straight to the list of files due.
    click(qtbot, area.home.review_button)
    qtbot.waitUntil(lambda: area.children_page.showing_due, timeout=5_000)
    qtbot.waitUntil(lambda: not area.children_page.due_list.reading, timeout=10_000)
    assert area.pages.currentWidget() is area.children_page
    assert len(due_rows(area.children_page)) == 2

    children_page = open_due_list(qtbot, window)
    assert not children_page.find_box.isVisible()
    assert due_rows(children_page) == [
        ["Amelia Kowalska", "1 Jan 2021", "1 Jan 2015", "No"],
        ["Zofia Nowak", "1 Jan 2021", "1 Jan 2015", "LEGAL HOLD: cannot be deleted"],
    ]
    assert children_page.about.text().startswith("Files whose retention review date has come")
    assert children_page.status.text() == (
        "2 children's files are due for their retention review. 1 is under a legal hold and "
        "cannot be deleted."
    )
    # Opened from the list with the keyboard, as any child is.
    table = children_page.due_list.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    page = children_page.child_page
    assert page is not None and page.child_id == amelia
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    idle(qtbot, window)
    page.tabs.setCurrentIndex(KEEPING_TAB)
    assert page.keeping_tab.until.text() == "Review due since 1 January 2021"

    click(qtbot, page.keeping_tab.delete_button)
    qtbot.waitUntil(lambda: page.deletion.dialog is not None, timeout=10_000)
    dialog = page.deletion.dialog
    assert isinstance(dialog, DeleteFileDialog)
    plan = on_worker(window, retention.deletion_plan, amelia)
    assert (plan.concerns_deleted, plan.concerns_kept) == ((alone,), (shared,))
    assert (plan.follow_ups, plan.household) == (1, 1) and not plan.referrals
    assert dialog.counts.text() == (
        "1 concern, 1 follow-up and 1 household member will be deleted for good, with the "
        "child's details and chronology."
    )
    assert dialog.kept.text() == (
        "1 concern also names other children: it stays for them, no longer linked to this child."
    )
    assert dialog.backups.text().startswith("Backups made before now still hold this file")
    # The red button does nothing until the tick; Enter presses Cancel, never Delete.
    assert dialog.focusWidget() is dialog.reviewed
    assert not dialog.delete_button.isEnabled() and dialog.cancel_button.isDefault()
    page.deletion.delete()  # as if pressed anyway
    idle(qtbot, window)
    assert on_worker(window, children.child_record, amelia).child_id == amelia
    qtbot.keyClick(dialog.reviewed, Qt.Key.Key_Space)
    assert dialog.reviewed.isChecked() and dialog.delete_button.isEnabled()
    click(qtbot, dialog.delete_button)

    # Back to the list, read again, with what went said.
    qtbot.waitUntil(lambda: children_page.child_page is None, timeout=15_000)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: not children_page.due_list.reading, timeout=10_000)
    assert children_page.stack.currentWidget() is children_page.list_page
    assert children_page.result.isVisible()
    assert children_page.result.text().startswith(
        "The file of Amelia Kowalska was deleted: 1 concern, 1 follow-up and 1 household "
        "member, with the child's details and chronology. 1 concern also names other children"
    )
    assert "Backups made before now still hold this file" in children_page.result.text()
    assert [row[0] for row in due_rows(children_page)] == ["Zofia Nowak"]
    click(qtbot, children_page.all_choice)
    qtbot.waitUntil(lambda: children_page.model.complete, timeout=10_000)
    names = [children_page.model.index(r, 0).data() for r in range(children_page.model.rowCount())]
    assert names == ["Zofia Nowak"]
    (tombstone,) = audited(window, "child_file_deleted")
    assert tombstone["child_id"] == amelia and tombstone["concerns"] == [alone]
    area.show_section("Home")  # counted again each time Home is shown
    idle(qtbot, window)
    assert area.home.review_line.text().startswith(
        "1 child's file is due for its retention review. 1 of them is under a legal hold."
    )

    # The concern Amelia shared: kept for Zofia, her place said deleted, nothing to link.
    view = open_concern(qtbot, window, shared)
    assert view.content is not None
    boxes = [f for f in view.content.findChildren(QWidget) if f.objectName() == "childBox"]
    first, second = boxes
    gone = [t for t in shown_texts(first) if t.startswith("This child's file was deleted")]
    assert gone and gone[0].startswith("This child's file was deleted at its retention review on ")
    assert gone[0].endswith("The concern is kept for the other children it names.")
    assert not [b for b in first.findChildren(QPushButton) if b.isVisibleTo(first)]
    assert [b.text() for b in second.findChildren(QPushButton) if b.isVisibleTo(second)] == [
        "Open child"
    ]


@_only("new")
def test_nothing_is_due_on_a_new_store(
    qtbot: QtBot, two_children: tuple[StoreFixture, int, int, str, str]
) -> None:
    fixture = two_children[0]
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    assert not case_area(window).home.review_box.isVisible()
    page = open_due_list(qtbot, window)
    assert due_rows(page) == []
    assert page.status.text() == "No child's file is due for its retention review."
    assert not page.open_button.isEnabled()


# Small screens and large text ------------------------------------------------------------


@_only("due")
def test_every_retention_screen_fits_and_names_its_controls(
    qtbot: QtBot,
    two_children: tuple[StoreFixture, int, int, str, str],
    screen: tuple[str, QRect],  # noqa: F811 (the fixture imported above)
) -> None:
    fixture, amelia, zofia, _, _ = two_children
    hold = _lead(fixture.data_dir, fixture.dsl)
    try:
        retention.place_legal_hold(hold, zofia, "Police investigation (fictional) " * 4)
    finally:
        hold.lock()
    name = screen[0]
    window = signed_in_window(qtbot, fixture.data_dir, fixture.admin)
    window.resize(screen_fit.largest_client_size(window))
    problems: list[str] = []
    area = case_area(window)
    problems += problems_in(area.home, f"{name}, Home")
    children_page = open_due_list(qtbot, window)
    problems += problems_in(children_page, f"{name}, due for review")

    for child_id in (zofia, amelia):  # held, then due
        page = keeping(qtbot, window, child_id)
        where = f"{name}, the file of child {child_id}"
        problems += problems_in(page, where)
        tab = page.keeping_tab
        openers: list[tuple[QPushButton, str]] = [
            (tab.change_date_button, "Change the review date"),
            (tab.lift_hold_button if child_id == zofia else tab.place_hold_button, "Hold"),
        ]
        for button, what in openers:
            click(qtbot, button)
            dialog = page.dialog
            assert isinstance(dialog, QDialog)
            qtbot.waitUntil(dialog.isVisible, timeout=5_000)
            problems += problems_in(dialog, f"{where}, {what}")
            if dialog.focusWidget() is None:
                problems.append(f"{where}, {what}: nothing has the focus")
            dialog.reject()
            idle(qtbot, window)
    click(qtbot, page.keeping_tab.delete_button)
    qtbot.waitUntil(lambda: page.deletion.dialog is not None, timeout=10_000)
    confirm = page.deletion.dialog
    assert confirm is not None
    qtbot.waitUntil(confirm.isVisible, timeout=5_000)
    problems += problems_in(confirm, f"{name}, Delete the file")
    largest = screen_fit.largest_client_size(window)
    if confirm.height() > largest.height() or confirm.width() > largest.width():
        problems.append(f"{name}: the confirmation is bigger than the screen")
    confirm.reject()
    idle(qtbot, window)

    area.show_section("Settings")
    idle(qtbot, window)
    problems += problems_in(area.settings.retention, f"{name}, Settings")
    assert problems == [], "\n".join(problems)
