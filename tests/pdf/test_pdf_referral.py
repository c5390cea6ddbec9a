"""Referral and LADO PDFs, checked with independent tools on real output.

Text is read back with poppler's ``pdftotext``, signatures with ``pdfsig`` (NSS) as
well as pyHanko, pages are rendered with ``pdftoppm`` to check that the signature
corner of the last page is blank before signing. Shaped Arabic comes back from any
extractor as Arabic Presentation Forms (the glyphs drawn), so Arabic is compared
after NFKC normalisation, the way search tools compare it.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from foreign_locale import polish_time_locale
from safeguard_desktop.domain.referral import (
    AdultDetails,
    BodyMarkRow,
    ChildRow,
    ChronologyRow,
    PersonRow,
    ReferralContent,
    ReferralDocument,
    ReferralKind,
)
from safeguard_desktop.pdf import body_map_drawing as bm
from safeguard_desktop.pdf.encryption import encrypt_pdf
from safeguard_desktop.pdf.fonts import (
    FALLBACK,
    REGULAR,
    bidi_levels,
    font_runs,
    markup,
    paragraph,
    register_fonts,
)
from safeguard_desktop.pdf.form_layout import CONTENT_WIDTH, MARGIN_X, chunks
from safeguard_desktop.pdf.referral_document import referral_pdf_bytes
from safeguard_desktop.pdf.signature_stamp import BOX_MARGIN, BOX_WIDTH, SIGNATURE_SPACE
from safeguard_desktop.pdf.signing import (
    SigningIdentity,
    generate_signing_identity,
    sign_pdf,
    verify_pdf,
)

POLISH = "Zażółć Kowalska"
ARABIC = "محمد الأحمد"
CHINESE = "王小明"
CHILD_WORDS = "My dad grabbed me when I dropped the plates."
ORG = "Riverside Juniors FC"
SIGNER = "Łucja Żak"
PASSWORD = "zielona-żaba-42"
VALID_LINE = "Signature Validation: Signature is Valid."
MADE = datetime(2026, 11, 23, 14, 5)


def rich_document(
    kind: ReferralKind = ReferralKind.SOCIAL_CARE, **changes: object
) -> ReferralDocument:
    """A referral with everything filled in: three children, people, marks, 40 events."""
    children = (
        ChildRow(
            name=POLISH,
            date_of_birth=date(2015, 3, 2),
            age=11,
            gender="Female",
            ethnicity="White: other (Polish)",
            language="Polish",
            address="14 Mill Lane, Riverside, RV1 2AB",
            group="Under 11s",
            additional_needs="None known",
            other_names="Zosia",
        ),
        ChildRow(
            name=ARABIC,
            date_of_birth=date(2017, 6, 14),
            age=9,
            gender="Male",
            ethnicity="Arab",
            language="Arabic",
            address="14 Mill Lane, Riverside, RV1 2AB",
            group="Under 10s",
        ),
        ChildRow(name=CHINESE, date_of_birth=None, age=None, group="Under 9s", language="Mandarin"),
    )
    household = (
        PersonRow("Tomasz Kowalski", "Father", date(1984, 1, 9), True, contact="07700 900123"),
        PersonRow("Anna Kowalska", "Mother", date(1986, 5, 30), True, contact="07700 900456"),
        PersonRow("Piotr Nowak", "Mother's partner", None, False),
    )
    professionals = (
        PersonRow(
            "Dr Sarah Okafor", "GP", organisation="Riverside Surgery", contact="01632 960001"
        ),
        PersonRow("Jo Patel", "Class teacher", organisation="Riverside Primary"),
    )
    marks = (
        BodyMarkRow(1, "front", 0.31, 0.42, "Bruise, 3 cm across, purple, left forearm"),
        BodyMarkRow(2, "front", 0.55, 0.15, "Red mark on the cheek"),
        BodyMarkRow(3, "back", 0.5, 0.35, "Linear marks across the upper back"),
    )
    chronology = tuple(
        ChronologyRow(
            MADE - timedelta(days=7 * (40 - i)),
            f"Event {i + 1}: attended training; noted late pick-up",
        )
        for i in range(40)
    )
    values: dict[str, object] = dict(
        kind=kind,
        reference="R-7K3M-Q9TX",
        concern_ref="C-4H2P-W8RZ",
        made_on=MADE,
        organisation=ORG,
        organisation_type_label="Sports club",
        organisation_contact="Clubhouse, Riverside Ground; 01632 960555",
        referrer_name=SIGNER,
        referrer_role="Welfare Officer",
        referrer_contact="welfare@riverside.example; 07700 900999",
        content=ReferralContent(
            summary="Amelia arrived with a bruise on her forearm and said her father grabbed her.",
            child_words=CHILD_WORDS,
            risks="Physical harm at home; younger siblings in the same household.",
            needs="A safe adult to talk to; a medical check of the bruise.",
            strengths="Attends every session; close to her grandmother.",
            asking_for="An assessment under section 47 and advice on speaking to the parents.",
            immediate_actions="Listened, did not ask leading questions, told the welfare officer.",
        ),
        children=children,
        household=household,
        professionals=professionals,
        occurred_at=datetime(2026, 11, 20, 15, 30),
        location="Changing rooms, Riverside ground",
        observed="At 15:30 I saw a bruise about 3 cm across on Amelia's left forearm.\n"
        + "She kept pulling her sleeve down. " * 60,
        categories=("Physical abuse", "Neglect"),
        recorded_by="Sam Lee (assistant coach)",
        body_map=marks,
        chronology=chronology,
        consent_label="Consent not sought",
        consent_reason="Asking the parents could place the child at greater risk.",
        lawful_basis="UK GDPR Article 6(1)(e) and Article 9(2)(g); Children Act 1989 s.47",
        parents_told=False,
        parents_not_told_reason="Telling them could place the child at greater risk.",
        certificate_fingerprint=":".join(["AB", "CD", "EF", "01"] * 8),
        audit_seq=1234,
        audit_head="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        presentation="Quiet, kept pulling her sleeve down.",
        others_present="Jo Bloggs",
    )
    if kind is ReferralKind.LADO:
        values["adult"] = AdultDetails(
            name="Gareth Whitfield",
            role="Head coach, Under 11s",
            employment_basis="volunteer",
            started_on=date(2021, 9, 1),
            workplace="Riverside ground, Saturday mornings",
            contact="07700 900777",
        )
        values["allegation"] = "A child said the coach hit her on the back with a training pole."
    values.update(changes)
    return ReferralDocument(**values)  # type: ignore[arg-type]


def minimal_document(kind: ReferralKind = ReferralKind.EARLY_HELP) -> ReferralDocument:
    """Only what is required: one child, a summary; every optional part empty."""
    return ReferralDocument(
        kind=kind,
        reference="R-2222-3333",
        concern_ref="",
        made_on=MADE,
        organisation=ORG,
        organisation_type_label="",
        organisation_contact="",
        referrer_name="Alex Morgan",
        referrer_role="Welfare Officer",
        referrer_contact="",
        content=ReferralContent(summary="A short summary."),
        children=(ChildRow(name="Ben Smith", date_of_birth=None, age=None),),
    )


# --- tools -------------------------------------------------------------------------------


def pdftotext(
    pdf: bytes, tmp_path: Path, *, password: str | None = None, layout: bool = False
) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext"]
    if password is not None:
        args += ["-upw", password]
    if layout:
        args.append("-layout")
    run = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True)
    return run.stdout


def normalised(text: str) -> str:
    """NFKC, and poppler's bidi embedding marks removed, for comparing extracted text."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub("[\u202a-\u202e]", "", text)


def pdfsig(pdf: bytes, tmp_path: Path, password: str | None = None) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    args = ["pdfsig"] + (["-upw", password] if password is not None else [])
    run = subprocess.run([*args, str(path)], capture_output=True, text=True, check=False)
    return run.stdout + run.stderr


def page_count(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert match is not None
    return int(match.group(1))


def pdfinfo(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def identity() -> SigningIdentity:
    return generate_signing_identity(ORG)


@pytest.fixture(scope="module")
def rich_pdf() -> bytes:
    return referral_pdf_bytes(rich_document())


@pytest.fixture(scope="module")
def lado_pdf() -> bytes:
    return referral_pdf_bytes(rich_document(ReferralKind.LADO))


@pytest.fixture(scope="module")
def rich_text(rich_pdf: bytes, tmp_path_factory: pytest.TempPathFactory) -> str:
    return pdftotext(rich_pdf, tmp_path_factory.mktemp("rich"))


# --- what the referral says ------------------------------------------------------------


def test_every_name_prints_as_typed_in_any_script(rich_text: str) -> None:
    assert POLISH in rich_text
    assert CHINESE in rich_text
    assert ARABIC in normalised(rich_text)
    for person in ("Tomasz Kowalski", "Dr Sarah Okafor", "Riverside Surgery", SIGNER, ORG):
        assert person in rich_text


def test_arabic_is_shaped_and_in_right_to_left_order(rich_text: str) -> None:
    # Unshaped Arabic would come back as the base letters U+0600-U+06FF; shaped,
    # it comes back as the joined forms that were drawn. Drawn in the wrong
    # order, poppler (which reads right-to-left runs back to front) would give
    # the letters or the words reversed, and the normalised name would not match.
    line = next(line for line in rich_text.splitlines() if "\ufee3" in line or "\ufea4" in line)
    assert any("\ufe70" <= char <= "\ufeff" for char in line)
    assert ARABIC in normalised(line)


def test_header_footer_marking_and_page_numbers_on_every_page(
    rich_pdf: bytes, rich_text: str, tmp_path: Path
) -> None:
    pages = rich_text.split("\f")[:-1]  # pdftotext ends every page with a form feed
    total = page_count(rich_pdf, tmp_path)
    assert len(pages) == total >= 4
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, number  # top and bottom
        assert f"Page {number} of {total}" in page
        assert "R-7K3M-Q9TX" in page
        assert ORG in page


def test_sections_come_in_the_order_of_the_form(rich_text: str) -> None:
    titles = [
        "1. Referrer",
        "2. Consent and information sharing",
        "3. The children",
        "4. The child now",
        "5. Household",
        "6. Professionals involved",
        "7. What happened",
        "8. Body map",
        "9. Chronology summary",
        "10. Risks, needs, strengths and protective factors",
        "11. Immediate actions taken",
        "12. What is being asked for",
        "13. Declaration and signature",
    ]
    flat = re.sub(r"\s+", " ", rich_text)
    positions = [flat.index(title) for title in titles]
    assert positions == sorted(positions)


def test_child_words_quoted_and_details_printed(rich_text: str) -> None:
    flat = re.sub(r"\s+", " ", rich_text)
    assert f"“{CHILD_WORDS}”" in flat
    for expected in (
        "2 March 2015",
        "Zosia",
        "White: other (Polish)",
        "Under 11s",
        "Telling them could place the child at greater risk.",
        "Consent not sought",
        "UK GDPR Article 6(1)(e)",
        "Physical abuse; Neglect",
        "Sam Lee (assistant coach)",
        "Quiet, kept pulling her sleeve down.",
        "Bruise, 3 cm across, purple, left forearm",
        "Linear marks across the upper back",
        "Event 1: attended training",
        "Event 40: attended training",
        "younger siblings in the same household",
        "An assessment under section 47",
        "Audit log entry 1234, hash",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "AB:CD:EF:01:AB:CD:EF:01",
        "digitally signed",
    ):
        assert expected in flat, expected


def test_dates_are_in_english_on_a_computer_set_to_another_language(tmp_path: Path) -> None:
    with polish_time_locale(tmp_path):
        pdf = referral_pdf_bytes(rich_document())
    text = re.sub(r"\s+", " ", pdftotext(pdf, tmp_path))
    assert "23 November 2026, 14:05" in text  # made on
    assert "2 March 2015" in text  # a date of birth
    assert "16 Nov 2026, 14:05" in text  # the last chronology row
    assert "marca" not in text and "listopad" not in text


def test_metadata_has_the_title_and_no_child_data(rich_pdf: bytes, tmp_path: Path) -> None:
    info = pdfinfo(rich_pdf, tmp_path)
    assert re.search(r"^Title:\s+Referral to children's social care$", info, re.M)
    reader = PdfFileReader(BytesIO(rich_pdf))
    info_dict = reader.trailer["/Info"]
    values = " ".join(str(info_dict[key]) for key in info_dict)
    assert "Referral to children's social care" in values
    for secret in (POLISH, "Kowalska", ARABIC, CHINESE, "Zosia", CHILD_WORDS, "bruise", "Amelia"):
        assert secret not in info, secret
        assert secret.lower() not in values.lower(), secret
    assert "/Metadata" not in reader.root  # no XMP packet that could hold more


def test_signature_corner_of_the_last_page_is_blank_until_signed(
    rich_pdf: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    def corner_ink(pdf: bytes) -> int:
        path = tmp_path / "corner.pdf"
        path.write_bytes(pdf)
        total = page_count(pdf, tmp_path)
        out = tmp_path / "last"
        # 72 dpi: one pixel per point.
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "72",
                "-gray",
                "-png",
                "-singlefile",
                "-f",
                str(total),
                str(path),
                str(out),
            ],
            check=True,
        )
        with Image.open(f"{out}.png") as page:
            width, height = page.size
            box = (
                width - BOX_MARGIN - BOX_WIDTH,
                height - SIGNATURE_SPACE,
                width - BOX_MARGIN,
                height - 4,
            )
            return sum(page.crop(box).histogram()[:235])  # pixels darker than near-white

    assert corner_ink(rich_pdf) == 0
    signed = sign_pdf(rich_pdf, identity, signer_name=SIGNER, reason="Referral")
    assert corner_ink(signed) > 500  # the box is drawn there, so the check can see ink


def test_body_map_marks_sit_on_their_outline(rich_pdf: bytes, tmp_path: Path) -> None:
    """Each mark's number is drawn at its 0..1 position on the right outline."""
    path = tmp_path / "map.pdf"
    path.write_bytes(rich_pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    page = next(p for p in html.split("<page ") if ">Front</word>" in p and ">Back</word>" in p)
    words = [
        (float(x0), float(y0), float(x1), float(y1), text)
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        )
    ]
    front = next(w for w in words if w[4] == "Front")
    # The drawing's top edge: the "Front" label's baseline sits 11 pt below it.
    top = front[3] - 0.236 * 9.5 - 11  # yMax is the baseline plus DejaVu's descent
    outline = bm.outline("front")
    drawn_w = outline.width * bm._OUTLINE_HEIGHT / outline.height
    drawing_h = bm._OUTLINE_HEIGHT + bm._LABEL_SPACE
    for mark in rich_document().body_map:
        centre = MARGIN_X + CONTENT_WIDTH * (1 if mark.view == "front" else 3) / 4
        x = centre - drawn_w / 2 + mark.x * drawn_w
        y = top + drawing_h - (1 - mark.y) * bm._OUTLINE_HEIGHT  # from the top of the page
        found = [w for w in words if w[4] == str(mark.number)]
        assert any(
            abs((w[0] + w[2]) / 2 - x) < 3 and abs((w[1] + w[3]) / 2 - y) < 4 for w in found
        ), (
            mark,
            found,
            (x, y),
        )


# --- signing, tampering, encryption ------------------------------------------------------


def test_signed_referral_is_valid_in_pdfsig_and_pyhanko(
    rich_pdf: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    signed = sign_pdf(
        rich_pdf, identity, signer_name=SIGNER, reason="Referral to children's social care"
    )
    report = pdfsig(signed, tmp_path)
    assert VALID_LINE in report
    assert "Total document signed" in report
    result = verify_pdf(signed, trusted_cert_pem=identity.cert_pem)
    assert result.intact and result.valid and result.trusted
    assert result.fingerprint_sha256 == identity.fingerprint_sha256


def test_one_flipped_byte_invalidates_the_signature(
    rich_pdf: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    signed = sign_pdf(rich_pdf, identity, signer_name=SIGNER, reason="Referral")
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed)
    assert match is not None
    start, length = int(match.group(1)), int(match.group(2))
    position = signed.index(b"stream\n", start) + len(b"stream\n") + 40
    assert position < start + length
    tampered = bytearray(signed)
    tampered[position] ^= 0x01
    report = pdfsig(bytes(tampered), tmp_path)
    assert VALID_LINE not in report
    assert "Digest Mismatch" in report
    result = verify_pdf(bytes(tampered))
    assert not result.intact and not result.ok


def test_encrypted_referral_opens_with_its_password_only(
    rich_pdf: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    locked = encrypt_pdf(rich_pdf, PASSWORD)
    signed = sign_pdf(
        locked, identity, signer_name=SIGNER, reason="Referral", pdf_password=PASSWORD
    )
    text = pdftotext(signed, tmp_path, password=PASSWORD)
    assert POLISH in text and CHINESE in text and "R-7K3M-Q9TX" in text
    path = tmp_path / "locked.pdf"
    path.write_bytes(signed)
    refused = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert refused.returncode != 0 and POLISH not in refused.stdout
    wrong = subprocess.run(
        ["pdftotext", "-upw", "not-the-password", str(path), "-"], capture_output=True, text=True
    )
    assert wrong.returncode != 0
    assert VALID_LINE in pdfsig(signed, tmp_path, PASSWORD)
    assert verify_pdf(signed, trusted_cert_pem=identity.cert_pem, password=PASSWORD).trusted


# --- long and awkward text ------------------------------------------------------------------


def test_100000_characters_of_observed_text_flow_over_pages(tmp_path: Path) -> None:
    sentence = "She said the older boys took her phone and would not give it back. "
    observed = (sentence * (100_000 // len(sentence) + 1))[: 100_000 - 9] + " THE END."
    assert len(observed) == 100_000
    pdf = referral_pdf_bytes(rich_document(observed=observed))
    pages = page_count(pdf, tmp_path)
    assert pages > 20
    text = re.sub(r"\s+", " ", pdftotext(pdf, tmp_path))
    assert "THE END." in text
    # Counted by a word no page break can split, in the observed text's own part.
    part = text[text.index("What was seen and heard") : text.index("The child's own words")]
    assert part.count("phone") == observed.count("phone")


def test_one_100000_character_word_and_many_lines_do_not_break_the_layout(tmp_path: Path) -> None:
    # No spaces at all (reportlab must split inside the word), and 5,000 short lines.
    blob = "x" * 100_000
    lines = "\n".join(f"Line {n}" for n in range(5_000))
    pdf = referral_pdf_bytes(
        rich_document(
            observed=blob,
            content=replace(rich_document().content, risks=lines, child_words=lines),
        )
    )
    text = pdftotext(pdf, tmp_path)
    assert text.count("x") >= 100_000
    assert "Line 4999" in text


def test_100000_characters_of_arabic_fill_whole_right_aligned_lines(tmp_path: Path) -> None:
    words = "كلمة عربية طويلة "
    observed = (words * (100_000 // len(words) + 1))[:100_000]
    pdf = referral_pdf_bytes(rich_document(observed=observed))
    text = normalised(pdftotext(pdf, tmp_path, layout=True))
    assert page_count(pdf, tmp_path) > 15
    lines = [line for line in text.splitlines() if "عربية" in line]
    assert len(lines) > 300
    # Measured shaped, the lines are full: most carry ten or more words.
    assert sorted(len(line.split()) for line in lines)[len(lines) // 2] >= 10
    # Read back in logical order, word by word.
    assert "كلمة عربية طويلة كلمة عربية طويلة" in " ".join(" ".join(lines).split())


def test_long_paragraphs_are_cut_after_a_sentence() -> None:
    text = ("Short sentence here. " * 400).strip()
    pieces = chunks(text)
    assert len(pieces) == 3
    assert all(len(piece) <= 3_000 and piece.endswith(".") for piece in pieces)
    assert " ".join(pieces) == text
    assert chunks("x" * 7_000) == ["x" * 3_000, "x" * 3_000, "x" * 1_000]
    assert chunks("short") == ["short"]


def test_long_values_leave_tables_instead_of_crashing(tmp_path: Path) -> None:
    long_contact = "Call the office. " * 2_000
    long_address = "Flat 2, " + "Very Long Road, " * 3_000
    doc = rich_document(
        household=(PersonRow("Tomasz Kowalski", "Father", None, True, contact=long_contact),),
        children=(ChildRow(name=POLISH, date_of_birth=None, age=None, address=long_address),),
        chronology=(ChronologyRow(MADE, "A very long entry. " * 5_000),),
        body_map=(BodyMarkRow(1, "front", 0.5, 0.5, "A very long note. " * 3_000),),
    )
    text = re.sub(r"\s+", " ", pdftotext(referral_pdf_bytes(doc), tmp_path))
    assert "In full below the table." in text
    # Counted by words, which no page break can split.
    assert text.count("office.") == 2_000
    assert text.count("Road,") == 3_000
    assert text.count("note.") == 3_000
    assert "…" in text  # the chronology is a summary: its long line is shortened


def test_a_long_organisation_name_keeps_clear_of_the_facts_box(tmp_path: Path) -> None:
    # Right-to-left, so it is right-aligned: it used to end against the box's edge.
    organisation = "مدرسة النور الابتدائية في المدينة القديمة Al-Noor Primary School"
    path = tmp_path / "title.pdf"
    path.write_bytes(referral_pdf_bytes(rich_document(organisation=organisation)))
    words = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)<', words)
    box_left = next(float(x0) for x0, _, _, word in found if word == "Reference")
    top = next(float(y0) for _, y0, _, word in found if word == "Reference")
    notice = next(float(y0) for _, y0, _, word in found if word == "holds")
    # The title and subtitle: beside the box, between the running header and the notice.
    beside = [
        float(x1) for x0, y0, x1, _ in found if top < float(y0) < notice and float(x0) < box_left
    ]
    assert beside and max(beside) < box_left - 6 - 4  # the box edge (6 pt of padding), a gap


def test_markup_characters_and_bidi_controls_are_printed_safely(tmp_path: Path) -> None:
    tricky = 'Tom & Jerry <b>not bold</b> "quoted" Ann\u202eeci\u202c'
    doc = rich_document(location=tricky)
    text = pdftotext(referral_pdf_bytes(doc), tmp_path)
    assert 'Tom & Jerry <b>not bold</b> "quoted" Ann\ufffdeci\ufffd' in text


# --- empty and LADO documents -----------------------------------------------------------------


def test_empty_optional_sections_say_none_recorded(tmp_path: Path) -> None:
    text = re.sub(r"\s+", " ", pdftotext(referral_pdf_bytes(minimal_document()), tmp_path))
    titles = [
        "4. The child now",
        "5. Household",
        "6. Professionals involved",
        "7. What happened",
        "8. Body map",
        "9. Chronology summary",
        "10. Risks, needs",
        "11. Immediate actions taken",
        "12. What is being asked for",
        "13. Declaration and signature",
    ]
    empty = {"5. Household": 1, "6. Professionals involved": 1, "8. Body map": 1}
    empty |= {"7. What happened": 3}  # seen and heard, the child's words, presentation
    empty |= {"9. Chronology summary": 1, "10. Risks, needs": 3}  # risks, needs, strengths
    # The actions taken, and the agencies already informed (domain/routes.py).
    empty |= {"11. Immediate actions taken": 2, "12. What is being asked for": 1}
    for title, following in itertools.pairwise(titles):
        section = text[text.index(title) : text.index(following)]
        assert section.count("None recorded") == empty.get(title, 0), title
    assert "Early help request" in text
    assert "Page 1 of" in text


def test_lado_referral(lado_pdf: bytes, identity: SigningIdentity, tmp_path: Path) -> None:
    text = re.sub(r"\s+", " ", pdftotext(lado_pdf, tmp_path))
    assert "Referral to the Local Authority Designated Officer (LADO)" in text
    for expected in (
        "Gareth Whitfield",
        "Head coach, Under 11s",
        "Volunteer",
        "1 September 2021",
        "Riverside ground, Saturday mornings",
        "A child said the coach hit her on the back with a training pole.",
        POLISH,
        CHINESE,
        "Actions taken so far",
        "Declaration and signature",
        "Audit log entry 1234",
        "OFFICIAL-SENSITIVE",
    ):
        assert expected in text, expected
    assert ARABIC in normalised(text)
    assert "Consent and information sharing" not in text
    total = page_count(lado_pdf, tmp_path)
    assert f"Page {total} of {total}" in text
    signed = sign_pdf(lado_pdf, identity, signer_name=SIGNER, reason="LADO referral")
    assert VALID_LINE in pdfsig(signed, tmp_path)
    assert "Gareth" not in pdfinfo(lado_pdf, tmp_path)


def test_lado_without_adult_details_says_none_recorded(tmp_path: Path) -> None:
    doc = replace(minimal_document(ReferralKind.LADO), allegation="")
    text = re.sub(r"\s+", " ", pdftotext(referral_pdf_bytes(doc), tmp_path))
    start = text.index("2. The adult the allegation is about")
    assert "None recorded" in text[start : start + 80]


# --- fonts -------------------------------------------------------------------------------------


def test_markup_wraps_cjk_runs_in_the_fallback_font_and_escapes() -> None:
    assert markup("Wang 王小明 & co") == f'Wang <font name="{FALLBACK}">王小明</font> &amp; co'
    assert list(font_runs("a王b")) == [(REGULAR, "a"), (FALLBACK, "王"), (REGULAR, "b")]
    assert markup("<i>x</i>\nnext") == "&lt;i&gt;x&lt;/i&gt;<br/>next"


def test_right_to_left_words_are_put_in_visual_order() -> None:
    register_fonts()  # measured in the bundled font, even when this test runs alone
    style = ParagraphStyle("t", fontName=REGULAR, fontSize=10, leading=12)
    # In a left-to-right line the Arabic run's words are reversed; the rest stays.
    para = paragraph(f"Name: {ARABIC} (brother)", style, 400)
    assert para.text == "Name: الأحمد محمد (brother)"
    assert para.style.shaping == 1
    # A right-to-left paragraph: broken into lines here, each right-aligned, and
    # the first words of the text are on the first line.
    words = [f"كلمة{n}" for n in range(40)]
    long_para = paragraph(" ".join(words), style, 150)
    lines = long_para.text.split("<br/>")
    assert len(lines) > 3
    assert lines[0].split(" ")[-1] == words[0]  # the rightmost word is read first
    assert long_para.style.alignment == TA_RIGHT
    # No right-to-left letters: no shaping cost.
    assert paragraph("Zażółć", style, 400).style is style


def test_line_order_follows_the_unicode_bidirectional_algorithm() -> None:
    register_fonts()
    style = ParagraphStyle("t", fontName=REGULAR, fontSize=10, leading=12)
    # A number after Arabic words belongs to their run (rules W7, N1): it is drawn to
    # their left in a left-to-right line, where a word-by-word guess left it after them.
    assert paragraph("Name: محمد 12 years", style, 400).text == "Name: 12 محمد years"
    # Brackets around Latin letters in a right-to-left line face the right way (rule L4).
    assert paragraph("قال (ok) اليوم", style, 400).text == "اليوم (ok) قال"
    assert bidi_levels("قال (ok) اليوم", "R") == [1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    # A zero-width non-joiner (Persian spelling) is kept, at its neighbours' level.
    persian = "می\u200cخواهم"
    assert paragraph(persian, style, 400).text == persian
    assert bidi_levels(persian, "R") == [1] * len(persian)


def test_pdf_embeds_only_our_fonts_as_subsets(rich_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(rich_pdf)
    rows = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows_list = rows.splitlines()[2:]
    assert any("DroidSansFallback" in row for row in rows_list)
    assert all(
        ("DejaVuSans" in row or "DroidSans" in row) and re.search(r"\byes\s+yes\b", row)
        for row in rows_list
    )


def test_the_child_now_and_a_long_note_for_the_family_box_flow_over_pages(
    tmp_path: Path,
) -> None:
    secret = "Do not mention the refuge address."
    doc = rich_document(
        keep_from_family=" ".join([secret] * 3_000),  # about 100,000 characters
        urgency_label="Today",
        child_now="At the refuge with her mother tonight.",
        child_views="She wants to stay at her school.",
        person_causing_harm=PersonRow(
            name="Marek Kowalski", relationship_or_role="father", lives_with_child=False
        ),
        referrer_relationship="Her coach for two seasons",
    )
    text = re.sub(r"\s+", " ", pdftotext(referral_pdf_bytes(doc), tmp_path))
    first = text.index("1. Not to be shared with the family")
    assert first < text.index("2. Referrer")
    assert "Do not share this with the child's family or carers; it follows in full." in text
    # Nothing cut: a page break may fall inside the sentence, never inside a word.
    assert text.count("address.") == 3_000
    child_now = text[text.index("5. The child now") : text.index("6. Household")]
    for expected in (
        "How urgent Today",
        "At the refuge with her mother tonight.",
        "She wants to stay at her school.",
        "Marek Kowalski",
        "Lives with the child No",
    ):
        assert expected in child_now, expected
    assert "Urgency Today" in text[:first]  # among the facts at the top of page 1
    assert "Her coach for two seasons" in text
