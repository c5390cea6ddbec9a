"""Files a person names as input (a concern's JSON, a PDF, a certificate): read safely.

Only a regular file is read, and only up to a stated size. Anything else is refused at
once, before a byte is read: a FIFO would wait for a writer for ever, /dev/zero never
ends (it grew to 14 GB in 28 seconds), and a folder is not a file. The file is opened
without blocking and checked with fstat on that same open file, so it cannot be
swapped for something else between the check and the read.

Each refusal is an :class:`UnreadableFile` saying what was found; :func:`describe`
turns it into one sentence, which names the file only in the words the caller gives
(the command line names the path the user typed; the app says "That file", as people
name files after children).
"""

from __future__ import annotations

import errno
import os
import stat
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from ..domain.errors import BadInput
from ..domain.json_input import parse_json

# A concern is a few kilobytes; the longest one the schema allows, every field full,
# is about 26 million characters. The limit is far above any real concern and still
# small enough to read on a small PC in a second.
MAX_JSON_BYTES = 32 * 1024 * 1024


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
    """Why a named file was not read; ``describe`` words it."""

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
    info = os.fstat(fd)
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


def shown_path(path: Path | str) -> str:
    """A path as given, shortened in the middle when too long to read in a message."""
    text = str(path)
    return text if len(text) <= 200 else f"{text[:120]}...{text[-40:]}"


def size_words(limit: int) -> str:
    """``limit`` bytes in the words a person uses: "32 MB", "1 MB", "64 kB"."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):,.0f} MB"
    return f"{limit / 1024:,.0f} kB"


def describe(problem: UnreadableFile, shown: str, what: str) -> str:
    """One sentence: ``shown`` names the file ("The file x.json"), ``what`` is what it
    should have been ("a concern in JSON")."""
    match problem.problem:
        case Problem.MISSING:
            return f"{shown} does not exist."
        case Problem.FOLDER:
            return f"{shown} is a folder, not {what}."
        case Problem.NOT_REGULAR:
            return f"{shown} is {problem.kind}, not a file saved on disk; give {what}."
        case Problem.TOO_BIG:
            return f"{shown} is larger than {size_words(problem.limit)}, too big to be {what}."
        case Problem.NOT_PERMITTED:
            return f"{shown} cannot be read: your account is not allowed to read it."
        case Problem.LOOP:
            return f"{shown} cannot be read: it is a symbolic link that leads round in a loop."
        case Problem.NAME_TOO_LONG:
            return f"{shown} cannot be read: its name is too long for this computer."
        case Problem.PATH_THROUGH_FILE:
            return f"{shown} cannot be found: part of its path is a file, not a folder."
        case _:
            return f"{shown} cannot be read ({problem.detail})."


def read_json_file(path: Path, shown: str, field: str, *, limit: int = MAX_JSON_BYTES) -> object:
    """The JSON in the file at ``path``, parsed strictly (domain/json_input.py).

    Every refusal is a :class:`BadInput` whose sentence starts with ``shown``.
    """
    try:
        raw = read_regular_file(path, limit)
    except UnreadableFile as problem:
        raise BadInput(describe(problem, shown, "a JSON file"), field=field) from None
    try:
        # Notepad saves "UTF-8 with BOM": the mark is not part of the JSON (RFC 8259 lets a
        # reader ignore it), and refusing it would only send the user to find an encoding.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(
            f"{shown} is not UTF-8 text; save it as UTF-8 and try again.", field=field
        ) from None
    return parse_json(text, shown, field)
