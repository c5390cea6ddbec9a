"""Pieces pages share: a button sized to hit, a row of buttons, a white card with a heading,
a field inside its sentence.

The concern file, Home and Home's alarms lay out their sections with these, so a card or
a button looks the same on each.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..theme import BUTTON_MIN_HEIGHT, MessageLine, card, heading, readable_column, scroll_area


def footed_page(page: QWidget, body: QWidget, footer: QWidget, characters: int = 90) -> QScrollArea:
    """``body`` scrolling on ``page``, ``footer`` (progress, messages, the buttons) below a
    line and always in view: at 150 % text the fields above need the whole screen. Both in
    a readable column. Returns the scroll area."""
    rule = QFrame()
    rule.setFrameShape(QFrame.Shape.HLine)
    rule.setStyleSheet("color: #d5dae0;")
    scroller = scroll_area(readable_column(body, characters))
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(0)
    outer.addWidget(scroller, 1)
    outer.addWidget(rule)
    outer.addWidget(readable_column(footer, characters))
    return scroller


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


class FlowLayout(QLayout):
    """Widgets left to right, going on to a new line when the width runs out: a row of
    buttons that stays whole on a small screen instead of squeezing its words."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add_layout(self, layout: QLayout) -> None:
        """A group kept together on one line (a label and its field)."""
        self.addChildLayout(layout)
        self.addItem(layout)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        shown = [item for item in self._items if not item.isEmpty()]
        width = sum(item.sizeHint().width() for item in shown) + self._gap * max(len(shown) - 1, 0)
        height = max((item.sizeHint().height() for item in shown), default=0)
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x = area.x()
                y += line_height + self._gap
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


def button_row(*widgets: QWidget) -> QLayout:
    """Buttons side by side, going on to a second line on a narrow screen."""
    row = FlowLayout()
    for widget in widgets:
        row.addWidget(widget)
    return row


def field_in_words(caption: str, field: QWidget, after: str) -> QHBoxLayout:
    """A field inside its sentence ("Lock automatically after [5 minutes] without use."):
    ``caption`` (with the field's Alt key) before it, ``after`` behind it, room to spare
    at the end."""
    row = QHBoxLayout()
    label = QLabel(caption)
    label.setBuddy(field)
    row.addWidget(label)
    row.addWidget(field)
    row.addWidget(QLabel(after))
    row.addStretch(1)
    return row


def save_button_and_message(
    layout: QBoxLayout, text: str, accessible: str, on_save: Callable[[], None], result: str
) -> tuple[QPushButton, MessageLine]:
    """A settings part's Save button on a line of its own, and the line under it that
    says whether it saved (``result`` is that line's name for a screen reader)."""
    button = QPushButton(text)
    button.setAccessibleName(accessible)
    button.clicked.connect(on_save)
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    message = MessageLine(result)
    layout.addWidget(message)
    return button, message
