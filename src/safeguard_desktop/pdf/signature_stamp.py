"""The visible signature box: who signed, for which organisation, and when.

pyHanko's own text stamps can only use a Latin-1 font unless fontTools and
HarfBuzz are installed, and a DSL called "Łucja Żak" must see her name
spelt right. So the box is drawn by reportlab with the bundled DejaVu font,
as a one-page PDF in memory, and pyHanko imports that page as the signature
widget's appearance. It is built while pyHanko signs, so the time printed in
the box is the very time written into the signature (pyHanko passes it in as
the ``ts`` text parameter).
"""

from __future__ import annotations

import binascii
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO

from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko.stamp.static import StaticContentStamp
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..domain.date_words import long_date
from .fonts import register_fonts

# Width and height of the box in points (1/72 inch); about 8.5 x 2.5 cm.
BOX_WIDTH = 240
BOX_HEIGHT = 72
# Distance from the right and bottom edges of the page.
BOX_MARGIN = 28
# Height in points, from the bottom edge, that a document to be signed must
# keep free of text at the bottom right of its last page (about 3.9 cm), e.g.
# with a bottom margin at least this deep on the last page.
SIGNATURE_SPACE = BOX_MARGIN + BOX_HEIGHT + 10

_INK = Color(0.10, 0.16, 0.30)
_TINT = Color(0.93, 0.95, 0.99)
_PADDING = 6


def box_on_page(page_width: float) -> tuple[int, int, int, int]:
    """Field rectangle (x1, y1, x2, y2) at the bottom right of a page."""
    x2 = int(page_width) - BOX_MARGIN
    return (x2 - BOX_WIDTH, BOX_MARGIN, x2, BOX_MARGIN + BOX_HEIGHT)


def _fit(text: str, font: str, size: float, width: float) -> tuple[str, float]:
    """Shrink the type (down to 6 pt), then shorten with an ellipsis, to fit width."""
    while size > 6 and stringWidth(text, font, size) > width:
        size -= 0.5
    if stringWidth(text, font, size) <= width:
        return text, size
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…", size


def stamp_page(
    width: float,
    height: float,
    *,
    signer: str,
    organisation: str,
    when: str,
    reason: str = "",
) -> bytes:
    """One page of exactly ``width`` x ``height`` points showing the signature."""
    regular, bold = register_fonts()
    out = BytesIO()
    canvas = Canvas(out, pagesize=(width, height), invariant=True, initialFontName=regular)
    canvas.setFillColor(_TINT)
    canvas.setStrokeColor(_INK)
    canvas.setLineWidth(1)
    canvas.rect(0.5, 0.5, width - 1, height - 1, stroke=1, fill=1)
    canvas.setFillColor(_INK)
    inner = width - 2 * _PADDING
    lines = [
        ("Digitally signed by", regular, 7.5),
        (signer, bold, 11),
        (organisation, regular, 8.5),
        (when, regular, 8.5),
        (reason, regular, 7.5),
    ]
    y = height - _PADDING
    for text, font, size in lines:
        if not text:
            continue
        text, size = _fit(text, font, size, inner)
        y -= size * 1.2
        canvas.setFont(font, size)
        canvas.drawString(_PADDING, y + size * 0.2, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


class _ImportedPdfBytes(content.PdfContent):
    """pyHanko's ``ImportedPdfPage``, reading from memory instead of a file.

    Nothing about a signature is ever written to a temporary file.
    """

    def __init__(self, pdf_bytes: bytes) -> None:
        super().__init__()
        self._pdf_bytes = pdf_bytes

    def render(self) -> bytes:
        writer: BasePdfFileWriter = self._ensure_writer
        reader = PdfFileReader(BytesIO(self._pdf_bytes))
        xobj = writer.import_page_as_xobject(reader, page_ix=0)
        resource_name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[resource_name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return resource_name + b" Do"


_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def _when_words(stamp: str) -> str:
    """pyHanko's signing time ("2026-12-02T07:30:00+0000") as "2 December 2026, 07:30 UTC"."""
    try:
        moment = datetime.strptime(stamp, _TIMESTAMP_FORMAT)
    except ValueError:
        return stamp
    zone = "UTC" if moment.utcoffset() == timedelta(0) else moment.strftime("%z")
    return f"{long_date(moment)} {zone}"


@dataclass(frozen=True)
class ReportlabStampStyle(TextStampStyle):
    """A stamp style that draws the box with reportlab at signing time.

    It subclasses ``TextStampStyle`` only so that pyHanko hands over the
    signing time, already formatted with :attr:`timestamp_format`.
    """

    organisation: str = ""
    # Numbers only, so the C library's locale cannot touch it; create_stamp prints the
    # time in words (pdf/date_words.py), in English on any computer.
    timestamp_format: str = _TIMESTAMP_FORMAT
    border_width: int = 0
    background_layout: layout.SimpleBoxLayoutRule = field(
        default_factory=lambda: layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins.uniform(0),
        )
    )

    def create_stamp(  # type: ignore[override]  # pyHanko only needs a BaseStamp
        self,
        writer: BasePdfFileWriter,
        box: layout.BoxConstraints,
        text_params: dict[str, str],
    ) -> StaticContentStamp:
        page = stamp_page(
            box.width,
            box.height,
            signer=text_params.get("signer", ""),
            organisation=self.organisation,
            when=_when_words(text_params.get("ts", "")),
            reason=text_params.get("reason", ""),
        )
        static = StaticStampStyle(
            background=_ImportedPdfBytes(page),
            background_opacity=1.0,
            background_layout=self.background_layout,
            border_width=0,
        )
        return StaticContentStamp(writer=writer, style=static, box=box)
