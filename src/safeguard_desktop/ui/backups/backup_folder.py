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
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStorageInfo

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


def folder_at(path: Path) -> SuggestedFolder:
    """What ``path`` is on: a removable drive that is mounted (and its name), or not."""
    for drive in removable_drives():
        if path == drive.path or drive.path in path.parents:
            return SuggestedFolder(path, True, drive.name)
    return SuggestedFolder(path, False, "")
