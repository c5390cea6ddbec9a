"""What the encryption costs: the app's own queries on the encrypted store and a plain copy.

Issue 17 asks how much slower SQLCipher makes searches, list pages and a chronology
than plain SQLite with the same schema and data, and which page cache closes the gap.
This copies the benchmark store into a plain SQLite file with ``sqlcipher_export`` (the
same pages, no key), opens both as the app does (``case_database``'s pragmas and SQL
functions), and runs the app's own query functions on each, interleaved, round after
round, for each page-cache size. Reported as medians and p95 in milliseconds and as a
ratio, encrypted over plain.

A benchmark, not a test: it prints numbers and never fails a build.

    uv run python benchmarks/plain_compare.py [FOLDER] [--concerns N] [--rounds N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlcipher3
from casework_store import DEFAULT_FOLDER, GeneratedStore, ensure_store
from timing import percentile

from safeguard_desktop.domain.casework import ConcernStatus
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import case_database, chronology_query, concern_search

# Page caches to compare, in KiB (SQLite's negative cache_size). SQLCipher's default is
# 2,000 pages of 4 KiB: 8,000 KiB.
CACHES_KIB = (8_000, 16_384, 32_768, 65_536)
SEARCHES = (
    SearchFilters(text="bruise"),
    SearchFilters(text="kowalska"),
    SearchFilters(text="said", status=ConcernStatus.OPEN),
    SearchFilters(categories=("neglect",)),
    SearchFilters(text="trampoline"),
)


def plain_copy(session: CaseSession, target: Path) -> None:
    """The open encrypted database, page for page, into an unencrypted file."""
    export_copy(session.conn, target)


def export_copy(
    conn: case_database.Connection, target: Path, key: bytes | None = None, *, hmac: bool = True
) -> None:
    """What ``conn`` holds, copied by ``sqlcipher_export`` into a new file: unencrypted
    with no ``key``; else keyed with it, and with no page HMAC when ``hmac`` is False
    (benchmarks/run.py's variant; open it with :func:`open_variant`)."""
    secret = "''" if key is None else f"\"x'{key.hex()}'\""
    conn.execute(f"ATTACH DATABASE ? AS copy KEY {secret}", (str(target),))
    try:
        if key is not None and not hmac:
            conn.execute("PRAGMA copy.cipher_use_hmac = OFF")
        conn.execute("SELECT sqlcipher_export('copy')")
    finally:
        conn.execute("DETACH DATABASE copy")


def open_plain(path: Path) -> case_database.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    case_database.register_functions(conn)
    case_database._configure(conn)
    return conn


def open_variant(path: Path, key: bytes, *, hmac: bool = True) -> case_database.Connection:
    """An encrypted file opened as the app opens cases.db (its key, its pragmas and SQL
    functions), without the checks of a sign-in; ``hmac`` False for a no-HMAC copy."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_compatibility = 4")
    if not hmac:
        conn.execute("PRAGMA cipher_use_hmac = OFF")
    case_database.register_functions(conn)
    case_database._configure(conn)
    return conn


def heaviest_child(conn: case_database.Connection) -> int:
    row = conn.execute(
        "SELECT child_id FROM concern_children WHERE child_id IS NOT NULL"
        " GROUP BY child_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    return int(row[0])


def measures(child_id: int) -> dict[str, Callable[[case_database.Connection], object]]:
    def search(conn: case_database.Connection) -> object:
        return [concern_search.search(conn, f, limit=200) for f in SEARCHES]

    return {
        "search (5 queries, first page)": search,
        "list page (no filter, first 200)": lambda c: concern_search.search(
            c, SearchFilters(), limit=200
        ),
        "list page at 20,000": lambda c: concern_search.search(
            c, SearchFilters(), limit=200, offset=20_000
        ),
        "chronology (heaviest child)": lambda c: chronology_query.chronology_rows(c, child_id),
    }


def _ms(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def compare(
    encrypted: case_database.Connection,
    plain: case_database.Connection,
    rounds: int,
) -> list[tuple[int, str, float, float, float, float]]:
    """(cache KiB, measure, encrypted median, plain median, encrypted p95, plain p95)."""
    child = heaviest_child(plain)
    rows = []
    for cache in CACHES_KIB:
        for conn in (encrypted, plain):
            conn.execute(f"PRAGMA cache_size = -{cache}")
        for name, fn in measures(child).items():
            times: dict[str, list[float]] = {"enc": [], "plain": []}
            for conn in (encrypted, plain):  # warm-up: the cache filled once, unmeasured
                fn(conn)
            for _ in range(rounds):
                times["enc"].append(_ms(lambda fn=fn: fn(encrypted)))
                times["plain"].append(_ms(lambda fn=fn: fn(plain)))
            rows.append(
                (
                    cache,
                    name,
                    statistics.median(times["enc"]),
                    statistics.median(times["plain"]),
                    percentile(times["enc"], 0.95),
                    percentile(times["plain"], 0.95),
                )
            )
    return rows


def run(
    generated: GeneratedStore, rounds: int
) -> list[tuple[int, str, float, float, float, float]]:
    with tempfile.TemporaryDirectory(prefix="bench-plain-") as temp:
        data_dir = Path(temp) / "data"
        shutil.copytree(generated.data_dir, data_dir)
        session = Store.open(data_dir).login(*generated.admin)
        assert isinstance(session, CaseSession)
        plain_path = Path(temp) / "plain.db"
        try:
            plain_copy(session, plain_path)
            plain = open_plain(plain_path)
            try:
                return compare(session.conn, plain, rounds)
            finally:
                plain.close()
        finally:
            session.lock()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--concerns", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    generated = ensure_store(args.folder, concerns=args.concerns, children=args.concerns // 5)
    rows = run(generated, args.rounds)
    print(f"{args.concerns:,} concerns; medians over {args.rounds} interleaved rounds, ms")
    print(f"{'cache':>9}  {'measure':34} {'encrypted':>10} {'plain':>8} {'ratio':>6}  p95 e/p")
    for cache, name, enc, plain, enc95, plain95 in rows:
        print(
            f"{cache:>6} KiB  {name:34} {enc:10.2f} {plain:8.2f} {enc / plain:6.2f}"
            f"  {enc95:.1f}/{plain95:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
