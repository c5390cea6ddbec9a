"""What the window shows when someone changed the data folder behind the app's back.

Each test makes the real attack on a real store, through files only (tests/support/attacker.py):
vault.json edited with its checksum recomputed, an older cases.db put back after more
was recorded, items sealed to the public inbox key by someone with no account. Then the
real window is driven: a recorder and a guest are refused before they type (and at
sending, with the draft kept); Home shows each alarm in words, the administrator's
buttons deal with it and the alarm goes; quarantined items are listed and can be
accepted as unverified or set aside.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget, QWizard
from pytestqt.qtbot import QtBot

from attacker import (
    concern_payload,
    copy_case_database,
    edit_vault,
    put_case_database_back,
    put_sealed,
    vault_json,
)
from casework_data import concern_data, submit
from conftest import StoreFixture
from damaged_store import database_key, indexes_disagree
from safeguard_desktop.domain.accounts import new_reference
from safeguard_desktop.domain.errors import StoreReadOnly
from safeguard_desktop.security import device_secret
from safeguard_desktop.services import audit_trail, casework, inbox, organisation_settings
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.services.vault_trust import SETTINGS_CHANGED
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.casework.home_page import HomePage
from safeguard_desktop.ui.data_folder_alarms.quarantine_section import SetAsideDialog
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.recording.concern_form import ConcernForm
from safeguard_desktop.ui.recording.recorder_area import RecorderArea
from safeguard_desktop.ui.theme import apply_theme
from screen_checks import unnamed_controls
from ui_store import idle, open_main_window, sign_in

# Offscreen Qt says this once per dialog shown; it is about the platform, not the app.
DIALOG_WARNING = "This plugin does not support propagateSizeHints"
pytestmark = pytest.mark.qt_log_ignore(DIALOG_WARNING)

FORGED_SENTENCE = "It says it was sent by “rita”, but it was not sealed with that account's key."
DAMAGED_SENTENCE = "It is damaged or was not made by Safeguard Desktop, so it cannot be opened."


# Helpers ------------------------------------------------------------------------------


def home_of(qtbot: QtBot, window: MainWindow) -> HomePage:
    area = window.session_area
    assert isinstance(area, CaseArea)
    qtbot.waitUntil(lambda: area.home.facts is not None, timeout=10_000)
    idle(qtbot, window)
    return area.home


def shown(widget: QWidget) -> list[str]:
    """The texts of the labels ``widget`` shows."""
    QApplication.processEvents()
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]


def visible_button(widget: QWidget, text: str) -> QPushButton | None:
    found = [b for b in widget.findChildren(QPushButton) if b.text() == text and b.isVisible()]
    return found[0] if found else None


def click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_form(qtbot: QtBot, window: MainWindow) -> ConcernForm:
    area = window.session_area
    assert isinstance(area, RecorderArea | CaseArea)
    record = area.record_button if isinstance(area, RecorderArea) else area.home.record_button
    click(qtbot, record)
    form = window.concern_form
    assert form is not None and window.stack.currentWidget() is form
    idle(qtbot, window)
    return form


def fill_and_review(qtbot: QtBot, form: ConcernForm, child: str) -> None:
    """Fill the form with a valid concern about ``child`` and step through to the review."""
    wizard = form.wizard
    wizard.set_form_data({**concern_data(name=child), "immediate_danger": False})
    for _ in range(12):
        if wizard.currentPage() is wizard.review_page:
            return
        click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    raise AssertionError(f"the review was not reached: {shown(wizard.currentPage())}")


def sign_in_and_lock(data_dir: Path, who: tuple[str, str]) -> None:
    """A lead's sign-in (which takes in the inbox and anchors the audit log), then lock."""
    session = Store.open(data_dir).login(*who)
    session.lock()


def idle_lock_edited(data_dir: Path, minutes: int = 100_000) -> None:
    """The attack: automatic locking turned off in vault.json, the rest left alone."""
    edit_vault(data_dir, lambda v: v["settings"].update(idle_lock_minutes=minutes))


def forge_items(data_dir: Path) -> tuple[str, str]:
    """A concern claiming to come from Rita's account (not sealed with her key), and an
    item that cannot be opened at all; returns their references."""
    forged, damaged = new_reference("C"), new_reference("C")
    put_sealed(data_dir, forged, "concern", concern_payload(forged, concern_data(), "rita"))
    put_sealed(data_dir, damaged, "concern", b"\x00" * 80)
    return forged, damaged


def older_database_put_back(data_dir: Path, tmp_path: Path) -> str:
    """The attack: cases.db copied aside, one more concern recorded and taken in, then
    the old copy put back. Returns the concern that vanished."""
    sign_in_and_lock(data_dir, ("admin", "admin-password-1"))
    copy_case_database(data_dir, tmp_path / "aside")
    vanished = submit(Store.open(data_dir), concern_data(name="Noah Later"))
    sign_in_and_lock(data_dir, ("admin", "admin-password-1"))
    put_case_database_back(data_dir, tmp_path / "aside")
    return vanished


class MemoryCredentialStore:
    """The OS credential store, as a dictionary (tests never touch a real keyring)."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, name: str) -> str | None:
        return self.values.get((service, name))

    def set_password(self, service: str, name: str, value: str) -> None:
        self.values[(service, name)] = value

    def delete_password(self, service: str, name: str) -> None:
        self.values.pop((service, name), None)


@pytest.fixture
def credential_store(monkeypatch: pytest.MonkeyPatch) -> MemoryCredentialStore:
    """This PC has a credential store: the vault key and audit anchor are kept outside."""
    memory = MemoryCredentialStore()
    monkeypatch.setattr(device_secret, "_working_backend", lambda: memory)
    return memory


# A recorder and a guest ---------------------------------------------------------------


def test_recorder_is_refused_before_typing_and_the_draft_waits_for_the_lead(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    data_dir = store_dir.data_dir
    window = open_main_window(qtbot, data_dir)
    window.resize(1366, 720)
    # Rita starts a concern and is locked out half-way: her draft is kept.
    sign_in(qtbot, window, store_dir.recorder)
    form = open_form(qtbot, window)
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.wizard, timeout=5000)
    question = form.wizard.danger_question_page
    question.no.setChecked(True)
    click(qtbot, form.wizard.button(QWizard.WizardButton.NextButton))
    qtbot.keyClicks(form.wizard.children_page.boxes[0].name, "Amelia Draft")
    window.lock()
    idle(qtbot, window)

    idle_lock_edited(data_dir)

    sign_in(qtbot, window, store_dir.recorder)
    area = window.session_area
    assert isinstance(area, RecorderArea)
    # The area says so at once, with what to do instead, and shows neither the form's
    # button nor any of the (perhaps changed) numbers.
    qtbot.waitUntil(lambda: area.refusal.isVisible(), timeout=5000)
    assert area.refusal_line.text() == SETTINGS_CHANGED
    assert "If a child is in immediate danger, call 999 now." in shown(area.refusal)
    assert not area.contacts_card.isVisible() and not area.danger.isVisible()
    assert not area.record_button.isVisible()
    assert unnamed_controls(area) == []
    # The form, opened anyway (a click before the area's check answered), shows the
    # sentence in place of the steps, before a word is typed.
    window.open_concern_form()
    form = window.concern_form
    assert form is not None
    idle(qtbot, window)
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.refused_page, timeout=5000)
    page = form.refused_page
    assert page.sentence.text() == SETTINGS_CHANGED
    assert SETTINGS_CHANGED in shown(page)
    assert "Something went wrong" not in " ".join(shown(page))
    assert not form.wizard.isVisible()
    assert page.back_button.hasFocus()
    assert unnamed_controls(page) == []
    click(qtbot, page.back_button)
    assert window.concern_form is None
    assert window.stack.currentWidget() is area
    window.sign_out()
    idle(qtbot, window)

    # The lead signs in: the alarm names the change; putting the values back clears it.
    sign_in(qtbot, window, store_dir.dsl)
    home = home_of(qtbot, window)
    alarms = home.alarms
    assert alarms.vault_box.isVisible() and not alarms.rollback_box.isVisible()
    words = alarms.vault_sentence.text()
    assert words.startswith("The organisation's settings file was changed outside")
    assert "how soon the app locks itself" in words
    assert vault_json(data_dir)["settings"]["idle_lock_minutes"] == 100_000
    click(qtbot, alarms.restore_button)
    qtbot.waitUntil(lambda: not alarms.vault_box.isVisible(), timeout=10_000)
    idle(qtbot, window)
    assert alarms.done.isVisible() and alarms.done.text().startswith("Done: the settings file")
    assert vault_json(data_dir)["settings"]["idle_lock_minutes"] == 5
    session = window.session
    assert isinstance(session, CaseSession) and session.vault_alarm is None
    actions = [e.action for e in audit_trail.entries(session, 20)]
    assert "vault_changed_outside" in actions and "vault_restored" in actions
    window.sign_out()
    idle(qtbot, window)

    # Rita can record again, and what she had typed is offered back.
    sign_in(qtbot, window, store_dir.recorder)
    area = window.session_area
    assert isinstance(area, RecorderArea)
    assert not area.refusal.isVisible() and area.contacts_card.isVisible()
    form = open_form(qtbot, window)
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.offer_page, timeout=5000)
    click(qtbot, form.continue_button)
    assert form.wizard.children_page.boxes[0].name.text() == "Amelia Draft"


def test_recorders_send_refused_keeps_the_draft(qtbot: QtBot, store_dir: StoreFixture) -> None:
    data_dir = store_dir.data_dir
    window = open_main_window(qtbot, data_dir)
    sign_in(qtbot, window, store_dir.recorder)
    form = open_form(qtbot, window)
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.wizard, timeout=5000)
    wizard = form.wizard
    fill_and_review(qtbot, form, "Amelia Kept")
    idle(qtbot, window)
    # The file is changed while the form is open; sealing checks it again. (The app holds
    # the file it read at sign-in; here it reads it again, as a guest's form does.)
    idle_lock_edited(data_dir)
    assert window.store is not None
    window.store.reload()
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    idle(qtbot, window)
    assert window.after_page is None and window.concern_form is form
    error = wizard.review_page.page_error.text()
    assert error == f"{SETTINGS_CHANGED} What you typed is kept as your draft."
    assert wizard.isEnabled()
    assert Store.open(data_dir).inbox.pending(limit=10, after_id=0) == []
    session = window.session
    assert session is not None
    kept = session.load_draft()
    assert kept is not None and kept["children"][0]["name"] == "Amelia Kept"  # type: ignore[index]


def test_guest_is_refused_before_typing_and_when_sending(
    qtbot: QtBot, store_dir: StoreFixture, credential_store: MemoryCredentialStore
) -> None:
    data_dir = store_dir.data_dir
    # A lead's sign-in keeps the vault key in this PC's credential store for guests.
    sign_in_and_lock(data_dir, store_dir.dsl)
    window = open_main_window(qtbot, data_dir)

    def guest_form() -> ConcernForm:
        login = window.login_page
        click(qtbot, login.guest_button)
        form = window.concern_form
        assert form is not None and form.is_guest
        idle(qtbot, window)
        return form

    form = guest_form()
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.wizard, timeout=5000)
    wizard = form.wizard
    fill_and_review(qtbot, form, "Gail Concern")
    review = wizard.review_page
    assert review.guest_name is not None and review.guest_role is not None
    qtbot.keyClicks(review.guest_name, "Gail Guest")
    qtbot.keyClicks(review.guest_role, "Visiting coach")
    idle_lock_edited(data_dir)  # while the guest types
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    idle(qtbot, window)
    assert window.after_page is None
    # One sentence, and what was typed is still on the form.
    assert wizard.review_page.page_error.text() == SETTINGS_CHANGED
    assert wizard.children_page.boxes[0].name.text() == "Gail Concern"
    assert Store.open(data_dir).inbox.pending(limit=10, after_id=0) == []
    window.lock()  # a guest's form is closed by the lock
    idle(qtbot, window)

    # The next guest is refused before typing.
    form = guest_form()
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.refused_page, timeout=5000)
    assert form.refused_page.sentence.text() == SETTINGS_CHANGED
    assert form.guest_notice is not None and not form.guest_notice.isVisible()
    click(qtbot, form.refused_page.back_button)
    assert window.stack.currentWidget() is window.login_page


def test_guest_turned_away_when_guests_are_not_allowed(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    window = open_main_window(qtbot, store_dir.data_dir)
    login = window.login_page
    # Guests are turned off after the sign-in page was shown.
    admin = Store.open(store_dir.data_dir).login(*store_dir.admin)
    organisation_settings.set_allow_guests(admin, False)  # type: ignore[arg-type]
    admin.lock()
    click(qtbot, login.guest_button)
    form = window.concern_form
    assert form is not None
    qtbot.waitUntil(lambda: form.stack.currentWidget() is form.refused_page, timeout=5000)
    assert form.refused_page.sentence.text().startswith(
        "This organisation does not allow recording without an account."
    )


# Home: older records put back -----------------------------------------------------------


def test_older_records_are_read_only_until_an_administrator_accepts_them(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    data_dir = store_dir.data_dir
    kept = submit(Store.open(data_dir), concern_data(name="Amelia Before"))
    vanished = older_database_put_back(data_dir, tmp_path)
    window = open_main_window(qtbot, data_dir)
    window.resize(1366, 720)

    # A lead who is not an administrator: the sentence, and "ask an administrator".
    sign_in(qtbot, window, store_dir.dsl)
    home = home_of(qtbot, window)
    alarms = home.alarms
    assert alarms.rollback_box.isVisible() and not alarms.vault_box.isVisible()
    sentence = alarms.rollback_sentence.text()
    assert sentence.startswith("These records are older than the ones this PC last saw")
    assert "open for reading only" in sentence
    assert "These records are open for reading only" in shown(alarms.rollback_box)
    assert alarms.ask_admin.isVisible() and not alarms.accept_button.isVisible()
    assert visible_button(home, "Accept these older records…") is None
    refs = {home.newest_model.summary(r).ref for r in range(home.newest_model.rowCount())}
    assert refs == {kept}  # the later concern is missing: that is what the alarm is about
    assert vanished not in refs
    # The records can still be read (to decide what to do; the read is not audited,
    # since nothing can be written), but no write is let through.
    area = window.session_area
    assert isinstance(area, CaseArea)
    area.open_concern(kept)
    view = area.concerns.view
    assert view is not None
    qtbot.waitUntil(lambda: getattr(view, "file", None) is not None, timeout=10_000)
    with pytest.raises(StoreReadOnly) as refused:
        casework.set_status(window.session, kept, "closed", "no further action")  # type: ignore[union-attr]
    assert str(refused.value) == sentence
    window.sign_out()
    idle(qtbot, window)

    # The administrator accepts them, after being told what will be written down.
    sign_in(qtbot, window, store_dir.admin)
    home = home_of(qtbot, window)
    alarms = home.alarms
    assert alarms.rollback_box.isVisible() and not alarms.ask_admin.isVisible()
    button = visible_button(home, "Accept these older records…")
    assert button is not None and button.accessibleName() == "Accept these older records"
    click(qtbot, button)
    dialog = alarms.accept_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.focusWidget() is dialog.cancel_button
    said = " ".join(shown(dialog))
    assert "audit log" in said and "From then on these are the current records" in said
    assert dialog.gap.text().startswith("The audit log here ends at entry")
    assert unnamed_controls(dialog) == []
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: alarms.accept_dialog is None, timeout=10_000)
    idle(qtbot, window)
    assert not alarms.rollback_box.isVisible()
    assert alarms.done.text().startswith("You accepted these records.")
    session = window.session
    assert isinstance(session, CaseSession) and not session.read_only
    assert "older_copy_accepted" in [e.action for e in audit_trail.entries(session, 10)]
    # Writing works again: the concern opens (and its opening is audited).
    area = window.session_area
    assert isinstance(area, CaseArea)
    area.open_concern(kept)
    view = area.concerns.view
    assert view is not None
    qtbot.waitUntil(lambda: view.file is not None, timeout=10_000)
    assert not view.message.isVisible()


def test_records_whose_settings_file_lost_its_anchor_say_so_and_what_accepting_means(
    qtbot: QtBot, store_dir: StoreFixture, tmp_path: Path
) -> None:
    data_dir = store_dir.data_dir
    older_database_put_back(data_dir, tmp_path)
    edit_vault(data_dir, lambda v: [v.pop("audit_anchor"), v.pop("anchor_signature")])
    window = open_main_window(qtbot, data_dir)
    window.resize(1366, 720)
    sign_in(qtbot, window, store_dir.admin)
    home = home_of(qtbot, window)
    alarms = home.alarms
    assert alarms.rollback_box.isVisible()
    assert "sealed record of how far these records had got" in alarms.rollback_sentence.text()
    button = visible_button(home, "Accept these older records…")
    assert button is not None
    click(qtbot, button)
    dialog = alarms.accept_dialog
    assert dialog is not None and dialog.isVisible()
    # No gap to name: the dialog says why none can be, never "ends at entry N ... saw N".
    assert "cannot be told" in dialog.gap.text()
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: alarms.accept_dialog is None, timeout=10_000)
    assert alarms.rollback_box.isVisible()


# Home: items that could not be accepted -----------------------------------------------


def test_damage_found_after_sign_in_is_an_alarm_on_home(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    data_dir = store_dir.data_dir
    indexes_disagree(data_dir, database_key(data_dir, store_dir.dsl))
    window = open_main_window(qtbot, data_dir)
    window.resize(1366, 720)
    sign_in(qtbot, window, store_dir.dsl)
    home = home_of(qtbot, window)
    area = window.session_area
    assert isinstance(area, CaseArea)
    alarms = home.alarms

    # The check runs beside the session; the minute's inbox check (pressed here rather
    # than waited for) is where the screens hear of what it found, if Home did not.
    def raised() -> bool:
        if not alarms.damage_box.isVisible():
            area.check_inbox()
        return alarms.damage_box.isVisible()

    qtbot.waitUntil(raised, timeout=60_000)
    sentence = alarms.damage_sentence.text()
    assert "is damaged" in sentence and "most recent backup" in sentence
    assert "nothing more can be saved" in " ".join(shown(alarms.damage_box))
    assert alarms.damage_box.accessibleDescription() == sentence
    assert not alarms.rollback_box.isVisible() and not alarms.vault_box.isVisible()
    assert unnamed_controls(home) == []


def test_quarantined_items_are_listed_accepted_and_set_aside(
    qtbot: QtBot, store_dir: StoreFixture
) -> None:
    data_dir = store_dir.data_dir
    forged, damaged = forge_items(data_dir)
    genuine = submit(Store.open(data_dir), concern_data(name="Amelia Genuine"))
    window = open_main_window(qtbot, data_dir)
    sign_in(qtbot, window, store_dir.dsl)
    home = home_of(qtbot, window)
    section = home.quarantine
    # The genuine concern was taken in; the other two are listed, with when and why.
    refs = {home.newest_model.summary(r).ref for r in range(home.newest_model.rowCount())}
    assert refs == {genuine}
    assert section.isVisible()
    assert section.headline.text() == "2 items could not be accepted"
    assert home.quarantine_card.isVisible() and home.quarantine_card.number.text() == "2"
    assert home.quarantine_card.accessibleName() == "Items not accepted: 2, To decide"
    texts = shown(section)
    assert FORGED_SENTENCE in texts and DAMAGED_SENTENCE in texts
    today = datetime.now()
    arrived = f"Arrived {today.day} "
    assert sum(text.startswith(arrived) for text in texts) == 2
    assert f"A concern, reference {forged}" in texts
    # Only the concern whose sole fault is who sent it can be accepted.
    accept_buttons = [
        b for b in section.findChildren(QPushButton) if b.text() == "Accept as unverified…"
    ]
    assert [b.accessibleName() for b in accept_buttons if b.isVisible()] == [
        f"Accept item {forged} as unverified"
    ]
    assert unnamed_controls(home) == []

    click(qtbot, accept_buttons[0])
    dialog = section.dialog
    assert dialog is not None and dialog.focusWidget() is dialog.cancel_button
    assert FORGED_SENTENCE in " ".join(shown(dialog))
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: section.dialog is None, timeout=10_000)
    idle(qtbot, window)
    assert section.message.text().startswith(f"Concern {forged} was accepted")
    assert section.headline.text() == "1 item could not be accepted"
    assert home.quarantine_card.number.text() == "1"
    refs = {home.newest_model.summary(r).ref for r in range(home.newest_model.rowCount())}
    assert refs == {genuine, forged}
    # Its page says who sent it could not be confirmed.
    area = window.session_area
    assert isinstance(area, CaseArea)
    area.open_concern(forged)
    view = area.concerns.view
    assert view is not None
    qtbot.waitUntil(lambda: view.file is not None, timeout=10_000)
    assert "sender not confirmed, accepted by dana" in view.status_line.text()
    area.show_section("Home")
    idle(qtbot, window)

    # Setting aside needs a note; then the row goes.
    set_aside = visible_button(section, "Set aside…")
    assert set_aside is not None and set_aside.accessibleName() == f"Set item {damaged} aside"
    click(qtbot, set_aside)
    dialog = section.dialog
    assert isinstance(dialog, SetAsideDialog) and dialog.focusWidget() is dialog.note
    click(qtbot, dialog.confirm_button)
    assert dialog.field_errors["note"].text() == "Say briefly why you are setting it aside."
    qtbot.keyClicks(dialog.note, "Nobody here sent this; kept for the record.")
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: section.dialog is None, timeout=10_000)
    idle(qtbot, window)
    assert section.headline.text() == "No items are waiting for a decision any more"
    assert DAMAGED_SENTENCE not in shown(section)
    assert section.message.text() == "The item was set aside with your note."
    assert not home.quarantine_card.isVisible()
    session = window.session
    assert isinstance(session, CaseSession) and inbox.quarantined(session) == []
    actions = [e.action for e in audit_trail.entries(session, 20)]
    assert "quarantine_accepted" in actions and "quarantine_set_aside" in actions
    # The next refresh, with nothing left, hides the section.
    home.refresh()
    idle(qtbot, window)
    assert not section.isVisible()


# Everything at once, at 150 % text on a 1366 x 720 window ----------------------------------


@pytest.fixture
def large_text() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font, palette, sheet = QFont(app.font()), QPalette(app.palette()), app.styleSheet()
    apply_theme(app, 1.5)
    yield
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    app.setFont(font)


def test_every_alarm_at_once_fits_at_150_percent(
    qtbot: QtBot,
    store_dir: StoreFixture,
    tmp_path: Path,
    credential_store: MemoryCredentialStore,
    large_text: None,
) -> None:
    data_dir = store_dir.data_dir
    forge_items(data_dir)  # quarantined in the copy that will be put back
    older_database_put_back(data_dir, tmp_path)
    idle_lock_edited(data_dir)
    window = open_main_window(qtbot, data_dir)
    window.resize(1366, 720)
    sign_in(qtbot, window, store_dir.admin)
    home = home_of(qtbot, window)
    alarms = home.alarms
    # The credential store's anchor catches the older copy even with vault.json edited.
    assert alarms.rollback_box.isVisible() and alarms.vault_box.isVisible()
    assert home.quarantine.headline.text() == "2 items could not be accepted"
    # Putting the file back waits until the records are no longer read-only.
    assert not alarms.restore_button.isEnabled() and alarms.restore_later.isVisible()
    assert unnamed_controls(home) == []
    # Laid out (the boxes were shown by the data that just arrived).
    for label in (alarms.rollback_sentence, alarms.vault_sentence):
        qtbot.waitUntil(lambda label=label: label.height() > 0, timeout=5000)
    viewport = home.scroller.viewport().width()
    for widget in (alarms, home.quarantine, home.quarantine_card):
        assert widget.width() <= viewport
    # Every button shows its whole text; every label that does not wrap fits.
    for button in home.findChildren(QPushButton):
        if button.isVisible() and button.text():
            needed = QFontMetrics(button.font()).horizontalAdvance(button.text().replace("&", ""))
            assert button.width() >= needed, button.text()
    for label in home.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap() and label.text():
            needed = QFontMetrics(label.font()).horizontalAdvance(label.text())
            assert label.width() >= needed, label.text()
    # Each wrapped label is as tall as its text needs at its width, once the layout has
    # run again for the width it was just given (a second pass: waiting, not racing it).
    for label in (alarms.rollback_sentence, alarms.vault_sentence):
        qtbot.waitUntil(
            lambda label=label: label.height() >= label.heightForWidth(label.width()),
            timeout=5000,
        )
