"""Pieces every small dialog here shares: the busy bar, the button row, fitting wrapped text."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QProgressBar, QPushButton

from .theme import BUTTON_MIN_HEIGHT


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


class FittingDialog(QDialog):
    """A dialog that grows to fit its wrapped text (Qt sizes from the unwrapped hint)."""

    def fit_height(self) -> None:
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout is not None else -1
        if needed > 0:
            self.setMinimumHeight(needed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_height()
