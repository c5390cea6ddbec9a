"""Suspending the account of an adult an allegation is about (KCSIE Part 4), in the services.

A suspended account cannot sign in or seal a concern, whatever the screens show; what
reaches the inbox under its name afterwards is kept aside for a lead; a lead's account
also loses the database key, which is changed. Suspending and reinstating are audited,
and the only lead or administrator still able to sign in is never suspended.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from safeguard_desktop.domain.accounts import SUSPENDED
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.errors import NotPermitted, StoreTampered
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.security import key_slots
from safeguard_desktop.services import audit_trail, casework, inbox, people, recording
from safeguard_desktop.services.session import CaseSession, RecorderSession
from safeguard_desktop.services.store import Store
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


def _lead(store_dir, who: tuple[str, str] | None = None) -> CaseSession:
    session = Store.open(store_dir.data_dir).login(*(who or store_dir.admin))
    assert isinstance(session, CaseSession)
    return session


def _actions(session: CaseSession) -> list[tuple[str, str, dict[str, object]]]:
    return [(e.actor, e.action, e.detail) for e in audit_trail.entries(session, 500)]


def test_a_suspended_recorder_cannot_sign_in_or_record_and_it_is_audited(store_dir) -> None:
    recorder = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    assert isinstance(recorder, RecorderSession)

    admin = _lead(store_dir)
    changes = people.suspend_user(admin, "rita", concern_ref=None)
    assert changes.people == ("rita",) or "rita" in changes.people
    assert admin.store.vault.user("rita").suspended  # type: ignore[union-attr]
    admin.lock()

    # Signed in before the suspension: sealing is refused by the service itself.
    with pytest.raises(NotPermitted) as refused:
        recorder.submit_concern(_concern())
    assert str(refused.value) == SUSPENDED
    # Signing in again is refused, after the right password only.
    with pytest.raises(NotPermitted) as refused:
        Store.open(store_dir.data_dir).login(*store_dir.recorder)
    assert "suspended" in str(refused.value)
    assert "NSPCC" in str(refused.value)  # a worry about a child still has somewhere to go

    admin = _lead(store_dir)
    entries = _actions(admin)
    suspended = [d for _, a, d in entries if a == "account_suspended"]
    assert suspended == [{"username": "rita", "role": "recorder"}]
    # The refused sign-in reached the audit log through the inbox at this sign-in.
    assert any(a == "suspended_sign_in" and actor == "rita" for actor, a, _ in entries)

    people.reinstate_user(admin, "rita")
    assert not admin.store.vault.user("rita").suspended  # type: ignore[union-attr]
    assert any(a == "account_reinstated" for _, a, _ in _actions(admin))
    admin.lock()
    again = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    again.submit_concern(_concern())


def test_editing_the_suspension_out_of_vault_json_does_not_let_them_record(store_dir) -> None:
    admin = _lead(store_dir)
    people.suspend_user(admin, "rita")
    admin.lock()
    vault = read_vault(store_dir.data_dir)
    users = tuple(
        u.__class__(**{**u.__dict__, "suspended_at": None}) if u.username == "rita" else u
        for u in vault.users
    )
    write_vault(store_dir.data_dir, vault.with_changes(users=users))

    # The file no longer says so, so the sign-in (which a recorder's PC cannot check
    # against the records) goes through; the seal its slot pins catches the edit.
    recorder = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    with pytest.raises(StoreTampered):
        recorder.submit_concern(_concern())


def test_what_a_suspended_account_sealed_afterwards_is_kept_aside(store_dir) -> None:
    recorder = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    before = recorder.submit_concern(_concern())  # waits in the inbox
    admin = _lead(store_dir)  # its sign-in took that one in
    second = recorder.submit_concern(_concern())  # sent while the lead is signed in
    changes = people.suspend_user(admin, "rita")
    assert second in changes.concerns  # what waited was taken in before the suspension
    # A copy of the app that skips the check (or a recording station's late delivery).
    opened = recorder._opened
    assert opened is not None
    submitter = recording.Submitter(name="Rita Recorder", role="recorder", username="rita")
    late = recording.seal_concern(admin.store, _concern(), submitter, sender=opened)
    inbox.ingest(admin)
    refs = {c.ref for c in casework.list_concerns(admin)}
    assert {before, second} <= refs and late not in refs
    kept = [q for q in inbox.quarantined(admin) if q.ref == late]
    assert len(kept) == 1 and kept[0].reason == "suspended_sender"
    assert "suspended" in kept[0].sentence
    # Never lost: a lead who has read it may take it in.
    inbox.accept_quarantined(admin, kept[0].item_id)
    assert late in {c.ref for c in casework.list_concerns(admin)}


def test_a_suspended_lead_loses_the_database_key_until_reinstated(store_dir) -> None:
    admin = _lead(store_dir)
    people.add_user(admin, "sam", "Sam Second", Role.DSL, "second-dsl-pw-1")
    old_slot = admin.store.vault.slot(admin.store.vault.user("dana").slot_id)  # type: ignore[union-attr]
    assert old_slot is not None and old_slot.sealed_db_key is not None
    people.suspend_user(admin, "dana", concern_ref=None)
    vault = admin.store.vault
    slot = vault.slot(vault.user("dana").slot_id)  # type: ignore[union-attr]
    assert slot is not None and slot.sealed_db_key is None
    details = [d for _, a, d in _actions(admin) if a == "account_suspended"]
    assert details == [{"username": "dana", "role": "dsl", "keys_rotated": True}]
    admin.lock()

    with pytest.raises(NotPermitted) as refused:
        Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert str(refused.value) == SUSPENDED
    # Her password still opens her slot, which no longer holds any database key.
    opened = key_slots.open_slot(slot, store_dir.dsl[1].encode(), None)
    assert opened.db_key is None
    # Editing the suspension out of vault.json opens nothing either.
    edited = read_vault(store_dir.data_dir)
    users = tuple(
        u.__class__(**{**u.__dict__, "suspended_at": None}) if u.username == "dana" else u
        for u in edited.users
    )
    write_vault(store_dir.data_dir, edited.with_changes(users=users))
    with pytest.raises(NotPermitted):
        Store.open(store_dir.data_dir).login(*store_dir.dsl)

    admin = _lead(store_dir)
    people.reinstate_user(admin, "dana")
    admin.lock()
    dana = _lead(store_dir, store_dir.dsl)  # her own password, the current key
    assert dana.user.role is Role.DSL
    dana.lock()


def test_the_only_lead_the_only_admin_and_yourself_are_not_suspended(store_dir) -> None:
    admin = _lead(store_dir)
    with pytest.raises(NotPermitted) as refused:
        people.suspend_user(admin, "dana")
    assert "only safeguarding lead" in str(refused.value)
    with pytest.raises(NotPermitted) as refused:
        people.suspend_user(admin, "admin")
    assert "signed in with" in str(refused.value)
    admin.lock()
    dana = _lead(store_dir, store_dir.dsl)
    with pytest.raises(NotPermitted) as refused:
        people.suspend_user(dana, "admin")
    assert "only administrator" in str(refused.value)
    # A lead who is not an administrator may suspend; only an administrator reinstates.
    people.suspend_user(dana, "rita", concern_ref="C-0000-0000")
    with pytest.raises(NotPermitted):
        people.reinstate_user(dana, "rita")
    with pytest.raises(NotPermitted) as refused:
        people.suspend_user(dana, "rita")
    assert "already suspended" in str(refused.value)
    assert store_dir.data_dir.joinpath("vault.json").read_text().count("suspended_at") == 1
    dana.lock()


def test_the_command_line_suspends_and_reinstates_with_the_same_rules(store_dir, tmp_path) -> None:
    from cli_run import assert_error, concern_file, run

    concern = concern_file(tmp_path)

    dsl, admin, data = store_dir.dsl, store_dir.admin, store_dir.data_dir
    result = run(
        tmp_path, data, "user", "suspend", "--as", dsl[0], "--user", "rita", stdin=dsl[1] + "\n"
    )
    assert result.returncode == 0, result.stderr
    listed = run(tmp_path, data, "user", "list").stdout
    assert '"username": "rita"' in listed and '"suspended": true' in listed
    refused = run(
        tmp_path,
        data,
        "record",
        "--as",
        "rita",
        "--json",
        str(concern),
        stdin=store_dir.recorder[1] + "\n",
    )
    assert "This account is suspended" in assert_error(refused, 3)
    line = assert_error(
        run(
            tmp_path,
            data,
            "user",
            "suspend",
            "--as",
            dsl[0],
            "--user",
            "admin",
            stdin=dsl[1] + "\n",
        ),
        3,
    )
    assert "only administrator still able to sign in" in line
    # Only an administrator reinstates.
    assert_error(
        run(
            tmp_path,
            data,
            "user",
            "reinstate",
            "--as",
            dsl[0],
            "--user",
            "rita",
            stdin=dsl[1] + "\n",
        ),
        3,
    )
    result = run(
        tmp_path,
        data,
        "user",
        "reinstate",
        "--as",
        admin[0],
        "--user",
        "rita",
        stdin=admin[1] + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert '"suspended": true' not in run(tmp_path, data, "user", "list").stdout
