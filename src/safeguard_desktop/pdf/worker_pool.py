"""Many PDFs made at once in worker processes, handed back in the order they were asked for.

reportlab and pyHanko are pure Python, so one process makes one PDF at a time on one
core: a full export of a big store (20,000 chronologies, 3,000 signed referrals) kept
one core busy for minutes while the others idled. :class:`PdfWorkers` hands each PDF
to a worker process, one per core, and gives the bytes back in order, so the export
writes its files exactly as it did when it made them itself.

- **What crosses to a worker** is the finished document to print (a chronology, a
  referral with the organisation's signing identity) through that worker's own pipe,
  in memory: nothing is written to disk on the way. Each worker hardens itself first,
  as the app does at start-up (owner-only files, no core dumps, not readable by a
  debugger), ignores Ctrl+C (the program decides, and stops it), and logs nothing.
- **Spawned, never forked**: a fork of a process running Qt's threads and holding an
  open database is not safe, so the workers start afresh (``spawn`` on every platform),
  which the frozen program supports through ``multiprocessing.freeze_support`` in its
  launcher. A PC where they cannot start makes the PDFs in this process, as before.
- **Bounded**: a worker holds two PDFs to make at a time (so it never waits for this
  process between two), and PDFs finished out of order wait for at most a few others,
  so the records read for them are never all in memory at once.
- **Small jobs stay at home**: starting workers costs about a second (each imports
  reportlab and pyHanko), so a few PDFs are made in this process, by the same code.
- **Nothing waits for ever**: each worker has a pipe of its own that only it writes, so
  a worker that dies (killed, out of memory), even halfway through sending a PDF back,
  is seen at once as the end of its pipe; the run stops with one sentence and every
  worker is stopped. Leaving the ``with`` block early stops them too.
  (``concurrent.futures.ProcessPoolExecutor`` was tried first: its workers share one
  result pipe, and a worker killed while sending left the pool waiting for ever.)
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any, TypeVar

from ..domain.errors import SafeguardError
from ..process_hardening import harden_process

log = logging.getLogger(__name__)

# A PDF to make: a module-level function with its arguments bound
# (functools.partial), so that it can be sent to a worker process.
PdfJob = Callable[[], bytes]
T = TypeVar("T")

MAX_WORKERS = 8
# Jobs a worker holds at once: the one it makes and the next, so it never waits for this
# process (writing a file, reading the next records) between two PDFs.
JOBS_PER_WORKER = 2
# How far finished PDFs may run ahead of the one the caller waits for, per worker.
AHEAD_PER_WORKER = 4
# Below this many seconds of work (estimated by the caller) workers are not worth starting.
WORTH_WORKERS_SECONDS = 3.0
# How long workers may take to start (import reportlab and pyHanko) before this process
# makes the PDFs itself.
START_SECONDS = 60.0
# How long a worker may take to stop when asked, before it is ended.
STOP_SECONDS = 5.0

_READY = "ready"
_DONE = "done"
_FAILED = "failed"


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


def _portable(error: BaseException) -> tuple[bytes | None, str, str, bool]:
    """``error`` as the main process can raise it again, even when it cannot be pickled."""
    pickled: bytes | None
    try:
        pickled = pickle.dumps(error)
        # Some exceptions pickle but cannot be made again. Our own bytes, from this
        # process (multiprocessing unpickles everything on the pipe the same way).
        pickle.loads(pickled)  # noqa: S301
    except Exception:  # deliberately broad: any failure means "send its words instead"
        pickled = None
    return pickled, type(error).__name__, str(error), isinstance(error, SafeguardError)


def _serve(connection: Connection) -> None:
    """A worker: make each job sent, send its bytes back; stop at None or the pipe's end.

    A thread of its own takes jobs off the pipe as they come, so this process never
    blocks the program sending one while it is busy (both could otherwise wait on
    each other's full pipe), and the next job is already here when one is done.
    """
    harden_process()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger().addHandler(logging.NullHandler())
    logging.getLogger().setLevel(logging.CRITICAL)
    jobs: queue.SimpleQueue[Callable[[], object] | None] = queue.SimpleQueue()

    def take_jobs() -> None:
        while True:
            try:
                job = connection.recv()
            except (OSError, EOFError):
                job = None
            jobs.put(job)
            if job is None:
                return

    threading.Thread(target=take_jobs, daemon=True).start()
    connection.send((_READY,))
    while (job := jobs.get()) is not None:
        try:
            made = job()
        except Exception as error:  # deliberately broad: raised again in the program
            connection.send((_FAILED, *_portable(error)))
        else:
            connection.send((_DONE, made))


def _raise_again(message: tuple[Any, ...]) -> None:
    _, pickled, kind, text, safeguard = message
    if pickled is not None:
        try:
            error = pickle.loads(pickled)  # noqa: S301  # our own worker's, as above
        except Exception:  # deliberately broad: then its words are raised instead
            error = None
        if isinstance(error, BaseException):
            raise error
    if safeguard:
        raise SafeguardError(text)
    raise RuntimeError(f"{kind}: {text}")


class _Worker:
    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.jobs: deque[int] = deque()  # the numbers of the jobs it has, in order


class PdfWorkers:
    """Up to ``workers`` processes making PDFs (0: made in this process).

    Use as a context manager; leaving it stops the workers, dropping PDFs not yet made.
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(0, workers)
        self._running: list[_Worker] = []

    def __enter__(self) -> PdfWorkers:
        if self.workers:
            try:
                self._start()
            except (OSError, EOFError, RuntimeError, PdfWorkerStopped) as error:
                log.warning("PDF workers could not start (%s); made here", type(error).__name__)
                self._stop(at_once=True)
                self.workers = 0
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop(at_once=error is not None)

    def made(self, jobs: Iterable[Callable[[], T]]) -> Iterator[T]:
        """Each job's PDF, in the order of ``jobs``; a job's own error is raised here.

        ``jobs`` is read only as workers free up, so it may read the records lazily.
        """
        if not self._running:
            for job in jobs:
                yield job()
            return
        waiting = iter(jobs)
        more = True
        sent = 0  # jobs handed out so far
        given = 0  # PDFs handed back to the caller so far
        finished: dict[int, T] = {}
        limit = AHEAD_PER_WORKER * len(self._running)
        while True:
            while more and sent - given < limit:
                worker = min(self._running, key=lambda w: len(w.jobs))
                if len(worker.jobs) >= JOBS_PER_WORKER:
                    break
                following = next(waiting, None)
                if following is None:
                    more = False
                    break
                self._send(worker, following)
                worker.jobs.append(sent)
                sent += 1
            while given in finished:
                yield finished.pop(given)
                given += 1
            busy = [worker for worker in self._running if worker.jobs]
            if not busy:
                if not more and given == sent:
                    return
                continue
            self._collect(busy, finished)

    # --- the workers ----------------------------------------------------------------------

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        for _ in range(self.workers):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs,), daemon=True)
            process.start()
            theirs.close()  # only the worker holds its end: its death ends the pipe
            self._running.append(_Worker(process, ours))
        for worker in self._running:
            if not worker.connection.poll(START_SECONDS):
                raise PdfWorkerStopped()
            if worker.connection.recv() != (_READY,):
                raise PdfWorkerStopped()

    def _send(self, worker: _Worker, job: Callable[[], object]) -> None:
        try:
            worker.connection.send(job)
        except (OSError, EOFError):  # its pipe is closed: it has died
            log.warning("a PDF worker process stopped unexpectedly")
            raise PdfWorkerStopped() from None

    def _collect(self, busy: list[_Worker], finished: dict[int, Any]) -> None:
        """Wait for one or more busy workers to send a PDF back, or to die."""
        ready = wait([worker.connection for worker in busy])
        for worker in busy:
            if worker.connection not in ready:
                continue
            try:
                message = worker.connection.recv()
            except (OSError, EOFError):  # died, perhaps halfway through sending
                log.warning("a PDF worker process stopped unexpectedly")
                raise PdfWorkerStopped() from None
            number = worker.jobs.popleft()
            if message[0] == _FAILED:
                _raise_again(message)
            finished[number] = message[1]

    def _stop(self, *, at_once: bool) -> None:
        """Stop every worker: asked to when all is well, ended at once when not."""
        running, self._running = self._running, []
        for worker in running:
            if not at_once and not worker.jobs:
                with suppress(OSError, EOFError):  # already gone: ended below
                    worker.connection.send(None)
        for worker in running:
            if at_once or worker.jobs:
                worker.process.terminate()
            worker.process.join(STOP_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
