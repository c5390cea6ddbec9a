"""The recovery key in use: a new administrator password, and new passwords for others.

This is the way back in when every password is forgotten or the records move to
a PC whose credential store does not hold the device secret.
"""

from __future__ import annotations

import json

import pytest

from cli_run import assert_error, run
from safeguard_desktop.domain.errors import BadInput, NotPermitted, WrongCredentials
from safeguard_desktop.services import audit_trail, people
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store


def _wrong_but_well_formed(code: str) -> str:
    # Change a group's data digits and recompute nothing: find another valid group.
    from safeguard_desktop.security import recovery_key

    groups = code.split("-")
    first = groups[0]
    for n in range(100_000):
        candidate = f"{n:05d}"
        for check in "0123456789":
            if candidate + check != first and recovery_key.check_group(candidate + check):
                groups[0] = candidate + check
                return "-".join(groups)
    raise AssertionError("no other valid group")


def test_recovery_key_gives_the_admin_a_new_password(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    session = store.recover(store_dir.recovery_key.replace("-", " "), "admin", "a-brand-new-pass")
    try:
        assert isinstance(session, CaseSession)
        assert audit_trail.entries(session, 1)[0].action == "password_reset_with_recovery_key"
        assert audit_trail.verify(session).ok
    finally:
        session.lock()
    with pytest.raises(WrongCredentials):
        Store.open(store_dir.data_dir).login(*store_dir.admin)
    Store.open(store_dir.data_dir).login("admin", "a-brand-new-pass").lock()


def test_a_typo_in_the_recovery_key_names_its_group(store_dir) -> None:
    groups = store_dir.recovery_key.split("-")
    digit = groups[2][0]
    groups[2] = ("1" if digit != "1" else "2") + groups[2][1:]
    with pytest.raises(BadInput, match="Group 3"):
        Store.open(store_dir.data_dir).recover("-".join(groups), "admin", "a-brand-new-pass")


def test_a_wrong_recovery_key_changes_nothing(store_dir) -> None:
    before = (store_dir.data_dir / "vault.json").read_bytes()
    with pytest.raises(WrongCredentials, match="does not open these records"):
        Store.open(store_dir.data_dir).recover(
            _wrong_but_well_formed(store_dir.recovery_key), "admin", "a-brand-new-pass"
        )
    assert (store_dir.data_dir / "vault.json").read_bytes() == before
    Store.open(store_dir.data_dir).login(*store_dir.admin).lock()


def test_only_an_administrator_can_be_recovered(store_dir) -> None:
    with pytest.raises(NotPermitted):
        Store.open(store_dir.data_dir).recover(store_dir.recovery_key, "dana", "a-brand-new-pass")


def test_admin_resets_other_passwords_and_only_admin_may(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    admin = store.login(*store_dir.admin)
    try:
        people.reset_password(admin, "dana", "temporary-pass-1")  # type: ignore[arg-type]
        people.reset_password(admin, "rita", "temporary-2")  # type: ignore[arg-type]
    finally:
        admin.lock()
    store = Store.open(store_dir.data_dir)
    with pytest.raises(WrongCredentials):
        store.login(*store_dir.dsl)
    dsl = store.login("dana", "temporary-pass-1")
    try:
        assert isinstance(dsl, CaseSession)
        with pytest.raises(NotPermitted):
            people.reset_password(dsl, "rita", "another-pass")
        actions = [e.action for e in audit_trail.entries(dsl, 5)]
        assert actions.count("password_reset") == 2
    finally:
        dsl.lock()
    store.login("rita", "temporary-2").lock()


def test_recover_and_reset_from_the_command_line(store_dir, tmp_path) -> None:
    done = run(
        tmp_path,
        store_dir.data_dir,
        "recover",
        "--user",
        "admin",
        stdin=f"{store_dir.recovery_key}\nnew-admin-pass-1\n",
    )
    assert done.returncode == 0, done.stderr
    assert store_dir.recovery_key not in done.stdout + done.stderr
    reset = run(
        tmp_path,
        store_dir.data_dir,
        "user",
        "reset-password",
        "--as",
        "admin",
        "--user",
        "rita",
        stdin="new-admin-pass-1\nrita-new-pw\n",
    )
    assert reset.returncode == 0, reset.stderr
    listed = run(tmp_path, store_dir.data_dir, "concerns", "--as", "rita", stdin="rita-new-pw\n")
    assert listed.returncode == 0, listed.stderr
    wrong = run(
        tmp_path,
        store_dir.data_dir,
        "recover",
        "--user",
        "admin",
        stdin=f"{_wrong_but_well_formed(store_dir.recovery_key)}\nxxxxxxxxxxxx\n",
    )
    assert_error(wrong, 3)
    audit = run(
        tmp_path, store_dir.data_dir, "audit-verify", "--as", "admin", stdin="new-admin-pass-1\n"
    )
    assert json.loads(audit.stdout)["ok"] is True
