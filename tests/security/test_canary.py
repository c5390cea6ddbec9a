"""The canary test: record text, passwords and keys never reach a file in the clear.

A concern whose every text field carries a unique canary string goes through the
public services (as a recorder and as a guest), is ingested and opened by the DSL,
and goes through the real command line too. Then every file in the data folder, the
log folder and the temporary folder (and anything else written under this test's
folder) is searched for the canary, the passwords and the database key, in UTF-8,
UTF-16-LE and UTF-16-BE. A positive control proves the search finds what it looks for.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from canary_scan import ENCODINGS, all_files, find_in_files, needles
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.errors import WrongCredentials
from safeguard_desktop.domain.organisation import LocalContacts
from safeguard_desktop.security import key_slots
from safeguard_desktop.services import attachments, casework, children, organisation_settings
from safeguard_desktop.services.recording import submit_as_guest
from safeguard_desktop.services.session import CaseSession, RecorderSession
from safeguard_desktop.services.store import Store


def _canaries() -> dict[str, str]:
    ascii_id, unicode_id = uuid.uuid4().hex, uuid.uuid4().hex
    return {
        "ascii canary": f"CANARY-{ascii_id}",
        "unicode canary": f"Żółć-😀-{unicode_id}",
        # The bare hex of the Unicode one also finds it when escaped (\u017b...).
        "unicode canary id": unicode_id,
    }


def _letter_pdf(text: str) -> bytes:
    """A one-line letter, uncompressed so its words are in its bytes (the scan's control)."""
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    canvas = Canvas(out, pageCompression=0)
    canvas.drawString(72, 720, text.encode("ascii", "replace").decode())
    canvas.save()
    assert text.split()[0].encode() in out.getvalue()
    return out.getvalue()


def _concern_json(ascii_canary: str, unicode_canary: str) -> dict[str, object]:
    both = f"{ascii_canary} {unicode_canary}"
    return {
        "children": [
            {
                "name": f"Amelia {both}",
                "date_of_birth": "2015-03-02",
                "group": f"U11 {both}",
                "additional_needs": f"Needs {both}",
            },
            {"name": f"Second {both}", "approximate_age": 9},
        ],
        "occurred_at": "2026-11-20T15:30:00",
        "location": f"Changing rooms {both}",
        "categories": ["physical_abuse", "other"],
        "observed": f"I saw {both}.",
        "child_words": f"She said {both}.",
        "presentation": f"Quiet {both}.",
        "others_present": f"Sam {both}",
        "actions_taken": f"Listened {both}.",
        "immediate_danger": False,
        "told_dsl_in_person": True,
        "body_map": [{"view": "back", "x": 0.5, "y": 0.5, "note": f"Mark {both}"}],
    }


def test_scanner_finds_a_canary_in_every_encoding(tmp_path: Path) -> None:
    """Positive control: the search below is not vacuous."""
    canary = _canaries()
    for encoding in ENCODINGS:
        for name, text in canary.items():
            plain = tmp_path / f"{encoding}-{name.replace(' ', '_')}.txt"
            plain.write_bytes(b"prefix\x00" + f"around {text} it".encode(encoding) + b"\x00end")
            hits = find_in_files([plain], {name: needles(text)})
            assert hits == [f"{plain}: {name}"], (encoding, name)
    escaped = tmp_path / "escaped.json"
    escaped.write_text(json.dumps({"x": canary["unicode canary"]}), encoding="ascii")
    assert find_in_files([escaped], {"id": needles(canary["unicode canary id"])})
    clean = tmp_path / "clean.txt"
    clean.write_text("nothing here", encoding="utf-8")
    assert find_in_files([clean], {k: needles(v) for k, v in canary.items()}) == []


@pytest.fixture
def quiet_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    folders = {"logs": tmp_path / "logs", "tmp": tmp_path / "tmp", "input": tmp_path / "input"}
    for folder in folders.values():
        folder.mkdir()
    monkeypatch.setenv("SAFEGUARD_LOG_DIR", str(folders["logs"]))
    monkeypatch.setenv("TMPDIR", str(folders["tmp"]))
    monkeypatch.setenv("SQLITE_TMPDIR", str(folders["tmp"]))
    monkeypatch.setattr(tempfile, "tempdir", str(folders["tmp"]))
    # Every log record of this process, at every level, goes to a file we scan.
    handler = logging.FileHandler(folders["logs"] / "in-process.log", encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield folders
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def _cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # Environment (log and temp folders) inherited from the monkeypatched os.environ.
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguard_desktop.cli",
            "--debug",
            "--data-dir",
            str(data_dir),
            *args,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )


def test_no_record_text_password_or_key_in_any_file(
    store_dir, tmp_path: Path, quiet_folders: dict[str, Path]
) -> None:
    started = datetime.now().timestamp()
    canary = _canaries()
    data = _concern_json(canary["ascii canary"], canary["unicode canary"])
    concern = Concern.from_json(data, now=datetime.now())
    data_dir = store_dir.data_dir
    store = Store.open(data_dir)

    # A recorder and a guest record it through the services.
    recorder = store.login(*store_dir.recorder)
    assert isinstance(recorder, RecorderSession)
    recorder_ref = recorder.submit_concern(concern)
    recorder.lock()
    guest_ref = submit_as_guest(
        store,
        f"Guest {canary['ascii canary']} {canary['unicode canary']}",
        f"Parent {canary['ascii canary']}",
        concern,
    )
    # A mistyped password is a failed sign-in that is written down: not its text.
    with pytest.raises(WrongCredentials):
        store.login(store_dir.dsl[0], f"wrong-{canary['ascii canary']}")

    # The DSL ingests and opens both; the admin changes a setting; everyone locks.
    dsl = store.login(*store_dir.dsl)
    assert isinstance(dsl, CaseSession)
    try:
        for ref in (recorder_ref, guest_ref):
            assert casework.open_concern(dsl, ref).body == concern.to_json()
    finally:
        dsl.lock()
    admin = store.login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    admin_slot = store.vault.slot(store.vault.user(store_dir.admin[0]).slot_id)  # type: ignore[union-attr]
    assert admin_slot is not None
    db_key = key_slots.open_slot(admin_slot, store_dir.admin[1].encode(), None).db_key
    assert db_key is not None  # read only to search the files for it
    try:
        organisation_settings.set_idle_lock_minutes(admin, 9)
        organisation_settings.set_contacts(admin, LocalContacts(front_door="0100 000 0007"))
    finally:
        admin.lock()

    # The real command line, with the same log and temp folders (and --debug logging).
    concern_file = quiet_folders["input"] / "concern.json"
    concern_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    recorded = _cli(
        data_dir,
        "record",
        "--as",
        "rita",
        "--json",
        str(concern_file),
        stdin=store_dir.recorder[1] + "\n",
    )
    assert recorded.returncode == 0, recorded.stderr
    cli_ref = recorded.stdout.strip()
    guest = _cli(
        data_dir,
        "record",
        "--guest",
        f"G {canary['unicode canary']}",
        "--guest-role",
        "Parent",
        "--json",
        str(concern_file),
    )
    assert guest.returncode == 0, guest.stderr
    listed = _cli(data_dir, "concerns", "--as", "dana", stdin=store_dir.dsl[1] + "\n")
    assert listed.returncode == 0, listed.stderr
    shown = _cli(data_dir, "show", cli_ref, "--as", "dana", stdin=store_dir.dsl[1] + "\n")
    assert shown.returncode == 0, shown.stderr
    # Printing the record to stdout is what `show` is for; it proves the canary went in.
    assert canary["ascii canary"] in shown.stdout
    assert canary["unicode canary"] in json.loads(shown.stdout)["concern"]["observed"]
    for result in (recorded, guest, listed, shown):
        for text in canary.values():
            assert text not in result.stderr  # --debug logging to stderr too

    secrets: dict[str, list[bytes]] = {name: needles(text) for name, text in canary.items()}
    for username, password in (store_dir.admin, store_dir.dsl, store_dir.recorder):
        secrets[f"password of {username}"] = needles(password)
    secrets["database key"] = [
        db_key,
        *needles(db_key.hex()),
        *needles(db_key.hex().upper()),
    ]
    recovery = store_dir.recovery_key
    secrets["recovery key"] = [*needles(recovery), *needles(recovery.replace("-", ""))]

    # Everything written under this test's folder, except the input we wrote ourselves.
    written = [
        p for p in all_files(tmp_path) if p != concern_file and p.stat().st_mtime >= started - 1
    ]
    scanned = set(all_files(data_dir, quiet_folders["logs"], quiet_folders["tmp"]))
    scanned |= set(written)
    names = {p.name for p in scanned}
    # The scan really covers the store and the logs the program wrote.
    # (crash.log shows the command line used this log folder too.)
    assert {"vault.json", "cases.db", "inbox.db", "in-process.log", "crash.log"} <= names, names
    # Control: a record from a package logger does reach the file we scan.
    logging.getLogger("safeguard_desktop.canary_control").debug("control record")
    assert b"control record" in (quiet_folders["logs"] / "in-process.log").read_bytes()
    assert find_in_files(sorted(scanned), secrets) == []

    # Only the input file itself (control) holds the canary.
    assert find_in_files([concern_file], {"ascii canary": secrets["ascii canary"]})


def test_a_recording_station_leaves_no_record_text_in_any_file(
    store_dir, tmp_path: Path, quiet_folders: dict[str, Path]
) -> None:
    """A concern recorded on a station (services and command line), waiting in its outbox
    while the shared folder is away, delivered, then taken in and opened on the DSL's PC:
    the station's folder, the drop folder and the logs hold none of it."""
    from safeguard_desktop.services import inbox, recording_station, stations

    started = datetime.now().timestamp()
    canary = _canaries()
    data = _concern_json(canary["ascii canary"], canary["unicode canary"])
    concern = Concern.from_json(data, now=datetime.now())
    drop = tmp_path / "drop"
    drop.mkdir()
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert isinstance(admin, CaseSession)
    try:
        made = stations.invite_station(admin, "Hall laptop", drop)
    finally:
        admin.lock()
    station_dir = tmp_path / "station"
    station = recording_station.set_up_station(station_dir, stations.parse_invitation(made.data))
    away = tmp_path / "away"
    drop.rename(away)
    waited = recording_station.record_on_station(
        station, f"Volunteer {canary['unicode canary']}", f"Coach {canary['ascii canary']}", concern
    )
    assert not waited.delivered
    away.rename(drop)
    concern_file = quiet_folders["input"] / "concern.json"
    concern_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    recorded = _cli(
        station_dir,
        "record",
        "--guest",
        f"G {canary['unicode canary']}",
        "--guest-role",
        "Parent",
        "--json",
        str(concern_file),
    )
    assert recorded.returncode == 0, recorded.stderr
    assert recording_station.StationFolder.open(station_dir).waiting() == []

    dsl = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(dsl, CaseSession)
    try:
        arrived = inbox.ingest(dsl).concerns
        assert {waited.ref, recorded.stdout.strip()} <= arrived
        for ref in arrived:
            assert casework.open_concern(dsl, ref).body == concern.to_json()
    finally:
        dsl.lock()

    secrets = {name: needles(text) for name, text in canary.items()}
    written = [
        p for p in all_files(tmp_path) if p != concern_file and p.stat().st_mtime >= started - 1
    ]
    scanned = set(all_files(station_dir, drop, quiet_folders["logs"], quiet_folders["tmp"]))
    scanned |= set(written)
    names = {p.name for p in scanned}
    assert {"station.json", "in-process.log", "cases.db"} <= names, names
    assert any(name.startswith("heartbeat-") for name in names)
    assert find_in_files(sorted(scanned), secrets) == []


def test_a_password_typed_as_the_user_name_is_not_kept_in_the_clear(
    store_dir, quiet_folders: dict[str, Path]
) -> None:
    # People do type their password into the user-name box. The failed sign-in is
    # counted and audited, but the words typed must not sit in plaintext on disk.
    typed = f"PW-{uuid.uuid4().hex}-Żółć"
    store = Store.open(store_dir.data_dir)
    with pytest.raises(WrongCredentials):
        store.login(typed, "whatever-was-in-the-password-box")
    secrets = {"typed user name": needles(typed), "typed lower": needles(typed.casefold())}
    files = all_files(store_dir.data_dir, quiet_folders["logs"], quiet_folders["tmp"])
    assert find_in_files(files, secrets) == []


def test_key_slot_open_leaves_no_trace_in_logs(store_dir, quiet_folders: dict[str, Path]) -> None:
    """Opening slots with wrong and right passwords logs nothing secret."""
    vault = Store.open(store_dir.data_dir).vault
    record = vault.user(store_dir.admin[0])
    assert record is not None
    slot = vault.slot(record.slot_id)
    assert slot is not None
    with pytest.raises(key_slots.SlotLocked) as caught:
        key_slots.open_slot(slot, b"admin-password-X", None)
    assert "admin-password" not in str(caught.value)
    opened = key_slots.open_slot(slot, store_dir.admin[1].encode(), None)
    assert opened.db_key is not None
    secrets = {
        "key": [opened.db_key, *needles(opened.db_key.hex())],
        "password": needles(store_dir.admin[1]),
    }
    assert find_in_files(all_files(quiet_folders["logs"], quiet_folders["tmp"]), secrets) == []


def test_casework_and_referrals_leave_no_record_text_in_any_file(
    store_dir, school_dir: Path, tmp_path: Path, quiet_folders: dict[str, Path]
) -> None:
    """The DSL's half: linking, search, amendments, actions, household, handoff, PDFs,
    attachments, a subject access response, and the child's file transferred to a school
    (its encrypted PDF and package are scanned too: they travel) and received there."""
    from datetime import date, timedelta

    from safeguard_desktop.domain.casework import NewAction, NewAmendment
    from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
    from safeguard_desktop.domain.children import HouseholdMember
    from safeguard_desktop.domain.handoff import (
        DEFAULT_LAWFUL_BASIS,
        Consent,
        HandoffDecision,
        InformationSharing,
        Outcome,
    )
    from safeguard_desktop.domain.records import SearchFilters
    from safeguard_desktop.domain.referral import ReferralContent
    from safeguard_desktop.domain.subject_access import Exemption, NewRequest
    from safeguard_desktop.services import referral, subject_access
    from safeguard_desktop.services.handoff import record_handoff

    started = datetime.now().timestamp()
    canary = _canaries()
    both = f"{canary['ascii canary']} {canary['unicode canary']}"
    store = Store.open(store_dir.data_dir)
    recorder = store.login(*store_dir.recorder)
    ref = recorder.submit_concern(
        Concern.from_json(
            _concern_json(canary["ascii canary"], canary["unicode canary"]), now=datetime.now()
        )
    )
    recorder.lock()
    now = datetime.now().replace(microsecond=0)
    saved = quiet_folders["input"] / "referral.pdf"
    # The files the DSL chose: one to attach (named after the child, as people do) and
    # where to save a copy; both hold the record by choice, so they are not scanned.
    attached_letter = quiet_folders["input"] / f"{canary['ascii canary']} notes.pdf"
    attached_letter.write_bytes(_letter_pdf(both))
    saved_attachment = quiet_folders["input"] / "attachment-copy.pdf"
    sar_files = (quiet_folders["input"] / "sar.pdf", quiet_folders["input"] / "sar-keep.pdf")
    dsl = store.login(*store_dir.dsl)
    assert isinstance(dsl, CaseSession)
    try:
        child_id = casework.create_child_for(dsl, ref, 0).id
        assert [
            s.ref for s in casework.search(dsl, SearchFilters(text=canary["ascii canary"]))
        ] == [ref]
        casework.amend(
            dsl,
            ref,
            NewAmendment.checked(field="observed", new_value=f"Fix {both}", reason=f"Why {both}"),
        )
        casework.add_action(
            dsl,
            NewAction.checked(
                kind="note",
                occurred_at=now,
                who=f"Who {both}",
                details=f"Did {both}",
                outcome=f"Out {both}",
                follow_up_on=date.today(),
                follow_up_what=f"Then {both}",
                now=now,
            ),
            child_id=child_id,
        )
        children.add_household_member(
            dsl, child_id, HouseholdMember.checked(name=f"Parent {both}", relationship="Mother")
        )
        assert any(canary["ascii canary"] in e.summary for e in children.chronology(dsl, child_id))
        result = record_handoff(
            dsl,
            ref,
            HandoffDecision.checked(
                immediate_danger=False,
                police=None,
                allegation_against_adult=False,
                lado=None,
                outcome=Outcome.SOCIAL_CARE,
                situation=ChildSituation(urgency=Urgency.SAME_DAY, child_now="At home tonight."),
                reason=f"Because {both}",
                advice=None,
                information_sharing=InformationSharing(
                    Consent.NOT_SOUGHT, f"Risk {both}", DEFAULT_LAWFUL_BASIS, False, f"No {both}"
                ),
                referral=ReferralContent(summary=f"Summary {both}", risks=f"Risks {both}"),
                review_on=None,
                follow_up_on=date.today() + timedelta(days=1),
                follow_up_what="",
                now=now,
            ),
            child=0,  # the concern names two children; this decision is the first's
        )
        made = referral.make_referral_pdf(dsl, result.referral_refs[0], pdf_password=None)
        referral.save_referral_pdf(dsl, made, saved)
        assert referral.verify_referral(dsl, saved.read_bytes()).trusted
        # A letter whose words and name hold the canary, attached, opened and saved.
        added = attachments.attach_path(
            dsl, attached_letter, concern_ref=ref, description=f"About {both}"
        )
        assert attachments.open_attachment(dsl, added.id).data == attached_letter.read_bytes()
        attachments.save_copy(dsl, added.id, saved_attachment)
        # A subject access response, a word taken out; both PDFs are saved by choice.
        asked = subject_access.record_request(
            dsl,
            child_id,
            NewRequest.checked(
                requester=f"Parent {both}",
                relationship="Mother",
                received_on=date.today(),
                identity_checked=f"Passport {both}",
                today=date.today(),
            ),
        ).id
        subject_access.add_term(dsl, asked, canary["unicode canary"], Exemption.THIRD_PARTY)
        response = subject_access.make_response(dsl, asked)
        subject_access.save_response(dsl, response, *sar_files)
    finally:
        dsl.lock()
    attached_cli = _cli(
        store_dir.data_dir,
        "attach",
        "--child",
        str(child_id),
        str(attached_letter),
        "--as",
        "dana",
        "--description",
        f"Again {both}",
        stdin=f"{store_dir.dsl[1]}\n",
    )
    assert attached_cli.returncode == 0, attached_cli.stderr
    assert canary["ascii canary"] not in attached_cli.stderr
    # The command line makes an encrypted copy and checks it, with --debug logging.
    out = quiet_folders["input"] / "cli-referral.pdf"
    made_cli = _cli(
        store_dir.data_dir,
        "referral",
        ref,
        "--as",
        "dana",
        "--out",
        str(out),
        "--child",
        str(child_id),
        "--encrypt",
        stdin=f"{store_dir.dsl[1]}\npdf-password-1\n",
    )
    assert made_cli.returncode == 0, made_cli.stderr
    checked = _cli(
        store_dir.data_dir, "verify-pdf", str(out), "--password-stdin", stdin="pdf-password-1\n"
    )
    assert checked.returncode == 0, checked.stderr
    for result_text in (made_cli.stderr, checked.stderr, checked.stdout):
        assert canary["ascii canary"] not in result_text
    # The child moves school: the file goes as an encrypted PDF and package, is received
    # in the school's store, and the school's receipt comes back.
    moved = tmp_path / "usb"
    moved.mkdir()
    transfer_password = "canary-transfer-pw-12"
    sent = _cli(
        store_dir.data_dir, "transfer", str(child_id), "--as", "dana", "--to", "Hillside School",
        "--out", str(moved), stdin=f"{store_dir.dsl[1]}\n{transfer_password}\n",
    )  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    receipt = moved / "receipt.sgreceipt"
    received = _cli(
        school_dir, "receive", json.loads(sent.stdout)["package"], "--as", "sam",
        "--fingerprint", json.loads(sent.stdout)["fingerprint"],
        "--receipt-out", str(receipt), stdin=f"school-dsl-password-1\n{transfer_password}\n",
    )  # fmt: skip
    assert received.returncode == 0, received.stderr
    took = _cli(
        store_dir.data_dir, "transfer-receipt", str(receipt), "--as", "dana",
        stdin=f"{store_dir.dsl[1]}\n",
    )  # fmt: skip
    assert took.returncode == 0, took.stderr
    for result_text in (sent.stdout, sent.stderr, received.stdout, received.stderr, took.stdout):
        assert canary["ascii canary"] not in result_text
    assert {p.suffix for p in moved.iterdir()} == {".pdf", ".sgtransfer", ".sgreceipt"}

    secrets = {name: needles(text) for name, text in canary.items()}
    secrets["pdf password"] = needles("pdf-password-1")
    secrets["transfer password"] = needles(transfer_password)
    written = [
        p
        for p in all_files(tmp_path)
        if p.stat().st_mtime >= started - 1
        and p not in (saved, out, attached_letter, saved_attachment, *sar_files)
    ]
    scanned = set(
        all_files(store_dir.data_dir, school_dir, quiet_folders["logs"], quiet_folders["tmp"])
    )
    scanned |= set(written)
    assert {"cases.db", "inbox.db", "in-process.log"} <= {p.name for p in scanned}
    assert {".pdf", ".sgtransfer", ".sgreceipt"} <= {p.suffix for p in scanned}
    assert find_in_files(sorted(scanned), secrets) == []
    # Control: the PDF the DSL chose to save does hold the record (it is the referral).
    text = subprocess.run(
        ["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert canary["ascii canary"] in text.replace("\n", " ").replace("-\n", "")
