"""Frozen builds: single-file size, selftest time on it, --version time on the folder build.

Issue 6's targets: the Linux single file at most 80 MB; ``selftest`` on the single
file at most 2.0 s wall time (median of 5; it unpacks itself on every start);
``--version`` on the folder build at most 0.3 s (median of 10). A benchmark, not a
test: it prints a table and never fails a build.

    uv run python installer/build.py --all      # first, or pass --build
    uv run python benchmarks/bench_frozen.py [--build] [--selftest-runs 5] [--version-runs 10]

Each run is a fresh process with the offscreen Qt platform, an empty data folder,
its own log folder and no D-Bus session (so no credential store is probed over
the bus: the keyring check answers at once, as on a PC without one).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = "safeguard-desktop.exe" if sys.platform == "win32" else "safeguard-desktop"
ONEFILE = ROOT / "dist" / EXE
FOLDER_EXE = ROOT / "dist" / "safeguard-desktop-folder" / EXE

SIZE_TARGET_MB = 80.0
SELFTEST_TARGET_S = 2.0
VERSION_TARGET_S = 0.3


def _env(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SAFEGUARD_DATA_DIR=str(scratch / "data"),
        SAFEGUARD_LOG_DIR=str(scratch / "logs"),
    )
    return env


def _timed(argv: list[str], env: dict[str, str], runs: int, check_json: bool) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{argv[1:]} failed ({done.returncode}):\n{done.stderr}")
        if check_json and not json.loads(done.stdout)["ok"]:
            raise SystemExit(f"selftest reported a failure:\n{done.stdout}")
        timings.append(elapsed)
    return timings


def _row(name: str, value: float, unit: str, target: float, detail: str) -> str:
    verdict = "ok" if value <= target else "OVER"
    return f"| {name:<37} | {value:8.2f} {unit:<2} | <= {target:<5g} | {verdict:<4} | {detail} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="run installer/build.py --all first")
    parser.add_argument("--selftest-runs", type=int, default=5)
    parser.add_argument("--version-runs", type=int, default=10)
    args = parser.parse_args()

    if args.build:
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--all"], check=True)
        print(f"build: {time.perf_counter() - started:.0f} s")
    for path in (ONEFILE, FOLDER_EXE):
        if not path.is_file():
            raise SystemExit(f"{path} is missing: run installer/build.py --all (or pass --build)")

    with tempfile.TemporaryDirectory(prefix="safeguard-bench-frozen-") as folder:
        env = _env(Path(folder))
        # One untimed start each, so the first timed run is not the one that
        # pulls the files into the page cache.
        _timed([str(ONEFILE), "--version"], env, 1, check_json=False)
        _timed([str(FOLDER_EXE), "--version"], env, 1, check_json=False)
        selftest = _timed([str(ONEFILE), "selftest"], env, args.selftest_runs, check_json=True)
        version = _timed([str(FOLDER_EXE), "--version"], env, args.version_runs, check_json=False)

    size_mb = ONEFILE.stat().st_size / 1_000_000
    folder_mb = (
        sum(
            p.stat().st_size
            for p in FOLDER_EXE.parent.rglob("*")
            if p.is_file() and not p.is_symlink()  # PyInstaller links libraries within the folder
        )
        / 1_000_000
    )
    header = f"| {'measure':<37} | {'value':>11} | {'target':<8} | {'':<4} | detail |"
    print(header)
    print("|" + "|".join("-" * (len(cell) + 0) for cell in header.split("|")[1:-1]) + "|")
    print(
        _row("single-file size", size_mb, "MB", SIZE_TARGET_MB, f"folder build {folder_mb:.0f} MB")
    )
    print(
        _row(
            f"selftest, single file (median of {len(selftest)})",
            statistics.median(selftest),
            "s",
            SELFTEST_TARGET_S,
            f"min {min(selftest):.2f}, max {max(selftest):.2f}",
        )
    )
    print(
        _row(
            f"--version, folder (median of {len(version)})",
            statistics.median(version),
            "s",
            VERSION_TARGET_S,
            f"min {min(version):.3f}, max {max(version):.3f}",
        )
    )
    print(f"\n{sys.platform}, {os.cpu_count()} CPUs, load average {_load()}")
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):  # Windows has no load average
        return "n/a"


if __name__ == "__main__":
    raise SystemExit(main())
