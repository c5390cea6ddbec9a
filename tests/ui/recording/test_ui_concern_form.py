"""The guided concern form, walked with real widgets against a real store, read back by a DSL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, QEvent, QPoint, Qt, QTime
from PySide6.QtGui import QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication, QLabel, QWidget, QWizard
from pytestqt.qtbot import QtBot

from conftest import StoreFixture
from safeguard_desktop.services import casework
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.recording import concern_form
from safeguard_desktop.ui.recording.concern_form import ConcernForm
from safeguard_desktop.ui.recording.concern_wizard import ConcernWizard
from safeguard_desktop.ui.recording.recorder_area import RecorderArea
from safeguard_desktop.ui.recording.steps.step_page import (
    ACTIONS,
    BODY,
    CATEGORY,
    CHILDREN,
    DANGER,
    HAPPENED,
    REVIEW,
)
from safeguard_desktop.ui.recording.steps.step_page import WORDS as WORDS_STEP
from safeguard_desktop.ui.widgets.field_hint import FieldHint
from safeguard_desktop.ui.worker import Worker
from ui_store import sign_in

NAMES = ("Zażółć Kowalska", "محمد", "王小明")
OBSERVED = "I think he fell.\nHe had a round bruise, 3 cm, on his left upper arm."
WORDS = "Dad said I'm not allowed to tell 🙊"
WHEN_TYPED = QDateTime(QDate(2024, 3, 5), QTime(14, 30))
# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"
pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)


@pytest.fixture
def worker(qtbot: QtBot) -> Iterator[Worker]:
    """The worker a wizard made on its own reads its notes' files on (a form gives its own)."""
    made = Worker()
    yield made
    made.shutdown()


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key, as a keyboard layout for its script would.

    QTest.keyClicks only handles Latin-1 (other characters abort the process), so the
    key events carry the character itself, as an input method delivers it.
    """
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def open_window(qtbot: QtBot, data_dir: Path) -> MainWindow:
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.resize(1366, 720)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login_page, timeout=10_000)
    return window


def open_form(qtbot: QtBot, window: MainWindow) -> ConcernForm:
    area = window.session_area
    assert isinstance(area, RecorderArea)
    qtbot.mouseClick(area.record_button, Qt.MouseButton.LeftButton)
    form = window.concern_form
    assert form is not None and window.stack.currentWidget() is form
    return form


def click_next(qtbot: QtBot, wizard: QWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def walk(qtbot: QtBot, window: MainWindow, form: ConcernForm, *, danger: bool) -> str:
    """Fill every step, submit, and return the reference the receipt page shows."""
    wizard = form.wizard
    qtbot.waitUntil(lambda: form.stack.currentWidget() is wizard, timeout=5000)
    question = wizard.danger_question_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    # Keyboard only: focus the answer and press space, which answers and goes on.
    answer = question.yes if danger else question.no
    answer.setFocus()
    qtbot.keyClick(answer, Qt.Key.Key_Space)
    if danger:
        assert wizard.currentId() == DANGER
        assert wizard.danger_page.call_line.text() == "Call 999 now"
        next_text = wizard.button(QWizard.WizardButton.NextButton).text()
        assert "continue recording" in next_text
        assert "0100 000 0001" in wizard.danger_page.numbers.text()  # front door, from setup
        assert "Welfare Officer in person" in wizard.danger_page.tell_line.text()
        click_next(qtbot, wizard)
    assert wizard.currentId() == CHILDREN

    children = wizard.children_page
    type_text(children.boxes[0].name, NAMES[0])
    children.boxes[0].dob_radio.setChecked(True)
    children.boxes[0].date_of_birth.setDate(QDate(2015, 6, 1))
    qtbot.mouseClick(children.add_button, Qt.MouseButton.LeftButton)
    type_text(children.boxes[1].name, NAMES[1])
    children.boxes[1].age_radio.setChecked(True)
    children.boxes[1].approximate_age.setValue(9)
    qtbot.keyClicks(children.boxes[1].group, "Under 10s")
    qtbot.mouseClick(children.add_button, Qt.MouseButton.LeftButton)
    type_text(children.boxes[2].name, NAMES[2])
    qtbot.keyClicks(children.boxes[2].additional_needs, "Hearing aid")
    click_next(qtbot, wizard)

    assert wizard.currentId() == HAPPENED
    happened = wizard.happened_page
    happened.occurred_at.setDateTime(WHEN_TYPED)
    qtbot.keyClicks(happened.location, "Changing room, main pitch")
    happened.observed.setPlainText(OBSERVED)
    click_next(qtbot, wizard)
    assert wizard.currentId() == WORDS_STEP
    wizard.words_page.child_words.setPlainText(WORDS)
    wizard.words_page.presentation.setPlainText("Quiet, looked at the floor.")
    wizard.words_page.marks_yes.setChecked(True)
    click_next(qtbot, wizard)

    assert wizard.currentId() == BODY
    canvas = wizard.body_page.editor.canvases["front"]
    rect = canvas.outline_rect()
    point = QPoint(round(rect.x() + rect.width() * 0.22), round(rect.y() + rect.height() * 0.35))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point)
    qtbot.keyClicks(wizard.body_page.editor.note_edit(0), "Round bruise, purple, 3 cm")
    click_next(qtbot, wizard)

    assert wizard.currentId() == ACTIONS
    actions = wizard.actions_page
    actions.others_present.setPlainText("Coach Ben")
    actions.actions_taken.setPlainText("Listened, then came to record this.")
    actions.told_no.setChecked(True)
    click_next(qtbot, wizard)

    assert wizard.currentId() == CATEGORY
    wizard.categories_page.checks["physical_abuse"].setChecked(True)
    wizard.categories_page.checks["other"].setChecked(True)
    click_next(qtbot, wizard)

    assert wizard.currentId() == REVIEW
    review = review_text(wizard)
    for name in NAMES:
        assert name in review
    assert "\u201cDad said I&#x27;m not allowed to tell 🙊\u201d" in review
    assert "Mark 1: right upper arm, front. Round bruise, purple, 3 cm" in review
    page = wizard.review_page
    if form.is_guest:
        # A guest says who they are last, after everything about the child.
        assert page.guest_name is not None and page.guest_role is not None
        finish = wizard.button(QWizard.WizardButton.FinishButton)
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
        assert window.after_page is None
        assert page.field_errors["guest_name"].isVisible()
        assert QApplication.focusWidget() is page.guest_name
        assert page.guest_name.accessibleDescription() == page.field_errors["guest_name"].text()
        qtbot.keyClicks(page.guest_name, "Gail Guest")
        qtbot.keyClicks(page.guest_role, "Visiting coach")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.after_page is not None, timeout=10_000)
    assert window.stack.currentWidget() is window.after_page
    return window.after_page.reference.text().split(": ", 1)[1]


def review_text(wizard: ConcernWizard) -> str:
    return "\n".join(card.words.text() for card in wizard.review_page.cards)


def expected_body(*, danger: bool) -> dict[str, object]:
    return {
        "children": [
            {
                "name": NAMES[0],
                "date_of_birth": "2015-06-01",
                "approximate_age": None,
                "group": "",
                "additional_needs": "",
            },
            {
                "name": NAMES[1],
                "date_of_birth": None,
                "approximate_age": 9,
                "group": "Under 10s",
                "additional_needs": "",
            },
            {
                "name": NAMES[2],
                "date_of_birth": None,
                "approximate_age": None,
                "group": "",
                "additional_needs": "Hearing aid",
            },
        ],
        "occurred_at": "2024-03-05T14:30:00",
        "location": "Changing room, main pitch",
        "categories": ["physical_abuse", "other"],
        "observed": OBSERVED,
        "child_words": WORDS,
        "presentation": "Quiet, looked at the floor.",
        "others_present": "Coach Ben",
        "actions_taken": "Listened, then came to record this.",
        "immediate_danger": danger,
        "told_dsl_in_person": False,
    }


def read_back(store_dir: StoreFixture, ref: str) -> tuple[dict[str, object], dict[str, object]]:
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        stored = casework.open_concern(session, ref)
        return stored.body, stored.submitter
    finally:
        session.lock()


def check_body(body: dict[str, object], *, danger: bool) -> None:
    marks = body.pop("body_map")
    assert body == expected_body(danger=danger)
    assert isinstance(marks, list) and len(marks) == 1
    assert marks[0]["view"] == "front" and marks[0]["note"] == "Round bruise, purple, 3 cm"
    assert marks[0]["x"] == pytest.approx(0.22, abs=0.02)
    assert marks[0]["y"] == pytest.approx(0.35, abs=0.02)


def test_recorder_records_with_immediate_danger_and_is_signed_out(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    window = open_window(qtbot, store_dir.data_dir)
    sign_in(qtbot, window, store_dir.recorder)
    ref = walk(qtbot, window, open_form(qtbot, window), danger=True)
    # Signed out at once: the shared PC shows nothing of the session any more.
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=5000)
    assert window.session is None and window.session_area is None
    assert window.concern_form is None
    assert not window.lock_action.isEnabled()
    after = window.after_page
    assert after is not None
    qtbot.mouseClick(after.done_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.login_page
    assert window.login_page.username.text() == ""

    body, submitter = read_back(store_dir, ref)
    check_body(body, danger=True)
    assert submitter["username"] == "rita"


def test_guest_records_without_danger(qtbot: QtBot, store_dir: StoreFixture) -> None:
    window = open_window(qtbot, store_dir.data_dir)
    login = window.login_page
    assert login.guest_button.isVisible()
    # Straight to the question about danger: nothing is asked first.
    qtbot.mouseClick(login.guest_button, Qt.MouseButton.LeftButton)
    form = window.concern_form
    assert form is not None and form.is_guest
    assert any(
        "your draft is lost if the app closes" in label.text()
        for label in form.findChildren(QLabel)
        if label.isVisible()
    )
    ref = walk(qtbot, window, form, danger=False)
    after = window.after_page
    assert after is not None
    qtbot.mouseClick(after.done_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.login_page

    body, submitter = read_back(store_dir, ref)
    check_body(body, danger=False)
    assert submitter == {"name": "Gail Guest", "role": "Visiting coach", "username": None}


def test_factual_language_is_underlined_and_steps_are_checked(
    qtbot: QtBot, store_dir: StoreFixture, worker: Worker
) -> None:
    wizard = ConcernWizard(Store.open(store_dir.data_dir).organisation, "", worker=worker)
    qtbot.addWidget(wizard)
    wizard.show()
    facts = wizard.happened_page.observed
    facts.setPlainText("He fell. I think it hurt 🙂 probably")
    block = facts.document().firstBlock()
    ranges = [
        r
        for r in block.layout().formats()
        if r.format.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline
    ]
    # Qt counts UTF-16 units: the emoji is two, so "probably" is at 28 (Python says 27).
    assert [(r.start, r.length) for r in ranges] == [(9, 7), (28, 8)]
    assert ranges[0].format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    # The same in words, wherever the cursor is, for anyone who cannot see an underline;
    # the box itself carries it as its description for a screen reader.
    advice = wizard.happened_page.advice.text()
    assert advice.startswith("Noticed 2 phrases that may be opinion or guesswork")
    assert "\u201cI think\u201d: This is your opinion" in advice
    assert "the Welfare Officer will weigh it" in advice and "DSL" not in advice
    assert "\u201cprobably\u201d: This is a guess." in advice
    # The box's own hint first, then what was noticed.
    (hint_line,) = [h for h in wizard.happened_page.findChildren(FieldHint) if h.field is facts]
    hint_text = hint_line.text()
    assert facts.accessibleDescription() == f"{hint_text}\n{advice}"
    assert hint_text.startswith("What you saw, what you heard")
    facts.setPlainText("I think so.")
    assert wizard.happened_page.advice.text().startswith("Noticed 1 phrase that may")
    facts.setPlainText("He fell.")
    assert "Nothing here reads as opinion" in wizard.happened_page.advice.text()
    facts.setPlainText("He fell. I think it hurt 🙂 probably")

    # Never blocks: a step with opinions passes; a step with a real problem does not.
    wizard.danger_question_page.no.setChecked(True)
    wizard.next()
    assert wizard.currentId() == CHILDREN
    wizard.next()  # no name yet
    box = wizard.children_page.boxes[0]
    assert wizard.currentId() == CHILDREN
    assert box.errors["name"].isVisible() and "Child's name" in box.errors["name"].text()
    # The focus is in the field at fault, which says what is wrong with it.
    assert wizard.focusWidget() is box.name
    assert box.name.accessibleDescription() == box.errors["name"].text()
    box.name.setText("Ann")
    box.dob_radio.setChecked(True)
    box.date_of_birth.setDate(QDate.currentDate().addDays(-3))
    wizard.next()
    assert wizard.currentId() == HAPPENED
    assert box.name.accessibleDescription() == ""
    happened = wizard.happened_page
    happened.occurred_at.setDateTime(QDateTime.currentDateTime().addDays(-30))
    wizard.next()
    error = happened.field_errors["occurred_at"]
    assert wizard.currentId() == HAPPENED and "before the date of birth" in error.text()
    happened.occurred_at.setDateTime(QDateTime.currentDateTime())
    wizard.next()  # opinions underlined, but the step passes
    assert wizard.currentId() == WORDS_STEP and not error.isVisible()


def test_body_map_from_the_keyboard(qtbot: QtBot, store_dir: StoreFixture, worker: Worker) -> None:
    wizard = ConcernWizard(Store.open(store_dir.data_dir).organisation, "", worker=worker)
    qtbot.addWidget(wizard)
    editor = wizard.body_page.editor
    back = editor.canvases["back"]
    back.setFocus()
    qtbot.keyClick(back, Qt.Key.Key_Right)
    qtbot.keyClick(back, Qt.Key.Key_Return)
    qtbot.keyClick(back, Qt.Key.Key_Down)
    qtbot.keyClick(back, Qt.Key.Key_Space)
    marks = editor.marks()
    assert [(m["view"], m["x"], m["y"]) for m in marks] == [
        ("back", 0.52, 0.45),
        ("back", 0.52, 0.47),
    ]
    editor.remove_mark(0)
    assert [m["y"] for m in editor.marks()] == [0.47]
    assert "Never photograph a child's injury or ask them to undress." in [
        label.text() for label in editor.findChildren(QLabel)
    ]


def test_draft_is_autosaved_and_offered_back_after_a_lock(
    qtbot: QtBot, store_dir: StoreFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(concern_form, "AUTOSAVE_MS", 100)
    window = open_window(qtbot, store_dir.data_dir)
    sign_in(qtbot, window, store_dir.recorder)
    session = window.session
    assert session is not None
    form = open_form(qtbot, window)
    wizard = form.wizard
    qtbot.waitUntil(lambda: form.stack.currentWidget() is wizard, timeout=5000)
    wizard.danger_question_page.no.setChecked(True)
    click_next(qtbot, wizard)
    type_text(wizard.children_page.boxes[0].name, NAMES[2])

    # The timer saves what was typed since the step change, without any other trigger.
    def saved_name() -> object:
        future = window.worker.submit(session.load_draft)
        qtbot.waitUntil(future.done, timeout=5000)
        draft = future.result()
        return draft["children"][0]["name"] if draft else None  # type: ignore[index]

    qtbot.waitUntil(lambda: saved_name() == NAMES[2], timeout=5000)
    wizard.happened_page.observed.setPlainText("Typed just before the lock")

    window.lock()
    qtbot.waitUntil(lambda: window.concern_form is None and not window.worker.busy, timeout=5000)
    assert session.is_locked

    sign_in(qtbot, window, store_dir.recorder)
    form = open_form(qtbot, window)
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.offer_page, timeout=5000)
    started = datetime.now().strftime("%H:")
    assert form.offer_heading.text().startswith("Continue the concern you started at " + started)
    qtbot.mouseClick(form.continue_button, Qt.MouseButton.LeftButton)
    wizard = form.wizard
    assert form.stack.currentWidget() is wizard
    assert wizard.children_page.boxes[0].name.text() == NAMES[2]
    assert wizard.danger_question_page.no.isChecked()
    assert wizard.happened_page.observed.toPlainText() == "Typed just before the lock"

    # Start again throws the draft away.
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert window.concern_form is None and window.stack.currentWidget() is window.session_area
    form = open_form(qtbot, window)
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.offer_page, timeout=5000)
    qtbot.mouseClick(form.start_again_button, Qt.MouseButton.LeftButton)
    assert form.wizard.children_page.boxes[0].name.text() == ""
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=5000)
    new_session = window.session
    assert new_session is not None
    future = window.worker.submit(new_session.load_draft)
    qtbot.waitUntil(future.done, timeout=5000)
    assert future.result() is None


def test_choosing_how_the_age_is_known_goes_on_into_its_field(
    qtbot: QtBot, store_dir: StoreFixture, worker: Worker
) -> None:
    wizard = ConcernWizard(Store.open(store_dir.data_dir).organisation, "", worker=worker)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5000)
    wizard.danger_question_page.no.setChecked(True)
    wizard.next()
    box = wizard.children_page.boxes[0]
    assert QApplication.focusWidget() is box.name
    # Alt+G: Approximate age; the next key typed is the age, with no Tab between.
    qtbot.keyClick(box.name, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box.approximate_age, timeout=2000)
    assert box.age_radio.isChecked()
    qtbot.keyClicks(box.approximate_age, "9")
    assert box.approximate_age.value() == 9
    # Alt+D: Date of birth, the same way.
    qtbot.keyClick(box.approximate_age, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box.date_of_birth, timeout=2000)
    # The arrow keys still move along the choices, and the focus with them.
    box.dob_radio.setFocus()
    qtbot.keyClick(box.dob_radio, Qt.Key.Key_Right)
    assert box.age_radio.isChecked() and QApplication.focusWidget() is box.age_radio


def test_one_key_answers_the_danger_question_picks_the_day_and_ticks_a_kind(
    qtbot: QtBot, store_dir: StoreFixture, worker: Worker
) -> None:
    """Keys a volunteer is spared (issue 19): the danger question's answer goes on by
    itself, a day's Alt key goes on into the time, a kind of concern's Alt key ticks it."""
    wizard = ConcernWizard(Store.open(store_dir.data_dir).organisation, "", worker=worker)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5000)
    question = wizard.danger_question_page
    # The answers are named by the question, and read with its examples.
    assert question.no.accessibleName() == "Is a child in danger right now: No"
    assert question.no.accessibleDescription().startswith("For example: being hurt")
    # Alt+O: No, and on to the child without Next.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == CHILDREN, timeout=2000)
    assert question.no.isChecked()
    # Back on the question, the answer shows pressed and Next goes on with it.
    wizard.back()
    assert wizard.currentId() != CHILDREN and question.no.isChecked()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    box = wizard.children_page.boxes[0]
    box.name.setText("Sam Example")
    wizard.next()
    assert wizard.currentId() == HAPPENED
    when = wizard.happened_page.occurred_at
    # Alt+Y: Yesterday, and the keyboard goes on into the time.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is when.time, timeout=2000)
    assert when.yesterday.isChecked()
    # Alt+E: Earlier, and on into the date.
    qtbot.keyClick(when.time, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is when.date, timeout=2000)
    # The arrow keys still move along the days, and the focus with them.
    when.today.setChecked(True)
    when.today.setFocus()
    qtbot.keyClick(when.today, Qt.Key.Key_Right)
    assert when.yesterday.isChecked() and QApplication.focusWidget() is when.yesterday
    wizard.happened_page.observed.setPlainText("He fell.")
    wizard.next()
    wizard.words_page.marks_no.setChecked(True)
    wizard.next()
    wizard.actions_page.told_no.setChecked(True)
    wizard.next()
    assert wizard.currentId() == CATEGORY
    checks = wizard.categories_page.checks
    # Alt+E ticks Emotional abuse in one press, and again takes the tick away.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: checks["emotional_abuse"].isChecked(), timeout=2000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not checks["emotional_abuse"].isChecked(), timeout=2000)
    assert wizard.categories_page.selected() == []


# The refusal is also shown as a tooltip by the field, which offscreen Qt cannot raise.
@pytest.mark.qt_log_ignore(DIALOG_WARNING, "does not support raise")
def test_a_date_field_leaves_with_tab_and_refuses_letters_visibly(
    qtbot: QtBot, store_dir: StoreFixture, worker: Worker
) -> None:
    wizard = ConcernWizard(Store.open(store_dir.data_dir).organisation, "", worker=worker)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5000)
    wizard.danger_question_page.no.setChecked(True)
    wizard.next()
    wizard.children_page.boxes[0].name.setText("Ann")
    wizard.next()
    happened = wizard.happened_page
    when = happened.occurred_at
    # Today, Yesterday or Earlier; the date is asked only for Earlier.
    assert QApplication.focusWidget() is when.today
    assert not when.date.isVisible()
    qtbot.keyClick(when.today, Qt.Key.Key_Right)
    assert when.yesterday.isChecked()
    assert when.dateTime().date() == QDate.currentDate().addDays(-1)
    qtbot.keyClick(when.yesterday, Qt.Key.Key_Right)
    assert when.earlier.isChecked() and when.date.isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is when.date
    # Letters are refused where they are seen, and said; Tab leaves after the date,
    # not for its next part, so what is typed next lands in the next field.
    qtbot.keyClicks(when.date, "x")
    assert when.refusal.isVisible() and "day, month and year" in when.refusal.text()
    assert when.date.property("sgRole") == "refused"
    assert "day, month and year" in when.date.accessibleDescription()
    qtbot.keyClicks(when.date, "03022025")
    assert when.date.date() == QDate(2025, 2, 3)
    assert not when.refusal.isVisible() and when.date.property("sgRole") == ""
    qtbot.keyClick(when.date, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is when.time
    qtbot.keyClicks(when.time, "0930")
    qtbot.keyClick(when.time, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is happened.location
    qtbot.keyClicks(QApplication.focusWidget(), "By the pitch")
    assert happened.location.text() == "By the pitch"
    assert when.dateTime() == QDateTime(QDate(2025, 2, 3), QTime(9, 30))


def test_the_step_list_goes_back_and_the_review_says_what_is_empty(
    qtbot: QtBot, store_dir: StoreFixture, worker: Worker
) -> None:
    org = Store.open(store_dir.data_dir).organisation
    wizard = ConcernWizard(org, "It will be sent as from Rita.", worker=worker)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.set_form_data(
        {
            "immediate_danger": False,
            "children": [{"name": "Ann", "age_kind": "unknown"}],
            "observed": "He fell over.",
            "categories": ["other"],
            "told_dsl_in_person": True,
        }
    )
    steps = wizard.steps
    # Steps not reached yet are text, not buttons: Tab never stops on them.
    assert all(row.currentWidget() is row.label for row in steps.rows)
    for _ in range(6):
        wizard.next()
    assert wizard.currentId() == REVIEW
    # Past the body map without a mark, and the written notes without any to send: said
    # so, and not steps to go to.
    for skipped in (4, 6):
        assert "not needed" in steps.rows[skipped].label.text()
        assert steps.rows[skipped].currentWidget() is steps.rows[skipped].label
    reachable = [i for i, row in enumerate(steps.rows) if row.currentWidget() is row.button]
    assert reachable == [0, 1, 2, 3, 5, 7]
    review = wizard.review_page
    missing = {card.page_id: card.missing_line for card in review.cards}
    assert missing[HAPPENED] is not None and "where it happened" in missing[HAPPENED].text()
    assert missing[WORDS_STEP] is not None
    assert "how the child seemed" in missing[WORDS_STEP].text()
    assert missing[ACTIONS] is not None and "what you did" in missing[ACTIONS].text()
    assert review.empty_box.isVisible()
    assert review.empty_sentence.text().startswith("3 steps have something empty")
    assert "Welfare Officer" in review.empty_sentence.text()
    # Change takes the recorder to that step; the list takes them on again, through each
    # step's checks, and back to the review.
    card = next(c for c in review.cards if c.page_id == HAPPENED)
    qtbot.mouseClick(card.change_button, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == HAPPENED
    wizard.happened_page.location.setText("By the pitch")
    steps.button(8).click()
    assert wizard.currentId() == REVIEW
    card = next(c for c in review.cards if c.page_id == HAPPENED)
    assert card.missing_line is None
    assert review.empty_sentence.text().startswith("2 steps have something empty")
    steps.button(1).click()
    assert wizard.currentId() == CHILDREN


def test_a_mark_is_placed_by_naming_the_part_of_the_body(
    qtbot: QtBot, store_dir: StoreFixture, worker: Worker
) -> None:
    wizard = ConcernWizard(Store.open(store_dir.data_dir).organisation, "", worker=worker)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.set_form_data(
        {
            "immediate_danger": False,
            "children": [{"name": "Ann", "age_kind": "unknown"}],
            "observed": "A bruise on his arm.",
            "marks_seen": True,
        }
    )
    for _ in range(4):
        wizard.next()
    assert wizard.currentId() == BODY
    editor = wizard.body_page.editor
    editor.front_radio.setChecked(True)
    editor.part.setCurrentIndex(editor.part.findText("left forearm"))
    qtbot.keyClick(editor.add_button, Qt.Key.Key_Space)
    editor.back_radio.setChecked(True)
    editor.part.setCurrentIndex(editor.part.findText("lower back"))
    qtbot.keyClick(editor.add_button, Qt.Key.Key_Space)
    titles = [row.title.text() for row in editor._rows]
    assert titles == ["Mark 1: left forearm, front", "Mark 2: lower back"]
    marks = editor.marks()
    # The child's left is on the viewer's right on the front outline.
    assert marks[0]["view"] == "front" and marks[0]["x"] > 0.5  # type: ignore[operator]
    # The note wraps and grows as it is typed (once shown: Qt shows a new row queued).
    qtbot.waitUntil(lambda: editor.note_edit(1).isVisible(), timeout=5000)
    note = editor.note_edit(1)
    assert QApplication.focusWidget() is note or wizard.focusWidget() is note
    before = note.height()
    qtbot.keyClicks(note, "A long bruise, yellow and green at the edges, " * 4)
    assert note.height() > before
    assert "Click" not in " ".join(label.text() for label in editor.findChildren(QLabel))
