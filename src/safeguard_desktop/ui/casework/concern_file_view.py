"""A concern file on screen: the concern exactly as submitted, and what was added beside it.

``ConcernFileView`` is built from one ``ConcernFile`` and shows it; it changes nothing.
Corrections (amendments) sit directly under the part they correct, marked as corrections
with their reason, who and when; the text above them is as the recorder submitted it.
Around the concern: each child it names, with the record it is linked to or the records
it may be (``link_requested``, ``create_requested``, ``child_requested``; a child whose
file was deleted at its retention review is said so, and offers neither), the files
attached to it (ui/attachments/attachment_list.py: ``attachments``), the actions,
follow-ups (``done_requested``), decisions and referrals (``referral_requested``), and
under each referral what happened after it (ui/casework/referral_progress_view.py:
``acknowledge_requested``, ``outcome_requested``, ``next_stage_requested``,
``result_requested``).

Record text is shown through ``record_label``: plain text, ``display_safe``, never
selectable. The ``ConcernView`` around it reads the file on the worker and rebuilds this
widget after every change.

Over 500 lines because it is one widget laid out top to bottom from one ConcernFile,
each section reading the same file, names and lead's title.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.casework import AMENDABLE_FIELDS
from safeguard_desktop.domain.concern import BodyMark, Child, Concern
from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.domain.handoff import Outcome
from safeguard_desktop.domain.records import (
    ActionRecord,
    AmendmentRecord,
    ChildRecord,
    DecisionRecord,
    FollowUpRecord,
)
from safeguard_desktop.domain.referral_outcome import ReferralProgress
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services.casework import ConcernFile, LinkChoice

from ..attachments.attachment_list import AttachmentList
from ..recording.body_map import OutlineCanvas
from ..theme import ERROR_INK, banner, bold, hint
from ..widgets.page_parts import button_row, section_card, sized_button
from ..widgets.record_text import record_label
from .concern_models import category_words, local_day, local_when
from .referral_progress_view import ReferralProgressView

# The parts of a concern in the order they are shown; each may carry corrections.
TEXT_PARTS = ("observed", "child_words", "presentation", "others_present", "actions_taken")


def text_value(value: object) -> str:
    return value if isinstance(value, str) else ""


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ConcernFileView(QWidget):
    """Everything in one concern file, laid out to read top to bottom."""

    link_requested = Signal(int, int)  # position in the concern, child record id
    create_requested = Signal(int)  # position: make a new child record from it
    child_requested = Signal(int)  # open this child record
    done_requested = Signal(object)  # FollowUpRecord to mark done
    referral_requested = Signal(str)  # referral reference: make its PDF
    acknowledge_requested = Signal(object)  # ReferralRecord: the agency has it
    outcome_requested = Signal(object)  # ReferralRecord: an outcome, and the lead's view
    next_stage_requested = Signal(object)  # EscalationRecord: raise it to the next stage
    result_requested = Signal(object)  # EscalationRecord: how that stage ended

    def __init__(
        self,
        file: ConcernFile,
        *,
        names: dict[str, str],
        lead_title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._names = names
        self._lead_title = lead_title
        # The page connects it to its AttachmentActions, which outlive this widget.
        self.attachments = AttachmentList()
        self._build(file)

    def _who(self, username: str) -> str:
        return display_safe(self._names.get(username, username))

    def _build(self, file: ConcernFile) -> None:
        recorded = file.concern.recorded
        corrections: dict[str, list[AmendmentRecord]] = defaultdict(list)
        for amendment in file.amendments:
            corrections[amendment.field].append(amendment)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 16, 28, 28)
        layout.setSpacing(14)
        if recorded.immediate_danger:
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
        layout.addWidget(self._concern_section(recorded, corrections))
        layout.addWidget(self._attachments_section(file))
        layout.addWidget(self._actions_section(file.actions))
        layout.addWidget(self._follow_ups_section(file.follow_ups))
        names = _child_names(file)
        layout.addWidget(self._decisions_section(file.decisions, names))
        layout.addWidget(self._referrals_section(file, names))
        layout.addStretch(1)

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
        layout.addWidget(bold(QLabel(caption)))
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
            bold(
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
        frame, layout = section_card(self.tr("Children"))
        happened_on = file.concern.recorded.occurred_at.date()
        for choice in file.children:
            layout.addWidget(self._child_box(choice, happened_on))
        for amendment in corrections:
            layout.addWidget(self._correction(amendment))
        return frame

    def _child_words(self, named: Child, happened_on: date) -> list[str]:
        lines = []
        born_day, age = named.date_of_birth, named.approximate_age
        if born_day is not None:
            if happened_on >= born_day:
                lines.append(
                    self.tr("Born {dob} (aged {age} when it happened)").format(
                        dob=local_day(born_day), age=age_on(born_day, happened_on)
                    )
                )
            else:
                lines.append(self.tr("Born {dob}").format(dob=local_day(born_day)))
        elif age is not None:
            lines.append(self.tr("Date of birth not known; about {age} years old").format(age=age))
        else:
            lines.append(self.tr("Date of birth and age not given"))
        group = named.group
        if group:
            lines.append(self.tr("Group, class or team: {group}").format(group=group))
        needs = named.additional_needs
        if needs:
            lines.append(self.tr("Known additional needs: {needs}").format(needs=needs))
        return lines

    def _child_box(self, choice: LinkChoice, happened_on: date) -> QFrame:
        box = QFrame()
        box.setStyleSheet(
            "QFrame#childBox { border: 1px solid #d5dae0; border-radius: 6px;"
            " background: #f8f9fb; }"
        )
        box.setObjectName("childBox")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        name = choice.named.name or self.tr("(no name given)")
        title = bold(record_label(name, self.tr("Child {n}").format(n=choice.position + 1)))
        layout.addWidget(title)
        for line in self._child_words(choice.named, happened_on):
            layout.addWidget(record_label(line))

        if choice.link.file_deleted_at:
            # Never linked again (the services refuse it): no buttons to try.
            gone = bold(
                record_label(
                    self.tr(
                        "This child's file was deleted at its retention review on {day}. The "
                        "concern is kept for the other children it names."
                    ).format(day=_local_long_day(choice.link.file_deleted_at)),
                    self.tr("This child's file was deleted"),
                )
            )
            layout.addWidget(gone)
            return box

        if choice.linked is not None:
            record = choice.linked
            linked = record_label(
                self.tr("Linked to the child record: {child}.").format(child=self._named(record)),
                self.tr("Linked child record"),
            )
            linked.setProperty("sgRole", "good")
            layout.addWidget(linked)
            # The child's plans and statuses now (a child protection plan, looked after…):
            # the lead professional needs to hear of this concern.
            statuses = "; ".join(s.words() for s in choice.statuses)
            layout.addWidget(
                record_label(
                    self.tr("Plans and statuses now: {statuses}.").format(statuses=statuses)
                    if statuses
                    else self.tr("No plan or status recorded for this child."),
                    self.tr("The child's plans and statuses"),
                )
            )
            layout.addLayout(
                button_row(
                    sized_button(
                        self.tr("Open child"),
                        self.tr("Open the child record of {name}").format(name=record.name),
                        functools.partial(self.child_requested.emit, record.child_id),
                    )
                )
            )
            return box

        layout.addWidget(bold(QLabel(self.tr("Not linked to a child record yet."))))
        if choice.suggestions:
            layout.addWidget(
                hint(self.tr("It may be a child already in the records. Check, then choose:"))
            )
        for suggestion, record in choice.suggestions:
            who = bold(record_label(self._named(record), self.tr("Possible match")))
            reason = suggestion.reason[:1].upper() + suggestion.reason[1:]
            why = record_label(
                self.tr("STRONG MATCH: {reason}.").format(reason=reason)
                if suggestion.strong
                else self.tr("Possible match: {reason}.").format(reason=reason),
                self.tr("Why it may be the same child"),
            )
            if suggestion.strong:
                why.setProperty("sgRole", "good")
                bold(why)
            else:
                why.setProperty("sgRole", "hint")
            words = QVBoxLayout()
            words.setSpacing(2)
            words.addWidget(who)
            words.addWidget(why)
            same = sized_button(
                self.tr("This is the same child"),
                self.tr("This is the same child: {child}").format(child=self._named(record)),
                functools.partial(self.link_requested.emit, choice.position, record.child_id),
            )
            suggestion_row = QHBoxLayout()
            suggestion_row.addLayout(words, 1)
            suggestion_row.addWidget(same, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(suggestion_row)
        # Apart from the suggestions, so it is not read as one of them.
        layout.addSpacing(6)
        create = sized_button(
            self.tr("A child not in the records yet: create a record"),
            self.tr("Create a new child record for {name}").format(name=name),
            functools.partial(self.create_requested.emit, choice.position),
        )
        layout.addLayout(button_row(create))
        return box

    def _named(self, record: ChildRecord) -> str:
        """ "Maya Fictional, born 14 Jun 2015", or "Tom Example (date of birth not known)"."""
        born = local_day(record.details.date_of_birth)
        if born:
            return self.tr("{name}, born {dob}").format(name=record.name, dob=born)
        return self.tr("{name} (date of birth not known)").format(name=record.name)

    # The concern as submitted ----------------------------------------------------------

    def _concern_section(
        self, recorded: Concern, corrections: dict[str, list[AmendmentRecord]]
    ) -> QFrame:
        frame, layout = section_card(self.tr("The concern as submitted"))
        self._part(
            layout,
            self.tr(AMENDABLE_FIELDS["occurred_at"]),
            local_when(recorded.occurred_at.isoformat()),
            corrections["occurred_at"],
        )
        self._part(
            layout,
            self.tr(AMENDABLE_FIELDS["location"]),
            recorded.location,
            corrections["location"],
            empty=self.tr("Not given."),
        )
        self._part(layout, self.tr("Categories"), category_words(list(recorded.categories)), [])
        for part in TEXT_PARTS:
            text = recorded.text(part)
            if part == "child_words" and text.strip():
                # The child's own words, unmistakably as quoted speech.
                text = f"“{text}”"
            self._part(layout, self.tr(AMENDABLE_FIELDS[part]), text, corrections[part])
        yes, no = self.tr("Yes"), self.tr("No")
        danger = recorded.immediate_danger
        danger_label = record_label(
            self.tr("Was a child in immediate danger? {answer}").format(
                answer=self.tr("YES") if danger else no
            )
        )
        if danger:
            bold(danger_label)
        layout.addSpacing(4)
        layout.addWidget(danger_label)
        layout.addWidget(
            record_label(
                self.tr("Already told the {lead} in person? {answer}").format(
                    lead=self._lead_title, answer=yes if recorded.told_dsl_in_person else no
                )
            )
        )
        self._body_map(layout, recorded.body_map)
        if corrections["other"]:
            layout.addSpacing(4)
            layout.addWidget(bold(QLabel(self.tr(AMENDABLE_FIELDS["other"]))))
            for amendment in corrections["other"]:
                layout.addWidget(self._correction(amendment))
        return frame

    def _body_map(self, layout: QVBoxLayout, marks: tuple[BodyMark, ...]) -> None:
        layout.addSpacing(4)
        layout.addWidget(bold(QLabel(self.tr("Body map"))))
        if not marks:
            layout.addWidget(hint(self.tr("No marks.")))
            return
        sides = {"front": self.tr("front"), "back": self.tr("back")}
        row = QHBoxLayout()
        for view in ("front", "back"):
            numbered = [(number, m.x, m.y) for number, m in enumerate(marks, 1) if m.view == view]
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
        for number, mark in enumerate(marks, 1):
            note = mark.note or self.tr("(no note)")
            notes.addWidget(
                record_label(
                    self.tr("Mark {n} ({side}): {note}").format(
                        n=number, side=sides[mark.view], note=note
                    )
                )
            )
        notes.addStretch(1)
        row.addLayout(notes, 1)
        layout.addLayout(row)

    # What the lead added ----------------------------------------------------------------

    def _attachments_section(self, file: ConcernFile) -> QFrame:
        """The original notes, letters and emails kept with the concern."""
        frame, layout = section_card(self.tr("Attachments"))
        self.attachments.show_attachments(file.attachments, self._names)
        layout.addWidget(self.attachments)
        return frame

    def _actions_section(self, actions: tuple[ActionRecord, ...]) -> QFrame:
        frame, layout = section_card(self.tr("Actions"))
        if not actions:
            layout.addWidget(hint(self.tr("No actions yet.")))
        for action in sorted(actions, key=lambda a: (a.occurred_at, a.action_id)):
            item = QVBoxLayout()
            item.setSpacing(2)
            item.addWidget(
                bold(
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
        frame, layout = section_card(self.tr("Follow-ups"))
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
                    sized_button(
                        self.tr("Mark done…"),
                        self.tr("Mark the follow-up due {due} done").format(due=due),
                        functools.partial(self.done_requested.emit, follow_up),
                    ),
                    0,
                    Qt.AlignmentFlag.AlignTop,
                )
            layout.addLayout(line)
        return frame

    def _decisions_section(
        self, decisions: tuple[DecisionRecord, ...], names: dict[int, str]
    ) -> QFrame:
        frame, layout = section_card(self.tr("Decisions"))
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
                bold(
                    record_label(
                        self.tr("{outcome}: decided {when} by {who}").format(
                            outcome=outcome,
                            when=local_when(decision.decided_at),
                            who=decision.decided_by_name or self._who(decision.decided_by),
                        )
                    )
                )
            )
            if len(names) > 1 and decision.child_position in names:
                layout.addWidget(
                    record_label(
                        self.tr("For {child}").format(child=names[decision.child_position])
                        + (
                            self.tr(" (made for the whole concern by an earlier version)")
                            if decision.migrated
                            else ""
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

    def _referrals_section(self, file: ConcernFile, names: dict[int, str]) -> QFrame:
        frame, layout = section_card(self.tr("Referrals"))
        referrals = file.referrals
        if not referrals:
            layout.addWidget(hint(self.tr("No referrals.")))
        for referral in referrals:
            words = self.tr("{ref} · {kind} · {status}").format(
                ref=referral.ref, kind=self.tr(referral.kind.label), status=referral.status.label
            )
            if len(names) > 1:
                child = (
                    names.get(referral.child_position, "")
                    if referral.child_position is not None
                    else ""
                )
                words += "\n" + (
                    self.tr("About {child}").format(child=child)
                    if child
                    else self.tr("Made for the whole concern by an earlier version")
                )
            line = QHBoxLayout()
            line.addWidget(record_label(words, self.tr("Referral")), 1)
            buttons = QVBoxLayout()
            buttons.addWidget(
                sized_button(
                    self.tr("Make the referral PDF…"),
                    self.tr("Make the referral PDF for {ref}").format(ref=referral.ref),
                    functools.partial(self.referral_requested.emit, referral.ref),
                )
            )
            line.addLayout(buttons)
            layout.addLayout(line)
            progress = file.after_referral.get(
                referral.referral_id, ReferralProgress(referral.referral_id)
            )
            after = ReferralProgressView(referral, progress)
            after.acknowledge_requested.connect(self.acknowledge_requested)
            after.outcome_requested.connect(self.outcome_requested)
            after.next_stage_requested.connect(self.next_stage_requested)
            after.result_requested.connect(self.result_requested)
            layout.addWidget(after)
            layout.addSpacing(8)
        return frame


def _local_long_day(iso: str) -> str:
    """A UTC time as its day here, in words ("2 March 2026")."""
    try:
        return long_date(local(datetime.fromisoformat(iso)).date())
    except ValueError:
        return display_safe(iso)


def _child_names(file: ConcernFile) -> dict[int, str]:
    """Each child of the concern by position: their record's name, else as recorded."""
    return {
        choice.position: display_safe(
            choice.linked.name if choice.linked is not None else choice.named.name
        )
        for choice in file.children
    }
