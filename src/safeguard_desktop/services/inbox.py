"""The inbox as a lead works it: taking in what recorders sealed, and deciding on the
items that could not be accepted (quarantine).

The work itself is in services/inbox_ingest.py, below the session, which takes the inbox
in at sign-in too; these are the use cases the screens and the command line call over an
unlocked :class:`CaseSession`. Each decision is audited (inbox_ingest).
"""

from __future__ import annotations

from . import inbox_ingest, stations
from .changes import Changes, Setting
from .inbox_ingest import QuarantineEntry
from .session import CaseSession


def ingest(session: CaseSession) -> Changes:
    """Take in what recorders sealed, here and on recording stations (the drop folder,
    services/stations.py): the concerns that arrived (how many: ``len(changes.concerns)``)
    and any item kept aside; nothing while the records are read-only or damaged (what
    was sealed waits in inbox.db and the drop folder).

    Run every minute while a lead is signed in, so it is also where the screens learn
    that the check after sign-in found damage: the first call after that says the
    records became read-only (``Setting.READ_ONLY``), and Home shows why.
    """
    if session.read_only:
        return Changes()
    damaged_before = session.damage is not None
    conn = session.conn  # takes in the check after sign-in's result, when it has one
    if session.damage is not None:
        return Changes() if damaged_before else Changes.of(settings=[Setting.READ_ONLY])
    received = inbox_ingest.ingest(session.store, conn, session.user.username)
    return received | stations.ingest_drop(session)


def quarantined(session: CaseSession) -> list[QuarantineEntry]:
    """Inbox items that could not be accepted and still wait for a decision."""
    return inbox_ingest.quarantined(session.conn)


def accept_quarantined(session: CaseSession, item_id: int) -> Changes:
    """Accept a concern whose sender could not be confirmed (marked unverified)."""
    return inbox_ingest.accept(session.store, session.conn, item_id, session.user.username)


def set_aside_quarantined(session: CaseSession, item_id: int, note: str) -> Changes:
    """Keep an item aside, not listed, with a note saying why."""
    return inbox_ingest.set_aside(session.conn, item_id, note, session.user.username)
