"""Dates in words, in English (UK) whatever the computer's language, for every screen and PDF.

"2 March 2015" (no leading zero and the month in words: no day/month confusion),
"2 Mar 2015, 14:05" where a column is narrow, "Monday 3 March 2026" where a date is
said. Never ``strftime("%B")``, ``"%b"`` or ``"%A"``: on Linux and macOS Qt sets the C
library's locale from the environment, so those would print "2 marca 2015" in an
English referral, or a Polish month on an English screen, on a Polish computer.
"""

from __future__ import annotations

from datetime import date, datetime

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
SHORT_MONTHS = tuple(month[:3] for month in MONTHS)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _clock(value: date | datetime) -> str:
    return f", {value:%H:%M}" if isinstance(value, datetime) else ""


def long_date(value: date | datetime | None) -> str:
    """ "2 March 2015"; with a time, "2 March 2015, 14:05"; "" for None."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}{_clock(value)}"


def short_date(value: date | datetime) -> str:
    """ "2 Mar 2015"; with a time, "2 Mar 2015, 14:05": for narrow columns."""
    return f"{value.day} {SHORT_MONTHS[value.month - 1]} {value.year}{_clock(value)}"


def day_with_weekday(day: date) -> str:
    """ "Monday 3 March 2026"."""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"


def local(moment: datetime) -> datetime:
    """``moment`` in this computer's local time, naive (naive input already is)."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment
