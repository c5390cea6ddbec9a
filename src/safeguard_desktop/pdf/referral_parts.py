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

from collections.abc import Callable, Sequence
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
from ..domain.referral import ReferralDocument, ReferralKind
from ..domain.referral_sections import (
    OTHER_ACTIONS_HEADING,
    POLICE_HEADING,
    ROUTES_HEADING,
    FormField,
    child_fields,
    form_sections,
    police_fields,
    referrer_fields,
    route_fields,
)
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
    doc: ReferralDocument,
    styles: Styles,
    builders: dict[str, Callable[[ReferralDocument, Styles], list[Flowable]]],
) -> list[Flowable]:
    """Title block, numbered sections, then the declaration kept with the signature space.

    The sections, their order and titles are domain/referral_sections.py's
    (:func:`form_sections`), the list a copied section comes from too; ``builders``
    draws each one by its key.
    """
    flow: list[Flowable] = title_block(doc.kind.title, doc.organisation, _facts(doc), styles)
    sections = [(s.title, builders[s.key](doc, styles)) for s in form_sections(doc)]
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


def grid(fields: Sequence[FormField], styles: Styles) -> list[Flowable]:
    """The labelled values domain/referral_sections.py lists, as the form's grid."""
    return field_grid([Field(f.label, f.value, wide=f.wide) for f in fields], styles)


def referrer_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    return grid(referrer_fields(doc), styles)


def children_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    if not doc.children:
        return [none_recorded(styles)]
    out: list[Flowable] = []
    count = len(doc.children)
    for number, child in enumerate(doc.children, start=1):
        heading = subheading(f"Child {number} of {count}", styles) if count > 1 else []
        # One child's details on one page where they fit (KeepTogether splits
        # them as usual when they do not).
        out.append(KeepTogether([*heading, *grid(child_fields(child), styles)]))
    return out


def amended_note(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """The notice that the record was amended, when it was."""
    if not doc.amendments_note.strip():
        return []
    return [note_box(f"Amended record: {doc.amendments_note}", styles)]


def seen_and_said(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """What was seen and heard, then the child's own words in quotation marks."""
    return [
        *label_bar("What was seen and heard", styles),
        *long_text(doc.observed, styles),
        *label_bar("The child's own words", styles),
        *long_text(doc.content.child_words, styles, quoted=True),
    ]


def actions_taken(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """The 999 call with its incident number, when there was one, then the actions taken,
    then the agencies already told and the decision's other routes."""
    police = doc.police
    routes = [*label_bar(ROUTES_HEADING, styles), *grid(route_fields(doc), styles)]
    if police is None:
        return [*long_text(doc.content.immediate_actions, styles), *routes]
    return [
        *label_bar(POLICE_HEADING, styles),
        *grid(police_fields(police), styles),
        *label_bar(OTHER_ACTIONS_HEADING, styles),
        *long_text(doc.content.immediate_actions, styles),
        *routes,
    ]
