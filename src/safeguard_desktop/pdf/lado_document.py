"""The LADO referral: an allegation about an adult who works with children.

Sent to the Local Authority Designated Officer, it follows the LADO referral
forms local authorities publish: who is referring, the adult (role, how they
work with you, dates, where), the allegation, the child or children, what has
been done so far, and what is being asked for, then the same declaration and
signature block, header and footer as every referral (:mod:`.referral_parts`;
:mod:`.referral_document` builds it through :func:`lado_story`). Its sections and
their labelled values are domain/referral_sections.py's, as the referral's are. There
is no consent section: whether and when to tell the adult or the parents is the LADO's
decision, and the form says so.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from ..domain.referral import ReferralDocument
from ..domain.referral_sections import (
    LADO_CONTACT_HEADING,
    LADO_WARNING,
    adult_fields,
    allegation_fields,
    interim_fields,
    lado_contact_fields,
)
from .form_layout import Styles, label_bar, long_text, none_recorded, note_box
from .referral_parts import (
    actions_taken,
    amended_note,
    assemble,
    children_section,
    grid,
    referrer_section,
    seen_and_said,
)


def lado_story(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    return assemble(
        doc,
        styles,
        {
            "referrer": referrer_section,
            "adult": adult_section,
            "allegation": allegation_section,
            "children": children_section,
            "interim": interim_section,
            "actions": lambda d, s: [*lado_contact(d, s), *actions_taken(d, s)],
            "asking_for": lambda d, s: long_text(d.content.asking_for, s),
        },
    )


def adult_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    if doc.adult is None:
        return [none_recorded(styles)]
    return grid(adult_fields(doc.adult, doc.lado), styles)


def interim_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """What the employer has done about the adult meanwhile, and why."""
    lado = doc.lado
    if lado is None or not lado.interim_label:
        return [none_recorded(styles)]
    return grid(interim_fields(lado), styles)


def lado_contact(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    """Whether the LADO has been spoken to already, by whom, and what they advised."""
    if doc.lado is None:
        return []
    return [
        *label_bar(LADO_CONTACT_HEADING, styles),
        *grid(lado_contact_fields(doc.lado), styles),
        Spacer(1, 3),
    ]


def allegation_section(doc: ReferralDocument, styles: Styles) -> list[Flowable]:
    out: list[Flowable] = [
        note_box(LADO_WARNING, styles),
        *amended_note(doc, styles),
        *grid(allegation_fields(doc), styles),
        *label_bar("What is alleged", styles),
        *long_text(doc.allegation, styles),
        Spacer(1, 3),
        *seen_and_said(doc, styles),
    ]
    if doc.content.summary.strip():
        out.extend(label_bar("Summary", styles))
        out.extend(long_text(doc.content.summary, styles))
    return out
