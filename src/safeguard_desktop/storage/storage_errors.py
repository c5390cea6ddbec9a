"""Storage errors told apart: what SQLite or the OS reported, as the sentence to show.

Modelled on qutebrowser's ``misc/sql.py``: the result code of a failed SQLite call
(or the errno of a failed file write) decides whether the user can act on it, and
how: the disk is full, the folder or file is read-only or cannot be opened, another
program has the file locked, the disk reported an I/O error, the file is damaged, or
it is not one of ours. Each becomes one domain error with one plain sentence; only
the last two say "damaged" (a full disk once told a recorder that the inbox was
damaged and to restore from a backup). Anything else is a bug: :func:`database_error`
and :func:`file_error` return None for it and the caller re-raises the original
exception untouched, so a bug is never dressed up as a disk problem.

Used at the bottom, where the files are opened and written: case_database (opening),
case_records.transaction (every write to cases.db), sealed_inbox (every use of
inbox.db) and vault_file (vault.json).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

import sqlcipher3

from ..domain.errors import (
    DataFolderUnusable,
    DiskError,
    DiskFull,
    SafeguardError,
    StoreDamaged,
    StoreLocked,
)

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
# Extended codes that change the sentence. (Python's sqlite3 turns extended codes on;
# sqlcipher3 does not, so cases.db reports primary codes only.)
SQLITE_READONLY_DIRECTORY = SQLITE_READONLY | (6 << 8)  # the folder, not the file
SQLITE_IOERR_NOMEM = SQLITE_IOERR | (12 << 8)  # memory, not the disk: not ours to name

# Windows reports a file another program holds open as a PermissionError carrying one
# of these (ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION): antivirus, a sync tool.
_WINDOWS_LOCKED = {32, 33}
# Room below which an I/O error while writing is taken for a full disk (see _out_of_room).
_ROOM = 1024 * 1024
# Both drivers' errors: inbox.db is plain SQLite, cases.db is SQLCipher.
_DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher3.DatabaseError)


class Fault(Enum):
    """What went wrong, as far as the user is concerned."""

    DISK_FULL = "disk full"
    READ_ONLY = "read-only"
    CANNOT_OPEN = "cannot be opened"
    LOCKED = "locked by another program"
    IO_ERROR = "input/output error"
    DAMAGED = "damaged"
    NOT_A_DATABASE = "not a database"


def is_database_error(err: BaseException) -> bool:
    return isinstance(err, _DATABASE_ERRORS)


def database_fault(err: BaseException, folder: Path) -> Fault | None:
    """The fault a failed SQLite call reports, by its result code; None when the code is
    not one the user can act on (a bug: a constraint, a syntax error, misuse)."""
    if not is_database_error(err):
        return None
    code = getattr(err, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None  # raised by the driver itself (a closed connection): a bug
    primary = code & 0xFF
    if primary == SQLITE_FULL:
        return Fault.DISK_FULL
    if primary == SQLITE_IOERR:
        if code == SQLITE_IOERR_NOMEM:
            return None
        return Fault.DISK_FULL if _out_of_room(folder) else Fault.IO_ERROR
    if primary == SQLITE_READONLY:
        return Fault.READ_ONLY
    if primary in (SQLITE_CANTOPEN, SQLITE_PERM):
        return Fault.CANNOT_OPEN
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return Fault.LOCKED
    if primary == SQLITE_CORRUPT:
        return Fault.DAMAGED
    if primary == SQLITE_NOTADB:
        return Fault.NOT_A_DATABASE
    return None


def os_fault(err: BaseException) -> Fault | None:
    """The fault a failed file operation reports, by its errno; None for anything else."""
    if not isinstance(err, OSError):
        return None
    if getattr(err, "winerror", None) in _WINDOWS_LOCKED:
        return Fault.LOCKED
    number = err.errno
    if number in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return Fault.DISK_FULL
    if number in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Fault.READ_ONLY
    if number == errno.EIO:
        return Fault.IO_ERROR
    return None


def _out_of_room(folder: Path) -> bool:
    """After an I/O error: was it a write the disk had no room for?

    SQLite reports a write refused with ENOSPC as SQLITE_FULL, but one refused with
    EFBIG (a file-size limit: RLIMIT_FSIZE, FAT32's 4 GB) or EDQUOT (a disk quota) as a
    plain I/O error, and Python does not pass on the errno. So the disk is looked at:
    almost no space left, or a file of the folder at the largest size this process may
    write, is a full disk to the user; anything else stays an I/O error.
    """
    try:
        if shutil.disk_usage(folder).free < _ROOM:
            return True
    except OSError:
        pass
    limit = _file_size_limit()
    if limit is None:
        return False
    try:
        sizes = [entry.stat().st_size for entry in folder.iterdir() if entry.is_file()]
    except OSError:
        return False
    return any(size + _ROOM >= limit for size in sizes)


def _file_size_limit() -> int | None:
    try:
        import resource  # POSIX only
    except ImportError:
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else int(soft)


def fault_error(
    fault: Fault,
    path: Path,
    what: str,
    *,
    outcome: str = "this was not saved",
    damaged: SafeguardError | None = None,
    read_only_folder: bool | None = None,
) -> SafeguardError:
    """The sentence for ``fault`` met on ``path``.

    ``what`` names the file ("the case database"); ``outcome`` says what did not
    happen ("this was not saved", "the records could not be opened"); ``damaged`` is
    the caller's own sentence for damage, where it has one that tests and users know.
    """
    folder = path.parent
    named = f"{what} {path}"
    if fault is Fault.DISK_FULL:
        return DiskFull(
            f"The disk that holds {folder} is full, so {outcome}; nothing saved before was "
            "lost. Free some space on that disk (empty the Recycle Bin, move large files "
            "elsewhere) and try again.",
            path=str(path),
        )
    if fault is Fault.READ_ONLY:
        if read_only_folder is None:
            read_only_folder = not os.access(folder, os.W_OK)
        shown = f"The data folder {folder}" if read_only_folder else _capital(named)
        return DataFolderUnusable(
            f"{shown} is read-only, so nothing can be saved there; nothing was changed. "
            "Check that this account may write to it and that the disk is not "
            "write-protected, or choose another data folder.",
            path=str(path),
        )
    if fault is Fault.CANNOT_OPEN:
        return DataFolderUnusable(
            f"{_capital(named)} cannot be opened; nothing was changed. Check that the disk "
            "it is on is connected and that this account may read and write the data folder.",
            path=str(path),
        )
    if fault is Fault.LOCKED:
        return StoreLocked(
            f"{_capital(named)} is locked by another program (an antivirus or backup "
            "program scanning it, or a second copy of Safeguard Desktop), so "
            f"{outcome}; nothing was lost. Wait a minute and try again; if it stays "
            "locked, close the other program or restart the PC.",
            path=str(path),
        )
    if fault is Fault.IO_ERROR:
        return DiskError(
            f"The disk that holds {folder} reported an error while reading or writing "
            f"{what}, so {outcome}; nothing saved before was changed. Check that the disk "
            "or USB drive is still connected and try again; if it happens again, make a "
            "backup onto another disk straight away and have this one checked.",
            path=str(path),
        )
    if damaged is not None:
        return damaged
    if fault is Fault.NOT_A_DATABASE:
        return StoreDamaged(
            f"{_capital(named)} is damaged or not a Safeguard Desktop file, so {outcome}. "
            "It has not been changed. Restore the data folder from your most recent backup.",
            path=str(path),
        )
    return StoreDamaged(
        f"{_capital(named)} is damaged, so {outcome}. It has not been changed. Restore "
        "the data folder from your most recent backup.",
        path=str(path),
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def database_error(
    err: BaseException,
    path: Path,
    what: str,
    *,
    outcome: str = "this was not saved",
    damaged: SafeguardError | None = None,
) -> SafeguardError | None:
    """The domain error for a failed SQLite call on ``path``, or None (a bug: re-raise)."""
    fault = database_fault(err, path.parent)
    if fault is None:
        return None
    read_only_folder = (
        True if getattr(err, "sqlite_errorcode", None) == SQLITE_READONLY_DIRECTORY else None
    )
    return fault_error(
        fault, path, what, outcome=outcome, damaged=damaged, read_only_folder=read_only_folder
    )


def file_error(
    err: BaseException, path: Path, what: str, *, outcome: str = "this was not saved"
) -> SafeguardError | None:
    """The domain error for a failed write of ``path``, or None (re-raise the OSError)."""
    fault = os_fault(err)
    if fault is None:
        return None
    return fault_error(fault, path, what, outcome=outcome)


@contextmanager
def database_errors_told(
    path: Path,
    what: str,
    *,
    outcome: str = "this was not saved",
    damaged: SafeguardError | None = None,
) -> Iterator[None]:
    """Raise a failed SQLite call's domain error (from it); anything else as it came."""
    try:
        yield
    except _DATABASE_ERRORS as err:
        known = database_error(err, path, what, outcome=outcome, damaged=damaged)
        if known is None:
            raise
        raise known from err


@contextmanager
def file_errors_told(
    path: Path, what: str, *, outcome: str = "this was not saved"
) -> Iterator[None]:
    """Raise a failed file operation's domain error (from it); anything else as it came."""
    try:
        yield
    except OSError as err:
        known = file_error(err, path, what, outcome=outcome)
        if known is None:
            raise
        raise known from err
