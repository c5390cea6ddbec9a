"""Counting concerns for governors and committees: by category, per month and per term.

Reports are anonymised by construction: they are built from (month, category, count)
triples only, so no name or record text can reach them.

Terms follow the usual English school year: autumn (September to December), spring
(January to March) and summer (April to August). Term dates differ between local
authorities and Easter moves; month-level terms are what a governors' report needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .categories import CATEGORIES
from .child_status import StatusKind
from .date_words import MONTHS


@dataclass(frozen=True)
class Period:
    key: str  # sortable: "2026-11" for a month, "2026-27 autumn" style for a term
    label: str  # "November 2026", "Autumn term 2026"


@dataclass(frozen=True)
class CategoryReport:
    """Counts per period and category; periods oldest first, categories in list order."""

    periods: tuple[Period, ...]
    categories: tuple[str, ...]  # category ids with at least one concern
    counts: dict[tuple[str, str], int]  # (period key, category id) -> concerns
    concern_totals: dict[
        str, int
    ]  # period key -> concerns (a concern with two categories counts once)
    # Children's statuses (domain/child_status.py), as (status kind, count) in the kinds'
    # order, counts above nought only: children holding each now, and statuses started
    # between the report's dates. Counts, never names, like the rest.
    statuses_now: tuple[tuple[str, int], ...] = ()
    statuses_started: tuple[tuple[str, int], ...] = ()

    def count(self, period_key: str, category_id: str) -> int:
        return self.counts.get((period_key, category_id), 0)

    def category_total(self, category_id: str) -> int:
        return sum(self.count(p.key, category_id) for p in self.periods)

    @property
    def total(self) -> int:
        return sum(self.concern_totals.values())


def status_counts(counts: Mapping[StatusKind, int]) -> tuple[tuple[str, int], ...]:
    """The counts above nought, in the kinds' order, as :class:`CategoryReport` keeps them."""
    return tuple((kind.value, counts[kind]) for kind in StatusKind if counts.get(kind, 0) > 0)


def status_words(pairs: Iterable[tuple[str, int]]) -> str:
    """ "Child protection plan: 2; Looked after (a child in care): 1", or "None"."""
    words = [f"{StatusKind(kind).label}: {n}" for kind, n in pairs]
    return "; ".join(words) or "None"


def month_period(year: int, month: int) -> Period:
    return Period(f"{year:04d}-{month:02d}", f"{MONTHS[month - 1]} {year}")


def term_period(year: int, month: int) -> Period:
    """The school term a month falls in; the key sorts in time order."""
    if month >= 9:
        return Period(f"{year:04d}-3", f"Autumn term {year}")
    if month <= 3:
        return Period(f"{year:04d}-1", f"Spring term {year}")
    return Period(f"{year:04d}-2", f"Summer term {year}")


def build_report(
    category_months: Iterable[tuple[str, str, int]],
    concern_months: Iterable[tuple[str, int]],
    *,
    by: str = "month",
) -> CategoryReport:
    """A report from (``YYYY-MM``, category id, count) and (``YYYY-MM``, concerns) rows."""
    if by not in ("month", "term"):
        raise ValueError("by must be 'month' or 'term'")
    to_period = month_period if by == "month" else term_period
    periods: dict[str, Period] = {}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    seen: set[str] = set()

    def period_of(month_key: str) -> Period:
        year, month = int(month_key[:4]), int(month_key[5:7])
        period = to_period(year, month)
        periods.setdefault(period.key, period)
        return period

    for month_key, category_id, n in category_months:
        period = period_of(month_key)
        counts[(period.key, category_id)] += n
        seen.add(category_id)
    for month_key, n in concern_months:
        totals[period_of(month_key).key] += n
    order = [c.id for c in CATEGORIES if c.id in seen]
    return CategoryReport(
        periods=tuple(periods[k] for k in sorted(periods)),
        categories=tuple(order),
        counts=dict(counts),
        concern_totals=dict(totals),
    )
