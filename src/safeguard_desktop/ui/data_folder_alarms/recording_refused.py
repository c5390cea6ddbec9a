"""The page shown in place of the recording form when this PC may not send a concern now.

Before the form opens (and before a volunteer types a word), the form asks the services
whether a concern may be sealed here: ``Session.check_can_submit`` for a signed-in
recorder, ``recording.check_guest_can_submit`` for a guest. When the organisation's
settings file was changed outside the app (or guests are not allowed), the answer is one
sentence, and this page shows it with what to do for the child meanwhile and a button
back.

Nothing on this page comes from vault.json: when the file was changed, its contact
numbers may be someone else's, so the page gives the national emergency number only.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ..theme import (
    BUTTON_MIN_HEIGHT,
    MessageLine,
    alarm_box,
    heading,
    paragraph,
    readable_column,
    scroll_area,
    taller,
    text_width,
    urgent_line,
)


class RecordingRefusedPage(QWidget):
    """Why a concern cannot be recorded here now; ``back`` when the button is pressed."""

    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("A concern cannot be recorded here just now"))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(36, 28, 36, 28)
        layout.setSpacing(16)
        layout.addWidget(heading(self.tr("A concern cannot be recorded here just now")))

        box, box_layout = alarm_box("")
        box.setAccessibleName(self.tr("Why a concern cannot be recorded here"))
        # An alert line: a screen reader announces the sentence as soon as it is set.
        self.sentence = MessageLine(self.tr("Why a concern cannot be recorded here"))
        font = self.sentence.font()
        font.setBold(True)
        self.sentence.setFont(font)
        box_layout.addWidget(self.sentence)
        layout.addWidget(box)
        layout.addWidget(paragraph(self.tr("You have not done anything wrong.")))

        layout.addWidget(heading(self.tr("What to do about your concern now"), level=2))
        self.danger = urgent_line(
            self.tr("If a child is in immediate danger, call 999 now."),
            1.25,
        )
        layout.addWidget(self.danger)
        self.tell = paragraph(
            self.tr(
                "Otherwise, tell your safeguarding lead about your concern today, in person "
                "or by phone, and say that this PC would not send it. Meanwhile, write down "
                "on paper what you saw and heard and the child's own words, and give it to "
                "them."
            )
        )
        self.tell.setAccessibleName(self.tr("What to do about your concern now"))
        layout.addWidget(self.tell)

        self.back_button = QPushButton(self.tr("&Back"))
        self.back_button.setAccessibleName(self.tr("Back"))
        self.back_button.setDefault(True)
        self.back_button.setAutoDefault(True)
        taller(self.back_button, BUTTON_MIN_HEIGHT + 12)
        self.back_button.setMinimumWidth(text_width(16))
        self.back_button.clicked.connect(self.back)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll_area(readable_column(body, 90)))

    def show_reason(self, sentence: str) -> None:
        """The services' one sentence (never "something went wrong" for a known refusal)."""
        self.sentence.show_error(sentence)
        self.sentence.setAccessibleName(sentence)
