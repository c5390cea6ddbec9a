"""Settings' recording stations: the list, "Add a recording station…" and "Remove…".

A lead sees each station the organisation invited: its name, whether it has joined, when
a file from it was last read, how many concerns have arrived from it and the last
problem. "Add a recording station…" asks for a name and the shared drop folder, saves the
signed invitation where the lead chooses, and shows the organisation key's fingerprint
to read out to whoever sets the station up (services/stations.py). "Remove…" refuses
what that station sends from now on; its concerns are then kept aside on Home, where a
lead may still read and accept them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import local, short_date
from safeguard_desktop.services import stations
from safeguard_desktop.services.changes import Changes, Setting
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import BUTTON_MIN_HEIGHT, MessageLine, heading, hint, paragraph, text_width
from ..widgets.dialog_parts import FittingDialog, action_buttons, ask_to_confirm, make_default
from ..widgets.file_choosers import folder_row, open_folder_dialog
from ..widgets.pdf_save_dialog import documents_folder
from .station_setup_page import fingerprint_label


def _when(iso: str | None) -> str:
    if not iso:
        return QCoreApplication.translate("StationsSettings", "Not yet")
    try:
        return short_date(local(datetime.fromisoformat(iso)))
    except ValueError:
        return iso


_STATUS = {
    "invited": "Invited, not joined yet",
    "working": "Working",
    "overdue": "Concerns late: check its shared folder",
    "removed": "Removed",
}


def status_words(info: stations.StationInfo) -> str:
    return QCoreApplication.translate("StationsSettings", _STATUS[info.status])


def _invite_and_save(
    session: CaseSession, name: str, drop: Path, sees: str, path: Path
) -> stations.MadeInvitation:
    """On the worker: add the station and write its invitation."""
    made = stations.invite_station(session, name, drop, station_sees=sees or None)
    stations.save_invitation(made, path)
    return made


class StationsSettings(QWidget):
    """The recording stations part of Settings; loaded by ``refresh`` on the worker."""

    COLUMNS = ("Station", "State", "Last file", "Concerns", "Last problem")

    def __init__(
        self, session: CaseSession, worker: CaseWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.stations: list[stations.StationInfo] = []
        self.dialog: AddStationDialog | None = None
        self.confirm_box: QMessageBox | None = None
        worker.changed.connect(self.on_changes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Recording stations"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "Let people record concerns on other PCs (a staff room PC, a laptop at "
                    "the away ground). Each station locks what is recorded for you and leaves "
                    "it in a shared or synced folder; this PC takes it in every minute while "
                    "a lead is signed in. A station can never read a record."
                )
            )
        )
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setAccessibleName(self.tr("Recording stations"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab goes on to Add a recording station
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The last problem takes what is left and wraps: never a sideways scroll bar.
        header.setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(True)
        self.table.setMinimumHeight(120)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table)
        self.empty_line = paragraph(self.tr("No recording stations yet."))
        layout.addWidget(self.empty_line)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add a recordi&ng station…"))
        self.add_button.setAccessibleName(self.tr("Add a recording station"))
        self.add_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.add_button.clicked.connect(self.open_add_dialog)
        self.remove_button = QPushButton(self.tr("Remove the chosen s&tation…"))
        self.remove_button.setAccessibleName(self.tr("Remove the chosen station"))
        self.remove_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.ask_to_remove)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = MessageLine(self.tr("Recording stations"))
        layout.addWidget(self.message)

    # Loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        self._worker.submit(
            stations.station_list, self._session, on_done=self._show, on_error=self._failed
        )

    def on_changes(self, changes: Changes) -> None:
        if Setting.STATIONS in changes.settings or changes.concerns or changes.inbox_items:
            self.refresh()

    def _show(self, found: list[stations.StationInfo]) -> None:
        self.stations = found
        self.table.setRowCount(len(found))
        for row, info in enumerate(found):
            cells = (
                info.name,
                status_words(info),
                _when(info.last_seen),
                f"{info.delivered:,}",
                stations.error_sentence(info.last_error) if info.last_error else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(found))
        self.empty_line.setVisible(not found)
        self._selection_changed()

    def _failed(self, failure: object) -> None:
        self.message.show_error(getattr(failure, "message", str(failure)))

    def chosen(self) -> stations.StationInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.stations):
            return None
        return self.stations[rows[0].row()]

    def _selection_changed(self) -> None:
        info = self.chosen()
        self.remove_button.setEnabled(info is not None and info.status != "removed")

    # Adding --------------------------------------------------------------------------

    def open_add_dialog(self) -> None:
        dialog = self.dialog = AddStationDialog(self._session, self._worker, self)
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    # Removing ------------------------------------------------------------------------

    def ask_to_remove(self) -> None:
        info = self.chosen()
        if info is None or info.status == "removed":
            return
        self.confirm_box = ask_to_confirm(
            self,
            title=self.tr("Remove a recording station"),
            text=self.tr(
                "Remove the station “{name}”? Concerns it sends from now on will be kept "
                "aside on Home for you to read, not taken in. To use it again, invite it "
                "afresh."
            ).format(name=info.name),
            yes=self.tr("&Remove the station"),
            on_yes=lambda: self._remove(info.station_id),
            icon=QMessageBox.Icon.Warning,
            role=QMessageBox.ButtonRole.DestructiveRole,
        )

    def _remove(self, station_id: str) -> None:
        self._worker.submit(
            stations.remove_station,
            self._session,
            station_id,
            on_done=lambda _changes: self.message.show_good(self.tr("The station was removed.")),
            on_error=self._failed,
        )


class AddStationDialog(FittingDialog):
    """Name the station, choose the shared folder, save the invitation, read out the
    fingerprint."""

    def __init__(self, session: CaseSession, worker: CaseWorker, parent: QWidget) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self._busy = False
        self.file_dialog: QFileDialog | None = None
        self.made: stations.MadeInvitation | None = None
        self.setWindowTitle(self.tr("Add a recording station"))
        self.setMinimumWidth(text_width(64))
        self.pages = QStackedWidget()

        ask = QWidget()
        form = QVBoxLayout(ask)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(8)
        form.addWidget(
            paragraph(
                self.tr(
                    "A recording station is another PC where people can record concerns. "
                    "It needs a folder that both PCs can reach: a shared network folder, a "
                    "OneDrive, Dropbox or Nextcloud folder synced to both, or a USB stick "
                    "carried between them."
                )
            )
        )
        self.name = QLineEdit()
        self.name.setMaxLength(60)
        self.name.setAccessibleName(self.tr("The station's name"))
        self.name.setPlaceholderText(self.tr("For example: Staff room PC, Away ground laptop"))
        name_label = QLabel(self.tr("The station's &name"))
        name_label.setBuddy(self.name)
        form.addWidget(name_label)
        form.addWidget(self.name)
        self.drop = folder_row(
            self.tr("The shared &folder, as this PC reaches it"),
            self.tr("The shared folder, as this PC reaches it"),
            self.choose_folder,
        )
        form.addWidget(self.drop.label)
        form.addLayout(self.drop.row)
        self.sees = QLineEdit()
        self.sees.setAccessibleName(self.tr("The same folder, as the station reaches it"))
        self.sees.setPlaceholderText(self.tr("Leave empty if it is the same path"))
        sees_label = QLabel(self.tr("The same folder, as the s&tation reaches it (if different)"))
        sees_label.setBuddy(self.sees)
        form.addWidget(sees_label)
        form.addWidget(self.sees)
        form.addWidget(
            hint(
                self.tr(
                    "Next you choose where to save the invitation file. Give it to whoever "
                    "sets the station up on a USB stick, not in the shared folder: it can be "
                    "used once, by whoever uses it first."
                )
            )
        )
        self.pages.addWidget(ask)

        done = QWidget()
        result = QVBoxLayout(done)
        result.setContentsMargins(0, 0, 0, 0)
        result.setSpacing(8)
        self.saved_line = paragraph()
        self.saved_line.setAccessibleName(self.tr("Where the invitation was saved"))
        result.addWidget(self.saved_line)
        result.addWidget(
            paragraph(
                self.tr(
                    "When the station is being set up, read this fingerprint out to the "
                    "person doing it. The station shows it too; they must be the same:"
                )
            )
        )
        self.fingerprint = fingerprint_label()
        result.addWidget(self.fingerprint)
        result.addWidget(
            hint(
                self.tr(
                    "The station appears in the list as joined once its first file has "
                    "arrived here."
                )
            )
        )
        self.pages.addWidget(done)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.error = MessageLine(self.tr("Problem adding the station"))
        layout.addWidget(self.error)
        self.buttons, self.make_button, self.cancel_button = action_buttons(
            self.tr("&Save the invitation…"), self.tr("Save the invitation")
        )
        self.make_button.clicked.connect(self.choose_file)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        make_default(self.make_button)  # Enter saves, not Choose another folder
        self.name.setFocus()

    @property
    def busy(self) -> bool:
        return self._busy

    def choose_folder(self) -> None:
        text = self.drop.edit.text().strip()
        open_folder_dialog(
            self,
            self.tr("Choose the shared folder"),
            Path(text) if text else documents_folder(),
            lambda folder: self.drop.edit.setText(str(folder)),
        )

    def choose_file(self) -> None:
        if self.made is not None:
            self.accept()
            return
        if self._busy:
            return
        if not self.name.text().strip():
            self.error.show_error(self.tr("Give the station a name people will recognise."))
            self.name.setFocus()
            return
        folder = self.drop.edit.text().strip()
        if not folder:
            self.error.show_error(self.tr("Choose the shared folder both PCs can reach."))
            self.drop.edit.setFocus()
            return
        if not Path(folder).is_dir():
            # Said before the Save dialog, not after a file has been chosen for nothing.
            self.error.show_error(
                self.tr(
                    "The shared folder {folder} does not exist or is not a folder; create "
                    "it (or connect the drive it is on) and try again."
                ).format(folder=folder)
            )
            self.drop.edit.setFocus()
            return
        dialog = QFileDialog(self, self.tr("Save the invitation"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Station invitations (*.sginvite)"))
        dialog.setDefaultSuffix("sginvite")
        dialog.setDirectory(str(documents_folder()))
        dialog.selectFile("station-invitation.sginvite")
        dialog.fileSelected.connect(lambda chosen: self.make(Path(chosen)) if chosen else None)
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()

    def make(self, path: Path) -> None:
        """Add the station and save its invitation to ``path``, on the worker."""
        if self._busy:
            return
        self._busy = True
        self.make_button.setEnabled(False)
        self.error.clear_message()
        self._worker.submit(
            _invite_and_save,
            self._session,
            self.name.text().strip(),
            Path(self.drop.edit.text().strip()),
            self.sees.text().strip(),
            path,
            on_done=lambda made: self._made(made, path),
            on_error=self._failed,
        )

    def _made(self, made: stations.MadeInvitation, path: Path) -> None:
        self._busy = False
        self.made = made
        self._worker.announce(Changes.of(settings=[Setting.STATIONS]))
        self.saved_line.setText(
            self.tr("The invitation for “{name}” was saved to {path}.").format(
                name=made.station_name, path=path
            )
        )
        self.fingerprint.setText(made.fingerprint)
        self.fingerprint.setAccessibleName(
            self.tr("Fingerprint {fingerprint}").format(fingerprint=made.fingerprint)
        )
        self.pages.setCurrentIndex(1)
        self.make_button.setText(self.tr("&Done"))
        self.make_button.setAccessibleName(self.tr("Done"))
        self.make_button.setEnabled(True)
        self.cancel_button.hide()
        self.make_button.setFocus()
        self.fit_height()

    def _failed(self, failure: object) -> None:
        self._busy = False
        self.make_button.setEnabled(True)
        self.error.show_error(getattr(failure, "message", str(failure)))
