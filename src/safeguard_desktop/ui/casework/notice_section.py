"""Home's notices about a new concern on a child already known: an open plan, a pattern.

A child on a child protection, child in need or early help plan, or looked after, has a
lead professional who must hear of a new concern from the school or club; a child with
three concerns of one kind within a year is a pattern continuing (the rule is in
domain/child_status.py). Each notice stays, in an amber box under the danger box, until
a lead deals with it: for an open plan, by saying whom they told and how; for a pattern,
by saying they have looked at it (services/child_status.notice_done, audited).
"""

from __future__ import annotations

import functools

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from safeguard_desktop.domain.categories import category, is_category
from safeguard_desktop.domain.child_status import ConcernNotice, Notice
from safeguard_desktop.services import child_status
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession

from ..theme import MessageLine, alarm_box, paragraph
from ..widgets.page_parts import button_row, sized_button
from ..widgets.record_text import record_label
from ..worker import Failure, Submits


def _done(session: CaseSession, notice: ConcernNotice, note: str) -> Changes:
    return child_status.notice_done(
        session, notice.concern_ref, notice.child_id, notice.notice, note
    )


class NoticeSection(QWidget):
    """One amber box listing each notice no lead has dealt with yet."""

    concern_requested = Signal(str)  # open this concern

    def __init__(self, session: CaseSession, worker: Submits) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        self.box, self._box_layout = alarm_box(
            self.tr("New concerns about children already known"), warning=True
        )
        self.rows = QVBoxLayout()
        self._box_layout.addLayout(self.rows)
        self.error = MessageLine(self.tr("Problem"))
        self._box_layout.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        self.notices: list[ConcernNotice] = []
        self.notes: dict[tuple[str, int], QLineEdit] = {}
        self.hide()

    def show_notices(self, notices: tuple[ConcernNotice, ...]) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.notices = list(notices)
        self.notes = {}
        for notice in notices:
            self.rows.addWidget(self._row(notice))
        self.setVisible(bool(notices))

    def _row(self, notice: ConcernNotice) -> QWidget:
        row = QWidget()
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 4, 0, 4)
        title = self.tr("{notice}: concern {ref} about {child}").format(
            notice=self.tr(notice.notice.label), ref=notice.concern_ref, child=notice.child_name
        )
        layout.addWidget(record_label(title, self.tr("Notice")))
        open_button = sized_button(
            self.tr("Open concern"),
            self.tr("Open concern {ref}").format(ref=notice.concern_ref),
            functools.partial(self.concern_requested.emit, notice.concern_ref),
        )
        if notice.notice is Notice.OPEN_PLAN:
            layout.addWidget(
                record_label(
                    self.tr(
                        "On a plan now: {plans}. Tell the lead professional of this concern."
                    ).format(plans="; ".join(notice.about)),
                    self.tr("The plan"),
                )
            )
            note = QLineEdit()
            note.setPlaceholderText(self.tr("Whom you told, and how (for example: by phone)"))
            note.setAccessibleName(
                self.tr("Whom you told about concern {ref}, and how").format(ref=notice.concern_ref)
            )
            self.notes[(notice.concern_ref, notice.child_id)] = note
            layout.addWidget(note)
            done = sized_button(
                self.tr("I have told them"),
                self.tr("Say you have told the lead professional about concern {ref}").format(
                    ref=notice.concern_ref
                ),
                functools.partial(self.mark_done, notice),
            )
        else:
            kinds = [category(c).label if is_category(c) else c for c in notice.about]
            layout.addWidget(
                paragraph(
                    self.tr(
                        "Three or more concerns of this kind within twelve months: {kinds}. "
                        "Read the chronology and consider whether the threshold is now met."
                    ).format(kinds=", ".join(kinds))
                )
            )
            done = sized_button(
                self.tr("I have looked at the pattern"),
                self.tr("Say you have looked at the pattern of concern {ref}").format(
                    ref=notice.concern_ref
                ),
                functools.partial(self.mark_done, notice),
            )
        layout.addLayout(button_row(open_button, done))
        return row

    def mark_done(self, notice: ConcernNotice) -> None:
        self.error.clear_message()
        note = self.notes.get((notice.concern_ref, notice.child_id))
        text = note.text() if note is not None else ""
        self._worker.submit(_done, self._session, notice, text, on_error=self._failed)

    def _failed(self, failure: Failure) -> None:
        self.error.show_error(failure.message)
