"""Working days: weekends and the bank holidays of the organisation's UK nation skipped
(domain/working_days.py, the holidays library's UK calendar)."""

from __future__ import annotations

from datetime import date

import pytest

from safeguard_desktop.domain.working_days import Nation, WorkingDays


def test_working_days_skip_weekends_and_each_nations_bank_holidays() -> None:
    england, scotland = WorkingDays(Nation.ENGLAND), WorkingDays(Nation.SCOTLAND)
    wales, northern_ireland = WorkingDays(Nation.WALES), WorkingDays(Nation.NORTHERN_IRELAND)
    assert england.next(date(2026, 12, 4)) == date(2026, 12, 7)  # Friday -> Monday
    # Easter 2026: Good Friday 3 April everywhere; Easter Monday 6 April, not in Scotland.
    assert england.next(date(2026, 4, 2)) == date(2026, 4, 7)
    assert wales.next(date(2026, 4, 2)) == date(2026, 4, 7)
    assert scotland.next(date(2026, 4, 2)) == date(2026, 4, 6)
    # St Patrick's Day (Tuesday 17 March 2026) in Northern Ireland only.
    assert northern_ireland.next(date(2026, 3, 16)) == date(2026, 3, 18)
    assert england.next(date(2026, 3, 16)) == date(2026, 3, 17)
    # 2 January in Scotland only; Christmas on a Friday, Boxing Day's substitute Monday.
    assert scotland.next(date(2026, 1, 1)) == date(2026, 1, 5)
    assert england.next(date(2026, 1, 1)) == date(2026, 1, 2)
    assert {n.next(date(2026, 12, 24)) for n in (england, scotland, wales)} == {date(2026, 12, 29)}
    assert england.add(date(2026, 12, 24), 3) == date(2026, 12, 31)
    assert england.bank_holiday(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert england.bank_holiday(date(2026, 12, 29)) is None
    with pytest.raises(ValueError):
        england.add(date(2026, 12, 24), 0)
