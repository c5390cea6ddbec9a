"""Attack: put an older cases.db back (with and without its -wal), or another copy.

Everything recorded since that copy would vanish without a trace; the audit anchor
kept in the signed vault (and, where there is one, the OS credential store) must
catch it: the store opens read-only with an alarm naming the gap, `audit-verify`
exits 1, and only an administrator's explicit decision goes on from the copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from attacker import copy_case_database, put_case_database_back
from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.errors import NotPermitted, StoreReadOnly
from safeguard_desktop.services import audit_trail, casework, inbox
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import audit_log


def _login(store_dir: StoreFixture, who: tuple[str, str]) -> CaseSession:
    session = Store.open(store_dir.data_dir).login(*who)
    assert isinstance(session, CaseSession)
    return session


def _record_more(store_dir: StoreFixture, count: int = 2) -> list[str]:
    store = Store.open(store_dir.data_dir)
    refs = [submit(store, concern_data(name=f"Child {i}")) for i in range(count)]
    _login(store_dir, store_dir.dsl).lock()  # takes them in
    return refs


def _cli_audit_verify(
    store_dir: StoreFixture, tmp_path: Path, command: str = "audit-verify"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguard_desktop.cli",
            "--data-dir",
            str(store_dir.data_dir),
            command,
            "--as",
            store_dir.dsl[0],
        ],
        input=store_dir.dsl[1] + "\n",
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")},
    )


@pytest.mark.parametrize("with_wal", [False, True], ids=["closed copy", "copy with its -wal"])
def test_an_older_case_database_opens_read_only_with_the_gap_named(
    store_dir: StoreFixture, tmp_path: Path, with_wal: bool
) -> None:
    _record_more(store_dir, 1)
    saved = tmp_path / "saved"
    if with_wal:
        # Copied while a session had it open: cases.db and its write-ahead log.
        session = _login(store_dir, store_dir.dsl)
        inbox.ingest(session)
        assert (store_dir.data_dir / "cases.db-wal").exists()
        copy_case_database(store_dir.data_dir, saved)
        session.lock()
    else:
        copy_case_database(store_dir.data_dir, saved)
    later = _record_more(store_dir, 2)
    put_case_database_back(store_dir.data_dir, saved)

    session = _login(store_dir, store_dir.dsl)
    try:
        assert session.read_only
        alarm = session.rollback_alarm
        assert alarm is not None and not alarm.forked
        assert alarm.database_seq < alarm.anchor.seq
        sentence = alarm.sentence()
        assert f"entry {alarm.database_seq}" in sentence
        assert f"entry {alarm.anchor.seq}" in sentence
        assert "older than the ones this PC last saw" in sentence
        assert "newest checked backup" in sentence
        # What vanished is gone from this copy, and nothing can be written on top.
        refs = {c.ref for c in casework.list_concerns(session)}
        assert not set(later) & refs
        with pytest.raises(StoreReadOnly) as caught:
            casework.set_status(session, sorted(refs)[0], "closed", "no further action")
        assert str(caught.value) == sentence
    finally:
        session.lock()

    result = _cli_audit_verify(store_dir, tmp_path)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["behind_anchor"] is True
    assert "older than the ones this PC last saw" in result.stderr
    # The list a script reads says so too, not only the commands that check.
    listed = _cli_audit_verify(store_dir, tmp_path, "concerns")
    assert listed.returncode == 0, listed.stderr
    assert "Warning:" in listed.stderr and "older than the ones this PC last saw" in listed.stderr


def test_nothing_sealed_meanwhile_is_lost_while_read_only(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    saved = tmp_path / "saved"
    copy_case_database(store_dir.data_dir, saved)
    _record_more(store_dir, 1)
    put_case_database_back(store_dir.data_dir, saved)
    store = Store.open(store_dir.data_dir)
    waiting = submit(store, concern_data(name="Waiting Child"))
    session = _login(store_dir, store_dir.dsl)
    try:
        assert session.read_only
        assert len(inbox.ingest(session).concerns) == 0
    finally:
        session.lock()
    assert store.inbox.count() == 1  # still sealed in the inbox, for later

    admin = _login(store_dir, store_dir.admin)
    try:
        admin.accept_older_copy()
        assert not admin.read_only
        assert waiting in {c.ref for c in casework.list_concerns(admin)}
        accepted = [e for e in audit_trail.entries(admin, 20) if e.action == "older_copy_accepted"]
        assert accepted and accepted[0].detail["database_seq"] < accepted[0].detail["anchor_seq"]
    finally:
        admin.lock()
    again = _login(store_dir, store_dir.dsl)  # the anchor followed the log down
    try:
        assert again.rollback_alarm is None and not again.read_only
    finally:
        again.lock()


def test_only_an_administrator_can_accept_an_older_copy(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    saved = tmp_path / "saved"
    copy_case_database(store_dir.data_dir, saved)
    _record_more(store_dir, 1)
    put_case_database_back(store_dir.data_dir, saved)
    session = _login(store_dir, store_dir.dsl)
    try:
        with pytest.raises(NotPermitted):
            session.accept_older_copy()
        assert session.read_only
    finally:
        session.lock()


def test_a_copy_that_went_its_own_way_is_caught_even_when_it_is_longer(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    # The same store, copied to another folder and used there for longer than here:
    # its log is past this PC's anchor, but entry N is a different entry.
    elsewhere = tmp_path / "elsewhere" / "data"
    shutil.copytree(store_dir.data_dir, elsewhere)
    _record_more(store_dir, 1)
    other = StoreFixture(data_dir=elsewhere, recovery_key=store_dir.recovery_key)
    _record_more(other, 4)
    put_case_database_back(store_dir.data_dir, elsewhere)

    session = _login(store_dir, store_dir.dsl)
    try:
        alarm = session.rollback_alarm
        assert alarm is not None and alarm.forked
        assert alarm.database_seq > alarm.anchor.seq
        assert "not the ones this PC last saw" in alarm.sentence()
        assert session.read_only
    finally:
        session.lock()


def _take_out_anchor(vault: dict) -> None:
    vault.pop("audit_anchor")
    vault.pop("anchor_signature")


def _change_anchor(vault: dict) -> None:
    vault["audit_anchor"]["at"] = "2020-01-01T00:00:00+00:00"  # its signature no longer fits


@pytest.mark.parametrize("edit", [_take_out_anchor, _change_anchor], ids=["taken out", "changed"])
def test_an_older_case_database_is_caught_when_the_anchor_is_taken_out_or_changed(
    store_dir: StoreFixture, tmp_path: Path, edit: Callable[[dict], None]
) -> None:
    from attacker import edit_vault, vault_json

    saved = tmp_path / "saved"
    copy_case_database(store_dir.data_dir, saved)
    later = _record_more(store_dir, 1)
    put_case_database_back(store_dir.data_dir, saved)
    # Without its signed anchor, the settings file used to be taken as it was: no alarm,
    # and sign-in wrote a fresh anchor over the evidence.
    edit_vault(store_dir.data_dir, edit)
    session = _login(store_dir, store_dir.dsl)
    try:
        alarm = session.rollback_alarm
        assert alarm is not None and alarm.unanchored and session.read_only
        assert "sealed record of how far these records had got" in alarm.sentence()
        assert "open for reading only" in alarm.sentence()
        assert not set(later) & {c.ref for c in casework.list_concerns(session)}
    finally:
        session.lock()
    if edit is _take_out_anchor:
        assert "audit_anchor" not in vault_json(store_dir.data_dir)  # nothing taken in

    result = _cli_audit_verify(store_dir, tmp_path)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["behind_anchor"] is True
    assert "sealed record" in result.stderr

    admin = _login(store_dir, store_dir.admin)  # only an administrator goes on from here
    try:
        admin.accept_older_copy()
        accepted = [e for e in audit_trail.entries(admin, 20) if e.action == "older_copy_accepted"]
        assert accepted and accepted[0].detail["unanchored"] is True
    finally:
        admin.lock()
    again = _login(store_dir, store_dir.dsl)
    try:
        assert again.rollback_alarm is None and not again.read_only
    finally:
        again.lock()


def test_the_anchor_follows_every_commit(store_dir: StoreFixture) -> None:
    session = _login(store_dir, store_dir.dsl)
    try:
        ref = submit(session.store, concern_data())
        inbox.ingest(session)
        head = audit_log.head(session.conn)
        anchor = Store.open(store_dir.data_dir).vault.audit_anchor
        assert anchor is not None and (anchor.seq, anchor.hash) == head
        casework.set_status(session, ref, "closed", "checked")
        head = audit_log.head(session.conn)
        anchor = Store.open(store_dir.data_dir).vault.audit_anchor
        assert anchor is not None and (anchor.seq, anchor.hash) == head
    finally:
        session.lock()


def test_an_untouched_store_signs_in_without_any_alarm(store_dir: StoreFixture) -> None:
    for _ in range(2):
        session = _login(store_dir, store_dir.dsl)
        try:
            assert session.rollback_alarm is None
            assert session.vault_alarm is None
            assert not session.read_only
        finally:
            session.lock()


def test_an_older_case_database_is_caught_even_when_the_settings_are_edited_too(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    from attacker import edit_vault

    saved = tmp_path / "saved"
    copy_case_database(store_dir.data_dir, saved)
    later = _record_more(store_dir, 1)
    put_case_database_back(store_dir.data_dir, saved)
    # Breaking the settings' signature must not also throw away the anchor.
    edit_vault(store_dir.data_dir, lambda v: v["contacts"].update(lado="0100 999 9999"))
    session = _login(store_dir, store_dir.dsl)
    try:
        assert session.read_only and session.rollback_alarm is not None
        assert session.vault_alarm is not None
        assert not set(later) & {c.ref for c in casework.list_concerns(session)}
        with pytest.raises(StoreReadOnly):
            session.restore_vault_settings()  # cannot re-sign the anchor down
    finally:
        session.lock()


def test_the_anchor_keeps_moving_while_a_settings_alarm_waits(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    from attacker import edit_vault

    edit_vault(store_dir.data_dir, lambda v: v["settings"].update(idle_lock_minutes=600))
    session = _login(store_dir, store_dir.dsl)
    assert session.vault_alarm is not None
    saved = tmp_path / "saved"
    session.lock()
    copy_case_database(store_dir.data_dir, saved)  # taken while the alarm waits
    _record_more(store_dir, 2)  # the alarm is still not dealt with
    put_case_database_back(store_dir.data_dir, saved)
    session = _login(store_dir, store_dir.dsl)
    try:
        assert session.vault_alarm is not None  # still named: nobody decided
        assert session.read_only and session.rollback_alarm is not None
    finally:
        session.lock()
