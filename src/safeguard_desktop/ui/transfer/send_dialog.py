""" "Transfer this child's file…": a dialog of three steps.

1. Where it goes and how: the school or club, how the files will leave (SentHow), the
   password (the app's suggestion, large and monospaced, another on request, or the lead's
   own of at least 12 characters) and the folder to save into.
2. Making: the signed, protected PDF and the sealed package are made and saved on the
   worker (services/transfer.py: ``make_transfer`` then ``save_transfer``), a minute for a
   large file; a busy bar, no Cancel (half a transfer is worse than a wait), and the
   window never freezes.
3. Done: the two file names, the password once more and for the last time, to be phoned
   through and never sent with the files, the certificate fingerprint to read out, and the
   day to confirm receipt by.

No child's name in the window title or in any file name: both are seen in places the
file is not (the task bar, a memory stick's listing).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.transfer import (
    MIN_PASSWORD,
    SentHow,
    checked_organisation,
    checked_password,
    suggested_password,
)
from safeguard_desktop.services import transfer
from safeguard_desktop.services.changes import Changes
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import BUTTON_MIN_HEIGHT, MessageLine, bold, heading, hint, paragraph, text_width
from ..widgets.dialog_parts import FittingDialog, action_buttons, busy_bar, make_default
from ..widgets.file_choosers import folder_row, open_folder_dialog
from ..widgets.pdf_save_dialog import documents_folder
from ..worker import Failure
from .transfer_words import how_words, kcsie_line, read_aloud, show_fingerprint, show_password

DETAILS, MAKING, DONE = range(3)
MAX_ORGANISATION = 200


@dataclass(frozen=True)
class SavedTransfer:
    """What the last step shows; ``changes`` goes round every page (case_worker.py)."""

    names: tuple[str, str]
    fingerprint: str
    receipt_due_on: date
    changes: Changes


def _make_and_save(
    session: CaseSession, child_id: int, to: str, how: SentHow, password: str, folder: Path
) -> SavedTransfer:
    made = transfer.make_transfer(session, child_id, to, how, password)
    sent = transfer.save_transfer(session, made, folder)
    return SavedTransfer(
        made.suggested_names, made.fingerprint, sent.receipt_due_on, Changes.of(children=[child_id])
    )


class TransferDialog(FittingDialog):
    """The three steps; ``action_button`` is what Enter presses on each."""

    def __init__(
        self,
        session: CaseSession,
        worker: CaseWorker,
        child_id: int,
        child_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self.child_id = child_id
        self.saved: SavedTransfer | None = None
        self.folder_dialog: QWidget | None = None
        # Never the child's name: the title shows in the task bar.
        self.setWindowTitle(self.tr("Transfer a child's file"))
        self.setModal(True)
        self.setMinimumWidth(text_width(90))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(8)
        layout.addWidget(heading(self.tr("Transfer this child's file"), level=2))
        self.error = MessageLine(self.tr("Problem"))
        self.pages = QStackedWidget()
        self.pages.addWidget(self._details_page(child_name))
        self.pages.addWidget(self._making_page())
        self.pages.addWidget(self._done_page())
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        self.buttons, self.action_button, self.cancel_button = action_buttons(
            self.tr("&Make and save the files"), self.tr("Make and save the files")
        )
        self.action_button.clicked.connect(self._act)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        make_default(self.action_button)
        self.organisation.setFocus()

    # Step 1 ------------------------------------------------------------------------------

    def _details_page(self, child_name: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        whose = paragraph(
            self.tr(
                "The whole of {name}'s file is made into a signed, password-protected PDF and "
                "a package the new school's or club's Safeguard Desktop can take in. This "
                "file stays here, marked as transferred, until its retention review."
            ).format(name=child_name)
        )
        whose.setTextFormat(Qt.TextFormat.PlainText)
        whose.setAccessibleName(self.tr("What is sent"))
        layout.addWidget(whose)
        rule = hint(kcsie_line())
        rule.setAccessibleName(self.tr("What the guidance asks"))
        layout.addWidget(rule)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        layout.addLayout(form)
        self.errors: dict[str, MessageLine] = {}

        self.organisation = QLineEdit()
        self.organisation.setMaxLength(MAX_ORGANISATION)
        self.organisation.setAccessibleName(self.tr("The school or club it goes to"))
        self.organisation.setPlaceholderText(self.tr("For example: Hillside Primary School"))
        self._row(
            form, "to_organisation", self.tr("The &school or club it goes to"), self.organisation
        )

        how_box = QWidget()
        how_box.setAccessibleName(self.tr("How it will be sent"))
        how_layout = QVBoxLayout(how_box)
        how_layout.setContentsMargins(0, 0, 0, 0)
        self.how_group = QButtonGroup(self)
        self.how_choices: dict[SentHow, QRadioButton] = {}
        for how in SentHow:
            choice = QRadioButton(how_words(how.value))
            choice.setAccessibleName(how_words(how.value))
            self.how_group.addButton(choice)
            self.how_choices[how] = choice
            how_layout.addWidget(choice)
        self.how_choices[SentHow.SECURE_EMAIL].setChecked(True)
        how_label = QLabel(self.tr("Ho&w it will be sent"))
        how_label.setBuddy(self.how_choices[SentHow.SECURE_EMAIL])
        form.addRow(how_label, how_box)
        self._error_line(form, "sent_how", self.tr("How it will be sent"))

        form.addRow(bold(QLabel(self.tr("The password that opens both files"))))
        self.password_text = read_aloud(self.tr("The suggested password"), 1.6)
        show_password(self.password_text, suggested_password())
        self.another_button = QPushButton(self.tr("Su&ggest another"))
        self.another_button.setAccessibleName(self.tr("Suggest another password"))
        self.another_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.another_button.clicked.connect(self._suggest_another)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_text, 0)
        password_row.addWidget(self.another_button, 0, Qt.AlignmentFlag.AlignVCenter)
        password_row.addStretch(1)
        form.addRow(password_row)
        self.own_choice = QCheckBox(self.tr("&Type our own password instead"))
        self.own_choice.setAccessibleName(self.tr("Type our own password instead"))
        self.own_choice.toggled.connect(self._own_toggled)
        form.addRow(self.own_choice)
        self.own_password = QLineEdit()
        self.own_password.setAccessibleName(self.tr("Our own password"))
        self.own_password.setPlaceholderText(
            self.tr("At least {n} characters").format(n=MIN_PASSWORD)
        )
        self.own_password.setMaxLength(200)
        self.own_password.hide()
        form.addRow(self.own_password)
        self._error_line(form, "transfer_password", self.tr("The password"))
        form.addRow(
            hint(
                self.tr(
                    "You will phone this password to the new school's or club's safeguarding "
                    "lead. It is shown again once the files are saved."
                )
            )
        )

        self.folder = folder_row(
            self.tr("Save the two files in this &folder"),
            self.tr("Folder to save the two files in"),
            self._choose_folder,
        )
        self.folder.edit.setText(str(documents_folder()))
        form.addRow(self.folder.label, self.folder.row)
        self._error_line(form, "folder", self.tr("The folder"))
        layout.addStretch(1)
        return page

    def _row(self, form: QFormLayout, key: str, text: str, field: QWidget) -> None:
        caption = QLabel(text)
        caption.setBuddy(field)
        form.addRow(caption, field)
        self._error_line(form, key, field.accessibleName())
        self.errors[key].describe(field)  # a screen reader on the field hears the refusal

    def _error_line(self, form: QFormLayout, key: str, name: str) -> None:
        line = MessageLine(self.tr("Problem with {field}").format(field=name.lower()))
        form.addRow(line)
        self.errors[key] = line

    def _suggest_another(self) -> None:
        show_password(self.password_text, suggested_password())

    def _own_toggled(self, own: bool) -> None:
        self.own_password.setVisible(own)
        self.password_text.setVisible(not own)
        self.another_button.setVisible(not own)
        if own:
            self.own_password.setFocus()
        self.fit_height()

    def _choose_folder(self) -> None:
        self.folder_dialog = open_folder_dialog(
            self,
            self.tr("Choose a folder for the transfer files"),
            Path(self.folder.edit.text()),
            lambda chosen: self.folder.edit.setText(str(chosen)),
        )

    @property
    def password(self) -> str:
        return (
            self.own_password.text() if self.own_choice.isChecked() else self.password_text.text()
        )

    @property
    def sent_how(self) -> SentHow:
        return next(how for how, choice in self.how_choices.items() if choice.isChecked())

    # Step 2 ------------------------------------------------------------------------------

    def _making_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 24, 0, 24)
        self.making_line = paragraph(
            self.tr(
                "Making the signed PDF and the package, and saving them. This may take a "
                "minute; you can leave this window open meanwhile."
            )
        )
        self.making_line.setAccessibleName(self.tr("What is happening"))
        layout.addWidget(self.making_line)
        self.busy = busy_bar(self.tr("Making the files"))
        layout.addWidget(self.busy)
        layout.addStretch(1)
        return page

    # Step 3 ------------------------------------------------------------------------------

    def _done_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.saved_line = paragraph()
        self.saved_line.setTextFormat(Qt.TextFormat.PlainText)
        self.saved_line.setAccessibleName(self.tr("The files saved"))
        layout.addWidget(self.saved_line)
        self.last_time = bold(
            paragraph(
                self.tr(
                    "The password, shown now for the last time. Phone it through to the new "
                    "school's or club's safeguarding lead. Never email it, and never send it "
                    "with the files."
                )
            )
        )
        self.last_time.setAccessibleName(self.tr("About the password"))
        layout.addWidget(self.last_time)
        self.final_password = read_aloud(self.tr("The password, for the last time"), 1.6)
        layout.addWidget(self.final_password, 0, Qt.AlignmentFlag.AlignLeft)
        read_out = paragraph(
            self.tr(
                "On the same call, read out this fingerprint of your signing certificate, so "
                "they know the files came from you:"
            )
        )
        read_out.setAccessibleName(self.tr("About the fingerprint"))
        layout.addWidget(read_out)
        self.fingerprint = read_aloud(self.tr("Your certificate's fingerprint"), 1.15)
        layout.addWidget(self.fingerprint, 0, Qt.AlignmentFlag.AlignLeft)
        self.due_line = paragraph()
        self.due_line.setAccessibleName(self.tr("When to confirm receipt"))
        layout.addWidget(self.due_line)
        layout.addStretch(1)
        return page

    # Going through -----------------------------------------------------------------------

    def _act(self) -> None:
        step = self.pages.currentIndex()
        if step == DETAILS:
            self._start()
        elif step == DONE:
            self.accept()

    def _checked(self) -> tuple[str, str, Path] | None:
        """What the service will check again, checked early so each refusal sits under its
        field."""
        self.error.clear_message()
        for line in self.errors.values():
            line.clear_message()
        folder = Path(self.folder.edit.text().strip())
        refused: list[BadInput] = []
        to = password = ""
        if not self.organisation.text().strip():
            # Said as what to do, not as "the field … is empty".
            words = self.tr("Type the school or club the file is going to.")
            refused.append(BadInput(words, "to_organisation"))
        else:
            try:
                to = checked_organisation(self.organisation.text())
            except BadInput as bad_name:
                refused.append(bad_name)
        try:
            password = checked_password(self.password)
        except BadInput as bad_password:
            refused.append(bad_password)
        if not self.folder.edit.text().strip() or not folder.is_dir():
            refused.append(
                BadInput(self.tr("Choose a folder that exists to save the files in."), "folder")
            )
        for refusal in reversed(refused):  # the first one's field ends with the focus
            self.show_error(refusal.message, refusal.field)
        if refused:
            return None
        return to, password, folder

    def _start(self) -> None:
        chosen = self._checked()
        if chosen is None:
            return
        to, password, folder = chosen
        self._set_step(MAKING)
        self._worker.submit(
            _make_and_save,
            self._session,
            self.child_id,
            to,
            self.sent_how,
            password,
            folder,
            on_done=functools.partial(self._saved, password),
            on_error=self._failed,
        )

    def _saved(self, password: str, saved: SavedTransfer) -> None:
        self.saved = saved
        pdf, package = saved.names
        self.saved_line.setText(
            self.tr(
                "Saved, in the folder you chose:\n    {pdf}  (the signed PDF, for any school "
                "or club)\n    {package}  (the package for Safeguard Desktop)\nSend them the "
                "way you chose."
            ).format(pdf=pdf, package=package)
        )
        show_password(self.final_password, password)
        show_fingerprint(self.fingerprint, saved.fingerprint)
        self.due_line.setText(
            self.tr(
                "Confirm that they received it by {day}: a reminder stays on Home until you "
                "take in their receipt file or record how they confirmed it."
            ).format(day=long_date(saved.receipt_due_on))
        )
        # The first password shown is cleared: the last step is the last time.
        self.password_text.clear()
        self.own_password.clear()
        self._set_step(DONE)

    def _failed(self, failure: Failure) -> None:
        self._set_step(DETAILS)
        self.show_error(failure.message, getattr(failure.error, "field", None))

    def show_error(self, sentence: str, field: str | None = None) -> None:
        if field in self.errors:
            assert field is not None
            self.errors[field].show_error(sentence)
            focus: dict[str, QWidget] = {
                "to_organisation": self.organisation,
                "transfer_password": self.own_password
                if self.own_choice.isChecked()
                else self.own_choice,
                "folder": self.folder.edit,
            }
            if field in focus:
                focus[field].setFocus()
        else:
            self.error.show_error(sentence)
        self.fit_height()

    def _set_step(self, step: int) -> None:
        self.pages.setCurrentIndex(step)
        making = step == MAKING
        self.busy.setVisible(making)
        self.action_button.setVisible(not making)
        self.cancel_button.setVisible(step == DETAILS)
        if step == DONE:
            self.action_button.setText(self.tr("&Done"))
            self.action_button.setAccessibleName(self.tr("Done"))
        self.action_button.setDefault(True)
        if step != MAKING:
            self.action_button.setFocus()
        self.fit_height()

    @property
    def making(self) -> bool:
        return self.pages.currentIndex() == MAKING

    def reject(self) -> None:
        # No way out while the files are being written: the worker finishes them.
        if not self.making:
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.making and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.making:
            event.ignore()
            return
        super().closeEvent(event)
