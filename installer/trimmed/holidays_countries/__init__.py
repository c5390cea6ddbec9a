"""holidays.countries in the frozen build: the United Kingdom only.

installer/safeguard-desktop.spec puts this file in place of the library's own package
__init__, which imports every one of its 250 countries. The app reads only the UK's
bank holidays (domain/working_days.py); the names are the ones the library's own
__init__ gives for the UK.
"""

from holidays.countries.united_kingdom import GB, GBR, UK, UnitedKingdom

__all__ = ["GB", "GBR", "UK", "UnitedKingdom"]
