"""Chronology entries known by their day alone (what an agency decided is dated, not timed):
shown without a time, and placed after everything timed that day."""

from __future__ import annotations

from safeguard_desktop.domain.chronology import in_date_order
from safeguard_desktop.domain.chronology_timing import recorded_later_on, when_words
from safeguard_desktop.domain.records import ChronologyEntry


def _entry(kind: str, when: str, recorded_at: str = "", source_id: int = 1) -> ChronologyEntry:
    return ChronologyEntry(
        when=when, kind=kind, title=kind, summary="", recorded_at=recorded_at, source_id=source_id
    )


def test_a_day_alone_is_shown_without_a_time() -> None:
    assert when_words("2026-11-21") == "21 Nov 2026"
    assert when_words("2026-11-21T15:30:00") == "21 Nov 2026, 15:30"
    assert when_words("not a time") == "not a time"


def test_a_day_alone_comes_after_what_was_timed_that_day() -> None:
    outcome = _entry("outcome", "2026-11-21")
    referral = _entry("referral", "2026-11-21T16:45:00")
    next_morning = _entry("action", "2026-11-22T08:00:00")
    earlier = _entry("concern", "2026-11-20T17:40:00")
    ordered = in_date_order([next_morning, outcome, referral, earlier])
    assert ordered == [earlier, referral, outcome, next_morning]


def test_a_day_written_down_later_says_so() -> None:
    assert recorded_later_on(_entry("outcome", "2026-11-21", "2026-11-24T09:00:00")) is not None
    assert recorded_later_on(_entry("outcome", "2026-11-21", "2026-11-21T12:00:00")) is None
