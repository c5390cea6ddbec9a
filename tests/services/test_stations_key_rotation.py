"""A lead removed after a station was set up: the station seals to the new inbox key.

Removing (or suspending) a lead replaces the inbox key, because they may have kept the old
one (docs/SECURITY.md promise #19). A station learns the new key from the lead's signed
settings update in the drop folder; the removed lead's copy of the old key must open
nothing the station records after it has that update. A concern that still comes sealed
to the old key after the removal is taken in, and the lead is told.

Real parts throughout: the DSL's store, a station's folder and the drop folder between
them; the removed lead's kept keys are read from the records while she could.
"""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.security import sealing
from safeguard_desktop.services import (
    audit_trail,
    casework,
    inbox,
    people,
    recording_station,
    stations,
)
from safeguard_desktop.storage import case_records, drop_folder
from safeguard_desktop.storage.vault_file import read_vault
from station_setup import Pair, concern, lead, make_pair


def _kept_by_the_removed_lead(store_dir) -> dict[bytes, bytes]:  # type: ignore[no-untyped-def]
    """Every inbox private key dana can read while she is still a lead."""
    dana = lead(store_dir.data_dir, store_dir.dsl)
    try:
        return case_records.inbox_private_keys(dana.conn)
    finally:
        dana.lock()


def _remove_dana(pair: Pair, store_dir) -> None:  # type: ignore[no-untyped-def]
    admin = pair.session()
    try:
        people.remove_user(admin, store_dir.dsl[0])  # rotates the keys, publishes the new one
    finally:
        admin.lock()


def _envelope(pair: Pair, ref: str) -> drop_folder.Envelope:
    return drop_folder.decode((pair.drop / f"{ref}.sgdrop").read_bytes())


def _opens_with(keys: dict[bytes, bytes], envelope: drop_folder.Envelope, ref: str) -> bool:
    sealed = envelope.blob("sealed")
    for private in keys.values():
        try:
            sealing.open_sealed(
                sealed, X25519PrivateKey.from_private_bytes(private), aad=f"concern:{ref}".encode()
            )
        except sealing.SealError:
            continue
        return True
    return False


def _after_the_removal(pair: Pair) -> None:
    """Wait (under a second) until the clock has left the second the key was replaced in:
    times are kept to the second, and one recorded in that second counts as before."""
    session = pair.session()
    try:
        at = case_records.inbox_key_retired_at(
            session.conn, pair.station.invitation.inbox_public_key
        )
    finally:
        session.lock()
    assert at is not None
    retired = datetime.fromisoformat(at)
    while datetime.now(UTC).replace(microsecond=0) <= retired:
        time.sleep(0.05)


def _current_inbox_key(pair: Pair) -> bytes:
    session = pair.session()
    try:
        key = case_records.current_inbox_public_key(session.conn)
    finally:
        session.lock()
    assert key is not None
    return key


def test_after_a_lead_is_removed_the_station_seals_to_the_new_key(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    kept = _kept_by_the_removed_lead(store_dir)
    invited_key = pair.station.invitation.inbox_public_key
    assert invited_key in kept

    _remove_dana(pair, store_dir)
    current = read_vault(pair.dsl_dir).inbox_public_key
    assert current != invited_key and current not in kept

    # The station picks up the lead's signed settings, as it does every minute.
    report = recording_station.deliver_waiting(pair.station)
    assert report.settings_problem is None

    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    assert made.delivered
    envelope = _envelope(pair, made.ref)
    assert not _opens_with(kept, envelope, made.ref)  # dana's copies open nothing new
    assert envelope.blob("inbox_key") == current

    session = pair.session()
    try:
        changes = inbox.ingest(session)
        assert changes.concerns == {made.ref}  # the current lead takes it in
        stored = casework.concern_file(session, made.ref).concern
        assert stored.submitter["station"] == pair.invitation.station_id
        assert stations.old_key_warnings(session) == []
        [info] = stations.station_list(session)
        assert (info.status, info.last_error) == ("working", "")
        assert audit_trail.verify(session).ok
    finally:
        session.lock()
    # The station keeps the new key across a restart (station.json, pinned where the PC
    # has a credential store).
    assert pair.station.inbox_public_key == current
    assert recording_station.StationFolder.open(pair.station_dir).inbox_public_key == current


def test_a_concern_recorded_after_the_removal_is_sealed_again_before_it_leaves(
    store_dir, tmp_path
) -> None:
    # The station records before its minute's delivery has read the new settings: what it
    # sealed to the old key is sealed again to the new one before it reaches the folder.
    pair = make_pair(store_dir, tmp_path)
    kept = _kept_by_the_removed_lead(store_dir)
    _remove_dana(pair, store_dir)
    assert pair.station.inbox_public_key == pair.station.invitation.inbox_public_key

    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    envelope = _envelope(pair, made.ref)
    assert envelope.blob("inbox_key") == _current_inbox_key(pair)
    assert not _opens_with(kept, envelope, made.ref)
    session = pair.session()
    try:
        assert inbox.ingest(session).concerns == {made.ref}
        assert stations.old_key_warnings(session) == []
    finally:
        session.lock()


def test_an_older_settings_update_put_back_does_not_bring_the_old_key_back(
    store_dir, tmp_path
) -> None:
    pair = make_pair(store_dir, tmp_path)
    settings = pair.drop / drop_folder.SETTINGS_NAME
    before_removal = settings.read_bytes()  # genuine, signed, names the old key
    _remove_dana(pair, store_dir)
    recording_station.deliver_waiting(pair.station)
    current = pair.station.inbox_public_key
    assert current == _current_inbox_key(pair)

    settings.write_bytes(before_removal)  # someone with the shared folder puts it back
    report = recording_station.deliver_waiting(pair.station)
    assert report.settings_problem is None
    assert pair.station.inbox_public_key == current
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    assert _envelope(pair, made.ref).blob("inbox_key") == current

    # The lead's PC notices the file there no longer gives the current key and writes it
    # again at its next reading of the folder.
    session = pair.session()
    try:
        inbox.ingest(session)
    finally:
        session.lock()
    body = json.loads(settings.read_bytes())["body"]
    assert base64.b64decode(body["inbox_public_key"]) == current


def test_a_settings_update_whose_inbox_key_was_changed_is_refused(store_dir, tmp_path) -> None:
    pair = make_pair(store_dir, tmp_path)
    settings = pair.drop / drop_folder.SETTINGS_NAME
    envelope = json.loads(settings.read_bytes())
    _private, attackers = sealing.new_keypair()
    envelope["body"]["inbox_public_key"] = base64.b64encode(attackers).decode()
    envelope["body"]["issued_at"] = "2099-01-01T00:00:00.000000+00:00"
    settings.write_text(json.dumps(envelope), encoding="utf-8")
    report = recording_station.deliver_waiting(pair.station)
    assert report.settings_problem is not None
    assert pair.station.inbox_public_key == pair.station.invitation.inbox_public_key


def test_a_station_still_sealing_to_the_old_key_is_taken_in_and_the_lead_is_told(
    store_dir, tmp_path
) -> None:
    pair = make_pair(store_dir, tmp_path)
    kept = _kept_by_the_removed_lead(store_dir)
    _remove_dana(pair, store_dir)
    # The new settings never reach the station (someone took the file away).
    (pair.drop / drop_folder.SETTINGS_NAME).unlink()
    _after_the_removal(pair)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    assert _opens_with(kept, _envelope(pair, made.ref), made.ref)  # the hole, still there

    session = pair.session()
    try:
        changes = inbox.ingest(session)
        assert changes.concerns == {made.ref}  # kept, never lost
        [warning] = stations.old_key_warnings(session)
        assert (warning.name, warning.refs) == ("Away laptop", (made.ref,))
        [info] = stations.station_list(session)
        assert info.last_error == stations.OLD_INBOX_KEY
        assert "may be able to read it" in stations.error_sentence(info.last_error)
        actions = [e.action for e in audit_trail.entries(session, 1000)]
        assert "station_used_old_inbox_key" in actions
    finally:
        session.lock()
    # Published again with the current key; the station takes it and seals to it.
    recording_station.deliver_waiting(pair.station)
    assert pair.station.inbox_public_key == _current_inbox_key(pair)
    later = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    assert not _opens_with(kept, _envelope(pair, later.ref), later.ref)

    session = pair.session()
    try:
        assert inbox.ingest(session).concerns == {later.ref}
        [warning] = stations.old_key_warnings(session)
        assert warning.refs == (made.ref,)  # the later one is not named
        stations.dismiss_old_key_warnings(session)
        assert stations.old_key_warnings(session) == []
        actions = [e.action for e in audit_trail.entries(session, 1000)]
        assert "station_old_key_warning_dismissed" in actions
        assert audit_trail.verify(session).ok
    finally:
        session.lock()


def test_a_concern_recorded_before_the_removal_and_delivered_after_is_not_a_warning(
    store_dir, tmp_path
) -> None:
    pair = make_pair(store_dir, tmp_path)
    away = tmp_path / "drop, unplugged"
    pair.drop.rename(away)
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    assert not made.delivered
    away.rename(pair.drop)
    _remove_dana(pair, store_dir)

    report = recording_station.deliver_waiting(pair.station)
    assert report.delivered == 1
    assert pair.station.inbox_public_key == _current_inbox_key(pair)
    session = pair.session()
    try:
        assert inbox.ingest(session).concerns == {made.ref}
        assert stations.old_key_warnings(session) == []
    finally:
        session.lock()


@pytest.mark.parametrize("how", ["removed", "suspended"])
def test_removing_or_suspending_a_lead_publishes_the_new_key(store_dir, tmp_path, how) -> None:
    pair = make_pair(store_dir, tmp_path)
    admin = pair.session()
    try:
        if how == "removed":
            people.remove_user(admin, store_dir.dsl[0])
        else:
            people.add_user(admin, "sam", "Sam Second", Role.DSL, "second-dsl-pw-1")
            people.suspend_user(admin, store_dir.dsl[0])
        current = case_records.current_inbox_public_key(admin.conn)
    finally:
        admin.lock()
    body = json.loads((pair.drop / drop_folder.SETTINGS_NAME).read_bytes())["body"]
    assert base64.b64decode(body["inbox_public_key"]) == current


def test_a_file_sealed_to_an_old_key_for_a_station_invited_since_is_named(
    store_dir, tmp_path
) -> None:
    # Whoever kept the old inbox key can make a station's MAC with it (from the station's
    # public key in its hello) and date the concern before the removal; a station invited
    # after the key was replaced could never have been given it, so it is named anyway.
    from dataclasses import replace

    from safeguard_desktop.services.recording import Submitter, concern_payload

    kept = _kept_by_the_removed_lead(store_dir)
    admin = lead(store_dir.data_dir, store_dir.admin)
    try:
        people.remove_user(admin, store_dir.dsl[0])
    finally:
        admin.lock()
    time.sleep(1.05)  # times are kept to the second: the station is invited after
    pair = make_pair(store_dir, tmp_path)
    [old_key] = kept

    # What the removed lead can make: the station's MAC over a concern sealed to the old
    # key, dated before the removal (only the station's public key is needed).
    pair.station.invitation = replace(pair.station.invitation, inbox_public_key=old_key)
    pair.station.update = None
    ref, dated = "C-FAKE-0001", "2026-01-01T09:00:00+00:00"
    payload = concern_payload(concern(), Submitter("Sam Coach", "Coach", None), dated)
    data = recording_station._sealed_concern(pair.station, payload, ref, dated)
    drop_folder.write(pair.drop, f"{ref}.sgdrop", data)

    session = pair.session()
    try:
        assert inbox.ingest(session).concerns == {ref}
        [warning] = stations.old_key_warnings(session)
        assert warning.refs == (ref,)
    finally:
        session.lock()


def test_the_new_key_reaches_a_station_even_after_an_update_dated_ahead(
    store_dir, tmp_path
) -> None:
    # The lead's PC clock was once ahead (or is now behind): the update the station holds
    # is dated later than now. The next one must still come after it, or the station
    # would keep sealing to the old key.
    pair = make_pair(store_dir, tmp_path)
    settings = pair.drop / drop_folder.SETTINGS_NAME
    envelope = json.loads(settings.read_bytes())
    body = envelope["body"]
    body["issued_at"] = "2099-01-01T00:00:00.000000+00:00"
    session = pair.session()
    try:
        _key, signature = session.organisation_signature(
            b"safeguard-desktop station settings v1\x00",
            json.dumps(body, sort_keys=True, separators=(",", ":")).encode(),
        )
    finally:
        session.lock()
    envelope["signature"] = base64.b64encode(signature).decode()
    settings.write_text(json.dumps(envelope), encoding="utf-8")
    assert recording_station.deliver_waiting(pair.station).settings_problem is None
    assert pair.station.update is not None
    assert pair.station.update.issued_at.startswith("2099")

    _remove_dana(pair, store_dir)
    recording_station.deliver_waiting(pair.station)
    assert pair.station.inbox_public_key == _current_inbox_key(pair)
