"""Named sections sealed in numbered AES-256-GCM chunks: what a backup and a transfer
package both carry after their readable header.

One stream of sections (a 2-byte name length, the name, an 8-byte size, then the bytes)
is cut into chunks of at most ``CHUNK_BYTES``; each is written as a 4-byte length and
its ciphertext with tag. A chunk's nonce is its number with a last-chunk flag, and every
chunk's associated data is what the file's header hashes to. So a flipped byte, a file
cut off (even exactly at a chunk's end), chunks swapped or the header edited all fail to
decrypt, and bytes added after the last chunk are noticed.

The caller says how a problem is told (``refuse(what)`` returns the exception to raise),
so a backup and a transfer package each speak of themselves.
"""

from __future__ import annotations

import hashlib
import io
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CHUNK_BYTES = 1024 * 1024
_LAST = 1

Progress = Callable[[int], None]  # bytes done since the last call


class Reader(Protocol):
    """What the readers here need of a file: ``read(n)`` (a file, or one hashed as read)."""

    def read(self, size: int = -1, /) -> bytes: ...


Refuse = Callable[[str], Exception]  # "it is cut off" -> the exception to raise
SectionSink = Callable[[str, int], BinaryIO | None]


class Cancelled(Exception):
    """The user cancelled; nothing with the final name was written."""


def _nonce(index: int, last: bool) -> bytes:
    return struct.pack(">QBxxx", index, _LAST if last else 0)


class _ChunkWriter:
    """Encrypts a byte stream into numbered chunks; :meth:`close` marks the last one."""

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


def write_sections(
    out: BinaryIO,
    key: bytes,
    aad: bytes,
    sections: list[tuple[str, Path | bytes]],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, str]:
    """Seal every section into ``out``; returns each section's SHA-256 (hex) by name."""
    writer = _ChunkWriter(out, key, aad)
    digests: dict[str, str] = {}
    for name, source in sections:
        encoded = name.encode("utf-8")
        size = len(source) if isinstance(source, bytes) else source.stat().st_size
        writer.write(struct.pack(">H", len(encoded)) + encoded + struct.pack(">Q", size))
        stream: BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
        digest = hashlib.sha256()
        with stream:
            left = size
            while left:
                if cancelled is not None and cancelled():
                    raise Cancelled()
                block = stream.read(min(CHUNK_BYTES, left))
                if not block:
                    raise OSError("a file being sealed got shorter while it was read")
                writer.write(block)
                digest.update(block)
                left -= len(block)
                if progress is not None:
                    progress(len(block))
        digests[name] = digest.hexdigest()
    writer.close()
    return digests


def _chunks(handle: Reader, key: bytes, aad: bytes, refuse: Refuse) -> Iterator[bytes]:
    aead = AESGCM(key)
    index = 0
    while True:
        size_bytes = handle.read(4)
        if len(size_bytes) != 4:
            raise refuse("it is cut off")
        (size,) = struct.unpack(">I", size_bytes)
        if size > CHUNK_BYTES + 16:
            raise refuse("a part of it is damaged")
        sealed = handle.read(size)
        if len(sealed) != size:
            raise refuse("it is cut off")
        for last in (False, True):
            try:
                plaintext = aead.decrypt(_nonce(index, last), sealed, aad)
            except InvalidTag:
                continue
            yield plaintext
            if last:
                if handle.read(1):
                    raise refuse("something was added after its end")
                return
            break
        else:
            raise refuse("a part of it is damaged or changed")
        index += 1


class _Stream:
    """Reads exact byte counts across chunk boundaries."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def read(self, count: int) -> bytes:
        parts = [self._buffer[:count]]
        self._buffer = self._buffer[count:]
        got = len(parts[0])
        while got < count:
            chunk = next(self._chunks, None)
            if chunk is None:
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


def read_sections(
    handle: Reader,
    key: bytes,
    aad: bytes,
    sink: SectionSink,
    refuse: Refuse,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Decrypt every section; returns each section's SHA-256 (hex) by name, in order.

    ``sink(name, size)`` returns where to write a section's bytes, or None to only
    hash it (it may raise to stop). Raises ``refuse(...)`` on any damage, however small.
    """
    stream = _Stream(_chunks(handle, key, aad, refuse))
    digests: dict[str, str] = {}
    while not stream.at_end():
        (length,) = struct.unpack(">H", _exact(stream, 2, refuse))
        name = _exact(stream, length, refuse).decode("utf-8", errors="replace")
        (size,) = struct.unpack(">Q", _exact(stream, 8, refuse))
        target = sink(name, size)
        digest = hashlib.sha256()
        left = size
        while left:
            block = _exact(stream, min(CHUNK_BYTES, left), refuse)
            digest.update(block)
            if target is not None:
                target.write(block)
            left -= len(block)
            if progress is not None:
                progress(len(block))
        digests[name] = digest.hexdigest()
    return digests


def _exact(stream: _Stream, count: int, refuse: Refuse) -> bytes:
    data = stream.read(count)
    if len(data) != count:
        raise refuse("it is cut off")
    return data
