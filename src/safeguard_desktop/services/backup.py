"""Backups: make one and check it, restore one on a new PC, and automatic backups.

A backup (storage/backup_file.py) holds a consistent snapshot of cases.db (still
encrypted under the database key), a copy of inbox.db, and what a new PC needs to
open them: the recovery-key slot and a manifest with the vault as the database keeps
it, the audit head and the counts. It is written beside its final name, fsynced and
renamed, then read back from the disk and checked (every page, integrity, the audit
chain to the recorded head, the counts) before it is reported as made. The audit head
it holds is written to the audit log, which anchors the log in one more place.

Restoring needs the recovery key (never a password: password slots are bound to the
old PC's credential store) and an empty folder; the administrator named gets a new
password, the other accounts keep their names and roles and get a new password from
the administrator.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import logging
import os
import re
import secrets
import shutil
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO, Protocol

from .. import __version__
from ..domain.accounts import validate_password
from ..domain.date_words import local, long_date
from ..domain.errors import (
    BadInput,
    NotPermitted,
    SafeguardError,
    StoreExists,
    StoreTooNew,
    WrongCredentials,
)
from ..domain.organisation import Role
from ..security import device_secret, key_slots, recovery_key, vault_signing
from ..storage import audit_log, case_records, snapshot, vault_copy
from ..storage.atomic_file import fsync_directory
from ..storage.backup_file import (
    SUFFIX,
    BackupCancelled,
    BackupUnreadable,
    read_header,
    read_sections,
    write_backup,
)
from ..storage.case_database import (
    CASES_NAME,
    Connection,
    DatabaseError,
    close_database,
    open_database,
)
from ..storage.folder_lock import IN_USE_NAME
from ..storage.sealed_inbox import INBOX_NAME
from ..storage.storage_errors import file_errors_told
from ..storage.vault_file import VAULT_NAME, parse_vault_json, write_vault
from . import vault_trust
from .changes import Changes, Setting
from .data_folder import DataFolder, UserInfo

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]  # percent done, what is happening (a sentence)
Cancelled = Callable[[], bool]

MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 1024 * 1024  # a manifest is a few hundred bytes
AUTO_SETTING = "automatic_backups"
LAST_SETTING = "last_backup"
RESTORED_SETTING = "restored_from_backup"
DEFAULT_EVERY_DAYS = 1
DEFAULT_KEEP = 10
AMBER_DAYS = 7
RED_DAYS = 30
_NAME = re.compile(
    r"^safeguard-backup-(?P<slug>[a-z0-9-]+)-(?P<day>\d{4}-\d{2}-\d{2})(-\d+)?\.sgbackup$"
)


class BackupFailed(SafeguardError):
    """A backup was not made, or was made and failed its check (then it is removed)."""

    exit_code = 1


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    made_at: str  # ISO, UTC
    concerns: int
    children: int
    audit_entries: int
    head_seq: int

    @property
    def changes(self) -> Changes:
        """A backup made is the new last backup, which Home and Settings show."""
        return Changes.of(settings=[Setting.LAST_BACKUP])

    def sentence(self) -> str:
        return (
            f"Backup made and checked: {self.path.name}, {_size_words(self.size)}, "
            f"holding {_counted(self.concerns, 'concern')}, "
            f"{_counted(self.children, 'child', 'children')} and "
            f"{_counted(self.audit_entries, 'audit entry', 'audit entries')}."
        )


def _counted(number: int, one: str, many: str = "") -> str:
    """A count and its noun: "1 concern", "2 concerns" (never "1 concerns")."""
    return f"{number:,} {one if number == 1 else many or one + 's'}"


def _size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"


def slug(name: str) -> str:
    """The organisation's name for a file name: plain letters, digits and dashes."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    return "-".join(words)[:40].strip("-") or "organisation"


def file_name(org_name: str, day: date) -> str:
    """``safeguard-backup-<organisation>-<date>.sgbackup``: never a child's name."""
    return f"safeguard-backup-{slug(org_name)}-{day.isoformat()}{SUFFIX}"


def _free_path(folder: Path, name: str) -> Path:
    path = folder / name
    number = 2
    while path.exists():
        path = folder / name.replace(SUFFIX, f"-{number}{SUFFIX}")
        number += 1
    return path


def _chosen_path(folder: Path, name: str) -> Path:
    if Path(name).name != name or not name.endswith(SUFFIX) or name == SUFFIX:
        raise BadInput(
            f"A backup's file name must end in {SUFFIX}, with no folder in it.", field="out"
        )
    path = folder / name
    if path.exists() or path.is_symlink():
        raise BadInput(
            f"{path} already exists, and a backup never replaces a file. Choose a new name.",
            field="out",
        )
    return path


def _refuse_folder(folder: Path, data_dir: Path) -> None:
    try:
        inside = folder.resolve().is_relative_to(data_dir.resolve())
    except OSError:
        inside = False
    if inside:
        raise BadInput(
            "A backup cannot go into the records' own folder: if the PC dies it dies with "
            "them. Choose another folder, such as a USB stick.",
            field="folder",
        )
    if not folder.is_dir():
        raise BadInput(
            f"The folder {folder} does not exist or cannot be reached (is the USB stick "
            "plugged in?).",
            field="folder",
        )


def _phase(
    progress: Progress | None, start: int, end: int, total: int, message: str
) -> Callable[[int], None]:
    """A byte counter that reports progress from ``start`` to ``end`` percent."""
    done = 0
    last = -1

    def advance(count: int) -> None:
        nonlocal done, last
        done += count
        percent = start + (end - start) * min(done, total) // max(total, 1)
        if progress is not None and percent != last:
            last = percent
            progress(percent, message)

    return advance


def _os_error(err: OSError, where: Path) -> SafeguardError:
    """One sentence for a failed write to the backup folder (the store is unharmed)."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        what = "the disk or USB stick is full"
    elif err.errno == errno.EFBIG:
        what = "the file is too big for that disk or USB stick (or the disk is full)"
    elif err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        what = "that folder cannot be written to"
    elif err.errno in (errno.ENOENT, errno.ENODEV, errno.EIO):
        what = "the folder went away or could not be read (was the USB stick removed?)"
    else:
        what = f"the computer reported a problem ({err.strerror or 'input/output error'})"
    return BackupFailed(
        f"The backup was not made: {what}. Your records are unharmed; nothing was left "
        f"in {where} under the backup's name."
    )


def _snapshot_error(err: Exception) -> SafeguardError:
    # SQLite's result code where the driver gives it (SQLITE_FULL is 13), else its words.
    code = getattr(err, "sqlite_errorcode", None)
    full = (
        code == 13
        or "full" in str(err).lower()
        or getattr(err, "errno", None)
        in (
            errno.ENOSPC,
            errno.EFBIG,
        )
    )
    if full:
        return BackupFailed(
            "The backup was not made: the disk that holds the records is too full to take "
            "a copy of them first. Free some space and try again; your records are unharmed."
        )
    return BackupFailed(
        "The backup was not made: a copy of the records could not be taken "
        f"({type(err).__name__}). Your records are unharmed; try again."
    )


# Making a backup -----------------------------------------------------------------------


class BackupSession(Protocol):
    """What backups need of the unlocked CaseSession (services/session.py) they run in.

    Named here, not imported: the session imports the records check, which reads the
    last backup from this module.
    """

    @property
    def store(self) -> DataFolder: ...

    @property
    def user(self) -> UserInfo: ...

    @property
    def conn(self) -> Connection: ...

    @property
    def read_only(self) -> bool: ...

    def backup_key_material(self) -> bytes:
        """The database key, for this backup only."""

    def require_admin(self) -> None:
        """NotPermitted unless the signed-in account is an administrator's."""


def make_backup(
    session: BackupSession,
    folder: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    name: str | None = None,
) -> BackupReport:
    """Write a backup into ``folder``, read it back and check it; audited. Slow.

    ``name`` is the file's name when the user chose one (the command line's ``--out
    FILE``); an existing file of that name is refused, never replaced. Without it the
    backup is named for the organisation and the day, numbered past any existing one.
    """
    db_key = session.backup_key_material()  # SessionLocked first, as for every use case
    data_dir = session.store.data_dir
    folder = Path(folder)
    _refuse_folder(folder, data_dir)
    recovery = vault_trust.recovery_slot(session.conn, session.store.vault)
    now = datetime.now(UTC)
    if name is None:
        final = _free_path(folder, file_name(session.store.organisation.name, now.date()))
    else:
        final = _chosen_path(folder, name)
    _clear_leftovers(data_dir, folder)
    work = data_dir / f".backup-{secrets.token_hex(4)}"
    temp = folder / f".{final.name}.{secrets.token_hex(4)}.tmp"
    stop = cancelled or (lambda: False)
    try:
        work.mkdir(mode=0o700)
        if progress:
            progress(2, "Taking a copy of the records…")
        snap = work / CASES_NAME
        try:
            snapshot.snapshot_case_database(data_dir / CASES_NAME, db_key, snap, stop)
        except DatabaseError as err:
            if stop():
                raise BackupCancelled() from None
            raise _snapshot_error(err) from err
        except OSError as err:
            raise _snapshot_error(err) from err
        if stop():
            raise BackupCancelled()
        inbox = snapshot.snapshot_inbox(data_dir / INBOX_NAME)
        facts = snapshot.facts_of(snap, db_key)
        manifest = _manifest(session, facts, now)
        total = snap.stat().st_size + len(inbox)
        advance = _phase(progress, 30, 65, total, "Writing the backup…")
        try:
            with temp.open("xb") as out:
                write_backup(
                    out,
                    program=__version__,
                    created_at=str(manifest["created_at"]),
                    recovery_slot=recovery,
                    db_key=db_key,
                    sections=[
                        (MANIFEST, json.dumps(manifest).encode("utf-8")),
                        (CASES_NAME, snap),
                        (INBOX_NAME, inbox),
                    ],
                    progress=advance,
                    cancelled=stop,
                )
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, final)
            fsync_directory(folder)
        except OSError as err:
            raise _os_error(err, folder) from err
        size = final.stat().st_size
        if progress:
            progress(65, "Checking the backup just written…")
        try:
            checked = check_backup(final, db_key, work, progress=progress, start=65)
        except SafeguardError:
            final.unlink(missing_ok=True)
            raise
        if (checked.head_seq, checked.concerns) != (facts.head_seq, facts.concerns):
            final.unlink(missing_ok=True)
            raise BackupFailed(
                "The backup was written but did not read back the same; it was removed. "
                "Try another folder or USB stick."
            )
        report = BackupReport(
            path=final,
            size=size,
            made_at=now.isoformat(timespec="seconds"),
            concerns=facts.concerns,
            children=facts.children,
            audit_entries=facts.audit_entries,
            head_seq=facts.head_seq,
        )
        _record_backup(session, report, facts.head_hash)
        if progress:
            progress(100, report.sentence())
        return report
    except BackupCancelled:
        raise BackupFailed("The backup was cancelled; nothing was written.") from None
    finally:
        # Never in place of the error that got here: on a read-only or pulled USB stick
        # removing the temporary file fails too, and the snapshot must still go.
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def _record_backup(session: BackupSession, report: BackupReport, head_hash: str) -> None:
    """A checked backup: its audit head goes into the log (one more anchor)."""
    detail: dict[str, object] = {
        "file": report.path.name,
        "size": report.size,
        "head_seq": report.head_seq,
        "head_hash": head_hash,
        "concerns": report.concerns,
    }
    vault_trust.remember_backup(session.store.vault.vault_id, str(report.path), report.made_at)
    if session.read_only:
        return  # a read-only store can still be backed up; nothing is written
    with case_records.transaction(session.conn):
        audit_log.append(session.conn, session.user.username, "backup_made", detail)
        case_records.set_setting(
            session.conn,
            LAST_SETTING,
            {"made_at": report.made_at, "path": str(report.path), "checked": True},
        )


def last_backup(session: BackupSession) -> LastBackup | None:
    """The newest backup made here, if any."""
    return _last_backup_from(case_records.get_setting(session.conn, LAST_SETTING))


def restored_from(session: BackupSession) -> dict[str, object] | None:
    """When these records were restored from a backup, and when that backup was made."""
    value = case_records.get_setting(session.conn, RESTORED_SETTING)
    return value if isinstance(value, dict) else None


# Automatic backups -----------------------------------------------------------------------


def automatic_backups(session: BackupSession) -> AutoBackupSettings | None:
    """Where, how often and how many automatic backups are made; None when off."""
    return AutoBackupSettings.from_json(case_records.get_setting(session.conn, AUTO_SETTING))


def set_automatic_backups(session: BackupSession, settings: AutoBackupSettings | None) -> Changes:
    """Turn automatic backups on (into a folder, how often, how many) or off; admin."""
    session.require_admin()
    if settings is not None:
        settings = validate_auto_settings(settings, session.store.data_dir)
    with case_records.transaction(session.conn):
        case_records.set_setting(
            session.conn, AUTO_SETTING, settings.to_json() if settings else None
        )
        audit_log.append(
            session.conn,
            session.user.username,
            "setting_changed",
            {"setting": "automatic_backups", "on": settings is not None},
        )
    return Changes.of(settings=[Setting.AUTOMATIC_BACKUPS])


def automatic_backup_due(session: BackupSession) -> bool:
    return backup_due(automatic_backups(session), last_backup(session), datetime.now(UTC))


def run_automatic_backup(
    session: BackupSession,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> str:
    """Make the automatic backup if one is due; returns one sentence for a notice.

    A folder that is not there (the USB stick is out) is a quiet notice, never an
    error: the next sign-in or lock tries again.
    """
    settings = automatic_backups(session)
    if settings is None or not automatic_backup_due(session):
        return ""
    if session.read_only:
        # These are older records than this PC last saw: pruning would replace good
        # backups with copies of the wrong records.
        return "No automatic backup was made: these records are open read-only."
    folder = Path(settings.folder)
    if not folder.is_dir():
        return (
            f"The automatic backup is due, but its folder {folder} is not there "
            "(is the USB stick plugged in?). It will be tried again."
        )
    report = make_backup(session, folder, progress=progress, cancelled=cancelled)
    prune(session, folder, settings.keep, report.path)
    return report.sentence()


def clear_work_leftovers(data_dir: Path) -> int:
    """Remove the work folders backups killed half-way left in the data folder; returns
    how many. Each holds a snapshot of the records under the key of its day, which a
    later key rotation does not reach, so this runs at every lead's or administrator's
    sign-in and before a rotation, not only at the next backup. Only names this module
    makes, and never through a link. (A backup in this process is never running then:
    one at lock finishes before anyone can sign in again.)"""
    removed = 0
    for work in data_dir.glob(".backup-*"):
        if re.fullmatch(r"\.backup-[0-9a-f]{8}", work.name) and work.is_dir():
            if work.is_symlink():
                with contextlib.suppress(OSError):
                    work.unlink()
            else:
                shutil.rmtree(work, ignore_errors=True)
            removed += not work.exists()
    if removed:
        log.info("removed %d snapshots left by a backup that was stopped", removed)
    return removed


def _clear_leftovers(data_dir: Path, folder: Path) -> None:
    """What a backup killed half-way left: its work folder (an encrypted snapshot) and a
    temporary file that never got the backup's name. Only names this module makes."""
    clear_work_leftovers(data_dir)
    for temp in folder.glob(f".safeguard-backup-*{SUFFIX}.*.tmp"):
        with contextlib.suppress(OSError):
            temp.unlink()


def _manifest(
    session: BackupSession, facts: snapshot.SnapshotFacts, now: datetime
) -> dict[str, object]:
    return {
        "vault_id": session.store.vault.vault_id,
        "organisation": session.store.organisation.name,
        "created_at": now.isoformat(timespec="seconds"),
        "program": __version__,
        "made_by": session.user.username,
        "audit_head": {"seq": facts.head_seq, "hash": facts.head_hash},
        "counts": {
            "concerns": facts.concerns,
            "children": facts.children,
            "audit_entries": facts.audit_entries,
        },
    }


@dataclass(frozen=True)
class CheckedBackup:
    created_at: str
    program: str
    head_seq: int
    concerns: int
    children: int
    audit_entries: int
    manifest: dict[str, object]


def _open_sections(
    path: Path,
    handle: BinaryIO,
    db_key: bytes,
    work: Path,
    progress: Progress | None,
    start: int,
    end: int,
) -> dict[str, object]:
    header = read_header(handle, path)
    size = path.stat().st_size
    advance = _phase(progress, start, end, size, "Checking the backup…")
    outputs: dict[str, BinaryIO] = {}
    collected = io.BytesIO()  # the manifest, kept in memory

    def sink(name: str, _size: int) -> BinaryIO | None:
        if name == MANIFEST:
            return collected
        if name in (CASES_NAME, INBOX_NAME) and name not in outputs:
            outputs[name] = (work / name).open("xb")
            return outputs[name]
        return None

    try:
        read_sections(handle, path, header, db_key, sink, advance)
        for out in outputs.values():
            # A restore renames these into place: their bytes must be on the disk first.
            out.flush()
            os.fsync(out.fileno())
    finally:
        for out in outputs.values():
            out.close()
    manifest_bytes = collected.getvalue()
    if set(outputs) != {CASES_NAME, INBOX_NAME} or not manifest_bytes:
        raise BackupUnreadable(
            f"The file {path} is not a whole Safeguard Desktop backup (a part is missing). "
            "It has not been changed. Try another backup.",
            path=str(path),
        )
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as err:
        raise BackupUnreadable(f"The backup {path} is damaged.", path=str(path)) from err
    if not isinstance(manifest, dict):
        raise BackupUnreadable(f"The backup {path} is damaged.", path=str(path))
    manifest["_header_created_at"] = header.created_at
    manifest["_header_program"] = header.program
    return manifest


def check_backup(
    path: Path,
    db_key: bytes,
    work: Path,
    *,
    progress: Progress | None = None,
    start: int = 0,
    keep: bool = False,
) -> CheckedBackup:
    """Read a backup back from disk and check everything in it; raises on any fault.

    The database and inbox are decrypted into a new folder inside ``work`` (the
    database stays encrypted under its own key there); with ``keep`` they are left in
    ``work`` itself for a restore, otherwise removed.
    """
    check_dir = work if keep else work / f".check-{secrets.token_hex(4)}"
    check_dir.mkdir(mode=0o700, exist_ok=keep)
    try:
        try:
            with path.open("rb") as handle:
                manifest = _open_sections(
                    path, handle, db_key, check_dir, progress, start, start + (100 - start) // 2
                )
        except OSError as err:
            raise BackupFailed(
                f"The backup {path.name} could not be read back ({err.strerror}); "
                "it may not have been written completely. Try another folder or USB stick."
            ) from err
        if progress:
            progress(start + (100 - start) * 3 // 4, "Checking every page of the copy…")
        result = snapshot.check_copy(check_dir / CASES_NAME, db_key)
        if not result.ok or result.facts is None:
            raise BackupFailed(f"The backup {path.name} failed its check: {result.problem}.")
        try:
            snapshot.check_inbox_copy(check_dir / INBOX_NAME)
        except (OSError, DatabaseError, ValueError) as err:
            raise BackupFailed(
                f"The backup {path.name} failed its check: its inbox is damaged."
            ) from err
        head = manifest.get("audit_head")
        counts = manifest.get("counts")
        facts = result.facts
        if (
            not isinstance(head, dict)
            or not isinstance(counts, dict)
            or head.get("seq") != facts.head_seq
            or head.get("hash") != facts.head_hash
            or counts.get("concerns") != facts.concerns
            or counts.get("children") != facts.children
            or counts.get("audit_entries") != facts.audit_entries
        ):
            raise BackupFailed(
                f"The backup {path.name} failed its check: what it holds does not match "
                "its own list."
            )
        return CheckedBackup(
            created_at=str(manifest.get("created_at", "")),
            program=str(manifest.get("program", "")),
            head_seq=facts.head_seq,
            concerns=facts.concerns,
            children=facts.children,
            audit_entries=facts.audit_entries,
            manifest=manifest,
        )
    finally:
        if not keep:
            shutil.rmtree(check_dir, ignore_errors=True)


# Restoring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreReport:
    data_dir: Path
    backup_made_at: str
    concerns: int
    children: int
    accounts_needing_password: tuple[str, ...]

    def sentence(self) -> str:
        return (
            f"Restored: {_counted(self.concerns, 'concern')} and "
            f"{_counted(self.children, 'child', 'children')} as they "
            f"were when the backup was made ({when_words(self.backup_made_at)}). Anything "
            "recorded after that is not in it."
        )


def when_words(iso: str) -> str:
    """An ISO time from a backup as "2 March 2026, 14:05" in this PC's time."""
    try:
        return long_date(local(datetime.fromisoformat(iso)))
    except ValueError:
        return "an unknown date"


def _empty_or_new(data_dir: Path) -> None:
    # The app holds the folder it restores into (storage/folder_lock.py): its lock
    # file is no record.
    if data_dir.exists() and not data_dir.is_dir():
        raise StoreExists(
            f"{data_dir} is a file, not a folder, so nothing was restored there. Choose a "
            "new or empty folder."
        )
    if data_dir.exists() and any(p.name != IN_USE_NAME for p in data_dir.iterdir()):
        raise StoreExists(
            f"{data_dir} is not empty, so nothing was restored into it and nothing in it "
            "was changed. Choose a new or empty folder."
        )


def restore_backup(
    path: Path,
    data_dir: Path,
    code: str,
    admin_username: str,
    new_password: str,
    *,
    progress: Progress | None = None,
) -> RestoreReport:
    """Restore ``path`` into an empty or new ``data_dir``; the folder is left as it was
    on any failure. Slow (the recovery key's key derivation, then the checks)."""
    path = Path(path)
    data_dir = Path(data_dir)
    _empty_or_new(data_dir)
    if not path.exists():
        raise BadInput(f"There is no backup file at {path}.", field="file")
    if not path.is_file():
        raise BadInput(f"{path} is not a backup file (it is a folder or a device).", field="file")
    normalised = recovery_key.normalise(code)
    validate_password(new_password, Role.ADMIN, field="new password")
    with path.open("rb") as handle:
        header = read_header(handle, path)
    if not header.recovery_slot.kdf.meets_minimum():
        raise BackupUnreadable(
            f"The backup {path} was changed after it was made; it was not used.", path=str(path)
        )
    if progress:
        progress(3, "Opening the backup with the recovery key…")
    try:
        opened = key_slots.open_slot(
            header.recovery_slot, recovery_key.secret_bytes(normalised), None
        )
    except key_slots.SlotLocked:
        raise WrongCredentials(
            "That recovery key does not open this backup; check it against the printed "
            "sheet of the organisation that made it."
        ) from None
    assert opened.db_key is not None
    db_key = opened.db_key
    created_new = not data_dir.exists()
    parent = data_dir.parent
    with _told_as_the_data_folders(data_dir):
        parent.mkdir(parents=True, exist_ok=True)
    for leftover in parent.glob(".restore-*"):
        if re.fullmatch(r"\.restore-[0-9a-f]{8}", leftover.name) and leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    staging = parent / f".restore-{secrets.token_hex(4)}"
    with _told_as_the_data_folders(data_dir):
        staging.mkdir(mode=0o700)
    try:
        checked = check_backup(path, db_key, staging, progress=progress, start=10, keep=True)
        if progress:
            progress(92, "Setting up the records on this PC…")
        report = _install(staging, checked, opened, db_key, admin_username, new_password)
        with _told_as_the_data_folders(data_dir):
            data_dir.mkdir(mode=0o700, exist_ok=True)
            for name in (CASES_NAME, INBOX_NAME, VAULT_NAME):  # vault.json last: a store then
                _move_in(staging / name, data_dir / name)
            fsync_directory(data_dir)
    except BaseException:
        if created_new:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if progress:
        progress(100, "The records are restored.")
    return replace(report, data_dir=data_dir)


def _told_as_the_data_folders(data_dir: Path) -> contextlib.AbstractContextManager[None]:
    """A folder that cannot be made or written while restoring (read-only, full, gone)
    is told as the data folder's fault, in its own sentence, not a crash."""
    return file_errors_told(
        data_dir / VAULT_NAME, "the data folder", outcome="nothing was restored"
    )


def _move_in(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, copying when the data folder is a disk of its own
    (a drive mounted as the data folder: a rename cannot cross file systems)."""
    try:
        os.replace(source, target)
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise
        with source.open("rb") as old, target.open("xb") as new:
            shutil.copyfileobj(old, new, 1024 * 1024)
            new.flush()
            os.fsync(new.fileno())
        source.unlink()


def _install(
    staging: Path,
    checked: CheckedBackup,
    recovery: key_slots.OpenedSlot,
    db_key: bytes,
    admin_username: str,
    new_password: str,
) -> RestoreReport:
    """Make vault.json for this PC and note the restore inside the database copy."""
    conn = open_database(staging / CASES_NAME, db_key)
    try:
        facts = snapshot.snapshot_facts(conn)
        if facts.vault_copy is None or facts.vault_signing_key is None:
            raise BackupUnreadable(
                "The backup was made by a version of Safeguard Desktop too old to restore "
                "from this way; install that version to open it.",
            )
        private = facts.vault_signing_key
        public = vault_signing.public_of(private)
        if recovery.vault_key is not None and recovery.vault_key != public:
            raise BackupUnreadable("The backup's parts do not belong together; it was not used.")
        vault = parse_vault_json(facts.vault_copy)
        record = vault.user(admin_username)
        if record is None:
            raise NotPermitted(f"No account in the backup has the user name {admin_username}.")
        if record.role is not Role.ADMIN:
            raise NotPermitted(
                "The recovery key can give a new password only to an administrator account "
                "of the organisation that made the backup."
            )
        new_vault_id = uuid.uuid4().hex
        try:
            secret: bytes | None = device_secret.create_device_secret(new_vault_id)
        except device_secret.DeviceSecretUnavailable:
            secret = None
        admin = key_slots.create_slot(
            kind="password",
            user_id=record.user_id,
            secret=new_password.encode("utf-8"),
            kdf=vault.new_slot_kdf or recovery.slot.kdf,
            device_secret=secret,
            db_key=db_key,
            vault_key=public,
        )
        # Only the recovery slot and the new administrator's slot come across: the other
        # password slots were bound to the old PC's credential store. The restored store
        # gets an identity of its own on this PC: a test restore beside the real records
        # (same PC, same credential store) must not share their device secret, kept
        # vault key or audit anchor.
        users = tuple(
            u if u.user_id != record.user_id else replace(u, slot_id=admin.slot.slot_id)
            for u in vault.users
        )
        others = tuple(u.username for u in users if u.user_id != record.user_id)
        vault = replace(
            vault,
            vault_id=new_vault_id,
            users=users,
            slots=(admin.slot, recovery.slot),
            rekey_from=None,
        )
        with case_records.transaction(conn):
            audit_log.append(
                conn,
                admin_username,
                "restored_from_backup",
                {
                    "backup_made_at": checked.created_at,
                    "backup_head_seq": checked.head_seq,
                    "program": checked.program,
                },
            )
            case_records.set_setting(
                conn,
                RESTORED_SETTING,
                {
                    "backup_made_at": checked.created_at,
                    "restored_at": datetime.now(UTC).isoformat(timespec="seconds"),
                },
            )
            anchor = vault_trust.anchor_now(conn)
            copy = parse_vault_json(facts.vault_copy)
            signed = vault_trust.sign(vault, private, anchor, copy.generation + 1)
            vault_copy.save_vault_copy(
                conn, vault_trust.copy_text(signed), vault_trust.password_slots(signed)
            )
    finally:
        close_database(conn, db_key)
    write_vault(staging, signed)
    vault_trust.keep_outside(signed)
    return RestoreReport(
        data_dir=staging,
        backup_made_at=checked.created_at,
        concerns=checked.concerns,
        children=checked.children,
        accounts_needing_password=others,
    )


# Automatic backups ---------------------------------------------------------------------


@dataclass(frozen=True)
class AutoBackupSettings:
    folder: str
    every_days: int = DEFAULT_EVERY_DAYS
    keep: int = DEFAULT_KEEP

    def to_json(self) -> dict[str, object]:
        return {"folder": self.folder, "every_days": self.every_days, "keep": self.keep}

    @classmethod
    def from_json(cls, data: object) -> AutoBackupSettings | None:
        if not isinstance(data, dict) or not isinstance(data.get("folder"), str):
            return None
        every = data.get("every_days", DEFAULT_EVERY_DAYS)
        keep = data.get("keep", DEFAULT_KEEP)
        if not isinstance(every, int) or not isinstance(keep, int):
            return None
        return cls(str(data["folder"]), max(1, min(every, 90)), max(1, min(keep, 100)))


def validate_auto_settings(settings: AutoBackupSettings, data_dir: Path) -> AutoBackupSettings:
    if not 1 <= settings.every_days <= 90:
        raise BadInput("Automatic backups run every 1 to 90 days.", field="every_days")
    if not 1 <= settings.keep <= 100:
        raise BadInput("Keep between 1 and 100 automatic backups.", field="keep")
    folder = Path(settings.folder)
    if not folder.is_absolute():
        raise BadInput("Choose a whole folder path for automatic backups.", field="folder")
    _refuse_folder(folder, data_dir)
    return settings


@dataclass(frozen=True)
class LastBackup:
    made_at: datetime
    path: str
    checked: bool

    def age_days(self, now: datetime | None = None) -> int:
        now = now or datetime.now(UTC)
        return max(0, (now - self.made_at).days)

    def level(self, now: datetime | None = None) -> str:
        """ "ok", "amber" (older than 7 days) or "red" (older than 30 days)."""
        age = self.age_days(now)
        return "red" if age > RED_DAYS else "amber" if age > AMBER_DAYS else "ok"


def _last_backup_from(data: object) -> LastBackup | None:
    if not isinstance(data, dict):
        return None
    try:
        made = datetime.fromisoformat(str(data["made_at"]))
    except (KeyError, ValueError):
        return None
    if made.tzinfo is None:
        made = made.replace(tzinfo=UTC)
    return LastBackup(made, str(data.get("path", "")), bool(data.get("checked")))


def backup_due(settings: AutoBackupSettings | None, last: LastBackup | None, now: datetime) -> bool:
    if settings is None:
        return False
    if last is None:
        return True
    return now - last.made_at >= timedelta(days=settings.every_days) - timedelta(hours=1)


def prune(session: BackupSession, folder: Path, keep: int, newest: Path) -> list[Path]:
    """Delete this organisation's automatic backups beyond the newest ``keep``.

    Only after ``newest`` was checked, and only files named as this app names them that
    open as backups of this store: their manifest decrypts with the database key and
    names this vault. They are ordered by the time the manifest gives, never by the
    file's own dates, so a file planted with a later name or time counts for nothing and
    is never deleted. A backup made before the database key last changed (a lead removed
    or suspended) cannot be proved ours and stays until someone deletes it.
    """
    db_key = session.backup_key_material()
    vault_id = session.store.vault.vault_id
    mine = slug(session.store.organisation.name)
    found: list[tuple[datetime, str, Path]] = []
    for path in folder.glob(f"safeguard-backup-*{SUFFIX}"):
        match = _NAME.match(path.name)
        if not match or match.group("slug") != mine or path.is_symlink():
            continue
        made_at = _made_at(path, db_key, vault_id)
        if made_at is not None:
            found.append((made_at, path.name, path))
    found.sort(reverse=True)
    removed = []
    for _made, _name, path in found[keep:]:
        if path == newest:
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


class _ManifestRead(Exception):
    """Stops reading a backup once its manifest (the first section) has been read."""


def _made_at(path: Path, db_key: bytes, vault_id: str) -> datetime | None:
    """When the backup at ``path`` was made, by its own manifest, if it is a backup of
    this store (it decrypts with ``db_key`` and names ``vault_id``); otherwise None.
    Reads the first chunk or so, not the whole file."""
    collected = io.BytesIO()

    def sink(name: str, size: int) -> BinaryIO | None:
        if name != MANIFEST or collected.tell() or size > MAX_MANIFEST_BYTES:
            raise _ManifestRead()
        return collected

    try:
        if not path.is_file():  # a FIFO named like a backup would never end a read
            return None
        with path.open("rb") as handle:
            header = read_header(handle, path)
            read_sections(handle, path, header, db_key, sink)
    except _ManifestRead:
        pass
    except (BackupUnreadable, StoreTooNew, OSError):
        return None
    try:
        manifest = json.loads(collected.getvalue())
        if not isinstance(manifest, dict) or manifest.get("vault_id") != vault_id:
            return None
        made_at = datetime.fromisoformat(str(manifest["created_at"]))
    except (ValueError, KeyError):
        return None
    return made_at if made_at.tzinfo is not None else made_at.replace(tzinfo=UTC)
