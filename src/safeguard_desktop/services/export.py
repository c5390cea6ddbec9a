"""Full export in open formats: every record as export.json, and the PDFs, for leaving the app.

An administrator exports everything when the organisation moves to another system or a
local authority audits its records. The export holds:

* ``export.json``: every account's name and role, child, household member,
  professional, concern exactly as submitted (with who submitted it and when), link
  between a concern and a child, amendment, action, decision, referral, follow-up,
  attachment and audit entry, with the export's schema version and time (docs/export.schema.json);
* ``chronologies/child-<id>.pdf``: each child's chronology, as Print chronology makes it;
* ``referrals/referral-<ref>.pdf``: each referral that was sent. The app keeps a sent
  PDF's SHA-256, not its bytes, so each is rebuilt from the stored referral as it was
  sent (its content cannot change once sent; the chronology lines up to the time it
  was sent; made on that date, naming who sent it) and signed again with the
  organisation's certificate. export.json lists each file with its SHA-256, and each
  referral with the SHA-256 of the PDF that was really sent;
* ``attachments/attachment-<id>.<pdf|png|jpg>``: each file kept with a concern or a
  child's file, as stored (pictures without the metadata taken out on the way in);
  export.json's ``attachments`` array says what each is and what it was called.

It goes to a new folder (plain files, owner-only) or one AES-256 encrypted ZIP
(services/export_writer.py), never into the data folder, and never half: a failure or a
cancel removes what was written. Everything is read in one snapshot of the database.
The export is audited when it is complete, with its counts and, for a ZIP, its SHA-256:
never a name or a path (people name folders after children). File names hold ids and
references only, never a child's name.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import time
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .. import APP_NAME, __version__
from ..domain.errors import BadInput, NotPermitted, SafeguardError, StoreReadOnly
from ..domain.organisation import Role
from ..pdf.encryption import MIN_PASSWORD_LENGTH as MIN_PASSWORD_LENGTH
from ..pdf.signing_identity import SigningIdentity
from ..storage import attachment_records, audit_log, case_records, export_query
from . import referral
from .chronology_export import chronology_print
from .export_file import NotSaved
from .export_writer import ExportFile, ExportWriter, FolderWriter, ZipWriter, clear_leftovers

if TYPE_CHECKING:
    from ..pdf.worker_pool import PdfJob, PdfWorkers
    from .session import CaseSession

log = logging.getLogger(__name__)

FORMAT = "safeguard-desktop-export"
# Bump when export.json changes shape; docs/export.schema.json describes this version.
# 2: attachments (the array and the files under attachments/); 3: transfers
SCHEMA_VERSION = 3
JSON_NAME = "export.json"
# Progress: what one step costs, roughly, in time (measured on the benchmark store): a
# chronology PDF about 20 ms, a rebuilt and signed referral about 90 ms, and 2,000 rows
# of export.json about 20 ms.
ROWS_PER_STEP = 2_000
REFERRAL_STEPS = 4
# One PDF's time on one core, measured on the benchmark store (reportlab with rl-accel),
# to judge whether worker processes are worth starting (pdf/worker_pool.py).
CHRONOLOGY_SECONDS = 0.015
REFERRAL_SECONDS = 0.06
# Chunks of export.json handed to the writer: big enough to keep the writing cheap.
JSON_CHUNK_CHARS = 256 * 1024

Progress = Callable[[int, str], None]


class ExportCancelled(SafeguardError):
    """The person asked the export to stop; what it had written is removed."""

    def __init__(self) -> None:
        super().__init__("The export was stopped; nothing was kept.")


@dataclass(frozen=True)
class ExportResult:
    """What was exported, for the screen and the command line (no record text)."""

    path: Path
    zipped: bool
    counts: dict[str, int]  # rows in each array of export.json
    chronologies: int
    referrals: int
    files: int
    bytes: int
    sha256: str | None  # of the ZIP; None for a folder
    export_json_sha256: str
    seconds: float
    # What exports killed half way had left beside this one, found and removed first.
    leftovers_removed: int = 0

    def leftovers_sentence(self) -> str:
        """One sentence when leftovers were removed ("" when none were)."""
        if not self.leftovers_removed:
            return ""
        return (
            "An earlier export into this folder stopped half way and left files behind; "
            "they have been deleted, and nothing else in the folder was touched."
        )


@dataclass
class _Run:
    """One export's progress and cancel checks, and the files it has made so far."""

    total_steps: int
    progress: Progress | None
    cancelled: Callable[[], bool] | None
    done: int = 0
    last_percent: int = -1
    files: list[dict[str, object]] = field(default_factory=list)

    def step(self, steps: int, text: str) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled()
        self.done += steps
        percent = min(99, self.done * 100 // max(1, self.total_steps))
        if self.progress is not None and percent != self.last_percent:
            self.last_percent = percent
            self.progress(percent, text)


# Checks made before anything is read or written ------------------------------------------


def check_zip_password(password: str) -> str:
    """``password`` when it may protect the ZIP: the rule the PDF password box states."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput(
            f"The ZIP password must be at least {MIN_PASSWORD_LENGTH} characters long.",
            field="zip_password",
        )
    return password


def require_admin(session: CaseSession) -> None:
    if session.user.role is not Role.ADMIN:
        raise NotPermitted("Only an administrator can export everything.")


def suggested_name(organisation: str, *, zipped: bool, on: date | None = None) -> str:
    """``safeguard-export-<organisation>-<date>[.zip]``: never a child's name."""
    folded = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:40].strip("-") or "records"
    name = f"safeguard-export-{slug}-{(on or date.today()).isoformat()}"
    return f"{name}.zip" if zipped else name


def free_target(folder: Path, name: str) -> Path:
    """``folder``/``name``, or with -2, -3... before the extension when that is taken."""
    stem, dot, extension = name.partition(".")
    candidate, number = folder / name, 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{stem}-{number}{dot}{extension}"
        number += 1
    return candidate


def check_target(session: CaseSession, path: Path, *, zipped: bool) -> Path:
    """``path`` as given when the export may be written there; else one sentence (exit 2).

    Refused: inside the data folder; a folder (or ZIP file) that exists and is not
    empty; a ZIP path that is a folder, or a folder path that is a file; a parent
    folder that does not exist. Messages never repeat the path (it may name a child).
    """
    target = Path(path)
    field_name = "--out"
    try:
        data_dir = session.store.data_dir.resolve()
        where = target.parent.resolve(strict=True) / target.name
    except (OSError, RuntimeError):
        raise BadInput(
            "The folder to export into does not exist; choose or make one first.", field_name
        ) from None
    if where == data_dir or data_dir in where.parents:
        raise BadInput(
            "The export cannot go into the data folder: keep it apart from the records "
            "it copies. Choose another folder.",
            field_name,
        )
    if target.is_symlink():
        raise BadInput("The export cannot be written through a shortcut (link).", field_name)
    if zipped:
        if target.is_dir():
            raise BadInput("That is a folder; give the name of the ZIP file to make.", field_name)
        if target.exists() and target.stat().st_size > 0:
            raise BadInput(
                "A file of that name already exists; the export does not replace files. "
                "Choose a new name.",
                field_name,
            )
    elif target.exists():
        if not target.is_dir():
            raise BadInput(
                "A file of that name already exists; give a new folder, or an empty one.",
                field_name,
            )
        if any(target.iterdir()):
            raise BadInput(
                "That folder is not empty; give a new folder, or an empty one.", field_name
            )
    return target


# The export -----------------------------------------------------------------------------


def export_everything(
    session: CaseSession,
    path: Path,
    *,
    zip_password: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    pdf_workers: int | None = None,
) -> ExportResult:
    """Write the full export to ``path``: a new folder, or a ZIP when ``zip_password``.

    ``progress(percent, text)`` is called as it goes (from this thread); ``cancelled()``
    returning True stops it (:class:`ExportCancelled`), removing what was written.
    ``pdf_workers`` processes make the PDFs; by default as many as suit the work and
    this PC's cores (none for a small store: pdf/worker_pool.py).
    Raises :class:`.export_file.NotSaved` when the disk refuses the files.
    """
    started = time.perf_counter()
    require_admin(session)
    if session.read_only:
        raise StoreReadOnly(
            "The records are open for reading only, so an export could not be recorded in "
            "the audit log; nothing was exported."
        )
    zipped = zip_password is not None
    if zip_password is not None:
        check_zip_password(zip_password)
    target = check_target(session, path, zipped=zipped)
    conn = session.conn
    leftovers = _clear_leftovers(session, target.parent)
    # Made (and audited) now if this store has none yet: nothing is written below.
    identity = referral.signing_identity(session)
    exported_at = datetime.now(UTC).replace(microsecond=0)
    writer: ExportWriter = (
        ZipWriter(target, zip_password, exported_at.astimezone().replace(tzinfo=None))
        if zip_password is not None
        else FolderWriter(target)
    )
    json_digest = hashlib.sha256()
    try:
        with export_query.snapshot(conn):
            counts = export_query.row_counts(conn)
            children = export_query.child_ids(conn)
            sent = export_query.sent_referrals(conn)
            attached = export_query.attachment_paths(conn)
            rows = sum(counts.values())
            run = _Run(
                total_steps=len(children)
                + REFERRAL_STEPS * len(sent)
                + len(attached)
                + math.ceil(rows / ROWS_PER_STEP)
                + 1,
                progress=progress,
                cancelled=cancelled,
            )
            # Closed on the way out, whatever happens: its PDF workers stop here, not
            # whenever the error that ended the export is dropped (maybe on the GUI thread).
            with closing(
                _files(
                    session,
                    identity,
                    exported_at,
                    children,
                    sent,
                    attached,
                    run,
                    counts,
                    pdf_workers,
                )
            ) as files:
                writer.write_all(_hashed_json_last(files, json_digest))
    except OSError as error:
        writer.discard()
        log.info("the export was not written: %s", type(error).__name__)
        raise NotSaved(_why_not_written(error)) from None
    except BaseException:
        writer.discard()
        raise
    result = ExportResult(
        path=target,
        zipped=zipped,
        counts=counts,
        chronologies=len(children),
        referrals=len(sent),
        files=len(run.files) + 1,
        bytes=writer.bytes_written,
        sha256=writer.sha256,
        export_json_sha256=json_digest.hexdigest(),
        seconds=time.perf_counter() - started,
        leftovers_removed=leftovers,
    )
    try:
        with case_records.transaction(conn):
            audit_log.append(conn, session.user.username, "full_export", _audit_detail(result))
    except BaseException:
        writer.discard()  # there is no export the audit log does not know of
        raise
    if progress is not None:
        progress(100, "Done")
    return result


def _clear_leftovers(session: CaseSession, folder: Path) -> int:
    """Remove (and audit) what exports killed half way left in ``folder``: a folder
    export's work folder holds every record in plain files."""
    removed = clear_leftovers(folder)
    if removed:
        log.info("removed %d files or folders left by an unfinished export", removed)
        with case_records.transaction(session.conn):
            audit_log.append(
                session.conn,
                session.user.username,
                "export_leftovers_removed",
                {"removed": removed},
            )
    return removed


def _audit_detail(result: ExportResult) -> dict[str, object]:
    return {
        "format": "zip" if result.zipped else "folder",
        "schema_version": SCHEMA_VERSION,
        "counts": dict(result.counts),
        "chronologies": result.chronologies,
        "referrals": result.referrals,
        "files": result.files,
        "bytes": result.bytes,
        "sha256": result.sha256,
        "export_json_sha256": result.export_json_sha256,
    }


def _hashed_json_last(files: Iterator[ExportFile], digest: hashlib._Hash) -> Iterator[ExportFile]:
    """The files as made, export.json's chunks passed through ``digest`` on the way."""
    for file in files:
        if file.name == JSON_NAME and not isinstance(file.data, bytes):
            file = replace(file, data=_hashed(file.data, digest))
        yield file


def _hashed(chunks: Iterable[bytes], digest: hashlib._Hash) -> Iterator[bytes]:
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


def _files(
    session: CaseSession,
    identity: SigningIdentity,
    exported_at: datetime,
    children: list[int],
    sent: list[export_query.SentReferral],
    attached: list[tuple[int, str, str]],
    run: _Run,
    counts: dict[str, int],
    workers: int | None,
) -> Generator[ExportFile, None, None]:
    """The PDFs, the attached files, then export.json (which lists them with their SHA-256).

    The records for each PDF are read here, in the snapshot; the PDFs are made by
    worker processes when there are enough of them to be worth it (pdf/worker_pool.py).
    """
    # reportlab and pyHanko are imported when a PDF is first made, not at the app's start.
    from ..pdf.worker_pool import PdfWorkers

    if workers is None:
        workers = pdf_workers_for(len(children), len(sent))
    with PdfWorkers(workers) as pdfs:
        yield from _chronologies(session, exported_at, children, run, pdfs)
        yield from _referrals(session, identity, sent, run, pdfs)
    for number, (attachment_id, name, kept_sha256) in enumerate(attached, 1):
        data = attachment_records.data(session.conn, attachment_id) or b""
        listed = _listed(name, "attachment", data, attachment_id=attachment_id)
        if listed["sha256"] != kept_sha256:
            # Exported as it is, never left out: the listing says it is not the file that
            # was attached (its SHA-256 then differs from the attachments array's).
            log.warning("an attachment's bytes no longer match the SHA-256 kept for them")
            listed["changed_since_attached"] = True
        run.files.append(listed)
        yield ExportFile(name, data)
        run.step(1, f"Attached files: {number:,} of {len(attached):,}")
    yield ExportFile(JSON_NAME, _json_chunks(session, exported_at, counts, run), compress=True)


def pdf_workers_for(chronologies: int, referrals: int) -> int:
    """The worker processes an export of that many PDFs starts on this PC (none when
    starting them is not worth it)."""
    from ..pdf.worker_pool import workers_for

    return workers_for(chronologies * CHRONOLOGY_SECONDS + referrals * REFERRAL_SECONDS)


def _chronologies(
    session: CaseSession,
    exported_at: datetime,
    children: list[int],
    run: _Run,
    pdfs: PdfWorkers,
) -> Iterator[ExportFile]:
    from ..pdf.chronology_document import chronology_pdf_bytes

    printed_at = exported_at.astimezone().replace(tzinfo=None)
    jobs = (
        partial(chronology_pdf_bytes, chronology_print(session, child_id, printed_at=printed_at))
        for child_id in children
    )
    for number, (child_id, pdf) in enumerate(zip(children, pdfs.made(jobs), strict=True), 1):
        name = f"chronologies/child-{child_id}.pdf"
        run.files.append(_listed(name, "chronology", pdf, child_id=child_id))
        yield ExportFile(name, pdf)
        run.step(1, f"Chronologies: {number:,} of {len(children):,}")


def _referrals(
    session: CaseSession,
    identity: SigningIdentity,
    sent: list[export_query.SentReferral],
    run: _Run,
    pdfs: PdfWorkers,
) -> Iterator[ExportFile]:
    senders = export_query.referral_senders(session.conn) if sent else {}
    jobs = (_referral_job(session, identity, item, senders.get(item.ref)) for item in sent)
    for number, (item, pdf) in enumerate(zip(sent, pdfs.made(jobs), strict=True), 1):
        name = f"referrals/referral-{item.ref}.pdf"
        run.files.append(
            _listed(name, "referral", pdf, referral_ref=item.ref, sent_sha256=item.sent_pdf_sha256)
        )
        yield ExportFile(name, pdf)
        run.step(REFERRAL_STEPS, f"Referrals: {number:,} of {len(sent):,}")


def _listed(name: str, kind: str, pdf: bytes, **about: object) -> dict[str, object]:
    return {
        "path": name,
        "kind": kind,
        **about,
        "bytes": len(pdf),
        "sha256": hashlib.sha256(pdf).hexdigest(),
    }


def _referral_job(
    session: CaseSession,
    identity: SigningIdentity,
    item: export_query.SentReferral,
    sender: tuple[str, str | None] | None,
) -> PdfJob:
    """The referral as it was sent, rebuilt from its stored record, to sign again."""
    from ..pdf.referral_document import signed_referral_pdf_bytes

    sent_at = datetime.fromisoformat(item.sent_at)
    local = sent_at.astimezone().replace(tzinfo=None) if sent_at.tzinfo else sent_at
    document = referral.build_referral_document(session, item.ref, made_on=local, as_of=local)
    if sender is not None:
        users = {user.username: user for user in session.store.users()}
        username = sender[0]
        contact = case_records.get_setting(
            session.conn, referral.REFERRER_CONTACT_SETTING + username, ""
        )
        who = users.get(username)
        org_type = session.organisation.org_type
        # Who sent it, with their own account's role, as the referral printed them.
        document = replace(
            document,
            referrer_name=who.display_name if who else document.referrer_name,
            referrer_role=who.role.label(org_type) if who else document.referrer_role,
            referrer_contact=str(contact or ""),
        )
    return partial(
        signed_referral_pdf_bytes,
        document,
        identity,
        signer_name=session.user.display_name,
        reason=(
            f"{document.kind.label} referral {item.ref} as sent on {local:%Y-%m-%d}, "
            "rebuilt for a full export"
        ),
    )


def _json_chunks(
    session: CaseSession, exported_at: datetime, counts: dict[str, int], run: _Run
) -> Iterator[bytes]:
    """export.json as UTF-8 chunks: a header, one array per kind of record (a row a
    line), then the files. Rows come from the database as JSON already."""
    conn = session.conn
    seq, head = audit_log.head(conn)
    organisation = session.organisation
    header: dict[str, object] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": exported_at.isoformat(),
        "exported_by": {"username": session.user.username, "name": session.user.display_name},
        "program": {"name": APP_NAME, "version": __version__},
        "organisation": {"name": organisation.name, "type": organisation.org_type.value},
        "database_schema_version": export_query.database_version(conn),
        "audit_head": {"seq": seq, "hash": head},
        "counts": counts,
        "accounts": [
            {
                "username": u.username,
                "name": u.display_name,
                "role": u.role.value,
                **({"suspended_at": u.suspended_at} if u.suspended_at else {}),
            }
            for u in session.store.users()
        ],
    }
    text = json.dumps(header, ensure_ascii=False, indent=1)
    parts: list[str] = [text[: text.rindex("}")].rstrip()]
    size = len(parts[0])
    total_rows = sum(counts.values())
    done_rows = 0
    for name in export_query.ROW_QUERIES:
        parts.append(f',\n "{name}": [')
        separator = "\n"
        for row in export_query.rows_json(conn, name):
            parts.append(separator)
            parts.append(row)
            separator = ",\n"
            size += len(row) + 2
            done_rows += 1
            if done_rows % ROWS_PER_STEP == 0:
                run.step(1, f"Records: {done_rows:,} of {total_rows:,}")
            if size >= JSON_CHUNK_CHARS:
                yield "".join(parts).encode("utf-8")
                parts, size = [], 0
        parts.append("\n ]")
    parts.append(',\n "files": ')
    parts.append(json.dumps(run.files, ensure_ascii=False))
    parts.append("\n}\n")
    yield "".join(parts).encode("utf-8")
    run.step(1, f"Records: {total_rows:,} of {total_rows:,}")


def _why_not_written(error: OSError) -> str:
    import errno

    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk or memory stick is full"
    elif isinstance(error, PermissionError) or error.errno == errno.EROFS:
        why = "that folder cannot be written to"
    elif isinstance(error, FileNotFoundError):
        why = "that folder no longer exists (was a memory stick taken out?)"
    elif isinstance(error, FileExistsError):
        why = "something else wrote files there at the same time"
    else:
        why = "the computer refused to write the files"
    return f"The export could not be written because {why}; nothing was kept."
