"""What every page of the handoff wizard shares: page ids, the organisation's words, fields.

Each page shows :class:`~safeguard_desktop.domain.errors.BadInput`'s sentence under the
field its ``.field`` names ("lado.adult.name", "review_on"), so the page keeps a map from
those names to its widgets and their message lines. The rules themselves live in
``domain/handoff.py``; nothing here decides what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, QDate, QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import day_with_weekday
from safeguard_desktop.domain.handoff import Outcome
from safeguard_desktop.domain.organisation import Organisation, OrgType
from safeguard_desktop.domain.referral import ReferralKind
from safeguard_desktop.services.casework_settings import CaseworkSettings
from safeguard_desktop.services.session import CaseSession

from ..theme import BUTTON_MIN_HEIGHT, MessageLine, hint, text_width
from ..widgets.form_fields import DATE_TIME_FORMAT, name_editor, to_date
from ..widgets.form_fields import date_edit as plain_date_edit
from ..widgets.wizard_page import FieldsPage
from ..worker import Worker

# The pages, in the order they are met. nextId() picks the path through them.
DANGER, POLICE, ALLEGATION, LADO, THRESHOLD, SHARING, CHILD_NOW, REFERRAL, CHECK, DONE = range(10)

# Which step of the side panel each page belongs to.
STEP_OF_PAGE = {
    DANGER: 0,
    POLICE: 0,
    ALLEGATION: 1,
    LADO: 1,
    THRESHOLD: 2,
    SHARING: 3,
    CHILD_NOW: 4,
    REFERRAL: 5,
    CHECK: 6,
    DONE: 7,
}

# Where each field named by HandoffDecision.checked is asked: (prefix, page).
_FIELD_PAGES = (
    ("police.", POLICE),
    ("lado.", LADO),
    ("outcome", THRESHOLD),
    ("reason", THRESHOLD),
    ("advice.", THRESHOLD),
    ("review_on", THRESHOLD),
    ("information_sharing.", SHARING),
    ("urgency", CHILD_NOW),
    ("child_now", CHILD_NOW),
    ("child_views", CHILD_NOW),
    ("parents_views", CHILD_NOW),
    ("keep_from_family", CHILD_NOW),
    ("person_causing_harm.", CHILD_NOW),
    ("referrer_relationship", CHILD_NOW),
    ("police_report.", THRESHOLD),
    ("fgm.", THRESHOLD),
    ("prevent.", THRESHOLD),
    ("agencies_informed", THRESHOLD),
    ("referral.", REFERRAL),
    ("follow_up", CHECK),
)


def page_of_field(field: str | None) -> int | None:
    """The page that asks for ``field``, or None when no page does."""
    for prefix, page in _FIELD_PAGES:
        if field and field.startswith(prefix):
            return page
    return None


def _tr(text: str) -> str:
    return QCoreApplication.translate("HandoffWizard", text)


@dataclass(frozen=True)
class OrgWords:
    """The words this kind of organisation uses, so a club never reads "pupil"."""

    lead: str  # "DSL" / "Welfare Officer"
    lead_title: str  # "Designated Safeguarding Lead" / "Welfare Officer"
    child: str  # "pupil" / "player" / "child"
    escalation: str  # who else hears of an allegation about an adult

    @classmethod
    def for_type(cls, org_type: OrgType) -> OrgWords:
        if org_type is OrgType.SCHOOL:
            child = _tr("pupil")
            escalation = _tr(
                "Tell the headteacher. If the allegation is about the headteacher, tell the "
                "chair of governors instead."
            )
        elif org_type is OrgType.CLUB:
            child = _tr("player")
            escalation = _tr(
                "Tell the club's safeguarding lead at your national governing body (NGB). If "
                "the allegation is about someone who runs the club, go straight to the NGB."
            )
        else:
            child = _tr("child")
            escalation = _tr(
                "Tell the person in charge of your organisation. If the allegation is about "
                "them, tell the chair of trustees or of the management committee instead."
            )
        return cls(
            lead=org_type.lead_short,
            lead_title=org_type.lead_title,
            child=child,
            escalation=escalation,
        )


def day_words(day: date) -> str:
    """A date as people say it: "Monday 3 March 2026"."""
    return day_with_weekday(day)


def section(widget: QWidget) -> QVBoxLayout:
    """The layout of a part of a page shown or hidden as a whole, spaced like the page."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(12)  # as WizardPage.body_layout
    return layout


def radio(text: str, accessible: str) -> QRadioButton:
    button = QRadioButton(text)
    button.setAccessibleName(accessible)
    button.setMinimumHeight(BUTTON_MIN_HEIGHT - 4)
    return button


def date_edit(accessible: str) -> QDateEdit:
    """Today, to begin with; no wider than a date needs."""
    edit = plain_date_edit(accessible)
    edit.setDate(QDate.currentDate())
    edit.setMaximumWidth(text_width(20))
    return edit


def datetime_edit(accessible: str) -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime.currentDateTime())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_TIME_FORMAT)
    name_editor(edit, accessible)
    edit.setMaximumWidth(text_width(26))
    return edit


def line_edit(accessible: str, max_length: int = 500) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible)
    edit.setMaxLength(max_length)
    return edit


class OptionalDate(QWidget):
    """A date that may not be known: a tick box saying it is, and the date beside it."""

    def __init__(self, text: str, accessible: str) -> None:
        super().__init__()
        self.known = QCheckBox(text)
        self.known.setAccessibleName(_tr("{what}: the date is known").format(what=accessible))
        self.known.setMinimumHeight(BUTTON_MIN_HEIGHT - 4)
        self.date = date_edit(accessible)
        self.date.setEnabled(False)
        self.known.toggled.connect(self.date.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.known)
        row.addWidget(self.date)
        row.addStretch(1)

    def value(self) -> date | None:
        return to_date(self.date.date()) if self.known.isChecked() else None


@runtime_checkable
class Handoff(Protocol):
    """What a page asks of the wizard it is on: :class:`.handoff_wizard.HandoffWizard`.

    Named here as a protocol because the wizard imports every page; a page that imported
    the wizard back would tie all five modules into one cycle.
    """

    session: CaseSession
    worker: Worker
    ref: str
    org: Organisation
    recording: bool
    # The nation's working days and the chase for an outcome (services/casework_settings.py)
    settings: CaseworkSettings

    def check_step(self, page: HandoffPage) -> bool: ...
    def outcome(self) -> Outcome | None: ...
    def makes_referral(self) -> bool: ...
    def referral_kinds(self) -> tuple[ReferralKind, ...]: ...
    def switch_to_social_care(self) -> None: ...
    def summary_html(self) -> str: ...
    def commit(self) -> bool: ...


class HandoffPage(FieldsPage):
    """A page that shows the gate's sentence under the field it names."""

    def __init__(self, words: OrgWords) -> None:
        super().__init__()
        self.words = words

    def handoff(self) -> Handoff:
        wizard = self.wizard()
        assert isinstance(wizard, Handoff)
        return wizard

    def add_field(
        self,
        layout: QVBoxLayout,
        field: str,
        text: str,
        widget: QWidget,
        problem: str,
        *,
        note: str = "",
        buddy: QWidget | None = None,
    ) -> QLabel | None:
        """A label (with its mnemonic), an optional hint, the field and its error line."""
        label: QLabel | None = None
        if text:
            label = QLabel(text)
            label.setWordWrap(True)
            label.setBuddy(buddy or widget)
            layout.addWidget(label)
        if note:
            layout.addWidget(hint(note))
        layout.addWidget(widget)
        error = MessageLine(problem)
        layout.addWidget(error)
        self.field_widgets[field] = buddy or widget
        self.field_errors[field] = error
        # A sentence about what was typed goes as soon as it is changed.
        for name in ("textChanged", "dateTimeChanged", "currentIndexChanged", "toggled"):
            signal = getattr(buddy or widget, name, None)
            if signal is not None:
                signal.connect(error.clear_message)
        return label

    def first_field(self) -> QWidget | None:
        """Where the keyboard starts when the page appears (None: leave it to Qt)."""
        return None

    def missing(self) -> tuple[str, str] | None:
        """A question on this page left unanswered: (field, sentence), or None."""
        return None

    def validatePage(self) -> bool:
        return self.handoff().check_step(self)
