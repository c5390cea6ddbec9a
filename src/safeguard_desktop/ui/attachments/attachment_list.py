"""The files attached to a concern or a child's file, each on a card of its own.

One card per file, oldest first: its name, kind and size, what the lead said it is, who
added it and when, what was taken out of it on the way in, and the start of its SHA-256,
with "View" and "Save a copy…". Above them "Attach a file…". The concern view shows this
list in its Attachments section and a child's page in its Attachments tab, where each
card also says which concern the file came with.

The list only shows and asks: ``attach_requested``, ``view_requested(record)`` and
``save_requested(record)`` go to the page's :class:`.attachment_actions.AttachmentActions`,
which outlives the list (a concern view builds its list again after every change).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from safeguard_desktop.domain.attachments import AttachmentRecord
from safeguard_desktop.domain.text import display_safe

from ..theme import bold, hint
from ..widgets.page_parts import button_row, sized_button
from ..widgets.record_text import record_label
from .attachment_words import added_words, kind_and_size, removed_words, short_sha256, where_words


class AttachmentList(QWidget):
    """ "Attach a file…" and a card for each file attached (or a calm hint when none)."""

    attach_requested = Signal()
    view_requested = Signal(object)  # AttachmentRecord
    save_requested = Signal(object)  # AttachmentRecord

    def __init__(self, *, in_child_file: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Files attached"))
        self._in_child_file = in_child_file
        self.records: tuple[AttachmentRecord, ...] = ()
        self.view_buttons: dict[int, QPushButton] = {}
        self.save_buttons: dict[int, QPushButton] = {}
        self._cards: list[QFrame] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.attach_button = sized_button(
            self.tr("A&ttach a file…"), self.tr("Attach a file"), self.attach_requested.emit
        )
        layout.addLayout(button_row(self.attach_button))
        self.empty = hint(
            self.tr(
                "No files attached. Attach the original handwritten notes, a letter or an "
                "email saved as PDF."
            )
        )
        self.empty.setAccessibleName(self.tr("No files attached"))
        layout.addWidget(self.empty)
        self._cards_layout = QVBoxLayout()
        self._cards_layout.setSpacing(10)
        layout.addLayout(self._cards_layout)

    def show_attachments(
        self, records: Sequence[AttachmentRecord], names: Mapping[str, str]
    ) -> None:
        """Show ``records`` (oldest first) in place of those shown before; ``names`` maps
        user names to the names on the accounts."""
        for card in self._cards:
            self._cards_layout.removeWidget(card)
            card.deleteLater()
        self._cards = []
        self.view_buttons = {}
        self.save_buttons = {}
        self.records = tuple(records)
        self.empty.setVisible(not self.records)
        for record in self.records:
            card = self._card(record, names)
            self._cards.append(card)
            self._cards_layout.addWidget(card)

    def focus_attachment(self, attachment_id: int) -> QPushButton | None:
        """Put the keyboard on this file's "View"; the button, or None if not shown."""
        button = self.view_buttons.get(attachment_id)
        if button is not None:
            button.setFocus(Qt.FocusReason.OtherFocusReason)
        return button

    def _card(self, record: AttachmentRecord, names: Mapping[str, str]) -> QFrame:
        card = QFrame()
        card.setObjectName("attachmentCard")
        card.setStyleSheet(
            "QFrame#attachmentCard { border: 1px solid #d5dae0; border-radius: 6px;"
            " background: #f8f9fb; }"
        )
        card.setAccessibleName(self.tr("Attached file"))
        words = QVBoxLayout()
        words.setSpacing(3)
        words.addWidget(bold(record_label(record.file_name, self.tr("File name"))))
        words.addWidget(record_label(kind_and_size(record), self.tr("Kind and size")))
        if record.description:
            words.addWidget(record_label(record.description, self.tr("What the file is")))
        if self._in_child_file:
            words.addWidget(record_label(where_words(record), self.tr("Attached to")))
        words.addWidget(record_label(added_words(record, names), self.tr("Added")))
        removed = removed_words(record)
        if removed:
            taken_out = record_label(removed, self.tr("Taken out of the file"))
            taken_out.setProperty("sgRole", "good")
            words.addWidget(taken_out)
        sha = hint(short_sha256(record))
        sha.setAccessibleName(self.tr("Fingerprint (SHA-256)"))
        # Not record text: the start of a fingerprint, for matching a saved copy.
        sha.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        words.addWidget(sha)

        view = sized_button(
            self.tr("View"),
            self.tr("View the attached file {name}").format(name=display_safe(record.file_name)),
            functools.partial(self.view_requested.emit, record),
        )
        save = sized_button(
            self.tr("Save a copy…"),
            self.tr("Save a copy of the attached file {name}").format(
                name=display_safe(record.file_name)
            ),
            functools.partial(self.save_requested.emit, record),
        )
        self.view_buttons[record.attachment_id] = view
        self.save_buttons[record.attachment_id] = save
        buttons = QVBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(view)
        buttons.addWidget(save)
        buttons.addStretch(1)
        row = QHBoxLayout(card)
        row.setContentsMargins(14, 10, 14, 10)
        row.setSpacing(12)
        row.addLayout(words, 1)
        row.addLayout(buttons)
        return card
