""" "Set this PC up as a recording station" on the first-run screen.

The person chooses the invitation the lead made (its name ends in .sginvite, on a USB
stick or in the shared drop folder). The page reads it on the worker and shows whose it
is: the organisation, the station's name and the organisation key's fingerprint in large
type, with the sentence to compare it with the one the lead reads out over the phone,
and the drop folder as the invitation names it, or a chooser when this PC reaches it by
another path. Nothing is written until they tick that the fingerprints match and press
"Set this PC up".
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.services import recording_station, stations

from ..theme import (
    BUTTON_MIN_HEIGHT,
    MessageLine,
    card,
    heading,
    hint,
    paragraph,
    taller,
)
from ..widgets.file_choosers import chooser_row, folder_row, open_file_dialog, open_folder_dialog
from ..widgets.page_parts import footed_page
from ..widgets.pdf_save_dialog import documents_folder
from ..worker import Failure, Worker


def fingerprint_label() -> QLabel:
    """The organisation key's fingerprint as it is read out: large, fixed-width, selectable."""
    label = QLabel()
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    mono.setPointSizeF(label.font().pointSizeF() * 1.5)
    mono.setBold(True)
    label.setFont(mono)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _set_up(
    data_dir: Path, invitation: stations.Invitation, drop: Path | None
) -> recording_station.StationFolder:
    """On the worker: make the station, then try to deliver its hello."""
    return recording_station.set_up_station(data_dir, invitation, drop=drop)


class StationSetupPage(QWidget):
    """Emits ``set_up(StationFolder)`` once the station is made, or ``back_requested``."""

    set_up = Signal(object)
    back_requested = Signal()

    def __init__(self, data_dir: Path, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._worker = worker
        self._busy = False
        self.invitation: stations.Invitation | None = None
        self.file_dialog: QFileDialog | None = None
        self.setAccessibleName(self.tr("Set this PC up as a recording station"))

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Set this PC up as a recording station")))
        layout.addWidget(
            paragraph(
                self.tr(
                    "A recording station lets people record concerns on this PC. What they "
                    "record is locked for your safeguarding lead and carried to the lead's "
                    "PC through a shared folder. Nothing recorded here can be read on this "
                    "PC, by anyone."
                )
            )
        )

        layout.addSpacing(6)
        layout.addWidget(heading(self.tr("1. The invitation"), level=2))
        chooser = chooser_row(
            self.tr("Invitation &file"),
            self.tr("Invitation file"),
            self.choose_file,
            self.tr("&Choose the invitation…"),
            self.tr("Choose the invitation file"),
        )
        self.file, self.choose_button = chooser.edit, chooser.choose_button
        self.file.setPlaceholderText(self.tr("Its name ends in .sginvite"))
        layout.addWidget(chooser.label)
        layout.addLayout(chooser.row)
        layout.addWidget(
            hint(
                self.tr(
                    "Your safeguarding lead makes it on their PC (Settings, Recording "
                    "stations) and gives it to you, usually on a USB stick."
                )
            )
        )

        # What the invitation says, once read.
        self.details = card()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(20, 16, 20, 16)
        details.setSpacing(8)
        self.organisation = paragraph()
        self.organisation.setAccessibleName(self.tr("Whose invitation it is"))
        details.addWidget(self.organisation)
        details.addWidget(heading(self.tr("2. Check the fingerprint"), level=2))
        details.addWidget(
            paragraph(
                self.tr(
                    "Phone your safeguarding lead and ask them to read out the fingerprint "
                    "their PC showed. It must be exactly this:"
                )
            )
        )
        self.fingerprint = fingerprint_label()
        details.addWidget(self.fingerprint)
        self.matches = QCheckBox(
            self.tr("The fingerprint is the same as the one my lead &read out")
        )
        self.matches.setAccessibleName(self.tr("The fingerprint matches"))
        details.addWidget(self.matches)
        details.addWidget(
            hint(
                self.tr(
                    "If it differs by even one character, do not go on: the file is not "
                    "from your lead. Delete it and ask for a new one."
                )
            )
        )
        details.addWidget(heading(self.tr("3. The shared folder"), level=2))
        self.drop_words = paragraph()
        self.drop_words.setAccessibleName(self.tr("The shared folder"))
        details.addWidget(self.drop_words)
        self.drop = folder_row(
            self.tr("Shared fol&der on this PC"),
            self.tr("Shared folder on this PC"),
            self.choose_folder,
        )
        details.addWidget(self.drop.label)
        details.addLayout(self.drop.row)
        self.details.hide()
        layout.addWidget(self.details)
        self.folder_line = hint(
            self.tr("This station's settings will be kept in {folder}").format(folder=data_dir)
        )
        self.folder_line.setAccessibleName(self.tr("Where the station's settings will be kept"))
        layout.addWidget(self.folder_line)
        layout.addStretch(1)

        footer_body = QWidget()
        footer = QVBoxLayout(footer_body)
        footer.setContentsMargins(28, 8, 28, 14)
        footer.setSpacing(6)
        self.error = MessageLine(self.tr("Problem setting up the station"))
        footer.addWidget(self.error)
        buttons = QHBoxLayout()
        self.set_up_button = QPushButton(self.tr("&Set this PC up"))
        self.set_up_button.setAccessibleName(self.tr("Set this PC up as a recording station"))
        self.set_up_button.setDefault(True)
        taller(self.set_up_button, BUTTON_MIN_HEIGHT + 4)
        self.set_up_button.clicked.connect(self.submit)
        self.back_button = QPushButton(self.tr("&Back"))
        self.back_button.setAccessibleName(self.tr("Back to the first screen"))
        self.back_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.back_button.clicked.connect(self._back)
        buttons.addWidget(self.set_up_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        footer.addLayout(buttons)
        self.scroller: QScrollArea = footed_page(self, body, footer_body)

        self.file.returnPressed.connect(self.read_file)
        self.file.editingFinished.connect(self.read_file)
        order: list[QWidget] = [
            self.file,
            self.choose_button,
            self.matches,
            self.drop.edit,
            self.drop.choose_button,
            self.set_up_button,
            self.back_button,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    @property
    def busy(self) -> bool:
        return self._busy

    # The invitation -------------------------------------------------------------------

    def choose_file(self) -> None:
        text = self.file.text().strip()
        start = Path(text).parent if text else documents_folder()
        self.file_dialog = open_file_dialog(
            self,
            self.tr("Choose the invitation"),
            start,
            self.tr("Station invitations (*.sginvite)"),
            self.use_file,
        )

    def use_file(self, path: Path) -> None:
        self.file.setText(str(path))
        self.read_file()

    def read_file(self) -> None:
        text = self.file.text().strip()
        if not text or self._busy:
            return
        if self.invitation is not None and self.invitation.raw and self._read_from == text:
            return
        self._read_from = text
        self.error.clear_message()
        self._worker.submit(
            stations.read_invitation, Path(text), on_done=self._read, on_error=self._unreadable
        )

    _read_from = ""

    def _read(self, invitation: stations.Invitation) -> None:
        self.invitation = invitation
        self.organisation.setText(
            self.tr("An invitation from {organisation} for the station “{station}”.").format(
                organisation=invitation.organisation.name, station=invitation.station_name
            )
        )
        self.fingerprint.setText(invitation.fingerprint)
        self.fingerprint.setAccessibleName(
            self.tr("Fingerprint {fingerprint}").format(fingerprint=invitation.fingerprint)
        )
        self.matches.setChecked(False)
        self.drop.edit.setText(invitation.drop_folder)
        self._describe_drop()
        self.details.show()
        # The page scrolls to it once laid out (theme.follow_focus), details shown.
        self.matches.setFocus()

    def _unreadable(self, failure: Failure) -> None:
        self.invitation = None
        self._read_from = ""
        self.details.hide()
        self.error.show_error(failure.message)
        self.file.setFocus()

    def _describe_drop(self) -> None:
        folder = Path(self.drop.edit.text().strip())
        if self.drop.edit.text().strip() and folder.is_dir():
            self.drop_words.setText(
                self.tr("Concerns will be delivered into this folder, which this PC can reach:")
            )
        else:
            self.drop_words.setText(
                self.tr(
                    "This PC cannot reach the folder the invitation names. If this PC reaches "
                    "the shared folder by another path (another drive letter, a synced copy), "
                    "choose it; otherwise concerns wait safely here until it can be reached."
                )
            )

    def choose_folder(self) -> None:
        text = self.drop.edit.text().strip()
        open_folder_dialog(
            self,
            self.tr("Choose the shared folder"),
            Path(text) if text else documents_folder(),
            self._use_folder,
        )

    def _use_folder(self, folder: Path) -> None:
        self.drop.edit.setText(str(folder))
        self._describe_drop()

    # Setting up ---------------------------------------------------------------------

    def submit(self) -> None:
        if self._busy:
            return
        invitation = self.invitation
        if invitation is None:
            self.error.show_error(self.tr("Choose the invitation your lead gave you first."))
            self.file.setFocus()
            return
        if not self.matches.isChecked():
            self.error.show_error(
                self.tr(
                    "Compare the fingerprint with the one your lead reads out, then tick the "
                    "box to say it is the same."
                )
            )
            self.matches.setFocus()
            return
        text = self.drop.edit.text().strip()
        drop = Path(text) if text and text != invitation.drop_folder else None
        self._busy = True
        self.set_up_button.setEnabled(False)
        self.error.clear_message()
        self._worker.submit(
            _set_up, self.data_dir, invitation, drop, on_done=self._done, on_error=self._failed
        )

    def _done(self, station: recording_station.StationFolder) -> None:
        self._busy = False
        self.set_up.emit(station)

    def _failed(self, failure: Failure) -> None:
        self._busy = False
        self.set_up_button.setEnabled(True)
        self.error.show_error(failure.message)

    def _back(self) -> None:
        if not self._busy:
            self.back_requested.emit()
