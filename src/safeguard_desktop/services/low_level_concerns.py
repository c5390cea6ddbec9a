"""The low-level concerns log: recording an entry and reading the log, for leads only.

KCSIE Part four, section two. The log is kept apart from children's files: it has its
own table, names no child, and nothing that builds a child's chronology, a child's
export or transfer, or a referral reads it. Only a session holding the database key (a
DSL, or an administrator: the head or the chair of governors or trustees is given one of
these roles) may record or read it; a recorder's session never can. The rules (what an
entry needs, the pattern, when an entry falls due for review) are domain/
low_level_concerns.py's; they are checked here, whoever calls.

Each entry is one transaction with its audit entry (its id, never a name or text);
opening the log is audited as opening a concern is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.errors import BadInput
from ..domain.low_level_concerns import (
    AdultSummary,
    LowLevelConcern,
    StoredLowLevelConcern,
    check_deletable,
    checked,
    patterns,
    summarise,
)
from ..storage import audit_log, case_records, low_level_records
from ..storage.case_records import utc_now
from .changes import Added, Changes
from .session import require_case_session


@dataclass(frozen=True)
class LowLevelLog:
    """The whole log as the page shows it."""

    entries: tuple[StoredLowLevelConcern, ...]  # newest first
    adults: tuple[AdultSummary, ...]  # patterns first

    @property
    def patterns(self) -> tuple[AdultSummary, ...]:
        return tuple(a for a in self.adults if a.pattern)


def record(session: object, entry: LowLevelConcern, *, today: date | None = None) -> Added:
    """Add one entry to the log, recorded by the signed-in lead."""
    lead = require_case_session(session)
    entry = checked(entry, today or date.today())
    conn = lead.conn
    with case_records.transaction(conn):
        entry_id = low_level_records.add(
            conn,
            entry,
            recorded_at=utc_now(),
            recorded_by=lead.user.username,
            recorded_by_name=lead.user.display_name,
        )
        audit_log.append(conn, lead.user.username, "low_level_concern_recorded", {"id": entry_id})
    return Added(entry_id, Changes.of(low_level_concerns=[entry_id]))


def delete_after_review(
    session: object, entry_id: int, *, adult_has_left: bool, today: date | None = None
) -> Changes:
    """Delete one entry at its retention review (domain/low_level_concerns.py's rule: due,
    and the adult has left). The audit log keeps that it was deleted, its id and its
    review date, never what it said or whom it named."""
    lead = require_case_session(session)
    conn = lead.conn
    with case_records.transaction(conn):
        entry = low_level_records.get(conn, entry_id)
        if entry is None:
            raise BadInput("That entry is no longer in the log.", "entry")
        check_deletable(entry, today or date.today(), adult_has_left=adult_has_left)
        low_level_records.delete(conn, entry_id)
        audit_log.append(
            conn,
            lead.user.username,
            "low_level_concern_deleted",
            {"id": entry_id, "review_due": entry.review_due.isoformat()},
        )
    return Changes.of(low_level_concerns=[entry_id])


def read_log(session: object, *, today: date | None = None) -> LowLevelLog:
    """Every entry and every adult it names, with the patterns; the opening is audited."""
    lead = require_case_session(session)
    entries = low_level_records.all_entries(lead.conn)
    lead.audit_read("low_level_log_opened", {"entries": len(entries)})
    return LowLevelLog(
        entries=tuple(entries), adults=tuple(summarise(entries, today or date.today()))
    )


def patterns_to_review(session: object, *, today: date | None = None) -> int:
    """How many adults have a pattern to review (Home's line: a count, never a name, so
    not audited as a reading of the log)."""
    lead = require_case_session(session)
    return len(patterns(low_level_records.all_entries(lead.conn), today or date.today()))


def entries_for_export(session: object) -> list[StoredLowLevelConcern]:
    """Every entry, for the full export (services/export.py), which audits itself."""
    lead = require_case_session(session)
    return low_level_records.all_entries(lead.conn)
