"""The first screen when this PC has no records yet: set up a new store, restore one, or
make this PC a recording station for another PC's store.

Two large choices, each saying in a sentence what it is for and what it needs, so a
person who has just moved to a new PC with their backup on a USB stick does not set up
an empty store by mistake. "Set up a new store" opens the setup wizard
(setup_wizard.py), "Restore from a backup" the restore page (restore_page.py), "Set this
PC up as a recording station" the station's set-up page (ui/stations/).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from ..theme import card, centred_page, heading, hint, paragraph, taller, text_width


def choice_button(title: str, accessible: str, description: str) -> QPushButton:
    """A large button, named for screen readers, with its sentence as the description."""
    button = QPushButton(title)
    button.setAccessibleName(accessible)
    button.setAccessibleDescription(description)
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setBold(True)
    button.setFont(font)
    taller(button, QFontMetrics(font).height() + 28)
    return button


class FirstRunPage(QWidget):
    """Emits ``setup_requested``, ``restore_requested`` or ``station_requested``."""

    setup_requested = Signal()
    restore_requested = Signal()
    station_requested = Signal()

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Welcome to Safeguard Desktop"))
        panel = card()
        panel.setFixedWidth(text_width(68))
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Welcome to Safeguard Desktop")))
        layout.addWidget(
            paragraph(
                self.tr(
                    "This keeps your safeguarding records encrypted on this PC. There are no "
                    "records on this PC yet."
                )
            )
        )
        self.setup_button = choice_button(
            self.tr("&Set up a new store"),
            self.tr("Set up a new store"),
            self.tr(
                "Start afresh: your organisation, your administrator account, and a recovery "
                "key to print. It takes about five minutes."
            ),
        )
        self.setup_button.clicked.connect(self.setup_requested)
        layout.addSpacing(6)
        layout.addWidget(self.setup_button)
        layout.addWidget(hint(self.setup_button.accessibleDescription()))
        self.restore_button = choice_button(
            self.tr("&Restore from a backup"),
            self.tr("Restore from a backup"),
            self.tr(
                "For a new PC, or to put your records back. You need the backup file (its "
                "name ends in .sgbackup, often on a USB stick) and the printed recovery key."
            ),
        )
        self.restore_button.clicked.connect(self.restore_requested)
        layout.addSpacing(10)
        layout.addWidget(self.restore_button)
        layout.addWidget(hint(self.restore_button.accessibleDescription()))
        self.station_button = choice_button(
            self.tr("Set this PC up as a recording s&tation"),
            self.tr("Set this PC up as a recording station"),
            self.tr(
                "For a second PC where people record concerns for your lead's PC to read "
                "(a staff room PC, a laptop at the away ground). You need the invitation your "
                "lead made."
            ),
        )
        self.station_button.clicked.connect(self.station_requested)
        layout.addSpacing(10)
        layout.addWidget(self.station_button)
        layout.addWidget(hint(self.station_button.accessibleDescription()))
        self.folder_line = hint(
            self.tr("The records on this PC will be kept in {folder}").format(folder=data_dir)
        )
        self.folder_line.setAccessibleName(self.tr("Where the records will be kept"))
        layout.addSpacing(4)
        layout.addWidget(self.folder_line)
        centred_page(self, panel)
        self.setTabOrder(self.setup_button, self.restore_button)
        self.setTabOrder(self.restore_button, self.station_button)
