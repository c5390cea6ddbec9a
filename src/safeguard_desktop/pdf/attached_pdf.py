"""Checking a PDF someone attaches to a record: that it opens, and holds nothing active.

The app shows an attached PDF through PDFium with no form or script engine, so nothing
in it runs here. But "Save a copy…" hands the same bytes to whatever reader the next
person uses, and a PDF can carry JavaScript, an action that starts a program, or other
files inside it. None of those belongs in a child's record, so such a PDF is refused
with a sentence saying how to make a plain one (print it to a new PDF).

Every object of the file is looked at (pyHanko reads the cross-reference sections,
object streams included), not only the catalogue: an action can hang off any page,
link or form field. Nothing here logs or returns what the PDF says.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from ..domain.errors import BadInput, WrongCredentials

log = logging.getLogger(__name__)

# Far above any scan or letter (a 100-page scan has a few thousand objects); a file with
# more is refused rather than walked for minutes.
MAX_OBJECTS = 500_000

# A PDF may link within itself and to a web page; every other action is refused (an
# allow-list: the kinds of action a PDF can carry keep growing). Scripts and files inside
# are looked for under every name a reader acts on.
_ALLOWED_ACTIONS = frozenset({"/GoTo", "/URI"})
_WEB = ("http://", "https://")
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/XFA"})
_FILE_KEYS = frozenset({"/EF", "/FS", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"})
_MEDIA_TYPES = frozenset(
    {"/FileAttachment", "/3D", "/RichMedia", "/Screen", "/Movie", "/Sound", "/EmbeddedFile"}
)
_ACTION_WORDS = {
    "/JavaScript": "a script (JavaScript)",
    "/Launch": "an action that starts a program",
    "/GoToR": "a link that opens another file",
    "/GoToE": "a link that opens another file",
    "/ImportData": "an action that reads other files",
    "/SubmitForm": "a form that sends what is typed to a web address",
    "/RichMediaExecute": "embedded media that runs",
}
# An object header in the file's bytes ("12 0 obj").
_HEADER = re.compile(rb"(?<![0-9])([0-9]{1,10})[ \t\r\n\f\x00]+([0-9]{1,5})[ \t\r\n\f\x00]+obj\b")


@dataclass(frozen=True)
class CheckedPdf:
    pages: int


def check_attached_pdf(data: bytes) -> CheckedPdf:
    """``data`` if it is a PDF that opens without a password and holds nothing active;
    else :class:`BadInput` with one sentence."""
    from .preview import page_count

    try:
        pages = page_count(data)
    except BadInput:
        raise BadInput(
            "That PDF is damaged and cannot be opened, so it was not attached.", "file"
        ) from None
    except WrongCredentials:
        raise BadInput(
            "That PDF is password protected, and the app keeps only files it can show. Open "
            "it, save or print a copy without the password, and attach that.",
            "file",
        ) from None
    found = _active_content(data)
    if found is not None:
        raise BadInput(
            f"That PDF contains {found}, which the app does not keep; nothing was attached. "
            "Print it to a new PDF (choose “Microsoft Print to PDF” or “Save as PDF” as "
            "the printer) and attach that.",
            "file",
        )
    return CheckedPdf(pages=pages)


def _active_content(data: bytes) -> str | None:
    """Words for the first active thing found in the PDF, or None when there is none."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        # Strict: a file whose cross-reference table is off, or whose dictionaries repeat
        # a key, is read by PDFium in its own way (it rebuilds the table from the bytes,
        # it keeps the last of two keys), so what is checked here would not be what a
        # reader opens. Such a file is refused, not repaired.
        reader = PdfFileReader(BytesIO(data), strict=True)
        if reader.encrypted:
            return "encrypted parts"
        refs: set[generic.Reference] = set()
        for revision in range(reader.xrefs.total_revisions):
            refs |= reader.xrefs.explicit_refs_in_revision(revision)
        if len(refs) > MAX_OBJECTS:
            return "more parts than any letter or scan has"
        # An object in the bytes where no cross-reference points is one a reader that
        # rebuilds the table (or takes the last of two copies) would find and this check
        # would not: a second "3 0 obj" after the one the table lists, say.
        if _unlisted_object(data, reader, generic):
            return "parts its index does not list"
        for ref in refs:
            found = _active_in(reader.get_object(ref))
            if found is not None:
                return found
        return _active_in(reader.trailer)
    except Exception as error:
        # Deliberately broad: pyHanko parsing a file anyone may have made can raise almost
        # anything (zlib.error, AssertionError, decimal errors...). A PDF that cannot be
        # walked cannot be vouched for, so it is refused; only the error's type is logged
        # (its message may quote the file).
        log.info("an attached PDF could not be walked: %s", type(error).__name__)
        return "parts that could not be checked"


def _unlisted_object(data: bytes, reader: object, generic: object) -> bool:
    xrefs = reader.xrefs  # type: ignore[attr-defined]
    offsets: set[int] = set()
    for revision in range(xrefs.total_revisions):
        for ref in xrefs.explicit_refs_in_revision(revision):
            where = xrefs.get_historical_ref(ref, revision)
            if isinstance(where, int):
                offsets.add(where)
    for match in _HEADER.finditer(data):
        start = match.start()
        # The table may point at the white space just before a header.
        if not any(
            data[start - back : start].strip() == b""
            for back in range(4)
            if start - back in offsets
        ):
            return True
    return False


def _active_in(start: object) -> str | None:
    """Look through one object and the direct objects inside it (not references: each
    indirect object is looked at on its own)."""
    from pyhanko.pdf_utils import generic

    for item in _direct_parts(start, generic):
        if not isinstance(item, generic.DictionaryObject):
            continue
        keys = {str(key) for key in item}
        if keys & _SCRIPT_KEYS:
            return "a script (JavaScript)"
        if keys & _FILE_KEYS or _name(item, "/Type") in _MEDIA_TYPES:
            return "other files inside it"
        if _name(item, "/Subtype") in _MEDIA_TYPES:
            return "media or files inside it"
        action = _name(item, "/S")
        if action is None or "/S" not in keys:
            continue
        if action not in _ALLOWED_ACTIONS:
            return _ACTION_WORDS.get(action, "an action a PDF reader would carry out")
        if action == "/URI" and not _text(item, "/URI").lower().startswith(_WEB):
            return "a link to a file on the computer or the network"
    return None


def _name(item: object, key: str) -> str | None:
    """The name at ``key`` of a dictionary, followed through a reference, or None."""
    from pyhanko.pdf_utils import generic

    value = item.get(key)  # type: ignore[attr-defined]
    if isinstance(value, generic.IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, generic.NameObject) else None


def _text(item: object, key: str) -> str:
    from pyhanko.pdf_utils import generic

    value = item.get(key)  # type: ignore[attr-defined]
    if isinstance(value, generic.IndirectObject):
        value = value.get_object()
    if isinstance(value, generic.ByteStringObject):
        return bytes(value).decode("latin-1")
    return str(value) if value is not None else ""


def _direct_parts(start: object, generic: object) -> Iterator[object]:
    pending = [start]
    dictionary = generic.DictionaryObject  # type: ignore[attr-defined]
    array = generic.ArrayObject  # type: ignore[attr-defined]
    while pending:
        item = pending.pop()
        yield item
        if isinstance(item, dictionary):
            pending.extend(item.raw_get(key) for key in item)
        elif isinstance(item, array):
            pending.extend(item.raw_get(index) for index in range(len(item)))
