"""A certificate's SHA-256 fingerprint as people compare it: monospace, in pairs, selectable.

The same fingerprint is printed on every signed referral, so a recipient can read it
out on the phone and the lead can compare it with what this app shows. Both use two
lines of sixteen pairs, so the eye finds the same place in each.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QWidget

PAIRS_PER_LINE = 16


def fingerprint_lines(fingerprint: str) -> str:
    """``AB:CD:…`` split into lines of sixteen pairs, as the PDF prints it."""
    pairs = [p for p in fingerprint.replace(" ", "").split(":") if p]
    lines = [":".join(pairs[i : i + PAIRS_PER_LINE]) for i in range(0, len(pairs), PAIRS_PER_LINE)]
    return ":\n".join(lines)


class FingerprintLabel(QLabel):
    """Shows a fingerprint; selectable by mouse and keyboard so it can be copied."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(self.font().pointSizeF())
        self.setFont(font)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setAccessibleName(accessible_name)
        self._fingerprint = ""

    @property
    def fingerprint(self) -> str:
        """The fingerprint on one line, as it is copied."""
        return self._fingerprint

    def line_width(self) -> int:
        """The width one line of sixteen pairs takes, before any fingerprint is shown."""
        return self.fontMetrics().horizontalAdvance(":".join(["00"] * PAIRS_PER_LINE) + ":")

    def set_fingerprint(self, fingerprint: str) -> None:
        self._fingerprint = fingerprint
        self.setText(fingerprint_lines(fingerprint))
        # A screen reader reads the pairs one by one rather than as one long word.
        self.setAccessibleDescription(fingerprint.replace(":", " "))
