"""Opening the subject access dialogs from a child's file or from Home, and saving a new
request on the worker. One object per page: it keeps the dialog it opened (a lock closes
it with the page) and refuses to open a second while one is open."""

from __future__ import annotations

import functools

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from safeguard_desktop.domain.subject_access import NewRequest
from safeguard_desktop.domain.working_days import WorkingDays
from safeguard_desktop.services import subject_access
from safeguard_desktop.services.casework_settings import casework_settings
from safeguard_desktop.services.changes import Added
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import MessageLine
from ..worker import Failure
from .request_dialog import RecordRequestDialog
from .review_dialog import ReviewDialog


def _working_days(session: CaseSession) -> WorkingDays:
    return casework_settings(session).working_days


def _record(session: CaseSession, child_id: int, new: NewRequest) -> Added:
    return subject_access.record_request(session, child_id, new)


class RequestActions(QObject):
    """``recorded(request_id)`` once a request is saved."""

    recorded = Signal(int)

    def __init__(
        self, session: CaseSession, worker: CaseWorker, page: QWidget, message: MessageLine
    ) -> None:
        super().__init__(page)
        self._session = session
        self._worker = worker
        self._page = page
        self._message = message
        self.record_dialog: RecordRequestDialog | None = None
        self.review_dialog: ReviewDialog | None = None

    def open_record(self, child_id: int, child_name: str) -> None:
        """The record dialog for ``child_id``, once the organisation's working days are read
        (so the deadline it shows is the one the request will have)."""
        if self.record_dialog is not None:
            return
        self._worker.submit(
            _working_days,
            self._session,
            on_done=functools.partial(self._show_record, child_id, child_name),
            on_error=self._failed,
        )

    def _show_record(self, child_id: int, child_name: str, working: WorkingDays) -> None:
        if self.record_dialog is not None:
            return
        dialog = RecordRequestDialog(child_name, working, self._page)
        self.record_dialog = dialog
        dialog.save_button.clicked.connect(functools.partial(self._save, child_id))
        dialog.finished.connect(self._record_closed)
        dialog.open()
        dialog.requester.setFocus()

    def _record_closed(self) -> None:
        dialog, self.record_dialog = self.record_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _save(self, child_id: int) -> None:
        dialog = self.record_dialog
        if dialog is None or dialog.busy.isVisible():
            return
        new = dialog.checked()
        if new is None:
            return
        dialog.set_busy(True)
        self._worker.submit(
            _record,
            self._session,
            child_id,
            new,
            on_done=functools.partial(self._recorded, dialog),
            on_error=functools.partial(self._record_failed, dialog),
        )

    def _recorded(self, dialog: RecordRequestDialog, added: Added) -> None:
        dialog.accept()
        self._message.show_good(self.tr("The request is recorded. Review it before its deadline."))
        self.recorded.emit(added.id)

    def _record_failed(self, dialog: RecordRequestDialog, failure: Failure) -> None:
        if dialog is self.record_dialog:
            dialog.show_error(failure.message, getattr(failure.error, "field", None))
        else:
            self._failed(failure)

    def open_review(self, request_id: int) -> None:
        if self.review_dialog is not None:
            self.review_dialog.raise_()
            return
        dialog = ReviewDialog(self._session, self._worker, request_id, self._page)
        self.review_dialog = dialog
        dialog.finished.connect(self._review_closed)
        dialog.open()

    def _review_closed(self) -> None:
        dialog, self.review_dialog = self.review_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _failed(self, failure: Failure) -> None:
        self._message.show_error(failure.message)
