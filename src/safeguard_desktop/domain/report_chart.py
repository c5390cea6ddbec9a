"""What the category report's chart shows, shared by the app's chart and the PDF.

Kept here (plain data, no Qt, no reportlab) so that the bar chart in the window and
the chart in the governors' PDF show the same periods, the same series in the same
colours, and the same short labels: a governor comparing the two sees one picture.

Three choices made here:

* **Every period in the range is shown**, including those with no concerns. "No
  concerns in October" is information for governors, and a gap in the axis would
  hide it (the database only returns months that have concerns).
* **At most eight series.** The Okabe–Ito palette has eight colours that people with
  any common colour-vision deficiency can tell apart. When more categories than that
  appear, the seven largest keep their own bar and the rest share one "Smaller
  categories together" bar; the table beside the chart (and in the PDF) has every category.
* **Colours follow the order of the series**, so the largest categories get the
  strongest, most distinct colours; yellow and black come last.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from .categories import category
from .date_words import SHORT_MONTHS
from .reporting import CategoryReport, Period, month_period, term_period

# Okabe & Ito (2008), "Color Universal Design": distinguishable with protanopia,
# deuteranopia and tritanopia. Ordered so that neighbouring bars contrast strongly.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermilion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow (bars are outlined, so it still shows on white)
    "#000000",  # black
)
MAX_SERIES = len(PALETTE)
OTHERS_LABEL = "Smaller categories together"

_TERM_NAMES = {"1": "Spring", "2": "Summer", "3": "Autumn"}


@dataclass(frozen=True)
class ChartSeries:
    """One bar per period: a category (or the rest together), its colour and counts."""

    label: str
    colour: str  # "#RRGGBB"
    values: tuple[int, ...]  # one per period of the report, in order

    @property
    def total(self) -> int:
        return sum(self.values)


def is_term_key(key: str) -> bool:
    """True for a term period key ("2026-3"), False for a month ("2026-11")."""
    return len(key) == 6


def short_label(period: Period) -> str:
    """A label that fits under a bar: "Nov 2026", "Autumn 2026"."""
    year, part = period.key.split("-")
    if is_term_key(period.key):
        return f"{_TERM_NAMES[part]} {year}"
    return f"{SHORT_MONTHS[int(part) - 1]} {year}"


def periods_between(by: str, date_from: date, date_to: date) -> list[Period]:
    """Every month or term that ``date_from``..``date_to`` touches, oldest first."""
    if by not in ("month", "term"):
        raise ValueError("by must be 'month' or 'term'")
    to_period = month_period if by == "month" else term_period
    found: dict[str, Period] = {}
    year, month = date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        period = to_period(year, month)
        found.setdefault(period.key, period)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [found[key] for key in sorted(found)]


def with_every_period(
    report: CategoryReport, by: str, date_from: date, date_to: date
) -> CategoryReport:
    """``report`` with the periods that had no concerns added, as zero."""
    periods = {p.key: p for p in periods_between(by, date_from, date_to)}
    for period in report.periods:  # keep any the query returned outside the range
        periods.setdefault(period.key, period)
    return CategoryReport(
        periods=tuple(periods[key] for key in sorted(periods)),
        categories=report.categories,
        counts=dict(report.counts),
        concern_totals={key: report.concern_totals.get(key, 0) for key in sorted(periods)},
    )


def chart_series(report: CategoryReport, max_series: int = MAX_SERIES) -> list[ChartSeries]:
    """The bars to draw: largest category first, the smallest merged past ``max_series``."""
    keys = [p.key for p in report.periods]
    ranked = sorted(
        report.categories,
        # Largest first; ties keep the categories' own order, so the result is stable.
        key=lambda cid: (-report.category_total(cid), report.categories.index(cid)),
    )
    own = ranked if len(ranked) <= max_series else ranked[: max_series - 1]
    rest = [cid for cid in ranked if cid not in own]
    series = [
        ChartSeries(
            category(cid).label,
            PALETTE[index],
            tuple(report.count(key, cid) for key in keys),
        )
        for index, cid in enumerate(own)
    ]
    if rest:
        series.append(
            ChartSeries(
                OTHERS_LABEL,
                PALETTE[len(own)],
                tuple(sum(report.count(key, cid) for cid in rest) for key in keys),
            )
        )
    return series


def nice_step(top: int, most_lines: int = 6) -> int:
    """A whole-number gridline step giving at most ``most_lines`` lines up to ``top``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= most_lines:
            return step
    return int(10 ** len(str(top)))


def axis_top(top: int) -> tuple[int, int]:
    """(axis maximum, step): room above the tallest bar for the number printed on it."""
    step = nice_step(max(top, 1))
    return step * math.ceil((max(top, 1) + 0.5) / step), step


def school_year_start(day: date) -> date:
    """1 September of the school year ``day`` falls in."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def last_school_year(day: date) -> tuple[date, date]:
    """1 September to 31 August of the school year before the one ``day`` is in."""
    start = school_year_start(day)
    return date(start.year - 1, 9, 1), date(start.year, 8, 31)


def last_twelve_months(day: date) -> tuple[date, date]:
    """The first of the month eleven months back, to ``day``: twelve whole months' bars."""
    year, month = (day.year, day.month - 11) if day.month == 12 else (day.year - 1, day.month + 1)
    return date(year, month, 1), day


def school_year_name(date_from: date, date_to: date) -> str | None:
    """ "2025-26" when the range lies within one school year starting 1 September."""
    start = school_year_start(date_from)
    if date_from != start or date_to > date(start.year + 1, 8, 31) or date_to < date_from:
        return None
    return f"{start.year}-{(start.year + 1) % 100:02d}"
