"""The wizard's routes beside a referral (issue 14, point 4), in the real wizard: the police
as a route, the FGM duty said in words and recorded, Prevent's contact and the agencies
already informed; each gap under its own field, what was recorded read back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from test_ui_handoff import (  # the same wizard fixture and steps as the handoff tests
    DIALOG_WARNING,
    TODAY,
    Opened,
    next_page,
    open_handoff,
    plain,
    record,
    to_threshold,
)

from safeguard_desktop.domain.handoff import Outcome
from safeguard_desktop.domain.routes import FGM_DUTY_WORDS, Agency, ChannelDecision, FgmKnown
from safeguard_desktop.ui.handoff.handoff_parts import CHECK, SHARING, THRESHOLD

pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)
__all__ = ["open_handoff"]  # a fixture, used by name


def test_the_fgm_duty_is_said_and_the_teachers_report_followed_up(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff(categories=("fgm",))
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    routes = wizard.threshold_page.routes_box
    assert routes.fgm_box.isVisible() and not routes.duty.isVisible()
    routes.fgm_known.setCurrentIndex(routes.fgm_known.findData(FgmKnown.TOLD_BY_GIRL.value))
    routes.by_teacher.setChecked(True)
    assert routes.duty.isVisible()  # England, a teacher, told by the girl
    assert [label.text() for label in routes.duty.findChildren(QLabel)] == [FGM_DUTY_WORDS]
    threshold = wizard.threshold_page
    threshold.choose(Outcome.MONITOR)
    threshold.review_on.setDate(QDate.currentDate().addDays(10))
    threshold.reason.setPlainText("Told to her teacher; the police are told by the teacher.")
    routes.agencies[Agency.GP][0].setChecked(True)
    next_page(qtbot, wizard)
    assert wizard.currentId() == THRESHOLD
    assert "Name the teacher" in threshold.field_errors["fgm.teacher"].text()
    routes.teacher.setText("Ms Khan")
    next_page(qtbot, wizard)
    assert wizard.currentId() == CHECK
    summary = plain(wizard.check_page.summary)
    assert "The girl told a teacher it has been done." in summary
    assert "GP, " in summary
    record(qtbot, opened)
    file = opened.file()
    (decision,) = file.decisions
    routes_kept = decision.details["routes"]
    assert isinstance(routes_kept, dict)
    assert routes_kept["fgm"]["teacher"] == "Ms Khan"  # type: ignore[index]
    assert routes_kept["agencies_informed"] == [  # type: ignore[comparison-overlap]
        {"agency": "gp", "informed_on": TODAY.isoformat(), "who": ""}
    ]
    assert [f for f in file.follow_ups if "Ms Khan has reported the FGM" in f.what]


def test_prevent_asks_who_was_contacted(qtbot: QtBot, open_handoff: Callable[..., Opened]) -> None:
    opened = open_handoff(categories=("radicalisation",))
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    threshold = wizard.threshold_page
    routes = threshold.routes_box
    assert not routes.fgm_box.isVisible() and not routes.police_box.isVisible()
    threshold.choose(Outcome.PREVENT)
    assert routes.prevent_box.isVisible()
    threshold.reason.setPlainText("Sharing extremist material and talking of joining.")
    routes.prevent_contacted.clear()
    next_page(qtbot, wizard)
    assert wizard.currentId() == THRESHOLD
    assert "Prevent team you contacted" in threshold.field_errors["prevent.contacted"].text()
    routes.prevent_contacted.setText("A. Officer, Prevent team")
    routes.channel.setCurrentIndex(routes.channel.findData(ChannelDecision.NOT_KNOWN_YET.value))
    next_page(qtbot, wizard)
    assert wizard.currentId() == SHARING


def test_police_as_the_route_makes_no_referral(
    qtbot: QtBot, open_handoff: Callable[..., Opened]
) -> None:
    opened = open_handoff(categories=("physical_abuse",))
    wizard = opened.wizard
    to_threshold(qtbot, wizard)
    threshold = wizard.threshold_page
    routes = threshold.routes_box
    threshold.reason.setPlainText("Her phone was taken with threats on the way home.")
    threshold.choose(Outcome.POLICE)
    assert routes.police_box.isVisible() and not routes.also_police.isVisible()
    assert not routes.prevent_box.isVisible()
    routes.crime_reference.setText("CR/2026/77")
    routes.officer.setText("PC Lee")
    routes.police_said.setPlainText("An officer will visit tomorrow.")
    routes.police_at.setDateTime(routes.police_at.dateTime().addSecs(-3600))
    next_page(qtbot, wizard)
    assert wizard.currentId() == CHECK
    result = record(qtbot, opened)
    assert result.referral_refs == ()
    file = opened.file()
    (decision,) = file.decisions
    assert decision.outcome == "police_report"
    assert "prevent" not in decision.details["routes"]  # type: ignore[operator]
    (action,) = [a for a in file.actions if a.kind.value == "called_police"]
    assert "CR/2026/77" in action.details and action.who == "PC Lee"
    assert file.follow_ups[0].due_on >= TODAY - timedelta(days=0)
