"""The deliberately broad excepts, tried with a real bug: nothing is lost or leaked.

* services/inbox_ingest._take: a bug met on one inbox item quarantines that item (kept,
  sealed, shown on Home) and the items after it are still taken in.
* services/stations: a bug met on one drop-folder file keeps that file aside (in the
  drop folder's quarantine, shown on Home) and the files after it still arrive; a bug
  met reading a station's heartbeat leaves it not believed, said on the station's line.
* cli.main: a bug in a command gives one sentence and exit 1; the traceback goes to the
  log file, with the exception's message withheld (it may quote a record).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from attacker import concern_payload, put_sealed
from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop import cli
from safeguard_desktop.services import casework, inbox, inbox_ingest, recording_station, stations
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import drop_folder
from station_setup import concern, make_pair

CANARY = "Zq7LastStopCanary"


def test_a_bug_on_one_inbox_item_quarantines_it_and_takes_in_the_rest(
    store_dir: StoreFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    put_sealed(
        store_dir.data_dir,
        "C-BUGGY001",
        "concern",
        concern_payload("C-BUGGY001", concern_data(), "rita"),
    )
    fine = submit(Store.open(store_dir.data_dir), concern_data())  # sealed after it
    real_check = inbox_ingest._check

    def check(conn, item, keys):  # type: ignore[no-untyped-def]
        if item.ref == "C-BUGGY001":
            raise RuntimeError(f"a bug quoting {CANARY}")
        return real_check(conn, item, keys)

    monkeypatch.setattr(inbox_ingest, "_check", check)
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        [kept] = inbox.quarantined(session)
        assert (kept.ref, kept.reason) == ("C-BUGGY001", "unreadable")
        # The concern sealed after it was not stopped by it.
        assert casework.summary(session, fine).ref == fine
    finally:
        session.lock()


def test_a_bug_on_one_drop_folder_file_keeps_it_aside_and_takes_in_the_rest(
    store_dir: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = make_pair(store_dir, tmp_path)
    buggy = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    fine = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    real_take = stations._take_file

    def take(conn, found, *rest):  # type: ignore[no-untyped-def]
        if found.path.name.startswith(buggy.ref):
            raise RuntimeError(f"a bug quoting {CANARY}")
        return real_take(conn, found, *rest)

    monkeypatch.setattr(stations, "_take_file", take)
    session = pair.session()
    try:
        changes = inbox.ingest(session)
        assert changes.concerns == {fine.ref}
        [kept] = inbox.quarantined(session)
        assert kept.reason == "unreadable_file" and kept.ref.startswith(buggy.ref)
        assert casework.summary(session, fine.ref).ref == fine.ref
    finally:
        session.lock()
    quarantined = list((pair.drop / drop_folder.QUARANTINE).iterdir())
    assert [path.name for path in quarantined if path.name.startswith(buggy.ref)]


def test_a_bug_reading_a_heartbeat_leaves_it_not_believed(
    store_dir: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = make_pair(store_dir, tmp_path)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())

    def heartbeat(*_args: object) -> bool:
        raise RuntimeError(f"a bug quoting {CANARY}")

    monkeypatch.setattr(stations, "_heartbeat_file", heartbeat)
    session = pair.session()
    try:
        assert inbox.ingest(session).concerns == {made.ref}  # the concern still arrives
        [info] = stations.station_list(session)
        assert info.last_error == "heartbeat"
    finally:
        session.lock()


def test_a_bug_in_a_command_is_one_sentence_and_a_log_without_its_message(
    store_dir: StoreFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SAFEGUARD_LOG_DIR", str(tmp_path / "logs"))

    def broken(args: object, secrets: object) -> int:
        raise RuntimeError(f"a bug quoting {CANARY}")

    monkeypatch.setitem(cli.COMMANDS, "concerns", broken)
    code = cli.main(["--data-dir", str(store_dir.data_dir), "concerns", "--as", "dana"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("safeguard-desktop: something went wrong; nothing was lost.")
    assert err.count("\n") == 1 and CANARY not in err
    logged = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "logs").rglob("*.log*"))
    assert "builtins.RuntimeError (message withheld)" in logged
    assert CANARY not in logged
