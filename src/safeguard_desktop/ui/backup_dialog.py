""" "Back up now": one encrypted file in a folder the person picks, with progress and Stop.

Opened from Home and from Settings (DSL or administrator). The folder offered is a USB
stick if one is in, else Documents (backup_folder.py). The backup runs on the worker
(services/backup.py writes it, reads it back and checks it); the dialog shows the bar,
the sentence of what is happening, and a Stop button. The result names the file, its
size, when it was made and what it holds; a failure is the service's one sentence.

The dialog is a child of its page, so a lock destroys it; a backup still running then
is stopped (nothing is left under the backup's name) before the lock closes the
records, because the worker runs one call at a time, in order.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.services.backup import BackupReport, when_words
from safeguard_desktop.services.session import CaseSession

from .backup_folder import SuggestedFolder, open_folder_dialog, suggested_backup_folder
from .dialog_parts import FittingDialog, action_buttons
from .theme import BUTTON_MIN_HEIGHT, MessageLine, heading, hint, paragraph, text_width
from .worker import Failure, ProgressRelay, Worker


def progress_bar(accessible_name: str) -> QProgressBar:
    """A 0–100 % bar with its number shown, hidden until the slow work starts."""
    bar = QProgressBar()
    bar.setRange(0, 100)
    bar.setAccessibleName(accessible_name)
    bar.setMinimumHeight(24)
    bar.hide()
    return bar


def safe_report(relay: ProgressRelay) -> Callable[[int, str], None]:
    """``relay.report`` for a worker call that may outlive the widget showing it."""

    def report(percent: int, text: str) -> None:
        # A lock deletes the dialog while the worker still reports: nothing to show then.
        with contextlib.suppress(RuntimeError):
            relay.report(percent, text)

    return report


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupDialog", text)


def folder_words(folder: SuggestedFolder) -> str:
    """What the offered folder is, and what that means for the backup."""
    if folder.removable:
        return _tr(
            "This is a USB stick or other removable drive{name}. Keep it somewhere locked, "
            "away from this PC, once the backup is made."
        ).format(name=f" ({folder.name})" if folder.name else "")
    return _tr(
        "No USB stick was found, so this is your Documents folder on this PC. A backup here "
        "is lost with the PC: plug in a USB stick and choose it, or copy the file onto one."
    )


class BackupDialog(FittingDialog):
    """Emits ``made(report)`` once a backup has been written and checked."""

    made = Signal(object)

    def __init__(
        self,
        session: CaseSession,
        worker: Worker,
        parent: QWidget | None = None,
        suggested: SuggestedFolder | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self._running = False
        self._stop = threading.Event()
        self.report: BackupReport | None = None
        self.folder_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("Back up the records"))
        self.setModal(True)
        self.setMinimumWidth(text_width(66))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Back up the records"), level=2))
        layout.addWidget(
            paragraph(
                self.tr(
                    "The backup is one encrypted file holding every record. It opens only "
                    "with your organisation's recovery key, on this PC or a new one."
                )
            )
        )

        self.folder = QLineEdit()
        self.folder.setAccessibleName(self.tr("Folder for the backup"))
        folder_label = QLabel(self.tr("Save the backup &in this folder"))
        folder_label.setBuddy(self.folder)
        layout.addWidget(folder_label)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        self.choose_button = QPushButton(self.tr("C&hoose another folder…"))
        self.choose_button.setAccessibleName(self.tr("Choose another folder"))
        self.choose_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.choose_button.clicked.connect(self.choose_folder)
        row.addWidget(self.choose_button)
        layout.addLayout(row)
        self.folder_hint = hint()
        self.folder_hint.setAccessibleName(self.tr("About this folder"))
        layout.addWidget(self.folder_hint)

        self.progress = progress_bar(self.tr("Progress of the backup"))
        layout.addWidget(self.progress)
        self.phase = paragraph()
        self.phase.setAccessibleName(self.tr("What is happening now"))
        self.phase.hide()
        layout.addWidget(self.phase)
        self.outcome = MessageLine(self.tr("Result of the backup"))
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.outcome)
        self.details = hint()
        self.details.setAccessibleName(self.tr("Where the backup is"))
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.hide()
        layout.addWidget(self.details)
        layout.addStretch(1)

        self.buttons, self.make_button, self.cancel_button = action_buttons(
            self.tr("&Make the backup"), self.tr("Make the backup")
        )
        self.make_button.clicked.connect(self.start_backup)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Again, now that the button is inside the dialog: only then does the dialog take
        # it as its default, the one Enter presses from the folder field (setDefault does
        # nothing when the flag is already set, hence off and on).
        self.make_button.setDefault(False)
        self.make_button.setDefault(True)

        self._relay = ProgressRelay(self)
        self._relay.progress.connect(self._progress)
        self.use_folder(suggested or suggested_backup_folder())
        self.make_button.setFocus()

    # Choosing the folder -------------------------------------------------------------

    def use_folder(self, folder: SuggestedFolder) -> None:
        self.folder.setText(str(folder.path))
        self.folder_hint.setText(folder_words(folder))
        self.fit_height()

    def choose_folder(self) -> None:
        start = Path(self.folder.text().strip() or ".")
        self.folder_dialog = open_folder_dialog(
            self, self.tr("Choose the folder for the backup"), start, self._folder_chosen
        )

    def _folder_chosen(self, path: Path) -> None:
        self.folder.setText(str(path))
        self.folder_hint.setText(self.tr("The folder you chose."))
        self.make_button.setFocus()

    # Making it -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def start_backup(self) -> None:
        if self._running:
            return
        text = self.folder.text().strip()
        if not text:
            self.outcome.show_error(self.tr("Please choose a folder for the backup."))
            self.folder.setFocus()
            self.fit_height()
            return
        self._stop.clear()
        self._set_running(True)
        self.progress.setValue(0)
        self.phase.setText(self.tr("Starting…"))
        self.outcome.clear_message()
        self.details.hide()
        self._worker.submit(
            self._session.make_backup,
            Path(text),
            progress=safe_report(self._relay),
            cancelled=self._stop.is_set,
            on_done=self._made,
            on_error=self._failed,
        )

    def request_stop(self) -> None:
        """Stop the backup running now; nothing is left under the backup's name."""
        if self._running:
            self._stop.set()
            self.cancel_button.setEnabled(False)
            self.phase.setText(self.tr("Stopping…"))

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.progress.setVisible(running)
        self.phase.setVisible(running)
        for widget in (self.folder, self.choose_button, self.make_button):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(True)
        if running:
            self.cancel_button.setText(self.tr("&Stop the backup"))
            self.cancel_button.setAccessibleName(self.tr("Stop the backup"))
            self.cancel_button.setFocus()
        self.fit_height()

    def _progress(self, percent: int, text: str) -> None:
        self.progress.setValue(max(0, min(100, percent)))
        if text and not self._stop.is_set():
            self.phase.setText(text)

    def _made(self, report: BackupReport) -> None:
        self._set_running(False)
        self.report = report
        self.outcome.show_good(report.sentence())
        self.details.setText(
            self.tr(
                "Made on {when}, in {folder}. Keep it somewhere locked, away from this PC; "
                "to put it back you will need the recovery key."
            ).format(when=when_words(report.made_at), folder=report.path.parent)
        )
        self.details.show()
        self.make_button.hide()
        self.cancel_button.setText(self.tr("&Close"))
        self.cancel_button.setAccessibleName(self.tr("Close"))
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        self.fit_height()
        self.made.emit(report)

    def _failed(self, failure: Failure) -> None:
        stopped = self._stop.is_set()
        self._set_running(False)
        if stopped:
            self.outcome.show_info(failure.message)
        else:
            self.outcome.show_error(failure.message)
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.make_button.setFocus()
        self.fit_height()

    # Closing -------------------------------------------------------------------------

    def reject(self) -> None:
        # Escape, the window's close button and Stop all come here: while the backup
        # runs they stop it, and the dialog stays to say so.
        if self._running:
            self.request_stop()
            return
        super().reject()

    def hideEvent(self, event: QHideEvent) -> None:
        # Hidden by a lock (main_window.py hides every dialog of the area): stop.
        if self._running:
            self._stop.set()
        super().hideEvent(event)


def open_backup_dialog(parent: QWidget, session: CaseSession, worker: Worker) -> BackupDialog:
    """Open (not exec) the Back up now dialog as a child of ``parent``; deleted on close."""
    dialog = BackupDialog(session, worker, parent)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    dialog.make_button.setFocus()
    return dialog
