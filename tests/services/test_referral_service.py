"""Signed referral PDFs end to end on real stores: make, preview, save, verify, import.

Signatures are checked twice: by our own verifier (pyHanko) and by poppler's pdfsig
(NSS underneath), an independent implementation. Encryption is checked with
pdftotext. The command line is run as a user runs it, in a subprocess.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from casework_data import RECORDER_ACCOUNT, concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
from safeguard_desktop.domain.errors import BadInput, NotPermitted, WrongCredentials
from safeguard_desktop.domain.handoff import (
    DEFAULT_LAWFUL_BASIS,
    Consent,
    HandoffDecision,
    InformationSharing,
    Outcome,
)
from safeguard_desktop.domain.organisation import LocalContacts, OrgType
from safeguard_desktop.domain.referral import ReferralContent, ReferralStatus
from safeguard_desktop.pdf.preview import render_pages
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services import audit_trail, casework, children, people, referral
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.referral_files import check_pdf_file, import_certificate_file
from safeguard_desktop.services.referral_preview import make_with_preview, open_referral
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.setup import SetupRequest, create_store
from safeguard_desktop.services.store import Store

VALID_LINE = "Signature Validation: Signature is Valid."
PDF_PASSWORD = "blue-harbour-42"
SUMMARY = "Bruise on the left forearm; the child said her dad grabbed her."
NOW = datetime.now().replace(microsecond=0)

# The store, a signed-in DSL, the concern's reference and its referral's.
HandedOff = tuple[StoreFixture, CaseSession, str, str]


# --- helpers ------------------------------------------------------------------------------


def _decision() -> HandoffDecision:
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
        referral=ReferralContent(summary=SUMMARY, risks="Physical harm at home."),
        review_on=None,
        follow_up_on=NOW.date() + timedelta(days=2),
        follow_up_what="Chase the front door for the outcome.",
        now=NOW,
    )


def _login(fixture: StoreFixture, who: tuple[str, str]) -> CaseSession:
    session = Store.open(fixture.data_dir).login(*who)
    assert isinstance(session, CaseSession)
    return session


def _audit(session: CaseSession, action: str) -> list[dict[str, object]]:
    return [e.detail for e in audit_trail.entries(session, 1000) if e.action == action]


def pdfsig(path: Path, password: str | None = None) -> str:
    args = ["pdfsig", *(["-upw", password] if password is not None else []), str(path)]
    run = subprocess.run(args, capture_output=True, text=True, check=False)
    return run.stdout + run.stderr


def pdftotext(path: Path, password: str | None = None) -> subprocess.CompletedProcess[str]:
    args = ["pdftotext", *(["-upw", password] if password is not None else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=False)


def pdftotext_bytes(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    return pdftotext(path).stdout


def flip_signed_byte(pdf: bytes) -> bytes:
    """One byte changed inside the first signed range (a compressed stream)."""
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", pdf)
    assert match is not None
    start, length = int(match.group(1)), int(match.group(2))
    position = pdf.index(b"stream\n", start) + len(b"stream\n") + 20
    assert position < start + length
    tampered = bytearray(pdf)
    tampered[position] ^= 0x01
    return bytes(tampered)


def _pkcs12(password: bytes, organisation: str = "Riverside Juniors FC") -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} signing"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"signing", key, cert, None, serialization.BestAvailableEncryption(password)
    )


@pytest.fixture
def handed_off(store_dir: StoreFixture) -> Iterator[HandedOff]:
    """A concern with a linked child and a social care referral, and a DSL session."""
    concern_ref = submit(Store.open(store_dir.data_dir), concern_data())
    session = _login(store_dir, store_dir.dsl)
    try:
        casework.create_child_for(session, concern_ref, 0)
        result = record_handoff(session, concern_ref, _decision())
        (referral_ref,) = result.referral_refs
        yield store_dir, session, concern_ref, referral_ref
    finally:
        session.lock()


# --- the signing identity -----------------------------------------------------------------


def test_a_new_store_has_its_certificate_from_setup(store_dir: StoreFixture) -> None:
    session = _login(store_dir, store_dir.dsl)
    try:
        info = referral.certificate_info(session)
        assert info.source == "generated"
        assert info.organisation == "Riverside Juniors FC"
        assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", info.fingerprint_sha256)
        assert info.valid_until > datetime.now(UTC) + timedelta(days=365 * 9)
        # Made at setup, so asking for it made nothing new.
        assert _audit(session, "signing_certificate_created") == []
        assert referral.certificate_info(session) == info
    finally:
        session.lock()


def test_importing_a_pkcs12_changes_the_fingerprint(handed_off: HandedOff) -> None:
    fixture, dsl, _, referral_ref = handed_off
    before = referral.certificate_info(dsl)
    old_pdf = referral.make_referral_pdf(dsl, referral_ref).pdf
    data = _pkcs12(b"p12-password")

    with pytest.raises(NotPermitted):
        referral.import_signing_identity(dsl, data, "p12-password")
    admin = _login(fixture, fixture.admin)
    try:
        with pytest.raises(WrongCredentials, match="password is wrong"):
            referral.import_signing_identity(admin, data, "not-the-password")
        with pytest.raises(BadInput, match="not a certificate file"):
            referral.import_signing_identity(admin, b"not a pkcs12 file", "x")
        assert referral.certificate_info(admin) == before

        after = referral.import_signing_identity(admin, data, "p12-password")
        assert after.source == "imported"
        assert after.fingerprint_sha256 != before.fingerprint_sha256
        (audit,) = _audit(admin, "signing_certificate_imported")
        assert audit == {
            "fingerprint": after.fingerprint_sha256,
            "replaced": before.fingerprint_sha256,
        }
        # A referral made now is signed with the new certificate and trusted.
        new = referral.make_referral_pdf(admin, referral_ref)
        result = referral.verify_referral(admin, new.pdf)
        assert result.ok and result.trusted
        assert result.fingerprint_sha256 == after.fingerprint_sha256
        # One signed before stays intact and valid, but is not this certificate's now.
        earlier = referral.verify_referral(admin, old_pdf)
        assert earlier.ok and not earlier.trusted
        assert earlier.fingerprint_sha256 == before.fingerprint_sha256
    finally:
        admin.lock()


def test_import_from_a_file_reads_it_and_says_plainly_what_is_wrong(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    path = tmp_path / "organisation.p12"
    path.write_bytes(_pkcs12(b"file-password"))
    admin = _login(store_dir, store_dir.admin)
    try:
        with pytest.raises(BadInput, match="no longer there"):
            import_certificate_file(admin, tmp_path / "missing.p12", "file-password")
        with pytest.raises(BadInput, match="folder"):
            import_certificate_file(admin, tmp_path, "file-password")
        with pytest.raises(WrongCredentials):
            import_certificate_file(admin, path, "wrong")
        info = import_certificate_file(admin, path, "file-password")
        assert info.source == "imported"
        assert referral.certificate_info(admin) == info
    finally:
        admin.lock()


# --- making, checking, saving -------------------------------------------------------------


def test_made_referral_is_signed_valid_in_pdfsig_and_pyhanko(
    handed_off: HandedOff,
    tmp_path: Path,
) -> None:
    _, session, concern_ref, referral_ref = handed_off
    made = referral.make_referral_pdf(session, referral_ref)
    assert made.referral_ref == referral_ref and made.concern_ref == concern_ref
    assert made.sha256 == hashlib.sha256(made.pdf).hexdigest()
    assert not made.encrypted
    assert made.suggested_name == f"referral-{referral_ref}.pdf"
    assert "Amelia" not in made.suggested_name
    # Made in memory only: nothing is recorded as sent yet.
    assert referral.referral_record(session, referral_ref).status is ReferralStatus.DRAFT
    assert _audit(session, "referral_exported") == []

    path = tmp_path / "made.pdf"
    path.write_bytes(made.pdf)
    assert VALID_LINE in pdfsig(path)
    result = referral.verify_referral(session, made.pdf)
    assert result.intact and result.valid and result.trusted
    assert result.signer == "Dana Lead"
    assert result.organisation == "Riverside Juniors FC"
    assert result.fingerprint_sha256 == referral.certificate_info(session).fingerprint_sha256
    text = pdftotext(path).stdout
    assert SUMMARY.split(";")[0] in re.sub(r"\s+", " ", text)
    # The fingerprint is printed in the PDF, in its two lines of sixteen pairs.
    first_half = ":".join(result.fingerprint_sha256.split(":")[:16])
    assert first_half in text


def test_a_pdf_signed_by_another_organisation_is_valid_but_not_trusted(
    handed_off: HandedOff,
    tmp_path: Path,
) -> None:
    _, session, _, _ = handed_off
    other = create_store(
        tmp_path / "other",
        SetupRequest(
            org_name="Riverside Juniors FC",  # the same name: only the certificate differs
            org_type=OrgType.CLUB,
            admin_username="olly",
            admin_display_name="Olly Other",
            admin_password="other-password-1",
            contacts=LocalContacts(),
        ),
        kdf=KdfParams(),
    )
    olly = other.store.login("olly", "other-password-1")
    people.add_user(olly, *RECORDER_ACCOUNT)  # type: ignore[arg-type]
    olly.lock()
    ref = submit(other.store, concern_data())
    other_session = other.store.login("olly", "other-password-1")  # takes in the concern
    assert isinstance(other_session, CaseSession)
    try:
        (other_ref,) = record_handoff(other_session, ref, _decision()).referral_refs
        forged = referral.make_referral_pdf(other_session, other_ref).pdf
    finally:
        other_session.lock()
    result = referral.verify_referral(session, forged)
    assert result.intact and result.valid
    assert not result.trusted
    assert "not the one you trust" in result.message
    assert result.fingerprint_sha256 != referral.certificate_info(session).fingerprint_sha256


def test_saving_writes_the_file_marks_it_sent_and_audits_its_sha256(
    handed_off: HandedOff,
    tmp_path: Path,
) -> None:
    _, session, concern_ref, referral_ref = handed_off
    made = referral.make_referral_pdf(session, referral_ref)
    path = tmp_path / "out" / "referral.pdf"
    path.parent.mkdir()
    referral.save_referral_pdf(session, made, path)

    assert path.read_bytes() == made.pdf
    assert [p.name for p in path.parent.iterdir()] == ["referral.pdf"]  # no temporary left
    record = referral.referral_record(session, referral_ref)
    assert record.status is ReferralStatus.SENT
    assert record.pdf_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    (audit,) = _audit(session, "referral_exported")
    assert audit["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert audit["referral"] == referral_ref and audit["ref"] == concern_ref
    assert audit["encrypted"] is False
    (child,) = [c.linked for c in casework.concern_file(session, concern_ref).children]
    assert child is not None
    titles = [e.title for e in children.chronology(session, child.child_id)]
    assert "Referral sent: Children's social care" in titles

    # Once sent, what it says cannot change; a fresh copy can still be made and saved.
    with pytest.raises(BadInput, match="has been sent"):
        referral.update_referral_content(
            session, referral_ref, ReferralContent(summary="Changed afterwards.")
        )
    again = referral.make_referral_pdf(session, referral_ref)
    assert "Changed afterwards" not in pdftotext_bytes(again.pdf, tmp_path)


def test_a_referral_that_cannot_be_saved_or_audited_leaves_no_file(
    handed_off: HandedOff, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeguard_desktop.services.export_file import NotSaved
    from safeguard_desktop.storage import audit_log

    _, session, _, referral_ref = handed_off
    made = referral.make_referral_pdf(session, referral_ref)
    with pytest.raises(NotSaved, match="that folder no longer exists"):
        referral.save_referral_pdf(session, made, tmp_path / "gone" / "r.pdf")

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(audit_log, "append", refused)
    path = tmp_path / "referral.pdf"
    with pytest.raises(OSError):
        referral.save_referral_pdf(session, made, path)
    monkeypatch.undo()
    assert not path.exists()  # no copy the audit log does not know of
    assert referral.referral_record(session, referral_ref).status is (ReferralStatus.DRAFT)


def test_a_draft_can_be_edited_and_the_pdf_says_the_edit(
    handed_off: HandedOff,
    tmp_path: Path,
) -> None:
    _, session, _, referral_ref = handed_off
    edited = ReferralContent(summary="Edited summary: seen at 15:30.", needs="A safe adult.")
    referral.update_referral_content(session, referral_ref, edited)
    assert referral.referral_record(session, referral_ref).content == edited
    assert _audit(session, "referral_edited") == [{"referral": referral_ref}]
    with pytest.raises(BadInput) as err:
        referral.update_referral_content(session, referral_ref, ReferralContent(""))
    assert err.value.field == "referral.summary"
    text = pdftotext_bytes(referral.make_referral_pdf(session, referral_ref).pdf, tmp_path)
    assert "Edited summary: seen at 15:30." in text


def test_an_encrypted_referral_opens_only_with_its_password(
    handed_off: HandedOff,
    tmp_path: Path,
) -> None:
    _, session, _, referral_ref = handed_off
    with pytest.raises(BadInput, match="at least 8"):
        referral.make_referral_pdf(session, referral_ref, pdf_password="short")
    made = referral.make_referral_pdf(session, referral_ref, pdf_password=PDF_PASSWORD)
    assert made.encrypted
    assert b"Amelia" not in made.pdf and SUMMARY.encode() not in made.pdf
    path = tmp_path / "locked.pdf"
    referral.save_referral_pdf(session, made, path)

    opened = pdftotext(path, PDF_PASSWORD)
    assert opened.returncode == 0 and "Amelia" in opened.stdout
    refused = pdftotext(path)
    assert refused.returncode != 0 and "Amelia" not in refused.stdout
    assert pdftotext(path, "wrong-password").returncode != 0
    assert VALID_LINE in pdfsig(path, PDF_PASSWORD)  # encrypted first, signed second

    with pytest.raises(WrongCredentials, match="password protected"):
        referral.verify_referral(session, made.pdf)
    with pytest.raises(WrongCredentials, match="wrong"):
        referral.verify_referral(session, made.pdf, password="wrong-password")
    result = referral.verify_referral(session, made.pdf, password=PDF_PASSWORD)
    assert result.ok and result.trusted
    (audit,) = _audit(session, "referral_exported")
    assert audit["encrypted"] is True


@pytest.mark.parametrize("password", ["", "1234567"], ids=["empty", "seven_characters"])
def test_an_empty_or_short_pdf_password_is_refused_not_dropped(
    handed_off: HandedOff, password: str
) -> None:
    # Issue 21: an empty password made an unprotected PDF, and saving it marked it sent.
    _, session, _, referral_ref = handed_off
    with pytest.raises(BadInput) as caught:
        referral.make_referral_pdf(session, referral_ref, pdf_password=password)
    assert str(caught.value) == "The PDF password must be at least 8 characters long."
    assert caught.value.field == "pdf_password"


def test_nothing_is_saved_or_marked_sent_unless_the_pdf_is_what_was_asked(
    handed_off: HandedOff, tmp_path: Path
) -> None:
    from dataclasses import replace

    from safeguard_desktop.domain.errors import CheckFailed

    _, session, _, referral_ref = handed_off
    plain = referral.make_referral_pdf(session, referral_ref)
    locked = referral.make_referral_pdf(session, referral_ref, pdf_password=PDF_PASSWORD)
    path = tmp_path / "r.pdf"
    for wrong in (replace(plain, encrypted=True), replace(locked, encrypted=False)):
        with pytest.raises(CheckFailed, match="nothing was saved"):
            referral.save_referral_pdf(session, wrong, path)
        assert not path.exists()
    record = referral.referral_record(session, referral_ref)
    assert record.status is ReferralStatus.DRAFT
    assert _audit(session, "referral_exported") == []


# --- previews and file checks (what the dialogs call) -------------------------------------


def test_make_with_preview_saves_edits_and_draws_every_page(
    handed_off: HandedOff,
) -> None:
    _, session, _, referral_ref = handed_off
    edited = ReferralContent(summary="Summary typed in the dialog.")
    made = make_with_preview(
        session,
        referral_ref,
        page_width=600,
        content=edited,
        referrer_contact="07700 900123",
        pdf_password=PDF_PASSWORD,
    )
    assert made.record.content == edited
    assert referral.referrer_contact(session) == "07700 900123"
    assert made.made.encrypted
    assert len(made.pages) >= 2
    assert [p.number for p in made.pages] == list(range(1, len(made.pages) + 1))
    first = made.pages[0]
    assert first.count == len(made.pages) and first.width == 600
    assert first.height > first.width  # portrait A4
    assert len(first.pixels) == first.stride * first.height
    # Drawn, not blank: some pixels are dark (text), most are white (paper).
    reds = first.pixels[0::4]
    assert min(reds) < 100 and reds.count(255) > len(reds) // 2
    overview = open_referral(session, referral_ref)
    assert overview.referrer_contact == "07700 900123"


def test_previews_need_the_pdf_password_and_refuse_what_is_not_a_pdf() -> None:
    with pytest.raises(BadInput, match="not a PDF"):
        render_pages(b"PK\x03\x04 a zip file", 500)
    with pytest.raises(BadInput, match="damaged"):
        render_pages(b"%PDF-1.7\nnothing else", 500)


def test_encrypted_preview_needs_its_password(
    handed_off: HandedOff,
) -> None:
    _, session, _, referral_ref = handed_off
    pdf = referral.make_referral_pdf(session, referral_ref, pdf_password=PDF_PASSWORD).pdf
    with pytest.raises(WrongCredentials, match="password protected"):
        render_pages(pdf, 400)
    with pytest.raises(WrongCredentials, match="wrong"):
        render_pages(pdf, 400, password="nope-nope-nope")
    assert len(render_pages(pdf, 400, password=PDF_PASSWORD)) >= 2


def test_checking_a_file_is_audited_with_its_sha256(
    handed_off: HandedOff,
    tmp_path: Path,
) -> None:
    _, session, _, referral_ref = handed_off
    made = referral.make_referral_pdf(session, referral_ref)
    good = tmp_path / "good.pdf"
    good.write_bytes(made.pdf)
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(flip_signed_byte(made.pdf))

    checked = check_pdf_file(session, good)
    assert checked.result.ok and checked.result.trusted
    assert checked.our_fingerprint == checked.result.fingerprint_sha256
    tampered = check_pdf_file(session, bad)
    assert not tampered.result.intact and not tampered.result.ok
    assert (
        _audit(session, "pdf_verified")
        == [
            {"sha256": made.sha256, "intact": True, "trusted": True},
            {
                "sha256": hashlib.sha256(bad.read_bytes()).hexdigest(),
                "intact": False,
                "trusted": False,
            },
        ][::-1]
    )  # newest first
    with pytest.raises(BadInput, match="no longer there"):
        check_pdf_file(session, tmp_path / "gone.pdf")


# --- the command line ---------------------------------------------------------------------


def cli(
    data_dir: Path, tmp_path: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["SAFEGUARD_LOG_DIR"] = str(tmp_path / "logs")
    env.pop("SAFEGUARD_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "safeguard_desktop.cli", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def test_cli_referral_and_verify_pdf_round_trip(
    handed_off: HandedOff,
    tmp_path: Path,
) -> None:
    fixture, session, concern_ref, referral_ref = handed_off
    session.lock()  # the command line opens the store itself
    user, password = fixture.dsl
    out = tmp_path / "cli.pdf"

    made = cli(
        fixture.data_dir, tmp_path, "referral", concern_ref, "--as", user, "--out", str(out),
        stdin=f"{password}\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    printed = json.loads(made.stdout)
    assert printed["referral"] == referral_ref
    assert printed["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert VALID_LINE in pdfsig(out)

    checked = cli(fixture.data_dir, tmp_path, "verify-pdf", str(out))
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert report["intact"] is True and report["valid"] is True
    assert report["signer"] == "Dana Lead"
    trusted = cli(fixture.data_dir, tmp_path, "verify-pdf", str(out), "--as", user,
                  stdin=f"{password}\n")  # fmt: skip
    assert trusted.returncode == 0 and json.loads(trusted.stdout)["trusted"] is True

    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(flip_signed_byte(out.read_bytes()))
    broken = cli(fixture.data_dir, tmp_path, "verify-pdf", str(tampered))
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["intact"] is False
    assert "Traceback" not in broken.stderr

    locked = tmp_path / "locked.pdf"
    encrypted = cli(
        fixture.data_dir, tmp_path, "referral", concern_ref, "--as", user, "--out", str(locked),
        "--encrypt", stdin=f"{password}\n{PDF_PASSWORD}\n",
    )  # fmt: skip
    assert encrypted.returncode == 0, encrypted.stderr
    assert "another route" in encrypted.stderr
    assert PDF_PASSWORD not in encrypted.stdout + encrypted.stderr
    assert pdftotext(locked).returncode != 0
    assert pdftotext(locked, PDF_PASSWORD).returncode == 0
    no_password = cli(fixture.data_dir, tmp_path, "verify-pdf", str(locked))
    assert no_password.returncode == 3
    opened = cli(fixture.data_dir, tmp_path, "verify-pdf", str(locked), "--password-stdin",
                 stdin=f"{PDF_PASSWORD}\n")  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    assert json.loads(opened.stdout)["intact"] is True

    recorder, recorder_password = fixture.recorder
    refused = cli(
        fixture.data_dir, tmp_path, "referral", concern_ref, "--as", recorder,
        "--out", str(tmp_path / "no.pdf"), stdin=f"{recorder_password}\n",
    )  # fmt: skip
    assert refused.returncode == 3
    assert len(refused.stderr.splitlines()) == 1 and "Traceback" not in refused.stderr
    assert not (tmp_path / "no.pdf").exists()
