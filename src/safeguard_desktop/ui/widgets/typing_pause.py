"""Search as you type, without a query per key press.

A :class:`TypingPause` watches a text box and runs its action once typing has paused
for :data:`TYPING_PAUSE_MS`: one search for a name typed quickly, not one per letter.
Enter does not wait (:meth:`TypingPause.flush`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLineEdit

# Long enough to cover the gap between key presses, short enough to feel immediate.
TYPING_PAUSE_MS = 250


class TypingPause(QObject):
    """Runs ``action`` when typing in ``field`` pauses. Owned by ``field``."""

    def __init__(
        self, field: QLineEdit, action: Callable[[], None], delay_ms: int = TYPING_PAUSE_MS
    ) -> None:
        super().__init__(field)
        self._action = action
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._run)
        field.textChanged.connect(lambda _: self._timer.start())

    @property
    def waiting(self) -> bool:
        """Typing has not yet paused: the action is still to come."""
        return self._timer.isActive()

    def cancel(self) -> None:
        """Forget the pending run (the action is being run another way)."""
        self._timer.stop()

    def flush(self) -> None:
        """Run the action now if it was waiting for a pause (Enter pressed)."""
        if self._timer.isActive():
            self._run()

    def _run(self) -> None:
        self._timer.stop()
        self._action()
