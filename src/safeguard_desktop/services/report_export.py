"""The governors' / committee report: loading it for the window and saving it as a PDF.

Both go through a DSL's open session. The report is counts only (see
:mod:`..domain.reporting`), completed with the periods that had no concerns
(:func:`..domain.report_chart.with_every_period`) so that the window and the PDF
show "0" for a quiet month instead of leaving it out.

Saving builds the PDF in memory, writes it with the store's write-fsync-rename, and
then records its SHA-256 in the audit log. If the audit entry cannot be written the
file is removed again: no report leaves the building unrecorded.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.errors import BadInput, SafeguardError
from ..domain.report_chart import school_year_name, with_every_period
from ..domain.reporting import CategoryReport
from ..pdf.report_document import category_report_pdf
from ..storage.atomic_file import write_atomically
from .session import CaseSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SavedReport:
    path: Path
    sha256: str


class ReportNotSaved(SafeguardError):
    """The PDF could not be written where the user asked (read-only, full, gone)."""


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
    report = session.casework.category_report(by, date_from, date_to)
    return with_every_period(report, by, date_from, date_to)


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
    """Build the anonymised report PDF, write it to ``path`` and audit its SHA-256."""
    report = concerns_report(session, by, date_from, date_to)
    data = category_report_pdf(
        report,
        organisation=session.organisation.name,
        date_from=date_from,
        date_to=date_to,
        printed_on=printed_on or date.today(),
        by=by,
    )
    sha256 = hashlib.sha256(data).hexdigest()
    path = Path(path)
    try:
        write_atomically(path, data)
    except OSError as error:
        log.info("report PDF not written: %s", type(error).__name__)
        raise ReportNotSaved(_write_failure(error)) from error
    try:
        session.casework.record_report_exported(by, sha256)
    except BaseException:
        # An export the audit log does not know about must not stay on disk.
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return SavedReport(path, sha256)


def _write_failure(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "The report could not be saved: the disk or memory stick is full."
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        return (
            "The report could not be saved there: that folder cannot be written to. "
            "Please choose another folder, such as Documents."
        )
    if isinstance(error, FileNotFoundError):
        return "The report could not be saved: that folder no longer exists."
    return "The report could not be saved there. Please choose another folder."
