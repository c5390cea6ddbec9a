"""Field widgets every form is built from, and dates between Qt and Python.

The casework dialogs, the concern form and the handoff wizard all use these, so that a
date reads the same everywhere ("2 Mar 2026"), a screen reader hears a date field's name
wherever the focus lands in it, a long text box is left with Tab like any other field,
and a date or time typed is exactly the one stored.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLineEdit, QPlainTextEdit

from ..theme import FIELD_MIN_HEIGHT

# Month in words: no day/month confusion, whatever the computer's locale.
DATE_FORMAT = "d MMM yyyy"
DATE_TIME_FORMAT = "d MMM yyyy, HH:mm"


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


def name_editor(edit: QDateTimeEdit, accessible: str) -> None:
    """Name a date field and the text box inside it: screen readers land on the inner box."""
    edit.setAccessibleName(accessible)
    # The theme sizes line edits and combo boxes; date fields match them.
    edit.setMinimumHeight(FIELD_MIN_HEIGHT)
    inner = edit.findChild(QLineEdit)
    if inner is not None:
        inner.setAccessibleName(accessible)


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
