"""Check the records now: every page, every table and index, the audit chain, vault.json.

The same checks sign-in makes when a full check is due, run on demand (Settings, and
`safeguard-desktop check`), with progress, ending in one sentence and, when something
failed, what to do: put back the newest checked backup, which is named.

Sign-in's own full check is split so that it takes about a second rather than five on a
big store (issue 17): every page's HMAC is checked while :class:`AuditWalk` walks the
audit chain on a second connection (two cores, each reading the file once), before
anything is written; :class:`StructureCheck` then compares every table with its indexes
on its own read-only connection while the DSL works, and the session refuses every
write once it fails.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..domain.date_words import local, long_date
from ..storage import attachment_records, audit_log, case_database, vault_copy
from ..storage.vault_file import differences, parse_vault_json, read_vault
from . import backup, vault_trust
from .backup import BackupSession

Progress = Callable[[int, str], None]


class AuditWalk:
    """The audit chain walked on a second connection while the first checks every page.

    Given to ``case_database.open_database`` as ``alongside``: it is started only when a
    full check is due. ``report`` is the walk's result (None if it never ran, or could
    not read the file: the session then walks the chain itself, as before).
    """

    def __init__(self, path: Path, key: bytes) -> None:
        self._path = path
        self._key = key
        self.report: audit_log.AuditReport | None = None

    def __call__(self) -> Callable[[], None]:
        thread = threading.Thread(target=self._walk, name="audit-walk", daemon=True)
        thread.start()
        return thread.join

    def _walk(self) -> None:
        try:
            conn = case_database.connect_reading(self._path, self._key)
        except case_database.DatabaseError:
            return
        try:
            self.report = audit_log.verify(conn)
        except case_database.DatabaseError:
            self.report = None  # the page check beside it says what is wrong
        finally:
            conn.close()


class StructureCheck:
    """`PRAGMA integrity_check` (every table against its indexes, free lists, overflow
    pages) on its own read-only connection, in a thread, after a sign-in whose open
    checked every page's HMAC (case_database.structure_owed).

    ``problem`` is None while it runs, "" when the records passed, else a few words.
    SQLite lets the thread run beside the session's own connection (a reader in WAL
    mode sees one consistent snapshot, and the GIL is released while SQLite works).
    """

    def __init__(self, path: Path, key: bytes) -> None:
        self._path = path
        self._key = key
        self.problem: str | None = None
        self._thread = threading.Thread(target=self._check, name="structure-check", daemon=True)
        self._thread.start()

    def _check(self) -> None:
        unreadable = "the records could not be read to the end"
        try:
            conn = case_database.connect_reading(self._path, self._key)
        except case_database.DatabaseError:
            self.problem = unreadable
            return
        try:
            self.problem = case_database.check_tables_and_indexes(conn)
        except case_database.DatabaseError:
            self.problem = unreadable  # a page that could not be read after all
        finally:
            conn.close()

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> str | None:
        """Wait for the result (None if it is still running after ``timeout``)."""
        self._thread.join(timeout)
        return self.problem if self.finished else None


class CheckedSession(BackupSession, Protocol):
    """What the check needs of the CaseSession (services/session.py) that runs it: what
    backups need (it names the newest backup), and the vault's key and alarm.

    The session imports this module (the check after sign-in), so what the check on
    demand needs of it is named here, not imported.
    """

    @property
    def rollback_alarm(self) -> vault_trust.RollbackAlarm | None: ...

    def vault_public_key(self) -> bytes:
        """The public half of the key that must have signed vault.json."""

    def audit(self, action: str, detail: dict[str, object]) -> None:
        """Write one entry to the audit log."""


@dataclass(frozen=True)
class CheckReport:
    ok: bool
    problems: tuple[str, ...]
    audit_entries: int
    newest_backup: str  # the newest checked backup's file, or ""

    def sentence(self) -> str:
        if self.ok:
            return (
                f"Everything checked is in order: every page of the records, every table, "
                f"and the audit log's {self.audit_entries:,} entries."
            )
        what = "; ".join(self.problems)
        where = (
            f" Put back your newest checked backup ({self.newest_backup})."
            if self.newest_backup
            else " Put back your newest checked backup."
        )
        return f"The check found a problem: {what}.{where} Nothing was changed."


def check_records(session: CheckedSession, progress: Progress | None = None) -> CheckReport:
    """The full check on demand (Settings' "Check the records now", the command line's
    check); the result is audited unless the records are open read-only."""
    conn = session.conn
    problems: list[str] = []
    if progress:
        progress(5, "Checking every page of the records…")
    page_problem = case_database.check_every_page(conn)
    if page_problem:
        problems.append(page_problem)
    if progress:
        progress(60, "Walking the audit log…")
    report = audit_log.verify(conn)
    if not report.ok:
        problems.append(f"the audit log is broken ({report.reason})")
    if progress:
        progress(85, "Checking the attached files…")
    changed = attachment_records.not_as_attached(conn)
    if changed:
        files = "1 attached file is" if len(changed) == 1 else f"{len(changed)} attached files are"
        problems.append(f"{files} not the one attached (its fingerprint has changed)")
    if progress:
        progress(90, "Comparing the settings file with the records…")
    copy_text = vault_copy.vault_copy(conn)
    if copy_text is not None:
        found = read_vault(session.store.data_dir)
        changes = differences(parse_vault_json(copy_text), found)
        public = session.vault_public_key()
        if changes:
            problems.append(
                "the settings file differs from the records (" + "; ".join(changes) + ")"
            )
        elif not vault_trust.signature_valid(found, public):
            problems.append("the settings file's seal is broken")
    if session.rollback_alarm is not None:
        problems.append(
            "the settings file had lost its sealed record of how far these records had got"
            if session.rollback_alarm.unanchored
            else "these records are older than the ones this PC last saw"
        )
    last = backup.last_backup(session)
    newest = ""
    if last is not None and last.checked:
        newest = f"{last.path}, made {long_date(local(last.made_at))}"
    if progress:
        progress(100, "Done.")
    checked = CheckReport(not problems, tuple(problems), report.entries, newest)
    if not session.read_only:
        session.audit("records_checked", {"ok": checked.ok, "problems": len(checked.problems)})
    return checked
