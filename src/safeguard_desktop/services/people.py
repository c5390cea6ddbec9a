"""People: the accounts of an organisation, added, given a new password, removed,
suspended while an allegation about their holder is looked into, and reinstated.

Every function takes an unlocked :class:`CaseSession`; all but suspending are for an
administrator. The key material stays inside the session: a new password slot, the
database key sealed into a slot, and the change of database key after a lead's account
is removed or suspended are the session's own (``new_password_slot``,
``with_database_key``, ``rotate_keys``). Each change is signed into vault.json and
audited.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from ..domain.accounts import (
    AccountState,
    check_can_suspend,
    new_id,
    validate_display_name,
    validate_password,
    validate_username,
)
from ..domain.errors import BadInput, NotPermitted, StoreReadOnly
from ..domain.organisation import Role
from ..storage.vault_file import UserRecord, replace_user_slot
from . import inbox, stations
from .changes import Changes
from .session import CaseSession, SessionLocked


def add_user(
    session: CaseSession, username: str, display_name: str, role: Role, password: str
) -> Changes:
    """Add an account with its own password slot; administrators only (slow)."""
    session.require_admin()
    username = validate_username(username)
    display_name = validate_display_name(display_name)
    validate_password(password, role)
    vault = session.store.vault
    if vault.user(username) is not None:
        raise BadInput(f"The user name {username} is already taken.", field="user name")
    opened = session.new_password_slot(new_id(), password, role)
    record = UserRecord(
        user_id=opened.slot.user_id or "",
        username=username,
        display_name=display_name,
        role=role,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        slot_id=opened.slot.slot_id,
    )
    session.save_vault(
        vault.with_changes(users=(*vault.users, record), slots=(*vault.slots, opened.slot))
    )
    session.audit("user_added", {"username": username, "role": role.value})
    return Changes.of(people=[record.username])


def reset_password(session: CaseSession, username: str, new_password: str) -> Changes:
    """Give another account a new (temporary) password; admin only (slow).

    Used when someone forgets theirs, and after moving to a new PC, where the
    old password slots are bound to the old PC's credential store.
    """
    session.require_admin()
    vault = session.store.vault
    record = vault.user(username)
    if record is None:
        raise BadInput(f"There is no user called {username.strip()[:32]}.", field="user name")
    validate_password(new_password, record.role, field="new password")
    new = session.new_password_slot(record.user_id, new_password, record.role)
    session.save_vault(replace_user_slot(vault, record, new.slot))
    session.audit("password_reset", {"username": record.username})
    return Changes.of(people=[record.username])


def remove_user(session: CaseSession, username: str) -> Changes:
    """Remove an account; for a DSL or admin, also rotate the database key."""
    session.require_admin()
    vault = session.store.vault
    record = vault.user(username)
    if record is None:
        raise BadInput(f"There is no user called {username.strip()[:32]}.", field="user name")
    if record.username == session.user.username:
        raise NotPermitted("You cannot remove your own account while signed in with it.")
    admins = [u for u in vault.users if u.role is Role.ADMIN]
    if record.role is Role.ADMIN and len(admins) <= 1:
        raise NotPermitted("The last administrator cannot be removed.")
    users = tuple(u for u in vault.users if u.user_id != record.user_id)
    slots = tuple(s for s in vault.slots if s.slot_id != record.slot_id)
    detail: dict[str, object] = {"username": record.username, "role": record.role.value}
    if not record.role.holds_database_key:
        session.save_vault(vault.with_changes(users=users, slots=slots))
        session.audit("user_removed", detail)
    else:
        session.rotate_keys(users, slots, "user_removed", {**detail, "keys_rotated": True})
        # Recording stations seal to the inbox key they were last given: give them the new
        # one, or the removed person's copy of the old key opens what they record next.
        stations.publish_settings(session)
    return Changes.of(people=[record.username])


def suspend_user(session: CaseSession, username: str, *, concern_ref: str | None = None) -> Changes:
    """Suspend an account while an allegation about its holder is looked into.

    Any safeguarding lead may (the LADO step of the handoff is theirs); the lead
    chooses the account, the app never matches it from a name. A suspended account
    cannot sign in (Store.login, CaseSession.unlock), cannot seal a concern
    (Session.check_can_submit) and what reaches the inbox under its name afterwards
    is kept aside (inbox_ingest). A lead's account also loses the database key, which
    is changed (as when an account is removed): a key they copied opens nothing.
    What waits in the inbox is taken in first, so what they sent before is not kept
    aside. Reversible: :func:`reinstate_user`.
    """
    if session.is_locked:
        raise SessionLocked()
    if session.rollback_alarm is not None:
        raise StoreReadOnly(session.rollback_alarm.sentence())
    vault = session.store.vault
    record = vault.user(username)
    if record is None:
        raise BadInput(f"There is no user called {username.strip()[:32]}.", field="user name")
    check_can_suspend(
        _account_state(record), session.user.username, [_account_state(u) for u in vault.users]
    )
    arrived = inbox.ingest(session)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    vault = session.store.vault
    users = tuple(
        replace(u, suspended_at=now) if u.user_id == record.user_id else u for u in vault.users
    )
    detail: dict[str, object] = {"username": record.username, "role": record.role.value}
    if concern_ref:
        detail["concern"] = concern_ref
    if record.role.holds_database_key:
        slots = tuple(
            replace(s, sealed_db_key=None) if s.slot_id == record.slot_id else s
            for s in vault.slots
        )
        session.rotate_keys(users, slots, "account_suspended", {**detail, "keys_rotated": True})
        stations.publish_settings(session)  # the new inbox key, as at a removal
    else:
        session.save_vault(vault.with_changes(users=users))
        session.audit("account_suspended", detail)
    return Changes.of(people=[record.username]) | arrived


def reinstate_user(session: CaseSession, username: str) -> Changes:
    """Lift a suspension (administrators, from People or the command line).

    A lead's account is given the current database key again; their password is the
    one they had.
    """
    session.require_admin()
    vault = session.store.vault
    record = vault.user(username)
    if record is None:
        raise BadInput(f"There is no user called {username.strip()[:32]}.", field="user name")
    if not record.suspended:
        raise NotPermitted(f"The account {record.username} is not suspended.")
    users = tuple(
        replace(u, suspended_at=None) if u.user_id == record.user_id else u for u in vault.users
    )
    slots = vault.slots
    if record.role.holds_database_key:
        slots = tuple(
            session.with_database_key(s) if s.slot_id == record.slot_id else s for s in slots
        )
    session.save_vault(vault.with_changes(users=users, slots=slots))
    session.audit("account_reinstated", {"username": record.username, "role": record.role.value})
    return Changes.of(people=[record.username])


def _account_state(record: UserRecord) -> AccountState:
    return AccountState(record.username, record.display_name, record.role, record.suspended)
