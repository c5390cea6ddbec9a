"""Home for a lead or administrator: what needs attention today, at a glance.

Large count cards (new concerns, concerns with children to link, follow-ups due, open
referrals) that are buttons; below them the follow-ups due or overdue (each can be marked
done with a short note), the open referrals and the newest concerns, any of which opens
in the Concern view (``concern_requested``). The "Record a concern" button stays: a lead
records too. At the bottom, whether the audit log is complete and unchanged.

When the data folder was changed outside the app, Home says so first: older records put
back (read-only) or a changed settings file (``home_alarms.py``), inbox items that
could not be accepted (``quarantine_section.py``, with a count card of their own), and a
recording station's concerns locked with the key from before a lead was removed
(``old_key_box.py``).

Under the counts, the backups box (``backup_status.py``): when the last backup was made,
amber after a week and red after a month, Back up now, what the automatic backup did,
and, after a restore, when and from which backup. Then, while there are any, how many
children's files are due for their retention review (the Children page lists them),
counted each time Home is refreshed (shown), not after every change. Then the open
subject access requests, and the children's files transferred whose receipt is not
confirmed yet (ui/transfer/), each with a button to the child's Transfers tab
(``child_transfers_requested``).

Everything comes from ``casework.home()`` on the worker; the page is destroyed at lock.
It is read again after any change to what it counts or lists (``on_changes``, from the
records area's one signal), whichever page or dialog made it: Home's own buttons (a
follow-up done, an alarm dealt with, an item accepted) included.

Over 500 lines because its cards and lists are all filled from one read of the store;
the alarms, the items not accepted and the backups box are modules of their own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.records import FollowUpRecord
from safeguard_desktop.services import audit_trail, casework, retention, stations
from safeguard_desktop.services.casework import HomeSummary
from safeguard_desktop.services.changes import Changes, Setting
from safeguard_desktop.services.session import AuditReport, CaseSession
from safeguard_desktop.services.vault_trust import RollbackAlarm, VaultAlarm

from ..backups.backup_status import BackupStatus
from ..case_worker import CaseWorker
from ..data_folder_alarms.home_alarms import StoreAlarms
from ..data_folder_alarms.old_key_box import OldKeyBox
from ..data_folder_alarms.quarantine_section import QuarantineSection
from ..recording.recorder_area import record_button
from ..subject_access.request_lists import HomeDeadlines
from ..theme import (
    ACCENT,
    ERROR_INK,
    MessageLine,
    alarm_box,
    heading,
    hint,
    paragraph,
    readable_column,
    scroll_area,
)
from ..transfer.transfer_lists import HomeTransfers
from ..translations import plural
from ..widgets.page_parts import button_row, section_card, sized_button
from ..widgets.record_text import record_label
from ..widgets.screen_fit import tab_in_reading_order
from ..worker import Failure
from .action_dialog import MarkDoneDialog
from .concern_models import Column, ConcernListModel, local_day
from .concerns_page import ConcernTable
from .danger_section import DangerSection
from .low_level_flag import LowLevelFlag
from .notice_section import NoticeSection

# The settings whose change Home shows: its alarms (records put back, the settings file,
# a recording station whose concerns are late or came locked with an old key).
# The backups box follows its own (backup_status.py).
_HOME_SETTINGS = frozenset({Setting.READ_ONLY, Setting.SETTINGS_FILE, Setting.STATIONS})

# Rows of follow-ups and referrals shown before a "Show all" button: Home stays quick to
# build (each row is a few widgets) on a store with hundreds of them open.
HOME_ROWS = 8


@dataclass(frozen=True)
class HomeFacts:
    summary: HomeSummary
    concerns: int
    due_follow_ups: int  # all of them; the summary lists the first 100
    audit: AuditReport
    rollback: RollbackAlarm | None = None  # older records put back: read-only
    vault_alarm: VaultAlarm | None = None  # the settings file was changed outside the app
    damage: str | None = None  # the check after sign-in found the records damaged
    # Recording stations whose concerns have not arrived for more than a day.
    late_stations: tuple[stations.StationInfo, ...] = ()
    # Recording stations that sent concerns locked with a replaced inbox key.
    old_key_stations: tuple[stations.OldKeyWarning, ...] = ()
    # Children's files whose retention review date has come, and how many of them are held;
    # None when not read this time (see _home_facts).
    due_for_review: tuple[int, int] | None = None


def _home_facts(session: CaseSession, count_due: bool) -> HomeFacts:
    # On the worker: every part reads the encrypted database. The audit chain was walked
    # at sign-in; walking it again on every visit to Home would hold the worker for
    # seconds on a store with years of entries, so that is a button ("Check again").
    # Likewise the files due for review (every child's dates: 1-2 s on a store of
    # 100,000 concerns) are counted when Home is refreshed, not after every change.
    due = retention.due_for_review(session) if count_due else None
    return HomeFacts(
        casework.home(session),
        casework.concern_count(session),
        casework.count_due_follow_ups(session),
        session.audit_report,
        rollback=session.rollback_alarm,
        vault_alarm=session.vault_alarm,
        # Read after the records above: reading takes in the check's result when it has one.
        damage=session.damage,
        late_stations=tuple(stations.overdue_stations(session)),
        old_key_stations=tuple(stations.old_key_warnings(session)),
        due_for_review=(
            (len(due), sum(1 for d in due if d.retention.held)) if due is not None else None
        ),
    )


def _verify_audit(session: CaseSession) -> AuditReport:
    return audit_trail.verify(session)


def _complete_follow_up(session: CaseSession, follow_up_id: int, note: str) -> Changes:
    return casework.complete_follow_up(session, follow_up_id, note)


class CountCard(QPushButton):
    """A big number over a caption; the whole card is one button."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption_text = caption
        self.setAccessibleName(caption)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.number = QLabel("–")
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.number.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {ERROR_INK}; font-weight: bold;")
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 10)
        layout.setSpacing(2)
        for label in (self.number, self.caption, self.note):
            # Clicks go to the button underneath.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        layout.addStretch(1)
        # The theme gives every button a small min-height in its style sheet, which wins
        # over setMinimumHeight(); the card's own rule makes room for number, caption
        # (two lines) and the overdue note, at any font size.
        line = self.caption.fontMetrics().lineSpacing()
        height = self.number.fontMetrics().height() + 3 * line + 8
        self.setStyleSheet(
            f"CountCard {{ background: #ffffff; border: 1px solid #c3cad2; border-radius: 8px;"
            f" min-height: {height}px; padding: 0px; }}"
            f" CountCard:hover {{ border-color: {ACCENT}; background: #f4f8fb; }}"
            f" CountCard:focus {{ border: 3px solid {ACCENT}; }}"
        )

    def set_count(self, count: int, note: str = "") -> None:
        self.number.setText(f"{count:,}")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.setAccessibleName(f"{self.caption_text}: {count}" + (f", {note}" if note else ""))


class HomePage(QWidget):
    """Welcome, the counts, what is due, the newest concerns, and the audit check."""

    concern_requested = Signal(str)  # open this concern
    concerns_requested = Signal(str)  # the Concerns list with this status ("new")
    child_transfers_requested = Signal(int)  # this child's file at its Transfers tab
    due_files_requested = Signal()  # the Children page's list of files due for review

    def __init__(self, session: CaseSession, worker: CaseWorker) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        worker.changed.connect(self.on_changes)
        self.facts: HomeFacts | None = None
        self._stale = False  # something it shows changed while it was out of view
        self.done_dialog: MarkDoneDialog | None = None
        self._all_follow_ups = False
        self._all_referrals = False
        # The chain is walked when the lead signs in (CaseSession.unlock), just before this.
        self._audit_checked_at = datetime.now()
        org = session.organisation
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)
        # The alarms come first: nothing else on Home matters as much (home_alarms.py).
        self.alarms = StoreAlarms(session, worker)
        self.alarms.hide()
        layout.addWidget(self.alarms)
        # Then a child in immediate danger that no lead has acknowledged (danger_section.py).
        self.danger = DangerSection(session, worker)
        self.danger.concern_requested.connect(self.concern_requested)
        layout.addWidget(self.danger)
        self.low_level_flag = LowLevelFlag(session, worker)  # a pattern about an adult
        layout.addWidget(self.low_level_flag)
        # Then a new concern about a child on a plan, or a pattern continuing.
        self.notices = NoticeSection(session, worker)
        self.notices.concern_requested.connect(self.concern_requested)
        layout.addWidget(self.notices)
        self.welcome = heading(self.tr("Welcome, {name}").format(name=session.user.display_name))
        layout.addWidget(self.welcome)
        self.role_line = paragraph(
            self.tr("You are signed in as {role} for {org}.").format(
                role=session.user.role.label(org.org_type), org=org.name
            )
        )
        layout.addWidget(self.role_line)

        # A lead or administrator records a concern too, with the same guided form.
        self.record_button = record_button(self)
        record_row = QHBoxLayout()
        record_row.addWidget(self.record_button)
        record_row.addStretch(1)
        layout.addLayout(record_row)

        cards = QGridLayout()
        cards.setSpacing(12)
        self.new_card = CountCard(self.tr("New concerns"))
        self.link_card = CountCard(self.tr("Concerns with children to link"))
        self.follow_up_card = CountCard(self.tr("Follow-ups due or overdue"))
        self.referral_card = CountCard(self.tr("Open referrals"))
        # Shown only while there are any. Short words: a card has room for two lines of
        # caption and one of note.
        self.quarantine_card = CountCard(self.tr("Items not accepted"))
        self.quarantine_card.hide()
        for column, count_card in enumerate(
            (
                self.new_card,
                self.link_card,
                self.follow_up_card,
                self.referral_card,
                self.quarantine_card,
            )
        ):
            cards.addWidget(count_card, 0, column)
            cards.setColumnStretch(column, 1)
        self.cards = cards
        layout.addLayout(cards)
        self.new_card.clicked.connect(lambda: self.concerns_requested.emit("new"))
        # A concern is "new" until every child it names is linked: the same list.
        self.link_card.clicked.connect(lambda: self.concerns_requested.emit("new"))
        self.concerns_line = hint(self.tr("Counting…"))
        self.concerns_line.setAccessibleName(self.tr("Number of concerns"))
        layout.addWidget(self.concerns_line)
        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)

        self.quarantine = QuarantineSection(session, worker)
        layout.addWidget(self.quarantine)

        # A recording station's concerns late (services/stations.py): amber, in words.
        self.stations_box, stations_layout = alarm_box(
            self.tr("Concerns from a recording station have not arrived"), warning=True
        )
        self.stations_line = paragraph()
        self.stations_line.setAccessibleName(self.tr("Which recording stations"))
        stations_layout.addWidget(self.stations_line)
        self.stations_box.hide()
        layout.addWidget(self.stations_box)
        # A station's concerns locked with the key from before a lead was removed: red.
        self.old_key = OldKeyBox(session, worker)
        layout.addWidget(self.old_key)
        self.quarantine_card.clicked.connect(functools.partial(self._go_to, self.quarantine.card))

        # When the last backup was made, and Back up now (backup_status.py).
        self.backups = BackupStatus(session, worker)
        layout.addWidget(self.backups)

        # Files due for their retention review: noticed, never feared (nothing is deleted
        # until a lead deletes it). Shown only while there are any.
        self.review_box = QFrame()
        self.review_box.setProperty("sgRole", "banner")
        self.review_box.setAccessibleName(self.tr("Retention review"))
        review_layout = QVBoxLayout(self.review_box)
        review_layout.setContentsMargins(14, 10, 14, 10)
        self.review_line = paragraph()
        self.review_line.setAccessibleName(self.tr("Files due for their retention review"))
        review_layout.addWidget(self.review_line)
        self.review_button = sized_button(
            self.tr("Show the files due"),
            self.tr("Show the children's files due for their retention review"),
            self.due_files_requested.emit,
        )
        review_layout.addLayout(button_row(self.review_button))
        self.review_box.hide()
        layout.addWidget(self.review_box)

        # Subject access requests not answered yet, each with its deadline and Review.
        self.subject_access = HomeDeadlines(session, worker)
        layout.addWidget(self.subject_access)

        # Children's files transferred whose receipt is not confirmed yet (KCSIE).
        self.transfers = HomeTransfers(session, worker)
        self.transfers.open_requested.connect(self.child_transfers_requested)
        layout.addWidget(self.transfers)

        self.follow_ups_card, follow_layout = section_card(self.tr("Follow-ups due"))
        self.follow_ups_box = QVBoxLayout()
        self.follow_ups_box.setSpacing(10)
        follow_layout.addLayout(self.follow_ups_box)
        layout.addWidget(self.follow_ups_card)
        self.follow_up_card.clicked.connect(functools.partial(self._go_to, self.follow_ups_card))

        self.referrals_card, referral_layout = section_card(self.tr("Open referrals"))
        self.referrals_box = QVBoxLayout()
        self.referrals_box.setSpacing(10)
        referral_layout.addLayout(self.referrals_box)
        layout.addWidget(self.referrals_card)
        self.referral_card.clicked.connect(functools.partial(self._go_to, self.referrals_card))

        self.newest_card, newest_layout = section_card(self.tr("Newest concerns"))
        newest_layout.addWidget(
            hint(
                self.tr(
                    "Concerns not yet looked at, newest first. Enter or a double-click opens one."
                )
            )
        )
        # The Concerns page's list, fed with the concerns home() read: the first columns,
        # the page scrolls rather than the table, and the children take what is left.
        self.newest_model = ConcernListModel(session, worker, self)
        self.newest = ConcernTable(self.newest_model, self.tr("Newest concerns"))
        self.newest.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.newest.horizontalHeader()
        for column, width in self.newest.ideal_widths().items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.CHILDREN, QHeaderView.ResizeMode.Stretch)
        for column in (Column.CATEGORIES, Column.RECORDER):
            self.newest.setColumnHidden(column, True)
        # Children's names wrap rather than end in "…" when the page is narrow (150 %
        # text on a laptop): at most 50 rows, measured when they arrive or the page resizes.
        self.newest.setWordWrap(True)
        rows = self.newest.verticalHeader()
        rows.setMinimumSectionSize(rows.defaultSectionSize())  # as roomy as the list's
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.newest.resized.connect(self._fit_newest)
        self.newest.open_requested.connect(self._open_newest)
        self.newest.doubleClicked.connect(self._open_newest)
        newest_layout.addWidget(self.newest)
        self.no_newest = hint(self.tr("No new concerns."))
        newest_layout.addWidget(self.no_newest)
        layout.addWidget(self.newest_card)

        audit_card, audit_layout = section_card(self.tr("Audit log"))
        self.audit_line = MessageLine(self.tr("Audit log check"))
        self.audit_line.show_info(self.tr("Checking…"))
        audit_layout.addWidget(self.audit_line)
        self.head_line = hint()
        self.head_line.setAccessibleName(self.tr("Latest audit entry"))
        self.head_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        audit_layout.addWidget(self.head_line)
        self.audit_button = QPushButton(self.tr("Check the audit log &again"))
        self.audit_button.setAccessibleName(self.tr("Check the audit log again"))
        self.audit_button.clicked.connect(self.check_audit)
        audit_row = QHBoxLayout()
        audit_row.addWidget(self.audit_button)
        audit_row.addStretch(1)
        audit_layout.addLayout(audit_row)
        layout.addWidget(audit_card)
        layout.addStretch(1)

        self.scroller: QScrollArea = scroll_area(readable_column(body, 110))
        # Rows with buttons come when the facts arrive, made after the rest of the page:
        # Tab is put back into the page's reading order each time (one timer for them all).
        self._body = body
        self._tab_order = QTimer(self)
        self._tab_order.setSingleShot(True)
        self._tab_order.setInterval(0)
        self._tab_order.timeout.connect(lambda: tab_in_reading_order(self._body))
        self.subject_access.shown.connect(self._tab_order.start)
        self.transfers.shown.connect(self._tab_order.start)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroller)

    def _go_to(self, section: QFrame) -> None:
        self.scroller.ensureWidgetVisible(section, 0, 0)
        buttons = section.findChildren(QPushButton)
        if buttons:
            buttons[0].setFocus()

    # Loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = False
        self._read_facts(count_due=True)
        self.backups.refresh()

    def _read_facts(self, *, count_due: bool = False) -> None:
        self._worker.submit(
            _home_facts, self._session, count_due, on_done=self._show_facts, on_error=self._failed
        )
        self.subject_access.load()
        self.transfers.load()

    def on_changes(self, changes: Changes) -> None:
        """Read Home again after a change to anything it counts or lists: now if it is in
        view, else when it is next shown."""
        if not (
            changes.concerns
            or changes.children
            or changes.follow_ups
            or changes.referrals
            or changes.inbox_items
            or changes.settings & _HOME_SETTINGS
        ):
            return
        if self.isVisible():
            self._read_facts()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Choosing Home in the navigation refreshes it (CaseArea); coming back to it from
        # the concern form does not, so a change meanwhile is shown now. After the
        # navigation's own refresh, which clears the mark: never read twice.
        if self._stale:
            QTimer.singleShot(0, self, self._refresh_if_stale)

    def _refresh_if_stale(self) -> None:
        if self._stale:
            self.refresh()

    def _show_late_stations(self, late: tuple[stations.StationInfo, ...]) -> None:
        if not late:
            self.stations_box.hide()
            return
        names = ", ".join(f"“{info.name}”" for info in late)
        self.stations_line.setText(
            self.tr(
                "{names}: concerns recorded there have not reached this PC for more than a "
                "day. Check that the shared folder is still syncing on both PCs (a full "
                "OneDrive, a sync stopped, a USB stick not brought back). A station keeps "
                "what it could not deliver; if a file was deleted from the shared folder, "
                "ask the station's users what they recorded that day."
            ).format(names=names)
        )
        self.stations_box.show()

    def _show_facts(self, facts: HomeFacts) -> None:
        self.facts = facts
        self.error.clear_message()
        summary = facts.summary
        self.new_card.set_count(summary.new_concerns)
        self.link_card.set_count(summary.unlinked_concerns)
        overdue = summary.overdue_follow_ups
        self.follow_up_card.set_count(
            facts.due_follow_ups,
            self.tr("{n} overdue").format(n=f"{overdue:,}") if overdue else "",
        )
        self.referral_card.set_count(summary.open_referrals)
        quarantined = len(summary.quarantined)
        self.quarantine_card.set_count(quarantined, self.tr("To decide") if quarantined else "")
        self.quarantine_card.setVisible(bool(quarantined))
        self.cards.setColumnStretch(4, 1 if quarantined else 0)
        self.alarms.show_alarms(facts.rollback, facts.vault_alarm, facts.damage)
        self.danger.show_concerns(summary.danger)
        self.notices.show_notices(summary.notices)
        self.quarantine.show_entries(summary.quarantined)
        self._show_late_stations(facts.late_stations)
        self.old_key.show_warnings(facts.old_key_stations)
        self._show_due_for_review(facts)
        count = facts.concerns
        if count == 0:
            self.concerns_line.setText(self.tr("No concerns have been recorded yet."))
        elif count == 1:
            self.concerns_line.setText(self.tr("1 concern is in the records."))
        else:
            self.concerns_line.setText(
                self.tr("{n} concerns are in the records.").format(n=f"{count:,}")
            )
        self._show_follow_ups(facts)
        self._show_referrals(summary)
        self._show_newest(summary)
        self._show_audit(facts.audit)
        self._tab_order.start()  # the follow-ups' and referrals' buttons, just made

    def _show_due_for_review(self, facts: HomeFacts) -> None:
        if facts.due_for_review is None:
            return  # not counted this time: the last count stays
        due, held = facts.due_for_review
        self.review_box.setVisible(due > 0)
        if not due:
            return
        words = [
            self.tr("1 child's file is due for its retention review.")
            if due == 1
            else self.tr("{n} children's files are due for their retention review.").format(
                n=f"{due:,}"
            )
        ]
        if held:
            words.append(
                self.tr("1 of them is under a legal hold.")
                if held == 1
                else self.tr("{n} of them are under a legal hold.").format(n=f"{held:,}")
            )
        words.append(
            self.tr(
                "Read each file, then keep it longer or delete it. Nothing is deleted until "
                "a lead deletes it."
            )
        )
        self.review_line.setText(" ".join(words))

    def _clear(self, box: QVBoxLayout) -> None:
        while box.count():
            item = box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _add_rest(
        self,
        box: QVBoxLayout,
        counts: tuple[int, int, int],
        show: tuple[str, str],
        not_listed: str,
        handler: Callable[[], None],
    ) -> None:
        """Under a list cut to HOME_ROWS, a button for the rest that home() read; once all
        of those are shown, how many it did not read (it reads the first 100).

        ``counts`` is (shown, listed, total); ``show`` the button's words when it shows
        all of them and when only the first ``n`` of ``total``.
        """
        shown, listed, total = counts
        if shown < listed:
            text = (show[0] if listed == total else show[1]).format(
                n=f"{listed:,}", total=f"{total:,}"
            )
            holder = QWidget()
            holder.setLayout(button_row(sized_button(text, text, handler)))
            box.addWidget(holder)
        elif listed < total:
            box.addWidget(hint(not_listed.format(n=f"{total - listed:,}")))

    def _open_concern_button(self, ref: str) -> QPushButton:
        return sized_button(
            self.tr("Open concern"),
            self.tr("Open concern {ref}").format(ref=ref),
            functools.partial(self.concern_requested.emit, ref),
        )

    def _show_follow_ups(self, facts: HomeFacts) -> None:
        self._clear(self.follow_ups_box)
        follow_ups = facts.summary.due_follow_ups
        if not follow_ups:
            self.follow_ups_box.addWidget(hint(self.tr("Nothing is due today.")))
            return
        today = date.today()
        shown = follow_ups if self._all_follow_ups else follow_ups[:HOME_ROWS]
        for follow_up in shown:
            self.follow_ups_box.addWidget(self._follow_up_row(follow_up, today))
        self._add_rest(
            self.follow_ups_box,
            (len(shown), len(follow_ups), facts.due_follow_ups),
            (
                self.tr("Show all {n} follow-ups due"),
                self.tr("Show the first {n} of the {total} follow-ups due"),
            ),
            self.tr(
                "{n} more are due and not listed here: each is shown on its concern "
                "or the child's page."
            ),
            self._show_all_follow_ups,
        )

    def _show_all_follow_ups(self) -> None:
        self._all_follow_ups = True
        if self.facts is not None:
            self._show_follow_ups(self.facts)

    def _show_all_referrals(self) -> None:
        self._all_referrals = True
        if self.facts is not None:
            self._show_referrals(self.facts.summary)

    def _follow_up_row(self, follow_up: FollowUpRecord, today: date) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        due = local_day(follow_up.due_on)
        overdue = follow_up.is_overdue(today)
        when = QLabel(
            self.tr("OVERDUE: was due {due}").format(due=due)
            if overdue
            else self.tr("Due today ({due})").format(due=due)
        )
        font = when.font()
        font.setBold(True)
        when.setFont(font)
        if overdue:
            when.setStyleSheet(f"color: {ERROR_INK};")
        texts.addWidget(when)
        texts.addWidget(record_label(follow_up.what, self.tr("What to follow up")))
        about = [follow_up.child_name]
        if follow_up.concern_ref:
            concern = self.tr("concern {ref}") if follow_up.child_name else self.tr("Concern {ref}")
            about.append(concern.format(ref=follow_up.concern_ref))
        about_text = " · ".join(part for part in about if part)
        if about_text:
            texts.addWidget(record_label(about_text, self.tr("About")))
        layout.addLayout(texts, 1)
        if follow_up.concern_ref:
            open_button = self._open_concern_button(follow_up.concern_ref)
            layout.addWidget(open_button, 0, Qt.AlignmentFlag.AlignTop)
        done_button = sized_button(
            self.tr("Mark done…"),
            self.tr("Mark the follow-up due {due} done").format(due=due),
            functools.partial(self.open_done_dialog, follow_up),
        )
        layout.addWidget(done_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _show_referrals(self, summary: HomeSummary) -> None:
        self._clear(self.referrals_box)
        if not summary.referrals:
            self.referrals_box.addWidget(hint(self.tr("No open referrals.")))
            return
        shown = summary.referrals if self._all_referrals else summary.referrals[:HOME_ROWS]
        if len(shown) < len(summary.referrals):
            self.referrals_box.addWidget(
                hint(self.tr("Newest first. Each is also shown on its concern."))
            )
        for referral in shown:
            row = QWidget()
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 0)
            # The concern on a line of its own: at 150 % text a reference at the end of
            # the line was broken in two at one of its hyphens.
            words = self.tr("{ref} · {kind} · {status}\nAbout concern {concern}").format(
                ref=referral.ref,
                kind=self.tr(referral.kind.label),
                status=self.tr(referral.status.label),
                concern=referral.concern_ref,
            )
            layout.addWidget(record_label(words, self.tr("Referral")), 1)
            if referral.concern_ref:
                button = self._open_concern_button(referral.concern_ref)
                layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.referrals_box.addWidget(row)
        self._add_rest(
            self.referrals_box,
            (len(shown), len(summary.referrals), summary.open_referrals),
            (
                self.tr("Show all {n} open referrals"),
                self.tr("Show the newest {n} of the {total} open referrals"),
            ),
            self.tr("{n} more are open and not listed here: each is shown on its concern."),
            self._show_all_referrals,
        )

    def _show_newest(self, summary: HomeSummary) -> None:
        concerns = summary.newest
        self.newest_model.show_summaries(concerns)
        self._fit_newest()
        self.newest.setVisible(bool(concerns))
        self.no_newest.setVisible(not concerns)

    def _fit_newest(self) -> None:
        """Tall enough for every row: the page scrolls, not the table inside it."""
        self.newest.resizeRowsToContents()
        height = self.newest.horizontalHeader().sizeHint().height() + 4
        height += sum(self.newest.rowHeight(r) for r in range(self.newest_model.rowCount()))
        if height != self.newest.height():
            self.newest.setFixedHeight(height)

    def _open_newest(self, index: QModelIndex) -> None:
        concern = self.newest_model.summary(index.row())
        if concern is not None:
            self.concern_requested.emit(concern.ref)

    def check_audit(self) -> None:
        """Walk the whole audit chain again (seconds on a store with years of entries)."""
        self.audit_button.setEnabled(False)
        self.audit_line.show_info(self.tr("Checking every entry…"))
        self._worker.submit(
            _verify_audit, self._session, on_done=self._audit_checked, on_error=self._audit_failed
        )

    def _audit_checked(self, report: AuditReport) -> None:
        self.audit_button.setEnabled(True)
        self._audit_checked_at = datetime.now()
        self._show_audit(report)

    def _audit_failed(self, failure: Failure) -> None:
        self.audit_button.setEnabled(True)
        self.audit_line.show_error(failure.message)

    def _show_audit(self, report: AuditReport) -> None:
        when = self._audit_checked_at.strftime("%H:%M")
        if report.ok:
            self.audit_line.show_good(
                plural(
                    "Complete and unchanged: {n} entries, checked at {time}.", report.entries
                ).format(n=f"{report.entries:,}", time=when)
            )
        else:
            self.audit_line.show_error(
                self.tr(
                    "The audit log has been tampered with or damaged: {reason}. "
                    "Do not delete anything; ask for help."
                ).format(reason=report.reason)
            )
        self.head_line.setText(
            self.tr("Latest entry {seq}, fingerprint {hash}…").format(
                seq=report.head_seq, hash=report.head_hash[:12]
            )
        )

    def _failed(self, failure: Failure) -> None:
        self.error.show_error(failure.message)

    # Marking a follow-up done --------------------------------------------------------------

    def open_done_dialog(self, follow_up: FollowUpRecord) -> None:
        if self.done_dialog is not None:
            return
        dialog = MarkDoneDialog(local_day(follow_up.due_on), follow_up.what, self)
        dialog.confirm_button.clicked.connect(
            functools.partial(self._submit_done, follow_up.follow_up_id)
        )
        dialog.finished.connect(self._done_dialog_closed)
        self.done_dialog = dialog
        dialog.open()
        dialog.note.setFocus()

    def _done_dialog_closed(self) -> None:
        dialog, self.done_dialog = self.done_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _submit_done(self, follow_up_id: int) -> None:
        dialog = self.done_dialog
        note = dialog.start_saving(dialog.note_text) if dialog is not None else None
        if note is None:
            return
        self._worker.submit(
            _complete_follow_up,
            self._session,
            follow_up_id,
            note,
            on_done=self._follow_up_done,
            on_error=self._follow_up_failed,
        )

    def _follow_up_done(self, _: object) -> None:
        # The list of follow-ups is read again from what changed (on_changes).
        if self.done_dialog is not None:
            self.done_dialog.accept()

    def _follow_up_failed(self, failure: Failure) -> None:
        if self.done_dialog is not None:
            self.done_dialog.show_worker_failure(failure)
        else:
            self.error.show_error(failure.message)
