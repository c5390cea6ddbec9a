"""The governors' / committee report: loading it for the window and saving it as a PDF.

Both go through a DSL's open session. The report is counts only (see
:mod:`..domain.reporting`), completed with the periods that had no concerns
(:func:`..domain.report_chart.with_every_period`) so that the window and the PDF
show "0" for a quiet month instead of leaving it out.

Saving builds the PDF in memory and saves it with its SHA-256 in the audit log
(:func:`.export_file.save_audited`): no report leaves the building unrecorded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..domain.errors import BadInput
from ..domain.report_chart import school_year_name, with_every_period
from ..domain.reporting import CategoryReport, build_report, status_counts
from ..storage import audit_log, case_records, child_status_records, report_query
from .export_file import save_audited
from .session import CaseSession


@dataclass(frozen=True)
class SavedReport:
    path: Path
    sha256: str


def checked_range(by: str, date_from: date, date_to: date) -> None:
    """:class:`BadInput` unless ``by`` is month/term and the dates are in order."""
    if by not in ("month", "term"):
        raise BadInput("Choose whether to count by month or by term.", "by")
    if date_to < date_from:
        raise BadInput("The end date is before the start date; please change one.", "date_to")


def concerns_report(
    session: CaseSession, by: str, date_from: date, date_to: date
) -> CategoryReport:
    """Counts of concerns per category and per month or term, every period included."""
    checked_range(by, date_from, date_to)
    report = category_report(session, by, date_from, date_to)
    return with_every_period(report, by, date_from, date_to)


def category_report(
    session: CaseSession,
    by: str = "month",
    date_from: date | None = None,
    date_to: date | None = None,
) -> CategoryReport:
    """Counts of concerns per category and period, and of children's statuses; the
    periods with no concerns left out (:func:`concerns_report` puts them in)."""
    conn = session.conn
    report = build_report(
        report_query.category_months(conn, date_from, date_to),
        report_query.concern_months(conn, date_from, date_to),
        by=by,
    )
    started = child_status_records.started_between(conn, date_from or date.min, date_to or date.max)
    return replace(
        report,
        statuses_now=status_counts(child_status_records.current_counts(conn)),
        statuses_started=status_counts(started),
    )


def _record_report_exported(session: CaseSession, by: str, sha256: str) -> None:
    with case_records.transaction(session.conn):
        audit_log.append(
            session.conn, session.user.username, "report_exported", {"by": by, "sha256": sha256}
        )


def suggested_file_name(date_from: date, date_to: date) -> str:
    """ "concerns-report-2025-26.pdf" for a school year, else the two dates."""
    year = school_year_name(date_from, date_to)
    if year is not None:
        return f"concerns-report-{year}.pdf"
    return f"concerns-report-{date_from.isoformat()}-to-{date_to.isoformat()}.pdf"


def save_report_pdf(
    session: CaseSession,
    path: Path,
    by: str,
    date_from: date,
    date_to: date,
    printed_on: date | None = None,
) -> SavedReport:
    """Build the anonymised report PDF, write it to ``path`` and audit its SHA-256.

    Raises :class:`.export_file.NotSaved` when it cannot be written there.
    """
    # reportlab is imported when the first PDF is made, not at the app's start.
    from ..pdf.report_document import category_report_pdf

    report = concerns_report(session, by, date_from, date_to)
    data = category_report_pdf(
        report,
        organisation=session.organisation.name,
        date_from=date_from,
        date_to=date_to,
        printed_on=printed_on or date.today(),
        by=by,
    )
    path = Path(path)
    sha256 = save_audited(
        path,
        data,
        functools.partial(_record_report_exported, session, by),
        records_folder=session.store.data_dir,
    )
    return SavedReport(path, sha256)
