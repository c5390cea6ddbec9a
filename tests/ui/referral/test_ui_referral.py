"""The referral dialog, "Verify a signed PDF" and the Settings card, on real stores and windows.

Each test signs in to the real main window and drives the real dialogs with pytest-qt.
Only the operating system's file chooser is replaced (it cannot be clicked offscreen);
everything after it (signing, saving, the audit log, verifying) is the real thing.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from casework_data import RECORDER_ACCOUNT, concern_data, submit
from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
from safeguard_desktop.domain.handoff import (
    DEFAULT_LAWFUL_BASIS,
    Consent,
    HandoffDecision,
    InformationSharing,
    Outcome,
)
from safeguard_desktop.domain.organisation import OrgType, Role
from safeguard_desktop.domain.referral import ReferralContent, ReferralStatus
from safeguard_desktop.pdf.preview import page_count
from safeguard_desktop.services import audit_trail, casework, referral
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.referral.certificate_import_dialog import CertificateImportDialog
from safeguard_desktop.ui.referral.fingerprint_label import fingerprint_lines
from safeguard_desktop.ui.referral.referral_dialog import ReferralDialog, open_referral_dialog
from safeguard_desktop.ui.referral.verify_dialog import VerifyDialog, open_verify_dialog
from safeguard_desktop.ui.widgets.concealed_clipboard import CLEAR_AFTER_MS, concealed_clipboard
from safeguard_desktop.ui.widgets.page_previews import PagePreviews
from ui_store import build_store, copy_store, open_main_window, sign_in_lead

ORG = "Hillside Primary School"
ADMIN, ADMIN_PASSWORD = "jo", "a long admin passphrase"
DSL, DSL_PASSWORD = "dana", "dana's long passphrase"
PDF_PASSWORD = "blue-harbour-42"
VALID_LINE = "Signature Validation: Signature is Valid."
CANARY = "Zq7Canary"
# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"

pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)

T = TypeVar("T")


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
        referral=ReferralContent(summary="Bruise on the left forearm.", risks="Harm at home."),
        review_on=None,
        follow_up_on=now.date() + timedelta(days=2),
        follow_up_what="Chase the front door for the outcome.",
        now=now,
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A school store with a concern, its child linked and a social care referral drafted."""
    data_dir, _ = build_store(
        tmp_path_factory.mktemp("template"),
        org=ORG,
        org_type=OrgType.SCHOOL,
        admin=(ADMIN, "Jo Morgan", ADMIN_PASSWORD),
        users=[(DSL, "Dana Lead", Role.DSL, DSL_PASSWORD), RECORDER_ACCOUNT],
    )
    store = Store.open(data_dir)
    concern_ref = submit(store, concern_data())
    session = store.login(DSL, DSL_PASSWORD)
    assert isinstance(session, CaseSession)
    try:
        casework.create_child_for(session, concern_ref, 0)
        (referral_ref,) = record_handoff(session, concern_ref, _decision()).referral_refs
    finally:
        session.lock()
    return data_dir, concern_ref, referral_ref


@pytest.fixture
def data_dir(template: tuple[Path, str, str], tmp_path: Path) -> Path:
    return copy_store(template[0], tmp_path)


@pytest.fixture
def referral_ref(template: tuple[Path, str, str]) -> str:
    return template[2]


def on_worker(qtbot: QtBot, window: MainWindow, fn: Callable[..., T], *args: Any) -> T:
    """Run a service call the way the app does (on the worker) and wait for it."""
    future: Future[T] = window.worker.submit(fn, *args)
    qtbot.waitUntil(future.done, timeout=30_000)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    return future.result()


def session_of(window: MainWindow) -> CaseSession:
    assert isinstance(window.session, CaseSession)
    return window.session


def audit(qtbot: QtBot, window: MainWindow, action: str) -> list[dict[str, object]]:
    entries = on_worker(qtbot, window, audit_trail.entries, session_of(window), 1000)
    return [e.detail for e in entries if e.action == action]


def open_dialog(qtbot: QtBot, window: MainWindow, area: CaseArea, ref: str) -> ReferralDialog:
    dialog = open_referral_dialog(area, session_of(window), window.worker, ref)
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=15_000)
    assert dialog.isVisible()
    return dialog


def replace_text(qtbot: QtBot, editor: QPlainTextEdit, text: str) -> None:
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)


def pdf_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, check=False)


def flip_signed_byte(pdf: bytes) -> bytes:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", pdf)
    assert match is not None
    start = int(match.group(1))
    position = pdf.index(b"stream\n", start) + len(b"stream\n") + 20
    tampered = bytearray(pdf)
    tampered[position] ^= 0x01
    return bytes(tampered)


def choose_file(monkeypatch: pytest.MonkeyPatch, method: str, path: Path) -> list[tuple[Any, ...]]:
    """The OS file chooser answers ``path``; returns the arguments it was asked with."""
    asked: list[tuple[Any, ...]] = []

    def fake(*args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append(args)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, method, staticmethod(fake))
    return asked


# --- the referral dialog ------------------------------------------------------------------


def test_edit_make_with_password_preview_and_save(
    qtbot: QtBot, data_dir: Path, referral_ref: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    dialog = open_dialog(qtbot, window, area, referral_ref)
    assert dialog.form.title.text() == "Referral to children's social care"
    assert referral_ref in dialog.form.facts.text() and "Not sent yet" in dialog.form.facts.text()
    assert dialog.windowTitle() == "Referral PDF"  # no reference or name in window lists
    assert dialog.form.editors["summary"].toPlainText() == "Bruise on the left forearm."
    assert not dialog.save_button.isEnabled()

    replace_text(qtbot, dialog.form.editors["summary"], "Seen at 15:30: a bruise 3 cm across.")
    qtbot.keyClicks(dialog.form.contact, "07700 900123")
    assert dialog.form.save_changes_button.isEnabled()

    qtbot.mouseClick(dialog.protect, Qt.MouseButton.LeftButton)
    assert dialog.password_box.isVisible() and dialog.password_reminder.isVisible()
    assert "never in the same email" in dialog.password_reminder.findChild(QLabel).text()
    qtbot.keyClicks(dialog.password, "short")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert dialog.password_error.text() == "The PDF password must be at least 8 characters long."
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PDF_PASSWORD)
    qtbot.keyClicks(dialog.password_again, PDF_PASSWORD + "x")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert "not the same" in dialog.password_error.text()
    assert not window.worker.busy  # nothing was started
    dialog.password_again.clear()
    qtbot.keyClicks(dialog.password_again, PDF_PASSWORD)

    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert dialog.is_busy and dialog.busy.isVisible()
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=30_000)
    made = dialog.made
    assert made is not None and made.encrypted
    pages = page_count(made.pdf, password=PDF_PASSWORD)
    assert pages >= 2
    assert dialog.previews.count == pages
    assert len(dialog.previews.page_labels()) == pages
    # Pages are drawn as they come near the view: the first now, the last once scrolled to.
    labels = dialog.previews.page_labels()
    assert not labels[0].pixmap().isNull()
    scroll = dialog.previews.verticalScrollBar()

    def scrolled_to_the_end() -> bool:
        # Scrolled again each try: the range grows once the pages are laid out, and a
        # value set before that leaves the last page out of view, rightly not drawn.
        scroll.setValue(scroll.maximum())
        return not labels[-1].pixmap().isNull()

    qtbot.waitUntil(scrolled_to_the_end, timeout=5_000)
    scroll.setValue(0)
    assert dialog.page_label.text() == f"Page 1 of {pages}"
    assert dialog.encrypted_reminder.isVisible()
    assert dialog.save_button.isEnabled()
    certificate = on_worker(qtbot, window, referral.certificate_info, session_of(window))
    assert dialog.fingerprint.fingerprint == certificate.fingerprint_sha256
    # The edits went in with the PDF.
    record = on_worker(qtbot, window, referral.referral_record, session_of(window), referral_ref)
    assert record.content.summary == "Seen at 15:30: a bruise 3 cm across."
    assert not dialog.form.save_changes_button.isEnabled()

    # Scrolling to the end says so.
    bar = dialog.previews.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: dialog.page_label.text() == f"Page {pages} of {pages}", timeout=5000)

    saved_signals: list[str] = []
    dialog.saved.connect(saved_signals.append)
    asked = choose_file(monkeypatch, "getSaveFileName", tmp_path / "chosen")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved to" in dialog.status.text(), timeout=15_000)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert asked[0][2] == str(Path(documents) / f"referral-{referral_ref}.pdf")
    assert "PDF" in asked[0][3]
    path = tmp_path / "chosen.pdf"  # ".pdf" added when the name had none
    assert str(path) in dialog.status.text()
    assert "SHA-256" in dialog.status.text() and "audit log" in dialog.status.text()
    assert saved_signals == [referral_ref]
    data = path.read_bytes()
    assert data == made.pdf
    assert VALID_LINE in pdf_tool("pdfsig", "-upw", PDF_PASSWORD, str(path)).stdout
    text = pdf_tool("pdftotext", "-upw", PDF_PASSWORD, str(path), "-").stdout
    assert "Seen at 15:30: a bruise 3 cm across." in text
    assert "07700 900123" in text
    assert pdf_tool("pdftotext", str(path), "-").returncode != 0
    (exported,) = audit(qtbot, window, "referral_exported")
    assert exported["sha256"] == hashlib.sha256(data).hexdigest()
    # Nothing but the chosen file was written next to it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chosen.pdf", "data"]

    # Sent now: what it says is fixed; a fresh signed copy can still be made.
    assert "Sent" in dialog.form.facts.text()
    assert all(editor.isReadOnly() for editor in dialog.form.editors.values())
    assert dialog.make_button.text() == "&Make again"
    assert not dialog.form.save_changes_button.isVisible()
    dialog.close_button.click()
    qtbot.waitUntil(lambda: not window.findChildren(ReferralDialog), timeout=5000)


def test_a_sent_referral_opens_read_only_and_can_be_made_again(
    qtbot: QtBot, data_dir: Path, referral_ref: str, tmp_path: Path
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    made = on_worker(qtbot, window, referral.make_referral_pdf, session_of(window), referral_ref)
    on_worker(
        qtbot, window, referral.save_referral_pdf, session_of(window), made, tmp_path / "first.pdf"
    )

    dialog = open_dialog(qtbot, window, area, referral_ref)
    assert dialog.record is not None and dialog.record.status is ReferralStatus.SENT
    assert dialog.form.sent_banner.isVisible()
    assert "cannot change" in dialog.form.sent_banner.findChild(QLabel).text()
    assert all(editor.isReadOnly() for editor in dialog.form.editors.values())
    assert dialog.make_button.text() == "&Make again"
    # From the keyboard: Enter in a line field presses the default button, "Make again".
    assert dialog.make_button.isDefault()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    dialog.form.contact.setFocus()
    qtbot.keyClick(dialog.form.contact, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=30_000)
    assert dialog.made is not None and not dialog.made.encrypted
    assert dialog.previews.count == page_count(dialog.made.pdf)
    dialog.reject()
    qtbot.waitUntil(lambda: not window.findChildren(ReferralDialog), timeout=5000)


def test_a_referral_answered_without_a_pdf_from_here_names_no_sending_date(
    qtbot: QtBot, data_dir: Path, referral_ref: str
) -> None:
    """Given through a council's portal, section by section, and answered: no "sent on ."."""
    from datetime import date

    from safeguard_desktop.domain.referral_outcome import AgencyOutcome, NewOutcome
    from safeguard_desktop.services import after_referral

    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    outcome = NewOutcome(
        AgencyOutcome.NO_FURTHER_ACTION, date.today(), "Advice given to the family.", None, True
    )
    on_worker(
        qtbot, window, after_referral.record_outcome, session_of(window), referral_ref, outcome
    )
    dialog = open_dialog(qtbot, window, area, referral_ref)
    assert dialog.record is not None and dialog.record.sent_at is None
    banner = dialog.form.sent_banner.findChild(QLabel).text()
    assert dialog.form.sent_banner.isVisible() and "sent on" not in banner
    assert "No signed PDF of it was made here" in banner
    dialog.reject()
    qtbot.waitUntil(lambda: not window.findChildren(ReferralDialog), timeout=5000)


def test_closing_with_unsaved_edits_saves_them_and_a_bad_edit_keeps_the_dialog(
    qtbot: QtBot, data_dir: Path, referral_ref: str
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    dialog = open_dialog(qtbot, window, area, referral_ref)
    summary = dialog.form.editors["summary"]
    replace_text(qtbot, summary, "   ")
    dialog.reject()
    qtbot.waitUntil(lambda: dialog.form.field_errors["summary"].isVisible(), timeout=10_000)
    assert dialog.isVisible()
    assert "Summary of the concern" in dialog.form.field_errors["summary"].text()
    assert dialog.close_button.text() == "C&lose without saving"

    replace_text(qtbot, summary, "Written again before closing.")
    dialog.reject()
    qtbot.waitUntil(lambda: not window.findChildren(ReferralDialog), timeout=10_000)
    record = on_worker(qtbot, window, referral.referral_record, session_of(window), referral_ref)
    assert record.content.summary == "Written again before closing."


def test_a_sentence_under_a_field_below_the_fold_is_scrolled_into_view(
    qtbot: QtBot, data_dir: Path, referral_ref: str
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    dialog = open_dialog(qtbot, window, area, referral_ref)
    dialog.protect.setChecked(True)
    dialog.form_area.verticalScrollBar().setValue(0)  # the lead is reading the summary
    assert dialog.password_error.visibleRegion().isEmpty()
    for _ in range(2):  # a short password, then the same again: said both times
        dialog.password.setText("short")
        qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
        assert "at least 8 characters" in dialog.password_error.text()
        qtbot.waitUntil(lambda: not dialog.password_error.visibleRegion().isEmpty(), timeout=5000)
        assert dialog.password.hasFocus()
        dialog.form_area.verticalScrollBar().setValue(0)
    # A sentence from the service about a box at the top goes there too.
    dialog.protect.setChecked(False)
    replace_text(qtbot, dialog.form.editors["summary"], " ")
    dialog.form_area.verticalScrollBar().setValue(dialog.form_area.verticalScrollBar().maximum())
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    error = dialog.form.field_errors["summary"]
    qtbot.waitUntil(lambda: not error.visibleRegion().isEmpty(), timeout=15_000)
    assert "Summary of the concern" in error.text()


def test_a_long_pdf_draws_only_the_pages_near_the_view_and_says_how_many_it_has(
    qtbot: QtBot,
) -> None:
    previews = PagePreviews("Pages", "Nothing yet")
    qtbot.addWidget(previews)
    previews.resize(400, 500)
    previews.show()
    qtbot.waitExposed(previews)
    seen: list[tuple[int, int]] = []
    previews.page_changed.connect(lambda number, count: seen.append((number, count)))
    page = QImage(900, 1273, QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    previews.set_pages([page] * 20, total=45)  # a PDF of 45 pages, the first 20 drawn
    assert seen[-1] == (1, 45)
    assert previews.page_labels()[0].accessibleName() == "Page 1 of 45"
    assert previews.not_all_shown.isVisibleTo(previews)
    assert "first 20 of the 45 pages" in previews.not_all_shown.text()

    def drawn() -> list[bool]:
        return [not label.pixmap().isNull() for label in previews.page_labels()]

    # The pages in view and a screen either side, not all twenty.
    assert drawn()[0] and not drawn()[-1] and sum(drawn()) <= 4
    bar = previews.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 15 * previews.page_labels()[0].height(), timeout=5000)
    bar.setValue(bar.maximum())
    assert drawn()[-1] and seen[-1] == (20, 45)
    width = previews.page_labels()[-1].pixmap().deviceIndependentSize().width()
    previews.resize(300, 500)  # narrower: the pages in view are drawn again to fit
    qtbot.waitUntil(
        lambda: previews.page_labels()[-1].pixmap().deviceIndependentSize().width() < width,
        timeout=5000,
    )
    previews.set_pages([page] * 2)  # all drawn: nothing more to say
    assert not previews.not_all_shown.isVisibleTo(previews) and seen[-1] == (1, 2)


# --- verifying ----------------------------------------------------------------------------


def test_verify_dialog_on_good_tampered_and_encrypted_files(
    qtbot: QtBot, data_dir: Path, referral_ref: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    plain = on_worker(qtbot, window, referral.make_referral_pdf, session_of(window), referral_ref)
    locked = on_worker(
        qtbot,
        window,
        lambda: referral.make_referral_pdf(
            session_of(window), referral_ref, pdf_password=PDF_PASSWORD
        ),
    )
    good, tampered, encrypted = (tmp_path / n for n in ("good.pdf", "bad.pdf", "locked.pdf"))
    good.write_bytes(plain.pdf)
    tampered.write_bytes(flip_signed_byte(plain.pdf))
    encrypted.write_bytes(locked.pdf)
    ours = on_worker(qtbot, window, referral.certificate_info, session_of(window))

    area.show_section("Settings")
    qtbot.mouseClick(area.settings.referrals.verify_button, Qt.MouseButton.LeftButton)
    dialog = area.settings.referrals.verify_dialog
    assert isinstance(dialog, VerifyDialog) and dialog.isVisible()

    choose_file(monkeypatch, "getOpenFileName", good)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=15_000)
    assert dialog.verdict.text().startswith("Passed")
    assert dialog.message.property("sgRole") == "good"
    assert dialog.signer.text() == "Dana Lead"
    assert dialog.organisation.text() == ORG
    assert dialog.intact.text() == "Yes" and dialog.valid.text() == "Yes"
    assert dialog.trusted.text() == "Yes"
    assert dialog.fingerprint.fingerprint == ours.fingerprint_sha256
    assert not dialog.our_fingerprint.isVisible()
    signed_at = dialog.signed_at.text()
    assert str(datetime.now().year) in signed_at and "signer's PC" in signed_at

    choose_file(monkeypatch, "getOpenFileName", tampered)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=15_000)
    assert dialog.verdict.text().startswith("Failed")
    assert dialog.message.property("sgRole") == "error"
    assert "changed since it was signed" in dialog.message.text()
    assert dialog.intact.text().startswith("No")
    assert dialog.valid.text().startswith("Yes, but")  # never a bare Yes on a changed file

    choose_file(monkeypatch, "getOpenFileName", encrypted)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.password_box.isVisible(), timeout=15_000)
    assert not dialog.result_card.isVisible()
    qtbot.keyClicks(dialog.password, "not-the-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.password_error.isVisible(), timeout=15_000)
    assert dialog.password_error.text() == "The PDF password is wrong; type it again."
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PDF_PASSWORD)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=15_000)
    assert dialog.verdict.text().startswith("Passed")
    assert dialog.password.text() == "" and not dialog.password_box.isVisible()

    checks = audit(qtbot, window, "pdf_verified")
    assert [c["intact"] for c in checks] == [True, False, True]  # newest first
    assert checks[-1]["sha256"] == hashlib.sha256(good.read_bytes()).hexdigest()
    dialog.close_button.click()
    qtbot.waitUntil(lambda: area.settings.referrals.verify_dialog is None, timeout=5000)


def test_verify_dialog_names_a_different_certificate(
    qtbot: QtBot, data_dir: Path, referral_ref: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    session = session_of(window)
    before = on_worker(qtbot, window, referral.make_referral_pdf, session, referral_ref)
    on_worker(qtbot, window, referral.import_signing_identity, session, _pkcs12(b"pw"), "pw")
    old = tmp_path / "before.pdf"
    old.write_bytes(before.pdf)
    dialog = open_verify_dialog(area, session, window.worker)
    dialog.check_file(old)
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=15_000)
    assert dialog.intact.text() == "Yes" and dialog.valid.text() == "Yes"
    assert dialog.trusted.text() == "No: signed with a different certificate; compare fingerprints"
    assert dialog.our_fingerprint.isVisible()
    assert dialog.our_fingerprint.fingerprint != dialog.fingerprint.fingerprint
    assert not dialog.verdict.text().startswith("Passed")
    dialog.reject()


# --- settings -----------------------------------------------------------------------------


def _pkcs12(password: bytes) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=400))
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"org", key, cert, None, serialization.BestAvailableEncryption(password)
    )


def test_settings_card_shows_copies_and_imports_the_certificate(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    settings = area.settings.referrals
    area.show_section("Settings")
    qtbot.waitUntil(lambda: settings.save_contacts_button.isEnabled(), timeout=10_000)
    info = on_worker(qtbot, window, referral.certificate_info, session_of(window))
    assert settings.certificate_fingerprint.fingerprint == info.fingerprint_sha256
    assert settings.certificate_fingerprint.text() == fingerprint_lines(info.fingerprint_sha256)
    assert settings.certificate_organisation.text() == ORG
    assert settings.certificate_source.text() == "By this app when it was set up"
    until = info.valid_until.astimezone()
    assert settings.certificate_valid_until.text() == f"{until.day} {until:%B %Y}"

    clipboard = QApplication.clipboard()
    clipboard.setText("something the user copied earlier")
    qtbot.mouseClick(settings.copy_fingerprint_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == info.fingerprint_sha256
    assert settings.certificate_message.text() == "The fingerprint is copied."

    p12 = tmp_path / "organisation.pfx"
    p12.write_bytes(_pkcs12(b"file-password"))
    asked = choose_file(monkeypatch, "getOpenFileName", p12)
    assert settings.import_button is not None
    qtbot.mouseClick(settings.import_button, Qt.MouseButton.LeftButton)
    assert "*.p12 *.pfx" in asked[0][3]
    dialog = settings.import_dialog
    assert isinstance(dialog, CertificateImportDialog) and dialog.isVisible()
    assert any("stay valid" in label.text() for label in dialog.findChildren(QLabel))
    qtbot.keyClicks(dialog.password, "wrong-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text() == (
        "The certificate file's password is wrong; type the password it came with."
    )
    assert dialog.isVisible()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "file-password")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.import_dialog is None, timeout=10_000)
    after = on_worker(qtbot, window, referral.certificate_info, session_of(window))
    assert after.fingerprint_sha256 != info.fingerprint_sha256
    assert settings.certificate_fingerprint.fingerprint == after.fingerprint_sha256
    assert settings.certificate_source.text() == "Imported from a certificate file"
    assert "new fingerprint" in settings.certificate_message.text()

    # The organisation's address, set by an administrator, and their own contact line.
    settings.organisation_contact.setPlainText("Hillside Primary, Mill Lane\n01632 960000")
    qtbot.keyClicks(settings.referrer_contact, "jo@hillside.example")
    qtbot.mouseClick(settings.save_contacts_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.contacts_message.text().startswith("Saved"), timeout=10_000)
    session = session_of(window)
    assert on_worker(qtbot, window, referral.organisation_contact, session).startswith("Hillside")
    assert on_worker(qtbot, window, referral.referrer_contact, session) == "jo@hillside.example"


def test_a_file_that_is_no_certificate_offers_another_file(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    settings = area.settings.referrals
    area.show_section("Settings")
    qtbot.waitUntil(lambda: settings.save_contacts_button.isEnabled(), timeout=10_000)
    garbage = tmp_path / "\u202ekcab.p12"  # a right-to-left override in the name
    garbage.write_bytes(bytes(range(256)) * 8)
    dialog = settings.open_import_dialog(garbage)
    assert "\u202e" not in dialog.file_line.text()  # shown, never obeyed
    assert not dialog.choose_again_button.isVisible()
    qtbot.keyClicks(dialog.password, "any password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text().startswith("This file is not a certificate file")
    # Retyping the password cannot help: the way on is another file, chosen here.
    assert dialog.choose_again_button.isVisible() and dialog.choose_again_button.hasFocus()
    good = tmp_path / "organisation.p12"
    good.write_bytes(_pkcs12(b"file-password"))
    choose_file(monkeypatch, "getOpenFileName", good)
    qtbot.mouseClick(dialog.choose_again_button, Qt.MouseButton.LeftButton)
    assert dialog.path == good and dialog.file_line.text() == "File: organisation.p12"
    assert not dialog.error.isVisible() and not dialog.choose_again_button.isVisible()
    assert dialog.password.text() == "" and dialog.password.hasFocus()
    qtbot.keyClicks(dialog.password, "file-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: settings.import_dialog is None, timeout=10_000)
    assert settings.certificate_source.text() == "Imported from a certificate file"


def test_a_lead_sees_the_card_and_keeps_their_own_contact_line(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    settings = area.settings.referrals
    area.show_section("Settings")
    qtbot.waitUntil(lambda: settings.save_contacts_button.isEnabled(), timeout=10_000)
    assert settings.import_button is None
    assert not settings.organisation_contact.isVisibleTo(settings)
    assert "administrator can add it" in settings.organisation_contact_view.text()
    assert settings.certificate_fingerprint.fingerprint
    qtbot.keyClicks(settings.referrer_contact, "dana@hillside.example")
    qtbot.mouseClick(settings.save_contacts_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.contacts_message.text().startswith("Saved"), timeout=10_000)
    session = session_of(window)
    assert on_worker(qtbot, window, referral.referrer_contact, session) == "dana@hillside.example"
    assert audit(qtbot, window, "setting_changed")[0] == {"setting": "referrer_contact"}
    # Only the lead's own line: the administrator's is theirs.
    window.sign_out()
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    assert on_worker(qtbot, window, referral.referrer_contact, session_of(window)) == ""


# --- locking ------------------------------------------------------------------------------


def _texts(window: QWidget) -> list[str]:
    found = [label.text() for label in window.findChildren(QLabel)]
    found += [editor.toPlainText() for editor in window.findChildren(QPlainTextEdit)]
    return found


def test_lock_hides_and_destroys_both_dialogs_keeping_unsaved_edits(
    qtbot: QtBot, data_dir: Path, referral_ref: str, tmp_path: Path
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    dialog = open_dialog(qtbot, window, area, referral_ref)
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=30_000)
    made = dialog.made
    assert made is not None
    (tmp_path / "good.pdf").write_bytes(made.pdf)
    verify = open_verify_dialog(area, session_of(window), window.worker)
    verify.check_file(tmp_path / "good.pdf")
    qtbot.waitUntil(lambda: verify.checked is not None, timeout=15_000)
    replace_text(qtbot, dialog.form.editors["summary"], f"Typed just before the lock {CANARY}.")
    assert any(CANARY in text for text in _texts(window))
    previews = dialog.previews

    window.lock()
    # Hidden at once, not at the deferred delete.
    assert not dialog.isVisible() and not verify.isVisible()
    qtbot.waitUntil(
        lambda: not window.findChildren(ReferralDialog) and not window.findChildren(VerifyDialog),
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    assert not any(CANARY in text for text in _texts(window))
    assert not window.findChildren(PagePreviews)
    assert not previews.count  # its pictures were dropped before it went

    # What was typed was saved before the lock, as the concern form's draft is.
    sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    record = on_worker(qtbot, window, referral.referral_record, session_of(window), referral_ref)
    assert record.content.summary == f"Typed just before the lock {CANARY}."
    assert record.status is ReferralStatus.DRAFT  # made, never saved: not sent


def test_a_lock_while_choosing_where_to_save_saves_nothing(
    qtbot: QtBot,
    data_dir: Path,
    referral_ref: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    dialog = open_dialog(qtbot, window, area, referral_ref)
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=30_000)
    chosen = tmp_path / "chosen.pdf"

    def locked_meanwhile(*_args: Any, **_kwargs: Any) -> tuple[str, str]:
        window.lock()  # the idle lock, while the file chooser was open
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(locked_meanwhile))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not window.findChildren(ReferralDialog), timeout=10_000)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    assert not chosen.exists()
    sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    assert audit(qtbot, window, "referral_exported") == []


def test_a_lock_while_the_pdf_is_made_saves_the_edits_once(
    qtbot: QtBot, data_dir: Path, referral_ref: str
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    dialog = open_dialog(qtbot, window, area, referral_ref)
    replace_text(qtbot, dialog.form.editors["summary"], "Typed, then Make, then the lock.")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # ignored while it is being made
    assert dialog.isVisible() and dialog.is_busy
    window.lock()
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=30_000)
    sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    entries = on_worker(qtbot, window, audit_trail.entries, session_of(window), 1000)
    this_session = [e.action for e in entries[1:]]  # newest first, after this sign-in
    this_session = this_session[: this_session.index("login")]
    assert this_session.count("referral_edited") == 1
    record = on_worker(qtbot, window, referral.referral_record, session_of(window), referral_ref)
    assert record.content.summary == "Typed, then Make, then the lock."


def test_each_section_is_copied_concealed_audited_and_cleared(
    qtbot: QtBot, data_dir: Path, referral_ref: str
) -> None:
    """For a council's web portal: the PDF's sections, one copy each, never left lying about."""
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    dialog = open_dialog(qtbot, window, area, referral_ref)
    assert dialog.sections.placeholder.isVisible() and not dialog.sections.buttons
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=30_000)
    made = dialog.made
    assert made is not None
    assert [b.accessibleName() for b in dialog.sections.buttons] == [
        f"Copy this section: {section.title}" for section in made.sections
    ]
    assert made.sections[0].title == "Referrer" and not dialog.sections.placeholder.isVisible()
    clipboard = QApplication.clipboard()
    keeper = concealed_clipboard()
    keeper.clear_after_ms = 400
    consent = next(i for i, s in enumerate(made.sections) if s.key == "consent")
    text = made.sections[consent].text
    try:
        qtbot.mouseClick(dialog.sections.buttons[consent], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: clipboard.text() == text, timeout=10_000)
        assert "Lawful basis for sharing: " in text
        mime = clipboard.mimeData()
        assert mime is not None and bytes(mime.data("x-kde-passwordManagerHint")) == b"secret"
        assert "copied" in dialog.sections.message.text()
        # The audit log says which section of which referral, never what it said.
        (copied,) = audit(qtbot, window, "referral_section_copied")
        assert copied["referral"] == referral_ref and copied["section"] == "consent"
        assert "Asking could put the child at risk." not in str(copied)
        # Cleared after its time, as it still holds what was copied.
        qtbot.waitUntil(lambda: clipboard.text() == "", timeout=5_000)

        # Something the person copied since is never wiped.
        qtbot.mouseClick(dialog.sections.buttons[consent], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: clipboard.text() == text, timeout=10_000)
        clipboard.setText("My own note")
        qtbot.wait(800)
        assert clipboard.text() == "My own note"

        # A lock takes it off at once.
        keeper.clear_after_ms = 600_000
        qtbot.mouseClick(dialog.sections.buttons[consent], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: clipboard.text() == text, timeout=10_000)
        window.lock()
        assert clipboard.text() == "" and not keeper.holds_ours
    finally:
        keeper.clear_after_ms = CLEAR_AFTER_MS
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)


def test_an_edit_after_making_takes_the_sections_away(
    qtbot: QtBot, data_dir: Path, referral_ref: str
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    dialog = open_dialog(qtbot, window, area, referral_ref)
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=30_000)
    assert dialog.sections.buttons
    replace_text(qtbot, dialog.form.editors["summary"], "Changed after making.")
    # What would be copied is no longer what the PDF says: nothing to copy until made again.
    assert not dialog.sections.buttons and dialog.sections.placeholder.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: not window.findChildren(ReferralDialog), timeout=10_000)


# --- accessibility ------------------------------------------------------------------------


def _unnamed(root: QWidget) -> list[str]:
    kinds = (QAbstractButton, QLineEdit, QPlainTextEdit, QAbstractScrollArea, QLabel)
    return [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for kind in kinds
        for w in root.findChildren(kind)
        if w.isVisibleTo(root)
        and not w.accessibleName()
        # Plain captions are read as text; only labels that carry a value need a name.
        and not (
            isinstance(w, QLabel)
            and not w.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
        )
        and not isinstance(w.parent(), QAbstractScrollArea | QAbstractSpinBox)
    ]


def test_every_control_of_the_new_views_has_an_accessible_name(
    qtbot: QtBot, data_dir: Path, referral_ref: str, tmp_path: Path
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    area.show_section("Settings")
    qtbot.waitUntil(
        lambda: area.settings.referrals.save_contacts_button.isEnabled(), timeout=10_000
    )
    assert _unnamed(area.settings) == []

    dialog = open_dialog(qtbot, window, area, referral_ref)
    dialog.protect.setChecked(True)
    qtbot.keyClicks(dialog.password, PDF_PASSWORD)
    qtbot.keyClicks(dialog.password_again, PDF_PASSWORD)
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=30_000)
    assert _unnamed(dialog) == []
    made = dialog.made
    assert made is not None
    (tmp_path / "locked.pdf").write_bytes(made.pdf)
    dialog.reject()

    verify = open_verify_dialog(area, session_of(window), window.worker)
    verify.check_file(tmp_path / "locked.pdf")
    qtbot.waitUntil(lambda: verify.password_box.isVisible(), timeout=15_000)
    assert _unnamed(verify) == []
    qtbot.keyClicks(verify.password, PDF_PASSWORD)
    qtbot.keyClick(verify.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: verify.checked is not None, timeout=15_000)
    assert _unnamed(verify) == []
    verify.reject()
