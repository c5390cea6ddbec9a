"""The full export of the big store: export.json and every PDF, to a folder or an AES ZIP.

Uses the store casework_store.py generates once (100,000 concerns over 20,000 children,
about 3,600 sent referrals and 656,000 audit entries; cached under benchmarks/.cache/),
copied to a temporary folder first because an export writes an audit entry. Times the
real ``services.export.export_everything`` as the app's worker runs it, with the PDFs made
by as many worker processes as the app would start on this PC (``--workers N`` to choose;
0 makes them in the one process), and each phase by wall clock, from the progress the
export reports: the children's chronology PDFs (starting the workers included), the sent
referrals rebuilt and signed, and the rest (attached files, export.json, writing,
encrypting). Issue 12's target: the whole export of this store in at most 60 s.

A benchmark, not a test: it prints numbers and never fails a build.

    uv run python benchmarks/bench_export.py [FOLDER] [--zip] [--pdfs N] [--workers N]

``--pdfs N`` makes only N chronologies and N referrals, spread evenly over the store
(export.json is always whole), and projects the time for all of them from their rate.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from casework_store import DEFAULT_FOLDER, ensure_store

from safeguard_desktop.pdf import worker_pool
from safeguard_desktop.services import export
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import export_query

TARGET_SECONDS = 60.0
T = TypeVar("T")
ZIP_PASSWORD = "benchmark zip password"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--zip", action="store_true", help="an AES-256 ZIP instead of a folder")
    parser.add_argument("--pdfs", type=int, default=None, help="only the first N PDFs of each")
    parser.add_argument(
        "--workers", type=int, default=None, help="PDF worker processes (default: the app's)"
    )
    args = parser.parse_args()
    generated = ensure_store(args.folder)
    with tempfile.TemporaryDirectory(prefix="bench-export-") as temp:
        data_dir = Path(temp) / "data"
        shutil.copytree(generated.data_dir, data_dir)
        all_children = export_query.child_ids
        all_sent = export_query.sent_referrals
        if args.pdfs is not None:
            export_query.child_ids = lambda conn: _spread(all_children(conn), args.pdfs)  # type: ignore[assignment]
            export_query.sent_referrals = lambda conn: _spread(all_sent(conn), args.pdfs)  # type: ignore[assignment]
        session = Store.open(data_dir).login(*generated.admin)
        assert isinstance(session, CaseSession)
        try:
            totals = (len(all_children(session.conn)), len(all_sent(session.conn)))
            target = Path(temp) / ("export.zip" if args.zip else "export")
            # When each phase last reported a file done: "Chronologies", "Referrals", ...
            last: dict[str, float] = {}

            def progress(percent: int, text: str) -> None:
                last[text.split(":")[0]] = time.perf_counter()

            workers = export.pdf_workers_for(*totals) if args.workers is None else args.workers
            cpu_before = _cpu_seconds()
            started = time.perf_counter()
            result = export.export_everything(
                session,
                target,
                zip_password=ZIP_PASSWORD if args.zip else None,
                progress=progress,
                pdf_workers=workers,
            )
            total = time.perf_counter() - started
            cpu = [after - before for after, before in zip(_cpu_seconds(), cpu_before, strict=True)]
        finally:
            session.lock()
        chronologies_end = last.get("Chronologies", started)
        referrals_end = last.get("Referrals", chronologies_end)
        phases = [
            ("chronology PDFs", chronologies_end - started),
            ("referral PDFs (rebuilt, signed)", referrals_end - chronologies_end),
            ("the rest: files, export.json, writing", started + total - referrals_end),
        ]
        print(json.dumps(result.counts))
        print(f"\nFull export of {generated.data_dir}")
        print(f"  {'as':<34}{'AES-256 ZIP' if args.zip else 'folder'}")
        print(f"  {'PDF worker processes':<34}{workers} (of {worker_pool.cores()} cores)")
        print(f"  {'size':<34}{result.bytes / 1_000_000:,.1f} MB in {result.files:,} files")
        made = (result.chronologies, result.referrals)
        for (name, seconds), count, whole in zip(
            phases, (*made, None), (*totals, None), strict=True
        ):
            line = f"  {name:<34}{seconds:8.1f} s"
            if count:
                line += f"  ({count:,} PDFs, {seconds / count * 1000:.1f} ms each"
                if whole and whole != count:
                    line += f"; all {whole:,}: about {seconds / count * whole:,.0f} s"
                line += ")"
            print(line)
        projected = total
        if args.pdfs is not None:
            for (_, seconds), count, whole in zip(phases[:2], made, totals, strict=True):
                if count:
                    projected += seconds / count * whole - seconds
        print(f"  {'total':<34}{total:8.1f} s")
        if projected != total:
            print(f"  {'total with every PDF, projected':<34}{projected:8.1f} s")
        print(f"  {'target':<34}{TARGET_SECONDS:8.1f} s")
        # Processor time, this process and the workers (counted once they have ended).
        print(f"  {'CPU: this process':<34}{cpu[0]:8.1f} s")
        print(f"  {'CPU: PDF worker processes':<34}{cpu[1]:8.1f} s")
        if args.pdfs is None:
            # No export can beat its work spread evenly over the cores, nor the part only
            # the one process does: a floor for PCs with more cores, not a measurement.
            for cores in (4, 8):
                floor = max(sum(cpu) / cores, cpu[0])
                print(f"  {f'on {cores} cores, at best about':<34}{floor:8.1f} s")
    return 0


def _cpu_seconds() -> tuple[float, float]:
    """User and system time so far: of this process, and of its ended child processes."""
    import resource  # not on Windows; the benchmarks run on Linux

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _spread(items: list[T], count: int) -> list[T]:
    """``count`` of ``items`` spread evenly from first to last (heavy records come first)."""
    step = max(1, len(items) // max(1, count))
    return items[::step][:count]


if __name__ == "__main__":
    raise SystemExit(main())
