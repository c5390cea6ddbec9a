"""A child's chronology on paper: A4 landscape, one table, marked on every page.

What is printed is exactly the :class:`ChronologyPrint` handed in: nothing here reads
the database. Every page carries the protective marking (top and bottom), the
organisation, the child's name and date of birth (pages get separated), who printed it
and when, and "Page N of M". The PDF metadata holds the title "Chronology" only, never
the child's name or any record text; this module logs nothing.

The same things are marked as on screen, in words as well as shading (a black and white
printer loses the shading): repeated concerns, contact with agencies, and entries
written down on a later day than they happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .. import APP_NAME
from ..domain.children import age_on
from ..domain.chronology import REPEAT_COUNT, REPEAT_WINDOW_DAYS
from ..domain.chronology_timing import recorded_later_on, when_words
from ..domain.date_words import long_date, short_date
from ..domain.records import ChronologyEntry
from ..domain.text import display_safe, single_line
from .chronology_print import ChronologyPrint
from .fonts import BOLD, REGULAR, SetOnce, paragraph, register_fonts, text_width
from .page_furniture import (
    INK,
    RULE,
    draw_line,
    draw_marking,
    draw_rule,
    fit_line,
    numbered_canvas,
    page_of,
)

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN_X = 14 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
TOP_MARGIN = 25 * mm
BOTTOM_MARGIN = 18 * mm

REPEATED_MARK = f"Repeated: {REPEAT_COUNT}+ in {REPEAT_WINDOW_DAYS} days"
AGENCY_MARK = "Agency contact"
TITLE = "Chronology"

HEAD_FILL = Color(0.90, 0.92, 0.96)
MUTED = Color(0.33, 0.36, 0.42)
REPEATED_FILL = Color(1.0, 0.93, 0.78)
REPEATED_INK = Color(0.55, 0.28, 0.0)
AGENCY_INK = Color(0.12, 0.30, 0.52)

# When | What | Summary | By, in points; Summary takes what is left.
_WHEN_WIDTH = 40 * mm
_WHAT_WIDTH = 64 * mm
_BY_WIDTH = 38 * mm
_SUMMARY_WIDTH = CONTENT_WIDTH - _WHEN_WIDTH - _WHAT_WIDTH - _BY_WIDTH
_CELL_PAD = 4


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    repeated: ParagraphStyle
    agency: ParagraphStyle
    head: ParagraphStyle
    title: ParagraphStyle
    name: ParagraphStyle
    running: ParagraphStyle
    running_right: ParagraphStyle


def _styles() -> _Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13)
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=8.8, leading=11.4)
    small = ParagraphStyle("small", parent=body, fontSize=8.2, leading=10.5, textColor=MUTED)
    running = ParagraphStyle("running", parent=small, textColor=INK)
    return _Styles(
        body=body,
        small=small,
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=BOLD, textColor=INK),
        cell_small=ParagraphStyle(
            "cell_small", parent=cell, fontSize=7.8, leading=10, textColor=MUTED
        ),
        repeated=ParagraphStyle(
            "repeated", parent=cell, fontName=BOLD, fontSize=7.8, leading=10, textColor=REPEATED_INK
        ),
        agency=ParagraphStyle(
            "agency", parent=cell, fontName=BOLD, fontSize=7.8, leading=10, textColor=AGENCY_INK
        ),
        head=ParagraphStyle("head", parent=cell, fontName=BOLD, textColor=INK),
        title=ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, textColor=INK),
        name=ParagraphStyle("name", fontName=BOLD, fontSize=13, leading=17, textColor=INK),
        running=running,
        running_right=ParagraphStyle("running_right", parent=running, alignment=TA_RIGHT),
    )


def born_words(doc: ChronologyPrint) -> str:
    """ "born 2 March 2015 (age 11)", "about 9 years old" or "date of birth not known"."""
    today = doc.printed_at.date()
    if doc.date_of_birth is not None:
        return f"born {long_date(doc.date_of_birth)} (age {age_on(doc.date_of_birth, today)})"
    if doc.approximate_age is not None:
        return f"about {doc.approximate_age} years old, date of birth not known"
    return "date of birth not known"


def _one_line(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """Record text on one line, in any script and display-safe (see fonts.paragraph)."""
    return paragraph(single_line(text), style, width)


# Page furniture ---------------------------------------------------------------------


def _canvas_class(doc: ChronologyPrint, styles: _Styles) -> type[Canvas]:
    """Marking top and bottom; organisation left and the child right in the header
    (pages get separated); who printed it and "Page N of M" in the footer."""
    third = CONTENT_WIDTH / 3
    # A name too long for the header is shortened, never the date of birth after it.
    around = (f"{TITLE}: ", f", {born_words(doc)}")
    style = styles.running_right
    room = 2 * third - text_width("".join(around), style.fontName, style.fontSize)
    name = fit_line(single_line(display_safe(doc.child_name)), style.fontName, style.fontSize, room)
    header_name = name.join(around)
    printed = f"Printed {short_date(doc.printed_at)} by {doc.printed_by}"
    page_style = ParagraphStyle("page", parent=styles.small, alignment=TA_RIGHT)

    def draw(canvas: Canvas, number: int, total: int) -> None:
        left, right = MARGIN_X, PAGE_WIDTH - MARGIN_X
        draw_marking(canvas, left, PAGE_HEIGHT - 9.47 * mm, CONTENT_WIDTH)
        head_y = PAGE_HEIGHT - 16.2 * mm
        draw_line(canvas, doc.organisation, styles.running, left, head_y, third - 6)
        draw_line(canvas, header_name, styles.running_right, left + third, head_y, 2 * third)
        draw_rule(canvas, left, right, head_y - 5.3)
        foot_y = 11.3 * mm
        draw_rule(canvas, left, right, foot_y + 11.7)
        quarter = CONTENT_WIDTH / 4
        draw_line(canvas, printed, styles.small, left, foot_y, 3 * quarter - 6)
        draw_line(canvas, page_of(number, total), page_style, right - quarter, foot_y, quarter)
        draw_marking(canvas, left, 5 * mm, CONTENT_WIDTH)

    return numbered_canvas(draw)


# The story --------------------------------------------------------------------------


def _facts(doc: ChronologyPrint) -> list[str]:
    born = born_words(doc)
    facts = [born[0].upper() + born[1:]]
    if doc.other_names:
        facts.append(f"Other names: {doc.other_names}")
    if doc.group:
        facts.append(f"School, class, club or team: {doc.group}")
    facts.append(f"Case owner: {doc.case_owner or 'nobody yet'}")
    facts.append(f"Risk level: {doc.risk_level}")
    return facts


def _title_block(doc: ChronologyPrint, styles: _Styles) -> list[Flowable]:
    count = len(doc.entries)
    entries = "1 entry" if count == 1 else f"{count} entries"
    return [
        Paragraph(TITLE, styles.title),
        Spacer(1, 2 * mm),
        _one_line(doc.child_name, styles.name, CONTENT_WIDTH),
        Spacer(1, 1 * mm),
        _one_line("  ·  ".join(_facts(doc)), styles.body, CONTENT_WIDTH),
        Spacer(1, 2 * mm),
        Paragraph(
            f"{entries}, in the order they happened. Shaded and marked "
            f"“{REPEATED_MARK}”: one of {REPEAT_COUNT} or more concerns within "
            f"{REPEAT_WINDOW_DAYS} days. “{AGENCY_MARK}”: contact with children's social "
            "care, the police, the LADO or another agency. “Recorded later on”: written "
            "down on a later day than it happened.",
            styles.small,
        ),
        Spacer(1, 4 * mm),
    ]


def _when_cell(entry: ChronologyEntry, styles: _Styles) -> list[Flowable]:
    width = _WHEN_WIDTH - 2 * _CELL_PAD
    cell: list[Flowable] = [_one_line(when_words(entry.when), styles.cell, width)]
    later = recorded_later_on(entry)
    if later is not None:
        cell.append(SetOnce(f"Recorded later on {long_date(later)}", styles.cell_small))
    return cell


def _what_cell(entry: ChronologyEntry, styles: _Styles) -> list[Flowable]:
    width = _WHAT_WIDTH - 2 * _CELL_PAD
    cell: list[Flowable] = [_one_line(entry.title, styles.cell_bold, width)]
    if entry.ref:
        cell.append(_one_line(entry.ref, styles.cell_small, width))
    if entry.repeated:
        cell.append(SetOnce(REPEATED_MARK, styles.repeated))
    if entry.agency_contact:
        cell.append(SetOnce(AGENCY_MARK, styles.agency))
    return cell


def _rows(entries: Sequence[ChronologyEntry], styles: _Styles) -> list[list[object]]:
    summary_width = _SUMMARY_WIDTH - 2 * _CELL_PAD
    by_width = _BY_WIDTH - 2 * _CELL_PAD
    return [
        [
            _when_cell(entry, styles),
            _what_cell(entry, styles),
            paragraph(entry.summary, styles.cell, summary_width),
            _one_line(entry.by, styles.cell, by_width),
        ]
        for entry in entries
    ]


def _table(entries: Sequence[ChronologyEntry], styles: _Styles, header: list[object]) -> Table:
    table = Table(
        [header, *_rows(entries, styles)],
        colWidths=[_WHEN_WIDTH, _WHAT_WIDTH, _SUMMARY_WIDTH, _BY_WIDTH],
        repeatRows=1,
    )
    commands: list[tuple[object, ...]] = [
        # Plain cells would otherwise fall back to Helvetica, unembedded.
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ]
    for index, entry in enumerate(entries, start=1):
        if entry.repeated:
            commands.append(("BACKGROUND", (0, index), (-1, index), REPEATED_FILL))
    table.setStyle(TableStyle(commands))
    return table


def _story(doc: ChronologyPrint, styles: _Styles) -> list[Flowable]:
    story = _title_block(doc, styles)
    if not doc.entries:
        story.append(Paragraph("Nothing has been recorded about this child yet.", styles.body))
        return story
    header: list[object] = [
        SetOnce(text, styles.head) for text in ("When", "What", "Summary", "Recorded by")
    ]
    story.append(_table(doc.entries, styles, header))
    return story


def chronology_pdf_bytes(doc: ChronologyPrint) -> bytes:
    """The printed chronology as PDF bytes, held in memory only."""
    styles = _styles()
    out = BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        # The title only: a PDF's metadata is shown by file managers and search indexes.
        title=TITLE,
        author=APP_NAME,
        creator=APP_NAME,
        subject="",
        keywords="",
        initialFontName=REGULAR,
    )
    template.build(_story(doc, styles), canvasmaker=_canvas_class(doc, styles))
    return out.getvalue()
