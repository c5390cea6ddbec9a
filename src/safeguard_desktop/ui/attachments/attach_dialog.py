"""The dialog between choosing a file and attaching it: which file, what it is, a reminder.

It shows the name of the file chosen, asks for an optional one-line description, and
says, before anything is attached, never to photograph a child's injuries
(``NO_INJURY_PHOTOS``). "Attach" is sent on the worker by
:class:`.attachment_actions.AttachmentActions`; a file the service refuses (too big, not
a PDF or picture, a PDF with a script in it) has its one sentence put under the file's
name, and the dialog stays open, so another file can be chosen with "Choose another
file…" and nothing typed is lost.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from safeguard_desktop.domain.attachments import (
    MAX_DESCRIPTION,
    NO_INJURY_PHOTOS,
    checked_description,
    shown_file_name,
)

from ..theme import BUTTON_MIN_HEIGHT, MessageLine, banner, bold, paragraph, text_width
from ..widgets.casework_dialog import CaseworkDialog
from ..widgets.page_parts import button_row
from ..widgets.record_text import record_label, set_record_text


class AttachDialog(CaseworkDialog):
    """One file chosen, to attach with an optional description. ``choose_requested`` asks
    the page for another file (it answers with :meth:`set_path`)."""

    choose_requested = Signal()

    def __init__(self, path: Path, target_words: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Attach a file"), self.tr("&Attach"), self.tr("Attach"), parent)
        self.setMinimumWidth(text_width(60))
        self.path = Path(path)
        reminder = banner(self.tr(NO_INJURY_PHOTOS))
        reminder_text = reminder.findChild(QLabel)
        if reminder_text is not None:
            bold(reminder_text)
        reminder.setAccessibleName(self.tr("Reminder"))
        self.form.addWidget(reminder)
        self.form.addSpacing(4)

        caption = QLabel(self.tr("The file chosen"))
        self.form.addWidget(caption)
        self.file_name = bold(
            record_label(shown_file_name(self.path.name), self.tr("The file chosen"))
        )
        self.form.addWidget(self.file_name)
        self.choose_button = QPushButton(self.tr("C&hoose another file…"))
        self.choose_button.setAccessibleName(self.tr("Choose another file"))
        self.choose_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.choose_button.clicked.connect(self.choose_requested.emit)
        caption.setBuddy(self.choose_button)
        self.form.addLayout(button_row(self.choose_button))
        file_error = MessageLine(self.tr("Problem with the file"))
        file_error.describe(self.choose_button)
        self.form.addWidget(file_error)
        # A refusal of the file is shown here, and the focus goes to choosing another.
        self.field_errors["file"] = file_error
        self._fields["file"] = self.choose_button
        self.form.addWidget(paragraph(target_words))

        self.description = QLineEdit()
        self.description.setAccessibleName(self.tr("What the file is (optional)"))
        self.description.setMaxLength(MAX_DESCRIPTION)
        self.description.setPlaceholderText(
            self.tr("For example: the coach's handwritten notes, page 1")
        )
        self.add_field(
            self.tr("&What the file is (optional)"),
            self.description,
            "description",
            self.tr("One line, so the file can be told from others without opening it."),
        )
        self.form.addStretch(1)

    def set_path(self, path: Path) -> None:
        """Another file was chosen: show its name, and forget the last one's refusal."""
        self.path = Path(path)
        set_record_text(self.file_name, shown_file_name(self.path.name))
        self.clear_errors()
        self.confirm_button.setFocus()

    def request(self) -> tuple[Path, str]:
        """The file and its description, checked; raises BadInput naming the field."""
        return self.path, checked_description(self.description.text())
