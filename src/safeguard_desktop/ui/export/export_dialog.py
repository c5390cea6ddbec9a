"""Export everything (administrators, from Settings): every record as open files, warned first.

The section on the Settings page says what the export is for (moving to another system,
a local authority audit) and opens the dialog. The dialog warns that the export can be
read by anyone who has it, offers one AES-256 encrypted ZIP (with a password typed
twice) or a folder of plain files, and a folder to make it in (Documents unless another
is chosen). The export is made inside that folder under a new name
(``safeguard-export-<organisation>-<date>``; services/export.py), on the worker, with a
progress bar and a Stop button; Stop, Escape or a lock stop it, and nothing is kept.
Running, stopping and the ending sentence are shared with Back up now (stoppable_job.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.services import export
from safeguard_desktop.services.session import CaseSession

from ..theme import BUTTON_MIN_HEIGHT, MessageLine, banner, heading, hint, paragraph, text_width
from ..translations import plural
from ..widgets.dialog_parts import action_buttons, make_default
from ..widgets.field_hint import field_hint
from ..widgets.file_choosers import folder_row, open_folder_dialog
from ..widgets.new_password_fields import password_field
from ..widgets.pdf_save_dialog import documents_folder
from ..widgets.stoppable_job import JobControls, StoppableJobDialog, progress_bar
from ..worker import Submits


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


def size_words(size: int) -> str:
    if size >= 1_000_000:
        return _tr("{n} MB").format(n=f"{size / 1_000_000:,.1f}")
    return _tr("{n} kB").format(n=f"{max(1, round(size / 1000)):,}")


def result_sentence(result: export.ExportResult) -> str:
    concerns = result.counts.get("concerns", 0)
    children = result.counts.get("children", 0)
    pdfs = result.chronologies + result.referrals
    return _tr("Exported {concerns} about {children}, with {pdfs} ({size}).").format(
        concerns=plural("{n} concerns", concerns).format(n=f"{concerns:,}"),
        children=plural("{n} children", children).format(n=f"{children:,}"),
        pdfs=plural("{n} PDFs", pdfs).format(n=f"{pdfs:,}"),
        size=size_words(result.bytes),
    )


class ExportDialog(StoppableJobDialog):
    """Emits ``exported(ExportResult)`` once the export is complete and audited."""

    exported = Signal(object)

    def __init__(
        self, session: CaseSession, worker: Submits, parent: QWidget | None = None
    ) -> None:
        super().__init__(worker, parent)
        self._session = session
        self.outcome: export.ExportResult | None = None
        self.setWindowTitle(self.tr("Export everything"))
        self.setModal(True)
        self.setMinimumWidth(text_width(70))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Export everything"), level=2))
        self.warning = banner(
            self.tr(
                "This writes every record: each child, every concern as it was recorded, "
                "every decision, referral and note, and the audit log. Anyone who has the "
                "files, or the ZIP and its password, can read all of it. Export only to move "
                "to another system or for an audit by the local authority, keep the copy "
                "locked away, and delete it when it has done its job."
            )
        )
        self.warning.setAccessibleName(self.tr("Warning"))
        layout.addWidget(self.warning)

        # Short words on the choice (a radio button's words never wrap); the rest under it.
        self.as_zip = QRadioButton(self.tr("One encrypted &ZIP file"))
        self.as_zip.setAccessibleName(self.tr("One encrypted ZIP file"))
        self.as_folder = QRadioButton(self.tr("A folder of &plain files (not encrypted)"))
        self.as_folder.setAccessibleName(self.tr("A folder of plain files, not encrypted"))
        self.kind = QButtonGroup(self)
        for button in (self.as_zip, self.as_folder):
            self.kind.addButton(button)
            layout.addWidget(button)
            if button is self.as_zip:
                # Each hint is its field's accessible description too, as on every form.
                zip_words = field_hint(
                    self.as_zip, self.tr("AES-256; it opens in 7-Zip with its password.")
                )
                zip_words.setContentsMargins(28, 0, 0, 0)
                layout.addWidget(zip_words)
        self.as_zip.setChecked(True)
        self.as_zip.toggled.connect(self._kind_changed)

        self.password_box = QWidget()
        box = QVBoxLayout(self.password_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        self.password = password_field(
            box, self.tr("ZIP passwor&d"), self.tr("Password for the ZIP file")
        )
        box.addWidget(
            field_hint(
                self.password,
                self.tr(
                    "At least {n} characters; a long phrase is best. Give it to whoever "
                    "receives the file by another route, such as a phone call."
                ).format(n=export.MIN_PASSWORD_LENGTH),
            )
        )
        self.password_again = password_field(
            box, self.tr("ZIP password &again"), self.tr("ZIP password again")
        )
        self.show_password = QCheckBox(self.tr("Sho&w the password"))
        self.show_password.setAccessibleName(self.tr("Show the password"))
        self.show_password.toggled.connect(self._toggle_echo)
        box.addWidget(self.show_password)
        layout.addWidget(self.password_box)

        folder = folder_row(
            self.tr("Make the export &in this folder"),
            self.tr("Folder to make the export in"),
            self.choose_folder,
        )
        self.folder, self.choose_button = folder.edit, folder.choose_button
        self.folder.setText(str(documents_folder()))
        self.folder_dialog: QFileDialog | None = None
        layout.addWidget(folder.label)
        layout.addLayout(folder.row)
        self.name_hint = field_hint(self.folder)
        self.name_hint.setAccessibleName(self.tr("The name the export is given"))
        layout.addWidget(self.name_hint)

        self.progress = progress_bar(self.tr("Progress of the export"))
        layout.addWidget(self.progress)
        self.phase = paragraph()
        self.phase.setAccessibleName(self.tr("What is happening now"))
        self.phase.hide()
        layout.addWidget(self.phase)
        # A lock stops the export (the records close), and a big store takes minutes.
        self.lock_hint = hint(
            plural(
                "A big store takes several minutes. The app still locks after %n minutes "
                "without use, which stops the export: stay at the PC until it is done.",
                session.store.idle_lock_minutes,
            )
        )
        self.lock_hint.setAccessibleName(self.tr("About locking while exporting"))
        self.lock_hint.hide()
        layout.addWidget(self.lock_hint)
        self.message = MessageLine(self.tr("Result of the export"))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.details = hint()
        self.details.setAccessibleName(self.tr("Where the export is"))
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.hide()
        layout.addWidget(self.details)
        layout.addStretch(1)

        self.buttons, self.export_button, self.cancel_button = action_buttons(
            self.tr("&Export"), self.tr("Export")
        )
        self.export_button.clicked.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        make_default(self.export_button)  # Enter presses Export, not Choose another folder
        self._controls = JobControls(
            progress=self.progress,
            phase=self.phase,
            result_line=self.message,
            details=self.details,
            action_button=self.export_button,
            cancel_button=self.cancel_button,
            inputs=(
                self.as_zip,
                self.as_folder,
                self.password_box,
                self.folder,
                self.choose_button,
                self.export_button,
            ),
            stop_text=self.tr("&Stop the export"),
            stop_name=self.tr("Stop the export"),
            running_only=(self.lock_hint,),
            # services/export.py names the place by its command-line option.
            fields={"--out": self.folder, "zip_password": self.password},
        )

        self._kind_changed()

    # The form ------------------------------------------------------------------------

    @property
    def zipped(self) -> bool:
        return self.as_zip.isChecked()

    def _name(self) -> str:
        return export.suggested_name(self._session.organisation.name, zipped=self.zipped)

    def _kind_changed(self) -> None:
        self.password_box.setVisible(self.zipped)
        if self.zipped:
            words = self.tr("The ZIP file will be called {name}.")
        else:
            words = self.tr(
                "A new folder called {name} will be made there. Its files are not encrypted: "
                "choose an encrypted drive, or the ZIP."
            )
        self.name_hint.setText(words.format(name=self._name()))
        self.fit_height()

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in (self.password, self.password_again):
            edit.setEchoMode(mode)

    def choose_folder(self) -> None:
        # Opened, never exec'd: a lock destroys it with this dialog (widgets/file_choosers).
        self.folder_dialog = open_folder_dialog(
            self,
            self.tr("Choose the folder to make the export in"),
            Path(self.folder.text().strip() or "."),
            self._folder_chosen,
        )

    def _folder_chosen(self, path: Path) -> None:
        self.folder.setText(str(path))
        self.export_button.setFocus()

    def _checked_password(self) -> str | None:
        """The ZIP password when it may be used; None after saying why not."""
        password = self.password.text()
        try:
            export.check_zip_password(password)
        except BadInput as problem:
            self._refuse(str(problem), self.password)
            return None
        if password != self.password_again.text():
            self._refuse(self.tr("The two passwords are not the same."), self.password_again)
            return None
        return password

    def _refuse(self, sentence: str, field: QWidget) -> None:
        self.message.show_error(sentence)
        field.setFocus()
        self.fit_height()

    # Exporting -----------------------------------------------------------------------

    def start_export(self) -> None:
        if self._running:
            return
        text = self.folder.text().strip()
        if not text:
            self._refuse(self.tr("Please choose a folder to make the export in."), self.folder)
            return
        password = self._checked_password() if self.zipped else None
        if self.zipped and password is None:
            return
        folder = Path(text)
        if not folder.is_dir():
            self._refuse(
                self.tr("That folder does not exist; choose another (is the USB stick in?)."),
                self.folder,
            )
            return
        target = export.free_target(folder, self._name())
        self._start_job(
            export.export_everything,
            self._session,
            target,
            zip_password=password,
            on_done=self._done,
        )

    def _done(self, result: export.ExportResult) -> None:
        self._set_running(False)
        self.outcome = result
        self.password.clear()
        self.password_again.clear()
        if result.zipped:
            details = self.tr(
                "The file is {path}. Its SHA-256, kept in the audit log: {sha}. Send the "
                "password by another route than the file."
            ).format(path=result.path, sha=result.sha256)
        else:
            details = self.tr(
                "The folder is {path}. Anyone who can open it can read every record: move "
                "it to an encrypted drive or delete it when it has done its job."
            ).format(path=result.path)
        if result.leftovers_removed:
            details += " " + self.tr(
                "An earlier export into this folder stopped half way and left files behind; "
                "they have been deleted, and nothing else in the folder was touched."
            )
        self._show_done(result_sentence(result), details)
        self.exported.emit(result)


class ExportSection(QWidget):
    """The "Export everything" part of the Settings page (administrators only)."""

    def __init__(
        self, session: CaseSession, worker: Submits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.dialog: ExportDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(heading(self.tr("Export everything"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "Every record as open files (export.json and the PDFs), for moving to "
                    "another system or an audit by the local authority. Not a backup: to "
                    "keep the records safe, use Back up now."
                )
            )
        )
        row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("E&xport everything…"))
        self.export_button.setAccessibleName(self.tr("Export everything"))
        self.export_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.export_button.clicked.connect(self.open_dialog)
        row.addWidget(self.export_button)
        row.addStretch(1)
        layout.addLayout(row)

    def open_dialog(self) -> ExportDialog:
        dialog = ExportDialog(self._session, self._worker, self)
        dialog.finished.connect(self._closed)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        dialog.export_button.setFocus()
        return dialog

    def _closed(self) -> None:
        self.dialog = None
