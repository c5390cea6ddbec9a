"""A child's statuses (a plan, looked after, an EHCP...), and what a new concern means for them.

Every council's referral form, and every social worker reading one, asks first whether
the child is already known: on a child protection plan or a child in need plan (Working
Together 2023, chapter 2), looked after by a local authority (with the virtual school
head who champions their education), on an early help plan, with an education, health
and care plan, a young carer, or privately fostered. Each status has a start date and,
once over, an end date; a child may hold several at once.

Two notices follow on Home when a new concern arrives about a child (:class:`Notice`;
storage/child_status_records.py finds them):

* **open plan: tell the lead professional**: the child is on a plan with a lead
  professional (their social worker, or the early help lead), who must hear of a new
  concern from the school or club rather than at the next review;
* **pattern continuing**: the child has had :data:`PATTERN_CONCERNS` concerns in the same
  category within :data:`PATTERN_WINDOW`, this one included. Three is the count at which
  KCSIE's "low-level concerns add up" and most safeguarding systems' chronology alerts
  fire; twelve months is the span a chronology is usually read over. ``other`` is left
  out: concerns put there have nothing in common but the word.

Each ``checked`` constructor is the one gate: the app, the command line and any other
caller are refused with the same sentences, every gap at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from .date_words import long_date
from .errors import BadInput, IncompleteDecision
from .text import clean_text

PATTERN_CONCERNS = 3
PATTERN_WINDOW = timedelta(days=365)
# Not a pattern, whatever the count: a concern filed under 'other' shares nothing else.
PATTERN_IGNORED_CATEGORIES = frozenset({"other"})

_SHORT = 500
_LONG = 5_000


class StatusKind(StrEnum):
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    CHILD_IN_NEED_PLAN = "child_in_need_plan"
    LOOKED_AFTER = "looked_after"
    EARLY_HELP_PLAN = "early_help_plan"
    EHCP = "ehcp"
    YOUNG_CARER = "young_carer"
    PRIVATELY_FOSTERED = "privately_fostered"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def has_lead_professional(self) -> bool:
        """A plan with a lead professional, who must be told of a new concern."""
        return self in _PLANS


_LABELS = {
    StatusKind.CHILD_PROTECTION_PLAN: "Child protection plan",
    StatusKind.CHILD_IN_NEED_PLAN: "Child in need plan",
    StatusKind.LOOKED_AFTER: "Looked after (a child in care)",
    StatusKind.EARLY_HELP_PLAN: "Early help plan",
    StatusKind.EHCP: "Education, health and care plan (EHCP)",
    StatusKind.YOUNG_CARER: "Young carer",
    StatusKind.PRIVATELY_FOSTERED: "Privately fostered",
}
_PLANS = frozenset(
    {
        StatusKind.CHILD_PROTECTION_PLAN,
        StatusKind.CHILD_IN_NEED_PLAN,
        StatusKind.LOOKED_AFTER,
        StatusKind.EARLY_HELP_PLAN,
    }
)


@dataclass(frozen=True)
class NewStatus:
    """A status as the lead records it."""

    kind: StatusKind
    started_on: date
    lead_professional: str = ""  # the social worker or early help lead, and how to reach them
    virtual_school_contact: str = ""  # looked after: the virtual school head or their team
    review_on: date | None = None  # an early help plan's next review
    note: str = ""

    @classmethod
    def checked(
        cls,
        *,
        kind: object,
        started_on: object,
        lead_professional: object = "",
        virtual_school_contact: object = "",
        review_on: object = None,
        note: object = "",
        today: date,
    ) -> NewStatus:
        problems: list[tuple[str, str]] = []

        def gather(make: Callable[[], str], field: str) -> str:
            try:
                return make()
            except BadInput as error:
                problems.append((error.field or field, error.message))
                return ""

        chosen: StatusKind | None = None
        if str(kind) in StatusKind._value2member_map_:
            chosen = StatusKind(str(kind))
        else:
            problems.append(("kind", "Choose the status: a plan, looked after, an EHCP…"))
        start: date | None = started_on if isinstance(started_on, date) else None
        if start is None:
            problems.append(("started_on", "Give the date it started."))
        elif start > today:
            problems.append(("started_on", "The start date is in the future; please check it."))
        lead = gather(
            lambda: _line(lead_professional, "lead_professional", "The lead professional"),
            "lead_professional",
        )
        virtual_school = gather(
            lambda: _line(
                virtual_school_contact, "virtual_school_contact", "The virtual school contact"
            ),
            "virtual_school_contact",
        )
        text = gather(
            lambda: clean_text(note, "note", max_length=_LONG, label="Note").strip(), "note"
        )
        review: date | None = None
        if review_on is not None and not isinstance(review_on, date):
            problems.append(("review_on", "The review date must be a date."))
        elif isinstance(review_on, date):
            review = review_on
        if chosen is StatusKind.LOOKED_AFTER and not virtual_school:
            problems.append(
                (
                    "virtual_school_contact",
                    "A looked-after child has a virtual school head: say who they are and how "
                    "to reach them.",
                )
            )
        if chosen is StatusKind.EARLY_HELP_PLAN:
            if review is None:
                problems.append(("review_on", "An early help plan needs its next review date."))
            elif review < today:
                problems.append(("review_on", "The review date cannot be in the past."))
        elif review is not None:
            review = None  # only an early help plan's review is followed up here
        if problems:
            raise IncompleteDecision(problems)
        assert chosen is not None and start is not None
        return cls(
            kind=chosen,
            started_on=start,
            lead_professional=lead,
            virtual_school_contact=virtual_school,
            review_on=review,
            note=text,
        )


def checked_end(started_on: date, ended_on: object, *, today: date) -> date:
    """The date a status ended: a date, not before it started, not in the future."""
    if not isinstance(ended_on, date):
        raise BadInput("Give the date it ended.", "ended_on")
    if ended_on > today:
        raise BadInput("The end date is in the future; please check it.", "ended_on")
    if ended_on < started_on:
        raise BadInput("The end date is before the start date; please check it.", "ended_on")
    return ended_on


@dataclass(frozen=True)
class StatusRecord:
    status_id: int
    child_id: int
    status: NewStatus
    recorded_at: str
    recorded_by: str
    ended_on: date | None = None
    ended_by: str | None = None

    @property
    def kind(self) -> StatusKind:
        return self.status.kind

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def words(self) -> str:
        """One line, as a referral and the child's page print it."""
        parts = [f"{self.kind.label}, from {long_date(self.status.started_on)}"]
        if self.ended_on is not None:
            parts[0] += f" to {long_date(self.ended_on)}"
        if self.status.lead_professional:
            parts.append(f"lead professional: {self.status.lead_professional}")
        if self.status.virtual_school_contact:
            parts.append(f"virtual school: {self.status.virtual_school_contact}")
        if self.status.review_on is not None and self.is_current:
            parts.append(f"next review {long_date(self.status.review_on)}")
        return "; ".join(parts)


class Notice(StrEnum):
    """What Home says about a new concern, given the child's statuses and history."""

    OPEN_PLAN = "open_plan"
    PATTERN = "pattern"

    @property
    def label(self) -> str:
        return {
            Notice.OPEN_PLAN: "Open plan: tell the lead professional",
            Notice.PATTERN: "Pattern continuing",
        }[self]


def pattern_window_start(occurred_on: date) -> date:
    """The first day counted towards a pattern for a concern on ``occurred_on``."""
    return occurred_on - PATTERN_WINDOW + timedelta(days=1)


def repeated_categories(
    occurred_at: datetime,
    categories: Iterable[str],
    others: Iterable[tuple[datetime, Iterable[str]]],
) -> tuple[str, ...]:
    """The categories of a concern that happened at ``occurred_at`` that continue a pattern.

    ``others`` holds the child's other concerns (when each happened, its categories), any
    date: those after this concern, or before the window's first day, do not count.
    storage/child_status_records.py asks the same of the database.
    """
    start = pattern_window_start(occurred_at.date())
    counts = {c: 1 for c in categories if c not in PATTERN_IGNORED_CATEGORIES}
    for when, theirs in others:
        if start <= when.date() and when <= occurred_at:
            for category in set(theirs):
                if category in counts:
                    counts[category] += 1
    return tuple(sorted(c for c, n in counts.items() if n >= PATTERN_CONCERNS))


@dataclass(frozen=True)
class ConcernNotice:
    """One notice on Home: a concern, a child, what is to be done."""

    notice: Notice
    concern_ref: str
    concern_id: int
    child_id: int
    child_name: str
    # Open plan: the plans and their lead professionals; pattern: the categories.
    about: tuple[str, ...]


def _line(value: object, field: str, label: str) -> str:
    return clean_text(value, field, max_length=_SHORT, multiline=False, label=label).strip()
