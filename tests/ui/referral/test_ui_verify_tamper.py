""" "Verify a signed PDF" on referrals added to after signing: the same verdict as verify-pdf.

The referral is made by the real app in the real main window; the attacks are
tests/support/pdf_attacks.py's; the dialog is driven as the lead drives it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import test_ui_referral as ui_referral
from pytestqt.qtbot import QtBot
from test_ui_referral import DIALOG_WARNING, DSL, DSL_PASSWORD, on_worker, session_of

from pdf_attacks import add_overlay, append_object, change_title
from safeguard_desktop.services import referral
from safeguard_desktop.ui.referral.verify_dialog import open_verify_dialog
from ui_store import open_main_window, sign_in_lead

pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)

# The referral tests' store (a school, a concern, a social care referral drafted).
template = ui_referral.template
data_dir = ui_referral.data_dir
referral_ref = ui_referral.referral_ref


def test_verify_dialog_names_what_was_added_after_signing(
    qtbot: QtBot, data_dir: Path, referral_ref: str, tmp_path: Path
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    made = on_worker(qtbot, window, referral.make_referral_pdf, session_of(window),
                     referral_ref)  # fmt: skip
    dialog = open_verify_dialog(area, session_of(window), window.worker)

    cases = [
        (change_title, "The document's information was changed"),
        (append_object, "Bytes were added after its end"),
        (add_overlay, "A comment or drawing was added to page 1"),
    ]
    for number, (attack, what) in enumerate(cases):
        path = tmp_path / f"referral-{number}.pdf"
        path.write_bytes(attack(made.pdf))
        dialog.check_file(path)
        qtbot.waitUntil(lambda: dialog.checked is not None, timeout=15_000)
        assert dialog.verdict.text() == "Failed: something was added after it was signed"
        assert dialog.verdict.accessibleName() == dialog.verdict.text()
        assert dialog.message.property("sgRole") == "error"
        assert dialog.message.text() == (
            f"Something was added to this PDF after it was signed ({what[0].lower()}{what[1:]}); "
            "ask the sender for the original."
        )
        assert dialog.intact.text() == "No: something was added after it was signed"
        assert dialog.whole_file.text() == "No: part of the file was added after signing"
        assert dialog.whole_file.accessibleName() == "Signature covers the whole file"
        assert dialog.added.text() == what and dialog.added.isVisible()
        assert dialog.added.accessibleName() == "Added after signing"
        assert dialog.valid.text().startswith("Yes, but")  # never a bare Yes here
        assert dialog.trusted.text() == "Yes, but see above: do not rely on this PDF"

    untouched = tmp_path / "untouched.pdf"
    untouched.write_bytes(made.pdf)
    dialog.check_file(untouched)
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=15_000)
    assert dialog.verdict.text().startswith("Passed")
    assert dialog.intact.text() == "Yes" and dialog.whole_file.text() == "Yes"
    assert not dialog.added.isVisible()
    dialog.reject()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_verify_dialog_refuses_a_fifo_without_waiting_on_it(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    window = open_main_window(qtbot, data_dir)
    area = sign_in_lead(qtbot, window, (DSL, DSL_PASSWORD))
    dialog = open_verify_dialog(area, session_of(window), window.worker)
    fifo = tmp_path / "referral.pdf"
    os.mkfifo(fifo)
    dialog.check_file(fifo)
    assert dialog.error.text() == "That is not an ordinary file; choose a PDF file."
    assert not dialog.busy_now and not window.worker.busy
    assert not dialog.result_card.isVisible()
    dialog.reject()
