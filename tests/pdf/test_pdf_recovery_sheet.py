"""The printed recovery sheet: readable key, right organisation, atomic write."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from safeguard_desktop.pdf.recovery_sheet import (
    key_groups,
    recovery_sheet_bytes,
    write_recovery_sheet,
)
from safeguard_desktop.security.recovery_key import generate

ORG = "Szkoła Podstawowa nr 3 w Łodzi, Żoliborz"
MADE = datetime(2026, 11, 23, 14, 5)


def pdftotext(path: Path) -> str:
    run = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return run.stdout


def pdfinfo(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def test_sheet_shows_every_key_group_the_org_and_the_date(tmp_path: Path) -> None:
    key = generate()
    path = tmp_path / "recovery-key.pdf"
    write_recovery_sheet(path, ORG, key, MADE)

    text = pdftotext(path)
    groups = key.split("-")
    assert len(groups) == 8
    positions = [text.index(group) for group in groups]
    assert positions == sorted(positions)  # printed in order
    assert ORG in text
    assert "Recovery key" in text
    assert "23 November 2026" in text
    assert "locked place" in text
    assert "never shows this key again" in text
    assert re.search(r"Pages:\s+1\n", pdfinfo(path))


def test_sheet_embeds_its_fonts_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "sheet.pdf"
    write_recovery_sheet(path, ORG, generate(), MADE)
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(fonts) == 3  # regular, bold, mono
    assert all("DejaVuSans" in row and re.search(r"\byes\s+yes\b", row) for row in fonts)


def test_write_leaves_only_the_sheet_owner_readable(tmp_path: Path) -> None:
    path = tmp_path / "recovery-key.pdf"
    path.write_bytes(b"an older sheet")
    write_recovery_sheet(path, ORG, generate(), MADE)
    assert path.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recovery-key.pdf"]  # no temp left
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0


def test_failed_build_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "recovery-key.pdf"
    path.write_bytes(b"an older sheet")
    with pytest.raises(ValueError):
        write_recovery_sheet(path, ORG, "   ", MADE)
    assert path.read_bytes() == b"an older sheet"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recovery-key.pdf"]


def test_key_groups_accept_dashes_or_spaces() -> None:
    assert key_groups("123456-234567 345678\n456789") == ["123456", "234567", "345678", "456789"]


def test_bytes_are_a_pdf_in_memory() -> None:
    data = recovery_sheet_bytes(ORG, generate(), MADE)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
