"""A recorder's receipts in the app: references and times only, never the record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from concern_example import example_concern
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.recording.recorder_area import RecorderArea
from safeguard_desktop.ui.worker import Worker


@pytest.fixture
def worker(qtbot: QtBot) -> Iterator[Worker]:
    worker = Worker()
    yield worker
    worker.shutdown()


def test_recorder_sees_references_and_times_but_no_record_text(
    qtbot: QtBot, worker: Worker, store_dir
) -> None:
    session = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    concern = Concern.from_json(example_concern(), now=datetime.now())
    refs = [session.submit_concern(concern) for _ in range(2)]
    area = RecorderArea(session, worker)
    qtbot.addWidget(area)
    qtbot.waitUntil(lambda: refs[0] in area.receipts.text(), timeout=5000)
    shown = area.receipts.text()
    assert all(ref in shown for ref in refs)
    assert shown.index(refs[1]) < shown.index(refs[0])  # newest first
    assert "Amelia" not in shown and "bruise" not in shown
    session.lock()


def test_a_new_recorder_is_told_there_is_nothing_yet(
    qtbot: QtBot, worker: Worker, store_dir
) -> None:
    session = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    area = RecorderArea(session, worker)
    qtbot.addWidget(area)
    qtbot.waitUntil(lambda: "not sent any" in area.receipts.text(), timeout=5000)
    session.lock()
