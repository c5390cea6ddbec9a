"""Sealed boxes: encrypt to an X25519 public key without holding its private key.

Used twice: a recorder seals a concern to the organisation's inbox key, and the
database key is sealed to each key slot's public key, so an admin can give the
key to (or rotate it for) a slot without knowing that slot's password.

Format (version 1): ``0x01 || ephemeral public key (32) || ChaCha20-Poly1305
ciphertext``. The AEAD key comes from HKDF-SHA256 over the X25519 shared
secret, salted with both public keys; a fresh ephemeral key per message makes
the all-zero nonce safe.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = 1
_INFO = b"safeguard-desktop sealed box v1"
_NONCE = b"\x00" * 12


class SealError(Exception):
    """A sealed box could not be opened: wrong key, or the bytes were changed."""


def public_bytes(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def private_bytes(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def new_keypair() -> tuple[X25519PrivateKey, bytes]:
    private = X25519PrivateKey.generate()
    return private, public_bytes(private.public_key())


def _aead_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral_public + recipient_public,
        info=_INFO,
    ).derive(shared)


def seal(plaintext: bytes, recipient_public: bytes, aad: bytes = b"") -> bytes:
    """Encrypt ``plaintext`` so only the holder of the private key can read it."""
    recipient = X25519PublicKey.from_public_bytes(recipient_public)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = public_bytes(ephemeral.public_key())
    key = _aead_key(ephemeral.exchange(recipient), ephemeral_public, recipient_public)
    ciphertext = ChaCha20Poly1305(key).encrypt(_NONCE, plaintext, aad)
    return bytes([VERSION]) + ephemeral_public + ciphertext


def open_sealed(blob: bytes, private_key: X25519PrivateKey, aad: bytes = b"") -> bytes:
    """Decrypt a sealed box; raises SealError if the key or the bytes are wrong."""
    if len(blob) < 1 + 32 + 16 or blob[0] != VERSION:
        raise SealError("not a sealed box of a known version")
    ephemeral_public = blob[1:33]
    recipient_public = public_bytes(private_key.public_key())
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _aead_key(shared, ephemeral_public, recipient_public)
        return ChaCha20Poly1305(key).decrypt(_NONCE, blob[33:], aad)
    except (InvalidTag, ValueError) as err:
        raise SealError("the sealed box could not be opened") from err


_SENDER_INFO = b"safeguard-desktop sender v1"


def sender_key(own_private: X25519PrivateKey, peer_public: bytes) -> bytes:
    """A key only the two ends share: a recorder (slot key) and the inbox (inbox key).

    A recorder authenticates what they seal with it, and ingest checks it against the
    slot's public key in the database's copy of the vault: anyone can seal to the
    inbox, but only the holder of that slot's private key (its password) can make
    this key. Both ends compute it with their own private key and the other's public
    key, so the salt orders the two public keys the same way on both sides.
    """
    own_public = public_bytes(own_private.public_key())
    try:
        shared = own_private.exchange(X25519PublicKey.from_public_bytes(peer_public))
    except ValueError as err:
        raise SealError("the other key is not usable") from err
    first, second = sorted((own_public, peer_public))
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=first + second, info=_SENDER_INFO
    ).derive(shared)
