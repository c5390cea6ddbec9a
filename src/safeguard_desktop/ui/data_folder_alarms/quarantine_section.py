"""Home's "Items that could not be accepted": inbox items kept in quarantine.

Anyone who can write to the data folder can seal something into the inbox, so an item
that does not open, parse, pass the form's checks or prove who sent it is kept aside,
still sealed (services/inbox_ingest.py). This section lists them, when each arrived
and why, in the services' own sentence, and lets the lead decide:

- **Accept as unverified…** (a concern whose only fault is who sent it): it joins the
  records marked as not confirmed, with the lead's name (``accept_quarantined``).
- **Set aside…** with a note saying why (``set_aside_quarantined``): kept, not listed.

The section is shown only when there is something in it. What an item says about itself
(its reference, the account it names) was written by whoever sealed it, so it is shown
as plain text only. Every call runs on the records area's worker, which says what it
changed to every page: Home and the lists are read again.
"""

from __future__ import annotations

import functools
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from safeguard_desktop.domain.casework import checked_set_aside_note
from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.services import inbox
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.inbox_ingest import QuarantineEntry
from safeguard_desktop.services.session import CaseSession

from ..theme import MessageLine, card, heading, hint, paragraph
from ..widgets.casework_dialog import CaseworkDialog
from ..widgets.form_fields import text_box
from ..widgets.page_parts import sized_button
from ..widgets.record_text import record_label
from ..worker import Failure, Submits

# An item's reference is whatever its sealer wrote: enough of it to quote, no more.
_REF_SHOWN = 40


def _accept(session: CaseSession, item_id: int) -> Changes:
    return inbox.accept_quarantined(session, item_id)


def _set_aside(session: CaseSession, item_id: int, note: str) -> Changes:
    return inbox.set_aside_quarantined(session, item_id, note)


def arrived_words(iso: str) -> str:
    """When an item arrived, in words and this PC's time ("2 March 2026, 14:05")."""
    try:
        return long_date(local(datetime.fromisoformat(iso)))
    except ValueError:
        return iso[:40]


def _ref(entry: QuarantineEntry) -> str:
    ref = entry.ref.strip()
    return ref if len(ref) <= _REF_SHOWN else ref[:_REF_SHOWN] + "…"


def what_it_is(entry: QuarantineEntry) -> str:
    """ "A concern, reference C-…" in words; the reference as the item gives it."""
    ref = _ref(entry)
    if entry.kind == "concern":
        words = QCoreApplication.translate("QuarantineSection", "A concern, reference {ref}")
    elif entry.kind == "event":
        words = QCoreApplication.translate("QuarantineSection", "A sign-in record, reference {ref}")
    elif entry.kind == "file":
        # From the recording stations' drop folder (services/stations.py): the file's name.
        words = QCoreApplication.translate(
            "QuarantineSection", "A file in the stations' shared folder, {ref}"
        )
    else:
        words = QCoreApplication.translate("QuarantineSection", "An item, reference {ref}")
    return words.format(ref=ref or "–")


def _divider() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setStyleSheet("color: #d5dae0;")
    return line


def headline(count: int) -> str:
    """ "1 item could not be accepted", "2 items could not be accepted"."""
    if count == 0:
        return QCoreApplication.translate(
            "QuarantineSection", "No items are waiting for a decision any more"
        )
    if count == 1:
        return QCoreApplication.translate("QuarantineSection", "1 item could not be accepted")
    return QCoreApplication.translate(
        "QuarantineSection", "{n} items could not be accepted"
    ).format(n=f"{count:,}")


def _about(entry: QuarantineEntry) -> QLabel:
    """The item in a dialog: what it is, when it arrived, why it was kept aside."""
    arrived = QCoreApplication.translate("QuarantineSection", "{what}, arrived {when}.").format(
        what=what_it_is(entry), when=arrived_words(entry.arrived_at)
    )
    return record_label(
        f"{arrived}\n{entry.sentence}",
        QCoreApplication.translate("QuarantineSection", "The item"),
    )


class AcceptQuarantinedDialog(CaseworkDialog):
    """What accepting an unconfirmed concern means."""

    def __init__(self, entry: QuarantineEntry, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Accept this concern as unverified?"),
            self.tr("&Accept as unverified"),
            self.tr("Accept as unverified"),
            parent,
        )
        self.setMinimumWidth(self.minimumWidth() * 5 // 6)
        self.form.addWidget(_about(entry))
        self.form.addWidget(
            paragraph(
                self.tr(
                    "If you accept it, it is added to the records like any other concern, "
                    "marked as sent by someone who could not be confirmed, with your name as "
                    "the person who accepted it. The audit log records that you did."
                )
            )
        )
        self.form.addWidget(
            paragraph(
                self.tr(
                    "Before you rely on what it says, check with the person it names as the sender."
                )
            )
        )
        self.form.addStretch(1)


class SetAsideDialog(CaseworkDialog):
    """Setting an item aside needs a note saying why."""

    def __init__(self, entry: QuarantineEntry, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Set this item aside"),
            self.tr("&Set aside"),
            self.tr("Set aside"),
            parent,
        )
        self.setMinimumWidth(self.minimumWidth() * 5 // 6)
        self.form.addWidget(_about(entry))
        self.form.addWidget(
            hint(
                self.tr(
                    "It stays in the records, still sealed, but is no longer listed on Home. "
                    "Your note is kept with it, and the audit log records that you set it aside."
                )
            )
        )
        self.note = text_box(self.tr("Why you are setting it aside"), 3, fixed=True)
        self.add_field(
            self.tr("&Why are you setting it aside?"),
            self.note,
            "note",
            self.tr('For example: "Checked with Rita: she did not send this."'),
        )
        self.form.addStretch(1)

    def note_text(self) -> str:
        return checked_set_aside_note(self.note.toPlainText())


class QuarantineSection(QWidget):
    """The card of quarantined items; hidden while there are none."""

    def __init__(
        self, session: CaseSession, worker: Submits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.entries: tuple[QuarantineEntry, ...] = ()
        self.dialog: AcceptQuarantinedDialog | SetAsideDialog | None = None
        self._just_done = False  # the next refresh still shows what was done
        # A card like Home's other sections, headed by how many there are.
        self.card = card()
        self.card.setAccessibleName(self.tr("Items that could not be accepted"))
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(20, 16, 20, 16)
        card_layout.setSpacing(8)
        self.headline = heading("", level=2)
        card_layout.addWidget(self.headline)
        card_layout.addWidget(
            hint(
                self.tr(
                    "These arrived for the records but could not be checked, so they were "
                    "kept aside, still sealed; everything else was taken in. Accept a concern "
                    "only once you have checked with the person it names as the sender."
                )
            )
        )
        self.rows = QVBoxLayout()
        self.rows.setSpacing(10)
        card_layout.addLayout(self.rows)
        # Outside the rows, which are rebuilt: what was just done stays in view.
        self.message = MessageLine(self.tr("Items that could not be accepted"))
        card_layout.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.card)
        self.hide()

    def show_entries(self, entries: tuple[QuarantineEntry, ...]) -> None:
        self.entries = entries
        self.headline.setText(headline(len(entries)))
        self.headline.setAccessibleName(self.headline.text())
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for number, entry in enumerate(entries):
            if number:
                self.rows.addWidget(_divider())
            row = self._row(entry)
            self.rows.addWidget(row)
            row.show()  # in view at once, not after the layout's deferred show
        # What was just done stays in view for the refresh that follows it (even when it
        # took the last item); the refresh after that forgets it.
        if not self._just_done:
            self.message.clear_message()
        self._just_done = False
        self.setVisible(bool(entries) or bool(self.message.text()))

    def _row(self, entry: QuarantineEntry) -> QWidget:
        row = QFrame()
        row.setFrameShape(QFrame.Shape.NoFrame)
        row.setAccessibleName(self.tr("Item that could not be accepted"))
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 6, 0, 6)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        when = QLabel(self.tr("Arrived {when}").format(when=arrived_words(entry.arrived_at)))
        font = when.font()
        font.setBold(True)
        when.setFont(font)
        when.setWordWrap(True)
        when.setAccessibleName(when.text())
        texts.addWidget(when)
        texts.addWidget(record_label(what_it_is(entry), self.tr("What it is")))
        texts.addWidget(record_label(entry.sentence, self.tr("Why it could not be accepted")))
        layout.addLayout(texts, 1)
        buttons = QVBoxLayout()
        buttons.setSpacing(6)
        ref = _ref(entry) or str(entry.item_id)
        accept_text = self.tr("Accept as unverified…")
        found: list[QPushButton] = []
        if entry.can_accept:
            found.append(
                sized_button(
                    accept_text,
                    self.tr("Accept item {ref} as unverified").format(ref=ref),
                    functools.partial(self.open_accept_dialog, entry),
                )
            )
        found.append(
            sized_button(
                self.tr("Set aside…"),
                self.tr("Set item {ref} aside").format(ref=ref),
                functools.partial(self.open_set_aside_dialog, entry),
            )
        )
        # One width for every row's buttons, so they line up down the list.
        width = found[-1].fontMetrics().horizontalAdvance(accept_text) + 48
        for button in found:
            button.setMinimumWidth(width)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.setAlignment(buttons, Qt.AlignmentFlag.AlignTop)
        return row

    # Deciding ------------------------------------------------------------------------------

    def open_accept_dialog(self, entry: QuarantineEntry) -> None:
        if self.dialog is not None:
            return
        dialog = AcceptQuarantinedDialog(entry, self)
        dialog.confirm_button.clicked.connect(functools.partial(self._accept, entry.item_id))
        self._open(dialog)
        dialog.cancel_button.setFocus()  # Enter alone must not accept: Cancel has focus

    def open_set_aside_dialog(self, entry: QuarantineEntry) -> None:
        if self.dialog is not None:
            return
        dialog = SetAsideDialog(entry, self)
        dialog.confirm_button.clicked.connect(functools.partial(self._set_aside, entry.item_id))
        self._open(dialog)
        dialog.note.setFocus()

    def _open(self, dialog: AcceptQuarantinedDialog | SetAsideDialog) -> None:
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        self.message.clear_message()
        dialog.open()

    def _dialog_closed(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _accept(self, item_id: int) -> None:
        dialog = self.dialog
        if dialog is None or dialog.start_saving(lambda: True) is None:
            return
        self._worker.submit(
            _accept, self._session, item_id, on_done=self._accepted, on_error=self._failed
        )

    def _set_aside(self, item_id: int) -> None:
        dialog = self.dialog
        if not isinstance(dialog, SetAsideDialog):
            return
        note = dialog.start_saving(dialog.note_text)
        if note is None:
            return
        self._worker.submit(
            _set_aside,
            self._session,
            item_id,
            note,
            on_done=self._set_aside_done,
            on_error=self._failed,
        )

    def _accepted(self, changes: Changes) -> None:
        (ref,) = changes.concerns  # the one concern accepted
        self._finish(
            self.tr(
                "Concern {ref} was accepted, marked as unverified. It is with the new concerns."
            ).format(ref=ref)
        )

    def _set_aside_done(self, _: object) -> None:
        self._finish(self.tr("The item was set aside with your note."))

    def _finish(self, message: str) -> None:
        if self.dialog is not None:
            self.dialog.accept()
        self.message.show_good(message)
        self._just_done = True

    def _failed(self, failure: Failure) -> None:
        if self.dialog is not None:
            self.dialog.show_worker_failure(failure)
        else:
            self.message.show_error(failure.message)
