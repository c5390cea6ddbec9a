"""Small dialogs of the casework views: add an action (from a concern or a child's page),
mark a follow-up done.

Each is opened with ``open()`` (never ``exec()``), is a child of the view that opened it,
and so is destroyed with the signed-in area at lock. A dialog only collects and checks
what is typed (with the domain's own validating constructors); the view that opened it
sends it to the service on the worker and, on failure, puts the sentence back under the
field it is about (``show_failure``), so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from PySide6.QtCore import QDate, QDateTime, QTime, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.casework import ActionKind, NewAction
from safeguard_desktop.domain.errors import BadInput

from .dialog_parts import FittingDialog, action_buttons, busy_bar
from .form_fields import DATE_TIME_FORMAT, date_edit, name_editor, text_box, to_date, to_datetime
from .record_text import record_label
from .theme import MessageLine, heading, hint, text_width
from .wizard_page import scroll_area
from .worker import Failure

Value = TypeVar("Value")


class CaseworkDialog(FittingDialog):
    """Heading, fields each with their error line, a general error line, busy bar, buttons.

    ``confirm_button`` is the default button; the view connects it to its own handler.
    """

    def __init__(
        self, title: str, confirm_text: str, confirm_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(text_width(72))
        self.busy = False
        self.field_errors: dict[str, MessageLine] = {}
        self._fields: dict[str, QWidget] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(10)
        outer.addWidget(heading(title, level=2))
        # The fields scroll, so a long dialog still fits a small screen at 150 % text.
        self.body = QWidget()
        self.form = QVBoxLayout(self.body)
        self.form.setContentsMargins(0, 0, 8, 0)
        self.form.setSpacing(6)
        self.scroller: QScrollArea = scroll_area(self.body)
        outer.addWidget(self.scroller, 1)
        self.error = MessageLine(self.tr("Problem"))
        outer.addWidget(self.error)
        self.busy_bar = busy_bar(self.tr("Saving"))
        outer.addWidget(self.busy_bar)
        self.buttons, self.confirm_button, self.cancel_button = action_buttons(
            confirm_text, confirm_name
        )
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def fit_height(self) -> None:
        """As tall as the fields need, up to the screen's height (then the fields scroll)."""
        layout = self.layout()
        if layout is None:
            return
        width = max(self.scroller.viewport().width(), self.width() - 60)
        fields = self.form.totalHeightForWidth(width)
        if fields <= 0:
            fields = self.body.sizeHint().height()
        chrome = layout.totalSizeHint().height() - self.scroller.sizeHint().height()
        screen = self.screen()
        limit = screen.availableGeometry().height() - 80 if screen is not None else 640
        wanted = min(fields + chrome + 8, max(limit, 300))
        if self.minimumHeight() != wanted:
            self.setMinimumHeight(wanted)
        if self.height() < wanted:
            self.resize(self.width(), wanted)

    def add_field(
        self,
        label: str,
        widget: QWidget,
        field: str,
        note: str = "",
        *,
        into: QVBoxLayout | None = None,
    ) -> None:
        """A label with its mnemonic, an optional hint, the field and its error line, in
        the form or ``into`` a group of fields shown together."""
        layout = self.form if into is None else into
        caption = QLabel(label)
        caption.setWordWrap(True)
        caption.setBuddy(widget)
        layout.addWidget(caption)
        if note:
            layout.addWidget(hint(note))
        layout.addWidget(widget)
        error = MessageLine(self.tr("Problem with this field"))
        layout.addWidget(error)
        self.field_errors[field] = error
        self._fields[field] = widget

    def show_failure(self, message: str, field: str | None = None) -> None:
        """One sentence, under the field it is about when there is one."""
        self.set_busy(False)
        line = self.field_errors.get(field or "")
        if line is None:
            self.error.show_error(message)
            return
        line.show_error(message)
        widget = self._fields[field or ""]
        widget.setFocus()
        self.scroller.ensureWidgetVisible(line, 20, 40)

    def show_worker_failure(self, failure: Failure) -> None:
        field = failure.error.field if isinstance(failure.error, BadInput) else None
        self.show_failure(failure.message, field)

    def clear_errors(self) -> None:
        self.error.clear_message()
        for line in self.field_errors.values():
            line.clear_message()

    def start_saving(self, read: Callable[[], Value]) -> Value | None:
        """What ``read`` collects and checks, with the dialog now busy saving it.

        None if a save is already running (a second click of a double click), or if
        ``read`` raised BadInput: its sentence is then shown under the field it names.
        """
        if self.busy:
            return None
        self.clear_errors()
        try:
            value = read()
        except BadInput as error:
            self.show_failure(error.message, error.field)
            return None
        self.set_busy(True)
        return value

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.body.setEnabled(not busy)
        self.confirm_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)

    def reject(self) -> None:
        # A save on the worker cannot be called back: closing now would look like
        # cancelling it, and if it then failed, what was typed would be gone with the
        # dialog. Escape and Cancel wait until the save has succeeded or failed.
        if not self.busy:
            super().reject()


class AddActionDialog(CaseworkDialog):
    """What was done, when (may be backdated, not in the future), by whom, with what outcome,
    and optionally a follow-up date that then shows on Home when it is due.

    The one "add an action" form, opened from a concern and from a child's page. It only
    collects the action; the page that opened it records it against its concern, or
    (``for_child``) against the child alone, where it goes into their chronology: the
    heading and button say so, and a note is the likeliest kind there.
    """

    def __init__(self, who: str, parent: QWidget | None = None, *, for_child: bool = False) -> None:
        if for_child:
            title, confirm = self.tr("Add an action or note"), self.tr("Add to the chronology")
            mnemonic = self.tr("&Add to the chronology")
        else:
            title, confirm = self.tr("Add an action"), self.tr("Add the action")
            mnemonic = self.tr("&Add the action")
        super().__init__(title, mnemonic, confirm, parent)
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Kind of action"))
        for kind in ActionKind:
            self.kind.addItem(self.tr(kind.label), kind.value)
        if for_child:
            self.kind.setCurrentIndex(self.kind.findData(ActionKind.NOTE.value))
        self.add_field(self.tr("&What kind of action"), self.kind, "kind")

        now = QDateTime.currentDateTime()
        self.when = QDateTimeEdit(now)
        name_editor(self.when, self.tr("When it happened"))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(DATE_TIME_FORMAT)
        self.when.setMinimumDateTime(QDateTime(QDate(1900, 1, 1), QTime(0, 0)))
        # Backdating is normal (a phone call made yesterday); the future is not.
        self.when.setMaximumDateTime(now)
        self.add_field(
            self.tr("W&hen it happened"),
            self.when,
            "occurred_at",
            self.tr("Now, or earlier if you are writing down something done before."),
        )

        self.who = QLineEdit(who)
        self.who.setAccessibleName(self.tr("Who did it"))
        self.who.setMaxLength(200)
        self.add_field(
            self.tr("Wh&o did it"),
            self.who,
            "who",
            self.tr('You, or someone else, for example "Sam Lee, class teacher".'),
        )

        self.details = text_box(self.tr("What happened"), 5, fixed=True)
        self.add_field(
            self.tr("What &happened"),
            self.details,
            "details",
            self.tr("Facts: who you spoke to, what was said, what was agreed."),
        )
        self.outcome = text_box(self.tr("Outcome"), 3, fixed=True)
        self.add_field(
            self.tr("O&utcome (if there is one yet)"),
            self.outcome,
            "outcome",
        )

        self.follow_up = QCheckBox(self.tr("Set a &follow-up date"))
        self.follow_up.setAccessibleName(self.tr("Set a follow-up date"))
        self.form.addWidget(self.follow_up)
        self.follow_up_box = QWidget()
        box = QVBoxLayout(self.follow_up_box)
        box.setContentsMargins(24, 0, 0, 0)
        box.setSpacing(6)
        self.follow_up_on = date_edit(self.tr("Follow-up date"))
        today = QDate.currentDate()
        self.follow_up_on.setMinimumDate(today)
        self.follow_up_on.setDate(today.addDays(7))
        self.follow_up_what = QLineEdit()
        self.follow_up_what.setAccessibleName(self.tr("What to follow up"))
        self.follow_up_what.setMaxLength(1000)
        self.follow_up_what.setPlaceholderText(self.tr("For example: check the bruise has faded"))
        self.add_field(self.tr("Follow-up &date"), self.follow_up_on, "follow_up_on", into=box)
        self.add_field(
            self.tr("What to follow u&p"), self.follow_up_what, "follow_up_what", into=box
        )
        box.addWidget(hint(self.tr("It shows on Home from that day until it is marked done.")))
        self.form.addWidget(self.follow_up_box)
        self.follow_up_box.setVisible(False)
        self.follow_up.toggled.connect(self._follow_up_toggled)
        self.form.addStretch(1)

    def _follow_up_toggled(self, on: bool) -> None:
        self.follow_up_box.setVisible(on)
        self.fit_height()
        if on:
            self.follow_up_on.setFocus()
            # Once the layout has made room for the new fields.
            QTimer.singleShot(
                0, self, lambda: self.scroller.ensureWidgetVisible(self.follow_up_box, 20, 20)
            )

    def action(self) -> NewAction:
        """What was typed, checked; raises BadInput naming the field."""
        follow_on = to_date(self.follow_up_on.date()) if self.follow_up.isChecked() else None
        if follow_on is not None and follow_on < date.today():
            raise BadInput(self.tr("A follow-up date cannot be in the past."), "follow_up_on")
        return NewAction.checked(
            kind=self.kind.currentData(),
            occurred_at=to_datetime(self.when.dateTime()),
            who=self.who.text().strip(),
            details=self.details.toPlainText(),
            outcome=self.outcome.toPlainText(),
            follow_up_on=follow_on,
            follow_up_what=self.follow_up_what.text() if follow_on is not None else "",
            now=datetime.now(),
        )


class MarkDoneDialog(CaseworkDialog):
    """A follow-up is done: a short note of what was done is kept with it."""

    def __init__(self, due: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Mark a follow-up done"), self.tr("&Mark done"), self.tr("Mark done"), parent
        )
        self.setMinimumWidth(text_width(54))
        about = record_label(self.tr("Due {due}: {what}").format(due=due, what=what))
        about.setAccessibleName(self.tr("The follow-up"))
        self.form.addWidget(about)
        self.note = text_box(self.tr("What was done"), 3, fixed=True)
        self.add_field(
            self.tr("&What was done"),
            self.note,
            "note",
            self.tr('A line or two, for example "Checked in with her at lunch; she is fine."'),
        )
        self.form.addStretch(1)

    def note_text(self) -> str:
        text = self.note.toPlainText()
        if not text.strip():
            raise BadInput(self.tr("Say briefly what was done."), "note")
        return text
