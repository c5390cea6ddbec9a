"""Recording stations with real widgets: the DSL adds one in Settings, a second PC is set up
from the first-run screen, a concern is recorded on it with the guided form and arrives on
the DSL's PC; the shared folder going away is said in words, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from conftest import StoreFixture
from safeguard_desktop.services import casework, inbox, recording_station, stations
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.stations.station_home import StationHome
from safeguard_desktop.ui.stations.stations_settings import AddStationDialog
from screen_checks import alt_key_clashes, unnamed_controls
from station_setup import lead
from ui_store import idle, open_main_window, sign_in_lead

DIALOG_WARNING = "This plugin does not support propagateSizeHints"
pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)


def walk(qtbot: QtBot, window: MainWindow, form: object, *, danger: bool = False) -> str:
    """The guided form from the keyboard and mouse, as a volunteer at the station fills it;
    the reference the page after it shows."""
    from PySide6.QtWidgets import QWizard

    wizard = form.wizard  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: form.stack.currentWidget() is wizard, timeout=5000)  # type: ignore[attr-defined]

    def next_step() -> None:
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)

    answer = wizard.danger_question_page.no
    answer.setFocus()
    qtbot.keyClick(answer, Qt.Key.Key_Space)
    children = wizard.children_page
    qtbot.keyClicks(children.boxes[0].name, "Olek Nowak")
    children.boxes[0].age_radio.setChecked(True)
    children.boxes[0].approximate_age.setValue(9)
    next_step()
    happened = wizard.happened_page
    qtbot.keyClicks(happened.location, "Away ground, Hill Road")
    happened.observed.setPlainText("Arrived without a coat for the fourth week running.")
    next_step()
    next_step()  # the child's words: none
    next_step()  # the body map: no marks
    wizard.actions_page.told_no.setChecked(True)
    next_step()
    wizard.categories_page.checks["neglect"].setChecked(True)
    next_step()
    page = wizard.review_page
    assert page.guest_name is not None and page.guest_role is not None
    qtbot.keyClicks(page.guest_name, "Gail Guest")
    qtbot.keyClicks(page.guest_role, "Visiting coach")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.after_page is not None, timeout=10_000)
    assert window.after_page is not None
    return window.after_page.reference.text().split(": ", 1)[1]


def _first_run(qtbot: QtBot, data_dir: Path) -> MainWindow:
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.resize(1366, 720)
    window.show()
    qtbot.waitUntil(lambda: window.first_run_page is not None, timeout=10_000)
    return window


def _add_station(qtbot: QtBot, window: MainWindow, drop: Path, out: Path) -> AddStationDialog:
    area = sign_in_lead(qtbot, window, ("admin", "admin-password-1"))
    area.show_section("Settings")
    section = area.settings.stations
    qtbot.waitUntil(lambda: section.empty_line.isVisible(), timeout=10_000)
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert dialog is not None
    # Nothing named yet: said, not refused silently.
    assert unnamed_controls(section) == []
    assert unnamed_controls(dialog) == []
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert "Give the station a name" in dialog.error.text()
    qtbot.keyClicks(dialog.name, "Away laptop")
    dialog.drop.edit.setText(str(drop))
    dialog.make(out)  # what choosing the file in the Save dialog does
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=10_000)
    assert dialog.fingerprint.text() == dialog.made.fingerprint
    assert str(out) in dialog.saved_line.text()
    qtbot.waitUntil(lambda: section.table.rowCount() == 1, timeout=10_000)
    assert section.table.item(0, 0).text() == "Away laptop"
    assert section.table.item(0, 1).text() == "Invited, not joined yet"
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)  # Done
    return dialog


def test_a_station_is_added_set_up_and_its_concern_arrives(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    drop = tmp_path / "shared"
    drop.mkdir()
    invitation = tmp_path / "away.sginvite"
    dsl_window = MainWindow(store_dir.data_dir)
    qtbot.addWidget(dsl_window)
    dsl_window.resize(1366, 720)
    dsl_window.show()
    qtbot.waitUntil(
        lambda: dsl_window.stack.currentWidget() is dsl_window.login_page, timeout=10_000
    )
    made = _add_station(qtbot, dsl_window, drop, invitation)
    fingerprint = made.made.fingerprint if made.made else ""
    dsl_window.sign_out()
    idle(qtbot, dsl_window)

    # The second PC: first-run, "Set this PC up as a recording station".
    window = _first_run(qtbot, tmp_path / "station")
    first_run = window.first_run_page
    assert first_run is not None
    assert unnamed_controls(first_run) == []
    qtbot.mouseClick(first_run.station_button, Qt.MouseButton.LeftButton)
    page = window.station_setup_page
    assert page is not None
    qtbot.keyClicks(page.file, str(invitation))
    qtbot.keyClick(page.file, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.details.isVisible(), timeout=10_000)
    assert page.fingerprint.text() == fingerprint
    assert "Riverside Juniors FC" in page.organisation.text()
    assert unnamed_controls(page) == []
    # Not until the fingerprints are said to match.
    qtbot.mouseClick(page.set_up_button, Qt.MouseButton.LeftButton)
    assert "tick the box" in page.error.text()
    assert not (tmp_path / "station").exists() or not any((tmp_path / "station").iterdir())
    page.matches.setChecked(True)
    qtbot.mouseClick(page.set_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.station_home, StationHome), timeout=10_000)
    home = window.station_home
    assert home is not None and window.stack.currentWidget() is home
    assert "recording station" in window.windowTitle()
    assert "holds no key that opens a record" in home.no_key.text()
    assert unnamed_controls(home) == []
    qtbot.waitUntil(lambda: not home.delivering, timeout=10_000)
    assert "Everything recorded here has been delivered" in home.delivery_line.text()
    assert "0100 000 0001" in home.numbers.text()  # the front door, from the signed settings

    # Record with the guided form, as a guest would (name and role on the last step).
    qtbot.mouseClick(home.record_button, Qt.MouseButton.LeftButton)
    form = window.concern_form
    assert form is not None and form.is_guest
    ref = walk(qtbot, window, form, danger=False)
    after = window.after_page
    assert after is not None
    assert (
        "delivered to the shared folder" in after.delivery.findChild(type(after.reference)).text()
    )
    qtbot.mouseClick(after.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is home, timeout=10_000)

    session = lead(store_dir.data_dir, store_dir.admin)
    try:
        assert ref in inbox.ingest(session).concerns
        stored = casework.concern_file(session, ref).concern
        assert stored.submitter["name"] == "Gail Guest"
        assert stored.submitter["station_name"] == "Away laptop"
        assert [s.status for s in stations.station_list(session)] == ["working"]
    finally:
        session.lock()


def test_the_station_says_when_the_shared_folder_is_away(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    from station_setup import make_pair

    pair = make_pair(store_dir, tmp_path)
    pair.drop.rename(tmp_path / "unplugged")
    window = MainWindow(pair.station_dir)
    qtbot.addWidget(window)
    window.resize(1366, 720)
    window.show()
    qtbot.waitUntil(lambda: window.station_home is not None, timeout=10_000)
    home = window.station_home
    assert home is not None
    qtbot.waitUntil(lambda: not home.delivering, timeout=10_000)
    qtbot.mouseClick(home.record_button, Qt.MouseButton.LeftButton)
    form = window.concern_form
    assert form is not None
    walk(qtbot, window, form, danger=False)
    after = window.after_page
    assert after is not None
    assert "kept safely on this PC" in after.delivery.findChild(type(after.reference)).text()
    qtbot.mouseClick(after.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is home and not home.delivering)
    assert "1 concern is waiting on this PC" in home.delivery_line.text()
    assert "cannot be reached just now" in home.problem.text()

    (tmp_path / "unplugged").rename(pair.drop)
    qtbot.mouseClick(home.deliver_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not home.delivering, timeout=10_000)
    assert "Everything recorded here has been delivered" in home.delivery_line.text()
    assert not home.problem.isVisible()


def test_a_lead_removes_a_station_after_saying_yes(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    from station_setup import make_pair

    make_pair(store_dir, tmp_path)
    window = MainWindow(store_dir.data_dir)
    qtbot.addWidget(window)
    window.resize(1366, 720)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login_page, timeout=10_000)
    area = sign_in_lead(qtbot, window, ("admin", "admin-password-1"))
    area.show_section("Settings")
    section = area.settings.stations
    qtbot.waitUntil(lambda: section.table.rowCount() == 1, timeout=10_000)
    section.table.selectRow(0)
    assert section.remove_button.isEnabled()
    qtbot.mouseClick(section.remove_button, Qt.MouseButton.LeftButton)
    box = section.confirm_box
    assert box is not None and "Remove the station “Away laptop”" in box.text()
    yes = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.table.item(0, 1).text() == "Removed", timeout=10_000)
    assert not section.remove_button.isEnabled()


def _saved_invitation(store_dir: StoreFixture, tmp_path: Path) -> Path:
    """An invitation for a station delivering into ``tmp_path/drop``, saved as a file."""
    from station_setup import invite

    drop = tmp_path / "drop"
    drop.mkdir()
    invitation = tmp_path / "away.sginvite"
    stations.save_invitation(invite(store_dir.data_dir, store_dir.admin, drop), invitation)
    return invitation


def test_a_station_is_set_up_from_the_keyboard_alone(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    invitation = _saved_invitation(store_dir, tmp_path)
    window = _first_run(qtbot, tmp_path / "station")
    first_run = window.first_run_page
    assert first_run is not None
    first_run.setup_button.setFocus()
    qtbot.keyClick(first_run.setup_button, Qt.Key.Key_Tab)
    qtbot.keyClick(first_run.restore_button, Qt.Key.Key_Tab)
    assert first_run.station_button.hasFocus()
    qtbot.keyClick(first_run.station_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.station_setup_page is not None, timeout=5_000)
    page = window.station_setup_page
    assert page is not None and page.file.hasFocus()
    qtbot.keyClicks(page.file, str(invitation))
    qtbot.keyClick(page.file, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.details.isVisible() and page.matches.hasFocus(), timeout=10_000)
    qtbot.keyClick(page.matches, Qt.Key.Key_Space)
    assert page.matches.isChecked()
    # Tab in reading order: the shared folder, its chooser, then "Set this PC up".
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert page.set_up_button.hasFocus()
    qtbot.keyClick(page.set_up_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.station_home is not None, timeout=10_000)
    home = window.station_home
    assert home is not None and home.record_button.hasFocus()
    qtbot.keyClick(home.record_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.concern_form is not None, timeout=5_000)


def test_home_lists_a_refused_file_and_a_late_station_in_words(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    import os
    import time
    from datetime import UTC, datetime, timedelta

    from PySide6.QtWidgets import QLabel, QPushButton

    from safeguard_desktop.storage import drop_folder, station_file
    from station_setup import concern, make_pair

    pair = make_pair(store_dir, tmp_path)
    junk = pair.drop / "C-AAAA-AAAA.sgdrop"
    junk.write_bytes(b"{not json")
    old = time.time() - drop_folder.SETTLE_SECONDS - 5
    os.utime(junk, (old, old))
    lost = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())
    (pair.drop / f"{lost.ref}.sgdrop").unlink()  # lost by the sync engine
    two_days_ago = (datetime.now(UTC) - timedelta(days=2)).isoformat(timespec="seconds")
    station_file.write_delivered(pair.station_dir, [(lost.ref, two_days_ago)])
    recording_station.deliver_waiting(pair.station)

    window = MainWindow(store_dir.data_dir)
    qtbot.addWidget(window)
    window.resize(1366, 720)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login_page, timeout=10_000)
    area = sign_in_lead(qtbot, window, ("admin", "admin-password-1"))
    home = area.home
    # The drop folder is read just after sign-in; Home shows both once it has been.
    qtbot.waitUntil(lambda: home.stations_box.isVisible(), timeout=15_000)
    qtbot.waitUntil(lambda: home.quarantine.isVisible(), timeout=15_000)
    assert "“Away laptop”: concerns recorded there have not reached this PC" in (
        home.stations_line.text()
    )
    texts = [label.text() for label in home.quarantine.findChildren(QLabel)]
    assert "A file in the stations' shared folder, C-AAAA-AAAA.sgdrop" in texts
    assert not any(
        b.text() == "Accept as unverified…" and b.isVisible()
        for b in home.quarantine.findChildren(QPushButton)
    )
    assert unnamed_controls(home) == []


def test_home_says_a_station_used_the_key_from_before_a_lead_was_removed(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    import time

    from safeguard_desktop.services import people
    from safeguard_desktop.storage import drop_folder
    from station_setup import concern, make_pair

    pair = make_pair(store_dir, tmp_path)
    admin = pair.session()
    try:
        people.remove_user(admin, store_dir.dsl[0])
    finally:
        admin.lock()
    (pair.drop / drop_folder.SETTINGS_NAME).unlink()  # the new key never reaches the station
    time.sleep(1.05)  # times are kept to the second: recorded after the key was replaced
    made = recording_station.record_on_station(pair.station, "Sam Coach", "Coach", concern())

    window = MainWindow(store_dir.data_dir)
    qtbot.addWidget(window)
    window.resize(1366, 720)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login_page, timeout=10_000)
    area = sign_in_lead(qtbot, window, ("admin", "admin-password-1"))
    home = area.home
    qtbot.waitUntil(lambda: home.old_key.isVisible(), timeout=15_000)
    text = home.old_key.line.text()
    assert f"“Away laptop”: {made.ref}" in text
    assert "may be able to read them" in text
    assert unnamed_controls(home) == []
    qtbot.mouseClick(home.old_key.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not home.old_key.isVisible(), timeout=10_000)
    idle(qtbot, window)
    session = lead(store_dir.data_dir, ("admin", "admin-password-1"))
    try:
        assert made.ref in {c.ref for c in casework.list_concerns(session)}
        assert stations.old_key_warnings(session) == []
    finally:
        session.lock()


def _open_add_dialog(qtbot: QtBot, window: MainWindow) -> AddStationDialog:
    area = sign_in_lead(qtbot, window, ("admin", "admin-password-1"))
    area.show_section("Settings")
    section = area.settings.stations
    qtbot.waitUntil(lambda: section.empty_line.isVisible(), timeout=10_000)
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_adding_a_station_enter_saves_one_alt_key_each_and_a_missing_folder_is_said_first(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    window = open_main_window(qtbot, store_dir.data_dir)
    dialog = _open_add_dialog(qtbot, window)
    assert alt_key_clashes(dialog) == []
    pressed: list[str] = []
    dialog.drop.choose_button.clicked.connect(lambda: pressed.append("choose"))
    dialog.make_button.clicked.connect(lambda: pressed.append("save"))

    # Enter in the name presses Save the invitation (which asks for the name first),
    # never Choose another folder.
    dialog.name.setFocus()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert pressed == ["save"]
    assert "Give the station a name" in dialog.error.text()
    assert dialog.focusWidget() is dialog.name

    # A shared folder that is not there is refused before the Save dialog opens, with the
    # keyboard in the folder's field.
    qtbot.keyClicks(dialog.name, "Away laptop")
    missing = tmp_path / "not there"
    dialog.drop.edit.setText(str(missing))
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.file_dialog is None
    assert str(missing) in dialog.error.text() and "does not exist" in dialog.error.text()
    assert dialog.focusWidget() is dialog.drop.edit
    assert pressed == ["save", "save"]
    dialog.reject()


def _in_sight(area: QScrollArea, widget: QWidget) -> bool:
    viewport = area.viewport()
    top = widget.mapTo(viewport, QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= viewport.height()


def test_the_fingerprint_tick_box_is_scrolled_into_sight_on_a_small_screen(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    invitation = _saved_invitation(store_dir, tmp_path)
    window = _first_run(qtbot, tmp_path / "station")
    window.resize(911, 472)  # 1366 x 768 at 150 %
    first_run = window.first_run_page
    assert first_run is not None
    qtbot.mouseClick(first_run.station_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.station_setup_page is not None, timeout=5_000)
    page = window.station_setup_page
    assert page is not None
    qtbot.keyClicks(page.file, str(invitation))
    qtbot.keyClick(page.file, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.details.isVisible() and page.matches.hasFocus(), timeout=10_000)
    qtbot.waitUntil(lambda: _in_sight(page.scroller, page.matches), timeout=2_000)
    # Set up without the tick: refused, the keyboard back in the box, and the box in sight.
    page.scroller.verticalScrollBar().setValue(0)
    page.set_up_button.setFocus()
    qtbot.keyClick(page.set_up_button, Qt.Key.Key_Space)
    assert page.matches.hasFocus() and "tick the box" in page.error.text()
    qtbot.waitUntil(lambda: _in_sight(page.scroller, page.matches), timeout=2_000)
