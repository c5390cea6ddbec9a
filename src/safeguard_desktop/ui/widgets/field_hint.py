"""The quieter line under a field saying what is wanted, bound to the field it is about.

A sighted person reads the hint under a field; a screen reader, landing on the field,
says its accessible description. :func:`field_hint` makes the line and makes its words
that description, and keeps the two the same when the line's text is set again, so
every form says its hints once, to both. Made before the field's error line is bound
(``MessageLine.describe``): an error replaces the description while it shows, and the
hint comes back when it goes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class FieldHint(QLabel):
    """A hint line whose words are also its field's accessible description."""

    def __init__(self, field: QWidget, text: str = "") -> None:
        super().__init__()
        # Drawn like every other hint (theme.hint): a quieter line that wraps.
        self.setWordWrap(True)
        self.setProperty("sgRole", "hint")
        self.field = field
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.field.setAccessibleDescription(text)


def field_hint(field: QWidget, text: str = "") -> FieldHint:
    """The hint line for ``field``, placed by the caller under (or above) it."""
    return FieldHint(field, text)
