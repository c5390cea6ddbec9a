"""Choosing a folder or a file without ``exec()``, and the labelled folder row dialogs share.

A chooser is opened (never exec'd) as a child of the page that asked, so a lock destroys
it with the page (see pdf_save_dialog.py for why): a blocking static QFileDialog call
would outlive the lock and hold the event loop while the records close.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ..theme import BUTTON_MIN_HEIGHT
from .pdf_save_dialog import documents_folder


@dataclass(frozen=True)
class FolderRow:
    """A folder's label (with its Alt key), its line edit and "Choose another folder…"."""

    label: QLabel
    edit: QLineEdit
    choose_button: QPushButton
    row: QHBoxLayout


def folder_row(label_text: str, accessible: str, on_choose: Callable[[], None]) -> FolderRow:
    """The label, then the folder and its Choose button side by side; add both to a form."""
    return chooser_row(
        label_text,
        accessible,
        on_choose,
        QCoreApplication.translate("FolderRow", "C&hoose another folder…"),
        QCoreApplication.translate("FolderRow", "Choose another folder"),
    )


def chooser_row(
    label_text: str,
    accessible: str,
    on_choose: Callable[[], None],
    button_text: str,
    button_accessible: str,
) -> FolderRow:
    """A path's label (with its Alt key), its line edit and a button that opens a chooser
    (``on_choose``), the two side by side: for a folder, or for one file."""
    edit = QLineEdit()
    edit.setAccessibleName(accessible)
    label = QLabel(label_text)
    label.setBuddy(edit)
    button = QPushButton(button_text)
    button.setAccessibleName(button_accessible)
    button.setMinimumHeight(BUTTON_MIN_HEIGHT)
    button.clicked.connect(on_choose)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return FolderRow(label, edit, button, row)


def open_folder_dialog(
    parent: QWidget, title: str, start: Path, on_chosen: Callable[[Path], None]
) -> QFileDialog:
    """Open (not exec) a folder chooser; ``on_chosen(path)`` once one is chosen.

    Opened as a child of ``parent`` so a lock destroys it with the page (see
    pdf_save_dialog.py for why never ``exec()``).
    """
    dialog = QFileDialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setDirectory(str(start if start.is_dir() else documents_folder()))
    dialog.fileSelected.connect(lambda chosen: on_chosen(Path(chosen)) if chosen else None)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def open_file_dialog(
    parent: QWidget,
    title: str,
    start: Path,
    name_filter: str,
    on_chosen: Callable[[Path], None],
) -> QFileDialog:
    """Open (not exec) a chooser for one existing file; ``on_chosen(path)`` when chosen."""
    dialog = QFileDialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(name_filter)
    dialog.setDirectory(str(start if start.is_dir() else documents_folder()))
    dialog.fileSelected.connect(lambda chosen: on_chosen(Path(chosen)) if chosen else None)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
