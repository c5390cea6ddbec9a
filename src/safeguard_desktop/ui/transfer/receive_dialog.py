""" "Receive a transferred file…" on the Children page: a dialog of three steps.

1. The ``.sgtransfer`` file and the password the sender phoned through; opened and
   checked whole on the worker (services/transfer_receive.py's ``open_package``), nothing
   taken in. A refusal is the service's one sentence, in the dialog.
2. What it holds: who sent it, the child's name and date of birth, how many records and
   files, and the sender's certificate fingerprint, large, with the tick that says it was
   compared with the one read out on the phone; then whose file it goes into: a new child
   record or a child already here (one strong match is chosen for the lead to confirm,
   never more). Receive stays off until both are chosen.
3. Received: "Save a receipt for the sender…" and "Open the child's file".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.services import transfer_receive
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.child_records import FILES
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.transfer_receive import OpenedTransfer, ReceivedRecord

from ..case_worker import CaseWorker
from ..theme import BUTTON_MIN_HEIGHT, MessageLine, bold, heading, hint, paragraph, text_width
from ..widgets.dialog_parts import FittingDialog, action_buttons, busy_bar, make_default
from ..widgets.field_hint import field_hint
from ..widgets.file_choosers import chooser_row, open_file_dialog
from ..widgets.pdf_save_dialog import documents_folder
from ..worker import Failure
from .transfer_words import read_aloud, safe, show_fingerprint

CHOOSE, CHECK, RECEIVED = range(3)
PACKAGE_FILTER = "*.sgtransfer"


@dataclass(frozen=True)
class ReceivedTransfer:
    """The child it went into and its record of the transfer (for the receipt)."""

    child_id: int
    received: ReceivedRecord
    changes: Changes


def _open(session: CaseSession, path: Path, password: str) -> OpenedTransfer:
    return transfer_receive.open_package(session, path, password)


def _receive(
    session: CaseSession, opened: OpenedTransfer, compared: str, child_id: int | None
) -> ReceivedTransfer:
    added = transfer_receive.receive(session, opened, compared, child_id)
    received = next(
        r
        for r in transfer_receive.received_for_child(session, added.id)
        if r.transfer_id == opened.manifest.transfer_id
    )
    return ReceivedTransfer(added.id, received, added.changes)


class ReceiveDialog(FittingDialog):
    """``receipt_requested(received)`` and ``child_requested(child_id)`` for the page that
    opened it (the save dialog and the child's file are the page's)."""

    receipt_requested = Signal(object)  # ReceivedRecord
    child_requested = Signal(int)

    def __init__(
        self, session: CaseSession, worker: CaseWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.opened: OpenedTransfer | None = None
        self.result_: ReceivedTransfer | None = None
        self.file_dialog: QWidget | None = None
        self.setWindowTitle(self.tr("Receive a transferred file"))
        self.setModal(True)
        self.setMinimumWidth(text_width(86))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(8)
        layout.addWidget(heading(self.tr("Receive a transferred file"), level=2))
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._check_page())
        self.pages.addWidget(self._received_page())
        layout.addWidget(self.pages, 1)
        self.error = MessageLine(self.tr("Problem"))
        layout.addWidget(self.error)
        self.busy = busy_bar(self.tr("Working"))
        layout.addWidget(self.busy)
        self.buttons, self.action_button, self.cancel_button = action_buttons(
            self.tr("&Open the file"), self.tr("Open the file")
        )
        self.action_button.clicked.connect(self._act)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        make_default(self.action_button)
        self.path.edit.setFocus()

    # Step 1 ------------------------------------------------------------------------------

    def _choose_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(
            paragraph(
                self.tr(
                    "Another school or club sent you a child's file: the .sgtransfer file, "
                    "and on the phone its password and the fingerprint of their certificate. "
                    "Nothing is taken in until you have checked what it holds."
                )
            )
        )
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        layout.addLayout(form)
        self.path = chooser_row(
            self.tr("The transferred &file (.sgtransfer)"),
            self.tr("The transferred file"),
            self._choose_file,
            self.tr("C&hoose the file…"),
            self.tr("Choose the transferred file"),
        )
        form.addRow(self.path.label, self.path.row)
        self.password = QLineEdit()
        self.password.setAccessibleName(self.tr("The password the sender phoned through"))
        self.password.setMaxLength(200)
        # Typed from a note of a phone call: seen, so a wrong group is spotted.
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(self.password.font().pointSizeF() * 1.2)
        self.password.setFont(mono)
        caption = QLabel(self.tr("The &password the sender phoned through"))
        caption.setBuddy(self.password)
        form.addRow(caption, self.password)
        # The PDF opens only with it exactly as made: nothing here may pretend otherwise.
        form.addRow(hint(self.tr("Type it exactly as it was read out, dashes and capitals too.")))
        self.password.returnPressed.connect(self._act)
        layout.addStretch(1)
        return page

    def _choose_file(self) -> None:
        typed = Path(self.path.edit.text().strip())
        self.file_dialog = open_file_dialog(
            self,
            self.tr("Choose the transferred file"),
            typed.parent if typed.name else documents_folder(),
            self.tr("Transferred files ({pattern})").format(pattern=PACKAGE_FILTER),
            self._file_chosen,
        )

    def _file_chosen(self, path: Path) -> None:
        self.path.edit.setText(str(path))
        self.password.setFocus()

    # Step 2 ------------------------------------------------------------------------------

    def _check_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.sender_line = paragraph()
        self.sender_line.setTextFormat(Qt.TextFormat.PlainText)
        self.sender_line.setAccessibleName(self.tr("Who sent it"))
        layout.addWidget(self.sender_line)
        self.child_line = bold(paragraph())
        self.child_line.setTextFormat(Qt.TextFormat.PlainText)
        self.child_line.setAccessibleName(self.tr("The child"))
        layout.addWidget(self.child_line)
        self.contents_line = paragraph()
        self.contents_line.setAccessibleName(self.tr("What it holds"))
        layout.addWidget(self.contents_line)
        self.fingerprint_about = paragraph()
        self.fingerprint_about.setTextFormat(Qt.TextFormat.PlainText)
        self.fingerprint_about.setAccessibleName(self.tr("About the fingerprint"))
        layout.addWidget(self.fingerprint_about)
        self.fingerprint = read_aloud(self.tr("The sender's certificate fingerprint"), 1.15)
        layout.addWidget(self.fingerprint, 0, Qt.AlignmentFlag.AlignLeft)
        self.compared = QCheckBox(
            self.tr("I &compared this fingerprint with the one the sender read out on the phone")
        )
        self.compared.setAccessibleName(
            self.tr("I compared this fingerprint with the one the sender read out on the phone")
        )
        self.compared.toggled.connect(self._update_action)
        layout.addWidget(self.compared)
        layout.addWidget(bold(QLabel(self.tr("Whose file it goes into"))))
        self.match_hint = hint()
        self.match_hint.setAccessibleName(self.tr("About the children already here"))
        layout.addWidget(self.match_hint)
        self.choices_box = QVBoxLayout()
        self.choice_hints: list[QWidget] = []  # the line under each child already here
        layout.addLayout(self.choices_box)
        self.choice_group = QButtonGroup(self)
        self.choice_group.buttonToggled.connect(self._update_action)
        self.choices: list[tuple[QRadioButton, int | None]] = []
        layout.addStretch(1)
        return page

    def _show_opened(self, opened: OpenedTransfer) -> None:
        self.opened = opened
        manifest = opened.manifest
        child = manifest.child
        self.sender_line.setText(
            self.tr("Sent by {person} of {organisation} on {day}, to {to}.").format(
                person=safe(manifest.sent_by),
                organisation=safe(manifest.from_organisation),
                day=opened.sent_on,
                to=safe(manifest.to_organisation),
            )
        )
        born = (
            self.tr("born {day}").format(day=long_date(child.date_of_birth))
            if child.date_of_birth is not None
            else self.tr("date of birth not known")
        )
        self.child_line.setText(
            self.tr("The child: {name}, {born}").format(name=safe(child.name), born=born)
        )
        # Each attached file is listed among the items too; counted once, as a file.
        items = sum(1 for item in manifest.items if item.section != FILES)
        files = len(manifest.files)
        records = self.tr("1 record") if items == 1 else self.tr("{n} records").format(n=items)
        attached = (
            self.tr("1 attached file")
            if files == 1
            else self.tr("{n} attached files").format(n=files)
        )
        self.contents_line.setText(
            self.tr("It holds {records} and {files}.").format(records=records, files=attached)
        )
        self.fingerprint_about.setText(
            self.tr(
                "It is signed with a certificate in the name of {name}. Its fingerprint, to "
                "compare pair by pair with what the sender read out:"
            ).format(name=safe(opened.certificate_name))
        )
        show_fingerprint(self.fingerprint, opened.fingerprint)
        self.compared.setChecked(False)
        self._fill_choices(opened)
        self._set_step(CHECK)
        self.compared.setFocus()

    def _fill_choices(self, opened: OpenedTransfer) -> None:
        for button, _ in self.choices:
            self.choice_group.removeButton(button)
            button.deleteLater()
        for line in self.choice_hints:
            line.deleteLater()
        self.choices = []
        self.choice_hints = []
        new = QRadioButton(self.tr("A &new child record"))
        new.setAccessibleName(self.tr("A new child record"))
        options: list[tuple[QRadioButton, int | None]] = [(new, None)]
        self.choice_group.addButton(new)
        self.choices_box.addWidget(new)
        for possible in opened.possible:
            # A radio button's words never wrap: the name on it, the rest on a quieter
            # line under it that wraps, read with it by a screen reader.
            name = self.tr("{name}, already here").format(name=safe(possible.name))
            why = self.tr("{born}: {reason}").format(
                born=self.tr("Born {day}").format(day=possible.born)
                if possible.born
                else self.tr("Date of birth not known"),
                reason=safe(possible.reason),
            )
            option = QRadioButton(name)
            option.setAccessibleName(name)
            line = field_hint(option, why)
            line.setContentsMargins(28, 0, 0, 0)
            options.append((option, possible.child_id))
            self.choice_group.addButton(option)
            self.choices_box.addWidget(option)
            self.choices_box.addWidget(line)
            self.choice_hints.append(line)
        self.choices = options
        strong = [p for p in opened.possible if p.strong]
        if not opened.possible:
            new.setChecked(True)
            self.match_hint.setText(self.tr("No child here has this name and date of birth."))
        elif len(strong) == 1:
            picked = next(b for b, cid in options if cid == strong[0].child_id)
            picked.setChecked(True)
            self.match_hint.setText(
                self.tr(
                    "A child already here looks like the same child and is chosen; check "
                    "before you receive. Choose a new child record if it is someone else."
                )
            )
        else:
            self.match_hint.setText(
                self.tr("Children already here may be this child. Choose one, or a new record.")
            )

    @property
    def chosen_child(self) -> tuple[bool, int | None]:
        """(whether a choice is made, the child id or None for a new child)."""
        for button, child_id in self.choices:
            if button.isChecked():
                return True, child_id
        return False, None

    # Step 3 ------------------------------------------------------------------------------

    def _received_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.received_line = paragraph()
        self.received_line.setTextFormat(Qt.TextFormat.PlainText)
        self.received_line.setAccessibleName(self.tr("Received"))
        layout.addWidget(self.received_line)
        layout.addWidget(
            paragraph(
                self.tr(
                    "Send the sender a receipt file, so their reminder closes: it shows you "
                    "opened their file. Save it, then email it or send it back the way the "
                    "file came."
                )
            )
        )
        self.receipt_button = QPushButton(self.tr("&Save a receipt for the sender…"))
        self.receipt_button.setAccessibleName(self.tr("Save a receipt for the sender"))
        self.receipt_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.receipt_button.clicked.connect(self._ask_receipt)
        layout.addWidget(self.receipt_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.receipt_line = MessageLine(self.tr("Receipt"))
        layout.addWidget(self.receipt_line)
        layout.addStretch(1)
        return page

    def _ask_receipt(self) -> None:
        if self.result_ is not None:
            self.receipt_requested.emit(self.result_.received)

    # Going through -----------------------------------------------------------------------

    def _act(self) -> None:
        if self.busy.isVisible():
            return
        step = self.pages.currentIndex()
        if step == CHOOSE:
            self._open_file()
        elif step == CHECK:
            self._receive()
        elif self.result_ is not None:
            self.child_requested.emit(self.result_.child_id)
            self.accept()

    def _open_file(self) -> None:
        self.error.clear_message()
        typed = self.path.edit.text().strip()
        if not typed:
            self.show_error(self.tr("Choose the transferred file first."))
            self.path.edit.setFocus()
            return
        if not self.password.text().strip():
            self.show_error(self.tr("Type the password the sender phoned through."))
            self.password.setFocus()
            return
        self._set_busy(True)
        self._worker.submit(
            _open,
            self._session,
            Path(typed),
            self.password.text().strip(),
            on_done=self._opened,
            on_error=self._failed,
        )

    def _opened(self, opened: OpenedTransfer) -> None:
        self._set_busy(False)
        self._show_opened(opened)

    def _receive(self) -> None:
        made, child_id = self.chosen_child
        if self.opened is None or not made or not self.compared.isChecked():
            return
        self.error.clear_message()
        self._set_busy(True)
        self._worker.submit(
            _receive,
            self._session,
            self.opened,
            # The tick says the lead compared the fingerprint shown with the one read out.
            self.opened.fingerprint,
            child_id,
            on_done=self._received,
            on_error=self._failed,
        )

    def _received(self, received: ReceivedTransfer) -> None:
        self._set_busy(False)
        self.result_ = received
        assert self.opened is not None
        # The package's contents are not kept in the dialog once they are in the records.
        name = self.opened.manifest.child.name
        origin = self.opened.manifest.from_organisation
        self.opened = None
        self.received_line.setText(
            self.tr(
                "{name}'s file from {organisation} is received: every record is kept as it "
                "was sent, marked with where it came from."
            ).format(name=safe(name), organisation=safe(origin))
        )
        self._set_step(RECEIVED)
        self.receipt_button.setFocus()

    def receipt_saved(self, sentence: str) -> None:
        self.receipt_line.show_good(sentence)
        self.action_button.setFocus()
        self.fit_height()

    def receipt_failed(self, sentence: str) -> None:
        self.receipt_line.show_error(sentence)
        self.fit_height()

    def _failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.show_error(failure.message)
        if self.pages.currentIndex() == CHOOSE:
            self.password.setFocus()

    def show_error(self, sentence: str) -> None:
        self.error.show_error(sentence)
        self.fit_height()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.pages.setEnabled(not busy)
        self._update_action()

    def _set_step(self, step: int) -> None:
        self.pages.setCurrentIndex(step)
        texts = {
            CHECK: (self.tr("&Receive"), self.tr("Receive the file")),
            RECEIVED: (self.tr("Open the child's &file"), self.tr("Open the child's file")),
        }
        if step in texts:
            text, name = texts[step]
            self.action_button.setText(text)
            self.action_button.setAccessibleName(name)
        if step == RECEIVED:
            self.cancel_button.setText(self.tr("Close"))
            self.cancel_button.setAccessibleName(self.tr("Close"))
        self._update_action()
        self.fit_height()

    def _update_action(self, *_: object) -> None:
        ready = not self.busy.isVisible()
        if self.pages.currentIndex() == CHECK:
            ready = ready and self.compared.isChecked() and self.chosen_child[0]
        self.action_button.setEnabled(ready)
        self.action_button.setDefault(True)

    def reject(self) -> None:
        # Not while the records are being written; the worker finishes first.
        if not self.busy.isVisible():
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.busy.isVisible() and event.key() == Qt.Key.Key_Escape:
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy.isVisible():
            event.ignore()
            return
        super().closeEvent(event)
