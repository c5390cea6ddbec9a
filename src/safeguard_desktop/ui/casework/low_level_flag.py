"""Home's one line about the low-level concerns log: how many adults have a pattern to
review (the same adult three times in the last 12 months), never who.

It reads the count itself on the worker (services/low_level_concerns.py), when Home is
made (at sign-in) and when an entry is added, so Home needs only to place it. Hidden while
there is nothing to review.
"""

from __future__ import annotations

from safeguard_desktop.services import low_level_concerns
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import MessageLine
from ..worker import Failure


class LowLevelFlag(MessageLine):
    """'Low-level concerns: 1 adult has a pattern to review …', in words and in red."""

    def __init__(self, session: CaseSession, worker: CaseWorker) -> None:
        super().__init__("")
        self.setAccessibleName(self.tr("Low-level concerns to review"))
        self._session = session
        self._worker = worker
        self.count = 0
        worker.changed.connect(self._changed)
        self.read()

    def read(self) -> None:
        if self._session.is_locked:
            return
        self._worker.submit(
            low_level_concerns.patterns_to_review,
            self._session,
            on_done=self._show_count,
            on_error=self._failed,
        )

    def _failed(self, failure: Failure) -> None:
        # Home's own reading says what is wrong with the records; this line stays quiet.
        self.clear_message()

    def _changed(self, changes: Changes) -> None:
        if changes.low_level_concerns:
            self.read()

    def _show_count(self, count: int) -> None:
        self.count = count
        if count <= 0:
            self.clear_message()
            return
        if count == 1:
            sentence = self.tr(
                "Low-level concerns: 1 adult is named three times or more in the last 12 "
                "months. Review the pattern under Low-level log."
            )
        else:
            sentence = self.tr(
                "Low-level concerns: {n} adults are named three times or more in the last "
                "12 months. Review the patterns under Low-level log."
            ).format(n=count)
        self.show_error(sentence)
