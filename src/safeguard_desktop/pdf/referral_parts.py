"""What every referral form prints, whatever its kind: the MARF and the LADO form alike.

The pages (:func:`build_form`: running header and footer, numbered pages, the frame),
the title block and numbered sections followed by the declaration and the space kept
for the signature (:func:`assemble`), and the sections both forms share: the referrer,
the child or children, what was seen and said. :mod:`.referral_document` and
:mod:`.lado_document` each build their own story from these; neither imports the other.

What is printed is exactly what is in the document object: nothing here reads the
database, and this module logs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from reportlab.lib.pagesizes import A4
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
from ..domain.date_words import long_date
from ..domain.referral import ChildRow, ReferralDocument, ReferralKind
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
    field_grid,
    form_canvas,
    grouped_hex,
    label_bar,
    long_text,
    make_styles,
    none_recorded,
    note_box,
    section_bar,
    signature_reserve,
    subheading,
    title_block,
    yes_no,
)

# --- the pages, the order of sections, the declaration ----------------------------------


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
    if doc.urgency_label:
        facts.append(("Urgency", doc.urgency_label))
    return facts


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


# --- sections both forms print ---------------------------------------------------------


def referrer_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    organisation = doc.organisation
    if doc.organisation_type_label:
        organisation = f"{organisation} ({doc.organisation_type_label})"
    return field_grid(
        [
            Field("Name", doc.referrer_name),
            Field("Role", doc.referrer_role),
            Field("Relationship to the child", doc.referrer_relationship, wide=True),
            Field("Organisation", organisation, wide=True),
            Field("Contact", doc.referrer_contact, wide=True),
            Field("Organisation's contact", doc.organisation_contact, wide=True),
        ],
        styles,
    )


def children_title(doc: ReferralDocument) -> str:
    return "The child" if len(doc.children) == 1 else "The children"


def child_fields(child: ChildRow) -> list[Field]:
    """What every council's form asks about the child, in the order most of them ask it."""
    if child.unborn:
        expected = long_date(child.expected_on)
        born = f"Not born yet: expected {expected}" if expected else "Not born yet"
    else:
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
        Field("Interpreter needed", yes_no(child.interpreter_needed, "Not known")),
        Field("Religion", child.religion),
        Field("NHS number", child.nhs_number),
        Field("School, club or group", child.group),
        Field("Disability", yes_no(child.disability, "Not known")),
        Field("Special educational needs", child.send_label or "Not known", wide=True),
        Field("Additional needs", child.additional_needs, wide=True),
        Field("Address", child.address, wide=True),
        Field("Lives with", child.lives_with, wide=True),
        Field("GP", child.gp, wide=True),
        Field("Social worker", child.social_worker or "None known", wide=True),
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


def actions_taken(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """The 999 call with its incident number, when there was one, then the actions taken."""
    police = doc.police
    if police is None:
        return long_text(doc.content.immediate_actions, styles)
    return [
        *label_bar("The call to the police (999)", styles),
        *field_grid(
            [
                Field("Called", long_date(police.called_at)),
                Field("Incident number", police.incident_number),
                Field("Spoke to", police.spoke_to, wide=True),
                Field("What the police said", police.notes, wide=True),
            ],
            styles,
        ),
        *label_bar("Other actions taken", styles),
        *long_text(doc.content.immediate_actions, styles),
    ]
