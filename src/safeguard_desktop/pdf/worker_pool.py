"""Many PDFs made at once in worker processes, handed back in the order they were asked for.

reportlab and pyHanko are pure Python, so one process makes one PDF at a time on one
core: a full export of a big store (20,000 chronologies, 3,000 signed referrals) kept
one core busy for minutes while the others idled. :class:`PdfWorkers` hands each PDF
to a pool of worker processes, one per core, and gives the bytes back in order, so the
export writes its files exactly as it did when it made them itself.

- **What crosses to a worker** is the finished document to print (a chronology, a
  referral with the organisation's signing identity) through the pool's pipes, in
  memory: nothing is written to disk on the way, and the workers log no record text.
  Each worker hardens itself first, as the app does at start-up (owner-only files, no
  core dumps, not readable by a debugger): a worker holds records in memory too.
- **Spawned, never forked**: a fork of a process running Qt's threads and holding an
  open database is not safe, so the workers start afresh (``spawn`` on every platform),
  which the frozen program supports through ``multiprocessing.freeze_support`` in its
  launcher.
- **Bounded**: at most a few PDFs per worker are in flight, so the records read for
  them and the bytes made are never all in memory at once.
- **Small jobs stay at home**: starting workers costs about a second (each imports
  reportlab and pyHanko), so a few PDFs are made in this process, by the same code.
- **A worker that dies** (killed, out of memory) stops the whole run with one sentence
  rather than waiting for it for ever; the caller discards what it wrote.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from ..domain.errors import SafeguardError
from ..process_hardening import harden_process

log = logging.getLogger(__name__)

# A PDF to make: a module-level function with its arguments bound
# (functools.partial), so that it can be sent to a worker process.
PdfJob = Callable[[], bytes]

MAX_WORKERS = 8
# PDFs in flight per worker: enough that none waits for the next, few enough to keep
# memory flat.
IN_FLIGHT_PER_WORKER = 4
# Below this many seconds of work (estimated by the caller) workers are not worth starting.
WORTH_WORKERS_SECONDS = 3.0


class PdfWorkerStopped(SafeguardError):
    """A worker process ended while making PDFs (killed, or out of memory)."""

    def __init__(self) -> None:
        super().__init__(
            "A part of the program making the PDFs stopped unexpectedly (the computer may "
            "have run short of memory); nothing was kept. Close other programs and try again."
        )


def cores() -> int:
    """The processor cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def workers_for(estimated_seconds: float) -> int:
    """How many worker processes suit a job of ``estimated_seconds`` on one core: none
    for a small one, else one per core (at most :data:`MAX_WORKERS`)."""
    if estimated_seconds < WORTH_WORKERS_SECONDS or cores() < 2:
        return 0
    return min(MAX_WORKERS, cores())


def _start_worker() -> None:
    harden_process()


def _run(job: PdfJob) -> bytes:
    return job()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End every worker of ``pool`` now (they hold nothing that must be saved)."""
    terminate_workers = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate_workers is not None:
        terminate_workers()
        return
    # Before 3.14 the pool keeps its worker processes here and nowhere public.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


class PdfWorkers:
    """A pool of ``workers`` processes making PDFs (0: made in this process).

    Use as a context manager; leaving it stops the workers, dropping PDFs not yet begun.
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(0, workers)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PdfWorkers:
        if self.workers:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
            )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._pool is None:
            return
        if error is not None:
            # Stopped, failed, or a worker died: the others are stopped at once. Left to
            # themselves, the survivors of a dead worker wait for work for ever (Python
            # before 3.12 does not stop them), and shutdown would wait with them.
            _stop_workers(self._pool)
        # PDFs being made finish (a fraction of a second); those waiting are dropped.
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def made(self, jobs: Iterable[PdfJob]) -> Iterator[bytes]:
        """Each job's PDF, in the order of ``jobs``; a job's own error is raised here.

        ``jobs`` is read only as workers free up, so it may read the records lazily.
        """
        if self._pool is None:
            for job in jobs:
                yield job()
            return
        pool = self._pool
        waiting: deque[Future[bytes]] = deque()
        limit = IN_FLIGHT_PER_WORKER * self.workers
        try:
            for job in jobs:
                waiting.append(pool.submit(_run, job))
                if len(waiting) >= limit:
                    yield waiting.popleft().result()
            while waiting:
                yield waiting.popleft().result()
        except BrokenProcessPool:
            log.warning("a PDF worker process stopped unexpectedly")
            raise PdfWorkerStopped() from None
        finally:
            for future in waiting:
                future.cancel()
