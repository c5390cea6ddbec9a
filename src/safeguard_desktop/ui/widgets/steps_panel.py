"""The list of steps beside a wizard: the setup wizard, the concern form, the handoff wizard."""

from __future__ import annotations

import html
from collections.abc import Collection

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..theme import text_width


class StepsPanel(QWidget):
    """The list of steps beside the wizard, so people can see how far they have come."""

    def __init__(self, titles: list[str]) -> None:
        super().__init__()
        self.setAccessibleName(self.tr("Steps"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("sgRole", "steps")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 14, 18)
        layout.setSpacing(10)
        self.titles = titles
        self.labels: list[QLabel] = []
        for number, title in enumerate(titles, start=1):
            label = QLabel(f"{number}.  {title}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            layout.addWidget(label)
            self.labels.append(label)
        layout.addStretch(1)
        self.setFixedWidth(text_width(30))

    def set_current(self, index: int, skipped: Collection[int] = ()) -> None:
        """Steps before ``index`` are ticked, except ``skipped`` ones: the path taken
        went past them, and a tick would say they were done."""
        for position, (label, title) in enumerate(zip(self.labels, self.titles, strict=True)):
            if position in skipped and position != index:
                label.setText(
                    "–  " + html.escape(self.tr("{title} (not needed)").format(title=title))
                )
                label.setAccessibleName(self.tr("{title}, not needed").format(title=title))
            elif position < index:
                label.setText(f"✓  {html.escape(title)}")
                label.setAccessibleName(self.tr("{title}, done").format(title=title))
            elif position == index:
                label.setText(f"<b>{position + 1}.  {html.escape(title)}</b>")
                label.setAccessibleName(self.tr("{title}, current step").format(title=title))
            else:
                label.setText(f"{position + 1}.  {html.escape(title)}")
                label.setAccessibleName(title)
            label.setProperty("sgRole", "" if position == index else "hint")
            label.style().unpolish(label)
            label.style().polish(label)
