"""Saving an export where the user chose: to that file and nowhere else, never unaudited.

The chronology and the governors' report are built in memory and written here with
the store's write-fsync-rename (a temporary file beside the chosen one, so a crash
never leaves half a PDF). The file's SHA-256 then goes into the audit log, so that a
printed copy that turns up later can be matched to its export; if that entry cannot
be written, the file is removed again: there is no copy the audit log does not know.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from ..domain.errors import BadInput
from ..storage.atomic_file import write_atomically

log = logging.getLogger(__name__)


class NotSaved(BadInput):
    """The file could not be written where the user asked (full, read-only, gone)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "path")


def save_audited(
    path: Path, data: bytes, audit: Callable[[str], None], *, what: str = "The PDF"
) -> str:
    """Write ``data`` to ``path``, then call ``audit`` with its SHA-256, which is returned.

    Raises :class:`NotSaved` (one sentence, never the path: people name files after
    children) when the file cannot be written; whatever ``audit`` raises after
    removing the file again.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        write_atomically(path, data)
    except OSError as error:
        log.info("an export was not written: %s", type(error).__name__)
        raise NotSaved(_why_not_saved(error, what)) from None
    try:
        audit(sha256)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return sha256


def _why_not_saved(error: OSError, what: str) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk or memory stick is full"
    elif isinstance(error, PermissionError) or error.errno == errno.EROFS:
        # On Windows a PDF open in a reader cannot be replaced either.
        why = "that folder cannot be written to, or a file of that name is open"
    elif isinstance(error, FileNotFoundError):
        why = "that folder no longer exists"
    elif isinstance(error, IsADirectoryError):
        why = "a folder already has that name"
    else:
        why = "the computer refused to write the file"
    return f"{what} could not be saved there because {why}; choose another place."
