"""Signed referral PDFs: the organisation's signing identity, building, signing, saving.

The signing key lives inside the encrypted case database (a setting row), made at setup
or, for a store made before there were referrals, at the first DSL sign-in that needs
it; an administrator can replace it with one imported from a PKCS#12 file. A referral
is assembled from the records into a :class:`ReferralDocument`, drawn by pdf/,
optionally encrypted with a password (before signing: re-saving a signed PDF breaks
the signature), signed, and only then written; the file's SHA-256 goes into the audit
log and the referral is marked sent.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.casework import AMENDABLE_FIELDS
from ..domain.categories import category, is_category
from ..domain.child_situation import Urgency
from ..domain.child_status import StatusRecord
from ..domain.children import (
    HouseholdMember,
    Professional,
    ProfessionalKind,
    age_on,
    key_professionals,
    lives_with_words,
    name_key,
    professional_line,
)
from ..domain.concern import TEXT_FIELDS, Child, Concern
from ..domain.date_words import long_date
from ..domain.errors import BadInput, CheckFailed, IncompleteDecision, NotPermitted
from ..domain.handoff import Consent
from ..domain.organisation import OrgType, Role
from ..domain.other_children import masked
from ..domain.recorder_words import recorder_words
from ..domain.records import ChildRecord, ReferralRecord
from ..domain.referral import (
    AdultDetails,
    BodyMarkRow,
    ChildRow,
    ChronologyRow,
    InterimStep,
    LadoRow,
    PersonRow,
    PoliceRow,
    ReferralContent,
    ReferralDocument,
    ReferralKind,
    ReferralStatus,
)
from ..domain.referral_gaps import referral_gaps
from ..domain.referral_sections import SECTION_KEYS, SectionText, section_texts
from ..domain.routes import routes_from_json
from ..domain.text import clean_text, display_safe, single_line
from ..pdf.encryption import check_pdf_password as check_pdf_password
from ..pdf.encryption import encrypt_pdf, is_encrypted
from ..pdf.signing_identity import SigningIdentity, generate_signing_identity, load_pkcs12
from ..storage import audit_log, case_records, casework_records, children_records
from . import casework, children
from .changes import Changes, Setting
from .child_choice import child_words, choose_child, latest_decision
from .export_file import save_audited

if TYPE_CHECKING:
    from ..pdf.verification import VerifyResult
    from ..storage.case_database import Connection
    from .casework import ConcernFile, LinkChoice
    from .session import CaseSession

log = logging.getLogger(__name__)

IDENTITY_SETTING = "signing_identity"
REFERRER_CONTACT_SETTING = "referrer_contact:"  # + user name
ORGANISATION_CONTACT_SETTING = "organisation_contact"
# The most recent chronology lines a referral prints; the recipient can ask for more.
CHRONOLOGY_ROWS = 40


@dataclass(frozen=True)
class CertificateInfo:
    fingerprint_sha256: str
    organisation: str
    valid_until: datetime
    source: str  # "generated" or "imported"


@dataclass(frozen=True)
class ReferralPdf:
    """A signed referral, in memory, ready to preview and save."""

    referral_ref: str
    concern_ref: str
    pdf: bytes
    sha256: str
    encrypted: bool
    suggested_name: str  # never a child's name
    names_other_children: bool = False  # the DSL chose to name the concern's other children
    # Each numbered section as plain text, made from the very document the PDF was drawn
    # from: what a lead copies into a council's web portal says what the PDF says.
    sections: tuple[SectionText, ...] = ()


# Signing identity --------------------------------------------------------------------


def store_signing_identity(conn: Connection, identity: SigningIdentity, source: str) -> None:
    """Keep ``identity`` inside the case database; call inside a transaction."""
    case_records.set_setting(
        conn,
        IDENTITY_SETTING,
        {
            "key_pem": identity.key_pem.decode("ascii"),
            "cert_pem": identity.cert_pem.decode("ascii"),
            "chain_pem": identity.chain_pem.decode("ascii"),
            "source": source,
        },
    )


def _stored_identity(conn: Connection) -> tuple[SigningIdentity, str] | None:
    data = case_records.get_setting(conn, IDENTITY_SETTING)
    if not isinstance(data, dict):
        return None
    identity = SigningIdentity.from_pem(
        str(data["key_pem"]).encode("ascii"),
        str(data["cert_pem"]).encode("ascii"),
        str(data.get("chain_pem", "")).encode("ascii"),
    )
    return identity, str(data.get("source", "generated"))


def signing_identity(session: CaseSession) -> SigningIdentity:
    """The organisation's signing identity; made now if this store has none yet."""
    conn = session.conn
    stored = _stored_identity(conn)
    if stored is not None:
        return stored[0]
    identity = generate_signing_identity(session.organisation.name)
    with case_records.transaction(conn):
        # Another call may have made one meanwhile (one worker thread, but be sure).
        again = _stored_identity(conn)
        if again is not None:
            return again[0]
        store_signing_identity(conn, identity, "generated")
        audit_log.append(
            conn,
            session.user.username,
            "signing_certificate_created",
            {"fingerprint": identity.fingerprint_sha256},
        )
    return identity


def certificate_info(session: CaseSession) -> CertificateInfo:
    identity = signing_identity(session)
    stored = _stored_identity(session.conn)
    source = stored[1] if stored else "generated"
    return CertificateInfo(
        fingerprint_sha256=identity.fingerprint_sha256,
        organisation=identity.organisation,
        valid_until=identity.valid_until,
        source=source,
    )


def import_signing_identity(session: CaseSession, pkcs12: bytes, password: str) -> CertificateInfo:
    """Replace the signing identity with one from a PKCS#12 file (administrators only)."""
    if session.user.role is not Role.ADMIN:
        raise NotPermitted("Only an administrator can change the signing certificate.")
    identity = load_pkcs12(pkcs12, password.encode("utf-8"))
    conn = session.conn
    old = _stored_identity(conn)
    with case_records.transaction(conn):
        store_signing_identity(conn, identity, "imported")
        audit_log.append(
            conn,
            session.user.username,
            "signing_certificate_imported",
            {
                "fingerprint": identity.fingerprint_sha256,
                "replaced": old[0].fingerprint_sha256 if old else None,
            },
        )
    return certificate_info(session)


def certificate_pem(session: CaseSession) -> bytes:
    """The organisation's certificate (public), for checking signatures."""
    return signing_identity(session).cert_pem


# Contact lines printed on referrals ----------------------------------------------------------


def referrer_contact(session: CaseSession) -> str:
    value = case_records.get_setting(
        session.conn, REFERRER_CONTACT_SETTING + session.user.username, ""
    )
    return str(value or "")


def set_referrer_contact(session: CaseSession, contact: str) -> Changes:
    """How recipients reach the signed-in DSL (phone, email); printed on their referrals."""
    text = clean_text(contact, "referrer_contact", max_length=500, label="Your contact details")
    with case_records.transaction(session.conn):
        case_records.set_setting(
            session.conn, REFERRER_CONTACT_SETTING + session.user.username, text.strip()
        )
        audit_log.append(
            session.conn, session.user.username, "setting_changed", {"setting": "referrer_contact"}
        )
    return Changes.of(settings=[Setting.REFERRER_CONTACT])


def organisation_contact(session: CaseSession) -> str:
    return str(case_records.get_setting(session.conn, ORGANISATION_CONTACT_SETTING, "") or "")


def set_organisation_contact(session: CaseSession, contact: str) -> Changes:
    """The organisation's address and phone, printed on every referral (administrators)."""
    if session.user.role is not Role.ADMIN:
        raise NotPermitted("Only an administrator can change the organisation's details.")
    text = clean_text(contact, "organisation_contact", max_length=1_000, label="Address and phone")
    with case_records.transaction(session.conn):
        case_records.set_setting(session.conn, ORGANISATION_CONTACT_SETTING, text.strip())
        audit_log.append(
            session.conn,
            session.user.username,
            "setting_changed",
            {"setting": "organisation_contact"},
        )
    return Changes.of(settings=[Setting.ORGANISATION_CONTACT])


# Referral records ----------------------------------------------------------------------------


def referral_record(session: CaseSession, referral_ref: str) -> ReferralRecord:
    record = casework_records.get_referral(session.conn, referral_ref.strip().upper())
    if record is None:
        raise BadInput(
            f"There is no referral with the reference {referral_ref.strip()[:20]}.", "referral"
        )
    return record


def update_referral_content(
    session: CaseSession, referral_ref: str, content: ReferralContent
) -> Changes:
    """Edit what a referral says before it is sent (the record keeps the edit, audited)."""
    record = referral_record(session, referral_ref)
    if record.status is not ReferralStatus.DRAFT:
        raise BadInput(
            "This referral has been sent; its content cannot change. Record what happened "
            "next as an action instead.",
            "referral",
        )
    checked = ReferralContent.checked(**content.to_json())
    conn = session.conn
    with case_records.transaction(conn):
        casework_records.update_referral_content(conn, record.referral_id, checked, record.extra)
        audit_log.append(conn, session.user.username, "referral_edited", {"referral": record.ref})
    return Changes.of(concerns=[record.concern_ref], referrals=[record.ref])


def referral_for_child(
    session: CaseSession,
    concern_ref: str,
    child: str | int | None = None,
    kind: ReferralKind | None = None,
) -> ReferralRecord:
    """The referral the child's newest decision made (of ``kind``, if given).

    ``child`` is a name or child record id, and may be left out when the concern names
    one child. A referral is made only by a recorded decision for that child (the
    handoff wizard or ``decide``): with none, or one that makes no referral, this is
    refused with a sentence saying what to do.
    """
    file = casework.concern_file(session, concern_ref, audit=False, suggestions=False)
    choice = choose_child(file, child, field="--child")
    who = child_words(choice.position, len(file.children))
    decision = latest_decision(file, choice.position)
    if decision is None:
        raise BadInput(
            f"No decision is recorded for {who} yet. Record it first, in the handoff "
            "wizard or with the decide command; the referral is made from it.",
            "--child",
        )
    made = [
        r
        for r in file.referrals
        if r.decision_id == decision.decision_id and (kind is None or r.kind is kind)
    ]
    if not made:
        raise BadInput(
            f"The decision recorded for {who} makes no "
            + (f"{kind.label} referral." if kind is not None else "referral.")
            + " Record a new decision if a referral is now needed.",
            "--kind" if kind is not None else "--child",
        )
    open_ones = [r for r in made if r.status is not ReferralStatus.CLOSED]
    return (open_ones or made)[-1]


def signing_gaps(session: CaseSession, record: ReferralRecord) -> list[tuple[str, str]]:
    """Why ``record`` may not be signed yet; empty when it may. Every gap at once."""
    file = casework.concern_file(session, record.concern_ref, audit=False, suggestions=False)
    if record.child_position is None:
        return [
            (
                "child",
                "This referral was drafted for the whole concern by an earlier version, "
                "before each child had their own. Record a decision for each child; "
                "each decision makes that child's referral.",
            )
        ]
    who = child_words(record.child_position, len(file.children))
    decision = next((d for d in file.decisions if d.decision_id == record.decision_id), None)
    if decision is None or decision.child_position != record.child_position:
        return [
            (
                "decision",
                f"No decision is recorded for {who} behind this referral. Record it in "
                "the handoff wizard or with the decide command.",
            )
        ]
    gaps = referral_gaps(record.kind, decision.details)
    if not record.content.summary.strip():
        gaps.append(("referral.summary", "Fill in what the referral will say."))
    return gaps


# The document --------------------------------------------------------------------------------


def build_referral_document(
    session: CaseSession,
    referral_ref: str,
    *,
    made_on: datetime | None = None,
    as_of: datetime | None = None,
    name_other_children: bool = False,
) -> ReferralDocument:
    """Everything the referral prints, gathered from the records (reads only).

    The referral is about its one child: that child's details, household,
    professionals and chronology only. Other children the concern names appear in the
    narrative as "another child (A.K.)" unless ``name_other_children``. A referral an
    earlier version made for a whole concern (no child) prints every child, as it was
    sent then.

    ``as_of`` (local time) leaves out chronology lines after it: a referral rebuilt for
    the full export (services/export.py) shows the lines it had when it was sent.
    """
    conn = session.conn
    record = referral_record(session, referral_ref)
    file = casework.concern_file(session, record.concern_ref, audit=False, suggestions=False)
    recorded = _with_amendments(file)
    made = made_on or datetime.now().replace(microsecond=0)
    org = session.organisation
    child_rows: list[ChildRow] = []
    household: list[PersonRow] = []
    professionals: list[PersonRow] = []
    chronology: list[ChronologyRow] = []
    seen_people: set[tuple[str, str]] = set()
    where_in_full = (
        "\u201cThe allegation\u201d"
        if record.kind is ReferralKind.LADO
        else "\u201cWhat happened\u201d"
    )
    position = record.child_position
    about = [c for c in file.children if position is None or c.position == position]
    others = [c for c in file.children if c not in about]
    household_names: set[str] = set()
    for choice in about:
        linked = choice.linked
        if linked is not None:
            members = [m.member for m in children_records.household(conn, linked.child_id)]
            household_names.update(name_key(m.name) for m in members)
            pros = [p.professional for p in children_records.professionals(conn, linked.child_id)]
            # The GP and a social worker already involved are printed with the child,
            # where every council's form asks for them; the others in the table.
            named = key_professionals(pros)
            child_rows.append(_child_row(linked, made.date(), members, named, choice.statuses))
            for m in members:
                if (m.name, m.relationship) not in seen_people:
                    seen_people.add((m.name, m.relationship))
                    household.append(
                        PersonRow(
                            name=display_safe(m.name),
                            relationship_or_role=display_safe(m.relationship),
                            date_of_birth=m.date_of_birth,
                            parental_responsibility=m.parental_responsibility,
                            contact=display_safe(m.contact),
                            lives_with_child=m.lives_with_child,
                        )
                    )
            shown_with_child = {id(p) for kind in named.values() for p in kind}
            for p in pros:
                if id(p) not in shown_with_child and (p.name, p.role) not in seen_people:
                    seen_people.add((p.name, p.role))
                    professionals.append(
                        PersonRow(
                            name=display_safe(p.name),
                            relationship_or_role=display_safe(p.role),
                            organisation=display_safe(p.organisation),
                            contact=display_safe(p.contact),
                        )
                    )
            for entry in children.chronology(session, linked.child_id):
                summary = entry.summary
                if entry.kind == "concern" and entry.ref == record.concern_ref:
                    # This referral's own concern is printed in full once, above.
                    summary = f"this referral's concern, printed in full under {where_in_full}"
                chronology.append(
                    ChronologyRow(
                        when=_moment(entry.when),
                        what=display_safe(single_line(f"{entry.title}: {summary}")),
                    )
                )
        else:
            child_rows.append(_named_child_row(choice.named, made.date()))
    chronology = sorted({(r.when, r.what): r for r in chronology}.values(), key=lambda r: r.when)
    if as_of is not None:
        chronology = [r for r in chronology if r.when <= as_of]
    decision = next((d for d in file.decisions if d.decision_id == record.decision_id), None)
    sharing = decision.details.get("information_sharing") if decision else None
    seq, head = audit_log.head(conn)
    doc = ReferralDocument(
        kind=record.kind,
        reference=record.ref,
        concern_ref=record.concern_ref,
        made_on=made,
        organisation=display_safe(org.name),
        organisation_type_label=org.org_type.label,
        organisation_contact=display_safe(organisation_contact(session)),
        referrer_name=display_safe(session.user.display_name),
        # The words of the signer's own account: an administrator doing session is
        # printed as one, not with the lead's title they may not hold.
        referrer_role=session.user.role.label(org.org_type),
        referrer_contact=display_safe(referrer_contact(session)),
        content=_safe_content(record.content),
        children=tuple(child_rows),
        household=tuple(household),
        professionals=tuple(professionals),
        occurred_at=_local(recorded.occurred_at),
        location=display_safe(recorded.location),
        observed=display_safe(recorded.observed),
        categories=tuple(category(c).label for c in recorded.categories if is_category(c)),
        recorded_by=display_safe(_recorded_by(file, org.org_type)),
        body_map=tuple(
            BodyMarkRow(number=i + 1, view=m.view, x=m.x, y=m.y, note=display_safe(m.note))
            for i, m in enumerate(recorded.body_map)
        ),
        chronology=tuple(chronology[-CHRONOLOGY_ROWS:]),
        certificate_fingerprint=signing_identity(session).fingerprint_sha256,
        audit_seq=seq,
        audit_head=head,
        amendments_note=_amendments_note(file),
        presentation=display_safe(recorded.presentation),
        others_present=display_safe(recorded.others_present),
    )
    if isinstance(sharing, dict) and record.kind is not ReferralKind.LADO:
        consent = str(sharing.get("consent", ""))
        doc = replace(
            doc,
            consent_label=Consent(consent).label if consent in Consent._value2member_map_ else "",
            consent_reason=display_safe(str(sharing.get("consent_reason") or "")),
            lawful_basis=display_safe(str(sharing.get("lawful_basis") or "")),
            parents_told=bool(sharing.get("parents_told")),
            parents_not_told_reason=display_safe(str(sharing.get("parents_not_told_reason") or "")),
        )
    situation = decision.details.get("situation") if decision else None
    if isinstance(situation, dict):
        doc = _with_situation(doc, situation)
    police = decision.details.get("police") if decision else None
    if isinstance(police, dict):
        doc = replace(doc, police=_police(police))
    routes = routes_from_json(decision.details.get("routes") if decision else None)
    lines = [r.words() for r in (routes.police_report, routes.fgm, routes.prevent) if r]
    doc = replace(
        doc,
        agencies_informed=display_safe("; ".join(a.words() for a in routes.agencies_informed)),
        routes=tuple(display_safe(line) for line in lines),
    )
    if record.kind is ReferralKind.LADO:
        adult = record.extra.get("adult")
        if isinstance(adult, dict):
            doc = replace(
                doc,
                adult=_adult(adult),
                allegation=display_safe(str(record.extra.get("allegation") or "")),
            )
        lado = decision.details.get("lado") if decision else None
        if isinstance(lado, dict):
            social_worker = str(lado.get("child_social_worker") or "")
            doc = replace(
                doc,
                lado=_lado(lado),
                children=tuple(_with_social_worker(c, social_worker) for c in doc.children),
            )
    # A brother or sister in the child's household is named in its table: hiding them in
    # the narrative would hide nothing, and read as if they were someone else.
    others = [
        c for c in others if not household_names.intersection(map(name_key, _child_names([c])))
    ]
    if others and not name_other_children:
        doc = _masked_document(doc, _child_names(others), _child_names(about)[0])
    return doc


def _child_names(choices: list[LinkChoice]) -> list[str]:
    """Every name each child goes by: as the recorder typed it, and their record's."""
    names: list[str] = []
    for choice in choices:
        names.append(choice.named.name)
        if choice.linked is not None:
            names.append(choice.linked.name)
    return [name for name in names if name.strip()] or [""]


def _with_situation(doc: ReferralDocument, situation: dict[str, object]) -> ReferralDocument:
    """``doc`` with what the decision says about the child's situation, as it prints it."""
    urgency = str(situation.get("urgency") or "")
    harm = situation.get("person_causing_harm")
    person = None
    if isinstance(harm, dict) and str(harm.get("name") or "").strip():
        lives = harm.get("lives_with_child")
        person = PersonRow(
            name=display_safe(str(harm.get("name") or "")),
            relationship_or_role=display_safe(str(harm.get("relationship") or "")),
            contact=display_safe(str(harm.get("contact_with_other_children") or "")),
            lives_with_child=lives if isinstance(lives, bool) else None,
        )
    return replace(
        doc,
        urgency_label=Urgency(urgency).label if urgency in Urgency._value2member_map_ else "",
        child_views=display_safe(str(situation.get("child_views") or "")),
        child_now=display_safe(str(situation.get("child_now") or "")),
        keep_from_family=display_safe(str(situation.get("keep_from_family") or "")),
        person_causing_harm=person,
        referrer_relationship=display_safe(str(situation.get("referrer_relationship") or "")),
        parents_views=display_safe(str(situation.get("parents_views") or "")),
    )


def _masked_document(doc: ReferralDocument, others: list[str], referred: str) -> ReferralDocument:
    """``doc`` with the other children's names in its narrative shown by initials."""

    def hide(text: str) -> str:
        return masked(text, others, referred)

    return replace(
        doc,
        content=ReferralContent(**{k: hide(v) for k, v in doc.content.to_json().items()}),
        location=hide(doc.location),
        observed=hide(doc.observed),
        presentation=hide(doc.presentation),
        others_present=hide(doc.others_present),
        amendments_note=hide(doc.amendments_note),
        consent_reason=hide(doc.consent_reason),
        parents_not_told_reason=hide(doc.parents_not_told_reason),
        allegation=hide(doc.allegation),
        child_views=hide(doc.child_views),
        parents_views=hide(doc.parents_views),
        child_now=hide(doc.child_now),
        keep_from_family=hide(doc.keep_from_family),
        police=None if doc.police is None else replace(doc.police, notes=hide(doc.police.notes)),
        lado=None
        if doc.lado is None
        else replace(
            doc.lado,
            advice=hide(doc.lado.advice),
            raised_by=hide(doc.lado.raised_by),
            interim_reason=hide(doc.lado.interim_reason),
        ),
        chronology=tuple(replace(row, what=hide(row.what)) for row in doc.chronology),
        body_map=tuple(replace(mark, note=hide(mark.note)) for mark in doc.body_map),
    )


def _safe_content(content: ReferralContent) -> ReferralContent:
    return ReferralContent(**{k: display_safe(v) for k, v in content.to_json().items()})


def _with_amendments(file: ConcernFile) -> Concern:
    """The concern with the latest correction to each of its text fields applied."""
    return file.concern.recorded.with_texts({a.field: a.new_value for a in file.amendments})


# The concern's text fields a correction replaces where the referral prints them.
_SHOWN_CORRECTED = TEXT_FIELDS


def _amendments_note(file: ConcernFile) -> str:
    """Which parts were corrected; a correction with no place of its own, in full.

    A correction to when it happened, to the child's details or to "something else" has
    no text of the concern to replace, so the note prints it (it was printed nowhere).
    """
    if not file.amendments:
        return ""
    fields = sorted({a.field.replace("_", " ") for a in file.amendments})
    note = (
        f"Corrections were recorded after the concern was written ({', '.join(fields)}); "
        "the corrected text is shown. The original is kept unchanged in the record."
    )
    latest = {a.field: a.new_value for a in file.amendments if a.field not in _SHOWN_CORRECTED}
    for field, value in latest.items():
        note += f" {AMENDABLE_FIELDS.get(field, field)}, as corrected: {single_line(value)}"
        note += "" if note.endswith((".", "!", "?")) else "."
    return note


def _recorded_by(file: ConcernFile, org_type: OrgType) -> str:
    submitter = file.concern.submitter
    when = _moment(file.concern.submitted_at)
    who = recorder_words(submitter, org_type)
    if submitter.get("unverified"):
        # Taken from quarantine by a lead (services/inbox_ingest.accept): say so.
        who += (
            f"; the sender could not be confirmed (accepted by "
            f"{submitter.get('accepted_by') or 'a lead'!s})"
        )
    elif submitter.get("sent_before_checks"):
        who += "; sent before this app checked who sent each concern"
    return f"{who}, {long_date(when)}"


def _moment(text: str) -> datetime:
    return _local(datetime.fromisoformat(text))


def _local(moment: datetime) -> datetime:
    """``moment`` in this PC's time, naive (a naive one already is)."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def _child_row(
    record: ChildRecord,
    on: date,
    household: list[HouseholdMember],
    named: dict[ProfessionalKind, list[Professional]],
    statuses: Iterable[StatusRecord] = (),
) -> ChildRow:
    d = record.details

    def people(kind: ProfessionalKind) -> str:
        return display_safe("; ".join(professional_line(p) for p in named[kind]))

    return ChildRow(
        name=display_safe(d.name),
        date_of_birth=d.date_of_birth,
        age=age_on(d.date_of_birth, on) if d.date_of_birth else d.approximate_age,
        gender=display_safe(d.gender),
        ethnicity=display_safe(d.ethnicity),
        language=display_safe(d.language),
        address=display_safe(d.address),
        group=display_safe(d.group),
        additional_needs=display_safe(d.additional_needs),
        other_names=display_safe(d.other_names),
        religion=display_safe(d.religion),
        interpreter_needed=d.interpreter_needed,
        disability=d.disability,
        send_label=d.send.label if d.send is not None else "",
        unborn=d.unborn,
        expected_on=d.expected_on,
        nhs_number=d.nhs_number,
        lives_with=display_safe(lives_with_words(d, household)),
        gp=people(ProfessionalKind.GP),
        social_worker=people(ProfessionalKind.SOCIAL_WORKER),
        statuses=display_safe("; ".join(s.words() for s in statuses)),
    )


def _named_child_row(named: Child, on: date) -> ChildRow:
    born = named.date_of_birth
    return ChildRow(
        name=display_safe(named.name),
        date_of_birth=born,
        age=age_on(born, on) if born else named.approximate_age,
        group=display_safe(named.group),
        additional_needs=display_safe(named.additional_needs),
    )


def _adult(data: dict[str, object]) -> AdultDetails:
    def day(key: str) -> date | None:
        value = data.get(key)
        return date.fromisoformat(value) if isinstance(value, str) and value else None

    return AdultDetails(
        name=display_safe(str(data.get("name") or "")),
        role=display_safe(str(data.get("role") or "")),
        employment_basis=str(data.get("employment_basis") or "other"),
        started_on=day("started_on"),
        ended_on=day("ended_on"),
        workplace=display_safe(str(data.get("workplace") or "")),
        date_of_birth=day("date_of_birth"),
        contact=display_safe(str(data.get("contact") or "")),
        other_work_with_children=display_safe(str(data.get("other_work_with_children") or "")),
        aware=aware if isinstance(aware := data.get("aware"), bool) else None,
        previous_concerns=display_safe(str(data.get("previous_concerns") or "")),
        own_children=display_safe(str(data.get("own_children") or "")),
    )


def _optional_moment(value: object) -> datetime | None:
    return _moment(value) if isinstance(value, str) and value else None


def _police(data: dict[str, object]) -> PoliceRow:
    return PoliceRow(
        called_at=_optional_moment(data.get("called_at")),
        incident_number=display_safe(str(data.get("incident_number") or "")),
        spoke_to=display_safe(str(data.get("spoke_to") or "")),
        notes=display_safe(str(data.get("notes") or "")),
    )


def _lado(data: dict[str, object]) -> LadoRow:
    interim = str(data.get("interim_steps") or "")
    return LadoRow(
        contacted_at=_optional_moment(data.get("contacted_at")),
        officer=display_safe(str(data.get("officer") or "")),
        advice=display_safe(str(data.get("advice") or "")),
        raised_by=display_safe(str(data.get("raised_by") or "")),
        interim_label=(
            InterimStep(interim).label if interim in InterimStep._value2member_map_ else ""
        ),
        interim_reason=display_safe(str(data.get("interim_reason") or "")),
    )


def _with_social_worker(child: ChildRow, named: str) -> ChildRow:
    """``child`` with the social worker the LADO decision names, beside any on their record."""
    named = display_safe(named.strip())
    if not named or named in child.social_worker:
        return child
    both = f"{child.social_worker}; {named}" if child.social_worker else named
    return replace(child, social_worker=both)


# Making, saving, verifying ------------------------------------------------------------------


def make_referral_pdf(
    session: CaseSession,
    referral_ref: str,
    *,
    pdf_password: str | None = None,
    name_other_children: bool = False,
) -> ReferralPdf:
    """Build and sign the referral in memory; nothing is written or recorded yet.

    Refused (:class:`IncompleteDecision`, every gap at once) unless the referral was
    made by its child's recorded, complete decision: the one check every path meets.
    Other children the concern names appear by their initials unless
    ``name_other_children`` (a choice the audit entry records when the PDF is saved).
    """
    record = referral_record(session, referral_ref)
    gaps = signing_gaps(session, record)
    if gaps:
        raise IncompleteDecision(gaps, "This referral cannot be signed yet:")
    # Any password given is checked, the empty one too: "protect it" with a password
    # that is refused must fail, never quietly make an unprotected PDF.
    if pdf_password is not None:
        check_pdf_password(pdf_password)
    document = build_referral_document(session, record.ref, name_other_children=name_other_children)
    # reportlab and pyHanko are imported when the first PDF is made, not at the app's start.
    from ..pdf import signing
    from ..pdf.referral_document import referral_pdf_bytes

    pdf = referral_pdf_bytes(document)
    if pdf_password is not None:
        pdf = encrypt_pdf(pdf, pdf_password)
    signed = signing.sign_pdf(
        pdf,
        signing_identity(session),
        signer_name=session.user.display_name,
        reason=f"{record.kind.label} referral {record.ref}",
        pdf_password=pdf_password,
    )
    return ReferralPdf(
        referral_ref=record.ref,
        concern_ref=record.concern_ref,
        pdf=signed,
        sha256=hashlib.sha256(signed).hexdigest(),
        encrypted=pdf_password is not None,
        suggested_name=f"referral-{record.ref}.pdf",
        names_other_children=name_other_children,
        sections=section_texts(document),
    )


def record_section_copied(session: CaseSession, referral_ref: str, section: str) -> None:
    """Audit one section of a referral copied for a council's web portal: which, never its text.

    Refused, as signing is, while the referral's decision is incomplete: pasting a section
    into a portal sends it as surely as a signed PDF does.
    """
    record = referral_record(session, referral_ref)
    if section not in SECTION_KEYS:
        raise BadInput("A referral has no section of that name.", "section")
    gaps = signing_gaps(session, record)
    if gaps:
        raise IncompleteDecision(gaps, "This referral cannot be sent yet:")
    conn = session.conn
    with case_records.transaction(conn):
        audit_log.append(
            conn,
            session.user.username,
            "referral_section_copied",
            {
                "referral": record.ref,
                "ref": record.concern_ref,
                "child": record.child_position,
                "section": section,
            },
        )


def save_referral_pdf(session: CaseSession, made: ReferralPdf, path: Path) -> Changes:
    """Write the signed PDF (atomically), mark the referral sent and audit its SHA-256.

    Written with the other exports' save (services/export_file.py): one sentence when
    the file cannot be written, and no copy left on disk that the audit log lacks.
    """
    record = referral_record(session, made.referral_ref)
    conn = session.conn
    if is_encrypted(made.pdf) != made.encrypted:
        # Nothing is written or marked sent unless the file is what was asked for.
        raise CheckFailed(
            "The referral PDF was not password protected as asked; nothing was saved. "
            "Make it again."
            if made.encrypted
            else "The referral PDF is password protected, which was not asked for; nothing "
            "was saved. Make it again."
        )

    def mark_sent(sha256: str) -> None:
        with case_records.transaction(conn):
            casework_records.mark_referral_sent(conn, record.referral_id, sha256)
            audit_log.append(
                conn,
                session.user.username,
                "referral_exported",
                {
                    "referral": record.ref,
                    "ref": record.concern_ref,
                    "sha256": sha256,
                    "encrypted": made.encrypted,
                    "child": record.child_position,
                    "other_children_named": made.names_other_children,
                },
            )

    save_audited(Path(path), made.pdf, mark_sent, records_folder=session.store.data_dir)
    return Changes.of(concerns=[record.concern_ref], referrals=[record.ref])


def verify_referral(
    session: CaseSession | None,
    pdf: bytes,
    *,
    password: str | None = None,
    trusted_cert: bytes | None = None,
) -> VerifyResult:
    """Check a signed PDF (no network).

    "Trusted" means signed with this organisation's certificate (when signed in), or
    with ``trusted_cert`` (a PEM certificate someone gave you).
    """
    from ..pdf.verification import verify_pdf

    trusted = certificate_pem(session) if session is not None else trusted_cert
    return verify_pdf(pdf, trusted_cert_pem=trusted, password=password)


def record_verified(session: CaseSession, result: VerifyResult, sha256: str) -> None:
    with case_records.transaction(session.conn):
        audit_log.append(
            session.conn,
            session.user.username,
            "pdf_verified",
            {"sha256": sha256, "intact": result.intact, "trusted": result.trusted},
        )
