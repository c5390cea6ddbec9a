"""The Children list's columns (ui/children/children_list.py): every heading and date in
full at any window and text size; only the name gives way, to its least width, and then
the list scrolls sideways."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from conftest import StoreFixture
from fit_screens import SCREENS
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.children.children_list import ChildrenModel
from safeguard_desktop.ui.theme import apply_theme
from safeguard_desktop.ui.widgets import screen_fit
from screen_checks import cut_headers
from ui_store import idle, open_main_window, sign_in_lead


@pytest.mark.parametrize("size", [*SCREENS, "the window's own size"])
def test_no_column_heading_is_cut_and_the_name_keeps_its_least_width(
    qtbot: QtBot,
    qapp: QApplication,
    store_dir: StoreFixture,
    monkeypatch: pytest.MonkeyPatch,
    size: str,
) -> None:
    area, text = SCREENS.get(size, (QRect(0, 0, 1366, 728), 1.0))
    monkeypatch.setattr(screen_fit, "available_area", lambda widget=None: QRect(area))
    font, sheet = qapp.font(), qapp.styleSheet()
    apply_theme(qapp, text)
    try:
        window = open_main_window(qtbot, store_dir.data_dir)
        if size in SCREENS:
            window.resize(screen_fit.largest_client_size(window))
        case = sign_in_lead(qtbot, window, store_dir.admin)
        assert isinstance(case, CaseArea)
        case.show_section("Children")
        idle(qtbot, window)
        table = case.children_page.table
        qtbot.waitUntil(lambda: table.viewport().width() > 100, timeout=5000)
        assert cut_headers(case.children_page) == []
        header = table.horizontalHeader()
        for column, width in table.preferred.items():
            assert header.sectionSize(column) >= width, column
        name = header.sectionSize(ChildrenModel.NAME)
        assert name >= table.name_minimum
        total = sum(header.sectionSize(c) for c in range(header.count()))
        if total > table.viewport().width():
            # What does not fit scrolls sideways rather than being cut.
            assert name == table.name_minimum
            assert table.horizontalScrollBar().maximum() > 0
    finally:
        apply_theme(qapp, 1.0)
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)
