"""Run-time hook for PySide6 that does not import Qt at start-up.

PyInstaller's own hook (pyi_rth_pyside6) imports ``PySide6.QtCore`` in every
start of the frozen program, only to register an embedded ``qt.conf`` that
points Qt at its bundled prefix. PySide6's PyPI wheels register that
``qt.conf`` themselves when QtCore is first imported, so the import is wasted
work for ``safeguard-desktop --version`` and the other commands, which must
not load Qt at all (shared/CLI.md). This hook keeps the environment set-up
of the original (PyInstaller 6.x) and leaves the import to the app.
"""


def _pyi_rthook() -> None:
    import os
    import sys

    meipass = sys._MEIPASS  # type: ignore[attr-defined]  # set by the bootloader
    qt_root = (
        os.path.join(meipass, "PySide6")
        if sys.platform == "win32"
        else os.path.join(meipass, "PySide6", "Qt")
    )
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_root, "plugins")
    # The app uses no QML; set anyway so a stray system QML path is never picked up.
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_root, "qml")
    if sys.platform == "win32":
        # As the original: DLLs collected beside the program are found first.
        os.environ["PATH"] = meipass + os.pathsep + os.environ.get("PATH", "")


_pyi_rthook()
del _pyi_rthook
