"""The list of every child with a record: a lazy model and the table that shows it.

Pages of 200 rows come from ``children.list_children`` on the worker as the list is
scrolled, so 20,000 children cost no more to open than 200, and the window never waits
for the database. Cell text is worked out when a row is first shown. The Children page
(children_page.py) puts it beside the files due for review and opens a child from it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from safeguard_desktop.domain.casework import RiskLevel
from safeguard_desktop.domain.children import age_on
from safeguard_desktop.domain.chronology_timing import local_moment
from safeguard_desktop.domain.records import ChildRecord
from safeguard_desktop.domain.text import display_safe, single_line
from safeguard_desktop.services import children
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

from ..casework.concern_models import local_day
from ..theme import table_rows, text_width
from ..widgets.paged_model import AnyIndex, PagedTableModel, PageReader
from ..widgets.table_keys import TableKeys
from ..worker import Submits
from .chronology_view import fitting_width


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


class ChildrenTable(QTableView):
    """Every column is as wide as its heading and the words it holds; the name takes what
    they leave, never less than ``name_minimum``. With large text on a small screen the
    table then scrolls sideways: no heading or date is ever cut short.
    """

    NAME_CHARACTERS = 18  # the name's least width, in average characters

    def __init__(self, model: ChildrenModel) -> None:
        super().__init__()
        self.preferred: dict[int, int] = {}  # column -> the width that shows it in full
        self.name_minimum = 0
        # Enter opens the current child, as a double-click does; Copy copies no name.
        self.keys = TableKeys(self)
        self.setModel(model)
        self.setAccessibleName(self.tr("Children"))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table_rows(self)
        # Fixed heights and widths: nothing measures every row of a long list.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.measure()

    def measure(self) -> None:
        """Widths from the words the columns hold, so they follow the text size."""
        model = self.model()
        header = self.horizontalHeader()
        horizontal = Qt.Orientation.Horizontal

        def heading(column: int) -> str:
            return str(model.headerData(column, horizontal))

        for column, samples in (
            (ChildrenModel.BORN, ["30 Sep 2015 (10)", self.tr("Not known")]),
            (ChildrenModel.CONCERNS, ["000"]),
            (ChildrenModel.LAST, ["30 Sep 2026", self.tr("None")]),
            (ChildrenModel.RISK, [self.tr(level.label) for level in RiskLevel]),
            (ChildrenModel.GROUP, []),
            (ChildrenModel.OWNER, []),
        ):
            # At least the heading as the header draws it (its padding and sort arrow).
            self.preferred[column] = max(
                fitting_width(self, heading(column), *samples),
                header.sectionSizeFromContents(column).width(),
            )
        self.preferred[ChildrenModel.GROUP] = max(
            self.preferred[ChildrenModel.GROUP], text_width(16)
        )
        self.preferred[ChildrenModel.OWNER] = max(
            self.preferred[ChildrenModel.OWNER], text_width(20)
        )
        self.name_minimum = max(
            text_width(self.NAME_CHARACTERS),
            header.sectionSizeFromContents(ChildrenModel.NAME).width(),
        )
        self.share_widths()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.preferred:
            self.measure()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.share_widths()

    def share_widths(self) -> None:
        if not self.preferred:
            return
        header = self.horizontalHeader()
        for column, preferred in self.preferred.items():
            header.resizeSection(column, preferred)
        # The name gives way, down to its least width; then the table scrolls sideways.
        room = self.viewport().width() - sum(self.preferred.values())
        header.resizeSection(ChildrenModel.NAME, max(self.name_minimum, room))
