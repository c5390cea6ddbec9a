"""The Concern view: one concern file, and what the lead can do with it.

At the top, always in view: "Back to the list" (or Escape), the reference and status,
and the actions: "Decide and hand on…" (``handoff_requested(ref)``, for the handoff
wizard), "Add action…", "Correct something…", "Close concern…" / "Reopen". Under it,
the file itself (``ConcernFileView``): the concern exactly as submitted, corrections
under the parts they correct, the children and their records, actions, follow-ups,
decisions and referrals ("Make the referral PDF…" gives ``referral_requested``), and the
files attached to it, attached, viewed and saved by ui/attachments/'s
``AttachmentActions``.

Everything is read on the worker; after any change to the concern or a child linked to
it, wherever it was made (``on_changes``, from the records area's one signal: the lead's
own action here, a decision recorded in the handoff wizard, a referral sent), the whole
file is read again, so what is shown is always what is stored. Opening a concern is
audited by the service; reading it again after a change is not a second opening and is
not audited again.

Over 500 lines because this is the one place a lead acts on a concern: each action is a
short handler here and a one-line worker function at the bottom, and all share the loaded
file and the busy state.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.casework import ConcernStatus, NewAction, NewAmendment
from safeguard_desktop.domain.concern import TEXT_FIELDS
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.domain.records import FollowUpRecord, ReferralRecord
from safeguard_desktop.domain.referral_outcome import (
    Acknowledgement,
    EscalationRecord,
    EscalationResult,
    NewEscalation,
    NewOutcome,
)
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services import after_referral, casework
from safeguard_desktop.services.casework import ConcernFile
from safeguard_desktop.services.changes import Added, Changes, changes_in
from safeguard_desktop.services.session import CaseSession

from ..attachments.attachment_actions import AttachmentActions
from ..case_worker import CaseWorker
from ..theme import (
    ACCENT,
    BUTTON_MIN_HEIGHT,
    MessageLine,
    heading,
    paragraph,
    readable_column,
    scroll_area,
    taller,
)
from ..widgets.casework_dialog import CaseworkDialog
from ..widgets.page_parts import button_row, sized_button
from ..worker import Failure
from .action_dialog import AddActionDialog, MarkDoneDialog
from .after_referral_dialogs import (
    AcknowledgementDialog,
    EscalationResultDialog,
    NextStageDialog,
    OutcomeDialog,
)
from .concern_dialogs import AmendmentDialog, CloseConcernDialog
from .concern_file_view import ConcernFileView, text_value
from .concern_models import local_day, local_when


def _load(session: CaseSession, ref: str, audit: bool) -> ConcernFile:
    return casework.concern_file(session, ref, audit=audit)


class ConcernView(QWidget):
    """One concern and its casework. ``back_requested`` from the Back button or Escape."""

    back_requested = Signal()
    child_requested = Signal(int)
    handoff_requested = Signal(str)
    referral_requested = Signal(str)

    def __init__(
        self,
        session: CaseSession,
        worker: CaseWorker,
        ref: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.ref = ref
        self.file: ConcernFile | None = None
        self.dialog: CaseworkDialog | None = None
        self.busy = False
        self._done_message = ""  # said once the lead's own change is shown
        worker.changed.connect(self.on_changes)
        org = session.organisation
        self._lead_title = org.org_type.lead_title
        self._names = {u.username: u.display_name for u in session.store.users()}
        self.setAccessibleName(self.tr("Concern {ref}").format(ref=ref))

        # The top bar stays in view while the concern scrolls under it.
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(28, 16, 28, 8)
        top_layout.setSpacing(8)
        self.back_button = sized_button(
            self.tr("← &Back to the list"), self.tr("Back to the list"), self.back_requested.emit
        )
        self.title = heading(self.tr("Concern {ref}").format(ref=ref))
        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        title_row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.title, 1)
        top_layout.addLayout(title_row)
        self.status_line = paragraph(self.tr("Opening…"))
        self.status_line.setTextFormat(Qt.TextFormat.PlainText)
        self.status_line.setAccessibleName(self.tr("Status of the concern"))
        top_layout.addWidget(self.status_line)

        self.handoff_button = sized_button(
            self.tr("&Decide and hand on…"),
            self.tr("Decide and hand on"),
            lambda: self.handoff_requested.emit(self.ref),
        )
        font = self.handoff_button.font()
        font.setBold(True)
        self.handoff_button.setFont(font)
        self.handoff_button.setProperty("sgRole", "primary")
        # The one filled button on the page: the way on from a concern.
        self.handoff_button.setStyleSheet(
            f"QPushButton {{ background: {ACCENT}; color: white; border-radius: 5px;"
            " border: 1px solid #24506f; }"
            " QPushButton:focus { border: 3px solid #f2c14e; }"
            " QPushButton:disabled { background: #9fb5c7; }"
        )
        taller(self.handoff_button, BUTTON_MIN_HEIGHT + 8)
        self.action_button = sized_button(
            self.tr("Add &action…"), self.tr("Add an action"), self.open_action_dialog
        )
        self.amend_button = sized_button(
            self.tr("Co&rrect something…"), self.tr("Correct something"), self.open_amend_dialog
        )
        self.close_button = sized_button(
            self.tr("C&lose concern…"), self.tr("Close the concern"), self.open_close_dialog
        )
        self.reopen_button = sized_button(
            self.tr("Re&open"), self.tr("Reopen the concern"), self.reopen
        )
        top_layout.addLayout(
            button_row(
                self.handoff_button,
                self.action_button,
                self.amend_button,
                self.close_button,
                self.reopen_button,
            )
        )
        self.message = MessageLine(self.tr("Result"))
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        top_layout.addWidget(self.message)
        self.attachment_actions = AttachmentActions(
            session, worker, self, self.message, concern_ref=ref
        )

        self.scroller: QScrollArea = scroll_area(QWidget())
        self.scroller.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scroller.setAccessibleName(self.tr("The concern"))
        self.content: ConcernFileView | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(top)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #d5dae0;")
        outer.addWidget(line)
        outer.addWidget(self.scroller, 1)

        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_requested.emit)
        self._set_buttons_enabled(False)

    # Loading ---------------------------------------------------------------------------

    def load(self, *, audit: bool = True) -> None:
        """Read the concern file on the worker (opening it is audited)."""
        self._worker.submit(
            _load, self._session, self.ref, audit, on_done=self._loaded, on_error=self._failed
        )

    def _reload(self, message: str) -> None:
        self._worker.submit(
            _load,
            self._session,
            self.ref,
            False,
            on_done=functools.partial(self._reloaded, message),
            on_error=self._failed,
        )

    def _reloaded(self, message: str, file: ConcernFile) -> None:
        self._loaded(file)
        if message:
            self.message.show_good(message)

    def shows(self, changes: Changes) -> bool:
        """Whether ``changes`` touch this concern or a child record linked to it."""
        file = self.file
        ref = file.summary.ref if file is not None else self.ref.strip().upper()
        linked = {c.link.child_id for c in file.children} if file is not None else set()
        return ref in changes.concerns or bool(linked & changes.children)

    def on_changes(self, changes: Changes) -> None:
        """Read the file again after a change to it, made here or anywhere else."""
        if self.shows(changes):
            message, self._done_message = self._done_message, ""
            self._reload(message)

    def _loaded(self, file: ConcernFile) -> None:
        self.file = file
        self.busy = False
        position = self.scroller.verticalScrollBar().value()
        had_focus = self.content is not None and self.content.isAncestorOf(self.focusWidget())
        self.content = ConcernFileView(
            file,
            names=self._names,
            lead_title=self._lead_title,
        )
        self.content.link_requested.connect(self.link_child)
        self.content.create_requested.connect(self.create_child)
        self.content.child_requested.connect(self.child_requested)
        self.content.done_requested.connect(self.open_done_dialog)
        self.content.referral_requested.connect(self.referral_requested)
        self.content.acknowledge_requested.connect(self.open_acknowledgement_dialog)
        self.content.outcome_requested.connect(self.open_outcome_dialog)
        self.content.next_stage_requested.connect(self.open_next_stage_dialog)
        self.content.result_requested.connect(self.open_escalation_result_dialog)
        self.attachment_actions.connect_list(self.content.attachments)
        # setWidget() deletes the page it replaces, with every label of the old text.
        self.scroller.setWidget(readable_column(self.content, 104))
        # Stay where the lead was reading; the rebuilt page has the same shape above.
        QTimer.singleShot(0, self, lambda: self.scroller.verticalScrollBar().setValue(position))
        if had_focus:
            self.scroller.setFocus()
        summary = file.summary
        closed = summary.status is ConcernStatus.CLOSED
        self.close_button.setVisible(not closed)
        self.reopen_button.setVisible(closed)
        recorder = self._recorder_words(file)
        self.status_line.setText(
            self.tr("{status}. Recorded by {recorder}; sent {when}.").format(
                status=summary.status.label,
                recorder=recorder,
                when=local_when(summary.submitted_at),
            )
        )
        self._set_buttons_enabled(True)

    def _failed(self, failure: Failure) -> None:
        self.busy = False
        self._set_buttons_enabled(self.file is not None)
        if self.dialog is not None:
            self.dialog.show_worker_failure(failure)
            return
        self.message.show_error(failure.message)

    def _set_buttons_enabled(self, enabled: bool) -> None:
        for button in (
            self.handoff_button,
            self.action_button,
            self.amend_button,
            self.close_button,
            self.reopen_button,
        ):
            button.setEnabled(enabled)

    def _recorder_words(self, file: ConcernFile) -> str:
        submitter = file.concern.submitter
        name = display_safe(text_value(submitter.get("name")))
        role = text_value(submitter.get("role"))
        station = submitter.get("station_name")
        if submitter.get("username") is None and station:
            # The station's name as this PC knows it (services/stations.py), not as sent.
            words = self.tr("{name}, {role}, on the recording station “{station}”").format(
                name=name, role=display_safe(role), station=display_safe(text_value(station))
            )
        elif submitter.get("username") is None:
            words = self.tr("{name}, {role} (a guest, without an account)").format(
                name=name, role=display_safe(role)
            )
        else:
            try:
                role_words = Role(role).label(self._session.organisation.org_type)
            except ValueError:
                role_words = display_safe(role)
            words = self.tr("{name}, {role}").format(name=name, role=role_words)
        if submitter.get("unverified"):
            # Accepted from the items that could not be accepted: said in words, always.
            words = self.tr("{who} – sender not confirmed, accepted by {lead}").format(
                who=words, lead=display_safe(text_value(submitter.get("accepted_by")))
            )
        return words

    # Changes -----------------------------------------------------------------------------

    def _change(self, fn: Callable[..., object], *args: object, done: str) -> None:
        """Run a change on the worker, then read the file again and say ``done``."""
        if self.busy:
            return
        self.busy = True
        self._set_buttons_enabled(False)
        self.message.clear_message()
        self._worker.submit(
            fn, *args, on_done=functools.partial(self._changed, done), on_error=self._failed
        )

    def _changed(self, done: str, result: Changes | Added) -> None:
        # The file is read again from what the change names (on_changes, just after this),
        # and ``done`` is said once it shows.
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.accept()
        self._done_message = done
        changes = changes_in(result)
        if changes is None or not self.shows(changes):
            self._done_message = ""
            self._reload(done)

    def link_child(self, position: int, child_id: int) -> None:
        self._change(_link, self._session, self.ref, position, child_id, done=self.tr("Linked."))

    def create_child(self, position: int) -> None:
        self._change(
            _create_child,
            self._session,
            self.ref,
            position,
            done=self.tr("A new child record was made and linked."),
        )

    def reopen(self) -> None:
        self._change(_set_status, self._session, self.ref, "open", "", done=self.tr("Reopened."))

    def _open(
        self,
        dialog: CaseworkDialog,
        first: QWidget,
        read: Callable[[], object],
        send: Callable[..., object],
        *args: object,
        done: str,
    ) -> None:
        """Show ``dialog`` with the focus in ``first``; its confirm button checks what
        ``read`` collects and runs ``send(*args, value)`` on the worker."""
        if self.dialog is not None or self.file is None or self.busy:
            dialog.deleteLater()
            return
        self.dialog = dialog
        dialog.confirm_button.clicked.connect(
            functools.partial(self._submit, dialog, read, send, args, done)
        )
        dialog.finished.connect(functools.partial(self._dialog_closed, dialog))
        self.message.clear_message()
        dialog.open()
        first.setFocus()

    def _submit(
        self,
        dialog: CaseworkDialog,
        read: Callable[[], object],
        send: Callable[..., object],
        args: tuple[object, ...],
        done: str,
    ) -> None:
        if self.busy:
            return
        value = dialog.start_saving(read)
        if value is not None:
            self._change(send, *args, value, done=done)

    def _dialog_closed(self, dialog: QDialog, _: int) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def open_action_dialog(self) -> None:
        dialog = AddActionDialog(self._session.user.display_name, self)
        self._open(
            dialog,
            dialog.kind,
            dialog.action,
            _add_action,
            self._session,
            self.ref,
            done=self.tr("Action added."),
        )

    def open_done_dialog(self, follow_up: FollowUpRecord) -> None:
        dialog = MarkDoneDialog(local_day(follow_up.due_on), follow_up.what, self)
        self._open(
            dialog,
            dialog.note,
            dialog.note_text,
            _complete_follow_up,
            self._session,
            follow_up.follow_up_id,
            done=self.tr("Follow-up marked done."),
        )

    def originals(self) -> dict[str, str]:
        """Each amendable part as submitted, in the words shown on the page."""
        if self.file is None:
            return {}
        recorded = self.file.concern.recorded
        originals = {part: recorded.text(part) for part in TEXT_FIELDS}
        originals["occurred_at"] = local_when(recorded.occurred_at.isoformat())
        originals["children"] = "\n".join(
            "; ".join(
                [
                    c.name,
                    c.date_of_birth.isoformat() if c.date_of_birth is not None else "",
                    c.group,
                ]
            ).strip("; ")
            for c in recorded.children
        )
        return originals

    def open_amend_dialog(self) -> None:
        dialog = AmendmentDialog(self.originals(), self)
        self._open(
            dialog,
            dialog.field,
            dialog.amendment,
            _amend,
            self._session,
            self.ref,
            done=self.tr("Correction added."),
        )

    # What happened after a referral (services/after_referral.py) ---------------------

    def open_acknowledgement_dialog(self, referral: ReferralRecord) -> None:
        dialog = AcknowledgementDialog(referral, self)
        self._open(
            dialog,
            dialog.by,
            dialog.acknowledgement,
            _acknowledge,
            self._session,
            referral.ref,
            done=self.tr("Acknowledgement recorded."),
        )

    def open_outcome_dialog(self, referral: ReferralRecord) -> None:
        dialog = OutcomeDialog(referral, self)
        self._open(
            dialog,
            dialog.outcome,
            dialog.outcome_record,
            _record_outcome,
            self._session,
            referral.ref,
            done=self.tr("Outcome recorded."),
        )

    def open_next_stage_dialog(self, escalation: EscalationRecord) -> None:
        dialog = NextStageDialog(escalation, self)
        self._open(
            dialog,
            dialog.fields.to_whom,
            dialog.escalation,
            _raise_to_next_stage,
            self._session,
            escalation.escalation_id,
            done=self.tr("Escalation raised to the next stage."),
        )

    def open_escalation_result_dialog(self, escalation: EscalationRecord) -> None:
        dialog = EscalationResultDialog(escalation, self)
        self._open(
            dialog,
            dialog.result_box,
            dialog.escalation_result,
            _record_escalation_result,
            self._session,
            escalation.escalation_id,
            done=self.tr("Result of the escalation recorded."),
        )

    def open_close_dialog(self) -> None:
        dialog = CloseConcernDialog(self.ref, self)
        self._open(
            dialog,
            dialog.reason,
            dialog.reason_text,
            _set_status,
            self._session,
            self.ref,
            "closed",
            done=self.tr("Closed."),
        )


# On the worker: one service call each. ------------------------------------------------


def _link(session: CaseSession, ref: str, position: int, child_id: int) -> Changes:
    return casework.link_child(session, ref, position, child_id)


def _create_child(session: CaseSession, ref: str, position: int) -> Added:
    return casework.create_child_for(session, ref, position)


def _set_status(session: CaseSession, ref: str, status: str, reason: str) -> Changes:
    return casework.set_status(session, ref, status, reason)


def _add_action(session: CaseSession, ref: str, action: NewAction) -> Added:
    return casework.add_action(session, action, ref=ref)


def _complete_follow_up(session: CaseSession, follow_up_id: int, note: str) -> Changes:
    return casework.complete_follow_up(session, follow_up_id, note)


def _amend(session: CaseSession, ref: str, amendment: NewAmendment) -> Added:
    return casework.amend(session, ref, amendment)


def _acknowledge(session: CaseSession, referral_ref: str, ack: Acknowledgement) -> Changes:
    return after_referral.acknowledge(session, referral_ref, ack)


def _record_outcome(session: CaseSession, referral_ref: str, outcome: NewOutcome) -> Changes:
    return after_referral.record_outcome(session, referral_ref, outcome)


def _raise_to_next_stage(
    session: CaseSession, escalation_id: int, escalation: NewEscalation
) -> Changes:
    return after_referral.raise_to_next_stage(session, escalation_id, escalation)


def _record_escalation_result(
    session: CaseSession, escalation_id: int, result: EscalationResult
) -> Changes:
    return after_referral.record_escalation_result(session, escalation_id, result)
