"""Logging for the whole program: a rotating file in the user log folder.

Never log record text, names of children, passwords or keys: log events and
references only. ``faulthandler`` writes a crash's stack to its own file,
because a windowed frozen build has no stderr.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
from pathlib import Path
from typing import TextIO

from platformdirs import user_log_dir

from . import APP_NAME

_fault_file: TextIO | None = None


def log_dir() -> Path:
    override = os.environ.get("SAFEGUARD_LOG_DIR")
    return Path(override) if override else Path(user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    return log_dir() / "safeguard-desktop.log"


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
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._safeguard = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    if debug:
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(console)
    if _fault_file is None:
        _fault_file = open(directory / "crash.log", "a", encoding="utf-8")  # noqa: SIM115
        faulthandler.enable(_fault_file)
    return log_file()
