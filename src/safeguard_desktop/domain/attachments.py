"""Files kept with a record: a scan of handwritten notes, a letter, an email saved as PDF.

KCSIE expects the original notes a volunteer wrote on paper to be kept with the record
typed from them. What may be attached, how big, and how a file is recognised are rules,
so they live here; reading the file and taking its metadata out are
services/attachment_intake.py's, storing it storage/attachment_records.py's.

A file is recognised by its first bytes, never by its name alone, and its name must
agree: a "notes.pdf" that is really a program is refused, as is a ".png" that is a JPEG
(most likely the wrong file chosen). The name the file had is kept and shown in the
app only; it often holds a child's name, so nothing the app writes is ever named after
it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import BadInput
from .text import single_line

# A phone photo is 2 to 8 MB and a scanned page well under 1 MB: 25 MB takes a
# many-page scan, and keeps a store's backups and transfers a sensible size.
MAX_BYTES = 25 * 1024 * 1024
# A 48-megapixel phone camera makes 8,000 x 6,000 pictures. Beyond this a small
# picture file could unpack into gigabytes of pixels (a "decompression bomb").
MAX_PIXELS = 60_000_000
MAX_DESCRIPTION = 500
MAX_FILE_NAME = 200
# A recorder may send files with the concern they submit: the notes they wrote on paper,
# a few pages of photos. Together at most MAX_BYTES, so a concern sealed with its files
# stays well inside what a shared drop folder's file may be (storage/drop_folder.py).
MAX_FILES_WITH_CONCERN = 10

# What the recording form and the attach dialogs say before a file is chosen.
NO_INJURY_PHOTOS = (
    "Never photograph a child's injuries or body: describe what you saw and mark it on "
    "the body map. Attach written notes, letters and emails only."
)


class AttachmentKind(StrEnum):
    """The kinds of file the app keeps and can show."""

    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        """The extension a saved copy gets (".jpg", never the original name's)."""
        return _EXTENSIONS[self]

    @property
    def is_picture(self) -> bool:
        return self is not AttachmentKind.PDF


_LABELS = {
    AttachmentKind.PDF: "PDF document",
    AttachmentKind.PNG: "PNG picture",
    AttachmentKind.JPEG: "JPEG photo or scan",
}
_MEDIA_TYPES = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.PNG: "image/png",
    AttachmentKind.JPEG: "image/jpeg",
}
_EXTENSIONS = {AttachmentKind.PDF: ".pdf", AttachmentKind.PNG: ".png", AttachmentKind.JPEG: ".jpg"}
_NAMED_KINDS = {
    ".pdf": AttachmentKind.PDF,
    ".png": AttachmentKind.PNG,
    ".jpg": AttachmentKind.JPEG,
    ".jpeg": AttachmentKind.JPEG,
    ".jpe": AttachmentKind.JPEG,
    ".jfif": AttachmentKind.JPEG,
}
# ISO base media file brands of HEIF pictures (what an iPhone takes by default).
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def sniff(data: bytes) -> AttachmentKind | None:
    """The kind of file ``data`` is, from its first bytes; None for any other file."""
    if data.startswith(b"%PDF-"):
        return AttachmentKind.PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return AttachmentKind.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return AttachmentKind.JPEG
    return None


def is_heif(data: bytes) -> bool:
    """A HEIC/HEIF picture (an ISO media file whose brand is a HEIF one)."""
    return data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS


def checked_kind(data: bytes, file_name: str) -> AttachmentKind:
    """The kind of an attachable file, or :class:`BadInput` with one sentence why not.

    The size, then what the bytes are, then that the name agrees with them.
    """
    if not data:
        raise BadInput("That file is empty (0 bytes), so there is nothing to attach.", "file")
    if len(data) > MAX_BYTES:
        raise BadInput(
            f"That file is {len(data) / (1024 * 1024):,.1f} MB; a file attached can be at "
            f"most {MAX_BYTES // (1024 * 1024)} MB. Scan it at a lower resolution or in "
            "parts, and attach each.",
            "file",
        )
    if is_heif(data):
        raise BadInput(
            "That is a HEIC photo (an iPhone's own format), which the app cannot show. "
            "Send it to this PC as a JPEG (on the iPhone: Settings, Camera, Formats, "
            "Most Compatible) and attach that.",
            "file",
        )
    kind = sniff(data)
    if kind is None:
        raise BadInput(
            "That file is not a PDF, a PNG picture or a JPEG photo, so it cannot be "
            "attached. Save or scan it as a PDF and attach that.",
            "file",
        )
    named = named_kind(file_name)
    if named is not None and named is not kind:
        raise BadInput(
            f"That file's name says it is a {named.label}, but it is a {kind.label}; "
            "nothing was attached. Check it is the file you meant, and rename it if it is.",
            "file",
        )
    if named is None and _extension(file_name):
        raise BadInput(
            f"That file is a {kind.label}, but its name ends in “{_extension(file_name)}”; "
            "nothing was attached. Check it is the file you meant, and rename it if it is.",
            "file",
        )
    return kind


def named_kind(file_name: str) -> AttachmentKind | None:
    """The kind a file's name claims (by its extension), if one we keep."""
    return _NAMED_KINDS.get(_extension(file_name))


def _extension(file_name: str) -> str:
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base.strip("."):
        return ""
    return "." + base.rsplit(".", 1)[-1].lower()[:12]


def shown_file_name(file_name: str) -> str:
    """The name a file had, as the app keeps and shows it: its last part only (never
    the folders it was in), on one line, at most :data:`MAX_FILE_NAME` characters."""
    base = single_line(file_name.replace("\\", "/").rsplit("/", 1)[-1])
    if len(base) > MAX_FILE_NAME:
        base = base[: MAX_FILE_NAME - 1] + "…"
    return base or "(no name)"


def checked_description(text: str) -> str:
    """What a lead says the file is (optional), one line of at most 500 characters."""
    text = single_line(text)
    if len(text) > MAX_DESCRIPTION:
        raise BadInput(
            f"The description is longer than {MAX_DESCRIPTION} characters; please shorten it.",
            "description",
        )
    return text


def size_words(size: int) -> str:
    """A file's size as a person reads it: "820 bytes", "14 kB", "2.4 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} kB"
    return f"{size / (1024 * 1024):,.1f} MB"


@dataclass(frozen=True)
class AttachmentRecord:
    """One stored attachment, without its bytes (they are read only to be shown or saved)."""

    attachment_id: int
    kind: AttachmentKind
    file_name: str  # as the user's file was called (shown in the app only)
    description: str
    size: int  # bytes stored
    sha256: str  # of the bytes stored (what "Save a copy" writes)
    original_sha256: str  # of the file as it was given, before its metadata was taken out
    removed: tuple[str, ...]  # what was taken out on the way in ("location (GPS)", ...)
    added_at: str  # UTC, ISO 8601
    added_by: str  # user name, or the recorder's name for a file sealed with a concern
    concern_ref: str | None = None  # attached to this concern (every child it names)...
    child_id: int | None = None  # ...or to this child's file alone
    from_recorder: bool = False  # sealed with the concern by whoever recorded it
