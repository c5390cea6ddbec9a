"""The base of every small form dialog of casework: fields, their error lines, busy bar, buttons.

A dialog only collects and checks what is typed (with the domain's own validating
constructors); the view that opened it sends it to the service on the worker and, on
failure, puts the sentence back under the field it is about (``show_failure``), so
nothing typed is lost. The dialogs of a concern, a child's page and Home's alarms are
built on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from safeguard_desktop.domain.errors import BadInput

from ..theme import MessageLine, heading, scroll_area, text_width
from ..worker import Failure
from .dialog_parts import FittingDialog, action_buttons, busy_bar, make_default
from .field_hint import field_hint
from .screen_fit import largest_client_size

Value = TypeVar("Value")


class CaseworkDialog(FittingDialog):
    """Heading, fields each with their error line, a general error line, busy bar, buttons.

    ``confirm_button`` is the default button; the view connects it to its own handler.
    """

    def __init__(
        self, title: str, confirm_text: str, confirm_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(text_width(72))
        self.busy = False
        self.field_errors: dict[str, MessageLine] = {}
        self._fields: dict[str, QWidget] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(10)
        outer.addWidget(heading(title, level=2))
        # The fields scroll, so a long dialog still fits a small screen at 150 % text.
        self.body = QWidget()
        self.form = QVBoxLayout(self.body)
        self.form.setContentsMargins(0, 0, 8, 0)
        self.form.setSpacing(6)
        self.scroller: QScrollArea = scroll_area(self.body)
        outer.addWidget(self.scroller, 1)
        self.error = MessageLine(self.tr("Problem"))
        outer.addWidget(self.error)
        self.busy_bar = busy_bar(self.tr("Saving"))
        outer.addWidget(self.busy_bar)
        self.buttons, self.confirm_button, self.cancel_button = action_buttons(
            confirm_text, confirm_name
        )
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        make_default(self.confirm_button)

    def fit_height(self) -> None:
        """As tall as the fields need, up to the screen's height (then the fields scroll)."""
        layout = self.layout()
        if layout is None:
            return
        width = max(self.scroller.viewport().width(), self.width() - 60)
        fields = self.form.totalHeightForWidth(width)
        if fields <= 0:
            fields = self.body.sizeHint().height()
        chrome = layout.totalSizeHint().height() - self.scroller.sizeHint().height()
        limit = largest_client_size(self).height()
        wanted = min(fields + chrome + 8, max(limit, 300))
        if self.minimumHeight() != wanted:
            self.setMinimumHeight(wanted)
        if self.height() < wanted:
            self.resize(self.width(), wanted)

    def add_field(
        self,
        label: str,
        widget: QWidget,
        field: str,
        note: str = "",
        *,
        into: QVBoxLayout | None = None,
    ) -> None:
        """A label with its mnemonic, an optional hint, the field and its error line, in
        the form or ``into`` a group of fields shown together."""
        layout = self.form if into is None else into
        caption = QLabel(label)
        caption.setWordWrap(True)
        caption.setBuddy(widget)
        layout.addWidget(caption)
        if note:
            layout.addWidget(field_hint(widget, note))
        layout.addWidget(widget)
        error = MessageLine(self.tr("Problem with this field"))
        # A refusal is read on the field it is about, where the focus is put.
        error.describe(widget)
        layout.addWidget(error)
        self.field_errors[field] = error
        self._fields[field] = widget

    def show_failure(self, message: str, field: str | None = None) -> None:
        """One sentence, under the field it is about when there is one."""
        self.set_busy(False)
        line = self.field_errors.get(field or "")
        if line is None:
            self.error.show_error(message)
            return
        line.show_error(message)
        widget = self._fields[field or ""]
        widget.setFocus()
        self.scroller.ensureWidgetVisible(line, 20, 40)

    def show_worker_failure(self, failure: Failure) -> None:
        field = failure.error.field if isinstance(failure.error, BadInput) else None
        self.show_failure(failure.message, field)

    def clear_errors(self) -> None:
        self.error.clear_message()
        for line in self.field_errors.values():
            line.clear_message()

    def start_saving(self, read: Callable[[], Value]) -> Value | None:
        """What ``read`` collects and checks, with the dialog now busy saving it.

        None if a save is already running (a second click of a double click), or if
        ``read`` raised BadInput: its sentence is then shown under the field it names.
        """
        if self.busy:
            return None
        self.clear_errors()
        try:
            value = read()
        except BadInput as error:
            self.show_failure(error.message, error.field)
            return None
        self.set_busy(True)
        return value

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.body.setEnabled(not busy)
        self.confirm_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)

    def reject(self) -> None:
        # A save on the worker cannot be called back: closing now would look like
        # cancelling it, and if it then failed, what was typed would be gone with the
        # dialog. Escape and Cancel wait until the save has succeeded or failed.
        if not self.busy:
            super().reject()
