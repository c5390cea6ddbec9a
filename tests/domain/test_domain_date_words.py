"""Dates are written in English (UK) words on every screen and PDF, whatever the locale."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from foreign_locale import polish_time_locale
from safeguard_desktop.domain.date_words import day_with_weekday, long_date, short_date
from safeguard_desktop.pdf.signature_stamp import _when_words


def test_dates_in_words_ignore_the_computers_language(tmp_path: Path) -> None:
    moment = datetime(2015, 3, 2, 14, 5)
    with polish_time_locale(tmp_path):
        assert f"{moment:%B}" != "March"  # the locale really is Polish here
        assert long_date(moment.date()) == "2 March 2015"
        assert long_date(moment) == "2 March 2015, 14:05"
        assert short_date(moment.date()) == "2 Mar 2015"
        assert short_date(moment) == "2 Mar 2015, 14:05"
        assert day_with_weekday(date(2026, 3, 2)) == "Monday 2 March 2026"
        # The visible signature box: pyHanko formats the time, we put it in words.
        stamp = datetime(2026, 12, 2, 7, 30, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S%z")
        assert _when_words(stamp) == "2 December 2026, 07:30 UTC"
    assert long_date(None) == ""
