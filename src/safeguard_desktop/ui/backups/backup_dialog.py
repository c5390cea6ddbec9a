""" "Back up now": one encrypted file in a folder the person picks, with progress and Stop.

Opened from Home and from Settings (DSL or administrator). The folder offered is a USB
stick if one is in, else Documents (backup_folder.py). The backup runs on the worker
(services/backup.py writes it, reads it back and checks it); the dialog shows the bar,
the sentence of what is happening, and a Stop button. The result names the file, its
size, when it was made and what it holds; a failure is the service's one sentence.

The dialog is a child of its page, so a lock destroys it; a backup still running then
is stopped (nothing is left under the backup's name) before the lock closes the
records, because the worker runs one call at a time, in order. Running, stopping and
the ending sentence are shared with the export (stoppable_job.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.services import backup
from safeguard_desktop.services.backup import BackupReport, when_words
from safeguard_desktop.services.session import CaseSession

from ..theme import MessageLine, heading, hint, paragraph, text_width
from ..widgets.dialog_parts import action_buttons, make_default
from ..widgets.file_choosers import folder_row, open_folder_dialog
from ..widgets.stoppable_job import JobControls, StoppableJobDialog, progress_bar
from ..worker import Submits
from .backup_folder import SuggestedFolder, folder_at, suggested_backup_folder


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupDialog", text)


def folder_words(folder: SuggestedFolder, *, offered: bool = True) -> str:
    """What the folder is (the one offered, or one typed or chosen), and what that means
    for the backup."""
    if folder.removable:
        return _tr(
            "This is a USB stick or other removable drive{name}. Keep it somewhere locked, "
            "away from this PC, once the backup is made."
        ).format(name=f" ({folder.name})" if folder.name else "")
    lost = _tr(
        "A backup here is lost with the PC: plug in a USB stick and choose it, or copy the "
        "file onto one."
    )
    if not offered:
        return _tr("This folder is not on a USB stick. {lost}").format(lost=lost)
    if folder.path == Path.home():
        # documents_folder() offers the home folder when there is no Documents folder.
        where = _tr("No USB stick was found, so this is your home folder on this PC.")
    else:
        where = _tr("No USB stick was found, so this is your Documents folder on this PC.")
    return f"{where} {lost}"


class BackupDialog(StoppableJobDialog):
    """Emits ``made(report)`` once a backup has been written and checked."""

    made = Signal(object)

    def __init__(
        self,
        session: CaseSession,
        worker: Submits,
        parent: QWidget | None = None,
        suggested: SuggestedFolder | None = None,
    ) -> None:
        super().__init__(worker, parent)
        self._session = session
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

        folder = folder_row(
            self.tr("Save the backup &in this folder"),
            self.tr("Folder for the backup"),
            self.choose_folder,
        )
        self.folder, self.choose_button = folder.edit, folder.choose_button
        layout.addWidget(folder.label)
        layout.addLayout(folder.row)
        self.folder_hint = hint()
        self.folder_hint.setAccessibleName(self.tr("About this folder"))
        layout.addWidget(self.folder_hint)
        # What the hint says follows the folder typed, not the one first offered.
        self.folder.textEdited.connect(self._folder_typed)

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
        make_default(self.make_button)  # the one Enter presses from the folder field
        self._controls = JobControls(
            progress=self.progress,
            phase=self.phase,
            result_line=self.outcome,
            details=self.details,
            action_button=self.make_button,
            cancel_button=self.cancel_button,
            inputs=(self.folder, self.choose_button, self.make_button),
            stop_text=self.tr("&Stop the backup"),
            stop_name=self.tr("Stop the backup"),
            fields={"folder": self.folder, "out": self.folder},
        )

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
        self._describe(path)
        self.make_button.setFocus()

    def _folder_typed(self, text: str) -> None:
        self._describe(Path(text.strip()) if text.strip() else None)

    def _describe(self, path: Path | None) -> None:
        if path is None:
            self.folder_hint.setText(self.tr("Type or choose the folder for the backup."))
        else:
            self.folder_hint.setText(folder_words(folder_at(path), offered=False))
        self.fit_height()

    # Making it -----------------------------------------------------------------------

    def start_backup(self) -> None:
        if self._running:
            return
        text = self.folder.text().strip()
        if not text:
            self.outcome.show_error(self.tr("Please choose a folder for the backup."))
            self.folder.setFocus()
            self.fit_height()
            return
        self._start_job(backup.make_backup, self._session, Path(text), on_done=self._made)

    def _made(self, report: BackupReport) -> None:
        self._set_running(False)
        self.report = report
        self._show_done(
            report.sentence(),
            self.tr(
                "Made on {when}, in {folder}. Keep it somewhere locked, away from this PC; "
                "to put it back you will need the recovery key."
            ).format(when=when_words(report.made_at), folder=report.path.parent),
        )
        self.made.emit(report)


def open_backup_dialog(parent: QWidget, session: CaseSession, worker: Submits) -> BackupDialog:
    """Open (not exec) the Back up now dialog as a child of ``parent``; deleted on close."""
    dialog = BackupDialog(session, worker, parent)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    dialog.make_button.setFocus()
    return dialog
