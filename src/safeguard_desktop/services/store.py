"""The store: one data folder, opened by reading vault.json, and signing in to it."""

from __future__ import annotations

import logging
import secrets
import time
from pathlib import Path

from ..domain.accounts import SUSPENDED, validate_password
from ..domain.errors import NotPermitted, SafeguardError, StoreTampered, WrongCredentials
from ..domain.organisation import Role
from ..security import device_secret, key_slots, recovery_key
from ..security.kdf import KdfParams, derive_key
from ..storage import folder_lock
from ..storage.folder_lock import FolderHold as FolderHold
from ..storage.vault_file import Vault
from . import login_throttle, vault_trust
from .data_folder import DataFolder
from .data_folder import UserInfo as UserInfo  # the screens import it from here
from .recording import seal_event
from .session import CaseSession, RecorderSession, Session


def _replace_slot(
    slots: tuple[key_slots.KeySlot, ...], slot: key_slots.KeySlot
) -> tuple[key_slots.KeySlot, ...]:
    return tuple(slot if s.slot_id == slot.slot_id else s for s in slots)


log = logging.getLogger(__name__)

# How long a command-line command waits for the app (or another command) to let go
# of the data folder before it refuses (see hold_data_folder).
COMMAND_LINE_WAIT = 5.0


def hold_data_folder(data_dir: Path, *, command_line: bool = False) -> FolderHold:
    """Hold ``data_dir`` for this process; raises StoreInUse ("already open ... close it
    first") when another copy of the app holds it (storage/folder_lock.py).

    The app holds its folder from start to quit, making it if need be. A command-line
    command holds it while it runs, only where the app has held it before, and waits
    COMMAND_LINE_WAIT seconds for a holder to let go (a closing app, a command finishing):
    the two never write to one store at once, and a script run while the app is open
    is told why in the app's own words.
    """
    if command_line:
        return folder_lock.hold_data_folder(data_dir, wait=COMMAND_LINE_WAIT, create=False)
    return folder_lock.hold_data_folder(data_dir)


WEAKENED_SLOT = (
    "This account's password protection in this PC's settings file is weaker than "
    "Safeguard Desktop ever sets, so it was changed outside the app and is refused. "
    "Tell your safeguarding lead; an administrator can give you a new password."
)
NOT_SET_UP_ON_THIS_PC = (
    "This account has no password on this PC yet (the records were restored from a "
    "backup). Ask your administrator to give you a new password."
)
UNKNOWN_USER = "(unknown user name)"
WRONG_CREDENTIALS = "The user name or password is not right; check Caps Lock and try again."


class Store(DataFolder):
    """A data folder, and signing in to it: each sign-in opens a session."""

    def __init__(self, data_dir: Path, vault: Vault) -> None:
        super().__init__(data_dir, vault)
        self.failed_sign_ins = login_throttle.FailureCounts(self.inbox, vault.vault_id)

    # Signing in ---------------------------------------------------------------

    def _throttle_name(self, username: str) -> str:
        # Only real account names are written down (inbox.db is plain SQLite, and
        # the audit log is read by people): what is typed into the user-name box is
        # sometimes the password. Unknown names share one counter.
        record = self.vault.user(username)
        return record.username if record else UNKNOWN_USER

    def login_delay(self, username: str) -> float:
        return self.failed_sign_ins.seconds_left(self._throttle_name(username.strip()))

    def _refuse(self, username: str) -> WrongCredentials:
        name = self._throttle_name(username)
        failures = self.failed_sign_ins.record(name)
        self._seal_event({"type": "login_failed", "username": name})
        return WrongCredentials(WRONG_CREDENTIALS, retry_after=login_throttle.delay_after(failures))

    def _seal_event(self, event: dict[str, object]) -> None:
        # Failed sign-ins cannot be written to the audit log without the
        # database key, so they are sealed into the inbox and moved into the
        # audit log at the next DSL sign-in, authenticated with this PC's device
        # secret where it has one (else marked unverified there).
        try:
            seal_event(self, event, device=self.device_secret())
        except SafeguardError:
            log.warning("could not record a failed sign-in in the inbox")

    def login(self, username: str, password: str) -> Session:
        """Open a session for ``username``; slow (Argon2id) by design."""
        username = username.strip()
        # Read again: the file may have changed since the sign-in page opened it.
        self.reload()
        wait = self.login_delay(username)
        if wait > 0:
            raise WrongCredentials(
                f"Too many wrong passwords. Please wait {int(wait + 0.999)} seconds and try again.",
                retry_after=wait,
            )
        record = self.vault.user(username)
        slot = self.vault.slot(record.slot_id) if record else None
        if record is not None and slot is None:
            # Restored from a backup (or moved to this PC): password slots stay behind
            # with the old PC's credential store.
            raise NotPermitted(NOT_SET_UP_ON_THIS_PC)
        if record is None or slot is None:
            # Spend the same time as a real attempt, so timing does not tell
            # which user names exist.
            derive_key(password.encode(), secrets.token_bytes(16), self._typical_kdf())
            raise self._refuse(username)
        if not slot.kdf.meets_minimum():
            raise StoreTampered(WEAKENED_SLOT)
        secret = None
        if slot.device_bound:
            secret = device_secret.get_device_secret(self.vault.vault_id)
            if secret is None:
                raise SafeguardError(self._device_secret_missing())
        try:
            opened = key_slots.open_slot(slot, password.encode("utf-8"), secret)
        except key_slots.SlotLocked:
            raise self._refuse(username) from None
        self.failed_sign_ins.clear(record.username)
        if record.suspended and self._suspension_signed(opened):
            # Refused only after the right password, so the refusal tells no one else
            # that the account exists or is suspended. The attempt reaches the audit log.
            self._seal_event({"type": "suspended_sign_in", "username": record.username})
            raise NotPermitted(SUSPENDED)
        user = UserInfo.of(record)
        if opened.db_key is not None:
            # The records' own copy of the accounts decides a suspension here.
            session = CaseSession.unlock(self, user, opened)
            if opened.vault_key is None:
                session.pin_own_slot(password)
            return session
        if record.role.holds_database_key:
            raise NotPermitted(
                "This account has not been given access to the records yet. "
                "Ask the administrator to check it."
            )
        return RecorderSession(self, user, self._pin_recorder_slot(opened, password))

    def _suspension_signed(self, opened: key_slots.OpenedSlot) -> bool:
        """True when vault.json's word that this account is suspended can be taken before
        the records are open.

        Anyone can write "suspended" into the file. A slot that opens the records is
        decided by the records' own copy of the accounts (CaseSession.unlock), never by
        the file; any other must find the file signed with the key pinned in the slot
        (or kept on this PC). Where there is none to check against (a slot and store from
        before signing), the file is all there is, and a suspension is not ignored.
        """
        if opened.db_key is not None:
            return False
        key = opened.vault_key or vault_trust.pinned_vault_key(self.vault.vault_id)
        return key is None or vault_trust.signature_valid(self.vault, key)

    def _pin_recorder_slot(
        self, opened: key_slots.OpenedSlot, password: str
    ) -> key_slots.OpenedSlot:
        """A recorder's slot from before pinning gets the vault key pinned (slow, once).

        The key pinned is the one this PC's credential store keeps, or, where it keeps
        none, the key the vault says signed it, if its signature is good (trust on
        first use, the one moment docs/SECURITY.md names). Nothing is pinned to a vault
        that fails its check; sealing then says so.
        """
        vault = self.vault
        if opened.vault_key is not None or not vault.is_signed_format:
            return opened
        key = vault_trust.pinned_vault_key(vault.vault_id) or vault.vault_key
        if key is None or not vault_trust.signature_valid(vault, key):
            return opened
        slot = key_slots.rewrap(
            opened,
            password.encode("utf-8"),
            opened.slot.kdf,
            self.device_secret() if opened.slot.device_bound else None,
            vault_key=key,
        )
        self.save_vault(vault.with_changes(slots=_replace_slot(vault.slots, slot)))
        return key_slots.OpenedSlot(slot, opened.private_key, opened.db_key, key)

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
        name = "(recovery key)"
        wait = self.failed_sign_ins.seconds_left(name)
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
        # A suspension is decided once the records are open (CaseSession.unlock, from
        # their own copy of the accounts): the file's word alone would let anyone lock
        # the only administrator out, recovery key and all.
        validate_password(new_password, record.role, field="new password")
        self.reload()
        slot = self.vault.recovery_slot()
        assert slot is not None  # parse_vault refuses a vault without one
        if not slot.kdf.meets_minimum():
            raise StoreTampered(WEAKENED_SLOT)
        try:
            opened = key_slots.open_slot(slot, recovery_key.secret_bytes(normalised), None)
        except key_slots.SlotLocked:
            failures = self.failed_sign_ins.record(name)
            self._seal_event({"type": "recovery_key_failed", "username": record.username})
            raise WrongCredentials(
                "That recovery key does not open these records; check it against the "
                "printed sheet.",
                retry_after=login_throttle.delay_after(failures),
            ) from None
        self.failed_sign_ins.clear(name)
        assert opened.db_key is not None
        secret = device_secret.get_device_secret(self.vault.vault_id)
        if secret is None and self.device_secret_status.usable:
            try:
                secret = device_secret.create_device_secret(self.vault.vault_id)
            except device_secret.DeviceSecretUnavailable:
                secret = None
        # The recovery slot opens the records first, so the checks every DSL sign-in
        # makes (the database's vault key, the copy of the vault, the audit anchor) run
        # before anything is written; the new password slot is then signed in.
        session = CaseSession.unlock(self, UserInfo.of(record), opened)
        try:
            session.replace_password_after_recovery(
                new_password, secret, recovery_key.secret_bytes(normalised)
            )
        except BaseException:
            session.lock()
            raise
        return session

    def _typical_kdf(self) -> KdfParams:
        return self.vault.slots[0].kdf if self.vault.slots else KdfParams()

    def wait_for_login(self, username: str) -> None:
        """Sleep out the sign-in delay (for the command line)."""
        wait = self.login_delay(username)
        if wait > 0:
            time.sleep(wait)
