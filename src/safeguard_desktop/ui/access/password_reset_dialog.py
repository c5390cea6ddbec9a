"""The "Set a new password" dialog: an administrator gives someone a new password.

For a person who has forgotten theirs, and for everyone after a move to a new PC, where
the old passwords are bound to the old PC's credential store. The new password is typed
twice; the People page runs the slow part on the worker and says when it is done.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from safeguard_desktop.domain.accounts import MIN_PASSWORD
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.services.store import UserInfo

from ..theme import paragraph
from ..widgets.new_password_fields import NewPasswordFields
from .password_dialog import PasswordDialog


class PasswordResetDialog(PasswordDialog):
    """New password (twice) for ``person``; the People page wires the button up."""

    def __init__(self, person: UserInfo, org_type: OrgType, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Set a new password"),
            self.tr("A new password for {name}").format(name=person.display_name),
            self.tr(
                "{name} ({username}, {role}) signs in with this password from now on; "
                "the old one stops working."
            ).format(
                name=person.display_name,
                username=person.username,
                role=person.role.label(org_type),
            ),
            parent,
        )
        self.person = person
        self.fields = NewPasswordFields(
            self.tr("At least {n} characters. A few words are easy to pass on.").format(
                n=MIN_PASSWORD[person.role]
            )
        )
        self.body.addWidget(self.fields)
        self.secret_fields = [self.fields]
        # The names the People page and its tests use.
        self.password = self.fields.password
        self.password_again = self.fields.password_again
        self.show_passwords = self.fields.show_passwords
        self.advice = paragraph(
            self.tr(
                "Tell {name} the new password in person, not by email or message, and ask "
                "them not to write it down where others can see it."
            ).format(name=person.display_name)
        )
        self.advice.setProperty("sgRole", "hint")
        self.body.addWidget(self.advice)
        self.set_button = self.add_buttons(
            self.tr("Problem setting the password"),
            self.tr("&Set the new password"),
            self.tr("Set the new password"),
        )

    def mismatch(self) -> str:
        """The sentence to show before the slow call, or '' when both fields agree."""
        return self.fields.mismatch()
