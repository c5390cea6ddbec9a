"""Walks the real app through setup, sign-in and the signed-in areas, saving a PNG of each.

New views are shot at the end of the walk, so the numbers of the older files never change.

    uv run python tools/screenshots.py [OUT_DIR]            # offscreen, default docs/screenshots
    xvfb-run -s "-screen 0 1366x768x24" uv run python tools/screenshots.py

Everything runs against a fresh store in a temporary folder, with fictional names. A second
pass repeats it with the app font at 150 % (into OUT_DIR/scaled-150) to catch text that is
cut off. The window is 1366 x 720: a 1366 x 768 laptop screen minus the taskbar.

After the walk, a casework tour (files named ``NN-casework-…``) signs in as the Welfare
Officer of the fictional demo store (services/demo_store.py), with one more concern about
Maya and a correction on one of Tom's concerns added through the services first: Home,
search, the Concern view, the handoff wizard, a referral PDF, a child's file, reports,
Settings and "Verify a signed PDF" on a good and a changed file. Dialogs are shot on
their own, pages as the whole window.

Last, a tamper tour (``NN-tamper-…``) on another demo store, attacked through its files
as someone sharing the PC would: two items sealed into the inbox by someone with no
account, an older cases.db put back after more was recorded, then vault.json edited.
It shows Home's alarms for a deputy and for the administrator, the items that could not
be accepted, and a recorder refused before the form opens.

Then a backup tour (``NN-backups-…``) on a fictional club's store: Home with no backup yet
and the automatic backup's quiet notice (its USB stick is out), the automatic backup made
at lock once it is back, Back up now (choosing, running, done), Home's amber and red
(the dates of the last backup set back for the picture), Settings' backup part and
"Check the records now", and on a new PC the first-run screen, "Restore from a backup",
signing in afterwards and the People page's note for accounts without a password there.
``--only backups`` shoots just this tour, numbered after the other tours' files.

Last of all, a referral tour (``NN-referral-…``) on the demo store: a child's details as
every council's referral form asks them, the LADO step, the referral dialog with each
section to copy for a council's web portal, and every page of a complete signed referral.

After that, an adults tour (``NN-adults-…``) on the demo store: the Low-level concerns
page with a pattern, the form that records one, People with a suspended account, and the
LADO step's part that suspends it.
``--only adults`` shoots just this tour, numbered after the other tours' files.

Then a tour of a child already known (``NN-known-…``) on the demo store: Home's notice
that a new concern is about a child on a plan, Maya's plans and statuses, the history of
her record, and the handoff's threshold step with the routes beside a referral.
``--only known`` shoots just this tour, numbered after the other tours' files.

Last, two siblings in one concern (``NN-siblings-…``) on a fictional primary school's
store: the handoff's "Which child is this decision for?" for the second child, the
concern page with each child's own decision and referral, what happened after the
sister's referral (acknowledged, no further action, the DSL's disagreement, the
escalation at stage 2), and her chronology.
``--only siblings`` shoots just this tour, numbered after the other tours' files.

Then recording stations (``NN-stations-…``) on the demo store: the lead's "Add a recording
station…" and its fingerprint, a second PC's first screen and its set-up from the
invitation, the station's home, a concern sent with the shared folder there and one kept
while it is away, and the lead's list of stations. ``--only stations`` shoots just this tour.

Last, files attached (``NN-attachments-…``) on the demo store: Maya's concern with the
coach's handwritten notes (the second page a phone photo, its location taken out),
"Attach a file…" with its reminder never to photograph injuries, the viewer showing the
photo, the warning before a copy is saved, Maya's Attachments tab and the GP's letter
in the viewer. ``--only attachments`` shoots just this tour.

Then keeping a child's file (``NN-retention-…``) on the demo store: Tom's file under its
legal hold (the banner and Keeping this file), "Change the review date…" on Maya's, and,
once every date in the store is moved twenty-four years back so that files fall due, Children's
"Due for review" (Tom's held file marked), the confirmation before a due file is deleted,
and the list afterwards with the sentence saying what went. ``--only retention`` shoots just
this tour.

Then a subject access request (``NN-subject-access-…``) on the demo store: "Record a
subject access request…" on Maya's file, the review with a concern withheld and her mother's
partner's name taken out, the preview of the response showing [removed], and Home's
deadline. ``--only subject_access`` shoots just this tour.

Then a child's file transferred to a new school (``NN-transfer-…``): "Transfer this child's
file…" on Maya's file (the school, how, the password to phone, the folder), the files
being made, the last step with the password for the last time and the fingerprint to read
out, her Transfers tab and the line at the top of her file, "Record the receipt…", Home's
box of transfers waiting for receipt; then, in a second data folder (a school),
"Receive a transferred file…" refusing a wrong password, the check with the fingerprint
ticked, the receipt saved and the child's Transfers tab there; and back at the club, the
receipt taken in. ``--only transfer`` shoots just this tour.
"""

from __future__ import annotations

import argparse
import functools
import gc
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path

from safeguard_desktop.services import backup, casework, children, people

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never put a device secret into the developer's real keyring from a screenshot run.
os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)

from PIL import Image, ImageDraw, ImageFont
from PySide6.QtCore import QEvent, QPoint, Qt  # imported after choosing the platform above
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QMessageBox,
    QScrollArea,
    QWidget,
    QWizard,
)

from safeguard_desktop.app import DEMO_HINT, make_application
from safeguard_desktop.domain.accounts import new_reference
from safeguard_desktop.domain.attachments import AttachmentRecord
from safeguard_desktop.domain.casework import NewAmendment
from safeguard_desktop.domain.children import HouseholdMember
from safeguard_desktop.domain.concern import CONCERN_FORMAT_VERSION, Concern
from safeguard_desktop.domain.handoff import Outcome
from safeguard_desktop.domain.organisation import OrgType, Role
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.domain.referral import InterimStep
from safeguard_desktop.domain.routes import Agency
from safeguard_desktop.domain.subject_access import Exemption
from safeguard_desktop.domain.transfer import SentHow
from safeguard_desktop.pdf.preview import render_pages
from safeguard_desktop.resource_files import resource_path
from safeguard_desktop.security import recovery_key
from safeguard_desktop.services import attachments, recording, referral, transfer_receive
from safeguard_desktop.services.demo_store import DEMO_ADMIN, DEMO_RECORDER, build_demo_store
from safeguard_desktop.services.referral import ReferralPdf
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.ui.attachments.attachment_actions import AttachmentActions
from safeguard_desktop.ui.attachments.attachment_viewer import AttachmentViewer
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.casework.action_dialog import AddActionDialog
from safeguard_desktop.ui.casework.concern_view import ConcernView
from safeguard_desktop.ui.children.child_dialogs import ChildDetailsDialog
from safeguard_desktop.ui.children.child_page import (
    HISTORY_TAB,
    KEEPING_TAB,
    STATUSES_TAB,
    SUBJECT_ACCESS_TAB,
    TRANSFERS_TAB,
    ChildPage,
)
from safeguard_desktop.ui.children.retention_dialogs import ReviewDateDialog
from safeguard_desktop.ui.handoff.handoff_parts import THRESHOLD
from safeguard_desktop.ui.handoff.handoff_wizard import HandoffWizard
from safeguard_desktop.ui.main_window import MainWindow
from safeguard_desktop.ui.recording.recorder_area import RecorderArea
from safeguard_desktop.ui.referral.referral_settings import ReferralSettings
from safeguard_desktop.ui.reports.reports_page import ReportsPage
from safeguard_desktop.ui.subject_access.review_dialog import ReviewDialog
from safeguard_desktop.ui.theme import apply_theme
from safeguard_desktop.ui.transfer.receive_dialog import ReceiveDialog
from safeguard_desktop.ui.transfer.send_dialog import TransferDialog
from safeguard_desktop.ui.widgets.page_previews import scaled_to_width
from safeguard_desktop.ui.widgets.wizard_page import bring_into_view

WIDTH, HEIGHT = 1366, 720
ADMIN_PASSWORD = "kettle river orange bicycle"  # noqa: S105 - fictional, throw-away store
RECORDER_PASSWORD = "coach-password"  # noqa: S105 - fictional, throw-away store
NEW_ADMIN_PASSWORD = "lantern meadow copper whistle"  # noqa: S105 - fictional
NEW_RECORDER_PASSWORD = "river-bench-42"  # noqa: S105 - fictional


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        QTest.qWait(20)


def settle() -> None:
    QTest.qWait(150)


class Shooter:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def shot(self, widget: QWidget, name: str) -> None:
        settle()
        self.save(widget.grab().toImage(), name)

    def save(self, image: QImage, name: str) -> None:
        self.count += 1
        path = self.out_dir / f"{self.count:02d}-{name}.png"
        image.save(str(path))
        print(path)


def click_next(wizard: QWizard) -> None:
    for which in (QWizard.WizardButton.CommitButton, QWizard.WizardButton.NextButton):
        button = wizard.button(which)
        if button.isVisible() and button.isEnabled():
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            return
    raise RuntimeError("no enabled Next button")


def walk(shooter: Shooter, data_dir: Path) -> None:
    window = MainWindow(data_dir)
    window.resize(WIDTH, HEIGHT)
    window.show()
    # The first screen (a new store or a restore) is shot in the backup tour.
    wait_until(lambda: window.first_run_page is not None)
    QTest.mouseClick(window.first_run_page.setup_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: window.wizard is not None)
    wizard = window.wizard
    assert wizard is not None

    org = wizard.organisation_page
    shooter.shot(window, "setup-welcome-empty")
    QTest.keyClicks(org.org_name, "Riverside Juniors FC")
    org.select_org_type(OrgType.CLUB)
    org.allow_guests.setChecked(True)
    org.add_contacts.setChecked(True)
    shooter.shot(window, "setup-welcome")
    click_next(wizard)

    contacts = wizard.contacts_page.form
    QTest.keyClicks(contacts.front_door, "0100 496 0000")
    QTest.keyClicks(contacts.lado, "0100 496 0001")
    shooter.shot(window, "setup-contacts")
    click_next(wizard)

    admin = wizard.admin_page
    QTest.keyClicks(admin.display_name, "Sam Taylor")
    QTest.keyClicks(admin.password, "short")
    admin.password_again.setFocus()
    QTest.keyClicks(admin.password_again, "sh")
    admin.display_name.setFocus()
    shooter.shot(window, "setup-admin-errors")
    admin.password.clear()
    admin.password_again.clear()
    QTest.keyClicks(admin.password, ADMIN_PASSWORD)
    QTest.keyClicks(admin.password_again, ADMIN_PASSWORD)
    # No credential store in a screenshot run: the warning and what to do are on this page.
    wait_until(lambda: admin.keyring_box.isVisible())
    bring_into_view(admin.keyring_box)
    shooter.shot(window, "setup-admin")
    click_next(wizard)

    key_page = wizard.key_page
    shooter.shot(window, "setup-creating")
    wait_until(lambda: wizard.made is not None)
    shooter.shot(window, "setup-created")
    bring_into_view(key_page.saved_check)
    shooter.shot(window, "setup-recovery-key")
    key_page.saved_check.setChecked(True)
    groups = wizard.recovery_groups()
    numbers = key_page.expected_group_numbers()
    wrong = groups[numbers[0] % len(groups)]  # another group: passes its check digit
    typo = groups[numbers[1] - 1][:-1] + str((int(groups[numbers[1] - 1][-1]) + 1) % 10)
    QTest.keyClicks(key_page.edits[0], wrong)
    QTest.keyClicks(key_page.edits[1], typo)
    bring_into_view(key_page.messages[1])
    shooter.shot(window, "setup-confirm-mistakes")
    key_page.edits[0].clear()
    key_page.edits[1].clear()
    QTest.keyClicks(key_page.edits[0], groups[numbers[0] - 1])
    QTest.keyClicks(key_page.edits[1], groups[numbers[1] - 1])
    bring_into_view(key_page.messages[1])
    shooter.shot(window, "setup-confirm")
    QTest.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    login = window.login_page
    wait_until(lambda: window.stack.currentWidget() is login)
    shooter.shot(window, "setup-done")
    QTest.keyClicks(login.password, ADMIN_PASSWORD)
    shooter.shot(window, "login-after-setup")
    login.password.clear()
    QTest.keyClicks(login.password, "not the password")
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    shooter.shot(window, "login-busy")
    wait_until(lambda: not login.busy)
    shooter.shot(window, "login-wrong-password")
    QTest.keyClicks(login.password, ADMIN_PASSWORD)
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    wait_until(lambda: isinstance(window.session_area, CaseArea))
    area = window.session_area
    assert isinstance(area, CaseArea)
    wait_until(lambda: not window.worker.busy)
    shooter.shot(window, "dsl-home")

    area.show_section("Audit log")
    wait_until(lambda: not window.worker.busy)
    shooter.shot(window, "dsl-audit-log")

    area.show_section("People")
    people = area.people
    assert people is not None
    people.open_add_dialog()
    dialog = people.add_dialog
    assert dialog is not None
    QTest.keyClicks(dialog.display_name, "Chris Coach")
    QTest.keyClicks(dialog.username, "chris")
    QTest.keyClicks(dialog.password, RECORDER_PASSWORD)
    shooter.shot(dialog, "people-add-dialog")
    QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: people.add_dialog is None and not window.worker.busy)
    shooter.shot(window, "people")
    people.select_username("chris")
    people.ask_remove()
    box = people.confirm_box
    assert box is not None
    shooter.shot(box, "people-remove-confirm")
    box.reject()

    area.show_section("Settings")
    shooter.shot(window, "settings")

    window.lock()
    wait_until(lambda: window.findChild(CaseArea) is None)
    shooter.shot(window, "locked")

    login.username.setText("chris")
    QTest.keyClicks(login.password, RECORDER_PASSWORD)
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    wait_until(lambda: window.session_area is not None and not window.worker.busy)
    shooter.shot(window, "recorder-area")
    record_concern(shooter, window)
    window.sign_out()
    window.close()

    demo = MainWindow(data_dir, demo_hint=DEMO_HINT)
    demo.resize(WIDTH, HEIGHT)
    demo.show()
    wait_until(lambda: demo.stack.currentWidget() is demo.login_page)
    shooter.shot(demo, "login-demo-banner")
    demo.close()

    recover_and_reset(shooter, data_dir, groups)


def recover_and_reset(shooter: Shooter, data_dir: Path, groups: list[str]) -> None:
    """The recovery-key dialog, then a new password for someone on the People page."""
    window = MainWindow(data_dir)
    window.resize(WIDTH, HEIGHT)
    window.show()
    wait_until(lambda: window.stack.currentWidget() is window.login_page)
    login = window.login_page
    login.open_recovery_dialog()
    dialog = login.recovery_dialog
    assert dialog is not None
    QTest.keyClicks(dialog.username, "sam")
    typo = groups[2][:-1] + str((int(groups[2][-1]) + 1) % 10)
    for edit, group in zip(dialog.groups, [*groups[:2], typo], strict=False):
        QTest.keyClicks(edit, group)
    shooter.shot(dialog, "recovery-key-typo")

    # A key that is well formed but is not this store's: the slow check says so.
    dialog.set_key(recovery_key.generate())
    QTest.keyClicks(dialog.password, NEW_ADMIN_PASSWORD)
    QTest.keyClicks(dialog.password_again, NEW_ADMIN_PASSWORD)
    QTest.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    shooter.shot(dialog, "recovery-key-checking")
    wait_until(lambda: not dialog.busy and not window.worker.busy)
    shooter.shot(dialog, "recovery-key-wrong")

    dialog.set_key("-".join(groups))
    QTest.keyClicks(dialog.password, NEW_ADMIN_PASSWORD)
    QTest.keyClicks(dialog.password_again, NEW_ADMIN_PASSWORD)
    dialog.error.clear_message()
    shooter.shot(dialog, "recovery-key")
    QTest.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: isinstance(window.session_area, CaseArea) and not window.worker.busy)
    shooter.shot(window, "recovery-signed-in")

    area = window.session_area
    assert isinstance(area, CaseArea) and area.people is not None
    area.show_section("People")
    people = area.people
    people.select_username("chris")
    people.open_reset_dialog()
    reset = people.reset_dialog
    assert reset is not None
    QTest.keyClicks(reset.password, NEW_RECORDER_PASSWORD)
    QTest.keyClicks(reset.password_again, NEW_RECORDER_PASSWORD)
    shooter.shot(reset, "people-reset-password")
    QTest.mouseClick(reset.set_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: people.reset_dialog is None and not window.worker.busy)
    shooter.shot(window, "people-reset-done")
    window.sign_out()
    window.close()


def record_concern(shooter: Shooter, window: MainWindow) -> None:
    """Every step of the guided concern form, as the recorder signed in to ``window``."""
    from PySide6.QtCore import QPoint

    area = window.session_area
    assert isinstance(area, RecorderArea)
    QTest.mouseClick(area.record_button, Qt.MouseButton.LeftButton)
    form = window.concern_form
    assert form is not None
    wizard = form.wizard
    wait_until(lambda: form.stack.currentWidget() is wizard)
    shooter.shot(window, "concern-danger-question")
    wizard.danger_question_page.yes.setChecked(True)
    click_next(wizard)
    shooter.shot(window, "concern-danger-call-999")
    click_next(wizard)
    children = wizard.children_page
    children.boxes[0].name.setText("Sam Example")
    children.boxes[0].age_radio.setChecked(True)
    children.boxes[0].group.setText("Under 10s")
    children.add_child()
    children.boxes[1].dob_radio.setChecked(True)
    click_next(wizard)  # the second child has no name yet: refused, said beside the field
    shooter.shot(window, "concern-children-error")
    children.boxes[1].name.setText("Zażółć Kowalska")
    click_next(wizard)
    happened = wizard.happened_page
    happened.location.setText("Changing room by the main pitch")
    facts = happened.observed
    facts.setPlainText(
        "At 10:15 I saw Sam holding his left arm. I think he was hiding it. When he "
        "rolled up his sleeve there was a round purple bruise about 3 cm across, and it "
        "probably happened at home."
    )
    shooter.shot(window, "concern-when-where")
    facts.setFocus()
    bring_into_view(happened.advice)
    shooter.shot(window, "concern-facts-underlined")
    click_next(wizard)
    wizard.words_page.child_words.setPlainText("Dad grabbed me. Don't tell him I said.")
    wizard.words_page.presentation.setPlainText("Quiet, looked at the floor, flinched.")
    wizard.words_page.marks_yes.setChecked(True)
    shooter.shot(window, "concern-child-words")
    click_next(wizard)
    editor = wizard.body_page.editor
    editor.part.setCurrentIndex(editor.part.findText("left upper arm"))
    editor.add_chosen()
    editor.note_edit(0).setPlainText("Round, purple, about 3 cm")
    canvas = editor.canvases["front"]
    rect = canvas.outline_rect()
    point = QPoint(round(rect.x() + rect.width() * 0.5), round(rect.y() + rect.height() * 0.48))
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point)
    editor.note_edit(0).setFocus()
    shooter.shot(window, "concern-body-map")
    click_next(wizard)
    wizard.actions_page.others_present.setPlainText("Coach Ben Example")
    wizard.actions_page.actions_taken.setPlainText("Listened, thanked him, came to record it.")
    wizard.actions_page.told_no.setChecked(True)
    shooter.shot(window, "concern-what-you-did")
    click_next(wizard)
    wizard.categories_page.checks["physical_abuse"].setChecked(True)
    shooter.shot(window, "concern-categories")
    click_next(wizard)
    shooter.shot(window, "concern-review")
    QTest.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_until(lambda: window.after_page is not None)
    after = window.after_page
    assert after is not None
    shooter.shot(window, "concern-what-happens-next")
    QTest.mouseClick(after.done_button, Qt.MouseButton.LeftButton)


# The lead's casework ---------------------------------------------------------------------

PDF_PASSWORD = "blue-harbour-42"  # noqa: S105 - fictional, throw-away store


@dataclass(frozen=True)
class TourData:
    """References the tour opens, found through the services before the window opens."""

    maya_again: str  # Maya's second concern: unlinked, with a strong match to her record
    tom_corrected: str  # one of Tom's concerns, with a correction under its place
    ayesha: str  # a new concern, decided in the handoff wizard
    referral: str  # Maya's drafted social care referral
    tom_id: int


def prepare_casework(data_dir: Path) -> TourData:
    """The demo store, one more concern about Maya, and a correction on one of Tom's."""
    build_demo_store(data_dir)
    store = Store.open(data_dir)
    now = datetime.now().replace(microsecond=0)
    coach = store.login(*DEMO_RECORDER)  # sent the way the coach would, signed in
    maya_again = coach.submit_concern(
        Concern.from_json(
            {
                "children": [
                    {"name": "Maya Fictional", "date_of_birth": "2015-06-14", "group": "Under 11s"}
                ],
                "occurred_at": (now - timedelta(days=2)).replace(hour=17, minute=30).isoformat(),
                "location": "Example Park, pitch 2",
                "categories": ["physical_abuse"],
                "observed": "Maya had a graze and a bruise on her right cheek at the start "
                "of training.",
                "child_words": "I don't want to talk about it.",
                "presentation": "Quiet; sat out the warm-up.",
                "others_present": "",
                "actions_taken": "Asked if she was all right, told the Welfare Officer at once.",
                "immediate_danger": False,
                "told_dsl_in_person": True,
                "body_map": [],
            },
            now=now,
        ),
    )
    coach.lock()
    session = store.login(*DEMO_ADMIN)  # signing in opens the sealed concern
    try:
        found = {s.ref: s for s in casework.search(session, SearchFilters())}
        tom = sorted(
            (s for s in found.values() if s.child_names == "Tom Example"), key=lambda s: s.ref
        )
        clothes = next(
            s.ref
            for s in tom
            if "same clothes"
            in casework.concern_file(session, s.ref, audit=False).concern.recorded.observed
        )
        casework.amend(
            session,
            clothes,
            NewAmendment.checked(
                field="location",
                new_value="Changing room in the clubhouse",
                reason="Chris Coach rang to say it was in the changing room, not the bar area.",
            ),
        )
        ayesha = next(s.ref for s in found.values() if s.child_names == "Ayesha Sample")
        maya_first = min(
            (s for s in found.values() if s.child_names == "Maya Fictional"),
            key=lambda s: s.occurred_at,
        ).ref
        # Her social care referral, answered or not (the demo records what came back).
        (referral,) = [
            r.ref for r in casework.concern_file(session, maya_first, audit=False).referrals
        ]
        tom_id = next(c.child_id for c in children.list_children(session, "Tom"))
    finally:
        session.lock()
    return TourData(maya_again, clothes, ayesha, referral, tom_id)


def idle(window: MainWindow) -> None:
    wait_until(lambda: not window.worker.busy)


def open_concern(window: MainWindow, area: CaseArea, ref: str) -> ConcernView:
    area.open_concern(ref)
    view = area.concerns.view
    assert view is not None
    wait_until(lambda: view.file is not None)
    idle(window)
    return view


def casework_tour(shooter: Shooter, root: Path) -> None:
    """The Welfare Officer's casework on the fictional demo store, page by page."""
    data_dir = root / "data"
    tour = prepare_casework(data_dir)
    window = MainWindow(data_dir)
    window.resize(WIDTH, HEIGHT)
    window.show()
    login = window.login_page
    wait_until(lambda: window.stack.currentWidget() is login)
    login.username.setText(DEMO_ADMIN[0])
    QTest.keyClicks(login.password, DEMO_ADMIN[1])
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    wait_until(lambda: isinstance(window.session_area, CaseArea))
    area = window.session_area
    assert isinstance(area, CaseArea)
    wait_until(lambda: area.home.facts is not None)
    idle(window)
    shooter.shot(window, "casework-home")

    area.show_section("Concerns")
    concerns = area.concerns
    QTest.keyClicks(concerns.search, "tom")
    concerns.categories.set_chosen(("neglect",))
    concerns.categories.changed.emit()
    wait_until(lambda: not concerns.searching)
    shooter.shot(window, "casework-concerns-search")
    concerns.clear_filters()

    open_concern(window, area, tour.maya_again)
    shooter.shot(window, "casework-concern-strong-match")

    view = open_concern(window, area, tour.tom_corrected)
    correction = next(
        frame
        for frame in view.scroller.findChildren(QFrame)
        if frame.accessibleName() == "Correction"
    )
    # The part's caption and the text as submitted above the correction, in view (once
    # the view has laid the file out and put back its own scroll position).
    settle()
    bar = view.scroller.verticalScrollBar()
    bar.setValue(correction.mapTo(view.scroller.widget(), QPoint(0, 0)).y() - 150)
    shooter.shot(window, "casework-concern-correction")

    view.open_action_dialog()
    dialog = view.dialog
    assert isinstance(dialog, AddActionDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("contacted_parent"))
    dialog.details.setPlainText("Phoned Tom's dad about the lifts and the clothes.")
    dialog.outcome.setPlainText("A neighbour will collect Tom on Tuesdays and Thursdays.")
    dialog.follow_up.setChecked(True)
    QTest.keyClicks(dialog.follow_up_what, "Check Tom is collected on time")
    shooter.shot(dialog, "casework-add-action")
    dialog.reject()
    idle(window)

    view = open_concern(window, area, tour.ayesha)
    QTest.mouseClick(view.handoff_button, Qt.MouseButton.LeftButton)
    wizard = area.findChild(HandoffWizard)
    assert wizard is not None
    wait_until(lambda: wizard.summary is not None)
    idle(window)
    shooter.shot(wizard, "casework-handoff-danger")
    click_next(wizard)
    click_next(wizard)
    wizard.threshold_page.choose(Outcome.MONITOR)
    reason = wizard.threshold_page.reason
    reason.setFocus()
    QTest.keyClicks(
        reason,
        "Online bullying by another player; her parents know and the team has been spoken "
        "to. No harm at home. Monitor and check in with Ayesha each week.",
    )
    bring_into_view(reason)  # at 150 % text the reason is below the choices
    shooter.shot(wizard, "casework-handoff-threshold")
    click_next(wizard)
    click_next(wizard)  # Record the decision
    wait_until(lambda: wizard.handoff_result is not None)
    idle(window)
    shooter.shot(wizard, "casework-handoff-recorded")
    QTest.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    idle(window)

    maker = area.open_referral(tour.referral)
    wait_until(lambda: maker.record is not None)
    idle(window)
    maker.protect.setChecked(True)
    QTest.keyClicks(maker.password, PDF_PASSWORD)
    QTest.keyClicks(maker.password_again, PDF_PASSWORD)
    QTest.mouseClick(maker.make_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: maker.made is not None)
    idle(window)
    shooter.shot(maker, "casework-referral-made")
    maker.reject()
    idle(window)

    area.show_section("Children")
    children = area.children_page
    wait_until(lambda: not children.model.fetching and children.model.rowCount() > 0)
    shooter.shot(window, "casework-children")

    children.open_child(tour.tom_id)
    child = children.child_page
    assert child is not None
    wait_until(lambda: child.loaded)
    idle(window)
    chronology = child.chronology
    repeated = next(
        row
        for row in range(chronology.row_count())
        if any(mark.startswith("Repeated") for mark in chronology.model.marks(row))
    )
    chronology.table.selectRow(repeated)
    shooter.shot(window, "casework-child-chronology")
    child.tabs.setCurrentWidget(child.household_tab)
    shooter.shot(window, "casework-child-household")

    area.show_section("Reports")
    idle(window)
    shooter.shot(window, "casework-reports-by-month")
    reports = area.findChild(ReportsPage)
    assert reports is not None
    reports.by_term.setChecked(True)
    QTest.qWait(500)  # the report is asked for after a short pause, on the worker
    idle(window)
    shooter.shot(window, "casework-reports-by-term")

    area.show_section("Settings")
    idle(window)
    settings = area.settings
    scroller = settings.findChild(QScrollArea)
    assert scroller is not None
    top = settings.referrals.mapTo(scroller.widget(), QPoint(0, 0)).y()
    scroller.verticalScrollBar().setValue(top - 20)
    shooter.shot(window, "casework-settings-signing")

    verify_pdfs(shooter, window, settings.referrals, tour.referral, root)
    window.sign_out()
    window.close()


def verify_pdfs(
    shooter: Shooter, window: MainWindow, referrals: ReferralSettings, ref: str, root: Path
) -> None:
    """A referral PDF made through the services, checked as it is and with one byte changed."""
    session = window.session
    assert isinstance(session, CaseSession)
    made: list[ReferralPdf] = []
    window.worker.submit(referral.make_referral_pdf, session, ref, on_done=made.append)
    wait_until(lambda: bool(made))
    good, tampered = root / "referral.pdf", root / "referral-changed.pdf"
    good.write_bytes(made[0].pdf)
    tampered.write_bytes(flip_signed_byte(made[0].pdf))

    dialog = referrals.open_verify()
    for path, name in ((good, "casework-verify-good"), (tampered, "casework-verify-tampered")):
        dialog.check_file(path)
        wait_until(lambda: dialog.checked is not None)
        idle(window)
        shooter.shot(dialog, name)
    dialog.reject()


def flip_signed_byte(pdf: bytes) -> bytes:
    """The PDF with one byte changed inside the part its signature covers."""
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", pdf)
    assert match is not None
    position = pdf.index(b"stream\n", int(match.group(1))) + len(b"stream\n") + 20
    changed = bytearray(pdf)
    changed[position] ^= 0x01
    return bytes(changed)


# The tamper tour ----------------------------------------------------------------------

DEPUTY = ("deputy", "deputy-password-1")


def _sign_in(window: MainWindow, who: tuple[str, str]) -> None:
    login = window.login_page
    wait_until(lambda: window.stack.currentWidget() is login)
    login.username.setText(who[0])
    login.password.setText(who[1])
    login.sign_in()
    wait_until(lambda: window.session_area is not None)
    idle(window)


def _lead_window(data_dir: Path, who: tuple[str, str]) -> tuple[MainWindow, CaseArea]:
    """The window on ``data_dir``, shown at the screenshots' size, a lead signed in."""
    window = MainWindow(data_dir)
    window.resize(WIDTH, HEIGHT)
    window.show()
    _sign_in(window, who)
    area = window.session_area
    assert isinstance(area, CaseArea)
    return window, area


def _open_child(area: CaseArea, child_id: int) -> ChildPage:
    """A child's file opened from the Children section, as the lead opens it, once read."""
    area.show_section("Children")
    children_page = area.children_page
    wait_until(lambda: not children_page.model.fetching and children_page.model.rowCount() > 0)
    children_page.open_child(child_id)
    child = children_page.child_page
    assert child is not None
    wait_until(lambda: child.loaded)
    return child


def _lead_sign_in_and_lock(data_dir: Path, who: tuple[str, str]) -> None:
    Store.open(data_dir).login(*who).lock()


def _edit_vault_file(data_dir: Path) -> None:
    """Automatic locking turned off in vault.json, its checksum recomputed (anyone can)."""
    path = data_dir / "vault.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("checksum", None)
    data["settings"]["idle_lock_minutes"] = 100_000
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    data["checksum"] = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def prepare_tamper(data_dir: Path, aside: Path) -> None:
    """The demo store with a deputy, two forged inbox items, and an older cases.db put back."""
    build_demo_store(data_dir)
    store = Store.open(data_dir)
    admin = store.login(*DEMO_ADMIN)
    people.add_user(admin, DEPUTY[0], "Dee Deputy", Role.DSL, DEPUTY[1])  # type: ignore[arg-type]
    admin.lock()
    # A concern claiming to be the coach's, sealed by someone without his key, and an
    # item that is not a sealed box at all: both are public-key operations.
    now = datetime.now().replace(microsecond=0)
    forged = {
        "children": [{"name": "Ayesha Sample", "group": "Under 12s"}],
        "occurred_at": (now - timedelta(days=1)).isoformat(),
        "location": "Car park",
        "categories": ["emotional_abuse"],
        "observed": "Saw a parent shouting at Ayesha after the match.",
        "child_words": "",
        "presentation": "",
        "others_present": "",
        "actions_taken": "",
        "immediate_danger": False,
        "told_dsl_in_person": False,
        "body_map": [],
    }
    recording._seal(  # the attack: no sender key, only the inbox's public key
        store,
        "concern",
        {
            "format": recording.PAYLOAD_FORMAT,
            "kind": "concern",
            "version": CONCERN_FORMAT_VERSION,
            "submitted_at": now.astimezone().isoformat(),
            "submitter": {"name": "Chris Coach", "role": "recorder", "username": "coach"},
            "concern": Concern.from_json(forged, now=now).to_json(),
        },
    )
    store.inbox.put(
        new_reference("C"),
        "concern",
        now.astimezone().isoformat(),
        store.vault.inbox_public_key,
        b"\x00" * 80,
    )
    _lead_sign_in_and_lock(data_dir, DEMO_ADMIN)  # takes them in: both are kept aside
    aside.mkdir(parents=True)
    for name in ("cases.db", "cases.db-wal"):
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, aside / name)
    coach = store.login(*DEMO_RECORDER)
    coach.submit_concern(Concern.from_json({**forged, "observed": "Later concern."}, now=now))
    coach.lock()
    _lead_sign_in_and_lock(data_dir, DEMO_ADMIN)
    for name in ("cases.db", "cases.db-wal", "cases.db-shm", "cases.db.closed"):
        (data_dir / name).unlink(missing_ok=True)
    for name in ("cases.db", "cases.db-wal"):
        if (aside / name).exists():
            shutil.copy2(aside / name, data_dir / name)


def tamper_tour(shooter: Shooter, root: Path) -> None:
    """Home's alarms, the items that could not be accepted, and a recorder refused."""
    data_dir = root / "data"
    prepare_tamper(data_dir, root / "aside")
    window, area = _lead_window(data_dir, DEPUTY)
    wait_until(lambda: area.home.facts is not None)
    idle(window)
    shooter.shot(window, "tamper-home-older-records-deputy")
    window.sign_out()
    idle(window)

    _sign_in(window, DEMO_ADMIN)
    area = window.session_area
    assert isinstance(area, CaseArea)
    home = area.home
    wait_until(lambda: home.facts is not None)
    idle(window)
    shooter.shot(window, "tamper-home-older-records-admin")
    home.alarms.open_accept_dialog()
    dialog = home.alarms.accept_dialog
    assert dialog is not None
    shooter.shot(dialog, "tamper-accept-older-records")
    QTest.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: home.alarms.accept_dialog is None)
    idle(window)
    settle()
    home.scroller.ensureWidgetVisible(home.quarantine.card, 0, 0)
    shooter.shot(window, "tamper-home-items-not-accepted")
    entries = home.quarantine.entries
    home.quarantine.open_set_aside_dialog(next(e for e in entries if not e.can_accept))
    set_aside = home.quarantine.dialog
    assert set_aside is not None
    QTest.keyClicks(set_aside.note, "Nobody here made this; kept for the record.")  # type: ignore[union-attr]
    shooter.shot(set_aside, "tamper-set-aside")
    set_aside.reject()
    home.quarantine.open_accept_dialog(next(e for e in entries if e.can_accept))
    accept = home.quarantine.dialog
    assert accept is not None
    shooter.shot(accept, "tamper-accept-unverified")
    accept.reject()
    idle(window)
    window.sign_out()
    idle(window)

    _edit_vault_file(data_dir)
    _sign_in(window, DEMO_RECORDER)
    recorder = window.session_area
    assert isinstance(recorder, RecorderArea)
    wait_until(lambda: recorder.refusal.isVisible())
    shooter.shot(window, "tamper-recorder-area")
    window.open_concern_form()  # as a click before the area's own check had answered
    form = window.concern_form
    assert form is not None
    wait_until(lambda: form.stack.currentWidget() is form.refused_page)
    shooter.shot(window, "tamper-recording-refused")
    QTest.mouseClick(form.refused_page.back_button, Qt.MouseButton.LeftButton)
    window.sign_out()
    idle(window)

    _sign_in(window, DEMO_ADMIN)
    area = window.session_area
    assert isinstance(area, CaseArea)
    home = area.home
    wait_until(lambda: home.facts is not None)
    idle(window)
    shooter.shot(window, "tamper-home-settings-changed")
    QTest.mouseClick(home.alarms.restore_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: not home.alarms.vault_box.isVisible())
    idle(window)
    shooter.shot(window, "tamper-home-settings-restored")
    window.sign_out()
    window.close()


# The backup tour ----------------------------------------------------------------------

BACKUP_ADMIN = ("sam", ADMIN_PASSWORD)
BACKUP_DSL = ("jo", "jo-lead-password-1")


def prepare_backups(data_dir: Path, stick: Path) -> str:
    """A fictional club with two concerns, automatic backups into ``stick`` (which is
    then taken out); returns the recovery key."""
    from safeguard_desktop.domain.organisation import LocalContacts
    from safeguard_desktop.security.kdf import KdfParams
    from safeguard_desktop.services.backup import AutoBackupSettings
    from safeguard_desktop.services.setup import SetupRequest, create_store

    result = create_store(
        data_dir,
        SetupRequest(
            org_name="Riverside Juniors FC",
            org_type=OrgType.CLUB,
            admin_username=BACKUP_ADMIN[0],
            admin_display_name="Sam Taylor",
            admin_password=BACKUP_ADMIN[1],
            contacts=LocalContacts(front_door="0100 496 0000", lado="0100 496 0001"),
        ),
        kdf=KdfParams(),
    )
    store = result.store
    now = datetime.now().replace(microsecond=0)
    session = store.login(*BACKUP_ADMIN)
    try:
        people.add_user(session, BACKUP_DSL[0], "Jo Lead", Role.DSL, BACKUP_DSL[1])  # type: ignore[arg-type]
        people.add_user(session, "chris", "Chris Coach", Role.RECORDER, RECORDER_PASSWORD)  # type: ignore[arg-type]
        stick.mkdir(parents=True)
        backup.set_automatic_backups(session, AutoBackupSettings(str(stick)))  # type: ignore[attr-defined]
    finally:
        session.lock()
    stick.rmdir()  # the USB stick is taken out
    coach = store.login("chris", RECORDER_PASSWORD)
    for days, name, observed in (
        (3, "Maya Fictional", "Maya had a bruise on her right cheek at the start of training."),
        (1, "Tom Example", "Tom came to training in the same clothes for the third week."),
    ):
        coach.submit_concern(
            Concern.from_json(
                {
                    "children": [{"name": name, "group": "Under 11s"}],
                    "occurred_at": (now - timedelta(days=days)).replace(hour=17).isoformat(),
                    "location": "Example Park, pitch 2",
                    "categories": ["neglect"],
                    "observed": observed,
                    "child_words": "",
                    "presentation": "Quiet.",
                    "others_present": "",
                    "actions_taken": "Told the Welfare Officer at once.",
                    "immediate_danger": False,
                    "told_dsl_in_person": True,
                    "body_map": [],
                },
                now=now,
            )
        )
    coach.lock()
    return result.recovery_key


def _show_backups_on_home(area: CaseArea) -> None:
    home = area.home
    wait_until(lambda: home.backups.facts is not None)
    settle()
    home.scroller.ensureWidgetVisible(home.backups, 0, 0)


def backup_tour(shooter: Shooter, root: Path) -> None:
    """Back up now, automatic backups, the check, and restoring on a new PC."""
    # Where a Linux desktop mounts USB sticks, more or less: paths a club would recognise.
    media = Path(tempfile.gettempdir()) / "media" / "sam"
    shutil.rmtree(media, ignore_errors=True)
    data_dir, stick, usb = root / "data", media / "BACKUP", media / "KINGSTON"
    try:
        _backup_tour(shooter, root, data_dir, stick, usb)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def _backup_tour(shooter: Shooter, root: Path, data_dir: Path, stick: Path, usb: Path) -> None:
    from safeguard_desktop.services.backup import LastBackup
    from safeguard_desktop.ui.backups.backup_folder import SuggestedFolder
    from safeguard_desktop.ui.backups.backup_status import BackupFacts

    key = prepare_backups(data_dir, stick)
    window, area = _lead_window(data_dir, BACKUP_ADMIN)
    wait_until(lambda: area.home.backups.notice.text() != "")
    _show_backups_on_home(area)
    shooter.shot(window, "backups-home-none")

    stick.mkdir()  # the stick is back: the lock makes the automatic backup, then locks
    window.lock()
    wait_until(lambda: "Automatic backup" in window.login_page.notice.text())
    idle(window)
    shooter.shot(window, "backups-locked-after-automatic")

    _sign_in(window, BACKUP_ADMIN)
    area = window.session_area
    assert isinstance(area, CaseArea)
    _show_backups_on_home(area)
    shooter.shot(window, "backups-home-today")

    usb.mkdir()
    dialog = area.home.backups.open_dialog()
    assert dialog is not None
    dialog.use_folder(SuggestedFolder(usb, True, "KINGSTON"))
    shooter.shot(dialog, "backups-backup-now")
    gate = threading.Event()
    window.worker.submit(gate.wait, 30)  # holds the worker so the bar is seen at its start
    QTest.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    shooter.shot(dialog, "backups-backing-up")
    gate.set()
    wait_until(lambda: dialog.report is not None)
    idle(window)
    shooter.shot(dialog, "backups-backup-made")
    dialog.accept()
    idle(window)

    # Amber and red: the same box with the last backup's date set back for the picture.
    backups = area.home.backups
    facts = backups.facts
    assert facts is not None and facts.last is not None
    for days, name in ((9, "backups-home-amber"), (41, "backups-home-red")):
        made = facts.last.made_at - timedelta(days=days)
        path = facts.last.path.replace(
            facts.last.made_at.date().isoformat(), made.date().isoformat()
        )
        older = LastBackup(made, path, True)
        backups.show_facts(BackupFacts(older, facts.automatic, None))
        _show_backups_on_home(area)
        shooter.shot(window, name)
    backups.refresh()
    idle(window)

    area.show_section("Settings")
    idle(window)
    part = area.settings.backups
    settle()
    scroller = part.parentWidget()
    while scroller is not None and not isinstance(scroller, QScrollArea):
        scroller = scroller.parentWidget()
    assert isinstance(scroller, QScrollArea)
    scroller.ensureWidgetVisible(part, 0, 0)
    settle()
    bar = scroller.verticalScrollBar()
    bar.setValue(part.mapTo(scroller.widget(), QPoint(0, 0)).y() - 10)
    shooter.shot(window, "backups-settings")
    QTest.mouseClick(part.check_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: part.check_result.text() != "")
    idle(window)
    scroller.ensureWidgetVisible(part.check_result, 0, 40)
    shooter.shot(window, "backups-settings-checked")
    window.sign_out()
    idle(window)
    window.close()
    collect_closed_windows()

    # A new PC: the first-run screen, then "Restore from a backup".
    new_pc = root / "new-pc" / "Safeguard Desktop"
    window = MainWindow(new_pc)
    window.resize(WIDTH, HEIGHT)
    window.show()
    wait_until(lambda: window.first_run_page is not None)
    shooter.shot(window, "backups-first-run")
    first = window.first_run_page
    assert first is not None
    QTest.mouseClick(first.restore_button, Qt.MouseButton.LeftButton)
    page = window.restore_page
    assert page is not None
    report = dialog.report
    assert report is not None
    page.use_file(report.path)
    page.key_entry.set_key(key)
    QTest.keyClicks(page.username, BACKUP_ADMIN[0])
    QTest.keyClicks(page.passwords.password, NEW_ADMIN_PASSWORD)
    QTest.keyClicks(page.passwords.password_again, NEW_ADMIN_PASSWORD)
    page.key_entry.groups[0].setFocus()
    shooter.shot(window, "backups-restore")
    gate = threading.Event()
    window.worker.submit(gate.wait, 30)
    QTest.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    shooter.shot(window, "backups-restoring")
    gate.set()
    login = window.login_page
    wait_until(lambda: window.stack.currentWidget() is login)
    idle(window)
    shooter.shot(window, "backups-restored-sign-in")
    _sign_in(window, (BACKUP_ADMIN[0], NEW_ADMIN_PASSWORD))
    area = window.session_area
    assert isinstance(area, CaseArea)
    _show_backups_on_home(area)
    shooter.shot(window, "backups-restored-home")
    area.show_section("People")
    idle(window)
    shooter.shot(window, "backups-restored-people")
    window.sign_out()
    idle(window)
    window.close()


def _numbered_before_adults(out_dir: Path) -> int:
    """The highest number of the other tours' files, so --only adults numbers after it."""
    numbers = [
        int(path.name.split("-", 1)[0])
        for path in out_dir.glob("[0-9]*-*.png")  # 2 digits or more: past 99 too
        if "-adults-" not in path.name
    ]
    return max(numbers, default=0)


def _numbered_before_backups(out_dir: Path) -> int:
    """The highest number of the tours' files before it, so --only backups numbers after it."""
    numbers = [
        int(path.name.split("-", 1)[0])
        for path in out_dir.glob("[0-9]*-*.png")  # 2 digits or more: past 99 too
        if "-backups-" not in path.name and "-referral-" not in path.name
    ]
    return max(numbers, default=0)


# --- a complete referral -----------------------------------------------------------------


def referral_tour(shooter: Shooter, root: Path) -> None:
    """A complete referral on the demo store (``NN-referral-…``), shot after the backups so
    no other file's number changes: a child's details as every council's form asks them,
    the LADO step, the referral dialog with its sections to copy, then each page of the
    signed referral before a baby's birth (999 call, parents' views, the marked box)."""
    data_dir = root / "data"
    build_demo_store(data_dir)
    session = Store.open(data_dir).login(*DEMO_ADMIN)
    try:
        found = {s.child_names: s.ref for s in casework.search(session, SearchFilters())}
        leo = found["Leo Sample"]
        baby = found["Baby Fictional (not born yet)"]
        (pre_birth,) = [r.ref for r in casework.concern_file(session, baby, audit=False).referrals]
        maya = next(c.child_id for c in children.list_children(session, "Maya"))
        made = referral.make_referral_pdf(session, pre_birth)
    finally:
        session.lock()

    window = MainWindow(data_dir)
    window.resize(WIDTH, HEIGHT)
    window.show()
    login = window.login_page
    wait_until(lambda: window.stack.currentWidget() is login)
    login.username.setText(DEMO_ADMIN[0])
    QTest.keyClicks(login.password, DEMO_ADMIN[1])
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    wait_until(lambda: isinstance(window.session_area, CaseArea))
    area = window.session_area
    assert isinstance(area, CaseArea)
    idle(window)

    child = _open_child(area, maya)
    idle(window)
    QTest.mouseClick(child.edit_button, Qt.MouseButton.LeftButton)
    details = child.dialog
    assert isinstance(details, ChildDetailsDialog)
    wait_until(details.isVisible)
    # From the religion down: what the referral's child section prints beyond the basics.
    top = details.religion.mapTo(details.scroller.widget(), QPoint(0, 0)).y()
    details.scroller.verticalScrollBar().setValue(top - 40)
    shooter.shot(details, "referral-child-details")
    details.reject()
    idle(window)

    view = open_concern(window, area, leo)
    QTest.mouseClick(view.handoff_button, Qt.MouseButton.LeftButton)
    wizard = area.findChild(HandoffWizard)
    assert wizard is not None
    wait_until(lambda: wizard.summary is not None)
    idle(window)
    click_next(wizard)  # no immediate danger
    click_next(wizard)  # an allegation about an adult, as recorded
    lado = wizard.lado_page
    lado.adult_name.setText("Alex Helper (demo)")
    lado.adult_role.setText("Assistant coach, Under 9s")
    lado.basis.setCurrentIndex(lado.basis.findData("volunteer"))
    lado.other_work.setPlainText("Helps at a holiday football camp (fictional).")
    lado.own_children.setPlainText("Two children at primary school (fictional).")
    lado.aware.setCurrentIndex(2)
    lado.allegation.setPlainText("Grabbed Leo by the upper arm and pulled him off the pitch.")
    lado.raised_by.setPlainText("Chris Coach, the head coach, saw it and told me that evening.")
    lado.interim_buttons[InterimStep.SUSPENDED].setChecked(True)
    lado.interim_reason.setPlainText("To keep the players safe until the LADO advises.")
    bring_into_view(lado.interim_reason)
    shooter.shot(wizard, "referral-handoff-lado")
    QWizard.reject(wizard)  # nothing recorded: the demo has this decision already
    idle(window)

    maker = area.open_referral(pre_birth)
    wait_until(lambda: maker.record is not None)
    idle(window)
    QTest.mouseClick(maker.make_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: maker.made is not None)
    idle(window)
    bring_into_view(maker.sections.buttons[-1])
    shooter.shot(maker, "referral-sections-to-copy")
    maker.reject()
    idle(window)
    window.sign_out()
    idle(window)
    window.close()

    for number, page in enumerate(render_pages(made.pdf, PAGE_WIDTH), start=1):
        shooter.save(scaled_to_width(page, page.width), f"referral-page-{number}")


# Wide enough to read in the README at full size.
PAGE_WIDTH = 1_000


# --- allegations about adults: suspension and the low-level concerns log ------------------


def adults_tour(shooter: Shooter, root: Path) -> None:
    """On the demo store (``NN-adults-…``), shot last so no other file's number changes:
    the Low-level concerns page with the assistant coach's pattern, the form that records
    one, and People with his account suspended."""
    data_dir = root / "data"
    build_demo_store(data_dir)
    window = MainWindow(data_dir)
    window.resize(WIDTH, HEIGHT)
    window.show()
    login = window.login_page
    wait_until(lambda: window.stack.currentWidget() is login)
    login.username.setText(DEMO_ADMIN[0])
    QTest.keyClicks(login.password, DEMO_ADMIN[1])
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    wait_until(lambda: isinstance(window.session_area, CaseArea))
    area = window.session_area
    assert isinstance(area, CaseArea)
    idle(window)

    area.show_section("Low-level log")
    page = area.low_level
    wait_until(lambda: page.log is not None)
    idle(window)
    shooter.shot(window, "adults-low-level-concerns")
    QTest.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None
    wait_until(dialog.isVisible)
    QTest.keyClicks(dialog.adult_name, "Jo Steward (demo)")
    QTest.keyClicks(dialog.adult_role, "Match-day volunteer")
    dialog.what_happened.setPlainText(
        "Told a player he was obviously lazy in front of his team-mates after the match."
    )
    dialog.action_taken.setPlainText("Spoke to her about how we talk to players.")
    shooter.shot(dialog, "adults-record-low-level-concern")
    dialog.reject()
    idle(window)

    area.show_section("People")
    people = area.people
    assert people is not None
    people.select_username("alexh")
    idle(window)
    shooter.shot(window, "adults-account-suspended")

    # The LADO step's account part, on the allegation about him (suspended already).
    leo = next(
        s.ref
        for s in casework.search(area.session, SearchFilters())
        if s.child_names == "Leo Sample"
    )
    view = open_concern(window, area, leo)
    QTest.mouseClick(view.handoff_button, Qt.MouseButton.LeftButton)
    wizard = area.findChild(HandoffWizard)
    assert wizard is not None
    wait_until(lambda: wizard.summary is not None)
    idle(window)
    click_next(wizard)  # no immediate danger
    click_next(wizard)  # an allegation about an adult, as recorded
    lado = wizard.lado_page
    lado.adult_name.setText("Alex Helper (demo)")
    row = next(i for i in range(lado.account.count()) if "(alexh," in lado.account.itemText(i))
    lado.account.setCurrentIndex(row)
    bring_into_view(lado.account_message)
    bring_into_view(lado.suspend_button)
    shooter.shot(wizard, "adults-lado-account")
    QWizard.reject(wizard)  # nothing recorded
    idle(window)
    window.sign_out()
    idle(window)
    window.close()


def _numbered_before(out_dir: Path, tour: str) -> int:
    """The highest number of the other tours' files, so --only TOUR numbers after it."""
    numbers = [
        int(path.name.split("-", 1)[0])
        for path in out_dir.glob("[0-9]*-*.png")  # 2 digits or more: past 99 too
        if f"-{tour}-" not in path.name
    ]
    return max(numbers, default=0)


def known_tour(shooter: Shooter, root: Path) -> None:
    """On the demo store (``NN-known-…``): Home's notices, a child's statuses and history,
    and the routes on the threshold step. Shot last, so no other file's number changes."""
    data_dir = root / "data"
    build_demo_store(data_dir)
    window = MainWindow(data_dir)
    window.resize(WIDTH, HEIGHT)
    window.show()
    login = window.login_page
    wait_until(lambda: window.stack.currentWidget() is login)
    login.username.setText(DEMO_ADMIN[0])
    QTest.keyClicks(login.password, DEMO_ADMIN[1])
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    wait_until(lambda: isinstance(window.session_area, CaseArea))
    area = window.session_area
    assert isinstance(area, CaseArea)
    idle(window)
    home = area.home
    wait_until(home.notices.isVisible)
    idle(window)
    bring_into_view(home.notices)
    shooter.shot(window, "known-home-open-plan")

    maya = next(
        c.child_id
        for c in children.list_children(area.session)
        if c.details.name == "Maya Fictional"
    )
    child = _open_child(area, maya)
    child.tabs.setCurrentIndex(STATUSES_TAB)
    idle(window)
    bring_into_view(child.tabs)
    shooter.shot(window, "known-child-statuses")
    child.tabs.setCurrentIndex(HISTORY_TAB)
    idle(window)
    shooter.shot(window, "known-child-history")

    ref = next(
        s.ref
        for s in casework.search(area.session, SearchFilters())
        if s.child_names == "Maya Fictional"
    )
    view = open_concern(window, area, ref)
    QTest.mouseClick(view.handoff_button, Qt.MouseButton.LeftButton)
    wizard = area.findChild(HandoffWizard)
    assert wizard is not None
    wait_until(lambda: wizard.summary is not None)
    idle(window)
    click_next(wizard)  # no immediate danger
    if wizard.currentId() != THRESHOLD:
        click_next(wizard)  # no allegation about an adult
    threshold = wizard.threshold_page
    threshold.choose(Outcome.POLICE)
    routes = threshold.routes_box
    routes.crime_reference.setText("CR/0000/1 (fictional)")
    routes.officer.setText("PC Example (fictional)")
    routes.agencies[Agency.GP][0].setChecked(True)
    idle(window)
    bring_into_view(routes.police_box)
    shooter.shot(wizard, "known-handoff-police-route")
    QWizard.reject(wizard)  # nothing recorded
    idle(window)
    window.sign_out()
    idle(window)
    window.close()


# --- two siblings, from the concern to an escalation --------------------------------------

SIBLINGS_DSL = ("lead", "brook-lane-lead-1")  # fictional, throw-away store
SIBLINGS_TEACHER = ("teacher", "brook-lane-teacher-1")  # fictional, throw-away store


@dataclass(frozen=True)
class SiblingsData:
    """What the siblings tour opens, found through the services before the window opens."""

    ref: str  # the concern naming both children
    referral: str  # Ella's referral to children's social care
    ella_id: int


def prepare_siblings(data_dir: Path) -> SiblingsData:
    """A fictional primary school: a teacher's concern about a sister and her younger brother,
    both linked to their records; the sister referred to children's social care, who
    acknowledged it and decided no further action, which the DSL challenged at stage 1 and
    then raised to stage 2. Her brother has no decision yet: the tour makes it in the wizard."""
    from dataclasses import replace

    from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
    from safeguard_desktop.domain.children import ChildDetails, HouseholdMember
    from safeguard_desktop.domain.handoff import Consent, HandoffDecision, InformationSharing
    from safeguard_desktop.domain.lawful_basis import lawful_basis_for
    from safeguard_desktop.domain.organisation import LocalContacts
    from safeguard_desktop.domain.referral import ReferralKind
    from safeguard_desktop.domain.referral_outcome import (
        Acknowledgement,
        AgencyOutcome,
        EscalationStage,
        NewEscalation,
        NewOutcome,
    )
    from safeguard_desktop.security.kdf import KdfParams
    from safeguard_desktop.services import after_referral
    from safeguard_desktop.services.handoff import record_handoff, referral_prefill
    from safeguard_desktop.services.referral import set_organisation_contact, set_referrer_contact
    from safeguard_desktop.services.setup import SetupRequest, create_store

    result = create_store(
        data_dir,
        SetupRequest(
            org_name="Brook Lane Primary School (fictional)",
            org_type=OrgType.SCHOOL,
            admin_username=SIBLINGS_DSL[0],
            admin_display_name="Priya Lead",
            admin_password=SIBLINGS_DSL[1],
            contacts=LocalContacts(
                front_door="0100 496 0100 (fictional)", lado="0100 496 0101 (fictional)"
            ),
        ),
        kdf=KdfParams(),
    )
    store = result.store
    session = store.login(*SIBLINGS_DSL)
    try:
        people.add_user(
            session,  # type: ignore[attr-defined]
            SIBLINGS_TEACHER[0],
            "Tom Teacher",
            Role.RECORDER,
            SIBLINGS_TEACHER[1],
        )
    finally:
        session.lock()
    now = datetime.now().replace(microsecond=0)
    teacher = store.login(*SIBLINGS_TEACHER)  # sent the way the teacher would, signed in
    teacher.submit_concern(
        Concern.from_json(
            {
                "children": [
                    {"name": "Ella Brook", "date_of_birth": "2016-03-09", "group": "Year 5"},
                    {"name": "Finn Brook", "date_of_birth": "2019-11-21", "group": "Year 2"},
                ],
                "occurred_at": now.replace(hour=9, minute=15).isoformat()
                if now.hour >= 10
                else (now - timedelta(days=1)).replace(hour=9, minute=15).isoformat(),
                "location": "Year 5 classroom, then the Year 2 cloakroom",
                "categories": ["physical_abuse", "domestic_abuse"],
                "observed": "When Ella rolled up her sleeves for art I saw four small round "
                "bruises in a row on her upper left arm. At break her brother Finn, who was "
                "waiting for her in the cloakroom, told me something about home.",
                "child_words": "Ella: \u201cI bumped it.\u201d Finn: \u201cMum's friend shouts "
                "at Ella and grabs her. I hide under my bed.\u201d",
                "presentation": "Ella pulled her sleeve down quickly. Finn was calm and "
                "went back to play.",
                "others_present": "Teaching assistant (fictional)",
                "actions_taken": "Listened, did not ask leading questions, told the DSL in "
                "person before the end of break.",
                "immediate_danger": False,
                "told_dsl_in_person": True,
                "body_map": [],
            },
            now=now,
        )
    )
    teacher.lock()
    session = store.login(*SIBLINGS_DSL)  # signing in opens the sealed concern
    try:
        set_organisation_contact(
            session, "Brook Lane Primary School, Brook Lane (fictional); 0100 496 0102"
        )
        set_referrer_contact(session, "0100 496 0103 (fictional); dsl@example.invalid")
        (ref,) = [s.ref for s in casework.search(session, SearchFilters())]
        ella = casework.create_child_for(session, ref, 0).id
        finn = casework.create_child_for(session, ref, 1).id
        for child, name, born, group, sibling in (
            (ella, "Ella Brook", datetime(2016, 3, 9).date(), "Year 5", ("Finn Brook", "Brother")),
            (finn, "Finn Brook", datetime(2019, 11, 21).date(), "Year 2", ("Ella Brook", "Sister")),
        ):
            children.update_child(
                session,
                child,
                ChildDetails.checked(
                    name=name,
                    date_of_birth=born,
                    language="English",
                    group=group,
                    address="4 Brook Lane (fictional)",
                    lives_with="Their mother, Kate Brook, and her partner",
                ),
            )
            children.add_household_member(
                session,
                child,
                HouseholdMember.checked(
                    name="Kate Brook",
                    relationship="Mother",
                    parental_responsibility=True,
                    lives_with_child=True,
                    contact="0100 496 0104 (fictional)",
                ),
            )
            children.add_household_member(
                session,
                child,
                HouseholdMember.checked(
                    name="Lee Stone",
                    relationship="Mother's partner",
                    parental_responsibility=False,
                    lives_with_child=True,
                ),
            )
            children.add_household_member(
                session,
                child,
                HouseholdMember.checked(
                    name=sibling[0],
                    relationship=sibling[1],
                    parental_responsibility=False,
                    lives_with_child=True,
                ),
            )
        decision = HandoffDecision.checked(
            immediate_danger=False,
            police=None,
            allegation_against_adult=False,
            lado=None,
            outcome=Outcome.SOCIAL_CARE,
            situation=ChildSituation(
                urgency=Urgency.SAME_DAY,
                child_now="In school until 15:15, then home with her mother and her partner.",
                child_views="She said she bumped her arm and did not want to say more.",
                referrer_relationship="The school's DSL; has known Ella since Reception",
            ),
            reason="Grip-shaped bruises, an explanation that does not fit them, and her "
            "brother's words that their mother's partner grabs her.",
            advice=None,
            information_sharing=InformationSharing(
                consent=Consent.NOT_SOUGHT,
                consent_reason="Telling the family first could place Ella at greater risk.",
                lawful_basis=lawful_basis_for(OrgType.SCHOOL),
                parents_told=False,
                parents_not_told_reason="Children's social care to advise first.",
            ),
            referral=replace(
                referral_prefill(session, ref, ReferralKind.SOCIAL_CARE),
                risks="Bruises that look like a grip; the adult named lives in the home.",
                needs="A check of the bruises; a safe adult to talk to.",
                strengths="Ella and Finn come to school every day; Finn felt able to tell.",
            ),
            review_on=None,
            follow_up_on=now.date(),
            follow_up_what="Check Ella and Finn are in school tomorrow morning.",
            now=now,
        )
        (referral_ref,) = record_handoff(session, ref, decision, child=0).referral_refs
        # What came back: acknowledged, then no further action, which the DSL challenged.
        today = now.date()
        after_referral.acknowledge(
            session,
            referral_ref,
            Acknowledgement(today, "Sam Duty, duty social worker (fictional)", "FD-2291"),
        )
        challenge = (
            "Four round bruises in a row look like a grip, not a bump, and Finn says "
            "their mother's partner grabs Ella."
        )
        after_referral.record_outcome(
            session,
            referral_ref,
            NewOutcome(
                AgencyOutcome.NO_FURTHER_ACTION,
                today,
                "Mum says Ella bumped her arm on the bunk bed; no previous involvement.",
                None,
                False,
                NewEscalation(
                    EscalationStage.PRACTITIONER,
                    "Sam Duty, duty social worker (fictional)",
                    today,
                    challenge,
                    today + timedelta(days=2),
                ),
            ),
        )
        (progress,) = casework.concern_file(session, ref, audit=False).after_referral.values()
        after_referral.raise_to_next_stage(
            session,
            progress.escalations[0].escalation_id,
            NewEscalation(
                EscalationStage.MANAGER,
                "Alex Manager, team manager (fictional)",
                today,
                challenge + " The duty social worker did not change the decision.",
                today + timedelta(days=2),
            ),
        )
    finally:
        session.lock()
    return SiblingsData(ref, referral_ref, ella)


def siblings_tour(shooter: Shooter, root: Path) -> None:
    """Two siblings in one concern (``NN-siblings-…``), shot last so no other file's number
    changes: the handoff's "Which child is this decision for?" for the second child (the
    first decided already), the concern page with each child's own decision and referral,
    what happened after the sister's referral (acknowledged, no further action, the DSL's
    disagreement and the escalation at stage 2), and her chronology."""
    data_dir = root / "data"
    tour = prepare_siblings(data_dir)
    window, area = _lead_window(data_dir, SIBLINGS_DSL)
    idle(window)

    view = open_concern(window, area, tour.ref)
    QTest.mouseClick(view.handoff_button, Qt.MouseButton.LeftButton)
    wizard = area.findChild(HandoffWizard)
    assert wizard is not None
    wait_until(lambda: wizard.summary is not None)
    idle(window)
    choice = wizard.danger_page.child_choice
    assert choice.chosen() == 1  # Finn: Ella has her decision already
    shooter.shot(wizard, "siblings-handoff-which-child")
    click_next(wizard)  # no immediate danger
    if wizard.currentId() != THRESHOLD:
        click_next(wizard)  # no allegation about an adult
    threshold = wizard.threshold_page
    threshold.choose(Outcome.MONITOR)
    threshold.review_on.setDate(threshold.review_on.date().addDays(-21))  # in a week
    threshold.reason.setPlainText(
        "Finn has no marks and was calm; what he said is in Ella's referral. Check in with "
        "him each day and review in a week, once social care have decided about Ella."
    )
    click_next(wizard)
    click_next(wizard)  # Record the decision
    wait_until(lambda: wizard.handoff_result is not None)
    idle(window)
    QTest.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    idle(window)

    view = open_concern(window, area, tour.ref)
    settle()
    content = view.content
    assert content is not None
    bar = view.scroller.verticalScrollBar()

    def scroll_to(name: str) -> None:
        """The card's top in view, or its bottom (its buttons) when it is too tall."""
        frame = next(f for f in content.findChildren(QFrame) if f.accessibleName() == name)
        top = frame.mapTo(view.scroller.widget(), QPoint(0, 0)).y()
        room = view.scroller.viewport().height()
        bar.setValue(top - 20 if frame.height() + 40 <= room else top + frame.height() - room + 20)

    scroll_to("Decisions")
    shooter.shot(window, "siblings-concern-decisions")

    # Record an outcome…, filled in as the lead did for Ella's referral (recorded through
    # the services above), then cancelled.
    from safeguard_desktop.domain.referral_outcome import AgencyOutcome
    from safeguard_desktop.ui.casework.after_referral_dialogs import OutcomeDialog

    assert view.file is not None
    (ella_referral,) = view.file.referrals
    view.open_outcome_dialog(ella_referral)
    outcome = view.dialog
    assert isinstance(outcome, OutcomeDialog)
    wait_until(outcome.isVisible)
    outcome.outcome.setCurrentIndex(outcome.outcome.findData(AgencyOutcome.NO_FURTHER_ACTION.value))
    outcome.note.setPlainText(
        "Mum says Ella bumped her arm on the bunk bed; no previous involvement."
    )
    outcome.agree_no.setChecked(True)
    outcome.escalation.to_whom.setText("Sam Duty, duty social worker (fictional)")
    outcome.escalation.reason.setPlainText(
        "Four round bruises in a row look like a grip, not a bump, and Finn says their "
        "mother's partner grabs Ella."
    )
    outcome.escalation.follow_up_on.setDate(outcome.escalation.follow_up_on.date().addDays(-5))
    bring_into_view(outcome.escalation.follow_up_on)  # the disagreement and stage 1
    shooter.shot(outcome, "siblings-record-outcome")
    outcome.reject()
    idle(window)
    scroll_to("Referrals")
    shooter.shot(window, "siblings-referral-escalated")

    child = _open_child(area, tour.ella_id)
    idle(window)
    # The outcome (chosen, so read in full under the table) and the escalation's stages
    # after it, at the end of her chronology.
    chronology = child.chronology
    outcome = [entry.kind for entry in chronology.model.entries()].index("outcome")
    chronology.table.selectRow(outcome)
    chronology.table.scrollTo(
        chronology.model.index(outcome, 0), QAbstractItemView.ScrollHint.PositionAtTop
    )
    # At 150 % text the entry in full needs more room than the line under the table gives
    # it (its text is cut off, reported): drag that line up, as the lead would.
    settle()
    detail, splitter = chronology.detail, chronology.splitter
    short_by = detail.heightForWidth(detail.width()) - detail.height()
    if short_by > 0:
        table_part, card_part = splitter.sizes()
        splitter.setSizes([table_part - short_by, card_part + short_by])
        settle()
    bring_into_view(chronology.detail_card)  # at 150 % text the page scrolls
    shooter.shot(window, "siblings-child-chronology")
    window.sign_out()
    idle(window)
    window.close()


# --- recording stations ------------------------------------------------------------------


def _station_form(window: MainWindow) -> None:
    """The guided form on a station, filled as a volunteer would, then sent."""
    form = window.concern_form
    assert form is not None
    wizard = form.wizard
    wait_until(lambda: form.stack.currentWidget() is wizard)
    wizard.danger_question_page.no.setChecked(True)
    click_next(wizard)
    children_page = wizard.children_page
    children_page.boxes[0].name.setText("Olek Example")
    children_page.boxes[0].age_radio.setChecked(True)
    children_page.boxes[0].approximate_age.setValue(9)
    click_next(wizard)
    happened = wizard.happened_page
    happened.location.setText("Away ground, Hill Road")
    happened.observed.setPlainText("Arrived without a coat or kit for the fourth week running.")
    click_next(wizard)
    click_next(wizard)  # the child's words
    click_next(wizard)  # no marks
    wizard.actions_page.told_no.setChecked(True)
    click_next(wizard)
    wizard.categories_page.checks["neglect"].setChecked(True)
    click_next(wizard)
    page = wizard.review_page
    assert page.guest_name is not None and page.guest_role is not None
    page.guest_name.setText("Gail Example")
    page.guest_role.setText("Away team coach")
    QTest.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_until(lambda: window.after_page is not None)


def stations_tour(shooter: Shooter, root: Path) -> None:
    """A recording station (``NN-stations-…``) on the demo store: the lead adds one in
    Settings, a second PC is set up from its first screen, a concern is recorded there with
    the shared folder reachable and then away, and the lead's list shows it working."""
    from safeguard_desktop.ui.stations.station_home import StationHome

    data_dir = root / "data"
    build_demo_store(data_dir)
    drop = root / "OneDrive" / "safeguarding-drop"
    drop.mkdir(parents=True)
    invitation = root / "away-ground-laptop.sginvite"
    window, area = _lead_window(data_dir, DEMO_ADMIN)
    area.show_section("Settings")
    section = area.settings.stations
    wait_until(lambda: section.empty_line.isVisible())
    QTest.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert dialog is not None
    dialog.name.setText("Away ground laptop")
    dialog.drop.edit.setText(str(drop))
    idle(window)
    shooter.shot(dialog, "stations-add")
    dialog.make(invitation)
    wait_until(lambda: dialog.made is not None)
    idle(window)
    shooter.shot(dialog, "stations-fingerprint")
    QTest.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    idle(window)
    window.sign_out()
    idle(window)
    window.close()

    station_window = MainWindow(root / "station")
    station_window.resize(WIDTH, HEIGHT)
    station_window.show()
    wait_until(lambda: station_window.first_run_page is not None)
    idle(station_window)
    shooter.shot(station_window, "stations-first-run")
    first_run = station_window.first_run_page
    assert first_run is not None
    QTest.mouseClick(first_run.station_button, Qt.MouseButton.LeftButton)
    page = station_window.station_setup_page
    assert page is not None
    page.use_file(invitation)
    wait_until(lambda: page.details.isVisible())
    page.matches.setChecked(True)
    idle(station_window)
    bring_into_view(page.matches)
    shooter.shot(station_window, "stations-set-up")
    QTest.mouseClick(page.set_up_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: isinstance(station_window.station_home, StationHome))
    home = station_window.station_home
    assert home is not None
    wait_until(lambda: not home.delivering)
    idle(station_window)
    shooter.shot(station_window, "stations-home")
    QTest.mouseClick(home.record_button, Qt.MouseButton.LeftButton)
    _station_form(station_window)
    idle(station_window)
    shooter.shot(station_window, "stations-sent-delivered")
    after = station_window.after_page
    assert after is not None
    QTest.mouseClick(after.done_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: not home.delivering)

    away = root / "OneDrive-offline"
    drop.rename(away)  # no network at the away ground
    QTest.mouseClick(home.record_button, Qt.MouseButton.LeftButton)
    _station_form(station_window)
    after = station_window.after_page
    assert after is not None
    QTest.mouseClick(after.done_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: station_window.stack.currentWidget() is home and not home.delivering)
    idle(station_window)
    shooter.shot(station_window, "stations-home-waiting")
    away.rename(drop)
    QTest.mouseClick(home.deliver_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: not home.delivering)
    station_window.close()

    window, area = _lead_window(data_dir, DEMO_ADMIN)
    area.show_section("Settings")
    section = area.settings.stations
    wait_until(lambda: section.table.rowCount() == 1)
    wait_until(lambda: section.table.item(0, 3).text() == "2")
    idle(window)
    bring_into_view(section)
    shooter.shot(window, "stations-settings-list")
    window.sign_out()
    idle(window)
    window.close()


# --- files attached --------------------------------------------------------------------

ATTACHED_NOTES = (
    "Training, Tuesday - page 2 (fictional)",
    "18:05 Mum (Jane) came to collect Maya.",
    "Maya went quiet and held her arm again.",
    "Mum said Maya 'is always falling over'.",
    "Told the Welfare Officer at 18:20.",
    "Written by: A. Volunteer (fictional)",
)


def _photo_of_notes() -> bytes:
    """A phone's photo of the second page of the coach's notes (fictional; the demo store
    has the first), as the phone saves it: with the camera's details and where it was
    taken, which the app takes out."""
    page = Image.new("RGB", (1200, 1500), (252, 250, 240))
    pen = ImageDraw.Draw(page)
    for y in range(150, 1450, 90):  # the ruled lines of a notebook
        pen.line((60, y, 1140, y), fill=(170, 200, 230), width=2)
    pen.line((140, 0, 140, 1500), fill=(235, 150, 150), width=3)
    font = ImageFont.truetype(str(resource_path("fonts", "DejaVuSans.ttf")), 44)
    for number, line in enumerate(ATTACHED_NOTES):
        pen.text((170, 92 + number * 90 * 1.5), line, fill=(25, 40, 120), font=font)
    photo = page.rotate(-2, expand=True, fillcolor=(90, 80, 70))  # held a little askew
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # the camera's make and model
    exif[0x0110] = "Phone 12"
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    out = BytesIO()
    photo.save(out, "JPEG", exif=exif, quality=88)
    return out.getvalue()


@dataclass(frozen=True)
class AttachmentsData:
    ref: str  # Maya's first concern: the demo's notes, and their second page attached here
    maya_id: int
    notes: Path  # the photo of the second page, as it is on the lead's PC


def prepare_attachments(data_dir: Path, root: Path) -> AttachmentsData:
    """The demo store (the coach's notes with Maya's first concern, the GP's letter in her
    file), and a phone photo of the notes' second page attached to that concern through
    the services, as "Attach a file…" does."""
    build_demo_store(data_dir)
    notes = root / "IMG_2041.jpg"
    notes.write_bytes(_photo_of_notes())
    session = Store.open(data_dir).login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        maya = next(
            c.child_id
            for c in children.list_children(session)
            if c.details.name == "Maya Fictional"
        )
        ref = next(
            s.ref
            for s in casework.search(session, SearchFilters())
            if attachments.for_concern(session, s.ref)
        )
        attachments.attach_path(
            session,
            notes,
            concern_ref=ref,
            description="The coach's notes, page 2 (a phone photo)",
        )
    finally:
        session.lock()
    return AttachmentsData(ref, maya, notes)


def _shows_a_file(viewer: AttachmentViewer) -> bool:
    return viewer.record is not None


def attachments_tour(shooter: Shooter, root: Path) -> None:
    """Files attached (``NN-attachments-…``) on the demo store, shot last so no other
    file's number changes."""
    data_dir = root / "data"
    tour = prepare_attachments(data_dir, root)
    window, area = _lead_window(data_dir, DEMO_ADMIN)
    view = open_concern(window, area, tour.ref)
    content = view.content
    assert content is not None and view.file is not None
    photo = view.file.attachments[-1]
    settle()
    section = next(f for f in content.findChildren(QFrame) if f.accessibleName() == "Attachments")
    top = section.mapTo(view.scroller.widget(), QPoint(0, 0)).y()
    view.scroller.verticalScrollBar().setValue(top - 20)
    shooter.shot(window, "attachments-concern")

    actions = view.attachment_actions
    actions.attach_file(tour.notes.with_name("Notes from the away match.jpg"))
    dialog = actions.dialog
    assert dialog is not None
    wait_until(dialog.isVisible)
    dialog.description.setText("The coach's notes from the away match")
    shooter.shot(dialog, "attachments-attach-dialog")
    dialog.reject()
    idle(window)
    _shoot_viewer(shooter, window, actions, photo, "attachments-picture-viewer")

    actions.save(photo)
    box = actions.confirm_box
    assert isinstance(box, QMessageBox)
    wait_until(box.isVisible)
    shooter.shot(box, "attachments-save-warning")
    box.reject()
    idle(window)

    child = _open_child(area, tour.maya_id)
    assert child.file is not None
    # The GP's letter, kept in her own file (no concern), under those that came with her
    # concern: the tab scrolled to it, as the chronology's entry for it opens it.
    letter = next(a for a in child.file.attachments if a.concern_ref is None)
    child.show_attachment(letter.attachment_id)
    idle(window)
    bring_into_view(child.tabs)
    shooter.shot(window, "attachments-child-tab")
    _shoot_viewer(shooter, window, child.attachment_actions, letter, "attachments-pdf-viewer")
    window.sign_out()
    idle(window)
    window.close()


def _shoot_viewer(
    shooter: Shooter,
    window: MainWindow,
    actions: AttachmentActions,
    record: AttachmentRecord,
    name: str,
) -> None:
    actions.view(record)
    viewer = actions.viewer
    assert viewer is not None
    wait_until(functools.partial(_shows_a_file, viewer))
    idle(window)
    shooter.shot(viewer, name)
    viewer.reject()
    idle(window)


# --- keeping a child's file --------------------------------------------------------------

# Every date a child's review is counted from (storage/retention_records.py), as columns.
_DATED = {
    "children": ("created_at", "updated_at", "date_of_birth"),
    "concerns": ("occurred_at", "submitted_at", "received_at"),
    "actions": ("occurred_at", "recorded_at"),
    "decisions": ("decided_at",),
    "referrals": ("created_at", "sent_at", "closed_at"),
    "referral_outcomes": ("recorded_at",),
    "follow_ups": ("created_at", "done_at"),
    "child_history": ("changed_at",),
    "child_statuses": ("recorded_at", "ended_at"),
    "attachments": ("added_at",),
}


def _years_back(data_dir: Path) -> None:
    """The demo's records, and its children's birthdays, as if twenty-four years earlier
    (a multiple of four: a 29 February stays a day), so the files are due for their review
    even where a referral keeps them until the child is 25. Only for the pictures: the app
    never moves a date. Legal holds keep their own dates."""
    session = Store.open(data_dir).login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        with session.conn as conn:
            for table, columns in _DATED.items():
                moved = ", ".join(
                    f"{c} = printf('%04d', substr({c}, 1, 4) - 24) || substr({c}, 5)"
                    for c in columns
                )
                conn.execute(f"UPDATE {table} SET {moved}")  # noqa: S608 - names above
    finally:
        session.lock()


def _child_named(area: CaseArea, name: str) -> int:
    session = area.session
    return next(c.child_id for c in children.list_children(session) if c.details.name == name)


def retention_tour(shooter: Shooter, root: Path) -> None:
    """Keeping a child's file (``NN-retention-…``) on the demo store, shot last so no other
    file's number changes."""
    data_dir = root / "data"
    build_demo_store(data_dir)
    window, area = _lead_window(data_dir, DEMO_ADMIN)
    tom = _child_named(area, "Tom Example")
    child = _open_child(area, tom)
    child.tabs.setCurrentIndex(KEEPING_TAB)
    idle(window)
    shooter.shot(window, "retention-held-file")

    maya = _child_named(area, "Maya Fictional")
    child = _open_child(area, maya)
    child.tabs.setCurrentIndex(KEEPING_TAB)
    idle(window)
    child.open_review_date()
    dialog = child.dialog
    assert isinstance(dialog, ReviewDateDialog)
    wait_until(dialog.isVisible)
    dialog.reason.setPlainText("Her brother's child protection plan is still open (fictional).")
    shooter.shot(dialog, "retention-review-date")
    dialog.reject()
    idle(window)
    window.sign_out()
    idle(window)
    window.close()
    collect_closed_windows()

    _years_back(data_dir)
    window, area = _lead_window(data_dir, DEMO_ADMIN)
    area.show_section("Children")
    children_page = area.children_page
    children_page.due_choice.click()
    wait_until(lambda: not children_page.due_list.reading)
    idle(window)
    shooter.shot(window, "retention-due-list")

    due = children_page.due_list.due or []
    deletable = next(d.child_id for d in due if not d.retention.held)
    child = _open_child(area, deletable)
    child.tabs.setCurrentIndex(KEEPING_TAB)
    idle(window)
    child.ask_delete()
    wait_until(lambda: child.deletion.dialog is not None)
    confirm = child.deletion.dialog
    assert confirm is not None
    wait_until(confirm.isVisible)
    confirm.reviewed.setChecked(True)
    shooter.shot(confirm, "retention-delete-confirm")
    confirm.delete_button.click()
    wait_until(lambda: children_page.child_page is None)
    idle(window)
    wait_until(lambda: not children_page.due_list.reading)
    shooter.shot(window, "retention-deleted")
    window.sign_out()
    idle(window)
    window.close()


# --- a subject access request ------------------------------------------------------------

PARTNER = "Craig Fictional"


def subject_access_tour(shooter: Shooter, root: Path) -> None:
    """A subject access request for Maya (``NN-subject-access-…``) on the demo store, shot
    last so no other file's number changes."""
    data_dir = root / "data"
    build_demo_store(data_dir)
    session = Store.open(data_dir).login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        maya = next(
            c.child_id
            for c in children.list_children(session)
            if c.details.name == "Maya Fictional"
        )
        children.add_household_member(
            session, maya, HouseholdMember.checked(name=PARTNER, relationship="Mother's partner")
        )
    finally:
        session.lock()
    window, area = _lead_window(data_dir, DEMO_ADMIN)
    child = _open_child(area, maya)
    child.tabs.setCurrentIndex(SUBJECT_ACCESS_TAB)
    idle(window)
    tab = child.subject_access
    tab.open_record()
    wait_until(lambda: tab.opener.record_dialog is not None)
    record = tab.opener.record_dialog
    assert record is not None
    wait_until(record.isVisible)
    received = datetime.now().date() - timedelta(days=26)
    record.received_on.setDate(record.received_on.date().addDays(-26))
    assert record.received_on.date().toPython() == received
    record.requester.setText("Sam Fictional")
    record.relationship.setText("Mother")
    record.identity.setPlainText("Passport and a council tax bill seen at reception by the DSL")
    settle()
    shooter.shot(record, "subject-access-record")
    record.save_button.click()
    wait_until(lambda: tab.opener.record_dialog is None)
    idle(window)
    wait_until(lambda: bool(tab.requests))

    tab.opener.open_review(tab.requests[0].request_id)
    dialog = tab.opener.review_dialog
    assert isinstance(dialog, ReviewDialog)
    wait_until(lambda: dialog.review is not None and not dialog.busy.isVisible())
    concern = next(c for c in dialog.items.cards if c.item.key.startswith("concern:"))
    assert concern.choice is not None and concern.withhold_button is not None
    concern.choice.setCurrentIndex(concern.choice.findData(Exemption.OTHER_CHILD))
    concern.withhold_button.click()
    wait_until(lambda: dialog.review is not None and bool(dialog.review.withheld))
    idle(window)
    wait_until(lambda: not dialog.busy.isVisible())
    dialog.terms.text.setText(PARTNER)
    dialog.terms.add_button.click()
    wait_until(lambda: dialog.review is not None and bool(dialog.review.terms))
    idle(window)
    wait_until(lambda: not dialog.busy.isVisible())
    withheld = next(c for c in dialog.items.cards if c.release_button is not None)
    settle()
    dialog.items_scroller.ensureWidgetVisible(withheld, 0, 40)
    settle()
    shooter.shot(dialog, "subject-access-review")

    dialog.open_preview()
    preview = dialog.preview
    assert preview is not None
    wait_until(lambda: preview.loaded)
    settle()
    # Down to the household, where the partner's name is [removed].
    first = preview.pages.page_labels()[0]
    preview.pages.verticalScrollBar().setValue(int(first.height() * 0.4))
    settle()
    shooter.shot(preview, "subject-access-preview")
    preview.reject()
    dialog.reject()
    idle(window)

    area.show_section("Home")
    idle(window)
    home = area.home
    wait_until(home.subject_access.isVisible)
    settle()
    home.scroller.ensureWidgetVisible(home.subject_access, 0, 40)
    settle()
    shooter.shot(window, "subject-access-home")
    window.sign_out()
    idle(window)
    window.close()


# --- a child's file transferred to a new school -------------------------------------------

SCHOOL = "Hillside Primary School (demo)"
SCHOOL_LEAD = ("sam", "school-demo-password-1")


def _school_store(data_dir: Path) -> None:
    """A second organisation on this PC, the school the child moves to."""
    from safeguard_desktop.domain.organisation import LocalContacts
    from safeguard_desktop.security.kdf import KdfParams
    from safeguard_desktop.services.setup import SetupRequest, create_store

    result = create_store(
        data_dir,
        SetupRequest(
            org_name=SCHOOL,
            org_type=OrgType.SCHOOL,
            admin_username=SCHOOL_LEAD[0],
            admin_display_name="Sam Fictional-Head",
            admin_password=SCHOOL_LEAD[1],
            allow_guests=False,
            contacts=LocalContacts(front_door="0100 496 0101"),
        ),
        kdf=KdfParams(),
    )
    result.store.login(*SCHOOL_LEAD).lock()


def _active(dialog: QWidget) -> None:
    wait_until(dialog.isVisible)
    dialog.activateWindow()
    settle()


def transfer_tour(shooter: Shooter, root: Path) -> None:
    """Maya's file transferred to a school (``NN-transfer-…``) from the demo store, received
    in a second data folder, and the receipt taken back in; shot last, so no other file's
    number changes."""
    data_dir = root / "data"
    build_demo_store(data_dir)
    school_dir = root / "school"
    _school_store(school_dir)
    usb = root / "usb"
    usb.mkdir()
    session = Store.open(data_dir).login(*DEMO_ADMIN)
    assert isinstance(session, CaseSession)
    try:
        maya = next(
            c.child_id
            for c in children.list_children(session)
            if c.details.name == "Maya Fictional"
        )
    finally:
        session.lock()

    # The club's lead: the dialog's three steps.
    window, area = _lead_window(data_dir, DEMO_ADMIN)
    child = _open_child(area, maya)
    child.tabs.setCurrentIndex(TRANSFERS_TAB)
    idle(window)
    tab = child.transfers
    tab.open_transfer()
    dialog = tab.opener.transfer_dialog
    assert isinstance(dialog, TransferDialog)
    _active(dialog)
    dialog.organisation.setText(SCHOOL)
    dialog.how_choices[SentHow.UPLOAD].setChecked(True)
    dialog.folder.edit.setText(str(usb))
    settle()
    shooter.shot(dialog, "transfer-send")
    dialog.action_button.click()
    QTest.qWait(30)
    if dialog.making:
        shooter.save(dialog.grab().toImage(), "transfer-send-making")
    else:
        shooter.count += 1
    wait_until(lambda: dialog.saved is not None)
    idle(window)
    settle()
    shooter.shot(dialog, "transfer-send-done")
    password = dialog.final_password.text()
    dialog.action_button.click()
    wait_until(lambda: tab.opener.transfer_dialog is None)
    idle(window)
    wait_until(lambda: len(tab.record_buttons) == 1)
    settle()
    shooter.shot(window, "transfer-child-sent")
    tab.record_buttons[0].click()
    record = tab.opener.receipt_dialog
    assert record is not None
    _active(record)
    record.note.setPlainText("Phoned Mrs Patel, their DSL, who confirmed it arrived.")
    settle()
    shooter.shot(record, "transfer-record-receipt")
    record.reject()
    area.show_section("Home")
    idle(window)
    home = area.home
    wait_until(home.transfers.isVisible)
    settle()
    home.scroller.ensureWidgetVisible(home.transfers, 0, 40)
    settle()
    shooter.shot(window, "transfer-home")
    window.sign_out()
    idle(window)
    window.close()
    collect_closed_windows()

    # The school's lead receives it: the wrong password first, then the right one.
    package = next(usb.glob("*.sgtransfer"))
    window, area = _lead_window(school_dir, SCHOOL_LEAD)
    area.show_section("Children")
    idle(window)
    children_page = area.children_page
    children_page.open_receive()
    receive = children_page.transfers.receive_dialog
    assert isinstance(receive, ReceiveDialog)
    _active(receive)
    receive.path.edit.setText(str(package))
    receive.password.setText(password[:-1] + ("A" if password[-1] != "A" else "B"))
    receive.action_button.click()
    wait_until(lambda: not receive.busy.isVisible() and bool(receive.error.text()))
    idle(window)
    settle()
    shooter.shot(receive, "transfer-receive-wrong-password")
    receive.password.setText(password)
    receive.action_button.click()
    wait_until(lambda: receive.opened is not None and not receive.busy.isVisible())
    idle(window)
    receive.compared.setChecked(True)
    settle()
    shooter.shot(receive, "transfer-receive-check")
    receive.action_button.click()
    wait_until(lambda: receive.result_ is not None and not receive.busy.isVisible())
    idle(window)
    result = receive.result_
    assert result is not None
    receipt = usb / transfer_receive.receipt_name(result.received)
    children_page.transfers.save_receipt(result.received, receipt)
    wait_until(lambda: bool(receive.receipt_line.text()))
    idle(window)
    settle()
    shooter.shot(receive, "transfer-receive-done")
    receive.action_button.click()
    school_child = children_page.child_page
    assert school_child is not None
    wait_until(lambda: school_child.loaded and len(school_child.transfers.received) == 1)
    idle(window)
    settle()
    shooter.shot(window, "transfer-child-received")
    window.sign_out()
    idle(window)
    window.close()
    collect_closed_windows()

    # The club takes the receipt in: confirmed, and gone from Home.
    window, area = _lead_window(data_dir, DEMO_ADMIN)
    child = _open_child(area, maya)
    child.tabs.setCurrentIndex(TRANSFERS_TAB)
    idle(window)
    tab = child.transfers
    tab.opener.take_in(receipt)
    wait_until(lambda: "Receipt taken in" in tab.message.text())
    idle(window)
    wait_until(lambda: bool(tab.sent) and tab.sent[0].receipt_at is not None)
    settle()
    shooter.shot(window, "transfer-child-confirmed")
    window.sign_out()
    idle(window)
    window.close()


def collect_closed_windows() -> None:
    """Free the windows a part of the walk closed, now, while no event is being handled.

    Left to Python's garbage collector they are freed whenever it happens to run, which
    may be inside the idle lock's event filter of the next window; freeing a window tree
    in the middle of handling an event crashes Qt (seen as a segmentation fault).
    """
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    gc.collect()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default="docs/screenshots", type=Path)
    parser.add_argument(
        "--only",
        choices=[
            "backups",
            "adults",
            "known",
            "siblings",
            "stations",
            "attachments",
            "retention",
            "subject_access",
            "transfer",
        ],
        help="shoot only this tour, numbered after the files of the tours before it",
    )
    args = parser.parse_args()
    app = make_application()
    for sub, scale in (("", 1.0), ("scaled-150", 1.5)):
        apply_theme(app, scale)
        root = Path(tempfile.mkdtemp(prefix="safeguard-shots-"))
        try:
            shooter = Shooter(args.out_dir / sub if sub else args.out_dir)
            if args.only == "adults":
                shooter.count = _numbered_before_adults(shooter.out_dir)
                adults_tour(shooter, root / "adults")
                collect_closed_windows()
                continue
            if args.only == "known":
                shooter.count = _numbered_before(shooter.out_dir, "known")
                known_tour(shooter, root / "known")
                collect_closed_windows()
                continue
            if args.only == "siblings":
                shooter.count = _numbered_before(shooter.out_dir, "siblings")
                siblings_tour(shooter, root / "siblings")
                collect_closed_windows()
                continue
            if args.only == "stations":
                shooter.count = _numbered_before(shooter.out_dir, "stations")
                stations_tour(shooter, root / "stations")
                collect_closed_windows()
                continue
            if args.only == "attachments":
                shooter.count = _numbered_before(shooter.out_dir, "attachments")
                attachments_tour(shooter, root / "attachments")
                collect_closed_windows()
                continue
            if args.only == "retention":
                shooter.count = _numbered_before(shooter.out_dir, "retention")
                retention_tour(shooter, root / "retention")
                collect_closed_windows()
                continue
            if args.only == "subject_access":
                shooter.count = _numbered_before(shooter.out_dir, "subject-access")
                subject_access_tour(shooter, root / "subject_access")
                collect_closed_windows()
                continue
            if args.only == "transfer":
                shooter.count = _numbered_before(shooter.out_dir, "transfer")
                transfer_tour(shooter, root / "transfer")
                collect_closed_windows()
                continue
            if args.only == "backups":
                shooter.count = _numbered_before_backups(shooter.out_dir)
            else:
                walk(shooter, root / "data")
                collect_closed_windows()
                casework_tour(shooter, root / "casework")
                collect_closed_windows()
                tamper_tour(shooter, root / "tamper")
                collect_closed_windows()
            backup_tour(shooter, root / "backups")
            collect_closed_windows()
            if args.only != "backups":
                referral_tour(shooter, root / "referral")
                collect_closed_windows()
                adults_tour(shooter, root / "adults")
                collect_closed_windows()
                known_tour(shooter, root / "known")
                collect_closed_windows()
                siblings_tour(shooter, root / "siblings")
                collect_closed_windows()
                stations_tour(shooter, root / "stations")
                collect_closed_windows()
                attachments_tour(shooter, root / "attachments")
                collect_closed_windows()
                retention_tour(shooter, root / "retention")
                collect_closed_windows()
                subject_access_tour(shooter, root / "subject_access")
                collect_closed_windows()
                transfer_tour(shooter, root / "transfer")
                collect_closed_windows()
        finally:
            shutil.rmtree(root, ignore_errors=True)
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
