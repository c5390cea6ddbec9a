"""Recording stations: other PCs that record concerns into a shared drop folder.

A school has a staff room PC and a hall laptop; a club has a laptop at the away ground.
Recording needs only the organisation's inbox public key, so any PC can record, and the
DSL's PC stays the only place a record can be read. Concerns travel as sealed files
(storage/drop_folder.py) through a folder the organisation already shares or syncs.

**Invitation.** On the DSL's PC a lead invites a station by name
(:func:`invite_station`): the station gets an id, a one-time enrolment secret kept in the
case database, and an invitation file signed with the organisation's vault key (the key
that authenticates vault.json): the organisation's name and type, its local contacts and
guest policy, the inbox public key, the drop folder as the station will reach it, the
station's id, name and enrolment secret. The lead reads out the organisation's key
fingerprint; the person setting the station up compares it (:func:`read_invitation`).

**Joining.** :func:`set_up_station` makes the station's own X25519 key pair, keeps it with
the invitation in station.json (storage/station_file.py), and sends a *hello* file with
its public key, MACed with the enrolment secret. The DSL's PC takes the first hello for a
station as that station's key; a second PC using the same invitation later is refused
and shown on Home. From then on everything the station sends carries a MAC made with its
key and the inbox key (``sealing.sender_key``), which only that station and the DSL's PC
can make.

**Who recorded.** On a station the recorder types their name and role, as a guest does on
the DSL's PC; the station is what vouches for them (a lead invited that PC), so a
station's concern is accepted whatever the guest policy, and is credited to the station
by the name the lead gave it. No account data, draft or receipt lives on a station: a
recorder can never read a submission back, and there is nothing per person to manage on
a PC that many people share.

**Delivery.** A concern is sealed and written, fsynced, into the station's ``outbox``;
then :func:`deliver_waiting` copies each waiting file into the drop folder (a temporary
name, fsync, rename) and deletes it from the outbox. When the drop folder cannot be
reached the concern stays in the outbox and the recorder is told it will be delivered
when the shared folder is reachable; the station tries again every minute and at start.
After each delivery the station leaves a small *heartbeat* file (counts only, MACed), so
the DSL's PC can warn when a station has concerns that have not arrived for a day.

**Ingest.** While a lead is signed in, :func:`ingest_drop` reads the drop folder every
minute (services/inbox.py), in batches: hellos, then concerns through the same checks as
the inbox (services/inbox_ingest.py), each file deleted only after its batch commits. A
reference already taken in with the same content is taken once. A file that cannot be
opened is moved to the folder's ``quarantine`` subfolder and listed on Home by name and
time, never deleted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ..domain.accounts import new_reference
from ..domain.concern import CONCERN_FORMAT_VERSION, Concern
from ..domain.errors import BadInput, NotPermitted, StoreExists, StoreReadOnly, StoreTampered
from ..domain.organisation import LocalContacts, Organisation, OrgType
from ..domain.text import clean_name
from ..security import device_secret, sealing, vault_signing
from ..storage import (
    audit_log,
    case_records,
    drop_folder,
    quarantine_records,
    station_file,
    station_records,
)
from ..storage.atomic_file import write_atomically
from ..storage.case_database import CASES_NAME, Connection
from ..storage.sealed_inbox import INBOX_NAME, SealedItem
from ..storage.storage_errors import file_error
from ..storage.vault_file import VAULT_NAME
from . import inbox_ingest
from .changes import Changes, Setting
from .input_files import UnreadableFile, describe, read_regular_file, shown_path
from .recording import PAYLOAD_FORMAT, Submitter, station_mac
from .session import CaseSession

log = logging.getLogger(__name__)

INVITATION_FORMAT = "safeguard-desktop-station-invitation"
INVITATION_VERSION = 1
INVITATION_SUFFIX = ".sginvite"
MAX_INVITATION_BYTES = 256 * 1024
# The setting that holds the drop folder as the DSL's PC reaches it.
DROP_FOLDER_SETTING = "stations.drop_folder"
# How many files one pass of ingest reads at most: a folder of 10,000 junk files is
# worked through a minute at a time, and a pass never holds the worker for long.
FILES_PER_PASS = 1_000
# A station's concerns are overdue on Home when they have waited this long.
OVERDUE = timedelta(days=1)

_INVITATION_PURPOSE = b"safeguard-desktop station invitation v1\x00"
_HELLO_PURPOSE = b"safeguard-desktop station hello v1\x00"
_HEARTBEAT_PURPOSE = b"safeguard-desktop station heartbeat v1\x00"
_SETTINGS_PURPOSE = b"safeguard-desktop station settings v1\x00"
# The OS credential store's note that pins what this station was set up with.
_PIN_NOTE = "station_settings"

SETTINGS_CHANGED = (
    "This station's settings file was changed outside Safeguard Desktop, so nothing can be "
    "recorded on this PC: it might send concerns to the wrong place. Tell your safeguarding "
    "lead today, and record your concern on paper or on another PC meanwhile."
)


def _canonical(data: dict[str, object]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fingerprint(organisation_key: bytes) -> str:
    """The organisation key's fingerprint as read out over the phone: 8 groups of 4."""
    digest = hashlib.sha256(organisation_key).hexdigest().upper()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


# The invitation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    """A station invitation as read and checked: its signature is the organisation key's."""

    organisation: Organisation
    inbox_public_key: bytes
    drop_folder: str
    station_id: str
    station_name: str
    enrolment_secret: bytes
    issued_at: str
    organisation_key: bytes
    raw: bytes = b""  # the file's bytes, as signed: a station keeps these

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.organisation_key)


def _organisation_json(organisation: Organisation) -> dict[str, object]:
    return {
        "name": organisation.name,
        "type": organisation.org_type.value,
        "allow_guests": organisation.allow_guests,
        "contacts": organisation.contacts.to_json(),
    }


def _organisation_of(org: object) -> Organisation:
    """An organisation as an invitation or settings update gives it (ValueError if not)."""
    if not isinstance(org, dict):
        raise ValueError("no organisation")
    contacts = org.get("contacts")
    return Organisation(
        name=str(org["name"]),
        org_type=OrgType(str(org["type"])),
        allow_guests=bool(org.get("allow_guests")),
        contacts=LocalContacts.from_json(contacts if isinstance(contacts, dict) else {}),
    )


def _invitation_body(invitation: Invitation) -> dict[str, object]:
    return {
        "organisation": _organisation_json(invitation.organisation),
        "inbox_public_key": _b64(invitation.inbox_public_key),
        "drop_folder": invitation.drop_folder,
        "station": {"id": invitation.station_id, "name": invitation.station_name},
        "enrolment_secret": _b64(invitation.enrolment_secret),
        "issued_at": invitation.issued_at,
        "organisation_key": _b64(invitation.organisation_key),
    }


def _not_an_invitation(shown: str) -> BadInput:
    return BadInput(
        f"{shown} is not a station invitation signed by its organisation, or it was changed "
        "after it was made. Ask your safeguarding lead for a new invitation.",
        field="invitation",
    )


def parse_invitation(data: bytes, shown: str = "The invitation") -> Invitation:
    """The invitation in ``data``, its signature checked against the key it names.

    That proves the file is whole and was signed by whoever holds that key; that the key
    is this organisation's is what the fingerprint, read out by the lead, shows.
    """
    try:
        outer = json.loads(data.decode("utf-8"))
        if not isinstance(outer, dict) or outer.get("format") != INVITATION_FORMAT:
            raise ValueError("not an invitation")
        if outer.get("version") != INVITATION_VERSION:
            raise ValueError("another version")
        body, signature = outer["body"], base64.b64decode(str(outer["signature"]), validate=True)
        if not isinstance(body, dict):
            raise ValueError("no body")
        key = base64.b64decode(str(body["organisation_key"]), validate=True)
        if not vault_signing.verify(key, _INVITATION_PURPOSE + _canonical(body), signature):
            raise ValueError("signature")
        station = body["station"]
        if not isinstance(station, dict):
            raise ValueError("shape")
        invitation = Invitation(
            organisation=_organisation_of(body["organisation"]),
            inbox_public_key=base64.b64decode(str(body["inbox_public_key"]), validate=True),
            drop_folder=str(body["drop_folder"]),
            station_id=str(station["id"]),
            station_name=str(station["name"]),
            enrolment_secret=base64.b64decode(str(body["enrolment_secret"]), validate=True),
            issued_at=str(body["issued_at"]),
            organisation_key=key,
            raw=data,
        )
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        raise _not_an_invitation(shown) from None
    if len(invitation.inbox_public_key) != 32 or len(invitation.enrolment_secret) != 32:
        raise _not_an_invitation(shown)
    return invitation


def read_invitation(path: Path) -> Invitation:
    """The invitation in the file at ``path``, checked; one sentence when it is not one."""
    shown = f"The file {shown_path(path)}"
    try:
        data = read_regular_file(path, MAX_INVITATION_BYTES)
    except UnreadableFile as problem:
        raise BadInput(describe(problem, shown, "a station invitation"), "invitation") from None
    return parse_invitation(data, shown)


# On the DSL's PC: inviting, listing, removing ----------------------------------------


@dataclass(frozen=True)
class MadeInvitation:
    station_id: str
    station_name: str
    data: bytes  # the invitation file's bytes
    fingerprint: str
    suggested_name: str


def _require_writable(session: CaseSession) -> None:
    if session.read_only:
        raise StoreReadOnly(
            "The records are open for reading only, so a station cannot be added or removed "
            "now; nothing was changed."
        )


def _check_drop_folder(folder: Path, field: str) -> Path:
    shown = f"The drop folder {shown_path(folder)}"
    if not folder.is_dir():
        raise BadInput(
            f"{shown} does not exist or is not a folder; create it (or connect the drive "
            "it is on) and try again.",
            field=field,
        )
    if not os.access(folder, os.W_OK):
        raise BadInput(f"{shown} cannot be written by this account; choose another.", field)
    return folder.resolve()


def invite_station(
    session: CaseSession, name: str, drop: Path, *, station_sees: str | None = None
) -> MadeInvitation:
    """Add a station called ``name`` and make its signed invitation (written by the caller
    with :func:`save_invitation`). ``drop`` is the drop folder as this PC reaches it (it
    becomes the folder this PC reads); ``station_sees`` the same folder as the station
    will reach it, when that differs (another drive letter, a synced copy). Audited.
    """
    _require_writable(session)
    name = clean_name(name, "the station's name", max_length=60)
    folder = _check_drop_folder(drop, "drop")
    conn = session.conn
    if station_records.exists_named(conn, name):
        raise BadInput(f"There is already a station called “{name}”; choose another name.", "name")
    seen_from_station = (station_sees or "").strip() or str(folder)
    organisation = session.organisation
    station_id = new_reference("S")
    invitation = Invitation(
        organisation=organisation,
        inbox_public_key=session.store.vault.inbox_public_key,
        drop_folder=seen_from_station,
        station_id=station_id,
        station_name=name,
        enrolment_secret=secrets.token_bytes(32),
        issued_at=_now(),
        organisation_key=session.vault_public_key(),
    )
    body = _invitation_body(invitation)
    key, signature = session.organisation_signature(_INVITATION_PURPOSE, _canonical(body))
    assert key == invitation.organisation_key
    data = json.dumps(
        {
            "format": INVITATION_FORMAT,
            "version": INVITATION_VERSION,
            "body": body,
            "signature": _b64(signature),
        },
        indent=1,
        sort_keys=True,
    ).encode("utf-8")
    with case_records.transaction(conn):
        station_records.add(
            conn,
            station_id=station_id,
            name=name,
            drop_folder=seen_from_station,
            invited_at=invitation.issued_at,
            invited_by=session.user.username,
            enrolment_secret=invitation.enrolment_secret,
        )
        case_records.set_setting(conn, DROP_FOLDER_SETTING, str(folder))
        audit_log.append(
            conn, session.user.username, "station_invited", {"station": station_id, "name": name}
        )
    publish_settings(session)
    return MadeInvitation(
        station_id=station_id,
        station_name=name,
        data=data,
        fingerprint=invitation.fingerprint,
        suggested_name=f"station-invitation-{station_id}{INVITATION_SUFFIX}",
    )


def save_invitation(made: MadeInvitation, path: Path) -> None:
    """Write the invitation to ``path`` (a temporary file, fsynced, renamed)."""
    try:
        write_atomically(path, made.data)
    except OSError as error:
        told = file_error(error, path, "the invitation", outcome="the invitation was not saved")
        if told is None:
            raise
        raise told from None


def publish_settings(session: CaseSession) -> None:
    """Leave the organisation's contacts and guest policy, signed with its key, in the drop
    folder for the stations (services/organisation_settings.py calls this on each change).
    Quietly nothing when no station was invited or the folder cannot be reached: every
    change writes the whole of it again, and a station keeps what it had meanwhile."""
    folder = drop_folder_here(session)
    if folder is None:
        return
    body: dict[str, object] = {
        "organisation": _organisation_json(session.organisation),
        "issued_at": datetime.now(UTC).isoformat(timespec="microseconds"),
    }
    key, signature = session.organisation_signature(_SETTINGS_PURPOSE, _canonical(body))
    data = drop_folder.encode("settings", "", body=body, signature=signature, organisation_key=key)
    try:
        drop_folder.write(folder, drop_folder.SETTINGS_NAME, data)
    except OSError as error:
        log.info("the stations' settings were not written: %s", type(error).__name__)


def drop_folder_here(session: CaseSession) -> Path | None:
    """The drop folder this PC reads, once a station has been invited."""
    value = case_records.get_setting(session.conn, DROP_FOLDER_SETTING)
    return Path(value) if isinstance(value, str) and value else None


@dataclass(frozen=True)
class StationInfo:
    """A station as the Stations list and ``stations`` show it."""

    station_id: str
    name: str
    invited_at: str
    joined_at: str | None
    removed_at: str | None
    last_seen: str | None
    delivered: int
    waiting: int
    oldest_waiting: str | None
    last_error: str
    overdue: bool

    @property
    def status(self) -> str:
        if self.removed_at is not None:
            return "removed"
        if self.joined_at is None:
            return "invited"
        return "overdue" if self.overdue else "working"

    def to_json(self) -> dict[str, object]:
        return {
            "station": self.station_id,
            "name": self.name,
            "status": self.status,
            "invited_at": self.invited_at,
            "joined_at": self.joined_at,
            "removed_at": self.removed_at,
            "last_seen": self.last_seen,
            "delivered": self.delivered,
            "waiting": self.waiting,
            "oldest_waiting": self.oldest_waiting,
            "last_error": error_sentence(self.last_error) if self.last_error else "",
        }


def _older_than(iso: str | None, now: datetime, age: timedelta) -> bool:
    if iso is None:
        return False
    try:
        since = datetime.fromisoformat(iso)
    except ValueError:
        return True  # the station said something and not a time: look at it
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return now - since > age


def _overdue(row: station_records.StationRow, now: datetime) -> bool:
    """Concerns from this station have not arrived for more than a day: still in its
    outbox that long, or delivered into the drop folder (its heartbeat's count is ahead
    of what arrived here) a day or more before that heartbeat was read."""
    if row.removed_at is not None or row.heartbeat_at is None:
        return False
    if row.waiting > 0 and _older_than(row.oldest_waiting, now, OVERDUE):
        return True
    return row.sent > row.delivered and _older_than(row.heartbeat_at, now, OVERDUE)


def station_list(session: CaseSession) -> list[StationInfo]:
    now = datetime.now(UTC)
    return [
        StationInfo(
            station_id=row.station_id,
            name=row.name,
            invited_at=row.invited_at,
            joined_at=row.enrolled_at,
            removed_at=row.removed_at,
            last_seen=row.last_seen,
            delivered=row.delivered,
            waiting=row.waiting,
            oldest_waiting=row.oldest_waiting,
            last_error=row.last_error,
            overdue=_overdue(row, now),
        )
        for row in station_records.all_stations(session.conn)
    ]


def overdue_stations(session: CaseSession) -> list[StationInfo]:
    """Stations whose concerns have waited more than a day to arrive (Home warns)."""
    return [s for s in station_list(session) if s.overdue]


def remove_station(session: CaseSession, station_id: str) -> Changes:
    """Remove a station: what it sends from now on is refused (kept in quarantine, where a
    lead may still read and accept it). Audited."""
    _require_writable(session)
    conn = session.conn
    with case_records.transaction(conn):
        row = station_records.get(conn, station_id)
        if row is None:
            raise BadInput("There is no recording station with that id.", field="station")
        if row.removed_at is not None:
            raise BadInput(f"The station “{row.name}” was already removed.", field="station")
        station_records.remove(conn, station_id, session.user.username, _now())
        audit_log.append(
            conn,
            session.user.username,
            "station_removed",
            {"station": station_id, "name": row.name},
        )
    return Changes.of(settings=[Setting.STATIONS])


_ERRORS = {
    "unverified_station": "a file that claimed to come from it was not signed with its key",
    "removed_station": "it sent a concern after it was removed",
    "station_joined_twice": "a second PC tried to join with its invitation",
    "unreadable_file": "a file from it could not be read",
    "heartbeat": "its last heartbeat file was not signed with its key",
}


def error_sentence(code: str) -> str:
    return _ERRORS.get(code, "a file from it was refused")


# On the DSL's PC: reading the drop folder ---------------------------------------------


@dataclass
class _Pass:
    received: Changes
    take: list[Path]
    refuse: list[Path]


def ingest_drop(session: CaseSession) -> Changes:
    """Take in what stations left in the drop folder: concerns that arrived, items kept
    aside. Quiet when no station was ever invited or the folder cannot be reached (a USB
    stick not plugged in, a network share down): it is read again next minute."""
    folder = drop_folder_here(session)
    if folder is None:
        return Changes()
    try:
        found = list(drop_folder.scan(folder, limit=FILES_PER_PASS))
    except OSError as error:
        log.info("the drop folder could not be read: %s", type(error).__name__)
        return Changes()
    actor = session.user.username
    conn = session.conn
    keys = inbox_ingest.Verifier.of(session.store, conn)
    # Hellos first: a station's first concern may arrive with its hello.
    hellos = [f for f in found if f.path.name.startswith("hello-")]
    rest = [f for f in found if not f.path.name.startswith("hello-")]
    received = Changes()
    if hellos:
        received |= _batch(session, hellos, keys, actor)
        keys = inbox_ingest.Verifier.of(session.store, conn)
    for start in range(0, len(rest), inbox_ingest.INGEST_BATCH):
        received |= _batch(session, rest[start : start + inbox_ingest.INGEST_BATCH], keys, actor)
    return received


def _batch(
    session: CaseSession,
    files: list[drop_folder.Found | drop_folder.Unreadable],
    keys: inbox_ingest.Verifier,
    actor: str,
) -> Changes:
    conn = session.conn
    done = _Pass(Changes(), [], [])
    now = datetime.now(UTC)
    with case_records.transaction(conn):
        for file in files:
            _one_file(conn, file, keys, actor, done, now)
    # Only now that the batch is committed: a crash before this leaves the files, which
    # the next pass recognises (the same reference and content is taken once).
    drop_folder.remove(done.take)
    for path in done.refuse:
        drop_folder.move_to_quarantine(path)
    return done.received


def _said_at(changed_at: float) -> str:
    return datetime.fromtimestamp(changed_at, UTC).isoformat(timespec="seconds")


def _one_file(
    conn: Connection,
    file: drop_folder.Found | drop_folder.Unreadable,
    keys: inbox_ingest.Verifier,
    actor: str,
    done: _Pass,
    now: datetime,
) -> None:
    name = file.path.name
    if isinstance(file, drop_folder.Unreadable):
        if file.settled:
            done.received |= inbox_ingest.quarantine_file(
                conn, name=name, said_sent_at=_now(), reason=file.reason, data=b"", actor=actor
            )
            done.refuse.append(file.path)
        return
    settled = now.timestamp() - file.changed_at >= drop_folder.SETTLE_SECONDS
    try:
        envelope = drop_folder.decode(file.data)
        if envelope.kind == "heartbeat":
            _heartbeat(conn, envelope, keys)
            return  # the station replaces it; never deleted or quarantined here
        if envelope.kind == "settings":
            return  # this PC's own, for the stations to read
        if envelope.kind == "hello":
            done.received |= _hello(conn, envelope, name, actor)
            done.take.append(file.path)
            return
        item = _sealed_item(envelope, name)
    except drop_folder.DropFileRefused as refused:
        if refused.reason == "unreadable" and not settled:
            return  # may still be arriving under its final name: read it next pass
        reason = "newer_version" if refused.reason == "newer_version" else "unreadable_file"
        done.received |= inbox_ingest.quarantine_file(
            conn,
            name=name,
            said_sent_at=_said_at(file.changed_at),
            reason=reason,
            data=file.data,
            actor=actor,
        )
        done.refuse.append(file.path)
        return
    changes = inbox_ingest.take(conn, item, keys, actor)
    known = keys.stations.get(envelope.station)
    if known is not None:
        error = (
            "" if changes.concerns or not changes.inbox_items else _quarantine_reason(conn, changes)
        )
        station_records.seen(conn, envelope.station, _now(), delivered=1, error=error)
    done.received |= changes
    if changes.inbox_items:
        done.refuse.append(file.path)
    else:
        done.take.append(file.path)


def _quarantine_reason(conn: Connection, changes: Changes) -> str:
    for item_id in changes.inbox_items:
        item = quarantine_records.get(conn, item_id)
        if item is not None:
            return item.reason
    return ""


def _sealed_item(envelope: drop_folder.Envelope, name: str) -> SealedItem:
    ref = envelope.text("ref", 20)
    if envelope.kind != "concern" or drop_folder.ref_of(name) != ref:
        raise drop_folder.DropFileRefused("unreadable")
    submitted_at = envelope.text("submitted_at", 40)
    return SealedItem(
        item_id=0,
        ref=ref,
        kind="concern",
        submitted_at=submitted_at,
        inbox_key=envelope.blob("inbox_key"),
        sealed=envelope.blob("sealed"),
    )


def _hello_mac(secret: bytes, station_id: str, public_key: bytes, name: str) -> str:
    message = _canonical({"station": station_id, "public_key": _b64(public_key), "name": name})
    return hmac.new(secret, _HELLO_PURPOSE + message, hashlib.sha256).hexdigest()


def _hello(conn: Connection, envelope: drop_folder.Envelope, name: str, actor: str) -> Changes:
    """A station joining: its key taken when the enrolment secret's MAC is right and it
    has no key yet; anything else kept aside with the reason."""
    row = station_records.get(conn, envelope.station)
    public_key = envelope.blob("public_key")
    mac = envelope.text("mac", 64)
    said_name = envelope.text("name", 200)

    def refuse(reason: str, detail: str) -> Changes:
        if row is not None:
            station_records.seen(conn, row.station_id, _now(), error=reason)
        return inbox_ingest.quarantine_file(
            conn,
            name=name,
            said_sent_at=_now(),
            reason=reason,
            data=b"",
            actor=actor,
            detail=detail,
        )

    if row is None:
        return refuse("unknown_station", envelope.station)
    expected = _hello_mac(row.enrolment_secret, row.station_id, public_key, said_name)
    if len(public_key) != 32 or not hmac.compare_digest(expected, mac):
        return refuse("unverified_station", row.name)
    if row.removed_at is not None:
        return refuse("removed_station", row.name)
    if row.public_key is not None:
        if hmac.compare_digest(row.public_key, public_key):
            return Changes()  # the same station saying hello again
        return refuse("station_joined_twice", row.name)
    at = _now()
    station_records.enrol(conn, row.station_id, public_key, at)
    station_records.seen(conn, row.station_id, at)
    audit_log.append(conn, actor, "station_joined", {"station": row.station_id, "name": row.name})
    return Changes.of(settings=[Setting.STATIONS])


def _heartbeat_mac(key: bytes, fields: dict[str, object]) -> str:
    return hmac.new(key, _HEARTBEAT_PURPOSE + _canonical(fields), hashlib.sha256).hexdigest()


_HEARTBEAT_FIELDS = ("at", "waiting", "oldest_waiting", "delivered", "inbox_key")


def _heartbeat(
    conn: Connection, envelope: drop_folder.Envelope, keys: inbox_ingest.Verifier
) -> None:
    known = keys.stations.get(envelope.station)
    if known is None or known.public_key is None or known.removed:
        return
    fields = {k: envelope.fields.get(k) for k in _HEARTBEAT_FIELDS}
    inbox_key = envelope.blob("inbox_key")
    private = keys.inbox_keys.get(inbox_key)
    waiting, at, oldest = fields["waiting"], fields["at"], fields["oldest_waiting"]
    try:
        if private is None:
            raise sealing.SealError("unknown inbox key")
        key = sealing.sender_key(private, known.public_key)
    except sealing.SealError:
        station_records.seen(conn, envelope.station, _now(), error="heartbeat")
        return
    mac = envelope.fields.get("mac")
    if (
        not isinstance(mac, str)
        or not hmac.compare_digest(_heartbeat_mac(key, fields), mac)
        or not isinstance(waiting, int)
        or not isinstance(at, str)
        or not (oldest is None or isinstance(oldest, str))
    ):
        station_records.seen(conn, envelope.station, _now(), error="heartbeat")
        return
    row = station_records.get(conn, envelope.station)
    if row is not None and row.heartbeat_at is not None and row.heartbeat_at >= at:
        return  # read already (it stays in the folder until the station writes the next)
    sent = fields["delivered"]
    station_records.heartbeat(
        conn,
        envelope.station,
        at=at,
        waiting=waiting,
        oldest_waiting=oldest,
        sent=sent if isinstance(sent, int) and not isinstance(sent, bool) else 0,
    )


# On the station ------------------------------------------------------------------------


class StationFolder:
    """A recording station's data folder, opened: its invitation checked again."""

    def __init__(self, data_dir: Path, config: station_file.StationConfig) -> None:
        self.data_dir = data_dir
        self.config = config
        self.invitation = parse_invitation(config.invitation, "This station's invitation")
        self._update: SettingsUpdate | None = None
        if config.settings_update is not None:
            self._update = parse_settings_update(config.settings_update, self.invitation)
            if self._update is None:
                raise StoreTampered(SETTINGS_CHANGED)

    @staticmethod
    def exists(data_dir: Path) -> bool:
        return station_file.is_station(data_dir)

    @classmethod
    def open(cls, data_dir: Path) -> StationFolder:
        """The station in ``data_dir``; StoreTampered when station.json is not what this
        PC's credential store says it was set up with (or last updated to)."""
        config = station_file.read_station(data_dir)
        pinned = device_secret.read_note(_pin_namespace(data_dir), _PIN_NOTE)
        if pinned is not None and not hmac.compare_digest(pinned, _pin_value(config)):
            log.warning("station.json differs from what this PC pinned; nothing can be recorded")
            raise StoreTampered(SETTINGS_CHANGED)
        return cls(data_dir, config)

    @property
    def organisation(self) -> Organisation:
        """The organisation as its newest signed settings give it (the invitation's, until
        the lead changes something)."""
        return self._update.organisation if self._update else self.invitation.organisation

    @property
    def station_id(self) -> str:
        return self.invitation.station_id

    @property
    def station_name(self) -> str:
        return self.invitation.station_name

    @property
    def drop_folder(self) -> Path:
        return Path(self.config.drop_folder)

    @property
    def outbox(self) -> Path:
        return self.data_dir / station_file.OUTBOX

    def count_delivered(self, count: int) -> None:
        """Add to the concerns delivered so far (kept in station.json for the heartbeat)."""
        self.config = replace(self.config, delivered=self.config.delivered + count)
        station_file.write_station(self.data_dir, self.config)

    def _private(self) -> X25519PrivateKey:
        return X25519PrivateKey.from_private_bytes(self.config.private_key)

    def waiting(self) -> list[Path]:
        """The files in the outbox not yet delivered, oldest first."""
        try:
            with os.scandir(self.outbox) as entries:
                names = sorted(e.name for e in entries if drop_folder.our_file(e.name))
        except FileNotFoundError:
            return []
        return [self.outbox / n for n in names]


def _pin_namespace(data_dir: Path) -> str:
    """The credential store's name for the station in this folder: by the folder, not by
    anything in station.json, which whoever replaces the file would choose."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:24]
    return f"station-{digest}"


def _pin_value(config: station_file.StationConfig) -> str:
    digest = hashlib.sha256(config.invitation)
    digest.update(b"\x00" + (config.settings_update or b""))
    return digest.hexdigest()


def _pin(station: StationFolder) -> None:
    if not device_secret.write_note(
        _pin_namespace(station.data_dir), _PIN_NOTE, _pin_value(station.config)
    ):
        log.info("no credential store: this station's settings are not pinned outside its folder")


@dataclass(frozen=True)
class SettingsUpdate:
    organisation: Organisation
    issued_at: str


def parse_settings_update(data: bytes, invitation: Invitation) -> SettingsUpdate | None:
    """A settings update from the drop folder, when the organisation's key signed it;
    None for anything else (signed by another key, changed, not one)."""
    try:
        envelope = drop_folder.decode(data)
        body = envelope.fields.get("body")
        if envelope.kind != "settings" or not isinstance(body, dict):
            return None
        signature = envelope.blob("signature")
        if not vault_signing.verify(
            invitation.organisation_key, _SETTINGS_PURPOSE + _canonical(body), signature
        ):
            return None
        return SettingsUpdate(_organisation_of(body["organisation"]), str(body["issued_at"]))
    except (drop_folder.DropFileRefused, ValueError, KeyError, TypeError):
        return None


def take_settings_update(station: StationFolder) -> str | None:
    """Take a newer signed settings update from the drop folder, if one is there; a
    sentence when the one there was not signed by the organisation (it is ignored)."""
    path = station.drop_folder / drop_folder.SETTINGS_NAME
    try:
        data = read_regular_file(path, MAX_INVITATION_BYTES)
    except UnreadableFile:
        return None  # none yet, or the folder is away: the next attempt reads it
    update = parse_settings_update(data, station.invitation)
    if update is None:
        log.warning("a settings file in the drop folder was not signed by the organisation")
        organisation = station.invitation.organisation.name
        return (
            f"A settings file in the shared folder was not signed by {organisation}, so it "
            "was ignored and this station keeps the contacts it had. Tell your safeguarding "
            "lead."
        )
    current = station._update.issued_at if station._update else station.invitation.issued_at
    if update.issued_at <= current or data == station.config.settings_update:
        return None
    station.config = replace(station.config, settings_update=data)
    station_file.write_station(station.data_dir, station.config)
    station._update = update
    _pin(station)
    return None


def set_up_station(
    data_dir: Path, invitation: Invitation, *, drop: Path | None = None
) -> StationFolder:
    """Make ``data_dir`` a recording station from a checked invitation.

    Refused where a store or another station already is. ``drop`` overrides the drop
    folder the invitation names (this PC reaches it by another path). The station's hello
    goes into its outbox and is delivered now if the drop folder can be reached.
    """
    for name in (VAULT_NAME, CASES_NAME, INBOX_NAME, station_file.STATION_NAME):
        if (data_dir / name).exists():
            raise StoreExists(
                f"The folder {shown_path(data_dir)} already holds Safeguard Desktop's records or "
                "a recording station; choose an empty folder for this station."
            )
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    (data_dir / station_file.OUTBOX).mkdir(mode=0o700, exist_ok=True)
    private, public = sealing.new_keypair()
    config = station_file.StationConfig(
        invitation=invitation.raw,
        private_key=sealing.private_bytes(private),
        drop_folder=str(drop) if drop is not None else invitation.drop_folder,
        set_up_at=_now(),
    )
    station_file.write_station(data_dir, config)
    station = StationFolder(data_dir, config)
    _pin(station)
    mac = _hello_mac(
        invitation.enrolment_secret, invitation.station_id, public, invitation.station_name
    )
    hello = drop_folder.encode(
        "hello", invitation.station_id, public_key=public, name=invitation.station_name, mac=mac
    )
    drop_folder.write(
        station.outbox, drop_folder.file_name("hello", station=station.station_id), hello
    )
    deliver_waiting(station)
    return station


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery attempt did: files delivered, files still waiting, and when the
    drop folder could not be reached, one sentence saying so (None when it could);
    ``settings_problem`` when a settings file there was not the organisation's."""

    delivered: int
    waiting: int
    problem: str | None = None
    settings_problem: str | None = None
    reachable: bool = True  # False: the drop folder is away (no network, stick out)


def _unreachable(folder: Path) -> str:
    return (
        f"The shared drop folder {shown_path(folder)} cannot be reached just now, so what was "
        "recorded is kept safely on this PC and will be delivered when it can be. If this "
        "lasts, check that the shared drive or synced folder is connected."
    )


def deliver_waiting(station: StationFolder) -> DeliveryReport:
    """Copy each waiting file into the drop folder, then delete it from the outbox; leave
    a heartbeat. A file is never deleted here before its copy there is durable."""
    folder = station.drop_folder
    waiting = station.waiting()
    if not folder.is_dir():
        return DeliveryReport(0, len(waiting), _unreachable(folder), reachable=False)
    settings_problem = take_settings_update(station)
    delivered = concerns = 0
    problem = None
    reachable = True
    for path in waiting:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue  # delivered by another copy of the app meanwhile
        try:
            drop_folder.write(folder, path.name, data)
        except OSError as error:
            # The outbox copy stays: it is delivered at the next attempt.
            log.info("a station file was not delivered: %s", type(error).__name__)
            reachable = folder.is_dir()
            told = file_error(error, folder / path.name, "the drop folder's copy")
            problem = str(told) if told is not None and reachable else _unreachable(folder)
            break
        if drop_folder.ref_of(path.name):
            concerns += 1
            # Counted before the outbox copy goes: a crash between the two delivers that
            # file twice (taken once there), never counts one that was not delivered.
            station.count_delivered(1)
        drop_folder.remove([path])
        delivered += 1
    left = station.waiting()
    try:
        _write_heartbeat(station, left)
    except OSError as error:
        log.info("the station's heartbeat was not written: %s", type(error).__name__)
    return DeliveryReport(delivered, len(left), problem, settings_problem, reachable)


def _write_heartbeat(station: StationFolder, waiting: list[Path]) -> None:
    """Counts only: how many concerns wait in the outbox and since when."""
    concerns = [p for p in waiting if drop_folder.ref_of(p.name)]
    oldest = None
    if concerns:
        first = min(p.stat().st_mtime for p in concerns)
        oldest = datetime.fromtimestamp(first, UTC).isoformat(timespec="seconds")
    inbox_key = station.invitation.inbox_public_key
    fields: dict[str, object] = {
        "at": _now(),
        "waiting": len(concerns),
        "oldest_waiting": oldest,
        "delivered": station.config.delivered,
        "inbox_key": _b64(inbox_key),
    }
    key = sealing.sender_key(station._private(), inbox_key)
    data = drop_folder.encode(
        "heartbeat",
        station.station_id,
        at=fields["at"],
        waiting=fields["waiting"],
        oldest_waiting=oldest,
        delivered=fields["delivered"],
        inbox_key=inbox_key,
        mac=_heartbeat_mac(key, fields),
    )
    drop_folder.write(
        station.drop_folder, drop_folder.file_name("heartbeat", station=station.station_id), data
    )


@dataclass(frozen=True)
class StationDelivery:
    """A concern recorded on a station: its reference, and whether it has reached the
    drop folder yet (if not, ``problem`` says why, and it waits safely on this PC)."""

    ref: str
    delivered: bool
    problem: str | None


def record_on_station(
    station: StationFolder, name: str, role: str, concern: Concern
) -> StationDelivery:
    """Seal ``concern`` to the inbox key, keep it durably in the outbox, then deliver it.

    The recorder names themselves as a guest would; the station's MAC is what vouches
    for it on the DSL's PC. Nothing readable stays on this PC.
    """
    submitter = Submitter(
        name=clean_name(name, "your name"), role=clean_name(role, "your role"), username=None
    )
    inbox_key = station.invitation.inbox_public_key
    key = sealing.sender_key(station._private(), inbox_key)
    submitted_at = _now()
    payload: dict[str, object] = {
        "format": PAYLOAD_FORMAT,
        "kind": "concern",
        "version": CONCERN_FORMAT_VERSION,
        "submitted_at": submitted_at,
        "submitter": submitter.to_json(),
        "concern": concern.to_json(),
    }
    station.outbox.mkdir(mode=0o700, exist_ok=True)
    for _ in range(8):
        ref = new_reference("C")
        target = station.outbox / drop_folder.file_name("concern", ref=ref)
        if target.exists() or (station.drop_folder / target.name).exists():
            continue
        body: dict[str, object] = {**payload, "ref": ref}
        body["sender"] = {
            "station": station.station_id,
            "mac": station_mac(key, body, station.station_id),
        }
        plaintext = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
        sealed = sealing.seal(plaintext, inbox_key, aad=f"concern:{ref}".encode())
        data = drop_folder.encode(
            "concern",
            station.station_id,
            ref=ref,
            submitted_at=submitted_at,
            inbox_key=inbox_key,
            sealed=sealed,
        )
        try:
            drop_folder.write(station.outbox, target.name, data)
        except OSError as error:
            told = file_error(
                error, target, "this station's outbox", outcome="the concern was not saved"
            )
            if told is None:
                raise
            raise told from None
        report = deliver_waiting(station)
        delivered = target.name not in {p.name for p in station.waiting()}
        return StationDelivery(ref, delivered, None if delivered else report.problem)
    raise RuntimeError("no free reference after 8 tries")  # 2^40 space: a bug, not bad luck


def check_station_may_record(station: StationFolder) -> None:
    """Raise (one sentence) unless this station can record now: its invitation still
    checks out. Recording never needs the drop folder to be reachable."""
    if len(station.invitation.inbox_public_key) != 32:
        raise NotPermitted("This station's invitation holds no inbox key; set it up again.")
