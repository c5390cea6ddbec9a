"""Under a referral on the concern page: what has happened since it was made.

The agency's acknowledgement, each outcome in date order with whether the lead agrees,
and under an outcome the lead challenged, each stage of the escalation with its result
or, while it is open, "Raise it to stage N…" and "Record the result…". An answer an
earlier version kept as free text is shown as it was written. Buttons emit the record
they are about; the concern view opens the dialog (ui/casework/after_referral_dialogs.py).
Everything shown is record text through ``record_label``.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from safeguard_desktop.domain.records import ReferralRecord
from safeguard_desktop.domain.referral import ReferralKind
from safeguard_desktop.domain.referral_outcome import (
    EscalationRecord,
    OutcomeRecord,
    ReferralProgress,
)

from ..theme import bold, hint
from ..widgets.page_parts import sized_button
from ..widgets.record_text import record_label
from .concern_models import local_day


class ReferralProgressView(QWidget):
    """What happened after one referral; it changes nothing itself."""

    acknowledge_requested = Signal(object)  # ReferralRecord
    outcome_requested = Signal(object)  # ReferralRecord
    next_stage_requested = Signal(object)  # EscalationRecord
    result_requested = Signal(object)  # EscalationRecord

    def __init__(
        self,
        referral: ReferralRecord,
        progress: ReferralProgress,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.referral = referral
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 0, 0, 0)
        layout.setSpacing(4)
        if referral.response:
            layout.addWidget(
                record_label(
                    self.tr("Their answer, written down on {day}: {response}").format(
                        day=local_day(referral.closed_at), response=referral.response
                    ),
                    self.tr("The agency's answer"),
                )
            )
        for ack in progress.acknowledgements:
            words = self.tr("Acknowledged on {day} by {who}.").format(
                day=local_day(ack.acknowledged_on), who=ack.by
            )
            if ack.their_reference:
                words += " " + self.tr("Their reference: {ref}.").format(ref=ack.their_reference)
            layout.addWidget(record_label(words, self.tr("Acknowledgement")))
        shown: set[int] = set()
        for outcome in progress.outcomes:
            self._outcome(layout, outcome)
            for escalation in progress.escalations:
                if escalation.outcome_id == outcome.outcome_id:
                    self._escalation(layout, escalation)
                    shown.add(escalation.escalation_id)
        for escalation in progress.escalations:
            if escalation.escalation_id not in shown:
                self._escalation(layout, escalation)
        if (
            referral.kind is ReferralKind.SOCIAL_CARE
            and not progress.outcomes
            and not referral.response
        ):
            layout.addWidget(
                hint(
                    self.tr(
                        "Waiting for their decision: children's social care should decide "
                        "within one working day and tell you. A follow-up chases it."
                    )
                )
            )
        buttons = QHBoxLayout()
        if not progress.acknowledgements:
            self.acknowledge_button = sized_button(
                self.tr("Acknowledged…"),
                self.tr("Record that {ref} was acknowledged").format(ref=referral.ref),
                functools.partial(self.acknowledge_requested.emit, referral),
            )
            buttons.addWidget(self.acknowledge_button)
        self.outcome_button = sized_button(
            self.tr("Record an outcome…"),
            self.tr("Record an outcome of {ref}").format(ref=referral.ref),
            functools.partial(self.outcome_requested.emit, referral),
        )
        buttons.addWidget(self.outcome_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _outcome(self, layout: QVBoxLayout, outcome: OutcomeRecord) -> None:
        layout.addSpacing(2)
        layout.addWidget(
            bold(
                record_label(
                    self.tr("{day} · {outcome}").format(
                        day=local_day(outcome.decided_on), outcome=self.tr(outcome.label)
                    ),
                    self.tr("Outcome"),
                )
            )
        )
        if outcome.conference_result is not None:
            layout.addWidget(
                record_label(
                    self.tr("The conference decided: {result}.").format(
                        result=self.tr(outcome.conference_result.label)
                    )
                )
            )
        if outcome.note.strip():
            layout.addWidget(record_label(outcome.note, self.tr("What they said")))
        view = record_label(
            self.tr("You agree with this.")
            if outcome.lead_agrees
            else self.tr("You DISAGREE with this, and challenged it:"),
            self.tr("Your view"),
        )
        if not outcome.lead_agrees:
            bold(view)
        layout.addWidget(view)

    def _escalation(self, layout: QVBoxLayout, escalation: EscalationRecord) -> None:
        box = QVBoxLayout()
        box.setContentsMargins(16, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(
            record_label(
                self.tr("{stage}: raised with {whom} on {day}.").format(
                    stage=self.tr(escalation.stage.label),
                    whom=escalation.to_whom,
                    day=local_day(escalation.raised_on),
                ),
                self.tr("Escalation"),
            )
        )
        box.addWidget(
            record_label(self.tr("Why: {reason}").format(reason=escalation.reason), self.tr("Why"))
        )
        if escalation.result is not None:
            box.addWidget(
                record_label(
                    self.tr("Result, {day}: {result}").format(
                        day=local_day(escalation.result_on), result=escalation.result
                    ),
                    self.tr("Result of the escalation"),
                )
            )
        else:
            line = QHBoxLayout()
            line.addWidget(hint(self.tr("Open: no result yet.")), 1)
            following = escalation.stage.next
            if following is not None:
                line.addWidget(
                    sized_button(
                        self.tr("Raise it to stage {n}…").format(n=int(following)),
                        self.tr("Raise the escalation to stage {n}").format(n=int(following)),
                        functools.partial(self.next_stage_requested.emit, escalation),
                    ),
                    0,
                    Qt.AlignmentFlag.AlignTop,
                )
            line.addWidget(
                sized_button(
                    self.tr("Record the result…"),
                    self.tr("Record the result of the escalation, stage {n}").format(
                        n=int(escalation.stage)
                    ),
                    functools.partial(self.result_requested.emit, escalation),
                ),
                0,
                Qt.AlignmentFlag.AlignTop,
            )
            box.addLayout(line)
        layout.addLayout(box)
