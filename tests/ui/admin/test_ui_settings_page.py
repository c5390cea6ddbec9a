"""Settings, from the keyboard on a small screen (ui/admin/settings_page.py).

The page scrolls; an Alt key that puts the keyboard in a field further down must bring
that field into sight (Qt's scroll area follows Tab, not Alt keys): the shared
theme.follow_focus does it for every scrolling page.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from conftest import StoreFixture
from safeguard_desktop.ui.case_area import CaseArea
from ui_store import idle, open_main_window, sign_in_lead

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _in_sight(area: QScrollArea, widget: QWidget) -> bool:
    viewport = area.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().intersects(QRect(top_left, widget.size())) and (
        top_left.y() >= 0 and top_left.y() + min(widget.height(), 30) <= viewport.height()
    )


def test_an_alt_key_scrolls_its_field_into_sight(qtbot: QtBot, store_dir: StoreFixture) -> None:
    window = open_main_window(qtbot, store_dir.data_dir)
    window.resize(911, 472)  # 1366 x 768 at 150 %
    area = sign_in_lead(qtbot, window, store_dir.admin)
    assert isinstance(area, CaseArea)
    area.show_section("Settings")
    idle(qtbot, window)
    page = area.settings
    scroller = page.findChild(QScrollArea)
    assert scroller is not None
    labels = [
        label
        for label in page.findChildren(QLabel)
        if label.buddy() is not None
        and "&" in label.text().replace("&&", "")
        and label.isVisibleTo(page)
        and label.buddy().isVisibleTo(page)
        and label.buddy().isEnabled()
    ]
    scroller.verticalScrollBar().setValue(0)
    qtbot.wait(50)
    below = [label for label in labels if not _in_sight(scroller, label.buddy())]
    assert below, "nothing below the fold to reach: the test needs a smaller window"
    missed = []
    for label in below:
        scroller.verticalScrollBar().setValue(0)
        qtbot.wait(20)
        text = label.text().replace("&&", "")
        letter = text[text.index("&") + 1]
        qtbot.keyClick(window, letter.lower(), Qt.KeyboardModifier.AltModifier)
        qtbot.wait(50)
        buddy = label.buddy()
        if window.focusWidget() is not buddy and not buddy.isAncestorOf(window.focusWidget()):
            continue  # the letter belongs to more than one control here; not this test's
        if not _in_sight(scroller, buddy):
            missed.append(label.text())
    assert missed == []
