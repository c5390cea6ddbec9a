"""The start screen of a PC set up as a recording station.

What a volunteer at the away-ground laptop needs and nothing else: whose station it is,
the big "Record a concern" button (``record_requested``; the same guided form as
everywhere, the recorder giving their name and role on its last step), what to do if a
child is in danger now, the numbers the lead signed into the station's settings, and
whether what was recorded here has reached the shared folder yet. It says plainly that
this PC holds no key that opens a record: nothing recorded here can be read back here.

Every minute, and when asked, it delivers what waits (services/stations.py) on the
worker; the PC keeps working when the shared folder is away.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from safeguard_desktop.services import recording_station

from ..recording.recorder_area import contacts_html, danger_banner, record_card
from ..theme import (
    BUTTON_MIN_HEIGHT,
    MessageLine,
    card,
    heading,
    hint,
    paragraph,
    readable_column,
    scrolling_page,
)
from ..translations import plural
from ..worker import Failure, Worker

DELIVERY_INTERVAL_MS = 60_000


class StationHome(QWidget):
    """Emits ``record_requested`` from the Record a concern button."""

    record_requested = Signal()

    def __init__(
        self,
        station: recording_station.StationFolder,
        worker: Worker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self._worker = worker
        self._delivering = False
        org = station.organisation
        lead = org.org_type.lead_title
        self.setAccessibleName(self.tr("Recording station"))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(36, 28, 36, 28)
        layout.setSpacing(14)
        layout.addWidget(heading(self.tr("Record a concern")))
        self.whose = paragraph(
            self.tr("This PC is {organisation}'s recording station “{station}”.").format(
                organisation=org.name, station=station.station_name
            )
        )
        layout.addWidget(self.whose)

        self.danger = danger_banner(org)
        layout.addWidget(self.danger)

        form_card, self.record_button = record_card(
            self,
            self.tr(
                "The guided form asks, one step at a time, what you saw and heard, the "
                "child's own words, and what you did, then your name and role. When you "
                "finish it is locked so that only the {lead} can open it, on their own PC."
            ).format(lead=lead),
        )
        self.record_button.clicked.connect(self.record_requested)
        layout.addWidget(form_card)

        self.no_key = paragraph(
            self.tr(
                "This PC holds no key that opens a record. Nothing recorded here can be read "
                "back here, by you or by anyone else who uses this PC."
            )
        )
        self.no_key.setAccessibleName(self.tr("What this PC can see"))
        layout.addWidget(self.no_key)

        delivery_card = card()
        delivery = QVBoxLayout(delivery_card)
        delivery.setContentsMargins(22, 18, 22, 18)
        delivery.setSpacing(8)
        delivery.addWidget(heading(self.tr("Delivery to the {lead}").format(lead=lead), level=2))
        self.delivery_line = paragraph(self.tr("Checking…"))
        self.delivery_line.setAccessibleName(self.tr("Delivery to the lead"))
        delivery.addWidget(self.delivery_line)
        self.problem = MessageLine(self.tr("Delivery problem"))
        delivery.addWidget(self.problem)
        self.deliver_button = QPushButton(self.tr("&Try delivering now"))
        self.deliver_button.setAccessibleName(self.tr("Try delivering now"))
        self.deliver_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.deliver_button.clicked.connect(self.deliver)
        deliver_row = QHBoxLayout()
        deliver_row.addWidget(self.deliver_button)
        deliver_row.addStretch(1)
        delivery.addLayout(deliver_row)
        delivery.addWidget(
            hint(
                self.tr("Shared folder: {folder}").format(folder=station.drop_folder),
            )
        )
        layout.addWidget(delivery_card)

        contacts_card = card()
        contacts = QVBoxLayout(contacts_card)
        contacts.setContentsMargins(22, 18, 22, 18)
        contacts.addWidget(heading(self.tr("Useful numbers"), level=2))
        self.numbers = paragraph(contacts_html(org.contacts))
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setAccessibleName(self.tr("Useful numbers"))
        contacts.addWidget(self.numbers)
        layout.addWidget(contacts_card)
        layout.addStretch(1)
        scrolling_page(self, readable_column(body, 100), sideways=True)

        self.timer = QTimer(self)
        self.timer.setInterval(DELIVERY_INTERVAL_MS)
        self.timer.timeout.connect(self.deliver)
        self.timer.start()
        self.deliver()

    @property
    def delivering(self) -> bool:
        return self._delivering

    def deliver(self) -> None:
        """Deliver what waits, on the worker; the page says how it went."""
        if self._delivering:
            return
        self._delivering = True
        self.deliver_button.setEnabled(False)
        self._worker.submit(
            recording_station.deliver_waiting,
            self.station,
            on_done=self._delivered,
            on_error=self._failed,
        )

    def _delivered(self, report: recording_station.DeliveryReport) -> None:
        self._delivering = False
        self.deliver_button.setEnabled(True)
        if report.waiting == 0:
            self.delivery_line.setText(
                self.tr("Everything recorded here has been delivered to the shared folder.")
            )
        else:
            self.delivery_line.setText(
                plural(
                    "%n concerns are waiting on this PC to be delivered. They are kept safely "
                    "here meanwhile.",
                    report.waiting,
                )
            )
        problems = [p for p in (report.problem, report.settings_problem) if p]
        if report.settings_problem or (report.problem and report.reachable):
            self.problem.show_error(" ".join(problems))
        elif report.problem:
            # No network at the away ground is normal: said calmly, not in red.
            self.problem.show_info(report.problem)
        else:
            self.problem.clear_message()
        self._show_settings()

    def _failed(self, failure: Failure) -> None:
        self._delivering = False
        self.deliver_button.setEnabled(True)
        self.problem.show_error(failure.message)

    def _show_settings(self) -> None:
        """The numbers from the newest signed settings the station took."""
        org = self.station.organisation
        self.numbers.setText(contacts_html(org.contacts))

    def stop(self) -> None:
        self.timer.stop()
