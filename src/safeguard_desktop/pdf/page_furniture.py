"""Page furniture shared by every document we print: "Page N of M", the protective
marking, and single lines of header and footer text.

The referral and LADO forms (:mod:`.form_layout`), the chronology
(:mod:`.chronology_document`) and the governors' report (:mod:`.report_document`)
each decide *what* their header and footer say and where; this module is *how*:

* :func:`numbered_canvas` holds every page back until the document is complete,
  so each page's furniture can say how many pages there are.
* :func:`draw_line` sets one line of furniture text the way record text is set
  everywhere else (:func:`.fonts.paragraph`: any script, display-safe), shortened
  with an ellipsis so that it never wraps across a rule or into the body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from ..domain.text import display_safe, single_line
from .fonts import BOLD, paragraph, text_width

MARKING = "OFFICIAL-SENSITIVE"

INK = Color(0.10, 0.16, 0.30)
RULE = Color(0.62, 0.66, 0.74)

# Centred in the width it is given, in the ink of the headings.
MARKING_STYLE = ParagraphStyle(
    "marking", fontName=BOLD, fontSize=9.5, leading=11, alignment=TA_CENTER, textColor=INK
)

# Draws one page's furniture: (canvas, page number from 1, number of pages).
DrawFurniture = Callable[[Canvas, int, int], None]


def page_of(number: int, total: int) -> str:
    return f"Page {number} of {total}"


def numbered_canvas(draw: DrawFurniture) -> type[Canvas]:
    """A canvas class for ``build(canvasmaker=...)`` that calls ``draw`` on every page
    once the page count is known; ``draw`` may change the graphics state freely."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            # Keep the finished page's content; it is drawn out in save().
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.saveState()
                draw(self, number, total)
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def draw_line(
    canvas: Canvas, text: str, style: ParagraphStyle, x: float, baseline: float, width: float
) -> None:
    """One line of text with its baseline at ``baseline``, shortened to fit ``width``.

    Aligned within ``width`` as ``style`` says; right-to-left text keeps that
    alignment too, so a header's left and right items stay where they belong.
    """
    line = fit_line(single_line(display_safe(text)), style.fontName, style.fontSize, width)
    para = paragraph(line, style, width, rtl_right=False)
    _, height = para.wrapOn(canvas, width, 100)
    # reportlab puts a paragraph's first baseline one font size below its top.
    para.drawOn(canvas, x, baseline - height + style.fontSize)


def draw_marking(canvas: Canvas, x: float, baseline: float, width: float) -> None:
    """The protective marking, centred in ``width``."""
    draw_line(canvas, MARKING, MARKING_STYLE, x, baseline, width)


def draw_rule(canvas: Canvas, left: float, right: float, y: float) -> None:
    """The thin rule that closes off a running header or opens a footer."""
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(left, y, right, y)


def fit_line(text: str, font_name: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis so that it fits ``width`` on one line."""
    if text_width(text, font_name, size) <= width:
        return text
    # Binary search on the length: a few measurements even for a long name.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle] + "…", font_name, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"
