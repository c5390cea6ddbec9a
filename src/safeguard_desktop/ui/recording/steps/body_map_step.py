"""The body map step: the front and back outlines where marks are placed (``body_map.py``)."""

from __future__ import annotations

from ...theme import text_width
from ..body_map import BodyMapEditor
from .step_page import FormPage


class BodyMapPage(FormPage):
    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("Where you saw the mark"))
        self.set_intro(
            self.tr(
                "Only mark what you saw without asking. Choose the part of the body and "
                "press Add the mark; or point at the outline. Say what it looked like in "
                "the note."
            )
        )
        # Wider than text: two outlines and the notes beside them.
        self.body.setMaximumWidth(text_width(130))
        self.editor = BodyMapEditor()
        self.body_layout.addWidget(self.editor)
        self.body_layout.addWidget(self.page_error)
        self.body_layout.addStretch(1)

    def arrange_tab_order(self) -> None:
        self.editor.arrange_tab_order()

    def show_error(self, field: str, sentence: str) -> None:
        self.page_error.show_error(sentence)
