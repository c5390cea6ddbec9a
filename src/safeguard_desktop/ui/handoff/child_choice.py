"""Which child a handoff decision is for, when the concern names more than one.

A decision and its referral belong to one child: two children in one incident may be
from different families. The first step of the handoff asks which child, offering first
the children with no decision yet; the wizard records the decision for that child only.
Shown only when the concern names several children.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QButtonGroup, QVBoxLayout, QWidget

from ..theme import heading, paragraph
from .handoff_parts import radio


@dataclass(frozen=True)
class ChildOption:
    """A child named in the concern, as the choice shows them."""

    position: int
    name: str  # display-safe
    decided: bool  # a decision is already recorded for them


class ChildChoice(QWidget):
    """One radio button per child; hidden when there is only one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        question = self.tr("Which child is this decision for?")
        layout.addWidget(heading(question, level=2))
        layout.addWidget(
            paragraph(
                self.tr(
                    "This concern names more than one child. Each child has their own "
                    "decision and their own referral, with their own family's details only. "
                    "Decide for one child now; then open this again for the next."
                )
            )
        )
        self.buttons_layout = QVBoxLayout()
        layout.addLayout(self.buttons_layout)
        self._question = question
        self.options: list[ChildOption] = []
        self.hide()

    def show_children(self, options: list[ChildOption]) -> None:
        """Offer ``options``; the first child with no decision yet is chosen to begin with."""
        self.options = options
        for button in self.group.buttons():
            self.group.removeButton(button)
            button.deleteLater()
        for option in options:
            text = option.name.replace("&", "&&")  # a name is never an Alt key
            if option.decided:
                text = self.tr("{name} (a decision is already recorded)").format(name=text)
            button = radio(text, self.tr("{q}: {name}").format(q=self._question, name=option.name))
            self.group.addButton(button, option.position)
            self.buttons_layout.addWidget(button)
        first = next((o for o in options if not o.decided), options[0] if options else None)
        if first is not None:
            chosen = self.group.button(first.position)
            if chosen is not None:
                chosen.setChecked(True)
        self.setVisible(len(options) > 1)

    def several(self) -> bool:
        """The concern names more than one child, so the choice matters."""
        return len(self.options) > 1

    def chosen(self) -> int | None:
        """The chosen child's position in the concern (None before the concern is read)."""
        position = self.group.checkedId()
        return position if position >= 0 else None

    def chosen_name(self) -> str:
        position = self.chosen()
        return next((o.name for o in self.options if o.position == position), "")

    def first_button(self) -> QWidget | None:
        return self.group.checkedButton() if self.several() else None
