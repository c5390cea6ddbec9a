"""vault.json: format version, organisation, users, key slots, inbox public key.

It holds no secret: key slots are wrapped, the inbox key is public. It is
read strictly, and a file that does not parse is reported by name and never
rewritten to "repair" it.

Version 2 is signed with the organisation's vault key (security/vault_signing.py).
The signature covers everything a session relies on (:meth:`Vault.signed_bytes`): the
organisation, contacts, settings, inbox key, users, each slot's identity, public key
and cost, the cost for new slots and a generation number that grows with each change
of them. It leaves out what a recorder rewrites when changing their own password (a
slot's salt and wrapped key, which authenticate themselves) and what only the
database key opens (sealed keys, the rotation marker). The audit log's anchor has a
signature of its own (:meth:`Vault.anchor_bytes`): it moves after every write, and an
edit to the settings must not also throw away the anchor that catches an older
cases.db. This module only reads and writes; who must have signed, and what to do when
a check fails, is services/.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..domain.errors import SafeguardError, StoreDamaged, StoreMissing, StoreTooNew
from ..domain.organisation import LocalContacts, Organisation, OrgType, Role
from ..security.kdf import KdfParams
from ..security.key_slots import KeySlot
from .atomic_file import write_atomically
from .case_database import CASES_NAME
from .regular_file import Problem, UnreadableFile, read_regular_file
from .storage_errors import file_errors_told

VAULT_NAME = "vault.json"
FORMAT = "safeguard-desktop-vault"
FORMAT_VERSION = 2
LEGACY_FORMAT_VERSION = 1  # unsigned; read, upgraded at the next DSL or admin sign-in
DEFAULT_IDLE_LOCK_MINUTES = 5
IDLE_LOCK_RANGE = (1, 60)
# A settings file holds a few kilobytes for each account; this is far above any real one.
MAX_VAULT_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class AuditAnchor:
    """The audit log's head as last seen by a session: a copy outside cases.db."""

    seq: int
    hash: str
    at: str

    def to_json(self) -> dict[str, object]:
        return {"seq": self.seq, "hash": self.hash, "at": self.at}

    @classmethod
    def from_json(cls, data: object) -> AuditAnchor:
        if not isinstance(data, dict):
            raise ValueError("malformed audit anchor")
        seq, digest, at = data["seq"], data["hash"], data["at"]
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValueError("malformed audit anchor sequence")
        if not isinstance(digest, str) or len(digest) != 64 or not isinstance(at, str):
            raise ValueError("malformed audit anchor")
        return cls(seq=seq, hash=digest, at=at)


@dataclass(frozen=True)
class UserRecord:
    user_id: str
    username: str
    display_name: str
    role: Role
    created_at: str
    slot_id: str
    # When the account was suspended (an allegation about the adult, KCSIE Part 4), or
    # None. Signed like the rest of the record, so it cannot be edited away in the file.
    suspended_at: str | None = None

    @property
    def suspended(self) -> bool:
        return self.suspended_at is not None

    def to_json(self) -> dict[str, object]:
        body: dict[str, object] = {
            "id": self.user_id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role.value,
            "created_at": self.created_at,
            "slot_id": self.slot_id,
        }
        # Written only when set: a vault with no suspension signs the same bytes as
        # before the field existed, so every signature made earlier stays good.
        if self.suspended_at is not None:
            body["suspended_at"] = self.suspended_at
        return body

    @classmethod
    def from_json(cls, data: dict[str, object]) -> UserRecord:
        suspended_at = data.get("suspended_at")
        if suspended_at is not None and not isinstance(suspended_at, str):
            raise ValueError("malformed suspension")
        return cls(
            user_id=str(data["id"]),
            username=str(data["username"]),
            display_name=str(data["display_name"]),
            role=Role(str(data["role"])),
            created_at=str(data["created_at"]),
            slot_id=str(data["slot_id"]),
            suspended_at=suspended_at,
        )


@dataclass(frozen=True)
class Vault:
    vault_id: str
    created_at: str
    organisation: Organisation
    idle_lock_minutes: int
    inbox_public_key: bytes
    users: tuple[UserRecord, ...]
    slots: tuple[KeySlot, ...]
    # The previous database key, encrypted under the current one, while a key
    # rotation is under way: lets the next unlock finish a rotation a crash cut short.
    rekey_from: bytes | None = None
    extra: dict[str, object] = field(default_factory=dict)
    # Version 2: signed. Zero, None and None for a version 1 file.
    generation: int = 0
    vault_key: bytes | None = None  # the public half; which key *must* sign is pinned elsewhere
    signature: bytes | None = None
    audit_anchor: AuditAnchor | None = None
    anchor_signature: bytes | None = None
    new_slot_kdf: KdfParams | None = None  # the cost for new and reset passwords

    def user(self, username: str) -> UserRecord | None:
        wanted = username.strip().casefold()
        return next((u for u in self.users if u.username.casefold() == wanted), None)

    def slot(self, slot_id: str) -> KeySlot | None:
        return next((s for s in self.slots if s.slot_id == slot_id), None)

    def recovery_slot(self) -> KeySlot | None:
        return next((s for s in self.slots if s.kind == "recovery"), None)

    def with_changes(self, **changes: object) -> Vault:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_signed_format(self) -> bool:
        return self.signature is not None and self.vault_key is not None

    def policy_view(self) -> dict[str, object]:
        """What a session relies on, as plain JSON: compared with the database's copy."""
        org = self.organisation
        return {
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "organisation": {
                "name": org.name,
                "type": org.org_type.value,
                "allow_guests": org.allow_guests,
            },
            "contacts": org.contacts.to_json(),
            "settings": {"idle_lock_minutes": self.idle_lock_minutes},
            "inbox_public_key": _b64(self.inbox_public_key),
            "new_slot_kdf": self.new_slot_kdf.to_json() if self.new_slot_kdf else None,
            "users": [u.to_json() for u in self.users],
            "slots": [
                {
                    "id": s.slot_id,
                    "kind": s.kind,
                    "user_id": s.user_id,
                    "public_key": _b64(s.public_key),
                    "kdf": s.kdf.to_json(),
                }
                for s in self.slots
            ],
        }

    def signed_bytes(self) -> bytes:
        """The exact bytes the vault key signs."""
        body = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "generation": self.generation,
            "vault_key": _b64(self.vault_key) if self.vault_key else None,
            "policy": self.policy_view(),
        }
        return _canonical(body)

    def anchor_bytes(self) -> bytes:
        """The exact bytes the anchor's own signature covers."""
        return _canonical(
            {
                "format": FORMAT,
                "what": "audit anchor",
                "vault_id": self.vault_id,
                "generation": self.generation,
                "audit_anchor": self.audit_anchor.to_json() if self.audit_anchor else None,
            }
        )

    def to_json(self) -> dict[str, object]:
        policy = self.policy_view()
        body: dict[str, object] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "generation": self.generation,
            "organisation": policy["organisation"],
            "contacts": policy["contacts"],
            "settings": policy["settings"],
            "inbox_public_key": policy["inbox_public_key"],
            "new_slot_kdf": policy["new_slot_kdf"],
            "users": policy["users"],
            "slots": [s.to_json() for s in self.slots],
            "rekey_from": _b64(self.rekey_from) if self.rekey_from else None,
            "audit_anchor": self.audit_anchor.to_json() if self.audit_anchor else None,
            "vault_key": _b64(self.vault_key) if self.vault_key else None,
            "signature": _b64(self.signature) if self.signature else None,
            "anchor_signature": _b64(self.anchor_signature) if self.anchor_signature else None,
            **self.extra,
        }
        body["checksum"] = _checksum(body)
        return body


def replace_user_slot(vault: Vault, record: UserRecord, slot: KeySlot) -> Vault:
    """The vault with ``record``'s password slot replaced by ``slot``."""
    users = tuple(
        replace(u, slot_id=slot.slot_id) if u.user_id == record.user_id else u for u in vault.users
    )
    slots = (*(s for s in vault.slots if s.slot_id != record.slot_id), slot)
    return vault.with_changes(users=users, slots=slots)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def differences(trusted: Vault, found: Vault) -> list[str]:
    """What differs between two vaults' policy views, each in a few plain words.

    Names settings and account names only, never a value that could be a secret.
    """
    changed: list[str] = []
    a, b = trusted.organisation, found.organisation
    if trusted.vault_id != found.vault_id:
        changed.append("the store's identity")
    if a.name != b.name:
        changed.append("the organisation's name")
    if a.org_type is not b.org_type:
        changed.append("the kind of organisation")
    if a.allow_guests != b.allow_guests:
        changed.append("whether people without an account may record")
    old_contacts, new_contacts = a.contacts.to_json(), b.contacts.to_json()
    for key in old_contacts:
        if old_contacts[key] != new_contacts.get(key):
            changed.append(f"the contact number for {_CONTACT_WORDS.get(key, key)}")
    if trusted.idle_lock_minutes != found.idle_lock_minutes:
        changed.append("how soon the app locks itself")
    if trusted.inbox_public_key != found.inbox_public_key:
        changed.append("the key new concerns are sealed to")
    if trusted.new_slot_kdf != found.new_slot_kdf:
        changed.append("how strongly new passwords are protected")
    old_users = {u.user_id: u for u in trusted.users}
    new_users = {u.user_id: u for u in found.users}
    for user_id, user in new_users.items():
        before = old_users.get(user_id)
        if before is None:
            changed.append(f"an account “{user.username}” was added")
        elif before.suspended and not user.suspended:
            changed.append(f"the account “{before.username}” was reinstated")
        elif before.to_json() != user.to_json():
            changed.append(f"the account “{before.username}” was changed")
    for user_id, user in old_users.items():
        if user_id not in new_users:
            changed.append(f"the account “{user.username}” was removed")
    old_slots = {s.slot_id: s for s in trusted.slots}
    new_slots = {s.slot_id: s for s in found.slots}
    for slot_id in old_slots.keys() | new_slots.keys():
        before_slot, after_slot = old_slots.get(slot_id), new_slots.get(slot_id)
        if before_slot is None or after_slot is None:
            what = "added" if before_slot is None else "removed"
            changed.append(f"a password or recovery key entry was {what}")
        elif (before_slot.kind, before_slot.user_id, before_slot.public_key) != (
            after_slot.kind,
            after_slot.user_id,
            after_slot.public_key,
        ):
            changed.append("a password or recovery key entry was replaced")
        elif before_slot.kdf != after_slot.kdf:
            changed.append("how strongly a password is protected")
        elif before_slot != after_slot and not is_recorders_own(trusted, before_slot):
            changed.append(_slot_words(trusted, before_slot))
    # One sentence per kind of change, in the order found.
    return list(dict.fromkeys(changed))


def is_recorders_own(vault: Vault, slot: KeySlot) -> bool:
    """True when ``slot`` is a recorder's password slot in ``vault``.

    Only a recorder rewrites a slot outside a signed change (their own password, which
    a recorder's session holds no vault key to sign): its salt and wrapping
    authenticate themselves. Every other slot (the recovery key's, a lead's or an
    administrator's) changes only with a signed change, so the records' copy of it is
    the one to use, byte for byte.
    """
    owner = next((u for u in vault.users if u.slot_id == slot.slot_id), None)
    return slot.kind == "password" and owner is not None and not owner.role.holds_database_key


def _slot_words(vault: Vault, slot: KeySlot) -> str:
    if slot.kind == "recovery":
        return "the recovery key's entry was changed"
    owner = next((u for u in vault.users if u.slot_id == slot.slot_id), None)
    if owner is None:
        return "a password or recovery key entry was changed"
    return f"the password entry of “{owner.username}” was changed"


_CONTACT_WORDS = {
    "front_door": "children's services (front door)",
    "out_of_hours": "the out-of-hours team",
    "lado": "the LADO",
    "police_non_emergency": "the police (non-emergency)",
    "emergency": "emergencies",
    "nspcc_helpline": "the NSPCC helpline",
    "notes": "notes on the contacts",
    "prevent": "the Prevent team (Channel)",
}


def _checksum(data: dict[str, object]) -> str:
    # A flipped byte inside a name or a base64 key often leaves valid JSON; this
    # SHA-256 over the canonical form of everything else catches it on reading.
    # (Damage, not tampering: anyone who can write the file can recompute it.)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _damaged(path: Path) -> StoreDamaged:
    return StoreDamaged(
        f"The file {path} is damaged or incomplete and cannot be read. It has not been "
        "changed. Restore the data folder from your most recent backup.",
        path=str(path),
    )


def parse_vault(raw: bytes, path: Path) -> Vault:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _damaged(path) from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _damaged(path)
    version = data.get("version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise StoreTooNew(
            f"The file {path} was written by a newer version of Safeguard Desktop. "
            "Install the latest version to open these records."
        )
    if version not in (FORMAT_VERSION, LEGACY_FORMAT_VERSION):
        raise _damaged(path)
    checksum = data.pop("checksum", None)
    if checksum != _checksum(data):
        raise _damaged(path)
    try:
        org = data["organisation"]
        settings = data["settings"]
        organisation = Organisation(
            name=str(org["name"]),
            org_type=OrgType(org["type"]),
            allow_guests=bool(org["allow_guests"]),
            contacts=LocalContacts.from_json(data["contacts"]),
        )
        rekey = data.get("rekey_from")
        known = {
            "format",
            "version",
            "vault_id",
            "created_at",
            "organisation",
            "contacts",
            "settings",
            "inbox_public_key",
            "users",
            "slots",
            "rekey_from",
            "generation",
            "new_slot_kdf",
            "audit_anchor",
            "vault_key",
            "signature",
            "anchor_signature",
        }
        signed = version == FORMAT_VERSION
        generation = data.get("generation", 0) if signed else 0
        if not isinstance(generation, int) or isinstance(generation, bool) or generation < 0:
            raise ValueError("malformed generation")
        anchor = data.get("audit_anchor") if signed else None
        new_slot_kdf = data.get("new_slot_kdf") if signed else None
        if new_slot_kdf is not None and not isinstance(new_slot_kdf, dict):
            raise ValueError("malformed cost for new passwords")
        vault_key = _optional_b64(data.get("vault_key"), 32) if signed else None
        signature = _optional_b64(data.get("signature"), 64) if signed else None
        anchor_signature = _optional_b64(data.get("anchor_signature"), 64) if signed else None
        vault = Vault(
            vault_id=str(data["vault_id"]),
            created_at=str(data["created_at"]),
            organisation=organisation,
            idle_lock_minutes=int(settings["idle_lock_minutes"]),
            inbox_public_key=base64.b64decode(data["inbox_public_key"], validate=True),
            users=tuple(UserRecord.from_json(u) for u in data["users"]),
            slots=tuple(KeySlot.from_json(s) for s in data["slots"]),
            rekey_from=base64.b64decode(rekey, validate=True) if rekey else None,
            extra={k: v for k, v in data.items() if k not in known},
            generation=generation,
            vault_key=vault_key,
            signature=signature,
            audit_anchor=AuditAnchor.from_json(anchor) if anchor is not None else None,
            anchor_signature=anchor_signature,
            new_slot_kdf=KdfParams.from_json(new_slot_kdf) if new_slot_kdf else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise _damaged(path) from err
    if len(vault.inbox_public_key) != 32 or not vault.users or vault.recovery_slot() is None:
        raise _damaged(path)
    return vault


def _optional_b64(value: object, length: int) -> bytes | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("expected base64 text")
    raw = base64.b64decode(value, validate=True)
    if len(raw) != length:
        raise ValueError("a key or signature of the wrong length")
    return raw


def parse_vault_json(text: str) -> Vault:
    """A vault from the JSON kept inside the case database (no path, so no file name)."""
    return parse_vault(text.encode("utf-8"), Path(VAULT_NAME))


def vault_json(vault: Vault) -> str:
    return json.dumps(vault.to_json(), indent=2, sort_keys=False, ensure_ascii=False)


def read_vault(data_dir: Path) -> Vault:
    """vault.json as found in ``data_dir``; raises StoreMissing, StoreDamaged, StoreTooNew.

    Read as a regular file, up to MAX_VAULT_BYTES: a FIFO or a link to a device put in
    its place is refused at once, never waited on or read without end.
    """
    path = data_dir / VAULT_NAME
    try:
        raw = read_regular_file(path, MAX_VAULT_BYTES)
    except UnreadableFile as problem:
        raise _unreadable(problem, path, data_dir) from None
    except OSError as err:
        raise _cannot_open(path, err.strerror) from err
    return parse_vault(raw, path)


def _unreadable(problem: UnreadableFile, path: Path, data_dir: Path) -> SafeguardError:
    """Why vault.json was not read, as one sentence saying what to do."""
    match problem.problem:
        case Problem.MISSING if (data_dir / CASES_NAME).exists():
            return StoreDamaged(
                f"The settings file {path} is missing, though the records beside it are "
                "still there; put back vault.json from a copy of this folder, or restore "
                "your most recent backup.",
                path=str(path),
            )
        case Problem.MISSING:
            return StoreMissing(
                f"There is no Safeguard Desktop store in {data_dir} yet. Run the first-time "
                "setup, or restore a backup into this folder."
            )
        case Problem.NOT_REGULAR | Problem.FOLDER:
            what = "a folder" if problem.problem is Problem.FOLDER else problem.kind
            return StoreDamaged(
                f"The settings file {path} is {what}, not a file saved on disk, so it was "
                "not read and nothing was changed; restore the data folder from your most "
                "recent backup.",
                path=str(path),
            )
        case Problem.TOO_BIG:
            return StoreDamaged(
                f"The settings file {path} is far larger than a settings file can be, so "
                "it was not read and nothing was changed; restore the data folder from "
                "your most recent backup.",
                path=str(path),
            )
        case _:
            return _cannot_open(path, problem.detail or problem.problem.value)


def _cannot_open(path: Path, why: str | None) -> StoreDamaged:
    return StoreDamaged(
        f"The file {path} cannot be opened ({why}). Check that the folder is on this PC "
        "and that you may read it.",
        path=str(path),
    )


def write_vault(data_dir: Path, vault: Vault) -> None:
    """Replace vault.json whole. A disk that is full, read-only or failing is said so
    (storage/storage_errors.py), and the old file stays exactly as it was."""
    path = data_dir / VAULT_NAME
    with file_errors_told(path, "the settings file"):
        write_atomically(path, vault_json(vault).encode("utf-8") + b"\n")
