"""Removing a DSL or admin rotates the database key and the inbox key, and survives a crash.

The removed person may have kept a copy of the database key (and the inbox private
key) from their time in the role; after removal neither may open anything new.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.errors import NotPermitted, WrongCredentials
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.security import key_slots, recovery_key, sealing
from safeguard_desktop.services import audit_trail, casework, people
from safeguard_desktop.services.session import REKEY_AAD, CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import case_database, case_records
from safeguard_desktop.storage.vault_file import read_vault, write_vault

CONCERN = {
    "children": [{"name": "Olek Nowak", "approximate_age": 9}],
    "occurred_at": "2026-11-02T10:00:00",
    "categories": ["neglect"],
    "observed": "Arrived without a coat for the fourth week running.",
    "immediate_danger": False,
}


def _concern() -> Concern:
    return Concern.from_json(CONCERN, now=datetime.now())


def _accounts(path: Path) -> tuple[object, object]:
    """The users and key slots vault.json holds, as stored."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["users"], data["slots"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _slot_key(store: Store, username: str, password: str) -> bytes:
    record = store.vault.user(username)
    assert record is not None
    slot = store.vault.slot(record.slot_id)
    assert slot is not None
    key = key_slots.open_slot(slot, password.encode(), None).db_key
    assert key is not None
    return key


def _recovery_key_opens(data_dir: Path, code: str) -> bytes:
    slot = read_vault(data_dir).recovery_slot()
    assert slot is not None
    opened = key_slots.open_slot(slot, recovery_key.secret_bytes(code), None)
    assert opened.db_key is not None
    return opened.db_key


def test_removing_a_dsl_rotates_every_key(store_dir) -> None:
    data_dir = store_dir.data_dir
    cases = data_dir / "cases.db"
    store = Store.open(data_dir)
    old_key = _slot_key(store, *store_dir.dsl)  # what dana could have kept
    old_public = store.vault.inbox_public_key
    slots_before = len(store.vault.slots)

    admin = store.login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    old_inbox_private = case_records.inbox_private_keys(admin.conn)[old_public]
    # A recorder seals a concern while the admin is signed in: it waits in the inbox,
    # sealed to the old inbox key, through the rotation.
    recorder = Store.open(data_dir).login(*store_dir.recorder)
    before_ref = recorder.submit_concern(_concern())  # type: ignore[attr-defined]
    recorder.lock()
    try:
        people.remove_user(admin, store_dir.dsl[0])
        assert audit_trail.verify(admin).ok
        # The admin's open session carries on under the new key.
        assert casework.concern_count(admin) == 0
    finally:
        admin.lock()

    vault = read_vault(data_dir)
    assert vault.rekey_from is None
    assert vault.user(store_dir.dsl[0]) is None
    assert len(vault.slots) == slots_before - 1
    assert vault.inbox_public_key != old_public

    # The removed DSL's password no longer signs in, and the key they kept opens nothing.
    with pytest.raises(WrongCredentials):
        Store.open(data_dir).login(*store_dir.dsl)
    assert not case_database.key_opens(cases, old_key)

    # The remaining slots (admin, recovery) hold the new key.
    fresh = Store.open(data_dir)
    new_key = _slot_key(fresh, *store_dir.admin)
    assert new_key != old_key
    assert case_database.key_opens(cases, new_key)
    assert _recovery_key_opens(data_dir, store_dir.recovery_key) == new_key

    # New submissions are sealed to the new inbox key: the old private key cannot read them.
    after_ref = fresh.login(*store_dir.recorder).submit_concern(_concern())  # type: ignore[attr-defined]
    sealed = {item.ref: item for item in fresh.inbox.pending()}
    assert set(sealed) >= {before_ref, after_ref}
    assert bytes(sealed[after_ref].inbox_key) == vault.inbox_public_key
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(
            bytes(sealed[after_ref].sealed),
            X25519PrivateKey.from_private_bytes(old_inbox_private),
            aad=f"concern:{after_ref}".encode(),
        )

    # Both arrive at the next sign-in: the old inbox key is kept (retired) inside cases.db.
    session = fresh.login(*store_dir.admin)
    assert isinstance(session, CaseSession)
    try:
        assert casework.concern_count(session) == 2
        assert casework.open_concern(session, before_ref).body == _concern().to_json()
        assert casework.open_concern(session, after_ref).body == _concern().to_json()
        report = audit_trail.verify(session)
        assert report.ok
        removed = [e for e in audit_trail.entries(session, 1000) if e.action == "user_removed"]
        assert removed and removed[0].detail.get("keys_rotated") is True
    finally:
        session.lock()
    assert fresh.inbox.count() == 0


def test_removing_an_admin_rotates_and_the_other_admin_carries_on(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    admin = store.login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    people.add_user(admin, "ann", "Ann Other", Role.ADMIN, "ann-password-1")
    admin.lock()
    old_key = _slot_key(Store.open(store_dir.data_dir), "ann", "ann-password-1")

    ann = Store.open(store_dir.data_dir).login("ann", "ann-password-1")
    assert isinstance(ann, CaseSession)
    try:
        people.remove_user(ann, store_dir.admin[0])
    finally:
        ann.lock()
    assert not case_database.key_opens(store_dir.data_dir / "cases.db", old_key)
    with pytest.raises(WrongCredentials):
        Store.open(store_dir.data_dir).login(*store_dir.admin)
    dana = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(dana, CaseSession)
    dana.lock()


def test_removing_a_recorder_keeps_the_database_key(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    key = _slot_key(store, *store_dir.admin)
    public = store.vault.inbox_public_key
    admin = store.login(*store_dir.admin)
    try:
        people.remove_user(admin, store_dir.recorder[0])  # type: ignore[arg-type]
    finally:
        admin.lock()
    # A recorder never held the key, so nothing needs rotating.
    assert case_database.key_opens(store_dir.data_dir / "cases.db", key)
    assert read_vault(store_dir.data_dir).inbox_public_key == public
    with pytest.raises(WrongCredentials):
        Store.open(store_dir.data_dir).login(*store_dir.recorder)


def _half_rotated(store_dir) -> tuple[bytes, bytes]:
    """Do step (2) of a rotation by hand: the vault says "new key", the file still has the old.

    Returns (old key, new key). This is the state a power cut between writing
    vault.json and PRAGMA rekey leaves behind.
    """
    data_dir = store_dir.data_dir
    vault = read_vault(data_dir)
    old_key = _slot_key(Store.open(data_dir), *store_dir.admin)
    new_key = secrets.token_bytes(32)
    nonce = secrets.token_bytes(12)
    rekey_from = nonce + AESGCM(new_key).encrypt(nonce, old_key, REKEY_AAD)
    slots = tuple(
        key_slots.seal_db_key(s, new_key) if s.sealed_db_key is not None else s for s in vault.slots
    )
    write_vault(data_dir, vault.with_changes(slots=slots, rekey_from=rekey_from))
    return old_key, new_key


def test_sign_in_finishes_a_rotation_cut_short_before_rekey(store_dir) -> None:
    data_dir = store_dir.data_dir
    cases = data_dir / "cases.db"
    old_key, new_key = _half_rotated(store_dir)
    assert case_database.key_opens(cases, old_key)
    assert not case_database.key_opens(cases, new_key)
    assert read_vault(data_dir).rekey_from is not None

    session = Store.open(data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        assert audit_trail.verify(session).ok
    finally:
        session.lock()

    assert read_vault(data_dir).rekey_from is None
    assert case_database.key_opens(cases, new_key)
    assert not case_database.key_opens(cases, old_key)
    assert _recovery_key_opens(data_dir, store_dir.recovery_key) == new_key
    admin = Store.open(data_dir).login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    admin.lock()


def test_sign_in_finishes_a_rotation_cut_short_after_rekey(store_dir) -> None:
    # The power cut came after PRAGMA rekey but before vault.json was cleaned up.
    data_dir = store_dir.data_dir
    cases = data_dir / "cases.db"
    old_key, new_key = _half_rotated(store_dir)
    conn = case_database.open_database(cases, old_key)
    try:
        case_database.rekey(conn, new_key)
    finally:
        conn.close()
    assert case_database.key_opens(cases, new_key)

    session = Store.open(data_dir).login(*store_dir.admin)
    session.lock()
    assert read_vault(data_dir).rekey_from is None
    assert case_database.key_opens(cases, new_key)
    assert not case_database.key_opens(cases, old_key)


def test_removing_yourself_or_the_last_admin_is_not_permitted(store_dir) -> None:
    vault_path = store_dir.data_dir / "vault.json"
    cases = store_dir.data_dir / "cases.db"
    store = Store.open(store_dir.data_dir)
    key = _slot_key(store, *store_dir.admin)
    admin = store.login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    try:
        # Every sign-in moves the audit anchor in vault.json; the accounts must not move.
        before = _accounts(vault_path)
        # The only admin is also "yourself": both rules refuse it.
        with pytest.raises(NotPermitted):
            people.remove_user(admin, store_dir.admin[0])
        with pytest.raises(NotPermitted):
            people.remove_user(admin, store_dir.admin[0].upper())
        assert _accounts(vault_path) == before
    finally:
        admin.lock()
    assert case_database.key_opens(cases, key)

    # A DSL cannot remove anyone, the admin least of all.
    dana = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    try:
        with pytest.raises(NotPermitted):
            people.remove_user(dana, store_dir.admin[0])  # type: ignore[arg-type]
        with pytest.raises(NotPermitted):
            people.remove_user(dana, store_dir.recorder[0])  # type: ignore[arg-type]
    finally:
        dana.lock()
    assert _accounts(vault_path) == before
    assert case_database.key_opens(cases, key)
