"""Attachments: the original notes, letters and emails kept with a concern or a child's file.

A lead (DSL or administrator) attaches a file to a concern, where every child it names
sees it in their file and chronology, or to one child's file alone. The file is checked
and stripped of its metadata on the way in (services/attachment_intake.py), stored
inside cases.db under the database key (storage/attachment_records.py: never a
separate file, so it is in every backup and check, and no copy sits unencrypted
anywhere), and audited with its SHA-256 and the SHA-256 of the file as given (so the
file still on someone's USB stick can be matched), never its name, which often holds a
child's.

Opening one is audited as opening a concern is; its bytes are compared with the SHA-256
kept, so a file changed inside the database is never shown as if it were the one
attached. "Save a copy" writes where the lead chose, atomically, and is audited; a copy
the audit log does not know of is removed again (services/export_file.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..domain.attachments import (
    MAX_BYTES,
    AttachmentKind,
    AttachmentRecord,
    checked_description,
    shown_file_name,
)
from ..domain.errors import BadInput, CheckFailed
from ..pdf.preview import PagePixels, render_pages  # pypdfium2 is loaded at first use
from ..storage import (
    attachment_records,
    audit_log,
    case_records,
    casework_records,
    children_records,
)
from ..storage.case_records import utc_now
from .attachment_intake import Intake, take_in
from .changes import Added, Changes
from .export_file import save_audited
from .input_files import Problem, UnreadableFile, describe, read_regular_file
from .session import CaseSession, require_case_session


@dataclass(frozen=True)
class OpenedAttachment:
    """One attachment with its bytes, to show or save."""

    record: AttachmentRecord
    data: bytes

    @property
    def suggested_name(self) -> str:
        """A name for a saved copy: its number and kind, never the name it came with."""
        return f"attachment-{self.record.attachment_id}{self.record.kind.extension}"


def read_chosen_file(path: Path) -> bytes:
    """The file a lead chose to attach, or one sentence why it cannot be read."""
    try:
        return read_regular_file(Path(path), MAX_BYTES)
    except UnreadableFile as problem:
        match problem.problem:
            case Problem.MISSING:
                message = "That file is no longer there; choose it again."
            case Problem.TOO_BIG:
                message = (
                    f"That file is larger than {MAX_BYTES // (1024 * 1024)} MB, the most a file "
                    "attached can be. Scan it at a lower resolution or in parts, and attach each."
                )
            case Problem.FOLDER:
                message = "That is a folder; choose a file to attach."
            case Problem.NOT_PERMITTED:
                message = "This PC does not allow reading that file; copy it somewhere else first."
            case _:
                message = describe(problem, "That file", "a file to attach")
        raise BadInput(message, "file") from None


def attach_to_concern(
    session: object, ref: str, data: bytes, file_name: str, description: str = ""
) -> Added:
    """Keep ``data`` (a file called ``file_name``) with the concern ``ref``."""
    lead = require_case_session(session)
    concern_id = _concern_id(lead, ref)
    return _attach(lead, data, file_name, description, concern_id=concern_id)


def attach_to_child(
    session: object, child_id: int, data: bytes, file_name: str, description: str = ""
) -> Added:
    """Keep ``data`` (a file called ``file_name``) in the child's file alone."""
    lead = require_case_session(session)
    if children_records.get_child(lead.conn, child_id) is None:
        raise BadInput("That child record does not exist.", "child")
    return _attach(lead, data, file_name, description, child_id=child_id)


def attach_path(
    session: object,
    path: Path,
    *,
    concern_ref: str | None = None,
    child_id: int | None = None,
    description: str = "",
) -> Added:
    """Read the file at ``path`` and attach it to the concern or the child (one of them)."""
    if (concern_ref is None) == (child_id is None):
        raise BadInput("Say whether the file goes with a concern or a child's file.", "target")
    data = read_chosen_file(path)
    if concern_ref is not None:
        return attach_to_concern(session, concern_ref, data, Path(path).name, description)
    assert child_id is not None
    return attach_to_child(session, child_id, data, Path(path).name, description)


def _attach(
    lead: CaseSession,
    data: bytes,
    file_name: str,
    description: str,
    *,
    concern_id: int | None = None,
    child_id: int | None = None,
) -> Added:
    description = checked_description(description)
    intake: Intake = take_in(data, file_name)
    conn = lead.conn
    with case_records.transaction(conn):
        attachment_id = attachment_records.add(
            conn,
            concern_id=concern_id,
            child_id=child_id,
            kind=intake.kind,
            file_name=shown_file_name(file_name),
            description=description,
            data=intake.data,
            sha256=intake.sha256,
            original_sha256=intake.original_sha256,
            removed=intake.removed,
            added_at=utc_now(),
            added_by=lead.user.username,
        )
        ref = _ref(lead, concern_id)
        audit_log.append(
            conn,
            lead.user.username,
            "attachment_added",
            {
                "attachment": attachment_id,
                "ref": ref,
                "child_id": child_id,
                "kind": intake.kind.value,
                "bytes": len(intake.data),
                "sha256": intake.sha256,
                "original_sha256": intake.original_sha256,
                "removed": list(intake.removed),
            },
        )
    return Added(attachment_id, _changes(lead, concern_id, child_id))


def for_concern(session: object, ref: str) -> list[AttachmentRecord]:
    lead = require_case_session(session)
    return attachment_records.for_concern(lead.conn, _concern_id(lead, ref))


def for_child(session: object, child_id: int) -> list[AttachmentRecord]:
    """The child's own attachments and those of every concern linked to them."""
    lead = require_case_session(session)
    return attachment_records.for_child(lead.conn, child_id)


def open_attachment(session: object, attachment_id: int) -> OpenedAttachment:
    """One attachment with its bytes, checked against the SHA-256 kept; audited."""
    lead = require_case_session(session)
    opened = _read(lead, attachment_id)
    lead.audit_read(
        "attachment_opened",
        {
            "attachment": attachment_id,
            "ref": opened.record.concern_ref,
            "child_id": opened.record.child_id,
        },
    )
    return opened


def save_copy(session: object, attachment_id: int, path: Path) -> str:
    """Write the attachment to ``path`` (where the lead chose) and audit it; its SHA-256."""
    lead = require_case_session(session)
    opened = _read(lead, attachment_id)
    record = opened.record

    def audited(sha256: str) -> None:
        with case_records.transaction(lead.conn):
            audit_log.append(
                lead.conn,
                lead.user.username,
                "attachment_saved",
                {
                    "attachment": attachment_id,
                    "ref": record.concern_ref,
                    "child_id": record.child_id,
                    "sha256": sha256,
                },
            )

    return save_audited(
        Path(path), opened.data, audited, records_folder=lead.store.data_dir, what="The copy"
    )


def _read(lead: CaseSession, attachment_id: int) -> OpenedAttachment:
    record = attachment_records.get(lead.conn, attachment_id)
    data = attachment_records.data(lead.conn, attachment_id) if record is not None else None
    if record is None or data is None:
        raise BadInput("That attachment is no longer in the records.", "attachment")
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise CheckFailed(
            "This attached file is not the one that was attached: it has changed inside the "
            "records since. Run Check the records now (Settings), and restore the newest "
            "checked backup if that finds damage."
        )
    return OpenedAttachment(record, data)


def _concern_id(lead: CaseSession, ref: str) -> int:
    concern_id = casework_records.concern_id_for_ref(lead.conn, ref.strip().upper())
    if concern_id is None:
        raise BadInput(f"There is no concern with the reference {ref.strip()[:20]}.", "reference")
    return concern_id


def _ref(lead: CaseSession, concern_id: int | None) -> str | None:
    return casework_records.concern_ref(lead.conn, concern_id) if concern_id is not None else None


def _changes(lead: CaseSession, concern_id: int | None, child_id: int | None) -> Changes:
    """The concern and every child whose file shows the attachment."""
    if concern_id is None:
        return Changes.of(children=[child_id])
    linked = [link.child_id for link in children_records.links_for_concern(lead.conn, concern_id)]
    return Changes.of(concerns=[_ref(lead, concern_id) or ""], children=linked)


def pdf_pages(opened: OpenedAttachment, width: int) -> tuple[PagePixels, ...]:
    """An attached PDF's first pages drawn ``width`` pixels wide, to be shown in the app.

    Drawn by PDFium from the bytes in memory (pdf/preview.py), never from a file: the
    attachment's plaintext is never written anywhere to be shown. Each page knows the
    document's number of pages, so a long one can say that only the first are drawn.
    """
    if opened.record.kind is not AttachmentKind.PDF:
        raise BadInput("That attached file is a picture, not a PDF.", "attachment")
    return render_pages(opened.data, width)
