"""What a write changed: the one value every writing use case returns.

Anki's operations return ``OpChanges`` and the GUI fans it out to every screen
(``operation_did_execute``); this is ours. A writing call on the session's services
returns a :class:`Changes` (or an :class:`Added`, which carries one) naming, by reference
or id only, every record it changed and every record whose file shows the change: adding
an action to a concern about a child names the concern and the child. The signed-in area
sends it to every page after the write succeeds (ui/case_worker.py), and each page reads
again only what it shows. Never record text: a Changes may be logged or kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum


class Setting(StrEnum):
    """The settings a write may change, named as the audit log names them."""

    IDLE_LOCK = "idle_lock_minutes"
    LOCAL_CONTACTS = "local_contacts"
    ALLOW_GUESTS = "allow_guests"
    AUTOMATIC_BACKUPS = "automatic_backups"
    LAST_BACKUP = "last_backup"
    REFERRER_CONTACT = "referrer_contact"
    ORGANISATION_CONTACT = "organisation_contact"
    SIGNING_CERTIFICATE = "signing_certificate"
    CASEWORK = "casework"  # the UK nation (its bank holidays), the chase for an outcome
    # vault.json put back to the records' values after an alarm (every vault setting)
    SETTINGS_FILE = "settings_file"
    # an older copy of the records accepted: they may be written again
    READ_ONLY = "read_only"
    # a recording station invited, joined or removed (services/stations.py)
    STATIONS = "stations"
    # how long children's files are kept before their review (services/retention.py)
    RETENTION = "retention_years_after_last_entry"


@dataclass(frozen=True)
class Changes:
    """References and ids of what a write changed; empty (and false) if nothing."""

    concerns: frozenset[str] = frozenset()  # concern references (C-...)
    children: frozenset[int] = frozenset()  # child record ids
    referrals: frozenset[str] = frozenset()  # referral references (R-...)
    follow_ups: frozenset[int] = frozenset()  # follow-up ids
    people: frozenset[str] = frozenset()  # user names
    settings: frozenset[Setting] = frozenset()
    inbox_items: frozenset[int] = frozenset()  # items not accepted (quarantine ids)
    low_level_concerns: frozenset[int] = frozenset()  # entries of the low-level log (ids)

    @classmethod
    def of(
        cls,
        *,
        concerns: Iterable[str] = (),
        children: Iterable[int | None] = (),
        referrals: Iterable[str] = (),
        follow_ups: Iterable[int | None] = (),
        people: Iterable[str] = (),
        settings: Iterable[Setting] = (),
        inbox_items: Iterable[int] = (),
        low_level_concerns: Iterable[int] = (),
    ) -> Changes:
        """Built from any iterables; ``None`` ids (a record about no child) are left out."""
        return cls(
            concerns=frozenset(r for r in concerns if r),
            children=frozenset(c for c in children if c is not None),
            referrals=frozenset(r for r in referrals if r),
            follow_ups=frozenset(f for f in follow_ups if f is not None),
            people=frozenset(p for p in people if p),
            settings=frozenset(settings),
            inbox_items=frozenset(inbox_items),
            low_level_concerns=frozenset(low_level_concerns),
        )

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            **{f.name: getattr(self, f.name) | getattr(other, f.name) for f in fields(self)}
        )

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Added:
    """A write that made one new record: its id, and all it changed (Anki's
    ``OpChangesWithId``)."""

    id: int
    changes: Changes


def changes_in(result: object) -> Changes | None:
    """The Changes a use case returned, bare or carried (``result.changes``), or None."""
    if isinstance(result, Changes):
        return result
    carried = getattr(result, "changes", None)
    return carried if isinstance(carried, Changes) else None
