"""Dialogs that add to a concern itself: a correction (amendment) and closing it.

A submitted concern is never changed. A correction is an amendment kept beside the part
it corrects, with the reason; closing keeps the reason as a note. Like the other casework
dialogs these only collect and check; the concern view sends them on the worker.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from safeguard_desktop.domain.casework import (
    AMENDABLE_FIELDS,
    NewAmendment,
    check_correction_changes,
    checked_close_reason,
)

from ..theme import hint
from ..widgets.casework_dialog import CaseworkDialog
from ..widgets.form_fields import text_box
from ..widgets.record_text import record_label, set_record_text

# Enough of the original to recognise it; the whole text is on the page behind.
_ORIGINAL_PREVIEW = 600


class AmendmentDialog(CaseworkDialog):
    """Which part, the corrected text and why; the original is shown for reference.

    ``originals`` maps each amendable field to the text as submitted (as shown on the
    page). Text fields start with the original, so fixing a slip is a small edit.
    """

    def __init__(self, originals: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Correct something"),
            self.tr("&Add the correction"),
            self.tr("Add the correction"),
            parent,
        )
        self._originals = originals
        self.form.addWidget(
            hint(
                self.tr(
                    "The concern stays exactly as it was submitted. Your correction is shown "
                    "under the part it corrects, with your reason, your name and the time."
                )
            )
        )
        self.field = QComboBox()
        self.field.setAccessibleName(self.tr("Which part to correct"))
        for key, label in AMENDABLE_FIELDS.items():
            self.field.addItem(self.tr(label), key)
        self.add_field(self.tr("&Which part"), self.field, "field")
        self.original_caption = hint(self.tr("As submitted:"))
        self.form.addWidget(self.original_caption)
        self.original = record_label("", self.tr("The part as submitted"))
        self.original.setContentsMargins(12, 0, 0, 6)
        self.form.addWidget(self.original)
        self.correction = text_box(self.tr("Correction"), 5, fixed=True)
        self.add_field(self.tr("&Correction"), self.correction, "new_value")
        self.reason = text_box(self.tr("Reason for the correction"), 3, fixed=True)
        self.add_field(
            self.tr("&Reason"),
            self.reason,
            "reason",
            self.tr('For example: "The recorder rang to say it was the right arm, not the left."'),
        )
        self.form.addStretch(1)
        self.field.currentIndexChanged.connect(self._field_changed)
        self._field_changed()

    def chosen_field(self) -> str:
        return str(self.field.currentData())

    def _field_changed(self) -> None:
        original = self._originals.get(self.chosen_field(), "")
        shown = original if len(original) <= _ORIGINAL_PREVIEW else original[:_ORIGINAL_PREVIEW]
        if len(original) > _ORIGINAL_PREVIEW:
            shown += "…"
        set_record_text(self.original, shown or self.tr("(nothing was written here)"))
        self.original_caption.setVisible(self.chosen_field() != "other")
        self.original.setVisible(self.chosen_field() != "other")
        # Start from the original so a slip is corrected with a small edit; not for the
        # child's details or "something else", which are described rather than retyped.
        self.correction.setPlainText(
            original if self.chosen_field() not in ("children", "other") else ""
        )
        self.fit_height()

    def amendment(self) -> NewAmendment:
        """The correction, checked; raises BadInput naming the field."""
        corrected = self.correction.toPlainText()
        # Checked here too for an answer before the worker runs; casework refuses it alike.
        check_correction_changes(self._originals.get(self.chosen_field()), corrected)
        amendment = NewAmendment.checked(
            field=self.chosen_field(), new_value=corrected, reason=self.reason.toPlainText()
        )
        return amendment


class CloseConcernDialog(CaseworkDialog):
    """Closing needs a reason; it is kept beside the concern, which can be reopened."""

    def __init__(self, ref: str, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Close concern {ref}").format(ref=ref),
            self.tr("&Close the concern"),
            self.tr("Close the concern"),
            parent,
        )
        self.setMinimumWidth(self.minimumWidth() * 5 // 6)
        self.reason = text_box(self.tr("Why it is being closed"), 4, fixed=True)
        self.add_field(
            self.tr("&Why is it being closed?"),
            self.reason,
            "reason",
            self.tr(
                'For example: "Spoke to mum; explained by a fall at football, seen by the '
                'coach. No further action." The reason is kept with the concern, and it can '
                "be reopened at any time."
            ),
        )
        self.form.addStretch(1)

    def reason_text(self) -> str:
        return checked_close_reason(self.reason.toPlainText())
