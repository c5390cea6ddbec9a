"""Reading a file that should be a regular one, with a size limit, and never waiting.

Only a regular file is read, and only up to a stated size. Anything else is refused at
once, before a byte is read: a FIFO would wait for a writer for ever, /dev/zero never
ends (it grew to 14 GB in 28 seconds), and a folder is not a file. The file is opened
without blocking and checked with fstat on that same open file, so it cannot be
swapped for something else between the check and the read.

Here in storage/ so the data folder's own files (vault.json) are read the same way as
files a person names (services/input_files.py words each refusal for them).
"""

from __future__ import annotations

import errno
import os
import stat
from enum import Enum
from pathlib import Path
from typing import BinaryIO


class Problem(Enum):
    MISSING = "missing"
    FOLDER = "folder"
    NOT_REGULAR = "not a regular file"
    TOO_BIG = "too big"
    NOT_PERMITTED = "not permitted"
    LOOP = "symbolic link loop"
    NAME_TOO_LONG = "name too long"
    PATH_THROUGH_FILE = "part of the path is a file"
    OTHER = "other"


class UnreadableFile(Exception):
    """Why a file was not read; services/input_files.describe words it."""

    def __init__(self, problem: Problem, *, kind: str = "", limit: int = 0, detail: str = ""):
        super().__init__(problem.value)
        self.problem = problem
        self.kind = kind  # for NOT_REGULAR: "a FIFO (named pipe)", "a device", ...
        self.limit = limit  # for TOO_BIG
        self.detail = detail  # for OTHER: the system's words


def problem_of(error: OSError) -> UnreadableFile:
    """An ``OSError`` from opening or looking up a path, as a problem to word."""
    if isinstance(error, FileNotFoundError):
        return UnreadableFile(Problem.MISSING)
    if isinstance(error, IsADirectoryError):
        return UnreadableFile(Problem.FOLDER)
    if isinstance(error, PermissionError):
        return UnreadableFile(Problem.NOT_PERMITTED)
    if isinstance(error, NotADirectoryError):
        return UnreadableFile(Problem.PATH_THROUGH_FILE)
    if error.errno == errno.ELOOP:
        return UnreadableFile(Problem.LOOP)
    if error.errno == errno.ENAMETOOLONG:
        return UnreadableFile(Problem.NAME_TOO_LONG)
    return UnreadableFile(Problem.OTHER, detail=error.strerror or type(error).__name__)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular_file(path: Path, limit: int) -> BinaryIO:
    """The regular file at ``path``, open for reading (a big one is read as it goes);
    refused when fstat says it is larger than ``limit``.

    Raises :class:`UnreadableFile` for anything else, without waiting or reading.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        if os.path.isdir(path):  # Windows cannot open a folder to ask what it is
            raise UnreadableFile(Problem.FOLDER)
        fd = os.open(path, flags)
    except OSError as error:
        raise problem_of(error) from None
    # Asked before Python wraps it: a folder opens on Linux, and the wrapping refuses it.
    try:
        info = os.fstat(fd)
    except OSError as error:
        os.close(fd)
        raise problem_of(error) from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile(Problem.FOLDER)
        raise UnreadableFile(Problem.NOT_REGULAR, kind=_kind(info.st_mode))
    if info.st_size > limit:
        os.close(fd)
        raise UnreadableFile(Problem.TOO_BIG, limit=limit)
    return os.fdopen(fd, "rb")


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises :class:`UnreadableFile` for anything else, without waiting or reading.
    """
    with open_regular_file(path, limit) as file:
        # The size may change while it is read; the limit holds whatever is read.
        data = file.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile(Problem.TOO_BIG, limit=limit)
    return data
