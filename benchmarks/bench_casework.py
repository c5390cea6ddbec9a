"""Casework on a big store: search, a child's chronology, list pages, ingest and sign-in.

Uses the store casework_store.py generates once (100,000 concerns over 20,000
children; cached under benchmarks/.cache/ or the folder given) and times the real
services a DSL's screens call:

* search: queries typed as a DSL would (each prefix while typing, names, rare and
  common words, with and without filters), one page of 200, plus the count shown above
  the list. Issue target: p95 of a search page at most 50 ms.
* chronology: ``children.chronology()`` for the child with about 500 entries, and the
  same entries shown in the real Qt view (ui/children/chronology_view.py) until painted. Target:
  at most 150 ms on screen.
* list pages: the first page of the concerns list and of the children list.
* ingest: 1,000 concerns sealed into the inbox of a fresh copy of the store, then
  ``inbox.ingest(session)``. Target: at most 3 s.
* sign-in: ``Store.login`` on the big store, with its parts timed separately.

A benchmark, not a test: it prints numbers and never fails a build.

    uv run python benchmarks/bench_casework.py [FOLDER] [--rounds 5] [--only search,...]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

from safeguard_desktop.services import casework, children, inbox, people

sys.path.insert(0, str(Path(__file__).resolve().parent))

from casework_store import DEFAULT_FOLDER, GeneratedStore, ensure_store, folder_size
from timing import percentile, timed

from safeguard_desktop.domain.casework import ConcernStatus
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.domain.records import ChronologyEntry, SearchFilters
from safeguard_desktop.security import key_slots
from safeguard_desktop.services.recording import Submitter, seal_concern
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import audit_log, case_database
from safeguard_desktop.storage.case_database import CASES_NAME

SEARCH_TARGET_P95_MS = 50
CHRONOLOGY_TARGET_MS = 150
INGEST_TARGET_S = 3.0
INGEST_COUNT = 1_000

Query = tuple[str, SearchFilters]


def _row(label: str, values: list[float], unit: str = "ms", width: int = 34) -> str:
    digits = 2 if unit == "s" else 1
    median, p95, top = statistics.median(values), percentile(values, 0.95), max(values)
    return (
        f"{label:<{width}}{len(values):>6}{median:>9.{digits}f}{p95:>9.{digits}f}"
        f"{top:>9.{digits}f}  {unit}"
    )


def _header(title: str, width: int = 34) -> str:
    return f"\n{title}\n{'':<{width}}{'runs':>6}{'median':>9}{'p95':>9}{'max':>9}"


def _sign_in(generated: GeneratedStore, data_dir: Path | None = None) -> CaseSession:
    session = Store.open(data_dir or generated.data_dir).login(*generated.admin)
    assert isinstance(session, CaseSession)
    return session


# Search ------------------------------------------------------------------------------------


def search_queries(session: CaseSession) -> dict[str, list[Query]]:
    """Queries by kind, as a DSL would type and filter them on this store."""
    recorders = casework.recorders(session)
    busy = max(recorders, key=lambda r: casework.count(session, SearchFilters(recorder=r)))
    today = date.today()
    last_month = {"date_from": today - timedelta(days=30), "date_to": today}
    three_years_ago = today.year - 3
    old_year = {
        "date_from": date(three_years_ago, 1, 1),
        "date_to": date(three_years_ago, 12, 31),
    }

    def texts(*words: str) -> list[Query]:
        return [(w, SearchFilters(text=w)) for w in words]

    return {
        "typing a word (b, br, bru...)": texts("b", "br", "bru", "brui", "bruis", "bruise"),
        "typing a name (k, ko, kow...)": texts(
            "k", "ko", "kow", "kowa", "kowal", "kowals", "kowalska", "amelia k", "amelia kow"
        ),
        "names": texts(
            "Kowalska",
            "Wiśniewska",
            "Wisniewska",
            "Haddad",
            "Al-Hassan",
            "Łucja",
            "Lucja",
            "Zoe",
            "Okafor",
            "王",
            "Amelia Kowalska",
            "Szymon Nowak",
        ),
        "rare words": texts("trampoline", "scald", "knife", "bite mark", "lift"),
        "common words": texts("said", "home", "bruise", "school", "the", "told a friend"),
        "filters only": [
            ("category: neglect", SearchFilters(categories=("neglect",))),
            ("category: FGM (rare)", SearchFilters(categories=("fgm",))),
            ("status: new", SearchFilters(status=ConcernStatus.NEW)),
            ("status: open", SearchFilters(status=ConcernStatus.OPEN)),
            ("status: closed", SearchFilters(status=ConcernStatus.CLOSED)),
            ("last 30 days", SearchFilters(**last_month)),  # type: ignore[arg-type]
            (f"year {three_years_ago}", SearchFilters(**old_year)),  # type: ignore[arg-type]
            ("recorder (busiest)", SearchFilters(recorder=busy)),
            ("recorder (guest)", SearchFilters(recorder="Jo Guest")),
            (
                "category + status + year",
                SearchFilters(
                    categories=("physical_abuse",),
                    status=ConcernStatus.CLOSED,
                    **old_year,  # type: ignore[arg-type]
                ),
            ),
            (
                "two categories + last 30 days",
                SearchFilters(categories=("neglect", "domestic_abuse"), **last_month),  # type: ignore[arg-type]
            ),
        ],
        "words + filters": [
            ("bruise + physical abuse", SearchFilters("bruise", ("physical_abuse",))),
            (
                "said + neglect + open",
                SearchFilters("said", ("neglect",), status=ConcernStatus.OPEN),
            ),
            ("home + year", SearchFilters("home", **old_year)),  # type: ignore[arg-type]
            ("bru + last 30 days", SearchFilters("bru", **last_month)),  # type: ignore[arg-type]
            ("said + recorder (guest)", SearchFilters("said", recorder="Jo Guest")),
            ("the + FGM (rare)", SearchFilters("the", ("fgm",))),
            ("Kowalska + closed", SearchFilters("Kowalska", status=ConcernStatus.CLOSED)),
            ("trampoline + new", SearchFilters("trampoline", status=ConcernStatus.NEW)),
        ],
    }


def bench_search(generated: GeneratedStore, rounds: int) -> dict[str, float]:
    session = _sign_in(generated)
    try:
        kinds = search_queries(session)
        pages: dict[str, list[float]] = {k: [] for k in kinds}
        counts: dict[str, list[float]] = {k: [] for k in kinds}
        slowest: list[tuple[float, str, str]] = []
        every = [(kind, label, filters) for kind, qs in kinds.items() for label, filters in qs]
        rng = random.Random(7)
        for _ in range(rounds):
            # A different order each round, so no query always finds the cache warm.
            rng.shuffle(every)
            for kind, label, filters in every:
                page_ms, _ = timed(lambda f=filters: casework.search(session, f))  # type: ignore[misc]
                count_ms, _ = timed(lambda f=filters: casework.count(session, f))  # type: ignore[misc]
                pages[kind].append(page_ms)
                counts[kind].append(count_ms)
                slowest.append((page_ms, kind, label))
    finally:
        session.lock()
    print(_header("Search: one page of 200 (casework.search)"))
    for kind, values in pages.items():
        print(_row(kind, values))
    overall = [v for values in pages.values() for v in values]
    print(_row("all searches", overall))
    print(_header("Search: the count above the list (casework.count)"))
    for kind, values in counts.items():
        print(_row(kind, values))
    every_count = [v for values in counts.values() for v in values]
    print(_row("all counts", every_count))
    print("\nSlowest search pages:")
    for ms, kind, label in sorted(slowest, reverse=True)[:6]:
        print(f"  {ms:7.1f} ms  {label!r} ({kind})")
    p95 = percentile(overall, 0.95)
    verdict = "within" if p95 <= SEARCH_TARGET_P95_MS else "ABOVE"
    print(f"Search page p95 {p95:.1f} ms is {verdict} the target of {SEARCH_TARGET_P95_MS} ms.")
    return {"search_p95": p95, "search_median": statistics.median(overall)}


# Chronology and lists ---------------------------------------------------------------------


def _qt_app():  # type: ignore[no-untyped-def]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from safeguard_desktop.ui.theme import apply_theme

    def quiet(mode, context, message: str) -> None:  # type: ignore[no-untyped-def]
        # The offscreen platform says this for every window shown; nothing is wrong.
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication([])
    apply_theme(app)  # type: ignore[arg-type]
    return app


class _AppChronology:
    """The app's own ChronologyView (ui/children/chronology_view.py), built, filled and painted."""

    name = "ui/children/chronology_view.ChronologyView, built and painted at 1366x720"

    def show(self, app, entries: list[ChronologyEntry]) -> Callable[[], None]:  # type: ignore[no-untyped-def]
        from safeguard_desktop.ui.children.chronology_view import ChronologyView

        view = ChronologyView()
        view.resize(1366, 720)
        view.set_entries(entries)
        view.show()
        app.processEvents()
        view.table.viewport().repaint()
        return view.deleteLater


def bench_chronology(generated: GeneratedStore, rounds: int) -> dict[str, float]:
    child_id = generated.heavy_child_id
    session = _sign_in(generated)
    app = _qt_app()
    view = _AppChronology()
    service: list[float] = []
    screen: list[float] = []
    entries_count = 0
    try:
        for _ in range(max(rounds * 2, 10)):
            started = time.perf_counter()
            entries = children.chronology(session, child_id)
            service.append((time.perf_counter() - started) * 1000)
            close = view.show(app, entries)
            screen.append((time.perf_counter() - started) * 1000)
            close()
            entries_count = len(entries)
        concerns_page: list[float] = []
        children_page: list[float] = []
        concerns_count: list[float] = []
        child_file: list[float] = []
        for _ in range(max(rounds * 2, 10)):
            concerns_page.append(timed(lambda: casework.search(session, SearchFilters()))[0])
            concerns_count.append(timed(lambda: casework.count(session, SearchFilters()))[0])
            children_page.append(timed(lambda: children.list_children(session))[0])
            child_file.append(timed(lambda: children.child_file(session, child_id, audit=False))[0])
        deep = {
            "concerns list, page at 20,000": lambda: casework.search(
                session, SearchFilters(), offset=20_000
            ),
            "concerns list, page at 90,000": lambda: casework.search(
                session, SearchFilters(), offset=90_000
            ),
            "children list, page at 19,000": lambda: children.list_children(session, offset=19_000),
        }
        deep_pages = {label: [timed(run)[0] for _ in range(rounds)] for label, run in deep.items()}
        children_filtered = [
            timed(lambda n=name: children.list_children(session, n))[0]  # type: ignore[misc]
            for _ in range(rounds)
            for name in ("k", "kowal", "amelia", "王")
        ]
    finally:
        session.lock()
    print(_header(f"Chronology of one child ({entries_count} entries)"))
    print(_row("casework.chronology()", service))
    print(_row("service + on screen", screen))
    print(f"  view: {view.name}")
    print(_header("List views: the first page of 200"))
    print(_row("concerns list (search, no filter)", concerns_page))
    print(_row("concerns count (no filter)", concerns_count))
    print(_row("children list (by name)", children_page))
    print(_row("children list, name typed", children_filtered))
    for label, values in deep_pages.items():
        print(_row(label, values))
    print(_row("child file (500-entry child)", child_file))
    median = statistics.median(screen)
    verdict = "within" if max(screen) <= CHRONOLOGY_TARGET_MS else "ABOVE"
    print(
        f"Chronology on screen: median {median:.1f} ms, max {max(screen):.1f} ms, {verdict} "
        f"the target of {CHRONOLOGY_TARGET_MS} ms."
    )
    return {"chronology_screen_median": median}


# Ingest -----------------------------------------------------------------------------------


def _concerns_to_seal(count: int) -> list[Concern]:
    rng = random.Random(11)
    now = datetime.now()
    names = ("Amelia Kowalska", "Omar Haddad", "Wang Xiuying", "Tyler Smith", "Łucja Nowak")
    concerns = []
    for i in range(count):
        data = {
            "children": [{"name": rng.choice(names), "date_of_birth": "2014-05-06"}],
            "occurred_at": (now - timedelta(hours=i % 48 + 1)).replace(microsecond=0).isoformat(),
            "location": "The playground, Riverside site",
            "categories": [rng.choice(("physical_abuse", "neglect", "emotional_abuse"))],
            "observed": "At 10:15 I saw a bruise on her left forearm. " * rng.randint(1, 6),
            "child_words": "It was an accident, I fell over.",
            "presentation": "Quiet, kept pulling the sleeve down.",
            "others_present": "",
            "actions_taken": "Listened and told her I would need to tell the DSL.",
            "immediate_danger": False,
        }
        concerns.append(Concern.from_json(data, now=now))
    return concerns


INGEST_RECORDER = ("ingestbench", "ingest-bench-password-1")


def seal_for_ingest(session: CaseSession, concerns: list[Concern]) -> None:
    """Seal ``concerns`` into the inbox of ``session``'s store as a real recorder would.

    A real recorder account is added first, so ingest verifies each concern's sender MAC.
    """
    submitter = Submitter("Rita Recorder", "recorder", INGEST_RECORDER[0])
    people.add_user(
        session, *INGEST_RECORDER[:1], "Rita Recorder", Role.RECORDER, INGEST_RECORDER[1]
    )
    record = session.store.vault.user(INGEST_RECORDER[0])
    assert record is not None
    slot = session.store.vault.slot(record.slot_id)
    assert slot is not None
    sender = key_slots.open_slot(slot, INGEST_RECORDER[1].encode(), None)
    for concern in concerns:
        seal_concern(session.store, concern, submitter, sender=sender)


def bench_ingest(generated: GeneratedStore, runs: int) -> dict[str, float]:
    concerns = _concerns_to_seal(INGEST_COUNT)
    seconds: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-", dir=generated.folder) as tmp:
        for run in range(runs):
            copy = Path(tmp) / f"copy{run}"
            shutil.copytree(generated.data_dir, copy)
            session = _sign_in(generated, copy)
            try:
                seal_for_ingest(session, concerns)
                started = time.perf_counter()
                received = len(inbox.ingest(session).concerns)
                seconds.append(time.perf_counter() - started)
                assert received == INGEST_COUNT, received
            finally:
                session.lock()
                shutil.rmtree(copy)
    print(_header(f"Ingest {INGEST_COUNT:,} sealed concerns (fresh copy each run)"))
    print(_row("casework.ingest()", seconds, "s"))
    median = statistics.median(seconds)
    verdict = "within" if median <= INGEST_TARGET_S else "ABOVE"
    print(f"Ingest median {median:.2f} s is {verdict} the target of {INGEST_TARGET_S:.0f} s.")
    return {"ingest_median": median}


# Sign-in ----------------------------------------------------------------------------------


def _pragma(conn: case_database.Connection, name: str) -> list[tuple[object, ...]]:
    return conn.execute(f"PRAGMA {name}").fetchall()


def bench_unlock(generated: GeneratedStore, runs: int) -> dict[str, float]:
    def sign_in(data_dir: Path) -> float:
        store = Store.open(data_dir)
        started = time.perf_counter()
        session = store.login(*generated.admin)
        seconds = time.perf_counter() - started
        session.lock()
        return seconds

    sign_in(generated.data_dir)  # not timed: leaves the record a clean lock leaves
    as_closed = [sign_in(generated.data_dir) for _ in range(runs)]
    # A copied folder (a restore, a move) is a new file: every page is checked once.
    after_copy: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-unlock-", dir=generated.folder) as tmp:
        for run in range(2):
            copy = Path(tmp) / f"copy{run}"
            shutil.copytree(generated.data_dir, copy)
            after_copy.append(sign_in(copy))
            shutil.rmtree(copy)
    # The parts, one at a time, with the key the admin's slot opens.
    store = Store.open(generated.data_dir)
    record = store.vault.user(generated.admin[0])
    assert record is not None
    slot = store.vault.slot(record.slot_id)
    assert slot is not None
    parts: dict[str, list[float]] = {
        "key derivation (Argon2id)": [],
        "open_database (file as closed)": [],
        "PRAGMA quick_check (all pages)": [],
        "PRAGMA cipher_integrity_check": [],
        "audit_log.verify (whole chain)": [],
    }
    for _ in range(runs):
        ms, opened = timed(lambda: key_slots.open_slot(slot, generated.admin[1].encode(), None))
        parts["key derivation (Argon2id)"].append(ms / 1000)
        path, key = generated.data_dir / CASES_NAME, opened.db_key  # type: ignore[attr-defined]
        ms, conn = timed(partial(case_database.open_database, path, key))
        parts["open_database (file as closed)"].append(ms / 1000)
        for pragma in ("quick_check", "cipher_integrity_check"):
            label = next(k for k in parts if pragma in k)
            ms, _ = timed(partial(_pragma, conn, pragma))
            parts[label].append(ms / 1000)
        ms, report = timed(partial(audit_log.verify, conn))
        parts["audit_log.verify (whole chain)"].append(ms / 1000)
        case_database.close_database(conn, key, audit_intact=report.ok)  # type: ignore[arg-type, attr-defined]
    print(_header("Sign-in on the big store (KdfParams(): 64 MiB, t=3)"))
    print(_row("Store.login, file as last closed", as_closed, "s"))
    print(_row("Store.login, copy (all checked)", after_copy, "s"))
    for label, values in parts.items():
        print(_row(f"  {label}", values, "s"))
    return {"unlock_median": statistics.median(as_closed)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--rounds", type=int, default=5, help="times each search is run")
    parser.add_argument("--ingest-runs", type=int, default=3)
    parser.add_argument("--unlock-runs", type=int, default=5)
    parser.add_argument(
        "--only", default="search,chronology,ingest,unlock", help="comma-separated parts"
    )
    args = parser.parse_args()
    generated = ensure_store(args.folder)
    manifest = generated.manifest
    print(
        f"Store: {manifest['concerns']:,} concerns, {manifest['children']:,} children, "
        f"{manifest['actions']:,} actions, {manifest['audit_entries']:,} audit entries; "
        f"cases.db {folder_size(generated.data_dir) / 2**20:,.0f} MiB "
        f"(generated in {manifest['generation_seconds']} s)"
    )
    load = os.getloadavg()
    print(f"{os.cpu_count()} CPUs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    parts = set(args.only.split(","))
    if "search" in parts:
        bench_search(generated, args.rounds)
    if "chronology" in parts:
        bench_chronology(generated, args.rounds)
    if "ingest" in parts:
        bench_ingest(generated, args.ingest_runs)
    if "unlock" in parts:
        bench_unlock(generated, args.unlock_runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
