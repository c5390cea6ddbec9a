"""Printing a child's chronology: the PDF built from the records, saved, and audited.

The PDF is built in memory and saved to the file the user chose with its SHA-256 in the
audit log (:func:`.export_file.save_audited`): there is no unaudited copy.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..domain.errors import BadInput
from ..pdf.chronology_print import ChronologyPrint
from ..storage import audit_log, case_records, children_records
from . import children
from .export_file import save_audited
from .session import CaseSession

# The name the app suggests for the file: never the child's name, which would then sit
# in "recent files" lists, backups and e-mail attachments for anyone to read.
SUGGESTED_FILE_NAME = "chronology.pdf"


@dataclass(frozen=True)
class SavedChronology:
    path: Path
    sha256: str
    entries: int


def people_names(session: CaseSession) -> dict[str, str]:
    """User name -> full name for everyone with an account (for "recorded by")."""
    return {user.username: user.display_name for user in session.store.users()}


def chronology_print(
    session: CaseSession, child_id: int, *, printed_at: datetime | None = None
) -> ChronologyPrint:
    """What the printed chronology of ``child_id`` shows; reading it is not audited.

    The export itself is audited (:func:`save_chronology_pdf`).
    """
    # The child's own row only: the child's whole file (household, professionals,
    # follow-ups, every concern) is not printed here.
    child = children_records.get_child(session.conn, child_id)
    if child is None:
        raise BadInput("That child record does not exist.", "child")
    names = people_names(session)
    entries = tuple(
        replace(entry, by=names.get(entry.by, entry.by))
        for entry in children.chronology(session, child_id)
    )
    details = child.details
    return ChronologyPrint(
        organisation=session.organisation.name,
        child_name=details.name,
        date_of_birth=details.date_of_birth,
        approximate_age=details.approximate_age,
        group=details.group,
        other_names=details.other_names,
        case_owner=names.get(child.case_owner, child.case_owner),
        risk_level=child.risk_level.label,
        entries=entries,
        printed_at=printed_at or datetime.now(),
        printed_by=session.user.display_name,
    )


def save_chronology_pdf(session: CaseSession, child_id: int, path: Path) -> SavedChronology:
    """Build the chronology PDF, write it to ``path`` atomically, audit its SHA-256.

    Raises :class:`.export_file.NotSaved` when it cannot be written there.
    """
    # reportlab is imported when the first PDF is made, not at the app's start.
    from ..pdf.chronology_document import chronology_pdf_bytes

    document = chronology_print(session, child_id)
    target = Path(path)
    digest = save_audited(
        target,
        chronology_pdf_bytes(document),
        functools.partial(_record_chronology_printed, session, child_id),
        records_folder=session.store.data_dir,
    )
    return SavedChronology(path=target, sha256=digest, entries=len(document.entries))


def _record_chronology_printed(session: CaseSession, child_id: int, sha256: str) -> None:
    with case_records.transaction(session.conn):
        audit_log.append(
            session.conn,
            session.user.username,
            "chronology_exported",
            {"child_id": child_id, "sha256": sha256},
        )
