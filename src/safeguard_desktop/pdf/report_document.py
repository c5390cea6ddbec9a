"""The anonymised report for governors or a club committee: concerns by category.

Built from a :class:`CategoryReport` alone, which holds counts and nothing else (see
:mod:`..domain.reporting`): no name, date of birth, reference or record text can
reach this document because none is passed in. What it prints: the organisation,
the period covered, whether counted by month or by term, a bar chart (the same
series and colours as the app's chart, :mod:`..domain.report_chart`), the table of
counts with totals, a line saying the report holds counts only, and the date it
was printed. This module logs nothing and reads no database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .. import APP_NAME
from ..domain.categories import category
from ..domain.date_words import long_date
from ..domain.report_chart import (
    ChartSeries,
    axis_top,
    chart_series,
    short_label,
)
from ..domain.reporting import CategoryReport, Period, status_words
from ..domain.text import display_safe, single_line
from .fonts import paragraph, register_fonts
from .page_furniture import INK, RULE, draw_line, draw_rule, numbered_canvas, page_of

TITLE = "Safeguarding concerns by category"
COUNTS_ONLY = (
    "This report holds counts only: no names or other details of any child, family "
    "member or member of staff."
)
SMALL_NUMBERS = (
    "In a small setting even a count can point to a child, so share this report only "
    "with the people it was made for."
)
DOUBLE_COUNTING = (
    "A concern can be about more than one kind of harm. It is counted under each of "
    "its categories, but only once in the last row, so the rows can add up to more "
    "than the last row."
)
NO_CONCERNS = "No concerns were recorded in this period."
CONCERNS_ROW = "Concerns (each counted once)"
TERMS_EXPLAINED = (
    "Terms: autumn is September to December, spring January to March, summer April to August."
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN

LABEL_FILL = Color(0.92, 0.94, 0.97)
MUTED = Color(0.36, 0.39, 0.45)
NOTE_FILL = Color(0.93, 0.96, 0.99)
GRID = Color(0.87, 0.89, 0.92)
BAR_EDGE = Color(0.15, 0.15, 0.15)

_MAX_CATEGORY_COLUMN = 75 * mm
_NUMBER_PAD = 2.5
_FRAME_PADDING = 6
# How many periods one table holds before the rest continue in a second table.
_MONTHS_PER_TABLE = 12
_TERMS_PER_TABLE = 6


def category_report_pdf(
    report: CategoryReport,
    *,
    organisation: str,
    date_from: date,
    date_to: date,
    printed_on: date,
    by: str,
) -> bytes:
    """The report as A4 PDF bytes, held in memory only.

    ``by`` is ``"month"`` or ``"term"``, as the report was counted.
    """
    if by not in ("month", "term"):
        raise ValueError("by must be 'month' or 'term'")
    regular, bold = register_fonts()
    styles = _Styles(regular, bold)
    organisation = single_line(display_safe(organisation))
    story: list[Flowable] = [
        Paragraph(escape(TITLE), styles.title),
        Spacer(1, 3),
        # Any script, like the header: the main font has no Chinese, Japanese or Korean.
        paragraph(organisation, styles.subtitle, CONTENT_WIDTH),
        Spacer(1, 8),
        _facts(report, date_from, date_to, printed_on, by, styles),
        Spacer(1, 8),
        _note(f"{COUNTS_ONLY} {SMALL_NUMBERS}", styles),
    ]
    if report.total == 0:
        story += [Spacer(1, 14), Paragraph(escape(NO_CONCERNS), styles.heading)]
    else:
        per = "month" if by == "month" else "term"
        series = chart_series(report)
        story += [
            Spacer(1, 12),
            KeepTogether(
                [
                    Paragraph(escape(f"Concerns per {per}, by category"), styles.heading),
                    Spacer(1, 4),
                    _chart(report, series, styles),
                    Spacer(1, 4),
                    _legend(series, styles),
                ]
            ),
            Spacer(1, 4),
            Paragraph(escape("The table below gives every number."), styles.small),
            CondPageBreak(120),
            Spacer(1, 10),
            Paragraph(escape(f"Number of concerns per {per}"), styles.heading),
            Spacer(1, 4),
        ]
        story += _tables(report, by, styles)
        story += [Spacer(1, 4), Paragraph(escape(DOUBLE_COUNTING), styles.small)]

    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        # The frame pads its content by 6 pt: the margins make room for it, so that
        # full-width tables line up with the running header.
        leftMargin=MARGIN - _FRAME_PADDING,
        rightMargin=MARGIN - _FRAME_PADDING,
        topMargin=24 * mm,
        bottomMargin=20 * mm,
        title=TITLE,
        author=organisation,
        subject="Counts of safeguarding concerns by category; no names",
        creator=APP_NAME,
        initialFontName=regular,
    )

    doc.build(story, canvasmaker=_report_canvas(organisation, printed_on, styles))
    return out.getvalue()


# --- styles and page furniture ----------------------------------------------------


class _Styles:
    def __init__(self, regular: str, bold: str) -> None:
        self.regular = regular
        self.bold = bold
        self.title = ParagraphStyle("title", fontName=bold, fontSize=17, leading=21, textColor=INK)
        self.subtitle = ParagraphStyle(
            "subtitle", fontName=regular, fontSize=12, leading=15, textColor=INK
        )
        self.heading = ParagraphStyle(
            "heading", fontName=bold, fontSize=11.5, leading=14, textColor=INK
        )
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13)
        self.small = ParagraphStyle(
            "small", fontName=regular, fontSize=8.3, leading=11, textColor=MUTED
        )
        self.label = ParagraphStyle("label", fontName=bold, fontSize=8.6, leading=11, textColor=INK)
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=8.6, leading=11)
        self.cell_bold = ParagraphStyle("cell-bold", parent=self.cell, fontName=bold)
        self.head = ParagraphStyle(
            "head", fontName=bold, fontSize=7.4, leading=9, textColor=INK, alignment=TA_CENTER
        )
        self.head_left = ParagraphStyle("head-left", parent=self.head, alignment=0)
        self.legend = ParagraphStyle("legend", fontName=regular, fontSize=8.4, leading=10.5)
        # Header and footer.
        self.running = ParagraphStyle(
            "running", fontName=regular, fontSize=8, leading=10, textColor=MUTED
        )


def _report_canvas(organisation: str, printed_on: date, styles: _Styles) -> type[Canvas]:
    """Organisation and title in the running header; "counts only", the date printed
    and "Page N of M" in the footer. No marking: the report holds no personal data."""
    right_style = ParagraphStyle("running-right", parent=styles.running, alignment=TA_RIGHT)
    printed = f"Counts only, no names · printed {long_date(printed_on)}"

    def draw(canvas: Canvas, number: int, total: int) -> None:
        left, right = MARGIN, PAGE_WIDTH - MARGIN
        head_y = PAGE_HEIGHT - 14 * mm
        half = CONTENT_WIDTH / 2 - 6
        draw_line(canvas, organisation, styles.running, left, head_y, half)
        draw_line(canvas, TITLE, right_style, right - half, head_y, half)
        draw_rule(canvas, left, right, head_y - 4)
        foot_y = 11 * mm
        draw_rule(canvas, left, right, foot_y + 10)
        quarter = CONTENT_WIDTH / 4
        draw_line(canvas, printed, styles.running, left, foot_y, 3 * quarter - 6)
        draw_line(canvas, page_of(number, total), right_style, right - quarter, foot_y, quarter)

    return numbered_canvas(draw)


# --- blocks ---------------------------------------------------------------------------


def _facts(
    report: CategoryReport,
    date_from: date,
    date_to: date,
    printed_on: date,
    by: str,
    styles: _Styles,
) -> Table:
    counted = "By month" if by == "month" else "By term"
    if by == "term":
        counted += f". {TERMS_EXPLAINED}"
    rows = [
        ("Period covered", f"{long_date(date_from)} to {long_date(date_to)}"),
        ("Counted", counted),
        ("Concerns recorded", str(report.total)),
        ("Children with a plan or status now", status_words(report.statuses_now)),
        ("Plans and statuses started in the period", status_words(report.statuses_started)),
        ("Printed", long_date(printed_on)),
    ]
    label_w = 38 * mm
    table = Table(
        [
            [Paragraph(escape(label), styles.label), Paragraph(escape(value), styles.cell)]
            for label, value in rows
        ],
        colWidths=[label_w, CONTENT_WIDTH - label_w],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.regular),
                ("BOX", (0, 0), (-1, -1), 0.8, INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _note(text: str, styles: _Styles) -> Table:
    box = Table([[Paragraph(escape(text), styles.body)]], colWidths=[CONTENT_WIDTH])
    box.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.regular),
                ("BACKGROUND", (0, 0), (-1, -1), NOTE_FILL),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


def _chart(report: CategoryReport, series: Sequence[ChartSeries], styles: _Styles) -> Drawing:
    regular = styles.regular
    height = 66 * mm
    drawing = Drawing(CONTENT_WIDTH, height)
    chart = VerticalBarChart()
    left_room, bottom_room = 30.0, 30.0
    chart.x, chart.y = left_room, bottom_room
    chart.width = CONTENT_WIDTH - left_room - 4
    chart.height = height - bottom_room - 14
    chart.data = [list(s.values) for s in series]

    top = max(max(s.values) for s in series)
    axis_max, step = axis_top(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = axis_max
    chart.valueAxis.valueStep = step
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.valueAxis.strokeColor = RULE

    periods = len(report.periods)
    group_width = chart.width / max(periods, 1)
    names = [_two_lines(p) for p in report.periods]
    # Thin out the axis labels when they would run into each other.
    widest = max(stringWidth(part, regular, 7.5) for name in names for part in name.split("\n"))
    every = max(1, math.ceil((widest + 4) / group_width))
    chart.categoryAxis.categoryNames = [
        name if index % every == 0 else "" for index, name in enumerate(names)
    ]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.labels.leading = 9
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.tickDown = 2

    chart.groupSpacing = 6 if len(series) > 1 else 10
    chart.barSpacing = 0.6
    chart.bars.strokeColor = BAR_EDGE
    chart.bars.strokeWidth = 0.35
    for index, item in enumerate(series):
        chart.bars[index].fillColor = HexColor(item.colour)

    # A number over each bar when there is room for it; the table always has them.
    bars = periods * len(series)
    bar_width = (chart.width - periods * chart.groupSpacing) / max(bars, 1)
    label_size = 6.8
    digits = len(str(top))
    if bar_width >= stringWidth("0" * digits, regular, label_size) - 0.5:
        chart.barLabelFormat = _count_label
        chart.barLabels.fontName = regular
        chart.barLabels.fontSize = label_size
        chart.barLabels.nudge = 5
        chart.barLabels.boxAnchor = "s"
        chart.barLabels.fillColor = INK

    drawing.add(chart)
    drawing.add(
        String(
            left_room - 22,
            height - 8,
            "Concerns",
            fontName=regular,
            fontSize=7.5,
            fillColor=MUTED,
        )
    )
    return drawing


def _count_label(value: float) -> str:
    return str(int(value)) if value else ""


def _two_lines(period: Period) -> str:
    """ "Sep\n2025" under a bar: short enough for twelve months across a page."""
    return short_label(period).replace(" ", "\n", 1)


def _legend(series: Sequence[ChartSeries], styles: _Styles) -> Table:
    """Swatches and names, two to a row, wrapping long names instead of cutting them."""
    swatch_w = 5 * mm
    column_w = CONTENT_WIDTH / 2
    text_w = column_w - swatch_w - 10
    # Read down the first column, then the second: largest categories first.
    down = math.ceil(len(series) / 2)
    cells: list[list[Any]] = []
    for row_index in range(down):
        row: list[Any] = []
        for item in series[row_index::down]:
            row += [
                _swatch(item.colour, swatch_w),
                Paragraph(escape(f"{item.label} ({item.total})"), styles.legend),
            ]
        cells.append(row + [""] * (4 - len(row)))
    table = Table(cells, colWidths=[swatch_w, text_w + 10, swatch_w, text_w + 10])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _swatch(colour: str, width: float) -> Drawing:
    swatch = Drawing(width, 9)
    swatch.add(
        Rect(0, 0, width - 3, 8, fillColor=HexColor(colour), strokeColor=BAR_EDGE, strokeWidth=0.35)
    )
    return swatch


def _chunks(periods: Sequence[Period], size: int) -> list[Sequence[Period]]:
    """``periods`` in tables of at most ``size``, as evenly as possible (13 -> 7 + 6)."""
    count = max(1, math.ceil(len(periods) / size))
    per = math.ceil(len(periods) / count)
    return [periods[i : i + per] for i in range(0, len(periods), per)]


def _tables(report: CategoryReport, by: str, styles: _Styles) -> list[Flowable]:
    size = _MONTHS_PER_TABLE if by == "month" else _TERMS_PER_TABLE
    chunks = _chunks(report.periods, size)
    out: list[Flowable] = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        out.append(_count_table(report, chunk, with_total=last, styles=styles))
        out.append(Spacer(1, 6))
    return out


def _count_table(
    report: CategoryReport, periods: Sequence[Period], *, with_total: bool, styles: _Styles
) -> Table:
    number = ParagraphStyle("number", parent=styles.cell, alignment=TA_RIGHT)
    zero = ParagraphStyle("zero", parent=number, textColor=MUTED)
    number_bold = ParagraphStyle("number-bold", parent=number, fontName=styles.bold)

    def cell(value: int, bold: bool = False) -> Paragraph:
        return Paragraph(str(value), number_bold if bold else (number if value else zero))

    # Each number column as narrow as its header ("Sep" over "2025") and its numbers
    # allow; the total column as "Total" and the grand total allow.
    def width_of(texts: Sequence[str], font: str, size: float) -> float:
        return max(float(stringWidth(text, font, size)) for text in texts)

    head_size, cell_size = styles.head.fontSize, styles.cell.fontSize
    period_w = 2 * _NUMBER_PAD + max(
        width_of(
            [part for p in periods for part in _two_lines(p).split("\n")], styles.bold, head_size
        ),
        # No count in a period exceeds the concerns in that period.
        width_of([str(n) for n in report.concern_totals.values()] or ["0"], styles.bold, cell_size),
    )
    total_w = 2 * _NUMBER_PAD + max(
        stringWidth("Total", styles.bold, head_size),
        stringWidth(str(report.total), styles.bold, cell_size),  # no category total exceeds it
    )
    widths = [period_w] * len(periods) + ([total_w] if with_total else [])
    # Room for the longest name on one line if the numbers can spare it (up to a cap:
    # the LADO category's name is long, and wraps rather than squeezing the numbers).
    names = [category(cid).label for cid in report.categories]
    longest = max(
        stringWidth(CONCERNS_ROW, styles.bold, cell_size),
        *(stringWidth(name, styles.regular, cell_size) for name in names),
    )
    category_wanted = min(longest + 10, _MAX_CATEGORY_COLUMN)
    # What is left over widens the number columns, up to a comfortable 18 mm each.
    spare = CONTENT_WIDTH - category_wanted - sum(widths)
    if spare > 0:
        widths = [min(w + spare / len(widths), max(w, 18 * mm)) for w in widths]
    category_w = CONTENT_WIDTH - sum(widths)
    heads: list[Any] = [Paragraph("Category", styles.head_left)]
    heads += [Paragraph(escape(_two_lines(p)).replace("\n", "<br/>"), styles.head) for p in periods]
    if with_total:
        heads.append(Paragraph("Total", styles.head))
    data: list[list[Any]] = [heads]
    for cid in report.categories:
        row: list[Any] = [Paragraph(escape(category(cid).label), styles.cell)]
        row += [cell(report.count(p.key, cid)) for p in periods]
        if with_total:
            row.append(cell(report.category_total(cid), bold=True))
        data.append(row)
    last: list[Any] = [Paragraph(escape(CONCERNS_ROW), styles.cell_bold)]
    last += [cell(report.concern_totals.get(p.key, 0), bold=True) for p in periods]
    if with_total:
        last.append(cell(report.total, bold=True))
    data.append(last)

    table = Table(data, colWidths=[category_w, *widths], repeatRows=1, hAlign="LEFT")
    commands: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), styles.regular),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
        ("BACKGROUND", (0, -1), (-1, -1), LABEL_FILL),
        ("LINEABOVE", (0, -1), (-1, -1), 1.1, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (0, -1), 4),
        ("RIGHTPADDING", (0, 0), (0, -1), 4),
        ("LEFTPADDING", (1, 0), (-1, -1), _NUMBER_PAD),
        ("RIGHTPADDING", (1, 0), (-1, -1), _NUMBER_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    if with_total:
        commands.append(("LINEBEFORE", (-1, 0), (-1, -1), 1.1, INK))
        commands.append(("BACKGROUND", (-1, 1), (-1, -2), white))
    table.setStyle(TableStyle(commands))
    return table
