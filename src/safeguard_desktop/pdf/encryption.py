"""Password protection (AES-256, PDF 2.0 standard security handler) for PDFs.

A referral that leaves by email is encrypted here first and signed second:
signing appends an incremental update, while encrypting rewrites the whole
file, so encrypting a signed PDF would break its signature.


pyHanko is imported by the functions that use it, not with this module: the password
rule is needed at start, pyHanko (about 30 MiB) only when a PDF is made or read.
"""

from __future__ import annotations

import secrets
from io import BytesIO

from ..domain.errors import BadInput

MIN_PASSWORD_LENGTH = 8


def check_pdf_password(password: str) -> str:
    """``password`` when it may protect a PDF; the rule the app's password box states.

    An empty password is refused like a short one: it would be no protection at all.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput(
            f"The PDF password must be at least {MIN_PASSWORD_LENGTH} characters long.",
            field="pdf_password",
        )
    if not _usable_in_a_pdf(password):
        raise BadInput(
            "That password cannot protect a PDF: it holds a character PDF passwords may "
            "not (such as an emoji or a control character), or mixes right-to-left and "
            "left-to-right writing. Choose another.",
            field="pdf_password",
        )
    return password


def _usable_in_a_pdf(password: str) -> bool:
    """Whether the password survives SASLprep (RFC 4013), which PDF 2.0 passwords go
    through before use: pyHanko's own, so the rule is exactly the one it applies when it
    encrypts. Printable ASCII always does, without importing pyHanko."""
    if password.isascii() and password.isprintable():
        return True
    from pyhanko.pdf_utils.crypt._saslprep import saslprep

    try:
        saslprep(password)
    except ValueError:
        return False
    return True


def is_encrypted(pdf_bytes: bytes) -> bool:
    """Whether ``pdf_bytes`` is a PDF that opens only with a password."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return bool(PdfFileReader(BytesIO(pdf_bytes)).encrypted)
    except (PdfError, ValueError, KeyError, IndexError):
        return False


def encrypt_pdf(pdf_bytes: bytes, password: str) -> bytes:
    """Return ``pdf_bytes`` encrypted with AES-256 under ``password``.

    The owner password is random and forgotten: nobody is meant to lift the
    protection, only to open the file with the password it was sent with.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    check_pdf_password(password)
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes))
        if reader.encrypted:
            raise BadInput("This PDF is already password protected.", field="pdf")
        writer = copy_into_new_writer(reader)
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise BadInput("The document to protect is not a readable PDF.", field="pdf") from exc
    # pyHanko's default here is PDF 2.0 encryption: AES-256, revision 6.
    writer.encrypt(secrets.token_urlsafe(32), password)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
