"""Attachments on a real store: what is taken in, what is refused, what is kept and shown.

Files are made by the libraries a user's own tools use (Pillow writes the photo with its
GPS and camera details, reportlab the letter, pyHanko the script someone hid in a PDF),
and what the app kept is read back by Pillow and poppler (pdftotext), not by our code.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.pdfgen.canvas import Canvas

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.attachments import MAX_BYTES, AttachmentKind
from safeguard_desktop.domain.errors import BadInput, CheckFailed, NotPermitted
from safeguard_desktop.services import attachments, audit_trail, casework, children
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

LETTER_TEXT = "Letter from the school nurse about Amelia"
GPS_IFD = 0x8825


def photo(*, size: tuple[int, int] = (640, 480), orientation: int = 1, gps: bool = True) -> bytes:
    """A JPEG as a phone writes it: camera make and model, GPS position, a comment."""
    picture = Image.new("RGB", size, (200, 180, 150))
    for x in range(0, size[0], 40):  # something to see, so turning it shows
        for y in range(size[1] // 2):
            picture.putpixel((x, y), (20, 20, 20))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0112] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    out = BytesIO()
    picture.save(out, "JPEG", exif=exif, comment=b"taken at 14 Elm Road", quality=90)
    return out.getvalue()


def letter(text: str = LETTER_TEXT) -> bytes:
    out = BytesIO()
    canvas = Canvas(out, pageCompression=0)  # its words readable in its bytes
    canvas.drawString(72, 720, text)
    canvas.save()
    return out.getvalue()


def with_catalog_entry(pdf: bytes, key: str, value: generic.PdfObject) -> bytes:
    """``pdf`` with one entry added to its catalogue in an incremental update."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    writer.root[generic.NameObject(key)] = value
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def script_pdf() -> bytes:
    action = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/JavaScript"),
            generic.NameObject("/JS"): generic.TextStringObject("app.alert('hello');"),
        }
    )
    return with_catalog_entry(letter(), "/OpenAction", action)


def launch_pdf() -> bytes:
    action = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/Launch"),
            generic.NameObject("/F"): generic.TextStringObject("calc.exe"),
        }
    )
    return with_catalog_entry(letter(), "/OpenAction", action)


@pytest.fixture
def lead(store_dir: StoreFixture) -> Iterator[tuple[CaseSession, str, int]]:
    """A DSL's session, a concern naming one child, and that child's record id."""
    ref = submit(Store.open(store_dir.data_dir), concern_data())
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        child_id = casework.create_child_for(session, ref, 0).id
        yield session, ref, child_id
    finally:
        session.lock()


def _audit(session: CaseSession, action: str) -> list[dict[str, object]]:
    return [e.detail for e in audit_trail.entries(session, 10_000) if e.action == action]


# Taking a file in ----------------------------------------------------------------------


def test_a_phone_photo_loses_its_location_and_camera_details(
    lead: tuple[CaseSession, str, int],
) -> None:
    session, ref, _ = lead
    original = photo()
    with Image.open(BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the test's photo really has them

    added = attachments.attach_to_concern(session, ref, original, "IMG_0042.jpg", "Notes, p1")
    (record,) = attachments.for_concern(session, ref)
    assert record.attachment_id == added.id
    assert record.kind is AttachmentKind.JPEG
    assert record.file_name == "IMG_0042.jpg" and record.description == "Notes, p1"
    assert record.original_sha256 == hashlib.sha256(original).hexdigest()
    assert set(record.removed) == {"location (GPS)", "camera details (EXIF)", "a comment"}

    kept = attachments.open_attachment(session, added.id).data
    assert hashlib.sha256(kept).hexdigest() == record.sha256 != record.original_sha256
    with Image.open(BytesIO(kept)) as after:
        assert after.size == (640, 480)
        assert not after.getexif()
        assert "comment" not in after.info and "exif" not in after.info
    assert b"PhoneMaker" not in kept and b"Elm Road" not in kept
    assert added.changes.concerns == {ref}


def test_a_photo_taken_sideways_is_kept_the_right_way_up(
    lead: tuple[CaseSession, str, int],
) -> None:
    session, ref, _ = lead
    # Orientation 6: the camera was turned; a viewer turns it 90 degrees clockwise.
    added = attachments.attach_to_concern(session, ref, photo(orientation=6), "side.jpg")
    kept = attachments.open_attachment(session, added.id).data
    with Image.open(BytesIO(kept)) as after:
        assert after.size == (480, 640)
        assert not after.getexif()


def test_a_png_keeps_its_pixels_and_loses_its_text_notes(
    lead: tuple[CaseSession, str, int],
) -> None:
    from PIL.PngImagePlugin import PngInfo

    session, _, child_id = lead
    picture = Image.new("RGBA", (50, 40), (10, 120, 200, 128))
    notes = PngInfo()
    notes.add_text("Author", "Somebody at 14 Elm Road")
    out = BytesIO()
    picture.save(out, "PNG", pnginfo=notes)
    added = attachments.attach_to_child(session, child_id, out.getvalue(), "scan.png")
    kept = attachments.open_attachment(session, added.id).data
    with Image.open(BytesIO(kept)) as after:
        assert after.mode == "RGBA" and after.getpixel((3, 3)) == (10, 120, 200, 128)
        assert not getattr(after, "text", {})
    assert b"Elm Road" not in kept
    (record,) = attachments.for_child(session, child_id)
    assert record.child_id == child_id and record.concern_ref is None
    assert record.removed == ("text notes",)


def test_a_pdf_is_kept_byte_for_byte_and_reads_back(
    lead: tuple[CaseSession, str, int], tmp_path: Path
) -> None:
    session, ref, _ = lead
    pdf = letter()
    added = attachments.attach_to_concern(session, ref, pdf, "letter.PDF")
    assert attachments.open_attachment(session, added.id).data == pdf
    path = tmp_path / "copy.pdf"
    sha256 = attachments.save_copy(session, added.id, path)
    assert path.read_bytes() == pdf and sha256 == hashlib.sha256(pdf).hexdigest()
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert LETTER_TEXT in text
    (saved,) = _audit(session, "attachment_saved")
    assert saved == {"attachment": added.id, "ref": ref, "child_id": None, "sha256": sha256}


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "empty.pdf", "empty (0 bytes)"),
        (b"MZ\x90\x00" + bytes(500), "notes.pdf", "not a PDF, a PNG picture or a JPEG photo"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(100), "IMG_1.HEIC", "HEIC photo"),
        (photo(), "scan.png", "name says it is a PNG picture, but it is a JPEG"),
        (letter(), "letter.docx", "its name ends in “.docx”"),
        (letter()[:200], "cut.pdf", "PDF is damaged"),
        (photo()[:300], "cut.jpg", "picture is damaged"),
        (script_pdf(), "form.pdf", "a script (JavaScript)"),
        (launch_pdf(), "form.pdf", "an action that starts a program"),
    ],
    ids=["empty", "program", "heic", "wrong-extension", "odd-extension", "cut-pdf", "cut-jpeg",
         "javascript", "launch"],
)  # fmt: skip
def test_what_cannot_be_kept_is_refused_in_one_sentence_and_nothing_is_stored(
    lead: tuple[CaseSession, str, int], data: bytes, name: str, words: str
) -> None:
    session, ref, _ = lead
    with pytest.raises(BadInput, match=re.escape(words)) as refused:
        attachments.attach_to_concern(session, ref, data, name)
    message = str(refused.value)
    assert message.count(". ") <= 2 and "Amelia" not in message
    assert attachments.for_concern(session, ref) == []
    assert _audit(session, "attachment_added") == []


def test_a_file_over_25_mb_and_a_picture_bomb_are_refused(
    lead: tuple[CaseSession, str, int], tmp_path: Path
) -> None:
    session, ref, _ = lead
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + bytes(MAX_BYTES))
    with pytest.raises(BadInput, match="larger than 25 MB"):
        attachments.attach_path(session, big, concern_ref=ref)
    with pytest.raises(BadInput, match="25 MB"):
        attachments.attach_to_concern(session, ref, b"%PDF-1.4\n" + bytes(MAX_BYTES), "big.pdf")
    # 20,000 x 20,000 pixels of one colour: a PNG of a few hundred kB that would unpack
    # into 1.2 GB of pixels.
    bomb = BytesIO()
    Image.new("L", (20_000, 20_000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 1_000_000
    with pytest.raises(BadInput, match="more than 60 million pixels"):
        attachments.attach_to_concern(session, ref, bomb.getvalue(), "bomb.png")
    assert attachments.for_concern(session, ref) == []


def test_what_is_not_a_regular_file_is_refused_without_reading(
    lead: tuple[CaseSession, str, int], tmp_path: Path
) -> None:
    import os

    session, ref, _ = lead
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(BadInput, match="FIFO"):
        attachments.attach_path(session, fifo, concern_ref=ref)
    with pytest.raises(BadInput, match="folder"):
        attachments.attach_path(session, tmp_path, concern_ref=ref)
    with pytest.raises(BadInput, match="no longer there"):
        attachments.attach_path(session, tmp_path / "gone.pdf", concern_ref=ref)


# Where it shows, who may, and what the audit log keeps ---------------------------------


def test_a_concerns_attachment_is_in_every_named_childs_file_and_chronology(
    store_dir: StoreFixture,
) -> None:
    two = concern_data(extra_children=({"name": "Zofia Nowak", "date_of_birth": "2014-05-01"},))
    ref = submit(Store.open(store_dir.data_dir), two)
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        first = casework.create_child_for(session, ref, 0).id
        second = casework.create_child_for(session, ref, 1).id
        added = attachments.attach_to_concern(session, ref, letter(), "letter.pdf", "GP letter")
        own = attachments.attach_to_child(session, first, letter("Second"), "own.pdf")
        assert added.changes.children == {first, second}
        assert own.changes.children == {first} and not own.changes.concerns
        assert [a.attachment_id for a in attachments.for_child(session, first)] == [
            added.id,
            own.id,
        ]
        assert [a.attachment_id for a in attachments.for_child(session, second)] == [added.id]
        entries = [e for e in children.chronology(session, second) if e.kind == "attachment"]
        assert [(e.title, e.summary, e.ref) for e in entries] == [
            ("File attached: PDF document", "GP letter (letter.pdf)", ref)
        ]
        assert len([e for e in children.chronology(session, first) if e.kind == "attachment"]) == 2
    finally:
        session.lock()


def test_the_audit_log_keeps_hashes_never_the_files_name(
    lead: tuple[CaseSession, str, int],
) -> None:
    session, ref, _ = lead
    original = photo()
    added = attachments.attach_to_concern(session, ref, original, "Amelia arm notes.jpg")
    (entry,) = _audit(session, "attachment_added")
    record = attachments.for_concern(session, ref)[0]
    assert entry == {
        "attachment": added.id,
        "ref": ref,
        "child_id": None,
        "kind": "jpeg",
        "bytes": record.size,
        "sha256": record.sha256,
        "original_sha256": hashlib.sha256(original).hexdigest(),
        "removed": list(record.removed),
    }
    attachments.open_attachment(session, added.id)
    assert _audit(session, "attachment_opened") == [
        {"attachment": added.id, "ref": ref, "child_id": None}
    ]
    assert "Amelia" not in str(audit_trail.entries(session, 10_000))
    assert audit_trail.verify(session).ok


def test_a_recorder_cannot_attach_or_read(store_dir: StoreFixture) -> None:
    ref = submit(Store.open(store_dir.data_dir), concern_data())
    recorder = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    try:
        with pytest.raises(NotPermitted):
            attachments.attach_to_concern(recorder, ref, letter(), "letter.pdf")
        with pytest.raises(NotPermitted):
            attachments.open_attachment(recorder, 1)
    finally:
        recorder.lock()


def test_a_file_changed_inside_the_records_is_never_shown_as_the_one_attached(
    lead: tuple[CaseSession, str, int], tmp_path: Path
) -> None:
    session, ref, _ = lead
    added = attachments.attach_to_concern(session, ref, letter(), "letter.pdf")
    # Someone holding the database key swaps the bytes (the row's SHA-256 stays).
    session.conn.execute(
        "UPDATE attachment_data SET data = ? WHERE attachment_id = ?", (letter("Forged"), added.id)
    )
    with pytest.raises(CheckFailed, match="not the one that was attached"):
        attachments.open_attachment(session, added.id)
    with pytest.raises(CheckFailed):
        attachments.save_copy(session, added.id, tmp_path / "copy.pdf")
    assert not (tmp_path / "copy.pdf").exists()


def test_attachments_travel_in_a_backup_encrypted_and_come_back_whole(
    lead: tuple[CaseSession, str, int], store_dir: StoreFixture, tmp_path: Path
) -> None:
    from safeguard_desktop.services import backup

    session, ref, _ = lead
    marker = "CANARY-attachment-7c2e"
    assert marker.encode() in letter(marker)
    added = attachments.attach_to_concern(session, ref, letter(marker), "letter.pdf")
    stick = tmp_path / "usb"
    stick.mkdir()
    report = backup.make_backup(session, stick)
    raw = report.path.read_bytes()
    assert marker.encode() not in raw and b"letter.pdf" not in raw
    restored = tmp_path / "new-pc"
    backup.restore_backup(
        report.path, restored, store_dir.recovery_key, store_dir.admin[0], "new-admin-pass-1"
    )
    admin = Store.open(restored).login(store_dir.admin[0], "new-admin-pass-1")
    try:
        opened = attachments.open_attachment(admin, added.id)
        assert opened.data == attachments.open_attachment(session, added.id).data
        assert opened.record.file_name == "letter.pdf"
    finally:
        admin.lock()


def test_real_pdfs_are_kept_a_signed_one_and_a_printed_chronology(
    lead: tuple[CaseSession, str, int],
) -> None:
    """Strict reading refuses what two readers read differently, not everyday PDFs: one
    signed by pyHanko (a second revision on top of the first), the app's own chronology."""
    from datetime import datetime

    from safeguard_desktop.pdf.chronology_document import chronology_pdf_bytes
    from safeguard_desktop.pdf.signing import sign_pdf
    from safeguard_desktop.services import referral
    from safeguard_desktop.services.chronology_export import chronology_print

    session, ref, child_id = lead
    signed = sign_pdf(
        letter(), referral.signing_identity(session), signer_name="Dana Lead", reason="A test"
    )
    printed = chronology_pdf_bytes(chronology_print(session, child_id, printed_at=datetime.now()))
    for name, pdf in (("signed.pdf", signed), ("chronology.pdf", printed)):
        added = attachments.attach_to_concern(session, ref, pdf, name)
        assert attachments.open_attachment(session, added.id).data == pdf


def test_check_the_records_now_finds_a_file_changed_with_its_fingerprint_too(
    lead: tuple[CaseSession, str, int],
) -> None:
    """Someone holding the key swaps the bytes and the SHA-256 beside them: opening it no
    longer notices, but the audit chain still holds the fingerprint recorded when it was
    attached, and the full check compares every file with it."""
    from safeguard_desktop.services import records_check

    session, ref, _ = lead
    added = attachments.attach_to_concern(session, ref, letter(), "letter.pdf")
    assert records_check.check_records(session).ok
    forged = letter("Forged")
    with session.conn as conn:
        conn.execute(
            "UPDATE attachment_data SET data = ? WHERE attachment_id = ?", (forged, added.id)
        )
        conn.execute(
            "UPDATE attachments SET sha256 = ? WHERE id = ?",
            (hashlib.sha256(forged).hexdigest(), added.id),
        )
    report = records_check.check_records(session)
    assert not report.ok
    assert "1 attached file is not the one attached" in report.sentence()
