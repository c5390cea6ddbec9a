"""Tabs whose names go on to a second line when the window is narrow, rather than hide.

A QTabBar keeps its tabs on one line: at 150 % text on a 1366 x 768 screen the eight parts
of a child's file need more width than there is, and the last of them were reached only
through two small scroll arrows, their names out of sight. Here each tab is a flat
button that can stay pressed, in a :class:`FlowLayout` above the pages, so every name is
always seen. For the keyboard it is still a tab bar: one Tab stop (the open tab), Left and
Right move along the tabs and open them, and each tab's Alt key opens it. The methods a
page calls are QTabWidget's (addTab, setTabText, tabText, setCurrentIndex...), so a page
swaps one for the other.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .page_parts import FlowLayout

_PREVIOUS = (Qt.Key.Key_Left, Qt.Key.Key_Up)
_NEXT = (Qt.Key.Key_Right, Qt.Key.Key_Down)


class WrappingTabs(QWidget):
    """The tab names above, the open tab's page below. ``currentChanged(index)``."""

    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strip = QFrame()
        self.strip.setProperty("sgRole", "tabs")
        self.strip.setAccessibleName(self.tr("Tabs"))
        self._flow = FlowLayout(self.strip, spacing=2)
        self._stack = QStackedWidget()
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idClicked.connect(self.setCurrentIndex)
        self._buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.strip)
        layout.addWidget(self._stack, 1)

    # QTabWidget's methods, those the pages use ---------------------------------------------

    def addTab(self, page: QWidget, text: str) -> int:
        index = len(self._buttons)
        button = QPushButton(text)
        button.setProperty("sgRole", "tab")
        button.setCheckable(True)
        button.setAccessibleName(_plain(text))
        button.installEventFilter(self)
        self._group.addButton(button, index)
        self._flow.addWidget(button)
        self._buttons.append(button)
        self._stack.addWidget(page)
        if index == 0:
            self.setCurrentIndex(0)
        else:
            self._show_current()
        return index

    def count(self) -> int:
        return len(self._buttons)

    def tabText(self, index: int) -> str:
        return self._buttons[index].text() if 0 <= index < self.count() else ""

    def setTabText(self, index: int, text: str) -> None:
        if 0 <= index < self.count():
            self._buttons[index].setText(text)
            self._buttons[index].setAccessibleName(_plain(text))

    def currentIndex(self) -> int:
        return self._stack.currentIndex()

    def setCurrentIndex(self, index: int) -> None:
        if not 0 <= index < self.count():
            return
        changed = index != self._stack.currentIndex()
        self._stack.setCurrentIndex(index)
        self._show_current()
        if changed:
            self.currentChanged.emit(index)

    def currentWidget(self) -> QWidget | None:
        return self._stack.currentWidget()

    def setCurrentWidget(self, page: QWidget) -> None:
        self.setCurrentIndex(self._stack.indexOf(page))

    def widget(self, index: int) -> QWidget | None:
        return self._stack.widget(index)

    def indexOf(self, page: QWidget) -> int:
        return self._stack.indexOf(page)

    def tab_button(self, index: int) -> QPushButton:
        """The name of tab ``index`` as shown (a button)."""
        return self._buttons[index]

    # The keyboard --------------------------------------------------------------------------

    def _show_current(self) -> None:
        current = self._stack.currentIndex()
        for index, button in enumerate(self._buttons):
            button.setChecked(index == current)
            # One Tab stop, as a tab bar has: the open tab; the arrows go along the others.
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if index == current else Qt.FocusPolicy.ClickFocus
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        at = next((i for i, button in enumerate(self._buttons) if button is watched), None)
        if (
            at is not None
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and event.key() in (*_PREVIOUS, *_NEXT)
        ):
            step = -1 if event.key() in _PREVIOUS else 1
            index = (at + step) % self.count()
            self.setCurrentIndex(index)
            self._buttons[index].setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return super().eventFilter(watched, event)


def _plain(text: str) -> str:
    """A tab's words without its Alt key's "&" (a literal "&&" stays one "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")
