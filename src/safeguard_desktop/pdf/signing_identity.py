"""The organisation's signing key and certificate.

An organisation either generates its own self-signed certificate at setup
(:func:`generate_signing_identity`) or imports one as PKCS#12
(:func:`load_pkcs12`). A recipient can trust a self-signed certificate by
comparing its SHA-256 fingerprint, which the app shows and prints.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from asn1crypto import pem
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from ..domain.date_words import long_date
from ..domain.errors import BadInput, WrongCredentials


@dataclass(frozen=True)
class SigningIdentity:
    """A signing key and its certificate, both PEM.

    ``key_pem`` is an unencrypted PKCS#8 private key: it is only ever held in
    memory or inside the encrypted case database, and is left out of repr().
    ``chain_pem`` holds any further certificates (intermediate CAs) that came
    with an imported PKCS#12 file; it is empty for a generated identity.
    """

    key_pem: bytes = field(repr=False)
    cert_pem: bytes
    fingerprint_sha256: str
    chain_pem: bytes = b""

    @classmethod
    def from_pem(cls, key_pem: bytes, cert_pem: bytes, chain_pem: bytes = b"") -> SigningIdentity:
        """Rebuild an identity from stored PEM (e.g. read back from the case database)."""
        cert = x509.load_pem_x509_certificate(cert_pem)
        return cls(
            key_pem=key_pem,
            cert_pem=cert_pem,
            fingerprint_sha256=fingerprint(cert),
            chain_pem=chain_pem,
        )

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_pem)

    @property
    def organisation(self) -> str:
        """The organisation (O) named in the certificate, else its common name."""
        return subject_part(self.certificate, NameOID.ORGANIZATION_NAME) or subject_part(
            self.certificate, NameOID.COMMON_NAME
        )

    @property
    def valid_until(self) -> datetime:
        return self.certificate.not_valid_after_utc


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint as upper-case hex pairs joined by colons."""
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def subject_part(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    attrs = cert.subject.get_attributes_for_oid(oid)
    return str(attrs[0].value) if attrs else ""


def _identity(
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
    cert: x509.Certificate,
    chain: list[x509.Certificate] | None = None,
) -> SigningIdentity:
    return SigningIdentity(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        fingerprint_sha256=fingerprint(cert),
        chain_pem=b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain or []),
    )


def _name_part(text: str) -> str:
    """``text`` cut to fit a certificate's name (RFC 5280: 64 for CN and O), which
    cryptography counts in UTF-8 bytes: "Łódź" is 4 characters and 7 bytes."""
    return text.encode()[:64].decode(errors="ignore").rstrip()


def generate_signing_identity(org_name: str, *, valid_years: int = 10) -> SigningIdentity:
    """A new ECDSA P-256 key and a self-signed certificate naming the organisation."""
    org_name = org_name.strip()
    if not org_name:
        raise BadInput("The organisation name is empty; type the organisation's name.", "org_name")
    if not 1 <= valid_years <= 30:
        raise BadInput("A certificate can be valid for 1 to 30 years.", "valid_years")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, _name_part(f"{org_name} safeguarding")),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _name_part(org_name)),
        ]
    )
    # An hour's grace either side of "now" so a PC clock slightly behind
    # another's does not make a fresh certificate look not yet valid.
    now = datetime.now(UTC)
    public_key = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1)
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=365 * valid_years + valid_years // 4))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _identity(key, cert)


def load_pkcs12(data: bytes, password: bytes) -> SigningIdentity:
    """Read a signing key and certificate from a PKCS#12 (.p12/.pfx) file's bytes."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password or None)
    except ValueError as exc:
        # cryptography says "Invalid password or PKCS12 data" for both.
        if _looks_like_pkcs12(data):
            raise WrongCredentials(
                "The certificate file's password is wrong; type the password it came with."
            ) from exc
        raise BadInput(
            "This file is not a certificate file (PKCS#12, .p12 or .pfx); choose another.",
            "pkcs12",
        ) from exc
    if key is None or cert is None:
        raise BadInput(
            "This certificate file holds no signing key; export it again with its private key.",
            "pkcs12",
        )
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise BadInput(
            "This certificate uses a key type PDF readers cannot check; use an RSA or ECDSA one.",
            "pkcs12",
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None  # no restriction: any use is allowed
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise BadInput(
            "This certificate is not meant for signing documents; ask for a signing certificate.",
            "pkcs12",
        )
    if cert.not_valid_after_utc < datetime.now(UTC):
        raise BadInput(
            "This certificate expired on "
            f"{long_date(cert.not_valid_after_utc.date())}; ask for a current one.",
            "pkcs12",
        )
    return _identity(key, cert, list(extra))


def _looks_like_pkcs12(data: bytes) -> bool:
    """True when ``data`` parses as a PKCS#12 PFX structure (password aside)."""
    try:
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 - parsing is the check
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        # asn1crypto signals malformed input with these; anything else is a bug.
        return False
    return True


def asn1_cert(cert_pem: bytes) -> asn1_x509.Certificate:
    _, _, der = pem.unarmor(cert_pem)
    return asn1_x509.Certificate.load(der)


def asn1_certs(pem_bundle: bytes) -> list[asn1_x509.Certificate]:
    if not pem_bundle.strip():
        return []
    return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(pem_bundle, True)]
