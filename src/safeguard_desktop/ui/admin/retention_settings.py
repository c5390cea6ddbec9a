"""Settings: how long a child's file is kept before its retention review.

Part of the Settings page. A school keeps the fixed rule (the IRMS toolkit: until the
child is 25), so it is only said. A club or other organisation chooses the number of
years after a file's last entry (six unless changed; until the child is 25 when a
referral was made, whichever is later): an administrator changes it, a lead sees it. Read
and saved on the worker through services/retention.py, which checks it again and allows
only an administrator. The rules are domain/retention.py's.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox, QVBoxLayout, QWidget

from safeguard_desktop.domain.organisation import OrgType, Role
from safeguard_desktop.domain.retention import MAX_YEARS_AFTER_LAST, MIN_YEARS_AFTER_LAST
from safeguard_desktop.services import retention
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import heading, hint, paragraph
from ..widgets.page_parts import field_in_words, save_button_and_message
from ..worker import Failure


def _load(session: CaseSession) -> int:
    return retention.years_after_last(session)  # on the worker


def _save(session: CaseSession, years: int) -> Changes:
    return retention.set_years_after_last(session, years)  # on the worker


class RetentionSettings(QWidget):
    """The years after the last entry, with their own Save (clubs and others); the
    fixed rule in words (schools)."""

    def __init__(
        self, session: CaseSession, worker: CaseWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self._is_admin = session.user.role is Role.ADMIN
        self.is_school = session.organisation.org_type is OrgType.SCHOOL
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(heading(self.tr("Keeping children's files"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "Nothing is deleted automatically. When a child's file reaches its review "
                    "date it is listed under Children, Due for review, for a lead to keep it "
                    "longer or delete it. A legal hold stops deletion whatever the date."
                )
            )
        )
        self.school_rule = paragraph(
            self.tr(
                "Schools keep a child's file until the child is 25, the period the IRMS "
                "toolkit sets for child protection files; it is not changed here. A lead can "
                "set another date for one child, with the reason, on the child's file."
            )
        )
        layout.addWidget(self.school_rule)
        # Clubs and other organisations: the years after the last entry.
        self.period = QWidget()
        period = QVBoxLayout(self.period)
        period.setContentsMargins(0, 0, 0, 0)
        period.setSpacing(8)
        self.years = QSpinBox()
        self.years.setRange(MIN_YEARS_AFTER_LAST, MAX_YEARS_AFTER_LAST)
        self.years.setSuffix(self.tr(" years"))
        self.years.setAccessibleName(self.tr("Years a child's file is kept after its last entry"))
        # Alt+P: every other letter of these words is taken on the Settings page.
        period.addLayout(
            field_in_words(
                self.tr("Kee&p a child's file for"), self.years, self.tr("after its last entry")
            )
        )
        period.addWidget(
            hint(
                self.tr(
                    "Six years is what sports governing bodies commonly use. A file that held "
                    "a referral (to children's social care, the police, the LADO or Prevent) "
                    "is kept until the child is 25 when that is later."
                )
            )
        )
        self.save_button, self.message = save_button_and_message(
            period,
            self.tr("Save the retention period"),  # no free Alt key left: Tab reaches it
            self.tr("Save the retention period"),
            self.save,
            self.tr("Result of saving the retention period"),
        )
        layout.addWidget(self.period)
        self.school_rule.setVisible(self.is_school)
        self.period.setVisible(not self.is_school)
        for widget in (self.years, self.save_button):
            widget.setEnabled(False)  # until read
        self.save_button.setVisible(self._is_admin)

    def refresh(self) -> None:
        """Read the period (each time the page is shown); a school has none to read."""
        if not self.is_school:
            self._worker.submit(_load, self._session, on_done=self._show, on_error=self._failed)

    def _show(self, years: int) -> None:
        self.years.setValue(years)
        for widget in (self.years, self.save_button):
            widget.setEnabled(self._is_admin)

    def save(self) -> None:
        self.save_button.setEnabled(False)
        self.message.show_info(self.tr("Saving…"))
        self._worker.submit(
            _save, self._session, self.years.value(), on_done=self._saved, on_error=self._failed
        )

    def _saved(self, _: Changes) -> None:
        self.save_button.setEnabled(True)
        self.message.show_good(
            self.tr("Saved. Every file's review date follows it, except those a lead set.")
        )

    def _failed(self, failure: Failure) -> None:
        self.save_button.setEnabled(self._is_admin)
        self.message.show_error(failure.message)
