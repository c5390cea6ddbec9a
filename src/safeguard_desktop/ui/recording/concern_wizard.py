"""The steps of the "Record a concern" form as one wizard, and the checking of each step.

Each step is checked on Next by the one gate every concern passes, ``Concern.from_json``,
over what has been asked so far; its sentence is shown beside the field it names, and the
focus goes there. The steps themselves are in ``steps/``, one module each, laid out alike.

The list of steps beside the form takes the recorder back (or forward again) to any step
already visited; the last step shows the whole record step by step, each with a Change
button, and says which steps have something empty that is usually filled in, and lists
the files chosen on the notes step: sent beside the concern, no part of its JSON.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, Signal
from PySide6.QtWidgets import QWidget, QWizard

from safeguard_desktop.domain.categories import category
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.organisation import Organisation
from safeguard_desktop.domain.text import FIELD_LABELS, display_safe
from safeguard_desktop.services.attachment_intake import ChosenFile

from ..theme import BUTTON_MIN_HEIGHT
from ..widgets.steps_panel import StepsPanel
from ..worker import Submits
from .body_map import mark_words
from .steps.actions_step import ActionsPage
from .steps.body_map_step import BodyMapPage
from .steps.categories_step import CategoriesPage
from .steps.children_step import ChildrenPage
from .steps.danger_steps import DangerPage, DangerQuestionPage
from .steps.notes_step import NotesPage
from .steps.review_step import ReviewPage
from .steps.step_page import (
    ACTIONS,
    BODY,
    CATEGORY,
    CHILDREN,
    DANGER,
    DANGER_QUESTION,
    HAPPENED,
    NOTES,
    REVIEW,
    WORDS,
    FormPage,
    answer,
    set_answer,
    str_value,
)
from .steps.what_happened_step import WhatHappenedPage
from .steps.words_step import WordsPage

# The steps in the side panel, and which of them each page belongs to.
_STEPS = (DANGER_QUESTION, CHILDREN, HAPPENED, WORDS, BODY, ACTIONS, NOTES, CATEGORY, REVIEW)
_STEP_OF_PAGE = {DANGER: 0, **{page: index for index, page in enumerate(_STEPS)}}
# The concern's top-level fields, by the page that asks for them.
_PAGE_FIELDS: dict[int, tuple[str, ...]] = {
    DANGER_QUESTION: ("immediate_danger",),
    CHILDREN: ("children",),
    HAPPENED: ("occurred_at", "location", "observed"),
    WORDS: ("child_words", "presentation"),
    BODY: ("body_map",),
    ACTIONS: ("others_present", "actions_taken", "told_dsl_in_person"),
    CATEGORY: ("categories",),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConcernWizard", text)


@dataclass
class ReviewPart:
    """One step as the review shows it: its words, and what is empty that usually is not."""

    page_id: int
    title: str
    html: str
    missing: list[str] = field(default_factory=list)


class ConcernWizard(QWizard):
    """The steps of the form. ``submit_requested`` when Send is pressed on the review."""

    submit_requested = Signal()
    stop_requested = Signal()

    def __init__(
        self,
        org: Organisation,
        sender_sentence: str,
        parent: QWidget | None = None,
        *,
        worker: Submits,
        is_guest: bool = False,
    ) -> None:
        """``worker`` reads and checks the files chosen on the notes step."""
        super().__init__(parent)
        self.org = org
        self.sender_sentence = sender_sentence
        self.is_guest = is_guest
        lead = org.org_type.lead_title
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setTitleFormat(Qt.TextFormat.RichText)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.CancelButtonOnLeft, True)
        # One Alt key each, kept free on every step: N, B, P and (on the review) S.
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("&Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Sto&p for now"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Send"))
        self.setAccessibleName(self.tr("Record a concern"))

        self.danger_question_page = DangerQuestionPage(org)
        self.danger_page = DangerPage(org)
        self.children_page = ChildrenPage()
        self.happened_page = WhatHappenedPage(org)
        self.words_page = WordsPage()
        self.body_page = BodyMapPage()
        self.actions_page = ActionsPage(org)
        self.notes_page = NotesPage(lead, worker)
        self.categories_page = CategoriesPage(lead)
        self.review_page = ReviewPage(is_guest=is_guest)
        self.form_pages: dict[int, FormPage] = {
            DANGER_QUESTION: self.danger_question_page,
            DANGER: self.danger_page,
            CHILDREN: self.children_page,
            HAPPENED: self.happened_page,
            WORDS: self.words_page,
            BODY: self.body_page,
            ACTIONS: self.actions_page,
            NOTES: self.notes_page,
            CATEGORY: self.categories_page,
            REVIEW: self.review_page,
        }
        for page_id, page in self.form_pages.items():
            self.setPage(page_id, page)
        self.step_titles = {
            DANGER_QUESTION: self.tr("Immediate danger"),
            CHILDREN: self.tr("The child"),
            HAPPENED: self.tr("What happened"),
            WORDS: self.tr("The child's words"),
            BODY: self.tr("Body map"),
            ACTIONS: self.tr("What you did"),
            NOTES: self.tr("Written notes"),
            CATEGORY: self.tr("Kind of concern"),
            REVIEW: self.tr("Check and send"),
        }
        self._reached: set[int] = set()
        self.steps = StepsPanel([self.step_titles[page_id] for page_id in _STEPS])
        self.steps.step_chosen.connect(lambda index: self.go_to(_STEPS[index]))
        self.setSideWidget(self.steps)
        self.currentIdChanged.connect(self._page_changed)
        self._page_changed(DANGER_QUESTION)
        names = {
            QWizard.WizardButton.NextButton: self.tr("Next"),
            QWizard.WizardButton.BackButton: self.tr("Back"),
            QWizard.WizardButton.CancelButton: self.tr("Stop for now"),
            QWizard.WizardButton.FinishButton: self.tr("Send to the {lead}").format(lead=lead),
        }
        for which, name in names.items():
            button = self.button(which)
            button.setMinimumHeight(BUTTON_MIN_HEIGHT)
            button.setMinimumWidth(110)
            button.setAccessibleName(name)

    def _page_changed(self, page_id: int) -> None:
        if page_id < 0:
            return
        self._reached.add(page_id)
        current = _STEP_OF_PAGE.get(page_id, 0)
        # Past the body map without a mark, or the notes without any to send: not needed,
        # and no steps to go to.
        asked = {BODY: self.words_page.marks_yes, NOTES: self.actions_page.has_notes}
        skipped = {
            _STEPS.index(pid)
            for pid, box in asked.items()
            if current > _STEPS.index(pid) and not box.isChecked()
        }
        self.steps.set_current(current, skipped)
        # Every step reached, behind or (after going back) ahead, is one click away.
        self.steps.set_reachable(
            {_STEPS.index(pid) for pid in self._reached if pid in _STEPS} - skipped - {current}
        )

    # Moving between steps -----------------------------------------------------------------

    def go_to(self, page_id: int) -> None:
        """Back (or forward again, through each step's checks) to a step already visited."""
        if page_id not in _STEPS or page_id == self.currentId():
            return
        if page_id in self.visitedIds():
            while self.currentId() != page_id and self.currentId() != DANGER_QUESTION:
                self.back()
            return
        # Forward: Next until there, stopping at a step whose check fails (its sentence
        # is shown and the focus is in the field at fault), or one the path skips.
        target = _STEPS.index(page_id)
        for _ in range(len(self.form_pages)):
            current = self.currentId()
            if current == page_id or _STEP_OF_PAGE.get(current, 0) >= target:
                return
            self.next()
            if self.currentId() == current:
                return

    def request_submit(self) -> None:
        """Send was pressed on the review page: the embedding form sends the concern."""
        self.submit_requested.emit()

    def reject(self) -> None:
        # Escape or "Stop for now": the embedding form decides (it keeps the draft).
        self.stop_requested.emit()

    # The data --------------------------------------------------------------------------

    def form_data(self) -> dict[str, object]:
        """Everything typed so far, as kept in a draft (wider than a concern)."""
        return {
            "immediate_danger": answer(self.danger_question_page.yes, self.danger_question_page.no),
            "children": self.children_page.form_data(),
            "occurred_at": self.happened_page.occurred_at.dateTime().toString("yyyy-MM-ddTHH:mm"),
            "location": self.happened_page.location.text(),
            "observed": self.happened_page.observed.toPlainText(),
            "child_words": self.words_page.child_words.toPlainText(),
            "presentation": self.words_page.presentation.toPlainText(),
            "marks_seen": answer(self.words_page.marks_yes, self.words_page.marks_no),
            "others_present": self.actions_page.others_present.toPlainText(),
            "actions_taken": self.actions_page.actions_taken.toPlainText(),
            "told_dsl_in_person": answer(self.actions_page.told_yes, self.actions_page.told_no),
            "has_notes": self.actions_page.has_notes.isChecked(),
            "categories": self.categories_page.selected(),
            "body_map": self.body_page.editor.marks(),
        }

    def set_form_data(self, data: dict[str, object]) -> None:
        question = self.danger_question_page
        set_answer(question.yes, question.no, question.group, data.get("immediate_danger"))
        children = data.get("children")
        if isinstance(children, list):
            self.children_page.set_form_data([c for c in children if isinstance(c, dict)])
        when = QDateTime.fromString(str_value(data.get("occurred_at")), "yyyy-MM-ddTHH:mm")
        if when.isValid():
            self.happened_page.occurred_at.setDateTime(when)
        self.happened_page.location.setText(str_value(data.get("location")))
        self.happened_page.observed.setPlainText(str_value(data.get("observed")))
        self.words_page.child_words.setPlainText(str_value(data.get("child_words")))
        self.words_page.presentation.setPlainText(str_value(data.get("presentation")))
        self.actions_page.others_present.setPlainText(str_value(data.get("others_present")))
        self.actions_page.actions_taken.setPlainText(str_value(data.get("actions_taken")))
        actions = self.actions_page
        set_answer(
            actions.told_yes, actions.told_no, actions.told_group, data.get("told_dsl_in_person")
        )
        actions.has_notes.setChecked(data.get("has_notes") is True)
        chosen = data.get("categories")
        for cid, check in self.categories_page.checks.items():
            check.setChecked(isinstance(chosen, list) and cid in chosen)
        marks = data.get("body_map")
        if isinstance(marks, list):
            self.body_page.editor.set_marks([m for m in marks if isinstance(m, dict)])
        seen = data.get("marks_seen")
        if seen is None and self.body_page.editor.marks():
            seen = True  # a draft from before the question was asked
        words = self.words_page
        set_answer(words.marks_yes, words.marks_no, words.marks_group, seen)

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
        # Marks placed before "No" was chosen are not sent: the answer is the recorder's.
        if data.pop("marks_seen") is not True:
            data["body_map"] = []
        data.pop("has_notes")  # the files go beside the concern (files_to_send)
        return data

    def files_to_send(self) -> list[ChosenFile]:
        """The notes step's files; none if its tick is taken away, as marks after "No"."""
        return list(self.notes_page.files) if self.actions_page.has_notes.isChecked() else []

    # Checking ----------------------------------------------------------------------------

    def check_page(self, page: FormPage) -> bool:
        """Run the concern's own rules over what is filled in so far; show the first problem."""
        page_id = self.currentId()
        page.clear_errors()
        if (
            page_id == ACTIONS
            and answer(self.actions_page.told_yes, self.actions_page.told_no) is None
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
        order = list(_PAGE_FIELDS)
        later = {
            key
            for pid, keys in _PAGE_FIELDS.items()
            if order.index(pid) > order.index(page_id)
            for key in keys
        }
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
            field_name = err.field or ""
            top = field_name.split("[", 1)[0].split(".", 1)[0]
            owner = next((pid for pid, keys in _PAGE_FIELDS.items() if top in keys), page_id)
            if owner == page_id:
                page.show_error(field_name, str(err))
            else:
                page.page_error.show_error(str(err))
            return False
        return True

    def build_concern(self) -> Concern:
        return Concern.from_json(self.concern_json(), now=datetime.now())

    # The review ----------------------------------------------------------------------------

    def review_parts(self) -> list[ReviewPart]:
        """The whole record as the lead will read it, step by step, every text made
        display-safe, with what is empty that a lead would usually expect to find."""
        data = self.concern_json()
        seen = self.form_data()["marks_seen"]
        lead = self.org.org_type.lead_title
        nothing = f"<i>{html.escape(self.tr('Nothing written'))}</i>"

        def text(value: object) -> str:
            shown = display_safe(str_value(value)).strip()
            return html.escape(shown).replace("\n", "<br>") if shown else nothing

        def row(label: str, value_html: str) -> str:
            return f"<p style='margin:0 0 8px 0'><b>{html.escape(label)}</b><br>{value_html}</p>"

        def empty(key: str) -> bool:
            return not display_safe(str_value(data[key])).strip()

        parts: list[ReviewPart] = []
        danger = data["immediate_danger"]
        parts.append(
            ReviewPart(
                DANGER_QUESTION,
                self.step_titles[DANGER_QUESTION],
                row(
                    self.tr("Is a child in immediate danger"),
                    html.escape(self.tr("Yes") if danger else self.tr("No")),
                ),
            )
        )
        rows = []
        children = cast(list[dict[str, object]], data["children"])
        for number, child in enumerate(children, 1):
            facts = [text(child["name"])]
            if child["date_of_birth"]:
                born = date.fromisoformat(str(child["date_of_birth"]))
                facts.append(html.escape(self.tr("born {date}").format(date=long_date(born))))
            elif child["approximate_age"] is not None:
                facts.append(
                    html.escape(self.tr("about {n} years old").format(n=child["approximate_age"]))
                )
            else:
                facts.append(html.escape(self.tr("age not known")))
            if child["group"]:
                facts.append(text(child["group"]))
            if child["additional_needs"]:
                facts.append(
                    html.escape(self.tr("additional needs:"))
                    + " "
                    + text(child["additional_needs"])
                )
            rows.append(row(self.tr("Child {n}").format(n=number), "; ".join(facts)))
        parts.append(ReviewPart(CHILDREN, self.step_titles[CHILDREN], "".join(rows)))

        when = datetime.fromisoformat(str(data["occurred_at"]))
        happened = ReviewPart(
            HAPPENED,
            self.step_titles[HAPPENED],
            row(
                self.tr(FIELD_LABELS["occurred_at"]),
                html.escape(
                    self.tr("{date} at {time}").format(
                        date=long_date(when.date()), time=when.strftime("%H:%M")
                    )
                ),
            )
            + row(self.tr(FIELD_LABELS["location"]), text(data["location"]))
            + row(self.tr(FIELD_LABELS["observed"]), text(data["observed"])),
        )
        if empty("location"):
            happened.missing.append(self.tr("where it happened"))
        parts.append(happened)

        words = display_safe(str_value(data["child_words"])).strip()
        said = ReviewPart(
            WORDS,
            self.step_titles[WORDS],
            row(
                self.tr(FIELD_LABELS["child_words"]),
                f"\u201c{html.escape(words).replace(chr(10), '<br>')}\u201d" if words else nothing,
            )
            + row(self.tr(FIELD_LABELS["presentation"]), text(data["presentation"]))
            + row(
                self.tr("Saw a mark or injury"),
                html.escape(
                    self.tr("Yes")
                    if seen is True
                    else self.tr("No")
                    if seen is False
                    else self.tr("Not answered")
                ),
            ),
        )
        if not words:
            said.missing.append(self.tr("the child's own words (fine if they said nothing)"))
        if empty("presentation"):
            said.missing.append(self.tr("how the child seemed"))
        if seen is None:
            said.missing.append(self.tr("whether you saw a mark or injury"))
        parts.append(said)

        if seen is True:
            marks = data["body_map"]
            lines = [
                html.escape(mark_words(number, mark))
                for number, mark in enumerate(cast(list[dict[str, object]], marks), 1)
            ]
            body = ReviewPart(
                BODY,
                self.step_titles[BODY],
                row(self.tr(FIELD_LABELS["body_map"]), "<br>".join(lines) or nothing),
            )
            if not marks:
                body.missing.append(self.tr("where on the body you saw the mark"))
            parts.append(body)

        did = ReviewPart(
            ACTIONS,
            self.step_titles[ACTIONS],
            row(self.tr(FIELD_LABELS["others_present"]), text(data["others_present"]))
            + row(self.tr(FIELD_LABELS["actions_taken"]), text(data["actions_taken"]))
            + row(
                self.tr("Already told the {lead} in person").format(lead=lead),
                html.escape(self.tr("Yes") if data["told_dsl_in_person"] else self.tr("No")),
            ),
        )
        if empty("others_present"):
            did.missing.append(self.tr("who else was there"))
        if empty("actions_taken"):
            did.missing.append(self.tr("what you did"))
        parts.append(did)
        if self.actions_page.has_notes.isChecked():
            parts.append(ReviewPart(NOTES, self.step_titles[NOTES], self.notes_page.review_html()))

        labels = [html.escape(self.tr(category(cid).label)) for cid in data["categories"]]  # type: ignore[attr-defined]
        parts.append(
            ReviewPart(
                CATEGORY,
                self.step_titles[CATEGORY],
                row(self.tr(FIELD_LABELS["categories"]), "<br>".join(labels) or nothing),
            )
        )
        return parts
