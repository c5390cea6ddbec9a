"""The increasing delay after failed sign-ins.

The first two mistakes cost nothing (Caps Lock happens); after that each
failure doubles the wait, up to five minutes. The count lives in inbox.db so
restarting the program does not reset it.
"""

from __future__ import annotations

import time

FREE_ATTEMPTS = 2
MAX_DELAY_SECONDS = 300.0


def delay_after(failures: int) -> float:
    if failures <= FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY_SECONDS, 2.0 ** (failures - FREE_ATTEMPTS))


def seconds_left(failures: int, last_at: float, now: float | None = None) -> float:
    now = time.time() if now is None else now
    return max(0.0, last_at + delay_after(failures) - now)
