"""Recording stations: concerns recorded on another PC, carried by a drop folder, read only here.

Real parts: the DSL's store (SQLCipher) and a station's folder on one machine, sharing a
real folder; what the station writes is read by the same ingest the app runs every
minute. Sync engines' leftovers, forged, replayed, truncated and empty files, a second
PC using one invitation, a removed station and a drop folder that goes away are each
tried: one sentence each, nothing lost.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from safeguard_desktop.domain.errors import BadInput, StoreExists
from safeguard_desktop.security import sealing, vault_signing
from safeguard_desktop.services import (
    audit_trail,
    casework,
    inbox,
    recording_station,
    retention,
    stations,
)
from safeguard_desktop.storage import drop_folder, station_file
from station_setup import concern, invite, lead, make_pair


def _ingest(pair) -> tuple[object, object]:  # type: ignore[no-untyped-def]
    session = pair.session()
    try:
        changes = inbox.ingest(session)
        return changes, session
    except BaseException:
        session.lock()
        raise


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


# The whole way ----------------------------------------------------------------------------


def test_a_concern_recorded_on_a_station_is_read_only_on_the_dsls_pc(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    assert not (pair.station_dir / "cases.db").exists()
    assert _names(pair.station_dir) == {"station.json", "outbox"}

    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    assert made.delivered and made.problem is None
    assert pair.station.waiting() == []  # nothing left on the station
    assert f"{made.ref}.sgdrop" in _names(pair.drop)

    changes, session = _ingest(pair)
    try:
        assert changes.concerns == {made.ref}
        stored = casework.concern_file(session, made.ref).concern
        assert stored.recorded.observed.startswith("Arrived without a coat")
        assert stored.submitter["name"] == "Sam Coach"
        assert stored.submitter["station"] == pair.invitation.station_id
        assert stored.submitter["station_name"] == "Away laptop"
        [info] = stations.station_list(session)
        assert (info.status, info.delivered, info.last_error) == ("working", 1, "")
        actions = [e.action for e in audit_trail.entries(session)]
        assert {"station_invited", "station_joined", "concern_received"} <= set(actions)
    finally:
        session.lock()
    # Taken in and deleted; the heartbeat stays for the station to replace, the signed
    # settings for every station to read.
    assert _names(pair.drop) == {
        f"heartbeat-{pair.invitation.station_id}.sgdrop",
        drop_folder.SETTINGS_NAME,
    }


def test_a_concern_from_a_station_is_accepted_whatever_the_guest_policy(
    store_dir, tmp_path
) -> None:
    from safeguard_desktop.services import organisation_settings

    pair = make_pair(store_dir, tmp_path)
    session = pair.session()
    organisation_settings.set_allow_guests(session, False)
    session.lock()
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    changes, session = _ingest(pair)
    session.lock()
    assert changes.concerns == {made.ref}


def test_the_invitation_is_signed_and_a_changed_one_is_refused(store_dir, tmp_path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    made = invite(store_dir.data_dir, store_dir.admin, drop)
    invitation = stations.parse_invitation(made.data)
    session = lead(store_dir.data_dir, store_dir.admin)
    try:
        assert invitation.organisation_key == session.vault_public_key()
    finally:
        session.lock()
    assert invitation.fingerprint == made.fingerprint
    assert len(invitation.fingerprint.split()) == 8

    outer = json.loads(made.data)
    outer["body"]["drop_folder"] = "/somewhere/else"
    with pytest.raises(BadInput, match="not a station invitation signed by its organisation"):
        stations.parse_invitation(json.dumps(outer).encode())

    # Signed by another key, which the file names as its own: the signature checks, and
    # the fingerprint read out by the lead is what shows it is not theirs.
    private, public = vault_signing.new_key()
    outer = json.loads(made.data)
    outer["body"]["organisation_key"] = base64.b64encode(public).decode()
    body = json.dumps(outer["body"], sort_keys=True, separators=(",", ":")).encode()
    outer["signature"] = base64.b64encode(
        vault_signing.sign(private, b"safeguard-desktop station invitation v1\x00" + body)
    ).decode()
    forged = stations.parse_invitation(json.dumps(outer).encode())
    assert forged.fingerprint != made.fingerprint

    for junk in (b"", b"{}", b"not json", made.data[: len(made.data) // 2]):
        with pytest.raises(BadInput):
            stations.parse_invitation(junk)
    # A key given twice: which one would count is the reader's guess, so neither does.
    twice = made.data.rstrip(b"}") + b', "format": "something else"}'
    with pytest.raises(BadInput, match="gives the key 'format' twice"):
        stations.parse_invitation(twice)


def test_a_station_is_not_set_up_over_a_store_or_another_station(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    invitation = stations.parse_invitation(pair.invitation.data)
    for folder in (store_dir.data_dir, pair.station_dir):
        before = _names(folder)
        with pytest.raises(StoreExists, match="choose an empty folder"):
            recording_station.set_up_station(folder, invitation)
        assert _names(folder) == before


def test_a_store_is_not_set_up_over_a_station(store_dir, tmp_path) -> None:
    # It was: a recovery key printed, and a store no command could then use.
    from safeguard_desktop.domain.organisation import OrgType
    from safeguard_desktop.security.kdf import KdfParams
    from safeguard_desktop.services.setup import SetupRequest, create_store

    pair = make_pair(store_dir, tmp_path)
    before = _names(pair.station_dir)
    request = SetupRequest(
        org_name="Hill Scouts",
        org_type=OrgType.CLUB,
        admin_username="admin",
        admin_display_name="Alex Admin",
        admin_password="admin-password-1",
    )
    with pytest.raises(StoreExists, match="is set up as a recording station"):
        create_store(pair.station_dir, request, kdf=KdfParams())
    assert _names(pair.station_dir) == before


# Sync engines and bad files ---------------------------------------------------------------


def test_sync_leftovers_are_skipped_and_never_reported(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    whole = (pair.drop / f"{made.ref}.sgdrop").read_bytes()
    leftovers = {
        f".syncthing.{made.ref}.sgdrop.tmp": whole[:100],
        f"{made.ref}.sgdrop.tmp": whole,
        f"~{made.ref}.sgdrop": whole,
        f"{made.ref} (conflicted copy 2026-12-07).sgdrop": whole,
        f"{made.ref}.sync-conflict-20261207-101010-ABCDEFG.sgdrop": whole,
        "C-AAAA-BBBB.sgdrop": b"",  # a cloud placeholder not yet downloaded
        "desktop.ini": b"[.ShellClassInfo]",
    }
    for name, data in leftovers.items():
        (pair.drop / name).write_bytes(data)
    # Being written under its final name right now: left for the next pass.
    (pair.drop / "C-CCCC-DDDD.sgdrop").write_bytes(whole[:200])

    changes, session = _ingest(pair)
    try:
        assert changes.concerns == {made.ref}
        assert not changes.inbox_items
        assert inbox.quarantined(session) == []
    finally:
        session.lock()
    assert set(leftovers) | {"C-CCCC-DDDD.sgdrop"} <= _names(pair.drop)
    assert not (pair.drop / drop_folder.QUARANTINE).exists()


def test_a_truncated_file_is_kept_aside_once_it_has_settled(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    path = pair.drop / f"{made.ref}.sgdrop"
    path.write_bytes(path.read_bytes()[:300])
    _age(path, drop_folder.SETTLE_SECONDS + 5)

    changes, session = _ingest(pair)
    try:
        assert not changes.concerns
        [kept] = inbox.quarantined(session)
        assert kept.kind == "file" and kept.ref == path.name
        assert "not a whole concern file" in kept.sentence
        assert not kept.can_accept
    finally:
        session.lock()
    assert not path.exists()
    assert (pair.drop / drop_folder.QUARANTINE / path.name).exists()


def test_a_forged_file_is_kept_aside_and_the_next_file_still_arrives(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    _, other_public = sealing.new_keypair()
    forged = drop_folder.encode(
        "concern",
        pair.invitation.station_id,
        ref="C-AAAA-AAAA",
        submitted_at="2026-12-07T09:00:00+00:00",
        inbox_key=other_public,
        sealed=sealing.seal(b"{}", other_public, aad=b"concern:C-AAAA-AAAA"),
    )
    (pair.drop / "C-AAAA-AAAA.sgdrop").write_bytes(forged)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())

    changes, session = _ingest(pair)
    try:
        assert changes.concerns == {made.ref}
        [kept] = inbox.quarantined(session)
        assert kept.reason == "unknown_key"
    finally:
        session.lock()
    assert (pair.drop / drop_folder.QUARANTINE / "C-AAAA-AAAA.sgdrop").exists()


def test_a_concern_signed_by_another_station_key_is_refused(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    # Someone copies the invitation's contents but not the station's key: a station
    # folder of their own with the same id, made by hand.
    impostor_dir = tmp_path / "impostor"
    impostor_dir.mkdir()
    (impostor_dir / "outbox").mkdir()
    private, _ = sealing.new_keypair()
    station_file.write_station(
        impostor_dir,
        station_file.StationConfig(
            invitation=pair.invitation.data,
            private_key=sealing.private_bytes(private),
            drop_folder=str(pair.drop),
            set_up_at="2026-12-07T09:00:00+00:00",
        ),
    )
    impostor = recording_station.StationFolder.open(impostor_dir)
    made = recording_station.record_on_station(impostor, "Not Sam", "Coach", concern())

    changes, session = _ingest(pair)
    try:
        assert not changes.concerns
        [kept] = inbox.quarantined(session)
        assert kept.reason == "unverified_station"
        assert "Away laptop" in kept.sentence
        assert kept.can_accept  # whole and valid: a lead may read it and accept it
        inbox.accept_quarantined(session, kept.item_id)
        stored = casework.concern_file(session, made.ref).concern
        assert stored.submitter["unverified"] is True
    finally:
        session.lock()


def test_a_replayed_file_is_taken_once(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    copy = (pair.drop / f"{made.ref}.sgdrop").read_bytes()
    _changes, session = _ingest(pair)
    session.lock()
    (pair.drop / f"{made.ref}.sgdrop").write_bytes(copy)  # a sync engine brings it back

    changes, session = _ingest(pair)
    try:
        assert not changes.concerns and not changes.inbox_items
        assert casework.count(session, casework.SearchFilters()) == 1
    finally:
        session.lock()
    assert not (pair.drop / f"{made.ref}.sgdrop").exists()


def test_a_concern_deleted_at_its_review_is_not_brought_back_by_its_file(
    store_dir, tmp_path
) -> None:
    """From a review: the station's file for a concern deleted with a child's file at its
    review, put back in the drop folder, brought the concern in again as new."""
    pair = make_pair(store_dir, tmp_path)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    name = f"{made.ref}.sgdrop"
    copy = (pair.drop / name).read_bytes()
    _changes, session = _ingest(pair)
    try:
        child = casework.create_child_for(session, made.ref, 0).id
        retention.delete_child_file(session, child, concerns=1, today=date(2200, 1, 1))
    finally:
        session.lock()
    (pair.drop / name).write_bytes(copy)  # the attacker's copy put back

    changes, session = _ingest(pair)
    try:
        assert not changes.concerns and len(changes.inbox_items) == 1
        assert casework.count(session, casework.SearchFilters()) == 0
        [kept] = inbox.quarantined(session)
        assert (kept.ref, kept.reason, kept.can_accept) == (made.ref, "deleted_at_review", False)
        [info] = stations.station_list(session)
        assert info.last_error != "deleted_at_review"  # the station did nothing wrong
    finally:
        session.lock()
    # Gone, as the concern went: not kept in the drop folder's quarantine either.
    assert name not in _names(pair.drop)
    assert not (pair.drop / "quarantine").exists() or name not in _names(pair.drop / "quarantine")


def test_a_second_pc_using_the_same_invitation_is_refused(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    _changes, session = _ingest(pair)  # the first station's hello: it has joined
    session.lock()
    second = recording_station.set_up_station(
        tmp_path / "second", stations.parse_invitation(pair.invitation.data)
    )
    recording_station.deliver_waiting(second)
    changes, session = _ingest(pair)
    try:
        [kept] = inbox.quarantined(session)
        assert kept.reason == "station_joined_twice"
        assert "second PC tried to join" in kept.sentence
        # Its heartbeats (the same file name) are not believed either.
        [info] = stations.station_list(session)
        assert info.last_error in ("station_joined_twice", "heartbeat")
    finally:
        session.lock()
    # The second PC's concerns are refused; the first's still arrive.
    refused = recording_station.record_on_station(second, "Someone", "Helper", concern())
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    changes, session = _ingest(pair)
    try:
        assert changes.concerns == {made.ref}
        reasons = {q.reason for q in inbox.quarantined(session)}
        assert "unverified_station" in reasons
        assert not casework.search(session, casework.SearchFilters(text=refused.ref))
    finally:
        session.lock()


def test_a_removed_stations_later_concerns_are_kept_aside(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    _changes, session = _ingest(pair)
    try:
        stations.remove_station(session, pair.invitation.station_id)
        with pytest.raises(BadInput, match="already removed"):
            stations.remove_station(session, pair.invitation.station_id)
        assert stations.station_list(session)[0].status == "removed"
    finally:
        session.lock()
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    changes, session = _ingest(pair)
    try:
        assert not changes.concerns
        [kept] = [q for q in inbox.quarantined(session) if q.ref == made.ref]
        assert kept.reason == "removed_station"
        assert "station_removed" in [e.action for e in audit_trail.entries(session)]
    finally:
        session.lock()


def test_a_folder_of_junk_never_blocks_a_real_concern(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    for number in range(10_000):
        (pair.drop / f"holiday photo {number}.jpg").write_bytes(b"\xff\xd8junk")
    junk = [pair.drop / f"C-{number:04d}-ZZZZ.sgdrop" for number in range(300)]
    for path in junk:
        path.write_bytes(b"{not json")
        _age(path, drop_folder.SETTLE_SECONDS + 5)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())

    changes, session = _ingest(pair)
    try:
        assert made.ref in changes.concerns
        assert len(inbox.quarantined(session)) == 300
    finally:
        session.lock()
    assert len(list((pair.drop / drop_folder.QUARANTINE).iterdir())) == 300
    assert len([p for p in pair.drop.iterdir() if p.suffix == ".jpg"]) == 10_000


# The drop folder going away -------------------------------------------------------------


def test_a_concern_waits_on_the_station_while_the_drop_folder_is_away(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    away = tmp_path / "unplugged"
    pair.drop.rename(away)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    assert not made.delivered
    assert made.problem is not None and "kept safely on this PC" in made.problem
    assert [p.name for p in pair.station.waiting()] == [f"{made.ref}.sgdrop"]

    # The DSL's PC says nothing while it cannot reach the folder either.
    changes, session = _ingest(pair)
    session.lock()
    assert not changes

    away.rename(pair.drop)
    report = recording_station.deliver_waiting(pair.station)
    assert (report.delivered, report.waiting, report.problem) == (1, 0, None)
    changes, session = _ingest(pair)
    session.lock()
    assert changes.concerns == {made.ref}


def test_the_drop_folder_going_away_mid_delivery_loses_nothing(store_dir, tmp_path) -> None:
    import threading

    pair = make_pair(store_dir, tmp_path)
    away = tmp_path / "unplugged"
    pair.drop.rename(away)
    refs = {
        recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern()).ref
        for _ in range(200)
    }
    away.rename(pair.drop)
    moved = tmp_path / "moved"

    def unplug_after_a_few() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if len(list(pair.drop.glob("C-*.sgdrop"))) >= 3:
                pair.drop.rename(moved)
                return

    watcher = threading.Thread(target=unplug_after_a_few)
    watcher.start()
    report = recording_station.deliver_waiting(pair.station)
    watcher.join()
    assert moved.exists()
    # Delivered one after another: with a third file in the folder the first two were
    # done, while the third may have been caught between its rename and the steps after
    # (it counts as waiting, and the lead's PC takes it once).
    assert 2 <= report.delivered < 200
    assert not report.reachable and report.problem is not None
    assert "cannot be reached just now" in report.problem
    waiting = {p.name.removesuffix(".sgdrop") for p in pair.station.waiting()}
    delivered = {p.name.removesuffix(".sgdrop") for p in moved.glob("C-*.sgdrop")}
    # Each concern is in one place or the other: never lost; a copy in both only if the
    # outbox copy was not yet removed, which the lead's PC would take once.
    assert waiting | delivered == refs
    assert len(waiting) == report.waiting


def test_home_warns_when_a_stations_concerns_have_not_arrived_for_a_day(
    store_dir, tmp_path
) -> None:
    from safeguard_desktop.storage import station_file

    pair = make_pair(store_dir, tmp_path)
    lost = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    kept = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    # Two days ago the station delivered the first into its synced folder; the sync
    # engine lost it. Its heartbeat, written just now, still lists it.
    lost_file = pair.drop / f"{lost.ref}.sgdrop"
    lost_bytes = lost_file.read_bytes()
    lost_file.unlink()
    entries = dict(station_file.read_delivered(pair.station_dir))
    entries[lost.ref] = (datetime.now(UTC) - timedelta(days=2)).isoformat(timespec="seconds")
    station_file.write_delivered(pair.station_dir, sorted(entries.items(), key=lambda e: e[1]))
    recording_station.deliver_waiting(pair.station)  # a fresh heartbeat

    changes, session = _ingest(pair)
    try:
        assert changes.concerns == {kept.ref}
        [late] = stations.overdue_stations(session)
        assert late.name == "Away laptop" and late.status == "overdue"
    finally:
        session.lock()

    # It turns up after all: the warning goes.
    lost_file.write_bytes(lost_bytes)
    changes, session = _ingest(pair)
    try:
        assert changes.concerns == {lost.ref}
        assert stations.overdue_stations(session) == []
    finally:
        session.lock()


def test_a_heartbeat_not_signed_by_the_station_is_not_believed(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    _changes, session = _ingest(pair)
    session.lock()
    name = f"heartbeat-{pair.invitation.station_id}.sgdrop"
    body = json.loads((pair.drop / name).read_bytes())
    body["waiting"], body["oldest_waiting"] = 5, "2026-01-01T00:00:00+00:00"
    (pair.drop / name).write_text(json.dumps(body))
    _changes, session = _ingest(pair)
    try:
        [info] = stations.station_list(session)
        assert (info.waiting, info.overdue, info.last_error) == (0, False, "heartbeat")
    finally:
        session.lock()


# Signed settings --------------------------------------------------------------------------


def test_a_station_takes_the_leads_signed_settings_and_refuses_others(store_dir, tmp_path) -> None:
    from safeguard_desktop.domain.organisation import LocalContacts
    from safeguard_desktop.services import organisation_settings

    pair = make_pair(store_dir, tmp_path)
    assert pair.station.organisation.contacts.front_door == "0100 000 0001"
    session = pair.session()
    try:
        organisation_settings.set_contacts(
            session, LocalContacts(front_door="0100 000 0042", lado="0100 000 0003")
        )
    finally:
        session.lock()
    report = recording_station.deliver_waiting(pair.station)
    assert report.settings_problem is None
    assert pair.station.organisation.contacts.front_door == "0100 000 0042"
    reopened = recording_station.StationFolder.open(pair.station_dir)
    assert reopened.organisation.contacts.front_door == "0100 000 0042"

    # An update signed with another key: ignored, with a sentence; the numbers stay.
    private, public = vault_signing.new_key()
    body = {
        "organisation": {
            "name": "Riverside Juniors FC",
            "type": "club",
            "allow_guests": True,
            "contacts": {"front_door": "0999 999 9999", "emergency": "999"},
        },
        "issued_at": "2099-01-01T00:00:00.000000+00:00",
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    signature = vault_signing.sign(
        private, b"safeguard-desktop station settings v1\x00" + canonical
    )
    forged = drop_folder.encode(
        "settings", "", body=body, signature=signature, organisation_key=public
    )
    (pair.drop / drop_folder.SETTINGS_NAME).write_bytes(forged)
    report = recording_station.deliver_waiting(reopened)
    assert report.settings_problem is not None
    assert "not signed by Riverside Juniors FC" in report.settings_problem
    assert reopened.organisation.contacts.front_door == "0100 000 0042"
    # The lead's PC does not take its own settings file for a concern.
    changes, session = _ingest(pair)
    session.lock()
    assert not changes.inbox_items


# What someone who can write to the drop folder might leave there -------------------------


def _heartbeat_with(pair, **changed: object) -> None:  # type: ignore[no-untyped-def]
    name = f"heartbeat-{pair.invitation.station_id}.sgdrop"
    body = json.loads((pair.drop / name).read_bytes())
    body.update(changed)
    (pair.drop / name).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")


def test_a_mac_that_is_not_hex_is_refused_not_a_crash(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    _changes, session = _ingest(pair)
    session.lock()
    _heartbeat_with(pair, mac="é" * 64, at="2099-01-01T00:00:00+00:00")
    second = tmp_path / "second"
    stranger = recording_station.set_up_station(
        second, stations.parse_invitation(pair.invitation.data)
    )
    hello = stranger.outbox / f"hello-{pair.invitation.station_id}.sgdrop"
    body = json.loads(hello.read_bytes())
    body["mac"] = "ü"
    (pair.drop / hello.name).write_text(json.dumps(body), encoding="utf-8")
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    _heartbeat_with(pair, mac="é" * 64)
    changes, session = _ingest(pair)
    try:
        assert made.ref in changes.concerns
        assert {q.reason for q in inbox.quarantined(session)} == {"unverified_station"}
        assert stations.station_list(session)[0].last_error in ("heartbeat", "unverified_station")
    finally:
        session.lock()


def test_a_file_that_is_not_what_its_name_says_is_kept_aside_at_once(
    store_dir, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = make_pair(store_dir, tmp_path)
    heartbeat = (pair.drop / f"heartbeat-{pair.invitation.station_id}.sgdrop").read_bytes()
    for number in range(30):
        (pair.drop / f"C-0000-{number:04d}.sgdrop").write_bytes(heartbeat)
    monkeypatch.setattr(stations, "FILES_PER_PASS", 20)  # so they would fill a pass
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    arrived: set[str] = set()
    for _ in range(3):
        changes, session = _ingest(pair)
        session.lock()
        arrived |= changes.concerns
    assert made.ref in arrived
    assert not list(pair.drop.glob("C-0000-*.sgdrop"))
    assert len(list((pair.drop / drop_folder.QUARANTINE).glob("C-0000-*.sgdrop"))) == 30


def test_big_files_are_read_a_few_at_a_time_and_kept_by_name_and_hash(
    store_dir, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeguard_desktop.storage import quarantine_records

    pair = make_pair(store_dir, tmp_path)
    for number in range(5):
        path = pair.drop / f"C-BIG{number}-AAAA.sgdrop"
        path.write_bytes(b"{" + b"x" * (1024 * 1024))
        _age(path, drop_folder.SETTLE_SECONDS + 5)
    monkeypatch.setattr(stations, "BYTES_PER_PASS", 2 * 1024 * 1024)
    changes, session = _ingest(pair)
    try:
        first = len(changes.inbox_items)
        assert 1 <= first < 5  # the rest waits for the next pass
        changes = inbox.ingest(session)
        changes |= inbox.ingest(session)
        assert first + len(changes.inbox_items) == 5
        for number in range(5):
            name = f"C-BIG{number}-AAAA.sgdrop"
            kept = (pair.drop / drop_folder.QUARANTINE / name).read_bytes()
            digest = hashlib.sha256(kept).hexdigest()
            assert quarantine_records.is_kept(session.conn, ref=name, file_sha256=digest)
        for entry in inbox.quarantined(session):
            item = quarantine_records.get(session.conn, entry.item_id)
            assert item is not None and item.sealed == b""  # its name and hash, not its bytes
    finally:
        session.lock()


def test_a_file_that_cannot_be_moved_aside_is_kept_once(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    (pair.drop / drop_folder.QUARANTINE).write_text("a file in the way")
    path = pair.drop / "C-AAAA-AAAA.sgdrop"
    path.write_bytes(b"{not json")
    _age(path, drop_folder.SETTLE_SECONDS + 5)
    for _ in range(2):
        _changes, session = _ingest(pair)
        session.lock()
    session = pair.session()
    try:
        assert len(inbox.quarantined(session)) == 1
    finally:
        session.lock()
    assert path.exists()  # left where it was, never deleted


def test_a_concern_no_station_signed_is_not_taken_for_a_guests(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    inbox_key = pair.station.invitation.inbox_public_key
    body = {
        "format": "safeguard-desktop-sealed",
        "kind": "concern",
        "version": 1,
        "submitted_at": "2026-12-07T09:00:00+00:00",
        "submitter": {"name": "Head Teacher", "role": "Head", "username": None},
        "concern": concern().to_json(),
        "ref": "C-FAKE-0001",
    }
    sealed = sealing.seal(json.dumps(body).encode(), inbox_key, aad=b"concern:C-FAKE-0001")
    (pair.drop / "C-FAKE-0001.sgdrop").write_bytes(
        drop_folder.encode(
            "concern",
            pair.invitation.station_id,
            ref="C-FAKE-0001",
            submitted_at="2026-12-07T09:00:00+00:00",
            inbox_key=inbox_key,
            sealed=sealed,
        )
    )
    changes, session = _ingest(pair)
    try:
        assert not changes.concerns
        [kept] = inbox.quarantined(session)
        assert kept.reason == "not_from_a_station" and kept.can_accept
        assert "no recording station signed it" in kept.sentence
        assert stations.station_list(session)[0].delivered == 0
    finally:
        session.lock()


def test_a_concern_that_arrives_before_its_stations_hello_waits_for_it(store_dir, tmp_path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    made = invite(store_dir.data_dir, store_dir.admin, drop)
    station = recording_station.set_up_station(
        tmp_path / "station", stations.parse_invitation(made.data)
    )
    recorded = recording_station.record_on_station(station, "Sam Coach", "Coach", concern())
    hello = drop / f"hello-{made.station_id}.sgdrop"
    held = hello.read_bytes()
    hello.unlink()  # the sync engine brings the concern first
    session = lead(store_dir.data_dir, store_dir.admin)
    try:
        assert not inbox.ingest(session)
        assert (drop / f"{recorded.ref}.sgdrop").exists()
        hello.write_bytes(held)
        assert inbox.ingest(session).concerns == {recorded.ref}
    finally:
        session.lock()


def test_one_drop_folder_for_every_station(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    other = tmp_path / "another folder"
    other.mkdir()
    session = pair.session()
    try:
        with pytest.raises(BadInput, match="Every station delivers into one shared folder"):
            stations.invite_station(session, "Hall laptop", other)
        stations.invite_station(session, "Hall laptop", pair.drop)  # the same one: fine
    finally:
        session.lock()


def test_fifos_links_and_folders_named_like_ours_neither_hang_nor_stop_the_rest(
    store_dir, tmp_path
) -> None:
    pair = make_pair(store_dir, tmp_path)
    os.mkfifo(pair.drop / "C-FIFO-0001.sgdrop")
    (pair.drop / "C-DIRR-0001.sgdrop").mkdir()  # anyone who can write there can make one
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("not for the drop folder")
    (pair.drop / "C-LINK-0001.sgdrop").symlink_to(secret)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    changes, session = _ingest(pair)
    try:
        assert made.ref in changes.concerns
        assert [q.reason for q in inbox.quarantined(session)] == ["unopenable_file"] * 3
    finally:
        session.lock()
    assert secret.read_text() == "not for the drop folder"


def test_a_station_killed_while_being_set_up_can_be_set_up_again(store_dir, tmp_path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    made = invite(store_dir.data_dir, store_dir.admin, drop)
    folder = tmp_path / "station"
    station = recording_station.set_up_station(folder, stations.parse_invitation(made.data))
    (folder / "station.json").unlink()  # as if killed just before writing it
    assert not recording_station.StationFolder.exists(folder)
    again = recording_station.set_up_station(folder, stations.parse_invitation(made.data))
    assert again.config.private_key != station.config.private_key
    recording_station.deliver_waiting(again)
    session = lead(store_dir.data_dir, store_dir.admin)
    try:
        inbox.ingest(session)
        assert stations.station_list(session)[0].status == "working"
    finally:
        session.lock()


def test_a_heartbeat_with_nothing_new_is_not_rewritten_every_minute(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    path = pair.drop / f"heartbeat-{pair.invitation.station_id}.sgdrop"
    before = path.read_bytes()
    recording_station.deliver_waiting(pair.station)
    assert path.read_bytes() == before  # a synced folder keeps no new version
    recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    assert path.read_bytes() != before  # something new: a reference delivered


def test_a_heartbeat_nested_deep_is_not_believed_and_stops_nothing(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    _changes, session = _ingest(pair)
    session.lock()
    deep: object = ["C-AAAA-AAAA", "x"]
    for _ in range(950):
        deep = [deep]
    _heartbeat_with(pair, recent=deep, at="2099-01-01T00:00:00+00:00")
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    _heartbeat_with(pair, recent=deep, at="2099-01-01T00:00:00+00:00")
    changes, session = _ingest(pair)
    try:
        assert made.ref in changes.concerns
        assert stations.station_list(session)[0].last_error == "heartbeat"
    finally:
        session.lock()


def test_files_left_waiting_never_keep_the_others_out(
    store_dir, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = make_pair(store_dir, tmp_path)
    session = pair.session()
    try:
        unjoined = stations.invite_station(session, "Hall laptop", pair.drop)
    finally:
        session.lock()
    inbox_key = pair.station.invitation.inbox_public_key
    for number in range(3):
        ref = f"A-{number:04d}-AAAA"
        (pair.drop / f"{ref}.sgdrop").write_bytes(
            drop_folder.encode(
                "concern",
                unjoined.station_id,
                ref=ref,
                submitted_at="2026-12-07T09:00:00+00:00",
                inbox_key=inbox_key,
                sealed=b"\x01" + b"x" * (900 * 1024),
            )
        )
    monkeypatch.setattr(stations, "BYTES_PER_PASS", 2 * 1024 * 1024)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    arrived: set[str] = set()
    for _ in range(2):
        changes, session = _ingest(pair)
        session.lock()
        arrived |= changes.concerns
    assert made.ref in arrived
    assert len(list(pair.drop.glob("A-*.sgdrop"))) == 3  # still waiting for their hello


def test_a_lost_file_kept_aside_by_its_name_counts_as_arrived(store_dir, tmp_path) -> None:
    from safeguard_desktop.storage import station_file

    pair = make_pair(store_dir, tmp_path)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    path = pair.drop / f"{made.ref}.sgdrop"
    path.write_bytes(path.read_bytes()[:200])  # damaged on the way
    _age(path, drop_folder.SETTLE_SECONDS + 5)
    two_days_ago = (datetime.now(UTC) - timedelta(days=2)).isoformat(timespec="seconds")
    station_file.write_delivered(pair.station_dir, [(made.ref, two_days_ago)])
    recording_station.deliver_waiting(pair.station)
    _changes, session = _ingest(pair)
    try:
        [kept] = inbox.quarantined(session)
        assert kept.ref == path.name
        assert stations.overdue_stations(session) == []  # it came; Home lists it aside
        inbox.set_aside_quarantined(session, kept.item_id, "Damaged copy; asked the coach.")
        assert stations.overdue_stations(session) == []
    finally:
        session.lock()


def test_a_station_says_hello_again_until_the_lead_confirms_it_joined(store_dir, tmp_path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    made = invite(store_dir.data_dir, store_dir.admin, drop)
    station = recording_station.set_up_station(
        tmp_path / "station", stations.parse_invitation(made.data)
    )
    recording_station.deliver_waiting(station)
    hello = drop / f"hello-{made.station_id}.sgdrop"
    hello.unlink()  # lost by the sync engine
    recorded = recording_station.record_on_station(station, "Sam Coach", "Coach", concern())
    assert hello.exists()  # sent again with the concern
    session = lead(store_dir.data_dir, store_dir.admin)
    try:
        assert inbox.ingest(session).concerns == {recorded.ref}
    finally:
        session.lock()
    # The lead's signed settings now name it as joined: it stops saying hello.
    recording_station.deliver_waiting(station)
    assert station.update is not None and made.station_id in station.update.joined
    recording_station.deliver_waiting(station)
    assert not hello.exists()


def test_heartbeats_naming_no_station_are_kept_aside_once(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    stray = pair.drop / "heartbeat-S-ZZZZ-ZZZZ.sgdrop"
    stray.write_bytes(b'{"format":"safeguard-desktop-drop"}')
    _age(stray, drop_folder.SETTLE_SECONDS + 5)
    for _ in range(2):
        _changes, session = _ingest(pair)
        session.lock()
    session = pair.session()
    try:
        assert [q.ref for q in inbox.quarantined(session)] == [stray.name]
    finally:
        session.lock()
    assert not stray.exists()


def test_what_a_killed_station_left_half_written_is_cleared(store_dir, tmp_path) -> None:
    # What SIGKILL in the middle of write_atomically leaves: a fsynced temporary copy
    # beside the name (seen for real by killing `record` 22 times mid-run).
    pair = make_pair(store_dir, tmp_path)
    heartbeat = f"heartbeat-{pair.invitation.station_id}.sgdrop"
    in_drop = pair.drop / f".{heartbeat}.deadbeef.tmp"
    in_outbox = pair.station.outbox / ".C-AAAA-AAAA.sgdrop.0badf00d.tmp"
    for path in (in_drop, in_outbox):
        path.write_bytes(b"sealed bytes, half written")
    station = recording_station.StationFolder.open(pair.station_dir)
    assert not in_outbox.exists()
    recording_station.record_on_station(station, "Sam Coach", "Coach", concern())
    assert not in_drop.exists()  # cleared as the next heartbeat was written
    assert (pair.drop / heartbeat).exists()
