"""Transferring a child's file to a new school or club, as two DSLs do it: the club makes
the signed PDF and the package, the school (a second data folder on this machine) opens
it with the phoned password, merges it and makes a receipt, and the club takes the
receipt in so its Home item closes. Every bad file is refused in one sentence with
nothing merged. Real SQLCipher stores, real pyHanko output checked by poppler."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from test_attachments import letter, photo

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.errors import BadInput, StoreDamaged, StoreTooNew, WrongCredentials
from safeguard_desktop.domain.transfer import parse_manifest, suggested_password
from safeguard_desktop.pdf.signing_identity import generate_signing_identity
from safeguard_desktop.security import certificate_signing
from safeguard_desktop.services import (
    attachments,
    audit_trail,
    casework,
    child_records,
    children,
    transfer,
    transfer_receive,
)
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import transfer_file, transfer_records
from transfer_setup import (
    SCHOOL_NAME,
    TRANSFER_PASSWORD,
    school_session,
)

CHILD = "Amelia Kowalska"
OBSERVED = "At 15:30 I saw a bruise about 3 cm across on Amelia's left forearm near the wrist."


@dataclass
class Club:
    session: CaseSession
    ref: str
    child_id: int
    data_dir: Path


@pytest.fixture
def club(store_dir: StoreFixture) -> Iterator[Club]:
    """The club's DSL with a concern about the child, a photo of notes and a letter."""
    ref = submit(Store.open(store_dir.data_dir), concern_data(observed=OBSERVED))
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    child_id = casework.create_child_for(session, ref, 0).id
    attachments.attach_to_concern(session, ref, photo(), "notes.jpg", "Coach's notes")
    attachments.attach_to_child(session, child_id, letter("GP letter text"), "gp.pdf", "GP letter")
    try:
        yield Club(session, ref, child_id, store_dir.data_dir)
    finally:
        session.lock()


def _send(club: Club, folder: Path) -> tuple[transfer.MadeTransfer, transfer.SentRecord]:
    folder.mkdir(exist_ok=True)
    return transfer.transfer_to_folder(
        club.session, club.child_id, SCHOOL_NAME, "secure_email", TRANSFER_PASSWORD, folder
    )


def _club_fp(club: Club) -> str:
    return transfer.signing_identity(club.session).fingerprint_sha256


def _audit(session: CaseSession, action: str) -> list[dict[str, object]]:
    return [e.detail for e in audit_trail.entries(session, 10_000) if e.action == action]


def _received_rows(session: CaseSession) -> int:
    return len(transfer_records.all_received(session.conn))


# The whole journey ----------------------------------------------------------------------


def test_a_pupil_moves_school_and_the_file_goes_with_them_and_receipt_closes_the_item(
    club: Club, school_dir: Path, tmp_path: Path
) -> None:
    made, sent = _send(club, tmp_path / "usb")
    pdf_path = tmp_path / "usb" / made.suggested_names[0]
    package_path = tmp_path / "usb" / made.suggested_names[1]
    # Named after the transfer, never the child.
    assert sorted(p.name for p in (tmp_path / "usb").iterdir()) == sorted(made.suggested_names)
    assert "amelia" not in (pdf_path.name + package_path.name).lower()
    assert sent.receipt_due_on > date.today() and not sent.receipt_confirmed
    assert [s.sent_id for s in transfer.awaiting_receipt(club.session)] == [sent.sent_id]
    assert club.child_id in transfer.transferred_children(club.session)
    # The sender keeps the file: nothing was deleted.
    assert children.child_record(club.session, club.child_id).name == CHILD

    # The PDF: password protected, signed, and it holds the whole file.
    raw = pdf_path.read_bytes()
    assert CHILD.encode() not in raw and b"bruise" not in raw
    report = subprocess.run(
        ["pdfsig", "-upw", TRANSFER_PASSWORD, str(pdf_path)], capture_output=True, text=True
    ).stdout
    assert "Signature is Valid" in report and "Total document signed" in report
    text = subprocess.run(
        ["pdftotext", "-upw", TRANSFER_PASSWORD, "-layout", str(pdf_path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    flat = " ".join(text.split())
    for words in (CHILD, "bruise about 3 cm", club.ref, "Coach's notes", "GP letter",
                  made.fingerprint, "transferred to a new school", "Chronology",
                  "Concern: Physical abuse", "File attached: JPEG photo or scan"):  # fmt: skip
        assert words.replace(" ", "") in flat.replace(" ", ""), words
    for record in attachments.for_child(club.session, club.child_id):
        assert record.sha256 in flat.replace(" ", "")
    wrong = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True)
    assert wrong.returncode != 0  # no password, no text

    # The package holds nothing readable.
    package = package_path.read_bytes()
    for secret in (CHILD.encode(), b"bruise", club.ref.encode(), b"Riverside"):
        assert secret not in package

    # The school opens it with the phoned password and sees who signed it.
    school = school_session(school_dir)
    try:
        opened = transfer_receive.open_package(school, package_path, TRANSFER_PASSWORD)
        assert opened.fingerprint == made.fingerprint
        assert opened.manifest.from_organisation == "Riverside Juniors FC"
        assert opened.manifest.child.name == CHILD and opened.possible == ()
        with pytest.raises(BadInput, match="Compare the certificate"):
            transfer_receive.receive(school, opened, "00:11")  # not compared: nothing in
        assert _received_rows(school) == 0
        child_id = transfer_receive.receive(school, opened, made.fingerprint).id
        assert children.child_record(school, child_id).details.date_of_birth == date(2015, 3, 2)
        items = child_records.child_items(school, child_id)
        moved = [i for i in items if i.key.startswith("transferred:")]
        mark = "transferred from Riverside Juniors FC on"
        assert moved and all(mark in i.heading for i in moved)
        assert any(OBSERVED in line for i in moved for line in i.lines)
        kept = attachments.for_child(school, child_id)
        assert sorted(a.file_name for a in kept) == ["gp.pdf", "notes.jpg"]
        # As the club kept them: their words, when, and who added them there.
        assert sorted(a.description for a in kept) == ["Coach's notes", "GP letter"]
        assert all(a.added_by == "Dana Lead, Riverside Juniors FC" for a in kept)
        sent_files = {a.sha256: a for a in attachments.for_child(club.session, club.child_id)}
        assert {a.added_at for a in kept} == {a.added_at for a in sent_files.values()}
        chronology = children.chronology(school, child_id)
        assert any(e.kind == "transferred" and "bruise" in e.summary for e in chronology)
        (audited,) = _audit(school, "transfer_received")
        assert audited["new_child"] is True and audited["fingerprint"] == made.fingerprint
        assert CHILD not in json.dumps(audited)
        (received,) = transfer_receive.received_for_child(school, child_id)
        receipt_path = tmp_path / transfer_receive.receipt_name(received)
        transfer_receive.save_receipt(school, received.received_id, receipt_path)
        school_fingerprint = transfer.signing_identity(school).fingerprint_sha256
        assert audit_trail.verify(school).ok
    finally:
        school.lock()

    # The club takes the receipt in: the Home item closes.
    closed = transfer.import_receipt(club.session, receipt_path)
    assert closed.receipt_confirmed and closed.receipt_fingerprint == school_fingerprint
    assert SCHOOL_NAME in (closed.receipt_note or "")
    assert transfer.awaiting_receipt(club.session) == []
    with pytest.raises(BadInput, match="already recorded"):
        transfer.import_receipt(club.session, receipt_path)
    made_audit = _audit(club.session, "transfer_made")[0]
    assert made_audit["package_sha256"] == hashlib.sha256(package).hexdigest()
    assert CHILD not in json.dumps(made_audit) and SCHOOL_NAME not in json.dumps(made_audit)
    assert audit_trail.verify(club.session).ok


def test_a_child_already_known_is_suggested_and_the_file_merges_into_them(
    club: Club, school_dir: Path, tmp_path: Path
) -> None:
    made, _ = _send(club, tmp_path / "out")
    known = submit(Store.open(school_dir), concern_data(name=CHILD))
    school = school_session(school_dir)  # takes the concern in
    try:
        known_id = casework.create_child_for(school, known, 0).id
        before = len(children.list_children(school))
        opened = transfer_receive.open_package(
            school, tmp_path / "out" / made.suggested_names[1], TRANSFER_PASSWORD
        )
        (possible,) = opened.possible
        assert possible.child_id == known_id and possible.strong
        assert transfer_receive.receive(school, opened, made.fingerprint, known_id).id == known_id
        assert len(children.list_children(school)) == before
        merged = child_records.child_items(school, known_id)
        assert any(i.key.startswith("transferred:") for i in merged)
        # The same file again is refused: it is already in that child's file.
        with pytest.raises(BadInput, match="already received"):
            transfer_receive.open_package(
                school, tmp_path / "out" / made.suggested_names[1], TRANSFER_PASSWORD
            )
    finally:
        school.lock()


def test_receipt_confirmed_by_phone_closes_the_item_with_the_lead_s_words(
    club: Club, tmp_path: Path
) -> None:
    _, sent = _send(club, tmp_path / "out")
    with pytest.raises(BadInput, match="How it was confirmed"):
        transfer.record_receipt(club.session, sent.sent_id, "  ")
    transfer.record_receipt(club.session, sent.sent_id, "Phoned Mrs Patel, DSL, on 9 December.")
    (stored,) = transfer.sent_for_child(club.session, club.child_id)
    assert stored.receipt_confirmed and stored.receipt_note.startswith("Phoned")  # type: ignore[union-attr]
    assert transfer.awaiting_receipt(club.session) == []


def test_the_suggested_password_reads_well_on_the_phone_and_short_ones_are_refused(
    club: Club, tmp_path: Path
) -> None:
    password = suggested_password()
    assert len(password) == 24 and password.count("-") == 4
    assert not set(password) & set("015OILSZ2")
    with pytest.raises(BadInput, match="at least 12"):
        transfer.make_transfer(club.session, club.child_id, SCHOOL_NAME, "post", "short-pw")
    with pytest.raises(BadInput, match="how the file is sent"):
        transfer.make_transfer(club.session, club.child_id, SCHOOL_NAME, "pigeon", password)
    assert transfer.sent_for_child(club.session, club.child_id) == []


# Bad packages: one sentence, nothing merged ---------------------------------------------


@pytest.fixture
def package(club: Club, tmp_path: Path) -> Path:
    made, _ = _send(club, tmp_path / "out")
    return tmp_path / "out" / made.suggested_names[1]


def _refused(school: CaseSession, path: Path, error: type[Exception], match: str) -> str:
    before = (_received_rows(school), len(children.list_children(school)))
    with pytest.raises(error, match=match) as caught:
        transfer_receive.open_package(school, path, TRANSFER_PASSWORD)
    message = str(caught.value)
    assert "\n" not in message and CHILD not in message
    assert (_received_rows(school), len(children.list_children(school))) == before
    return message


def test_a_damaged_package_is_refused_in_one_sentence_and_nothing_is_merged(
    package: Path, school_dir: Path, tmp_path: Path
) -> None:
    data = package.read_bytes()
    header_end = 12 + int.from_bytes(data[8:12], "big")
    school = school_session(school_dir)
    try:
        bad = tmp_path / "bad.sgtransfer"
        for cut in (0, 5, header_end - 3, header_end + 2, len(data) // 2, len(data) - 1):
            bad.write_bytes(data[:cut])
            _refused(school, bad, StoreDamaged, "not a whole transfer package")
        # In the header (its salt and password check too), the sections, the last chunk.
        for spot in (20, header_end - 30, header_end - 60, header_end + 40, len(data) // 2,
                     len(data) - 5):  # fmt: skip
            flipped = bytearray(data)
            flipped[spot] ^= 0x01
            bad.write_bytes(bytes(flipped))
            _refused(school, bad, StoreDamaged, "not a whole transfer package")
        bad.write_bytes(data + b"x")
        _refused(school, bad, StoreDamaged, "not a whole transfer package")
        bad.write_bytes(b"")
        _refused(school, bad, StoreDamaged, "does not start like one")
        with pytest.raises(WrongCredentials, match="does not open this transfer file"):
            transfer_receive.open_package(school, package, "not-the-password-at-all")
        assert _received_rows(school) == 0
    finally:
        school.lock()


def _repack(
    club: Club,
    source: Path,
    target: Path,
    *,
    manifest: dict[str, object] | None = None,
    extra: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    signer_key: bytes | None = None,
    header_version: int | None = None,
) -> Path:
    """``source`` opened and sealed again as a sender could: its manifest changed, files
    added, or signed by another key; signed with the club's key unless told otherwise."""
    handle = io.BytesIO(source.read_bytes())
    header = transfer_file.read_header(handle, source)
    keys = transfer_file.open_keys(header, TRANSFER_PASSWORD)
    sections, _ = transfer_file.read_package(handle, source, header, keys)
    body = dict(sections[:-1])
    if manifest is not None:
        body[transfer_file.MANIFEST] = json.dumps(manifest).encode()
    body.update(dict(extra))
    new_header, new_keys = transfer_file.new_header("9.9", header.created_at, TRANSFER_PASSWORD)
    if header_version is not None:
        raw = json.loads(new_header.raw)
        raw["version"] = header_version
        new_header = replace(new_header, raw=json.dumps(raw).encode())  # digest follows
    identity = transfer.signing_identity(club.session)
    ordered = list(body.items())
    digests = [(n, hashlib.sha256(b).hexdigest()) for n, b in ordered]
    signature = certificate_signing.sign(
        signer_key or identity.key_pem,
        transfer.PACKAGE_PURPOSE,
        transfer_file.signed_message(new_header, digests),
    )
    ordered.append(
        (transfer_file.SIGNATURE, transfer_file.signature_section(identity.cert_pem, signature))
    )
    out = io.BytesIO()
    transfer_file.write_package(out, new_header, new_keys, ordered)  # type: ignore[arg-type]
    target.write_bytes(out.getvalue())
    return target


def test_a_package_signed_by_another_certificate_is_refused(
    club: Club, package: Path, school_dir: Path, tmp_path: Path
) -> None:
    stranger = generate_signing_identity("Someone Else Ltd")
    forged = _repack(club, package, tmp_path / "forged.sgtransfer", signer_key=stranger.key_pem)
    school = school_session(school_dir)
    try:
        _refused(school, forged, StoreDamaged, "signature is not the certificate's")
        # Signed as it should be, but not by the certificate the sender read out.
        with pytest.raises(BadInput, match="another fingerprint"):
            transfer_receive.open_package(
                school, package, TRANSFER_PASSWORD, expected_fingerprint=stranger.fingerprint_sha256
            )
        assert _received_rows(school) == 0
    finally:
        school.lock()


def test_a_package_from_a_newer_program_is_refused(
    club: Club, package: Path, school_dir: Path, tmp_path: Path
) -> None:
    newer_header = _repack(club, package, tmp_path / "h.sgtransfer", header_version=2)
    handle = io.BytesIO(package.read_bytes())
    header = transfer_file.read_header(handle, package)
    sections, _ = transfer_file.read_package(
        handle, package, header, transfer_file.open_keys(header, TRANSFER_PASSWORD)
    )
    manifest = json.loads(dict(sections)[transfer_file.MANIFEST])
    newer_manifest = _repack(
        club, package, tmp_path / "m.sgtransfer", manifest={**manifest, "version": 2}
    )
    school = school_session(school_dir)
    try:
        _refused(school, newer_header, StoreTooNew, "newer version")
        _refused(school, newer_manifest, BadInput, "newer version")
    finally:
        school.lock()


def test_an_attached_file_that_cannot_be_kept_is_told_and_the_rest_arrives(
    club: Club, package: Path, school_dir: Path, tmp_path: Path
) -> None:
    handle = io.BytesIO(package.read_bytes())
    header = transfer_file.read_header(handle, package)
    sections, _ = transfer_file.read_package(
        handle, package, header, transfer_file.open_keys(header, TRANSFER_PASSWORD)
    )
    manifest = json.loads(dict(sections)[transfer_file.MANIFEST])
    script = b"%PDF-1.4 not really a pdf"
    manifest["files"].append(
        {"section": "file-9", "kind": "pdf", "file_name": "odd.pdf", "description": "",
         "sha256": hashlib.sha256(script).hexdigest(), "added_at": "2026-01-01T10:00:00+00:00"}
    )  # fmt: skip
    odd = _repack(club, package, tmp_path / "odd.sgtransfer", manifest=manifest,
                  extra=[("file-9", script)])  # fmt: skip
    school = school_session(school_dir)
    try:
        child_id = transfer_receive.receive_file(school, odd, TRANSFER_PASSWORD, _club_fp(club))[1]
        assert len(attachments.for_child(school, child_id)) == 2
        told = [i for i in child_records.child_items(school, child_id) if "odd.pdf" in i.heading]
        assert told and told[0].heading.startswith("File not taken in")
        assert _audit(school, "transfer_received")[0]["files_not_taken_in"] == 1
    finally:
        school.lock()


def test_a_manifest_that_is_not_one_is_refused_whole(club: Club, package: Path) -> None:
    for bad in (b"[]", b'{"format": "x"}', b'{"a": 1, "a": 2}', b"\xff"):
        with pytest.raises(ValueError):
            parse_manifest(bad)


# Bad receipts: one sentence, nothing recorded --------------------------------------------


def _receipt(club: Club, school_dir: Path, tmp_path: Path) -> tuple[Path, transfer.SentRecord]:
    made, sent = _send(club, tmp_path / "out")
    school = school_session(school_dir)
    try:
        child_id = transfer_receive.receive_file(
            school, tmp_path / "out" / made.suggested_names[1], TRANSFER_PASSWORD, made.fingerprint
        )[1]
        (received,) = transfer_receive.received_for_child(school, child_id)
        path = tmp_path / "receipt.sgreceipt"
        transfer_receive.save_receipt(school, received.received_id, path)
    finally:
        school.lock()
    return path, sent


def _not_recorded(club: Club, sent: transfer.SentRecord) -> None:
    (stored,) = transfer.sent_for_child(club.session, club.child_id)
    assert stored.sent_id == sent.sent_id and not stored.receipt_confirmed


def test_a_damaged_or_forged_receipt_is_refused_and_nothing_is_recorded(
    club: Club, school_dir: Path, tmp_path: Path
) -> None:
    path, sent = _receipt(club, school_dir, tmp_path)
    data = path.read_bytes()
    bad = tmp_path / "bad.sgreceipt"
    for cut in (0, 10, len(data) // 2, len(data) - 2):
        bad.write_bytes(data[:cut])
        with pytest.raises(StoreDamaged, match="not a whole transfer receipt"):
            transfer.import_receipt(club.session, bad)
    outer = json.loads(data)
    for spot in (30, len(outer["body"]) // 2):
        flipped = dict(outer, body=outer["body"][:spot] + "#" + outer["body"][spot + 1 :])
        bad.write_text(json.dumps(flipped))
        with pytest.raises(StoreDamaged, match="not a whole transfer receipt"):
            transfer.import_receipt(club.session, bad)
    # Signed again by another key over the same words: not the certificate's it carries.
    stranger = generate_signing_identity("Someone Else Ltd")
    forged_signature = certificate_signing.sign(
        stranger.key_pem, transfer.RECEIPT_PURPOSE,
        outer["body"].encode() + bytes.fromhex(outer["mac"]),
    )  # fmt: skip
    bad.write_text(json.dumps(dict(outer, signature=forged_signature.hex())))
    with pytest.raises(StoreDamaged, match="not a whole transfer receipt"):
        transfer.import_receipt(club.session, bad)
    # A receipt its maker signed but made without opening the package (no MAC key).
    body = json.loads(outer["body"])
    fake = transfer_file.Receipt(
        transfer_id=body["transfer_id"], package_sha256=body["package_sha256"],
        received_at=body["received_at"], received_by="Mallory",
        receiving_organisation="Someone Else Ltd", certificate_pem=stranger.cert_pem,
        mac=b"\x00" * 32,
    )  # fmt: skip
    signed = certificate_signing.sign(
        stranger.key_pem, transfer.RECEIPT_PURPOSE, fake.body + fake.mac
    )
    bad.write_bytes(replace(fake, signature=signed).file_bytes())
    with pytest.raises(StoreDamaged, match="not a whole transfer receipt"):
        transfer.import_receipt(club.session, bad)
    bad.write_text(json.dumps(dict(outer, version=2)))
    with pytest.raises(StoreTooNew, match="newer version"):
        transfer.import_receipt(club.session, bad)
    _not_recorded(club, sent)
    transfer.import_receipt(club.session, path)  # the real one still works


def test_a_receipt_for_a_transfer_these_records_never_sent_is_refused(
    club: Club, school_dir: Path, tmp_path: Path, store_dir: StoreFixture
) -> None:
    path, sent = _receipt(club, school_dir, tmp_path)
    club.session.conn.execute(
        "UPDATE transfers_sent SET transfer_id = 'elsewhere' WHERE id = ?", (sent.sent_id,)
    )
    with pytest.raises(BadInput, match="did not send"):
        transfer.import_receipt(club.session, path)


def test_a_serious_matter_the_sender_decided_keeps_the_file_until_25_at_a_club(
    club: Club, package: Path, tmp_path: Path
) -> None:
    """A club keeps a file 6 years after its last entry unless a referral or report was
    decided; one an earlier school decided counts, though its records arrive as text."""
    from safeguard_desktop.services import retention

    handle = io.BytesIO(package.read_bytes())
    header = transfer_file.read_header(handle, package)
    sections, _ = transfer_file.read_package(
        handle, package, header, transfer_file.open_keys(header, TRANSFER_PASSWORD)
    )
    manifest = json.loads(dict(sections)[transfer_file.MANIFEST])
    assert manifest["serious"] is False  # nothing was decided about her here
    plain = transfer_receive.receive_file(club.session, package, TRANSFER_PASSWORD, _club_fp(club))[
        1
    ]
    changed = {**manifest, "serious": True, "transfer_id": "0123456789abcdef"}
    serious = _repack(club, package, tmp_path / "s.sgtransfer", manifest=changed)
    fingerprint = _club_fp(club)
    kept = transfer_receive.receive_file(club.session, serious, TRANSFER_PASSWORD, fingerprint)[1]
    assert not retention.retention_of(club.session, plain).facts.serious
    held = retention.retention_of(club.session, kept)
    assert held.facts.serious and held.review_on == date(2040, 3, 2)  # her 25th birthday


# What a review of this feature tried (each was once a crash, a loss or a way round) -----


def _sections(package: Path) -> tuple[dict[str, object], list[tuple[str, bytes]]]:
    handle = io.BytesIO(package.read_bytes())
    header = transfer_file.read_header(handle, package)
    sections, _ = transfer_file.read_package(
        handle, package, header, transfer_file.open_keys(header, TRANSFER_PASSWORD)
    )
    return json.loads(dict(sections)[transfer_file.MANIFEST]), sections


def _header_file(path: Path, header: bytes) -> Path:
    digest = hashlib.sha256(header).digest()
    path.write_bytes(transfer_file.MAGIC + len(header).to_bytes(4, "big") + header + digest)
    return path


def test_a_header_anyone_can_write_is_refused_before_any_cost(
    package: Path, school_dir: Path, tmp_path: Path
) -> None:
    """No password is needed to write a header: nesting, or a key derivation asking for a
    gigabyte, is refused in one sentence before a key is derived."""
    import time

    real = json.loads(package.read_bytes()[12 : 12 + int.from_bytes(package.read_bytes()[8:12])])
    school = school_session(school_dir)
    try:
        nested = _header_file(tmp_path / "nested.sgtransfer", b"[" * 16_000)
        _refused(school, nested, StoreDamaged, "header is damaged")
        greedy = dict(real, kdf={**real["kdf"], "memory_kib": 1024 * 1024, "iterations": 16})
        costly = _header_file(tmp_path / "kdf.sgtransfer", json.dumps(greedy).encode())
        began = time.perf_counter()
        _refused(school, costly, StoreDamaged, "header is damaged")
        assert time.perf_counter() - began < 1
        named = dict(real, version=2, program="9.9\u202e<b>evil</b>")
        newer = _refused(
            school, _header_file(tmp_path / "n.sgtransfer", json.dumps(named).encode()),
            StoreTooNew, "newer version",
        )  # fmt: skip
        assert "(9.9bevilb)" in newer  # only letters, digits and dots from the file
    finally:
        school.lock()


def test_dates_ids_and_parts_a_sender_could_get_wrong_are_refused_whole(
    club: Club, package: Path, school_dir: Path, tmp_path: Path
) -> None:
    manifest, _ = _sections(package)
    item = manifest["items"][1]
    bad = {
        "a record's date": {**manifest, "items": [{**item, "at": "yesterday"}]},
        "the day it was sent": {**manifest, "sent_at": "2026-12-01T25:00:00"},
        "an id that names a path": {**manifest, "transfer_id": "../../../../tmp/owned"},
        "a control character": {**manifest, "items": [{**item, "heading": "a\x07b"}]},
        "a file's long description": {
            **manifest,
            "files": [{**manifest["files"][0], "description": "x" * 900}],
        },
    }
    school = school_session(school_dir)
    try:
        for name, changed in bad.items():
            made = _repack(club, package, tmp_path / "bad.sgtransfer", manifest=changed)
            said = _refused(school, made, StoreDamaged, "list of contents is damaged")
            assert "whole transfer package" in said, name
        # A part the list of contents does not name, however it was signed.
        extra = _repack(club, package, tmp_path / "x.sgtransfer", extra=[("file-77", b"x")])
        _refused(school, extra, StoreDamaged, "does not name")
        # A part bigger than any attached file can be, refused from its size alone.
        big = _repack(club, package, tmp_path / "b.sgtransfer",
                      extra=[("file-78", bytes(26 * 1024 * 1024))])  # fmt: skip
        _refused(school, big, StoreDamaged, "more than a child's file")
    finally:
        school.lock()


def test_a_certificate_that_cannot_be_read_is_a_refusal_not_a_crash() -> None:
    for certificate in (b"", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"):
        with pytest.raises(certificate_signing.BadSignature):
            certificate_signing.verify(certificate, b"purpose", b"message", b"signature")


def test_spaces_around_a_password_never_stop_the_file_opening(
    club: Club, school_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "spaces"
    folder.mkdir()
    made = transfer.transfer_to_folder(
        club.session, club.child_id, SCHOOL_NAME, "post", f"  {TRANSFER_PASSWORD} ", folder
    )[0]
    school = school_session(school_dir)
    try:
        transfer_receive.open_package(school, folder / made.suggested_names[1], TRANSFER_PASSWORD)
    finally:
        school.lock()
    text = subprocess.run(
        ["pdftotext", "-upw", TRANSFER_PASSWORD, str(folder / made.suggested_names[0]), "-"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert text.returncode == 0 and CHILD in text.stdout


def test_a_file_deleted_at_its_review_never_comes_back_with_the_same_package(
    club: Club, package: Path, tmp_path: Path
) -> None:
    from safeguard_desktop.services import retention

    far = date(2200, 1, 1)
    fingerprint = _club_fp(club)
    child = transfer_receive.receive_file(club.session, package, TRANSFER_PASSWORD, fingerprint)[1]
    shown = retention.deletion_plan(club.session, child, today=far)
    # Another school's file arrives for her while the lead reads what will go: the
    # concerns are the same (none), the plan is not, and nothing is deleted.
    manifest, _ = _sections(package)
    later = _repack(club, package, tmp_path / "later.sgtransfer",
                    manifest={**manifest, "transfer_id": "0123456789abcdef"})  # fmt: skip
    opened = transfer_receive.open_package(club.session, later, TRANSFER_PASSWORD)
    transfer_receive.receive(club.session, opened, fingerprint, child)
    with pytest.raises(BadInput, match="has changed since"):
        retention.delete_child_file(club.session, child, concerns=0, today=far, shown=shown)
    plan = retention.deletion_plan(club.session, child, today=far)
    counts = plan.counts()
    assert counts["transfers_received"] == 2 and counts["transferred_records"] > 6
    retention.delete_child_file(club.session, child, concerns=0, today=far, shown=plan)
    assert transfer_records.received_for_child(club.session.conn, child) == []
    with pytest.raises(BadInput, match="deleted at its retention review"):
        transfer_receive.open_package(club.session, package, TRANSFER_PASSWORD)
    (tombstone,) = _audit(club.session, "child_file_deleted")
    assert tombstone["counts"]["transferred_records"] == counts["transferred_records"]
