"""A PC set up as a recording station: its folder, recording on it, delivering what it sealed.

The lead's side (inviting, reading the drop folder, the Stations list) and the formats both
sides share are in services/stations.py, which says how the two fit together; this module
is what runs on the station itself.

The order of every step is chosen so that a killed process never loses a concern and
never leaves a station that cannot go on:

* **Setting up** writes the hello into the outbox first, then pins the settings in the
  credential store, then station.json: until station.json exists the folder is not a
  station, and setting it up again simply starts over.
* **Recording** seals the concern and writes it, fsynced, into the outbox before anything
  touches the drop folder (which may be a network share that hangs); only then is it
  delivered, after being sealed again (the file replaced) if the drop folder holds a
  settings update with a newer inbox key. Whatever delivery then meets, the concern is
  kept and the recorder is told it is waiting.
* **Delivering** copies a file into the drop folder (temporary name, fsync, rename),
  notes its reference among those delivered (for the heartbeat), and only then deletes
  the outbox copy: a crash in between delivers it twice, and the lead's PC takes it once.
* **A settings update** is pinned (old and new both accepted while it is written) before
  station.json changes, so a crash in between never locks the station out.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ..domain.accounts import new_reference
from ..domain.concern import Concern
from ..domain.errors import NotPermitted, SafeguardError, StoreExists, StoreTampered
from ..domain.organisation import Organisation
from ..domain.text import clean_name
from ..security import device_secret, sealing
from ..storage import drop_folder, station_file
from ..storage.atomic_file import clear_temporaries
from ..storage.case_database import CASES_NAME
from ..storage.sealed_inbox import INBOX_NAME
from ..storage.storage_errors import file_error
from ..storage.vault_file import VAULT_NAME
from .attachment_intake import ChosenFile
from .input_files import UnreadableFile, read_regular_file, shown_path
from .recording import Submitter, concern_payload, station_mac
from .stations import (
    MAX_INVITATION_BYTES,
    SETTINGS_CHANGED,
    Invitation,
    SettingsUpdate,
    heartbeat_mac,
    hello_mac,
    key_fingerprint,
    parse_invitation,
    parse_settings_update,
)

log = logging.getLogger(__name__)

# The OS credential store's note that pins what this station was set up with.
_PIN_NOTE = "station_settings"
# References delivered this recently go into the heartbeat, so the lead's PC can tell a
# file that never arrived (services/stations.py); at most this many.
RECENT_DAYS = 7
RECENT_MOST = 500
# A heartbeat saying nothing new is written again only this often: a synced folder keeps
# a version of every change, and most minutes nothing changes.
HEARTBEAT_REFRESH = timedelta(hours=1)


class StationFolder:
    """A recording station's data folder, opened: its invitation and settings checked."""

    def __init__(self, data_dir: Path, config: station_file.StationConfig) -> None:
        self.data_dir = data_dir
        self.config = config
        # What the last heartbeat this process wrote said, and when (None: none yet).
        self.last_heartbeat: tuple[str, datetime] | None = None
        self.invitation = parse_invitation(config.invitation, "This station's invitation")
        self.update: SettingsUpdate | None = None
        if config.settings_update is not None:
            self.update = parse_settings_update(
                config.settings_update, self.invitation.organisation_key
            )
            if self.update is None:
                raise StoreTampered(SETTINGS_CHANGED)

    @staticmethod
    def exists(data_dir: Path) -> bool:
        return station_file.is_station(data_dir)

    @classmethod
    def open(cls, data_dir: Path) -> StationFolder:
        """The station in ``data_dir``; StoreTampered when station.json is not what this
        PC's credential store says it was set up with (or last updated to)."""
        config = station_file.read_station(data_dir)
        # What a process killed mid-write left: sealed copies in the outbox, a list.
        drop_folder.clear_own_temporaries(data_dir / station_file.OUTBOX)
        clear_temporaries(data_dir / station_file.DELIVERED_NAME)
        pinned = device_secret.read_note(_pin_namespace(data_dir), _PIN_NOTE)
        if pinned is not None and _pin_value(config) not in pinned.split(","):
            log.warning("station.json differs from what this PC pinned; nothing can be recorded")
            raise StoreTampered(SETTINGS_CHANGED)
        return cls(data_dir, config)

    @property
    def organisation(self) -> Organisation:
        """The organisation as its newest signed settings give it (the invitation's, until
        the lead changes something)."""
        return self.update.organisation if self.update else self.invitation.organisation

    @property
    def inbox_public_key(self) -> bytes:
        """The inbox key concerns are sealed to: the newest the organisation signed (a
        settings update carries a new one when a lead's account is removed or suspended,
        so the removed person's copy of the old key opens nothing recorded here after),
        the invitation's until then."""
        if self.update is not None and self.update.inbox_public_key is not None:
            return self.update.inbox_public_key
        return self.invitation.inbox_public_key

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

    def private_key(self) -> X25519PrivateKey:
        return X25519PrivateKey.from_private_bytes(self.config.private_key)

    def waiting(self) -> list[Path]:
        """The files in the outbox not yet delivered: the hello first (the lead's PC must
        know the station's key before its concerns), then the concerns in order."""
        try:
            with os.scandir(self.outbox) as entries:
                names = [e.name for e in entries if drop_folder.our_file(e.name)]
        except FileNotFoundError:
            return []
        names.sort(key=lambda name: (drop_folder.ref_of(name) is not None, name))
        return [self.outbox / n for n in names]

    def waiting_concerns(self) -> list[Path]:
        return [p for p in self.waiting() if drop_folder.ref_of(p.name)]


# The pin in the credential store -------------------------------------------------------


def _pin_namespace(data_dir: Path) -> str:
    """The credential store's name for the station in this folder: by the folder, not by
    anything in station.json, which whoever replaces the file would choose."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:24]
    return f"station-{digest}"


def _pin_value(config: station_file.StationConfig) -> str:
    digest = hashlib.sha256(config.invitation)
    digest.update(b"\x00" + (config.settings_update or b""))
    return digest.hexdigest()


def _pin(data_dir: Path, *values: str) -> bool:
    """Pin ``values`` (any of them accepted at the next opening); False with no store."""
    return device_secret.write_note(_pin_namespace(data_dir), _PIN_NOTE, ",".join(values))


# Setting up ---------------------------------------------------------------------------


def set_up_station(
    data_dir: Path, invitation: Invitation, *, drop: Path | None = None
) -> StationFolder:
    """Make ``data_dir`` a recording station from a checked invitation.

    Refused where a store or another station already is. ``drop`` overrides the drop
    folder the invitation names (this PC reaches it by another path). The station's hello
    goes into its outbox first; :func:`deliver_waiting` (which the caller runs, on the
    worker in the app) takes it to the drop folder.
    """
    for name in (VAULT_NAME, CASES_NAME, INBOX_NAME, station_file.STATION_NAME):
        if (data_dir / name).exists():
            raise StoreExists(
                f"The folder {shown_path(data_dir)} already holds Safeguard Desktop's records or "
                "a recording station; choose an empty folder for this station."
            )
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    outbox = data_dir / station_file.OUTBOX
    outbox.mkdir(mode=0o700, exist_ok=True)
    private, public = sealing.new_keypair()
    config = station_file.StationConfig(
        invitation=invitation.raw,
        private_key=sealing.private_bytes(private),
        drop_folder=str(drop) if drop is not None else invitation.drop_folder,
        set_up_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    drop_folder.write(
        outbox,
        drop_folder.file_name("hello", station=invitation.station_id),
        _hello_bytes(invitation, public),
    )
    if not _pin(data_dir, _pin_value(config)):
        log.info("no credential store: this station's settings are not pinned outside its folder")
        device_secret.delete_notes(_pin_namespace(data_dir), (_PIN_NOTE,))
    station_file.write_station(data_dir, config)
    return StationFolder(data_dir, config)


def _hello_bytes(invitation: Invitation, public: bytes) -> bytes:
    mac = hello_mac(
        invitation.enrolment_secret, invitation.station_id, public, invitation.station_name
    )
    return drop_folder.encode(
        "hello", invitation.station_id, public_key=public, name=invitation.station_name, mac=mac
    )


def _say_hello_until_joined(station: StationFolder) -> None:
    """Until the lead's signed settings say this station joined with its key, put the
    hello back in the outbox whenever it is in neither place: a hello a sync engine lost
    would otherwise leave the station's concerns waiting for ever."""
    public = sealing.public_bytes(station.private_key().public_key())
    joined = station.update.joined if station.update is not None else {}
    if joined.get(station.station_id) == key_fingerprint(public):
        return
    name = drop_folder.file_name("hello", station=station.station_id)
    if (station.outbox / name).exists() or (station.drop_folder / name).exists():
        return
    drop_folder.write(station.outbox, name, _hello_bytes(station.invitation, public))


# Settings from the lead ---------------------------------------------------------------


def take_settings_update(station: StationFolder) -> str | None:
    """Take a newer signed settings update from the drop folder, if one is there; a
    sentence when the one there was not signed by the organisation (it is ignored)."""
    path = station.drop_folder / drop_folder.SETTINGS_NAME
    try:
        data = read_regular_file(path, MAX_INVITATION_BYTES)
    except UnreadableFile:
        return None  # none yet, or the folder is away: the next attempt reads it
    update = parse_settings_update(data, station.invitation.organisation_key)
    if update is None:
        log.warning("a settings file in the drop folder was not signed by the organisation")
        organisation = station.invitation.organisation.name
        return (
            f"A settings file in the shared folder was not signed by {organisation}, so it "
            "was ignored and this station keeps the contacts it had. Tell your safeguarding "
            "lead."
        )
    current = station.update.issued_at if station.update else station.invitation.issued_at
    if update.issued_at <= current or data == station.config.settings_update:
        return None  # this one, or an older one put back: nothing to take
    config = replace(station.config, settings_update=data)
    old, new = _pin_value(station.config), _pin_value(config)
    # Both values pinned before the file changes, so a crash in between opens either way.
    # A credential store that refuses just now is tried again at the next delivery; only
    # a PC with none takes the update unpinned.
    pinned = _pin(station.data_dir, new, old)
    if not pinned and device_secret.probe().usable:
        log.info("the credential store did not take the new settings; kept the old ones")
        return None
    station_file.write_station(station.data_dir, config)
    if pinned:
        _pin(station.data_dir, new)
    station.config, station.update = config, update
    return None


# Delivering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery attempt did: files delivered, concerns still waiting, and when the
    drop folder could not be reached or written, one sentence saying so (None when all
    went); ``settings_problem`` when a settings file there was not the organisation's."""

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
    if not folder.is_dir():
        return DeliveryReport(
            0, len(station.waiting_concerns()), _unreachable(folder), reachable=False
        )
    settings_problem = take_settings_update(station)
    try:
        _say_hello_until_joined(station)
    except OSError as error:
        log.info("the station's hello was not put back: %s", type(error).__name__)
    delivered = 0
    problem = None
    reachable = True
    for path in station.waiting():
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
        ref = drop_folder.ref_of(path.name)
        if ref is not None:
            _note_delivered(station, ref)
        drop_folder.remove(path)
        delivered += 1
    left = station.waiting_concerns()
    if reachable:
        try:
            _write_heartbeat(station, left)
        except OSError as error:
            log.info("the station's heartbeat was not written: %s", type(error).__name__)
    return DeliveryReport(delivered, len(left), problem, settings_problem, reachable)


def _note_delivered(station: StationFolder, ref: str) -> None:
    """Add ``ref`` to the references delivered lately (for the heartbeat); a failure to
    note it costs only the lead's PC a chance to say it is late."""
    now = datetime.now(UTC)
    kept = [
        (r, at)
        for r, at in station_file.read_delivered(station.data_dir)
        if r != ref and at >= (now - timedelta(days=RECENT_DAYS)).isoformat()
    ]
    kept.append((ref, now.isoformat(timespec="seconds")))
    try:
        station_file.write_delivered(station.data_dir, kept[-RECENT_MOST:])
    except OSError as error:
        log.info("the delivered references were not noted: %s", type(error).__name__)


def _write_heartbeat(station: StationFolder, waiting: list[Path]) -> None:
    """Counts and references only: how many concerns wait here and since when, and which
    were delivered lately; never anything they hold."""
    oldest = None
    if waiting:
        first = min(p.stat().st_mtime for p in waiting)
        oldest = datetime.fromtimestamp(first, UTC).isoformat(timespec="seconds")
    inbox_key = station.inbox_public_key
    now = datetime.now(UTC)
    since = (now - timedelta(days=RECENT_DAYS)).isoformat()
    recent = [
        [ref, at] for ref, at in station_file.read_delivered(station.data_dir) if at >= since
    ][-RECENT_MOST:]
    says = json.dumps([len(waiting), oldest, recent])
    last = station.last_heartbeat
    if last is not None and last[0] == says and now - last[1] < HEARTBEAT_REFRESH:
        return  # nothing new to say
    fields: dict[str, object] = {
        "station": station.station_id,
        "at": now.isoformat(timespec="seconds"),
        "waiting": len(waiting),
        "oldest_waiting": oldest,
        "recent": recent,
        "inbox_key": inbox_key,
    }
    key = sealing.sender_key(station.private_key(), inbox_key)
    data = drop_folder.encode(
        "heartbeat",
        station.station_id,
        at=fields["at"],
        waiting=len(waiting),
        oldest_waiting=oldest,
        recent=recent,
        inbox_key=inbox_key,
        mac=heartbeat_mac(key, fields),
    )
    drop_folder.write(
        station.drop_folder, drop_folder.file_name("heartbeat", station=station.station_id), data
    )
    station.last_heartbeat = (says, now)


# Recording ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StationDelivery:
    """A concern recorded on a station: its reference, and whether it has reached the
    drop folder yet (if not, ``problem`` says why, and it waits safely on this PC)."""

    ref: str
    delivered: bool
    problem: str | None


def record_on_station(
    station: StationFolder,
    name: str,
    role: str,
    concern: Concern,
    attachments: Sequence[ChosenFile] = (),
) -> StationDelivery:
    """Seal ``concern`` to the inbox key, keep it durably in the outbox, then deliver it.

    The recorder names themselves as a guest would; the station's MAC is what vouches
    for it on the lead's PC. Nothing readable stays on this PC. Once this returns the
    concern is kept, delivered or not. When the drop folder holds a newer signed inbox
    key than the one it was sealed to (a lead removed meanwhile), it is sealed again to
    that key before it leaves: the removed person's copy of the old key must not open it.
    """
    submitter = Submitter(
        name=clean_name(name, "your name"), role=clean_name(role, "your role"), username=None
    )
    submitted_at = datetime.now(UTC).isoformat(timespec="seconds")
    payload = concern_payload(concern, submitter, submitted_at, attachments)
    station.outbox.mkdir(mode=0o700, exist_ok=True)
    for _ in range(8):
        # 40 random bits: a clash with a reference the lead's PC already has is kept
        # aside there as a duplicate, never lost; the outbox is all this checks.
        ref = new_reference("C")
        target = station.outbox / drop_folder.file_name("concern", ref=ref)
        if target.exists():
            continue
        sealed_to = station.inbox_public_key
        _keep_in_outbox(station, target, _sealed_concern(station, payload, ref, submitted_at))
        # Kept now, whatever follows. Only then is the drop folder touched (it may be a
        # network share that hangs): a newer inbox key there is taken before delivery.
        if _newer_settings_taken(station) and station.inbox_public_key != sealed_to:
            sealed = _sealed_concern(station, payload, ref, submitted_at)
            try:
                _keep_in_outbox(station, target, sealed)
            except (OSError, SafeguardError) as error:
                # The copy sealed to the old key is kept: a concern is never lost for
                # this, and the lead's PC says it came locked with the old key.
                log.info("the concern was not sealed again: %s", type(error).__name__)
        return StationDelivery(ref, *_deliver_after_saving(station, target))
    raise RuntimeError("no free reference after 8 tries")  # 2^40 space: a bug, not bad luck


def _sealed_concern(
    station: StationFolder, payload: dict[str, object], ref: str, submitted_at: str
) -> bytes:
    """The concern's file: sealed to the station's current inbox key, MACed with it."""
    inbox_key = station.inbox_public_key
    key = sealing.sender_key(station.private_key(), inbox_key)
    body: dict[str, object] = {**payload, "ref": ref}
    body["sender"] = {
        "station": station.station_id,
        "mac": station_mac(key, body, station.station_id),
    }
    plaintext = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
    sealed = sealing.seal(plaintext, inbox_key, aad=f"concern:{ref}".encode())
    return drop_folder.encode(
        "concern",
        station.station_id,
        ref=ref,
        submitted_at=submitted_at,
        inbox_key=inbox_key,
        sealed=sealed,
    )


def _keep_in_outbox(station: StationFolder, target: Path, data: bytes) -> None:
    """Write (or replace) a concern's file in the outbox, durably; one sentence if not."""
    try:
        drop_folder.write(station.outbox, target.name, data)
    except OSError as error:
        told = file_error(
            error, target, "this station's outbox", outcome="the concern was not saved"
        )
        if told is None:
            raise
        raise told from None


def _newer_settings_taken(station: StationFolder) -> bool:
    """Take a newer signed settings update from the drop folder now, if it can be read;
    False when none was taken (the folder away, nothing newer, a problem: delivery, which
    follows, tries again and says so)."""
    before = station.update
    try:
        if station.drop_folder.is_dir():
            take_settings_update(station)
    except (OSError, SafeguardError) as error:
        log.info("the settings were not read before delivery: %s", type(error).__name__)
        return False
    return station.update is not before


def _deliver_after_saving(station: StationFolder, target: Path) -> tuple[bool, str | None]:
    """Deliver now; the concern is already kept, so whatever this meets it is "waiting"."""
    try:
        report = deliver_waiting(station)
    except (OSError, SafeguardError) as error:
        log.info("delivery after recording failed: %s", type(error).__name__)
        return False, _unreachable(station.drop_folder)
    if target.exists():
        return False, report.problem or _unreachable(station.drop_folder)
    return True, None


def check_station_may_record(station: StationFolder) -> None:
    """Raise (one sentence) unless this station can record now: its invitation still
    checks out. Recording never needs the drop folder to be reachable."""
    if len(station.inbox_public_key) != 32:
        raise NotPermitted("This station's invitation holds no inbox key; set it up again.")
