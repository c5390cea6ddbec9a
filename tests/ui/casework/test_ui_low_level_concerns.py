"""The Low-level concerns page, its dialog and Home's flag, through the real signed-in window."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from conftest import StoreFixture
from safeguard_desktop.domain.date_words import short_date
from safeguard_desktop.domain.low_level_concerns import LowLevelConcern
from safeguard_desktop.services import low_level_concerns
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.ui.casework.low_level_dialog import LowLevelConcernDialog
from safeguard_desktop.ui.casework.low_level_page import LowLevelConcernsPage
from ui_store import case_area, idle, signed_in_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ENTRY = LowLevelConcern(
    occurred_on=date.today() - timedelta(days=40),
    adult_name="Sam Coach",
    adult_role="Assistant coach",
    what_happened="Gave a player a lift home alone after training.",
    action_taken="Reminded him of the code of conduct on lifts.",
)


def test_a_lead_records_low_level_concerns_and_a_pattern_is_flagged(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    session = window.session
    assert isinstance(session, CaseSession)
    assert "Low-level log" in area.section_titles()
    assert area.home.low_level_flag.text() == ""  # nothing to review yet
    area.show_section("Low-level log")
    idle(qtbot, window)
    page = area.low_level
    assert isinstance(page, LowLevelConcernsPage)
    assert page.patterns.text() == "No adult has three low-level concerns in the last 12 months."

    # Nothing typed: every gap under its own field, nothing recorded.
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, LowLevelConcernDialog) and dialog.isVisible()
    assert "Dana Lead" in dialog.recorded_by.text()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    shown = {f for f, line in dialog.field_errors.items() if line.text()}
    assert shown == {"adult_name", "adult_role", "what_happened", "action_taken"}
    assert dialog.occurred_on.maximumDate() == QDate.currentDate()  # never the future

    qtbot.keyClicks(dialog.adult_name, "Sam Coach")
    qtbot.keyClicks(dialog.adult_role, "Assistant coach")
    dialog.what_happened.setPlainText("He was obviously annoyed and shouted at the under 9s.")
    dialog.action_taken.setPlainText("Spoke to him after the session.")
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=15_000)
    idle(qtbot, window)
    assert page.message.text() == "Recorded in the low-level concerns log."
    assert page.entries.rowCount() == 1
    assert page.entries.item(0, 1).text() == "Sam Coach"
    assert page.entries.item(0, 4).text() == "Dana Lead"
    due = date.today().replace(year=date.today().year + 6)
    assert page.entries.item(0, 5).text().endswith(str(due.year))

    # Two more about him in 12 months: a pattern, on the page and on Home (no name there).
    # Through the area's worker, as a page would: its change signal reaches both.
    done: list[object] = []
    for days in (100, 200):
        entry = replace(ENTRY, occurred_on=date.today() - timedelta(days=days))
        area.worker.submit(low_level_concerns.record, session, entry, on_done=done.append)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=15_000)
    idle(qtbot, window)
    assert page.patterns.text().startswith("Pattern to review: Sam Coach (Assistant coach), 3")
    assert page.adults.item(0, 5).text() == "To review"
    flag = area.home.low_level_flag.text()
    assert flag.startswith("Low-level concerns: 1 adult is named three times or more")
    assert "Sam" not in flag
    window.close()


def test_an_entry_due_for_review_is_deleted_once_the_lead_says_the_adult_has_left(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    session = window.session
    assert isinstance(session, CaseSession)
    done: list[object] = []
    long_ago = replace(ENTRY, occurred_on=date.today() - timedelta(days=7 * 365))
    for entry in (long_ago, ENTRY):
        area.worker.submit(low_level_concerns.record, session, entry, on_done=done.append)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=15_000)
    area.show_section("Low-level log")
    idle(qtbot, window)
    page = area.low_level
    assert isinstance(page, LowLevelConcernsPage) and page.entries.rowCount() == 2
    # Newest first: this year's entry is kept whatever is chosen; the old one is due.
    page.entries.selectRow(0)
    assert not page.delete_button.isEnabled()
    page.entries.selectRow(1)
    assert page.entries.item(1, 5).text().endswith("due now")
    assert page.delete_button.isEnabled()
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    assert box is not None and box.isVisible()
    assert "only if Sam Coach no longer works or volunteers here" in box.text()
    assert box.defaultButton().text() == "Cancel"  # Enter keeps the entry
    (yes,) = [b for b in box.buttons() if b.text() == "They have left: delete it"]
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: page.message.text() == "The entry was deleted at its review.", timeout=15_000
    )
    idle(qtbot, window)
    assert page.entries.rowCount() == 1
    assert page.entries.item(0, 0).text() == short_date(ENTRY.occurred_on)
    window.close()
