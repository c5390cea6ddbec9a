"""A referral a social worker can act on (issue 20): every field from the record to the PDF.

Each field is set where a lead sets it (the child's record, the decision), recorded
through the services, and read back from the signed PDF with poppler's ``pdftotext``.
Each mandatory field's absence is refused by the one gate the wizard and ``decide``
share, and again at signing.
"""

from __future__ import annotations

import re
import secrets
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.casework import NewAmendment
from safeguard_desktop.domain.children import (
    ChildDetails,
    HouseholdMember,
    Professional,
    SendSupport,
    nhs_number,
)
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.errors import BadInput, IncompleteDecision
from safeguard_desktop.domain.handoff import INTERIM_REASON_NEEDED, PARENTS_VIEWS_NEEDED
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.domain.referral import (
    AdultDetails,
    ChildRow,
    LadoRow,
    PoliceRow,
    ReferralContent,
    ReferralDocument,
    ReferralKind,
)
from safeguard_desktop.domain.referral_gaps import referral_gaps
from safeguard_desktop.domain.referral_sections import SectionText
from safeguard_desktop.pdf.referral_document import referral_pdf_bytes
from safeguard_desktop.services import audit_trail, casework, children, decisions, referral
from safeguard_desktop.services.recording import submit_as_guest
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import case_records

TOMORROW = (date.today() + timedelta(days=1)).isoformat()
CHILD = "Amelia Kowalska"


def login(store: StoreFixture) -> CaseSession:
    session = Store.open(store.data_dir).login(*store.dsl)
    assert isinstance(session, CaseSession)
    return session


def pdf_text(pdf: bytes, tmp_path: Path, *, raw: bool = False) -> str:
    """The PDF's text on one line, as pdftotext reads it.

    ``raw``: in the order it was drawn, so a label wrapped over two lines in its cell
    stays whole and is followed by its value, instead of being read across the row.
    """
    path = tmp_path / f"{secrets.token_hex(4)}.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-raw"] if raw else []), str(path), "-"]
    run = subprocess.run(args, capture_output=True, text=True, check=True)
    return " ".join(run.stdout.split())


def section(text: str, title: str, following: str) -> str:
    """The text between two numbered section bars ("4. The child", "5. The child now")."""
    start = re.search(rf"\d+\. {re.escape(title)}", text)
    end = re.search(rf"\d+\. {re.escape(following)}", text)
    assert start is not None and end is not None, (title, following)
    return text[start.end() : end.start()]


def printed(text: str, label: str, value: str) -> bool:
    """Whether ``label`` and ``value`` are both in ``text``.

    pdftotext reads a grid row's cells in an order that depends on how their values wrap,
    so a label is not always followed by its value; callers pass one section's text.
    """
    return label in text and value in text


def social_care(**changes: Any) -> dict[str, Any]:
    """A complete social care decision in the decide JSON."""
    return {
        "outcome": "social_care_referral",
        "reason": "Bruise with her own account that her father grabbed her.",
        "urgency": "same_day",
        "consent": "not_sought",
        "consent_reason": "Asking her father could put her at greater risk.",
        "parents_told": False,
        "parents_not_told_reason": "Her father is the person she names.",
        "child_now": "At home with her mother tonight.",
        "follow_up_on": TOMORROW,
        **changes,
    }


# --- the child's record -------------------------------------------------------------------


def test_an_nhs_number_is_checked_by_its_check_digit() -> None:
    assert nhs_number("9434765919") == "943 476 5919"
    assert nhs_number(" 943-476-5919 ") == "943 476 5919"
    assert nhs_number("") == ""
    with pytest.raises(BadInput, match="last digit does not match") as caught:
        nhs_number("943 476 5918")  # one digit slipped
    assert caught.value.field == "nhs_number"
    for bad in ("943 476 591", "943 476 591X", "٩٤٣٤٧٦٥٩١٩"):  # short, a letter, Arabic digits
        with pytest.raises(BadInput, match="10 digits"):
            nhs_number(bad)
    with pytest.raises(BadInput, match="last digit"):
        ChildDetails.checked(name=CHILD, nhs_number="4857773456")


def test_a_baby_not_born_yet_has_an_expected_date_and_no_birthday() -> None:
    due = date.today() + timedelta(weeks=12)
    unborn = ChildDetails.checked(name="Baby Kowalska", unborn=True, expected_on=due)
    assert (unborn.unborn, unborn.expected_on, unborn.date_of_birth) == (True, due, None)
    refusals = [
        ({"unborn": True, "date_of_birth": date(2020, 1, 1)}, "date_of_birth"),
        ({"unborn": True, "approximate_age": 1}, "approximate_age"),
        ({"expected_on": due}, "expected_on"),  # born children have no expected date
        ({"unborn": True, "expected_on": date.today() + timedelta(weeks=44)}, "expected_on"),
        ({"send": "lots"}, "send"),
        ({"interpreter_needed": "yes"}, "interpreter_needed"),
    ]
    for values, field in refusals:
        with pytest.raises(BadInput) as caught:
            ChildDetails.checked(name="Baby Kowalska", **values)
        assert caught.value.field == field, values


@pytest.fixture
def recorded_child(store_dir: StoreFixture) -> tuple[StoreFixture, str, int]:
    """A concern about Amelia, linked to her record, with everything a form asks filled in."""
    ref = submit(Store.open(store_dir.data_dir), concern_data(name=CHILD))
    session = login(store_dir)
    try:
        child_id = casework.create_child_for(session, ref, 0).id
        children.update_child(
            session,
            child_id,
            ChildDetails.checked(
                name=CHILD,
                date_of_birth=date(2015, 3, 2),
                language="Polish",
                interpreter_needed=True,
                religion="Roman Catholic",
                disability=False,
                send=SendSupport.SEN_SUPPORT,
                nhs_number="9434765919",
                additional_needs="Dyslexia; extra time in tests.",
            ),
        )
        children.add_household_member(
            session,
            child_id,
            HouseholdMember.checked(
                name="Ewa Kowalska", relationship="Mother", parental_responsibility=True
            ),
        )
        children.add_household_member(
            session,
            child_id,
            HouseholdMember.checked(
                name="Marek Kowalski",
                relationship="Father",
                parental_responsibility=True,
                lives_with_child=False,
            ),
        )
        for name, role, where in (
            ("Dr Sarah Okafor", "GP", "Riverside Surgery"),
            ("Jo Patel", "Social worker (child in need)", "Riverside Council"),
            ("Kim Lee", "School nurse", "Riverside Primary"),
        ):
            children.add_professional(
                session, child_id, Professional.checked(name=name, role=role, organisation=where)
            )
    finally:
        session.lock()
    return store_dir, ref, child_id


def test_the_childs_record_is_printed_in_the_referral(
    recorded_child: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    store, ref, child_id = recorded_child
    session = login(store)
    try:
        (made,) = decisions.decide(session, ref, social_care()).result.referral_refs
        pdf = referral.make_referral_pdf(session, made).pdf
        text = pdf_text(pdf, tmp_path)
        # In drawing order: read across the page, a table's row may be split by what stands
        # beside it (the page's reference, once the child's part grew by a line).
        drawn = pdf_text(pdf, tmp_path, raw=True)
        # Who the child lives with, in the lead's own words, replaces the household's.
        record = children.child_file(session, child_id, audit=False).record
        children.update_child(
            session,
            child_id,
            ChildDetails.checked(
                **{**vars(record.details), "lives_with": "Her mother, and her aunt at weekends"}
            ),
        )
        again = pdf_text(referral.make_referral_pdf(session, made).pdf, tmp_path)
    finally:
        session.lock()
    child = section(text, "The child", "The child now")
    for expected in (
        "First language Polish",
        "Interpreter needed Yes",
        "Religion Roman Catholic",
        "NHS number 943 476 5919",
        "Disability No",
        "Special educational needs SEN support",
        "Additional needs Dyslexia; extra time in tests.",
        "Lives with Mother (Ewa Kowalska)",  # the household member marked so; not her father
        "GP Dr Sarah Okafor, Riverside Surgery",
        "Social worker Jo Patel, Riverside Council",
    ):
        assert expected in child, expected
    # Parental responsibility, and who lives with the child, for each household member.
    household = section(drawn, "Household", "Professionals involved")
    assert "Parental responsibility Lives with the child" in household
    assert "Ewa Kowalska Mother Not recorded Yes Yes" in household
    assert "Marek Kowalski Father Not recorded Yes No" in household
    # The GP and social worker are printed once, with the child; the others in the table.
    professionals = section(text, "Professionals involved", "What happened")
    assert "Kim Lee" in professionals
    assert "Okafor" not in professionals and "Jo Patel" not in professionals
    assert text.count("Dr Sarah Okafor") == 1
    assert "Lives with Her mother, and her aunt at weekends" in again
    # The concern's own words are printed once: its chronology line points to them.
    observed = str(concern_data(name=CHILD)["observed"])
    assert text.count(" ".join(observed.split())) == 1
    chronology = section(text, "Chronology summary", "Risks, needs")
    assert "this referral's concern, printed in full under \u201cWhat happened\u201d" in chronology


def test_an_unborn_baby_and_unknowns_are_printed_as_such(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    ref = submit(Store.open(store_dir.data_dir), concern_data(name="Baby Kowalska", born=None))
    due = date.today() + timedelta(weeks=10)
    session = login(store_dir)
    try:
        child_id = casework.create_child_for(session, ref, 0).id
        children.update_child(
            session,
            child_id,
            ChildDetails.checked(name="Baby Kowalska", unborn=True, expected_on=due),
        )
        (made,) = decisions.decide(session, ref, social_care()).result.referral_refs
        text = pdf_text(referral.make_referral_pdf(session, made).pdf, tmp_path)
    finally:
        session.lock()
    child = section(text, "The child", "The child now")
    assert f"Date of birth Not born yet: expected {long_date(due)}" in child
    for unknown in (
        "Interpreter needed Not known",
        "Disability Not known",
        "Special educational needs Not known",
        "Lives with Not recorded",
        "GP Not recorded",
        "Social worker None known",
    ):
        assert unknown in child, unknown


# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"


@pytest.mark.qt_log_ignore(DIALOG_WARNING)
def test_the_child_details_dialog_sets_every_field(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel

    from safeguard_desktop.ui.children.child_dialogs import ChildDetailsDialog

    dialog = ChildDetailsDialog(ChildDetails(name=CHILD))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # Every control is named for a screen reader, and each shortcut letter is used once.
    controls = [*dialog.findChildren(QAbstractButton), *dialog.findChildren(QComboBox)]
    for widget in [*controls, *dialog.field_widgets.values()]:
        if widget.isVisibleTo(dialog):
            assert widget.accessibleName(), widget
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    texts += [w.text() for w in dialog.findChildren(QAbstractButton)]
    letters = [m.group(1).lower() for t in texts for m in re.finditer(r"&([^&\s])", t)]
    assert len(letters) == len(set(letters)), sorted(letters)

    qtbot.keyClicks(dialog.religion, "Roman Catholic")
    dialog.interpreter_needed.setCurrentIndex(dialog.interpreter_needed.findData(True))
    dialog.disability.setCurrentIndex(dialog.disability.findData(False))
    dialog.send.setCurrentIndex(dialog.send.findData("ehc_plan"))
    qtbot.keyClicks(dialog.nhs_number, "943 476 5918")
    dialog.lives_with.setPlainText("Her mother")
    assert dialog.try_checked() is None
    assert "last digit" in dialog.field_errors["nhs_number"].text()
    dialog.nhs_number.setText("9434765919")
    checked = dialog.try_checked()
    assert checked is not None
    assert (checked.religion, checked.interpreter_needed, checked.disability) == (
        "Roman Catholic",
        True,
        False,
    )
    assert (checked.send, checked.nhs_number, checked.lives_with) == (
        SendSupport.EHC_PLAN,
        "943 476 5919",
        "Her mother",
    )
    # Not born yet: no date of birth or age can be given, an expected date can.
    dialog.dob_known.setChecked(True)
    dialog.unborn.setChecked(True)
    assert not dialog.dob_known.isChecked() and not dialog.dob_known.isEnabled()
    assert dialog.expected_known.isEnabled()
    dialog.expected_known.setChecked(True)
    unborn = dialog.try_checked()
    assert unborn is not None and unborn.unborn and unborn.expected_on is not None
    dialog.unborn.setChecked(False)
    assert not dialog.expected_known.isChecked() and dialog.dob_known.isEnabled()


# --- the family ---------------------------------------------------------------------------


def test_the_parents_views_are_asked_when_they_know_and_printed(
    recorded_child: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    store, ref, _ = recorded_child
    told = social_care(parents_told=True, parents_not_told_reason="")
    session = login(store)
    try:
        with pytest.raises(IncompleteDecision) as caught:
            decisions.decide(session, ref, told)
        assert caught.value.fields == ("parents_views",)
        views = "Her mother agreed; her father was angry and said the bruise was an accident."
        (made,) = decisions.decide(
            session, ref, {**told, "parents_views": views}
        ).result.referral_refs
        text = pdf_text(referral.make_referral_pdf(session, made).pdf, tmp_path)
        (not_told,) = decisions.decide(session, ref, social_care()).result.referral_refs
        not_told_text = pdf_text(referral.make_referral_pdf(session, not_told).pdf, tmp_path)
    finally:
        session.lock()
    sharing = section(text, "Consent and information sharing", "The child")
    assert f"Their views of the referral {views}" in sharing
    assert "Their views of the referral Not asked: they have not been told." in not_told_text


def test_a_stored_decision_without_the_parents_views_is_not_signed() -> None:
    details: dict[str, object] = {
        "situation": {"urgency": "same_day", "child_now": "At home."},
        "information_sharing": {
            "consent": "given",
            "consent_reason": "",
            "lawful_basis": "UK GDPR Article 6(1)(e)",
            "parents_told": True,
        },
    }
    assert referral_gaps(ReferralKind.SOCIAL_CARE, details) == [
        ("parents_views", PARENTS_VIEWS_NEEDED)
    ]
    assert referral_gaps(ReferralKind.EARLY_HELP, details) == [
        ("parents_views", PARENTS_VIEWS_NEEDED)
    ]
    details["situation"] = {"urgency": "same_day", "child_now": "At home.", "parents_views": "Ok."}
    assert referral_gaps(ReferralKind.SOCIAL_CARE, details) == []


# --- printed, not only recorded -------------------------------------------------------------


def test_the_police_call_and_its_incident_number_are_printed(
    recorded_child: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    store, ref, _ = recorded_child
    called = (datetime.now() - timedelta(minutes=30)).replace(second=0, microsecond=0)
    danger = social_care(
        immediate_danger=True,
        urgency="immediate",
        police={
            "called_at": called.isoformat(),
            "incident_number": "CAD 1234 of 20/11",
            "spoke_to": "Call handler, then PC 4567 Evans",
            "notes": "Officers attending within the hour.",
        },
    )
    session = login(store)
    try:
        (made,) = decisions.decide(session, ref, danger).result.referral_refs
        text = pdf_text(referral.make_referral_pdf(session, made).pdf, tmp_path)
    finally:
        session.lock()
    actions = section(text, "Immediate actions taken", "What is being asked for")
    assert "The call to the police (999)" in actions and "Other actions taken" in actions
    for label, value in (
        ("Called", long_date(called)),
        ("Incident number", "CAD 1234 of 20/11"),
        ("Spoke to", "Call handler, then PC 4567 Evans"),
        ("What the police said", "Officers attending within the hour."),
    ):
        assert printed(actions, label, value), label


def test_the_referrer_is_printed_with_their_own_accounts_role(
    recorded_child: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    store, ref, _ = recorded_child
    session = login(store)
    try:
        (made,) = decisions.decide(session, ref, social_care()).result.referral_refs
        lead = pdf_text(referral.make_referral_pdf(session, made).pdf, tmp_path)
        lead_title = session.organisation.org_type.lead_title
    finally:
        session.lock()
    admin = Store.open(store.data_dir).login(*store.admin)
    assert isinstance(admin, CaseSession)
    try:
        by_admin = pdf_text(referral.make_referral_pdf(admin, made).pdf, tmp_path)
    finally:
        admin.lock()
    assert printed(section(lead, "Referrer", "Consent and information sharing"), "Role", lead_title)
    referrer = section(by_admin, "Referrer", "Consent and information sharing")
    assert printed(referrer, "Role", "Administrator") and lead_title not in referrer
    declaration = by_admin[by_admin.index("Declaration and signature") :]
    assert printed(declaration, "Role", "Administrator") and lead_title not in declaration


# --- the LADO form ------------------------------------------------------------------------


def lado_decision(**lado: Any) -> dict[str, Any]:
    """Monitoring, with an allegation about a coach for the LADO."""
    return {
        "outcome": "monitor",
        "reason": "The LADO will advise; watch meanwhile.",
        "review_on": (date.today() + timedelta(days=14)).isoformat(),
        "follow_up_on": TOMORROW,
        "allegation_against_adult": True,
        "lado": {
            "allegation": "Grabbed a player by the arm at training.",
            "adult": {"name": "Sam Coach", "role": "Assistant coach", "employment": "volunteer"},
            "raised_by": "The player told the head coach after training.",
            "interim_steps": "none",
            "interim_reason": "He does not coach until the LADO advises.",
            **lado,
        },
    }


def test_the_lados_advice_is_printed_on_the_lado_form(
    recorded_child: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    store, ref, _ = recorded_child
    contacted = (datetime.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    session = login(store)
    try:
        (spoken,) = decisions.decide(
            session,
            ref,
            lado_decision(
                contacted_at=contacted.isoformat(),
                officer="Pat Jones (LADO)",
                advice="Do not tell the coach yet; keep him away from the under 11s.",
            ),
        ).result.referral_refs
        text = pdf_text(referral.make_referral_pdf(session, spoken).pdf, tmp_path)
        (first,) = decisions.decide(session, ref, lado_decision()).result.referral_refs
        not_yet = pdf_text(referral.make_referral_pdf(session, first).pdf, tmp_path)
    finally:
        session.lock()
    actions = section(text, "Actions taken so far", "What is being asked of the LADO")
    assert "Contact with the LADO" in actions
    for label, value in (
        ("Contacted", long_date(contacted)),
        ("LADO officer", "Pat Jones (LADO)"),
        ("The LADO's advice", "Do not tell the coach yet; keep him away from the under 11s."),
    ):
        assert printed(actions, label, value), label
    assert printed(not_yet, "Contacted", "Not yet: this referral is the first contact")


# --- text a reader trusts -------------------------------------------------------------------


def test_what_was_seen_is_printed_once_and_a_guest_is_called_a_guest(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    observed = "At 15:30 I saw a bruise about 3 cm across on Amelia's left forearm."
    store = Store.open(store_dir.data_dir)
    concern = Concern.from_json(concern_data(name=CHILD, observed=observed), now=datetime.now())
    ref = submit_as_guest(store, "Gail Guest", "Parent helper", concern)
    session = login(store_dir)
    try:
        casework.amend(
            session,
            ref,
            NewAmendment.checked(
                field="occurred_at", new_value="16:30, not 15:30.", reason="Misread the clock."
            ),
        )
        (made,) = decisions.decide(session, ref, social_care()).result.referral_refs
        summary = referral.referral_record(session, made).content.summary
        text = pdf_text(referral.make_referral_pdf(session, made).pdf, tmp_path)
    finally:
        session.lock()
    guest = "Gail Guest, Parent helper (a guest, without an account)"
    assert f"{guest} recorded this concern" in summary and observed not in summary
    assert "(corrected later: 16:30, not 15:30.)" in summary
    assert text.count(observed) == 1
    happened = section(text, "What happened", "Body map")
    assert printed(happened, "Recorded by", guest)
    assert "member of staff or volunteer" not in text
    # A corrected time has no text of the concern to replace: the note prints it.
    assert "When it happened, as corrected: 16:30, not 15:30." in happened


def test_the_lado_form_is_complete(
    recorded_child: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    store, ref, _ = recorded_child
    adult = {
        "name": "Sam Coach",
        "role": "Assistant coach",
        "employment": "volunteer",
        "started_on": "2024-09-01",
        "other_work_with_children": "Lifeguard at the town pool.",
        "own_children": "Two daughters, 8 and 11, who live with him.",
        "aware": False,
        "previous_concerns": "A low-level concern about shouting, March 2026.",
    }
    session = login(store)
    try:
        (made,) = decisions.decide(
            session,
            ref,
            lado_decision(
                adult=adult,
                raised_by="Amelia told her mother, who rang the club the same evening.",
                child_social_worker="Alex Reed, Riverside Council (duty)",
                interim_steps="suspended",
                interim_reason="To keep the players safe until the LADO advises.",
            ),
        ).result.referral_refs
        text = pdf_text(referral.make_referral_pdf(session, made).pdf, tmp_path)
    finally:
        session.lock()
    about = section(text, "The adult the allegation is about", "The allegation")
    for label, value in (
        ("Other work with children", "Lifeguard at the town pool."),
        ("Their own children", "Two daughters, 8 and 11, who live with him."),
        ("Do they know of the allegation?", "No"),
        ("Earlier allegations or concerns about them", "A low-level concern about shouting"),
        ("Left", "Has not left (suspended: see the interim steps)"),
    ):
        assert printed(about, label, value), label
    assert "Ended" not in text and "Still working" not in text
    allegation = section(text, "The allegation", "The child")
    assert printed(
        allegation,
        "Who raised the allegation",
        "Amelia told her mother, who rang the club the same evening.",
    )
    # The child's social worker: the one on her record and the one the lead named.
    child = section(text, "The child", "Interim steps while the LADO advises")
    assert printed(child, "Social worker", "Jo Patel, Riverside Council")
    assert "Alex Reed, Riverside Council (duty)" in child
    interim = section(text, "Interim steps while the LADO advises", "Actions taken so far")
    assert printed(interim, "Interim step", "Suspended")
    assert printed(interim, "Why", "To keep the players safe until the LADO advises.")


def test_a_stored_lado_decision_without_the_interim_step_is_not_signed() -> None:
    lado: dict[str, object] = {
        "allegation": "Grabbed a player.",
        "adult": {"name": "Sam Coach", "role": "Assistant coach"},
    }
    assert [field for field, _ in referral_gaps(ReferralKind.LADO, {"lado": lado})] == [
        "lado.raised_by",
        "lado.interim_steps",
    ]
    lado.update(raised_by="The player.", interim_steps="redeployed")
    assert referral_gaps(ReferralKind.LADO, {"lado": lado}) == [
        ("lado.interim_reason", INTERIM_REASON_NEEDED)
    ]


def test_every_new_field_at_100000_characters_flows_over_pages(tmp_path: Path) -> None:
    """No field may stop a referral being made: each long value flows on, nothing is cut."""
    long = ("Word " * 20_000).strip()  # 99,999 characters
    child = ChildRow(
        name=CHILD,
        date_of_birth=None,
        age=None,
        religion=long,
        lives_with=long,
        gp=long,
        social_worker=long,
        nhs_number="943 476 5919",
        send_label="SEN support",
    )
    common: dict[str, Any] = dict(
        reference="R-2222-3333",
        concern_ref="C-2222-3333",
        made_on=datetime(2026, 11, 23, 14, 5),
        organisation="Riverside Juniors FC",
        organisation_type_label="Sports club",
        organisation_contact="",
        referrer_name="Alex Morgan",
        referrer_role="Administrator",
        referrer_contact="",
        content=ReferralContent(summary="A short summary.", immediate_actions=long),
        children=(child,),
        parents_told=True,
        parents_views=long,
        police=PoliceRow(called_at=None, incident_number="CAD 1", spoke_to=long, notes=long),
    )
    marf = ReferralDocument(kind=ReferralKind.SOCIAL_CARE, **common)
    lado = ReferralDocument(
        kind=ReferralKind.LADO,
        adult=AdultDetails(name="Sam Coach", role="Coach", own_children=long),
        allegation=long,
        lado=LadoRow(
            contacted_at=None,
            advice=long,
            raised_by=long,
            interim_label="Suspended",
            interim_reason=long,
        ),
        **common,
    )
    # The child's four, the police call's two, the actions taken; and on the referral the
    # parents' views, on the LADO form the adult's children, the allegation, who raised
    # it and why the interim step (the LADO's advice waits for a contact time).
    for doc, fields in ((marf, 8), (lado, 11)):
        text = pdf_text(referral_pdf_bytes(doc), tmp_path)
        # Every long value printed whole, and once: the words counted across the pages.
        assert text.count("Word") == 20_000 * fields, doc.kind


# --- for councils with their own form or portal ---------------------------------------------


def pdf_sections(text: str, titles: list[str]) -> dict[str, str]:
    """Each numbered section's text in the PDF, by title (up to the next, or the declaration)."""
    bars = [f"{n}. {title}" for n, title in enumerate(titles, start=1)]
    bars.append(f"{len(titles) + 1}. Declaration and signature")
    starts = [text.index(bar) for bar in bars]
    assert starts == sorted(starts), "the sections are in the PDF's order"
    return {
        title: text[start + len(bar) : end]
        for title, bar, start, end in zip(titles, bars, starts, starts[1:], strict=False)
    }


TABLES = ("household", "professionals", "chronology")


def assert_copied_as_printed(sections: tuple[SectionText, ...], text: str) -> None:
    """Each copied section says what that section of the PDF says, label beside value.

    ``text`` is read in drawing order (pdftotext -raw), where a grid's label is followed
    by its value; a table's headings are drawn once above its rows, so there only the
    cells are looked for.
    """
    printed_sections = pdf_sections(text, [s.title for s in sections])
    for section in sections:
        where = printed_sections[section.title]
        for line in section.text.splitlines():
            pieces = line.split("; ") if section.key in TABLES else [line]
            for piece in pieces:
                words = " ".join(piece.split())
                if not words:
                    continue  # the blank line between parts of a section
                label, colon, value = words.partition(": ")
                if section.key in TABLES:
                    wanted = [value]
                else:  # a labelled value in a grid, or a line of text printed as it is
                    wanted = [f"{label} {value}" if colon else "", words.removesuffix(":")]
                assert any(w and w in where for w in wanted), (section.title, words)


def test_each_section_as_text_says_what_the_pdf_says(
    recorded_child: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    store, ref, _ = recorded_child
    called = (datetime.now() - timedelta(minutes=30)).replace(second=0, microsecond=0)
    everything = social_care(
        immediate_danger=True,
        urgency="immediate",
        police={"called_at": called.isoformat(), "incident_number": "CAD 1234"},
        parents_told=True,
        parents_not_told_reason="",
        parents_views="Her mother agreed.",
        keep_from_family="Her words about her father.",
        child_views="She wants to stay with her mum.",
        person_causing_harm={"name": "Marek Kowalski", "relationship": "father"},
        referrer_relationship="Her football coach",
    )
    session = login(store)
    try:
        (made,) = decisions.decide(session, ref, everything).result.referral_refs
        marf = referral.make_referral_pdf(session, made)
        (lado_ref,) = decisions.decide(session, ref, lado_decision()).result.referral_refs
        lado = referral.make_referral_pdf(session, lado_ref)
    finally:
        session.lock()
    assert [s.key for s in marf.sections] == [
        "keep_from_family",
        "referrer",
        "consent",
        "children",
        "child_now",
        "household",
        "professionals",
        "what_happened",
        "body_map",
        "chronology",
        "analysis",
        "actions",
        "asking_for",
    ]
    assert [s.key for s in lado.sections] == [
        "referrer",
        "adult",
        "allegation",
        "children",
        "interim",
        "actions",
        "asking_for",
    ]
    for made_pdf in (marf, lado):
        assert_copied_as_printed(made_pdf.sections, pdf_text(made_pdf.pdf, tmp_path, raw=True))
    by_key = {s.key: s.text for s in marf.sections}
    assert "Incident number: CAD 1234" in by_key["actions"]
    assert "Their views of the referral: Her mother agreed." in by_key["consent"]
    assert by_key["keep_from_family"].endswith("Her words about her father.")


def test_a_copy_is_audited_by_section_and_refused_while_incomplete(
    recorded_child: tuple[StoreFixture, str, int],
) -> None:
    store, ref, _ = recorded_child
    session = login(store)
    try:
        (made,) = decisions.decide(session, ref, social_care()).result.referral_refs
        referral.record_section_copied(session, made, "consent")
        with pytest.raises(BadInput, match="no section of that name") as caught:
            referral.record_section_copied(session, made, "everything")
        assert caught.value.field == "section"
        # A decision edited outside the app, lacking where the child is: nothing is copied.
        with case_records.transaction(session.conn):
            session.conn.execute(
                "UPDATE decisions SET details = json_remove(details, '$.situation.child_now')"
            )
        with pytest.raises(IncompleteDecision, match="cannot be sent yet"):
            referral.record_section_copied(session, made, "children")
        copied = [
            e.detail
            for e in audit_trail.entries(session, 100)
            if e.action == "referral_section_copied"
        ]
    finally:
        session.lock()
    assert copied == [{"referral": made, "ref": ref, "child": 0, "section": "consent"}]


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_fills_every_field_a_council_asks_for(tmp_path: Path) -> None:
    from safeguard_desktop.services.demo_store import DEMO_ADMIN, build_demo_store

    build_demo_store(tmp_path / "demo")
    session = Store.open(tmp_path / "demo").login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        records = [
            children.child_file(session, c.child_id, audit=False).record
            for c in children.list_children(session)
        ]
        details = [record.details for record in records]
        # Every referral the demo made, answered ones too (it records what came back).
        referrals = [
            r
            for summary in casework.search(session, SearchFilters())
            for r in casework.concern_file(session, summary.ref, audit=False).referrals
        ]
        texts: dict[ReferralKind, list[str]] = {}
        for record in referrals:
            texts.setdefault(record.kind, []).append(
                pdf_text(referral.make_referral_pdf(session, record.ref).pdf, tmp_path)
            )
        decided = [
            d.details
            for r in referrals
            for d in casework.concern_file(session, r.concern_ref, audit=False).decisions
        ]
    finally:
        session.lock()
    # Each new field of a child's record is filled for at least one demo child.
    defaults = ChildDetails(name="-")
    for name in (
        "religion",
        "interpreter_needed",
        "disability",
        "send",
        "unborn",
        "expected_on",
        "nhs_number",
        "lives_with",
    ):
        assert any(getattr(d, name) != getattr(defaults, name) for d in details), name
    # And each new field of a decision, in one decision or another.
    situations = [d["situation"] for d in decided]
    for name in ("parents_views", "keep_from_family", "person_causing_harm", "child_views"):
        assert any(s.get(name) for s in situations), name  # type: ignore[attr-defined]
    lado: Any = next(d["lado"] for d in decided if "lado" in d)
    for name in ("raised_by", "interim_steps", "interim_reason", "contacted_at", "advice"):
        assert lado[name], name
    for name in ("own_children", "other_work_with_children", "previous_concerns"):
        assert lado["adult"][name], name
    assert any(d.get("police", {}).get("incident_number") for d in decided)  # type: ignore[union-attr]
    # Every demo referral signs, and prints what was filled in.
    social_care_texts = texts[ReferralKind.SOCIAL_CARE]
    (social_care,) = [t for t in social_care_texts if "Maya" in t and "Not born" not in t]
    (pre_birth,) = [t for t in social_care_texts if "Not born" in t]
    (fgm,) = [t for t in social_care_texts if "Amina" in t]
    assert "Suspected, or she may be at risk" in fgm  # how it came to light
    assert "943 476 5919" in social_care and "SEN support" in social_care
    assert "Dr A. Example, Demo Surgery" in social_care
    for expected in ("Not born yet: expected", "CAD 0417 (fictional)", "Jane agreed"):
        assert expected in pre_birth, expected
    (lado_text,) = texts[ReferralKind.LADO]
    for expected in ("Has not left (suspended", "Two children at primary school", "Sam Social"):
        assert expected in lado_text, expected


def test_a_referral_rebuilt_for_the_export_names_its_senders_role(
    recorded_child: tuple[StoreFixture, str, int], tmp_path: Path
) -> None:
    """The full export signs each sent referral again: with who sent it, and their role."""
    from safeguard_desktop.services import export
    from safeguard_desktop.storage import export_query

    store, ref, _ = recorded_child
    session = login(store)
    try:
        (made,) = decisions.decide(session, ref, social_care()).result.referral_refs
        pdf = referral.make_referral_pdf(session, made)
        referral.save_referral_pdf(session, pdf, tmp_path / "sent.pdf")
        lead_title = session.organisation.org_type.lead_title
    finally:
        session.lock()
    admin = Store.open(store.data_dir).login(*store.admin)
    assert isinstance(admin, CaseSession)
    try:
        (item,) = export_query.sent_referrals(admin.conn)
        senders = export_query.referral_senders(admin.conn)
        identity = referral.signing_identity(admin)
        rebuilt = export._referral_job(admin, identity, item, senders.get(item.ref))()
    finally:
        admin.lock()
    referrer = section(pdf_text(rebuilt, tmp_path), "Referrer", "Consent and information sharing")
    assert printed(referrer, "Name", "Dana Lead") and printed(referrer, "Role", lead_title)
    assert "Administrator" not in referrer
