"""Backups: made, read back and checked; restored on a new PC; refused whole when damaged.

Real SQLCipher files, real backup files on disk, the real command line. A damaged or
foreign backup must leave the target folder as it was and the file unchanged, with
one sentence; a failed backup must leave no file under the backup's name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from casework_data import concern_data, submit
from conftest import StoreFixture
from read_only_mount import file_system_of_its_own, read_only_folder
from safeguard_desktop.domain.errors import (
    BadInput,
    NotPermitted,
    SafeguardError,
    StoreExists,
    StoreTooNew,
    WrongCredentials,
)
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.services import audit_trail, backup, casework, people, records_check
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import audit_log
from safeguard_desktop.storage.backup_file import MAGIC, BackupUnreadable

NEW_ADMIN_PASSWORD = "a new admin password 1"


def _login(data_dir: Path, who: tuple[str, str]) -> CaseSession:
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    return session


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def made(store_dir: StoreFixture, tmp_path: Path) -> tuple[StoreFixture, Path, list[str]]:
    """A store with three concerns taken in, and a checked backup of it on a 'USB stick'."""
    store = Store.open(store_dir.data_dir)
    refs = [submit(store, concern_data(name=f"Child {i}")) for i in range(3)]
    usb = tmp_path / "usb"
    usb.mkdir()
    session = _login(store_dir.data_dir, store_dir.dsl)
    try:
        seen: list[int] = []
        report = backup.make_backup(
            session, usb, progress=lambda percent, _text: seen.append(percent)
        )
        assert seen == sorted(seen) and seen[-1] == 100
    finally:
        session.lock()
    return store_dir, report.path, refs


def test_a_backup_is_checked_named_for_the_organisation_and_audited(
    made: tuple[StoreFixture, Path, list[str]],
) -> None:
    store_dir, path, _ = made
    assert path.name.startswith("safeguard-backup-riverside-juniors-fc-")
    assert path.suffix == ".sgbackup"
    assert path.read_bytes().startswith(MAGIC)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left
    session = _login(store_dir.data_dir, store_dir.dsl)
    try:
        entries = [e for e in audit_trail.entries(session, 30) if e.action == "backup_made"]
        assert entries and entries[0].detail["file"] == path.name
        head = entries[0].detail["head_seq"]
        assert isinstance(head, int) and head < audit_log.head(session.conn)[0]
        last = backup.last_backup(session)
        assert last is not None and last.checked and last.level() == "ok"
    finally:
        session.lock()
    assert not list(store_dir.data_dir.glob(".backup-*"))


def test_a_backup_holds_no_record_text_in_the_clear(
    made: tuple[StoreFixture, Path, list[str]],
) -> None:
    _, path, _ = made
    raw = path.read_bytes()
    for text in (b"Child 0", "Child 0".encode("utf-16-le"), b"Under 11s", b"Riverside"):
        assert text not in raw


def test_restore_on_a_new_pc_opens_everything_with_the_recovery_key(
    made: tuple[StoreFixture, Path, list[str]], tmp_path: Path
) -> None:
    store_dir, path, refs = made
    new = tmp_path / "new-pc" / "data"
    report = backup.restore_backup(
        path, new, store_dir.recovery_key, store_dir.admin[0], NEW_ADMIN_PASSWORD
    )
    assert report.concerns == 3 and set(report.accounts_needing_password) == {"dana", "rita"}
    assert "Anything recorded after that is not in it" in report.sentence()
    admin = _login(new, (store_dir.admin[0], NEW_ADMIN_PASSWORD))
    try:
        assert admin.vault_alarm is None and admin.rollback_alarm is None
        assert {c.ref for c in casework.list_concerns(admin)} == set(refs)
        assert audit_trail.verify(admin).ok
        assert backup.restored_from(admin) is not None
        assert "restored_from_backup" in [e.action for e in audit_trail.entries(admin, 10)]
        # The other accounts keep their names and roles, with no password here yet.
        assert {u.username: u.role for u in admin.store.users()} == {
            "admin": Role.ADMIN,
            "dana": Role.DSL,
            "rita": Role.RECORDER,
        }
        with pytest.raises(NotPermitted, match="no password on this PC yet"):
            Store.open(new).login(*store_dir.dsl)
        people.reset_password(admin, "dana", "a fresh lead password")
    finally:
        admin.lock()
    dana = _login(new, ("dana", "a fresh lead password"))
    dana.lock()
    # The old password does not open it, nor does the restored store on the old PC change.
    with pytest.raises(WrongCredentials):
        Store.open(new).login(store_dir.admin[0], store_dir.admin[1])


def test_a_backup_carries_the_records_recovery_slot_not_an_edited_one(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    import base64
    import secrets

    from attacker import edit_vault

    # The recovery slot's salt changed in vault.json (outside the signature): a backup
    # made from the file's slot was "made and checked" yet opened with no recovery key.
    def new_salt(v: dict) -> None:
        raw = next(s for s in v["slots"] if s["kind"] == "recovery")
        raw["salt"] = base64.b64encode(secrets.token_bytes(16)).decode()

    edit_vault(store_dir.data_dir, new_salt)
    admin = _login(store_dir.data_dir, store_dir.admin)
    try:
        # Whatever reads the file again meanwhile (DataFolder.reload) changes nothing:
        # the backup takes the slot from the records themselves.
        admin.store.reload()
        (tmp_path / "stick").mkdir()
        report = backup.make_backup(admin, tmp_path / "stick")
    finally:
        admin.lock()
    new = tmp_path / "new-pc" / "data"
    restored = backup.restore_backup(
        report.path, new, store_dir.recovery_key, store_dir.admin[0], NEW_ADMIN_PASSWORD
    )
    assert restored.concerns == 0
    _login(new, (store_dir.admin[0], NEW_ADMIN_PASSWORD)).lock()


def test_restoring_refuses_a_folder_that_is_not_empty(
    made: tuple[StoreFixture, Path, list[str]], tmp_path: Path
) -> None:
    store_dir, path, _ = made
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreExists, match="is not empty"):
        backup.restore_backup(
            path, target, store_dir.recovery_key, store_dir.admin[0], NEW_ADMIN_PASSWORD
        )
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    a_file = tmp_path / "a-file"
    a_file.write_text("mine", encoding="utf-8")
    with pytest.raises(StoreExists, match="is a file, not a folder"):
        backup.restore_backup(
            path, a_file, store_dir.recovery_key, store_dir.admin[0], NEW_ADMIN_PASSWORD
        )
    assert a_file.read_text(encoding="utf-8") == "mine"


def test_restoring_where_nothing_can_be_written_says_so(
    made: tuple[StoreFixture, Path, list[str]], tmp_path: Path
) -> None:
    store_dir, path, _ = made
    with read_only_folder(tmp_path / "stick") as stick:
        for target in (stick, stick / "data"):  # the empty folder itself, or one made in it
            with pytest.raises(SafeguardError, match="is read-only, so nothing can be saved"):
                backup.restore_backup(
                    path, target, store_dir.recovery_key, store_dir.admin[0], NEW_ADMIN_PASSWORD
                )
        assert list(stick.iterdir()) == []


def test_restoring_onto_a_disk_of_its_own_copies_across(
    made: tuple[StoreFixture, Path, list[str]], tmp_path: Path
) -> None:
    # The data folder is a drive's mount point: a rename from beside it cannot cross.
    store_dir, path, refs = made
    with file_system_of_its_own(tmp_path / "drive") as drive:
        backup.restore_backup(
            path, drive, store_dir.recovery_key, store_dir.admin[0], NEW_ADMIN_PASSWORD
        )
        admin = _login(drive, (store_dir.admin[0], NEW_ADMIN_PASSWORD))
        try:
            assert {c.ref for c in casework.list_concerns(admin)} == set(refs)
        finally:
            admin.lock()
    assert not list(tmp_path.glob(".restore-*"))


def test_a_backup_cannot_go_into_the_records_folder(store_dir: StoreFixture) -> None:
    session = _login(store_dir.data_dir, store_dir.dsl)
    try:
        with pytest.raises(BadInput, match="records' own folder"):
            backup.make_backup(session, store_dir.data_dir)
        with pytest.raises(BadInput, match="USB stick"):
            backup.make_backup(session, store_dir.data_dir.parent / "no-such-stick")
    finally:
        session.lock()


def _damage(original: bytes, how: str) -> bytes:
    header_end = len(MAGIC) + 4 + int.from_bytes(original[8:12], "big")
    middle = len(original) // 2
    if how == "empty":
        return b""
    if how == "random":
        return os.urandom(len(original))
    if how.startswith("cut at "):
        return original[: int(len(original) * float(how.split()[-1]))]
    if how == "cut one byte short":
        return original[:-1]
    if how == "one byte added":
        return original + b"\x00"
    spot = {"flip in header": 40, "flip in middle": middle, "flip at end": len(original) - 3}[how]
    assert how != "flip in header" or spot < header_end
    return original[:spot] + bytes([original[spot] ^ 0x01]) + original[spot + 1 :]


DAMAGE = [
    "empty",
    "random",
    "cut at 0.01",
    "cut at 0.3",
    "cut at 0.7",
    "cut at 0.99",
    "cut one byte short",
    "one byte added",
    "flip in header",
    "flip in middle",
    "flip at end",
]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_backup_is_refused_whole_and_nothing_is_touched(
    made: tuple[StoreFixture, Path, list[str]], tmp_path: Path, how: str
) -> None:
    store_dir, path, _ = made
    broken = tmp_path / f"broken{backup.SUFFIX}"
    broken.write_bytes(_damage(path.read_bytes(), how))
    before = _sha256(broken)
    target = tmp_path / "target"
    with pytest.raises(SafeguardError) as caught:
        backup.restore_backup(
            broken, target, store_dir.recovery_key, store_dir.admin[0], NEW_ADMIN_PASSWORD
        )
    assert isinstance(caught.value, (BackupUnreadable, backup.BackupFailed)), caught.value
    assert "\n" not in str(caught.value)
    assert not target.exists()
    assert _sha256(broken) == before
    assert not list(tmp_path.glob(".restore-*"))


def test_a_backup_from_a_newer_program_and_a_wrong_key_are_refused(
    made: tuple[StoreFixture, Path, list[str]], tmp_path: Path
) -> None:
    store_dir, path, _ = made
    raw = path.read_bytes()
    length = int.from_bytes(raw[8:12], "big")
    header = json.loads(raw[12 : 12 + length])
    header["version"] = 99
    new_header = json.dumps(header).encode()
    newer = tmp_path / f"newer{backup.SUFFIX}"
    newer.write_bytes(MAGIC + len(new_header).to_bytes(4, "big") + new_header + raw[12 + length :])
    with pytest.raises(StoreTooNew, match="newer version"):
        backup.restore_backup(
            newer, tmp_path / "t1", store_dir.recovery_key, "admin", NEW_ADMIN_PASSWORD
        )
    from safeguard_desktop.security import recovery_key

    other_key = recovery_key.generate()
    with pytest.raises(WrongCredentials, match="does not open this backup"):
        backup.restore_backup(path, tmp_path / "t2", other_key, "admin", NEW_ADMIN_PASSWORD)
    assert not (tmp_path / "t1").exists() and not (tmp_path / "t2").exists()
    with pytest.raises(NotPermitted):
        backup.restore_backup(
            path, tmp_path / "t3", store_dir.recovery_key, "rita", NEW_ADMIN_PASSWORD
        )
    assert not (tmp_path / "t3").exists()


def test_cancelling_leaves_nothing(store_dir: StoreFixture, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    session = _login(store_dir.data_dir, store_dir.dsl)
    try:
        with pytest.raises(backup.BackupFailed, match="cancelled"):
            backup.make_backup(session, usb, cancelled=lambda: True)
    finally:
        session.lock()
    assert list(usb.iterdir()) == []
    assert not list(store_dir.data_dir.glob(".backup-*"))


def test_a_write_protected_usb_stick_says_so_and_leaves_no_copy_behind(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    session = _login(store_dir.data_dir, store_dir.dsl)
    try:
        with read_only_folder(tmp_path / "usb") as usb:
            # Removing the temporary file fails there too; that must not hide why.
            with pytest.raises(backup.BackupFailed, match="that folder cannot be written to"):
                backup.make_backup(session, usb)
            with pytest.raises(backup.BackupFailed, match="that folder cannot be written to"):
                backup.make_backup(session, usb, name="chosen.sgbackup")
    finally:
        session.lock()
    assert not list(store_dir.data_dir.glob(".backup-*"))


def test_a_backup_given_a_name_keeps_it_and_never_replaces_a_file(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    session = _login(store_dir.data_dir, store_dir.dsl)
    try:
        report = backup.make_backup(session, usb, name="friday.sgbackup")
        assert report.path == usb / "friday.sgbackup" and report.path.is_file()
        entries = [e for e in audit_trail.entries(session, 30) if e.action == "backup_made"]
        assert entries[0].detail["file"] == "friday.sgbackup"
        last = backup.last_backup(session)
        assert last is not None and Path(last.path) == report.path
        first = _sha256(report.path)
        with pytest.raises(BadInput, match="already exists"):
            backup.make_backup(session, usb, name="friday.sgbackup")
        for bad in ("friday.zip", "../friday.sgbackup", ".sgbackup"):
            with pytest.raises(BadInput, match="must end in"):
                backup.make_backup(session, usb, name=bad)
    finally:
        session.lock()
    assert _sha256(usb / "friday.sgbackup") == first
    assert sorted(p.name for p in usb.iterdir()) == ["friday.sgbackup"]


def test_the_usb_stick_pulled_out_mid_backup_says_so(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    pulled = False

    def pull(percent: int, _text: str) -> None:
        nonlocal pulled
        if percent >= 40 and not pulled:
            pulled = True
            for leftover in usb.iterdir():
                leftover.unlink()
            usb.rmdir()

    session = _login(store_dir.data_dir, store_dir.dsl)
    try:
        with pytest.raises(backup.BackupFailed, match="USB stick removed"):
            backup.make_backup(session, usb, progress=pull)
        assert audit_trail.verify(session).ok
    finally:
        session.lock()
    assert not usb.exists()


FULL_CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from safeguard_desktop.services import backup
    from safeguard_desktop.services.store import Store
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    data_dir, usb, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    session = Store.open(data_dir).login("dana", "dsl-password-1")
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        backup.make_backup(session, usb)
        print("MADE")
    except Exception as err:
        print(type(err).__name__ + ": " + str(err))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
        session.lock()
    """
)


def test_a_full_usb_stick_says_so_and_leaves_no_backup(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    # Big enough for the copy taken in the records' folder, too small for the backup.
    size = (store_dir.data_dir / "cases.db").stat().st_size
    done = subprocess.run(
        [sys.executable, "-c", FULL_CHILD, str(store_dir.data_dir), str(usb), str(size + 4096)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")},
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip().splitlines()[-1]
    assert line.startswith("BackupFailed: The backup was not made:"), line
    assert "too big for that disk or USB stick" in line or "is full" in line
    assert list(usb.iterdir()) == []
    session = _login(store_dir.data_dir, store_dir.dsl)
    try:
        assert audit_trail.verify(session).ok
    finally:
        session.lock()


def test_check_the_records_now(store_dir: StoreFixture) -> None:
    session = _login(store_dir.data_dir, store_dir.dsl)
    try:
        report = records_check.check_records(session)
        assert report.ok, report.problems
        assert "in order" in report.sentence()
    finally:
        session.lock()


def _cli(tmp_path: Path, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safeguard_desktop.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")},
    )


def test_backup_restore_and_check_on_the_command_line(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    submit(Store.open(store_dir.data_dir), concern_data())
    usb = tmp_path / "usb"
    usb.mkdir()
    data = ["--data-dir", str(store_dir.data_dir)]
    made = _cli(
        tmp_path, *data, "backup", "--as", "dana", "--out", str(usb), stdin="dsl-password-1\n"
    )
    assert made.returncode == 0, made.stderr
    result = json.loads(made.stdout)
    assert result["checked"] is True and result["concerns"] == 1
    named = _cli(
        tmp_path,
        *data,
        "backup",
        "--as",
        "dana",
        "--out",
        str(usb / "mine.sgbackup"),
        stdin="dsl-password-1\n",
    )
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout)["file"] == str(usb / "mine.sgbackup")
    kept = _sha256(usb / "mine.sgbackup")
    twice = _cli(
        tmp_path, *data, "backup", "--as", "dana", "--out", str(usb / "mine.sgbackup"),
        stdin="dsl-password-1\n",
    )  # fmt: skip
    assert twice.returncode == 2 and "already exists" in twice.stderr, twice.stderr
    assert _sha256(usb / "mine.sgbackup") == kept
    odd = usb / "a folder.sgbackup"  # a folder, whatever its name ends in
    odd.mkdir()
    into = _cli(
        tmp_path, *data, "backup", "--as", "dana", "--out", str(odd), stdin="dsl-password-1\n"
    )
    assert into.returncode == 0, into.stderr
    assert Path(json.loads(into.stdout)["file"]).parent == odd

    checked = _cli(tmp_path, *data, "check", "--as", "dana", stdin="dsl-password-1\n")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["ok"] is True

    target = tmp_path / "restored"
    restored = _cli(
        tmp_path,
        "--data-dir",
        str(target),
        "restore",
        result["file"],
        "--user",
        "admin",
        stdin=f"{store_dir.recovery_key}\n{NEW_ADMIN_PASSWORD}\n",
    )
    assert restored.returncode == 0, restored.stderr
    assert set(json.loads(restored.stdout)["accounts_needing_password"]) == {"dana", "rita"}
    again = _cli(
        tmp_path,
        "--data-dir",
        str(target),
        "restore",
        result["file"],
        "--user",
        "admin",
        stdin=f"{store_dir.recovery_key}\n{NEW_ADMIN_PASSWORD}\n",
    )
    assert again.returncode == 2 and len(again.stderr.strip().splitlines()) == 1
    wrong = _cli(
        tmp_path,
        "--data-dir",
        str(tmp_path / "t"),
        "restore",
        result["file"],
        "--user",
        "admin",
        stdin="054688-054060-328095-787285-213636-855141-709304-007167\nwhatever password 1\n",
    )
    assert wrong.returncode in (2, 3), wrong.stderr
    assert not (tmp_path / "t").exists()
    recorder = _cli(
        tmp_path, *data, "backup", "--as", "rita", "--out", str(usb), stdin="recorder-pw-1\n"
    )
    assert recorder.returncode == 3


def test_pruning_deletes_only_this_stores_backups_oldest_by_the_date_inside(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    """From a review: two 4-byte files named like this organisation's backups, with
    modification times in the future, were kept and three genuine older backups deleted."""
    usb = tmp_path / "auto"
    usb.mkdir()
    admin = _login(store_dir.data_dir, store_dir.admin)
    try:
        made = []
        for _ in range(3):
            made.append(backup.make_backup(admin, usb).path)
            time.sleep(1.1)  # a second apart, as the manifest inside each says
        # The files' own times say the oldest is the newest, and the newest the oldest.
        future = time.time() + 10**8
        os.utime(made[0], (future, future))
        os.utime(made[2], (1_000_000_000, 1_000_000_000))
        # Planted: junk named for a day in 2030, and a genuine header with nothing after.
        planted = [usb / "safeguard-backup-riverside-juniors-fc-2030-01-01.sgbackup"]
        planted[0].write_bytes(b"junk")
        header_only = usb / "safeguard-backup-riverside-juniors-fc-2030-01-02.sgbackup"
        header_only.write_bytes(made[2].read_bytes()[:2048])
        planted.append(header_only)
        for path in planted:
            os.utime(path, (future, future))
        newest = backup.make_backup(admin, usb).path

        removed = backup.prune(admin, usb, 2, newest)

        assert sorted(removed) == sorted(made[:2])
        assert {p.name for p in usb.iterdir()} == {p.name for p in (*planted, made[2], newest)}
    finally:
        admin.lock()


def test_automatic_backups_run_when_due_and_keep_the_newest(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    from datetime import UTC, datetime, timedelta

    usb = tmp_path / "auto"
    usb.mkdir()
    admin = _login(store_dir.data_dir, store_dir.admin)
    try:
        with pytest.raises(BadInput):
            backup.set_automatic_backups(admin, backup.AutoBackupSettings(str(store_dir.data_dir)))
        backup.set_automatic_backups(
            admin, backup.AutoBackupSettings(str(usb), every_days=1, keep=2)
        )
        assert backup.automatic_backup_due(admin)
        for day in range(4):
            # Named like this organisation's backups, but not backups of these records:
            # never counted or deleted (pruning itself: the test above).
            old = usb / backup.file_name("Riverside Juniors FC", datetime(2026, 1, 1 + day).date())
            old.write_bytes(b"old")
            os.utime(old, (1_700_000_000 + day, 1_700_000_000 + day))
        (usb / "holiday-photos.zip").write_bytes(b"not ours")
        notice = backup.run_automatic_backup(admin)
        assert notice.startswith("Backup made and checked")
        kept = sorted(p.name for p in usb.iterdir())
        assert "holiday-photos.zip" in kept and len(kept) == 6
        assert not backup.automatic_backup_due(admin)
        assert backup.run_automatic_backup(admin) == ""
        last = backup.last_backup(admin)
        assert last is not None
        assert last.level(datetime.now(UTC) + timedelta(days=8)) == "amber"
        assert last.level(datetime.now(UTC) + timedelta(days=31)) == "red"
        usb_gone = tmp_path / "stick-out"
        backup.set_automatic_backups(
            admin, backup.AutoBackupSettings(str(usb), every_days=1, keep=2)
        )
        usb.rename(usb_gone)
    finally:
        admin.lock()
    dana = _login(store_dir.data_dir, store_dir.dsl)
    try:
        assert backup.automatic_backups(dana) is not None
        with pytest.raises(NotPermitted):
            backup.set_automatic_backups(dana, None)
    finally:
        dana.lock()


KILLED_BACKUP_CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from safeguard_desktop.services import backup
    from safeguard_desktop.services.store import Store

    data_dir, usb, username = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    session = Store.open(data_dir).login(username, sys.stdin.readline().rstrip("\\n"))

    def progress(percent, _text):
        if percent >= 30:  # the snapshot is taken; the backup is being written
            os._exit(9)  # as the task manager ends it: nothing runs after this

    backup.make_backup(session, usb, progress=progress)
    """
)


def test_a_killed_backups_snapshot_goes_at_the_next_sign_in_and_before_a_key_rotation(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    """From a review: a backup killed half way left ``.backup-<hex>/cases.db`` in the data
    folder through a key rotation, still opening with the key the removed DSL had."""
    from safeguard_desktop.storage import case_database

    usb = tmp_path / "usb"
    usb.mkdir()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BACKUP_CHILD, str(store_dir.data_dir), str(usb),
         store_dir.dsl[0]],
        input=f"{store_dir.dsl[1]}\n", capture_output=True, text=True, timeout=180,
        env={**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")},
    )  # fmt: skip
    assert killed.returncode == 9, killed.stderr
    (left,) = store_dir.data_dir.glob(".backup-*")
    assert (left / "cases.db").is_file()
    kept = tmp_path / "kept-aside"
    shutil.copytree(left, kept)  # the same leftover again, for the rotation below

    admin = _login(store_dir.data_dir, store_dir.admin)
    try:
        assert not left.exists()  # gone at sign-in
        old_key = admin.backup_key_material()  # the key Dana knew
        assert case_database.key_opens(kept / "cases.db", old_key)
        shutil.copytree(kept, left)  # as if left while this session was open
        people.remove_user(admin, store_dir.dsl[0])  # rotates the database key
        assert not left.exists()  # gone before the rotation
        assert not case_database.key_opens(store_dir.data_dir / "cases.db", old_key)
        assert list(store_dir.data_dir.glob(".backup-*")) == []
    finally:
        admin.lock()
