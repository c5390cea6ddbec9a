"""The one background worker: slow service calls run off the GUI thread.

Every SQLCipher, Argon2 or PDF call goes through ``Worker.submit`` so the window never
freezes. One thread only (as in Anki): calls run in the order they were made, so a
``lock()`` queued after a save can never overtake it. Results and failures are delivered
back on the GUI thread. A ``SafeguardError`` becomes its one sentence; anything else is a
bug, logged with its traceback, and the user is told that nothing was lost.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from safeguard_desktop.domain.errors import SafeguardError

logger = logging.getLogger(__name__)

# A widget marked with this property is on its way out: late results are dropped,
# so no record text can be written into a view that is being destroyed at lock.
DISCARDED_PROPERTY = "sgDiscarded"


@dataclass(frozen=True)
class Failure:
    """What went wrong in a background call, ready to show."""

    message: str  # one plain sentence for the user
    error: BaseException
    is_bug: bool  # True when the error was not a SafeguardError


DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[Failure], None]


def log_file_path() -> Path | None:
    """The file the log is written to, if logging to a file has been set up."""
    for name in ("safeguard_desktop", ""):
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, logging.FileHandler):
                return Path(handler.baseFilename)
    return None


def bug_sentence() -> str:
    """What the user reads when something failed that they cannot fix themselves."""
    path = log_file_path()
    if path is None:
        return QCoreApplication.translate(
            "Worker", "Something went wrong. Nothing was lost. Details are in the log."
        )
    return QCoreApplication.translate(
        "Worker", "Something went wrong. Nothing was lost. Details are in the log file: {path}"
    ).format(path=path)


def failure_for(error: BaseException) -> Failure:
    if isinstance(error, SafeguardError):
        return Failure(message=str(error), error=error, is_bug=False)
    return Failure(message=bug_sentence(), error=error, is_bug=True)


def discard(widget: QObject) -> None:
    """Mark a view as going away (late results are dropped) and delete it soon."""
    widget.setProperty(DISCARDED_PROPERTY, True)
    widget.deleteLater()


def receiver_alive(callback: Callable[..., Any]) -> bool:
    """False when the callback belongs to a deleted or discarded widget."""
    target = callback
    while isinstance(target, functools.partial):
        target = target.func
    owner = getattr(target, "__self__", None)
    if not isinstance(owner, QObject):
        return True
    if not shiboken6.isValid(owner):
        return False
    node: QObject | None = owner
    while node is not None:
        if node.property(DISCARDED_PROPERTY):
            return False
        node = node.parent()
    return True


class Submits(Protocol):
    """What a screen needs of a worker: the one ``Worker``, or the records area's
    ``CaseWorker`` (case_worker.py), which also says what each call changed."""

    def submit(
        self,
        fn: Callable[..., Any],
        /,
        *args: Any,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        **kwargs: Any,
    ) -> Future[Any]: ...


@dataclass
class _Job:
    name: str
    on_done: DoneCallback | None
    on_error: ErrorCallback | None


class Worker(QObject):
    """Runs one call at a time on a background thread; calls back on the GUI thread."""

    busy_changed = Signal(bool)
    idle = Signal()  # every submitted call has finished and been delivered
    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sg-worker")
        self._pending = 0
        self._closed = False
        # Queued even when emitted on the GUI thread: callbacks never run re-entrantly
        # inside submit(), which keeps the callers' state handling simple.
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def submit(
        self,
        fn: Callable[..., Any],
        /,
        *args: Any,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        **kwargs: Any,
    ) -> Future[Any]:
        """Run ``fn(*args, **kwargs)`` on the worker thread.

        ``on_done(result)`` or ``on_error(Failure)`` is called later on the GUI thread,
        unless the widget owning the callback has been deleted or discarded meanwhile.
        """
        if self._closed:
            raise RuntimeError("the worker has been shut down")
        job = _Job(getattr(fn, "__qualname__", repr(fn)), on_done, on_error)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        future = self._executor.submit(fn, *args, **kwargs)
        future.add_done_callback(functools.partial(self._post, job))
        return future

    def _post(self, job: _Job, future: Future[Any]) -> None:
        # Runs on the worker thread; the signal crosses to the GUI thread.
        # If the bridge object is gone the app is closing; there is nothing to deliver to.
        with contextlib.suppress(RuntimeError):
            self._finished.emit((job, future))

    @Slot(object)
    def _deliver(self, payload: tuple[_Job, Future[Any]]) -> None:
        job, future = payload
        try:
            error = future.exception()
            if error is None:
                if job.on_done is not None and receiver_alive(job.on_done):
                    job.on_done(future.result())
                return
            failure = failure_for(error)
            if failure.is_bug:
                logger.error(
                    "background call %s failed",
                    job.name,
                    exc_info=(type(error), error, error.__traceback__),
                )
            else:
                logger.info("background call %s: %s", job.name, type(error).__name__)
            if job.on_error is not None and receiver_alive(job.on_error):
                job.on_error(failure)
        finally:
            self._pending -= 1
            if self._pending == 0:
                self.busy_changed.emit(False)
                self.idle.emit()

    def shutdown(self) -> None:
        """Wait for the running call to finish (e.g. a final lock) and stop the thread."""
        self._closed = True
        self._executor.shutdown(wait=True, cancel_futures=False)


class ProgressRelay(QObject):
    """Carries progress reports from a worker-thread call to widgets on the GUI thread.

    Pass ``relay.report`` as the ``progress`` callback of a slow service call.
    """

    progress = Signal(int, str)

    def report(self, percent: int, text: str) -> None:
        self.progress.emit(int(percent), str(text))
