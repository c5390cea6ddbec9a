"""Enter presses the button that has the keyboard focus, on every page as in dialogs.

Qt's push buttons answer Enter only inside a dialog; on a page of the main window (the
first screen's "Set up a new store", Home's "Record a concern", "Done" after a concern is
sent) only Space does, and someone who tabs to a button and presses Enter sees nothing
happen. This filter, installed once on the application, makes Enter press a focused push
button that is not inside a dialog (dialogs keep Qt's own rules: Enter is their default
button unless a button has the focus).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

_INSTALLED = "sgEnterPressesButtons"


def _in_dialog(widget: QWidget) -> bool:
    parent: QWidget | None = widget
    while parent is not None:
        if isinstance(parent, QDialog):
            return True
        parent = parent.parentWidget()
    return False


class EnterPressesButtons(QObject):
    @classmethod
    def install(cls, app: QApplication | None = None) -> None:
        app = app or QApplication.instance()  # type: ignore[assignment]
        if app is None or app.property(_INSTALLED):
            return
        app.installEventFilter(cls(app))
        app.setProperty(_INSTALLED, True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QPushButton)
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and watched.hasFocus()
            and watched.isEnabled()
            and not _in_dialog(watched)
        ):
            watched.animateClick()
            return True
        return False
