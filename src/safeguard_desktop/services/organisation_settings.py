"""The organisation's settings kept in vault.json: how soon an idle session locks, the
local contacts every screen and referral shows, and whether guests may record.

Administrators only. Each change is signed into vault.json by the session, its copy
kept in the case database, and audited. The casework settings (the UK nation, the chase)
are in services/casework_settings.py; automatic backups in services/backup.py.
"""

from __future__ import annotations

from dataclasses import replace

from ..domain.errors import BadInput
from ..domain.organisation import LocalContacts, validate_contacts
from . import stations
from .changes import Changes, Setting
from .session import CaseSession


def set_idle_lock_minutes(session: CaseSession, minutes: int) -> Changes:
    session.require_admin()
    if not 1 <= minutes <= 60:
        raise BadInput(
            "Automatic locking must be between 1 and 60 minutes.", field="idle lock minutes"
        )
    session.save_vault(session.store.vault.with_changes(idle_lock_minutes=minutes))
    session.audit("setting_changed", {"setting": "idle_lock_minutes", "value": minutes})
    return Changes.of(settings=[Setting.IDLE_LOCK])


def set_contacts(session: CaseSession, contacts: LocalContacts) -> Changes:
    session.require_admin()
    contacts = validate_contacts(contacts)
    org = replace(session.store.organisation, contacts=contacts)
    session.save_vault(session.store.vault.with_changes(organisation=org))
    session.audit("setting_changed", {"setting": "local_contacts"})
    stations.publish_settings(session)
    return Changes.of(settings=[Setting.LOCAL_CONTACTS])


def set_allow_guests(session: CaseSession, allow: bool) -> Changes:
    session.require_admin()
    org = replace(session.store.organisation, allow_guests=allow)
    session.save_vault(session.store.vault.with_changes(organisation=org))
    session.audit("setting_changed", {"setting": "allow_guests", "value": allow})
    stations.publish_settings(session)
    return Changes.of(settings=[Setting.ALLOW_GUESTS])
