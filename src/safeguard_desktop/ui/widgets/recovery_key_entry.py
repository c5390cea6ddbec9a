"""Typing the recovery key: eight six-digit groups, each checked as its sixth digit lands.

Used wherever the printed key is typed back: the recovery-key dialog on the sign-in page
(a forgotten administrator password, or a new PC) and "Restore from a backup" on the
first-run screen. Each group carries a check digit, so a typing slip is marked in words
and colour long before any slow check; pasting the whole key into a group fills every
group from there on and takes the key off the clipboard.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.services.setup import check_recovery_group

from ..theme import ERROR_INK, GOOD_INK, MessageLine, hint

GROUPS = 8
GROUP_DIGITS = 6
# Room for a whole key pasted with spaces, dashes or a caption around it.
_PASTE_ROOM = 200
_COLUMNS = 4
_SPACING = 12

# The state of one group, kept in a dynamic property so the style sheet can colour it.
CHECK_PROPERTY = "sgCheck"
_STYLE_SHEET = f"""
QLineEdit[{CHECK_PROPERTY}="wrong"] {{ border: 2px solid {ERROR_INK}; background: #fdf1f1; }}
QLineEdit[{CHECK_PROPERTY}="right"] {{ border: 2px solid {GOOD_INK}; }}
"""


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


def _group_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(QApplication.font().pointSizeF() * 1.25)
    font.setBold(True)
    # As on the printed sheet: spaced digits are easier to compare one by one.
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 115)
    return font


def _listed(numbers: list[int]) -> str:
    """[3] -> '3', [3, 5] -> '3 and 5', [1, 3, 5] -> '1, 3 and 5'."""
    words = [str(n) for n in numbers]
    if len(words) == 1:
        return words[0]
    return QCoreApplication.translate("RecoveryKeyEntry", "{first} and {last}").format(
        first=", ".join(words[:-1]), last=words[-1]
    )


class GroupEdit(QLineEdit):
    """One six-digit group. Backspace in an empty group goes back to the one before."""

    back_from_empty = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backspace and not self.text():
            self.back_from_empty.emit()
            return
        super().keyPressEvent(event)


class RecoveryKeyEntry(QWidget):
    """The caption, eight groups in two rows of four, and one sentence about mistakes.

    ``filled`` is emitted when the eighth group is complete (the owner moves the focus
    on); ``message_changed`` when the sentence appears or goes (the owner may refit).
    ``focus`` moves the focus to a group: an owner that scrolls passes its own, so a
    group at the bottom of a page at 150 % text is scrolled into view too.
    """

    filled = Signal()
    message_changed = Signal()

    def __init__(
        self,
        focus: Callable[[QWidget], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE_SHEET)
        self._focus_fn = focus
        self._previous: dict[GroupEdit, str] = {}
        self._filling = False  # True while this widget changes the groups itself

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        key_row = QHBoxLayout()
        key_row.setSpacing(12)
        self.key_label = QLabel(self.tr("Recovery &key"))
        key_row.addWidget(self.key_label)
        key_row.addWidget(
            hint(self.tr("Type each group from the sheet, or paste the whole key.")), 1
        )
        layout.addLayout(key_row)
        grid = QGridLayout()
        grid.setHorizontalSpacing(_SPACING)
        grid.setVerticalSpacing(2)
        font = _group_font()
        # Wide enough for six spaced digits plus the frame, at any font size.
        self.field_width = QFontMetrics(font).horizontalAdvance("0" * (GROUP_DIGITS + 2)) + 16
        self.groups: list[GroupEdit] = []
        self.captions: list[QLabel] = []
        for index in range(GROUPS):
            number = index + 1
            caption = hint(self.tr("Group {n}").format(n=number))
            edit = GroupEdit()
            edit.setFont(font)
            edit.setMaxLength(_PASTE_ROOM)
            edit.setMinimumWidth(self.field_width)
            edit.setAccessibleName(self.tr("Group {n} of the recovery key").format(n=number))
            edit.setAccessibleDescription(self.tr("Six digits"))
            caption.setBuddy(edit)
            row = (index // _COLUMNS) * 3  # caption, field, and an empty row between the two
            grid.addWidget(caption, row, index % _COLUMNS)
            grid.addWidget(edit, row + 1, index % _COLUMNS)
            edit.textEdited.connect(lambda text, e=edit: self._group_edited(e, text))
            edit.textChanged.connect(self._check_groups)
            edit.back_from_empty.connect(lambda i=index: self._back_to(i - 1))
            self.groups.append(edit)
            self.captions.append(caption)
            self._previous[edit] = ""
        grid.setRowMinimumHeight(2, 6)
        layout.addLayout(grid)
        self.key_label.setBuddy(self.groups[0])
        self.key_message = MessageLine(self.tr("Result of checking the recovery key"))
        layout.addWidget(self.key_message)

    @property
    def minimum_row_width(self) -> int:
        """The width four groups side by side need."""
        return _COLUMNS * self.field_width + (_COLUMNS - 1) * _SPACING

    # Reading and filling ------------------------------------------------------------

    def key_text(self) -> str:
        """The key as typed, groups joined by dashes (what the services accept)."""
        return "-".join(digits_of(edit.text()) for edit in self.groups)

    def set_key(self, key: str) -> None:
        """Fill the groups from a whole key (as a paste would)."""
        self._fill_from(0, digits_of(key))

    def clear(self) -> None:
        """Forget the key: every group emptied."""
        for edit in self.groups:
            self._set_group(edit, "")

    def _group_edited(self, edit: GroupEdit, text: str) -> None:
        if self._filling:
            return
        digits = digits_of(text)
        before = self._previous[edit]
        index = self.groups.index(edit)
        if len(digits) > GROUP_DIGITS and len(digits) - len(before) > 1:
            # More than one digit arrived at once: a paste. Spread it over the groups.
            self._fill_from(index, digits)
            self._take_key_off_clipboard(digits)
            return
        if len(digits) > GROUP_DIGITS:
            digits = before  # a seventh digit typed into a full group: ignore it
        if digits != text:
            self._set_group(edit, digits)
        self._previous[edit] = digits
        if len(digits) == GROUP_DIGITS and len(before) < GROUP_DIGITS:
            self._focus_after(index)

    def _fill_from(self, index: int, digits: str) -> None:
        last = index
        for position in range(index, GROUPS):
            start = (position - index) * GROUP_DIGITS
            chunk = digits[start : start + GROUP_DIGITS]
            if not chunk and position > index:
                break
            self._set_group(self.groups[position], chunk)
            last = position
        if len(digits_of(self.groups[last].text())) == GROUP_DIGITS:
            self._focus_after(last)
        else:
            self.focus(self.groups[last])

    def _set_group(self, edit: GroupEdit, digits: str) -> None:
        self._filling = True
        try:
            edit.setText(digits)
        finally:
            self._filling = False
        self._previous[edit] = digits

    def _take_key_off_clipboard(self, digits: str) -> None:
        # The key is a secret: once it is in the groups, it should not stay on the
        # clipboard for the next program to read. Only what still holds it is cleared.
        clipboard = QApplication.clipboard()
        if digits_of(clipboard.text()) == digits:
            clipboard.clear()

    def focus(self, widget: QWidget) -> None:
        if self._focus_fn is not None:
            self._focus_fn(widget)
        else:
            widget.setFocus()

    def _focus_after(self, index: int) -> None:
        if index + 1 < GROUPS:
            self.focus(self.groups[index + 1])
            self.groups[index + 1].selectAll()
        else:
            self.filled.emit()

    def _back_to(self, index: int) -> None:
        if index >= 0:
            self.focus(self.groups[index])
            self.groups[index].end(False)

    # Checking -----------------------------------------------------------------------

    def wrong_groups(self) -> list[int]:
        """Numbers (1-based) of the complete groups whose check digit is wrong."""
        return [
            number
            for number, edit in enumerate(self.groups, start=1)
            if len(digits_of(edit.text())) == GROUP_DIGITS
            and not check_recovery_group(digits_of(edit.text()))
        ]

    def _check_groups(self) -> None:
        wrong = self.wrong_groups()
        for number, (edit, caption) in enumerate(
            zip(self.groups, self.captions, strict=True), start=1
        ):
            digits = digits_of(edit.text())
            if len(digits) < GROUP_DIGITS:
                state, role, description = "", "hint", self.tr("Six digits")
            elif number in wrong:
                state, role = "wrong", "error"
                description = self.tr("This group has a typing mistake")
            else:
                state, role, description = "right", "hint", self.tr("This group looks right")
            edit.setProperty(CHECK_PROPERTY, state)
            edit.setAccessibleDescription(description)
            caption.setProperty("sgRole", role)
            for widget in (edit, caption):
                # Re-polish so the colour from the style sheet follows the new state.
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        was_shown = self.key_message.isVisibleTo(self)
        if wrong:
            self.key_message.show_error(self.typo_sentence(wrong))
            self.message_changed.emit()
        else:
            self.key_message.clear_message()
            if was_shown:
                self.message_changed.emit()

    def typo_sentence(self, wrong: list[int]) -> str:
        if len(wrong) == 1:
            return self.tr(
                "There is a typing mistake in group {n}; check each digit against the sheet."
            ).format(n=wrong[0])
        return self.tr(
            "There are typing mistakes in groups {list}; check each digit against the sheet."
        ).format(list=_listed(wrong))

    def problem(self) -> tuple[str, QWidget] | None:
        """The first thing to put right in the key, and which group; None if none."""
        for number, edit in enumerate(self.groups, start=1):
            if len(digits_of(edit.text())) < GROUP_DIGITS:
                return (
                    self.tr(
                        "Please type all 8 groups of the recovery key; group {n} is not "
                        "complete yet."
                    ).format(n=number),
                    edit,
                )
        wrong = self.wrong_groups()
        if wrong:
            return self.typo_sentence(wrong), self.groups[wrong[0] - 1]
        return None
