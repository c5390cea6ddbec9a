"""Low-level concerns about adults: what one holds, the pattern rule, the retention rule.

Keeping children safe in education (KCSIE), Part four, section two: a low-level concern
is any concern, however small, that an adult working in or on behalf of the school or
college may have acted in a way inconsistent with the staff code of conduct, or not
appropriate, and that does not meet the harm threshold (section one, the LADO's). They
are recorded in writing (the concern, who it is about, the context, the action taken),
kept confidential and apart from children's files, and reviewed so that potential
patterns of concerning, problematic or inappropriate behaviour are identified.

So the log is its own record: no child is linked to it, no chronology, child export or
referral reads it (services/low_level_concerns.py), and only accounts that hold the
database key (a DSL, or an administrator: the head or chair) can open it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .children import name_key
from .date_words import long_date
from .errors import BadInput, IncompleteDecision
from .text import clean_name, clean_text

# The same adult this many times is a pattern to review (the issue: "three times").
PATTERN_COUNT = 3
# Counted over a rolling 12 months ending today, not "ever". A low-level concern is
# minor by definition; three of them close together is behaviour repeating now, which
# the guidance asks the lead to act on. Counted "ever", three unrelated slips over a
# long career would mark an adult for good (the log is kept for years, below), and a
# flag that never clears stops being read. Older concerns stay in the log, and each
# adult's total is shown beside the count for the last 12 months.
PATTERN_WINDOW = timedelta(days=365)

# Retention. KCSIE (Part four, section two, "Recording low-level concerns") leaves the
# period to the organisation and recommends keeping the records "at least until the
# individual leaves their employment". The app does not know when an adult leaves, so
# each entry falls due for a retention review six years after the concern: the period
# most schools' and clubs' retention schedules already keep a leaver's personnel
# records for (the six years of the Limitation Act 1980 for claims), and long enough
# for patterns across years to be seen. At the review the lead deletes it only if the
# adult has left; while they still work or volunteer here it is kept. Nothing is
# deleted automatically.
RETENTION_YEARS = 6

MAX_ROLE_LENGTH = 200


@dataclass(frozen=True)
class LowLevelConcern:
    """What a lead records: when, about whom, what happened, what was done."""

    occurred_on: date
    adult_name: str
    adult_role: str
    what_happened: str
    action_taken: str


def problems(entry: LowLevelConcern, today: date) -> list[tuple[str, str]]:
    """Every gap or fault, each with its field, in the order the form asks them."""
    found: list[tuple[str, str]] = []
    if entry.occurred_on > today:
        found.append(("occurred_on", "The date cannot be in the future."))
    checks: tuple[tuple[str, Callable[[], str]], ...] = (
        ("adult_name", lambda: clean_name(entry.adult_name, "adult_name", label="The adult")),
        (
            "adult_role",
            lambda: clean_text(
                entry.adult_role,
                "adult_role",
                max_length=MAX_ROLE_LENGTH,
                multiline=False,
                required=True,
                label="Their role",
            ),
        ),
        (
            "what_happened",
            lambda: clean_text(
                entry.what_happened, "what_happened", required=True, label="What happened"
            ),
        ),
        (
            "action_taken",
            lambda: clean_text(
                entry.action_taken, "action_taken", required=True, label="What was done"
            ),
        ),
    )
    for field, check in checks:
        try:
            check()
        except BadInput as err:
            found.append((field, str(err)))
    return found


def checked(entry: LowLevelConcern, today: date) -> LowLevelConcern:
    """``entry`` with the name's surrounding spaces trimmed, or IncompleteDecision
    naming every gap at once."""
    found = problems(entry, today)
    if found:
        raise IncompleteDecision(found)
    return LowLevelConcern(
        occurred_on=entry.occurred_on,
        adult_name=entry.adult_name.strip(),
        adult_role=entry.adult_role.strip(),
        what_happened=entry.what_happened,
        action_taken=entry.action_taken,
    )


@dataclass(frozen=True)
class StoredLowLevelConcern:
    """One entry of the log as stored, with who recorded it and when."""

    entry_id: int
    concern: LowLevelConcern
    recorded_at: datetime
    recorded_by: str  # user name
    recorded_by_name: str  # their name when they recorded it

    @property
    def adult_key(self) -> str:
        return adult_key(self.concern.adult_name)

    @property
    def review_due(self) -> date:
        return review_due(self.concern.occurred_on)


def adult_key(name: str) -> str:
    """Who an entry is about, for counting: the name with case, accents and spacing
    folded ("Sam  O'Neil" and "sam o'neil" are one adult)."""
    return name_key(name)


def review_due(occurred_on: date) -> date:
    """When an entry falls due for its retention review (RETENTION_YEARS after it)."""
    try:
        return occurred_on.replace(year=occurred_on.year + RETENTION_YEARS)
    except ValueError:  # 29 February, in a year that has none
        return occurred_on.replace(year=occurred_on.year + RETENTION_YEARS, day=28)


@dataclass(frozen=True)
class AdultSummary:
    """One adult the log names: how often, lately and in all, and whether that is a
    pattern to review."""

    key: str
    name: str  # as written in their newest entry
    role: str
    in_window: int
    total: int
    last_on: date

    @property
    def pattern(self) -> bool:
        return self.in_window >= PATTERN_COUNT


def summarise(entries: Iterable[StoredLowLevelConcern], today: date) -> list[AdultSummary]:
    """Each adult the log names, patterns first, then the most recent."""
    grouped: dict[str, list[StoredLowLevelConcern]] = {}
    for entry in entries:
        grouped.setdefault(entry.adult_key, []).append(entry)
    start = today - PATTERN_WINDOW
    summaries = []
    for key, items in grouped.items():
        newest = max(items, key=lambda e: (e.concern.occurred_on, e.entry_id))
        summaries.append(
            AdultSummary(
                key=key,
                name=newest.concern.adult_name,
                role=newest.concern.adult_role,
                in_window=sum(1 for e in items if start < e.concern.occurred_on <= today),
                total=len(items),
                last_on=newest.concern.occurred_on,
            )
        )
    summaries.sort(key=lambda s: (not s.pattern, -s.last_on.toordinal(), s.name.casefold()))
    return summaries


def patterns(entries: Sequence[StoredLowLevelConcern], today: date) -> list[AdultSummary]:
    """The adults with PATTERN_COUNT or more entries in the rolling PATTERN_WINDOW."""
    return [s for s in summarise(entries, today) if s.pattern]


def check_deletable(entry: StoredLowLevelConcern, today: date, *, adult_has_left: bool) -> None:
    """Refuse, with a sentence, to delete an entry the retention rule still keeps: before
    its review date, or while the adult still works or volunteers here."""
    due = entry.review_due
    if due > today:
        raise BadInput(
            f"This entry is kept until its review on {long_date(due)}; it cannot be deleted "
            "before then.",
            "entry",
        )
    if not adult_has_left:
        raise BadInput(
            "An entry is deleted at its review only if the adult no longer works or "
            "volunteers here; while they do, it is kept.",
            "adult_has_left",
        )
