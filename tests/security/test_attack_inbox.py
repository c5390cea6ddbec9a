"""Attack: seal forged or broken items into inbox.db with the (public) inbox key.

Anyone can seal to the inbox. Ingest must accept only what a named recorder really
sent (their slot's MAC, checked against the database's copy of the slot), quarantine
everything else with the reason, keep going past it, and never drop it silently.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from attacker import (
    concern_payload,
    event_payload,
    inbox_public_key,
    put_sealed,
    vault_json,
)
from casework_data import concern_data, rita_slot, submit
from cli_run import run
from conftest import StoreFixture
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.errors import BadInput, NotPermitted
from safeguard_desktop.security import sealing
from safeguard_desktop.services import (
    audit_trail,
    casework,
    inbox,
    organisation_settings,
    people,
    recording,
)
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store


def _dsl(store_dir: StoreFixture) -> CaseSession:
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    return session


def _refs(session: CaseSession) -> set[str]:
    return {c.ref for c in casework.list_concerns(session)}


def _reasons(session: CaseSession) -> dict[str, str]:
    return {q.ref: q.reason for q in inbox.quarantined(session)}


def test_a_concern_forged_in_a_recorders_name_is_quarantined_and_the_rest_arrive(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    store = Store.open(store_dir.data_dir)
    genuine_before = submit(store, concern_data(name="Amelia Kowalska"))
    put_sealed(
        store_dir.data_dir,
        "C-FORGED1",
        "concern",
        concern_payload("C-FORGED1", concern_data(name="Forged Child"), "rita"),
    )
    genuine_after = submit(store, concern_data(name="Jakub Nowak"))

    session = _dsl(store_dir)
    try:
        assert {genuine_before, genuine_after} <= _refs(session)
        assert "C-FORGED1" not in _refs(session)
        [entry] = inbox.quarantined(session)
        assert entry.ref == "C-FORGED1" and entry.reason == "unverified_sender"
        assert entry.sentence == (
            "It says it was sent by “rita”, but it was not sealed with that account's key."
        )
        assert entry.can_accept
        assert casework.home(session).quarantined == (entry,)
        assert Store.open(store_dir.data_dir).inbox.count() == 0  # kept in the database
        actions = [e.action for e in audit_trail.entries(session, 50)]
        assert "inbox_item_quarantined" in actions
    finally:
        session.lock()
    # The command line's list says something is kept aside, as Home does.
    listed = run(tmp_path, store_dir.data_dir, "concerns", "--as", "dana", stdin="dsl-password-1\n")
    assert listed.returncode == 0, listed.stderr
    assert "Warning: 1 item(s) that arrived for the records were kept aside" in listed.stderr
    assert "C-FORGED1" not in listed.stdout


def test_a_mac_made_with_another_key_does_not_pass_for_the_recorder(
    store_dir: StoreFixture,
) -> None:
    store = Store.open(store_dir.data_dir)
    slot_id = rita_slot(store).slot.slot_id  # public: it is in vault.json
    attacker_private, _ = sealing.new_keypair()
    payload = concern_payload("C-FORGED2", concern_data(), "rita")
    key = sealing.sender_key(attacker_private, inbox_public_key(store_dir.data_dir))
    payload["sender"] = {"slot_id": slot_id, "mac": recording.sender_mac(key, payload, slot_id)}
    put_sealed(store_dir.data_dir, "C-FORGED2", "concern", payload)
    session = _dsl(store_dir)
    try:
        assert _reasons(session) == {"C-FORGED2": "unverified_sender"}
    finally:
        session.lock()


def test_a_genuine_concern_changed_on_the_way_is_not_accepted(store_dir: StoreFixture) -> None:
    # Rita's real MAC over one concern, put on a different concern.
    store = Store.open(store_dir.data_dir)
    opened = rita_slot(store)
    payload = concern_payload("C-FORGED3", concern_data(observed="What she really wrote."), "rita")
    key = sealing.sender_key(opened.private_key, inbox_public_key(store_dir.data_dir))
    payload["sender"] = {
        "slot_id": opened.slot.slot_id,
        "mac": recording.sender_mac(key, payload, opened.slot.slot_id),
    }
    payload["concern"]["observed"] = "Words she never wrote."
    put_sealed(store_dir.data_dir, "C-FORGED3", "concern", payload)
    session = _dsl(store_dir)
    try:
        assert _reasons(session) == {"C-FORGED3": "unverified_sender"}
    finally:
        session.lock()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("missing children", "invalid"),
        ("not a concern", "unreadable"),
        ("not JSON", "unreadable"),
        ("garbage bytes", "unopenable"),
        ("unknown inbox key", "unknown_key"),
        ("unknown kind", "unreadable"),
    ],
)
def test_a_broken_item_is_quarantined_and_never_stops_sign_in(
    store_dir: StoreFixture, damage: str, reason: str
) -> None:
    store = Store.open(store_dir.data_dir)
    ref, kind = "C-BROKEN1", "concern"
    public = inbox_public_key(store_dir.data_dir)
    if damage == "missing children":
        data = concern_data()
        del data["children"]
        opened = rita_slot(store)
        payload = concern_payload(ref, data, "rita")
        key = sealing.sender_key(opened.private_key, public)
        payload["sender"] = {
            "slot_id": opened.slot.slot_id,
            "mac": recording.sender_mac(key, payload, opened.slot.slot_id),
        }
        put_sealed(store_dir.data_dir, ref, kind, payload)
    elif damage == "not a concern":
        put_sealed(store_dir.data_dir, ref, kind, {"hello": "world"})
    elif damage == "not JSON":
        put_sealed(
            store_dir.data_dir,
            ref,
            kind,
            sealing.seal(b"\xff{not json", public, b"concern:" + ref.encode()),
        )
    elif damage == "garbage bytes":
        put_sealed(store_dir.data_dir, ref, kind, b"\x01" + bytes(80))
    elif damage == "unknown inbox key":
        _, other = sealing.new_keypair()
        put_sealed(
            store_dir.data_dir,
            ref,
            kind,
            concern_payload(ref, concern_data(), None),
            public_key=other,
        )
    else:
        kind = "mystery"
        put_sealed(store_dir.data_dir, ref, kind, {"format": "x"})
    genuine = submit(store, concern_data())

    session = _dsl(store_dir)  # signs in: one bad item used to fail every DSL sign-in
    try:
        assert genuine in _refs(session)
        assert _reasons(session) == {ref: reason}
    finally:
        session.lock()


def test_a_reference_reused_with_different_content_is_not_dropped(
    store_dir: StoreFixture,
) -> None:
    store = Store.open(store_dir.data_dir)
    ref = submit(store, concern_data(observed="The original account."))
    session = _dsl(store_dir)
    session.lock()  # taken in
    # The same reference again, as a guest (the organisation allows guests).
    put_sealed(
        store_dir.data_dir,
        ref,
        "concern",
        concern_payload(ref, concern_data(observed="A different account."), None, "Someone"),
    )
    session = _dsl(store_dir)
    try:
        assert _reasons(session) == {ref: "duplicate"}
        body = casework.open_concern(session, ref).body
        assert body["observed"] == "The original account."
    finally:
        session.lock()


def test_forged_sign_in_failures_are_marked_unverified_and_forged_password_changes_refused(
    store_dir: StoreFixture,
) -> None:
    put_sealed(
        store_dir.data_dir,
        "E-FORGED1",
        "event",
        event_payload("E-FORGED1", {"type": "login_failed", "username": "dana"}),
    )
    put_sealed(
        store_dir.data_dir,
        "E-FORGED2",
        "event",
        event_payload("E-FORGED2", {"type": "password_changed", "username": "dana"}),
    )
    session = _dsl(store_dir)
    try:
        failed = [e for e in audit_trail.entries(session, 50) if e.action == "login_failed"]
        assert failed and failed[0].detail["verified"] is False
        assert _reasons(session) == {"E-FORGED2": "unverified_sender"}
        accepted = [q for q in inbox.quarantined(session) if q.ref == "E-FORGED2"]
        assert not accepted[0].can_accept
        with pytest.raises(NotPermitted):
            inbox.accept_quarantined(session, accepted[0].item_id)
    finally:
        session.lock()


def test_a_quarantined_concern_can_be_accepted_marked_unverified_or_set_aside(
    store_dir: StoreFixture,
) -> None:
    for ref in ("C-ACCEPT1", "C-ASIDE01"):
        put_sealed(store_dir.data_dir, ref, "concern", concern_payload(ref, concern_data(), "rita"))
    session = _dsl(store_dir)
    try:
        items = {q.ref: q for q in inbox.quarantined(session)}
        assert set(items) == {"C-ACCEPT1", "C-ASIDE01"}
        assert inbox.accept_quarantined(session, items["C-ACCEPT1"].item_id).concerns == {
            "C-ACCEPT1"
        }
        stored = casework.open_concern(session, "C-ACCEPT1")
        assert stored.submitter["unverified"] is True
        assert stored.submitter["accepted_by"] == store_dir.dsl[0]
        with pytest.raises(BadInput):
            inbox.set_aside_quarantined(session, items["C-ASIDE01"].item_id, "   ")
        inbox.set_aside_quarantined(session, items["C-ASIDE01"].item_id, "Spoke to Rita: not hers.")
        assert inbox.quarantined(session) == []
        with pytest.raises(BadInput):
            inbox.accept_quarantined(session, items["C-ASIDE01"].item_id)
        actions = [e.action for e in audit_trail.entries(session, 50)]
        assert "quarantine_accepted" in actions and "quarantine_set_aside" in actions
    finally:
        session.lock()


def test_a_guest_concern_is_quarantined_when_guests_are_off(store_dir: StoreFixture) -> None:
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    organisation_settings.set_allow_guests(admin, False)  # type: ignore[arg-type]
    admin.lock()
    put_sealed(
        store_dir.data_dir,
        "C-GUEST01",
        "concern",
        concern_payload("C-GUEST01", concern_data(), None),
    )
    session = _dsl(store_dir)
    try:
        assert _reasons(session) == {"C-GUEST01": "guests_not_allowed"}
    finally:
        session.lock()


def test_inbox_db_no_longer_says_which_account_sent_what(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    rita = store.login(*store_dir.recorder)
    rita.save_draft({"observed": "half written"})
    rita.submit_concern(Concern.from_json(concern_data(), now=datetime.now()))
    rita.save_draft({"observed": "the next one"})
    assert [r.ref for r in rita.receipts()]
    rita.lock()
    public_keys = {s["public_key"] for s in vault_json(store_dir.data_dir)["slots"]}
    conn = sqlite3.connect(store_dir.data_dir / "inbox.db")
    try:
        owners = [
            row[0]
            for table in ("receipts", "drafts")
            for row in conn.execute(f"SELECT owner_key FROM {table}")  # noqa: S608
        ]
    finally:
        conn.close()
    import base64

    assert owners
    assert not {base64.b64encode(o).decode() for o in owners} & public_keys


def test_receipts_and_a_draft_filed_by_an_earlier_version_are_still_found(
    store_dir: StoreFixture,
) -> None:
    store = Store.open(store_dir.data_dir)
    opened = rita_slot(store)
    sealed = sealing.seal(
        json.dumps({"ref": "C-OLD00001", "submitted_at": "2026-01-05T10:00:00+00:00"}).encode(),
        opened.slot.public_key,
        b"receipt",
    )
    store.inbox.put_receipt(opened.slot.public_key, sealed)  # as before owner tags
    rita = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    try:
        assert [r.ref for r in rita.receipts()] == ["C-OLD00001"]
    finally:
        rita.lock()


def test_sending_deletes_the_draft_in_the_same_transaction(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    rita = store.login(*store_dir.recorder)
    rita.save_draft({"observed": "half written"})
    rita.submit_concern(Concern.from_json(concern_data(), now=datetime.now()))
    # No separate discard call: the seal's own transaction removed it.
    assert rita.load_draft() is None
    rita.lock()


def test_a_concern_sealed_before_its_recorder_was_removed_is_quarantined_not_lost(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    store = Store.open(store_dir.data_dir)
    ref = submit(store, concern_data())
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    # Removing her takes in the inbox first (the admin's sign-in does): so seal after.
    late = submit(store, concern_data(name="Late Child"))
    people.remove_user(admin, store_dir.recorder[0])  # type: ignore[arg-type]
    admin.lock()
    session = _dsl(store_dir)
    try:
        assert ref in _refs(session)
        assert _reasons(session) == {late: "removed_sender"}
    finally:
        session.lock()


def test_a_referral_says_when_the_sender_could_not_be_confirmed(store_dir: StoreFixture) -> None:
    from safeguard_desktop.services import referral

    put_sealed(
        store_dir.data_dir,
        "C-UNCONF01",
        "concern",
        concern_payload("C-UNCONF01", concern_data(), "rita"),
    )
    session = _dsl(store_dir)
    try:
        [item] = inbox.quarantined(session)
        inbox.accept_quarantined(session, item.item_id)
        file = casework.concern_file(session, "C-UNCONF01")
        recorded_by = referral._recorded_by(file, session.organisation.org_type)
        assert "the sender could not be confirmed (accepted by dana)" in recorded_by
    finally:
        session.lock()


def test_a_recorder_cannot_pass_their_concern_off_as_someone_elses(
    store_dir: StoreFixture,
) -> None:
    # Rita's own key and MAC (a real recorder), but the name and role of the lead.
    store = Store.open(store_dir.data_dir)
    opened = rita_slot(store)
    payload = concern_payload("C-DRESSUP1", concern_data(), "rita", name="Dana Lead")
    payload["submitter"]["role"] = "dsl"
    key = sealing.sender_key(opened.private_key, inbox_public_key(store_dir.data_dir))
    payload["sender"] = {
        "slot_id": opened.slot.slot_id,
        "mac": recording.sender_mac(key, payload, opened.slot.slot_id),
    }
    put_sealed(store_dir.data_dir, "C-DRESSUP1", "concern", payload)
    session = _dsl(store_dir)
    try:
        stored = casework.open_concern(session, "C-DRESSUP1")
        assert stored.submitter["name"] == "Rita Recorder"
        assert stored.submitter["role"] == "recorder"
    finally:
        session.lock()
