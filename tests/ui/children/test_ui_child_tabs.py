"""The tabs of a child's file (widgets/wrapping_tabs.py): every name in view on a narrow
page, and a tab bar's keys (issue 19: eight tabs needed scroll arrows at 150 %)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from safeguard_desktop.ui.widgets.wrapping_tabs import WrappingTabs

# Offscreen Qt says this once per window shown; it is about the platform, not the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

NAMES = (
    "C&hronology (12)",
    "&Details",
    "Ho&usehold (2)",
    "Professio&nals (1)",
    "Conc&erns (1)",
    "Follo&w-ups (3)",
    "Statuses and p&lans (1)",
    "Histor&y (1)",
)


def make(qtbot: QtBot, width: int) -> tuple[QWidget, WrappingTabs, QLineEdit]:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    before = QLineEdit()
    before.setAccessibleName("Before")
    layout.addWidget(before)
    tabs = WrappingTabs()
    for name in NAMES:
        tabs.addTab(QLabel(name), name)
    layout.addWidget(tabs)
    window.resize(width, 400)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window, tabs, before


def test_every_name_is_in_view_on_a_narrow_page(qtbot: QtBot) -> None:
    window, tabs, _ = make(qtbot, 480)
    qtbot.wait(20)
    assert window.isVisible()
    rows = {tabs.tab_button(i).y() for i in range(tabs.count())}
    assert len(rows) > 1  # on more than one line
    for index in range(tabs.count()):
        button = tabs.tab_button(index)
        assert button.isVisible()
        assert button.geometry().right() <= tabs.strip.contentsRect().right()
        assert button.width() >= button.sizeHint().width()  # the whole name
        assert button.accessibleName() == NAMES[index].replace("&", "")


def test_one_tab_stop_the_arrows_and_the_alt_keys(qtbot: QtBot) -> None:
    window, tabs, before = make(qtbot, 1200)
    assert window.isVisible()
    changed: list[int] = []
    tabs.currentChanged.connect(changed.append)
    before.setFocus()
    # Tab stops once, on the open tab, as a tab bar does.
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tabs.tab_button(0)
    # Right and Left open the next and the previous tab, round from the last to the first.
    qtbot.keyClick(tabs.tab_button(0), Qt.Key.Key_Right)
    assert tabs.currentIndex() == 1 and QApplication.focusWidget() is tabs.tab_button(1)
    assert tabs.currentWidget() is tabs.widget(1)
    qtbot.keyClick(tabs.tab_button(1), Qt.Key.Key_Left)
    qtbot.keyClick(tabs.tab_button(0), Qt.Key.Key_Left)
    assert tabs.currentIndex() == tabs.count() - 1
    assert changed == [1, 0, tabs.count() - 1]
    assert tabs.tab_button(tabs.count() - 1).isChecked()
    assert not tabs.tab_button(0).isChecked()
    # A tab's Alt key opens it.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tabs.currentIndex() == 5, timeout=2000)
    # A count changed in a name: shown and said.
    tabs.setTabText(5, "Follo&w-ups (4)")
    assert tabs.tabText(5) == "Follo&w-ups (4)"
    assert tabs.tab_button(5).accessibleName() == "Follow-ups (4)"
