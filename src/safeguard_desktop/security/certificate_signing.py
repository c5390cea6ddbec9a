"""Signing bytes with the organisation's certificate key, and checking such a signature.

A transfer package and its receipt are signed with the same key and certificate that
sign the organisation's PDFs (pdf/signing_identity.py), so the person receiving one
compares the same SHA-256 fingerprint by phone that a referral shows. ECDSA keys (the
generated kind) sign with SHA-256; an imported RSA key with PKCS#1 v1.5 and SHA-256.
Every message is prefixed with what it is for, so a signature made for one purpose can
never be passed off as another.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa


class BadSignature(ValueError):
    """The signature is not the named certificate's over these bytes."""


def sign(key_pem: bytes, purpose: bytes, message: bytes) -> bytes:
    key = serialization.load_pem_private_key(key_pem, None)
    data = purpose + b"\x00" + message
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    raise ValueError("the signing key is neither ECDSA nor RSA")


def verify(cert_pem: bytes, purpose: bytes, message: bytes, signature: bytes) -> str:
    """The certificate's SHA-256 fingerprint when ``signature`` is its key's over
    ``message``; :class:`BadSignature` otherwise (a certificate that is not one too)."""
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        key = cert.public_key()
        data = purpose + b"\x00" + message
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise BadSignature("not an ECDSA or RSA certificate")
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError) as err:
        # An unusual curve or key a file names is as unverified as a wrong signature.
        raise BadSignature(type(err).__name__) from None
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()
