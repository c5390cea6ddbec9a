"""Review one subject access request: who asked and when it is due, every record of the
child's file to release or withhold, the words to take out, a preview of the response,
and saving it (the released PDF and the appendix of what was withheld and why).

Every read and write runs on the records area's worker; each write's ``Changes`` goes out
on its one signal, and this dialog reads the review again when its child is in them. Once
the response is saved the request is answered: the dialog shows it and nothing changes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.subject_access import Exemption
from safeguard_desktop.domain.text import display_safe, single_line
from safeguard_desktop.services import subject_access
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.subject_access import Response, Review

from ..case_worker import CaseWorker
from ..theme import (
    ERROR_INK,
    MessageLine,
    heading,
    paragraph,
    scroll_area,
    text_width,
)
from ..widgets.dialog_parts import ask_to_confirm, busy_bar
from ..widgets.page_parts import sized_button
from ..widgets.pdf_save_dialog import open_pdf_save_dialog
from ..worker import Failure
from .response_preview import PreviewDialog
from .review_items import ItemList, TermsPanel


def _safe(text: str) -> str:
    return single_line(display_safe(text))


def _button(text: str, accessible: str, slot: Callable[[], None]) -> QPushButton:
    button = sized_button(text, accessible, slot)
    button.setAutoDefault(False)  # Enter in the words field takes them out, not this
    return button


class ReviewDialog(QDialog):
    """One request's review. ``review`` is what was last read (None until then)."""

    def __init__(
        self,
        session: CaseSession,
        worker: CaseWorker,
        request_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.request_id = request_id
        self.review: Review | None = None
        self.made: Response | None = None
        self.released_path: Path | None = None
        self.preview: PreviewDialog | None = None
        self.confirm: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None
        self._busy = False
        self.setWindowTitle(self.tr("Review a subject access request"))
        self.setModal(True)
        self.resize(text_width(120), self.fontMetrics().lineSpacing() * 40)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        self.title = heading(self.tr("Subject access request"), level=2)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAccessibleName(self.tr("Whose records"))
        layout.addWidget(self.title)
        self.who = paragraph()
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setAccessibleName(self.tr("Who asked"))
        layout.addWidget(self.who)
        self.due = QLabel()
        self.due.setWordWrap(True)
        self.due.setTextFormat(Qt.TextFormat.PlainText)
        self.due.setAccessibleName(self.tr("Deadline"))
        layout.addWidget(self.due)
        self.message = MessageLine(self.tr("Result"))
        layout.addWidget(self.message)
        self.busy = busy_bar(self.tr("Working"))
        layout.addWidget(self.busy)

        body = QHBoxLayout()
        body.setSpacing(16)
        records = QVBoxLayout()
        records.addWidget(
            paragraph(
                self.tr(
                    "Every record of the child's file is released unless you withhold it. "
                    "Choose why, then Withhold."
                )
            )
        )
        self.items = ItemList()
        self.items.withhold_requested.connect(self._withhold)
        self.items.release_requested.connect(self._release)
        self.items_scroller: QScrollArea = scroll_area(self.items)
        self.items_scroller.setAccessibleName(self.tr("Records of the child's file"))
        records.addWidget(self.items_scroller, 1)
        body.addLayout(records, 3)
        self.terms = TermsPanel()
        self.terms.add_requested.connect(self._add_term)
        self.terms.remove_requested.connect(self._remove_term)
        self.terms.setMaximumWidth(text_width(44))
        body.addWidget(self.terms, 2)
        layout.addLayout(body, 1)

        buttons = QDialogButtonBox()
        self.preview_button = _button(
            self.tr("&Preview the response"), self.tr("Preview the response"), self.open_preview
        )
        self.save_button = _button(
            self.tr("&Save the response…"), self.tr("Save the response"), self.ask_save
        )
        self.close_button = _button(self.tr("Close"), self.tr("Close the review"), self.reject)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        self._set_enabled(False)
        worker.changed.connect(self.on_changes)
        self.load()

    # Reading ----------------------------------------------------------------------------

    def load(self) -> None:
        self._set_busy(True)
        self._worker.submit(
            subject_access.review,
            self._session,
            self.request_id,
            on_done=self._show,
            on_error=self._failed,
        )

    def on_changes(self, changes: Changes) -> None:
        if self.review is not None and self.review.request.child_id in changes.children:
            self.load()

    @property
    def answered(self) -> bool:
        return self.review is not None and self.review.request.released_at is not None

    def _show(self, review: Review) -> None:
        self.review = review
        request = review.request
        today = date.today()
        self.title.setText(
            self.tr("Subject access request for {child}").format(child=_safe(request.child_name))
        )
        self.who.setText(
            self.tr("From {who} ({relationship}), received {day}. Identity: {how}").format(
                who=_safe(request.requester),
                relationship=_safe(request.relationship),
                day=long_date(request.received_on),
                how=_safe(request.identity_checked),
            )
        )
        if request.released_at is not None:
            self.due.setText(
                self.tr(
                    "Answered on {day}: the response was saved and can no longer change."
                ).format(day=long_date(date.fromisoformat(request.released_at[:10])))
            )
            self.due.setStyleSheet("font-weight: bold;")
        elif request.overdue(today):
            self.due.setText(
                self.tr("OVERDUE: the response was due {day}.").format(
                    day=long_date(request.due_on)
                )
            )
            self.due.setStyleSheet(f"color: {ERROR_INK}; font-weight: bold;")
        else:
            self.due.setText(
                self.tr("DUE {day}: the response must be sent by then.").format(
                    day=long_date(request.due_on)
                )
            )
            self.due.setStyleSheet("font-weight: bold;")
        scrolled = self.items_scroller.verticalScrollBar().value()
        self.items.show_items(review.items, review.withheld, self.answered)
        self.items.adjustSize()
        self.items_scroller.verticalScrollBar().setValue(scrolled)
        self.items_scroller.horizontalScrollBar().setValue(0)
        self.terms.show_terms(review.terms, self.answered)
        self._set_busy(False)
        self._set_enabled(True)

    def _failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self._set_enabled(self.review is not None)
        self.message.show_error(failure.message)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.items, self.terms):
            widget.setEnabled(enabled)
        self.preview_button.setEnabled(enabled)
        self.save_button.setEnabled(enabled and not self.answered)
        self.save_button.setVisible(not self.answered)

    # Changing ---------------------------------------------------------------------------

    def _write(self, fn: Callable[..., Any], *args: object, sentence: str) -> None:
        if self._busy or self.answered:
            return
        self.message.clear_message()
        self._set_busy(True)
        self._worker.submit(
            fn,
            self._session,
            self.request_id,
            *args,
            on_done=functools.partial(self._wrote, sentence),
            on_error=self._failed,
        )

    def _wrote(self, sentence: str, _: object) -> None:
        # A bound method, so nothing is said to a review closed meanwhile (worker.py).
        self.message.show_good(sentence)

    def _withhold(self, key: str, exemption: Exemption) -> None:
        self._write(
            subject_access.withhold, key, exemption, sentence=self.tr("The record is withheld.")
        )

    def _release(self, key: str) -> None:
        self._write(
            subject_access.release_item, key, sentence=self.tr("The record will be released.")
        )

    def _add_term(self, text: str, exemption: Exemption) -> None:
        if self._busy or self.answered:
            return
        self.message.clear_message()
        self._set_busy(True)
        self._worker.submit(
            subject_access.add_term,
            self._session,
            self.request_id,
            text,
            exemption,
            on_done=self._term_added,
            on_error=self._failed,
        )

    def _term_added(self, _: object) -> None:
        self.terms.text.clear()
        self.message.show_good(self.tr("Those words are taken out wherever they appear."))

    def _remove_term(self, term_id: int) -> None:
        self._write(
            subject_access.remove_term,
            term_id,
            sentence=self.tr("Those words are put back in the response."),
        )

    # Previewing and saving --------------------------------------------------------------

    def open_preview(self) -> None:
        if self.preview is not None or self.review is None:
            return
        self.preview = PreviewDialog(self._session, self._worker, self.request_id, self)
        self.preview.finished.connect(self._preview_closed)
        self.preview.open()

    def _preview_closed(self) -> None:
        preview, self.preview = self.preview, None
        if preview is not None:
            preview.deleteLater()

    def ask_save(self) -> None:
        """The warning first; then the response is made, and two Save dialogs follow."""
        if self._busy or self.answered or self.review is None or self.confirm is not None:
            return
        self.confirm = ask_to_confirm(
            self,
            title=self.tr("Save the response"),
            text=self.tr(
                "Two files will be saved.\n\n"
                "1. The response to send. It is NOT encrypted: anyone who has the file can "
                "read it, so send it securely.\n\n"
                "2. The appendix: what was withheld and why, with every word taken out. "
                "Keep it safe for the organisation's records, and NEVER send it.\n\n"
                "After saving, the request is answered and can no longer change."
            ),
            yes=self.tr("&Choose where to save"),
            on_yes=self._make,
            icon=QMessageBox.Icon.Warning,
        )
        self.confirm.finished.connect(self._confirm_closed)

    def _confirm_closed(self) -> None:
        self.confirm = None

    def _make(self) -> None:
        self._set_busy(True)
        self._worker.submit(
            subject_access.make_response,
            self._session,
            self.request_id,
            on_done=self._made,
            on_error=self._failed,
        )

    def _made(self, made: Response) -> None:
        self._set_busy(False)
        self.made = made
        self.released_path = None
        released, _ = made.suggested_names
        self.message.show_info(self.tr("First, where to save the response to send."))
        self.file_dialog = open_pdf_save_dialog(
            self,
            self.tr("Save the response to send (not encrypted)"),
            released,
            self._chose_released,
        )
        self.file_dialog.finished.connect(self._file_dialog_closed)

    def _chose_released(self, path: Path) -> None:
        if self.made is None:
            return
        self.released_path = path
        _, appendix = self.made.suggested_names
        self.message.show_info(
            self.tr("Now where to keep the appendix (what was withheld and why; never send it).")
        )
        # Opened once the first dialog has closed, not from inside its signal.
        QTimer.singleShot(0, self, lambda: self._open_appendix_dialog(appendix))

    def _open_appendix_dialog(self, appendix: str) -> None:
        self.file_dialog = open_pdf_save_dialog(
            self,
            self.tr("Keep the appendix (never send it)"),
            appendix,
            self._chose_appendix,
        )
        self.file_dialog.finished.connect(self._file_dialog_closed)

    def _file_dialog_closed(self) -> None:
        if self.file_dialog is not None and not self.file_dialog.isVisible():
            self.file_dialog = None

    def _chose_appendix(self, path: Path) -> None:
        made, released = self.made, self.released_path
        if made is None or released is None:
            return
        if path.resolve() == released.resolve():
            self.message.show_error(
                self.tr("The appendix needs a file of its own: choose Save the response again.")
            )
            return
        self.message.clear_message()
        self._set_busy(True)
        self._worker.submit(
            subject_access.save_response,
            self._session,
            made,
            released,
            path,
            on_done=functools.partial(self._saved, released, path),
            on_error=self._failed,
        )

    def _saved(self, released: Path, appendix: Path, _: object) -> None:
        self.made = None
        self.message.show_good(
            self.tr(
                "Saved. Send {released} securely; keep {appendix} and never send it. "
                "The request is answered."
            ).format(released=released.name, appendix=appendix.name)
        )
