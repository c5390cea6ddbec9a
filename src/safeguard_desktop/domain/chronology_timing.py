"""When a chronology entry happened, and whether it was written down on a later day.

A chronology is in the order things happened, so an action typed in today about a phone
call last week sits last week. A reader must still see that it was written down later
(a record made days afterwards carries less weight than one made at the time), so the
screen and the printed chronology both say "recorded later on ...". The rule lives here
so that both say it about the same entries.

Times come from the case database as ISO 8601 text: ``when`` values are usually the
organisation's local time without a zone; audit-style times (decisions, corrections,
``recorded_at``) are UTC with a zone. Both are compared as local wall-clock time. What
an agency decided is known by its day alone ("2026-11-21"), and is shown without a time.
"""

from __future__ import annotations

from datetime import date, datetime

from .date_words import short_date
from .records import ChronologyEntry


def local_moment(text: str) -> datetime | None:
    """``text`` as a local wall-clock time without a zone; None when it is not a time."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def recorded_later_on(entry: ChronologyEntry) -> date | None:
    """The day ``entry`` was written down, when that was a later day than it happened."""
    happened = local_moment(entry.when)
    recorded = local_moment(entry.recorded_at) if entry.recorded_at else None
    if happened is None or recorded is None:
        return None
    return recorded.date() if recorded.date() > happened.date() else None


def when_words(text: str) -> str:
    """When an entry happened, as "21 Nov 2026, 15:30", or "21 Nov 2026" for a day alone."""
    moment = local_moment(text)
    if moment is None:
        return text
    return short_date(moment.date() if len(text) == 10 else moment)
