"""The full export end to end on a real store: folder and AES-256 ZIP, schema, counts, PDFs.

The store holds concerns submitted the real way (sealed, ingested), children linked and
not yet linked, a household member, a professional, actions, an amendment, follow-ups,
a decision with a referral that was signed and sent, and a draft referral. The ZIP is
opened by 7-Zip (``7z``), the PDFs are read by poppler (pdftotext) and their signatures
checked, export.json is validated against docs/export.schema.json with jsonschema, and
the command line is run as a user runs it, in a subprocess.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from test_attachments import GPS_IFD, letter, photo

from canary_scan import all_files, find_in_files, needles
from casework_data import concern_data, submit
from cli_run import cli_env
from conftest import StoreFixture
from repo_paths import REPO
from safeguard_desktop.domain.casework import ActionKind, NewAction, NewAmendment
from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
from safeguard_desktop.domain.children import HouseholdMember, Professional
from safeguard_desktop.domain.errors import BadInput, NotPermitted
from safeguard_desktop.domain.handoff import (
    DEFAULT_LAWFUL_BASIS,
    Consent,
    HandoffDecision,
    InformationSharing,
    Outcome,
)
from safeguard_desktop.domain.referral import ReferralContent
from safeguard_desktop.domain.referral_outcome import (
    Acknowledgement,
    AgencyOutcome,
    EscalationResult,
    EscalationStage,
    NewEscalation,
    NewOutcome,
)
from safeguard_desktop.domain.subject_access import Exemption, NewRequest
from safeguard_desktop.pdf.worker_pool import PdfWorkerStopped
from safeguard_desktop.services import (
    after_referral,
    attachments,
    audit_trail,
    casework,
    children,
    export,
    referral,
    retention,
    subject_access,
    transfer,
    transfer_receive,
)
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

SCHEMA = json.loads((REPO / "docs" / "export.schema.json").read_text(encoding="utf-8"))
CONCERN_SCHEMA = json.loads((REPO / "docs" / "concern.schema.json").read_text(encoding="utf-8"))
ZIP_PASSWORD = "harbour-lights-27"
CANARY = "CANARY-5f1d0c9a-export"
CHILD_NAME = "Amelia Kowalska"
SECOND_NAME = "Zofia Nowak"


@dataclass(frozen=True)
class Populated:
    data_dir: Path
    admin: tuple[str, str]
    dsl: tuple[str, str]
    recorder: tuple[str, str]
    sent_referral: str
    draft_referral: str
    child_id: int


def _decision() -> HandoffDecision:
    now = datetime.now().replace(microsecond=0)
    return HandoffDecision.checked(
        immediate_danger=False,
        police=None,
        allegation_against_adult=False,
        lado=None,
        outcome=Outcome.SOCIAL_CARE,
        situation=ChildSituation(
            urgency=Urgency.SAME_DAY, child_now="At home with her mother tonight."
        ),
        reason="A bruise with an explanation that does not fit, and the child's words.",
        advice=None,
        information_sharing=InformationSharing(
            consent=Consent.NOT_SOUGHT,
            consent_reason="Asking could put the child at risk.",
            lawful_basis=DEFAULT_LAWFUL_BASIS,
            parents_told=False,
            parents_not_told_reason="The concern is about a parent.",
        ),
        referral=ReferralContent(summary=f"Bruise on the forearm. {CANARY}", risks="Harm."),
        review_on=None,
        follow_up_on=now.date() + timedelta(days=2),
        follow_up_what="Chase the front door for the outcome.",
        now=now,
    )


def _login(data_dir: Path, who: tuple[str, str]) -> CaseSession:
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    return session


@pytest.fixture(scope="module")
def _populated_template(
    _template_store: StoreFixture, tmp_path_factory: pytest.TempPathFactory
) -> Populated:
    """Built once for this module (signing and key derivation are slow), copied per test."""
    folder = tmp_path_factory.mktemp("export-template")
    data_dir = folder / "data"
    shutil.copytree(_template_store.data_dir, data_dir)
    fixture = StoreFixture(data_dir=data_dir, recovery_key="")
    store = Store.open(data_dir)
    first = submit(store, concern_data(name=CHILD_NAME, observed=f"I saw a bruise. {CANARY}"))
    second = submit(
        store,
        concern_data(
            name=CHILD_NAME,
            days_ago=3,
            categories=("neglect",),
            extra_children=({"name": SECOND_NAME, "approximate_age": 9},),
        ),
    )
    third = submit(store, concern_data(name="Chidi Okafor", born="2014-06-01", days_ago=5))
    session = _login(data_dir, fixture.dsl)
    try:
        child_id = casework.create_child_for(session, first, 0).id
        casework.link_child(session, second, 0, child_id)  # the second child stays unlinked
        casework.create_child_for(session, third, 0)
        attachments.attach_to_concern(session, first, photo(), f"{CHILD_NAME} notes.jpg")
        attachments.attach_to_child(session, child_id, letter(), "letter.pdf", "GP letter")
        retention.place_legal_hold(session, child_id, "Police investigation")
        retention.set_review_date(session, child_id, date(2090, 1, 1), "Sibling case open")
        asked = subject_access.record_request(
            session,
            child_id,
            NewRequest.checked(
                requester="Ewa Kowalska", relationship="Mother", received_on=date.today(),
                identity_checked="Passport seen", today=date.today(),
            ),
        ).id  # fmt: skip
        subject_access.add_term(session, asked, "Dr Patel", Exemption.THIRD_PARTY)
        subject_access.withhold(session, asked, "details", Exemption.SERIOUS_HARM)
        # A transfer sent, and (to fill every array from one store) the same package
        # received back into the same child.
        moved = folder / "transfer"
        moved.mkdir()
        made = transfer.transfer_to_folder(
            session, child_id, "Hillside Primary", "post", "K7QX-2MPA-9TRE-HC4W", moved
        )[0]
        transfer_receive.receive_file(
            session, moved / made.suggested_names[1], "K7QX-2MPA-9TRE-HC4W", made.fingerprint,
            child_id,
        )  # fmt: skip
        children.add_household_member(
            session,
            child_id,
            HouseholdMember.checked(
                name="Ewa Kowalska", relationship="Mother", parental_responsibility=True
            ),
        )
        children.add_professional(
            session,
            child_id,
            Professional.checked(name="Dr Patel", role="GP", organisation="Mill Surgery"),
        )
        casework.add_action(
            session,
            NewAction.checked(
                kind=ActionKind.SPOKE_TO_CHILD,
                occurred_at=datetime.now().replace(microsecond=0) - timedelta(hours=2),
                who="Amelia",
                details=f"Spoke to her at break. {CANARY}",
                now=datetime.now(),
            ),
            ref=first,
        )
        casework.amend(
            session,
            first,
            NewAmendment.checked(
                field="location", new_value="The pitch, not the changing rooms.", reason="Typo."
            ),
        )
        casework.add_follow_up(
            session, date.today() + timedelta(days=7), "Check in with her.", child_id=child_id
        )
        (sent,) = record_handoff(session, first, _decision()).referral_refs
        made = referral.make_referral_pdf(session, sent)
        referral.save_referral_pdf(session, made, folder / "sent.pdf")
        # What happened after it: acknowledged, no further action challenged, resolved.
        today = date.today()
        after_referral.acknowledge(session, sent, Acknowledgement(today, "MASH duty", "M-1"))
        after_referral.record_outcome(
            session,
            sent,
            NewOutcome(
                AgencyOutcome.NO_FURTHER_ACTION,
                today,
                "Threshold not met.",
                None,
                False,
                NewEscalation(
                    EscalationStage.PRACTITIONER,
                    "Duty social worker",
                    today,
                    "Her own words.",
                    today + timedelta(days=7),
                ),
            ),
        )
        progress = casework.concern_file(session, first, audit=False).after_referral
        (escalation,) = next(iter(progress.values())).escalations
        after_referral.record_escalation_result(
            session, escalation.escalation_id, EscalationResult("Assessment agreed.", today)
        )
        early_help = HandoffDecision.checked(
            **{
                **_decision().__dict__,
                "outcome": Outcome.EARLY_HELP,
                "information_sharing": InformationSharing(
                    consent=Consent.GIVEN,
                    consent_reason="",
                    lawful_basis=DEFAULT_LAWFUL_BASIS,
                    parents_told=True,
                ),
                "situation": ChildSituation(parents_views="Her mother asked for support."),
                "now": datetime.now().replace(microsecond=0),
            }
        )
        (draft,) = record_handoff(session, third, early_help).referral_refs
    finally:
        session.lock()
    return Populated(data_dir, fixture.admin, fixture.dsl, fixture.recorder, sent, draft, child_id)


@pytest.fixture
def populated(_populated_template: Populated, tmp_path: Path) -> Populated:
    copy = tmp_path / "data"
    shutil.copytree(_populated_template.data_dir, copy)
    return Populated(**{**_populated_template.__dict__, "data_dir": copy})


@pytest.fixture
def admin(populated: Populated) -> Iterator[CaseSession]:
    session = _login(populated.data_dir, populated.admin)
    try:
        yield session
    finally:
        session.lock()


# --- helpers ------------------------------------------------------------------------------


def _db_counts(session: CaseSession) -> dict[str, int]:
    conn = session.conn
    tables = list(SCHEMA["properties"]["counts"]["properties"])
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608


def _audit(session: CaseSession, action: str) -> list[dict[str, object]]:
    return [e.detail for e in audit_trail.entries(session, 10_000) if e.action == action]


def _check_export_json(data: dict[str, object], session: CaseSession) -> None:
    """Valid against the schema, every count as the database has it, concerns as submitted."""
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["format"] == "safeguard-desktop-export" and data["schema_version"] == 3
    counts = data["counts"]
    assert isinstance(counts, dict)
    for name, count in counts.items():
        rows = data[name]
        assert isinstance(rows, list) and len(rows) == count, name
    # The database has one entry more now: the export's own audit entry.
    database = _db_counts(session)
    assert {**database, "audit_log": database["audit_log"] - 1} == counts
    assert counts["concerns"] == 3 and counts["children"] == 2 and counts["referrals"] == 2
    assert counts["referral_acknowledgements"] == counts["referral_outcomes"] == 1
    # Two files attached, and the same two again in the transfer received.
    assert counts["escalations"] == 1 and counts["attachments"] == 4
    assert counts["transfers_sent"] == counts["transfers_received"] == 1
    assert counts["transferred_items"] >= 3  # details and the two concerns
    assert counts["legal_holds"] == counts["retention_dates"] == 1
    assert counts["subject_access_requests"] == counts["subject_access_terms"] == 1
    assert counts["subject_access_withheld"] == 1
    stored = {c.ref: c for c in casework.list_concerns(session)}
    concerns = data["concerns"]
    assert isinstance(concerns, list)
    for row in concerns:
        original = stored[row["ref"]]
        assert row["concern"] == original.body  # exactly as submitted
        assert row["submitter"] == original.submitter
        jsonschema.Draft202012Validator(CONCERN_SCHEMA).validate(row["concern"])
    audit = data["audit_log"]
    assert isinstance(audit, list)
    assert [e["seq"] for e in audit] == list(range(1, len(audit) + 1))
    head = data["audit_head"]
    assert isinstance(head, dict)
    assert audit[-1]["seq"] == head["seq"] and audit[-1]["hash"] == head["hash"]
    # The chain can be checked outside the app, as the schema describes.
    previous = "0" * 64
    for entry in audit:
        body = json.dumps(
            {k: entry[k] for k in ("seq", "at", "actor", "action", "detail")},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode()
        assert entry["prev_hash"] == previous
        assert hashlib.sha256(previous.encode() + body).hexdigest() == entry["hash"]
        previous = entry["hash"]


def _pdftotext(path: Path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return run.stdout


def _check_pdfs(folder: Path, data: dict[str, object], populated: Populated) -> None:
    files = data["files"]
    assert isinstance(files, list)
    names = sorted(f["path"] for f in files)
    on_disk = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "export.json"
    )
    assert names == on_disk
    assert f"chronologies/child-{populated.child_id}.pdf" in names
    assert f"referrals/referral-{populated.sent_referral}.pdf" in names
    # Only sent referrals have a PDF; the draft has none.
    assert not any(populated.draft_referral in n for n in names)
    for name in names:
        assert CHILD_NAME.split()[0] not in name and "Chidi" not in name
    for entry in files:
        pdf = (folder / entry["path"]).read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == entry["sha256"] and len(pdf) == entry["bytes"]
    # Each attached file as kept (the photo without its position), named by its id.
    kept = data["attachments"]
    # The two attached here, then the same two as the transfer received brought them.
    assert isinstance(kept, list) and len(kept) == 4
    photo_row, letter_row, *received = kept
    # Kept as the sender kept them: their words, when they were added and by whom there.
    assert [r["description"] for r in received] == [photo_row["description"], "GP letter"]
    assert all(r["added_by"].endswith("Riverside Juniors FC") for r in received)
    assert photo_row["file_name"] == f"{CHILD_NAME} notes.jpg" and photo_row["concern_ref"]
    assert photo_row["path"] == f"attachments/attachment-{photo_row['id']}.jpg"
    assert "location (GPS)" in photo_row["removed"] and photo_row["from_recorder"] is False
    assert letter_row["child_id"] == populated.child_id and letter_row["concern_id"] is None
    letter_bytes = (folder / letter_row["path"]).read_bytes()
    assert hashlib.sha256(letter_bytes).hexdigest() == letter_row["original_sha256"]  # as given
    assert letter_bytes.startswith(b"%PDF-")
    from PIL import Image

    with Image.open(folder / photo_row["path"]) as picture:
        assert not picture.getexif().get_ifd(GPS_IFD)
    listed_attachments = {f["attachment_id"]: f for f in files if f["kind"] == "attachment"}
    for row in kept:
        assert listed_attachments[row["id"]]["sha256"] == row["sha256"]
        assert "changed_since_attached" not in listed_attachments[row["id"]]
    chronology = _pdftotext(folder / f"chronologies/child-{populated.child_id}.pdf")
    assert "Chronology" in chronology and CHILD_NAME in chronology
    sent = folder / f"referrals/referral-{populated.sent_referral}.pdf"
    text = _pdftotext(sent)
    assert populated.sent_referral in text
    assert "Dana Lead" in text  # who sent it, not the administrator who exported it
    (listed,) = [f for f in files if f["kind"] == "referral"]
    session = _login(populated.data_dir, populated.admin)
    try:
        verified = referral.verify_referral(session, sent.read_bytes())
        record = referral.referral_record(session, populated.sent_referral)
    finally:
        session.lock()
    assert verified.ok and verified.trusted and verified.signer == "Alex Admin"
    assert listed["sent_sha256"] == record.pdf_sha256


def _cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safeguard_desktop.cli", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _7z(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["7z", *args], capture_output=True, text=True, check=False, timeout=120)


# --- folder -------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [None, 2], ids=["in-process", "pdf-workers"])
def test_folder_export_holds_every_record_owner_only(
    populated: Populated, admin: CaseSession, tmp_path: Path, workers: int | None
) -> None:
    """A store this small makes its PDFs in this process; a big one in worker processes,
    which must give exactly the same export."""
    target = tmp_path / "out" / "export"
    target.parent.mkdir()
    seen: list[int] = []
    result = export.export_everything(
        admin, target, progress=lambda p, _t: seen.append(p), pdf_workers=workers
    )
    assert seen == sorted(seen) and seen[-1] == 100
    assert not result.zipped and result.sha256 is None
    assert result.chronologies == 2 and result.referrals == 1 and result.files == 8
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o700
        for path in target.rglob("*"):
            expected = 0o700 if path.is_dir() else 0o600
            assert stat.S_IMODE(path.stat().st_mode) == expected, path
    raw = (target / "export.json").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == result.export_json_sha256
    data = json.loads(raw)
    _check_export_json(data, admin)
    _check_pdfs(target, data, populated)
    (entry,) = _audit(admin, "full_export")
    assert entry["format"] == "folder" and entry["counts"] == data["counts"]
    assert entry["export_json_sha256"] == result.export_json_sha256
    assert CHILD_NAME not in json.dumps(entry) and str(target) not in json.dumps(entry)


def test_an_empty_folder_is_used_and_other_targets_refused(
    populated: Populated, admin: CaseSession, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o755)
    export.export_everything(admin, empty)
    assert (empty / "export.json").is_file()
    if os.name == "posix":
        assert stat.S_IMODE(empty.stat().st_mode) == 0o700

    with pytest.raises(BadInput, match="not empty"):
        export.export_everything(admin, empty)
    with pytest.raises(BadInput, match="data folder"):
        export.export_everything(admin, populated.data_dir / "export")
    with pytest.raises(BadInput, match="does not exist"):
        export.export_everything(admin, tmp_path / "missing" / "export")
    file = tmp_path / "file.zip"
    file.write_bytes(b"x")
    with pytest.raises(BadInput, match="already exists"):
        export.export_everything(admin, file, zip_password=ZIP_PASSWORD)
    with pytest.raises(BadInput, match="at least 8 characters"):
        export.export_everything(admin, tmp_path / "new.zip", zip_password="short")
    assert not (tmp_path / "new.zip").exists()
    assert len(_audit(admin, "full_export")) == 1


def test_a_lead_who_is_not_an_administrator_is_refused(
    populated: Populated, tmp_path: Path
) -> None:
    session = _login(populated.data_dir, populated.dsl)
    try:
        with pytest.raises(NotPermitted, match="administrator"):
            export.export_everything(session, tmp_path / "export")
    finally:
        session.lock()
    assert not (tmp_path / "export").exists()


@pytest.mark.parametrize(
    ("zipped", "workers"),
    [(False, None), (True, None), (False, 2)],
    ids=["folder", "zip", "folder-pdf-workers"],
)
def test_cancelling_keeps_nothing_and_audits_nothing(
    admin: CaseSession, tmp_path: Path, zipped: bool, workers: int | None
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / ("export.zip" if zipped else "export")
    calls: list[int] = []
    with pytest.raises(export.ExportCancelled):
        export.export_everything(
            admin,
            target,
            zip_password=ZIP_PASSWORD if zipped else None,
            progress=lambda p, _t: calls.append(p),
            cancelled=lambda: len(calls) >= 2,
            pdf_workers=workers,
        )
    assert list(out.iterdir()) == []  # not the target, not a temporary file
    assert multiprocessing.active_children() == []  # the workers stopped with it
    assert _audit(admin, "full_export") == []


# --- ZIP ----------------------------------------------------------------------------------


def test_zip_opens_in_7zip_with_its_password_and_not_without(
    populated: Populated, admin: CaseSession, tmp_path: Path
) -> None:
    target = tmp_path / "records.zip"
    result = export.export_everything(admin, target, zip_password=ZIP_PASSWORD)
    data = target.read_bytes()
    assert result.zipped and hashlib.sha256(data).hexdigest() == result.sha256
    assert result.bytes == len(data)
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["data", "records.zip"]
    # Encrypted: no record text, and nothing a search would find, in the file itself.
    assert CANARY.encode() not in data and CHILD_NAME.encode() not in data

    listing = _7z("l", "-slt", str(target))
    assert listing.returncode == 0, listing.stderr
    assert "Method = AES-256" in listing.stdout
    assert "Encrypted = +" in listing.stdout
    assert CHILD_NAME.split()[0] not in listing.stdout  # names inside are ids only

    wrong = _7z("t", "-pnot-the-password", str(target))
    assert wrong.returncode != 0 and "Wrong password" in wrong.stdout + wrong.stderr
    without = _7z("x", "-p", f"-o{tmp_path / 'without'}", str(target))
    assert without.returncode != 0

    opened = tmp_path / "opened"
    run = _7z("x", f"-p{ZIP_PASSWORD}", f"-o{opened}", str(target))
    assert run.returncode == 0, run.stdout + run.stderr
    contents = json.loads((opened / "export.json").read_bytes())
    _check_export_json(contents, admin)
    _check_pdfs(opened, contents, populated)
    (entry,) = _audit(admin, "full_export")
    assert entry["format"] == "zip" and entry["sha256"] == result.sha256
    assert entry["counts"] == contents["counts"]


def test_a_password_beyond_ascii_opens_in_7zip(admin: CaseSession, tmp_path: Path) -> None:
    password = "Łódź-żółw-ключ-42"
    target = tmp_path / "records.zip"
    export.export_everything(admin, target, zip_password=password)
    run = _7z("t", f"-p{password}", str(target))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Everything is Ok" in run.stdout


# --- command line -------------------------------------------------------------------------


def test_command_line_exports_and_refuses_with_the_documented_codes(
    populated: Populated, tmp_path: Path
) -> None:
    admin_line = f"{populated.admin[1]}\n"
    data_dir = populated.data_dir
    out = tmp_path / "cli.zip"

    done = _cli(data_dir, "export", "--as", "admin", "--out", str(out), "--zip",
                stdin=f"{admin_line}{ZIP_PASSWORD}\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed["format"] == "zip" and printed["counts"]["concerns"] == 3
    assert printed["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert "password" in done.stderr

    folder = tmp_path / "cli-folder"
    done = _cli(data_dir, "export", "--as", "admin", "--out", str(folder), stdin=admin_line)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"] == 8 and (folder / "export.json").is_file()

    cases = [
        # (arguments, stdin, exit code, words in the message)
        (["--out", str(tmp_path / "a")], "wrong-password\n", 3, "password"),
        (["--out", str(tmp_path / "b.zip"), "--zip"], f"{admin_line}short\n", 2, "8 characters"),
        (["--out", str(folder)], admin_line, 2, "not empty"),
        (["--out", str(out), "--zip"], f"{admin_line}{ZIP_PASSWORD}\n", 2, "already exists"),
        (["--out", str(data_dir / "x")], admin_line, 2, "data folder"),
    ]
    for arguments, stdin, code, words in cases:
        run = _cli(data_dir, "export", "--as", "admin", *arguments, stdin=stdin)
        assert run.returncode == code, (arguments, run.stderr)
        assert words in run.stderr and len(run.stderr.strip().splitlines()) == 1
        assert "Traceback" not in run.stderr
    for who in (populated.recorder, populated.dsl):
        run = _cli(data_dir, "export", "--as", who[0], "--out", str(tmp_path / "c"),
                   stdin=f"{who[1]}\n")  # fmt: skip
        assert run.returncode == 3, run.stderr
    assert not any((tmp_path / n).exists() for n in ("a", "b.zip", "c"))


# --- no plaintext outside the export ------------------------------------------------------


@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
def test_no_record_text_is_written_outside_the_export(
    populated: Populated,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    zipped: bool,
) -> None:
    """The canary idea (tests/security/test_canary.py): the canary is in the concern, the action
    and the referral; after an export it is found in the export folder and nowhere else
    under this test's folder (temporary folder, logs, the ZIP, the data folder)."""
    temp, logs = tmp_path / "tmp", tmp_path / "logs"
    temp.mkdir()
    logs.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("SQLITE_TMPDIR", str(temp))
    monkeypatch.setenv("SAFEGUARD_LOG_DIR", str(logs))
    target = tmp_path / "out" / ("records.zip" if zipped else "records")
    target.parent.mkdir()
    args = ["--debug", "export", "--as", "admin", "--out", str(target)]
    stdin = f"{populated.admin[1]}\n" + (f"{ZIP_PASSWORD}\n" if zipped else "")
    run = _cli(populated.data_dir, *args, *(["--zip"] if zipped else []), stdin=stdin)
    assert run.returncode == 0, run.stderr
    secrets = {"canary": needles(CANARY), "child's name": needles(CHILD_NAME)}
    if zipped:
        outside = all_files(tmp_path)
    else:
        outside = [p for p in all_files(tmp_path) if target not in p.parents]
        # Positive control: the export itself holds the canary in the clear.
        inside = find_in_files([target / "export.json"], secrets)
        assert len(inside) == 2
    assert find_in_files(outside, secrets) == []
    assert CANARY not in run.stdout + run.stderr


def test_pdf_workers_write_no_record_text_anywhere(
    admin: CaseSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same with the PDFs made by worker processes (a big store's export): what the
    workers are sent and give back travels through pipes, never through a file."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    # The workers start with this environment: anything they wrote to a temporary
    # file would be written here.
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("SQLITE_TMPDIR", str(temp))
    target = tmp_path / "out" / "records"
    target.parent.mkdir()
    result = export.export_everything(admin, target, pdf_workers=2)
    assert result.chronologies == 2 and result.referrals == 1
    secrets = {"canary": needles(CANARY), "child's name": needles(CHILD_NAME)}
    outside = [p for p in all_files(tmp_path) if target not in p.parents]
    assert find_in_files(outside, secrets) == []
    # Positive control: the chronologies the workers made hold the child's name.
    chronologies = sorted((target / "chronologies").iterdir())
    assert any(CHILD_NAME in _pdftotext(path) for path in chronologies)


def test_a_pdf_worker_killed_mid_export_leaves_nothing_and_audits_nothing(
    admin: CaseSession, tmp_path: Path
) -> None:
    """As the out-of-memory killer would: the workers are killed when the first PDF has
    been written, while the referral (handed out as that PDF came back) is being made."""
    out = tmp_path / "out"
    out.mkdir()
    killed: list[int] = []

    def kill_the_workers(_percent: int, _text: str) -> None:
        if not killed:
            for child in multiprocessing.active_children():
                os.kill(child.pid or 0, signal.SIGKILL)
                killed.append(child.pid or 0)

    with pytest.raises(PdfWorkerStopped) as stopped:
        export.export_everything(admin, out / "export", progress=kill_the_workers, pdf_workers=2)
    assert len(killed) == 2
    assert str(stopped.value).endswith("Close other programs and try again.")
    assert list(out.iterdir()) == []
    assert _audit(admin, "full_export") == []
    assert multiprocessing.active_children() == []


REFUSED_CHILD = textwrap.dedent(
    """
    import multiprocessing, resource, signal, sys
    from pathlib import Path
    from safeguard_desktop.services import export
    from safeguard_desktop.services.export_file import NotSaved
    from safeguard_desktop.services.store import Store
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    data_dir, out, user, password = Path(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:5]
    session = Store.open(data_dir).login(user, password)
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    # Files of 20 KB at most: the first PDF cannot be written.
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, hard))
    try:
        export.export_everything(session, out, pdf_workers=2)
        print("MADE")
    except NotSaved as err:
        # The error still held, as the app's worker holds it until it is shown.
        print(len(multiprocessing.active_children()), str(err))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
        session.lock()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_refused_write_stops_the_pdf_workers_before_it_is_told(
    populated: Populated, tmp_path: Path
) -> None:
    """The workers stop inside the export, not whenever the error is let go of (which
    in the app happens on the window's thread)."""
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            REFUSED_CHILD,
            str(populated.data_dir),
            str(out / "export"),
            *populated.admin,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=cli_env(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 The export could not be written because "), done.stdout
    assert "nothing was kept" in done.stdout
    assert list(out.iterdir()) == []


KILLED_CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from safeguard_desktop.services.export_writer import ExportFile, FolderWriter

    def files():
        yield ExportFile("chronologies/child-1.pdf", b"%PDF- a whole first file")
        os._exit(9)  # as the task manager ends it: nothing runs after this

    FolderWriter(Path(sys.argv[1])).write_all(files())
    """
)


def test_a_folder_export_killed_half_way_never_has_the_name_chosen(tmp_path: Path) -> None:
    """What a killed process leaves says it is incomplete; the name the user chose, and
    will look for, only ever holds a whole export."""
    out = tmp_path / "stick"
    out.mkdir()
    target = out / "safeguard-export-riverside-2026-12-07"
    done = subprocess.run(
        [sys.executable, "-c", KILLED_CHILD, str(target)], capture_output=True, timeout=60
    )
    assert done.returncode == 9, done.stderr
    assert not target.exists()
    (left,) = out.iterdir()
    assert left.name.startswith(f"{target.name}.incomplete-")
    assert (left / "chronologies" / "child-1.pdf").read_bytes() == b"%PDF- a whole first file"


EXPORT_KILLED_CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from safeguard_desktop.services import export
    from safeguard_desktop.services.store import Store

    data_dir, target, username = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    session = Store.open(data_dir).login(username, sys.stdin.readline().rstrip("\\n"))

    def progress(_percent, _text):
        if any(target.parent.glob("*.incomplete-*/chronologies/*.pdf")):
            os._exit(9)  # as the task manager ends it: nothing runs after this

    export.export_everything(session, target, progress=progress)
    """
)


def test_the_next_export_removes_what_a_killed_one_left_and_says_so(
    populated: Populated, tmp_path: Path
) -> None:
    """From a review: an export whose process was killed left a readable partial copy
    (``<name>.incomplete-<hex>/chronologies/child-1.pdf``), never removed or audited."""
    out = tmp_path / "stick"
    out.mkdir()
    username, password = populated.admin
    killed = subprocess.run(
        [sys.executable, "-c", EXPORT_KILLED_CHILD, str(populated.data_dir), str(out / "records"),
         username],
        input=f"{password}\n", capture_output=True, text=True, timeout=300,
        env=cli_env(tmp_path),
    )  # fmt: skip
    assert killed.returncode == 9, killed.stderr
    (left,) = out.iterdir()
    assert left.name.startswith("records.incomplete-")
    assert any((left / "chronologies").iterdir())  # readable records, until the next export
    partial_zip = out / ".records.zip.0123abcd.partial"  # a killed ZIP export's
    partial_zip.write_bytes(b"ciphertext")
    # Named like ours, but holding something no export writes: never deleted.
    not_ours = out / "holiday.incomplete-89abcdef"
    not_ours.mkdir()
    (not_ours / "notes.txt").write_text("mine")

    session = _login(populated.data_dir, populated.admin)
    try:
        result = export.export_everything(session, out / "records-2")
        assert sorted(p.name for p in out.iterdir()) == [not_ours.name, "records-2"]
        assert result.leftovers_removed == 2
        assert "stopped half way and left files behind; they have been deleted" in (
            result.leftovers_sentence()
        )
        assert (not_ours / "notes.txt").read_text() == "mine"
        assert _audit(session, "export_leftovers_removed") == [{"removed": 2}]
        assert len(_audit(session, "full_export")) == 1
    finally:
        session.lock()
