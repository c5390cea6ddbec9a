"""A drop folder carried by two real Syncthing instances on loopback, as a club's laptops use it.

The station writes into one folder, Syncthing (Debian's ``syncthing`` package) copies it
to a second, and the DSL's PC reads the second every half second while the copying goes
on: whatever Syncthing leaves half-way (its ``.syncthing.*.tmp`` files) and a conflict
copy it brings over are skipped, and every concern arrives exactly once. Both instances
listen on 127.0.0.1 only, with discovery, relays, NAT and usage reports off; the test
stops them itself and is bounded in time.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest

from safeguard_desktop.services import casework, inbox, recording_station, stations
from station_setup import concern, invite, lead

pytestmark = pytest.mark.slow

FOLDER_ID = "sg-drop"
CONCERNS = 10
TIMEOUT = 120.0  # seconds for everything to arrive, however busy the machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Instance:
    home: Path
    folder: Path
    device_id: str
    port: int
    process: subprocess.Popen[bytes] | None = None
    log: BinaryIO | None = None


def _generate(home: Path, folder: Path) -> Instance:
    done = subprocess.run(
        ["syncthing", "generate", f"--home={home}", "--no-default-folder"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    line = next(x for x in (done.stdout + done.stderr).splitlines() if "Device ID:" in x)
    folder.mkdir(parents=True)
    (folder / ".stfolder").mkdir()  # Syncthing's marker that the folder is really there
    return Instance(home, folder, line.split("Device ID:", 1)[1].strip(), _free_port())


def _configure(me: Instance, other: Instance) -> None:
    path = me.home / "config.xml"
    tree = ET.parse(path)  # noqa: S314 - the config syncthing generate just wrote
    root = tree.getroot()
    options = root.find("options")
    assert options is not None
    settings = {
        "listenAddress": f"tcp://127.0.0.1:{me.port}",
        "globalAnnounceEnabled": "false",
        "localAnnounceEnabled": "false",
        "relaysEnabled": "false",
        "natEnabled": "false",
        "urAccepted": "-1",
        "startBrowser": "false",
        "crashReportingEnabled": "false",
        "autoUpgradeIntervalH": "0",
    }
    for name, value in settings.items():
        element = options.find(name)
        if element is None:
            element = ET.SubElement(options, name)
        element.text = value
    gui = root.find("gui")
    assert gui is not None
    address = gui.find("address")
    assert address is not None
    address.text = f"127.0.0.1:{_free_port()}"
    peer = ET.SubElement(root, "device", id=other.device_id, name="peer", compression="metadata")
    ET.SubElement(peer, "address").text = f"tcp://127.0.0.1:{other.port}"
    folder = ET.SubElement(
        root,
        "folder",
        id=FOLDER_ID,
        label="drop",
        path=str(me.folder),
        type="sendreceive",
        rescanIntervalS="2",
        fsWatcherEnabled="true",
        fsWatcherDelayS="1",
        ignorePerms="true",
        autoNormalize="true",
    )
    ET.SubElement(folder, "filesystemType").text = "basic"
    ET.SubElement(folder, "device", id=me.device_id)
    ET.SubElement(folder, "device", id=other.device_id)
    ET.SubElement(folder, "minDiskFree", unit="%").text = "0"
    tree.write(path)


@pytest.fixture
def synced(tmp_path: Path) -> Iterator[tuple[Instance, Instance]]:
    if shutil.which("syncthing") is None:
        pytest.fail("this test needs Debian's syncthing package (.ci/run installs it)")
    a = _generate(tmp_path / "st-a", tmp_path / "drop-station")
    b = _generate(tmp_path / "st-b", tmp_path / "drop-lead")
    _configure(a, b)
    _configure(b, a)
    env = {"STNOUPGRADE": "1", "STNORESTART": "1", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    try:
        for instance in (a, b):
            instance.log = (instance.home / "run.log").open("wb")
            instance.process = subprocess.Popen(
                ["syncthing", "serve", f"--home={instance.home}", "--no-browser", "--no-restart"],
                stdout=instance.log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        yield a, b
    finally:
        for instance in (a, b):
            if instance.process is not None:
                instance.process.terminate()
        for instance in (a, b):
            if instance.process is not None:
                try:
                    instance.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    instance.process.kill()
                    instance.process.wait(timeout=15)
            if instance.log is not None:
                instance.log.close()


def test_every_concern_arrives_once_through_syncthing(store_dir, tmp_path, synced) -> None:
    station_side, lead_side = synced
    made = invite(store_dir.data_dir, store_dir.admin, lead_side.folder)
    station = recording_station.set_up_station(
        tmp_path / "station", stations.parse_invitation(made.data), drop=station_side.folder
    )
    recorded = {
        recording_station.record_on_station(
            station, "Sam Coach", "Coach", concern(f"Visit {n}.")
        ).ref
        for n in range(CONCERNS)
    }
    # A conflict copy, as Syncthing names one, synced over with the rest.
    first = sorted(recorded)[0]
    conflict = f"{first}.sync-conflict-20261207-101010-ABCDEFG.sgdrop"
    shutil.copy2(station_side.folder / f"{first}.sgdrop", station_side.folder / conflict)

    session = lead(store_dir.data_dir, store_dir.admin)
    arrived: list[str] = []
    seen_partial = False
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            names = {p.name for p in lead_side.folder.iterdir()}
            seen_partial = seen_partial or any(n.startswith(".syncthing.") for n in names)
            changes = inbox.ingest(session)
            arrived.extend(changes.concerns)
            assert not changes.inbox_items, inbox.quarantined(session)
            if set(arrived) == recorded and conflict in names:
                break
            time.sleep(0.5)
        assert sorted(arrived) == sorted(recorded)  # each once
        assert casework.count(session, casework.SearchFilters()) == CONCERNS
        assert inbox.quarantined(session) == []
        [info] = stations.station_list(session)
        assert (info.status, info.delivered) == ("working", CONCERNS)
    finally:
        session.lock()
    # The conflict copy was left alone, never taken for a concern or called damage.
    assert (lead_side.folder / conflict).exists()
    print(f"Syncthing's partial files seen while reading: {seen_partial}")
