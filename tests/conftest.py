"""Shared fixtures. The offscreen Qt platform is chosen before anything imports Qt."""

from __future__ import annotations

import os

from safeguard_desktop.services import people

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the developer's real keyring: with no D-Bus session the
# Secret Service backend is unusable, so stores are created password-only
# unless a test starts its own gnome-keyring (see tests/security/test_keyring_real.py).
os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)

import gc
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class StoreFixture:
    """A ready store in its own data folder, and the accounts in it."""

    data_dir: Path
    recovery_key: str
    admin: tuple[str, str] = ("admin", "admin-password-1")
    dsl: tuple[str, str] = ("dana", "dsl-password-1")
    recorder: tuple[str, str] = ("rita", "recorder-pw-1")


@pytest.fixture(scope="session")
def _template_store(tmp_path_factory: pytest.TempPathFactory) -> StoreFixture:
    # Built once per test run: key derivation is deliberately slow, so every
    # test copies this folder instead of creating its own store.
    from safeguard_desktop.domain.organisation import LocalContacts, OrgType, Role
    from safeguard_desktop.security.kdf import KdfParams
    from safeguard_desktop.services.setup import SetupRequest, create_store

    data_dir = tmp_path_factory.mktemp("template") / "data"
    fixture = StoreFixture(data_dir=data_dir, recovery_key="")
    result = create_store(
        data_dir,
        SetupRequest(
            org_name="Riverside Juniors FC",
            org_type=OrgType.CLUB,
            admin_username=fixture.admin[0],
            admin_display_name="Alex Admin",
            admin_password=fixture.admin[1],
            allow_guests=True,
            contacts=LocalContacts(front_door="0100 000 0001", lado="0100 000 0003"),
        ),
        kdf=KdfParams(),
    )
    session = result.store.login(*fixture.admin)
    people.add_user(session, fixture.dsl[0], "Dana Lead", Role.DSL, fixture.dsl[1])  # type: ignore[arg-type]
    people.add_user(
        session, fixture.recorder[0], "Rita Recorder", Role.RECORDER, fixture.recorder[1]
    )  # type: ignore[attr-defined]
    session.lock()
    return StoreFixture(data_dir=data_dir, recovery_key=result.recovery_key)


@pytest.fixture
def store_dir(_template_store: StoreFixture, tmp_path: Path) -> Iterator[StoreFixture]:
    """A fresh copy of the template store for one test."""
    target = tmp_path / "data"
    shutil.copytree(_template_store.data_dir, target)
    yield StoreFixture(data_dir=target, recovery_key=_template_store.recovery_key)


@pytest.fixture(autouse=True)
def _plural_forms(request: pytest.FixtureRequest) -> None:
    """Qt tests run with the app's English plural forms loaded, as make_application does
    ("1 entry", never "1 entries")."""
    if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
        from safeguard_desktop.ui import translations

        translations.install(request.getfixturevalue("qapp"))


@pytest.fixture(autouse=True)
def _collect_garbage_between_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """Cyclic garbage is collected here, between tests, never in the middle of one.

    The app does the same from a timer on the GUI thread (ui/garbage_collector.py): a
    collection that runs on the worker thread, or inside a Qt event handler, can destroy
    a Qt object left over from an earlier test right there and crash the process. This
    fixture is set up before pytest-qt's qtbot, so it runs after qtbot has closed the
    test's widgets.
    """
    gc.disable()
    yield
    if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            app.processEvents()
            gc.collect()
            app.processEvents()
    else:
        gc.collect(0)


# A second organisation's store (a school receiving a transferred file), for any test.
from transfer_setup import _school_template, school_dir  # noqa: E402, F401
