"""Field widgets every form is built from, and dates between Qt and Python.

The casework dialogs, the concern form and the handoff wizard all use these, so that a
date reads the same everywhere ("2 Mar 2026"), a screen reader hears a date field's name
wherever the focus lands in it, a long text box is left with Tab like any other field,
and a date or time typed is exactly the one stored.

Qt's date fields take Tab to mean "the next part of the date" and drop letters without a
word, so words meant for the next field vanish into the date. Every date field named
here (:func:`name_editor`) leaves with Tab like any other field, and a key it cannot
use is refused visibly: a red frame and a sentence (:class:`DateKeys`).
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolTip,
    QWidget,
)

from ..theme import FIELD_MIN_HEIGHT, restyle, text_width

# Month in words: no day/month confusion, whatever the computer's locale.
DATE_FORMAT = "d MMM yyyy"
DATE_TIME_FORMAT = "d MMM yyyy, HH:mm"


def read_whole(combo: QComboBox, *, narrowest: int | None = None) -> QComboBox:
    """``combo`` asking for the width of its longest choice, so the one chosen is read
    whole; its tooltip holds the choice too. With ``narrowest`` (in characters) it gives
    way down to that on a screen too narrow for it, rather than push the page wider."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    if narrowest is not None:
        combo.setMinimumWidth(text_width(narrowest))

    def whole(index: int) -> None:
        combo.setToolTip(combo.itemText(index))

    combo.currentIndexChanged.connect(whole)
    whole(combo.currentIndex())
    return combo


def text_box(accessible: str, lines: int = 4, *, fixed: bool = False) -> QPlainTextEdit:
    """A multi-line field, ``lines`` tall, that Tab leaves (so forms work from the keyboard).

    ``fixed``: it keeps that height and longer text scrolls inside, so a dialog keeps
    its shape; otherwise the box may grow with the page it is on.
    """
    box = QPlainTextEdit()
    box.setAccessibleName(accessible)
    box.setTabChangesFocus(True)
    height = box.fontMetrics().lineSpacing() * lines + 14
    if fixed:
        box.setFixedHeight(height)
    else:
        box.setMinimumHeight(height)
    return box


class DateKeys(QObject):
    """Tab leaves a date or time field; a key it cannot use is refused where it is seen.

    ``refused(sentence)`` is emitted too, so a form can put the sentence under the field.
    """

    refused = Signal(str)

    def __init__(self, edit: QDateTimeEdit) -> None:
        super().__init__(edit)
        self._edit = edit
        self._resting = ""
        edit.installEventFilter(self)
        edit.dateTimeChanged.connect(lambda _value: self.clear())

    def sentence(self) -> str:
        sections = self._edit.displayedSections()
        has_date = bool(sections & QDateTimeEdit.Section.DateSections_Mask)
        has_time = bool(sections & QDateTimeEdit.Section.TimeSections_Mask)
        example = QDateTime.currentDateTime().toString(self._edit.displayFormat())
        if has_date and not has_time:
            return self.tr(
                "A date is typed as day, month and year, for example {example}, or chosen "
                "from the calendar (Alt+Down)."
            ).format(example=example)
        if has_time and not has_date:
            return self.tr("A time is typed in numbers, for example {example}.").format(
                example=example
            )
        return self.tr("Type the date and time as numbers, for example {example}.").format(
            example=example
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._edit or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        modifiers = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        key = event.key()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not modifiers:
            forward = key == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            # The next field, not the next part of the date.
            QWidget.focusNextPrevChild(self._edit, forward)
            return True
        text = event.text()
        if modifiers or not text or not any(char.isalpha() for char in text):
            return False
        # A month typed in words ("Mar") is fine; a letter the field drops is refused.
        before = self._edit.text()
        self._edit.event(event)
        if self._edit.text() == before:
            self.refuse()
        return True

    def refuse(self) -> None:
        sentence = self.sentence()
        if self._edit.property("sgRole") != "refused":
            # The field's own description (its hint) comes back when the refusal goes.
            self._resting = self._edit.accessibleDescription()
        self._edit.setProperty("sgRole", "refused")
        restyle(self._edit)
        self._edit.setAccessibleDescription(sentence)
        inner = self._edit.findChild(QLineEdit)
        if inner is not None:
            inner.setAccessibleDescription(sentence)
        if self._edit.isVisible():
            QToolTip.showText(
                self._edit.mapToGlobal(self._edit.rect().bottomLeft()), sentence, self._edit
            )
        self.refused.emit(sentence)

    def clear(self) -> None:
        if self._edit.property("sgRole") == "refused":
            self._edit.setProperty("sgRole", "")
            restyle(self._edit)
            self._edit.setAccessibleDescription(self._resting)
            inner = self._edit.findChild(QLineEdit)
            if inner is not None:
                inner.setAccessibleDescription("")
            QToolTip.hideText()


def date_keys(edit: QDateTimeEdit) -> DateKeys:
    """The key rules of a date field named with :func:`name_editor` (made if missing)."""
    found = edit.findChild(DateKeys)
    return found if found is not None else DateKeys(edit)


def name_editor(edit: QDateTimeEdit, accessible: str) -> None:
    """Name a date field and the text box inside it: screen readers land on the inner box.

    Tab then leaves the field, and letters it cannot use are refused visibly.
    """
    edit.setAccessibleName(accessible)
    # The theme sizes line edits and combo boxes; date fields match them.
    edit.setMinimumHeight(FIELD_MIN_HEIGHT)
    inner = edit.findChild(QLineEdit)
    if inner is not None:
        inner.setAccessibleName(accessible)
    date_keys(edit)


def date_edit(accessible: str) -> QDateEdit:
    """A date with a calendar to pick from, in :data:`DATE_FORMAT`."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    name_editor(edit, accessible)
    return edit


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_datetime(value: QDateTime) -> datetime:
    """The date and time shown, to the minute (the fields show no seconds)."""
    day, time = value.date(), value.time()
    return datetime(day.year(), day.month(), day.day(), time.hour(), time.minute())


class GrowingTextBox(QPlainTextEdit):
    """A short note that wraps and grows a line at a time as it is typed (up to
    ``max_lines``, then it scrolls), so nothing typed is hidden past the edge. Tab leaves."""

    def __init__(self, accessible: str, *, min_lines: int = 2, max_lines: int = 10) -> None:
        super().__init__()
        self.setAccessibleName(accessible)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._min_lines = min_lines
        self._max_lines = max_lines
        self.textChanged.connect(self._fit)
        self._fit()

    def _lines(self) -> int:
        """How many lines the text takes at the box's width (worked out from the font:
        Qt lays out a text box's lines lazily, after this is needed)."""
        margin = int(self.document().documentMargin())
        width = max(self.viewport().width() - 2 * margin, 20)
        metrics = self.fontMetrics()
        text = self.toPlainText() or " "
        bounds = metrics.boundingRect(
            QRect(0, 0, width, 1_000_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return max(1, round(bounds.height() / max(metrics.lineSpacing(), 1)))

    def _fit(self) -> None:
        lines = min(max(self._lines(), self._min_lines), self._max_lines)
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + margins.top() + margins.bottom()
        height = self.fontMetrics().lineSpacing() * lines + frame + 10
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


class WrappingCheck(QWidget):
    """A tick box whose words wrap onto more lines in a narrow window (a QCheckBox's own
    text never wraps, and is cut off instead). Clicking the words ticks it too; its label's
    Alt key, if any, goes to the box."""

    def __init__(self, text: str, accessible: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox()
        self.check.setAccessibleName(accessible or text.replace("&", ""))
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.check)
        self.label.installEventFilter(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.check, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.label
            and event.type() == QEvent.Type.MouseButtonRelease
            and self.check.isEnabled()
        ):
            self.check.toggle()
            self.check.setFocus(Qt.FocusReason.MouseFocusReason)
            return True
        return super().eventFilter(watched, event)
