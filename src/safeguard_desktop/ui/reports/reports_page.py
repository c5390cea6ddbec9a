"""Reports: concerns by category per month or per term, as a chart, a table and a PDF.

For the governors' termly or annual safeguarding report, or a club committee. Counts
only: the services hand this page a :class:`CategoryReport` (numbers per period and
category), so no name or record text ever reaches it. The chart and the table show the
same numbers; the table is there so that nothing depends on seeing the chart or telling
its colours apart. "Save as PDF…" builds the same report on paper, on the worker, and
the services record its fingerprint in the audit log. While the page is in view, the
counts follow any change to the concerns (the records area's one signal): a concern that
arrives from the inbox is counted at once.

Over 500 lines because the chart, the table and the PDF are three views of the same
counts, kept in step on one page with the period and date choices they share.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.categories import category
from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.domain.report_chart import (
    chart_series,
    last_school_year,
    last_twelve_months,
    school_year_start,
    short_label,
)
from safeguard_desktop.domain.reporting import CategoryReport, status_words
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.report_export import (
    SavedReport,
    concerns_report,
    save_report_pdf,
    suggested_file_name,
)
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import MessageLine, card, heading, hint, paragraph, scrolling_page, text_width
from ..widgets.dialog_parts import busy_bar
from ..widgets.form_fields import date_edit, read_whole, to_date, to_qdate
from ..widgets.pdf_save_dialog import open_pdf_save_dialog
from ..worker import Failure
from .bar_chart import BarChart
from .counts_table import CountsTable

# The date range presets, in the order the menu shows them.
THIS_SCHOOL_YEAR, LAST_SCHOOL_YEAR, LAST_12_MONTHS, CHOSEN_DATES = range(4)
# Changing a date by typing fires on every keystroke; wait for a pause before counting.
_REFRESH_DELAY_MS = 350


def field_label(text: str) -> QLabel:
    """A label with a mnemonic, wide enough for its letters drawn one by one.

    The underlined letter is drawn apart from the rest, so the pair loses its kerning
    ("To" becomes wider than QLabel measured) and the last letter was clipped.
    """
    label = QLabel(text)
    metrics = QFontMetrics(label.font())
    plain = text.replace("&", "")
    label.setMinimumWidth(sum(metrics.horizontalAdvance(c) for c in plain) + 2)
    return label


class ReportsPage(QWidget):
    """Choose month or term and a date range; see the chart and table; save the PDF."""

    def __init__(self, session: CaseSession, worker: CaseWorker, today: date | None = None) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        worker.changed.connect(self.on_changes)
        self._today = today or date.today()
        self._request = 0  # the latest count asked for; older answers are dropped
        self._saving = False
        self.last_saved: SavedReport | None = None
        self.file_dialog: QFileDialog | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(_REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)

        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Reports")), 1)
        self.save_button = QPushButton(self.tr("&Save as PDF…"))
        self.save_button.setAccessibleName(self.tr("Save the report as a PDF"))
        self.save_button.setAccessibleDescription(
            self.tr("Counts only, no names: for the governors or the committee.")
        )
        self.save_button.clicked.connect(self.choose_pdf_path)
        top.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(
            hint(
                self.tr(
                    "How many concerns of each kind were recorded, for the governors or the "
                    "committee. Reports hold numbers only, never names."
                )
            )
        )
        self.save_busy = busy_bar(self.tr("Saving the report"))
        layout.addWidget(self.save_busy)
        self.save_message = MessageLine(self.tr("Saving the report"))
        self.save_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.save_message)

        layout.addWidget(self._build_choices())
        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)

        # What the report shows: the chart card and the table card, or a calm "none".
        self.empty_card = card()
        empty_layout = QVBoxLayout(self.empty_card)
        empty_layout.setContentsMargins(20, 18, 20, 18)
        self.empty_line = heading(self.tr("No concerns recorded in this period"), level=2)
        empty_layout.addWidget(self.empty_line)
        empty_layout.addWidget(
            hint(
                self.tr(
                    "Choose a longer period to see earlier concerns. A PDF saved now says "
                    "that none were recorded."
                )
            )
        )
        self.empty_card.hide()
        layout.addWidget(self.empty_card)

        self.chart_card = card()
        chart_layout = QVBoxLayout(self.chart_card)
        chart_layout.setContentsMargins(20, 16, 20, 16)
        chart_layout.setSpacing(8)
        self.chart_title = heading("", level=2)
        chart_layout.addWidget(self.chart_title)
        self.summary = paragraph()
        self.summary.setAccessibleName(self.tr("Summary"))
        chart_layout.addWidget(self.summary)
        self.chart = BarChart()
        chart_layout.addWidget(self.chart)
        self.chart_card.hide()
        layout.addWidget(self.chart_card)

        self.table_card = card()
        table_layout = QVBoxLayout(self.table_card)
        table_layout.setContentsMargins(20, 16, 20, 16)
        table_layout.setSpacing(8)
        self.table_title = heading(self.tr("The numbers"), level=2)
        table_layout.addWidget(self.table_title)
        self.table = CountsTable()
        self.table.setAccessibleName(self.tr("Concerns by category, the numbers"))
        self.table.setAccessibleDescription(
            self.tr("The same numbers as the chart: categories down, periods across.")
        )
        table_layout.addWidget(self.table)
        table_layout.addWidget(
            hint(
                self.tr(
                    "A concern can be about more than one kind of harm. It is counted under "
                    "each of its categories, but only once in the last row."
                )
            )
        )
        self.table_card.hide()
        layout.addWidget(self.table_card)
        layout.addStretch(1)

        scrolling_page(self, body, sideways=True)  # the counts table may be wide

        self.setTabOrder(self.save_button, self.by_month)
        self.setTabOrder(self.by_month, self.by_term)
        self.setTabOrder(self.by_term, self.preset)
        self.setTabOrder(self.preset, self.date_from)
        self.setTabOrder(self.date_from, self.date_to)
        self.setTabOrder(self.date_to, self.chart)
        self.setTabOrder(self.chart, self.table)
        # Counted when the page is shown (CaseArea calls refresh), not at sign-in.
        self._set_dates(school_year_start(self._today), self._today)

    # --- the choices -------------------------------------------------------------------

    def _build_choices(self) -> QWidget:
        box = card()
        grid = QGridLayout(box)
        grid.setContentsMargins(20, 14, 20, 14)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)

        count_label = QLabel(self.tr("Count"))
        grid.addWidget(count_label, 0, 0)
        self.by_month = QRadioButton(self.tr("By &month"))
        self.by_month.setAccessibleName(self.tr("Count by month"))
        self.by_term = QRadioButton(self.tr("By te&rm"))
        self.by_term.setAccessibleName(self.tr("Count by term"))
        self.by_term.setAccessibleDescription(
            self.tr(
                "Autumn: September to December. Spring: January to March. Summer: April to August."
            )
        )
        self.by_month.setChecked(True)
        self._by_group = QButtonGroup(self)
        self._by_group.addButton(self.by_month)
        self._by_group.addButton(self.by_term)
        self.by_month.toggled.connect(self._by_changed)
        by_row = QHBoxLayout()
        by_row.setSpacing(24)
        by_row.addWidget(self.by_month)
        by_row.addWidget(self.by_term)
        by_row.addStretch(1)
        grid.addLayout(by_row, 0, 1)

        school = self._session.organisation.org_type is OrgType.SCHOOL
        period_label = field_label(self.tr("&Period"))
        grid.addWidget(period_label, 1, 0)
        self.preset = QComboBox()
        # A governors' report follows the school year (KCSIE has governing bodies review
        # safeguarding each school year, and clubs' seasons mostly start in September
        # too), so the report opens on this school year from 1 September; "Last 12
        # months" is one choice away for a rolling view.
        self.preset.addItem(self.tr("This school year") if school else self.tr("Since 1 September"))
        self.preset.addItem(
            self.tr("Last school year") if school else self.tr("Last year, September to August")
        )
        self.preset.addItem(self.tr("Last 12 months"))
        self.preset.addItem(self.tr("Dates chosen here"))
        self.preset.setAccessibleName(self.tr("Period"))
        read_whole(self.preset)
        period_label.setBuddy(self.preset)
        self.preset.activated.connect(self._apply_preset)
        period_row = QHBoxLayout()
        period_row.setSpacing(10)
        period_row.addWidget(self.preset)
        period_row.addSpacing(14)
        from_label = field_label(self.tr("&From"))
        period_row.addWidget(from_label)
        self.date_from = self._date_edit(self.tr("First day of the report"))
        from_label.setBuddy(self.date_from)
        period_row.addWidget(self.date_from)
        period_row.addSpacing(6)
        to_label = field_label(self.tr("&To"))
        period_row.addWidget(to_label)
        self.date_to = self._date_edit(self.tr("Last day of the report"))
        to_label.setBuddy(self.date_to)
        period_row.addWidget(self.date_to)
        period_row.addStretch(1)
        grid.addLayout(period_row, 1, 1)
        grid.setColumnStretch(1, 1)
        return box

    def _date_edit(self, accessible_name: str) -> QDateEdit:
        edit = date_edit(accessible_name)
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setMaximumDate(to_qdate(self._today))
        edit.setMinimumWidth(text_width(14))
        edit.dateChanged.connect(self._dates_edited)
        return edit

    @property
    def by(self) -> str:
        return "term" if self.by_term.isChecked() else "month"

    def date_range(self) -> tuple[date, date]:
        return to_date(self.date_from.date()), to_date(self.date_to.date())

    def set_range(self, date_from: date, date_to: date) -> None:
        """Show the report for these dates (as if chosen by hand)."""
        self._set_dates(date_from, date_to)
        self.preset.setCurrentIndex(CHOSEN_DATES)
        self.refresh()

    def _set_dates(self, date_from: date, date_to: date) -> None:
        for edit, day in ((self.date_from, date_from), (self.date_to, date_to)):
            edit.blockSignals(True)
            edit.setDate(to_qdate(day))
            edit.blockSignals(False)

    def _apply_preset(self, index: int) -> None:
        today = self._today
        if index == THIS_SCHOOL_YEAR:
            self._set_dates(school_year_start(today), today)
        elif index == LAST_SCHOOL_YEAR:
            self._set_dates(*last_school_year(today))
        elif index == LAST_12_MONTHS:
            self._set_dates(*last_twelve_months(today))
        else:
            self.date_from.setFocus()
            return
        self._refresh_timer.stop()
        self.refresh()

    def _dates_edited(self) -> None:
        self.preset.setCurrentIndex(CHOSEN_DATES)
        self._refresh_timer.start()

    def _by_changed(self) -> None:
        self.refresh()

    # --- counting -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Count again for the chosen dates and grouping, on the worker."""
        self._refresh_timer.stop()
        date_from, date_to = self.date_range()
        if date_to < date_from:
            self.error.show_error(
                self.tr("The end date is before the start date; please change one.")
            )
            return
        self.error.clear_message()
        self._request += 1
        request, by = self._request, self.by
        self._worker.submit(
            concerns_report,
            self._session,
            by,
            date_from,
            date_to,
            # A partial of a bound method: the worker drops it if this page is gone.
            on_done=functools.partial(self._show, request, by, date_from, date_to),
            on_error=self._failed,
        )

    def on_changes(self, changes: Changes) -> None:
        # Out of view, the counts are read again when the page is shown (CaseArea).
        if changes.concerns and self.isVisible():
            self.refresh()

    def _show(
        self, request: int, by: str, date_from: date, date_to: date, report: CategoryReport
    ) -> None:
        if request != self._request:
            return  # the choices changed while counting; a newer answer is on its way
        empty = report.total == 0
        span = self.tr("{start} to {end}").format(
            start=long_date(date_from), end=long_date(date_to)
        )
        if empty:
            self.empty_line.setAccessibleDescription(span)
            self.chart.clear()
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
        else:
            self._show_counts(report, by, span)
        # Shown once filled: a card shown first would lay out (and measure) what the
        # previous report left in it.
        self.empty_card.setVisible(empty)
        self.chart_card.setVisible(not empty)
        self.table_card.setVisible(not empty)

    def _show_counts(self, report: CategoryReport, by: str, span: str) -> None:
        self.chart_title.setText(
            self.tr("Concerns per month, by category")
            if by == "month"
            else self.tr("Concerns per term, by category")
        )
        self.chart_title.setAccessibleName(self.chart_title.text())
        series = chart_series(report)
        self.chart.set_data([short_label(p) for p in report.periods], series)
        summary = self._summary(report, span)
        self.summary.setText(summary)
        self.chart.setAccessibleName(self.chart_title.text())
        self.chart.setAccessibleDescription(
            summary
            + " "
            + " ".join(self.tr("{label}: {n}.").format(label=s.label, n=s.total) for s in series)
            + " "
            + self.tr("The table below gives every number.")
        )
        self._fill_table(report)

    def _summary(self, report: CategoryReport, span: str) -> str:
        total = report.total
        counted = self.tr("1 concern") if total == 1 else self.tr("{n} concerns").format(n=total)
        most = max(report.category_total(cid) for cid in report.categories)
        labels = [
            category(cid).label for cid in report.categories if report.category_total(cid) == most
        ]
        if len(labels) == 1:
            common = self.tr("The most common kind was {label}, with {n}.").format(
                label=labels[0], n=most
            )
        else:
            common = self.tr(
                "The most common kinds were {labels} and {last}, with {n} each."
            ).format(labels=", ".join(labels[:-1]), last=labels[-1], n=most)
        statuses = self.tr(
            "Children with a plan or status now: {now}. Started in these dates: {started}."
        ).format(
            now=status_words(report.statuses_now), started=status_words(report.statuses_started)
        )
        return (
            self.tr("{counted} from {span}.").format(counted=counted, span=span)
            + " "
            + common
            + " "
            + statuses
        )

    def _fill_table(self, report: CategoryReport) -> None:
        table = self.table
        periods = report.periods
        table.clear()
        table.setColumnCount(len(periods) + 2)
        table.setRowCount(len(report.categories) + 1)
        headers = [self.tr("Category")]
        # Two lines ("Sep" over "2025") keep twelve months across the page at 150 %.
        headers += [short_label(p).replace(" ", "\n", 1) for p in periods]
        headers.append(self.tr("Total"))
        full_names = ["", *(p.label for p in periods), ""]
        for column, text in enumerate(headers):
            header = QTableWidgetItem(text)
            if column:
                header.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if full_names[column]:
                # A screen reader says "November 2026", not "Nov" and "2026".
                header.setData(Qt.ItemDataRole.AccessibleTextRole, full_names[column])
            table.setHorizontalHeaderItem(column, header)

        bold = QFont(table.font())
        bold.setBold(True)

        def number(row: int, column: int, value: int, strong: bool = False) -> None:
            item = QTableWidgetItem(str(value))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if strong:
                item.setFont(bold)
            table.setItem(row, column, item)

        def name(row: int, text: str, strong: bool = False) -> None:
            item = QTableWidgetItem(text)
            # The whole name, also after fit_columns has broken it into lines.
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            if strong:
                item.setFont(bold)
            table.setItem(row, 0, item)

        for row, cid in enumerate(report.categories):
            name(row, category(cid).label)
            for column, period in enumerate(periods, start=1):
                number(row, column, report.count(period.key, cid))
            number(row, len(periods) + 1, report.category_total(cid), strong=True)
        last = len(report.categories)
        name(last, self.tr("Concerns (each counted once)"), strong=True)
        for column, period in enumerate(periods, start=1):
            number(last, column, report.concern_totals.get(period.key, 0), strong=True)
        number(last, len(periods) + 1, report.total, strong=True)

        table.horizontalHeader().setMinimumSectionSize(text_width(5))
        table.fit_columns()

    def _failed(self, failure: Failure) -> None:
        self.error.show_error(failure.message)

    # --- saving -------------------------------------------------------------------------

    def choose_pdf_path(self) -> None:
        """Ask where to save (Documents by default), then save there."""
        if self.file_dialog is not None or self._saving:
            return
        self.file_dialog = open_pdf_save_dialog(
            self,
            self.tr("Save the report as a PDF"),
            suggested_file_name(*self.date_range()),
            self.save_pdf,
        )
        self.file_dialog.finished.connect(self._file_dialog_closed)

    def _file_dialog_closed(self) -> None:
        self.file_dialog = None  # it deletes itself

    def save_pdf(self, path: Path) -> None:
        """Build the PDF for the chosen dates and grouping on the worker and save it."""
        if self._saving:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        date_from, date_to = self.date_range()
        if date_to < date_from:
            self.save_message.show_error(
                self.tr("The end date is before the start date; please change one.")
            )
            return
        self._set_saving(True)
        self.save_message.show_info(self.tr("Making the PDF…"))
        self._worker.submit(
            save_report_pdf,
            self._session,
            path,
            self.by,
            date_from,
            date_to,
            self._today,
            on_done=self._saved,
            on_error=self._save_failed,
        )

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_busy.setVisible(saving)

    def _saved(self, saved: SavedReport) -> None:
        self._set_saving(False)
        self.last_saved = saved
        self.save_message.show_good(
            self.tr("Saved “{name}” in {folder}. It holds counts only, no names.").format(
                name=saved.path.name, folder=saved.path.parent
            )
        )

    def _save_failed(self, failure: Failure) -> None:
        self._set_saving(False)
        self.save_message.show_error(failure.message)
