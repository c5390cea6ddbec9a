"""The keys of a table of records: Enter opens the current row, Copy copies nothing.

Qt's item views put the current cell's text on the clipboard on Ctrl+C. In a table of
records that is a child's name or a concern's summary, and the clipboard outlives the
lock that destroys every view, so here the key does nothing. Enter opens the current
row on every platform, as a double-click does (Qt's own "activate" key differs by
platform and style).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class TableKeys(QObject):
    """Watches ``view``'s keys (and is owned by it); ``open_requested(row)`` on Enter."""

    open_requested = Signal(int)

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            if event.matches(QKeySequence.StandardKey.Copy):
                return True
            current = self._view.currentIndex()
            if event.key() in _ENTER and current.isValid():
                self.open_requested.emit(current.row())
                return True
        return super().eventFilter(watched, event)
