"""A child's chronology on screen: every concern, action, decision and contact in date order.

One row per :class:`ChronologyEntry` (When, What, Summary, By). What the guidance asks a
chronology to make visible is marked in words as well as colour, so nobody depends on
telling shades apart: a concern in a run of repeated concerns says "Repeated: 3+ in 30
days", contact with an agency says "Agency contact", and an entry written down on a later
day than it happened says "recorded later on …" under its time. The full entry of the
selected row is shown underneath in plain text.

Built for long chronologies (hundreds of entries): a row's text is worked out when the
row is first shown, rows have one fixed height, and no column is sized by reading every
row, so showing 500 entries costs one model reset and the rows on screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.chronology import REPEAT_COUNT, REPEAT_WINDOW_DAYS
from safeguard_desktop.domain.chronology_timing import recorded_later_on, when_words
from safeguard_desktop.domain.records import ChronologyEntry
from safeguard_desktop.domain.text import display_safe, single_line

from ..casework.concern_models import local_day, local_when
from ..theme import card, hint
from ..widgets.record_text import record_label
from ..widgets.table_keys import TableKeys

REPEATED_FILL = QColor("#fbe3b8")
AGENCY_FILL = QColor("#dfeaf7")
# Lines of text in a row: a wrapped title and its marker, or a time and "recorded later".
ROW_LINES = 3

_Index = QModelIndex | QPersistentModelIndex


def fitting_width(view: QAbstractItemView, *samples: str) -> int:
    """A column width that shows the widest of ``samples`` in full, padding included."""
    metrics = view.fontMetrics()
    return max(metrics.horizontalAdvance(sample) for sample in samples) + 28


@dataclass(frozen=True)
class _Row:
    cells: tuple[str, str, str, str]
    entry: ChronologyEntry
    marks: tuple[str, ...]


class ChronologyModel(QAbstractTableModel):
    """The entries of one chronology, read-only.

    A row's cell text is worked out the first time the row is shown and kept: only the
    rows on screen pay for it, so 500 entries appear as fast as 10.
    """

    WHEN, WHAT, SUMMARY, BY = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ChronologyEntry] = []
        self._rows: dict[int, _Row] = {}
        self._names: Mapping[str, str] = {}
        self._headers = (self.tr("When"), self.tr("What"), self.tr("Summary"), self.tr("By"))
        self.repeated_mark = self.tr("Repeated: {n}+ in {days} days").format(
            n=REPEAT_COUNT, days=REPEAT_WINDOW_DAYS
        )
        self.agency_mark = self.tr("Agency contact")
        self._repeated_brush = QBrush(REPEATED_FILL)
        self._agency_brush = QBrush(AGENCY_FILL)

    def set_entries(
        self, entries: Sequence[ChronologyEntry], names: Mapping[str, str] | None = None
    ) -> None:
        """Show ``entries`` (already in date order); ``names`` maps user names to names."""
        self.beginResetModel()
        self._entries = list(entries)
        self._rows = {}
        self._names = dict(names or {})
        self.endResetModel()

    def _row(self, row: int) -> _Row:
        found = self._rows.get(row)
        if found is None:
            found = self._rows[row] = self._make_row(self._entries[row])
        return found

    def _make_row(self, entry: ChronologyEntry) -> _Row:
        when = when_words(entry.when)
        later = recorded_later_on(entry)
        if later is not None:
            when += "\n" + self.tr("recorded later on {day}").format(day=local_day(later))
        marks: list[str] = []
        if entry.repeated:
            marks.append(self.repeated_mark)
        if entry.agency_contact:
            marks.append(self.agency_mark)
        what = "\n".join([single_line(display_safe(entry.title)), *marks])
        by = self._names.get(entry.by, entry.by)
        return _Row(
            (when, what, single_line(display_safe(entry.summary)), display_safe(by)),
            entry,
            tuple(marks),
        )

    def entry(self, row: int) -> ChronologyEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def entries(self) -> list[ChronologyEntry]:
        return list(self._entries)

    def marks(self, row: int) -> tuple[str, ...]:
        return self._row(row).marks if 0 <= row < len(self._entries) else ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._row(index.row()).cells[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            entry = self._entries[index.row()]
            if entry.repeated:
                return self._repeated_brush
            if entry.agency_contact:
                return self._agency_brush
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


class _EntryTable(QTableView):
    """Column widths follow the table's width, so the summary keeps a fair share of it
    at any window size and any text size.
    """

    def __init__(self) -> None:
        super().__init__()
        self.when_width = 0  # the width that shows "recorded later on 30 Sep 2026" in full
        # Enter opens the entry's concern, as a double-click does; Copy copies nothing.
        self.keys = TableKeys(self)
        self.setTabKeyNavigation(False)  # Tab goes on past the table, never cell by cell

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.share_widths()

    def share_widths(self) -> None:
        width = self.viewport().width()
        header = self.horizontalHeader()
        when = min(self.when_width, int(width * 0.22))
        what = int(width * 0.26)
        header.resizeSection(ChronologyModel.WHEN, when)
        header.resizeSection(ChronologyModel.WHAT, what)
        header.resizeSection(ChronologyModel.BY, int(width * 0.15))
        # Narrow columns (large text, small window) wrap the time and the title: a row
        # then gets a line more, so the marks under the title are never cut off.
        metrics = self.fontMetrics()
        roomy = when >= self.when_width and what >= metrics.averageCharWidth() * 36
        lines = ROW_LINES if roomy else ROW_LINES + 1
        height = metrics.lineSpacing() * lines + 12
        if self.verticalHeader().defaultSectionSize() != height:
            self.verticalHeader().setDefaultSectionSize(height)


class ChronologyView(QWidget):
    """The chronology table, a key to its marks, and the selected entry in full.

    Opening an entry (double-click or Enter) opens its concern; a file attached to the
    child's file alone has none, and asks for the file instead (``attachment_requested``).
    """

    concern_requested = Signal(str)
    attachment_requested = Signal(int)  # attachment id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChronologyModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        # Buttons from the page (add_buttons) sit in a row above the key.
        self.top_row = QHBoxLayout()
        self.top_row.setSpacing(8)
        self.top_row.addStretch(1)
        layout.addLayout(self.top_row)
        self.key = hint(
            self.tr(
                "Oldest first. Amber: repeated concerns. Blue: contact with an agency. "
                "Double-click or press Enter to open an entry's concern."
            )
        )
        layout.addWidget(self.key)

        self.table = _EntryTable()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Chronology entries"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        # One fixed height for every row: nothing has to measure 500 rows of text.
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(QFontMetrics(self.table.font()).lineSpacing() * ROW_LINES + 12)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ChronologyModel.SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.table.when_width = fitting_width(
            self.table, self.tr("recorded later on {day}").format(day="30 Sep 2026")
        )
        self.table.share_widths()
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.keys.open_requested.connect(self._open)
        # The selected entry in full under the table (the table cuts long text short);
        # the line between them can be dragged.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        layout.addWidget(self.splitter, 1)

        self.detail_card = card()
        detail_layout = QVBoxLayout(self.detail_card)
        detail_layout.setContentsMargins(14, 10, 14, 10)
        self.detail = record_label("", self.tr("The selected entry"))
        detail_layout.addWidget(self.detail)
        self.splitter.addWidget(self.detail_card)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._show_detail(None)

    def set_entries(
        self, entries: Sequence[ChronologyEntry], names: Mapping[str, str] | None = None
    ) -> None:
        self.model.set_entries(entries, names)
        self._show_detail(None)

    def add_buttons(self, *buttons: QPushButton) -> None:
        """Put the page's buttons (add an action, save as PDF) above the table."""
        for position, button in enumerate(buttons):
            self.top_row.insertWidget(position, button)

    def row_count(self) -> int:
        return self.model.rowCount()

    def _open(self, row: int) -> None:
        entry = self.model.entry(row)
        if entry is None:
            return
        if entry.ref:
            self.concern_requested.emit(entry.ref)
        elif entry.kind == "attachment":
            self.attachment_requested.emit(entry.source_id)

    def _selection_changed(self, selected: QItemSelection, _: QItemSelection) -> None:
        rows = selected.indexes()
        self._show_detail(rows[0].row() if rows else None)

    def _show_detail(self, row: int | None) -> None:
        entry = self.model.entry(row) if row is not None else None
        if entry is None:
            self.detail.setText(
                self.tr("Nothing recorded yet.")
                if self.model.rowCount() == 0
                else self.tr("Choose an entry to read it in full here.")
            )
            return
        assert row is not None
        by = self.model.index(row, ChronologyModel.BY).data()
        notes = list(self.model.marks(row))
        later = recorded_later_on(entry)
        if later is not None:
            notes.append(
                self.tr("recorded later, on {day}").format(day=local_when(entry.recorded_at))
            )
        source = [self.tr("By {by}").format(by=by)] if by else []
        if entry.ref:
            source.append(self.tr("concern {ref}").format(ref=entry.ref))
        lines = [f"{when_words(entry.when)}  ·  {display_safe(entry.title)}"]
        if notes:
            lines.append("  ·  ".join(notes))
        lines.append(display_safe(entry.summary))
        if source:
            lines.append("  ·  ".join(source))
        self.detail.setText("\n".join(lines))
