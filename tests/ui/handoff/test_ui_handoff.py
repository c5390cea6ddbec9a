"""The handoff wizard driven down each route, then what was recorded and audited, read back.

Each test opens the real wizard on a real CaseSession (a DSL signed in to a store whose
concerns were sealed and ingested the real way) and drives it with the keyboard and the
mouse. What was recorded is read back through the services, never from the widgets.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from casework_data import RECORDER_ACCOUNT, concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.child_situation import Urgency
from safeguard_desktop.domain.handoff import (
    Consent,
    Outcome,
)
from safeguard_desktop.domain.lawful_basis import lawful_basis_for
from safeguard_desktop.domain.organisation import OrgType, Role
from safeguard_desktop.domain.referral import InterimStep, ReferralKind
from safeguard_desktop.domain.working_days import WorkingDays
from safeguard_desktop.services import audit_trail, casework
from safeguard_desktop.services.casework import ConcernFile
from safeguard_desktop.services.handoff import HandoffResult, asking_for_default
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.handoff.handoff_parts import (
    ALLEGATION,
    CHECK,
    CHILD_NOW,
    DANGER,
    DONE,
    LADO,
    POLICE,
    REFERRAL,
    SHARING,
    THRESHOLD,
)
from safeguard_desktop.ui.handoff.handoff_wizard import HandoffWizard
from safeguard_desktop.ui.worker import DISCARDED_PROPERTY, Worker
from ui_store import build_store

# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"
pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)

TODAY = date.today()
# Social care decides within one working day; its chase is set for then (Settings: one).
CHASE = WorkingDays().next(TODAY)


@dataclass
class Opened:
    wizard: HandoffWizard
    session: CaseSession
    ref: str
    worker: Worker
    parent: QWidget
    recorded: list[tuple[str, HandoffResult]]

    def file(self) -> ConcernFile:
        return casework.concern_file(self.session, self.ref, audit=False)

    def audit(self, action: str) -> list[dict[str, object]]:
        return [e.detail for e in audit_trail.entries(self.session, 1000) if e.action == action]


@pytest.fixture
def open_handoff(qtbot: QtBot, store_dir: StoreFixture) -> Iterator[Callable[..., Opened]]:
    opened: list[Opened] = []

    def opener(
        *,
        categories: tuple[str, ...] = ("physical_abuse",),
        danger: bool = False,
        data_dir: Path | None = None,
        dsl: tuple[str, str] | None = None,
        ref: str | None = None,
        name: str = "Amelia Kowalska",
        extra_children: tuple[dict[str, object], ...] = (),
    ) -> Opened:
        folder = data_dir or store_dir.data_dir
        data = concern_data(categories=categories, name=name, extra_children=extra_children)
        data["immediate_danger"] = danger
        submitted = submit(Store.open(folder), data)
        ref = ref or submitted
        session = Store.open(folder).login(*(dsl or store_dir.dsl))
        assert isinstance(session, CaseSession)  # signing in ingests the sealed concern
        worker = Worker()
        # The area that owns the wizard in the app; closing it deletes the wizard.
        parent = QWidget()
        qtbot.addWidget(parent)
        wizard = HandoffWizard(session, worker, ref, parent)
        recorded: list[tuple[str, HandoffResult]] = []
        wizard.recorded.connect(lambda r, result: recorded.append((r, result)))
        wizard.show()
        wizard.activateWindow()
        qtbot.waitUntil(wizard.isActiveWindow, timeout=5000)
        qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)
        item = Opened(wizard, session, ref, worker, parent, recorded)
        opened.append(item)
        return item

    yield opener
    for item in opened:
        item.parent.close()
        item.parent.deleteLater()
        QApplication.processEvents()
        item.worker.shutdown()
        item.session.lock()


def plain(label: QLabel) -> str:
    """What a rich-text label reads as, without its markup."""
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def alt(qtbot: QtBot, key: Qt.Key) -> None:
    """A mnemonic, as a person presses it (Alt and the underlined letter)."""
    qtbot.keyClick(focused(), key, Qt.KeyboardModifier.AltModifier)


def alt_choose(qtbot: QtBot, key: Qt.Key, button: QAbstractButton) -> None:
    """A mnemonic on a radio button: Qt clicks it after a short animation."""
    alt(qtbot, key)
    qtbot.waitUntil(button.isChecked, timeout=2000)


def alt_next(qtbot: QtBot, wizard: HandoffWizard, expected: int) -> None:
    """Alt+N, the Next button's mnemonic, and wait for the step it leads to."""
    alt(qtbot, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: wizard.currentId() == expected, timeout=2000)


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def next_page(qtbot: QtBot, wizard: HandoffWizard) -> None:
    """Click whichever of Next or Record the decision is showing."""
    for which in (QWizard.WizardButton.CommitButton, QWizard.WizardButton.NextButton):
        button = wizard.button(which)
        if button.isVisible():
            assert button.isEnabled()
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            return
    raise AssertionError("neither Next nor Record the decision is showing")


def record(qtbot: QtBot, opened: Opened) -> HandoffResult:
    wizard = opened.wizard
    assert wizard.currentId() == CHECK
    with qtbot.waitSignal(wizard.recorded, timeout=15_000):
        next_page(qtbot, wizard)
    assert wizard.currentId() == DONE
    (ref, result), *_ = opened.recorded
    assert ref == opened.ref
    return result


def to_threshold(qtbot: QtBot, wizard: HandoffWizard) -> None:
    """No immediate danger, no allegation: straight to the threshold decision."""
    assert wizard.currentId() == DANGER and wizard.danger_page.no.isChecked()
    next_page(qtbot, wizard)
    assert wizard.currentId() == ALLEGATION and wizard.allegation_page.no.isChecked()
    next_page(qtbot, wizard)
    assert wizard.currentId() == THRESHOLD


def decide(
    qtbot: QtBot, wizard: HandoffWizard, outcome: Outcome, reason: str = "The child's words."
) -> None:
    wizard.threshold_page.choose(outcome)
    wizard.threshold_page.reason.setPlainText(reason)
    next_page(qtbot, wizard)


def share(
    qtbot: QtBot,
    wizard: HandoffWizard,
    consent: Consent = Consent.GIVEN,
    told: bool = True,
) -> None:
    page = wizard.sharing_page
    assert wizard.currentId() == SHARING
    page.consent_buttons[consent].setChecked(True)
    if consent is not Consent.GIVEN:
        page.consent_reason.setPlainText("Asking could put the child at risk.")
    (page.told_yes if told else page.told_no).setChecked(True)
    if not told:
        page.not_told_reason.setPlainText("The concern is about a parent.")
    next_page(qtbot, wizard)
    child_now(qtbot, wizard)


def child_now(qtbot: QtBot, wizard: HandoffWizard) -> None:
    """The step about the child now: today, and where she is."""
    assert wizard.currentId() == CHILD_NOW
    page = wizard.child_now_page
    page.urgency_buttons[Urgency.SAME_DAY].setChecked(True)
    page.child_now.setPlainText("At home with her mother; safe tonight.")
    page.parents_views.setPlainText("Her mother agreed to the referral.")
    next_page(qtbot, wizard)


def through_referral(qtbot: QtBot, wizard: HandoffWizard) -> None:
    if wizard.currentId() == CHILD_NOW:
        child_now(qtbot, wizard)
    assert wizard.currentId() == REFERRAL
    qtbot.waitUntil(wizard.referral_page.isComplete, timeout=10_000)
    next_page(qtbot, wizard)
    assert wizard.currentId() == CHECK


def test_danger_route_to_a_social_care_referral_by_keyboard(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff(danger=True)
    wizard = opened.wizard
    assert "Amelia Kowalska" in wizard.danger_page.about.text()
    assert wizard.danger_page.yes.isChecked()  # the recorder said a child was in danger
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # Enter moves on
    assert wizard.currentId() == POLICE
    assert wizard.police_page.call_line.text() == "Call 999 now"
    assert "0100 000 0003" in wizard.police_page.numbers.text()  # the local numbers
    alt(qtbot, Qt.Key.Key_I)
    assert focused() is wizard.police_page.incident_number
    type_text(qtbot, "CAD 1234")
    alt(qtbot, Qt.Key.Key_S)
    type_text(qtbot, "Call handler")
    alt(qtbot, Qt.Key.Key_D)
    type_text(qtbot, "Officers on their way.")
    alt(qtbot, Qt.Key.Key_S)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert wizard.currentId() == ALLEGATION
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert wizard.currentId() == THRESHOLD
    alt_choose(qtbot, Qt.Key.Key_S, wizard.threshold_page.buttons[Outcome.SOCIAL_CARE])
    alt(qtbot, Qt.Key.Key_W)
    type_text(qtbot, "A bruise and the child's words; the police attended.")
    alt_next(qtbot, wizard, SHARING)
    alt_choose(qtbot, Qt.Key.Key_O, wizard.sharing_page.consent_buttons[Consent.NOT_SOUGHT])
    alt(qtbot, Qt.Key.Key_W)
    type_text(qtbot, "The police asked us not to.")
    alt_choose(qtbot, Qt.Key.Key_T, wizard.sharing_page.told_no)
    alt(qtbot, Qt.Key.Key_H)
    type_text(qtbot, "The concern is about a parent.")
    alt_next(qtbot, wizard, CHILD_NOW)
    assert focused() is wizard.child_now_page.urgency_buttons[Urgency.IMMEDIATE]
    alt(qtbot, Qt.Key.Key_N)  # urgency and where she is are needed for social care
    page = wizard.child_now_page
    qtbot.waitUntil(lambda: "how urgent" in page.urgency_error.text(), timeout=2000)
    # Each gap under its own field, not every sentence under the first.
    assert "where the child is now" in page.field_errors["child_now"].text()
    assert "where the child is now" not in page.urgency_error.text()
    alt_choose(qtbot, Qt.Key.Key_T, wizard.child_now_page.urgency_buttons[Urgency.SAME_DAY])
    alt(qtbot, Qt.Key.Key_W)
    type_text(qtbot, "At home with her mother; her father is away.")
    alt_next(qtbot, wizard, REFERRAL)
    page = wizard.referral_page
    qtbot.waitUntil(page.isComplete, timeout=10_000)
    assert "recorded this concern" in page.text("summary")
    assert page.text("asking_for") == asking_for_default(ReferralKind.SOCIAL_CARE)
    alt(qtbot, Qt.Key.Key_R)
    type_text(qtbot, "Physical harm at home.")
    alt_next(qtbot, wizard, CHECK)
    summary = plain(wizard.check_page.summary)
    assert "You called 999" in summary and "CAD 1234" in summary
    assert "Referral to children's social care" in summary
    assert wizard.check_page.decided_by.text() == "Decided by Dana Lead, Welfare Officer."
    with qtbot.waitSignal(wizard.recorded, timeout=15_000):
        alt(qtbot, Qt.Key.Key_R)  # Record the decision
    assert wizard.currentId() == DONE
    (_, result) = opened.recorded[0]

    file = opened.file()
    assert [a.kind.value for a in file.actions] == ["called_police"]
    assert "CAD 1234" in file.actions[0].details
    assert file.actions[0].who == "Call handler"
    (decision,) = file.decisions
    assert decision.outcome == "social_care_referral"
    assert decision.reason == "A bruise and the child's words; the police attended."
    assert decision.decided_by == "dana"
    assert [(r.kind, r.ref) for r in file.referrals] == [
        (ReferralKind.SOCIAL_CARE, result.referral_refs[0])
    ]
    assert file.referrals[0].content.risks == "Physical harm at home."
    # The lead's own follow-up a week out, and the chase for social care's decision.
    assert sorted(f.due_on for f in file.follow_ups) == [CHASE, TODAY + timedelta(weeks=1)]
    (chase,) = [f for f in file.follow_ups if f.due_on == CHASE]
    assert result.referral_refs[0] in chase.what and "one working day" in chase.what
    (audit,) = opened.audit("handoff_decision")
    assert audit["police_called"] is True and audit["outcome"] == "social_care_referral"
    assert audit["referrals"] == list(result.referral_refs)
    note = plain(wizard.done_page.note)
    assert result.referral_refs[0] in note and "signed referral PDF" in note
    assert f"{CHASE.day} {CHASE:%B %Y}: chase children's social care" in note


def test_lado_not_yet_contacted_then_monitor(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff(categories=("allegation_against_adult",))
    wizard = opened.wizard
    next_page(qtbot, wizard)
    assert wizard.currentId() == ALLEGATION
    assert wizard.allegation_page.yes.isChecked()  # recorded as an allegation
    next_page(qtbot, wizard)
    assert wizard.currentId() == LADO
    lado = wizard.lado_page
    assert "0100 000 0003" in lado.lado_number.text()
    next_page(qtbot, wizard)  # nothing filled in: refused, under the adult's name
    assert wizard.currentId() == LADO
    assert lado.field_errors["lado.adult.name"].isVisible()
    assert "adult's name" in lado.field_errors["lado.adult.name"].text()
    assert focused() is lado.adult_name
    type_text(qtbot, "Sam Coach")
    alt(qtbot, Qt.Key.Key_R)
    type_text(qtbot, "Assistant coach")
    lado.basis.setCurrentIndex(lado.basis.findData("volunteer"))
    lado.started.known.setChecked(True)
    lado.started.date.setDate(QDate(2024, 9, 1))
    lado.allegation.setPlainText("Grabbed a child's arm hard at training.")
    next_page(qtbot, wizard)  # who raised it, and what was done meanwhile: each under its field
    assert wizard.currentId() == LADO
    assert "Who raised the allegation" in lado.field_errors["lado.raised_by"].text()
    assert "suspended, redeployed" in lado.interim_error.text()
    assert focused() is lado.raised_by
    type_text(qtbot, "The child told her teacher the next morning.")
    alt(qtbot, Qt.Key.Key_Y)
    type_text(qtbot, "Lifeguard at the town pool.")
    alt(qtbot, Qt.Key.Key_A)
    type_text(qtbot, "Two daughters, 8 and 11.")
    alt(qtbot, Qt.Key.Key_K)
    assert focused() is lado.aware
    lado.aware.setCurrentIndex(2)  # No
    alt_choose(qtbot, Qt.Key.Key_U, lado.interim_buttons[InterimStep.SUSPENDED])
    next_page(qtbot, wizard)  # suspended, but not said why
    assert "Say why" in lado.field_errors["lado.interim_reason"].text()
    assert focused() is lado.interim_reason
    type_text(qtbot, "To keep the players safe until the LADO advises.")
    next_page(qtbot, wizard)  # not said whether the LADO was contacted
    assert lado.contact_error.text() == "Say whether you have contacted the LADO yet."
    alt_choose(qtbot, Qt.Key.Key_E, lado.not_yet)
    assert lado.not_yet.isChecked() and lado.not_yet_note.isVisible()
    due = WorkingDays().next(TODAY)
    assert f"{due.day} {due:%B %Y}" in lado.not_yet_note.text()
    next_page(qtbot, wizard)
    assert wizard.currentId() == THRESHOLD
    wizard.threshold_page.choose(Outcome.MONITOR)
    assert wizard.threshold_page.review_box.isVisible()
    assert wizard.threshold_page.review_date() == TODAY + timedelta(weeks=4)
    wizard.threshold_page.reason.setPlainText("The LADO will advise; watch meanwhile.")
    next_page(qtbot, wizard)
    share(qtbot, wizard)  # asked: the LADO's referral shares information too
    assert wizard.currentId() == REFERRAL
    page = wizard.referral_page
    assert "LADO" in page.kinds_line.text()
    qtbot.waitUntil(page.isComplete, timeout=10_000)
    assert page.text("asking_for") == asking_for_default(ReferralKind.LADO)
    next_page(qtbot, wizard)
    assert "The LADO is not contacted yet" in plain(wizard.check_page.summary)
    result = record(qtbot, opened)

    file = opened.file()
    assert file.actions == ()  # nobody has been called yet
    (decision,) = file.decisions
    assert decision.outcome == "monitor" and decision.review_on == TODAY + timedelta(weeks=4)
    (referral,) = file.referrals
    assert referral.kind is ReferralKind.LADO and referral.ref == result.referral_refs[0]
    assert referral.extra["adult"]["name"] == "Sam Coach"  # type: ignore[index]
    assert referral.extra["adult"]["employment_basis"] == "volunteer"  # type: ignore[index]
    assert referral.extra["adult"]["started_on"] == "2024-09-01"  # type: ignore[index]
    assert referral.extra["adult"]["own_children"] == "Two daughters, 8 and 11."  # type: ignore[index]
    adult: Any = referral.extra["adult"]
    assert adult["other_work_with_children"] == "Lifeguard at the town pool."
    assert adult["aware"] is False
    recorded: Any = decision.details["lado"]
    assert recorded["raised_by"] == "The child told her teacher the next morning."
    assert recorded["interim_steps"] == "suspended"
    assert recorded["interim_reason"] == "To keep the players safe until the LADO advises."
    dues = {f.due_on: f.what for f in file.follow_ups}
    assert "LADO" in dues[due]
    assert TODAY + timedelta(weeks=4) in dues and TODAY + timedelta(weeks=1) in dues
    (audit,) = opened.audit("handoff_decision")
    assert audit["lado"] is True and audit["police_called"] is False
    assert "contact the LADO" in plain(wizard.done_page.note)


def test_lado_contacted_and_a_social_care_referral_make_two_referrals(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff(categories=("allegation_against_adult", "physical_abuse"))
    wizard = opened.wizard
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    lado = wizard.lado_page
    lado.adult_name.setText("Sam Coach")
    lado.adult_role.setText("Assistant coach")
    lado.allegation.setPlainText("Grabbed a child's arm hard at training.")
    lado.contacted.setChecked(True)
    assert lado.contact_fields.isVisible() and not lado.not_yet_note.isVisible()
    lado.officer.setText("J. Officer")
    lado.advice.setPlainText("Do not tell the adult; strategy discussion tomorrow.")
    lado.raised_by.setPlainText("The child told her mother, who rang the club.")
    lado.interim_buttons[InterimStep.REDEPLOYED].setChecked(True)
    lado.interim_reason.setPlainText("Moved to the groundsman's work until the LADO advises.")
    next_page(qtbot, wizard)
    decide(qtbot, wizard, Outcome.SOCIAL_CARE, "Marks on the arm, and the allegation.")
    share(qtbot, wizard, Consent.NOT_SOUGHT, told=False)
    page = wizard.referral_page
    assert "children's social care; and Referral to the Local Authority" in page.kinds_line.text()
    assert page.lado_note.isVisible()
    through_referral(qtbot, wizard)
    assert "You contacted the LADO at" in plain(wizard.check_page.summary)
    result = record(qtbot, opened)

    file = opened.file()
    assert [r.kind for r in file.referrals] == [ReferralKind.SOCIAL_CARE, ReferralKind.LADO]
    assert [r.ref for r in file.referrals] == list(result.referral_refs)
    # The LADO's referral asks the LADO, though the page showed the social care request.
    assert file.referrals[1].content.asking_for == asking_for_default(ReferralKind.LADO)
    (action,) = file.actions
    assert action.kind.value == "contacted_lado" and action.who == "J. Officer"
    # No LADO chase (contacted); the chase for social care's decision.
    assert sorted(f.due_on for f in file.follow_ups) == [CHASE, TODAY + timedelta(weeks=1)]
    (audit,) = opened.audit("handoff_decision")
    assert audit["lado"] is True and audit["referrals"] == list(result.referral_refs)


def test_social_care_with_consent_not_sought_and_parents_not_told(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff()
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    next_page(qtbot, wizard)  # no decision chosen: the gate's own sentence
    assert wizard.currentId() == THRESHOLD
    assert "threshold decision" in wizard.threshold_page.outcome_error.text()
    decide(qtbot, wizard, Outcome.SOCIAL_CARE, "Marks and the child's account.")
    page = wizard.sharing_page
    page.consent_buttons[Consent.NOT_SOUGHT].setChecked(True)
    page.told_no.setChecked(True)
    next_page(qtbot, wizard)
    assert wizard.currentId() == SHARING
    reason_error = page.field_errors["information_sharing.consent_reason"]
    assert "why consent was not sought" in reason_error.text()
    page.consent_reason.setPlainText("Asking would alert the parent.")
    next_page(qtbot, wizard)
    not_told_error = page.field_errors["information_sharing.parents_not_told_reason"]
    assert "why the parents" in not_told_error.text() and not reason_error.isVisible()
    page.not_told_reason.setPlainText("Telling them could put the child at greater risk.")
    next_page(qtbot, wizard)
    through_referral(qtbot, wizard)
    record(qtbot, opened)

    (decision,) = opened.file().decisions
    sharing: Any = decision.details["information_sharing"]
    assert sharing["consent"] == "not_sought"
    assert sharing["consent_reason"] == "Asking would alert the parent."
    assert sharing["lawful_basis"] == lawful_basis_for(OrgType.CLUB)  # this store is a club
    assert decision.details["situation"]["urgency"] == "same_day"
    assert sharing["parents_told"] is False
    assert sharing["parents_not_told_reason"].startswith("Telling them")
    assert [r.kind for r in opened.file().referrals] == [ReferralKind.SOCIAL_CARE]
    assert [d["outcome"] for d in opened.audit("handoff_decision")] == ["social_care_referral"]


def test_early_help_refused_consent_is_refused_then_given_consent_succeeds(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff(categories=("neglect",))
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    decide(qtbot, wizard, Outcome.EARLY_HELP, "Often hungry; the family want support.")
    page = wizard.sharing_page
    page.consent_buttons[Consent.REFUSED].setChecked(True)
    assert page.early_help_box.isVisible()  # the social-care route is offered
    page.consent_reason.setPlainText("Mum said no.")
    page.told_yes.setChecked(True)
    next_page(qtbot, wizard)
    assert wizard.currentId() == SHARING
    assert page.consent_error.text().startswith("Early help needs the family's consent.")
    assert "children's social care" in page.consent_error.text()

    # The offered route: back to the decision with social care chosen, the reason kept.
    qtbot.mouseClick(page.to_social_care, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == THRESHOLD and wizard.outcome() is Outcome.SOCIAL_CARE
    assert wizard.threshold_page.reason.toPlainText() == "Often hungry; the family want support."
    decide(qtbot, wizard, Outcome.EARLY_HELP, "Often hungry; the family want support.")
    assert wizard.currentId() == SHARING and page.consent_buttons[Consent.REFUSED].isChecked()

    page.consent_buttons[Consent.GIVEN].setChecked(True)
    assert not page.early_help_box.isVisible() and not page.reason_box.isVisible()
    next_page(qtbot, wizard)
    assert wizard.currentId() == CHILD_NOW
    next_page(qtbot, wizard)
    # The parents were told: their views are asked for, under their own field.
    views_error = wizard.child_now_page.field_errors["parents_views"]
    assert wizard.currentId() == CHILD_NOW and "say what they think of it" in views_error.text()
    assert focused() is wizard.child_now_page.parents_views
    type_text(qtbot, "Mum asked for the support herself.")
    next_page(qtbot, wizard)  # early help asks no urgency: the family asked for support
    assert wizard.currentId() == REFERRAL
    qtbot.waitUntil(wizard.referral_page.isComplete, timeout=10_000)
    assert wizard.referral_page.text("asking_for") == asking_for_default(ReferralKind.EARLY_HELP)
    next_page(qtbot, wizard)
    record(qtbot, opened)

    file = opened.file()
    assert [d.outcome for d in file.decisions] == ["early_help"]
    sharing: Any = file.decisions[0].details["information_sharing"]
    assert sharing["consent"] == "given" and sharing["consent_reason"] == ""
    situation: Any = file.decisions[0].details["situation"]
    assert situation["parents_views"] == "Mum asked for the support herself."
    assert [r.kind for r in file.referrals] == [ReferralKind.EARLY_HELP]
    assert [d["outcome"] for d in opened.audit("handoff_decision")] == ["early_help"]


def test_monitor_with_a_review_date_skips_sharing_and_the_referral(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff(categories=("other",))
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    threshold = wizard.threshold_page
    threshold.choose(Outcome.MONITOR)
    threshold.review_on.setDate(QDate.currentDate())
    threshold.reason.setPlainText("Low-level; the first concern about this child.")
    next_page(qtbot, wizard)
    assert wizard.currentId() == THRESHOLD
    assert threshold.field_errors["review_on"].text() == "The review date must be after today."
    threshold.review_on.setDate(QDate.currentDate().addDays(10))
    threshold.advice_from.setText("NSPCC helpline")
    threshold.advice_given.setPlainText("Monitor and record.")
    next_page(qtbot, wizard)
    assert wizard.currentId() == CHECK  # no referral: no sharing, no referral content
    assert wizard.visitedIds() == [DANGER, ALLEGATION, THRESHOLD, CHECK]
    assert "Referrals to be drafted\nNone" in plain(wizard.check_page.summary)
    result = record(qtbot, opened)
    assert result.referral_refs == ()

    file = opened.file()
    (decision,) = file.decisions
    assert decision.outcome == "monitor"
    assert decision.review_on == TODAY + timedelta(days=10)
    assert "information_sharing" not in decision.details
    assert file.referrals == ()
    assert [a.kind.value for a in file.actions] == ["sought_advice"]
    assert sorted(f.due_on for f in file.follow_ups) == [
        TODAY + timedelta(weeks=1),
        TODAY + timedelta(days=10),
    ]
    assert [d["outcome"] for d in opened.audit("handoff_decision")] == ["monitor"]


def test_a_concern_naming_two_children_asks_which_child_and_decides_for_that_one(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff(extra_children=({"name": "Zofia & Brown"},))
    wizard = opened.wizard
    choice = wizard.danger_page.child_choice
    assert choice.isVisible()
    buttons = choice.group.buttons()
    # A name is never an Alt key: "&" is shown as typed.
    assert [b.text() for b in buttons] == ["Amelia Kowalska", "Zofia && Brown"]
    assert buttons[0].isChecked() and focused() is buttons[0]
    assert all(b.accessibleName().startswith("Which child is this decision for?") for b in buttons)
    qtbot.keyClick(buttons[0], Qt.Key.Key_Down)  # arrows move between the children
    assert buttons[1].isChecked()
    to_threshold(qtbot, wizard)
    threshold = wizard.threshold_page
    threshold.choose(Outcome.MONITOR)
    threshold.review_on.setDate(QDate.currentDate().addDays(10))
    threshold.reason.setPlainText("She pushed another child; watch and review.")
    next_page(qtbot, wizard)
    assert wizard.currentId() == CHECK
    assert "For\nZofia & Brown" in plain(wizard.check_page.summary)
    record(qtbot, opened)
    (decision,) = opened.file().decisions
    assert decision.child_position == 1
    assert opened.audit("handoff_decision")[-1]["child"] == 1


def test_the_next_handoff_offers_the_child_without_a_decision_first(
    qtbot: QtBot, store_dir: StoreFixture, open_handoff: Callable[..., Opened]
) -> None:
    first = open_handoff(extra_children=({"name": "Zofia Brown"},))
    to_threshold(qtbot, first.wizard)
    first.wizard.threshold_page.choose(Outcome.MONITOR)
    first.wizard.threshold_page.review_on.setDate(QDate.currentDate().addDays(10))
    first.wizard.threshold_page.reason.setPlainText("Watch and review.")
    next_page(qtbot, first.wizard)
    record(qtbot, first)
    first.session.lock()
    again = open_handoff(ref=first.ref)
    buttons = again.wizard.danger_page.child_choice.group.buttons()
    assert [b.text() for b in buttons] == [
        "Amelia Kowalska (a decision is already recorded)",
        "Zofia Brown",
    ]
    assert buttons[1].isChecked()


def test_cancelling_records_nothing(qtbot: QtBot, open_handoff: Callable[..., Opened]) -> None:
    opened = open_handoff()
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    decide(qtbot, wizard, Outcome.SOCIAL_CARE)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    box = wizard.leave_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    stay = next(b for b in box.buttons() if b.text() == "&Keep working")
    qtbot.mouseClick(stay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.leave_box is None)
    assert wizard.isVisible() and wizard.currentId() == SHARING  # nothing lost

    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    box = wizard.leave_box
    assert isinstance(box, QMessageBox)
    leave = next(b for b in box.buttons() if b.text() == "&Leave without recording")
    qtbot.mouseClick(leave, Qt.MouseButton.LeftButton)
    # Closed and deleted: nothing typed in it stays in memory.
    qtbot.waitUntil(lambda: not shiboken6.isValid(wizard), timeout=5000)
    assert opened.recorded == []
    file = opened.file()
    assert file.decisions == () and file.referrals == () and file.follow_ups == ()
    assert opened.audit("handoff_decision") == []


def test_escape_on_the_first_step_closes_at_once(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff()
    wizard = opened.wizard
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(wizard), timeout=5000)
    assert opened.file().decisions == ()


def test_errors_take_the_lead_back_to_the_step_that_asks(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff()
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    decide(qtbot, wizard, Outcome.SOCIAL_CARE, "Marks on the arm.")
    share(qtbot, wizard, Consent.NOT_SOUGHT, told=False)
    through_referral(qtbot, wizard)

    check = wizard.check_page
    check.follow_up_on.setDate(QDate.currentDate().addDays(-1))
    next_page(qtbot, wizard)
    assert wizard.currentId() == CHECK
    assert check.field_errors["follow_up_on"].text() == "The follow-up date cannot be in the past."
    check.follow_up_on.setDate(QDate.currentDate())  # today is allowed

    # Something on an earlier step no longer passes: Record goes back there.
    wizard.threshold_page.reason.setPlainText("   ")
    wizard.referral_page.boxes["summary"].setPlainText("")
    next_page(qtbot, wizard)
    assert wizard.currentId() == THRESHOLD
    reason_error = wizard.threshold_page.field_errors["reason"]
    assert reason_error.isVisible() and "reason for the decision" in reason_error.text()
    assert opened.file().decisions == ()
    wizard.threshold_page.reason.setPlainText("Marks on the arm.")
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)  # sharing kept what was chosen
    next_page(qtbot, wizard)  # and the child now
    assert wizard.currentId() == REFERRAL
    next_page(qtbot, wizard)
    summary_error = wizard.referral_page.field_errors["referral.summary"]
    assert wizard.currentId() == REFERRAL and summary_error.isVisible()
    wizard.referral_page.boxes["summary"].setPlainText("Marks on the arm, seen at training.")
    next_page(qtbot, wizard)
    record(qtbot, opened)
    (decision,) = opened.file().decisions
    assert decision.reason == "Marks on the arm."
    assert sorted(f.due_on for f in opened.file().follow_ups) == [TODAY, CHASE]
    assert opened.file().referrals[0].content.summary == "Marks on the arm, seen at training."


def test_recording_shows_that_it_is_busy_and_cannot_be_cancelled(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff()
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    wizard.threshold_page.choose(Outcome.MONITOR)
    wizard.threshold_page.reason.setPlainText("First low-level concern.")
    next_page(qtbot, wizard)
    # Monitoring passes by the referral's steps: never ticked as if they were done.
    steps = [label.accessibleName() for label in wizard.steps.labels]
    assert steps == [
        "Immediate danger, done",
        "Allegation about an adult, done",
        "What happens next, done",
        "Information sharing, not needed",
        "The child now, not needed",
        "The referral, not needed",
        "Check and record, current step",
    ]
    # Hold the worker, so recording waits in the queue where it can be looked at.
    gate = threading.Event()
    opened.worker.submit(gate.wait, 10)
    next_page(qtbot, wizard)
    try:
        assert wizard.recording and wizard.check_page.busy_bar.isVisible()
        assert wizard.check_page.status.text() == "Recording the decision…"
        for which in (
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CancelButton,
        ):
            assert not wizard.button(which).isEnabled()
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # ignored: it would hide the outcome
        assert wizard.isVisible() and wizard.leave_box is None
    finally:
        gate.set()
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=15_000)
    assert not wizard.recording and len(opened.recorded) == 1
    assert [d.outcome for d in opened.file().decisions] == ["monitor"]
    assert "(not needed)" in wizard.steps.labels[5].text()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()


def test_a_prefill_arriving_after_the_lock_writes_nothing(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff()
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    decide(qtbot, wizard, Outcome.SOCIAL_CARE)
    # Hold the worker, so the referral's prefill is still queued when the lock comes.
    gate = threading.Event()
    opened.worker.submit(gate.wait, 10)
    share(qtbot, wizard)
    assert wizard.currentId() == REFERRAL and wizard.referral_page.busy
    # What the lock does to the area that owns the wizard (worker.discard, less the delete).
    opened.parent.setProperty(DISCARDED_PROPERTY, True)
    gate.set()
    qtbot.waitUntil(lambda: not opened.worker.busy, timeout=10_000)
    # The concern's text never reached the page of a session that has ended.
    assert all(not box.toPlainText() for box in wizard.referral_page.boxes.values())


def test_a_very_long_reason_is_shortened_on_the_check_page_and_recorded_whole(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff()
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    reason = ("The bruise and the child's words do not fit. " * 2300)[:99_990].strip()
    decide(qtbot, wizard, Outcome.MONITOR, reason)
    assert wizard.currentId() == CHECK
    summary = plain(wizard.check_page.summary)
    assert f"(shortened here; all {len(reason):,} characters are recorded)" in summary
    assert len(summary) < 2_000
    record(qtbot, opened)
    assert opened.file().decisions[0].reason == reason


def test_a_lock_while_recording_keeps_the_decision_and_shows_nothing_after(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff()
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    decide(qtbot, wizard, Outcome.MONITOR, "Recorded while the screen locked.")
    gate = threading.Event()
    opened.worker.submit(gate.wait, 10)
    next_page(qtbot, wizard)  # Record the decision: queued behind the gate
    assert wizard.recording
    # What the lock does: the wizard is hidden at once, its area marked to go.
    wizard.hide()
    opened.parent.setProperty(DISCARDED_PROPERTY, True)
    gate.set()
    qtbot.waitUntil(lambda: not opened.worker.busy, timeout=15_000)
    # Written in full before the lock, as queued; nothing shown in the ended session.
    assert [d.reason for d in opened.file().decisions] == ["Recorded while the screen locked."]
    assert wizard.currentId() == CHECK and opened.recorded == []


def test_a_concern_that_cannot_be_read_says_so_and_goes_no_further(
    open_handoff: Callable[..., Opened],
) -> None:
    wizard = open_handoff(ref="C-AAAA-BBBB").wizard
    assert wizard.danger_page.page_error.text() == (
        "There is no concern with the reference C-AAAA-BBBB."
    )
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_a_childs_name_is_shown_as_typed_never_as_markup(
    open_handoff: Callable[..., Opened],
) -> None:
    wizard = open_handoff(name="<b>Ann</b> \u202eeci").wizard
    about = wizard.danger_page.about
    assert about.textFormat() == Qt.TextFormat.PlainText
    # Typed as written; the right-to-left override made visible, not obeyed.
    assert "<b>Ann</b> \ufffdeci" in about.text() and "\u202e" not in about.text()


def test_a_club_and_a_school_read_their_own_words(
    qtbot: QtBot, open_handoff: Callable[..., Opened], tmp_path: Path
) -> None:
    club = open_handoff(categories=("allegation_against_adult", "radicalisation"))
    school_dir, _ = build_store(
        tmp_path / "school",
        org="Hillside Primary School",
        org_type=OrgType.SCHOOL,
        admin=("jo", "Jo Morgan", "a long admin passphrase"),
        users=(("sam", "Sam Lead", Role.DSL, "a long lead passphrase"), RECORDER_ACCOUNT),
    )
    school = open_handoff(
        categories=("allegation_against_adult",),
        data_dir=school_dir,
        dsl=("sam", "a long lead passphrase"),
    )
    for opened in (club, school):
        wizard = opened.wizard
        next_page(qtbot, wizard)
        next_page(qtbot, wizard)
        assert wizard.currentId() == LADO
    club_lado, school_lado = club.wizard.lado_page, school.wizard.lado_page

    def shown(page: QWidget) -> str:
        return " ".join(plain(label) for label in page.findChildren(QLabel))

    assert "national governing body" in shown(club_lado) and "player" in shown(club_lado)
    # LADO said in words before it is used, in each organisation's own terms.
    for page, lead, child in (
        (club_lado, "Welfare Officer", "player"),
        (school_lado, "DSL", "pupil"),
    ):
        explained = page.lado_explained.text()
        assert explained.startswith("The LADO is the Local Authority Designated Officer")
        assert f"As the {lead}, you tell them" in explained and f"harmed a {child}" in explained
        assert page.lado_explained.isVisibleTo(page)
    assert "headteacher" in shown(school_lado) and "chair of governors" in shown(school_lado)
    assert "pupil" in shown(school_lado) and "headteacher" not in shown(club_lado)
    assert "not set: add it in Settings" in school_lado.lado_number.text()
    # Radicalisation recorded: Prevent is pointed out, and only then.
    assert club.wizard.threshold_page.prevent_banner.isVisibleTo(club.wizard.threshold_page)
    assert not school.wizard.threshold_page.prevent_banner.isVisibleTo(school.wizard.threshold_page)


def mnemonics(page: QWidget) -> list[str]:
    """The Alt+letter keys a page offers, from its labels with buddies and its buttons."""
    texts = [b.text() for b in page.findChildren(QAbstractButton)]
    texts += [label.text() for label in page.findChildren(QLabel) if label.buddy() is not None]
    return [m.lower() for text in texts for m in re.findall(r"(?<!&)&(\w)", text)]


def test_every_step_has_its_own_mnemonics_and_fits_a_laptop_screen(
    open_handoff: Callable[..., Opened],
) -> None:
    wizard = open_handoff().wizard
    for page_id in (
        DANGER, POLICE, ALLEGATION, LADO, THRESHOLD, SHARING, CHILD_NOW, REFERRAL, CHECK
    ):  # fmt: skip
        keys = [*mnemonics(wizard.page(page_id)), "n", "b"]  # and Next, Back
        if page_id == CHECK:
            keys.append("r")  # Record the decision
        assert len(keys) == len(set(keys)), f"page {page_id}: {sorted(keys)}"
    screen = wizard.screen().availableGeometry()
    assert wizard.width() <= screen.width() and wizard.height() <= screen.height()


def test_every_control_on_every_step_has_an_accessible_name(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff(categories=("allegation_against_adult",), danger=True)
    wizard = opened.wizard
    kinds = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QDateTimeEdit)
    for page_id in (
        DANGER, POLICE, ALLEGATION, LADO, THRESHOLD, SHARING, CHILD_NOW, REFERRAL, CHECK
    ):  # fmt: skip
        page = wizard.page(page_id)
        unnamed = [
            type(w).__name__
            for kind in kinds
            for w in page.findChildren(kind)
            # A date or combo box's inner line edit is named through its owner.
            if not w.accessibleName() and not isinstance(w.parent(), QDateTimeEdit | QComboBox)
        ]
        assert unnamed == [], f"page {page_id}: {unnamed}"
    for which in (
        QWizard.WizardButton.NextButton,
        QWizard.WizardButton.BackButton,
        QWizard.WizardButton.CancelButton,
        QWizard.WizardButton.CommitButton,
        QWizard.WizardButton.FinishButton,
    ):
        assert wizard.button(which).accessibleName()


def test_the_step_list_opens_every_step_already_reached_by_keyboard(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff()
    wizard = opened.wizard
    steps = wizard.steps
    # Nothing reached yet but the first step: every line is text, no Tab stop.
    assert all(row.currentWidget() is row.label for row in steps.rows)
    to_threshold(qtbot, wizard)
    decide(qtbot, wizard, Outcome.SOCIAL_CARE, "Marks and the child's account.")
    share(qtbot, wizard)
    assert wizard.currentId() == REFERRAL
    qtbot.waitUntil(wizard.referral_page.isComplete, timeout=10_000)
    reachable = [i for i, row in enumerate(steps.rows) if row.currentWidget() is row.button]
    assert reachable == [0, 1, 2, 3, 4]  # not the current step, not the one ahead

    # Tab reaches the list's buttons from the page; Space opens the step.
    def tab_to(widget: QWidget) -> None:
        for _ in range(80):
            if focused() is widget:
                return
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        raise AssertionError("Tab never reached the step")

    tab_to(steps.button(2))
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert wizard.currentId() == THRESHOLD
    assert wizard.threshold_page.reason.toPlainText() == "Marks and the child's account."
    # Forward again, through each step's checks, to the step reached before.
    assert steps.rows[5].currentWidget() is steps.rows[5].button
    tab_to(steps.button(5))
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert wizard.currentId() == REFERRAL
    # A step whose check now refuses stops the way forward there, its sentence shown.
    steps.button(2).click()
    wizard.threshold_page.reason.clear()
    steps.button(5).click()
    assert wizard.currentId() == THRESHOLD
    assert wizard.threshold_page.field_errors["reason"].isVisible()
    wizard.threshold_page.reason.setPlainText("Marks and the child's account.")
    steps.button(0).click()
    assert wizard.currentId() == DANGER
    steps.button(5).click()
    qtbot.waitUntil(wizard.referral_page.isComplete, timeout=10_000)
    assert wizard.currentId() == REFERRAL
    next_page(qtbot, wizard)
    record(qtbot, opened)
    # Recorded: there is no going back, by the list as by Back.
    assert all(row.currentWidget() is row.label for row in steps.rows)
    assert [r.kind for r in opened.file().referrals] == [ReferralKind.SOCIAL_CARE]
