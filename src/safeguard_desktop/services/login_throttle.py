"""The increasing delay after failed sign-ins.

The first two mistakes cost nothing (Caps Lock happens); after that each
failure doubles the wait, up to five minutes. The count lives in inbox.db so
restarting the program does not reset it.

Anyone who can write to the data folder can also delete that row, so where the OS
credential store is usable a second copy of the count is kept there, and the larger
of the two counts (security/device_secret.py's notes; without a credential store,
inbox.db alone). A last failure dated in the future (an edited row, a clock that was
wrong) is taken as now and written back, so it delays by the usual five minutes at
most, never until that date.
"""

from __future__ import annotations

import json
import math
import time

from ..security import device_secret
from ..storage.sealed_inbox import SealedInbox

FREE_ATTEMPTS = 2
MAX_DELAY_SECONDS = 300.0
# 2 ** 9 s is past the maximum already; an edited count of a million must not overflow.
_MAX_DOUBLINGS = 9


def delay_after(failures: int) -> float:
    if failures <= FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY_SECONDS, 2.0 ** min(failures - FREE_ATTEMPTS, _MAX_DOUBLINGS))


def seconds_left(failures: int, last_at: float, now: float | None = None) -> float:
    now = time.time() if now is None else now
    return max(0.0, min(last_at, now) + delay_after(failures) - now)


def _note_name(name: str) -> str:
    return f"sign-in failures:{name.casefold()}"


def _sane(failures: object, last_at: object) -> tuple[int, float]:
    """(failures, last_at) as numbers a delay can be worked out from; (0, 0.0) if not."""
    if not isinstance(failures, int) or not isinstance(last_at, int | float):
        return 0, 0.0
    when = float(last_at)
    return max(0, failures), (0.0 if math.isnan(when) else when)


class FailureCounts:
    """Failed sign-ins per account name: inbox.db, and the OS credential store's copy."""

    def __init__(self, inbox: SealedInbox, vault_id: str) -> None:
        self.inbox = inbox
        self.vault_id = vault_id

    def _kept(self, name: str) -> tuple[int, float]:
        note = device_secret.read_note(self.vault_id, _note_name(name))
        if note is None:
            return 0, 0.0
        try:
            data = json.loads(note)
            return _sane(data["failures"], data["last_at"])
        except (ValueError, TypeError, KeyError):
            return 0, 0.0

    def _keep(self, name: str, failures: int, last_at: float) -> None:
        note = json.dumps({"failures": failures, "last_at": last_at})
        device_secret.write_note(self.vault_id, _note_name(name), note)

    def current(self, name: str) -> tuple[int, float]:
        """(failures, when the last was): the larger count of the two copies, never later
        than now (a future time found is brought back to now in both copies)."""
        in_folder = _sane(*self.inbox.failures(name))
        kept = self._kept(name)
        failures = max(in_folder[0], kept[0])
        last_at = max(in_folder[1], kept[1])
        now = time.time()
        if last_at > now:
            self.inbox.clamp_failure_time(name, now)
            if kept[1] > now:
                self._keep(name, kept[0], now)
            last_at = now
        return failures, last_at

    def seconds_left(self, name: str) -> float:
        return seconds_left(*self.current(name))

    def record(self, name: str) -> int:
        """Count one more failure in both copies; returns the count."""
        failures = self.inbox.record_failure(name, at_least=self._kept(name)[0] + 1)
        self._keep(name, failures, time.time())
        return failures

    def clear(self, name: str) -> None:
        """Forget the failures of ``name`` (after a successful sign-in)."""
        self.inbox.clear_failures(name)
        device_secret.delete_notes(self.vault_id, (_note_name(name),))
