"""Settings: automatic locking, guests, local contacts, backups, signing referrals, and
recording stations (ui/stations/stations_settings.py).

Administrators change the organisation's settings here. The backup part (Back up now,
automatic backups, "Check the records now") is ui/backups/backup_settings.py. The referral part
(the signing certificate, "Verify a signed PDF", the contact lines printed on referrals,
which every lead changes for themselves) is ui/referral/referral_settings.py. Whose bank
holidays working days skip, and when to chase social care's decision, is
ui/admin/working_days_settings.py; how long a child's file is kept before its review,
ui/admin/retention_settings.py. Each part
reads again what it shows after a change to it (the records area's one signal); a new
automatic-lock time reaches the window that way too (case_area.py).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.organisation import LocalContacts, Role
from safeguard_desktop.services import organisation_settings
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

from ..backups.backup_settings import BackupSettings
from ..case_worker import CaseWorker
from ..export.export_dialog import ExportSection
from ..referral.referral_settings import ReferralSettings
from ..stations.stations_settings import StationsSettings
from ..theme import heading, hint, readable_column, scrolling_page
from ..widgets.page_parts import field_in_words, save_button_and_message
from ..worker import Failure
from .contacts_form import ContactsForm
from .retention_settings import RetentionSettings
from .working_days_settings import WorkingDaysSettings


def _save(
    session: CaseSession,
    minutes: int | None,
    allow_guests: bool | None,
    contacts: LocalContacts | None,
) -> Changes:
    # Runs on the worker; only what changed is written, so the audit log stays meaningful.
    changes = Changes()
    if minutes is not None:
        changes |= organisation_settings.set_idle_lock_minutes(session, minutes)
    if allow_guests is not None:
        changes |= organisation_settings.set_allow_guests(session, allow_guests)
    if contacts is not None:
        changes |= organisation_settings.set_contacts(session, contacts)
    return changes


class SettingsPage(QWidget):
    """The organisation's settings, backups, signed referrals and the export."""

    def __init__(self, session: CaseSession, store: Store, worker: CaseWorker) -> None:
        super().__init__()
        self._session = session
        self._store = store
        self._worker = worker
        is_admin = session.user.role is Role.ADMIN

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Settings")))
        if not is_admin:
            layout.addWidget(
                hint(
                    self.tr(
                        "Only an administrator can change the organisation's settings. Your "
                        "own contact details for referrals are yours to change, below."
                    )
                )
            )

        layout.addSpacing(10)
        layout.addWidget(heading(self.tr("Automatic locking"), level=2))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, 60)
        self.idle_minutes.setSuffix(self.tr(" minutes"))
        self.idle_minutes.setAccessibleName(self.tr("Lock automatically after this many minutes"))
        self.idle_minutes.setMinimumWidth(140)
        layout.addLayout(
            field_in_words(
                self.tr("&Lock automatically after"), self.idle_minutes, self.tr("without use.")
            )
        )
        layout.addWidget(
            hint(
                self.tr(
                    "The app also locks when its window is minimised. A short time is safer "
                    "on a shared PC."
                )
            )
        )

        layout.addSpacing(10)
        layout.addWidget(heading(self.tr("Guests"), level=2))
        self.allow_guests = QCheckBox(
            self.tr("Allow people without an account to record a concern (&guests)")
        )
        self.allow_guests.setAccessibleName(
            self.tr("Allow people without an account to record a concern (guests)")
        )
        layout.addWidget(self.allow_guests)

        layout.addSpacing(10)
        layout.addWidget(heading(self.tr("Local contacts"), level=2))
        self.contacts = ContactsForm(store.organisation.contacts)
        layout.addWidget(self.contacts)

        self.save_button, self.message = save_button_and_message(
            layout,
            self.tr("&Save settings"),
            self.tr("Save settings"),
            self.save,
            self.tr("Result of saving"),
        )

        layout.addSpacing(10)
        self.working_days = WorkingDaysSettings(session, worker)
        layout.addWidget(self.working_days)

        layout.addSpacing(10)
        self.retention = RetentionSettings(session, worker)
        layout.addWidget(self.retention)

        layout.addSpacing(10)
        self.backups = BackupSettings(session, worker)
        layout.addWidget(self.backups)

        layout.addSpacing(10)
        self.referrals = ReferralSettings(session, worker)
        layout.addWidget(self.referrals)

        layout.addSpacing(10)
        self.stations = StationsSettings(session, worker)
        layout.addWidget(self.stations)
        # Administrators only: every record out in open formats (services/export.py).
        self.export_section: ExportSection | None = None
        if is_admin:
            layout.addSpacing(10)
            self.export_section = ExportSection(session, worker)
            layout.addWidget(self.export_section)
        layout.addStretch(1)

        for widget in (self.idle_minutes, self.allow_guests, self.save_button):
            widget.setEnabled(is_admin)
        self.contacts.set_read_only(not is_admin)
        self.save_button.setVisible(is_admin)

        # Sideways too: a contact's row needs a little more than a small screen at 150 %.
        area = scrolling_page(self, readable_column(body, 90), sideways=True)
        area.setAccessibleName(self.tr("Settings"))
        self.load()

    def load(self) -> None:
        org = self._store.organisation
        self.idle_minutes.setValue(self._store.idle_lock_minutes)
        self.allow_guests.setChecked(org.allow_guests)

    def save(self) -> None:
        org = self._store.organisation
        minutes = self.idle_minutes.value()
        guests = self.allow_guests.isChecked()
        contacts = self.contacts.contacts()
        self.save_button.setEnabled(False)
        self.message.show_info(self.tr("Saving…"))
        self._worker.submit(
            _save,
            self._session,
            minutes if minutes != self._store.idle_lock_minutes else None,
            guests if guests != org.allow_guests else None,
            contacts if contacts != org.contacts else None,
            on_done=self._saved,
            on_error=self._failed,
        )

    def _saved(self, _: Changes) -> None:
        self.save_button.setEnabled(True)
        self.message.show_good(self.tr("Saved."))

    def _failed(self, failure: Failure) -> None:
        self.save_button.setEnabled(True)
        self.message.show_error(failure.message)

    def refresh(self) -> None:
        """Called each time the page is shown: the referral part loads once."""
        self.backups.refresh()
        self.referrals.refresh()
        self.stations.refresh()
        self.working_days.refresh()
        self.retention.refresh()
