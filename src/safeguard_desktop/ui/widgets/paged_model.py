"""A table model that loads its rows a page at a time, on the worker, as the view scrolls.

Lists of concerns and of children can be long (100,000 concerns, 20,000 children), so a
model never holds more than the pages scrolled to: the first page of ``PAGE_SIZE`` (200)
comes with each :meth:`PagedTableModel.restart`, the next when the view reaches the
bottom (Qt's ``canFetchMore`` / ``fetchMore``). Every page is read on the worker, never
on the GUI thread.

Each restart (a new search or filter) has a generation number. A page that arrives for
an older generation is dropped, and a page still waiting in the worker's queue when a
newer generation starts is skipped without touching the database, so typing quickly
never queues up a backlog of useless queries.

A subclass says how to read a page (:meth:`PagedTableModel.page_reader`) and how to show
an item (``columnCount``, ``data``, ``headerData``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Signal

from safeguard_desktop.services.casework import PAGE_SIZE

from ..worker import Failure, Submits

AnyIndex = QModelIndex | QPersistentModelIndex
Item = TypeVar("Item")
# Reads one page on the worker: (limit, offset) -> at most ``limit`` items.
PageReader = Callable[[int, int], list[Item]]


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
        self._items: list[Item] = []
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
        self._worker.submit(
            if_current,
            self.page_reader(),
            generation,
            self._latest,
            self.page_size,
            offset,
            on_done=functools.partial(self._page_arrived, generation, offset),
            on_error=functools.partial(self._page_failed, generation),
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

    # Reading -------------------------------------------------------------------------

    def item(self, row: int) -> Item | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)
