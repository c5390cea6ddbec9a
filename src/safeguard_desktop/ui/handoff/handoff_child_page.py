"""The handoff's step about the child now: urgency, where they are, their views, who harms them.

What every council's multi-agency referral form asks before anything else, and what a
social worker would otherwise phone the school for: how urgent it is, where the child is
now and whether they are safe tonight, the child's own views, the parents' views of the
referral (when they were told of it), what must not reach the family, and the person
believed to be causing the harm. Asked when the decision makes a
referral; ``domain/handoff.py`` says which answers a route needs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QComboBox, QRadioButton, QWidget

from safeguard_desktop.domain.child_situation import ChildSituation, PersonCausingHarm, Urgency

from ..theme import MessageLine, heading, paragraph
from ..widgets.form_fields import text_box
from .handoff_parts import REFERRAL, HandoffPage, OrgWords, line_edit, radio

# "Do they live with the child?": the combo box's rows, in order.
_LIVES_WITH = (None, True, False)


class ChildNowPage(HandoffPage):
    """4b. The child now: what the agency asks first."""

    def __init__(self, words: OrgWords) -> None:
        super().__init__(words)
        self.set_title(self.tr("The child now"))
        layout = self.body_layout
        layout.addWidget(
            paragraph(
                self.tr(
                    "What a social worker asks first. Write what you know, and say so where "
                    "you do not know: a referral with \u201cnot known\u201d is better than a "
                    "phone call later."
                )
            )
        )
        layout.addWidget(heading(self.tr("How urgent is it?"), level=2))
        self.urgency_group = QButtonGroup(self)
        texts = {
            Urgency.IMMEDIATE: self.tr("&Immediate: the child may be at risk now"),
            Urgency.SAME_DAY: self.tr("&Today"),
            Urgency.ROUTINE: self.tr("&Routine"),
        }
        self.urgency_buttons: dict[Urgency, QRadioButton] = {}
        for urgency, text in texts.items():
            button = radio(text, self.tr("Urgency: {what}").format(what=self.tr(urgency.label)))
            self.urgency_group.addButton(button)
            self.urgency_buttons[urgency] = button
            layout.addWidget(button)
        self.urgency_error = MessageLine(self.tr("Problem with the urgency"))
        self.field_errors["urgency"] = self.urgency_error
        self.field_widgets["urgency"] = self.urgency_buttons[Urgency.IMMEDIATE]
        self.urgency_group.buttonToggled.connect(lambda *_: self.urgency_error.clear_message())
        layout.addWidget(self.urgency_error)

        self.child_now = text_box(self.tr("Where the child is now, and whether they are safe"), 3)
        self.add_field(
            layout,
            "child_now",
            self.tr("&Where is the child now, and are they safe tonight?"),
            self.child_now,
            self.tr("Problem with where the child is now"),
        )
        self.child_views = text_box(self.tr("The child's own views and wishes"), 3)
        self.add_field(
            layout,
            "child_views",
            self.tr("The child's own &views and wishes"),
            self.child_views,
            self.tr("Problem with the child's views"),
            note=self.tr("In the child's words where you can."),
        )
        self.parents_views = text_box(self.tr("The parents' or carers' views of the referral"), 2)
        self.add_field(
            layout,
            "parents_views",
            self.tr("The &parents' or carers' views of the referral"),
            self.parents_views,
            self.tr("Problem with the parents' views"),
            note=self.tr("Needed when they were told of it; leave empty if they were not."),
        )
        self.keep_from_family = text_box(self.tr("What must not be shared with the family"), 2)
        self.add_field(
            layout,
            "keep_from_family",
            self.tr("What must not be shared with the &family"),
            self.keep_from_family,
            self.tr("Problem with what must not be shared"),
            note=self.tr("Printed in a marked box, so the social worker sees it first."),
        )

        layout.addWidget(heading(self.tr("The person believed to be causing harm"), level=2))
        layout.addWidget(paragraph(self.tr("Leave these empty if no one is named.")))
        self.harm_name = line_edit(self.tr("Name of the person believed to be causing harm"))
        self.add_field(
            layout,
            "person_causing_harm.name",
            self.tr("Na&me"),
            self.harm_name,
            self.tr("Problem with the name"),
        )
        self.harm_relationship = line_edit(self.tr("Their relationship to the child"))
        self.add_field(
            layout,
            "person_causing_harm.relationship",
            self.tr("Their relations&hip to the child"),
            self.harm_relationship,
            self.tr("Problem with the relationship"),
        )
        self.lives_with = QComboBox()
        self.lives_with.addItems([self.tr("Not known"), self.tr("Yes"), self.tr("No")])
        self.lives_with.setAccessibleName(self.tr("Do they live with the child?"))
        self.add_field(
            layout,
            "person_causing_harm.lives_with_child",
            self.tr("&Do they live with the child?"),
            self.lives_with,
            self.tr("Problem with whether they live with the child"),
        )
        self.harm_contact = text_box(self.tr("Their contact with other children"), 2)
        self.add_field(
            layout,
            "person_causing_harm.contact_with_other_children",
            self.tr("Their contact with &other children"),
            self.harm_contact,
            self.tr("Problem with their contact with other children"),
        )

        layout.addWidget(heading(self.tr("You"), level=2))
        self.referrer_relationship = line_edit(self.tr("Your relationship to the child"))
        self.add_field(
            layout,
            "referrer_relationship",
            self.tr("&Your relationship to the child"),
            self.referrer_relationship,
            self.tr("Problem with your relationship to the child"),
            note=self.tr("For example: her football coach for two seasons."),
        )
        layout.addWidget(self.page_error)
        layout.addStretch(1)

    def situation(self) -> ChildSituation:
        """What this page says, for the gate to check."""
        urgency = next((u for u, b in self.urgency_buttons.items() if b.isChecked()), None)
        name = self.harm_name.text()
        person = None
        if name.strip() or self.harm_relationship.text().strip():
            person = PersonCausingHarm(
                name=name,
                relationship=self.harm_relationship.text(),
                lives_with_child=_LIVES_WITH[max(0, self.lives_with.currentIndex())],
                contact_with_other_children=self.harm_contact.toPlainText(),
            )
        return ChildSituation(
            urgency=urgency,
            child_views=self.child_views.toPlainText(),
            child_now=self.child_now.toPlainText(),
            keep_from_family=self.keep_from_family.toPlainText(),
            person_causing_harm=person,
            referrer_relationship=self.referrer_relationship.text(),
            parents_views=self.parents_views.toPlainText(),
        )

    def first_field(self) -> QWidget:
        checked = self.urgency_group.checkedButton()
        return checked if checked is not None else self.urgency_buttons[Urgency.IMMEDIATE]

    def nextId(self) -> int:
        return REFERRAL
