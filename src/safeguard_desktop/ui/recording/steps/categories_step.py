"""The step asking what kind of concern it is: every category that may apply."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from safeguard_desktop.domain.categories import CATEGORIES

from ...theme import MessageLine, hint
from ...widgets.form_fields import WrappingCheck
from .step_page import FormPage


class CategoriesPage(FormPage):
    def __init__(self, lead: str) -> None:
        super().__init__()
        self.set_title(self.tr("What kind of concern is it?"))
        self.set_intro(
            self.tr(
                "Tick every one that may apply (Space ticks the one you are on). If you are "
                "not sure, tick Other: the {lead} decides."
            ).format(lead=lead)
        )
        layout = self.body_layout
        layout.setSpacing(6)
        self.checks: dict[str, QCheckBox] = {}
        for item in CATEGORIES:
            # The words wrap on a narrow screen rather than run off its edge.
            row = WrappingCheck(self.tr(item.label))
            check = row.check
            words = self.tr(item.guidance)
            if item.lado:
                # The word on the label, explained where it is read.
                words += " " + self.tr(
                    "The {lead} tells the LADO (the council's Local Authority Designated "
                    "Officer for allegations about adults) within one working day."
                ).format(lead=lead)
            check.setAccessibleDescription(words)
            guidance = hint(words)
            guidance.setContentsMargins(30, 0, 0, 6)
            layout.addWidget(row)
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
