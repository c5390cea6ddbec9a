"""A child's case owner and risk level: two choices on the child's page, saved once settled.

Arrowing through a list with the keyboard changes the choice at every step, so a choice is
saved (and audited, by the services) only once it has stayed put for
:data:`CHOICE_SETTLE_MS`, and only if it differs from the record. A choice still settling is
the person's newest word: a reload of the file leaves it on screen. If saving fails, the
choice goes back to what the record holds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from safeguard_desktop.domain.casework import RiskLevel
from safeguard_desktop.domain.records import ChildRecord
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services import children
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import UserInfo

from ..theme import MessageLine, text_width
from ..widgets.page_parts import FlowLayout
from ..worker import Failure, Submits

# How long a case owner or risk level must stay chosen before it is saved.
CHOICE_SETTLE_MS = 700


def _set_owner(session: CaseSession, child_id: int, username: str) -> Changes:
    return children.set_case_owner(session, child_id, username)  # on the worker


def _set_risk(session: CaseSession, child_id: int, level: RiskLevel) -> Changes:
    return children.set_risk_level(session, child_id, level)  # on the worker


class CaseChoices(QWidget):
    """ "Case owner" and "Risk level" for child ``child_id``.

    Sentences go to the page's ``message`` line. ``busy_changed`` says when a save is on
    the worker; ``saved(sentence)`` when it is done (the records area's worker then says
    what changed, and the page reads the file again).
    """

    busy_changed = Signal(bool)
    saved = Signal(str)

    def __init__(
        self,
        session: CaseSession,
        worker: Submits,
        child_id: int,
        message: MessageLine,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self._child_id = child_id
        self._message = message
        self._record: ChildRecord | None = None
        self._owner_timer = self._settle_timer(self._save_owner)
        self._risk_timer = self._settle_timer(self._save_risk)

        # Each choice beside its label; the risk level goes on to a second line when the
        # page is narrow (1024 x 768 at 150 %) rather than past its right edge.
        row = FlowLayout(self, spacing=10)
        owner_pair, risk_pair = QHBoxLayout(), QHBoxLayout()
        for pair in (owner_pair, risk_pair):
            pair.setContentsMargins(0, 0, 0, 0)
            pair.setSpacing(10)
        owner_pair.setContentsMargins(0, 0, 16, 0)
        self.owner = QComboBox()
        self.owner.setAccessibleName(self.tr("Case owner"))
        self.owner.setMinimumWidth(text_width(26))
        self.owner.activated.connect(lambda _: self._chosen(self._owner_timer))
        owner_label = QLabel(self.tr("Case &owner"))
        owner_label.setBuddy(self.owner)
        owner_pair.addWidget(owner_label)
        owner_pair.addWidget(self.owner)
        row.add_layout(owner_pair)
        self.risk = QComboBox()
        self.risk.setAccessibleName(self.tr("Risk level"))
        risk_note = self.tr(
            "The risk level is your judgement as {lead}; the app never works it out."
        ).format(lead=session.organisation.org_type.lead_short)
        self.risk.setAccessibleDescription(risk_note)
        self.risk.setToolTip(risk_note)
        for level in RiskLevel:
            self.risk.addItem(self.tr(level.label), level.value)
        self.risk.activated.connect(lambda _: self._chosen(self._risk_timer))
        risk_label = QLabel(self.tr("&Risk level"))
        risk_label.setBuddy(self.risk)
        risk_pair.addWidget(risk_label)
        risk_pair.addWidget(self.risk)
        row.add_layout(risk_pair)

    def show_record(self, record: ChildRecord, users: list[UserInfo]) -> None:
        """What the record holds, except for a choice that is still settling."""
        self._record = record
        if not self._owner_timer.isActive():
            self._fill_owner(record.case_owner, users)
        if not self._risk_timer.isActive():
            self._show_risk(record)

    def _fill_owner(self, owner: str, users: list[UserInfo]) -> None:
        self.owner.clear()
        self.owner.addItem(self.tr("Nobody yet"), "")
        for user in users:
            if user.role.holds_database_key:
                self.owner.addItem(
                    f"{display_safe(user.display_name)} ({user.username})", user.username
                )
        if owner and self.owner.findData(owner) < 0:
            # Their account was removed; the record still names them until changed.
            self.owner.addItem(
                self.tr("{name} (no longer has an account)").format(name=display_safe(owner)),
                owner,
            )
        self.owner.setCurrentIndex(self.owner.findData(owner))

    def _show_owner(self, record: ChildRecord) -> None:
        self.owner.setCurrentIndex(self.owner.findData(record.case_owner))

    def _show_risk(self, record: ChildRecord) -> None:
        self.risk.setCurrentIndex(self.risk.findData(record.risk_level.value))

    # Saving ------------------------------------------------------------------------------

    def _settle_timer(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(CHOICE_SETTLE_MS)
        timer.timeout.connect(slot)
        return timer

    def _chosen(self, timer: QTimer) -> None:
        self._message.show_info(self.tr("Saving…"))
        timer.start()

    def _save_owner(self) -> None:
        record = self._record
        username = str(self.owner.currentData() or "")
        self._message.clear_message()
        if record is None or username == record.case_owner:
            return
        self._submit(_set_owner, username, self.tr("Case owner saved."), self._show_owner)

    def _save_risk(self) -> None:
        record = self._record
        level = RiskLevel(str(self.risk.currentData()))
        self._message.clear_message()
        if record is None or level is record.risk_level:
            return
        self._submit(
            _set_risk,
            level,
            self.tr("Risk level saved: {level}.").format(level=self.tr(level.label)),
            self._show_risk,
        )

    def _submit(
        self,
        save: Callable[..., Changes],
        value: object,
        sentence: str,
        put_back: Callable[[ChildRecord], None],
    ) -> None:
        self.busy_changed.emit(True)
        self._worker.submit(
            save,
            self._session,
            self._child_id,
            value,
            on_done=functools.partial(self._done, sentence),
            on_error=functools.partial(self._failed, put_back),
        )

    def _done(self, sentence: str, _: object = None) -> None:
        self.busy_changed.emit(False)
        self.saved.emit(sentence)

    def _failed(self, put_back: Callable[[ChildRecord], None], failure: Failure) -> None:
        self.busy_changed.emit(False)
        self._message.show_error(failure.message)
        if self._record is not None:
            put_back(self._record)
