"""Damaged store files are reported by name, pointing to a backup, and never modified.

Each case damages one real file of a copied store (truncated, emptied, one flipped
byte, or something else put in its place), then signs in through the services and
through the real command line. The error must name the file and say to restore from
a backup; the damaged file's bytes must be exactly as they were, and no journal or
other new file may appear beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from safeguard_desktop.domain.errors import StoreDamaged, StoreTooNew
from safeguard_desktop.services import audit_trail
from safeguard_desktop.services.store import Store

PAGE = 4096  # SQLCipher 4's default page size


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _folder_state(folder: Path) -> dict[str, str]:
    return {p.name: _sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


def _flip(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)


def _plain_sqlite(path: Path) -> None:
    """An ordinary, unencrypted SQLite file, as if another program's file were copied in."""
    path.unlink()
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO notes (text) VALUES ('not a safeguarding store')")
        conn.commit()
    finally:
        conn.close()


# Each damage takes the file's path and changes it on disk.
Damage = Callable[[Path], None]


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _flip_middle(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(_flip(data, len(data) // 2))


def _flip_in_page_one(path: Path) -> None:
    # Past the 16-byte plaintext salt: inside page 1's encrypted content.
    path.write_bytes(_flip(path.read_bytes(), PAGE // 2))


def _flip_salt(path: Path) -> None:
    # The salt is stored in the clear but feeds the page HMAC key.
    path.write_bytes(_flip(path.read_bytes(), 5))


def _flip_middle_page(path: Path) -> None:
    data = path.read_bytes()
    pages = len(data) // PAGE
    assert pages >= 3, "the template store should have more than two pages"
    page = pages // 2  # zero-based, so never page 1
    path.write_bytes(_flip(data, page * PAGE + PAGE // 2))


def _flip_last_page(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(_flip(data, len(data) - PAGE // 2))


def _garbage_text(path: Path) -> None:
    path.write_bytes(b"This is not a vault file.\nJust some text someone saved here.\n")


def _wrong_shape_list(path: Path) -> None:
    path.write_text(json.dumps([1, 2, 3]), encoding="utf-8")


def _wrong_shape_object(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["slots"]
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _wrong_shape_with_checksum(path: Path) -> None:
    # Not a flipped byte but a well-formed file of the wrong shape whose checksum
    # matches (as a buggy or foreign writer would make): the shape checks must hold.
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("checksum", None)
    data["users"] = "everyone"
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    data["checksum"] = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _not_utf8(path: Path) -> None:
    path.write_bytes(b"\xff\xfe\x00garbage\x80\x81")


def _vault_flip_in(field_text: str) -> Damage:
    """Flip one byte inside the first occurrence of ``field_text`` (JSON stays valid)."""

    def damage(path: Path) -> None:
        data = path.read_bytes()
        start = data.index(field_text.encode("utf-8")) + len(field_text)
        opening = data.index(b'"', start)
        closing = data.index(b'"', opening + 1)
        # A letter or digit near the middle of the value that stays one when flipped by
        # one bit: the JSON still parses, and only a check of the content can tell.
        offset = next(
            i
            for i in range((opening + closing) // 2, closing)
            if chr(data[i]).isalnum() and chr(data[i] ^ 0x01).isalnum()
        )
        path.write_bytes(_flip(data, offset))

    return damage


def _vault_flip_number(key: str) -> Damage:
    def damage(path: Path) -> None:
        data = path.read_bytes()
        start = data.index(f'"{key}": '.encode())
        offset = start + len(key) + 4  # first digit of the value
        assert chr(data[offset]).isdigit()
        path.write_bytes(_flip(data, offset))

    return damage


CASES_DAMAGE: dict[str, Damage] = {
    "truncated": _truncate,
    "empty": _empty,
    "flipped_middle": _flip_middle,
    "flipped_middle_page": _flip_middle_page,
    "flipped_last_page": _flip_last_page,
    "flipped_page_one": _flip_in_page_one,
    "flipped_salt": _flip_salt,
    "plain_sqlite": _plain_sqlite,
}

VAULT_DAMAGE: dict[str, Damage] = {
    "truncated": _truncate,
    "empty": _empty,
    "flipped_middle": _flip_middle,
    "flipped_in_public_key": _vault_flip_in('"inbox_public_key"'),
    "flipped_in_wrapped_key": _vault_flip_in('"wrapped_private_key"'),
    "flipped_in_sealed_key": _vault_flip_in('"sealed_db_key"'),
    "flipped_in_display_name": _vault_flip_in('"display_name"'),
    "flipped_in_kdf_memory": _vault_flip_number("memory_kib"),
    "garbage_text": _garbage_text,
    "not_utf8": _not_utf8,
    "json_list": _wrong_shape_list,
    "json_without_slots": _wrong_shape_object,
    "json_wrong_shape_with_checksum": _wrong_shape_with_checksum,
    "plain_sqlite": _plain_sqlite,
}

INBOX_DAMAGE: dict[str, Damage] = {
    "truncated": _truncate,
    "empty": _empty,
    "garbage_text": _garbage_text,
    "plain_sqlite": _plain_sqlite,
}


def _cli(
    data_dir: Path, tmp_path: Path, *args: str, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["SAFEGUARD_LOG_DIR"] = str(tmp_path / "logs")
    env.pop("SAFEGUARD_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "safeguard_desktop.cli", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def _assert_one_line_error(result: subprocess.CompletedProcess[str], path: Path) -> None:
    assert result.returncode not in (0, 3), result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]


def _assert_damaged_message(err: StoreDamaged, path: Path) -> None:
    message = str(err)
    assert str(path) in message
    assert "restore" in message.lower() and "backup" in message.lower()
    assert "\n" not in message
    assert err.path == str(path)


@pytest.mark.parametrize("damage", list(CASES_DAMAGE), ids=list(CASES_DAMAGE))
def test_damaged_case_database_is_reported_and_left_alone(
    store_dir, tmp_path: Path, damage: str
) -> None:
    path = store_dir.data_dir / "cases.db"
    CASES_DAMAGE[damage](path)
    before = _folder_state(store_dir.data_dir)

    store = Store.open(store_dir.data_dir)
    with pytest.raises(StoreDamaged) as caught:
        store.login(*store_dir.admin)
    _assert_damaged_message(caught.value, path)
    assert "does not belong" not in str(caught.value)  # the key is right: it is damage
    assert _folder_state(store_dir.data_dir) == before, "a file was changed or added"

    result = _cli(
        store_dir.data_dir,
        tmp_path,
        "audit-verify",
        "--as",
        store_dir.dsl[0],
        stdin=store_dir.dsl[1] + "\n",
    )
    _assert_one_line_error(result, path)
    assert _folder_state(store_dir.data_dir) == before, "the command line changed a file"


@pytest.mark.parametrize("damage", list(VAULT_DAMAGE), ids=list(VAULT_DAMAGE))
def test_damaged_vault_is_reported_and_left_alone(store_dir, tmp_path: Path, damage: str) -> None:
    path = store_dir.data_dir / "vault.json"
    original = path.read_bytes()
    VAULT_DAMAGE[damage](path)
    assert path.read_bytes() != original or damage == "plain_sqlite"
    before = _folder_state(store_dir.data_dir)

    with pytest.raises(StoreDamaged) as caught:
        Store.open(store_dir.data_dir)
    _assert_damaged_message(caught.value, path)
    assert _folder_state(store_dir.data_dir) == before

    result = _cli(store_dir.data_dir, tmp_path, "user", "list")
    _assert_one_line_error(result, path)
    assert result.stdout == ""
    assert _folder_state(store_dir.data_dir) == before


def test_vault_from_a_newer_program_is_refused_and_left_alone(store_dir, tmp_path: Path) -> None:
    path = store_dir.data_dir / "vault.json"
    text = path.read_text(encoding="utf-8")
    assert '"version": 2,' in text
    path.write_text(text.replace('"version": 2,', '"version": 3,', 1), encoding="utf-8")
    before = _folder_state(store_dir.data_dir)

    with pytest.raises(StoreTooNew) as caught:
        Store.open(store_dir.data_dir)
    assert str(path) in str(caught.value)
    assert "newer version" in str(caught.value)
    assert _folder_state(store_dir.data_dir) == before

    result = _cli(store_dir.data_dir, tmp_path, "user", "list")
    _assert_one_line_error(result, path)
    assert _folder_state(store_dir.data_dir) == before


@pytest.mark.parametrize("damage", list(INBOX_DAMAGE), ids=list(INBOX_DAMAGE))
def test_damaged_inbox_is_reported_and_left_alone(store_dir, tmp_path: Path, damage: str) -> None:
    path = store_dir.data_dir / "inbox.db"
    INBOX_DAMAGE[damage](path)
    before = _folder_state(store_dir.data_dir)

    store = Store.open(store_dir.data_dir)
    with pytest.raises(StoreDamaged) as caught:
        store.login(*store_dir.admin)
    _assert_damaged_message(caught.value, path)
    assert _folder_state(store_dir.data_dir) == before, "the damaged inbox was changed"

    result = _cli(
        store_dir.data_dir,
        tmp_path,
        "audit-verify",
        "--as",
        store_dir.admin[0],
        stdin=store_dir.admin[1] + "\n",
    )
    _assert_one_line_error(result, path)
    assert _folder_state(store_dir.data_dir) == before


def test_missing_case_database_is_reported(store_dir) -> None:
    path = store_dir.data_dir / "cases.db"
    path.unlink()
    before = _folder_state(store_dir.data_dir)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(store_dir.data_dir).login(*store_dir.admin)
    _assert_damaged_message(caught.value, path)
    assert not path.exists(), "signing in must not create an empty case database"
    assert _folder_state(store_dir.data_dir) == before


def test_undamaged_copy_still_opens(store_dir) -> None:
    """Control: the same steps on an undamaged copy sign in, so the cases above mean something."""
    session = Store.open(store_dir.data_dir).login(*store_dir.admin)
    try:
        assert audit_trail.verify(session).ok
    finally:
        session.lock()


@pytest.mark.parametrize("kind", ["fifo", "link_to_dev_zero", "oversized"])
def test_a_fifo_a_device_or_a_huge_file_in_place_of_the_vault_is_refused_at_once(
    store_dir, tmp_path: Path, kind: str
) -> None:
    # A FIFO waited for a writer for ever; /dev/zero was read without end.
    path = store_dir.data_dir / "vault.json"
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link_to_dev_zero":
        path.symlink_to("/dev/zero")
    else:
        with path.open("wb") as sparse:
            sparse.truncate(64 * 1024 * 1024)
    before = _folder_state(store_dir.data_dir)

    # The command line first: a process that waits is stopped by the time limit.
    result = _cli(store_dir.data_dir, tmp_path, "user", "list", timeout=30)
    _assert_one_line_error(result, path)
    assert "nothing was changed" in result.stderr

    with pytest.raises(StoreDamaged) as caught:
        Store.open(store_dir.data_dir)
    _assert_damaged_message(caught.value, path)
    said = "far larger than a settings file" if kind == "oversized" else "not a file saved on disk"
    assert said in str(caught.value)
    assert _folder_state(store_dir.data_dir) == before


def test_a_missing_settings_file_beside_the_records_is_named_not_a_first_setup(
    store_dir, tmp_path: Path
) -> None:
    path = store_dir.data_dir / "vault.json"
    path.unlink()
    before = _folder_state(store_dir.data_dir)
    # The app opens it (and says why it cannot) rather than offering to set up again.
    assert Store.exists(store_dir.data_dir)

    with pytest.raises(StoreDamaged) as caught:
        Store.open(store_dir.data_dir)
    _assert_damaged_message(caught.value, path)
    assert "settings file" in str(caught.value) and "missing" in str(caught.value)
    assert "first-time setup" not in str(caught.value)

    result = _cli(
        store_dir.data_dir,
        tmp_path,
        "concerns",
        "--as",
        store_dir.admin[0],
        stdin=store_dir.admin[1] + "\n",
    )
    _assert_one_line_error(result, path)
    assert "first-time setup" not in result.stderr
    assert _folder_state(store_dir.data_dir) == before


def test_another_stores_settings_file_is_named_not_the_records(
    store_dir, school_dir: Path, tmp_path: Path
) -> None:
    # Another organisation's vault.json whose administrator has the same name and password
    # (here: the school's, signed in as its administrator): cases.db is intact.
    shutil.copy2(school_dir / "vault.json", store_dir.data_dir / "vault.json")
    path = store_dir.data_dir / "cases.db"
    before = _folder_state(store_dir.data_dir)

    with pytest.raises(StoreDamaged) as caught:
        Store.open(store_dir.data_dir).login("head", "school-admin-password-1")
    _assert_damaged_message(caught.value, path)
    assert "does not belong with the case database" in str(caught.value)
    assert "is damaged" not in str(caught.value)
    assert _folder_state(store_dir.data_dir) == before

    result = _cli(
        store_dir.data_dir,
        tmp_path,
        "concerns",
        "--as",
        "head",
        stdin="school-admin-password-1\n",
    )
    _assert_one_line_error(result, path)
    assert "does not belong with the case database" in result.stderr
    assert _folder_state(store_dir.data_dir) == before
