"""The .sgtransfer file: a child's file for the school or club they moved to.

Layout (all integers big-endian; the chunks are storage/sealed_sections.py's)::

    b"SGTRANSF"                     8 bytes, the magic
    header length                   4 bytes
    header                          JSON: format, version, program, created_at, the
                                    Argon2id parameters and salt, a password check
    SHA-256 of the header           32 bytes: a header damaged by accident is told as
                                    damage, not as a wrong password
    chunk*                          the sealed sections: a manifest, each attached file,
                                    and last the sender's signature over all before it

The key comes from the transfer password (phoned through, never sent with the file) by
Argon2id, so the file opens only with it; the header holds a short check derived from
the same password, so a wrong password is told apart from a damaged file. A third key
from the password makes the receipt's MAC: a receipt proves its maker opened the package.
Nothing readable outside the sealed part names the child or either organisation.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import re
import struct
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..domain.errors import StoreDamaged, StoreTooNew, WrongCredentials
from ..security.kdf import MIN_ITERATIONS, MIN_MEMORY_KIB, KdfParams, derive_key
from . import sealed_sections
from .sealed_sections import Reader

MAGIC = b"SGTRANSF"
FORMAT = "safeguard-desktop-transfer"
FORMAT_VERSION = 1
SUFFIX = ".sgtransfer"
MAX_HEADER_BYTES = 16 * 1024
# What a child's file may hold, and a file with more is not one this program made: every
# attached file is at most 25 MB, the manifest (the records as text) far less than this.
MAX_PACKAGE_BYTES = 1024 * 1024 * 1024
MAX_SECTIONS = 5_000
MAX_FILE_SECTION = 25 * 1024 * 1024
MAX_MANIFEST_BYTES = 128 * 1024 * 1024
MAX_SIGNATURE_BYTES = 64 * 1024
# Enough to slow guessing on any PC a school has. A header asking for more than a little
# above it is refused before any key is derived: anyone can make such a file, and each
# try would otherwise cost the receiving PC a gigabyte and many seconds.
KDF = KdfParams(memory_kib=128 * 1024, iterations=3, parallelism=2)
_MAX_KDF_MEMORY_KIB = 256 * 1024
_MAX_KDF_ITERATIONS = 4
_MAX_KDF_PARALLELISM = 4


class TransferUnreadable(StoreDamaged):
    """The file is not a whole transfer package (or not one at all)."""


@dataclass(frozen=True)
class PackageKeys:
    package: bytes = b""  # seals the sections
    receipt: bytes = b""  # MACs the receipt


@dataclass(frozen=True)
class TransferHeader:
    program: str
    created_at: str
    kdf: KdfParams
    salt: bytes
    check: bytes
    raw: bytes  # the exact header bytes, hashed into every chunk's associated data

    @property
    def digest(self) -> bytes:
        return hashlib.sha256(self.raw).digest()


def _derive(password: str, salt: bytes, kdf: KdfParams) -> tuple[PackageKeys, bytes]:
    master = derive_key(password.encode("utf-8"), salt, kdf)

    def part(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(master)

    keys = PackageKeys(package=part(b"transfer package v1"), receipt=part(b"transfer receipt v1"))
    return keys, part(b"transfer password check v1")[:16]


def unreadable(path: Path, what: str) -> TransferUnreadable:
    return TransferUnreadable(
        f"The file {path.name} is not a whole transfer package ({what}). Nothing was taken "
        "in. Ask the school or club that sent it to send it again.",
        path=str(path),
    )


def new_header(program: str, created_at: str, password: str) -> tuple[TransferHeader, PackageKeys]:
    salt = os.urandom(16)
    keys, check = _derive(password, salt, KDF)
    raw = json.dumps(
        {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "program": program,
            "created_at": created_at,
            "kdf": KDF.to_json(),
            "salt": salt.hex(),
            "check": check.hex(),
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")
    return TransferHeader(program, created_at, KDF, salt, check, raw), keys


def write_package(
    out: BinaryIO,
    header: TransferHeader,
    keys: PackageKeys,
    sections: list[tuple[str, Path | bytes]],
) -> None:
    out.write(MAGIC + struct.pack(">I", len(header.raw)) + header.raw + header.digest)
    sealed_sections.write_sections(out, keys.package, header.digest, sections)


def read_header(handle: Reader, path: Path) -> TransferHeader:
    start = handle.read(len(MAGIC) + 4)
    if not start or (len(start) < len(MAGIC) + 4 and MAGIC.startswith(start[: len(MAGIC)])):
        raise unreadable(path, "it does not start like one" if not start else "it is cut off")
    if not start.startswith(MAGIC):
        # Most often another file chosen by mistake: say which file to choose.
        raise TransferUnreadable(
            f"The file {path.name} is not a transfer package (it does not start like one). "
            f"Nothing was taken in; choose the {SUFFIX} file the school or club sent.",
            path=str(path),
        )
    (length,) = struct.unpack(">I", start[len(MAGIC) :])
    if not 0 < length <= MAX_HEADER_BYTES:
        raise unreadable(path, "its header is damaged")
    raw = handle.read(length)
    digest = handle.read(32)
    if len(raw) != length or len(digest) != 32:
        raise unreadable(path, "it is cut off")
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a transfer header")
        if not hmac.compare_digest(digest, hashlib.sha256(raw).digest()):
            raise ValueError("the header's checksum differs")
        version = data.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise StoreTooNew(
                f"The file {path.name} was made by a newer version of Safeguard Desktop "
                f"({_printable(data.get('program'))}). Install the latest version to open "
                "it; nothing was taken in."
            )
        if version != FORMAT_VERSION:
            raise ValueError("unknown version")
        kdf = KdfParams.from_json(data["kdf"])
        header = TransferHeader(
            program=str(data["program"]),
            created_at=str(data["created_at"]),
            kdf=kdf,
            salt=bytes.fromhex(str(data["salt"])),
            check=bytes.fromhex(str(data["check"])),
            raw=raw,
        )
    except StoreTooNew:
        raise
    except (
        UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, RecursionError
    ):  # fmt: skip
        raise unreadable(path, "its header is damaged") from None
    if (
        len(header.salt) != 16
        or len(header.check) != 16
        or not MIN_MEMORY_KIB <= kdf.memory_kib <= _MAX_KDF_MEMORY_KIB
        or not MIN_ITERATIONS <= kdf.iterations <= _MAX_KDF_ITERATIONS
        or kdf.parallelism > _MAX_KDF_PARALLELISM
    ):
        raise unreadable(path, "its header is damaged")
    return header


def _printable(value: object) -> str:
    """A program version from a file anyone can write: letters, digits and dots only."""
    return "".join(c for c in str(value)[:20] if c.isascii() and (c.isalnum() or c in ".-+"))


def open_keys(header: TransferHeader, password: str) -> PackageKeys:
    """The keys, when ``password`` is the one the package was made with."""
    keys, check = _derive(password, header.salt, header.kdf)
    if not hmac.compare_digest(check, header.check):
        raise WrongCredentials(
            "That password does not open this transfer file. Check it with the person who "
            "sent it (it is not your own password)."
        )
    return keys


def read_package(
    handle: Reader, path: Path, header: TransferHeader, keys: PackageKeys
) -> tuple[list[tuple[str, bytes]], dict[str, str]]:
    """Every section in order with its bytes, and each one's SHA-256 by name; refused
    whole on any damage, a section named twice or not one this program writes, or more
    than a child's file holds (checked from each section's size, before it is read)."""
    buffers: list[tuple[str, io.BytesIO]] = []
    total = 0

    def sink(name: str, size: int) -> BinaryIO:
        nonlocal total
        total += size
        if name == MANIFEST:
            limit = MAX_MANIFEST_BYTES
        elif name == SIGNATURE:
            limit = MAX_SIGNATURE_BYTES
        elif _FILE_SECTION.fullmatch(name):
            limit = MAX_FILE_SECTION
        else:
            raise unreadable(path, "it holds a part this program does not write")
        if any(name == seen for seen, _ in buffers):
            raise unreadable(path, "it holds a part twice")
        if size > limit or len(buffers) >= MAX_SECTIONS or total > MAX_PACKAGE_BYTES:
            raise unreadable(path, "it holds more than a child's file")
        buffer = io.BytesIO()
        buffers.append((name, buffer))
        return buffer

    digests = sealed_sections.read_sections(
        handle, keys.package, header.digest, sink, lambda what: unreadable(path, what)
    )
    return [(name, buffer.getvalue()) for name, buffer in buffers], digests


# What is signed, and the receipt -------------------------------------------------------

MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
_FILE_SECTION = re.compile(r"file-[1-9][0-9]{0,4}")
RECEIPT_SUFFIX = ".sgreceipt"
RECEIPT_FORMAT = "safeguard-desktop-transfer-receipt"
RECEIPT_VERSION = 1
MAX_RECEIPT_BYTES = 64 * 1024


def signed_message(header: TransferHeader, digests: list[tuple[str, str]]) -> bytes:
    """What the sender signs: the header and every section before the signature, in order."""
    return json.dumps(
        {"header": header.digest.hex(), "sections": [list(pair) for pair in digests]},
        separators=(",", ":"),
    ).encode("utf-8")


def signature_section(certificate_pem: bytes, signature: bytes) -> bytes:
    return json.dumps(
        {"certificate": certificate_pem.decode("ascii"), "signature": signature.hex()},
        separators=(",", ":"),
    ).encode("utf-8")


def parse_signature(data: bytes) -> tuple[bytes, bytes]:
    """(certificate PEM, signature); ValueError when the section is not one."""
    try:
        body = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deep") from None
    if not isinstance(body, dict):
        raise ValueError("not a signature")
    return str(body["certificate"]).encode("ascii"), bytes.fromhex(str(body["signature"]))


@dataclass(frozen=True)
class Receipt:
    """A receiving school's signed word that a transfer arrived."""

    transfer_id: str
    package_sha256: str
    received_at: str
    received_by: str
    receiving_organisation: str
    certificate_pem: bytes
    mac: bytes = b""
    signature: bytes = b""

    @property
    def body(self) -> bytes:
        """The bytes the MAC and the signature are over."""
        return json.dumps(
            {
                "format": RECEIPT_FORMAT,
                "version": RECEIPT_VERSION,
                "transfer_id": self.transfer_id,
                "package_sha256": self.package_sha256,
                "received_at": self.received_at,
                "received_by": self.received_by,
                "receiving_organisation": self.receiving_organisation,
                "certificate": self.certificate_pem.decode("ascii"),
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")

    def file_bytes(self) -> bytes:
        return json.dumps(
            {
                "format": RECEIPT_FORMAT,
                "version": RECEIPT_VERSION,
                "body": self.body.decode("utf-8"),
                "mac": self.mac.hex(),
                "signature": self.signature.hex(),
            },
            ensure_ascii=False,
            indent=1,
        ).encode("utf-8")


class ReceiptUnreadable(StoreDamaged):
    """Not a whole receipt, or one changed after it was made."""


def receipt_unreadable(path: Path) -> ReceiptUnreadable:
    return ReceiptUnreadable(
        f"The file {path.name} is not a whole transfer receipt, or it was changed after it "
        "was made. Nothing was recorded; ask the school or club for a new receipt.",
        path=str(path),
    )


def parse_receipt(data: bytes, path: Path) -> Receipt:
    try:
        if len(data) > MAX_RECEIPT_BYTES:
            raise ValueError("too big")
        outer = json.loads(data.decode("utf-8"))
        if not isinstance(outer, dict) or outer.get("format") != RECEIPT_FORMAT:
            raise ValueError("not a receipt")
        version = outer.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > RECEIPT_VERSION:
            raise StoreTooNew(
                f"The receipt {path.name} was made by a newer version of Safeguard Desktop. "
                "Install the latest version to take it in; nothing was recorded."
            )
        body = json.loads(str(outer["body"]))
        if not isinstance(body, dict) or body.get("version") != RECEIPT_VERSION:
            raise ValueError("unknown version")
        datetime.fromisoformat(str(body["received_at"]))  # a moment, or not a receipt
        receipt = Receipt(
            transfer_id=str(body["transfer_id"]),
            package_sha256=str(body["package_sha256"]),
            received_at=str(body["received_at"]),
            received_by=str(body["received_by"]),
            receiving_organisation=str(body["receiving_organisation"]),
            certificate_pem=str(body["certificate"]).encode("ascii"),
            mac=bytes.fromhex(str(outer["mac"])),
            signature=bytes.fromhex(str(outer["signature"])),
        )
    except StoreTooNew:
        raise
    except (UnicodeError, ValueError, KeyError, TypeError, RecursionError):
        raise receipt_unreadable(path) from None
    # The body is kept as made: one written another way is not the one signed.
    if receipt.body.decode("utf-8") != str(outer["body"]):
        raise receipt_unreadable(path)
    return receipt
