"""The frame both password dialogs share ("Change my password", "Set a new password").

A heading and a sentence, the fields the dialog adds, a line for problems, a busy bar
while the slow Argon2 save runs on the worker, and the confirm and Cancel buttons.
Cancelling is refused while the new password is being saved, so nobody is left
wondering which password now works; every password typed is cleared when it closes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..theme import MessageLine, heading, paragraph, text_width
from ..widgets.dialog_parts import FittingDialog, action_buttons, busy_bar, make_default
from ..widgets.new_password_fields import NewPasswordFields


class PasswordDialog(FittingDialog):
    """Subclasses add their fields to ``self.body`` between :meth:`__init__` and
    :meth:`add_buttons`, and name in ``self.secret_fields`` what holds a password."""

    def __init__(self, title: str, head: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(text_width(58))
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 20, 24, 20)
        self.body.setSpacing(10)
        self.body.addWidget(heading(head, level=2))
        self.body.addWidget(paragraph(intro))
        self.secret_fields: list[QLineEdit | NewPasswordFields] = []

    def add_buttons(self, problem_title: str, confirm: str, confirm_name: str) -> QPushButton:
        """The problem line, the busy bar and the buttons, below everything added before;
        returns the confirm button (which the subclass connects)."""
        self.error = MessageLine(problem_title)
        self.body.addWidget(self.error)
        self.busy_bar = busy_bar(self.tr("Saving the new password"))
        self.body.addWidget(self.busy_bar)
        self.buttons, confirm_button, self.cancel_button = action_buttons(confirm, confirm_name)
        self.buttons.rejected.connect(self.reject)
        self.body.addWidget(self.buttons)
        make_default(confirm_button)
        self._confirm_button = confirm_button
        return confirm_button

    @property
    def busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        for widget in (*self.secret_fields, self._confirm_button, self.cancel_button):
            widget.setEnabled(not busy)

    def clear_passwords(self) -> None:
        for field in self.secret_fields:
            field.clear()

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def done(self, result: int) -> None:
        self.clear_passwords()
        super().done(result)
