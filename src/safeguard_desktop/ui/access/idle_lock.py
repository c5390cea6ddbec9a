"""Locks the session after a quiet spell or when the window is minimised (KeePassXC style).

One app-wide event filter restarts one timer on every bit of user input. It is only
installed while someone is signed in, so it costs nothing on the login page. Losing focus
to another application is deliberately not a trigger: on a shared office PC that happens
all the time and locking then would teach people to hate the lock.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
    }
)

IDLE_REASON = "idle"
MINIMISED_REASON = "minimised"


class IdleLock(QObject):
    """Emits ``lock_requested(reason)`` once per armed period; the window does the locking."""

    lock_requested = Signal(str)

    def __init__(
        self,
        window: QWidget,
        minutes: int = 5,
        *,
        timeout_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``timeout_ms`` overrides ``minutes`` (tests use a few hundred milliseconds)."""
        super().__init__(parent)
        self._window = window
        self._timeout_override = timeout_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._armed = False
        self.set_minutes(minutes)

    @property
    def armed(self) -> bool:
        return self._armed

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_minutes(self, minutes: int) -> None:
        interval = self._timeout_override or max(1, minutes) * 60_000
        self._timer.setInterval(interval)
        if self._armed:
            self._timer.start()

    def start(self) -> None:
        """Begin watching (after sign-in)."""
        if self._armed:
            return
        self._armed = True
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    def stop(self) -> None:
        """Stop watching (after lock or sign-out)."""
        self._armed = False
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: a filter being torn down must never raise inside Qt's event delivery.
        if not getattr(self, "_armed", False):
            return False
        kind = event.type()
        if kind in _INPUT_EVENTS:
            self._timer.start()
        elif (
            kind == QEvent.Type.WindowStateChange
            and watched is self._window
            and self._window.isMinimized()
        ):
            self._fire(MINIMISED_REASON)
        return False

    def _on_timeout(self) -> None:
        if self._armed:
            self._fire(IDLE_REASON)

    def _fire(self, reason: str) -> None:
        self.stop()
        self.lock_requested.emit(reason)
