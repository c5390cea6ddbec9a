"""The example concern from shared/CLI.md, kept once in docs/concern.example.json."""

from __future__ import annotations

import json
from typing import Any

from repo_paths import REPO

EXAMPLE_PATH = REPO / "docs" / "concern.example.json"


def example_concern() -> dict[str, Any]:
    """A fresh copy each call, so a test may change it freely."""
    data: dict[str, Any] = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))
    return data
