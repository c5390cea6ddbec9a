"""The step asking who else was there, what the recorder did, and whether the lead was told.

It also asks whether they have written notes (or a letter or email) to send: a tick brings
the written notes step next (``notes_step.py``); most recorders have none, and pass by it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel

from safeguard_desktop.domain.organisation import Organisation

from ...theme import MessageLine
from ...widgets.field_hint import field_hint
from ...widgets.form_fields import GrowingTextBox, WrappingCheck
from .step_page import CATEGORY, NOTES, FormPage, labelled, yes_no


class ActionsPage(FormPage):
    def __init__(self, org: Organisation) -> None:
        super().__init__()
        # The three questions below are the page; no sentence above them says them again.
        self.set_title(self.tr("What you did"))
        lead = org.org_type.lead_title
        layout = self.body_layout
        self.others_present = GrowingTextBox(
            self.tr("Who else was there"), min_lines=3, max_lines=14
        )
        self.field_errors["others_present"] = labelled(
            layout,
            self.tr("Who &else was there?"),
            self.others_present,
            self.tr("Problem with who else was there"),
            self.tr("Names and roles, or \u201cnobody\u201d."),
        )
        self.actions_taken = GrowingTextBox(self.tr("What you did"), min_lines=4, max_lines=14)
        self.field_errors["actions_taken"] = labelled(
            layout,
            self.tr("What &did you do?"),
            self.actions_taken,
            self.tr("Problem with what you did"),
            self.tr(
                "For example: listened, did not ask leading questions, did not promise "
                "secrecy, came to record this."
            ),
        )
        question = QLabel(self.tr("Have you told the {lead} in person?").format(lead=lead))
        question.setWordWrap(True)
        layout.addWidget(question)
        self.told_yes, self.told_no, self.told_group = yes_no(
            self,
            self.tr("&Yes"),
            self.tr("N&o"),
            self.tr("Already told the {lead} in person").format(lead=lead),
        )
        question.setBuddy(self.told_yes)
        row = QHBoxLayout()
        row.addWidget(self.told_yes)
        row.addWidget(self.told_no)
        row.addStretch(1)
        layout.addLayout(row)
        told_hint = field_hint(
            self.told_yes,
            self.tr("If not, tell the {lead} in person today, as well as sending this.").format(
                lead=lead
            ),
        )
        self.told_no.setAccessibleDescription(told_hint.text())
        layout.addWidget(told_hint)
        self.field_errors["told_dsl_in_person"] = MessageLine(self.tr("Problem with this answer"))
        layout.addWidget(self.field_errors["told_dsl_in_person"])
        # Short to read for the many who pass by it; the hint says what counts. Set apart
        # from the question above, which it is no part of.
        notes_row = WrappingCheck(self.tr("I have &written notes to send"))
        self.has_notes = notes_row.check
        layout.addSpacing(8)
        layout.addWidget(notes_row)
        layout.addWidget(
            field_hint(
                self.has_notes,
                self.tr(
                    "Notes you wrote on paper, or a letter or email about this: tick this, "
                    "and the next step sends a photo or scan of it with your concern."
                ),
            )
        )
        self.field_widgets.update(
            others_present=self.others_present,
            actions_taken=self.actions_taken,
            told_dsl_in_person=self.told_yes,
        )
        layout.addWidget(self.page_error)
        layout.addStretch(1)

    def nextId(self) -> int:
        return NOTES if self.has_notes.isChecked() else CATEGORY
