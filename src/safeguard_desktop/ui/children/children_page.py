"""Children: every child with a record, found by name, opened into the child's file; and
the files due for their retention review (review_list.py), the second list.

The list of every child is lazy (children_list.py): pages come from the worker as it is
scrolled. Typing in the name box starts a new list after a short pause; answers for an
older filter are dropped. Matching ignores case and accents ("lucja" finds "Łucja"): the
services fold both sides the same way.

``ChildrenPage.open_child(child_id)`` shows one child's file in place of the list (the
concern view asks for it); ``concern_requested(ref)`` asks for a concern to be opened.
After a change to any child (``on_changes``, from the records area's one signal), the list
is read again when it is next shown. A child's file deleted at its review closes back to
the list, read again, with the sentence saying what went.

"Receive a transferred file…" takes in a child's file another school or club sent
(ui/transfer/receive_dialog.py) and opens it at its Transfers tab once received
(``open_child_transfers``, which Home's box of transfers waiting for receipt uses too).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

from ..case_worker import CaseWorker
from ..theme import MessageLine, heading, hint, text_width
from ..transfer.transfer_actions import TransferActions
from ..widgets.page_parts import sized_button
from ..widgets.record_in_place import back_to_list, show_in_place
from ..widgets.typing_pause import TypingPause
from .child_page import TRANSFERS_TAB, ChildPage
from .children_list import ChildrenModel, ChildrenTable
from .review_list import DueForReview


class ChildrenPage(QWidget):
    """The list of children, and one child's file in its place when opened."""

    concern_requested = Signal(str)

    def __init__(self, session: CaseSession, store: Store, worker: CaseWorker) -> None:
        super().__init__()
        self._session = session
        self._store = store
        self._worker = worker
        worker.changed.connect(self.on_changes)
        self.child_page: ChildPage | None = None
        self._list_stale = True

        self.stack = QStackedWidget()
        self.list_page = QWidget()
        layout = QVBoxLayout(self.list_page)
        layout.setContentsMargins(28, 24, 28, 16)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Children")), 1)
        # A child's file another school or club sent (KCSIE: within 5 school days).
        self.receive_button = sized_button(
            self.tr("&Receive a transferred file…"),
            self.tr("Receive a child's file transferred from another school or club"),
            self.open_receive,
        )
        top.addWidget(self.receive_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.about = hint()
        self.about.setAccessibleName(self.tr("About this list"))
        layout.addWidget(self.about)
        # Every child, or only the files whose retention review date has come.
        show_row = QHBoxLayout()
        show_row.addWidget(QLabel(self.tr("Show:")))
        self.all_choice = QRadioButton(self.tr("&All children"))
        self.all_choice.setAccessibleName(self.tr("Show all children"))
        self.all_choice.setChecked(True)
        self.due_choice = QRadioButton(self.tr("&Due for review"))
        self.due_choice.setAccessibleName(
            self.tr("Show only the files due for their retention review")
        )
        self._shown_list = QButtonGroup(self)
        for choice in (self.all_choice, self.due_choice):
            self._shown_list.addButton(choice)
            show_row.addWidget(choice)
        show_row.addStretch(1)
        layout.addLayout(show_row)
        self.find_box = QWidget()
        find_row = QHBoxLayout(self.find_box)
        find_row.setContentsMargins(0, 0, 0, 0)
        find_label = QLabel(self.tr("&Find by name"))
        self.name_filter = QLineEdit()
        self.name_filter.setAccessibleName(self.tr("Find a child by name"))
        self.name_filter.setPlaceholderText(self.tr("Part of a name; accents do not matter"))
        self.name_filter.setClearButtonEnabled(True)
        self.name_filter.setMaximumWidth(text_width(40))
        find_label.setBuddy(self.name_filter)
        find_row.addWidget(find_label)
        find_row.addWidget(self.name_filter, 1)
        find_row.addStretch(0)
        layout.addWidget(self.find_box)
        self.result = MessageLine(self.tr("Result"))
        self.result.setTextFormat(Qt.TextFormat.PlainText)  # it may name a child
        layout.addWidget(self.result)

        self.model = ChildrenModel(session, store, worker, self)
        self.table = ChildrenTable(self.model)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.keys.open_requested.connect(self._open_row)
        self.due_list = DueForReview(session, worker)
        self.due_list.open_requested.connect(self.open_child)
        self.due_list.shown.connect(self._update_status)
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.due_list)
        layout.addWidget(self.lists, 1)

        bottom = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open the child's file"))
        self.open_button.setAccessibleName(self.tr("Open the selected child's file"))
        self.open_button.clicked.connect(self._open_selected)
        bottom.addWidget(self.open_button)
        self.status = hint()
        self.status.setAccessibleName(self.tr("How many children are shown"))
        bottom.addWidget(self.status, 1)
        layout.addLayout(bottom)
        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)
        self.stack.addWidget(self.list_page)
        self.transfers = TransferActions(session, worker, self, self.error)
        self.transfers.child_requested.connect(self.open_child_transfers)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self._typing = TypingPause(self.name_filter, self._apply_filter)
        self.name_filter.returnPressed.connect(self._apply_filter)
        self.model.loading_changed.connect(self._loading_changed)
        self.model.failed.connect(self.error.show_error)
        self.due_list.failed.connect(self.error.show_error)
        self.due_choice.toggled.connect(self._choose_list)
        self._say_what_is_listed()
        self.due_list.table.itemSelectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # The list ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Called when the section is shown: bring whatever is on screen up to date."""
        if self.child_page is not None and self.stack.currentWidget() is self.child_page:
            self.child_page.reload()
        else:
            self.reload_list()

    @property
    def showing_due(self) -> bool:
        return self.due_choice.isChecked()

    def show_due(self) -> None:
        """The list of files due for review, from the list of all children or a child's file."""
        if self.child_page is not None:
            self.show_list()
        if self.due_choice.isChecked():
            self._choose_list()  # read afresh
        else:
            self.due_choice.setChecked(True)
        self.due_choice.setFocus()

    def reload_list(self) -> None:
        self._list_stale = False
        self.error.clear_message()
        if self.showing_due:
            self.due_list.reload()
            self._update_status()
        else:
            self.model.restart(self.name_filter.text())

    def _choose_list(self) -> None:
        """All children, or the files due for review (read afresh: dates move daily)."""
        due = self.showing_due
        self.lists.setCurrentWidget(self.due_list if due else self.table)
        self.find_box.setVisible(not due)  # the name box finds among all children
        self.result.clear_message()
        self._say_what_is_listed()
        if due:
            self.due_list.reload()
            self._update_status()
        elif self._list_stale or self.model.rowCount() == 0:
            self.reload_list()
        else:
            self._update_status()

    def _apply_filter(self) -> None:
        self._typing.cancel()
        if self.name_filter.text() != self.model.name_filter or self._list_stale:
            self.reload_list()

    def _say_what_is_listed(self) -> None:
        self.about.setText(
            self.tr(
                "Files whose retention review date has come, soonest first. Open one, read "
                "it, then keep it longer (a later date, with the reason) or delete it. A "
                "file under a legal hold cannot be deleted."
            )
            if self.showing_due
            else self.tr(
                "Every child with a record. A concern is linked to a child from the "
                "concern itself; the child's file holds the chronology."
            )
        )

    def _loading_changed(self, loading: bool) -> None:
        if loading:
            self.status.setText(self.tr("Loading…"))
        else:
            self._update_status()

    def _update_status(self) -> None:
        if self.showing_due:
            self.status.setText(
                self.tr("Loading…") if self.due_list.reading else self.due_list.status_words()
            )
            self._update_buttons()
            return
        if self.model.fetching:
            self.status.setText(self.tr("Loading…"))
            return
        count = self.model.rowCount()
        if count == 0:
            self.status.setText(
                self.tr("No child's name matches.")
                if self.model.name_filter.strip()
                else self.tr("No child records yet. Link a concern to a child to make one.")
            )
        elif self.model.complete:
            self.status.setText(
                self.tr("1 child.") if count == 1 else self.tr("{n} children.").format(n=count)
            )
        else:
            self.status.setText(
                self.tr("The first {n} children; scroll down for more.").format(n=count)
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(
            self.due_list.selected_child() is not None
            if self.showing_due
            else self.table.selectionModel().hasSelection()
        )

    def _open_selected(self) -> None:
        if self.showing_due:
            child_id = self.due_list.selected_child()
            if child_id is not None:
                self.open_child(child_id)
        else:
            self._open_row(self.table.currentIndex().row())

    def _open_row(self, row: int) -> None:
        child_id = self.model.child_id(row)
        if child_id is not None:
            self.open_child(child_id)

    # One child ---------------------------------------------------------------------------

    def open_child(self, child_id: int) -> None:
        """Show child ``child_id``'s file in place of the list (opening it is audited)."""
        page = ChildPage(self._session, self._store, self._worker, child_id, self)
        page.back_requested.connect(self.show_list)
        page.file_deleted.connect(self._file_deleted)
        page.concern_requested.connect(self.concern_requested)
        old, self.child_page = self.child_page, page
        self.result.clear_message()
        show_in_place(self.stack, old, page)
        page.load()
        page.back_button.setFocus()

    def open_child_transfers(self, child_id: int) -> None:
        """Child ``child_id``'s file at its Transfers tab (after receiving, from Home)."""
        self.open_child(child_id)
        page = self.child_page
        if page is not None:
            page.tabs.setCurrentIndex(TRANSFERS_TAB)

    def open_receive(self) -> None:
        self.transfers.open_receive()

    def show_list(self) -> None:
        page, self.child_page = self.child_page, None
        back_to_list(self.stack, page, self.list_page)
        if self._list_stale:
            self.reload_list()
        (self.due_list.table if self.showing_due else self.table).setFocus()

    def _file_deleted(self, sentence: str) -> None:
        # Said before the change goes round (case_worker.py): the list is read again now.
        self._list_stale = True
        self.show_list()
        self.result.show_good(sentence)

    def on_changes(self, changes: Changes) -> None:
        # A name, risk, owner, count or review date may have changed: read again when shown
        # again. (A new retention period is saved in Settings: this section is read afresh
        # when it is chosen again.)
        if changes.children:
            self._list_stale = True
