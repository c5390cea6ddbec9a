"""The steps of the "Record a concern" form as one wizard, and the checking of each step.

Each step is checked on Next by the one gate every concern passes, ``Concern.from_json``,
over what has been asked so far; its sentence is shown beside the field it names. The
steps themselves are in ``steps/``, one module each.
"""

from __future__ import annotations

import html
from datetime import date, datetime

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import QWidget, QWizard

from safeguard_desktop.domain.categories import category
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.organisation import Organisation
from safeguard_desktop.domain.text import FIELD_LABELS, display_safe

from ..theme import BUTTON_MIN_HEIGHT, text_width
from ..widgets.steps_panel import StepsPanel
from .steps.actions_step import ActionsPage
from .steps.body_map_step import BodyMapPage
from .steps.categories_step import CategoriesPage
from .steps.children_step import ChildrenPage
from .steps.danger_steps import DangerPage, DangerQuestionPage
from .steps.facts_step import FactsPage
from .steps.review_step import ReviewPage
from .steps.step_page import (
    ACTIONS,
    BODY,
    CATEGORY,
    CHILDREN,
    DANGER,
    DANGER_QUESTION,
    FACTS,
    REVIEW,
    WHEN,
    WORDS,
    FormPage,
    answer,
    set_answer,
    str_value,
)
from .steps.when_where_step import WhenWherePage
from .steps.words_step import WordsPage

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
        self.form_pages: dict[int, FormPage] = {
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

    def request_submit(self) -> None:
        """Submit was pressed on the review page: the embedding form sends the concern."""
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
            "occurred_at": self.when_page.occurred_at.dateTime().toString("yyyy-MM-ddTHH:mm"),
            "location": self.when_page.location.text(),
            "observed": self.facts_page.observed.toPlainText(),
            "child_words": self.words_page.child_words.toPlainText(),
            "presentation": self.words_page.presentation.toPlainText(),
            "others_present": self.actions_page.others_present.toPlainText(),
            "actions_taken": self.actions_page.actions_taken.toPlainText(),
            "told_dsl_in_person": answer(self.actions_page.told_yes, self.actions_page.told_no),
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
            self.when_page.occurred_at.setDateTime(when)
        self.when_page.location.setText(str_value(data.get("location")))
        self.facts_page.observed.setPlainText(str_value(data.get("observed")))
        self.words_page.child_words.setPlainText(str_value(data.get("child_words")))
        self.words_page.presentation.setPlainText(str_value(data.get("presentation")))
        self.actions_page.others_present.setPlainText(str_value(data.get("others_present")))
        self.actions_page.actions_taken.setPlainText(str_value(data.get("actions_taken")))
        actions = self.actions_page
        set_answer(
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
            shown = display_safe(str_value(value)).strip()
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
        words = display_safe(str_value(data["child_words"])).strip()
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
                note = display_safe(str_value(mark.get("note"))).strip()
                lines.append(
                    html.escape(self.tr("Mark {n} ({side})").format(n=number, side=side))
                    + (": " + html.escape(note) if note else "")
                )
            parts.append(row(self.tr(FIELD_LABELS["body_map"]), "<br>".join(lines)))
        else:
            parts.append(row(self.tr(FIELD_LABELS["body_map"]), html.escape(self.tr("No marks"))))
        return "".join(parts)
