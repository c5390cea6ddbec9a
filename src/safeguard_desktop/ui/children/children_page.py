"""Children: every child with a record, found by name, opened into the child's file; and
the files due for their retention review (review_list.py), the second list.

The list is a lazy model: pages of 200 rows come from ``casework.list_children`` on the
worker as the list is scrolled, so 20,000 children cost no more to open than 200, and
the window never waits for the database. Typing in the name box starts a new list after
a short pause; answers for an older filter are dropped. Matching ignores case and accents
("lucja" finds "Łucja"): the services fold both sides the same way.

``ChildrenPage.open_child(child_id)`` shows one child's file in place of the list (the
concern view asks for it); ``concern_requested(ref)`` asks for a concern to be opened.
After a change to any child (``on_changes``, from the records area's one signal), the list
is read again when it is next shown. A child's file deleted at its review closes back to
the list, read again, with the sentence saying what went.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.casework import RiskLevel
from safeguard_desktop.domain.children import age_on
from safeguard_desktop.domain.chronology_timing import local_moment
from safeguard_desktop.domain.records import ChildRecord
from safeguard_desktop.domain.text import display_safe, single_line
from safeguard_desktop.services import children
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

from ..case_worker import CaseWorker
from ..casework.concern_models import local_day
from ..theme import MessageLine, heading, hint, table_rows, text_width
from ..widgets.paged_model import AnyIndex, PagedTableModel, PageReader
from ..widgets.record_in_place import back_to_list, show_in_place
from ..widgets.table_keys import TableKeys
from ..widgets.typing_pause import TypingPause
from ..worker import Submits
from .child_page import ChildPage
from .chronology_view import fitting_width
from .review_list import DueForReview


def _list_children(
    session: CaseSession, name_filter: str, limit: int, offset: int
) -> list[ChildRecord]:
    # On the worker: reads the encrypted database.
    return children.list_children(session, name_filter, limit=limit, offset=offset)


@dataclass(frozen=True)
class _Row:
    child_id: int
    cells: tuple[str, ...]
    risk: RiskLevel


class ChildrenModel(PagedTableModel[ChildRecord]):
    """Children in pages of ``PAGE_SIZE``, fetched on the worker as the view needs them."""

    NAME, BORN, GROUP, CONCERNS, LAST, RISK, OWNER = range(7)

    # No Refresh button here: scrolling down again (or the filter) tries again.
    retry_after_failure = True

    def __init__(
        self,
        session: CaseSession,
        store: Store,
        worker: Submits,
        parent: QObject | None = None,
        page_size: int | None = None,
    ) -> None:
        super().__init__(worker, parent, page_size)
        self._session = session
        self._store = store
        self.name_filter = ""
        # Cell text is worked out when a row is first shown, not for every row fetched.
        self._rows: dict[int, _Row] = {}
        self._names: dict[str, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._headers = (
            self.tr("Name"),
            self.tr("Date of birth / age"),
            self.tr("Group"),
            self.tr("Concerns"),
            self.tr("Last concern"),
            self.tr("Risk"),
            self.tr("Case owner"),
        )

    # Loading ---------------------------------------------------------------------------

    def restart(self, name_filter: str | None = None) -> None:
        """Empty the list and fetch its first page (for ``name_filter``, if given)."""
        if name_filter is not None:
            self.name_filter = name_filter
        # vault.json is in memory: the case owners' names need no worker.
        self._names = {u.username: u.display_name for u in self._store.users()}
        super().restart()

    def page_reader(self) -> PageReader[ChildRecord]:
        return functools.partial(_list_children, self._session, self.name_filter)

    def forget_rows(self) -> None:
        self._rows = {}

    def forget_range(self, first: int, end: int) -> None:
        for row in range(first, end):
            self._rows.pop(row, None)

    def _row(self, row: int) -> _Row | None:
        # Through item() every time: showing a row keeps its page.
        record = self.item(row)
        if record is None:
            return None  # its page is being read again
        found = self._rows.get(row)
        if found is None:
            found = self._rows[row] = self._make_row(record)
        return found

    def _make_row(self, record: ChildRecord) -> _Row:
        details = record.details
        if details.date_of_birth is not None:
            born = self.tr("{day} ({age})").format(
                day=local_day(details.date_of_birth),
                age=age_on(details.date_of_birth, date.today()),
            )
        elif details.approximate_age is not None:
            born = self.tr("about {age}").format(age=details.approximate_age)
        else:
            born = self.tr("Not known")
        owner = record.case_owner
        last = local_moment(record.last_concern_at) if record.last_concern_at else None
        return _Row(
            record.child_id,
            (
                single_line(display_safe(details.name)),
                born,
                single_line(display_safe(details.group)),
                str(record.concern_count),
                local_day(last) if last is not None else self.tr("None"),
                self.tr(record.risk_level.label),
                display_safe(self._names.get(owner, owner)) if owner else self.tr("Nobody yet"),
            ),
            record.risk_level,
        )

    # Reading ---------------------------------------------------------------------------

    def child_id(self, row: int) -> int | None:
        record = self.item(row)
        return record.child_id if record is not None else None

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.cells[index.column()]
        # High risk stands out in bold, as well as saying "High".
        high = row.risk is RiskLevel.HIGH
        if role == Qt.ItemDataRole.FontRole and index.column() == self.RISK and high:
            return self._bold
        if role == Qt.ItemDataRole.UserRole:
            return row.child_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


class _ChildrenTable(QTableView):
    """The name takes what the other columns leave, but never less than a third of the
    width: with large text on a small screen the other columns give way instead.
    """

    NAME_SHARE = 0.34

    def __init__(self) -> None:
        super().__init__()
        self.preferred: dict[int, int] = {}  # column -> the width that shows it in full
        # Enter opens the current child, as a double-click does; Copy copies no name.
        self.keys = TableKeys(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.share_widths()

    def share_widths(self) -> None:
        if not self.preferred:
            return
        width = self.viewport().width()
        wanted = sum(self.preferred.values())
        room = width - int(width * self.NAME_SHARE)
        scale = min(1.0, room / wanted) if wanted > 0 else 1.0
        header = self.horizontalHeader()
        for column, preferred in self.preferred.items():
            header.resizeSection(column, int(preferred * scale))


class ChildrenPage(QWidget):
    """The list of children, and one child's file in its place when opened."""

    concern_requested = Signal(str)

    def __init__(self, session: CaseSession, store: Store, worker: CaseWorker) -> None:
        super().__init__()
        self._session = session
        self._store = store
        self._worker = worker
        worker.changed.connect(self.on_changes)
        self.child_page: ChildPage | None = None
        self._list_stale = True

        self.stack = QStackedWidget()
        self.list_page = QWidget()
        layout = QVBoxLayout(self.list_page)
        layout.setContentsMargins(28, 24, 28, 16)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Children")))
        self.about = hint()
        self.about.setAccessibleName(self.tr("About this list"))
        layout.addWidget(self.about)
        # Every child, or only the files whose retention review date has come.
        show_row = QHBoxLayout()
        show_row.addWidget(QLabel(self.tr("Show:")))
        self.all_choice = QRadioButton(self.tr("&All children"))
        self.all_choice.setAccessibleName(self.tr("Show all children"))
        self.all_choice.setChecked(True)
        self.due_choice = QRadioButton(self.tr("&Due for review"))
        self.due_choice.setAccessibleName(
            self.tr("Show only the files due for their retention review")
        )
        self._shown_list = QButtonGroup(self)
        for choice in (self.all_choice, self.due_choice):
            self._shown_list.addButton(choice)
            show_row.addWidget(choice)
        show_row.addStretch(1)
        layout.addLayout(show_row)
        self.find_box = QWidget()
        find_row = QHBoxLayout(self.find_box)
        find_row.setContentsMargins(0, 0, 0, 0)
        find_label = QLabel(self.tr("&Find by name"))
        self.name_filter = QLineEdit()
        self.name_filter.setAccessibleName(self.tr("Find a child by name"))
        self.name_filter.setPlaceholderText(self.tr("Part of a name; accents do not matter"))
        self.name_filter.setClearButtonEnabled(True)
        self.name_filter.setMaximumWidth(text_width(40))
        find_label.setBuddy(self.name_filter)
        find_row.addWidget(find_label)
        find_row.addWidget(self.name_filter, 1)
        find_row.addStretch(0)
        layout.addWidget(self.find_box)
        self.result = MessageLine(self.tr("Result"))
        self.result.setTextFormat(Qt.TextFormat.PlainText)  # it may name a child
        layout.addWidget(self.result)

        self.model = ChildrenModel(session, store, worker, self)
        self.table = _ChildrenTable()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Children"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        table_rows(self.table)
        # Fixed heights and widths: nothing measures every row of a long list.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ChildrenModel.NAME, QHeaderView.ResizeMode.Stretch)
        # Widths from the words the columns hold, so they follow the text size.
        heads = self.model.headerData
        horizontal = Qt.Orientation.Horizontal
        for column, samples in (
            (ChildrenModel.BORN, ["30 Sep 2015 (10)", self.tr("Not known")]),
            (ChildrenModel.CONCERNS, ["000"]),
            (ChildrenModel.LAST, ["30 Sep 2026", self.tr("None")]),
            (ChildrenModel.RISK, [self.tr(level.label) for level in RiskLevel]),
        ):
            self.table.preferred[column] = fitting_width(
                self.table, str(heads(column, horizontal)), *samples
            )
        self.table.preferred[ChildrenModel.GROUP] = text_width(16)
        self.table.preferred[ChildrenModel.OWNER] = text_width(20)
        self.table.share_widths()
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.keys.open_requested.connect(self._open_row)
        self.due_list = DueForReview(session, worker)
        self.due_list.open_requested.connect(self.open_child)
        self.due_list.shown.connect(self._update_status)
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.due_list)
        layout.addWidget(self.lists, 1)

        bottom = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open the child's file"))
        self.open_button.setAccessibleName(self.tr("Open the selected child's file"))
        self.open_button.clicked.connect(self._open_selected)
        bottom.addWidget(self.open_button)
        self.status = hint()
        self.status.setAccessibleName(self.tr("How many children are shown"))
        bottom.addWidget(self.status, 1)
        layout.addLayout(bottom)
        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)
        self.stack.addWidget(self.list_page)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self._typing = TypingPause(self.name_filter, self._apply_filter)
        self.name_filter.returnPressed.connect(self._apply_filter)
        self.model.loading_changed.connect(self._loading_changed)
        self.model.failed.connect(self.error.show_error)
        self.due_list.failed.connect(self.error.show_error)
        self.due_choice.toggled.connect(self._choose_list)
        self._say_what_is_listed()
        self.due_list.table.itemSelectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # The list ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Called when the section is shown: bring whatever is on screen up to date."""
        if self.child_page is not None and self.stack.currentWidget() is self.child_page:
            self.child_page.reload()
        else:
            self.reload_list()

    @property
    def showing_due(self) -> bool:
        return self.due_choice.isChecked()

    def reload_list(self) -> None:
        self._list_stale = False
        self.error.clear_message()
        if self.showing_due:
            self.due_list.reload()
            self._update_status()
        else:
            self.model.restart(self.name_filter.text())

    def _choose_list(self) -> None:
        """All children, or the files due for review (read afresh: dates move daily)."""
        due = self.showing_due
        self.lists.setCurrentWidget(self.due_list if due else self.table)
        self.find_box.setVisible(not due)  # the name box finds among all children
        self.result.clear_message()
        self._say_what_is_listed()
        if due:
            self.due_list.reload()
            self._update_status()
        elif self._list_stale or self.model.rowCount() == 0:
            self.reload_list()
        else:
            self._update_status()

    def _apply_filter(self) -> None:
        self._typing.cancel()
        if self.name_filter.text() != self.model.name_filter or self._list_stale:
            self.reload_list()

    def _say_what_is_listed(self) -> None:
        self.about.setText(
            self.tr(
                "Files whose retention review date has come, soonest first. Open one, read "
                "it, then keep it longer (a later date, with the reason) or delete it. A "
                "file under a legal hold cannot be deleted."
            )
            if self.showing_due
            else self.tr(
                "Every child with a record. A concern is linked to a child from the "
                "concern itself; the child's file holds the chronology."
            )
        )

    def _loading_changed(self, loading: bool) -> None:
        if loading:
            self.status.setText(self.tr("Loading…"))
        else:
            self._update_status()

    def _update_status(self) -> None:
        if self.showing_due:
            self.status.setText(
                self.tr("Loading…") if self.due_list.reading else self.due_list.status_words()
            )
            self._update_buttons()
            return
        if self.model.fetching:
            self.status.setText(self.tr("Loading…"))
            return
        count = self.model.rowCount()
        if count == 0:
            self.status.setText(
                self.tr("No child's name matches.")
                if self.model.name_filter.strip()
                else self.tr("No child records yet. Link a concern to a child to make one.")
            )
        elif self.model.complete:
            self.status.setText(
                self.tr("1 child.") if count == 1 else self.tr("{n} children.").format(n=count)
            )
        else:
            self.status.setText(
                self.tr("The first {n} children; scroll down for more.").format(n=count)
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(
            self.due_list.selected_child() is not None
            if self.showing_due
            else self.table.selectionModel().hasSelection()
        )

    def _open_selected(self) -> None:
        if self.showing_due:
            child_id = self.due_list.selected_child()
            if child_id is not None:
                self.open_child(child_id)
        else:
            self._open_row(self.table.currentIndex().row())

    def _open_row(self, row: int) -> None:
        child_id = self.model.child_id(row)
        if child_id is not None:
            self.open_child(child_id)

    # One child ---------------------------------------------------------------------------

    def open_child(self, child_id: int) -> None:
        """Show child ``child_id``'s file in place of the list (opening it is audited)."""
        page = ChildPage(self._session, self._store, self._worker, child_id, self)
        page.back_requested.connect(self.show_list)
        page.file_deleted.connect(self._file_deleted)
        page.concern_requested.connect(self.concern_requested)
        old, self.child_page = self.child_page, page
        self.result.clear_message()
        show_in_place(self.stack, old, page)
        page.load()
        page.back_button.setFocus()

    def show_list(self) -> None:
        page, self.child_page = self.child_page, None
        back_to_list(self.stack, page, self.list_page)
        if self._list_stale:
            self.reload_list()
        (self.due_list.table if self.showing_due else self.table).setFocus()

    def _file_deleted(self, sentence: str) -> None:
        # Said before the change goes round (case_worker.py): the list is read again now.
        self._list_stale = True
        self.show_list()
        self.result.show_good(sentence)

    def on_changes(self, changes: Changes) -> None:
        # A name, risk, owner, count or review date may have changed: read again when shown
        # again. (A new retention period is saved in Settings: this section is read afresh
        # when it is chosen again.)
        if changes.children:
            self._list_stale = True
