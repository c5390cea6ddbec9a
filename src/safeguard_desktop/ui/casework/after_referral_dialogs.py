"""Dialogs for what happens after a referral: the agency's acknowledgement, an outcome (and
the lead's view of it), and the stages of an escalation.

Like the other casework dialogs these only collect what is typed and check it with the
domain's own checked constructors (domain/referral_outcome.py), which list every gap at
once: each is shown under its own field. The concern view sends the result to
services/after_referral.py on the worker, which checks it all again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.errors import BadInput, IncompleteDecision
from safeguard_desktop.domain.records import ReferralRecord
from safeguard_desktop.domain.referral_outcome import (
    ESCALATION_FOLLOW_UP_DAYS,
    Acknowledgement,
    AgencyOutcome,
    ConferenceResult,
    EscalationRecord,
    EscalationResult,
    EscalationStage,
    NewEscalation,
    NewOutcome,
    outcomes_for,
    referred_on,
)

from ..widgets.casework_dialog import CaseworkDialog, Value
from ..widgets.form_fields import date_edit, text_box, to_date, to_qdate
from ..widgets.record_text import record_label
from ..worker import Failure
from .concern_models import local_day


class _AfterReferralDialog(CaseworkDialog):
    """Shows every gap the domain lists, each under its own field."""

    def start_saving(self, read: Callable[[], Value]) -> Value | None:
        if self.busy:
            return None
        self.clear_errors()
        try:
            value = read()
        except IncompleteDecision as error:
            self.show_gaps(error.problems)
            return None
        except BadInput as error:
            self.show_failure(error.message, error.field)
            return None
        self.set_busy(True)
        return value

    def show_worker_failure(self, failure: Failure) -> None:
        if isinstance(failure.error, IncompleteDecision):
            self.show_gaps(failure.error.problems)
        else:
            super().show_worker_failure(failure)

    def show_gaps(self, problems: tuple[tuple[str, str], ...]) -> None:
        """Each sentence under its field, the focus on the first; the rest together below."""
        self.set_busy(False)
        self.clear_errors()
        for field, message in reversed(problems):
            if field in self.field_errors:
                self.show_failure(message, field)
        elsewhere = [message for field, message in problems if field not in self.field_errors]
        if elsewhere:
            self.error.show_error(" ".join(elsewhere))

    def caption_of(self, widget: QWidget) -> QLabel | None:
        """The label ``add_field`` put above ``widget``."""
        return next((c for c in self.body.findChildren(QLabel) if c.buddy() is widget), None)

    def date_field(self, label: str, accessible: str, field: str, earliest: date) -> QDateEdit:
        """A date from ``earliest`` to today, today to start with."""
        edit = date_edit(accessible)
        edit.setMinimumDate(to_qdate(earliest))
        edit.setMaximumDate(to_qdate(date.today()))
        edit.setDate(to_qdate(date.today()))
        self.add_field(label, edit, field)
        return edit


class AcknowledgementDialog(_AfterReferralDialog):
    """The agency has the referral: when, who there said so, their reference."""

    def __init__(self, referral: ReferralRecord, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Referral {ref} acknowledged").format(ref=referral.ref),
            self.tr("&Record the acknowledgement"),
            self.tr("Record the acknowledgement"),
            parent,
        )
        self._referred_on = referred_on(referral.created_at)
        self.acknowledged_on = self.date_field(
            self.tr("&When did they acknowledge it?"),
            self.tr("When they acknowledged it"),
            "acknowledged_on",
            self._referred_on,
        )
        self.by = QLineEdit()
        self.by.setAccessibleName(self.tr("Who acknowledged it"))
        self.by.setMaxLength(500)
        self.add_field(
            self.tr("W&ho acknowledged it?"),
            self.by,
            "by",
            self.tr('Their name and team, for example "J. Example, MASH duty social worker".'),
        )
        self.their_reference = QLineEdit()
        self.their_reference.setAccessibleName(self.tr("Their reference"))
        self.their_reference.setMaxLength(500)
        self.add_field(
            self.tr("Their re&ference (if they gave one)"), self.their_reference, "their_reference"
        )
        self.form.addStretch(1)

    def acknowledgement(self) -> Acknowledgement:
        return Acknowledgement.checked(
            acknowledged_on=to_date(self.acknowledged_on.date()),
            by=self.by.text(),
            their_reference=self.their_reference.text(),
            today=date.today(),
            referred_on=self._referred_on,
        )


class OutcomeDialog(_AfterReferralDialog):
    """What the agency decided (or what has happened since), when, and whether the lead
    agrees; disagreeing asks for the first stage of an escalation."""

    def __init__(self, referral: ReferralRecord, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("An outcome of referral {ref}").format(ref=referral.ref),
            self.tr("&Record the outcome"),
            self.tr("Record the outcome"),
            parent,
        )
        self._kind = referral.kind
        self._referred_on = referred_on(referral.created_at)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(self.tr("What they decided"))
        for outcome in outcomes_for(referral.kind):
            self.outcome.addItem(self.tr(outcome.label), outcome.value)
        self.add_field(
            self.tr("&What did they decide, or what has happened?"),
            self.outcome,
            "outcome",
            self.tr(
                "Record each step as it happens: a strategy discussion, then a section 47 "
                "enquiry, then a conference are three outcomes, each with its date."
            ),
        )
        self.decided_on = self.date_field(
            self.tr("W&hen?"), self.tr("When it was decided"), "decided_on", self._referred_on
        )
        self.conference_box = QWidget()
        conference = QVBoxLayout(self.conference_box)
        conference.setContentsMargins(0, 0, 0, 0)
        self.conference_result = QComboBox()
        self.conference_result.setAccessibleName(self.tr("What the conference decided"))
        self.conference_result.addItem(self.tr("Choose…"), "")
        for result in ConferenceResult:
            self.conference_result.addItem(self.tr(result.label), result.value)
        self.add_field(
            self.tr("What did the &conference decide?"),
            self.conference_result,
            "conference_result",
            into=conference,
        )
        self.form.addWidget(self.conference_box)
        self.note = text_box(self.tr("What they said"), 4, fixed=True)
        self.add_field(self.tr("What they &said"), self.note, "note")

        self.agree_yes = QRadioButton(self.tr("&Yes, I agree"))
        self.agree_yes.setAccessibleName(self.tr("Yes, I agree with their decision"))
        self.agree_no = QRadioButton(self.tr("&No, I disagree: I will challenge it"))
        self.agree_no.setAccessibleName(self.tr("No, I disagree and will challenge it"))
        self.agreement = QButtonGroup(self)
        for choice in (self.agree_yes, self.agree_no):
            self.agreement.addButton(choice)
        # One under the other: side by side, the long second answer squeezed the first
        # ("Yes, I agre") on a narrow dialog and at 150 % text.
        agree_row = QWidget()
        row = QVBoxLayout(agree_row)
        row.setContentsMargins(0, 0, 0, 0)
        # Each as wide as the row: one held to its measured width was still cut at 150 %.
        for choice in (self.agree_yes, self.agree_no):
            row.addWidget(choice)
        agree_row.setFocusProxy(self.agree_yes)  # where a problem with the answer is shown
        self.add_field(
            self.tr("Do you agree with their decision?"),
            agree_row,
            "lead_agrees",
            self.tr(
                "If you think the child is still at risk, challenge it under your local "
                "safeguarding partnership's resolution (escalation) policy."
            ),
        )
        self.escalation_box = QWidget()
        escalation = QVBoxLayout(self.escalation_box)
        escalation.setContentsMargins(24, 0, 0, 0)
        escalation.setSpacing(6)
        escalation.addWidget(
            record_label(
                self.tr(EscalationStage.PRACTITIONER.label),
                self.tr("The stage of the escalation"),
            )
        )
        self.escalation = _EscalationFields(self, escalation, "escalation.", date.today())
        self.form.addWidget(self.escalation_box)
        self.form.addStretch(1)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.agreement.buttonToggled.connect(self._agreement_changed)
        self._outcome_changed()
        self._agreement_changed()

    def chosen(self) -> AgencyOutcome:
        return AgencyOutcome(str(self.outcome.currentData()))

    def _outcome_changed(self) -> None:
        chosen = self.chosen()
        self.conference_box.setVisible(chosen is AgencyOutcome.CONFERENCE)
        label = self.tr(chosen.note_label)
        self.note.setAccessibleName(label)
        caption = self.caption_of(self.note)
        if caption is not None:
            # The same access key (S) whichever words the caption has.
            if "said" in label:
                caption.setText(label.replace("said", "&said", 1))
            else:
                caption.setText(label.replace("reason", "rea&son", 1))
        self.fit_height()

    def _agreement_changed(self) -> None:
        self.escalation_box.setVisible(self.agree_no.isChecked())
        self.fit_height()

    def outcome_record(self) -> NewOutcome:
        agrees: bool | None = None
        if self.agree_yes.isChecked():
            agrees = True
        elif self.agree_no.isChecked():
            agrees = False
        result = str(self.conference_result.currentData() or "")
        return NewOutcome.checked(
            outcome=self.chosen(),
            decided_on=to_date(self.decided_on.date()),
            note=self.note.toPlainText(),
            conference_result=result or None,
            lead_agrees=agrees,
            escalation=self.escalation.value(EscalationStage.PRACTITIONER)
            if agrees is False
            else None,
            kind=self._kind,
            today=date.today(),
            referred_on=self._referred_on,
        )


class _EscalationFields:
    """With whom a stage was raised, when, why, and when to follow it up."""

    def __init__(
        self, dialog: CaseworkDialog, layout: QVBoxLayout, prefix: str, earliest: date
    ) -> None:
        tr = dialog.tr
        self.to_whom = QLineEdit()
        self.to_whom.setAccessibleName(tr("Raised with whom"))
        self.to_whom.setMaxLength(500)
        dialog.add_field(
            tr("Raised with wh&om?"),
            self.to_whom,
            prefix + "to_whom",
            tr('Their name and role, for example "A. Example, team manager, MASH".'),
            into=layout,
        )
        self.raised_on = date_edit(tr("When it was raised"))
        self.raised_on.setMinimumDate(to_qdate(earliest))
        self.raised_on.setMaximumDate(to_qdate(date.today()))
        self.raised_on.setDate(to_qdate(date.today()))
        dialog.add_field(
            tr("When was it r&aised?"), self.raised_on, prefix + "raised_on", into=layout
        )
        self.reason = text_box(tr("Why you disagree"), 3, fixed=True)
        dialog.add_field(tr("Why do you &disagree?"), self.reason, prefix + "reason", into=layout)
        self.follow_up_on = date_edit(tr("Follow up the escalation on"))
        self.follow_up_on.setMinimumDate(to_qdate(date.today()))
        self.follow_up_on.setDate(
            to_qdate(date.today() + timedelta(days=ESCALATION_FOLLOW_UP_DAYS))
        )
        dialog.add_field(
            tr("&Follow it up on"),
            self.follow_up_on,
            prefix + "follow_up_on",
            tr(
                "A week from today unless you change it. It shows on Home, and closes "
                "itself when you record the result or raise it to the next stage."
            ),
            into=layout,
        )

    def value(self, stage: EscalationStage) -> NewEscalation:
        """What was typed, unchecked: the outcome's (or the stage's) check covers it."""
        return NewEscalation(
            stage=stage,
            to_whom=self.to_whom.text(),
            raised_on=to_date(self.raised_on.date()),
            reason=self.reason.toPlainText(),
            follow_up_on=to_date(self.follow_up_on.date()),
        )


class NextStageDialog(_AfterReferralDialog):
    """The challenge was not resolved at its stage: raise it with someone more senior."""

    def __init__(self, previous: EscalationRecord, parent: QWidget | None = None) -> None:
        following = previous.stage.next
        assert following is not None  # the view offers this only before the last stage
        super().__init__(
            self.tr("Raise the escalation to stage {n}").format(n=int(following)),
            self.tr("&Raise it to stage {n}").format(n=int(following)),
            self.tr("Raise it to stage {n}").format(n=int(following)),
            parent,
        )
        self._previous = previous
        self._stage = following
        self.form.addWidget(
            record_label(
                self.tr("Stage {n} was raised with {whom} on {day}.").format(
                    n=int(previous.stage), whom=previous.to_whom, day=local_day(previous.raised_on)
                ),
                self.tr("The stage before"),
            )
        )
        self.form.addWidget(record_label(self.tr(following.label), self.tr("The new stage")))
        self.fields = _EscalationFields(self, self.form, "", previous.raised_on)
        self.fields.reason.setPlainText(previous.reason)
        self.form.addStretch(1)

    def escalation(self) -> NewEscalation:
        return NewEscalation.checked(
            **vars(self.fields.value(self._stage)),
            today=date.today(),
            referred_on=self._previous.raised_on,
        )


class EscalationResultDialog(_AfterReferralDialog):
    """How the challenge ended at its stage."""

    def __init__(self, escalation: EscalationRecord, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("The result of the escalation, stage {n}").format(n=int(escalation.stage)),
            self.tr("&Record the result"),
            self.tr("Record the result"),
            parent,
        )
        self._escalation = escalation
        self.form.addWidget(
            record_label(
                self.tr("Raised with {whom} on {day}.").format(
                    whom=escalation.to_whom, day=local_day(escalation.raised_on)
                ),
                self.tr("The escalation"),
            )
        )
        self.result_box = text_box(self.tr("The result"), 4, fixed=True)
        self.add_field(
            self.tr("&What was the result?"),
            self.result_box,
            "result",
            self.tr(
                'For example: "The team manager agreed to a child and family assessment." '
                'or "Explained; I now agree with no further action."'
            ),
        )
        self.result_on = self.date_field(
            self.tr("W&hen?"), self.tr("When it was resolved"), "result_on", escalation.raised_on
        )
        self.form.addStretch(1)

    def escalation_result(self) -> EscalationResult:
        return EscalationResult.checked(
            result=self.result_box.toPlainText(),
            result_on=to_date(self.result_on.date()),
            today=date.today(),
            raised_on=self._escalation.raised_on,
        )
