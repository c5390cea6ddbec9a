"""The organisation's casework settings: its UK nation, and when to chase social care.

Deadlines run in working days (domain/working_days.py), and which days are bank holidays
depends on the nation: England unless an administrator says otherwise. A social care
referral's chase for an outcome falls due one working day after the referral unless
Settings give more (services/after_referral.py). Kept in the case database's settings,
read by whoever counts working days: the handoff, the wizard, the referral's chase.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from ..domain.errors import BadInput, NotPermitted
from ..domain.organisation import Role
from ..domain.referral_outcome import DEFAULT_CHASE_WORKING_DAYS, chase_days_checked
from ..domain.working_days import Nation, WorkingDays, parse_nation
from ..storage import audit_log, case_records
from ..storage.case_database import Connection
from .changes import Changes, Setting

if TYPE_CHECKING:
    from .session import CaseSession

SETTING = "casework"


@dataclass(frozen=True)
class CaseworkSettings:
    """The organisation's UK nation (its bank holidays) and when to chase an outcome."""

    nation: Nation = Nation.ENGLAND
    chase_working_days: int = DEFAULT_CHASE_WORKING_DAYS

    @property
    def working_days(self) -> WorkingDays:
        return WorkingDays(self.nation)

    @classmethod
    def checked(cls, *, nation: object, chase_working_days: object) -> CaseworkSettings:
        return cls(parse_nation(nation), chase_days_checked(chase_working_days))

    def chase_due(self, made_on: date) -> date:
        """When the chase for a social care referral made on ``made_on`` falls due."""
        return self.working_days.add(made_on, self.chase_working_days)

    def to_json(self) -> dict[str, object]:
        return {"nation": self.nation.value, "chase_working_days": self.chase_working_days}


def read_settings(conn: Connection) -> CaseworkSettings:
    """As stored; the default for anything missing or not understood."""
    stored = case_records.get_setting(conn, SETTING, {})
    values = stored if isinstance(stored, dict) else {}
    settings = CaseworkSettings()
    with suppress(BadInput):
        settings = replace(settings, nation=parse_nation(values.get("nation", "england")))
    with suppress(BadInput):
        days = chase_days_checked(values.get("chase_working_days", DEFAULT_CHASE_WORKING_DAYS))
        settings = replace(settings, chase_working_days=days)
    return settings


def casework_settings(session: CaseSession) -> CaseworkSettings:
    return read_settings(session.conn)


def set_casework_settings(session: CaseSession, new: CaseworkSettings) -> Changes:
    """An administrator sets the nation and the chase; audited. Follow-ups already set
    keep their dates."""
    if session.user.role is not Role.ADMIN:
        raise NotPermitted("Only an administrator can do that.")
    checked = CaseworkSettings.checked(nation=new.nation, chase_working_days=new.chase_working_days)
    conn = session.conn
    with case_records.transaction(conn):
        case_records.set_setting(conn, SETTING, checked.to_json())
        audit_log.append(
            conn,
            session.user.username,
            "setting_changed",
            {"setting": SETTING, **checked.to_json()},
        )
    return Changes.of(settings=[Setting.CASEWORK])
