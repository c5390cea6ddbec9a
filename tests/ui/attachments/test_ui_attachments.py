"""Files attached, in the real window: attach, list, view, save a copy, and the refusals.

A concern arrives the real way (sealed, then ingested at sign-in) and the DSL links it to
a child's record; everything after that is done through the window's own widgets on a
real SQLCipher store. Only the file chooser's answer is given by the test (it is Qt's own
dialog, opened as the app opens it: the test picks the file in it and presses its
button). The files are made by the tools a user's would be: Pillow writes a phone photo
of handwritten notes with its GPS position and camera details, reportlab a letter. What
was stored, audited and saved is read back through the services, Pillow and hashlib.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.attachments import NO_INJURY_PHOTOS, AttachmentRecord
from safeguard_desktop.services import attachments, audit_trail, casework
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.attachments.attach_dialog import AttachDialog
from safeguard_desktop.ui.attachments.attachment_actions import AttachmentActions
from safeguard_desktop.ui.attachments.attachment_list import AttachmentList
from safeguard_desktop.ui.attachments.attachment_viewer import AttachmentViewer
from safeguard_desktop.ui.casework.concern_view import ConcernView
from safeguard_desktop.ui.children.child_page import ATTACHMENTS_TAB, CHRONOLOGY_TAB
from safeguard_desktop.ui.main_window import MainWindow
from screen_checks import alt_key_clashes, cut_off, tab_order_problems, unnamed_controls
from ui_store import idle, open_child, open_concern, signed_in_window

# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CHILD = "Amelia Kowalska"
GPS_IFD = 0x8825


def notes_photo() -> bytes:
    """A phone's photo of a page of handwritten notes: lines of "writing", its camera,
    where it was taken (GPS) and a comment, as the phone writes them."""
    page = Image.new("RGB", (900, 1200), (250, 250, 245))
    pen = ImageDraw.Draw(page)
    for line in range(12):
        y = 120 + line * 80
        pen.line((80, y, 820 - (line % 3) * 90, y), fill=(30, 30, 90), width=4)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    out = BytesIO()
    page.save(out, "JPEG", exif=exif, comment=b"taken at 14 Elm Road", quality=85)
    return out.getvalue()


def letter_pdf(pages: int) -> bytes:
    """A letter of ``pages`` pages, as reportlab writes one."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for number in range(1, pages + 1):
        canvas.drawString(72, 760, f"Letter from the school nurse, page {number}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture
def linked(store_dir: StoreFixture) -> tuple[StoreFixture, str, int]:
    """A concern about Amelia, linked by the DSL to her new child record."""
    ref = submit(Store.open(store_dir.data_dir), concern_data(name=CHILD))
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        child_id = casework.create_child_for(session, ref, 0).id
    finally:
        session.lock()
    return store_dir, ref, child_id


@pytest.fixture
def window(qtbot: QtBot, linked: tuple[StoreFixture, str, int]) -> Iterator[MainWindow]:
    win = signed_in_window(qtbot, linked[0].data_dir, linked[0].dsl)
    win.resize(1366, 720)
    yield win


def session_of(window: MainWindow) -> CaseSession:
    session = window.session
    assert isinstance(session, CaseSession)
    return session


def on_worker(window: MainWindow, fn: Any, *args: Any) -> Any:
    """A service call on the window's worker, after everything queued before it."""
    return window.worker.submit(fn, session_of(window), *args).result(timeout=20)


def audit(window: MainWindow, action: str) -> list[dict[str, object]]:
    entries = on_worker(window, audit_trail.entries, 1000)
    return [e.detail for e in entries if e.action == action]


def shown_list(view: ConcernView) -> AttachmentList:
    assert view.content is not None
    return view.content.attachments


def card_texts(shown: AttachmentList) -> list[str]:
    QApplication.processEvents()
    return [
        label.text()
        for label in shown.findChildren(QLabel)
        if label.isVisibleTo(shown) and label is not shown.empty
    ]


def choose_in(qtbot: QtBot, actions: AttachmentActions, path: Path) -> None:
    """Pick ``path`` in the file chooser the app opened, and press its Open button."""
    chooser = actions.file_dialog
    assert isinstance(chooser, QFileDialog) and chooser.isVisible()
    chooser.selectFile(str(path))
    chooser.accept()
    qtbot.waitUntil(lambda: actions.file_dialog is None, timeout=5000)


def attach_dialog(qtbot: QtBot, actions: AttachmentActions) -> AttachDialog:
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=5000)
    dialog = actions.dialog
    assert dialog is not None
    # Active, as it is in front of the person (the chooser closing hands it the keyboard).
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    return dialog


def add_on_worker(window: MainWindow, ref: str, data: bytes, name: str, about: str = "") -> int:
    added = on_worker(window, attachments.attach_to_concern, ref, data, name, about)
    return int(added.id)


# Attaching -----------------------------------------------------------------------------


def test_a_photo_attached_in_the_concern_shows_there_and_in_the_childs_file(
    qtbot: QtBot, window: MainWindow, linked: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    _, ref, child_id = linked
    photo = tmp_path / "IMG_2041 Amelia notes.jpg"
    photo.write_bytes(notes_photo())
    # Her file is open first: it must show the new file without being opened again.
    child = open_child(qtbot, window, child_id)
    assert child.attachment_list.records == ()
    assert child.tabs.tabText(ATTACHMENTS_TAB) == "Attachment&s (0)"
    view = open_concern(qtbot, window, ref)
    shown = shown_list(view)
    assert shown.empty.isVisible()
    assert shown.empty.text().startswith("No files attached.")

    qtbot.mouseClick(shown.attach_button, Qt.MouseButton.LeftButton)
    actions = view.attachment_actions
    chooser = actions.file_dialog
    assert isinstance(chooser, QFileDialog)
    assert chooser.fileMode() is QFileDialog.FileMode.ExistingFile
    assert chooser.nameFilters() == ["PDF, PNG or JPEG (*.pdf *.png *.jpg *.jpeg)", "All files (*)"]
    choose_in(qtbot, actions, photo)
    dialog = attach_dialog(qtbot, actions)
    # The reminder is there, in so many words, before anything is attached.
    assert NO_INJURY_PHOTOS in [label.text() for label in dialog.findChildren(QLabel)]
    assert dialog.file_name.text() == photo.name
    assert dialog.focusWidget() is dialog.description
    qtbot.keyClicks(dialog.description, "Coach's notes written at the ground, page 1")
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return)  # Enter attaches

    qtbot.waitUntil(lambda: actions.dialog is None, timeout=15_000)
    qtbot.waitUntil(lambda: view.file is not None and len(view.file.attachments) == 1)
    idle(qtbot, window)
    assert view.message.text() == "The file is attached."
    (record,) = view.file.attachments
    shown = shown_list(view)
    assert not shown.empty.isVisible()
    words = card_texts(shown)
    assert words[0] == photo.name
    assert words[1].startswith("JPEG photo or scan, ") and words[1].endswith("kB")
    assert "Coach's notes written at the ground, page 1" in words
    assert any(w.startswith("Added ") and w.endswith(" by Dana Lead") for w in words)
    assert (
        "Location (GPS), camera details (EXIF) and a comment were taken out when it was attached."
    ) in words
    assert f"Fingerprint (SHA-256) begins {record.sha256[:16]}" in words

    # Her file and chronology read themselves again from the change signal alone.
    qtbot.waitUntil(lambda: len(child.attachment_list.records) == 1, timeout=10_000)
    idle(qtbot, window)
    assert child.tabs.tabText(ATTACHMENTS_TAB) == "Attachment&s (1)"
    child_words = card_texts(child.attachment_list)
    assert child_words[0] == photo.name
    assert f"Attached to concern {ref}" in child_words
    titles = [e.title for e in child.chronology.model.entries()]
    assert "File attached: JPEG photo or scan" in titles

    # What was kept has no position and no camera; the audit log knows it by hash only.
    opened = on_worker(window, attachments.open_attachment, record.attachment_id)
    with Image.open(BytesIO(opened.data)) as kept:
        assert not kept.getexif().get_ifd(GPS_IFD)
        assert kept.size == (900, 1200)
    (added,) = audit(window, "attachment_added")
    assert added["ref"] == ref and added["sha256"] == record.sha256
    assert "Amelia" not in str(added) and "IMG_2041" not in str(added)


def test_a_refused_file_is_said_in_one_sentence_and_another_can_be_chosen(
    qtbot: QtBot, window: MainWindow, linked: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    _, ref, _ = linked
    fake = tmp_path / "minutes.pdf"
    fake.write_bytes(b"Minutes of the meeting, typed in a word processor.\n")
    good = tmp_path / "letter.pdf"
    good.write_bytes(letter_pdf(2))
    view = open_concern(qtbot, window, ref)
    actions = view.attachment_actions
    qtbot.mouseClick(shown_list(view).attach_button, Qt.MouseButton.LeftButton)
    choose_in(qtbot, actions, fake)
    dialog = attach_dialog(qtbot, actions)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    error = dialog.field_errors["file"]
    qtbot.waitUntil(error.isVisible, timeout=15_000)
    assert error.text() == (
        "That file is not a PDF, a PNG picture or a JPEG photo, so it cannot be attached. "
        "Save or scan it as a PDF and attach that."
    )
    assert dialog.isVisible() and not dialog.busy  # still open, nothing typed lost
    assert dialog.focusWidget() is dialog.choose_button
    assert on_worker(window, attachments.for_concern, ref) == []
    assert audit(window, "attachment_added") == []
    assert shown_list(view).records == ()

    # Choose another file from the dialog: the refusal goes, the good file is attached.
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    choose_in(qtbot, actions, good)
    assert dialog.file_name.text() == "letter.pdf"
    assert not error.isVisible()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.dialog is None, timeout=15_000)
    qtbot.waitUntil(lambda: len(shown_list(view).records) == 1, timeout=10_000)
    assert shown_list(view).records[0].file_name == "letter.pdf"


def test_cancel_and_escape_attach_nothing(
    qtbot: QtBot, window: MainWindow, linked: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    _, ref, _ = linked
    photo = tmp_path / "notes.jpg"
    photo.write_bytes(notes_photo())
    view = open_concern(qtbot, window, ref)
    actions = view.attachment_actions
    qtbot.mouseClick(shown_list(view).attach_button, Qt.MouseButton.LeftButton)
    chooser = actions.file_dialog
    assert chooser is not None
    chooser.reject()  # no file chosen: no dialog
    qtbot.waitUntil(lambda: actions.file_dialog is None, timeout=5000)
    assert actions.dialog is None
    qtbot.mouseClick(shown_list(view).attach_button, Qt.MouseButton.LeftButton)
    choose_in(qtbot, actions, photo)
    dialog = attach_dialog(qtbot, actions)
    qtbot.keyClick(dialog.description, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: actions.dialog is None, timeout=5000)
    idle(qtbot, window)
    assert on_worker(window, attachments.for_concern, ref) == []


# Viewing -------------------------------------------------------------------------------


def open_viewer(qtbot: QtBot, view: ConcernView, record: AttachmentRecord) -> AttachmentViewer:
    qtbot.mouseClick(shown_list(view).view_buttons[record.attachment_id], Qt.MouseButton.LeftButton)
    viewer = view.attachment_actions.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.record is not None, timeout=15_000)
    return viewer


def test_a_picture_and_a_pdf_are_shown_in_the_app(
    qtbot: QtBot, window: MainWindow, linked: tuple[StoreFixture, str, int]
) -> None:
    _, ref, _ = linked
    photo_id = add_on_worker(window, ref, notes_photo(), "notes.jpg", "Coach's notes")
    pdf_id = add_on_worker(window, ref, letter_pdf(3), "letter from the nurse.pdf")
    view = open_concern(qtbot, window, ref)
    photo, pdf = view.file.attachments if view.file else ()
    assert (photo.attachment_id, pdf.attachment_id) == (photo_id, pdf_id)

    viewer = open_viewer(qtbot, view, photo)
    assert viewer.isVisible() and viewer.isModal()
    assert viewer.file_name.text() == "notes.jpg"
    assert viewer.facts.text().startswith("JPEG photo or scan, ")
    assert viewer.description.text() == "Coach's notes"
    assert viewer.sha256.text() == photo.sha256  # in full
    assert viewer.sha256.isReadOnly()  # selectable and copied, never changed
    picture = viewer.picture
    assert picture.isVisible() and not viewer.pages.isVisible()
    assert not picture.image.isNull() and picture.image.size().toTuple() == (900, 1200)
    qtbot.waitUntil(lambda: not picture.shown_size().isEmpty(), timeout=5000)
    fitted = picture.shown_size()
    # Fitted: the whole page in view, smaller than it is.
    assert fitted.height() <= picture.viewport().height() and fitted.height() < 1200
    qtbot.mouseClick(viewer.zoom_button, Qt.MouseButton.LeftButton)
    assert viewer.zoom_button.text() == "&Zoom to fit the window"
    actual = picture.shown_size() * viewer.devicePixelRatioF()
    assert actual.toTuple() == (900, 1200)
    qtbot.keyClick(picture, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.attachment_actions.viewer is None, timeout=5000)

    viewer = open_viewer(qtbot, view, pdf)
    pages = viewer.pages
    assert pages.isVisible() and not viewer.picture.isVisible()
    assert not viewer.zoom_button.isVisible()
    assert pages.count == 3
    assert viewer.page_label.text() == "Page 1 of 3"
    labels = pages.page_labels()
    qtbot.waitUntil(lambda: not labels[0].pixmap().isNull(), timeout=5000)
    qtbot.mouseClick(viewer.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.attachment_actions.viewer is None, timeout=5000)

    opened = audit(window, "attachment_opened")
    assert sorted(int(str(d["attachment"])) for d in opened) == [photo_id, pdf_id]


def test_a_file_changed_inside_the_records_is_not_shown(
    qtbot: QtBot, window: MainWindow, linked: tuple[StoreFixture, str, int]
) -> None:
    _, ref, _ = linked
    added = add_on_worker(window, ref, letter_pdf(1), "letter.pdf")
    # Someone holding the database key swaps the bytes (the SHA-256 kept stays).
    forged = letter_pdf(2)
    window.worker.submit(
        lambda: session_of(window).conn.execute(
            "UPDATE attachment_data SET data = ? WHERE attachment_id = ?", (forged, added)
        )
    ).result(timeout=10)
    view = open_concern(qtbot, window, ref)
    qtbot.mouseClick(shown_list(view).view_buttons[added], Qt.MouseButton.LeftButton)
    viewer = view.attachment_actions.viewer
    assert viewer is not None
    qtbot.waitUntil(viewer.message.isVisible, timeout=15_000)
    assert "is not the one that was attached" in viewer.message.text()
    assert viewer.pages.count == 0 and not viewer.save_button.isEnabled()
    assert viewer.file_name.text() == "The file could not be opened"


# Saving a copy ---------------------------------------------------------------------------


def warning_box(qtbot: QtBot, actions: AttachmentActions) -> QMessageBox:
    qtbot.waitUntil(lambda: actions.confirm_box is not None, timeout=5000)
    box = actions.confirm_box
    assert box is not None and box.isVisible()
    return box


def press(qtbot: QtBot, box: QMessageBox, text: str) -> None:
    (found,) = [b for b in box.findChildren(QPushButton) if b.text() == text]
    qtbot.mouseClick(found, Qt.MouseButton.LeftButton)


def test_save_a_copy_warns_then_writes_the_exact_bytes_where_chosen(
    qtbot: QtBot, window: MainWindow, linked: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    _, ref, _ = linked
    added = add_on_worker(window, ref, notes_photo(), "IMG_2041 Amelia.jpg")
    view = open_concern(qtbot, window, ref)
    actions = view.attachment_actions
    record = shown_list(view).records[0]
    save = shown_list(view).save_buttons[added]

    # Cancel at the warning: nothing is asked, nothing written.
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    box = warning_box(qtbot, actions)
    assert box.text() == (
        "The copy will not be encrypted. Save it only somewhere safe, such as an encrypted "
        "memory stick, and delete it when you no longer need it."
    )
    assert box.defaultButton().text() == "Cancel"
    press(qtbot, box, "Cancel")
    qtbot.waitUntil(lambda: actions.confirm_box is None, timeout=5000)
    assert actions.file_dialog is None

    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    press(qtbot, warning_box(qtbot, actions), "&Save…")
    chooser = actions.file_dialog
    assert isinstance(chooser, QFileDialog)
    assert chooser.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    suggested = Path(chooser.selectedFiles()[0]).name
    assert suggested == f"attachment-{added}.jpg"  # never the name it came with
    target = tmp_path / "stick" / "copy for the police"  # typed without ".jpg"
    target.parent.mkdir()
    chooser.selectFile(str(target))
    chooser.accept()
    qtbot.waitUntil(lambda: view.message.text().startswith("A copy is saved to"), timeout=15_000)
    written = target.with_suffix(".jpg")
    assert view.message.text() == (
        f"A copy is saved to {written}; it is not encrypted, so delete it when you no "
        "longer need it."
    )
    stored = on_worker(window, attachments.open_attachment, added).data
    assert written.read_bytes() == stored
    assert hashlib.sha256(written.read_bytes()).hexdigest() == record.sha256
    (saved,) = audit(window, "attachment_saved")
    assert saved == {"attachment": added, "ref": ref, "child_id": None, "sha256": record.sha256}
    assert "copy for the police" not in str(saved) and "stick" not in str(saved)


def test_save_a_copy_from_the_viewer_says_so_in_the_viewer(
    qtbot: QtBot, window: MainWindow, linked: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    _, ref, _ = linked
    add_on_worker(window, ref, letter_pdf(1), "letter.pdf")
    view = open_concern(qtbot, window, ref)
    viewer = open_viewer(qtbot, view, shown_list(view).records[0])
    actions = view.attachment_actions
    qtbot.mouseClick(viewer.save_button, Qt.MouseButton.LeftButton)
    box = warning_box(qtbot, actions)
    assert box.parent() is viewer
    press(qtbot, box, "&Save…")
    chooser = actions.file_dialog
    assert chooser is not None and chooser.parent() is viewer
    chooser.selectFile(str(tmp_path / "letter-copy.pdf"))
    chooser.accept()
    qtbot.waitUntil(lambda: viewer.message.text().startswith("A copy is saved to"), timeout=15_000)
    assert (tmp_path / "letter-copy.pdf").read_bytes().startswith(b"%PDF-")
    # A folder that cannot be written: one sentence, in the viewer.
    qtbot.mouseClick(viewer.save_button, Qt.MouseButton.LeftButton)
    press(qtbot, warning_box(qtbot, actions), "&Save…")
    chooser = actions.file_dialog
    assert chooser is not None
    chooser.fileSelected.emit(str(tmp_path / "no such folder" / "copy.pdf"))
    chooser.reject()
    qtbot.waitUntil(lambda: viewer.message.property("sgRole") == "error", timeout=15_000)
    assert viewer.message.text() == (
        "The copy could not be saved there because that folder no longer exists; choose "
        "another place."
    )
    assert viewer.isVisible()


# Screen readers, small screens and the keyboard ------------------------------------------


def screen_problems(root: Any, where: str) -> list[str]:
    return [
        *(f"{where}: unnamed {name}" for name in unnamed_controls(root)),
        *cut_off(root, f"{where}: "),
        *alt_key_clashes(root, f"{where}: "),
    ]


def test_every_control_is_named_nothing_is_cut_off_and_the_keyboard_reaches_it_all(
    qtbot: QtBot, window: MainWindow, linked: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    _, ref, child_id = linked
    photo_id = add_on_worker(window, ref, notes_photo(), "notes.jpg", "Coach's notes, page 1")
    add_on_worker(window, ref, letter_pdf(2), "letter from the nurse.pdf")
    own = on_worker(window, attachments.attach_to_child, child_id, letter_pdf(1), "consent.pdf")
    problems: list[str] = []

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    view = open_concern(qtbot, window, ref)
    assert len(shown_list(view).records) == 2
    problems += screen_problems(window, "Concern")
    # Enter on a focused "View" opens the viewer, as a click does; Escape closes it.
    view_button = shown_list(view).view_buttons[photo_id]
    view.scroller.ensureWidgetVisible(view_button)
    view_button.setFocus()
    qtbot.keyClick(view_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.attachment_actions.viewer is not None, timeout=5000)
    viewer = view.attachment_actions.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.record is not None, timeout=15_000)
    idle(qtbot, window)
    assert viewer.focusWidget() is viewer.picture  # the arrows scroll the picture
    problems += screen_problems(viewer, "Viewer") + tab_order_problems(viewer, "Viewer: ")
    qtbot.keyClick(viewer.picture, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.attachment_actions.viewer is None, timeout=5000)

    actions = view.attachment_actions
    actions.attach_file(tmp_path / "scan.pdf")
    dialog = attach_dialog(qtbot, actions)
    problems += screen_problems(dialog, "Attach a file") + tab_order_problems(
        dialog, "Attach a file: "
    )
    qtbot.keyClick(dialog.description, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: actions.dialog is None, timeout=5000)

    # The child's chronology: Enter on a file attached to her file alone (no concern to
    # open) shows it on the Attachments tab, with the keyboard on its "View".
    child = open_child(qtbot, window, child_id)
    assert child.tabs.currentIndex() == CHRONOLOGY_TAB
    entries = child.chronology.model.entries()
    row = next(i for i, e in enumerate(entries) if e.kind == "attachment" and not e.ref)
    table = child.chronology.table
    table.setFocus()
    table.selectRow(row)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: child.tabs.currentIndex() == ATTACHMENTS_TAB, timeout=5000)
    own_view = child.attachment_list.view_buttons[own.id]
    assert child.focusWidget() is own_view
    assert len(child.attachment_list.records) == 3
    assert "Attached to this child's file only" in card_texts(child.attachment_list)
    problems += screen_problems(window, "A child's attachments")
    qtbot.keyClick(own_view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: child.attachment_actions.viewer is not None, timeout=5000)
    viewer = child.attachment_actions.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.record is not None, timeout=15_000)
    assert viewer.pages.count == 1
    qtbot.keyClick(viewer.pages, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: child.attachment_actions.viewer is None, timeout=5000)
    assert problems == [], "\n".join(problems)
