"""Sealing concerns (and sign-in events) into the inbox.

Anyone allowed to record seals to the organisation's inbox public key; only a
DSL session holds the private key, inside the case database. A signed-in
recorder also authenticates what they seal with their slot's key, so ingest
(services/inbox_ingest.py) can tell their concerns from forgeries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..domain.accounts import new_reference
from ..domain.concern import CONCERN_FORMAT_VERSION, Concern
from ..domain.errors import NotPermitted
from ..domain.text import clean_name
from ..security import key_slots, sealing
from ..storage.sealed_inbox import DuplicateReference
from . import vault_trust
from .attachment_intake import ChosenFile, sealed_form
from .data_folder import DataFolder

log = logging.getLogger(__name__)

PAYLOAD_FORMAT = "safeguard-desktop-sealed"
# A concern sealed with files (services/attachment_intake.py); the concern itself is
# CONCERN_FORMAT_VERSION's.
WITH_FILES_VERSION = 2


@dataclass(frozen=True)
class Submitter:
    name: str
    role: str
    username: str | None  # None for a guest

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "username": self.username}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def owner_tag(opened: key_slots.OpenedSlot) -> bytes:
    """An opaque label for one account's receipts and draft in inbox.db.

    Only that account can compute it (it comes from the slot's private key), so the
    plain SQLite file no longer says which account sent what, as the slot's public
    key (kept in vault.json for all to see) did before.
    """
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_OWNER_INFO).derive(
        sealing.private_bytes(opened.private_key)
    )


_OWNER_INFO = b"safeguard-desktop inbox owner v1"
_DEVICE_INFO = b"safeguard-desktop device event v1"


def mac_input(body: dict[str, object], signer: str) -> bytes:
    """What a sender's MAC covers: the whole sealed body but the MAC itself."""
    unsigned = {k: v for k, v in body.items() if k not in ("sender", "device")}
    canonical = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return signer.encode("utf-8") + b"\x00" + canonical.encode("utf-8")


def sender_mac(key: bytes, body: dict[str, object], slot_id: str) -> str:
    return hmac.new(key, mac_input(body, f"slot:{slot_id}"), hashlib.sha256).hexdigest()


def station_mac(key: bytes, body: dict[str, object], station_id: str) -> str:
    """A recording station's MAC over what it seals: ``key`` is
    ``sealing.sender_key`` of the station's own key and the inbox key (services/stations.py)."""
    return hmac.new(key, mac_input(body, f"station:{station_id}"), hashlib.sha256).hexdigest()


_HEX = frozenset("0123456789abcdef")


def mac_matches(expected: str, given: object) -> bool:
    """Whether ``given`` (from a file anyone may write) is the MAC ``expected``, compared in
    constant time. Only 64 lowercase hex digits, as this program writes them, can match:
    ``hmac.compare_digest`` raises on text that is not ASCII, so a sealer's choice of
    characters never reaches it."""
    if not isinstance(given, str) or len(given) != 64 or not all(c in _HEX for c in given):
        return False
    return hmac.compare_digest(expected, given)


def device_key(device_secret: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DEVICE_INFO).derive(
        device_secret
    )


def device_mac(key: bytes, body: dict[str, object]) -> str:
    return hmac.new(key, mac_input(body, "device"), hashlib.sha256).hexdigest()


def _seal(
    store: DataFolder,
    kind: str,
    payload: dict[str, object],
    *,
    sender: key_slots.OpenedSlot | None = None,
    device: bytes | None = None,
    draft_owner: bytes | None = None,
) -> str:
    """Seal ``payload`` under a new reference; returns the reference once durable.

    ``sender``: the signed-in account's opened slot; what is sealed then carries a MAC
    only that slot's private key (with the inbox key) can make, which ingest checks
    against the database's copy of the slot. ``device``: this PC's device secret, for
    events sealed with no one signed in (a failed sign-in).
    """
    public = store.vault.inbox_public_key
    sender_secret = sealing.sender_key(sender.private_key, public) if sender else None
    # 40 random bits: a clash is rare, and the inbox's UNIQUE constraint catches it
    # without reading every reference first.
    for _ in range(8):
        ref = new_reference("C" if kind == "concern" else "E")
        body: dict[str, object] = {**payload, "ref": ref}
        if sender is not None and sender_secret is not None:
            slot_id = sender.slot.slot_id
            body["sender"] = {"slot_id": slot_id, "mac": sender_mac(sender_secret, body, slot_id)}
        elif device is not None:
            body["device"] = {"mac": device_mac(device_key(device), body)}
        plaintext = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
        # The reference is bound in as associated data: a sealed item cannot be
        # passed off under another reference.
        sealed = sealing.seal(plaintext, public, aad=f"{kind}:{ref}".encode())
        try:
            store.inbox.put(
                ref, kind, str(payload["submitted_at"]), public, sealed, draft_owner=draft_owner
            )
        except DuplicateReference:
            continue
        return ref
    raise RuntimeError("no free reference after 8 tries")  # 2^40 space: a bug, not bad luck


def concern_payload(
    concern: Concern,
    submitter: Submitter,
    submitted_at: str,
    attachments: Sequence[ChosenFile] = (),
) -> dict[str, object]:
    """What is sealed for one concern (the reference and the MAC are added by the sealer).

    A concern sent with files carries :data:`WITH_FILES_VERSION`: an app that predates
    attachments then keeps it aside as "from a newer version" instead of taking the
    concern in without its files, which it would not know were there.
    """
    payload: dict[str, object] = {
        "format": PAYLOAD_FORMAT,
        "kind": "concern",
        "version": WITH_FILES_VERSION if attachments else CONCERN_FORMAT_VERSION,
        "submitted_at": submitted_at,
        "submitter": submitter.to_json(),
        "concern": concern.to_json(),
    }
    if attachments:
        payload["attachments"] = sealed_form(attachments)
    return payload


def seal_concern(
    store: DataFolder,
    concern: Concern,
    submitter: Submitter,
    *,
    sender: key_slots.OpenedSlot | None = None,
    attachments: Sequence[ChosenFile] = (),
) -> str:
    """Seal one concern (and the files sent with it) into the inbox; durable when this
    returns the reference.

    A named recorder's concern must come with their opened slot (``sender``): ingest
    refuses (quarantines) a concern that names an account it cannot verify. Its
    draft is deleted in the same transaction.
    """
    if submitter.username is not None and sender is None:
        raise ValueError("a named recorder's concern is sealed with their slot")
    return _seal(
        store,
        "concern",
        concern_payload(concern, submitter, _now(), attachments),
        sender=sender,
        draft_owner=owner_tag(sender) if sender is not None else None,
    )


@dataclass(frozen=True)
class Receipt:
    ref: str
    submitted_at: str


def seal_receipt(store: DataFolder, opened: key_slots.OpenedSlot, ref: str) -> None:
    body = json.dumps({"ref": ref, "submitted_at": _now()}).encode("utf-8")
    sealed = sealing.seal(body, opened.slot.public_key, b"receipt")
    store.inbox.put_receipt(owner_tag(opened), sealed)


def adopt_owner_tag(store: DataFolder, opened: key_slots.OpenedSlot) -> None:
    """Receipts and a draft filed under the slot's public key (before owner tags) move
    to the tag. Cheap when there is nothing to move."""
    store.inbox.move_owner(opened.slot.public_key, owner_tag(opened))


def open_receipts(store: DataFolder, opened: key_slots.OpenedSlot) -> list[Receipt]:
    receipts = []
    for sealed in store.inbox.receipts(owner_tag(opened)):
        try:
            data = json.loads(sealing.open_sealed(sealed, opened.private_key, b"receipt"))
        except (sealing.SealError, ValueError):
            continue
        receipts.append(Receipt(ref=str(data["ref"]), submitted_at=str(data["submitted_at"])))
    return receipts


def check_guest_can_submit(store: DataFolder) -> None:
    """Raise (one sentence) unless a guest may record here now: guests are allowed and
    vault.json is one the lead signed. The form calls it before a guest starts typing."""
    store.reload()
    if not store.organisation.allow_guests:
        raise NotPermitted(
            "This organisation does not allow recording without an account. "
            "Ask your safeguarding lead for an account."
        )
    vault_trust.check_before_sealing(store, None)


def submit_as_guest(
    store: DataFolder,
    name: str,
    role: str,
    concern: Concern,
    attachments: Sequence[ChosenFile] = (),
) -> str:
    check_guest_can_submit(store)
    submitter = Submitter(
        name=clean_name(name, "your name"),
        role=clean_name(role, "your role"),
        username=None,
    )
    return seal_concern(store, concern, submitter, attachments=attachments)


def seal_event(
    store: DataFolder,
    event: dict[str, object],
    *,
    sender: key_slots.OpenedSlot | None = None,
    device: bytes | None = None,
) -> None:
    """Seal an event for the audit log (e.g. a failed sign-in) into the inbox."""
    _seal(
        store,
        "event",
        {"format": PAYLOAD_FORMAT, "kind": "event", "submitted_at": _now(), "event": event},
        sender=sender,
        device=device,
    )
