"""Bad input on the command line, as a clumsy or hostile user gives it (issue 21).

Each case is one command run as a real subprocess, with the exit code it must give and
the one line it must print on stderr, exactly. After each, the store is checked: the
audit chain unbroken and the same concerns there as before, so no refusal loses or
half-writes anything. Keep it growing as commands arrive: a new command's bad inputs
belong here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from concern_example import example_concern
from conftest import StoreFixture
from safeguard_desktop.cli import SecretReader
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.services import audit_trail, casework
from safeguard_desktop.services.store import Store

POSIX = os.name == "posix"
ROOT = POSIX and os.geteuid() == 0
DSL = "dsl-password-1\n"
ADMIN = "admin-password-1\n"
LONG_NAME = "n" * 5_000
LONG_NAME_SHOWN = f"{LONG_NAME[:120]}...{LONG_NAME[-40:]}"


@dataclass(frozen=True)
class Case:
    """One bad input: the command, what it must answer, and what to prepare first.

    In ``args`` and ``message``, {data} is the data folder, {dir} the case's own
    folder, {ref} the reference of the concern already in the store.
    """

    id: str
    args: list[str]
    code: int
    message: str
    stdin: bytes = b""
    files: dict[str, bytes] = field(default_factory=dict)  # in {dir}
    prepare: Callable[[Path], None] | None = None  # called with {dir}
    posix_only: bool = False
    absent: tuple[str, ...] = ()  # files in {dir} the command must not have written


def concern(**changes: object) -> bytes:
    return json.dumps({**example_concern(), **changes}, ensure_ascii=False).encode()


def with_tail(tail: str) -> bytes:
    """The example concern with ``tail`` spliced in before its closing brace."""
    text = json.dumps(example_concern())
    return (text[:-1] + tail + "}").encode()


def guest(json_path: str) -> list[str]:
    return ["record", "--guest", "Gail Guest", "--guest-role", "Parent", "--json", json_path]


def _mkfifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.json")


def _loop(folder: Path) -> None:
    (folder / "a.json").symlink_to(folder / "b.json")
    (folder / "b.json").symlink_to(folder / "a.json")


def _huge(folder: Path) -> None:
    with (folder / "huge.json").open("wb") as file:
        file.truncate(32 * 1024 * 1024 + 1)  # sparse: no disk used


def _folder_with_a_file(folder: Path) -> None:
    folder.mkdir()
    (folder / "note.txt").write_bytes(b"already here")


def _file_named_with_escapes(folder: Path) -> None:
    (folder / "line\nbreak\x1b[31m.json").write_bytes(b"{")


# A recovery key whose check digits are right (it opens no store here).
GOOD_RECOVERY_KEY = "054688-054060-328095-787285-213636-855141-709304-007167"
INIT = ["--org-type", "club", "--admin-user", "admin", "--admin-name", "Alex Admin"]

CASES = [
    # The concern's JSON: nothing in it silently dropped ---------------------------
    Case(
        "duplicate_top_level_key",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json gives the key 'immediate_danger' twice in one object; keep "
        "the one you mean and delete the other (nothing was saved).",
        files={"c.json": with_tail(', "immediate_danger": false')},
    ),
    Case(
        "duplicate_children_list",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json gives the key 'children' twice in one object; keep the one "
        "you mean and delete the other (nothing was saved).",
        files={"c.json": with_tail(', "children": [{"name": "Second Child"}]')},
    ),
    Case(
        "duplicate_key_inside_a_child",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json gives the key 'name' twice in one object; keep the one you "
        "mean and delete the other (nothing was saved).",
        files={"c.json": concern().replace(b'"name": "', b'"name": "A", "name": "', 1)},
    ),
    Case(
        "duplicate_key_that_is_not_a_field_name",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json gives a key twice in one object; keep the one you mean and "
        "delete the other (nothing was saved).",
        files={"c.json": with_tail(', "private words": 1, "private words": 2')},
    ),
    Case(
        "age_of_5000_digits",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json holds a number 5,000 characters long; no field takes a "
        "number longer than 40 characters.",
        files={
            "c.json": concern(children=[{"name": "A Child", "approximate_age": 7}]).replace(
                b'"approximate_age": 7', b'"approximate_age": ' + b"9" * 5_000
            )
        },
    ),
    Case(
        "nested_100000_deep",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json has lists or objects nested more than 64 deep; no document "
        "the program reads is nested like that.",
        files={"c.json": b"[" * 100_000 + b"]" * 100_000},
    ),
    Case(
        "nested_65_deep",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json has lists or objects nested more than 64 deep; no document "
        "the program reads is nested like that.",
        files={"c.json": b"[" * 65 + b"]" * 65},
    ),
    Case(
        "nan",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json holds NaN, which is not a number in JSON.",
        files={"c.json": with_tail(', "body_map": [{"view": "front", "x": NaN, "y": 0.5}]')},
    ),
    Case(
        "number_too_large_for_a_float",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json holds the number 1e999, which is too large for any field.",
        files={"c.json": with_tail(', "body_map": [{"view": "front", "x": 1e999, "y": 0.5}]')},
    ),
    Case(
        "not_json",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json is not valid JSON (line 1, column 2).",
        files={"c.json": b"{not json"},
    ),
    Case(
        "not_utf8",
        guest("{dir}/c.json"),
        2,
        "The file {dir}/c.json is not UTF-8 text; save it as UTF-8 and try again.",
        files={"c.json": concern().replace(b"Amelia", "Améli".encode("latin-1"))},
    ),
    Case(
        "a_list_not_an_object",
        guest("{dir}/c.json"),
        2,
        "The concern must be a JSON object with named fields.",
        files={"c.json": b"[]"},
    ),
    Case(
        "escape_in_a_childs_name",
        guest("{dir}/c.json"),
        2,
        "The field 'Child's name (child 1)' contains a control character that cannot be "
        "stored; please retype it.",
        files={"c.json": concern(children=[{"name": "Amelia \x1b[31mK"}])},
    ),
    # The file named as --json: only a regular file, refused at once otherwise ------
    Case(
        "missing_file",
        guest("{dir}/nowhere.json"),
        2,
        "The file {dir}/nowhere.json does not exist.",
    ),
    Case(
        "a_folder",
        guest("{dir}"),
        2,
        "The file {dir} is a folder, not a JSON file.",
    ),
    Case(
        "empty_path",
        guest(""),
        2,
        "safeguard-desktop record: argument --json: an empty path names no file or folder "
        "(see --help).",
    ),
    Case(
        "fifo_with_no_writer",
        guest("{dir}/pipe.json"),
        2,
        "The file {dir}/pipe.json is a FIFO (named pipe), not a file saved on disk; give a "
        "JSON file.",
        prepare=_mkfifo,
        posix_only=True,
    ),
    Case(
        "dev_zero",
        guest("/dev/zero"),
        2,
        "The file /dev/zero is a device, not a file saved on disk; give a JSON file.",
        posix_only=True,
    ),
    Case(
        "symlink_loop",
        guest("{dir}/a.json"),
        2,
        "The file {dir}/a.json cannot be read: it is a symbolic link that leads round in a loop.",
        prepare=_loop,
        posix_only=True,
    ),
    Case(
        "file_name_of_5000_characters",
        guest(LONG_NAME),
        2,
        f"The file {LONG_NAME_SHOWN} cannot be read: its name is too long for this computer.",
    ),
    Case(
        "path_through_a_file",
        guest("{dir}/c.json/inner.json"),
        2,
        "The file {dir}/c.json/inner.json cannot be found: part of its path is a file, not "
        "a folder.",
        files={"c.json": concern()},
    ),
    Case(
        "larger_than_32_mb",
        guest("{dir}/huge.json"),
        2,
        "The file {dir}/huge.json is larger than 32 MB, too big to be a JSON file.",
        prepare=_huge,
    ),
    Case(
        "file_name_with_a_line_break_and_escape",
        guest("{dir}/line\nbreak\x1b[31m.json"),
        2,
        "The file {dir}/line\\nbreak\\x1b[31m.json is not valid JSON (line 1, column 2).",
        prepare=_file_named_with_escapes,
        posix_only=True,
    ),
    # The data folder ------------------------------------------------------------------
    Case(
        "data_folder_is_a_file",
        ["--data-dir", "{dir}/c.json", "concerns", "--as", "dana"],
        2,
        "The data folder {dir}/c.json is a file, not a folder; give the folder that holds "
        "the records.",
        stdin=DSL.encode(),
        files={"c.json": concern()},
    ),
    Case(
        "data_folder_empty",
        ["--data-dir", "", "concerns", "--as", "dana"],
        2,
        "safeguard-desktop: argument --data-dir: an empty path names no file or folder "
        "(see --help).",
        stdin=DSL.encode(),
    ),
    Case(
        "init_into_a_file",
        ["--data-dir", "{dir}/c.json", "init", "--org", "Riverside", *INIT],
        2,
        "The folder {dir}/c.json is a file, not a folder; choose another folder for the records.",
        stdin=b"admin-password-1\n",
        files={"c.json": concern()},
    ),
    Case(
        "init_into_a_folder_that_cannot_be_made",
        ["--data-dir", "{dir}/c.json/data", "init", "--org", "Riverside", *INIT],
        2,
        "The folder {dir}/c.json/data cannot be made: part of its path is a file, not a "
        "folder; choose another folder for the records.",
        stdin=b"admin-password-1\n",
        files={"c.json": concern()},
    ),
    Case(
        "init_organisation_name_with_a_tab",
        ["--data-dir", "{dir}/new", "init", "--org", "Riverside\tJuniors", *INIT],
        2,
        "The field 'Organisation name' contains a tab; please use a space instead.",
        stdin=b"admin-password-1\n",
        absent=("new",),
    ),
    # What the user typed is echoed as typed, on one line -------------------------------
    Case(
        "reference_with_escape_and_line_break",
        ["show", "c-\x1b[31m\nxx", "--as", "dana"],
        2,
        "There is no concern with the reference c-\\x1b[31m\\nxx.",
        stdin=DSL.encode(),
    ),
    Case(
        "reference_in_lower_case_is_not_upper_cased",
        ["show", "c-zzzz-zzzz", "--as", "dana"],
        2,
        "There is no concern with the reference c-zzzz-zzzz.",
        stdin=DSL.encode(),
    ),
    Case(
        "unknown_option_with_escape_and_line_break",
        ["concerns", "--as", "dana", "--fr\x1b[2J\nob"],
        2,
        "safeguard-desktop: unrecognized arguments: --fr\\x1b[2J\\nob (see --help).",
    ),
    # Secrets on stdin --------------------------------------------------------------------
    Case(
        "password_not_utf8",
        ["concerns", "--as", "dana"],
        2,
        "The password on standard input is not UTF-8 text; type it again, or save the "
        "file that holds it as UTF-8.",
        stdin=b"dsl-pass\xff\xfeword-1\n",
    ),
    Case(
        "no_password",
        ["concerns", "--as", "dana"],
        2,
        "Expected password on standard input.",
    ),
    Case(
        "password_line_without_end",
        ["concerns", "--as", "dana"],
        2,
        "The password on standard input is longer than 65,536 bytes without a line end; "
        "give one secret a line.",
        stdin=b"x" * 70_000,
    ),
    Case(
        "wrong_password",
        ["concerns", "--as", "dana"],
        3,
        "The user name or password is not right; check Caps Lock and try again.",
        stdin=b"not-danas-password\n",
    ),
    # referral --encrypt: never an unprotected PDF marked sent --------------------------
    Case(
        "referral_pdf_password_empty",
        ["referral", "{ref}", "--as", "dana", "--out", "{dir}/r.pdf", "--encrypt"],
        2,
        "The PDF password must be at least 8 characters long.",
        stdin=(DSL + "\n").encode(),
        absent=("r.pdf",),
    ),
    Case(
        "referral_pdf_password_too_short",
        ["referral", "{ref}", "--as", "dana", "--out", "{dir}/r.pdf", "--encrypt"],
        2,
        "The PDF password must be at least 8 characters long.",
        stdin=(DSL + "1234567\n").encode(),
        absent=("r.pdf",),
    ),
    Case(
        "referral_pdf_password_pdfs_cannot_take",
        ["referral", "{ref}", "--as", "dana", "--out", "{dir}/r.pdf", "--encrypt"],
        2,
        "That password cannot protect a PDF: it holds a character PDF passwords may not "
        "(such as an emoji or a control character), or mixes right-to-left and "
        "left-to-right writing. Choose another.",
        stdin=(DSL + "secret-שלום-word\n").encode(),
        absent=("r.pdf",),
    ),
    Case(
        "transfer_password_pdfs_cannot_take",
        ["transfer", "1", "--as", "dana", "--to", "Hill School", "--out", "{dir}"],
        2,
        "That password cannot protect a PDF: it holds a character PDF passwords may not "
        "(such as an emoji or a control character), or mixes right-to-left and "
        "left-to-right writing. Choose another.",
        stdin=(DSL + "secret-שלום-word-long\n").encode(),
    ),
    Case(
        "referral_pdf_password_missing",
        ["referral", "{ref}", "--as", "dana", "--out", "{dir}/r.pdf", "--encrypt"],
        2,
        "Expected PDF password on standard input.",
        stdin=DSL.encode(),
        absent=("r.pdf",),
    ),
    # Backups (issue 12) -----------------------------------------------------------------
    Case(
        "backup_into_the_records_folder",
        ["backup", "--as", "dana", "--out", "{data}"],
        2,
        "A backup cannot go into the records' own folder: if the PC dies it dies with them. "
        "Choose another folder, such as a USB stick.",
        stdin=DSL.encode(),
    ),
    Case(
        "backup_to_a_stick_that_is_not_there",
        ["backup", "--as", "dana", "--out", "{dir}/stick"],
        2,
        "The folder {dir}/stick does not exist or cannot be reached (is the USB stick "
        "plugged in?).",
        stdin=DSL.encode(),
    ),
    Case(
        "backup_by_a_recorder",
        ["backup", "--as", "rita", "--out", "{dir}"],
        3,
        "Only a safeguarding lead or administrator can do that.",
        stdin=b"recorder-pw-1\n",
    ),
    Case(
        "restore_a_file_that_is_not_a_backup",
        ["--data-dir", "{dir}/new", "restore", "{dir}/x.sgbackup", "--user", "admin"],
        1,
        "The file {dir}/x.sgbackup is not a whole Safeguard Desktop backup (it does not start "
        "like one). It has not been changed. Try another backup.",
        stdin=f"{GOOD_RECOVERY_KEY}\nnew-admin-password-1\n".encode(),
        files={"x.sgbackup": b"hello"},
        absent=("new",),
    ),
    Case(
        "restore_a_missing_file",
        ["--data-dir", "{dir}/new", "restore", "{dir}/none.sgbackup", "--user", "admin"],
        2,
        "There is no backup file at {dir}/none.sgbackup.",
        stdin=f"{GOOD_RECOVERY_KEY}\nnew-admin-password-1\n".encode(),
        absent=("new",),
    ),
    Case(
        "restore_a_folder",
        ["--data-dir", "{dir}/new", "restore", "{dir}", "--user", "admin"],
        2,
        "{dir} is not a backup file (it is a folder or a device).",
        stdin=f"{GOOD_RECOVERY_KEY}\nnew-admin-password-1\n".encode(),
        absent=("new",),
    ),
    Case(
        "restore_into_the_live_records",
        ["--data-dir", "{data}", "restore", "{dir}/x.sgbackup", "--user", "admin"],
        2,
        "{data} is not empty, so nothing was restored into it and nothing in it was "
        "changed. Choose a new or empty folder.",
        stdin=f"{GOOD_RECOVERY_KEY}\nnew-admin-password-1\n".encode(),
        files={"x.sgbackup": b"hello"},
    ),
    Case(
        "restore_with_a_mistyped_recovery_key",
        ["--data-dir", "{dir}/new", "restore", "{dir}/x.sgbackup", "--user", "admin"],
        2,
        "Group 1 of the recovery key has a typing mistake; please check it.",
        stdin=b"111111-054060-328095-787285-213636-855141-709304-007167\nnew-admin-password-1\n",
        files={"x.sgbackup": b"hello"},
        absent=("new",),
    ),
    Case(
        "check_by_a_recorder",
        ["check", "--as", "rita"],
        3,
        "Only a safeguarding lead or administrator can do that.",
        stdin=b"recorder-pw-1\n",
    ),
    # Full export (issue 12) -------------------------------------------------------------
    Case(
        "export_into_the_records_folder",
        ["export", "--as", "admin", "--out", "{data}/export"],
        2,
        "The export cannot go into the data folder: keep it apart from the records it "
        "copies. Choose another folder.",
        stdin=ADMIN.encode(),
    ),
    Case(
        "export_into_a_folder_that_is_not_empty",
        ["export", "--as", "admin", "--out", "{dir}/full"],
        2,
        "That folder is not empty; give a new folder, or an empty one.",
        stdin=ADMIN.encode(),
        prepare=lambda folder: _folder_with_a_file(folder / "full"),
    ),
    Case(
        "export_where_a_folder_is_missing",
        ["export", "--as", "admin", "--out", "{dir}/stick/export"],
        2,
        "The folder to export into does not exist; choose or make one first.",
        stdin=ADMIN.encode(),
        absent=("stick",),
    ),
    Case(
        "export_zip_over_a_file",
        ["export", "--as", "admin", "--out", "{dir}/e.zip", "--zip"],
        2,
        "A file of that name already exists; the export does not replace files. Choose a new name.",
        stdin=f"{ADMIN}zip-password-1\n".encode(),
        files={"e.zip": b"someone's file"},
    ),
    Case(
        "export_zip_password_too_short",
        ["export", "--as", "admin", "--out", "{dir}/e.zip", "--zip"],
        2,
        "The ZIP password must be at least 8 characters long.",
        stdin=f"{ADMIN}short\n".encode(),
        absent=("e.zip",),
    ),
    Case(
        "export_zip_password_missing",
        ["export", "--as", "admin", "--out", "{dir}/e.zip", "--zip"],
        2,
        "Expected ZIP password on standard input.",
        stdin=ADMIN.encode(),
        absent=("e.zip",),
    ),
    Case(
        "export_by_a_lead_who_is_not_an_administrator",
        ["export", "--as", "dana", "--out", "{dir}/e"],
        3,
        "Only an administrator can export everything.",
        stdin=DSL.encode(),
        absent=("e",),
    ),
    Case(
        "export_by_a_recorder",
        ["export", "--as", "rita", "--out", "{dir}/e"],
        3,
        "Only a safeguarding lead or administrator can do that.",
        stdin=b"recorder-pw-1\n",
        absent=("e",),
    ),
    # decide: one child's decision, every gap at once (issues 14, 20) -------------------
    Case(
        "decide_not_json",
        ["decide", "{ref}", "--as", "dana", "--json", "{dir}/d.json"],
        2,
        "The file {dir}/d.json is not valid JSON (line 1, column 23).",
        stdin=DSL.encode(),
        files={"d.json": b'{"outcome": "monitor",'},
    ),
    Case(
        "decide_duplicate_key",
        ["decide", "{ref}", "--as", "dana", "--json", "{dir}/d.json"],
        2,
        "The file {dir}/d.json gives the key 'outcome' twice in one object; keep the one "
        "you mean and delete the other (nothing was saved).",
        stdin=DSL.encode(),
        files={"d.json": b'{"outcome": "monitor", "outcome": "social_care_referral"}'},
    ),
    Case(
        "decide_not_an_object",
        ["decide", "{ref}", "--as", "dana", "--json", "{dir}/d.json"],
        2,
        "The decision must be one JSON object: { ... }.",
        stdin=DSL.encode(),
        files={"d.json": b'["social_care_referral"]'},
    ),
    Case(
        "decide_unknown_field_and_wrong_types",
        ["decide", "{ref}", "--as", "dana", "--json", "{dir}/d.json"],
        2,
        "The decision was not recorded: colour: 'colour' is not a field of a decision (see "
        "decision.schema.json); immediate_danger: 'immediate_danger' must be true or false; "
        "review_on: 'review_on' must be a date written YYYY-MM-DD.",
        stdin=DSL.encode(),
        files={
            "d.json": json.dumps(
                {
                    "outcome": "monitor",
                    "reason": "Watch and review.",
                    "immediate_danger": "no",
                    "review_on": "next week",
                    "follow_up_on": "2099-01-01",
                    "colour": "red",
                }
            ).encode()
        },
    ),
    Case(
        "decide_dates_python_reads_but_the_schema_does_not",
        ["decide", "{ref}", "--as", "dana", "--json", "{dir}/d.json"],
        2,
        "The decision was not recorded: police.called_at: 'police.called_at' must be a time "
        "between 1900 and 9998; follow_up_on: 'follow_up_on' must be a date written "
        "YYYY-MM-DD; reason: 'reason' must be text; review_on: Monitoring needs a review date.",
        stdin=DSL.encode(),
        files={
            "d.json": json.dumps(
                {
                    "outcome": "monitor",
                    "reason": 5,
                    "immediate_danger": True,
                    "police": {"called_at": "0001-01-01T00:00:00+05:00"},
                    "follow_up_on": "20271223",
                }
            ).encode()
        },
    ),
    Case(
        "decide_social_care_with_every_gap",
        ["decide", "{ref}", "--as", "dana", "--json", "{dir}/d.json"],
        2,
        "The decision was not recorded: reason: The field 'The reason for the decision' is "
        "empty; please fill it in; consent_reason: Say why consent was "
        "not sought, or what was said when it was refused; "
        "parents_not_told_reason: Say why the parents or carers were not "
        "told (for example, telling them could put the child at greater risk); urgency: "
        "Choose how urgent this is: immediate, today or routine; child_now: Say where the "
        "child is now and whether they are safe tonight (or that you do not know); "
        "follow_up_on: Set a date to follow this up.",
        stdin=DSL.encode(),
        files={
            "d.json": json.dumps(
                {
                    "outcome": "social_care_referral",
                    "consent": "not_sought",
                    "parents_told": False,
                    "urgency": "whenever",
                }
            ).encode()
        },
    ),
    Case(
        "decide_lado_without_the_adult",
        ["decide", "{ref}", "--as", "dana", "--json", "{dir}/d.json"],
        2,
        "The decision was not recorded: lado.adult.name: The field 'The adult's name' is "
        "empty; please fill it in; lado.allegation: The field 'The allegation' is empty; "
        "please fill it in; lado.raised_by: The field 'Who raised the allegation' is empty; "
        "please fill it in; lado.interim_steps: Say what has been done about the adult while "
        "the LADO advises: suspended, redeployed away from children, or no interim step.",
        stdin=DSL.encode(),
        files={
            "d.json": json.dumps(
                {
                    "outcome": "monitor",
                    "reason": "Allegation about a coach.",
                    "review_on": "2099-01-01",
                    "follow_up_on": "2099-01-01",
                    "allegation_against_adult": True,
                    "lado": {"allegation": "", "adult": {}},
                }
            ).encode()
        },
    ),
    Case(
        "decide_early_help_without_the_parents_views",
        ["decide", "{ref}", "--as", "dana", "--json", "{dir}/d.json"],
        2,
        "The decision was not recorded: parents_views: The parents or carers were told of the "
        "referral: say what they think of it (or that they gave no view).",
        stdin=DSL.encode(),
        files={
            "d.json": json.dumps(
                {
                    "outcome": "early_help",
                    "reason": "Often hungry; the family want support.",
                    "consent": "given",
                    "parents_told": True,
                    "follow_up_on": "2099-01-01",
                }
            ).encode()
        },
    ),
    Case(
        "decide_lado_suspended_without_a_reason",
        ["decide", "{ref}", "--as", "dana", "--json", "{dir}/d.json"],
        2,
        "The decision was not recorded: lado.interim_reason: Say why: for example, suspended "
        "to keep the children safe until the LADO advises, or no step because they will not "
        "work with children before then.",
        stdin=DSL.encode(),
        files={
            "d.json": json.dumps(
                {
                    "outcome": "monitor",
                    "reason": "Allegation about a coach.",
                    "review_on": "2099-01-01",
                    "follow_up_on": "2099-01-01",
                    "allegation_against_adult": True,
                    "lado": {
                        "allegation": "Grabbed a player by the arm.",
                        "adult": {"name": "Sam Coach", "role": "Assistant coach"},
                        "raised_by": "The player told the head coach.",
                        "interim_steps": "suspended",
                        "interim_reason": " ",
                    },
                }
            ).encode()
        },
    ),
    Case(
        "decide_a_child_not_in_the_concern",
        ["decide", "{ref}", "--as", "dana", "--json", "{dir}/d.json"],
        2,
        "No child of that name or id is named in this concern.",
        stdin=DSL.encode(),
        files={"d.json": json.dumps({"child": "Nobody Here", "outcome": "monitor"}).encode()},
    ),
    Case(
        "decide_by_a_recorder",
        ["decide", "{ref}", "--as", "rita", "--json", "{dir}/d.json"],
        3,
        "Only a safeguarding lead or administrator can do that.",
        stdin=b"recorder-pw-1\n",
        files={"d.json": json.dumps({"outcome": "monitor"}).encode()},
    ),
    # referral: signed only from the child's recorded, complete decision -----------------
    Case(
        "referral_before_any_decision",
        ["referral", "{ref}", "--as", "dana", "--out", "{dir}/r.pdf"],
        2,
        "No decision is recorded for the child in this concern yet. Record it first, in the "
        "handoff wizard or with the decide command; the referral is made from it.",
        stdin=DSL.encode(),
        absent=("r.pdf",),
    ),
    Case(
        "referral_for_a_child_not_in_the_concern",
        ["referral", "{ref}", "--as", "dana", "--out", "{dir}/r.pdf", "--child", "Nobody Here"],
        2,
        "No child of that name or id is named in this concern.",
        stdin=DSL.encode(),
        absent=("r.pdf",),
    ),
    Case(
        "subject_access_received_in_year_one",
        [
            "subject-access",
            "record",
            "1",
            "--as",
            "dana",
            "--requester",
            "The child herself",
            "--received",
            "0001-01-01",
            "--identity",
            "Known to staff",
        ],
        2,
        "safeguard-desktop subject-access record: argument --received: give a day between "
        "the years 1900 and 9998 (see --help).",
        stdin=DSL.encode(),
    ),
    # Arguments: bytes that are not UTF-8 (Python keeps them as lone surrogates) --------
    Case(
        "argument_not_utf8",
        ["show", "C-\udcff", "--as", "dana"],
        2,
        "The argument REF is not UTF-8 text; type it again.",
        stdin=DSL.encode(),
        posix_only=True,
    ),
    Case(
        "option_not_utf8",
        [
            "station",
            "invite",
            "--as",
            "dana",
            "--out",
            "{dir}/i.sginvite",
            "--drop",
            "{dir}",
            "--station-drop",
            "Z:\udcff",
        ],
        2,
        "The argument --station-drop is not UTF-8 text; type it again.",
        stdin=DSL.encode(),
        posix_only=True,
        absent=("i.sginvite",),
    ),
    Case(
        "attach_a_file_whose_name_is_not_utf8",  # a path may hold any bytes: not refused
        ["attach", "{ref}", "{dir}/notes-\udcff.pdf", "--as", "dana"],
        2,
        "That file is no longer there; choose it again.",
        stdin=DSL.encode(),
        posix_only=True,
    ),
    # Files a command writes: never replacing one, never into the data folder -------
    Case(
        "referral_over_an_existing_file",
        ["referral", "{ref}", "--as", "dana", "--out", "{dir}/r.pdf"],
        2,
        "{dir}/r.pdf already exists, and the command line never replaces a file; choose a "
        "new name.",
        stdin=DSL.encode(),
        files={"r.pdf": b"the PDF sent last week"},
    ),
    Case(
        "referral_into_the_data_folder",
        ["referral", "{ref}", "--as", "dana", "--out", "{data}/r.pdf"],
        2,
        "The PDF cannot go into the data folder that holds the records; choose another folder.",
        stdin=DSL.encode(),
    ),
    Case(
        "station_invitation_over_an_existing_file",
        ["station", "invite", "--as", "dana", "--out", "{dir}/i.sginvite", "--drop", "{dir}"],
        2,
        "{dir}/i.sginvite already exists, and the command line never replaces a file; "
        "choose a new name.",
        stdin=DSL.encode(),
        files={"i.sginvite": b"another station's invitation"},
    ),
    Case(
        "station_dropping_into_the_data_folder",
        ["station", "invite", "--as", "dana", "--out", "{dir}/i.sginvite", "--drop", "{data}"],
        2,
        "The drop folder {data} is, holds or is inside the folder that holds the records; "
        "stations would deliver into it, and it would be shared with other PCs. Choose a "
        "folder of its own.",
        stdin=DSL.encode(),
        absent=("i.sginvite",),
    ),
    Case(
        "transfer_into_the_data_folder",
        ["transfer", "1", "--as", "dana", "--to", "Hill School", "--out", "{data}"],
        2,
        "A child's file to transfer cannot go into the data folder that holds the records; "
        "choose another folder.",
        stdin=DSL.encode(),
    ),
    Case(
        "receipt_over_an_existing_file",
        [
            "receive",
            "{dir}/p.sgtransfer",
            "--as",
            "dana",
            "--fingerprint",
            "00",
            "--receipt-out",
            "{dir}/r.sgreceipt",
        ],
        2,
        "{dir}/r.sgreceipt already exists, and the command line never replaces a file; "
        "choose a new name.",
        stdin=DSL.encode(),
        files={"r.sgreceipt": b"a receipt kept"},
    ),
]


@dataclass(frozen=True)
class Corpus:
    store: StoreFixture
    ref: str


@pytest.fixture(scope="module")
def corpus(_template_store: StoreFixture, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """One store for every case, holding one concern: each case must leave it whole."""
    from casework_data import concern_data, submit

    data_dir = tmp_path_factory.mktemp("corpus") / "data"
    shutil.copytree(_template_store.data_dir, data_dir)
    store = StoreFixture(data_dir=data_dir, recovery_key=_template_store.recovery_key)
    ref = submit(Store.open(data_dir), concern_data())
    session = Store.open(data_dir).login(*store.dsl)
    session.lock()  # ingested: the concern is in the case database
    return Corpus(store, ref)


def _intact(corpus: Corpus) -> None:
    session = Store.open(corpus.store.data_dir).login(*corpus.store.dsl)
    try:
        assert audit_trail.verify(session).ok  # type: ignore[attr-defined]
        found = casework.search(session, SearchFilters(), limit=10, offset=0)  # type: ignore[arg-type]
        assert [s.ref for s in found] == [corpus.ref]
        assert not casework.concern_file(session, corpus.ref).referrals  # type: ignore[arg-type]
    finally:
        session.lock()


def run(
    data_dir: Path, args: list[str], stdin: bytes | int, cwd: Path, *, as_nobody: bool = False
) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, SAFEGUARD_LOG_DIR=str(cwd / "logs"))
    env.pop("SAFEGUARD_DATA_DIR", None)
    prefix = ["--data-dir", str(data_dir)] if "--data-dir" not in args else []
    command = [sys.executable, "-m", "safeguard_desktop.cli", *prefix, *args]
    if as_nobody:
        # root ignores file permissions; without these capabilities it cannot.
        drop = "-dac_override,-dac_read_search,-fowner"
        command = ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", *command]
    piped = isinstance(stdin, bytes)
    return subprocess.run(
        command,
        input=stdin if piped else None,
        stdin=None if piped else stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    stderr = result.stderr.decode("utf-8")
    assert "Traceback" not in stderr, stderr
    assert result.stdout == b"", result.stdout
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert "\x1b" not in stderr
    return stderr.rstrip("\n")


@pytest.fixture
def case_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "case"
    folder.mkdir()
    yield folder


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_on_one_line_and_the_store_stays_whole(
    corpus: Corpus, case_dir: Path, case: Case
) -> None:
    if case.posix_only and not POSIX:
        pytest.skip("needs FIFOs, devices and symbolic links")
    for name, content in case.files.items():
        (case_dir / name).write_bytes(content)
    if case.prepare is not None:
        case.prepare(case_dir)

    def fill(text: str) -> str:
        return (
            text.replace("{data}", str(corpus.store.data_dir))
            .replace("{dir}", str(case_dir))
            .replace("{ref}", corpus.ref)
        )

    result = run(corpus.store.data_dir, [fill(a) for a in case.args], case.stdin, case_dir)
    expected = fill(case.message)
    if not expected.startswith("safeguard-desktop"):
        expected = f"safeguard-desktop: {expected}"
    assert (result.returncode, one_line(result)) == (case.code, expected)
    for name in case.absent:
        assert not (case_dir / name).exists(), name
    _intact(corpus)


def _command(args: list[str]) -> str:
    """The command word of ``args`` ("record"), past any --data-dir."""
    rest = args[2:] if args[:1] == ["--data-dir"] else args
    return rest[0]


def test_the_corpus_covers_the_commands_that_read_user_input() -> None:
    from safeguard_desktop.cli import COMMANDS

    covered = {_command(c.args) for c in CASES} & set(COMMANDS)
    # verify-pdf's and audit-verify's own bad inputs are tested with their changes
    # (test_pdf_signing.py, test_cli.py); user, recover and selftest read no files.
    assert covered == {
        "record",
        "init",
        "show",
        "concerns",
        "referral",
        "backup",
        "restore",
        "check",
        "export",
        "decide",
        "station",
        "transfer",
        "receive",
        "subject-access",
        "attach",
    }


# Cases that need more than a command line ---------------------------------------------


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_a_read_only_data_folder_says_so(corpus: Corpus, case_dir: Path) -> None:
    if ROOT and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    data_dir = corpus.store.data_dir
    (case_dir / "c.json").write_bytes(concern())
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    data_dir.chmod(0o555)
    try:
        result = run(data_dir, guest(str(case_dir / "c.json")), b"", case_dir, as_nobody=ROOT)
    finally:
        data_dir.chmod(0o700)
    assert (result.returncode, one_line(result)) == (
        2,
        f"safeguard-desktop: The data folder {data_dir} is read-only, so nothing can be "
        "saved there; nothing was changed. Check that this account may write to it and "
        "that the disk is not write-protected, or choose another data folder.",
    )
    # It was "the inbox file is damaged ... restore from your most recent backup".
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before
    _intact(corpus)


@pytest.mark.skipif(not POSIX, reason="FIFOs")
def test_stdin_from_a_fifo_with_no_writer_is_one_line(corpus: Corpus, case_dir: Path) -> None:
    fifo = case_dir / "stdin"
    os.mkfifo(fifo)
    # Opened without blocking, as a shell cannot: there is no writer, and never will be.
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run(corpus.store.data_dir, ["concerns", "--as", "dana"], fd, case_dir)
    finally:
        os.close(fd)
    assert (result.returncode, one_line(result)) == (
        2,
        "safeguard-desktop: Expected password on standard input.",
    )
    _intact(corpus)


@pytest.mark.skipif(not POSIX, reason="FIFOs and select()")
def test_stdin_that_stays_silent_is_given_up_on(tmp_path: Path) -> None:
    fifo = tmp_path / "stdin"
    os.mkfifo(fifo)
    # Read and write ends both held here: a writer exists, and never writes.
    fd = os.open(fifo, os.O_RDWR)
    with os.fdopen(fd, "r") as stream, pytest.raises(BadInput) as caught:
        SecretReader(stream, timeout=0.2).read("Password: ")
    assert str(caught.value) == (
        "Nothing arrived on standard input for 0.2 seconds; expected password on its own "
        "line (for example from a pipe or a file)."
    )


def test_secret_lines_are_read_one_at_a_time_as_given(tmp_path: Path) -> None:
    path = tmp_path / "stdin"
    path.write_bytes("pässword-1\r\nsecond  line \n".encode())
    with path.open() as stream:
        reader = SecretReader(stream)
        assert reader.read("Password: ") == "pässword-1"
        assert reader.read("PDF password: ") == "second  line "
        with pytest.raises(BadInput, match=r"^Expected PDF password on standard input\.$"):
            reader.read("PDF password: ")


def test_a_byte_order_mark_before_the_first_secret_is_not_part_of_it(tmp_path: Path) -> None:
    # Piped from PowerShell, or saved by Notepad: a password with it could never be typed.
    path = tmp_path / "stdin"
    path.write_bytes(b"\xef\xbb\xbfpassword-1\n\xef\xbb\xbfsecond\n")
    with path.open() as stream:
        reader = SecretReader(stream)
        assert reader.read("Password: ") == "password-1"
        assert reader.read("PDF password: ") == "\ufeffsecond"  # only the input's first
