"""The guided "Record a concern" form: the wizard with its draft offer, keeping and sending.

Immediate danger is always asked first. Each step is checked on Next by the one gate every
concern passes, ``Concern.from_json``; its sentence is shown beside the field it names.
The unsent form is saved as a draft every 10 seconds and on every step change (an
account's draft encrypted under that account's key; a guest's kept in memory only), and
offered back the next time the form opens. Nothing here reads any record: a recorder can
only send. The files chosen on the notes step go with the concern to ``submit`` (or
``guest_submit``); they are never put in the draft, which keeps only how many there were,
and they are dropped when the form is sent or closed (:meth:`ConcernForm.drop_files`).

Before anything is shown the form asks whether a concern may be sent from here at all
(``check``: the organisation's settings file must be the one the lead signed, and a guest
must be allowed); if not, the sentence is shown in place of the form
(``recording_refused.py``) and the draft is left as it is.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QDate, QDateTime, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.errors import BadInput, SafeguardError, StoreTampered
from safeguard_desktop.domain.organisation import Organisation
from safeguard_desktop.services.attachment_intake import ChosenFile

from ..data_folder_alarms.recording_refused import RecordingRefusedPage
from ..theme import BUTTON_MIN_HEIGHT, MessageLine, banner, heading, paragraph, taller
from ..worker import Failure, Worker
from .concern_wizard import ConcernWizard
from .steps.step_page import FormPage, str_value

log = logging.getLogger(__name__)

AUTOSAVE_MS = 10_000
DRAFT_FORMAT = "safeguard-desktop-form-draft"
# In a draft, how many files had been chosen (never the files: they must be added again).
FILES_ADDED = "files_added"

# An account's Session.submit_concern; a guest's (name, role, concern, files).
Submit = Callable[[Concern, Sequence[ChosenFile]], str]
GuestSubmit = Callable[[str, str, Concern, Sequence[ChosenFile]], str]


class DraftKeeper(Protocol):
    """Where an unsent form is kept: an account Session, or GuestDrafts."""

    def save_draft(self, data: dict[str, object]) -> None: ...
    def load_draft(self) -> dict[str, object] | None: ...
    def discard_draft(self) -> None: ...


class GuestDrafts:
    """A guest's draft: in memory only, gone when the form or the app closes."""

    def __init__(self) -> None:
        self._data: dict[str, object] | None = None

    def save_draft(self, data: dict[str, object]) -> None:
        self._data = dict(data)

    def load_draft(self) -> dict[str, object] | None:
        return None if self._data is None else dict(self._data)

    def discard_draft(self) -> None:
        self._data = None


def _send(
    submit: Submit, drafts: DraftKeeper, concern: Concern, files: Sequence[ChosenFile]
) -> str:
    """On the worker: seal the concern with its files, then drop the draft (it has been sent)."""
    ref = submit(concern, files)
    # The concern is safely sent; a draft that cannot be removed must not hide that.
    with contextlib.suppress(SafeguardError):
        drafts.discard_draft()
    return ref


class ConcernForm(QWidget):
    """The form with its draft offer. ``submitted(ref)`` when sent, ``closed`` on Stop."""

    submitted = Signal(str)
    closed = Signal()

    def __init__(
        self,
        worker: Worker,
        org: Organisation,
        *,
        submit: Submit | None = None,
        guest_submit: GuestSubmit | None = None,
        drafts: DraftKeeper,
        sender_sentence: str,
        is_guest: bool = False,
        check: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``submit`` sends an account's concern with its files; a guest's goes through
        ``guest_submit`` with the name and role typed on the last step. ``check`` runs on
        the worker before the form is shown; a SafeguardError from it (its one sentence)
        shows the refusal page instead of the form."""
        super().__init__(parent)
        self.setAccessibleName(self.tr("Record a concern"))
        self._worker = worker
        self._submit = submit
        self._guest_submit = guest_submit
        self.drafts = drafts
        self.is_guest = is_guest
        self.sending = False
        self.files_sent = 0  # how many files went with the concern, once it is sent
        self._last_saved: dict[str, object] | None = None

        self.wizard = ConcernWizard(org, sender_sentence, worker=worker, is_guest=is_guest)
        self._blank = self._content(self.form_data())
        self.wizard.stop_requested.connect(self.stop)
        self.wizard.submit_requested.connect(self.submit)
        self.wizard.currentIdChanged.connect(lambda _id: self.save_now())

        self.offer_page = QWidget()
        offer_layout = QVBoxLayout(self.offer_page)
        offer_layout.setContentsMargins(48, 48, 48, 48)
        offer_layout.setSpacing(16)
        self.offer_heading = heading("")
        offer_layout.addWidget(self.offer_heading)
        offer_layout.addWidget(
            paragraph(self.tr("You started recording a concern here and did not send it."))
        )
        offer_row = QHBoxLayout()
        self.continue_button = QPushButton(self.tr("&Continue"))
        self.continue_button.setAccessibleName(self.tr("Continue the concern you started"))
        self.continue_button.setDefault(True)
        self.start_again_button = QPushButton(self.tr("&Start again"))
        self.start_again_button.setAccessibleName(self.tr("Start again and delete the draft"))
        for button in (self.continue_button, self.start_again_button):
            taller(button, BUTTON_MIN_HEIGHT + 6)
            offer_row.addWidget(button)
        offer_row.addStretch(1)
        offer_layout.addLayout(offer_row)
        offer_layout.addStretch(1)
        self.continue_button.clicked.connect(self._continue_draft)
        self.start_again_button.clicked.connect(self._start_again)
        self._offered: dict[str, object] | None = None

        self.opening_page = QWidget()
        opening_layout = QVBoxLayout(self.opening_page)
        opening_layout.setContentsMargins(48, 48, 48, 48)
        opening_layout.addWidget(heading(self.tr("Opening the form…")))
        self.error = MessageLine(self.tr("Problem"))
        opening_layout.addWidget(self.error)
        opening_layout.addStretch(1)

        self.refused_page = RecordingRefusedPage()
        self.refused_page.back.connect(self.closed)

        self.stack = QStackedWidget()
        for page in (self.opening_page, self.offer_page, self.wizard, self.refused_page):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.guest_notice: QFrame | None = None
        if is_guest:
            self.guest_notice = banner(self.tr("As a guest, your draft is lost if the app closes."))
            self.guest_notice.setAccessibleName(
                self.tr("As a guest, your draft is lost if the app closes.")
            )
            layout.addWidget(self.guest_notice)
        layout.addWidget(self.stack, 1)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save_now)

        self.stack.setCurrentWidget(self.opening_page)
        if check is None:
            self._load_draft()
        else:
            # Queued before the draft is read: a refused form never opens the draft.
            self._worker.submit(check, on_done=self._allowed, on_error=self._refuse)

    # May a concern be sent from here? ----------------------------------------------------

    def _allowed(self, _: object) -> None:
        self._load_draft()

    def _refuse(self, failure: Failure) -> None:
        """The sentence in place of the form; nothing was typed, the draft is untouched."""
        self.autosave_timer.stop()
        if self.guest_notice is not None:
            self.guest_notice.hide()
        self.refused_page.show_reason(failure.message)
        self.stack.setCurrentWidget(self.refused_page)
        self.refused_page.back_button.setFocus()

    # Drafts ------------------------------------------------------------------------------

    def _load_draft(self) -> None:
        self._worker.submit(
            self.drafts.load_draft, on_done=self._draft_loaded, on_error=self._load_failed
        )

    @staticmethod
    def _content(data: dict[str, object]) -> dict[str, object]:
        return {k: v for k, v in data.items() if k not in ("saved_at", "page", "format")}

    def _draft_loaded(self, data: dict[str, object] | None) -> None:
        if data is None or data.get("format") != DRAFT_FORMAT:
            self._begin()
            return
        self._offered = data
        saved = QDateTime.fromString(str_value(data.get("saved_at")), "yyyy-MM-ddTHH:mm:ss")
        if saved.isValid() and saved.date() != QDate.currentDate():
            question = self.tr("Continue the concern you started on {day} at {time}?").format(
                day=saved.toString("dd/MM/yyyy"), time=saved.toString("HH:mm")
            )
        else:
            question = self.tr("Continue the concern you started at {time}?").format(
                time=saved.toString("HH:mm") if saved.isValid() else self.tr("an earlier time")
            )
        self.offer_heading.setText(question)
        self.offer_heading.setAccessibleName(question)
        self.stack.setCurrentWidget(self.offer_page)
        self.continue_button.setFocus()

    def _load_failed(self, failure: Failure) -> None:
        # A draft that cannot be read must not stop anyone recording a concern.
        self.error.show_error(failure.message)
        self._begin()

    def _continue_draft(self) -> None:
        data = self._offered or {}
        self.wizard.set_form_data(data)
        added = data.get(FILES_ADDED)
        self.wizard.notes_page.files_to_add_again(added if isinstance(added, int) else 0)
        self._last_saved = self._content(self.form_data())
        self._begin()

    def _start_again(self) -> None:
        self._offered = None
        self._worker.submit(self.drafts.discard_draft, on_error=self._background_failed)
        self._begin()

    def _begin(self) -> None:
        self.stack.setCurrentWidget(self.wizard)
        self.autosave_timer.start()
        page = self.wizard.currentPage()
        if isinstance(page, FormPage):
            page.focus_first()

    def form_data(self) -> dict[str, object]:
        data = self.wizard.form_data()
        data[FILES_ADDED] = len(self.wizard.files_to_send())
        data["format"] = DRAFT_FORMAT
        data["saved_at"] = datetime.now().isoformat(timespec="seconds")
        data["page"] = self.wizard.currentId()
        return data

    def save_now(self) -> None:
        """Queue a draft save on the worker, if anything changed since the last one."""
        if self.sending or self.stack.currentWidget() is not self.wizard:
            return
        data = self.form_data()
        content = self._content(data)
        if content == self._last_saved or (self._last_saved is None and content == self._blank):
            return
        self._last_saved = content
        self._worker.submit(self.drafts.save_draft, data, on_error=self._background_failed)

    def _background_failed(self, failure: Failure) -> None:
        self.wizard.currentPage().page_error.show_error(failure.message)  # type: ignore[attr-defined]

    # Leaving -------------------------------------------------------------------------------

    def stop(self) -> None:
        if self.sending:
            return
        if self.is_guest:
            answer = QMessageBox.question(
                self,
                self.tr("Stop recording?"),
                self.tr("As a guest, what you typed will be lost. Stop without sending it?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        else:
            self.save_now()
        self.autosave_timer.stop()
        self.closed.emit()

    def drop_files(self) -> None:
        """Forget the files chosen: the form is being sent, cleared or closed."""
        self.wizard.notes_page.drop_files()

    def submit(self) -> None:
        if self.sending or self.wizard.notes_page.busy:
            return
        page = self.wizard.review_page
        page.clear_errors()
        try:
            concern = self.wizard.build_concern()
        except BadInput as err:
            page.page_error.show_error(str(err))
            return
        send: Submit
        if self.is_guest:
            identity = page.guest_identity()
            guest_submit = self._guest_submit
            if identity is None or guest_submit is None:
                return
            name, role = identity

            def send(concern: Concern, files: Sequence[ChosenFile]) -> str:
                return guest_submit(name, role, concern, files)
        else:
            assert self._submit is not None
            send = self._submit
        files = tuple(self.wizard.files_to_send())
        self.sending = True
        self.autosave_timer.stop()
        self.wizard.setEnabled(False)
        page.page_error.show_info(self.tr("Sending…"))
        self._worker.submit(
            _send,
            send,
            self.drafts,
            concern,
            files,
            on_done=functools.partial(self._sent, len(files)),
            on_error=self._send_failed,
        )

    def _sent(self, files: int, ref: str) -> None:
        self.files_sent = files
        self.drop_files()
        self.submitted.emit(ref)

    def _send_failed(self, failure: Failure) -> None:
        self.sending = False
        self.wizard.setEnabled(True)
        self.autosave_timer.start()
        message = failure.message
        if isinstance(failure.error, StoreTampered) and not self.is_guest:
            # Nothing was sealed and the draft was not deleted: say so, calmly.
            message = self.tr("{sentence} What you typed is kept as your draft.").format(
                sentence=message
            )
        self.wizard.review_page.page_error.show_error(message)
