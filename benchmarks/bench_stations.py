"""Recording stations: a station's submit, and the DSL's PC taking in 1,000 concern files.

A fresh store and a station set up from its invitation, sharing a drop folder on the same
disk (the case of a network share or a synced folder once the files have arrived).

* **station submit**: ``recording_station.record_on_station`` for the CLI.md example concern: JSON,
  the station's MAC, the X25519 sealed box, one file written and fsynced into the outbox,
  then copied (temporary name, fsync, rename) into the drop folder and the outbox copy
  deleted, and the heartbeat rewritten. Issue 16's target: a median of at most 100 ms.
* **ingest 1,000 files**: 1,000 concerns left in the drop folder by the station (made
  before timing), then one ``inbox.ingest`` on a signed-in lead's session: each file read,
  opened with the inbox key, its station MAC checked, stored in batches of 200 with their
  audit entries, and deleted after its batch commits. Issue 16's target: at most 3 s.
  Repeated ``--rounds`` times, each on a fresh copy of the store.

    uv run python benchmarks/bench_stations.py [--runs 50] [--rounds 3]

A benchmark, not a test: it prints numbers and never fails a build.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from timing import percentile

from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services import inbox, recording_station, stations
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.setup import SetupRequest, create_store
from safeguard_desktop.services.store import Store

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[1] / "docs" / "concern.example.json").read_text("utf-8")
)
ADMIN = ("admin", "bench-password-1")
FILES = 1_000


def _row(label: str, values: list[float], unit: str) -> str:
    return (
        f"{label:<34}{min(values):>9.1f}{statistics.median(values):>9.1f}"
        f"{percentile(values, 0.95):>9.1f}{max(values):>9.1f}  {unit}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="station submits to time")
    parser.add_argument("--rounds", type=int, default=3, help="ingests of 1,000 files")
    args = parser.parse_args()
    concern = Concern.from_json(EXAMPLE, now=datetime.now())
    with tempfile.TemporaryDirectory(prefix="bench-stations-") as tmp:
        root = Path(tmp)
        store = create_store(
            root / "dsl",
            SetupRequest("Bench FC", OrgType.CLUB, ADMIN[0], "Bench Admin", ADMIN[1]),
            kdf=KdfParams(),
        ).store
        drop = root / "drop"
        drop.mkdir()
        admin = store.login(*ADMIN)
        assert isinstance(admin, CaseSession)
        made = stations.invite_station(admin, "Bench laptop", drop)
        inbox.ingest(admin)
        admin.lock()
        station = recording_station.set_up_station(
            root / "station", stations.parse_invitation(made.data)
        )
        recording_station.deliver_waiting(station)  # its hello
        admin = Store.open(root / "dsl").login(*ADMIN)
        inbox.ingest(admin)  # the station's hello: it has joined
        admin.lock()

        submits = []
        for _ in range(args.runs):
            started = time.perf_counter()
            recording_station.record_on_station(station, "Bench Coach", "Coach", concern)
            submits.append((time.perf_counter() - started) * 1000)
        for path in drop.glob("C-*.sgdrop"):
            path.unlink()

        ingests = []
        for _ in range(args.rounds):
            copy = root / "dsl-copy"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(root / "dsl", copy)
            for _ in range(FILES):
                recording_station.record_on_station(station, "Bench Coach", "Coach", concern)
            session = Store.open(copy).login(*ADMIN)
            assert isinstance(session, CaseSession)
            # The copy's drop folder setting names the same folder.
            started = time.perf_counter()
            arrived = inbox.ingest(session)
            ingests.append(time.perf_counter() - started)
            session.lock()
            assert len(arrived.concerns) == FILES, len(arrived.concerns)
            assert not list(drop.glob("C-*.sgdrop"))
    print(f"{'measure':<34}{'min':>9}{'median':>9}{'p95':>9}{'max':>9}")
    print(_row("station submit, delivered", submits, "ms"))
    print(_row(f"ingest {FILES:,} files from the drop", ingests, "s"))
    print(
        f"runs: {args.runs} submits, {args.rounds} ingests; targets: submit median <= 100 ms, "
        "ingest <= 3 s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
