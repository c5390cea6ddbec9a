"""Importing a signing certificate from a .p12/.pfx file (administrators, from Settings).

The file was chosen already; this asks for its password, says what changes (referrals
signed earlier stay valid, recipients will see a new fingerprint) and runs the import
on the worker. A wrong password is one sentence under the field; the dialog stays. A
file that is no certificate at all says so, and offers to choose another one here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from safeguard_desktop.domain.errors import WrongCredentials
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services.referral_files import import_certificate_file
from safeguard_desktop.services.referral_preview import CertificateInfo
from safeguard_desktop.services.session import CaseSession

from ..theme import BUTTON_MIN_HEIGHT, MessageLine, banner, heading, paragraph, text_width
from ..widgets.dialog_parts import FittingDialog, action_buttons, busy_bar, make_default
from ..widgets.new_password_fields import password_field
from ..worker import Failure, Submits


def choose_certificate_file(parent: QWidget) -> Path | None:
    """The operating system's file chooser, for a .p12/.pfx file; None when cancelled."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("CertificateImportDialog", "Choose the certificate file"),
        documents or str(Path.home()),
        QCoreApplication.translate(
            "CertificateImportDialog", "Certificate files (*.p12 *.pfx);;All files (*)"
        ),
    )
    return Path(chosen) if chosen else None


class CertificateImportDialog(FittingDialog):
    """Emits ``imported(CertificateInfo)`` once the new certificate is in use."""

    imported = Signal(object)

    def __init__(
        self, session: CaseSession, worker: Submits, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self._path = path
        self._busy = False
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Import a signing certificate"))
        self.setModal(True)
        self.setMinimumWidth(text_width(60))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Import a signing certificate"), level=2))
        self.file_line = paragraph()
        self.file_line.setTextFormat(Qt.TextFormat.PlainText)
        self.file_line.setAccessibleName(self.tr("The certificate file"))
        layout.addWidget(self.file_line)
        layout.addWidget(
            banner(
                self.tr(
                    "Referrals signed earlier stay valid. From now on, referrals are signed "
                    "with this certificate, so recipients will see a new fingerprint: tell "
                    "the agencies you send referrals to, and read them the new one."
                )
            )
        )
        self.password = password_field(
            layout, self.tr("The file's &password"), self.tr("The certificate file's password")
        )
        self.password.returnPressed.connect(self.submit)
        self.error = MessageLine(self.tr("Problem importing the certificate"))
        layout.addWidget(self.error)
        # Shown when the file itself is the problem: no password will make it a certificate.
        self.choose_again_button = QPushButton(self.tr("C&hoose another file…"))
        self.choose_again_button.setAccessibleName(self.tr("Choose another certificate file"))
        self.choose_again_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.choose_again_button.setAutoDefault(False)
        self.choose_again_button.clicked.connect(self.choose_again)
        self.choose_again_button.hide()
        choose_row = QHBoxLayout()
        choose_row.addWidget(self.choose_again_button)
        choose_row.addStretch(1)
        layout.addLayout(choose_row)
        self.busy_bar = busy_bar(self.tr("Importing the certificate"))
        layout.addWidget(self.busy_bar)
        self.buttons, self.import_button, self.cancel_button = action_buttons(
            self.tr("&Import"), self.tr("Import the certificate")
        )
        self.import_button.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        make_default(self.import_button)  # Enter imports, not Choose another file
        self._show_path()
        self.password.setFocus()

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def path(self) -> Path:
        return self._path

    def _show_path(self) -> None:
        # A file name is anyone's text: a bidi control in it must not reorder the line.
        self.file_line.setText(self.tr("File: {name}").format(name=display_safe(self._path.name)))

    def submit(self) -> None:
        if self._busy:
            return
        self.error.clear_message()
        self._set_busy(True)
        self._worker.submit(
            import_certificate_file,
            self._session,
            self._path,
            self.password.text(),
            on_done=self._done,
            on_error=self._failed,
        )

    def choose_again(self) -> None:
        """Choose another file in place of one that is not a certificate."""
        if self._busy:
            return
        chosen = choose_certificate_file(self)
        if chosen is None or not self.isVisible():
            return
        self._path = chosen
        self._show_path()
        self.error.clear_message()
        self.choose_again_button.hide()
        self.password.clear()
        self.password.setFocus()
        self.fit_height()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        for widget in (
            self.password,
            self.import_button,
            self.cancel_button,
            self.choose_again_button,
        ):
            widget.setEnabled(not busy)

    def _done(self, info: CertificateInfo) -> None:
        self._set_busy(False)
        self.imported.emit(info)
        self.accept()

    def _failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.error.show_error(failure.message)
        if isinstance(failure.error, WrongCredentials):
            self.password.selectAll()
            self.password.setFocus()
        else:
            # Not a certificate, no key in it, unreadable: another file is the way on.
            self.choose_again_button.show()
            self.choose_again_button.setFocus()
        self.fit_height()  # the sentence takes room; nothing above it may be squeezed

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def done(self, result: int) -> None:
        self.password.clear()
        super().done(result)
