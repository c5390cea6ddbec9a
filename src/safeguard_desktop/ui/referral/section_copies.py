"""The referral dialog's "For a council's online form": each section of the PDF, to copy.

Some councils take referrals only through a web portal, with a box per section of their
form. Once the signed PDF is made, this lists its numbered sections, each with "Copy this
section"; the dialog audits the copy on the worker and puts the text on the clipboard
concealed (widgets/concealed_clipboard.py). The texts come from the same document the PDF
was drawn from (domain/referral_sections.py), never read back out of the PDF.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from safeguard_desktop.services.referral_preview import SectionText

from ..theme import MessageLine, heading, hint
from ..widgets.concealed_clipboard import CLEAR_AFTER_MS


class SectionCopies(QWidget):
    """``copy_requested(section)`` when a section's button is pressed."""

    copy_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(heading(self.tr("For a council's online form"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "If your council takes referrals through a web page, copy each section "
                    "of the signed PDF and paste it into the matching box. Each copy is "
                    "recorded in the audit log. The clipboard is cleared after {n} "
                    "seconds, and when you lock or close the app."
                ).format(n=CLEAR_AFTER_MS // 1000)
            )
        )
        self.placeholder = hint(
            self.tr("Make the signed PDF first: the sections are copied from it.")
        )
        layout.addWidget(self.placeholder)
        self.rows = QWidget()
        self.rows_layout = QVBoxLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(4)
        layout.addWidget(self.rows)
        self.message = MessageLine(self.tr("Copying a section"))
        layout.addWidget(self.message)
        self.buttons: list[QPushButton] = []

    def show_sections(self, sections: tuple[SectionText, ...]) -> None:
        """A row per section of the PDF just made: its number and title, and its button."""
        self.clear()
        for number, section in enumerate(sections, start=1):
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            title = QLabel(f"{number}. {section.title}")
            title.setWordWrap(True)
            button = QPushButton(self.tr("Copy this section"))
            button.setAccessibleName(
                self.tr("Copy this section: {title}").format(title=section.title)
            )
            button.clicked.connect(functools.partial(self.copy_requested.emit, section))
            row.addWidget(title, 1)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.rows_layout.addWidget(holder)
            self.buttons.append(button)
        self.placeholder.setVisible(not sections)

    def clear(self) -> None:
        """No sections: the PDF they came from is gone or out of date."""
        self.buttons = []
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.placeholder.show()
        self.message.clear_message()

    def set_enabled(self, enabled: bool) -> None:
        for button in self.buttons:
            button.setEnabled(enabled)
