"""The Unicode fonts embedded in every PDF we make, and where they are found.

reportlab's built-in fonts (Helvetica, Courier) only cover Latin-1, so a
child's or an organisation's name such as "Łódź" or "Żaneta" would print as
black boxes. We ship DejaVu Sans (Bitstream Vera licence, see
``resources/fonts/LICENSE-DejaVu.txt``) and embed a subset of it in each PDF.

Pass ``initialFontName=REGULAR`` to every ``SimpleDocTemplate``/``Canvas``:
otherwise reportlab starts each page in Helvetica, which then sits in the
page resources unembedded even when no text uses it.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..resource_files import resources_root

REGULAR = "SafeguardSans"
BOLD = "SafeguardSans-Bold"
MONO = "SafeguardMono"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
}


def resource_dir() -> Path:
    """The folder holding the bundled font files (frozen or not)."""
    return resources_root() / "fonts"


def register_fonts() -> tuple[str, str]:
    """Register the bundled fonts with reportlab; return (regular, bold) names.

    Safe to call many times: registration happens once per process. The
    monospaced face is registered too, under :data:`MONO`.
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    if not all(name in registered for name in _FILES):
        folder = resource_dir()
        for name, file_name in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(folder / file_name)))
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
    return REGULAR, BOLD
