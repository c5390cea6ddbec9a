"""The signed-in area for a recorder: where the guided "Record a concern" form opens.

A recorder can write, never read, so this area shows no record content at all: a
greeting, the large "Record a concern" button (``record_requested``), what to do if a
child is in danger right now, the references and times of the concerns this account has
sent (its receipts), the local contacts, and a way to sign out.

The contact numbers come from the organisation's settings file, which anyone using the
PC can edit. So the area asks the services first whether that file is the one the lead
signed (``Session.check_can_submit``); if not, it says so at the top with what to do
instead, and shows neither the form's button nor any number from the file, only the
national emergency number.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import local, short_date
from safeguard_desktop.domain.organisation import LocalContacts, Organisation
from safeguard_desktop.services.recording import Receipt
from safeguard_desktop.services.session import Session

from ..theme import (
    BUTTON_MIN_HEIGHT,
    MessageLine,
    alarm_box,
    banner,
    card,
    heading,
    hint,
    paragraph,
    readable_column,
    scrolling_page,
    taller,
    urgent_line,
)
from ..worker import Failure, Worker


def receipts_html(receipts: list[Receipt]) -> str:
    """Newest first: reference and local time only, never anything of the record."""
    rows = []
    # Receipts arrive in the order they were sent; the index breaks ties in one second.
    ordered = sorted(enumerate(receipts), key=lambda pair: (pair[1].submitted_at, pair[0]))
    for _, receipt in reversed(ordered):
        try:
            shown = short_date(local(datetime.fromisoformat(receipt.submitted_at)))
        except ValueError:
            shown = receipt.submitted_at
        rows.append(
            f"<tr><td style='padding:3px 18px 3px 0'><b>{html.escape(receipt.ref)}</b></td>"
            f"<td style='padding:3px 0'>{html.escape(shown)}</td></tr>"
        )
    return f"<table>{''.join(rows)}</table>"


def contacts_html(contacts: LocalContacts) -> str:
    """The filled-in contacts as a small table; blank ones are left out."""

    def label(text: str) -> str:
        return QCoreApplication.translate("Contacts", text)

    rows = [
        (label("Children's services front door"), contacts.front_door),
        (label("Out-of-hours team"), contacts.out_of_hours),
        (label("LADO (for an allegation about an adult who works with children)"), contacts.lado),
        (label("Police, non-emergency"), contacts.police_non_emergency),
        (label("NSPCC helpline"), contacts.nspcc_helpline),
    ]
    cells = "".join(
        f"<tr><td style='padding:3px 18px 3px 0'>{html.escape(name)}</td>"
        f"<td style='padding:3px 0'><b>{html.escape(number)}</b></td></tr>"
        for name, number in rows
        if number
    )
    return f"<table>{cells}</table>"


def record_button(parent: QWidget) -> QPushButton:
    """The big "Record a concern" button: the largest thing on the page it is on."""
    button = QPushButton(parent.tr("&Record a concern"))
    button.setAccessibleName(parent.tr("Record a concern"))
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    button.setFont(font)
    taller(button, BUTTON_MIN_HEIGHT * 2)
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 80)
    return button


def danger_banner(org: Organisation) -> QFrame:
    """What to do if a child is in danger right now, with the organisation's own number."""
    frame = banner(
        QCoreApplication.translate(
            "RecorderArea",
            "If a child is in immediate danger, call {emergency} now, then tell the {lead}.",
        ).format(emergency=org.contacts.emergency, lead=org.org_type.lead_title)
    )
    frame.setAccessibleName(
        QCoreApplication.translate("RecorderArea", "If a child is in immediate danger")
    )
    return frame


def record_card(parent: QWidget, explanation: str) -> tuple[QFrame, QPushButton]:
    """The card with the big "Record a concern" button (the page's default) and, under
    it, ``explanation``: what the form asks and who can read what is sent."""
    frame = card()
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(22, 18, 22, 18)
    layout.setSpacing(8)
    button = record_button(parent)
    button.setDefault(True)
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addWidget(paragraph(explanation))
    return frame, button


class RecorderArea(QWidget):
    """Emits ``sign_out_requested`` from its own Sign out button, ``record_requested``
    from the Record a concern button."""

    sign_out_requested = Signal()
    record_requested = Signal()

    def __init__(
        self, session: Session, worker: Worker | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.setAccessibleName(self.tr("Record a concern"))
        org = session.organisation
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(36, 28, 36, 28)
        layout.setSpacing(14)

        layout.addWidget(heading(self.tr("Record a concern")))
        # Shown only if the settings file fails its check (see the module docstring).
        self.refusal, refusal_layout = alarm_box(self.tr("Concerns cannot be sent from this PC"))
        self.refusal_line = MessageLine(self.tr("Why concerns cannot be sent from this PC"))
        refusal_layout.addWidget(self.refusal_line)
        refusal_layout.addWidget(
            urgent_line(self.tr("If a child is in immediate danger, call 999 now."), 1.15)
        )
        advice = paragraph(
            self.tr(
                "Otherwise, tell your safeguarding lead about your concern today, in person or "
                "by phone. Meanwhile, write down on paper what you saw and heard and the "
                "child's own words, and give it to them. You have not done anything wrong."
            )
        )
        advice.setAccessibleName(self.tr("What to do about your concern now"))
        refusal_layout.addWidget(advice)
        self.refusal.hide()
        layout.addWidget(self.refusal)
        self.greeting = paragraph(
            self.tr("Hello, {name}. You are signed in to {org}.").format(
                name=session.user.display_name, org=org.name
            )
        )
        layout.addWidget(self.greeting)

        self.danger = danger_banner(org)
        layout.addWidget(self.danger)

        self.form_card, self.record_button = record_card(
            self,
            self.tr(
                "The guided form asks, one step at a time, what you saw and heard, the "
                "child's own words, and what you did. When you finish it goes straight to "
                "the {lead}; you will not be able to read it back, and nobody else at this "
                "PC can either."
            ).format(lead=org.org_type.lead_title),
        )
        self.record_button.clicked.connect(self.record_requested)
        layout.addWidget(self.form_card)

        receipts_card = card()
        receipts_layout = QVBoxLayout(receipts_card)
        receipts_layout.setContentsMargins(22, 18, 22, 18)
        receipts_layout.addWidget(heading(self.tr("Concerns you have sent"), level=2))
        self.receipts = paragraph(self.tr("Loading…"))
        self.receipts.setTextFormat(Qt.TextFormat.RichText)
        self.receipts.setAccessibleName(self.tr("Concerns you have sent"))
        receipts_layout.addWidget(self.receipts)
        receipts_layout.addWidget(
            hint(
                self.tr(
                    "Only the reference and the time are kept here; quote the reference if "
                    "the {lead} asks about it."
                ).format(lead=org.org_type.lead_title)
            )
        )
        layout.addWidget(receipts_card)

        self.contacts_card = contacts_card = card()
        contacts_layout = QVBoxLayout(contacts_card)
        contacts_layout.setContentsMargins(22, 18, 22, 18)
        contacts_layout.addWidget(heading(self.tr("Useful numbers"), level=2))
        numbers = paragraph(contacts_html(org.contacts))
        numbers.setTextFormat(Qt.TextFormat.RichText)
        numbers.setAccessibleName(self.tr("Useful numbers"))
        contacts_layout.addWidget(numbers)
        layout.addWidget(contacts_card)

        self.sign_out_button = QPushButton(self.tr("Sign &out"))
        self.sign_out_button.setAccessibleName(self.tr("Sign out"))
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        row = QHBoxLayout()
        row.addWidget(self.sign_out_button)
        row.addWidget(hint(self.tr("Please sign out when you have finished.")), 1)
        layout.addLayout(row)
        layout.addStretch(1)

        scrolling_page(self, readable_column(body, 100), sideways=True)
        if worker is not None:
            worker.submit(session.check_can_submit, on_error=self._refused)
            worker.submit(session.receipts, on_done=self._show_receipts, on_error=self._failed)

    def _refused(self, failure: Failure) -> None:
        """The settings file failed its check: say so, and show none of its numbers."""
        self.refusal_line.show_error(failure.message)
        self.refusal.show()
        # The box says what to do instead; the file's numbers may be someone else's.
        for part in (self.danger, self.form_card, self.contacts_card):
            part.hide()

    def _show_receipts(self, receipts: list[Receipt]) -> None:
        if not receipts:
            self.receipts.setText(self.tr("You have not sent any concerns from this account yet."))
            return
        self.receipts.setText(receipts_html(receipts))

    def _failed(self, failure: Failure) -> None:
        self.receipts.setText(html.escape(failure.message))
