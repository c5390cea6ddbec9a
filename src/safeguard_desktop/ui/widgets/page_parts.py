"""Pieces pages share: a button sized to hit, a row of buttons, a white card with a heading.

The concern file, Home and Home's alarms lay out their sections with these, so a card or
a button looks the same on each.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ..theme import BUTTON_MIN_HEIGHT, card, heading


def sized_button(text: str, accessible: str, handler: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(accessible)
    button.setMinimumHeight(BUTTON_MIN_HEIGHT)
    button.clicked.connect(handler)
    return button


def section_card(title: str) -> tuple[QFrame, QVBoxLayout]:
    """A white card headed ``title``, and the layout to fill it (a concern file, Home)."""
    frame = card()
    frame.setAccessibleName(title)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 16, 20, 16)
    layout.setSpacing(8)
    layout.addWidget(heading(title, level=2))
    return frame, layout


def button_row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
