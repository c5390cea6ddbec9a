"""``selftest``: does this installed copy have every part it needs?

Six checks, each "pass", "warn" or "fail" with one plain sentence:
SQLCipher (version 4 and full-text search), the OS credential store,
Qt (can it start a GUI application here), a PDF sign-and-verify round
trip, a worker process started as a full export starts them to make its PDFs
(the frozen program starts itself again for that) and protected as the app is,
and the bank holidays that working days
are counted with (the frozen build carries only the UK's part of the holidays
library). Nothing is written
to disk and no store is opened, so it is safe to run on any machine,
including a build machine with no screen.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from .. import __version__
from ..domain.working_days import Nation, WorkingDays
from ..security import device_secret

log = logging.getLogger(__name__)

Check = dict[str, Any]


def check(status: str, detail: str, **extra: Any) -> Check:
    """One check's result; Qt's check (ui/qt_probe.py) uses it too."""
    return {"status": status, "detail": detail, **extra}


def check_sqlcipher() -> Check:
    """SQLCipher 4 with a raw key, and an FTS5 full-text query."""
    # Imported here, not at module level, so that a broken SQLCipher build
    # is reported as a failed check instead of stopping the whole self-test.
    from ..storage.case_database import probe_engine

    cipher_version, sqlite_version, fts_ok = probe_engine()
    versions = {"cipher_version": cipher_version, "sqlite_version": sqlite_version}
    if not cipher_version:
        return check("fail", "The SQLite library in use is not SQLCipher.", **versions)
    if not cipher_version.startswith("4."):
        return check(
            "fail", f"SQLCipher {cipher_version} is installed but version 4 is needed.", **versions
        )
    if not fts_ok:
        return check("fail", "SQLCipher's full-text search gave a wrong answer.", **versions)
    return check(
        "pass",
        f"SQLCipher {cipher_version} on SQLite {sqlite_version} with full-text search works.",
        **versions,
    )


def check_keyring() -> Check:
    """The OS credential store; without one the app still works, on passwords alone."""
    status = device_secret.probe()
    return check("pass" if status.usable else "warn", status.message, backend=status.backend)


def check_pdf() -> Check:
    # reportlab and pyHanko are imported for the check, not with this module.
    from ..pdf.selftest_document import reportlab_accelerated, roundtrip_check

    ok, detail = roundtrip_check()
    return check("pass" if ok else "fail", detail, accelerated=reportlab_accelerated())


def check_pdf_workers() -> Check:
    """A worker process started as a full export starts them to make its PDFs (the
    frozen program starts itself again), and its protections: it holds records too.
    Making a PDF is the pdf check's; here the worker imports no PDF library, so the
    check costs a process start, beside the others."""
    from ..pdf.worker_pool import PdfWorkers, cores, workers_for
    from ..process_hardening import protections

    with PdfWorkers(1) as workers:
        if not workers.workers:
            return check(
                "warn",
                "PDF worker processes could not start here, so a full export makes its "
                "PDFs one at a time.",
            )
        protected = next(workers.made([protections]))
    if protected["core_limit"] not in (None, 0) or protected["dumpable"] is True:
        return check("fail", "A PDF worker process is not protected as the app is.", **protected)
    most = workers_for(float("inf"))
    return check(
        "pass",
        f"PDFs can be made by {most} worker processes at once here ({cores()} cores).",
        cores=cores(),
        workers=most,
        **protected,
    )


def check_bank_holidays() -> Check:
    """Each UK nation's bank holidays, from a year whose answers are known: one working
    day after Christmas Eve 2026 is Tuesday 29 December (Boxing Day's substitute day is
    the Monday), and Scotland alone keeps 2 January."""
    after_christmas = {nation: WorkingDays(nation).next(date(2026, 12, 24)) for nation in Nation}
    scotland_only = [
        nation for nation in Nation if WorkingDays(nation).bank_holiday(date(2026, 1, 2))
    ]
    if set(after_christmas.values()) != {date(2026, 12, 29)} or scotland_only != [Nation.SCOTLAND]:
        return check("fail", "The bank holidays of the UK's nations came out wrong.")
    return check(
        "pass", "The bank holidays of England, Wales, Scotland and Northern Ireland are known."
    )


def _qt_not_given() -> Check:
    return check("fail", "The Qt check was not run by this caller.")


# Checks run on a thread of their own while the others run.
BESIDE = frozenset({"pdf_workers"})


def _timed(name: str, run_check: Callable[[], Check]) -> Check:
    started = time.perf_counter()
    try:
        result = run_check()
    except Exception as exc:
        # A self-test reports what broke instead of stopping at the first
        # problem; the traceback goes to the log for whoever debugs it.
        log.exception("self-test check %s raised", name)
        result = check("fail", f"The {name} check stopped with {type(exc).__name__}.")
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result


def run_selftest(qt_check: Callable[[], Check] = _qt_not_given) -> dict[str, Any]:
    """Run every check; ``ok`` is true only when none has status "fail".

    Qt is probed by the caller's ``qt_check`` (safeguard_desktop.ui.qt_probe.check_qt
    from the command line): services/ never imports Qt.
    """
    checks_to_run: dict[str, Callable[[], Check]] = {
        "sqlcipher": check_sqlcipher,
        "keyring": check_keyring,
        "qt": qt_check,
        "pdf": check_pdf,
        "pdf_workers": check_pdf_workers,
        "bank_holidays": check_bank_holidays,
    }
    # The worker check mostly waits for a process to start: it runs beside the others.
    with ThreadPoolExecutor(max_workers=1) as beside:
        waiting = {name: beside.submit(_timed, name, checks_to_run[name]) for name in BESIDE}
        checks = {
            name: waiting[name].result() if name in waiting else _timed(name, run_check)
            for name, run_check in checks_to_run.items()
        }
    return {
        "version": __version__,
        "ok": all(c["status"] != "fail" for c in checks.values()),
        "checks": checks,
    }
