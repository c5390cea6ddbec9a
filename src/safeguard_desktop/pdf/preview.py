"""Pictures of a PDF's pages, for looking at a referral before it is saved.

PDFium (through pypdfium2, which ships wheels for every platform we build for) draws
each page into a pixel buffer in memory. The PDF is opened from the bytes it is held
in: it holds a child's record, so it is never written to a temporary file to be
drawn. No Qt here; the UI turns the buffers into images.

Each page is kept packed (zlib, fastest level) from the moment it is drawn: a page 1,100
pixels wide is 6.8 MB of pixels and about 180 KB packed, and a long referral has up to
sixty pages. Unpacking one takes about 6 ms, done for the pages in view only.

PDFium is not thread-safe, so every call here takes one lock; in the app they all run
on the one worker thread anyway. pypdfium2 is imported when a PDF is first opened, not
at the app's start.
"""

from __future__ import annotations

import io
import logging
import threading
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain.errors import BadInput, WrongCredentials

if TYPE_CHECKING:
    import pypdfium2 as pdfium

log = logging.getLogger(__name__)

# Narrower than this is unreadable; wider is more memory than any screen needs
# (an A4 page 3,000 pixels wide is 3,000 x 4,243 x 4 bytes: about 51 MB of pixels).
MIN_WIDTH = 100
MAX_WIDTH = 3_000
# A referral is a few pages; this guards against a runaway document.
MAX_PAGES = 60

_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class PagePixels:
    """One page drawn at a given width.

    :attr:`pixels` holds ``height`` rows of ``stride`` bytes, top row first; each pixel
    is four bytes in the order red, green, blue, then one unused byte (RGBX). They are
    kept packed (``packed``) and unpacked each time they are asked for.
    """

    width: int
    height: int
    stride: int
    packed: bytes = field(repr=False)
    number: int  # 1-based
    count: int  # pages in the document

    @property
    def pixels(self) -> bytes:
        return zlib.decompress(self.packed)


def render_pages(pdf: bytes, width: int, *, password: str | None = None) -> tuple[PagePixels, ...]:
    """Draw the first :data:`MAX_PAGES` pages of ``pdf``, each ``width`` pixels wide.

    Raises ``WrongCredentials`` when the PDF needs a password that was not given or
    is wrong, ``BadInput`` when it is not a PDF PDFium can read.
    """
    width = max(MIN_WIDTH, min(MAX_WIDTH, int(width)))
    with _PDFIUM:
        document = _open(pdf, password)
        try:
            # Forms drawn too: the visible signature box is a form field's appearance.
            document.init_forms()
            count = len(document)
            pages: list[PagePixels] = []
            for index in range(min(count, MAX_PAGES)):
                pages.append(_render(document, index, width, count))
            return tuple(pages)
        finally:
            document.close()


def pages_as_pictures(pdf: bytes, width: int = 1_240) -> tuple[bytes, ...]:
    """The first :data:`MAX_PAGES` pages of ``pdf`` as JPEG pictures ``width`` pixels wide
    (1,240 is an A4 page at 150 dpi), to print inside another document."""
    from PIL import Image

    pictures = []
    for page in render_pages(pdf, width):
        size = (page.width, page.height)
        drawn = Image.frombuffer("RGBX", size, page.pixels, "raw", "RGBX", page.stride, 1)
        out = io.BytesIO()
        drawn.convert("RGB").save(out, "JPEG", quality=80)
        pictures.append(out.getvalue())
    return tuple(pictures)


def page_count(pdf: bytes, *, password: str | None = None) -> int:
    """How many pages ``pdf`` has (same errors as :func:`render_pages`)."""
    with _PDFIUM:
        document = _open(pdf, password)
        try:
            return len(document)
        finally:
            document.close()


def _open(pdf: bytes, password: str | None) -> pdfium.PdfDocument:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if not pdf.startswith(b"%PDF-"):
        raise BadInput("This file is not a PDF.", "pdf")
    try:
        # bytes, not a path: PDFium reads the document from this memory.
        return pdfium.PdfDocument(pdf, password=password or None)
    except pdfium.PdfiumError as err:
        if getattr(err, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            if not password:
                raise WrongCredentials(
                    "This PDF is password protected; type its password to see it."
                ) from None
            raise WrongCredentials("The PDF password is wrong; type it again.") from None
        # The reason is PDFium's own words about the file, never its content.
        log.info("PDFium could not open a PDF: %s", err)
        raise BadInput("This PDF is damaged and cannot be shown.", "pdf") from None


def _render(document: pdfium.PdfDocument, index: int, width: int, count: int) -> PagePixels:
    page = document[index]
    try:
        scale = width / max(page.get_width(), 1.0)
        # RGBX: four bytes a pixel in a fixed byte order, whatever the CPU's endianness.
        bitmap = page.render(scale=scale, prefer_bgrx=True, rev_byteorder=True)
        try:
            return PagePixels(
                width=bitmap.width,
                height=bitmap.height,
                stride=bitmap.stride,
                packed=zlib.compress(bitmap.buffer, 1),
                number=index + 1,
                count=count,
            )
        finally:
            bitmap.close()
    finally:
        page.close()
