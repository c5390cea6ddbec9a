"""Opening the transfer dialogs and choosers, and their calls on the worker. One object per
page (a child's Transfers tab, the Children page): it keeps what it opened, so a lock
closes it with the page, and never opens a second of a kind while one is open.

Every call here goes through the records area's worker; the ones that change the records
return what they changed, so the child's file and Home read again by themselves
(case_worker.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from safeguard_desktop.services import transfer, transfer_receive
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.transfer_receive import ReceivedRecord

from ..case_worker import CaseWorker
from ..theme import MessageLine
from ..widgets.file_choosers import open_file_dialog
from ..widgets.pdf_save_dialog import documents_folder, open_save_dialog
from ..worker import Failure
from .receipt_dialogs import RecordReceiptDialog
from .receive_dialog import ReceiveDialog
from .send_dialog import TransferDialog
from .transfer_words import safe

RECEIPT_FILTER = "*.sgreceipt"


@dataclass(frozen=True)
class TakenReceipt:
    """A receipt file taken in: whose transfer, and what changed."""

    to_organisation: str
    changes: Changes


def _take_in(session: CaseSession, path: Path) -> TakenReceipt:
    sent = transfer.import_receipt(session, path)
    return TakenReceipt(sent.to_organisation, Changes.of(children=[sent.child_id]))


def _record(session: CaseSession, sent_id: int, note: str) -> Changes:
    return transfer.record_receipt(session, sent_id, note)


def _save_receipt(session: CaseSession, received_id: int, path: Path) -> Changes:
    return transfer_receive.save_receipt(session, received_id, path)


class TransferActions(QObject):
    """``child_requested(child_id)`` when a received file should be opened."""

    child_requested = Signal(int)

    def __init__(
        self, session: CaseSession, worker: CaseWorker, page: QWidget, message: MessageLine
    ) -> None:
        super().__init__(page)
        self._session = session
        self._worker = worker
        self._page = page
        self._message = message
        self.transfer_dialog: TransferDialog | None = None
        self.receipt_dialog: RecordReceiptDialog | None = None
        self.receive_dialog: ReceiveDialog | None = None
        self.file_dialog: QFileDialog | None = None

    # Sending -----------------------------------------------------------------------------

    def open_transfer(self, child_id: int, child_name: str) -> None:
        if self.transfer_dialog is not None:
            self.transfer_dialog.raise_()
            return
        dialog = TransferDialog(self._session, self._worker, child_id, child_name, self._page)
        self.transfer_dialog = dialog
        dialog.finished.connect(self._transfer_closed)
        dialog.open()
        dialog.organisation.setFocus()

    def _transfer_closed(self) -> None:
        dialog, self.transfer_dialog = self.transfer_dialog, None
        if dialog is None:
            return
        if dialog.saved is not None:
            self._message.show_good(
                self.tr("The transfer files are saved. Confirm receipt by the date shown below.")
            )
        dialog.deleteLater()

    # Receipts of transfers sent ----------------------------------------------------------

    def open_record_receipt(self, sent_id: int, sentence: str) -> None:
        if self.receipt_dialog is not None:
            return
        dialog = RecordReceiptDialog(sentence, self._page)
        self.receipt_dialog = dialog
        dialog.save_button.clicked.connect(functools.partial(self._record, sent_id))
        dialog.finished.connect(self._receipt_closed)
        dialog.open()
        dialog.note.setFocus()

    def _receipt_closed(self) -> None:
        dialog, self.receipt_dialog = self.receipt_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _record(self, sent_id: int) -> None:
        dialog = self.receipt_dialog
        if dialog is None or dialog.busy.isVisible():
            return
        note = dialog.checked()
        if note is None:
            return
        dialog.set_busy(True)
        self._worker.submit(
            _record,
            self._session,
            sent_id,
            note,
            on_done=functools.partial(self._recorded, dialog),
            on_error=functools.partial(self._record_failed, dialog),
        )

    def _recorded(self, dialog: RecordReceiptDialog, _: Changes) -> None:
        dialog.accept()
        self._message.show_good(self.tr("Receipt of the file is recorded."))

    def _record_failed(self, dialog: RecordReceiptDialog, failure: Failure) -> None:
        if dialog is self.receipt_dialog:
            dialog.show_error(failure.message)
        else:
            self._failed(failure)

    def open_take_in(self) -> None:
        """Choose the receiving school's ``.sgreceipt`` file and take it in."""
        if self.file_dialog is not None:
            return
        self.file_dialog = open_file_dialog(
            self._page,
            self.tr("Choose the receipt file"),
            documents_folder(),
            self.tr("Receipt files ({pattern})").format(pattern=RECEIPT_FILTER),
            self.take_in,
        )
        self.file_dialog.finished.connect(self._file_dialog_closed)

    def _file_dialog_closed(self) -> None:
        self.file_dialog = None

    def take_in(self, path: Path) -> None:
        self._message.clear_message()
        self._worker.submit(
            _take_in, self._session, path, on_done=self._taken_in, on_error=self._failed
        )

    def _taken_in(self, taken: TakenReceipt) -> None:
        self._message.show_good(
            self.tr("Receipt taken in: {to} confirmed that the file arrived.").format(
                to=safe(taken.to_organisation)
            )
        )

    # Receiving ---------------------------------------------------------------------------

    def open_receive(self) -> None:
        if self.receive_dialog is not None:
            self.receive_dialog.raise_()
            return
        dialog = ReceiveDialog(self._session, self._worker, self._page)
        self.receive_dialog = dialog
        dialog.receipt_requested.connect(self.ask_receipt_path)
        dialog.child_requested.connect(self.child_requested)
        dialog.finished.connect(self._receive_closed)
        dialog.open()
        dialog.path.edit.setFocus()

    def _receive_closed(self) -> None:
        dialog, self.receive_dialog = self.receive_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def ask_receipt_path(self, received: ReceivedRecord) -> None:
        """The save dialog, suggesting the receipt's name; then saved on the worker."""
        if self.file_dialog is not None:
            return
        parent = self.receive_dialog or self._page
        self.file_dialog = open_save_dialog(
            parent,
            self.tr("Save a receipt for the sender"),
            transfer_receive.receipt_name(received),
            self.tr("Receipt files ({pattern})").format(pattern=RECEIPT_FILTER),
            functools.partial(self.save_receipt, received),
        )
        self.file_dialog.finished.connect(self._file_dialog_closed)

    def save_receipt(self, received: ReceivedRecord, path: Path) -> None:
        self._worker.submit(
            _save_receipt,
            self._session,
            received.received_id,
            path,
            on_done=functools.partial(self._receipt_saved, received, path),
            on_error=self._receipt_failed,
        )

    def _receipt_saved(self, received: ReceivedRecord, path: Path, _: Changes) -> None:
        sentence = self.tr("Receipt saved as {name}. Send it to {organisation}.").format(
            name=path.name, organisation=safe(received.from_organisation)
        )
        if self.receive_dialog is not None:
            self.receive_dialog.receipt_saved(sentence)
        else:
            self._message.show_good(sentence)

    def _receipt_failed(self, failure: Failure) -> None:
        if self.receive_dialog is not None:
            self.receive_dialog.receipt_failed(failure.message)
        else:
            self._failed(failure)

    def _failed(self, failure: Failure) -> None:
        self._message.show_error(failure.message)
