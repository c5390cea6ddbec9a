"""The example concern from shared/CLI.md, kept once in docs/concern.example.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLE_PATH = Path(__file__).resolve().parents[1] / "docs" / "concern.example.json"


def example_concern() -> dict[str, Any]:
    """A fresh copy each call, so a test may change it freely."""
    data: dict[str, Any] = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))
    return data
