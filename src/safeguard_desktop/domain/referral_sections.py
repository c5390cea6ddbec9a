"""The sections of a referral, their labels and values, in the order the PDF prints them.

One list of sections for each kind of form (:func:`form_sections`), and for each part of
a section the labelled values it prints (``*_fields``). pdf/ draws the signed PDF from
these; :func:`section_texts` writes the same sections as plain text, for a lead whose
council takes referrals through a web portal and pastes them in section by section
(docs/referral-fields.md maps them onto a typical council's form). Both are made from
one :class:`~.referral.ReferralDocument`, already checked, display-safe and with other
children masked, so a copied section says exactly what the signed PDF says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from .date_words import long_date, short_date
from .referral import (
    AdultDetails,
    ChildRow,
    InterimStep,
    LadoRow,
    PersonRow,
    PoliceRow,
    ReferralDocument,
    ReferralKind,
)
from .text import single_line

NOT_RECORDED = "Not recorded"  # a labelled value left empty
NONE_RECORDED = "None recorded"  # a section or free text left empty
NOT_KNOWN = "Not known"

KEEP_FROM_FAMILY_LEAD = "Do not share this with the child's family or carers"
LADO_WARNING = (
    "Do not tell the adult about this referral, and do not investigate it, until the "
    "LADO has advised."
)
BODY_MAP_INTRO = "Marks are drawn where they were seen, numbered as in the notes below."

EMPLOYMENT_LABELS = {
    "employed": "Employed",
    "volunteer": "Volunteer",
    "contractor": "Contractor",
    "agency": "Agency worker",
    "other": "Other",
}


def yes_no(value: bool | None, unknown: str = NOT_RECORDED) -> str:
    return unknown if value is None else ("Yes" if value else "No")


@dataclass(frozen=True)
class FormField:
    """One labelled value of a form; ``wide`` ones take a whole row of the PDF's grid."""

    label: str
    value: str
    wide: bool = False


@dataclass(frozen=True)
class Section:
    """A numbered section of a form: a stable key, and its title as printed."""

    key: str
    title: str


@dataclass(frozen=True)
class SectionText:
    """One section as plain text, ready to paste into a council's web form."""

    key: str
    title: str
    text: str


# --- which sections, in which order -----------------------------------------------------


def children_title(doc: ReferralDocument) -> str:
    return "The child" if len(doc.children) == 1 else "The children"


def form_sections(doc: ReferralDocument) -> tuple[Section, ...]:
    """The form's numbered sections, in order (the declaration and signature follow)."""
    if doc.kind is ReferralKind.LADO:
        return (
            Section("referrer", "Referrer"),
            Section("adult", "The adult the allegation is about"),
            Section("allegation", "The allegation"),
            Section("children", children_title(doc)),
            Section("interim", "Interim steps while the LADO advises"),
            Section("actions", "Actions taken so far"),
            Section("asking_for", "What is being asked of the LADO"),
        )
    first = (
        # First, so no one reads on before knowing what must not reach the family.
        (Section("keep_from_family", "Not to be shared with the family"),)
        if doc.keep_from_family.strip()
        else ()
    )
    return (
        *first,
        Section("referrer", "Referrer"),
        Section("consent", "Consent and information sharing"),
        Section("children", children_title(doc)),
        Section("child_now", "The child now"),
        Section("household", "Household: parents, carers and others living with the child"),
        Section("professionals", "Professionals involved"),
        Section("what_happened", "What happened"),
        Section("body_map", "Body map"),
        Section("chronology", "Chronology summary"),
        Section("analysis", "Risks, needs, strengths and protective factors"),
        Section("actions", "Immediate actions taken"),
        Section("asking_for", "What is being asked for"),
    )


# --- the labelled values of each part ---------------------------------------------------


def referrer_fields(doc: ReferralDocument) -> list[FormField]:
    organisation = doc.organisation
    if doc.organisation_type_label:
        organisation = f"{organisation} ({doc.organisation_type_label})"
    return [
        FormField("Name", doc.referrer_name),
        FormField("Role", doc.referrer_role),
        FormField("Relationship to the child", doc.referrer_relationship, wide=True),
        FormField("Organisation", organisation, wide=True),
        FormField("Contact", doc.referrer_contact, wide=True),
        FormField("Organisation's contact", doc.organisation_contact, wide=True),
    ]


def consent_fields(doc: ReferralDocument) -> list[FormField]:
    not_told = "Not applicable: they know." if doc.parents_told else doc.parents_not_told_reason
    views = doc.parents_views
    if doc.parents_told is False and not views.strip():
        views = "Not asked: they have not been told."
    return [
        FormField("Do parents or carers know?", yes_no(doc.parents_told), wide=True),
        FormField("If not, why not", not_told, wide=True),
        FormField("Their views of the referral", views, wide=True),
        FormField("Consent to share", doc.consent_label, wide=True),
        FormField("Why (consent given, refused or not sought)", doc.consent_reason, wide=True),
        FormField("Lawful basis for sharing", doc.lawful_basis, wide=True),
    ]


def child_fields(child: ChildRow) -> list[FormField]:
    """What every council's form asks about the child, in the order most of them ask it."""
    if child.unborn:
        expected = long_date(child.expected_on)
        born = f"Not born yet: expected {expected}" if expected else "Not born yet"
    else:
        born = long_date(child.date_of_birth) or NOT_KNOWN
    age = f"{child.age}" if child.age is not None else ""
    return [
        FormField("Name", child.name),
        FormField("Other names", child.other_names),
        FormField("Date of birth", born),
        FormField("Age", age),
        FormField("Gender", child.gender),
        FormField("Ethnicity", child.ethnicity),
        FormField("First language", child.language),
        FormField("Interpreter needed", yes_no(child.interpreter_needed, NOT_KNOWN)),
        FormField("Religion", child.religion),
        FormField("NHS number", child.nhs_number),
        FormField("School, club or group", child.group),
        FormField("Disability", yes_no(child.disability, NOT_KNOWN)),
        FormField("Special educational needs", child.send_label or NOT_KNOWN, wide=True),
        FormField("Additional needs", child.additional_needs, wide=True),
        FormField("Address", child.address, wide=True),
        FormField("Lives with", child.lives_with, wide=True),
        FormField("GP", child.gp, wide=True),
        FormField("Social worker", child.social_worker or "None known", wide=True),
        FormField("Plans and statuses now", child.statuses or NONE_RECORDED, wide=True),
    ]


def child_now_fields(doc: ReferralDocument) -> list[FormField]:
    return [
        FormField("How urgent", doc.urgency_label, wide=True),
        FormField("Where the child is now, and whether safe tonight", doc.child_now, wide=True),
        FormField("The child's own views and wishes", doc.child_views, wide=True),
    ]


HARM_HEADING = "The person believed to be causing harm"
NO_ONE_NAMED = "No one named"


def harm_fields(person: PersonRow) -> list[FormField]:
    return [
        FormField("Name", person.name),
        FormField("Relationship to the child", person.relationship_or_role),
        FormField("Lives with the child", yes_no(person.lives_with_child, NOT_KNOWN)),
        FormField("Contact with other children", person.contact, wide=True),
    ]


def event_fields(doc: ReferralDocument) -> list[FormField]:
    """When and where it happened, who wrote it down, and what kind of harm."""
    return [
        FormField("When", long_date(doc.occurred_at)),
        FormField("Recorded by", doc.recorded_by),
        FormField("Where", doc.location, wide=True),
        FormField("Categories", "; ".join(doc.categories), wide=True),
    ]


ROUTES_HEADING = "Agencies already informed, and other routes"
POLICE_HEADING = "The call to the police (999)"
OTHER_ACTIONS_HEADING = "Other actions taken"


def route_fields(doc: ReferralDocument) -> list[FormField]:
    """The agencies already told (every council's form asks) and the decision's other routes."""
    informed = doc.agencies_informed or NONE_RECORDED
    fields = [FormField("Agencies already informed", informed, wide=True)]
    fields += [FormField("Route", line, wide=True) for line in doc.routes]
    return fields


def police_fields(police: PoliceRow) -> list[FormField]:
    return [
        FormField("Called", long_date(police.called_at)),
        FormField("Incident number", police.incident_number),
        FormField("Spoke to", police.spoke_to, wide=True),
        FormField("What the police said", police.notes, wide=True),
    ]


LADO_CONTACT_HEADING = "Contact with the LADO"


def lado_contact_fields(lado: LadoRow) -> list[FormField]:
    if lado.contacted_at is None:
        return [FormField("Contacted", "Not yet: this referral is the first contact", wide=True)]
    return [
        FormField("Contacted", long_date(lado.contacted_at), wide=True),
        FormField("LADO officer", lado.officer, wide=True),
        FormField("The LADO's advice", lado.advice, wide=True),
    ]


def adult_fields(adult: AdultDetails, lado: LadoRow | None) -> list[FormField]:
    return [
        FormField("Name", adult.name),
        FormField("Date of birth", long_date(adult.date_of_birth)),
        FormField("Role", adult.role),
        FormField(
            "Works as", EMPLOYMENT_LABELS.get(adult.employment_basis, adult.employment_basis)
        ),
        FormField("Started", long_date(adult.started_on)),
        FormField("Left", _left(adult, lado)),
        FormField("Where they work with children", adult.workplace, wide=True),
        FormField("Other work with children", adult.other_work_with_children, wide=True),
        FormField("Their own children", adult.own_children, wide=True),
        FormField("Do they know of the allegation?", yes_no(adult.aware, NOT_KNOWN), wide=True),
        FormField("Earlier allegations or concerns about them", adult.previous_concerns, wide=True),
        FormField("Contact details", adult.contact, wide=True),
    ]


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


def interim_fields(lado: LadoRow) -> list[FormField]:
    return [
        FormField("Interim step", lado.interim_label, wide=True),
        FormField("Why", lado.interim_reason, wide=True),
    ]


def allegation_fields(doc: ReferralDocument) -> list[FormField]:
    raised = doc.lado.raised_by if doc.lado is not None else ""
    return [*event_fields(doc), FormField("Who raised the allegation", raised, wide=True)]


# People and events in tables: headings, and one row of cells each.

HOUSEHOLD_HEADINGS = (
    "Name",
    "Relationship to the child",
    "Date of birth",
    "Parental responsibility",
    "Lives with the child",
    "Contact",
)
PROFESSIONAL_HEADINGS = ("Name", "Role", "Organisation", "Contact")
CHRONOLOGY_HEADINGS = ("When", "What happened or was done")
CHRONOLOGY_LINE = 600  # the most of one chronology line a referral prints


def chronology_cells(when: date | datetime, what: str) -> list[str]:
    """A chronology line: its date (abbreviated) and what happened, on one line, cut short."""
    line = single_line(what)
    if len(line) > CHRONOLOGY_LINE:
        line = line[: CHRONOLOGY_LINE - 1].rstrip() + "\u2026"
    return [short_date(when), line]


def household_cells(person: PersonRow) -> list[str]:
    return [
        person.name,
        person.relationship_or_role,
        long_date(person.date_of_birth),
        yes_no(person.parental_responsibility, NOT_KNOWN),
        yes_no(person.lives_with_child, NOT_KNOWN),
        person.contact,
    ]


def professional_cells(person: PersonRow) -> list[str]:
    return [person.name, person.relationship_or_role, person.organisation, person.contact]


# --- the same, as plain text ------------------------------------------------------------


def section_texts(doc: ReferralDocument) -> tuple[SectionText, ...]:
    """Every numbered section of ``doc`` as plain text, as the PDF prints it."""
    return tuple(
        SectionText(section.key, section.title, _TEXTS[section.key](doc).strip("\n"))
        for section in form_sections(doc)
    )


def _fields(fields: Iterable[FormField]) -> str:
    """ "Label: value" lines; a value of several lines starts on the line after its label."""
    lines = []
    for item in fields:
        value = item.value.strip("\n") if item.value.strip() else NOT_RECORDED
        lines.append(f"{item.label}:\n{value}" if "\n" in value else f"{item.label}: {value}")
    return "\n".join(lines)


def _long(label: str, text: str, *, quoted: bool = False) -> str:
    body = text.strip("\n")
    if not body.strip():
        body = NONE_RECORDED
    elif quoted:
        body = f"\u201c{body}\u201d"
    return f"{label}:\n{body}" if label else body


def _parts(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _amended(doc: ReferralDocument) -> str:
    note = doc.amendments_note.strip()
    return f"Amended record: {note}" if note else ""


def _table(headings: Iterable[str], rows: list[list[str]]) -> str:
    """One person or event a line, each cell labelled with its column's heading."""
    if not rows:
        return NONE_RECORDED
    names = list(headings)
    return "\n".join(
        "; ".join(
            f"{name}: {cell.strip() or NOT_RECORDED}" for name, cell in zip(names, row, strict=True)
        )
        for row in rows
    )


def _keep_from_family(doc: ReferralDocument) -> str:
    return f"{KEEP_FROM_FAMILY_LEAD}:\n{doc.keep_from_family.strip()}"


def _children(doc: ReferralDocument) -> str:
    if not doc.children:
        return NONE_RECORDED
    count = len(doc.children)
    return _parts(
        *(
            (f"Child {number} of {count}\n" if count > 1 else "") + _fields(child_fields(child))
            for number, child in enumerate(doc.children, start=1)
        )
    )


def _child_now(doc: ReferralDocument) -> str:
    person = doc.person_causing_harm
    harm = _fields(harm_fields(person)) if person is not None else NO_ONE_NAMED
    return _parts(_fields(child_now_fields(doc)), f"{HARM_HEADING}:\n{harm}")


def _what_happened(doc: ReferralDocument) -> str:
    return _parts(
        _amended(doc),
        _long("Summary of the concern", doc.content.summary),
        _fields([*event_fields(doc), FormField("Who else was there", doc.others_present, True)]),
        _seen_and_said(doc),
        _long("How the child presented", doc.presentation),
    )


def _seen_and_said(doc: ReferralDocument) -> str:
    return _parts(
        _long("What was seen and heard", doc.observed),
        _long("The child's own words", doc.content.child_words, quoted=True),
    )


def _body_map(doc: ReferralDocument) -> str:
    if not doc.body_map:
        return NONE_RECORDED
    views = {"front": "Front", "back": "Back"}
    notes = [
        f"{mark.number}. {views.get(mark.view, mark.view)}: "
        + (mark.note.strip() or "No note recorded.")
        for mark in sorted(doc.body_map, key=lambda mark: mark.number)
    ]
    return _parts(BODY_MAP_INTRO, "Notes on the marks:\n" + "\n".join(notes))


def _chronology(doc: ReferralDocument) -> str:
    rows = [chronology_cells(row.when, row.what) for row in doc.chronology]
    return _table(CHRONOLOGY_HEADINGS, rows)


def _analysis(doc: ReferralDocument) -> str:
    return _parts(
        _long("Risks", doc.content.risks),
        _long("Needs", doc.content.needs),
        _long("Strengths and protective factors", doc.content.strengths),
    )


def _actions(doc: ReferralDocument) -> str:
    parts = []
    if doc.kind is ReferralKind.LADO and doc.lado is not None:
        parts.append(f"{LADO_CONTACT_HEADING}:\n{_fields(lado_contact_fields(doc.lado))}")
    if doc.police is None:
        parts.append(_long("", doc.content.immediate_actions))
    else:
        parts += [
            f"{POLICE_HEADING}:\n{_fields(police_fields(doc.police))}",
            _long(OTHER_ACTIONS_HEADING, doc.content.immediate_actions),
        ]
    return _parts(*parts, f"{ROUTES_HEADING}:\n{_fields(route_fields(doc))}")


def _adult(doc: ReferralDocument) -> str:
    return NONE_RECORDED if doc.adult is None else _fields(adult_fields(doc.adult, doc.lado))


def _allegation(doc: ReferralDocument) -> str:
    summary = doc.content.summary
    return _parts(
        LADO_WARNING,
        _amended(doc),
        _fields(allegation_fields(doc)),
        _long("What is alleged", doc.allegation),
        _seen_and_said(doc),
        _long("Summary", summary) if summary.strip() else "",
    )


def _interim(doc: ReferralDocument) -> str:
    lado = doc.lado
    if lado is None or not lado.interim_label:
        return NONE_RECORDED
    return _fields(interim_fields(lado))


_TEXTS = {
    "keep_from_family": _keep_from_family,
    "referrer": lambda doc: _fields(referrer_fields(doc)),
    "consent": lambda doc: _fields(consent_fields(doc)),
    "children": _children,
    "child_now": _child_now,
    "household": lambda doc: _table(
        HOUSEHOLD_HEADINGS, [household_cells(p) for p in doc.household]
    ),
    "professionals": lambda doc: _table(
        PROFESSIONAL_HEADINGS, [professional_cells(p) for p in doc.professionals]
    ),
    "what_happened": _what_happened,
    "body_map": _body_map,
    "chronology": _chronology,
    "analysis": _analysis,
    "actions": _actions,
    "asking_for": lambda doc: _long("", doc.content.asking_for),
    "adult": _adult,
    "allegation": _allegation,
    "interim": _interim,
}

# Every key a section may have, on either form (copying names the section by its key).
SECTION_KEYS = frozenset(_TEXTS)
