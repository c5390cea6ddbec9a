"""How long building and signing a 10-page referral-like PDF takes.

Issue 5's target: build + sign 10 pages in under 1 s. Run with
``uv run python benchmarks/bench_pdf_sign.py [--runs N]``; prints median and
p95 (nearest rank) for each step, in milliseconds.
"""

from __future__ import annotations

import argparse
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table
from signing_steps import time_signing

from safeguard_desktop.pdf.fonts import register_fonts

PAGES = 10
TEXT = (
    "At 15:30 I saw a bruise about 3 cm across on Amelia's left forearm. "
    "She said: \u201cMy dad grabbed me when I dropped the plates.\u201d "
    "Zażółć gęślą jaźń. "
) * 4


def build_pdf(pages: int = PAGES) -> bytes:
    regular, bold = register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14)
    head = ParagraphStyle("head", fontName=bold, fontSize=14, leading=18)
    story: list[object] = []
    for page in range(1, pages + 1):
        story.append(Paragraph(f"Section {page}: chronology", head))
        story.append(Spacer(1, 0.3 * cm))
        for _ in range(3):
            story.append(Paragraph(TEXT, body))
            story.append(Spacer(1, 0.2 * cm))
        rows = [
            [Paragraph(f"2026-11-{day:02d}", body), Paragraph(TEXT[:120], body)]
            for day in range(1, 6)
        ]
        story.append(Table(rows, colWidths=[3 * cm, 13 * cm]))
        if page < pages:
            story.append(PageBreak())
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, initialFontName=regular).build(story)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    build_pdf(1)  # warm up: font registration and imports are paid once per process
    time_signing(build_pdf, "Dana Lead", args.runs)


if __name__ == "__main__":
    main()
