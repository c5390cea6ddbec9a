"""Dates as every PDF prints them, in English whatever the computer's language.

"2 March 2015" (no leading zero, the month in words: no day/month confusion), and
"2 Mar 2015, 14:05" where a column is narrow. Never ``strftime("%B")`` or ``"%b"``:
on Linux and macOS Qt sets the C library's locale from the environment, so those
would print "2 marca 2015" in a referral written in English on a Polish computer.
The month names come from :mod:`..domain.report_chart`, which the report uses too.
"""

from __future__ import annotations

from datetime import date, datetime

from ..domain.report_chart import long_date as _long_day
from ..domain.report_chart import short_label
from ..domain.reporting import month_period


def long_date(value: date | datetime | None) -> str:
    """ "2 March 2015"; with a time, "2 March 2015, 14:05"; "" for None."""
    if value is None:
        return ""
    text = _long_day(value)
    if isinstance(value, datetime):
        text += f", {value:%H:%M}"
    return text


def short_moment(moment: datetime) -> str:
    """ "2 Mar 2015, 14:05", for narrow columns."""
    month = short_label(month_period(moment.year, moment.month))
    return f"{moment.day} {month}, {moment:%H:%M}"
