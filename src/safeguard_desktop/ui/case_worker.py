"""The signed-in area's worker: the one worker, and the one signal that says what changed.

Anki runs its operations through ``CollectionOp`` and, after each one, fans the
``OpChanges`` it returned out to every screen (``operation_did_execute``); each screen
redraws what it shows. This is ours. The records area (case_area.py) makes one
``CaseWorker`` and hands it to every page and dialog in place of the plain worker: calls
go to the same one background thread, in order, and when a call returns what it changed
(services/changes.py: a ``Changes``, or a result carrying one, as every writing use case
does), ``changed`` is emitted with it after the caller's own ``on_done``. A page connects
once, ``worker.changed.connect(self.on_changes)``, and reads again only what it shows;
nothing else needs to know the page exists.

The caller's own ``on_done`` is dropped if its widget has gone (as the plain worker
does), but the change is still sent: a concern view closed while its action was saving
leaves the list to show the action. The CaseWorker is a child of the area, so after a
lock nothing is sent at all.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Signal

from safeguard_desktop.services.changes import Changes, changes_in

from .worker import DoneCallback, Worker, receiver_alive


class CaseWorker(QObject):
    """Submits to the one worker; ``changed(Changes)`` after every call that changed records."""

    changed = Signal(object)  # Changes

    def __init__(self, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def submit(
        self, fn: Callable[..., Any], /, *args: Any, on_done: DoneCallback | None = None, **kw: Any
    ) -> Future[Any]:
        """As ``Worker.submit`` (``on_error`` and the rest passed on as they are); afterwards
        ``changed`` if the result says what changed."""
        return self.worker.submit(fn, *args, on_done=functools.partial(self._done, on_done), **kw)

    def _done(self, on_done: DoneCallback | None, result: object) -> None:
        # Called only while the area is there (the worker checks this object's parents).
        if on_done is not None and receiver_alive(on_done):
            on_done(result)
        self.announce(changes_in(result))

    def announce(self, changes: Changes | None) -> None:
        """Send ``changes`` to every page; for a change made outside the area's calls."""
        if changes:
            self.changed.emit(changes)
