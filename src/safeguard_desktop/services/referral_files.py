"""Files the referral screens are handed: a signed PDF to verify, a certificate to import.

Each is read whole into memory (both are small), checked by services/referral.py, and
the check is audited there. Messages never repeat the file's name: people name files
after children.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import BadInput
from . import referral
from .input_files import Problem, UnreadableFile, describe, read_regular_file

if TYPE_CHECKING:
    from ..pdf.verification import VerifyResult
    from .session import CaseSession

__all__ = ["CheckedPdf", "check_pdf_file", "import_certificate_file"]

# Far above any referral (a few hundred kB) and below what would strain a small PC.
MAX_PDF_BYTES = 200 * 1024 * 1024
# A PKCS#12 file holds a key and a few certificates: a few kB.
MAX_CERTIFICATE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class CheckedPdf:
    """What checking one PDF file found, and this organisation's own fingerprint to compare."""

    sha256: str
    result: VerifyResult
    our_fingerprint: str


def _read(path: Path, limit: int, what: str) -> bytes:
    # Only a regular file, refused at once otherwise: a FIFO chosen by mistake would
    # block the worker (and with it the app) for ever (services/input_files.py).
    try:
        return read_regular_file(path, limit)
    except UnreadableFile as problem:
        match problem.problem:
            case Problem.MISSING:
                message = "That file is no longer there; choose it again."
            case Problem.TOO_BIG:
                message = f"That file is too big to be a {what}; choose another."
            case Problem.FOLDER:
                message = f"That is a folder, not a {what}; choose a file."
            case Problem.NOT_PERMITTED:
                message = "This PC does not allow reading that file; copy it somewhere else first."
            case _:
                message = describe(problem, "That file", f"a {what}")
        raise BadInput(message, "file") from None


def check_pdf_file(session: CaseSession, path: Path, password: str | None = None) -> CheckedPdf:
    """Verify the signature of the PDF at ``path`` against this organisation's certificate.

    Raises ``WrongCredentials`` when the PDF is password protected and ``password`` is
    missing or wrong. A check that ran is audited with the file's SHA-256.
    """
    # pyHanko is imported when a PDF is first checked, not at the app's start.
    from ..pdf.verification import verify_pdf

    data = _read(Path(path), MAX_PDF_BYTES, "PDF")
    # One read of our certificate, both to trust and to show (certificate_pem() and
    # certificate_info() would read and parse it three times).
    ours = referral.signing_identity(session)
    result = verify_pdf(data, trusted_cert_pem=ours.cert_pem, password=password or None)
    sha256 = hashlib.sha256(data).hexdigest()
    referral.record_verified(session, result, sha256)
    return CheckedPdf(sha256=sha256, result=result, our_fingerprint=ours.fingerprint_sha256)


def import_certificate_file(
    session: CaseSession, path: Path, password: str
) -> referral.CertificateInfo:
    """Replace the signing certificate with the one in a .p12/.pfx file (administrators)."""
    data = _read(Path(path), MAX_CERTIFICATE_BYTES, "certificate file")
    return referral.import_signing_identity(session, data, password)
