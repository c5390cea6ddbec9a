"""The self-test's Qt check: can this PC start a Qt GUI application?

It lives in ui/, where Qt belongs, but imports only QtCore and QtGui and
nothing else from ui/ (no widgets, no theme), so ``safeguard-desktop
selftest`` stays quick: the command line imports this one module.
"""

from __future__ import annotations

import os
import sys

from PySide6 import QtCore
from PySide6.QtGui import QGuiApplication

from safeguard_desktop.services.selftest import Check, check


def qt_platform_argument() -> str | None:
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
    existing = QGuiApplication.instance()
    created = None
    if existing is None:
        # QGuiApplication can be created once per process; the app or
        # pytest-qt may have one already, in which case it is reused.
        argv = ["safeguard-desktop"]
        platform = qt_platform_argument()
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
    return check(
        "pass",
        f"Qt {qt_version} starts with the {platform_name} platform.",
        platform=platform_name,
        qt_version=qt_version,
    )
