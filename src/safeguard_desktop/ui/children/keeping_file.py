"""What a child's file shows about keeping it: the legal hold banner at the top of the file,
and the "Keeping this file" tab (until when it is kept, why, and the lead's buttons).

Both only show a :class:`Retention` the page read on the worker with the file
(services/retention.py); the buttons are the page's to connect. The rules are
domain/retention.py's: the sentence saying why a file cannot be deleted today is its
``blocked_because``, the one saying why this date its ``basis_words``. A reason a lead
typed (a hold's, a date's) is record text: plain-text labels, through ``display_safe``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.domain.retention import Retention

from ..theme import WARNING_INK, bold, heading, hint
from ..widgets.page_parts import button_row
from ..widgets.record_text import record_label, set_record_text
from .child_file_tabs import button


def _hold_since(retention: Retention) -> str:
    """The day the hold was placed ("3 May 2026"), or "" if the records do not say."""
    try:
        placed = datetime.fromisoformat(retention.facts.hold_since)
    except ValueError:
        return ""
    return long_date(local(placed).date())


class LegalHoldBanner(QFrame):
    """Amber, bold, in words: "LEGAL HOLD: <why>. This file cannot be deleted…".

    Above the tabs, so it is seen whichever part of the file is open; hidden when no
    hold is in force."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("sgRole", "warning")
        self.setAccessibleName(self.tr("Legal hold"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(6)
        self.title = bold(record_label("", self.tr("Legal hold")))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setStyleSheet(f"color: {WARNING_INK};")
        layout.addWidget(self.title)
        self.sentence = record_label("", self.tr("What the legal hold means"))
        layout.addWidget(self.sentence)
        self.hide()

    def show_retention(self, retention: Retention | None) -> None:
        if retention is None or not retention.held:
            self.hide()
            return
        set_record_text(
            self.title,
            self.tr("LEGAL HOLD: {reason}").format(reason=retention.facts.hold_reason),
        )
        since = _hold_since(retention)
        placed = (
            self.tr("Placed by {who} on {day}.").format(who=retention.facts.hold_by, day=since)
            if since
            else ""
        )
        set_record_text(
            self.sentence,
            self.tr(
                "This file cannot be deleted while the hold is in force, whatever its review "
                "date. {placed} An administrator lifts it under Keeping this file when it no "
                "longer applies."
            ).format(placed=placed),
        )
        self.show()


class KeepingTab(QWidget):
    """Until when the file is kept and why; a lead's own date, a legal hold, deleting it.

    ``delete_button`` is enabled only when the file may be deleted today; otherwise
    ``blocked`` says why, in the domain's words. Only an administrator lifts a hold
    (``can_lift``): one lead alone could otherwise place it and lift it to delete."""

    def __init__(
        self,
        change_date: Callable[[], None],
        place_hold: Callable[[], None],
        lift_hold: Callable[[], None],
        delete: Callable[[], None],
        *,
        can_lift: bool,
    ) -> None:
        super().__init__()
        self._can_lift = can_lift
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.setSpacing(8)
        self.until = heading("", level=2)
        self.until.setAccessibleName(self.tr("Kept until"))
        layout.addWidget(self.until)
        self.why = record_label("", self.tr("Why this date"))
        layout.addWidget(self.why)
        self.last_entry = hint()
        self.last_entry.setAccessibleName(self.tr("Last entry in the file"))
        layout.addWidget(self.last_entry)
        self.due = QLabel()
        self.due.setWordWrap(True)
        self.due.setProperty("sgRole", "warning")
        self.due.setAccessibleName(self.tr("The review is due"))
        self.due.hide()
        layout.addWidget(self.due)
        layout.addWidget(
            hint(
                self.tr(
                    "Nothing is deleted automatically. When the review date comes, the file "
                    "is listed under Children, Due for review: a lead reads it, then keeps it "
                    "longer (a later date, with the reason) or deletes it. A legal hold stops "
                    "deletion whatever the date."
                )
            )
        )
        layout.addSpacing(6)
        self.change_date_button = button(
            self.tr("Change the review da&te…"), self.tr("Change the review date"), change_date
        )
        self.place_hold_button = button(
            self.tr("&Place a legal hold…"), self.tr("Place a legal hold"), place_hold
        )
        self.lift_hold_button = button(
            self.tr("Li&ft the legal hold…"), self.tr("Lift the legal hold"), lift_hold
        )
        self.lift_hold_button.hide()
        self.delete_button = button(
            self.tr("Delete this &child's file…"), self.tr("Delete this child's file"), delete
        )
        layout.addLayout(
            button_row(
                self.change_date_button,
                self.place_hold_button,
                self.lift_hold_button,
                self.delete_button,
            )
        )
        self.lift_hint = hint(
            self.tr("Only an administrator can lift a legal hold; ask one, with the reason.")
        )
        self.lift_hint.hide()
        layout.addWidget(self.lift_hint)
        # The domain's sentence holds the hold's reason as the lead typed it: plain text.
        self.blocked = record_label("", self.tr("Why the file cannot be deleted now"))
        self.blocked.setProperty("sgRole", "hint")
        layout.addWidget(self.blocked)
        layout.addStretch(1)
        self.retention: Retention | None = None

    def tab_text(self) -> str:
        """The tab's name, with what needs the lead's eye."""
        retention = self.retention
        if retention is not None and retention.held:
            return self.tr("Keeping this file (legal hold)")
        if retention is not None and retention.due(date.today()):
            return self.tr("Keeping this file (review due)")
        return self.tr("Keeping this file")

    def show_retention(self, retention: Retention) -> None:
        self.retention = retention
        today = date.today()
        day = long_date(retention.review_on)
        due = retention.due(today)
        # The hold itself (why, who, since when) is the banner's, above every tab.
        if retention.held:
            self.until.setText(
                self.tr("Review date {day}: kept while the legal hold is in force").format(day=day)
            )
        elif not due:
            self.until.setText(self.tr("Kept until {day}").format(day=day))
        elif retention.review_on < today:
            self.until.setText(self.tr("Review due since {day}").format(day=day))
        else:
            self.until.setText(self.tr("Review due today ({day})").format(day=day))
        set_record_text(self.why, retention.basis_words())
        last = retention.facts.last_entry
        self.last_entry.setText(
            self.tr("Last entry in the file: {day}.").format(day=long_date(last)) if last else ""
        )
        self.last_entry.setVisible(last is not None)
        self.due.setText(
            self.tr(
                "Its review date has come: read the file, then keep it longer with a later "
                "date and the reason, or delete it."
            )
        )
        self.due.setVisible(due and not retention.held)
        self.place_hold_button.setVisible(not retention.held)
        self.lift_hold_button.setVisible(retention.held)
        self.lift_hint.setVisible(retention.held and not self._can_lift)
        self.show_enabled(True)

    def show_enabled(self, enabled: bool) -> None:
        """The buttons on (the file is read) or off (it is being read or saved)."""
        for widget in (self.change_date_button, self.place_hold_button):
            widget.setEnabled(enabled)
        self.lift_hold_button.setEnabled(enabled and self._can_lift)
        why_not = self.retention.blocked_because(date.today()) if self.retention else None
        self.delete_button.setEnabled(enabled and self.retention is not None and why_not is None)
        set_record_text(self.blocked, why_not or "")
        self.blocked.setVisible(bool(why_not))
