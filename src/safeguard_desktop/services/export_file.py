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
from collections.abc import Callable, Sequence
from pathlib import Path

from ..domain.errors import BadInput
from ..storage.atomic_file import put_in_place, write_temporary

log = logging.getLogger(__name__)


class NotSaved(BadInput):
    """The file could not be written where the user asked (full, read-only, gone)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "path")


def save_audited(
    path: Path,
    data: bytes,
    audit: Callable[[str], None],
    *,
    records_folder: Path,
    what: str = "The PDF",
) -> str:
    """Write ``data`` to ``path`` and call ``audit`` with its SHA-256, which is returned
    (:func:`save_all_audited` for one file)."""
    (sha256,) = save_all_audited(
        [(path, data, what)], lambda shas: audit(shas[0]), records_folder=records_folder
    )
    return sha256


def save_all_audited(
    files: Sequence[tuple[Path, bytes, str]],
    audit: Callable[[list[str]], None],
    *,
    records_folder: Path,
) -> list[str]:
    """Save each ``(path, data, what)`` and audit them together; their SHA-256s.

    Every file is first written whole to a temporary file beside its place and fsynced;
    then ``audit`` runs (it records them in the database); only then does each take its
    name. So a process killed, a full disk or a refused audit never leaves a file under
    its name that the audit log does not have; at worst a hidden ``.<name>.<hex>.tmp``.

    Raises :class:`NotSaved` (one sentence, never the path: people name files after
    children) when a file cannot be written; whatever ``audit`` raises, with the
    temporary files removed.
    """
    for path, _, what in files:
        # Known before anything is written or audited (a rename would only fail after).
        if path.is_dir():
            raise NotSaved(_why_not_saved(IsADirectoryError(errno.EISDIR, "a folder"), what))
        if _inside(path, records_folder):
            # What leaves the records (often unencrypted) is kept apart from them: a copy
            # there would outlive the file's deletion at its review and go with backups.
            raise NotSaved(
                f"{what} cannot be saved in the folder that holds the records; choose "
                "another place."
            )
    temps: list[Path] = []
    try:
        for path, data, what in files:
            try:
                temps.append(write_temporary(path, data))
            except OSError as error:
                log.info("an export was not written: %s", type(error).__name__)
                raise NotSaved(_why_not_saved(error, what)) from None
        shas = [hashlib.sha256(data).hexdigest() for _, data, _ in files]
        audit(shas)
    except BaseException:
        for temp in temps:
            with contextlib.suppress(OSError):
                temp.unlink()
        raise
    for temp, (path, _, what) in zip(temps, files, strict=True):
        try:
            put_in_place(temp, path)
        except OSError as error:
            # A rename beside the file that failed after the audit (the folder went away,
            # or on Windows the old file is open in a reader): the audit log then holds a
            # file that is not there, never the other way round.
            log.info("an export was not put in place: %s", type(error).__name__)
            raise NotSaved(_why_not_saved(error, what)) from None
    return shas


def _inside(path: Path, folder: Path) -> bool:
    try:
        where = path.parent.resolve() / path.name
        records = folder.resolve()
    except (OSError, RuntimeError):
        return False  # a path that cannot be resolved fails when it is written
    return records in where.parents


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
