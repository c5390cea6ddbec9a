"""Subject access requests on a real store: the deadline, the review, words taken out for
real (poppler's pdftotext reads the released PDF and finds none of them), the appendix kept,
and the audit log holding ids and hashes, never the words."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.children import HouseholdMember
from safeguard_desktop.domain.errors import BadInput, NotPermitted
from safeguard_desktop.domain.subject_access import Exemption, NewRequest, due_on
from safeguard_desktop.services import audit_trail, casework, children, retention, subject_access
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

TODAY = date(2026, 12, 7)
FATHER = "Marek Kowalski"
NEIGHBOUR = "Łucja Wiśniewska"


def _pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


@pytest.fixture
def asked(store_dir: StoreFixture) -> tuple[CaseSession, int, int, str]:
    """Amelia's file (a concern naming her father and a neighbour, and Zofia too), and her
    mother's request, recorded."""
    observed = (
        f"Amelia said {FATHER} shouted at her. Our neighbour {NEIGHBOUR.upper()} heard it; "
        "Zofia was there too."
    )
    ref = submit(
        Store.open(store_dir.data_dir),
        concern_data(observed=observed, extra_children=({"name": "Zofia Nowak"},)),
    )
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    child_id = casework.create_child_for(session, ref, 0).id
    children.add_household_member(
        session, child_id, HouseholdMember.checked(name=FATHER, relationship="Father")
    )
    request = NewRequest.checked(
        requester="Ewa Kowalska",
        relationship="Mother",
        received_on=TODAY,
        identity_checked="Passport seen at reception",
        today=TODAY,
    )
    request_id = subject_access.record_request(session, child_id, request).id
    return session, child_id, request_id, ref


def test_the_deadline_is_one_calendar_month_on_a_working_day() -> None:
    assert due_on(date(2026, 12, 7)) == date(2027, 1, 7)
    # 31 January: February has no 31st, so its last day; a Saturday moves to Monday.
    assert due_on(date(2026, 1, 31)) == date(2026, 3, 2)
    # 25 November: 25 December is Christmas Day, then Boxing Day (a Saturday) and its
    # substitute on the Monday, so the next working day is 29 December.
    assert due_on(date(2026, 11, 25)) == date(2026, 12, 29)


def test_words_taken_out_are_not_in_the_released_pdf_and_the_appendix_keeps_why(
    asked: tuple[CaseSession, int, int, str], tmp_path: Path
) -> None:
    session, _, request_id, ref = asked
    try:
        (open_request,) = subject_access.open_requests(session)
        assert open_request.due_on == date(2027, 1, 7) and open_request.child_name
        seen = subject_access.review(session, request_id)
        keys = [item.key for item in seen.items]
        assert keys[0] == "details" and f"concern:{ref}" in keys
        subject_access.add_term(session, request_id, FATHER, Exemption.THIRD_PARTY)
        subject_access.add_term(session, request_id, "Lucja Wisniewska", Exemption.THIRD_PARTY)
        subject_access.add_term(session, request_id, "Zofia", Exemption.OTHER_CHILD)
        with pytest.raises(BadInput, match="already taken out"):
            subject_access.add_term(session, request_id, "zofia", Exemption.OTHER_CHILD)
        household = next(k for k in keys if k.startswith("household:"))
        subject_access.withhold(session, request_id, household, Exemption.THIRD_PARTY)
        with pytest.raises(BadInput, match="not in this child's file"):
            subject_access.withhold(session, request_id, "action:999", Exemption.CRIME)

        made = subject_access.make_response(session, request_id)
        released = _pdftotext(made.released, tmp_path)
        assert "Amelia said [removed] shouted at her" in released
        for name in ("Marek", "Kowalski", "ucja", "Wi", "ZOFIA", "Zofia"):
            assert name not in released, name
        assert "Ewa Kowalska" in released  # who asked is named to them
        appendix = _pdftotext(made.appendix, tmp_path)
        assert FATHER in appendix and "Another child" in appendix
        assert "Records withheld" in appendix and "(Father)" not in released
        assert made.items_withheld == 1 and made.words_taken_out >= 3

        out = tmp_path / "out"
        out.mkdir()
        names = made.suggested_names
        assert all("Amelia" not in n for n in names)
        subject_access.save_response(session, made, out / names[0], out / names[1])
        assert subject_access.open_requests(session) == []
        with pytest.raises(BadInput, match="has been answered"):
            subject_access.add_term(session, request_id, "Anything", Exemption.THIRD_PARTY)
        entries = [e for e in audit_trail.entries(session, 500) if "subject_access" in e.action]
        audited = [e.detail for e in entries]
        (released_entry,) = [e.detail for e in entries if e.action == "subject_access_released"]
        assert released_entry["sha256"] and released_entry["items_withheld"] == 1
        text = json.dumps(audited)
        assert "Marek" not in text and "Zofia" not in text and "Ewa" not in text
        assert audit_trail.verify(session).ok
    finally:
        session.lock()


def test_a_recorder_cannot_see_requests_and_a_future_date_is_refused(
    asked: tuple[CaseSession, int, int, str], store_dir: StoreFixture
) -> None:
    session = asked[0]
    session.lock()
    recorder = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    try:
        with pytest.raises(NotPermitted):
            subject_access.open_requests(recorder)
    finally:
        recorder.lock()
    with pytest.raises(BadInput, match="cannot be in the future"):
        NewRequest.checked(
            requester="A", relationship="B", received_on=date(2027, 1, 1),
            identity_checked="Seen", today=TODAY,
        )  # fmt: skip


def test_deleting_the_childs_file_at_review_takes_its_requests_too(
    asked: tuple[CaseSession, int, int, str],
) -> None:
    session, child_id, request_id, _ = asked
    try:
        subject_access.add_term(session, request_id, FATHER, Exemption.THIRD_PARTY)
        far = date(2200, 1, 1)
        plan = retention.deletion_plan(session, child_id, today=far)
        retention.delete_child_file(
            session, child_id, concerns=len(plan.concerns_deleted), today=far
        )
        conn = session.conn
        for table in ("subject_access_requests", "subject_access_terms"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0  # noqa: S608
    finally:
        session.lock()


def test_the_command_line_records_reviews_and_answers_a_request(
    asked: tuple[CaseSession, int, int, str], store_dir: StoreFixture, tmp_path: Path
) -> None:
    from cli_run import assert_error, run

    session, child_id, _, _ = asked
    session.lock()
    pw = "dsl-password-1\n"

    def sar(*args: str) -> subprocess.CompletedProcess[str]:
        return run(tmp_path, store_dir.data_dir, "subject-access", *args, "--as", "dana", stdin=pw)

    recorded = sar(
        "record", str(child_id), "--requester", "Amelia Kowalska", "--relationship",
        "The child herself", "--received", "2026-12-01", "--identity", "Known to staff",
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    request_id = json.loads(recorded.stdout)["request_id"]
    items = [json.loads(line) for line in sar("items", str(request_id)).stdout.splitlines()]
    household = next(i["key"] for i in items if i["key"].startswith("household:"))
    assert sar("withhold", str(request_id), household, "--exemption", "third_party").returncode == 0
    assert (
        sar("take-out", str(request_id), "--words", FATHER, "--exemption", "third_party").returncode
        == 0
    )
    bad = sar("take-out", str(request_id), "--words", FATHER, "--exemption", "whim")
    assert "invalid choice" in assert_error(bad, 2)
    answered = sar("respond", str(request_id), "--out", str(tmp_path / "answer"))
    assert answered.returncode == 0, answered.stderr
    made = json.loads(answered.stdout)
    released = (tmp_path / "answer" / made["released"]).read_bytes()
    assert FATHER not in _pdftotext(released, tmp_path)
    assert (tmp_path / "answer" / made["appendix"]).is_file()
    again = sar("take-out", str(request_id), "--words", "Anyone", "--exemption", "third_party")
    assert "has been answered" in assert_error(again, 2)


def test_what_belongs_to_a_withheld_concern_is_withheld_with_it(
    asked: tuple[CaseSession, int, int, str], tmp_path: Path
) -> None:
    from datetime import datetime

    from safeguard_desktop.domain.casework import NewAction

    session, _, request_id, ref = asked
    try:
        now = datetime.now().replace(microsecond=0)
        note = "Spoke to the class teacher about the shouting."
        casework.add_action(
            session,
            NewAction.checked(kind="note", occurred_at=now, who="", details=note, now=now),
            ref=ref,
        )
        from test_attachments import letter

        from safeguard_desktop.services import attachments

        attachments.attach_to_concern(session, ref, letter(), "notes.pdf", "The coach's notes")
        subject_access.withhold(session, request_id, f"concern:{ref}", Exemption.SERIOUS_HARM)
        seen = subject_access.review(session, request_id)
        attached = next(item for item in seen.items if item.key.startswith("attachment:"))
        assert seen.withheld[attached.key] is Exemption.SERIOUS_HARM
        action = next(item for item in seen.items if item.key.startswith("action:"))
        assert seen.withheld[action.key] is Exemption.SERIOUS_HARM
        released = _pdftotext(subject_access.make_response(session, request_id).released, tmp_path)
        assert "shouting" not in released and "class teacher" not in released
        assert "coach's notes" not in released
    finally:
        session.lock()
