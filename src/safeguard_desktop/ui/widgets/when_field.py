"""When something happened, asked the way people answer: today, yesterday or earlier, and a time.

Most concerns are recorded the same day or the next, so two quick choices cover them;
"Earlier" opens a date with a calendar. The date and the time are fields of their own,
each left with Tab (form_fields.name_editor), so text meant for the next field can never
disappear into the sections of a date, and a letter typed into either is refused where it
is seen.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ..theme import BUTTON_MIN_HEIGHT, MessageLine, text_width
from .form_fields import date_keys, name_editor

NUMERIC_DATE = "dd/MM/yyyy"
NUMERIC_TIME = "HH:mm"


class WhenField(QWidget):
    """Today / Yesterday / Earlier (a date), and a time. ``dateTimeChanged`` on any change."""

    dateTimeChanged = Signal(QDateTime)

    def __init__(self, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible)
        self.group = QButtonGroup(self)
        self.today = QRadioButton(self.tr("&Today"))
        self.yesterday = QRadioButton(self.tr("&Yesterday"))
        self.earlier = QRadioButton(self.tr("&Earlier"))
        for radio, word in (
            (self.today, self.tr("today")),
            (self.yesterday, self.tr("yesterday")),
            (self.earlier, self.tr("earlier, on a date")),
        ):
            radio.setAccessibleName(
                self.tr("{field}: {choice}").format(field=accessible, choice=word)
            )
            radio.setMinimumHeight(BUTTON_MIN_HEIGHT - 6)
            self.group.addButton(radio)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(NUMERIC_DATE)
        self.date.setMinimumDate(QDate(1900, 1, 1))
        self.date.setMaximumDate(QDate.currentDate())
        self.date.setDate(QDate.currentDate().addDays(-2))
        self.date.setMinimumWidth(text_width(14))
        name_editor(self.date, self.tr("{field}: the date").format(field=accessible))
        self.time = QTimeEdit(QTime.currentTime())
        self.time.setDisplayFormat(NUMERIC_TIME)
        self.time.setMinimumWidth(text_width(8))
        name_editor(self.time, self.tr("{field}: the time").format(field=accessible))
        time_label = QLabel(self.tr("at about"))
        self.time_label = time_label
        time_label.setBuddy(self.time)

        # Two short rows rather than one long one: the field fits a narrow window.
        choices = QHBoxLayout()
        choices.setContentsMargins(0, 0, 0, 0)
        choices.setSpacing(16)
        for radio in (self.today, self.yesterday, self.earlier):
            choices.addWidget(radio)
        choices.addStretch(1)
        at = QHBoxLayout()
        at.setContentsMargins(0, 0, 0, 0)
        at.setSpacing(8)
        at.addWidget(self.date)
        at.addWidget(time_label)
        at.addWidget(self.time)
        at.addStretch(1)
        # The refusal of a letter typed into the date or the time, under them.
        self.refusal = MessageLine(self.tr("Problem with the date or time typed"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(choices)
        layout.addLayout(at)
        layout.addWidget(self.refusal)
        for edit in (self.date, self.time):
            date_keys(edit).refused.connect(self.refusal.show_error)
            edit.dateTimeChanged.connect(lambda _value: self._changed())
        self.today.setChecked(True)
        self.group.buttonToggled.connect(self._toggled)
        self.group.buttonClicked.connect(self._chosen)
        self._changed()
        self.setTabOrder(self.today, self.yesterday)
        self.setTabOrder(self.yesterday, self.earlier)
        self.setTabOrder(self.earlier, self.date)
        self.setTabOrder(self.date, self.time)

    def _toggled(self, _button: QAbstractButton, on: bool) -> None:
        if on:  # the button switched off says nothing the one switched on does not
            self._changed()

    def _chosen(self, radio: QAbstractButton) -> None:
        """Chosen with its Alt key or a click: what comes next is the date (Earlier) or the
        time, so the keyboard goes there, as a child's age does (one key fewer). The arrow
        keys, moving along the choices, leave the focus on the choice."""
        field = self.date if radio is self.earlier else self.time
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _changed(self) -> None:
        # The date is asked only for "Earlier": Tab goes straight to the time otherwise.
        self.date.setVisible(self.earlier.isChecked())
        checked = self.group.checkedButton()
        # The label's Alt key lands on the choice that is made.
        self.setFocusProxy(checked if checked is not None else self.today)
        self.refusal.clear_message()
        self.dateTimeChanged.emit(self.dateTime())

    def day(self) -> QDate:
        today = QDate.currentDate()
        if self.today.isChecked():
            return today
        if self.yesterday.isChecked():
            return today.addDays(-1)
        return self.date.date()

    def dateTime(self) -> QDateTime:
        time = self.time.time()
        return QDateTime(self.day(), QTime(time.hour(), time.minute()))

    def setDateTime(self, value: QDateTime) -> None:
        day = value.date()
        today = QDate.currentDate()
        self.time.setTime(QTime(value.time().hour(), value.time().minute()))
        if day == today:
            self.today.setChecked(True)
        elif day == today.addDays(-1):
            self.yesterday.setChecked(True)
        else:
            if day > self.date.maximumDate():
                self.date.setMaximumDate(day)
            self.date.setDate(day)
            self.earlier.setChecked(True)
        self._changed()
