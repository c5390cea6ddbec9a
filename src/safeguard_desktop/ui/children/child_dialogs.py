"""The small forms on a child's page: details, a household member, a professional, a follow-up.

An action is added with the dialog a concern uses (:class:`.action_dialog.AddActionDialog`).

Each dialog only collects and checks what was typed: :meth:`RecordDialog.checked` runs
the domain's own validating constructor, so the same sentence appears here as from the
command line, under the field it is about. Saving is the page's job, on the worker.
Dialogs are children of the child's page and opened with ``open()``: a lock destroys an
open dialog, and whatever was typed in it, along with the page.

Over 500 lines because it holds four forms on one base class (RecordDialog); each is
under 200 lines, and apart they would only be further from the base they extend.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Generic, TypeVar

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.casework import checked_follow_up
from safeguard_desktop.domain.children import (
    LONGEST_PREGNANCY,
    MAX_DETAIL,
    ChildDetails,
    HouseholdMember,
    Professional,
    SendSupport,
)
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.text import MAX_NAME_LENGTH

from ..theme import MessageLine, heading, hint, scroll_area, text_width
from ..widgets.dialog_parts import FittingDialog, action_buttons, busy_bar, make_default
from ..widgets.form_fields import date_edit, read_whole, text_box, to_date, to_qdate
from ..widgets.wizard_page import bring_into_view

T = TypeVar("T")

# A yes/no/not known box's rows, in order.
_YES_NO: tuple[bool | None, ...] = (None, True, False)

RELATIONSHIPS = (
    "Mother",
    "Father",
    "Stepmother",
    "Stepfather",
    "Parent's partner",
    "Foster carer",
    "Grandparent",
    "Brother",
    "Sister",
    "Aunt",
    "Uncle",
    "Other carer",
)
PROFESSIONAL_ROLES = (
    "Social worker",
    "Family support worker",
    "Health visitor",
    "School nurse",
    "GP",
    "CAMHS worker",
    "Police officer",
    "Youth worker",
    "Teacher",
    "Early help worker",
)


class RecordDialog(FittingDialog, Generic[T]):
    """Heading, a form whose fields each have an error line, a busy bar and two buttons.

    ``checked()`` returns the domain object or raises BadInput; ``show_error`` puts a
    sentence under the field it names (or at the top when it names none).
    """

    def __init__(
        self, title: str, action_text: str, action_accessible: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(text_width(64))
        self.field_widgets: dict[str, QWidget] = {}
        self.field_errors: dict[str, MessageLine] = {}
        self.captions: dict[str, QLabel] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(10)
        outer.addWidget(heading(title, level=2))
        self.error = MessageLine(self.tr("Problem"))
        outer.addWidget(self.error)
        # The form scrolls: at 150 % text on a small laptop it can be taller than the screen.
        body = QWidget()
        self.form = QFormLayout(body)
        self.form.setContentsMargins(0, 0, 8, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.scroller: QScrollArea = scroll_area(body)
        outer.addWidget(self.scroller, 1)
        self.busy = busy_bar(self.tr("Saving"))
        outer.addWidget(self.busy)
        self.buttons, self.save_button, self.cancel_button = action_buttons(
            action_text, action_accessible
        )
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        make_default(self.save_button)

    # Building ---------------------------------------------------------------------

    def add_field(self, key: str, label: str, widget: QWidget, accessible: str) -> None:
        """``widget`` under ``label`` (with its mnemonic), then its own error line."""
        widget.setAccessibleName(accessible)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)
        self.captions[key] = caption
        error = MessageLine(self.tr("Problem with {field}").format(field=accessible.lower()))
        self.form.addRow(error)
        self.field_widgets[key] = widget
        self.field_errors[key] = error

    def add_hint(self, text: str) -> None:
        self.form.addRow(hint(text))

    def line(self, key: str, label: str, accessible: str, value: str = "") -> QLineEdit:
        edit = QLineEdit(value)
        edit.setMaxLength(MAX_NAME_LENGTH if key == "name" else MAX_DETAIL)
        self.add_field(key, label, edit, accessible)
        return edit

    def text_box(
        self, key: str, label: str, accessible: str, value: str = "", lines: int = 3
    ) -> QPlainTextEdit:
        edit = text_box(accessible, lines, fixed=True)
        edit.setPlainText(value)
        self.add_field(key, label, edit, accessible)
        return edit

    def choice(
        self, key: str, label: str, accessible: str, options: Sequence[str], value: str = ""
    ) -> QComboBox:
        """An editable list: common answers to pick, anything else typed."""
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(list(options))
        combo.setCurrentText(value)
        line_edit = combo.lineEdit()
        if line_edit is not None:
            line_edit.setMaxLength(MAX_DETAIL)
            line_edit.setAccessibleName(accessible)
            line_edit.setPlaceholderText(self.tr("Choose from the list or type"))
        self.add_field(key, label, combo, accessible)
        return combo

    def date_field(self, key: str, label: str, accessible: str) -> tuple[QCheckBox, QDateEdit]:
        """A date that may not be known: a "Known" box, then the date beside it."""
        known = QCheckBox(self.tr("Known"))
        known.setAccessibleName(self.tr("{field} is known").format(field=accessible))
        edit = date_edit(accessible)
        edit.setMinimumDate(QDate(1900, 1, 1))
        edit.setMaximumDate(QDate.currentDate())
        edit.setMaximumWidth(text_width(18))
        known.toggled.connect(edit.setEnabled)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(known)
        row_layout.addWidget(edit)
        row_layout.addStretch(1)
        self.add_field(key, label, row, accessible)
        # The label's shortcut goes to the box: the date itself is off until it is ticked.
        self.captions[key].setBuddy(known)
        self.field_widgets[key] = edit
        return known, edit

    def showEvent(self, event: QShowEvent) -> None:
        # Tall enough to show the whole form when the screen allows; else it scrolls.
        screen = self.screen().availableGeometry().height() if self.screen() else 700
        body = self.scroller.widget()
        wanted = body.sizeHint().height() + 4 if body is not None else 0
        self.scroller.setMinimumHeight(max(80, min(wanted, int(screen * 0.62))))
        super().showEvent(event)

    # Using ------------------------------------------------------------------------

    def checked(self) -> T:
        raise NotImplementedError

    def try_checked(self) -> T | None:
        """The checked value, or None with the reason shown under its field."""
        self.clear_errors()
        try:
            return self.checked()
        except BadInput as error:
            self.show_error(error.field, error.message)
            return None

    def clear_errors(self) -> None:
        self.error.clear_message()
        for line in self.field_errors.values():
            line.clear_message()

    def show_error(self, field: str | None, sentence: str) -> None:
        if field in self.field_errors:
            assert field is not None
            line = self.field_errors[field]
            line.show_error(sentence)
            self.field_widgets[field].setFocus()
            # The sentence, not just the field: under a tall box it was left out of sight.
            bring_into_view(line)
        else:
            self.error.show_error(sentence)
        self.fit_height()

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.save_button.setEnabled(not busy)
        for widget in self.field_widgets.values():
            widget.setEnabled(not busy)

    def first_field(self) -> QWidget:
        return next(iter(self.field_widgets.values()))


class ChildDetailsDialog(RecordDialog[ChildDetails]):
    """Everything known about the child, as on the child's page."""

    def __init__(self, details: ChildDetails, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Edit the child's details"),
            self.tr("&Save details"),
            self.tr("Save details"),
            parent,
        )
        self.name = self.line("name", self.tr("&Name"), self.tr("Name"), details.name)
        self.other_names = self.line(
            "other_names",
            self.tr("&Other names used"),
            self.tr("Other names used"),
            details.other_names,
        )
        self.add_hint(self.tr("Earlier surnames, nicknames or spellings; separate them with ;"))
        self.dob_known, self.date_of_birth = self.date_field(
            "date_of_birth", self.tr("&Date of birth"), self.tr("Date of birth")
        )
        self.dob_known.setChecked(details.date_of_birth is not None)
        self.date_of_birth.setEnabled(details.date_of_birth is not None)
        if details.date_of_birth is not None:
            self.date_of_birth.setDate(to_qdate(details.date_of_birth))
        else:
            self.date_of_birth.setDate(QDate.currentDate().addYears(-10))
        self.approximate_age = QSpinBox()
        self.approximate_age.setRange(-1, 25)
        self.approximate_age.setSpecialValueText(self.tr("Not known"))
        self.approximate_age.setValue(
            details.approximate_age if details.approximate_age is not None else -1
        )
        self.approximate_age.setMaximumWidth(text_width(16))
        self.add_field(
            "approximate_age",
            self.tr("&Approximate age, if the date of birth is not known"),
            self.approximate_age,
            self.tr("Approximate age"),
        )
        self.unborn = QCheckBox(self.tr("Not &born yet (a referral before birth)"))
        self.unborn.setAccessibleName(self.tr("Not born yet"))
        self.unborn.setChecked(details.unborn)
        self.form.addRow(self.unborn)
        self.expected_known, self.expected_on = self.date_field(
            "expected_on",
            self.tr("E&xpected date of delivery"),
            self.tr("Expected date of delivery"),
        )
        self.expected_on.setMinimumDate(QDate.currentDate().addYears(-1))
        self.expected_on.setMaximumDate(QDate.currentDate().addDays(LONGEST_PREGNANCY.days))
        self.expected_known.setChecked(details.expected_on is not None)
        self.expected_on.setEnabled(details.expected_on is not None)
        self.expected_on.setDate(
            to_qdate(details.expected_on)
            if details.expected_on is not None
            else QDate.currentDate().addMonths(4)
        )
        self.gender = self.line("gender", self.tr("&Gender"), self.tr("Gender"), details.gender)
        self.ethnicity = self.line(
            "ethnicity", self.tr("&Ethnicity"), self.tr("Ethnicity"), details.ethnicity
        )
        self.religion = self.line(
            "religion", self.tr("Re&ligion"), self.tr("Religion"), details.religion
        )
        self.language = self.line(
            "language", self.tr("&First language"), self.tr("First language"), details.language
        )
        self.interpreter_needed = self.yes_no(
            "interpreter_needed",
            self.tr("&Interpreter needed"),
            self.tr("Interpreter needed"),
            details.interpreter_needed,
        )
        self.nhs_number = self.line(
            "nhs_number", self.tr("NHS n&umber"), self.tr("NHS number"), details.nhs_number
        )
        self.add_hint(
            self.tr(
                "10 digits: a CHI number in Scotland, a Health and Care number in Northern Ireland"
            )
        )
        self.address = self.text_box(
            "address", self.tr("Add&ress"), self.tr("Address"), details.address
        )
        self.lives_with = self.text_box(
            "lives_with",
            self.tr("Who the child lives &with"),
            self.tr("Who the child lives with"),
            details.lives_with,
            lines=2,
        )
        self.add_hint(
            self.tr("Leave empty to print the household members marked 'lives with the child'.")
        )
        self.group = self.line(
            "group",
            self.tr("S&chool, class, club or team"),
            self.tr("School, class, club or team"),
            details.group,
        )
        self.disability = self.yes_no(
            "disability", self.tr("Disabilit&y"), self.tr("Disability"), details.disability
        )
        self.send = QComboBox()
        self.send.addItem(self.tr("Not known"), None)
        for level in SendSupport:
            self.send.addItem(self.tr(level.label), level.value)
        self.send.setCurrentIndex(max(0, self.send.findData(details.send)))
        # As wide as its longest level, and no wider in the form's full-width column.
        read_whole(self.send).setMaximumWidth(self.send.sizeHint().width())
        self.add_field(
            "send",
            self.tr("S&pecial educational needs (SEND)"),
            self.send,
            self.tr("Special educational needs"),
        )
        self.additional_needs = self.text_box(
            "additional_needs",
            self.tr("Additional needs or disabilities: de&tails"),
            self.tr("Additional needs or disabilities"),
            details.additional_needs,
        )
        self.field_widgets["unborn"] = self.unborn
        self.dob_known.toggled.connect(self._dob_known_changed)
        self.unborn.toggled.connect(self._unborn_changed)
        self._dob_known_changed(self.dob_known.isChecked())
        self._unborn_changed(self.unborn.isChecked())

    def yes_no(self, key: str, label: str, accessible: str, value: bool | None) -> QComboBox:
        """Not known, yes or no."""
        combo = QComboBox()
        combo.addItem(self.tr("Not known"), None)
        combo.addItem(self.tr("Yes"), True)
        combo.addItem(self.tr("No"), False)
        combo.setCurrentIndex(_YES_NO.index(value))
        combo.setMaximumWidth(text_width(20))
        self.add_field(key, label, combo, accessible)
        return combo

    def _dob_known_changed(self, known: bool) -> None:
        self.approximate_age.setEnabled(not known and not self.unborn.isChecked())

    def _unborn_changed(self, unborn: bool) -> None:
        # Not born yet: an expected date, never a date of birth or an age.
        for widget in (self.dob_known, self.approximate_age):
            widget.setEnabled(not unborn)
        if unborn:
            self.dob_known.setChecked(False)
            self.approximate_age.setValue(-1)
        self.expected_known.setEnabled(unborn)
        if not unborn:
            self.expected_known.setChecked(False)
        self._dob_known_changed(self.dob_known.isChecked())

    def checked(self) -> ChildDetails:
        age = self.approximate_age.value()
        known = self.dob_known.isChecked()
        return ChildDetails.checked(
            name=self.name.text(),
            other_names=self.other_names.text(),
            date_of_birth=to_date(self.date_of_birth.date()) if known else None,
            approximate_age=age if not known and age >= 0 else None,
            gender=self.gender.text(),
            ethnicity=self.ethnicity.text(),
            language=self.language.text(),
            address=self.address.toPlainText(),
            group=self.group.text(),
            additional_needs=self.additional_needs.toPlainText(),
            religion=self.religion.text(),
            interpreter_needed=self.interpreter_needed.currentData(),
            disability=self.disability.currentData(),
            send=self.send.currentData(),
            unborn=self.unborn.isChecked(),
            expected_on=(
                to_date(self.expected_on.date()) if self.expected_known.isChecked() else None
            ),
            nhs_number=self.nhs_number.text(),
            lives_with=self.lives_with.toPlainText(),
        )


class HouseholdMemberDialog(RecordDialog[HouseholdMember]):
    """Someone in the child's family or household."""

    def __init__(
        self, parent: QWidget | None = None, member: HouseholdMember | None = None
    ) -> None:
        """``member``: change this person's details (the record before is kept)."""
        if member is None:
            texts = (
                self.tr("Add a household member"),
                self.tr("&Add to the household"),
                self.tr("Add to the household"),
            )
        else:
            texts = (
                self.tr("Change a household member"),
                self.tr("&Save the change"),
                self.tr("Save the change"),
            )
        super().__init__(*texts, parent)
        self.name = self.line("name", self.tr("&Name"), self.tr("Name"))
        self.relationship = self.choice(
            "relationship",
            self.tr("&Relationship to the child"),
            self.tr("Relationship to the child"),
            [self.tr(text) for text in RELATIONSHIPS],
        )
        self.dob_known, self.date_of_birth = self.date_field(
            "date_of_birth", self.tr("&Date of birth"), self.tr("Date of birth")
        )
        self.dob_known.setChecked(False)
        self.date_of_birth.setEnabled(False)
        self.date_of_birth.setDate(QDate.currentDate().addYears(-35))
        self.parental_responsibility = QCheckBox(self.tr("Has &parental responsibility"))
        self.parental_responsibility.setAccessibleName(self.tr("Has parental responsibility"))
        self.form.addRow(self.parental_responsibility)
        self.lives_with_child = QCheckBox(self.tr("&Lives with the child"))
        self.lives_with_child.setAccessibleName(self.tr("Lives with the child"))
        self.lives_with_child.setChecked(True)
        self.form.addRow(self.lives_with_child)
        self.contact = self.text_box(
            "contact", self.tr("&Contact details"), self.tr("Contact details"), lines=2
        )
        self.notes = self.text_box("notes", self.tr("N&otes"), self.tr("Notes"), lines=2)
        # Listed after the fields so busy-state handling disables the boxes too.
        self.field_widgets["parental_responsibility"] = self.parental_responsibility
        self.field_widgets["lives_with_child"] = self.lives_with_child
        if member is not None:
            self.name.setText(member.name)
            self.relationship.setCurrentText(member.relationship)
            if member.date_of_birth is not None:
                self.dob_known.setChecked(True)
                self.date_of_birth.setEnabled(True)
                self.date_of_birth.setDate(to_qdate(member.date_of_birth))
            self.parental_responsibility.setChecked(member.parental_responsibility)
            self.lives_with_child.setChecked(member.lives_with_child)
            self.contact.setPlainText(member.contact)
            self.notes.setPlainText(member.notes)

    def checked(self) -> HouseholdMember:
        return HouseholdMember.checked(
            name=self.name.text(),
            relationship=self.relationship.currentText(),
            date_of_birth=(
                to_date(self.date_of_birth.date()) if self.dob_known.isChecked() else None
            ),
            parental_responsibility=self.parental_responsibility.isChecked(),
            lives_with_child=self.lives_with_child.isChecked(),
            contact=self.contact.toPlainText(),
            notes=self.notes.toPlainText(),
        )


class ProfessionalDialog(RecordDialog[Professional]):
    """A professional working with the child: social worker, health visitor, GP..."""

    def __init__(
        self, parent: QWidget | None = None, professional: Professional | None = None
    ) -> None:
        """``professional``: change their details (the record before is kept)."""
        if professional is None:
            texts = (
                self.tr("Add a professional"),
                self.tr("&Add the professional"),
                self.tr("Add the professional"),
            )
        else:
            texts = (
                self.tr("Change a professional"),
                self.tr("&Save the change"),
                self.tr("Save the change"),
            )
        super().__init__(*texts, parent)
        self.name = self.line("name", self.tr("&Name"), self.tr("Name"))
        self.role = self.choice(
            "role",
            self.tr("&Role"),
            self.tr("Role"),
            [self.tr(text) for text in PROFESSIONAL_ROLES],
        )
        self.organisation = self.line(
            "organisation", self.tr("&Organisation"), self.tr("Organisation")
        )
        self.contact = self.line("contact", self.tr("&Contact details"), self.tr("Contact details"))
        if professional is not None:
            self.name.setText(professional.name)
            self.role.setCurrentText(professional.role)
            self.organisation.setText(professional.organisation)
            self.contact.setText(professional.contact)

    def checked(self) -> Professional:
        return Professional.checked(
            name=self.name.text(),
            role=self.role.currentText(),
            organisation=self.organisation.text(),
            contact=self.contact.text(),
        )


class FollowUpDialog(RecordDialog[tuple[date, str]]):
    """A date by which something about the child must be done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Add a follow-up"),
            self.tr("&Add the follow-up"),
            self.tr("Add the follow-up"),
            parent,
        )
        self.due_on = date_edit(self.tr("Due by"))
        self.due_on.setMinimumDate(QDate.currentDate())
        self.due_on.setDate(QDate.currentDate().addDays(7))
        self.due_on.setMaximumWidth(text_width(18))
        self.add_field("due_on", self.tr("&Due by"), self.due_on, self.tr("Due by"))
        self.what = self.line("what", self.tr("&What is to be done"), self.tr("What is to be done"))
        self.add_hint(self.tr("For example: ask the social worker about the strategy meeting"))

    def checked(self) -> tuple[date, str]:
        return checked_follow_up(to_date(self.due_on.date()), self.what.text(), today=date.today())
