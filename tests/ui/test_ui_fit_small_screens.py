"""Every screen on a school's PC: 1366 x 768 and 1024 x 768, at 100 %, 125 % and 150 %.

At 150 % Windows gives a 1366 x 768 screen 911 x 512 of Qt's logical pixels, less its
taskbar; the window's title bar takes more. Qt lays out in logical pixels, so a window of
that logical size here is what a volunteer sees there. On each size the first run, the
setup wizard, the sign-in page, each step of a guest's concern, and the lead's pages and
dialogs (a child's file's, the referral's and the attachments' among them) are checked:
nothing cut off, Next, Back and the header's buttons in the window, one control per Alt
key, Tab in reading order, the focus in the first field; on the sign-in page, the
concern's steps and the casework dialogs, every hint beside a field is also what the
field says to a screen reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
from safeguard_desktop.domain.handoff import Consent, HandoffDecision, InformationSharing, Outcome
from safeguard_desktop.domain.lawful_basis import lawful_basis_for
from safeguard_desktop.domain.low_level_concerns import LowLevelConcern
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.domain.referral import ReferralContent
from safeguard_desktop.services import attachments, casework, low_level_concerns
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.attachments.attachment_actions import NOT_ENCRYPTED
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.children.child_page import ATTACHMENTS_TAB
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.recording.concern_form import ConcernForm
from safeguard_desktop.ui.recording.steps.step_page import NOTES, REVIEW
from safeguard_desktop.ui.theme import MessageLine, apply_theme
from safeguard_desktop.ui.widgets import screen_fit
from safeguard_desktop.ui.widgets.dialog_parts import ask_to_confirm
from safeguard_desktop.ui.widgets.field_hint import FieldHint
from screen_checks import (
    alt_key_clashes,
    cut_headers,
    cut_off,
    not_in_view,
    scrolls_with_room_to_spare,
    tab_order_problems,
)

# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TASKBAR = 40  # Windows' taskbar, in logical pixels at any scale


def logical(width: int, height: int, scale: float) -> QRect:
    """The available area of a ``width`` x ``height`` screen at ``scale``, less the taskbar."""
    return QRect(0, 0, round(width / scale), round(height / scale) - TASKBAR)


SIZES = {
    f"{w}x{h} at {round(scale * 100)}%": logical(w, h, scale)
    for w, h in ((1366, 768), (1024, 768))
    for scale in (1.0, 1.25, 1.5)
}
SMALLEST = ("1366x768 at 100%", "1024x768 at 150%")


@pytest.fixture(params=list(SIZES))
def screen(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, qapp: QApplication
) -> Iterator[QRect]:
    """The available area of that screen, with the app's own look (its font is a little
    larger than the platform's), put back afterwards as it was."""
    area = SIZES[request.param]
    monkeypatch.setattr(screen_fit, "available_area", lambda widget=None: QRect(area))
    font, palette, sheet = QFont(qapp.font()), QPalette(qapp.palette()), qapp.styleSheet()
    apply_theme(qapp, 1.0)
    yield area
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)


def open_window(qtbot: QtBot, data_dir: Path) -> MainWindow:
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    return window


def settle(qtbot: QtBot, window: QWidget) -> None:
    qtbot.wait(60)
    worker = getattr(window, "worker", None)
    if worker is not None:
        qtbot.waitUntil(lambda: not worker.busy, timeout=15_000)
    QApplication.processEvents()


def check_screen(window: QWidget, page: QWidget, where: str, must_show: list[QWidget]) -> list[str]:
    return (
        cut_off(window, where)
        + alt_key_clashes(window, where)
        + not_in_view(window, must_show, where)
        + tab_order_problems(page, where)
    )


FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox)


def _neighbours(layout: QLayout, label: QLabel) -> list[QWidget] | None:
    """The widgets just above and below ``label`` in the layout that holds it."""
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is label:
            around = [layout.itemAt(i) for i in (index - 1, index + 1) if 0 <= i < layout.count()]
            return [w for w in (i.widget() for i in around) if w is not None]
        inner = item.layout()
        if inner is not None:
            found = _neighbours(inner, label)
            if found is not None:
                return found
    return None


def unbound_hints(root: QWidget, where: str) -> list[str]:
    """A hint line next to a field that a screen reader on the field would not say."""
    problems = []
    for label in root.findChildren(QLabel):
        if (
            label.property("sgRole") != "hint"
            or isinstance(label, MessageLine)
            or not label.text()
            or not label.isVisibleTo(root)
        ):
            continue
        if isinstance(label, FieldHint):
            if label.text() not in label.field.accessibleDescription():
                problems.append(f"{where}hint {label.text()!r} is not its field's description")
            continue
        holder = label.parentWidget()
        layout = holder.layout() if holder is not None else None
        nearby = _neighbours(layout, label) if layout is not None else None
        fields = [w for w in nearby or [] if isinstance(w, FIELDS)]
        # A caption the field's name already says ("Group 1") is no hint left unsaid.
        if fields and not any(
            label.text() in w.accessibleName() + w.accessibleDescription() for w in fields
        ):
            problems.append(f"{where}hint {label.text()!r} is not bound to its field")
    return problems


# The dialogs whose hints are read on their fields (issue 19): the casework dialogs, the
# sign-in page's, Add a person and Export everything.
HINTS_BOUND = (
    "Change my password",
    "Add an action",
    "Correct the record",
    "Use the recovery key",
    "Add a person",
    "Export everything",
)


def wizard_buttons(wizard: QWizard) -> list[QWidget]:
    shown = []
    for which in (
        QWizard.WizardButton.BackButton,
        QWizard.WizardButton.NextButton,
        QWizard.WizardButton.CommitButton,
        QWizard.WizardButton.FinishButton,
        QWizard.WizardButton.CancelButton,
    ):
        button = wizard.button(which)
        if button.isVisibleTo(wizard):
            shown.append(button)
    return shown


def header_buttons(window: MainWindow) -> list[QWidget]:
    return [
        window.toolbar.widgetForAction(action)
        for action in (window.change_password_action, window.lock_action, window.sign_out_action)
    ]


def test_the_window_opens_no_bigger_than_the_screen(
    qtbot: QtBot, tmp_path: Path, screen: QRect
) -> None:
    window = open_window(qtbot, tmp_path / "data")
    largest = screen_fit.largest_client_size(window)
    assert window.width() <= largest.width() and window.height() <= largest.height()
    assert window.minimumWidth() <= largest.width()
    assert window.minimumHeight() <= largest.height()


def test_first_run_and_setup(qtbot: QtBot, tmp_path: Path, screen: QRect) -> None:
    window = open_window(qtbot, tmp_path / "data")
    window.resize(screen_fit.largest_client_size(window))
    qtbot.waitUntil(lambda: window.first_run_page is not None, timeout=10_000)
    settle(qtbot, window)
    first = window.first_run_page
    assert first is not None
    problems = check_screen(window, first, "first run: ", [first.setup_button])
    first.setup_button.click()
    wizard = window.wizard
    assert wizard is not None
    org = wizard.organisation_page
    org.org_name.setText("Riverside Juniors FC")
    org.add_contacts.setChecked(True)
    for _ in range(3):
        settle(qtbot, window)
        page = wizard.currentPage()
        where = f"setup, {page.plain_title}: "  # type: ignore[attr-defined]
        assert page.focusWidget() is not None and page.isAncestorOf(page.focusWidget()), where
        problems += check_screen(window, page, where, wizard_buttons(wizard))
        wizard.next()
    assert wizard.currentPage() is wizard.admin_page
    print("\n".join(problems))
    assert problems == [], "\n".join(problems)


def test_a_recording_station_set_up_and_its_home(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path, screen: QRect
) -> None:
    from safeguard_desktop.services import stations
    from station_setup import invite

    drop = tmp_path / "drop"
    drop.mkdir()
    made = invite(store_dir.data_dir, store_dir.admin, drop)
    invitation = tmp_path / "away.sginvite"
    stations.save_invitation(made, invitation)
    window = open_window(qtbot, tmp_path / "station")
    window.resize(screen_fit.largest_client_size(window))
    qtbot.waitUntil(lambda: window.first_run_page is not None, timeout=10_000)
    settle(qtbot, window)
    first = window.first_run_page
    assert first is not None
    # The third choice may need the card scrolled on the smallest screens, as its hints do.
    problems = check_screen(window, first, "first run: ", [first.setup_button])
    first.station_button.click()
    page = window.station_setup_page
    assert page is not None
    page.use_file(invitation)
    qtbot.waitUntil(page.details.isVisible, timeout=10_000)
    settle(qtbot, window)
    problems += check_screen(window, page, "station set-up: ", [page.set_up_button])
    page.matches.setChecked(True)
    page.submit()
    qtbot.waitUntil(lambda: window.station_home is not None, timeout=10_000)
    settle(qtbot, window)
    home = window.station_home
    assert home is not None
    problems += check_screen(window, home, "station home: ", [home.record_button])
    assert problems == [], "\n".join(problems)


def notes_to_send(folder: Path) -> list[Path]:
    """A text file the notes step refuses in a sentence, then a phone photo with a long
    name (no spaces to wrap at) and a letter, listed."""
    folder.mkdir()
    photo = folder / "IMG_20240305_143012_NotesWrittenAfterTrainingOnTheMainPitch.jpg"
    out = BytesIO()
    Image.new("RGB", (600, 800), (240, 240, 230)).save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    letter = folder / "letter from the school nurse about Amelia.pdf"
    canvas = Canvas(str(letter))
    canvas.drawString(72, 720, "Dear Ms Lead,")
    canvas.save()
    refused = folder / "notes.txt"
    refused.write_text("typed notes")
    return [refused, photo, letter]


def test_each_step_of_a_guests_concern(
    qtbot: QtBot, store_dir: StoreFixture, screen: QRect, tmp_path: Path
) -> None:
    window = open_window(qtbot, store_dir.data_dir)
    window.resize(screen_fit.largest_client_size(window))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login_page, timeout=10_000)
    settle(qtbot, window)
    problems = check_screen(
        window, window.login_page, "sign-in: ", [window.login_page.sign_in_button]
    )
    problems += unbound_hints(window.login_page, "sign-in: ")
    window.login_page.guest_button.click()
    form = window.concern_form
    assert isinstance(form, ConcernForm)
    wizard = form.wizard
    qtbot.waitUntil(lambda: form.stack.currentWidget() is wizard, timeout=10_000)
    data = concern_data(name="Amelia Example")
    visited_notes = False
    # Every step shown: the danger instructions, the body map, the written notes.
    wizard.set_form_data({**data, "immediate_danger": True, "marks_seen": True, "has_notes": True})
    for _ in range(12):
        settle(qtbot, window)
        page = wizard.currentPage()
        where = f"concern, {page.plain_title}: "  # type: ignore[attr-defined]
        if wizard.currentId() == NOTES:
            notes = wizard.notes_page
            for number, path in enumerate(notes_to_send(tmp_path / "notes")):
                notes.add_path(path)  # what choosing it in the chooser does
                settle(qtbot, window)
                if number == 0:  # its sentence, in place of the button's hint while shown
                    assert notes.message.property("sgRole") == "error"
                    problems += check_screen(window, page, f"{where}refused: ", [])
            assert len(notes.rows) == 2, notes.message.text()
            visited_notes = True
        focused = page.focusWidget() or wizard.focusWidget()
        assert focused is not None and focused.isVisible(), where
        problems += check_screen(window, page, where, wizard_buttons(wizard))
        problems += unbound_hints(page, where)
        if wizard.currentId() == REVIEW:
            break
        wizard.next()
    assert wizard.currentId() == REVIEW, problems
    assert visited_notes
    print("\n".join(problems))
    assert problems == [], "\n".join(problems)


@pytest.fixture
def lead_window(qtbot: QtBot, store_dir: StoreFixture) -> Iterator[MainWindow]:
    submit(Store.open(store_dir.data_dir), concern_data(name="Amelia Example"))
    window = open_window(qtbot, store_dir.data_dir)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login_page, timeout=10_000)
    window.login_page.username.setText(store_dir.admin[0])
    window.login_page.password.setText(store_dir.admin[1])
    window.login_page.sign_in()
    qtbot.waitUntil(lambda: isinstance(window.session_area, CaseArea), timeout=15_000)
    settle(qtbot, window)
    yield window


def test_the_leads_pages(qtbot: QtBot, lead_window: MainWindow, screen: QRect) -> None:
    window = lead_window
    window.resize(screen_fit.largest_client_size(window))
    area = window.session_area
    assert isinstance(area, CaseArea)
    problems: list[str] = []
    for title in area.section_titles():
        area.show_section(title)
        settle(qtbot, window)
        problems += check_screen(window, area, f"{title}: ", header_buttons(window))
    print("\n".join(problems))
    assert problems == [], "\n".join(problems)


def test_the_low_level_logs_column_headings_are_whole(
    qtbot: QtBot, lead_window: MainWindow, screen: QRect
) -> None:
    """The log's entries: every column heading whole, where the last review found "What
    happene" in the screenshots at 150 %."""
    window = lead_window
    window.resize(screen_fit.largest_client_size(window))
    area = window.session_area
    assert isinstance(area, CaseArea)
    session = area.session
    today = datetime.now().date()

    def record() -> None:
        for days, name in ((30, "Alex Helper (demo)"), (60, "Jo Steward (demo)")):
            concern = LowLevelConcern(
                today - timedelta(days=days),
                name,
                "Assistant coach, Under 9s",
                "Gave a player a lift home alone after training without asking his parents.",
                "Spoke to him; the Welfare Officer is reviewing the pattern.",
            )
            low_level_concerns.record(session, concern, today=today)

    future = window.worker.submit(record)
    qtbot.waitUntil(future.done, timeout=30_000)
    future.result()
    area.show_section("Low-level log")
    settle(qtbot, window)
    page = area.low_level
    assert page is not None
    qtbot.waitUntil(lambda: page.entries.rowCount() == 2, timeout=10_000)
    settle(qtbot, window)
    # At every size, 1024 x 768 at 150 % too (683 px across, where the two texts'
    # columns were too narrow for their headings: the table now scrolls sideways).
    problems = cut_headers(page, "Low-level log: ")
    assert problems == [], "\n".join(problems)


def dialog_problems(qtbot: QtBot, window: MainWindow, dialog: QDialog, where: str) -> list[str]:
    """A dialog opened over ``window``: no bigger than the screen, not squashed, nothing
    cut off, one control per Alt key, Tab in reading order, the focus in it."""
    settle(qtbot, window)
    largest = screen_fit.largest_client_size(window)
    problems = []
    size = dialog.size()
    if size.width() > largest.width() or size.height() > largest.height():
        problems.append(f"{where}: {size.width()}x{size.height()} > {largest}")
    layout = dialog.layout()
    needed = layout.totalMinimumSize() if layout is not None else QSize()
    if needed.width() > size.width() + 1 or needed.height() > size.height() + 1:
        problems.append(f"{where}: needs {needed.width()}x{needed.height()}, squashed")
    problems.extend(cut_off(dialog, f"{where}: ") + alt_key_clashes(dialog, f"{where}: "))
    problems.extend(scrolls_with_room_to_spare(dialog, largest, f"{where}: "))
    problems.extend(tab_order_problems(dialog, f"{where}: "))
    if where in HINTS_BOUND:
        problems.extend(unbound_hints(dialog, f"{where}: "))
    if dialog.focusWidget() is None:
        problems.append(f"{where}: nothing has the focus")
    return problems


def test_dialogs_fit_and_open_at_a_field(
    qtbot: QtBot, lead_window: MainWindow, screen: QRect
) -> None:
    window = lead_window
    window.resize(screen_fit.largest_client_size(window))
    problems: list[str] = []

    def check(dialog: QDialog, where: str) -> None:
        problems.extend(dialog_problems(qtbot, window, dialog, where))

    window.open_change_password()
    dialog = window.change_password_dialog
    assert dialog is not None
    check(dialog, "Change my password")
    assert dialog.focusWidget() is dialog.current
    dialog.reject()

    area = window.session_area
    assert isinstance(area, CaseArea) and area.people is not None
    area.show_section("People")
    settle(qtbot, window)
    area.people.open_add_dialog()
    add = area.people.add_dialog
    assert add is not None
    check(add, "Add a person")
    add.reject()

    # The concern file, with a file attached, and its dialogs.
    ref = area.home.newest_model.summary(0).ref
    attached = window.worker.submit(
        attachments.attach_to_concern, area.session, ref, _scan(), "scan of the notes.png"
    )
    qtbot.waitUntil(attached.done, timeout=15_000)
    attached.result()
    area.open_concern(ref)
    view = area.concerns.view
    assert view is not None
    qtbot.waitUntil(lambda: view.file is not None, timeout=10_000)
    settle(qtbot, window)
    problems.extend(check_screen(window, view, "Concern: ", header_buttons(window)))
    for opener, where in (
        (view.open_action_dialog, "Add an action"),
        (view.open_amend_dialog, "Correct the record"),
    ):
        opener()
        opened = view.dialog
        assert opened is not None, where
        check(opened, where)
        opened.reject()
        settle(qtbot, window)
    actions = view.attachment_actions
    actions.attach_file(Path("scan of the notes.png"))
    assert actions.dialog is not None
    check(actions.dialog, "Attach a file")
    actions.dialog.reject()
    settle(qtbot, window)
    assert view.file is not None
    actions.view(view.file.attachments[0])
    viewer = actions.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.record is not None, timeout=15_000)
    check(viewer, "An attached file")
    viewer.reject()
    settle(qtbot, window)

    # Settings' and Home's dialogs: a backup, exporting everything, checking a signed PDF.
    area.show_section("Home")
    settle(qtbot, window)
    backup = area.home.backups.open_dialog()
    assert backup is not None
    check(backup, "Back up now")
    backup.reject()
    settings = area.settings
    area.show_section("Settings")
    settle(qtbot, window)
    assert settings.export_section is not None
    export = settings.export_section.open_dialog()
    check(export, "Export everything")
    export.reject()
    settings.stations.open_add_dialog()
    station = settings.stations.dialog
    assert station is not None
    check(station, "Add a recording station")
    station.reject()
    verify = settings.referrals.open_verify()
    check(verify, "Verify a signed PDF")
    verify.reject()
    settle(qtbot, window)

    # Signed out: the recovery key, from the sign-in page.
    window.sign_out()
    settle(qtbot, window)
    window.login_page.open_recovery_dialog()
    recovery = window.login_page.recovery_dialog
    assert recovery is not None
    check(recovery, "Use the recovery key")
    recovery.reject()
    print("\n".join(problems))
    assert problems == [], "\n".join(problems)


def _scan() -> bytes:
    """A scanned page, as a PNG."""
    out = BytesIO()
    Image.new("RGB", (850, 1100), (250, 250, 245)).save(out, "PNG")
    return out.getvalue()


def _social_care_decision(org_type: OrgType) -> HandoffDecision:
    now = datetime.now().replace(microsecond=0)
    return HandoffDecision.checked(
        immediate_danger=False,
        police=None,
        allegation_against_adult=False,
        lado=None,
        outcome=Outcome.SOCIAL_CARE,
        situation=ChildSituation(urgency=Urgency.SAME_DAY, child_now="At home tonight."),
        reason="A bruise with an explanation that does not fit.",
        advice=None,
        information_sharing=InformationSharing(
            consent=Consent.NOT_SOUGHT,
            consent_reason="Asking could put the child at risk.",
            lawful_basis=lawful_basis_for(org_type),
            parents_told=False,
            parents_not_told_reason="The concern is about a parent.",
        ),
        referral=ReferralContent(summary="Bruise on the left forearm."),
        review_on=None,
        follow_up_on=now.date() + timedelta(days=2),
        follow_up_what="Chase the outcome.",
        now=now,
    )


def test_a_childs_dialogs_and_the_referral_dialog(
    qtbot: QtBot, lead_window: MainWindow, screen: QRect
) -> None:
    """The dialogs of a child's file and of a referral: the same checks as the others."""
    window = lead_window
    window.resize(screen_fit.largest_client_size(window))
    area = window.session_area
    assert isinstance(area, CaseArea)
    session = area.session
    ref = area.home.newest_model.summary(0).ref

    def prepare() -> tuple[int, str]:
        child = casework.create_child_for(session, ref, 0)
        attachments.attach_to_child(session, child.id, _scan(), "consent form.png", "Signed")
        decision = _social_care_decision(session.organisation.org_type)
        (referral_ref,) = record_handoff(session, ref, decision).referral_refs
        return child.id, referral_ref

    future = window.worker.submit(prepare)
    qtbot.waitUntil(future.done, timeout=30_000)
    child_id, referral_ref = future.result()
    settle(qtbot, window)
    problems: list[str] = []

    area.open_child(child_id)
    page = area.children_page.child_page
    assert page is not None
    qtbot.waitUntil(lambda: page.file is not None, timeout=10_000)
    settle(qtbot, window)
    # Every tab's name whole and in view, on a second line if need be: none behind arrows.
    problems += cut_off(page, "A child's file: ") + alt_key_clashes(page, "A child's file: ")
    strip = page.tabs.strip
    for index in range(page.tabs.count()):
        name = page.tabs.tab_button(index)
        if not name.isVisibleTo(page) or name.geometry().right() > strip.contentsRect().right():
            problems.append(f"A child's file: the tab {page.tabs.tabText(index)!r} is out of view")
    page.tabs.setCurrentIndex(ATTACHMENTS_TAB)
    settle(qtbot, window)
    problems += cut_off(page, "A child's attachments: ")
    problems += alt_key_clashes(page, "A child's attachments: ")
    for opener, where in (
        (page.open_edit_details, "The child's details"),
        (page.open_add_member, "Add to the household"),
        (page.open_add_professional, "Add a professional"),
        (page.open_follow_up, "A child's follow-up"),
        (page.open_add_status, "Add a status or plan"),
    ):
        opener()
        dialog = page.dialog
        assert isinstance(dialog, QDialog), where
        problems += dialog_problems(qtbot, window, dialog, where)
        dialog.reject()
        settle(qtbot, window)

    # The referral dialog: one control per Alt key, Tab in reading order, at a field.
    referral = area.open_referral(referral_ref)
    qtbot.waitUntil(lambda: referral.record is not None, timeout=15_000)
    settle(qtbot, window)
    problems += alt_key_clashes(referral, "Referral PDF: ")
    problems += tab_order_problems(referral, "Referral PDF: ")
    if referral.focusWidget() is None:
        problems.append("Referral PDF: nothing has the focus")
    fit = dialog_problems(qtbot, window, referral, "Referral PDF")
    # Side by side wherever there is room for both (a 1366 x 768 screen at 100 %).
    room = screen_fit.largest_client_size(window).width()
    side_by_side = referral.splitter.orientation() == Qt.Orientation.Horizontal
    assert side_by_side or room < 900, f"the pages went under the form with {room} px across"
    referral.reject()
    settle(qtbot, window)
    # Settings' other referral dialog (Verify a signed PDF is checked with the others).
    area.show_section("Settings")
    settle(qtbot, window)
    certificate = area.settings.referrals.open_import_dialog(Path("signing.p12"))
    problems += dialog_problems(qtbot, window, certificate, "Import a signing certificate")
    certificate.reject()
    settle(qtbot, window)
    print("\n".join(problems + fit))
    assert problems == [], "\n".join(problems)
    # Its form and pages side by side need about 845 px across at 125 %: on a smaller
    # screen the pages go under the form, and it fits at every size.
    assert fit == [], "\n".join(fit)


def test_a_question_fits_and_its_sentence_wraps(
    qtbot: QtBot, lead_window: MainWindow, screen: QRect
) -> None:
    """A question box (Save a copy's warning, Remove someone…) wraps its sentence to its
    own width: made to scroll like a form, its sentence stayed on one line, cut off."""
    window = lead_window
    window.resize(screen_fit.largest_client_size(window))
    box = ask_to_confirm(
        window,
        title="Save a copy",
        text=NOT_ENCRYPTED,
        yes="&Save…",
        on_yes=lambda: None,
        icon=QMessageBox.Icon.Warning,
    )
    settle(qtbot, window)
    largest = screen_fit.largest_client_size(window)
    problems = cut_off(box, "Save a copy's warning: ")
    if box.width() > largest.width() or box.height() > largest.height():
        problems.append(f"Save a copy's warning: {box.size().toTuple()} > {largest.toTuple()}")
    box.reject()
    assert problems == [], "\n".join(problems)
