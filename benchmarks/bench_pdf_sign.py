"""How long building and signing a 10-page referral-like PDF takes.

Issue 5's target: build + sign 10 pages in under 1 s. Run with
``uv run python benchmarks/bench_pdf_sign.py [--runs N]``; prints median and
p95 (nearest rank) for each step, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from safeguard_desktop.pdf.encryption import encrypt_pdf
from safeguard_desktop.pdf.fonts import register_fonts
from safeguard_desktop.pdf.signing import generate_signing_identity, sign_pdf, verify_pdf

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


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return (time.perf_counter() - start) * 1000, value


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered) + 0.5) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    identity = generate_signing_identity("Riverside Juniors FC")
    build_pdf(1)  # warm up: font registration and imports are paid once per process
    results: dict[str, list[float]] = {
        "build 10 pages": [],
        "sign": [],
        "build + sign": [],
        "encrypt + sign": [],
        "verify": [],
    }
    for _ in range(args.runs):
        t_build, pdf = timed(build_pdf)
        t_sign, signed = timed(
            lambda pdf=pdf: sign_pdf(pdf, identity, signer_name="Dana Lead", reason="Referral")
        )
        t_enc, _ = timed(
            lambda pdf=pdf: sign_pdf(
                encrypt_pdf(pdf, "a long pdf password"),
                identity,
                signer_name="Dana Lead",
                reason="Referral",
                pdf_password="a long pdf password",
            )
        )
        t_verify, result = timed(
            lambda signed=signed: verify_pdf(signed, trusted_cert_pem=identity.cert_pem)
        )
        assert result.ok and result.trusted  # type: ignore[attr-defined]
        results["build 10 pages"].append(t_build)
        results["sign"].append(t_sign)
        results["build + sign"].append(t_build + t_sign)
        results["encrypt + sign"].append(t_enc)
        results["verify"].append(t_verify)

    print(f"{'step':<16} {'median ms':>10} {'p95 ms':>10}   ({args.runs} runs, {len(pdf)} bytes)")
    for name, values in results.items():
        print(f"{name:<16} {statistics.median(values):>10.1f} {p95(values):>10.1f}")


if __name__ == "__main__":
    main()
