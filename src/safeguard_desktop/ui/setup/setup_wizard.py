"""First-run setup: the organisation, the administrator's account, the recovery key.

Shown when the data folder has no store. A club that takes the defaults goes through three
pages (local contacts come between the first two only when asked for). Every later page
uses the organisation's own word for its safeguarding lead (a school's "Designated
Safeguarding Lead", a club's "Welfare Officer"). Next on the account page creates the
store, on the background worker so the window stays alive during the deliberately slow
key-derivation calibration; after that there is no way back. What to do next is said on
the sign-in page the wizard ends on.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget, QWizard

from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.services.setup import SetupRequest, SetupResult
from safeguard_desktop.services.store import Store

from ..theme import BUTTON_MIN_HEIGHT
from ..widgets.steps_panel import StepsPanel
from ..worker import Worker
from .recovery_key_pages import RecoveryKeyPage
from .setup_pages import (
    ADMIN,
    CONTACTS,
    KEY,
    ORGANISATION,
    AdminPage,
    ContactsPage,
    OrganisationPage,
)


class SetupWizard(QWizard):
    """The first-run wizard, embedded in the main window rather than a separate dialog."""

    completed = Signal(object, str)  # (Store, the administrator's user name)

    def __init__(self, data_dir: Path, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.worker = worker
        self.made: SetupResult | None = None
        self.created_at: datetime | None = None
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setTitleFormat(Qt.TextFormat.RichText)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("&Back"))
        self.setAccessibleName(self.tr("Setting up Safeguard Desktop"))

        self.organisation_page = OrganisationPage()
        self.contacts_page = ContactsPage()
        self.admin_page = AdminPage(worker)
        self.key_page = RecoveryKeyPage(worker)
        self.setPage(ORGANISATION, self.organisation_page)
        self.setPage(CONTACTS, self.contacts_page)
        self.setPage(ADMIN, self.admin_page)
        self.setPage(KEY, self.key_page)
        self.steps = StepsPanel(
            [
                self.tr("Your organisation"),
                self.tr("Local contacts"),
                self.tr("Your account"),
                self.tr("Recovery key"),
            ]
        )
        self.steps.step_chosen.connect(self._step_chosen)
        self.setSideWidget(self.steps)
        self.currentIdChanged.connect(self._page_changed)
        self._page_changed(ORGANISATION)
        for which in (
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton,
        ):
            button = self.button(which)
            button.setMinimumHeight(BUTTON_MIN_HEIGHT)
            button.setMinimumWidth(110)
        self.button(QWizard.WizardButton.NextButton).setAccessibleName(self.tr("Next"))
        self.button(QWizard.WizardButton.BackButton).setAccessibleName(self.tr("Back"))
        self.button(QWizard.WizardButton.CommitButton).setAccessibleName(self.tr("Create my store"))
        self.button(QWizard.WizardButton.FinishButton).setAccessibleName(
            self.tr("Finish setup and go to sign in")
        )

    def _page_changed(self, page_id: int) -> None:
        if page_id < 0:
            return
        skipped = {CONTACTS} if page_id > CONTACTS and CONTACTS not in self.visitedIds() else set()
        self.steps.set_current(page_id, skipped)
        # Before the store is made, the pages already seen are one click away; after it,
        # there is no going back.
        reachable = set() if page_id == KEY else set(self.visitedIds()) - skipped
        self.steps.set_reachable(reachable)

    def _step_chosen(self, page_id: int) -> None:
        if self.currentId() == KEY:
            return
        while self.currentId() != page_id and page_id in self.visitedIds():
            before = self.currentId()
            self.back()
            if self.currentId() == before:
                return

    def org_type(self) -> OrgType:
        return self.organisation_page.org_type()

    def org_name(self) -> str:
        return self.organisation_page.org_name.text().strip()

    def request(self) -> SetupRequest:
        admin = self.admin_page
        return SetupRequest(
            org_name=self.org_name(),
            org_type=self.org_type(),
            admin_username=admin.username.text().strip(),
            admin_display_name=admin.display_name.text().strip(),
            admin_password=admin.password.text(),
            allow_guests=self.organisation_page.allow_guests.isChecked(),
            contacts=self.contacts_page.form.contacts(),
        )

    def recovery_key(self) -> str:
        return self.made.recovery_key if self.made is not None else ""

    def recovery_groups(self) -> list[str]:
        if self.made is None or not self.made.recovery_key:
            return []
        return list(self.made.recovery_groups)

    def forget_recovery_key(self) -> None:
        """Drop every copy of the key and the admin's password that the UI holds."""
        self.key_page.forget()
        self.admin_page.password.clear()
        self.admin_page.password_again.clear()
        if self.made is not None:
            # Python cannot wipe a str, but dropping the last reference lets it go.
            self.made.recovery_key = ""

    def store(self) -> Store | None:
        return self.made.store if self.made is not None else None

    def accept(self) -> None:
        store = self.store()
        username = self.admin_page.username.text().strip()
        self.forget_recovery_key()
        super().accept()
        if store is not None:
            self.completed.emit(store, username)

    def reject(self) -> None:
        # Escape must not make the embedded wizard vanish and leave a blank window.
        return
