"""The .sgbackup file: a header anyone can read, then sections no one can read or change.

Layout (all integers big-endian)::

    b"SGBACKUP"                     8 bytes, the magic
    header length                   4 bytes
    header                          JSON: format, version, program, created_at,
                                    the recovery-key slot, KDF parameters, salt
    chunk*                          4-byte length, then AES-256-GCM ciphertext and tag

The chunks carry one stream of named sections (a manifest, the case database snapshot,
the inbox), each as a 2-byte name length, the name, an 8-byte size and the bytes. Each
chunk's nonce is the chunk's number with a last-chunk flag, and every chunk's associated
data is the SHA-256 of the header: a flipped byte, a cut-off file, chunks swapped or a
header edited all fail to decrypt, and a file that ends before its last chunk is caught.

The key is derived from the case database key, which the header's recovery-key slot
holds sealed: a backup opens with the recovery key on any PC, and with nothing else.
The snapshot inside is itself a SQLCipher database under the same key.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..domain.errors import StoreDamaged, StoreTooNew
from ..security.key_slots import KeySlot

MAGIC = b"SGBACKUP"
FORMAT = "safeguard-desktop-backup"
FORMAT_VERSION = 1
SUFFIX = ".sgbackup"
CHUNK_BYTES = 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024
_INFO = b"safeguard-desktop backup v1"
_LAST = 1

Progress = Callable[[int], None]  # bytes done since the last call


class BackupUnreadable(StoreDamaged):
    """The file is not a whole Safeguard Desktop backup (or not one at all)."""


@dataclass(frozen=True)
class BackupHeader:
    program: str
    created_at: str
    recovery_slot: KeySlot
    salt: bytes
    raw: bytes  # the exact header bytes, hashed into every chunk's associated data

    @property
    def digest(self) -> bytes:
        return hashlib.sha256(self.raw).digest()


def backup_key(db_key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(db_key)


def _nonce(index: int, last: bool) -> bytes:
    return struct.pack(">QBxxx", index, _LAST if last else 0)


def _unreadable(path: Path, what: str) -> BackupUnreadable:
    return BackupUnreadable(
        f"The file {path} is not a whole Safeguard Desktop backup ({what}). It has not "
        "been changed. Try another backup.",
        path=str(path),
    )


# Writing ----------------------------------------------------------------------------


class _ChunkWriter:
    """Encrypts a byte stream into numbered chunks; the caller marks the last one."""

    def __init__(self, out: BinaryIO, key: bytes, aad: bytes) -> None:
        self._out = out
        self._aead = AESGCM(key)
        self._aad = aad
        self._buffer = bytearray()
        self._index = 0

    def write(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]

    def close(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _emit(self, plaintext: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._index, last), plaintext, self._aad)
        self._out.write(struct.pack(">I", len(sealed)))
        self._out.write(sealed)
        self._index += 1


def write_backup(
    out: BinaryIO,
    *,
    program: str,
    created_at: str,
    recovery_slot: KeySlot,
    db_key: bytes,
    sections: list[tuple[str, Path | bytes]],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> None:
    """Write a whole backup to ``out``: the header, then every section, encrypted."""
    salt = os.urandom(16)
    header = json.dumps(
        {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "program": program,
            "created_at": created_at,
            "recovery_slot": recovery_slot.to_json(),
            "salt": salt.hex(),
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")
    out.write(MAGIC + struct.pack(">I", len(header)) + header)
    writer = _ChunkWriter(out, backup_key(db_key, salt), hashlib.sha256(header).digest())
    for name, source in sections:
        encoded = name.encode("utf-8")
        size = len(source) if isinstance(source, bytes) else source.stat().st_size
        writer.write(struct.pack(">H", len(encoded)) + encoded + struct.pack(">Q", size))
        stream: BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
        with stream:
            left = size
            while left:
                if cancelled is not None and cancelled():
                    raise BackupCancelled()
                block = stream.read(min(CHUNK_BYTES, left))
                if not block:
                    raise OSError("a file being backed up got shorter while it was read")
                writer.write(block)
                left -= len(block)
                if progress is not None:
                    progress(len(block))
    writer.close()


class BackupCancelled(Exception):
    """The user cancelled; nothing with the final name was written."""


# Reading ----------------------------------------------------------------------------


def read_header(handle: BinaryIO, path: Path) -> BackupHeader:
    start = handle.read(len(MAGIC) + 4)
    if len(start) < len(MAGIC) + 4 or not start.startswith(MAGIC):
        raise _unreadable(path, "it does not start like one")
    (length,) = struct.unpack(">I", start[len(MAGIC) :])
    if not 0 < length <= MAX_HEADER_BYTES:
        raise _unreadable(path, "its header is damaged")
    raw = handle.read(length)
    if len(raw) != length:
        raise _unreadable(path, "it is cut off")
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a backup header")
        version = data.get("version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise StoreTooNew(
                f"The backup {path} was made by a newer version of Safeguard Desktop "
                f"({str(data.get('program'))[:20]}). Install the latest version to open it."
            )
        if version != FORMAT_VERSION:
            raise ValueError("unknown version")
        header = BackupHeader(
            program=str(data["program"]),
            created_at=str(data["created_at"]),
            recovery_slot=KeySlot.from_json(data["recovery_slot"]),
            salt=bytes.fromhex(str(data["salt"])),
            raw=raw,
        )
    except StoreTooNew:
        raise
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise _unreadable(path, "its header is damaged") from err
    if header.recovery_slot.kind != "recovery" or len(header.salt) != 16:
        raise _unreadable(path, "its header is damaged")
    return header


def _chunks(handle: BinaryIO, path: Path, key: bytes, aad: bytes) -> Iterator[bytes]:
    aead = AESGCM(key)
    index = 0
    while True:
        size_bytes = handle.read(4)
        if len(size_bytes) != 4:
            raise _unreadable(path, "it is cut off")
        (size,) = struct.unpack(">I", size_bytes)
        if size > CHUNK_BYTES + 16:
            raise _unreadable(path, "a part of it is damaged")
        sealed = handle.read(size)
        if len(sealed) != size:
            raise _unreadable(path, "it is cut off")
        for last in (False, True):
            try:
                plaintext = aead.decrypt(_nonce(index, last), sealed, aad)
            except InvalidTag:
                continue
            yield plaintext
            if last:
                if handle.read(1):
                    raise _unreadable(path, "something was added after its end")
                return
            break
        else:
            raise _unreadable(path, "a part of it is damaged or changed")
        index += 1


class _Stream:
    """Reads exact byte counts across chunk boundaries."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""
        self._ended = False

    def read(self, count: int) -> bytes:
        parts = [self._buffer[:count]]
        self._buffer = self._buffer[count:]
        got = len(parts[0])
        while got < count:
            chunk = next(self._chunks, None)
            if chunk is None:
                self._ended = True
                break
            need = count - got
            parts.append(chunk[:need])
            self._buffer = chunk[need:]
            got += min(need, len(chunk))
        return b"".join(parts)

    def at_end(self) -> bool:
        if self._buffer:
            return False
        chunk = next(self._chunks, None)
        while chunk is not None and not chunk:
            chunk = next(self._chunks, None)
        if chunk is None:
            return True
        self._buffer = chunk
        return False


SectionSink = Callable[[str, int], BinaryIO | None]


def read_sections(
    handle: BinaryIO,
    path: Path,
    header: BackupHeader,
    db_key: bytes,
    sink: SectionSink,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Decrypt every section; returns each section's SHA-256 (hex) by name.

    ``sink(name, size)`` returns where to write a section's bytes, or None to only
    hash it. Raises BackupUnreadable on any damage, however small.
    """
    stream = _Stream(_chunks(handle, path, backup_key(db_key, header.salt), header.digest))
    digests: dict[str, str] = {}
    while not stream.at_end():
        (length,) = struct.unpack(">H", _exact(stream, 2, path))
        name = _exact(stream, length, path).decode("utf-8", errors="replace")
        (size,) = struct.unpack(">Q", _exact(stream, 8, path))
        target = sink(name, size)
        digest = hashlib.sha256()
        left = size
        while left:
            block = _exact(stream, min(CHUNK_BYTES, left), path)
            digest.update(block)
            if target is not None:
                target.write(block)
            left -= len(block)
            if progress is not None:
                progress(len(block))
        digests[name] = digest.hexdigest()
    return digests


def _exact(stream: _Stream, count: int, path: Path) -> bytes:
    data = stream.read(count)
    if len(data) != count:
        raise _unreadable(path, "it is cut off")
    return data
