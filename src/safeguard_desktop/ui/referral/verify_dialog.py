""" "Verify a signed PDF": who signed it, when, whether it changed since, whose certificate.

The lead chooses a file; it is checked on the worker against this organisation's
certificate (services/referral_files.py, which audits the check with the file's
SHA-256). A password-protected PDF asks for its password and is checked again. The
answer is written out in words ("Yes" / "No: …"), so colour is never the only cue:
whether the signature covers the whole file and, when it does not, what was added
after signing (the same verdict as ``safeguard-desktop verify-pdf``). Nothing of the
file is kept once the dialog closes.
"""

from __future__ import annotations

import functools
import stat
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.domain.errors import WrongCredentials
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services.referral_files import CheckedPdf, check_pdf_file
from safeguard_desktop.services.session import CaseSession

from ..theme import BUTTON_MIN_HEIGHT, MessageLine, card, heading, paragraph, text_width
from ..widgets.dialog_parts import FittingDialog, busy_bar
from ..widgets.new_password_fields import password_field
from ..worker import Failure, Submits
from .fingerprint_label import FingerprintLabel


def open_verify_dialog(parent: QWidget, session: CaseSession, worker: Submits) -> VerifyDialog:
    """Open "Verify a signed PDF"; ``parent`` must be inside the case area."""
    dialog = VerifyDialog(session, worker, parent)
    dialog.open()
    return dialog


def _local(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return long_date(local(moment))


def _pipe_or_device(path: Path) -> bool:
    """Whether ``path`` is something other than a file or folder (a FIFO, a device)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False  # gone or not allowed: the check says so in its own words
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _value_label(accessible_name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(accessible_name)
    # Level with the top line of its caption, which may wrap to two or three lines.
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class VerifyDialog(FittingDialog):
    """Choose a PDF, give its password if it has one, read what the check found."""

    def __init__(self, session: CaseSession, worker: Submits, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self._path: Path | None = None
        self._busy = False
        self._checked: CheckedPdf | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Verify a signed PDF"))
        self.setModal(True)
        self.setMinimumWidth(text_width(72))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Verify a signed PDF"), level=2))
        layout.addWidget(
            paragraph(
                self.tr(
                    "Check who signed a PDF, when, and whether anything in it has changed "
                    "since. The file itself is not changed, and the check is written in "
                    "the audit log."
                )
            )
        )
        choose_row = QHBoxLayout()
        self.choose_button = QPushButton(self.tr("&Choose a PDF…"))
        self.choose_button.setAccessibleName(self.tr("Choose a PDF to verify"))
        self.choose_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.choose_button.setDefault(True)
        self.choose_button.clicked.connect(self.choose)
        choose_row.addWidget(self.choose_button)
        self.file_label = QLabel()
        self.file_label.setAccessibleName(self.tr("File being checked"))
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        choose_row.addWidget(self.file_label, 1)
        layout.addLayout(choose_row)

        self.password_box = QWidget()
        password_layout = QVBoxLayout(self.password_box)
        password_layout.setContentsMargins(0, 4, 0, 0)
        password_layout.setSpacing(6)
        password_layout.addWidget(
            paragraph(
                self.tr(
                    "This PDF is password protected. Type the password it was sent with to "
                    "check it."
                )
            )
        )
        self.password = password_field(
            password_layout, self.tr("The PDF's &password"), self.tr("The PDF's password")
        )
        self.password.returnPressed.connect(self.check_with_password)
        self.password_error = MessageLine(self.tr("Problem with the PDF password"))
        password_layout.addWidget(self.password_error)
        self.check_button = QPushButton(self.tr("C&heck"))
        self.check_button.setAccessibleName(self.tr("Check the PDF with this password"))
        self.check_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.check_button.clicked.connect(self.check_with_password)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addStretch(1)
        password_layout.addLayout(check_row)
        self.password_box.hide()
        layout.addWidget(self.password_box)

        self.busy = busy_bar(self.tr("Checking the PDF"))
        layout.addWidget(self.busy)
        self.error = MessageLine(self.tr("Problem checking the PDF"))
        layout.addWidget(self.error)
        layout.addWidget(self._build_result())

        # A shorter result than the last one leaves its room under it, not between lines.
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("C&lose"))
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def _build_result(self) -> QWidget:
        self.result_card = card()
        layout = QVBoxLayout(self.result_card)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        self.verdict = heading("", level=2)
        self.verdict.setAccessibleName(self.tr("What the check found"))
        layout.addWidget(self.verdict)
        self.message = MessageLine(self.tr("Result of the check"))
        layout.addWidget(self.message)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        self._rows: dict[str, tuple[QLabel, QWidget]] = {}

        def row(key: str, caption: str, value: QWidget) -> None:
            label = QLabel(caption)
            label.setProperty("sgRole", "hint")
            label.setWordWrap(True)
            # Wide enough that the longest caption takes two lines, not four.
            label.setMinimumWidth(text_width(24))
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            line = grid.rowCount()
            grid.addWidget(label, line, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, line, 1)
            self._rows[key] = (label, value)

        self.signer = _value_label(self.tr("Signed by"))
        row("signer", self.tr("Signed by"), self.signer)
        self.organisation = _value_label(self.tr("Organisation"))
        row("organisation", self.tr("Organisation"), self.organisation)
        self.signed_at = _value_label(self.tr("Signed at"))
        row("signed_at", self.tr("Signed at"), self.signed_at)
        self.intact = _value_label(self.tr("Unchanged since signing"))
        row("intact", self.tr("Unchanged since signing"), self.intact)
        self.whole_file = _value_label(self.tr("Signature covers the whole file"))
        row("whole_file", self.tr("Signature covers the whole file"), self.whole_file)
        self.added = _value_label(self.tr("Added after signing"))
        row("added", self.tr("Added after signing"), self.added)
        self.valid = _value_label(self.tr("Signature valid"))
        row("valid", self.tr("Signature valid"), self.valid)
        self.trusted = _value_label(self.tr("Signed with this organisation's certificate"))
        row("trusted", self.tr("Signed with this organisation's certificate"), self.trusted)
        self.fingerprint = FingerprintLabel(self.tr("Certificate fingerprint of the signer"))
        row("fingerprint", self.tr("Its certificate's fingerprint"), self.fingerprint)
        self.our_fingerprint = FingerprintLabel(self.tr("This organisation's fingerprint"))
        row("ours", self.tr("This organisation's fingerprint"), self.our_fingerprint)
        self.signatures = _value_label(self.tr("Signatures"))
        row("signatures", self.tr("Signatures"), self.signatures)
        layout.addLayout(grid)
        self.result_card.hide()
        return self.result_card

    # Choosing and checking ----------------------------------------------------------

    @property
    def checked(self) -> CheckedPdf | None:
        return self._checked

    @property
    def busy_now(self) -> bool:
        return self._busy

    def choose(self) -> None:
        if self._busy:
            return
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a signed PDF"),
            documents or str(Path.home()),
            self.tr("PDF files (*.pdf);;All files (*)"),
        )
        if chosen and self.isVisible():
            self.check_file(Path(chosen))

    def check_file(self, path: Path) -> None:
        """Check the PDF at ``path`` (no password yet)."""
        self._path = path
        self.file_label.setText(display_safe(path.name))
        self.password.clear()
        self.password_box.hide()
        if _pipe_or_device(path):
            # Reading a FIFO waits for a writer forever and would hold the worker
            # every other screen shares.
            self._checked = None
            self.result_card.hide()
            self.error.show_error(self.tr("That is not an ordinary file; choose a PDF file."))
            self.fit_height()
            return
        self._check(None)

    def check_with_password(self) -> None:
        if self._busy or self._path is None:
            return
        if not self.password.text():
            self.password_error.show_error(self.tr("Type the PDF's password first."))
            self.password.setFocus()
            return
        self._check(self.password.text())

    def _check(self, password: str | None) -> None:
        assert self._path is not None
        self._checked = None
        self.error.clear_message()
        self.password_error.clear_message()
        self.result_card.hide()
        self._set_busy(True)
        self._worker.submit(
            check_pdf_file,
            self._session,
            self._path,
            password,
            on_done=self._show,
            on_error=functools.partial(self._failed, password is not None),
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        for widget in (self.choose_button, self.check_button, self.password, self.close_button):
            widget.setEnabled(not busy)

    def _failed(self, had_password: bool, failure: Failure) -> None:
        self._set_busy(False)
        if isinstance(failure.error, WrongCredentials):
            self.password_box.show()
            self.check_button.setDefault(True)
            if had_password:
                self.password_error.show_error(failure.message)
                self.password.selectAll()
            self.password.setFocus()
        else:
            self.error.show_error(failure.message)
        self.fit_height()

    def _show(self, checked: CheckedPdf) -> None:
        self._set_busy(False)
        self._checked = checked
        self.password.clear()
        self.password_box.hide()
        self.choose_button.setText(self.tr("&Choose another PDF…"))
        self.choose_button.setDefault(True)
        result = checked.result
        yes = self.tr("Yes")
        # Something added after signing, the signed bytes themselves untouched.
        added = bool(result.added_after_signing) and not result.intact
        if result.ok and result.trusted:
            self.verdict.setText(self.tr("Passed: signed by your organisation, unchanged"))
            self.message.show_good(result.message)
        elif result.ok:
            self.verdict.setText(
                self.tr("Unchanged, but not signed with your organisation's certificate")
            )
            self.message.show_error(result.message)
        elif added and result.valid:
            self.verdict.setText(self.tr("Failed: something was added after it was signed"))
            self.message.show_error(result.message)
        else:
            self.verdict.setText(self.tr("Failed: do not rely on this PDF"))
            self.message.show_error(result.message)
        self.verdict.setAccessibleName(self.verdict.text())
        checked_any = bool(result.fingerprint_sha256)
        # Names come from a file anyone could have made: never let them reorder the line.
        self.signer.setText(display_safe(result.signer))
        self.organisation.setText(display_safe(result.organisation))
        self.signed_at.setText(
            self.tr("{when} (as the signer's PC reported it)").format(when=_local(result.signed_at))
            if result.signed_at
            else ""
        )
        if result.intact:
            self.intact.setText(yes)
        elif added:
            self.intact.setText(self.tr("No: something was added after it was signed"))
        else:
            self.intact.setText(self.tr("No: it has been changed since it was signed"))
        self.whole_file.setText(
            yes
            if result.covers_whole_file
            else self.tr("No: part of the file was added after signing")
        )
        # English from the check, like the message above: "the document's information
        # was changed" becomes a value of its own.
        what = result.added_after_signing
        self.added.setText(display_safe(what[:1].upper() + what[1:]))
        if not result.valid:
            self.valid.setText(self.tr("No: the signature does not match its certificate"))
        elif result.intact:
            self.valid.setText(yes)
        else:
            # The signature is sound, but it is over the PDF as it was: a bare "Yes" here,
            # under "changed since it was signed", reads as if the file could be trusted.
            self.valid.setText(self.tr("Yes, but for the PDF as it was before it was changed"))
        same_certificate = result.fingerprint_sha256 == checked.our_fingerprint
        if result.trusted:
            self.trusted.setText(yes)
        elif same_certificate:
            # Our certificate, but the check failed: the certificate is not the problem.
            self.trusted.setText(self.tr("Yes, but see above: do not rely on this PDF"))
        else:
            self.trusted.setText(
                self.tr("No: signed with a different certificate; compare fingerprints")
            )
        self.fingerprint.set_fingerprint(result.fingerprint_sha256)
        self.our_fingerprint.set_fingerprint(checked.our_fingerprint)
        self.signatures.setText(str(result.signature_count))
        shown = {
            "signer": bool(result.signer),
            "organisation": bool(result.organisation),
            "signed_at": result.signed_at is not None,
            "intact": checked_any,
            "whole_file": checked_any,
            "added": bool(result.added_after_signing),
            "valid": checked_any,
            "trusted": checked_any,
            "fingerprint": checked_any,
            "ours": checked_any and not same_certificate,
            "signatures": result.signature_count > 1,
        }
        for key, (caption, value) in self._rows.items():
            caption.setVisible(shown[key])
            value.setVisible(shown[key])
        self.result_card.show()
        self._fit_width()
        self.fit_height()
        self.choose_button.setFocus()

    def _fit_width(self) -> None:
        """Widen to what the layout needs: a fingerprint must never be cut off."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalMinimumSize().width()
        if needed > self.minimumWidth():
            self.setMinimumWidth(needed)
        if needed > self.width():
            self.resize(needed, self.height())

    # Closing ------------------------------------------------------------------------

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def done(self, result: int) -> None:
        self.password.clear()
        self._checked = None
        super().done(result)
