"""A file on its way into the records: recognised, checked, and stripped of what it carries.

A phone photo of handwritten notes carries where it was taken (GPS), when, and which
phone took it (EXIF); a scan carries its software's notes (XMP, comments). None of that
is part of the record, and a location can lead someone to a child's home, so a picture
is always drawn again from its pixels (Pillow) and only the pixels and their colour
profile are kept: the camera's orientation is applied first, so the picture stands
the right way up without it. A JPEG keeps its own quality settings where the picture
needed no turning, so a scan of a page loses nothing visible. Anything hidden after the
picture's data goes too, as it is never copied.

A PDF is kept as it is, once pdf/attached_pdf.py has found that it opens and holds
nothing active. Nothing here writes a file, logs a name or holds a Qt object.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from io import BytesIO
from typing import TYPE_CHECKING

from ..domain.attachments import (
    MAX_BYTES,
    MAX_FILE_NAME,
    MAX_FILES_WITH_CONCERN,
    MAX_PIXELS,
    AttachmentKind,
    checked_kind,
    shown_file_name,
)
from ..domain.errors import BadInput

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

# EXIF's GPS section, and the one tag that says which way up the camera was held.
_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_ORIENTATION = 0x0112
# Tags that say nothing about the camera or the person: which way up, and where the
# GPS and camera sections start (their content is looked at on its own).
_NOT_DETAILS = frozenset({_ORIENTATION, _GPS_IFD, _EXIF_IFD})
_PIL_FORMATS = {AttachmentKind.PNG: "PNG", AttachmentKind.JPEG: "JPEG"}


@dataclass(frozen=True)
class Intake:
    """A file ready to store: its kind, the bytes to keep, and what was taken out."""

    kind: AttachmentKind
    data: bytes
    original_sha256: str  # of the file as given
    removed: tuple[str, ...]  # in words: "location (GPS)", "camera details (EXIF)"...
    pages: int = 0  # a PDF's
    width: int = 0  # a picture's, in pixels
    height: int = 0

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def take_in(data: bytes, file_name: str) -> Intake:
    """The file ``data`` (called ``file_name``) as it will be stored, or :class:`BadInput`
    with one sentence saying why it cannot be attached."""
    kind = checked_kind(data, file_name)
    original = hashlib.sha256(data).hexdigest()
    if kind is AttachmentKind.PDF:
        from ..pdf.attached_pdf import check_attached_pdf

        checked = check_attached_pdf(data)
        return Intake(kind, data, original, (), pages=checked.pages)
    return _picture(data, kind, original)


@dataclass(frozen=True)
class ChosenFile:
    """A file a recorder chose to send with their concern, already taken in here (so a
    file that cannot be kept is refused while they can still choose another)."""

    file_name: str  # its last part only, as shown
    intake: Intake


def choose(data: bytes, file_name: str) -> ChosenFile:
    return ChosenFile(shown_file_name(file_name), take_in(data, file_name))


def check_chosen(files: Sequence[ChosenFile]) -> None:
    """The files sent with one concern, together: at most 10 and 25 MB."""
    if len(files) > MAX_FILES_WITH_CONCERN:
        raise BadInput(
            f"At most {MAX_FILES_WITH_CONCERN} files can be sent with one concern; send the "
            "rest to your safeguarding lead another way, or scan them into one PDF.",
            "attachments",
        )
    if sum(len(f.intake.data) for f in files) > MAX_BYTES:
        raise BadInput(
            f"The files chosen come to more than {MAX_BYTES // (1024 * 1024)} MB together; "
            "leave one out, or scan them at a lower resolution.",
            "attachments",
        )


def sealed_form(files: Sequence[ChosenFile]) -> list[dict[str, object]]:
    """The files as they go inside a sealed concern (services/recording.py)."""
    check_chosen(files)
    return [
        {
            "file_name": f.file_name,
            "data": base64.b64encode(f.intake.data).decode("ascii"),
            "original_sha256": f.intake.original_sha256,
            "removed": list(f.intake.removed),
        }
        for f in files
    ]


@dataclass(frozen=True)
class RefusedFile:
    """A file sealed with a concern that the lead's PC would not keep, and why."""

    file_name: str
    sha256: str  # of the bytes that came, to match them to a copy found elsewhere
    reason: str  # the sentence take_in gave


def from_sealed(value: object) -> tuple[list[ChosenFile], list[RefusedFile]]:
    """The files sealed with a concern, each taken in again here (nothing that arrives is
    trusted because another copy of the app checked it): those kept, with the SHA-256
    of the file as the recorder gave it and what their PC took out, and those refused.

    Raises ``ValueError`` when the list itself is not what this program seals.
    """
    if not isinstance(value, list) or not 0 < len(value) <= MAX_FILES_WITH_CONCERN:
        raise ValueError("attachments")
    limit = (MAX_BYTES + 2) // 3 * 4 + 4
    kept: list[ChosenFile] = []
    refused: list[RefusedFile] = []
    for item in value:
        if not isinstance(item, dict):
            raise ValueError("attachments")
        name, text, original = item.get("file_name"), item.get("data"), item.get("original_sha256")
        removed = item.get("removed")
        if (
            not isinstance(removed, list)
            or len(removed) > 10
            or not all(isinstance(r, str) and len(r) <= 100 for r in removed)
        ):
            raise ValueError("attachments")
        if (
            not isinstance(name, str)
            or len(name) > MAX_FILE_NAME * 4
            or not isinstance(text, str)
            or len(text) > limit
            or not isinstance(original, str)
            or len(original) != 64
            or not all(c in "0123456789abcdef" for c in original)
        ):
            raise ValueError("attachments")
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("attachments") from None
        try:
            chosen = choose(data, name)
        except BadInput as error:
            refused.append(
                RefusedFile(shown_file_name(name), hashlib.sha256(data).hexdigest(), error.message)
            )
            continue
        except Exception as error:
            # Deliberately broad: one file nobody can check never holds back its concern.
            log.warning(
                "a file sealed with a concern could not be checked: %s", type(error).__name__
            )
            refused.append(
                RefusedFile(
                    shown_file_name(name),
                    hashlib.sha256(data).hexdigest(),
                    "The file could not be checked, so it was not kept.",
                )
            )
            continue
        # Only this program's own words: the sender's are not copied into the records.
        said = [word for word in removed if word in REMOVED_WORDS]
        removed_words = tuple(dict.fromkeys([*said, *chosen.intake.removed]))
        intake = replace(chosen.intake, original_sha256=original, removed=removed_words)
        kept.append(ChosenFile(chosen.file_name, intake))
    try:
        check_chosen(kept)  # the sender's PC was meant to; nothing arriving is trusted
    except BadInput:
        raise ValueError("attachments") from None
    return kept, refused


def _picture(data: bytes, kind: AttachmentKind, original: str) -> Intake:
    picture = _opened(data, kind)
    try:
        with warnings.catch_warnings():
            # Pillow warns about odd metadata ("Tag data larger than file"); the metadata
            # is left out anyway, so the warning says nothing the user can act on.
            warnings.simplefilter("ignore")
            return _drawn_again(picture, kind, original)
    except BadInput:
        raise
    except Exception as error:
        # Deliberately broad: Pillow reading metadata anyone may have written can raise
        # almost anything (TypeError, struct.error from a malformed EXIF...). A picture
        # that cannot be drawn again cleanly is refused; only the error's type is logged.
        log.info("a picture could not be drawn again: %s", type(error).__name__)
        raise _damaged() from None
    finally:
        picture.close()


def _drawn_again(picture: Image, kind: AttachmentKind, original: str) -> Intake:
    from PIL import Image as PillowImage

    removed = _carried(picture)
    turned = _upright(picture)
    out = BytesIO()
    keep: dict[str, object] = {}
    profile = picture.info.get("icc_profile")
    if profile:
        keep["icc_profile"] = profile  # colours, not details about anyone
    if kind is AttachmentKind.JPEG:
        if turned is picture:
            # The picture's own quantisation tables and subsampling: drawn again without
            # visible loss. A turned picture is a new one.
            keep.update(quality="keep", subsampling="keep")
        else:
            keep.update(quality=92)
        keep["comment"] = b""  # Pillow would copy the original's comment otherwise
        image = turned if turned.mode in ("L", "RGB", "CMYK") else turned.convert("RGB")
        image.save(out, "JPEG", **keep)
    else:
        if "transparency" in picture.info and turned.mode in ("P", "L", "RGB"):
            keep["transparency"] = picture.info["transparency"]
        turned.save(out, "PNG", **keep)
    cleaned = out.getvalue()
    with PillowImage.open(BytesIO(cleaned)) as check:  # what is kept opens, the right size
        width, height = check.size
    return Intake(kind, cleaned, original, removed, width=width, height=height)


def _opened(data: bytes, kind: AttachmentKind) -> Image:
    """The picture, fully read; refused when damaged or too many pixels to unpack safely."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        # Pillow warns, then refuses, as a picture nears its own pixel limit; ours is lower
        # and checked from the header before a pixel is unpacked.
        # Any other warning (odd metadata) says nothing the user can act on.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(BytesIO(data), formats=[_PIL_FORMATS[kind]])
            if picture.width * picture.height > MAX_PIXELS:
                picture.close()
                raise _too_many_pixels()
            picture.load()
        except BadInput:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, Exception) as error:
            # Deliberately broad, as in _picture: a damaged file may raise anything.
            log.info("a picture could not be read: %s", type(error).__name__)
            raise _damaged() from None
    return picture


GPS_WORDS = "location (GPS)"
EXIF_WORDS = "camera details (EXIF)"
REMOVED_WORDS = frozenset({GPS_WORDS, EXIF_WORDS, "XMP details", "a comment", "text notes"})


def _carried(picture: Image) -> tuple[str, ...]:
    """In words, what the picture carries besides its pixels (all of it is left out)."""
    found: list[str] = []
    exif = picture.getexif()
    if exif.get_ifd(_GPS_IFD):
        found.append(GPS_WORDS)
    if any(tag not in _NOT_DETAILS for tag in exif) or exif.get_ifd(_EXIF_IFD):
        found.append(EXIF_WORDS)
    info = picture.info
    if info.get("xmp") or info.get("XML:com.adobe.xmp"):
        found.append("XMP details")
    if info.get("comment"):
        found.append("a comment")
    text = getattr(picture, "text", None)  # a PNG's text notes
    if text and any(key != "XML:com.adobe.xmp" for key in text):
        found.append("text notes")
    return tuple(found)


def _upright(picture: Image) -> Image:
    """The picture turned the way the camera says it was held (itself when it needs no turning)."""
    from PIL import ImageOps

    orientation = picture.getexif().get(_ORIENTATION, 1)
    if orientation in (None, 1):
        return picture
    turned = ImageOps.exif_transpose(picture)
    return turned if turned is not None else picture


def _damaged() -> BadInput:
    return BadInput("That picture is damaged and cannot be read, so it was not attached.", "file")


def _too_many_pixels() -> BadInput:
    return BadInput(
        f"That picture has more than {MAX_PIXELS // 1_000_000} million pixels, too many to "
        "open safely; nothing was attached. Save it at a smaller size and attach that.",
        "file",
    )
