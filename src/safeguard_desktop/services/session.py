"""Signed-in sessions: a recorder's (write-only) and a DSL's or admin's (case access).

A CaseSession holds the open case database and its key; locking closes the
database and drops every reference to the key. A RecorderSession never
holds the database key or the inbox private key: it can only seal.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..domain.accounts import new_id, validate_display_name, validate_password, validate_username
from ..domain.errors import BadInput, NotPermitted, SafeguardError, WrongCredentials
from ..domain.organisation import LocalContacts, Organisation, Role
from ..security import key_slots, sealing
from ..storage import audit_log, case_database, case_records
from ..storage.audit_log import AuditEntry, AuditReport
from ..storage.case_database import CASES_NAME
from ..storage.vault_file import UserRecord

if TYPE_CHECKING:
    from ..domain.concern import Concern
    from ..storage.case_records import StoredConcern
    from .casework import Casework
    from .recording import Receipt
    from .store import Store, UserInfo

log = logging.getLogger(__name__)

REKEY_AAD = b"safeguard-desktop rekey v1"


class SessionLocked(SafeguardError):
    def __init__(self) -> None:
        super().__init__("The session is locked. Please sign in again.")


class Session:
    """What every signed-in account can do."""

    def __init__(self, store: Store, user: UserInfo, opened: key_slots.OpenedSlot | None) -> None:
        self.store = store
        self.user = user
        self._opened = opened
        self.is_locked = False

    @property
    def organisation(self) -> Organisation:
        return self.store.organisation

    @property
    def is_case_session(self) -> bool:
        return False

    def _check_open(self) -> None:
        if self.is_locked:
            raise SessionLocked()

    def lock(self) -> None:
        """Forget keys; idempotent."""
        self._opened = None
        self.is_locked = True

    # Drafts -----------------------------------------------------------------

    def _draft_aead(self) -> tuple[AESGCM, bytes]:
        self._check_open()
        assert self._opened is not None
        # The draft key comes from the slot's private key, which only this
        # account's password unwraps; no one else, DSL included, can read a draft.
        key = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=None,
            info=b"safeguard-desktop draft v1",
        ).derive(sealing.private_bytes(self._opened.private_key))
        return AESGCM(key), self._opened.slot.public_key

    def save_draft(self, data: dict[str, object]) -> None:
        """Keep the unsent form, encrypted; replaces the previous draft."""
        aead, owner = self._draft_aead()
        nonce = secrets.token_bytes(12)
        plaintext = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.store.inbox.put_draft(owner, nonce + aead.encrypt(nonce, plaintext, owner))

    def load_draft(self) -> dict[str, object] | None:
        """The unsent form saved last, or None."""
        aead, owner = self._draft_aead()
        sealed = self.store.inbox.draft(owner)
        if sealed is None:
            return None
        try:
            data = json.loads(aead.decrypt(sealed[:12], sealed[12:], owner))
        except (InvalidTag, ValueError):
            log.warning("a draft could not be opened and was left as it is")
            return None
        return data if isinstance(data, dict) else None

    def discard_draft(self) -> None:
        _, owner = self._draft_aead()
        self.store.inbox.delete_draft(owner)

    def change_password(self, old: str, new: str) -> None:
        """Rewrite this account's key slot under a new password (slow)."""
        self._check_open()
        validate_password(new, self.user.role, field="new password")
        vault = self.store.vault
        record = vault.user(self.user.username)
        slot = vault.slot(record.slot_id) if record else None
        if record is None or slot is None:
            raise NotPermitted("This account no longer exists.")
        try:
            opened = key_slots.open_slot(slot, old.encode("utf-8"), self.store.device_secret())
        except key_slots.SlotLocked:
            raise WrongCredentials("The current password is not right.") from None
        new_slot = key_slots.rewrap(
            opened, new.encode("utf-8"), slot.kdf, self.store.new_slot_device_secret()
        )
        slots = tuple(new_slot if s.slot_id == slot.slot_id else s for s in vault.slots)
        self.store.save_vault(vault.with_changes(slots=slots))
        self._after_password_change()

    def _after_password_change(self) -> None:
        """Recorders' password changes reach the audit log through the inbox."""
        from .recording import seal_event

        seal_event(self.store, {"type": "password_changed", "username": self.user.username})

    def submit_concern(self, concern: Concern) -> str:
        """Seal a concern into the inbox and keep a receipt only this account can read."""
        self._check_open()
        assert self._opened is not None
        from .recording import Submitter, seal_concern, seal_receipt

        submitter = Submitter(
            name=self.user.display_name, role=self.user.role.value, username=self.user.username
        )
        ref = seal_concern(self.store, concern, submitter)
        seal_receipt(self.store, self._opened.slot.public_key, ref)
        return ref

    def receipts(self) -> list[Receipt]:
        """References and times of this account's own submissions; never their text."""
        self._check_open()
        assert self._opened is not None
        from .recording import open_receipts

        return open_receipts(self.store, self._opened)


class RecorderSession(Session):
    """A recorder: may seal concerns into the inbox, may read nothing back."""


class CaseSession(Session):
    """A DSL or admin: holds the case database key while unlocked."""

    def __init__(
        self,
        store: Store,
        user: UserInfo,
        opened: key_slots.OpenedSlot,
        conn: case_database.Connection,
        db_key: bytes,
    ) -> None:
        super().__init__(store, user, opened)
        self._conn: case_database.Connection | None = conn
        self._db_key: bytes | None = db_key
        self.audit_report: AuditReport = audit_log.verify(
            conn, as_closed=case_database.audit_head_as_closed(conn)
        )

    @property
    def is_case_session(self) -> bool:
        return True

    # Unlocking --------------------------------------------------------------

    @classmethod
    def unlock(cls, store: Store, user: UserInfo, opened: key_slots.OpenedSlot) -> CaseSession:
        assert opened.db_key is not None
        conn = _open_finishing_rotation(store, opened.db_key)
        session = cls(store, user, opened, conn, opened.db_key)
        if not session.audit_report.ok:
            log.warning("audit chain broken at entry %s", session.audit_report.first_broken)
        session.ingest_inbox()
        session._audit("login", {"role": user.role.value})
        return session

    @property
    def casework(self) -> Casework:
        """The DSL's casework over this session (inbox, children, chronology, search)."""
        from .casework import Casework

        self._check_open()
        return Casework(self)

    @property
    def conn(self) -> case_database.Connection:
        self._check_open()
        assert self._conn is not None
        return self._conn

    def lock(self) -> None:
        if self._conn is not None:
            try:
                if self._db_key is not None:
                    case_database.close_database(
                        self._conn, self._db_key, audit_intact=self.audit_report.ok
                    )
                else:
                    self._conn.close()
            finally:
                self._conn = None
        self._db_key = None
        super().lock()

    def _audit(self, action: str, detail: dict[str, object]) -> None:
        with case_records.transaction(self.conn):
            audit_log.append(self.conn, self.user.username, action, detail)

    def _require_admin(self) -> None:
        if self.user.role is not Role.ADMIN:
            raise NotPermitted("Only an administrator can do that.")

    # Audit ------------------------------------------------------------------

    def audit_entries(self, limit: int = 200) -> list[AuditEntry]:
        return audit_log.recent(self.conn, limit)

    def verify_audit(self) -> AuditReport:
        self.audit_report = audit_log.verify(self.conn)
        return self.audit_report

    # Inbox and concerns -----------------------------------------------------

    def ingest_inbox(self) -> int:
        from .recording import ingest

        self._check_open()
        return ingest(self.store, self.conn, self.user.username)

    def concern_count(self) -> int:
        return case_records.count_concerns(self.conn)

    def list_concerns(self, limit: int = 1000, offset: int = 0) -> list[StoredConcern]:
        return case_records.list_concerns(self.conn, limit, offset)

    def open_concern(self, ref: str) -> StoredConcern:
        """One concern, with its opening written to the audit log."""
        concern = case_records.get_concern(self.conn, ref.strip().upper())
        if concern is None:
            raise BadInput(
                f"There is no concern with the reference {ref.strip()[:20]}.", field="reference"
            )
        self._audit("concern_opened", {"ref": concern.ref})
        return concern

    # People (admin) ---------------------------------------------------------

    def add_user(self, username: str, display_name: str, role: Role, password: str) -> UserInfo:
        from .store import UserInfo

        self._require_admin()
        username = validate_username(username)
        display_name = validate_display_name(display_name)
        validate_password(password, role)
        vault = self.store.vault
        if vault.user(username) is not None:
            raise BadInput(f"The user name {username} is already taken.", field="user name")
        assert self._db_key is not None
        opened = key_slots.create_slot(
            kind="password",
            user_id=new_id(),
            secret=password.encode("utf-8"),
            kdf=vault.slots[0].kdf,
            device_secret=self.store.new_slot_device_secret(),
            db_key=self._db_key if role.holds_database_key else None,
        )
        record = UserRecord(
            user_id=opened.slot.user_id or "",
            username=username,
            display_name=display_name,
            role=role,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            slot_id=opened.slot.slot_id,
        )
        self.store.save_vault(
            vault.with_changes(users=(*vault.users, record), slots=(*vault.slots, opened.slot))
        )
        self._audit("user_added", {"username": username, "role": role.value})
        return UserInfo.of(record)

    def reset_password(self, username: str, new_password: str) -> None:
        """Give another account a new (temporary) password; admin only (slow).

        Used when someone forgets theirs, and after moving to a new PC, where the
        old password slots are bound to the old PC's credential store.
        """
        from .store import replace_user_slot

        self._require_admin()
        vault = self.store.vault
        record = vault.user(username)
        if record is None:
            raise BadInput(f"There is no user called {username.strip()[:32]}.", field="user name")
        validate_password(new_password, record.role, field="new password")
        assert self._db_key is not None
        new = key_slots.create_slot(
            kind="password",
            user_id=record.user_id,
            secret=new_password.encode("utf-8"),
            kdf=vault.slots[0].kdf,
            device_secret=self.store.new_slot_device_secret(),
            db_key=self._db_key if record.role.holds_database_key else None,
        )
        self.store.save_vault(replace_user_slot(vault, record, new.slot))
        self._audit("password_reset", {"username": record.username})

    def record_recovery(self) -> None:
        self._audit("password_reset_with_recovery_key", {"username": self.user.username})

    def remove_user(self, username: str) -> None:
        """Remove an account; for a DSL or admin, also rotate the database key."""
        self._require_admin()
        vault = self.store.vault
        record = vault.user(username)
        if record is None:
            raise BadInput(f"There is no user called {username.strip()[:32]}.", field="user name")
        if record.username == self.user.username:
            raise NotPermitted("You cannot remove your own account while signed in with it.")
        admins = [u for u in vault.users if u.role is Role.ADMIN]
        if record.role is Role.ADMIN and len(admins) <= 1:
            raise NotPermitted("The last administrator cannot be removed.")
        users = tuple(u for u in vault.users if u.user_id != record.user_id)
        slots = tuple(s for s in vault.slots if s.slot_id != record.slot_id)
        if not record.role.holds_database_key:
            self.store.save_vault(vault.with_changes(users=users, slots=slots))
            self._audit("user_removed", {"username": record.username, "role": record.role.value})
            return
        self._rotate_keys(record, users, slots)

    def _rotate_keys(
        self,
        removed: UserRecord,
        users: tuple[UserRecord, ...],
        slots: tuple[key_slots.KeySlot, ...],
    ) -> None:
        # The removed person may have kept the database key and the inbox
        # private key, so both are replaced. Order matters for crash safety:
        # (1) new inbox key and audit entry committed; (2) vault written with
        # every slot holding the new key plus the old key encrypted under the
        # new one; (3) PRAGMA rekey; (4) vault written without the old key.
        # An unlock after a crash between (2) and (4) finishes the rotation.
        assert self._db_key is not None
        old_key, new_key = self._db_key, secrets.token_bytes(32)
        inbox_private, inbox_public = sealing.new_keypair()
        with case_records.transaction(self.conn):
            private = sealing.private_bytes(inbox_private)
            case_records.add_inbox_key(self.conn, inbox_public, private)
            audit_log.append(
                self.conn,
                self.user.username,
                "user_removed",
                {"username": removed.username, "role": removed.role.value, "keys_rotated": True},
            )
        nonce = secrets.token_bytes(12)
        rekey_from = nonce + AESGCM(new_key).encrypt(nonce, old_key, REKEY_AAD)
        resealed = tuple(
            key_slots.seal_db_key(s, new_key) if s.sealed_db_key is not None else s for s in slots
        )
        vault = self.store.vault.with_changes(
            users=users, slots=resealed, inbox_public_key=inbox_public, rekey_from=rekey_from
        )
        self.store.save_vault(vault)
        case_database.rekey(self.conn, new_key)
        self._db_key = new_key
        self.store.save_vault(vault.with_changes(rekey_from=None))
        log.info("database key rotated after removing an account")

    def _after_password_change(self) -> None:
        self._audit("password_changed", {"username": self.user.username})

    # Settings (admin) -------------------------------------------------------

    def set_idle_lock_minutes(self, minutes: int) -> None:
        self._require_admin()
        if not 1 <= minutes <= 60:
            raise BadInput(
                "Automatic locking must be between 1 and 60 minutes.", field="idle lock minutes"
            )
        self.store.save_vault(self.store.vault.with_changes(idle_lock_minutes=minutes))
        self._audit("setting_changed", {"setting": "idle_lock_minutes", "value": minutes})

    def set_contacts(self, contacts: LocalContacts) -> None:
        self._require_admin()
        org = replace(self.store.organisation, contacts=contacts)
        self.store.save_vault(self.store.vault.with_changes(organisation=org))
        self._audit("setting_changed", {"setting": "local_contacts"})

    def set_allow_guests(self, allow: bool) -> None:
        self._require_admin()
        org = replace(self.store.organisation, allow_guests=allow)
        self.store.save_vault(self.store.vault.with_changes(organisation=org))
        self._audit("setting_changed", {"setting": "allow_guests", "value": allow})


def _open_finishing_rotation(store: Store, db_key: bytes) -> case_database.Connection:
    path = store.data_dir / CASES_NAME
    vault = store.vault
    if vault.rekey_from is None:
        return case_database.open_database(path, db_key)
    if case_database.key_opens(path, db_key):
        conn = case_database.open_database(path, db_key)
    else:
        nonce, sealed = vault.rekey_from[:12], vault.rekey_from[12:]
        try:
            old_key = AESGCM(db_key).decrypt(nonce, sealed, REKEY_AAD)
        except (InvalidTag, ValueError):
            # The marker does not belong to this key: open as usual, which
            # reports a damaged database in one sentence if it is one.
            log.warning("an interrupted key rotation marker does not match the key")
            return case_database.open_database(path, db_key)
        conn = case_database.open_database(path, old_key)
        case_database.rekey(conn, db_key)
        log.info("finished a database key rotation that was interrupted")
    store.save_vault(vault.with_changes(rekey_from=None))
    return conn
