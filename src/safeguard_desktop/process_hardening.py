"""Protections for the whole process, set first thing at start-up.

Both entry points call :func:`harden_process` before anything is written: the command
line's ``main`` (which also opens the window) and the app's own start-up, for callers
that start the window without the command line.

- **Owner-only files** (POSIX): the umask becomes 077, so every file and folder the
  process creates is its owner's alone. SQLite creates cases.db, inbox.db and their
  ``-wal``/``-shm`` with the process umask (0644 under the usual 022), and the log file
  and saved PDFs hold what the records hold. The store's own files are made 0600
  whatever the umask (storage/file_modes.py); this covers everything else.
- **No core dumps**: a crash must not write the database key, a password or a child's
  record from memory to a file (``RLIMIT_CORE`` 0). On Linux the process is also marked
  non-dumpable, which also keeps other programs running as the same user from
  attaching a debugger or reading its memory through /proc.

Best effort: a step the platform refuses is skipped with a log line, and start-up goes
on; the protections are a second line, not what the records' safety rests on.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

OWNER_ONLY_UMASK = 0o077
_PR_GET_DUMPABLE = 3  # from <linux/prctl.h>
_PR_SET_DUMPABLE = 4


def harden_process() -> None:
    """Owner-only umask, core dumps off, non-dumpable on Linux; never raises."""
    if os.name == "posix":
        os.umask(OWNER_ONLY_UMASK)
    _disable_core_dumps()
    if sys.platform.startswith("linux"):
        _make_non_dumpable()


def protections() -> dict[str, object]:
    """What protects this process now, as far as the platform tells: the umask, the core
    dump limit and whether it is dumpable (None where the platform has no such thing)."""
    umask: int | None = None
    core_limit: int | None = None
    dumpable: bool | None = None
    if os.name == "posix":
        umask = os.umask(OWNER_ONLY_UMASK)
        os.umask(umask)
        try:
            import resource

            core_limit = resource.getrlimit(resource.RLIMIT_CORE)[1]
        except (ImportError, OSError, ValueError):
            pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            dumpable = bool(ctypes.CDLL(None).prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0))
        except (OSError, AttributeError):
            pass
    return {"umask": umask, "core_limit": core_limit, "dumpable": dumpable}


def _disable_core_dumps() -> None:
    if sys.platform == "win32":  # no core files; Windows Error Reporting is the OS's choice
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, OSError, ValueError) as err:
        log.info("could not turn core dumps off: %s", type(err).__name__)


def _make_non_dumpable() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            log.info("could not mark the process non-dumpable: errno %d", ctypes.get_errno())
    except (OSError, AttributeError) as err:  # no libc, or no prctl in it
        log.info("could not mark the process non-dumpable: %s", type(err).__name__)
