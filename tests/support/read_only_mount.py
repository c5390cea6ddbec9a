"""A real read-only file system (a write-protected USB stick), for the tests of what the
app says and leaves behind when it cannot write: a tmpfs mounted read-only.

Mounting needs root (CI's containers run the tests as root); elsewhere the test is
skipped with the reason, rather than faked.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only_folder(where: Path) -> Iterator[Path]:
    """An empty folder on a read-only file system, at ``where`` (made here)."""
    with file_system_of_its_own(where, "ro,size=1m") as folder:
        yield folder


@contextmanager
def file_system_of_its_own(where: Path, options: str = "size=64m") -> Iterator[Path]:
    """An empty folder at ``where`` that is a file system of its own (a disk mounted
    there): a rename into it from elsewhere fails, as it does onto another drive."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a read-only file system cannot be mounted here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
