"""Where subject access requests are seen: a tab of a child's file listing that child's
requests, and Home's box of every open request with its deadline.

Both read on the worker and read again when the records area's one change signal says a
child's records changed; each opens the dialogs through :class:`RequestActions`.
"""

from __future__ import annotations

import functools
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.text import display_safe, single_line
from safeguard_desktop.services import subject_access
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.subject_access import RequestRecord

from ..case_worker import CaseWorker
from ..theme import ERROR_INK, WARNING_INK, MessageLine, heading, hint
from ..widgets.page_parts import button_row, sized_button
from ..worker import Failure
from .request_actions import RequestActions
from .review_items import empty

SOON_DAYS = 7


def _tr(text: str) -> str:
    return QCoreApplication.translate("SubjectAccess", text)


def deadline_words(request: RequestRecord, today: date) -> tuple[str, str]:
    """ "due 7 January 2027" (or "OVERDUE: was due…", or "answered on…") and its colour
    ("" for the usual ink)."""
    if request.released_at is not None:
        return _tr("answered on {day}").format(
            day=long_date(date.fromisoformat(request.released_at[:10]))
        ), ""
    due = long_date(request.due_on)
    if request.overdue(today):
        return _tr("OVERDUE: it was due {day}").format(day=due), ERROR_INK
    if (request.due_on - today).days <= SOON_DAYS:
        return _tr("due {day} (within a week)").format(day=due), WARNING_INK
    return _tr("due {day}").format(day=due), ""


def _line(text: str, colour: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    if colour:
        label.setStyleSheet(f"color: {colour}; font-weight: bold;")
    return label


def _safe(text: str) -> str:
    return single_line(display_safe(text))


class _RequestRows(QWidget):
    """A column of requests, each a sentence and its Review button, rebuilt when read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(6)
        self.review_buttons: list[QPushButton] = []

    def clear(self) -> None:
        self.review_buttons = []
        empty(self.rows)

    def add(self, sentence: str, colour: str, button: QPushButton) -> None:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_line(sentence, colour, sentence), 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.review_buttons.append(button)
        self.rows.addWidget(row)


class ChildRequests(QWidget):
    """The "Subject access" tab of a child's file; the page calls ``load`` each time it
    reads the file (after any change to this child, requests included)."""

    def __init__(
        self, session: CaseSession, worker: CaseWorker, child_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.child_id = child_id
        self.child_name = ""
        self.requests: list[RequestRecord] = []
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                self.tr(
                    "When someone asks for the records held about this child (a parent, the "
                    "child, their solicitor), record it here: the response is due one "
                    "calendar month after it arrived. Review shows every record, so you can "
                    "withhold some and take out names before anything is released."
                )
            )
        )
        self.message = MessageLine(self.tr("Subject access result"))
        layout.addWidget(self.message)
        self.opener = RequestActions(session, worker, self, self.message)
        # No Alt key: the child's page uses every letter of it already.
        self.record_button = sized_button(
            self.tr("Record a subject access request…"),
            self.tr("Record a subject access request"),
            self.open_record,
        )
        layout.addLayout(button_row(self.record_button))
        self.none_line = hint(self.tr("No subject access request has been made for this child."))
        layout.addWidget(self.none_line)
        self.list = _RequestRows()
        layout.addWidget(self.list)
        layout.addStretch(1)

    def set_child_name(self, name: str) -> None:
        self.child_name = name

    def load(self) -> None:
        self._worker.submit(
            subject_access.requests_for,
            self._session,
            self.child_id,
            on_done=self._show,
            on_error=self._failed,
        )

    def open_record(self) -> None:
        self.opener.open_record(self.child_id, self.child_name)

    def _show(self, requests: list[RequestRecord]) -> None:
        self.requests = list(requests)
        self.list.clear()
        self.none_line.setVisible(not requests)
        today = date.today()
        for request in requests:
            words, colour = deadline_words(request, today)
            state = self.tr("Answered") if request.released_at else self.tr("Open")
            sentence = self.tr(
                "{state}: from {who} ({relationship}), received {day}; {due}"
            ).format(
                state=state,
                who=_safe(request.requester),
                relationship=_safe(request.relationship),
                day=long_date(request.received_on),
                due=words,
            )
            button = sized_button(
                self.tr("Review…"),
                self.tr("Review the request from {who}").format(who=_safe(request.requester)),
                functools.partial(self.opener.open_review, request.request_id),
            )
            self.list.add(sentence, colour, button)

    def _failed(self, failure: Failure) -> None:
        self.message.show_error(failure.message)


class HomeDeadlines(QFrame):
    """Home's box: each open request, its child and its deadline, and a Review button.
    Hidden while there are none. Home calls ``load`` each time it reads its facts."""

    shown = Signal()  # its rows were made again (Home puts their buttons in Tab order)

    def __init__(
        self, session: CaseSession, worker: CaseWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.requests: list[RequestRecord] = []
        self.setProperty("sgRole", "banner")
        self.setAccessibleName(self.tr("Subject access requests"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(heading(self.tr("Subject access requests to answer"), level=2))
        self.message = MessageLine(self.tr("Subject access result"))
        layout.addWidget(self.message)
        self.opener = RequestActions(session, worker, self, self.message)
        self.list = _RequestRows()
        layout.addWidget(self.list)
        self.hide()

    def load(self) -> None:
        self._worker.submit(
            subject_access.open_requests, self._session, on_done=self._show, on_error=self._failed
        )

    def _show(self, requests: list[RequestRecord]) -> None:
        self.requests = list(requests)
        self.list.clear()
        today = date.today()
        for request in requests:
            words, colour = deadline_words(request, today)
            sentence = self.tr("Subject access request for {child}: {due}").format(
                child=_safe(request.child_name), due=words
            )
            button = sized_button(
                self.tr("Review…"),
                self.tr("Review the subject access request for {child}").format(
                    child=_safe(request.child_name)
                ),
                functools.partial(self.opener.open_review, request.request_id),
            )
            self.list.add(sentence, colour, button)
        self.setVisible(bool(requests))
        self.shown.emit()

    def _failed(self, failure: Failure) -> None:
        self.message.show_error(failure.message)
        self.show()
