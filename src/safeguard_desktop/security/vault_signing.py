"""The organisation's vault key: an Ed25519 key pair that signs vault.json.

Its private half lives only inside the encrypted case database, so only a DSL or
administrator session can sign; its public half is pinned inside every password
slot's encrypted part (security/key_slots.py) and, where the PC has one, in the OS
credential store. Anyone who can merely edit the data folder can change vault.json
but cannot make a signature that those pinned keys accept.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_BYTES = 32
SIGNATURE_BYTES = 64
_CONTEXT = b"safeguard-desktop vault v2\x00"


def new_key() -> tuple[bytes, bytes]:
    """A new key pair as (private, public) raw bytes."""
    private = Ed25519PrivateKey.generate()
    return _private_bytes(private), public_of(_private_bytes(private))


def _private_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def public_of(private: bytes) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(private)
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def sign(private: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).sign(_CONTEXT + message)


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """True only when ``signature`` is ``public``'s signature over ``message``."""
    if len(public) != KEY_BYTES or len(signature) != SIGNATURE_BYTES:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, _CONTEXT + message)
    except (InvalidSignature, ValueError):
        return False
    return True
