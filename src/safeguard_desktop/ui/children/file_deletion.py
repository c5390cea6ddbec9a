"""Deleting a child's file at its retention review, from the child's page.

"Delete this child's file…" first asks the service what would go (``deletion_plan``, on
the worker: it refuses, in one sentence, a file under a legal hold or not yet due), then
shows :class:`.retention_dialogs.DeleteFileDialog` with those counts. Its red button
deletes on the worker, passing the number of concerns the lead was shown: if the file
changed meanwhile the service deletes nothing and says so in the dialog. Once deleted,
``deleted(sentence)`` tells the page, which closes back to the list of children; the
records area's one signal tells every other page (a concern the child shared with
others reads itself again).
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from safeguard_desktop.domain.retention import DeletionPlan
from safeguard_desktop.services import retention
from safeguard_desktop.services.retention import BACKUPS_STILL_HOLD_IT, Deleted
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import MessageLine
from ..worker import Failure
from .retention_dialogs import DeleteFileDialog, kept_words, plan_words


def _plan(session: CaseSession, child_id: int) -> DeletionPlan:
    return retention.deletion_plan(session, child_id)  # on the worker


def _delete(session: CaseSession, child_id: int, shown: DeletionPlan) -> Deleted:
    """On the worker; nothing is deleted if the file changed since ``shown`` was read."""
    return retention.delete_child_file(
        session, child_id, concerns=len(shown.concerns_deleted), shown=shown
    )


class FileDeletion(QObject):
    """Ask, confirm and delete child ``child_id``'s file; ``host`` (the page) holds the
    dialog, ``message`` (its result line) says a refusal when no dialog is open."""

    busy_changed = Signal(bool)
    deleted = Signal(str)  # what went, in words

    def __init__(
        self,
        session: CaseSession,
        worker: CaseWorker,
        host: QWidget,
        child_id: int,
        message: MessageLine,
    ) -> None:
        super().__init__(host)
        self._session = session
        self._worker = worker
        self._host = host
        self._child_id = child_id
        self._message = message
        self._asking = False
        self.dialog: DeleteFileDialog | None = None

    def ask(self, name: str) -> None:
        """Count what would go, then ask (``name`` as the file shows it)."""
        if self._asking or self.dialog is not None:
            return
        self._asking = True
        self._message.clear_message()
        self.busy_changed.emit(True)
        self._worker.submit(
            _plan,
            self._session,
            self._child_id,
            on_done=functools.partial(self._confirm, name),
            on_error=self._refused,
        )

    def _refused(self, failure: Failure) -> None:
        self._asking = False
        self.busy_changed.emit(False)
        self._message.show_error(failure.message)

    def _confirm(self, name: str, plan: DeletionPlan) -> None:
        self._asking = False
        self.busy_changed.emit(False)
        dialog = DeleteFileDialog(name, plan, self._host)
        dialog.delete_button.clicked.connect(self.delete)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()
        dialog.reviewed.setFocus()

    def _closed(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def delete(self) -> None:
        """The red button: only with the tick, and once."""
        dialog = self.dialog
        if dialog is None or dialog.deleting or not dialog.reviewed.isChecked():
            return
        dialog.error.clear_message()
        dialog.set_busy(True)
        self._worker.submit(
            _delete,
            self._session,
            self._child_id,
            dialog.plan,
            on_done=functools.partial(self._done, dialog, dialog.name),
            on_error=functools.partial(self._failed, dialog),
        )

    def _done(self, dialog: DeleteFileDialog, name: str, done: Deleted) -> None:
        if dialog is self.dialog:
            dialog.accept()
        self.deleted.emit(self.sentence(name, done.plan))

    def _failed(self, dialog: DeleteFileDialog, failure: Failure) -> None:
        if dialog is self.dialog:
            dialog.show_error(failure.message)
        else:
            self._message.show_error(failure.message)

    def sentence(self, name: str, plan: DeletionPlan) -> str:
        """Whose file went and what, what stayed for other children, and what backups
        still hold (plain text: ``name`` is as the lead typed it)."""
        what = plan_words(plan)
        went = (
            self.tr(
                "The file of {name} was deleted: {what}, with the child's details and chronology."
            ).format(name=name, what=what)
            if what
            else self.tr(
                "The file of {name} was deleted: the child's details and chronology."
            ).format(name=name)
        )
        kept = kept_words(plan)
        return " ".join(part for part in (went, kept, self.tr(BACKUPS_STILL_HOLD_IT)) if part)
