"""The step for the child's own words, how the child seemed, and whether a mark was seen.

A "yes" to the mark brings the body map step next; anything else goes on past it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel

from ...theme import MessageLine
from ...widgets.field_hint import field_hint
from ...widgets.form_fields import GrowingTextBox
from .step_page import ACTIONS, BODY, FormPage, labelled, yes_no


class WordsPage(FormPage):
    def __init__(self) -> None:
        super().__init__()
        # The question about the child's words says "in their own words", and its hint how:
        # said once, where it is typed, not again above it.
        self.set_title(self.tr("The child's words"))
        layout = self.body_layout
        self.child_words = GrowingTextBox(
            self.tr("The child's own words"), min_lines=5, max_lines=14
        )
        self.field_errors["child_words"] = labelled(
            layout,
            self.tr("What did the child &say, in their own words?"),
            self.child_words,
            self.tr("Problem with the child's own words"),
            self.tr(
                "Their exact words, even if rude or misspoken; they matter most. Leave it "
                "empty if the child said nothing."
            ),
        )
        self.presentation = GrowingTextBox(
            self.tr("How the child seemed"), min_lines=4, max_lines=14
        )
        self.field_errors["presentation"] = labelled(
            layout,
            self.tr("&How did the child seem?"),
            self.presentation,
            self.tr("Problem with how the child seemed"),
            self.tr(
                "How they looked and behaved, for example: crying, quiet, clothes torn, "
                "flinched when touched."
            ),
        )
        question = QLabel(self.tr("Did you see a mark or injury?"))
        question.setWordWrap(True)
        layout.addWidget(question)
        self.marks_yes, self.marks_no, self.marks_group = yes_no(
            self,
            self.tr("&Yes"),
            self.tr("N&o"),
            self.tr("Saw a mark or injury"),
        )
        question.setBuddy(self.marks_yes)
        row = QHBoxLayout()
        row.addWidget(self.marks_yes)
        row.addWidget(self.marks_no)
        row.addStretch(1)
        layout.addLayout(row)
        # What a yes leads to, read on both answers by a screen reader.
        marks_hint = field_hint(
            self.marks_yes,
            self.tr(
                "A bruise, cut, burn or other mark. If yes, the next step is a body map to "
                "show where."
            ),
        )
        self.marks_no.setAccessibleDescription(marks_hint.text())
        layout.addWidget(marks_hint)
        self.field_errors["marks_seen"] = MessageLine(self.tr("Problem with this answer"))
        layout.addWidget(self.field_errors["marks_seen"])
        self.field_widgets.update(
            child_words=self.child_words, presentation=self.presentation, marks_seen=self.marks_yes
        )
        layout.addWidget(self.page_error)
        layout.addStretch(1)

    def nextId(self) -> int:
        return BODY if self.marks_yes.isChecked() else ACTIONS
