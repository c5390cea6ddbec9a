"""The signed-in area for a DSL or administrator: navigation and the pages of casework.

Home (``home_page.py``) carries a "Record a concern" button (``record_requested``): a
lead records too. The Concerns page (``concerns_page.py``) holds the search, the list and
the Concern view.

While the area exists it opens the sealed inbox and the recording stations' drop folder at
once and every minute (``INGEST_INTERVAL_MS``) on
the worker; when concerns arrive, a line says how many came (never what they are about).
The timer is a child of the area, so it stops with everything else when the session
locks.

Everything shown here comes from the open CaseSession through the area's worker
(``CaseWorker``, case_worker.py), which every page and dialog of the area is given. After
each call that changed the records, its ``changed`` signal says what changed (the arrivals
from the inbox included), and each page reads again what it shows of it: the area refreshes
no page itself, so a new page needs no wiring here beyond its place in the navigation.
The whole area is destroyed when the session locks, so none of it outlives the key that
opened it.

Routing: Home, a child's page and the Concern view ask for a concern (``open_concern``)
or a child (``open_child``), and the area shows the right page. The Concern view's
"Decide and hand on…" opens the handoff wizard (``open_handoff``) and "Make the referral
PDF…" the referral dialog (``open_referral``); both are children of the area, so a lock
takes them with it, and both are given the area's worker, so what they record reaches
every page as any other change does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import local, short_date
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.services import audit_trail, inbox
from safeguard_desktop.services.changes import Changes, Setting
from safeguard_desktop.services.session import AuditEntry, CaseSession
from safeguard_desktop.services.store import Store

from .admin.people_page import PeoplePage
from .admin.settings_page import SettingsPage
from .case_worker import CaseWorker
from .casework.concerns_page import ConcernsPage
from .casework.home_page import HomePage
from .casework.low_level_page import LowLevelConcernsPage
from .children.children_page import ChildrenPage
from .handoff.handoff_wizard import HandoffWizard
from .referral.referral_dialog import ReferralDialog, open_referral_dialog
from .reports.reports_page import ReportsPage
from .theme import MessageLine, heading, hint, table_rows, text_width
from .worker import DISCARDED_PROPERTY, Failure, Worker

# How often the sealed inbox is opened while the area is open (the issue: every minute).
INGEST_INTERVAL_MS = 60_000

# Plain words for the audit log's action codes; unknown codes fall back to the code.
# Marked for translation here; translated where shown (action_words).
_ACTION_WORDS = {
    "store_created": QT_TRANSLATE_NOOP("AuditLog", "Store created"),
    "login": QT_TRANSLATE_NOOP("AuditLog", "Signed in"),
    "login_failed": QT_TRANSLATE_NOOP("AuditLog", "Wrong password typed"),
    "user_added": QT_TRANSLATE_NOOP("AuditLog", "Person added"),
    "user_removed": QT_TRANSLATE_NOOP("AuditLog", "Person removed"),
    "account_suspended": QT_TRANSLATE_NOOP(
        "AuditLog", "Account suspended: an allegation about its holder"
    ),
    "account_reinstated": QT_TRANSLATE_NOOP("AuditLog", "Suspended account reinstated"),
    "suspended_sign_in": QT_TRANSLATE_NOOP("AuditLog", "A suspended account tried to sign in"),
    "low_level_concern_recorded": QT_TRANSLATE_NOOP("AuditLog", "Low-level concern recorded"),
    "low_level_concern_deleted": QT_TRANSLATE_NOOP(
        "AuditLog", "Low-level concern deleted at its retention review"
    ),
    "low_level_log_opened": QT_TRANSLATE_NOOP("AuditLog", "Low-level concerns log opened"),
    "attachment_added": QT_TRANSLATE_NOOP("AuditLog", "File attached"),
    "retention_date_set": QT_TRANSLATE_NOOP("AuditLog", "Retention review date set for a child"),
    "retention_date_cleared": QT_TRANSLATE_NOOP(
        "AuditLog", "Retention review date back to the organisation's rule"
    ),
    "legal_hold_placed": QT_TRANSLATE_NOOP("AuditLog", "Legal hold placed on a child's file"),
    "legal_hold_lifted": QT_TRANSLATE_NOOP("AuditLog", "Legal hold lifted"),
    "subject_access_recorded": QT_TRANSLATE_NOOP("AuditLog", "Subject access request recorded"),
    "transfer_made": QT_TRANSLATE_NOOP(
        "AuditLog", "Child's file transferred to a new school or club (PDF and package saved)"
    ),
    "transfer_received": QT_TRANSLATE_NOOP(
        "AuditLog", "Child's file received from an earlier school or club"
    ),
    "transfer_receipt_made": QT_TRANSLATE_NOOP("AuditLog", "Receipt for a transferred file saved"),
    "transfer_receipt_recorded": QT_TRANSLATE_NOOP(
        "AuditLog", "Receipt of a transferred file confirmed"
    ),
    "subject_access_words_out": QT_TRANSLATE_NOOP(
        "AuditLog", "Subject access: words to take out added"
    ),
    "subject_access_words_back": QT_TRANSLATE_NOOP(
        "AuditLog", "Subject access: words to take out removed from the list"
    ),
    "subject_access_withheld": QT_TRANSLATE_NOOP("AuditLog", "Subject access: a record withheld"),
    "subject_access_item_released": QT_TRANSLATE_NOOP(
        "AuditLog", "Subject access: a record to be released after all"
    ),
    "subject_access_released": QT_TRANSLATE_NOOP(
        "AuditLog", "Subject access response released (and its appendix kept)"
    ),
    "child_file_deleted": QT_TRANSLATE_NOOP(
        "AuditLog", "Child's file deleted at its retention review"
    ),
    "attachment_opened": QT_TRANSLATE_NOOP("AuditLog", "Attached file opened"),
    "attachment_saved": QT_TRANSLATE_NOOP("AuditLog", "Copy of an attached file saved"),
    "attachment_not_kept": QT_TRANSLATE_NOOP(
        "AuditLog", "A file sent with a concern was not kept (it could not be checked)"
    ),
    "setting_changed": QT_TRANSLATE_NOOP("AuditLog", "Setting changed"),
    "password_changed": QT_TRANSLATE_NOOP("AuditLog", "Password changed"),
    "concern_opened": QT_TRANSLATE_NOOP("AuditLog", "Concern opened"),
    "concern_received": QT_TRANSLATE_NOOP("AuditLog", "Concern received"),
    "concern_status": QT_TRANSLATE_NOOP("AuditLog", "Concern closed or reopened"),
    "concern_amended": QT_TRANSLATE_NOOP("AuditLog", "Correction added to a concern"),
    "child_linked": QT_TRANSLATE_NOOP("AuditLog", "Child linked to a concern"),
    "child_created": QT_TRANSLATE_NOOP("AuditLog", "Child record made"),
    "action_added": QT_TRANSLATE_NOOP("AuditLog", "Action added"),
    "follow_up_added": QT_TRANSLATE_NOOP("AuditLog", "Follow-up added"),
    "follow_up_done": QT_TRANSLATE_NOOP("AuditLog", "Follow-up marked done"),
    "child_opened": QT_TRANSLATE_NOOP("AuditLog", "Child's file opened"),
    "child_updated": QT_TRANSLATE_NOOP("AuditLog", "Child's details changed"),
    "case_owner_set": QT_TRANSLATE_NOOP("AuditLog", "Case owner chosen"),
    "risk_level_set": QT_TRANSLATE_NOOP("AuditLog", "Risk level set"),
    "household_added": QT_TRANSLATE_NOOP("AuditLog", "Household member added"),
    "household_removed": QT_TRANSLATE_NOOP("AuditLog", "Household member removed"),
    "professional_added": QT_TRANSLATE_NOOP("AuditLog", "Professional added"),
    "professional_removed": QT_TRANSLATE_NOOP("AuditLog", "Professional removed"),
    "household_changed": QT_TRANSLATE_NOOP("AuditLog", "Household member changed"),
    "professional_changed": QT_TRANSLATE_NOOP("AuditLog", "Professional changed"),
    "handoff_decision": QT_TRANSLATE_NOOP("AuditLog", "Decision recorded"),
    "referral_drafted": QT_TRANSLATE_NOOP("AuditLog", "Referral drafted"),
    "referral_edited": QT_TRANSLATE_NOOP("AuditLog", "Referral changed before sending"),
    "referral_exported": QT_TRANSLATE_NOOP("AuditLog", "Signed referral saved"),
    "referral_section_copied": QT_TRANSLATE_NOOP("AuditLog", "Referral section copied"),
    "referral_response": QT_TRANSLATE_NOOP("AuditLog", "Referral response recorded"),
    "referral_acknowledged": QT_TRANSLATE_NOOP("AuditLog", "Referral acknowledgement recorded"),
    "referral_outcome": QT_TRANSLATE_NOOP("AuditLog", "Referral outcome recorded"),
    "escalation_raised": QT_TRANSLATE_NOOP("AuditLog", "Escalation raised to the next stage"),
    "escalation_result": QT_TRANSLATE_NOOP("AuditLog", "Escalation result recorded"),
    "danger_acknowledged": QT_TRANSLATE_NOOP("AuditLog", "Immediate danger acknowledged"),
    "child_status_added": QT_TRANSLATE_NOOP("AuditLog", "Child's plan or status recorded"),
    "child_status_ended": QT_TRANSLATE_NOOP("AuditLog", "Child's plan or status ended"),
    "concern_notice_done": QT_TRANSLATE_NOOP("AuditLog", "Open plan or pattern notice dealt with"),
    "chronology_exported": QT_TRANSLATE_NOOP("AuditLog", "Chronology saved as PDF"),
    "report_exported": QT_TRANSLATE_NOOP("AuditLog", "Report saved as PDF"),
    "pdf_verified": QT_TRANSLATE_NOOP("AuditLog", "Signed PDF checked"),
    "signing_certificate_created": QT_TRANSLATE_NOOP("AuditLog", "Signing certificate made"),
    "signing_certificate_imported": QT_TRANSLATE_NOOP("AuditLog", "Signing certificate imported"),
    "password_reset": QT_TRANSLATE_NOOP("AuditLog", "Password set by an administrator"),
    "password_reset_with_recovery_key": QT_TRANSLATE_NOOP(
        "AuditLog", "Password set with the recovery key"
    ),
    "recovery_key_failed": QT_TRANSLATE_NOOP("AuditLog", "Wrong recovery key typed"),
    "vault_key_created": QT_TRANSLATE_NOOP("AuditLog", "Settings file seal made"),
    "vault_changed_outside": QT_TRANSLATE_NOOP(
        "AuditLog", "Settings file found changed outside the app"
    ),
    "vault_restored": QT_TRANSLATE_NOOP(
        "AuditLog", "Settings file put back to the records' values"
    ),
    "older_copy_accepted": QT_TRANSLATE_NOOP("AuditLog", "Older records accepted"),
    "inbox_item_quarantined": QT_TRANSLATE_NOOP(
        "AuditLog", "Item kept aside: could not be accepted"
    ),
    "quarantine_accepted": QT_TRANSLATE_NOOP(
        "AuditLog", "Kept-aside concern accepted as unverified"
    ),
    "quarantine_set_aside": QT_TRANSLATE_NOOP("AuditLog", "Kept-aside item set aside"),
    "station_invited": QT_TRANSLATE_NOOP("AuditLog", "Recording station invited"),
    "station_joined": QT_TRANSLATE_NOOP("AuditLog", "Recording station joined"),
    "station_removed": QT_TRANSLATE_NOOP("AuditLog", "Recording station removed"),
    "station_used_old_inbox_key": QT_TRANSLATE_NOOP(
        "AuditLog", "Station concern locked with the key from before a lead left"
    ),
    "station_old_key_warning_dismissed": QT_TRANSLATE_NOOP(
        "AuditLog", "Warning about a station's old key dealt with"
    ),
    "backup_made": QT_TRANSLATE_NOOP("AuditLog", "Backup made and checked"),
    "restored_from_backup": QT_TRANSLATE_NOOP("AuditLog", "Records restored from a backup"),
    "records_checked": QT_TRANSLATE_NOOP("AuditLog", "Records checked"),
    "full_export": QT_TRANSLATE_NOOP("AuditLog", "Everything exported"),
    "export_leftovers_removed": QT_TRANSLATE_NOOP(
        "AuditLog", "Files left by an unfinished export deleted"
    ),
}


def action_words(action: str) -> str:
    words = _ACTION_WORDS.get(action)
    if words is None:
        return action.replace("_", " ").capitalize()
    return QCoreApplication.translate("AuditLog", str(words))


def _local_time(moment: datetime) -> str:
    return short_date(local(moment))


class AuditLogPage(QWidget):
    """The newest audit entries: when, who, what."""

    def __init__(self, session: CaseSession, worker: CaseWorker) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        # Every change writes to the log; the entries are read again while they show.
        worker.changed.connect(self._records_changed)
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
            audit_trail.entries, self._session, 200, on_done=self._show, on_error=self._failed
        )

    def _records_changed(self, _changes: Changes) -> None:
        if self.isVisible():
            self.refresh()

    def _show(self, entries: list[AuditEntry]) -> None:
        self.error.clear_message()
        # Emptied first: replacing the items of rows already shown makes the
        # ResizeToContents columns measure every row again for each item (0.5 s for 200
        # rows on every visit to the page; 5 ms this way).
        self.table.setRowCount(0)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (_local_time(entry.at), entry.actor, action_words(entry.action))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _failed(self, failure: Failure) -> None:
        self.error.show_error(failure.message)


class CaseArea(QWidget):
    """Left navigation and the pages of the DSL/admin area, and the inbox timer."""

    idle_minutes_changed = Signal(int)
    record_requested = Signal()
    # From the Concern view, for the dialogs the main window opens (module docstring).
    handoff_requested = Signal(str)
    referral_requested = Signal(str)

    def __init__(
        self,
        session: CaseSession,
        store: Store,
        worker: Worker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        # The one worker, and the one signal of what each call changed (case_worker.py).
        self.worker = CaseWorker(worker, self)
        self.worker.changed.connect(self._records_changed)
        self.setAccessibleName(self.tr("Records area"))
        self.navigation = QListWidget()
        self.navigation.setProperty("sgRole", "navigation")
        self.navigation.setAccessibleName(self.tr("Sections"))
        self.navigation.setFixedWidth(text_width(20))
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages = QStackedWidget()

        self.home = HomePage(session, self.worker)
        self.home.record_button.clicked.connect(self.record_requested)
        self.home.concern_requested.connect(self.open_concern)
        self.home.concerns_requested.connect(self.show_concerns)
        self.home.child_transfers_requested.connect(self.open_child_transfers)
        self.home.due_files_requested.connect(self.show_due_files)
        self.concerns = ConcernsPage(session, self.worker)
        self.concerns.child_requested.connect(self.open_child)
        self.concerns.handoff_requested.connect(self.handoff_requested)
        self.concerns.referral_requested.connect(self.referral_requested)
        self.handoff_requested.connect(self.open_handoff)
        self.referral_requested.connect(self.open_referral)
        self.audit = AuditLogPage(session, self.worker)
        self.people: PeoplePage | None = None
        self.settings = SettingsPage(session, store, self.worker)
        self.children_page = ChildrenPage(session, store, self.worker)
        self.children_page.concern_requested.connect(self.open_concern)
        self.low_level = LowLevelConcernsPage(session, self.worker)
        sections: list[tuple[str, QWidget]] = [
            (self.tr("Home"), self.home),
            (self.tr("Concerns"), self.concerns),
            (self.tr("Children"), self.children_page),
            # Concerns about adults below the harm threshold, apart from children's files
            # ("Low-level concerns" is cut off at the navigation's width).
            (self.tr("Low-level log"), self.low_level),
            (self.tr("Reports"), ReportsPage(session, self.worker)),
            (self.tr("Audit log"), self.audit),
        ]
        if session.user.role is Role.ADMIN:
            self.people = PeoplePage(session, store, self.worker)
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

        # One line under every page for news from the inbox: how many, never what.
        self.arrivals = MessageLine(self.tr("New concerns"))
        self.arrivals.setContentsMargins(28, 6, 28, 8)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.pages, 1)
        right.addWidget(self.arrivals)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addLayout(right, 1)
        self.navigation.setCurrentRow(0)

        self._ingesting = False
        self.ingest_timer = QTimer(self)
        self.ingest_timer.setInterval(INGEST_INTERVAL_MS)
        self.ingest_timer.timeout.connect(self.check_inbox)
        self.ingest_timer.start()
        # Sign-in took in inbox.db; the recording stations' drop folder is read at once too
        # (services/stations.py), on the worker after Home's first load.
        QTimer.singleShot(0, self.check_inbox)

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

    # Routing between pages ---------------------------------------------------------------

    def _show_page(self, page: QWidget) -> None:
        """Select ``page`` in the navigation (which refreshes it)."""
        index = self.pages.indexOf(page)
        if index >= 0 and self.navigation.currentRow() != index:
            self.navigation.setCurrentRow(index)

    def open_concern(self, ref: str) -> None:
        """The Concern view for ``ref``, from Home, a child's page or anywhere else."""
        self._show_page(self.concerns)
        self.concerns.open_concern(ref)

    def show_concerns(self, status: str) -> None:
        self._show_page(self.concerns)
        self.concerns.show_status(status)

    def open_child(self, child_id: int) -> None:
        self._show_page(self.children_page)
        self.children_page.open_child(child_id)

    def show_due_files(self) -> None:
        """The Children page's list of files due for their retention review (from Home)."""
        self._show_page(self.children_page)
        self.children_page.show_due()

    def open_child_transfers(self, child_id: int) -> None:
        """The child's file at its Transfers tab (Home's transfers waiting for receipt)."""
        self._show_page(self.children_page)
        self.children_page.open_child_transfers(child_id)

    def open_handoff(self, ref: str) -> HandoffWizard:
        """The guided handoff for concern ``ref``; a child of the area, so it goes at lock.

        Given the area's worker: the decision it records reaches every page."""
        wizard = HandoffWizard(self.session, self.worker, ref, self)
        wizard.open()
        return wizard

    def open_referral(self, referral_ref: str) -> ReferralDialog:
        """Preview, sign and save a referral; a child of the area, so it goes at lock."""
        return open_referral_dialog(self, self.session, self.worker, referral_ref)

    def _records_changed(self, changes: Changes) -> None:
        # The one thing the area itself shows of a change: the lock's minutes, which the
        # window keeps (from Settings, or the settings file put back from Home).
        if Setting.IDLE_LOCK in changes.settings:
            self.idle_minutes_changed.emit(self.session.store.idle_lock_minutes)

    # The inbox ---------------------------------------------------------------------------

    def check_inbox(self) -> None:
        """Open any sealed concerns into the records (every minute, on the worker)."""
        if self._ingesting or self.session.is_locked or self.property(DISCARDED_PROPERTY):
            return
        self._ingesting = True
        self.worker.submit(
            _ingest, self.session, on_done=self._ingested, on_error=self._ingest_failed
        )

    def _ingested(self, changes: Changes) -> None:
        # Every page showing concerns reads them again from ``changes``: only the line here.
        self._ingesting = False
        arrived = len(changes.concerns)
        if arrived <= 0:
            return
        now = datetime.now().strftime("%H:%M")
        self.arrivals.show_good(
            self.tr("1 new concern arrived at {time}.").format(time=now)
            if arrived == 1
            else self.tr("{n} new concerns arrived at {time}.").format(n=arrived, time=now)
        )

    def _ingest_failed(self, failure: Failure) -> None:
        self._ingesting = False
        self.arrivals.show_error(failure.message)


def _ingest(session: CaseSession) -> Changes:
    return inbox.ingest(session)
