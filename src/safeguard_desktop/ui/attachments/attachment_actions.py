"""What a page does with its attachments: attach a file, view one, save a copy of one.

The concern view and a child's page each make one ``AttachmentActions`` (a child of the
page, so a lock destroys it, its dialogs and any answer still on its way) and connect
their :class:`.attachment_list.AttachmentList` to it. Everything that reads or writes the
records runs on the records area's worker:

* **Attach a file…**: the file chooser (opened, never exec'd: a lock while it is open
  must take it away), then :class:`.attach_dialog.AttachDialog`; "Attach" reads and
  checks the file on the worker (services/attachments.py). What it changed goes out on
  the one change signal (ui/case_worker.py), so the concern view, the child's page and
  their chronologies read themselves again. A refusal stays in the dialog.
* **View**: :class:`.attachment_viewer.AttachmentViewer`, filled from the worker.
* **Save a copy…**: a warning that the copy is not encrypted, then the Save dialog with
  a neutral name (``attachment-12.pdf``: the file's own name often holds a child's, and
  would stay in "recent files"), then the copy written and audited on the worker.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from safeguard_desktop.domain.attachments import AttachmentKind, AttachmentRecord
from safeguard_desktop.services import attachments
from safeguard_desktop.services.attachments import OpenedAttachment
from safeguard_desktop.services.changes import Added
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import MessageLine
from ..widgets.dialog_parts import ask_to_confirm
from ..widgets.file_choosers import open_file_dialog
from ..widgets.pdf_save_dialog import documents_folder, open_save_dialog
from ..worker import Failure
from .attach_dialog import AttachDialog
from .attachment_list import AttachmentList
from .attachment_viewer import AttachmentViewer, read_to_show

FILE_FILTER = "PDF, PNG or JPEG (*.pdf *.png *.jpg *.jpeg);;All files (*)"
_SAVE_FILTERS = {
    AttachmentKind.PDF: "PDF files (*.pdf)",
    AttachmentKind.PNG: "PNG pictures (*.png)",
    AttachmentKind.JPEG: "JPEG pictures (*.jpg *.jpeg)",
}
NOT_ENCRYPTED = (
    "The copy will not be encrypted. Save it only somewhere safe, such as an encrypted "
    "memory stick, and delete it when you no longer need it."
)


# On the worker: one service call each. ----------------------------------------------------


def _attach(
    session: CaseSession,
    path: Path,
    concern_ref: str | None,
    child_id: int | None,
    description: str,
) -> Added:
    return attachments.attach_path(
        session, path, concern_ref=concern_ref, child_id=child_id, description=description
    )


def _save_copy(session: CaseSession, attachment_id: int, path: Path) -> str:
    return attachments.save_copy(session, attachment_id, path)


def suggested_name(record: AttachmentRecord) -> str:
    """The neutral name a saved copy is offered (the service's own rule)."""
    return OpenedAttachment(record, b"").suggested_name


class AttachmentActions(QObject):
    """Attach, view and save for one concern (``concern_ref``) or one child (``child_id``).

    ``host`` is the page: the dialogs are its children, and ``message`` (its result line)
    says what happened when no dialog is open to say it.
    """

    def __init__(
        self,
        session: CaseSession,
        worker: CaseWorker,
        host: QWidget,
        message: MessageLine,
        *,
        concern_ref: str | None = None,
        child_id: int | None = None,
    ) -> None:
        super().__init__(host)
        self._session = session
        self._worker = worker
        self._host = host
        self._message = message
        self.concern_ref = concern_ref
        self.child_id = child_id
        self.file_dialog: QFileDialog | None = None
        self.dialog: AttachDialog | None = None
        self.viewer: AttachmentViewer | None = None
        self.confirm_box: QMessageBox | None = None
        self.saving = False
        self._folder = documents_folder()  # where the chooser opens: the last folder used

    def connect_list(self, shown: AttachmentList) -> None:
        """Answer what ``shown`` asks for."""
        shown.attach_requested.connect(self.attach)
        shown.view_requested.connect(self.view)
        shown.save_requested.connect(self.save)

    def _names(self) -> dict[str, str]:
        # vault.json is already in memory: reading the accounts needs no worker.
        return {u.username: u.display_name for u in self._session.store.users()}

    def _target_words(self) -> str:
        if self.concern_ref is not None:
            return self.tr(
                "It will be kept with concern {ref}, in the file of each child the concern "
                "names, and listed in their chronologies."
            ).format(ref=self.concern_ref)
        return self.tr("It will be kept in this child's file and listed in their chronology.")

    # Attach a file… -----------------------------------------------------------------------

    def attach(self) -> None:
        """Choose a file, then say what it is in the attach dialog."""
        if self.file_dialog is not None or self.dialog is not None:
            return
        self._message.clear_message()
        self.file_dialog = self._choose(self._host, self.attach_file)

    def _choose(self, parent: QWidget, on_chosen: Callable[[Path], None]) -> QFileDialog:
        chooser = open_file_dialog(
            parent,
            self.tr("Choose the file to attach"),
            self._folder,
            self.tr(FILE_FILTER),
            functools.partial(self._remember_folder, on_chosen),
        )
        chooser.finished.connect(self._chooser_closed)
        return chooser

    def _remember_folder(self, on_chosen: Callable[[Path], None], path: Path) -> None:
        self._folder = path.parent
        on_chosen(path)

    def _chooser_closed(self) -> None:
        self.file_dialog = None  # it deletes itself

    def attach_file(self, path: Path) -> None:
        """The file chosen: the attach dialog for it (or, open already, with it instead)."""
        if self.dialog is not None:
            self.dialog.set_path(path)
            return
        dialog = AttachDialog(path, self._target_words(), self._host)
        self.dialog = dialog
        dialog.confirm_button.clicked.connect(self._send)
        dialog.choose_requested.connect(self._choose_again)
        dialog.finished.connect(functools.partial(self._dialog_closed, dialog))
        dialog.open()
        dialog.description.setFocus()

    def _choose_again(self) -> None:
        if self.dialog is not None and self.file_dialog is None and not self.dialog.busy:
            self.file_dialog = self._choose(self.dialog, self.attach_file)

    def _send(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        request = dialog.start_saving(dialog.request)
        if request is None:
            return
        path, description = request
        self._worker.submit(
            _attach,
            self._session,
            path,
            self.concern_ref,
            self.child_id,
            description,
            on_done=functools.partial(self._attached, dialog),
            on_error=functools.partial(self._attach_failed, dialog),
        )

    def _attached(self, dialog: AttachDialog, _: Added) -> None:
        # The page reads itself again from the change signal, just after this.
        if dialog is self.dialog:
            dialog.set_busy(False)
            dialog.accept()
        self._message.show_good(self.tr("The file is attached."))

    def _attach_failed(self, dialog: AttachDialog, failure: Failure) -> None:
        if dialog is self.dialog:
            dialog.show_worker_failure(failure)  # it stays open: choose another file
        else:
            self._message.show_error(failure.message)

    def _dialog_closed(self, dialog: AttachDialog, _: int) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    # View ---------------------------------------------------------------------------------

    def view(self, record: AttachmentRecord) -> None:
        """Open the viewer at once, and fill it from the worker."""
        if self.viewer is not None:
            return
        viewer = AttachmentViewer(self._names(), self._host)
        self.viewer = viewer
        viewer.save_requested.connect(functools.partial(self._save_from_viewer, viewer))
        viewer.finished.connect(functools.partial(self._viewer_closed, viewer))
        viewer.open()
        self._worker.submit(
            read_to_show,
            self._session,
            record.attachment_id,
            viewer.page_width(),
            on_done=viewer.show_file,
            on_error=viewer.show_failure,
        )

    def _viewer_closed(self, viewer: AttachmentViewer, _: int) -> None:
        if self.viewer is viewer:
            self.viewer = None
        viewer.deleteLater()

    def _save_from_viewer(self, viewer: AttachmentViewer, record: AttachmentRecord) -> None:
        self.save(record, viewer, viewer.message)

    # Save a copy… -------------------------------------------------------------------------

    def save(
        self,
        record: AttachmentRecord,
        parent: QWidget | None = None,
        message: MessageLine | None = None,
    ) -> None:
        """Warn that the copy is not encrypted; then ask where; then write it."""
        if self.saving or self.confirm_box is not None or self.file_dialog is not None:
            return
        parent = parent or self._host
        message = message or self._message
        message.clear_message()
        self.confirm_box = ask_to_confirm(
            parent,
            title=self.tr("Save a copy"),
            text=self.tr(NOT_ENCRYPTED),
            yes=self.tr("&Save…"),
            on_yes=functools.partial(self._ask_where, record, parent, message),
            icon=QMessageBox.Icon.Warning,
        )
        self.confirm_box.finished.connect(self._confirm_closed)

    def _confirm_closed(self) -> None:
        self.confirm_box = None  # it deletes itself

    def _ask_where(self, record: AttachmentRecord, parent: QWidget, message: MessageLine) -> None:
        self.file_dialog = open_save_dialog(
            parent,
            self.tr("Save a copy of the attached file"),
            suggested_name(record),
            self.tr(_SAVE_FILTERS[record.kind]),
            functools.partial(self._write, record, message),
        )
        self.file_dialog.finished.connect(self._chooser_closed)

    def _write(self, record: AttachmentRecord, message: MessageLine, path: Path) -> None:
        if self.saving:
            return
        self.saving = True
        message.show_info(self.tr("Saving the copy…"))
        self._worker.submit(
            _save_copy,
            self._session,
            record.attachment_id,
            path,
            on_done=functools.partial(self._saved, message, path),
            on_error=functools.partial(self._save_failed, message),
        )

    def _line(self, message: MessageLine) -> MessageLine:
        """``message``, or the page's own line when it went with a viewer closed meanwhile."""
        return message if shiboken6.isValid(message) else self._message

    def _saved(self, message: MessageLine, path: Path, _: str) -> None:
        self.saving = False
        self._line(message).show_good(
            self.tr(
                "A copy is saved to {path}; it is not encrypted, so delete it when you no "
                "longer need it."
            ).format(path=path)
        )

    def _save_failed(self, message: MessageLine, failure: Failure) -> None:
        self.saving = False
        self._line(message).show_error(failure.message)
