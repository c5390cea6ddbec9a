"""The Reports page's table: the chart's numbers, categories down, periods across, totals last.

It is there so that nothing depends on seeing the chart or telling its colours apart; it
sizes its own columns so a category name is wrapped, never cut short, at any text size.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ..theme import table_rows, text_width

# The theme's side padding of a table cell (2 x 8 px) and a little to spare.
_NAME_PADDING = 22


def _text(item: QTableWidgetItem | None) -> str:
    return "" if item is None else item.text()


def wrapped(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` with line breaks so that no line is wider than ``width`` (if it can be)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


class CountsTable(QTableWidget):
    """The chart's numbers: categories down, periods across, totals last.

    Always as tall as its rows, so the page scrolls rather than a small box inside it;
    a horizontal scroll bar appears only when many months do not fit across.
    """

    def __init__(self) -> None:
        super().__init__(0, 0)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(False)  # fit_columns breaks the names itself
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setAlternatingRowColors(True)
        table_rows(self)
        # Narrower header padding than the theme's, so twelve months fit across.
        self.horizontalHeader().setStyleSheet("QHeaderView::section { padding: 4px 6px; }")

    def fit_columns(self) -> None:
        """Numbers as narrow as they can be; the category names take the room left.

        Names are never cut short: a long one wraps onto a second line instead, and
        when even that does not fit across, the table scrolls sideways.
        """
        header = self.horizontalHeader()
        columns = self.columnCount()
        if columns == 0 or self.rowCount() == 0:
            return  # nothing to measure (a period with no concerns empties the table)
        header.setStretchLastSection(False)
        # Measured here rather than by ResizeToContents, whose header sizes leave room
        # for a sort arrow this table never shows.
        bold = QFont(self.font())
        bold.setBold(True)
        head_metrics = QFontMetrics(header.font())
        cell_metrics = QFontMetrics(bold)  # the totals are bold
        numbers = 0
        for column in range(1, columns):
            lines = _text(self.horizontalHeaderItem(column)).split("\n")
            cells = [_text(self.item(row, column)) for row in range(self.rowCount())]
            width = 14 + max(
                max(head_metrics.horizontalAdvance(text) for text in lines),
                max(cell_metrics.horizontalAdvance(text) for text in cells),
            )
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
            numbers += width
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        # Names are wrapped here, not by the view: its size hints ignore the theme's
        # cell padding, so a name that only just fits would be cut short with "…".
        names = [item for row in range(self.rowCount()) if (item := self.item(row, 0))]
        full = [str(item.data(Qt.ItemDataRole.AccessibleTextRole)) for item in names]
        widest = max((cell_metrics.horizontalAdvance(text) for text in full), default=0)
        # Capped so that more months fit across at 150 % text; longer names wrap.
        wanted = min(widest + _NAME_PADDING, text_width(22))
        width = max(wanted, self.viewport().width() - numbers)
        header.resizeSection(0, width)
        for item, text in zip(names, full, strict=True):
            item.setText(wrapped(text, cell_metrics, width - _NAME_PADDING))
        self.resizeRowsToContents()
        self.fit_height()

    def fit_height(self) -> None:
        rows = sum(self.rowHeight(row) for row in range(self.rowCount()))
        # The header's hint, not its height: it may not have been laid out yet.
        header = self.horizontalHeader().sizeHint().height()
        height = header + rows + 2 * self.frameWidth()
        content_width = sum(self.columnWidth(c) for c in range(self.columnCount()))
        if content_width > self.viewport().width() + 1:
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns()
