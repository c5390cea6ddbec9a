"""The lazy list of concerns, and the words every casework view uses for times and statuses.

``ConcernListModel`` is a :class:`PagedTableModel`: it never holds more than the pages
scrolled to, each read on the worker, and a page for an older search is dropped (see
:mod:`.paged_model`). The count of all matches is read alongside the first page and is
dropped or skipped for an older search in the same way, so typing quickly over 100,000
concerns never queues up a backlog of useless queries.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from safeguard_desktop.domain.categories import CATEGORIES
from safeguard_desktop.domain.date_words import local, short_date
from safeguard_desktop.domain.records import ConcernSummary, SearchFilters
from safeguard_desktop.domain.text import display_safe, single_line
from safeguard_desktop.services import casework
from safeguard_desktop.services.session import CaseSession

from ..theme import ERROR_INK
from ..widgets.paged_model import AnyIndex, PagedTableModel, PageReader, if_current
from ..worker import Failure, Submits

_CATEGORY_LABELS = {c.id: c.label for c in CATEGORIES}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConcernWords", text)


# Words for times, categories and statuses ---------------------------------------------


def local_when(iso: str) -> str:
    """An ISO time as "20 Nov 2026, 15:30": UTC times in local time, local ones as they are."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return display_safe(iso)
    return short_date(local(moment))


def local_day(value: date | str | None) -> str:
    """A date as "2 Mar 2015"; "" for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            return short_date(date.fromisoformat(value[:10]))
        except ValueError:
            return display_safe(value)
    return short_date(value)


def category_label(category_id: str) -> str:
    return _CATEGORY_LABELS.get(category_id, category_id.replace("_", " "))


def category_words(ids: tuple[str, ...] | list[str]) -> str:
    """Category labels, comma separated, in the order the recorder ticked them."""
    return ", ".join(category_label(i) for i in ids)


def status_words(summary: ConcernSummary, *, with_danger: bool = True) -> str:
    """Status with its markers in words ("IMMEDIATE DANGER · New · 1 child to link").

    Markers are words, not only colour, so they are read out and seen by everyone.
    """
    parts = []
    if with_danger and summary.immediate_danger:
        parts.append(_tr("IMMEDIATE DANGER"))
    parts.append(_tr(summary.status.label))
    if summary.unlinked_children == 1:
        parts.append(_tr("1 child to link"))
    elif summary.unlinked_children > 1:
        parts.append(_tr("{n} children to link").format(n=summary.unlinked_children))
    return " · ".join(parts)


def recorder_words(summary: ConcernSummary) -> str:
    name = display_safe(single_line(summary.recorder_name))
    if summary.recorder_username is None:
        return _tr("{name} (guest)").format(name=name)
    return name


def children_words(summary: ConcernSummary) -> str:
    return display_safe(single_line(summary.child_names))


# The lazy model -----------------------------------------------------------------------


class Column(IntEnum):
    """Most needed first: at 150 % text the last columns may be scrolled to."""

    REF = 0
    DANGER = 1
    WHEN = 2
    CHILDREN = 3
    STATUS = 4
    CATEGORIES = 5
    RECORDER = 6


def column_titles() -> dict[Column, str]:
    return {
        Column.REF: _tr("Ref"),
        Column.DANGER: _tr("Danger"),
        Column.WHEN: _tr("When it happened"),
        Column.CHILDREN: _tr("Children"),
        Column.STATUS: _tr("Status"),
        Column.CATEGORIES: _tr("Categories"),
        Column.RECORDER: _tr("Recorder"),
    }


def danger_words(summary: ConcernSummary) -> str:
    """The Danger column: a word, so it is not told by colour alone."""
    return _tr("YES") if summary.immediate_danger else ""


@dataclass(frozen=True)
class _Row:
    summary: ConcernSummary
    cells: tuple[str, ...]  # worked out once when the page arrives, not on every paint


def _row(summary: ConcernSummary) -> _Row:
    return _Row(
        summary,
        (
            summary.ref,
            danger_words(summary),
            local_when(summary.occurred_at),
            children_words(summary),
            status_words(summary, with_danger=False),
            category_words(summary.categories),
            recorder_words(summary),
        ),
    )


def _page(session: CaseSession, filters: SearchFilters, limit: int, offset: int) -> list[_Row]:
    # On the worker: reads the encrypted database.
    return [_row(s) for s in casework.search(session, filters, limit=limit, offset=offset)]


def _count(session: CaseSession, filters: SearchFilters) -> int:
    return casework.count(session, filters)


class ConcernListModel(PagedTableModel[_Row]):
    """Concerns matching a ``SearchFilters``, newest first, a page at a time."""

    count_changed = Signal(int)  # how many match in all; -1 while counting

    def __init__(
        self, session: CaseSession, worker: Submits, parent: QObject | None = None
    ) -> None:
        super().__init__(worker, parent)
        self._session = session
        self._filters = SearchFilters()
        self._counting = False
        self._titles = column_titles()
        self._danger_colour = QColor(ERROR_INK)
        self._danger_font = QFont()
        self._danger_font.setBold(True)
        self._danger_words = {True: _tr("Immediate danger"), False: _tr("No immediate danger")}

    # Searching -------------------------------------------------------------------------

    @property
    def filters(self) -> SearchFilters:
        return self._filters

    @property
    def loading(self) -> bool:
        """A page or the count of the current search is still on its way."""
        return self.fetching or self._counting

    def page_reader(self) -> PageReader[_Row]:
        return functools.partial(_page, self._session, self._filters)

    def set_filters(self, filters: SearchFilters) -> None:
        """Start a new search; whatever an older one still brings back is dropped."""
        self._filters = filters
        self.restart()
        generation = self.generation
        self._counting = True
        self.count_changed.emit(-1)
        self._worker.submit(
            if_current,
            _count,
            generation,
            self._latest,
            self._session,
            filters,
            on_done=functools.partial(self._count_arrived, generation),
            on_error=functools.partial(self._page_failed, generation),
        )

    def show_summaries(self, summaries: Iterable[ConcernSummary]) -> None:
        """Show these concerns, read elsewhere (Home's newest), instead of a search."""
        self.show_items(_row(s) for s in summaries)

    def reload(self) -> None:
        """The same search again (after new concerns arrived or one changed)."""
        self.set_filters(self._filters)

    def _count_arrived(self, generation: int, total: int | None) -> None:
        if generation == self.generation and total is not None:
            self._counting = False
            self.count_changed.emit(total)

    def _page_failed(self, generation: int, failure: Failure) -> None:
        # A failed count stops the search as a failed page does: one message, no retries.
        if generation == self.generation:
            self._counting = False
        super()._page_failed(generation, failure)

    # Reading ---------------------------------------------------------------------------

    def summary(self, row: int) -> ConcernSummary | None:
        item = self.item(row)
        return item.summary if item is not None else None

    def row_of(self, ref: str) -> int:
        """The row showing concern ``ref`` among those loaded; -1 if not loaded."""
        return next(
            (i for i, r in enumerate(self._items) if r is not None and r.summary.ref == ref), -1
        )

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.item(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == Column.DANGER:
                return self._danger_words[row.summary.immediate_danger]
            return row.cells[column]
        if role == Qt.ItemDataRole.UserRole:
            return row.summary.ref
        if row.summary.immediate_danger and column in (Column.REF, Column.DANGER):
            if role == Qt.ItemDataRole.FontRole:
                return self._danger_font
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._danger_colour
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles.get(Column(section), "") if 0 <= section < len(Column) else None
        return None
