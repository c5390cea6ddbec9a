"""station.json: what a recording station keeps in its data folder.

A station's data folder holds this file, an ``outbox`` folder of sealed files waiting
to be delivered and ``delivered.json`` (the references it delivered lately, with when, for
its heartbeat), nothing else: no vault, no case database, no key that opens a record.
The file keeps the invitation exactly as the DSL's PC signed it (read again and checked at
every start), the station's own X25519 private key (it signs what the station sends, so
the DSL's PC can tell this station's files from anyone else's; it opens nothing), the
drop folder as this PC reaches it, and the newest signed settings update taken in.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import StoreDamaged
from .atomic_file import clear_temporaries, write_atomically

STATION_NAME = "station.json"
OUTBOX = "outbox"
# The references of the concerns delivered lately, with when: what the heartbeat lists.
DELIVERED_NAME = "delivered.json"
FORMAT = "safeguard-desktop-station"
VERSION = 1
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class StationConfig:
    invitation: bytes  # the invitation file's bytes, as signed
    private_key: bytes  # raw X25519
    drop_folder: str
    set_up_at: str
    settings_update: bytes | None = None  # the newest signed update taken in, as signed


def is_station(data_dir: Path) -> bool:
    return (data_dir / STATION_NAME).is_file()


def _damaged(path: Path) -> StoreDamaged:
    return StoreDamaged(
        f"The station file {path} is damaged, so this PC cannot record as a station. It has "
        "not been changed. Ask your safeguarding lead for a new invitation and set this PC "
        "up again in an empty folder.",
        path=str(path),
    )


def read_station(data_dir: Path) -> StationConfig:
    path = data_dir / STATION_NAME
    clear_temporaries(path)
    with path.open("rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    try:
        if len(raw) > MAX_BYTES:
            raise ValueError("too big")
        body = json.loads(raw.decode("utf-8"))
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise ValueError("not a station file")
        if body.get("version") != VERSION:
            raise ValueError("another version")
        update = body.get("settings_update")
        return StationConfig(
            invitation=base64.b64decode(str(body["invitation"]), validate=True),
            private_key=base64.b64decode(str(body["private_key"]), validate=True),
            drop_folder=str(body["drop_folder"]),
            set_up_at=str(body["set_up_at"]),
            settings_update=None
            if update is None
            else base64.b64decode(str(update), validate=True),
        )
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        raise _damaged(path) from None


def write_station(data_dir: Path, config: StationConfig) -> None:
    body = {
        "format": FORMAT,
        "version": VERSION,
        "invitation": base64.b64encode(config.invitation).decode("ascii"),
        "private_key": base64.b64encode(config.private_key).decode("ascii"),
        "drop_folder": config.drop_folder,
        "set_up_at": config.set_up_at,
        "settings_update": None
        if config.settings_update is None
        else base64.b64encode(config.settings_update).decode("ascii"),
    }
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    write_atomically(data_dir / STATION_NAME, data)


def read_delivered(data_dir: Path) -> list[tuple[str, str]]:
    """The references delivered lately and when (oldest first); [] when none or unreadable
    (it only helps the lead's PC notice a file that never arrived)."""
    try:
        with (data_dir / DELIVERED_NAME).open("rb") as handle:
            entries = json.loads(handle.read(MAX_BYTES).decode("utf-8"))
        return [(str(ref), str(at)) for ref, at in entries]
    except (OSError, UnicodeDecodeError, ValueError, TypeError, RecursionError):
        return []


def write_delivered(data_dir: Path, entries: list[tuple[str, str]]) -> None:
    data = json.dumps([list(e) for e in entries], separators=(",", ":")).encode("utf-8")
    write_atomically(data_dir / DELIVERED_NAME, data)
