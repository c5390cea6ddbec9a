"""The setup wizard's last page: the store is made, its recovery key shown once, the copy checked.

The store is created on the worker while the page shows how far it has got (the key
derivation is slow on purpose); there is no way back after that. The key opens the
records if every password is forgotten or the PC dies, so it is shown large, grouped and
numbered, and can be saved as a PDF or printed. Once the person says it is saved, the key
is hidden and two random groups must be typed back from their copy before setup can
finish. Each group carries its own check digit, so a typo is flagged the moment the sixth
digit is typed. All on one page: the key, what to do with it, and the check of the copy.
"""

from __future__ import annotations

import html
import re
import secrets
from datetime import datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QRegularExpression, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QRegularExpressionValidator, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.services.setup import (
    SetupRequest,
    SetupResult,
    check_recovery_group,
    create_store,
    save_recovery_sheet,
)

from ..theme import MessageLine, card, heading, hint, paragraph
from ..widgets.wizard_page import WizardPage, bring_into_view
from ..worker import Failure, ProgressRelay, Worker


class _KeyHolder(Protocol):
    """What this page needs from the wizard (kept narrow to avoid an import cycle)."""

    data_dir: Path
    made: SetupResult | None
    created_at: datetime | None

    def request(self) -> SetupRequest: ...
    def org_name(self) -> str: ...
    def recovery_key(self) -> str: ...
    def recovery_groups(self) -> list[str]: ...


def _mono_font(scale: float) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(QFont().pointSizeF() * scale)
    font.setBold(True)
    # Generous letter spacing so 6 and 8, 1 and 7 are easy to tell apart when copying.
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 115)
    return font


def _spoken(group: str) -> str:
    """'123456' -> '1 2 3 4 5 6' so a screen reader reads digits, not a number."""
    return " ".join(group)


def recovery_sheet_html(org_name: str, groups: list[str], created_at: datetime) -> str:
    """The printed recovery sheet, as simple HTML for QTextDocument."""
    cells = "".join(
        f"<td style='padding:8px 14px'><div style='font-size:9pt;color:#555'>Group {n}</div>"
        f"<div style='font-family:monospace;font-size:20pt;font-weight:bold'>{g}</div></td>"
        + ("</tr><tr>" if n == 4 else "")
        for n, g in enumerate(groups, start=1)
    )
    return (
        "<h1>Safeguard Desktop recovery key</h1>"
        f"<p><b>{html.escape(org_name)}</b><br>"
        f"Created {long_date(created_at)}</p>"
        f"<table border='1' cellspacing='0'><tr>{cells}</tr></table>"
        "<p>This key opens your safeguarding records if every password is forgotten or "
        "the PC stops working. Anyone holding it and a copy of the data can read them.</p>"
        "<ul><li>Keep this paper in a locked place, away from the PC.</li>"
        "<li>Do not photograph it, email it or keep it on the PC.</li>"
        "<li>The app showed it only once and cannot show it again.</li></ul>"
    )


def _write_sheet(path: Path, org_name: str, recovery_key: str, created_at: datetime) -> Path:
    save_recovery_sheet(path, org_name, recovery_key, created_at)
    return path


class KeyGroupsView(QWidget):
    """The recovery key as numbered groups, four to a row, large and monospaced."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Recovery key"))
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(12)
        self.digit_labels: list[QLabel] = []

    def set_groups(self, groups: list[str]) -> None:
        self.clear()
        font = _mono_font(1.9)
        for index, group in enumerate(groups):
            cell = card()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(12, 8, 12, 10)
            cell_layout.setSpacing(2)
            caption = hint(self.tr("Group {n}").format(n=index + 1))
            digits = QLabel(group)
            digits.setFont(font)
            digits.setAccessibleName(
                self.tr("Group {n}: {digits}").format(n=index + 1, digits=_spoken(group))
            )
            # Not selectable: the key should go to paper, not to the clipboard.
            digits.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            cell_layout.addWidget(caption)
            cell_layout.addWidget(digits)
            self._grid.addWidget(cell, index // 4, index % 4)
            self.digit_labels.append(digits)

    def text(self) -> str:
        return "-".join(label.text() for label in self.digit_labels)

    def clear(self) -> None:
        for label in self.digit_labels:
            label.clear()
            label.setAccessibleName("")
        self.digit_labels = []
        while (item := self._grid.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()


class RecoveryKeyPage(WizardPage):
    """Creates the store, shows the key once (Save as PDF, Print), then checks the copy."""

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self._worker = worker
        self._running = False
        self._expected: dict[int, str] = {}  # group number (1-based) -> digits
        self._ok: dict[int, bool] = {}
        self.set_title(self.tr("Your recovery key"))
        layout = self.body_layout
        layout.setSpacing(12)
        self.intro = self.set_intro(
            self.tr(
                "First the app makes your encrypted store. This takes a little while on "
                "purpose: it measures this PC so that guessing a password would take an "
                "attacker a very long time."
            )
        )

        # Making the store.
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName(self.tr("Progress of creating the store"))
        self.progress.setMinimumHeight(24)
        self.progress.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout.addWidget(self.progress)
        self.status = paragraph(self.tr("Starting…"))
        self.status.setAccessibleName(self.tr("What is happening now"))
        layout.addWidget(self.status)
        self.error = MessageLine(self.tr("Problem creating the store"))
        layout.addWidget(self.error)
        self.retry = QPushButton(self.tr("&Try again"))
        self.retry.setAccessibleName(self.tr("Try creating the store again"))
        self.retry.clicked.connect(self._start)
        self.retry.hide()
        layout.addWidget(self.retry, alignment=Qt.AlignmentFlag.AlignLeft)
        self._relay = ProgressRelay(self)
        self._relay.progress.connect(self._progress)

        # The key, shown once.
        self.key_part = QWidget()
        key_layout = QVBoxLayout(self.key_part)
        key_layout.setContentsMargins(0, 0, 0, 0)
        key_layout.setSpacing(12)
        self.key_view = KeyGroupsView()
        key_layout.addWidget(self.key_view)
        buttons = QHBoxLayout()
        # One press saves it where the message then says; another folder is one step on.
        self.save_pdf_button = QPushButton(self.tr("&Save as PDF"))
        self.save_pdf_button.setAccessibleName(
            self.tr("Save the recovery key as a PDF in your Documents folder")
        )
        self.save_pdf_button.clicked.connect(self._save_in_documents)
        self.save_elsewhere_button = QPushButton(self.tr("Save somewhere &else…"))
        self.save_elsewhere_button.setAccessibleName(
            self.tr("Save the recovery key as a PDF somewhere else")
        )
        self.save_elsewhere_button.clicked.connect(self._choose_pdf_path)
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setAccessibleName(self.tr("Print the recovery key"))
        self.print_button.clicked.connect(self._print)
        buttons.addWidget(self.save_pdf_button)
        buttons.addWidget(self.save_elsewhere_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        key_layout.addLayout(buttons)
        self.save_message = MessageLine(self.tr("Result of saving or printing"))
        key_layout.addWidget(self.save_message)
        advice = paragraph(
            self.tr(
                "<ul style='margin-left:-20px'>"
                "<li>Keep it <b>on paper in a locked place</b>, away from this PC.</li>"
                "<li>If you save a PDF, print it and then delete the file, or keep it on a "
                "USB stick that is locked away too.</li>"
                "<li>Do not email it, photograph it or keep it on this PC.</li>"
                "</ul>"
            )
        )
        advice.setTextFormat(Qt.TextFormat.RichText)
        key_layout.addWidget(advice)
        self.saved_check = QCheckBox(self.tr("I have saved or printed the &recovery key"))
        self.saved_check.setAccessibleName(self.tr("I have saved or printed the recovery key"))
        self.saved_check.setAccessibleDescription(
            self.tr("The key is then hidden, and you type two groups of it from your copy.")
        )
        self.saved_check.toggled.connect(self._saved_toggled)
        key_layout.addWidget(self.saved_check)
        self.key_part.hide()
        layout.addWidget(self.key_part)

        # The check of the copy: the key is hidden while it is typed back.
        self.check_part = QWidget()
        check_layout = QVBoxLayout(self.check_part)
        check_layout.setContentsMargins(0, 0, 0, 0)
        check_layout.setSpacing(8)
        check_layout.addWidget(heading(self.tr("Check your copy"), level=2))
        self.check_intro = paragraph()
        check_layout.addWidget(self.check_intro)
        self.edits: list[QLineEdit] = []
        self.captions: list[QLabel] = []
        self.messages: list[MessageLine] = []
        validator = QRegularExpressionValidator(QRegularExpression(r"[0-9 ]{0,9}"), self)
        font = _mono_font(1.4)
        for _ in range(2):
            caption = QLabel()
            edit = QLineEdit()
            edit.setValidator(validator)
            edit.setFont(font)
            edit.setMaximumWidth(260)
            caption.setBuddy(edit)
            message = MessageLine(self.tr("Result of checking this group"))
            message.describe(edit)
            edit.textChanged.connect(self._check)
            check_layout.addWidget(caption)
            check_layout.addWidget(edit)
            check_layout.addWidget(message)
            self.captions.append(caption)
            self.edits.append(edit)
            self.messages.append(message)
        self.check_part.hide()
        layout.addWidget(self.check_part)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Finish setup"))

    def _holder(self) -> _KeyHolder:
        return self.wizard()  # type: ignore[return-value]

    # Making the store ---------------------------------------------------------------------

    def initializePage(self) -> None:
        if self._holder().made is None and not self._running:
            self._start()

    @property
    def running(self) -> bool:
        return self._running

    def _start(self) -> None:
        holder = self._holder()
        self._running = True
        self.retry.hide()
        self.error.clear_message()
        self.progress.setValue(0)
        self.progress.show()
        self.status.show()
        self.status.setText(self.tr("Starting…"))
        # Something of this page holds the focus while the store is made (a screen reader
        # reads the progress), not a field of the page before.
        self.progress.setFocus(Qt.FocusReason.OtherFocusReason)
        self._worker.submit(
            create_store,
            holder.data_dir,
            holder.request(),
            progress=self._relay.report,
            on_done=self._created,
            on_error=self._failed,
        )

    def _progress(self, percent: int, text: str) -> None:
        self.progress.setValue(max(0, min(100, percent)))
        if text:
            self.status.setText(text)

    def _created(self, result: SetupResult) -> None:
        self._running = False
        holder = self._holder()
        holder.made = result
        holder.created_at = datetime.now().astimezone()
        self.progress.setValue(100)
        self.progress.hide()
        self.status.hide()
        self.set_intro(
            self.tr(
                "This key is the only way into your records if every password is forgotten "
                "or this PC stops working. It is shown only this once: save it as a PDF or "
                "print it now."
            )
        )
        self.key_view.set_groups(holder.recovery_groups())
        self.key_part.show()
        groups = holder.recovery_groups()
        if not self._expected and groups:
            picked = sorted(secrets.SystemRandom().sample(range(len(groups)), 2))
            self._expected = {index + 1: groups[index] for index in picked}
        numbers = list(self._expected)
        self.check_intro.setText(
            self.tr(
                "The key is hidden now. Type group {a} and group {b} from your saved or "
                "printed copy, to be sure it is right. Untick the box above to see the key "
                "again."
            ).format(a=numbers[0], b=numbers[1])
        )
        for edit, caption, number in zip(self.edits, self.captions, numbers, strict=True):
            caption.setText(self.tr("Group &{n}").format(n=number))
            edit.setAccessibleName(self.tr("Group {n} of the recovery key").format(n=number))
            edit.setAccessibleDescription(self.tr("Six digits"))
            edit.clear()
        self.completeChanged.emit()
        self.save_pdf_button.setFocus()

    def _failed(self, failure: Failure) -> None:
        self._running = False
        self.status.setText(self.tr("The store was not created."))
        self.error.show_error(failure.message)
        self.retry.show()
        self.retry.setFocus()
        self.completeChanged.emit()

    # The key and its check -----------------------------------------------------------------

    def _saved_toggled(self, saved: bool) -> None:
        self.key_view.setVisible(not saved)
        self.check_part.setVisible(saved)
        if saved:
            # Once the layout has made room for the check: then it can be scrolled to.
            QTimer.singleShot(0, self, self._go_to_check)
        self.completeChanged.emit()

    def _go_to_check(self) -> None:
        if self.check_part.isVisible():
            target = next((e for e in self.edits if not e.text()), self.edits[0])
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            bring_into_view(target)

    def expected_group_numbers(self) -> list[int]:
        return list(self._expected)

    def _check(self) -> None:
        for edit, message, (number, expected) in zip(
            self.edits, self.messages, self._expected.items(), strict=False
        ):
            digits = re.sub(r"\s", "", edit.text())
            self._ok[number] = False
            if len(digits) < len(expected):
                message.clear_message()
            elif not check_recovery_group(digits):
                message.show_error(
                    self.tr(
                        "There is a typing mistake in group {n}; check each digit against "
                        "your copy."
                    ).format(n=number)
                )
            elif digits != expected:
                message.show_error(
                    self.tr("That is a different group of the key; please type group {n}.").format(
                        n=number
                    )
                )
            else:
                self._ok[number] = True
                message.show_good(self.tr("Group {n} is right.").format(n=number))
        self.completeChanged.emit()
        # On to the second group once the first is right, as a person copying would.
        first = next(iter(self._expected), None)
        if first is not None and self._ok.get(first) and self.edits[0].hasFocus():
            self.edits[1].setFocus()

    def isComplete(self) -> bool:
        return (
            self._holder().made is not None
            and self.saved_check.isChecked()
            and bool(self._expected)
            and all(self._ok.get(n, False) for n in self._expected)
        )

    def validatePage(self) -> bool:
        return self.isComplete()

    def forget(self) -> None:
        self.key_view.clear()
        self._expected = {}
        self._ok = {}
        for edit in self.edits:
            edit.clear()

    # Saving and printing ----------------------------------------------------------------------

    def _created_at(self) -> datetime:
        return self._holder().created_at or datetime.now().astimezone()

    def _save_in_documents(self) -> None:
        folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        if not folder.is_dir():
            folder = Path.home()
        path = folder / "Safeguard Desktop recovery key.pdf"
        number = 2
        while path.exists():
            path = folder / f"Safeguard Desktop recovery key ({number}).pdf"
            number += 1
        self.save_pdf(path)

    def _choose_pdf_path(self) -> None:
        suggested = str(Path.home() / "Safeguard Desktop recovery key.pdf")
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the recovery key as a PDF"),
            suggested,
            self.tr("PDF files (*.pdf)"),
        )
        if chosen:
            self.save_pdf(Path(chosen))

    def save_pdf(self, path: Path) -> None:
        """Write the recovery sheet PDF on the worker."""
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        holder = self._holder()
        self.save_message.show_info(self.tr("Saving…"))
        self._worker.submit(
            _write_sheet,
            path,
            holder.org_name(),
            holder.recovery_key(),
            self._created_at(),
            on_done=self._saved,
            on_error=self._save_failed,
        )

    def _saved(self, path: Path) -> None:
        self.save_message.show_good(
            self.tr(
                "Saved to {path}. Print it, keep the paper locked away, and then delete the file."
            ).format(path=path)
        )

    def _save_failed(self, failure: Failure) -> None:
        self.save_message.show_error(failure.message)

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the recovery key"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        holder = self._holder()
        document = QTextDocument()
        document.setHtml(
            recovery_sheet_html(holder.org_name(), holder.recovery_groups(), self._created_at())
        )
        document.print_(printer)
        document.clear()
        self.save_message.show_good(self.tr("Sent to the printer."))
