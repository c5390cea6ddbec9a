"""Settings for signed referrals: the signing certificate, verifying, contact lines.

The "Signing referrals" card shows the certificate referrals are signed with: its
SHA-256 fingerprint is printed on every referral, so a recipient can check it by phone.
An administrator can import another certificate (.p12/.pfx). "Verify a signed PDF…"
opens the verify dialog. Below, the contact lines printed on referrals: each lead's own
(saved per user, by anyone signed in here) and the organisation's address and phone
(administrators). Everything is read and written on the worker; changes are audited by
the services. A contact line saved elsewhere (the referral dialog) is read again the next
time the page is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services import referral
from safeguard_desktop.services.changes import Changes, Setting
from safeguard_desktop.services.referral_preview import CertificateInfo
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import MessageLine, card, heading, hint
from ..widgets.form_fields import text_box
from ..worker import Failure
from .certificate_import_dialog import CertificateImportDialog, choose_certificate_file
from .fingerprint_label import FingerprintLabel
from .verify_dialog import VerifyDialog, open_verify_dialog


@dataclass(frozen=True)
class _ReferralSettings:
    certificate: CertificateInfo
    referrer_contact: str
    organisation_contact: str


def _load_referral_settings(session: CaseSession) -> _ReferralSettings:
    # Runs on the worker: all three read the encrypted database.
    return _ReferralSettings(
        certificate=referral.certificate_info(session),
        referrer_contact=referral.referrer_contact(session),
        organisation_contact=referral.organisation_contact(session),
    )


def _save_referral_contacts(
    session: CaseSession, mine: str | None, organisation: str | None
) -> _ReferralSettings:
    # Runs on the worker; only what changed is written (each change is audited).
    if mine is not None:
        referral.set_referrer_contact(session, mine)
    if organisation is not None:
        referral.set_organisation_contact(session, organisation)
    return _load_referral_settings(session)


class ReferralSettings(QWidget):
    """The two referral cards of the Settings page; ``refresh()`` loads them once."""

    def __init__(self, session: CaseSession, worker: CaseWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self._worker = worker
        worker.changed.connect(self.on_changes)
        self._referral_settings: _ReferralSettings | None = None
        self.verify_dialog: VerifyDialog | None = None
        self.import_dialog: CertificateImportDialog | None = None
        is_admin = session.user.role is Role.ADMIN
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Signing referrals"), level=2))
        layout.addWidget(self._build_certificate_card(is_admin))
        # Headings sit above their cards, as every other section of Settings does.
        layout.addSpacing(10)
        layout.addWidget(heading(self.tr("Contact details printed on referrals"), level=2))
        layout.addWidget(self._build_referral_contacts_card(is_admin))

    def _build_certificate_card(self, is_admin: bool) -> QWidget:
        frame = card()
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(
            hint(
                self.tr(
                    "Referral PDFs are signed with this certificate. Its fingerprint is "
                    "printed on every referral: when a recipient phones to check one, read "
                    "them this fingerprint and they compare it with the PDF's."
                )
            )
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)

        def row(caption: str, value: QLabel) -> None:
            label = QLabel(caption)
            label.setProperty("sgRole", "hint")
            line = grid.rowCount()
            grid.addWidget(label, line, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, line, 1)

        def value_label(name: str) -> QLabel:
            label = QLabel(self.tr("Loading…"))
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(name)
            return label

        self.certificate_organisation = value_label(self.tr("Certificate organisation"))
        row(self.tr("Organisation"), self.certificate_organisation)
        self.certificate_fingerprint = FingerprintLabel(self.tr("Certificate SHA-256 fingerprint"))
        row(self.tr("SHA-256 fingerprint"), self.certificate_fingerprint)
        self.certificate_valid_until = value_label(self.tr("Certificate valid until"))
        row(self.tr("Valid until"), self.certificate_valid_until)
        self.certificate_source = value_label(self.tr("Where the certificate came from"))
        row(self.tr("Made"), self.certificate_source)
        layout.addLayout(grid)

        buttons = QHBoxLayout()
        self.copy_fingerprint_button = QPushButton(self.tr("&Copy the fingerprint"))
        self.copy_fingerprint_button.setAccessibleName(self.tr("Copy the fingerprint"))
        self.copy_fingerprint_button.clicked.connect(self.copy_fingerprint)
        buttons.addWidget(self.copy_fingerprint_button)
        self.import_button: QPushButton | None = None
        if is_admin:
            self.import_button = QPushButton(self.tr("&Import a certificate (.p12/.pfx)…"))
            self.import_button.setAccessibleName(self.tr("Import a certificate"))
            self.import_button.clicked.connect(self.choose_certificate_file)
            buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.certificate_message = MessageLine(self.tr("About the certificate"))
        layout.addWidget(self.certificate_message)

        layout.addSpacing(6)
        layout.addWidget(
            hint(
                self.tr(
                    "To check a signed PDF (one you made, or one sent to you), and whether "
                    "it has changed since it was signed:"
                )
            )
        )
        verify_row = QHBoxLayout()
        self.verify_button = QPushButton(self.tr("&Verify a signed PDF…"))
        self.verify_button.setAccessibleName(self.tr("Verify a signed PDF"))
        self.verify_button.clicked.connect(self.open_verify)
        verify_row.addWidget(self.verify_button)
        verify_row.addStretch(1)
        layout.addLayout(verify_row)
        return frame

    def _build_referral_contacts_card(self, is_admin: bool) -> QWidget:
        frame = card()
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        self.referrer_contact = QLineEdit()
        self.referrer_contact.setAccessibleName(self.tr("Your contact details on referrals"))
        self.referrer_contact.setMaxLength(500)
        mine = QLabel(self.tr("&Your phone and email, on the referrals you sign"))
        mine.setBuddy(self.referrer_contact)
        mine.setWordWrap(True)
        layout.addWidget(mine)
        layout.addWidget(self.referrer_contact)
        layout.addWidget(
            hint(self.tr("Everyone who signs referrals has their own; only yours is shown here."))
        )
        # Five lines of an address, at any text size (a height in pixels was not).
        self.organisation_contact = text_box(
            self.tr("The organisation's address and phone on referrals"), 5, fixed=True
        )
        self.organisation_contact.setReadOnly(not is_admin)
        theirs = QLabel(self.tr("The organisation's &address and phone, on every referral"))
        theirs.setWordWrap(True)
        layout.addWidget(theirs)
        layout.addWidget(self.organisation_contact)
        # Others read it as text: an empty box they cannot type in would only puzzle them.
        self.organisation_contact_view = QLabel()
        self.organisation_contact_view.setWordWrap(True)
        self.organisation_contact_view.setTextFormat(Qt.TextFormat.PlainText)
        self.organisation_contact_view.setAccessibleName(
            self.tr("The organisation's address and phone on referrals")
        )
        self.organisation_contact_view.setVisible(not is_admin)
        self.organisation_contact.setVisible(is_admin)
        layout.addWidget(self.organisation_contact_view)
        if is_admin:
            theirs.setBuddy(self.organisation_contact)
        else:
            theirs.setText(self.tr("The organisation's address and phone, on every referral"))
        self.save_contacts_button = QPushButton(self.tr("Save contact &details"))
        self.save_contacts_button.setAccessibleName(self.tr("Save contact details"))
        self.save_contacts_button.clicked.connect(self.save_referral_contacts)
        row = QHBoxLayout()
        row.addWidget(self.save_contacts_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.contacts_message = MessageLine(self.tr("Result of saving contact details"))
        layout.addWidget(self.contacts_message)
        for widget in (self.referrer_contact, self.save_contacts_button):
            widget.setEnabled(False)  # until loaded
        self.organisation_contact.setEnabled(False)
        return frame

    def refresh(self) -> None:
        """Load the referral settings the first time the page is shown (on the worker)."""
        if self._referral_settings is None:
            self._worker.submit(
                _load_referral_settings,
                self._session,
                on_done=self._show_referral_settings,
                on_error=self._referral_settings_failed,
            )

    def on_changes(self, changes: Changes) -> None:
        if changes.settings & {Setting.REFERRER_CONTACT, Setting.ORGANISATION_CONTACT}:
            self._referral_settings = None  # read again by the next refresh()

    def _show_referral_settings(self, loaded: _ReferralSettings) -> None:
        # Shown through display_safe, and compared as shown: only what is retyped is saved.
        self._referral_settings = loaded = _ReferralSettings(
            certificate=loaded.certificate,
            referrer_contact=display_safe(loaded.referrer_contact),
            organisation_contact=display_safe(loaded.organisation_contact),
        )
        self._show_certificate(loaded.certificate)
        self.referrer_contact.setText(loaded.referrer_contact)
        self.organisation_contact.setPlainText(loaded.organisation_contact)
        self.organisation_contact_view.setText(
            loaded.organisation_contact
            or self.tr("Not recorded yet. An administrator can add it on this page.")
        )
        # The "not recorded" sentence in the quieter hint colour, the address itself not.
        self.organisation_contact_view.setProperty(
            "sgRole", "" if loaded.organisation_contact else "hint"
        )
        self.organisation_contact_view.style().unpolish(self.organisation_contact_view)
        self.organisation_contact_view.style().polish(self.organisation_contact_view)
        for widget in (
            self.referrer_contact,
            self.organisation_contact,
            self.save_contacts_button,
        ):
            widget.setEnabled(True)

    def _referral_settings_failed(self, failure: Failure) -> None:
        self.certificate_message.show_error(failure.message)

    def _show_certificate(self, info: CertificateInfo) -> None:
        self.certificate_organisation.setText(display_safe(info.organisation))
        self.certificate_fingerprint.set_fingerprint(info.fingerprint_sha256)
        self.certificate_valid_until.setText(long_date(local(info.valid_until).date()))
        self.certificate_source.setText(
            self.tr("Imported from a certificate file")
            if info.source == "imported"
            else self.tr("By this app when it was set up")
        )

    def copy_fingerprint(self) -> None:
        """Put the fingerprint on the clipboard, e.g. to paste into an email to an agency.

        It is public (printed on every referral), so it is neither concealed nor
        cleared later; and only the plain text is set, nothing else is touched.
        """
        fingerprint = self.certificate_fingerprint.fingerprint
        if not fingerprint:
            return
        QApplication.clipboard().setText(fingerprint)
        self.certificate_message.show_good(self.tr("The fingerprint is copied."))

    def choose_certificate_file(self) -> None:
        """Administrators: pick a .p12/.pfx file, then give its password."""
        if self.import_dialog is not None:
            return
        chosen = choose_certificate_file(self)
        if chosen is not None and self.isVisible():
            self.open_import_dialog(chosen)

    def open_import_dialog(self, path: Path) -> CertificateImportDialog:
        dialog = CertificateImportDialog(self._session, self._worker, path, self)
        dialog.imported.connect(self._certificate_imported)
        dialog.finished.connect(self._import_dialog_closed)
        self.import_dialog = dialog
        self.certificate_message.clear_message()
        dialog.open()
        return dialog

    def _import_dialog_closed(self) -> None:
        self.import_dialog = None

    def _certificate_imported(self, info: CertificateInfo) -> None:
        self._show_certificate(info)
        self.certificate_message.show_good(
            self.tr(
                "Imported. Referrals are now signed with this certificate; tell the agencies "
                "you send referrals to about the new fingerprint."
            )
        )

    def open_verify(self) -> VerifyDialog:
        dialog = open_verify_dialog(self, self._session, self._worker)
        self.verify_dialog = dialog
        dialog.finished.connect(self._verify_dialog_closed)
        return dialog

    def _verify_dialog_closed(self) -> None:
        self.verify_dialog = None

    def save_referral_contacts(self) -> None:
        loaded = self._referral_settings
        if loaded is None:
            return
        mine = self.referrer_contact.text().strip()
        organisation = self.organisation_contact.toPlainText().strip()
        is_admin = self._session.user.role is Role.ADMIN
        changed_mine = mine if mine != loaded.referrer_contact else None
        changed_org = (
            organisation if is_admin and organisation != loaded.organisation_contact else None
        )
        if changed_mine is None and changed_org is None:
            self.contacts_message.show_good(self.tr("Nothing has changed."))
            return
        self.save_contacts_button.setEnabled(False)
        self.contacts_message.show_info(self.tr("Saving…"))
        self._worker.submit(
            _save_referral_contacts,
            self._session,
            changed_mine,
            changed_org,
            on_done=self._referral_contacts_saved,
            on_error=self._referral_contacts_failed,
        )

    def _referral_contacts_saved(self, loaded: _ReferralSettings) -> None:
        self._show_referral_settings(loaded)
        self.save_contacts_button.setEnabled(True)
        self.contacts_message.show_good(self.tr("Saved. Referrals made from now on show them."))

    def _referral_contacts_failed(self, failure: Failure) -> None:
        self.save_contacts_button.setEnabled(True)
        self.contacts_message.show_error(failure.message)
