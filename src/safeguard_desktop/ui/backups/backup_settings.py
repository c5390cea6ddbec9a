"""Settings' backup part: Back up now, automatic backups, and "Check the records now".

Every lead can back up and check; only an administrator changes automatic backups (the
folder, how often, how many to keep, on or off). The automatic backup itself runs at
sign-in, sign-out and lock (automatic_backup.py). The check reads every page, every
table and the whole audit log on the worker, with progress, and ends in the service's
one sentence; when it finds a problem, it says what to do next.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.services import backup, records_check
from safeguard_desktop.services.backup import (
    DEFAULT_EVERY_DAYS,
    DEFAULT_KEEP,
    AutoBackupSettings,
)
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.records_check import CheckReport
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import BUTTON_MIN_HEIGHT, MessageLine, heading, hint, paragraph, text_width
from ..widgets.file_choosers import open_folder_dialog
from ..widgets.page_parts import save_button_and_message
from ..widgets.stoppable_job import progress_bar, safe_report
from ..worker import Failure, ProgressRelay
from .backup_dialog import BackupDialog, open_backup_dialog
from .backup_folder import suggested_backup_folder
from .backup_status import (
    BACKUP_SETTINGS,
    BackupFacts,
    backup_facts,
    last_backup_lines,
    show_last_backup,
)


def _save_automatic(session: CaseSession, settings: AutoBackupSettings | None) -> Changes:
    return backup.set_automatic_backups(session, settings)


class BackupSettings(QWidget):
    """The three backup sections of Settings, loaded on the worker by ``refresh``, and
    again after a change to the backups (a backup made, the automatic ones saved)."""

    def __init__(
        self, session: CaseSession, worker: CaseWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        worker.changed.connect(self.on_changes)
        self._is_admin = session.user.role is Role.ADMIN
        self.facts: BackupFacts | None = None
        self.dialog: BackupDialog | None = None
        self.folder_dialog: QFileDialog | None = None
        self._checking = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)

        # Back up now -------------------------------------------------------------------
        layout.addWidget(heading(self.tr("Backups"), level=2))
        self.status_box = QFrame()
        self.status_box.setProperty("sgRole", "card")
        box = QHBoxLayout(self.status_box)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(16)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        self.status_line, self.where_line = last_backup_lines(texts)
        box.addLayout(texts, 1)
        self.backup_button = QPushButton(self.tr("Back &up now…"))
        self.backup_button.setAccessibleName(self.tr("Back up now"))
        self.backup_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.backup_button.clicked.connect(self.open_dialog)
        box.addWidget(self.backup_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.status_box)
        layout.addWidget(
            hint(
                self.tr(
                    "A backup is one encrypted file holding every record. Make one onto a USB "
                    "stick at least once a week and keep the stick locked away, apart from "
                    "this PC. To open it on a new PC you need the recovery key."
                )
            )
        )

        # Automatic backups -------------------------------------------------------------
        layout.addSpacing(6)
        layout.addWidget(heading(self.tr("Automatic backups"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "When a lead or administrator signs in, signs out or locks the app, a "
                    "backup is made into this folder if one is due. Choose a folder that is "
                    "usually there: a second disk, a USB stick that stays in, or a synced "
                    "folder. If it is not there, Home says so and the next time tries again."
                )
            )
        )
        self.automatic_on = QCheckBox(self.tr("Make &backups automatically"))
        self.automatic_on.setAccessibleName(self.tr("Make backups automatically"))
        self.automatic_on.toggled.connect(self._automatic_toggled)
        layout.addWidget(self.automatic_on)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.automatic_folder = QLineEdit()
        self.automatic_folder.setAccessibleName(self.tr("Folder for automatic backups"))
        self.automatic_folder.setPlaceholderText(
            self.tr("A second disk, a USB stick that stays in, or a synced folder")
        )
        folder_label = QLabel(self.tr("Backup folde&r"))
        folder_label.setBuddy(self.automatic_folder)
        self.choose_button = QPushButton(self.tr("C&hoose a folder…"))
        self.choose_button.setAccessibleName(self.tr("Choose a folder for automatic backups"))
        self.choose_button.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.automatic_folder, 1)
        folder_row.addWidget(self.choose_button)
        grid.addWidget(folder_label, 0, 0)
        grid.addLayout(folder_row, 0, 1)

        self.every_days = QSpinBox()
        self.every_days.setRange(1, 90)
        self.every_days.setValue(DEFAULT_EVERY_DAYS)
        self.every_days.setAccessibleName(self.tr("Make a backup every this many days"))
        self.every_days.setMinimumWidth(text_width(16))
        self.every_days.valueChanged.connect(self._suffixes)
        self.every_days.setPrefix(self.tr("every "))
        every_label = QLabel(self.tr("How o&ften"))
        every_label.setBuddy(self.every_days)
        every_row = QHBoxLayout()
        every_row.addWidget(self.every_days)
        every_row.addStretch(1)
        grid.addWidget(every_label, 1, 0)
        grid.addLayout(every_row, 1, 1)

        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.keep.setValue(DEFAULT_KEEP)
        self.keep.setAccessibleName(self.tr("How many automatic backups to keep"))
        self.keep.setMinimumWidth(text_width(22))
        self.keep.valueChanged.connect(self._suffixes)
        self.keep.setPrefix(self.tr("the newest "))
        keep_label = QLabel(self.tr("Keep"))
        keep_label.setBuddy(self.keep)
        keep_row = QHBoxLayout()
        keep_row.addWidget(self.keep)
        keep_row.addStretch(1)
        grid.addWidget(keep_label, 2, 0)
        grid.addLayout(keep_row, 2, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addWidget(
            hint(
                self.tr(
                    "Older automatic backups in that folder are deleted, and only once a new "
                    "one has been made and checked. Backups you make yourself elsewhere are "
                    "never touched."
                )
            )
        )
        self.save_button, self.automatic_message = save_button_and_message(
            layout,
            self.tr("Save auto&matic backups"),
            self.tr("Save the automatic backup settings"),
            self.save_automatic,
            self.tr("Result of saving the automatic backups"),
        )
        if not self._is_admin:
            layout.addWidget(hint(self.tr("Only an administrator can change automatic backups.")))
        self._admin_widgets: list[QWidget] = [
            self.automatic_on,
            self.automatic_folder,
            self.choose_button,
            self.every_days,
            self.keep,
            self.save_button,
        ]
        self.save_button.setVisible(self._is_admin)

        # Check the records now ---------------------------------------------------------
        layout.addSpacing(6)
        layout.addWidget(heading(self.tr("Check the records"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "Reads every page of the records, checks every table and walks the whole "
                    "audit log. It changes nothing. On a large store it takes a minute or two; "
                    "you can go on working meanwhile, but other things wait their turn."
                )
            )
        )
        self.check_button = QPushButton(self.tr("Chec&k the records now"))
        self.check_button.setAccessibleName(self.tr("Check the records now"))
        self.check_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.check_button.clicked.connect(self.check_records)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addStretch(1)
        layout.addLayout(check_row)
        self.check_progress = progress_bar(self.tr("Progress of the check"))
        layout.addWidget(self.check_progress)
        self.check_phase = hint()
        self.check_phase.setAccessibleName(self.tr("What the check is doing now"))
        self.check_phase.hide()
        layout.addWidget(self.check_phase)
        self.check_result = MessageLine(self.tr("Result of the check"))
        self.check_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.check_result)
        self.check_advice = paragraph(
            self.tr(
                "What to do: do not delete anything, and tell your administrator. To put the "
                "named backup back, start Safeguard Desktop on a new PC (or with a new, empty "
                "data folder), choose Restore from a backup and type the recovery key."
            )
        )
        self.check_advice.setAccessibleName(self.tr("What to do after a failed check"))
        self.check_advice.hide()
        layout.addWidget(self.check_advice)
        self._check_relay = ProgressRelay(self)
        self._check_relay.progress.connect(self._check_progress)
        self._automatic_toggled(False)
        self._suffixes()

    # Loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        self._worker.submit(
            backup_facts, self._session, on_done=self.show_facts, on_error=self._load_failed
        )

    def on_changes(self, changes: Changes) -> None:
        if changes.settings & BACKUP_SETTINGS:
            self.refresh()

    def show_facts(self, facts: BackupFacts) -> None:
        self.facts = facts
        show_last_backup(
            self.status_box,
            self.status_line,
            self.where_line,
            facts.last,
            restored=bool(facts.restored),
        )
        settings = facts.automatic
        self.automatic_on.setChecked(settings is not None)
        if settings is not None:
            self.automatic_folder.setText(settings.folder)
            self.every_days.setValue(settings.every_days)
            self.keep.setValue(settings.keep)
        self._automatic_toggled(settings is not None)

    def _load_failed(self, failure: Failure) -> None:
        self.status_line.setText(failure.message)

    # Back up now ---------------------------------------------------------------------

    def open_dialog(self) -> BackupDialog | None:
        if self.dialog is not None:
            return None
        dialog = open_backup_dialog(self, self._session, self._worker)
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        return dialog

    def _dialog_closed(self) -> None:
        self.dialog = None

    # Automatic backups ---------------------------------------------------------------

    def _automatic_toggled(self, on: bool) -> None:
        self.automatic_on.setEnabled(self._is_admin)
        self.save_button.setEnabled(self._is_admin)
        for widget in (self.automatic_folder, self.choose_button, self.every_days, self.keep):
            widget.setEnabled(self._is_admin and on)
        if on and self._is_admin and not self.automatic_folder.text().strip():
            # Only a USB stick or other removable drive is offered: a folder on this PC
            # (Documents) would be lost with it, so the field is left for a choice.
            offered = suggested_backup_folder()
            if offered.removable:
                self.automatic_folder.setText(str(offered.path))

    def _suffixes(self) -> None:
        self.every_days.setSuffix(
            self.tr(" day") if self.every_days.value() == 1 else self.tr(" days")
        )
        self.keep.setSuffix(self.tr(" backup") if self.keep.value() == 1 else self.tr(" backups"))

    def choose_folder(self) -> None:
        start = Path(self.automatic_folder.text().strip() or ".")
        self.folder_dialog = open_folder_dialog(
            self, self.tr("Choose the folder for automatic backups"), start, self._folder_chosen
        )

    def _folder_chosen(self, path: Path) -> None:
        self.automatic_folder.setText(str(path))

    def automatic_settings(self) -> AutoBackupSettings | None:
        """What the form says: None when automatic backups are off."""
        if not self.automatic_on.isChecked():
            return None
        return AutoBackupSettings(
            self.automatic_folder.text().strip(), self.every_days.value(), self.keep.value()
        )

    def save_automatic(self) -> None:
        if not self._is_admin:
            return
        settings = self.automatic_settings()
        if settings is not None and not settings.folder:
            self.automatic_message.show_error(
                self.tr("Please choose a folder for the automatic backups.")
            )
            self.automatic_folder.setFocus()
            return
        self.save_button.setEnabled(False)
        self.automatic_message.show_info(self.tr("Saving…"))
        self._worker.submit(
            _save_automatic,
            self._session,
            settings,
            on_done=functools.partial(self._automatic_saved, settings),
            on_error=self._automatic_failed,
        )

    def _automatic_saved(self, settings: AutoBackupSettings | None, _: Changes) -> None:
        # The sections are read again from what changed (on_changes).
        self.save_button.setEnabled(True)
        if settings is None:
            self.automatic_message.show_good(self.tr("Saved: automatic backups are off."))
        else:
            self.automatic_message.show_good(
                self.tr(
                    "Saved. The next backup is made when someone signs in, signs out or locks "
                    "and one is due."
                )
            )

    def _automatic_failed(self, failure: Failure) -> None:
        self.save_button.setEnabled(True)
        self.automatic_message.show_error(failure.message)
        fields = {"folder": self.automatic_folder, "every_days": self.every_days, "keep": self.keep}
        at_fault = (
            fields.get(failure.error.field or "") if isinstance(failure.error, BadInput) else None
        )
        if at_fault is not None:
            at_fault.setFocus()  # the field the refusal is about, as every form does

    # Check the records now -----------------------------------------------------------

    def check_records(self) -> None:
        if self._checking:
            return
        self._checking = True
        self.check_button.setEnabled(False)
        self.check_progress.setValue(0)
        self.check_progress.show()
        self.check_phase.setText(self.tr("Starting…"))
        self.check_phase.show()
        self.check_result.clear_message()
        self.check_advice.hide()
        self._worker.submit(
            records_check.check_records,
            self._session,
            safe_report(self._check_relay),
            on_done=self._checked,
            on_error=self._check_failed,
        )

    def _check_progress(self, percent: int, text: str) -> None:
        self.check_progress.setValue(max(0, min(100, percent)))
        if text:
            self.check_phase.setText(text)

    def _check_finished(self) -> None:
        self._checking = False
        self.check_button.setEnabled(True)
        self.check_progress.hide()
        self.check_phase.hide()

    def _checked(self, report: CheckReport) -> None:
        self._check_finished()
        if report.ok:
            self.check_result.show_good(report.sentence())
        else:
            self.check_result.show_error(report.sentence())
            self.check_advice.show()

    def _check_failed(self, failure: Failure) -> None:
        self._check_finished()
        self.check_result.show_error(failure.message)
        self.check_advice.show()
