"""How long building and signing a 10-page referral PDF takes.

The real document (``referral_pdf_bytes``), not a stand-in: three children whose
names are in Polish, Arabic (shaped by HarfBuzz) and Chinese (the fallback font),
household, professionals, body map marks on both outlines, a 40-row chronology and
enough observed text to make exactly 10 pages. Issue 5's target: build + sign in at
most 1 s median.

Run with ``uv run python benchmarks/bench_referral.py [--runs N]``; prints median and
p95 (nearest rank) for each step, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader

from safeguard_desktop.domain.referral import (
    BodyMarkRow,
    ChildRow,
    ChronologyRow,
    PersonRow,
    ReferralContent,
    ReferralDocument,
    ReferralKind,
)
from safeguard_desktop.pdf.encryption import encrypt_pdf
from safeguard_desktop.pdf.referral_document import referral_pdf_bytes
from safeguard_desktop.pdf.signing import generate_signing_identity, sign_pdf, verify_pdf

PAGES = 10
MADE = datetime(2026, 11, 23, 14, 5)
SENTENCE = (
    "At 15:30 I saw a bruise about 3 cm across on Amelia's left forearm; she kept "
    "pulling her sleeve down and said it happened at home. "
)


def sample_document(sentences: int) -> ReferralDocument:
    """A full referral whose observed text is ``sentences`` sentences long."""
    return ReferralDocument(
        kind=ReferralKind.SOCIAL_CARE,
        reference="R-7K3M-Q9TX",
        concern_ref="C-4H2P-W8RZ",
        made_on=MADE,
        organisation="Riverside Juniors FC",
        organisation_type_label="Sports club",
        organisation_contact="Clubhouse, Riverside Ground; 01632 960555",
        referrer_name="Łucja Żak",
        referrer_role="Welfare Officer",
        referrer_contact="07700 900999",
        content=ReferralContent(
            summary="Amelia arrived with a bruise on her forearm.",
            child_words="My dad grabbed me when I dropped the plates.",
            risks="Physical harm at home.",
            needs="A safe adult to talk to.",
            strengths="Close to her grandmother.",
            asking_for="An assessment under section 47.",
            immediate_actions="Listened and told the welfare officer.",
        ),
        children=(
            ChildRow("Zażółć Kowalska", date(2015, 3, 2), 11, "Female", language="Polish"),
            ChildRow("محمد الأحمد", date(2017, 6, 14), 9, "Male", language="Arabic"),
            ChildRow("王小明", None, None, language="Mandarin"),
        ),
        household=(
            PersonRow("Tomasz Kowalski", "Father", date(1984, 1, 9), True),
            PersonRow("Anna Kowalska", "Mother", date(1986, 5, 30), True),
        ),
        professionals=(PersonRow("Dr Sarah Okafor", "GP", organisation="Riverside Surgery"),),
        occurred_at=datetime(2026, 11, 20, 15, 30),
        location="Changing rooms",
        observed=SENTENCE * sentences,
        categories=("Physical abuse",),
        recorded_by="Sam Lee",
        body_map=(
            BodyMarkRow(1, "front", 0.31, 0.42, "Bruise, 3 cm"),
            BodyMarkRow(2, "back", 0.5, 0.35, "Linear marks"),
        ),
        chronology=tuple(
            ChronologyRow(MADE - timedelta(days=7 * n), f"Event {n}: late pick-up")
            for n in range(40, 0, -1)
        ),
        consent_label="Consent not sought",
        lawful_basis="UK GDPR Article 6(1)(e)",
        parents_told=False,
        certificate_fingerprint=":".join(["AB"] * 32),
        audit_seq=1234,
        audit_head="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    )


def page_count(pdf: bytes) -> int:
    return int(PdfFileReader(BytesIO(pdf)).root["/Pages"]["/Count"])


def ten_page_document() -> ReferralDocument:
    """The sample with as much observed text as still fits on exactly ``PAGES`` pages."""
    low, high = 0, 400
    while low < high:  # the largest sentence count that gives at most PAGES pages
        middle = (low + high + 1) // 2
        if page_count(referral_pdf_bytes(sample_document(middle))) <= PAGES:
            low = middle
        else:
            high = middle - 1
    doc = sample_document(low)
    pages = page_count(referral_pdf_bytes(doc))
    if pages != PAGES:
        raise SystemExit(f"could not make a {PAGES}-page referral (got {pages} pages)")
    return doc


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
    # Finding the size also warms up: fonts (the CJK one too) and HarfBuzz are
    # loaded once per process, as in the app.
    doc = ten_page_document()
    results: dict[str, list[float]] = {
        "build 10 pages": [],
        "sign": [],
        "build + sign": [],
        "encrypt + sign": [],
        "verify": [],
    }
    pdf = b""
    for _ in range(args.runs):
        t_build, built = timed(lambda: referral_pdf_bytes(doc))
        assert isinstance(built, bytes)
        pdf = built
        t_sign, signed = timed(
            lambda pdf=pdf: sign_pdf(pdf, identity, signer_name="Łucja Żak", reason="Referral")
        )
        t_enc, _ = timed(
            lambda pdf=pdf: sign_pdf(
                encrypt_pdf(pdf, "a long pdf password"),
                identity,
                signer_name="Łucja Żak",
                reason="Referral",
                pdf_password="a long pdf password",
            )
        )
        assert isinstance(signed, bytes)
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
