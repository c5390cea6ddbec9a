"""The referral PDF: one :class:`ReferralDocument` as a multi-agency referral form.

Shaped like the multi-agency referral forms (MARF) local authorities use, in this
order: referrer; consent and information sharing; the child or children;
household; professionals involved; what happened; body map; chronology summary;
risks, needs, strengths and protective factors; immediate actions; what is being
asked for; declaration and signature. A LADO referral has its own sections
(:mod:`.lado_document`); :func:`referral_pdf_bytes` builds either.

What is printed is exactly what is in the document object: nothing here reads the
database. Empty optional sections say "None recorded", as paper forms do. The PDF
metadata carries the document title only, never a child's name or record text;
this module logs nothing.

The result is unsigned: ``sign_pdf`` adds the visible signature box at the bottom
right of the last page, which the layout keeps free (see :mod:`.form_layout`).
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
)

from .. import APP_NAME
from ..domain.date_words import long_date, short_date
from ..domain.referral import ChildRow, PersonRow, ReferralDocument, ReferralKind
from .body_map_drawing import body_map_drawing, view_label
from .fonts import paragraph, register_fonts
from .form_layout import (
    BOTTOM_MARGIN,
    CONTENT_WIDTH,
    MARGIN_X,
    SECTION_ROOM,
    TOP_MARGIN,
    Field,
    PageFurniture,
    Styles,
    column_table,
    field_grid,
    form_canvas,
    grouped_hex,
    is_long,
    label_bar,
    long_text,
    make_styles,
    none_recorded,
    note_box,
    section_bar,
    shortened,
    signature_reserve,
    subheading,
    title_block,
    yes_no,
)


def referral_pdf_bytes(doc: ReferralDocument) -> bytes:
    """The unsigned referral PDF for ``doc`` (any kind, LADO included), in memory."""
    if doc.kind is ReferralKind.LADO:
        from .lado_document import lado_story

        return build_form(doc, lado_story)
    return build_form(doc, referral_story)


def build_form(
    doc: ReferralDocument, story: Callable[[ReferralDocument, Styles], list[Flowable]]
) -> bytes:
    """Lay out ``story(doc, styles)`` on numbered, marked pages; return the PDF bytes."""
    regular, _ = register_fonts()
    styles = make_styles()
    furniture = PageFurniture(
        organisation=doc.organisation,
        # Short, so the reference beside it always fits the running header.
        title=f"{doc.kind.label} referral",
        reference=doc.reference,
    )

    out = BytesIO()
    template = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        # The title only: metadata is read by mail clients, indexers and file
        # managers that show it to anyone, so no name or record text goes here.
        title=doc.kind.title,
        author=APP_NAME,
        creator=APP_NAME,
        subject="",
        keywords="",
        initialFontName=regular,
    )
    # No frame padding: tables and drawings are exactly CONTENT_WIDTH wide.
    frame = Frame(
        MARGIN_X,
        BOTTOM_MARGIN,
        CONTENT_WIDTH,
        A4[1] - TOP_MARGIN - BOTTOM_MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    template.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    template.build(story(doc, styles), canvasmaker=form_canvas(furniture, styles))
    return out.getvalue()


# --- the sections of a referral ------------------------------------------------------


def referral_story(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    sections: list[tuple[str, list[Flowable]]] = [
        ("Referrer", referrer_section(doc, styles)),
        ("Consent and information sharing", consent_section(doc, styles)),
        (children_title(doc), children_section(doc, styles)),
        (
            "Household: parents, carers and others living with the child",
            household_section(doc, styles),
        ),
        ("Professionals involved", professionals_section(doc, styles)),
        ("What happened", what_happened_section(doc, styles)),
        ("Body map", body_map_section(doc, styles)),
        ("Chronology summary", chronology_section(doc, styles)),
        ("Risks, needs, strengths and protective factors", analysis_section(doc, styles)),
        ("Immediate actions taken", long_text(doc.content.immediate_actions, styles)),
        ("What is being asked for", long_text(doc.content.asking_for, styles)),
    ]
    return assemble(doc, styles, sections)


def assemble(
    doc: ReferralDocument, styles: Styles, sections: list[tuple[str, list[Flowable]]]
) -> list[Flowable]:
    """Title block, numbered sections, then the declaration kept with the signature space."""
    flow: list[Flowable] = title_block(doc.kind.title, doc.organisation, _facts(doc), styles)
    for number, (title, body) in enumerate(sections, start=1):
        bar = section_bar(number, title, styles)
        # A section that opens with a block kept together (the body map drawing)
        # takes its bar along to the next page when the block does not fit here.
        bar.keepWithNext = bool(body) and isinstance(body[0], KeepTogether)
        flow += [CondPageBreak(SECTION_ROOM), bar, *body]
    last = section_bar(len(sections) + 1, "Declaration and signature", styles)
    flow.append(KeepTogether([last, *declaration(doc, styles), signature_reserve()]))
    return flow


def _facts(doc: ReferralDocument) -> list[tuple[str, str]]:
    facts = [("Reference", doc.reference)]
    if doc.concern_ref:
        facts.append(("Concern", doc.concern_ref))
    facts.append(("Date", long_date(doc.made_on)))
    facts.append(("Referral to", doc.kind.label))
    return facts


def referrer_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    organisation = doc.organisation
    if doc.organisation_type_label:
        organisation = f"{organisation} ({doc.organisation_type_label})"
    return field_grid(
        [
            Field("Name", doc.referrer_name),
            Field("Role", doc.referrer_role),
            Field("Organisation", organisation, wide=True),
            Field("Contact", doc.referrer_contact, wide=True),
            Field("Organisation's contact", doc.organisation_contact, wide=True),
        ],
        styles,
    )


def consent_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    return field_grid(
        [
            Field(
                "Do parents or carers know?",
                yes_no(doc.parents_told),
                wide=True,
            ),
            Field("If not, why not", _not_told_reason(doc), wide=True),
            Field("Consent to share", doc.consent_label, wide=True),
            Field("Why (consent given, refused or not sought)", doc.consent_reason, wide=True),
            Field("Lawful basis for sharing", doc.lawful_basis, wide=True),
        ],
        styles,
    )


def _not_told_reason(doc: ReferralDocument) -> str:
    if doc.parents_told:
        return "Not applicable: they know."
    return doc.parents_not_told_reason


def children_title(doc: ReferralDocument) -> str:
    return "The child" if len(doc.children) == 1 else "The children"


def child_fields(child: ChildRow) -> list[Field]:
    born = long_date(child.date_of_birth) or "Not known"
    age = f"{child.age}" if child.age is not None else ""
    return [
        Field("Name", child.name),
        Field("Other names", child.other_names),
        Field("Date of birth", born),
        Field("Age", age),
        Field("Gender", child.gender),
        Field("Ethnicity", child.ethnicity),
        Field("First language", child.language),
        Field("School, club or group", child.group),
        Field("Address", child.address, wide=True),
        Field("Additional needs", child.additional_needs, wide=True),
    ]


def children_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    if not doc.children:
        return [none_recorded(styles)]
    out: list[Flowable] = []
    count = len(doc.children)
    for number, child in enumerate(doc.children, start=1):
        heading = subheading(f"Child {number} of {count}", styles) if count > 1 else []
        # One child's details on one page where they fit (KeepTogether splits
        # them as usual when they do not).
        out.append(KeepTogether([*heading, *field_grid(child_fields(child), styles)]))
    return out


def _people_table(
    people: tuple[PersonRow, ...],
    headings: list[str],
    widths: list[float],
    cells: Callable[[PersonRow], list[str]],
    styles: Styles,
) -> list[Flowable]:
    if not people:
        return [none_recorded(styles)]
    rows = [cells(person) for person in people]
    # A cell too long for a table row is printed in full after the table.
    overflow: list[tuple[str, str]] = []
    for person, row in zip(people, rows, strict=True):
        for index, cell in enumerate(row):
            if is_long(cell):
                overflow.append((f"{headings[index]}: {shortened(person.name, 80)}", cell))
                row[index] = "In full below the table."
    out: list[Flowable] = [column_table(headings, rows, widths, styles)]
    for label, text in overflow:
        out.extend(label_bar(label, styles))
        out.extend(long_text(text, styles))
    return out


def household_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    return _people_table(
        doc.household,
        [
            "Name",
            "Relationship to the child",
            "Date of birth",
            "Parental responsibility",
            "Contact",
        ],
        [38 * mm, 34 * mm, 25 * mm, 30 * mm, CONTENT_WIDTH - 127 * mm],
        lambda p: [
            p.name,
            p.relationship_or_role,
            long_date(p.date_of_birth),
            yes_no(p.parental_responsibility, "Not known"),
            p.contact,
        ],
        styles,
    )


def professionals_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    return _people_table(
        doc.professionals,
        ["Name", "Role", "Organisation", "Contact"],
        [40 * mm, 38 * mm, 44 * mm, CONTENT_WIDTH - 122 * mm],
        lambda p: [p.name, p.relationship_or_role, p.organisation, p.contact],
        styles,
    )


def amended_note(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """The notice that the record was amended, when it was."""
    if not doc.amendments_note.strip():
        return []
    return [note_box(f"Amended record: {doc.amendments_note}", styles)]


def event_fields(doc: ReferralDocument) -> list[Field]:
    """When and where it happened, who wrote it down, and what kind of harm."""
    return [
        Field("When", long_date(doc.occurred_at)),
        Field("Recorded by", doc.recorded_by),
        Field("Where", doc.location, wide=True),
        Field("Categories", "; ".join(doc.categories), wide=True),
    ]


def seen_and_said(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """What was seen and heard, then the child's own words in quotation marks."""
    return [
        *label_bar("What was seen and heard", styles),
        *long_text(doc.observed, styles),
        *label_bar("The child's own words", styles),
        *long_text(doc.content.child_words, styles, quoted=True),
    ]


def what_happened_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    others = doc.others_present
    return [
        *amended_note(doc, styles),
        *label_bar("Summary of the concern", styles),
        *long_text(doc.content.summary, styles),
        Spacer(1, 4),
        *field_grid([*event_fields(doc), Field("Who else was there", others, wide=True)], styles),
        *seen_and_said(doc, styles),
        *label_bar("How the child presented", styles),
        *long_text(doc.presentation, styles),
    ]


def body_map_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    if not doc.body_map:
        return [none_recorded(styles)]
    marks = sorted(doc.body_map, key=lambda mark: mark.number)
    intro = paragraph(
        "Marks are drawn where they were seen, numbered as in the notes below.",
        styles.small,
        CONTENT_WIDTH,
    )
    out: list[Flowable] = [
        KeepTogether([intro, Spacer(1, 3), body_map_drawing(marks, CONTENT_WIDTH)]),
        Spacer(1, 4),
        *label_bar("Notes on the marks", styles),
    ]
    for mark in marks:
        note = mark.note.strip() or "No note recorded."
        out.extend(long_text(f"{mark.number}. {view_label(mark.view)}: {note}", styles))
    return out


def chronology_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    if not doc.chronology:
        return [none_recorded(styles)]
    # Abbreviated months keep each date on one line of a narrow column.
    rows = [[short_date(row.when), shortened(row.what)] for row in doc.chronology]
    return [
        column_table(
            ["When", "What happened or was done"], rows, [36 * mm, CONTENT_WIDTH - 36 * mm], styles
        )
    ]


def analysis_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    out: list[Flowable] = []
    for title, text in (
        ("Risks", doc.content.risks),
        ("Needs", doc.content.needs),
        ("Strengths and protective factors", doc.content.strengths),
    ):
        out.extend(label_bar(title, styles))
        out.extend(long_text(text, styles))
        out.append(Spacer(1, 3))
    return out


def declaration(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """The declaration, who signs, and what a recipient can check."""
    purpose = (
        "to manage an allegation about an adult who works with children"
        if doc.kind is ReferralKind.LADO
        else "to keep the child or children named in it safe"
    )
    fingerprint = _pairs_in_lines(doc.certificate_fingerprint)
    anchor = f"Audit log entry {doc.audit_seq}, hash {doc.audit_head}" if doc.audit_head else ""
    out: list[Flowable] = [
        paragraph(
            "I confirm that the information in this referral is accurate to the best of my "
            f"knowledge, and that it is shared {purpose}.",
            styles.body,
            CONTENT_WIDTH,
        ),
        Spacer(1, 5),
        *field_grid(
            [
                Field("Referrer", doc.referrer_name),
                Field("Date", long_date(doc.made_on)),
                Field("Role", doc.referrer_role),
                Field("Organisation", doc.organisation),
            ],
            styles,
        ),
        paragraph(
            "This document is digitally signed with the organisation's signing certificate: "
            "the signature box is at the bottom right of this page, and a PDF reader shows "
            "whether the file has changed since it was signed. To check who signed it, "
            "compare the certificate's SHA-256 fingerprint below with the one the "
            "organisation reads out to you by phone.",
            styles.body,
            CONTENT_WIDTH,
        ),
        Spacer(1, 4),
        *field_grid(
            [
                Field("Certificate SHA-256 fingerprint", fingerprint, wide=True, mono=True),
                Field("Audit anchor", anchor, wide=True, mono=True),
            ],
            styles,
        ),
    ]
    return out


def _pairs_in_lines(fingerprint: str) -> str:
    """A colon-separated fingerprint as two lines of 16 pairs, easy to read aloud."""
    if fingerprint.count(":") != 31:
        return fingerprint
    return grouped_hex(fingerprint, 16 * 3)
