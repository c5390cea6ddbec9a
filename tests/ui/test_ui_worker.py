"""The background worker, the idle lock timer and the Qt-to-logging bridge, on real Qt objects."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QtMsgType, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from safeguard_desktop.app import qt_message_handler
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.ui.access.idle_lock import IDLE_REASON, MINIMISED_REASON, IdleLock
from safeguard_desktop.ui.worker import Failure, Worker, discard


class Receiver(QLabel):
    """A widget whose bound methods are the callbacks, as in the real pages."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []
        self.failures: list[Failure] = []
        self.threads: list[str] = []

    def done(self, value: object) -> None:
        self.threads.append(threading.current_thread().name)
        self.results.append(value)

    def failed(self, failure: Failure) -> None:
        self.threads.append(threading.current_thread().name)
        self.failures.append(failure)


@pytest.fixture
def worker(qtbot: QtBot) -> Iterator[Worker]:
    worker = Worker()
    yield worker
    worker.shutdown()


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, worker: Worker) -> None:
    receiver = Receiver()
    qtbot.addWidget(receiver)
    ran_on: list[str] = []

    def job(a: int, b: int) -> int:
        ran_on.append(threading.current_thread().name)
        return a + b

    with qtbot.waitSignal(worker.idle, timeout=5000):
        worker.submit(job, 2, 3, on_done=receiver.done, on_error=receiver.failed)
    assert receiver.results == [5]
    assert ran_on[0].startswith("sg-worker")
    assert receiver.threads == [threading.main_thread().name]
    assert not worker.busy


def test_calls_run_one_at_a_time_in_order(qtbot: QtBot, worker: Worker) -> None:
    receiver = Receiver()
    qtbot.addWidget(receiver)
    with qtbot.waitSignal(worker.idle, timeout=5000):
        for n in range(5):
            worker.submit(lambda n=n: n, on_done=receiver.done)
    assert receiver.results == [0, 1, 2, 3, 4]


def test_safeguard_error_becomes_its_sentence(qtbot: QtBot, worker: Worker) -> None:
    receiver = Receiver()
    qtbot.addWidget(receiver)

    def job() -> None:
        raise BadInput("Please type the name of your organisation.", field="organisation name")

    with qtbot.waitSignal(worker.idle, timeout=5000):
        worker.submit(job, on_done=receiver.done, on_error=receiver.failed)
    assert receiver.results == []
    [failure] = receiver.failures
    assert failure.message == "Please type the name of your organisation."
    assert not failure.is_bug


def test_bug_is_logged_with_traceback_and_user_told_nothing_was_lost(
    qtbot: QtBot, worker: Worker, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = Receiver()
    qtbot.addWidget(receiver)

    def job() -> None:
        raise KeyError("internal detail")

    with (
        caplog.at_level(logging.ERROR, logger="safeguard_desktop.ui.worker"),
        qtbot.waitSignal(worker.idle, timeout=5000),
    ):
        worker.submit(job, on_error=receiver.failed)
    [failure] = receiver.failures
    assert failure.is_bug
    assert failure.message.startswith("Something went wrong. Nothing was lost.")
    assert "internal detail" not in failure.message
    [record] = [r for r in caplog.records if r.name == "safeguard_desktop.ui.worker"]
    assert record.exc_info is not None and record.exc_info[0] is KeyError


def test_bug_sentence_names_the_log_file(qtbot: QtBot, worker: Worker, tmp_path: Path) -> None:
    log_path = tmp_path / "app.log"
    handler = logging.FileHandler(log_path, delay=True)
    package_logger = logging.getLogger("safeguard_desktop")
    package_logger.addHandler(handler)
    receiver = Receiver()
    qtbot.addWidget(receiver)
    try:
        with qtbot.waitSignal(worker.idle, timeout=5000):
            worker.submit(lambda: 1 / 0, on_error=receiver.failed)
    finally:
        package_logger.removeHandler(handler)
        handler.close()
    assert receiver.failures[0].message == (
        f"Something went wrong. Nothing was lost. Details are in the log file: {log_path}"
    )


def test_results_for_a_discarded_view_are_dropped(qtbot: QtBot, worker: Worker) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    receiver = Receiver()
    receiver.setParent(parent)
    gate = threading.Event()
    with qtbot.waitSignal(worker.idle, timeout=5000):
        worker.submit(gate.wait, 5, on_done=receiver.done)
        # The view goes away (as at lock) while the call is still running.
        discard(parent)
        gate.set()
    assert receiver.results == []


def test_idle_lock_fires_after_quiet_time(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    lock = IdleLock(window, timeout_ms=150)
    assert not lock.armed
    lock.start()
    with qtbot.waitSignal(lock.lock_requested, timeout=2000) as blocker:
        pass
    assert blocker.args == [IDLE_REASON]
    assert not lock.armed


def test_idle_lock_is_held_off_by_input(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, timeout_ms=400)
    fired: list[str] = []
    lock.lock_requested.connect(fired.append)
    lock.start()
    for _ in range(8):  # 8 x 150 ms = 1.2 s of activity, three times the timeout
        qtbot.wait(150)
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(5, 5),
            QPointF(5, 5),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, move)
    assert fired == []
    qtbot.waitUntil(lambda: fired == [IDLE_REASON], timeout=2000)
    lock.stop()


def test_idle_lock_fires_on_minimise(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, minutes=5)
    assert lock.interval_ms == 5 * 60_000
    lock.start()
    with qtbot.waitSignal(lock.lock_requested, timeout=2000) as blocker:
        window.showMinimized()
    assert blocker.args == [MINIMISED_REASON]


def test_qt_messages_go_to_python_logging(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="safeguard_desktop.qt"):
        qt_message_handler(QtMsgType.QtInfoMsg, None, "platform plugin loaded")
        qt_message_handler(QtMsgType.QtCriticalMsg, None, "something odd")
    records = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert ("safeguard_desktop.qt", logging.INFO, "platform plugin loaded") in records
    assert ("safeguard_desktop.qt", logging.ERROR, "something odd") in records


def test_emitting_a_signal_keeps_pythons_true_alive() -> None:
    """PySide6 6.12.0's SignalInstance.emit() returns True without a reference.

    Every emit from Python then takes one reference off ``True``; on Python 3.11 the
    app aborts with "bool_dealloc" once they run out (after a few hundred emits: one
    busy session). The worker emits on every call, so this must hold for the app to
    survive; pin a PySide6 without the bug (6.11.2 is fine).
    """

    class Emitter(QObject):
        ping = Signal()

    emitter = Emitter()
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.ping.emit()
    lost = before - sys.getrefcount(True)
    # Give the references back before asserting, so a failure here cannot crash the run.
    keep_alive.extend([True] * max(lost, 0))
    assert lost == 0, f"each Signal.emit() lost a reference to True ({lost} in 50 emits)"


# References handed back to True when the bug above is present.
keep_alive: list[bool] = []
