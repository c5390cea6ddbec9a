"""Sending a child's file to the school or club they moved to, and knowing it arrived.

"Transfer this child's file…" makes two files, in memory first (:func:`make_transfer`),
then saved where the lead chooses (:func:`save_transfer`), both named after the transfer,
never the child:

- a signed, password-protected PDF of the whole file (details, household, professionals,
  statuses, every concern as submitted with its corrections, actions, decisions with
  reasons, referrals, follow-ups, what earlier schools sent, and every attached file with
  its SHA-256, pictures and PDF pages printed in), for a receiver with any other system;
- a ``.sgtransfer`` package (storage/transfer_file.py) of the same records and the files
  themselves, sealed under the same password and signed with the organisation's
  certificate, which "Receive a transferred file…" opens (services/transfer_receive.py).

The password is the app's suggestion or the lead's own, shown once, to be phoned through.
The transfer is recorded (to whom, how, when, the SHA-256 of both files) with a check
that receipt was confirmed, due 5 school days later and shown on Home until the receiving
school's signed receipt file is taken in (:func:`import_receipt`) or the lead records how
it was confirmed (:func:`record_receipt`). The child's file stays, marked "transferred",
until its retention review. Audited by ids and SHA-256, never a name.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..domain.attachments import AttachmentKind, AttachmentRecord
from ..domain.chronology import in_date_order
from ..domain.chronology_timing import local_moment, when_words
from ..domain.date_words import long_date
from ..domain.errors import BadInput
from ..domain.records import ChronologyEntry
from ..domain.transfer import (
    Manifest,
    SentFile,
    SentHow,
    SentItem,
    checked_how,
    checked_note,
    checked_organisation,
    checked_password,
    manifest_bytes,
    receipt_due,
)
from ..pdf.encryption import check_pdf_password
from ..pdf.records_print import PrintedItem, PrintedSection, RecordsPrint
from ..security import certificate_signing
from ..storage import attachment_records, audit_log, case_records, transfer_file, transfer_records
from ..storage.case_records import utc_now
from ..storage.transfer_records import SentRecord as SentRecord  # for ui/
from . import child_records, children, retention
from .casework_settings import casework_settings
from .changes import Changes
from .child_records import FILES, SECTIONS
from .export_file import save_all_audited
from .input_files import Problem, UnreadableFile, describe, read_regular_file
from .referral import signing_identity
from .session import CaseSession, require_case_session

PACKAGE_PURPOSE = b"safeguard-desktop transfer package v1"
RECEIPT_PURPOSE = b"safeguard-desktop transfer receipt v1"


@dataclass(frozen=True)
class MadeTransfer:
    """Both files made in memory, nothing saved or recorded yet."""

    transfer_id: str
    child_id: int
    to_organisation: str
    sent_how: SentHow
    made_at: str
    pdf: bytes
    package: bytes
    receipt_key: bytes
    items: int
    files: int
    fingerprint: str  # the signing certificate's, to read out with the password

    @property
    def suggested_names(self) -> tuple[str, str]:
        """Never the child's name: people's names go in file names and then everywhere."""
        stem = f"transfer-{self.transfer_id}"
        return f"{stem}.pdf", f"{stem}{transfer_file.SUFFIX}"


def make_transfer(
    session: object,
    child_id: int,
    to_organisation: str,
    sent_how: SentHow | str,
    password: str,
    now: datetime | None = None,
) -> MadeTransfer:
    """The child's whole file as the signed, protected PDF and the sealed package."""
    from ..pdf.encryption import encrypt_pdf
    from ..pdf.records_document import records_pdf_bytes
    from ..pdf.signing import sign_pdf

    lead = require_case_session(session)
    to = checked_organisation(to_organisation)
    how = checked_how(str(sent_how))
    password = checked_password(password)
    try:
        check_pdf_password(password)  # it protects the PDF too
    except BadInput as why:
        raise BadInput(str(why), "transfer_password") from None
    record = children.child_record(lead, child_id)
    identity = signing_identity(lead)
    moment = now or datetime.now(UTC)
    made_at = moment.astimezone(UTC).isoformat(timespec="seconds")
    transfer_id = secrets.token_hex(8)
    items = child_records.child_items(lead, child_id)
    files = attachment_records.for_child(lead.conn, child_id)
    file_bytes = {a.attachment_id: _file_data(lead, a.attachment_id) for a in files}
    manifest = Manifest(
        transfer_id=transfer_id,
        from_organisation=lead.organisation.name,
        sent_at=made_at,
        sent_by=lead.user.display_name,
        to_organisation=to,
        serious=retention.retention_of(lead, child_id).facts.serious,
        child=record.details,
        items=tuple(SentItem(i.section, i.heading, i.lines, i.occurred) for i in items),
        files=tuple(
            SentFile(
                section=f"file-{n}",
                kind=a.kind,
                file_name=a.file_name,
                description=a.description,
                sha256=a.sha256,
                added_at=a.added_at,
            )
            for n, a in enumerate(files, start=1)
        ),
    )
    sections: list[tuple[str, bytes]] = [(transfer_file.MANIFEST, manifest_bytes(manifest))]
    sections += [(f"file-{n}", file_bytes[a.attachment_id]) for n, a in enumerate(files, 1)]
    header, keys = transfer_file.new_header(__version__, made_at, password)
    digests = [(name, hashlib.sha256(data).hexdigest()) for name, data in sections]
    signature = certificate_signing.sign(
        identity.key_pem, PACKAGE_PURPOSE, transfer_file.signed_message(header, digests)
    )
    sections.append(
        (transfer_file.SIGNATURE, transfer_file.signature_section(identity.cert_pem, signature))
    )
    out = io.BytesIO()
    transfer_file.write_package(out, header, keys, list(sections))
    chronology = _chronology(children.chronology(lead, child_id))
    document = _document(
        lead, manifest, chronology, files, file_bytes, identity.fingerprint_sha256, moment
    )
    pdf = encrypt_pdf(records_pdf_bytes(document), password)
    signed = sign_pdf(
        pdf,
        identity,
        signer_name=lead.user.display_name,
        reason=f"Child protection file transferred to {to}",
        pdf_password=password,
    )
    return MadeTransfer(
        transfer_id=transfer_id,
        child_id=child_id,
        to_organisation=to,
        sent_how=how,
        made_at=made_at,
        pdf=signed,
        package=out.getvalue(),
        receipt_key=keys.receipt,
        items=len(items),
        files=len(files),
        fingerprint=identity.fingerprint_sha256,
    )


def _file_data(lead: CaseSession, attachment_id: int) -> bytes:
    data = attachment_records.data(lead.conn, attachment_id)
    if data is None:
        raise BadInput("An attached file is missing from the records; check the records.", "file")
    return data


def _chronology(entries: list[ChronologyEntry]) -> PrintedSection:
    """The child's chronology as the receiving DSL reads it first: one line a thing that
    happened, oldest first, each record then given in full in the sections after it."""
    items = []
    for entry in in_date_order(entries):
        heading = f"{when_words(entry.when)}: {entry.title}"
        if entry.repeated:
            heading += " (one of several concerns close together)"
        lines = (entry.summary, f"Concern {entry.ref}" if entry.ref else "")
        items.append(PrintedItem(heading, tuple(line for line in lines if line)))
    return PrintedSection("Chronology", tuple(items), "Nothing is recorded yet.")


def _document(
    lead: CaseSession,
    manifest: Manifest,
    chronology: PrintedSection,
    files: list[AttachmentRecord],
    file_bytes: dict[int, bytes],
    fingerprint: str,
    moment: datetime,
) -> RecordsPrint:
    from ..pdf.preview import pages_as_pictures

    by_section: dict[str, list[PrintedItem]] = {}
    for item in manifest.items:
        if item.section == FILES:
            continue
        by_section.setdefault(item.section, []).append(PrintedItem(item.heading, item.lines))
    for n, attachment in enumerate(files, start=1):
        data = file_bytes[attachment.attachment_id]
        pdf = attachment.kind is AttachmentKind.PDF
        pictures = pages_as_pictures(data) if pdf else (data,)
        by_section.setdefault(FILES, []).append(
            PrintedItem(
                f"File {n}: {attachment.file_name} ({attachment.kind.label})",
                tuple(
                    line
                    for line in (
                        f"What it is: {attachment.description}" if attachment.description else "",
                        f"Added {long_date(local_moment(attachment.added_at))}",
                        f"Fingerprint (SHA-256): {attachment.sha256}",
                    )
                    if line
                ),
                pictures,
            )
        )
    sender = manifest.from_organisation
    return RecordsPrint(
        title="Child protection file: transferred to a new school or club",
        organisation=sender,
        subject=manifest.child.name,
        intro=(
            f"{sender} sends this child protection file to {manifest.to_organisation} because "
            f"the child has moved. It was made on {long_date(moment.astimezone())} by "
            f"{manifest.sent_by} and holds every record {sender} keeps about the child.",
            "Keep it apart from the main pupil or member file, where only your Designated "
            f"Safeguarding Lead can read it, and tell {sender} that it arrived.",
            f"It is signed with the certificate whose SHA-256 fingerprint is {fingerprint}; "
            "compare it with the one the sender reads out.",
        ),
        # The chronology after who the child is and who is around them, before the records.
        sections=(
            *(PrintedSection(t, tuple(by_section.get(t, ()))) for t in SECTIONS[:3]),
            chronology,
            *(PrintedSection(t, tuple(by_section.get(t, ()))) for t in SECTIONS[3:]),
        ),
        printed_at=moment.astimezone().replace(tzinfo=None),
        printed_by=manifest.sent_by,
    )


def save_transfer(session: object, made: MadeTransfer, folder: Path) -> SentRecord:
    """Save both files in ``folder``, record the transfer with its receipt check, and
    audit it: both are written whole before the record, and named only after it, so no
    file of a transfer the records do not hold is ever left under its name."""
    lead = require_case_session(session)
    folder = Path(folder)
    if not folder.is_dir():
        raise BadInput("Choose a folder that exists to save the transfer in.", "folder")
    pdf_name, package_name = made.suggested_names
    days = casework_settings(lead).working_days
    due = receipt_due(datetime.fromisoformat(made.made_at).astimezone().date(), days)
    sent_id = 0

    def recorded(shas: list[str]) -> None:
        nonlocal sent_id
        pdf_sha, package_sha = shas
        with case_records.transaction(lead.conn):
            sent_id = transfer_records.add_sent(
                lead.conn,
                transfer_records.NewSent(
                    transfer_id=made.transfer_id,
                    child_id=made.child_id,
                    to_organisation=made.to_organisation,
                    sent_how=made.sent_how.value,
                    made_at=made.made_at,
                    made_by=lead.user.display_name,
                    pdf_sha256=pdf_sha,
                    package_sha256=package_sha,
                    receipt_key=made.receipt_key,
                    receipt_due_on=due,
                ),
            )
            _audit(
                lead,
                "transfer_made",
                {
                    "transfer": made.transfer_id,
                    "child_id": made.child_id,
                    "sent_how": made.sent_how.value,
                    "pdf_sha256": pdf_sha,
                    "package_sha256": package_sha,
                    "records": made.items,
                    "files": made.files,
                    "receipt_due_on": due.isoformat(),
                },
            )

    save_all_audited(
        [
            (folder / pdf_name, made.pdf, "The transfer PDF"),
            (folder / package_name, made.package, "The transfer package"),
        ],
        recorded,
        records_folder=lead.store.data_dir,
    )
    stored = transfer_records.sent(lead.conn, sent_id)
    assert stored is not None
    return stored


def transfer_to_folder(
    session: object,
    child_id: int,
    to_organisation: str,
    sent_how: SentHow | str,
    password: str,
    folder: Path,
) -> tuple[MadeTransfer, SentRecord]:
    """:func:`make_transfer` then :func:`save_transfer` (the command line's way)."""
    made = make_transfer(session, child_id, to_organisation, sent_how, password)
    return made, save_transfer(session, made, folder)


def sent_for_child(session: object, child_id: int) -> list[SentRecord]:
    return transfer_records.sent_for_child(require_case_session(session).conn, child_id)


def awaiting_receipt(session: object) -> list[SentRecord]:
    """Transfers whose receipt is not confirmed yet, soonest due first (Home shows them)."""
    return transfer_records.awaiting_receipt(require_case_session(session).conn)


def transferred_children(session: object) -> set[int]:
    return transfer_records.transferred_children(require_case_session(session).conn)


def record_receipt(session: object, sent_id: int, note: str) -> Changes:
    """The lead confirmed receipt another way (a phone call, an email): ``note`` says how."""
    lead = require_case_session(session)
    sent = _awaiting(lead, sent_id)
    note = checked_note(note)
    with case_records.transaction(lead.conn):
        transfer_records.record_receipt(
            lead.conn, sent_id, utc_now(), lead.user.display_name, note, None
        )
        _audit(
            lead,
            "transfer_receipt_recorded",
            {"transfer": sent.transfer_id, "child_id": sent.child_id, "how": "told"},
        )
    return Changes.of(children=[sent.child_id])


def import_receipt(session: object, path: Path) -> SentRecord:
    """Take in the receiving school's signed receipt file: its signature, that it is for a
    transfer this store sent, and that its maker opened that package are all checked;
    one sentence and nothing recorded when any fails."""
    lead = require_case_session(session)
    path = Path(path)
    try:
        data = read_regular_file(path, transfer_file.MAX_RECEIPT_BYTES)
    except UnreadableFile as problem:
        if problem.problem is Problem.TOO_BIG:
            raise transfer_file.receipt_unreadable(path) from None
        raise BadInput(describe(problem, f"The file {path.name}", "a receipt"), "receipt") from None
    except OSError:
        raise BadInput(
            f"The file {path.name} could not be read; check it is still there.", "receipt"
        ) from None
    receipt = transfer_file.parse_receipt(data, path)
    found = transfer_records.sent_by_transfer(lead.conn, receipt.transfer_id)
    if found is None:
        raise BadInput(
            f"The receipt {path.name} is for a transfer these records did not send; nothing "
            "was recorded.",
            "receipt",
        )
    sent, key = found
    # The MAC first (only whoever opened the package holds its key), then the signature:
    # nothing in a receipt anyone could make is parsed further than its words.
    expected = hmac.new(key, receipt.body, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, receipt.mac) or (
        receipt.package_sha256 != sent.package_sha256
    ):
        raise transfer_file.receipt_unreadable(path)
    try:
        fingerprint = certificate_signing.verify(
            receipt.certificate_pem, RECEIPT_PURPOSE, receipt.body + receipt.mac, receipt.signature
        )
    except certificate_signing.BadSignature:
        raise transfer_file.receipt_unreadable(path) from None
    if sent.receipt_at is not None:
        raise BadInput("Receipt of that transfer is already recorded.", "receipt")
    note = (
        f"Receipt file from {receipt.receiving_organisation}: received "
        f"{long_date(local_moment(receipt.received_at))} by {receipt.received_by}."
    )
    with case_records.transaction(lead.conn):
        transfer_records.record_receipt(
            lead.conn, sent.sent_id, utc_now(), lead.user.display_name, note, fingerprint
        )
        _audit(
            lead,
            "transfer_receipt_recorded",
            {
                "transfer": sent.transfer_id,
                "child_id": sent.child_id,
                "how": "receipt_file",
                "fingerprint": fingerprint,
                "receipt_sha256": hashlib.sha256(data).hexdigest(),
            },
        )
    stored = transfer_records.sent(lead.conn, sent.sent_id)
    assert stored is not None
    return stored


def _awaiting(lead: CaseSession, sent_id: int) -> SentRecord:
    sent = transfer_records.sent(lead.conn, sent_id)
    if sent is None:
        raise BadInput("That transfer is not in the records.", "transfer")
    if sent.receipt_at is not None:
        raise BadInput("Receipt of that transfer is already recorded.", "transfer")
    return sent


def _audit(lead: CaseSession, action: str, detail: dict[str, object]) -> None:
    audit_log.append(lead.conn, lead.user.username, action, detail)
