"""Real stores and windows for the UI tests: made once per module, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from pytestqt.qtbot import QtBot

from safeguard_desktop.domain.organisation import LocalContacts, OrgType, Role
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services.setup import SetupRequest, create_store
from safeguard_desktop.ui.main_window import MainWindow


def build_store(
    folder: Path,
    *,
    org: str,
    org_type: OrgType,
    admin: tuple[str, str, str],
    users: Sequence[tuple[str, str, Role, str]] = (),
    contacts: LocalContacts | None = None,
) -> tuple[Path, str]:
    """A real store (the cheapest Argon2 cost) in ``folder``/data; returns it and its key.

    ``admin`` is (user name, full name, password); ``users`` are (user name, full
    name, role, password) added by that administrator.
    """
    data_dir = folder / "data"
    username, full_name, password = admin
    request = SetupRequest(
        org_name=org,
        org_type=org_type,
        admin_username=username,
        admin_display_name=full_name,
        admin_password=password,
        contacts=contacts or LocalContacts(),
    )
    result = create_store(data_dir, request, kdf=KdfParams())
    if users:
        session = result.store.login(username, password)
        try:
            for user in users:
                session.add_user(*user)  # type: ignore[attr-defined]
        finally:
            session.lock()
    return data_dir, result.recovery_key


def copy_store(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(template, copy)
    return copy


def open_main_window(qtbot: QtBot, data_dir: Path, **kwargs: object) -> MainWindow:
    """The real main window on ``data_dir``, shown and at its sign-in page."""
    window = MainWindow(data_dir, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login_page, timeout=10_000)
    return window
