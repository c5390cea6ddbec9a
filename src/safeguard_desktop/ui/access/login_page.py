"""The sign-in page: the organisation's name, user name, password, and one clear sentence.

Signing in derives a key with Argon2id (slow on purpose), so it runs on the worker with a
busy indicator. After wrong passwords the store asks for an increasing pause; the button
shows the countdown instead of letting people type into a wall. Below the form, a quieter
button opens the recovery-key dialog (forgotten administrator password, or a new PC); a
session made there is handed on through ``signed_in`` like any other. Where guests are
allowed, "Record a concern without an account" emits ``guest_record_requested``: the
form opens at once on its question about danger, and asks the guest's name and role last.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.errors import WrongCredentials
from safeguard_desktop.services.store import Store

from ..theme import (
    BUTTON_MIN_HEIGHT,
    MessageLine,
    banner,
    card,
    centred_page,
    heading,
    hint,
    taller,
    text_width,
)
from ..widgets.dialog_parts import RetryCountdown
from ..widgets.field_hint import field_hint
from ..worker import Failure, Worker
from .recovery_dialog import RecoveryDialog


class LoginPage(QWidget):
    """Emits ``signed_in(session)`` after a successful sign-in.

    After a sign-in through the recovery key, ``recovered`` follows ``signed_in``.
    """

    signed_in = Signal(object)
    recovered = Signal()
    guest_record_requested = Signal()

    def __init__(
        self, worker: Worker, demo_hint: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._store: Store | None = None
        self._busy = False
        self.recovery_dialog: RecoveryDialog | None = None

        panel = card()
        panel.setFixedWidth(text_width(56))
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(10)

        layout.addWidget(hint(self.tr("Safeguard Desktop")))
        self.heading = heading("")
        layout.addWidget(self.heading)

        if demo_hint:
            self.demo_banner: QFrame | None = banner(demo_hint)
            layout.addWidget(self.demo_banner)
        else:
            self.demo_banner = None

        self.notice = MessageLine(self.tr("Notice"))
        layout.addWidget(self.notice)
        layout.addSpacing(6)

        self.username = QLineEdit()
        self.username.setAccessibleName(self.tr("User name"))
        self.username.setMaxLength(64)
        user_label = QLabel(self.tr("&User name"))
        user_label.setBuddy(self.username)
        layout.addWidget(user_label)
        layout.addWidget(self.username)

        self.password = QLineEdit()
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(1024)
        password_label = QLabel(self.tr("&Password"))
        password_label.setBuddy(self.password)
        layout.addWidget(password_label)
        layout.addWidget(self.password)

        self.error = MessageLine(self.tr("Sign-in problem"))
        layout.addWidget(self.error)

        self.sign_in_button = QPushButton(self.tr("&Sign in"))
        self.sign_in_button.setAccessibleName(self.tr("Sign in"))
        self.sign_in_button.setDefault(True)
        taller(self.sign_in_button, BUTTON_MIN_HEIGHT + 4)
        layout.addSpacing(4)
        layout.addWidget(self.sign_in_button)

        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # indeterminate: Argon2 gives no progress
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(8)
        self.busy_bar.setAccessibleName(self.tr("Checking your password"))
        self.busy_label = hint(self.tr("Checking your password…"))
        self.busy_bar.hide()
        self.busy_label.hide()
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.busy_label)

        # Read with the password too: it is what the password alone then protects.
        self.keyring_line = field_hint(self.password)
        self.keyring_line.setAccessibleName(self.tr("About this PC's credential store"))
        self.keyring_line.hide()
        layout.addSpacing(6)
        layout.addWidget(self.keyring_line)

        # Set apart below a line and not full width: a way out, not the way in.
        layout.addSpacing(6)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        rule.setStyleSheet("color: #d5dae0;")
        layout.addWidget(rule)
        self.recovery_button = QPushButton(self.tr("Use the &recovery key…"))
        self.recovery_button.setAccessibleName(self.tr("Use the recovery key"))
        self.recovery_hint = field_hint(
            self.recovery_button,
            self.tr("Forgotten the administrator password, or moved to a new PC?"),
        )
        layout.addWidget(self.recovery_hint)
        self.recovery_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.recovery_button.clicked.connect(self.open_recovery_dialog)
        recovery_row = QHBoxLayout()
        recovery_row.addWidget(self.recovery_button)
        recovery_row.addStretch(1)
        layout.addLayout(recovery_row)

        # Where the organisation allows it, anyone may record without an account.
        self.guest_button = QPushButton(self.tr("Record a concern &without an account"))
        self.guest_button.setAccessibleName(self.tr("Record a concern without an account"))
        taller(self.guest_button, BUTTON_MIN_HEIGHT + 12)
        self.guest_button.setFixedWidth(text_width(56))
        self.guest_button.clicked.connect(self.record_as_guest)
        self.guest_button.hide()
        centred_page(self, panel, self.guest_button, gap=12)

        self._countdown = RetryCountdown(
            self.sign_in_button, self.tr("&Sign in"), self.tr("Sign in"), lambda: self._busy
        )

        self.sign_in_button.clicked.connect(self.sign_in)
        self.username.returnPressed.connect(self._username_entered)
        self.password.returnPressed.connect(self.sign_in)
        self.username.editingFinished.connect(self._check_delay)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.sign_in_button)
        self.setTabOrder(self.sign_in_button, self.recovery_button)

    # Filling in -----------------------------------------------------------------

    def set_store(self, store: Store) -> None:
        self._store = store
        self.heading.setText(store.organisation.name)
        self.heading.setAccessibleName(store.organisation.name)
        status = store.device_secret_status
        self.keyring_line.setText("" if status.usable else status.message)
        self.keyring_line.setVisible(not status.usable)
        self.guest_button.setVisible(store.organisation.allow_guests)

    def prepare(self, username: str = "", notice: str = "") -> None:
        """Ready the page for a sign-in: after start-up, setup, lock or sign-out."""
        self.username.setText(username)
        self.password.clear()
        self.error.clear_message()
        if notice:
            self.notice.show_info(notice)
        else:
            self.notice.clear_message()
        self._set_busy(False)
        self._check_delay()
        (self.password if username else self.username).setFocus()

    def add_notice(self, sentence: str) -> None:
        """One more sentence under the notice, such as what the automatic backup did."""
        before = self.notice.text() if self.notice.isVisibleTo(self) else ""
        self.notice.show_info(f"{before}\n{sentence}" if before else sentence)

    @property
    def busy(self) -> bool:
        return self._busy

    # Signing in -----------------------------------------------------------------

    def _username_entered(self) -> None:
        if self.password.text():
            self.sign_in()
        else:
            self.password.setFocus()

    def sign_in(self) -> None:
        if self._busy or self._store is None or not self.sign_in_button.isEnabled():
            return
        username = self.username.text().strip()
        if not username:
            self._refuse(self.username, self.tr("Please type your user name."))
            return
        if not self.password.text():
            self._refuse(self.password, self.tr("Please type your password."))
            return
        password = self.password.text()
        # The field is cleared at once: the password lives on only in the call below.
        self.password.clear()
        self.error.clear_message()
        self._set_busy(True)
        self._worker.submit(
            self._store.login,
            username,
            password,
            on_done=self._login_done,
            on_error=self._login_failed,
        )

    def _login_done(self, session: object) -> None:
        self._set_busy(False)
        self.notice.clear_message()
        self.signed_in.emit(session)

    def _login_failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self._refuse(self.password, failure.message)
        if isinstance(failure.error, WrongCredentials) and failure.error.retry_after > 0:
            self._countdown.wait(failure.error.retry_after)
        self._refresh_button()

    def _refuse(self, field: QLineEdit, sentence: str) -> None:
        """The sentence under the fields, and read on the field at fault, where the
        keyboard goes."""
        self.error.clear_message()  # the other field gets its own description back
        self.error.describe(field)
        self.error.show_error(sentence)
        field.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)
        self.recovery_button.setEnabled(not busy)
        self._refresh_button()

    # Recording as a guest ------------------------------------------------------------

    def record_as_guest(self) -> None:
        if self._busy or self._store is None:
            return
        self.guest_record_requested.emit()

    # The recovery key ---------------------------------------------------------------

    def open_recovery_dialog(self) -> None:
        if self._busy or self._store is None or self.recovery_dialog is not None:
            return
        dialog = RecoveryDialog(self.username.text().strip(), self)
        dialog.submitted.connect(self._recover)
        dialog.finished.connect(self._recovery_dialog_closed)
        self.recovery_dialog = dialog
        dialog.open()
        (dialog.groups[0] if dialog.username.text() else dialog.username).setFocus()

    def _recovery_dialog_closed(self) -> None:
        dialog, self.recovery_dialog = self.recovery_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _recover(self, code: str, username: str, new_password: str) -> None:
        if self._store is None:
            return
        # The callbacks belong to this page, not the dialog, so a session made by the
        # slow call is always handed on, never left open with nobody holding it.
        self._worker.submit(
            self._store.recover,
            code,
            username,
            new_password,
            on_done=self._recovered,
            on_error=self._recovery_failed,
        )

    def _recovered(self, session: object) -> None:
        if self.recovery_dialog is not None:
            self.recovery_dialog.finish()
        self.password.clear()
        self.error.clear_message()
        self.notice.clear_message()
        self.signed_in.emit(session)
        self.recovered.emit()

    def _recovery_failed(self, failure: Failure) -> None:
        if self.recovery_dialog is not None:
            self.recovery_dialog.show_failure(failure)

    # The increasing delay after wrong passwords -----------------------------------

    def _check_delay(self) -> None:
        username = self.username.text().strip()
        if self._store is None or not username:
            return
        delay = self._store.login_delay(username)
        self._countdown.wait(delay)

    def seconds_to_wait(self) -> int:
        return self._countdown.seconds_to_wait()

    def _refresh_button(self) -> None:
        self._countdown.refresh()
