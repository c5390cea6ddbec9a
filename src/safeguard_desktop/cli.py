"""The command line: the app's second door (see shared CLI.md).

With no command the desktop app opens. Secrets are read from stdin, never
argv. Exit codes: 0 done, 1 a check failed, 2 bad input, 3 wrong credentials
or not permitted. Errors are one line on stderr; tracebacks only with --debug.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import hashlib
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from platformdirs import user_data_dir

from . import APP_NAME, __version__, app_logging
from .domain.errors import (
    BadInput,
    CheckFailed,
    IncompleteDecision,
    NotPermitted,
    SafeguardError,
)
from .domain.organisation import LocalContacts, OrgType, Role
from .domain.records import ConcernSummary, SearchFilters
from .domain.referral import ReferralKind
from .domain.subject_access import Exemption
from .domain.text import json_bidi_escaped
from .process_hardening import harden_process

log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    env = os.environ.get("SAFEGUARD_DATA_DIR")
    return Path(env) if env else Path(user_data_dir(APP_NAME, appauthor=False))


# How long a pipe or FIFO on stdin may stay silent before the command gives up: long
# enough for a password manager that asks for its own passphrase first, short enough
# that a script left waiting on a FIFO nobody writes to finds out.
STDIN_TIMEOUT_SECONDS = 60.0
# A secret is one line; far above any password (1,024 characters at most) and recovery
# key, and a stop for stdin from /dev/zero, which has no line ends at all.
MAX_SECRET_LINE_BYTES = 64 * 1024


class SecretReader:
    """Reads secrets one line at a time from stdin (or prompts on a terminal).

    Not from a terminal, stdin is read as bytes straight from its file descriptor, so
    that each line can be checked: it must be UTF-8 (a password is never guessed at),
    and a pipe or FIFO that stays open without a line arriving is waited on for
    ``timeout`` seconds, not for ever. Every problem is a one-line :class:`BadInput`.
    """

    def __init__(self, stream: TextIO | None, timeout: float = STDIN_TIMEOUT_SECONDS) -> None:
        self.stream = stream
        self.timeout = timeout
        self._pending = b""
        self._ended = False
        self._first = True

    def read(self, prompt: str) -> str:
        what = prompt.rstrip(": ")
        if not what[:2].isupper():  # "Password" -> "password"; "PDF password" stays
            what = what[:1].lower() + what[1:]
        if self.stream is None:  # started with stdin closed
            raise BadInput(f"Expected {what} on standard input.", field="stdin")
        if self.stream.isatty():
            return getpass.getpass(prompt)
        try:
            fd = self.stream.fileno()
        except (AttributeError, OSError, ValueError):
            fd = None  # a stream with no descriptor (a test's StringIO): read it as text
        if fd is None:
            text = self.stream.readline()
            if not text:
                raise BadInput(f"Expected {what} on standard input.", field="stdin")
            return text.rstrip("\r\n")
        line = self._line(fd, what)
        if line is None:
            raise BadInput(f"Expected {what} on standard input.", field="stdin")
        if self._first:
            # PowerShell and Notepad start what they pipe or save with a byte-order mark,
            # which nobody can type at the app's sign-in: it is never part of a password.
            line = line.removeprefix(b"\xef\xbb\xbf")
            self._first = False
        try:
            return line.rstrip(b"\r").decode("utf-8")
        except UnicodeDecodeError:
            raise BadInput(
                f"The {what} on standard input is not UTF-8 text; type it again, or save "
                "the file that holds it as UTF-8.",
                field="stdin",
            ) from None

    def _line(self, fd: int, what: str) -> bytes | None:
        """The next line's bytes without its line feed; None at the end of the input."""
        while b"\n" not in self._pending and not self._ended:
            if len(self._pending) > MAX_SECRET_LINE_BYTES:
                raise BadInput(
                    f"The {what} on standard input is longer than "
                    f"{MAX_SECRET_LINE_BYTES:,} bytes without a line end; give one secret "
                    "a line.",
                    field="stdin",
                )
            chunk = self._chunk(fd, what)
            self._ended = not chunk
            self._pending += chunk
        if not self._pending:
            return None
        line, _, self._pending = self._pending.partition(b"\n")
        return line

    def _chunk(self, fd: int, what: str) -> bytes:
        # Windows' select() takes sockets only; there, stdin is read as it comes.
        can_wait = os.name != "nt"
        if can_wait and os.get_blocking(fd):
            self._wait(fd, what)
        while True:
            try:
                return os.read(fd, 4096)
            except BlockingIOError:
                # A non-blocking stdin (a FIFO opened so by whoever started us) with
                # nothing in it yet: wait for it like any other.
                if not can_wait:
                    raise
                self._wait(fd, what)

    def _wait(self, fd: int, what: str) -> None:
        import select

        ready, _, _ = select.select([fd], [], [], self.timeout)
        if not ready:
            raise BadInput(
                f"Nothing arrived on standard input for {self.timeout:g} seconds; expected "
                f"{what} on its own line (for example from a pipe or a file).",
                field="stdin",
            )


def one_line(text: str) -> str:
    """``text`` safe to print as one line on a terminal, everything else as given.

    What the user typed is echoed in messages (a reference, a path). A line break in it
    would split the message; an ESC would reach the terminal as a command ("\\x1b[31M"
    deletes 31 lines). So control characters, line and paragraph separators, the bidi
    controls that reorder a line, and the lone surrogates Python uses for bytes that are
    not UTF-8 are written as escapes ("\\n", "\\x1b", "\\u202e"); nothing else changes.
    """
    return text.translate(_ESCAPES)


def _escape(code: int) -> str:
    named = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
    if code in named:
        return named[code]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_ESCAPES = {
    code: _escape(code)
    for code in [
        *range(0x00, 0x20),
        *range(0x7F, 0xA0),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x200E,
        0x200F,
        0x061C,
        *range(0xD800, 0xE000),
    ]
}


def _day_argument(text: str) -> date:
    """An argparse type: a day written YYYY-MM-DD, from 1900 on (Python would also take
    "20310901" and week dates, and year 1 is no day a record is about)."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("write the day as YYYY-MM-DD, e.g. 2031-09-01") from None
    if not 1900 <= day.year <= 9998:
        raise argparse.ArgumentTypeError("give a day between the years 1900 and 9998")
    return day


def _path_argument(text: str) -> Path:
    """An argparse type: a path, refusing the empty one (Path("") would mean this folder)."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path names no file or folder")
    return Path(text)


class _OneLineParser(argparse.ArgumentParser):
    """Usage errors on one line, like every other error (argparse prints the usage too)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {one_line(message)} (see --help).\n")


def _parser() -> argparse.ArgumentParser:
    # Subparsers inherit the parser's class, so every level reports on one line.
    parser = _OneLineParser(
        prog="safeguard-desktop",
        description="Offline, encrypted safeguarding records. With no command the app opens.",
    )
    parser.add_argument("--version", action="version", version=f"safeguard-desktop {__version__}")
    parser.add_argument(
        "--data-dir",
        type=_path_argument,
        help="the data folder (default: the platform's user data folder)",
        default=None,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument(
        "--demo", action="store_true", help="open a throwaway store of fictional sample data"
    )
    parser.add_argument("--smoke-test-gui", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("selftest", help="check the installed program; prints JSON")

    init = sub.add_parser("init", help="create a new store (admin password on stdin)")
    init.add_argument("--org", required=True, help="organisation name")
    init.add_argument("--org-type", required=True, choices=[t.value for t in OrgType])
    init.add_argument("--admin-user", required=True)
    init.add_argument("--admin-name", required=True)
    init.add_argument("--allow-guests", action="store_true")
    init.add_argument("--front-door", default="", help="children's services front door / MASH")
    init.add_argument("--out-of-hours", default="", help="out-of-hours social care team")
    init.add_argument("--lado", default="", help="Local Authority Designated Officer")

    user = sub.add_parser("user", help="manage accounts")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="add an account (stdin: admin password, new password)")
    add.add_argument("--as", dest="as_user", required=True)
    add.add_argument("--user", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    remove = user_sub.add_parser("remove", help="remove an account (stdin: admin password)")
    remove.add_argument("--as", dest="as_user", required=True)
    remove.add_argument("--user", required=True)
    user_sub.add_parser("list", help="list accounts (no password needed)")
    suspend = user_sub.add_parser(
        "suspend",
        help="suspend an account during an allegation about its holder (stdin: your password)",
    )
    suspend.add_argument("--as", dest="as_user", required=True)
    suspend.add_argument("--user", required=True)
    suspend.add_argument("--concern", metavar="REF", help="the allegation's concern, for the log")
    reinstate = user_sub.add_parser(
        "reinstate", help="lift an account's suspension (stdin: administrator's password)"
    )
    reinstate.add_argument("--as", dest="as_user", required=True)
    reinstate.add_argument("--user", required=True)

    recover = sub.add_parser(
        "recover",
        help="new administrator password from the recovery key (stdin: key, new password)",
    )
    recover.add_argument("--user", required=True, help="the administrator account")

    reset = user_sub.add_parser(
        "reset-password", help="give an account a new password (stdin: admin's, then new)"
    )
    reset.add_argument("--as", dest="as_user", required=True)
    reset.add_argument("--user", required=True)

    audit = sub.add_parser("audit-verify", help="check the audit chain (stdin: password)")
    audit.add_argument("--as", dest="as_user", required=True)

    record = sub.add_parser("record", help="submit one concern from a JSON file")
    who = record.add_mutually_exclusive_group(required=True)
    who.add_argument("--as", dest="as_user")
    who.add_argument("--guest", metavar="NAME")
    record.add_argument("--guest-role", metavar="ROLE")
    record.add_argument(
        "--json",
        dest="json_file",
        type=_path_argument,
        required=True,
        help="the concern (docs/concern.schema.json), a UTF-8 file of at most 32 MB",
    )
    record.add_argument(
        "--attach",
        dest="attach_files",
        action="append",
        type=_path_argument,
        default=[],
        metavar="FILE",
        help="send a PDF, PNG or JPEG with the concern (again for each; 10 and 25 MB at most)",
    )

    concerns = sub.add_parser("concerns", help="list concerns as JSON lines (stdin: password)")
    concerns.add_argument("--as", dest="as_user", required=True)

    show = sub.add_parser("show", help="one concern as JSON (stdin: password)")
    show.add_argument("ref")
    show.add_argument("--as", dest="as_user", required=True)
    children = sub.add_parser(
        "children",
        help="one JSON line per child: id, name, date of birth, retention (stdin: password)",
    )
    children.add_argument("--as", dest="as_user", required=True)
    children.add_argument(
        "--due", action="store_true", help="only the files due for their retention review"
    )
    retention = sub.add_parser(
        "retention",
        help="a child's retention review date; set one with --review-on (stdin: password)",
    )
    retention.add_argument("child_id", type=int, metavar="CHILD_ID")
    retention.add_argument("--as", dest="as_user", required=True)
    retention.add_argument("--review-on", type=_day_argument, metavar="YYYY-MM-DD")
    retention.add_argument("--reason", default="", help="why (with --review-on or --hold)")
    retention.add_argument(
        "--rule", action="store_true", help="go back to the organisation's rule for this child"
    )
    retention.add_argument("--hold", action="store_true", help="place a legal hold (--reason)")
    retention.add_argument("--lift-hold", action="store_true", help="lift it (--reason)")
    delete_child = sub.add_parser(
        "delete-child",
        help="delete a child's file at its retention review (stdin: password)",
    )
    delete_child.add_argument("child_id", type=int, metavar="CHILD_ID")
    delete_child.add_argument("--as", dest="as_user", required=True)
    delete_child.add_argument(
        "--concerns",
        type=int,
        metavar="N",
        help="the number of concerns that will be deleted, as shown without it (the check)",
    )
    transfer = sub.add_parser(
        "transfer",
        help="a child's whole file for their new school or club: a signed, password-protected "
        "PDF and a .sgtransfer package (stdin: password, then the transfer password)",
    )
    transfer.add_argument("child_id", type=int, metavar="CHILD_ID")
    transfer.add_argument("--as", dest="as_user", required=True)
    transfer.add_argument("--to", required=True, metavar="ORGANISATION")
    transfer.add_argument("--out", required=True, metavar="DIR", help="an existing folder")
    transfer.add_argument(
        "--how",
        default="secure_email",
        choices=["secure_email", "upload", "by_hand", "post"],
        help="how the files will be sent (recorded with the transfer)",
    )
    receive = sub.add_parser(
        "receive",
        help="take in a .sgtransfer file; prints the child's id "
        "(stdin: password, then the transfer password)",
    )
    receive.add_argument("file", metavar="FILE")
    receive.add_argument("--as", dest="as_user", required=True)
    receive.add_argument(
        "--child", type=int, metavar="ID", help="merge into this child (default: a new child)"
    )
    receive.add_argument(
        "--fingerprint",
        metavar="SHA256",
        help="the certificate fingerprint the sender read out (required: a file signed by "
        "any other is refused; without it the fingerprint is shown and nothing taken in)",
    )
    receive.add_argument(
        "--receipt-out", metavar="FILE", help="also write the signed receipt for the sender"
    )
    transfers = sub.add_parser(
        "transfers", help="one JSON line per transfer sent, with its receipt (stdin: password)"
    )
    transfers.add_argument("--as", dest="as_user", required=True)
    transfer_receipt = sub.add_parser(
        "transfer-receipt",
        help="record that a transfer arrived: a receipt file, or --sent N --note (stdin: password)",
    )
    transfer_receipt.add_argument("file", nargs="?", metavar="FILE")
    transfer_receipt.add_argument("--as", dest="as_user", required=True)
    transfer_receipt.add_argument("--sent", type=int, metavar="N", help="the transfer's number")
    transfer_receipt.add_argument("--note", default="", help="how receipt was confirmed")
    sar = sub.add_parser(
        "subject-access", help="subject access requests for a child's records (stdin: password)"
    )
    sar_sub = sar.add_subparsers(dest="sar_command", required=True, metavar="ACTION")
    sar_record = sar_sub.add_parser("record", help="record a request; prints its id and deadline")
    sar_record.add_argument("child_id", type=int, metavar="CHILD_ID")
    sar_record.add_argument("--requester", required=True, metavar="NAME")
    sar_record.add_argument("--relationship", required=True)
    sar_record.add_argument("--received", type=_day_argument, required=True, metavar="YYYY-MM-DD")
    sar_record.add_argument("--identity", required=True, help="how their identity was checked")
    sar_items = sar_sub.add_parser("items", help="one JSON line per record of the child's file")
    sar_take = sar_sub.add_parser("take-out", help="take words out wherever they appear")
    sar_take.add_argument("--words", required=True)
    sar_withhold = sar_sub.add_parser("withhold", help="withhold one record (see items)")
    sar_withhold.add_argument("request_id", type=int, metavar="REQUEST_ID")
    sar_withhold.add_argument("item", metavar="ITEM_KEY")
    for part in (sar_take, sar_withhold):
        part.add_argument(
            "--exemption", required=True, choices=[e.value for e in Exemption], help="why"
        )
    sar_respond = sar_sub.add_parser(
        "respond", help="write the response and the appendix to keep into DIR"
    )
    sar_respond.add_argument("--out", type=_path_argument, required=True, metavar="DIR")
    for part in (sar_items, sar_take, sar_respond):
        part.add_argument("request_id", type=int, metavar="REQUEST_ID")
    for part in (sar_record, sar_items, sar_take, sar_withhold, sar_respond):
        part.add_argument("--as", dest="as_user", required=True)
    attach = sub.add_parser(
        "attach",
        help="keep a PDF, PNG or JPEG with a concern, or with a child's file (stdin: password)",
        usage="%(prog)s (REF | --child ID) FILE --as USER [--description TEXT]",
    )
    attach.add_argument(
        "items", nargs="+", metavar="REF FILE", help="the concern's reference, then the file"
    )
    attach.add_argument("--as", dest="as_user", required=True)
    attach.add_argument(
        "--child", type=int, metavar="ID", help="attach to this child's file (then give FILE only)"
    )
    attach.add_argument("--description", default="", help="what the file is, one line")
    referral = sub.add_parser(
        "referral",
        help="build and sign a concern's referral PDF (stdin: password, then PDF password)",
    )
    referral.add_argument("ref", help="the concern's reference (C-...)")
    referral.add_argument("--as", dest="as_user", required=True)
    referral.add_argument("--out", type=_path_argument, required=True, help="the PDF file to write")
    referral.add_argument(
        "--encrypt", action="store_true", help="protect the PDF with a password (stdin line 2)"
    )
    referral.add_argument(
        "--referral",
        dest="referral_ref",
        metavar="R-REF",
        help="which of the concern's referrals (default: its newest not yet answered)",
    )
    referral.add_argument(
        "--child",
        metavar="NAME_OR_ID",
        help="which child the referral is about (required when the concern names several)",
    )
    referral.add_argument(
        "--kind",
        choices=[k.value for k in ReferralKind],
        help="which of the referrals the child's decision made (e.g. lado beside social_care)",
    )

    decide = sub.add_parser(
        "decide",
        help="record a DSL's decision for one child of a concern (stdin: password)",
    )
    decide.add_argument("ref", help="the concern's reference (C-...)")
    decide.add_argument("--as", dest="as_user", required=True)
    decide.add_argument(
        "--json",
        dest="json_file",
        type=_path_argument,
        required=True,
        help="the decision (docs/decision.schema.json), a UTF-8 file of at most 32 MB",
    )

    backup = sub.add_parser(
        "backup", help="write an encrypted backup and check it (stdin: password)"
    )
    backup.add_argument("--as", dest="as_user", required=True)
    backup.add_argument(
        "--out",
        required=True,
        type=_path_argument,
        help="a folder (the file is named for you) or a file name ending .sgbackup",
    )

    restore = sub.add_parser(
        "restore",
        help="restore a backup into an empty or new --data-dir (stdin: recovery key, "
        "new admin password)",
    )
    restore.add_argument("file", type=_path_argument)
    restore.add_argument("--user", required=True, help="the administrator account")

    check = sub.add_parser(
        "check", help="the full check of the records on demand (stdin: password)"
    )
    check.add_argument("--as", dest="as_user", required=True)

    export = sub.add_parser(
        "export",
        help="everything as export.json and PDFs, to a new folder or an AES-256 ZIP "
        "(administrators; stdin: password, then with --zip the ZIP's password)",
    )
    export.add_argument("--as", dest="as_user", required=True)
    export.add_argument(
        "--out",
        type=_path_argument,
        required=True,
        help="a new (or empty) folder, or with --zip the ZIP file to make",
    )
    export.add_argument(
        "--zip", action="store_true", help="one AES-256 encrypted ZIP (stdin line 2: its password)"
    )

    station = sub.add_parser("station", help="recording stations: other PCs that record")
    station_sub = station.add_subparsers(dest="station_command", metavar="STATION_COMMAND")
    station_sub.required = True
    invite = station_sub.add_parser(
        "invite", help="a signed invitation for a new recording station (stdin: password)"
    )
    invite.add_argument("--as", dest="as_user", required=True)
    invite.add_argument("--out", type=_path_argument, required=True, help="the invitation file")
    invite.add_argument(
        "--drop",
        type=_path_argument,
        required=True,
        help="the shared or synced folder the station delivers into, as this PC reaches it",
    )
    invite.add_argument("--name", help="what to call the station (default: Station N)")
    invite.add_argument(
        "--station-drop",
        metavar="PATH",
        help="the same folder as the station reaches it, when that differs",
    )
    station_init = station_sub.add_parser(
        "init", help="set this data folder up as a recording station from an invitation"
    )
    station_init.add_argument("--invitation", type=_path_argument, required=True)
    station_init.add_argument(
        "--drop", type=_path_argument, help="the drop folder, when this PC reaches it elsewhere"
    )
    station_sub.add_parser("deliver", help="on a station: deliver what waits; prints JSON")
    station_remove = station_sub.add_parser(
        "remove", help="refuse what a station sends from now on (stdin: password)"
    )
    station_remove.add_argument("station_id", metavar="S-REF")
    station_remove.add_argument("--as", dest="as_user", required=True)
    stations = sub.add_parser(
        "stations", help="the recording stations as JSON lines (stdin: password)"
    )
    stations.add_argument("--as", dest="as_user", required=True)

    verify = sub.add_parser("verify-pdf", help="check a signed PDF's signature; prints JSON")
    verify.add_argument("file", type=_path_argument)
    verify.add_argument(
        "--password-stdin", action="store_true", help="read the PDF's password from stdin"
    )
    trust = verify.add_mutually_exclusive_group()
    trust.add_argument(
        "--as",
        dest="as_user",
        help="also check it was signed with this organisation's certificate (stdin: password)",
    )
    trust.add_argument("--cert", type=_path_argument, help="a PEM certificate to trust")
    return parser


# Commands ----------------------------------------------------------------------


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .services.recording_station import StationFolder
    from .services.store import Store

    data_dir = _data_dir(args.data_dir)
    if StationFolder.exists(data_dir):
        raise NotPermitted(
            f"The data folder {data_dir} is a recording station: it holds no records and no "
            "accounts, and nothing recorded here can be read back. Records are read on your "
            "safeguarding lead's PC."
        )
    return Store.open(data_dir)


def _data_dir(path: Path) -> Path:
    """``path`` when it may be a data folder; a missing one is Store.open's to report."""
    from .services.input_files import describe, problem_of, shown_path

    shown = f"The data folder {shown_path(path)}"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return path
    except OSError as error:
        raise BadInput(describe(problem_of(error), shown, "a folder"), "--data-dir") from None
    if not stat.S_ISDIR(mode):
        raise BadInput(
            f"{shown} is a file, not a folder; give the folder that holds the records.",
            "--data-dir",
        )
    return path


def _outside_data_folder(path: Path, args: argparse.Namespace, field: str, what: str) -> Path:
    """``path``, refused when it is the data folder or inside it: what a command writes
    out (a PDF to send, an invitation, a receipt) is kept apart from the records, and a
    drop folder there would have stations deliver into the records' own folder."""
    data_dir = args.data_dir or default_data_dir()
    try:
        records = data_dir.resolve()
        where = path.resolve()
    except (OSError, RuntimeError):
        return path  # a path that cannot be resolved is refused where it is used
    if where == records or records in where.parents:
        raise BadInput(
            f"{what} cannot go into the data folder that holds the records; choose another folder.",
            field,
        )
    return path


def _new_file(path: Path, args: argparse.Namespace, field: str, what: str) -> Path:
    """``path`` for a file a command writes: outside the data folder, in a folder that
    exists, and not already there (a command never replaces a file; the app's own
    save dialogs ask first)."""
    from .services.input_files import shown_path

    _outside_data_folder(path, args, field, what)
    if path.is_dir():
        raise BadInput(f"{shown_path(path)} is a folder; give a file name to write.", field)
    if path.exists() or path.is_symlink():
        raise BadInput(
            f"{shown_path(path)} already exists, and the command line never replaces a "
            "file; choose a new name.",
            field,
        )
    if not path.parent.is_dir():
        raise BadInput(f"The folder {shown_path(path.parent)} does not exist.", field)
    return path


def _case_session(  # type: ignore[no-untyped-def]
    args: argparse.Namespace, secrets: SecretReader, *, warn: bool = True
):
    from .services.session import CaseSession

    session = _store(args).login(args.as_user, secrets.read("Password: "))
    if not isinstance(session, CaseSession):
        session.lock()
        raise NotPermitted("Only a safeguarding lead or administrator can do that.")
    if warn:
        _warn(session)
    return session


def _warn(session) -> None:  # type: ignore[no-untyped-def]
    """What sign-in found in the data folder, said on every command as the app's Home
    says it; `audit-verify` makes it the exit code."""
    for alarm in (session.rollback_alarm, session.vault_alarm):
        if alarm is not None:
            print(f"Warning: {alarm.sentence()}", file=sys.stderr)


def cmd_selftest(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services.selftest import run_selftest

    def qt_check() -> dict[str, object]:
        # Imported only here: a Qt that will not load is a failed check, not a crash.
        from .ui.qt_probe import check_qt

        return check_qt()

    report = run_selftest(qt_check)
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


def cmd_init(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services.setup import SetupRequest, create_store

    password = secrets.read("Administrator password: ")
    req = SetupRequest(
        org_name=args.org,
        org_type=OrgType(args.org_type),
        admin_username=args.admin_user,
        admin_display_name=args.admin_name,
        admin_password=password,
        allow_guests=args.allow_guests,
        contacts=LocalContacts(
            front_door=args.front_door, out_of_hours=args.out_of_hours, lado=args.lado
        ),
    )
    result = create_store(args.data_dir, req)
    print(result.recovery_key)
    print(
        "This is the recovery key. Write it down or print it and keep it in a locked "
        "place; it is not shown again.",
        file=sys.stderr,
    )
    return 0


def cmd_user(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import casework, people

    if args.user_command == "list":
        for user in _store(args).users():
            print(
                _json(
                    {
                        "username": user.username,
                        "name": user.display_name,
                        "role": user.role.value,
                        "suspended": user.suspended,
                    },
                )
            )
        return 0
    session = _case_session(args, secrets)
    try:
        if args.user_command == "add":
            new_password = secrets.read("New user's password: ")
            people.add_user(session, args.user, args.name, Role(args.role), new_password)
        elif args.user_command == "reset-password":
            people.reset_password(session, args.user, secrets.read("New password: "))
        elif args.user_command == "suspend":
            ref = args.concern.strip().upper() if args.concern else None
            if ref is not None:
                casework.open_concern(session, ref)  # a reference that names no concern is exit 2
            people.suspend_user(session, args.user, concern_ref=ref)
        elif args.user_command == "reinstate":
            people.reinstate_user(session, args.user)
        else:
            people.remove_user(session, args.user)
    finally:
        session.lock()
    return 0


def cmd_recover(args: argparse.Namespace, secrets: SecretReader) -> int:
    code = secrets.read("Recovery key: ")
    new_password = secrets.read("New password: ")
    session = _store(args).recover(code, args.user, new_password)
    session.lock()
    print(
        "The administrator password has been changed. If this is a new PC, give the other "
        "accounts new passwords with 'user reset-password'.",
        file=sys.stderr,
    )
    return 0


def cmd_audit_verify(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import audit_trail

    session = _case_session(args, secrets, warn=False)
    try:
        report = audit_trail.verify(session)
        vault_alarm, rollback = session.vault_alarm, session.rollback_alarm
    finally:
        session.lock()
    print(
        json.dumps(
            {
                "ok": report.ok and vault_alarm is None and rollback is None,
                "entries": report.entries,
                "first_broken": report.first_broken,
                "head_seq": report.head_seq,
                "head_hash": report.head_hash,
                "detail": report.reason,
                "vault_matches_database": vault_alarm is None,
                "vault_changes": list(vault_alarm.changes) if vault_alarm else [],
                "behind_anchor": rollback is not None,
                "anchor_seq": rollback.anchor.seq if rollback else None,
            }
        )
    )
    if not report.ok:
        raise CheckFailed(f"The audit log is broken: {report.reason}.")
    if rollback is not None:
        raise CheckFailed(rollback.sentence())
    if vault_alarm is not None:
        raise CheckFailed(vault_alarm.sentence())
    return 0


def _load_concern(path: Path):  # type: ignore[no-untyped-def]
    from .domain.concern import Concern
    from .services.input_files import read_json_file, shown_path

    data = read_json_file(path, f"The file {shown_path(path)}", "--json")
    return Concern.from_json(data, now=datetime.now())


def cmd_record(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services.recording import submit_as_guest
    from .services.recording_station import StationFolder

    concern = _load_concern(args.json_file)
    files = _chosen_files(args.attach_files)
    if StationFolder.exists(_data_dir(args.data_dir)):
        return _record_on_station(args, concern, files)
    store = _store(args)
    if args.guest is not None:
        if not args.guest_role:
            raise BadInput("A guest must say their role with --guest-role.", field="--guest-role")
        ref = submit_as_guest(store, args.guest, args.guest_role, concern, files)
    else:
        session = store.login(args.as_user, secrets.read("Password: "))
        try:
            ref = session.submit_concern(concern, files)
        finally:
            session.lock()
    print(ref)
    return 0


def _chosen_files(paths: list[Path]) -> list[Any]:
    """The files given with --attach, read and checked before anything is sealed."""
    from .services.attachment_intake import check_chosen, choose
    from .services.attachments import read_chosen_file
    from .services.input_files import shown_path

    files = []
    for path in paths:
        try:
            files.append(choose(read_chosen_file(path), path.name))
        except BadInput as error:
            raise BadInput(f"{error.message} (--attach {shown_path(path)})", "--attach") from None
    check_chosen(files)
    return files


def _record_on_station(args: argparse.Namespace, concern: Any, files: list[Any]) -> int:
    from .services import recording_station

    if args.guest is None or not args.guest_role:
        raise BadInput(
            "A recording station has no accounts: say who you are with --guest NAME and "
            "--guest-role ROLE.",
            field="--guest",
        )
    station = recording_station.StationFolder.open(args.data_dir)
    made = recording_station.record_on_station(station, args.guest, args.guest_role, concern, files)
    print(made.ref)
    if made.problem is not None:
        print(made.problem, file=sys.stderr)
    return 0


def cmd_station(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import recording_station, stations

    if args.station_command == "init":
        invitation = stations.read_invitation(args.invitation)
        station = recording_station.set_up_station(args.data_dir, invitation, drop=args.drop)
        report = recording_station.deliver_waiting(station)
        print(
            _json(
                {
                    "station": station.station_id,
                    "name": station.station_name,
                    "organisation": station.organisation.name,
                    "fingerprint": invitation.fingerprint,
                    "drop_folder": str(station.drop_folder),
                    "hello_delivered": report.problem is None,
                }
            )
        )
        print(
            "Compare the fingerprint with the one your safeguarding lead reads out; if they "
            "differ, delete this folder and ask for a new invitation.",
            file=sys.stderr,
        )
        if report.problem is not None:
            print(report.problem, file=sys.stderr)
        return 0
    if args.station_command == "deliver":
        station = recording_station.StationFolder.open(_data_dir(args.data_dir))
        report = recording_station.deliver_waiting(station)
        print(_json({"delivered": report.delivered, "waiting": report.waiting}))
        if report.problem is not None:
            print(report.problem, file=sys.stderr)
        return 0
    if args.station_command == "invite":
        # Before the station is added: a file that cannot be written leaves none behind.
        _new_file(args.out, args, "--out", "The invitation")
    session = _case_session(args, secrets)
    try:
        if args.station_command == "remove":
            stations.remove_station(session, args.station_id)
            return 0
        name = args.name or f"Station {len(stations.station_list(session)) + 1}"
        made = stations.invite_station(session, name, args.drop, station_sees=args.station_drop)
        stations.save_invitation(made, args.out)
        print(
            _json(
                {
                    "station": made.station_id,
                    "name": made.station_name,
                    "fingerprint": made.fingerprint,
                    "invitation": str(args.out),
                }
            )
        )
        print(
            "Read the fingerprint out to whoever sets the station up. The invitation can be "
            "used once: keep it off shared folders until the station has joined.",
            file=sys.stderr,
        )
        return 0
    finally:
        session.lock()


def cmd_stations(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import inbox, stations

    session = _case_session(args, secrets)
    try:
        inbox.ingest(session)  # what the stations left is read first, as Home does
        for info in stations.station_list(session):
            print(_json(info.to_json()))
    finally:
        session.lock()
    return 0


def cmd_concerns(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import casework
    from .services.session import CaseSession

    session = _store(args).login(args.as_user, secrets.read("Password: "))
    if not isinstance(session, CaseSession):
        # A recorder sees only their own receipts: references and times.
        try:
            for receipt in session.receipts():
                print(json.dumps({"ref": receipt.ref, "submitted_at": receipt.submitted_at}))
        finally:
            session.lock()
        return 0
    try:
        from .services import inbox

        _warn(session)
        inbox.ingest(session)  # what recording stations left in the drop folder too
        kept_aside = len(inbox.quarantined(session))
        if kept_aside:
            print(
                f"Warning: {kept_aside:,} item(s) that arrived for the records were kept aside "
                "and are not listed here; open the app's Home to see why and what to do.",
                file=sys.stderr,
            )
        offset = 0
        while page := casework.search(session, SearchFilters(), limit=1000, offset=offset):
            for summary in page:
                print(_json(_summary_json(summary)))
            offset += len(page)
    finally:
        session.lock()
    return 0


def _summary_json(summary: ConcernSummary) -> dict[str, object]:
    return {
        "ref": summary.ref,
        "submitted_at": summary.submitted_at,
        "occurred_at": summary.occurred_at,
        "status": summary.status.value,
        "children": [n for n in summary.child_names.split("; ") if n],
        "categories": list(summary.categories),
        "submitter": {
            "name": summary.recorder_name,
            "role": summary.recorder_role,
            "username": summary.recorder_username,
        },
        "immediate_danger": summary.immediate_danger,
        "children_to_link": summary.unlinked_children,
    }


def cmd_show(args: argparse.Namespace, secrets: SecretReader) -> int:
    from dataclasses import asdict

    from .services import casework

    session = _case_session(args, secrets)
    try:
        file = casework.concern_file(session, args.ref)
    finally:
        session.lock()
    concern = file.concern

    def plain(value: object) -> object:
        return value.value if hasattr(value, "value") else str(value)

    def after_referral(referral_id: int) -> dict[str, object]:
        """What happened after a referral (services/after_referral.py)."""
        after = file.after_referral.get(referral_id)
        if after is None:
            return {}
        return {
            "acknowledgements": [asdict(a) for a in after.acknowledgements],
            "outcomes": [asdict(o) for o in after.outcomes],
            "escalations": [asdict(e) for e in after.escalations],
        }

    print(
        _json(
            {
                "ref": concern.ref,
                "submitted_at": concern.submitted_at,
                "received_at": concern.received_at,
                "status": concern.status,
                "submitter": concern.submitter,
                "concern": concern.body,
                "children": [
                    {
                        "position": choice.position,
                        "child_id": choice.link.child_id,
                        "suggested_child_ids": [s.child_id for s, _ in choice.suggestions],
                    }
                    for choice in file.children
                ],
                "amendments": [asdict(a) for a in file.amendments],
                "actions": [asdict(a) for a in file.actions],
                "decisions": [asdict(d) for d in file.decisions],
                "referrals": [
                    {
                        "ref": r.ref,
                        "kind": r.kind.value,
                        "status": r.status.value,
                        "created_at": r.created_at,
                        "sent_at": r.sent_at,
                        "pdf_sha256": r.pdf_sha256,
                        "response": r.response,  # free text, as an earlier version kept it
                        **after_referral(r.referral_id),
                    }
                    for r in file.referrals
                ],
                "follow_ups": [asdict(f) for f in file.follow_ups],
                "attachments": [asdict(a) for a in file.attachments],
            },
            indent=2,
            default=plain,
        )
    )
    return 0


def cmd_children(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import children, retention, transfer

    session = _case_session(args, secrets)
    try:
        every = retention.every_retention(session)
        sent = transfer.transferred_children(session)
        today = date.today()
        offset = 0
        while True:
            page = children.list_children(session, limit=500, offset=offset)
            if not page:
                break
            offset += len(page)
            for child in page:
                kept = every.get(child.child_id)
                if args.due and (kept is None or not kept.due(today)):
                    continue
                print(_json(_child_line(child, kept, child.child_id in sent)))
    finally:
        session.lock()
    return 0


def _child_line(child: Any, kept: Any, transferred: bool) -> dict[str, object]:
    return {
        "id": child.child_id,
        "name": child.name,
        "date_of_birth": (
            child.details.date_of_birth.isoformat() if child.details.date_of_birth else None
        ),
        "retention_review_on": kept.review_on.isoformat() if kept else None,
        "retention_basis": kept.basis.value if kept else None,
        "legal_hold": kept.facts.hold_reason if kept else None,
        "transferred": transferred,
    }


def cmd_transfer(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import transfer

    folder = Path(args.out)
    if not folder.is_dir():
        raise BadInput("--out must be a folder that exists.", "out")
    _outside_data_folder(folder, args, "--out", "A child's file to transfer")
    session = _case_session(args, secrets)
    try:
        password = secrets.read("Transfer password: ")
        made, sent = transfer.transfer_to_folder(
            session, args.child_id, args.to, args.how, password, folder
        )
    finally:
        session.lock()
    pdf_name, package_name = made.suggested_names
    print(
        _json(
            {
                "sent": sent.sent_id,
                "transfer_id": made.transfer_id,
                "pdf": str(folder / pdf_name),
                "package": str(folder / package_name),
                "fingerprint": made.fingerprint,
                "receipt_due_on": sent.receipt_due_on.isoformat(),
            }
        )
    )
    return 0


def cmd_receive(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import transfer_receive

    path = Path(args.file)
    if args.receipt_out:
        # Checked before anything is taken in: a receipt that cannot be written after the
        # merge could not be written again (the package is then already received).
        _new_file(Path(args.receipt_out), args, "--receipt-out", "The receipt")
    session = _case_session(args, secrets)
    try:
        password = secrets.read("Transfer password: ")
        if args.fingerprint is None:
            # Checked and refused the same way as a wrong one: nothing taken in unseen.
            opened = transfer_receive.open_package(session, path, password)
            raise BadInput(
                f"This file is signed by the certificate with fingerprint {opened.fingerprint}. "
                "Compare it with the one the sender read out, then run this again with "
                "--fingerprint and that fingerprint; nothing was taken in.",
                "fingerprint",
            )
        opened, child_id = transfer_receive.receive_file(
            session, path, password, args.fingerprint, args.child
        )
        if args.receipt_out:
            received = transfer_receive.received_for_child(session, child_id)[-1]
            transfer_receive.save_receipt(session, received.received_id, Path(args.receipt_out))
    finally:
        session.lock()
    print(child_id)
    print(f"Signed by the certificate with fingerprint {opened.fingerprint}", file=sys.stderr)
    return 0


def cmd_transfers(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import transfer

    session = _case_session(args, secrets)
    try:
        for child_id in sorted(transfer.transferred_children(session)):
            for sent in transfer.sent_for_child(session, child_id):
                print(
                    _json(
                        {
                            "sent": sent.sent_id,
                            "transfer_id": sent.transfer_id,
                            "child_id": sent.child_id,
                            "to": sent.to_organisation,
                            "how": sent.sent_how,
                            "made_at": sent.made_at,
                            "receipt_due_on": sent.receipt_due_on.isoformat(),
                            "receipt_at": sent.receipt_at,
                            "receipt_note": sent.receipt_note,
                        }
                    )
                )
    finally:
        session.lock()
    return 0


def cmd_transfer_receipt(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import transfer

    if (args.file is None) == (args.sent is None):
        raise BadInput("Give the receipt file, or --sent N with --note.", "transfer-receipt")
    session = _case_session(args, secrets)
    try:
        if args.file is not None:
            sent = transfer.import_receipt(session, Path(args.file))
            print(sent.receipt_note)
        else:
            transfer.record_receipt(session, args.sent, args.note)
    finally:
        session.lock()
    return 0


def cmd_retention(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import retention

    chosen = [args.review_on is not None, args.rule, args.hold, args.lift_hold]
    if sum(chosen) > 1:
        raise BadInput("Give one of --review-on, --rule, --hold or --lift-hold.", "retention")
    session = _case_session(args, secrets)
    try:
        if args.review_on is not None:
            retention.set_review_date(session, args.child_id, args.review_on, args.reason)
        elif args.rule:
            retention.clear_review_date(session, args.child_id)
        elif args.hold:
            retention.place_legal_hold(session, args.child_id, args.reason)
        elif args.lift_hold:
            retention.lift_legal_hold(session, args.child_id, args.reason)
        kept = retention.retention_of(session, args.child_id)
    finally:
        session.lock()
    print(
        _json(
            {
                "child_id": args.child_id,
                "review_on": kept.review_on.isoformat(),
                "basis": kept.basis.value,
                "why": kept.basis_words(),
                "due": kept.due(date.today()),
                "legal_hold": kept.facts.hold_reason,
            }
        )
    )
    return 0


def cmd_delete_child(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import retention

    session = _case_session(args, secrets)
    try:
        if args.concerns is None:
            plan = retention.deletion_plan(session, args.child_id)
            print(_json({"child_id": args.child_id, "would_delete": plan.counts()}))
            raise BadInput(
                f"Nothing was deleted. To delete this child's file, run the command again with "
                f"--concerns {len(plan.concerns_deleted)} (the number of concerns that go).",
                "--concerns",
            )
        done = retention.delete_child_file(session, args.child_id, concerns=args.concerns)
    finally:
        session.lock()
    print(_json({"child_id": args.child_id, "deleted": done.plan.counts()}))
    print(retention.BACKUPS_STILL_HOLD_IT, file=sys.stderr)
    return 0


def cmd_subject_access(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .domain.subject_access import NewRequest
    from .services import subject_access

    new = None
    if args.sar_command == "record":
        # Checked before the password is asked for.
        new = NewRequest.checked(
            requester=args.requester,
            relationship=args.relationship,
            received_on=args.received,
            identity_checked=args.identity,
            today=date.today(),
        )
    session = _case_session(args, secrets)
    try:
        if new is not None:
            added = subject_access.record_request(session, args.child_id, new)
            (request,) = [
                r for r in subject_access.open_requests(session) if r.request_id == added.id
            ]
            print(_json({"request_id": added.id, "due_on": request.due_on.isoformat()}))
        elif args.sar_command == "items":
            seen = subject_access.review(session, args.request_id)
            for item in seen.items:
                withheld = seen.withheld.get(item.key)
                print(
                    _json(
                        {
                            "key": item.key,
                            "section": item.section,
                            "heading": item.heading,
                            "withheld": withheld.value if withheld else None,
                        }
                    )
                )
        elif args.sar_command == "take-out":
            subject_access.add_term(session, args.request_id, args.words, Exemption(args.exemption))
        elif args.sar_command == "withhold":
            subject_access.withhold(session, args.request_id, args.item, Exemption(args.exemption))
        else:
            _outside_data_folder(args.out, args, "--out", "The response")
            made = subject_access.make_response(session, args.request_id)
            args.out.mkdir(parents=True, exist_ok=True)
            released_name, appendix_name = made.suggested_names
            for name in (released_name, appendix_name):
                _new_file(args.out / name, args, "--out", "The response")
            subject_access.save_response(
                session, made, args.out / released_name, args.out / appendix_name
            )
            print(
                _json(
                    {
                        "released": released_name,
                        "appendix": appendix_name,
                        "items_released": made.items_released,
                        "items_withheld": made.items_withheld,
                    }
                )
            )
    finally:
        session.lock()
    return 0


def cmd_attach(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import attachments

    expected = 1 if args.child is not None else 2
    if len(args.items) != expected:
        raise BadInput(
            "Give the file only after --child ID."
            if args.child is not None
            else "Give the concern's reference and then the file (or --child ID and the file).",
            "attach",
        )
    path = Path(args.items[-1])
    # Read before the password is asked for: a file that cannot be read costs no sign-in.
    data = attachments.read_chosen_file(path)
    session = _case_session(args, secrets)
    try:
        if args.child is not None:
            added = attachments.attach_to_child(
                session, args.child, data, path.name, args.description
            )
        else:
            added = attachments.attach_to_concern(
                session, args.items[0], data, path.name, args.description
            )
        record = next(
            a
            for a in (
                attachments.for_child(session, args.child)
                if args.child is not None
                else attachments.for_concern(session, args.items[0])
            )
            if a.attachment_id == added.id
        )
    finally:
        session.lock()
    print(
        _json(
            {
                "attachment": record.attachment_id,
                "ref": record.concern_ref,
                "child_id": record.child_id,
                "kind": record.kind.value,
                "bytes": record.size,
                "sha256": record.sha256,
                "original_sha256": record.original_sha256,
                "removed": list(record.removed),
            }
        )
    )
    return 0


def _json(data: object, **options: Any) -> str:
    """JSON for standard output: any text as typed, bidi controls escaped (\\u202e)."""
    return json_bidi_escaped(json.dumps(data, ensure_ascii=False, **options))


def cmd_decide(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services.decisions import decide
    from .services.input_files import read_json_file, shown_path

    # Read and parsed before the password is asked for: a bad file costs no sign-in.
    data = read_json_file(args.json_file, f"The file {shown_path(args.json_file)}", "--json")
    session = _case_session(args, secrets)
    try:
        decided = decide(session, args.ref, data)
    finally:
        session.lock()
    print(
        json.dumps(
            {
                "ref": decided.concern_ref,
                "child_position": decided.child_position,
                "child_id": decided.child_id,
                "decision_id": decided.result.decision_id,
                "referrals": list(decided.result.referral_refs),
                "follow_ups": list(decided.result.follow_up_ids),
            }
        )
    )
    return 0


def cmd_referral(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import casework, referral
    from .services.child_choice import choose_child

    out = _new_file(args.out, args, "--out", "The PDF")  # before anything is built
    session = _case_session(args, secrets)
    try:
        pdf_password = None
        if args.encrypt:
            # Checked before anything is built: the rule the app's password box states.
            pdf_password = referral.check_pdf_password(secrets.read("PDF password: "))
        if args.referral_ref:
            record = referral.referral_record(session, args.referral_ref)
            if record.concern_ref != args.ref.strip().upper():
                raise BadInput(
                    f"Referral {record.ref} is not about concern {args.ref.strip()[:20]}.",
                    field="--referral",
                )
            if args.child is not None:
                file = casework.concern_file(
                    session, record.concern_ref, audit=False, suggestions=False
                )
                chosen = choose_child(file, args.child, field="--child")
                if record.child_position != chosen.position:
                    raise BadInput(
                        f"Referral {record.ref} is not about that child.", field="--child"
                    )
        else:
            kind = ReferralKind(args.kind) if args.kind else None
            record = referral.referral_for_child(session, args.ref, args.child, kind)
        made = referral.make_referral_pdf(session, record.ref, pdf_password=pdf_password)
        referral.save_referral_pdf(session, made, out)
    finally:
        session.lock()
    print(json.dumps({"referral": made.referral_ref, "file": str(args.out), "sha256": made.sha256}))
    if made.encrypted:
        print(
            "The PDF is password protected. Send the password by another route, such as "
            "a phone call, never in the same email.",
            file=sys.stderr,
        )
    return 0


def _read_pdf_file(path: Path) -> bytes:
    """The bytes of the PDF at ``path``: a regular file only (services/input_files.py),
    never a FIFO that would wait forever or a device that would never end."""
    from .services.input_files import UnreadableFile, describe, read_regular_file
    from .services.referral_files import MAX_PDF_BYTES

    try:
        return read_regular_file(path, MAX_PDF_BYTES)
    except UnreadableFile as problem:
        raise BadInput(describe(problem, f"The file {path}", "a PDF file"), field="file") from None


def cmd_verify_pdf(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import referral

    data = _read_pdf_file(args.file)
    trusted: bytes | None = None
    session = None
    if args.as_user:
        session = _case_session(args, secrets)
    password = secrets.read("PDF password: ") if args.password_stdin else None
    try:
        if args.cert:
            try:
                trusted = args.cert.read_bytes()
            except OSError:
                raise BadInput(f"The certificate {args.cert} cannot be read.", "--cert") from None
            result = referral.verify_referral(None, data, password=password, trusted_cert=trusted)
        else:
            result = referral.verify_referral(session, data, password=password)
            if session is not None:
                referral.record_verified(session, result, hashlib.sha256(data).hexdigest())
    finally:
        if session is not None:
            session.lock()
    print(
        _json(
            {
                "signer": result.signer,
                "organisation": result.organisation,
                "signed_at": result.signed_at.isoformat() if result.signed_at else None,
                "intact": result.intact,
                "valid": result.valid,
                "trusted": result.trusted if (args.as_user or args.cert) else None,
                "fingerprint_sha256": result.fingerprint_sha256,
                "signatures": result.signature_count,
                "message": result.message,
                # pdfsig's "Total document signed": nothing was added after signing.
                "covers_whole_file": result.covers_whole_file,
                "changed_after_signing": result.added_after_signing or None,
            },
            indent=2,
        )
    )
    if not result.ok:
        raise CheckFailed(result.message)
    return 0


def cmd_backup(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import backup

    session = _case_session(args, secrets)
    out: Path = args.out
    try:
        if out.exists() and not out.is_dir():
            raise BadInput(
                f"{out} already exists, and a backup never replaces a file. Give a folder, "
                "or a new file name ending in .sgbackup.",
                "out",
            )
        if out.suffix == ".sgbackup" and not out.is_dir():
            report = backup.make_backup(session, out.parent, name=out.name)
        else:
            report = backup.make_backup(session, out)
    finally:
        session.lock()
    print(
        json.dumps(
            {
                "file": str(report.path),
                "size": report.size,
                "made_at": report.made_at,
                "checked": True,
                "concerns": report.concerns,
                "children": report.children,
                "audit_entries": report.audit_entries,
                "audit_head": report.head_seq,
            }
        )
    )
    print(report.sentence(), file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services.backup import restore_backup

    target = args.data_dir or default_data_dir()
    code = secrets.read("Recovery key: ")
    new_password = secrets.read("New password: ")
    report = restore_backup(args.file, target, code, args.user, new_password)
    print(
        json.dumps(
            {
                "data_dir": str(report.data_dir),
                "backup_made_at": report.backup_made_at,
                "concerns": report.concerns,
                "children": report.children,
                "accounts_needing_password": list(report.accounts_needing_password),
            }
        )
    )
    print(report.sentence(), file=sys.stderr)
    if report.accounts_needing_password:
        print(
            "Give the other accounts new passwords with 'user reset-password'.",
            file=sys.stderr,
        )
    return 0


def cmd_check(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import records_check

    session = _case_session(args, secrets)
    try:
        report = records_check.check_records(session)
    finally:
        session.lock()
    print(json.dumps({"ok": report.ok, "problems": list(report.problems)}))
    if not report.ok:
        raise CheckFailed(report.sentence())
    print(report.sentence(), file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace, secrets: SecretReader) -> int:
    from .services import export

    session = _case_session(args, secrets)
    try:
        # Who may, where to, and the ZIP's password are all checked before anything is
        # read: a refusal costs nothing and leaves nothing behind.
        export.require_admin(session)
        export.check_target(session, args.out, zipped=args.zip)
        zip_password = (
            export.check_zip_password(secrets.read("ZIP password: ")) if args.zip else None
        )
        result = export.export_everything(session, args.out, zip_password=zip_password)
    finally:
        session.lock()
    print(
        _json(
            {
                "path": str(result.path),
                "format": "zip" if result.zipped else "folder",
                "counts": result.counts,
                "chronologies": result.chronologies,
                "referrals": result.referrals,
                "files": result.files,
                "bytes": result.bytes,
                "sha256": result.sha256,
                "export_json_sha256": result.export_json_sha256,
                "seconds": round(result.seconds, 1),
            },
        )
    )
    print(
        "This export holds every record, readable by anyone who has "
        + (
            "the ZIP and its password: send the password by another route."
            if result.zipped
            else "the folder: keep it safe and delete it when it has done its job."
        ),
        file=sys.stderr,
    )
    if result.leftovers_removed:
        print(result.leftovers_sentence(), file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, SecretReader], int]] = {
    "backup": cmd_backup,
    "restore": cmd_restore,
    "check": cmd_check,
    "selftest": cmd_selftest,
    "init": cmd_init,
    "user": cmd_user,
    "recover": cmd_recover,
    "audit-verify": cmd_audit_verify,
    "record": cmd_record,
    "concerns": cmd_concerns,
    "show": cmd_show,
    "attach": cmd_attach,
    "children": cmd_children,
    "retention": cmd_retention,
    "delete-child": cmd_delete_child,
    "subject-access": cmd_subject_access,
    "transfer": cmd_transfer,
    "receive": cmd_receive,
    "transfers": cmd_transfers,
    "transfer-receipt": cmd_transfer_receipt,
    "referral": cmd_referral,
    "decide": cmd_decide,
    "verify-pdf": cmd_verify_pdf,
    "export": cmd_export,
    "station": cmd_station,
    "stations": cmd_stations,
}


def _held(args: argparse.Namespace) -> contextlib.AbstractContextManager[object]:
    """The data folder, held while one command runs: a command waits a few seconds for
    the app (or another command) to let go of it, then refuses in the app's own words,
    "already open ... close it first" (services/store.hold_data_folder)."""
    if args.command == "selftest" or (args.command == "verify-pdf" and not args.as_user):
        return contextlib.nullcontext()  # these never open the data folder
    from .services.store import hold_data_folder

    return hold_data_folder(args.data_dir, command_line=True)


def _open_gui(args: argparse.Namespace) -> int:
    if args.demo:
        from .services.demo_store import DEMO_HINT, demo_data_dir

        with demo_data_dir() as data_dir:
            from .app import run_gui

            return run_gui(data_dir, demo_hint=DEMO_HINT)
    from .app import run_gui

    if args.smoke_test_gui is not None:
        from .app import run_smoke

        return run_smoke(args.data_dir, args.smoke_test_gui)
    return run_gui(args.data_dir)


def _refuse_undecodable(args: argparse.Namespace) -> None:
    """Every argument that is text, not a path, must be UTF-8: Python keeps bytes it
    cannot decode as lone surrogates, which no record can store (a path may hold them,
    as file names on Linux may)."""
    for name, value in vars(args).items():
        if name in _PATH_TEXT:
            continue
        values = value if isinstance(value, list) else [value]
        if name == "items":  # attach's REF FILE: the file, last, is a path
            values = values[:-1]
        for text in values:
            if isinstance(text, str) and any("\ud800" <= ch <= "\udfff" for ch in text):
                option = name.upper() if name in _POSITIONAL else f"--{name.replace('_', '-')}"
                raise BadInput(
                    f"The argument {option} is not UTF-8 text; type it again.", field=name
                )


# Arguments given by position, named as the usage names them.
_POSITIONAL = frozenset({"ref", "child_id", "station_id", "words", "request_id", "item", "items"})
# Paths some commands keep as text: a file name on Linux may hold any bytes.
_PATH_TEXT = frozenset({"file", "out", "receipt_out"})


def main(argv: Sequence[str] | None = None) -> int:
    # Before anything is written: owner-only files, no core dumps (process_hardening).
    harden_process()
    parser = _parser()
    args = parser.parse_args(argv)
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    log_path = app_logging.configure(debug=args.debug)
    try:
        _refuse_undecodable(args)
        if args.command is None:
            return _open_gui(args)
        with _held(args):
            return COMMANDS[args.command](args, SecretReader(sys.stdin))
    except SafeguardError as err:
        said = err.with_fields() if isinstance(err, IncompleteDecision) else str(err)
        print(f"safeguard-desktop: {one_line(said)}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("safeguard-desktop: stopped.", file=sys.stderr)
        return 130
    except Exception:
        # Deliberately broad: the last stop for bugs. Nothing is swallowed: the
        # traceback goes to the log, the user gets one sentence and exit 1.
        log.exception("unexpected error in command %s", args.command)
        if args.debug:
            raise
        print(
            "safeguard-desktop: something went wrong; nothing was lost. "
            f"Details are in the log file {log_path}.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
