"""The "Set a new password" dialog: an administrator gives someone a new password.

For a person who has forgotten theirs, and for everyone after a move to a new PC, where
the old passwords are bound to the old PC's credential store. The new password is typed
twice; the People page runs the slow part on the worker and says when it is done.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.accounts import MIN_PASSWORD
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.services.store import UserInfo

from ..theme import MessageLine, heading, paragraph, text_width
from ..widgets.dialog_parts import FittingDialog, action_buttons, busy_bar
from ..widgets.new_password_fields import NewPasswordFields


class PasswordResetDialog(FittingDialog):
    """New password (twice) for ``person``; the People page wires the button up.

    Cancelling is refused while the new password is being saved, so nobody is left
    wondering whether the old password still works.
    """

    def __init__(self, person: UserInfo, org_type: OrgType, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person = person
        self._busy = False
        self.setWindowTitle(self.tr("Set a new password"))
        self.setModal(True)
        self.setMinimumWidth(text_width(58))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(
            heading(self.tr("A new password for {name}").format(name=person.display_name), level=2)
        )
        layout.addWidget(
            paragraph(
                self.tr(
                    "{name} ({username}, {role}) signs in with this password from now on; "
                    "the old one stops working."
                ).format(
                    name=person.display_name,
                    username=person.username,
                    role=person.role.label(org_type),
                )
            )
        )

        self.fields = NewPasswordFields(
            self.tr("At least {n} characters. A few words are easy to pass on.").format(
                n=MIN_PASSWORD[person.role]
            )
        )
        layout.addWidget(self.fields)
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
        layout.addWidget(self.advice)

        self.error = MessageLine(self.tr("Problem setting the password"))
        layout.addWidget(self.error)
        self.busy_bar = busy_bar(self.tr("Saving the new password"))
        layout.addWidget(self.busy_bar)

        self.buttons, self.set_button, self.cancel_button = action_buttons(
            self.tr("&Set the new password"), self.tr("Set the new password")
        )
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def mismatch(self) -> str:
        """The sentence to show before the slow call, or '' when both fields agree."""
        return self.fields.mismatch()

    @property
    def busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        for widget in (self.fields, self.set_button, self.cancel_button):
            widget.setEnabled(not busy)

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def done(self, result: int) -> None:
        self.fields.clear()
        super().done(result)
