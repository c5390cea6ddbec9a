"""The step asking what kind of concern it is: every category that may apply."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from safeguard_desktop.domain.categories import CATEGORIES

from ...theme import MessageLine, hint
from ...widgets.form_fields import WrappingCheck
from .step_page import FormPage

# One Alt key for each kind, none of the form's own (Next, Back, Stop for now): at the
# first of these letters (or words) in the label, the first letter where it can be.
_ALT_KEYS = {
    "physical_abuse": "h",
    "emotional_abuse": "E",
    "sexual_abuse": "S",
    "neglect": "g",
    "child_on_child": "C",
    "online_harm": "O",
    "child_sexual_exploitation": "x",
    "child_criminal_exploitation": "lines",
    "domestic_abuse": "D",
    "fgm": "F",
    "radicalisation": "R",
    "self_harm_mental_health": "mental",
    "allegation_against_adult": "A",
    "other": "t",
}


def _with_alt_key(label: str, at_text: str) -> str:
    """``label`` with "&" before the first ``at_text`` in it (a translation without it
    keeps its words and has no Alt key)."""
    at = label.find(at_text)
    return label.replace("&", "&&") if at < 0 else f"{label[:at]}&{label[at:]}"


class CategoriesPage(FormPage):
    def __init__(self, lead: str) -> None:
        super().__init__()
        self.set_title(self.tr("What kind of concern?"))
        # How to answer, quieter than the choices it is about.
        self.set_intro(
            self.tr(
                "Tick all that may apply (Space ticks the one you are on). Not sure? Tick "
                "Other: the {lead} decides."
            ).format(lead=lead),
            quiet=True,
        )
        layout = self.body_layout
        layout.setSpacing(6)
        self.checks: dict[str, QCheckBox] = {}
        for item in CATEGORIES:
            # The words wrap on a narrow screen rather than run off its edge; the Alt key
            # ticks the box in one press, where Tab to it and Space take two.
            row = WrappingCheck(_with_alt_key(self.tr(item.label), _ALT_KEYS[item.id]))
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
