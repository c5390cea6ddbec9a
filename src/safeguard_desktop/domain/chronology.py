"""Chronology rules: date order, and spotting repeated concerns.

A single concern can look minor; three in a month tell a different story. The rule
here marks every concern that falls in a run of at least ``REPEAT_COUNT`` concerns
within ``REPEAT_WINDOW_DAYS`` days, so the chronology can highlight the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time

from .records import ChronologyEntry

REPEAT_COUNT = 3
REPEAT_WINDOW_DAYS = 30

# Same-moment entries keep a readable order: what happened, then what was done about it.
_KIND_ORDER = {
    "concern": 0,
    "amendment": 1,
    "action": 2,
    "decision": 3,
    "referral": 4,
    "acknowledgement": 5,
    "outcome": 6,
    "escalation": 7,
    "follow_up": 8,
}


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def _sort_moment(text: str) -> datetime:
    """Where an entry sorts: a day with no time (an agency's outcome is known by its
    date) after everything timed that day, since it was known only by the day's end."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time.max)
    return _moment(text)


def in_date_order(entries: Sequence[ChronologyEntry]) -> list[ChronologyEntry]:
    """Oldest first by when things happened; a backdated entry falls into its place."""
    return sorted(
        entries,
        key=lambda e: (
            _sort_moment(e.when), _KIND_ORDER.get(e.kind, 9), e.recorded_at, e.source_id
        ),
    )  # fmt: skip


def repeated_concerns(
    moments: Sequence[datetime],
    *,
    count: int = REPEAT_COUNT,
    window_days: int = REPEAT_WINDOW_DAYS,
) -> set[int]:
    """Indexes into ``moments`` that belong to ``count`` or more within ``window_days``."""
    order = sorted(range(len(moments)), key=lambda i: moments[i])
    flagged: set[int] = set()
    start = 0
    for end in range(len(order)):
        while (moments[order[end]] - moments[order[start]]).total_seconds() > window_days * 86400:
            start += 1
        if end - start + 1 >= count:
            flagged.update(order[start : end + 1])
    return flagged


def mark_repeats(entries: Sequence[ChronologyEntry]) -> list[ChronologyEntry]:
    """``entries`` in date order, with concerns in a repeated run marked ``repeated``."""
    ordered = in_date_order(entries)
    concern_rows = [i for i, e in enumerate(ordered) if e.kind == "concern"]
    flagged = repeated_concerns([_moment(ordered[i].when) for i in concern_rows])
    marked = {concern_rows[i] for i in flagged}
    return [replace(e, repeated=True) if i in marked else e for i, e in enumerate(ordered)]
