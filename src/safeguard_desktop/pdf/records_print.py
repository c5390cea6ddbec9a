"""What a printed copy of a child's records shows (:class:`RecordsPrint`), apart from the
printing: the subject access response and its appendix are made of these.

The services fill one in, with every word already decided (taken out, withheld), without
importing reportlab; :mod:`.records_document` draws it when a PDF is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PrintedItem:
    """One record: a heading ("Concern C-7K3M, 3 March 2026") and its lines of text."""

    heading: str
    lines: tuple[str, ...]
    # PNG or JPEG pictures printed below the lines, each scaled to fit the page (an
    # attached picture, or the pages of an attached PDF drawn as pictures).
    pictures: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class PrintedSection:
    title: str
    items: tuple[PrintedItem, ...]
    empty: str = "Nothing here."


@dataclass(frozen=True)
class RecordsPrint:
    """A whole document, in the words to print."""

    title: str  # also the PDF's metadata title: never a child's name
    organisation: str
    subject: str  # whose records (the child's name), printed on every page
    intro: tuple[str, ...]
    sections: tuple[PrintedSection, ...]
    printed_at: datetime  # local time
    printed_by: str
