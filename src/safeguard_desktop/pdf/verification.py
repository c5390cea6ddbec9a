"""Checking the signatures in a PDF (pyHanko), with no network.

Trust is explicit: a signature is "trusted" only when its certificate
chains to the certificate the caller passes in (usually the organisation's
own). pyHanko is never allowed to fall back to the operating system's TLS
roots or to fetch revocation data.

A signature being valid is not enough: it only vouches for the bytes it
covers, and anyone can add to a PDF after it was signed (an incremental
update changing the title or drawing over a page, or bytes after the end)
without touching them. So a PDF passes only when a valid signature covers the
whole file, as poppler's ``pdfsig`` says with "Total document signed"; when
something was added, the result says what in plain words.
"""

from __future__ import annotations

import hashlib
import logging
import re
import traceback
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from cryptography import x509
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.crypt.api import PdfMacStatus
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
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
# Something added after signing that pyHanko cannot explain: reported as what was added.
logging.getLogger("pyhanko.sign.diff_analysis.policies").addFilter(
    _ExpectedFailure("Error in diff operation")
)

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
    (no signature could be checked); it is about the first signature.
    ``covers_whole_file`` says whether the newest signature covers every byte
    of the file (pdfsig's "Total document signed"). ``added_after_signing`` says
    in words what was added after the first signature ("" when nothing was),
    such as "the document's information was changed".
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
    covers_whole_file: bool = False
    added_after_signing: str = ""

    @property
    def ok(self) -> bool:
        """Intact, cryptographically valid and covering the whole file (trust is separate)."""
        return self.intact and self.valid and self.covers_whole_file


_CHANGED = "This PDF has been changed since it was signed; do not rely on its contents."
_INVALID = "The signature does not match the signer's certificate; do not rely on this PDF."
_UNREADABLE = "This file is not a PDF or is too damaged to read."
# How many earlier ends of file (%%EOF) to try when bytes after the last one stop the
# file from parsing: each try parses the file again.
_EARLIER_ENDS_TRIED = 4

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
        return _unchecked(_UNREADABLE)
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
    appended = False
    if isinstance(opened, VerifyResult) and opened.message == _UNREADABLE:
        signed_part = _before_appended_bytes(pdf_bytes, password)
        if signed_part is not None:
            opened, appended = signed_part, True
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

    checked = [(sig, s) for sig, s in zip(embedded, statuses, strict=True) if s is not None]
    # Every signed byte as it was signed, and each signature over a whole revision.
    signed_bytes_intact = len(checked) == count and all(
        s.intact and s.coverage is not None and s.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
        for _, s in checked
    )
    _, newest = max(checked, key=lambda pair: pair[0].signed_revision)
    covers_whole_file = newest.coverage is SignatureCoverageLevel.ENTIRE_FILE and not appended
    changes, signatures = (
        _added_after_signing(reader, checked, appended) if signed_bytes_intact else ([], [])
    )
    intact = (
        signed_bytes_intact
        and covers_whole_file
        and not changes
        and all(s.docmdp_ok is not False for _, s in checked)
    )
    valid = all(s is not None and s.valid for s in statuses)
    trusted = bool(status.trusted and intact and valid and trusted_cert_pem)

    if not signed_bytes_intact or (not intact and not changes):
        message = _CHANGED
    elif not valid:
        message = _INVALID
    elif changes:
        message = (
            f"Something was added to this PDF after it was signed ({_listed(changes)}); "
            "ask the sender for the original."
        )
    else:
        message = _sentence(trusted, trusted_cert_pem is not None, count)
    return VerifyResult(
        signer=signer,
        signed_at=status.signer_reported_dt,
        intact=intact,
        valid=valid,
        trusted=trusted,
        coverage=coverage,
        message=message,
        organisation=org,
        fingerprint_sha256=fingerprint(crypto_cert),
        signature_count=count,
        covers_whole_file=covers_whole_file,
        added_after_signing=_listed(changes + signatures),
    )


def _sentence(trusted: bool, trust_asked: bool, count: int) -> str:
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


def _listed(phrases: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(phrases) < 2:
        return "".join(phrases)
    return f"{', '.join(phrases[:-1])} and {phrases[-1]}"


# What was added after signing ----------------------------------------------------------

_Signed = tuple[EmbeddedPdfSignature, PdfSignatureStatus]

# Comparing pages is cheap, but a file with a huge page tree must not make a check slow.
_PAGES_COMPARED = 2000
# /Info entries signing itself may update: a change to them says nothing about the content.
_STAMPED = frozenset({"/ModDate", "/Producer"})
# The Dublin Core part of the XMP metadata: title, author, subject, keywords. Signing
# rewrites the rest of it (dates, producer).
_DUBLIN_CORE = re.compile(rb"<dc:(\w+)\b[^>]*>.*?</dc:\1>", re.S)


def _before_appended_bytes(pdf_bytes: bytes, password: str | None) -> PdfFileReader | None:
    """The file up to an earlier %%EOF, when what follows it is what stops it parsing.

    Bytes appended after a signed file's end that end in a %%EOF of their own (but no
    cross-reference) make pyHanko give up, where pdfsig reads on and reports the
    signature as valid but not covering the whole file. Checking the part before them,
    and saying they were added, gives the same verdict in words.
    """
    end = len(pdf_bytes)
    for _ in range(_EARLIER_ENDS_TRIED):
        at = pdf_bytes.rfind(b"%%EOF", 0, end)
        if at < 0:
            return None
        cut = at + len(b"%%EOF")
        for newline in (b"\r\n", b"\n", b"\r"):
            if pdf_bytes.startswith(newline, cut):
                cut += len(newline)
                break
        if pdf_bytes[cut:].strip():
            opened = _open_reader(pdf_bytes[:cut], password)
            if isinstance(opened, PdfFileReader):
                return opened
        end = at
    return None


def _added_after_signing(
    reader: PdfFileReader, checked: list[_Signed], appended: bool
) -> tuple[list[str], list[str]]:
    """What was added after the first signature, in words: (changes, later signatures).

    pyHanko's difference analysis judges additions (a second signature is allowed;
    drawing over a page is not) without naming them, and it allows the document's
    information (/Info: the title a PDF reader shows) to change freely. Comparing the
    first signed revision with the file as it is now names what was added.
    """
    ordered = sorted(checked, key=lambda pair: pair[0].signed_revision)
    (earliest_sig, earliest), (newest_sig, newest) = ordered[0], ordered[-1]
    whole = newest.coverage is SignatureCoverageLevel.ENTIRE_FILE and not appended
    if whole and len(ordered) == 1:
        return [], []
    last_revision = reader.xrefs.total_revisions - 1
    changes: list[str] = []
    try:
        changes += _differences(
            reader.get_historical_resolver(earliest_sig.signed_revision),
            reader.get_historical_resolver(last_revision),
        )
    except Exception as error:  # deliberately broad: see the note above _log_damage
        _log_damage("what was added to a signed PDF could not be read", error)
    later = {sig.field_name for sig, _ in ordered[1:]}
    diff = earliest.diff_result
    if isinstance(diff, DiffResult) and diff.changed_form_fields - later:
        changes.append("a form field was filled in")
    # Nothing after the newest signature's revision, yet it does not reach the end of
    # the file: bytes no reader shows, but the file is no longer the one signed.
    if appended or (not whole and newest_sig.signed_revision == last_revision):
        changes.append("bytes were added after its end")
    beyond_signing = any(
        s.docmdp_ok is False
        or s.modification_level is None
        or s.modification_level > ModificationLevel.FORM_FILLING
        for _, s in ordered
    )
    if not changes and (beyond_signing or not whole):
        changes.append("other parts of the document were changed")
    signatures = []
    if len(later) == 1:
        signatures.append("another signature was added")
    elif later:
        signatures.append(f"{len(later)} more signatures were added")
    return changes, signatures


def _differences(signed: HistoricalResolver, now: HistoricalResolver) -> list[str]:
    found: list[str] = []
    if _information(signed) != _information(now):
        found.append("the document's information was changed")
    count_before, before = _pages(signed)
    count_now, now_pages = _pages(now)
    if count_before != count_now:
        found.append("pages were added or removed")
    pairs = list(enumerate(zip(before, now_pages, strict=False), start=1))
    drawn = [n for n, (old, new) in pairs if old[0] != new[0]]
    noted = [n for n, (old, new) in pairs if new[1] - old[1]]
    removed = [n for n, (old, new) in pairs if old[1] - new[1] and not new[1] - old[1]]
    if drawn:
        found.append(f"something was drawn or written over {_pages_named(drawn)}")
    if noted:
        found.append(f"a comment or drawing was added to {_pages_named(noted)}")
    if removed:
        found.append(f"a comment or drawing was removed from {_pages_named(removed)}")
    return found


def _pages_named(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    return "pages " + _listed([str(n) for n in numbers])


def _information(handler: HistoricalResolver) -> tuple[dict[str, str], list[bytes]]:
    """The document's information a reader shows (title, author, subject, keywords)."""
    trailer, root = handler.trailer_view, handler.root
    info = _as_of(handler, trailer.raw_get("/Info")) if "/Info" in trailer else None
    fields: dict[str, str] = {}
    if isinstance(info, generic.DictionaryObject):
        for key in info:
            if key not in _STAMPED:
                fields[str(key)] = str(_as_of(handler, info.raw_get(key)))
    xmp = _as_of(handler, root.raw_get("/Metadata")) if "/Metadata" in root else None
    data = xmp.data if isinstance(xmp, generic.StreamObject) else b""
    return fields, [match.group(0) for match in _DUBLIN_CORE.finditer(data)]


def _as_of(handler: HistoricalResolver, value: object) -> object:
    """``value`` as it was in ``handler``'s revision.

    The trailer's references, and a metadata stream, are not rewritten by pyHanko's
    historical view: followed directly they give today's value (or fail), so they
    are looked up in the revision's cross-reference sections.
    """
    if isinstance(value, generic.IndirectObject):
        return handler.reader.get_object(value.reference, revision=handler.revision)
    return value


def _pages(handler: HistoricalResolver) -> tuple[int, list[tuple[bytes, frozenset[object]]]]:
    """The page count, and for each page what it draws and its annotations."""
    count = int(handler.root["/Pages"]["/Count"])
    pages = []
    for index in range(min(count, _PAGES_COMPARED)):
        ref, _ = handler.find_page_for_modification(index)
        page = ref.get_object()
        pages.append((_drawing(page), _annotations(page)))
    return count, pages


def _drawing(page: generic.DictionaryObject) -> bytes:
    contents = page["/Contents"] if "/Contents" in page else generic.ArrayObject()
    streams = contents if isinstance(contents, generic.ArrayObject) else [contents]
    digest = hashlib.sha256()
    for stream in streams:
        digest.update(stream.get_object().data)
    return digest.digest()


def _annotations(page: generic.DictionaryObject) -> frozenset[object]:
    """Each annotation but the boxes of signatures, with what it says and shows.

    Signed signatures' boxes are left out: a later signature adds one legitimately,
    and whether its signature is sound is checked on its own.
    """
    annotations = page["/Annots"] if "/Annots" in page else generic.ArrayObject()
    found: set[object] = set()
    for item in annotations:
        annotation = item.get_object()
        if _is_signed_signature(annotation):
            continue
        appearance = annotation["/AP"] if "/AP" in annotation else generic.DictionaryObject()
        normal = appearance["/N"] if "/N" in appearance else None  # noqa: SIM401 (decrypts)
        found.add(
            (
                item.reference if isinstance(item, generic.IndirectObject) else None,
                str(annotation["/Contents"]) if "/Contents" in annotation else "",
                normal.data if isinstance(normal, generic.StreamObject) else repr(normal),
            )
        )
    return frozenset(found)


def _is_signed_signature(annotation: generic.DictionaryObject) -> bool:
    field = annotation
    if "/FT" not in field and "/Parent" in field:
        field = field["/Parent"]
    return "/FT" in field and field["/FT"] == "/Sig" and "/V" in field
