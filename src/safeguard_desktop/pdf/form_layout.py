"""The look of a referral form: page furniture, section bars, field grids, long text.

Shared by the referral and LADO documents so both read as one family of forms,
shaped like the multi-agency referral forms (MARF) local authorities use: a
protective marking top and bottom of every page, a running header with the
organisation, title and reference, numbered section bars, and label/value grids.

Two things every builder here guarantees:

* **Nothing too tall for a page sits inside a table.** A table row cannot be
  split across pages, so a cell taller than the frame makes reportlab raise
  ``LayoutError``. Values longer than :data:`LONG_VALUE` characters (or with
  many lines) are set as a label bar followed by ordinary paragraphs, which
  flow over as many pages as they need.
* **The signature corner of the last page stays empty.** ``sign_pdf`` draws its
  box at the bottom right of the last page; the last flowable reserves that
  height (:func:`signature_reserve`) and the footer of the last page is lifted
  above it (:func:`form_canvas`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color, white
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from ..domain.text import single_line
from .fonts import BOLD, MONO, REGULAR, paragraph, register_fonts
from .page_furniture import (
    INK,
    MARKING,
    RULE,
    draw_line,
    draw_marking,
    draw_rule,
    numbered_canvas,
    page_of,
)
from .signature_stamp import SIGNATURE_SPACE

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
# The body frame: below the marking and running header, above the footer.
TOP_MARGIN = 27 * mm
BOTTOM_MARGIN = 19 * mm
_FOOTER_BASELINE = 9 * mm
# On the last page the footer sits just above the signature box.
_LAST_FOOTER_BASELINE = SIGNATURE_SPACE + 6

NONE_RECORDED = "None recorded"
NOT_RECORDED = "Not recorded"

# Longer values leave the table for flowing paragraphs (see the module docstring).
LONG_VALUE = 600
_LONG_LINES = 8

LABEL_FILL = Color(0.92, 0.94, 0.97)
MUTED = Color(0.36, 0.39, 0.45)
NOTE_FILL = Color(1.0, 0.96, 0.86)
_CELL_PAD = 4


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    muted: ParagraphStyle  # "Not recorded" in a cell
    absent: ParagraphStyle  # "None recorded" for a whole part
    small: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    section: ParagraphStyle
    subheading: ParagraphStyle
    mono: ParagraphStyle
    table_head: ParagraphStyle


def make_styles() -> Styles:
    register_fonts()
    # Free text is indented like the text in table cells, so it lines up with them.
    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=9.5,
        leading=13,
        textColor=Color(0, 0, 0),
        leftIndent=_CELL_PAD,
        rightIndent=_CELL_PAD,
    )
    # Cells have padding of their own.
    value = ParagraphStyle(
        "value", parent=body, fontSize=9.3, leading=12.4, leftIndent=0, rightIndent=0
    )
    return Styles(
        body=body,
        label=ParagraphStyle("label", fontName=BOLD, fontSize=8.3, leading=11, textColor=INK),
        value=value,
        muted=ParagraphStyle("muted", parent=value, textColor=MUTED),
        absent=ParagraphStyle("absent", parent=body, textColor=MUTED),
        small=ParagraphStyle("small", parent=value, fontSize=8, leading=10.5, textColor=MUTED),
        title=ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, textColor=INK),
        subtitle=ParagraphStyle("subtitle", parent=value, fontSize=10.5, leading=14, textColor=INK),
        section=ParagraphStyle(
            "section", fontName=BOLD, fontSize=10.5, leading=13, textColor=white
        ),
        subheading=ParagraphStyle(
            "subheading", fontName=BOLD, fontSize=9.8, leading=13, textColor=INK
        ),
        mono=ParagraphStyle("mono", fontName=MONO, fontSize=8.6, leading=11.5),
        table_head=ParagraphStyle(
            "table_head", fontName=BOLD, fontSize=8.3, leading=11, textColor=INK
        ),
    )


# --- words for values -------------------------------------------------------------


def yes_no(value: bool | None, unknown: str = NOT_RECORDED) -> str:
    return unknown if value is None else ("Yes" if value else "No")


# --- page furniture ------------------------------------------------------------------


@dataclass(frozen=True)
class PageFurniture:
    """What the header and footer of every page say."""

    organisation: str
    title: str
    reference: str


def form_canvas(furniture: PageFurniture, styles: Styles) -> type[Canvas]:
    """The canvas class that finishes every page of a form with header and footer.

    Marking top centre; organisation left and title · reference right; a footer of
    reference, marking and "Page N of M", lifted clear of the signature box on the
    last page.
    """
    right_style = ParagraphStyle("head-right", parent=styles.small, alignment=TA_RIGHT)

    def draw(canvas: Canvas, number: int, total: int) -> None:
        left, right = MARGIN_X, PAGE_WIDTH - MARGIN_X
        draw_marking(canvas, left, PAGE_HEIGHT - 11 * mm, CONTENT_WIDTH)
        # Running header: organisation left, title and reference right.
        head_y = PAGE_HEIGHT - 19 * mm
        half = CONTENT_WIDTH / 2 - 6
        draw_line(canvas, furniture.organisation, styles.small, left, head_y, half)
        title = f"{furniture.title} · {furniture.reference}"
        draw_line(canvas, title, right_style, right - half, head_y, half)
        draw_rule(canvas, left, right, head_y - 3)
        # Footer: reference left, marking centre, page number right.
        base = _LAST_FOOTER_BASELINE if number == total else _FOOTER_BASELINE
        draw_rule(canvas, left, right, base + 11)
        third = CONTENT_WIDTH / 3
        draw_line(canvas, f"Reference {furniture.reference}", styles.small, left, base, third)
        draw_marking(canvas, left + third, base, third)
        draw_line(canvas, page_of(number, total), right_style, right - third, base, third)

    return numbered_canvas(draw)


def signature_reserve() -> Spacer:
    """Space to keep after the last flowable: the signature box and the lifted footer."""
    return Spacer(1, _LAST_FOOTER_BASELINE + 16 - BOTTOM_MARGIN)


# --- blocks ----------------------------------------------------------------------------


# Room a section needs below its bar, or it starts on a new page: a bar alone at
# the foot of a page reads as a section with nothing in it.
SECTION_ROOM = 90


def section_bar(number: int, title: str, styles: Styles) -> Table:
    """A dark numbered bar opening a section.

    Callers put a ``CondPageBreak(SECTION_ROOM)`` before it rather than setting
    ``keepWithNext``, which would carry a whole long table to the next page
    with it and leave most of this page empty.
    """
    bar = Table(
        [[paragraph(f"{number}.  {title}", styles.section, CONTENT_WIDTH - 12)]],
        colWidths=[CONTENT_WIDTH],
    )
    bar.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), INK),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
            ]
        )
    )
    bar.spaceBefore = 10
    bar.spaceAfter = 5
    return bar


def subheading(text: str, styles: Styles) -> list[Flowable]:
    para = paragraph(text, styles.subheading, CONTENT_WIDTH)
    para.spaceBefore = 4
    para.spaceAfter = 3
    return [CondPageBreak(80), para]


def none_recorded(styles: Styles, text: str = NONE_RECORDED) -> Flowable:
    return paragraph(text, styles.absent, CONTENT_WIDTH)


def note_box(text: str, styles: Styles) -> Table:
    """A tinted box for a short notice (amendments applied, for example)."""
    box = Table([[paragraph(text, styles.value, CONTENT_WIDTH - 12)]], colWidths=[CONTENT_WIDTH])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), NOTE_FILL),
                ("BOX", (0, 0), (-1, -1), 0.6, Color(0.85, 0.7, 0.3)),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    box.spaceBefore = 3
    box.spaceAfter = 3
    return box


def is_long(text: str) -> bool:
    """Too long to sit safely in a table cell (see the module docstring)."""
    return len(text) > LONG_VALUE or text.count("\n") >= _LONG_LINES


def long_text(
    text: str,
    styles: Styles,
    *,
    quoted: bool = False,
    empty: str = NONE_RECORDED,
    style: ParagraphStyle | None = None,
) -> list[Flowable]:
    """Free text as flowing paragraphs, one per line typed; ``empty`` when blank.

    ``quoted`` wraps the text in quotation marks, for a child's own words.
    """
    style = style or styles.body
    text = text.strip("\n")
    if not text.strip():
        return [none_recorded(styles, empty)]
    if quoted:
        text = f"“{text}”"
    out: list[Flowable] = []
    for line in text.split("\n"):
        if not line.strip():
            out.append(Spacer(1, style.leading * 0.5))
            continue
        pieces = chunks(line)
        for index, piece in enumerate(pieces):
            para = paragraph(piece, style, CONTENT_WIDTH)
            para.spaceAfter = 2 if index == len(pieces) - 1 else 0
            out.append(para)
    return out


# A paragraph split over pages is broken into lines again on every page, so one of
# 100,000 characters costs seconds per page (tens of seconds when shaped). Longer
# paragraphs are set as several, each ending at a sentence where one ends nearby.
_CHUNK = 3_000
_SENTENCE_ENDS = (". ", "? ", "! ", "。", "？", "！", "؟ ", "۔ ")


def chunks(line: str, size: int = _CHUNK) -> list[str]:
    """``line`` in pieces of at most ``size`` characters, split after a sentence if
    one ends in the last quarter of the piece, else at a space, else anywhere."""
    pieces: list[str] = []
    while len(line) > size:
        window = line[:size]
        cut = max(window.rfind(end) + len(end) for end in _SENTENCE_ENDS)
        if cut < size * 3 // 4:
            cut = window.rfind(" ") + 1
        if cut < size // 2:
            cut = size
        pieces.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    pieces.append(line)
    return pieces


@dataclass(frozen=True)
class Field:
    """One labelled value of a form. ``wide`` fields take the whole row.

    ``mono`` sets the value in the monospaced face: fingerprints and hashes that
    someone compares character by character.
    """

    label: str
    value: str
    wide: bool = False
    mono: bool = False


_LABEL_W = 31 * mm
_VALUE_W = CONTENT_WIDTH / 2 - _LABEL_W


def field_grid(fields: Sequence[Field], styles: Styles) -> list[Flowable]:
    """Fields as a label/value grid, two to a row unless wide.

    A value too long for a cell (:func:`is_long`) closes the grid, is set as a
    label bar and flowing paragraphs, and a new grid continues after it.
    """
    out: list[Flowable] = []
    pending: list[Field] = []
    for item in fields:
        if is_long(item.value):
            if pending:
                out.append(_grid_table(pending, styles))
                pending = []
            out.extend(label_bar(item.label, styles))
            out.extend(long_text(item.value, styles, empty=NOT_RECORDED))
            out.append(Spacer(1, 4))
        else:
            pending.append(item)
    if pending:
        out.append(_grid_table(pending, styles))
    return out


def label_bar(label: str, styles: Styles) -> list[Flowable]:
    """The label of a long value, as a tinted full-width strip, with a line after it."""
    bar = Table([[paragraph(label, styles.label, CONTENT_WIDTH - 8)]], colWidths=[CONTENT_WIDTH])
    bar.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), LABEL_FILL),
                ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    bar.spaceBefore = 4
    bar.spaceAfter = 3
    return [CondPageBreak(48), bar]


def _value_cell(value: str, styles: Styles, width: float, mono: bool = False) -> Flowable:
    if not value.strip():
        return paragraph(NOT_RECORDED, styles.muted, width)
    return paragraph(value, styles.mono if mono else styles.value, width, rtl_right=False)


def _grid_table(fields: Sequence[Field], styles: Styles) -> Table:
    rows: list[list[Any]] = []
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    labels: list[tuple[int, int]] = []  # label cells, shaded (spanned values stay white)
    pair: list[Field] = []

    def flush_pair() -> None:
        if not pair:
            return
        row: list[Any] = []
        for item in pair:
            row += [
                paragraph(item.label, styles.label, _LABEL_W - 2 * _CELL_PAD),
                _value_cell(item.value, styles, _VALUE_W - 2 * _CELL_PAD, item.mono),
            ]
        if len(pair) == 1:  # an odd field out: it spans the row's remaining cells
            row += ["", ""]
            spans.append(("SPAN", (1, len(rows)), (3, len(rows))))
        labels.append((0, len(rows)))
        if len(pair) == 2:
            labels.append((2, len(rows)))
        rows.append(row)
        pair.clear()

    wide_value_w = CONTENT_WIDTH - _LABEL_W - 2 * _CELL_PAD
    for item in fields:
        if item.wide:
            flush_pair()
            rows.append(
                [
                    paragraph(item.label, styles.label, _LABEL_W - 2 * _CELL_PAD),
                    _value_cell(item.value, styles, wide_value_w, item.mono),
                    "",
                    "",
                ]
            )
            spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
            labels.append((0, len(rows) - 1))
        else:
            pair.append(item)
            if len(pair) == 2:
                flush_pair()
    flush_pair()
    table = Table(rows, colWidths=[_LABEL_W, _VALUE_W, _LABEL_W, _VALUE_W])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                *(("BACKGROUND", cell, cell, LABEL_FILL) for cell in labels),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                *spans,
            ]
        )
    )
    table.spaceAfter = 4
    return table


def column_table(
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    styles: Styles,
) -> Table:
    """A table with a heading row repeated on each page (household, chronology ...).

    Callers keep cell text short (:func:`is_long`); the heading row repeats when
    the table flows over a page.
    """
    data: list[list[Any]] = [
        [
            paragraph(h, styles.table_head, w - 2 * _CELL_PAD)
            for h, w in zip(headings, widths, strict=True)
        ]
    ]
    for row in rows:
        data.append(
            [
                _value_cell(cell, styles, w - 2 * _CELL_PAD)
                for cell, w in zip(row, widths, strict=True)
            ]
        )
    table = Table(data, colWidths=list(widths), repeatRows=1)
    commands: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    table.setStyle(TableStyle(commands))
    table.spaceAfter = 4
    return table


def shortened(text: str, limit: int = LONG_VALUE) -> str:
    """One line of at most ``limit`` characters, for summary rows (chronology)."""
    line = single_line(text)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def grouped_hex(value: str, per_line: int) -> str:
    """A long hex string (fingerprint, hash) broken into lines of ``per_line`` characters."""
    return "\n".join(value[i : i + per_line] for i in range(0, len(value), per_line))


def title_block(
    title: str, organisation: str, facts: Sequence[tuple[str, str]], styles: Styles
) -> list[Flowable]:
    """The first page's heading: title and organisation left, key facts right."""
    facts_w = 72 * mm
    left_w = CONTENT_WIDTH - facts_w - 8
    fact_rows = [
        [
            paragraph(label, styles.label, 24 * mm),
            paragraph(value, styles.value, facts_w - 24 * mm - 8),
        ]
        for label, value in facts
    ]
    fact_table = Table(fact_rows, colWidths=[24 * mm, facts_w - 24 * mm])
    fact_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("BOX", (0, 0), (-1, -1), 0.8, INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ]
        )
    )
    left = [
        paragraph(title, styles.title, left_w),
        Spacer(1, 4),
        paragraph(organisation, styles.subtitle, left_w),
    ]
    block = Table([[left, fact_table]], colWidths=[left_w + 8, facts_w])
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                # The gap before the facts: without it a long organisation name ran
                # up against their box (right-to-left ones, right-aligned, always did).
                ("RIGHTPADDING", (0, 0), (0, 0), 8),
            ]
        )
    )
    notice = paragraph(
        "This form holds personal information about a child. Handle it as "
        f"{MARKING}: share it only with people who need it to keep a child safe, and "
        "store it securely.",
        styles.small,
        CONTENT_WIDTH,
    )
    notice.spaceBefore = 6
    return [block, notice, Spacer(1, 2)]
