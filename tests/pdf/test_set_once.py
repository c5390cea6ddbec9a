"""fonts.SetOnce: a paragraph breaks its lines once per width, and the PDF is unchanged.

Documents are built twice with reportlab, once with SetOnce and once with reportlab's own
Paragraph, and compared byte for byte (less the creation dates and file identifier).
The pages are made to push paragraphs whole onto the next page, split them across pages
and carry them in table cells, the places where reportlab measures a paragraph again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO

import pytest
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from safeguard_desktop.pdf.fonts import REGULAR, SetOnce, markup, register_fonts

Make = Callable[[str, ParagraphStyle], Paragraph]


def _document(make: Make) -> bytes:
    register_fonts()
    style = ParagraphStyle("p", fontName=REGULAR, fontSize=9, leading=12, allowOrphans=0)
    text = markup("Jordan said he was hungry and had not eaten since yesterday. " * 12)
    story: list[object] = []
    for gap in (430, 418, 406, 380, 300, 200, 100, 40):
        # A spacer leaves a few lines at the foot of the page: the paragraph is split,
        # or (one line left, no orphans allowed) goes whole to the next page.
        story += [Spacer(1, gap), make(text, style), make("Short one.", style)]
    story.append(
        Table(
            [[make(text[: len(text) // 3], style), make("A cell", style)] for _ in range(9)],
            colWidths=[180, 90],
            repeatRows=1,
        )
    )
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A5, initialFontName=REGULAR, invariant=True).build(story)
    return re.sub(rb"/ID\s*\[[^\]]*\]", b"", re.sub(rb"D:\d{14}", b"", out.getvalue()))


@pytest.mark.parametrize("runs", [1, 2])
def test_a_document_is_the_same_with_set_once(runs: int) -> None:
    plain = _document(Paragraph)
    for _ in range(runs):
        assert _document(SetOnce) == plain
    assert plain.count(b"/Type /Page\n") > 5  # the splits and moves really happened


def test_lines_are_broken_once_per_width() -> None:
    register_fonts()
    style = ParagraphStyle("p", fontName=REGULAR, fontSize=9, leading=12)
    paragraph = SetOnce(markup("words " * 200), style)
    broken: list[object] = []
    real = paragraph.breakLines
    paragraph.breakLines = lambda widths: broken.append(widths) or real(widths)  # type: ignore[method-assign]
    first = paragraph.wrap(200, 1000)
    assert paragraph.wrap(200, 50) == first  # the height offered does not matter
    assert len(broken) == 1
    narrower = paragraph.wrap(100, 1000)
    assert narrower[1] > first[1] and len(broken) == 2
