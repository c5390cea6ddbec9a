"""What happens after a referral, in the real window (issue 14, point 2): the concern's
referral rows, the acknowledgement, outcome and escalation dialogs, and the working-days
settings. Every step drives real widgets on a real SQLCipher store, and what the window
shows is checked against what the services stored.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
from safeguard_desktop.domain.handoff import (
    DEFAULT_LAWFUL_BASIS,
    Consent,
    HandoffDecision,
    InformationSharing,
    Outcome,
)
from safeguard_desktop.domain.referral import ReferralContent, ReferralStatus
from safeguard_desktop.domain.referral_outcome import AgencyOutcome, EscalationStage
from safeguard_desktop.domain.working_days import Nation
from safeguard_desktop.services import casework
from safeguard_desktop.services.casework import ConcernFile
from safeguard_desktop.services.casework_settings import CaseworkSettings, casework_settings
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.casework.after_referral_dialogs import (
    AcknowledgementDialog,
    EscalationResultDialog,
    NextStageDialog,
    OutcomeDialog,
)
from safeguard_desktop.ui.casework.concern_view import ConcernView
from safeguard_desktop.ui.main_window import MainWindow
from screen_checks import cut_off, unnamed_controls
from ui_store import case_area, idle, open_concern, signed_in_window

DIALOG_WARNING = "This plugin does not support propagateSizeHints"
POPUP_WARNINGS = ("This plugin does not support raise", "does not support grabbing")


def on_worker(qtbot: QtBot, window: MainWindow, fn: Any, *args: Any) -> Any:
    results: list[Any] = []
    window.worker.submit(fn, *args, on_done=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=15_000)
    return results[0]


def concern_file(qtbot: QtBot, window: MainWindow, ref: str) -> ConcernFile:
    session = window.session
    assert isinstance(session, CaseSession)
    return on_worker(qtbot, window, lambda: casework.concern_file(session, ref, audit=False))


def button(widget: QWidget, text: str) -> QPushButton:
    found = [
        b for b in widget.findChildren(QPushButton) if b.text() == text and b.isVisibleTo(widget)
    ]
    assert found, f"no visible button {text!r}"
    return found[0]


def buttons(widget: QWidget, text: str) -> list[QPushButton]:
    return [b for b in widget.findChildren(QPushButton) if b.text() == text and b.isVisible()]


def texts(widget: QWidget) -> list[str]:
    QApplication.processEvents()
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]


def click(qtbot: QtBot, target: QAbstractButton) -> None:
    """Click ``target`` as a person would: scrolled into view first if it is in a part of
    a dialog that scrolls."""
    parent = target.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(target)
    if isinstance(target, QRadioButton):  # on its circle: the row beyond its words is not it
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(8, target.height() // 2))
        return
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def saved(qtbot: QtBot, view: ConcernView, message: str) -> None:
    qtbot.waitUntil(lambda: view.message.text() == message, timeout=10_000)
    assert view.dialog is None


def _referral(store_dir: StoreFixture) -> tuple[str, str]:
    """A concern with a social care referral made for its child, by the services."""
    store = Store.open(store_dir.data_dir)
    ref = submit(store, concern_data())
    session = store.login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    now = datetime.now().replace(microsecond=0)
    try:
        decision = HandoffDecision.checked(
            immediate_danger=False,
            police=None,
            allegation_against_adult=False,
            lado=None,
            outcome=Outcome.SOCIAL_CARE,
            situation=ChildSituation(urgency=Urgency.SAME_DAY, child_now="At home tonight."),
            reason="A bruise with an explanation that does not fit.",
            advice=None,
            information_sharing=InformationSharing(
                Consent.NOT_SOUGHT, "Risk.", DEFAULT_LAWFUL_BASIS, False, "About a parent."
            ),
            referral=ReferralContent(summary="Bruise on forearm."),
            review_on=None,
            follow_up_on=now.date() + timedelta(days=7),
            now=now,
        )
        (referral_ref,) = record_handoff(session, ref, decision).referral_refs
    finally:
        session.lock()
    return ref, referral_ref


@pytest.mark.qt_log_ignore(DIALOG_WARNING, *POPUP_WARNINGS)
def test_acknowledged_an_outcome_disagreed_and_escalated_on_the_concern_page(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    ref, referral_ref = _referral(store_dir)
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    qtbot.waitUntil(lambda: area.home.referral_card.number.text() == "1", timeout=10_000)
    view = open_concern(qtbot, window, ref)
    assert any("Waiting for their decision" in t for t in texts(view))

    # The agency acknowledges it.
    click(qtbot, button(view, "Acknowledged…"))
    ack = view.dialog
    assert isinstance(ack, AcknowledgementDialog)
    assert unnamed_controls(ack) == []
    qtbot.waitUntil(ack.by.hasFocus, timeout=5000)
    click(qtbot, ack.confirm_button)  # nobody named: refused, said under the field
    assert "Who acknowledged it" in ack.field_errors["by"].text()
    qtbot.keyClicks(ack.by, "J. Example, MASH duty social worker")
    qtbot.keyClicks(ack.their_reference, "MASH-2231")
    click(qtbot, ack.confirm_button)
    saved(qtbot, view, "Acknowledgement recorded.")
    assert any("Their reference: MASH-2231." in t for t in texts(view))
    assert buttons(view, "Acknowledged…") == []

    # No further action, which the lead disagrees with: every gap shown at once.
    click(qtbot, button(view, "Record an outcome…"))
    dialog = view.dialog
    assert isinstance(dialog, OutcomeDialog)
    qtbot.waitUntil(dialog.outcome.hasFocus, timeout=5000)
    assert dialog.chosen() is AgencyOutcome.NO_FURTHER_ACTION
    assert not dialog.escalation_box.isVisible() and not dialog.conference_box.isVisible()
    click(qtbot, dialog.confirm_button)
    assert "reason for no further action" in dialog.field_errors["note"].text()
    assert "agree" in dialog.field_errors["lead_agrees"].text()
    assert dialog.note.hasFocus()  # the first gap
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("initial_child_protection_conference"))
    assert dialog.conference_box.isVisible()
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("no_further_action"))
    qtbot.keyClicks(dialog.note, "Explained as rough play at school.")
    click(qtbot, dialog.agree_no)
    assert dialog.escalation_box.isVisible()
    assert unnamed_controls(dialog) == []
    # Both answers whole: side by side, the long second one squeezed "Yes, I agree".
    assert cut_off(dialog) == []
    click(qtbot, dialog.confirm_button)  # disagreeing: with whom, and why
    assert dialog.field_errors["escalation.to_whom"].text()
    assert dialog.field_errors["escalation.reason"].text()
    qtbot.keyClicks(dialog.escalation.to_whom, "A. Example, duty social worker")
    qtbot.keyClicks(dialog.escalation.reason, "Her own words say her father hits her.")
    click(qtbot, dialog.confirm_button)
    saved(qtbot, view, "Outcome recorded.")
    shown = texts(view)
    assert any("No further action" in t for t in shown)
    assert "You DISAGREE with this, and challenged it:" in shown
    assert any(t.startswith(EscalationStage.PRACTITIONER.label) for t in shown)
    assert any("Closed by itself" in t for t in shown)  # the chase, in the follow-ups
    file = concern_file(qtbot, window, ref)
    assert file.referrals[0].status is ReferralStatus.CLOSED
    (escalation_follow_up,) = [f for f in file.follow_ups if "stage 1" in f.what]
    assert escalation_follow_up.done_at is None
    assert escalation_follow_up.due_on == date.today() + timedelta(days=7)

    # Not resolved at stage 1: raise it to stage 2.
    click(qtbot, button(view, "Raise it to stage 2…"))
    raised = view.dialog
    assert isinstance(raised, NextStageDialog)
    qtbot.waitUntil(raised.fields.to_whom.hasFocus, timeout=5000)
    assert raised.fields.reason.toPlainText() == "Her own words say her father hits her."
    qtbot.keyClicks(raised.fields.to_whom, "B. Example, team manager")
    click(qtbot, raised.confirm_button)
    saved(qtbot, view, "Escalation raised to the next stage.")
    assert any(t.startswith(EscalationStage.MANAGER.label) for t in texts(view))

    # Resolved at stage 2.
    (result_button,) = buttons(view, "Record the result…")
    click(qtbot, result_button)
    result = view.dialog
    assert isinstance(result, EscalationResultDialog)
    click(qtbot, result.confirm_button)
    assert result.field_errors["result"].text()
    qtbot.keyClicks(result.result_box, "The team manager agreed to a child and family assessment.")
    click(qtbot, result.confirm_button)
    saved(qtbot, view, "Result of the escalation recorded.")
    assert buttons(view, "Record the result…") == []
    assert any("agreed to a child and family assessment" in t for t in texts(view))
    file = concern_file(qtbot, window, ref)
    progress = file.after_referral[file.referrals[0].referral_id]
    assert [e.stage for e in progress.escalations] == [
        EscalationStage.PRACTITIONER,
        EscalationStage.MANAGER,
    ]
    assert all(not e.is_open for e in progress.escalations)
    assert all(f.done_at is not None for f in file.follow_ups if referral_ref in f.what)
    area.show_section("Home")
    qtbot.waitUntil(lambda: area.home.referral_card.number.text() == "0", timeout=10_000)


@pytest.mark.qt_log_ignore(DIALOG_WARNING, *POPUP_WARNINGS)
def test_the_service_refuses_what_the_dialog_did_not_catch(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    """A stage already ended elsewhere: the service's sentence shows in the dialog."""
    ref, _ = _referral(store_dir)
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    view = open_concern(qtbot, window, ref)
    click(qtbot, button(view, "Record an outcome…"))
    dialog = view.dialog
    assert isinstance(dialog, OutcomeDialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("section_47_enquiry"))
    click(qtbot, dialog.agree_yes)
    # A date before the referral was made cannot be picked; the service checks too.
    assert dialog.decided_on.minimumDate() <= dialog.decided_on.date()
    click(qtbot, dialog.confirm_button)
    saved(qtbot, view, "Outcome recorded.")
    assert any("Section 47 enquiry" in t for t in texts(view))
    assert "You agree with this." in texts(view)


@pytest.mark.qt_log_ignore(DIALOG_WARNING, *POPUP_WARNINGS)
def test_settings_choose_the_nation_and_the_chase(qtbot: QtBot, store_dir: StoreFixture) -> None:
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.admin)
    area = case_area(window)
    area.show_section("Settings")
    section = area.settings.working_days
    qtbot.waitUntil(section.save_button.isEnabled, timeout=10_000)
    assert unnamed_controls(section) == []
    assert section.chosen() == CaseworkSettings()
    section.nation.setCurrentIndex(section.nation.findData("northern_ireland"))
    section.chase_days.setValue(2)
    click(qtbot, section.save_button)
    qtbot.waitUntil(lambda: section.message.text() == "Saved.", timeout=10_000)
    session = window.session
    assert isinstance(session, CaseSession)
    stored = on_worker(qtbot, window, casework_settings, session)
    assert stored == CaseworkSettings(Nation.NORTHERN_IRELAND, 2)


@pytest.mark.qt_log_ignore(DIALOG_WARNING, *POPUP_WARNINGS)
def test_a_lead_sees_the_working_days_but_cannot_change_them(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    window = signed_in_window(qtbot, store_dir.data_dir, store_dir.dsl)
    area = case_area(window)
    area.show_section("Settings")
    section = area.settings.working_days
    qtbot.waitUntil(lambda: section.nation.currentText() == "England", timeout=10_000)
    idle(qtbot, window)
    assert not section.nation.isEnabled() and not section.chase_days.isEnabled()
    assert not section.save_button.isVisible()
