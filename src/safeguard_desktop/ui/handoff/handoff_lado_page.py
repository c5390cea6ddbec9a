"""The LADO step of the handoff wizard: an allegation about an adult who works with children.

Keeping Children Safe in Education and Working Together: the LADO is told within one
working day, before anything is investigated, and the adult is not told. The page says so
in plain words, shows the LADO's number from setup, and records what the LADO's form
asks: the adult (their other work with children, their own children, whether they know,
earlier concerns about them), the allegation and who raised it, the child's social
worker, what has been done about the adult meanwhile and why, and whether the LADO has
been contacted yet (if not, recording sets a follow-up for the next working day).

If the adult has an account in this app, the lead may suspend it here, at once
(services/people.py suspend_user: audited, reinstated from People). The lead chooses the
account from the list; the app never picks one because a name matches.

Over 500 lines because the LADO's form is long: each question it asks is a field here,
with its check and its screen-reader name, on one page the lead fills in one call.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.handoff import LadoContact
from safeguard_desktop.domain.organisation import Organisation
from safeguard_desktop.domain.referral import EMPLOYMENT_BASES, AdultDetails, InterimStep
from safeguard_desktop.services import people
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.data_folder import UserInfo

from ..theme import MessageLine, heading, hint, paragraph, text_width
from ..widgets.dialog_parts import ask_to_confirm
from ..widgets.form_fields import text_box, to_datetime
from ..worker import Failure
from .handoff_parts import (
    THRESHOLD,
    HandoffPage,
    OptionalDate,
    OrgWords,
    datetime_edit,
    day_words,
    line_edit,
    radio,
    section,
)

# "Do they know of the allegation?": the combo box's rows, in order.
_AWARE: tuple[bool | None, ...] = (None, True, False)

_BASIS_LABELS = {
    "employed": "Employed",
    "volunteer": "Volunteer",
    "contractor": "Contractor",
    "agency": "Agency or supply worker",
    "other": "Other",
}


class LadoPage(HandoffPage):
    """2a. The LADO route: what to do and not do, the adult, the allegation, the contact."""

    def __init__(self, org: Organisation, words: OrgWords) -> None:
        super().__init__(words)
        self.set_title(self.tr("Tell the LADO within one working day"))
        layout = self.body_layout
        # The word explained where it is read, in the organisation's own words (a club's
        # Welfare Officer and players, a school's DSL and pupils), as setup and the
        # concern form explain it.
        self.lado_explained = paragraph(
            self.tr(
                "The LADO is the Local Authority Designated Officer: the person at your "
                "council who deals with every allegation that an adult who works or "
                "volunteers with children has harmed a {child} or may be a risk to children. "
                "As the {lead}, you tell them; they advise what happens about the adult."
            ).format(child=words.child, lead=words.lead)
        )
        layout.addWidget(self.lado_explained)
        steps = [
            self.tr("Contact the LADO within one working day."),
            self.tr(
                "Do not investigate first, do not tell the adult, and do not interview the "
                "{child} any further."
            ).format(child=words.child),
            words.escalation,
        ]
        items = "".join(f"<li style='margin-bottom:4px'>{html.escape(s)}</li>" for s in steps)
        guidance = QFrame()
        guidance.setProperty("sgRole", "banner")  # the soft yellow of theme.banner
        label = paragraph(f"<ul style='margin:0'>{items}</ul>")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setAccessibleName(self.tr("What to do"))
        section(guidance).addWidget(label)
        outer = guidance.layout()
        if outer is not None:
            outer.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(guidance)
        number = org.contacts.lado.strip()
        self.lado_number = paragraph(
            self.tr("The LADO's number: <b>{number}</b>").format(number=html.escape(number))
            if number
            else self.tr("The LADO's number is not set: add it in Settings.")
        )
        self.lado_number.setTextFormat(Qt.TextFormat.RichText)
        self.lado_number.setAccessibleName(self.tr("The LADO's number"))
        if not number:
            self.lado_number.setProperty("sgRole", "error")
        layout.addWidget(self.lado_number)

        layout.addWidget(heading(self.tr("The adult"), level=2))
        self.adult_name = line_edit(self.tr("The adult's full name"), 200)
        self.add_field(
            layout,
            "lado.adult.name",
            self.tr("The adult's full na&me"),
            self.adult_name,
            self.tr("Problem with the adult's name"),
        )
        self.adult_role = line_edit(self.tr("Their role"))
        self.add_field(
            layout,
            "lado.adult.role",
            self.tr("Their &role, for example coach or teaching assistant"),
            self.adult_role,
            self.tr("Problem with their role"),
        )
        self.basis = QComboBox()
        self.basis.setAccessibleName(self.tr("How they work with you"))
        for key in EMPLOYMENT_BASES:
            self.basis.addItem(self.tr(_BASIS_LABELS[key]), key)
        self.basis.setMaximumWidth(text_width(30))
        self.add_field(
            layout,
            "lado.adult.employment_basis",
            self.tr("How they &work with you"),
            self.basis,
            self.tr("Problem with how they work with you"),
        )
        self.started = OptionalDate(self.tr("&Started on"), self.tr("Started on"))
        self.add_field(
            layout,
            "lado.adult.started_on",
            "",
            self.started,
            self.tr("Problem with the start date"),
            buddy=self.started.known,
        )
        self.ended = OptionalDate(self.tr("&Left on"), self.tr("Left on"))
        self.add_field(
            layout,
            "lado.adult.ended_on",
            "",
            self.ended,
            self.tr("Problem with the date they left"),
            note=self.tr(
                "Tick a date only if you know it. Leave 'Left on' unticked if they still "
                "work with you."
            ),
            buddy=self.ended.known,
        )
        self.workplace = line_edit(self.tr("Where they work with children"))
        self.add_field(
            layout,
            "lado.adult.workplace",
            self.tr("Where they work wit&h children"),
            self.workplace,
            self.tr("Problem with where they work"),
        )
        self.other_work = text_box(self.tr("Their other work with children"), 2)
        self.add_field(
            layout,
            "lado.adult.other_work_with_children",
            self.tr("Other work with children, such as a &youth club or tutoring"),
            self.other_work,
            self.tr("Problem with their other work with children"),
        )
        self.own_children = text_box(self.tr("Their own children"), 2)
        self.add_field(
            layout,
            "lado.adult.own_children",
            self.tr("&Any children of their own, or living with them"),
            self.own_children,
            self.tr("Problem with their own children"),
        )
        self.aware = QComboBox()
        self.aware.addItems([self.tr("Not known"), self.tr("Yes"), self.tr("No")])
        self.aware.setAccessibleName(self.tr("Do they know of the allegation?"))
        self.aware.setMaximumWidth(text_width(20))
        self.add_field(
            layout,
            "lado.adult.aware",
            self.tr("Do they &know of the allegation?"),
            self.aware,
            self.tr("Problem with whether they know"),
        )
        self.previous_concerns = text_box(self.tr("Earlier allegations or concerns about them"), 2)
        self.add_field(
            layout,
            "lado.adult.previous_concerns",
            self.tr("Earlier allegations or low-level concerns about them"),
            self.previous_concerns,
            self.tr("Problem with earlier concerns"),
        )
        self.allegation = text_box(self.tr("The allegation"), 5)
        self.add_field(
            layout,
            "lado.allegation",
            self.tr("&The allegation: what the adult is said to have done"),
            self.allegation,
            self.tr("Problem with the allegation"),
            note=self.tr("Facts only, as they were told to you. Do not ask the adult about it."),
        )
        self.raised_by = text_box(self.tr("Who raised the allegation"), 2)
        self.add_field(
            layout,
            "lado.raised_by",
            self.tr("Who raised the alle&gation, and how"),
            self.raised_by,
            self.tr("Problem with who raised the allegation"),
            note=self.tr("For example: the child told her teacher; a parent emailed the head."),
        )
        self.child_social_worker = line_edit(self.tr("The child's social worker, if known"))
        self.add_field(
            layout,
            "lado.child_social_worker",
            self.tr("The child's social worker, if known"),
            self.child_social_worker,
            self.tr("Problem with the child's social worker"),
            note=self.tr("One on the child's record is printed anyway."),
        )

        layout.addWidget(heading(self.tr("Meanwhile"), level=2))
        layout.addWidget(
            paragraph(self.tr("What has been done about the adult while the LADO advises?"))
        )
        self.interim_group = QButtonGroup(self)
        texts = {
            InterimStep.SUSPENDED: self.tr("S&uspended"),
            InterimStep.REDEPLOYED: self.tr("Rede&ployed: moved to work away from children"),
            InterimStep.NONE: self.tr("No &interim step"),
        }
        self.interim_buttons: dict[InterimStep, QRadioButton] = {}
        for step, text in texts.items():
            button = radio(text, self.tr("Interim step: {what}").format(what=self.tr(step.label)))
            self.interim_group.addButton(button)
            self.interim_buttons[step] = button
            layout.addWidget(button)
        self.interim_error = MessageLine(self.tr("Problem with the interim step"))
        self.field_errors["lado.interim_steps"] = self.interim_error
        self.field_widgets["lado.interim_steps"] = self.interim_buttons[InterimStep.SUSPENDED]
        self.interim_group.buttonToggled.connect(lambda *_: self.interim_error.clear_message())
        layout.addWidget(self.interim_error)
        self.interim_reason = text_box(self.tr("The reason for the interim step"), 2)
        self.add_field(
            layout,
            "lado.interim_reason",
            self.tr("The reason &for it"),
            self.interim_reason,
            self.tr("Problem with the reason"),
        )
        self._account_section(layout)

        layout.addWidget(heading(self.tr("The LADO"), level=2))
        self.contact_group = QButtonGroup(self)
        self.contacted = radio(
            self.tr("I have &contacted the LADO"), self.tr("I have contacted the LADO")
        )
        self.not_yet = radio(
            self.tr("Not y&et: I will contact them"), self.tr("Not yet: I will contact them")
        )
        for button in (self.contacted, self.not_yet):
            self.contact_group.addButton(button)
            layout.addWidget(button)
        self.contact_error = MessageLine(self.tr("Problem with the LADO contact"))
        self.field_errors["lado.contacted"] = self.contact_error
        self.field_widgets["lado.contacted"] = self.contacted
        layout.addWidget(self.contact_error)
        self.not_yet_note = hint()
        self.not_yet_note.hide()
        layout.addWidget(self.not_yet_note)

        self.contact_fields = QWidget()
        contact_layout = section(self.contact_fields)
        self.contacted_at = datetime_edit(self.tr("When you contacted the LADO"))
        self.add_field(
            contact_layout,
            "lado.contacted_at",
            self.tr("When you contacte&d them"),
            self.contacted_at,
            self.tr("Problem with when you contacted the LADO"),
        )
        self.officer = line_edit(self.tr("The LADO officer's name"))
        self.add_field(
            contact_layout,
            "lado.officer",
            self.tr("The LADO &officer's name"),
            self.officer,
            self.tr("Problem with the officer's name"),
        )
        self.advice = text_box(self.tr("What the LADO advised"))
        self.add_field(
            contact_layout,
            "lado.advice",
            self.tr("What the LADO ad&vised"),
            self.advice,
            self.tr("Problem with the LADO's advice"),
        )
        self.contact_fields.hide()
        layout.addWidget(self.contact_fields)
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.contact_group.buttonToggled.connect(self._contact_changed)
        self._contact_time_set = False

    def _account_section(self, layout: QVBoxLayout) -> None:
        """'Their account in this app': choose it, suspend it now."""
        layout.addWidget(heading(self.tr("Their account in this app"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "If this adult signs in to Safeguard Desktop, you can suspend their "
                    "account now: they cannot sign in or record until an administrator "
                    "reinstates it from People. Choose the account yourself; two people "
                    "can share a name."
                )
            )
        )
        self.account = QComboBox()
        self.account.setAccessibleName(self.tr("The adult's account in this app"))
        # Sized by a short name, not its longest row, so a narrow page is not widened
        # (the rows are elided to the width there is; the list that drops down is whole).
        self.account.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.account.setMinimumContentsLength(20)
        # No Alt key: every letter of these words is taken on this page already.
        self.account_label = QLabel(self.tr("Their account"))
        self.account_label.setBuddy(self.account)
        layout.addWidget(self.account_label)
        # The whole width for the name, user name and role; the button below it.
        layout.addWidget(self.account)
        self.suspend_button = QPushButton(self.tr("Suspend this account…"))
        self.suspend_button.setAccessibleName(self.tr("Suspend the chosen account"))
        self.suspend_button.setEnabled(False)
        self.suspend_button.clicked.connect(self.ask_suspend)
        row = QHBoxLayout()
        row.addWidget(self.suspend_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.account_message = MessageLine(self.tr("Their account"))
        layout.addWidget(self.account_message)
        self.account.currentIndexChanged.connect(self._account_chosen)
        self.suspend_box: QMessageBox | None = None

    def _fill_accounts(self) -> None:
        session = self.handoff().session
        chosen = self.chosen_account()
        self.account.blockSignals(True)
        self.account.clear()
        self.account.addItem(self.tr("No account in this app, or not chosen"), None)
        for person in session.store.users():
            if person.username == session.user.username:
                continue  # a lead does not suspend the account they are using
            role = person.role.label(session.organisation.org_type)
            if person.suspended:
                text = self.tr("{name} ({user}, {role}): suspended")
            else:
                text = self.tr("{name} ({user}, {role})")
            self.account.addItem(
                text.format(name=person.display_name, user=person.username, role=self.tr(role)),
                person,
            )
        # The same account stays chosen, by user name (its suspension may have changed).
        index = next(
            (
                i
                for i in range(1, self.account.count())
                if chosen is not None and self.account.itemData(i).username == chosen.username
            ),
            0,
        )
        self.account.setCurrentIndex(index)
        self.account.blockSignals(False)
        self._account_chosen()

    def chosen_account(self) -> UserInfo | None:
        person = self.account.currentData()
        return person if isinstance(person, UserInfo) else None

    def _account_chosen(self) -> None:
        person = self.chosen_account()
        self.suspend_button.setEnabled(person is not None and not person.suspended)
        if person is not None and person.suspended:
            self.account_message.show_info(
                self.tr(
                    "This account is suspended already. An administrator can reinstate it "
                    "from People."
                )
            )
        else:
            self.account_message.clear_message()

    def ask_suspend(self) -> None:
        person = self.chosen_account()
        if person is None:
            return
        self.suspend_box = ask_to_confirm(
            self,
            title=self.tr("Suspend an account"),
            text=self.tr(
                "Suspend the account of {name} ({user})? They will not be able to sign in "
                "or record until an administrator reinstates it. They are not told why. "
                "It is written to the audit log with this concern's reference."
            ).format(name=person.display_name, user=person.username),
            yes=self.tr("Suspend {name}").format(name=person.display_name),
            on_yes=lambda: self._suspend(person),
            icon=QMessageBox.Icon.Warning,
            role=QMessageBox.ButtonRole.DestructiveRole,
        )

    def _suspend(self, person: UserInfo) -> None:
        self.suspend_box = None
        self.suspend_button.setEnabled(False)
        self.account_message.show_info(self.tr("Suspending…"))
        handoff = self.handoff()
        handoff.worker.submit(
            people.suspend_user,
            handoff.session,
            person.username,
            concern_ref=handoff.ref,
            on_done=lambda changes: self._suspended(person, changes),
            on_error=self._suspend_failed,
        )

    def _suspended(self, person: UserInfo, _changes: Changes) -> None:
        self._fill_accounts()
        self.account_message.show_good(
            self.tr(
                "{name}'s account is suspended: they cannot sign in or record. An "
                "administrator can reinstate it from People."
            ).format(name=person.display_name)
        )

    def _suspend_failed(self, failure: Failure) -> None:
        self._account_chosen()
        self.account_message.show_error(failure.message)

    def initializePage(self) -> None:
        self._fill_accounts()
        due = self.handoff().settings.working_days.next(date.today())
        self.not_yet_note.setText(
            self.tr(
                "A follow-up will be set for {day}, the next working day (weekends and "
                "{nation}'s bank holidays skipped), reminding you to contact the LADO."
            ).format(day=day_words(due), nation=self.handoff().settings.nation.label)
        )

    def _contact_changed(self) -> None:
        self.contact_error.clear_message()
        if self.contacted.isChecked() and not self._contact_time_set:
            # "Now" when the lead says they have called, a sensible start for the time.
            self._contact_time_set = True
            self.contacted_at.setDateTime(QDateTime.currentDateTime())
        self.contact_fields.setVisible(self.contacted.isChecked())
        self.not_yet_note.setVisible(self.not_yet.isChecked())

    def first_field(self) -> QWidget:
        return self.adult_name

    def missing(self) -> tuple[str, str] | None:
        if not (self.contacted.isChecked() or self.not_yet.isChecked()):
            return "lado.contacted", self.tr("Say whether you have contacted the LADO yet.")
        return None

    def contact(self) -> LadoContact:
        adult = AdultDetails(
            name=self.adult_name.text(),
            role=self.adult_role.text(),
            employment_basis=str(self.basis.currentData()),
            started_on=self.started.value(),
            ended_on=self.ended.value(),
            workplace=self.workplace.text(),
            other_work_with_children=self.other_work.toPlainText(),
            aware=_AWARE[max(0, self.aware.currentIndex())],
            previous_concerns=self.previous_concerns.toPlainText(),
            own_children=self.own_children.toPlainText(),
        )
        contacted = self.contacted.isChecked()
        return LadoContact(
            adult=adult,
            allegation=self.allegation.toPlainText(),
            contacted_at=to_datetime(self.contacted_at.dateTime()) if contacted else None,
            officer=self.officer.text() if contacted else "",
            advice=self.advice.toPlainText() if contacted else "",
            raised_by=self.raised_by.toPlainText(),
            child_social_worker=self.child_social_worker.text(),
            interim_steps=next(
                (step for step, b in self.interim_buttons.items() if b.isChecked()), None
            ),
            interim_reason=self.interim_reason.toPlainText(),
        )

    def nextId(self) -> int:
        return THRESHOLD
