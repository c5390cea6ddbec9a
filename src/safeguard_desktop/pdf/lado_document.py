"""The LADO referral: an allegation about an adult who works with children.

Sent to the Local Authority Designated Officer, it follows the LADO referral
forms local authorities publish: who is referring, the adult (role, how they
work with you, dates, where), the allegation, the child or children, what has
been done so far, and what is being asked for, then the same declaration and
signature block, header and footer as every referral (:mod:`.referral_parts`;
:mod:`.referral_document` builds it through :func:`lado_story`). There is no consent
section: whether and when to tell the adult or the parents is the LADO's decision,
and the form says so.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from ..domain.date_words import long_date
from ..domain.referral import AdultDetails, InterimStep, LadoRow, ReferralDocument
from .form_layout import (
    Field,
    Styles,
    field_grid,
    label_bar,
    long_text,
    none_recorded,
    note_box,
    yes_no,
)
from .referral_parts import (
    actions_taken,
    amended_note,
    assemble,
    children_section,
    children_title,
    event_fields,
    referrer_section,
    seen_and_said,
)

_BASIS_LABELS = {
    "employed": "Employed",
    "volunteer": "Volunteer",
    "contractor": "Contractor",
    "agency": "Agency worker",
    "other": "Other",
}


def lado_story(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    sections: list[tuple[str, list[Flowable]]] = [
        ("Referrer", referrer_section(doc, styles)),
        ("The adult the allegation is about", adult_section(doc.adult, styles, doc.lado)),
        ("The allegation", allegation_section(doc, styles)),
        (children_title(doc), children_section(doc, styles)),
        ("Interim steps while the LADO advises", interim_section(doc, styles)),
        ("Actions taken so far", [*lado_contact(doc, styles), *actions_taken(doc, styles)]),
        ("What is being asked of the LADO", long_text(doc.content.asking_for, styles)),
    ]
    return assemble(doc, styles, sections)


def adult_section(
    adult: AdultDetails | None, styles: Styles, lado: LadoRow | None = None
) -> list[Flowable]:
    if adult is None:
        return [none_recorded(styles)]
    return field_grid(
        [
            Field("Name", adult.name),
            Field("Date of birth", long_date(adult.date_of_birth)),
            Field("Role", adult.role),
            Field("Works as", _BASIS_LABELS.get(adult.employment_basis, adult.employment_basis)),
            Field("Started", long_date(adult.started_on)),
            Field("Left", _left(adult, lado)),
            Field("Where they work with children", adult.workplace, wide=True),
            Field("Other work with children", adult.other_work_with_children, wide=True),
            Field("Their own children", adult.own_children, wide=True),
            Field("Do they know of the allegation?", yes_no(adult.aware, "Not known"), wide=True),
            Field("Earlier allegations or concerns about them", adult.previous_concerns, wide=True),
            Field("Contact details", adult.contact, wide=True),
        ],
        styles,
    )


def _left(adult: AdultDetails, lado: LadoRow | None) -> str:
    """When they left; if they have not, say so, and point to a suspension or redeployment.

    A suspended adult has not left: printing the suspension under "Ended" told the LADO
    the wrong thing (issue 20).
    """
    if adult.ended_on is not None:
        return long_date(adult.ended_on)
    step = lado.interim_label if lado is not None else ""
    if step and step != InterimStep.NONE.label:
        return f"Has not left ({step.split(':')[0].lower()}: see the interim steps)"
    return "Has not left" if adult.started_on is not None else ""


def interim_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """What the employer has done about the adult meanwhile, and why."""
    lado = doc.lado
    if lado is None or not lado.interim_label:
        return [none_recorded(styles)]
    return field_grid(
        [
            Field("Interim step", lado.interim_label, wide=True),
            Field("Why", lado.interim_reason, wide=True),
        ],
        styles,
    )


def lado_contact(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """Whether the LADO has been spoken to already, by whom, and what they advised."""
    lado = doc.lado
    if lado is None:
        return []
    fields = [Field("Contacted", "Not yet: this referral is the first contact", wide=True)]
    if lado.contacted_at is not None:
        fields = [
            Field("Contacted", long_date(lado.contacted_at), wide=True),
            Field("LADO officer", lado.officer, wide=True),
            Field("The LADO's advice", lado.advice, wide=True),
        ]
    return [*label_bar("Contact with the LADO", styles), *field_grid(fields, styles), Spacer(1, 3)]


def allegation_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    out: list[Flowable] = [
        note_box(
            "Do not tell the adult about this referral, and do not investigate it, until the "
            "LADO has advised.",
            styles,
        ),
        *amended_note(doc, styles),
        *field_grid(
            [
                *event_fields(doc),
                Field(
                    "Who raised the allegation", doc.lado.raised_by if doc.lado else "", wide=True
                ),
            ],
            styles,
        ),
        *label_bar("What is alleged", styles),
        *long_text(doc.allegation, styles),
        Spacer(1, 3),
        *seen_and_said(doc, styles),
    ]
    if doc.content.summary.strip():
        out.extend(label_bar("Summary", styles))
        out.extend(long_text(doc.content.summary, styles))
    return out
