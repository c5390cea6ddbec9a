"""Showing record text on screen safely.

Record text is what recorders typed, so it is shown as plain text (a QLabel would
otherwise read "<img src=...>" or "<a href=...>" as rich text), through ``display_safe``
(bidirectional controls cannot reorder it), and not selectable: a copy on the clipboard
would outlive the lock that destroys every view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from safeguard_desktop.domain.text import display_safe


def record_label(text: str, accessible_name: str = "") -> QLabel:
    """A wrapping plain-text label for record text (and anything mixed with it)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setText(display_safe(text))
    if accessible_name:
        label.setAccessibleName(accessible_name)
    return label


def set_record_text(label: QLabel, text: str) -> None:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(display_safe(text))
