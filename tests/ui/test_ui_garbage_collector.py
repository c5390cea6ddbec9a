"""Cyclic garbage is collected on the GUI thread by the app's timer, never at random."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from safeguard_desktop.ui.garbage_collector import GarbageCollector


class _Cycle(QObject):
    """A Qt object kept alive only by a reference cycle through a connected lambda."""

    def __init__(self) -> None:
        super().__init__()
        self.me = self
        self.destroyed.connect(lambda: None)


def test_the_collector_collects_cycles_from_its_timer(qtbot: QtBot, qapp: QApplication) -> None:
    collector = GarbageCollector(interval_ms=50)
    try:
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
    finally:
        collector.deleteLater()
        QApplication.processEvents()


def test_collect_due_does_nothing_below_the_threshold(qapp: QApplication) -> None:
    collector = GarbageCollector(interval_ms=60_000)
    try:
        gc.collect()
        assert collector.collect_due() == 0
    finally:
        collector.deleteLater()


def test_the_app_installs_one_collector() -> None:
    # In a process of its own: theming an application that already has the tests'
    # widgets in it is not something the app ever does.
    code = (
        "import gc\n"
        "from safeguard_desktop.app import make_application\n"
        "from safeguard_desktop.ui.garbage_collector import GarbageCollector\n"
        "app = make_application(['test'])\n"
        "make_application(['test'])\n"
        "print(len(app.findChildren(GarbageCollector)), gc.isenabled())\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "False"]
