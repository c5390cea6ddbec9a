"""The "Change my password" dialog: anyone signed in picks a new password for themselves.

The current password is asked for first, so someone passing an unlocked PC cannot take
the account over. The new one is typed twice (the part shared with "Set a new password");
a mismatch is caught here, and the slow Argon2 rewrap runs on the worker while the dialog
shows that it is busy. The service's own sentence is shown if it refuses.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from safeguard_desktop.domain.accounts import MIN_PASSWORD
from safeguard_desktop.services.session import Session

from ..widgets.new_password_fields import NewPasswordFields, password_field
from ..worker import Failure, Worker
from .password_dialog import PasswordDialog


class ChangePasswordDialog(PasswordDialog):
    """Current password, new password twice; emits ``changed`` once the new one is saved."""

    changed = Signal()

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Change my password"),
            self.tr("Change my password"),
            self.tr(
                "Type the password you signed in with, then the new one twice. "
                "From now on you sign in as {username} with the new password."
            ).format(username=session.user.username),
            parent,
        )
        self._session = session
        self._worker = worker
        self.current = password_field(
            self.body, self.tr("&Current password"), self.tr("Current password")
        )
        self.fields = NewPasswordFields(
            self.tr(
                "At least {n} characters. A short phrase of several words is easiest to remember."
            ).format(n=MIN_PASSWORD[session.user.role])
        )
        self.fields.also_show(self.current)
        self.body.addWidget(self.fields)
        self.secret_fields = [self.current, self.fields]
        self.change_button = self.add_buttons(
            self.tr("Problem changing the password"),
            self.tr("Change &my password"),
            self.tr("Change my password"),
        )
        # Not the box's accepted(): the dialog must stay open until the worker says so.
        self.change_button.clicked.connect(self.submit)
        self.current.setFocus()

    def problem(self) -> str:
        """The sentence to show before the slow call, or '' when it is worth trying."""
        if not self.current.text():
            return self.tr("Please type your current password.")
        return self.fields.mismatch()

    def submit(self) -> None:
        """Check what can be checked here, then change the password on the worker."""
        if self.busy:
            return
        problem = self.problem()
        if problem:
            self.error.show_error(problem)
            if not self.current.text():
                self.current.setFocus()
            elif not self.fields.password.text():
                self.fields.password.setFocus()
            else:
                self.fields.password_again.setFocus()
            return
        self.error.clear_message()
        self.set_busy(True)
        self._worker.submit(
            self._session.change_password,
            self.current.text(),
            self.fields.password.text(),
            on_done=self._changed,
            on_error=self._failed,
        )
        # The text has been handed to the worker; it need not stay in the widgets.
        self.clear_passwords()

    def _changed(self, _: object) -> None:
        self.set_busy(False)
        self.changed.emit()
        self.accept()

    def _failed(self, failure: Failure) -> None:
        self.set_busy(False)
        self.error.show_error(failure.message)
        self.current.setFocus()
