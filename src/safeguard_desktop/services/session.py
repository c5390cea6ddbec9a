"""Signed-in sessions: a recorder's (write-only) and a DSL's or admin's (case access).

A CaseSession holds the open case database and its key; locking closes the
database and drops every reference to the key. A RecorderSession never
holds the database key or the inbox private key: it can only seal.
"""

from __future__ import annotations

import json
import logging
import secrets
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..domain.accounts import (
    SUSPENDED,
    validate_password,
)
from ..domain.errors import (
    NotPermitted,
    SafeguardError,
    StorageFault,
    StoreReadOnly,
    WrongCredentials,
)
from ..domain.organisation import Organisation, Role
from ..security import key_slots, sealing, vault_signing
from ..storage import audit_log, case_database, case_records, vault_copy
from ..storage.audit_log import AuditEntry as AuditEntry
from ..storage.audit_log import AuditReport as AuditReport
from ..storage.case_database import CASES_NAME
from ..storage.vault_file import UserRecord, Vault, read_vault, replace_user_slot, write_vault
from . import backup, inbox_ingest, recording, records_check, vault_trust
from .attachment_intake import ChosenFile
from .changes import Changes, Setting
from .data_folder import DataFolder, UserInfo
from .vault_trust import RollbackAlarm, Trust, VaultAlarm

if TYPE_CHECKING:
    from ..domain.concern import Concern
    from .recording import Receipt

log = logging.getLogger(__name__)

REKEY_AAD = b"safeguard-desktop rekey v1"

# What vault.json holds that a page shows: all of it changes when the file is put back.
_VAULT_SETTINGS = (
    Setting.SETTINGS_FILE,
    Setting.IDLE_LOCK,
    Setting.LOCAL_CONTACTS,
    Setting.ALLOW_GUESTS,
)


class SessionLocked(SafeguardError):
    def __init__(self) -> None:
        super().__init__("The session is locked. Please sign in again.")


class Session:
    """What every signed-in account can do."""

    def __init__(
        self, store: DataFolder, user: UserInfo, opened: key_slots.OpenedSlot | None
    ) -> None:
        self.store = store
        self.user = user
        self._opened = opened
        self._owner_adopted = False
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

    def _owner(self) -> bytes:
        """This account's opaque label for its receipts and draft in inbox.db."""
        self._check_open()
        assert self._opened is not None
        if not self._owner_adopted:
            # Rows filed under the public key by an earlier version move to the tag.
            recording.adopt_owner_tag(self.store, self._opened)
            self._owner_adopted = True
        return recording.owner_tag(self._opened)

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
        # Associated data: the slot's public key, as drafts have always been sealed.
        return AESGCM(key), self._opened.slot.public_key

    def save_draft(self, data: dict[str, object]) -> None:
        """Keep the unsent form, encrypted; replaces the previous draft."""
        aead, aad = self._draft_aead()
        nonce = secrets.token_bytes(12)
        plaintext = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.store.inbox.put_draft(self._owner(), nonce + aead.encrypt(nonce, plaintext, aad))

    def load_draft(self) -> dict[str, object] | None:
        """The unsent form saved last, or None."""
        aead, aad = self._draft_aead()
        sealed = self.store.inbox.draft(self._owner())
        if sealed is None:
            return None
        try:
            data = json.loads(aead.decrypt(sealed[:12], sealed[12:], aad))
        except (InvalidTag, ValueError):
            log.warning("a draft could not be opened and was left as it is")
            return None
        return data if isinstance(data, dict) else None

    def discard_draft(self) -> None:
        self.store.inbox.delete_draft(self._owner())

    def change_password(self, old: str, new: str) -> Changes:
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
        self._store_vault(vault.with_changes(slots=slots))
        self._opened = key_slots.OpenedSlot(
            new_slot, opened.private_key, opened.db_key, opened.vault_key
        )
        self._after_password_change()
        return Changes.of(people=[self.user.username])

    def _store_vault(self, vault: Vault) -> None:
        """Write a vault whose signed part is unchanged (a recorder holds no vault key)."""
        self.store.save_vault(vault)

    def _after_password_change(self) -> None:
        """Recorders' password changes reach the audit log through the inbox."""
        assert self._opened is not None
        recording.seal_event(
            self.store,
            {"type": "password_changed", "username": self.user.username},
            sender=self._opened,
        )

    def check_can_submit(self) -> None:
        """Raise StoreTampered (one sentence) if vault.json is not one the lead signed.

        The form calls it before a volunteer starts typing; sealing calls it again.
        """
        self._check_open()
        assert self._opened is not None
        vault_trust.check_before_sealing(self.store, self._opened.vault_key)
        record = self.store.vault.user(self.user.username)
        if record is not None and record.suspended:
            raise NotPermitted(SUSPENDED)
        if not self.is_case_session and vault_trust.suspended_since(
            self.store, self._opened.vault_key, self.user.username
        ):
            raise NotPermitted(SUSPENDED)

    def submit_concern(self, concern: Concern, attachments: Sequence[ChosenFile] = ()) -> str:
        """Seal a concern (and the files sent with it) into the inbox, and keep a receipt
        only this account can read."""
        self.check_can_submit()
        assert self._opened is not None
        submitter = recording.Submitter(
            name=self.user.display_name, role=self.user.role.value, username=self.user.username
        )
        ref = recording.seal_concern(
            self.store, concern, submitter, sender=self._opened, attachments=attachments
        )
        recording.seal_receipt(self.store, self._opened, ref)
        return ref

    def receipts(self) -> list[Receipt]:
        """References and times of this account's own submissions; never their text."""
        self._owner()
        assert self._opened is not None
        return recording.open_receipts(self.store, self._opened)


class RecorderSession(Session):
    """A recorder: may seal concerns into the inbox, may read nothing back."""


class CaseSession(Session):
    """A DSL or admin: holds the case database key while unlocked."""

    def __init__(
        self,
        store: DataFolder,
        user: UserInfo,
        opened: key_slots.OpenedSlot,
        conn: case_database.Connection,
        db_key: bytes,
        trust: Trust,
        *,
        audit_report: AuditReport | None = None,
    ) -> None:
        super().__init__(store, user, opened)
        self._conn: case_database.Connection | None = conn
        # Key material in bytearrays, zeroed at lock: Python's bytes cannot be wiped.
        self._db_key: bytearray | None = bytearray(db_key)
        self._vault_private: bytearray | None = bytearray(trust.private_key)
        self._copy_generation = trust.copy_generation
        self._writing_vault = False
        self._anchored_head: tuple[int, str] | None = None
        self.vault_alarm: VaultAlarm | None = trust.vault_alarm
        self.rollback_alarm: RollbackAlarm | None = trust.rollback
        # Walked beside the page check when a full check was due (records_check.AuditWalk).
        self.audit_report: AuditReport = audit_report or audit_log.verify(
            conn, as_closed=case_database.audit_head_as_closed(conn)
        )
        # The comparison of every table with its indexes a full check still owes, run
        # after sign-in (records_check.StructureCheck); until it passes, cases.db is not
        # recorded as checked at lock, and once it fails every write is refused.
        self._structure: records_check.StructureCheck | None = None
        self._structure_passed = not case_database.structure_owed(conn)
        self.damage: str | None = None

    @property
    def is_case_session(self) -> bool:
        return True

    @property
    def read_only(self) -> bool:
        """True while the records are open for reading only (see rollback_alarm)."""
        return self.rollback_alarm is not None

    # Unlocking --------------------------------------------------------------

    @classmethod
    def unlock(cls, store: DataFolder, user: UserInfo, opened: key_slots.OpenedSlot) -> CaseSession:
        assert opened.db_key is not None
        path = store.data_dir / CASES_NAME
        walk = records_check.AuditWalk(path, opened.db_key)
        conn = _open_finishing_rotation(store, opened.db_key, walk)
        try:
            trust = vault_trust.establish(store, conn, opened)
            record = trust.trusted.user(user.username)
            if record is None or not record.role.holds_database_key:
                # vault.json named this account, the database's copy does not (or not
                # as a lead): the file was edited. The copy decides.
                raise NotPermitted(
                    "This account does not have access to the records. "
                    "Ask the administrator to check it."
                )
            if record.suspended:
                # The file may say otherwise; the database's copy decides here too. The
                # attempt reaches the audit log, as a refusal at Store.login does.
                _seal_suspended_sign_in(store, record.username)
                raise NotPermitted(SUSPENDED)
        except BaseException:
            conn.close()
            raise
        # The walk saw the file before any migration: its report stands only for the
        # chain as it still is.
        walked = walk.report
        if walked is not None and audit_log.head(conn) != (walked.head_seq, walked.head_hash):
            walked = None
        # The database's copy names the account as it really is (name, role).
        session = cls(
            store, type(user).of(record), opened, conn, opened.db_key, trust, audit_report=walked
        )
        session._begin(trust)
        if not session._structure_passed:
            session._structure = records_check.StructureCheck(path, opened.db_key)
        return session

    def check_after_sign_in(self, timeout: float | None = None) -> str | None:
        """The check after sign-in, waited for up to ``timeout`` seconds: "" when it
        passed or none was owed, the sentence every write now gets when it found damage,
        None while it is still running."""
        if self._structure is not None:
            self._structure.wait(timeout)
            self._structure_result()
        if self.damage is not None:
            return self.damage
        return "" if self._structure_passed else None

    def _structure_result(self) -> None:
        """Take in the structure check's result once it has one (cheap until then)."""
        check = self._structure
        if check is None or not check.finished:
            return
        self._structure = None
        if check.problem == "":
            self._structure_passed = True
            return
        if check.problem is None:
            return  # it ended without a result: the next sign-in checks again
        log.warning("the check after sign-in found the case database damaged")
        self.damage = case_database.damaged_sentence(self.store.data_dir / CASES_NAME)
        # Reading stays possible (a child at risk may depend on it); every write is
        # refused with the sentence that says to put back the newest checked backup.
        if self._conn is not None:
            case_records.set_read_only(self._conn, self.damage)

    def _begin(self, trust: Trust) -> None:
        """After the sign-in checks: record what they found, anchor, take the inbox."""
        self.store.vault = trust.trusted
        # A killed backup's snapshot opens with the key of its day, whoever has left since.
        backup.clear_work_leftovers(self.store.data_dir)
        if not self.audit_report.ok:
            log.warning("audit chain broken at entry %s", self.audit_report.first_broken)
        if self.rollback_alarm is not None:
            # Nothing may be written: every write would build on missing history.
            log.warning("the case database is behind its audit anchor; opened read-only")
            case_records.set_read_only(self.conn, self.rollback_alarm.sentence())
            return
        assert self._vault_private is not None
        with case_records.transaction(self.conn):
            if trust.created_key:
                vault_copy.set_signing_key(self.conn, bytes(self._vault_private))
                audit_log.append(self.conn, self.user.username, "vault_key_created", {})
            if self.vault_alarm is not None:
                audit_log.append(
                    self.conn,
                    self.user.username,
                    "vault_changed_outside",
                    {
                        "changes": list(self.vault_alarm.changes),
                        "older_copy": self.vault_alarm.older_copy,
                    },
                )
        if self.vault_alarm is None:
            # A store from before signing, or a change whose copy was cut short,
            # gets its database copy now; otherwise only the anchor moves.
            stale_copy = trust.created_key or trust.trusted.generation > self._copy_generation
            self.save_vault(trust.trusted, policy_changed=stale_copy or not self._has_copy())
        if trust.created_key:
            # The first sign-in since the upgrade: what waits was sealed before.
            inbox_ingest.ingest(
                self.store, self.conn, self.user.username, before_sender_checks=True
            )
        self._take_inbox()
        self.audit("login", {"role": self.user.role.value})
        self._write_anchor()
        vault_trust.keep_outside(self.store.vault)
        case_records.after_every_commit(self.conn, self._write_anchor)

    def _has_copy(self) -> bool:
        return vault_copy.vault_copy(self.conn) is not None

    # The signed vault and the audit anchor -------------------------------------

    def save_vault(self, vault: Vault, *, policy_changed: bool = True) -> None:
        """Sign and write vault.json, then keep its copy in the database (services/people.py
        and organisation_settings.py change it through here).

        The file is written first: a crash in between leaves a signed file newer than
        the copy, which the next sign-in names in an alarm (the copy's values are used).
        The generation grows only when what is signed changes, not with the anchor.
        """
        assert self._vault_private is not None
        if self.rollback_alarm is not None:  # read-only
            raise StoreReadOnly(self.rollback_alarm.sentence())
        generation = max(vault.generation, self._copy_generation)
        if policy_changed:
            generation += 1
        anchor = vault_trust.anchor_now(self.conn)
        signed = vault_trust.sign(vault, bytes(self._vault_private), anchor, generation)
        self._writing_vault = True
        try:
            write_vault(self.store.data_dir, signed)
            self.store.vault = signed
            self._anchored_head = (anchor.seq, anchor.hash)
            if policy_changed:
                with case_records.transaction(self.conn):
                    vault_copy.save_vault_copy(
                        self.conn,
                        vault_trust.copy_text(signed),
                        vault_trust.password_slots(signed),
                    )
                self._copy_generation = generation
        finally:
            self._writing_vault = False
        # Any signed write puts the database's values back in the file.
        self.vault_alarm = None

    def _store_vault(self, vault: Vault) -> None:
        self.save_vault(vault)

    def _move_anchor_only(self) -> None:
        """While a settings alarm waits: keep the file as found (so the alarm stays until
        a lead decides) but move its signed anchor, and the credential store's."""
        assert self._vault_private is not None
        anchor = vault_trust.anchor_now(self.conn)
        self._anchored_head = (anchor.seq, anchor.hash)
        vault_trust.keep_anchor_outside(self.store.vault.vault_id, self._copy_generation, anchor)
        try:
            found = read_vault(self.store.data_dir)
            write_vault(
                self.store.data_dir,
                vault_trust.sign_anchor(found, bytes(self._vault_private), anchor),
            )
        except (OSError, SafeguardError):
            log.warning("could not move the audit anchor in vault.json")

    def _write_anchor(self) -> None:
        """Move the audit anchor in vault.json to the log's head (after every commit)."""
        if self._writing_vault or self.read_only:
            return
        if self._conn is None or self._vault_private is None:
            return
        if audit_log.head(self._conn) == self._anchored_head:
            return
        if self.vault_alarm is not None:
            self._move_anchor_only()
            return
        try:
            self.save_vault(self.store.vault, policy_changed=False)
        except (OSError, StorageFault):
            # The record is committed; only its copy outside the database lags (a full
            # disk, a locked file), and the next write or the lock tries again. Never a
            # reason to fail the write.
            log.warning("could not move the audit anchor in vault.json")

    # Backups (services/backup.py) ------------------------------------------------

    def backup_key_material(self) -> bytes:
        """The database key, for the backup being made in this session only
        (services/backup.py makes it; the session only lends the key)."""
        self._check_open()
        assert self._db_key is not None
        return bytes(self._db_key)

    def restore_vault_settings(self) -> Changes:
        """Put the database's values back into vault.json after a VaultAlarm."""
        self._check_open()
        if self.vault_alarm is None:
            return Changes()
        alarm = self.vault_alarm
        self.audit("vault_restored", {"changes": list(alarm.changes)})
        self.save_vault(self.store.vault, policy_changed=False)
        vault_trust.keep_outside(self.store.vault)
        return Changes.of(settings=_VAULT_SETTINGS)

    def accept_older_copy(self) -> Changes:
        """An administrator's decision: go on from these (older) records.

        For when the copy was put back on purpose (a restore from backup done by hand).
        The gap is written to the audit log, and the anchor follows the log down.
        """
        self.require_admin()
        alarm = self.rollback_alarm
        if alarm is None:
            return Changes()
        case_records.set_read_only(self.conn, None)
        self.rollback_alarm = None
        detail: dict[str, object] = {
            "anchor_seq": alarm.anchor.seq,
            "anchor_at": alarm.anchor.at,
            "database_seq": alarm.database_seq,
            "forked": alarm.forked,
        }
        if alarm.unanchored:
            detail["unanchored"] = True  # vault.json had lost its signed anchor
        self.audit("older_copy_accepted", detail)
        if self.vault_alarm is None:
            self.save_vault(self.store.vault, policy_changed=not self._has_copy())
            vault_trust.lower_kept_anchor(self.store.vault)
        arrived = self._take_inbox()
        case_records.after_every_commit(self.conn, self._write_anchor)
        self._write_anchor()  # vault.json is anchored again now, not only at lock
        return Changes.of(settings=[Setting.READ_ONLY]) | arrived

    @property
    def conn(self) -> case_database.Connection:
        self._check_open()
        assert self._conn is not None
        if self._structure is not None:
            self._structure_result()
        return self._conn

    def lock(self) -> None:
        # Keys are wiped and the session ends locked even when closing the database
        # fails (the error still reaches the caller).
        try:
            if self._conn is not None:
                try:
                    case_records.after_every_commit(self._conn, None)
                    if not self.is_locked:
                        self._write_anchor()
                        if not self.read_only and self.vault_alarm is None:
                            vault_trust.keep_outside(self.store.vault)
                    if self._structure is not None:
                        # Waited for, so a short session (a command line) still completes
                        # the check and the next sign-in can trust the file.
                        self._structure.wait()
                        self._structure_result()
                    if self._db_key is not None:
                        case_database.close_database(
                            self._conn,
                            bytes(self._db_key),
                            audit_intact=self.audit_report.ok,
                            pages_intact=self._structure_passed,
                        )
                    else:
                        self._conn.close()
                finally:
                    self._conn = None
        finally:
            for secret in (self._db_key, self._vault_private):
                if secret is not None:
                    secret[:] = bytes(len(secret))
            self._db_key = None
            self._vault_private = None
            # Font subsets kept for the next PDF name the characters a PDF used; looked up
            # rather than imported, so a lock never loads reportlab.
            font_subsets = sys.modules.get("safeguard_desktop.pdf.font_subsets")
            if font_subsets is not None:
                font_subsets.forget()
            super().lock()

    def audit(self, action: str, detail: dict[str, object]) -> None:
        """Write one entry to the audit log, in a transaction of its own."""
        with case_records.transaction(self.conn):
            audit_log.append(self.conn, self.user.username, action, detail)

    def audit_read(self, action: str, detail: dict[str, object]) -> None:
        """Audit a read (a concern or a child's file opened).

        While the records are read-only (rollback_alarm) nothing can be written, the
        audit log included, yet the lead must still be able to read them to decide
        what to do: the read goes unrecorded then, and the alarm says so.
        """
        if self.read_only:
            log.info("a read was not audited: the records are open read-only")
            return
        self.audit(action, detail)

    def vault_public_key(self) -> bytes:
        """The organisation's vault key (public half), which must have signed vault.json."""
        return self._vault_public()

    def organisation_signature(self, purpose: bytes, message: bytes) -> tuple[bytes, bytes]:
        """``message`` signed with the organisation's vault key: (public key, signature).

        ``purpose`` is a label signed before the message (a station invitation, a settings
        update), so a signature made for one use is never valid for another, nor for
        vault.json. Only a lead's or administrator's session holds the key.
        """
        assert self._vault_private is not None
        return self._vault_public(), vault_signing.sign(
            bytes(self._vault_private), purpose + message
        )

    def _vault_public(self) -> bytes:
        assert self._vault_private is not None
        return vault_signing.public_of(bytes(self._vault_private))

    def require_admin(self) -> None:
        """NotPermitted unless the signed-in account is an administrator's."""
        if self.user.role is not Role.ADMIN:
            raise NotPermitted("Only an administrator can do that.")

    # Key slots (services/people.py) ---------------------------------------------------

    def new_password_slot(self, user_id: str, password: str, role: Role) -> key_slots.OpenedSlot:
        """A password slot for account ``user_id`` (slow): the database key sealed in it
        for a lead or an administrator, bound to this PC, the vault key pinned."""
        self._check_open()
        assert self._db_key is not None
        return key_slots.create_slot(
            kind="password",
            user_id=user_id,
            secret=password.encode("utf-8"),
            kdf=self.store.new_slot_kdf(),
            device_secret=self.store.new_slot_device_secret(),
            db_key=bytes(self._db_key) if role.holds_database_key else None,
            vault_key=self._vault_public(),
        )

    def with_database_key(self, slot: key_slots.KeySlot) -> key_slots.KeySlot:
        """``slot`` holding the current database key again (a lead reinstated)."""
        self._check_open()
        assert self._db_key is not None
        return key_slots.seal_db_key(slot, bytes(self._db_key))

    # The inbox, as signing in takes it ----------------------------------------

    def _take_inbox(self) -> Changes:
        """Take in what recorders sealed, as signing in and going on from an older copy
        do (services/inbox.py is the use case); nothing while the records are read-only."""
        if self.read_only:
            return Changes()
        return inbox_ingest.ingest(self.store, self.conn, self.user.username)

    def replace_password_after_recovery(
        self, new_password: str, device_secret: bytes | None, recovery_secret: bytes
    ) -> None:
        """Signed in with the recovery key: give this administrator a new password slot.

        A recovery slot from before pinning is pinned now (the recovery key is at hand).
        """
        self._check_open()
        assert self._opened is not None and self._db_key is not None
        vault = self.store.vault
        record = vault.user(self.user.username)
        if record is None or record.role is not Role.ADMIN:
            raise NotPermitted(
                "The recovery key can give a new password only to an administrator account."
            )
        recovery = self._opened
        new = key_slots.create_slot(
            kind="password",
            user_id=record.user_id,
            secret=new_password.encode("utf-8"),
            kdf=self.store.new_slot_kdf(),
            device_secret=device_secret,
            db_key=bytes(self._db_key),
            vault_key=self._vault_public(),
        )
        updated = replace_user_slot(vault, record, new.slot)
        if recovery.vault_key is None and recovery.slot.kind == "recovery":
            pinned = key_slots.rewrap(
                recovery, recovery_secret, recovery.slot.kdf, None, vault_key=self._vault_public()
            )
            updated = updated.with_changes(
                slots=tuple(pinned if s.slot_id == pinned.slot_id else s for s in updated.slots)
            )
        self.save_vault(updated)
        self._opened = new
        self.audit("password_reset_with_recovery_key", {"username": record.username})

    def pin_own_slot(self, password: str) -> None:
        """This account's slot from before pinning gets the vault key pinned (slow, once)."""
        if self._opened is None or self._opened.vault_key is not None:
            return
        if self.read_only or self.vault_alarm is not None:
            return  # nothing is written until the alarm is dealt with
        vault = self.store.vault
        record = vault.user(self.user.username)
        if record is None or record.slot_id != self._opened.slot.slot_id:
            return
        slot = key_slots.rewrap(
            self._opened,
            password.encode("utf-8"),
            self._opened.slot.kdf,
            self.store.device_secret() if self._opened.slot.device_bound else None,
            vault_key=self._vault_public(),
        )
        # The records' copy follows (a lead's slot is compared with it byte for byte at
        # every sign-in, so a wrapping only the file held would be named as a change).
        self.save_vault(
            vault.with_changes(
                slots=tuple(slot if s.slot_id == slot.slot_id else s for s in vault.slots)
            )
        )
        self._opened = key_slots.OpenedSlot(
            slot, self._opened.private_key, self._opened.db_key, self._vault_public()
        )

    def rotate_keys(
        self,
        users: tuple[UserRecord, ...],
        slots: tuple[key_slots.KeySlot, ...],
        action: str,
        detail: dict[str, object],
    ) -> None:
        """Give every remaining slot a new database key and the inbox a new key pair, with
        ``users`` and ``slots`` as vault.json's accounts (services/people.py: an account
        removed or suspended)."""
        # The removed (or suspended) person may have kept the database key and the inbox
        # private key, so both are replaced. Order matters for crash safety:
        # (1) new inbox key and audit entry committed; (2) vault written with
        # every slot holding the new key plus the old key encrypted under the
        # new one; (3) PRAGMA rekey; (4) vault written without the old key.
        # An unlock after a crash between (2) and (4) finishes the rotation.
        assert self._db_key is not None
        # Every page is rewritten under another key: the check after sign-in, reading with
        # the old one on its own connection, finishes first (and if it found damage, the
        # transaction below is refused with its sentence).
        self.check_after_sign_in()
        # A killed backup's snapshot would still open with the key being replaced.
        backup.clear_work_leftovers(self.store.data_dir)
        old_key, new_key = bytes(self._db_key), secrets.token_bytes(32)
        inbox_private, inbox_public = sealing.new_keypair()
        with case_records.transaction(self.conn):
            private = sealing.private_bytes(inbox_private)
            case_records.add_inbox_key(self.conn, inbox_public, private)
            audit_log.append(self.conn, self.user.username, action, detail)
        nonce = secrets.token_bytes(12)
        rekey_from = nonce + AESGCM(new_key).encrypt(nonce, old_key, REKEY_AAD)
        resealed = tuple(
            key_slots.seal_db_key(s, new_key) if s.sealed_db_key is not None else s for s in slots
        )
        vault = self.store.vault.with_changes(
            users=users, slots=resealed, inbox_public_key=inbox_public, rekey_from=rekey_from
        )
        self.save_vault(vault)
        case_database.rekey(self.conn, new_key)
        self._db_key[:] = new_key
        self.save_vault(self.store.vault.with_changes(rekey_from=None), policy_changed=False)
        log.info("database key rotated after removing or suspending an account")

    def _after_password_change(self) -> None:
        self.audit("password_changed", {"username": self.user.username})


def _seal_suspended_sign_in(store: DataFolder, username: str) -> None:
    try:
        recording.seal_event(
            store, {"type": "suspended_sign_in", "username": username}, device=store.device_secret()
        )
    except SafeguardError:
        log.warning("could not record a suspended account's sign-in in the inbox")


def _open_finishing_rotation(
    store: DataFolder, db_key: bytes, alongside: case_database.Alongside | None = None
) -> case_database.Connection:
    path = store.data_dir / CASES_NAME
    vault = store.vault
    if vault.rekey_from is None:
        return case_database.open_database(path, db_key, alongside=alongside)
    if case_database.key_opens(path, db_key):
        conn = case_database.open_database(path, db_key, alongside=alongside)
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


def require_case_session(session: object) -> CaseSession:
    """``session`` if it may do casework; NotPermitted (exit 3) for a recorder."""
    if not isinstance(session, CaseSession):
        raise NotPermitted("Only a safeguarding lead or administrator can do that.")
    return session
