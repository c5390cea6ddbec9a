"""Hostile and broken files (tests/services/attachment_samples/README.md) are refused in one
sentence, quickly, and never escape as another error; a plain one is kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.services.attachment_intake import take_in

SAMPLES = Path(__file__).resolve().parent / "attachment_samples"
REFUSED = sorted(
    p.name
    for p in SAMPLES.iterdir()
    if p.suffix in (".pdf", ".jpg")
    # kept (plain), or run in a process of its own with a time limit (the bomb)
    and p.name not in ("plain.pdf", "exif_warning.jpg", "xref_index_bomb.pdf")
)


@pytest.mark.parametrize("name", REFUSED)
def test_a_hostile_or_broken_file_is_refused_in_one_sentence(name: str) -> None:
    with pytest.raises(BadInput) as refused:
        take_in((SAMPLES / name).read_bytes(), name)
    message = str(refused.value)
    assert message.startswith("That ") and message.count(". ") <= 2


def test_the_plain_files_are_kept() -> None:
    assert take_in((SAMPLES / "plain.pdf").read_bytes(), "plain.pdf").pages == 1
    # Odd metadata that Pillow only warns about: the photo is kept without it.
    kept = take_in((SAMPLES / "exif_warning.jpg").read_bytes(), "photo.jpg")
    assert kept.data.startswith(b"\xff\xd8") and b"Exif" not in kept.data


def test_a_pdf_whose_index_claims_billions_of_entries_is_refused_at_once(tmp_path: Path) -> None:
    """It once kept pyHanko building entries without end (and a guest can seal one with a
    concern): in its own process, so a regression fails here rather than hanging the run."""
    script = (
        "import sys\n"
        "from safeguard_desktop.domain.errors import BadInput\n"
        "from safeguard_desktop.services.attachment_intake import take_in\n"
        "try:\n"
        f"    take_in(open({str(SAMPLES / 'xref_index_bomb.pdf')!r}, 'rb').read(), 'a.pdf')\n"
        "except BadInput as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "could not be checked" in done.stdout
