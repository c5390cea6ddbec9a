"""The referral PDF: one :class:`ReferralDocument` as a multi-agency referral form.

Shaped like the multi-agency referral forms (MARF) local authorities use, in this
order: what must not be shared with the family (a marked box, when there is
something); referrer; consent and information sharing; the child; the child now
(urgency, where they are, their views, who is believed to cause harm); household;
professionals involved; what happened; body map; chronology summary;
risks, needs, strengths and protective factors; immediate actions; what is being
asked for; declaration and signature. The sections, their titles and the labelled
values in them are domain/referral_sections.py's, which also writes them as text for a
council's web portal. A LADO referral has its own sections (:mod:`.lado_document`);
the pages, the declaration and the sections both print are in :mod:`.referral_parts`.
:func:`referral_pdf_bytes` builds either kind.

What is printed is exactly what is in the document object: nothing here reads the
database. Empty optional sections say "None recorded", as paper forms do. The PDF
metadata carries the document title only, never a child's name or record text;
this module logs nothing.

The result is unsigned: ``sign_pdf`` adds the visible signature box at the bottom
right of the last page, which the layout keeps free (see :mod:`.form_layout`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..domain.referral import PersonRow, ReferralDocument, ReferralKind
from ..domain.referral_sections import (
    BODY_MAP_INTRO,
    CHRONOLOGY_HEADINGS,
    HARM_HEADING,
    HOUSEHOLD_HEADINGS,
    KEEP_FROM_FAMILY_LEAD,
    NO_ONE_NAMED,
    PROFESSIONAL_HEADINGS,
    FormField,
    child_now_fields,
    chronology_cells,
    consent_fields,
    event_fields,
    harm_fields,
    household_cells,
    professional_cells,
)
from .body_map_drawing import body_map_drawing, view_label
from .fonts import paragraph
from .form_layout import (
    CONTENT_WIDTH,
    Styles,
    column_table,
    is_long,
    label_bar,
    long_text,
    none_recorded,
    note_box,
    shortened,
)
from .lado_document import lado_story
from .referral_parts import (
    actions_taken,
    amended_note,
    assemble,
    build_form,
    children_section,
    grid,
    referrer_section,
    seen_and_said,
)
from .signing import SigningIdentity, sign_pdf


def referral_pdf_bytes(doc: ReferralDocument) -> bytes:
    """The unsigned referral PDF for ``doc`` (any kind, LADO included), in memory."""
    if doc.kind is ReferralKind.LADO:
        return build_form(doc, lado_story)
    return build_form(doc, referral_story)


def signed_referral_pdf_bytes(
    doc: ReferralDocument, identity: SigningIdentity, *, signer_name: str, reason: str
) -> bytes:
    """``doc`` printed and signed with ``identity`` in one call, which a PDF worker
    process can make from the document alone (:mod:`.worker_pool`)."""
    return sign_pdf(referral_pdf_bytes(doc), identity, signer_name=signer_name, reason=reason)


# --- the sections of a referral ------------------------------------------------------


def referral_story(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    return assemble(
        doc,
        styles,
        {
            "keep_from_family": keep_from_family_section,
            "referrer": referrer_section,
            "consent": lambda d, s: grid(consent_fields(d), s),
            "children": children_section,
            "child_now": child_now_section,
            "household": household_section,
            "professionals": professionals_section,
            "what_happened": what_happened_section,
            "body_map": body_map_section,
            "chronology": chronology_section,
            "analysis": analysis_section,
            "actions": actions_taken,
            "asking_for": lambda d, s: long_text(d.content.asking_for, s),
        },
    )


def keep_from_family_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """What must not be shared with the family, in a marked box (flowing on when long)."""
    text = doc.keep_from_family.strip()
    if is_long(text):
        return [
            note_box(f"{KEEP_FROM_FAMILY_LEAD}; it follows in full.", styles),
            *long_text(text, styles),
        ]
    return [note_box(f"{KEEP_FROM_FAMILY_LEAD}: {text}", styles)]


def child_now_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """Urgency, where the child is now, their views, and who is believed to cause harm."""
    out = grid(child_now_fields(doc), styles)
    out.extend(label_bar(HARM_HEADING, styles))
    person = doc.person_causing_harm
    if person is None:
        out.append(none_recorded(styles, NO_ONE_NAMED))
        return out
    out.extend(grid(harm_fields(person), styles))
    return out


def _people_table(
    people: tuple[PersonRow, ...],
    headings: Sequence[str],
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
    out: list[Flowable] = [column_table(list(headings), rows, widths, styles)]
    for label, text in overflow:
        out.extend(label_bar(label, styles))
        out.extend(long_text(text, styles))
    return out


def household_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    return _people_table(
        doc.household,
        HOUSEHOLD_HEADINGS,
        [36 * mm, 30 * mm, 24 * mm, 27 * mm, 20 * mm, CONTENT_WIDTH - 137 * mm],
        household_cells,
        styles,
    )


def professionals_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    return _people_table(
        doc.professionals,
        PROFESSIONAL_HEADINGS,
        [40 * mm, 38 * mm, 44 * mm, CONTENT_WIDTH - 122 * mm],
        professional_cells,
        styles,
    )


def what_happened_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    others = FormField("Who else was there", doc.others_present, wide=True)
    return [
        *amended_note(doc, styles),
        *label_bar("Summary of the concern", styles),
        *long_text(doc.content.summary, styles),
        Spacer(1, 4),
        *grid([*event_fields(doc), others], styles),
        *seen_and_said(doc, styles),
        *label_bar("How the child presented", styles),
        *long_text(doc.presentation, styles),
    ]


def body_map_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    if not doc.body_map:
        return [none_recorded(styles)]
    marks = sorted(doc.body_map, key=lambda mark: mark.number)
    intro = paragraph(BODY_MAP_INTRO, styles.small, CONTENT_WIDTH)
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
    rows = [chronology_cells(row.when, row.what) for row in doc.chronology]
    return [
        column_table(list(CHRONOLOGY_HEADINGS), rows, [36 * mm, CONTENT_WIDTH - 36 * mm], styles)
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
