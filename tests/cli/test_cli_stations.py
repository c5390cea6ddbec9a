"""The recording station commands as a user runs them: real subprocesses, two data folders.

``station invite`` on the DSL's PC, ``station init`` and ``record`` on the station,
``stations`` (and ``concerns``) back on the DSL's PC; errors are one line with the exit
codes of shared CLI.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import assert_error, concern_file, run


def _invite(tmp_path: Path, store_dir, drop: Path, *more: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    out = tmp_path / "away.sginvite"
    result = run(
        tmp_path,
        store_dir.data_dir,
        "station",
        "invite",
        "--as",
        store_dir.admin[0],
        "--out",
        str(out),
        "--drop",
        str(drop),
        *more,
        stdin=f"{store_dir.admin[1]}\n",
    )
    assert result.returncode == 0, result.stderr
    made: dict[str, object] = json.loads(result.stdout)
    assert made["invitation"] == str(out)
    assert "Read the fingerprint out" in result.stderr
    return made


def test_a_station_set_up_and_recording_from_the_command_line(store_dir, tmp_path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    made = _invite(tmp_path, store_dir, drop, "--name", "Hall laptop")
    assert made["name"] == "Hall laptop"

    station = tmp_path / "station"
    result = run(
        tmp_path, station, "station", "init", "--invitation", str(tmp_path / "away.sginvite")
    )
    assert result.returncode == 0, result.stderr
    joined = json.loads(result.stdout)
    assert joined["fingerprint"] == made["fingerprint"]
    assert joined["organisation"] == "Riverside Juniors FC"
    assert joined["hello_delivered"] is True
    assert "Compare the fingerprint" in result.stderr

    result = run(
        tmp_path,
        station,
        "record",
        "--guest",
        "Sam Coach",
        "--guest-role",
        "Coach",
        "--json",
        str(concern_file(tmp_path)),
    )
    assert result.returncode == 0, result.stderr
    ref = result.stdout.strip()

    result = run(
        tmp_path, store_dir.data_dir, "stations", "--as", "admin", stdin="admin-password-1\n"
    )
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    info = json.loads(line)
    assert (info["name"], info["status"], info["delivered"]) == ("Hall laptop", "working", 1)

    result = run(
        tmp_path, store_dir.data_dir, "concerns", "--as", "admin", stdin="admin-password-1\n"
    )
    assert ref in result.stdout

    result = run(
        tmp_path,
        store_dir.data_dir,
        "station",
        "remove",
        str(made["station"]),
        "--as",
        "admin",
        stdin="admin-password-1\n",
    )
    assert result.returncode == 0, result.stderr
    result = run(
        tmp_path, store_dir.data_dir, "stations", "--as", "admin", stdin="admin-password-1\n"
    )
    assert json.loads(result.stdout)["status"] == "removed"


def test_a_station_holds_no_records_and_says_so(store_dir, tmp_path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    _invite(tmp_path, store_dir, drop)
    station = tmp_path / "station"
    assert (
        run(
            tmp_path, station, "station", "init", "--invitation", str(tmp_path / "away.sginvite")
        ).returncode
        == 0
    )

    line = assert_error(run(tmp_path, station, "concerns", "--as", "admin", stdin="x\n"), 3)
    assert "is a recording station: it holds no records" in line
    line = assert_error(
        run(tmp_path, station, "record", "--as", "admin", "--json", str(concern_file(tmp_path))), 2
    )
    assert "--guest NAME" in line


def test_station_commands_refuse_bad_input_in_one_line(store_dir, tmp_path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    # The drop folder must exist on the DSL's PC.
    line = assert_error(
        run(
            tmp_path,
            store_dir.data_dir,
            "station",
            "invite",
            "--as",
            "admin",
            "--out",
            str(tmp_path / "x.sginvite"),
            "--drop",
            str(tmp_path / "missing"),
            stdin="admin-password-1\n",
        ),
        2,
    )
    assert "does not exist or is not a folder" in line
    # A recorder cannot invite.
    line = assert_error(
        run(
            tmp_path,
            store_dir.data_dir,
            "station",
            "invite",
            "--as",
            store_dir.recorder[0],
            "--out",
            str(tmp_path / "x.sginvite"),
            "--drop",
            str(drop),
            stdin=f"{store_dir.recorder[1]}\n",
        ),
        3,
    )
    # Not an invitation; an invitation changed after signing; a store's folder.
    junk = tmp_path / "junk.sginvite"
    junk.write_text("{}")
    line = assert_error(
        run(tmp_path, tmp_path / "s1", "station", "init", "--invitation", str(junk)), 2
    )
    assert "not a station invitation signed by its organisation" in line
    _invite(tmp_path, store_dir, drop)
    invitation = tmp_path / "away.sginvite"
    changed = json.loads(invitation.read_text())
    changed["body"]["organisation"]["name"] = "Someone Else FC"
    junk.write_text(json.dumps(changed))
    line = assert_error(
        run(tmp_path, tmp_path / "s2", "station", "init", "--invitation", str(junk)), 2
    )
    assert "changed after it was made" in line
    assert not (tmp_path / "s2").exists()
    line = assert_error(
        run(tmp_path, store_dir.data_dir, "station", "init", "--invitation", str(invitation)), 2
    )
    assert "choose an empty folder" in line
