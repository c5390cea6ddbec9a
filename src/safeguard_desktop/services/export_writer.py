"""Where the full export's files go: a new owner-only folder, or one AES-256 encrypted ZIP.

The export (services/export.py) hands over its files one at a time, each as bytes or as
a stream of chunks, so export.json for 100,000 concerns never sits whole in memory.

* A folder: made 0700 beside the target as ``<name>.incomplete-<hex>``, each file
  created 0600 inside it with O_EXCL, fsynced, then renamed to the name chosen (an
  empty folder given is replaced by it). Nothing is written anywhere else.
* A ZIP: stream-zip writes WinZip AES-256 (AE-2), the encryption 7-Zip, WinZip and the
  macOS and Windows archive tools with 7-Zip or WinZip installed open; every byte that
  reaches the disk is already encrypted. It goes to a hidden temporary file beside the
  target (ciphertext only), fsynced and renamed, so a crash or a full disk never leaves
  a half ZIP under the name chosen.

A failure or a cancellation removes what was written (:meth:`discard`): an export is
whole or absent. A process killed half way cannot discard; the next export into the same
folder removes what it left (:func:`clear_leftovers`), only where every file is one an
export writes. Names inside the ZIP are not encrypted (the ZIP format keeps them in
the clear), which is why the export names its files by ids and references only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import stat
import warnings
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..storage.atomic_file import fsync_directory

# Deflate level for export.json: 6 (zlib's default) compresses record JSON to about a
# sixth at several times the speed of 9, stream-zip's default.
DEFLATE_LEVEL = 6
FOLDER_MODE = 0o700
# A folder export is written under its name with this and 8 hex digits added, and
# renamed when whole.
INCOMPLETE = ".incomplete-"
FILE_MODE = 0o600
# What a killed export leaves: a folder export's work folder and a ZIP's temporary file.
_LEFT_FOLDER = re.compile(r".+\.incomplete-[0-9a-f]{8}")
_LEFT_ZIP = re.compile(r"\..+\.[0-9a-f]{8}\.partial")
# Every file a folder export writes (services/export.py, storage/export_query.py).
_EXPORT_FILE = re.compile(
    r"export\.json|chronologies/child-\d+\.pdf|referrals/referral-[A-Za-z0-9-]+\.pdf"
    r"|attachments/attachment-\d+\.(pdf|png|jpg)"
)
_BINARY = getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclass(frozen=True)
class ExportFile:
    """One file of the export: its name inside the export, and its content.

    ``data`` is the whole content (a PDF) or an iterable of chunks (export.json).
    """

    name: str  # "export.json", "chronologies/child-12.pdf": forward slashes, no child's name
    data: bytes | Iterable[bytes]
    compress: bool = False  # deflate inside a ZIP (text); PDFs are compressed already


class ExportWriter:
    """Writes an export's files into a folder or a ZIP; :meth:`write_all`, then keep or discard."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.bytes_written = 0

    def write_all(self, files: Iterable[ExportFile]) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        """Remove everything this writer made; best effort, never raises."""
        raise NotImplementedError

    @property
    def sha256(self) -> str | None:
        """The SHA-256 of the whole output, for a single file (the ZIP); None for a folder."""
        return None


def _chunks(data: bytes | Iterable[bytes]) -> Iterator[bytes]:
    if isinstance(data, bytes):
        yield data
    else:
        yield from data


class FolderWriter(ExportWriter):
    """Plain files in a new folder (or an empty one given), owner-only.

    The files are written into ``<name>.incomplete-<8 hex>`` beside it, which takes the
    name chosen only once every file is written and fsynced: a process killed half way
    (the PC turned off, the task ended) leaves a folder that says it is incomplete, never
    a half export under the name the user will look for.
    """

    def __init__(self, target: Path) -> None:
        super().__init__(target)
        self.work = target.parent / f"{target.name}{INCOMPLETE}{secrets.token_hex(4)}"
        self._root = self.work  # where the files are now
        self._given_empty = False
        self._files: list[str] = []  # relative to the root
        self._folders: list[str] = []

    def write_all(self, files: Iterable[ExportFile]) -> None:
        self._given_empty = self.target.is_dir()  # an empty folder, checked by the caller
        os.mkdir(self.work, FOLDER_MODE)
        if os.name == "posix":
            os.chmod(self.work, FOLDER_MODE)
        for file in files:
            self._write(file)
        for folder in (*self._folders, ""):
            fsync_directory(self.work / folder)
        if self._given_empty:
            os.rmdir(self.target)  # fails, and nothing is lost, if something came into it
        os.rename(self.work, self.target)
        self._root = self.target
        fsync_directory(self.target.parent)

    def _write(self, file: ExportFile) -> None:
        parts = file.name.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in self._folders:
                os.mkdir(self.work / folder, FOLDER_MODE)
                self._folders.append(folder)
        path = self.work / file.name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | _NOFOLLOW, FILE_MODE)
        self._files.append(file.name)
        with os.fdopen(fd, "wb", buffering=1024 * 1024) as handle:
            if os.name == "posix":
                os.fchmod(handle.fileno(), FILE_MODE)
            for chunk in _chunks(file.data):
                handle.write(chunk)
                self.bytes_written += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())

    def discard(self) -> None:
        for name in reversed(self._files):
            with contextlib.suppress(OSError):
                (self._root / name).unlink()
        for folder in reversed(self._folders):
            with contextlib.suppress(OSError):
                (self._root / folder).rmdir()
        if not (self._root == self.target and self._given_empty):
            with contextlib.suppress(OSError):
                self._root.rmdir()
        if self._given_empty and not self.target.exists():
            with contextlib.suppress(OSError):  # the empty folder they gave, as it was
                os.mkdir(self.target, FOLDER_MODE)


class ZipWriter(ExportWriter):
    """One AES-256 encrypted ZIP, written encrypted to a temporary file and renamed."""

    def __init__(self, target: Path, password: str, modified_at: datetime) -> None:
        super().__init__(target)
        self._password = password
        self._modified_at = modified_at
        self._temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
        self._digest = hashlib.sha256()
        self._renamed = False

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def write_all(self, files: Iterable[ExportFile]) -> None:
        from stream_zip import NO_COMPRESSION_64, ZIP_64, MemberFile, Method, stream_zip

        def members() -> Iterator[MemberFile]:
            for file in files:
                if file.compress or not isinstance(file.data, bytes):
                    method: Method = ZIP_64
                    chunks: Iterable[bytes] = _chunks(file.data)
                else:
                    data = file.data
                    method = NO_COMPRESSION_64(len(data), zlib.crc32(data))
                    chunks = (data,)
                yield file.name, self._modified_at, stat.S_IFREG | FILE_MODE, method, chunks

        fd = os.open(self._temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, FILE_MODE)
        with os.fdopen(fd, "wb", buffering=1024 * 1024) as handle, warnings.catch_warnings():
            # WinZip AES fixes its key derivation (PBKDF2-HMAC-SHA1, 1,000 rounds; 7-Zip
            # and WinZip derive the same): pycryptodome 4 warns when those are its
            # defaults rather than named, which is what stream-zip does.
            warnings.filterwarnings("ignore", message="PBKDF2 without", category=DeprecationWarning)
            for chunk in stream_zip(
                members(),
                get_compressobj=lambda: zlib.compressobj(
                    level=DEFLATE_LEVEL, wbits=-zlib.MAX_WBITS
                ),
                # stream-zip hands a str password to PBKDF2 as Latin-1 bytes; this gives
                # it the UTF-8 bytes 7-Zip and WinZip derive the key from.
                password=_as_latin1(self._password),
            ):
                handle.write(chunk)
                self._digest.update(chunk)
                self.bytes_written += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(self._temp, self.target)
        self._renamed = True
        fsync_directory(self.target.parent)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self._temp.unlink()
        if self._renamed:
            with contextlib.suppress(OSError):
                self.target.unlink()


def _as_latin1(password: str) -> str:
    return password.encode("utf-8").decode("latin-1")


def clear_leftovers(folder: Path) -> int:
    """Remove what exports killed half way left in ``folder`` (a folder export's
    ``<name>.incomplete-<hex>``, readable by anyone who finds it, and a ZIP's encrypted
    temporary file); returns how many were removed. A folder goes only when every file
    in it is one an export writes: anything else named like ours is left alone."""
    removed = 0
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for path in entries:
        if _LEFT_FOLDER.fullmatch(path.name) and _only_export_files(path):
            shutil.rmtree(path, ignore_errors=True)
        elif _LEFT_ZIP.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
        else:
            continue
        if not path.exists() and not path.is_symlink():
            removed += 1
    return removed


def _only_export_files(root: Path) -> bool:
    """True when ``root`` is a real folder holding only files and folders an export
    writes (none of them a link)."""
    if root.is_symlink() or not root.is_dir():
        return False
    try:
        for here, folders, files in os.walk(root, onerror=_raise):
            base = Path(here).relative_to(root)
            for name in folders:
                if (Path(here) / name).is_symlink() or (base / name).as_posix() not in (
                    "chronologies",
                    "referrals",
                    "attachments",
                ):
                    return False
            for name in files:
                path = Path(here) / name
                if path.is_symlink() or not path.is_file():
                    return False
                if not _EXPORT_FILE.fullmatch((base / name).as_posix()):
                    return False
    except OSError:
        return False
    return True


def _raise(error: OSError) -> None:
    raise error
