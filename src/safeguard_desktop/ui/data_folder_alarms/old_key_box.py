"""Home's red box: a recording station sent concerns locked with a replaced inbox key.

Removing or suspending a lead replaces the inbox key, because they may have kept the old
one; stations are sent the new key in the lead's signed settings (services/stations.py).
A station's concern that still came locked with the old key, recorded after it was
replaced, was taken in as usual, but the removed person may be able to read it. This box
names the station and the concerns, says what to do, and stays until a lead presses
**I have dealt with this** (``stations.dismiss_old_key_warnings``, audited). The call runs
on the records area's worker, which tells every page what changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from safeguard_desktop.services import stations
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import MessageLine, alarm_box, paragraph
from ..widgets.page_parts import button_row, sized_button
from ..worker import Failure


def _dismiss(session: CaseSession) -> Changes:
    return stations.dismiss_old_key_warnings(session)


class OldKeyBox(QWidget):
    """Shown only while a warning waits (``show_warnings``)."""

    def __init__(
        self, session: CaseSession, worker: CaseWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.box: QFrame
        self.box, layout = alarm_box(
            self.tr("A recording station used the key from before a lead was removed")
        )
        self.line = paragraph()
        self.line.setAccessibleName(self.tr("Which station and concerns"))
        layout.addWidget(self.line)
        self.message = MessageLine(self.tr("Problem"))
        layout.addWidget(self.message)
        self.dismiss_button = sized_button(
            self.tr("I have dealt with this"),
            self.tr("I have dealt with the concerns locked with the old key"),
            self._dismiss,
        )
        layout.addLayout(button_row(self.dismiss_button))
        outer.addWidget(self.box)
        self.hide()

    def show_warnings(self, warnings: tuple[stations.OldKeyWarning, ...]) -> None:
        self.message.clear_message()
        self.dismiss_button.setEnabled(True)
        if not warnings:
            self.hide()
            return
        parts = [
            self.tr("“{name}”: {refs}").format(name=w.name, refs=", ".join(w.refs))
            for w in warnings
        ]
        self.line.setText(
            self.tr(
                "{stations}. These concerns were recorded on a recording station after a "
                "lead's account was removed or suspended, but were locked with the key in "
                "use before, so that person may be able to read them if they can open the "
                "shared folder or the station's folder. They have been taken in as usual, "
                "and the station has been sent the new key again. Check that the station "
                "delivers its next concern without this warning; if it comes back, remove "
                "the station and invite it again (Settings, Recording stations). Decide "
                "whether the people these concerns are about need to be told, as you would "
                "for any other breach."
            ).format(stations="; ".join(parts))
        )
        self.show()

    def _dismiss(self) -> None:
        self.dismiss_button.setEnabled(False)
        self._worker.submit(_dismiss, self._session, on_error=self._failed)

    def _failed(self, failure: Failure) -> None:
        self.dismiss_button.setEnabled(True)
        self.message.show_error(failure.message)
