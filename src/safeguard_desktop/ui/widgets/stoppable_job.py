"""A dialog that runs one long job on the worker, with a progress bar and a Stop button.

Back up now (backup_dialog.py) and Export everything (export_dialog.py) behave alike,
and this is where that behaviour lives. The action button starts the job on the worker;
while it runs the form is greyed, the bar and the sentence of what is happening show,
and Cancel becomes Stop. Stop, Escape and the window's close button stop the job rather
than close the dialog, which stays to say it stopped. A lock hides every dialog of the
area (main_window.py), and hiding stops the job: the worker runs one call at a time, in
order, so the stopped job has ended before the lock closes the records.

The job ends in one sentence: what was made (Cancel becomes Close), or the service's
failure, said calmly when the person stopped it. Stopping is a ``threading.Event`` the
service polls through its ``cancelled`` argument.

A job that runs long says how long it has left ("about 4 minutes left"), from how far
it has got in the time it has taken, once that is worth saying (:func:`time_left`).
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QPushButton, QWidget

from safeguard_desktop.domain.errors import BadInput

from ..theme import MessageLine
from ..translations import plural
from ..worker import Failure, ProgressRelay, Submits
from .dialog_parts import FittingDialog


def progress_bar(accessible_name: str) -> QProgressBar:
    """A 0–100 % bar with its number shown, hidden until the slow work starts."""
    bar = QProgressBar()
    bar.setRange(0, 100)
    bar.setAccessibleName(accessible_name)
    bar.setMinimumHeight(24)
    bar.hide()
    return bar


# No guess before this long or this far: the first seconds (opening, starting processes)
# say little of the rest.
TIME_LEFT_AFTER_SECONDS = 10.0
TIME_LEFT_AFTER_PERCENT = 2


def time_left(elapsed_seconds: float, percent: int) -> str:
    """ "about 4 minutes left" for a job ``percent`` done in ``elapsed_seconds``, or ""
    while it is too early to tell or nearly done."""
    if elapsed_seconds < TIME_LEFT_AFTER_SECONDS or not TIME_LEFT_AFTER_PERCENT <= percent < 100:
        return ""
    seconds = elapsed_seconds * (100 - percent) / percent
    if seconds < 60:
        return QCoreApplication.translate("StoppableJob", "less than a minute left")
    return plural("about %n minutes left", math.ceil(seconds / 60))


def safe_report(relay: ProgressRelay) -> Callable[[int, str], None]:
    """``relay.report`` for a worker call that may outlive the widget showing it."""

    def report(percent: int, text: str) -> None:
        # A lock deletes the dialog while the worker still reports: nothing to show then.
        with contextlib.suppress(RuntimeError):
            relay.report(percent, text)

    return report


@dataclass(frozen=True)
class JobControls:
    """The widgets a :class:`StoppableJobDialog` drives; the dialog builds and lays them out."""

    progress: QProgressBar
    phase: QLabel  # what is happening now
    result_line: MessageLine  # the one sentence the job ends with
    details: QLabel  # where the result is, shown once the job is done
    action_button: QPushButton  # starts the job; hidden once it is done
    cancel_button: QPushButton  # Cancel, Stop while the job runs, Close once it is done
    inputs: tuple[QWidget, ...]  # greyed while the job runs
    stop_text: str  # the cancel button's text while the job runs, with its shortcut
    stop_name: str  # and its accessible name
    running_only: tuple[QWidget, ...] = ()  # shown only while the job runs, as bar and phase
    # The field each refusal is about, by BadInput.field: the keyboard goes there.
    fields: Mapping[str, QWidget] = field(default_factory=dict)


class StoppableJobDialog(FittingDialog):
    """Subclasses build their form, set ``self._controls``, and start with ``_start_job``."""

    _controls: JobControls

    def __init__(self, worker: Submits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._running = False
        self._started = 0.0  # time.monotonic() when the job started
        self._stop = threading.Event()
        self._relay = ProgressRelay(self)
        self._relay.progress.connect(self._progress)

    @property
    def running(self) -> bool:
        return self._running

    def _start_job(
        self,
        job: Callable[..., Any],
        /,
        *args: Any,
        on_done: Callable[[Any], None],
        **kwargs: Any,
    ) -> None:
        """Run ``job(*args, **kwargs)`` on the worker with ``progress`` and ``cancelled``."""
        controls = self._controls
        self._stop.clear()
        self._set_running(True)
        controls.progress.setValue(0)
        controls.phase.setText(self.tr("Starting…"))
        self._started = time.monotonic()
        controls.result_line.clear_message()
        controls.details.hide()
        self._worker.submit(
            job,
            *args,
            **kwargs,
            progress=safe_report(self._relay),
            cancelled=self._stop.is_set,
            on_done=on_done,
            on_error=self._failed,
        )

    def request_stop(self) -> None:
        """Stop the job running now; the service keeps nothing of it."""
        if self._running:
            self._stop.set()
            self._controls.cancel_button.setEnabled(False)
            self._controls.phase.setText(self.tr("Stopping…"))

    def _set_running(self, running: bool) -> None:
        controls = self._controls
        self._running = running
        for shown in (controls.progress, controls.phase, *controls.running_only):
            shown.setVisible(running)
        for widget in controls.inputs:
            widget.setEnabled(not running)
        controls.cancel_button.setEnabled(True)
        if running:
            controls.cancel_button.setText(controls.stop_text)
            controls.cancel_button.setAccessibleName(controls.stop_name)
            controls.cancel_button.setFocus()
        self.fit_height()

    def _progress(self, percent: int, text: str) -> None:
        percent = max(0, min(100, percent))
        self._controls.progress.setValue(percent)
        if text and not self._stop.is_set():
            left = time_left(time.monotonic() - self._started, percent)
            self._controls.phase.setText(
                self.tr("{what} ({left})").format(what=text, left=left) if left else text
            )

    def _show_done(self, sentence: str, details: str) -> None:
        """The job's result and where it is; Cancel becomes Close, the only way on."""
        controls = self._controls
        controls.result_line.show_good(sentence)
        controls.details.setText(details)
        controls.details.show()
        controls.action_button.hide()
        controls.cancel_button.setText(self.tr("&Close"))
        controls.cancel_button.setAccessibleName(self.tr("Close"))
        controls.cancel_button.setDefault(True)
        controls.cancel_button.setFocus()
        self.fit_height()

    def _failed(self, failure: Failure) -> None:
        controls = self._controls
        stopped = self._stop.is_set()
        self._set_running(False)
        if stopped:
            controls.result_line.show_info(failure.message)
        else:
            controls.result_line.show_error(failure.message)
        controls.cancel_button.setText(self.tr("Cancel"))
        controls.cancel_button.setAccessibleName(self.tr("Cancel"))
        at_fault = (
            controls.fields.get(failure.error.field or "")
            if isinstance(failure.error, BadInput) and not stopped
            else None
        )
        if at_fault is not None and at_fault.isEnabled():
            # A refusal of what was typed (the records' own folder, a folder not there):
            # the keyboard goes to that field, ready to be put right.
            at_fault.setFocus()
            if isinstance(at_fault, QLineEdit):
                at_fault.selectAll()
        else:
            controls.action_button.setFocus()
        self.fit_height()

    # Closing -------------------------------------------------------------------------

    def reject(self) -> None:
        # Escape, the window's close button and Stop all come here: while the job runs
        # they stop it, and the dialog stays to say so.
        if self._running:
            self.request_stop()
            return
        super().reject()

    def hideEvent(self, event: QHideEvent) -> None:
        # Hidden by a lock (main_window.py hides every dialog of the area): stop.
        if self._running:
            self._stop.set()
        super().hideEvent(event)
