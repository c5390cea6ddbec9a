"""Text checks on the largest fields: the factual-language matcher and the concern gate.

The recording form underlines opinion words as the volunteer types, in a field of up
to 100,000 characters, so the matcher must stay far below a keystroke's budget. Issue
3's target: at most 20 ms for 100,000 characters, both for ordinary prose and for text
built to keep a regular expression busy. Checking a whole concern of half a million
characters (every long field full) should take well under half a second.

    uv run python benchmarks/bench_text_checks.py [--runs 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
from datetime import datetime

from timing import percentile, timed

from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.factual_language import find_opinions

FILLER = (
    "at half past three I saw a bruise on her arm she said her dad grabbed her "
    "I think it probably hurt she seemed quiet and clearly upset"
)
LONG_FIELDS = ("observed", "child_words", "presentation", "others_present", "actions_taken")


def _texts() -> dict[str, str]:
    words = FILLER.split()
    rng = random.Random(3)
    prose = " ".join(rng.choice(words) for _ in range(25_000))[:100_000]
    awkward = ("i i as as seem must " * 5_000)[:100_000]
    return {"matcher, prose (100,000 chars)": prose, "matcher, adversarial": awkward}


def _concern() -> dict[str, object]:
    data: dict[str, object] = {
        "children": [{"name": "Amelia Kowalska", "date_of_birth": "2015-03-02"}],
        "occurred_at": "2026-11-20T15:30:00",
        "categories": ["physical_abuse"],
        "immediate_danger": False,
    }
    for field in LONG_FIELDS:
        data[field] = "Zażółć gęślą jaźń, 王小明 👧🏽\n" * 3_500
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rows: list[tuple[str, list[float], float]] = []
    for name, text in _texts().items():
        rows.append(
            (name, [timed(lambda t=text: find_opinions(t))[0] for _ in range(args.runs)], 20)
        )
    data, now = _concern(), datetime.now()
    rows.append(
        (
            "concern gate, 500,000 chars",
            [timed(lambda: Concern.from_json(data, now=now))[0] for _ in range(args.runs)],
            500,
        )
    )
    print(f"{'what':34} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'target':>8}")
    for name, times, target in rows:
        print(
            f"{name:34} {statistics.median(times):10.1f} {percentile(times, 0.95):8.1f}"
            f" {max(times):8.1f} {'<= ' + str(target):>8}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
