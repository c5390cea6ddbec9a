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
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from ..domain.errors import BadInput, WrongCredentials

log = logging.getLogger(__name__)

# Far above any scan or letter (a 100-page scan has a few thousand objects); a file with
# more is refused rather than walked for minutes.
MAX_OBJECTS = 500_000

# What makes a PDF active, and the words for it.
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/XFA"})
_ACTIVE_ACTIONS = {
    "/JavaScript": "a script (JavaScript)",
    "/Launch": "an action that starts a program",
    "/ImportData": "an action that reads other files",
    "/SubmitForm": "a form that sends what is typed to a web address",
    "/RichMediaExecute": "embedded media that runs",
}
_EMBEDDED = frozenset({"/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"})


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
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        if reader.encrypted:
            return "encrypted parts"
        refs: set[generic.Reference] = set()
        for revision in range(reader.xrefs.total_revisions):
            refs |= reader.xrefs.explicit_refs_in_revision(revision)
        if len(refs) > MAX_OBJECTS:
            return "more parts than any letter or scan has"
        for ref in refs:
            found = _active_in(reader.get_object(ref))
            if found is not None:
                return found
        return _active_in(reader.trailer)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, RecursionError) as error:
        # PDFium opened it, but its structure could not be walked: it cannot be vouched for.
        log.info("an attached PDF could not be walked: %s", type(error).__name__)
        return "parts that could not be checked"


def _active_in(start: object) -> str | None:
    """Look through one object and the direct objects inside it (not references: each
    indirect object is looked at on its own)."""
    from pyhanko.pdf_utils import generic

    for item in _direct_parts(start, generic):
        if isinstance(item, generic.DictionaryObject):
            keys = {str(key) for key in item}
            if keys & _SCRIPT_KEYS:
                return "a script (JavaScript)"
            if keys & _EMBEDDED or str(item.get("/Type", "")) in _EMBEDDED:
                return "other files inside it"
            action = item.get("/S")
            if isinstance(action, generic.NameObject) and str(action) in _ACTIVE_ACTIONS:
                return _ACTIVE_ACTIONS[str(action)]
    return None


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
