"""The printed recovery sheet: the one copy of the recovery key on paper.

The key is the last way into the records, so the sheet is built in memory
and written straight to the file the user chose: through a temporary file
in the same folder (so a crash never leaves half a sheet), never anywhere
else on disk.
"""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .. import APP_NAME
from ..domain.date_words import long_date
from ..storage.atomic_file import write_atomically
from .fonts import MONO, register_fonts

_INK = Color(0.10, 0.16, 0.30)
_RULE = Color(0.55, 0.60, 0.70)
_GROUPS_PER_ROW = 4

_INSTRUCTIONS = (
    "Keep this sheet in a locked place, away from the computer.",
    "It opens your records if every password is forgotten or this computer is lost, "
    "stolen or broken.",
    "Anyone holding this sheet and a backup can read the records. Do not photograph, "
    "scan or email it.",
    f"{APP_NAME} never shows this key again.",
)


def key_groups(recovery_key: str) -> list[str]:
    """The key's groups, however it was punctuated (dashes or spaces)."""
    return [g for g in re.split(r"[\s\-]+", recovery_key.strip()) if g]


def recovery_sheet_bytes(org_name: str, recovery_key: str, created_at: datetime) -> bytes:
    """The one-page A4 recovery sheet as PDF bytes (held only in memory)."""
    regular, bold = register_fonts()
    groups = key_groups(recovery_key)
    if not groups:
        raise ValueError("empty recovery key")

    title = ParagraphStyle("title", fontName=bold, fontSize=26, leading=32, textColor=_INK)
    org = ParagraphStyle("org", fontName=bold, fontSize=15, leading=20, textColor=_INK)
    body = ParagraphStyle("body", fontName=regular, fontSize=11.5, leading=16)
    small = ParagraphStyle(
        "small", fontName=regular, fontSize=10, leading=14, textColor=Color(0.25, 0.27, 0.32)
    )
    key_style = ParagraphStyle(
        "key", fontName=MONO, fontSize=24, leading=30, alignment=1, textColor=_INK
    )

    rows = [
        [Paragraph(escape(g), key_style) for g in groups[i : i + _GROUPS_PER_ROW]]
        for i in range(0, len(groups), _GROUPS_PER_ROW)
    ]
    width = len(rows[0])
    for row in rows:
        row.extend([""] * (width - len(row)))
    key_table = Table(rows, colWidths=[(A4[0] - 5 * cm) / width] * width)
    key_table.setStyle(
        TableStyle(
            [
                # Tables default to Helvetica for plain cells; keep it out.
                ("FONTNAME", (0, 0), (-1, -1), MONO),
                ("BOX", (0, 0), (-1, -1), 1.5, _INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, _RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )

    instructions = ListFlowable(
        [ListItem(Paragraph(escape(text), body), leftIndent=14) for text in _INSTRUCTIONS],
        bulletType="bullet",
        bulletFontName=regular,
        start="•",
        leftIndent=14,
    )

    story = [
        Paragraph("Recovery key", title),
        Spacer(1, 0.3 * cm),
        Paragraph(escape(org_name), org),
        Paragraph(f"Made on {long_date(created_at)}", body),
        Spacer(1, 0.8 * cm),
        KeepTogether([key_table]),
        Spacer(1, 0.4 * cm),
        Paragraph(
            f"Type the {len(groups)} groups exactly as printed, in order. "
            "Each group ends in a check digit, so a typing mistake is caught at once.",
            small,
        ),
        Spacer(1, 0.8 * cm),
        instructions,
    ]
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title="Recovery key",
        initialFontName=regular,
        author=APP_NAME,
        creator=APP_NAME,
    )
    doc.build(story)
    return out.getvalue()


def write_recovery_sheet(
    path: Path, org_name: str, recovery_key: str, created_at: datetime
) -> None:
    """Write the recovery sheet to ``path`` atomically, readable by the owner only.

    The only temporary file is beside ``path`` and becomes it by rename
    (fsynced first); if anything fails it is removed and ``path`` is left
    as it was.
    """
    write_atomically(Path(path), recovery_sheet_bytes(org_name, recovery_key, created_at))
