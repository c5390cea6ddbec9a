"""Record a subject access request: who asked, their relationship, when it arrived and
how their identity was checked, with the deadline it will have shown as the date changes.

The dialog only collects and checks (domain/subject_access.py's ``NewRequest.checked``,
each refusal under its field); the caller saves on the worker.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.subject_access import NewRequest, due_on
from safeguard_desktop.domain.working_days import WorkingDays

from ..theme import MessageLine, heading, hint, paragraph, text_width
from ..widgets.dialog_parts import FittingDialog, action_buttons, busy_bar, make_default
from ..widgets.form_fields import date_edit, text_box, to_date

MAX_FIELD = 200


class RecordRequestDialog(FittingDialog):
    """Four required fields and the deadline; ``save_button`` is what Enter presses."""

    def __init__(
        self, child_name: str, working: WorkingDays | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._working = working or WorkingDays()
        title = self.tr("Record a subject access request")
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(text_width(60))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(8)
        layout.addWidget(heading(title, level=2))
        about = paragraph(
            self.tr("A request for {name}'s records. Every field is needed.").format(
                name=child_name
            )
        )
        about.setAccessibleName(self.tr("Whose records"))
        layout.addWidget(about)
        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        layout.addLayout(form)
        self.errors: dict[str, MessageLine] = {}
        self.fields: dict[str, QWidget] = {}
        self.requester = QLineEdit()
        self.requester.setMaxLength(MAX_FIELD)
        self._add(form, "requester", self.tr("&Who asked"), self.requester, self.tr("Who asked"))
        self.relationship = QLineEdit()
        self.relationship.setMaxLength(MAX_FIELD)
        self.relationship.setPlaceholderText(self.tr("Mother, the child, their solicitor…"))
        self._add(
            form,
            "relationship",
            self.tr("Their rela&tionship to the child"),
            self.relationship,
            self.tr("Their relationship to the child"),
        )
        self.received_on = date_edit(self.tr("Date received"))
        self.received_on.setMaximumDate(QDate.currentDate())
        self.received_on.setDate(QDate.currentDate())
        self.received_on.setMaximumWidth(text_width(18))
        self._add(
            form,
            "received_on",
            self.tr("Date &received"),
            self.received_on,
            self.tr("Date received"),
        )
        self.deadline = paragraph()
        self.deadline.setAccessibleName(self.tr("Deadline"))
        form.addRow(self.deadline)
        self.identity: QPlainTextEdit = text_box(self.tr("How their identity was checked"), 3)
        self._add(
            form,
            "identity_checked",
            self.tr("How their &identity was checked"),
            self.identity,
            self.tr("How their identity was checked"),
        )
        form.addRow(hint(self.tr("For example: passport seen at reception by the DSL.")))
        self.busy = busy_bar(self.tr("Saving"))
        layout.addWidget(self.busy)
        layout.addStretch(1)
        self.buttons, self.save_button, self.cancel_button = action_buttons(
            self.tr("Re&cord the request"), self.tr("Record the request")
        )
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        make_default(self.save_button)
        self.received_on.dateChanged.connect(self._show_deadline)
        self._show_deadline()
        self.requester.setFocus()

    def _add(self, form: QFormLayout, key: str, label: str, widget: QWidget, name: str) -> None:
        widget.setAccessibleName(name)
        caption = QLabel(label)
        caption.setBuddy(widget)
        form.addRow(caption, widget)
        error = MessageLine(self.tr("Problem with {field}").format(field=name.lower()))
        form.addRow(error)
        self.fields[key] = widget
        self.errors[key] = error

    def _show_deadline(self) -> None:
        due = due_on(to_date(self.received_on.date()), self._working)
        self.deadline.setText(
            self.tr("The response will be due by {day} (one calendar month).").format(
                day=long_date(due)
            )
        )

    def checked(self) -> NewRequest | None:
        """The request, or None with the reason shown under its field."""
        self.error.clear_message()
        for line in self.errors.values():
            line.clear_message()
        try:
            return NewRequest.checked(
                requester=self.requester.text(),
                relationship=self.relationship.text(),
                received_on=to_date(self.received_on.date()),
                identity_checked=self.identity.toPlainText(),
                today=date.today(),
            )
        except BadInput as error:
            self.show_error(error.message, error.field)
            return None

    def show_error(self, sentence: str, field: str | None = None) -> None:
        self.set_busy(False)
        if field in self.errors:
            assert field is not None
            self.errors[field].show_error(sentence)
            self.fields[field].setFocus()
        else:
            self.error.show_error(sentence)
        self.fit_height()

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.save_button.setEnabled(not busy)
        for widget in self.fields.values():
            widget.setEnabled(not busy)
