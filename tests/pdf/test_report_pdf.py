"""The anonymised category report: what is counted, what the PDF says, and what it never holds.

Concerns arrive the real way (sealed, then ingested by a DSL sign-in) on a copy of the
template store, with distinctive child names and record text, so that a name leaking
into the PDF, its metadata or its compressed streams would be found.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.categories import CATEGORY_IDS, category
from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.report_chart import (
    MAX_SERIES,
    OTHERS_LABEL,
    chart_series,
    last_school_year,
    last_twelve_months,
    periods_between,
    school_year_name,
    school_year_start,
    short_label,
    with_every_period,
)
from safeguard_desktop.domain.reporting import build_report
from safeguard_desktop.pdf.report_document import category_report_pdf
from safeguard_desktop.services import audit_trail
from safeguard_desktop.services.export_file import NotSaved
from safeguard_desktop.services.report_export import (
    concerns_report,
    save_report_pdf,
    suggested_file_name,
)
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import audit_log

ORG = "Riverside Juniors FC"  # the template store's organisation (conftest.py)
# Names and words that must never reach a report: children (first and second child of
# a concern), the recorder, and text from the record itself.
SECRETS = ("Zebedee", "Quartermain", "Ottoline", "Fairweather", "Wilhelmina", "Xanthippe")
OBSERVED = "Wilhelmina said Xanthippe pushed her near the kit cupboard."

# (days ago, categories): several months and categories, one concern with two.
CONCERNS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("neglect",)),
    (2, ("neglect", "online_harm")),
    (3, ("physical_abuse",)),
    (40, ("online_harm",)),
    (41, ("neglect",)),
    (75, ("physical_abuse", "neglect")),
    (200, ("self_harm_mental_health",)),
)


def _month(days_ago: int) -> str:
    return (datetime.now() - timedelta(days=days_ago)).strftime("%Y-%m")


@pytest.fixture
def session(store_dir: StoreFixture) -> Iterator[CaseSession]:
    store = Store.open(store_dir.data_dir)
    for index, (days_ago, categories) in enumerate(CONCERNS):
        child = "Zebedee Quartermain" if index % 2 else "Ottoline Fairweather"
        submit(
            store,
            concern_data(
                name=child,
                days_ago=days_ago,
                categories=categories,
                observed=OBSERVED,
                extra_children=({"name": "Xanthippe Fairweather", "group": "Under 12s"},),
            ),
            recorder="Wilhelmina Recorder",
        )
    opened = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(opened, CaseSession)
    try:
        yield opened
    finally:
        opened.lock()


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def every_byte_readable(data: bytes) -> bytes:
    """The PDF with every Flate stream inflated, so nothing hides in compressed content."""
    out = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def table_row(text: str, label: str) -> list[int]:
    """The numbers after ``label`` on its table line (the legend has "(n)" after it)."""
    pattern = re.compile(rf"^\s*{re.escape(label)}\s+((?:\d+\s+)*\d+)\s*$", re.MULTILINE)
    found = pattern.findall(text)
    assert len(found) == 1, f"{label!r}: {found}"
    return [int(n) for n in found[0].split()]


# --- counting ------------------------------------------------------------------------


def test_report_counts_match_the_concerns_and_show_quiet_months(session: CaseSession) -> None:
    today = date.today()
    date_from, date_to = last_twelve_months(today)
    report = concerns_report(session, "month", date_from, date_to)
    # Every month of the range is there, oldest first, quiet ones as zero.
    assert [p.key for p in report.periods] == [
        p.key for p in periods_between("month", date_from, date_to)
    ]
    assert len(report.periods) == 12
    expected: Counter[tuple[str, str]] = Counter()
    per_month: Counter[str] = Counter()
    for days_ago, categories in CONCERNS:
        per_month[_month(days_ago)] += 1
        for cid in categories:
            expected[(_month(days_ago), cid)] += 1
    for period in report.periods:
        assert report.concern_totals[period.key] == per_month[period.key]
        for cid in CATEGORY_IDS:
            assert report.count(period.key, cid) == expected[(period.key, cid)]
    assert report.total == len(CONCERNS)
    # A concern with two categories counts under both, once in the total.
    assert report.category_total("neglect") == 4
    assert sum(report.category_total(c) for c in report.categories) == 9


def test_report_refuses_dates_in_the_wrong_order(session: CaseSession) -> None:
    with pytest.raises(BadInput, match="end date is before the start date"):
        concerns_report(session, "month", date(2026, 5, 1), date(2026, 4, 1))
    with pytest.raises(BadInput, match="month or by term"):
        concerns_report(session, "week", date(2026, 4, 1), date(2026, 5, 1))


# --- the PDF -------------------------------------------------------------------------


def test_saved_pdf_has_the_counts_and_no_child_data(session: CaseSession, tmp_path: Path) -> None:
    today = date.today()
    date_from, date_to = last_twelve_months(today)
    path = tmp_path / "concerns-report.pdf"
    saved = save_report_pdf(session, path, "month", date_from, date_to)
    data = path.read_bytes()
    assert saved.path == path
    assert saved.sha256 == hashlib.sha256(data).hexdigest()
    assert data.startswith(b"%PDF")

    text = pdf_text(path)
    flat = " ".join(text.split())
    assert "Safeguarding concerns by category" in flat
    assert ORG in flat
    assert f"{date_from.day} {date_from:%B %Y} to {today.day} {today:%B %Y}" in flat
    assert "By month" in flat
    assert "counts only: no names" in flat
    assert f"Printed {today.day} {today:%B %Y}" in flat

    report = concerns_report(session, "month", date_from, date_to)
    for cid in report.categories:
        numbers = table_row(text, category(cid).label)
        assert numbers == [
            *(report.count(p.key, cid) for p in report.periods),
            report.category_total(cid),
        ]
        assert f"{category(cid).label} ({report.category_total(cid)})" in flat  # legend
    assert table_row(text, "Concerns (each counted once)") == [
        *(report.concern_totals[p.key] for p in report.periods),
        len(CONCERNS),
    ]

    readable = every_byte_readable(data)
    for secret in SECRETS:
        assert secret not in text
        assert secret.encode() not in readable
        assert secret.encode("utf-16-be") not in readable


def test_saving_is_audited_with_the_fingerprint(session: CaseSession, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    saved = save_report_pdf(session, path, "term", *last_school_year(date.today()))
    entries = [e for e in audit_trail.entries(session, 50) if e.action == "report_exported"]
    assert len(entries) == 1
    assert entries[0].detail == {"by": "term", "sha256": saved.sha256}


def test_term_report_names_the_terms(session: CaseSession, tmp_path: Path) -> None:
    today = date.today()
    date_from, date_to = last_twelve_months(today)
    path = tmp_path / "terms.pdf"
    save_report_pdf(session, path, "term", date_from, date_to)
    flat = " ".join(pdf_text(path).split())
    assert "By term" in flat
    assert "autumn is September to December" in flat
    report = concerns_report(session, "term", date_from, date_to)
    for period in report.periods:
        season, year = short_label(period).split()
        assert season in flat and year in flat
    assert table_row(pdf_text(path), "Concerns (each counted once)")[-1] == len(CONCERNS)


def test_a_folder_that_is_not_there_is_one_plain_sentence(
    session: CaseSession, tmp_path: Path
) -> None:
    path = tmp_path / "gone" / "report.pdf"
    with pytest.raises(NotSaved, match="folder no longer exists"):
        save_report_pdf(session, path, "month", *last_twelve_months(date.today()))
    folder = tmp_path / "out" / "report.pdf"
    folder.mkdir(parents=True)
    with pytest.raises(NotSaved, match="a folder already has that name"):
        save_report_pdf(session, folder, "month", *last_twelve_months(date.today()))
    assert list(folder.parent.iterdir()) == [folder] and not list(folder.iterdir())
    assert not [e for e in audit_trail.entries(session, 50) if e.action == "report_exported"]


def test_an_export_the_audit_log_cannot_record_does_not_stay_on_disk(
    session: CaseSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_append(*args: object, **kwargs: object) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(audit_log, "append", broken_append)
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "report.pdf"
    with pytest.raises(OSError):
        save_report_pdf(session, path, "month", *last_twelve_months(date.today()))
    assert not path.exists()
    assert not list(folder.iterdir())  # no temporary file left beside it either


def test_an_empty_period_says_no_concerns(tmp_path: Path) -> None:
    report = with_every_period(build_report([], []), "month", date(2026, 9, 1), date(2026, 10, 3))
    data = category_report_pdf(
        report,
        organisation="Łódź Świętokrzyska Youth Club",
        date_from=date(2026, 9, 1),
        date_to=date(2026, 10, 3),
        printed_on=date(2026, 10, 3),
        by="month",
    )
    path = tmp_path / "empty.pdf"
    path.write_bytes(data)
    flat = " ".join(pdf_text(path).split())
    assert "No concerns were recorded in this period." in flat
    assert "Łódź Świętokrzyska Youth Club" in flat
    assert "Concerns recorded 0" in flat


def test_the_organisation_name_prints_in_any_script(tmp_path: Path) -> None:
    report = with_every_period(build_report([], []), "month", date(2026, 9, 1), date(2026, 10, 3))
    data = category_report_pdf(
        report,
        organisation="王小明 Łódź Club",
        date_from=date(2026, 9, 1),
        date_to=date(2026, 10, 3),
        printed_on=date(2026, 10, 3),
        by="month",
    )
    path = tmp_path / "scripts.pdf"
    path.write_bytes(data)
    text = pdf_text(path)
    # Chinese needs the fallback font: drawn in the main font it printed as empty boxes.
    assert text.count("王小明 Łódź Club") == 2  # in the running header and under the title
    header = text.splitlines()[0]
    assert header.split() == [
        "王小明",
        "Łódź",
        "Club",
        "Safeguarding",
        "concerns",
        "by",
        "category",
    ]


def test_many_months_and_categories_still_lay_out(tmp_path: Path) -> None:
    # Three years by month, every category: the tables split, the chart merges series.
    rows = [
        (f"{year}-{month:02d}", cid, (year + month + index) % 4)
        for year in (2023, 2024, 2025)
        for month in range(1, 13)
        for index, cid in enumerate(CATEGORY_IDS)
        if (year + month + index) % 4
    ]
    months = Counter[str]()
    for month_key, _, n in rows:
        months[month_key] += n
    report = with_every_period(
        build_report(rows, list(months.items())), "month", date(2023, 1, 1), date(2025, 12, 31)
    )
    data = category_report_pdf(
        report,
        organisation="Hillside Primary School",
        date_from=date(2023, 1, 1),
        date_to=date(2025, 12, 31),
        printed_on=date(2026, 1, 5),
        by="month",
    )
    path = tmp_path / "big.pdf"
    path.write_bytes(data)
    text = pdf_text(path)
    assert OTHERS_LABEL in text
    assert "Page 1 of" in text
    words = set(text.split())
    for cid in CATEGORY_IDS:  # long names wrap inside their cell: look for every word
        assert set(category(cid).label.split()) <= words


# --- the pieces ------------------------------------------------------------------------


def test_periods_between_months_and_terms() -> None:
    months = periods_between("month", date(2025, 11, 20), date(2026, 2, 1))
    assert [p.label for p in months] == [
        "November 2025",
        "December 2025",
        "January 2026",
        "February 2026",
    ]
    terms = periods_between("term", date(2025, 9, 1), date(2026, 8, 31))
    assert [p.label for p in terms] == ["Autumn term 2025", "Spring term 2026", "Summer term 2026"]
    assert [short_label(p) for p in terms] == ["Autumn 2025", "Spring 2026", "Summer 2026"]


def test_chart_series_keep_the_largest_and_merge_the_rest() -> None:
    rows = [("2026-01", cid, index + 1) for index, cid in enumerate(CATEGORY_IDS)]
    report = build_report(rows, [("2026-01", 50)])
    series = chart_series(report)
    assert len(series) == MAX_SERIES
    assert series[0].label == category(CATEGORY_IDS[-1]).label  # the largest first
    assert series[-1].label == OTHERS_LABEL
    assert sum(s.total for s in series) == sum(n for _, _, n in rows)
    assert len({s.colour for s in series}) == MAX_SERIES


def test_school_years_and_file_names() -> None:
    assert long_date(date(2026, 3, 2)) == "2 March 2026"
    assert school_year_start(date(2026, 12, 2)) == date(2026, 9, 1)
    assert school_year_start(date(2027, 8, 31)) == date(2026, 9, 1)
    assert last_school_year(date(2026, 12, 2)) == (date(2025, 9, 1), date(2026, 8, 31))
    assert last_twelve_months(date(2026, 12, 2)) == (date(2026, 1, 1), date(2026, 12, 2))
    assert last_twelve_months(date(2026, 3, 15)) == (date(2025, 4, 1), date(2026, 3, 15))
    assert school_year_name(date(2026, 9, 1), date(2026, 12, 2)) == "2026-27"
    assert school_year_name(date(2026, 9, 2), date(2026, 12, 2)) is None
    assert suggested_file_name(date(2026, 9, 1), date(2026, 12, 2)) == (
        "concerns-report-2026-27.pdf"
    )
    assert suggested_file_name(date(2026, 1, 1), date(2026, 12, 2)) == (
        "concerns-report-2026-01-01-to-2026-12-02.pdf"
    )
