"""What a referral says, and everything a referral PDF prints, as plain data.

The DSL writes a referral's content in the handoff wizard (prefilled from the concern
and the chronology). When the PDF is made, services gather the rest (the child's
details, household, professionals, the concern itself, a chronology summary, the
audit anchor) into one :class:`ReferralDocument`, which pdf/ turns into pages. Nothing
in pdf/ reads the database: what is printed is exactly what is in this object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .errors import BadInput
from .text import clean_name, clean_text


class ReferralKind(StrEnum):
    SOCIAL_CARE = "social_care"
    EARLY_HELP = "early_help"
    PREVENT = "prevent"
    LADO = "lado"

    @property
    def title(self) -> str:  # type: ignore[override]  # str.title is never wanted on an id
        """The document's title."""
        return {
            ReferralKind.SOCIAL_CARE: "Referral to children's social care",
            ReferralKind.EARLY_HELP: "Early help request",
            ReferralKind.PREVENT: "Prevent referral",
            ReferralKind.LADO: "Referral to the Local Authority Designated Officer (LADO)",
        }[self]

    @property
    def label(self) -> str:
        return {
            ReferralKind.SOCIAL_CARE: "Children's social care",
            ReferralKind.EARLY_HELP: "Early help",
            ReferralKind.PREVENT: "Prevent",
            ReferralKind.LADO: "LADO",
        }[self]


class ReferralStatus(StrEnum):
    DRAFT = "draft"  # decided, PDF not yet made
    SENT = "sent"  # signed PDF made; waiting for the agency's response
    CLOSED = "closed"  # the agency's response is recorded

    @property
    def label(self) -> str:
        return {
            ReferralStatus.DRAFT: "Not sent yet",
            ReferralStatus.SENT: "Sent, awaiting response",
            ReferralStatus.CLOSED: "Response recorded",
        }[self]


EMPLOYMENT_BASES = ("employed", "volunteer", "contractor", "agency", "other")


class InterimStep(StrEnum):
    """What the employer has done about the adult while the LADO advises (KCSIE Part 4)."""

    SUSPENDED = "suspended"
    REDEPLOYED = "redeployed"  # moved to work away from children
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            InterimStep.SUSPENDED: "Suspended",
            InterimStep.REDEPLOYED: "Redeployed: moved to work away from children",
            InterimStep.NONE: "No interim step",
        }[self]


@dataclass(frozen=True)
class AdultDetails:
    """The adult an allegation is about (LADO referral)."""

    name: str
    role: str
    employment_basis: str = "employed"  # one of EMPLOYMENT_BASES
    started_on: date | None = None
    ended_on: date | None = None
    workplace: str = ""
    date_of_birth: date | None = None
    contact: str = ""
    other_work_with_children: str = ""  # elsewhere they work or volunteer with children
    aware: bool | None = None  # whether the adult knows of the allegation; None: not known
    previous_concerns: str = ""  # earlier allegations or low-level concerns about them
    own_children: str = ""  # their own children, and children they live with

    @classmethod
    def checked(cls, **values: object) -> AdultDetails:
        basis = str(values.get("employment_basis") or "employed")
        if basis not in EMPLOYMENT_BASES:
            raise BadInput("Choose how the adult works with you.", "lado.adult.employment_basis")
        started, ended = values.get("started_on"), values.get("ended_on")
        for key, value in (
            ("started_on", started),
            ("ended_on", ended),
            ("date_of_birth", values.get("date_of_birth")),
        ):
            if value is not None and not isinstance(value, date):
                raise BadInput("That date is not a date.", f"lado.adult.{key}")
        if isinstance(started, date) and isinstance(ended, date) and ended < started:
            raise BadInput("The end date is before the start date.", "lado.adult.ended_on")

        def line(key: str, label: str, required: bool = False) -> str:
            return clean_text(
                values.get(key, ""),
                f"lado.adult.{key}",
                max_length=500,
                multiline=False,
                required=required,
                label=label,
            ).strip()

        born = values.get("date_of_birth")
        aware = values.get("aware")
        if aware is not None and not isinstance(aware, bool):
            raise BadInput("Say whether the adult knows: true or false.", "lado.adult.aware")

        def long_text(key: str, label: str) -> str:
            return clean_text(
                values.get(key, ""), f"lado.adult.{key}", max_length=5_000, label=label
            )

        return cls(
            name=clean_name(values.get("name"), "lado.adult.name", label="The adult's name"),
            role=line("role", "The adult's role", required=True),
            employment_basis=basis,
            started_on=started if isinstance(started, date) else None,
            ended_on=ended if isinstance(ended, date) else None,
            workplace=line("workplace", "Where they work with children"),
            date_of_birth=born if isinstance(born, date) else None,
            contact=clean_text(
                values.get("contact", ""),
                "lado.adult.contact",
                max_length=1_000,
                label="Contact details",
            ).strip(),
            other_work_with_children=long_text(
                "other_work_with_children", "Their other work with children"
            ),
            aware=aware,
            previous_concerns=long_text("previous_concerns", "Earlier concerns about them"),
            own_children=long_text("own_children", "Their own children"),
        )


@dataclass(frozen=True)
class ReferralContent:
    """The part of a referral the DSL writes (prefilled, always editable)."""

    summary: str
    child_words: str = ""
    risks: str = ""
    needs: str = ""
    strengths: str = ""
    asking_for: str = ""
    immediate_actions: str = ""

    @classmethod
    def checked(cls, **values: object) -> ReferralContent:
        def text(key: str, label: str, required: bool = False) -> str:
            return clean_text(
                values.get(key, ""), f"referral.{key}", required=required, label=label
            )

        return cls(
            summary=text("summary", "Summary of the concern", required=True),
            child_words=text("child_words", "The child's own words"),
            risks=text("risks", "Risks"),
            needs=text("needs", "Needs"),
            strengths=text("strengths", "Strengths and protective factors"),
            asking_for=text("asking_for", "What you are asking for"),
            immediate_actions=text("immediate_actions", "Actions already taken"),
        )

    def to_json(self) -> dict[str, str]:
        return dict(self.__dict__)


# What the PDF prints -----------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    """A household member or professional, as printed."""

    name: str
    relationship_or_role: str
    date_of_birth: date | None = None
    parental_responsibility: bool | None = None  # None: not applicable (professionals)
    organisation: str = ""
    contact: str = ""
    lives_with_child: bool | None = None  # the person believed to cause harm; None: not known


@dataclass(frozen=True)
class ChildRow:
    name: str
    date_of_birth: date | None
    age: int | None
    gender: str = ""
    ethnicity: str = ""
    language: str = ""
    address: str = ""
    group: str = ""
    additional_needs: str = ""
    other_names: str = ""
    religion: str = ""
    interpreter_needed: bool | None = None  # None: not known
    disability: bool | None = None  # None: not known
    send_label: str = ""  # special educational needs, in words; "" when not known
    unborn: bool = False
    expected_on: date | None = None
    nhs_number: str = ""
    lives_with: str = ""  # who the child lives with
    gp: str = ""  # from the child's professionals: name, practice, contact
    social_worker: str = ""  # likewise: a social worker already involved
    statuses: str = ""  # current plans and statuses (domain/child_status.py), "; " between


@dataclass(frozen=True)
class BodyMarkRow:
    number: int
    view: str  # "front" or "back"
    x: float
    y: float
    note: str = ""


@dataclass(frozen=True)
class ChronologyRow:
    when: datetime
    what: str  # one line; no text the recipient does not need


@dataclass(frozen=True)
class PoliceRow:
    """The 999 call the decision records, as printed."""

    called_at: datetime | None
    incident_number: str = ""
    spoke_to: str = ""
    notes: str = ""  # what the police said or advised


@dataclass(frozen=True)
class LadoRow:
    """What the decision records of the LADO route beyond the adult and the allegation."""

    contacted_at: datetime | None  # None: not contacted yet; this referral is the first word
    officer: str = ""
    advice: str = ""  # what the LADO advised when contacted
    raised_by: str = ""  # who raised the allegation, and how it came to light
    interim_label: str = ""  # the interim step, in words
    interim_reason: str = ""


@dataclass(frozen=True)
class ReferralDocument:
    """Everything one referral PDF shows, already checked and display-safe."""

    kind: ReferralKind
    reference: str  # the referral's own reference, e.g. R-7K3M-Q9TX
    concern_ref: str
    made_on: datetime
    organisation: str
    organisation_type_label: str  # "School", "Sports club" ...
    organisation_contact: str
    referrer_name: str
    referrer_role: str  # "Designated Safeguarding Lead" / "Welfare Officer"
    referrer_contact: str
    content: ReferralContent
    children: tuple[ChildRow, ...]
    household: tuple[PersonRow, ...] = ()
    professionals: tuple[PersonRow, ...] = ()
    # What happened, from the concern (and its amendments, already applied and marked).
    occurred_at: datetime | None = None
    location: str = ""
    observed: str = ""
    presentation: str = ""  # how the child seemed
    others_present: str = ""
    categories: tuple[str, ...] = ()  # category labels
    recorded_by: str = ""
    body_map: tuple[BodyMarkRow, ...] = ()
    chronology: tuple[ChronologyRow, ...] = ()
    # Information sharing (None for a LADO referral, which has its own rules).
    consent_label: str = ""
    consent_reason: str = ""
    lawful_basis: str = ""
    parents_told: bool | None = None
    parents_not_told_reason: str = ""
    # The child's situation, from the decision (every council's form asks these).
    urgency_label: str = ""
    child_views: str = ""
    child_now: str = ""
    keep_from_family: str = ""  # printed in a marked box: not to be shared with the family
    person_causing_harm: PersonRow | None = None
    referrer_relationship: str = ""
    parents_views: str = ""  # the parents' or carers' views of the referral
    # The 999 call, when a child was in immediate danger.
    police: PoliceRow | None = None
    # Agencies already told, with dates, and the decision's other routes (the police, the
    # FGM report, Prevent), each one line (domain/routes.py).
    agencies_informed: str = ""
    routes: tuple[str, ...] = ()
    # LADO only.
    adult: AdultDetails | None = None
    allegation: str = ""
    lado: LadoRow | None = None
    # Printed so the recipient can check the signer and anchor the audit log.
    certificate_fingerprint: str = ""
    audit_seq: int = 0
    audit_head: str = ""
    amendments_note: str = ""
