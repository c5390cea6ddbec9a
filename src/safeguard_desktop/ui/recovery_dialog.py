"""The recovery-key dialog: an administrator gets a new password from the printed key.

For a forgotten administrator password, or on a new PC whose credential store does not
hold the old one's device secret. The key is typed as eight six-digit groups, just as it
is printed; each group carries a check digit, so a typing mistake is marked the moment
its sixth digit is typed, long before the slow check. Pasting the whole key into a group
fills every group from there on. The slow part (Argon2id) runs on the worker; the
sign-in page hands the resulting session on exactly as after a normal sign-in.
"""

from __future__ import annotations

import itertools
import re

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.accounts import validate_password
from safeguard_desktop.domain.errors import BadInput, WrongCredentials
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.services.setup import check_recovery_group

from .dialog_parts import RetryCountdown, action_buttons
from .theme import (
    ERROR_INK,
    GOOD_INK,
    MessageLine,
    heading,
    hint,
    paragraph,
    text_width,
)
from .worker import Failure

GROUPS = 8
GROUP_DIGITS = 6
# Room for a whole key pasted with spaces, dashes or a caption around it.
_PASTE_ROOM = 200

# The state of one group, kept in a dynamic property so the style sheet can colour it.
_CHECK_PROPERTY = "sgCheck"
_STYLE_SHEET = f"""
QLineEdit[{_CHECK_PROPERTY}="wrong"] {{ border: 2px solid {ERROR_INK}; background: #fdf1f1; }}
QLineEdit[{_CHECK_PROPERTY}="right"] {{ border: 2px solid {GOOD_INK}; }}
"""


def _digits(text: str) -> str:
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
    return QCoreApplication.translate("RecoveryDialog", "{first} and {last}").format(
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


class RecoveryDialog(QDialog):
    """Emits ``submitted(code, username, new_password)``; the sign-in page runs it.

    It shows itself busy as it emits; the page calls ``show_failure`` or ``finish``
    when the worker answers. Cancelling is refused while the slow check runs: the
    password may already have been changed by then, and the session it makes must not
    be left unused.
    """

    submitted = Signal(str, str, str)

    def __init__(self, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Use the recovery key"))
        self.setModal(True)
        self.setStyleSheet(_STYLE_SHEET)
        self._busy = False
        self._previous: dict[GroupEdit, str] = {}
        self._filling = False  # True while this dialog changes the groups itself

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 16, 24, 8)
        layout.setSpacing(8)
        self.title = heading(self.tr("Use the recovery key"), level=2)
        layout.addWidget(self.title)
        layout.addWidget(
            paragraph(
                self.tr(
                    "Type the key from the recovery sheet made when the records were set up. "
                    "It gives an administrator account a new password on this PC."
                )
            )
        )
        # Said before the form, so it is read before anything is typed.
        self.after = hint(
            self.tr(
                "If this is a new PC, other people's passwords may not work here; once you "
                "are signed in, give each of them a new password on the People page."
            )
        )
        layout.addWidget(self.after)

        self.username = QLineEdit(username)
        self.username.setAccessibleName(self.tr("Administrator user name"))
        self.username.setMaxLength(64)
        user_label = QLabel(self.tr("Administrator &user name"))
        user_label.setBuddy(self.username)
        layout.addWidget(user_label)
        layout.addWidget(self.username)

        key_row = QHBoxLayout()
        key_row.setSpacing(12)
        key_label = QLabel(self.tr("Recovery &key"))
        key_row.addWidget(key_label)
        key_row.addWidget(
            hint(self.tr("Type each group from the sheet, or paste the whole key.")), 1
        )
        layout.addSpacing(4)
        layout.addLayout(key_row)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        font = _group_font()
        # Wide enough for six spaced digits plus the frame, at any font size.
        field_width = QFontMetrics(font).horizontalAdvance("0" * (GROUP_DIGITS + 2)) + 16
        self.groups: list[GroupEdit] = []
        self.captions: list[QLabel] = []
        for index in range(GROUPS):
            number = index + 1
            caption = hint(self.tr("Group {n}").format(n=number))
            edit = GroupEdit()
            edit.setFont(font)
            edit.setMaxLength(_PASTE_ROOM)
            edit.setMinimumWidth(field_width)
            edit.setAccessibleName(self.tr("Group {n} of the recovery key").format(n=number))
            edit.setAccessibleDescription(self.tr("Six digits"))
            caption.setBuddy(edit)
            row = (index // 4) * 3  # caption, field, and an empty row between the two
            grid.addWidget(caption, row, index % 4)
            grid.addWidget(edit, row + 1, index % 4)
            edit.textEdited.connect(lambda text, e=edit: self._group_edited(e, text))
            edit.textChanged.connect(self._check_groups)
            edit.back_from_empty.connect(lambda i=index: self._back_to(i - 1))
            self.groups.append(edit)
            self.captions.append(caption)
            self._previous[edit] = ""
        grid.setRowMinimumHeight(2, 6)
        layout.addLayout(grid)
        key_label.setBuddy(self.groups[0])
        self.key_message = MessageLine(self.tr("Result of checking the recovery key"))
        layout.addWidget(self.key_message)

        # The two password fields side by side: the dialog must fit a 768-pixel screen.
        passwords = QGridLayout()
        passwords.setHorizontalSpacing(12)
        passwords.setVerticalSpacing(4)
        self.password = self._password_field(
            passwords, 0, self.tr("&New password"), self.tr("New password")
        )
        self.password_again = self._password_field(
            passwords, 1, self.tr("New password &again"), self.tr("New password again")
        )
        passwords.addWidget(
            hint(self.tr("At least 10 characters; a few words you will remember are best.")),
            2,
            0,
            1,
            2,
        )
        layout.addLayout(passwords)
        self.show_passwords = QCheckBox(self.tr("S&how the passwords"))
        self.show_passwords.setAccessibleName(self.tr("Show the passwords"))
        self.show_passwords.toggled.connect(self._toggle_echo)
        layout.addWidget(self.show_passwords)
        layout.addStretch(1)

        self.scroller = QScrollArea()
        self.scroller.setWidget(body)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self._body = body

        self.error = MessageLine(self.tr("Recovery problem"))
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # indeterminate: Argon2 gives no progress
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(8)
        self.busy_bar.setAccessibleName(self.tr("Checking the recovery key"))
        self.busy_label = hint(self.tr("Checking the recovery key…"))
        self.busy_bar.hide()
        self.busy_label.hide()

        self.buttons, self.submit_button, self.cancel_button = action_buttons(
            self.tr("&Set the new password and sign in"),
            self.tr("Set the new password and sign in"),
        )
        self.submit_button.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        footer = QVBoxLayout()
        footer.setContentsMargins(24, 0, 24, 16)
        footer.setSpacing(6)
        footer.addWidget(self.error)
        footer.addWidget(self.busy_bar)
        footer.addWidget(self.busy_label)
        footer.addWidget(self.buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.scroller, 1)
        outer.addLayout(footer)

        self._countdown = RetryCountdown(
            self.submit_button,
            self.tr("&Set the new password and sign in"),
            self.tr("Set the new password and sign in"),
            lambda: self._busy,
        )

        self.setMinimumWidth(max(text_width(60), 4 * field_width + 3 * 12 + 48 + 24))
        order: list[QWidget] = [
            self.username,
            *self.groups,
            self.password,
            self.password_again,
            self.show_passwords,
            self.submit_button,
            self.cancel_button,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    def _password_field(
        self, grid: QGridLayout, column: int, label: str, accessible: str
    ) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(1024)
        caption = QLabel(label)
        caption.setBuddy(edit)
        grid.addWidget(caption, 0, column)
        grid.addWidget(edit, 1, column)
        return edit

    # Sizing -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()

    def _refit(self) -> None:
        # After a message line appears: once the layout has taken it in.
        QTimer.singleShot(0, self, self._fit_height)  # dropped if the dialog is gone

    def _fit_height(self) -> None:
        # As tall as the wrapped content needs, but never taller than the screen (less
        # room for a title bar): on a 768-pixel laptop at 150 % the body scrolls and the
        # buttons stay in view. It only grows, so the buttons do not jump about.
        body_layout = self._body.layout()
        outer = self.layout()
        if body_layout is None or outer is None:
            return
        body = body_layout.totalHeightForWidth(self.scroller.viewport().width())
        footer = outer.totalSizeHint().height() - self.scroller.sizeHint().height()
        needed = body + max(footer, 0) + 4
        screen = self.screen()
        limit = screen.availableGeometry().height() - 70 if screen is not None else needed
        height = min(max(needed, self.height() if self.isVisible() else 0), limit)
        self.resize(self.width(), max(height, 320))

    # Typing the key ---------------------------------------------------------------

    def key_text(self) -> str:
        """The key as typed, groups joined by dashes (what Store.recover accepts)."""
        return "-".join(_digits(edit.text()) for edit in self.groups)

    def set_key(self, key: str) -> None:
        """Fill the groups from a whole key (as a paste would)."""
        self._fill_from(0, _digits(key))

    def _group_edited(self, edit: GroupEdit, text: str) -> None:
        if self._filling:
            return
        digits = _digits(text)
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
        if len(_digits(self.groups[last].text())) == GROUP_DIGITS:
            self._focus_after(last)
        else:
            self._focus(self.groups[last])

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
        if _digits(clipboard.text()) == digits:
            clipboard.clear()

    def _focus(self, widget: QWidget) -> None:
        # setFocus() does not scroll like Tab does; at a large font the body scrolls.
        widget.setFocus()
        self.scroller.ensureWidgetVisible(widget)

    def _focus_after(self, index: int) -> None:
        if index + 1 < GROUPS:
            self._focus(self.groups[index + 1])
            self.groups[index + 1].selectAll()
        else:
            self._focus(self.password)

    def _back_to(self, index: int) -> None:
        if index >= 0:
            self._focus(self.groups[index])
            self.groups[index].end(False)

    def wrong_groups(self) -> list[int]:
        """Numbers (1-based) of the complete groups whose check digit is wrong."""
        return [
            number
            for number, edit in enumerate(self.groups, start=1)
            if len(_digits(edit.text())) == GROUP_DIGITS
            and not check_recovery_group(_digits(edit.text()))
        ]

    def _check_groups(self) -> None:
        wrong = self.wrong_groups()
        for number, (edit, caption) in enumerate(
            zip(self.groups, self.captions, strict=True), start=1
        ):
            digits = _digits(edit.text())
            if len(digits) < GROUP_DIGITS:
                state, role, description = "", "hint", self.tr("Six digits")
            elif number in wrong:
                state, role = "wrong", "error"
                description = self.tr("This group has a typing mistake")
            else:
                state, role, description = "right", "hint", self.tr("This group looks right")
            edit.setProperty(_CHECK_PROPERTY, state)
            edit.setAccessibleDescription(description)
            caption.setProperty("sgRole", role)
            for widget in (edit, caption):
                # Re-polish so the colour from the style sheet follows the new state.
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        if wrong:
            self.key_message.show_error(self._typo_sentence(wrong))
            self._refit()
        else:
            self.key_message.clear_message()

    def _typo_sentence(self, wrong: list[int]) -> str:
        if len(wrong) == 1:
            return self.tr(
                "There is a typing mistake in group {n}; check each digit against the sheet."
            ).format(n=wrong[0])
        return self.tr(
            "There are typing mistakes in groups {list}; check each digit against the sheet."
        ).format(list=_listed(wrong))

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password.setEchoMode(mode)
        self.password_again.setEchoMode(mode)

    # Submitting -------------------------------------------------------------------

    def problem(self) -> tuple[str, QWidget] | None:
        """The first thing to put right before the slow check, and where; None if none."""
        if not self.username.text().strip():
            return self.tr("Please type the administrator's user name."), self.username
        for number, edit in enumerate(self.groups, start=1):
            if len(_digits(edit.text())) < GROUP_DIGITS:
                return (
                    self.tr(
                        "Please type all 8 groups of the recovery key; group {n} is not "
                        "complete yet."
                    ).format(n=number),
                    edit,
                )
        wrong = self.wrong_groups()
        if wrong:
            return self._typo_sentence(wrong), self.groups[wrong[0] - 1]
        try:
            validate_password(self.password.text(), Role.ADMIN, field="new password")
        except BadInput as error:
            return str(error), self.password
        if self.password_again.text() != self.password.text():
            return (
                self.tr("The two passwords are not the same; please type the same password twice."),
                self.password_again,
            )
        return None

    def submit(self) -> None:
        if self._busy or not self.submit_button.isEnabled():
            return
        found = self.problem()
        if found is not None:
            sentence, where = found
            if sentence == self.key_message.text():
                # Already said beside the groups; saying it twice would only crowd the
                # dialog. The focus goes to the group, whose description names the mistake.
                self.error.clear_message()
                self.key_message.show_error(sentence)
            else:
                self.error.show_error(sentence)
            self._refit()
            self._focus(where)
            return
        password = self.password.text()
        # The fields are cleared at once: the password lives on only in the call.
        self.password.clear()
        self.password_again.clear()
        self.error.clear_message()
        self.set_busy(True)
        self.submitted.emit(self.key_text(), self.username.text().strip(), password)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
        self._refit()
        for widget in (
            self.username,
            *self.groups,
            self.password,
            self.password_again,
            self.show_passwords,
            self.cancel_button,
        ):
            widget.setEnabled(not busy)
        self._refresh_button()

    @property
    def busy(self) -> bool:
        return self._busy

    def show_failure(self, failure: Failure) -> None:
        self.set_busy(False)
        self.error.show_error(failure.message)
        self._refit()
        if isinstance(failure.error, WrongCredentials) and failure.error.retry_after > 0:
            self._countdown.wait(failure.error.retry_after)
        self._refresh_button()
        self._focus(self.password)

    def finish(self) -> None:
        """Success: close (``done`` forgets the key)."""
        self.set_busy(False)
        self.accept()

    def seconds_to_wait(self) -> int:
        return self._countdown.seconds_to_wait()

    def _refresh_button(self) -> None:
        self._countdown.refresh()

    # Closing ----------------------------------------------------------------------

    def reject(self) -> None:
        # Also reached from Escape and the window's close button (QDialog.closeEvent).
        if not self._busy:  # see the class docstring
            super().reject()

    def done(self, result: int) -> None:
        for edit in (self.password, self.password_again):
            edit.clear()
        for edit in self.groups:
            self._set_group(edit, "")
        super().done(result)
