"""Where transfers are seen: the "Transfers" tab of a child's file (sent and received,
with their buttons), the line near the top of a transferred child's file, and Home's box
of transfers waiting for their receipt.

Each reads on the worker and reads again when the records area's one change signal says
a child's records changed (the child's page calls ``load``; Home calls its box's).
"""

from __future__ import annotations

import functools
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.services import transfer, transfer_receive
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.transfer import SentRecord
from safeguard_desktop.services.transfer_receive import ReceivedRecord

from ..case_worker import CaseWorker
from ..theme import GOOD_INK, MessageLine, bold, heading, hint
from ..widgets.page_parts import button_row, sized_button
from ..worker import Failure
from .transfer_actions import TransferActions
from .transfer_words import (
    day_of,
    fingerprint_lines,
    kcsie_line,
    receipt_words,
    safe,
    sent_sentence,
)

ChildTransfersRead = tuple[list[SentRecord], list[ReceivedRecord]]


def _child_transfers(session: CaseSession, child_id: int) -> ChildTransfersRead:
    return (
        list(transfer.sent_for_child(session, child_id)),
        transfer_receive.received_for_child(session, child_id),
    )


def _line(text: str, colour: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    if colour:
        # Overdue is bold as well as red; a receipt confirmed is only green.
        weight = "normal" if colour == GOOD_INK else "bold"
        label.setStyleSheet(f"color: {colour}; font-weight: {weight};")
    return label


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def _row(sentence: QWidget, *buttons: QPushButton) -> QWidget:
    """A sentence with its buttons under it (they go on to a second line when narrow)."""
    row = QFrame()
    row.setProperty("sgRole", "card")
    layout = QVBoxLayout(row)
    layout.setContentsMargins(12, 8, 12, 8)
    layout.addWidget(sentence)
    if buttons:
        layout.addLayout(button_row(*buttons))
    return row


class TransferredBanner(QFrame):
    """ "Transferred to <organisation> on <date>; this file is kept until <review date>",
    near the top of the file; hidden for a child never transferred."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("sgRole", "banner")
        self.setAccessibleName(self.tr("Transferred"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        self.sentence = bold(_line(""))
        self.sentence.setAccessibleName(self.tr("Where this child's file was transferred"))
        layout.addWidget(self.sentence)
        self.hide()

    def show_transfer(self, sent: list[SentRecord], review_on: date | None) -> None:
        if not sent:
            self.hide()
            return
        latest = sent[-1]
        words = self.tr("Transferred to {to} on {day}").format(
            to=safe(latest.to_organisation), day=day_of(latest.made_at)
        )
        if review_on is not None:
            words = self.tr("{transferred}; this file is kept until {day}").format(
                transferred=words, day=long_date(review_on)
            )
        self.sentence.setText(words + ".")
        self.show()


class ChildTransfers(QWidget):
    """The "Transfers" tab of a child's file; the page calls ``load`` each time it reads
    the file (after any change to this child, transfers included)."""

    def __init__(
        self,
        session: CaseSession,
        worker: CaseWorker,
        child_id: int,
        banner: TransferredBanner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.child_id = child_id
        self.child_name = ""
        self.banner = banner
        self.review_on: date | None = None
        self.sent: list[SentRecord] = []
        self.received: list[ReceivedRecord] = []
        self.record_buttons: list[QPushButton] = []
        self.take_in_buttons: list[QPushButton] = []
        self.receipt_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        about = hint(kcsie_line())
        about.setAccessibleName(self.tr("What the guidance asks"))
        layout.addWidget(about)
        self.message = MessageLine(self.tr("Transfer result"))
        layout.addWidget(self.message)
        self.opener = TransferActions(session, worker, self, self.message)
        # No Alt key: the child's page uses every letter of it already.
        self.transfer_button = sized_button(
            self.tr("Transfer this child's file…"),
            self.tr("Transfer this child's file to a new school or club"),
            self.open_transfer,
        )
        layout.addLayout(button_row(self.transfer_button))
        layout.addWidget(heading(self.tr("Sent to a new school or club"), level=2))
        self.no_sent = hint(self.tr("This child's file has not been transferred."))
        layout.addWidget(self.no_sent)
        self.sent_rows = QVBoxLayout()
        self.sent_rows.setSpacing(6)
        layout.addLayout(self.sent_rows)
        layout.addWidget(heading(self.tr("Received from an earlier school or club"), level=2))
        self.no_received = hint(self.tr("Nothing in this file was received by transfer."))
        layout.addWidget(self.no_received)
        self.received_rows = QVBoxLayout()
        self.received_rows.setSpacing(6)
        layout.addLayout(self.received_rows)
        layout.addStretch(1)

    def set_child_name(self, name: str) -> None:
        self.child_name = name

    def load(self, review_on: date | None = None) -> None:
        self.review_on = review_on
        self._worker.submit(
            _child_transfers,
            self._session,
            self.child_id,
            on_done=self._show,
            on_error=self._failed,
        )

    def open_transfer(self) -> None:
        self.opener.open_transfer(self.child_id, self.child_name)

    def _show(self, read: ChildTransfersRead) -> None:
        self.sent, self.received = read
        self.banner.show_transfer(self.sent, self.review_on)
        _clear(self.sent_rows)
        _clear(self.received_rows)
        self.record_buttons, self.take_in_buttons, self.receipt_buttons = [], [], []
        today = date.today()
        self.no_sent.setVisible(not self.sent)
        for sent in reversed(self.sent):  # newest first
            sentence, colour = sent_sentence(sent, today)
            buttons: list[QPushButton] = []
            if sent.receipt_at is None:
                record = sized_button(
                    self.tr("Record the receipt…"),
                    self.tr("Record how {to} confirmed receipt").format(
                        to=safe(sent.to_organisation)
                    ),
                    functools.partial(self.opener.open_record_receipt, sent.sent_id, sentence),
                )
                take_in = sized_button(
                    self.tr("Take in a receipt file…"),
                    self.tr("Take in the receipt file from {to}").format(
                        to=safe(sent.to_organisation)
                    ),
                    self.opener.open_take_in,
                )
                buttons = [record, take_in]
                self.record_buttons.append(record)
                self.take_in_buttons.append(take_in)
            self.sent_rows.addWidget(_row(_line(sentence, colour), *buttons))
        self.no_received.setVisible(not self.received)
        for received in reversed(self.received):
            text = self.tr(
                "From {organisation} (sent by {person} on {sent}); received here on {day} by "
                "{by}. The sender's certificate fingerprint:"
            ).format(
                organisation=safe(received.from_organisation),
                person=safe(received.sent_by),
                sent=long_date(received.sent_on),
                day=day_of(received.received_at),
                by=safe(received.received_by),
            )
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(_line(text))
            fingerprint = _line(fingerprint_lines(received.sender_fingerprint))
            fingerprint.setAccessibleName(self.tr("The sender's certificate fingerprint"))
            fingerprint.setAccessibleDescription(received.sender_fingerprint.replace(":", " "))
            mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            mono.setPointSizeF(fingerprint.font().pointSizeF())
            fingerprint.setFont(mono)
            column.addWidget(fingerprint)
            save = sized_button(
                self.tr("Save a receipt for the sender…"),
                self.tr("Save a receipt for {organisation}").format(
                    organisation=safe(received.from_organisation)
                ),
                functools.partial(self.opener.ask_receipt_path, received),
            )
            self.receipt_buttons.append(save)
            self.received_rows.addWidget(_row(holder, save))

    def _failed(self, failure: Failure) -> None:
        self.message.show_error(failure.message)


class HomeTransfers(QFrame):
    """Home's box: each transfer waiting for its receipt, and an Open button to the child's
    Transfers tab (``open_requested(child_id)``). Hidden while there are none."""

    open_requested = Signal(int)
    shown = Signal()  # its rows were made again (Home puts their buttons in Tab order)

    def __init__(
        self, session: CaseSession, worker: CaseWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.waiting: list[SentRecord] = []
        self.open_buttons: list[QPushButton] = []
        self.setProperty("sgRole", "banner")
        self.setAccessibleName(self.tr("Transferred files waiting for receipt"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(heading(self.tr("Transferred files waiting for receipt"), level=2))
        self.message = MessageLine(self.tr("Transfer result"))
        layout.addWidget(self.message)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(6)
        layout.addLayout(self.rows)
        self.hide()

    def load(self) -> None:
        self._worker.submit(
            transfer.awaiting_receipt, self._session, on_done=self._show, on_error=self._failed
        )

    def _show(self, waiting: list[SentRecord]) -> None:
        self.waiting = list(waiting)
        _clear(self.rows)
        self.open_buttons = []
        today = date.today()
        for sent in waiting:
            words, colour = receipt_words(sent, today)
            sentence = self.tr("{child} to {to}: {receipt}").format(
                child=safe(sent.child_name), to=safe(sent.to_organisation), receipt=words
            )
            button = sized_button(
                self.tr("Open"),
                self.tr("Open the transfers of {child}").format(child=safe(sent.child_name)),
                functools.partial(self.open_requested.emit, sent.child_id),
            )
            self.open_buttons.append(button)
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(_line(sentence, colour), 1)
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.rows.addWidget(row)
        self.setVisible(bool(waiting))
        self.shown.emit()

    def _failed(self, failure: Failure) -> None:
        self.message.show_error(failure.message)
        self.show()
