"""One concern exactly as it was submitted, with everything the lead added beside it.

The concern itself is never changed: a correction (amendment) is shown directly under the
part it corrects, marked as a correction with its reason, who and when, and the original
stays above it. Around the concern: the children it names and the records they are (or
may be) linked to, the actions, follow-ups, decisions and referrals.

Everything is read on the worker; after any change the whole file is read again, so what
is shown is always what is stored. Opening a concern is audited by the service; reloading
after the lead's own change is not a second opening and is not audited again.

Signals for the parts other views provide: ``child_requested(child_id)`` (the child's
page), ``handoff_requested(ref)`` (the decide-and-hand-on wizard) and
``referral_requested(referral_ref)`` (the referral PDF dialog).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.casework import AMENDABLE_FIELDS, ConcernStatus
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.handoff import Outcome
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.domain.records import (
    ActionRecord,
    AmendmentRecord,
    DecisionRecord,
    FollowUpRecord,
    ReferralRecord,
)
from safeguard_desktop.domain.referral import ReferralStatus
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services.casework import ConcernFile, LinkChoice
from safeguard_desktop.services.session import CaseSession

from .action_dialog import AddActionDialog, CaseworkDialog, MarkDoneDialog
from .body_map import OutlineCanvas
from .concern_dialogs import AmendmentDialog, CloseConcernDialog
from .concern_models import category_words, local_day, local_when
from .record_text import record_label
from .theme import (
    BUTTON_MIN_HEIGHT,
    ERROR_INK,
    MessageLine,
    banner,
    card,
    heading,
    hint,
    paragraph,
    readable_column,
)
from .wizard_page import scroll_area
from .worker import Failure, Worker

# The parts of a concern in the order they are shown; each may carry corrections.
_TEXT_PARTS = ("observed", "child_words", "presentation", "others_present", "actions_taken")


def _load(session: CaseSession, ref: str, audit: bool) -> ConcernFile:
    return session.casework.concern_file(ref, audit=audit)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _bold(label: QLabel) -> QLabel:
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _button(text: str, accessible: str, handler: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(accessible)
    button.setMinimumHeight(BUTTON_MIN_HEIGHT)
    button.clicked.connect(handler)
    return button


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


class ConcernView(QWidget):
    """One concern and its casework. ``back_requested`` from the Back button or Escape."""

    back_requested = Signal()
    changed = Signal(str)  # the concern's ref: something was added or its status changed
    child_requested = Signal(int)
    handoff_requested = Signal(str)
    referral_requested = Signal(str)

    def __init__(
        self,
        session: CaseSession,
        worker: Worker,
        ref: str,
        *,
        can_open_child: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.ref = ref
        self._can_open_child = can_open_child
        self.file: ConcernFile | None = None
        self.dialog: CaseworkDialog | None = None
        self.busy = False
        org = session.organisation
        self._lead_title = org.org_type.lead_title
        self._names = {u.username: u.display_name for u in session.store.users()}
        self.setAccessibleName(self.tr("Concern {ref}").format(ref=ref))

        # The top bar stays in view while the concern scrolls under it.
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(28, 16, 28, 8)
        top_layout.setSpacing(8)
        self.back_button = _button(
            self.tr("← &Back to the list"), self.tr("Back to the list"), self.back_requested.emit
        )
        self.title = heading(self.tr("Concern {ref}").format(ref=ref))
        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        title_row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.title, 1)
        top_layout.addLayout(title_row)
        self.status_line = paragraph(self.tr("Opening…"))
        self.status_line.setTextFormat(Qt.TextFormat.PlainText)
        self.status_line.setAccessibleName(self.tr("Status of the concern"))
        top_layout.addWidget(self.status_line)

        self.handoff_button = _button(
            self.tr("&Decide and hand on…"),
            self.tr("Decide and hand on"),
            lambda: self.handoff_requested.emit(self.ref),
        )
        font = self.handoff_button.font()
        font.setBold(True)
        self.handoff_button.setFont(font)
        self.handoff_button.setMinimumHeight(BUTTON_MIN_HEIGHT + 8)
        self.handoff_button.setProperty("sgRole", "primary")
        self.handoff_button.setStyleSheet(
            "QPushButton { background: #2f6690; color: white; border-radius: 5px; "
            "border: 1px solid #24506f; } QPushButton:focus { border: 3px solid #f2c14e; } "
            "QPushButton:disabled { background: #9fb5c7; }"
        )
        self.action_button = _button(
            self.tr("Add &action…"), self.tr("Add an action"), self.open_action_dialog
        )
        self.amend_button = _button(
            self.tr("Co&rrect something…"), self.tr("Correct something"), self.open_amend_dialog
        )
        self.close_button = _button(
            self.tr("C&lose concern…"), self.tr("Close the concern"), self.open_close_dialog
        )
        self.reopen_button = _button(self.tr("Re&open"), self.tr("Reopen the concern"), self.reopen)
        top_layout.addLayout(
            _row(
                self.handoff_button,
                self.action_button,
                self.amend_button,
                self.close_button,
                self.reopen_button,
            )
        )
        self.message = MessageLine(self.tr("Result"))
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        top_layout.addWidget(self.message)

        self.scroller: QScrollArea = scroll_area(QWidget())
        self.scroller.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scroller.setAccessibleName(self.tr("The concern"))
        self.content: QWidget | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(top)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #d5dae0;")
        outer.addWidget(line)
        outer.addWidget(self.scroller, 1)

        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_requested.emit)
        self._set_buttons_enabled(False)

    # Loading ---------------------------------------------------------------------------

    def load(self, *, audit: bool = True) -> None:
        """Read the concern file on the worker (opening it is audited)."""
        self._worker.submit(
            _load, self._session, self.ref, audit, on_done=self._loaded, on_error=self._failed
        )

    def _reload(self, message: str) -> None:
        self._worker.submit(
            _load,
            self._session,
            self.ref,
            False,
            on_done=functools.partial(self._reloaded, message),
            on_error=self._failed,
        )

    def _reloaded(self, message: str, file: ConcernFile) -> None:
        self._loaded(file)
        self.message.show_good(message)
        self.changed.emit(self.ref)

    def _loaded(self, file: ConcernFile) -> None:
        self.file = file
        self.busy = False
        position = self.scroller.verticalScrollBar().value()
        had_focus = self.content is not None and self.content.isAncestorOf(self.focusWidget())
        self.content = self._build(file)
        # setWidget() deletes the page it replaces, with every label of the old text.
        self.scroller.setWidget(readable_column(self.content, 104))
        # Stay where the lead was reading; the rebuilt page has the same shape above.
        QTimer.singleShot(0, self, lambda: self.scroller.verticalScrollBar().setValue(position))
        if had_focus:
            self.scroller.setFocus()
        summary = file.summary
        closed = summary.status is ConcernStatus.CLOSED
        self.close_button.setVisible(not closed)
        self.reopen_button.setVisible(closed)
        recorder = self._recorder_words(file)
        self.status_line.setText(
            self.tr("{status}. Recorded by {recorder}; sent {when}.").format(
                status=summary.status.label,
                recorder=recorder,
                when=local_when(summary.submitted_at),
            )
        )
        self._set_buttons_enabled(True)

    def _failed(self, failure: Failure) -> None:
        self.busy = False
        self._set_buttons_enabled(self.file is not None)
        if self.dialog is not None:
            self.dialog.show_worker_failure(failure)
            return
        self.message.show_error(failure.message)

    def _set_buttons_enabled(self, enabled: bool) -> None:
        for button in (
            self.handoff_button,
            self.action_button,
            self.amend_button,
            self.close_button,
            self.reopen_button,
        ):
            button.setEnabled(enabled)

    def _recorder_words(self, file: ConcernFile) -> str:
        submitter = file.concern.submitter
        name = display_safe(_text(submitter.get("name")))
        role = _text(submitter.get("role"))
        if submitter.get("username") is None:
            return self.tr("{name}, {role} (a guest, without an account)").format(
                name=name, role=display_safe(role)
            )
        try:
            role_words = Role(role).label(self._session.organisation.org_type)
        except ValueError:
            role_words = display_safe(role)
        return self.tr("{name}, {role}").format(name=name, role=role_words)

    def _who(self, username: str) -> str:
        return display_safe(self._names.get(username, username))

    # Building the page -----------------------------------------------------------------

    def _build(self, file: ConcernFile) -> QWidget:
        body = file.concern.body
        corrections: dict[str, list[AmendmentRecord]] = defaultdict(list)
        for amendment in file.amendments:
            corrections[amendment.field].append(amendment)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 16, 28, 28)
        layout.setSpacing(14)
        if body.get("immediate_danger") is True:
            danger = banner(self.tr("The recorder said a child was in IMMEDIATE DANGER."))
            danger.setStyleSheet(
                f"QFrame {{ background: #fde8e8; border: 2px solid {ERROR_INK}; "
                "border-radius: 6px; } QLabel { border: none; font-weight: bold; }"
            )
            layout.addWidget(danger)
        if file.amendments:
            layout.addWidget(
                hint(
                    self.tr(
                        "Corrections are shown in yellow under the part they correct; the "
                        "concern above each stays exactly as it was submitted."
                    )
                )
            )

        layout.addWidget(self._children_section(file, corrections["children"]))
        layout.addWidget(self._concern_section(body, corrections))
        layout.addWidget(self._actions_section(file.actions))
        layout.addWidget(self._follow_ups_section(file.follow_ups))
        layout.addWidget(self._decisions_section(file.decisions))
        layout.addWidget(self._referrals_section(file.referrals))
        layout.addStretch(1)
        return page

    def _section(self, title: str) -> tuple[QFrame, QVBoxLayout]:
        frame = card()
        frame.setAccessibleName(title)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(heading(title, level=2))
        return frame, layout

    def _part(
        self,
        layout: QVBoxLayout,
        caption: str,
        text: str,
        corrections: list[AmendmentRecord],
        *,
        empty: str = "",
    ) -> None:
        """One part of the concern: caption, the text as submitted, corrections under it."""
        layout.addSpacing(4)
        layout.addWidget(_bold(QLabel(caption)))
        if text.strip():
            layout.addWidget(record_label(text, caption))
        else:
            layout.addWidget(hint(empty or self.tr("Nothing was written here.")))
        for amendment in corrections:
            layout.addWidget(self._correction(amendment))

    def _correction(self, amendment: AmendmentRecord) -> QFrame:
        frame = QFrame()
        frame.setProperty("sgRole", "banner")
        frame.setAccessibleName(self.tr("Correction"))
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(14, 10, 14, 10)
        inner.setSpacing(4)
        inner.addWidget(
            _bold(
                QLabel(
                    self.tr("Correction added {when} by {who}").format(
                        when=local_when(amendment.amended_at), who=self._who(amendment.amended_by)
                    )
                )
            )
        )
        inner.addWidget(record_label(amendment.new_value, self.tr("Corrected text")))
        inner.addWidget(
            record_label(
                self.tr("Reason: {reason}").format(reason=amendment.reason),
                self.tr("Reason for the correction"),
            )
        )
        return frame

    # The children and their records ----------------------------------------------------

    def _children_section(self, file: ConcernFile, corrections: list[AmendmentRecord]) -> QFrame:
        frame, layout = self._section(self.tr("Children"))
        occurred = file.concern.body.get("occurred_at")
        happened_on: date | None = None
        if isinstance(occurred, str):
            try:
                happened_on = datetime.fromisoformat(occurred).date()
            except ValueError:
                happened_on = None
        for choice in file.children:
            layout.addWidget(self._child_box(choice, happened_on))
        for amendment in corrections:
            layout.addWidget(self._correction(amendment))
        return frame

    def _child_words(self, named: dict[str, object], happened_on: date | None) -> list[str]:
        lines = []
        born = _text(named.get("date_of_birth"))
        age = named.get("approximate_age")
        if born:
            try:
                born_day = date.fromisoformat(born)
            except ValueError:
                lines.append(self.tr("Date of birth: {dob}").format(dob=display_safe(born)))
            else:
                if happened_on is not None and happened_on >= born_day:
                    lines.append(
                        self.tr("Born {dob} (aged {age} when it happened)").format(
                            dob=local_day(born_day), age=age_on(born_day, happened_on)
                        )
                    )
                else:
                    lines.append(self.tr("Born {dob}").format(dob=local_day(born_day)))
        elif isinstance(age, int) and not isinstance(age, bool):
            lines.append(self.tr("Date of birth not known; about {age} years old").format(age=age))
        else:
            lines.append(self.tr("Date of birth and age not given"))
        group = _text(named.get("group"))
        if group:
            lines.append(self.tr("Group, class or team: {group}").format(group=group))
        needs = _text(named.get("additional_needs"))
        if needs:
            lines.append(self.tr("Known additional needs: {needs}").format(needs=needs))
        return lines

    def _child_box(self, choice: LinkChoice, happened_on: date | None) -> QFrame:
        box = QFrame()
        box.setStyleSheet(
            "QFrame#childBox { border: 1px solid #d5dae0; border-radius: 6px;"
            " background: #f8f9fb; }"
        )
        box.setObjectName("childBox")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        name = _text(choice.named.get("name")) or self.tr("(no name given)")
        title = _bold(record_label(name, self.tr("Child {n}").format(n=choice.position + 1)))
        layout.addWidget(title)
        for line in self._child_words(choice.named, happened_on):
            layout.addWidget(record_label(line))

        if choice.linked is not None:
            record = choice.linked
            born = local_day(record.details.date_of_birth) or self.tr("date of birth not known")
            linked = record_label(
                self.tr("Linked to the child record: {name}, born {dob}.").format(
                    name=record.name, dob=born
                ),
                self.tr("Linked child record"),
            )
            linked.setProperty("sgRole", "good")
            layout.addWidget(linked)
            if self._can_open_child:
                layout.addLayout(
                    _row(
                        _button(
                            self.tr("Open child"),
                            self.tr("Open the child record of {name}").format(name=record.name),
                            functools.partial(self.child_requested.emit, record.child_id),
                        )
                    )
                )
            return box

        layout.addWidget(_bold(QLabel(self.tr("Not linked to a child record yet."))))
        if choice.suggestions:
            layout.addWidget(
                hint(self.tr("It may be a child already in the records. Check, then choose:"))
            )
        for suggestion, record in choice.suggestions:
            born = local_day(record.details.date_of_birth) or self.tr("date of birth not known")
            who = _bold(
                record_label(
                    self.tr("{name}, born {dob}").format(name=record.name, dob=born),
                    self.tr("Possible match"),
                )
            )
            reason = suggestion.reason[:1].upper() + suggestion.reason[1:]
            why = record_label(
                self.tr("STRONG MATCH: {reason}.").format(reason=reason)
                if suggestion.strong
                else self.tr("Possible match: {reason}.").format(reason=reason),
                self.tr("Why it may be the same child"),
            )
            if suggestion.strong:
                why.setProperty("sgRole", "good")
                _bold(why)
            else:
                why.setProperty("sgRole", "hint")
            words = QVBoxLayout()
            words.setSpacing(2)
            words.addWidget(who)
            words.addWidget(why)
            same = _button(
                self.tr("This is the same child"),
                self.tr("This is the same child: {name}, born {dob}").format(
                    name=record.name, dob=born
                ),
                functools.partial(self.link_child, choice.position, record.child_id),
            )
            suggestion_row = QHBoxLayout()
            suggestion_row.addLayout(words, 1)
            suggestion_row.addWidget(same, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(suggestion_row)
        create = _button(
            self.tr("A child not in the records yet: create a record"),
            self.tr("Create a new child record for {name}").format(name=name),
            functools.partial(self.create_child, choice.position),
        )
        layout.addLayout(_row(create))
        return box

    # The concern as submitted ----------------------------------------------------------

    def _concern_section(
        self, body: dict[str, object], corrections: dict[str, list[AmendmentRecord]]
    ) -> QFrame:
        frame, layout = self._section(self.tr("The concern as submitted"))
        occurred = _text(body.get("occurred_at"))
        self._part(
            layout,
            self.tr(AMENDABLE_FIELDS["occurred_at"]),
            local_when(occurred) if occurred else "",
            corrections["occurred_at"],
        )
        self._part(
            layout,
            self.tr(AMENDABLE_FIELDS["location"]),
            _text(body.get("location")),
            corrections["location"],
            empty=self.tr("Not given."),
        )
        categories = body.get("categories")
        self._part(
            layout,
            self.tr("Categories"),
            category_words([str(c) for c in categories]) if isinstance(categories, list) else "",
            [],
        )
        for part in _TEXT_PARTS:
            text = _text(body.get(part))
            if part == "child_words" and text.strip():
                # The child's own words, unmistakably as quoted speech.
                text = f"“{text}”"
            self._part(layout, self.tr(AMENDABLE_FIELDS[part]), text, corrections[part])
        yes, no = self.tr("Yes"), self.tr("No")
        danger = body.get("immediate_danger") is True
        danger_label = record_label(
            self.tr("Was a child in immediate danger? {answer}").format(
                answer=self.tr("YES") if danger else no
            )
        )
        if danger:
            _bold(danger_label)
        layout.addSpacing(4)
        layout.addWidget(danger_label)
        layout.addWidget(
            record_label(
                self.tr("Already told the {lead} in person? {answer}").format(
                    lead=self._lead_title, answer=yes if body.get("told_dsl_in_person") else no
                )
            )
        )
        self._body_map(layout, body.get("body_map"))
        if corrections["other"]:
            layout.addSpacing(4)
            layout.addWidget(_bold(QLabel(self.tr(AMENDABLE_FIELDS["other"]))))
            for amendment in corrections["other"]:
                layout.addWidget(self._correction(amendment))
        return frame

    def _body_map(self, layout: QVBoxLayout, marks: object) -> None:
        layout.addSpacing(4)
        layout.addWidget(_bold(QLabel(self.tr("Body map"))))
        valid = [
            m
            for m in (marks if isinstance(marks, list) else [])
            if isinstance(m, dict)
            and m.get("view") in ("front", "back")
            and isinstance(m.get("x"), int | float)
            and isinstance(m.get("y"), int | float)
        ]
        if not valid:
            layout.addWidget(hint(self.tr("No marks.")))
            return
        sides = {"front": self.tr("front"), "back": self.tr("back")}
        row = QHBoxLayout()
        for view in ("front", "back"):
            numbered = [
                (number, float(m["x"]), float(m["y"]))
                for number, m in enumerate(valid, 1)
                if m["view"] == view
            ]
            if not numbered:
                continue
            column = QVBoxLayout()
            column.addWidget(QLabel(sides[view].capitalize()))
            canvas = OutlineCanvas(view, self.tr("Body map, {side}").format(side=sides[view]))
            # Shown, not edited: no focus, no cross-hair, clicks do nothing.
            canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            canvas.unsetCursor()
            canvas.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            canvas.set_marks(numbered)
            column.addWidget(canvas)
            row.addLayout(column)
        notes = QVBoxLayout()
        for number, mark in enumerate(valid, 1):
            note = _text(mark.get("note")) or self.tr("(no note)")
            notes.addWidget(
                record_label(
                    self.tr("Mark {n} ({side}): {note}").format(
                        n=number, side=sides[str(mark["view"])], note=note
                    )
                )
            )
        notes.addStretch(1)
        row.addLayout(notes, 1)
        layout.addLayout(row)

    # What the lead added ----------------------------------------------------------------

    def _actions_section(self, actions: tuple[ActionRecord, ...]) -> QFrame:
        frame, layout = self._section(self.tr("Actions"))
        if not actions:
            layout.addWidget(hint(self.tr("No actions yet.")))
        for action in sorted(actions, key=lambda a: (a.occurred_at, a.action_id)):
            item = QVBoxLayout()
            item.setSpacing(2)
            item.addWidget(
                _bold(
                    record_label(
                        self.tr("{when} · {kind} · {who}").format(
                            when=local_when(action.occurred_at),
                            kind=self.tr(action.kind.label),
                            who=action.who or self.tr("who not given"),
                        ),
                        self.tr("Action"),
                    )
                )
            )
            item.addWidget(record_label(action.details, self.tr("What happened")))
            if action.outcome.strip():
                item.addWidget(
                    record_label(
                        self.tr("Outcome: {outcome}").format(outcome=action.outcome),
                        self.tr("Outcome"),
                    )
                )
            item.addWidget(
                hint(
                    self.tr("Written down {when} by {who}.").format(
                        when=local_when(action.recorded_at), who=self._who(action.recorded_by)
                    )
                )
            )
            layout.addSpacing(4)
            layout.addLayout(item)
        return frame

    def _follow_ups_section(self, follow_ups: tuple[FollowUpRecord, ...]) -> QFrame:
        frame, layout = self._section(self.tr("Follow-ups"))
        if not follow_ups:
            layout.addWidget(hint(self.tr("No follow-ups. Add one with an action.")))
        today = date.today()
        for follow_up in sorted(follow_ups, key=lambda f: (f.done_at is not None, f.due_on)):
            due = local_day(follow_up.due_on)
            if follow_up.done_at is not None:
                state = self.tr("Done {when} by {who}").format(
                    when=local_when(follow_up.done_at), who=self._who(follow_up.done_by or "")
                )
                if follow_up.done_note:
                    state += ": " + follow_up.done_note
            elif follow_up.is_overdue(today):
                state = self.tr("OVERDUE")
            elif follow_up.is_due(today):
                state = self.tr("Due today")
            else:
                state = self.tr("Not due yet")
            label = record_label(
                self.tr("Due {due}: {what}. {state}").format(
                    due=due, what=follow_up.what, state=state
                ),
                self.tr("Follow-up"),
            )
            if follow_up.is_overdue(today):
                label.setProperty("sgRole", "error")
            line = QHBoxLayout()
            line.addWidget(label, 1)
            if follow_up.done_at is None:
                line.addWidget(
                    _button(
                        self.tr("Mark done…"),
                        self.tr("Mark the follow-up due {due} done").format(due=due),
                        functools.partial(self.open_done_dialog, follow_up),
                    ),
                    0,
                    Qt.AlignmentFlag.AlignTop,
                )
            layout.addLayout(line)
        return frame

    def _decisions_section(self, decisions: tuple[DecisionRecord, ...]) -> QFrame:
        frame, layout = self._section(self.tr("Decisions"))
        if not decisions:
            layout.addWidget(
                hint(self.tr('No decision yet. Use "Decide and hand on" when you are ready.'))
            )
        for decision in decisions:
            try:
                outcome = self.tr(Outcome(decision.outcome).label)
            except ValueError:
                outcome = decision.outcome.replace("_", " ").capitalize()
            layout.addWidget(
                _bold(
                    record_label(
                        self.tr("{outcome}: decided {when} by {who}").format(
                            outcome=outcome,
                            when=local_when(decision.decided_at),
                            who=decision.decided_by_name or self._who(decision.decided_by),
                        )
                    )
                )
            )
            layout.addWidget(
                record_label(self.tr("Reason: {reason}").format(reason=decision.reason))
            )
            if decision.review_on is not None:
                layout.addWidget(
                    record_label(
                        self.tr("Review on {day}").format(day=local_day(decision.review_on))
                    )
                )
        return frame

    def _referrals_section(self, referrals: tuple[ReferralRecord, ...]) -> QFrame:
        frame, layout = self._section(self.tr("Referrals"))
        if not referrals:
            layout.addWidget(hint(self.tr("No referrals.")))
        for referral in referrals:
            words = self.tr("{ref} · {kind} · {status}").format(
                ref=referral.ref, kind=self.tr(referral.kind.label), status=referral.status.label
            )
            if referral.status is ReferralStatus.CLOSED and referral.response:
                words += "\n" + self.tr("Response: {response}").format(response=referral.response)
            line = QHBoxLayout()
            line.addWidget(record_label(words, self.tr("Referral")), 1)
            line.addWidget(
                _button(
                    self.tr("Make the referral PDF…"),
                    self.tr("Make the referral PDF for {ref}").format(ref=referral.ref),
                    functools.partial(self.referral_requested.emit, referral.ref),
                ),
                0,
                Qt.AlignmentFlag.AlignTop,
            )
            layout.addLayout(line)
        return frame

    # Changes -----------------------------------------------------------------------------

    def _change(self, fn: Callable[..., Any], *args: Any, done: str) -> None:
        """Run a change on the worker, then read the file again and say ``done``."""
        if self.busy:
            return
        self.busy = True
        self._set_buttons_enabled(False)
        self.message.clear_message()
        self._worker.submit(
            fn, *args, on_done=functools.partial(self._changed, done), on_error=self._failed
        )

    def _changed(self, done: str, _: object) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.accept()
        self._reload(done)

    def link_child(self, position: int, child_id: int) -> None:
        self._change(_link, self._session, self.ref, position, child_id, done=self.tr("Linked."))

    def create_child(self, position: int) -> None:
        self._change(
            _create_child,
            self._session,
            self.ref,
            position,
            done=self.tr("A new child record was made and linked."),
        )

    def reopen(self) -> None:
        self._change(_set_status, self._session, self.ref, "open", "", done=self.tr("Reopened."))

    def _open(self, dialog: CaseworkDialog, submit: Callable[[], None]) -> None:
        if self.dialog is not None or self.file is None:
            return
        self.dialog = dialog
        dialog.confirm_button.clicked.connect(submit)
        dialog.finished.connect(functools.partial(self._dialog_closed, dialog))
        self.message.clear_message()
        dialog.open()

    def _dialog_closed(self, dialog: QDialog, _: int) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _checked(self, make: Callable[[], Any]) -> Any:
        """What the open dialog holds, checked; None (and the sentence shown) if not."""
        dialog = self.dialog
        if dialog is None or dialog.busy:
            return None
        dialog.clear_errors()
        try:
            value = make()
        except BadInput as error:
            dialog.show_failure(error.message, error.field)
            return None
        dialog.set_busy(True)
        return value

    def open_action_dialog(self) -> None:
        dialog = AddActionDialog(self._session.user.display_name, self)
        self._open(dialog, self._submit_action)
        dialog.kind.setFocus()

    def _submit_action(self) -> None:
        dialog = self.dialog
        if not isinstance(dialog, AddActionDialog):
            return
        action = self._checked(dialog.action)
        if action is not None:
            self._change(
                _add_action, self._session, self.ref, action, done=self.tr("Action added.")
            )

    def open_done_dialog(self, follow_up: FollowUpRecord) -> None:
        dialog = MarkDoneDialog(local_day(follow_up.due_on), follow_up.what, self)
        dialog.setProperty("sgFollowUpId", follow_up.follow_up_id)
        self._open(dialog, self._submit_done)
        dialog.note.setFocus()

    def _submit_done(self) -> None:
        dialog = self.dialog
        if not isinstance(dialog, MarkDoneDialog):
            return
        note = self._checked(dialog.note_text)
        if note is not None:
            self._change(
                _complete_follow_up,
                self._session,
                int(dialog.property("sgFollowUpId")),
                note,
                done=self.tr("Follow-up marked done."),
            )

    def originals(self) -> dict[str, str]:
        """Each amendable part as submitted, in the words shown on the page."""
        if self.file is None:
            return {}
        body = self.file.concern.body
        originals = {part: _text(body.get(part)) for part in ("location", *_TEXT_PARTS)}
        occurred = _text(body.get("occurred_at"))
        originals["occurred_at"] = local_when(occurred) if occurred else ""
        children = body.get("children")
        originals["children"] = "\n".join(
            "; ".join(
                [_text(c.get("name")), _text(c.get("date_of_birth")), _text(c.get("group"))]
            ).strip("; ")
            for c in (children if isinstance(children, list) else [])
            if isinstance(c, dict)
        )
        return originals

    def open_amend_dialog(self) -> None:
        dialog = AmendmentDialog(self.originals(), self)
        self._open(dialog, self._submit_amendment)
        dialog.field.setFocus()

    def _submit_amendment(self) -> None:
        dialog = self.dialog
        if not isinstance(dialog, AmendmentDialog):
            return
        amendment = self._checked(dialog.amendment)
        if amendment is not None:
            self._change(
                _amend, self._session, self.ref, amendment, done=self.tr("Correction added.")
            )

    def open_close_dialog(self) -> None:
        dialog = CloseConcernDialog(self.ref, self)
        self._open(dialog, self._submit_close)
        dialog.reason.setFocus()

    def _submit_close(self) -> None:
        dialog = self.dialog
        if not isinstance(dialog, CloseConcernDialog):
            return
        reason = self._checked(dialog.reason_text)
        if reason is not None:
            self._change(
                _set_status, self._session, self.ref, "closed", reason, done=self.tr("Closed.")
            )


# On the worker: one service call each. ------------------------------------------------


def _link(session: CaseSession, ref: str, position: int, child_id: int) -> None:
    session.casework.link_child(ref, position, child_id)


def _create_child(session: CaseSession, ref: str, position: int) -> int:
    return session.casework.create_child_for(ref, position)


def _set_status(session: CaseSession, ref: str, status: str, reason: str) -> None:
    session.casework.set_status(ref, status, reason)


def _add_action(session: CaseSession, ref: str, action: Any) -> int:
    return session.casework.add_action(action, ref=ref)


def _complete_follow_up(session: CaseSession, follow_up_id: int, note: str) -> None:
    session.casework.complete_follow_up(follow_up_id, note)


def _amend(session: CaseSession, ref: str, amendment: Any) -> int:
    return session.casework.amend(ref, amendment)
