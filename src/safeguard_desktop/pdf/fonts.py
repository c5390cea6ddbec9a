"""The Unicode fonts embedded in every PDF we make, and how text in any script meets them.

reportlab's built-in fonts (Helvetica, Courier) only cover Latin-1, so a
child's or an organisation's name such as "Łódź" or "Żaneta" would print as
black boxes. We ship DejaVu Sans (Bitstream Vera licence, see
``resources/fonts/LICENSE-DejaVu.txt``) and embed a subset of it in each PDF.

DejaVu has Latin, Greek, Cyrillic, Arabic and Hebrew but no Chinese, Japanese
or Korean, and reportlab has no automatic font fallback. So text goes through
:func:`markup`, which wraps each run of characters the main font lacks in
``<font name=...>`` for Droid Sans Fallback (Apache 2.0, see
``resources/fonts/LICENSE-DroidSansFallback.txt``; TrueType outlines, which
reportlab can subset; loaded only when such a character first appears).

Right-to-left scripts (Arabic, Hebrew) need two things reportlab does not do
alone:

* **Shaping** (Arabic letters take joined forms): done by HarfBuzz through
  ``uharfbuzz`` when a paragraph style has ``shaping=1``. HarfBuzz shapes one
  word at a time and, for a right-to-left word, already returns its glyphs in
  visual order, so each Arabic word prints joined and reading right to left.
* **Bidirectional order**: reportlab does that only with the ``rlbidi`` package,
  which is not on PyPI. :func:`paragraph` therefore breaks lines itself (it knows
  the width), and python-bidi's implementation of the Unicode Bidirectional
  Algorithm (UAX #9, rules X1 to I2) gives each character of a line its embedding
  level; the line's words, each at the lowest level of its letters, are then put
  in visual order by rule L2. A right-to-left word keeps its letters in logical
  order, because HarfBuzz reverses them as it shapes (and so digits inside one
  word are not reordered); a bracket reordered without any right-to-left letter
  to shape with is mirrored here (rule L4). The base
  direction is that of the first strong letter (rule P2), and a right-to-left
  paragraph is right-aligned.

Shaped Arabic is drawn with the font's presentation-form glyphs, so text
extraction (``pdftotext``, copy and paste) gives Unicode Arabic Presentation
Forms (U+FB50-U+FEFF): the same letters under NFKC normalisation, which is how
search tools compare them.

Pass ``initialFontName=REGULAR`` to every ``SimpleDocTemplate``/``Canvas``:
otherwise reportlab starts each page in Helvetica, which then sits in the
page resources unembedded even when no text uses it.
"""

from __future__ import annotations

import copy
import unicodedata
import weakref
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import escape

# The Unicode Bidirectional Algorithm's resolution steps, from python-bidi's pure
# Python implementation: its Rust get_display() gives only the finished string, with
# right-to-left letters already reversed, which HarfBuzz would then reverse again.
from bidi.algorithm import (
    PARAGRAPH_LEVELS,
    X9_REMOVED,
    explicit_embed_and_overrides,
    get_embedding_levels,
    get_empty_storage,
    resolve_implicit_levels,
    resolve_neutral_types,
    resolve_weak_types,
)
from bidi.mirror import MIRRORED
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from ..domain.text import display_safe
from ..resource_files import resources_root
from .font_subsets import KeptSubsetsFont

T = TypeVar("T")

REGULAR = "SafeguardSans"
BOLD = "SafeguardSans-Bold"
MONO = "SafeguardMono"
# Chinese, Japanese and Korean; never a paragraph's own font, only for runs.
FALLBACK = "SafeguardCJK"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
}
_FALLBACK_FILE = "DroidSansFallback.ttf"

# No-break space: joins the words of a right-to-left run when the width is not
# known, so HarfBuzz shapes the run as one piece and returns it in visual order.
_NBSP = "\u00a0"


def resource_dir() -> Path:
    """The folder holding the bundled font files (frozen or not)."""
    return resources_root() / "fonts"


def register_fonts() -> tuple[str, str]:
    """Register the bundled fonts with reportlab; return (regular, bold) names.

    Safe to call many times: registration happens once per process. The
    monospaced face is registered too, under :data:`MONO`. The CJK fallback is
    registered on first use by :func:`markup` (it is a 3.4 MB file).
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    if not all(name in registered for name in _FILES):
        folder = resource_dir()
        for name, file_name in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(KeptSubsetsFont(name, str(folder / file_name)))
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
    return REGULAR, BOLD


def register_fallback() -> str:
    """Register the CJK fallback font (once per process); return its name."""
    if FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(KeptSubsetsFont(FALLBACK, str(resource_dir() / _FALLBACK_FILE)))
    return FALLBACK


@cache
def _coverage(font_name: str) -> frozenset[int]:
    """Code points ``font_name`` has a glyph for (the fallback must be registered)."""
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def font_runs(text: str, font_name: str = REGULAR) -> Iterator[tuple[str, str]]:
    """Split ``text`` into (font name, characters) runs the fonts can draw.

    Characters ``font_name`` lacks go to the CJK fallback when it has them;
    characters neither has stay with ``font_name`` (and print as its
    missing-glyph box, which is at least visible).
    """
    register_fonts()
    main = _coverage(font_name)
    if main.issuperset(map(ord, text)):  # nearly always: one run, found at C speed
        if text:
            yield font_name, text
        return
    fallback: frozenset[int] | None = None
    current, start = font_name, 0
    for index, char in enumerate(text):
        code = ord(char)
        wanted = font_name
        if code not in main and not char.isspace():
            if fallback is None:
                fallback = _coverage(register_fallback())
            if code in fallback:
                wanted = FALLBACK
        if wanted != current:
            if index > start:
                yield current, text[start:index]
            current, start = wanted, index
    if len(text) > start:
        yield current, text[start:]


def markup(text: str, font_name: str = REGULAR) -> str:
    """``text`` as Paragraph markup: display-safe, escaped, with fallback font runs.

    Line breaks become ``<br/>``. For right-to-left text prefer :func:`paragraph`,
    which also orders the words.
    """
    return "<br/>".join(_line_markup(line, font_name) for line in display_safe(text).split("\n"))


def _line_markup(line: str, font_name: str) -> str:
    parts = []
    for run_font, chars in font_runs(line, font_name):
        escaped = escape(chars)
        parts.append(
            escaped if run_font == font_name else f'<font name="{run_font}">{escaped}</font>'
        )
    return "".join(parts)


def text_width(text: str, font_name: str, size: float) -> float:
    """Width in points of ``text`` as :func:`markup` would set it (unshaped)."""
    return sum(
        float(pdfmetrics.stringWidth(chars, run_font, size))
        for run_font, chars in font_runs(text, font_name)
    )


# --- right-to-left text ------------------------------------------------------


def _strong(char: str) -> str | None:
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    return None


def has_rtl(text: str) -> bool:
    """True when ``text`` holds right-to-left letters (Arabic, Hebrew ...)."""
    if text.isascii():  # most record text: no letter to look up
        return False
    return any(_strong(char) == "R" for char in set(text))


def _direction(word: str) -> str | None:
    """A word's direction: that of its first strong letter, None for digits/punctuation."""
    for char in word:
        found = _strong(char)
        if found is not None:
            return found
    return None


def bidi_levels(line: str, base: str) -> list[int]:
    """Each character's embedding level in ``line`` (UAX #9 rules X1 to I2), with the
    paragraph's direction ``base`` ("L" or "R"): even is left to right, odd right to left.

    Characters rule X9 leaves out of the resolution (a zero-width joiner, which
    Persian spelling needs) are kept, at the level of the character before them.
    """
    kept = [i for i, char in enumerate(line) if unicodedata.bidirectional(char) not in X9_REMOVED]
    storage = get_empty_storage()
    storage["base_level"] = PARAGRAPH_LEVELS[base]
    storage["base_dir"] = base
    get_embedding_levels("".join(line[i] for i in kept), storage)
    explicit_embed_and_overrides(storage, False)
    resolve_weak_types(storage, False)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    levels: list[int | None] = [None] * len(line)
    for index, char in zip(kept, storage["chars"], strict=True):
        levels[index] = int(char["level"])
    resolved: list[int] = []
    for level in levels:
        resolved.append(level if level is not None else (resolved[-1] if resolved else 0))
    return resolved


def _l2(items: list[T], levels: list[int]) -> list[T]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every
    sequence of items at that level or higher. ``items`` and ``levels`` pair up."""
    odd = [level for level in levels if level % 2]
    if not odd:
        return list(items)
    pairs = list(zip(levels, items, strict=True))
    for level in range(max(levels), min(odd) - 1, -1):
        index = 0
        while index < len(pairs):
            if pairs[index][0] < level:
                index += 1
                continue
            end = index
            while end < len(pairs) and pairs[end][0] >= level:
                end += 1
            pairs[index:end] = pairs[index:end][::-1]
            index = end
    return [item for _, item in pairs]


def _visual_line(words: list[str], base: str) -> str:
    """One line's words as they are to be drawn, left to right.

    reportlab shapes word by word, so a word holding right-to-left letters is one
    piece at the lowest level of its letters, its letters left in logical order:
    HarfBuzz reverses the word as a whole (the digits after Arabic letters in one
    word stay with them). A word with none is put in visual order here, letter by
    letter, its brackets mirrored where they are right to left (rule L4).
    """
    line = " ".join(words)
    levels = bidi_levels(line, base)
    if not any(level % 2 for level in levels):
        return line
    pieces: list[str] = []
    piece_levels: list[int] = []
    start = 0
    for end in range(1, len(line) + 1):
        if end == len(line) or line[end] == " " or line[end - 1] == " ":
            piece, own = line[start:end], levels[start:end]
            if not has_rtl(piece):
                piece = "".join(
                    MIRRORED.get(char, char) if level % 2 else char
                    for char, level in _l2(list(zip(piece, own, strict=True)), own)
                )
            pieces.append(piece)
            piece_levels.append(min(own))
            start = end
    return "".join(_l2(pieces, piece_levels))


def _word_width(word: str, font_name: str, size: float) -> float:
    """A word's width as it will be drawn: shaped when it holds right-to-left letters.

    Joined Arabic letters are much narrower than the isolated ones unshaped
    measurement would add up, so lines measured unshaped would come out short.
    """
    if has_rtl(word) and all(run_font == font_name for run_font, _ in font_runs(word, font_name)):
        shaped = shapeStr(word, font_name, size, force=True)
        data = getattr(shaped, "__shapeData__", None)
        if data:
            return float(sum(glyph.x_advance for glyph in data)) * size / 1000
    return text_width(word, font_name, size)


def _break_lines(words: list[str], font_name: str, size: float, width: float) -> list[list[str]]:
    """Greedy line breaking by measured width; an over-long word gets a line of its own."""
    space = pdfmetrics.stringWidth(" ", font_name, size)
    # Shaping is the slow part, and words repeat: each one is measured once per call.
    widths: dict[str, float] = {}
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    for word in words:
        needed = widths.get(word)
        if needed is None:
            needed = widths[word] = _word_width(word, font_name, size)
        if current and used + space + needed > width:
            lines.append(current)
            current, used = [], 0.0
        used += needed + (space if current else 0.0)
        current.append(word)
    if current:
        lines.append(current)
    return lines


def _join_rtl_runs(line: str) -> str:
    """Join each run of right-to-left words with no-break spaces (width unknown)."""
    words = line.split(" ")
    kinds = [_direction(word) for word in words]
    out = words[0] if words else ""
    for index in range(1, len(words)):
        joined = kinds[index] == "R" and kinds[index - 1] == "R"
        out += (_NBSP if joined else " ") + words[index]
    return out


def _shaped(style: ParagraphStyle, right: bool) -> ParagraphStyle:
    # Made afresh each time (cheap): caching on the style would keep every
    # document's styles alive for the life of the process.
    return ParagraphStyle(
        f"{style.name}-shaped{'-right' if right else ''}",
        parent=style,
        shaping=1,
        alignment=TA_RIGHT if right else style.alignment,
    )


class SetOnce(Paragraph):  # type: ignore[misc]  # reportlab has no type hints
    """A Paragraph that breaks its lines once per width.

    A table measures each cell's paragraph when it sizes its rows, again when it splits
    across a page and again when it draws, each time at the same width, and breaking
    lines is most of the time a chronology or a referral takes to make. A paragraph's
    lines and height depend only on the width (reportlab's ``wrap`` ignores the height
    it is offered), so the first answer stands while its lines are kept (``split``
    drops them when it sends the paragraph whole to the next page); the PDF is byte for
    byte the same.
    """

    _set_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # (Dot leaders are measured against the height too: never kept. No style of
        # ours has them.)
        if self._set_at == availWidth and "blPara" in self.__dict__ and not self.style.endDots:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._set_at = availWidth
        return size


# Each style's one fragment, as reportlab's markup parser makes it for plain text, with
# the style's attributes when it was made: a style changed since is parsed for again.
_PLAIN_FRAGMENTS: weakref.WeakKeyDictionary[ParagraphStyle, tuple[dict[str, object], ParaFrag]] = (
    weakref.WeakKeyDictionary()
)


def _plain_paragraph(safe: str, style: ParagraphStyle) -> Paragraph | None:
    """``safe`` as a Paragraph without parsing markup, or None when it needs the parser.

    Most text a PDF holds is one line the main font draws whole, with no character
    that markup escapes: one fragment in the style's font. reportlab would parse it
    with Python's HTML parser (about a sixth of a chronology's time) only to end with
    that fragment, so it is made here: a copy of the one the parser gave for the same
    style, holding the text as reportlab's own cleaner leaves it. The PDF is byte for
    byte the same (tests/pdf/test_plain_paragraph.py compares them).
    """
    if any(char in safe for char in "\n&<>") or getattr(style, "textTransform", None):
        return None  # several fragments (each entity is one), or text the parser changes
    text = cleanBlockQuotedText(safe)  # whitespace runs made one space, as reportlab does
    if not text or not _coverage(style.fontName).issuperset(map(ord, text)):
        return None
    kept = _PLAIN_FRAGMENTS.get(style)
    if kept is not None and kept[0] == vars(style):
        template = kept[1]
    else:
        _, parsed, _ = ParaParser().parse("x", style)
        if len(parsed) != 1 or parsed[0].text != "x":  # not one plain fragment: parse
            return None
        template = parsed[0]
        _PLAIN_FRAGMENTS[style] = (dict(vars(style)), template)
    fragment = copy.copy(template)
    for name, value in vars(template).items():  # link and underline lists: each its own
        if isinstance(value, list):
            setattr(fragment, name, list(value))
    fragment.text = text
    return SetOnce(text, style, frags=[fragment])  # (no character to escape)


def paragraph(
    text: str, style: ParagraphStyle, width: float | None = None, *, rtl_right: bool = True
) -> Paragraph:
    """A Paragraph showing ``text`` exactly as typed, in any script.

    ``width`` is the width the paragraph will be set in; with it, right-to-left
    text is broken into lines here and its words put in visual order (see the
    module docstring). Without it, each run of right-to-left words is kept on
    one line. A right-to-left paragraph is right-aligned unless ``rtl_right`` is
    False (form cells, where every value starts at the left edge). Text with no
    right-to-left letters takes the plain path, with no shaping cost.
    """
    safe = display_safe(text)
    if not has_rtl(safe):
        plain = _plain_paragraph(safe, style)
        return plain if plain is not None else SetOnce(markup(safe, style.fontName), style)
    base = _direction(safe) or "L"
    lines: list[str] = []
    for source_line in safe.split("\n"):
        if width is None:
            lines.append(_line_markup(_join_rtl_runs(source_line), style.fontName))
            continue
        # A little slack: a line reportlab finds a hair too long would be broken
        # again, and its last word would land on the wrong side of the next line.
        usable = (width - style.leftIndent - style.rightIndent) * 0.98
        words = [word for word in source_line.split(" ") if word]
        for words_on_line in _break_lines(words, style.fontName, style.fontSize, usable) or [[]]:
            visual = _visual_line(words_on_line, base)
            lines.append(_line_markup(visual, style.fontName))
    right = rtl_right and base == "R" and style.alignment == TA_LEFT
    return SetOnce("<br/>".join(lines), _shaped(style, right))
