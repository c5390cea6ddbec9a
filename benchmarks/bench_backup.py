"""Backup and restore of the big store, where their time goes, and whether the GUI stalls.

Uses the store casework_store.py generates once (100,000 concerns over 20,000 children,
about 450 MB; cached under benchmarks/.cache/ or the folder given), copied to a
throwaway folder first (a backup writes to the audit log; the cache is never touched):

* backup: ``backup.make_backup`` into a folder, including the read-back check
  (decrypt from disk, every page, integrity, the audit chain to its head, the counts).
  Issue 12's target: median at most 15 s.
* restore: ``backup.restore_backup`` into an empty folder (recovery key, the same
  checks, a new administrator slot). Target: median at most 15 s.
* gui: each of them once more through the app's real worker (ui/worker.py), with its
  progress carried by ProgressRelay to a QProgressBar, while a 5 ms QTimer ticks on the
  GUI thread (offscreen platform): the longest gap between ticks is the longest the
  window would freeze. Target: at most 100 ms.
* steps: every part of a backup and its check timed alone, on the same files, with a
  plain copy and a SHA-256 of cases.db for the disk's own speed.

The generated store does not keep its recovery key (casework_store.py predates
backups), so the throwaway copy gets a recovery slot of its own, made with the same
``key_slots.create_slot`` call first-time setup uses; the restored store opens with it.
No credential store is used (the benchmark store was made without one), so nothing is
left in this PC's keyring.

A benchmark, not a test: it prints numbers and never fails a build.

    uv run python benchmarks/bench_backup.py [FOLDER] [--rounds 3] [--only backup,restore,gui,steps]
    uv run python benchmarks/bench_backup.py --out /media/usb-stick   # back up to a real stick
"""

from __future__ import annotations

import os

# Before anything imports keyring: no credential store (see above).
os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import hashlib
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

sys.path.insert(0, str(Path(__file__).resolve().parent))

from casework_store import DEFAULT_FOLDER, ensure_store, folder_size
from timing import percentile

from safeguard_desktop.security import key_slots, recovery_key
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services import backup
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import audit_log, snapshot
from safeguard_desktop.storage.backup_file import read_header, read_sections, write_backup
from safeguard_desktop.storage.case_database import CASES_NAME, connect_keyed
from safeguard_desktop.storage.sealed_inbox import INBOX_NAME

BACKUP_TARGET_S = 15.0
RESTORE_TARGET_S = 15.0
STALL_TARGET_MS = 100.0
TICK_MS = 5
NEW_ADMIN_PASSWORD = "restored-admin-password-1"
WIDTH = 46


def _row(label: str, values: list[float], unit: str = "s") -> str:
    digits = 2 if unit == "s" else 1
    median, p95, top = statistics.median(values), percentile(values, 0.95), max(values)
    return (
        f"{label:<{WIDTH}}{len(values):>6}{median:>9.{digits}f}{p95:>9.{digits}f}"
        f"{top:>9.{digits}f}  {unit}"
    )


def _header(title: str) -> str:
    return f"\n{title}\n{'':<{WIDTH}}{'runs':>6}{'median':>9}{'p95':>9}{'max':>9}"


def _verdict(median: float, target: float, unit: str = "s") -> str:
    met = "met" if median <= target else "MISSED"
    return f"target: median at most {target:g} {unit}: {met}"


class Phases:
    """A progress callback that times each phase a service names (by its sentence)."""

    def __init__(self, names: dict[str, str]) -> None:
        self._names = names  # sentence prefix -> phase name
        self.times: dict[str, float] = {}
        self._current: str | None = None
        self._since = time.perf_counter()

    def __call__(self, _percent: int, text: str) -> None:
        name = next((n for prefix, n in self._names.items() if text.startswith(prefix)), None)
        if name is None or name == self._current:
            return
        self._close()
        self._current = name

    def _close(self) -> None:
        now = time.perf_counter()
        if self._current is not None:
            self.times[self._current] = self.times.get(self._current, 0.0) + now - self._since
        self._since = now

    def finish(self) -> dict[str, float]:
        self._close()
        self._current = None
        return self.times


BACKUP_PHASES = {
    "Taking a copy": "copy of the records (VACUUM INTO)",
    "Writing the backup": "encrypt, write, fsync",
    "Checking the backup just": "read back: decrypt from disk",
    "Checking the backup…": "read back: decrypt from disk",
    "Checking every page": "check the copy; audit entry",
}
RESTORE_PHASES = {
    "Opening the backup": "open the recovery slot (Argon2id)",
    "Checking the backup": "decrypt from disk",
    "Checking every page": "check the copy",
    "Setting up the records": "set up: open again, new slot, vault",
}


def _sign_in(data_dir: Path, admin: tuple[str, str]) -> CaseSession:
    session = Store.open(data_dir).login(*admin)
    assert isinstance(session, CaseSession)
    return session


def _own_recovery_slot(session: CaseSession) -> str:
    """Give the throwaway copy a recovery slot whose key this benchmark knows."""
    code = recovery_key.generate()
    made = key_slots.create_slot(
        kind="recovery",
        user_id=None,
        secret=recovery_key.secret_bytes(code),
        kdf=KdfParams(),
        device_secret=None,
        db_key=session.backup_key_material(),
        vault_key=session.vault_public_key(),
    )
    vault = session.store.vault
    slots = tuple(made.slot if s.kind == "recovery" else s for s in vault.slots)
    session.store.vault = replace(vault, slots=slots)
    return code


# Backup and restore -----------------------------------------------------------------------


def bench_backup(
    session: CaseSession, out: Path, rounds: int
) -> tuple[list[float], dict[str, list[float]], Path]:
    wall: list[float] = []
    phases: dict[str, list[float]] = {}
    kept: Path | None = None
    for n in range(rounds):
        timer = Phases(BACKUP_PHASES)
        started = time.perf_counter()
        report = backup.make_backup(session, out, progress=timer)
        wall.append(time.perf_counter() - started)
        for name, seconds in timer.finish().items():
            phases.setdefault(name, []).append(seconds)
        print(
            f"  backup {n + 1}: {wall[-1]:.2f} s, {report.size / 1e6:.0f} MB",
            file=sys.stderr,
        )
        if kept is not None:
            kept.unlink()
        kept = report.path
    assert kept is not None
    return wall, phases, kept


def bench_restore(
    path: Path, scratch: Path, code: str, admin: str, rounds: int
) -> tuple[list[float], dict[str, list[float]]]:
    wall: list[float] = []
    phases: dict[str, list[float]] = {}
    for n in range(rounds):
        target = scratch / f"restored-{n}"
        timer = Phases(RESTORE_PHASES)
        started = time.perf_counter()
        backup.restore_backup(path, target, code, admin, NEW_ADMIN_PASSWORD, progress=timer)
        wall.append(time.perf_counter() - started)
        for name, seconds in timer.finish().items():
            phases.setdefault(name, []).append(seconds)
        print(f"  restore {n + 1}: {wall[-1]:.2f} s", file=sys.stderr)
        shutil.rmtree(target)
    return wall, phases


# The GUI thread while the worker runs ---------------------------------------------------------


def _gaps(ticks: list[float]) -> list[float]:
    return [(later - earlier) * 1000 for earlier, later in itertools.pairwise(ticks)]


def gui_stalls(jobs: list[tuple[str, Callable[..., object], dict[str, object]]]) -> list[str]:
    """Run each job on the app's worker while a timer ticks; the longest gaps, as rows."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QProgressBar

    from safeguard_desktop.ui.worker import ProgressRelay, Worker

    app = QApplication.instance() or QApplication([])
    worker = Worker()
    relay = ProgressRelay()
    bar = QProgressBar()
    bar.setRange(0, 100)
    bar.show()
    relay.progress.connect(lambda percent, _text: bar.setValue(percent))
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    outcome: list[object] = []

    def finished(result: object) -> None:
        outcome.append(result)
        loop.quit()

    rows = []
    for label, fn, kwargs in jobs:
        ticks.clear()
        outcome.clear()
        timer.start()
        started = time.perf_counter()
        worker.submit(fn, progress=relay.report, on_done=finished, on_error=finished, **kwargs)
        loop.exec()
        seconds = time.perf_counter() - started
        timer.stop()
        failure = getattr(outcome[0], "message", None)
        if failure:
            raise RuntimeError(f"{label} failed on the worker: {failure}")
        gaps = _gaps(ticks)
        longest = max(gaps)
        over = sum(1 for gap in gaps if gap > STALL_TARGET_MS)
        rows.append(
            f"{label:<{WIDTH}}{len(gaps):>7} ticks in {seconds:5.1f} s; gap p99 "
            f"{percentile(gaps, 0.99):5.1f} ms, longest {longest:6.1f} ms, "
            f"{over} over {STALL_TARGET_MS:g} ms; "
            + ("met" if longest <= STALL_TARGET_MS else "MISSED")
        )
        print(f"  {label}: longest gap {longest:.1f} ms", file=sys.stderr)
    worker.shutdown()
    bar.close()
    app.processEvents()
    return rows


# Each step alone ----------------------------------------------------------------------------


class Steps:
    """Times one step after another; the rows of the table."""

    def __init__(self) -> None:
        self.rows: list[str] = []

    def __call__(self, label: str, fn: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = fn()
        self.rows.append(f"{label:<{WIDTH}}{time.perf_counter() - started:>9.2f}  s")
        return result


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _write_zeros(target: Path, size: int) -> None:
    block = bytes(1 << 20)
    with target.open("xb") as out:
        for _ in range(0, size, len(block)):
            out.write(block)
        out.flush()
        os.fsync(out.fileno())


def _backup_api(cases: Path, key: bytes, target: Path) -> None:
    """The other consistent copy issue 12 allows: pages copied under the same key."""
    source, copy = connect_keyed(cases, key), connect_keyed(target, key)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def _write_alone(target: Path, session: CaseSession, snap: Path, inbox: bytes) -> None:
    recovery = session.store.vault.recovery_slot()
    assert recovery is not None
    with target.open("xb") as out:
        write_backup(
            out,
            program="bench",
            created_at="2026-01-01T00:00:00+00:00",
            recovery_slot=recovery,
            db_key=session.backup_key_material(),
            sections=[("manifest.json", b"{}"), (CASES_NAME, snap), (INBOX_NAME, inbox)],
        )
        out.flush()
        os.fsync(out.fileno())


def _decrypt_alone(path: Path, key: bytes, folder: Path) -> None:
    outputs: dict[str, BinaryIO] = {}

    def sink(name: str, _size: int) -> BinaryIO | None:
        if name not in (CASES_NAME, INBOX_NAME):
            return None
        outputs[name] = (folder / name).open("xb")
        return outputs[name]

    with path.open("rb") as handle:
        try:
            read_sections(handle, path, read_header(handle, path), key, sink)
        finally:
            for out in outputs.values():
                out.close()


def bench_steps(session: CaseSession, data_dir: Path, scratch: Path, path: Path) -> list[str]:
    """Every step of a backup and of its check, alone, on the same files."""
    key = session.backup_key_material()
    cases = data_dir / CASES_NAME
    step = Steps()
    plain, snap, alone, back = (scratch / n for n in ("plain", "snap.db", "alone", "back"))
    step("disk: copy cases.db as it is", lambda: shutil.copyfile(cases, plain))
    plain.unlink()
    step("disk: write as many bytes, fsync", lambda: _write_zeros(plain, cases.stat().st_size))
    plain.unlink()
    step("disk: SHA-256 of cases.db", lambda: _sha256(cases))
    step("backup: VACUUM INTO", lambda: snapshot.snapshot_case_database(cases, key, snap))
    step("  (SQLite's backup API instead)", lambda: _backup_api(cases, key, plain))
    plain.unlink()
    step("backup: counts and audit head of the copy", lambda: snapshot.facts_of(snap, key))
    inbox = step("backup: inbox copy", lambda: snapshot.snapshot_inbox(data_dir / INBOX_NAME))
    assert isinstance(inbox, bytes)
    step("backup: AES-GCM encrypt, write, fsync", lambda: _write_alone(alone, session, snap, inbox))
    alone.unlink()
    snap.unlink()
    back.mkdir()
    step("check: decrypt the backup from disk", lambda: _decrypt_alone(path, key, back))
    copy = back / CASES_NAME
    conn = connect_keyed(copy, key)
    try:
        run = conn.execute
        step("check: open the copy", lambda: run("SELECT count(*) FROM sqlite_master").fetchone())
        step(
            "check: PRAGMA cipher_integrity_check",
            lambda: run("PRAGMA cipher_integrity_check").fetchall(),
        )
        step("check: PRAGMA integrity_check", lambda: run("PRAGMA integrity_check").fetchall())
        step("  (PRAGMA quick_check instead)", lambda: run("PRAGMA quick_check").fetchall())
        step("check: the audit chain to its head", lambda: audit_log.verify(conn))
        step("check: counts and audit head", lambda: snapshot.snapshot_facts(conn))
    finally:
        conn.close()
    step("check: inbox copy", lambda: snapshot.check_inbox_copy(back / INBOX_NAME))
    step("  (check_copy, all of the above at once)", lambda: snapshot.check_copy(copy, key))
    shutil.rmtree(back)
    return step.rows


# Main -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--only", default="backup,restore,gui,steps", help="comma-separated parts to run"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="back up into this folder (default: scratch)"
    )
    args = parser.parse_args()
    parts = set(args.only.split(","))
    generated = ensure_store(args.folder)
    scratch = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    try:
        data_dir = scratch / "data"
        started = time.perf_counter()
        shutil.copytree(generated.data_dir, data_dir)
        copy_s = time.perf_counter() - started
        # A folder of its own even on a stick given with --out: removed at the end.
        out = Path(tempfile.mkdtemp(prefix="bench-backup-", dir=args.out or scratch))
        started = time.perf_counter()
        session = _sign_in(data_dir, generated.admin)
        sign_in_s = time.perf_counter() - started
        code = _own_recovery_slot(session)
        size = folder_size(data_dir)
        load = os.getloadavg()
        print(
            f"Store: {generated.manifest['concerns']:,} concerns, "
            f"{generated.manifest['audit_entries']:,} audit entries, data folder "
            f"{size / 1e6:.0f} MB ({size / 2**20:.0f} MiB); copied in {copy_s:.1f} s, "
            f"first sign-in (full check) {sign_in_s:.1f} s; load average {load[0]:.1f}"
        )
        print(f"Backups written to {out}")
        try:
            path: Path | None = None
            if parts & {"backup", "restore", "gui", "steps"}:
                wall, phases, path = bench_backup(
                    session, out, args.rounds if "backup" in parts else 1
                )
                if "backup" in parts:
                    size_mb = path.stat().st_size / 1e6
                    print(_header(f"Backup, read back and checked ({size_mb:.0f} MB file)"))
                    print(_row("backup, all of it", wall))
                    for name, values in phases.items():
                        print(_row("  " + name, values))
                    print(_verdict(statistics.median(wall), BACKUP_TARGET_S))
            assert path is not None
            if "restore" in parts:
                wall, phases = bench_restore(path, scratch, code, generated.admin[0], args.rounds)
                print(_header("Restore into an empty folder (recovery key, checks, new admin)"))
                print(_row("restore, all of it", wall))
                for name, values in phases.items():
                    print(_row("  " + name, values))
                print(_verdict(statistics.median(wall), RESTORE_TARGET_S))
            if "gui" in parts:
                target = scratch / "restored-gui"
                rows = gui_stalls(
                    [
                        (
                            "backup on the worker",
                            backup.make_backup,
                            {"session": session, "folder": out},
                        ),
                        (
                            "restore on the worker",
                            backup.restore_backup,
                            {
                                "path": path,
                                "data_dir": target,
                                "code": code,
                                "admin_username": generated.admin[0],
                                "new_password": NEW_ADMIN_PASSWORD,
                            },
                        ),
                    ]
                )
                print(f"\nThe GUI thread while the worker runs (a QTimer every {TICK_MS} ms)")
                for row in rows:
                    print(row)
            if "steps" in parts:
                print(
                    f"\nEach step alone, on the same files (load average {os.getloadavg()[0]:.1f})"
                )
                for row in bench_steps(session, data_dir, scratch, path):
                    print(row)
        finally:
            session.lock()
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
