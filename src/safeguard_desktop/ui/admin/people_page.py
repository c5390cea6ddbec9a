"""People (administrators only): who can sign in, adding, removing, setting a new password.

After the records were restored from a backup, every account but the administrator's has
no password on this PC (password slots stay with the old PC's credential store): each
such row says so, with a button that opens "Set a new password" for that person.

Dialogs are opened with ``open()``, never ``exec()``: the window keeps its event loop, the
idle lock keeps working, and a lock destroys an open dialog along with the page.

Over 500 lines because the page is one table whose row actions (add, set a new password,
suspend, reinstate, remove) share the loaded list and the services' refusals; the add
dialog, the only one it opens of its own, sits beside it.
"""

from __future__ import annotations

import functools
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.domain.organisation import OrgType, Role
from safeguard_desktop.services import people
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store, UserInfo

from ..access.password_reset_dialog import PasswordResetDialog
from ..backups.backup_status import AMBER_INK
from ..case_worker import CaseWorker
from ..theme import MessageLine, heading, hint, table_rows, text_width
from ..widgets.dialog_parts import (
    FittingDialog,
    action_buttons,
    ask_to_confirm,
    busy_bar,
    make_default,
)
from ..widgets.field_hint import field_hint
from ..widgets.page_parts import button_row
from ..worker import Failure


def _tr(text: str) -> str:
    return QCoreApplication.translate("PeoplePage", text)


def needs_password_here(store: Store, username: str) -> bool:
    """True for an account with no password slot on this PC (after a restore)."""
    # What Store.login checks before it raises NOT_SET_UP_ON_THIS_PC.
    record = store.vault.user(username)
    return record is not None and store.vault.slot(record.slot_id) is None


def role_explanation(role: Role, org_type: OrgType) -> str:
    if role is Role.RECORDER:
        return _tr("Can record a concern and see that it arrived. Cannot read any record.")
    if role is Role.DSL:
        return _tr("Reads and acts on every concern, makes referrals.")
    return _tr("Everything the {lead} can do, and manages people and settings.").format(
        lead=org_type.lead_title
    )


class AddPersonDialog(FittingDialog):
    """Name, user name, role and a first password for a new account."""

    def __init__(self, org_type: OrgType, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._org_type = org_type
        self.setWindowTitle(self.tr("Add a person"))
        self.setModal(True)
        self.setMinimumWidth(text_width(58))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Add a person"), level=2))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)

        self.display_name = self._field(form, self.tr("&Full name"), self.tr("Full name"))
        self.username = self._field(form, self.tr("&User name"), self.tr("User name"))
        # Each hint is its field's accessible description too, as on every other form.
        form.addRow(
            field_hint(self.username, self.tr("Small letters and numbers, for example chris."))
        )
        self.role = QComboBox()
        self.role.setAccessibleName(self.tr("Role"))
        for role in (Role.RECORDER, Role.DSL, Role.ADMIN):
            self.role.addItem(role.label(org_type), role.value)
        role_label = QLabel(self.tr("&Role"))
        role_label.setBuddy(self.role)
        form.addRow(role_label, self.role)
        self.role_hint = field_hint(self.role)
        form.addRow(self.role_hint)
        self.password = self._field(form, self.tr("First &password"), self.tr("First password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_hint = field_hint(self.password)
        form.addRow(self.password_hint)

        self.error = MessageLine(self.tr("Problem adding the person"))
        layout.addWidget(self.error)
        self.busy = busy_bar(self.tr("Adding the person"))
        layout.addWidget(self.busy)

        self.buttons, self.add_button, self.cancel_button = action_buttons(
            self.tr("&Add person"), self.tr("Add person")
        )
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        make_default(self.add_button)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    def _field(self, form: QFormLayout, label: str, accessible: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible)
        caption = QLabel(label)
        caption.setBuddy(edit)
        form.addRow(caption, edit)
        return edit

    def chosen_role(self) -> Role:
        # Qt stores the item data as a plain string; turn it back into the enum.
        return Role(str(self.role.currentData()))

    def _role_changed(self) -> None:
        role = self.chosen_role()
        self.role_hint.setText(role_explanation(role, self._org_type))
        minimum = 8 if role is Role.RECORDER else 10
        self.password_hint.setText(
            self.tr(
                "At least {n} characters. Tell the person this password in private, "
                "not by email or message."
            ).format(n=minimum)
        )
        self.fit_height()

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.display_name, self.username, self.role, self.password):
            widget.setEnabled(not busy)
        self.add_button.setEnabled(not busy)


def _remove_warning(person: UserInfo, org_type: OrgType) -> str:
    if person.role.holds_database_key:
        return _tr(
            "Remove {name} ({username}), {role}? Their key slot is removed and the database "
            "key is changed, so no copy of the old key they may have kept can open the "
            "records. This takes a few seconds. The records themselves are kept."
        ).format(
            name=person.display_name, username=person.username, role=person.role.label(org_type)
        )
    return _tr(
        "Remove {name} ({username})? Their key slot is removed, so they can no longer sign in. "
        "Concerns they recorded stay in the records."
    ).format(name=person.display_name, username=person.username)


class PeoplePage(QWidget):
    """The list of accounts, with Add, Remove and Set a new password; read again after
    any change to an account (``on_changes``), the selection kept."""

    def __init__(self, session: CaseSession, store: Store, worker: CaseWorker) -> None:
        super().__init__()
        self._session = session
        self._store = store
        self._worker = worker
        worker.changed.connect(self.on_changes)
        self._org_type = store.organisation.org_type
        self.add_dialog: AddPersonDialog | None = None
        self.reset_dialog: PasswordResetDialog | None = None
        self.confirm_box: QMessageBox | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("People")))
        layout.addWidget(
            hint(
                self.tr(
                    "Everyone who signs in to this PC. Recorders can only record concerns; "
                    "the {lead} and administrators can read them."
                ).format(lead=self._org_type.lead_title)
            )
        )
        self.no_password_hint = hint(
            self.tr(
                "The records were restored from a backup, so some people have no password on "
                "this PC yet. Give each of them a new one (the button beside them, or select "
                "them and choose Set a new password), and tell them it in person."
            )
        )
        self.no_password_hint.hide()
        layout.addWidget(self.no_password_hint)
        self.table = QTableWidget(0, 4)
        self._tab_after: QWidget = self.table
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("User name"), self.tr("Role"), self.tr("On this PC")]
        )
        self.table.setAccessibleName(self.tr("People who can sign in"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)

        self.add_button = QPushButton(self.tr("&Add a person…"))
        self.add_button.setAccessibleName(self.tr("Add a person"))
        self.add_button.clicked.connect(self.open_add_dialog)
        self.remove_button = QPushButton(self.tr("Re&move…"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected person"))
        self.remove_button.clicked.connect(self.ask_remove)
        self.remove_button.setEnabled(False)
        self.reset_button = QPushButton(self.tr("Set a &new password…"))
        self.reset_button.setAccessibleName(self.tr("Set a new password for the selected person"))
        self.reset_button.clicked.connect(self.open_reset_dialog)
        self.reset_button.setEnabled(False)
        self.reinstate_button = QPushButton(self.tr("Re&instate…"))
        self.reinstate_button.setAccessibleName(
            self.tr("Reinstate the selected person's suspended account")
        )
        self.reinstate_button.clicked.connect(self.ask_reinstate)
        self.reinstate_button.setEnabled(False)
        # A row that goes on to another line rather than squeeze its words (150 % text).
        layout.addLayout(
            button_row(
                self.add_button, self.reset_button, self.remove_button, self.reinstate_button
            )
        )
        self.message = MessageLine(self.tr("Result"))
        layout.addWidget(self.message)
        self.table.itemSelectionChanged.connect(self._selection_changed)

    def on_changes(self, changes: Changes) -> None:
        if changes.people:
            self.refresh()

    def refresh(self) -> None:
        # The user list lives in vault.json, already in memory: no worker needed.
        selected = self.selected_person()
        people = self._store.users()
        self.table.setRowCount(0)
        self.table.setRowCount(len(people))
        self._tab_after = self.table  # each "Give a new one…" in Tab order after the table
        missing = 0
        for row, person in enumerate(people):
            cells = (person.display_name, person.username, person.role.label(self._org_type))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, person.username)
                self.table.setItem(row, column, item)
            if person.suspended_at is not None:
                # Before the password note: a suspended account cannot sign in at all.
                self.table.setItem(row, 3, QTableWidgetItem(_suspended_words(person)))
            elif needs_password_here(self._store, person.username):
                missing += 1
                self._no_password_cell(row, person)
            else:
                self.table.setItem(row, 3, QTableWidgetItem(self.tr("Can sign in")))
        self.no_password_hint.setVisible(missing > 0)
        header = self.table.horizontalHeader()
        if missing:
            # The view measures the items, not the note and button drawn over them.
            notes = [self.table.cellWidget(r, 3) for r in range(self.table.rowCount())]
            wanted = max(n.sizeHint().width() for n in notes if n is not None)
            header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
            # The theme pads every cell (8 px each side) and the grid takes a line.
            header.resizeSection(3, wanted + 2 * 8 + 4)
            for row, note in enumerate(notes):  # room for the note and its button
                if note is not None:
                    self.table.setRowHeight(row, note.sizeHint().height())
        else:
            header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        if selected is not None:
            self.select_username(selected.username)
        self._selection_changed()

    def _no_password_cell(self, row: int, person: UserInfo) -> None:
        """The sentence, and beside it the action: "Give a new one…"."""
        sentence = self.tr("No password on this PC yet: give a new one")
        item = QTableWidgetItem(sentence)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, sentence)
        self.table.setItem(row, 3, item)
        cell = QWidget()
        cell.setAccessibleName(sentence)
        # Opaque, so the item's own text is not drawn underneath.
        cell.setAutoFillBackground(True)
        # The note over the button: side by side they squeeze the names at 150 % text.
        line = QVBoxLayout(cell)
        line.setContentsMargins(8, 4, 8, 6)
        line.setSpacing(4)
        label = QLabel(self.tr("No password on this PC yet:"))
        # Bold by its font, not the style sheet: the width is measured before polishing.
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        label.setStyleSheet(f"color: {AMBER_INK};")
        line.addWidget(label)
        button = QPushButton(self.tr("Give a new one…"))
        button.setAccessibleName(
            self.tr("No password on this PC yet: give {name} a new one").format(
                name=person.display_name
            )
        )
        button.clicked.connect(functools.partial(self._give_password, person.username))
        line.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        self.table.setCellWidget(row, 3, cell)
        # Made after the buttons under the table, so Tab would reach it after them: put
        # it after the table (or the row above's), before "Add a person…".
        QWidget.setTabOrder(self._tab_after, button)
        self._tab_after = button

    def _give_password(self, username: str) -> None:
        self.select_username(username)
        self.open_reset_dialog()

    def selected_person(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 1)
        if item is None:
            return None
        username = item.text()
        return next((p for p in self._store.users() if p.username == username), None)

    def select_username(self, username: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 1)
            if item is not None and item.text() == username:
                self.table.selectRow(row)
                return

    def _selection_changed(self) -> None:
        person = self.selected_person()
        # Not for yourself: this gives *another* account a password to pass on.
        someone_else = person is not None and person.username != self._session.user.username
        self.remove_button.setEnabled(someone_else)
        self.reset_button.setEnabled(someone_else)
        self.reinstate_button.setEnabled(someone_else and person is not None and person.suspended)

    # Adding ------------------------------------------------------------------------

    def open_add_dialog(self) -> None:
        dialog = AddPersonDialog(self._org_type, self)
        dialog.add_button.clicked.connect(self._add)
        dialog.finished.connect(dialog.deleteLater)
        self.add_dialog = dialog
        dialog.open()
        dialog.display_name.setFocus()

    def _add(self) -> None:
        dialog = self.add_dialog
        if dialog is None:
            return
        dialog.error.clear_message()
        dialog.set_busy(True)
        password = dialog.password.text()
        self._worker.submit(
            people.add_user,
            self._session,
            dialog.username.text().strip(),
            dialog.display_name.text().strip(),
            dialog.chosen_role(),
            password,
            on_done=self._added,
            on_error=self._add_failed,
        )

    def _added(self, changes: Changes) -> None:
        # The list is read again from what changed (on_changes).
        (username,) = changes.people
        person = next(p for p in self._store.users() if p.username == username)
        if self.add_dialog is not None:
            self.add_dialog.password.clear()
            self.add_dialog.accept()
            self.add_dialog = None
        self.message.show_good(
            self.tr("{name} can now sign in as {username}.").format(
                name=person.display_name, username=person.username
            )
        )

    def _add_failed(self, failure: Failure) -> None:
        if self.add_dialog is not None:
            self.add_dialog.set_busy(False)
            self.add_dialog.error.show_error(failure.message)

    # A new password --------------------------------------------------------------

    def open_reset_dialog(self) -> None:
        person = self.selected_person()
        if person is None or person.username == self._session.user.username:
            return
        dialog = PasswordResetDialog(person, self._org_type, self)
        dialog.set_button.clicked.connect(self._reset)
        dialog.finished.connect(dialog.deleteLater)
        self.reset_dialog = dialog
        self.message.clear_message()
        dialog.open()
        dialog.password.setFocus()

    def _reset(self) -> None:
        dialog = self.reset_dialog
        if dialog is None or dialog.busy:
            return
        mismatch = dialog.mismatch()
        if mismatch:
            dialog.error.show_error(mismatch)
            dialog.password_again.setFocus()
            return
        dialog.error.clear_message()
        dialog.set_busy(True)
        self._worker.submit(
            people.reset_password,
            self._session,
            dialog.person.username,
            dialog.password.text(),
            # A bound method inside the partial, so a late answer after a lock is dropped.
            on_done=functools.partial(self._reset_done, dialog.person),
            on_error=self._reset_failed,
        )

    def _reset_done(self, person: UserInfo, _: object) -> None:
        if self.reset_dialog is not None:
            self.reset_dialog.set_busy(False)
            self.reset_dialog.accept()
            self.reset_dialog = None
        # A "no password on this PC yet" note goes when the list is read again (on_changes).
        self.select_username(person.username)
        self.message.show_good(
            self.tr(
                "{name} has a new password. Tell them it in person; their old one no longer works."
            ).format(name=person.display_name)
        )

    def _reset_failed(self, failure: Failure) -> None:
        if self.reset_dialog is not None:
            self.reset_dialog.set_busy(False)
            self.reset_dialog.error.show_error(failure.message)
            self.reset_dialog.password.setFocus()

    # Removing ----------------------------------------------------------------------

    def ask_remove(self) -> None:
        person = self.selected_person()
        if person is None:
            return
        self.confirm_box = ask_to_confirm(
            self,
            title=self.tr("Remove a person"),
            text=_remove_warning(person, self._org_type),
            yes=self.tr("Remove {name}").format(name=person.display_name),
            on_yes=lambda: self._remove(person.username),
            icon=QMessageBox.Icon.Warning,
            role=QMessageBox.ButtonRole.DestructiveRole,
        )

    def _remove(self, username: str) -> None:
        self.confirm_box = None
        self.remove_button.setEnabled(False)
        self.add_button.setEnabled(False)
        self.message.show_info(self.tr("Removing and changing the database key…"))
        self._worker.submit(
            people.remove_user,
            self._session,
            username,
            on_done=self._removed,
            on_error=self._remove_failed,
        )

    def _removed(self, _: object) -> None:
        self.add_button.setEnabled(True)
        self.message.show_good(self.tr("Removed."))

    def _remove_failed(self, failure: Failure) -> None:
        self.add_button.setEnabled(True)
        self._selection_changed()
        self.message.show_error(failure.message)

    # Reinstating a suspended account -------------------------------------------------

    def ask_reinstate(self) -> None:
        person = self.selected_person()
        if person is None or not person.suspended:
            return
        self.confirm_box = ask_to_confirm(
            self,
            title=self.tr("Reinstate an account"),
            text=self.tr(
                "Reinstate {name}'s account? They will be able to sign in and record again "
                "with their own password. Do this only once the LADO's advice and your "
                "own procedures allow it. It is written to the audit log."
            ).format(name=person.display_name),
            yes=self.tr("Reinstate {name}").format(name=person.display_name),
            on_yes=lambda: self._reinstate(person),
        )

    def _reinstate(self, person: UserInfo) -> None:
        self.confirm_box = None
        self.reinstate_button.setEnabled(False)
        self._worker.submit(
            people.reinstate_user,
            self._session,
            person.username,
            on_done=lambda _: self.message.show_good(
                self.tr("{name} can sign in again.").format(name=person.display_name)
            ),
            on_error=self._reinstate_failed,
        )

    def _reinstate_failed(self, failure: Failure) -> None:
        self._selection_changed()
        self.message.show_error(failure.message)


def _suspended_words(person: UserInfo) -> str:
    """'Suspended since 7 December 2026: cannot sign in' (the day in this PC's time)."""
    try:
        day = long_date(local(datetime.fromisoformat(person.suspended_at or "")).date())
    except ValueError:
        day = ""
    if not day:
        return _tr("Suspended: cannot sign in")
    return _tr("Suspended since {day}: cannot sign in").format(day=day)
