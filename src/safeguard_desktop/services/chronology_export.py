"""Printing a child's chronology: the PDF built from the records, saved, and audited.

The PDF is built in memory and written straight to the file the user chose (through a
temporary file beside it, so a crash never leaves half a PDF). Its SHA-256 goes into the
audit log, so a printed copy that turns up later can be matched to this export. If the
audit entry cannot be written, the file is removed again: there is no unaudited copy.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..domain.errors import BadInput
from ..pdf.chronology_document import ChronologyPrint, chronology_pdf_bytes
from ..storage import children_records
from ..storage.atomic_file import write_atomically
from .casework import Casework

# The name the app suggests for the file: never the child's name, which would then sit
# in "recent files" lists, backups and e-mail attachments for anyone to read.
SUGGESTED_FILE_NAME = "chronology.pdf"


@dataclass(frozen=True)
class SavedChronology:
    path: Path
    sha256: str
    entries: int


def people_names(casework: Casework) -> dict[str, str]:
    """User name -> full name for everyone with an account (for "recorded by")."""
    return {user.username: user.display_name for user in casework.session.store.users()}


def chronology_print(
    casework: Casework, child_id: int, *, printed_at: datetime | None = None
) -> ChronologyPrint:
    """What the printed chronology of ``child_id`` shows; reading it is not audited.

    The export itself is audited (:func:`save_chronology_pdf`).
    """
    # The child's own row only: the child's whole file (household, professionals,
    # follow-ups, every concern) is not printed here.
    child = children_records.get_child(casework.session.conn, child_id)
    if child is None:
        raise BadInput("That child record does not exist.", "child")
    names = people_names(casework)
    entries = tuple(
        replace(entry, by=names.get(entry.by, entry.by)) for entry in casework.chronology(child_id)
    )
    details = child.details
    session = casework.session
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


def _write_failure(error: OSError) -> BadInput:
    if isinstance(error, PermissionError):
        why = "this account may not write there"
    elif error.errno == errno.ENOSPC:
        why = "the disk is full"
    elif isinstance(error, FileNotFoundError):
        why = "that folder no longer exists"
    elif isinstance(error, IsADirectoryError):
        why = "a folder already has that name"
    else:
        why = "the system refused to write the file"
    return BadInput(
        f"The PDF could not be saved there because {why}; choose another place.", "path"
    )


def save_chronology_pdf(casework: Casework, child_id: int, path: Path) -> SavedChronology:
    """Build the chronology PDF, write it to ``path`` atomically, audit its SHA-256."""
    document = chronology_print(casework, child_id)
    data = chronology_pdf_bytes(document)
    digest = hashlib.sha256(data).hexdigest()
    target = Path(path)
    try:
        write_atomically(target, data)
    except OSError as error:
        raise _write_failure(error) from None
    try:
        casework.record_chronology_printed(child_id, digest)
    except BaseException:
        # No copy may exist that the audit log does not know about.
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return SavedChronology(path=target, sha256=digest, entries=len(document.entries))
