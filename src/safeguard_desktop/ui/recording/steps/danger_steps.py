"""The first step: is a child in immediate danger? And, after a yes, what to do right now."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWizard,
)

from safeguard_desktop.domain.organisation import Organisation

from ...theme import (
    BUTTON_MIN_HEIGHT,
    MessageLine,
    card,
    heading,
    hint,
    paragraph,
    taller,
    text_width,
    urgent_line,
)
from ..recorder_area import contacts_html
from .step_page import CHILDREN, DANGER, FormPage


def _answer_button(text: str, accessible: str) -> QPushButton:
    button = QPushButton(text)
    button.setCheckable(True)
    button.setAccessibleName(accessible)
    taller(button, BUTTON_MIN_HEIGHT + 6)
    button.setMinimumWidth(text_width(10))
    return button


class DangerQuestionPage(FormPage):
    def __init__(self, org: Organisation) -> None:
        super().__init__()
        self.set_title(self.tr("Is a child in danger right now?"))
        layout = self.body_layout
        # The examples help to answer; the question in the title is what is asked, and the
        # answers need no more words than Yes and No under it.
        examples = self.set_intro(
            self.tr(
                "For example: being hurt, about to be taken somewhere unsafe, missing, or "
                "saying they will harm themselves today."
            ),
            quiet=True,
        )
        # Two buttons, each answering and going on in one press: a "yes" shows what to do
        # at once, with no Next to miss. The answer stays pressed if the recorder comes
        # back, and Next then goes on with it unchanged.
        question = self.tr("Is a child in danger right now")
        self.yes = _answer_button(self.tr("&Yes"), f"{question}: {self.tr('Yes')}")
        self.no = _answer_button(self.tr("N&o"), f"{question}: {self.tr('No')}")
        self.group = QButtonGroup(self)
        row = QHBoxLayout()
        row.setSpacing(12)
        for button in (self.yes, self.no):
            button.setAccessibleDescription(examples.text())
            self.group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.group.buttonClicked.connect(self._answered)
        self.field_widgets["immediate_danger"] = self.yes
        self.field_errors["immediate_danger"] = MessageLine(self.tr("Problem with this answer"))
        layout.addWidget(self.field_errors["immediate_danger"])
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_: self.completeChanged.emit())

    def _answered(self, _button: QAbstractButton) -> None:
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def isComplete(self) -> bool:
        return self.yes.isChecked() or self.no.isChecked()

    def nextId(self) -> int:
        return DANGER if self.yes.isChecked() else CHILDREN


class DangerPage(FormPage):
    """Full-window instructions: call 999, the local numbers, then tell the lead."""

    def __init__(self, org: Organisation) -> None:
        super().__init__()
        self.set_title(self.tr("A child is in danger: act now"))
        layout = self.body_layout
        self.set_intro(self.tr("Do these two things now, in this order."))
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
