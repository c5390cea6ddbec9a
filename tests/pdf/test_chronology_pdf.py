"""The printed chronology, checked independently with poppler (pdftotext, pdfinfo, pdffonts).

Built the real way: concerns sealed and ingested, linked to a child by a DSL, an action
backdated, then ``save_chronology_pdf`` through the services; and straight from the PDF
layer for a 500-entry chronology and names in other scripts.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from casework_data import concern_data, submit
from conftest import StoreFixture
from foreign_locale import polish_time_locale
from safeguard_desktop.domain.casework import NewAction
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.records import ChronologyEntry
from safeguard_desktop.pdf.chronology_document import chronology_pdf_bytes
from safeguard_desktop.pdf.chronology_print import ChronologyPrint
from safeguard_desktop.services import audit_trail, casework, children
from safeguard_desktop.services.chronology_export import (
    SUGGESTED_FILE_NAME,
    chronology_print,
    save_chronology_pdf,
)
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

CHILD = "Łucja Wiśniewska"


def pdf_text(path: Path, *, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    """Whitespace folded, so text wrapped inside a table cell compares as one line."""
    return " ".join(text.split())


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def printable(entries: tuple[ChronologyEntry, ...], **changes: object) -> ChronologyPrint:
    """A chronology of ``entries`` for Oliver Smith, printed by Dana Lead, with ``changes``."""
    values: dict[str, object] = dict(
        organisation="Hillside Primary School",
        child_name="Oliver Smith",
        date_of_birth=date(2013, 1, 20),
        approximate_age=None,
        group="",
        other_names="",
        case_owner="",
        risk_level="High",
        entries=entries,
        printed_at=datetime(2026, 3, 27, 14, 5),
        printed_by="Dana Lead",
    )
    values.update(changes)
    return ChronologyPrint(**values)  # type: ignore[arg-type]


def _dsl(fixture: StoreFixture) -> CaseSession:
    session = Store.open(fixture.data_dir).login(*fixture.dsl)
    assert isinstance(session, CaseSession)
    return session


@pytest.fixture
def child_with_history(store_dir: StoreFixture) -> tuple[StoreFixture, list[str]]:
    """Four concerns about one child (three within 30 days), linked by the DSL."""
    store = Store.open(store_dir.data_dir)
    refs = [
        submit(
            store,
            concern_data(
                name=CHILD,
                born="2015-03-02",
                days_ago=days,
                observed=f"Bruise seen on the arm, entry {days} days ago; Żaneta saw it too.",
            ),
            recorder="Grzegorz Brzęczyszczykiewicz",
        )
        for days in (80, 20, 12, 5)
    ]
    return store_dir, refs


def test_saved_chronology_holds_every_entry_names_and_page_numbers(
    child_with_history: tuple[StoreFixture, list[str]], tmp_path: Path
) -> None:
    fixture, refs = child_with_history
    session = _dsl(fixture)
    try:
        child_id = casework.create_child_for(session, refs[0], 0).id
        for ref in refs[1:]:
            casework.link_child(session, ref, 0, child_id)
        casework.add_action(
            session,
            NewAction.checked(
                kind="consulted_social_care",
                occurred_at=datetime.now().replace(microsecond=0) - timedelta(days=15),
                who="Front door duty worker",
                details="Rang for advice about the bruising; told to monitor.",
                now=datetime.now(),
            ),
            child_id=child_id,
        )
        entries = children.chronology(session, child_id)
        path = tmp_path / SUGGESTED_FILE_NAME
        saved = save_chronology_pdf(session, child_id, path)
        audit = [e for e in audit_trail.entries(session, 50) if e.action == "chronology_exported"]
    finally:
        session.lock()

    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert saved.sha256 == hashlib.sha256(data).hexdigest()
    assert saved.entries == len(entries) == 5
    # The export is audited with the file's fingerprint, and the child's id only.
    assert [e.detail for e in audit] == [{"child_id": child_id, "sha256": saved.sha256}]

    text = pdf_text(path)
    folded = flat(text)
    assert CHILD in folded
    assert "Grzegorz Brzęczyszczykiewicz" in folded  # who recorded the concerns
    assert "Dana Lead" in folded  # the action's writer and who printed it, by full name
    assert "Riverside Juniors FC" in folded
    assert "born 2 March 2015" in folded
    for entry in entries:
        assert flat(entry.title) in folded
        assert flat(entry.summary) in folded
    assert "Page 1 of 1" in folded
    assert folded.count("OFFICIAL-SENSITIVE") == 2  # top and bottom of the one page
    assert re.search(r"Printed \d{1,2} \w{3} \d{4}, \d\d:\d\d by Dana Lead", folded)
    assert folded.count("Repeated: 3+ in 30 days") == 3 + 1  # three concerns, and the key
    assert "Agency contact" in folded
    assert "Recorded later on" in folded

    # In date order on paper too: the backdated call sits between the concerns.
    order = [folded.index(flat(e.summary)) for e in entries]
    assert order == sorted(order)

    info = pdf_info(path)
    assert info["Title"] == "Chronology"
    assert info["Page size"].startswith("841.89 x 595.276")  # A4 landscape
    for value in info.values():
        assert "Łucja" not in value and "Wiśniewska" not in value


def test_a_long_chronology_numbers_every_page_and_repeats_the_marking(tmp_path: Path) -> None:
    start = datetime(2024, 1, 1, 9, 0)
    entries = tuple(
        ChronologyEntry(
            when=(start + timedelta(days=i)).isoformat(),
            kind="concern" if i % 2 else "action",
            title=f"Entry number {i:03d}",
            summary=f"Summary text {i:03d}: " + "a sentence that takes up room. " * 4,
            recorded_at=(start + timedelta(days=i)).isoformat(),
            by="Zoë Ná",
            repeated=i % 2 == 1,
        )
        for i in range(500)
    )
    doc = printable(entries, group="Year 6", case_owner="Dana Lead")
    path = tmp_path / "long.pdf"
    path.write_bytes(chronology_pdf_bytes(doc))
    pages = int(pdf_info(path)["Pages"])
    assert pages > 10
    folded = flat(pdf_text(path))
    for i in range(500):
        assert f"Entry number {i:03d}" in folded
        assert f"Summary text {i:03d}:" in folded
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in folded
    assert folded.count("OFFICIAL-SENSITIVE") == 2 * pages
    assert folded.count("Chronology: Oliver Smith, born 20 January 2013") == pages
    assert folded.count("Printed 27 Mar 2026, 14:05 by Dana Lead") == pages


def test_long_names_keep_header_and_footer_on_one_line_with_the_date_of_birth(
    tmp_path: Path,
) -> None:
    # A header or footer that wrapped ran across its rule; a shortened name must never
    # take the date of birth with it, as that is what tells two children's pages apart.
    entries = tuple(
        ChronologyEntry(
            when=f"2026-01-{day:02d}T10:00:00",
            kind="concern",
            title=f"Entry {day}",
            summary="A sentence that takes up room. " * 6,
            recorded_at=f"2026-01-{day:02d}T10:00:00",
            by="Dana Lead",
        )
        for day in range(1, 29)
    )
    doc = printable(
        entries,
        organisation="The Riverside and District Junior Football, Netball and Cricket Club",
        child_name="Wilhelmina Ottoline Xanthippe Fairweather-Quartermain-"
        "Brzęczyszczykiewicz de la Riviera Montgomery-Smythe",
        printed_by="Grzegorz Brzęczyszczykiewicz-Montgomery, Designated Safeguarding Lead "
        "for the whole trust",
    )
    path = tmp_path / "long-names.pdf"
    path.write_bytes(chronology_pdf_bytes(doc))
    pages = int(pdf_info(path)["Pages"])
    assert pages > 1
    lines = pdf_text(path, layout=True).splitlines()
    headers = [line for line in lines if "Chronology: Wilhelmina" in line]
    assert len(headers) == pages
    for line in headers:
        assert "…, born 20 January 2013 (age 13)" in line
        assert "The Riverside and District" in line  # the organisation beside it
    footers = [line for line in lines if line.lstrip().startswith("Printed 27 Mar 2026")]
    assert len(footers) == pages
    assert all("Page " in line for line in footers)


def test_any_script_prints_and_markup_in_names_is_printed_as_typed(tmp_path: Path) -> None:
    entries = (
        ChronologyEntry(
            when="2026-03-01T10:00:00",
            kind="concern",
            title="Concern: Neglect",
            summary="王小明 said he had not eaten <b>since</b> Friday & was cold.",
            recorded_at="2026-03-04T08:00:00+00:00",
            by="محمد الأحمد",
        ),
    )
    doc = printable(
        entries,
        organisation="Club <i>Łódź</i> & Co",
        child_name="王小明",
        date_of_birth=None,
        approximate_age=9,
        other_names="Xiao Ming",
        risk_level="Not set",
    )
    path = tmp_path / "scripts.pdf"
    path.write_bytes(chronology_pdf_bytes(doc))
    folded = flat(pdf_text(path))
    assert "王小明" in folded
    assert "<b>since</b> Friday & was cold." in folded
    assert "Club <i>Łódź</i> & Co" in folded
    assert "about 9 years old, date of birth not known" in folded
    assert "Case owner: nobody yet" in folded
    assert "Recorded later on 4 March 2026" in folded
    fonts = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts, "no fonts listed"
    # Every font is embedded (no Helvetica fallback nobody can see on another PC).
    assert all(line.split()[-5] == "yes" for line in fonts), fonts


def test_dates_are_in_english_on_a_computer_set_to_another_language(tmp_path: Path) -> None:
    entries = (
        ChronologyEntry(
            when="2026-03-01T10:00:00",
            kind="concern",
            title="Concern: Neglect",
            summary="Had not eaten since Friday.",
            recorded_at="2026-03-04T08:00:00",
            by="Dana Lead",
        ),
    )
    doc = printable(entries)
    path = tmp_path / "polish.pdf"
    with polish_time_locale(tmp_path):
        path.write_bytes(chronology_pdf_bytes(doc))
    folded = flat(pdf_text(path))
    assert "born 20 January 2013" in folded
    assert "Printed 27 Mar 2026, 14:05 by Dana Lead" in folded
    assert "1 Mar 2026, 10:00" in folded
    assert "Recorded later on 4 March 2026" in folded
    assert "stycz" not in folded and "marca" not in folded


def test_an_unwritable_place_is_one_sentence_and_nothing_is_audited(
    child_with_history: tuple[StoreFixture, list[str]], tmp_path: Path
) -> None:
    fixture, refs = child_with_history
    session = _dsl(fixture)
    try:
        child_id = casework.create_child_for(session, refs[0], 0).id
        with pytest.raises(BadInput) as raised:
            save_chronology_pdf(session, child_id, tmp_path / "no such folder" / "chronology.pdf")
        assert str(raised.value) == (
            "The PDF could not be saved there because that folder no longer exists; "
            "choose another place."
        )
        assert CHILD not in str(raised.value)
        assert not [
            e for e in audit_trail.entries(session, 50) if e.action == "chronology_exported"
        ]
        # Reading what to print is not an "opening" of the child's file.
        before = len(audit_trail.entries(session, 1000))
        printed = chronology_print(session, child_id)
        assert len(audit_trail.entries(session, 1000)) == before
        assert printed.child_name == CHILD
        assert printed.printed_by == "Dana Lead"
        assert [replace(e, by="") for e in printed.entries] == [
            replace(e, by="") for e in children.chronology(session, child_id)
        ]
    finally:
        session.lock()
    assert not list(tmp_path.rglob("*chronology*"))  # no PDF, no temporary file
