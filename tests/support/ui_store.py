"""Real stores and windows for the UI tests: made once per module, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from safeguard_desktop.domain.organisation import LocalContacts, OrgType, Role
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services import people
from safeguard_desktop.services.setup import SetupRequest, create_store
from safeguard_desktop.ui.case_area import CaseArea
from safeguard_desktop.ui.casework.concern_view import ConcernView
from safeguard_desktop.ui.children.child_page import ChildPage
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
                people.add_user(session, *user)  # type: ignore[arg-type]
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


def idle(qtbot: QtBot, window: MainWindow, timeout: int = 20_000) -> None:
    """Wait until every call the window's worker was given has finished and been shown."""
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=timeout)


def sign_in(qtbot: QtBot, window: MainWindow, who: tuple[str, str]) -> QWidget:
    """Sign in as ``who`` (user name, password) the way a person does: the name, the
    password typed, Enter. Returns the signed-in area once its first reads are done."""
    page = window.login_page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=10_000)
    page.username.setText(who[0])
    qtbot.keyClicks(page.password, who[1])
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session_area is not None, timeout=15_000)
    # Let the area's own background reads finish, so "not busy" afterwards means something.
    idle(qtbot, window)
    area = window.session_area
    assert area is not None
    return area


def sign_in_lead(qtbot: QtBot, window: MainWindow, who: tuple[str, str]) -> CaseArea:
    """:func:`sign_in` as a safeguarding lead or administrator: the records area."""
    area = sign_in(qtbot, window, who)
    assert isinstance(area, CaseArea), f"{who[0]} signed in to {type(area).__name__}"
    return area


def signed_in_window(qtbot: QtBot, data_dir: Path, who: tuple[str, str]) -> MainWindow:
    """The main window on ``data_dir`` with ``who`` signed in."""
    window = open_main_window(qtbot, data_dir)
    sign_in(qtbot, window, who)
    return window


def case_area(window: MainWindow) -> CaseArea:
    """The records area of a window a lead or administrator is signed in to."""
    area = window.session_area
    assert isinstance(area, CaseArea), f"signed in to {type(area).__name__}"
    return area


def open_concern(qtbot: QtBot, window: MainWindow, ref: str) -> ConcernView:
    """Concern ``ref`` in the Concern view, as Home or a child's page opens it, once read."""
    area = case_area(window)
    area.open_concern(ref)
    view = area.concerns.view
    assert view is not None
    qtbot.waitUntil(lambda: view.file is not None, timeout=10_000)
    idle(qtbot, window)
    return view


def open_child(qtbot: QtBot, window: MainWindow, child_id: int) -> ChildPage:
    """Child ``child_id``'s file, as the Concern view opens it, once read."""
    area = case_area(window)
    area.open_child(child_id)
    page = area.children_page.child_page
    assert page is not None
    qtbot.waitUntil(lambda: page.file is not None, timeout=10_000)
    idle(qtbot, window)
    return page
