"""The developer tools still import what they use after the app's code moves.

tools/screenshots.py and benchmarks/run.py are outside the package that mypy and the
suite check, so a name they import from the app can vanish unnoticed (a move left the
screenshots tool importing a function that no longer existed). Asking each for its
--help imports every module it names, in a fresh interpreter, and draws nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from repo_paths import REPO


@pytest.mark.parametrize("tool", ["tools/screenshots.py", "benchmarks/run.py"])
def test_the_tool_imports_and_answers_help(tool: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(REPO / tool), "--help"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout
