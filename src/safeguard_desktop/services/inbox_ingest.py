"""Taking sealed items out of inbox.db into the case database, or into quarantine.

Anyone who can write to the data folder can seal an item to the inbox's public key,
so nothing is accepted because it is there. Each item must open with an inbox key
this organisation has, parse, pass the same checks as the recording form
(domain.concern.Concern.from_json), and, when it names a recorder's account, carry
that account's MAC (services/recording.py), checked against the slot's public key as
the case database keeps it (storage/vault_copy.py), never as vault.json says.

An item that fails any of those goes to quarantine, whole and still sealed, with the
reason; it never stops the items after it, and it is never deleted: Home lists it,
and a DSL may accept a concern whose only fault is who sent it (marked unverified)
or set an item aside with a note. Both are audited. A concern deleted with a child's
file at its retention review is refused by reference, before it is opened, and kept aside
without its sealed copy: an old inbox.db or a station's file put back never brings it
back.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ..domain.casework import checked_set_aside_note
from ..domain.children import ConcernChild, suggest_matches
from ..domain.concern import CONCERN_FORMAT_VERSION, Child, Concern
from ..domain.errors import BadInput, NotPermitted, SafeguardError
from ..security import sealing
from ..storage import (
    attachment_records,
    audit_log,
    case_database,
    case_records,
    children_records,
    quarantine_records,
    retention_records,
    station_records,
    vault_copy,
)
from ..storage.quarantine_records import QuarantinedItem
from ..storage.sealed_inbox import SealedItem
from .attachment_intake import ChosenFile, RefusedFile, from_sealed
from .changes import Changes
from .data_folder import DataFolder
from .recording import (
    PAYLOAD_FORMAT,
    WITH_FILES_VERSION,
    device_key,
    device_mac,
    mac_matches,
    sender_mac,
    station_mac,
)

log = logging.getLogger(__name__)

INGEST_BATCH = 200
# A batch's sealed bytes read at once, at most (a concern sealed with its files can be
# 34 MB; most are a few kB, so 200 of them still make one batch).
INGEST_BATCH_BYTES = 64 * 1024 * 1024
EVENT_TYPES = frozenset(
    {"login_failed", "recovery_key_failed", "password_changed", "suspended_sign_in"}
)
# Events sealed with no one signed in, by this PC's device secret where it has one.
DEVICE_EVENTS = frozenset({"login_failed", "recovery_key_failed", "suspended_sign_in"})
# Reasons a DSL may override: the concern itself is whole and valid.
ACCEPTABLE = frozenset(
    {
        "unverified_sender",
        "removed_sender",
        "guests_not_allowed",
        "suspended_sender",
        "unverified_station",
        "removed_station",
        "not_from_a_station",
    }
)

_REASONS = {
    "unknown_key": "It was sealed to a key this organisation has never had, so it cannot be "
    "opened.",
    "unopenable": "It is damaged or was not made by Safeguard Desktop, so it cannot be opened.",
    "unreadable": "It opened, but it is not a concern or event this version understands.",
    "invalid": "It opened, but information a concern must have is missing or wrong{detail}.",
    "unverified_sender": "It says it was sent by {detail}, but it was not sealed with that "
    "account's key.",
    "removed_sender": "It was sent from the account {detail}, which has since been removed.",
    "suspended_sender": "It was sent from the account {detail}, which is suspended; read it "
    "before you accept it.",
    "guests_not_allowed": "It was sent without an account, which this organisation does not allow.",
    "duplicate": "It carries the reference of a concern already received, with different content.",
    "deleted_at_review": "It is a copy of a concern deleted with a child's file at its "
    "retention review, so it was not taken in again and its content was not kept; set it "
    "aside.",
    "unverified_station": "It says it came from the recording station {detail}, but it was not "
    "signed with that station's key.",
    "removed_station": "It came from the recording station {detail}, which has since been "
    "removed; read it before you accept it.",
    "not_from_a_station": "It was found in the stations' shared folder but no recording "
    "station signed it: anyone who can open that folder could have put it there. Read it "
    "before you accept it.",
    # Files in a recording stations' drop folder (services/stations.py), kept in its
    # quarantine subfolder as well as here.
    "unreadable_file": "A file in the stations' drop folder is not a whole concern file; it "
    "was moved to the drop folder's quarantine folder.",
    "too_big": "A file in the stations' drop folder is far larger than any concern; it was "
    "moved to the drop folder's quarantine folder.",
    "unopenable_file": "A file in the stations' drop folder could not be read; it was moved "
    "to the drop folder's quarantine folder if it could be.",
    "newer_version": "A file in the stations' drop folder was made by a newer version of "
    "Safeguard Desktop; update this PC's copy, then accept it from the quarantine folder.",
    "unknown_station": "A file in the stations' drop folder came from a recording station "
    "this organisation never invited ({detail}).",
    "station_joined_twice": "A second PC tried to join as the recording station {detail} with "
    "the same invitation; it was refused. If you did not expect this, remove that station "
    "and invite it again.",
}


def reason_sentence(reason: str, detail: str) -> str:
    """One plain sentence for a quarantine reason (no record text: ``detail`` is a field
    or account name)."""
    template = _REASONS.get(reason, "It could not be accepted.")
    if reason == "invalid":
        return template.format(detail=f" ({detail})" if detail else "")
    return template.format(detail=f"“{detail}”" if detail else "an account")


class _Refused(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail[:120]


@dataclass(frozen=True)
class _Accepted:
    kind: str  # "concern" or "event"
    payload: dict[str, object]
    verified: bool
    marks: dict[str, object] | None = None  # added to the stored submitter
    files: SealedFiles | None = None  # a concern's, taken in again here


@dataclass(frozen=True)
class SealedFiles:
    """The files sealed with a concern: those kept, and those this PC would not keep."""

    kept: tuple[ChosenFile, ...] = ()
    refused: tuple[RefusedFile, ...] = ()


def _sealed_files(payload: dict[str, object]) -> SealedFiles:
    """The files sealed with a concern, checked and taken in here as if chosen here."""
    if "attachments" not in payload:
        return SealedFiles()
    try:
        kept, refused = from_sealed(payload["attachments"])
    except ValueError:
        raise _Refused("invalid", "attachments") from None
    return SealedFiles(tuple(kept), tuple(refused))


@dataclass(frozen=True)
class StationKey:
    """A recording station as the case database knows it: its own public key once it has
    joined (None before), its name, whether a lead removed it."""

    public_key: bytes | None
    name: str
    removed: bool


def station_keys(conn: case_database.Connection) -> dict[str, StationKey]:
    """Every recording station by id, as the case database knows it."""
    return {
        row.station_id: StationKey(row.public_key, row.name, row.removed_at is not None)
        for row in station_records.all_stations(conn)
    }


@dataclass(frozen=True)
class Verifier:
    """What every item is checked against: keys from the case database, the policy
    from the trusted vault, this PC's device key (if any)."""

    inbox_keys: dict[bytes, X25519PrivateKey]
    allow_guests: bool
    device_key: bytes | None
    # Each account's name and role as the trusted vault has them, by user name folded:
    # a verified recorder's concern is credited to them as they are, not as it says.
    accounts: dict[str, tuple[str, str]]
    # Suspended accounts, by user name folded, as the trusted vault has them.
    suspended: frozenset[str] = frozenset()
    # Only at the first sign-in after an upgrade from a version that sealed without
    # sender MACs: what waits in the inbox then was sealed by that version.
    before_sender_checks: bool = False
    # Recording stations by id, as the case database knows them (services/stations.py).
    stations: dict[str, StationKey] = field(default_factory=dict)
    # Reading the stations' drop folder: only what a joined station signed is taken in
    # (anyone who can open the folder could seal a concern to the inbox's public key).
    only_stations: bool = False
    # References of concerns deleted at a child's retention review: a sealed copy put
    # back (an old inbox.db, a station's file) is never taken in or opened again. Read
    # from the audit log when the first concern arrives, not on every minute's empty
    # pass (the whole log is read: 0.4 s for the 656,000 entries of the benchmark store).
    deleted: Callable[[], frozenset[str]] = frozenset

    @classmethod
    def of(
        cls,
        store: DataFolder,
        conn: case_database.Connection,
        *,
        before_sender_checks: bool = False,
    ) -> Verifier:
        secret = store.device_secret()
        return cls(
            inbox_keys={
                pub: X25519PrivateKey.from_private_bytes(priv)
                for pub, priv in case_records.inbox_private_keys(conn).items()
            },
            allow_guests=store.organisation.allow_guests,
            device_key=device_key(secret) if secret else None,
            accounts={
                u.username.casefold(): (u.display_name, u.role.value) for u in store.vault.users
            },
            suspended=frozenset(u.username.casefold() for u in store.vault.users if u.suspended),
            before_sender_checks=before_sender_checks,
            stations=station_keys(conn),
            deleted=functools.cache(
                functools.partial(retention_records.deleted_concern_refs, conn)
            ),
        )


def _open(item_key: bytes, sealed: bytes, kind: str, ref: str, keys: Verifier) -> dict[str, object]:
    private = keys.inbox_keys.get(item_key)
    if private is None:
        raise _Refused("unknown_key")
    try:
        plaintext = sealing.open_sealed(sealed, private, aad=f"{kind}:{ref}".encode())
    except sealing.SealError:
        raise _Refused("unopenable") from None
    try:
        payload = json.loads(plaintext.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Refused("unreadable") from None
    if (
        not isinstance(payload, dict)
        or payload.get("format") != PAYLOAD_FORMAT
        or payload.get("kind") != kind
        or payload.get("ref") != ref
        or not isinstance(payload.get("submitted_at"), str)
    ):
        raise _Refused("unreadable")
    try:
        datetime.fromisoformat(str(payload["submitted_at"]))
    except ValueError:
        raise _Refused("unreadable") from None
    return payload


def _sender_verified(
    conn: case_database.Connection,
    payload: dict[str, object],
    username: str,
    item_key: bytes,
    keys: Verifier,
) -> None:
    """Raise _Refused unless ``payload`` carries ``username``'s valid MAC."""
    sender = payload.get("sender")
    if not isinstance(sender, dict):
        raise _Refused("unverified_sender", username)
    slot_id, mac = sender.get("slot_id"), sender.get("mac")
    if not isinstance(slot_id, str) or not isinstance(mac, str):
        raise _Refused("unverified_sender", username)
    known = vault_copy.sender_key(conn, slot_id)
    if known is None:
        raise _Refused("unverified_sender", username)
    _, known_username, public_key, removed_at = known
    if known_username.casefold() != username.casefold():
        raise _Refused("unverified_sender", username)
    try:
        key = sealing.sender_key(keys.inbox_keys[item_key], public_key)
    except sealing.SealError:
        raise _Refused("unverified_sender", username) from None
    if not mac_matches(sender_mac(key, payload, slot_id), mac):
        raise _Refused("unverified_sender", username)
    if removed_at is not None:
        raise _Refused("removed_sender", username)


def _check_concern(
    conn: case_database.Connection, payload: dict[str, object], item: SealedItem, keys: Verifier
) -> _Accepted:
    submitter = payload.get("submitter")
    if not isinstance(submitter, dict):
        raise _Refused("invalid", "who sent it")
    name, role, username = submitter.get("name"), submitter.get("role"), submitter.get("username")
    if (
        not isinstance(name, str)
        or not isinstance(role, str)
        or not (username is None or isinstance(username, str))
        or len(name) > 500
        or len(role) > 500
        or (isinstance(username, str) and len(username) > 200)
    ):
        raise _Refused("invalid", "who sent it")
    version = payload.get("version")
    # Only a format this version reads (storage/case_records.recorded_concern): a concern
    # from a newer app waits, sealed, with the items not accepted, never unreadable. One
    # sealed with files says so in its version, and holds them.
    with_files = version == WITH_FILES_VERSION
    if isinstance(version, bool) or version not in (CONCERN_FORMAT_VERSION, WITH_FILES_VERSION):
        raise _Refused("invalid", "format version")
    if with_files != ("attachments" in payload):
        raise _Refused("invalid", "attachments")
    try:
        # The same gate the recording form and the command line go through.
        Concern.from_json(payload.get("concern"), now=datetime.now())
    except BadInput as err:
        raise _Refused("invalid", err.field or "") from None
    except (RecursionError, ValueError, TypeError):
        raise _Refused("invalid") from None
    accepted = _checked_sender(conn, payload, item, keys, username)
    # Files are taken in (pictures drawn again) only once who sent them is known.
    return replace(accepted, files=_sealed_files(payload))


def _checked_sender(
    conn: case_database.Connection,
    payload: dict[str, object],
    item: SealedItem,
    keys: Verifier,
    username: str | None,
) -> _Accepted:
    sender = payload.get("sender")
    if username is None and isinstance(sender, dict) and "station" in sender:
        return _station_verified(payload, sender, item, keys)
    if keys.only_stations:
        raise _Refused("not_from_a_station")
    if username is None:
        if not keys.allow_guests:
            raise _Refused("guests_not_allowed")
    elif keys.before_sender_checks and "sender" not in payload:
        # Sealed by the earlier version, which had no way to sign: kept as it was
        # then, and marked so the concern view can say so.
        return _Accepted("concern", payload, verified=False, marks={"sent_before_checks": True})
    else:
        _sender_verified(conn, payload, username, bytes(item.inbox_key), keys)
        if username.casefold() in keys.suspended:
            # Its time inside is the sender's own word, so when it was sealed cannot be
            # known: a concern from a suspended account is kept aside for a lead to read
            # and accept (never lost), not taken in unseen. What waited in the inbox
            # when the account was suspended was taken in first (services/people.py suspend_user).
            raise _Refused("suspended_sender", username)
        account = keys.accounts.get(username.casefold())
        if account is not None:
            # The MAC proves which account sealed it, not the name it gives: a recorder
            # could write a lead's name there. Credit it to the account as it is.
            name, role = account
            return _Accepted("concern", payload, verified=True, marks={"name": name, "role": role})
    return _Accepted("concern", payload, verified=True)


def _station_verified(
    payload: dict[str, object], sender: dict[str, object], item: SealedItem, keys: Verifier
) -> _Accepted:
    """A concern recorded on a recording station: accepted when it carries the MAC of a
    station that joined and was not removed. The station, not the guest policy, is what
    lets it in: a lead invited that PC to record."""
    station_id, mac = sender.get("station"), sender.get("mac")
    if not isinstance(station_id, str) or not isinstance(mac, str) or len(station_id) > 20:
        raise _Refused("unverified_station")
    known = keys.stations.get(station_id)
    if known is None or known.public_key is None:
        raise _Refused("unverified_station", station_id)
    try:
        key = sealing.sender_key(keys.inbox_keys[bytes(item.inbox_key)], known.public_key)
    except sealing.SealError:
        raise _Refused("unverified_station", station_id) from None
    if not mac_matches(station_mac(key, payload, station_id), mac):
        raise _Refused("unverified_station", known.name)
    if known.removed:
        raise _Refused("removed_station", known.name)
    return _Accepted(
        "concern", payload, verified=True, marks={"station": station_id, "station_name": known.name}
    )


def _check_event(
    conn: case_database.Connection, payload: dict[str, object], item: SealedItem, keys: Verifier
) -> _Accepted:
    event = payload.get("event")
    if not isinstance(event, dict):
        raise _Refused("unreadable")
    kind, username = event.get("type"), event.get("username")
    if kind not in EVENT_TYPES or not isinstance(username, str) or not 0 < len(username) <= 64:
        raise _Refused("unreadable")
    if kind in DEVICE_EVENTS:
        device = payload.get("device")
        mac = device.get("mac") if isinstance(device, dict) else None
        verified = keys.device_key is not None and mac_matches(
            device_mac(keys.device_key, payload), mac
        )
        return _Accepted("event", payload, verified=verified)
    _sender_verified(conn, payload, username, bytes(item.inbox_key), keys)
    return _Accepted("event", payload, verified=True)


def _check(conn: case_database.Connection, item: SealedItem, keys: Verifier) -> _Accepted:
    payload = _open(bytes(item.inbox_key), bytes(item.sealed), item.kind, item.ref, keys)
    if item.kind == "concern":
        return _check_concern(conn, payload, item, keys)
    if item.kind == "event":
        return _check_event(conn, payload, item, keys)
    raise _Refused("unreadable")


def _store_concern(
    conn: case_database.Connection,
    ref: str,
    payload: dict[str, object],
    actor: str,
    submitter_marks: dict[str, object] | None = None,
    files: SealedFiles | None = None,
) -> None:
    # _check_concern (and accept) checked all three before anything is stored.
    sent_by, body, version = payload["submitter"], payload["concern"], payload["version"]
    assert isinstance(sent_by, dict) and isinstance(body, dict) and isinstance(version, int)
    files = files or SealedFiles()
    submitter = {**sent_by, **(submitter_marks or {})}
    if files.refused:
        # Said on the concern (the view shows it) and in the audit log: never dropped unseen.
        submitter["attachments_not_kept"] = [
            {"file_name": f.file_name, "sha256": f.sha256, "reason": f.reason}
            for f in files.refused
        ]
    concern_id = case_records.insert_concern(
        conn,
        ref=ref,
        submitted_at=str(payload["submitted_at"]),
        submitter=submitter,
        format_version=CONCERN_FORMAT_VERSION if version == WITH_FILES_VERSION else version,
        body=dict(body),
    )
    stored = case_records.get_concern(conn, ref)
    assert stored is not None  # stored just now
    suggest_links(conn, concern_id, stored.recorded.children)
    audit_log.append(conn, actor, "concern_received", {"ref": ref})
    sent_by_name = str(submitter.get("username") or submitter.get("name") or "")
    for chosen in files.kept:
        intake = chosen.intake
        attachment_id = attachment_records.add(
            conn,
            concern_id=concern_id,
            child_id=None,
            kind=intake.kind,
            file_name=chosen.file_name,
            description="",
            data=intake.data,
            sha256=intake.sha256,
            original_sha256=intake.original_sha256,
            removed=intake.removed,
            added_at=str(payload["submitted_at"]),
            added_by=sent_by_name,
            from_recorder=True,
        )
        audit_log.append(
            conn,
            actor,
            "attachment_added",
            {
                "attachment": attachment_id,
                "ref": ref,
                "child_id": None,
                "kind": intake.kind.value,
                "bytes": len(intake.data),
                "sha256": intake.sha256,
                "original_sha256": intake.original_sha256,
                "removed": list(intake.removed),
                "from_recorder": True,
            },
        )
    for refused in files.refused:
        audit_log.append(conn, actor, "attachment_not_kept", {"ref": ref, "sha256": refused.sha256})


def _same_as_stored(conn: case_database.Connection, ref: str, payload: dict[str, object]) -> bool:
    stored = case_records.get_concern(conn, ref)
    if stored is None:
        return False
    submitter = {k: v for k, v in stored.submitter.items() if k in ("name", "role", "username")}
    return stored.body == payload.get("concern") and submitter == payload.get("submitter")


def ingest(
    store: DataFolder,
    conn: case_database.Connection,
    actor: str,
    *,
    before_sender_checks: bool = False,
) -> Changes:
    """Move every sealed item into the case database or quarantine; returns the
    concerns that arrived and the items kept aside.

    Items are committed in batches (one transaction, one fsync each) and their sealed
    copies are deleted from the inbox only after the batch holding them is committed:
    a crash in between leaves a sealed copy whose record exists, which the next ingest
    recognises (same reference, same content) and simply removes.
    """
    keys = Verifier.of(store, conn, before_sender_checks=before_sender_checks)
    received = Changes()
    after_id = 0
    while True:
        batch = store.inbox.pending(
            limit=INGEST_BATCH, after_id=after_id, max_bytes=INGEST_BATCH_BYTES
        )
        if not batch:
            break
        after_id = batch[-1].item_id
        done: list[int] = []
        with case_records.transaction(conn):
            for item in batch:
                received |= take(conn, item, keys, actor)
                done.append(item.item_id)
        store.inbox.remove(done)
    return received


def take(conn: case_database.Connection, item: SealedItem, keys: Verifier, actor: str) -> Changes:
    """Store or quarantine one item: the new concern, or the item kept aside, if either.

    A savepoint per item: a bug met on one item (anything but a database error, which
    is the disk's or the file's and stops the batch) quarantines that item alone.
    """
    try:
        with case_records.savepoint(conn):
            if item.kind == "concern" and item.ref in keys.deleted():
                # Checked before it is opened: the deleted text is never read again.
                raise _Refused("deleted_at_review")
            accepted = _check(conn, item, keys)
            if accepted.kind == "concern" and case_records.concern_exists(conn, item.ref):
                if not _same_as_stored(conn, item.ref, accepted.payload):
                    raise _Refused("duplicate")
                return Changes()
            if accepted.kind == "concern":
                _store_concern(
                    conn, item.ref, accepted.payload, actor, accepted.marks, accepted.files
                )
                return Changes.of(concerns=[item.ref])
            _append_event(conn, accepted)
            return Changes()
    except _Refused as refused:
        return _quarantine(conn, item, refused, actor)
    except (case_database.DatabaseError, SafeguardError):
        # The disk's or the file's fault (full, read-only, locked: storage_errors told
        # it apart), not the item's: the batch stops and the items stay in the inbox.
        raise
    except Exception:
        # Deliberately broad: a bug met on one item must not stop the items after it.
        # Nothing is swallowed: the traceback is logged and the item is kept, sealed,
        # in quarantine, where Home shows it.
        log.exception("an inbox item could not be taken in; it is kept in quarantine")
        return _quarantine(conn, item, _Refused("unreadable"), actor)


def _append_event(conn: case_database.Connection, accepted: _Accepted) -> None:
    event = accepted.payload["event"]
    assert isinstance(event, dict)
    audit_log.append(
        conn,
        str(event["username"]),
        str(event["type"]),
        {"at": accepted.payload["submitted_at"], "via": "inbox", "verified": accepted.verified},
    )


def _quarantine(
    conn: case_database.Connection, item: SealedItem, refused: _Refused, actor: str
) -> Changes:
    log.warning("an inbox item was quarantined: %s", refused.reason)
    # A deleted concern's sealed copy is not kept: the inbox key would open it again.
    keep = refused.reason != "deleted_at_review"
    item_id = quarantine_records.add(
        conn,
        ref=str(item.ref),
        kind=str(item.kind),
        said_sent_at=str(item.submitted_at),
        reason=refused.reason,
        detail=refused.detail,
        inbox_key=bytes(item.inbox_key) if keep else b"",
        sealed=bytes(item.sealed) if keep else b"",
    )
    audit_log.append(
        conn,
        actor,
        "inbox_item_quarantined",
        {"quarantine_id": item_id, "ref": str(item.ref)[:64], "reason": refused.reason},
    )
    return Changes.of(inbox_items=[item_id])


def quarantine_file(
    conn: case_database.Connection,
    *,
    name: str,
    said_sent_at: str,
    reason: str,
    data: bytes,
    actor: str,
    detail: str = "",
    file_sha256: str | None = None,
) -> Changes:
    """Keep a file from the stations' drop folder that could not be opened as a sealed
    item (services/stations.py moves the file itself to the folder's quarantine): its
    name, never its content, is what Home shows."""
    log.warning("a drop folder file was quarantined: %s", reason)
    item_id = quarantine_records.add(
        conn,
        ref=name[:64],
        kind="file",
        said_sent_at=said_sent_at,
        reason=reason,
        detail=detail[:120],
        inbox_key=b"",
        sealed=data,
        file_sha256=file_sha256,
    )
    audit_log.append(
        conn,
        actor,
        "inbox_item_quarantined",
        {"quarantine_id": item_id, "ref": name[:64], "reason": reason},
    )
    return Changes.of(inbox_items=[item_id])


# What a DSL does with quarantined items -------------------------------------------


@dataclass(frozen=True)
class QuarantineEntry:
    """One item that could not be accepted, as Home shows it."""

    item_id: int
    ref: str
    kind: str
    arrived_at: str
    reason: str
    sentence: str
    can_accept: bool


def quarantined(conn: case_database.Connection) -> list[QuarantineEntry]:
    return [_entry(item) for item in quarantine_records.unresolved(conn)]


def _entry(item: QuarantinedItem) -> QuarantineEntry:
    return QuarantineEntry(
        item_id=item.item_id,
        ref=item.ref,
        kind=item.kind,
        arrived_at=item.arrived_at,
        reason=item.reason,
        sentence=reason_sentence(item.reason, item.detail),
        can_accept=item.kind == "concern" and item.reason in ACCEPTABLE,
    )


def _unresolved(conn: case_database.Connection, item_id: int) -> QuarantinedItem:
    item = quarantine_records.get(conn, item_id)
    if item is None or item.resolved_at is not None:
        raise BadInput("That item is no longer waiting in quarantine.", field="item")
    return item


def accept(store: DataFolder, conn: case_database.Connection, item_id: int, actor: str) -> Changes:
    """Accept a quarantined concern whose only fault is who sent it; its reference is the
    one concern in what it returns.

    It is stored marked as unverified (with who accepted it), so the concern view and
    its referral say its sender could not be confirmed.
    """
    keys = Verifier.of(store, conn)
    with case_records.transaction(conn):
        item = _unresolved(conn, item_id)
        if item.kind != "concern" or item.reason not in ACCEPTABLE:
            raise NotPermitted(
                "Only a concern whose sender could not be confirmed can be accepted; "
                "this item cannot be opened or checked."
            )
        payload = _open(item.inbox_key, item.sealed, item.kind, item.ref, keys)
        try:
            Concern.from_json(payload.get("concern"), now=datetime.now())
            files = _sealed_files(payload)
        except (BadInput, ValueError, TypeError, _Refused):
            raise NotPermitted("This item does not hold a whole concern.") from None
        if item.ref in retention_records.deleted_concern_refs(conn):
            raise NotPermitted(
                "This concern was deleted with a child's file at its retention review, so it "
                "cannot be taken in again; set it aside."
            )
        if case_records.concern_exists(conn, item.ref):
            raise BadInput(
                f"A concern with the reference {item.ref} has already been received.",
                field="item",
            )
        _store_concern(
            conn,
            item.ref,
            payload,
            actor,
            {"unverified": True, "accepted_by": actor, "quarantine_reason": item.reason},
            files,
        )
        quarantine_records.resolve(conn, item.item_id, actor, "accepted")
        audit_log.append(
            conn,
            actor,
            "quarantine_accepted",
            {"quarantine_id": item.item_id, "ref": item.ref, "reason": item.reason},
        )
    return Changes.of(concerns=[item.ref], inbox_items=[item.item_id])


def set_aside(conn: case_database.Connection, item_id: int, note: str, actor: str) -> Changes:
    """Mark an item dealt with (it stays in the database); ``note`` says why."""
    note = checked_set_aside_note(note)
    with case_records.transaction(conn):
        item = _unresolved(conn, item_id)
        quarantine_records.resolve(conn, item.item_id, actor, note)
        audit_log.append(
            conn,
            actor,
            "quarantine_set_aside",
            {"quarantine_id": item.item_id, "ref": item.ref, "reason": item.reason},
        )
    return Changes.of(inbox_items=[item.item_id])


# Linking suggestions ---------------------------------------------------------------


def suggest_links(
    conn: case_database.Connection, concern_id: int, children: tuple[Child, ...]
) -> None:
    """Note, for each child a concern names, the child record it most looks like (if any)."""
    for position, named in enumerate(children):
        child = concern_child(named)
        candidates = children_records.match_candidates(conn, child.name, child.date_of_birth)
        best = suggest_matches(child, candidates, limit=1)
        if best:
            children_records.set_suggestion(conn, concern_id, position, best[0].child_id)


def concern_child(named: Child) -> ConcernChild:
    """A child as a concern names them, as matching against child records reads it."""
    return ConcernChild(
        name=named.name,
        date_of_birth=named.date_of_birth,
        approximate_age=named.approximate_age,
        group=named.group,
        additional_needs=named.additional_needs,
    )
