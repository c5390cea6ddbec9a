"""A table model that loads its rows a page at a time, on the worker, as the view scrolls.

Lists of concerns and of children can be long (100,000 concerns, 20,000 children), so a
model never reads more than the pages scrolled to: the first page of ``PAGE_SIZE`` (200)
comes with each :meth:`PagedTableModel.restart`, the next when the view reaches the
bottom (Qt's ``canFetchMore`` / ``fetchMore``). Every page is read on the worker, never
on the GUI thread.

Nor does it keep every page it read: the rows of about ``KEEP_ROWS`` (1,000) rows' worth
of the pages shown most recently stay in memory, and older pages are let go (their rows
stay in the list, empty). When the view shows an empty row again, scrolling back up, its
page is read again on the worker and the rows are filled in. So a list scrolled to the end
of 100,000 concerns holds about a thousand, not 100,000 (about 1.5 KB each).

Each restart (a new search or filter) has a generation number. A page that arrives for
an older generation is dropped, and a page still waiting in the worker's queue when a
newer generation starts is skipped without touching the database, so typing quickly
never queues up a backlog of useless queries.

A subclass says how to read a page (:meth:`PagedTableModel.page_reader`) and how to show
an item (``columnCount``, ``data``, ``headerData``).
"""

from __future__ import annotations

import functools
import math
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Signal

from safeguard_desktop.services.casework import PAGE_SIZE

from ..worker import Failure, Submits

AnyIndex = QModelIndex | QPersistentModelIndex
Item = TypeVar("Item")
# Reads one page on the worker: (limit, offset) -> at most ``limit`` items.
PageReader = Callable[[int, int], list[Item]]

# Rows kept in memory: the pages shown most recently, about this many rows in all.
KEEP_ROWS = 1_000


class Generation:
    """The number of the newest restart; read by the worker thread to skip stale queries.

    A plain object rather than an attribute of the model: the worker may read it after
    the model's C++ side is gone (at lock), which must not fail.
    """

    def __init__(self) -> None:
        self.value = 0


def if_current(
    read: Callable[..., Item], generation: int, latest: Generation, *args: object
) -> Item | None:
    """On the worker: ``read(*args)``, or None without reading if a newer generation
    started while this call waited in the queue."""
    if generation != latest.value:
        return None
    return read(*args)


class PagedTableModel(QAbstractTableModel, Generic[Item]):
    """Items in pages of ``page_size``, fetched on the worker as the view needs them."""

    loading_changed = Signal(bool)  # a page is on its way, or no longer
    failed = Signal(str)  # one sentence
    first_page_loaded = Signal()

    # After a failed page: False stops asking until the next restart (a list with a
    # Refresh button); True lets scrolling to the bottom try again.
    retry_after_failure = False

    def __init__(
        self, worker: Submits, parent: QObject | None = None, page_size: int | None = None
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self.page_size = page_size or PAGE_SIZE
        self.keep_rows = KEEP_ROWS
        # A row's item, or None once its page was let go (read again when shown).
        self._items: list[Item | None] = []
        # Pages that hold their items, the least recently shown first.
        self._kept: OrderedDict[int, None] = OrderedDict()
        # Pages let go and now being read again.
        self._refilling: set[int] = set()
        # False for a list handed over whole (show_items): there is nothing to read again.
        self._can_let_go = False
        self._latest = Generation()
        self._started = False
        self._fetching = False
        self._complete = False
        self._stopped = False  # a page failed and retry_after_failure is False

    # What a subclass says ------------------------------------------------------------

    def page_reader(self) -> PageReader[Item]:
        """The function the worker calls for one page of the current search.

        It runs on the worker thread, so it must not touch this model or any widget:
        a module-level function with the session and the search bound to it.
        """
        raise NotImplementedError

    def forget_rows(self) -> None:
        """Called inside the reset of :meth:`restart`: drop anything kept per row."""

    def forget_range(self, first: int, end: int) -> None:
        """Rows ``first`` to ``end - 1`` were let go: drop anything kept for them."""

    # Loading -------------------------------------------------------------------------

    @property
    def fetching(self) -> bool:
        """A page of the current generation is on its way."""
        return self._fetching

    @property
    def complete(self) -> bool:
        """True once the last page has arrived."""
        return self._complete

    @property
    def generation(self) -> int:
        return self._latest.value

    def restart(self) -> None:
        """Empty the list and fetch its first page; whatever an older generation still
        brings back is dropped."""
        self._latest.value += 1
        self.beginResetModel()
        self._items = []
        self._kept.clear()
        self._refilling.clear()
        self._can_let_go = True
        self.forget_rows()
        self._complete = False
        self._stopped = False
        self._started = True
        self.endResetModel()
        self._fetch()

    def show_items(self, items: Iterable[Item]) -> None:
        """Show ``items`` as the whole list, read elsewhere: nothing is fetched, and
        whatever a search still brings back is dropped."""
        self._latest.value += 1
        self.beginResetModel()
        self._items = list(items)
        self._kept.clear()
        self._refilling.clear()
        self._can_let_go = False
        self.forget_rows()
        self._complete = True
        self._stopped = False
        self.endResetModel()
        self._set_fetching(False)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt's)
        if parent.isValid():
            return False
        return self._started and not (self._fetching or self._complete or self._stopped)

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch()

    def _fetch(self) -> None:
        generation = self._latest.value
        offset = len(self._items)
        self._set_fetching(True)
        self._read_page(
            offset,
            functools.partial(self._page_arrived, generation, offset),
            functools.partial(self._page_failed, generation),
        )

    def _read_page(
        self,
        offset: int,
        on_done: Callable[[list[Item] | None], None],
        on_error: Callable[[Failure], None],
    ) -> None:
        """The page at ``offset`` of the current generation, read on the worker."""
        self._worker.submit(
            if_current,
            self.page_reader(),
            self._latest.value,
            self._latest,
            self.page_size,
            offset,
            on_done=on_done,
            on_error=on_error,
        )

    def _page_arrived(self, generation: int, offset: int, items: list[Item] | None) -> None:
        if generation != self._latest.value or items is None or offset != len(self._items):
            return  # an older search's answer: the list now shows a newer one
        self._set_fetching(False)
        if len(items) < self.page_size:
            self._complete = True
        if items:
            self.beginInsertRows(QModelIndex(), offset, offset + len(items) - 1)
            self._items.extend(items)
            self.endInsertRows()
            self._keep(offset // self.page_size)
        if offset == 0:
            self.first_page_loaded.emit()

    def _page_failed(self, generation: int, failure: Failure) -> None:
        if generation != self._latest.value:
            return
        # Stopped, unless retrying is wanted: the view would otherwise ask for the
        # failing page again on every scroll.
        self._stopped = not self.retry_after_failure
        self._set_fetching(False)
        self.failed.emit(failure.message)

    def _set_fetching(self, fetching: bool) -> None:
        if fetching != self._fetching:
            self._fetching = fetching
            self.loading_changed.emit(fetching)

    # Keeping a window of rows ---------------------------------------------------------

    def _keep(self, page: int) -> None:
        """``page`` was just shown or read: keep it, and let go of the least recently
        shown pages beyond the rows to keep."""
        self._kept[page] = None
        self._kept.move_to_end(page)
        if not self._can_let_go:
            return
        most = max(2, math.ceil(self.keep_rows / self.page_size))
        while len(self._kept) > most:
            old, _ = self._kept.popitem(last=False)
            first = old * self.page_size
            end = min(first + self.page_size, len(self._items))
            self._items[first:end] = [None] * (end - first)
            self.forget_range(first, end)

    def _read_again(self, page: int) -> None:
        if page in self._refilling:
            return
        self._refilling.add(page)
        generation = self._latest.value
        self._read_page(
            page * self.page_size,
            functools.partial(self._read_again_arrived, generation, page),
            functools.partial(self._read_again_failed, generation, page),
        )

    def _read_again_arrived(self, generation: int, page: int, items: list[Item] | None) -> None:
        if generation != self._latest.value or items is None:
            return  # a newer search emptied the list meanwhile
        self._refilling.discard(page)
        first = page * self.page_size
        # Only the rows the list still has (the records may have changed meanwhile; a
        # change restarts the list soon after).
        items = items[: max(0, min(self.page_size, len(self._items) - first))]
        if not items:
            return
        self._items[first : first + len(items)] = items
        self._keep(page)
        last = first + len(items) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def _read_again_failed(self, generation: int, page: int, failure: Failure) -> None:
        if generation != self._latest.value:
            return
        self._refilling.discard(page)
        self.failed.emit(failure.message)

    # Reading -------------------------------------------------------------------------

    def item(self, row: int) -> Item | None:
        """The item shown in ``row``; None outside the list, or while its page, let go
        earlier, is read again (the view is told when it is back)."""
        if not 0 <= row < len(self._items):
            return None
        found = self._items[row]
        page = row // self.page_size
        if found is None:
            self._read_again(page)
        elif self._can_let_go:
            self._kept.move_to_end(page)
        return found

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)
