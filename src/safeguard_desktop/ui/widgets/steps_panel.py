"""The list of steps beside a wizard: the setup wizard, the concern form, the handoff wizard.

A step the wizard says may be reached (:meth:`StepsPanel.set_reachable`, steps already
visited) is a flat button: a click, or Tab and Space, asks to go there
(``step_chosen``). The others are plain text, so Tab never stops on a step that cannot
be opened.
"""

from __future__ import annotations

import html
from collections.abc import Collection

from PySide6.QtCore import QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..theme import text_width


class StepButton(QPushButton):
    """A flat button whose words wrap onto more lines when the list is narrow, drawn
    like a link: a step already seen, to go back to."""

    _PAD_X, _PAD_Y = 6, 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        # A push button will not be narrower than its words on one line; this one wraps.
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)
        # Drawn here, not by the style sheet: as tall as its words, like the other lines.
        self.setStyleSheet("QPushButton { min-height: 0px; padding: 0px; border: none; }")

    def _text(self) -> str:
        return self.text().replace("&&", "&")

    def _text_rect(self, width: int) -> QRect:
        return QRect(0, 0, max(width - 2 * self._PAD_X, 1), 100_000)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        flags = int(Qt.TextFlag.TextWordWrap)
        bounds = self.fontMetrics().boundingRect(self._text_rect(width), flags, self._text())
        return bounds.height() + 2 * self._PAD_Y

    def sizeHint(self) -> QSize:
        width = self.fontMetrics().horizontalAdvance(self._text()) + 2 * self._PAD_X
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        longest = max(
            (self.fontMetrics().horizontalAdvance(word) for word in self._text().split()),
            default=0,
        )
        width = longest + 2 * self._PAD_X
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        if self.underMouse():
            painter.fillRect(self.rect(), QColor("#dde4ec"))
        font = QFont(self.font())
        font.setUnderline(True)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Link))
        painter.drawText(
            self.rect().adjusted(self._PAD_X, self._PAD_Y, -self._PAD_X, -self._PAD_Y),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            | int(Qt.TextFlag.TextWordWrap),
            self._text(),
        )
        if self.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)
        painter.end()


class _StepRow(QWidget):
    """One step: its words as text, or the same words on a button when it can be opened.
    Only one of the two is shown, and a layout gives a hidden widget no room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        # It wraps to the list's width, whatever Qt would choose for a wrapped label.
        self.label.setMinimumWidth(1)
        self.button = StepButton()
        self.button.setFlat(True)
        self.button.setAttribute(Qt.WidgetAttribute.WA_Hover, True)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.button.hide()

    def currentWidget(self) -> QWidget:
        return self.button if not self.button.isHidden() else self.label

    def setCurrentWidget(self, widget: QWidget) -> None:
        self.label.setVisible(widget is self.label)
        self.button.setVisible(widget is self.button)


class StepsPanel(QWidget):
    """The list of steps beside the wizard, so people can see how far they have come and
    go back (or forward again) to a step they have already seen."""

    step_chosen = Signal(int)

    def __init__(self, titles: list[str]) -> None:
        super().__init__()
        self.setAccessibleName(self.tr("Steps"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("sgRole", "steps")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # A short window scrolls the list rather than squeezing its lines into each other.
        holder = QWidget()
        holder.setObjectName("stepsHolder")
        holder.setStyleSheet("QWidget#stepsHolder { background: transparent; }")
        area = QScrollArea()
        area.setWidget(holder)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.viewport().setAutoFillBackground(False)
        outer.addWidget(area)
        self._area = area
        layout = QVBoxLayout(holder)
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
        # Wide enough for every title on one line, as a link or in bold, up to a limit past
        # which long titles wrap (a narrow window keeps its room for the page).
        bold = QFont(self.font())
        bold.setBold(True)
        needed = max(
            (
                max(
                    QFontMetrics(bold).horizontalAdvance(f"{len(titles)}.  {title}"),
                    QFontMetrics(self.font()).horizontalAdvance(f"✓  {title}"),
                )
                for title in titles
            ),
            default=0,
        )
        margins = layout.contentsMargins()
        # The scroll bar's room too, for when the window is short.
        needed += margins.left() + margins.right() + 2 * StepButton._PAD_X + 4
        needed += area.verticalScrollBar().sizeHint().width()
        self.setFixedWidth(min(max(needed, text_width(16)), text_width(22)))

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
        # The current step in view when the list is taller than the window (down only:
        # never sideways, which would hide the start of every line).
        if 0 <= index < len(self.rows):
            QTimer.singleShot(0, self, self._current_in_view)

    def _current_in_view(self) -> None:
        row = self.rows[self._current]
        self._area.ensureVisible(0, row.y() + row.height() // 2, 0, row.height())
        self._area.horizontalScrollBar().setValue(0)
