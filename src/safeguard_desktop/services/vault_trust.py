"""Which vault.json to believe, and what to say when the data folder was changed.

Anyone who shares the PC's OS account can edit vault.json, swap cases.db for an
older copy, or seal forged items into inbox.db. This module holds the checks that
stop those edits from being used (docs/SECURITY.md lists each attack and its test):

- **Signing.** Every vault a DSL or administrator session writes is signed with the
  organisation's vault key, whose private half is inside cases.db.
- **Recorders and guests** check that signature against the key pinned in their own
  password slot (or, for guests, kept in the OS credential store) before sealing;
  an older signed vault is caught by the generation kept in the credential store.
- **DSL and administrator sign-in** compares vault.json with the copy inside cases.db
  and uses the database's values; what differs is named in an alarm.
- **Rollback.** The audit log's head is anchored in the signed vault and the OS
  credential store; a database whose log is behind (or beside) its anchor opens
  read-only.

No Qt, no SQL: storage/ reads and writes, this decides.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..domain.date_words import local, long_date
from ..domain.errors import SafeguardError, StoreTampered
from ..security import device_secret, vault_signing
from ..storage import audit_log, vault_copy
from ..storage.case_database import Connection
from ..storage.vault_file import (
    AuditAnchor,
    Vault,
    differences,
    is_recorders_own,
    parse_vault_json,
    read_vault,
    vault_json,
)

if TYPE_CHECKING:
    from ..security.key_slots import KeySlot, OpenedSlot
    from .data_folder import DataFolder

log = logging.getLogger(__name__)

# Notes kept in the OS credential store beside the device secret.
NOTE_VAULT_KEY = "vault-key"
NOTE_ANCHOR = "anchor"
NOTE_LAST_BACKUP = "last-backup"

SETTINGS_CHANGED = (
    "The organisation's settings on this PC were changed outside Safeguard Desktop; "
    "nothing was sent. Tell your safeguarding lead."
)


def sign(vault: Vault, private_key: bytes, anchor: AuditAnchor | None, generation: int) -> Vault:
    """``vault`` with the given anchor and generation, signed with the vault key (both
    the settings' signature and the anchor's own)."""
    unsigned = replace(
        vault,
        generation=generation,
        vault_key=vault_signing.public_of(private_key),
        audit_anchor=anchor,
        signature=None,
        anchor_signature=None,
    )
    return replace(
        unsigned,
        signature=vault_signing.sign(private_key, unsigned.signed_bytes()),
        anchor_signature=vault_signing.sign(private_key, unsigned.anchor_bytes()),
    )


def sign_anchor(vault: Vault, private_key: bytes, anchor: AuditAnchor) -> Vault:
    """``vault`` as it is (its settings' signature untouched), with a new signed anchor.

    Used while a settings alarm waits for the lead: the file keeps what someone wrote
    into it (so the alarm stays until they decide), but the anchor keeps moving.
    """
    moved = replace(vault, audit_anchor=anchor, anchor_signature=None)
    return replace(moved, anchor_signature=vault_signing.sign(private_key, moved.anchor_bytes()))


def anchor_valid(vault: Vault, public_key: bytes) -> bool:
    """True when ``vault``'s audit anchor carries ``public_key``'s signature."""
    if vault.audit_anchor is None or vault.anchor_signature is None:
        return False
    return vault_signing.verify(public_key, vault.anchor_bytes(), vault.anchor_signature)


def signature_valid(vault: Vault, public_key: bytes) -> bool:
    """True when ``vault`` is signed, by exactly ``public_key``."""
    if not vault.is_signed_format or vault.vault_key != public_key or vault.signature is None:
        return False
    return vault_signing.verify(public_key, vault.signed_bytes(), vault.signature)


# Outside the folder: the OS credential store ------------------------------------


@dataclass(frozen=True)
class KeptAnchor:
    """What the credential store remembers: the newest vault and audit head seen."""

    generation: int
    anchor: AuditAnchor


def pinned_vault_key(vault_id: str) -> bytes | None:
    note = device_secret.read_note(vault_id, NOTE_VAULT_KEY)
    try:
        key = bytes.fromhex(note) if note else None
    except ValueError:
        return None
    return key if key is not None and len(key) == vault_signing.KEY_BYTES else None


def kept_anchor(vault_id: str) -> KeptAnchor | None:
    note = device_secret.read_note(vault_id, NOTE_ANCHOR)
    if not note:
        return None
    try:
        data = json.loads(note)
        generation = data["generation"]
        if not isinstance(generation, int) or isinstance(generation, bool):
            return None
        return KeptAnchor(generation, AuditAnchor.from_json(data["anchor"]))
    except (ValueError, KeyError, TypeError):
        log.info("the credential store's audit anchor is unreadable; ignored")
        return None


def keep_anchor_outside(vault_id: str, generation: int, anchor: AuditAnchor) -> None:
    """Move only the credential store's anchor forward (never back)."""
    kept = kept_anchor(vault_id)
    if kept is not None and kept.anchor.seq > anchor.seq:
        return
    device_secret.write_note(
        vault_id,
        NOTE_ANCHOR,
        json.dumps(
            {
                "generation": max(generation, kept.generation if kept else 0),
                "anchor": anchor.to_json(),
            }
        ),
    )


def keep_outside(vault: Vault) -> None:
    """Copy the vault key, generation and audit anchor to the OS credential store.

    Never moves the kept anchor backwards: a lower one is ignored here, and only an
    administrator's explicit decision (accepting an older copy) may lower it.
    """
    if vault.vault_key is None or vault.audit_anchor is None:
        return
    kept = kept_anchor(vault.vault_id)
    if kept is not None and (
        kept.anchor.seq > vault.audit_anchor.seq or kept.generation > vault.generation
    ):
        return
    device_secret.write_note(vault.vault_id, NOTE_VAULT_KEY, vault.vault_key.hex())
    device_secret.write_note(
        vault.vault_id,
        NOTE_ANCHOR,
        json.dumps({"generation": vault.generation, "anchor": vault.audit_anchor.to_json()}),
    )


def lower_kept_anchor(vault: Vault) -> None:
    """After an administrator accepted an older copy: the kept anchor follows it down."""
    if vault.vault_key is None or vault.audit_anchor is None:
        return
    device_secret.write_note(
        vault.vault_id,
        NOTE_ANCHOR,
        json.dumps({"generation": vault.generation, "anchor": vault.audit_anchor.to_json()}),
    )


# Recorders and guests -------------------------------------------------------------


def check_before_sealing(store: DataFolder, pinned: bytes | None) -> None:
    """Raise StoreTampered unless vault.json is one a DSL or administrator signed.

    ``pinned``: the vault key from the recorder's own password slot; None for a guest
    (and for a slot older than pinning), when the copy in the OS credential store is
    used. Where neither exists (a store not yet upgraded, or a guest on a PC with no
    credential store) there is nothing to check against; docs/SECURITY.md says so.
    """
    vault = store.vault
    key = pinned if pinned is not None else pinned_vault_key(vault.vault_id)
    if key is None:
        if vault.is_signed_format and store.device_secret_status.usable:
            # This PC has a credential store and the vault says it was signed, yet the
            # store holds no key: the note was removed, or vault.json came from elsewhere.
            log.warning("vault.json is signed but this PC keeps no vault key to check it")
        return
    if not signature_valid(vault, key):
        log.warning("vault.json failed its signature check; nothing sealed")
        raise StoreTampered(SETTINGS_CHANGED)
    kept = kept_anchor(vault.vault_id)
    if kept is not None and vault.generation < kept.generation:
        log.warning("vault.json is older than the copy this PC remembers; nothing sealed")
        raise StoreTampered(SETTINGS_CHANGED)


def suspended_since(store: DataFolder, pinned: bytes | None, username: str) -> bool:
    """True when vault.json, read again now and signed with the pinned key, says
    ``username`` is suspended: a lead suspended the account after it signed in.

    The file is only read, never taken in place of what the sign-in checked (a change
    made meanwhile must not change what a concern is sealed to); a file that fails its
    signature is passed over here (the check above already used the one signed in with).
    """
    key = pinned if pinned is not None else pinned_vault_key(store.vault.vault_id)
    if key is None:
        return False
    try:
        current = read_vault(store.data_dir)
    except SafeguardError:
        return False
    record = current.user(username)
    return record is not None and record.suspended and signature_valid(current, key)


# DSL and administrator sign-in ------------------------------------------------------


@dataclass(frozen=True)
class VaultAlarm:
    """vault.json differs from the database's copy (or its signature is broken)."""

    changes: tuple[str, ...]
    older_copy: bool  # a genuine but older vault.json was put back
    # Signed, and newer than the records' copy: a change cut short by a crash, or made
    # by someone who holds the organisation's vault key (a lead who has since left).
    newer_than_records: bool = False

    def sentence(self) -> str:
        if self.newer_than_records:
            start = (
                "The organisation's settings file holds changes the records do not: a "
                "change cut short by a crash, or one made by someone who kept the "
                "organisation's key"
            )
        elif self.older_copy:
            start = "An older copy of this organisation's settings file was put back"
        else:
            start = "The organisation's settings file was changed outside Safeguard Desktop"
        if self.changes:
            what = "; ".join(self.changes)
            return (
                f"{start} ({what}). The app is using the values kept inside the encrypted "
                "records. Put them back in the file, and check who else uses this PC."
            )
        return (
            f"{start}: its seal is broken, though what it says matches the encrypted "
            "records. Put the records' values back in the file, and check who else uses "
            "this PC."
        )


@dataclass(frozen=True)
class RollbackAlarm:
    """The audit log is behind (or beside) the head anchored outside cases.db."""

    anchor: AuditAnchor
    database_seq: int
    database_at: str
    forked: bool
    newest_backup: str = ""  # "file name, made 2 March 2026", where this PC knows it
    # vault.json has no audit anchor signed with the organisation's key (taken out, or
    # changed): what the records should reach cannot be told, so an older copy put back
    # cannot be ruled out. ``anchor`` is then the records' own head.
    unanchored: bool = False

    def _restore(self) -> str:
        if self.newest_backup:
            return f"restore your newest checked backup ({self.newest_backup})"
        return "restore your newest checked backup"

    def sentence(self) -> str:
        anchor_day = _day(self.anchor.at)
        if self.unanchored:
            return (
                "The settings file no longer holds this PC's sealed record of how far these "
                "records had got (it was taken out or changed), so an older copy of the "
                f"records may have been put in place. They are open for reading only; "
                f"{self._restore()}, or ask an administrator to accept these records."
            )
        if self.forked:
            return (
                f"These records are not the ones this PC last saw: entry {self.anchor.seq} "
                f"of the audit log (seen on {anchor_day}) is different here. Another copy "
                f"of the records was put in place. They are open for reading only; "
                f"{self._restore()}, or ask an administrator to accept this copy."
            )
        return (
            f"These records are older than the ones this PC last saw: the audit log ends "
            f"at entry {self.database_seq} ({_day(self.database_at)}), but entry "
            f"{self.anchor.seq} was seen on {anchor_day}. Everything recorded in between "
            f"is missing. They are open for reading only; {self._restore()}, or ask an "
            "administrator to accept this older copy."
        )


def _day(iso: str) -> str:
    """ "6 December 2026, 14:05" in this PC's time: two entries of one day told apart."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return "an unknown date"
    return long_date(local(moment))


@dataclass
class Trust:
    """What a DSL or administrator sign-in established about the data folder."""

    private_key: bytes
    trusted: Vault  # the values the session uses (the database's where they differ)
    copy_generation: int
    vault_alarm: VaultAlarm | None
    rollback: RollbackAlarm | None
    created_key: bool  # an upgraded store got its vault key at this sign-in


class ForeignDatabase(StoreTampered):
    """cases.db does not hold the vault key the signing-in account is pinned to."""


def _foreign(store: DataFolder) -> ForeignDatabase:
    return ForeignDatabase(
        f"The case database in {store.data_dir} does not belong to these accounts: it "
        "was replaced with another store's. Nothing was changed. Restore the data folder "
        "from your most recent backup."
    )


def establish(store: DataFolder, conn: Connection, opened: OpenedSlot) -> Trust:
    """The sign-in checks for a DSL or administrator; raises ForeignDatabase.

    Reads only: the caller records the alarm in the audit log and writes the vault.
    """
    private = vault_copy.signing_key(conn)
    created = private is None
    if private is None:
        # A store from before vault signing: its first DSL or administrator sign-in
        # makes the key. vault.json is taken as it is this once (docs/SECURITY.md).
        private, _ = vault_signing.new_key()
    public = vault_signing.public_of(private)
    if opened.vault_key is not None and opened.vault_key != public:
        raise _foreign(store)
    found = store.vault
    copy_text = vault_copy.vault_copy(conn)
    copy = parse_vault_json(copy_text) if copy_text else None
    signed_ok = signature_valid(found, public)
    alarm: VaultAlarm | None = None
    if copy is None:
        trusted = found
        copy_generation = 0
    else:
        copy_generation = copy.generation
        changes = tuple(differences(copy, found))
        if not changes and signed_ok:
            trusted = found
        else:
            # The records' values win, even over a signed file newer than them: the key
            # that signs may have been copied by a lead who has since left (SECURITY.md).
            trusted = _merge(copy, found)
            newer = signed_ok and found.generation > copy.generation
            # A slot's wrapping is outside the signature: a file that differs only there
            # is signed and of the same generation, yet not an older copy.
            older = signed_ok and found.generation < copy.generation
            alarm = VaultAlarm(changes=changes, older_copy=older, newer_than_records=newer)
    file_anchor = found if anchor_valid(found, public) else None
    # Every vault.json written since these records had a vault key carries an anchor
    # signed with it; one without (taken out, or changed) is tampering, never taken in.
    unanchored = not created and file_anchor is None
    rollback = _rollback(conn, store, file_anchor, copy, unanchored=unanchored)
    return Trust(
        private_key=private,
        trusted=trusted,
        copy_generation=copy_generation,
        vault_alarm=alarm,
        rollback=rollback,
        created_key=created,
    )


def _merge(copy: Vault, found: Vault) -> Vault:
    """The database's copy, with a recorder's password wrapping taken from the file where
    it is the same slot (same id, kind, user, public key, cost): a recorder who changed
    their own password since rewrote only that, and it authenticates itself. Every other
    slot (the recovery key's, a lead's, an administrator's) is the copy's, byte for byte:
    its salt and wrapping change only with a signed change, which updates the copy too."""
    current = {s.slot_id: s for s in found.slots}
    slots = []
    for slot in copy.slots:
        newer = current.get(slot.slot_id)
        if (
            newer is not None
            and is_recorders_own(copy, slot)
            and (newer.kind, newer.user_id, newer.public_key, newer.kdf)
            == (slot.kind, slot.user_id, slot.public_key, slot.kdf)
        ):
            slot = replace(
                slot,
                salt=newer.salt,
                wrapped_private_key=newer.wrapped_private_key,
                device_bound=newer.device_bound,
            )
        slots.append(slot)
    return replace(copy, slots=tuple(slots), rekey_from=found.rekey_from)


def _rollback(
    conn: Connection,
    store: DataFolder,
    anchored_file: Vault | None,
    copy: Vault | None,
    *,
    unanchored: bool,
) -> RollbackAlarm | None:
    """``anchored_file``: vault.json when its anchor's own signature is good, whatever
    became of its settings (an edit to them must not also hide an older cases.db);
    ``copy``: the records' own copy of the vault. ``unanchored``: vault.json should
    have carried a good anchor and did not (an alarm even when no other anchor shows a
    gap). An anchor without its signature is never used: it is anyone's to write."""
    anchors = [v.audit_anchor for v in (anchored_file, copy) if v and v.audit_anchor]
    kept = kept_anchor(store.vault.vault_id)
    if kept is not None:
        anchors.append(kept.anchor)
    head_seq, head_hash = audit_log.head(conn)
    head_at = audit_log.entry_time(conn, head_seq) or ""
    newest_backup = _newest_backup(store.vault.vault_id)
    anchor = max(anchors, key=lambda a: a.seq) if anchors else None
    if anchor is not None and anchor.seq > 0:
        forked = head_seq >= anchor.seq and audit_log.hash_at(conn, anchor.seq) != anchor.hash
        if head_seq < anchor.seq or forked:
            return RollbackAlarm(anchor, head_seq, head_at, forked, newest_backup)
    if unanchored:
        head = AuditAnchor(seq=head_seq, hash=head_hash, at=head_at)
        return RollbackAlarm(head, head_seq, head_at, False, newest_backup, unanchored=True)
    return None


def _newest_backup(vault_id: str) -> str:
    note = device_secret.read_note(vault_id, NOTE_LAST_BACKUP)
    try:
        data = json.loads(note) if note else None
        return f"{data['file']}, made {_day(str(data['made_at']))}" if data else ""
    except (ValueError, KeyError, TypeError):
        return ""


def remember_backup(vault_id: str, file_name: str, made_at: str) -> None:
    """Where the newest checked backup is, kept outside the folder it protects."""
    device_secret.write_note(
        vault_id, NOTE_LAST_BACKUP, json.dumps({"file": file_name, "made_at": made_at})
    )


def recovery_slot(conn: Connection, vault: Vault) -> KeySlot:
    """The recovery key's slot as the records keep it (vault.json's is anyone's to edit:
    a changed salt would make every backup unopenable with the real recovery key);
    ``vault``'s only where the records keep no copy yet (a store from before signing)."""
    text = vault_copy.vault_copy(conn)
    slot = parse_vault_json(text).recovery_slot() if text else None
    slot = slot or vault.recovery_slot()
    assert slot is not None  # parse_vault refuses a vault without one
    return slot


def anchor_now(conn: Connection) -> AuditAnchor:
    seq, digest = audit_log.head(conn)
    return AuditAnchor(seq=seq, hash=digest, at=datetime.now(UTC).isoformat(timespec="seconds"))


def copy_text(vault: Vault) -> str:
    return vault_json(vault)


def password_slots(vault: Vault) -> list[tuple[str, str, str, bytes]]:
    """(slot id, user id, user name, public key) for every account's password slot."""
    users = {u.slot_id: u for u in vault.users}
    found = []
    for slot in vault.slots:
        user = users.get(slot.slot_id)
        if slot.kind == "password" and user is not None:
            found.append((slot.slot_id, user.user_id, user.username, slot.public_key))
    return found
