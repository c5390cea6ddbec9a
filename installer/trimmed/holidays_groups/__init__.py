"""holidays.groups in the frozen build: the groups of holidays the UK's calendar uses.

installer/safeguard-desktop.spec puts this file in place of the library's own package
__init__, which imports every group (Buddhist, Chinese, Hebrew, Hindu, Islamic...) and
so every lunar calendar. The United Kingdom's calendar (holidays.countries
.united_kingdom) takes the three below.
"""

from holidays.groups.christian import ChristianHolidays
from holidays.groups.custom import StaticHolidays
from holidays.groups.international import InternationalHolidays

__all__ = ["ChristianHolidays", "InternationalHolidays", "StaticHolidays"]
