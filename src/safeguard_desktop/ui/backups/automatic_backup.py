"""The automatic backup at sign-in, sign-out and lock: on the worker, quietly, stoppable.

When a lead or administrator signs in, signs out or locks, ``run`` asks the session for
the automatic backup (``services.backup.run_automatic_backup``: the service decides whether
one is due). Nothing shows unless a backup is actually being made; then a small
indicator in the window's status bar shows how far it is, with a Stop button. What it
did comes back as one sentence (``notice``): the window puts it on Home after a sign-in,
in the status bar after a lock. A folder that is not there (the USB stick is out) is a
quiet notice, never an error dialog.

At a lock or sign-out the window first clears every screen (nothing of the records stays
in view), then queues the backup and, after it on the same one-at-a-time worker, the
lock that closes the database. So the records are never left open after a lock: they
stay open only for as long as the backup takes (seconds; Stop ends it at once), and the
next sign-in waits its turn behind both. Records opened read-only because an older copy
was put back are never backed up automatically: the pruning of old backups would
otherwise replace good backups with copies of the wrong records.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from safeguard_desktop.services import backup
from safeguard_desktop.services.session import CaseSession, Session

from ..theme import text_width
from ..widgets.stoppable_job import safe_report
from ..worker import Failure, ProgressRelay, Worker

AT_SIGN_IN = "sign-in"
AT_END = "end"  # sign-out or lock

MADE = "made"
INFO = "info"
PROBLEM = "problem"


def _run_automatic(
    session: CaseSession, progress: Callable[[int, str], None], cancelled: Callable[[], bool]
) -> tuple[str, bool]:
    """On the worker: the automatic backup if one is due; (sentence, whether one was made)."""
    if session.is_locked or session.read_only:
        return "", False
    before = backup.last_backup(session)
    sentence = backup.run_automatic_backup(session, progress=progress, cancelled=cancelled)
    return sentence, backup.last_backup(session) != before


class AutomaticBackupIndicator(QWidget):
    """A small label, bar and Stop button for the status bar; hidden when idle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Automatic backup"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(8)
        self.label = QLabel(self.tr("Automatic backup…"))
        self.label.setAccessibleName(self.tr("What the automatic backup is doing"))
        layout.addWidget(self.label)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setAccessibleName(self.tr("Progress of the automatic backup"))
        self.bar.setFixedWidth(text_width(14))
        self.bar.setMaximumHeight(18)
        layout.addWidget(self.bar)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop the automatic backup"))
        self.stop_button.setToolTip(
            self.tr("Stop it; it is tried again at the next sign-in, sign-out or lock")
        )
        # Sized to the status bar: the theme's tall buttons were cut off at its bottom edge.
        self.stop_button.setStyleSheet("QPushButton { min-height: 0px; padding: 2px 14px; }")
        self.stop_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.stop_button)
        self.hide()

    def show_progress(self, percent: int, text: str) -> None:
        self.bar.setValue(max(0, min(100, percent)))
        self.label.setText(self.tr("Automatic backup: {what}").format(what=text))
        self.show()


class AutomaticBackups(QObject):
    """Runs the automatic backup for a session; ``notice(sentence, kind, moment)`` after.

    ``kind`` is MADE, INFO (nothing was due but something is worth saying, such as a
    missing folder) or PROBLEM; ``moment`` is AT_SIGN_IN or AT_END.
    """

    notice = Signal(str, str, str)

    def __init__(self, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._running_for: CaseSession | None = None
        self._stop = threading.Event()
        self.indicator = AutomaticBackupIndicator()
        self.indicator.stop_button.clicked.connect(self.stop)
        self._relay = ProgressRelay(self)
        self._relay.progress.connect(self._progress)

    @property
    def running(self) -> bool:
        return self._running_for is not None

    def run(self, session: Session, moment: str) -> bool:
        """Queue the automatic backup for ``session`` if it is a lead's; True if queued.

        Not queued twice for one session: a lock while the sign-in backup still runs lets
        that one finish (or be stopped) instead of starting another.
        """
        if not isinstance(session, CaseSession) or session.is_locked:
            return False
        if self._running_for is session:
            return False
        self._running_for = session
        self._stop.clear()
        self.indicator.stop_button.setEnabled(True)
        self._worker.submit(
            _run_automatic,
            session,
            safe_report(self._relay),
            self._stop.is_set,
            on_done=functools.partial(self._done, session, moment),
            on_error=functools.partial(self._failed, session, moment),
        )
        return True

    def stop(self) -> None:
        """Stop the backup being made now; nothing is left under its name."""
        if self.running:
            self._stop.set()
            self.indicator.stop_button.setEnabled(False)
            self.indicator.label.setText(self.tr("Stopping the automatic backup…"))

    def _progress(self, percent: int, text: str) -> None:
        if self.running and not self._stop.is_set():
            self.indicator.show_progress(percent, text)

    def _finish(self, session: CaseSession) -> bool:
        """Clear the state of ``session``'s run; True if it was stopped."""
        stopped = self._stop.is_set()
        if self._running_for is session:
            self._running_for = None
            self.indicator.hide()
        return stopped

    def _done(self, session: CaseSession, moment: str, result: tuple[str, bool]) -> None:
        self._finish(session)
        sentence, made = result
        if sentence:
            if made:
                sentence = self.tr("Automatic backup: {sentence}").format(sentence=sentence)
            self.notice.emit(sentence, MADE if made else INFO, moment)

    def _failed(self, session: CaseSession, moment: str, failure: Failure) -> None:
        if self._finish(session):
            sentence = self.tr(
                "The automatic backup was stopped; nothing was written. It is tried again at "
                "the next sign-in, sign-out or lock."
            )
            self.notice.emit(sentence, INFO, moment)
            return
        sentence = self.tr(
            "The automatic backup was not made. {reason} It is tried again at the next "
            "sign-in, sign-out or lock."
        ).format(reason=failure.message)
        self.notice.emit(sentence, PROBLEM, moment)
