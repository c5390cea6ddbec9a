"""The step naming the children: one box per child, added and removed as needed."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QButtonGroup,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.concern import MAX_APPROXIMATE_AGE, MAX_GROUP_LENGTH
from safeguard_desktop.domain.text import MAX_NAME_LENGTH, MAX_TEXT_LENGTH

from ...theme import MessageLine
from ...widgets.form_fields import date_keys, name_editor
from ...widgets.page_parts import FlowLayout
from ...widgets.wizard_page import bring_into_view
from .step_page import FormPage, labelled, str_value

# The words of each field with its Alt key; only the first child's box has Alt keys, so
# that each key still belongs to one field when there are several children.
_LABELS = {
    "name": "Child's na&me",
    "dob": "&Date of birth",
    "age": "Approximate a&ge",
    "unknown": "Age not &known",
    "group": "Group, class or &team",
    "additional_needs": "Any &additional needs",
}


class ChildBox(QGroupBox):
    """One child: name, date of birth or approximate age, group, additional needs."""

    remove_requested = Signal(object)

    def __init__(self, number: int) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        self.errors: dict[str, MessageLine] = {}
        self.widgets: dict[str, QWidget] = {}

        self.name = QLineEdit()
        self.name.setMaxLength(MAX_NAME_LENGTH)
        self.errors["name"] = labelled(layout, "", self.name, "")
        self.widgets["name"] = self.name

        # On to a second line when the window is narrow, rather than past its edge.
        age_row = FlowLayout(spacing=18)
        self.age_group = QButtonGroup(self)
        self.dob_radio = QRadioButton()
        self.age_radio = QRadioButton()
        self.unknown_radio = QRadioButton()
        for radio in (self.dob_radio, self.age_radio, self.unknown_radio):
            self.age_group.addButton(radio)
            age_row.addWidget(radio)
        self.unknown_radio.setChecked(True)
        layout.addLayout(age_row)

        fields_row = QHBoxLayout()
        self.date_of_birth = QDateEdit()
        self.date_of_birth.setCalendarPopup(True)
        self.date_of_birth.setDisplayFormat("dd/MM/yyyy")
        name_editor(self.date_of_birth, self.tr("Date of birth"))
        self.date_of_birth.setMinimumDate(QDate(1900, 1, 1))
        self.date_of_birth.setMaximumDate(QDate.currentDate())
        self.date_of_birth.setDate(QDate.currentDate().addYears(-10))
        self.approximate_age = QSpinBox()
        self.approximate_age.setRange(0, MAX_APPROXIMATE_AGE)
        self.approximate_age.setValue(10)
        self.approximate_age.setSuffix(self.tr(" years"))
        fields_row.addWidget(self.date_of_birth)
        fields_row.addWidget(self.approximate_age)
        fields_row.addStretch(1)
        layout.addLayout(fields_row)
        self.errors["date_of_birth"] = MessageLine("")
        self.errors["approximate_age"] = MessageLine("")
        layout.addWidget(self.errors["date_of_birth"])
        layout.addWidget(self.errors["approximate_age"])
        self.widgets["date_of_birth"] = self.date_of_birth
        self.widgets["approximate_age"] = self.approximate_age
        self.errors["date_of_birth"].describe(self.date_of_birth)
        self.errors["approximate_age"].describe(self.approximate_age)
        date_keys(self.date_of_birth).refused.connect(self.errors["date_of_birth"].show_error)

        self.group = QLineEdit()
        self.group.setMaxLength(MAX_GROUP_LENGTH)
        self.errors["group"] = labelled(layout, "", self.group, "")
        self.widgets["group"] = self.group

        self.additional_needs = QLineEdit()
        self.additional_needs.setMaxLength(MAX_TEXT_LENGTH)
        self.errors["additional_needs"] = labelled(layout, "", self.additional_needs, "")
        self.widgets["additional_needs"] = self.additional_needs
        self.labels = {
            key: label
            for key, label in (
                ("name", self._label_of(self.name)),
                ("group", self._label_of(self.group)),
                ("additional_needs", self._label_of(self.additional_needs)),
            )
            if label is not None
        }

        self.remove_button = QPushButton(self.tr("Remove this child"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.age_group.buttonToggled.connect(lambda *_: self._age_kind_changed())
        self.age_group.buttonClicked.connect(self._age_kind_chosen)
        self.set_number(number)
        self._age_kind_changed()

    def _label_of(self, field: QWidget) -> QLabel | None:
        for label in self.findChildren(QLabel):
            if label.buddy() is field:
                return label
        return None

    def set_number(self, number: int) -> None:
        self.number = number

        def words(key: str) -> str:
            text = self.tr(_LABELS[key])
            return text if number == 1 else text.replace("&", "")

        for key, label in self.labels.items():
            label.setText(words(key))
        self.dob_radio.setText(words("dob"))
        self.age_radio.setText(words("age"))
        self.unknown_radio.setText(words("unknown"))
        self.setTitle(self.tr("Child {n}").format(n=number))
        self.setAccessibleName(self.tr("Child {n}").format(n=number))
        names = {
            "name": self.tr("Child's name"),
            "date_of_birth": self.tr("Date of birth"),
            "approximate_age": self.tr("Approximate age"),
            "group": self.tr("Group, class or team"),
            "additional_needs": self.tr("Known additional needs"),
        }
        suffix = self.tr(", child {n}").format(n=number)
        for key, widget in self.widgets.items():
            widget.setAccessibleName(names[key] + suffix)
            self.errors[key].setAccessibleName(
                self.tr("Problem with {field}").format(field=names[key] + suffix)
            )
        self.dob_radio.setAccessibleName(self.tr("Date of birth known") + suffix)
        self.age_radio.setAccessibleName(self.tr("Approximate age") + suffix)
        self.unknown_radio.setAccessibleName(self.tr("Age not known") + suffix)
        self.remove_button.setAccessibleName(self.tr("Remove child {n}").format(n=number))

    def tab_chain(self) -> list[QWidget]:
        """This child's fields in reading order."""
        return [
            self.name,
            self.dob_radio,
            self.age_radio,
            self.unknown_radio,
            self.date_of_birth,
            self.approximate_age,
            self.group,
            self.additional_needs,
            self.remove_button,
        ]

    def _age_kind_changed(self) -> None:
        self.date_of_birth.setVisible(self.dob_radio.isChecked())
        self.approximate_age.setVisible(self.age_radio.isChecked())

    def _age_kind_chosen(self, radio: QAbstractButton) -> None:
        """Chosen with its Alt key or a click: the next thing to do is type the date or
        the age, so the keyboard goes there (one Tab fewer). The arrow keys, which move
        along the choices, put the focus back on the next choice themselves."""
        field: QAbstractSpinBox
        if radio is self.dob_radio:
            field = self.date_of_birth
        elif radio is self.age_radio:
            field = self.approximate_age
        else:
            return
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()  # what is typed replaces the value shown

    def age_kind(self) -> str:
        if self.dob_radio.isChecked():
            return "dob"
        if self.age_radio.isChecked():
            return "age"
        return "unknown"

    def form_data(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "age_kind": self.age_kind(),
            "date_of_birth": self.date_of_birth.date().toString("yyyy-MM-dd"),
            "approximate_age": self.approximate_age.value(),
            "group": self.group.text(),
            "additional_needs": self.additional_needs.text(),
        }

    def set_form_data(self, data: dict[str, object]) -> None:
        self.name.setText(str_value(data.get("name")))
        kind = data.get("age_kind")
        {"dob": self.dob_radio, "age": self.age_radio}.get(
            str(kind), self.unknown_radio
        ).setChecked(True)
        born = QDate.fromString(str_value(data.get("date_of_birth")), "yyyy-MM-dd")
        if born.isValid():
            self.date_of_birth.setDate(born)
        age = data.get("approximate_age")
        if isinstance(age, int) and not isinstance(age, bool):
            self.approximate_age.setValue(age)
        self.group.setText(str_value(data.get("group")))
        self.additional_needs.setText(str_value(data.get("additional_needs")))


class ChildrenPage(FormPage):
    def __init__(self) -> None:
        super().__init__()
        # The question as the title; "Add another child" below the box says the rest.
        self.set_title(self.tr("Who is this about?"))
        self.boxes: list[ChildBox] = []
        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(12)
        self.body_layout.addLayout(self.list_layout)
        self.add_button = QPushButton(self.tr("Add another c&hild"))
        self.add_button.setAccessibleName(self.tr("Add another child"))
        self.add_button.clicked.connect(lambda: self.add_child(focus=True))
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        self.body_layout.addLayout(row)
        self.body_layout.addWidget(self.page_error)
        self.body_layout.addStretch(1)
        self.add_child()

    def add_child(self, focus: bool = False) -> ChildBox:
        box = ChildBox(len(self.boxes) + 1)
        box.remove_requested.connect(self._remove)
        self.boxes.append(box)
        self.list_layout.addWidget(box)
        self._renumber()
        self.arrange_tab_order()
        if focus:
            box.name.setFocus()
        return box

    def arrange_tab_order(self) -> None:
        # Tab goes through the children in order, then to "Add another child".
        previous: QWidget | None = None
        for box in self.boxes:
            for widget in box.tab_chain():
                if previous is not None:
                    self.setTabOrder(previous, widget)
                previous = widget
        if previous is not None:
            self.setTabOrder(previous, self.add_button)

    def _remove(self, box: object) -> None:
        if box in self.boxes and len(self.boxes) > 1:
            self.boxes.remove(box)
            assert isinstance(box, ChildBox)
            box.hide()
            box.deleteLater()
            self._renumber()
            self.boxes[-1].name.setFocus()

    def _renumber(self) -> None:
        for number, box in enumerate(self.boxes, 1):
            box.set_number(number)
            box.remove_button.setVisible(len(self.boxes) > 1)

    def form_data(self) -> list[dict[str, object]]:
        return [box.form_data() for box in self.boxes]

    def set_form_data(self, children: list[dict[str, object]]) -> None:
        while len(self.boxes) > 1:
            self._remove(self.boxes[-1])
        for index, child in enumerate(children or [{}]):
            box = self.boxes[0] if index == 0 else self.add_child()
            box.set_form_data(child)

    def clear_errors(self) -> None:
        super().clear_errors()
        for box in self.boxes:
            for line in box.errors.values():
                line.clear_message()

    def show_error(self, field: str, sentence: str) -> None:
        # "children[1].date_of_birth" -> child box 1, its date of birth line.
        if field.startswith("children[") and "]." in field:
            index_text, key = field[len("children[") :].split("].", 1)
            if index_text.isdigit() and int(index_text) < len(self.boxes):
                box = self.boxes[int(index_text)]
                if key in box.errors:
                    box.errors[key].show_error(sentence)
                    box.widgets[key].setFocus()
                    bring_into_view(box.errors[key])
                    return
        super().show_error(field, sentence)
