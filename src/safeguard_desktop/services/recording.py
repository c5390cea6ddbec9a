"""Sealing concerns (and sign-in events) into the inbox, and ingesting them.

Anyone allowed to record seals to the organisation's inbox public key; only a
DSL session holds the private key, inside the case database. A sealed copy is
removed from the inbox only after its record is committed to cases.db.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ..domain.accounts import new_reference
from ..domain.children import ConcernChild, suggest_matches
from ..domain.concern import CONCERN_FORMAT_VERSION, Concern
from ..domain.errors import NotPermitted
from ..domain.text import clean_name
from ..security import key_slots, sealing
from ..storage import audit_log, case_database, case_records, children_records
from ..storage.sealed_inbox import DuplicateReference

if TYPE_CHECKING:
    from .store import Store

log = logging.getLogger(__name__)

PAYLOAD_FORMAT = "safeguard-desktop-sealed"


@dataclass(frozen=True)
class Submitter:
    name: str
    role: str
    username: str | None  # None for a guest

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "username": self.username}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _seal(store: Store, kind: str, payload: dict[str, object]) -> str:
    """Seal ``payload`` under a new reference; returns the reference once durable."""
    public = store.vault.inbox_public_key
    # 40 random bits: a clash is rare, and the inbox's UNIQUE constraint catches it
    # without reading every reference first.
    for _ in range(8):
        ref = new_reference("C" if kind == "concern" else "E")
        body = {**payload, "ref": ref}
        plaintext = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
        # The reference is bound in as associated data: a sealed item cannot be
        # passed off under another reference.
        sealed = sealing.seal(plaintext, public, aad=f"{kind}:{ref}".encode())
        try:
            store.inbox.put(ref, kind, str(payload["submitted_at"]), public, sealed)
        except DuplicateReference:
            continue
        return ref
    raise RuntimeError("no free reference after 8 tries")  # 2^40 space: a bug, not bad luck


def seal_concern(store: Store, concern: Concern, submitter: Submitter) -> str:
    """Seal one concern into the inbox; durable when this returns the reference."""
    return _seal(
        store,
        "concern",
        {
            "format": PAYLOAD_FORMAT,
            "kind": "concern",
            "version": CONCERN_FORMAT_VERSION,
            "submitted_at": _now(),
            "submitter": submitter.to_json(),
            "concern": concern.to_json(),
        },
    )


@dataclass(frozen=True)
class Receipt:
    ref: str
    submitted_at: str


def seal_receipt(store: Store, owner_public_key: bytes, ref: str) -> None:
    body = json.dumps({"ref": ref, "submitted_at": _now()}).encode("utf-8")
    store.inbox.put_receipt(owner_public_key, sealing.seal(body, owner_public_key, b"receipt"))


def open_receipts(store: Store, opened: key_slots.OpenedSlot) -> list[Receipt]:
    receipts = []
    for sealed in store.inbox.receipts(opened.slot.public_key):
        try:
            data = json.loads(sealing.open_sealed(sealed, opened.private_key, b"receipt"))
        except (sealing.SealError, ValueError):
            continue
        receipts.append(Receipt(ref=str(data["ref"]), submitted_at=str(data["submitted_at"])))
    return receipts


def submit_as_guest(store: Store, name: str, role: str, concern: Concern) -> str:
    if not store.organisation.allow_guests:
        raise NotPermitted(
            "This organisation does not allow recording without an account. "
            "Ask your safeguarding lead for an account."
        )
    submitter = Submitter(
        name=clean_name(name, "your name"),
        role=clean_name(role, "your role"),
        username=None,
    )
    return seal_concern(store, concern, submitter)


def seal_event(store: Store, event: dict[str, object]) -> None:
    """Seal an event for the audit log (e.g. a failed sign-in) into the inbox."""
    _seal(
        store,
        "event",
        {"format": PAYLOAD_FORMAT, "kind": "event", "submitted_at": _now(), "event": event},
    )


INGEST_BATCH = 200


def ingest(store: Store, conn: case_database.Connection, actor: str) -> int:
    """Move every sealed item into the case database; returns how many concerns arrived.

    Items are committed in batches (one transaction, one fsync each) and their sealed
    copies are deleted from the inbox only after the batch holding them is committed:
    a crash in between leaves a sealed copy whose record exists, which the next ingest
    recognises by its reference and simply removes.
    """
    keys = {
        pub: X25519PrivateKey.from_private_bytes(priv)
        for pub, priv in case_records.inbox_private_keys(conn).items()
    }
    received = 0
    after_id = 0
    while True:
        batch = store.inbox.pending(limit=INGEST_BATCH, after_id=after_id)
        if not batch:
            break
        after_id = batch[-1].item_id
        opened = []
        for item in batch:
            private = keys.get(bytes(item.inbox_key))
            if private is None:
                log.warning("a sealed item uses an unknown inbox key; left in the inbox")
                continue
            try:
                plaintext = sealing.open_sealed(
                    bytes(item.sealed), private, aad=f"{item.kind}:{item.ref}".encode()
                )
                opened.append((item, json.loads(plaintext.decode("utf-8"))))
            except (sealing.SealError, ValueError):
                log.warning("a sealed item could not be opened; left in the inbox")
        done: list[int] = []
        with case_records.transaction(conn):
            for item, payload in opened:
                if item.kind == "concern":
                    if not case_records.concern_exists(conn, item.ref):
                        concern_id = case_records.insert_concern(
                            conn,
                            ref=item.ref,
                            submitted_at=str(payload["submitted_at"]),
                            submitter=dict(payload["submitter"]),
                            format_version=int(payload["version"]),
                            body=dict(payload["concern"]),
                        )
                        suggest_links(conn, concern_id, dict(payload["concern"]))
                        audit_log.append(conn, actor, "concern_received", {"ref": item.ref})
                        received += 1
                else:
                    event = dict(payload["event"])
                    audit_log.append(
                        conn,
                        str(event.get("username", "unknown"))[:64],
                        str(event.get("type", "event"))[:64],
                        {"at": payload["submitted_at"], "via": "inbox"},
                    )
                done.append(item.item_id)
        store.inbox.remove(done)
    return received


def suggest_links(conn: case_database.Connection, concern_id: int, body: dict[str, object]) -> None:
    """Note, for each child a concern names, the child record it most looks like (if any)."""
    children = body.get("children")
    if not isinstance(children, list):
        return
    for position, named in enumerate(children):
        if not isinstance(named, dict):
            continue
        child = concern_child(named)
        candidates = children_records.match_candidates(conn, child.name, child.date_of_birth)
        best = suggest_matches(child, candidates, limit=1)
        if best:
            children_records.set_suggestion(conn, concern_id, position, best[0].child_id)


def concern_child(named: dict[str, object]) -> ConcernChild:
    """A child as a stored concern names them (the JSON was checked when it was sealed)."""
    born = named.get("date_of_birth")
    age = named.get("approximate_age")
    return ConcernChild(
        name=str(named.get("name", "")),
        date_of_birth=date.fromisoformat(born) if isinstance(born, str) and born else None,
        approximate_age=age if isinstance(age, int) and not isinstance(age, bool) else None,
        group=str(named.get("group") or ""),
        additional_needs=str(named.get("additional_needs") or ""),
    )
