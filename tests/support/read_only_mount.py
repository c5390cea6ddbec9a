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
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(where)],
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
