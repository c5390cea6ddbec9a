"""vault.json: format version, organisation, users, key slots, inbox public key.

It holds no secret: key slots are wrapped, the inbox key is public. It is
read strictly, and a file that does not parse is reported by name and never
rewritten to "repair" it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..domain.errors import StoreDamaged, StoreMissing, StoreTooNew
from ..domain.organisation import LocalContacts, Organisation, OrgType, Role
from ..security.key_slots import KeySlot
from .atomic_file import write_atomically

VAULT_NAME = "vault.json"
FORMAT = "safeguard-desktop-vault"
FORMAT_VERSION = 1
DEFAULT_IDLE_LOCK_MINUTES = 5


@dataclass(frozen=True)
class UserRecord:
    user_id: str
    username: str
    display_name: str
    role: Role
    created_at: str
    slot_id: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.user_id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role.value,
            "created_at": self.created_at,
            "slot_id": self.slot_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> UserRecord:
        return cls(
            user_id=str(data["id"]),
            username=str(data["username"]),
            display_name=str(data["display_name"]),
            role=Role(str(data["role"])),
            created_at=str(data["created_at"]),
            slot_id=str(data["slot_id"]),
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

    def user(self, username: str) -> UserRecord | None:
        wanted = username.strip().casefold()
        return next((u for u in self.users if u.username.casefold() == wanted), None)

    def slot(self, slot_id: str) -> KeySlot | None:
        return next((s for s in self.slots if s.slot_id == slot_id), None)

    def recovery_slot(self) -> KeySlot | None:
        return next((s for s in self.slots if s.kind == "recovery"), None)

    def with_changes(self, **changes: object) -> Vault:
        return replace(self, **changes)  # type: ignore[arg-type]

    def to_json(self) -> dict[str, object]:
        org = self.organisation
        body: dict[str, object] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "organisation": {
                "name": org.name,
                "type": org.org_type.value,
                "allow_guests": org.allow_guests,
            },
            "contacts": org.contacts.to_json(),
            "settings": {"idle_lock_minutes": self.idle_lock_minutes},
            "inbox_public_key": base64.b64encode(self.inbox_public_key).decode("ascii"),
            "users": [u.to_json() for u in self.users],
            "slots": [s.to_json() for s in self.slots],
            "rekey_from": (
                base64.b64encode(self.rekey_from).decode("ascii") if self.rekey_from else None
            ),
            **self.extra,
        }
        body["checksum"] = _checksum(body)
        return body


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
    if version != FORMAT_VERSION:
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
        }
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
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise _damaged(path) from err
    if len(vault.inbox_public_key) != 32 or not vault.users or vault.recovery_slot() is None:
        raise _damaged(path)
    return vault


def read_vault(data_dir: Path) -> Vault:
    path = data_dir / VAULT_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError as err:
        raise StoreMissing(
            f"There is no Safeguard Desktop store in {data_dir} yet. Run the first-time "
            "setup, or restore a backup into this folder."
        ) from err
    except OSError as err:
        raise StoreDamaged(
            f"The file {path} cannot be opened ({err.strerror}). Check that the folder "
            "is on this PC and that you may read it.",
            path=str(path),
        ) from err
    return parse_vault(raw, path)


def write_vault(data_dir: Path, vault: Vault) -> None:
    text = json.dumps(vault.to_json(), indent=2, sort_keys=False, ensure_ascii=False)
    write_atomically(data_dir / VAULT_NAME, text.encode("utf-8") + b"\n")
