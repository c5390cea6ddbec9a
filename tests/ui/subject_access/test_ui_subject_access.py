"""Subject access requests in the real window on a real store: recorded through the
dialog on the child's file, its deadline on Home, reviewed (a record withheld, a name
taken out), the response previewed and saved through the real dialogs, and then the
saved PDFs read back with pdftotext; and every screen of it at 1366x768 and 150 % text.
"""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QRect, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from casework_data import concern_data, submit
from conftest import StoreFixture
from fit_screens import problems_in, screen  # noqa: F401 (a fixture)
from safeguard_desktop.domain.children import HouseholdMember
from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.subject_access import Exemption, NewRequest, due_on
from safeguard_desktop.services import casework, children, subject_access
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.children.child_page import SUBJECT_ACCESS_TAB, ChildPage
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.subject_access.review_dialog import ReviewDialog
from safeguard_desktop.ui.widgets import screen_fit
from ui_store import case_area, idle, open_child, signed_in_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

PARTNER = "Marek Zieliński"


@pytest.fixture
def amelia(store_dir: StoreFixture) -> tuple[StoreFixture, int]:
    """Amelia's file: a concern naming her mother's partner, and him in her household."""
    store = Store.open(store_dir.data_dir)
    ref = submit(store, concern_data(observed=f"Amelia said {PARTNER} shouted at her."))
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        child_id = casework.create_child_for(session, ref, 0).id
        children.add_household_member(
            session,
            child_id,
            HouseholdMember.checked(name=PARTNER, relationship="Mother's partner"),
        )
    finally:
        session.lock()
    return store_dir, child_id


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def at_subject_access(qtbot: QtBot, window: MainWindow, child_id: int) -> ChildPage:
    page = open_child(qtbot, window, child_id)
    page.tabs.setCurrentIndex(SUBJECT_ACCESS_TAB)
    QApplication.processEvents()
    return page


def loaded_review(qtbot: QtBot, window: MainWindow, dialog: ReviewDialog | None) -> ReviewDialog:
    assert isinstance(dialog, ReviewDialog)
    qtbot.waitUntil(
        lambda: dialog.review is not None and not dialog.busy.isVisible(), timeout=10_000
    )
    idle(qtbot, window)
    return dialog


def choose_file(qtbot: QtBot, dialog: ReviewDialog, folder: Path, suggested: str) -> Path:
    """The real Save dialog: it suggests a neutral name; ``folder`` chosen, then Save."""
    qtbot.waitUntil(lambda: isinstance(dialog.file_dialog, QFileDialog), timeout=10_000)
    chooser = dialog.file_dialog
    assert isinstance(chooser, QFileDialog) and chooser.parent() is dialog
    qtbot.waitUntil(chooser.isVisible, timeout=5_000)
    assert Path(chooser.selectedFiles()[0]).name == suggested
    chooser.setDirectory(str(folder))
    chooser.selectFile(suggested)
    chooser.accept()
    qtbot.waitUntil(lambda: dialog.file_dialog is not chooser, timeout=5_000)
    return folder / suggested


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_a_request_recorded_reviewed_and_answered_through_the_screens(
    qtbot: QtBot, amelia: tuple[StoreFixture, int], tmp_path: Path
) -> None:
    fixture, child_id = amelia
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    page = at_subject_access(qtbot, window, child_id)
    tab = page.subject_access
    assert tab.none_line.isVisible()

    # Recorded through the dialog; a missing field is refused under it first.
    click(qtbot, tab.record_button)
    qtbot.waitUntil(lambda: tab.opener.record_dialog is not None, timeout=10_000)
    record = tab.opener.record_dialog
    assert record is not None
    qtbot.waitUntil(record.isVisible, timeout=5_000)
    assert record.focusWidget() is record.requester
    received = date.today() - timedelta(days=3)
    record.received_on.setDate(QDate(received.year, received.month, received.day))
    due = due_on(received)
    assert long_date(due) in record.deadline.text()
    qtbot.keyClicks(record.requester, "Joanna Kowalska")
    qtbot.keyClick(record.requester, Qt.Key.Key_Return)
    assert record.isVisible() and record.errors["relationship"].text()
    qtbot.keyClicks(record.relationship, "Mother")
    qtbot.keyClicks(record.identity, "Passport seen at reception")
    qtbot.keyClick(record.relationship, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.opener.record_dialog is None, timeout=10_000)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: len(tab.requests) == 1, timeout=10_000)
    assert tab.requests[0].requester == "Joanna Kowalska"
    assert not tab.none_line.isVisible()

    # Home shows its deadline, with a button to its review.
    area = case_area(window)
    area.show_section("Home")
    idle(qtbot, window)
    home = area.home.subject_access
    qtbot.waitUntil(home.isVisible, timeout=10_000)
    texts = [label.text() for label in home.findChildren(type(record.deadline))]
    assert f"Subject access request for Amelia Kowalska: due {long_date(due)}" in " ".join(texts)
    [review_button] = home.list.review_buttons
    click(qtbot, review_button)
    dialog = loaded_review(qtbot, window, home.opener.review_dialog)
    assert f"DUE {long_date(due)}" in dialog.due.text()

    # The household member withheld; his name taken out, typed without its accent.
    [card] = [c for c in dialog.items.cards if c.item.key.startswith("household:")] or [
        c for c in dialog.items.cards if PARTNER in c.item.heading
    ]
    key = card.item.key
    assert card.choice is not None and card.withhold_button is not None
    dialog.items_scroller.ensureWidgetVisible(card)
    qtbot.waitUntil(card.withhold_button.isVisible, timeout=5_000)
    card.choice.setCurrentIndex(card.choice.findData(Exemption.THIRD_PARTY))
    click(qtbot, card.withhold_button)
    qtbot.waitUntil(
        lambda: dialog.review is not None and key in dialog.review.withheld, timeout=10_000
    )
    idle(qtbot, window)
    assert dialog.items.card(key).release_button is not None
    qtbot.keyClicks(dialog.terms.text, "marek zielinski")
    qtbot.keyClick(dialog.terms.text, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: dialog.review is not None and len(dialog.review.terms) == 1, timeout=10_000
    )
    idle(qtbot, window)
    assert dialog.terms.list.count() == 1 and not dialog.terms.text.text()

    # The preview draws the response's pages.
    click(qtbot, dialog.preview_button)
    preview = dialog.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.loaded, timeout=20_000)
    assert preview.pages.count >= 1 and not preview.error.text()
    preview.reject()
    qtbot.waitUntil(lambda: dialog.preview is None, timeout=5_000)

    # Saved: the warning, then the two real Save dialogs.
    click(qtbot, dialog.save_button)
    box = dialog.confirm
    assert isinstance(box, QMessageBox)
    assert "NOT encrypted" in box.text() and "NEVER send" in box.text()
    [yes] = [b for b in box.buttons() if "save" in b.text().lower()]
    click(qtbot, yes)
    released_name, appendix_name = (
        f"subject-access-{dialog.request_id}-response.pdf",
        f"subject-access-{dialog.request_id}-appendix-keep.pdf",
    )
    released = choose_file(qtbot, dialog, tmp_path, released_name)
    appendix = choose_file(qtbot, dialog, tmp_path, appendix_name)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Saved."), timeout=20_000)
    idle(qtbot, window)

    sent = pdf_text(released)
    assert "[removed]" in sent and "Amelia" in sent
    assert "Marek" not in sent and "Zieli" not in sent and "Mother's partner" not in sent
    kept = pdf_text(appendix)
    assert PARTNER in kept and "never send" in kept.lower()

    # Answered: nothing more can change, Home no longer lists it, the tab says so.
    qtbot.waitUntil(lambda: dialog.answered, timeout=10_000)
    assert dialog.due.text().startswith("Answered on")
    assert not dialog.save_button.isVisible() and not dialog.terms.text.isVisible()
    assert all(card.withhold_button is None for card in dialog.items.cards)
    dialog.reject()
    qtbot.waitUntil(lambda: home.opener.review_dialog is None, timeout=5_000)
    area.show_section("Home")
    idle(qtbot, window)
    assert not home.isVisible() and home.requests == []
    page = at_subject_access(qtbot, window, child_id)
    qtbot.waitUntil(lambda: bool(page.subject_access.requests), timeout=10_000)
    assert page.subject_access.requests[0].released_at is not None


def test_home_says_overdue_in_words(qtbot: QtBot, amelia: tuple[StoreFixture, int]) -> None:
    fixture, child_id = amelia
    session = Store.open(fixture.data_dir).login(*fixture.dsl)
    assert isinstance(session, CaseSession)
    try:
        long_ago = date.today() - timedelta(days=60)
        subject_access.record_request(
            session,
            child_id,
            NewRequest.checked(
                requester="Joanna Kowalska",
                relationship="Mother",
                received_on=long_ago,
                identity_checked="Passport",
                today=date.today(),
            ),
        )
    finally:
        session.lock()
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    home = case_area(window).home.subject_access
    qtbot.waitUntil(lambda: bool(home.requests), timeout=10_000)
    labels = [label.text() for label in home.findChildren(type(home.list.review_buttons[0]))]
    assert labels == ["Review…"]
    words = " ".join(w.text() for w in home.findChildren(QWidget) if hasattr(w, "text"))
    assert "OVERDUE" in words


def test_what_goes_with_a_withheld_concern_says_so_and_offers_no_release(
    qtbot: QtBot, amelia: tuple[StoreFixture, int]
) -> None:
    """Releasing a correction alone would change nothing while its concern is withheld:
    the card says it goes with its concern and has no Release button."""
    from safeguard_desktop.domain.casework import NewAmendment

    fixture, child_id = amelia
    session = Store.open(fixture.data_dir).login(*fixture.dsl)
    assert isinstance(session, CaseSession)
    try:
        (summary,) = children.child_file(session, child_id, audit=False).concerns
        casework.amend(
            session,
            summary.ref,
            NewAmendment.checked(field="location", new_value="The car park", reason="Misheard"),
        )
        asked = subject_access.record_request(
            session,
            child_id,
            NewRequest.checked(
                requester="Joanna Kowalska", relationship="Mother", received_on=date.today(),
                identity_checked="Passport", today=date.today(),
            ),
        ).id  # fmt: skip
        subject_access.withhold(session, asked, f"concern:{summary.ref}", Exemption.SERIOUS_HARM)
    finally:
        session.lock()
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    home = case_area(window).home.subject_access
    qtbot.waitUntil(lambda: bool(home.requests), timeout=10_000)
    home.opener.open_review(asked)
    dialog = loaded_review(qtbot, window, home.opener.review_dialog)
    concern = dialog.items.card(f"concern:{summary.ref}")
    assert concern.release_button is not None
    (correction,) = [c for c in dialog.items.cards if c.item.key.startswith("amendment:")]
    assert correction.release_button is None and correction.withhold_button is None
    assert correction.state.text().startswith("Withheld with its concern: ")
    assert "Release the concern to release it." in correction.state.text()
    dialog.reject()


def test_every_subject_access_screen_fits_and_names_its_controls(
    qtbot: QtBot,
    amelia: tuple[StoreFixture, int],
    screen: tuple[str, QRect],  # noqa: F811 (the fixture imported above)
) -> None:
    fixture, child_id = amelia
    name = screen[0]
    window = signed_in_window(qtbot, fixture.data_dir, fixture.dsl)
    window.resize(screen_fit.largest_client_size(window))
    page = at_subject_access(qtbot, window, child_id)
    tab = page.subject_access
    problems = problems_in(tab, f"{name}, the Subject access tab")
    click(qtbot, tab.record_button)
    qtbot.waitUntil(lambda: tab.opener.record_dialog is not None, timeout=10_000)
    record = tab.opener.record_dialog
    assert record is not None
    qtbot.waitUntil(record.isVisible, timeout=5_000)
    problems += problems_in(record, f"{name}, Record a request")
    qtbot.keyClicks(record.requester, "Joanna Kowalska")
    qtbot.keyClicks(record.relationship, "Mother")
    qtbot.keyClicks(record.identity, "Passport seen at reception")
    click(qtbot, record.save_button)
    qtbot.waitUntil(lambda: len(tab.requests) == 1, timeout=10_000)
    qtbot.waitUntil(tab.list.review_buttons[0].isVisible, timeout=5_000)
    click(qtbot, tab.list.review_buttons[0])
    dialog = loaded_review(qtbot, window, tab.opener.review_dialog)
    largest = screen_fit.largest_client_size(window)
    if dialog.height() > largest.height() or dialog.width() > largest.width():
        problems.append(f"{name}: the review is bigger than the screen")
    problems += problems_in(dialog, f"{name}, the review")
    if not dialog.close_button.isVisible():
        problems.append(f"{name}: the review's buttons are out of view")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tab.opener.review_dialog is None, timeout=5_000)
    assert problems == [], "\n".join(problems)


def test_the_reason_chosen_is_whole_in_its_tooltip(qtbot: QtBot) -> None:
    from safeguard_desktop.domain.subject_access import Exemption
    from safeguard_desktop.ui.subject_access.review_items import exemption_choice

    combo = exemption_choice("Why withhold")
    qtbot.addWidget(combo)
    assert combo.toolTip() == Exemption.THIRD_PARTY.label
    combo.setCurrentIndex(combo.findData(Exemption.RECORDER_AT_RISK))
    assert combo.toolTip() == "Risk to the person who recorded it"
    # It asks for its longest reason's width, and gives way no further than 16 characters.
    assert combo.sizeHint().width() > combo.minimumWidth() > 0
