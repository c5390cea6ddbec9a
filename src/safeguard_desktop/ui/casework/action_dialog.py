"""Small dialogs of the casework views: add an action (from a concern or a child's page),
mark a follow-up done.

Each is opened with ``open()`` (never ``exec()``), is a child of the view that opened it,
and so is destroyed with the signed-in area at lock. A dialog only collects and checks
what is typed (with the domain's own validating constructors); the view that opened it
sends it to the service on the worker and, on failure, puts the sentence back under the
field it is about (``show_failure``), so nothing typed is lost.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.casework import ActionKind, NewAction, checked_done_note

from ..theme import text_width
from ..widgets.casework_dialog import CaseworkDialog
from ..widgets.field_hint import field_hint
from ..widgets.form_fields import (
    DATE_TIME_FORMAT,
    date_edit,
    name_editor,
    text_box,
    to_date,
    to_datetime,
)
from ..widgets.record_text import record_label


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
            self.tr("Whe&n it happened"),
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
        # Bound to the date before its error line is, so a screen reader says it there too.
        shows_on_home = field_hint(
            self.follow_up_on, self.tr("It shows on Home from that day until it is marked done.")
        )
        self.add_field(self.tr("Follow-up &date"), self.follow_up_on, "follow_up_on", into=box)
        self.add_field(
            self.tr("What to follow u&p"), self.follow_up_what, "follow_up_what", into=box
        )
        box.addWidget(shows_on_home)
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
        return checked_done_note(self.note.toPlainText())
