"""Files a person names as input (a concern's JSON, a PDF, a certificate): read safely.

Only a regular file is read, and only up to a stated size, never waiting on a FIFO or
reading a device without end (storage/regular_file.py, which vault.json is read with
too). Each refusal is an :class:`UnreadableFile` saying what was found; :func:`describe`
turns it into one sentence, which names the file only in the words the caller gives
(the command line names the path the user typed; the app says "That file", as people
name files after children).
"""

from __future__ import annotations

from pathlib import Path

from ..domain.errors import BadInput
from ..domain.json_input import parse_json
from ..storage.regular_file import Problem as Problem
from ..storage.regular_file import UnreadableFile as UnreadableFile
from ..storage.regular_file import open_regular_file as open_regular_file
from ..storage.regular_file import problem_of as problem_of
from ..storage.regular_file import read_regular_file as read_regular_file

# A concern is a few kilobytes; the longest one the schema allows, every field full,
# is about 26 million characters. The limit is far above any real concern and still
# small enough to read on a small PC in a second.
MAX_JSON_BYTES = 32 * 1024 * 1024


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
