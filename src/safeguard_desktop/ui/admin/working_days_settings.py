"""Settings: whose bank holidays the working days skip, and when to chase social care.

Part of the Settings page. Deadlines run in working days (a referral's outcome, the LADO
within one working day), and the bank holidays differ between England, Wales, Scotland
and Northern Ireland; a social care referral with no outcome is chased a number of
working days after it was made (one unless changed). An administrator changes them; a
lead sees them. Read and saved on the worker through services/casework_settings.py,
which checks them again.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.domain.referral_outcome import MAX_CHASE_WORKING_DAYS
from safeguard_desktop.domain.working_days import Nation
from safeguard_desktop.services.casework_settings import (
    CaseworkSettings,
    casework_settings,
    set_casework_settings,
)
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import heading, hint
from ..widgets.page_parts import field_in_words, save_button_and_message
from ..worker import Failure


def _load(session: CaseSession) -> CaseworkSettings:
    return casework_settings(session)


def _save(session: CaseSession, settings: CaseworkSettings) -> Changes:
    return set_casework_settings(session, settings)


class WorkingDaysSettings(QWidget):
    """The nation and the chase, with their own Save button (administrators only)."""

    def __init__(
        self, session: CaseSession, worker: CaseWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self._loaded: CaseworkSettings | None = None
        is_admin = session.user.role is Role.ADMIN
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(heading(self.tr("Working days and referrals"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "Deadlines are counted in working days: weekends and your nation's bank "
                    "holidays are skipped. Children's social care should decide on a referral "
                    "within one working day and tell you; a follow-up chases their decision "
                    "if no outcome is recorded by then."
                )
            )
        )
        self.nation = QComboBox()
        self.nation.setAccessibleName(self.tr("Whose bank holidays"))
        for nation in Nation:
            self.nation.addItem(self.tr(nation.label), nation.value)
        nation_row = QHBoxLayout()
        caption = QLabel(self.tr("Bank holidays &of"))
        caption.setBuddy(self.nation)
        nation_row.addWidget(caption)
        nation_row.addWidget(self.nation)
        nation_row.addStretch(1)
        layout.addLayout(nation_row)
        self.chase_days = QSpinBox()
        self.chase_days.setRange(1, MAX_CHASE_WORKING_DAYS)
        self.chase_days.setAccessibleName(
            self.tr("Working days after a social care referral before its outcome is chased")
        )
        layout.addLayout(
            field_in_words(
                self.tr("Chas&e social care's decision"),
                self.chase_days,
                self.tr("working day(s) after the referral"),
            )
        )
        self.save_button, self.message = save_button_and_message(
            layout,
            self.tr("Save &working days"),
            self.tr("Save working days"),
            self.save,
            self.tr("Result of saving the working days"),
        )
        for widget in (self.nation, self.chase_days, self.save_button):
            widget.setEnabled(False)  # until read
        self.save_button.setVisible(is_admin)
        self._is_admin = is_admin

    def refresh(self) -> None:
        """Read the settings (each time the page is shown)."""
        self._worker.submit(_load, self._session, on_done=self._show, on_error=self._failed)

    def _show(self, settings: CaseworkSettings) -> None:
        self._loaded = settings
        self.nation.setCurrentIndex(self.nation.findData(settings.nation.value))
        self.chase_days.setValue(settings.chase_working_days)
        for widget in (self.nation, self.chase_days, self.save_button):
            widget.setEnabled(self._is_admin)

    def chosen(self) -> CaseworkSettings:
        return CaseworkSettings(Nation(str(self.nation.currentData())), self.chase_days.value())

    def save(self) -> None:
        chosen = self.chosen()
        self.save_button.setEnabled(False)
        self.message.show_info(self.tr("Saving…"))
        self._worker.submit(
            _save, self._session, chosen, on_done=self._saved, on_error=self._failed
        )

    def _saved(self, _: Changes) -> None:
        self._loaded = self.chosen()
        self.save_button.setEnabled(True)
        self.message.show_good(self.tr("Saved."))

    def _failed(self, failure: Failure) -> None:
        self.save_button.setEnabled(self._is_admin)
        self.message.show_error(failure.message)
