"""Checking the signatures in a PDF (pyHanko), with no network.

Trust is explicit: a signature is "trusted" only when its certificate
chains to the certificate the caller passes in (usually the organisation's
own). pyHanko is never allowed to fall back to the operating system's TLS
roots or to fetch revocation data.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from cryptography import x509
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.crypt.api import PdfMacStatus
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ..domain.errors import BadInput, WrongCredentials
from .signing_identity import asn1_cert, fingerprint, subject_part

# An approval signature's certificate must allow signing documents; either
# bit is accepted because imported certificates differ in which they set.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})


class _ExpectedFailure(logging.Filter):
    """Demote pyHanko's warnings that start with ``prefix`` to DEBUG, without traceback.

    They are outcomes :class:`VerifyResult` already reports: a self-signed certificate
    nobody has said to trust (the normal case for us), and an encrypted file whose PDF
    MAC no longer matches (it was changed). Logged as warnings with a traceback they
    would fill the log file with alarming noise.
    """

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and record.getMessage().startswith(self.prefix):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.exc_info = record.exc_text = None
        return True


logging.getLogger("pyhanko.sign.validation.generic_cms").addFilter(
    _ExpectedFailure("Validation error")
)
logging.getLogger("pyhanko.pdf_utils.reader").addFilter(_ExpectedFailure("Failed to validate MAC"))

log = logging.getLogger(__name__)

# Why the reading and checking below catch ``Exception``: 14,000 damaged copies of
# signed, twice-signed and encrypted PDFs (cut short, bytes deleted, inserted or
# changed in the xref, the signature dictionary and its /Contents) made pyHanko and
# asn1crypto raise PdfReadError, PdfStreamError, ObjectHeaderReadError,
# CMSExtractionError, SignatureValidationError, ValueError, UnicodeDecodeError,
# KeyError, TypeError, AttributeError, AssertionError, NotImplementedError and
# decimal.InvalidOperation, several of them from bugs rather than any documented
# contract. Each means the same to the person checking the file (it is damaged), and
# a narrower list would turn the next damaged file into "something went wrong".
# Nothing inside those blocks writes anything or touches a record: they only parse
# the file being checked. The cause is logged by _log_damage.


def _log_damage(what: str, error: Exception) -> None:
    """Log why a PDF could not be checked: the exception's type and the line raising it.

    Never its message: pyHanko's messages quote the bytes they failed on (a name, a
    date, a token), and the bytes of a referral are a child's record.
    """
    *_, (frame, line) = traceback.walk_tb(error.__traceback__)
    module = frame.f_globals.get("__name__", "?")
    log.info("%s: %s raised at %s:%d", what, type(error).__name__, module, line)


@dataclass(frozen=True)
class VerifyResult:
    """What a check of a PDF's signature found.

    ``coverage`` is one of ``"entire_file"`` (nothing added since signing),
    ``"entire_revision"`` (later additions such as a second signature),
    ``"partial"`` (the signature covers only part of the file) or ``"none"``
    (no signature could be checked).
    """

    signer: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    message: str
    organisation: str = ""
    fingerprint_sha256: str = ""
    signature_count: int = 0

    @property
    def ok(self) -> bool:
        """Intact and cryptographically valid (trust is reported separately)."""
        return self.intact and self.valid


_CHANGED = "This PDF has been changed since it was signed; do not rely on its contents."

_COVERAGE = {
    SignatureCoverageLevel.ENTIRE_FILE: "entire_file",
    SignatureCoverageLevel.ENTIRE_REVISION: "entire_revision",
}


def _unchecked(message: str, count: int = 0) -> VerifyResult:
    return VerifyResult(
        signer="",
        signed_at=None,
        intact=False,
        valid=False,
        trusted=False,
        coverage="none",
        message=message,
        signature_count=count,
    )


def _validation_context(trusted_cert_pem: bytes | None) -> ValidationContext:
    # An explicit (possibly empty) trust list: pyHanko must never fall back
    # to the operating system's TLS roots, nor fetch anything.
    roots = [asn1_cert(trusted_cert_pem)] if trusted_cert_pem else []
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _open_reader(pdf_bytes: bytes, password: str | None) -> PdfFileReader | VerifyResult:
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        # Reads the encryption dictionary, which can be as damaged as anything else.
        encrypted = reader.encrypted
    except Exception as error:  # deliberately broad: see the note above _log_damage
        _log_damage("a PDF could not be parsed", error)
        return _unchecked("This file is not a PDF or is too damaged to read.")
    if encrypted:
        try:
            auth = reader.decrypt(password or "")
        except Exception as error:  # deliberately broad: see the note above _log_damage
            _log_damage("a PDF's encryption could not be read", error)
            return _unchecked("This PDF's encryption is damaged, so it cannot be checked.")
        # The password opened it, but the file's own checksum (PDF MAC, which pyHanko
        # writes when it encrypts) no longer matches: a byte changed somewhere since.
        # pyHanko reports that as a failed sign-in, which is not what the user must hear.
        if auth.mac_status is PdfMacStatus.FAILED:
            return _unchecked(_CHANGED)
        if auth.status == AuthStatus.FAILED:
            if password is None:
                raise WrongCredentials(
                    "This PDF is password protected; give its password to check the signature."
                )
            raise WrongCredentials("The PDF password is wrong; type it again.")
    return reader


def verify_pdf(
    pdf_bytes: bytes,
    *,
    trusted_cert_pem: bytes | None = None,
    password: str | None = None,
) -> VerifyResult:
    """Check every signature in a PDF; report on the first (the author's).

    ``intact`` and ``valid`` hold only if they hold for every signature.
    ``trusted`` means the first signature's certificate chains to
    ``trusted_cert_pem`` (the organisation's own certificate, typically).
    Raises ``WrongCredentials`` for a missing or wrong password; any other
    problem with the file is reported in the result, never raised.
    """
    opened = _open_reader(pdf_bytes, password)
    if isinstance(opened, VerifyResult):
        return opened
    reader = opened
    try:
        embedded = list(reader.embedded_regular_signatures)
    except Exception as error:  # deliberately broad: see the note above _log_damage
        _log_damage("a PDF's signature fields could not be read", error)
        return _unchecked("This PDF is too damaged to find its signatures.")
    if not embedded:
        return _unchecked("This PDF has no digital signature.")
    try:
        context = _validation_context(trusted_cert_pem)
    except ValueError:
        raise BadInput("The trusted certificate is not a PEM certificate.", "certificate") from None

    statuses: list[PdfSignatureStatus | None] = []
    for sig in embedded:
        try:
            statuses.append(
                validate_pdf_signature(
                    sig, signer_validation_context=context, key_usage_settings=_KEY_USAGE
                )
            )
        except Exception as error:  # deliberately broad: see the note above _log_damage
            # A signature whose bytes do not parse is as good as broken.
            _log_damage("a PDF signature could not be checked", error)
            statuses.append(None)

    first, status = embedded[0], statuses[0]
    count = len(embedded)
    if status is None:
        return _unchecked("The signature in this PDF is damaged and cannot be checked.", count)

    cert = first.signer_cert
    crypto_cert = x509.load_der_x509_certificate(cert.dump())
    org = subject_part(crypto_cert, NameOID.ORGANIZATION_NAME)
    # .get() would return an undecrypted proxy in an encrypted file; indexing
    # resolves (and decrypts) the value.
    name_in_sig = first.sig_object["/Name"] if "/Name" in first.sig_object else None  # noqa: SIM401
    signer = str(name_in_sig) if name_in_sig else subject_part(crypto_cert, NameOID.COMMON_NAME)
    coverage = _COVERAGE.get(status.coverage, "partial") if status.coverage else "partial"

    intact = all(s is not None and s.intact and s.docmdp_ok is not False for s in statuses)
    intact = intact and coverage != "partial"
    valid = all(s is not None and s.valid for s in statuses)
    trusted = bool(status.trusted and intact and valid and trusted_cert_pem)

    return VerifyResult(
        signer=signer,
        signed_at=status.signer_reported_dt,
        intact=intact,
        valid=valid,
        trusted=trusted,
        coverage=coverage,
        message=_sentence(intact, valid, trusted, trusted_cert_pem is not None, count),
        organisation=org,
        fingerprint_sha256=fingerprint(crypto_cert),
        signature_count=count,
    )


def _sentence(intact: bool, valid: bool, trusted: bool, trust_asked: bool, count: int) -> str:
    if not intact:
        return _CHANGED
    if not valid:
        return "The signature does not match the signer's certificate; do not rely on this PDF."
    what = f"All {count} signatures are valid" if count > 1 else "The signature is valid"
    if trusted:
        return f"{what}, the PDF is unchanged since signing and the certificate is trusted."
    if trust_asked:
        return (
            f"{what} and the PDF is unchanged since signing, but the certificate is not "
            "the one you trust."
        )
    return (
        f"{what} and the PDF is unchanged since signing; compare the certificate "
        "fingerprint with the organisation's to be sure who signed it."
    )
