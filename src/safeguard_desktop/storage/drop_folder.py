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
import errno
import json
import logging
import os
import re
import secrets
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from .atomic_file import clear_temporaries, fsync_directory, write_atomically

log = logging.getLogger(__name__)

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
# A file the system will not let us open (an antivirus scan, a sync engine holding it on
# Windows) is tried again for this long after it last changed before it is kept aside.
LOCKED_PATIENCE_SECONDS = 3600.0

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
    fsynced, then renamed (replacing a file of that name: a heartbeat). What a process
    killed while writing that same name left beside it goes then (names are a station's
    own, so never another writer's file in progress)."""
    path = folder / name
    write_atomically(path, data)
    clear_temporaries(path)
    return path


_TEMPORARY = re.compile(r"\.(?P<name>.+\.sgdrop)\.[0-9a-f]{8}\.tmp")


def clear_own_temporaries(folder: Path) -> None:
    """Remove what a killed process left in a folder only this station writes (its
    outbox): the temporary copies of any file of ours."""
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries]
    except OSError:
        return
    for name in names:
        match = _TEMPORARY.fullmatch(name)
        if match and our_file(match.group("name")):
            clear_temporaries(folder / match.group("name"))


def our_file(name: str) -> bool:
    """True for a name this module makes; everything else (sync engines' temporary and
    conflict files, our own dot-named temporaries) is not ours to read."""
    return _NAME.fullmatch(name) is not None


def ref_of(name: str) -> str | None:
    match = _NAME.fullmatch(name)
    return match.group("ref") if match else None


def kind_of(name: str) -> str | None:
    """The kind a file of that name must hold ("concern", "hello", "heartbeat",
    "settings"), or None for a name that is not ours."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    if match.group("ref"):
        return "concern"
    return match.group("kind") or "settings"


@dataclass(frozen=True)
class Listing:
    """The names of ours in a drop folder, by kind, each list in name order."""

    concerns: list[str]
    hellos: list[str]
    heartbeats: list[str]
    settings: list[str]


def listing(folder: Path) -> Listing:
    """The files of ours in ``folder`` by kind; raises OSError when the folder itself
    cannot be listed (missing, a USB stick not plugged in): the caller says so quietly.
    Names that are not ours are never read, however many there are."""
    found: dict[str, list[str]] = {"concern": [], "hello": [], "heartbeat": [], "settings": []}
    with os.scandir(folder) as entries:
        for entry in entries:
            kind = kind_of(entry.name)
            if kind is not None:
                found[kind].append(entry.name)
    return Listing(*(sorted(found[k]) for k in ("concern", "hello", "heartbeat", "settings")))


class FileUnreadable(Exception):
    """A file of ours that cannot be read as a whole file (now, or ever): ``reason`` is a
    code; ``settled`` says whether it has stopped changing (:data:`SETTLE_SECONDS`)."""

    def __init__(self, reason: str, settled: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.settled = settled


@dataclass(frozen=True)
class Found:
    """A whole file read: its path, bytes, and when it last changed."""

    path: Path
    data: bytes
    changed_at: float

    def settled(self, now: float) -> bool:
        return now - self.changed_at >= SETTLE_SECONDS


def read(path: Path, *, now: float | None = None, limit: int = MAX_FILE_BYTES) -> Found | None:
    """The file at ``path``, or None when it is not there (taken, moved by the sync
    engine) or empty (a cloud placeholder not yet downloaded, a copy just begun).

    Never follows a symbolic link, never waits on a FIFO or a device (opened
    non-blocking, then checked to be a regular file), never reads more than ``limit``
    bytes. Raises :class:`FileUnreadable` for anything else; one that cannot be opened
    (locked, not permitted) counts as settled only :data:`LOCKED_PATIENCE_SECONDS` after
    it last changed.
    """
    now = time.time() if now is None else now
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == getattr(errno, "ELOOP", None) or path.is_symlink():
            raise FileUnreadable("unopenable_file", settled=True) from None  # a link
        try:
            changed = path.stat(follow_symlinks=False).st_mtime
        except OSError:
            changed = 0.0
        settled = now - changed >= LOCKED_PATIENCE_SECONDS
        raise FileUnreadable("unopenable_file", settled=settled) from None
    # Asked before Python wraps it: a folder opens on Linux, and the wrapping refuses it.
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise FileUnreadable("unopenable_file", settled=True)
    with os.fdopen(fd, "rb") as handle:
        if info.st_size == 0:
            return None
        if info.st_size > limit:
            raise FileUnreadable("too_big", settled=True)
        try:
            data = handle.read(limit + 1)
        except OSError:
            raise FileUnreadable("unopenable_file", now - info.st_mtime >= SETTLE_SECONDS) from None
    if len(data) > limit:
        raise FileUnreadable("too_big", settled=True)
    return Found(path, data, info.st_mtime)


def remove(path: Path) -> bool:
    """Delete a file taken in (its record is committed); True when it is gone. A file
    already gone is fine; one the system will not let go of (a sync engine or antivirus
    holding it) stays, to be recognised and removed on a later pass."""
    try:
        path.unlink()
    except FileNotFoundError:
        return True
    except OSError as error:
        log.info("a drop folder file could not be removed yet: %s", type(error).__name__)
        return False
    with contextlib.suppress(OSError):
        fsync_directory(path.parent)
    return True


def _same_bytes(one: Path, other: Path) -> bool:
    try:
        if one.stat().st_size != other.stat().st_size:
            return False
        return one.read_bytes() == other.read_bytes()
    except OSError:
        return False


def move_to_quarantine(path: Path) -> Path | None:
    """Move a refused file into the ``quarantine`` subfolder beside it, never over another
    file; returns where it went, or None when it had already gone or could not be moved
    (a file called ``quarantine`` in the way, a lock): it stays where it is then, and is
    recognised (already kept aside) on the next pass. A file whose exact copy is there
    already (a removed station sending its hello again) is removed instead: one copy of
    each is kept."""
    folder = path.parent / QUARANTINE
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        target = folder / path.name
        if target.exists():
            if _same_bytes(path, target):
                path.unlink()
                return target
            target = folder / f"{path.stem}.{secrets.token_hex(4)}{path.suffix}"
        os.replace(path, target)
    except FileNotFoundError:
        return None
    except OSError as error:
        log.info("a refused drop folder file could not be moved: %s", type(error).__name__)
        return None
    with contextlib.suppress(OSError):
        fsync_directory(folder)
        fsync_directory(path.parent)
    return target
