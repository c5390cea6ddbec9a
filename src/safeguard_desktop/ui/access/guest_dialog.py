"""Asks a guest (someone without an account) for their name and role before the form opens.

The name and role go with the concern, so the safeguarding lead knows whom to ask about
it. Nothing is stored until the concern is sent.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.text import MAX_NAME_LENGTH, clean_name

from ..theme import BUTTON_MIN_HEIGHT, MessageLine, heading, hint, text_width


class GuestDialog(QDialog):
    """``name()`` and ``role()`` are set once the dialog is accepted."""

    def __init__(self, lead: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record a concern as a guest"))
        self.setAccessibleName(self.tr("Record a concern as a guest"))
        self.setMinimumWidth(text_width(52))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(8)
        layout.addWidget(heading(self.tr("Record a concern without an account"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "Your name and role are sent with the concern so the {lead} can talk to "
                    "you about it. You will not be able to read it back."
                ).format(lead=lead)
            )
        )
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(MAX_NAME_LENGTH)
        self.name_edit.setAccessibleName(self.tr("Your name"))
        name_label = QLabel(self.tr("Your &name"))
        name_label.setBuddy(self.name_edit)
        layout.addWidget(name_label)
        layout.addWidget(self.name_edit)
        self.name_error = MessageLine(self.tr("Problem with your name"))
        layout.addWidget(self.name_error)

        self.role_edit = QLineEdit()
        self.role_edit.setMaxLength(MAX_NAME_LENGTH)
        self.role_edit.setAccessibleName(self.tr("Your role"))
        self.role_edit.setPlaceholderText(self.tr("For example: visiting coach, supply teacher"))
        role_label = QLabel(self.tr("Your &role"))
        role_label.setBuddy(self.role_edit)
        layout.addWidget(role_label)
        layout.addWidget(self.role_edit)
        self.role_error = MessageLine(self.tr("Problem with your role"))
        layout.addWidget(self.role_error)

        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton(
            self.tr("&Start recording"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setAccessibleName(self.tr("Start recording"))
        self.start_button.setDefault(True)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        for button in (self.start_button, self.cancel_button):
            button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addSpacing(6)
        layout.addWidget(buttons)
        self._name = ""
        self._role = ""

    def name(self) -> str:
        return self._name

    def role(self) -> str:
        return self._role

    def accept(self) -> None:
        self.name_error.clear_message()
        self.role_error.clear_message()
        checks = (
            (self.name_edit, self.name_error, self.tr("Your name")),
            (self.role_edit, self.role_error, self.tr("Your role")),
        )
        values = []
        for edit, error, label in checks:
            try:
                values.append(clean_name(edit.text(), "guest", label=label))
            except BadInput as err:
                error.show_error(str(err))
                edit.setFocus()
                return
        self._name, self._role = values
        super().accept()
