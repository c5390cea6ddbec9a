"""The Concerns page: search as you type, filters, the lazy list, and the Concern view.

The search runs on the worker 250 ms after the last key (FTS5 over children's names and
everything written, inside the encrypted database); filters apply at once. The list is a
``ConcernListModel``: pages of 200, fetched as the view scrolls, so 100,000 concerns cost
no more to show than 200. A result that arrives after a newer search is dropped.

Enter or a double-click opens a concern in the Concern view, in place of the list;
"Back to the list" (or Escape) returns to the same row.

After any change to a concern or a child (``on_changes``, from the records area's one
signal: a new concern from the inbox, an action added in the view, a decision recorded)
the list is read again if it is in view at its top, and otherwise when it is next shown,
so it never moves under the lead's eyes.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.casework import ConcernStatus
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services import casework
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import BUTTON_MIN_HEIGHT, MessageLine, heading, hint, table_rows, text_width
from ..widgets.page_parts import FlowLayout
from ..widgets.record_in_place import back_to_list, show_in_place
from ..widgets.table_keys import TableKeys
from ..widgets.typing_pause import TypingPause
from ..worker import Failure
from .concern_filters import CategoryFilter, OptionalDate
from .concern_models import Column, ConcernListModel, column_titles
from .concern_view import ConcernView


def _recorders(session: CaseSession) -> list[str]:
    return casework.recorders(session)


class ConcernTable(QTableView):
    """A read-only list of concerns, a row at a time; Enter opens the current one on every
    platform (``open_requested``) and Copy copies nothing (ui/widgets/table_keys.py). The Concerns
    page's list and Home's newest concerns."""

    open_requested = Signal(QModelIndex)
    resized = Signal()

    def __init__(self, model: ConcernListModel, accessible_name: str) -> None:
        super().__init__()
        self.setModel(model)
        self.setAccessibleName(accessible_name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        table_rows(self)
        TableKeys(self).open_requested.connect(self._open_row)

    def ideal_widths(self) -> dict[Column, int]:
        """Widths measured from the font, never ResizeToContents: measuring rows as pages
        arrive would cost more the longer the list grows, and make the columns jump."""
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        titles = column_titles()
        padding = 28

        def fit(column: Column, sample: str, *, strong: bool = False) -> int:
            used = bold_metrics if strong else metrics
            width = max(used.horizontalAdvance(sample), metrics.horizontalAdvance(titles[column]))
            return width + padding

        # A wide reference, in bold as an immediate-danger row shows it.
        return {
            Column.REF: fit(Column.REF, "C-MWHQ-D8NW", strong=True),
            Column.DANGER: fit(Column.DANGER, self.tr("YES"), strong=True),
            Column.WHEN: fit(Column.WHEN, "28 Nov 2026, 17:21"),
            Column.CHILDREN: text_width(22),
            Column.STATUS: fit(Column.STATUS, self.tr("Closed · 2 children to link")),
            Column.CATEGORIES: text_width(22),
            Column.RECORDER: text_width(16),
        }

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def _open_row(self, row: int) -> None:
        self.open_requested.emit(self.model().index(row, 0))


class ConcernsPage(QWidget):
    """Search and filters over all concerns, and the Concern view in place of the list."""

    child_requested = Signal(int)
    handoff_requested = Signal(str)
    referral_requested = Signal(str)

    def __init__(self, session: CaseSession, worker: CaseWorker) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        worker.changed.connect(self.on_changes)
        self.view: ConcernView | None = None
        self._ideal_widths: dict[Column, int] = {}
        self._started = False
        self._dirty = False
        self._reselect = ""
        self._recorder_names: list[str] = []

        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.list_page = QWidget()
        self.stack.addWidget(self.list_page)
        layout = QVBoxLayout(self.list_page)
        layout.setContentsMargins(28, 20, 28, 16)
        layout.setSpacing(10)

        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Concerns")), 1)
        self.refresh_button = QPushButton(self.tr("Re&fresh the list"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the list"))
        self.refresh_button.clicked.connect(self.reload_list)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        search_label = QLabel(self.tr("&Search"))
        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Search concerns"))
        self.search.setPlaceholderText(self.tr("A child's name, or any words from a concern"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(200)
        search_label.setBuddy(self.search)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        layout.addLayout(search_row)

        self.categories = CategoryFilter()
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        self.status.addItem(self.tr("Any status"), "")
        for status in ConcernStatus:
            self.status.addItem(self.tr(status.label), status.value)
        self.recorder = QComboBox()
        self.recorder.setAccessibleName(self.tr("Recorder"))
        self.recorder.addItem(self.tr("Anyone"), "")
        self.recorder.setMinimumContentsLength(14)
        self.recorder.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        today = QDate.currentDate()
        self.date_from = OptionalDate(
            self.tr("Fro&m"), self.tr("Happened on or after"), today.addMonths(-1)
        )
        self.date_to = OptionalDate(self.tr("&To"), self.tr("Happened on or before"), today)
        self.clear_button = QPushButton(self.tr("&Clear search and filters"))
        self.clear_button.setAccessibleName(self.tr("Clear search and filters"))
        self.clear_button.clicked.connect(self.clear_filters)
        # The filters go on to more lines as the window narrows, each label beside its field.
        filters = FlowLayout(spacing=10)
        when = QLabel(self.tr("When it happened:"))
        # Each group stays together on one line: a label (with its Alt key) and its field.
        groups: tuple[tuple[str | None, tuple[QWidget, ...]], ...] = (
            (self.tr("C&ategory"), (self.categories,)),
            (self.tr("Stat&us"), (self.status,)),
            (self.tr("Recor&der"), (self.recorder,)),
            (None, (when, self.date_from, self.date_to)),
            (None, (self.clear_button,)),
        )
        for label_text, widgets in groups:
            group = QHBoxLayout()
            group.setSpacing(6)
            if label_text is not None:
                label = QLabel(label_text)
                label.setBuddy(widgets[0])
                group.addWidget(label)
            for widget in widgets:
                group.addWidget(widget)
            filters.add_layout(group)
        layout.addLayout(filters)

        self.count_line = QLabel(self.tr("Searching…"))
        self.count_line.setAccessibleName(self.tr("Number of concerns found"))
        font = self.count_line.font()
        font.setBold(True)
        self.count_line.setFont(font)
        self.error = MessageLine(self.tr("Problem"))
        counts = QHBoxLayout()
        counts.addWidget(self.count_line)
        counts.addWidget(self.error, 1)
        layout.addLayout(counts)

        self.model = ConcernListModel(session, worker, self)
        self.table = ConcernTable(self.model, self.tr("Concerns found"))
        self._size_columns()
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open the concern"))
        self.open_button.setAccessibleName(self.tr("Open the selected concern"))
        self.open_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_current)
        bottom.addWidget(self.open_button)
        bottom.addWidget(hint(self.tr("Enter or a double-click opens a concern. Newest first.")), 1)
        layout.addLayout(bottom)

        self._typing = TypingPause(self.search, self.run_search)
        self.search.returnPressed.connect(self._search_now_and_go_to_list)
        self.categories.changed.connect(self.run_search)
        self.status.currentIndexChanged.connect(lambda _: self.run_search())
        self.recorder.currentIndexChanged.connect(lambda _: self.run_search())
        self.date_from.changed.connect(self.run_search)
        self.date_to.changed.connect(self.run_search)
        self.model.count_changed.connect(self._show_count)
        self.model.failed.connect(self.error.show_error)
        self.model.first_page_loaded.connect(self._first_page_loaded)
        self.table.resized.connect(self._fit_columns)
        self.table.open_requested.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _: self.open_button.setEnabled(current.isValid())
        )

    def _size_columns(self) -> None:
        self._ideal_widths = self.table.ideal_widths()
        header = self.table.horizontalHeader()
        for column in Column:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(text_width(6))
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Each column its measured width; room to spare goes to Children and Categories.

        When the window is too narrow (150 % text on a laptop) the columns keep their
        widths and the list scrolls sideways, rather than squeezing names to "A…".
        """
        header = self.table.horizontalHeader()
        spare = max(0, self.table.viewport().width() - 2 - sum(self._ideal_widths.values()))
        for column, width in self._ideal_widths.items():
            extra = 0
            if column == Column.CHILDREN:
                extra = spare * 2 // 3
            elif column == Column.CATEGORIES:
                extra = spare - spare * 2 // 3
            header.resizeSection(column, width + extra)

    # Searching ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Called when the page is shown: first search, or again if something changed."""
        self._load_recorders()
        if not self._started:
            self._started = True
            self.run_search()
        elif self._dirty and self.view is None:
            self.reload_list()

    @property
    def searching(self) -> bool:
        """Typing is being waited out, or the current search's answer is on its way."""
        return self._typing.waiting or self.model.loading

    def filters(self) -> SearchFilters:
        status = str(self.status.currentData() or "")
        return SearchFilters(
            text=self.search.text(),
            categories=self.categories.chosen(),
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            status=ConcernStatus(status) if status else None,
            recorder=str(self.recorder.currentData() or ""),
        )

    def run_search(self) -> None:
        self._typing.cancel()
        self._started = True
        self._dirty = False
        filters = self.filters()
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            self.error.show_error(self.tr("The 'From' date is after the 'To' date."))
            return
        self.error.clear_message()
        self.model.set_filters(filters)

    def reload_list(self) -> None:
        """The same search again, keeping the selected concern selected if it is loaded."""
        current = self.model.summary(self.table.currentIndex().row())
        self._reselect = current.ref if current is not None else ""
        self.run_search()

    def on_changes(self, changes: Changes) -> None:
        """A concern or child changed (or arrived): show it unless that would move the list.

        The open Concern view reads itself again (concern_view.py)."""
        if not (changes.concerns or changes.children):
            return
        self._load_recorders()
        at_top = self.table.verticalScrollBar().value() == 0
        if self.view is None and self.stack.currentWidget() is self.list_page and at_top:
            self.reload_list()
        else:
            self._dirty = True

    def show_status(self, status: str) -> None:
        """The list with only this status (from a card on Home), other filters cleared."""
        self.close_view()
        self._clear_quietly()
        index = self.status.findData(status)
        self.status.blockSignals(True)
        self.status.setCurrentIndex(max(index, 0))
        self.status.blockSignals(False)
        self.run_search()
        self.table.setFocus()

    def clear_filters(self) -> None:
        self._clear_quietly()
        self.run_search()
        self.search.setFocus()

    def _clear_quietly(self) -> None:
        for widget in (self.search, self.status, self.recorder, self.date_from, self.date_to):
            widget.blockSignals(True)
        self.search.clear()
        self.status.setCurrentIndex(0)
        self.recorder.setCurrentIndex(0)
        self.date_from.clear()
        self.date_to.clear()
        for widget in (self.search, self.status, self.recorder, self.date_from, self.date_to):
            widget.blockSignals(False)
        self.categories.set_chosen(())  # says nothing: only ticking or Clear does

    def _search_now_and_go_to_list(self) -> None:
        self._typing.flush()
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _show_count(self, total: int) -> None:
        if total < 0:
            self.count_line.setText(self.tr("Searching…"))
        elif total == 0:
            self.count_line.setText(
                self.tr("No concerns match. Try fewer words or clear the filters.")
                if self.model.filters != SearchFilters()
                else self.tr("No concerns have been recorded yet.")
            )
        elif total == 1:
            self.count_line.setText(self.tr("1 concern"))
        else:
            self.count_line.setText(self.tr("{n} concerns").format(n=f"{total:,}"))
        self.count_line.setAccessibleDescription(self.count_line.text())

    def _first_page_loaded(self) -> None:
        ref, self._reselect = self._reselect, ""
        row = self.model.row_of(ref) if ref else -1
        if row >= 0:
            index = self.model.index(row, 0)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
        self.open_button.setEnabled(self.table.currentIndex().isValid())

    def _load_recorders(self) -> None:
        self._worker.submit(
            _recorders, self._session, on_done=self._show_recorders, on_error=self._failed
        )

    def _show_recorders(self, names: list[str]) -> None:
        if names == self._recorder_names:
            return
        self._recorder_names = names
        chosen = str(self.recorder.currentData() or "")
        self.recorder.blockSignals(True)
        self.recorder.clear()
        self.recorder.addItem(self.tr("Anyone"), "")
        for name in names:
            self.recorder.addItem(display_safe(name), name)
        self.recorder.setCurrentIndex(max(self.recorder.findData(chosen), 0))
        self.recorder.blockSignals(False)

    def _failed(self, failure: Failure) -> None:
        self.error.show_error(failure.message)

    # The Concern view --------------------------------------------------------------------

    def _open_current(self) -> None:
        self._open_index(self.table.currentIndex())

    def _open_index(self, index: QModelIndex) -> None:
        summary = self.model.summary(index.row()) if index.isValid() else None
        if summary is not None:
            self.open_concern(summary.ref)

    def open_concern(self, ref: str) -> None:
        """Show concern ``ref`` in place of the list (its opening is audited)."""
        view = ConcernView(self._session, self._worker, ref, self)
        view.back_requested.connect(self.show_list)
        view.child_requested.connect(self.child_requested)
        view.handoff_requested.connect(self.handoff_requested)
        view.referral_requested.connect(self.referral_requested)
        old, self.view = self.view, view
        show_in_place(self.stack, old, view)
        view.load()
        view.back_button.setFocus()

    def close_view(self) -> None:
        view, self.view = self.view, None
        back_to_list(self.stack, view, self.list_page)

    def show_list(self) -> None:
        view = self.view
        ref = view.ref if view is not None else ""
        # A change still being saved will not say so once its view is gone; the one
        # worker runs it before the list is read again.
        if view is not None and view.busy:
            self._dirty = True
        self.close_view()
        if self._dirty:
            self._reselect = ref
            self._dirty = False
            self.model.reload()
        else:
            row = self.model.row_of(ref) if ref else -1
            if row >= 0:
                self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.setFocus()
