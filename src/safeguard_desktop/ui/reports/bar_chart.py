"""A grouped bar chart drawn with QPainter: periods across, one bar per series, a legend.

pyside6-essentials has no QtCharts, and the chart needs little: whole-number counts,
a readable axis, a number over each bar where it fits, and a legend that wraps into
columns instead of being cut off at 150 % text. Colours come with the series
(Okabe–Ito, see :mod:`..domain.report_chart`) and every bar but the thinnest has a
dark outline, so the yellow one still shows on white. Nothing depends on seeing the
chart: the caller sets an accessible description summarising it, and puts a table of
the same numbers beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from safeguard_desktop.domain.report_chart import ChartSeries, axis_top

from ..theme import ACCENT, INK, MUTED_INK

_GRID = QColor("#dde2e8")
_AXIS = QColor("#9aa5b1")
_BAR_EDGE = QColor("#262626")
_OUTLINED_BAR_WIDTH = 6  # px; thinner bars show their colour without an outline


@dataclass(frozen=True)
class _Layout:
    """Where everything goes for one widget width (recomputed when it changes)."""

    plot: QRectF
    axis_max: int
    step: int
    label_every: int
    two_line_labels: bool
    value_labels: bool
    legend_top: float
    legend_columns: int
    legend_rows: int
    legend_column_width: float


class BarChart(QWidget):
    """Periods on the x axis, a bar per series in each, a legend underneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._periods: list[str] = []
        self._series: list[ChartSeries] = []
        # Focusable, so a screen reader user can land on it and hear its description.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)

    # --- data ---------------------------------------------------------------------------

    def set_data(self, periods: Sequence[str], series: Sequence[ChartSeries]) -> None:
        """Show ``series`` (each with one value per period) over ``periods`` labels."""
        if any(len(s.values) != len(periods) for s in series):
            raise ValueError("every series needs one value per period")
        self._periods = list(periods)
        self._series = list(series)
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self.set_data([], [])

    @property
    def periods(self) -> list[str]:
        return list(self._periods)

    @property
    def series(self) -> list[ChartSeries]:
        return list(self._series)

    # --- size -----------------------------------------------------------------------------

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        return font

    def _plot_height(self) -> int:
        return max(200, QFontMetrics(self.font()).height() * 11)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return math.ceil(self._layout(width).legend_top + self._legend_height(width)) + 4

    def sizeHint(self) -> QSize:
        width = max(480, QFontMetrics(self.font()).averageCharWidth() * 80)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        width = QFontMetrics(self.font()).averageCharWidth() * 40
        return QSize(width, self.heightForWidth(width))

    # --- layout ----------------------------------------------------------------------------

    def _legend_entries(self) -> list[str]:
        return [f"{s.label} ({s.total})" for s in self._series]

    def _legend_metrics(self, width: int) -> tuple[int, int, float]:
        """(columns, rows, column width) for the legend at this widget width."""
        entries = self._legend_entries()
        if not entries:
            return 0, 0, 0.0
        metrics = QFontMetrics(self._small_font())
        swatch = metrics.height()
        widest = max(metrics.horizontalAdvance(text) for text in entries)
        column = swatch + 8 + widest + 24
        columns = max(1, min(len(entries), int(width // column)))
        rows = math.ceil(len(entries) / columns)
        return columns, rows, max(column, width / columns) if columns > 1 else width

    def _legend_height(self, width: int) -> float:
        _, rows, _ = self._legend_metrics(width)
        line = QFontMetrics(self._small_font()).height() + 8
        return rows * line

    def _layout(self, width: int) -> _Layout:
        small = QFontMetrics(self._small_font())
        top_value = max((max(s.values, default=0) for s in self._series), default=0)
        axis_max, step = axis_top(top_value)
        left = small.horizontalAdvance(str(axis_max)) + 14
        # Room above the plot for the axis title and for a number over the tallest bar.
        top = small.height() * 2 + 4
        plot_width = max(10.0, width - left - 8)
        groups = max(1, len(self._periods))
        group_width = plot_width / groups
        widest_one_line = max((small.horizontalAdvance(p) for p in self._periods), default=0)
        widest_two_line = max(
            (small.horizontalAdvance(part) for p in self._periods for part in p.split(" ", 1)),
            default=0,
        )
        two_lines = widest_one_line + 10 > group_width
        widest = widest_two_line if two_lines else widest_one_line
        label_every = max(1, math.ceil((widest + 10) / group_width))
        label_lines = 2 if two_lines else 1
        plot = QRectF(left, top, plot_width, self._plot_height())
        bar_width = self._bar_width(group_width)
        # Numbers over bars only when neighbouring numbers cannot touch.
        value_labels = bar_width >= small.horizontalAdvance(str(top_value)) + 4 and top_value > 0
        legend_top = plot.bottom() + 8 + small.height() * label_lines + 14
        columns, rows, column_width = self._legend_metrics(width)
        return _Layout(
            plot=plot,
            axis_max=axis_max,
            step=step,
            label_every=label_every,
            two_line_labels=two_lines,
            value_labels=value_labels,
            legend_top=legend_top,
            legend_columns=columns,
            legend_rows=rows,
            legend_column_width=column_width,
        )

    def _bar_width(self, group_width: float) -> float:
        bars = max(1, len(self._series))
        # A fifth of each group is the gap between periods.
        return max(2.0, group_width * 0.8 / bars)

    # --- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        layout = self._layout(self.width())
        self._paint_axes(painter, layout)
        self._paint_bars(painter, layout)
        self._paint_legend(painter, layout)
        if self.hasFocus():
            pen = QPen(QColor(ACCENT), 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.end()

    def _y(self, layout: _Layout, value: float) -> float:
        plot = layout.plot
        return plot.bottom() - plot.height() * value / layout.axis_max

    def _paint_axes(self, painter: QPainter, layout: _Layout) -> None:
        plot = layout.plot
        painter.setFont(self._small_font())
        small = QFontMetrics(self._small_font())
        # Axis title, above the numbers.
        painter.setPen(QColor(MUTED_INK))
        painter.drawText(QPointF(4, small.ascent() + 2), self.tr("Concerns"))
        for value in range(0, layout.axis_max + 1, layout.step):
            y = round(self._y(layout, value))
            painter.setPen(QPen(_GRID if value else _AXIS, 1))
            painter.drawLine(round(plot.left()), y, round(plot.right()), y)
            painter.setPen(QColor(INK))
            text = str(value)
            painter.drawText(
                QRect(0, y - small.height() // 2, round(plot.left()) - 8, small.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        painter.setPen(QPen(_AXIS, 1))
        painter.drawLine(
            round(plot.left()), round(plot.top()), round(plot.left()), round(plot.bottom())
        )
        groups = max(1, len(self._periods))
        group_width = plot.width() / groups
        painter.setPen(QColor(INK))
        for index, label in enumerate(self._periods):
            if index % layout.label_every:
                continue
            text = label.replace(" ", "\n", 1) if layout.two_line_labels else label
            lines = 2 if layout.two_line_labels else 1
            box = QRectF(
                plot.left() + index * group_width - group_width,
                plot.bottom() + 6,
                group_width * 3,
                small.height() * lines + 2,
            )
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)

    def _paint_bars(self, painter: QPainter, layout: _Layout) -> None:
        if not self._series:
            return
        plot = layout.plot
        small = QFontMetrics(self._small_font())
        group_width = plot.width() / max(1, len(self._periods))
        bar_width = self._bar_width(group_width)
        used = bar_width * len(self._series)
        # A bar a few pixels wide (many months across) would be all outline and no
        # colour, so thin bars are drawn in their colour alone.
        outlined = bar_width >= _OUTLINED_BAR_WIDTH
        edge = QPen(_BAR_EDGE, 1) if outlined else QPen(Qt.PenStyle.NoPen)
        inset = 0.5 if outlined else 0.0
        for index in range(len(self._periods)):
            x = plot.left() + index * group_width + (group_width - used) / 2
            for item in self._series:
                value = item.values[index]
                if value:
                    top = self._y(layout, value)
                    bar = QRectF(x, top, bar_width, plot.bottom() - top)
                    painter.setPen(edge)
                    painter.setBrush(QColor(item.colour))
                    painter.drawRect(bar.adjusted(inset, inset, -inset, 0))
                    if layout.value_labels:
                        painter.setPen(QColor(INK))
                        painter.drawText(
                            QRectF(
                                x - 10, top - small.height() - 2, bar_width + 20, small.height()
                            ),
                            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                            str(value),
                        )
                x += bar_width

    def _paint_legend(self, painter: QPainter, layout: _Layout) -> None:
        entries = self._legend_entries()
        if not entries:
            return
        small = QFontMetrics(self._small_font())
        painter.setFont(self._small_font())
        line = small.height() + 8
        swatch = small.height() - 2
        rows = layout.legend_rows
        for index, (item, text) in enumerate(zip(self._series, entries, strict=True)):
            # Down the first column, then the next: largest categories first.
            column, row = divmod(index, rows)
            x = 4 + column * layout.legend_column_width
            y = layout.legend_top + row * line
            painter.setPen(QPen(_BAR_EDGE, 1))
            painter.setBrush(QColor(item.colour))
            painter.drawRect(QRectF(x, y + (line - swatch) / 2 - 4, swatch, swatch))
            painter.setPen(QColor(INK))
            room = int(layout.legend_column_width - swatch - 16)
            shown = small.elidedText(text, Qt.TextElideMode.ElideRight, room)
            painter.drawText(
                QRectF(x + swatch + 8, y - 4, room, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                shown,
            )

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()
