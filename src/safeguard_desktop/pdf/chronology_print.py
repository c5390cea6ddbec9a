"""What a printed chronology shows (:class:`ChronologyPrint`), apart from the printing.

The services fill one in without importing reportlab; :mod:`.chronology_document`,
which draws it with reportlab, is imported only when a PDF is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..domain.records import ChronologyEntry


@dataclass(frozen=True)
class ChronologyPrint:
    """Everything the printed chronology shows, already in the words to print."""

    organisation: str
    child_name: str
    date_of_birth: date | None
    approximate_age: int | None
    group: str
    other_names: str
    case_owner: str  # a person's name, or "" for nobody yet
    risk_level: str  # the level's label, e.g. "High"
    entries: tuple[ChronologyEntry, ...]  # in date order; ``by`` holds people's names
    printed_at: datetime  # local time
    printed_by: str
