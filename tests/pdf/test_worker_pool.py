"""PDFs made in worker processes (pdf/worker_pool.py): real spawned processes, no stand-ins.

The jobs here are real PDFs (the self-test page, a chronology) and small standard-library
calls that show what a worker is: its order, its errors, its death, its protections.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from functools import partial

import pytest

from safeguard_desktop.domain.errors import SafeguardError
from safeguard_desktop.domain.records import ChronologyEntry
from safeguard_desktop.pdf import worker_pool
from safeguard_desktop.pdf.chronology_document import chronology_pdf_bytes
from safeguard_desktop.pdf.chronology_print import ChronologyPrint
from safeguard_desktop.pdf.worker_pool import PdfWorkers, PdfWorkerStopped, workers_for
from safeguard_desktop.process_hardening import protections


def _chronology(child: str, entries: int) -> ChronologyPrint:
    return ChronologyPrint(
        organisation="Riverside Juniors FC",
        child_name=child,
        date_of_birth=None,
        approximate_age=9,
        other_names="",
        group="Under 10s",
        case_owner="Dana Lead",
        risk_level="Medium",
        printed_by="Alex Admin",
        printed_at=datetime(2026, 12, 7, 12, 0),
        entries=tuple(
            ChronologyEntry(
                when=f"2026-03-{1 + number % 28:02d}T09:30",
                kind="concern",
                title=f"Concern {number}",
                summary=f"{child} said something worrying at training, number {number}. " * 8,
                by="Rita Recorder",
                ref=f"C-{number:04d}",
            )
            for number in range(entries)
        ),
    )


def _without_dates(pdf: bytes) -> bytes:
    """A PDF with its creation dates and file identifier taken out (they differ per run)."""
    return re.sub(rb"/ID\s*\[[^\]]*\]", b"", re.sub(rb"D:\d{14}", b"", pdf))


def test_pdfs_come_back_in_order_and_as_this_process_makes_them() -> None:
    documents = [
        _chronology(name, count) for name, count in [("Ava", 3), ("Łucja", 40), ("Ben", 0)]
    ]
    jobs = [partial(chronology_pdf_bytes, document) for document in documents] * 4
    with PdfWorkers(2) as workers:
        made = list(workers.made(jobs))
    at_home = [job() for job in jobs]
    assert [_without_dates(pdf) for pdf in made] == [_without_dates(pdf) for pdf in at_home]
    # Many small jobs through a window of eight: the order holds whoever finishes first.
    with PdfWorkers(2) as workers:
        numbers = list(workers.made([partial(bytes, [n]) for n in range(100)]))
    assert numbers == [bytes([n]) for n in range(100)]


def test_jobs_are_read_only_as_workers_free_up() -> None:
    asked: list[int] = []

    def jobs() -> Iterator[partial[bytes]]:
        for n in range(60):
            asked.append(n)
            yield partial(bytes, [n])

    with PdfWorkers(2) as workers:
        made = workers.made(jobs())
        first = next(made)
        # The records for a PDF are read when it is handed over, never all at once.
        assert first == b"\x00" and len(asked) <= worker_pool.AHEAD_PER_WORKER * 2 + 1
        assert len(list(made)) == 59
    assert len(asked) == 60


def test_a_jobs_own_error_reaches_the_caller() -> None:
    # Big results on the way back while one job fails: nothing waits for ever.
    big = [partial(bytes, 3_000_000)] * 6
    with PdfWorkers(2) as workers, pytest.raises(ValueError):
        list(workers.made([*big, partial(bytes.fromhex, "not hex"), *big]))
    assert multiprocessing.active_children() == []
    # One that cannot be made again here keeps its sentence; an app error stays one.
    with PdfWorkers(2) as workers, pytest.raises(SafeguardError) as refused:
        list(workers.made([partial(_refuse, "The referral is not complete.")]))
    assert str(refused.value) == "The referral is not complete."


def _refuse(sentence: str) -> bytes:
    raise _Unpicklable(sentence)


class _Unpicklable(SafeguardError):
    """An app error whose arguments cannot rebuild it (as IncompleteDecision's cannot)."""

    def __init__(self, sentence: str, *, fields: tuple[str, ...] = ("reason",)) -> None:
        super().__init__(sentence)
        self.fields = fields

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("not to be pickled")


@pytest.mark.parametrize("when", ["at once", "mid-pdf"])
def test_a_worker_that_dies_stops_the_run_with_one_sentence(when: str) -> None:
    with PdfWorkers(2) as workers, pytest.raises(PdfWorkerStopped) as stopped:
        if when == "at once":
            list(workers.made([partial(bytes, [1]), partial(os.abort), partial(bytes, [2])]))
        else:
            # Killed from outside while it draws, as the out-of-memory killer would.
            victim = workers._running[0].process.pid
            made = workers.made([partial(time.sleep, 0.5)] * 8 + [partial(bytes, [2])] * 8)
            threading.Timer(0.2, os.kill, (victim, signal.SIGKILL)).start()
            list(made)
    assert "nothing was kept" in str(stopped.value)
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(sys.platform == "win32", reason="umask and core dumps are POSIX")
def test_a_worker_is_hardened_as_the_app_is() -> None:
    """Owner-only files, no core dumps, not dumpable: set by the worker itself, not
    inherited (this process is made unprotected first)."""
    import resource

    before_umask = os.umask(0o022)
    before_core = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (before_core[1], before_core[1]))
    try:
        with PdfWorkers(1) as workers:
            (seen,) = workers.made([protections])
    finally:
        os.umask(before_umask)
        resource.setrlimit(resource.RLIMIT_CORE, before_core)
    assert seen["umask"] == 0o077 and seen["core_limit"] == 0
    if sys.platform.startswith("linux"):
        assert seen["dumpable"] is False


def test_leaving_early_stops_the_workers() -> None:
    with PdfWorkers(2) as workers:
        made = workers.made(partial(bytes, [n % 256]) for n in range(10_000))
        assert next(made) == b"\x00"
        made.close()  # as an export stopped by the user leaves it
    assert multiprocessing.active_children() == []


def test_small_jobs_stay_in_this_process() -> None:
    assert workers_for(0.5) == 0
    many = workers_for(600.0)
    assert many == min(worker_pool.MAX_WORKERS, worker_pool.cores()) or worker_pool.cores() < 2
    with PdfWorkers(0) as workers:
        assert list(workers.made([partial(bytes, [7])])) == [b"\x07"]
    assert multiprocessing.active_children() == []


def test_an_error_here_ends_the_workers_at_once() -> None:
    """A cancel or a full disk in this process while every worker is busy."""
    with pytest.raises(KeyError), PdfWorkers(2) as workers:
        made = workers.made([partial(bytes, [1]), *[partial(time.sleep, 60)] * 4])
        assert next(made) == b"\x01"
        began = time.monotonic()
        raise KeyError("stop")  # the other two are a minute into their PDFs
    assert time.monotonic() - began < worker_pool.STOP_SECONDS
    assert multiprocessing.active_children() == []


def test_workers_that_cannot_start_leave_the_pdfs_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker_pool, "START_SECONDS", 0.0)  # none is ready in no time
    with PdfWorkers(2) as workers:
        assert workers.workers == 0
        assert list(workers.made([partial(bytes, [3])])) == [b"\x03"]
    assert multiprocessing.active_children() == []
