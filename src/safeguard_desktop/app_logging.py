"""Logging for the whole program: a rotating file in the user log folder.

Never log record text, names of children, passwords or keys: log events and
references only. ``faulthandler`` writes a crash's stack to its own file,
because a windowed frozen build has no stderr.

Our own messages keep to that rule; other people's do not promise to. A library's
warning may quote the document it choked on (pyHanko quotes PDF bytes), and an
exception's message may carry the data that caused it (reportlab's LayoutError
quotes the paragraph that did not fit, which may be a child's words). So the
formatter keeps other libraries' messages out of the file, and writes every
traceback as its frames and exception types only: enough to find a bug, never
what the user had typed.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import traceback
from pathlib import Path
from types import TracebackType
from typing import TextIO

from platformdirs import user_log_dir

from . import APP_NAME

_fault_file: TextIO | None = None


def log_dir() -> Path:
    override = os.environ.get("SAFEGUARD_LOG_DIR")
    return Path(override) if override else Path(user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    return log_dir() / "safeguard-desktop.log"


OWN_LOGGERS = ("safeguard_desktop", "__main__")
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


class RecordSafeFormatter(logging.Formatter):
    """Withholds other libraries' messages and every exception's message (module doc)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        if record.name.startswith(OWN_LOGGERS):
            return super().formatMessage(record)
        # A copy: other handlers (a test's capture, say) see the record unchanged.
        withheld = logging.makeLogRecord(record.__dict__)
        withheld.message = "(message withheld: it may quote a document or a record)"
        return super().formatMessage(withheld)

    def format(self, record: logging.LogRecord) -> str:
        # logging caches a record's traceback text in exc_text, made by whichever handler
        # formats it first; another handler's formatter (a library's, a test's capture)
        # would put the exception's message in our file. Ours is always made here.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: ExcInfo) -> str:
        value = ei[1]
        if value is None:
            return ""
        lines: list[str] = []
        seen: set[int] = set()
        error: BaseException | None = value
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            frames = traceback.extract_tb(error.__traceback__)
            lines = [
                *traceback.format_list(frames),
                f"{type(error).__module__}.{type(error).__qualname__} (message withheld)\n",
                *lines,
            ]
            nxt = error.__cause__ or error.__context__
            if nxt is not None:
                lines.insert(0, "which was caused by, or happened while handling:\n")
            error = nxt
        return "Traceback (most recent call last):\n" + "".join(lines).rstrip("\n")


def configure(debug: bool = False) -> Path:
    """Send logs to the rotating file (and stderr with ``debug``); returns the file."""
    global _fault_file
    directory = log_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    root = logging.getLogger()
    if any(getattr(h, "_safeguard", False) for h in root.handlers):
        return log_file()
    handler = logging.handlers.RotatingFileHandler(
        log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True
    )
    handler.setFormatter(RecordSafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._safeguard = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    if debug:
        console = logging.StreamHandler()
        console.setFormatter(RecordSafeFormatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(console)
    if _fault_file is None:
        _fault_file = open(directory / "crash.log", "a", encoding="utf-8")  # noqa: SIM115
        faulthandler.enable(_fault_file)
    return log_file()
