"""The guided "Record a concern" form, its draft keeping, and the page shown after sending.

Immediate danger is always asked first. Each step is checked on Next by the one gate every
concern passes, ``Concern.from_json``; its sentence is shown beside the field it names.
The unsent form is saved as a draft every 10 seconds and on every step change (an
account's draft encrypted under that account's key; a guest's kept in memory only), and
offered back the next time the form opens. Nothing here reads any record: a recorder can
only send.

Before anything is shown the form asks whether a concern may be sent from here at all
(``check``: the organisation's settings file must be the one the lead signed, and a guest
must be allowed); if not, the sentence is shown in place of the form
(``recording_refused.py``) and the draft is left as it is.
"""

from __future__ import annotations

import contextlib
import html
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Protocol

from PySide6.QtCore import QDate, QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from safeguard_desktop.domain.categories import CATEGORIES, category
from safeguard_desktop.domain.concern import (
    MAX_APPROXIMATE_AGE,
    MAX_GROUP_LENGTH,
    MAX_LOCATION_LENGTH,
    Concern,
)
from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.errors import BadInput, SafeguardError, StoreTampered
from safeguard_desktop.domain.factual_language import find_opinions
from safeguard_desktop.domain.organisation import Organisation
from safeguard_desktop.domain.text import (
    FIELD_LABELS,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    display_safe,
)

from .body_map import BodyMapEditor
from .data_folder_alarms.recording_refused import RecordingRefusedPage
from .recorder_area import contacts_html
from .theme import (
    BUTTON_MIN_HEIGHT,
    MessageLine,
    banner,
    card,
    heading,
    hint,
    paragraph,
    readable_column,
    taller,
    text_width,
    urgent_line,
)
from .widgets.form_fields import text_box
from .widgets.steps_panel import StepsPanel
from .widgets.wizard_page import FieldsPage, bring_into_view
from .worker import Failure, Worker

log = logging.getLogger(__name__)

AUTOSAVE_MS = 10_000
DRAFT_FORMAT = "safeguard-desktop-form-draft"

# Page ids, in order. The danger instructions are shown only after a "yes".
DANGER_QUESTION, DANGER, CHILDREN, WHEN, FACTS, WORDS, ACTIONS, CATEGORY, BODY, REVIEW = range(10)
# Which step in the side panel each page belongs to.
_STEP_OF_PAGE = {DANGER_QUESTION: 0, DANGER: 0, **{page: page - 1 for page in range(CHILDREN, 10)}}
# The concern's top-level fields, by the page that asks for them.
_PAGE_FIELDS: dict[int, tuple[str, ...]] = {
    DANGER_QUESTION: ("immediate_danger",),
    CHILDREN: ("children",),
    WHEN: ("occurred_at", "location"),
    FACTS: ("observed",),
    WORDS: ("child_words", "presentation"),
    ACTIONS: ("others_present", "actions_taken", "told_dsl_in_person"),
    CATEGORY: ("categories",),
    BODY: ("body_map",),
}


class DraftKeeper(Protocol):
    """Where an unsent form is kept: an account Session, or GuestDrafts."""

    def save_draft(self, data: dict[str, object]) -> None: ...
    def load_draft(self) -> dict[str, object] | None: ...
    def discard_draft(self) -> None: ...


class GuestDrafts:
    """A guest's draft: in memory only, gone when the form or the app closes."""

    def __init__(self) -> None:
        self._data: dict[str, object] | None = None

    def save_draft(self, data: dict[str, object]) -> None:
        self._data = dict(data)

    def load_draft(self) -> dict[str, object] | None:
        return None if self._data is None else dict(self._data)

    def discard_draft(self) -> None:
        self._data = None


def _utf16(text: str, index: int) -> int:
    """A Python string index as the UTF-16 position Qt counts in (emoji take two)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _has_astral(text: str) -> bool:
    return any(ord(char) > 0xFFFF for char in text)


class FactualHighlighter(QSyntaxHighlighter):
    """A wavy underline under opinion and speculation, as a spelling checker would."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.format = QTextCharFormat()
        self.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.format.setUnderlineColor(QColor("#c46a00"))

    def highlightBlock(self, text: str) -> None:
        astral = _has_astral(text)
        for match in find_opinions(text):
            start, end = match.start, match.end
            if astral:
                start, end = _utf16(text, start), _utf16(text, end)
            self.setFormat(start, end - start, self.format)


def opinion_hint_at(text: str, position: int) -> tuple[str, str] | None:
    """(phrase as typed, hint) for the phrase at the cursor ``position`` (UTF-16), if any."""
    astral = _has_astral(text)
    for match in find_opinions(text):
        start, end = match.start, match.end
        if astral:
            start, end = _utf16(text, start), _utf16(text, end)
        if start <= position <= end:
            return text[match.start : match.end], match.hint
    return None


def _labelled(layout: QVBoxLayout, text: str, widget: QWidget, error_name: str) -> MessageLine:
    """A label with a mnemonic, the field, and its one-sentence error line under it."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget)
    error = MessageLine(error_name)
    layout.addWidget(error)
    # A sentence about what was typed goes once the text is changed.
    changed = getattr(widget, "dateTimeChanged", None) or getattr(widget, "textChanged", None)
    if changed is not None:
        changed.connect(error.clear_message)
    return error


def _yes_no(
    parent: QWidget, yes: str, no: str, accessible: str
) -> tuple[QRadioButton, QRadioButton, QButtonGroup]:
    group = QButtonGroup(parent)
    yes_radio, no_radio = QRadioButton(yes), QRadioButton(no)
    for radio, word in ((yes_radio, "Yes"), (no_radio, "No")):
        radio.setAccessibleName(f"{accessible}: {word}")
        radio.setMinimumHeight(BUTTON_MIN_HEIGHT - 4)
        group.addButton(radio)
    return yes_radio, no_radio, group


def _answer(yes: QRadioButton, no: QRadioButton) -> bool | None:
    if yes.isChecked():
        return True
    if no.isChecked():
        return False
    return None


def _set_answer(yes: QRadioButton, no: QRadioButton, group: QButtonGroup, value: object) -> None:
    # Exclusive groups cannot be cleared one button at a time.
    group.setExclusive(False)
    yes.setChecked(value is True)
    no.setChecked(value is False)
    group.setExclusive(True)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


# Pages ---------------------------------------------------------------------------------


class _FormPage(FieldsPage):
    """A page of the concern form; its fields are named by JSON path ("children.0.name")."""

    def concern_form(self) -> ConcernWizard:
        wizard = self.wizard()
        assert isinstance(wizard, ConcernWizard)
        return wizard

    def validatePage(self) -> bool:
        return self.concern_form().check_page(self)


class DangerQuestionPage(_FormPage):
    def __init__(self, org: Organisation) -> None:
        super().__init__()
        self.set_title(self.tr("Is a child in immediate danger right now?"))
        layout = self.body_layout
        layout.addWidget(
            paragraph(
                self.tr(
                    "For example: a child is being hurt, is about to be taken somewhere "
                    "unsafe, has run away, or has said they will harm themselves today."
                )
            )
        )
        self.yes, self.no, self.group = _yes_no(
            self,
            self.tr("&Yes, a child is in immediate danger"),
            self.tr("&No, not right now"),
            self.tr("Is a child in immediate danger right now"),
        )
        layout.addWidget(self.yes)
        layout.addWidget(self.no)
        self.field_widgets["immediate_danger"] = self.yes
        self.field_errors["immediate_danger"] = MessageLine(self.tr("Problem with this answer"))
        layout.addWidget(self.field_errors["immediate_danger"])
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_: self.completeChanged.emit())

    def isComplete(self) -> bool:
        return self.yes.isChecked() or self.no.isChecked()

    def nextId(self) -> int:
        return DANGER if self.yes.isChecked() else CHILDREN


class DangerPage(_FormPage):
    """Full-window instructions: call 999, the local numbers, then tell the lead."""

    def __init__(self, org: Organisation) -> None:
        super().__init__()
        self.set_title(self.tr("A child is in danger: act now"))
        layout = self.body_layout
        call = urgent_line(
            self.tr("Call {emergency} now").format(emergency=org.contacts.emergency), 2.6
        )
        self.call_line = call
        layout.addWidget(call)
        layout.addWidget(
            paragraph(
                self.tr(
                    "Ask for the police, or an ambulance if the child is hurt. Stay with the "
                    "child if it is safe to do so."
                )
            )
        )
        lead = org.org_type.lead_title
        tell = heading(
            self.tr("Then tell the {lead} in person, straight away.").format(lead=lead), level=2
        )
        self.tell_line = tell
        layout.addWidget(tell)
        numbers_card = card()
        numbers_layout = QVBoxLayout(numbers_card)
        numbers_layout.setContentsMargins(20, 14, 20, 14)
        numbers_layout.addWidget(heading(self.tr("Local numbers"), level=2))
        numbers = paragraph(contacts_html(org.contacts))
        numbers.setAccessibleName(self.tr("Local numbers"))
        self.numbers = numbers
        numbers_layout.addWidget(numbers)
        layout.addWidget(numbers_card)
        layout.addWidget(
            hint(
                self.tr(
                    "When you have called, record what happened here. It goes straight to "
                    "the {lead}."
                ).format(lead=lead)
            )
        )
        layout.addStretch(1)
        self.setButtonText(
            QWizard.WizardButton.NextButton, self.tr("&I have called, continue recording")
        )

    def nextId(self) -> int:
        return CHILDREN


class ChildBox(QGroupBox):
    """One child: name, date of birth or approximate age, group, additional needs."""

    remove_requested = Signal(object)

    def __init__(self, number: int) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        self.errors: dict[str, MessageLine] = {}
        self.widgets: dict[str, QWidget] = {}

        self.name = QLineEdit()
        self.name.setMaxLength(MAX_NAME_LENGTH)
        self.errors["name"] = _labelled(layout, self.tr("Child's &name"), self.name, "")
        self.widgets["name"] = self.name

        age_row = QHBoxLayout()
        age_row.setSpacing(18)
        self.age_group = QButtonGroup(self)
        self.dob_radio = QRadioButton(self.tr("&Date of birth"))
        self.age_radio = QRadioButton(self.tr("Approximate a&ge"))
        self.unknown_radio = QRadioButton(self.tr("Age not &known"))
        for radio in (self.dob_radio, self.age_radio, self.unknown_radio):
            self.age_group.addButton(radio)
            age_row.addWidget(radio)
        age_row.addStretch(1)
        self.unknown_radio.setChecked(True)
        layout.addLayout(age_row)

        fields_row = QHBoxLayout()
        self.date_of_birth = QDateEdit()
        self.date_of_birth.setCalendarPopup(True)
        self.date_of_birth.setDisplayFormat("dd/MM/yyyy")
        self.date_of_birth.setMinimumDate(QDate(1900, 1, 1))
        self.date_of_birth.setMaximumDate(QDate.currentDate())
        self.date_of_birth.setDate(QDate.currentDate().addYears(-10))
        self.approximate_age = QSpinBox()
        self.approximate_age.setRange(0, MAX_APPROXIMATE_AGE)
        self.approximate_age.setValue(10)
        self.approximate_age.setSuffix(self.tr(" years"))
        fields_row.addWidget(self.date_of_birth)
        fields_row.addWidget(self.approximate_age)
        fields_row.addStretch(1)
        layout.addLayout(fields_row)
        self.errors["date_of_birth"] = MessageLine("")
        self.errors["approximate_age"] = MessageLine("")
        layout.addWidget(self.errors["date_of_birth"])
        layout.addWidget(self.errors["approximate_age"])
        self.widgets["date_of_birth"] = self.date_of_birth
        self.widgets["approximate_age"] = self.approximate_age

        self.group = QLineEdit()
        self.group.setMaxLength(MAX_GROUP_LENGTH)
        self.errors["group"] = _labelled(layout, self.tr("Group, class or &team"), self.group, "")
        self.widgets["group"] = self.group

        self.additional_needs = QLineEdit()
        self.additional_needs.setMaxLength(MAX_TEXT_LENGTH)
        self.errors["additional_needs"] = _labelled(
            layout, self.tr("Known additional &needs (if any)"), self.additional_needs, ""
        )
        self.widgets["additional_needs"] = self.additional_needs

        self.remove_button = QPushButton(self.tr("Remove this child"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.age_group.buttonToggled.connect(lambda *_: self._age_kind_changed())
        self.set_number(number)
        self._age_kind_changed()

    def set_number(self, number: int) -> None:
        self.number = number
        self.setTitle(self.tr("Child {n}").format(n=number))
        self.setAccessibleName(self.tr("Child {n}").format(n=number))
        names = {
            "name": self.tr("Child's name"),
            "date_of_birth": self.tr("Date of birth"),
            "approximate_age": self.tr("Approximate age"),
            "group": self.tr("Group, class or team"),
            "additional_needs": self.tr("Known additional needs"),
        }
        suffix = self.tr(", child {n}").format(n=number)
        for key, widget in self.widgets.items():
            widget.setAccessibleName(names[key] + suffix)
            self.errors[key].setAccessibleName(
                self.tr("Problem with {field}").format(field=names[key] + suffix)
            )
        self.dob_radio.setAccessibleName(self.tr("Date of birth known") + suffix)
        self.age_radio.setAccessibleName(self.tr("Approximate age") + suffix)
        self.unknown_radio.setAccessibleName(self.tr("Age not known") + suffix)
        self.remove_button.setAccessibleName(self.tr("Remove child {n}").format(n=number))

    def _age_kind_changed(self) -> None:
        self.date_of_birth.setVisible(self.dob_radio.isChecked())
        self.approximate_age.setVisible(self.age_radio.isChecked())

    def age_kind(self) -> str:
        if self.dob_radio.isChecked():
            return "dob"
        if self.age_radio.isChecked():
            return "age"
        return "unknown"

    def form_data(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "age_kind": self.age_kind(),
            "date_of_birth": self.date_of_birth.date().toString("yyyy-MM-dd"),
            "approximate_age": self.approximate_age.value(),
            "group": self.group.text(),
            "additional_needs": self.additional_needs.text(),
        }

    def set_form_data(self, data: dict[str, object]) -> None:
        self.name.setText(_str(data.get("name")))
        kind = data.get("age_kind")
        {"dob": self.dob_radio, "age": self.age_radio}.get(
            str(kind), self.unknown_radio
        ).setChecked(True)
        born = QDate.fromString(_str(data.get("date_of_birth")), "yyyy-MM-dd")
        if born.isValid():
            self.date_of_birth.setDate(born)
        age = data.get("approximate_age")
        if isinstance(age, int) and not isinstance(age, bool):
            self.approximate_age.setValue(age)
        self.group.setText(_str(data.get("group")))
        self.additional_needs.setText(_str(data.get("additional_needs")))


class ChildrenPage(_FormPage):
    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("The child"))
        self.setSubTitle(
            self.tr("Who is this about? Add another child if the concern is about more than one.")
        )
        self.boxes: list[ChildBox] = []
        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(12)
        self.body_layout.addLayout(self.list_layout)
        self.add_button = QPushButton(self.tr("&Add another child"))
        self.add_button.setAccessibleName(self.tr("Add another child"))
        self.add_button.clicked.connect(lambda: self.add_child(focus=True))
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        self.body_layout.addLayout(row)
        self.body_layout.addWidget(self.page_error)
        self.body_layout.addStretch(1)
        self.add_child()

    def add_child(self, focus: bool = False) -> ChildBox:
        box = ChildBox(len(self.boxes) + 1)
        box.remove_requested.connect(self._remove)
        self.boxes.append(box)
        self.list_layout.addWidget(box)
        self._renumber()
        if focus:
            box.name.setFocus()
        return box

    def _remove(self, box: object) -> None:
        if box in self.boxes and len(self.boxes) > 1:
            self.boxes.remove(box)  # type: ignore[arg-type]
            assert isinstance(box, ChildBox)
            box.hide()
            box.deleteLater()
            self._renumber()
            self.boxes[-1].name.setFocus()

    def _renumber(self) -> None:
        for number, box in enumerate(self.boxes, 1):
            box.set_number(number)
            box.remove_button.setVisible(len(self.boxes) > 1)

    def form_data(self) -> list[dict[str, object]]:
        return [box.form_data() for box in self.boxes]

    def set_form_data(self, children: list[dict[str, object]]) -> None:
        while len(self.boxes) > 1:
            self._remove(self.boxes[-1])
        for index, child in enumerate(children or [{}]):
            box = self.boxes[0] if index == 0 else self.add_child()
            box.set_form_data(child)

    def clear_errors(self) -> None:
        super().clear_errors()
        for box in self.boxes:
            for line in box.errors.values():
                line.clear_message()

    def show_error(self, field: str, sentence: str) -> None:
        # "children[1].date_of_birth" -> child box 1, its date of birth line.
        if field.startswith("children[") and "]." in field:
            index_text, key = field[len("children[") :].split("].", 1)
            if index_text.isdigit() and int(index_text) < len(self.boxes):
                box = self.boxes[int(index_text)]
                if key in box.errors:
                    box.errors[key].show_error(sentence)
                    box.widgets[key].setFocus()
                    bring_into_view(box.errors[key])
                    return
        super().show_error(field, sentence)


class WhenWherePage(_FormPage):
    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("When and where"))
        layout = self.body_layout
        self.occurred_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.occurred_at.setCalendarPopup(True)
        self.occurred_at.setDisplayFormat("dd/MM/yyyy  HH:mm")
        self.occurred_at.setAccessibleName(self.tr("When it happened"))
        self.occurred_at.setMaximumWidth(text_width(28))
        self.field_errors["occurred_at"] = _labelled(
            layout,
            self.tr("&When did it happen, or when did you notice it?"),
            self.occurred_at,
            self.tr("Problem with when it happened"),
        )
        layout.addWidget(hint(self.tr("It starts at now; change it if it was earlier.")))
        self.location = QLineEdit()
        self.location.setMaxLength(MAX_LOCATION_LENGTH)
        self.location.setAccessibleName(self.tr("Where it happened"))
        self.location.setPlaceholderText(
            self.tr("For example: the changing room at the main pitch")
        )
        self.field_errors["location"] = _labelled(
            layout,
            self.tr("Whe&re did it happen?"),
            self.location,
            self.tr("Problem with where it happened"),
        )
        self.field_widgets.update(occurred_at=self.occurred_at, location=self.location)
        layout.addWidget(self.page_error)
        layout.addStretch(1)


class FactsPage(_FormPage):
    def __init__(self, org: Organisation) -> None:
        super().__init__()
        self.set_title(self.tr("What you saw and heard"))
        self._lead = org.org_type.lead_title
        layout = self.body_layout
        layout.addWidget(
            paragraph(
                self.tr(
                    "Write down what happened, in order, as plainly as you can: what you saw, "
                    "what you heard and who said what."
                )
            )
        )
        self.observed = text_box(self.tr("What you saw and heard"), 9)
        self.highlighter = FactualHighlighter(self.observed.document())
        self.field_errors["observed"] = _labelled(
            layout,
            self.tr("What you &saw and heard"),
            self.observed,
            self.tr("Problem with what you saw and heard"),
        )
        self.field_widgets["observed"] = self.observed
        self.advice = hint()
        self.advice.setAccessibleName(self.tr("Advice on wording"))
        layout.addWidget(self.advice)
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.observed.cursorPositionChanged.connect(self._update_advice)
        self.observed.textChanged.connect(self._update_advice)
        self._update_advice()

    def _update_advice(self) -> None:
        base = self.tr("Record what you saw and heard; leave conclusions to the {lead}.").format(
            lead=self._lead
        )
        found = opinion_hint_at(self.observed.toPlainText(), self.observed.textCursor().position())
        if found is None:
            self.advice.setText(base)
        else:
            phrase, advice = found
            advice = advice.replace("the DSL", self.tr("the {lead}").format(lead=self._lead))
            self.advice.setText(
                self.tr("{base} \u201c{phrase}\u201d: {advice}").format(
                    base=base, phrase=display_safe(phrase), advice=advice
                )
            )
        self.advice.setAccessibleDescription(self.advice.text())


class WordsPage(_FormPage):
    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("The child's own words"))
        layout = self.body_layout
        self.child_words = text_box(self.tr("The child's own words"), 5)
        self.field_errors["child_words"] = _labelled(
            layout,
            self.tr("What did the child &say, in their own words?"),
            self.child_words,
            self.tr("Problem with the child's own words"),
        )
        layout.addWidget(
            hint(
                self.tr(
                    "Write their exact words, even if they are rude or misspoken. They are kept "
                    "exactly as you type them and printed in quotes. Leave it empty if the "
                    "child said nothing."
                )
            )
        )
        self.presentation = text_box(self.tr("How the child seemed"), 4)
        self.field_errors["presentation"] = _labelled(
            layout,
            self.tr("How did the child &look and behave?"),
            self.presentation,
            self.tr("Problem with how the child seemed"),
        )
        layout.addWidget(
            hint(self.tr("For example: crying, quiet, clothes torn, flinched when touched."))
        )
        self.field_widgets.update(child_words=self.child_words, presentation=self.presentation)
        layout.addWidget(self.page_error)
        layout.addStretch(1)


class ActionsPage(_FormPage):
    def __init__(self, org: Organisation) -> None:
        super().__init__()
        self.set_title(self.tr("Who was there and what you did"))
        layout = self.body_layout
        lead = org.org_type.lead_title
        self.others_present = text_box(self.tr("Who else was there"), 3)
        self.field_errors["others_present"] = _labelled(
            layout,
            self.tr("Who &else was there?"),
            self.others_present,
            self.tr("Problem with who else was there"),
        )
        self.actions_taken = text_box(self.tr("What you did"), 4)
        self.field_errors["actions_taken"] = _labelled(
            layout,
            self.tr("What &did you do?"),
            self.actions_taken,
            self.tr("Problem with what you did"),
        )
        question = QLabel(self.tr("Have you already told the {lead} in person?").format(lead=lead))
        question.setWordWrap(True)
        layout.addWidget(question)
        self.told_yes, self.told_no, self.told_group = _yes_no(
            self,
            self.tr("Yes, I have told them"),
            self.tr("No, not yet"),
            self.tr("Already told the {lead} in person").format(lead=lead),
        )
        row = QHBoxLayout()
        row.addWidget(self.told_yes)
        row.addWidget(self.told_no)
        row.addStretch(1)
        layout.addLayout(row)
        self.field_errors["told_dsl_in_person"] = MessageLine(self.tr("Problem with this answer"))
        layout.addWidget(self.field_errors["told_dsl_in_person"])
        self.field_widgets.update(
            others_present=self.others_present,
            actions_taken=self.actions_taken,
            told_dsl_in_person=self.told_yes,
        )
        layout.addWidget(self.page_error)
        layout.addStretch(1)


class CategoriesPage(_FormPage):
    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("What kind of concern is it?"))
        self.setSubTitle(self.tr("Tick every one that may apply. If you are not sure, tick Other."))
        layout = self.body_layout
        layout.setSpacing(6)
        self.checks: dict[str, QCheckBox] = {}
        for item in CATEGORIES:
            check = QCheckBox(self.tr(item.label))
            check.setAccessibleName(self.tr(item.label))
            check.setAccessibleDescription(self.tr(item.guidance))
            guidance = hint(self.tr(item.guidance))
            guidance.setContentsMargins(30, 0, 0, 6)
            layout.addWidget(check)
            layout.addWidget(guidance)
            self.checks[item.id] = check
        self.field_errors["categories"] = MessageLine(self.tr("Problem with the categories"))
        self.field_widgets["categories"] = self.checks[CATEGORIES[0].id]
        layout.addWidget(self.field_errors["categories"])
        layout.addWidget(self.page_error)
        layout.addStretch(1)

    def show_error(self, field: str, sentence: str) -> None:
        super().show_error("categories" if field.startswith("categories") else field, sentence)

    def selected(self) -> list[str]:
        return [cid for cid, check in self.checks.items() if check.isChecked()]


class BodyMapPage(_FormPage):
    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("Body map"))
        # Wider than text: two outlines and the notes beside them.
        self.body.setMaximumWidth(text_width(130))
        self.editor = BodyMapEditor()
        self.body_layout.addWidget(self.editor)
        self.body_layout.addWidget(self.page_error)
        self.body_layout.addStretch(1)

    def show_error(self, field: str, sentence: str) -> None:
        self.page_error.show_error(sentence)


class ReviewPage(_FormPage):
    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("Check and send"))
        self.record = QLabel()
        self.record.setWordWrap(True)
        self.record.setAccessibleName(self.tr("The whole record"))
        self.body_layout.addWidget(self.record)
        self.sender_line = hint()
        self.body_layout.addWidget(self.sender_line)
        self.body_layout.addWidget(self.page_error)
        self.body_layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Submit"))

    def initializePage(self) -> None:
        form = self.concern_form()
        self.setSubTitle(
            self.tr("This is what the {lead} will read. Go Back to change anything.").format(
                lead=form.org.org_type.lead_title
            )
        )
        self.record.setText(form.review_html())
        self.sender_line.setText(form.sender_sentence)
        self.clear_errors()

    def validatePage(self) -> bool:
        # Sending is slow (sealing, fsync): it runs on the worker; the page stays until done.
        self.concern_form().submit_requested.emit()
        return False


class ConcernWizard(QWizard):
    """The steps of the form. ``submit_requested`` when Submit is pressed on the review."""

    submit_requested = Signal()
    stop_requested = Signal()

    def __init__(
        self, org: Organisation, sender_sentence: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.org = org
        self.sender_sentence = sender_sentence
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setTitleFormat(Qt.TextFormat.RichText)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.CancelButtonOnLeft, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("&Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Stop for &now"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Submit"))
        self.setAccessibleName(self.tr("Record a concern"))

        self.danger_question_page = DangerQuestionPage(org)
        self.danger_page = DangerPage(org)
        self.children_page = ChildrenPage()
        self.when_page = WhenWherePage()
        self.facts_page = FactsPage(org)
        self.words_page = WordsPage()
        self.actions_page = ActionsPage(org)
        self.categories_page = CategoriesPage()
        self.body_page = BodyMapPage()
        self.review_page = ReviewPage()
        self.form_pages: dict[int, _FormPage] = {
            DANGER_QUESTION: self.danger_question_page,
            DANGER: self.danger_page,
            CHILDREN: self.children_page,
            WHEN: self.when_page,
            FACTS: self.facts_page,
            WORDS: self.words_page,
            ACTIONS: self.actions_page,
            CATEGORY: self.categories_page,
            BODY: self.body_page,
            REVIEW: self.review_page,
        }
        for page_id, page in self.form_pages.items():
            self.setPage(page_id, page)
        self.steps = StepsPanel(
            [
                self.tr("Immediate danger"),
                self.tr("The child"),
                self.tr("When and where"),
                self.tr("What you saw and heard"),
                self.tr("The child's own words"),
                self.tr("What you did"),
                self.tr("Kind of concern"),
                self.tr("Body map"),
                self.tr("Check and send"),
            ]
        )
        self.steps.setFixedWidth(text_width(24))
        self.setSideWidget(self.steps)
        self.currentIdChanged.connect(
            lambda page_id: self.steps.set_current(_STEP_OF_PAGE.get(page_id, 0))
        )
        self.steps.set_current(0)
        names = {
            QWizard.WizardButton.NextButton: self.tr("Next"),
            QWizard.WizardButton.BackButton: self.tr("Back"),
            QWizard.WizardButton.CancelButton: self.tr("Stop for now"),
            QWizard.WizardButton.FinishButton: self.tr("Submit"),
        }
        for which, name in names.items():
            button = self.button(which)
            button.setMinimumHeight(BUTTON_MIN_HEIGHT)
            button.setMinimumWidth(120)
            button.setAccessibleName(name)

    def reject(self) -> None:
        # Escape or "Stop for now": the embedding form decides (it keeps the draft).
        self.stop_requested.emit()

    # The data --------------------------------------------------------------------------

    def form_data(self) -> dict[str, object]:
        """Everything typed so far, as kept in a draft (wider than a concern)."""
        return {
            "immediate_danger": _answer(
                self.danger_question_page.yes, self.danger_question_page.no
            ),
            "children": self.children_page.form_data(),
            "occurred_at": self.when_page.occurred_at.dateTime().toString("yyyy-MM-ddTHH:mm"),
            "location": self.when_page.location.text(),
            "observed": self.facts_page.observed.toPlainText(),
            "child_words": self.words_page.child_words.toPlainText(),
            "presentation": self.words_page.presentation.toPlainText(),
            "others_present": self.actions_page.others_present.toPlainText(),
            "actions_taken": self.actions_page.actions_taken.toPlainText(),
            "told_dsl_in_person": _answer(self.actions_page.told_yes, self.actions_page.told_no),
            "categories": self.categories_page.selected(),
            "body_map": self.body_page.editor.marks(),
        }

    def set_form_data(self, data: dict[str, object]) -> None:
        question = self.danger_question_page
        _set_answer(question.yes, question.no, question.group, data.get("immediate_danger"))
        children = data.get("children")
        if isinstance(children, list):
            self.children_page.set_form_data([c for c in children if isinstance(c, dict)])
        when = QDateTime.fromString(_str(data.get("occurred_at")), "yyyy-MM-ddTHH:mm")
        if when.isValid():
            self.when_page.occurred_at.setDateTime(when)
        self.when_page.location.setText(_str(data.get("location")))
        self.facts_page.observed.setPlainText(_str(data.get("observed")))
        self.words_page.child_words.setPlainText(_str(data.get("child_words")))
        self.words_page.presentation.setPlainText(_str(data.get("presentation")))
        self.actions_page.others_present.setPlainText(_str(data.get("others_present")))
        self.actions_page.actions_taken.setPlainText(_str(data.get("actions_taken")))
        actions = self.actions_page
        _set_answer(
            actions.told_yes, actions.told_no, actions.told_group, data.get("told_dsl_in_person")
        )
        chosen = data.get("categories")
        for cid, check in self.categories_page.checks.items():
            check.setChecked(isinstance(chosen, list) and cid in chosen)
        marks = data.get("body_map")
        if isinstance(marks, list):
            self.body_page.editor.set_marks([m for m in marks if isinstance(m, dict)])

    def concern_json(self) -> dict[str, object]:
        """The form as the concern JSON that ``Concern.from_json`` checks."""
        data = self.form_data()
        children = []
        for child in data["children"]:  # type: ignore[attr-defined]
            kind = child["age_kind"]
            children.append(
                {
                    "name": child["name"],
                    "date_of_birth": child["date_of_birth"] if kind == "dob" else None,
                    "approximate_age": child["approximate_age"] if kind == "age" else None,
                    "group": child["group"],
                    "additional_needs": child["additional_needs"],
                }
            )
        data["children"] = children
        data["told_dsl_in_person"] = bool(data["told_dsl_in_person"])
        return data

    # Checking ----------------------------------------------------------------------------

    def check_page(self, page: _FormPage) -> bool:
        """Run the concern's own rules over what is filled in so far; show the first problem."""
        page_id = self.currentId()
        page.clear_errors()
        if (
            page_id == ACTIONS
            and _answer(self.actions_page.told_yes, self.actions_page.told_no) is None
        ):
            page.show_error(
                "told_dsl_in_person",
                self.tr("Please answer whether you have already told the {lead} in person.").format(
                    lead=self.org.org_type.lead_title
                ),
            )
            return False
        if page_id in (DANGER_QUESTION, DANGER):
            return True
        data = self.concern_json()
        # Steps not reached yet get values known to pass, so only what has been asked is judged.
        later = {key for pid, keys in _PAGE_FIELDS.items() if pid > page_id for key in keys}
        placeholders: dict[str, object] = {
            "observed": "-",
            "categories": ["other"],
            "occurred_at": datetime.now().isoformat(timespec="minutes"),
        }
        for key in later:
            if key in placeholders:
                data[key] = placeholders[key]
        try:
            Concern.from_json(data, now=datetime.now())
        except BadInput as err:
            field = err.field or ""
            top = field.split("[", 1)[0].split(".", 1)[0]
            owner = next((pid for pid, keys in _PAGE_FIELDS.items() if top in keys), page_id)
            if owner == page_id:
                page.show_error(field, str(err))
            else:
                page.page_error.show_error(str(err))
            return False
        return True

    def build_concern(self) -> Concern:
        return Concern.from_json(self.concern_json(), now=datetime.now())

    def review_html(self) -> str:
        """The whole record laid out as the lead will see it, every text made display-safe."""
        data = self.concern_json()
        lead = self.org.org_type.lead_title

        def text(value: object) -> str:
            shown = display_safe(_str(value)).strip()
            if not shown:
                return f"<i>{html.escape(self.tr('Nothing written'))}</i>"
            return html.escape(shown).replace("\n", "<br>")

        def row(label: str, value_html: str) -> str:
            return f"<p style='margin:0 0 10px 0'><b>{html.escape(label)}</b><br>{value_html}</p>"

        parts = []
        danger = data["immediate_danger"]
        parts.append(
            row(
                self.tr("Is a child in immediate danger"),
                html.escape(self.tr("Yes") if danger else self.tr("No")),
            )
        )
        for number, child in enumerate(data["children"], 1):  # type: ignore[arg-type]
            facts = [text(child["name"])]
            if child["date_of_birth"]:
                born = date.fromisoformat(child["date_of_birth"])
                facts.append(html.escape(self.tr("born {date}").format(date=long_date(born))))
            elif child["approximate_age"] is not None:
                facts.append(
                    html.escape(self.tr("about {n} years old").format(n=child["approximate_age"]))
                )
            if child["group"]:
                facts.append(text(child["group"]))
            if child["additional_needs"]:
                facts.append(
                    html.escape(self.tr("additional needs:"))
                    + " "
                    + text(child["additional_needs"])
                )
            parts.append(row(self.tr("Child {n}").format(n=number), "; ".join(facts)))
        when = datetime.fromisoformat(str(data["occurred_at"]))
        parts.append(
            row(self.tr(FIELD_LABELS["occurred_at"]), html.escape(when.strftime("%d/%m/%Y %H:%M")))
        )
        parts.append(row(self.tr(FIELD_LABELS["location"]), text(data["location"])))
        parts.append(row(self.tr(FIELD_LABELS["observed"]), text(data["observed"])))
        words = display_safe(_str(data["child_words"])).strip()
        parts.append(
            row(
                self.tr(FIELD_LABELS["child_words"]),
                f"\u201c{html.escape(words).replace(chr(10), '<br>')}\u201d" if words else text(""),
            )
        )
        for key in ("presentation", "others_present", "actions_taken"):
            parts.append(row(self.tr(FIELD_LABELS[key]), text(data[key])))
        parts.append(
            row(
                self.tr("Already told the {lead} in person").format(lead=lead),
                html.escape(self.tr("Yes") if data["told_dsl_in_person"] else self.tr("No")),
            )
        )
        labels = [html.escape(self.tr(category(cid).label)) for cid in data["categories"]]  # type: ignore[attr-defined]
        parts.append(row(self.tr(FIELD_LABELS["categories"]), "<br>".join(labels) or text("")))
        marks = data["body_map"]
        if marks:
            lines = []
            for number, mark in enumerate(marks, 1):  # type: ignore[arg-type]
                side = self.tr("front") if mark["view"] == "front" else self.tr("back")
                note = display_safe(_str(mark.get("note"))).strip()
                lines.append(
                    html.escape(self.tr("Mark {n} ({side})").format(n=number, side=side))
                    + (": " + html.escape(note) if note else "")
                )
            parts.append(row(self.tr(FIELD_LABELS["body_map"]), "<br>".join(lines)))
        else:
            parts.append(row(self.tr(FIELD_LABELS["body_map"]), html.escape(self.tr("No marks"))))
        return "".join(parts)


# The form around the wizard --------------------------------------------------------------


def _send(submit: Callable[[Concern], str], drafts: DraftKeeper, concern: Concern) -> str:
    """On the worker: seal the concern, then drop the draft (it has been sent)."""
    ref = submit(concern)
    # The concern is safely sent; a draft that cannot be removed must not hide that.
    with contextlib.suppress(SafeguardError):
        drafts.discard_draft()
    return ref


class ConcernForm(QWidget):
    """The form with its draft offer. ``submitted(ref)`` when sent, ``closed`` on Stop."""

    submitted = Signal(str)
    closed = Signal()

    def __init__(
        self,
        worker: Worker,
        org: Organisation,
        *,
        submit: Callable[[Concern], str],
        drafts: DraftKeeper,
        sender_sentence: str,
        is_guest: bool = False,
        check: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``check`` runs on the worker before the form is shown; a SafeguardError from it
        (its one sentence) shows the refusal page instead of the form."""
        super().__init__(parent)
        self.setAccessibleName(self.tr("Record a concern"))
        self._worker = worker
        self._submit = submit
        self.drafts = drafts
        self.is_guest = is_guest
        self.sending = False
        self._last_saved: dict[str, object] | None = None

        self.wizard = ConcernWizard(org, sender_sentence)
        self._blank = self._content(self.wizard.form_data())
        self.wizard.stop_requested.connect(self.stop)
        self.wizard.submit_requested.connect(self.submit)
        self.wizard.currentIdChanged.connect(lambda _id: self.save_now())

        self.offer_page = QWidget()
        offer_layout = QVBoxLayout(self.offer_page)
        offer_layout.setContentsMargins(48, 48, 48, 48)
        offer_layout.setSpacing(16)
        self.offer_heading = heading("")
        offer_layout.addWidget(self.offer_heading)
        offer_layout.addWidget(
            paragraph(self.tr("You started recording a concern here and did not send it."))
        )
        offer_row = QHBoxLayout()
        self.continue_button = QPushButton(self.tr("&Continue"))
        self.continue_button.setAccessibleName(self.tr("Continue the concern you started"))
        self.continue_button.setDefault(True)
        self.start_again_button = QPushButton(self.tr("&Start again"))
        self.start_again_button.setAccessibleName(self.tr("Start again and delete the draft"))
        for button in (self.continue_button, self.start_again_button):
            taller(button, BUTTON_MIN_HEIGHT + 6)
            offer_row.addWidget(button)
        offer_row.addStretch(1)
        offer_layout.addLayout(offer_row)
        offer_layout.addStretch(1)
        self.continue_button.clicked.connect(self._continue_draft)
        self.start_again_button.clicked.connect(self._start_again)
        self._offered: dict[str, object] | None = None

        self.opening_page = QWidget()
        opening_layout = QVBoxLayout(self.opening_page)
        opening_layout.setContentsMargins(48, 48, 48, 48)
        opening_layout.addWidget(heading(self.tr("Opening the form…")))
        self.error = MessageLine(self.tr("Problem"))
        opening_layout.addWidget(self.error)
        opening_layout.addStretch(1)

        self.refused_page = RecordingRefusedPage()
        self.refused_page.back.connect(self.closed)

        self.stack = QStackedWidget()
        for page in (self.opening_page, self.offer_page, self.wizard, self.refused_page):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.guest_notice: QFrame | None = None
        if is_guest:
            self.guest_notice = banner(
                self.tr("As a guest, your draft is not saved if the app closes.")
            )
            self.guest_notice.setAccessibleName(
                self.tr("As a guest, your draft is not saved if the app closes.")
            )
            layout.addWidget(self.guest_notice)
        layout.addWidget(self.stack, 1)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save_now)

        self.stack.setCurrentWidget(self.opening_page)
        if check is None:
            self._load_draft()
        else:
            # Queued before the draft is read: a refused form never opens the draft.
            self._worker.submit(check, on_done=self._allowed, on_error=self._refuse)

    # May a concern be sent from here? ----------------------------------------------------

    def _allowed(self, _: object) -> None:
        self._load_draft()

    def _refuse(self, failure: Failure) -> None:
        """The sentence in place of the form; nothing was typed, the draft is untouched."""
        self.autosave_timer.stop()
        if self.guest_notice is not None:
            self.guest_notice.hide()
        self.refused_page.show_reason(failure.message)
        self.stack.setCurrentWidget(self.refused_page)
        self.refused_page.back_button.setFocus()

    # Drafts ------------------------------------------------------------------------------

    def _load_draft(self) -> None:
        self._worker.submit(
            self.drafts.load_draft, on_done=self._draft_loaded, on_error=self._load_failed
        )

    @staticmethod
    def _content(data: dict[str, object]) -> dict[str, object]:
        return {k: v for k, v in data.items() if k not in ("saved_at", "page", "format")}

    def _draft_loaded(self, data: dict[str, object] | None) -> None:
        if data is None or data.get("format") != DRAFT_FORMAT:
            self._begin()
            return
        self._offered = data
        saved = QDateTime.fromString(_str(data.get("saved_at")), "yyyy-MM-ddTHH:mm:ss")
        if saved.isValid() and saved.date() != QDate.currentDate():
            question = self.tr("Continue the concern you started on {day} at {time}?").format(
                day=saved.toString("dd/MM/yyyy"), time=saved.toString("HH:mm")
            )
        else:
            question = self.tr("Continue the concern you started at {time}?").format(
                time=saved.toString("HH:mm") if saved.isValid() else self.tr("an earlier time")
            )
        self.offer_heading.setText(question)
        self.offer_heading.setAccessibleName(question)
        self.stack.setCurrentWidget(self.offer_page)
        self.continue_button.setFocus()

    def _load_failed(self, failure: Failure) -> None:
        # A draft that cannot be read must not stop anyone recording a concern.
        self.error.show_error(failure.message)
        self._begin()

    def _continue_draft(self) -> None:
        data = self._offered or {}
        self.wizard.set_form_data(data)
        self._last_saved = self._content(self.wizard.form_data())
        self._begin()

    def _start_again(self) -> None:
        self._offered = None
        self._worker.submit(self.drafts.discard_draft, on_error=self._background_failed)
        self._begin()

    def _begin(self) -> None:
        self.stack.setCurrentWidget(self.wizard)
        self.autosave_timer.start()
        self.wizard.currentPage().setFocus()

    def form_data(self) -> dict[str, object]:
        data = self.wizard.form_data()
        data["format"] = DRAFT_FORMAT
        data["saved_at"] = datetime.now().isoformat(timespec="seconds")
        data["page"] = self.wizard.currentId()
        return data

    def save_now(self) -> None:
        """Queue a draft save on the worker, if anything changed since the last one."""
        if self.sending or self.stack.currentWidget() is not self.wizard:
            return
        data = self.form_data()
        content = self._content(data)
        if content == self._last_saved or (self._last_saved is None and content == self._blank):
            return
        self._last_saved = content
        self._worker.submit(self.drafts.save_draft, data, on_error=self._background_failed)

    def _background_failed(self, failure: Failure) -> None:
        self.wizard.currentPage().page_error.show_error(failure.message)  # type: ignore[attr-defined]

    # Leaving -------------------------------------------------------------------------------

    def stop(self) -> None:
        if self.sending:
            return
        if self.is_guest:
            answer = QMessageBox.question(
                self,
                self.tr("Stop recording?"),
                self.tr("As a guest, what you typed will be lost. Stop without sending it?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        else:
            self.save_now()
        self.autosave_timer.stop()
        self.closed.emit()

    def submit(self) -> None:
        if self.sending:
            return
        page = self.wizard.review_page
        page.clear_errors()
        try:
            concern = self.wizard.build_concern()
        except BadInput as err:
            page.page_error.show_error(str(err))
            return
        self.sending = True
        self.autosave_timer.stop()
        self.wizard.setEnabled(False)
        page.page_error.show_info(self.tr("Sending…"))
        self._worker.submit(
            _send,
            self._submit,
            self.drafts,
            concern,
            on_done=self._sent,
            on_error=self._send_failed,
        )

    def _sent(self, ref: str) -> None:
        self.submitted.emit(ref)

    def _send_failed(self, failure: Failure) -> None:
        self.sending = False
        self.wizard.setEnabled(True)
        self.autosave_timer.start()
        message = failure.message
        if isinstance(failure.error, StoreTampered) and not self.is_guest:
            # Nothing was sealed and the draft was not deleted: say so, calmly.
            message = self.tr("{sentence} What you typed is kept as your draft.").format(
                sentence=message
            )
        self.wizard.review_page.page_error.show_error(message)


class AfterSubmitPage(QWidget):
    """The reference, what happens next, and how to respond to the child. ``done`` on Done."""

    done = Signal()

    def __init__(
        self, ref: str, lead: str, *, signed_out: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("What happens next"))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(36, 28, 36, 28)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Thank you. Your concern has been sent.")))
        self.reference = QLabel(self.tr("Reference: {ref}").format(ref=ref))
        font = self.reference.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.reference.setFont(font)
        self.reference.setAccessibleName(self.reference.text())
        layout.addWidget(self.reference)
        layout.addWidget(
            hint(
                self.tr("Note the reference if you may want to ask the {lead} about it.").format(
                    lead=lead
                )
            )
        )
        if signed_out:
            layout.addWidget(
                banner(
                    self.tr(
                        "You have been signed out, so the next person at this PC cannot see "
                        "anything you typed."
                    )
                )
            )

        layout.addWidget(heading(self.tr("What happens next"), level=2))
        layout.addWidget(
            paragraph(
                self.tr(
                    "The {lead} will read what you wrote and decide what to do: perhaps watch "
                    "and wait, perhaps ask for help from children's services or the police. "
                    "They may ask you about it. Nobody at this PC, you included, can read it "
                    "back here. If you remember something else, record another concern."
                ).format(lead=lead)
            )
        )
        layout.addWidget(heading(self.tr("If the child talks to you again"), level=2))
        points = [
            self.tr("Listen calmly and give them your full attention."),
            self.tr(
                "Let them tell it in their own words and at their own pace; do not suggest "
                "words or ask questions that put ideas in their head."
            ),
            self.tr(
                "Do not promise to keep it a secret. Tell them you will need to tell the people "
                "whose job it is to help keep them safe."
            ),
            self.tr("Thank them for telling you and reassure them they were right to do so."),
            self.tr(
                "Do not investigate or talk to anyone they have named. Leave that to the {lead}."
            ).format(lead=lead),
        ]
        items = "".join(f"<li style='margin-bottom:6px'>{html.escape(p)}</li>" for p in points)
        advice = paragraph(f"<ul style='margin-left:-20px'>{items}</ul>")
        advice.setAccessibleName(self.tr("How to respond to the child"))
        layout.addWidget(advice)
        layout.addWidget(
            hint(
                self.tr(
                    "Hearing about harm to a child can be upsetting. You can talk to the {lead} "
                    "about how you feel too."
                ).format(lead=lead)
            )
        )
        self.done_button = QPushButton(self.tr("&Done"))
        self.done_button.setAccessibleName(self.tr("Done"))
        self.done_button.setDefault(True)
        taller(self.done_button, BUTTON_MIN_HEIGHT + 6)
        self.done_button.setMinimumWidth(text_width(14))
        self.done_button.clicked.connect(self.done)
        row = QHBoxLayout()
        row.addWidget(self.done_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

        area = QScrollArea()
        area.setWidget(readable_column(body, 90))
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(area)
