"""The recorder's written notes, sent with their concern: real widgets, a real store, real files.

"I have written notes to send", ticked on What you did, brings the written notes step
next. A phone photo of handwritten notes (its GPS position and camera details in it) and a
letter as reportlab writes one are chosen in the form's own file chooser, read and checked
on the window's worker, sealed with the concern from an account, as a guest and from a
recording station, and then found by a lead's session once the inbox is taken in. A file
that cannot be sent is said in its sentence and never listed; the files are never in a
draft, and a station's form cleared after its idle minutes drops them.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWizard
from pytestqt.qtbot import QtBot

from casework_data import concern_data
from conftest import StoreFixture
from repo_paths import TESTS
from safeguard_desktop.domain.attachments import NO_INJURY_PHOTOS, AttachmentKind
from safeguard_desktop.services import attachments, inbox
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.recording.concern_form import ConcernForm
from safeguard_desktop.ui.recording.concern_wizard import ConcernWizard
from safeguard_desktop.ui.recording.recorder_area import RecorderArea
from safeguard_desktop.ui.recording.steps.notes_step import NotesPage
from safeguard_desktop.ui.recording.steps.step_page import ACTIONS, CATEGORY, NOTES, REVIEW
from safeguard_desktop.ui.worker import Worker
from screen_checks import alt_key_clashes, unnamed_controls
from station_setup import make_pair
from ui_store import idle, sign_in

# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
NOT_A_KIND = "That file is not a PDF, a PNG picture or a JPEG photo, so it cannot be attached."


def _made_files() -> ModuleType:
    """tests/services/test_attachments.py, whose photo() and letter() are made as a phone
    and reportlab make them; loaded under the name pytest gives it."""
    name = "test_attachments"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TESTS / "services" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


MADE = _made_files()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A phone photo of notes (with its position), a letter, a second letter, a text file."""
    folder = tmp_path / "Documents"
    folder.mkdir()
    made = {
        "photo": (folder / "IMG_2041 notes.jpg", MADE.photo()),
        "letter": (folder / "letter from the nurse.pdf", MADE.letter()),
        "wrong": (folder / "wrong letter.pdf", MADE.letter("Another child's letter")),
        "text": (folder / "notes.txt", b"typed notes, not a picture"),
    }
    for path, data in made.values():
        path.write_bytes(data)
    return {key: path for key, (path, _) in made.items()}


@pytest.fixture
def worker(qtbot: QtBot) -> Iterator[Worker]:
    made = Worker()
    yield made
    made.shutdown()


@pytest.fixture
def wizard(qtbot: QtBot, store_dir: StoreFixture, worker: Worker) -> ConcernWizard:
    """The form's steps on their own (no window), reading files on ``worker``."""
    made = ConcernWizard(Store.open(store_dir.data_dir).organisation, "", worker=worker)
    qtbot.addWidget(made)
    made.show()
    return made


def open_window(qtbot: QtBot, data_dir: Path, **kwargs: object) -> MainWindow:
    window = MainWindow(data_dir, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(1366, 720)
    window.show()
    return window


def to_step(wizard: ConcernWizard, step: int, *, has_notes: bool = True) -> None:
    """A whole concern typed in ("I have written notes…" ticked), then Next to ``step``."""
    data = {**concern_data(name="Amelia Example"), "immediate_danger": False}
    wizard.set_form_data({**data, "has_notes": has_notes})
    for _ in range(12):
        if wizard.currentId() == step:
            break
        wizard.next()
    assert wizard.currentId() == step


def to_notes(qtbot: QtBot, wizard: ConcernWizard) -> NotesPage:
    to_step(wizard, NOTES)
    return wizard.notes_page


def form_at_notes(qtbot: QtBot, window: MainWindow) -> tuple[ConcernForm, NotesPage]:
    form = window.concern_form
    assert form is not None
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.wizard, timeout=10_000)
    return form, to_notes(qtbot, form.wizard)


def recorders_form(qtbot: QtBot, store_dir: StoreFixture) -> tuple[MainWindow, NotesPage]:
    """Rita signed in, Record a concern pressed, the concern typed up to her notes."""
    window = open_window(qtbot, store_dir.data_dir)
    area = sign_in(qtbot, window, store_dir.recorder)
    assert isinstance(area, RecorderArea)
    qtbot.mouseClick(area.record_button, Qt.MouseButton.LeftButton)
    return window, form_at_notes(qtbot, window)[1]


def choose_in(qtbot: QtBot, page: NotesPage, path: Path) -> None:
    """Add a file…, pick ``path`` in the chooser it opens and press Open; wait for it."""
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    chooser = page.file_dialog
    assert isinstance(chooser, QFileDialog) and chooser.isVisible()
    chooser.selectFile(str(path))
    chooser.accept()
    qtbot.waitUntil(lambda: page.file_dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)


def send(qtbot: QtBot, window: MainWindow, wizard: ConcernWizard) -> str:
    """Next to the review, the guest's name and role if asked, Send; the reference."""
    to_step(wizard, REVIEW)
    review = wizard.review_page
    if review.guest_name is not None and review.guest_role is not None:
        review.guest_name.setText("Gail Guest")
        review.guest_role.setText("Visiting coach")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.after_page is not None, timeout=20_000)
    assert window.after_page is not None
    return window.after_page.reference.text().split(": ", 1)[1]


def taken_in(data_dir: Path, who: tuple[str, str], ref: str) -> list[attachments.AttachmentRecord]:
    """What a lead's session finds with the concern once the inbox is taken in."""
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    try:
        inbox.ingest(session)
        return attachments.for_concern(session, ref)
    finally:
        session.lock()


def test_a_recorder_sends_a_photo_and_a_letter_and_the_lead_finds_them(
    qtbot: QtBot, store_dir: StoreFixture, files: dict[str, Path]
) -> None:
    window, page = recorders_form(qtbot, store_dir)
    form = window.concern_form
    assert form is not None
    wizard = form.wizard
    assert page.plain_title == "Your written notes (optional)"
    assert page.intro is not None and "send a photo or scan of it" in page.intro.text()
    assert "Your Welfare Officer keeps the original" in page.intro.text()
    assert page.reminder.isVisible() and page.reminder.accessibleName() == NO_INJURY_PHOTOS
    assert unnamed_controls(page) == [] and alt_key_clashes(window) == []

    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    chooser = page.file_dialog
    assert isinstance(chooser, QFileDialog)
    assert chooser.fileMode() is QFileDialog.FileMode.ExistingFile
    assert chooser.nameFilters() == [
        "PDF, PNG or JPEG (*.pdf *.png *.jpg *.jpeg)",
        "All files (*)",
    ]
    chooser.selectFile(str(files["photo"]))
    chooser.accept()
    # Read on the worker: the step says so, and Next waits for it.
    assert page.busy and page.busy_bar.isVisible() and not page.add_button.isEnabled()
    assert page.message.text().startswith("Reading IMG_2041 notes.jpg")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    (row,) = page.rows
    assert row.name.accessibleName() == "IMG_2041 notes.jpg"
    assert row.facts.text().startswith("JPEG photo or scan, ")
    assert row.removed.text() == (
        "Its location, camera details and comment will be taken out before it is sent."
    )
    assert row.remove_button.accessibleName() == "Remove IMG_2041 notes.jpg"

    choose_in(qtbot, page, files["letter"])
    choose_in(qtbot, page, files["wrong"])
    assert [f.file_name for f in page.files] == [
        "IMG_2041 notes.jpg",
        "letter from the nurse.pdf",
        "wrong letter.pdf",
    ]
    assert page.rows[1].facts.text().startswith("PDF document, ")
    assert not page.rows[1].removed.isVisible()  # a PDF is kept as it is
    qtbot.mouseClick(page.rows[2].remove_button, Qt.MouseButton.LeftButton)
    assert [f.file_name for f in page.files] == ["IMG_2041 notes.jpg", "letter from the nurse.pdf"]
    assert len(page.rows) == 2 and "wrong letter.pdf was removed" in page.message.text()
    assert unnamed_controls(page) == []

    wizard.next()  # Kind of concern
    wizard.next()
    notes_card = next(c for c in wizard.review_page.cards if c.page_id == NOTES)
    shown = notes_card.words.text().replace("\u200b", "")
    assert "IMG_2041 notes.jpg" in shown and "letter from the nurse.pdf" in shown
    assert "wrong letter" not in shown
    ref = send(qtbot, window, wizard)
    after = window.after_page
    assert after is not None
    assert after.thanks.text() == "Thank you. Your concern and 2 files have been sent."
    # Gone from memory with the form: nothing of them stays on this shared PC.
    assert form.wizard.notes_page.files == [] and form.wizard.notes_page.rows == []
    idle(qtbot, window)

    arrived = taken_in(store_dir.data_dir, store_dir.dsl, ref)
    assert [(a.file_name, a.kind, a.from_recorder, a.added_by) for a in arrived] == [
        ("IMG_2041 notes.jpg", AttachmentKind.JPEG, True, "rita"),
        ("letter from the nurse.pdf", AttachmentKind.PDF, True, "rita"),
    ]
    assert "location (GPS)" in arrived[0].removed
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    try:
        data = attachments.open_attachment(session, arrived[0].attachment_id).data
    finally:
        session.lock()
    with Image.open(BytesIO(data)) as picture:
        assert not picture.getexif().get_ifd(MADE.GPS_IFD)


def test_a_file_that_cannot_be_sent_is_said_and_not_listed(
    qtbot: QtBot, wizard: ConcernWizard, files: dict[str, Path]
) -> None:
    page = to_notes(qtbot, wizard)
    choose_in(qtbot, page, files["text"])
    assert page.files == [] and page.rows == []
    sentence = page.message.text()
    assert sentence.startswith(f"notes.txt was not added. {NOT_A_KIND}")
    assert page.message.property("sgRole") == "error"
    # Said to a screen reader on the button that chose it, where the focus is.
    assert page.add_button.accessibleDescription() == sentence
    assert page.add_button.hasFocus() or wizard.focusWidget() is page.add_button

    # A JPEG called .pdf: most likely the wrong file.
    misnamed = files["photo"].with_name("letter.pdf")
    misnamed.write_bytes(files["photo"].read_bytes())
    choose_in(qtbot, page, misnamed)
    assert page.files == [] and "name says it is a PDF document" in page.message.text()

    # The limits of one concern, as each file is added: ten, and no more.
    for number in range(10):
        picture = files["photo"].with_name(f"page {number + 1}.png")
        out = BytesIO()
        Image.new("RGB", (60, 80), (number * 20, 200, 200)).save(out, "PNG")
        picture.write_bytes(out.getvalue())
        page.add_path(picture)  # what choosing it in the chooser does
        qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert len(page.files) == 10 and page.message.property("sgRole") == "good"
    page.add_path(files["letter"])
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert len(page.files) == len(page.rows) == 10
    assert "At most 10 files can be sent with one concern" in page.message.text()


def test_a_guest_sends_a_letter_with_their_concern(
    qtbot: QtBot, store_dir: StoreFixture, files: dict[str, Path]
) -> None:
    window = open_window(qtbot, store_dir.data_dir)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login_page, timeout=10_000)
    qtbot.mouseClick(window.login_page.guest_button, Qt.MouseButton.LeftButton)
    form, page = form_at_notes(qtbot, window)
    assert form.is_guest
    choose_in(qtbot, page, files["letter"])
    ref = send(qtbot, window, form.wizard)
    assert window.after_page is not None
    assert window.after_page.thanks.text() == "Thank you. Your concern and 1 file have been sent."
    idle(qtbot, window)
    (arrived,) = taken_in(store_dir.data_dir, store_dir.dsl, ref)
    assert (arrived.file_name, arrived.from_recorder, arrived.added_by) == (
        "letter from the nurse.pdf",
        True,
        "Gail Guest",
    )


def test_a_station_sends_a_photo_with_its_concern(
    qtbot: QtBot, store_dir: StoreFixture, files: dict[str, Path], tmp_path: Path
) -> None:
    pair = make_pair(store_dir, tmp_path)
    window = open_window(qtbot, pair.station_dir)
    qtbot.waitUntil(lambda: window.station_home is not None, timeout=10_000)
    home = window.station_home
    assert home is not None
    qtbot.waitUntil(lambda: not home.delivering, timeout=10_000)
    qtbot.mouseClick(home.record_button, Qt.MouseButton.LeftButton)
    form, page = form_at_notes(qtbot, window)
    choose_in(qtbot, page, files["photo"])
    ref = send(qtbot, window, form.wizard)
    idle(qtbot, window)
    (arrived,) = taken_in(store_dir.data_dir, store_dir.admin, ref)
    assert (arrived.file_name, arrived.kind, arrived.added_by) == (
        "IMG_2041 notes.jpg",
        AttachmentKind.JPEG,
        "Gail Guest",
    )
    assert "location (GPS)" in arrived.removed


def test_a_stations_form_cleared_after_its_idle_minutes_drops_the_files(
    qtbot: QtBot, store_dir: StoreFixture, files: dict[str, Path], tmp_path: Path
) -> None:
    pair = make_pair(store_dir, tmp_path)
    window = open_window(qtbot, pair.station_dir, idle_timeout_ms=1500)
    qtbot.waitUntil(lambda: window.station_home is not None, timeout=10_000)
    home = window.station_home
    assert home is not None
    qtbot.mouseClick(home.record_button, Qt.MouseButton.LeftButton)
    _, page = form_at_notes(qtbot, window)
    page.add_path(files["photo"])
    qtbot.waitUntil(lambda: len(page.files) == 1, timeout=10_000)
    # Nobody touches the PC: the form goes, and the files with it.
    qtbot.waitUntil(lambda: window.concern_form is None, timeout=10_000)
    assert window.stack.currentWidget() is home
    assert "nobody used it for a while" in home.problem.text()
    assert page.files == [] and page.rows == []
    qtbot.mouseClick(home.record_button, Qt.MouseButton.LeftButton)
    _, again = form_at_notes(qtbot, window)
    assert again is not page and again.files == [] and again.rows == []


def test_a_draft_keeps_no_file_and_says_to_add_them_again(
    qtbot: QtBot, store_dir: StoreFixture, files: dict[str, Path]
) -> None:
    window, page = recorders_form(qtbot, store_dir)
    assert not page.again.isVisible()
    choose_in(qtbot, page, files["photo"])
    choose_in(qtbot, page, files["letter"])
    window.lock()  # the draft is saved as the form closes
    qtbot.waitUntil(lambda: window.concern_form is None and not window.worker.busy, timeout=10_000)
    assert page.files == []

    store = Store.open(store_dir.data_dir)
    recorder = store.login(*store_dir.recorder)
    try:
        draft = recorder.load_draft()
    finally:
        recorder.lock()
    assert draft is not None and draft["files_added"] == 2
    kept = json.dumps(draft)
    assert "IMG_2041" not in kept and "nurse" not in kept and "(GPS)" not in kept
    assert len(kept) < 5000  # the words typed, and no file's bytes

    sign_in(qtbot, window, store_dir.recorder)
    area = window.session_area
    assert isinstance(area, RecorderArea)
    qtbot.mouseClick(area.record_button, Qt.MouseButton.LeftButton)
    form = window.concern_form
    assert form is not None
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.offer_page, timeout=10_000)
    qtbot.mouseClick(form.continue_button, Qt.MouseButton.LeftButton)
    wizard = form.wizard
    wizard.go_to(NOTES)
    assert wizard.currentId() == NOTES
    page = wizard.notes_page
    assert page.files == [] and page.again.isVisible()
    assert page.again.accessibleName() == (
        "You had added 2 files before you stopped. Files are not kept with an unsent "
        "concern, so please add them again."
    )
    choose_in(qtbot, page, files["letter"])
    assert page.again.isVisible()  # one of the two
    choose_in(qtbot, page, files["photo"])
    assert not page.again.isVisible()


# Typing a path in the chooser opens its completer's list, which offscreen Qt can neither
# raise nor give the keyboard to; it is about the platform, not the app.
@pytest.mark.qt_log_ignore(
    "does not support propagateSizeHints", "does not support raise", "grabbing the keyboard"
)
def test_files_are_added_and_removed_from_the_keyboard(
    qtbot: QtBot, wizard: ConcernWizard, files: dict[str, Path]
) -> None:
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5000)
    to_step(wizard, ACTIONS, has_notes=False)
    # Alt+W ticks "I have written notes…", Alt+N goes on to them.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(wizard.actions_page.has_notes.isChecked, timeout=2000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == NOTES, timeout=2000)
    page = wizard.notes_page
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.add_button, timeout=5000)
    # Alt+A: Add a file…; the chooser takes the keyboard, its file name box first.
    qtbot.keyClick(page.add_button, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.file_dialog is not None, timeout=5000)
    chooser = page.file_dialog
    assert chooser is not None
    qtbot.waitUntil(lambda: chooser.isAncestorOf(QApplication.focusWidget()), timeout=5000)
    qtbot.keyClicks(QApplication.focusWidget(), str(files["letter"]))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(page.files) == 1, timeout=20_000)
    # Back on Add a file… once the form's window is active again (a window manager makes
    # it so as the chooser closes; offscreen Qt has none). Tab goes to the file's Remove,
    # Space removes it.
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5000)
    assert QApplication.focusWidget() is page.add_button
    qtbot.keyClick(page.add_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.rows[0].remove_button
    qtbot.keyClick(page.rows[0].remove_button, Qt.Key.Key_Space)
    assert page.files == [] and QApplication.focusWidget() is page.add_button
    # Alt+N: on to the kind of concern, then the review, which says nothing is sent.
    qtbot.keyClick(page.add_button, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == CATEGORY, timeout=5000)
    wizard.next()
    notes_card = next(c for c in wizard.review_page.cards if c.page_id == NOTES)
    assert "No files" in notes_card.words.text()


def test_untaking_the_tick_sends_none_of_the_files_chosen(
    qtbot: QtBot, wizard: ConcernWizard, files: dict[str, Path]
) -> None:
    page = to_notes(qtbot, wizard)
    choose_in(qtbot, page, files["letter"])
    assert [f.file_name for f in wizard.files_to_send()] == ["letter from the nurse.pdf"]
    wizard.go_to(ACTIONS)
    wizard.actions_page.has_notes.setChecked(False)
    wizard.next()
    assert wizard.currentId() == CATEGORY  # past the notes, which are not needed now
    assert "not needed" in wizard.steps.rows[6].label.text()
    wizard.next()
    assert wizard.files_to_send() == []
    assert NOTES not in [card.page_id for card in wizard.review_page.cards]
