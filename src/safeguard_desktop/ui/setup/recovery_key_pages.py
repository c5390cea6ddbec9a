"""The setup wizard's recovery-key pages: show the key once, then check the person's copy.

The key opens the records if every password is forgotten or the PC dies, so it is shown
large, grouped and numbered, can be saved as a PDF or printed, and two random groups must
be typed back from the saved copy before setup can finish. Each group carries its own
check digit, so a typo is flagged the moment the sixth digit is typed.
"""

from __future__ import annotations

import html
import re
import secrets
from datetime import datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QRegularExpression, Qt
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
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from safeguard_desktop.domain.date_words import long_date
from safeguard_desktop.services.setup import check_recovery_group, save_recovery_sheet

from ..theme import MessageLine, card, hint, paragraph
from ..widgets.wizard_page import WizardPage
from ..worker import Failure, Worker


class _KeyHolder(Protocol):
    """What these pages need from the wizard (kept narrow to avoid an import cycle)."""

    created_at: datetime | None

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
    """(e) Shows the key once; Save as PDF, Print, and a tick box to go on."""

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self._worker = worker
        self.set_title(self.tr("Your recovery key"))
        self.setSubTitle(
            self.tr(
                "The only way into your records if every password is forgotten or this PC "
                "stops working. It is shown only this once."
            )
        )
        layout = self.body_layout
        layout.setSpacing(14)

        self.key_view = KeyGroupsView()
        layout.addWidget(self.key_view)

        buttons = QHBoxLayout()
        self.save_pdf_button = QPushButton(self.tr("&Save as PDF…"))
        self.save_pdf_button.setAccessibleName(self.tr("Save the recovery key as a PDF"))
        self.save_pdf_button.clicked.connect(self._choose_pdf_path)
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setAccessibleName(self.tr("Print the recovery key"))
        self.print_button.clicked.connect(self._print)
        buttons.addWidget(self.save_pdf_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.save_message = MessageLine(self.tr("Result of saving or printing"))
        layout.addWidget(self.save_message)

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
        layout.addWidget(advice)

        self.saved_check = QCheckBox(self.tr("I have saved or printed the &recovery key"))
        self.saved_check.setAccessibleName(self.tr("I have saved or printed the recovery key"))
        self.saved_check.toggled.connect(self.completeChanged)
        layout.addWidget(self.saved_check)
        layout.addStretch(1)

    def _holder(self) -> _KeyHolder:
        return self.wizard()  # type: ignore[return-value]

    def initializePage(self) -> None:
        self.key_view.set_groups(self._holder().recovery_groups())

    def isComplete(self) -> bool:
        return self.saved_check.isChecked()

    def forget(self) -> None:
        self.key_view.clear()

    def _created_at(self) -> datetime:
        return self._holder().created_at or datetime.now().astimezone()

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
            self.tr("Saved to {path}. Print it, then keep the paper locked away.").format(path=path)
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


class ConfirmKeyPage(WizardPage):
    """(f) Type back two randomly chosen groups from the saved copy."""

    def __init__(self) -> None:
        super().__init__()
        self.set_title(self.tr("Check your copy of the key"))
        self._expected: dict[int, str] = {}  # group number (1-based) -> digits
        self._ok: dict[int, bool] = {}
        layout = self.body_layout
        layout.setSpacing(10)
        self.intro = paragraph()
        layout.addWidget(self.intro)
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
            edit.textChanged.connect(self._check)
            layout.addWidget(caption)
            layout.addWidget(edit)
            layout.addWidget(message)
            self.captions.append(caption)
            self.edits.append(edit)
            self.messages.append(message)
        layout.addStretch(1)
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Finish setup"))

    def initializePage(self) -> None:
        holder: _KeyHolder = self.wizard()  # type: ignore[assignment]
        groups = holder.recovery_groups()
        if not self._expected and groups:
            picked = sorted(secrets.SystemRandom().sample(range(len(groups)), 2))
            self._expected = {index + 1: groups[index] for index in picked}
        numbers = list(self._expected)
        self.intro.setText(
            self.tr(
                "To make sure your copy is right, type group {a} and group {b} from your "
                "saved or printed copy, not from the screen you saw before."
            ).format(a=numbers[0], b=numbers[1])
        )
        for edit, caption, number in zip(self.edits, self.captions, numbers, strict=True):
            caption.setText(self.tr("Group &{n}").format(n=number))
            edit.setAccessibleName(self.tr("Group {n} of the recovery key").format(n=number))
            edit.setAccessibleDescription(self.tr("Six digits"))
            edit.clear()
        self.setSubTitle(self.tr("Two groups, six digits each."))

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

    def isComplete(self) -> bool:
        return bool(self._expected) and all(self._ok.get(n, False) for n in self._expected)

    def validatePage(self) -> bool:
        return self.isComplete()

    def forget(self) -> None:
        self._expected = {}
        self._ok = {}
        for edit in self.edits:
            edit.clear()
