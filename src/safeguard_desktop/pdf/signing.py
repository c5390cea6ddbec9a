"""PAdES signing of PDFs with the organisation's certificate (pyHanko).

Everything here works with no network: no revocation look-ups, no
timestamp authority. The signatures are PAdES baseline B-B: the signing
time is the one the signer's PC reports, written into the signature.

This module is also the one import for callers: it re-exports the signing
identity and verification functions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import pem, tsp
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import attributes, fields, signers
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..domain.errors import BadInput, WrongCredentials
from .signature_stamp import ReportlabStampStyle, box_on_page
from .signing_identity import (
    SigningIdentity,
    asn1_cert,
    asn1_certs,
    fingerprint,
    generate_signing_identity,
    load_pkcs12,
)
from .verification import VerifyResult, verify_pdf

log = logging.getLogger(__name__)

A4_WIDTH = 595.0
# Room kept in the PDF for the signature beyond the certificates it carries and the two
# more copies of the signer's issuer name (who signed, and the signing certificate's
# reference): the signed attributes, algorithm names and the signature itself (1 KB
# for RSA-8192) need about 2 KB; the rest is margin.
SIGNATURE_ROOM_BYTES = 8 * 1024

__all__ = [
    "SigningIdentity",
    "VerifyResult",
    "fingerprint",
    "generate_signing_identity",
    "load_pkcs12",
    "sign_pdf",
    "verify_pdf",
]


class _SigningCertificateParsed(attributes.SigningCertificateV2Provider):
    """pyHanko's signing-certificate-v2 attribute, parsed back from its own encoding.

    pyHanko builds the attribute (which names the signer's certificate by its hash and
    issuer) from Python values, and asn1crypto encodes such a value again each time a
    structure that holds it is encoded, which making the CMS signature does many times
    over: about half of all the time signing took. Parsed from its encoding, the same
    value keeps its bytes (tests/pdf/test_pdf_signing.py checks they are pyHanko's).
    """

    async def build_attr_value(self, dry_run: bool = False) -> tsp.SigningCertificateV2:
        value = await super().build_attr_value(dry_run)
        return tsp.SigningCertificateV2.load(value.dump())


class _Signer(signers.SimpleSigner):
    """pyHanko's signer, with the signing-certificate attribute built once."""

    def _signed_attr_providers(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        for provider in super()._signed_attr_providers(*args, **kwargs):
            if type(provider) is attributes.SigningCertificateV2Provider:
                provider = _SigningCertificateParsed(signing_cert=provider.signing_cert)
            yield provider


def _private_key_info(key_pem: bytes) -> asn1_keys.PrivateKeyInfo:
    """The signing key as pyHanko takes it, read straight from its PKCS#8 PEM.

    pyHanko loads (and checks) the key with cryptography as it signs; loading it here
    first only to write it out again cost as much again, about 35 ms for an imported
    RSA key. A key in any other PEM form still goes through cryptography.
    """
    kind, _, der = pem.unarmor(key_pem)
    if kind != "PRIVATE KEY":
        der = serialization.load_pem_private_key(key_pem, None).private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    return asn1_keys.PrivateKeyInfo.load(der)


def _signer(identity: SigningIdentity) -> signers.SimpleSigner:
    registry = SimpleCertificateStore()
    registry.register_multiple(asn1_certs(identity.chain_pem))
    return _Signer(
        signing_cert=asn1_cert(identity.cert_pem),
        signing_key=_private_key_info(identity.key_pem),
        cert_registry=registry,
    )


def _room_for_signature(identity: SigningIdentity) -> int:
    """Hex digits to keep for the signature container. Given, pyHanko does not make a
    trial signature of every PDF to measure it (a third of the time signing took)."""
    signer = asn1_cert(identity.cert_pem)
    certificates = len(signer.dump()) + sum(
        len(certificate.dump()) for certificate in asn1_certs(identity.chain_pem)
    )
    issuer = len(signer.issuer.dump())
    return 2 * (certificates + 2 * issuer + SIGNATURE_ROOM_BYTES)


def _open_writer(pdf_bytes: bytes, pdf_password: str | None) -> IncrementalPdfFileWriter:
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise BadInput("The document to sign is not a readable PDF.", "pdf") from exc
    if writer.prev.encrypted:
        if pdf_password is None:
            raise BadInput(
                "The document to sign is password protected; give its password.",
                "pdf_password",
            )
        # An incremental update to an encrypted file must be encrypted the
        # same way; authenticating makes pyHanko reuse the file's key.
        if writer.encrypt(pdf_password).status == AuthStatus.FAILED:
            raise WrongCredentials("The PDF password is wrong; type it again.")
    return writer


def sign_pdf(
    pdf_bytes: bytes,
    identity: SigningIdentity,
    *,
    signer_name: str,
    reason: str,
    visible: bool = True,
    field_name: str = "Signature1",
    pdf_password: str | None = None,
) -> bytes:
    """Return ``pdf_bytes`` with a PAdES B-B signature appended.

    The visible box goes at the bottom right of the LAST page, so documents
    meant to be signed keep that corner (about 9 x 3.5 cm) free. An encrypted
    PDF (see :func:`.encryption.encrypt_pdf`) stays encrypted; pass its
    password as ``pdf_password``.
    """
    writer = _open_writer(pdf_bytes, pdf_password)
    box: tuple[int, int, int, int] | None = None
    if visible:
        try:
            last_page, _ = writer.find_page_for_modification(-1)
        except (PdfError, KeyError, IndexError) as exc:
            raise BadInput("The document to sign has no pages.", "pdf") from exc
        page = last_page.get_object()
        # reportlab writes a MediaBox on every page; other producers may
        # inherit it from the page tree, and then A4 is the best guess.
        page_width = A4_WIDTH
        if "/MediaBox" in page:
            media_box = page["/MediaBox"]
            page_width = float(media_box[2]) - float(media_box[0])
        box = box_on_page(page_width)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=signer_name,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=_signer(identity),
        stamp_style=ReportlabStampStyle(organisation=identity.organisation),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=-1, box=box),
    )
    try:
        try:
            out: BytesIO = pdf_signer.sign_pdf(
                writer,
                bytes_reserved=_room_for_signature(identity),
                appearance_text_params={"reason": reason},
            )
        except SigningError as exc:
            if "larger than expected" not in str(exc):
                raise
            # A certificate bigger than reckoned: let pyHanko measure, on a fresh copy.
            log.info("the signature needed more room than kept; measured instead")
            out = pdf_signer.sign_pdf(
                _open_writer(pdf_bytes, pdf_password),
                appearance_text_params={"reason": reason},
            )
    except SigningError as exc:
        raise BadInput(
            "The document could not be signed; it may already carry a signature "
            "field of that name.",
            "pdf",
        ) from exc
    return out.getvalue()
