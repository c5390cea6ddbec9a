"""Storage errors told apart (issue 12): each fault says what happened, never "damaged".

A full disk while a recorder submitted once said the inbox "is damaged ... restore from
your most recent backup", and on the case database "something went wrong". Here a full
disk is made real with RLIMIT_FSIZE in a child process (SIGXFSZ ignored, the soft limit
only, so it can be lifted again) while a recorder submits, while a DSL writes and while
the inbox is taken in, and while vault.json is replaced; a read-only cases.db, a cases.db
locked by another connection's write transaction, and the app opened twice on one folder
each get their own sentence. After every fault the store is whole (audit chain, every
acknowledged concern) and the same operation works once the cause is gone.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlcipher3

from casework_data import concern_data, submit
from conftest import StoreFixture
from repo_paths import SUPPORT
from safeguard_desktop.domain.errors import (
    DataFolderUnusable,
    DiskError,
    DiskFull,
    StoreDamaged,
    StoreInUse,
    StoreLocked,
)
from safeguard_desktop.services import audit_trail, backup, casework, inbox, records_check
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store, hold_data_folder
from safeguard_desktop.storage import case_records, casework_records, storage_errors
from safeguard_desktop.storage.folder_lock import ALREADY_OPEN, IN_USE_NAME
from safeguard_desktop.storage.storage_errors import Fault

POSIX = os.name == "posix"
ROOT = POSIX and os.geteuid() == 0


def _login(data_dir: Path, who: tuple[str, str]) -> CaseSession:
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    return session


def disk_full(data_dir: Path, file: str) -> dict[str, str]:
    """What a child reports for a full disk met while writing ``file``: the sentence is
    the same whatever was being written."""
    return {
        "error": "DiskFull",
        "message": (
            f"The disk that holds {data_dir} is full, so this was not saved; nothing saved "
            "before was lost. Free some space on that disk (empty the Recycle Bin, move "
            "large files elsewhere) and try again."
        ),
        "file": file,
    }


def _whole(data_dir: Path, dsl: tuple[str, str], refs: list[str]) -> CaseSession:
    """Sign in (which takes in the inbox) and check the store: the audit chain is
    unbroken, the database passes its full check, every acknowledged concern is there."""
    session = _login(data_dir, dsl)
    assert audit_trail.verify(session).ok
    assert records_check.check_records(session).ok
    for ref in refs:
        assert case_records.concern_exists(session.conn, ref), ref
    return session


# The classifier -----------------------------------------------------------------------

SQLITE_CODES = [
    (13, Fault.DISK_FULL),  # SQLITE_FULL
    (8, Fault.READ_ONLY),  # SQLITE_READONLY
    (8 | (6 << 8), Fault.READ_ONLY),  # SQLITE_READONLY_DIRECTORY
    (8 | (1 << 8), Fault.READ_ONLY),  # SQLITE_READONLY_RECOVERY
    (8 | (5 << 8), Fault.READ_ONLY),  # SQLITE_READONLY_CANTINIT
    (5, Fault.LOCKED),  # SQLITE_BUSY
    (5 | (3 << 8), Fault.LOCKED),  # SQLITE_BUSY_TIMEOUT
    (6, Fault.LOCKED),  # SQLITE_LOCKED
    (6 | (1 << 8), Fault.LOCKED),  # SQLITE_LOCKED_SHAREDCACHE
    (10, Fault.IO_ERROR),  # SQLITE_IOERR
    (10 | (3 << 8), Fault.IO_ERROR),  # SQLITE_IOERR_WRITE
    (10 | (4 << 8), Fault.IO_ERROR),  # SQLITE_IOERR_FSYNC
    (10 | (2 << 8), Fault.IO_ERROR),  # SQLITE_IOERR_SHORT_READ
    (11, Fault.DAMAGED),  # SQLITE_CORRUPT
    (11 | (1 << 8), Fault.DAMAGED),  # SQLITE_CORRUPT_VTAB
    (26, Fault.NOT_A_DATABASE),  # SQLITE_NOTADB
    (14, Fault.CANNOT_OPEN),  # SQLITE_CANTOPEN
    (14 | (1 << 8), Fault.CANNOT_OPEN),  # SQLITE_CANTOPEN_NOTEMPDIR
    (3, Fault.CANNOT_OPEN),  # SQLITE_PERM
]
# Codes that are a bug of ours, not something the user can act on.
SQLITE_BUGS = [
    1,  # SQLITE_ERROR: a syntax error, a missing table
    19,  # SQLITE_CONSTRAINT
    19 | (8 << 8),  # SQLITE_CONSTRAINT_UNIQUE
    21,  # SQLITE_MISUSE
    7,  # SQLITE_NOMEM
    10 | (12 << 8),  # SQLITE_IOERR_NOMEM: memory, not the disk
    20,  # SQLITE_MISMATCH
]


def _error(module: object, code: int | None) -> Exception:
    err: Exception = module.OperationalError("what SQLite said")  # type: ignore[attr-defined]
    if code is not None:
        err.sqlite_errorcode = code  # type: ignore[attr-defined]
    return err


@pytest.mark.parametrize("module", [sqlite3, sqlcipher3], ids=["sqlite3", "sqlcipher3"])
@pytest.mark.parametrize(("code", "fault"), SQLITE_CODES, ids=[str(c) for c, _ in SQLITE_CODES])
def test_sqlite_result_codes_are_told_apart(
    module: object, code: int, fault: Fault, tmp_path: Path
) -> None:
    assert storage_errors.database_fault(_error(module, code), tmp_path) is fault


@pytest.mark.parametrize("code", [*SQLITE_BUGS, None], ids=[*map(str, SQLITE_BUGS), "none"])
def test_an_unknown_code_stays_a_bug(code: int | None, tmp_path: Path) -> None:
    err = _error(sqlcipher3, code)
    assert storage_errors.database_fault(err, tmp_path) is None
    told = storage_errors.database_errors_told(tmp_path / "cases.db", "the case database")
    with pytest.raises(sqlcipher3.OperationalError) as caught, told:
        raise err
    assert caught.value is err  # the very error, not a sentence about the disk


def test_a_real_constraint_violation_inside_a_transaction_stays_itself(
    store_dir: StoreFixture,
) -> None:
    session = _login(store_dir.data_dir, store_dir.dsl)
    try:
        with pytest.raises(sqlcipher3.IntegrityError), case_records.transaction(session.conn):
            session.conn.execute("INSERT INTO settings (key, value) VALUES ('k', '1')")
            session.conn.execute("INSERT INTO settings (key, value) VALUES ('k', '2')")
        assert not session.conn.in_transaction
    finally:
        session.lock()


def test_an_io_error_with_no_room_left_is_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite reports a write refused with EFBIG (a file-size limit) or EDQUOT (a quota)
    # as an I/O error; a file of the folder at the limit tells it apart.
    (tmp_path / "inbox.db").write_bytes(b"x" * 10)
    err = _error(sqlite3, 10 | (3 << 8))
    assert storage_errors.database_fault(err, tmp_path) is Fault.IO_ERROR
    monkeypatch.setattr(storage_errors, "_file_size_limit", lambda: 10)
    assert storage_errors.database_fault(err, tmp_path) is Fault.DISK_FULL


OS_ERRORS = [
    (errno.ENOSPC, Fault.DISK_FULL),
    (errno.EFBIG, Fault.DISK_FULL),
    (errno.EROFS, Fault.READ_ONLY),
    (errno.EACCES, Fault.READ_ONLY),
    (errno.EPERM, Fault.READ_ONLY),
    (errno.EIO, Fault.IO_ERROR),
]
if hasattr(errno, "EDQUOT"):
    OS_ERRORS.append((errno.EDQUOT, Fault.DISK_FULL))


@pytest.mark.parametrize(("number", "fault"), OS_ERRORS, ids=[str(n) for n, _ in OS_ERRORS])
def test_os_errors_are_told_apart(number: int, fault: Fault) -> None:
    assert storage_errors.os_fault(OSError(number, os.strerror(number))) is fault


@pytest.mark.parametrize("number", [errno.ENOENT, errno.EEXIST, errno.EINVAL, errno.ENOTDIR])
def test_other_os_errors_stay_bugs(number: int, tmp_path: Path) -> None:
    err = OSError(number, os.strerror(number))
    assert storage_errors.os_fault(err) is None
    told = storage_errors.file_errors_told(tmp_path / "vault.json", "the settings file")
    with pytest.raises(OSError) as caught, told:
        raise err
    assert caught.value is err


def test_a_file_held_by_another_program_on_windows_is_locked() -> None:
    err = PermissionError(errno.EACCES, "in use")
    err.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION
    assert storage_errors.os_fault(err) is Fault.LOCKED


@pytest.mark.parametrize("fault", list(Fault), ids=[f.name for f in Fault])
def test_each_fault_has_one_sentence_and_only_damage_says_damaged(
    fault: Fault, tmp_path: Path
) -> None:
    path = tmp_path / "cases.db"
    error = storage_errors.fault_error(fault, path, "the case database")
    message = str(error)
    assert "\n" not in message
    assert str(tmp_path) in message
    assert error.path == str(path)  # type: ignore[attr-defined]
    damage = fault in (Fault.DAMAGED, Fault.NOT_A_DATABASE)
    assert ("damaged" in message) == damage, message
    assert ("Restore" in message) == damage, message  # from a backup: damage only
    expected = {
        Fault.DISK_FULL: DiskFull,
        Fault.READ_ONLY: DataFolderUnusable,
        Fault.CANNOT_OPEN: DataFolderUnusable,
        Fault.LOCKED: StoreLocked,
        Fault.IO_ERROR: DiskError,
        Fault.DAMAGED: StoreDamaged,
        Fault.NOT_A_DATABASE: StoreDamaged,
    }[fault]
    assert type(error) is expected


# A full disk, for real ---------------------------------------------------------------

# The child's own helpers: ``attempt`` runs one step with the disk "full" (no file may
# be written past ``room`` bytes: the soft limit, so it can be lifted again) and says
# what happened as JSON, with the file the error names.
PRELUDE = textwrap.dedent(
    """
    import json, resource, signal, sys
    from pathlib import Path
    from safeguard_desktop.services.store import Store
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    HARD = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    data_dir = Path(sys.argv[1])

    def attempt(step, room=1):
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, HARD))
        try:
            return {"ok": step()}
        except Exception as err:
            name = Path(getattr(err, "path", None) or "?").name
            return {"error": type(err).__name__, "message": str(err), "file": name}
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (HARD, HARD))

    def again(step):
        return {"ok": step()}

    def quietly(step):
        # A write returns what it changed; these tests ask only whether it was saved.
        step()
    """
)


def _child(script: str, data_dir: Path, tmp_path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(script), str(data_dir)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={
            **os.environ,
            "SAFEGUARD_LOG_DIR": str(tmp_path / "logs"),
            # The child seals concerns the way the tests do (tests/support/casework_data.py).
            "PYTHONPATH": os.pathsep.join([str(SUPPORT), *sys.path]),
        },
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# Room for nothing (the inbox cannot even make its index file), and room for the
# inbox's index but not for a long concern (the write itself fails, at COMMIT).
SUBMIT_ROOM = {"no_room": (1, 200), "room_short_of_a_long_concern": (32_768, 60_000)}


@pytest.mark.skipif(not POSIX, reason="RLIMIT_FSIZE")
@pytest.mark.parametrize("room", list(SUBMIT_ROOM))
def test_a_full_disk_while_a_recorder_submits_says_so(
    store_dir: StoreFixture, tmp_path: Path, room: str
) -> None:
    data_dir = store_dir.data_dir
    before = submit(Store.open(data_dir), concern_data(name="Before The Disk Filled"))
    inbox = data_dir / "inbox.db"
    limit, length = SUBMIT_ROOM[room]
    result = _child(
        f"""
        from datetime import datetime
        from casework_data import concern_data
        from safeguard_desktop.domain.concern import Concern
        session = Store.open(data_dir).login("rita", "recorder-pw-1")
        data = concern_data(name="During The Full Disk", observed="I saw it. " * ({length} // 10))
        concern = Concern.from_json(data, now=datetime.now())
        failed = attempt(lambda: session.submit_concern(concern), room={limit})
        retried = again(lambda: session.submit_concern(concern))
        receipts = [r.ref for r in session.receipts()]
        print(json.dumps({{"failed": failed, "retried": retried, "receipts": receipts}}))
        """,
        data_dir,
        tmp_path,
    )
    assert result["failed"] == disk_full(data_dir, "inbox.db")
    ref = result["retried"]["ok"]  # type: ignore[index]
    assert result["receipts"] == [ref]  # one receipt: the failed attempt left none
    with sqlite3.connect(inbox) as conn:
        assert conn.execute("SELECT count(*) FROM sealed").fetchone()[0] == 2
    session = _whole(data_dir, store_dir.dsl, [before, ref])
    try:
        assert case_records.count_concerns(session.conn) == 2
    finally:
        session.lock()


@pytest.mark.skipif(not POSIX, reason="RLIMIT_FSIZE")
def test_a_full_disk_while_a_dsl_writes_says_so(store_dir: StoreFixture, tmp_path: Path) -> None:
    data_dir = store_dir.data_dir
    ref = submit(Store.open(data_dir), concern_data())
    _login(data_dir, store_dir.dsl).lock()  # taken in
    result = _child(
        f"""
        from datetime import datetime
        from safeguard_desktop.domain.casework import NewAction
        from safeguard_desktop.services import casework
        session = Store.open(data_dir).login("dana", "dsl-password-1")
        action = NewAction.checked(
            kind="spoke_to_child", occurred_at=datetime.now(), who="Dana Lead",
            details="Spoke to her at break.", now=datetime.now(),
        )

        def close():
            casework.set_status(session, {ref!r}, "closed", "No further action.")

        out = {{
            "action": attempt(lambda: casework.add_action(session, action, ref={ref!r}).id),
            "status": attempt(
                lambda: quietly(lambda: casework.set_status(session, {ref!r}, "open"))
            ),
            "closed": attempt(close),
        }}
        out["action_again"] = again(lambda: casework.add_action(session, action, ref={ref!r}).id)
        out["closed_again"] = again(close)
        session.lock()
        print(json.dumps(out))
        """,
        data_dir,
        tmp_path,
    )
    sentence = disk_full(data_dir, "cases.db")
    assert result["action"] == sentence
    assert result["status"] == sentence
    assert result["closed"] == sentence
    session = _whole(data_dir, store_dir.dsl, [ref])
    try:
        concern_id = casework_records.concern_id_for_ref(session.conn, ref)
        assert concern_id is not None
        actions = casework_records.actions_for_concern(session.conn, concern_id)
        kinds = sorted(a.kind.value for a in actions)
        # Once each: what failed left nothing, what was retried is there.
        assert kinds == ["note", "spoke_to_child"], kinds
        assert casework.list_concerns(session)[0].status == "closed"
    finally:
        session.lock()


@pytest.mark.skipif(not POSIX, reason="RLIMIT_FSIZE")
def test_a_full_disk_while_the_inbox_is_taken_in_says_so(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    data_dir = store_dir.data_dir
    result = _child(
        """
        from casework_data import concern_data, submit
        from safeguard_desktop.services import inbox
        session = Store.open(data_dir).login("dana", "dsl-password-1")
        refs = [
            submit(Store.open(data_dir), concern_data(name=f"Child {i}", observed="Seen. " * 5000))
            for i in range(3)
        ]
        # Room to read the inbox (its index file), none for the records' log to grow.
        wal = Path(data_dir, "cases.db-wal").stat().st_size

        def taken_in():
            return len(inbox.ingest(session).concerns)  # how many concerns arrived

        out = {"refs": refs, "failed": attempt(taken_in, room=max(wal, 65_536))}
        out["again"] = again(taken_in)
        session.lock()
        print(json.dumps(out))
        """,
        data_dir,
        tmp_path,
    )
    assert result["failed"] == disk_full(data_dir, "cases.db")
    assert result["again"] == {"ok": 3}
    refs = result["refs"]
    assert isinstance(refs, list)
    session = _whole(data_dir, store_dir.dsl, refs)
    try:
        assert case_records.count_concerns(session.conn) == 3
        assert inbox.quarantined(session) == []
        assert Store.open(data_dir).inbox.count() == 0
    finally:
        session.lock()


@pytest.mark.skipif(not POSIX, reason="RLIMIT_FSIZE")
def test_a_full_disk_while_vault_json_is_replaced_keeps_the_old_one(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    data_dir = store_dir.data_dir
    vault = data_dir / "vault.json"
    original = vault.read_bytes()
    result = _child(
        """
        from safeguard_desktop.services.organisation_settings import set_idle_lock_minutes
        session = Store.open(data_dir).login("admin", "admin-password-1")
        before = Path(data_dir, "vault.json").read_bytes()
        out = {"failed": attempt(lambda: quietly(lambda: set_idle_lock_minutes(session, 9)))}
        out["unchanged"] = Path(data_dir, "vault.json").read_bytes() == before
        out["left"] = sorted(p.name for p in data_dir.iterdir() if p.name.endswith(".tmp"))
        out["again"] = again(lambda: quietly(lambda: set_idle_lock_minutes(session, 9)))
        session.lock()
        print(json.dumps(out))
        """,
        data_dir,
        tmp_path,
    )
    assert result["failed"] == disk_full(data_dir, "vault.json")
    assert result["unchanged"] is True  # the old vault.json, whole, in its place
    assert result["left"] == []  # and no temporary file beside it
    assert result["again"] == {"ok": None}
    assert vault.read_bytes() != original
    assert Store.open(data_dir).idle_lock_minutes == 9
    _whole(data_dir, store_dir.dsl, []).lock()


# Read-only and locked ------------------------------------------------------------------


def _as_nobody(command: list[str]) -> list[str]:
    if not ROOT:
        return command
    # root ignores file permissions; without these capabilities it cannot.
    drop = "-dac_override,-dac_read_search,-fowner"
    return ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", *command]


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_a_read_only_case_database_says_read_only(store_dir: StoreFixture, tmp_path: Path) -> None:
    if ROOT and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    data_dir = store_dir.data_dir
    cases = data_dir / "cases.db"
    before = cases.read_bytes()
    cases.chmod(0o400)
    try:
        done = subprocess.run(
            _as_nobody(
                [
                    sys.executable,
                    "-m",
                    "safeguard_desktop.cli",
                    "--data-dir",
                    str(data_dir),
                    "concerns",
                    "--as",
                    "dana",
                ]
            ),
            input="dsl-password-1\n",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")},
        )
    finally:
        cases.chmod(0o600)
    assert (done.returncode, done.stderr.strip()) == (
        2,
        f"safeguard-desktop: The case database {cases} is read-only, so nothing can be "
        "saved there; nothing was changed. Check that this account may write to it and "
        "that the disk is not write-protected, or choose another data folder.",
    )
    assert cases.read_bytes() == before
    _whole(data_dir, store_dir.dsl, []).lock()


def test_a_case_database_locked_by_another_program_says_locked(
    store_dir: StoreFixture,
) -> None:
    data_dir = store_dir.data_dir
    ref = submit(Store.open(data_dir), concern_data())
    session = _login(data_dir, store_dir.dsl)
    # Another program with the key (a second copy of the app, a tool) in the middle of
    # a write: it holds SQLite's write lock until it commits.
    other = sqlcipher3.connect(str(data_dir / "cases.db"), isolation_level=None, timeout=0)
    try:
        other.execute(f"PRAGMA key = \"x'{session.backup_key_material().hex()}'\"")
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE settings SET value = value WHERE key = 'pages_checked_at'")
        with pytest.raises(StoreLocked) as caught:
            casework.set_status(session, ref, "open")
        assert str(caught.value) == (
            f"The case database {data_dir / 'cases.db'} is locked by another program (an "
            "antivirus or backup program scanning it, or a second copy of Safeguard "
            "Desktop), so this was not saved; nothing was lost. Wait a minute and try "
            "again; if it stays locked, close the other program or restart the PC."
        )
        assert not session.conn.in_transaction
        other.execute("ROLLBACK")
        casework.set_status(session, ref, "open")  # the lock gone, the same write works
    finally:
        other.close()
        session.lock()
    session = _whole(data_dir, store_dir.dsl, [ref])
    try:
        assert casework.list_concerns(session)[0].status == "open"
    finally:
        session.lock()


def test_an_inbox_locked_by_another_program_says_locked(
    store_dir: StoreFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = store_dir.data_dir
    inbox = data_dir / "inbox.db"
    store = Store.open(data_dir)
    real_connect = sqlite3.connect
    # Ten seconds of waiting is the inbox's own patience; the test does not need it.
    monkeypatch.setattr(
        "safeguard_desktop.storage.sealed_inbox.sqlite3.connect",
        lambda *a, **k: real_connect(*a, **{**k, "timeout": 0.1}),
    )
    other = real_connect(inbox, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreLocked) as caught:
            submit(store, concern_data())
        assert str(caught.value).startswith(f"The inbox file {inbox} is locked by another")
        other.execute("ROLLBACK")
        ref = submit(store, concern_data())
    finally:
        other.close()
    _whole(data_dir, store_dir.dsl, [ref]).lock()


# One copy of the app per data folder ----------------------------------------------------


def test_the_folder_is_held_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with hold_data_folder(data_dir) as hold:
        assert hold.held
        assert (data_dir / IN_USE_NAME).is_file()
        with pytest.raises(StoreInUse) as caught:
            hold_data_folder(data_dir)
        assert str(caught.value) == ALREADY_OPEN
    with hold_data_folder(data_dir):  # let go: the next copy may open it
        pass


def test_the_command_line_makes_no_lock_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with hold_data_folder(data_dir, command_line=True) as hold:
        assert not hold.held
    assert list(data_dir.iterdir()) == []


def test_a_folder_held_by_the_app_can_still_be_restored_into(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with hold_data_folder(data_dir):
        backup._empty_or_new(data_dir)  # the lock file is no record


def _app(data_dir: Path, tmp_path: Path, seconds: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "safeguard_desktop.cli",
            "--data-dir",
            str(data_dir),
            "--smoke-test-gui",
            str(seconds),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "SAFEGUARD_LOG_DIR": str(tmp_path / "logs"),
            "QT_QPA_PLATFORM": "offscreen",
        },
    )


def test_the_app_opened_twice_on_one_folder_says_already_open(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    data_dir = store_dir.data_dir
    first = _app(data_dir, tmp_path, 60)
    try:
        deadline = time.monotonic() + 60
        while not (data_dir / IN_USE_NAME).exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first copy never held the folder"
            time.sleep(0.1)
        second = _app(data_dir, tmp_path, 1)
        _out, err = second.communicate(timeout=60)
        assert (second.returncode, err.strip()) == (1, f"safeguard-desktop: {ALREADY_OPEN}")
        # A command run while the app is open waits a moment, then says the same.
        started = time.monotonic()
        command = subprocess.run(
            [
                sys.executable,
                "-m",
                "safeguard_desktop.cli",
                "--data-dir",
                str(data_dir),
                "concerns",
                "--as",
                "dana",
            ],
            input="dsl-password-1\n",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")},
        )
        assert (command.returncode, command.stderr.strip()) == (
            1,
            f"safeguard-desktop: {ALREADY_OPEN}",
        )
        assert time.monotonic() - started >= 5  # it waited for the app to let go
    finally:
        first.terminate()
        first.communicate(timeout=60)
    # The app gone (killed, even), the folder is free: the same command works.
    command = subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguard_desktop.cli",
            "--data-dir",
            str(data_dir),
            "concerns",
            "--as",
            "dana",
        ],
        input="dsl-password-1\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")},
    )
    assert command.returncode == 0, command.stderr
