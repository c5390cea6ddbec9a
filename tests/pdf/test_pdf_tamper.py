"""A signed referral added to after signing, as its recipient could: verify-pdf agrees with pdfsig.

None of these attacks touches a signed byte, so the signature stays cryptographically
valid (pdfsig: "Signature is Valid.") and only its coverage gives them away: pdfsig
22.12 prints "Not total document signed" instead of "Total document signed". Our
``verify-pdf`` must say the same, exit 1, and name what was added in one sentence.
The command line runs as a real process on real files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from test_pdf_referral import minimal_document
from test_pdf_signing import pdfsig

from pdf_attacks import add_overlay, append_bytes, append_object, change_title
from safeguard_desktop.pdf.encryption import encrypt_pdf
from safeguard_desktop.pdf.referral_document import referral_pdf_bytes
from safeguard_desktop.pdf.signing import (
    SigningIdentity,
    generate_signing_identity,
    sign_pdf,
    verify_pdf,
)

ORG = "Riverside Juniors FC"
SIGNER = "Łucja Żak"
PASSWORD = "zielona-żaba-42"
VALID_LINE = "- Signature Validation: Signature is Valid."
# pdfsig (poppler 22.12) prints one of these two lines for each signature.
WHOLE_LINE = "- Total document signed"
NOT_WHOLE_LINE = "- Not total document signed"
ASK = "ask the sender for the original."


@pytest.fixture(scope="module")
def identity() -> SigningIdentity:
    return generate_signing_identity(ORG)


@pytest.fixture(scope="module")
def signed(identity: SigningIdentity) -> bytes:
    """A real referral, signed as the app signs it."""
    document = referral_pdf_bytes(minimal_document())
    return sign_pdf(
        document, identity, signer_name=SIGNER, reason="Referral to children's social care"
    )


def verify_cli(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["SAFEGUARD_LOG_DIR"] = str(tmp_path / "logs")
    env["SAFEGUARD_DATA_DIR"] = str(tmp_path / "no-store")
    return subprocess.run(
        [sys.executable, "-m", "safeguard_desktop.cli", "verify-pdf", str(path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def pdfsig_lines(path: Path) -> list[str]:
    return [line.strip() for line in pdfsig(path).splitlines()]


def countersign(identity: SigningIdentity) -> Callable[[bytes], bytes]:
    def attack(pdf: bytes) -> bytes:
        return sign_pdf(
            pdf, identity, signer_name="Sam Lee", reason="Countersigned", field_name="Signature2"
        )

    return attack


@pytest.mark.parametrize(
    ("attack", "what"),
    [
        (change_title, "the document's information was changed"),
        (append_bytes, "bytes were added after its end"),
        (append_object, "bytes were added after its end"),
        (add_overlay, "a comment or drawing was added to page 1"),
    ],
    ids=["title-changed", "bytes-appended", "object-appended", "overlay-added"],
)
def test_something_added_after_signing_fails_as_pdfsig_says(
    signed: bytes, tmp_path: Path, attack: Callable[[bytes], bytes], what: str
) -> None:
    path = tmp_path / "referral.pdf"
    path.write_bytes(attack(signed))

    report = pdfsig_lines(path)
    assert VALID_LINE in report  # the signed bytes are untouched...
    assert NOT_WHOLE_LINE in report and WHOLE_LINE not in report  # ...but not all is signed

    run = verify_cli(path, tmp_path)
    assert run.returncode == 1, run.stderr
    printed = json.loads(run.stdout)
    assert printed["valid"] is True  # as pdfsig says
    assert printed["covers_whole_file"] is False  # as pdfsig says
    assert printed["intact"] is False
    assert printed["changed_after_signing"] == what
    sentence = f"Something was added to this PDF after it was signed ({what}); {ASK}"
    assert printed["message"] == sentence
    assert run.stderr == f"safeguard-desktop: {sentence}\n"  # one line


def test_untouched_referral_passes_as_pdfsig_says(signed: bytes, tmp_path: Path) -> None:
    path = tmp_path / "referral.pdf"
    path.write_bytes(signed)

    report = pdfsig_lines(path)
    assert VALID_LINE in report and WHOLE_LINE in report
    assert NOT_WHOLE_LINE not in report

    run = verify_cli(path, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    printed = json.loads(run.stdout)
    assert printed["intact"] is True and printed["valid"] is True
    assert printed["covers_whole_file"] is True
    assert printed["changed_after_signing"] is None
    # Everything the command printed before these fields were added is still there.
    assert {"signer", "organisation", "signed_at", "trusted", "fingerprint_sha256"} <= set(printed)
    assert printed["signer"] == SIGNER and printed["signatures"] == 1


def test_a_second_signature_is_not_tampering(
    signed: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    # The one addition allowed: another signature, itself covering the whole file.
    path = tmp_path / "twice.pdf"
    path.write_bytes(countersign(identity)(signed))
    report = pdfsig_lines(path)
    assert report.count(VALID_LINE) == 2
    assert report.count(NOT_WHOLE_LINE) == 1 and report.count(WHOLE_LINE) == 1

    run = verify_cli(path, tmp_path)
    assert run.returncode == 0, run.stderr
    printed = json.loads(run.stdout)
    assert printed["covers_whole_file"] is True and printed["intact"] is True
    assert printed["changed_after_signing"] == "another signature was added"


def test_countersigning_does_not_hide_an_earlier_change(
    signed: bytes, identity: SigningIdentity, tmp_path: Path
) -> None:
    # pyHanko's difference analysis lets /Info change freely; a fresh signature over the
    # changed title must not make the change disappear.
    path = tmp_path / "retitled-then-signed.pdf"
    path.write_bytes(countersign(identity)(change_title(signed)))
    run = verify_cli(path, tmp_path)
    assert run.returncode == 1
    printed = json.loads(run.stdout)
    assert printed["covers_whole_file"] is True  # the second signature covers it all...
    assert printed["intact"] is False  # ...but the first one was over another title
    assert printed["changed_after_signing"] == (
        "the document's information was changed and another signature was added"
    )


def test_an_encrypted_referral_changed_after_signing_says_what(
    identity: SigningIdentity, tmp_path: Path
) -> None:
    document = encrypt_pdf(referral_pdf_bytes(minimal_document()), PASSWORD)
    locked = sign_pdf(document, identity, signer_name=SIGNER, reason="r", pdf_password=PASSWORD)
    assert verify_pdf(locked, password=PASSWORD).ok

    tampered = append_object(locked)
    result = verify_pdf(tampered, password=PASSWORD)
    assert not result.ok and result.valid and not result.covers_whole_file
    assert result.added_after_signing == "bytes were added after its end"
    path = tmp_path / "locked.pdf"
    path.write_bytes(tampered)
    report = pdfsig(path, PASSWORD).splitlines()
    assert any(line.strip() == NOT_WHOLE_LINE for line in report)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_is_refused_in_one_sentence_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "referral.pdf"
    os.mkfifo(fifo)  # no writer will ever open it: reading it would wait forever
    run = verify_cli(fifo, tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    sentence = f"The file {fifo} is a FIFO (named pipe), not a file saved on disk; give a PDF file."
    assert run.stderr == f"safeguard-desktop: {sentence}\n"
