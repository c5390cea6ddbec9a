"""The script PyInstaller freezes: start the command line, which opens the app.

Kept tiny on purpose: everything real lives in ``safeguard_desktop.cli`` so the
frozen program and ``uv run safeguard-desktop`` behave the same. Nothing here
imports Qt, so ``--version`` stays fast.
"""

from __future__ import annotations

import sys

# Options that only pick the data folder; with nothing else on the command line
# the desktop app opens, so no console is wanted.
_GUI_ONLY_OPTIONS = ("--data-dir",)


def _has_command(argv: list[str]) -> bool:
    """True when the arguments ask for something other than the desktop app."""
    rest = iter(argv)
    for arg in rest:
        if arg in _GUI_ONLY_OPTIONS:
            next(rest, None)  # skip the option's value
        elif not any(arg.startswith(f"{opt}=") for opt in _GUI_ONLY_OPTIONS):
            return True
    return False


def _attach_parent_console() -> None:
    """Give a windowed Windows build somewhere to print ``--version`` and ``selftest``.

    The Windows builds are GUI-subsystem programs (console=False), so a double
    click opens no black window. The price is that Windows gives them no
    console: Python then sets sys.stdout/stderr/stdin to None and every print
    vanishes. When the program was started from a terminal with a command, we
    attach to that terminal's console (``AttachConsole(ATTACH_PARENT_PROCESS)``)
    and reopen the missing streams on it. Streams the caller redirected (a
    pipe in CI, ``> out.json``) are real handles already and are left alone.

    cmd.exe does not wait for GUI programs, so output can land after the next
    prompt; scripts should capture output (PowerShell ``| Out-String``, Python
    ``subprocess.run``) or use ``start /wait``, which both wait for the exit.
    """
    if sys.platform != "win32":  # also tells type checkers that windll exists below
        return
    if sys.stdout is not None and sys.stderr is not None and sys.stdin is not None:
        return
    import ctypes

    attach_parent_process = -1  # ATTACH_PARENT_PROCESS (DWORD -1)
    if not ctypes.windll.kernel32.AttachConsole(attach_parent_process):
        return  # started from Explorer or a shortcut: nowhere to print, nothing to do
    # The console's own devices: Python writes them through the console's Unicode
    # API (PEP 528), so names in any script show correctly; line buffering so a
    # prompt or a JSON line shows before the exit.
    if sys.stdout is None:
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", buffering=1)  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open("CONOUT$", "w", encoding="utf-8", buffering=1)  # noqa: SIM115
    if sys.stdin is None:
        sys.stdin = open("CONIN$", encoding="utf-8")  # noqa: SIM115


def main() -> int:
    # A full export makes its PDFs in worker processes (pdf/worker_pool.py), each started
    # as this program again; for those, freeze_support runs the worker and exits here.
    import multiprocessing

    multiprocessing.freeze_support()
    if sys.platform == "win32" and getattr(sys, "frozen", False) and _has_command(sys.argv[1:]):
        _attach_parent_console()
    from safeguard_desktop.cli import main as cli_main

    return int(cli_main() or 0)


if __name__ == "__main__":
    raise SystemExit(main())
