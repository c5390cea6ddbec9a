"""The first step: is a child in immediate danger? And, after a yes, what to do right now."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWizard

from safeguard_desktop.domain.organisation import Organisation

from ...theme import MessageLine, card, heading, hint, paragraph, urgent_line
from ..recorder_area import contacts_html
from .step_page import CHILDREN, DANGER, FormPage, yes_no


class DangerQuestionPage(FormPage):
    def __init__(self, org: Organisation) -> None:
        super().__init__()
        self.set_title(self.tr("Is a child in immediate danger right now?"))
        layout = self.body_layout
        self.set_intro(
            self.tr(
                "For example: a child is being hurt, is about to be taken somewhere "
                "unsafe, has run away, or has said they will harm themselves today."
            )
        )
        self.yes, self.no, self.group = yes_no(
            self,
            self.tr("&Yes, a child is in immediate danger"),
            self.tr("N&o, not right now"),
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
