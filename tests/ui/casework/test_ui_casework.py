"""The lead's casework in the real window: Home, the inbox timer, search, the Concern view.

Concerns are sealed the real way (tests/support/casework_data.py) and arrive when the lead signs
in (or at the next inbox check); every step drives the real widgets on a real SQLCipher
store, and what the window shows is checked against what the services stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.casework import ConcernStatus
from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
from safeguard_desktop.domain.handoff import (
    DEFAULT_LAWFUL_BASIS,
    Consent,
    HandoffDecision,
    InformationSharing,
    Outcome,
)
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.domain.referral import ReferralContent
from safeguard_desktop.services import audit_trail, casework
from safeguard_desktop.services.casework import ConcernFile
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.case_area import INGEST_INTERVAL_MS, CaseArea
from safeguard_desktop.ui.casework import concern_models
from safeguard_desktop.ui.casework.action_dialog import AddActionDialog, MarkDoneDialog
from safeguard_desktop.ui.casework.concern_dialogs import AmendmentDialog, CloseConcernDialog
from safeguard_desktop.ui.casework.concern_models import ConcernListModel
from safeguard_desktop.ui.casework.concern_view import ConcernView
from safeguard_desktop.ui.casework.concerns_page import ConcernsPage
from safeguard_desktop.ui.casework.home_page import HOME_ROWS, HomePage
from safeguard_desktop.ui.handoff.handoff_wizard import HandoffWizard
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.recording.recorder_area import RecorderArea
from safeguard_desktop.ui.referral.referral_dialog import ReferralDialog
from safeguard_desktop.ui.widgets import paged_model
from screen_checks import unnamed_controls
from ui_store import case_area, idle, open_concern, signed_in_window

# Offscreen Qt says these about dialogs and popups; they are about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"
POPUP_WARNINGS = ("This plugin does not support raise", "does not support grabbing")
CANARY = "Zq7Canary"
POLISH = "Zażółć Gęślą"
ARABIC = "يوسف الحداد"


# Helpers ------------------------------------------------------------------------------


def on_worker(qtbot: QtBot, window: MainWindow, fn: Callable[..., Any], *args: Any) -> Any:
    """Call a service on the window's worker (as the app does) and return its result."""
    results: list[Any] = []
    window.worker.submit(fn, *args, on_done=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=15_000)
    return results[0]


def concern_file(qtbot: QtBot, window: MainWindow, ref: str) -> ConcernFile:
    session = window.session
    assert isinstance(session, CaseSession)
    return on_worker(qtbot, window, lambda: casework.concern_file(session, ref, audit=False))


def button(widget: QWidget, text: str) -> QPushButton:
    found = [
        b for b in widget.findChildren(QPushButton) if b.text() == text and b.isVisibleTo(widget)
    ]
    assert found, f"no visible button {text!r}"
    return found[0]


def texts(widget: QWidget) -> list[str]:
    """What ``widget`` shows (labels not hidden), in layout order."""
    # Labels added to a shown page are shown by a queued call: let it run first.
    QApplication.processEvents()
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]


def click(qtbot: QtBot, target: QPushButton) -> None:
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def wait_count(qtbot: QtBot, page: ConcernsPage, n: int) -> None:
    words = {0: "No concerns", 1: "1 concern"}.get(n, f"{n:,} concerns")
    qtbot.waitUntil(lambda: not page.searching, timeout=10_000)
    assert page.count_line.text().startswith(words)
    assert page.model.rowCount() == n


def shown_names(page: ConcernsPage) -> set[str]:
    model = page.model
    return {
        str(model.index(r, concern_models.Column.CHILDREN).data()) for r in range(model.rowCount())
    }


@pytest.fixture
def store(store_dir: StoreFixture) -> Store:
    return Store.open(store_dir.data_dir)


# Home and the inbox -------------------------------------------------------------------


def test_home_counts_and_the_newest_concerns(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    danger = concern_data(name="Noah Smith", days_ago=2)
    danger["immediate_danger"] = True
    refs = [submit(store, concern_data(days_ago=3)), submit(store, danger)]
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    home = case_area(window).home
    qtbot.waitUntil(lambda: home.facts is not None, timeout=10_000)
    assert home.new_card.number.text() == "2"
    assert home.link_card.number.text() == "2"
    assert home.follow_up_card.number.text() == "0"
    assert home.referral_card.number.text() == "0"
    assert home.new_card.accessibleName() == "New concerns: 2"
    assert home.concerns_line.text() == "2 concerns are in the records."
    assert home.audit_line.text().startswith("Complete and unchanged: ")
    # Newest first, immediate danger said in words, not colour alone.
    newest = home.newest.model()

    def cell(row: int, column: int) -> str:
        return str(newest.index(row, column).data())

    assert [cell(r, 0) for r in range(newest.rowCount())] == list(reversed(refs))
    assert cell(0, 1) == "YES" and cell(1, 1) == ""
    assert cell(0, 4) == "New · 1 child to link"
    # Enter on a row opens that concern.
    home.newest.setCurrentIndex(newest.index(1, 0))
    with qtbot.waitSignal(home.concern_requested, timeout=2000) as opened:
        qtbot.keyClick(home.newest, Qt.Key.Key_Return)
    assert opened.args == [refs[0]]
    idle(qtbot, window)
    case_area(window).show_section("Home")
    idle(qtbot, window)
    assert "Nothing is due today." in texts(home)
    # The audit chain was walked at sign-in; walking it again is a button, on the worker.
    click(qtbot, home.audit_button)
    assert home.audit_line.text() == "Checking every entry…"
    qtbot.waitUntil(lambda: home.audit_button.isEnabled(), timeout=10_000)
    assert home.audit_line.text().startswith("Complete and unchanged: ")
    # A card is a button: "New concerns" opens the list of new concerns.
    click(qtbot, home.new_card)
    area = case_area(window)
    assert area.pages.currentWidget() is area.concerns
    assert area.concerns.status.currentData() == "new"
    wait_count(qtbot, area.concerns, 2)


def test_the_inbox_timer_brings_in_a_concern_sent_after_sign_in(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    submit(store, concern_data(days_ago=3))
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    assert area.ingest_timer.isActive() and area.ingest_timer.interval() == INGEST_INTERVAL_MS
    qtbot.waitUntil(lambda: area.home.new_card.number.text() == "1", timeout=10_000)
    area.show_section("Concerns")
    wait_count(qtbot, area.concerns, 1)

    later = submit(store, concern_data(name=POLISH, days_ago=0.5))
    area.ingest_timer.timeout.emit()  # what the timer does every minute
    area.show_section("Home")
    qtbot.waitUntil(lambda: area.home.new_card.number.text() == "2", timeout=10_000)
    assert area.arrivals.text().startswith("1 new concern arrived at ")
    assert POLISH not in area.arrivals.text()
    assert store.inbox.count() == 0
    area.show_section("Concerns")
    wait_count(qtbot, area.concerns, 2)
    assert area.concerns.model.summary(0) is not None
    assert area.concerns.model.summary(0).ref == later  # type: ignore[union-attr]
    # Nothing new: no notice changes, nothing is reloaded.
    area.check_inbox()
    idle(qtbot, window)
    assert area.arrivals.text().startswith("1 new concern arrived at ")


# Search and filters -------------------------------------------------------------------


def test_search_as_you_type_narrows_the_list_and_finds_any_script(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    for name in ("Amelia Kowalska", POLISH, ARABIC, "Noah Smith"):
        submit(store, concern_data(name=name, born=None))
    submit(store, concern_data(name="Olivia Brown", observed="A scratch near the trampoline."))
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    area.show_section("Concerns")
    page = area.concerns
    wait_count(qtbot, page, 5)
    assert unnamed_controls(page) == []

    searches = page.model.generation
    qtbot.keyClicks(page.search, "Kowa")  # a prefix, as typed so far
    wait_count(qtbot, page, 1)
    assert shown_names(page) == {"Amelia Kowalska"}
    assert page.model.generation == searches + 1  # one search for the word, not per letter
    page.search.clear()
    qtbot.keyClicks(page.search, "zazolc")  # Polish name typed on an English keyboard
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.model.generation == searches + 2  # Enter searches without waiting
    wait_count(qtbot, page, 1)
    assert shown_names(page) == {POLISH}
    page.search.setText(ARABIC.split()[0])
    wait_count(qtbot, page, 1)
    assert shown_names(page) == {ARABIC}
    page.search.setText("trampoline")  # what was written, not only names
    wait_count(qtbot, page, 1)
    assert shown_names(page) == {"Olivia Brown"}
    page.search.setText("nobody-by-this-name")
    wait_count(qtbot, page, 0)
    assert page.count_line.text().startswith("No concerns match")
    page.clear_filters()
    wait_count(qtbot, page, 5)


def test_a_result_for_an_older_search_is_dropped(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    for name in ("Amelia Kowalska", "Noah Smith", "Noah Jones"):
        submit(store, concern_data(name=name))
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    session = window.session
    assert isinstance(session, CaseSession)
    model = ConcernListModel(session, window.worker)
    counts: list[int] = []
    model.count_changed.connect(counts.append)
    # Two searches in a row: the first one's page and count arrive first, and must not
    # end up in the list the second one fills.
    model.set_filters(SearchFilters(text="Amelia"))
    model.set_filters(SearchFilters(text="Noah"))
    idle(qtbot, window)
    names = {model.summary(r).child_names for r in range(model.rowCount())}  # type: ignore[union-attr]
    assert names == {"Noah Smith", "Noah Jones"}
    assert [c for c in counts if c >= 0] == [2]


@pytest.mark.qt_log_ignore(*POPUP_WARNINGS)
def test_filters_by_category_status_recorder_and_date(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    submit(store, concern_data(name="Old Neglect", days_ago=40, categories=("neglect",)))
    submit(store, concern_data(name="Sam Recorded", days_ago=2), recorder="Sam Lee")
    submit(store, concern_data(name="Online One", days_ago=1, categories=("online_harm",)))
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    area.show_section("Concerns")
    page = area.concerns
    wait_count(qtbot, page, 3)

    # Categories: a check-list popup, worked with the keyboard.
    page.categories.show_popup()
    assert page.categories.popup.isVisible()
    rows = [page.categories.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(14)]
    page.categories.list.setCurrentRow(rows.index("online_harm"))
    qtbot.keyClick(page.categories.list, Qt.Key.Key_Space)
    qtbot.keyClick(page.categories.list, Qt.Key.Key_Return)
    assert not page.categories.popup.isVisible()
    assert page.categories.chosen() == ("online_harm",)
    assert page.categories.text().startswith("Online harm")
    wait_count(qtbot, page, 1)
    assert shown_names(page) == {"Online One"}
    page.categories.clear()
    wait_count(qtbot, page, 3)

    # Recorder, from the names on the concerns.
    qtbot.waitUntil(lambda: page.recorder.findData("Sam Lee") > 0, timeout=5000)
    page.recorder.setCurrentIndex(page.recorder.findData("Sam Lee"))
    wait_count(qtbot, page, 1)
    assert shown_names(page) == {"Sam Recorded"}
    page.recorder.setCurrentIndex(0)
    wait_count(qtbot, page, 3)

    # Dates: none until ticked; then on or after / on or before.
    page.date_from.date.setDate(QDate.currentDate().addDays(-7))
    wait_count(qtbot, page, 3)  # not ticked: no date
    page.date_from.check.setChecked(True)
    wait_count(qtbot, page, 2)
    assert "Old Neglect" not in shown_names(page)
    page.date_from.check.setChecked(False)
    page.date_to.date.setDate(QDate.currentDate().addDays(-30))
    page.date_to.check.setChecked(True)
    wait_count(qtbot, page, 1)
    assert shown_names(page) == {"Old Neglect"}
    # From after To: said, not searched.
    page.date_from.date.setDate(QDate.currentDate())
    page.date_from.check.setChecked(True)
    assert page.error.text() == "The 'From' date is after the 'To' date."
    page.clear_filters()
    wait_count(qtbot, page, 3)

    # Status: closing one (through the service) and filtering on it.
    session = window.session
    assert isinstance(session, CaseSession)
    ref = page.model.summary(0).ref  # type: ignore[union-attr]
    on_worker(qtbot, window, lambda: casework.set_status(session, ref, "closed", "Not a concern."))
    page.status.setCurrentIndex(page.status.findData(ConcernStatus.CLOSED.value))
    wait_count(qtbot, page, 1)
    assert page.model.summary(0).ref == ref  # type: ignore[union-attr]
    page.status.setCurrentIndex(page.status.findData(ConcernStatus.NEW.value))
    wait_count(qtbot, page, 2)


def test_the_list_loads_a_page_at_a_time(
    qtbot: QtBot, store_dir: StoreFixture, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in range(30):
        submit(store, concern_data(days_ago=day + 1))
    monkeypatch.setattr(paged_model, "PAGE_SIZE", 3)
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    area.show_section("Concerns")
    page = area.concerns
    qtbot.waitUntil(lambda: page.count_line.text() == "30 concerns", timeout=10_000)
    idle(qtbot, window)
    loaded = page.model.rowCount()
    # Pages of 3, as many as fill the view: not all 30.
    assert loaded % 3 == 0 and 3 <= loaded < 30
    while page.model.canFetchMore():
        page.table.scrollToBottom()
        page.model.fetchMore()
        idle(qtbot, window)
    assert page.model.rowCount() == 30
    refs = [page.model.summary(r).ref for r in range(30)]  # type: ignore[union-attr]
    assert len(set(refs)) == 30


def test_home_shows_the_first_follow_ups_and_the_rest_on_request(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    ref = submit(store, concern_data())
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    session = window.session
    assert isinstance(session, CaseSession)
    for n in range(HOME_ROWS + 2):
        on_worker(
            qtbot,
            window,
            lambda n=n: casework.add_follow_up(session, date.today(), f"Task {n}", ref=ref),
        )
    home = case_area(window).home
    home.refresh()
    qtbot.waitUntil(lambda: home.follow_up_card.number.text() == str(HOME_ROWS + 2))
    assert len([t for t in texts(home) if t.startswith("Task ")]) == HOME_ROWS
    click(qtbot, button(home, f"Show all {HOME_ROWS + 2} follow-ups due"))
    assert len([t for t in texts(home) if t.startswith("Task ")]) == HOME_ROWS + 2
    # "Open concern" on a follow-up opens its concern.
    click(qtbot, button(home, "Open concern"))
    view = case_area(window).concerns.view
    assert view is not None and view.ref == ref


def test_home_counts_every_follow_up_due_where_it_lists_the_first_hundred(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    ref = submit(store, concern_data())
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    session = window.session
    assert isinstance(session, CaseSession)

    def add_many() -> None:
        for n in range(105):
            casework.add_follow_up(session, date.today(), f"Task {n}", ref=ref)

    on_worker(qtbot, window, add_many)
    home = case_area(window).home
    home.refresh()
    # The card counts all 105, not the 100 that home() reads to list.
    qtbot.waitUntil(lambda: home.follow_up_card.number.text() == "105", timeout=10_000)
    click(qtbot, button(home, "Show the first 100 of the 105 follow-ups due"))
    assert len([t for t in texts(home) if t.startswith("Task ")]) == 100
    assert any(t.startswith("5 more are due and not listed here") for t in texts(home))


# The Concern view ---------------------------------------------------------------------


def test_open_a_concern_with_the_keyboard_and_go_back(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    data = concern_data(name="Amelia Kowalska", observed=f"A bruise. {CANARY}")
    data["body_map"] = [{"view": "back", "x": 0.5, "y": 0.3, "note": "red mark"}]
    older = submit(store, concern_data(name="Noah Smith", days_ago=4))
    ref = submit(store, data)
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    area = case_area(window)
    area.show_section("Concerns")
    page = area.concerns
    wait_count(qtbot, page, 2)
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # Enter in the search box: to the list
    assert QApplication.focusWidget() is page.table
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.model.summary(page.table.currentIndex().row()).ref == older  # type: ignore[union-attr]
    qtbot.keyClick(page.table, Qt.Key.Key_Up)
    # Copy puts nothing on the clipboard: a child's name would outlive the lock there.
    QApplication.clipboard().setText("nothing from the app")
    qtbot.keyClick(page.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "nothing from the app"
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    view = page.view
    assert view is not None and view.ref == ref
    qtbot.waitUntil(lambda: view.file is not None, timeout=10_000)
    assert QApplication.focusWidget() is view.back_button
    shown = "\n".join(texts(view))
    assert f"A bruise. {CANARY}" in shown
    assert "“My dad grabbed me when I dropped the plates.”" in shown  # the child's words
    assert "Born 2 Mar 2015" in shown and "Group, class or team: Under 11s" in shown
    assert "Mark 1 (back): red mark" in shown
    assert "Already told the Welfare Officer in person? Yes" in shown  # a club's words
    assert view.status_line.text().startswith("New. Recorded by Rita Recorder")
    # Opening is audited by the service.
    session = window.session
    assert isinstance(session, CaseSession)
    entries = on_worker(qtbot, window, lambda: audit_trail.entries(session, 5))
    assert ("concern_opened", {"ref": ref}) in [(e.action, e.detail) for e in entries]

    qtbot.keyClick(view.back_button, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.view is None, timeout=5000)
    assert page.stack.currentWidget() is page.list_page
    assert page.model.summary(page.table.currentIndex().row()).ref == ref  # type: ignore[union-attr]
    assert QApplication.focusWidget() is page.table


def test_link_a_child_by_suggestion_and_by_a_new_record(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    first = submit(store, concern_data(name=POLISH, born="2014-06-01", days_ago=5))
    second = submit(store, concern_data(name=POLISH, born="2014-06-01", days_ago=1))
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)

    view = open_concern(qtbot, window, first)
    assert "Not linked to a child record yet." in texts(view)
    click(qtbot, button(view, "A child not in the records yet: create a record"))
    qtbot.waitUntil(lambda: view.message.text() == "A new child record was made and linked.")
    assert any(
        t.startswith(f"Linked to the child record: {POLISH}, born 1 Jun 2014") for t in texts(view)
    )
    linked = concern_file(qtbot, window, first).children[0].linked
    assert linked is not None and linked.name == POLISH
    assert view.status_line.text().startswith("Open.")  # every child linked: no longer new

    view = open_concern(qtbot, window, second)
    assert unnamed_controls(view) == []
    assert "STRONG MATCH: Same name and date of birth." in texts(view)
    click(qtbot, button(view, "This is the same child"))
    qtbot.waitUntil(lambda: view.message.text() == "Linked.", timeout=10_000)
    file = concern_file(qtbot, window, second)
    assert file.children[0].linked is not None
    assert file.children[0].linked.child_id == linked.child_id
    # "Open child" goes to that child's page.
    click(qtbot, button(view, "Open child"))
    area = case_area(window)
    assert area.pages.currentWidget() is area.children_page


@pytest.mark.qt_log_ignore(DIALOG_WARNING)
def test_a_backdated_action_with_a_follow_up_shows_on_home_when_due(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    ref = submit(store, concern_data())
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    view = open_concern(qtbot, window, ref)
    click(qtbot, view.action_button)
    dialog = view.dialog
    assert isinstance(dialog, AddActionDialog) and dialog.isVisible()
    dialog.follow_up.setChecked(True)
    assert unnamed_controls(dialog) == []
    dialog.follow_up.setChecked(False)
    assert dialog.who.text() == "Dana Lead"
    # Nothing written: the sentence goes under the field, the dialog stays open.
    click(qtbot, dialog.confirm_button)
    assert dialog.field_errors["details"].text() == (
        "The field 'What happened' is empty; please fill it in."
    )
    assert dialog.isVisible()
    # The future is not offered; three days ago is.
    dialog.when.setDateTime(QDateTime.currentDateTime().addDays(2))
    assert dialog.when.dateTime() <= QDateTime.currentDateTime()
    three_days_ago = datetime.now().replace(second=0, microsecond=0) - timedelta(days=3)
    dialog.when.setDateTime(QDateTime(three_days_ago))
    dialog.kind.setCurrentIndex(dialog.kind.findData("contacted_parent"))
    qtbot.keyClicks(dialog.details, "Rang mum; she said Amelia fell off her bike.")
    qtbot.keyClicks(dialog.outcome, "Mum will come in on Monday.")
    dialog.follow_up.setChecked(True)
    dialog.follow_up_on.setDate(QDate.currentDate())
    qtbot.keyClicks(dialog.follow_up_what, "Check in with Amelia")
    click(qtbot, dialog.confirm_button)
    click(qtbot, dialog.confirm_button)  # a double click adds it once
    qtbot.waitUntil(lambda: view.message.text() == "Action added.", timeout=10_000)
    assert view.dialog is None
    shown = texts(view)
    assert "Rang mum; she said Amelia fell off her bike." in shown
    assert "Outcome: Mum will come in on Monday." in shown
    assert any(t.startswith("Due ") and "Check in with Amelia. Due today" in t for t in shown)
    (action,) = concern_file(qtbot, window, ref).actions
    assert action.occurred_at == three_days_ago.isoformat()
    assert action.kind.value == "contacted_parent"

    area = case_area(window)
    area.show_section("Home")
    home = area.home
    qtbot.waitUntil(lambda: home.follow_up_card.number.text() == "1", timeout=10_000)
    assert any(t.startswith("Due today") for t in texts(home))
    assert "Check in with Amelia" in texts(home)
    click(qtbot, button(home, "Mark done…"))
    done = home.done_dialog
    assert isinstance(done, MarkDoneDialog)
    click(qtbot, done.confirm_button)
    assert done.field_errors["note"].text() == "Say briefly what was done."
    # Said on the field at fault too, where the keyboard is put.
    assert done.focusWidget() is done.note
    assert done.note.accessibleDescription() == "Say briefly what was done."
    assert unnamed_controls(done) == []
    qtbot.keyClicks(done.note, "Spoke to her at lunch.")
    click(qtbot, done.confirm_button)
    click(qtbot, done.confirm_button)
    qtbot.waitUntil(lambda: home.follow_up_card.number.text() == "0", timeout=10_000)
    assert "Nothing is due today." in texts(home)


@pytest.mark.qt_log_ignore(DIALOG_WARNING)
def test_a_correction_sits_under_the_original_which_is_unchanged(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    original = "A bruise on the left forearm."
    ref = submit(store, concern_data(observed=original))
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    view = open_concern(qtbot, window, ref)
    click(qtbot, view.amend_button)
    dialog = view.dialog
    assert isinstance(dialog, AmendmentDialog)
    assert unnamed_controls(dialog) == []
    dialog.field.setCurrentIndex(dialog.field.findData("observed"))
    assert dialog.original.text() == original
    assert dialog.correction.toPlainText() == original  # a slip is a small edit
    click(qtbot, dialog.confirm_button)
    assert dialog.field_errors["new_value"].text().startswith("The correction is the same")
    dialog.correction.setPlainText("A bruise on the right forearm.")
    click(qtbot, dialog.confirm_button)
    assert "Reason for the correction" in dialog.field_errors["reason"].text()
    qtbot.keyClicks(dialog.reason, "The coach rang: it was the right arm.")
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: view.message.text() == "Correction added.", timeout=10_000)

    shown = texts(view)
    assert original in shown
    assert "A bruise on the right forearm." in shown
    assert "Reason: The coach rang: it was the right arm." in shown
    heading = shown.index("What was seen and heard")
    # The original, then the correction directly under it, before the next part.
    assert shown.index(original) == heading + 1
    assert (
        heading + 1
        < shown.index("A bruise on the right forearm.")
        < shown.index("The child's own words")
    )
    file = concern_file(qtbot, window, ref)
    assert file.concern.body["observed"] == original
    assert [a.new_value for a in file.amendments] == ["A bruise on the right forearm."]


@pytest.mark.qt_log_ignore(DIALOG_WARNING)
def test_close_with_a_reason_and_reopen(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    ref = submit(store, concern_data())
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    view = open_concern(qtbot, window, ref)
    assert not view.reopen_button.isVisible()
    click(qtbot, view.close_button)
    dialog = view.dialog
    assert isinstance(dialog, CloseConcernDialog)
    assert unnamed_controls(dialog) == []
    click(qtbot, dialog.confirm_button)
    assert dialog.field_errors["reason"].text() == "Say why the concern is being closed."
    qtbot.keyClicks(dialog.reason, "Explained by a fall at football, seen by the coach.")
    click(qtbot, dialog.confirm_button)
    # Escape while it saves: the save cannot be called back, so the dialog stays (what was
    # typed is still there if the save fails) and closes when it is done.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and not dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: view.message.text() == "Closed.", timeout=10_000)
    assert view.status_line.text().startswith("Closed.")
    assert view.reopen_button.isVisible() and not view.close_button.isVisible()
    assert concern_file(qtbot, window, ref).summary.status is ConcernStatus.CLOSED
    assert any("Explained by a fall at football" in t for t in texts(view))  # kept as a note
    click(qtbot, view.reopen_button)
    qtbot.waitUntil(lambda: view.message.text() == "Reopened.", timeout=10_000)
    assert view.status_line.text().startswith("Open.")
    # The list shows the change when the lead goes back to it.
    qtbot.keyClick(view.back_button, Qt.Key.Key_Space)
    page = case_area(window).concerns
    qtbot.waitUntil(
        lambda: page.model.rowCount() == 1 and page.model.summary(0).status is ConcernStatus.OPEN,  # type: ignore[union-attr]
        timeout=10_000,
    )


@pytest.mark.qt_log_ignore(DIALOG_WARNING)
def test_hand_on_and_referral_buttons_open_the_wizard_and_the_referral_dialog(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    ref = submit(store, concern_data())
    session = store.login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    now = datetime.now().replace(microsecond=0)
    decision = HandoffDecision.checked(
        immediate_danger=False,
        police=None,
        allegation_against_adult=False,
        lado=None,
        outcome=Outcome.SOCIAL_CARE,
        situation=ChildSituation(
            urgency=Urgency.SAME_DAY, child_now="At home with her mother tonight."
        ),
        reason="A bruise with an explanation that does not fit.",
        advice=None,
        information_sharing=InformationSharing(
            Consent.NOT_SOUGHT,
            "Asking could put the child at risk.",
            DEFAULT_LAWFUL_BASIS,
            False,
            "The concern is about a parent.",
        ),
        referral=ReferralContent(summary="Bruise on forearm.", risks="Physical harm at home."),
        review_on=None,
        follow_up_on=now.date() + timedelta(days=2),
        follow_up_what="Chase the front door for the outcome.",
        now=now,
    )
    result = record_handoff(session, ref, decision)
    session.lock()
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    qtbot.waitUntil(lambda: area.home.referral_card.number.text() == "1", timeout=10_000)
    view = open_concern(qtbot, window, ref)
    shown = texts(view)
    assert any(t.startswith("Referral to children's social care: decided ") for t in shown)
    assert unnamed_controls(view) == []
    assert unnamed_controls(area.home) == []
    with qtbot.waitSignal(area.handoff_requested, timeout=2000) as handoff:
        click(qtbot, view.handoff_button)
    assert handoff.args == [ref]
    # The area opens the wizard over itself, for this concern.
    (wizard,) = area.findChildren(HandoffWizard)
    qtbot.waitUntil(wizard.isVisible, timeout=5000)
    idle(qtbot, window)
    assert wizard.ref == ref
    wizard.reject()
    qtbot.waitUntil(lambda: area.findChildren(HandoffWizard) == [], timeout=5000)
    assert any(t.startswith(f"{result.referral_refs[0]} · Children's social care") for t in shown)
    with qtbot.waitSignal(area.referral_requested, timeout=2000) as referral:
        click(qtbot, button(view, "Make the referral PDF…"))
    assert referral.args == [result.referral_refs[0]]
    (dialog,) = area.findChildren(ReferralDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    idle(qtbot, window)
    # Locking takes the dialog with the area: nothing of the referral stays on screen.
    window.lock()
    qtbot.waitUntil(lambda: window.findChild(CaseArea) is None, timeout=5000)
    idle(qtbot, window)
    assert window.findChildren(ReferralDialog) == []


# Locking and roles --------------------------------------------------------------------


@pytest.mark.qt_log_ignore(DIALOG_WARNING)
def test_locking_destroys_every_view_that_held_record_text(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    ref = submit(store, concern_data(name=f"Amelia {CANARY}", observed=f"Seen: {CANARY}"))
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    area.show_section("Concerns")
    page = area.concerns
    page.search.setText(CANARY)
    wait_count(qtbot, page, 1)
    view = open_concern(qtbot, window, ref)
    click(qtbot, view.action_button)
    assert isinstance(view.dialog, AddActionDialog)
    qtbot.keyClicks(view.dialog.details, f"Typed {CANARY}")
    session = window.session
    assert isinstance(session, CaseSession)

    window.lock()
    qtbot.waitUntil(lambda: window.findChild(CaseArea) is None, timeout=5000)
    idle(qtbot, window)
    assert session.is_locked
    for kind in (CaseArea, HomePage, ConcernsPage, ConcernView, QDialog, ConcernListModel):
        assert window.findChildren(kind) == [], kind.__name__
    models = [m for m in window.findChildren(QAbstractItemModel) if m.rowCount() > 0]
    leftover = [
        w
        for w in QApplication.allWidgets()
        if (isinstance(w, QLabel) and CANARY in w.text())
        or (isinstance(w, QLineEdit) and CANARY in w.text())
        or (isinstance(w, QPlainTextEdit) and CANARY in w.toPlainText())
    ]
    assert leftover == []
    for model in models:
        cells = [str(model.index(r, 0).data()) for r in range(model.rowCount())]
        assert not any(CANARY in c for c in cells)
    assert not any(isinstance(w, AddActionDialog) for w in QApplication.topLevelWidgets())


def test_a_recorder_never_sees_any_of_it(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    submit(store, concern_data(name=f"Amelia {CANARY}"))
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.recorder)
    assert isinstance(window.session_area, RecorderArea)
    for kind in (CaseArea, HomePage, ConcernsPage, ConcernView, ConcernListModel):
        assert window.findChildren(kind) == [], kind.__name__
    assert not any(CANARY in t for t in texts(window))
    # The concern is still sealed: only a lead's sign-in opens the inbox.
    assert store.inbox.count() >= 1


def test_going_back_while_a_change_is_saved_shows_it_in_the_list(
    qtbot: QtBot, store_dir: StoreFixture, store: Store
) -> None:
    ref = submit(store, concern_data(name=POLISH))
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    area.show_section("Concerns")
    page = area.concerns
    wait_count(qtbot, page, 1)
    assert str(page.model.index(0, concern_models.Column.STATUS).data()) == "New · 1 child to link"
    view = open_concern(qtbot, window, ref)
    click(qtbot, button(view, "A child not in the records yet: create a record"))
    click(qtbot, view.back_button)  # at once, while it is being saved
    assert page.view is None
    idle(qtbot, window)
    assert concern_file(qtbot, window, ref).summary.status is ConcernStatus.OPEN
    assert str(page.model.index(0, concern_models.Column.STATUS).data()) == "Open"
