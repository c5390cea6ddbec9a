"""Home's first box: a child may be in immediate danger, and no lead has said they have seen it.

A recorder who answers "yes" to immediate danger is told to call 999 themselves; the
concern still reaches the lead, and it stays at the top of Home, in words and in red,
until a lead acknowledges it (``services.casework.acknowledge_danger``, audited). The box names
the concern by reference and time only: children's names are for the concern page. What
an acknowledgement changed reaches Home through the records area's worker, which reads
the box again.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from safeguard_desktop.domain.records import ConcernSummary
from safeguard_desktop.services import casework
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession

from ..theme import MessageLine, alarm_box, paragraph
from ..widgets.page_parts import button_row, sized_button
from ..worker import Failure, Submits
from .concern_models import local_when


def _acknowledge(session: CaseSession, ref: str) -> Changes:
    return casework.acknowledge_danger(session, ref)


class DangerSection(QWidget):
    """One red box listing each concern in immediate danger not yet acknowledged."""

    concern_requested = Signal(str)  # open this concern

    def __init__(self, session: CaseSession, worker: Submits) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        self.box, self._box_layout = alarm_box(self.tr("A child may be in immediate danger"))
        self._box_layout.addWidget(
            paragraph(
                self.tr(
                    "The person who recorded each concern below said a child was at risk of "
                    "immediate harm. Open it now, make sure the police have been called if "
                    "they are needed, then say you have seen it. It stays here until you do."
                )
            )
        )
        self.rows = QVBoxLayout()
        self._box_layout.addLayout(self.rows)
        self.error = MessageLine(self.tr("Problem"))
        self._box_layout.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        self.refs: list[str] = []
        self.hide()

    def show_concerns(self, concerns: tuple[ConcernSummary, ...]) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.refs = [c.ref for c in concerns]
        for concern in concerns:
            row = QWidget()
            row_layout = QVBoxLayout(row)
            row_layout.setContentsMargins(0, 4, 0, 4)
            words = self.tr("Concern {ref}, sent {when}").format(
                ref=concern.ref, when=local_when(concern.submitted_at)
            )
            row_layout.addWidget(paragraph(words))
            row_layout.addLayout(
                button_row(
                    sized_button(
                        self.tr("Open concern"),
                        self.tr("Open concern {ref}").format(ref=concern.ref),
                        functools.partial(self.concern_requested.emit, concern.ref),
                    ),
                    sized_button(
                        self.tr("I have seen this and am acting on it"),
                        self.tr("Say you have seen concern {ref} and are acting on it").format(
                            ref=concern.ref
                        ),
                        functools.partial(self.acknowledge, concern.ref),
                    ),
                )
            )
            self.rows.addWidget(row)
        self.setVisible(bool(concerns))

    def acknowledge(self, ref: str) -> None:
        self.error.clear_message()
        self._worker.submit(_acknowledge, self._session, ref, on_error=self._failed)

    def _failed(self, failure: Failure) -> None:
        self.error.show_error(failure.message)
