"""A child's records on paper (A4 portrait): a title, a few lines saying what this is, then
sections of records, each a bold heading over its text, marked on every page.

What is printed is exactly the :class:`RecordsPrint` handed in; nothing here reads the
database, decides what may be shown, or logs anything. Every page carries the protective
marking (top and bottom), the organisation and whose records they are (pages get
separated), who printed it and when, and "Page N of M". The PDF's metadata holds the
document's title only.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
)

from .. import APP_NAME
from ..domain.date_words import short_date
from ..domain.text import single_line
from .fonts import BOLD, REGULAR, paragraph, register_fonts
from .page_furniture import (
    INK,
    draw_line,
    draw_marking,
    draw_rule,
    numbered_canvas,
    page_of,
)
from .records_print import RecordsPrint

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
MUTED = Color(0.33, 0.36, 0.42)
_PICTURE_HEIGHT = 200 * mm


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13.5)
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, textColor=INK),
        "subject": ParagraphStyle("subject", fontName=BOLD, fontSize=13, leading=17, textColor=INK),
        "section": ParagraphStyle(
            "section", fontName=BOLD, fontSize=12.5, leading=16, textColor=INK, spaceBefore=8
        ),
        "heading": ParagraphStyle("heading", fontName=BOLD, fontSize=10, leading=13.5),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.2, leading=10.5, textColor=MUTED),
    }


def _canvas_class(doc: RecordsPrint, styles: dict[str, ParagraphStyle]) -> type[Canvas]:
    half = CONTENT_WIDTH / 2
    printed = f"Printed {short_date(doc.printed_at)} by {doc.printed_by}"
    right = ParagraphStyle("right", parent=styles["small"], alignment=TA_RIGHT, textColor=INK)

    def draw(canvas: Canvas, number: int, total: int) -> None:
        left, edge = MARGIN_X, PAGE_WIDTH - MARGIN_X
        draw_marking(canvas, left, PAGE_HEIGHT - 9.5 * mm, CONTENT_WIDTH)
        head_y = PAGE_HEIGHT - 16 * mm
        draw_line(canvas, doc.organisation, styles["small"], left, head_y, half - 6)
        draw_line(canvas, single_line(doc.subject), right, left + half, head_y, half)
        draw_rule(canvas, left, edge, head_y - 5)
        foot_y = 11.3 * mm
        draw_rule(canvas, left, edge, foot_y + 11.7)
        draw_line(canvas, printed, styles["small"], left, foot_y, half)
        draw_line(canvas, page_of(number, total), right, left + half, foot_y, half)
        draw_marking(canvas, left, 5 * mm, CONTENT_WIDTH)

    return numbered_canvas(draw)


def _story(doc: RecordsPrint, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [
        paragraph(doc.title, styles["title"], CONTENT_WIDTH),
        Spacer(1, 2 * mm),
        paragraph(doc.subject, styles["subject"], CONTENT_WIDTH),
        Spacer(1, 2 * mm),
    ]
    for line in doc.intro:
        story += [paragraph(line, styles["body"], CONTENT_WIDTH), Spacer(1, 1.5 * mm)]
    for section in doc.sections:
        story += [
            CondPageBreak(30 * mm),
            paragraph(section.title, styles["section"], CONTENT_WIDTH),
        ]
        story.append(Spacer(1, 1.5 * mm))
        if not section.items:
            story.append(paragraph(section.empty, styles["small"], CONTENT_WIDTH))
        for item in section.items:
            head = paragraph(item.heading, styles["heading"], CONTENT_WIDTH)
            lines = [paragraph(line, styles["body"], CONTENT_WIDTH) for line in item.lines]
            # The heading stays with its first line; long text then flows over pages.
            story.append(KeepTogether([head, *lines[:1]]))
            story += lines[1:]
            story += [_picture(data) for data in item.pictures]
            story.append(Spacer(1, 3 * mm))
    return story


def _picture(data: bytes) -> Flowable:
    """A picture scaled to fit the text's width and most of a page's height."""
    width, height = ImageReader(BytesIO(data)).getSize()
    scale = min(CONTENT_WIDTH / max(width, 1), _PICTURE_HEIGHT / max(height, 1), 1.0)
    # A picture smaller than the page prints at 1 pixel a point (about 72 dpi) at most.
    picture = Image(BytesIO(data), width=width * scale, height=height * scale)
    picture.hAlign = "LEFT"
    return picture


def records_pdf_bytes(doc: RecordsPrint) -> bytes:
    """The document as PDF bytes, held in memory only."""
    styles = _styles()
    out = BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=24 * mm,
        bottomMargin=20 * mm,
        title=doc.title,
        author=APP_NAME,
        creator=APP_NAME,
        subject="",
        keywords="",
        initialFontName=REGULAR,
    )
    template.build(_story(doc, styles), canvasmaker=_canvas_class(doc, styles))
    return out.getvalue()
