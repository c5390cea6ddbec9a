"""Cyclic garbage is collected on the GUI thread by the app's timer, never at random."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from safeguard_desktop.app import make_application
from safeguard_desktop.ui.garbage_collector import GarbageCollector


class _Cycle(QObject):
    """A Qt object kept alive only by a reference cycle through a connected lambda."""

    def __init__(self) -> None:
        super().__init__()
        self.me = self
        self.destroyed.connect(lambda: None)


def test_the_app_collects_cycles_from_its_timer_on_the_gui_thread(qtbot: QtBot) -> None:
    app = make_application()
    collectors = app.findChildren(GarbageCollector)
    assert len(collectors) == 1
    assert make_application() is app and len(app.findChildren(GarbageCollector)) == 1
    assert not gc.isenabled()  # nothing collects on the worker thread or mid-event

    gc.collect()  # older garbage out of the way, so the count below starts near zero
    cycle = _Cycle()
    alive = weakref.ref(cycle)
    del cycle
    # Allocate past the first generation's threshold, as a busy app would.
    junk = [[] for _ in range(gc.get_threshold()[0] + 10)]
    assert alive() is not None  # automatic collection is off: still there
    qtbot.waitUntil(lambda: alive() is None, timeout=5_000)  # the timer collected it
    del junk
    QApplication.processEvents()


def test_collect_due_does_nothing_below_the_threshold(qtbot: QtBot) -> None:
    collector = GarbageCollector(interval_ms=60_000)
    try:
        gc.collect()
        assert collector.collect_due() == 0
    finally:
        collector.deleteLater()
