"""Working days: weekdays that are not a bank holiday in the organisation's UK nation.

Deadlines in the guidance run in working days: children's social care decides on a
referral within one working day (Working Together to Safeguard Children 2023, chapter
2), and an allegation about an adult goes to the LADO within one working day (Keeping
Children Safe in Education, Part 4). England, Wales, Scotland and Northern Ireland keep
different bank holidays (St Andrew's Day, St Patrick's Day, the Battle of the Boyne, the
2nd of January in Scotland, Easter Monday not in Scotland), so the organisation says
which nation it is in (Settings; England unless changed).

The bank holidays come from the maintained ``holidays`` library (its United Kingdom
calendar, with each nation as a subdivision), which follows each year's proclamations
(a coronation, a jubilee, a royal funeral) as they are made. It is imported on first
use: importing it takes most of a second, and most runs of the program never need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from .errors import BadInput


class Nation(StrEnum):
    """The UK nation whose bank holidays the organisation keeps."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"

    @property
    def label(self) -> str:
        return {
            Nation.ENGLAND: "England",
            Nation.WALES: "Wales",
            Nation.SCOTLAND: "Scotland",
            Nation.NORTHERN_IRELAND: "Northern Ireland",
        }[self]

    @property
    def subdivision(self) -> str:
        """The nation's code in the holidays library's United Kingdom calendar (ISO 3166-2:GB)."""
        return {
            Nation.ENGLAND: "ENG",
            Nation.WALES: "WLS",
            Nation.SCOTLAND: "SCT",
            Nation.NORTHERN_IRELAND: "NIR",
        }[self]


def parse_nation(value: object) -> Nation:
    """A nation from its id; BadInput naming the field otherwise."""
    try:
        return Nation(str(value))
    except ValueError:
        raise BadInput("Choose England, Wales, Scotland or Northern Ireland.", "nation") from None


@lru_cache(maxsize=64)
def bank_holidays(nation: Nation, year: int) -> dict[date, str]:
    """The nation's bank holidays in ``year`` (a substitute day when one falls at a
    weekend included), each with its name."""
    # Imported here, not at the top: it takes most of a second (see the docstring).
    from holidays.countries.united_kingdom import UnitedKingdom

    calendar = UnitedKingdom(  # type: ignore[no-untyped-call]  # its __init__ takes **kwargs
        subdiv=nation.subdivision, years=year, language="en_GB"
    )
    return dict(calendar.items())


@dataclass(frozen=True)
class WorkingDays:
    """Counting working days for one nation."""

    nation: Nation = Nation.ENGLAND

    def bank_holiday(self, day: date) -> str | None:
        """The bank holiday's name if ``day`` is one in this nation, else None."""
        return bank_holidays(self.nation, day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.bank_holiday(day) is None

    def next(self, day: date) -> date:
        """The first working day after ``day``."""
        return self.add(day, 1)

    def add(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``count`` at least 1): one working
        day after a Friday is Monday, or Tuesday when Monday is a bank holiday."""
        if count < 1:
            raise ValueError("count working days from 1")
        found = 0
        following = day
        while found < count:
            following += timedelta(days=1)
            if self.is_working_day(following):
                found += 1
        return following
