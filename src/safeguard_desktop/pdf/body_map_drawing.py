"""The body map as printed: front and back outlines with the numbered marks on them.

The outlines are the same SVG files the recording form shows
(``resources/body_map/front.svg`` and ``back.svg``), read with **svglib** into
reportlab graphics. svglib was chosen over a reader of our own because it is
well kept, pure Python, and light for the frozen build: beyond lxml and
Pillow, which the app already ships, it brings only tinycss2, cssselect2 and
webencodings (a few hundred kB together). It is imported when the first outline is
read: most referrals have no body map, and svglib with lxml holds about 9 MB.

A mark's position is kept as 0..1 across and down the outline's drawing (see
``ui/recording/body_map.py``), so it lands on the same spot of the outline here.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from reportlab.graphics.shapes import Circle, Drawing, Group, String
from reportlab.lib.colors import Color, white

from ..domain.referral import BodyMarkRow
from ..resource_files import resource_path
from .fonts import BOLD, REGULAR, register_fonts
from .form_layout import MUTED
from .page_furniture import INK

VIEWS = (("front", "Front"), ("back", "Back"))

_OUTLINE_HEIGHT = 230.0
_LABEL_SPACE = 18.0
_MARK_FILL = Color(0.78, 0.10, 0.12)
_MARK_RADIUS = 6.4


@cache
def outline(view: str) -> Drawing:
    """The outline of one view as a reportlab drawing, in points.

    Read and parsed once per process: the files ship with the app and never change.
    Every body map shares the shapes (drawn, never changed) in a group of its own.
    """
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(str(resource_path("body_map", f"{view}.svg")))
    if drawing is None:  # svglib returns None for a file it cannot parse
        raise ValueError(f"the {view} body map outline could not be read")
    return drawing


def body_map_drawing(marks: Sequence[BodyMarkRow], width: float) -> Drawing:
    """Both outlines side by side, ``width`` wide, with every mark drawn on its view."""
    register_fonts()
    height = _OUTLINE_HEIGHT + _LABEL_SPACE
    canvas = Drawing(width, height)
    # Otherwise the renderer starts in Helvetica, which then sits unembedded in
    # the page's resources although no text uses it.
    canvas.initialFontName = REGULAR
    for index, (view, title) in enumerate(VIEWS):
        source = outline(view)
        scale = _OUTLINE_HEIGHT / source.height
        drawn_w = source.width * scale
        centre = width * (index * 2 + 1) / 4
        left = centre - drawn_w / 2
        group = Group(*source.contents)
        group.transform = (scale, 0, 0, scale, left, 0)
        canvas.add(group)
        canvas.add(
            String(
                centre,
                height - 11,
                title,
                fontName=BOLD,
                fontSize=9.5,
                fillColor=INK,
                textAnchor="middle",
            )
        )
        # Which side is the child's right: seen from the front it is on the viewer's left.
        near, far = ("Right", "Left") if view == "front" else ("Left", "Right")
        for x, word in ((left - 8, near), (left + drawn_w + 8, far)):
            anchor = "end" if x < centre else "start"
            canvas.add(
                String(
                    x,
                    _OUTLINE_HEIGHT * 0.62,
                    word,
                    fontName=REGULAR,
                    fontSize=7,
                    fillColor=MUTED,
                    textAnchor=anchor,
                )
            )
        for mark in marks:
            if mark.view != view:
                continue
            x = left + min(max(mark.x, 0.0), 1.0) * drawn_w
            y = (1.0 - min(max(mark.y, 0.0), 1.0)) * _OUTLINE_HEIGHT
            canvas.add(
                Circle(x, y, _MARK_RADIUS, fillColor=_MARK_FILL, strokeColor=white, strokeWidth=0.9)
            )
            label = str(mark.number)
            size = 7.5 if len(label) < 2 else 6.2
            canvas.add(
                String(
                    x,
                    y - size * 0.36,
                    label,
                    fontName=BOLD,
                    fontSize=size,
                    fillColor=white,
                    textAnchor="middle",
                )
            )
    return canvas


def view_label(view: str) -> str:
    """ "Front" / "Back" for a mark's view (anything else as given)."""
    return dict(VIEWS).get(view, view)
