"""The alarms at the top of Home when the data folder was changed outside the app.

Three can be raised when a lead or administrator signs in (services/vault_trust.py, and
the check after sign-in in services/records_check.py):

- **Older records** (``CaseSession.rollback_alarm``): cases.db is behind the audit head
  kept outside it, so an older copy was put back. The records are open for reading
  only; an administrator may accept them (``accept_older_copy``), after a dialog saying
  what will be written down. Anyone else is told to ask an administrator.
- **Settings file changed** (``CaseSession.vault_alarm``): vault.json differs from the
  copy inside the encrypted records, which the app uses meanwhile. "Put the records'
  values back" writes that copy to the file (``restore_vault_settings``).
- **Damaged records** (``CaseSession.damage``): the check that runs beside a sign-in
  after a copy, a restore or a week found cases.db's tables and indexes at odds. Every
  write is refused from then on; reading goes on. The box says to restore the newest
  checked backup; nothing here tries to repair the file.

Each is a box that says in words what is wrong (never colour alone), with its sentence
from the services. Every call runs on the records area's worker, which says what it
changed to every page: Home (and the lists) read the records again.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QVBoxLayout, QWidget

from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.vault_trust import RollbackAlarm, VaultAlarm

from ..theme import BUTTON_MIN_HEIGHT, MessageLine, alarm_box, hint, paragraph, taller
from ..widgets.casework_dialog import CaseworkDialog
from ..widgets.page_parts import button_row, sized_button
from ..worker import Failure, Submits


def _accept_older_copy(session: CaseSession) -> Changes:
    return session.accept_older_copy()


def _restore_vault(session: CaseSession) -> Changes:
    return session.restore_vault_settings()


def _day(iso: str) -> str:
    """ "2 March 2026, 14:05" in this PC's time; the text as it is if it is not a date."""
    try:
        return long_date(local(datetime.fromisoformat(iso)))
    except ValueError:
        return iso


class AcceptOlderCopyDialog(CaseworkDialog):
    """What accepting older records means, and what will be written down."""

    def __init__(self, alarm: RollbackAlarm, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Accept these older records?"),
            self.tr("&Accept these older records"),
            self.tr("Accept these older records"),
            parent,
        )
        if alarm.unanchored:
            gap = self.tr(
                "The settings file had lost this PC's sealed record of how far the records "
                "had got, so whether anything recorded is missing from these records cannot "
                "be told. Accepting them does not bring back anything that is missing."
            )
        elif alarm.forked:
            gap = self.tr(
                "Entry {anchor} of the audit log here is not the one this PC saw on {seen}: "
                "these records are another copy. Whatever only the other copy holds is not "
                "here, and accepting this copy does not bring it back."
            ).format(anchor=f"{alarm.anchor.seq:,}", seen=_day(alarm.anchor.at))
        else:
            gap = self.tr(
                "The audit log here ends at entry {ends} ({ended}), but this PC saw entry "
                "{anchor} on {seen}. Whatever was recorded in between is not in these "
                "records, and accepting them does not bring it back."
            ).format(
                ends=f"{alarm.database_seq:,}",
                ended=_day(alarm.database_at),
                anchor=f"{alarm.anchor.seq:,}",
                seen=_day(alarm.anchor.at),
            )
        self.gap = paragraph(gap)
        self.gap.setAccessibleName(self.tr("What is missing"))
        self.form.addWidget(self.gap)
        self.form.addWidget(
            paragraph(
                self.tr(
                    "If you have a newer checked backup, cancel and restore that instead. "
                    "Accept these records only if you know why they are older, for example "
                    "because you put this copy back yourself."
                )
            )
        )
        self.recorded = paragraph(
            self.tr(
                "What will be recorded: an entry in the audit log with your name and the time, "
                "saying that you accepted these records and which entries are missing. From "
                "then on these are the current records: they can be changed again, and "
                "concerns waiting to be taken in arrive."
            )
        )
        self.recorded.setAccessibleName(self.tr("What will be recorded"))
        self.form.addWidget(self.recorded)
        self.form.addStretch(1)


class StoreAlarms(QWidget):
    """The damaged-records, older-records and settings-file alarms, each shown only when
    raised."""

    def __init__(
        self, session: CaseSession, worker: Submits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self._rollback: RollbackAlarm | None = None
        self._just_done = False  # the next refresh still shows what was done
        self.accept_dialog: AcceptOlderCopyDialog | None = None
        self.is_admin = session.user.role is Role.ADMIN
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)

        self.damage_box, damage_layout = alarm_box(
            self.tr("These records are damaged: nothing more can be saved")
        )
        self.damage_sentence = paragraph()
        self.damage_sentence.setAccessibleName(self.tr("What was found"))
        damage_layout.addWidget(self.damage_sentence)
        self.damage_box.hide()
        layout.addWidget(self.damage_box)

        self.rollback_box, rollback_layout = alarm_box(
            self.tr("These records are open for reading only")
        )
        self.rollback_sentence = paragraph()
        self.rollback_sentence.setAccessibleName(self.tr("Why the records are read-only"))
        rollback_layout.addWidget(self.rollback_sentence)
        self.accept_button = sized_button(
            self.tr("Accept these older records…"),
            self.tr("Accept these older records"),
            self.open_accept_dialog,
        )
        taller(self.accept_button, BUTTON_MIN_HEIGHT + 8)
        self.ask_admin = paragraph(
            self.tr(
                "Ask an administrator: only an administrator can accept these records. "
                "Until then nothing can be changed or taken in."
            )
        )
        font = self.ask_admin.font()
        font.setBold(True)
        self.ask_admin.setFont(font)
        self.ask_admin.setAccessibleName(self.tr("Ask an administrator"))
        if self.is_admin:
            holder = QWidget()
            holder.setLayout(button_row(self.accept_button))
            rollback_layout.addWidget(holder)
            self.ask_admin.hide()
        else:
            self.accept_button.hide()
            rollback_layout.addWidget(self.ask_admin)
        self.rollback_error = MessageLine(self.tr("Problem"))
        rollback_layout.addWidget(self.rollback_error)
        self.rollback_box.hide()
        layout.addWidget(self.rollback_box)

        self.vault_box, vault_layout = alarm_box(
            self.tr("The organisation's settings file was changed"), warning=True
        )
        self.vault_sentence = paragraph()
        self.vault_sentence.setAccessibleName(self.tr("What was changed"))
        vault_layout.addWidget(self.vault_sentence)
        self.restore_button = sized_button(
            self.tr("Put the records' values back"),
            self.tr("Put the records' values back in the settings file"),
            self.restore_vault,
        )
        taller(self.restore_button, BUTTON_MIN_HEIGHT + 8)
        holder = QWidget()
        holder.setLayout(button_row(self.restore_button))
        vault_layout.addWidget(holder)
        self.restore_later = hint(
            self.tr("This can be done once the records are no longer read-only (above).")
        )
        self.restore_later.hide()
        vault_layout.addWidget(self.restore_later)
        self.vault_error = MessageLine(self.tr("Problem"))
        vault_layout.addWidget(self.vault_error)
        self.vault_box.hide()
        layout.addWidget(self.vault_box)

        # What was done, once a box has gone (for the refresh that follows).
        self.done = MessageLine(self.tr("Done"))
        layout.addWidget(self.done)

    def show_alarms(
        self,
        rollback: RollbackAlarm | None,
        vault: VaultAlarm | None,
        damage: str | None = None,
    ) -> None:
        self._rollback = rollback
        if damage is not None:
            self.damage_sentence.setText(damage)
            self.damage_box.setAccessibleDescription(damage)
        self.damage_box.setVisible(damage is not None)
        if not self._just_done:
            self.done.clear_message()
        self._just_done = False
        if rollback is not None:
            self.rollback_sentence.setText(rollback.sentence())
            self.rollback_box.setAccessibleDescription(rollback.sentence())
        self.rollback_box.setVisible(rollback is not None)
        if vault is not None:
            self.vault_sentence.setText(vault.sentence())
            self.vault_box.setAccessibleDescription(vault.sentence())
        self.vault_box.setVisible(vault is not None)
        # Putting the file back is a write: not while the records are read-only.
        self.restore_button.setEnabled(rollback is None)
        self.restore_later.setVisible(rollback is not None)
        raised = damage is not None or rollback is not None or vault is not None
        self.setVisible(raised or bool(self.done.text()))

    # Older records ---------------------------------------------------------------------

    def open_accept_dialog(self) -> None:
        if self._rollback is None or self.accept_dialog is not None or not self.is_admin:
            return
        dialog = AcceptOlderCopyDialog(self._rollback, self)
        dialog.confirm_button.clicked.connect(self._accept)
        dialog.finished.connect(self._accept_dialog_closed)
        self.accept_dialog = dialog
        dialog.open()
        dialog.cancel_button.setFocus()  # Enter alone must not accept: Cancel has focus

    def _accept_dialog_closed(self) -> None:
        dialog, self.accept_dialog = self.accept_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _accept(self) -> None:
        dialog = self.accept_dialog
        if dialog is None or dialog.start_saving(lambda: True) is None:
            return
        self._worker.submit(
            _accept_older_copy,
            self._session,
            on_done=self._accepted,
            on_error=self._accept_failed,
        )

    def _accepted(self, _: object) -> None:
        if self.accept_dialog is not None:
            self.accept_dialog.accept()
        self.rollback_error.clear_message()
        self.rollback_box.hide()
        self.done.show_good(
            self.tr(
                "You accepted these records. The gap is written in the audit log, and the "
                "records can be changed again."
            )
        )
        self._just_done = True

    def _accept_failed(self, failure: Failure) -> None:
        if self.accept_dialog is not None:
            self.accept_dialog.show_worker_failure(failure)
        else:
            self.rollback_error.show_error(failure.message)

    # The settings file -------------------------------------------------------------------

    def restore_vault(self) -> None:
        if not self.restore_button.isEnabled():
            return
        self.restore_button.setEnabled(False)
        self.vault_error.show_info(self.tr("Putting the values back…"))
        self._worker.submit(
            _restore_vault, self._session, on_done=self._restored, on_error=self._restore_failed
        )

    def _restored(self, _: object) -> None:
        self.vault_error.clear_message()
        self.vault_box.hide()
        self.done.show_good(
            self.tr(
                "Done: the settings file holds the values kept in the encrypted records "
                "again, and the audit log says so."
            )
        )
        self._just_done = True

    def _restore_failed(self, failure: Failure) -> None:
        self.restore_button.setEnabled(True)
        self.vault_error.show_error(failure.message)
