"""`transfer`, `receive`, `transfers`, `transfer-receipt` and `children`'s "transferred",
run as a DSL runs them: real subprocesses against two data folders, with the exit codes
../shared/CLI.md sets (0 done, 1 a check failed, 2 bad input, 3 wrong credentials)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from casework_data import concern_data, submit
from cli_run import assert_error, run
from conftest import StoreFixture
from safeguard_desktop.services import casework
from safeguard_desktop.services.store import Store
from transfer_setup import (
    SCHOOL_DSL,
    SCHOOL_NAME,
    TRANSFER_PASSWORD,
)

CLUB_DSL = "dsl-password-1\n"
SCHOOL = f"{SCHOOL_DSL[1]}\n"


def _child(store_dir: StoreFixture) -> int:
    ref = submit(Store.open(store_dir.data_dir), concern_data())
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    try:
        return casework.create_child_for(session, ref, 0).id  # type: ignore[arg-type]
    finally:
        session.lock()


def test_transfer_receive_and_the_receipt_from_the_command_line(
    store_dir: StoreFixture, school_dir: Path, tmp_path: Path
) -> None:
    child_id = _child(store_dir)
    out = tmp_path / "usb"
    out.mkdir()
    made = run(
        tmp_path, store_dir.data_dir, "transfer", str(child_id), "--as", "dana",
        "--to", SCHOOL_NAME, "--out", str(out), "--how", "by_hand",
        stdin=CLUB_DSL + TRANSFER_PASSWORD + "\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    said = json.loads(made.stdout)
    package = Path(said["package"])
    assert package.is_file() and Path(said["pdf"]).is_file()
    assert "amelia" not in package.name.lower()

    lines = run(tmp_path, store_dir.data_dir, "children", "--as", "dana", stdin=CLUB_DSL)
    (child,) = [json.loads(line) for line in lines.stdout.splitlines()]
    assert child["id"] == child_id and child["transferred"] is True
    listed = run(tmp_path, store_dir.data_dir, "transfers", "--as", "dana", stdin=CLUB_DSL)
    (sent,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert sent["how"] == "by_hand" and sent["receipt_at"] is None

    # The wrong transfer password: exit 3, nothing merged.
    wrong = run(
        tmp_path, school_dir, "receive", str(package), "--as", SCHOOL_DSL[0],
        stdin=SCHOOL + "not-the-transfer-password\n",
    )  # fmt: skip
    assert "does not open this transfer file" in assert_error(wrong, 3)
    # Signed by another certificate than the one read out: exit 2.
    other = run(
        tmp_path, school_dir, "receive", str(package), "--as", SCHOOL_DSL[0],
        "--fingerprint", "00:" * 31 + "00", stdin=SCHOOL + TRANSFER_PASSWORD + "\n",
    )  # fmt: skip
    assert "another fingerprint" in assert_error(other, 2)
    # Damaged: exit 1.
    cut = tmp_path / "cut.sgtransfer"
    cut.write_bytes(package.read_bytes()[:-40])
    damaged = run(
        tmp_path, school_dir, "receive", str(cut), "--as", SCHOOL_DSL[0],
        stdin=SCHOOL + TRANSFER_PASSWORD + "\n",
    )  # fmt: skip
    assert "not a whole transfer package" in assert_error(damaged, 1)
    # No fingerprint given: it is shown, and nothing is taken in until it is.
    unseen = run(
        tmp_path, school_dir, "receive", str(package), "--as", SCHOOL_DSL[0],
        stdin=SCHOOL + TRANSFER_PASSWORD + "\n",
    )  # fmt: skip
    assert said["fingerprint"] in assert_error(unseen, 2)
    nobody = run(tmp_path, school_dir, "children", "--as", SCHOOL_DSL[0], stdin=SCHOOL)
    assert nobody.stdout == ""

    receipt = tmp_path / "receipt.sgreceipt"
    received = run(
        tmp_path, school_dir, "receive", str(package), "--as", SCHOOL_DSL[0],
        "--fingerprint", said["fingerprint"].replace(":", "").lower(),
        "--receipt-out", str(receipt), stdin=SCHOOL + TRANSFER_PASSWORD + "\n",
    )  # fmt: skip
    assert received.returncode == 0, received.stderr
    new_id = int(received.stdout.strip())
    there = run(tmp_path, school_dir, "children", "--as", SCHOOL_DSL[0], stdin=SCHOOL)
    (arrived,) = [json.loads(line) for line in there.stdout.splitlines()]
    assert arrived["id"] == new_id and arrived["name"] == "Amelia Kowalska"
    assert arrived["transferred"] is False  # received here, not sent on
    assert said["fingerprint"] in received.stderr

    took = run(
        tmp_path, store_dir.data_dir, "transfer-receipt", str(receipt), "--as", "dana",
        stdin=CLUB_DSL,
    )  # fmt: skip
    assert took.returncode == 0, took.stderr
    assert SCHOOL_NAME in took.stdout
    listed = run(tmp_path, store_dir.data_dir, "transfers", "--as", "dana", stdin=CLUB_DSL)
    assert json.loads(listed.stdout)["receipt_at"] is not None
    again = run(
        tmp_path, store_dir.data_dir, "transfer-receipt", str(receipt), "--as", "dana",
        stdin=CLUB_DSL,
    )  # fmt: skip
    assert "already recorded" in assert_error(again, 2)
    audit = run(tmp_path, store_dir.data_dir, "audit-verify", "--as", "dana", stdin=CLUB_DSL)
    assert audit.returncode == 0, audit.stderr


def test_transfer_refuses_bad_input_with_the_documented_codes(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    child_id = _child(store_dir)
    out = tmp_path / "out"
    out.mkdir()

    def transfer(*args: str, stdin: str = CLUB_DSL + TRANSFER_PASSWORD + "\n") -> str:
        result = run(tmp_path, store_dir.data_dir, "transfer", *args, stdin=stdin)
        return assert_error(result, 2)

    assert "at least 12" in transfer(
        str(child_id), "--as", "dana", "--to", SCHOOL_NAME, "--out", str(out),
        stdin=CLUB_DSL + "short\n",
    )  # fmt: skip
    assert "folder that exists" in transfer(
        str(child_id), "--as", "dana", "--to", SCHOOL_NAME, "--out", str(tmp_path / "nowhere")
    )
    assert "child record" in transfer("999", "--as", "dana", "--to", SCHOOL_NAME, "--out", str(out))
    assert list(out.iterdir()) == []
    rita = run(
        tmp_path, store_dir.data_dir, "transfer", str(child_id), "--as", "rita",
        "--to", SCHOOL_NAME, "--out", str(out), stdin="recorder-pw-1\n",
    )  # fmt: skip
    assert_error(rita, 3)
    both = run(
        tmp_path, store_dir.data_dir, "transfer-receipt", "x.sgreceipt", "--sent", "1",
        "--as", "dana", stdin=CLUB_DSL,
    )  # fmt: skip
    assert "receipt file, or --sent" in assert_error(both, 2)


def test_a_fifo_or_a_folder_is_refused_at_once_never_waited_on(
    store_dir: StoreFixture, school_dir: Path, tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "pipe.sgtransfer")  # would wait for a writer for ever
    (tmp_path / "folder.sgtransfer").mkdir()
    school = SCHOOL + TRANSFER_PASSWORD + "\n"
    for name, said in (("pipe.sgtransfer", "FIFO"), ("folder.sgtransfer", "is a folder")):
        received = run(
            tmp_path, school_dir, "receive", str(tmp_path / name), "--as", SCHOOL_DSL[0],
            "--fingerprint", "00", stdin=school,
        )  # fmt: skip
        assert said in assert_error(received, 2)
    receipt = run(
        tmp_path, store_dir.data_dir, "transfer-receipt", str(tmp_path / "pipe.sgtransfer"),
        "--as", "dana", stdin=CLUB_DSL,
    )  # fmt: skip
    assert "FIFO" in assert_error(receipt, 2)
    pdf = run(tmp_path, store_dir.data_dir, "verify-pdf", str(tmp_path / "folder.sgtransfer"))
    assert "is a folder, not a PDF file" in assert_error(pdf, 2)
