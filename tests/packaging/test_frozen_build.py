"""The frozen program, as a club downloads it: build it, then run it like a user would.

Builds the single file once for the module with ``installer/build.py --onefile``
(CI starts from a clean clone, so it always builds; about a minute on two cores).
Locally, ``SAFEGUARD_REUSE_BUILD=1`` reuses ``dist/safeguard-desktop`` when it is
there. ``SAFEGUARD_FROZEN_EXE=PATH`` tests an executable built elsewhere (the
GitHub workflow points it at each platform's single file and folder build).

The frozen tests are marked slow. A few fast tests at the end check, without a
build, the parts the build relies on: the resource helper and the launcher.

Every run gets its own empty data and log folders, the offscreen Qt platform and
no D-Bus session, so nothing touches the developer's own records or keyring.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from repo_paths import REPO
from safeguard_desktop import __version__
from safeguard_desktop.resource_files import resource_path

ROOT = REPO
EXE_NAME = "safeguard-desktop.exe" if sys.platform == "win32" else "safeguard-desktop"
BUILD_TIMEOUT = 1200  # seconds; about 60 s on an idle two-core machine
RUN_TIMEOUT = 120  # one run of the frozen program, however busy the machine is
LINUX = sys.platform.startswith("linux")
ADMIN_PASSWORD = "frozen build admin password 1"


@pytest.fixture(scope="module")
def frozen_exe() -> Path:
    given = os.environ.get("SAFEGUARD_FROZEN_EXE")
    if given:
        exe = Path(given).resolve()
        assert exe.is_file(), f"SAFEGUARD_FROZEN_EXE={given} is not a file"
        return exe
    exe = ROOT / "dist" / EXE_NAME
    if os.environ.get("SAFEGUARD_REUSE_BUILD") == "1" and exe.is_file():
        return exe
    done = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "build.py"), "--onefile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert done.returncode == 0, f"build failed:\n{done.stdout[-4000:]}\n{done.stderr[-8000:]}"
    assert exe.is_file(), f"the build printed success but {exe} is missing:\n{done.stdout}"
    return exe


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    data, logs = tmp_path / "data", tmp_path / "logs"
    logs.mkdir()
    return {"data": data, "logs": logs, "home": tmp_path}


def _env(folders: dict[str, Path], **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND", "SAFEGUARD_FROZEN_EXE"}
        and not key.startswith(("PYTHON", "VIRTUAL_ENV"))  # the frozen program has its own
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SAFEGUARD_DATA_DIR=str(folders["data"]),
        SAFEGUARD_LOG_DIR=str(folders["logs"]),
    )
    env.update(extra)
    return env


def _run(argv: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run in its own process group; on timeout kill the group and fail clearly."""
    proc = subprocess.Popen(
        argv,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(stdin, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        stdout, stderr = proc.communicate()
        pytest.fail(f"{argv[1:]} took longer than {RUN_TIMEOUT} s\n{stdout}\n{stderr}")
    return subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr)


def _explain(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"


def _problems_in_log(logs: Path) -> list[str]:
    """Warnings and errors in the app's log, where Qt's own messages are routed."""
    lines: list[str] = []
    for log_file in logs.glob("*.log"):
        lines += log_file.read_text(encoding="utf-8", errors="replace").splitlines()
    return [
        line
        for line in lines
        if any(f" {lvl} " in line for lvl in ("WARNING", "ERROR", "CRITICAL"))
    ]


@pytest.mark.slow
def test_version_prints_without_starting_qt(frozen_exe: Path, folders: dict[str, Path]) -> None:
    extra = {"LD_DEBUG": "libs"} if LINUX else {}  # the dynamic loader names each library
    done = _run([str(frozen_exe), "--version"], _env(folders, **extra))
    assert done.returncode == 0, _explain(done)
    assert done.stdout == f"safeguard-desktop {__version__}\n", _explain(done)
    if LINUX:
        loaded = [line for line in done.stderr.splitlines() if "calling init:" in line]
        assert loaded, "LD_DEBUG printed nothing: cannot tell whether Qt was loaded"
        assert not [line for line in loaded if "Qt6" in line or "PySide6" in line], (
            "--version loaded Qt: " + "\n".join(line for line in loaded if "Qt6" in line)
        )
    assert not folders["data"].exists(), "--version must not create the data folder"


@pytest.mark.slow
def test_selftest_passes_with_json(frozen_exe: Path, folders: dict[str, Path]) -> None:
    done = _run([str(frozen_exe), "selftest"], _env(folders))
    assert done.returncode == 0, _explain(done)
    report = json.loads(done.stdout)
    assert report["version"] == __version__
    assert report["ok"] is True, report
    checks = report["checks"]
    assert set(checks) == {"sqlcipher", "keyring", "qt", "pdf", "pdf_workers", "bank_holidays"}
    assert checks["sqlcipher"]["status"] == "pass", checks["sqlcipher"]
    assert checks["sqlcipher"]["cipher_version"].startswith("4."), checks["sqlcipher"]
    assert checks["qt"] == checks["qt"] | {"status": "pass", "platform": "offscreen"}
    # The bundled DejaVu fonts, reportlab and pyHanko, frozen: build, sign, verify.
    assert checks["pdf"]["status"] == "pass", checks["pdf"]
    # reportlab's C helpers, which it imports by exec (hidden import in the spec).
    assert checks["pdf"]["accelerated"] is True, checks["pdf"]
    # A full export's PDF worker: the single file started again as a spawned worker
    # (multiprocessing.freeze_support in the launcher, PyInstaller's run-time hook).
    assert checks["pdf_workers"]["status"] == "pass", checks["pdf_workers"]
    # The UK's part of the holidays library, all the spec keeps of it.
    assert checks["bank_holidays"]["status"] == "pass", checks["bank_holidays"]
    if sys.platform == "win32":
        # Windows always has Credential Manager: finding it proves the bundled
        # keyring metadata (its backends are entry points).
        assert checks["keyring"]["status"] == "pass", checks["keyring"]
        assert checks["keyring"]["backend"] == "keyring.backends.Windows.WinVaultKeyring"
    elif LINUX:
        # No D-Bus session here: no credential store, the app says so and goes on.
        assert checks["keyring"]["status"] == "warn", checks["keyring"]
        assert checks["keyring"]["backend"] is None
    assert _problems_in_log(folders["logs"]) == []


# Starts gnome-keyring with an unlocked login collection inside a private D-Bus
# session (as tests/security/test_keyring_real.py does), then runs the frozen self-test.
KEYRING_SESSION = r"""
set -euo pipefail
eval "$(printf '%s' "$SG_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$SG_EXE" selftest
"""


@pytest.fixture
def keyring_home() -> Iterator[Path]:
    """A throw-away short HOME: the keyring daemon puts unix sockets below it."""
    with tempfile.TemporaryDirectory(prefix="sgfz-") as tmp:
        home = Path(tmp)
        for sub in (".local/share", ".config", ".cache", "run"):
            (home / sub).mkdir(parents=True)
        (home / "run").chmod(0o700)
        yield home


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="Secret Service is the Linux credential store")
def test_selftest_finds_a_real_secret_service(
    frozen_exe: Path, folders: dict[str, Path], keyring_home: Path
) -> None:
    # keyring finds its backends through importlib.metadata entry points: if the
    # spec stopped bundling keyring's metadata, no store would ever be found.
    missing = [t for t in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(t)]
    assert not missing, f"{missing} not found; .ci/run installs dbus and gnome-keyring"
    env = _env(
        folders,
        HOME=str(keyring_home),
        XDG_DATA_HOME=str(keyring_home / ".local/share"),
        XDG_CONFIG_HOME=str(keyring_home / ".config"),
        XDG_CACHE_HOME=str(keyring_home / ".cache"),
        XDG_RUNTIME_DIR=str(keyring_home / "run"),
        SG_KEYRING_PASSWORD="frozen-build-keyring",
        SG_EXE=str(frozen_exe),
    )
    env.pop("GNOME_KEYRING_CONTROL", None)
    env.pop("SSH_AUTH_SOCK", None)
    done = _run(["dbus-run-session", "--", "bash", "-c", KEYRING_SESSION], env)
    assert done.returncode == 0, _explain(done)
    keyring_check = json.loads(done.stdout)["checks"]["keyring"]
    assert keyring_check["status"] == "pass", keyring_check
    assert keyring_check["backend"] == "keyring.backends.SecretService.Keyring", keyring_check


def _smoke(frozen_exe: Path, folders: dict[str, Path]) -> None:
    done = _run([str(frozen_exe), "--smoke-test-gui", "2"], _env(folders))
    assert done.returncode == 0, _explain(done)
    # Qt writes to stderr until the app installs its message handler; after
    # that its messages go to the log. Either way, nothing may be said.
    assert done.stderr.strip() == "", _explain(done)
    assert _problems_in_log(folders["logs"]) == []
    log_text = "".join(p.read_text(encoding="utf-8") for p in folders["logs"].glob("*.log"))
    assert "GUI smoke test passed" in log_text, log_text


@pytest.mark.slow
def test_window_opens_on_a_new_pc(frozen_exe: Path, folders: dict[str, Path]) -> None:
    """An empty data folder: the first screen (set up or restore) opens for two seconds."""
    _smoke(frozen_exe, folders)


@pytest.mark.slow
def test_window_opens_on_an_existing_store(frozen_exe: Path, folders: dict[str, Path]) -> None:
    """A store made by the frozen CLI (real SQLCipher, Argon2): the sign-in page opens."""
    init = _run(
        [
            str(frozen_exe),
            "init",
            "--org",
            "Riverside Juniors FC",
            "--org-type",
            "club",
            "--admin-user",
            "welfare",
            "--admin-name",
            "Sam Welfare",
        ],
        _env(folders),
        stdin=ADMIN_PASSWORD + "\n",
    )
    assert init.returncode == 0, _explain(init)
    assert (folders["data"] / "vault.json").is_file()
    _smoke(frozen_exe, folders)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("7z") is None, reason="7-Zip (p7zip-full) is not installed")
def test_export_makes_a_zip_7zip_opens(frozen_exe: Path, folders: dict[str, Path]) -> None:
    """The full export's AES-256 ZIP from the frozen program: stream-zip and the parts of
    pycryptodome the spec keeps are enough (it leaves out the public-key modules)."""
    init = _run(
        [str(frozen_exe), "init", "--org", "Riverside Juniors FC", "--org-type", "club",
         "--admin-user", "welfare", "--admin-name", "Sam Welfare"],
        _env(folders),
        stdin=ADMIN_PASSWORD + "\n",
    )  # fmt: skip
    assert init.returncode == 0, _explain(init)
    target = folders["home"] / "export.zip"
    done = _run(
        [str(frozen_exe), "export", "--as", "welfare", "--out", str(target), "--zip"],
        _env(folders),
        stdin=f"{ADMIN_PASSWORD}\nzip password 42\n",
    )
    assert done.returncode == 0, _explain(done)
    assert json.loads(done.stdout)["format"] == "zip"
    check = subprocess.run(
        ["7z", "t", "-pzip password 42", str(target)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0 and "Everything is Ok" in check.stdout, check.stdout


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="the .desktop file is for Linux desktops")
def test_linux_install_script_puts_program_icon_and_menu_entry_in_place(
    frozen_exe: Path, folders: dict[str, Path]
) -> None:
    dist = frozen_exe.parent
    script = dist / "install-for-this-user.sh"
    if not script.is_file():
        pytest.skip("SAFEGUARD_FROZEN_EXE points outside a build.py dist folder")
    home = folders["home"] / "user"
    home.mkdir()
    env = _env(folders, HOME=str(home))
    env.pop("XDG_DATA_HOME", None)
    env.pop("XDG_BIN_HOME", None)
    done = _run(["sh", str(script)], env)
    assert done.returncode == 0, _explain(done)

    installed = home / ".local/bin/safeguard-desktop"
    entry = home / ".local/share/applications/safeguard-desktop.desktop"
    icon = home / ".local/share/icons/hicolor/256x256/apps/safeguard-desktop.png"
    assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    assert f'Exec="{installed}"' in lines
    assert "Icon=safeguard-desktop" in lines
    if shutil.which("desktop-file-validate"):
        check = _run(["desktop-file-validate", str(entry)], env)
        assert check.returncode == 0 and check.stdout == "", _explain(check)
    version = _run([str(installed), "--version"], env)
    assert version.stdout == f"safeguard-desktop {__version__}\n", _explain(version)


# Fast checks of the parts the build relies on (no build needed) -------------------


def test_resource_path_finds_the_files_every_build_needs() -> None:
    # The spec, the Inno Setup script and build.py name these files.
    for name in ("safeguard-desktop.ico", "safeguard-desktop.icns", "safeguard-desktop-256.png"):
        assert resource_path("icons", name).stat().st_size > 1000, name
    assert resource_path("icons", "safeguard-desktop.svg").read_text().lstrip().startswith("<?xml")
    assert resource_path("fonts", "DejaVuSans.ttf").is_file()
    with pytest.raises(FileNotFoundError, match=r"icons/no-such-icon\.png"):
        resource_path("icons", "no-such-icon.png")


def test_resource_path_looks_below_the_unpack_folder_when_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PyInstaller sets sys._MEIPASS and copies safeguard_desktop/resources below it.
    shipped = tmp_path / "safeguard_desktop" / "resources" / "icons" / "safeguard-desktop-16.png"
    shipped.parent.mkdir(parents=True)
    shipped.write_bytes(b"png")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("icons", "safeguard-desktop-16.png") == shipped
    with pytest.raises(FileNotFoundError):
        resource_path("fonts", "DejaVuSans.ttf")  # not in this unpack folder


def _launcher() -> ModuleType:
    spec = importlib.util.spec_from_file_location("launcher", ROOT / "installer" / "launcher.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("argv", "wants_console"),
    [
        ([], False),
        (["--data-dir", "D:/Records"], False),
        (["--data-dir=D:/Records"], False),
        (["--version"], True),
        (["selftest"], True),
        (["--data-dir", "D:/Records", "selftest"], True),
        (["--demo"], True),
    ],
)
def test_windows_launcher_attaches_a_console_only_for_commands(
    argv: list[str], wants_console: bool
) -> None:
    assert _launcher()._has_command(argv) is wants_console
