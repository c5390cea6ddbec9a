"""``selftest``: does this installed copy have every part it needs?

Four checks, each "pass", "warn" or "fail" with one plain sentence:
SQLCipher (version 4 and full-text search), the OS credential store,
Qt (can it start a GUI application here) and a PDF sign-and-verify round
trip. Nothing is written to disk and no store is opened, so it is safe to
run on any machine, including a build machine with no screen.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..pdf.selftest_document import roundtrip_check
from ..security import device_secret

log = logging.getLogger(__name__)

Check = dict[str, Any]


def _check(status: str, detail: str, **extra: Any) -> Check:
    return {"status": status, "detail": detail, **extra}


def check_sqlcipher() -> Check:
    """SQLCipher 4 with a raw key, and an FTS5 full-text query."""
    # Imported here, not at module level, so that a broken SQLCipher build
    # is reported as a failed check instead of stopping the whole self-test.
    from ..storage.case_database import probe_engine

    cipher_version, sqlite_version, fts_ok = probe_engine()
    versions = {"cipher_version": cipher_version, "sqlite_version": sqlite_version}
    if not cipher_version:
        return _check("fail", "The SQLite library in use is not SQLCipher.", **versions)
    if not cipher_version.startswith("4."):
        return _check(
            "fail", f"SQLCipher {cipher_version} is installed but version 4 is needed.", **versions
        )
    if not fts_ok:
        return _check("fail", "SQLCipher's full-text search gave a wrong answer.", **versions)
    return _check(
        "pass",
        f"SQLCipher {cipher_version} on SQLite {sqlite_version} with full-text search works.",
        **versions,
    )


def check_keyring() -> Check:
    """The OS credential store; without one the app still works, on passwords alone."""
    status = device_secret.probe()
    return _check("pass" if status.usable else "warn", status.message, backend=status.backend)


def _qt_platform_argument() -> str | None:
    """The Qt platform to ask for, or None to let Qt choose.

    QT_QPA_PLATFORM wins. On Linux with no X11 or Wayland display Qt would
    abort the whole process trying its default, so ask for "offscreen".
    """
    if os.environ.get("QT_QPA_PLATFORM"):
        return os.environ["QT_QPA_PLATFORM"]
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless:
        return "offscreen"
    return None


def check_qt() -> Check:
    """Start (or reuse) a Qt GUI application and report its platform plugin."""
    # PySide6 is imported only inside this function body: services/ must not
    # depend on Qt, and the architecture test allows PySide6 in this module
    # only inside functions. The CLI's --version path never gets here.
    from PySide6 import QtCore
    from PySide6.QtGui import QGuiApplication

    existing = QGuiApplication.instance()
    created = None
    if existing is None:
        # QGuiApplication can be created once per process; the app or
        # pytest-qt may have one already, in which case it is reused.
        argv = ["safeguard-desktop"]
        platform = _qt_platform_argument()
        if platform:
            argv += ["-platform", platform]
        created = QGuiApplication(argv)
    try:
        platform_name = QGuiApplication.platformName()
        qt_version = QtCore.qVersion()
    finally:
        if created is not None:
            # Leave no application behind, so the process can still create a
            # QApplication (widgets) after a self-test.
            created.shutdown()
    return _check(
        "pass",
        f"Qt {qt_version} starts with the {platform_name} platform.",
        platform=platform_name,
        qt_version=qt_version,
    )


def check_pdf() -> Check:
    ok, detail = roundtrip_check()
    return _check("pass" if ok else "fail", detail)


_CHECKS: dict[str, Callable[[], Check]] = {
    "sqlcipher": check_sqlcipher,
    "keyring": check_keyring,
    "qt": check_qt,
    "pdf": check_pdf,
}


def run_selftest() -> dict[str, Any]:
    """Run every check; ``ok`` is true only when none has status "fail"."""
    checks: dict[str, Check] = {}
    for name, check in _CHECKS.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as exc:
            # A self-test reports what broke instead of stopping at the first
            # problem; the traceback goes to the log for whoever debugs it.
            log.exception("self-test check %s raised", name)
            result = _check("fail", f"The {name} check stopped with {type(exc).__name__}.")
        result["seconds"] = round(time.perf_counter() - started, 3)
        checks[name] = result
    return {
        "version": __version__,
        "ok": all(c["status"] != "fail" for c in checks.values()),
        "checks": checks,
    }
