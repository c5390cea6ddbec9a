"""holidays.calendars in the frozen build: the calendars the UK's holidays are reckoned in.

installer/safeguard-desktop.spec puts this file in place of the library's own package
__init__, which imports every lunar and lunisolar calendar with its tables. The modules
the UK's calendar uses (holidays.groups.christian and .international, the library's
core) import the Gregorian, Julian and Ethiopian calendars below directly.
"""

from holidays.calendars.gregorian import GREGORIAN_CALENDAR
from holidays.calendars.julian import JULIAN_CALENDAR
from holidays.calendars.julian_revised import JULIAN_REVISED_CALENDAR

__all__ = ["GREGORIAN_CALENDAR", "JULIAN_CALENDAR", "JULIAN_REVISED_CALENDAR"]
