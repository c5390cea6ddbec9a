"""Two organisations on one machine for the transfer tests: the shared template store is
the club the child leaves; a school's store, made once a run and copied for each test,
receives the child's file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casework_data import RECORDER_ACCOUNT
from safeguard_desktop.domain.organisation import LocalContacts, OrgType, Role
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services import people
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.setup import SetupRequest, create_store
from safeguard_desktop.services.store import Store

SCHOOL_NAME = "Hillside Primary School"
SCHOOL_DSL = ("sam", "school-dsl-password-1")
TRANSFER_PASSWORD = "K7QX-2MPA-9TRE-HC4W-ZN8D"


@pytest.fixture(scope="session")
def _school_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("school") / "data"
    result = create_store(
        data_dir,
        SetupRequest(
            org_name=SCHOOL_NAME,
            org_type=OrgType.SCHOOL,
            admin_username="head",
            admin_display_name="Hana Head",
            admin_password="school-admin-password-1",
            allow_guests=False,
            contacts=LocalContacts(front_door="0100 000 0101"),
        ),
        kdf=KdfParams(),
    )
    session = result.store.login("head", "school-admin-password-1")
    people.add_user(session, SCHOOL_DSL[0], "Sam Safe", Role.DSL, SCHOOL_DSL[1])  # type: ignore[arg-type]
    user, name, role, password = RECORDER_ACCOUNT  # casework_data.submit seals as her
    people.add_user(session, user, name, role, password)  # type: ignore[arg-type]
    session.lock()
    return data_dir


@pytest.fixture
def school_dir(_school_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "school"
    shutil.copytree(_school_template, target)
    return target


def school_session(data_dir: Path) -> CaseSession:
    session = Store.open(data_dir).login(*SCHOOL_DSL)
    assert isinstance(session, CaseSession)
    return session
