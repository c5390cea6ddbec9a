"""The store through its services: signing in, roles, recording, the audit chain, schema versions.

Everything runs against real SQLCipher files copied from the session's template store.
Tampering tests open the case database directly with the key taken from the admin's
key slot, exactly as someone holding the key (or a debugger) could.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlcipher3
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from concern_example import example_concern
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.errors import (
    BadInput,
    NotPermitted,
    StoreDamaged,
    StoreExists,
    StoreMissing,
    StoreTooNew,
    WrongCredentials,
)
from safeguard_desktop.domain.organisation import LocalContacts, OrgType, Role
from safeguard_desktop.security import key_slots, recovery_key, sealing
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services import audit_trail, casework, organisation_settings, people
from safeguard_desktop.services.recording import submit_as_guest
from safeguard_desktop.services.session import CaseSession, RecorderSession
from safeguard_desktop.services.setup import SetupRequest, create_store
from safeguard_desktop.services.store import UNKNOWN_USER, WRONG_CREDENTIALS, Store
from safeguard_desktop.storage import case_database, case_records
from safeguard_desktop.storage.schema import MIGRATIONS, SCHEMA_VERSION

# The example from shared/CLI.md, verbatim.
EXAMPLE_CONCERN = example_concern()


def _concern() -> Concern:
    return Concern.from_json(EXAMPLE_CONCERN, now=datetime.now())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _folder_state(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): _sha256(p) if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


def _db_key(store_dir) -> bytes:
    """The database key, from the admin's slot (what a debugger on a DSL's PC could see)."""
    vault = Store.open(store_dir.data_dir).vault
    record = vault.user(store_dir.admin[0])
    assert record is not None
    slot = vault.slot(record.slot_id)
    assert slot is not None
    key = key_slots.open_slot(slot, store_dir.admin[1].encode(), None).db_key
    assert key is not None
    return key


def _run_cli(store_dir, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["SAFEGUARD_LOG_DIR"] = str(store_dir.data_dir.parent / "logs")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguard_desktop.cli",
            "--data-dir",
            str(store_dir.data_dir),
            *args,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


# Signing in ----------------------------------------------------------------------


def test_each_role_gets_its_own_kind_of_session(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    expected = {
        store_dir.admin: (CaseSession, Role.ADMIN),
        store_dir.dsl: (CaseSession, Role.DSL),
        store_dir.recorder: (RecorderSession, Role.RECORDER),
    }
    for (username, password), (kind, role) in expected.items():
        session = store.login(username, password)
        try:
            assert type(session) is kind
            assert session.user.username == username
            assert session.user.role is role
            assert not session.is_locked
        finally:
            session.lock()
        assert session.is_locked
    # A recorder's session offers no way to read anything.
    recorder = store.login(*store_dir.recorder)
    for reading in ("open_concern", "list_concerns", "audit_entries", "conn", "verify_audit"):
        assert not hasattr(recorder, reading), reading
    recorder.lock()


def _reachable(root: object) -> Iterator[object]:
    """Every object reachable from ``root`` through attributes and containers."""
    seen: set[int] = set()
    stack: list[object] = [root]
    skip = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType)
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        yield obj
        if isinstance(obj, (str, bytes, bytearray, int, float, type(None), *skip)):
            continue
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        attributes = getattr(obj, "__dict__", None)
        if isinstance(attributes, dict):
            stack.extend(attributes.values())
        for name in getattr(type(obj), "__slots__", ()):
            if hasattr(obj, name):
                stack.append(getattr(obj, name))


def _secrets_found(session: object, db_key: bytes, inbox_private: bytes) -> set[str]:
    found = set()
    for obj in _reachable(session):
        if isinstance(obj, (bytes, bytearray)):
            if db_key in obj:
                found.add("database key")
            if inbox_private in obj:
                found.add("inbox private key")
        elif isinstance(obj, str):
            if db_key.hex() in obj.lower():
                found.add("database key")
            if inbox_private.hex() in obj.lower():
                found.add("inbox private key")
        elif isinstance(obj, X25519PrivateKey):
            if sealing.private_bytes(obj) == inbox_private:
                found.add("inbox private key")
        elif isinstance(obj, sqlcipher3.Connection):
            found.add("case database connection")
    return found


def test_recorder_holds_neither_the_database_key_nor_the_inbox_key(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    admin = store.login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    db_key = _db_key(store_dir)
    inbox_keys = case_records.inbox_private_keys(admin.conn)
    inbox_private = inbox_keys[store.vault.inbox_public_key]
    # Control: the same search finds both keys in a DSL/admin session, so an empty
    # result for the recorder means something.
    admin_found = _secrets_found(admin, db_key, inbox_private)
    assert {"database key", "case database connection"} <= admin_found
    admin.lock()
    assert "database key" not in _secrets_found(admin, db_key, inbox_private)

    recorder = store.login(*store_dir.recorder)
    assert isinstance(recorder, RecorderSession)
    recorder.submit_concern(_concern())
    assert _secrets_found(recorder, db_key, inbox_private) == set()
    # Nor can the recorder's slot give the key: none was ever sealed into it.
    record = store.vault.user(store_dir.recorder[0])
    assert record is not None
    slot = store.vault.slot(record.slot_id)
    assert slot is not None and slot.sealed_db_key is None
    recorder.lock()


def test_wrong_password_is_one_plain_sentence_without_the_password(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    for username, password in [
        ("dana", "dsl-password-2"),
        ("nobody", "dsl-password-1"),
        ("rita", ""),
    ]:
        with pytest.raises(WrongCredentials) as caught:
            store.login(username, password)
        message = str(caught.value)
        # The same words whether the user exists or not: no user-name probing.
        assert message == WRONG_CREDENTIALS
        assert "\n" not in message
        assert caught.value.exit_code == 3
        if password:
            assert password not in message
        assert "Traceback" not in message


def test_failed_sign_ins_slow_down_and_survive_a_restart(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    username, password = store_dir.dsl
    delays = []
    for _ in range(3):
        assert store.login_delay(username) == 0
        with pytest.raises(WrongCredentials):
            store.login(username, "not-the-password")
        delays.append(store.login_delay(username))
    assert delays[0] == 0 and delays[1] == 0  # Caps Lock happens
    assert delays[2] > 0
    # A restart (a new Store on the same folder) does not reset the count.
    restarted = Store.open(store_dir.data_dir)
    assert restarted.login_delay(username) > 0
    # During the delay even the right password is turned away, with the wait given.
    with pytest.raises(WrongCredentials) as caught:
        restarted.login(username, password)
    assert caught.value.retry_after > 0
    assert "wait" in str(caught.value)
    assert password not in str(caught.value)
    # Other accounts are not slowed down by someone guessing this one.
    assert restarted.login_delay(store_dir.admin[0]) == 0
    # The next failure after the wait costs more.
    restarted.wait_for_login(username)
    with pytest.raises(WrongCredentials) as caught:
        restarted.login(username, "still-not-the-password")
    assert caught.value.retry_after > delays[2]
    assert restarted.login_delay(username) > delays[2]


def test_failed_sign_ins_reach_the_audit_log_at_the_next_dsl_sign_in(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    with pytest.raises(WrongCredentials):
        store.login("dana", "guessing-dana-1")
    with pytest.raises(WrongCredentials):
        store.login("nobody", "guessing-nobody-1")
    session = store.login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        entries = audit_trail.entries(session)
        failed = [e for e in entries if e.action == "login_failed"]
        # An unknown name is recorded as such, never as typed (it may be a password).
        assert sorted(e.actor for e in failed) == [UNKNOWN_USER, "dana"]
        login = next(e for e in entries if e.action == "login" and e.actor == "dana")
        assert all(e.seq < login.seq for e in failed)
        text = json.dumps([[e.actor, e.action, e.detail] for e in entries])
        assert "guessing" not in text and "nobody" not in text
        assert audit_trail.verify(session).ok
    finally:
        session.lock()
    assert store.inbox.count() == 0


# Recording -----------------------------------------------------------------------


def test_recorder_submits_and_the_dsl_reads_it_back_unchanged(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    concern = _concern()
    recorder = store.login(*store_dir.recorder)
    assert isinstance(recorder, RecorderSession)
    ref = recorder.submit_concern(concern)
    assert [r.ref for r in recorder.receipts()] == [ref]
    recorder.lock()
    assert store.inbox.count() >= 1
    # The sealed copy in inbox.db does not hold the text.
    assert b"Amelia" not in (store_dir.data_dir / "inbox.db").read_bytes()

    dsl = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(dsl, CaseSession)
    try:
        assert casework.concern_count(dsl) == 1
        stored = casework.open_concern(dsl, ref)
        assert stored.ref == ref
        assert stored.body == concern.to_json()
        assert stored.submitter == {"name": "Rita Recorder", "role": "recorder", "username": "rita"}
        assert Concern.from_json(stored.body, now=datetime.now()) == concern
        actions = [(e.action, e.detail.get("ref")) for e in audit_trail.entries(dsl)]
        assert ("concern_received", ref) in actions
        assert ("concern_opened", ref) in actions
        with pytest.raises(BadInput):
            casework.open_concern(dsl, "C-0000-0000")
    finally:
        dsl.lock()
    assert store.inbox.count() == 0


def test_guests_record_only_when_the_organisation_allows_it(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    assert store.organisation.allow_guests
    ref = submit_as_guest(store, "Gail Guest", "Volunteer driver", _concern())

    admin = store.login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    try:
        stored = casework.open_concern(admin, ref)
        assert stored.submitter == {
            "name": "Gail Guest",
            "role": "Volunteer driver",
            "username": None,
        }
        assert stored.body == _concern().to_json()
        organisation_settings.set_allow_guests(admin, False)
    finally:
        admin.lock()

    refused = Store.open(store_dir.data_dir)
    assert not refused.organisation.allow_guests
    before = _sha256(store_dir.data_dir / "inbox.db")
    with pytest.raises(NotPermitted):
        submit_as_guest(refused, "Gail Guest", "Volunteer driver", _concern())
    assert _sha256(store_dir.data_dir / "inbox.db") == before


# The audit chain -----------------------------------------------------------------


def _audit_verify_cli(store_dir) -> subprocess.CompletedProcess[str]:
    return _run_cli(
        store_dir, "audit-verify", "--as", store_dir.dsl[0], stdin=store_dir.dsl[1] + "\n"
    )


def test_audit_chain_verifies_after_a_series_of_actions(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    recorder = store.login(*store_dir.recorder)
    ref = recorder.submit_concern(_concern())  # type: ignore[attr-defined]
    recorder.lock()
    admin = store.login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    try:
        casework.open_concern(admin, ref)
        organisation_settings.set_idle_lock_minutes(admin, 7)
        organisation_settings.set_contacts(admin, LocalContacts(front_door="0100 000 0009"))
        people.add_user(admin, "sam", "Sam Second", Role.RECORDER, "recorder-pw-2")
        people.remove_user(admin, "sam")
        report = audit_trail.verify(admin)
        actions = [e.action for e in audit_trail.entries(admin, limit=1000)]
    finally:
        admin.lock()
    assert report.ok and report.first_broken is None
    assert report.entries == report.head_seq == len(actions)
    for action in (
        "store_created",
        "user_added",
        "login",
        "concern_received",
        "concern_opened",
        "setting_changed",
        "user_removed",
    ):
        assert action in actions
    assert Store.open(store_dir.data_dir).idle_lock_minutes == 7

    result = _audit_verify_cli(store_dir)
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["ok"] is True and printed["first_broken"] is None


def _open_directly(store_dir) -> sqlcipher3.Connection:
    return case_database.open_database(store_dir.data_dir / "cases.db", _db_key(store_dir))


def test_triggers_refuse_update_and_delete(store_dir) -> None:
    conn = _open_directly(store_dir)
    try:
        with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit_log SET detail = '{}' WHERE seq = 1")
        with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM audit_log WHERE seq = 1")
        with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM audit_log")
        count = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        assert count >= 3
    finally:
        conn.close()


def test_replacing_an_entry_is_refused(store_dir) -> None:
    # INSERT OR REPLACE deletes without firing DELETE triggers (SQLite's default),
    # so a BEFORE INSERT trigger refuses any sequence number already used.
    conn = _open_directly(store_dir)
    try:
        row = conn.execute(
            "SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit_log WHERE seq = 2"
        ).fetchone()
        with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
            conn.execute(
                "INSERT OR REPLACE INTO audit_log (seq, at, actor, action, detail, prev_hash, "
                "hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (row[0], row[1], "mallory", *row[3:]),
            )
        actor = conn.execute("SELECT actor FROM audit_log WHERE seq = 2").fetchone()[0]
        assert actor != "mallory"
    finally:
        conn.close()


@pytest.mark.parametrize("tamper", ["update_detail", "update_actor", "delete"])
def test_tampered_audit_entry_is_named_by_the_verifier_and_the_cli(store_dir, tamper: str) -> None:
    seq = 2
    conn = _open_directly(store_dir)
    try:
        total = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        assert total > seq
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        if tamper == "update_detail":
            conn.execute(
                "UPDATE audit_log SET detail = ? WHERE seq = ?",
                (json.dumps({"username": "someone-else", "role": "dsl"}), seq),
            )
        elif tamper == "update_actor":
            conn.execute("UPDATE audit_log SET actor = 'nobody' WHERE seq = ?", (seq,))
        else:
            conn.execute("DELETE FROM audit_log WHERE seq = ?", (seq,))
    finally:
        conn.close()

    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        assert not session.audit_report.ok  # checked on unlock already
        report = audit_trail.verify(session)
    finally:
        session.lock()
    assert not report.ok
    assert report.first_broken == seq
    assert f"entry {seq}" in report.reason

    result = _audit_verify_cli(store_dir)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"entry {seq}" in lines[0]
    assert json.loads(result.stdout)["first_broken"] == seq


# Schema versions -------------------------------------------------------------------


def test_database_from_a_newer_program_is_refused_and_left_unchanged(store_dir) -> None:
    conn = _open_directly(store_dir)
    try:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    finally:
        conn.close()
    path = store_dir.data_dir / "cases.db"
    before = _folder_state(store_dir.data_dir)
    with pytest.raises(StoreTooNew) as caught:
        Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert str(path) in str(caught.value)
    assert "newer version" in str(caught.value)
    assert _folder_state(store_dir.data_dir) == before
    result = _run_cli(store_dir, "audit-verify", "--as", "admin", stdin="admin-password-1\n")
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert _folder_state(store_dir.data_dir) == before


def _raw_connect(path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_compatibility = 4")
    return conn


def _tables(conn: sqlcipher3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_version_zero_file_is_migrated_and_its_copy_removed_once_checked(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "cases.db"
    conn = _raw_connect(path, key)
    conn.execute("CREATE TABLE legacy (note TEXT)")
    conn.execute("INSERT INTO legacy VALUES ('kept')")
    conn.close()

    conn = case_database.open_database(path, key)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert {"settings", "inbox_keys", "audit_log", "concerns", "legacy"} <= _tables(conn)
        assert conn.execute("SELECT note FROM legacy").fetchall() == [("kept",)]
    finally:
        conn.close()
    # The copy made before the first step is removed once the result checked out: it
    # would still open with this key after the key is rotated.
    assert not list(tmp_path.glob("*.bak"))


def test_failed_migration_step_rolls_back_and_keeps_the_backup(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "cases.db"
    conn = _raw_connect(path, key)
    # A table the first migration also creates: its step must fail as a whole.
    conn.execute("CREATE TABLE concerns (x)")
    conn.execute("INSERT INTO concerns VALUES ('kept')")
    conn.close()
    with pytest.raises(StoreDamaged, match="could not be upgraded") as caught:
        case_database.open_database(path, key)
    assert "\n" not in str(caught.value)
    backup = tmp_path / "cases.db.before-v1.bak"
    # The copy is the data as it was before the first step (only the journal mode,
    # set on opening, may differ), and as encrypted as the original.
    assert b"kept" not in backup.read_bytes()
    old = _raw_connect(backup, key)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 0
        assert _tables(old) == {"concerns"}
        assert old.execute("SELECT x FROM concerns").fetchall() == [("kept",)]
    finally:
        old.close()
    conn = _raw_connect(path, key)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert _tables(conn) == {"concerns"}  # nothing of the half-run step is left
    finally:
        conn.close()


def test_migrations_run_in_order_and_set_user_version(tmp_path: Path) -> None:
    assert len(MIGRATIONS) == SCHEMA_VERSION
    conn = _raw_connect(tmp_path / "new.db", os.urandom(32))
    try:
        case_database.migrate(conn, 0)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        # Running the chain again from the top is refused rather than half-applied.
        with pytest.raises(sqlcipher3.DatabaseError):
            case_database.migrate(conn, 0)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        # From the current version there is nothing to do.
        case_database.migrate(conn, SCHEMA_VERSION)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()
    assert not list(tmp_path.glob("*.bak"))  # a new file needs no copy


def test_current_store_opens_without_a_migration_copy(store_dir) -> None:
    session = Store.open(store_dir.data_dir).login(*store_dir.admin)
    session.lock()
    assert not list(store_dir.data_dir.glob("*.bak"))


# Passwords and set-up --------------------------------------------------------------


def test_change_password_and_the_old_one_stops_working(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    admin = store.login(*store_dir.admin)
    vault_before = _sha256(store_dir.data_dir / "vault.json")
    with pytest.raises(WrongCredentials):
        admin.change_password("not-my-password", "admin-password-2")
    with pytest.raises(BadInput):
        admin.change_password(store_dir.admin[1], "short")
    assert _sha256(store_dir.data_dir / "vault.json") == vault_before
    admin.change_password(store_dir.admin[1], "admin-password-2")
    admin.lock()

    fresh = Store.open(store_dir.data_dir)
    with pytest.raises(WrongCredentials):
        fresh.login("admin", store_dir.admin[1])
    session = fresh.login("admin", "admin-password-2")
    try:
        assert isinstance(session, CaseSession)
        assert audit_trail.verify(session).ok
        assert any(e.action == "password_changed" for e in audit_trail.entries(session))
    finally:
        session.lock()
    # The database key did not change, so the recovery key still opens it.
    recovery = fresh.vault.recovery_slot()
    assert recovery is not None
    opened = key_slots.open_slot(recovery, recovery_key.secret_bytes(store_dir.recovery_key), None)
    assert opened.db_key is not None
    assert case_database.key_opens(store_dir.data_dir / "cases.db", opened.db_key)


def _request() -> SetupRequest:
    return SetupRequest(
        org_name="Another Club",
        org_type=OrgType.CLUB,
        admin_username="admin2",
        admin_display_name="Second Admin",
        admin_password="another-password-1",
    )


@pytest.mark.parametrize("keep", ["everything", "cases_only"])
def test_creating_a_store_where_one_exists_changes_nothing(store_dir, keep: str) -> None:
    if keep == "cases_only":
        (store_dir.data_dir / "vault.json").unlink()
    before = _folder_state(store_dir.data_dir)
    with pytest.raises(StoreExists) as caught:
        create_store(store_dir.data_dir, _request(), kdf=KdfParams())
    assert str(store_dir.data_dir) in str(caught.value)
    assert caught.value.exit_code == 2
    # Records without their settings file cannot be signed in to: it says what is missing.
    missing = "settings file vault.json is missing" in str(caught.value)
    assert missing == (keep == "cases_only")
    assert _folder_state(store_dir.data_dir) == before


def test_opening_an_empty_folder_says_there_is_no_store(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing):
        Store.open(tmp_path)
    assert not Store.exists(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_names_given_at_setup_are_kept_as_typed(tmp_path: Path) -> None:
    # Issue 21: "Riverside  Juniors" (two spaces) was stored as "Riverside Juniors", and
    # the admin's name likewise. Only the spaces around a name are trimmed.
    from safeguard_desktop.storage.vault_file import read_vault

    request = _request()
    request.org_name = "  Riverside  Juniors Zo\u0065\u0308 FC "
    request.admin_display_name = " Zoe\u0308  Admin "
    create_store(tmp_path / "data", request, kdf=KdfParams())
    vault = read_vault(tmp_path / "data")
    assert vault.organisation.name == "Riverside  Juniors Zo\u0065\u0308 FC"
    assert vault.users[0].display_name == "Zoe\u0308  Admin"


def test_a_long_polish_organisation_name_sets_up(tmp_path: Path) -> None:
    # "<name> safeguarding" is 73 bytes in UTF-8: the signing certificate's common name
    # once failed at the very end of setup, after the passwords were typed.
    from safeguard_desktop.storage.vault_file import read_vault

    request = _request()
    request.org_name = "Stowarzyszenie Pomocy Dzieciom Źródło Łódź Śródmieście"
    create_store(tmp_path / "data", request, kdf=KdfParams())
    assert read_vault(tmp_path / "data").organisation.name == request.org_name


@pytest.mark.parametrize(
    ("org_name", "admin_name", "message"),
    [
        (
            "River\tside",
            "A B",
            "The field 'Organisation name' contains a tab; please use a space instead.",
        ),
        (
            "River\nside",
            "A B",
            "The field 'Organisation name' must be on one line; please remove the line breaks.",
        ),
        ("   ", "A B", "Please type the name of your organisation."),
        (
            "Riverside",
            "A\tB",
            "The full name contains a tab, a line break or another control character; "
            "please retype it.",
        ),
    ],
    ids=["tab", "line_break", "blank", "tab_in_admin_name"],
)
def test_names_that_would_change_on_the_way_out_are_refused(
    tmp_path: Path, org_name: str, admin_name: str, message: str
) -> None:
    request = _request()
    request.org_name = org_name
    request.admin_display_name = admin_name
    with pytest.raises(BadInput) as caught:
        create_store(tmp_path / "data", request, kdf=KdfParams())
    assert str(caught.value) == message
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("shape", ["file", "under_a_file"])
def test_a_data_folder_that_cannot_be_a_folder_is_bad_input(tmp_path: Path, shape: str) -> None:
    (tmp_path / "taken").write_text("someone's file")
    target = tmp_path / "taken" if shape == "file" else tmp_path / "taken" / "data"
    with pytest.raises(BadInput) as caught:
        create_store(target, _request(), kdf=KdfParams())
    assert str(target) in str(caught.value)
    assert (tmp_path / "taken").read_text() == "someone's file"


def test_a_taken_reference_is_not_mistaken_for_damage(store_dir) -> None:
    from safeguard_desktop.storage.sealed_inbox import DuplicateReference, SealedInbox

    inbox = SealedInbox(store_dir.data_dir / "inbox.db")
    inbox.put("C-AAAA-AAAA", "concern", "2026-11-20T15:30:00+00:00", b"k" * 32, b"sealed")
    with pytest.raises(DuplicateReference):
        inbox.put("C-AAAA-AAAA", "concern", "2026-11-20T15:31:00+00:00", b"k" * 32, b"other")
    assert [item.sealed for item in inbox.pending()] == [b"sealed"]
