"""Keeping a child's file: a lead's own review date, a legal hold placed or lifted, and the
confirmation before the file is deleted at its review.

The first three are small forms on :class:`.child_dialogs.RecordDialog`: they collect
what was typed and run domain/retention.py's own checks (a date never in the past, a
reason always), each refusal under its field; the services check it all again, and the
page saves on the worker. :class:`DeleteFileDialog` shows what deleting would remove,
counted by the service before anything is removed, and its red button works only once
the lead has ticked that they reviewed the file.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.retention import (
    Basis,
    DeletionPlan,
    Retention,
    checked_reason,
    checked_review_on,
)
from safeguard_desktop.services.retention import BACKUPS_STILL_HOLD_IT

from ..theme import (
    BUTTON_MIN_HEIGHT,
    ERROR_INK,
    MessageLine,
    bold,
    heading,
    paragraph,
    text_width,
)
from ..widgets.dialog_parts import FittingDialog, action_buttons, busy_bar
from ..widgets.form_fields import WrappingCheck, date_edit, to_date, to_qdate
from ..widgets.record_text import record_label
from .child_dialogs import RecordDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("Retention", text)


def _counted(n: int, one: str, many: str) -> str:
    return _tr(one) if n == 1 else _tr(many).format(n=n)


# What goes, in the plan's order: its count's key, and the words for one and for several
# (translated where shown, in the "Retention" context).
_GOES = (
    ("concerns", "1 concern", "{n} concerns"),
    ("actions", "1 action", "{n} actions"),
    ("decisions", "1 decision", "{n} decisions"),
    ("follow_ups", "1 follow-up", "{n} follow-ups"),
    ("attachments", "1 attached file", "{n} attached files"),
    ("referrals", "1 referral", "{n} referrals"),
    ("household_members", "1 household member", "{n} household members"),
    ("professionals", "1 professional", "{n} professionals"),
    ("statuses", "1 plan or status", "{n} plans or statuses"),
    ("transfers_sent", "the record of 1 transfer sent", "the records of {n} transfers sent"),
    (
        "transferred_records",
        "1 record an earlier school or club sent",
        "{n} records earlier schools or clubs sent",
    ),
    (
        "kept_aside_copies",
        "1 item not accepted (a sealed copy of its concern)",
        "{n} items not accepted (sealed copies of its concerns)",
    ),
)


def plan_words(plan: DeletionPlan) -> str:
    """ "3 concerns, 5 actions, 2 attached files and 1 referral": what goes besides the
    child's details and chronology ("" when nothing else does)."""
    counts = plan.counts()
    parts = [_counted(counts[key], one, many) for key, one, many in _GOES if counts.get(key)]
    if len(parts) <= 1:
        return "".join(parts)
    return _tr("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


def kept_words(plan: DeletionPlan) -> str:
    """What stays for other children, in a sentence or two; "" when nothing does."""
    said = []
    kept = len(plan.concerns_kept)
    if kept == 1:
        said.append(
            _tr(
                "1 concern also names other children: it stays for them, no longer linked to "
                "this child."
            )
        )
    elif kept:
        said.append(
            _tr(
                "{n} concerns also name other children: they stay for them, no longer linked "
                "to this child."
            ).format(n=kept)
        )
    whole = plan.whole_concern_referrals
    if whole == 1:
        said.append(
            _tr(
                "1 referral an earlier version made for a whole concern stays for the other "
                "children as it was sent, so it still names this child."
            )
        )
    elif whole:
        said.append(
            _tr(
                "{n} referrals an earlier version made for a whole concern stay for the other "
                "children as they were sent, so they still name this child."
            ).format(n=whole)
        )
    return " ".join(said)


class ReviewDateDialog(RecordDialog[tuple[date, str]]):
    """A lead's own review date for the file, with the reason; or back to the rule.

    A lead keeps a file longer than the organisation's rule, never shorter. While the date
    is the rule's, the picker starts there; once a lead's date is set the rule's own date
    is not on the page, and the service refuses an earlier one under the field."""

    def __init__(self, retention: Retention, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Change the review date"),
            self.tr("&Set the review date"),
            self.tr("Set the review date"),
            parent,
        )
        self.add_hint(
            self.tr(
                "Its review date now: {day}. {why} Set a later date to keep the file longer "
                "(the family asked, a sibling's case still runs); never one earlier than the "
                "rule gives, nor a day already past."
            ).format(day=long_date(retention.review_on), why=retention.basis_words())
        )
        self.review_on = date_edit(self.tr("Review on"))
        self._rule = retention.review_on if retention.basis is not Basis.SET_BY_LEAD else None
        today = QDate.currentDate()
        shown = to_qdate(retention.review_on)
        self.review_on.setMinimumDate(max(today, shown) if self._rule is not None else today)
        self.review_on.setDate(shown if shown >= today else today.addYears(1))
        self.review_on.setMaximumWidth(text_width(18))
        self.add_field("review_on", self.tr("&Review on"), self.review_on, self.tr("Review on"))
        self.reason = self.text_box(
            "reason", self.tr("Re&ason"), self.tr("Reason for the review date"), lines=3
        )
        kept = self.tr("Kept with the date and shown on the child's file.")
        self.add_hint(kept)
        self.reason.setAccessibleDescription(kept)  # said on the field too
        # Only a date a lead set can be taken away; a date from the rule already is the rule.
        self.rule_button: QPushButton | None = None
        if retention.basis is Basis.SET_BY_LEAD:
            self.rule_button = self.buttons.addButton(
                self.tr("&Go back to the organisation's rule"),
                QDialogButtonBox.ButtonRole.ResetRole,
            )
            self.rule_button.setAccessibleName(self.tr("Go back to the organisation's rule"))
            self.rule_button.setMinimumHeight(BUTTON_MIN_HEIGHT)

    def checked(self) -> tuple[date, str]:
        day = checked_review_on(to_date(self.review_on.date()), date.today(), self._rule)
        return day, checked_reason(self.reason.toPlainText())

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if self.rule_button is not None:
            self.rule_button.setEnabled(not busy)


class HoldDialog(RecordDialog[str]):
    """Place a legal hold on the file, or lift the one in force: either needs a reason."""

    def __init__(self, retention: Retention, parent: QWidget | None = None) -> None:
        lifting = retention.held
        if lifting:
            texts = (
                self.tr("Lift the legal hold"),
                self.tr("&Lift the hold"),
                self.tr("Lift the legal hold"),
            )
        else:
            texts = (
                self.tr("Place a legal hold"),
                self.tr("&Place the hold"),
                self.tr("Place the legal hold"),
            )
        super().__init__(*texts, parent)
        if lifting:
            self.form.addRow(
                record_label(
                    self.tr("The hold: {reason}").format(reason=retention.facts.hold_reason),
                    self.tr("The legal hold in force"),
                )
            )
            self.add_hint(
                self.tr(
                    "Once lifted, the file can be deleted at its review like any other. The "
                    "hold and why it was lifted stay in the audit log."
                )
            )
            label, accessible = self.tr("&Why it no longer applies"), self.tr("Why it is lifted")
        else:
            self.add_hint(
                self.tr(
                    "A legal hold stops this child's file being deleted, whatever its review "
                    "date, until a lead lifts it: for a police investigation, a public inquiry "
                    "or a claim. Say what it is for, with any reference, so the next lead knows "
                    "when it can be lifted."
                )
            )
            label, accessible = self.tr("&What the hold is for"), self.tr("What the hold is for")
        self.reason = self.text_box("reason", label, accessible, lines=3)

    def checked(self) -> str:
        return checked_reason(self.reason.toPlainText())


class DeleteFileDialog(FittingDialog):
    """What deleting the child's file removes, for good, and the lead's tick that they
    reviewed it. ``delete_button`` (red) works only once ticked; Cancel is the default."""

    def __init__(self, name: str, plan: DeletionPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.name = name
        self._busy = False
        self.setWindowTitle(self.tr("Delete this child's file"))
        self.setModal(True)
        self.setMinimumWidth(text_width(64))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        title = heading(self.tr("Delete this child's file for good?"), level=2)
        layout.addWidget(title)
        layout.addWidget(bold(record_label(name, self.tr("The child whose file is deleted"))))
        what = plan_words(plan)
        self.counts = paragraph(
            self.tr(
                "{what} will be deleted for good, with the child's details and chronology."
            ).format(what=what[:1].upper() + what[1:])
            if what
            else self.tr("The child's details and chronology will be deleted for good.")
        )
        self.counts.setAccessibleName(self.tr("What will be deleted"))
        layout.addWidget(self.counts)
        self.kept = paragraph(kept_words(plan))
        self.kept.setAccessibleName(self.tr("What stays for other children"))
        self.kept.setVisible(bool(kept_words(plan)))
        layout.addWidget(self.kept)
        self.backups = paragraph(self.tr(BACKUPS_STILL_HOLD_IT))
        self.backups.setAccessibleName(self.tr("Backups"))
        layout.addWidget(self.backups)
        audit = paragraph(
            self.tr(
                "The audit log will record that the file was deleted at its review, by whom "
                "and when, with the references and counts, but never the child's name."
            )
        )
        audit.setProperty("sgRole", "hint")
        layout.addWidget(audit)
        # Its words wrap on a small screen rather than be cut off.
        reviewed = WrappingCheck(
            self.tr("&I have reviewed this file and nothing requires it to be kept longer")
        )
        self.reviewed = reviewed.check
        layout.addWidget(reviewed)
        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)
        self.busy = busy_bar(self.tr("Deleting"))
        layout.addWidget(self.busy)
        layout.addStretch(1)  # room to spare goes under the words, not between them
        self.buttons, self.delete_button, self.cancel_button = action_buttons(
            self.tr("&Delete the file"), self.tr("Delete the file")
        )
        # Never what Enter presses: only a deliberate press on the red button deletes.
        self.delete_button.setDefault(False)
        self.delete_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        self.delete_button.setStyleSheet(
            f"QPushButton {{ background: {ERROR_INK}; color: white; border: 1px solid #7d1c21;"
            " border-radius: 4px; font-weight: bold; }"
            " QPushButton:disabled { background: #e8c9cb; color: #7d5a5c; }"
            " QPushButton:focus { border: 3px solid #1d2733; }"
        )
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reviewed.toggled.connect(self._ready)
        self._ready()

    def _ready(self) -> None:
        self.delete_button.setEnabled(self.reviewed.isChecked() and not self._busy)

    @property
    def deleting(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        self.reviewed.setEnabled(not busy)
        self._ready()

    def show_error(self, sentence: str) -> None:
        self.set_busy(False)
        self.error.show_error(sentence)
        self.fit_height()
