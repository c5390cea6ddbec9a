"""The step for the child's own words and how the child seemed."""

from __future__ import annotations

from ...theme import hint
from ...widgets.form_fields import text_box
from .step_page import FormPage, labelled


class WordsPage(FormPage):
    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("The child's own words"))
        layout = self.body_layout
        self.child_words = text_box(self.tr("The child's own words"), 5)
        self.field_errors["child_words"] = labelled(
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
        self.field_errors["presentation"] = labelled(
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
