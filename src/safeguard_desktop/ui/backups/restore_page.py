""" "Restore from a backup" on the first-run screen: the file, the recovery key, a new password.

For a new PC, or to put records back. The person chooses the .sgbackup file, types the
recovery key from the printed sheet (recovery_key_entry.py: a typing slip is marked per
group at once), an administrator's user name and a new password for them on this PC
(new_password_fields.py). The restore runs on the worker with progress: the recovery
key's key derivation, then the whole backup read back and checked before anything is put
into the data folder, which must be empty (the service refuses otherwise and says so).
Then the sign-in page. The other accounts keep their names and roles and get a new
password from the administrator (the People page says so beside each).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.accounts import validate_password
from safeguard_desktop.domain.errors import BadInput, NotPermitted, WrongCredentials
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.services.backup import RestoreReport, restore_backup
from safeguard_desktop.services.store import Store

from ..theme import (
    BUTTON_MIN_HEIGHT,
    MessageLine,
    heading,
    hint,
    paragraph,
    taller,
)
from ..widgets.file_choosers import chooser_row, open_file_dialog
from ..widgets.new_password_fields import NewPasswordFields
from ..widgets.page_parts import footed_page
from ..widgets.recovery_key_entry import RecoveryKeyEntry
from ..widgets.stoppable_job import progress_bar, safe_report
from ..worker import Failure, ProgressRelay, Worker
from .backup_folder import suggested_backup_folder


def _restore(
    path: Path,
    data_dir: Path,
    code: str,
    username: str,
    password: str,
    progress: Callable[[int, str], None],
) -> tuple[Store, RestoreReport]:
    """On the worker: restore, then open the store for the sign-in page."""
    report = restore_backup(path, data_dir, code, username, password, progress=progress)
    store = Store.open(data_dir)
    # Asking the OS credential store can take a moment (D-Bus); here, not on the GUI.
    _ = store.device_secret_status
    return store, report


class RestorePage(QWidget):
    """Emits ``restored(store, username, report)``, or ``back_requested``."""

    restored = Signal(object, str, object)
    back_requested = Signal()

    def __init__(self, data_dir: Path, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._worker = worker
        self._busy = False
        self.file_dialog: QFileDialog | None = None
        self.setAccessibleName(self.tr("Restore from a backup"))

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Restore from a backup")))
        layout.addWidget(
            paragraph(
                self.tr(
                    "This puts the records from a backup onto this PC. You need the backup "
                    "file, the printed recovery key sheet, and the user name of one of your "
                    "organisation's administrators."
                )
            )
        )

        layout.addSpacing(6)
        layout.addWidget(heading(self.tr("1. The backup file"), level=2))
        chooser = chooser_row(
            self.tr("Backup &file"),
            self.tr("Backup file"),
            self.choose_file,
            self.tr("&Choose the backup file…"),
            self.tr("Choose the backup file"),
        )
        self.file, self.choose_button = chooser.edit, chooser.choose_button
        self.file.setPlaceholderText(self.tr("Its name ends in .sgbackup"))
        layout.addWidget(chooser.label)
        layout.addLayout(chooser.row)
        layout.addWidget(
            hint(
                self.tr(
                    "It is called safeguard-backup-, your organisation's name and the date, "
                    "for example on a USB stick. Use the newest one you have."
                )
            )
        )

        layout.addSpacing(6)
        layout.addWidget(heading(self.tr("2. The recovery key"), level=2))
        self.key_entry = RecoveryKeyEntry(focus=self._focus)
        # The sentence about a typing slip is under the last row of groups: scrolled into
        # sight as it appears, the keyboard left in the group being typed.
        self.key_entry.message_changed.connect(
            lambda: QTimer.singleShot(0, self, self._show_key_message)
        )
        layout.addWidget(self.key_entry)

        layout.addSpacing(6)
        layout.addWidget(heading(self.tr("3. The administrator"), level=2))
        self.username = QLineEdit()
        self.username.setAccessibleName(self.tr("Administrator's user name"))
        self.username.setMaxLength(64)
        user_label = QLabel(self.tr("Administrator's &user name"))
        user_label.setBuddy(self.username)
        layout.addWidget(user_label)
        layout.addWidget(self.username)
        self.key_entry.filled.connect(lambda: self._focus(self.username))
        self.passwords = NewPasswordFields(
            self.tr(
                "The administrator's password on this PC: at least 10 characters; a few words "
                "you will remember are best."
            )
        )
        layout.addWidget(self.passwords)
        layout.addWidget(
            hint(
                self.tr(
                    "Everyone else keeps their name and role. Once you are signed in, give "
                    "each of them a new password on the People page."
                )
            )
        )
        self.folder_line = hint(
            self.tr("The records will be put in {folder}").format(folder=data_dir)
        )
        self.folder_line.setAccessibleName(self.tr("Where the records will be put"))
        layout.addWidget(self.folder_line)

        layout.addStretch(1)

        # Below the scrolling part, always in view: how far it is, what went wrong, and
        # the buttons (at 150 % text the fields above need the whole screen).
        footer_body = QWidget()
        footer = QVBoxLayout(footer_body)
        footer.setContentsMargins(28, 8, 28, 14)
        footer.setSpacing(6)
        self.progress = progress_bar(self.tr("Progress of the restore"))
        footer.addWidget(self.progress)
        self.phase = paragraph()
        self.phase.setAccessibleName(self.tr("What is happening now"))
        self.phase.hide()
        footer.addWidget(self.phase)
        self.error = MessageLine(self.tr("Problem restoring"))
        footer.addWidget(self.error)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton(self.tr("&Restore the records"))
        self.restore_button.setAccessibleName(self.tr("Restore the records"))
        self.restore_button.setDefault(True)
        taller(self.restore_button, BUTTON_MIN_HEIGHT + 4)
        self.restore_button.clicked.connect(self.submit)
        self.back_button = QPushButton(self.tr("&Back"))
        self.back_button.setAccessibleName(self.tr("Back to the first screen"))
        self.back_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.back_button.clicked.connect(self._back)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        footer.addLayout(buttons)
        self.scroller: QScrollArea = footed_page(self, body, footer_body)

        self._relay = ProgressRelay(self)
        self._relay.progress.connect(self._progress)
        for edit in (self.file, self.username, self.passwords.password_again):
            edit.returnPressed.connect(self.submit)
        order: list[QWidget] = [
            self.file,
            self.choose_button,
            *self.key_entry.groups,
            self.username,
            self.passwords.password,
            self.passwords.password_again,
            self.passwords.show_passwords,
            self.restore_button,
            self.back_button,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    @property
    def busy(self) -> bool:
        return self._busy

    def _focus(self, widget: QWidget) -> None:
        widget.setFocus()
        self.scroller.ensureWidgetVisible(widget)

    def _show_key_message(self) -> None:
        message = self.key_entry.key_message
        if not message.isVisible():
            return
        self.scroller.ensureWidgetVisible(message, 20, 20)
        focused = self.focusWidget()
        if focused is not None and self.key_entry.isAncestorOf(focused):
            self.scroller.ensureWidgetVisible(focused, 20, 20)

    # The file ------------------------------------------------------------------------

    def choose_file(self) -> None:
        start = Path(self.file.text().strip()).parent if self.file.text().strip() else None
        self.file_dialog = open_file_dialog(
            self,
            self.tr("Choose the backup file"),
            start or suggested_backup_folder().path,
            self.tr("Safeguard Desktop backups (*.sgbackup)"),
            self.use_file,
        )

    def use_file(self, path: Path) -> None:
        self.file.setText(str(path))
        self._focus(self.key_entry.groups[0])

    # Restoring -----------------------------------------------------------------------

    def problem(self) -> tuple[str, QWidget] | None:
        """The first thing to put right before the slow restore, and where; None if none."""
        if not self.file.text().strip():
            return self.tr("Please choose the backup file."), self.file
        key_problem = self.key_entry.problem()
        if key_problem is not None:
            return key_problem
        if not self.username.text().strip():
            return self.tr("Please type the administrator's user name."), self.username
        try:
            validate_password(self.passwords.password.text(), Role.ADMIN, field="new password")
        except BadInput as error:
            return str(error), self.passwords.password
        mismatch = self.passwords.mismatch()
        if mismatch:
            return mismatch, self.passwords.password_again
        return None

    def submit(self) -> None:
        if self._busy:
            return
        found = self.problem()
        if found is not None:
            sentence, where = found
            if sentence == self.key_entry.key_message.text():
                self.error.clear_message()  # already said beside the groups
            else:
                self.error.show_error(sentence)
            self._focus(where)
            return
        password = self.passwords.password.text()
        # Kept in the fields until the restore has worked: a wrong key or user name is
        # put right without typing the new password twice again.
        self.error.clear_message()
        self._set_busy(True)
        self._worker.submit(
            _restore,
            Path(self.file.text().strip()),
            self.data_dir,
            self.key_entry.key_text(),
            self.username.text().strip(),
            password,
            safe_report(self._relay),
            on_done=self._restored,
            on_error=self._failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        self.phase.setVisible(busy)
        if busy:
            self.progress.setValue(0)
            self.phase.setText(self.tr("Starting…"))
        for widget in (
            self.file,
            self.choose_button,
            self.key_entry,
            self.username,
            self.passwords,
            self.restore_button,
            self.back_button,
        ):
            widget.setEnabled(not busy)

    def _progress(self, percent: int, text: str) -> None:
        self.progress.setValue(max(0, min(100, percent)))
        if text:
            self.phase.setText(text)

    def _restored(self, result: tuple[Store, RestoreReport]) -> None:
        store, report = result
        self._set_busy(False)
        self.key_entry.clear()
        self.passwords.clear()
        self.restored.emit(store, self.username.text().strip(), report)

    def _failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.error.show_error(failure.message)
        if isinstance(failure.error, WrongCredentials):
            self._focus(self.key_entry.groups[0])
        elif isinstance(failure.error, BadInput) and failure.error.field == "file":
            self._focus(self.file)
        elif isinstance(failure.error, NotPermitted):
            # No such account in the backup, or not an administrator: the name is at fault.
            self._focus(self.username)
            self.username.selectAll()
        else:
            self._focus(self.passwords.password)

    def _back(self) -> None:
        if not self._busy:
            self.key_entry.clear()
            self.passwords.clear()
            self.back_requested.emit()
