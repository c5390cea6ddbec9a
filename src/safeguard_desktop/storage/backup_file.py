"""The .sgbackup file: a header anyone can read, then sections no one can read or change.

Layout (all integers big-endian; the chunks are storage/sealed_sections.py's)::

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
import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..domain.errors import StoreDamaged, StoreTooNew
from ..security.key_slots import KeySlot
from . import sealed_sections
from .sealed_sections import Cancelled, Progress, SectionSink, write_sections

MAGIC = b"SGBACKUP"
FORMAT = "safeguard-desktop-backup"
FORMAT_VERSION = 1
SUFFIX = ".sgbackup"
MAX_HEADER_BYTES = 64 * 1024
_INFO = b"safeguard-desktop backup v1"


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


def _unreadable(path: Path, what: str) -> BackupUnreadable:
    return BackupUnreadable(
        f"The file {path} is not a whole Safeguard Desktop backup ({what}). It has not "
        "been changed. Try another backup.",
        path=str(path),
    )


# Writing ----------------------------------------------------------------------------


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
    key = backup_key(db_key, salt)
    write_sections(out, key, hashlib.sha256(header).digest(), sections, progress, cancelled)


BackupCancelled = Cancelled  # the user cancelled; nothing with the final name was written


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
    key = backup_key(db_key, header.salt)
    return sealed_sections.read_sections(
        handle, key, header.digest, sink, lambda what: _unreadable(path, what), progress
    )
