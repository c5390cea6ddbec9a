"""Recording stations: other PCs that record concerns into a shared drop folder.

This module is the lead's side (inviting, reading the drop folder, the Stations list) and
the formats both sides share; what runs on a station is services/recording_station.py.

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

**Joining.** ``recording_station.set_up_station`` makes the station's own X25519 key
pair, keeps it with the invitation in station.json (storage/station_file.py), and sends
a *hello* file with its public key, MACed with the enrolment secret. The DSL's PC takes
the first hello for a station as that station's key; a second PC using the same
invitation later is refused and shown on Home. From then on everything the station sends
carries a MAC made with its key and the inbox key (``sealing.sender_key``), which only
that station and the DSL's PC can make.

**Who recorded.** On a station the recorder types their name and role, as a guest does on
the DSL's PC; the station is what vouches for them (a lead invited that PC), so a
station's concern is accepted whatever the guest policy, and is credited to the station
by the name the lead gave it. No account data, draft or receipt lives on a station: a
recorder can never read a submission back, and there is nothing per person to manage on
a PC that many people share.

**Delivery.** A concern is sealed and written, fsynced, into the station's ``outbox``;
then ``recording_station.deliver_waiting`` copies each waiting file into the drop folder
(a temporary name, fsync, rename) and deletes it from the outbox. When the drop folder cannot be
reached the concern stays in the outbox and the recorder is told it will be delivered
when the shared folder is reachable; the station tries again every minute and at start.
After each delivery the station leaves a small *heartbeat* file (how many concerns wait
in its outbox and since when, and the references it delivered lately, never content;
MACed), so the lead's PC can warn when a station's concerns have not arrived for a day,
even when a sync engine lost a file after it left the station.

**Ingest.** While a lead is signed in, :func:`ingest_drop` reads the drop folder at
sign-in and every minute (services/inbox.py), one file at a time and a bounded number of
files and bytes a pass: hellos, heartbeats, then concerns through the same checks as the
inbox (services/inbox_ingest.py), each file deleted only after its batch commits. Only a
concern a joined, not removed station signed is taken in: anyone who can open the folder
can seal to the inbox's public key, so anything else is kept aside for a lead to read. A
concern whose station's hello has not arrived yet waits for it. A reference already taken
in with the same content is taken once. A file that cannot be opened, or is not what its
name says, is moved to the folder's ``quarantine`` subfolder and listed on Home by name
(its SHA-256 kept, never its content), once, however often it is met; nothing is deleted
that was not taken in.

**A new inbox key.** Removing or suspending a lead replaces the inbox key (they may have
kept the old one). The lead's signed settings update (:func:`publish_settings`) carries
the current one, and a station seals to the newest it has verified
(``recording_station.StationFolder.inbox_public_key``). A station's concern that still
comes sealed to a replaced key, recorded after it was replaced (the station never got the
update, or someone holding the old key made it), is taken in, never lost; the lead is told
on Home and in the Stations list (:func:`old_key_warnings`), it is audited, and the
update is written again.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..domain.accounts import new_reference
from ..domain.errors import BadInput, SafeguardError, StoreReadOnly
from ..domain.json_input import parse_json
from ..domain.organisation import LocalContacts, Organisation, OrgType
from ..domain.text import clean_name
from ..security import sealing, vault_signing
from ..storage import (
    audit_log,
    case_records,
    drop_folder,
    quarantine_records,
    station_records,
)
from ..storage.atomic_file import write_atomically
from ..storage.case_database import Connection, DatabaseError
from ..storage.sealed_inbox import SealedItem
from ..storage.storage_errors import file_error
from . import inbox_ingest
from .changes import Changes, Setting
from .input_files import UnreadableFile, describe, read_regular_file, shown_path
from .recording import mac_matches
from .session import CaseSession

log = logging.getLogger(__name__)

INVITATION_FORMAT = "safeguard-desktop-station-invitation"
INVITATION_VERSION = 1
INVITATION_SUFFIX = ".sginvite"
MAX_INVITATION_BYTES = 256 * 1024
# The setting that holds the drop folder as the DSL's PC reaches it.
DROP_FOLDER_SETTING = "stations.drop_folder"
# The setting that holds the station concerns sealed to a replaced inbox key, until a lead
# dismisses the warning on Home; the last problem a station's row then says, and how
# many such concerns are kept for the warning at most.
OLD_KEY_SETTING = "stations.old_inbox_key"
OLD_INBOX_KEY = "old_inbox_key"
OLD_KEY_MOST = 200
# How many files one pass of ingest reads at most: a folder of 10,000 junk files is
# worked through a minute at a time, and a pass never holds the worker for long.
FILES_PER_PASS = 1_000
# ...and at most this many bytes of them: the rest waits for the next pass.
BYTES_PER_PASS = 64 * 1024 * 1024
# A station's concerns are overdue on Home when they have waited this long.
OVERDUE = timedelta(days=1)
# The most references a heartbeat lists (services/recording_station.py keeps a week's).
RECENT_MOST = 500
# A heartbeat holds counts and references: anything bigger is not one.
MAX_HEARTBEAT_BYTES = 256 * 1024
# A concern whose station has not joined waits this long for the station's hello, then
# is kept aside for a lead to read (a hello lost on the way, or a station never set up).
HELLO_PATIENCE = timedelta(days=1)

# Files this process left where they were on its last pass over a folder (still
# arriving, waiting for a hello, or not movable): read after the others, so a few such
# files can never use up every pass.
_DEFERRED: dict[str, set[str]] = {}

_INVITATION_PURPOSE = b"safeguard-desktop station invitation v1\x00"
_HELLO_PURPOSE = b"safeguard-desktop station hello v1\x00"
_HEARTBEAT_PURPOSE = b"safeguard-desktop station heartbeat v1\x00"
_SETTINGS_PURPOSE = b"safeguard-desktop station settings v1\x00"

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
        # Strictly: a key given twice is refused, as in every file a person hands the app.
        outer = parse_json(data.decode("utf-8"), shown, "invitation")
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


def _check_drop_folder(folder: Path, field: str, data_dir: Path) -> Path:
    shown = f"The drop folder {shown_path(folder)}"
    with contextlib.suppress(OSError, RuntimeError):
        where, records = folder.resolve(), data_dir.resolve()
        if where == records or records in where.parents or where in records.parents:
            raise BadInput(
                f"{shown} is, holds or is inside the folder that holds the records; stations "
                "would deliver into it, and it would be shared with other PCs. Choose a "
                "folder of its own.",
                field=field,
            )
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
    folder = _check_drop_folder(drop, "drop", session.store.data_dir)
    conn = session.conn
    if station_records.exists_named(conn, name):
        raise BadInput(f"There is already a station called “{name}”; choose another name.", "name")
    current = drop_folder_here(session)
    working = [r for r in station_records.all_stations(conn) if r.removed_at is None]
    if current is not None and current != folder and working:
        # This PC reads one drop folder: a second would strand the first one's stations.
        raise BadInput(
            f"Every station delivers into one shared folder, {shown_path(current)}; choose "
            "that folder, or remove the stations that use it first.",
            field="drop",
        )
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
    """Leave the organisation's contacts, guest policy and current inbox key, signed with
    its key, in the drop folder for the stations (services/organisation_settings.py calls
    this on each change, services/people.py when the inbox key is replaced). Quietly
    nothing when no station was invited or the folder cannot be reached: every change
    writes the whole of it again, :func:`ingest_drop` writes it again while the one there
    is missing or names an older inbox key, and a station keeps what it had meanwhile."""
    folder = drop_folder_here(session)
    if folder is None:
        return
    joined = {
        row.station_id: key_fingerprint(row.public_key)
        for row in station_records.all_stations(session.conn)
        if row.public_key is not None and row.removed_at is None
    }
    issued = datetime.now(UTC)
    there = _published(session, folder)
    if there is not None:
        # A station takes only an update newer than the one it has: with this PC's clock
        # set back, a new update must still come after the last one.
        try:
            last = datetime.fromisoformat(there.issued_at)
        except ValueError:
            last = issued
        if last.tzinfo is not None and last >= issued:
            issued = last + timedelta(microseconds=1)
    body: dict[str, object] = {
        "organisation": _organisation_json(session.organisation),
        "joined": joined,
        "inbox_public_key": _b64(current_inbox_key(session)),
        "issued_at": issued.isoformat(timespec="microseconds"),
    }
    key, signature = session.organisation_signature(_SETTINGS_PURPOSE, _canonical(body))
    data = drop_folder.encode("settings", "", body=body, signature=signature, organisation_key=key)
    try:
        drop_folder.write(folder, drop_folder.SETTINGS_NAME, data)
    except OSError as error:
        log.info("the stations' settings were not written: %s", type(error).__name__)


def current_inbox_key(session: CaseSession) -> bytes:
    """The inbox key stations must seal to now: the case database's (which someone who
    edits vault.json cannot change), the vault's only in a store from before keys were
    kept there."""
    return case_records.current_inbox_public_key(session.conn) or (
        session.store.vault.inbox_public_key
    )


def _published(session: CaseSession, folder: Path) -> SettingsUpdate | None:
    """The settings update in the drop folder, when this organisation signed it."""
    try:
        data = read_regular_file(folder / drop_folder.SETTINGS_NAME, MAX_INVITATION_BYTES)
    except UnreadableFile:
        return None
    return parse_settings_update(data, session.vault_public_key())


def key_fingerprint(public_key: bytes) -> str:
    """How the settings file names the key a station joined with (so the station knows
    its hello arrived, and stops sending it)."""
    return hashlib.sha256(public_key).hexdigest()[:32]


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


def _overdue(conn: Connection, row: station_records.StationRow, now: datetime) -> bool:
    """Concerns from this station have not arrived for more than a day: still in its
    outbox that long, or delivered into the drop folder (its heartbeat lists each
    reference it delivered lately, and when) more than a day ago and not arrived here."""
    if row.removed_at is not None or row.heartbeat_at is None:
        return False
    if row.waiting > 0 and _older_than(row.oldest_waiting, now, OVERDUE):
        return True
    try:
        recent = json.loads(row.recent)
    except ValueError:
        return False
    late = [str(ref) for ref, at in recent if _older_than(str(at), now, OVERDUE)]
    return bool(late) and len(station_records.arrived(conn, late)) < len(set(late))


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
            overdue=_overdue(session.conn, row, now),
        )
        for row in station_records.all_stations(session.conn)
    ]


def overdue_stations(session: CaseSession) -> list[StationInfo]:
    """Stations whose concerns have waited more than a day to arrive (Home warns)."""
    return [s for s in station_list(session) if s.overdue]


@dataclass(frozen=True)
class OldKeyWarning:
    """A station that sent concerns locked with an inbox key replaced before they were
    recorded (a lead's account removed or suspended): that person may be able to read
    them. Home shows it until a lead dismisses it."""

    station_id: str
    name: str
    refs: tuple[str, ...]


def old_key_warnings(session: CaseSession) -> list[OldKeyWarning]:
    """The stations whose concerns came locked with a replaced inbox key, with the
    concerns' references, for Home (never dismissed yet)."""
    names = {row.station_id: row.name for row in station_records.all_stations(session.conn)}
    refs: dict[str, list[str]] = {}
    for entry in _old_key_warnings(session.conn):
        found = refs.setdefault(entry["station"], [])
        if entry["ref"] not in found:
            found.append(entry["ref"])
    return [
        OldKeyWarning(station, names.get(station, station), tuple(found))
        for station, found in refs.items()
    ]


def dismiss_old_key_warnings(session: CaseSession) -> Changes:
    """A lead has read the warning (and dealt with it): Home stops showing it. Audited;
    the audit log keeps each concern it named."""
    _require_writable(session)
    conn = session.conn
    with case_records.transaction(conn):
        refs = [entry["ref"] for entry in _old_key_warnings(conn)]
        if not refs:
            return Changes()
        case_records.set_setting(conn, OLD_KEY_SETTING, [])
        audit_log.append(
            conn, session.user.username, "station_old_key_warning_dismissed", {"refs": refs}
        )
    return Changes.of(settings=[Setting.STATIONS])


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
    publish_settings(session)
    return Changes.of(settings=[Setting.STATIONS])


_ERRORS = {
    "unverified_station": "a file that claimed to come from it was not signed with its key",
    "removed_station": "it sent a concern after it was removed",
    "station_joined_twice": "a second PC tried to join with its invitation",
    "unreadable_file": "a file from it could not be read",
    "heartbeat": "its last heartbeat file was not signed with its key",
    OLD_INBOX_KEY: (
        "it sent a concern locked with the key in use before a lead's account was removed "
        "or suspended, so that person may be able to read it"
    ),
}


def error_sentence(code: str) -> str:
    return _ERRORS.get(code, "a file from it was refused")


# On the lead's PC: reading the drop folder ---------------------------------------------


@dataclass
class _Batch:
    received: Changes = field(default_factory=Changes)
    take: list[Path] = field(default_factory=list)
    refuse: list[Path] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # names left where they are
    bytes_read: int = 0


def ingest_drop(session: CaseSession) -> Changes:
    """Take in what stations left in the drop folder: concerns that arrived, items kept
    aside. Quiet when no station was ever invited or the folder cannot be reached (a USB
    stick not plugged in, a network share down): it is read again next minute.

    Hellos first (a station's first concern may come with its hello), then heartbeats,
    then at most :data:`FILES_PER_PASS` concern files or :data:`BYTES_PER_PASS` bytes,
    read one at a time; the rest waits for the next pass. Only a concern a joined station
    signed is taken in: anything else found there is kept aside for a lead to read.
    """
    folder = drop_folder_here(session)
    if folder is None:
        return Changes()
    try:
        names = drop_folder.listing(folder)
    except OSError as error:
        log.info("the drop folder could not be read: %s", type(error).__name__)
        return Changes()
    if not names.settings or _stale_key_there(session, folder):
        # Missing, or from before the inbox key was replaced (the folder was away when it
        # was, or someone took the file away): the stations must have the current key.
        publish_settings(session)
    deferred = _DEFERRED.get(str(folder), set())
    left: set[str] = set()
    received = Changes()
    # Built once a pass (it asks the credential store for the device key); only the
    # stations are read again once a hello has made one join.
    keys = replace(inbox_ingest.Verifier.of(session.store, session.conn), only_stations=True)
    if names.hellos:
        received |= _work(session, folder, names.hellos, keys, left)
        if Setting.STATIONS in received.settings:
            keys = replace(keys, stations=inbox_ingest.station_keys(session.conn))
            publish_settings(session)  # tells the stations who has joined
    if names.heartbeats:
        received |= _heartbeats(session, folder, names.heartbeats, keys)
    ordered = [n for n in names.concerns if n not in deferred]
    ordered += [n for n in names.concerns if n in deferred]
    concerns = ordered[:FILES_PER_PASS]
    if concerns:
        warned = _old_key_warnings(session.conn)
        received |= _work(session, folder, concerns, keys, left)
        if _old_key_warnings(session.conn) != warned:
            publish_settings(session)  # again, in case the station lost the last one
    _DEFERRED[str(folder)] = left
    return received


def _stale_key_there(session: CaseSession, folder: Path) -> bool:
    """True when the settings update in the drop folder does not give the stations the
    current inbox key (or is not one this organisation signed)."""
    there = _published(session, folder)
    return there is None or there.inbox_public_key != current_inbox_key(session)


def _work(
    session: CaseSession,
    folder: Path,
    names: list[str],
    keys: inbox_ingest.Verifier,
    left: set[str],
) -> Changes:
    received = Changes()
    budget = BYTES_PER_PASS
    for start in range(0, len(names), inbox_ingest.INGEST_BATCH):
        batch = _Batch()
        now = datetime.now(UTC)
        with case_records.transaction(session.conn):
            for name in names[start : start + inbox_ingest.INGEST_BATCH]:
                if batch.bytes_read >= budget:
                    break
                _one_file(session, folder / name, keys, batch, now)
        # Only now that the batch is committed: a crash before this leaves the files,
        # which the next pass recognises (taken once, or already kept aside).
        for path in batch.take:
            if not drop_folder.remove(path):
                left.add(path.name)
        for path in batch.refuse:
            if drop_folder.move_to_quarantine(path) is None and path.exists():
                left.add(path.name)
        left.update(batch.left)
        received |= batch.received
        budget -= batch.bytes_read
        if budget <= 0:
            break
    return received


def _one_file(
    session: CaseSession,
    path: Path,
    keys: inbox_ingest.Verifier,
    batch: _Batch,
    now: datetime,
) -> None:
    """Take in, keep aside or leave (still arriving) one file, in a savepoint of its own:
    a bug met on one file keeps that file aside, never stops the others."""
    conn, actor, name = session.conn, session.user.username, path.name
    try:
        found = drop_folder.read(path, now=now.timestamp())
    except drop_folder.FileUnreadable as problem:
        if problem.settled:
            batch.received |= _keep_file_aside(conn, name, problem.reason, _stat_key(path), actor)
            batch.refuse.append(path)
        else:
            batch.left.append(name)
        return
    if found is None:
        return  # gone, or empty: a placeholder not yet downloaded
    batch.bytes_read += len(found.data)
    digest = hashlib.sha256(found.data).hexdigest()
    try:
        with case_records.savepoint(conn):
            outcome = _take_file(conn, found, keys, actor, now, digest)
    except (DatabaseError, SafeguardError):
        raise  # the disk's or the database's, not the file's: the batch stops
    except Exception:
        # Deliberately broad: a bug met on one file must not stop the files after it.
        # Nothing is swallowed: the traceback is logged and the file is kept aside.
        log.exception("a drop folder file could not be taken in; it is kept aside")
        batch.received |= _keep_file_aside(conn, name, "unreadable_file", digest, actor)
        batch.refuse.append(path)
        return
    if outcome is None:
        batch.left.append(name)  # still arriving, or waiting for its station's hello
        return
    changes, taken = outcome
    batch.received |= changes
    (batch.take if taken else batch.refuse).append(path)


def _take_file(
    conn: Connection,
    found: drop_folder.Found,
    keys: inbox_ingest.Verifier,
    actor: str,
    now: datetime,
    digest: str,
) -> tuple[Changes, bool] | None:
    """(what changed, taken) for a file, or None to leave it where it is for now."""
    name = found.path.name
    try:
        envelope = drop_folder.decode(found.data)
        if envelope.kind != drop_folder.kind_of(name):
            # Whole, but not what its name says: a kind is read only under its own name.
            return _keep_file_aside(conn, name, "unreadable_file", digest, actor), False
        if envelope.kind == "hello":
            return _hello(conn, envelope, name, actor, digest)
        item = _sealed_item(envelope, name)
    except drop_folder.DropFileRefused as refused:
        if refused.reason == "unreadable" and not found.settled(now.timestamp()):
            return None  # may still be arriving under its final name
        reason = "newer_version" if refused.reason == "newer_version" else "unreadable_file"
        return _keep_file_aside(conn, name, reason, digest, actor), False
    if quarantine_records.is_kept(conn, ref=item.ref, sealed=item.sealed):
        return Changes(), False  # kept aside before, byte for byte: moved as a duplicate
    known = keys.stations.get(envelope.station)
    if known is not None and known.public_key is None and not known.removed:
        # Its hello has not arrived yet (a sync engine brings files in any order): the
        # concern waits for it, for a day; then a lead is shown it, to read and accept.
        if now.timestamp() - found.changed_at < HELLO_PATIENCE.total_seconds():
            return None
        return _keep_file_aside(
            conn, name, "unverified_station", digest, actor, detail=known.name
        ), False
    changes = inbox_ingest.take(conn, item, keys, actor)
    for ref in changes.concerns:
        stored = case_records.get_concern(conn, ref)
        station = stored.submitter.get("station") if stored is not None else None
        if isinstance(station, str):
            station_records.seen(conn, station, _now(), delivered=1)
            assert stored is not None
            changes |= _sealed_to_a_retired_key(conn, stored, station, item.inbox_key, actor)
    reason = _quarantine_reason(conn, changes) if changes.inbox_items else ""
    if reason == "deleted_at_review":
        # Kept aside as a record only: the file goes, as the deleted concern went.
        return changes, True
    if changes.inbox_items and envelope.station in keys.stations:
        station_records.seen(conn, envelope.station, _now(), error=reason)
    return changes, not changes.inbox_items


def _sealed_to_a_retired_key(
    conn: Connection,
    stored: case_records.StoredConcern,
    station: str,
    inbox_key: bytes,
    actor: str,
) -> Changes:
    """A station's concern recorded after the inbox key it was sealed to was replaced (a
    lead's account removed or suspended) may have been read by that person, who could have
    kept the old key: it is taken in (never lost), and the lead is told on Home and in the
    Stations list, and audited. The time is the station's own, from inside the seal (a
    file made by whoever kept the old key can give any time): so is one from a station
    invited only after the key was replaced, which could never have been given it."""
    retired = case_records.inbox_key_retired_at(conn, inbox_key)
    if retired is None:
        return Changes()
    row = station_records.get(conn, station)
    invited_since = row is not None and _after(row.invited_at, retired)
    if not invited_since and not _after(stored.submitted_at, retired):
        return Changes()
    station_records.seen(conn, station, _now(), error=OLD_INBOX_KEY)
    warned = _old_key_warnings(conn)
    warned.append({"station": station, "ref": stored.ref, "at": _now()})
    case_records.set_setting(conn, OLD_KEY_SETTING, warned[-OLD_KEY_MOST:])
    audit_log.append(
        conn, actor, "station_used_old_inbox_key", {"station": station, "ref": stored.ref}
    )
    return Changes.of(settings=[Setting.STATIONS])


def _after(when: str, since: str) -> bool:
    """``when`` is after ``since`` (ISO times to the second, one without a zone in UTC: a
    concern recorded in the very second the key was replaced is taken for one recorded
    before); True when either is not a time (say it rather than let it pass)."""
    try:
        one, other = datetime.fromisoformat(when), datetime.fromisoformat(since)
    except ValueError:
        return True
    one = one if one.tzinfo else one.replace(tzinfo=UTC)
    other = other if other.tzinfo else other.replace(tzinfo=UTC)
    return one > other


def _old_key_warnings(conn: Connection) -> list[dict[str, str]]:
    """The station concerns sealed to a replaced inbox key that a lead has not yet
    dismissed from Home: station id, reference, when it arrived."""
    value = case_records.get_setting(conn, OLD_KEY_SETTING, [])
    if not isinstance(value, list):
        return []
    return [
        {k: str(entry.get(k, "")) for k in ("station", "ref", "at")}
        for entry in value
        if isinstance(entry, dict)
    ]


def _keep_file_aside(
    conn: Connection, name: str, reason: str, digest: str, actor: str, detail: str = ""
) -> Changes:
    """A quarantine record for a file (by its name and SHA-256, never its content; the
    file itself goes to the drop folder's quarantine), once however often it is met."""
    if quarantine_records.is_kept(conn, ref=name[:64], file_sha256=digest):
        return Changes()  # its move to quarantine/ is tried again (a duplicate goes)
    return inbox_ingest.quarantine_file(
        conn,
        name=name,
        said_sent_at=_now(),
        reason=reason,
        data=b"",
        actor=actor,
        detail=detail,
        file_sha256=digest,
    )


def _stat_key(path: Path) -> str:
    """What stands for the hash of a file that cannot be read: its size and times."""
    try:
        info = path.stat(follow_symlinks=False)
    except OSError:
        return "unreadable"
    return f"unreadable:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"


def _quarantine_reason(conn: Connection, changes: Changes) -> str:
    for item_id in changes.inbox_items:
        item = quarantine_records.get(conn, item_id)
        if item is not None:
            return item.reason
    return ""


def _sealed_item(envelope: drop_folder.Envelope, name: str) -> SealedItem:
    ref = envelope.text("ref", 20)
    if drop_folder.ref_of(name) != ref:
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


def hello_mac(secret: bytes, station_id: str, public_key: bytes, name: str) -> str:
    """A station's hello: its key and name, MACed with the invitation's one-time secret."""
    message = _canonical({"station": station_id, "public_key": _b64(public_key), "name": name})
    return hmac.new(secret, _HELLO_PURPOSE + message, hashlib.sha256).hexdigest()


def _hello(
    conn: Connection, envelope: drop_folder.Envelope, name: str, actor: str, digest: str
) -> tuple[Changes, bool]:
    """A station joining: its key taken when the enrolment secret's MAC is right and it
    has no key yet; anything else kept aside (the file moved to quarantine) with why."""
    row = station_records.get(conn, envelope.station)
    public_key = envelope.blob("public_key")
    said_name = envelope.text("name", 200)

    def refuse(reason: str, detail: str) -> tuple[Changes, bool]:
        if row is not None:
            station_records.seen(conn, row.station_id, _now(), error=reason)
        return _keep_file_aside(conn, name, reason, digest, actor, detail), False

    if row is None:
        return refuse("unknown_station", envelope.station)
    expected = _hello_mac_or_none(row.enrolment_secret, row.station_id, public_key, said_name)
    if expected is None or not mac_matches(expected, envelope.fields.get("mac")):
        return refuse("unverified_station", row.name)
    if row.removed_at is not None:
        return refuse("removed_station", row.name)
    if row.public_key is not None:
        if hmac.compare_digest(row.public_key, public_key):
            return Changes(), True  # the same station saying hello again
        return refuse("station_joined_twice", row.name)
    at = _now()
    station_records.enrol(conn, row.station_id, public_key, at)
    station_records.seen(conn, row.station_id, at)
    audit_log.append(conn, actor, "station_joined", {"station": row.station_id, "name": row.name})
    return Changes.of(settings=[Setting.STATIONS]), True


def _hello_mac_or_none(secret: bytes, station_id: str, public_key: bytes, name: str) -> str | None:
    if len(public_key) != 32:
        return None
    return hello_mac(secret, station_id, public_key, name)


def heartbeat_mac(key: bytes, fields: dict[str, object]) -> str:
    """A station's heartbeat, MACed with the key only it and the lead's PC share."""
    shown = {k: (_b64(v) if isinstance(v, bytes) else v) for k, v in fields.items()}
    return hmac.new(key, _HEARTBEAT_PURPOSE + _canonical(shown), hashlib.sha256).hexdigest()


def _heartbeats(
    session: CaseSession, folder: Path, names: list[str], keys: inbox_ingest.Verifier
) -> Changes:
    """Read the heartbeats of joined stations (each in a savepoint of its own, a bug met
    on one never stopping the rest); those naming no station of ours are files like any
    other refused (kept aside once, moved); a removed station's are left unread."""
    conn = session.conn
    ours: list[tuple[str, str]] = []
    strangers: list[str] = []
    for name in names:
        station_id = name.removeprefix("heartbeat-").removesuffix(drop_folder.SUFFIX)
        known = keys.stations.get(station_id)
        if known is None:
            strangers.append(name)
        elif known.public_key is not None and not known.removed:
            ours.append((name, station_id))
    with case_records.transaction(conn):
        for name, station_id in ours:
            try:
                with case_records.savepoint(conn):
                    if not _heartbeat_file(conn, folder / name, station_id, keys):
                        station_records.seen(conn, station_id, _now(), error="heartbeat")
            except (DatabaseError, SafeguardError):
                raise
            except Exception:
                # Deliberately broad, as for concern files: logged, and the station's
                # last problem says its heartbeat was not believed.
                log.exception("a heartbeat could not be read; it was not believed")
                station_records.seen(conn, station_id, _now(), error="heartbeat")
    if strangers:
        return _work(session, folder, strangers, keys, set())
    return Changes()


def _heartbeat_file(
    conn: Connection, path: Path, station_id: str, keys: inbox_ingest.Verifier
) -> bool:
    """Take in a joined station's heartbeat; False when it is not one the station signed
    (every field is checked for its type and size before the MAC is computed over it)."""
    try:
        found = drop_folder.read(path, limit=MAX_HEARTBEAT_BYTES)
        if found is None:
            return True  # between the station's writes
        envelope = drop_folder.decode(found.data)
    except drop_folder.FileUnreadable as problem:
        return not problem.settled
    except drop_folder.DropFileRefused:
        return False
    known = keys.stations.get(station_id)
    if envelope.kind != "heartbeat" or envelope.station != station_id or known is None:
        return False
    if known.public_key is None:
        return True
    fields = envelope.fields
    waiting, at, oldest, recent = (
        fields.get("waiting"),
        fields.get("at"),
        fields.get("oldest_waiting"),
        fields.get("recent"),
    )
    if (
        not isinstance(waiting, int)
        or isinstance(waiting, bool)
        or not 0 <= waiting < 10**9
        or not isinstance(at, str)
        or len(at) > 40
        or not (oldest is None or (isinstance(oldest, str) and len(oldest) <= 40))
        or not _recent_ok(recent)
    ):
        return False
    try:
        inbox_key = envelope.blob("inbox_key")
        private = keys.inbox_keys.get(inbox_key)
        if private is None:
            return False
        key = sealing.sender_key(private, known.public_key)
    except (sealing.SealError, drop_folder.DropFileRefused):
        return False
    signed: dict[str, object] = {
        "station": station_id,
        "at": at,
        "waiting": waiting,
        "oldest_waiting": oldest,
        "recent": recent,
        "inbox_key": inbox_key,
    }
    if not mac_matches(heartbeat_mac(key, signed), fields.get("mac")):
        return False
    row = station_records.get(conn, station_id)
    if row is not None and row.heartbeat_at is not None and row.heartbeat_at >= at:
        return True  # read already, or an older one put back
    assert isinstance(recent, list)
    station_records.heartbeat(
        conn,
        station_id,
        at=at,
        waiting=waiting,
        oldest_waiting=oldest,
        recent=json.dumps(recent[-RECENT_MOST:]),
    )
    return True


def _recent_ok(recent: object) -> bool:
    """A heartbeat's references: at most :data:`RECENT_MOST` pairs of short strings."""
    return (
        isinstance(recent, list)
        and len(recent) <= RECENT_MOST
        and all(
            isinstance(entry, list)
            and len(entry) == 2
            and all(isinstance(part, str) and len(part) <= 40 for part in entry)
            for entry in recent
        )
    )


# Settings for the stations -------------------------------------------------------------


@dataclass(frozen=True)
class SettingsUpdate:
    organisation: Organisation
    issued_at: str
    # The stations that have joined, by id: the fingerprint of the key each joined with.
    joined: dict[str, str] = field(default_factory=dict)
    # The inbox key to seal to from now on (replaced when a lead's account is removed or
    # suspended); None in an update from a version that did not send it.
    inbox_public_key: bytes | None = None


def parse_settings_update(data: bytes, organisation_key: bytes) -> SettingsUpdate | None:
    """A settings update from the drop folder, when ``organisation_key`` (the one the
    station's invitation names) signed it; None for anything else (signed by another key,
    changed, not one, an inbox key that is not one)."""
    try:
        envelope = drop_folder.decode(data)
        body = envelope.fields.get("body")
        if envelope.kind != "settings" or not isinstance(body, dict):
            return None
        signature = envelope.blob("signature")
        if not vault_signing.verify(
            organisation_key, _SETTINGS_PURPOSE + _canonical(body), signature
        ):
            return None
        joined = body.get("joined", {})
        if not isinstance(joined, dict):
            return None
        inbox_key = None
        if "inbox_public_key" in body:
            inbox_key = base64.b64decode(str(body["inbox_public_key"]), validate=True)
            if len(inbox_key) != 32:
                return None
        return SettingsUpdate(
            _organisation_of(body["organisation"]),
            str(body["issued_at"]),
            {str(k): str(v) for k, v in joined.items()},
            inbox_key,
        )
    except (drop_folder.DropFileRefused, ValueError, KeyError, TypeError):
        return None
