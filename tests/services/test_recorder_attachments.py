"""Files a recorder sends with their concern: sealed into the inbox with it, from an
account, as a guest and from a recording station, then taken in again on the lead's PC.

The recorder's PC checks each file and takes its metadata out before anything is
sealed (so a photo's position never reaches the data folder, even encrypted); the
lead's PC trusts none of that and takes each file in again. A file it would not keep is
said on the concern and in the audit log, and the concern still arrives.
"""

from __future__ import annotations

import hashlib
import json
import random
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from test_attachments import GPS_IFD, letter, photo, script_pdf

from casework_data import concern_data
from cli_run import assert_error, concern_file, run
from conftest import StoreFixture
from safeguard_desktop.domain.attachments import AttachmentKind
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.services import attachments, audit_trail, casework, inbox
from safeguard_desktop.services.attachment_intake import (
    ChosenFile,
    Intake,
    check_chosen,
    choose,
)
from safeguard_desktop.services.recording import Submitter, seal_concern, submit_as_guest
from safeguard_desktop.services.session import CaseSession, RecorderSession
from safeguard_desktop.services.store import Store
from station_setup import make_pair


def _concern() -> Concern:
    from datetime import datetime

    return Concern.from_json(concern_data(), now=datetime.now())


def _take_in(store_dir: StoreFixture) -> CaseSession:
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    inbox.ingest(session)
    return session


def _audit(session: CaseSession, action: str) -> list[dict[str, object]]:
    return [e.detail for e in audit_trail.entries(session, 10_000) if e.action == action]


def test_a_recorders_photo_is_sealed_without_its_position_and_arrives_with_the_concern(
    store_dir: StoreFixture,
) -> None:
    original = photo()
    chosen = choose(original, "C:\\Users\\coach\\Pictures\\IMG_0042.jpg")
    assert chosen.file_name == "IMG_0042.jpg" and "location (GPS)" in chosen.intake.removed
    store = Store.open(store_dir.data_dir)
    recorder = store.login(*store_dir.recorder)
    assert isinstance(recorder, RecorderSession)
    try:
        ref = recorder.submit_concern(_concern(), [chosen, choose(letter(), "notes.pdf")])
    finally:
        recorder.lock()
    # What waits in the inbox is sealed: neither the file's position nor its text.
    raw = (store_dir.data_dir / "inbox.db").read_bytes()
    assert b"PhoneMaker" not in raw and b"IMG_0042" not in raw

    session = _take_in(store_dir)
    try:
        kept = attachments.for_concern(session, ref)
        assert [(a.file_name, a.kind, a.from_recorder) for a in kept] == [
            ("IMG_0042.jpg", AttachmentKind.JPEG, True),
            ("notes.pdf", AttachmentKind.PDF, True),
        ]
        assert kept[0].added_by == "rita"
        assert kept[0].original_sha256 == hashlib.sha256(original).hexdigest()
        assert "location (GPS)" in kept[0].removed
        data = attachments.open_attachment(session, kept[0].attachment_id).data
        with Image.open(BytesIO(data)) as picture:
            assert not picture.getexif().get_ifd(GPS_IFD)
        added = _audit(session, "attachment_added")
        assert len(added) == 2 and all(entry["from_recorder"] for entry in added)
        assert "attachments_not_kept" not in casework.open_concern(session, ref).submitter
    finally:
        session.lock()


def test_a_guest_and_a_station_send_files_too(store_dir: StoreFixture, tmp_path: Path) -> None:
    from safeguard_desktop.services import recording_station

    guest_ref = submit_as_guest(
        Store.open(store_dir.data_dir), "Pat Parent", "Parent helper", _concern(),
        [choose(letter(), "note.pdf")],
    )  # fmt: skip
    pair = make_pair(store_dir, tmp_path)
    made = recording_station.record_on_station(
        pair.station, "Sam Coach", "Coach", _concern(), [choose(photo(), "board.jpg")]
    )
    assert made.delivered
    session = pair.session()
    try:
        inbox.ingest(session)
        (from_guest,) = attachments.for_concern(session, guest_ref)
        (from_station,) = attachments.for_concern(session, made.ref)
        assert from_guest.added_by == "Pat Parent" and from_station.added_by == "Sam Coach"
        assert from_station.kind is AttachmentKind.JPEG
    finally:
        session.lock()


def test_a_file_the_leads_pc_would_not_keep_is_said_and_the_concern_still_arrives(
    store_dir: StoreFixture,
) -> None:
    # A recorder's PC that did not check (an older copy, or someone sealing by hand to
    # the public inbox key): a PDF with a script, passed off as already checked.
    bad = script_pdf()
    unchecked = ChosenFile("form.pdf", Intake(AttachmentKind.PDF, bad, "0" * 64, ()))
    store = Store.open(store_dir.data_dir)
    ref = seal_concern(
        store,
        _concern(),
        Submitter(name="Pat Parent", role="Parent", username=None),
        attachments=[unchecked, choose(letter(), "good.pdf")],
    )
    session = _take_in(store_dir)
    try:
        stored = casework.open_concern(session, ref)
        (not_kept,) = stored.submitter["attachments_not_kept"]
        assert not_kept["file_name"] == "form.pdf"
        assert not_kept["sha256"] == hashlib.sha256(bad).hexdigest()
        assert "a script (JavaScript)" in not_kept["reason"]
        assert [a.file_name for a in attachments.for_concern(session, ref)] == ["good.pdf"]
        assert _audit(session, "attachment_not_kept") == [
            {"ref": ref, "sha256": hashlib.sha256(bad).hexdigest()}
        ]
    finally:
        session.lock()


def test_a_sealed_list_of_files_that_is_not_ours_keeps_the_concern_aside(
    store_dir: StoreFixture,
) -> None:
    """Files that are not base64, or a concern claiming files without any: kept aside whole."""
    from safeguard_desktop.services import recording

    store = Store.open(store_dir.data_dir)
    real = recording.concern_payload

    def forged(*args: object, **kwargs: object) -> dict[str, object]:
        payload = real(*args, **kwargs)  # type: ignore[arg-type]
        payload["attachments"] = [
            {"file_name": "x.pdf", "data": "%%% not base64", "original_sha256": "0" * 64,
             "removed": []}
        ]  # fmt: skip
        return payload

    recording.concern_payload = forged  # type: ignore[assignment]
    try:
        ref = seal_concern(
            store, _concern(), Submitter(name="Pat", role="Parent", username=None),
            attachments=[choose(letter(), "a.pdf")],
        )  # fmt: skip
    finally:
        recording.concern_payload = real  # type: ignore[assignment]
    session = _take_in(store_dir)
    try:
        assert not casework.list_concerns(session)
        (item,) = casework.home(session).quarantined
        assert item.ref == ref and "attachments" in item.sentence
    finally:
        session.lock()


def test_too_many_or_too_much_together_is_refused_before_sealing() -> None:
    eleven = [choose(letter(f"page {i}"), f"p{i}.pdf") for i in range(11)]
    with pytest.raises(BadInput, match="At most 10 files"):
        check_chosen(eleven)
    big = ChosenFile(
        "big.pdf", Intake(AttachmentKind.PDF, b"%PDF-" + bytes(13 << 20), "0" * 64, ())
    )
    with pytest.raises(BadInput, match="more than 25 MB together"):
        check_chosen([big, big])


def test_an_inbox_of_big_concerns_is_read_a_few_at_a_time(store_dir: StoreFixture) -> None:
    store = Store.open(store_dir.data_dir)
    who = Submitter(name="Pat Parent", role="Parent", username=None)
    # Pictures of noise do not compress: each concern is sealed at several MB.
    noise = BytesIO()
    pixels = random.Random(7).randbytes(2400 * 2400)  # noqa: S311 (noise, not a secret)
    Image.frombytes("L", (2400, 2400), pixels).save(noise, "PNG")
    files = [choose(noise.getvalue(), "scan.png")]
    refs = [seal_concern(store, _concern(), who, attachments=files) for _ in range(4)]
    sizes = [len(item.sealed) for item in store.inbox.pending()]
    assert min(sizes) > 4_000_000
    first = store.inbox.pending(limit=200, max_bytes=sizes[0] + sizes[1])
    assert len(first) == 2
    assert len(store.inbox.pending(limit=200, max_bytes=1)) == 1  # always at least one
    session = _take_in(store_dir)
    try:
        assert {c.ref for c in casework.list_concerns(session)} == set(refs)
    finally:
        session.lock()


def test_record_attach_from_the_command_line(store_dir: StoreFixture, tmp_path: Path) -> None:
    (tmp_path / "notes.jpg").write_bytes(photo())
    (tmp_path / "odd.pdf").write_bytes(b"MZ not a pdf")
    json_file = concern_file(tmp_path, concern_data())
    done = run(
        tmp_path, store_dir.data_dir, "record", "--as", "rita", "--json", str(json_file),
        "--attach", str(tmp_path / "notes.jpg"), stdin="recorder-pw-1\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    ref = done.stdout.strip()
    refused = run(
        tmp_path, store_dir.data_dir, "record", "--guest", "Pat", "--guest-role", "Parent",
        "--json", str(json_file), "--attach", str(tmp_path / "odd.pdf"),
    )  # fmt: skip
    line = assert_error(refused, 2)
    assert "not a PDF, a PNG picture or a JPEG photo" in line and "odd.pdf" in line
    session = _take_in(store_dir)
    try:
        (kept,) = attachments.for_concern(session, ref)
        assert kept.file_name == "notes.jpg" and kept.from_recorder
        assert len(casework.list_concerns(session)) == 1  # the refused one sealed nothing
    finally:
        session.lock()
    shown = run(tmp_path, store_dir.data_dir, "show", ref, "--as", "dana", stdin="dsl-password-1\n")
    assert json.loads(shown.stdout)["attachments"][0]["from_recorder"] is True


def test_the_recorders_pc_takes_the_position_out_before_sealing() -> None:
    """What is sealed (and so what waits in inbox.db or a drop folder) is already clean:
    read from the payload itself, before the lead's PC takes it in again."""
    import base64
    from datetime import UTC, datetime

    from safeguard_desktop.services.recording import concern_payload

    original = photo()
    with Image.open(BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)
    payload = concern_payload(
        _concern(),
        Submitter(name="Pat Parent", role="Parent", username=None),
        datetime.now(UTC).isoformat(),
        [choose(original, "IMG_0042.jpg")],
    )
    (sealed,) = payload["attachments"]  # type: ignore[misc]
    assert payload["version"] == 2
    data = base64.b64decode(sealed["data"])
    assert b"PhoneMaker" not in data and sealed["removed"] == [
        "location (GPS)",
        "camera details (EXIF)",
        "a comment",
    ]
    with Image.open(BytesIO(data)) as after:
        assert not after.getexif()
