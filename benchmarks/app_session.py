"""The real app in a subprocess, driven as a DSL would drive it: for benchmarks/run.py.

A benchmark-only entry point (never part of the app): it starts the window exactly as
``safeguard-desktop`` does (``safeguard_desktop.app._start``: the hardened process, the
QApplication with its theme and translations, the held data folder, the MainWindow) on
whatever Qt platform the environment names (run.py sets ``QT_QPA_PLATFORM=offscreen``),
then either

* ``paint DATA_DIR``: prints ``painted`` the moment the window is first painted and
  exits, so the parent can time process start to first paint; or
* ``memory DATA_DIR USER``: signs in (the password is the first line of stdin) and walks
  Home, a search, the concerns list scrolled to its end, the children list scrolled to
  its end, the heaviest child's chronology and, when there is a draft referral, making
  its signed PDF; after each step it prints one JSON line with the process's peak and
  current resident memory (``VmHWM``, ``VmRSS`` from /proc/self/status, MiB).

  The key derivation at sign-in (Argon2id) is measured apart: it holds the memory cost
  chosen when the store was made (64 MiB on the benchmark stores; calibrated per PC, up
  to 1 GiB, to make password guessing dear) for under a second and gives it back. Each
  time it returns, its peak is printed (``key derivation``) and the process's peak is
  started again from what it holds then (Linux: ``5`` to /proc/self/clear_refs), so the
  other steps' peaks, and the peak the parent reads when the process ends, are the
  app's own.

    uv run python benchmarks/app_session.py paint DATA_DIR
    echo PASSWORD | uv run python benchmarks/app_session.py memory DATA_DIR admin

or ``cli ARGS...``: runs the command line (``safeguard_desktop.cli.main``, what the
``safeguard-desktop`` command calls) with ARGS, its output to /dev/null, then prints one
JSON line with its peak.

Each mode's last line is the process's own peak as it ends (``"step": "exit"``). The
parent cannot learn it from ``wait4``: a child's ``ru_maxrss`` starts at the size of the
process that started it (Linux keeps the larger of the two at ``exec``), so a child of the
benchmark runner, itself hundreds of MB after building a store, would be reported at
least that size.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()


def memory_mib() -> dict[str, float]:
    """Peak (VmHWM) and current (VmRSS) resident memory of this process, MiB (Linux)."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                found[name] = int(value.split()[0]) / 1024
    return {"peak_mib": round(found["VmHWM"], 1), "rss_mib": round(found["VmRSS"], 1)}


def watch_key_derivation() -> None:
    """Wrap the app's Argon2id call as described at the top."""
    from safeguard_desktop.security import key_slots
    from safeguard_desktop.services import store

    real = key_slots.derive_key

    def derive(*args: Any, **kwargs: Any) -> bytes:
        key = real(*args, **kwargs)
        say("key derivation", thread=threading.current_thread().name)
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        return key

    key_slots.derive_key = derive
    store.derive_key = derive  # type: ignore[attr-defined]


def say(step: str, **more: object) -> None:
    line = {"step": step, "seconds": round(time.perf_counter() - STARTED, 2), **memory_mib()}
    print(json.dumps({**line, **more}), flush=True)


def paint(data_dir: Path) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    from safeguard_desktop.app import _start

    app, window, hold = _start(data_dir, False, None, None)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and watched.window() is window
            ):
                app.removeEventFilter(self)
                say("painted", page=type(window.stack.currentWidget()).__name__)
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    with hold:
        window.show()
        app.exec()
        window.close()
    return 0


def wait_until(condition: Callable[[], bool], timeout: float = 300.0) -> None:
    """Run the app's events until ``condition()``.

    Between rounds of events it sleeps in Python (``time.sleep`` lets go of the GIL), not
    in ``QTest.qWait``, which holds it while it sleeps: the app's worker thread then got
    the GIL back only between the waits' own lines, and a page of the children list took
    minutes to read (the walk hung at its end twice in three runs).
    """
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        QApplication.processEvents()
        time.sleep(0.005)


def pause(ms: int) -> None:
    """Run the app's events for ``ms`` milliseconds, sleeping in Python (see wait_until)."""
    from PySide6.QtWidgets import QApplication

    until = time.monotonic() + ms / 1000
    while True:
        QApplication.processEvents()
        if time.monotonic() >= until:
            return
        time.sleep(0.005)


def scroll_to_end(model, table) -> int:  # type: ignore[no-untyped-def]
    """Scroll a lazily filled list to its last row as a user dragging the bar would."""
    bar = table.verticalScrollBar()
    stuck = 0
    while not model.complete and stuck < 50:
        before = model.rowCount()
        bar.setValue(bar.maximum())  # the view asks the model for more at the bottom
        pause(1)
        wait_until(lambda: not model.fetching)
        stuck = stuck + 1 if model.rowCount() == before else 0
    return int(model.rowCount())


PDF_PASSWORD = "benchmark-pdf-password"  # a throw-away copy of a generated store


def memory(data_dir: Path, username: str, password: str) -> int:
    say("python started")
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from safeguard_desktop.app import _start
    from safeguard_desktop.ui.case_area import CaseArea

    say("app imported")
    watch_key_derivation()
    _app, window, hold = _start(data_dir, False, None, None)
    say("window made")
    with hold:
        window.resize(1366, 768)
        window.show()
        login = window.login_page
        wait_until(lambda: window.stack.currentWidget() is login)
        QApplication.processEvents()
        say("sign-in page")
        login.username.setText(username)
        login.password.setText(password)
        started = time.perf_counter()
        login.sign_in()
        wait_until(lambda: isinstance(window.session_area, CaseArea))
        area = window.session_area
        assert isinstance(area, CaseArea)
        wait_until(lambda: area.home.facts is not None and not window.worker.busy)
        say("signed in, Home", sign_in_seconds=round(time.perf_counter() - started, 2))

        area.show_section("Concerns")
        concerns = area.concerns
        wait_until(lambda: not concerns.searching)
        QTest.keyClicks(concerns.search, "bruise")
        wait_until(lambda: not concerns.searching)
        pause(400)  # the search waits for typing to pause
        wait_until(lambda: not concerns.searching)
        say("searched", rows=concerns.model.rowCount())
        concerns.clear_filters()
        wait_until(lambda: not concerns.searching)
        rows = scroll_to_end(concerns.model, concerns.table)
        say("concerns list at its end", rows=rows)

        area.show_section("Children")
        children = area.children_page
        pause(50)
        wait_until(lambda: not children.model.fetching and not window.worker.busy)
        rows = scroll_to_end(children.model, children.table)
        say("children list at its end", rows=rows)

        heaviest = area.session.conn.execute(
            "SELECT child_id FROM concern_children WHERE child_id IS NOT NULL"
            " GROUP BY child_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        if heaviest is not None:
            children.open_child(heaviest[0])
            child = children.child_page
            assert child is not None
            wait_until(lambda: child.loaded and not window.worker.busy)
            QApplication.processEvents()
            say("chronology open", entries=child.chronology.row_count())

        row = area.session.conn.execute(
            "SELECT ref FROM referrals WHERE status = 'draft' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            say("referral", made=False, why="no draft referral in this store")
        else:
            maker = area.open_referral(row[0])
            wait_until(lambda: maker.record is not None and not window.worker.busy)
            maker.protect.setChecked(True)
            maker.password.setText(PDF_PASSWORD)
            maker.password_again.setText(PDF_PASSWORD)
            QTest.mouseClick(maker.make_button, _left())
            pause(50)
            wait_until(lambda: not maker.is_busy and not window.worker.busy, 120)
            if maker.made is not None:
                say("referral made", made=True)
            else:
                why = maker.status.text() or maker.password_error.text() or "not said"
                say("referral", made=False, why=why)
            maker.reject()
        window.sign_out()
        QApplication.processEvents()
        say("signed out")
        window.close()
        QApplication.processEvents()
        say("closed")
    say("data folder let go")
    return 0


def _left():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def cli(args: list[str]) -> int:
    import contextlib
    import os

    from safeguard_desktop.cli import main as cli_main

    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        return cli_main(args)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "cli":
        return cli(argv[1:])
    if len(argv) >= 2 and argv[0] == "paint":
        return paint(Path(argv[1]))
    if len(argv) >= 3 and argv[0] == "memory":
        password = sys.stdin.readline().rstrip("\n")
        return memory(Path(argv[1]), argv[2], password)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        code = main(sys.argv[1:])
    finally:
        say("exit")
    raise SystemExit(code)
