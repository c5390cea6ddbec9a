"""A checked backup of a test store on its "USB stick", made as the app makes one."""

from __future__ import annotations

from pathlib import Path

from safeguard_desktop.services import backup
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store


def backup_on_a_stick(data_dir: Path, who: tuple[str, str], stick: Path) -> Path:
    """The path of a backup of ``data_dir`` made by ``who`` into a new folder ``stick``."""
    stick.mkdir()
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    try:
        return backup.make_backup(session, stick).path
    finally:
        session.lock()
