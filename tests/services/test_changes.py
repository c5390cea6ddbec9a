"""What a write changed (services/changes.py), the records area's one signal
(ui/case_worker.py), and the typed concern storage reads once (StoredConcern.recorded)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from casework_data import concern_data, submit
from conftest import StoreFixture
from safeguard_desktop.domain.casework import NewAction, RiskLevel
from safeguard_desktop.domain.concern import CONCERN_FORMAT_VERSION, Concern
from safeguard_desktop.domain.errors import StoreTooNew
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.services import casework, children, inbox, organisation_settings, people
from safeguard_desktop.services.changes import Added, Changes, Setting, changes_in
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage.case_records import recorded_concern
from safeguard_desktop.ui.case_worker import CaseWorker
from safeguard_desktop.ui.worker import DISCARDED_PROPERTY, Worker


def test_changes_are_built_joined_and_false_when_empty() -> None:
    assert not Changes()
    made = Changes.of(concerns=["C-1"], children=[None, 4], follow_ups=[None])
    assert made and made.children == {4} and not made.follow_ups
    joined = made | Changes.of(children=[5], settings=[Setting.IDLE_LOCK])
    assert joined.concerns == {"C-1"} and joined.children == {4, 5}
    assert joined.settings == {Setting.IDLE_LOCK}
    assert changes_in(Added(7, made)) == made and changes_in(made) == made
    assert changes_in(7) is None


def _dsl(fixture: StoreFixture) -> CaseSession:
    session = Store.open(fixture.data_dir).login(*fixture.dsl)
    assert isinstance(session, CaseSession)
    return session


def test_each_casework_write_names_what_it_changed(store_dir: StoreFixture) -> None:
    session = _dsl(store_dir)
    try:
        ref = submit(Store.open(store_dir.data_dir), concern_data())
        assert inbox.ingest(session) == Changes.of(concerns=[ref])
        made = casework.create_child_for(session, ref, 0)
        assert made.changes == Changes.of(concerns=[ref], children=[made.id])
        now = datetime.now().replace(microsecond=0)
        action = casework.add_action(
            session,
            NewAction.checked(
                kind="note",
                occurred_at=now,
                who="Dana Lead",
                details="Spoke to the child.",
                follow_up_on=date.today(),
                follow_up_what="Check in",
                now=now,
            ),
            ref=ref,
        )
        (follow_up,) = action.changes.follow_ups
        assert action.changes.concerns == {ref} and action.changes.children == {made.id}
        # A follow-up on the concern shows on the linked child's file too: both are named.
        done = casework.complete_follow_up(session, follow_up, "Done.")
        assert done == Changes.of(concerns=[ref], children=[made.id], follow_ups=[follow_up])
        assert children.set_risk_level(session, made.id, RiskLevel.HIGH) == Changes.of(
            children=[made.id]
        )
        assert casework.set_status(session, ref, "closed", "Resolved.").concerns == {ref}
    finally:
        session.lock()


def test_people_and_settings_writes_name_what_they_changed(store_dir: StoreFixture) -> None:
    session = Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert isinstance(session, CaseSession)
    try:
        added = people.add_user(session, "sam", "Sam Second", Role.RECORDER, "recorder-pw-2")
        assert added == Changes.of(people=["sam"])
        assert organisation_settings.set_idle_lock_minutes(session, 7) == Changes.of(
            settings=[Setting.IDLE_LOCK]
        )
    finally:
        session.lock()


def test_a_stored_concern_is_read_once_into_its_typed_form(store_dir: StoreFixture) -> None:
    ref = submit(Store.open(store_dir.data_dir), concern_data(observed="A bruise on the arm."))
    session = _dsl(store_dir)
    try:
        stored = casework.concern_file(session, ref, audit=False).concern
        assert stored.recorded.observed == "A bruise on the arm."
        assert stored.recorded == Concern.from_json(stored.body, now=datetime.now())
        with pytest.raises(StoreTooNew):
            recorded_concern(ref, CONCERN_FORMAT_VERSION + 1, stored.body, stored.received_at)
    finally:
        session.lock()


def _changes(qtbot: QtBot, worker: CaseWorker, fn: Callable[[], object]) -> list[Changes]:
    """What ``worker`` sends after running ``fn``."""
    seen: list[Changes] = []
    worker.changed.connect(seen.append)
    worker.submit(fn)
    qtbot.waitUntil(lambda: not worker.busy, timeout=5_000)
    worker.changed.disconnect(seen.append)
    return seen


def test_the_area_worker_says_what_a_call_changed_and_nothing_after_a_read(
    qtbot: QtBot,
) -> None:
    area = QWidget()
    qtbot.addWidget(area)
    plain = Worker()
    try:
        worker = CaseWorker(plain, area)
        changed = Changes.of(concerns=["C-1"])
        assert _changes(qtbot, worker, lambda: changed) == [changed]
        assert _changes(qtbot, worker, lambda: Added(3, changed)) == [changed]
        assert _changes(qtbot, worker, lambda: 42) == []
        assert _changes(qtbot, worker, lambda: Changes()) == []
        # After a lock the area is marked discarded (then deleted): nothing more is sent.
        area.setProperty(DISCARDED_PROPERTY, True)
        assert _changes(qtbot, worker, lambda: changed) == []
    finally:
        plain.shutdown()


def test_a_change_is_sent_even_when_the_view_that_asked_has_gone(qtbot: QtBot) -> None:
    area = QWidget()
    qtbot.addWidget(area)
    plain = Worker()
    try:
        worker = CaseWorker(plain, area)
        view = QWidget(area)
        answers: list[object] = []
        sent: list[Changes] = []
        worker.changed.connect(sent.append)

        class Asker(QWidget):
            def done(self, result: object) -> None:
                answers.append(result)

        asker = Asker(view)
        changed = Changes.of(children=[2])
        worker.submit(lambda: changed, on_done=asker.done)
        view.setProperty(DISCARDED_PROPERTY, True)  # closed while its save was on the worker
        qtbot.waitUntil(lambda: not worker.busy, timeout=5_000)
        assert answers == [] and sent == [changed]
    finally:
        plain.shutdown()
