"""What someone who can write to the data folder does, in a few lines each.

They share the office PC's OS account (or hold a copy of the data folder) but know no
password. Every test in tests/security/test_attack_*.py does exactly this, through files only,
never through the program's own objects: the program must catch it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from safeguard_desktop.security import sealing


def edit_vault(data_dir: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Edit vault.json and recompute its checksum, as anyone can (it is a plain SHA-256)."""
    path = data_dir / "vault.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("checksum", None)
    change(data)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    data["checksum"] = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def vault_json(data_dir: Path) -> dict[str, Any]:
    return json.loads((data_dir / "vault.json").read_text(encoding="utf-8"))


def inbox_public_key(data_dir: Path) -> bytes:
    import base64

    return base64.b64decode(vault_json(data_dir)["inbox_public_key"])


def put_sealed(
    data_dir: Path,
    ref: str,
    kind: str,
    payload: dict[str, Any] | bytes,
    public_key: bytes | None = None,
) -> None:
    """Seal ``payload`` to the inbox key (anyone can: it is public) and put it in inbox.db."""
    import sqlite3

    public = public_key or inbox_public_key(data_dir)
    if isinstance(payload, bytes):
        sealed = payload
    else:
        plaintext = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        sealed = sealing.seal(plaintext, public, aad=f"{kind}:{ref}".encode())
    conn = sqlite3.connect(data_dir / "inbox.db", isolation_level=None)
    try:
        conn.execute(
            "INSERT INTO sealed (ref, kind, submitted_at, inbox_key, sealed)"
            " VALUES (?, ?, ?, ?, ?)",
            (ref, kind, datetime.now(UTC).isoformat(timespec="seconds"), public, sealed),
        )
    finally:
        conn.close()


def concern_payload(
    ref: str, concern: dict[str, Any], username: str | None, name: str = "Rita Recorder"
) -> dict[str, Any]:
    """A sealed concern's plaintext as the program writes it, naming ``username``."""
    return {
        "format": "safeguard-desktop-sealed",
        "kind": "concern",
        "version": 1,
        "submitted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "submitter": {"name": name, "role": "recorder", "username": username},
        "concern": concern,
        "ref": ref,
    }


def event_payload(ref: str, event: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "safeguard-desktop-sealed",
        "kind": "event",
        "submitted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "event": event,
        "ref": ref,
    }


def copy_case_database(data_dir: Path, to: Path) -> None:
    """Copy cases.db (and its -wal, if there is one) aside, as a file copy."""
    to.mkdir(parents=True, exist_ok=True)
    for name in ("cases.db", "cases.db-wal"):
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, to / name)


def put_case_database_back(data_dir: Path, saved: Path) -> None:
    """Replace cases.db with the copy in ``saved`` (its -wal too, when it had one)."""
    for name in ("cases.db", "cases.db-wal", "cases.db-shm", "cases.db.closed"):
        (data_dir / name).unlink(missing_ok=True)
    for name in ("cases.db", "cases.db-wal"):
        if (saved / name).exists():
            shutil.copy2(saved / name, data_dir / name)


def copy_inbox(data_dir: Path, to: Path) -> None:
    """Copy inbox.db (and its -wal, if there is one) aside, as a file copy."""
    to.mkdir(parents=True, exist_ok=True)
    for name in ("inbox.db", "inbox.db-wal"):
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, to / name)


def put_inbox_back(data_dir: Path, saved: Path) -> None:
    """Replace inbox.db with the copy in ``saved`` (its -wal too, when it had one)."""
    for name in ("inbox.db", "inbox.db-wal", "inbox.db-shm"):
        (data_dir / name).unlink(missing_ok=True)
    for name in ("inbox.db", "inbox.db-wal"):
        if (saved / name).exists():
            shutil.copy2(saved / name, data_dir / name)
