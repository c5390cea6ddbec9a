"""What every transfer screen says the same way: a transfer sent in one sentence (receipt
due, OVERDUE or confirmed), the KCSIE rule in one line, and the large monospaced text a
password or a certificate fingerprint is read aloud from.

The transfer records come from services/transfer.py (``SentRecord``).
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QWidget

from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.domain.text import display_safe, single_line
from safeguard_desktop.domain.transfer import SentHow
from safeguard_desktop.services.transfer import SentRecord

from ..theme import ERROR_INK, GOOD_INK

# Sixteen pairs a line, as the referral PDFs and the signing settings show a fingerprint.
PAIRS_PER_LINE = 16


def _tr(text: str) -> str:
    return QCoreApplication.translate("Transfer", text)


def safe(text: str) -> str:
    """Record text for one line of a label (names typed by people are never markup)."""
    return single_line(display_safe(text))


def day_of(iso: str) -> str:
    """A stored UTC moment as the local day in words ("2 March 2027")."""
    try:
        return long_date(local(datetime.fromisoformat(iso)).date())
    except ValueError:
        return iso[:10]


def how_words(value: str) -> str:
    """The way the files left, in the words the transfer dialog offered."""
    try:
        how = SentHow(value)
    except ValueError:
        return value
    return QCoreApplication.translate("SentHow", how.label)


def kcsie_line() -> str:
    return _tr(
        "Keeping children safe in education: send the child protection file within 5 school "
        "days of the child starting at the new school, apart from the main pupil file, and "
        "confirm that it arrived."
    )


def receipt_words(sent: SentRecord, today: date) -> tuple[str, str]:
    """ "receipt due by 14 March 2027", "OVERDUE: …" or "receipt confirmed on …: how", and
    its colour ("" for the usual ink)."""
    if sent.receipt_at is not None:
        return _tr("receipt confirmed on {day}: {how}").format(
            day=day_of(sent.receipt_at), how=safe(sent.receipt_note or "")
        ), GOOD_INK
    due = long_date(sent.receipt_due_on)
    if sent.overdue(today):
        return _tr("OVERDUE: confirm receipt, it was due by {day}").format(day=due), ERROR_INK
    return _tr("confirm receipt by {day}").format(day=due), ""


def sent_sentence(sent: SentRecord, today: date) -> tuple[str, str]:
    """One transfer sent, as the child's Transfers tab lists it, and its colour."""
    words, colour = receipt_words(sent, today)
    return _tr("Sent to {to} on {day} ({how}); {receipt}").format(
        to=safe(sent.to_organisation),
        day=day_of(sent.made_at),
        how=how_words(sent.sent_how).lower(),
        receipt=words,
    ), colour


def fingerprint_lines(fingerprint: str) -> str:
    """``AB:CD:…`` in lines of sixteen pairs, as the PDF prints it."""
    pairs = [p for p in fingerprint.replace(" ", "").split(":") if p]
    lines = [":".join(pairs[i : i + PAIRS_PER_LINE]) for i in range(0, len(pairs), PAIRS_PER_LINE)]
    return ":\n".join(lines)


def read_aloud(accessible_name: str, scale: float = 1.0, parent: QWidget | None = None) -> QLabel:
    """Large monospaced text, selectable, for something read out on the phone."""
    label = QLabel(parent)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(label.font().pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setAccessibleName(accessible_name)
    label.setStyleSheet(
        "QLabel { background: #ffffff; border: 1px solid #c3cad2; border-radius: 6px;"
        " padding: 8px 12px; }"
    )
    return label


def show_fingerprint(label: QLabel, fingerprint: str) -> None:
    label.setText(fingerprint_lines(fingerprint))
    # A screen reader reads the pairs one by one rather than as one long word.
    label.setAccessibleDescription(fingerprint.replace(":", " "))


def show_password(label: QLabel, password: str) -> None:
    label.setText(password)
    label.setAccessibleDescription(" ".join(password.replace("-", " ")))
