"""The last step: the whole record as the lead will read it, step by step, and Send.

Each step is a card with a Change button that goes back to it. A step where something a
lead usually expects is empty (where it happened, how the child seemed, what the
recorder did...) says so in words at the top of its card, and a box at the top of the
page counts them, so nothing is left out without the recorder having seen it. Nothing
here stops the concern being sent: an honest "nothing" is better than a guess.

A guest (no account) gives their name and role here, at the end, so that nothing stands
between them and the question whether a child is in danger right now.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.text import MAX_NAME_LENGTH, clean_name

from ...theme import BUTTON_MIN_HEIGHT, alarm_box, card, heading, hint, paragraph
from ...translations import plural
from .step_page import FormPage, labelled


class Part(Protocol):
    """One step as the wizard lays it out for the review (concern_wizard.ReviewPart)."""

    page_id: int
    title: str
    html: str
    missing: list[str]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReviewPage", text)


class ReviewCard(QFrame):
    """One step of the record: its title, a Change button, what is empty, the words."""

    def __init__(self, part: Part, go_to: Callable[[int], None]) -> None:
        super().__init__()
        self.setProperty("sgRole", "card")
        self.page_id = part.page_id
        self.setAccessibleName(part.title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(6)
        top = QHBoxLayout()
        title = heading(part.title, level=2)
        top.addWidget(title, 1)
        self.change_button = QPushButton(_tr("Change"))
        self.change_button.setAccessibleName(_tr("Change {step}").format(step=part.title))
        self.change_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.change_button.clicked.connect(lambda: go_to(part.page_id))
        top.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.missing_line: QLabel | None = None
        if part.missing:
            sentence = _tr("Empty: {things}.").format(things="; ".join(part.missing))
            self.missing_line = paragraph(sentence)
            self.missing_line.setProperty("sgRole", "warning")
            self.missing_line.setAccessibleName(sentence)
            layout.addWidget(self.missing_line)
            self.change_button.setAccessibleDescription(sentence)
        self.words = QLabel(part.html)
        self.words.setTextFormat(Qt.TextFormat.RichText)
        self.words.setWordWrap(True)
        self.words.setAccessibleName(part.title)
        layout.addWidget(self.words)


class ReviewPage(FormPage):
    def __init__(self, *, is_guest: bool = False) -> None:
        super().__init__()
        self.set_title(self.tr("Check and send"))
        self.is_guest = is_guest
        layout = self.body_layout
        self.set_intro("")
        self.guest_name: QLineEdit | None = None
        self.guest_role: QLineEdit | None = None
        if is_guest:
            sender = card()
            # "Your name" and "Your role" say who is asked; no heading above them again.
            sender.setAccessibleName(self.tr("About you"))
            sender_layout = QVBoxLayout(sender)
            sender_layout.setContentsMargins(16, 10, 16, 12)
            self.guest_name = QLineEdit()
            self.guest_name.setMaxLength(MAX_NAME_LENGTH)
            self.guest_name.setAccessibleName(self.tr("Your name"))
            self.field_errors["guest_name"] = labelled(
                sender_layout,
                self.tr("Your na&me"),
                self.guest_name,
                self.tr("Problem with your name"),
            )
            self.guest_role = QLineEdit()
            self.guest_role.setMaxLength(MAX_NAME_LENGTH)
            self.guest_role.setAccessibleName(self.tr("Your role"))
            self.field_errors["guest_role"] = labelled(
                sender_layout,
                self.tr("Your &role"),
                self.guest_role,
                self.tr("Problem with your role"),
                self.tr("For example: visiting coach, supply teacher, parent helper."),
            )
            self.field_widgets.update(guest_name=self.guest_name, guest_role=self.guest_role)
            layout.addWidget(sender)
        self.empty_box, empty_layout = alarm_box("", warning=True)
        self.empty_sentence = paragraph()
        empty_layout.addWidget(self.empty_sentence)
        self.empty_box.hide()
        layout.addWidget(self.empty_box)
        self.cards_layout = QVBoxLayout()
        self.cards_layout.setSpacing(10)
        layout.addLayout(self.cards_layout)
        self.cards: list[ReviewCard] = []

        self.sender_line = hint()
        layout.addWidget(self.sender_line)
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Send"))

    def initializePage(self) -> None:
        form = self.concern_form()
        lead = form.org.org_type.lead_title
        # Each card's Change button says itself what it does.
        self.set_intro(self.tr("This is what the {lead} will read.").format(lead=lead), quiet=True)
        self.show_parts(form.review_parts(), form.go_to, lead)
        if self.guest_name is not None:
            self.sender_line.setText(
                self.tr(
                    "Your name and role are sent with the concern so the {lead} can talk to "
                    "you about it. You will not be able to read it back."
                ).format(lead=lead)
            )
        else:
            self.sender_line.setText(form.sender_sentence)
        self.clear_errors()

    def show_parts(
        self, parts: Sequence[Part], go_to: Callable[[int], None], lead: str = ""
    ) -> None:
        for old in self.cards:
            old.hide()
            old.deleteLater()
        self.cards = [ReviewCard(part, go_to) for part in parts]
        for review_card in self.cards:
            self.cards_layout.addWidget(review_card)
        with_gaps = [part for part in parts if part.missing]
        if with_gaps:
            steps = ", ".join(part.title for part in with_gaps)
            sentence = plural(
                "%n step(s) have something empty that the {lead} usually needs: {steps}. "
                "You can send it as it is, or press Change beside a step to add it.",
                len(with_gaps),
            ).format(steps=steps, lead=lead or _tr("safeguarding lead"))
            self.empty_sentence.setText(sentence)
            self.empty_box.setAccessibleName(sentence)
            self.empty_box.show()
        else:
            self.empty_box.hide()
        self.arrange_tab_order()

    def arrange_tab_order(self) -> None:
        # The guest's fields, then each card's Change button as the cards are read.
        chain: list[QWidget] = [w for w in (self.guest_name, self.guest_role) if w is not None]
        chain += [review_card.change_button for review_card in self.cards]
        for before, after in itertools.pairwise(chain):
            self.setTabOrder(before, after)

    def first_field(self) -> QWidget | None:
        # A guest's name is the one thing asked here; otherwise Send is what comes next
        # (Shift+Tab goes back through the record's Change buttons).
        if self.guest_name is not None:
            return self.guest_name
        wizard = self.wizard()
        return wizard.button(QWizard.WizardButton.FinishButton) if wizard is not None else None

    def guest_identity(self) -> tuple[str, str] | None:
        """The guest's name and role, checked; None (with the sentence under the field and
        the focus there) if either is missing. An account's form has none to give."""
        if self.guest_name is None or self.guest_role is None:
            return None
        values = []
        for key, edit, label in (
            ("guest_name", self.guest_name, self.tr("Your name")),
            ("guest_role", self.guest_role, self.tr("Your role")),
        ):
            try:
                values.append(clean_name(edit.text(), "guest", label=label))
            except BadInput as err:
                self.show_error(key, str(err))
                return None
        return values[0], values[1]

    def validatePage(self) -> bool:
        # Sending is slow (sealing, fsync): it runs on the worker; the page stays until done.
        self.concern_form().request_submit()
        return False
