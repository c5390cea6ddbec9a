"""Both entry points turn core dumps off and (on Linux) make the process non-dumpable.

Each check runs in a process of its own, because the settings are for the whole process
and cannot be undone in it: a child records how it started, runs an entry point the way
the program does, and reports what it says about itself afterwards (getrlimit, umask,
prctl(PR_GET_DUMPABLE)). Its own starting state is the control: a fresh interpreter is
dumpable with the usual umask 022.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="core dumps and umask are POSIX")

LINUX = sys.platform.startswith("linux")

_STATE = textwrap.dedent(
    """
    import ctypes, json, os, resource, sys
    def _state():
        umask = os.umask(0o022)
        os.umask(umask)
        dumpable = None
        if sys.platform.startswith("linux"):
            dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
        core = list(resource.getrlimit(resource.RLIMIT_CORE))
        return {"core": core, "dumpable": dumpable, "umask": umask}
    # Core files as large as this process may allow, so that "off" afterwards is the
    # entry point's doing (unless the hard limit was 0 already).
    _hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    resource.setrlimit(resource.RLIMIT_CORE, (_hard, _hard))
    _before = _state()
    """
)
_REPORT = '\nprint(json.dumps({"before": _before, "after": _state()}))\n'


def _run_child(tmp_path: Path, start: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "SAFEGUARD_LOG_DIR": str(tmp_path / "logs"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(
        [sys.executable, "-c", _STATE + textwrap.dedent(start) + _REPORT],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        umask=0o022,  # the usual umask, whatever this test process has
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _assert_hardened(result: dict[str, Any]) -> None:
    before, after = result["before"], result["after"]
    assert before["umask"] == 0o022, before
    assert after["umask"] == 0o077, after
    assert after["core"] == [0, 0], after
    if LINUX:
        assert before["dumpable"] == 1, before
        assert after["dumpable"] == 0, after


def test_the_command_line_hardens_its_process(tmp_path: Path) -> None:
    # main() as the console script calls it; a command that fails early is enough.
    start = f"""
        from safeguard_desktop.cli import main
        assert main(["--data-dir", {str(tmp_path / "none")!r}, "user", "list"]) != 0
        """
    _assert_hardened(_run_child(tmp_path, start))


def test_the_app_hardens_its_process_without_the_command_line(tmp_path: Path) -> None:
    start = f"""
        from pathlib import Path
        from safeguard_desktop.app import run_smoke
        assert run_smoke(Path({str(tmp_path / "data")!r}), 0.2) == 0
        """
    _assert_hardened(_run_child(tmp_path, start))


def test_nothing_else_hardens_a_process(tmp_path: Path) -> None:
    # The control for the two above: importing the program changes nothing by itself.
    result = _run_child(tmp_path, "import safeguard_desktop.cli, safeguard_desktop.app\n")
    assert result["after"] == result["before"]
    assert result["after"]["umask"] == 0o022
