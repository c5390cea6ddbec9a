"""fonts.paragraph makes plain text's one fragment without reportlab's markup parser.

Every text here is set both ways: through ``fonts.paragraph`` (which skips the parser
for one line the main font draws whole) and through reportlab's own path, the escaped
markup parsed by ``Paragraph``. The fragments must be equal, attribute by attribute, and
documents built from them byte for byte the same (less the creation dates and file
identifier), in every style the chronology uses.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from io import BytesIO

import pytest
from reportlab.lib.colors import red
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.pdf import chronology_document
from safeguard_desktop.pdf.fonts import (
    BOLD,
    REGULAR,
    SetOnce,
    _plain_paragraph,
    markup,
    paragraph,
    register_fonts,
)

PLAIN = [
    "Jordan said he was hungry and had not eaten since yesterday.",
    "  spaces before, after and   between  ",
    "a tab\there and\t\ttwo there",
    "no-break\xa0spaces\xa0 kept as reportlab keeps them",
    "Łucja Żak, 3 o’clock: “I don’t want to go home” — she said",
    "Ελληνικά, Кириллица, Türkçe, Tiếng Việt",
    "a soft\xadhyphen and a zero\u200bwidth space",
    "x",
    "word " * 400,
]
# Each of these needs the parser: fallback-font runs, line breaks, escaped characters
# (the parser makes a fragment of each), nothing to print.
PARSED = [
    "王小明 said hello",
    "first line\nsecond line",
    "a carriage return\rthere",  # a line break, as display_safe reads it
    "R&D",
    "5 < 6",
    "6 > 5",
    "<b>not bold</b> &amp; &copy &lt;script&gt; 5 < 6 > 4",
    "",
    "   ",
    "\t\r",
]


def _styles() -> list[ParagraphStyle]:
    styles = list(vars(chronology_document._styles()).values())
    return [*styles, ParagraphStyle("upper", parent=styles[0], textTransform="uppercase")]


def _parsed(text: str, style: ParagraphStyle) -> Paragraph:
    """reportlab's own way: the escaped markup, parsed."""
    return SetOnce(markup(display_safe(text), style.fontName), style)


def _fragments(made: Paragraph) -> list[dict[str, object]]:
    return [dict(vars(fragment)) for fragment in made.frags]


@pytest.mark.parametrize("style", _styles(), ids=lambda style: style.name)
def test_fragments_are_the_parsers(style: ParagraphStyle) -> None:
    register_fonts()
    for text in PLAIN + PARSED:
        made, parsed = paragraph(text, style), _parsed(text, style)
        assert _fragments(made) == _fragments(parsed), text
        assert made.text == parsed.text, text


def test_plain_text_skips_the_parser_and_the_rest_does_not() -> None:
    register_fonts()
    style = chronology_document._styles().cell
    assert all(_plain_paragraph(display_safe(text), style) is not None for text in PLAIN)
    assert all(_plain_paragraph(display_safe(text), style) is None for text in PARSED)
    upper = _styles()[-1]
    assert _plain_paragraph(PLAIN[0], upper) is None  # reportlab transforms the text itself


def test_paragraphs_share_no_list() -> None:
    register_fonts()
    style = chronology_document._styles().cell
    first, second = paragraph("one", style), paragraph("two", style)
    shared = [
        name
        for name, value in vars(first.frags[0]).items()
        if isinstance(value, list) and value is getattr(second.frags[0], name)
    ]
    assert shared == []


def test_a_style_changed_after_use_is_followed() -> None:
    register_fonts()
    style = ParagraphStyle("changing", fontName=REGULAR, fontSize=9, leading=11)
    paragraph("first use", style)
    style.fontSize, style.textColor, style.fontName = 20, red, BOLD
    made = paragraph("after the change", style)
    assert _fragments(made) == _fragments(_parsed("after the change", style))
    assert made.frags[0].fontSize == 20


def test_fonts_need_not_be_registered_first() -> None:
    # A fresh process: the style names the bundled font before anything registered it.
    code = (
        "from reportlab.lib.styles import ParagraphStyle\n"
        "from safeguard_desktop.pdf.fonts import REGULAR, paragraph\n"
        "made = paragraph('plain words', ParagraphStyle('p', fontName=REGULAR))\n"
        "print(made.frags[0].text)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.returncode, done.stdout) == (0, "plain words\n"), done.stderr


def _document(make: Callable[[str, ParagraphStyle], Paragraph]) -> bytes:
    register_fonts()
    story: list[object] = []
    styles = _styles()
    for style in styles:
        story += [make(text, style) for text in PLAIN + PARSED]
    cell = styles[2]
    story.append(
        Table(
            [[make(text[:300], cell), make(text[::-1][:200], cell)] for text in PLAIN + PARSED],
            colWidths=[180, 90],
            repeatRows=1,
        )
    )
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A5, initialFontName=REGULAR, invariant=True).build(story)
    return re.sub(rb"/ID\s*\[[^\]]*\]", b"", re.sub(rb"D:\d{14}", b"", out.getvalue()))


def test_a_document_is_byte_for_byte_reportlabs() -> None:
    made = _document(paragraph)
    assert made == _document(_parsed)
    assert made.count(b"/Type /Page\n") > 5  # many pages, tables split across them
