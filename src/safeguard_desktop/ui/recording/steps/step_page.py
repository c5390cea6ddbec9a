"""What every step of the concern form shares: the page ids, the base page, small field helpers.

A step reaches the wizard it is on through :class:`StepHost`, a protocol naming only what
the steps ask of it, because the wizard (``concern_wizard.py``) imports every step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.organisation import Organisation

from ...theme import BUTTON_MIN_HEIGHT, MessageLine
from ...widgets.field_hint import field_hint
from ...widgets.wizard_page import FieldsPage

# Page ids, in order. The danger instructions are shown only after a "yes", the body map
# only after the recorder says they saw a mark, the written notes only after they say
# they have some to send.
DANGER_QUESTION, DANGER, CHILDREN, HAPPENED, WORDS, BODY, ACTIONS, NOTES, CATEGORY, REVIEW = range(
    10
)


def labelled(
    layout: QVBoxLayout, text: str, widget: QWidget, error_name: str, hint_text: str = ""
) -> MessageLine:
    """Every field of every step the same way: its label (with an Alt key), the field, a
    quieter line saying what is wanted, and the one-sentence error line under it."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget)
    if hint_text:
        # Read by a screen reader on the field, as seen under it (before the error line
        # is bound, so the hint comes back when an error goes).
        layout.addWidget(field_hint(widget, hint_text))
    error = MessageLine(error_name)
    error.describe(widget)
    layout.addWidget(error)
    # A sentence about what was typed goes once the text is changed.
    changed = getattr(widget, "dateTimeChanged", None) or getattr(widget, "textChanged", None)
    if changed is not None:
        changed.connect(error.clear_message)
    return error


def yes_no(
    parent: QWidget, yes: str, no: str, accessible: str
) -> tuple[QRadioButton, QRadioButton, QButtonGroup]:
    group = QButtonGroup(parent)
    yes_radio, no_radio = QRadioButton(yes), QRadioButton(no)
    for radio, word in ((yes_radio, "Yes"), (no_radio, "No")):
        radio.setAccessibleName(f"{accessible}: {word}")
        radio.setMinimumHeight(BUTTON_MIN_HEIGHT - 4)
        group.addButton(radio)
    return yes_radio, no_radio, group


def answer(yes: QAbstractButton, no: QAbstractButton) -> bool | None:
    if yes.isChecked():
        return True
    if no.isChecked():
        return False
    return None


def set_answer(
    yes: QAbstractButton, no: QAbstractButton, group: QButtonGroup, value: object
) -> None:
    # Exclusive groups cannot be cleared one button at a time.
    group.setExclusive(False)
    yes.setChecked(value is True)
    no.setChecked(value is False)
    group.setExclusive(True)


def str_value(value: object) -> str:
    return value if isinstance(value, str) else ""


@runtime_checkable
class StepHost(Protocol):
    """What a step asks of the wizard it is on: :class:`..concern_wizard.ConcernWizard`."""

    org: Organisation
    sender_sentence: str

    def check_page(self, page: FormPage) -> bool: ...
    def review_parts(self) -> Sequence[Any]: ...
    def go_to(self, page_id: int) -> None: ...
    def request_submit(self) -> None: ...


class FormPage(FieldsPage):
    """A page of the concern form; its fields are named by JSON path ("children.0.name")."""

    def concern_form(self) -> StepHost:
        wizard = self.wizard()
        assert isinstance(wizard, StepHost)
        return wizard

    def validatePage(self) -> bool:
        return self.concern_form().check_page(self)
