"""The "Save as PDF" file dialog of a page (or "Save a copy" of a file attached): in
Documents, with a neutral name, never blocking.

``QFileDialog.getSaveFileName`` runs an event loop of its own: an idle lock while it is
open destroys the page, and the page's code after it then runs for a session that has
gone. This dialog is opened with ``open()`` instead, as a child of the page, so a lock
destroys it with the page and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


def documents_folder() -> Path:
    """Where a saved PDF goes unless the user chooses elsewhere: Documents, or the home
    folder when there is none (the dialog would otherwise open in the app's own folder)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def open_pdf_save_dialog(
    parent: QWidget, title: str, suggested_name: str, on_chosen: Callable[[Path], None]
) -> QFileDialog:
    """Open (not exec) a Save dialog for a PDF; ``on_chosen(path)`` once one is chosen.

    The dialog deletes itself when closed; its ``finished`` signal tells the page so.
    ``suggested_name`` must never hold a child's name: it would stay in "recent files".
    """
    return open_save_dialog(
        parent,
        title,
        suggested_name,
        QCoreApplication.translate("PdfSaveDialog", "PDF files (*.pdf)"),
        on_chosen,
    )


def open_save_dialog(
    parent: QWidget,
    title: str,
    suggested_name: str,
    name_filter: str,
    on_chosen: Callable[[Path], None],
) -> QFileDialog:
    """As :func:`open_pdf_save_dialog`, for a file of any kind: ``name_filter`` names it
    ("PNG pictures (*.png)"), and a name typed without an extension gets the suggested
    name's."""
    dialog = QFileDialog(parent, title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setNameFilter(name_filter)
    dialog.setDefaultSuffix(Path(suggested_name).suffix.lstrip("."))
    dialog.setDirectory(str(documents_folder()))
    dialog.selectFile(suggested_name)
    dialog.fileSelected.connect(lambda chosen: on_chosen(Path(chosen)) if chosen else None)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
