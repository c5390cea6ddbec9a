"""Replace a file so that a crash leaves either the old or the new version, never half."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import secrets
import shutil
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where the OS cannot)."""
    if os.name == "nt":  # Windows cannot open a directory for fsync; rename is durable there
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync, then rename over it."""
    temp = write_temporary(path, data, mode=mode)
    put_in_place(temp, path)


def write_temporary(path: Path, data: bytes, *, mode: int = 0o600) -> Path:
    """``data`` in a fsynced temporary file beside ``path`` (``.<name>.<8 hex>.tmp``), for
    :func:`put_in_place` to rename once whatever must come first has happened."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return temp


def put_in_place(temp: Path, path: Path) -> None:
    """Rename :func:`write_temporary`'s file over ``path`` and make it durable."""
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    fsync_directory(path.parent)


def clear_temporaries(path: Path) -> list[Path]:
    """Remove what a process killed inside :func:`write_atomically` left for ``path``.

    A killed process unwinds nothing, so its fsynced temporary file stays beside the
    file it was replacing. For vault.json that is a whole older vault, key slots and all:
    after a password change, a slot in it would still open with the old password. Only
    names this module makes (``.<name>.<8 hex>.tmp``) are removed.
    """
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{8}}\.tmp")
    removed = []
    for candidate in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        if pattern.fullmatch(candidate.name) and candidate.is_file():
            with contextlib.suppress(FileNotFoundError):
                candidate.unlink()
                removed.append(candidate)
    if removed:
        fsync_directory(path.parent)
    return removed


def copy_atomically(source: Path, target: Path, *, mode: int = 0o600) -> None:
    """Copy ``source`` to ``target`` the same way: a fsynced temporary file, renamed."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle, source.open("rb") as original:
            shutil.copyfileobj(original, handle, 1024 * 1024)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    fsync_directory(target.parent)


def remove_durably(paths: list[Path]) -> None:
    """Delete ``paths`` (each in one step) and make the deletions survive a crash."""
    for path in paths:
        path.unlink(missing_ok=True)
    for directory in {path.parent for path in paths}:
        fsync_directory(directory)
