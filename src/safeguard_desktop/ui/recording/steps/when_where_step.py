"""The step asking when and where it happened."""

from __future__ import annotations

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDateTimeEdit, QLineEdit

from safeguard_desktop.domain.concern import MAX_LOCATION_LENGTH

from ...theme import hint, text_width
from .step_page import FormPage, labelled


class WhenWherePage(FormPage):
    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("When and where"))
        layout = self.body_layout
        self.occurred_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.occurred_at.setCalendarPopup(True)
        self.occurred_at.setDisplayFormat("dd/MM/yyyy  HH:mm")
        self.occurred_at.setAccessibleName(self.tr("When it happened"))
        self.occurred_at.setMaximumWidth(text_width(28))
        self.field_errors["occurred_at"] = labelled(
            layout,
            self.tr("&When did it happen, or when did you notice it?"),
            self.occurred_at,
            self.tr("Problem with when it happened"),
        )
        layout.addWidget(hint(self.tr("It starts at now; change it if it was earlier.")))
        self.location = QLineEdit()
        self.location.setMaxLength(MAX_LOCATION_LENGTH)
        self.location.setAccessibleName(self.tr("Where it happened"))
        self.location.setPlaceholderText(
            self.tr("For example: the changing room at the main pitch")
        )
        self.field_errors["location"] = labelled(
            layout,
            self.tr("Whe&re did it happen?"),
            self.location,
            self.tr("Problem with where it happened"),
        )
        self.field_widgets.update(occurred_at=self.occurred_at, location=self.location)
        layout.addWidget(self.page_error)
        layout.addStretch(1)
