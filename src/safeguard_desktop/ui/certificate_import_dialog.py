"""Importing a signing certificate from a .p12/.pfx file (administrators, from Settings).

The file was chosen already; this asks for its password, says what changes (referrals
signed earlier stay valid, recipients will see a new fingerprint) and runs the import
on the worker. A wrong password is one sentence under the field; the dialog stays.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from safeguard_desktop.services.referral_files import import_certificate_file
from safeguard_desktop.services.referral_preview import CertificateInfo
from safeguard_desktop.services.session import CaseSession

from .dialog_parts import FittingDialog, action_buttons, busy_bar
from .new_password_fields import password_field
from .theme import MessageLine, banner, heading, paragraph, text_width
from .worker import Failure, Worker


class CertificateImportDialog(FittingDialog):
    """Emits ``imported(CertificateInfo)`` once the new certificate is in use."""

    imported = Signal(object)

    def __init__(
        self, session: CaseSession, worker: Worker, path: Path, parent: QWidget | None = None
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
        file_line = paragraph(self.tr("File: {name}").format(name=path.name))
        file_line.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(file_line)
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
        self.busy_bar = busy_bar(self.tr("Importing the certificate"))
        layout.addWidget(self.busy_bar)
        self.buttons, self.import_button, self.cancel_button = action_buttons(
            self.tr("&Import"), self.tr("Import the certificate")
        )
        self.import_button.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    @property
    def busy(self) -> bool:
        return self._busy

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

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        for widget in (self.password, self.import_button, self.cancel_button):
            widget.setEnabled(not busy)

    def _done(self, info: CertificateInfo) -> None:
        self._set_busy(False)
        self.imported.emit(info)
        self.accept()

    def _failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.error.show_error(failure.message)
        self.fit_height()  # the sentence takes room; nothing above it may be squeezed
        self.password.selectAll()
        self.password.setFocus()

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def done(self, result: int) -> None:
        self.password.clear()
        super().done(result)
