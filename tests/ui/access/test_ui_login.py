"""The sign-in page on a real encrypted store: wrong passwords, the delay, signing in."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from safeguard_desktop.app import DEMO_HINT
from safeguard_desktop.domain.organisation import LocalContacts, OrgType, Role
from safeguard_desktop.services.store import WRONG_CREDENTIALS
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.recording.recorder_area import RecorderArea
from ui_store import build_store, copy_store, open_main_window

ORG = "Riverside Juniors FC"
ADMIN, ADMIN_PASSWORD = "sam", "kettle river orange bicycle"
RECORDER, RECORDER_PASSWORD = "chris", "coach-password"


@pytest.fixture(scope="module")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real store per module (the cheapest Argon2 cost), copied for each test."""
    data_dir, _ = build_store(
        tmp_path_factory.mktemp("template"),
        org=ORG,
        org_type=OrgType.CLUB,
        admin=(ADMIN, "Sam Taylor", ADMIN_PASSWORD),
        users=[(RECORDER, "Chris Coach", Role.RECORDER, RECORDER_PASSWORD)],
        contacts=LocalContacts(front_door="0100 496 0000"),
    )
    return data_dir


@pytest.fixture
def data_dir(store_template: Path, tmp_path: Path) -> Path:
    return copy_store(store_template, tmp_path)


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    yield open_main_window(qtbot, data_dir)


def type_credentials(qtbot: QtBot, window: MainWindow, username: str, password: str) -> None:
    page = window.login_page
    page.username.clear()
    qtbot.keyClicks(page.username, username)
    qtbot.keyClicks(page.password, password)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.busy and not window.worker.busy, timeout=15_000)


def test_login_page_shows_the_organisation(window: MainWindow) -> None:
    assert window.login_page.heading.text() == ORG
    assert window.windowTitle() == f"Safeguard Desktop – {ORG}"
    assert window.login_page.demo_banner is None


def test_wrong_password_shows_one_sentence_and_no_traceback(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        type_credentials(qtbot, window, ADMIN, "not the password")
    page = window.login_page
    assert page.error.text() == WRONG_CREDENTIALS
    assert page.error.isVisibleTo(page)
    assert page.error.accessibleDescription() == WRONG_CREDENTIALS
    # Read on the field at fault too, where the keyboard is; its hint (this PC has no
    # credential store here) comes back when the sentence goes.
    assert page.password.hasFocus()
    assert page.password.accessibleDescription() == WRONG_CREDENTIALS
    page.error.clear_message()
    assert page.password.accessibleDescription() == page.keyring_line.text() != ""
    assert "Traceback" not in page.error.text()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert page.password.text() == ""
    assert window.session is None
    assert window.stack.currentWidget() is page


def test_unknown_user_gets_the_same_sentence(qtbot: QtBot, window: MainWindow) -> None:
    type_credentials(qtbot, window, "nobody", "whatever-password")
    assert window.login_page.error.text() == WRONG_CREDENTIALS


def test_empty_fields_are_caught_before_any_slow_check(qtbot: QtBot, window: MainWindow) -> None:
    page = window.login_page
    qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
    assert page.error.text() == "Please type your user name."
    qtbot.keyClicks(page.username, ADMIN)
    qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
    assert page.error.text() == "Please type your password."
    assert not window.worker.busy


def test_repeated_failures_show_a_countdown(qtbot: QtBot, window: MainWindow) -> None:
    page = window.login_page
    for _ in range(3):  # two free mistakes, then the store asks for a pause
        qtbot.waitUntil(page.sign_in_button.isEnabled, timeout=10_000)
        type_credentials(qtbot, window, ADMIN, "wrong password again")
    assert not page.sign_in_button.isEnabled()
    assert page.sign_in_button.text().startswith("Try again in ")
    assert page.seconds_to_wait() > 0
    # Enter while waiting does nothing.
    qtbot.keyClicks(page.password, ADMIN_PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert not page.busy and window.session is None
    qtbot.waitUntil(page.sign_in_button.isEnabled, timeout=10_000)
    assert page.sign_in_button.text() == "&Sign in"


def test_successful_login_shows_the_dsl_area(qtbot: QtBot, window: MainWindow) -> None:
    type_credentials(qtbot, window, ADMIN, ADMIN_PASSWORD)
    area = window.session_area
    assert isinstance(area, CaseArea)
    assert window.stack.currentWidget() is area
    assert area.section_titles() == [
        "Home",
        "Concerns",
        "Children",
        "Low-level log",
        "Reports",
        "Audit log",
        "People",
        "Settings",
    ]
    qtbot.waitUntil(lambda: area.home.concerns_line.text() != "Counting…", timeout=10_000)
    assert area.home.welcome.text() == "Welcome, Sam Taylor"
    assert "Administrator" in area.home.role_line.text()
    assert area.home.concerns_line.text() == "No concerns have been recorded yet."
    assert area.home.audit_line.text().startswith("Complete and unchanged: ")
    assert area.home.head_line.text().startswith("Latest entry ")
    assert window.toolbar.isVisibleTo(window)
    assert window.lock_action.isEnabled()
    assert window.login_page.password.text() == ""


def test_recorder_sees_the_recorder_area_and_can_sign_out(qtbot: QtBot, window: MainWindow) -> None:
    type_credentials(qtbot, window, RECORDER, RECORDER_PASSWORD)
    area = window.session_area
    assert isinstance(area, RecorderArea)
    assert window.findChild(CaseArea) is None
    assert "Chris Coach" in area.greeting.text()
    qtbot.mouseClick(area.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(RecorderArea) is None, timeout=5000)
    assert window.stack.currentWidget() is window.login_page
    assert window.login_page.username.text() == ""
    assert window.login_page.notice.text() == "You have signed out."


def test_credential_store_status_is_explained(window: MainWindow) -> None:
    assert window.store is not None
    status = window.store.device_secret_status
    line = window.login_page.keyring_line
    # Tests run without a D-Bus session, so no credential store is usable here.
    assert not status.usable
    assert line.isVisibleTo(window.login_page)
    assert line.text() == status.message


def test_demo_banner(qtbot: QtBot, data_dir: Path) -> None:
    window = MainWindow(data_dir, demo_hint=DEMO_HINT)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login_page, timeout=10_000)
    banner = window.login_page.demo_banner
    assert banner is not None and banner.isVisibleTo(window.login_page)
    assert "Sign in as dsl / demo-password-1" in DEMO_HINT


def test_damaged_store_gets_a_plain_explanation(qtbot: QtBot, data_dir: Path) -> None:
    (data_dir / "vault.json").write_text("{ not json", encoding="utf-8")
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.problem_page, timeout=10_000)
    sentence = window.problem_page.error.text()
    assert sentence and "Traceback" not in sentence
    assert window.store is None
    assert window.windowTitle() == "Safeguard Desktop"
