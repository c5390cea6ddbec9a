"""How every benchmark times a call and reports it: milliseconds, median and p95.

One definition of the percentile, so that "p95" means the same in every benchmark's
table and in the README: the nearest rank, without interpolation (the smallest value
with at least 95 % of the runs at or below it; with 7 runs, the slowest).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """``fn()``'s result and how long it took, in milliseconds."""
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values`` (``fraction`` 0.95 for p95)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
