"""Receiving a child's file that an earlier school or club transferred, and the receipt.

:func:`open_package` reads a ``.sgtransfer`` file with the password the sender phoned
through, and checks all of it before anything is taken in: the file is whole, every
section is the one the sender signed, and the signature is the certificate's it carries
(whose SHA-256 fingerprint the lead compares with the one the sender reads out). It also
looks for children already here who may be this child. :func:`receive` then merges it into
the child the lead confirms, or a new one: each record kept as sent, marked "transferred
from <organisation> on <date>", and each attached file taken in again as any file is
(services/attachment_intake.py), since a signature says who sent a file, not that it is
safe. A file that cannot be kept is told in the child's records, never dropped silently.

:func:`save_receipt` writes the signed receipt the sender takes in; its MAC is keyed from
the transfer password, so it shows the package was opened, not only that it was seen.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from ..domain.children import ConcernChild, suggest_matches
from ..domain.chronology_timing import local_moment
from ..domain.date_words import long_date
from ..domain.errors import BadInput
from ..domain.transfer import Manifest, NewerManifest, SentFile, parse_manifest
from ..security import certificate_signing
from ..storage import (
    attachment_records,
    audit_log,
    case_records,
    children_records,
    transfer_file,
    transfer_records,
)
from ..storage.case_records import utc_now
from ..storage.transfer_records import ReceivedRecord as ReceivedRecord  # for ui/
from .attachment_intake import Intake, take_in
from .changes import Added, Changes
from .export_file import save_audited
from .input_files import Problem, UnreadableFile, describe, open_regular_file
from .referral import signing_identity
from .session import CaseSession, require_case_session
from .transfer import PACKAGE_PURPOSE, RECEIPT_PURPOSE

_NOT_TAKEN = "Files not taken in"


@dataclass(frozen=True)
class Possible:
    """A child already in these records who may be the child transferred."""

    child_id: int
    name: str
    born: str  # "2 March 2015", or ""
    reason: str
    strong: bool


@dataclass(frozen=True)
class OpenedTransfer:
    """A transfer package read and checked whole; nothing taken in yet."""

    manifest: Manifest
    files: tuple[tuple[SentFile, bytes], ...]
    fingerprint: str  # the sender's certificate, SHA-256
    certificate_name: str  # the organisation the certificate names
    package_sha256: str
    receipt_key: bytes
    possible: tuple[Possible, ...]

    @property
    def sent_on(self) -> str:
        return long_date(datetime.fromisoformat(self.manifest.sent_at).astimezone().date())


def open_package(
    session: object, path: Path, password: str, expected_fingerprint: str | None = None
) -> OpenedTransfer:
    """The package at ``path`` opened with ``password`` and checked (one sentence when it
    cannot be: damaged, cut off, the wrong password, another certificate, a newer program).
    With ``expected_fingerprint``, a package signed by any other certificate is refused."""
    lead = require_case_session(session)
    path = Path(path)
    try:
        opened_file = open_regular_file(path, transfer_file.MAX_PACKAGE_BYTES)
    except UnreadableFile as problem:
        if problem.problem is Problem.TOO_BIG:
            too_big = "it is larger than a child's file can be"
            raise transfer_file.unreadable(path, too_big) from None
        shown = f"The file {path.name}"
        what = "a child's file (.sgtransfer)"
        raise BadInput(describe(problem, shown, what), "transfer") from None
    try:
        # Read once, from the file (never all of it into memory first), hashing as it goes.
        with opened_file as raw:
            handle = _Hashing(raw)
            header = transfer_file.read_header(handle, path)
            keys = transfer_file.open_keys(header, password.strip())
            sections, _ = transfer_file.read_package(handle, path, header, keys)
            package_sha256 = handle.hexdigest()
    except OSError:
        raise BadInput(
            f"The file {path.name} could not be read; check it is still there.", "transfer"
        ) from None
    if len(sections) < 2 or sections[-1][0] != transfer_file.SIGNATURE:
        raise transfer_file.unreadable(path, "it is not signed")
    signed = [(name, hashlib.sha256(body).hexdigest()) for name, body in sections[:-1]]
    try:
        certificate, signature = transfer_file.parse_signature(sections[-1][1])
        fingerprint = certificate_signing.verify(
            certificate, PACKAGE_PURPOSE, transfer_file.signed_message(header, signed), signature
        )
    except (ValueError, KeyError, TypeError, UnicodeError):
        raise transfer_file.unreadable(
            path, "its signature is not the certificate's it carries"
        ) from None
    if expected_fingerprint is not None and _plain(fingerprint) != _plain(expected_fingerprint):
        raise BadInput(
            f"The file {path.name} is signed by a certificate with another fingerprint than "
            "the one given; nothing was taken in. Check with the sender by phone.",
            "fingerprint",
        )
    by_name = dict(sections)
    if sections[0][0] != transfer_file.MANIFEST:
        raise transfer_file.unreadable(path, "it has no list of its contents")
    try:
        manifest = parse_manifest(by_name[transfer_file.MANIFEST])
    except NewerManifest:
        raise BadInput(
            f"The file {path.name} was made by a newer version of Safeguard Desktop. Install "
            "the latest version to open it; nothing was taken in.",
            "transfer",
        ) from None
    except (ValueError, KeyError, TypeError, UnicodeError, RecursionError):
        raise transfer_file.unreadable(path, "its list of contents is damaged") from None
    files = []
    for sent in manifest.files:
        body = by_name.get(sent.section)
        if body is None or hashlib.sha256(body).hexdigest() != sent.sha256:
            raise transfer_file.unreadable(path, "an attached file is missing or changed")
        files.append((sent, body))
    listed = {transfer_file.MANIFEST, transfer_file.SIGNATURE, *(f.section for f in manifest.files)}
    if set(by_name) - listed:
        raise transfer_file.unreadable(path, "it holds a part its list of contents does not name")
    deleted = transfer_records.deleted_on(lead.conn, manifest.transfer_id)
    if deleted is not None:
        raise BadInput(
            "This file was received before, and the child's file it went into was deleted at "
            f"its retention review on {long_date(local_moment(deleted))}; nothing was taken in.",
            "transfer",
        )
    already = transfer_records.received_by_transfer(lead.conn, manifest.transfer_id)
    if already is not None:
        raise BadInput(
            f"This file was already received on {long_date(local_moment(already.received_at))}; "
            "it is in that child's file.",
            "transfer",
        )
    from ..pdf.signing_identity import SigningIdentity

    name = SigningIdentity(b"", certificate, fingerprint).organisation
    return OpenedTransfer(
        manifest=manifest,
        files=tuple(files),
        fingerprint=fingerprint,
        certificate_name=name,
        package_sha256=package_sha256,
        receipt_key=keys.receipt,
        possible=tuple(_possible(lead, manifest)),
    )


def _plain(fingerprint: str) -> str:
    return "".join(c for c in fingerprint.upper() if c in "0123456789ABCDEF")


class _Hashing(io.RawIOBase):
    """A file read once, its SHA-256 taken from exactly the bytes read."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self._digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._raw.read(-1 if size is None else size)
        self._digest.update(data)
        return data

    def hexdigest(self) -> str:
        self._digest.update(self._raw.read())  # anything left (the reader stops at the end)
        return self._digest.hexdigest()


def _possible(lead: CaseSession, manifest: Manifest) -> list[Possible]:
    child = manifest.child
    wanted = ConcernChild(
        name=child.name, date_of_birth=child.date_of_birth, approximate_age=child.approximate_age
    )
    candidates = children_records.match_candidates(lead.conn, child.name, child.date_of_birth)
    names = {c.child_id: c for c in candidates}
    return [
        Possible(
            child_id=s.child_id,
            name=names[s.child_id].name,
            born=long_date(names[s.child_id].date_of_birth),
            reason=s.reason,
            strong=s.strong,
        )
        for s in suggest_matches(wanted, candidates)
    ]


def receive(
    session: object, opened: OpenedTransfer, compared_fingerprint: str, child_id: int | None = None
) -> Added:
    """Merge the opened package into child ``child_id``, or a new child when None; the
    child's id (:attr:`Added.id`). ``compared_fingerprint`` is the fingerprint the lead
    compared with the one the sender read out: nothing is taken in until it matches the
    certificate the package is signed with, whichever door it comes through."""
    lead = require_case_session(session)
    conn = lead.conn
    manifest = opened.manifest
    if _plain(compared_fingerprint) != _plain(opened.fingerprint):
        raise BadInput(
            "Compare the certificate's fingerprint with the one the sender read out, and "
            f"confirm it, before the file is taken in: it is {opened.fingerprint}.",
            "fingerprint",
        )
    if child_id is not None and children_records.get_child(conn, child_id) is None:
        raise BadInput("That child record does not exist.", "child")
    # Taken in before anything is written: a file that cannot be kept is told, not lost.
    taken: list[tuple[SentFile, Intake | None, str]] = []
    for sent, body in opened.files:
        try:
            taken.append((sent, take_in(body, sent.file_name), ""))
        except BadInput as why:
            taken.append((sent, None, str(why)))
    at = utc_now()
    sender = f"{manifest.sent_by}, {manifest.from_organisation}"
    with case_records.transaction(conn):
        if transfer_records.received_by_transfer(conn, manifest.transfer_id) is not None:
            raise BadInput(
                "This file was already received; it is in that child's file.", "transfer"
            )
        new_child = child_id is None
        if child_id is None:
            child_id = children_records.insert_child(conn, manifest.child)
            _audit(lead, "child_created", {"child_id": child_id, "transfer": manifest.transfer_id})
        received_id = transfer_records.add_received(
            conn,
            transfer_id=manifest.transfer_id,
            child_id=child_id,
            from_organisation=manifest.from_organisation,
            sent_at=manifest.sent_at,
            sent_by=manifest.sent_by,
            sender_fingerprint=opened.fingerprint,
            package_sha256=opened.package_sha256,
            receipt_key=opened.receipt_key,
            received_at=at,
            received_by=lead.user.display_name,
            serious=manifest.serious,
        )
        position = 0
        for item in manifest.items:
            transfer_records.add_item(
                conn, received_id, child_id, position, item.section, item.heading,
                item.lines, item.occurred,
            )  # fmt: skip
            position += 1
        refused = 0
        for sent, intake, reason in taken:
            if intake is None:
                refused += 1
                transfer_records.add_item(
                    conn, received_id, child_id, position, _NOT_TAKEN,
                    f"File not taken in: {sent.file_name}",
                    (f"Why: {reason}", f"Fingerprint (SHA-256) as sent: {sent.sha256}"),
                    sent.added_at,
                )  # fmt: skip
                position += 1
                continue
            # As the sender kept it: its words, when it was added and by whom there (the
            # records the package lists say where it came from, and the audit entry).
            attachment_records.add(
                conn,
                concern_id=None,
                child_id=child_id,
                kind=intake.kind,
                file_name=sent.file_name,
                description=sent.description,
                data=intake.data,
                sha256=intake.sha256,
                original_sha256=intake.original_sha256,
                removed=intake.removed,
                added_at=sent.added_at,
                added_by=sender,
            )
        _audit(
            lead,
            "transfer_received",
            {
                "transfer": manifest.transfer_id,
                "child_id": child_id,
                "new_child": new_child,
                "package_sha256": opened.package_sha256,
                "fingerprint": opened.fingerprint,
                "records": position - refused,
                "files": len(taken) - refused,
                "files_not_taken_in": refused,
            },
        )
    return Added(child_id, Changes.of(children=[child_id]))


def receive_file(
    session: object, path: Path, password: str, fingerprint: str, child_id: int | None = None
) -> tuple[OpenedTransfer, int]:
    """:func:`open_package` then :func:`receive` (the command line's way): ``fingerprint``
    is the one the sender read out."""
    opened = open_package(session, path, password, fingerprint)
    return opened, receive(session, opened, fingerprint, child_id).id


def received_for_child(session: object, child_id: int) -> list[ReceivedRecord]:
    return transfer_records.received_for_child(require_case_session(session).conn, child_id)


def receipt_name(received: ReceivedRecord) -> str:
    return f"transfer-{received.transfer_id}-receipt{transfer_file.RECEIPT_SUFFIX}"


def make_receipt(session: object, received_id: int) -> bytes:
    """The signed receipt for a transfer received here, to send back to its sender."""
    lead = require_case_session(session)
    found = transfer_records.received(lead.conn, received_id)
    if found is None:
        raise BadInput("That transfer is not in the records.", "transfer")
    received, key = found
    identity = signing_identity(lead)
    receipt = transfer_file.Receipt(
        transfer_id=received.transfer_id,
        package_sha256=received.package_sha256,
        received_at=received.received_at,
        received_by=received.received_by,
        receiving_organisation=lead.organisation.name,
        certificate_pem=identity.cert_pem,
    )
    mac = hmac.new(key, receipt.body, hashlib.sha256).digest()
    signature = certificate_signing.sign(identity.key_pem, RECEIPT_PURPOSE, receipt.body + mac)
    return replace(receipt, mac=mac, signature=signature).file_bytes()


def save_receipt(session: object, received_id: int, path: Path) -> Changes:
    lead = require_case_session(session)
    data = make_receipt(lead, received_id)
    found = transfer_records.received(lead.conn, received_id)
    assert found is not None
    received = found[0]

    def audited(sha256: str) -> None:
        with case_records.transaction(lead.conn):
            _audit(
                lead,
                "transfer_receipt_made",
                {"transfer": received.transfer_id, "child_id": received.child_id, "sha256": sha256},
            )

    save_audited(Path(path), data, audited, records_folder=lead.store.data_dir, what="The receipt")
    return Changes.of(children=[received.child_id])


def _audit(lead: CaseSession, action: str, detail: dict[str, object]) -> None:
    audit_log.append(lead.conn, lead.user.username, action, detail)
