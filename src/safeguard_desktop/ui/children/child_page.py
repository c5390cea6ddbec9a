"""One child's file: details, case owner and risk, family, professionals, concerns, files
attached, follow-ups, the chronology, with "Save chronology as PDF…", and keeping the file
(its retention review date, a legal hold, deleting it at its review), and its transfers to
or from another school or club (ui/transfer/).

Everything is read and changed through the casework services on the worker; the services
write the audit log (opening the file, every change, every PDF). After a change to the
child, or to a concern on the child's file, wherever it was made (``on_changes``, from the
records area's one signal), the file is read again. Record text is shown in
plain-text widgets only (a name typed as "<b>x</b>" must never become markup) and always
through ``display_safe``. The page, its dialogs and everything typed in them are children
of the records area, so a lock destroys them.

Over 500 lines because it is one page class whose handlers share the loaded file and
whatever dialog is open; the tabs (child_file_tabs.py), the dialogs (child_dialogs.py),
the chronology (chronology_view.py), the owner and risk choices (case_choices.py),
keeping the file (keeping_file.py, retention_dialogs.py, file_deletion.py) and the files
attached (ui/attachments/) are modules of their own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.casework import NewAction
from safeguard_desktop.domain.child_status import NewStatus
from safeguard_desktop.domain.children import (
    ChildDetails,
    HouseholdMember,
    Professional,
)
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.domain.records import ChronologyEntry
from safeguard_desktop.domain.retention import Retention
from safeguard_desktop.services import casework, child_status, children, retention
from safeguard_desktop.services.changes import Added, Changes
from safeguard_desktop.services.children import ChildFile
from safeguard_desktop.services.chronology_export import (
    SUGGESTED_FILE_NAME,
    SavedChronology,
    save_chronology_pdf,
)
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

from ..attachments.attachment_actions import AttachmentActions
from ..attachments.attachment_list import AttachmentList
from ..case_worker import CaseWorker
from ..casework.action_dialog import AddActionDialog
from ..subject_access.request_lists import ChildRequests
from ..theme import MessageLine, heading, hint, scroll_area
from ..transfer.transfer_lists import ChildTransfers, TransferredBanner
from ..translations import plural
from ..widgets.dialog_parts import busy_bar
from ..widgets.pdf_save_dialog import open_pdf_save_dialog
from ..widgets.record_text import record_label
from ..widgets.wrapping_tabs import WrappingTabs
from ..worker import Failure
from .case_choices import CaseChoices
from .child_dialogs import (
    ChildDetailsDialog,
    FollowUpDialog,
    HouseholdMemberDialog,
    ProfessionalDialog,
    RecordDialog,
)
from .child_file_tabs import (
    CONCERN_HEADERS,
    CONCERN_STRETCH,
    FOLLOW_UP_HEADERS,
    FOLLOW_UP_STRETCH,
    HISTORY_HEADERS,
    HISTORY_STRETCH,
    HOUSEHOLD_HEADERS,
    HOUSEHOLD_STRETCH,
    PROFESSIONAL_HEADERS,
    PROFESSIONAL_STRETCH,
    STATUS_HEADERS,
    STATUS_STRETCH,
    DetailsTab,
    ListTab,
    born_words,
    button,
    concern_rows,
    follow_up_rows,
    headers,
    history_rows,
    household_rows,
    professional_rows,
    safe_line,
    status_rows,
)
from .chronology_view import ChronologyView
from .file_deletion import FileDeletion
from .keeping_file import KeepingTab, LegalHoldBanner
from .retention_dialogs import HoldDialog, ReviewDateDialog
from .status_dialogs import EndStatusDialog, StatusDialog

# The tab bar's order; tests and the lead's wiring refer to tabs by these.
CHRONOLOGY_TAB, DETAILS_TAB, HOUSEHOLD_TAB, PROFESSIONALS_TAB, CONCERNS_TAB = range(5)
ATTACHMENTS_TAB, FOLLOW_UPS_TAB, STATUSES_TAB, HISTORY_TAB, KEEPING_TAB = range(5, 10)
SUBJECT_ACCESS_TAB, TRANSFERS_TAB = 10, 11


# The one dialog open on the page, if any.
ChildDialog = RecordDialog[Any] | AddActionDialog | None

# Worker calls: each reads or writes the encrypted database. -----------------------------


ChildBundle = tuple[ChildFile, list[ChronologyEntry], Retention]


def _child_bundle(session: CaseSession, child_id: int, audit: bool) -> ChildBundle:
    file = children.child_file(session, child_id, audit=audit)
    return (
        file,
        children.chronology(session, child_id),
        retention.retention_of(session, child_id),
    )


def _update_child(session: CaseSession, child_id: int, details: ChildDetails) -> Changes:
    return children.update_child(session, child_id, details)


def _add_member(session: CaseSession, child_id: int, member: HouseholdMember) -> Added:
    return children.add_household_member(session, child_id, member)


def _remove_member(session: CaseSession, child_id: int, member_id: int) -> Changes:
    return children.remove_household_member(session, child_id, member_id)


def _change_member(
    session: CaseSession, child_id: int, change: tuple[int, HouseholdMember]
) -> Added:
    return children.change_household_member(session, child_id, *change)


def _change_professional(
    session: CaseSession, child_id: int, change: tuple[int, Professional]
) -> Added:
    return children.change_professional(session, child_id, *change)


def _add_professional(session: CaseSession, child_id: int, professional: Professional) -> Added:
    return children.add_professional(session, child_id, professional)


def _remove_professional(session: CaseSession, child_id: int, professional_id: int) -> Changes:
    return children.remove_professional(session, child_id, professional_id)


def _add_status(session: CaseSession, child_id: int, status: NewStatus) -> Added:
    return child_status.add_status(session, child_id, status)


def _end_status(session: CaseSession, _child_id: int, ended: tuple[int, date]) -> Changes:
    return child_status.end_status(session, ended[0], ended[1])


def _add_action(session: CaseSession, child_id: int, action: NewAction) -> Added:
    return casework.add_action(session, action, child_id=child_id)


def _add_follow_up(session: CaseSession, child_id: int, due: tuple[date, str]) -> Added:
    return casework.add_follow_up(session, due[0], due[1], child_id=child_id)


def _save_pdf(session: CaseSession, child_id: int, path: Path) -> SavedChronology:
    return save_chronology_pdf(session, child_id, path)


def _set_review_date(session: CaseSession, child_id: int, chosen: tuple[date, str]) -> Changes:
    return retention.set_review_date(session, child_id, *chosen)


def _clear_review_date(session: CaseSession, child_id: int, _: None) -> Changes:
    return retention.clear_review_date(session, child_id)


def _place_hold(session: CaseSession, child_id: int, reason: str) -> Changes:
    return retention.place_legal_hold(session, child_id, reason)


def _lift_hold(session: CaseSession, child_id: int, reason: str) -> Changes:
    return retention.lift_legal_hold(session, child_id, reason)


class ChildPage(QWidget):
    """One child's file. ``back_requested`` returns to the list of children;
    ``file_deleted(sentence)`` says the file was deleted at its review."""

    back_requested = Signal()
    concern_requested = Signal(str)
    file_deleted = Signal(str)

    def __init__(
        self,
        session: CaseSession,
        store: Store,
        worker: CaseWorker,
        child_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._store = store
        self._worker = worker
        worker.changed.connect(self.on_changes)
        self.child_id = child_id
        self.file: ChildFile | None = None
        self.retention: Retention | None = None
        self.deleted = False
        self.loaded = False
        self.dialog: ChildDialog = None
        self.confirm_box: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None
        self.saving_pdf = False
        self.setAccessibleName(self.tr("A child's file"))

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 16, 28, 16)
        layout.setSpacing(10)

        # The way back and the child's name on one line, like a breadcrumb.
        top = QHBoxLayout()
        top.setSpacing(16)
        self.back_button = button(
            self.tr("← &Back to all children"),
            self.tr("Back to all children"),
            self.back_requested.emit,
        )
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        # Alt+Left, as in a browser, also goes back to the list.
        back = QShortcut(QKeySequence.StandardKey.Back, self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_requested)
        self.title = heading(self.tr("Opening the child's file…"))
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAccessibleName(self.tr("Child's name"))
        top.addWidget(self.title, 1)
        layout.addLayout(top)
        # First under the name, whichever tab is open: a file that must not be deleted.
        self.hold_banner = LegalHoldBanner()
        layout.addWidget(self.hold_banner)
        # Then, for a child who moved on: where the file went, and until when it is kept.
        self.transferred_banner = TransferredBanner()
        layout.addWidget(self.transferred_banner)
        self.facts = record_label("", self.tr("About the child"))
        self.facts.setProperty("sgRole", "hint")
        layout.addWidget(self.facts)

        self.message = MessageLine(self.tr("Result"))
        layout.addWidget(self.message)
        self.busy = busy_bar(self.tr("Working"))
        layout.addWidget(self.busy)

        self.attachment_actions = AttachmentActions(
            session, worker, self, self.message, child_id=child_id
        )
        self.deletion = FileDeletion(session, worker, self, child_id, self.message)
        self.deletion.busy_changed.connect(self._set_busy)
        self.deletion.deleted.connect(self._file_deleted)
        self.case_choices = CaseChoices(session, worker, child_id, self.message)
        self.case_choices.busy_changed.connect(self._set_busy)
        self.case_choices.saved.connect(self._saved)
        self.owner, self.risk = self.case_choices.owner, self.case_choices.risk
        layout.addWidget(self.case_choices)

        # Twelve tabs: their names wrap on to a second line at 150 % rather than hide behind
        # scroll arrows.
        self.tabs = WrappingTabs()
        self.tabs.setAccessibleName(self.tr("Parts of the child's file"))
        self._list_tabs()
        self.tabs.addTab(self._chronology_tab(), self.tr("C&hronology"))
        self.tabs.addTab(self.details_tab, self.tr("&Details"))
        self.tabs.addTab(self.household_tab, self.tr("Ho&usehold"))
        self.tabs.addTab(self.professionals_tab, self.tr("Professio&nals"))
        self.tabs.addTab(self.concerns_tab, self.tr("Conc&erns"))
        self.tabs.addTab(self._attachments_tab(), self.tr("Attachment&s"))
        self.tabs.addTab(self.follow_ups_tab, self.tr("Follo&w-ups"))
        self.tabs.addTab(self.statuses_tab, self.tr("Statuses and p&lans"))
        self.tabs.addTab(self.history_tab, self.tr("Histor&y"))
        # No Alt key: every letter of its name opens another tab or a button on one.
        self.keeping_tab = KeepingTab(
            self.open_review_date,
            self.open_hold,
            self.open_hold,
            self.ask_delete,
            can_lift=session.user.role is Role.ADMIN,
        )
        self.tabs.addTab(self.keeping_tab, self.keeping_tab.tab_text())
        # No Alt key either: requests for the child's records, each with its deadline.
        self.subject_access = ChildRequests(session, worker, child_id)
        self.tabs.addTab(self.subject_access, self.tr("Subject access"))
        # No Alt key either: the file sent to a new school or club, or received from one.
        self.transfers = ChildTransfers(session, worker, child_id, self.transferred_banner)
        self.tabs.addTab(self.transfers, self.tr("Transfers"))
        # Room for a screenful of entries even at 150 % text; the page scrolls beyond it.
        self.tabs.setMinimumHeight(self.fontMetrics().lineSpacing() * 24)
        layout.addWidget(self.tabs, 1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroller = scroll_area(body)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(self.scroller)
        self._set_enabled(False)

    # Tabs ------------------------------------------------------------------------------

    def _chronology_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 10, 4, 4)
        self.action_button = button(
            self.tr("Add a&ction or note…"), self.tr("Add an action or note"), self.open_action
        )
        self.pdf_button = button(
            self.tr("Save chronology as &PDF…"),
            self.tr("Save chronology as PDF"),
            self.ask_pdf_path,
        )
        self.chronology = ChronologyView()
        self.chronology.concern_requested.connect(self.concern_requested)
        self.chronology.attachment_requested.connect(self.show_attachment)
        self.chronology.add_buttons(self.action_button, self.pdf_button)
        layout.addWidget(self.chronology, 1)
        return tab

    def _attachments_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.addWidget(
            hint(
                self.tr(
                    "Files kept in this child's file, and those attached to each of their "
                    "concerns, oldest first."
                )
            )
        )
        self.attachment_list = AttachmentList(in_child_file=True)
        self.attachment_actions.connect_list(self.attachment_list)
        column = QWidget()
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 8, 0)
        inner.addWidget(self.attachment_list)
        inner.addStretch(1)
        self.attachments_scroller = scroll_area(column)
        layout.addWidget(self.attachments_scroller, 1)
        return tab

    def show_attachment(self, attachment_id: int) -> None:
        """The Attachments tab, with the keyboard on that file (from the chronology)."""
        self.tabs.setCurrentIndex(ATTACHMENTS_TAB)
        button = self.attachment_list.focus_attachment(attachment_id)
        card = button.parentWidget() if button is not None else None
        if card is not None:
            # The whole card in view (its words are left of the button), once laid out.
            QTimer.singleShot(
                0, self, lambda: self.attachments_scroller.ensureWidgetVisible(card, 0, 8)
            )

    def _list_tabs(self) -> None:
        self.details_tab = DetailsTab(self.open_edit_details)
        self.detail_values = self.details_tab.values
        self.edit_button = self.details_tab.edit_button

        self.add_member_button = button(
            self.tr("Add a household &member…"),
            self.tr("Add a household member"),
            self.open_add_member,
        )
        self.remove_member_button = button(
            self.tr("Remo&ve…"),
            self.tr("Remove the selected household member"),
            self.ask_remove_member,
        )
        self.change_member_button = button(
            self.tr("Chan&ge…"),
            self.tr("Change the selected household member"),
            self.open_change_member,
        )
        self.household_tab = ListTab(
            self.tr("Family and people in the household, and who can be contacted."),
            headers(HOUSEHOLD_HEADERS),
            self.tr("Household members"),
            [self.add_member_button, self.change_member_button, self.remove_member_button],
            HOUSEHOLD_STRETCH,
        )
        self.household = self.household_tab.table

        self.add_professional_button = button(
            self.tr("Add a profess&ional…"),
            self.tr("Add a professional"),
            self.open_add_professional,
        )
        self.remove_professional_button = button(
            self.tr("Remo&ve…"),
            self.tr("Remove the selected professional"),
            self.ask_remove_professional,
        )
        self.change_professional_button = button(
            self.tr("Chan&ge…"),
            self.tr("Change the selected professional"),
            self.open_change_professional,
        )
        self.professionals_tab = ListTab(
            self.tr("Professionals from other agencies working with the child."),
            headers(PROFESSIONAL_HEADERS),
            self.tr("Professionals involved"),
            [
                self.add_professional_button,
                self.change_professional_button,
                self.remove_professional_button,
            ],
            PROFESSIONAL_STRETCH,
        )
        self.professionals = self.professionals_tab.table

        self.open_concern_button = button(
            self.tr("O&pen the selected concern"),
            self.tr("Open the selected concern"),
            lambda: self._concern_row_activated(self.concerns.currentRow()),
        )
        self.concerns_tab = ListTab(
            self.tr("Every concern linked to this child. Double-click or press Enter to open."),
            headers(CONCERN_HEADERS),
            self.tr("Concerns about the child"),
            [self.open_concern_button],
            CONCERN_STRETCH,
        )
        self.concerns = self.concerns_tab.table
        self.concerns.row_activated.connect(self._concern_row_activated)

        self.follow_up_button = button(
            self.tr("Add a &follow-up…"), self.tr("Add a follow-up"), self.open_follow_up
        )
        self.follow_ups_tab = ListTab(
            self.tr(
                "Things to be done about this child, soonest first. The number on the tab "
                "counts those not done yet."
            ),
            headers(FOLLOW_UP_HEADERS),
            self.tr("Follow-ups"),
            [self.follow_up_button],
            FOLLOW_UP_STRETCH,
        )
        self.follow_ups = self.follow_ups_tab.table

        self.add_status_button = button(
            self.tr("&Add a status…"), self.tr("Add a status"), self.open_add_status
        )
        self.end_status_button = button(
            self.tr("Mar&k as ended…"),
            self.tr("Mark the selected status as ended"),
            self.open_end_status,
        )
        self.statuses_tab = ListTab(
            self.tr(
                "Plans and statuses, current ones first: a child protection or child in need "
                "plan, looked after, early help, an EHCP, young carer, privately fostered. "
                "They are printed on the child's referrals."
            ),
            headers(STATUS_HEADERS),
            self.tr("Statuses and plans"),
            [self.add_status_button, self.end_status_button],
            STATUS_STRETCH,
        )
        self.statuses = self.statuses_tab.table
        self.history_tab = ListTab(
            self.tr(
                "Every change to the child's details, household and professionals, newest "
                "first: what it was before, what it became, when and by whom."
            ),
            headers(HISTORY_HEADERS),
            self.tr("History of the child's record"),
            [],
            HISTORY_STRETCH,
        )
        self.history = self.history_tab.table
        for table in (self.household, self.professionals, self.concerns, self.statuses):
            table.itemSelectionChanged.connect(self._selection_changed)

    # Loading ---------------------------------------------------------------------------

    def load(self, *, audit: bool = True) -> None:
        """Read the child's file on the worker. The first opening is audited."""
        self._set_busy(True)
        self._worker.submit(
            _child_bundle,
            self._session,
            self.child_id,
            audit,
            on_done=self._loaded,
            on_error=self._load_failed,
        )

    def reload(self) -> None:
        """Read the file again after a change (not a new opening: not audited again)."""
        self.load(audit=False)

    def shows(self, changes: Changes) -> bool:
        """Whether ``changes`` touch this child, or a concern on the child's file."""
        concerns = {c.ref for c in self.file.concerns} if self.file is not None else set()
        return self.child_id in changes.children or bool(concerns & changes.concerns)

    def on_changes(self, changes: Changes) -> None:
        # A deleted file has nothing left to read (the page is closing).
        if not self.deleted and self.shows(changes):
            self.reload()

    def _loaded(self, bundle: ChildBundle) -> None:
        file, entries, kept = bundle
        self.file = file
        self.retention = kept
        self.loaded = True
        self._set_busy(False)
        self._set_enabled(True)
        # vault.json is already in memory: reading the accounts needs no worker.
        users = self._store.users()
        self.title.setText(safe_line(file.record.details.name))
        self.facts.setText(self._facts_line(file))
        self.case_choices.show_record(file.record, users)
        names = {u.username: u.display_name for u in users}
        self._fill_lists(file, names)
        self.chronology.set_entries(entries, names)
        self.tabs.setTabText(CHRONOLOGY_TAB, self.tr("C&hronology ({n})").format(n=len(entries)))
        self.hold_banner.show_retention(kept)
        self.keeping_tab.show_retention(kept)
        self.tabs.setTabText(KEEPING_TAB, self.keeping_tab.tab_text())
        self.subject_access.set_child_name(safe_line(file.record.details.name))
        self.subject_access.load()
        self.transfers.set_child_name(safe_line(file.record.details.name))
        self.transfers.load(kept.review_on)
        self._selection_changed()

    def _load_failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.message.show_error(failure.message)
        if not self.loaded:
            self.title.setText(self.tr("The child's file could not be opened"))

    def _facts_line(self, file: ChildFile) -> str:
        details = file.record.details
        if details.date_of_birth is not None:
            born = self.tr("Born {born}").format(born=born_words(details))
        elif details.approximate_age is not None:
            born = self.tr("Date of birth not known; about {age} years old").format(
                age=details.approximate_age
            )
        else:
            born = self.tr("Date of birth not known")
        parts = [born]
        if details.group:
            parts.append(safe_line(details.group))
        count = len(file.concerns)
        parts.append(
            self.tr("1 concern") if count == 1 else self.tr("{n} concerns").format(n=count)
        )
        return "  ·  ".join(parts)

    def _fill_lists(self, file: ChildFile, names: dict[str, str]) -> None:
        self.details_tab.fill(file.record.details)
        self.attachment_list.show_attachments(file.attachments, names)
        self.household.fill(household_rows(file))
        self.professionals.fill(professional_rows(file))
        self.concerns.fill(concern_rows(file))
        self.follow_ups.fill(follow_up_rows(file))
        self.statuses.fill(status_rows(file))
        self.history.fill(history_rows(file, names))
        current = sum(1 for s in file.statuses if s.is_current)
        open_follow_ups = sum(1 for f in file.follow_ups if f.done_at is None)
        for tab, text in (
            (HOUSEHOLD_TAB, self.tr("Ho&usehold ({n})").format(n=len(file.household))),
            (
                PROFESSIONALS_TAB,
                self.tr("Professio&nals ({n})").format(n=len(file.professionals)),
            ),
            (CONCERNS_TAB, self.tr("Conc&erns ({n})").format(n=len(file.concerns))),
            (ATTACHMENTS_TAB, self.tr("Attachment&s ({n})").format(n=len(file.attachments))),
            (FOLLOW_UPS_TAB, self.tr("Follo&w-ups ({n})").format(n=open_follow_ups)),
            (STATUSES_TAB, self.tr("Statuses and p&lans ({n})").format(n=current)),
            (HISTORY_TAB, self.tr("Histor&y ({n})").format(n=len(file.history))),
        ):
            self.tabs.setTabText(tab, text)

    # State -----------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (
            self.case_choices,
            self.action_button,
            self.follow_up_button,
            self.pdf_button,
            self.edit_button,
            self.add_member_button,
            self.add_professional_button,
            self.add_status_button,
            self.attachment_list.attach_button,
            self.transfers.transfer_button,
        ):
            widget.setEnabled(enabled)
        self.keeping_tab.show_enabled(enabled)
        if not enabled:
            for widget in (
                self.remove_member_button,
                self.remove_professional_button,
                self.change_member_button,
                self.change_professional_button,
                self.open_concern_button,
                self.end_status_button,
            ):
                widget.setEnabled(False)
        else:
            self._selection_changed()
        if self.saving_pdf:
            self.pdf_button.setEnabled(False)

    def _selection_changed(self) -> None:
        ready = self.loaded
        member = ready and self.household.selected_value() is not None
        self.remove_member_button.setEnabled(member)
        self.change_member_button.setEnabled(member)
        self.change_professional_button.setEnabled(
            ready and self.professionals.selected_value() is not None
        )
        self.remove_professional_button.setEnabled(
            ready and self.professionals.selected_value() is not None
        )
        self.open_concern_button.setEnabled(ready and self.concerns.selected_value() is not None)
        self.end_status_button.setEnabled(ready and self.statuses.selected_value() is not None)

    def _saved(self, sentence: str, _: object = None) -> None:
        # The file is read again from what the change names (on_changes).
        self.message.show_good(sentence)

    def _failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.message.show_error(failure.message)

    # Dialogs -----------------------------------------------------------------------------

    def _open_dialog(
        self,
        dialog: RecordDialog[Any],
        save: Callable[[object], None],
    ) -> None:
        if self.dialog is not None:
            return
        self.message.clear_message()
        self.dialog = dialog
        dialog.save_button.clicked.connect(lambda: self._dialog_save(save))
        dialog.finished.connect(self._dialog_closed)
        dialog.open()
        dialog.first_field().setFocus()

    def _dialog_save(self, save: Callable[[object], None]) -> None:
        dialog = self.dialog
        if not isinstance(dialog, RecordDialog) or dialog.busy.isVisible():
            return
        value = dialog.try_checked()
        if value is None:
            return
        dialog.set_busy(True)
        save(value)

    def _dialog_closed(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    # An answer belongs to the dialog that asked: closed with Escape while saving, another
    # may be open by the time it comes, and must not be closed or given its sentence.

    def _dialog_done(self, dialog: ChildDialog, sentence: str, _: object = None) -> None:
        if dialog is not None and dialog is self.dialog:
            dialog.accept()
        self._saved(sentence)

    def _dialog_failed(self, dialog: ChildDialog, failure: Failure) -> None:
        if dialog is None or dialog is not self.dialog:
            self.message.show_error(failure.message)
        elif isinstance(dialog, AddActionDialog):
            dialog.show_worker_failure(failure)
        else:
            dialog.set_busy(False)
            dialog.show_error(getattr(failure.error, "field", None), failure.message)

    def _submit_from_dialog(self, fn: Callable[..., object], value: object, sentence: str) -> None:
        dialog = self.dialog
        self._worker.submit(
            fn,
            self._session,
            self.child_id,
            value,
            on_done=functools.partial(self._dialog_done, dialog, sentence),
            on_error=functools.partial(self._dialog_failed, dialog),
        )

    def open_edit_details(self) -> None:
        if self.file is None:
            return
        self._open_dialog(
            ChildDetailsDialog(self.file.record.details, self),
            lambda details: self._submit_from_dialog(
                _update_child, details, self.tr("The child's details are saved.")
            ),
        )

    def open_add_member(self) -> None:
        self._open_dialog(
            HouseholdMemberDialog(self),
            lambda member: self._submit_from_dialog(
                _add_member, member, self.tr("Added to the household.")
            ),
        )

    def open_change_member(self) -> None:
        member_id = self.household.selected_value()
        found = [m for m in (self.file.household if self.file else ()) if m.member_id == member_id]
        if not found:
            return
        self._open_dialog(
            HouseholdMemberDialog(self, found[0].member),
            lambda member: self._submit_from_dialog(
                _change_member,
                (found[0].member_id, member),
                self.tr("The change is saved; what it was before is kept in the history."),
            ),
        )

    def open_change_professional(self) -> None:
        pid = self.professionals.selected_value()
        found = [
            p for p in (self.file.professionals if self.file else ()) if p.professional_id == pid
        ]
        if not found:
            return
        self._open_dialog(
            ProfessionalDialog(self, found[0].professional),
            lambda professional: self._submit_from_dialog(
                _change_professional,
                (found[0].professional_id, professional),
                self.tr("The change is saved; what it was before is kept in the history."),
            ),
        )

    def open_add_professional(self) -> None:
        self._open_dialog(
            ProfessionalDialog(self),
            lambda professional: self._submit_from_dialog(
                _add_professional, professional, self.tr("Professional added.")
            ),
        )

    def open_add_status(self) -> None:
        self._open_dialog(
            StatusDialog(self),
            lambda status: self._submit_from_dialog(_add_status, status, self.tr("Status added.")),
        )

    def open_end_status(self) -> None:
        status_id = self.statuses.selected_value()
        found = [s for s in (self.file.statuses if self.file else ()) if s.status_id == status_id]
        if not found:
            return
        record = found[0]
        self._open_dialog(
            EndStatusDialog(record.words(), record.status.started_on, self),
            lambda ended: self._submit_from_dialog(
                _end_status, (record.status_id, ended), self.tr("The status is marked as ended.")
            ),
        )

    def open_action(self) -> None:
        # The dialog a concern uses; here the action is about the child alone.
        if self.dialog is not None:
            return
        self.message.clear_message()
        dialog = AddActionDialog(self._session.user.display_name, self, for_child=True)
        self.dialog = dialog
        dialog.confirm_button.clicked.connect(self._save_action)
        dialog.finished.connect(self._dialog_closed)
        dialog.open()
        dialog.kind.setFocus()

    def _save_action(self) -> None:
        dialog = self.dialog
        if not isinstance(dialog, AddActionDialog) or dialog.busy:
            return
        dialog.clear_errors()
        try:
            action = dialog.action()
        except BadInput as error:
            dialog.show_failure(error.message, error.field)
            return
        dialog.set_busy(True)
        self._submit_from_dialog(_add_action, action, self.tr("Added to the chronology."))

    def open_follow_up(self) -> None:
        self._open_dialog(
            FollowUpDialog(self),
            lambda due: self._submit_from_dialog(_add_follow_up, due, self.tr("Follow-up added.")),
        )

    # Keeping the file -------------------------------------------------------------------

    def open_review_date(self) -> None:
        if self.retention is None or self.dialog is not None:
            return
        dialog = ReviewDateDialog(self.retention, self)
        if dialog.rule_button is not None:
            dialog.rule_button.clicked.connect(self._back_to_rule)
        self._open_dialog(
            dialog,
            lambda chosen: self._submit_from_dialog(
                _set_review_date, chosen, self.tr("The review date is saved, with the reason.")
            ),
        )

    def _back_to_rule(self) -> None:
        dialog = self.dialog
        if not isinstance(dialog, ReviewDateDialog) or dialog.busy.isVisible():
            return
        dialog.clear_errors()
        dialog.set_busy(True)
        self._submit_from_dialog(
            _clear_review_date,
            None,
            self.tr("The review date follows the organisation's rule again."),
        )

    def open_hold(self) -> None:
        """Place a legal hold, or lift the one in force (the dialog asks why, either way)."""
        if self.retention is None or self.dialog is not None:
            return
        lifting = self.retention.held
        self._open_dialog(
            HoldDialog(self.retention, self),
            lambda reason: self._submit_from_dialog(
                _lift_hold if lifting else _place_hold,
                reason,
                self.tr("The legal hold is lifted.")
                if lifting
                else self.tr(
                    "The legal hold is placed: this file cannot be deleted until it is lifted."
                ),
            ),
        )

    def ask_delete(self) -> None:
        if self.file is not None and self.dialog is None:
            self.deletion.ask(safe_line(self.file.record.details.name))

    def _file_deleted(self, sentence: str) -> None:
        # Nothing is left to read again: the list of children takes over (children_page.py).
        self.deleted = True
        self.file_deleted.emit(sentence)

    # Removing ---------------------------------------------------------------------------

    def _confirm(self, text: str, button_text: str, on_yes: Callable[[], None]) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Remove"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        yes = box.addButton(button_text, QMessageBox.ButtonRole.DestructiveRole)
        yes.setAccessibleName(button_text)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        cancel.setAccessibleName(self.tr("Cancel"))
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        yes.clicked.connect(on_yes)
        box.finished.connect(self._confirm_closed)
        self.confirm_box = box
        box.open()

    def _confirm_closed(self) -> None:
        box, self.confirm_box = self.confirm_box, None
        if box is not None:
            box.deleteLater()

    def ask_remove_member(self) -> None:
        member_id = self.household.selected_value()
        if not isinstance(member_id, int):
            return
        name = self.household.cell_text(self.household.currentRow(), 0)
        self._confirm(
            self.tr(
                "Take {name} off the household list? The change is kept in the audit log."
            ).format(name=name),
            self.tr("Remove from the household"),
            lambda: self._remove(_remove_member, member_id, self.tr("Removed from the household.")),
        )

    def ask_remove_professional(self) -> None:
        professional_id = self.professionals.selected_value()
        if not isinstance(professional_id, int):
            return
        name = self.professionals.cell_text(self.professionals.currentRow(), 0)
        self._confirm(
            self.tr(
                "Take {name} off the list of professionals? The change is kept in the audit log."
            ).format(name=name),
            self.tr("Remove the professional"),
            lambda: self._remove(
                _remove_professional, professional_id, self.tr("Professional removed.")
            ),
        )

    def _remove(self, fn: Callable[..., Changes], item_id: int, sentence: str) -> None:
        self._set_busy(True)
        self._worker.submit(
            fn,
            self._session,
            self.child_id,
            item_id,
            on_done=functools.partial(self._saved, sentence),
            on_error=self._failed,
        )

    # Concerns --------------------------------------------------------------------------

    def _concern_row_activated(self, row: int) -> None:
        ref = self.concerns.value(row)
        if isinstance(ref, str):
            self.concern_requested.emit(ref)

    # The chronology as a PDF -----------------------------------------------------------

    def ask_pdf_path(self) -> None:
        """Ask where to save; the suggested name is neutral, never the child's name."""
        if self.file_dialog is not None or self.saving_pdf:
            return
        self.file_dialog = open_pdf_save_dialog(
            self, self.tr("Save the chronology as a PDF"), SUGGESTED_FILE_NAME, self.save_pdf
        )
        self.file_dialog.finished.connect(self._file_dialog_closed)

    def _file_dialog_closed(self) -> None:
        self.file_dialog = None  # it deletes itself

    def save_pdf(self, path: str | Path) -> None:
        """Build the PDF on the worker and write it to ``path``; audited by the service."""
        if not path or self.saving_pdf:
            return
        self.saving_pdf = True
        self.pdf_button.setEnabled(False)
        self._set_busy(True)
        self.message.show_info(self.tr("Making the PDF…"))
        self._worker.submit(
            _save_pdf,
            self._session,
            self.child_id,
            Path(path),
            on_done=self._pdf_saved,
            on_error=self._pdf_failed,
        )

    def _pdf_saved(self, saved: SavedChronology) -> None:
        self.saving_pdf = False
        self._set_busy(False)
        self.pdf_button.setEnabled(True)
        self.message.show_good(
            plural(
                "Saved the chronology (%n entries) to {path}. Keep it somewhere only you can "
                "open, and delete it when it is no longer needed.",
                saved.entries,
            ).format(path=saved.path)
        )

    def _pdf_failed(self, failure: Failure) -> None:
        self.saving_pdf = False
        self.pdf_button.setEnabled(True)
        self._failed(failure)
