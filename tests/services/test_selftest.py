"""The ``selftest`` service on this machine, in process and in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from safeguard_desktop import __version__
from safeguard_desktop.security import device_secret
from safeguard_desktop.services.selftest import run_selftest
from safeguard_desktop.ui.qt_probe import check_qt
from safeguard_desktop.ui.qt_probe import qt_platform_argument as _qt_platform_argument

CHECKS = {"sqlcipher", "keyring", "qt", "pdf", "pdf_workers", "bank_holidays"}


def _assert_well_formed(report: dict[str, object]) -> None:
    assert report["version"] == __version__
    checks = report["checks"]
    assert isinstance(checks, dict)
    assert set(checks) == CHECKS
    for name, check in checks.items():
        assert check["status"] in {"pass", "warn", "fail"}, name
        detail = check["detail"]
        assert detail.endswith(".") and detail[0].isupper(), name
    assert report["ok"] is all(c["status"] != "fail" for c in checks.values())


def test_selftest_in_process_reuses_the_running_qt_app(qapp: object) -> None:
    report = run_selftest(check_qt)
    json.dumps(report)  # the CLI prints it as JSON
    _assert_well_formed(report)
    checks = report["checks"]
    assert report["ok"] is True, checks

    assert checks["sqlcipher"]["status"] == "pass"
    assert checks["sqlcipher"]["cipher_version"].startswith("4.")
    assert checks["pdf"]["status"] == "pass"
    # The rl_accel dependency is installed and reportlab found it.
    assert checks["pdf"]["accelerated"] is True, checks["pdf"]
    assert checks["pdf_workers"]["status"] == "pass", checks["pdf_workers"]
    assert checks["qt"]["status"] == "pass"
    assert checks["qt"]["platform"] == "offscreen"  # conftest's choice, reused

    # Without a credential store the app works on passwords alone: a warning.
    probe = device_secret.probe()
    assert checks["keyring"]["status"] == ("pass" if probe.usable else "warn")
    assert checks["keyring"]["detail"] == probe.message


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fallback is for Linux")
def test_selftest_on_a_headless_machine_falls_back_to_offscreen() -> None:
    # A fresh process with no display and no platform chosen: Qt would abort
    # with its default (xcb) plugin, so the self-test must pick offscreen.
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    env.pop("QT_QPA_PLATFORM", None)
    code = (
        "import json; from safeguard_desktop.services.selftest import run_selftest; "
        "from safeguard_desktop.ui.qt_probe import check_qt; "
        "print(json.dumps(run_selftest(check_qt)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    _assert_well_formed(report)
    assert report["ok"] is True
    assert report["checks"]["qt"]["platform"] == "offscreen"


def test_qt_platform_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "minimal")
    assert _qt_platform_argument() == "minimal"
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("DISPLAY", ":0")
    assert _qt_platform_argument() is None
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    expected = "offscreen" if sys.platform.startswith("linux") else None
    assert _qt_platform_argument() == expected
