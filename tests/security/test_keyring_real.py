"""The device secret in a real Secret Service keyring (gnome-keyring over D-Bus).

Each test starts its own private D-Bus session with ``dbus-run-session`` and, inside
it, a gnome-keyring-daemon whose login collection is unlocked with a test password,
in a throw-away HOME. The developer's own keyring is never touched. The work happens
in tests/support/keyring_probe_child.py, run as a child process, because the D-Bus session
only exists inside ``dbus-run-session``. dbus-run-session ends the bus when the
command ends and gnome-keyring-daemon exits with it; the tests check that no process
of theirs is left behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from repo_paths import SUPPORT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="Secret Service is the Linux keyring"),
]

CHILD = SUPPORT / "keyring_probe_child.py"
TIMEOUT = 60  # seconds for one child run, however slow the shared machine is
KEYRING_PASSWORD = "test-keyring-password"
ADMIN_PASSWORD = "correct horse battery staple"  # the same as in the child script

# Starts the keyring daemon with the login collection created (first run) and
# unlocked, checks with secret-tool that it stores and finds a secret, then runs
# the child. `exec` keeps the child's exit code as the session's.
SESSION_SCRIPT = r"""
set -euo pipefail
eval "$(printf '%s' "$SG_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
printf 'probe' | secret-tool store --label='Safeguard test probe' sg-test probe \
    || { echo "secret-tool store failed: the keyring daemon is not usable" >&2; exit 97; }
[ "$(secret-tool lookup sg-test probe)" = probe ] \
    || { echo "secret-tool lookup failed: the keyring daemon is not usable" >&2; exit 98; }
exec "$SG_PYTHON" "$SG_CHILD" "$@"
"""

REQUIRED_TOOLS = ("dbus-run-session", "gnome-keyring-daemon", "secret-tool")


@pytest.fixture(scope="module", autouse=True)
def _tools_installed() -> None:
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    # A missing tool is a failure, not a skip: .ci/run installs them, and a skip
    # would let the only real-keyring test go quiet.
    assert not missing, (
        f"{', '.join(missing)} not found; install the Debian packages dbus, "
        "gnome-keyring and libsecret-tools (.ci/run does)"
    )


@pytest.fixture
def home() -> Iterator[Path]:
    """A throw-away HOME (short path: the daemon puts unix sockets below it)."""
    with tempfile.TemporaryDirectory(prefix="sgkr-") as tmp:
        path = Path(tmp)
        for sub in (".local/share", ".config", ".cache", "run"):
            (path / sub).mkdir(parents=True)
        (path / "run").chmod(0o700)
        yield path
        _assert_no_leftovers(path)


def _env(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DBUS_SESSION_BUS_ADDRESS",
            "GNOME_KEYRING_CONTROL",
            "SSH_AUTH_SOCK",
            "PYTHON_KEYRING_BACKEND",
            "DISPLAY",
            "WAYLAND_DISPLAY",
        }
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(home / "run"),
        SG_KEYRING_PASSWORD=KEYRING_PASSWORD,
        SG_PYTHON=sys.executable,
        SG_CHILD=str(CHILD),
        PYTHONUNBUFFERED="1",
    )
    return env


def _processes_of(home: Path) -> dict[int, str]:
    """pid -> command name of every process whose environment has this test's HOME."""
    marker = f"HOME={home}".encode()
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            if marker in environ:
                found[int(entry.name)] = (entry / "comm").read_text().strip()
        except OSError:  # the process ended, or is not ours to read
            continue
    return found


def _assert_no_leftovers(home: Path) -> None:
    # gnome-keyring-daemon exits once its bus is gone; give it a moment.
    deadline = time.monotonic() + 5
    while (left := _processes_of(home)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:  # only processes started by this test carry its HOME
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left running after the test: {left}"


def _run(argv: list[str], home: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run argv in its own process group; on timeout kill the group and fail clearly."""
    proc = subprocess.Popen(
        argv,
        env=_env(home),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(stdin, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        pytest.fail(
            f"{' '.join(argv[:1] + argv[-3:])} took longer than {TIMEOUT} s\n"
            f"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        )
    return subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr)


def _in_keyring_session(step: str, arg: str, home: Path) -> dict[str, Any]:
    done = _run(["dbus-run-session", "--", "bash", "-c", SESSION_SCRIPT, "bash", step, arg], home)
    return _result(done)


def _outside_session(step: str, arg: str, home: Path) -> dict[str, Any]:
    return _result(_run([sys.executable, str(CHILD), step, arg], home))


def _result(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    report = f"exit {done.returncode}\n--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
    assert done.returncode == 0, f"child failed: {report}"
    lines = done.stdout.strip().splitlines()
    assert lines, f"child printed nothing: {report}"
    try:
        result: dict[str, Any] = json.loads(lines[-1])
    except json.JSONDecodeError:
        pytest.fail(f"child's last line is not JSON: {report}")
    return result


def _is_plain_sentence(text: str) -> bool:
    jargon = ("dbus", "d-bus", "exception", "traceback", "error:", "org.freedesktop", "keyring.")
    return (
        "\n" not in text
        and 20 <= len(text) <= 240
        and text[0].isupper()
        and text.endswith(".")
        and not any(word in text.lower() for word in jargon)
    )


def test_secret_service_round_trip(home: Path) -> None:
    result = _in_keyring_session("roundtrip", "vault-roundtrip-1", home)

    probe = result["probe"]
    assert probe["usable"] is True, probe
    assert "SecretService" in (probe["backend"] or ""), probe
    assert _is_plain_sentence(probe["message"]), probe["message"]
    assert result["default_collection"] == {"label": "Login", "locked": False}, result

    assert result["get_before_create"] is None
    assert result["created_length"] == 32
    assert result["get_after_create"] == result["created_sha256"]
    # Another process (so a fresh keyring backend) reads the same secret.
    assert result["second_process"]["sha256"] == result["created_sha256"], result
    assert result["get_after_delete"] is None
    assert result["second_process_after_delete"]["sha256"] is None, result


def test_no_dbus_session_means_no_device_secret(home: Path) -> None:
    result = _outside_session("absent", "vault-absent-1", home)

    probe = result["probe"]
    assert probe["usable"] is False, probe
    assert probe["backend"] is None, probe
    assert _is_plain_sentence(probe["message"]), probe["message"]
    assert result["get"] is None
    assert result["create_raised"] == "DeviceSecretUnavailable", result


def test_store_bound_to_this_pcs_keyring(home: Path) -> None:
    data_dir = home / "data"
    result = _in_keyring_session("e2e", str(data_dir), home)

    init = result["init"]
    assert init["rc"] == 0, f"init failed: {init['stderr']}"
    assert init["recovery_key_printed"]
    # The recovery slot must open the records on a new PC, so it is never bound.
    assert ["recovery", False] in result["slots"], result["slots"]
    bound = [b for kind, b in result["slots"] if kind != "recovery"]
    assert bound and all(bound), f"the admin's slot is not bound to the device: {result['slots']}"
    login = result["login"]
    assert login["rc"] == 0, f"login inside the keyring session failed: {login['stderr']}"
    assert json.loads(login["stdout"])["ok"] is True, login["stdout"]

    # After a "restart" (a new D-Bus session and keyring daemon, the same login
    # keyring file) the device secret is still there.
    again = _in_keyring_session("login", str(data_dir), home)["login"]
    assert again["rc"] == 0, f"login in a new keyring session failed: {again['stderr']}"

    # The same data folder where the keyring cannot be reached: login must refuse
    # with one plain sentence, and never say anything about the password being wrong.
    cli = str(Path(sys.executable).with_name("safeguard-desktop"))
    outside = _run(
        [cli, "--data-dir", str(data_dir), "audit-verify", "--as", "admin"],
        home,
        stdin=ADMIN_PASSWORD + "\n",
    )
    message = outside.stderr.strip()
    assert outside.returncode == 1, f"exit {outside.returncode}: {outside.stderr}"
    assert "\n" not in message, message
    assert "credential store" in message, message


def test_sign_in_delay_survives_its_row_being_deleted(home: Path) -> None:
    # The count is also kept in the credential store, where editing the data folder
    # cannot reach it; the larger of the two counts.
    result = _in_keyring_session("throttle", str(home / "data"), home)

    assert all(result["device_bound"][:1]), result["device_bound"]
    assert result["retry_after"] == [0, 0, 2], result  # Caps Lock twice, then 2 s
    assert result["note"]["failures"] == 3, result["note"]
    # The attacker deleted inbox.db's row; a restarted program still delays.
    assert result["row_after_delete"] == [0, 0.0]
    assert 0 < result["delay_after_delete"] <= 2, result
    assert 0 < result["right_password_during_delay"] <= 2, result
    # Deleted again before the next failure: it is the fourth (4 s), not the first.
    assert result["next_retry_after"] == 4, result
    assert result["row_after_next"] == [4], result
    assert result["signed_in"] is True
    assert result["note_after_sign_in"] is None
    assert result["row_after_sign_in"] == [0, 0.0]


def test_the_credential_store_guards_guests_generations_and_the_whole_folder(home: Path) -> None:
    # docs/SECURITY.md: what a PC with a credential store catches that the folder alone
    # cannot (a guest has no password slot to pin the vault key in).
    result = _in_keyring_session("trust", str(home / "data"), home)

    assert result["vault_key_kept"] is True and result["anchor_kept"] is True
    assert result["guest_refused"] == (
        "The organisation's settings on this PC were changed outside Safeguard Desktop; "
        "nothing was sent. Tell your safeguarding lead."
    )
    assert result["sealed_after_refusal"] == 0
    assert result["failed_sign_in_verified"] == [True]
    assert result["older_vault_refused"] is True
    assert result["whole_folder_read_only"] is True
    assert "older than the ones this PC last saw" in result["whole_folder_alarm"]
    assert result["backup_name"] in result["whole_folder_alarm"]  # where to go back to
    assert result["restored_has_own_identity"] is True


def test_a_recording_stations_settings_are_pinned_outside_its_folder(home: Path) -> None:
    # services/stations.py: station.json swapped for another organisation's invitation
    # (which would send concerns to someone else's key) is refused; the lead's signed
    # settings update moves the pin with it.
    result = _in_keyring_session("station", str(home / "stations"), home)

    assert result["reopened"] == "Hall laptop"
    assert "settings file was changed outside Safeguard Desktop" in result["swapped_refused"]
    assert result["front_door_after_update"] == "0100 000 0009"
