"""Key slots: each account's and the recovery key's way to the database key.

A slot holds an X25519 key pair. Its private key, and the public half of the
organisation's vault key pinned beside it, are wrapped with AES-256-GCM under a key
derived from the password (Argon2id, then mixed with the device
secret when the slot is bound to this PC). The database key is *sealed* to the
slot's public key. Sealing needs only the public key, so when the database key
is rotated (a DSL leaves), every remaining slot gets the new key without
anyone's password; and changing a password rewrites only that slot.

Associated data binds each slot to its id, kind and user, so a slot copied onto
another account does not open. The pinned vault key is how a session knows which key
must have signed vault.json: changing it needs that account's password, so someone
who can only edit the data folder cannot swap it. Slots written before it existed
hold the private key alone ("legacy"); they are upgraded at their next sign-in.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass, replace
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import sealing
from .kdf import KdfParams, derive_key

SlotKind = Literal["password", "recovery"]
SALT_BYTES = 16


PINNED_KEY_BYTES = 32


class SlotLocked(Exception):
    """The secret (or the device secret) does not open this slot."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class KeySlot:
    slot_id: str
    kind: SlotKind
    user_id: str | None
    salt: bytes
    kdf: KdfParams
    device_bound: bool
    public_key: bytes
    wrapped_private_key: bytes  # 12-byte nonce || AES-GCM ciphertext
    sealed_db_key: bytes | None  # None: this account never holds the database key

    def aad(self) -> bytes:
        """Associated data for both the wrapped private key and the sealed database key."""
        return json.dumps(
            {
                "slot": self.slot_id,
                "kind": self.kind,
                "user": self.user_id,
                "device_bound": self.device_bound,
                "public_key": _b64(self.public_key),
            },
            sort_keys=True,
            separators=(",", ":"),
        ).encode("utf-8")

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.slot_id,
            "kind": self.kind,
            "user_id": self.user_id,
            "salt": _b64(self.salt),
            "kdf": self.kdf.to_json(),
            "device_bound": self.device_bound,
            "public_key": _b64(self.public_key),
            "wrapped_private_key": _b64(self.wrapped_private_key),
            "sealed_db_key": _b64(self.sealed_db_key) if self.sealed_db_key else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> KeySlot:
        kind = data["kind"]
        if kind not in ("password", "recovery"):
            raise ValueError("unknown key slot kind")
        user_id = data.get("user_id")
        kdf = data["kdf"]
        if not isinstance(kdf, dict) or not isinstance(data["id"], str):
            raise ValueError("malformed key slot")
        if user_id is not None and not isinstance(user_id, str):
            raise ValueError("malformed key slot user")
        sealed = data.get("sealed_db_key")
        return cls(
            slot_id=data["id"],
            kind=kind,
            user_id=user_id,
            salt=_unb64(data["salt"]),
            kdf=KdfParams.from_json(kdf),
            device_bound=bool(data["device_bound"]),
            public_key=_unb64(data["public_key"]),
            wrapped_private_key=_unb64(data["wrapped_private_key"]),
            sealed_db_key=_unb64(sealed) if sealed is not None else None,
        )


@dataclass(frozen=True)
class OpenedSlot:
    slot: KeySlot
    private_key: X25519PrivateKey
    db_key: bytes | None
    # The organisation's vault key (Ed25519 public half) this slot was pinned to;
    # None for a slot written before pinning existed.
    vault_key: bytes | None = None


def _slot_kek(secret: bytes, salt: bytes, params: KdfParams, device_secret: bytes | None) -> bytes:
    stretched = derive_key(secret, salt, params)
    if device_secret is None:
        return stretched
    # The device secret is mixed in after Argon2id: guessing passwords now also
    # needs the 32 random bytes that only this PC's credential store holds.
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=device_secret,
        info=b"safeguard-desktop slot key v1",
    ).derive(stretched)


def _wrap(kek: bytes, private_key: X25519PrivateKey, vault_key: bytes | None, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    plaintext = sealing.private_bytes(private_key) + (vault_key or b"")
    return nonce + AESGCM(kek).encrypt(nonce, plaintext, aad)


def create_slot(
    *,
    kind: SlotKind,
    user_id: str | None,
    secret: bytes,
    kdf: KdfParams,
    device_secret: bytes | None,
    db_key: bytes | None,
    vault_key: bytes | None = None,
) -> OpenedSlot:
    """Make a new slot for ``secret``, pinned to ``vault_key``; seal ``db_key`` into it."""
    _check_vault_key(vault_key)
    private_key, public_key = sealing.new_keypair()
    salt = secrets.token_bytes(SALT_BYTES)
    slot = KeySlot(
        slot_id=secrets.token_hex(8),
        kind=kind,
        user_id=user_id,
        salt=salt,
        kdf=kdf,
        device_bound=device_secret is not None,
        public_key=public_key,
        wrapped_private_key=b"",
        sealed_db_key=None,
    )
    kek = _slot_kek(secret, salt, kdf, device_secret)
    slot = replace(slot, wrapped_private_key=_wrap(kek, private_key, vault_key, slot.aad()))
    if db_key is not None:
        slot = seal_db_key(slot, db_key)
    return OpenedSlot(slot=slot, private_key=private_key, db_key=db_key, vault_key=vault_key)


def _check_vault_key(vault_key: bytes | None) -> None:
    if vault_key is not None and len(vault_key) != PINNED_KEY_BYTES:
        raise ValueError("a pinned vault key is 32 bytes")


def seal_db_key(slot: KeySlot, db_key: bytes) -> KeySlot:
    """Give ``slot`` the database key (at creation, promotion or rotation)."""
    return replace(slot, sealed_db_key=sealing.seal(db_key, slot.public_key, slot.aad()))


def open_slot(slot: KeySlot, secret: bytes, device_secret: bytes | None) -> OpenedSlot:
    """Open ``slot`` with a password or recovery code; raises SlotLocked if wrong."""
    if slot.device_bound and device_secret is None:
        raise SlotLocked("this slot needs the device secret")
    kek = _slot_kek(secret, slot.salt, slot.kdf, device_secret if slot.device_bound else None)
    nonce, ciphertext = slot.wrapped_private_key[:12], slot.wrapped_private_key[12:]
    try:
        raw = AESGCM(kek).decrypt(nonce, ciphertext, slot.aad())
    except InvalidTag as err:
        raise SlotLocked("wrong secret for this slot") from err
    if len(raw) not in (32, 32 + PINNED_KEY_BYTES):
        raise SlotLocked("the slot holds something other than a key")
    private_key = X25519PrivateKey.from_private_bytes(raw[:32])
    vault_key = raw[32:] or None
    # Someone who can edit vault.json can wrap a private key of their own under a
    # password they chose, with this slot's public fields as associated data: the
    # slot would open, with the wrong key. The public key it must match says so.
    if sealing.public_bytes(private_key.public_key()) != slot.public_key:
        raise SlotLocked("the slot's private key does not match its public key")
    db_key = None
    if slot.sealed_db_key is not None:
        try:
            db_key = sealing.open_sealed(slot.sealed_db_key, private_key, slot.aad())
        except sealing.SealError as err:
            raise SlotLocked("the sealed database key does not open") from err
    return OpenedSlot(slot=slot, private_key=private_key, db_key=db_key, vault_key=vault_key)


def rewrap(
    opened: OpenedSlot,
    new_secret: bytes,
    kdf: KdfParams,
    device_secret: bytes | None,
    *,
    vault_key: bytes | None = None,
) -> KeySlot:
    """The same slot (same key pair, same sealed key) under a new password.

    It stays pinned to the vault key it was pinned to, or is pinned to ``vault_key``
    (which must then be the key the caller verified the vault with).
    """
    pinned = vault_key if vault_key is not None else opened.vault_key
    _check_vault_key(pinned)
    salt = secrets.token_bytes(SALT_BYTES)
    slot = replace(opened.slot, salt=salt, kdf=kdf, device_bound=device_secret is not None)
    kek = _slot_kek(new_secret, salt, kdf, device_secret)
    slot = replace(slot, wrapped_private_key=_wrap(kek, opened.private_key, pinned, slot.aad()))
    if opened.db_key is not None:
        slot = seal_db_key(slot, opened.db_key)
    return slot
