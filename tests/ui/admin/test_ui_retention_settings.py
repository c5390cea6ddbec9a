"""Settings' "Keeping children's files", in the real window on a real store: a club's
administrator sets the years after the last entry and every open file follows, a lead
sees the period without changing it, and a school is told its fixed rule instead."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.services import casework, retention
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.children.child_page import KEEPING_TAB
from ui_store import build_store, case_area, idle, open_child, signed_in_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _years_on(day: date, years: int) -> date:
    return day.replace(year=day.year + years)


@pytest.fixture
def club_child(store_dir: StoreFixture) -> tuple[StoreFixture, int]:
    """The template store (a club) with one child's file, written today."""
    ref = submit(Store.open(store_dir.data_dir), concern_data())
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        child_id = casework.create_child_for(session, ref, 0).id
    finally:
        session.lock()
    return store_dir, child_id


def test_a_clubs_administrator_sets_the_years_and_every_file_follows(
    qtbot: QtBot, club_child: tuple[StoreFixture, int]
) -> None:
    fixture, child_id = club_child
    today = date.today()
    window = signed_in_window(qtbot, fixture.data_dir, fixture.admin)
    area = case_area(window)
    child = open_child(qtbot, window, child_id)
    child.tabs.setCurrentIndex(KEEPING_TAB)
    assert child.keeping_tab.until.text() == f"Kept until {long_date(_years_on(today, 6))}"

    area.show_section("Settings")
    idle(qtbot, window)
    part = area.settings.retention
    assert part.period.isVisible() and not part.school_rule.isVisible()
    assert part.years.value() == 6 and part.years.isEnabled()
    part.years.setValue(9)
    qtbot.mouseClick(part.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert part.message.text().startswith("Saved.")
    session = window.session
    assert isinstance(session, CaseSession)
    assert window.worker.submit(retention.years_after_last, session).result(timeout=10) == 9
    # The child's file, still open under Children, read again with its new date when the
    # section is chosen again.
    area.show_section("Children")
    idle(qtbot, window)
    assert area.children_page.child_page is child
    assert child.keeping_tab.until.text() == f"Kept until {long_date(_years_on(today, 9))}"
    window.sign_out()
    idle(qtbot, window)

    lead = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    lead_area = case_area(lead)
    lead_area.show_section("Settings")
    idle(qtbot, lead)
    seen = lead_area.settings.retention
    assert seen.years.value() == 9
    assert not seen.years.isEnabled() and not seen.save_button.isVisible()


def test_a_school_is_told_its_fixed_rule(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir, _ = build_store(
        tmp_path,
        org="Hillside Primary (test)",
        org_type=OrgType.SCHOOL,
        admin=("head", "Hana Head", "head-password-1"),
    )
    window = signed_in_window(qtbot, data_dir, ("head", "head-password-1"))
    area = case_area(window)
    area.show_section("Settings")
    idle(qtbot, window)
    part = area.settings.retention
    assert part.school_rule.isVisible() and not part.period.isVisible()
    assert "until the child is 25" in part.school_rule.text()
