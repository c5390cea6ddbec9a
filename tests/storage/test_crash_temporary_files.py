"""A replaced file's temporary copy, left by a crash, must not stay in the data folder.

storage/atomic_file.write_atomically writes ``.vault.json.<8 hex>.tmp``, fsyncs it and
renames it over vault.json; it removes the temporary file when an exception unwinds,
but a killed process unwinds nothing. vault.json is rewritten after every commit (the
audit anchor), so a crash often lands there: tests/storage/test_crash_soak.py found about one
such file per ten kills, and nothing removed them until storage/atomic_file.py's
clear_temporaries (services/backup.py clears only its own leftovers).

They are more than clutter. Each holds the vault as it was, key slots included, and a
password change rewraps the same database key under the new password: a slot in a
leftover still opens the records with the OLD password, the very one a DSL changes
because it leaked. (The device secret is mixed into password slots where a credential
store exists; anyone who shares the PC's account can read it there too.)

Reproduced exactly: a child process is killed by SIGKILL at the rename of vault.json
(after the temporary file is written and fsynced), as it signs in. The next write of
vault.json clears such leftovers (storage/atomic_file.clear_temporaries).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import StoreFixture
from safeguard_desktop.security import key_slots
from safeguard_desktop.services import inbox
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage.case_database import CASES_NAME, key_opens
from safeguard_desktop.storage.vault_file import parse_vault_json

KILLED_AT_RENAME = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from safeguard_desktop.services.store import Store

    real_replace = os.replace

    def replace(source, target):
        if Path(target).name == "vault.json":
            os.kill(os.getpid(), signal.SIGKILL)  # written and fsynced, not yet renamed
        real_replace(source, target)

    os.replace = replace
    Store.open(Path(sys.argv[1])).login("dana", "dsl-password-1")
    """
)


def _kill_while_renaming_vault(data_dir: Path, tmp_path: Path) -> list[Path]:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AT_RENAME, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")},
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    left = sorted(data_dir.glob(".vault.json.*.tmp"))
    assert len(left) == 1, "the kill did not land between writing and renaming"
    return left


def _sign_in(data_dir: Path, who: tuple[str, str]) -> CaseSession:
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    return session


def test_a_temporary_vault_left_by_a_crash_is_cleared(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    _kill_while_renaming_vault(store_dir.data_dir, tmp_path)
    for _ in range(2):
        session = _sign_in(store_dir.data_dir, store_dir.dsl)
        inbox.ingest(session)
        session.lock()
    assert sorted(store_dir.data_dir.glob(".vault.json.*.tmp")) == []


def test_after_a_password_change_the_old_password_opens_nothing_in_the_data_folder(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    data_dir = store_dir.data_dir
    _kill_while_renaming_vault(data_dir, tmp_path)
    old = store_dir.dsl[1]
    session = _sign_in(data_dir, store_dir.dsl)
    session.change_password(old, "a new lead password 2")
    session.lock()
    opened_by_old = []
    for path in sorted(data_dir.iterdir()):
        if not path.name.startswith((".vault.json", "vault.json")):
            continue
        vault = parse_vault_json(path.read_text(encoding="utf-8"))
        record = vault.user(store_dir.dsl[0])
        slot = vault.slot(record.slot_id) if record else None
        if slot is None:
            continue
        try:
            opened = key_slots.open_slot(slot, old.encode("utf-8"), None)
        except key_slots.SlotLocked:
            continue
        if opened.db_key is not None and key_opens(data_dir / CASES_NAME, opened.db_key):
            opened_by_old.append(path.name)
    assert opened_by_old == [], f"the old password still opens the records from {opened_by_old}"
