"""The list of steps beside a wizard: the setup wizard, the concern form, the handoff wizard.

A step the wizard says may be reached (:meth:`StepsPanel.set_reachable`, steps already
visited) is a flat button: a click, or Tab and Space, asks to go there
(``step_chosen``). The others are plain text, so Tab never stops on a step that cannot
be opened.
"""

from __future__ import annotations

import html
from collections.abc import Collection

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ..theme import text_width


class _StepRow(QStackedWidget):
    """One step: its words as text, or the same words on a button when it can be opened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.button = QPushButton()
        self.button.setFlat(True)
        self.button.setProperty("sgRole", "step")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.addWidget(self.label)
        self.addWidget(self.button)

    def sizeHint(self) -> QSize:
        return self.currentWidget().sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.currentWidget().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        return self.currentWidget() is self.label

    def heightForWidth(self, width: int) -> int:
        return self.label.heightForWidth(width)


class StepsPanel(QWidget):
    """The list of steps beside the wizard, so people can see how far they have come and
    go back (or forward again) to a step they have already seen."""

    step_chosen = Signal(int)

    def __init__(self, titles: list[str]) -> None:
        super().__init__()
        self.setAccessibleName(self.tr("Steps"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("sgRole", "steps")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 18, 10, 18)
        layout.setSpacing(4)
        self.titles = titles
        self.rows: list[_StepRow] = []
        self._current = 0
        self._skipped: set[int] = set()
        self._reachable: set[int] = set()
        for number, title in enumerate(titles, start=1):
            row = _StepRow()
            row.label.setText(f"{number}.  {html.escape(title)}")
            row.button.clicked.connect(
                lambda _=False, index=number - 1: self.step_chosen.emit(index)
            )
            layout.addWidget(row)
            self.rows.append(row)
        layout.addStretch(1)
        widest = max((len(title) for title in titles), default=10)
        self.setFixedWidth(text_width(min(max(widest + 6, 20), 30)))

    @property
    def labels(self) -> list[QLabel]:
        return [row.label for row in self.rows]

    def set_current(self, index: int, skipped: Collection[int] = ()) -> None:
        """Steps before ``index`` are ticked, except ``skipped`` ones: the path taken
        went past them, and a tick would say they were done."""
        self._current = index
        self._skipped = set(skipped)
        self._show()

    def set_reachable(self, indexes: Collection[int]) -> None:
        """The steps that may be opened from the list (never the current one)."""
        self._reachable = set(indexes) - {self._current}
        self._show()

    def button(self, index: int) -> QPushButton:
        return self.rows[index].button

    def _show(self) -> None:
        index = self._current
        for position, (row, title) in enumerate(zip(self.rows, self.titles, strict=True)):
            label = row.label
            if position in self._skipped and position != index:
                plain = self.tr("{title} (not needed)").format(title=title)
                label.setText("–  " + html.escape(plain))
                label.setAccessibleName(self.tr("{title}, not needed").format(title=title))
                shown = "–  " + plain
            elif position < index:
                label.setText(f"✓  {html.escape(title)}")
                label.setAccessibleName(self.tr("{title}, done").format(title=title))
                shown = f"✓  {title}"
            elif position == index:
                label.setText(f"<b>{position + 1}.  {html.escape(title)}</b>")
                label.setAccessibleName(self.tr("{title}, current step").format(title=title))
                shown = f"{position + 1}.  {title}"
            else:
                label.setText(f"{position + 1}.  {html.escape(title)}")
                label.setAccessibleName(title)
                shown = f"{position + 1}.  {title}"
            label.setProperty("sgRole", "" if position == index else "hint")
            label.style().unpolish(label)
            label.style().polish(label)
            reachable = position in self._reachable and position not in self._skipped
            # "&" in a title would become an Alt key; the list has none of its own.
            row.button.setText(shown.replace("&", "&&"))
            row.button.setAccessibleName(self.tr("Go to the step {title}").format(title=title))
            row.button.setToolTip(self.tr("Go to this step"))
            row.setCurrentWidget(row.button if reachable else row.label)
            row.updateGeometry()
