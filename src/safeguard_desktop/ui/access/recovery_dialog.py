"""The recovery-key dialog: an administrator gets a new password from the printed key.

For a forgotten administrator password, or on a new PC whose credential store does not
hold the old one's device secret. The key is typed as eight six-digit groups, just as it
is printed (recovery_key_entry.py: each group carries a check digit, so a typing mistake
is marked the moment its sixth digit is typed, long before the slow check). The slow part
(Argon2id) runs on the worker; the sign-in page hands the resulting session on exactly as
after a normal sign-in.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.accounts import validate_password
from safeguard_desktop.domain.errors import BadInput, WrongCredentials
from safeguard_desktop.domain.organisation import Role

from ..theme import (
    MessageLine,
    heading,
    hint,
    paragraph,
    scroll_area,
    text_width,
)
from ..widgets.dialog_parts import RetryCountdown, action_buttons
from ..widgets.field_hint import field_hint
from ..widgets.recovery_key_entry import RecoveryKeyEntry
from ..widgets.screen_fit import largest_client_size
from ..worker import Failure


class RecoveryDialog(QDialog):
    """Emits ``submitted(code, username, new_password)``; the sign-in page runs it.

    It shows itself busy as it emits; the page calls ``show_failure`` or ``finish``
    when the worker answers. Cancelling is refused while the slow check runs: the
    password may already have been changed by then, and the session it makes must not
    be left unused.
    """

    submitted = Signal(str, str, str)

    def __init__(self, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Use the recovery key"))
        self.setModal(True)
        self._busy = False

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 16, 24, 8)
        layout.setSpacing(8)
        self.title = heading(self.tr("Use the recovery key"), level=2)
        layout.addWidget(self.title)
        layout.addWidget(
            paragraph(
                self.tr(
                    "Type the key from the recovery sheet made when the records were set up. "
                    "It gives an administrator account a new password on this PC."
                )
            )
        )
        # Said before the form, so it is read before anything is typed.
        self.after = hint(
            self.tr(
                "If this is a new PC, other people's passwords may not work here; once you "
                "are signed in, give each of them a new password on the People page."
            )
        )
        layout.addWidget(self.after)

        self.username = QLineEdit(username)
        self.username.setAccessibleName(self.tr("Administrator user name"))
        self.username.setMaxLength(64)
        user_label = QLabel(self.tr("Administrator &user name"))
        user_label.setBuddy(self.username)
        layout.addWidget(user_label)
        layout.addWidget(self.username)

        layout.addSpacing(4)
        self.key_entry = RecoveryKeyEntry(focus=self._focus)
        self.key_entry.filled.connect(lambda: self._focus(self.password))
        self.key_entry.message_changed.connect(self._refit)
        layout.addWidget(self.key_entry)
        # The groups, their captions and the sentence about mistakes, for the tests.
        self.groups = self.key_entry.groups
        self.captions = self.key_entry.captions
        self.key_message = self.key_entry.key_message

        # The two password fields side by side: the dialog must fit a 768-pixel screen.
        passwords = QGridLayout()
        passwords.setHorizontalSpacing(12)
        passwords.setVerticalSpacing(4)
        self.password: QLineEdit = self._password_field(
            passwords, 0, self.tr("&New password"), self.tr("New password")
        )
        self.password_again = self._password_field(
            passwords, 1, self.tr("New password &again"), self.tr("New password again")
        )
        passwords.addWidget(
            field_hint(
                self.password,
                self.tr("At least 10 characters; a few words you will remember are best."),
            ),
            2,
            0,
            1,
            2,
        )
        layout.addLayout(passwords)
        self.show_passwords = QCheckBox(self.tr("S&how the passwords"))
        self.show_passwords.setAccessibleName(self.tr("Show the passwords"))
        self.show_passwords.toggled.connect(self._toggle_echo)
        layout.addWidget(self.show_passwords)
        layout.addStretch(1)

        self.scroller = scroll_area(body, sideways=True)
        self._body = body

        self.error = MessageLine(self.tr("Recovery problem"))
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # indeterminate: Argon2 gives no progress
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(8)
        self.busy_bar.setAccessibleName(self.tr("Checking the recovery key"))
        self.busy_label = hint(self.tr("Checking the recovery key…"))
        self.busy_bar.hide()
        self.busy_label.hide()

        self.buttons, self.submit_button, self.cancel_button = action_buttons(
            self.tr("&Set the new password and sign in"),
            self.tr("Set the new password and sign in"),
        )
        self.submit_button.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        footer = QVBoxLayout()
        footer.setContentsMargins(24, 0, 24, 16)
        footer.setSpacing(6)
        footer.addWidget(self.error)
        footer.addWidget(self.busy_bar)
        footer.addWidget(self.busy_label)
        footer.addWidget(self.buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.scroller, 1)
        outer.addLayout(footer)

        self._countdown = RetryCountdown(
            self.submit_button,
            self.tr("&Set the new password and sign in"),
            self.tr("Set the new password and sign in"),
            lambda: self._busy,
        )

        self.setMinimumWidth(max(text_width(60), self.key_entry.minimum_row_width + 48 + 24))
        order: list[QWidget] = [
            self.username,
            *self.groups,
            self.password,
            self.password_again,
            self.show_passwords,
            self.submit_button,
            self.cancel_button,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    def _password_field(
        self, grid: QGridLayout, column: int, label: str, accessible: str
    ) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(1024)
        caption = QLabel(label)
        caption.setBuddy(edit)
        grid.addWidget(caption, 0, column)
        grid.addWidget(edit, 1, column)
        return edit

    # Sizing -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()

    def _refit(self) -> None:
        # After a message line appears: once the layout has taken it in.
        QTimer.singleShot(0, self, self._fit_height)  # dropped if the dialog is gone

    def _fit_height(self) -> None:
        # As tall as the wrapped content needs, but never taller than the screen (less
        # room for a title bar): on a 768-pixel laptop at 150 % the body scrolls and the
        # buttons stay in view. It only grows, so the buttons do not jump about.
        body_layout = self._body.layout()
        outer = self.layout()
        if body_layout is None or outer is None:
            return
        body = body_layout.totalHeightForWidth(self.scroller.viewport().width())
        footer = outer.totalSizeHint().height() - self.scroller.sizeHint().height()
        needed = body + max(footer, 0) + 4
        limit = largest_client_size(self).height()
        height = min(max(needed, self.height() if self.isVisible() else 0), limit)
        self.resize(self.width(), max(height, 320))

    # Typing the key (recovery_key_entry.py) -------------------------------------

    def key_text(self) -> str:
        """The key as typed, groups joined by dashes (what Store.recover accepts)."""
        return self.key_entry.key_text()

    def set_key(self, key: str) -> None:
        """Fill the groups from a whole key (as a paste would)."""
        self.key_entry.set_key(key)

    def _focus(self, widget: QWidget) -> None:
        # setFocus() does not scroll like Tab does; at a large font the body scrolls.
        widget.setFocus()
        self.scroller.ensureWidgetVisible(widget)

    def wrong_groups(self) -> list[int]:
        """Numbers (1-based) of the complete groups whose check digit is wrong."""
        return self.key_entry.wrong_groups()

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password.setEchoMode(mode)
        self.password_again.setEchoMode(mode)

    # Submitting -------------------------------------------------------------------

    def problem(self) -> tuple[str, QWidget] | None:
        """The first thing to put right before the slow check, and where; None if none."""
        if not self.username.text().strip():
            return self.tr("Please type the administrator's user name."), self.username
        key_problem = self.key_entry.problem()
        if key_problem is not None:
            return key_problem
        try:
            validate_password(self.password.text(), Role.ADMIN, field="new password")
        except BadInput as error:
            return str(error), self.password
        if self.password_again.text() != self.password.text():
            return (
                self.tr("The two passwords are not the same; please type the same password twice."),
                self.password_again,
            )
        return None

    def submit(self) -> None:
        if self._busy or not self.submit_button.isEnabled():
            return
        found = self.problem()
        if found is not None:
            sentence, where = found
            if sentence == self.key_message.text():
                # Already said beside the groups; saying it twice would only crowd the
                # dialog. The focus goes to the group, whose description names the mistake.
                self.error.clear_message()
                self.key_message.show_error(sentence)
            else:
                self.error.show_error(sentence)
            self._refit()
            self._focus(where)
            return
        password = self.password.text()
        # The fields are cleared at once: the password lives on only in the call.
        self.password.clear()
        self.password_again.clear()
        self.error.clear_message()
        self.set_busy(True)
        self.submitted.emit(self.key_text(), self.username.text().strip(), password)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
        self._refit()
        for widget in (
            self.username,
            *self.groups,
            self.password,
            self.password_again,
            self.show_passwords,
            self.cancel_button,
        ):
            widget.setEnabled(not busy)
        self._refresh_button()

    @property
    def busy(self) -> bool:
        return self._busy

    def show_failure(self, failure: Failure) -> None:
        self.set_busy(False)
        self.error.show_error(failure.message)
        self._refit()
        if isinstance(failure.error, WrongCredentials) and failure.error.retry_after > 0:
            self._countdown.wait(failure.error.retry_after)
        self._refresh_button()
        self._focus(self.password)

    def finish(self) -> None:
        """Success: close (``done`` forgets the key)."""
        self.set_busy(False)
        self.accept()

    def seconds_to_wait(self) -> int:
        return self._countdown.seconds_to_wait()

    def _refresh_button(self) -> None:
        self._countdown.refresh()

    # Closing ----------------------------------------------------------------------

    def reject(self) -> None:
        # Also reached from Escape and the window's close button (QDialog.closeEvent).
        if not self._busy:  # see the class docstring
            super().reject()

    def done(self, result: int) -> None:
        for edit in (self.password, self.password_again):
            edit.clear()
        self.key_entry.clear()
        super().done(result)
