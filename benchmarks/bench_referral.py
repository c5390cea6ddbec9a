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
from datetime import date, datetime, timedelta
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader
from signing_steps import time_signing

from safeguard_desktop.domain.referral import (
    BodyMarkRow,
    ChildRow,
    ChronologyRow,
    PersonRow,
    ReferralContent,
    ReferralDocument,
    ReferralKind,
)
from safeguard_desktop.pdf.referral_document import referral_pdf_bytes

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    # Finding the size also warms up: fonts (the CJK one too) and HarfBuzz are
    # loaded once per process, as in the app.
    doc = ten_page_document()
    time_signing(lambda: referral_pdf_bytes(doc), "Łucja Żak", args.runs)


if __name__ == "__main__":
    main()
