"""A store made before vault signing: upgraded at its first DSL or administrator sign-in.

The legacy store is made from the template the way an earlier version left it: a
version 1 vault.json (checksum only), slots holding no pinned key, and a case
database with no vault key, no copy of the vault and no sender keys.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from attacker import edit_vault
from casework_data import concern_data
from conftest import StoreFixture
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.errors import StoreTampered
from safeguard_desktop.security import key_slots, recovery_key
from safeguard_desktop.services import audit_trail, casework, inbox
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import case_database
from safeguard_desktop.storage.case_database import CASES_NAME
from safeguard_desktop.storage.vault_file import read_vault


def _make_legacy(store: StoreFixture) -> None:
    vault = read_vault(store.data_dir)
    secrets = {"admin": store.admin[1], "dana": store.dsl[1], "rita": store.recorder[1]}
    by_slot = {u.slot_id: u.username for u in vault.users}
    slots = []
    db_key = None
    for slot in vault.slots:
        if slot.kind == "recovery":
            secret = recovery_key.secret_bytes(store.recovery_key)
        else:
            secret = secrets[by_slot[slot.slot_id]].encode()
        opened = key_slots.open_slot(slot, secret, None)
        db_key = db_key or opened.db_key
        unpinned = key_slots.OpenedSlot(slot, opened.private_key, opened.db_key, None)
        slots.append(key_slots.rewrap(unpinned, secret, slot.kdf, None))
    assert db_key is not None
    conn = case_database.open_database(store.data_dir / CASES_NAME, db_key)
    conn.execute("DELETE FROM settings WHERE key IN ('vault_signing_key', 'vault_copy')")
    conn.execute("DELETE FROM sender_keys")
    case_database.close_database(conn, db_key)
    body = replace(vault, slots=tuple(slots)).to_json()
    for key in ("generation", "new_slot_kdf", "audit_anchor", "vault_key", "signature"):
        body.pop(key)
    body["version"] = 1
    body.pop("checksum")
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    body["checksum"] = "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    (store.data_dir / "vault.json").write_text(json.dumps(body, indent=2), encoding="utf-8")


@pytest.fixture
def legacy(store_dir: StoreFixture) -> StoreFixture:
    _make_legacy(store_dir)
    return store_dir


def _concern() -> Concern:
    return Concern.from_json(concern_data(), now=datetime.now())


def test_a_legacy_store_still_records_before_any_lead_signs_in(legacy: StoreFixture) -> None:
    assert read_vault(legacy.data_dir).is_signed_format is False
    rita = Store.open(legacy.data_dir).login(*legacy.recorder)
    ref = rita.submit_concern(_concern())  # nothing to check against yet: accepted
    rita.lock()
    session = Store.open(legacy.data_dir).login(*legacy.dsl)
    assert isinstance(session, CaseSession)
    try:
        assert casework.summary(session, ref).ref == ref  # her MAC checked on the way in
        assert session.vault_alarm is None and session.rollback_alarm is None
        assert "vault_key_created" in [e.action for e in audit_trail.entries(session, 20)]
    finally:
        session.lock()
    assert read_vault(legacy.data_dir).is_signed_format


def test_after_the_upgrade_every_account_is_pinned_and_edits_are_caught(
    legacy: StoreFixture, tmp_path: Path
) -> None:
    Store.open(legacy.data_dir).login(*legacy.dsl).lock()  # upgrades the vault; pins dana
    vault = read_vault(legacy.data_dir)
    dana = vault.slot(vault.user("dana").slot_id)  # type: ignore[union-attr]
    assert key_slots.open_slot(dana, legacy.dsl[1].encode(), None).vault_key == vault.vault_key
    # Rita's slot is pinned at her own next sign-in (her password is needed for it).
    rita = Store.open(legacy.data_dir).login(*legacy.recorder)
    rita.lock()
    vault = read_vault(legacy.data_dir)
    slot = vault.slot(vault.user("rita").slot_id)  # type: ignore[union-attr]
    assert key_slots.open_slot(slot, legacy.recorder[1].encode(), None).vault_key == (
        vault.vault_key
    )
    # The admin's slot too, and the recovery slot when the recovery key is next used.
    # Dana's pinned slot reached the records' copy too: no alarm at the next sign-in.
    admin = Store.open(legacy.data_dir).login(*legacy.admin)
    try:
        assert isinstance(admin, CaseSession) and admin.vault_alarm is None
    finally:
        admin.lock()
    Store.open(legacy.data_dir).recover(
        legacy.recovery_key, legacy.admin[0], "a brand new admin password"
    ).lock()
    vault = read_vault(legacy.data_dir)
    recovery = vault.recovery_slot()
    assert recovery is not None
    opened = key_slots.open_slot(recovery, recovery_key.secret_bytes(legacy.recovery_key), None)
    assert opened.vault_key == vault.vault_key

    edit_vault(legacy.data_dir, lambda v: v["contacts"].update(lado="0100 999 9999"))
    rita = Store.open(legacy.data_dir).login(*legacy.recorder)
    with pytest.raises(StoreTampered):
        rita.check_can_submit()
    rita.lock()


def test_concerns_sealed_by_the_earlier_version_arrive_at_the_upgrade(legacy: StoreFixture) -> None:
    from attacker import concern_payload, put_sealed

    # As the earlier version sealed them: a named recorder, no sender MAC.
    put_sealed(
        legacy.data_dir,
        "C-BEFORE01",
        "concern",
        concern_payload("C-BEFORE01", concern_data(), "rita"),
    )
    session = Store.open(legacy.data_dir).login(*legacy.dsl)
    assert isinstance(session, CaseSession)
    try:
        stored = casework.open_concern(session, "C-BEFORE01")
        assert stored.submitter["sent_before_checks"] is True
        assert inbox.quarantined(session) == []
    finally:
        session.lock()
    # After the upgrade the same thing is a forgery.
    put_sealed(
        legacy.data_dir,
        "C-AFTER001",
        "concern",
        concern_payload("C-AFTER001", concern_data(), "rita"),
    )
    session = Store.open(legacy.data_dir).login(*legacy.dsl)
    try:
        assert [q.ref for q in inbox.quarantined(session)] == ["C-AFTER001"]  # type: ignore[arg-type]
    finally:
        session.lock()
