"""The base of every setup wizard page: a large title, a body that scrolls, readable width.

Scrolling and a capped line length keep every page usable on a 1366 x 768 laptop with the
font at 150 %, and comfortable to read on a wide monitor.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QVBoxLayout, QWidget, QWizardPage

from .theme import readable_column


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
