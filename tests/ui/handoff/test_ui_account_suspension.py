"""Suspending an adult's account from the LADO step, and reinstating it from People (real
widgets, a real store)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from test_ui_handoff import Opened, next_page, open_handoff  # noqa: F401 (a fixture)

from safeguard_desktop.services import audit_trail, people
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.admin.people_page import PeoplePage
from safeguard_desktop.ui.case_area import action_words
from safeguard_desktop.ui.case_worker import CaseWorker
from safeguard_desktop.ui.handoff.handoff_parts import LADO
from safeguard_desktop.ui.worker import Worker

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _press(qtbot: QtBot, box: QMessageBox | None, starting: str) -> None:
    assert box is not None and box.isVisible()
    button = next(b for b in box.findChildren(QPushButton) if b.text().startswith(starting))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_lado_step_suspends_the_account_the_lead_chooses(
    qtbot: QtBot,
    open_handoff: Callable[..., Opened],  # noqa: F811 (the fixture imported above)
) -> None:
    # The allegation names "Rita Recorder"; the account is still not chosen for the lead.
    opened = open_handoff(categories=("allegation_against_adult",))
    wizard = opened.wizard
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    assert wizard.currentId() == LADO
    lado = wizard.lado_page
    lado.adult_name.setText("Rita Recorder")
    assert lado.chosen_account() is None and not lado.suspend_button.isEnabled()
    names = [lado.account.itemText(i) for i in range(lado.account.count())]
    assert names[0] == "No account in this app, or not chosen"
    assert not any("Dana Lead" in n for n in names)  # never the lead's own account
    assert "Rita Recorder (rita, Recorder)" in names

    lado.account.setCurrentIndex(names.index("Rita Recorder (rita, Recorder)"))
    assert lado.suspend_button.isEnabled()
    qtbot.mouseClick(lado.suspend_button, Qt.MouseButton.LeftButton)
    assert "They are not told why" in (lado.suspend_box.text() if lado.suspend_box else "")
    _press(qtbot, lado.suspend_box, "Suspend Rita")
    qtbot.waitUntil(lambda: not opened.worker.busy, timeout=15_000)
    QApplication.processEvents()
    assert lado.account_message.text().startswith("Rita Recorder's account is suspended")
    record = opened.session.store.vault.user("rita")
    assert record is not None and record.suspended
    assert opened.audit("account_suspended") == [
        {"username": "rita", "role": "recorder", "concern": opened.ref}
    ]
    assert action_words("account_suspended").startswith("Account suspended")
    # Chosen again, it says so and cannot be suspended twice.
    assert lado.account.currentText().endswith(": suspended")
    assert not lado.suspend_button.isEnabled()

    # The only administrator is refused, in a sentence under the field.
    admin_row = next(
        i for i in range(lado.account.count()) if "(admin," in lado.account.itemText(i)
    )
    lado.account.setCurrentIndex(admin_row)
    qtbot.mouseClick(lado.suspend_button, Qt.MouseButton.LeftButton)
    _press(qtbot, lado.suspend_box, "Suspend")
    qtbot.waitUntil(lambda: not opened.worker.busy, timeout=15_000)
    QApplication.processEvents()
    assert "only administrator still able to sign in" in lado.account_message.text()


def test_people_shows_a_suspension_and_an_administrator_reinstates_it(
    qtbot: QtBot, store_dir
) -> None:
    session = Store.open(store_dir.data_dir).login(*store_dir.admin)
    assert isinstance(session, CaseSession)
    people.suspend_user(session, "rita")
    worker = Worker()
    parent = QWidget()
    qtbot.addWidget(parent)
    page = PeoplePage(session, session.store, CaseWorker(worker, parent))  # type: ignore[arg-type]
    page.setParent(parent)
    try:
        page.refresh()
        rows = {page.table.item(r, 1).text(): r for r in range(page.table.rowCount())}
        status = page.table.item(rows["rita"], 3).text()
        assert status.startswith("Suspended since ") and status.endswith(": cannot sign in")
        page.select_username("dana")
        assert not page.reinstate_button.isEnabled()  # not suspended
        page.select_username("rita")
        assert page.reinstate_button.isEnabled()
        qtbot.mouseClick(page.reinstate_button, Qt.MouseButton.LeftButton)
        _press(qtbot, page.confirm_box, "Reinstate Rita")
        qtbot.waitUntil(lambda: not worker.busy, timeout=15_000)
        QApplication.processEvents()
        assert page.message.text() == "Rita Recorder can sign in again."
        rows = {page.table.item(r, 1).text(): r for r in range(page.table.rowCount())}
        assert page.table.item(rows["rita"], 3).text() == "Can sign in"
        assert any(e.action == "account_reinstated" for e in audit_trail.entries(session, 50))
    finally:
        parent.close()
        worker.shutdown()
        session.lock()
