"""The store: one data folder, opened by reading vault.json, and signing in to it."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import NotPermitted, SafeguardError, WrongCredentials
from ..domain.organisation import Organisation, Role
from ..security import device_secret, key_slots
from ..security.kdf import KdfParams, derive_key
from ..storage.sealed_inbox import INBOX_NAME, SealedInbox
from ..storage.vault_file import VAULT_NAME, UserRecord, Vault, read_vault, write_vault
from . import login_throttle

if TYPE_CHECKING:
    from .session import Session


def replace_user_slot(vault: Vault, record: UserRecord, slot: key_slots.KeySlot) -> Vault:
    """The vault with ``record``'s password slot replaced by ``slot``."""
    users = tuple(
        UserRecord(u.user_id, u.username, u.display_name, u.role, u.created_at, slot.slot_id)
        if u.user_id == record.user_id
        else u
        for u in vault.users
    )
    slots = (*(s for s in vault.slots if s.slot_id != record.slot_id), slot)
    return vault.with_changes(users=users, slots=slots)


log = logging.getLogger(__name__)

UNKNOWN_USER = "(unknown user name)"
WRONG_CREDENTIALS = "The user name or password is not right; check Caps Lock and try again."


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: Role

    @classmethod
    def of(cls, record: UserRecord) -> UserInfo:
        return cls(record.username, record.display_name, record.role)


class Store:
    """A data folder holding vault.json, cases.db and inbox.db."""

    def __init__(self, data_dir: Path, vault: Vault) -> None:
        self.data_dir = data_dir
        self.vault = vault
        self.inbox = SealedInbox(data_dir / INBOX_NAME)

    @staticmethod
    def exists(data_dir: Path) -> bool:
        return (data_dir / VAULT_NAME).exists()

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        return cls(data_dir, read_vault(data_dir))

    def reload(self) -> None:
        self.vault = read_vault(self.data_dir)

    def save_vault(self, vault: Vault) -> None:
        write_vault(self.data_dir, vault)
        self.vault = vault

    # What the login page needs ------------------------------------------------

    @property
    def organisation(self) -> Organisation:
        return self.vault.organisation

    @property
    def idle_lock_minutes(self) -> int:
        return self.vault.idle_lock_minutes

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

    # Signing in ---------------------------------------------------------------

    def _throttle_name(self, username: str) -> str:
        # Only real account names are written down (inbox.db is plain SQLite, and
        # the audit log is read by people): what is typed into the user-name box is
        # sometimes the password. Unknown names share one counter.
        record = self.vault.user(username)
        return record.username if record else UNKNOWN_USER

    def login_delay(self, username: str) -> float:
        failures, last_at = self.inbox.failures(self._throttle_name(username.strip()))
        return login_throttle.seconds_left(failures, last_at)

    def _refuse(self, username: str) -> WrongCredentials:
        name = self._throttle_name(username)
        failures = self.inbox.record_failure(name)
        self._seal_event({"type": "login_failed", "username": name})
        return WrongCredentials(WRONG_CREDENTIALS, retry_after=login_throttle.delay_after(failures))

    def _seal_event(self, event: dict[str, object]) -> None:
        # Failed sign-ins cannot be written to the audit log without the
        # database key, so they are sealed into the inbox and moved into the
        # audit log at the next DSL sign-in.
        from .recording import seal_event

        try:
            seal_event(self, event)
        except SafeguardError:
            log.warning("could not record a failed sign-in in the inbox")

    def login(self, username: str, password: str) -> Session:
        """Open a session for ``username``; slow (Argon2id) by design."""
        from .session import CaseSession, RecorderSession

        username = username.strip()
        wait = self.login_delay(username)
        if wait > 0:
            raise WrongCredentials(
                f"Too many wrong passwords. Please wait {int(wait + 0.999)} seconds and try again.",
                retry_after=wait,
            )
        record = self.vault.user(username)
        slot = self.vault.slot(record.slot_id) if record else None
        if record is None or slot is None:
            # Spend the same time as a real attempt, so timing does not tell
            # which user names exist.
            derive_key(password.encode(), secrets.token_bytes(16), self._typical_kdf())
            raise self._refuse(username)
        secret = None
        if slot.device_bound:
            secret = device_secret.get_device_secret(self.vault.vault_id)
            if secret is None:
                raise SafeguardError(self._device_secret_missing())
        try:
            opened = key_slots.open_slot(slot, password.encode("utf-8"), secret)
        except key_slots.SlotLocked:
            raise self._refuse(username) from None
        self.inbox.clear_failures(username)
        user = UserInfo.of(record)
        if record.role.holds_database_key:
            if opened.db_key is None:
                raise NotPermitted(
                    "This account has not been given access to the records yet. "
                    "Ask the administrator to check it."
                )
            return CaseSession.unlock(self, user, opened)
        return RecorderSession(self, user, opened)

    def _device_secret_missing(self) -> str:
        if not device_secret.probe().usable:
            return (
                "This PC's credential store cannot be reached, and these records need it "
                "with your password; sign in to your desktop session or use the recovery key."
            )
        return (
            "This PC's credential store does not hold the key for these records, so a "
            "password cannot open them here; use the recovery key instead."
        )

    def recover(self, code: str, username: str, new_password: str) -> Session:
        """Give an administrator a new password using the recovery key (slow).

        For a forgotten password, or on a new PC whose credential store lacks the
        device secret: the new password slot is bound to this PC's credential
        store (a new device secret is made there when it has none).
        """
        from ..domain.accounts import validate_password
        from ..security import recovery_key
        from .session import CaseSession

        name = "(recovery key)"
        wait = login_throttle.seconds_left(*self.inbox.failures(name))
        if wait > 0:
            raise WrongCredentials(
                f"Too many wrong recovery keys. Please wait {int(wait + 0.999)} seconds "
                "and try again.",
                retry_after=wait,
            )
        normalised = recovery_key.normalise(code)
        record = self.vault.user(username)
        if record is None or record.role is not Role.ADMIN:
            raise NotPermitted(
                "The recovery key can give a new password only to an administrator account."
            )
        validate_password(new_password, record.role, field="new password")
        slot = self.vault.recovery_slot()
        assert slot is not None  # parse_vault refuses a vault without one
        try:
            opened = key_slots.open_slot(slot, recovery_key.secret_bytes(normalised), None)
        except key_slots.SlotLocked:
            failures = self.inbox.record_failure(name)
            self._seal_event({"type": "recovery_key_failed", "username": record.username})
            raise WrongCredentials(
                "That recovery key does not open these records; check it against the "
                "printed sheet.",
                retry_after=login_throttle.delay_after(failures),
            ) from None
        self.inbox.clear_failures(name)
        assert opened.db_key is not None
        secret = device_secret.get_device_secret(self.vault.vault_id)
        if secret is None and self.device_secret_status.usable:
            try:
                secret = device_secret.create_device_secret(self.vault.vault_id)
            except device_secret.DeviceSecretUnavailable:
                secret = None
        new = key_slots.create_slot(
            kind="password",
            user_id=record.user_id,
            secret=new_password.encode("utf-8"),
            kdf=slot.kdf,
            device_secret=secret,
            db_key=opened.db_key,
        )
        self.save_vault(replace_user_slot(self.vault, record, new.slot))
        session = CaseSession.unlock(self, UserInfo.of(record), new)
        session.record_recovery()
        return session

    def _typical_kdf(self) -> KdfParams:
        return self.vault.slots[0].kdf if self.vault.slots else KdfParams()

    def wait_for_login(self, username: str) -> None:
        """Sleep out the sign-in delay (for the command line)."""
        wait = self.login_delay(username)
        if wait > 0:
            time.sleep(wait)
