"""The base of every wizard page: a large title, a body that scrolls, readable width; and
:class:`FieldsPage`, a page that puts a sentence under the field it is about.

Scrolling and a capped line length keep every page usable on a 1366 x 768 laptop with the
font at 150 %, and comfortable to read on a wide monitor.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QVBoxLayout, QWidget, QWizardPage

from ..theme import MessageLine, readable_column


def scroll_area(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


class WizardPage(QWizardPage):
    """Subclasses add their widgets to ``self.body_layout``."""

    def __init__(self) -> None:
        super().__init__()
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(20, 12, 20, 12)
        self.body_layout.setSpacing(12)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll_area(readable_column(self.body)))
        self.plain_title = ""

    def set_title(self, text: str) -> None:
        """The page title in the wizard's header, larger than Qt's default bold."""
        self.plain_title = text
        size = QApplication.font().pointSizeF() * 1.45
        self.setTitle(
            f"<span style='font-size:{size:.1f}pt; font-weight:600'>{html.escape(text)}</span>"
        )


def bring_into_view(widget: QWidget) -> None:
    """Scroll the page so a sentence under a field is seen, at any font size."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        area = parent
        # After the layout has made room for the sentence that has just appeared.
        QTimer.singleShot(30, area, lambda: area.ensureWidgetVisible(widget, 20, 40))


class FieldsPage(WizardPage):
    """A page that shows BadInput's sentence under the field its ``.field`` names.

    Subclasses fill ``field_widgets`` and ``field_errors`` (keyed by the names the
    domain uses, such as "children.0.name" or "lado.adult.name") and place
    ``page_error``, where a sentence about no field of theirs goes.
    """

    def __init__(self) -> None:
        super().__init__()
        self.field_widgets: dict[str, QWidget] = {}
        self.field_errors: dict[str, MessageLine] = {}
        self.page_error = MessageLine(self.tr("Problem on this page"))

    def clear_errors(self) -> None:
        self.page_error.clear_message()
        for line in self.field_errors.values():
            line.clear_message()

    def show_error(self, field: str, sentence: str) -> None:
        """Put the sentence under ``field``, or at the foot of the page, and go there."""
        line = self.field_errors.get(field, self.page_error)
        line.show_error(sentence)
        widget = self.field_widgets.get(field)
        if widget is not None:
            widget.setFocus()
        bring_into_view(line)
