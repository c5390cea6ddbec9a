"""The "new password, typed twice" part shared by every dialog that sets a password.

"Set a new password" (an administrator, for someone else) and "Change my password" (for
yourself) ask the same thing the same way: one field, a hint with the length the role
needs, the same again, and a box to show what was typed. Keeping it here means both say
the same words and catch a mismatch before any slow Argon2 call starts.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from .field_hint import field_hint


def password_field(layout: QVBoxLayout, label: str, accessible: str) -> QLineEdit:
    """A hidden-text field with its caption above it; Alt + the caption's letter focuses it."""
    edit = QLineEdit()
    edit.setAccessibleName(accessible)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(1024)
    caption = QLabel(label)
    caption.setBuddy(edit)
    layout.addWidget(caption)
    layout.addWidget(edit)
    return edit


class NewPasswordFields(QWidget):
    """New password, its hint, the same again, and "Show the passwords".

    ``hint_text`` is the caller's translated sentence, so each dialog can say why the
    length matters in its own words. Other password fields on the same dialog (such as
    the current password) can follow the show box with ``also_show``.
    """

    def __init__(self, hint_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self._echo_fields: list[QLineEdit] = []
        self.password = password_field(layout, self.tr("&New password"), self.tr("New password"))
        self.hint = field_hint(self.password, hint_text)
        layout.addWidget(self.hint)
        self.password_again = password_field(
            layout, self.tr("New password &again"), self.tr("New password again")
        )
        self.show_passwords = QCheckBox(self.tr("S&how the passwords"))
        self.show_passwords.setAccessibleName(self.tr("Show the passwords"))
        self.show_passwords.toggled.connect(self._toggle_echo)
        layout.addWidget(self.show_passwords)
        self.also_show(self.password)
        self.also_show(self.password_again)

    def also_show(self, edit: QLineEdit) -> None:
        """Let "Show the passwords" reveal this field too."""
        self._echo_fields.append(edit)

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in self._echo_fields:
            edit.setEchoMode(mode)

    def mismatch(self) -> str:
        """The sentence to show before the slow call, or '' when both fields agree."""
        if not self.password.text():
            return self.tr("Please type the new password.")
        if self.password_again.text() != self.password.text():
            return self.tr(
                "The two passwords are not the same; please type the same password twice."
            )
        return ""

    def clear(self) -> None:
        """Forget what was typed, so no password lingers in a closed dialog."""
        self.password.clear()
        self.password_again.clear()
