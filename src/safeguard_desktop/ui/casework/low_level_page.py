"""The Low-level concerns page: the log of concerns about adults below the harm threshold.

KCSIE Part four, section two. Only the leads' area has it (a DSL or administrator; the
head or chair signs in with one of those roles), it reads nothing of children's files
and they read nothing of it. It shows the patterns to review first (the same adult
three times in the last 12 months), then each adult it names with how often, then every
entry with who recorded it and when it falls due for its retention review. Reading it is
audited (services/low_level_concerns.py); it is read when shown, and again when an entry
is added.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import short_date
from safeguard_desktop.domain.errors import IncompleteDecision
from safeguard_desktop.domain.low_level_concerns import LowLevelConcern, StoredLowLevelConcern
from safeguard_desktop.domain.text import single_line
from safeguard_desktop.services import low_level_concerns
from safeguard_desktop.services.changes import Added, Changes
from safeguard_desktop.services.low_level_concerns import LowLevelLog
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import MessageLine, heading, hint, table_rows
from ..widgets.dialog_parts import ask_to_confirm
from ..widgets.page_parts import button_row
from ..worker import Failure
from .low_level_dialog import LowLevelConcernDialog

# What happened and what was done, cut to this many characters in the list.
_SHORT = 90


def _short(text: str) -> str:
    line = single_line(text)
    return line if len(line) <= _SHORT else line[: _SHORT - 1].rstrip() + "…"


def _table(columns: list[str], accessible: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setAccessibleName(accessible)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table_rows(table)
    header = table.horizontalHeader()
    for column in range(len(columns)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


class LowLevelConcernsPage(QWidget):
    """Patterns, adults, entries, and "Record a low-level concern…"."""

    def __init__(self, session: CaseSession, worker: CaseWorker) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        self.log: LowLevelLog | None = None
        self.dialog: LowLevelConcernDialog | None = None
        worker.changed.connect(self.on_changes)
        lead = session.organisation.org_type.lead_title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Low-level concerns")), 1)
        self.record_button = QPushButton(self.tr("&Record a low-level concern…"))
        self.record_button.setAccessibleName(self.tr("Record a low-level concern"))
        self.record_button.clicked.connect(self.open_dialog)
        top.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(
            hint(
                self.tr(
                    "Concerns about an adult who works or volunteers here that do not meet "
                    "the harm threshold (KCSIE Part four), apart from children's files; only "
                    "the {lead} and administrators see them. Three about one adult in 12 "
                    "months is a pattern to review. Each entry is due for review six years "
                    "after it: it goes then only if the adult has left."
                ).format(lead=lead)
            )
        )
        self.patterns = MessageLine(self.tr("Patterns to review"))
        layout.addWidget(self.patterns)
        layout.addWidget(heading(self.tr("Adults named"), level=2))
        self.adults = _table(
            [
                self.tr("Adult"),
                self.tr("Role"),
                self.tr("Last 12 months"),
                self.tr("In all"),
                self.tr("Most recent"),
                self.tr("Pattern"),
            ],
            self.tr("Adults named in low-level concerns"),
        )
        # The name and role share the width left, so the counts stay in view at 150 %.
        for column in (0, 1):
            self.adults.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        layout.addWidget(self.adults, 1)
        layout.addWidget(heading(self.tr("Every entry, newest first"), level=2))
        self.entries = _table(
            [
                self.tr("Date"),
                self.tr("Adult"),
                # On two lines: the width these two share at 150 % is less than their
                # words on one line, which the header would cut ("What happene").
                self.tr("What\nhappened"),
                self.tr("What was\ndone"),
                self.tr("Recorded by"),
                self.tr("Review due"),
            ],
            self.tr("Low-level concerns"),
        )
        # The two texts share the width left (their role is in the table above; the whole
        # text is each cell's tooltip), so the dates stay in view without scrolling.
        for column in (2, 3):
            self.entries.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        layout.addWidget(self.entries, 2)
        self.entries.itemSelectionChanged.connect(self._update_delete_button)
        self.delete_button = QPushButton(self.tr("&Delete at its review…"))
        self.delete_button.setAccessibleName(self.tr("Delete the chosen entry at its review"))
        self.delete_button.setToolTip(
            self.tr("For an entry whose review is due, about an adult who has left.")
        )
        self.delete_button.clicked.connect(self.ask_delete)
        self.delete_button.setEnabled(False)
        self.confirm_box: QMessageBox | None = None
        layout.addLayout(button_row(self.delete_button))
        self.message = MessageLine(self.tr("Result"))
        layout.addWidget(self.message)

    # Reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        self._worker.submit(
            low_level_concerns.read_log, self._session, on_done=self._show, on_error=self._failed
        )

    def on_changes(self, changes: Changes) -> None:
        if changes.low_level_concerns and self.isVisible():
            self.refresh()

    def _show(self, log: LowLevelLog) -> None:
        self.log = log
        flagged = log.patterns
        if flagged:
            self.patterns.show_error(
                " ".join(
                    self.tr(
                        "Pattern to review: {name} ({role}), {n} low-level concerns in the "
                        "last 12 months."
                    ).format(name=a.name, role=a.role, n=a.in_window)
                    for a in flagged
                )
            )
        else:
            self.patterns.show_info(
                self.tr("No adult has three low-level concerns in the last 12 months.")
            )
        self.adults.setRowCount(0)
        self.adults.setRowCount(len(log.adults))
        for row, adult in enumerate(log.adults):
            cells = (
                adult.name,
                adult.role,
                str(adult.in_window),
                str(adult.total),
                short_date(adult.last_on),
                self.tr("To review") if adult.pattern else "",
            )
            for column, text in enumerate(cells):
                self.adults.setItem(row, column, QTableWidgetItem(text))
        self.entries.setRowCount(0)
        self.entries.setRowCount(len(log.entries))
        for row, entry in enumerate(log.entries):
            concern = entry.concern
            due_words = short_date(entry.review_due)
            if entry.review_due <= date.today():
                due_words = self.tr("{day}: due now").format(day=due_words)
            entry_cells = (
                short_date(concern.occurred_on),
                concern.adult_name,
                _short(concern.what_happened),
                _short(concern.action_taken),
                entry.recorded_by_name,
                due_words,
            )
            for column, text in enumerate(entry_cells):
                item = QTableWidgetItem(text)
                if column in (2, 3):  # the whole text where the list cuts it
                    item.setToolTip(concern.what_happened if column == 2 else concern.action_taken)
                self.entries.setItem(row, column, item)
        # The two texts never narrower than their headings: on a small screen at a large
        # text size the table scrolls sideways rather than cutting "What happened".
        header = self.entries.horizontalHeader()
        header.setMinimumSectionSize(
            max(header.sectionSizeFromContents(column).width() for column in (2, 3))
        )

        self._update_delete_button()

    def _failed(self, failure: Failure) -> None:
        self.message.show_error(failure.message)

    # Deleting at the retention review ----------------------------------------------------

    def chosen_entry(self) -> StoredLowLevelConcern | None:
        rows = self.entries.selectionModel().selectedRows()
        if self.log is None or not rows or rows[0].row() >= len(self.log.entries):
            return None
        return self.log.entries[rows[0].row()]

    def _update_delete_button(self) -> None:
        entry = self.chosen_entry()
        self.delete_button.setEnabled(entry is not None and entry.review_due <= date.today())

    def ask_delete(self) -> None:
        entry = self.chosen_entry()
        if entry is None or self.confirm_box is not None:
            return
        concern = entry.concern
        self.confirm_box = ask_to_confirm(
            self,
            title=self.tr("Delete at its review"),
            text=self.tr(
                "Delete the low-level concern of {day} about {name} ({role})? Its review "
                "was due on {due}. Delete it only if {name} no longer works or volunteers "
                "here; while they do, it is kept. It cannot be undone: the audit log keeps "
                "that an entry was deleted, not what it said."
            ).format(
                day=short_date(concern.occurred_on),
                name=concern.adult_name,
                role=concern.adult_role,
                due=short_date(entry.review_due),
            ),
            yes=self.tr("They have left: delete it"),
            on_yes=lambda: self._delete(entry),
            icon=QMessageBox.Icon.Warning,
            role=QMessageBox.ButtonRole.DestructiveRole,
        )
        self.confirm_box.finished.connect(self._confirm_closed)

    def _confirm_closed(self, _result: int) -> None:
        self.confirm_box = None

    def _delete(self, entry: StoredLowLevelConcern) -> None:
        self.delete_button.setEnabled(False)
        self._worker.submit(
            low_level_concerns.delete_after_review,
            self._session,
            entry.entry_id,
            adult_has_left=True,
            on_done=lambda _changes: self.message.show_good(
                self.tr("The entry was deleted at its review.")
            ),
            on_error=self._failed,
        )

    # Recording ------------------------------------------------------------------------

    def open_dialog(self) -> None:
        if self.dialog is not None:
            return
        known = sorted({a.name for a in self.log.adults}) if self.log else []
        dialog = LowLevelConcernDialog(self._session.user.display_name, known, self)
        dialog.confirm_button.clicked.connect(self._save)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        self.message.clear_message()
        dialog.open()
        dialog.first_field().setFocus()

    def _save(self) -> None:
        dialog = self.dialog
        if dialog is None or dialog.busy:
            return
        dialog.clear_errors()
        try:
            entry: LowLevelConcern = dialog.entry()
        except IncompleteDecision as gaps:
            dialog.show_problems(gaps)
            return
        dialog.set_busy(True)
        self._worker.submit(
            low_level_concerns.record,
            self._session,
            entry,
            on_done=self._saved,
            on_error=self._save_failed,
        )

    def _saved(self, _added: Added) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(False)
            self.dialog.accept()
        self.message.show_good(self.tr("Recorded in the low-level concerns log."))

    def _save_failed(self, failure: Failure) -> None:
        if self.dialog is None:
            self.message.show_error(failure.message)
        elif isinstance(failure.error, IncompleteDecision):
            self.dialog.show_problems(failure.error)
        else:
            self.dialog.show_worker_failure(failure)

    def _closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
