"""Python's cyclic garbage collector, run only on the GUI thread between events.

Left to itself, the collector runs whenever enough objects have been allocated: on
the worker thread in the middle of a database call, or inside a Qt event handler. If
the garbage it finds holds the last reference to a Qt object (a closed dialog caught
in a reference cycle through a connected lambda, say), that object is destroyed right
there: on the wrong thread, or under the feet of the event being delivered, and the
process crashes. So automatic collection is switched off and this object runs the same
generational collection from a timer on the GUI thread, where destroying Qt objects is
safe. (calibre, another large PyQt application, does the same for the same reason.)
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

# Often enough that memory never piles up, rarely enough to cost nothing measurable.
INTERVAL_MS = 1_000


class GarbageCollector(QObject):
    """Takes over cyclic garbage collection for the life of the application."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    @classmethod
    def install(cls, app: QObject) -> GarbageCollector:
        """The application's collector, made on first call (a child of ``app``)."""
        existing = app.findChild(cls)
        return existing if existing is not None else cls(app)

    def collect_due(self) -> int:
        """Collect the generations whose allocation counts passed their thresholds."""
        first, second, third = self._thresholds
        count0, count1, count2 = gc.get_count()
        if count0 <= first:
            return 0
        found = gc.collect(0)
        if count1 > second:
            found += gc.collect(1)
            if count2 > third:
                found += gc.collect(2)
        return found
