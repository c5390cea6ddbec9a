"""The rules the casework dialogs check early are the services' own (DESIGN: a screen may
check early for a friendlier message, never only). Each is met here without a window,
as the command line meets it, with the sentence the dialog shows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from attacker import concern_payload, put_sealed
from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.casework import NewAction, NewAmendment
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.services import casework, inbox
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store


def _dsl(store: StoreFixture) -> CaseSession:
    session = Store.open(store.data_dir).login(*store.dsl)
    assert isinstance(session, CaseSession)
    return session


def test_each_dialog_rule_is_refused_by_the_services(store_dir: StoreFixture) -> None:
    data = concern_data()
    ref = submit(Store.open(store_dir.data_dir), data)
    session = _dsl(store_dir)
    try:
        with pytest.raises(BadInput, match=r"^Say why the concern is being closed\.$") as closed:
            casework.set_status(session, ref, "closed", "   ")
        assert closed.value.field == "reason"
        same = NewAmendment.checked(field="location", new_value=data["location"], reason="Typo")
        with pytest.raises(BadInput, match="same as what was submitted") as corrected:
            casework.amend(session, ref, same)
        assert corrected.value.field == "new_value"
        now = datetime.now()
        with pytest.raises(BadInput, match=r"^A follow-up date cannot be in the past\.$") as past:
            NewAction.checked(
                kind="spoke_to_child",
                occurred_at=now,
                who="",
                details="Checked in.",
                follow_up_on=date.today() - timedelta(days=1),
                now=now,
            )
        assert past.value.field == "follow_up_on"
        follow_up = casework.add_follow_up(session, date.today(), "Check in with her.", ref=ref)
        with pytest.raises(BadInput, match=r"^Say briefly what was done\.$"):
            casework.complete_follow_up(session, follow_up.id, " \n ")
        assert [f.follow_up_id for f in casework.open_follow_ups(session)] == [follow_up.id]
    finally:
        session.lock()


def test_setting_an_item_aside_needs_a_reason(store_dir: StoreFixture) -> None:
    put_sealed(
        store_dir.data_dir,
        "C-ASIDE001",
        "concern",
        concern_payload("C-ASIDE001", concern_data(), "rita"),
    )
    session = _dsl(store_dir)
    try:
        [item] = inbox.quarantined(session)
        with pytest.raises(BadInput, match=r"^Say briefly why you are setting it aside\.$"):
            inbox.set_aside_quarantined(session, item.item_id, "  ")
        with pytest.raises(BadInput, match="2,000"):
            inbox.set_aside_quarantined(session, item.item_id, "x" * 2_001)
        assert [q.item_id for q in inbox.quarantined(session)] == [item.item_id]  # still there
    finally:
        session.lock()
