"""Searching files for secrets in every encoding a program might write them in."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def needles(text: str) -> list[bytes]:
    """``text`` as the bytes it would be on disk in each of :data:`ENCODINGS`, and as hex
    (a PDF writes a signature's contents, and some strings, that way)."""
    forms = [text.encode(encoding) for encoding in ENCODINGS]
    hexed = text.encode("utf-8").hex()
    return [*forms, hexed.encode("ascii"), hexed.upper().encode("ascii")]


def find_in_files(files: Iterable[Path], secrets: dict[str, list[bytes]]) -> list[str]:
    """Every (file, secret name) where one of the secret's byte forms occurs."""
    hits = []
    for path in files:
        data = path.read_bytes()
        for name, forms in secrets.items():
            if any(form in data for form in forms):
                hits.append(f"{path}: {name}")
    return hits


def all_files(*roots: Path) -> list[Path]:
    """Every regular file below ``roots`` (symbolic links left out)."""
    files = []
    for root in roots:
        if root.exists():
            files.extend(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return files
