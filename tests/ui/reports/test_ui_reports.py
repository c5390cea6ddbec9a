"""The Reports page in the real window: month/term, the table against the service, the PDF.

A real store (cheapest Argon2 cost) with concerns sealed the real way and ingested at
the DSL's sign-in; the page is reached through the navigation as a user would.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from casework_data import RECORDER_ACCOUNT, concern_data, submit
from safeguard_desktop.domain.categories import category
from safeguard_desktop.domain.organisation import OrgType, Role
from safeguard_desktop.domain.report_chart import PALETTE, ChartSeries, last_twelve_months
from safeguard_desktop.domain.reporting import CategoryReport
from safeguard_desktop.services import audit_trail
from safeguard_desktop.services.report_export import concerns_report, suggested_file_name
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.reports import reports_page
from safeguard_desktop.ui.reports.bar_chart import BarChart
from safeguard_desktop.ui.reports.reports_page import LAST_12_MONTHS, ReportsPage
from safeguard_desktop.ui.theme import apply_theme
from ui_store import build_store, copy_store, open_main_window

ORG = "Hillside Primary School"
DSL, DSL_PASSWORD = "dana", "a long dsl passphrase"
CHILD_NAMES = ("Zebedee Quartermain", "Ottoline Fairweather", "Xanthippe Moonbeam")
# (days ago, categories): several months and categories, one concern with two.
CONCERNS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("neglect",)),
    (2, ("neglect", "online_harm")),
    (35, ("physical_abuse",)),
    (40, ("online_harm",)),
    (100, ("neglect", "physical_abuse")),
    (160, ("self_harm_mental_health",)),
    (250, ("child_on_child",)),
)


def _store(folder: Path, *, with_concerns: bool) -> Path:
    data_dir, _ = build_store(
        folder,
        org=ORG,
        org_type=OrgType.SCHOOL,
        admin=("jo", "Jo Morgan", "a long admin passphrase"),
        users=[(DSL, "Dana Lead", Role.DSL, DSL_PASSWORD), RECORDER_ACCOUNT],
    )
    if with_concerns:
        store = Store.open(data_dir)
        for index, (days_ago, categories) in enumerate(CONCERNS):
            submit(
                store,
                concern_data(
                    name=CHILD_NAMES[index % 3],
                    days_ago=days_ago,
                    categories=categories,
                    extra_children=({"name": CHILD_NAMES[(index + 1) % 3], "group": "Year 4"},),
                ),
            )
    return data_dir


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {
        "concerns": _store(tmp_path_factory.mktemp("concerns"), with_concerns=True),
        "empty": _store(tmp_path_factory.mktemp("empty"), with_concerns=False),
    }


@pytest.fixture
def open_reports(
    qtbot: QtBot, templates: dict[str, Path], tmp_path: Path
) -> Callable[[str], tuple[MainWindow, ReportsPage]]:
    def opener(which: str) -> tuple[MainWindow, ReportsPage]:
        window = open_main_window(qtbot, copy_store(templates[which], tmp_path))
        window.resize(1366, 720)
        page = window.login_page
        page.username.setText(DSL)
        qtbot.keyClicks(page.password, DSL_PASSWORD)
        qtbot.keyClick(page.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(window.session_area, CaseArea), timeout=15_000)
        area = window.session_area
        assert isinstance(area, CaseArea)
        qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
        # Reached through the navigation, as a user would.
        row = area.section_titles().index("Reports")
        area.navigation.setFocus()
        area.navigation.setCurrentRow(row)
        reports = area.findChild(ReportsPage)
        assert reports is not None and area.pages.currentWidget() is reports
        qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
        return window, reports

    return opener


def service_report(window: MainWindow, page: ReportsPage) -> CategoryReport:
    """What the services say for the page's current choices (asked on the worker)."""
    future = window.worker.submit(concerns_report, window.session, page.by, *page.date_range())
    report: CategoryReport = future.result(timeout=10)
    return report


def table_cells(table: QTableWidget) -> list[list[str]]:
    return [
        [
            str(table.item(row, column).data(Qt.ItemDataRole.AccessibleTextRole))
            if column == 0
            else table.item(row, column).text()
            for column in range(table.columnCount())
        ]
        for row in range(table.rowCount())
    ]


def assert_table_matches(page: ReportsPage, report: CategoryReport) -> None:
    expected = [
        [
            category(cid).label,
            *(str(report.count(p.key, cid)) for p in report.periods),
            str(report.category_total(cid)),
        ]
        for cid in report.categories
    ]
    expected.append(
        [
            "Concerns (each counted once)",
            *(str(report.concern_totals[p.key]) for p in report.periods),
            str(report.total),
        ]
    )
    assert table_cells(page.table) == expected


def everything_shown(widget: QWidget) -> str:
    """Every text the page holds: labels, table cells, accessible names and descriptions."""
    parts: list[str] = []
    for child in [widget, *widget.findChildren(QWidget)]:
        parts += [child.accessibleName(), child.accessibleDescription(), child.toolTip()]
        if isinstance(child, QLabel):
            parts.append(child.text())
    table = widget.findChild(QTableWidget)
    if table is not None:
        parts += [cell for row in table_cells(table) for cell in row]
    return "\n".join(parts)


def choose_last_12_months(qtbot: QtBot, window: MainWindow, page: ReportsPage) -> None:
    page.preset.setFocus()
    page.preset.setCurrentIndex(LAST_12_MONTHS)
    page.preset.activated.emit(LAST_12_MONTHS)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)


def test_month_and_term_tables_match_the_service(
    qtbot: QtBot, open_reports: Callable[[str], tuple[MainWindow, ReportsPage]]
) -> None:
    window, page = open_reports("concerns")
    today = date.today()
    # Opens on this school year, from 1 September.
    assert page.date_range()[0] == date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    assert page.by == "month"

    choose_last_12_months(qtbot, window, page)
    assert page.date_range() == last_twelve_months(today)
    report = service_report(window, page)
    assert report.total == len(CONCERNS)
    assert len(report.periods) == 12
    assert page.chart_card.isVisible() and page.table_card.isVisible()
    assert not page.empty_card.isVisible()
    assert_table_matches(page, report)
    # Twelve months across, each header the short label; "Total" last.
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    assert headers[0] == "Category" and headers[-1] == "Total" and len(headers) == 14
    assert page.chart_title.text() == "Concerns per month, by category"
    assert sum(s.total for s in page.chart.series) == sum(
        report.category_total(c) for c in report.categories
    )
    assert len(page.chart.periods) == 12
    assert f"{len(CONCERNS)} concerns from" in page.chart.accessibleDescription()
    assert "The table below gives every number." in page.chart.accessibleDescription()

    qtbot.mouseClick(page.by_term, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    assert page.by == "term"
    terms = service_report(window, page)
    assert terms.total == len(CONCERNS)
    assert_table_matches(page, terms)
    assert page.chart_title.text() == "Concerns per term, by category"
    term_headers = [
        page.table.horizontalHeaderItem(c).text().replace("\n", " ")
        for c in range(1, page.table.columnCount() - 1)
    ]
    assert all(h.split()[0] in ("Autumn", "Spring", "Summer") for h in term_headers)

    # Nothing about a child anywhere on the page, nor in what a screen reader hears.
    shown = everything_shown(page)
    for name in CHILD_NAMES:
        for part in name.split():
            assert part not in shown


def test_dates_in_the_wrong_order_say_so(
    qtbot: QtBot, open_reports: Callable[[str], tuple[MainWindow, ReportsPage]]
) -> None:
    window, page = open_reports("concerns")
    end = page.date_to.date()
    page.date_to.setFocus()
    page.date_to.setDate(page.date_from.date().addDays(-1))
    qtbot.waitUntil(lambda: page.error.isVisible(), timeout=5000)
    assert page.error.text() == "The end date is before the start date; please change one."
    assert page.preset.currentIndex() == reports_page.CHOSEN_DATES
    # Putting it right counts again and the sentence goes.
    page.date_to.setDate(end)
    qtbot.waitUntil(lambda: not page.error.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)


# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_save_as_pdf_defaults_to_documents_and_holds_no_child_names(
    qtbot: QtBot,
    open_reports: Callable[[str], tuple[MainWindow, ReportsPage]],
    tmp_path: Path,
) -> None:
    window, page = open_reports("concerns")
    choose_last_12_months(qtbot, window, page)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    chooser = page.file_dialog
    # Opened, not run in a loop of its own: a lock meanwhile destroys it with the page.
    assert isinstance(chooser, QFileDialog) and chooser.isVisible()
    suggested = Path(chooser.selectedFiles()[0])
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(documents) if documents and Path(documents).is_dir() else Path.home()
    assert suggested == folder / suggested_file_name(*page.date_range())
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.file_dialog is chooser  # a second click opens no second dialog
    chooser.selectFile(str(tmp_path / "for governors"))  # typed without ".pdf"
    chooser.accept()
    qtbot.waitUntil(lambda: page.last_saved is not None, timeout=15_000)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    assert page.file_dialog is None

    saved = tmp_path / "for governors.pdf"
    assert page.last_saved is not None and page.last_saved.path == saved
    assert page.save_message.text().startswith("Saved “for governors.pdf” in ")
    assert page.save_button.isEnabled() and not page.save_busy.isVisible()

    text = subprocess.run(
        ["pdftotext", "-layout", str(saved), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert ORG in flat and "By month" in flat
    report = service_report(window, page)
    for cid in report.categories:
        assert f"{category(cid).label} ({report.category_total(cid)})" in flat
    data = saved.read_bytes()
    for name in CHILD_NAMES:
        for part in name.split():
            assert part not in text
            assert part.encode() not in data

    future = window.worker.submit(audit_trail.entries, window.session, 20)
    exported = [e for e in future.result(timeout=10) if e.action == "report_exported"]
    assert len(exported) == 1 and exported[0].detail["sha256"] == page.last_saved.sha256


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_an_empty_store_shows_a_calm_line_instead_of_a_chart(
    qtbot: QtBot, open_reports: Callable[[str], tuple[MainWindow, ReportsPage]]
) -> None:
    window, page = open_reports("empty")
    assert page.empty_card.isVisible()
    assert page.empty_line.text() == "No concerns recorded in this period"
    assert not page.chart_card.isVisible() and not page.table_card.isVisible()
    assert page.save_button.isEnabled()  # a nil return is a report too
    # Locking destroys the page with the rest of the session's views, and the file
    # dialog left open on it.
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert isinstance(page.file_dialog, QFileDialog) and page.file_dialog.isVisible()
    window.lock()
    qtbot.waitUntil(lambda: window.findChild(ReportsPage) is None, timeout=5000)
    qtbot.waitUntil(lambda: not window.findChildren(QFileDialog), timeout=5000)


def test_a_period_with_no_concerns_then_one_with_concerns_shows_the_numbers_again(
    qtbot: QtBot, open_reports: Callable[[str], tuple[MainWindow, ReportsPage]]
) -> None:
    """The table card, shown again while still holding the empty period's columns, once
    measured rows that were not there: the app crashed."""
    window, page = open_reports("concerns")
    page.set_range(date(2010, 1, 1), date(2010, 12, 31))
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=10_000)
    assert page.empty_card.isVisible() and not page.table_card.isVisible()
    assert page.table.rowCount() == 0 and page.table.columnCount() == 0
    choose_last_12_months(qtbot, window, page)
    assert page.table_card.isVisible() and not page.empty_card.isVisible()
    assert_table_matches(page, service_report(window, page))
    assert len(page.chart.periods) == 12


def test_thin_bars_still_show_their_colour(qtbot: QtBot) -> None:
    """Seven years by month: bars two or three pixels wide were all dark outline."""
    chart = BarChart()
    qtbot.addWidget(chart)
    months = 84
    series = [
        ChartSeries(
            f"Kind {n}", PALETTE[n], tuple(3 if m == months - 1 else 0 for m in range(months))
        )
        for n in range(4)
    ]
    chart.set_data([f"M{m} 2020" for m in range(months)], series)
    chart.resize(1000, chart.heightForWidth(1000))
    image = chart.grab().toImage()
    # The last month's bars, at the right of the plot (the legend is below it).
    found = {
        image.pixelColor(x, y).name()
        for x in range(image.width() - 60, image.width())
        for y in range(image.height() // 2)
    }
    for item in series:
        assert item.colour.lower() in found, item.colour


@pytest.fixture
def large_text() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    # Put back exactly what there was (often no theme at all), so that the tests after
    # this one measure text as they would have.
    font, palette, sheet = QFont(app.font()), QPalette(app.palette()), app.styleSheet()
    apply_theme(app, 1.5)
    yield
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    app.setFont(font)


def test_at_150_percent_nothing_is_cut_short(
    qtbot: QtBot,
    large_text: None,
    open_reports: Callable[[str], tuple[MainWindow, ReportsPage]],
) -> None:
    window, page = open_reports("concerns")
    choose_last_12_months(qtbot, window, page)
    # Every label with a mnemonic is wide enough for its letters drawn one by one.
    for label in page.findChildren(QLabel):
        if "&" in label.text() and label.isVisible():
            metrics = QFontMetrics(label.font())
            letters = sum(metrics.horizontalAdvance(c) for c in label.text().replace("&", ""))
            assert label.width() >= letters, label.text()
    # Category names are broken into lines that fit their column, never shortened.
    table = page.table
    metrics = QFontMetrics(table.font())
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        full = str(item.data(Qt.ItemDataRole.AccessibleTextRole))
        assert item.text().replace("\n", " ") == full
        for line in item.text().split("\n"):
            assert metrics.horizontalAdvance(line) <= table.columnWidth(0)
        assert table.rowHeight(row) >= metrics.height() * item.text().count("\n")
    # The table is as tall as its rows: nothing hides below a scroll bar inside it.
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    assert table.height() >= rows + table.horizontalHeader().height()
    # The chart grows to hold its legend at this width (once the layout has run).
    chart = page.chart
    qtbot.waitUntil(lambda: chart.height() >= chart.heightForWidth(chart.width()), timeout=5000)
