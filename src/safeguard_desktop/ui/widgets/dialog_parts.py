"""Pieces every small dialog here shares: the busy bar, the button row, fitting wrapped text."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from ..theme import BUTTON_MIN_HEIGHT
from .screen_fit import body_scrolls, fit_dialog, largest_client_size


def busy_bar(accessible_name: str) -> QProgressBar:
    """A thin, hidden, indeterminate bar: Argon2 and SQLCipher give no progress to show."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.setAccessibleName(accessible_name)
    bar.hide()
    return bar


def action_buttons(
    text: str, accessible_name: str
) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The default action button and a plain Cancel, big enough to hit.

    Cancel is a text button: the standard one carries a loud red icon on some desktops.
    """
    box = QDialogButtonBox()
    action = box.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    action.setAccessibleName(accessible_name)
    action.setDefault(True)
    cancel = box.addButton(
        QCoreApplication.translate("DialogParts", "Cancel"), QDialogButtonBox.ButtonRole.RejectRole
    )
    cancel.setAccessibleName(QCoreApplication.translate("DialogParts", "Cancel"))
    for button in (action, cancel):
        button.setMinimumHeight(BUTTON_MIN_HEIGHT)
    return box, action, cancel


def make_default(button: QPushButton) -> None:
    """Make ``button`` the one Enter presses, once it is inside its dialog.

    A button made default before it was in a dialog (as :func:`action_buttons` makes its
    action) carries the flag, but the dialog has not taken it as its default and would
    take the first button it finds; setting the flag again does nothing while it is set,
    hence off and on.
    """
    button.setDefault(False)
    button.setDefault(True)


class FittingDialog(QDialog):
    """A dialog that grows to fit its wrapped text (Qt sizes from the unwrapped hint)."""

    def fit_height(self) -> None:
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout is not None else -1
        if needed > largest_client_size(self).height() or body_scrolls(self):
            # Taller than the screen: what it holds scrolls instead, the dialog as big as
            # the screen allows (screen_fit.py).
            fit_dialog(self)
            return
        if needed > 0:
            self.setMinimumHeight(needed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_height()


class RetryCountdown(QObject):
    """After too many wrong attempts, the action button counts down the wait.

    The services say how long (``WrongCredentials.retry_after``, ``Store.login_delay``);
    this shows it on ``button`` and puts the button back when the wait is over.
    """

    def __init__(
        self, button: QPushButton, text: str, accessible_name: str, is_busy: Callable[[], bool]
    ) -> None:
        super().__init__(button)
        self._button = button
        self._text = text
        self._accessible_name = accessible_name
        self._is_busy = is_busy
        self._retry_at = 0.0  # time.monotonic() when the next attempt is allowed
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh)

    def wait(self, seconds: float) -> None:
        """Hold the button for ``seconds`` more (never shortening a longer wait)."""
        if seconds > 0:
            self._retry_at = max(self._retry_at, time.monotonic() + seconds)
            self._timer.start()
        self.refresh()

    def seconds_to_wait(self) -> int:
        return max(0, math.ceil(self._retry_at - time.monotonic()))

    def refresh(self) -> None:
        wait = self.seconds_to_wait()
        if wait > 0:
            text = (
                QCoreApplication.translate("DialogParts", "Try again in 1 second")
                if wait == 1
                else QCoreApplication.translate("DialogParts", "Try again in {n} seconds").format(
                    n=wait
                )
            )
            self._button.setText(text)
            self._button.setAccessibleName(text)
            self._button.setEnabled(False)
            return
        self._timer.stop()
        self._button.setText(self._text)
        self._button.setAccessibleName(self._accessible_name)
        self._button.setEnabled(not self._is_busy())


def ask_to_confirm(
    parent: QWidget,
    *,
    title: str,
    text: str,
    yes: str,
    on_yes: Callable[[], None],
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.AcceptRole,
) -> QMessageBox:
    """Open (never exec) a question with ``yes`` and Cancel, Cancel the default and what
    Escape presses; ``on_yes()`` runs only when ``yes`` is pressed. Returns the box, which
    deletes itself when closed (keep it while open: a lock closes it with ``parent``)."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names typed by people are not markup
    box.setText(text)
    yes_button = box.addButton(yes, role)
    yes_button.setAccessibleName(yes.replace("&", ""))
    cancel = box.addButton(
        QCoreApplication.translate("DialogParts", "Cancel"), QMessageBox.ButtonRole.RejectRole
    )
    cancel.setAccessibleName(QCoreApplication.translate("DialogParts", "Cancel"))
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    yes_button.clicked.connect(on_yes)
    box.finished.connect(box.deleteLater)
    box.open()
    return box
