"""The data folder as opened: vault.json read, inbox.db at hand, the accounts it names.

Everything below signing in reads the folder through this class: the sessions, sealing
(services/recording.py), ingest and the vault checks. It sits below them and below
services/store.py, which adds signing in (and so builds the sessions), so none of them
needs to import the module that builds sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Self

from ..domain.organisation import Organisation, Role
from ..security import device_secret
from ..security.kdf import KdfParams
from ..storage.atomic_file import clear_temporaries
from ..storage.case_database import CASES_NAME
from ..storage.file_modes import restrict_data_folder
from ..storage.sealed_inbox import INBOX_NAME, SealedInbox
from ..storage.vault_file import (
    IDLE_LOCK_RANGE,
    VAULT_NAME,
    UserRecord,
    Vault,
    read_vault,
    write_vault,
)


@dataclass(frozen=True)
class UserInfo:
    """An account as the screens show it: names and role, never its key slot."""

    username: str
    display_name: str
    role: Role
    # When the account was suspended (services/session.py), or None.
    suspended_at: str | None = None

    @property
    def suspended(self) -> bool:
        return self.suspended_at is not None

    @classmethod
    def of(cls, record: UserRecord) -> UserInfo:
        return cls(record.username, record.display_name, record.role, record.suspended_at)


class DataFolder:
    """A data folder holding vault.json, cases.db and inbox.db, as opened.

    Signing in to it is services/store.py's ``Store``, a DataFolder too; a session
    holds the DataFolder it was opened from.
    """

    def __init__(self, data_dir: Path, vault: Vault) -> None:
        self.data_dir = data_dir
        self.vault = vault
        self.inbox = SealedInbox(data_dir / INBOX_NAME)

    @staticmethod
    def exists(data_dir: Path) -> bool:
        """True when ``data_dir`` holds a store: its settings file, or records whose
        settings file is missing (opening says so; setting up again would not help)."""
        return (data_dir / VAULT_NAME).exists() or (data_dir / CASES_NAME).exists()

    @classmethod
    def open(cls, data_dir: Path) -> Self:
        # A store made by an earlier version is readable by every account on the PC.
        restrict_data_folder(data_dir, (VAULT_NAME, CASES_NAME, INBOX_NAME))
        # What a process killed mid-write left: an older vault, slots and all (an old
        # password would open one). Once per opening, not on every write's hot path.
        clear_temporaries(data_dir / VAULT_NAME)
        return cls(data_dir, read_vault(data_dir))

    def reload(self) -> None:
        self.vault = read_vault(self.data_dir)

    def save_vault(self, vault: Vault) -> None:
        """Write a vault whose signed part is unchanged (a recorder's own password, the
        end of a key rotation). Anything else is signed by a CaseSession."""
        if self.vault.is_signed_format and vault.signed_bytes() != self.vault.signed_bytes():
            raise RuntimeError("a change to the signed part of vault.json needs the vault key")
        write_vault(self.data_dir, vault)
        self.vault = vault

    def new_slot_kdf(self) -> KdfParams:
        """The cost for a new or reset password: never below the fixed minimum.

        Taken from the (verified) vault's setting; a store from before it existed uses
        the strongest cost among its slots that meets the minimum.
        """
        chosen = self.vault.new_slot_kdf
        if chosen is not None and chosen.meets_minimum():
            return chosen
        strong = [s.kdf for s in self.vault.slots if s.kdf.meets_minimum()]
        return max(strong, key=lambda k: (k.memory_kib, k.iterations)) if strong else KdfParams()

    # What the login page needs ------------------------------------------------

    @property
    def organisation(self) -> Organisation:
        return self.vault.organisation

    @property
    def idle_lock_minutes(self) -> int:
        low, high = IDLE_LOCK_RANGE
        return min(high, max(low, self.vault.idle_lock_minutes))

    @cached_property
    def device_secret_status(self) -> device_secret.DeviceSecretStatus:
        return device_secret.probe()

    def users(self) -> list[UserInfo]:
        return [UserInfo.of(u) for u in self.vault.users]

    def device_secret(self) -> bytes | None:
        """This PC's device secret for the store, or None when passwords alone are used."""
        if not any(s.device_bound for s in self.vault.slots):
            return None
        return device_secret.get_device_secret(self.vault.vault_id)

    def new_slot_device_secret(self) -> bytes | None:
        """The device secret new password slots should be bound to."""
        return device_secret.get_device_secret(self.vault.vault_id)
