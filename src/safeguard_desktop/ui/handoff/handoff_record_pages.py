"""The handoff wizard's last steps: information sharing, the referral's words, check and record.

The referral is prefilled on the worker from the concern and what has been done since
(``services.handoff.referral_prefill``); every word stays editable. The check page shows
in plain words what recording will write, and recording itself is the wizard's job.

Over 500 lines because the last steps share the prefilled referral and the check page
reads all of them; each class is under 200 lines.
"""

from __future__ import annotations

import functools
import html
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
    QWizard,
)

from safeguard_desktop.domain.handoff import (
    DEFAULT_LAWFUL_BASIS,
    Consent,
    HandoffDecision,
    InformationSharing,
    Outcome,
)
from safeguard_desktop.domain.referral import ReferralContent, ReferralKind
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services.handoff import asking_for_default, referral_prefill

from ..referral.referral_content_fields import ReferralContentFields
from ..theme import BUTTON_MIN_HEIGHT, MessageLine, heading, hint, paragraph
from ..widgets.dialog_parts import busy_bar
from ..widgets.form_fields import text_box, to_qdate
from ..worker import Failure
from .handoff_parts import (
    CHILD_NOW,
    HandoffPage,
    OrgWords,
    date_edit,
    day_words,
    radio,
    section,
)

if TYPE_CHECKING:
    from safeguard_desktop.services.handoff import HandoffResult
    from safeguard_desktop.services.session import CaseSession


class SharingPage(HandoffPage):
    """4. Consent, the lawful basis for sharing, and whether the parents were told."""

    def __init__(self, words: OrgWords) -> None:
        super().__init__(words)
        self.set_title(self.tr("Information sharing"))
        layout = self.body_layout
        layout.addWidget(
            paragraph(
                self.tr(
                    "Ask the family for consent to share where you can, unless asking could "
                    "put the child at greater risk, or cause a delay that would. Safeguarding "
                    "a child comes first: UK GDPR and the Data Protection Act 2018 allow you to "
                    "share without consent to protect a child."
                )
            )
        )
        layout.addWidget(heading(self.tr("Consent"), level=2))
        self.consent_group = QButtonGroup(self)
        texts = {
            Consent.GIVEN: self.tr("Consent sought and &given"),
            Consent.REFUSED: self.tr("Consent sought and &refused"),
            Consent.NOT_SOUGHT: self.tr("Consent n&ot sought"),
        }
        self.consent_buttons: dict[Consent, QRadioButton] = {}
        for consent, text in texts.items():
            button = radio(text, self.tr(consent.label))
            self.consent_group.addButton(button)
            self.consent_buttons[consent] = button
            layout.addWidget(button)
        self.consent_error = MessageLine(self.tr("Problem with consent"))
        self.field_errors["information_sharing.consent"] = self.consent_error
        self.field_widgets["information_sharing.consent"] = self.consent_buttons[Consent.GIVEN]
        layout.addWidget(self.consent_error)

        # Early help rests on consent; without it the honest alternative is social care.
        self.early_help_box = QWidget()
        early_layout = section(self.early_help_box)
        early_layout.addWidget(
            hint(self.tr("Still worried about the child without the family's consent?"))
        )
        self.to_social_care = QPushButton(
            self.tr("Change to a referral to children's &social care")
        )
        self.to_social_care.setAccessibleName(
            self.tr("Change the decision to a referral to children's social care")
        )
        self.to_social_care.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.to_social_care.clicked.connect(lambda: self.handoff().switch_to_social_care())
        early_layout.addWidget(self.to_social_care, alignment=Qt.AlignmentFlag.AlignLeft)
        self.early_help_box.hide()
        layout.addWidget(self.early_help_box)

        self.reason_box = QWidget()
        reason_layout = section(self.reason_box)
        self.consent_reason = text_box(self.tr("Why consent was not sought, or what was said"), 3)
        self.add_field(
            reason_layout,
            "information_sharing.consent_reason",
            self.tr("&Why not sought, or what was said when it was refused"),
            self.consent_reason,
            self.tr("Problem with why consent was not given"),
        )
        self.reason_box.hide()
        layout.addWidget(self.reason_box)

        self.lawful_basis = text_box(self.tr("Lawful basis for sharing"), 4)
        self.lawful_basis.setPlainText(DEFAULT_LAWFUL_BASIS)
        self.add_field(
            layout,
            "information_sharing.lawful_basis",
            self.tr("&Lawful basis for sharing"),
            self.lawful_basis,
            self.tr("Problem with the lawful basis"),
            note=self.tr("Filled in with the usual basis; change it if yours differs."),
        )

        layout.addWidget(heading(self.tr("Parents or carers"), level=2))
        self.told_group = QButtonGroup(self)
        self.told_yes = radio(
            self.tr("&Yes, the parents or carers were told"), self.tr("Parents or carers told: yes")
        )
        self.told_no = radio(
            self.tr("No, they were no&t told"), self.tr("Parents or carers told: no")
        )
        for button in (self.told_yes, self.told_no):
            self.told_group.addButton(button)
            layout.addWidget(button)
        self.told_error = MessageLine(self.tr("Problem with whether parents were told"))
        self.field_errors["information_sharing.parents_told"] = self.told_error
        self.field_widgets["information_sharing.parents_told"] = self.told_yes
        layout.addWidget(self.told_error)
        self.not_told_box = QWidget()
        not_told_layout = section(self.not_told_box)
        self.not_told_reason = text_box(self.tr("Why the parents or carers were not told"), 3)
        self.add_field(
            not_told_layout,
            "information_sharing.parents_not_told_reason",
            self.tr("W&hy they were not told"),
            self.not_told_reason,
            self.tr("Problem with why the parents were not told"),
            note=self.tr("For example: telling them could put the child at greater risk."),
        )
        self.not_told_box.hide()
        layout.addWidget(self.not_told_box)
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.consent_group.buttonToggled.connect(self._consent_changed)
        self.told_group.buttonToggled.connect(self._told_changed)

    def chosen_consent(self) -> Consent | None:
        for consent, button in self.consent_buttons.items():
            if button.isChecked():
                return consent
        return None

    def initializePage(self) -> None:
        self._consent_changed()

    def first_field(self) -> QWidget:
        return self.consent_buttons[self.chosen_consent() or Consent.GIVEN]

    def _consent_changed(self) -> None:
        self.consent_error.clear_message()
        chosen = self.chosen_consent()
        self.reason_box.setVisible(chosen is not None and chosen is not Consent.GIVEN)
        wizard = self.wizard()
        early_help = wizard is not None and self.handoff().outcome() is Outcome.EARLY_HELP
        self.early_help_box.setVisible(
            early_help and chosen is not None and chosen is not Consent.GIVEN
        )

    def _told_changed(self) -> None:
        self.told_error.clear_message()
        self.not_told_box.setVisible(self.told_no.isChecked())

    def missing(self) -> tuple[str, str] | None:
        if not (self.told_yes.isChecked() or self.told_no.isChecked()):
            return (
                "information_sharing.parents_told",
                self.tr("Say whether the parents or carers were told."),
            )
        return None

    def sharing(self) -> InformationSharing:
        chosen = self.chosen_consent()
        # Not answered yet counts as told here, so the gate does not ask why they were not;
        # missing() asks the question itself.
        told = not self.told_no.isChecked()
        return InformationSharing(
            # Nothing chosen: the gate says "Say whether consent was sought, given or refused."
            consent=chosen if chosen is not None else "",  # type: ignore[arg-type]
            consent_reason="" if chosen is Consent.GIVEN else self.consent_reason.toPlainText(),
            lawful_basis=self.lawful_basis.toPlainText(),
            parents_told=told,
            parents_not_told_reason="" if told else self.not_told_reason.toPlainText(),
        )

    def nextId(self) -> int:
        return CHILD_NOW


def _prefill(session: CaseSession, ref: str, kind: ReferralKind) -> ReferralContent:
    """On the worker: what the referral says before the lead edits it."""
    return referral_prefill(session, ref, kind)


class ReferralPage(HandoffPage):
    """5. What the referral will say, prefilled and editable."""

    def __init__(self, words: OrgWords) -> None:
        super().__init__(words)
        self.set_title(self.tr("What the referral will say"))
        layout = self.body_layout
        self.kinds_line = paragraph()
        self.kinds_line.setAccessibleName(self.tr("The referrals to be drafted"))
        layout.addWidget(self.kinds_line)
        layout.addWidget(
            hint(
                self.tr(
                    "Filled in from the concern and what has been done since. Change anything: "
                    "this is what the receiving team will read. Keep to facts, and keep the "
                    "child's words exactly as they were said."
                )
            )
        )
        self.loading = MessageLine(self.tr("Filling in"))
        layout.addWidget(self.loading)
        self.content_fields = ReferralContentFields(layout, fixed=False)
        self.boxes = self.content_fields.editors
        for key, box in self.boxes.items():
            # The gate names them "referral.summary" and so on.
            self.field_widgets[f"referral.{key}"] = box
            self.field_errors[f"referral.{key}"] = self.content_fields.errors[key]
        self.lado_note = hint(
            self.tr(
                "The referral to the LADO asks the LADO to advise on the allegation, unless you "
                "write a different request here."
            )
        )
        self.lado_note.hide()
        layout.addWidget(self.lado_note)
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.prefilled_kind: ReferralKind | None = None
        self.busy = False

    def text(self, key: str) -> str:
        return self.boxes[key].toPlainText()

    def initializePage(self) -> None:
        wizard = self.handoff()
        kinds = wizard.referral_kinds()
        self.kinds_line.setText(
            self.tr("This will be drafted as: {kinds}.").format(
                kinds=self.tr("; and ").join(self.tr(kind.title) for kind in kinds)
            )
        )
        self.lado_note.setVisible(len(kinds) > 1 and ReferralKind.LADO in kinds)
        main = kinds[0]
        if self.prefilled_kind is None:
            if not self.busy:
                self._start(main)
        elif main is not self.prefilled_kind:
            # A different route now: swap the request only if it is still the old default.
            asking = self.boxes["asking_for"]
            current = asking.toPlainText().strip()
            if current in ("", asking_for_default(self.prefilled_kind)):
                asking.setPlainText(self.tr(asking_for_default(main)))
            self.prefilled_kind = main

    def _start(self, kind: ReferralKind) -> None:
        wizard = self.handoff()
        self.busy = True
        self.loading.show_info(self.tr("Filling in from the concern…"))
        for box in self.boxes.values():
            box.setEnabled(False)
        self.completeChanged.emit()
        wizard.worker.submit(
            _prefill,
            wizard.session,
            wizard.ref,
            kind,
            # A bound method, not a lambda: the worker drops the answer when the page
            # has gone with its area at lock, instead of writing record text into it.
            on_done=functools.partial(self._filled, kind),
            on_error=self._fill_failed,
        )

    def _filled(self, kind: ReferralKind, content: ReferralContent) -> None:
        self.prefilled_kind = kind
        for key, value in content.to_json().items():
            box = self.boxes.get(key)
            if box is not None and not box.toPlainText().strip():
                box.setPlainText(display_safe(value))
        self._done()

    def _fill_failed(self, failure: Failure) -> None:
        self.prefilled_kind = self.handoff().referral_kinds()[0]
        self.page_error.show_error(
            self.tr("The referral could not be filled in from the concern: {why}").format(
                why=failure.message
            )
        )
        self._done()

    def _done(self) -> None:
        self.busy = False
        self.loading.clear_message()
        for box in self.boxes.values():
            box.setEnabled(True)
        self.boxes["summary"].setFocus()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.busy

    def first_field(self) -> QWidget:
        return self.boxes["summary"]

    def content(self) -> ReferralContent:
        return self.content_fields.content()


# Suggested follow-ups, one per outcome; the lead may write their own.
_FOLLOW_UP = {
    # Their decision is chased by a follow-up of its own (services/after_referral.py).
    Outcome.SOCIAL_CARE: "Check how the child is, and what has happened since the referral.",
    Outcome.EARLY_HELP: "Check that the early help request was received and that support has "
    "started.",
    Outcome.MONITOR: "Check for anything new about the child since the decision.",
    Outcome.PREVENT: "Check that the Prevent team received the referral, and ask what they "
    "decided.",
    Outcome.POLICE: "Ask the police what has happened since the report, and check how the "
    "child is.",
}


class CheckPage(HandoffPage):
    """6. What will be recorded, in plain words; the follow-up; Record the decision."""

    def __init__(self, words: OrgWords) -> None:
        super().__init__(words)
        self.set_title(self.tr("Check and record"))
        layout = self.body_layout
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAccessibleName(self.tr("What will be recorded"))
        layout.addWidget(self.summary)
        layout.addWidget(heading(self.tr("Follow-up"), level=2))
        self.chase_note = hint("")
        self.chase_note.setAccessibleName(self.tr("The chase for social care's decision"))
        layout.addWidget(self.chase_note)
        self.follow_up_on = date_edit(self.tr("Follow up on"))
        self.follow_up_on.setDate(to_qdate(date.today() + timedelta(weeks=1)))
        self.add_field(
            layout,
            "follow_up_on",
            self.tr("&Follow up on"),
            self.follow_up_on,
            self.tr("Problem with the follow-up date"),
            note=self.tr(
                "A week from today unless you change it; today is allowed. It appears on Home."
            ),
        )
        self.follow_up_what = text_box(self.tr("What to follow up"), 3)
        self.add_field(
            layout,
            "follow_up_what",
            self.tr("&What to follow up"),
            self.follow_up_what,
            self.tr("Problem with what to follow up"),
        )
        self.decided_by = paragraph()
        self.decided_by.setAccessibleName(self.tr("Who is deciding"))
        self.decided_by.setTextFormat(Qt.TextFormat.PlainText)  # a person's name, as typed
        layout.addWidget(self.decided_by)
        self.busy_bar = busy_bar(self.tr("Recording the decision"))
        layout.addWidget(self.busy_bar)
        self.status = MessageLine(self.tr("Recording"))
        layout.addWidget(self.status)
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Record the decision"))
        self._suggested = ""

    def initializePage(self) -> None:
        wizard = self.handoff()
        self.summary.setText(wizard.summary_html())
        outcome = wizard.outcome()
        self.chase_note.setVisible(outcome is Outcome.SOCIAL_CARE)
        if outcome is Outcome.SOCIAL_CARE:
            self.chase_note.setText(
                self.tr(
                    "Children's social care should decide within one working day and tell "
                    "you. A follow-up to chase their decision is set for {day}; it closes "
                    "itself when you record their outcome on the concern."
                ).format(day=day_words(wizard.settings.chase_due(date.today())))
            )
        if outcome is not None:
            suggestion = self.tr(_FOLLOW_UP[outcome])
            current = self.follow_up_what.toPlainText().strip()
            if current in ("", self._suggested):
                self.follow_up_what.setPlainText(suggestion)
                self._suggested = suggestion
        user = wizard.session.user
        self.decided_by.setText(
            self.tr("Decided by {name}, {role}.").format(
                name=display_safe(user.display_name), role=user.role.label(wizard.org.org_type)
            )
        )

    def first_field(self) -> QWidget:
        return self.follow_up_on

    def set_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        if busy:
            self.page_error.clear_message()
            self.status.show_info(self.tr("Recording the decision…"))
        else:
            self.status.clear_message()
        for widget in (self.follow_up_on, self.follow_up_what):
            widget.setEnabled(not busy)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.handoff().recording

    def validatePage(self) -> bool:
        return self.handoff().commit()


class DonePage(HandoffPage):
    """After recording: what was recorded, the referral references, what to do next."""

    def __init__(self, words: OrgWords) -> None:
        super().__init__(words)
        self.set_title(self.tr("The decision is recorded"))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.note.setAccessibleName(self.tr("What was recorded"))
        self.body_layout.addWidget(self.note)
        self.body_layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Close"))

    def show_result(self, decision: HandoffDecision, result: HandoffResult, by: str) -> None:
        def para(text: str, bold: bool = False) -> str:
            shown = html.escape(display_safe(text))
            return f"<p><b>{shown}</b></p>" if bold else f"<p>{shown}</p>"

        def items(lines: list[str]) -> str:
            rows = "".join(f"<li style='margin-bottom:4px'>{line}</li>" for line in lines)
            return f"<ul>{rows}</ul>"

        parts = [
            para(
                self.tr("Recorded: {outcome}, decided by {by}.").format(
                    outcome=self.tr(decision.outcome.label), by=by
                )
            )
        ]
        if result.referral_refs:
            parts.append(para(self.tr("Referrals drafted, not sent yet:")))
            parts.append(
                items(
                    [
                        f"<b>{html.escape(ref)}</b>: {html.escape(self.tr(kind.title))}"
                        for ref, kind in zip(
                            result.referral_refs, decision.referral_kinds, strict=True
                        )
                    ]
                )
            )
            parts.append(
                para(
                    self.tr(
                        "Next: make the signed referral PDF from the concern page, and send it."
                    ),
                    bold=True,
                )
            )
        due = []
        settings = self.handoff().settings
        if decision.lado is not None and decision.lado.contacted_at is None:
            due.append(
                self.tr("{day}: contact the LADO about the allegation.").format(
                    day=day_words(settings.working_days.next(date.today()))
                )
            )
        if ReferralKind.SOCIAL_CARE in decision.referral_kinds:
            due.append(
                self.tr(
                    "{day}: chase children's social care for their decision (this closes "
                    "itself when you record their outcome)."
                ).format(day=day_words(settings.chase_due(date.today())))
            )
        if decision.review_on is not None:
            due.append(
                self.tr("{day}: review the monitoring decision.").format(
                    day=day_words(decision.review_on)
                )
            )
        due.append(
            self.tr("{day}: {what}").format(
                day=day_words(decision.follow_up_on), what=decision.follow_up_what
            )
        )
        parts.append(para(self.tr("On the Home page when they are due:")))
        parts.append(items([html.escape(display_safe(line)) for line in due]))
        if decision.police is not None:
            parts.append(para(self.tr("The call to the police is in the concern's actions.")))
        self.note.setText("".join(parts))
