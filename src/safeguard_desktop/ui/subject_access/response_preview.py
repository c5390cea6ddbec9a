"""The response as it would be released, page by page, before anything is saved: the lead
sees each [removed] where the words were. Made and drawn on the worker from memory."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QVBoxLayout, QWidget

from safeguard_desktop.services import subject_access
from safeguard_desktop.services.referral_preview import PagePixels
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import BUTTON_MIN_HEIGHT, MessageLine, heading, hint, text_width
from ..widgets.dialog_parts import FittingDialog
from ..widgets.page_previews import PagePreviews
from ..worker import Failure

MIN_PAGE_WIDTH = 400
MAX_PAGE_WIDTH = 1400


def response_pages(session: CaseSession, request_id: int, width: int) -> tuple[PagePixels, ...]:
    made = subject_access.make_response(session, request_id)
    return subject_access.response_pages(made, width)


class PreviewDialog(FittingDialog):
    """The released PDF's pages; Close (or Escape) returns to the review."""

    def __init__(
        self, session: CaseSession, worker: CaseWorker, request_id: int, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preview the response"))
        self.setModal(True)
        self.setMinimumWidth(text_width(70))
        self.resize(text_width(84), self.fontMetrics().lineSpacing() * 40)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(heading(self.tr("The response as it will be released"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "Records withheld are left out; words taken out show as [removed]. "
                    "Nothing is saved until you choose Save the response."
                )
            )
        )
        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)
        self.pages = PagePreviews(self.tr("Pages of the response"), self.tr("Drawing the pages…"))
        self.pages.setMinimumHeight(self.fontMetrics().lineSpacing() * 16)
        layout.addWidget(self.pages, 1)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(
            self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.setAccessibleName(self.tr("Close the preview"))
        self.close_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.loaded = False
        width = round((text_width(70) - 60) * self.devicePixelRatioF())
        worker.submit(
            response_pages,
            session,
            request_id,
            max(MIN_PAGE_WIDTH, min(MAX_PAGE_WIDTH, width)),
            on_done=self._show,
            on_error=self._failed,
        )

    def _show(self, pages: tuple[PagePixels, ...]) -> None:
        self.pages.set_pages(pages, pages[0].count if pages else 0)
        self.loaded = True
        self.pages.setFocus()

    def _failed(self, failure: Failure) -> None:
        self.error.show_error(failure.message)
        self.loaded = True
