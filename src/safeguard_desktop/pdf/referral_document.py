"""The referral PDF: one :class:`ReferralDocument` as a multi-agency referral form.

Shaped like the multi-agency referral forms (MARF) local authorities use, in this
order: what must not be shared with the family (a marked box, when there is
something); referrer; consent and information sharing; the child; the child now
(urgency, where they are, their views, who is believed to cause harm); household;
professionals involved; what happened; body map; chronology summary;
risks, needs, strengths and protective factors; immediate actions; what is being
asked for; declaration and signature. A LADO referral has its own sections
(:mod:`.lado_document`); the pages, the declaration and the sections both print are
in :mod:`.referral_parts`. :func:`referral_pdf_bytes` builds either kind.

What is printed is exactly what is in the document object: nothing here reads the
database. Empty optional sections say "None recorded", as paper forms do. The PDF
metadata carries the document title only, never a child's name or record text;
this module logs nothing.

The result is unsigned: ``sign_pdf`` adds the visible signature box at the bottom
right of the last page, which the layout keeps free (see :mod:`.form_layout`).
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..domain.date_words import long_date, short_date
from ..domain.referral import PersonRow, ReferralDocument, ReferralKind
from .body_map_drawing import body_map_drawing, view_label
from .fonts import paragraph
from .form_layout import (
    CONTENT_WIDTH,
    Field,
    Styles,
    column_table,
    field_grid,
    is_long,
    label_bar,
    long_text,
    none_recorded,
    note_box,
    shortened,
    yes_no,
)
from .lado_document import lado_story
from .referral_parts import (
    actions_taken,
    amended_note,
    assemble,
    build_form,
    children_section,
    children_title,
    event_fields,
    referrer_section,
    seen_and_said,
)


def referral_pdf_bytes(doc: ReferralDocument) -> bytes:
    """The unsigned referral PDF for ``doc`` (any kind, LADO included), in memory."""
    if doc.kind is ReferralKind.LADO:
        return build_form(doc, lado_story)
    return build_form(doc, referral_story)


# --- the sections of a referral ------------------------------------------------------


def referral_story(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    sections: list[tuple[str, list[Flowable]]] = []
    if doc.keep_from_family.strip():
        # First, so no one reads on before knowing what must not reach the family.
        sections.append(("Not to be shared with the family", keep_from_family_section(doc, styles)))
    sections += [
        ("Referrer", referrer_section(doc, styles)),
        ("Consent and information sharing", consent_section(doc, styles)),
        (children_title(doc), children_section(doc, styles)),
        ("The child now", child_now_section(doc, styles)),
        (
            "Household: parents, carers and others living with the child",
            household_section(doc, styles),
        ),
        ("Professionals involved", professionals_section(doc, styles)),
        ("What happened", what_happened_section(doc, styles)),
        ("Body map", body_map_section(doc, styles)),
        ("Chronology summary", chronology_section(doc, styles)),
        ("Risks, needs, strengths and protective factors", analysis_section(doc, styles)),
        ("Immediate actions taken", actions_taken(doc, styles)),
        ("What is being asked for", long_text(doc.content.asking_for, styles)),
    ]
    return assemble(doc, styles, sections)


def keep_from_family_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """What must not be shared with the family, in a marked box (flowing on when long)."""
    text = doc.keep_from_family.strip()
    lead = "Do not share this with the child's family or carers"
    if is_long(text):
        return [note_box(f"{lead}; it follows in full.", styles), *long_text(text, styles)]
    return [note_box(f"{lead}: {text}", styles)]


def child_now_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """Urgency, where the child is now, their views, and who is believed to cause harm."""
    out = field_grid(
        [
            Field("How urgent", doc.urgency_label, wide=True),
            Field("Where the child is now, and whether safe tonight", doc.child_now, wide=True),
            Field("The child's own views and wishes", doc.child_views, wide=True),
        ],
        styles,
    )
    out.extend(label_bar("The person believed to be causing harm", styles))
    person = doc.person_causing_harm
    if person is None:
        out.append(none_recorded(styles, "No one named"))
        return out
    out.extend(
        field_grid(
            [
                Field("Name", person.name),
                Field("Relationship to the child", person.relationship_or_role),
                Field("Lives with the child", yes_no(person.lives_with_child, "Not known")),
                Field("Contact with other children", person.contact, wide=True),
            ],
            styles,
        )
    )
    return out


def consent_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    return field_grid(
        [
            Field(
                "Do parents or carers know?",
                yes_no(doc.parents_told),
                wide=True,
            ),
            Field("If not, why not", _not_told_reason(doc), wide=True),
            Field("Their views of the referral", _parents_views(doc), wide=True),
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


def _parents_views(doc: ReferralDocument) -> str:
    if doc.parents_told is False and not doc.parents_views.strip():
        return "Not asked: they have not been told."
    return doc.parents_views


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
            "Lives with the child",
            "Contact",
        ],
        [36 * mm, 30 * mm, 24 * mm, 27 * mm, 20 * mm, CONTENT_WIDTH - 137 * mm],
        lambda p: [
            p.name,
            p.relationship_or_role,
            long_date(p.date_of_birth),
            yes_no(p.parental_responsibility, "Not known"),
            yes_no(p.lives_with_child, "Not known"),
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
