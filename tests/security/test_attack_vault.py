"""Attack: edit vault.json (and recompute its checksum) to redirect or weaken the store.

Each test edits the file exactly as someone sharing the PC's OS account would, then
checks what the program does with it: a recorder's and a guest's submit is refused
and nothing is sealed; a DSL's sign-in uses the database's values, names what
changed, audits it and can put the values back; `audit-verify` exits 1. See
docs/SECURITY.md for the table these tests stand behind.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from attacker import edit_vault, vault_json
from casework_data import concern_data, rita_slot
from conftest import StoreFixture
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.errors import StoreTampered
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.security import key_slots, sealing, vault_signing
from safeguard_desktop.security.kdf import MIN_MEMORY_KIB
from safeguard_desktop.services import (
    audit_trail,
    casework,
    organisation_settings,
    people,
    recording,
    vault_trust,
)
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import WEAKENED_SLOT, Store
from safeguard_desktop.storage import case_database, vault_copy, vault_file
from safeguard_desktop.storage.case_database import CASES_NAME

REFUSAL = vault_trust.SETTINGS_CHANGED


def _concern() -> Concern:
    return Concern.from_json(concern_data(), now=datetime.now())


def _cli(
    tmp_path: Path, data_dir: Path, *args: str, stdin: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safeguard_desktop.cli", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**__import__("os").environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")},
    )


def _dsl(store_dir: StoreFixture) -> CaseSession:
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    return session


def _swap_inbox_key(data_dir: Path) -> bytes:
    _, attacker_public = sealing.new_keypair()
    edit_vault(
        data_dir,
        lambda v: v.update(inbox_public_key=base64.b64encode(attacker_public).decode()),
    )
    return attacker_public


# The inbox key swapped: concerns would seal to the attacker -----------------------


def test_swapped_inbox_key_refuses_a_recorders_concern_and_seals_nothing(
    store_dir: StoreFixture,
) -> None:
    _swap_inbox_key(store_dir.data_dir)
    store = Store.open(store_dir.data_dir)
    rita = store.login(*store_dir.recorder)
    # The form asks before anyone types; sending asks again.
    with pytest.raises(StoreTampered, match="changed outside Safeguard Desktop"):
        rita.check_can_submit()
    before = store.inbox.count()
    with pytest.raises(StoreTampered) as caught:
        rita.submit_concern(_concern())
    assert str(caught.value) == REFUSAL
    assert store.inbox.count() == before
    rita.lock()


def test_an_edit_made_while_a_recorder_is_signed_in_changes_nothing_they_seal(
    store_dir: StoreFixture,
) -> None:
    store = Store.open(store_dir.data_dir)
    rita = store.login(*store_dir.recorder)
    _swap_inbox_key(store_dir.data_dir)  # after her sign-in checked the file
    ref = rita.submit_concern(_concern())  # sealed with what was checked
    rita.lock()
    session = _dsl(store_dir)
    try:
        assert casework.summary(session, ref).ref == ref  # the lead can open it
    finally:
        session.lock()


def test_swapped_inbox_key_is_refused_on_the_command_line_in_one_line(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    _swap_inbox_key(store_dir.data_dir)
    concern = tmp_path / "c.json"
    concern.write_text(json.dumps(concern_data()), encoding="utf-8")
    result = _cli(
        tmp_path,
        store_dir.data_dir,
        "record",
        "--as",
        store_dir.recorder[0],
        "--json",
        str(concern),
        stdin=store_dir.recorder[1] + "\n",
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [f"safeguard-desktop: {REFUSAL}"]
    assert Store.open(store_dir.data_dir).inbox.count() == 0


def test_dsl_sign_in_uses_the_databases_values_names_the_change_and_puts_it_back(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    genuine = vault_json(store_dir.data_dir)["inbox_public_key"]
    _swap_inbox_key(store_dir.data_dir)

    session = _dsl(store_dir)
    try:
        alarm = session.vault_alarm
        assert alarm is not None and not alarm.older_copy
        assert alarm.changes == ("the key new concerns are sealed to",)
        assert "the key new concerns are sealed to" in alarm.sentence()
        # The session seals, ingests and signs with the database's values, not the file's.
        assert base64.b64encode(session.store.vault.inbox_public_key).decode() == genuine
        entry = audit_trail.entries(session, 20)
        found = [e for e in entry if e.action == "vault_changed_outside"]
        assert found and found[0].detail["changes"] == ["the key new concerns are sealed to"]
    finally:
        session.lock()

    # audit-verify says so and exits 1, every time until the values are put back.
    result = _cli(
        tmp_path,
        store_dir.data_dir,
        "audit-verify",
        "--as",
        store_dir.dsl[0],
        stdin=store_dir.dsl[1] + "\n",
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["vault_matches_database"] is False
    assert report["vault_changes"] == ["the key new concerns are sealed to"]
    assert "the key new concerns are sealed to" in result.stderr

    session = _dsl(store_dir)
    try:
        session.restore_vault_settings()
        assert session.vault_alarm is None
    finally:
        session.lock()
    assert vault_json(store_dir.data_dir)["inbox_public_key"] == genuine
    result = _cli(
        tmp_path,
        store_dir.data_dir,
        "audit-verify",
        "--as",
        store_dir.dsl[0],
        stdin=store_dir.dsl[1] + "\n",
    )
    assert result.returncode == 0, result.stderr

    # And recording works again, into the genuine inbox.
    rita = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    ref = rita.submit_concern(_concern())
    rita.lock()
    session = _dsl(store_dir)
    try:
        assert casework.summary(session, ref).ref == ref
    finally:
        session.lock()


# Weaker key derivation: new passwords would be cheap to guess ---------------------


def test_a_slot_lowered_below_the_minimum_cost_is_refused(store_dir: StoreFixture) -> None:
    def lower(v: dict) -> None:
        admin = next(u for u in v["users"] if u["username"] == store_dir.admin[0])
        slot = next(s for s in v["slots"] if s["id"] == admin["slot_id"])
        slot["kdf"]["memory_kib"] = 8

    edit_vault(store_dir.data_dir, lower)
    with pytest.raises(StoreTampered) as caught:
        Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert str(caught.value) == WEAKENED_SLOT


def test_new_passwords_keep_the_signed_cost_when_the_file_asks_for_less(
    store_dir: StoreFixture,
) -> None:
    def lower(v: dict) -> None:
        v["new_slot_kdf"] = {**v["new_slot_kdf"], "memory_kib": 8, "iterations": 1}
        # The old way in: new slots copied the first slot's cost (here the recovery
        # slot, so the administrator can still sign in).
        recovery = next(s for s in v["slots"] if s["kind"] == "recovery")
        recovery["kdf"] = {**recovery["kdf"], "memory_kib": 8, "iterations": 1}
        v["slots"].remove(recovery)
        v["slots"].insert(0, recovery)

    edit_vault(store_dir.data_dir, lower)
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    try:
        assert admin.vault_alarm is not None
        assert "how strongly new passwords are protected" in admin.vault_alarm.changes
        people.add_user(admin, "newbie", "New Volunteer", Role.RECORDER, "newbie-password-1")
    finally:
        admin.lock()
    vault = Store.open(store_dir.data_dir).vault
    record = vault.user("newbie")
    assert record is not None
    slot = vault.slot(record.slot_id)
    assert slot is not None and slot.kdf.meets_minimum()
    assert slot.kdf.memory_kib >= MIN_MEMORY_KIB
    # Adding the user wrote the database's values back: the file is whole again.
    assert vault.new_slot_kdf is not None and vault.new_slot_kdf.meets_minimum()


# Settings: automatic lock, contacts ------------------------------------------------


def test_idle_lock_set_to_a_hundred_thousand_minutes_is_bounded_and_ignored(
    store_dir: StoreFixture,
) -> None:
    edit_vault(store_dir.data_dir, lambda v: v["settings"].update(idle_lock_minutes=100_000))
    # Before anyone signs in (the sign-in page), the bound alone applies.
    assert Store.open(store_dir.data_dir).idle_lock_minutes == 60
    session = _dsl(store_dir)
    try:
        assert session.store.idle_lock_minutes == 5  # the database's value
        assert session.vault_alarm is not None
        assert session.vault_alarm.changes == ("how soon the app locks itself",)
    finally:
        session.lock()
    rita = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    with pytest.raises(StoreTampered):
        rita.check_can_submit()
    rita.lock()


def test_changed_contact_numbers_are_named_and_refuse_recording(store_dir: StoreFixture) -> None:
    edit_vault(store_dir.data_dir, lambda v: v["contacts"].update(lado="0100 999 9999"))
    rita = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    with pytest.raises(StoreTampered):
        rita.submit_concern(_concern())
    rita.lock()
    session = _dsl(store_dir)
    try:
        assert session.vault_alarm is not None
        assert session.vault_alarm.changes == ("the contact number for the LADO",)
        assert session.store.organisation.contacts.lado == "0100 000 0003"
    finally:
        session.lock()


def test_an_added_account_and_a_changed_role_are_named(store_dir: StoreFixture) -> None:
    def promote(v: dict) -> None:
        for user in v["users"]:
            if user["username"] == store_dir.recorder[0]:
                user["role"] = "dsl"

    edit_vault(store_dir.data_dir, promote)
    session = _dsl(store_dir)
    try:
        assert session.vault_alarm is not None
        assert session.vault_alarm.changes == ("the account “rita” was changed",)
        assert session.store.vault.user("rita").role is Role.RECORDER  # type: ignore[union-attr]
    finally:
        session.lock()


def test_settings_contact_numbers_are_validated_by_the_service(store_dir: StoreFixture) -> None:
    from dataclasses import replace

    from safeguard_desktop.domain.errors import BadInput

    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    try:
        contacts = admin.store.organisation.contacts
        for bad in ("call me", "12", "0" * 40, "+44 20 7946 0000\x1b[31m"):
            with pytest.raises(BadInput):
                organisation_settings.set_contacts(admin, replace(contacts, lado=bad))  # type: ignore[arg-type]
        organisation_settings.set_contacts(
            admin, replace(contacts, lado="+44 (0)1632 960 001 ext 2")
        )  # type: ignore[attr-defined]
    finally:
        admin.lock()


# An older genuine vault.json put back --------------------------------------------------


def test_an_older_genuine_vault_put_back_is_caught_at_the_next_dsl_sign_in(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    old = (store_dir.data_dir / "vault.json").read_bytes()
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    people.remove_user(admin, store_dir.recorder[0])  # type: ignore[arg-type]
    organisation_settings.set_allow_guests(admin, False)  # type: ignore[arg-type]
    admin.lock()
    (store_dir.data_dir / "vault.json").write_bytes(old)  # signed, but older

    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    try:
        assert admin.vault_alarm is not None and admin.vault_alarm.older_copy
        assert set(admin.vault_alarm.changes) == {
            "whether people without an account may record",
            "an account “rita” was added",
            "a password or recovery key entry was added",
        }
        assert "An older copy" in admin.vault_alarm.sentence()
        assert admin.store.vault.user("rita") is None
        assert not admin.store.organisation.allow_guests
    finally:
        admin.lock()


def test_an_older_vault_from_before_a_key_rotation_opens_nothing(
    store_dir: StoreFixture,
) -> None:
    # Its slots hold the database key from before the rotation: nothing opens, and
    # nothing is changed (docs/SECURITY.md: restore the folder from a backup).
    old = (store_dir.data_dir / "vault.json").read_bytes()
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    people.remove_user(admin, store_dir.dsl[0])  # type: ignore[arg-type]  # rotates every key
    admin.lock()
    (store_dir.data_dir / "vault.json").write_bytes(old)
    cases = (store_dir.data_dir / CASES_NAME).read_bytes()
    from safeguard_desktop.domain.errors import StoreDamaged

    with pytest.raises(StoreDamaged) as caught:
        Store.open(store_dir.data_dir).login(*store_dir.admin)
    # The settings file is at fault, not the records: it says so.
    assert "vault.json" in str(caught.value) and "does not belong" in str(caught.value)
    assert "is damaged" not in str(caught.value)
    assert (store_dir.data_dir / CASES_NAME).read_bytes() == cases


# A case database from another store, with its key sealed into a slot ------------------


def test_a_case_database_swapped_for_one_with_its_own_key_is_refused(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    import secrets

    # The attacker makes a database of their own (they choose its key) with a vault
    # key of their own, and seals that database key into the admin's slot: the slot's
    # public key is in vault.json, so anyone can seal to it.
    attacker_key = secrets.token_bytes(32)
    fake = tmp_path / "fake" / CASES_NAME
    fake.parent.mkdir()
    conn = case_database.create_database(fake, attacker_key)
    with __import__("safeguard_desktop.storage.case_records", fromlist=["x"]).transaction(conn):
        vault_copy.set_signing_key(conn, vault_signing.new_key()[0])
    conn.close()

    def seal_into_admin(v: dict) -> None:
        admin = next(u for u in v["users"] if u["username"] == store_dir.admin[0])
        raw = next(s for s in v["slots"] if s["id"] == admin["slot_id"])
        slot = key_slots.KeySlot.from_json(raw)
        raw["sealed_db_key"] = base64.b64encode(
            key_slots.seal_db_key(slot, attacker_key).sealed_db_key or b""
        ).decode()

    edit_vault(store_dir.data_dir, seal_into_admin)
    for name in ("cases.db", "cases.db-wal", "cases.db-shm", "cases.db.closed"):
        (store_dir.data_dir / name).unlink(missing_ok=True)
    fake.rename(store_dir.data_dir / CASES_NAME)
    with pytest.raises(vault_trust.ForeignDatabase, match="does not belong to these accounts"):
        Store.open(store_dir.data_dir).login(*store_dir.admin)


# Guests ------------------------------------------------------------------------------


def test_guests_are_refused_when_the_organisation_turned_guests_off(
    store_dir: StoreFixture,
) -> None:
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    organisation_settings.set_allow_guests(admin, False)  # type: ignore[arg-type]
    admin.lock()
    store = Store.open(store_dir.data_dir)
    with pytest.raises(Exception, match="does not allow recording without an account"):
        recording.submit_as_guest(store, "Visiting Coach", "Coach", _concern())


# A recorder's slot stays bound to the key that signs ----------------------------------


def test_a_recorders_slot_carries_the_vault_key(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    opened = rita_slot(store)
    assert opened.vault_key is not None
    assert opened.vault_key == store.vault.vault_key
    assert vault_trust.signature_valid(store.vault, opened.vault_key)


# A slot rewrapped by the attacker around a private key of their own ---------------------


def test_a_slot_wrapped_around_the_attackers_own_key_does_not_open(
    store_dir: StoreFixture,
) -> None:
    import secrets as random

    from safeguard_desktop.security.kdf import KdfParams

    # Same slot id, kind, user and public key (so the same associated data), but a
    # private key and a password the attacker chose: it used to open as rita.
    def rewrap_rita(v: dict) -> None:
        rita = next(u for u in v["users"] if u["username"] == "rita")
        raw = next(s for s in v["slots"] if s["id"] == rita["slot_id"])
        slot = key_slots.KeySlot.from_json(raw)
        own_private, _ = sealing.new_keypair()
        salt = random.token_bytes(16)
        kek = key_slots._slot_kek(b"attacker-password", salt, KdfParams(), None)
        wrapped = key_slots._wrap(kek, own_private, None, slot.aad())
        raw["salt"] = base64.b64encode(salt).decode()
        raw["kdf"] = KdfParams().to_json()
        raw["wrapped_private_key"] = base64.b64encode(wrapped).decode()

    edit_vault(store_dir.data_dir, rewrap_rita)
    from safeguard_desktop.domain.errors import WrongCredentials

    with pytest.raises(WrongCredentials):
        Store.open(store_dir.data_dir).login("rita", "attacker-password")


# Key material is wiped at lock ---------------------------------------------------------


def test_locking_zeroes_the_keys_the_session_held(store_dir: StoreFixture) -> None:
    session = _dsl(store_dir)
    held = [session._db_key, session._vault_private]
    assert all(isinstance(k, bytearray) and any(k) for k in held)
    session.lock()
    assert all(k is not None and not any(k) for k in held)
    assert session._db_key is None and session._vault_private is None


def test_a_lock_whose_database_cannot_be_closed_still_wipes_the_keys(
    store_dir: StoreFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = _dsl(store_dir)
    held = [session._db_key, session._vault_private]
    conn = session._conn
    assert conn is not None

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(case_database, "close_database", full_disk)
    with pytest.raises(OSError):
        session.lock()
    conn.close()
    assert all(k is not None and not any(k) for k in held)
    assert session.is_locked and session._db_key is None


# A lead who has left, with the vault key they copied while they had access -----------


def test_a_settings_file_signed_with_a_copied_key_is_named_not_adopted(
    store_dir: StoreFixture,
) -> None:
    from dataclasses import replace

    from safeguard_desktop.storage.vault_file import read_vault, write_vault

    dana = _dsl(store_dir)
    stolen = vault_copy.signing_key(dana.conn)  # what a lead could copy out
    dana.lock()
    assert stolen is not None
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    people.remove_user(admin, "dana")  # type: ignore[arg-type]  # database and inbox keys rotate
    genuine_inbox = admin.store.vault.inbox_public_key
    admin.lock()

    _, theirs = sealing.new_keypair()
    vault = read_vault(store_dir.data_dir)
    forged = vault_trust.sign(
        replace(vault, inbox_public_key=theirs), stolen, vault.audit_anchor, vault.generation + 1000
    )
    write_vault(store_dir.data_dir, forged)

    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    try:
        alarm = admin.vault_alarm  # type: ignore[attr-defined]
        assert alarm is not None and alarm.newer_than_records
        assert "the key new concerns are sealed to" in alarm.changes
        assert "kept the organisation's key" in alarm.sentence()
        assert admin.store.vault.inbox_public_key == genuine_inbox  # the records' value
        admin.restore_vault_settings()  # type: ignore[attr-defined]
    finally:
        admin.lock()
    assert read_vault(store_dir.data_dir).inbox_public_key == genuine_inbox


# A suspension written into the file by someone with no password --------------------------


def test_a_suspension_written_into_the_file_locks_no_one_out(store_dir: StoreFixture) -> None:
    # Written into the only administrator's record (and a recorder's), checksum and all:
    # it used to refuse them at sign-in, the recovery key included, before any check.
    def suspend(v: dict) -> None:
        for user in v["users"]:
            if user["username"] in (store_dir.admin[0], store_dir.recorder[0]):
                user["suspended_at"] = "2026-12-08T00:00:00+00:00"

    edit_vault(store_dir.data_dir, suspend)
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    try:
        assert isinstance(admin, CaseSession)
        assert admin.vault_alarm is not None
        assert "the account “admin” was changed" in admin.vault_alarm.changes
        assert not admin.store.vault.user(store_dir.admin[0]).suspended  # type: ignore[union-attr]
    finally:
        admin.lock()

    recovered = Store.open(store_dir.data_dir).recover(
        store_dir.recovery_key, store_dir.admin[0], "a-new-admin-password-1"
    )
    assert isinstance(recovered, CaseSession)
    recovered.lock()

    # The recorder signs in; the unsigned file is what stops her sealing, and says so.
    edit_vault(store_dir.data_dir, suspend)
    rita = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    try:
        with pytest.raises(StoreTampered) as caught:
            rita.check_can_submit()
        assert str(caught.value) == REFUSAL
    finally:
        rita.lock()


# A slot's salt or wrapping changed (outside the signature) ------------------------------


def _new_salt(data_dir: Path, slot_of: str) -> None:
    """Give one slot a random salt: ``slot_of`` is a user name, or "recovery"."""
    import secrets as random

    def change(v: dict) -> None:
        if slot_of == "recovery":
            raw = next(s for s in v["slots"] if s["kind"] == "recovery")
        else:
            user = next(u for u in v["users"] if u["username"] == slot_of)
            raw = next(s for s in v["slots"] if s["id"] == user["slot_id"])
        raw["salt"] = base64.b64encode(random.token_bytes(16)).decode()

    edit_vault(data_dir, change)


def test_a_changed_recovery_slot_is_named_and_the_records_copy_is_used(
    store_dir: StoreFixture,
) -> None:
    # Only the salt: the public key and cost are signed, the salt is not. It used to pass
    # unseen, and the recovery key stopped opening the records.
    _new_salt(store_dir.data_dir, "recovery")
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    try:
        alarm = admin.vault_alarm
        assert alarm is not None and alarm.changes == ("the recovery key's entry was changed",)
        assert not alarm.older_copy  # signed and as new as the records, yet changed
        assert alarm.sentence().startswith("The organisation's settings file was changed")
        copy = vault_copy.vault_copy(admin.conn)
        assert copy is not None
        kept = vault_file.parse_vault_json(copy).recovery_slot()
        assert admin.store.vault.recovery_slot() == kept
        admin.restore_vault_settings()
    finally:
        admin.lock()
    recovered = Store.open(store_dir.data_dir).recover(
        store_dir.recovery_key, store_dir.admin[0], "a-new-admin-password-1"
    )
    recovered.lock()


def test_a_changed_leads_slot_is_named_at_the_next_sign_in_and_put_back(
    store_dir: StoreFixture,
) -> None:
    from safeguard_desktop.domain.errors import WrongCredentials

    _new_salt(store_dir.data_dir, store_dir.dsl[0])
    with pytest.raises(WrongCredentials):  # locked out: the slot no longer opens
        Store.open(store_dir.data_dir).login(*store_dir.dsl)
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    try:
        alarm = admin.vault_alarm
        assert alarm is not None
        assert alarm.changes == ("the password entry of “dana” was changed",)
        admin.restore_vault_settings()
    finally:
        admin.lock()
    _dsl(store_dir).lock()  # her slot is back as the records keep it


def test_a_recorders_own_new_password_is_no_alarm(store_dir: StoreFixture) -> None:
    # A recorder rewrites only their own slot, unsigned (they hold no vault key): the
    # records' copy still has the old wrapping, and that is expected.
    rita = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    rita.change_password(store_dir.recorder[1], "a-new-recorder-pw-1")
    rita.lock()
    session = _dsl(store_dir)
    try:
        assert session.vault_alarm is None
    finally:
        session.lock()
    Store.open(store_dir.data_dir).login(store_dir.recorder[0], "a-new-recorder-pw-1").lock()
