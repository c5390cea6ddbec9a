"""Adding a status to a child's file (a plan, looked after, an EHCP…), and marking one ended.

The dialogs only collect what was typed and run the domain's own checks
(domain/child_status.py), each gap under its own field; the services check it all again.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QWidget

from safeguard_desktop.domain.child_status import NewStatus, StatusKind, checked_end
from safeguard_desktop.domain.errors import IncompleteDecision

from ..theme import text_width
from ..widgets.form_fields import date_edit, to_date
from .child_dialogs import RecordDialog


class StatusDialog(RecordDialog[NewStatus]):
    """A status with its start date and, as it needs, who leads and when it is reviewed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Add a status"), self.tr("&Add the status"), self.tr("Add the status"), parent
        )
        self.kind = QComboBox()
        for kind in StatusKind:
            self.kind.addItem(self.tr(kind.label), kind.value)
        self.add_field("kind", self.tr("&Status"), self.kind, self.tr("Status"))
        self.started_on = date_edit(self.tr("Started on"))
        self.started_on.setMaximumDate(QDate.currentDate())
        self.started_on.setDate(QDate.currentDate())
        self.started_on.setMaximumWidth(text_width(18))
        self.add_field("started_on", self.tr("Started &on"), self.started_on, self.tr("Started on"))
        self.lead_professional = self.line(
            "lead_professional",
            self.tr("&Lead professional"),
            self.tr("Lead professional"),
        )
        self.add_hint(
            self.tr(
                "The social worker or early help lead, and how to reach them. They are the one "
                "to tell when a new concern is recorded."
            )
        )
        self.virtual_school_contact = self.line(
            "virtual_school_contact",
            self.tr("&Virtual school contact (looked after)"),
            self.tr("Virtual school contact"),
        )
        self.review_on = date_edit(self.tr("Next review"))
        self.review_on.setMinimumDate(QDate.currentDate())
        self.review_on.setDate(QDate.currentDate().addMonths(3))
        self.review_on.setMaximumWidth(text_width(18))
        self.add_field(
            "review_on",
            self.tr("Next &review (early help)"),
            self.review_on,
            self.tr("Next review"),
        )
        self.note = self.text_box("note", self.tr("&Note"), self.tr("Note"), lines=2)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def chosen(self) -> StatusKind:
        return StatusKind(str(self.kind.currentData()))

    def _kind_changed(self) -> None:
        kind = self.chosen()
        self.virtual_school_contact.setEnabled(kind is StatusKind.LOOKED_AFTER)
        self.review_on.setEnabled(kind is StatusKind.EARLY_HELP_PLAN)

    def checked(self) -> NewStatus:
        kind = self.chosen()
        return NewStatus.checked(
            kind=kind,
            started_on=to_date(self.started_on.date()),
            lead_professional=self.lead_professional.text(),
            virtual_school_contact=(
                self.virtual_school_contact.text() if kind is StatusKind.LOOKED_AFTER else ""
            ),
            review_on=(
                to_date(self.review_on.date()) if kind is StatusKind.EARLY_HELP_PLAN else None
            ),
            note=self.note.toPlainText(),
            today=date.today(),
        )

    def try_checked(self) -> NewStatus | None:
        """Every gap under its own field at once, not the first only."""
        self.clear_errors()
        try:
            return self.checked()
        except IncompleteDecision as error:
            for field, sentence in reversed(error.problems):
                self.show_error(field, sentence)  # the first gap ends with the focus
            return None


class EndStatusDialog(RecordDialog[date]):
    """The day a status ended (a plan closed, a child no longer looked after)."""

    def __init__(self, label: str, started_on: date, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Mark as ended"),
            self.tr("&Mark as ended"),
            self.tr("Mark the status as ended"),
            parent,
        )
        self._started_on = started_on
        self.add_hint(label)
        self.ended_on = date_edit(self.tr("Ended on"))
        self.ended_on.setMaximumDate(QDate.currentDate())
        self.ended_on.setDate(QDate.currentDate())
        self.ended_on.setMaximumWidth(text_width(18))
        self.add_field("ended_on", self.tr("&Ended on"), self.ended_on, self.tr("Ended on"))

    def checked(self) -> date:
        return checked_end(self._started_on, to_date(self.ended_on.date()), today=date.today())
