"""Record a low-level concern about an adult: when, who (name and role), what happened,
what was done. The lead who records it is the one signed in.

The dialog only collects and checks (domain/low_level_concerns.py, every gap at once);
the Low-level concerns page records it on the worker (services/low_level_concerns.py),
which checks again, and puts any refusal back under its field.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QWidget

from safeguard_desktop.domain.errors import IncompleteDecision
from safeguard_desktop.domain.low_level_concerns import LowLevelConcern, problems

from ..recording.steps.what_happened_step import FactualHighlighter
from ..theme import hint
from ..widgets.casework_dialog import CaseworkDialog
from ..widgets.form_fields import date_edit, text_box, to_date


class LowLevelConcernDialog(CaseworkDialog):
    """The form; ``entry()`` is what was typed, checked."""

    def __init__(
        self, recorder_name: str, known_adults: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            self.tr("Record a low-level concern"),
            self.tr("&Record it"),
            self.tr("Record the low-level concern"),
            parent,
        )
        self.form.addWidget(
            hint(
                self.tr(
                    "About an adult who works or volunteers here, when what they did does "
                    "not meet the harm threshold (if it might, it is an allegation: use "
                    "Decide and hand on… on a concern, and tell the LADO). Kept apart from "
                    "children's files."
                )
            )
        )

        today = QDate.currentDate()
        self.occurred_on = date_edit(self.tr("When it happened"))
        self.occurred_on.setMaximumDate(today)
        self.occurred_on.setMinimumDate(QDate(1900, 1, 1))
        self.occurred_on.setDate(today)
        self.add_field(self.tr("&When it happened"), self.occurred_on, "occurred_on")

        self.adult_name = QLineEdit()
        self.adult_name.setAccessibleName(self.tr("The adult's full name"))
        self.adult_name.setMaxLength(200)
        if known_adults:
            # The same spelling each time, so a pattern is seen (names are compared with
            # case and accents folded anyway).
            completer = QCompleter(known_adults, self.adult_name)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.adult_name.setCompleter(completer)
        self.add_field(
            self.tr("The adult's full &name"),
            self.adult_name,
            "adult_name",
            self.tr("As in your staff or volunteer records."),
        )
        self.adult_role = QLineEdit()
        self.adult_role.setAccessibleName(self.tr("Their role"))
        self.adult_role.setMaxLength(200)
        self.add_field(
            self.tr("Their r&ole, for example coach or teaching assistant"),
            self.adult_role,
            "adult_role",
        )
        self.what_happened = text_box(self.tr("What happened"), 5, fixed=True)
        self.highlighter = FactualHighlighter(self.what_happened.document())
        self.add_field(
            self.tr("What &happened"),
            self.what_happened,
            "what_happened",
            self.tr(
                "Facts: what was seen or heard, by whom, where. Words that read as opinion "
                "or guesswork are underlined."
            ),
        )
        self.action_taken = text_box(self.tr("What was done"), 3, fixed=True)
        self.add_field(
            self.tr("What was &done about it"),
            self.action_taken,
            "action_taken",
            self.tr("For example: spoke to them about the code of conduct; nothing yet."),
        )
        self.recorded_by = QLabel(
            self.tr("Recorded by you, {name}, now.").format(name=recorder_name)
        )
        self.recorded_by.setWordWrap(True)
        self.form.addWidget(self.recorded_by)
        self.form.addStretch(1)

    def first_field(self) -> QWidget:
        return self.adult_name

    def entry(self) -> LowLevelConcern:
        """What was typed; IncompleteDecision (a BadInput) naming every gap at once."""
        entry = LowLevelConcern(
            occurred_on=to_date(self.occurred_on.date()),
            adult_name=self.adult_name.text(),
            adult_role=self.adult_role.text(),
            what_happened=self.what_happened.toPlainText(),
            action_taken=self.action_taken.toPlainText(),
        )
        found = problems(entry, date.today())
        if found:
            raise IncompleteDecision(found)
        return entry

    def show_problems(self, error: IncompleteDecision) -> None:
        """Each gap under its own field, the focus on the first."""
        self.set_busy(False)
        for field, message in reversed(error.problems):
            self.show_failure(message, field)
