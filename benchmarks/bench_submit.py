"""Submit time: sealing one concern to the inbox key and committing it durably.

Signs in once as a recorder (not timed), then times ``submit_concern`` for the
CLI.md example concern: JSON, X25519 sealed box, a receipt sealed to the
recorder's own key, and two SQLite commits with synchronous=FULL (fsync).
Issue 3's target: a median of at most 50 ms.

    uv run python benchmarks/bench_submit.py [--runs 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from timing import percentile

from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.organisation import OrgType, Role
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services import people
from safeguard_desktop.services.setup import SetupRequest, create_store

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[1] / "docs" / "concern.example.json").read_text("utf-8")
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-submit-") as tmp:
        result = create_store(
            Path(tmp) / "data",
            SetupRequest("Bench FC", OrgType.CLUB, "admin", "Bench Admin", "bench-password-1"),
            kdf=KdfParams(),
        )
        admin = result.store.login("admin", "bench-password-1")
        people.add_user(admin, "rec", "Bench Recorder", Role.RECORDER, "bench-recorder")  # type: ignore[arg-type]
        admin.lock()
        recorder = result.store.login("rec", "bench-recorder")
        concern = Concern.from_json(EXAMPLE, now=datetime.now())
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            recorder.submit_concern(concern)
            times.append((time.perf_counter() - started) * 1000)
        recorder.lock()
    print(f"{'measure':<28}{'min':>9}{'median':>9}{'p95':>9}{'max':>9}")
    print(
        f"{'submit one concern (ms)':<28}{min(times):>9.1f}{statistics.median(times):>9.1f}"
        f"{percentile(times, 0.95):>9.1f}{max(times):>9.1f}"
    )
    print(f"runs: {args.runs}; target: median <= 50 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
