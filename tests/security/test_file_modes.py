"""Files in the data folder are their owner's alone: 0600 files, 0700 folders (POSIX).

Another account on the PC must not be able to read the store, not even its ciphertext.
Each test runs with the usual umask 022 (under which SQLite made cases.db and inbox.db
0644 before issue 11), so what is checked is what the program does, not the test's
environment.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from concern_example import example_concern
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.errors import StoreDamaged
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services.recording import submit_as_guest
from safeguard_desktop.services.setup import SetupRequest, create_store
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import case_database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")

ADMIN = ("admin", "admin-password-1")
CLI = Path(sys.executable).with_name("safeguard-desktop")  # what `uv run safeguard-desktop` runs


@pytest.fixture
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(folder: Path) -> dict[str, str]:
    """Every entry below ``folder`` (and itself) with its permission bits, in octal."""
    found = {".": oct(stat.S_IMODE(folder.stat().st_mode))}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def _assert_owner_only(folder: Path) -> None:
    modes = _modes(folder)
    wrong = {
        name: mode
        for name, mode in modes.items()
        if mode != ("0o700" if (folder / name).is_dir() else "0o600")
    }
    assert not wrong, f"not owner-only: {wrong} (all: {modes})"


def test_a_new_store_is_owner_only_after_a_sign_in_and_a_concern(
    tmp_path: Path, usual_umask: None
) -> None:
    data_dir = tmp_path / "data"
    store = create_store(
        data_dir,
        SetupRequest(
            org_name="Riverside Juniors FC",
            org_type=OrgType.CLUB,
            admin_username=ADMIN[0],
            admin_display_name="Alex Admin",
            admin_password=ADMIN[1],
            allow_guests=True,
        ),
        kdf=KdfParams(),
    ).store
    _assert_owner_only(data_dir)
    submit_as_guest(
        store, "Gail Guest", "Volunteer", Concern.from_json(example_concern(), now=datetime.now())
    )
    session = store.login(*ADMIN)  # ingests the concern
    try:
        names = set(_modes(data_dir))
        # The write-ahead logs exist while the session is open, and are checked too.
        assert {"cases.db-wal", "cases.db-shm", "inbox.db"} <= names, names
        _assert_owner_only(data_dir)
    finally:
        session.lock()
    assert {"vault.json", "cases.db", "cases.db.closed", "inbox.db"} <= set(_modes(data_dir))
    _assert_owner_only(data_dir)


def _cli(tmp_path: Path, data_dir: Path, *args: str, stdin: str = "") -> str:
    env = {**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")}
    env.pop("SAFEGUARD_DATA_DIR", None)
    done = subprocess.run(
        [str(CLI), "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
        umask=0o022,  # the usual umask, whatever this test process has
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_store_made_by_the_command_line_is_owner_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init = [
        "init",
        "--org",
        "Riverside Juniors",
        "--org-type",
        "club",
        "--admin-user",
        ADMIN[0],
        "--admin-name",
        "Alex Admin",
        "--allow-guests",
    ]
    _cli(tmp_path, data_dir, *init, stdin=ADMIN[1] + "\n")
    concern = tmp_path / "concern.json"
    concern.write_text(json.dumps(example_concern()), encoding="utf-8")
    _cli(
        tmp_path,
        data_dir,
        "record",
        "--guest",
        "Gail",
        "--guest-role",
        "Coach",
        "--json",
        str(concern),
    )
    # Signing in ingests the concern and leaves the record of a clean close.
    _cli(tmp_path, data_dir, "audit-verify", "--as", ADMIN[0], stdin=ADMIN[1] + "\n")

    assert {"vault.json", "cases.db", "cases.db.closed", "inbox.db"} <= set(_modes(data_dir))
    _assert_owner_only(data_dir)
    # The log folder and file were made by the same processes, under their umask.
    _assert_owner_only(tmp_path / "logs")


def test_a_store_from_an_earlier_version_is_made_owner_only_when_opened(store_dir) -> None:
    data_dir = store_dir.data_dir
    data_dir.chmod(0o755)
    for name in ("vault.json", "cases.db", "inbox.db"):
        (data_dir / name).chmod(0o644)
    (data_dir / "cases.db.closed").chmod(0o664)
    elsewhere = data_dir / "notes.txt"  # not the store's: left as it is
    elsewhere.write_text("the caretaker's notes", encoding="utf-8")
    elsewhere.chmod(0o644)

    store = Store.open(data_dir)
    elsewhere.unlink()
    _assert_owner_only(data_dir)
    store.login(*store_dir.admin).lock()
    _assert_owner_only(data_dir)


def test_the_migration_copy_is_owner_only_too(tmp_path: Path, usual_umask: None) -> None:
    # Kept when an upgrade fails (tests/storage/test_schema_casework.py): 0600 even when the
    # database was wider, whatever the umask.
    path, key = tmp_path / "cases.db", secrets.token_bytes(32)
    conn = case_database._connect(path, key)
    conn.execute("CREATE TABLE concerns (x)")  # the first step creates it: that step fails
    conn.close()
    path.chmod(0o644)
    with pytest.raises(StoreDamaged):
        case_database.open_database(path, key)
    copy = tmp_path / "cases.db.before-v1.bak"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
