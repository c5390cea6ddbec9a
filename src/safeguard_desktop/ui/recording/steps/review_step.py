"""The last step: the whole record as the lead will read it, and Submit."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWizard

from ...theme import hint
from .step_page import FormPage


class ReviewPage(FormPage):
    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("Check and send"))
        self.record = QLabel()
        self.record.setWordWrap(True)
        self.record.setAccessibleName(self.tr("The whole record"))
        self.body_layout.addWidget(self.record)
        self.sender_line = hint()
        self.body_layout.addWidget(self.sender_line)
        self.body_layout.addWidget(self.page_error)
        self.body_layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Submit"))

    def initializePage(self) -> None:
        form = self.concern_form()
        self.setSubTitle(
            self.tr("This is what the {lead} will read. Go Back to change anything.").format(
                lead=form.org.org_type.lead_title
            )
        )
        self.record.setText(form.review_html())
        self.sender_line.setText(form.sender_sentence)
        self.clear_errors()

    def validatePage(self) -> bool:
        # Sending is slow (sealing, fsync): it runs on the worker; the page stays until done.
        self.concern_form().request_submit()
        return False
