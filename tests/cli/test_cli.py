"""The command line as a user runs it: real subprocesses against real store files.

Contract: shared CLI.md. Exit codes 0 done, 1 check failed, 2 bad input, 3 wrong
credentials or not permitted; every error is one line on stderr without a traceback;
secrets come from stdin, never argv.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

import pytest

from cli_run import EXAMPLE_CONCERN, assert_error, cli_env, concern_file, run
from safeguard_desktop.cli import main
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.security import key_slots, recovery_key
from safeguard_desktop.services import casework, organisation_settings
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import case_database
from safeguard_desktop.storage.vault_file import read_vault

REF = re.compile(r"^C-[0-9A-Z]{4}-[0-9A-Z]{4}$")


# --version ----------------------------------------------------------------------


def test_version_prints_the_version(tmp_path: Path) -> None:
    result = run(tmp_path, None, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"safeguard-desktop {version('safeguard-desktop')}"


def test_version_starts_no_qt(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from safeguard_desktop.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit as exit_:\n"
        "    code = exit_.code\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print('EXIT', code)\n"
        "print('QT', qt)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=cli_env(tmp_path),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "EXIT 0" in result.stdout
    assert "QT []" in result.stdout
    assert "safeguard-desktop " in result.stdout


# init ----------------------------------------------------------------------------


def test_init_prints_the_recovery_key_once_and_refuses_an_existing_store(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    args = [
        "init",
        "--org",
        "Riverside Juniors",
        "--org-type",
        "club",
        "--admin-user",
        "admin",
        "--admin-name",
        "Alex Admin",
        "--allow-guests",
    ]
    result = run(tmp_path, data_dir, *args, stdin="admin-password-1\n")
    assert result.returncode == 0, result.stderr
    # stdout is exactly the key, so a script can capture it; the advice goes to stderr.
    printed = result.stdout.strip()
    assert re.fullmatch(r"\d{6}(-\d{6}){7}", printed), result.stdout
    assert all(recovery_key.check_group(g) for g in recovery_key.groups_of(printed))
    assert "admin-password-1" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr

    # The printed key really opens the records, and the calibrated KDF meets the floor.
    vault = read_vault(data_dir)
    slot = vault.recovery_slot()
    assert slot is not None
    assert slot.kdf.memory_kib >= 64 * 1024 and slot.kdf.iterations >= 3
    opened = key_slots.open_slot(slot, recovery_key.secret_bytes(printed), None)
    assert opened.db_key is not None
    assert case_database.key_opens(data_dir / "cases.db", opened.db_key)
    assert vault.organisation.allow_guests
    # The key is not kept anywhere in the data folder.
    for path in data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert printed.encode() not in data
            assert printed.replace("-", "").encode() not in data

    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    again = run(tmp_path, data_dir, *args, stdin="another-password-1\n")
    line = assert_error(again, 2)
    assert str(data_dir) in line
    assert again.stdout == ""
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before


@pytest.mark.parametrize(
    ("stdin", "field_words"),
    [("short\n", "password"), ("", "password")],
    ids=["short_password", "no_password_on_stdin"],
)
def test_init_with_a_bad_password_is_bad_input(
    tmp_path: Path, stdin: str, field_words: str
) -> None:
    data_dir = tmp_path / "data"
    result = run(
        tmp_path,
        data_dir,
        "init",
        "--org",
        "X",
        "--org-type",
        "school",
        "--admin-user",
        "admin",
        "--admin-name",
        "A Person",
        stdin=stdin,
    )
    line = assert_error(result, 2)
    assert field_words in line.lower()
    assert not (data_dir / "vault.json").exists()


# Accounts -------------------------------------------------------------------------


def test_user_add_needs_the_admin_password_and_list_shows_accounts(store_dir, tmp_path) -> None:
    data_dir = store_dir.data_dir
    add = [
        "user",
        "add",
        "--as",
        "admin",
        "--user",
        "sam",
        "--name",
        "Sam Second",
        "--role",
        "recorder",
    ]
    vault_before = (data_dir / "vault.json").read_bytes()
    wrong = run(tmp_path, data_dir, *add, stdin="wrong-password-1\nsam-password-1\n")
    line = assert_error(wrong, 3)
    assert "wrong-password-1" not in line and "sam-password-1" not in line
    assert (data_dir / "vault.json").read_bytes() == vault_before

    not_admin = run(
        tmp_path,
        data_dir,
        *[a if a != "admin" else "dana" for a in add],
        stdin="dsl-password-1\nsam-password-1\n",
    )
    assert_error(not_admin, 3)

    ok = run(tmp_path, data_dir, *add, stdin="admin-password-1\nsam-password-1\n")
    assert ok.returncode == 0, ok.stderr

    duplicate = run(tmp_path, data_dir, *add, stdin="admin-password-1\nsam-password-1\n")
    assert "sam" in assert_error(duplicate, 2)

    listed = run(tmp_path, data_dir, "user", "list")
    assert listed.returncode == 0
    users = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {u["username"]: u["role"] for u in users} == {
        "admin": "admin",
        "dana": "dsl",
        "rita": "recorder",
        "sam": "recorder",
    }
    assert {u["name"] for u in users} >= {"Sam Second", "Dana Lead"}
    assert Store.open(data_dir).login("sam", "sam-password-1").user.username == "sam"


def test_wrong_password_is_exit_3_on_one_line(store_dir, tmp_path) -> None:
    result = run(
        tmp_path, store_dir.data_dir, "concerns", "--as", "dana", stdin="not-danas-password\n"
    )
    line = assert_error(result, 3)
    assert "not-danas-password" not in line
    assert result.stdout == ""


# Recording and reading ----------------------------------------------------------------


def test_record_list_and_show(store_dir, tmp_path) -> None:
    data_dir = store_dir.data_dir
    concern_path = concern_file(tmp_path)
    expected = Concern.from_json(EXAMPLE_CONCERN, now=datetime.now()).to_json()

    recorded = run(
        tmp_path,
        data_dir,
        "record",
        "--as",
        "rita",
        "--json",
        str(concern_path),
        stdin="recorder-pw-1\n",
    )
    assert recorded.returncode == 0, recorded.stderr
    ref = recorded.stdout.strip()
    assert REF.fullmatch(ref)

    guest = run(
        tmp_path,
        data_dir,
        "record",
        "--guest",
        "Gail Guest",
        "--guest-role",
        "Volunteer driver",
        "--json",
        str(concern_path),
    )
    assert guest.returncode == 0, guest.stderr
    guest_ref = guest.stdout.strip()
    assert REF.fullmatch(guest_ref) and guest_ref != ref

    listed = run(tmp_path, data_dir, "concerns", "--as", "dana", stdin="dsl-password-1\n")
    assert listed.returncode == 0, listed.stderr
    rows = {row["ref"]: row for row in map(json.loads, listed.stdout.splitlines())}
    assert set(rows) == {ref, guest_ref}
    assert rows[ref]["children"] == ["Amelia Kowalska"]
    assert rows[ref]["categories"] == ["physical_abuse"]
    assert rows[ref]["submitter"]["username"] == "rita"
    assert rows[guest_ref]["submitter"] == {
        "name": "Gail Guest",
        "role": "Volunteer driver",
        "username": None,
    }

    shown = run(tmp_path, data_dir, "show", ref.lower(), "--as", "dana", stdin="dsl-password-1\n")
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["ref"] == ref
    assert document["concern"] == expected
    assert document["amendments"] == [] and document["actions"] == []
    assert document["decisions"] == [] and document["referrals"] == []
    assert document["children"] == [{"position": 0, "child_id": None, "suggested_child_ids": []}]
    assert rows[ref]["status"] == "new" and rows[ref]["children_to_link"] == 1

    missing = run(
        tmp_path, data_dir, "show", "C-0000-0000", "--as", "dana", stdin="dsl-password-1\n"
    )
    assert_error(missing, 2)

    # A recorder lists only their own receipts: references and times, never content.
    mine = run(tmp_path, data_dir, "concerns", "--as", "rita", stdin="recorder-pw-1\n")
    assert mine.returncode == 0, mine.stderr
    receipts = [json.loads(line) for line in mine.stdout.splitlines()]
    assert [r["ref"] for r in receipts] == [ref]
    assert "Amelia" not in mine.stdout and "bruise" not in mine.stdout


def test_show_includes_amendments_and_actions(store_dir, tmp_path) -> None:
    from casework_data import concern_data, submit
    from safeguard_desktop.domain.casework import NewAction, NewAmendment

    ref = submit(Store.open(store_dir.data_dir), concern_data())
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    casework.amend(
        session,
        ref,
        NewAmendment.checked(field="location", new_value="Car park", reason="Misheard"),
    )
    casework.add_action(
        session,
        NewAction.checked(
            kind="spoke_to_child",
            occurred_at=datetime.now(),
            who="DSL",
            details="Checked she was all right.",
            now=datetime.now(),
        ),
        ref=ref,
    )
    session.lock()
    shown = run(tmp_path, store_dir.data_dir, "show", ref, "--as", "dana", stdin="dsl-password-1\n")
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert [(a["field"], a["new_value"]) for a in document["amendments"]] == [
        ("location", "Car park")
    ]
    assert [(a["kind"], a["details"]) for a in document["actions"]] == [
        ("spoke_to_child", "Checked she was all right.")
    ]
    # The concern as submitted is unchanged beside its amendment.
    assert document["concern"]["location"] == concern_data()["location"]


def test_json_output_escapes_bidi_controls_and_keeps_the_text(store_dir, tmp_path) -> None:
    """A right-to-left override in a record cannot reorder a terminal's line (issue 14)."""
    from casework_data import concern_data, submit

    tricky = "Ann\u202eeci\u202c said \u200f12 34\u200f\u2028then\u2029left"
    ref = submit(Store.open(store_dir.data_dir), concern_data(observed=tricky, name="Ann\u202eeci"))
    password = "dsl-password-1\n"
    shown = run(tmp_path, store_dir.data_dir, "show", ref, "--as", "dana", stdin=password)
    listed = run(tmp_path, store_dir.data_dir, "concerns", "--as", "dana", stdin=password)
    for result in (shown, listed):
        assert result.returncode == 0, result.stderr
        assert not any(c in result.stdout for c in ("\u202e", "\u202c", "\u200f", "\u2028"))
        assert "\\u202e" in result.stdout  # written as an escape instead
    # One line per concern, however the reader splits lines (U+2028 ends one for many).
    assert len(listed.stdout.splitlines()) == 1
    # The data is exactly as typed once read as JSON.
    assert json.loads(shown.stdout)["concern"]["observed"] == tricky


@pytest.mark.parametrize("command", ["audit-verify", "show"])
def test_recorder_cannot_read_cases_or_the_audit_log(store_dir, tmp_path, command: str) -> None:
    args = [command, "--as", "rita"] + (["C-0000-0000"] if command == "show" else [])
    result = run(tmp_path, store_dir.data_dir, *args, stdin="recorder-pw-1\n")
    assert_error(result, 3)
    assert result.stdout == ""


def test_guest_is_refused_when_guests_are_not_allowed(store_dir, tmp_path) -> None:
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    organisation_settings.set_allow_guests(admin, False)  # type: ignore[arg-type]
    admin.lock()
    result = run(
        tmp_path,
        store_dir.data_dir,
        "record",
        "--guest",
        "Gail",
        "--guest-role",
        "Parent",
        "--json",
        str(concern_file(tmp_path)),
    )
    assert_error(result, 3)


def _broken(change: dict[str, object], drop: str | None = None) -> dict[str, object]:
    data = {**EXAMPLE_CONCERN, **change}
    if drop:
        del data[drop]
    return data


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (_broken({"immediate_danger": "no"}), "Is a child in immediate danger"),
        (_broken({}, drop="observed"), "What you saw and heard"),
        (
            _broken({"children": [{"name": "A Child", "date_of_birth": "02/03/2015"}]}),
            "Date of birth (child 1)",
        ),
        (_broken({"categories": ["bullying"]}), "Category 1"),
        (_broken({"observd": "typo"}), "observd"),
    ],
    ids=["not_a_boolean", "missing_observed", "bad_date", "unknown_category", "unknown_field"],
)
def test_invalid_concern_is_bad_input_naming_the_field(
    store_dir, tmp_path, data: dict[str, object], named: str
) -> None:
    inbox_before = (store_dir.data_dir / "inbox.db").read_bytes()
    result = run(
        tmp_path,
        store_dir.data_dir,
        "record",
        "--as",
        "rita",
        "--json",
        str(concern_file(tmp_path, data)),
        stdin="recorder-pw-1\n",
    )
    line = assert_error(result, 2)
    assert named in line
    assert result.stdout == ""
    assert (store_dir.data_dir / "inbox.db").read_bytes() == inbox_before


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00\x01", None],
    ids=["not_json", "not_utf8", "missing_file"],
)
def test_unreadable_concern_file_is_bad_input(store_dir, tmp_path, content: bytes | None) -> None:
    path = tmp_path / "input.json"
    if content is not None:
        path.write_bytes(content)
    result = run(
        tmp_path,
        store_dir.data_dir,
        "record",
        "--guest",
        "Gail",
        "--guest-role",
        "Parent",
        "--json",
        str(path),
    )
    assert str(path) in assert_error(result, 2)


def test_guest_without_a_role_is_bad_input(store_dir, tmp_path) -> None:
    result = run(
        tmp_path,
        store_dir.data_dir,
        "record",
        "--guest",
        "Gail",
        "--json",
        str(concern_file(tmp_path)),
    )
    assert "--guest-role" in assert_error(result, 2)


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["record", "--as", "rita"],
        ["init", "--org", "X"],
        ["user"],
        ["record", "--as", "rita", "--guest", "Gail", "--json", "x.json"],
    ],
    ids=[
        "unknown_command",
        "missing_json",
        "init_missing_options",
        "user_no_action",
        "as_and_guest",
    ],
)
def test_usage_errors_are_one_line_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = run(tmp_path, tmp_path / "data", *args)
    assert_error(result, 2)
    assert not (tmp_path / "data").exists()


# Secrets never on argv -------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["init"],
        ["user", "add"],
        ["user", "remove"],
        ["record"],
        ["concerns"],
        ["show"],
        ["attach"],
        ["audit-verify"],
    ],
    ids=lambda c: "-".join(c),
)
def test_no_command_takes_a_secret_on_argv(command: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*command, "--help"])
    assert caught.value.code == 0
    text = capsys.readouterr().out
    options = set(re.findall(r"--[a-z][a-z-]*", text))
    assert options, text
    secret_words = ("password", "passphrase", "secret", "recovery", "key", "pin")
    leaking = {o for o in options if any(w in o for w in secret_words)}
    assert leaking <= {"--password-stdin"}, leaking


def test_a_byte_order_mark_is_not_part_of_the_json_or_the_password(store_dir, tmp_path) -> None:
    # Saved by Notepad as "UTF-8 with BOM", piped from PowerShell: both start with U+FEFF.
    path = tmp_path / "c.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(EXAMPLE_CONCERN).encode())
    recorded = subprocess.run(
        [sys.executable, "-m", "safeguard_desktop.cli", "--data-dir", str(store_dir.data_dir),
            "record", "--as", "rita", "--json", str(path)],
        input=b"\xef\xbb\xbfrecorder-pw-1\n", capture_output=True, timeout=120, check=False,
        env=cli_env(tmp_path),
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    assert REF.fullmatch(recorded.stdout.decode().strip())
