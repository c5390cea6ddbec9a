"""font_subsets: each font subset is cut and compressed once per process, PDFs unchanged.

The byte-for-byte comparison runs in fresh Python processes, one registering reportlab's
own TTFont under our font names and one the app's KeptSubsetsFont, because reportlab
registers a font name once per process. The rest uses the app's fonts as the app does,
and reads the PDFs with poppler (pdftotext, pdffonts).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from reportlab.pdfbase import pdfmetrics

from safeguard_desktop.domain.records import ChronologyEntry
from safeguard_desktop.pdf import font_subsets
from safeguard_desktop.pdf.chronology_document import chronology_pdf_bytes
from safeguard_desktop.pdf.chronology_print import ChronologyPrint
from safeguard_desktop.pdf.fonts import BOLD, REGULAR, register_fonts
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

if TYPE_CHECKING:  # the digest script imports this module without pytest's conftest
    from conftest import StoreFixture

# The same letters outside ASCII in both orders ("Łucja Żak", "Żak Łucja"): a subset kept
# by its letters alone, not their order, would print the second as "Łak Żucja".
_NAMES = (
    "Oliver Smith",
    "Łucja Żak",
    "Zoë Brontë",
    "王小明",
    "محمد الأحمد",
    "Żak Łucja",
    "Amelia Jones",
    "Łucja Wiśniewska",
)


def _chronology(name: str, summary: str) -> ChronologyPrint:
    entries = tuple(
        ChronologyEntry(
            when=f"2026-03-0{day}T10:00:00",
            kind="concern",
            title="Concern: Neglect",
            summary=f"{summary} (entry {day}) “said” – {name}",
            ref=f"C-2026-0000{day}",
            by="Dana Lead",
            repeated=day > 2,
        )
        for day in range(1, 5)
    )
    return ChronologyPrint(
        organisation="Hillside Primary School",
        child_name=name,
        date_of_birth=date(2015, 3, 2),
        approximate_age=None,
        group="Year 5",
        other_names="",
        case_owner="Dana Lead",
        risk_level="High",
        entries=entries,
        printed_at=datetime(2026, 3, 27, 14, 5),
        printed_by="Dana Lead",
    )


_DIGEST = f"""
import hashlib, sys
from reportlab import rl_config
rl_config.invariant = 1  # no creation date or random file identifier
from reportlab.pdfbase.ttfonts import TTFont
from safeguard_desktop.pdf import fonts
if sys.argv[1] == "reportlab":
    fonts.KeptSubsetsFont = TTFont
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_font_subsets import _NAMES, _chronology
from safeguard_desktop.pdf.chronology_document import chronology_pdf_bytes
digest = hashlib.sha256()
for round in range(2):
    for name in _NAMES:
        digest.update(chronology_pdf_bytes(_chronology(name, "He said he was hungry")))
print(type(fonts.pdfmetrics.getFont(fonts.REGULAR)).__name__, digest.hexdigest())
"""


def _digest(fonts: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _DIGEST, fonts], check=True, capture_output=True, text=True
    )
    kind, digest = done.stdout.split()
    return kind, digest


def test_pdfs_are_byte_for_byte_what_reportlabs_own_fonts_make() -> None:
    """Twelve chronologies in several scripts, each name twice (so kept subsets are used)."""
    assert _digest("reportlab")[0] == "TTFont"
    kept, digest = _digest("kept")
    assert kept == "KeptSubsetsFont"
    assert digest == _digest("reportlab")[1]


def _made(font_name: str) -> int:
    font = pdfmetrics.getFont(font_name)
    assert isinstance(font, font_subsets.KeptSubsetsFont)
    return font.kept_subsets.made


def _fonts_listed(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    return out.stdout.splitlines()[2:]


def test_pdfs_that_need_the_same_letters_share_one_subset(tmp_path: Path) -> None:
    register_fonts()
    font_subsets.forget()
    made = _made(REGULAR), _made(BOLD)
    summaries = ("He said he was hungry", "She was cold and tired")
    paths = []
    for number, summary in enumerate(summaries):
        path = tmp_path / f"{number}.pdf"
        path.write_bytes(chronology_pdf_bytes(_chronology("Oliver Smith", summary)))
        paths.append(path)
    # One subset of each face for the first PDF; the second needed no new ones.
    assert (_made(REGULAR) - made[0], _made(BOLD) - made[1]) == (1, 1)
    for path, summary in zip(paths, summaries, strict=True):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert summary in " ".join(text.split())
        listed = _fonts_listed(path)
        assert len(listed) == 2 and all(line.split()[-5] == "yes" for line in listed), listed


def test_a_letter_not_seen_before_makes_its_own_subset(tmp_path: Path) -> None:
    register_fonts()
    chronology_pdf_bytes(_chronology("Oliver Smith", "He said he was hungry"))
    made = _made(REGULAR)
    path = tmp_path / "zoe.pdf"
    path.write_bytes(chronology_pdf_bytes(_chronology("Oliver Smith", "Zoë said she was hungry")))
    assert _made(REGULAR) == made + 1
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Zoë said she was hungry" in " ".join(text.split())


def test_what_is_kept_is_bounded_and_newest_first() -> None:
    kept: font_subsets._Kept[int, str] = font_subsets._Kept(2)
    assert [kept.get(key, lambda key=key: f"made {key}") for key in (1, 2, 1, 3)] == [
        "made 1",
        "made 2",
        "made 1",
        "made 3",
    ]
    assert kept.made == 3
    # 2 was the oldest used when 3 came: it is made again; 1 is still kept.
    assert kept.get(1, lambda: "again") == "made 1"
    assert kept.get(2, lambda: "again") == "again"


def test_threads_making_subsets_at_once_each_get_a_whole_one() -> None:
    """reportlab cuts a subset by moving one read position over the font file: two
    threads cutting at once broke each other's (shown with 8 threads and a tiny switch
    interval), and the broken one would have been kept for every later PDF."""
    register_fonts()
    font = pdfmetrics.getFont(REGULAR)
    ascii_part = [0] * 32 + list(range(32, 128))
    subsets = [tuple(ascii_part + list(range(0xC0 + i, 0x180))[:100]) for i in range(8)]
    make = type(font.face).makeSubset  # reportlab's own, one thread at a time
    expected = {subset: make(font.face, list(subset)) for subset in subsets}
    wrong: list[str] = []

    def cut(subset: tuple[int, ...]) -> None:
        try:
            if font.face.makeSubset(list(subset)) != expected[subset]:
                wrong.append(f"a wrong subset for U+{subset[128]:04X}")
        except Exception as error:  # what a broken read position raises is part of the test
            wrong.append(repr(error))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(10):
            font_subsets.forget()
            threads = [threading.Thread(target=cut, args=(subset,)) for subset in subsets]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []
    assert all(font.kept_subsets._items[subset] == expected[subset] for subset in subsets)


@pytest.mark.parametrize("forget", ["session", "call"])
def test_locking_a_dsl_session_forgets_every_kept_subset(
    store_dir: StoreFixture, forget: str
) -> None:
    register_fonts()
    chronology_pdf_bytes(_chronology("王小明", "He said he was hungry"))
    regular = pdfmetrics.getFont(REGULAR)
    assert len(regular.kept_subsets._items) > 0
    assert len(font_subsets.KEPT_FLATE.kept._items) > 0
    if forget == "session":
        session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
        assert isinstance(session, CaseSession)
        session.lock()
    else:
        font_subsets.forget()
    assert len(regular.kept_subsets._items) == 0
    assert len(font_subsets.KEPT_FLATE.kept._items) == 0
