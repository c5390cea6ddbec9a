"""Settings > Export everything, on a real store and the real main window (pytest-qt).

Only the operating system's folder chooser is replaced (it cannot be clicked
offscreen); the export itself runs on the app's worker and writes real files, which
7-Zip then opens.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
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
from safeguard_desktop.domain.referral import ReferralContent
from safeguard_desktop.pdf import chronology_document, referral_document, worker_pool
from safeguard_desktop.services import audit_trail, casework, referral
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.export.export_dialog import ExportDialog
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.widgets.stoppable_job import time_left
from ui_store import build_store, copy_store, open_main_window, sign_in_lead

ORG = "Hillside Primary School"
ADMIN, ADMIN_PASSWORD = "jo", "a long admin passphrase"
DSL, DSL_PASSWORD = "dana", "dana's long passphrase"
ZIP_PASSWORD = "blue-harbour-42"
# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"

pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)

T = TypeVar("T")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A school store with a concern, its child linked, and a referral signed and sent."""
    folder = tmp_path_factory.mktemp("template")
    data_dir, _ = build_store(
        folder,
        org=ORG,
        org_type=OrgType.SCHOOL,
        admin=(ADMIN, "Jo Morgan", ADMIN_PASSWORD),
        users=[(DSL, "Dana Lead", Role.DSL, DSL_PASSWORD), RECORDER_ACCOUNT],
    )
    store = Store.open(data_dir)
    concern_ref = submit(store, concern_data())
    session = store.login(DSL, DSL_PASSWORD)
    assert isinstance(session, CaseSession)
    now = datetime.now().replace(microsecond=0)
    try:
        casework.create_child_for(session, concern_ref, 0)
        decision = HandoffDecision.checked(
            immediate_danger=False,
            police=None,
            allegation_against_adult=False,
            lado=None,
            outcome=Outcome.SOCIAL_CARE,
            situation=ChildSituation(
                urgency=Urgency.SAME_DAY, child_now="At home with her mother tonight."
            ),
            reason="A bruise with an explanation that does not fit.",
            advice=None,
            information_sharing=InformationSharing(
                consent=Consent.NOT_SOUGHT,
                consent_reason="Asking could put the child at risk.",
                lawful_basis=DEFAULT_LAWFUL_BASIS,
                parents_told=False,
                parents_not_told_reason="The concern is about a parent.",
            ),
            referral=ReferralContent(summary="Bruise on the left forearm.", risks="Harm."),
            review_on=None,
            follow_up_on=now.date() + timedelta(days=2),
            follow_up_what="Chase the front door.",
            now=now,
        )
        (ref,) = record_handoff(session, concern_ref, decision).referral_refs
        referral.save_referral_pdf(
            session, referral.make_referral_pdf(session, ref), folder / "r.pdf"
        )
    finally:
        session.lock()
    return data_dir


@pytest.fixture
def data_dir(template: Path, tmp_path: Path) -> Path:
    return copy_store(template, tmp_path)


def on_worker(qtbot: QtBot, window: MainWindow, fn: Callable[..., T], *args: Any) -> T:
    future: Future[T] = window.worker.submit(fn, *args)
    qtbot.waitUntil(future.done, timeout=30_000)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    return future.result()


def exports_audited(qtbot: QtBot, window: MainWindow) -> list[dict[str, object]]:
    assert isinstance(window.session, CaseSession)
    entries = on_worker(qtbot, window, audit_trail.entries, window.session, 1000)
    return [e.detail for e in entries if e.action == "full_export"]


def held_at(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> threading.Event:
    """Make the export wait in ``module.name`` until the event returned is set. The
    export imports its PDF makers when it first makes one (not at start), so they are
    held where they are looked up then."""
    release = threading.Event()
    real = getattr(module, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    return release


def open_export_dialog(
    qtbot: QtBot, area: CaseArea, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> ExportDialog:
    area.show_section("Settings")
    section = area.settings.export_section
    assert section is not None and section.isVisibleTo(area.settings)
    qtbot.mouseClick(section.export_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    chooser = dialog.folder_dialog
    # Opened as the dialog's child, never exec'd: a lock takes it away with the dialog.
    assert isinstance(chooser, QFileDialog) and chooser.parent() is dialog
    chooser.fileSelected.emit(str(folder))
    chooser.reject()
    assert dialog.folder.text() == str(folder)
    return dialog


@pytest.mark.parametrize("pdf_workers", [False, True], ids=["in-process", "pdf-workers"])
def test_admin_exports_an_encrypted_zip_with_warning_progress_and_audit(
    qtbot: QtBot,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pdf_workers: bool,
) -> None:
    """As a big store's export runs too: its PDFs made by worker processes spawned from
    the window's worker thread, with Qt running in this process."""
    started: list[int] = []
    if pdf_workers:
        monkeypatch.setattr(worker_pool, "WORTH_WORKERS_SECONDS", 0.0)
        real_enter = worker_pool.PdfWorkers.__enter__

        def enter(self: worker_pool.PdfWorkers) -> worker_pool.PdfWorkers:
            started.append(self.workers)
            return real_enter(self)

        monkeypatch.setattr(worker_pool.PdfWorkers, "__enter__", enter)
    out = tmp_path / "stick"
    out.mkdir()
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    dialog = open_export_dialog(qtbot, area, monkeypatch, out)
    warning = dialog.warning.findChild(type(dialog.phase))
    assert warning is not None and "Anyone who has the" in warning.text()
    assert dialog.as_zip.isChecked() and dialog.password_box.isVisible()
    name = f"safeguard-export-hillside-primary-school-{date.today().isoformat()}.zip"
    assert name in dialog.name_hint.text()

    qtbot.keyClicks(dialog.password, "short")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "at least 8 characters" in dialog.message.text()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, ZIP_PASSWORD)
    qtbot.keyClicks(dialog.password_again, ZIP_PASSWORD + "x")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "The two passwords are not the same."
    assert list(out.iterdir()) == []

    dialog.password_again.clear()
    qtbot.keyClicks(dialog.password_again, ZIP_PASSWORD)
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.running and dialog.progress.isVisible()
    assert dialog.cancel_button.text() == "&Stop the export"
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60_000)
    result = dialog.outcome
    assert result is not None and result.path == out / name
    assert seen and seen[-1] == 100
    assert dialog.message.text().startswith("Exported 1 concern about 1 child, with 2 PDFs")
    assert str(result.sha256) in dialog.details.text()
    assert dialog.password.text() == "" and not dialog.export_button.isVisible()
    run = subprocess.run(
        ["7z", "t", f"-p{ZIP_PASSWORD}", str(out / name)], capture_output=True, text=True
    )
    assert run.returncode == 0 and "Everything is Ok" in run.stdout
    (entry,) = exports_audited(qtbot, window)
    assert entry["format"] == "zip" and entry["sha256"] == result.sha256
    if pdf_workers:
        assert started == [worker_pool.cores()] and started[0] >= 2
    assert multiprocessing.active_children() == []
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: area.settings.export_section.dialog is None, timeout=5000)


def folder_export_dialog(
    qtbot: QtBot, data_dir: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[MainWindow, ExportDialog]:
    """The administrator's export dialog, set to export a folder into ``out`` (made)."""
    out.mkdir()
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    dialog = open_export_dialog(qtbot, area, monkeypatch, out)
    dialog.as_folder.click()
    return window, dialog


def test_stopping_a_folder_export_keeps_nothing(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    # Hold the export at its first PDF until Stop has been pressed, so the test does not
    # race the worker.
    release = held_at(monkeypatch, chronology_document, "chronology_pdf_bytes")
    window, dialog = folder_export_dialog(qtbot, data_dir, out, monkeypatch)
    assert not dialog.password_box.isVisible()
    assert "not encrypted" in dialog.name_hint.text()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.running and "stops the export" in dialog.lock_hint.text()
    assert dialog.lock_hint.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape stops it; the dialog stays
    assert dialog.isVisible() and dialog.phase.text() == "Stopping…"
    release.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.message.text() == "The export was stopped; nothing was kept."
    assert dialog.message.property("sgRole") == "hint"
    assert list(out.iterdir()) == []
    assert exports_audited(qtbot, window) == []

    # Then made for real: a new owner-only folder with export.json and the PDFs.
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60_000)
    (made,) = out.iterdir()
    assert made.is_dir() and (made / "export.json").is_file()
    assert sorted(p.name for p in made.iterdir()) == ["chronologies", "export.json", "referrals"]
    assert "The folder is" in dialog.details.text()
    shutil.rmtree(made)


def test_only_an_administrator_sees_export_everything(qtbot: QtBot, data_dir: Path) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    area.show_section("Settings")
    assert area.settings.export_section is None


@pytest.mark.parametrize(
    ("elapsed", "percent", "words"),
    [
        (5.0, 50, ""),  # too early to tell
        (20.0, 1, ""),  # too little done to tell
        (20.0, 50, "less than a minute left"),
        (60.0, 50, "about 1 minute left"),
        (60.0, 20, "about 4 minutes left"),
        (600.0, 100, ""),  # done
    ],
)
def test_a_long_job_says_how_long_it_has_left(
    qtbot: QtBot, elapsed: float, percent: int, words: str
) -> None:
    assert time_left(elapsed, percent) == words


def test_the_export_says_how_long_it_has_left(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    # The chronologies are made at once; the export then waits at the first referral, so
    # its words can be read while it runs.
    release = held_at(monkeypatch, referral_document, "signed_referral_pdf_bytes")
    _window, dialog = folder_export_dialog(qtbot, data_dir, out, monkeypatch)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    # As if this store had been exporting for ten minutes: the time left is then minutes.
    dialog._started -= 600
    qtbot.waitUntil(lambda: "left)" in dialog.phase.text(), timeout=30_000)
    assert re.fullmatch(
        r"Chronologies: \d+ of \d+ \(about \d+ minutes left\)", dialog.phase.text()
    ), dialog.phase.text()
    release.set()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60_000)
    shutil.rmtree(next(out.iterdir()))


def test_enter_presses_export_never_choose_another_folder(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (ADMIN, ADMIN_PASSWORD))
    area.show_section("Settings")
    section = area.settings.export_section
    assert section is not None
    dialog = section.open_dialog()
    qtbot.waitExposed(dialog)
    pressed: list[str] = []
    dialog.choose_button.clicked.connect(lambda: pressed.append("choose"))
    dialog.export_button.clicked.connect(lambda: pressed.append("export"))
    for field in (dialog.password, dialog.folder):
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_Return)
    # Each Enter pressed Export (refused: no password yet), never the folder chooser.
    assert pressed == ["export", "export"]
    assert dialog.folder_dialog is None
    assert "at least" in dialog.message.text()
    dialog.reject()
