"""The drop folder: sealed concerns carried as files from recording stations to the DSL's PC.

A recording station (services/stations.py) seals each concern to the organisation's
inbox key, exactly as the inbox does, and writes it as one file, first into its own
outbox and then into a folder the organisation already shares or syncs (a network
share, OneDrive, Dropbox, Nextcloud, Syncthing, a USB stick carried back). The DSL's PC
reads that folder. Nothing in a file can be read without the inbox's private key, which
only the case database holds.

One file per item, named by what it is (``C-7K3M-Q9TX.sgdrop``, ``hello-S-4H2P-W8RZ.sgdrop``,
``heartbeat-S-4H2P-W8RZ.sgdrop``), holding one JSON object: the envelope. A file is
written under a temporary name that starts with a dot, fsynced, then renamed, so a
reader never sees half of one that this program wrote. Sync engines leave their own
leftovers (partial downloads, ``*.tmp``, Syncthing's ``.syncthing.*.tmp``, "conflicted
copy" duplicates, zero-byte placeholders of cloud files not yet downloaded): only names
this module makes are read, and a file that is empty, or that does not parse and changed
in the last :data:`SETTLE_SECONDS`, is left for the next pass (it may still be arriving).

What is refused is moved, never deleted, into the ``quarantine`` subfolder.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .atomic_file import fsync_directory, write_atomically

FORMAT = "safeguard-desktop-drop"
VERSION = 1
SUFFIX = ".sgdrop"
QUARANTINE = "quarantine"
# A concern of the largest size the form and the command line accept (32 MB of JSON),
# sealed and written as base64, with room to spare.
MAX_FILE_BYTES = 48 * 1024 * 1024
# A file that does not parse and changed more recently than this may still be arriving
# (a sync engine writing under the final name); it is read again on the next pass.
SETTLE_SECONDS = 120.0

_REF = r"[A-Z]-[0-9A-Z]{4}-[0-9A-Z]{4}"
_NAME = re.compile(
    rf"(?:(?P<ref>{_REF})|(?P<kind>hello|heartbeat)-(?P<station>S-[0-9A-Z]{{4}}-[0-9A-Z]{{4}})"
    r"|settings)\.sgdrop"
)
KINDS = frozenset({"concern", "hello", "heartbeat", "settings"})
SETTINGS_NAME = "settings.sgdrop"


class DropFileRefused(Exception):
    """A file in the drop folder is not an envelope this version reads; ``reason`` is a
    code services/stations.py words (never the file's content)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Envelope:
    """One file's content. ``fields`` holds the rest as given (checked by the reader
    that knows the kind): for a concern ``ref``, ``submitted_at``, ``inbox_key`` and
    ``sealed`` (bytes), for a hello the station's public key and name, its MAC."""

    kind: str
    station: str
    fields: dict[str, object]

    def blob(self, name: str) -> bytes:
        """A base64 field as bytes; refused when it is missing or not base64."""
        value = self.fields.get(name)
        if not isinstance(value, str):
            raise DropFileRefused("unreadable")
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError):
            raise DropFileRefused("unreadable") from None

    def text(self, name: str, limit: int = 500) -> str:
        value = self.fields.get(name)
        if not isinstance(value, str) or len(value) > limit:
            raise DropFileRefused("unreadable")
        return value


def encode(kind: str, station: str, **fields: object) -> bytes:
    """An envelope's bytes; ``bytes`` values are written as base64."""
    body: dict[str, object] = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "station": station,
    }
    for key, value in fields.items():
        body[key] = base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value
    return json.dumps(body, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode()


def decode(data: bytes) -> Envelope:
    """The envelope in a file's bytes, or :class:`DropFileRefused`."""

    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        found: dict[str, object] = {}
        for key, value in pairs:
            if key in found:
                raise DropFileRefused("unreadable")
            found[key] = value
        return found

    try:
        body = json.loads(data.decode("utf-8"), object_pairs_hook=unique)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DropFileRefused("unreadable") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise DropFileRefused("unreadable")
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise DropFileRefused("unreadable")
    if version > VERSION:
        raise DropFileRefused("newer_version")
    kind, station = body.get("kind"), body.get("station")
    if kind not in KINDS or not isinstance(station, str) or len(station) > 20:
        raise DropFileRefused("unreadable")
    rest = {k: v for k, v in body.items() if k not in ("format", "version", "kind", "station")}
    return Envelope(kind=str(kind), station=station, fields=rest)


def file_name(kind: str, *, ref: str = "", station: str = "") -> str:
    return f"{ref}{SUFFIX}" if kind == "concern" else f"{kind}-{station}{SUFFIX}"


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write one file into ``folder`` durably: a temporary name beginning with a dot,
    fsynced, then renamed (replacing a file of that name: a heartbeat)."""
    path = folder / name
    write_atomically(path, data)
    return path


@dataclass(frozen=True)
class Found:
    """A file the reader may take: its path, its bytes, when it last changed."""

    path: Path
    data: bytes
    changed_at: float


@dataclass(frozen=True)
class Unreadable:
    """A file with one of our names that cannot be read as a whole envelope yet, or ever:
    ``settled`` says it has not changed for :data:`SETTLE_SECONDS`."""

    path: Path
    reason: str
    settled: bool


def our_file(name: str) -> bool:
    """True for a name this module makes; everything else (sync engines' temporary and
    conflict files, our own dot-named temporaries) is not ours to read."""
    return _NAME.fullmatch(name) is not None


def ref_of(name: str) -> str | None:
    match = _NAME.fullmatch(name)
    return match.group("ref") if match else None


def scan(
    folder: Path, *, now: float | None = None, limit: int | None = None
) -> Iterator[Found | Unreadable]:
    """The files of ours in ``folder``, oldest first by name order within a pass.

    Empty files (a cloud placeholder not yet downloaded, a copy just begun) are left
    alone, as are names that are not ours. Raises OSError when the folder itself cannot
    be listed (missing, a USB stick not plugged in): the caller says so quietly.
    """
    now = time.time() if now is None else now
    with os.scandir(folder) as entries:
        names = sorted(e.name for e in entries if our_file(e.name))
    for count, name in enumerate(names):
        if limit is not None and count >= limit:
            return
        path = folder / name
        try:
            info = path.stat()
        except FileNotFoundError:
            continue  # taken by another reader, or moved by the sync engine
        except OSError:
            yield Unreadable(path, "unopenable_file", settled=False)
            continue
        if info.st_size == 0:
            continue
        settled = now - info.st_mtime >= SETTLE_SECONDS
        if info.st_size > MAX_FILE_BYTES:
            yield Unreadable(path, "too_big", settled=True)
            continue
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            continue
        except OSError:
            yield Unreadable(path, "unopenable_file", settled=settled)
            continue
        yield Found(path, data, info.st_mtime)


def remove(paths: list[Path]) -> None:
    """Delete files taken in (their records are committed); a file already gone is fine."""
    folders = set()
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            folders.add(path.parent)
    for folder in folders:
        with contextlib.suppress(OSError):
            fsync_directory(folder)


def move_to_quarantine(path: Path) -> Path | None:
    """Move a refused file into the ``quarantine`` subfolder beside it, never over another
    file; returns where it went, or None when it had already gone."""
    folder = path.parent / QUARANTINE
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}.{secrets.token_hex(4)}{path.suffix}"
    try:
        os.replace(path, target)
    except FileNotFoundError:
        return None
    with contextlib.suppress(OSError):
        fsync_directory(folder)
        fsync_directory(path.parent)
    return target
