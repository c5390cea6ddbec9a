"""Where a backup goes unless the person chooses elsewhere: a USB stick if one is in.

A backup on the PC's own disk dies with the PC, so the folder offered first is a
removable drive when one is mounted (the newest-looking one if several are), and
Documents otherwise, with a sentence saying which it is. Qt lists the mounted volumes;
whether one is removable is the platform's to say: Windows' drive type, or the folders
Linux and macOS mount removable media under.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStorageInfo
from PySide6.QtWidgets import QFileDialog, QWidget

from ..widgets.pdf_save_dialog import documents_folder

# Where desktop Linux (udisks) and macOS mount USB sticks and memory cards.
_REMOVABLE_ROOTS = ("/media/", "/run/media/", "/Volumes/")
_DRIVE_REMOVABLE = 2  # GetDriveTypeW


@dataclass(frozen=True)
class SuggestedFolder:
    path: Path
    removable: bool  # a USB stick or memory card, not the PC's own disk
    name: str  # what the drive calls itself ("KINGSTON"), or ""


def _windows_removable(root: str) -> bool:
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        return bool(kernel32.GetDriveTypeW(root) == _DRIVE_REMOVABLE)
    except (AttributeError, OSError):
        return False


def _is_removable(volume: QStorageInfo) -> bool:
    root = volume.rootPath()
    if sys.platform == "win32":
        return _windows_removable(root if root.endswith("\\") else root + "\\")
    if volume.isRoot():
        return False
    return any(root.startswith(prefix) for prefix in _REMOVABLE_ROOTS)


def removable_drives() -> list[SuggestedFolder]:
    """Mounted removable drives that can be written to, each as its top folder."""
    found = []
    for volume in QStorageInfo.mountedVolumes():
        if not (volume.isValid() and volume.isReady()) or volume.isReadOnly():
            continue
        if not _is_removable(volume):
            continue
        path = Path(volume.rootPath())
        if path.is_dir() and os.access(path, os.W_OK):
            found.append(SuggestedFolder(path, True, volume.displayName()))
    return found


def suggested_backup_folder() -> SuggestedFolder:
    """A removable drive if one is mounted, else Documents (or the home folder)."""
    drives = removable_drives()
    if drives:
        return drives[0]
    return SuggestedFolder(documents_folder(), False, "")


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
