"""The app's look (ui/theme.py): a tick box or radio button with the keyboard is framed
however the focus came, an Alt key included (Qt's own frame follows Tab only)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QRadioButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from safeguard_desktop.ui.theme import apply_theme

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _picture(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


@pytest.mark.parametrize("kind", [QCheckBox, QRadioButton])
@pytest.mark.parametrize(
    "reason", [None, Qt.FocusReason.ShortcutFocusReason, Qt.FocusReason.OtherFocusReason]
)
def test_a_choice_with_the_keyboard_is_framed_however_the_focus_came(
    qtbot: QtBot,
    qapp: QApplication,
    kind: type[QCheckBox | QRadioButton],
    reason: Qt.FocusReason | None,
) -> None:
    font, sheet = qapp.font(), qapp.styleSheet()
    apply_theme(qapp, 1.0)
    try:
        window = QWidget()
        qtbot.addWidget(window)
        layout = QVBoxLayout(window)
        field = QLineEdit()
        choice = kind("&Make backups automatically")
        layout.addWidget(field)
        layout.addWidget(choice)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        field.setFocus(Qt.FocusReason.MouseFocusReason)
        without = _picture(choice)
        if reason is None:  # the Alt key itself
            qtbot.keyClick(field, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
        else:
            choice.setFocus(reason)
        assert choice.hasFocus()
        if kind is QCheckBox and reason is None:
            choice.setChecked(False)  # the Alt key ticked it; the frame is what is compared
        with_focus = _picture(choice)
        assert with_focus != without, "nothing shows which control has the keyboard"
    finally:
        apply_theme(qapp, 1.0)
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)


def test_a_scroll_area_follows_focus_even_when_its_content_holds_one_that_does(
    qtbot: QtBot,
) -> None:
    # A dialog body that holds a scrolling list of its own, wrapped in a scroll area
    # when the screen is small: the outer area must scroll to its fields too.
    from PySide6.QtWidgets import QLabel, QScrollArea

    from safeguard_desktop.ui.theme import FollowFocus, follow_focus, scroll_area

    body = QWidget()
    QVBoxLayout(body).addWidget(scroll_area(QLabel("a list")))
    outer = QScrollArea()
    qtbot.addWidget(outer)
    outer.setWidget(body)
    follow_focus(outer)
    own = Qt.FindChildOption.FindDirectChildrenOnly
    assert outer.findChild(FollowFocus, options=own) is not None
    follow_focus(outer)  # asked again: still one
    assert len(outer.findChildren(FollowFocus, options=own)) == 1
