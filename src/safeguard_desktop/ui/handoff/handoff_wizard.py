"""The DSL's handoff wizard: from a concern to a recorded decision, and a referral to send.

One wizard, a path through it per route (danger, LADO, social care, early help, monitor,
Prevent). Each Next runs :meth:`HandoffDecision.checked`, the one gate, over what has
been asked so far (later steps get values known to pass), so a page is refused with the
same sentence the gate gives any other caller. "Record the decision" runs the gate over
everything and then ``record_handoff`` on the worker; a sentence about an earlier step
takes the lead back to that step, under the field it names.

The wizard is a window-modal dialog owned by the signed-in area, deleted when it closes,
and with the area at lock, so nothing typed here outlives the session.

Over 500 lines because the wizard holds the route and the one gate over every page (what
has been asked, checking a step, the check page's summary, recording); its pages are
modules of their own.
"""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from safeguard_desktop.domain.child_situation import ChildSituation, Urgency
from safeguard_desktop.domain.errors import BadInput, IncompleteDecision
from safeguard_desktop.domain.handoff import (
    Consent,
    HandoffDecision,
    InformationSharing,
    LadoContact,
    Outcome,
    PoliceCall,
)
from safeguard_desktop.domain.lawful_basis import lawful_basis_for
from safeguard_desktop.domain.records import ConcernSummary
from safeguard_desktop.domain.referral import (
    AdultDetails,
    InterimStep,
    ReferralContent,
    ReferralKind,
)
from safeguard_desktop.domain.routes import Routes
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services import casework
from safeguard_desktop.services.casework_settings import CaseworkSettings, casework_settings
from safeguard_desktop.services.handoff import HandoffResult, record_handoff
from safeguard_desktop.services.session import CaseSession

from ..theme import BUTTON_MIN_HEIGHT, text_width
from ..widgets.form_fields import to_date
from ..widgets.steps_panel import StepsPanel
from ..widgets.wizard_page import bring_into_view
from ..worker import Failure, Submits
from .child_choice import ChildOption
from .handoff_child_page import ChildNowPage
from .handoff_lado_page import LadoPage
from .handoff_pages import AllegationPage, DangerPage, PoliceCallPage, ThresholdPage
from .handoff_parts import (
    ALLEGATION,
    CHECK,
    CHILD_NOW,
    DANGER,
    DONE,
    LADO,
    POLICE,
    REFERRAL,
    SHARING,
    STEP_OF_PAGE,
    THRESHOLD,
    HandoffPage,
    OrgWords,
    day_words,
    page_of_field,
)
from .handoff_record_pages import CheckPage, DonePage, ReferralPage, SharingPage

# The most of one typed text the check page shows.
SUMMARY_CHARS = 1_000

# Values known to pass the gate, standing in for steps not reached yet.
_PLACEHOLDER_LADO = LadoContact(
    adult=AdultDetails(name="-", role="-"),
    allegation="-",
    raised_by="-",
    interim_steps=InterimStep.NONE,
    interim_reason="-",
)
_PLACEHOLDER_SHARING = InformationSharing(Consent.GIVEN, "", "-", True, "")
_PLACEHOLDER_REFERRAL = ReferralContent(summary="-")
_PLACEHOLDER_SITUATION = ChildSituation(urgency=Urgency.ROUTINE, child_now="-", parents_views="-")


def _concern_summary(session: CaseSession, ref: str) -> tuple[ConcernSummary, list[ChildOption]]:
    """On the worker: the concern's list row (danger flag, categories, names) and its children.

    Not audited as an opening: the lead opened the concern (audited) to get here, and
    the decision recorded at the end is audited.
    """
    file = casework.concern_file(session, ref, audit=False, suggestions=False)
    decided = {d.child_position for d in file.decisions}
    options = [
        ChildOption(
            position=choice.position,
            name=display_safe(
                choice.linked.name if choice.linked is not None else choice.named.name
            ),
            decided=choice.position in decided,
        )
        for choice in file.children
    ]
    return file.summary, options


def _settings(session: CaseSession) -> CaseworkSettings:
    """On the worker: the nation whose bank holidays the follow-up dates skip."""
    return casework_settings(session)


def _record(
    session: CaseSession, ref: str, decision: HandoffDecision, child: int | None
) -> HandoffResult:
    """On the worker: write the decision and all that follows from it, in one transaction."""
    return record_handoff(session, ref, decision, child=child)


def _problems(error: BadInput) -> list[tuple[str, str]]:
    """Each gap the gate found, as (field, sentence)."""
    if isinstance(error, IncompleteDecision):
        return list(error.problems)
    return [(error.field or "", str(error))]


def _text_html(text: str) -> str:
    """Typed text for the check page, made safe; a long one shown in part.

    The page is a summary of what was asked on the steps before it. Two texts of
    100,000 characters took over a second to lay out there, and put the follow-up
    fields out of reach below them.
    """
    shown = display_safe(text).strip()
    if len(shown) > SUMMARY_CHARS:
        note = QCoreApplication.translate(
            "HandoffWizard", "(shortened here; all {n} characters are recorded)"
        ).format(n=f"{len(shown):,}")
        shown = f"{shown[:SUMMARY_CHARS].rstrip()}… {note}"
    return html.escape(shown).replace("\n", "<br>")


class HandoffWizard(QWizard):
    """Decide what happens next about concern ``ref``; ``recorded(ref, HandoffResult)``."""

    recorded = Signal(str, object)

    def __init__(
        self, session: CaseSession, worker: Submits, ref: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = worker
        self.ref = ref
        self.org = session.organisation
        self.words = OrgWords.for_type(self.org.org_type)
        self.summary: ConcernSummary | None = None
        # England's working days until the organisation's own are read (a moment).
        self.settings = CaseworkSettings()
        self.decision: HandoffDecision | None = None
        self.handoff_result: HandoffResult | None = None
        self.recording = False
        self.leave_box: QMessageBox | None = None
        self._moved_on = False

        # Deleted on close: nothing typed here lingers in memory after the dialog goes.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Decide what happens next"))
        self.setAccessibleName(self.tr("Decide what happens next"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setTitleFormat(Qt.TextFormat.RichText)
        self.setSubTitleFormat(Qt.TextFormat.PlainText)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.CancelButtonOnLeft, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        # Once recorded there is no going back: a greyed-out Back only looks unfinished.
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        # Back must undo a step: the pages depend on the answers before them.
        self.setOption(QWizard.WizardOption.IndependentPages, False)

        org, words = self.org, self.words
        self.danger_page = DangerPage(words)
        self.police_page = PoliceCallPage(org, words)
        self.allegation_page = AllegationPage(words)
        self.lado_page = LadoPage(org, words)
        self.threshold_page = ThresholdPage(org, words)
        self.sharing_page = SharingPage(words)
        self.sharing_page.lawful_basis.setPlainText(lawful_basis_for(org.org_type))
        self.child_now_page = ChildNowPage(words)
        self.referral_page = ReferralPage(words)
        self.check_page = CheckPage(words)
        self.done_page = DonePage(words)
        self.handoff_pages: dict[int, HandoffPage] = {
            DANGER: self.danger_page,
            POLICE: self.police_page,
            ALLEGATION: self.allegation_page,
            LADO: self.lado_page,
            THRESHOLD: self.threshold_page,
            SHARING: self.sharing_page,
            CHILD_NOW: self.child_now_page,
            REFERRAL: self.referral_page,
            CHECK: self.check_page,
            DONE: self.done_page,
        }
        for page_id, page in self.handoff_pages.items():
            self.setPage(page_id, page)
        self.setStartId(DANGER)

        self.steps = StepsPanel(
            [
                self.tr("Immediate danger"),
                self.tr("Allegation about an adult"),
                self.tr("What happens next"),
                self.tr("Information sharing"),
                self.tr("The child now"),
                self.tr("The referral"),
                self.tr("Check and record"),
            ]
        )
        self.steps.setFixedWidth(text_width(24))
        # Every step reached, behind or (after going back) ahead, is one click or one
        # Tab and Space away, as on the concern form.
        self._reached: set[int] = set()
        self.steps.step_chosen.connect(self.go_to_step)
        self.setSideWidget(self.steps)
        self.currentIdChanged.connect(self._page_changed)
        self.steps.set_current(0)

        texts = {
            QWizard.WizardButton.NextButton: (self.tr("&Next"), self.tr("Next")),
            QWizard.WizardButton.BackButton: (self.tr("&Back"), self.tr("Back")),
            QWizard.WizardButton.CancelButton: (self.tr("Cancel"), self.tr("Cancel")),
        }
        for which, (text, name) in texts.items():
            self.setButtonText(which, text)
            self.button(which).setAccessibleName(name)
        self.button(QWizard.WizardButton.CommitButton).setAccessibleName(
            self.tr("Record the decision")
        )
        self.button(QWizard.WizardButton.FinishButton).setAccessibleName(self.tr("Close"))
        for which in (
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CancelButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton,
        ):
            button = self.button(which)
            button.setMinimumHeight(BUTTON_MIN_HEIGHT)
            button.setMinimumWidth(120)
        self._fit_to_screen()
        self.worker.submit(
            _concern_summary, session, ref, on_done=self._loaded, on_error=self._load_failed
        )
        self.worker.submit(
            _settings, session, on_done=self._settings_loaded, on_error=self._load_failed
        )

    # Opening -------------------------------------------------------------------------------

    def _fit_to_screen(self) -> None:
        """Roomy, but never larger than the screen it opens on (a 1366 x 768 laptop)."""
        owner = self.parentWidget() or self
        area = owner.screen().availableGeometry()
        width = min(max(text_width(112), 900), area.width() - 40)
        height = min(900, area.height() - 40)
        self.resize(width, height)

    def _loaded(self, loaded: tuple[ConcernSummary, list[ChildOption]]) -> None:
        summary, children = loaded
        self.summary = summary
        self.danger_page.show_concern(self.ref, summary)
        self.danger_page.show_children(children)
        self.allegation_page.show_concern(summary)
        self.threshold_page.show_concern(summary)
        self.danger_page.first_field().setFocus()

    def _settings_loaded(self, settings: CaseworkSettings) -> None:
        self.settings = settings
        self.threshold_page.routes_box.set_nation(settings.nation)

    def _load_failed(self, failure: Failure) -> None:
        self.danger_page.about.hide()
        self.danger_page.page_error.show_error(failure.message)

    def _page_changed(self, page_id: int) -> None:
        skipped: set[int] = set()
        if page_id in (CHECK, DONE) and not self.makes_referral():
            # Monitoring shares nothing and drafts no referral: those steps were passed
            # by, and a tick beside them would say a referral was made.
            skipped = {STEP_OF_PAGE[SHARING], STEP_OF_PAGE[CHILD_NOW], STEP_OF_PAGE[REFERRAL]}
        current = STEP_OF_PAGE.get(page_id, 0)
        self.steps.set_current(current, skipped)
        if page_id >= 0:
            self._reached.add(page_id)
        # Once recorded there is no going back, by the list as by Back.
        reachable = (
            set()
            if page_id == DONE
            else {STEP_OF_PAGE[p] for p in self._reached if p != DONE} - skipped - {current}
        )
        self.steps.set_reachable(reachable)
        page = self.handoff_pages.get(page_id)
        first = page.first_field() if page is not None else None
        if first is not None and first.isEnabled():
            # The keyboard starts at the page's first question, not on its scroll area.
            first.setFocus()
        if page_id not in (DANGER, -1):
            self._moved_on = True

    # What has been answered ----------------------------------------------------------------

    def outcome(self) -> Outcome | None:
        return self.threshold_page.outcome()

    def makes_referral(self) -> bool:
        """A referral is drafted: for the threshold outcome, or for the LADO."""
        outcome = self.outcome()
        threshold = outcome is not None and outcome.referral_kind is not None
        return threshold or self.allegation_page.answer() is True

    def referral_kinds(self) -> tuple[ReferralKind, ...]:
        """As HandoffDecision.referral_kinds: the threshold referral first, then the LADO's."""
        kinds: list[ReferralKind] = []
        outcome = self.outcome()
        if outcome is not None and outcome.referral_kind is not None:
            kinds.append(outcome.referral_kind)
        if self.allegation_page.answer() is True:
            kinds.append(ReferralKind.LADO)
        return tuple(kinds)

    def values(self, upto: int) -> dict[str, Any]:
        """The gate's arguments: answers on pages up to ``upto``, placeholders after it."""
        now = datetime.now()
        today = now.date()

        def asked(page_id: int) -> bool:
            return page_id <= upto

        danger = self.danger_page.answer() is True
        police: PoliceCall | None = None
        if danger:
            police = self.police_page.call() if asked(POLICE) else PoliceCall(called_at=now)
        allegation = self.allegation_page.answer() is True
        lado: LadoContact | None = None
        if allegation:
            lado = self.lado_page.contact() if asked(LADO) else _PLACEHOLDER_LADO
        threshold = self.threshold_page
        if asked(THRESHOLD):
            outcome: object = self.outcome() or ""
            reason = threshold.reason.toPlainText()
            advice = threshold.advice()
            review_on: date | None = threshold.review_date()
        else:
            outcome, reason, advice, review_on = Outcome.MONITOR, "-", None, today + timedelta(1)
        referral_made = allegation or (
            isinstance(outcome, Outcome) and outcome.referral_kind is not None
        )
        sharing: InformationSharing | None = None
        referral: ReferralContent | None = None
        situation: ChildSituation | None = None
        if referral_made:
            sharing = self.sharing_page.sharing() if asked(SHARING) else _PLACEHOLDER_SHARING
            situation = (
                self.child_now_page.situation() if asked(CHILD_NOW) else _PLACEHOLDER_SITUATION
            )
            referral = self.referral_page.content() if asked(REFERRAL) else _PLACEHOLDER_REFERRAL
        check = self.check_page
        if asked(CHECK):
            follow_up_on: date | None = to_date(check.follow_up_on.date())
            follow_up_what = check.follow_up_what.toPlainText()
        else:
            follow_up_on, follow_up_what = today, ""
        return {
            "immediate_danger": danger,
            "police": police,
            "allegation_against_adult": allegation,
            "lado": lado,
            "outcome": outcome,
            "reason": reason,
            "advice": advice,
            "information_sharing": sharing,
            "referral": referral,
            "review_on": review_on,
            "follow_up_on": follow_up_on,
            "follow_up_what": follow_up_what,
            "situation": situation,
            # The police, FGM, Prevent and agencies told (domain/routes.py), on the
            # threshold step; the concern's categories and the nation decide the FGM duty.
            "routes": threshold.routes_box.routes() if asked(THRESHOLD) else None,
            "categories": self.summary.categories if self.summary is not None else None,
            "nation": self.settings.nation,
        }

    # Checking each step --------------------------------------------------------------------

    def check_step(self, page: HandoffPage) -> bool:
        """Next: the gate over what has been asked so far; its sentence under its field."""
        page_id = self.currentId()
        page.clear_errors()
        try:
            HandoffDecision.checked(**self.values(page_id), now=datetime.now())
        except BadInput as err:
            # Gaps a later step asks for are said there; the earliest step's are said now.
            asked = [p for p in _problems(err) if (page_of_field(p[0]) or page_id) <= page_id]
            if asked:
                self.show_problems(asked, page_id)
                return False
        # Questions the gate cannot see unanswered (it takes a yes or a no), asked after
        # the fields above them on the page.
        unanswered = page.missing()
        if unanswered is not None:
            page.show_error(*unanswered)
            return False
        return True

    def go_to_step(self, step: int) -> None:
        """The step list: back to a step on the path taken, or on again to one reached
        before, through each step's checks (stopping at the first that refuses)."""
        if self.recording or self.handoff_result is not None:
            return
        current = STEP_OF_PAGE.get(self.currentId(), 0)
        if step == current:
            return
        if step < current:
            on_path = [p for p in self.visitedIds() if STEP_OF_PAGE.get(p) == step]
            if on_path:
                self.go_back_to(on_path[0])
                return
        for _ in range(len(self.handoff_pages)):
            before = self.currentId()
            if STEP_OF_PAGE.get(before, 0) >= step or before in (CHECK, DONE):
                return
            self.next()
            if self.currentId() == before:
                return  # refused: its sentence is shown, the focus in the field at fault

    def go_back_to(self, page_id: int) -> None:
        """Back, step by step, to an earlier page on the path taken."""
        while self.currentId() != page_id and page_id in self.visitedIds()[:-1]:
            self.back()

    def show_problems(self, problems: list[tuple[str, str]], default_page: int) -> None:
        """Go back to the earliest step with a problem; each sentence under its own field."""
        owner = min(page_of_field(field) or default_page for field, _ in problems)
        mine = [(f, s) for f, s in problems if (page_of_field(f) or default_page) == owner]
        self.show_problem(owner, mine[0][0], mine[0][1])
        page = self.handoff_pages.get(self.currentId())
        if page is not None and self.currentId() == owner:
            for field, sentence in reversed(mine[1:]):
                page.field_errors.get(field, page.page_error).show_error(sentence)
            first = page.field_widgets.get(mine[0][0])
            if first is not None:
                first.setFocus()

    def show_problem(self, page_id: int, field: str | None, sentence: str) -> None:
        """Go back to the step that asks for ``field`` and put the sentence under it."""
        self.go_back_to(page_id)
        page = self.handoff_pages.get(self.currentId())
        if page is None:
            return
        if self.currentId() == page_id:
            page.show_error(field or "", sentence)
        else:
            page.page_error.show_error(sentence)

    def switch_to_social_care(self) -> None:
        """From the consent step: early help was refused, so go back and refer instead."""
        self.go_back_to(THRESHOLD)
        threshold = self.threshold_page
        threshold.choose(Outcome.SOCIAL_CARE)
        threshold.outcome_error.show_info(
            self.tr(
                "Changed to a referral to children's social care. Check that the reason "
                "below still fits, then go on."
            )
        )
        threshold.reason.setFocus()
        bring_into_view(threshold.reason)

    # Recording -----------------------------------------------------------------------------

    def commit(self) -> bool:
        """ "Record the decision": check everything, then record on the worker."""
        if self.handoff_result is not None:
            return True  # recorded; this is the wizard moving on to the last page
        if self.recording:
            return False
        page = self.check_page
        page.clear_errors()
        try:
            decision = HandoffDecision.checked(**self.values(CHECK), now=datetime.now())
        except BadInput as err:
            self.show_problems(_problems(err), CHECK)
            return False
        self.decision = decision
        self._set_recording(True)
        self.worker.submit(
            _record,
            self.session,
            self.ref,
            decision,
            self.danger_page.child_choice.chosen(),
            on_done=self._recorded,
            on_error=self._record_failed,
        )
        return False

    def _set_recording(self, busy: bool) -> None:
        self.recording = busy
        self.check_page.set_busy(busy)
        # After completeChanged: QWizard re-enables Back when it updates its buttons.
        self.button(QWizard.WizardButton.BackButton).setEnabled(not busy)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(not busy)

    def _recorded(self, result: HandoffResult) -> None:
        assert self.decision is not None
        self.handoff_result = result
        self._set_recording(False)
        user = self.session.user
        by = f"{user.display_name}, {user.role.label(self.org.org_type)}"
        self.done_page.show_result(self.decision, result, by)
        self.next()
        self.recorded.emit(self.ref, result)

    def _record_failed(self, failure: Failure) -> None:
        self._set_recording(False)
        error = failure.error
        field = error.field if isinstance(error, BadInput) else None
        owner = page_of_field(field)
        if owner is not None:
            self.show_problem(owner, field, failure.message)
            return
        self.check_page.page_error.show_error(failure.message)

    # The plain summary on the check page ---------------------------------------------------

    def summary_html(self) -> str:
        """What "Record the decision" will write, in plain words; typed text made safe."""
        values = self.values(CHECK)

        def row(label: str, value_html: str) -> str:
            return f"<p style='margin:0 0 10px 0'><b>{html.escape(label)}</b><br>{value_html}</p>"

        def when(moment: datetime) -> str:
            return f"{moment:%H:%M} on {day_words(moment.date())}"

        parts = []
        if self.danger_page.child_choice.several():
            parts.append(
                row(self.tr("For"), html.escape(self.danger_page.child_choice.chosen_name()))
            )
        police: PoliceCall | None = values["police"]
        if police is None:
            parts.append(row(self.tr("Immediate danger"), html.escape(self.tr("No"))))
        else:
            call = self.tr("Yes. You called {emergency} at {when}.").format(
                emergency=self.org.contacts.emergency, when=when(police.called_at)
            )
            if police.incident_number.strip():
                call += " " + self.tr("Incident number {n}.").format(
                    n=display_safe(police.incident_number.strip())
                )
            parts.append(row(self.tr("Immediate danger"), html.escape(call)))
        lado: LadoContact | None = values["lado"]
        if lado is None:
            parts.append(row(self.tr("Allegation about an adult"), html.escape(self.tr("No"))))
        else:
            about = self.tr("Yes, about {name} ({role}).").format(
                name=display_safe(lado.adult.name.strip()),
                role=display_safe(lado.adult.role.strip()),
            )
            if lado.contacted_at is not None:
                contact = self.tr("You contacted the LADO at {when}.").format(
                    when=when(lado.contacted_at)
                )
            else:
                contact = self.tr(
                    "The LADO is not contacted yet: a follow-up is set for {day} to contact them."
                ).format(day=day_words(self.settings.working_days.next(date.today())))
            meanwhile = (
                self.tr("Meanwhile: {step}.").format(step=self.tr(lado.interim_steps.label))
                if isinstance(lado.interim_steps, InterimStep)
                else ""
            )
            parts.append(
                row(
                    self.tr("Allegation about an adult"),
                    html.escape(f"{about} {contact} {meanwhile}".strip()),
                )
            )
        outcome = self.outcome()
        parts.append(
            row(self.tr("Decision"), html.escape(self.tr(outcome.label) if outcome else "-"))
        )
        parts.append(row(self.tr("Reason"), _text_html(values["reason"])))
        if values["review_on"] is not None and outcome is Outcome.MONITOR:
            parts.append(row(self.tr("Review on"), html.escape(day_words(values["review_on"]))))
        routes = values["routes"] or Routes()
        route_lines = [r.words() for r in (routes.police_report, routes.fgm, routes.prevent) if r]
        route_lines += [a.words() for a in routes.agencies_informed]
        if route_lines:
            parts.append(
                row(self.tr("Other routes, agencies told"), _text_html("\n".join(route_lines)))
            )
        advice = values["advice"]
        if advice is not None:
            parts.append(
                row(
                    self.tr("Advice sought"),
                    _text_html(f"{advice.from_whom.strip()}: {advice.advice.strip()}".rstrip(": ")),
                )
            )
        sharing: InformationSharing | None = values["information_sharing"]
        if sharing is not None:
            lines = []
            if isinstance(sharing.consent, Consent):
                lines.append(self.tr(sharing.consent.label) + ".")
                if sharing.consent is not Consent.GIVEN and sharing.consent_reason.strip():
                    lines.append(sharing.consent_reason.strip())
            lines.append(
                self.tr("Parents or carers told: yes.")
                if sharing.parents_told
                else self.tr("Parents or carers told: no.")
            )
            if not sharing.parents_told and sharing.parents_not_told_reason.strip():
                lines.append(sharing.parents_not_told_reason.strip())
            parts.append(row(self.tr("Information sharing"), _text_html("\n".join(lines))))
        situation: ChildSituation | None = values["situation"]
        if situation is not None:
            lines = [
                self.tr("Urgency: {what}").format(
                    what=self.tr(situation.urgency.label)
                    if isinstance(situation.urgency, Urgency)
                    else self.tr("not chosen")
                ),
                situation.child_now.strip(),
            ]
            parts.append(row(self.tr("The child now"), _text_html("\n".join(filter(None, lines)))))
        kinds = self.referral_kinds()
        if kinds:
            drafted = "<br>".join(html.escape(self.tr(kind.title)) for kind in kinds)
            drafted += (
                "<br><i>"
                + html.escape(
                    self.tr("Saved as drafts. You make the signed PDF from the concern page.")
                )
                + "</i>"
            )
            parts.append(row(self.tr("Referrals to be drafted"), drafted))
        else:
            parts.append(row(self.tr("Referrals to be drafted"), html.escape(self.tr("None"))))
        return "".join(parts)

    # Leaving -------------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel, Escape or the window's close button."""
        if self.recording:
            return  # the decision is being written; closing now would hide whether it was
        if self.handoff_result is not None or not self._moved_on:
            super().reject()
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Leave without recording?"))
        box.setText(self.tr("Leave without recording the decision?"))
        box.setInformativeText(
            self.tr("Nothing will be recorded, and what you typed here will be lost.")
        )
        leave = box.addButton(
            self.tr("&Leave without recording"), QMessageBox.ButtonRole.DestructiveRole
        )
        stay = box.addButton(self.tr("&Keep working"), QMessageBox.ButtonRole.RejectRole)
        leave.setAccessibleName(self.tr("Leave without recording"))
        stay.setAccessibleName(self.tr("Keep working"))
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _: self._left(box.clickedButton() is leave))
        self.leave_box = box
        box.open()

    def _left(self, leaving: bool) -> None:
        self.leave_box = None
        if leaving:
            QWizard.reject(self)
