"""The composition root of the desktop app: QApplication, logging bridges, the main window.

The command line imports this module only when it opens the window, so
``safeguard-desktop --version`` never loads Qt.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from safeguard_desktop import APP_NAME, app_logging
from safeguard_desktop.domain.errors import StoreInUse
from safeguard_desktop.process_hardening import harden_process
from safeguard_desktop.resource_files import resource_path
from safeguard_desktop.services.demo_store import DEMO_HINT as _SERVICES_DEMO_HINT
from safeguard_desktop.services.store import FolderHold, hold_data_folder
from safeguard_desktop.ui import translations
from safeguard_desktop.ui.garbage_collector import GarbageCollector
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.theme import apply_theme
from safeguard_desktop.ui.worker import log_file_path

logger = logging.getLogger(__name__)
qt_logger = logging.getLogger("safeguard_desktop.qt")

# The banner on the sign-in page of the demo store; the credentials are the demo store's.
DEMO_HINT: str = _SERVICES_DEMO_HINT

ORGANISATION_NAME = "Safeguard Desktop"

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message_handler(mode: QtMsgType, context: QMessageLogContext | None, message: str) -> None:
    """Route Qt's own messages into Python logging (a windowed build has no console)."""
    level = _QT_LEVELS.get(mode, logging.WARNING)
    category = getattr(context, "category", None) if context is not None else None
    if category and category != "default":
        qt_logger.log(level, "%s: %s", category, message)
    else:
        qt_logger.log(level, "%s", message)


def make_application(argv: list[str] | None = None, font_scale: float = 1.0) -> QApplication:
    """The one QApplication, named, themed, with Qt's messages going to the log."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fractional scale factors (125 %, 150 %) as the OS sets them; only possible
        # before the application object exists.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION_NAME)
    app.setDesktopFileName("safeguard-desktop")
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addFile(str(resource_path("icons", f"safeguard-desktop-{size}.png")))
    app.setWindowIcon(icon)
    apply_theme(app, font_scale)
    translations.install(app)
    GarbageCollector.install(app)
    return app


def _start(
    data_dir: Path, demo: bool, argv: list[str] | None, demo_hint: str | None
) -> tuple[QApplication, MainWindow, FolderHold]:
    """The application, its window and the data folder held for as long as they live;
    raises StoreInUse when another copy of the app has the folder."""
    # The command line has done this already; other callers start here.
    harden_process()
    if log_file_path() is None:
        # The CLI normally configures logging first; this covers other callers.
        app_logging.configure()
    app = make_application(argv)
    # One copy of the app per data folder (services/store.py): before the window
    # opens anything in it.
    hold = hold_data_folder(Path(data_dir))
    try:
        banner_text = demo_hint or (DEMO_HINT if demo else None)
        window = MainWindow(Path(data_dir), demo_hint=banner_text)
    except BaseException:
        hold.release()
        raise
    return app, window, hold


def _say_already_open(error: StoreInUse, *, dialog: bool) -> int:
    """A second copy of the app on the same folder: say so, open nothing, exit."""
    logger.warning("another copy of the app holds the data folder; not opening it")
    if sys.stderr is not None:  # a windowed build has none
        print(f"safeguard-desktop: {error}", file=sys.stderr)  # as the command line says it
    if dialog:
        QMessageBox.warning(None, APP_NAME, str(error))
    return error.exit_code


def _exec(app: QApplication, window: MainWindow, loop: QEventLoop | None = None) -> int:
    def log_uncaught(
        kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        # An exception escaping a Qt slot is a bug: log it, keep the window, tell the user.
        logger.critical("uncaught exception in the GUI", exc_info=(kind, error, tb))
        window.show_bug_notice()

    previous_handler = qInstallMessageHandler(qt_message_handler)
    previous_hook = sys.excepthook
    sys.excepthook = log_uncaught
    try:
        window.show()
        return int(loop.exec() if loop is not None else app.exec())
    finally:
        sys.excepthook = previous_hook
        qInstallMessageHandler(previous_handler)


def run_gui(
    data_dir: Path,
    demo: bool = False,
    argv: list[str] | None = None,
    demo_hint: str | None = None,
) -> int:
    """Open the desktop app on ``data_dir`` and return its exit code.

    The sign-in page carries a demo banner when ``demo_hint`` is given, or with
    ``demo=True`` (then the text is ``DEMO_HINT``).
    """
    try:
        app, window, hold = _start(data_dir, demo, argv, demo_hint)
    except StoreInUse as error:
        return _say_already_open(error, dialog=True)
    with hold:
        _quit_on_signals(window)
        return _exec(app, window)


def _quit_on_signals(window: MainWindow) -> None:
    """Close the window (locking the session) on Ctrl+C or a polite kill.

    Qt's event loop does not hand control back to Python by itself, so a
    short timer lets Python run its signal handlers; closing normally means
    the demo store's temporary folder is removed too.
    """

    def close(_signum: int, _frame: object) -> None:
        window.close()
        QApplication.quit()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, close)
    ticker = QTimer(window)
    ticker.timeout.connect(lambda: None)
    ticker.start(300)


def run_smoke(data_dir: Path, seconds: float, argv: list[str] | None = None) -> int:
    """Open the window, quit after ``seconds``; 0 if it reached setup or sign-in.

    For checking a frozen build: it proves Qt, the platform plugin, the theme and the
    store-opening path all work, without anyone clicking.
    """
    try:
        app, window, hold = _start(data_dir, False, argv, None)
    except StoreInUse as error:
        return _say_already_open(error, dialog=False)  # no one is there to click
    with hold:
        # A local loop rather than app.exec(): quitting the application would leave it
        # "closing" for good, and the smoke run must be repeatable in one process.
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        _exec(app, window, loop)
        # The sign-in page, or on a new PC the first screen (set up or restore).
        first_screens = (window.login_page, window.first_run_page, window.wizard)
        reached = window.stack.currentWidget() in first_screens
        logger.info("GUI smoke test %s", "passed" if reached else "did not reach sign-in or setup")
        window.close()
    return 0 if reached else 1
