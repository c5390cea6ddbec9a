"""One benchmark run for the whole app, side by side with plain SQLite (issue 17).

    uv run python benchmarks/run.py              # 1,000, 10,000 and 100,000 concerns
    uv run python benchmarks/run.py --quick      # 1,000 and 10,000 only, under 3 minutes
    uv run python benchmarks/run.py --json FILE  # results elsewhere than benchmarks/results.json
    uv run python benchmarks/run.py --markdown [FILE]   # the README's tables from a results file

For each size it takes the cached store casework_store.py generates (deterministic;
generated the first time), copies it to a temporary folder (the cache is never
written), and measures with the other benchmarks' own functions (bench_casework's
queries and sealing, plain_compare's copies, timing's percentile):

* reads on the app's connection and on copies made by ``sqlcipher_export`` (plain
  SQLite; SQLCipher without its page HMAC), interleaved query by query after one
  unmeasured warm-up: the 57 searches bench_casework types, list pages at the top, the
  middle and the end of the concerns list, the heaviest child's chronology;
* ingest of 1,000 sealed concerns (``inbox_ingest.ingest``, as sign-in runs it) into a
  fresh copy, once per variant and run, interleaved: as shipped, plain SQLite, no page
  HMAC, ``secure_delete`` off, ``synchronous = NORMAL``, audit entries without the chain;
* sign-in on the folder as last closed, and on a copy (every page and the audit chain
  checked);
* the store's size on disk, and the plain copy's;
* the real app in a subprocess (benchmarks/app_session.py, offscreen): peak resident
  memory signed in, searching, both lists scrolled to their end, the heaviest child's
  chronology, a referral made; the same on an empty store; the CLI's ``concerns``; and
  the time from process start to the sign-in window's first paint.

Every figure is a median or p95 (nearest rank, timing.percentile) over repeated runs;
the machine (CPU, cores, RAM, disk, OS, Python, SQLCipher, Qt), the git commit and the
load average at start, end and its highest during the run go into the JSON, and the
table warns when the machine was busy. A benchmark, not a test: it never fails a build.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlcipher3
from bench_backup import _own_recovery_slot, bench_backup, bench_restore
from bench_casework import _concerns_to_seal, seal_for_ingest, search_queries
from casework_store import ADMIN, DEFAULT_FOLDER, GeneratedStore, ensure_store, folder_size
from plain_compare import compare, export_copy, open_plain, open_variant
from timing import percentile, timed

from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.security import key_slots
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services import inbox_ingest
from safeguard_desktop.services.casework import PAGE_SIZE
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.setup import SetupRequest, create_store
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import audit_log, case_database, chronology_query, concern_search
from safeguard_desktop.storage.case_database import CASES_NAME

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
RESULTS = HERE / "results.json"
INGEST_COUNT = 1_000
MIB = 2**20

# Targets (issue 17), shown beside the figures.
TARGET_READ_RATIO = 1.1
TARGET_INGEST_RATIO = 1.5
TARGET_RSS_MB = 250
TARGET_EMPTY_RSS_MB = 150
TARGET_SIGNIN_S = 2.0
# The 1-minute load average above which the machine is called busy: at the start, before
# this run does anything, and during it, less the one core this run keeps busy itself.
BUSY_AT_START = 0.5
BUSY_DURING = 1.5


@dataclass(frozen=True)
class Plan:
    search_rounds: int  # times each of the 57 searches is run on each connection
    cache_rounds: int  # plain_compare's rounds at each page-cache size (largest store)
    read_rounds: int  # list pages and chronology
    ingest_runs: int  # per variant
    signin_runs: int
    full_check_runs: int
    backup_rounds: int  # bench_backup's backup (read back and checked) and restore
    paint_runs: int


FULL = Plan(
    search_rounds=5,
    cache_rounds=11,
    read_rounds=21,
    ingest_runs=3,
    signin_runs=5,
    full_check_runs=3,
    backup_rounds=3,
    paint_runs=5,
)
QUICK = Plan(
    search_rounds=3,
    cache_rounds=5,
    read_rounds=9,
    ingest_runs=2,
    signin_runs=3,
    full_check_runs=2,
    backup_rounds=1,
    paint_runs=3,
)

# Connections compared for reads, and the variants of ingest. Each variant switches one
# of our choices off; "plain" switches them all off (no encryption at all).
ENCRYPTED = "encrypted (as shipped)"
PLAIN = "plain SQLite"
NO_HMAC = "no page HMAC"
NO_SECURE_DELETE = "secure_delete off"
SYNC_NORMAL = "synchronous = NORMAL"
NO_CHAIN = "audit entries unchained"
READ_CONNECTIONS = (ENCRYPTED, PLAIN, NO_HMAC)
INGEST_VARIANTS = (ENCRYPTED, PLAIN, NO_HMAC, NO_SECURE_DELETE, SYNC_NORMAL, NO_CHAIN)
# Only these change what a read does; the other settings are for writes.
READ_AFFECTED = {PLAIN, NO_HMAC}


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def p95(values: list[float]) -> float:
    return float(percentile(values, 0.95))


# The machine ------------------------------------------------------------------------------


def _first_line(path: str, prefix: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            for line in file:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _disk_kind(path: Path) -> str:
    """ "SSD", "HDD" or what is known of the disk holding ``path`` (Linux /sys)."""
    try:
        dev = os.stat(path).st_dev
        block = Path(f"/sys/dev/block/{os.major(dev)}:{os.minor(dev)}").resolve()
        for folder in (block, block.parent):
            rotational = folder / "queue" / "rotational"
            if rotational.exists():
                kind = "HDD" if rotational.read_text().strip() == "1" else "SSD"
                model = folder / "device" / "model"
                name = model.read_text().strip() if model.exists() else folder.name
                return f"{kind} ({name})"
    except OSError:
        pass
    fs = subprocess.run(
        ["df", "--output=fstype,source", str(path)], capture_output=True, text=True, check=False
    ).stdout.split("\n")[1:2]
    return f"unknown ({' '.join(fs).strip() or 'no /sys entry'})"


def machine() -> dict[str, object]:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    conn = sqlcipher3.connect(":memory:")
    cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    conn.close()
    ram_kib = int((_first_line("/proc/meminfo", "MemTotal") or "0 kB").split()[0])
    return {
        "cpu": _first_line("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gib": round(ram_kib / 2**20, 1),
        "disk": _disk_kind(HERE),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlcipher3.sqlite_version,
        "sqlcipher": cipher,
        "qt": qVersion(),
        "pyside6": pyside_version,
    }


def git_state() -> dict[str, object]:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    changed = git("status", "--porcelain", "--", "src", "benchmarks/run.py")
    return {
        "commit": git("rev-parse", "HEAD"),
        "subject": git("log", "-1", "--format=%s")[:100],
        # The app's source differed from the commit (other work in the tree).
        "uncommitted_changes": bool(changed),
    }


class LoadWatch:
    """The load average at the start, the end, and the highest seen in between."""

    def __init__(self) -> None:
        self.start = os.getloadavg()
        self.highest = self.start[0]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(2.0):
            self.highest = max(self.highest, os.getloadavg()[0])

    def finish(self) -> dict[str, object]:
        self._stop.set()
        end = os.getloadavg()
        busy = self.start[0] > BUSY_AT_START or self.highest > BUSY_DURING
        return {
            "start": [round(v, 2) for v in self.start],
            "end": [round(v, 2) for v in end],
            "highest_1min": round(self.highest, 2),
            "busy": busy,
            "rule": (
                f"busy when the 1-minute load average was above {BUSY_AT_START} at the "
                f"start or above {BUSY_DURING} during the run (which keeps one core busy)"
            ),
        }


# Preparing a size ---------------------------------------------------------------------


@dataclass
class Prepared:
    generated: GeneratedStore
    base: Path  # a copy of the store's data folder, signed in once and locked cleanly
    ingest_base: Path  # another, with 1,000 concerns sealed in its inbox (never signed in)
    key: bytes  # the case database key
    # sqlcipher_export copies of ingest_base's cases.db: the same pages laid out the same
    # way (a store used for years has free pages an export has not, which changes what
    # an insert costs), with the app's key and HMAC, with no key, with the key and no HMAC.
    encrypted_db: Path
    plain_db: Path
    no_hmac_db: Path
    child_id: int
    queries: list[tuple[str, SearchFilters]]
    full_check_s: list[float]


def _sign_in(data_dir: Path) -> CaseSession:
    session = Store.open(data_dir).login(*ADMIN)
    assert isinstance(session, CaseSession)
    return session


def _database_key(data_dir: Path) -> bytes:
    store = Store.open(data_dir)
    record = store.vault.user(ADMIN[0])
    assert record is not None
    slot = store.vault.slot(record.slot_id)
    assert slot is not None
    opened = key_slots.open_slot(slot, ADMIN[1].encode(), None)
    assert opened.db_key is not None
    return bytes(opened.db_key)


def _copy_folder(source: Path, target: Path, *, with_database: bool = True) -> None:
    shutil.rmtree(target, ignore_errors=True)
    skip = shutil.ignore_patterns(f"{CASES_NAME}*") if not with_database else None
    shutil.copytree(source, target, ignore=skip)


def prepare(generated: GeneratedStore, work: Path) -> Prepared:
    base = work / "base"
    _copy_folder(generated.data_dir, base)
    # A copy is a new file to the app: this first sign-in checks every page, once.
    full_check_s: list[float] = []
    store = Store.open(base)
    ms, session = timed(lambda: store.login(*ADMIN))
    full_check_s.append(ms / 1000)
    assert isinstance(session, CaseSession)
    try:
        queries = [q for qs in search_queries(session).values() for q in qs]
    finally:
        session.lock()
    ingest_base = work / "ingest-base"
    _copy_folder(base, ingest_base)
    store = Store.open(ingest_base)
    ms, session = timed(lambda: store.login(*ADMIN))
    full_check_s.append(ms / 1000)
    assert isinstance(session, CaseSession)
    try:
        seal_for_ingest(session, _concerns_to_seal(INGEST_COUNT))
    finally:
        session.lock()
    key = _database_key(ingest_base)
    encrypted_db, plain_db, no_hmac_db = (
        work / "encrypted.db",
        work / "plain.db",
        work / "no-hmac.db",
    )
    source_db = work / "source.db"
    shutil.copyfile(ingest_base / CASES_NAME, source_db)  # opening writes a -wal beside it
    source = open_variant(source_db, key)
    try:
        export_copy(source, encrypted_db, key)
        export_copy(source, plain_db)
        export_copy(source, no_hmac_db, key, hmac=False)
        child_id = int(
            source.execute(
                "SELECT child_id FROM concern_children WHERE child_id IS NOT NULL"
                " GROUP BY child_id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()[0]
        )
    finally:
        source.close()
        source_db.unlink()
    return Prepared(
        generated,
        base,
        ingest_base,
        key,
        encrypted_db,
        plain_db,
        no_hmac_db,
        child_id,
        queries,
        full_check_s,
    )


# Reads ------------------------------------------------------------------------------------


def _read_connections(prepared: Prepared) -> dict[str, case_database.Connection]:
    return {
        ENCRYPTED: open_variant(prepared.encrypted_db, prepared.key),
        PLAIN: open_plain(prepared.plain_db),
        NO_HMAC: open_variant(prepared.no_hmac_db, prepared.key, hmac=False),
    }


def measure_reads(
    prepared: Prepared, concerns: int, plan: Plan
) -> dict[str, dict[str, dict[str, list[float]]]]:
    """{connection: {measure: {label: [ms, ...]}}}, every query interleaved over the
    connections in an order that changes each time."""
    conns = _read_connections(prepared)
    last = max(0, concerns - PAGE_SIZE)
    pages = {"top": 0, "middle": (concerns // 2) // PAGE_SIZE * PAGE_SIZE, "end": last}
    child = prepared.child_id
    work: dict[str, list[tuple[str, Callable[[case_database.Connection], object]]]] = {
        "search": [
            (label, lambda c, f=f: concern_search.search(c, f, limit=PAGE_SIZE))
            for label, f in prepared.queries
        ],
        "list_page": [
            (
                label,
                lambda c, o=offset: concern_search.search(
                    c, SearchFilters(), limit=PAGE_SIZE, offset=o
                ),
            )
            for label, offset in pages.items()
        ],
        "chronology": [("heaviest child", lambda c: chronology_query.chronology_rows(c, child))],
    }
    times: dict[str, dict[str, dict[str, list[float]]]] = {
        name: {measure: {label: [] for label, _ in jobs} for measure, jobs in work.items()}
        for name in conns
    }
    rng = random.Random(17)
    names = list(conns)
    try:
        for jobs in work.values():  # warm-up: each cache filled once, unmeasured
            for _, job in jobs:
                for conn in conns.values():
                    job(conn)
        for measure, jobs in work.items():
            rounds = plan.search_rounds if measure == "search" else plan.read_rounds
            for _ in range(rounds):
                order = list(jobs)
                rng.shuffle(order)
                for label, job in order:
                    rng.shuffle(names)
                    for name in names:
                        ms, _ = timed(lambda j=job, c=conns[name]: j(c))  # type: ignore[misc]
                        times[name][measure][label].append(ms)
    finally:
        for conn in conns.values():
            conn.close()
    return times


def measure_page_cache(prepared: Prepared, plan: Plan) -> dict[str, dict[str, float]]:
    """plain_compare's comparison at each page-cache size: {KiB: {measure: ratio}}.

    The app uses case_database.PAGE_CACHE_KIB; a bigger cache is memory the app holds
    for as long as it is signed in, up to the size given, per connection.
    """
    encrypted = open_variant(prepared.encrypted_db, prepared.key)
    plain = open_plain(prepared.plain_db)
    try:
        rows = compare(encrypted, plain, plan.cache_rounds)
    finally:
        encrypted.close()
        plain.close()
    out: dict[str, dict[str, float]] = {}
    for cache, name, enc, flat, _, _ in rows:
        out.setdefault(str(cache), {})[name] = round(enc / flat, 3)
    return out


def _pooled(by_label: dict[str, list[float]]) -> list[float]:
    return [v for values in by_label.values() for v in values]


def _typical_total(by_label: dict[str, list[float]]) -> float:
    """The sum of each query's median: the time of the whole set, robust to a stall."""
    return sum(median(values) for values in by_label.values())


# Ingest -----------------------------------------------------------------------------------


@contextmanager
def _unchained_audit() -> Iterator[None]:
    """Audit entries written as plain rows: no head read, no hash, no chain."""
    chained = audit_log.append

    def unchained(conn, actor, action, detail):  # type: ignore[no-untyped-def]
        conn.execute(
            "INSERT INTO audit_log (seq, at, actor, action, detail, prev_hash, hash)"
            " VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM audit_log), ?, ?, ?, ?, '', '')",
            (datetime.now(UTC).isoformat(), actor, action, json.dumps(detail)),
        )

    audit_log.append = unchained  # type: ignore[assignment]
    try:
        yield
    finally:
        audit_log.append = chained  # type: ignore[assignment]


def _ingest_once(prepared: Prepared, variant: str, run_dir: Path) -> float:
    # The inbox and vault.json from the sealed copy; the database from its export.
    _copy_folder(prepared.ingest_base, run_dir, with_database=False)
    target = run_dir / "variant.db"
    if variant == PLAIN:
        shutil.copyfile(prepared.plain_db, target)
        conn = open_plain(target)
    elif variant == NO_HMAC:
        shutil.copyfile(prepared.no_hmac_db, target)
        conn = open_variant(target, prepared.key, hmac=False)
    else:
        shutil.copyfile(prepared.encrypted_db, target)
        conn = open_variant(target, prepared.key)
    if variant == NO_SECURE_DELETE:
        conn.execute("PRAGMA secure_delete = OFF")
    if variant == SYNC_NORMAL:
        conn.execute("PRAGMA synchronous = NORMAL")
    try:
        store = Store.open(run_dir)
        if variant == NO_CHAIN:
            with _unchained_audit():
                seconds, changes = timed(lambda: inbox_ingest.ingest(store, conn, ADMIN[0]))
        else:
            seconds, changes = timed(lambda: inbox_ingest.ingest(store, conn, ADMIN[0]))
        assert len(changes.concerns) == INGEST_COUNT, (variant, len(changes.concerns))
    finally:
        conn.close()
        shutil.rmtree(run_dir, ignore_errors=True)
    return seconds / 1000


def measure_ingest(prepared: Prepared, work: Path, plan: Plan) -> dict[str, list[float]]:
    seconds: dict[str, list[float]] = {v: [] for v in INGEST_VARIANTS}
    rng = random.Random(3)
    for _ in range(plan.ingest_runs):
        order = list(INGEST_VARIANTS)
        rng.shuffle(order)
        for variant in order:
            seconds[variant].append(_ingest_once(prepared, variant, work / "ingest-run"))
    return seconds


# Sign-in --------------------------------------------------------------------------------


def measure_sign_in(prepared: Prepared, work: Path, plan: Plan) -> dict[str, list[float]]:
    as_closed = []
    for _ in range(plan.signin_runs):
        store = Store.open(prepared.base)
        ms, session = timed(lambda s=store: s.login(*ADMIN))  # type: ignore[misc]
        session.lock()
        as_closed.append(ms / 1000)
    full = list(prepared.full_check_s)
    for run in range(max(0, plan.full_check_runs - len(full))):
        copy = work / f"copy{run}"
        _copy_folder(prepared.base, copy)
        store = Store.open(copy)
        ms, session = timed(lambda s=store: s.login(*ADMIN))  # type: ignore[misc]
        session.lock()
        full.append(ms / 1000)
        shutil.rmtree(copy)
    return {"as_closed": as_closed, "full_check": full}


# Backup and restore ------------------------------------------------------------------------


def measure_backup(prepared: Prepared, work: Path, plan: Plan) -> dict[str, list[float]]:
    """bench_backup.py's own backup (made, read back and checked) and restore, timed."""
    data_dir = work / "backup-source"
    _copy_folder(prepared.base, data_dir)
    out = work / "backups"
    out.mkdir()
    session = _sign_in(data_dir)
    try:
        code = _own_recovery_slot(session)
        made, _, path = bench_backup(session, out, plan.backup_rounds)
        restored, _ = bench_restore(path, work, code, ADMIN[0], plan.backup_rounds)
    finally:
        session.lock()
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)
    return {"backup": made, "restore": restored}


# The app and the CLI as processes ---------------------------------------------------------


def _env(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(QT_QPA_PLATFORM="offscreen", SAFEGUARD_LOG_DIR=str(scratch / "logs"))
    return env


def _run_measured(argv: list[str], stdin: str, scratch: Path) -> tuple[str, float, float, int]:
    """(stdout, wall seconds, peak RSS MiB as the process said at its exit, exit code).

    The peak is the process's own word (app_session.py's ``exit`` line, VmHWM): a
    child's ``ru_maxrss`` from wait4 would include this runner's own size at the fork.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_env(scratch),
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.close()
    out = process.stdout.read() if process.stdout is not None else ""
    process.wait()
    seconds = time.perf_counter() - started
    ends = [json.loads(line) for line in out.splitlines() if line.startswith('{"step": "exit"')]
    peak = float(ends[-1]["peak_mib"]) if ends else float("nan")
    return out, seconds, peak, process.returncode


def lists_peak(steps: list[dict[str, object]]) -> float:
    """The walk's peak once every list is scrolled and the chronology open: the state
    issue 17's 250 MB target names, before the referral loads the PDF libraries.

    The peak printed by the last step before the referral (each step prints the peak so
    far, the key derivation's own line left out).
    """
    before = []
    for step in steps:
        if str(step["step"]).startswith("referral"):
            break
        if step["step"] != "key derivation":
            before.append(float(step["peak_mib"]))  # type: ignore[arg-type]
    return round(before[-1], 1) if before else float("nan")


def app_memory(data_dir: Path, scratch: Path) -> dict[str, object]:
    """The walk in benchmarks/app_session.py: each step's peak RSS, and the process's."""
    argv = [sys.executable, str(HERE / "app_session.py"), "memory", str(data_dir), ADMIN[0]]
    out, seconds, peak, code = _run_measured(argv, ADMIN[1] + "\n", scratch)
    steps = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    # The process's peak leaves out the key derivation (app_session.py starts the peak
    # again after it); the peak with it is the highest the derivation reached.
    kdf = [float(s["peak_mib"]) for s in steps if s["step"] == "key derivation"]
    return {
        "peak_rss_lists_mb": lists_peak(steps),
        "peak_rss_mb": round(peak, 1),
        "peak_rss_with_kdf_mb": round(max([peak, *kdf]), 1),
        "steps": steps,
        "seconds": round(seconds, 1),
        "exit_code": code,
    }


def cli_memory(data_dir: Path, scratch: Path) -> dict[str, object]:
    argv = [sys.executable, str(HERE / "app_session.py"), "cli", "--data-dir", str(data_dir)]
    argv += ["concerns", "--as", ADMIN[0]]
    _, seconds, peak, code = _run_measured(argv, ADMIN[1] + "\n", scratch)
    return {"peak_rss_mb": round(peak, 1), "seconds": round(seconds, 2), "exit_code": code}


def first_paint(data_dir: Path, scratch: Path, runs: int) -> dict[str, object]:
    """Process start to the sign-in window's first paint: the unfrozen app (through
    app_session.py's ``paint``), and the frozen single file when it has been built."""
    argv = [sys.executable, str(HERE / "app_session.py"), "paint", str(data_dir)]
    unfrozen = []
    for _ in range(runs):
        process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env(scratch), text=True
        )
        started = time.perf_counter()
        assert process.stdout is not None
        for line in process.stdout:
            if '"painted"' in line:
                unfrozen.append(time.perf_counter() - started)
                break
        process.wait()
    result: dict[str, object] = {"unfrozen_s": unfrozen}
    frozen = ROOT / "dist" / "safeguard-desktop"
    if frozen.is_file():
        # No hook inside a frozen build: the nearest it offers is its own smoke run,
        # which opens the window, runs the event loop for the time given and quits
        # (exit 0 only if the sign-in page was reached); that wait is taken off.
        wait = 0.5
        started_all = []
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run(
                [str(frozen), "--data-dir", str(data_dir), "--smoke-test-gui", str(wait)],
                env=_env(scratch),
                capture_output=True,
                check=False,
                timeout=120,
            )
            if done.returncode == 0:
                started_all.append(time.perf_counter() - started - wait)
        built = datetime.fromtimestamp(frozen.stat().st_mtime, UTC)
        result["frozen_smoke_s"] = started_all
        result["frozen_built_at"] = built.isoformat(timespec="seconds")
    return result


def empty_store_memory(work: Path) -> dict[str, object]:
    data_dir = work / "empty" / "data"
    result = create_store(
        data_dir,
        SetupRequest(
            org_name="Empty Benchmark Club",
            org_type=OrgType.CLUB,
            admin_username=ADMIN[0],
            admin_display_name="Bench Admin",
            admin_password=ADMIN[1],
        ),
        kdf=KdfParams(),
    )
    result.store.login(*ADMIN).lock()
    return app_memory(data_dir, work)


# One size --------------------------------------------------------------------------------


def measure_size(
    concerns: int, plan: Plan, work: Path, cache: Path, *, page_caches: bool = False
) -> dict[str, object]:
    say(f"{concerns:,} concerns: the store")
    generated = ensure_store(cache, concerns=concerns, children=concerns // 5)
    manifest = generated.manifest
    say(f"{concerns:,}: copies, sealed inbox, plain and no-HMAC exports")
    prepared = prepare(generated, work)
    say(f"{concerns:,}: reads")
    reads = measure_reads(prepared, concerns, plan)
    caches = {}
    if page_caches:
        say(f"{concerns:,}: page cache sizes")
        caches = measure_page_cache(prepared, plan)
    say(f"{concerns:,}: ingest")
    ingest = measure_ingest(prepared, work, plan)
    say(f"{concerns:,}: sign-in")
    sign_in = measure_sign_in(prepared, work, plan)
    say(f"{concerns:,}: backup and restore")
    backups = measure_backup(prepared, work, plan)
    say(f"{concerns:,}: the app and the CLI in subprocesses")
    app = app_memory(prepared.base, work)
    cli = cli_memory(prepared.base, work)

    enc = reads[ENCRYPTED]
    cases_bytes = int(str(manifest["cases_db_bytes"]))
    data_bytes = folder_size(generated.data_dir)
    plain_bytes = prepared.plain_db.stat().st_size

    def ratio(name: str, measure: str) -> float:
        if measure == "ingest":
            return round(median(ingest[name]) / median(ingest[PLAIN]), 3)
        source = reads[name if name in READ_AFFECTED else ENCRYPTED]
        return round(_typical_total(source[measure]) / _typical_total(reads[PLAIN][measure]), 3)

    measures = ("search", "list_page", "chronology", "ingest")
    variants = {
        name: {m: ratio(name, m) for m in measures} for name in INGEST_VARIANTS if name != PLAIN
    }
    search_all = _pooled(enc["search"])
    pages_all = _pooled(enc["list_page"])
    chronology = enc["chronology"]["heaviest child"]
    return {
        "concerns": manifest["concerns"],
        "children": manifest["children"],
        "audit_entries": manifest["audit_entries"],
        "chronology_entries": _chronology_length(prepared),
        "cases_db_mb": round(cases_bytes / 1e6, 1),
        "data_folder_mb": round(data_bytes / 1e6, 1),
        "mb_per_1000_concerns": round(cases_bytes / 1e6 / (concerns / 1000), 2),
        "plain_db_mb": round(plain_bytes / 1e6, 1),
        "size_over_plain": round(cases_bytes / plain_bytes, 3),
        "search_median_ms": round(median(search_all), 2),
        "search_p95_ms": round(p95(search_all), 2),
        "list_page_median_ms": round(median(pages_all), 2),
        "list_page_p95_ms": round(p95(pages_all), 2),
        "list_page_end_median_ms": round(median(enc["list_page"]["end"]), 2),
        "chronology_500_ms": round(median(chronology), 2),
        "chronology_p95_ms": round(p95(chronology), 2),
        "ingest_1000_s": round(median(ingest[ENCRYPTED]), 3),
        "ingest_1000_p95_s": round(p95(ingest[ENCRYPTED]), 3),
        "signin_s": round(median(sign_in["as_closed"]), 3),
        "signin_p95_s": round(p95(sign_in["as_closed"]), 3),
        "signin_full_check_s": round(median(sign_in["full_check"]), 3),
        "signin_full_check_p95_s": round(p95(sign_in["full_check"]), 3),
        "backup_s": round(median(backups["backup"]), 2),
        "restore_s": round(median(backups["restore"]), 2),
        "peak_rss_lists_mb": app["peak_rss_lists_mb"],
        "peak_rss_mb": app["peak_rss_mb"],
        "peak_rss_with_kdf_mb": app["peak_rss_with_kdf_mb"],
        "cli_peak_rss_mb": cli["peak_rss_mb"],
        "encrypted_over_plain": {m: variants[ENCRYPTED][m] for m in measures},
        "variants_over_plain": variants,
        "page_cache_over_plain": caches,
        "app": app,
        "cli": cli,
        "runs": {
            "search": {n: len(_pooled(reads[n]["search"])) for n in reads},
            "ingest": {v: [round(s, 3) for s in ingest[v]] for v in ingest},
            "signin_as_closed_s": [round(s, 3) for s in sign_in["as_closed"]],
            "signin_full_check_s": [round(s, 3) for s in sign_in["full_check"]],
            "backup_s": [round(s, 2) for s in backups["backup"]],
            "restore_s": [round(s, 2) for s in backups["restore"]],
        },
    }


def _chronology_length(prepared: Prepared) -> int:
    conn = open_variant(prepared.encrypted_db, prepared.key)
    try:
        return len(chronology_query.chronology_rows(conn, prepared.child_id))
    finally:
        conn.close()


# The whole run -----------------------------------------------------------------------------


def run(sizes: tuple[int, ...], plan: Plan, cache: Path, quick: bool) -> dict[str, object]:
    load = LoadWatch()
    started = time.perf_counter()
    results: dict[str, object] = {
        "format": 1,
        "command": "uv run python benchmarks/run.py" + (" --quick" if quick else ""),
        "quick": quick,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "git": git_state(),
        "plan": asdict(plan),
        "page_cache_kib": case_database.PAGE_CACHE_KIB,
        "notes": {
            "kdf": "the benchmark stores use KdfParams(), the cheapest Argon2id the app "
            "accepts (about 0.1 s); a calibrated store adds 0.3 to 1 s to each sign-in",
            "page_cache": f"{case_database.PAGE_CACHE_KIB} KiB on every connection, as the "
            "app opens cases.db (case_database.PAGE_CACHE_KIB)",
        },
    }
    sizes_out: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-run-", dir=cache) as temp:
        work_root = Path(temp)
        for concerns in sizes:
            work = work_root / str(concerns)
            work.mkdir()
            sizes_out[str(concerns)] = measure_size(
                concerns, plan, work, cache, page_caches=concerns == sizes[-1]
            )
            if concerns == sizes[0]:
                say("start to first paint")
                results["first_paint"] = first_paint(work / "base", work, plan.paint_runs)
            shutil.rmtree(work, ignore_errors=True)
        say("an empty store in the app")
        results["empty_store"] = empty_store_memory(work_root / "empty")
    results["sizes"] = sizes_out
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["load"] = load.finish()
    return results


# The table ---------------------------------------------------------------------------------


def _mb(value: float) -> str:
    return f"{value:.0f}"


ROWS: tuple[tuple[str, str, str, Callable[[float], str]], ...] = (
    ("search page (57 queries), p95", "search_p95_ms", "ms", lambda v: f"{v:.1f}"),
    ("concerns list page, p95", "list_page_p95_ms", "ms", lambda v: f"{v:.1f}"),
    ("chronology of the heaviest child", "chronology_500_ms", "ms", lambda v: f"{v:.1f}"),
    ("ingest 1,000 sealed concerns", "ingest_1000_s", "s", lambda v: f"{v:.2f}"),
    ("sign-in, folder as last closed", "signin_s", "s", lambda v: f"{v:.2f}"),
    ("sign-in, full check due", "signin_full_check_s", "s", lambda v: f"{v:.2f}"),
    ("backup, read back and checked", "backup_s", "s", lambda v: f"{v:.1f}"),
    ("restore into an empty folder", "restore_s", "s", lambda v: f"{v:.1f}"),
    ("app peak memory, every list scrolled, a chronology open", "peak_rss_lists_mb", "MB", _mb),
    ("the same, then a referral made and signed", "peak_rss_mb", "MB", _mb),
    ("the same, with sign-in's key derivation", "peak_rss_with_kdf_mb", "MB", _mb),
    ("CLI `concerns` peak memory, key derivation and all", "cli_peak_rss_mb", "MB", _mb),
    ("store on disk per 1,000 concerns", "mb_per_1000_concerns", "MB", lambda v: f"{v:.2f}"),
)
RATIOS = (("search", "search"), ("list page", "list_page"), ("chronology", "chronology"))


def _sizes(results: dict[str, object]) -> dict[str, dict[str, object]]:
    return results["sizes"]  # type: ignore[return-value]


def _growth_notes(results: dict[str, object]) -> list[str]:
    """Measures that grow faster than the data between the smallest and largest store."""
    sizes = _sizes(results)
    keys = sorted(sizes, key=int)
    if len(keys) < 2:
        return []
    small, big = sizes[keys[0]], sizes[keys[-1]]
    data = int(keys[-1]) / int(keys[0])
    notes = []
    growth: list[tuple[float, str]] = []
    for label, key, _, _ in ROWS:
        if key not in small or key not in big:
            continue
        before, after = float(small[key]), float(big[key])  # type: ignore[arg-type]
        if key == "mb_per_1000_concerns" or before <= 0:
            continue
        growth.append((after / before, label))
        if after / before > data:
            notes.append(
                f"{label} grows faster than the data: x{after / before:.0f} for x{data:.0f}"
            )
    if not notes and growth:
        most, label = max(growth)
        notes.append(
            f"No measure grows faster than the data (x{data:.0f} from {int(keys[0]):,} to "
            f"{int(keys[-1]):,} concerns); the most, {label}, grows x{most:.1f}."
        )
    return notes


def markdown(results: dict[str, object]) -> str:
    """The README's tables: how fast at each size, what the encryption costs, memory."""
    sizes = _sizes(results)
    keys = sorted(sizes, key=int)
    m = results["machine"]  # type: ignore[index]
    load = results["load"]  # type: ignore[index]
    git = results["git"]  # type: ignore[index]
    lines = [
        "| measure | " + " | ".join(f"{int(k):,} concerns" for k in keys) + " |",
        "| --- |" + " ---: |" * len(keys),
    ]
    for label, key, unit, fmt in ROWS:
        if any(key not in sizes[k] for k in keys):
            continue  # a results file from before the measure existed
        cells = [f"{fmt(float(sizes[k][key]))} {unit}" for k in keys]  # type: ignore[arg-type]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for label, key in (*RATIOS, ("ingest", "ingest")):
        cells = [f"{sizes[k]['encrypted_over_plain'][key]:.2f}" for k in keys]  # type: ignore[index]
        lines.append(f"| encrypted / plain SQLite: {label} | " + " | ".join(cells) + " |")
    empty = results.get("empty_store", {})
    paint = results.get("first_paint", {})
    extra = []
    if empty:
        extra.append(
            f"app on an empty store: {empty['peak_rss_mb']:.0f} MB peak, "  # type: ignore[index]
            f"{empty['peak_rss_with_kdf_mb']:.0f} MB with sign-in's key derivation"  # type: ignore[index]
        )
    if paint and paint.get("unfrozen_s"):  # type: ignore[union-attr]
        extra.append(
            f"start to the sign-in window's first paint: "
            f"{median(paint['unfrozen_s']):.2f} s unfrozen"  # type: ignore[index, arg-type]
        )
    if paint and paint.get("frozen_smoke_s"):  # type: ignore[union-attr]
        extra.append(
            "the frozen single file to its window and out again: "
            f"{median(paint['frozen_smoke_s']):.2f} s"  # type: ignore[index, arg-type]
        )
    biggest = sizes[keys[-1]]
    variants = biggest["variants_over_plain"]  # type: ignore[index]
    vlines = [
        "",
        f"Each of our choices switched off alone, {int(keys[-1]):,} concerns "
        "(time over plain SQLite; reads are unchanged by the write settings):",
        "",
        "| variant | search | list page | chronology | ingest |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, r in variants.items():  # type: ignore[union-attr]
        vlines.append(
            f"| {name} | {r['search']:.2f} | {r['list_page']:.2f} | {r['chronology']:.2f}"
            f" | {r['ingest']:.2f} |"
        )
    caches: dict[str, dict[str, float]] = biggest.get("page_cache_over_plain") or {}  # type: ignore[attr-defined]
    if caches:
        names = list(next(iter(caches.values())))
        vlines += [
            "",
            f"Encrypted over plain by page cache, {int(keys[-1]):,} concerns "
            "(plain_compare.py's queries; the app used "
            f"{int(results.get('page_cache_kib', 8_000)):,} KiB, and a bigger cache is "  # type: ignore[call-overload]
            "memory held while signed in):",
            "",
            "| cache | " + " | ".join(names) + " |",
            "| --- |" + " ---: |" * len(names),
        ]
        for kib, ratios in caches.items():
            cells = " | ".join(f"{ratios[n]:.2f}" for n in names)
            vlines.append(f"| {int(kib):,} KiB | {cells} |")
    busy = " **The machine was busy: treat these as upper bounds.**" if load["busy"] else ""  # type: ignore[index]
    head = (
        f"Measured by `{results['command']}` on {str(results['started_at'])[:10]}, commit "
        f"{str(git['commit'])[:10]}: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB, "  # type: ignore[index]
        f"{m['disk']}, {m['os']}, Python {m['python']}, SQLCipher {m['sqlcipher']}, "  # type: ignore[index]
        f"Qt {m['qt']}; load average {load['start'][0]:.2f} at the start, "  # type: ignore[index]
        f"{load['highest_1min']:.2f} at most.{busy}"  # type: ignore[index]
    )
    notes = _growth_notes(results)
    tail = [""] + [f"- {n}" for n in notes] if notes else []
    return "\n".join([head, "", *lines, "", *(f"- {e}" for e in extra), *vlines, *tail]) + "\n"


def table(results: dict[str, object]) -> str:
    sizes = _sizes(results)
    keys = sorted(sizes, key=int)
    load = results["load"]  # type: ignore[index]
    width = 40
    out = [f"{'':<{width}}" + "".join(f"{int(k):>14,}" for k in keys)]
    for label, key, unit, fmt in ROWS:
        if any(key not in sizes[k] for k in keys):
            continue
        cells = "".join(f"{fmt(float(sizes[k][key])) + ' ' + unit:>14}" for k in keys)  # type: ignore[arg-type]
        out.append(f"{label:<{width}}{cells}")
    for label, key in (*RATIOS, ("ingest", "ingest")):
        cells = "".join(
            f"{sizes[k]['encrypted_over_plain'][key]:>14.2f}"  # type: ignore[index]
            for k in keys
        )
        out.append(f"{'encrypted / plain: ' + label:<{width}}{cells}")
    biggest = sizes[keys[-1]]
    out.append(f"\nvariants over plain SQLite at {int(keys[-1]):,} concerns:")
    out.append(f"{'':<{width}}{'search':>10}{'list':>10}{'chron.':>10}{'ingest':>10}")
    for name, r in biggest["variants_over_plain"].items():  # type: ignore[union-attr]
        out.append(
            f"{name:<{width}}{r['search']:>10.2f}{r['list_page']:>10.2f}"
            f"{r['chronology']:>10.2f}{r['ingest']:>10.2f}"
        )
    caches: dict[str, dict[str, float]] = biggest.get("page_cache_over_plain") or {}  # type: ignore[attr-defined]
    if caches:
        out.append(f"\nencrypted / plain by page cache at {int(keys[-1]):,} concerns:")
        for kib, ratios in caches.items():
            cells = ", ".join(f"{name} {ratio:.2f}" for name, ratio in ratios.items())
            out.append(f"  {int(kib):>6,} KiB: {cells}")
    empty = results.get("empty_store")
    if empty:
        out.append(
            f"\napp on an empty store: {empty['peak_rss_mb']:.0f} MB peak, "  # type: ignore[index]
            f"{empty['peak_rss_with_kdf_mb']:.0f} MB with sign-in's key derivation"  # type: ignore[index]
        )
    paint = results.get("first_paint") or {}
    if paint.get("unfrozen_s"):  # type: ignore[union-attr]
        out.append(f"first paint, unfrozen: {median(paint['unfrozen_s']):.2f} s")  # type: ignore[index, arg-type]
    if paint.get("frozen_smoke_s"):  # type: ignore[union-attr]
        out.append(f"frozen smoke run: {median(paint['frozen_smoke_s']):.2f} s")  # type: ignore[index, arg-type]
    out.extend(_growth_notes(results))
    out.append(
        f"\nload average {load['start'][0]:.2f} at the start, {load['end'][0]:.2f} at the "  # type: ignore[index]
        f"end, {load['highest_1min']:.2f} at most; {results['seconds']} s in all"  # type: ignore[index]
    )
    if load["busy"]:  # type: ignore[index]
        out.append(
            "WARNING: the machine was busy during this run; these figures are upper "
            "bounds, not the app's own speed. Run again on a quiet machine."
        )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 concerns only")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where the results go")
    parser.add_argument("--cache", type=Path, default=DEFAULT_FOLDER, help="the stores' folder")
    parser.add_argument(
        "--sizes", help="comma-separated store sizes instead (e.g. 1000,100000)", default=None
    )
    parser.add_argument(
        "--markdown",
        nargs="?",
        const=RESULTS,
        type=Path,
        help="print the README's tables from a results file and stop",
    )
    args = parser.parse_args()
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text(encoding="utf-8"))), end="")
        return 0
    sizes = QUICK_SIZES if args.quick else SIZES
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    args.cache.mkdir(parents=True, exist_ok=True)
    results = run(sizes, QUICK if args.quick else FULL, args.cache, args.quick)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
