"""Confirming that a transferred file arrived: "Record the receipt…", the small dialog that
asks how it was confirmed (a phone call, an email), the note the records keep.

The dialog only collects and checks (domain/transfer.py's ``checked_note``); the caller
saves on the worker.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.transfer import checked_note

from ..theme import MessageLine, heading, hint, paragraph, text_width
from ..widgets.dialog_parts import FittingDialog, action_buttons, busy_bar, make_default
from ..widgets.form_fields import text_box


class RecordReceiptDialog(FittingDialog):
    """How receipt was confirmed; ``save_button`` is what Enter presses."""

    def __init__(self, sentence: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self.tr("Record the receipt")
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(text_width(60))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(8)
        layout.addWidget(heading(title, level=2))
        which = paragraph(sentence)
        which.setTextFormat(Qt.TextFormat.PlainText)
        which.setAccessibleName(self.tr("Which transfer"))
        layout.addWidget(which)
        self.note: QPlainTextEdit = text_box(self.tr("How receipt was confirmed"), 3, fixed=True)
        caption = QLabel(self.tr("&How receipt was confirmed"))
        caption.setBuddy(self.note)
        layout.addWidget(caption)
        layout.addWidget(self.note)
        layout.addWidget(
            hint(self.tr("For example: phoned Mrs Patel, their DSL, who confirmed it arrived."))
        )
        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)
        self.busy = busy_bar(self.tr("Saving"))
        layout.addWidget(self.busy)
        self.buttons, self.save_button, self.cancel_button = action_buttons(
            self.tr("Re&cord the receipt"), self.tr("Record the receipt")
        )
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        make_default(self.save_button)
        self.note.setFocus()

    def checked(self) -> str | None:
        self.error.clear_message()
        try:
            return checked_note(self.note.toPlainText())
        except BadInput as error:
            self.show_error(error.message)
            return None

    def show_error(self, sentence: str) -> None:
        self.set_busy(False)
        self.error.show_error(sentence)
        self.note.setFocus()
        self.fit_height()

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.save_button.setEnabled(not busy)
        self.note.setEnabled(not busy)
