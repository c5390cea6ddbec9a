"""The setup wizard's own pages: the organisation, local contacts (only when asked for),
and the administrator's account, whose Next creates the store. The last page (the store
being made, then the recovery key and its check) is recovery_key_pages.py; the wizard that
strings them together is setup_wizard.py.

A club that takes the defaults sees three pages after the first screen: its name, the
account, the recovery key. The page where the password is chosen also says, before the
store is made, whether this PC's credential store will protect it too, and if not what
to do about it.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWizard,
)

from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.services.setup import (
    SetupRequest,
    SetupResult,
    credential_store_status,
    validate_setup,
)

from ..admin.contacts_form import ContactsForm
from ..theme import BUTTON_MIN_HEIGHT, MessageLine, alarm_box, hint, paragraph
from ..widgets.wizard_page import WizardPage
from ..worker import Failure, Worker

# Page ids, in order; the contacts page is shown only when asked for on the first.
ORGANISATION, CONTACTS, ADMIN, KEY = range(4)

# Values known to pass validate_setup, used to check one field at a time so each
# field gets its own sentence however the service orders its checks.
_GOOD_EXAMPLE = SetupRequest(
    org_name="Example organisation",
    org_type=OrgType.SCHOOL,
    admin_username="example",
    admin_display_name="Example Person",
    admin_password="a long example passphrase",  # noqa: S106 - a placeholder, not a secret
)


def field_error(**values: object) -> str:
    """The sentence validate_setup gives about these values, or "" when they are fine."""
    request = dataclasses.replace(_GOOD_EXAMPLE, **values)  # type: ignore[arg-type]
    try:
        validate_setup(request)
    except BadInput as err:
        return str(err)
    return ""


def _suggest_username(full_name: str) -> str:
    """First name, lower case, letters and digits only: 'Jo Smith' -> 'jo'."""
    first = full_name.strip().split(" ")[0] if full_name.strip() else ""
    return re.sub(r"[^a-z0-9]", "", first.lower())[:32]


@runtime_checkable
class SetupState(Protocol):
    """What the pages ask of the wizard they are on: :class:`.setup_wizard.SetupWizard`,
    named here as a protocol because the wizard imports the pages, never the reverse."""

    data_dir: Path
    result: SetupResult | None
    created_at: datetime | None

    def org_type(self) -> OrgType: ...
    def request(self) -> SetupRequest: ...
    def forget_recovery_key(self) -> None: ...


class _Page(WizardPage):
    def setup_wizard(self) -> SetupState:
        wizard = self.wizard()
        assert isinstance(wizard, SetupState)
        return wizard


class OrganisationPage(_Page):
    """(a) Welcome, the organisation's name and kind, and whether guests may record."""

    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("Welcome to Safeguard Desktop"))
        self.set_intro(
            self.tr(
                "This keeps your safeguarding records encrypted on this PC. "
                "Setting up takes about five minutes."
            )
        )
        layout = self.body_layout

        self.org_name = QLineEdit()
        self.org_name.setAccessibleName(self.tr("Organisation name"))
        self.org_name.setAccessibleDescription(
            self.tr("The name printed on referrals, for example Riverside Primary School")
        )
        self.org_name.setPlaceholderText(self.tr("For example: Riverside Primary School"))
        self.org_name.setMaxLength(120)
        name_label = QLabel(self.tr("Organisation na&me"))
        name_label.setBuddy(self.org_name)
        layout.addWidget(name_label)
        layout.addWidget(self.org_name)
        self.org_name_error = MessageLine(self.tr("Problem with the organisation name"))
        self.org_name_error.describe(self.org_name)
        layout.addWidget(self.org_name_error)

        kind_box = QGroupBox(self.tr("What kind of organisation is it?"))
        kind_layout = QVBoxLayout(kind_box)
        kind_layout.setSpacing(8)
        self.kind_buttons = QButtonGroup(self)
        self._kind_radio: dict[OrgType, QRadioButton] = {}
        mnemonics = {OrgType.SCHOOL: "&School", OrgType.CLUB: "Sports &club"}
        for org_type in OrgType:
            text = mnemonics.get(org_type, "&Youth group, charity or other")
            radio = QRadioButton(self.tr(text))
            radio.setAccessibleName(org_type.label)
            radio.setMinimumHeight(BUTTON_MIN_HEIGHT - 8)
            self.kind_buttons.addButton(radio)
            kind_layout.addWidget(radio)
            self._kind_radio[org_type] = radio
        self._kind_radio[OrgType.SCHOOL].setChecked(True)
        layout.addWidget(kind_box)

        self.allow_guests = QCheckBox(self.tr("&Allow guests to record concerns"))
        self.allow_guests.setAccessibleName(
            self.tr("Allow people without an account to record a concern (guests)")
        )
        layout.addWidget(self.allow_guests)
        layout.addWidget(
            hint(
                self.tr(
                    "A guest has no account: a visiting coach or a supply teacher, say, who "
                    "writes a concern on this PC. Guests can never read any record. You can "
                    "change this later."
                )
            )
        )
        self.add_contacts = QCheckBox(self.tr("Add our &local contact numbers now"))
        self.add_contacts.setAccessibleName(self.tr("Add our local contact numbers now"))
        layout.addWidget(self.add_contacts)
        layout.addWidget(
            hint(
                self.tr(
                    "Children's services, the out-of-hours team and the LADO. 999, police 101 "
                    "and the NSPCC helpline are filled in already; an administrator can add the "
                    "local ones later in Settings."
                )
            )
        )
        layout.addStretch(1)

        self.org_name.textChanged.connect(self._name_changed)
        self.org_name.editingFinished.connect(self._name_left)

    def org_type(self) -> OrgType:
        for org_type, radio in self._kind_radio.items():
            if radio.isChecked():
                return org_type
        return OrgType.OTHER

    def radio(self, org_type: OrgType) -> QRadioButton:
        return self._kind_radio[org_type]

    def select_org_type(self, org_type: OrgType) -> None:
        self._kind_radio[org_type].setChecked(True)

    def _name_error(self) -> str:
        return field_error(org_name=self.org_name.text().strip())

    def _name_changed(self) -> None:
        # Only correct a name once it is typed; an empty field is not yet a mistake.
        if self.org_name.text().strip():
            self.org_name_error.show_error(self._name_error())
        else:
            self.org_name_error.clear_message()
        self.completeChanged.emit()

    def _name_left(self) -> None:
        self.org_name_error.show_error(self._name_error())

    def isComplete(self) -> bool:
        return bool(self.org_name.text().strip()) and not self._name_error()

    def nextId(self) -> int:
        return CONTACTS if self.add_contacts.isChecked() else ADMIN


class AdminPage(_Page):
    """The administrator account: name, user name and password (typed twice), and what
    this PC's credential store means for the password. Next creates the store."""

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self._worker = worker
        self.set_title(self.tr("Your administrator account"))
        layout = self.body_layout
        self.intro = self.set_intro("")

        # Said before the password is chosen, at the top where it is seen without
        # scrolling even at 150 %: without a credential store the password is all that
        # protects the records. The password field says it to a screen reader too.
        self.keyring_box, keyring_layout = alarm_box(
            self.tr("This PC has no credential store"), warning=True
        )
        self.keyring_sentence = paragraph()
        keyring_layout.addWidget(self.keyring_sentence)
        self.keyring_box.hide()
        layout.addWidget(self.keyring_box)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(6)
        layout.addLayout(form)

        self.display_name = self._add(form, self.tr("Your &full name"), self.tr("Full name"))
        self.display_name.setMaxLength(100)
        self.display_name_error = self._message(form, self.tr("Problem with the full name"))

        self.username = self._add(form, self.tr("&User name"), self.tr("User name"))
        self.username.setMaxLength(32)
        form.addRow(
            hint(self.tr("You type this to sign in. Small letters and numbers, for example jo."))
        )
        self.username_error = self._message(form, self.tr("Problem with the user name"))

        self.password = self._add(form, self.tr("&Password"), self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(
            hint(
                self.tr(
                    "At least 10 characters. A long phrase is best, for example four "
                    "words you will remember: kettle river orange bicycle."
                )
            )
        )
        self.password_error = self._message(form, self.tr("Problem with the password"))

        self.password_again = self._add(form, self.tr("Password &again"), self.tr("Password again"))
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again_error = self._message(
            form, self.tr("Problem with the repeated password")
        )

        for edit, line in (
            (self.display_name, self.display_name_error),
            (self.username, self.username_error),
            (self.password, self.password_error),
            (self.password_again, self.password_again_error),
        ):
            line.describe(edit)
        self.show_passwords = QCheckBox(self.tr("S&how the passwords"))
        self.show_passwords.setAccessibleName(self.tr("Show the passwords"))
        self.show_passwords.toggled.connect(self._toggle_echo)
        layout.addWidget(self.show_passwords)

        self.error = MessageLine(self.tr("Problem with the details"))
        layout.addWidget(self.error)
        layout.addStretch(1)
        # Leaving this page creates the store: there is no going back afterwards.
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Create my store"))
        self._keyring_asked = False

        self._username_edited = False
        self._left: set[QLineEdit] = set()
        for edit in (self.display_name, self.username, self.password, self.password_again):
            edit.textChanged.connect(self._validate)
            edit.editingFinished.connect(lambda e=edit: self._field_left(e))
        self.username.textEdited.connect(self._mark_username_edited)
        self.display_name.textEdited.connect(self._suggest_username)

    def _add(self, form: QFormLayout, label: str, accessible: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible)
        caption = QLabel(label)
        caption.setBuddy(edit)
        form.addRow(caption, edit)
        return edit

    def _message(self, form: QFormLayout, accessible: str) -> MessageLine:
        line = MessageLine(accessible)
        form.addRow(line)
        return line

    def initializePage(self) -> None:
        org_type = self.setup_wizard().org_type()
        self.set_intro(
            self.tr(
                "This account looks after the app and can read every record. Often it is "
                "the {lead}. You can add other people, including people who only record "
                "concerns, once the store is ready."
            ).format(lead=org_type.lead_title)
        )
        if not self._keyring_asked:
            self._keyring_asked = True
            self._worker.submit(
                credential_store_status, on_done=self._keyring_known, on_error=self._keyring_unknown
            )

    def _keyring_known(self, status: object) -> None:
        if getattr(status, "usable", True):
            self.keyring_box.hide()
            return
        sentence = self.tr(
            "Safeguard Desktop cannot use this PC's credential store (Windows Credential "
            "Manager, the Mac's Keychain or a Linux keyring), so your password alone will "
            "protect the records. Choose a long one: four or more words nobody would guess. "
            "Keep the records on this PC only. If someone looks after this PC for you, ask "
            "them to turn the credential store on before you set up, then start again."
        )
        self.keyring_sentence.setText(sentence)
        self.keyring_box.setAccessibleDescription(sentence)
        self.keyring_box.show()
        # Read with the password field, where it matters (the box takes no Tab).
        self.password_error.set_field_description(sentence)

    def _keyring_unknown(self, _failure: Failure) -> None:
        self.keyring_box.hide()

    def validatePage(self) -> bool:
        # The last chance to correct anything: after this page there is no way back.
        try:
            validate_setup(self.setup_wizard().request())
        except BadInput as err:
            self.error.show_error(str(err))
            return False
        self.error.clear_message()
        return True

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password.setEchoMode(mode)
        self.password_again.setEchoMode(mode)

    def _mark_username_edited(self) -> None:
        self._username_edited = True

    def _suggest_username(self, full_name: str) -> None:
        if not self._username_edited:
            self.username.setText(_suggest_username(full_name))

    def _field_left(self, edit: QLineEdit) -> None:
        self._left.add(edit)
        self._validate()

    def _errors(self) -> dict[QLineEdit, str]:
        errors = {
            self.display_name: field_error(admin_display_name=self.display_name.text().strip()),
            self.username: field_error(admin_username=self.username.text().strip()),
            self.password: field_error(admin_password=self.password.text()),
            self.password_again: "",
        }
        if self.password_again.text() != self.password.text():
            errors[self.password_again] = self.tr(
                "The two passwords are not the same yet; please type the same password twice."
            )
        return errors

    def _validate(self) -> None:
        errors = self._errors()
        lines = {
            self.display_name: self.display_name_error,
            self.username: self.username_error,
            self.password: self.password_error,
            self.password_again: self.password_again_error,
        }
        for edit, sentence in errors.items():
            if sentence and self._started(edit):
                lines[edit].show_error(sentence)
            elif not sentence and edit is self.password and edit.text():
                lines[edit].show_good(self.tr("This password is long enough."))
            else:
                lines[edit].clear_message()
        self.completeChanged.emit()

    def _started(self, edit: QLineEdit) -> bool:
        """Say nothing about a field the person is still typing for the first time."""
        if edit in self._left:
            return True
        if edit is self.password_again:
            return len(edit.text()) >= len(self.password.text()) > 0
        if edit is self.password:
            return False
        return bool(edit.text())

    def isComplete(self) -> bool:
        errors = self._errors()
        return all(edit.text() for edit in errors) and not any(errors.values())


class ContactsPage(_Page):
    """Local contacts, when asked for on the first page; national numbers are filled in."""

    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("Local contacts"))
        self.set_intro(
            self.tr(
                "The numbers people need when they are worried about a child. Fill in what "
                "you know now; you can change them later in Settings. Your local "
                "authority's website lists them."
            )
        )
        self.form = ContactsForm(alt_keys=True)
        self.body_layout.addWidget(self.form)
        self.error = MessageLine(self.tr("Problem with the details"))
        self.body_layout.addWidget(self.error)
        self.body_layout.addStretch(1)

    def validatePage(self) -> bool:
        try:
            validate_setup(dataclasses.replace(_GOOD_EXAMPLE, contacts=self.form.contacts()))
        except BadInput as err:
            self.error.show_error(str(err))
            return False
        self.error.clear_message()
        return True
