"""Transferring a child's file to the school or club they moved to: the rules and what
the package says.

Keeping children safe in education asks the DSL to send a child's child protection file
to the new school or college within 5 school days of the child starting there, apart
from the main pupil file, securely, and to get confirmation that it arrived. Clubs and
other organisations follow the same practice. The sending organisation keeps its copy
until its own retention review (domain/retention.py); nothing is deleted by a transfer.

The manifest is the file as the sender reads it: the child's details, every record as a
heading and its lines (services/child_records.py), and each attached file with its
SHA-256. The receiver keeps those records as they were sent, marked with where they came
from; it never takes them in as its own concerns, which would ask for decisions made
long ago to be made again.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .attachments import AttachmentKind, checked_description, shown_file_name
from .children import ChildDetails, SendSupport
from .errors import BadInput
from .text import clean_name, clean_text
from .working_days import WorkingDays

RECEIPT_SCHOOL_DAYS = 5
MIN_PASSWORD = 12
MAX_NOTE = 2_000
MANIFEST_FORMAT = "safeguard-desktop-transfer-manifest"
MANIFEST_VERSION = 1
# What a manifest may hold; anything larger was not made by this program.
MAX_ITEMS = 100_000
MAX_LINES = 200
MAX_LINE = 250_000
MAX_FILES = 2_000
# No 0/O, 1/I/L, 5/S, 2/Z: read aloud over the phone, each character is one thing.
_PHONE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
_TRANSFER_ID = re.compile(r"[0-9a-f]{16}")  # secrets.token_hex(8): it names files
_SHA256 = re.compile(r"[0-9a-f]{64}")


class SentHow(StrEnum):
    """How the files left, as the record of the transfer says."""

    SECURE_EMAIL = "secure_email"
    UPLOAD = "upload"
    BY_HAND = "by_hand"
    POST = "post"

    @property
    def label(self) -> str:
        return _HOW[self]


_HOW = {
    SentHow.SECURE_EMAIL: "By secure email",
    SentHow.UPLOAD: "Uploaded to the new school's or club's secure system",
    SentHow.BY_HAND: "Handed over in person (on a memory stick)",
    SentHow.POST: "By recorded delivery",
}


def receipt_due(made_on: date, working_days: WorkingDays) -> date:
    """When to ask whether the file arrived: 5 school days after it was sent."""
    return working_days.add(made_on, RECEIPT_SCHOOL_DAYS)


def suggested_password() -> str:
    """A password to phone through: 20 characters in groups of 4 (about 95 bits)."""
    chars = "".join(secrets.choice(_PHONE_ALPHABET) for _ in range(20))
    return "-".join(chars[i : i + 4] for i in range(0, 20, 4))


def checked_password(password: str) -> str:
    """The password as both ends use it: spaces around it are never part of it (a
    password copied or typed with one opens the files all the same)."""
    password = password.strip()
    if len(password) < MIN_PASSWORD:
        raise BadInput(
            f"The transfer password must be at least {MIN_PASSWORD} characters long; use "
            "the one the app suggests.",
            "transfer_password",
        )
    return password


def checked_organisation(value: object) -> str:
    return clean_name(value, "to_organisation", label="School or club it goes to")


def checked_how(value: object) -> SentHow:
    if isinstance(value, str) and value in SentHow._value2member_map_:
        return SentHow(value)
    choices = ", ".join(how.value for how in SentHow)
    raise BadInput(f"Say how the file is sent: one of {choices}.", "sent_how")


def checked_note(value: object) -> str:
    return clean_text(
        value, "note", max_length=MAX_NOTE, required=True, label="How it was confirmed"
    )


# The manifest ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SentItem:
    section: str
    heading: str
    lines: tuple[str, ...]
    occurred: str = ""  # ISO, or ""


@dataclass(frozen=True)
class SentFile:
    section: str  # the package section holding its bytes: "file-1"...
    kind: AttachmentKind
    file_name: str
    description: str
    sha256: str
    added_at: str


@dataclass(frozen=True)
class Manifest:
    transfer_id: str
    from_organisation: str
    sent_at: str  # UTC, ISO 8601
    sent_by: str
    to_organisation: str
    child: ChildDetails
    items: tuple[SentItem, ...]
    files: tuple[SentFile, ...]
    # The sender had decided a referral to social care, the LADO or Prevent, or a report to
    # the police (or had received a file saying so): a club keeps such a file until 25.
    serious: bool = False


_CHILD_TEXT = (
    "other_names",
    "gender",
    "ethnicity",
    "language",
    "address",
    "additional_needs",
    "religion",
    "nhs_number",
    "lives_with",
)


def manifest_bytes(manifest: Manifest) -> bytes:
    child = manifest.child
    body = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "transfer_id": manifest.transfer_id,
        "from_organisation": manifest.from_organisation,
        "sent_at": manifest.sent_at,
        "sent_by": manifest.sent_by,
        "to_organisation": manifest.to_organisation,
        "serious": manifest.serious,
        "child": {
            "name": child.name,
            "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
            "approximate_age": child.approximate_age,
            "unborn": child.unborn,
            "expected_on": child.expected_on.isoformat() if child.expected_on else None,
            "interpreter_needed": child.interpreter_needed,
            "disability": child.disability,
            "send": child.send.value if child.send is not None else None,
            **{key: getattr(child, key) for key in _CHILD_TEXT},
        },
        "items": [
            {"section": i.section, "heading": i.heading, "lines": list(i.lines), "at": i.occurred}
            for i in manifest.items
        ],
        "files": [
            {
                "section": f.section,
                "kind": f.kind.value,
                "file_name": f.file_name,
                "description": f.description,
                "sha256": f.sha256,
                "added_at": f.added_at,
            }
            for f in manifest.files
        ],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class NewerManifest(ValueError):
    """Made by a newer program."""


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError("not text, or too long")
    return value


def _date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(_text(value, 10))


def _flag(value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise ValueError("not true, false or null")
    return value


def _moment(value: object, *, empty: bool) -> str:
    """An ISO 8601 moment or day as this program writes them ("" where ``empty``): the
    chronology sorts by it, so one that does not parse would break a child's file."""
    text = _text(value, 40)
    if not text and empty:
        return text
    parsed = datetime.fromisoformat(text)
    if not 1900 <= parsed.year <= 2200:
        raise ValueError("a date out of range")
    return text


def _record_text(value: object, field: str, limit: int) -> str:
    """Text that becomes a record: no control characters, not too long."""
    return clean_text(value, field, max_length=limit)


def parse_manifest(data: bytes) -> Manifest:
    """The manifest in ``data``; ValueError when it is not one this program can read
    (:class:`NewerManifest` when a newer program made it). Duplicate keys are refused;
    every date must be one, every text may be stored, every id is the shape ours are."""
    try:
        return _parse_manifest(data)
    except BadInput as err:  # a text a record could not hold: not a file we made
        raise ValueError("a field cannot be stored") from err


def _parse_manifest(data: bytes) -> Manifest:

    def pairs(found: list[tuple[str, object]]) -> dict[str, object]:
        if len({key for key, _ in found}) != len(found):
            raise ValueError("a key given twice")
        return dict(found)

    body = json.loads(data.decode("utf-8"), object_pairs_hook=pairs)
    if not isinstance(body, dict) or body.get("format") != MANIFEST_FORMAT:
        raise ValueError("not a manifest")
    version = body.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > MANIFEST_VERSION:
        raise NewerManifest("made by a newer program")
    if version != MANIFEST_VERSION:
        raise ValueError("unknown version")
    child = body["child"]
    items = body["items"]
    files = body["files"]
    if not isinstance(child, dict) or not isinstance(items, list) or not isinstance(files, list):
        raise ValueError("wrong shape")
    if len(items) > MAX_ITEMS or len(files) > MAX_FILES:
        raise ValueError("too many records")
    age = child.get("approximate_age")
    if age is not None and (not isinstance(age, int) or isinstance(age, bool)):
        raise ValueError("the age is not a number")
    send = child.get("send")
    try:
        details = ChildDetails.checked(
            name=clean_name(child.get("name"), "name"),
            date_of_birth=_date(child.get("date_of_birth")),
            approximate_age=age,
            unborn=child.get("unborn") is True,
            expected_on=_date(child.get("expected_on")),
            interpreter_needed=_flag(child.get("interpreter_needed")),
            disability=_flag(child.get("disability")),
            send=None if send is None else SendSupport(_text(send, 40)),
            **{key: clean_text(child.get(key, ""), key) for key in _CHILD_TEXT},
        )
    except BadInput as err:
        raise ValueError("the child's details are not valid") from err
    sent_items = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("lines"), list):
            raise ValueError("an item of the wrong shape")
        lines = item["lines"]
        if len(lines) > MAX_LINES:
            raise ValueError("an item too long")
        sent_items.append(
            SentItem(
                section=_record_text(item.get("section"), "section", 200),
                heading=_record_text(item.get("heading"), "heading", 2_000),
                lines=tuple(_record_text(line, "line", MAX_LINE) for line in lines),
                occurred=_moment(item.get("at", ""), empty=True),
            )
        )
    sent_files = []
    for entry in files:
        if not isinstance(entry, dict):
            raise ValueError("a file of the wrong shape")
        kind = _text(entry.get("kind"), 10)
        sent_files.append(
            SentFile(
                section=_text(entry.get("section"), 40),
                kind=AttachmentKind(kind),
                file_name=shown_file_name(_record_text(entry.get("file_name"), "file_name", 300)),
                description=checked_description(
                    _record_text(entry.get("description"), "description", 1_000)
                ),
                sha256=_text(entry.get("sha256"), 64),
                added_at=_moment(entry.get("added_at"), empty=False),
            )
        )
        if not _SHA256.fullmatch(sent_files[-1].sha256):
            raise ValueError("a fingerprint that is not one")
    if len({f.section for f in sent_files}) != len(sent_files):
        raise ValueError("a file listed twice")
    transfer_id = _text(body.get("transfer_id"), 40)
    if not _TRANSFER_ID.fullmatch(transfer_id):
        raise ValueError("a transfer id that is not one")
    return Manifest(
        transfer_id=transfer_id,
        from_organisation=clean_name(body.get("from_organisation"), "from_organisation"),
        sent_at=_moment(body.get("sent_at"), empty=False),
        sent_by=clean_name(body.get("sent_by"), "sent_by"),
        to_organisation=clean_name(body.get("to_organisation"), "to_organisation"),
        child=details,
        items=tuple(sent_items),
        files=tuple(sent_files),
        serious=_flag(body.get("serious", False)) is True,
    )
