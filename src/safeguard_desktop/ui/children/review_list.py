"""The files due for their retention review: the Children page's second list.

Read on the worker from ``retention.due_for_review`` (one query for every child), soonest
first. Each row says the child's name, the review date, the day of the file's last entry
and whether a legal hold is in force (in words: such a file is listed, so its hold can be
looked at again, but cannot be deleted). Why each date is the child's file's to say: the
same sentence on every row only made the rows tall. Enter or a double-click opens the
child's file, where the lead keeps it longer or deletes it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from safeguard_desktop.services import retention
from safeguard_desktop.services.retention import DueChild
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..casework.concern_models import local_day
from ..worker import Failure
from .child_file_tabs import ListTable, Row, headers, safe_line

DUE_HEADERS = ("Name", "Review date", "Last entry", "Legal hold")
DUE_STRETCH = (0,)


def _due(session: CaseSession) -> list[DueChild]:
    return retention.due_for_review(session)  # on the worker


class DueForReview(QWidget):
    """The list; ``open_requested(child_id)``, ``shown()`` once read, ``failed(sentence)``."""

    open_requested = Signal(int)
    shown = Signal()
    failed = Signal(str)

    def __init__(self, session: CaseSession, worker: CaseWorker) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        self.due: list[DueChild] | None = None  # None until read
        self.reading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = ListTable(
            headers(DUE_HEADERS), self.tr("Files due for their retention review"), DUE_STRETCH
        )
        self.table.row_activated.connect(self._activated)
        layout.addWidget(self.table)

    def reload(self) -> None:
        self.reading = True
        self._worker.submit(_due, self._session, on_done=self._show, on_error=self._failed)

    def _show(self, due: list[DueChild]) -> None:
        self.reading = False
        self.due = due
        self.table.fill([self._row(d) for d in due])
        self.shown.emit()

    def _failed(self, failure: Failure) -> None:
        self.reading = False
        self.failed.emit(failure.message)

    def _row(self, due: DueChild) -> Row:
        kept = due.retention
        return (
            [
                safe_line(due.name),
                local_day(kept.review_on),
                local_day(kept.facts.last_entry),
                self.tr("LEGAL HOLD: cannot be deleted") if kept.held else self.tr("No"),
            ],
            due.child_id,
        )

    def _activated(self, row: int) -> None:
        child_id = self.table.value(row)
        if isinstance(child_id, int):
            self.open_requested.emit(child_id)

    def selected_child(self) -> int | None:
        child_id = self.table.selected_value()
        return child_id if isinstance(child_id, int) else None

    def status_words(self) -> str:
        """How many are due and how many of them are held, for the line under the list."""
        if self.due is None:
            return self.tr("Loading…")
        count, held = len(self.due), sum(1 for d in self.due if d.retention.held)
        if count == 0:
            return self.tr("No child's file is due for its retention review.")
        words = (
            self.tr("1 child's file is due for its retention review.")
            if count == 1
            else self.tr("{n} children's files are due for their retention review.").format(n=count)
        )
        if held:
            words += " " + (
                self.tr("1 is under a legal hold and cannot be deleted.")
                if held == 1
                else self.tr("{n} are under a legal hold and cannot be deleted.").format(n=held)
            )
        return words
