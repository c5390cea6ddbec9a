"""Running the command line as a user does: a real subprocess, its own log folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from concern_example import example_concern

EXAMPLE_CONCERN = example_concern()


def cli_env(tmp_path: Path) -> dict[str, str]:
    """This environment with the log folder under ``tmp_path`` and no data folder set."""
    env = dict(os.environ)
    env["SAFEGUARD_LOG_DIR"] = str(tmp_path / "logs")
    env.pop("SAFEGUARD_DATA_DIR", None)
    return env


def run(
    tmp_path: Path, data_dir: Path | None, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """``safeguard-desktop [--data-dir DATA_DIR] ARGS`` with ``stdin`` typed in."""
    prefix = ["--data-dir", str(data_dir)] if data_dir is not None else []
    return subprocess.run(
        [sys.executable, "-m", "safeguard_desktop.cli", *prefix, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(tmp_path),
        timeout=180,
        check=False,
    )


def assert_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The one line of stderr of a failed command."""
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("safeguard-desktop")
    return lines[0]


def concern_file(tmp_path: Path, data: object = EXAMPLE_CONCERN, name: str = "c.json") -> Path:
    """A concern JSON file for ``submit --json`` (the documented example by default)."""
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
