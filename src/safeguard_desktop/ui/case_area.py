"""The signed-in area for a DSL or administrator: navigation, Home and the audit log.

Home also carries a "Record a concern" button (``record_requested``): a lead records too.

Everything shown here comes from the open CaseSession through the worker. The whole area
is destroyed when the session locks, so none of it outlives the key that opened it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.services.session import AuditEntry, AuditReport, CaseSession
from safeguard_desktop.services.store import Store

from .people_page import PeoplePage
from .recorder_area import record_button
from .reports_page import ReportsPage
from .settings_page import SettingsPage
from .theme import (
    MessageLine,
    card,
    heading,
    hint,
    paragraph,
    readable_column,
    table_rows,
    text_width,
)
from .worker import Failure, Worker

# Plain words for the audit log's action codes; unknown codes fall back to the code.
_ACTION_WORDS = {
    "store_created": "Store created",
    "login": "Signed in",
    "login_failed": "Wrong password typed",
    "user_added": "Person added",
    "user_removed": "Person removed",
    "setting_changed": "Setting changed",
    "password_changed": "Password changed",
    "concern_opened": "Concern opened",
    "concern_received": "Concern received",
    "password_reset": "Password set by an administrator",
    "password_reset_with_recovery_key": "Password set with the recovery key",
    "recovery_key_failed": "Wrong recovery key typed",
}


def action_words(action: str) -> str:
    return _ACTION_WORDS.get(action, action.replace("_", " ").capitalize())


def _local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y, %H:%M")


def _home_facts(session: CaseSession) -> tuple[int, AuditReport]:
    # Runs on the worker: both read the encrypted database.
    return session.concern_count(), session.verify_audit()


def _page_scroller(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class HomePage(QWidget):
    """Welcome line, number of concerns, and whether the audit chain is intact."""

    def __init__(self, session: CaseSession, worker: Worker) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        org = session.organisation
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)
        self.welcome = heading(self.tr("Welcome, {name}").format(name=session.user.display_name))
        layout.addWidget(self.welcome)
        self.role_line = paragraph(
            self.tr("You are signed in as {role} for {org}.").format(
                role=session.user.role.label(org.org_type), org=org.name
            )
        )
        layout.addWidget(self.role_line)

        # A lead or administrator records a concern too, with the same guided form.
        self.record_button = record_button(self)
        record_row = QHBoxLayout()
        record_row.addWidget(self.record_button)
        record_row.addStretch(1)
        layout.addLayout(record_row)

        concerns_card = card()
        concerns_layout = QVBoxLayout(concerns_card)
        concerns_layout.setContentsMargins(20, 16, 20, 16)
        concerns_layout.addWidget(heading(self.tr("Concerns"), level=2))
        self.concerns_line = paragraph(self.tr("Counting…"))
        self.concerns_line.setAccessibleName(self.tr("Number of concerns"))
        concerns_layout.addWidget(self.concerns_line)
        layout.addWidget(concerns_card)

        audit_card = card()
        audit_layout = QVBoxLayout(audit_card)
        audit_layout.setContentsMargins(20, 16, 20, 16)
        audit_layout.addWidget(heading(self.tr("Audit log"), level=2))
        self.audit_line = MessageLine(self.tr("Audit log check"))
        self.audit_line.show_info(self.tr("Checking…"))
        audit_layout.addWidget(self.audit_line)
        self.head_line = hint()
        self.head_line.setAccessibleName(self.tr("Latest audit entry"))
        self.head_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        audit_layout.addWidget(self.head_line)
        layout.addWidget(audit_card)

        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(_page_scroller(readable_column(body, 100)))

    def refresh(self) -> None:
        self._worker.submit(
            _home_facts, self._session, on_done=self._show_facts, on_error=self._failed
        )

    def _show_facts(self, facts: tuple[int, AuditReport]) -> None:
        count, report = facts
        if count == 0:
            self.concerns_line.setText(self.tr("No concerns have been recorded yet."))
        elif count == 1:
            self.concerns_line.setText(self.tr("1 concern is in the records."))
        else:
            self.concerns_line.setText(self.tr("{n} concerns are in the records.").format(n=count))
        if report.ok:
            self.audit_line.show_good(
                self.tr("Complete and unchanged: {n} entries.").format(n=report.entries)
            )
        else:
            self.audit_line.show_error(
                self.tr(
                    "The audit log has been tampered with or damaged: {reason}. "
                    "Do not delete anything; ask for help."
                ).format(reason=report.reason)
            )
        self.head_line.setText(
            self.tr("Latest entry {seq}, fingerprint {hash}…").format(
                seq=report.head_seq, hash=report.head_hash[:12]
            )
        )

    def _failed(self, failure: Failure) -> None:
        self.error.show_error(failure.message)


class AuditLogPage(QWidget):
    """The newest audit entries: when, who, what."""

    def __init__(self, session: CaseSession, worker: Worker) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Audit log")), 1)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the audit log"))
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(
            hint(
                self.tr(
                    "Everything done with the records is written here and cannot be changed "
                    "afterwards. Newest first."
                )
            )
        )
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("What")])
        self.table.setAccessibleName(self.tr("Audit log entries"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        table_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)

    def refresh(self) -> None:
        self._worker.submit(
            self._session.audit_entries, 200, on_done=self._show, on_error=self._failed
        )

    def _show(self, entries: list[AuditEntry]) -> None:
        self.error.clear_message()
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (_local_time(entry.at), entry.actor, action_words(entry.action))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _failed(self, failure: Failure) -> None:
        self.error.show_error(failure.message)


class CaseArea(QWidget):
    """Left navigation and the pages of the DSL/admin area."""

    idle_minutes_changed = Signal(int)
    record_requested = Signal()

    def __init__(
        self,
        session: CaseSession,
        store: Store,
        worker: Worker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName(self.tr("Records area"))
        self.navigation = QListWidget()
        self.navigation.setProperty("sgRole", "navigation")
        self.navigation.setAccessibleName(self.tr("Sections"))
        self.navigation.setFixedWidth(text_width(20))
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages = QStackedWidget()

        self.home = HomePage(session, worker)
        self.home.record_button.clicked.connect(self.record_requested)
        self.audit = AuditLogPage(session, worker)
        self.people: PeoplePage | None = None
        self.settings = SettingsPage(session, store, worker)
        self.settings.idle_minutes_changed.connect(self.idle_minutes_changed)
        sections: list[tuple[str, QWidget]] = [
            (self.tr("Home"), self.home),
            (self.tr("Reports"), ReportsPage(session, worker)),
            (self.tr("Audit log"), self.audit),
        ]
        if session.user.role is Role.ADMIN:
            self.people = PeoplePage(session, store, worker)
            sections.append((self.tr("People"), self.people))
        sections.append((self.tr("Settings"), self.settings))
        for title, page in sections:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
            # Tall rows: easy to hit, and readable at a glance.
            item.setSizeHint(QSize(0, self.navigation.fontMetrics().height() + 18))
            self.navigation.addItem(item)
            self.pages.addWidget(page)
        self.navigation.currentRowChanged.connect(self._show_section)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.navigation.setCurrentRow(0)

    def section_titles(self) -> list[str]:
        return [self.navigation.item(i).text() for i in range(self.navigation.count())]

    def show_section(self, title: str) -> None:
        self.navigation.setCurrentRow(self.section_titles().index(title))

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        self.pages.setCurrentIndex(row)
        page: Any = self.pages.widget(row)
        if hasattr(page, "refresh"):
            page.refresh()
