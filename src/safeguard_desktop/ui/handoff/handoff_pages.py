"""The handoff wizard's first steps: immediate danger, an allegation about an adult, the threshold.

Danger comes first, always: a child at risk right now means 999 before anything else, and
the call is recorded. An allegation about an adult who works with children goes to the
LADO within one working day, without investigating first. Then the threshold decision.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QVBoxLayout, QWidget

from safeguard_desktop.domain.handoff import AdviceSought, Outcome, PoliceCall
from safeguard_desktop.domain.organisation import Organisation
from safeguard_desktop.domain.records import ConcernSummary
from safeguard_desktop.domain.text import display_safe

from ..recording.recorder_area import contacts_html
from ..theme import (
    MessageLine,
    banner,
    card,
    heading,
    hint,
    paragraph,
    text_width,
    urgent_line,
)
from ..widgets.form_fields import text_box, to_date, to_datetime, to_qdate
from .child_choice import ChildChoice, ChildOption
from .handoff_parts import (
    ALLEGATION,
    CHECK,
    LADO,
    POLICE,
    SHARING,
    THRESHOLD,
    HandoffPage,
    OrgWords,
    date_edit,
    datetime_edit,
    line_edit,
    radio,
    section,
)
from .handoff_routes import RoutesBox

ALLEGATION_CATEGORY = "allegation_against_adult"
RADICALISATION_CATEGORY = "radicalisation"


class _YesNoPage(HandoffPage):
    """A yes/no question, prefilled from the concern once it has been read."""

    def __init__(self, words: OrgWords) -> None:
        super().__init__(words)
        self.group = QButtonGroup(self)
        self.loaded = False
        self.group.buttonToggled.connect(lambda *_: self.completeChanged.emit())

    def _add_answers(self, yes_text: str, no_text: str, question: str) -> None:
        self.yes = radio(yes_text, self.tr("{q}: yes").format(q=question))
        self.no = radio(no_text, self.tr("{q}: no").format(q=question))
        for button in (self.yes, self.no):
            self.group.addButton(button)
            self.body_layout.addWidget(button)

    def first_field(self) -> QWidget:
        return self.no if self.no.isChecked() else self.yes

    def answer(self) -> bool | None:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None

    def isComplete(self) -> bool:
        return self.loaded and self.answer() is not None


class DangerPage(_YesNoPage):
    """1. Is a child at risk of immediate harm right now?"""

    def __init__(self, words: OrgWords) -> None:
        super().__init__(words)
        self.set_title(self.tr("Immediate danger"))
        layout = self.body_layout
        self.about = hint(self.tr("Opening the concern…"))
        self.about.setAccessibleName(self.tr("Which concern"))
        # Children's names are record text: never read as markup.
        self.about.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.about)
        self.child_choice = ChildChoice()
        layout.addWidget(self.child_choice)
        question = self.tr("Is a child at risk of immediate harm right now?")
        layout.addWidget(heading(question, level=2))
        layout.addWidget(
            paragraph(
                self.tr(
                    "For example: the {child} or another child is being hurt or threatened, is "
                    "about to go home to someone who will harm them, is missing, or has said "
                    "they will harm themselves today."
                ).format(child=words.child)
            )
        )
        self._add_answers(
            self.tr("&Yes: a child is at risk of immediate harm"),
            self.tr("N&o, not right now"),
            question,
        )
        self.recorded_as = hint()
        self.recorded_as.setAccessibleName(self.tr("What the recorder answered"))
        self.recorded_as.hide()
        layout.addWidget(self.recorded_as)
        layout.addWidget(self.page_error)
        layout.addStretch(1)

    def show_concern(self, ref: str, summary: ConcernSummary) -> None:
        self.loaded = True
        names = display_safe(summary.child_names) or self.tr("no child named")
        self.about.setText(
            self.tr("Concern {ref}, about {names}.").format(ref=summary.ref, names=names)
        )
        (self.yes if summary.immediate_danger else self.no).setChecked(True)
        self.recorded_as.setText(
            self.tr("The person who recorded the concern answered Yes to this.")
            if summary.immediate_danger
            else self.tr("The person who recorded the concern answered No to this.")
        )
        self.recorded_as.show()
        self.completeChanged.emit()

    def show_children(self, options: list[ChildOption]) -> None:
        self.child_choice.show_children(options)
        self.completeChanged.emit()

    def first_field(self) -> QWidget:
        chooser = self.child_choice.first_button()
        return chooser if chooser is not None else super().first_field()

    def isComplete(self) -> bool:
        return super().isComplete() and self.child_choice.chosen() is not None

    def nextId(self) -> int:
        return POLICE if self.yes.isChecked() else ALLEGATION


class PoliceCallPage(HandoffPage):
    """1a. Call 999 now, then record the call."""

    def __init__(self, org: Organisation, words: OrgWords) -> None:
        super().__init__(words)
        self.set_title(self.tr("Call {emergency} now").format(emergency=org.contacts.emergency))
        layout = self.body_layout
        panel = card()
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(20, 14, 20, 14)
        call = urgent_line(
            self.tr("Call {emergency} now").format(emergency=org.contacts.emergency), 2.4
        )
        self.call_line = call
        panel_layout.addWidget(call)
        panel_layout.addWidget(
            paragraph(
                self.tr(
                    "Ask for the police, and an ambulance if a child is hurt. Keep the child "
                    "safe and with a trusted adult. Then tell children's social care: in the "
                    "evening or at the weekend, the out-of-hours team."
                )
            )
        )
        numbers = paragraph(contacts_html(org.contacts))
        numbers.setTextFormat(Qt.TextFormat.RichText)
        numbers.setAccessibleName(self.tr("Local numbers"))
        self.numbers = numbers
        panel_layout.addWidget(numbers)
        layout.addWidget(panel)

        layout.addWidget(heading(self.tr("When you have called, record the call"), level=2))
        self.called_at = datetime_edit(self.tr("When you called"))
        self.add_field(
            layout,
            "police.called_at",
            self.tr("&When did you call?"),
            self.called_at,
            self.tr("Problem with when you called"),
        )
        self.incident_number = line_edit(self.tr("Incident or CAD number"), 100)
        self.add_field(
            layout,
            "police.incident_number",
            self.tr("&Incident or CAD number, if you were given one"),
            self.incident_number,
            self.tr("Problem with the incident number"),
        )
        self.spoke_to = line_edit(self.tr("Who you spoke to"))
        self.add_field(
            layout,
            "police.spoke_to",
            self.tr("Who you &spoke to"),
            self.spoke_to,
            self.tr("Problem with who you spoke to"),
        )
        self.notes = text_box(self.tr("What the police said or will do"))
        self.add_field(
            layout,
            "police.notes",
            self.tr("What the police said or will &do"),
            self.notes,
            self.tr("Problem with what the police said"),
        )
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self._started = False

    def initializePage(self) -> None:
        if not self._started:
            # "Now" means when the page is first shown, not when the wizard was opened.
            self._started = True
            self.called_at.setDateTime(QDateTime.currentDateTime())

    def first_field(self) -> QWidget:
        return self.called_at

    def call(self) -> PoliceCall:
        return PoliceCall(
            called_at=to_datetime(self.called_at.dateTime()),
            incident_number=self.incident_number.text(),
            spoke_to=self.spoke_to.text(),
            notes=self.notes.toPlainText(),
        )

    def nextId(self) -> int:
        return ALLEGATION


class AllegationPage(_YesNoPage):
    """2. Is this an allegation about an adult who works or volunteers with children?"""

    def __init__(self, words: OrgWords) -> None:
        super().__init__(words)
        self.set_title(self.tr("An allegation about an adult?"))
        layout = self.body_layout
        question = self.tr("Is this about an adult who works or volunteers with children?")
        layout.addWidget(heading(question, level=2))
        layout.addWidget(
            paragraph(
                self.tr(
                    "For example: a member of staff, a volunteer, a coach, a supply teacher or "
                    "a contractor who may have harmed a child, committed a crime against a "
                    "child, or behaved in a way that shows they may not be safe with children. "
                    "It includes what they do outside work."
                )
            )
        )
        self._add_answers(
            self.tr("&Yes: it is about an adult who works with children"),
            self.tr("N&o"),
            question,
        )
        self.recorded_as = hint()
        self.recorded_as.setAccessibleName(self.tr("How the concern was recorded"))
        self.recorded_as.hide()
        layout.addWidget(self.recorded_as)
        layout.addWidget(self.page_error)
        layout.addStretch(1)

    def show_concern(self, summary: ConcernSummary) -> None:
        self.loaded = True
        alleged = ALLEGATION_CATEGORY in summary.categories
        (self.yes if alleged else self.no).setChecked(True)
        if alleged:
            self.recorded_as.setText(
                self.tr("The concern was recorded as an allegation about an adult.")
            )
            self.recorded_as.show()
        self.completeChanged.emit()

    def nextId(self) -> int:
        return LADO if self.yes.isChecked() else THRESHOLD


class ThresholdPage(HandoffPage):
    """3. Social care, early help, monitor or Prevent; the reason; advice; a review date."""

    def __init__(self, org: Organisation, words: OrgWords) -> None:
        super().__init__(words)
        self.set_title(self.tr("What happens next"))
        layout = self.body_layout
        layout.addWidget(
            paragraph(
                self.tr(
                    "Decide against your local threshold guidance (the continuum of need). If "
                    "you are unsure, ask for advice before deciding: see the box below."
                )
            )
        )
        self.prevent_banner = banner(
            self.tr(
                "This concern was recorded as radicalisation: consider a Prevent referral. "
                "If a child is at risk of harm as well, refer to children's social care too."
            )
        )
        self.prevent_banner.hide()
        layout.addWidget(self.prevent_banner)
        self.group = QButtonGroup(self)
        self.buttons: dict[Outcome, QRadioButton] = {}
        self.guidance: dict[Outcome, QLabel] = {}
        choices = (
            (
                Outcome.SOCIAL_CARE,
                self.tr("Referral to children's &social care"),
                self.tr(
                    "The child is suffering, or is likely to suffer, significant harm. Refer "
                    "to the front door today."
                ),
            ),
            (
                Outcome.EARLY_HELP,
                self.tr("&Early help (with consent)"),
                self.tr(
                    "The child or family has needs that are not being met, below significant "
                    "harm. Early help needs the family's consent."
                ),
            ),
            (
                Outcome.MONITOR,
                self.tr("&Monitor, with a review date"),
                self.tr(
                    "Below both: keep watching, record anything new, and look at it again on "
                    "a set date."
                ),
            ),
            (
                Outcome.PREVENT,
                self.tr("&Prevent referral"),
                self.tr("A concern that a child is being drawn into terrorism or extremism."),
            ),
            (
                Outcome.POLICE,
                self.tr("Report to the p&olice (999 or 101)"),
                self.tr(
                    "A crime to report, and no referral made here: for example, a child's "
                    "phone stolen with threats. Record the crime reference and what they said."
                ),
            ),
        )
        for outcome, text, guidance in choices:
            button = radio(text, self.tr(outcome.label))
            button.setProperty("outcome", outcome.value)
            self.group.addButton(button)
            self.buttons[outcome] = button
            layout.addWidget(button)
            line = hint(guidance)
            line.setContentsMargins(text_width(3), 0, 0, 4)
            self.guidance[outcome] = line
            layout.addWidget(line)
        self.outcome_error = MessageLine(self.tr("Problem with the decision"))
        self.field_errors["outcome"] = self.outcome_error
        self.field_widgets["outcome"] = self.buttons[Outcome.SOCIAL_CARE]
        layout.addWidget(self.outcome_error)

        self.review_box = QWidget()
        review_layout = section(self.review_box)
        self.review_on = date_edit(self.tr("Review on"))
        self.review_on.setDate(to_qdate(date.today() + timedelta(weeks=4)))
        self.add_field(
            review_layout,
            "review_on",
            self.tr("Re&view on"),
            self.review_on,
            self.tr("Problem with the review date"),
            note=self.tr("Four weeks from today unless you change it. It appears on Home."),
        )
        self.review_box.hide()
        layout.addWidget(self.review_box)

        self.reason = text_box(self.tr("The reason for this decision"), 5)
        self.add_field(
            layout,
            "reason",
            self.tr("&Why? The reason for this decision"),
            self.reason,
            self.tr("Problem with the reason"),
            note=self.tr(
                "What you weighed: what happened, the child's words, the history, any advice."
            ),
        )

        advice_box = card()
        advice_box.setAccessibleName(self.tr("Seeking advice"))
        advice_layout = QVBoxLayout(advice_box)
        advice_layout.setContentsMargins(20, 14, 20, 14)
        advice_layout.addWidget(heading(self.tr("Seeking advice?"), level=2))
        front_door = org.contacts.front_door.strip()
        lines = [
            self.tr("Your local children's services front door: <b>{number}</b>").format(
                number=html.escape(front_door)
            )
            if front_door
            else self.tr("Your local front door's number is not set: add it in Settings."),
            self.tr("NSPCC helpline for professionals: <b>{number}</b>").format(
                number=html.escape(org.contacts.nspcc_helpline)
            ),
        ]
        self.advice_numbers = paragraph("<br>".join(lines))
        self.advice_numbers.setTextFormat(Qt.TextFormat.RichText)
        self.advice_numbers.setAccessibleName(self.tr("Where to ask for advice"))
        advice_layout.addWidget(self.advice_numbers)
        self.advice_from = line_edit(self.tr("Advice from"))
        self.add_field(
            advice_layout,
            "advice.from_whom",
            self.tr("Advice &from (leave empty if you did not ask)"),
            self.advice_from,
            self.tr("Problem with who gave advice"),
        )
        self.advice_given = text_box(self.tr("The advice given"), 3)
        self.add_field(
            advice_layout,
            "advice.advice",
            self.tr("The &advice given"),
            self.advice_given,
            self.tr("Problem with the advice given"),
        )
        layout.addWidget(advice_box)
        # The police, the FGM duty, Prevent, and the agencies already told.
        self.routes_box = RoutesBox(self, org)
        layout.addWidget(self.routes_box)
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.group.buttonToggled.connect(self._outcome_changed)
        self._routes_started = False

    def initializePage(self) -> None:
        if not self._routes_started:
            self._routes_started = True
            self.routes_box.start_times()
        super().initializePage()

    def show_concern(self, summary: ConcernSummary) -> None:
        self.routes_box.set_categories(tuple(summary.categories))
        if RADICALISATION_CATEGORY in summary.categories:
            self.prevent_banner.show()
            self.guidance[Outcome.PREVENT].setProperty("sgRole", "")
            font = self.buttons[Outcome.PREVENT].font()
            font.setBold(True)
            self.buttons[Outcome.PREVENT].setFont(font)

    def first_field(self) -> QWidget:
        return self.buttons[self.outcome() or Outcome.SOCIAL_CARE]

    def outcome(self) -> Outcome | None:
        for outcome, button in self.buttons.items():
            if button.isChecked():
                return outcome
        return None

    def choose(self, outcome: Outcome) -> None:
        self.buttons[outcome].setChecked(True)

    def _outcome_changed(self) -> None:
        self.outcome_error.clear_message()
        self.review_box.setVisible(self.outcome() is Outcome.MONITOR)
        self.routes_box.set_outcome(self.outcome())

    def advice(self) -> AdviceSought | None:
        if not self.advice_from.text().strip() and not self.advice_given.toPlainText().strip():
            return None
        return AdviceSought(
            from_whom=self.advice_from.text(), advice=self.advice_given.toPlainText()
        )

    def missing(self) -> tuple[str, str] | None:
        if self.advice_given.toPlainText().strip() and not self.advice_from.text().strip():
            return "advice.from_whom", self.tr("Say who gave the advice.")
        return None

    def review_date(self) -> date:
        return to_date(self.review_on.date())

    def nextId(self) -> int:
        return SHARING if self.handoff().makes_referral() else CHECK
