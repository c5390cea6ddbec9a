"""No table in the app traps Tab.

Qt's tables take Tab themselves by default, moving cell by cell, so a keyboard user on
People or a child's file could not Tab past the table to the buttons below it. Every
table here goes through theme.table_rows (which turns that off) or turns it off itself;
this test reads ui/ for every table made and fails for one that does neither, and
People's table is then walked with the keyboard.
"""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from conftest import StoreFixture
from repo_paths import REPO
from safeguard_desktop.ui.case_area import CaseArea
from screen_checks import tab_traps
from ui_store import idle, open_main_window, sign_in_lead

UI = REPO / "src" / "safeguard_desktop" / "ui"
TABLES = {"QTableView", "QTableWidget"}


def _name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _tables_and_cures(path: Path) -> tuple[int, int]:
    """How many tables a module makes, and how many times it lets Tab go from one."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tables = cures = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(_name(b) in TABLES for b in node.bases):
            tables += 1
        elif isinstance(node, ast.Call):
            called = _name(node.func)
            if called in TABLES:
                tables += 1
            elif called == "table_rows" or (
                called == "setTabKeyNavigation"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value is False
            ):
                cures += 1
    return tables, cures


def test_every_table_in_the_app_lets_tab_go_on() -> None:
    trapping = []
    found = 0
    for path in sorted(UI.rglob("*.py")):
        tables, cures = _tables_and_cures(path)
        found += tables
        if tables > cures:
            trapping.append(f"{path.relative_to(UI)}: {tables} tables, {cures} let Tab go")
    assert found >= 8  # the walk finds them (people, stations, children, concerns...)
    assert trapping == [], "\n".join(trapping)


def test_tab_leaves_the_people_table(qtbot: QtBot, store_dir: StoreFixture) -> None:
    window = open_main_window(qtbot, store_dir.data_dir)
    area = sign_in_lead(qtbot, window, store_dir.admin)
    assert isinstance(area, CaseArea) and area.people is not None
    area.show_section("People")
    idle(qtbot, window)
    table = area.people.table
    qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=10_000)
    assert tab_traps(area) == []
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert window.focusWidget() is not table
