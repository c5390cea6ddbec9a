"""Retention's rows (migration 12) and the one place a child's file is deleted.

The dates a child's review is worked out from are read in one query for every child (or
one): the earliest and latest day anything in the file happened or was written (its
concerns, actions, decisions, referrals and what followed them, follow-ups, changes to
the record, statuses, files attached), and whether a referral other than an early help
request was sent. domain/retention.py turns them into a review date.

Deleting (:func:`delete_file`) runs inside the caller's transaction, in the order the
foreign keys need, with secure_delete on (storage/case_database.py): what is deleted is
overwritten. A concern about this child alone goes with the file; one that names other
children too stays, for them, unlinked from this child and marked (concern_children.
file_deleted_at). The audit log is never touched: its tombstone entry is the caller's.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from ..domain.retention import DeletionPlan, RetentionFacts
from .case_database import Connection, DatabaseError
from .concern_search import reindex_concern

# Every day something in a child's file happened or was written, as (child_id, day).
_DAYS = """
WITH linked AS (
    SELECT child_id, concern_id, position FROM concern_children
    WHERE child_id IS NOT NULL {only_linked}
),
days (child_id, day) AS (
    SELECT id, substr(created_at, 1, 10) FROM children WHERE 1 {only_child}
    -- When a concern was sent, never earlier than when it happened: its occurred_at sits
    -- after the whole text in the row (added by migration 2), so reading it would read
    -- every concern's text; the later day only ever makes a review later, never early.
    UNION ALL SELECT l.child_id, substr(c.submitted_at, 1, 10)
        FROM linked l JOIN concerns c ON c.id = l.concern_id
    UNION ALL SELECT a.child_id, substr(max(a.occurred_at, a.recorded_at), 1, 10)
        FROM actions a WHERE a.child_id IS NOT NULL {only_action}
    UNION ALL SELECT l.child_id, substr(max(a.occurred_at, a.recorded_at), 1, 10)
        FROM linked l JOIN actions a ON a.concern_id = l.concern_id AND a.child_id IS NULL
    UNION ALL SELECT l.child_id, substr(d.decided_at, 1, 10)
        FROM linked l JOIN decisions d ON d.concern_id = l.concern_id
        AND (d.child_position IS NULL OR d.child_position = l.position)
    UNION ALL SELECT l.child_id, substr(coalesce(r.closed_at, r.sent_at, r.created_at), 1, 10)
        FROM linked l JOIN referrals r ON r.concern_id = l.concern_id
        AND (r.child_position IS NULL OR r.child_position = l.position)
    UNION ALL SELECT l.child_id, substr(o.recorded_at, 1, 10)
        FROM linked l JOIN referrals r ON r.concern_id = l.concern_id
        AND (r.child_position IS NULL OR r.child_position = l.position)
        JOIN referral_outcomes o ON o.referral_id = r.id
    UNION ALL SELECT f.child_id, substr(coalesce(f.done_at, f.created_at), 1, 10)
        FROM follow_ups f WHERE f.child_id IS NOT NULL {only_follow_up}
    UNION ALL SELECT h.child_id, substr(h.changed_at, 1, 10)
        FROM child_history h WHERE 1 {only_history}
    UNION ALL SELECT s.child_id, substr(coalesce(s.ended_at, s.recorded_at), 1, 10)
        FROM child_statuses s WHERE 1 {only_status}
    UNION ALL SELECT t.child_id, substr(t.added_at, 1, 10)
        FROM attachments t WHERE t.child_id IS NOT NULL {only_attachment}
    UNION ALL SELECT l.child_id, substr(t.added_at, 1, 10)
        FROM linked l JOIN attachments t ON t.concern_id = l.concern_id
    UNION ALL SELECT x.child_id, substr(x.received_at, 1, 10)
        FROM transfers_received x WHERE 1 {only_received}
)
,
span AS (SELECT child_id, min(day) AS first, max(day) AS last FROM days GROUP BY child_id),
-- A serious matter: a decision to refer to social care or Prevent, or to report to the
-- police, or a referral (the LADO's too) drafted for the child, whether or not the app
-- marked it sent (a referral phoned through or typed into a council's web form is not).
serious AS (
    SELECT l.child_id FROM linked l JOIN referrals r ON r.concern_id = l.concern_id
    AND (r.child_position IS NULL OR r.child_position = l.position)
    WHERE r.kind != 'early_help'
    UNION
    SELECT l.child_id FROM linked l JOIN decisions d ON d.concern_id = l.concern_id
    AND (d.child_position IS NULL OR d.child_position = l.position)
    WHERE d.outcome IN ('social_care_referral', 'prevent_referral', 'police_report')
    UNION
    -- An earlier school or club had: the file they transferred says so.
    SELECT child_id FROM transfers_received WHERE serious
),
hold AS (
    SELECT child_id, max(id) AS id FROM legal_holds WHERE lifted_at IS NULL GROUP BY child_id
)
SELECT ch.id, ch.date_of_birth, ch.approximate_age, span.first, span.last,
    serious.child_id IS NOT NULL, rd.review_on, rd.reason, rd.set_by,
    lh.reason, lh.placed_by, lh.placed_at
FROM children ch
JOIN span ON span.child_id = ch.id
LEFT JOIN serious ON serious.child_id = ch.id
LEFT JOIN retention_dates rd ON rd.child_id = ch.id
LEFT JOIN hold ON hold.child_id = ch.id
LEFT JOIN legal_holds lh ON lh.id = hold.id
WHERE 1 {only_child_outer}
ORDER BY ch.id
"""


def facts(conn: Connection, child_id: int | None = None) -> list[RetentionFacts]:
    """What each child's review date is worked out from (one child's, or every child's)."""
    one = child_id is not None
    filters = {
        "only_linked": "AND child_id = :child" if one else "",
        "only_child": "AND id = :child" if one else "",
        "only_action": "AND a.child_id = :child" if one else "",
        "only_follow_up": "AND f.child_id = :child" if one else "",
        "only_history": "AND h.child_id = :child" if one else "",
        "only_status": "AND s.child_id = :child" if one else "",
        "only_attachment": "AND t.child_id = :child" if one else "",
        "only_received": "AND x.child_id = :child" if one else "",
        "only_child_outer": "AND ch.id = :child" if one else "",
    }
    rows = conn.execute(_DAYS.format(**filters), {"child": child_id}).fetchall()
    return [_facts(row) for row in rows]


def _facts(row: tuple[object, ...]) -> RetentionFacts:
    (
        child_id, born, age, first, last, serious, set_on, set_reason, set_by,
        hold_reason, hold_by, hold_since,
    ) = row  # fmt: skip
    return RetentionFacts(
        child_id=int(str(child_id)),
        date_of_birth=_day(born),
        approximate_age=int(str(age)) if age is not None else None,
        first_entry=_day(first),
        last_entry=_day(last),
        serious=bool(serious),
        set_on=_day(set_on),
        set_reason=str(set_reason or ""),
        set_by=str(set_by or ""),
        hold_reason=str(hold_reason) if hold_reason is not None else None,
        hold_by=str(hold_by or ""),
        hold_since=str(hold_since or ""),
    )


def _day(value: object) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def set_review_date(
    conn: Connection, child_id: int, review_on: date, reason: str, at: str, by: str
) -> None:
    conn.execute(
        "INSERT INTO retention_dates (child_id, review_on, reason, set_at, set_by)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (child_id) DO UPDATE SET"
        " review_on = excluded.review_on, reason = excluded.reason,"
        " set_at = excluded.set_at, set_by = excluded.set_by",
        (child_id, review_on.isoformat(), reason, at, by),
    )


def clear_review_date(conn: Connection, child_id: int) -> None:
    conn.execute("DELETE FROM retention_dates WHERE child_id = ?", (child_id,))


def place_hold(conn: Connection, child_id: int, reason: str, at: str, by: str) -> int:
    cursor = conn.execute(
        "INSERT INTO legal_holds (child_id, reason, placed_at, placed_by) VALUES (?, ?, ?, ?)",
        (child_id, reason, at, by),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def lift_holds(conn: Connection, child_id: int, reason: str, at: str, by: str) -> list[int]:
    """Lift every hold in force on the child; the ids lifted."""
    ids = [
        int(row[0])
        for row in conn.execute(
            "SELECT id FROM legal_holds WHERE child_id = ? AND lifted_at IS NULL", (child_id,)
        )
    ]
    conn.execute(
        "UPDATE legal_holds SET lifted_at = ?, lifted_by = ?, lift_reason = ?"
        " WHERE child_id = ? AND lifted_at IS NULL",
        (at, by, reason, child_id),
    )
    return ids


# Deleting a child's file ---------------------------------------------------------------


def plan(conn: Connection, child_id: int) -> DeletionPlan:
    """What deleting the child's file would remove (read only)."""
    p = {"child": child_id}
    only_this = _concerns_of(conn, child_id, alone=True)
    shared = _concerns_of(conn, child_id, alone=False)
    refs = dict(
        conn.execute(
            "SELECT id, ref FROM concerns WHERE id IN"
            " (SELECT concern_id FROM concern_children WHERE child_id = :child)",
            p,
        ).fetchall()
    )
    referrals = [
        str(row[0])
        for row in conn.execute(f"SELECT ref FROM referrals r WHERE {_REFERRALS} ORDER BY id", p)
    ]
    count = _counter(conn, p)
    return DeletionPlan(
        child_id=child_id,
        concerns_deleted=tuple(str(refs[c]) for c in only_this),
        concerns_kept=tuple(str(refs[c]) for c in shared),
        referrals=tuple(referrals),
        actions=count(f"SELECT count(*) FROM actions WHERE {_ACTIONS}"),
        decisions=count(f"SELECT count(*) FROM decisions d WHERE {_DECISIONS}"),
        follow_ups=count(f"SELECT count(*) FROM follow_ups f WHERE {_FOLLOW_UPS}"),
        attachments=count(f"SELECT count(*) FROM attachments WHERE {_ATTACHMENTS}"),
        household=count("SELECT count(*) FROM household_members WHERE child_id = :child"),
        professionals=count("SELECT count(*) FROM professionals WHERE child_id = :child"),
        statuses=count("SELECT count(*) FROM child_statuses WHERE child_id = :child"),
        transfers_sent=count("SELECT count(*) FROM transfers_sent WHERE child_id = :child"),
        transfers_received=count("SELECT count(*) FROM transfers_received WHERE child_id = :child"),
        transferred_records=count("SELECT count(*) FROM transferred_items WHERE child_id = :child"),
        kept_aside_copies=count(
            "SELECT count(*) FROM quarantine WHERE ref IN (SELECT ref FROM concerns"
            f" WHERE id IN ({_ALONE}))"
        ),
        whole_concern_referrals=count(
            "SELECT count(*) FROM referrals WHERE child_position IS NULL AND concern_id IN"
            f" (SELECT concern_id FROM concern_children WHERE child_id = :child"
            f" AND concern_id NOT IN ({_ALONE}))"
        ),
    )


def _counter(conn: Connection, params: dict[str, int]):  # type: ignore[no-untyped-def]
    def count(sql: str) -> int:
        return int(conn.execute(sql, params).fetchone()[0])

    return count


# The concerns about this child alone: every position they name is linked to this child.
# (A place whose child's file was deleted at its review counts for nobody: the concern
# goes with the last child it was kept for.)
_ALONE = (
    "SELECT DISTINCT concern_id FROM concern_children WHERE child_id = :child AND NOT EXISTS"
    " (SELECT 1 FROM concern_children o WHERE o.concern_id = concern_children.concern_id"
    " AND o.child_id IS NOT :child AND o.file_deleted_at IS NULL)"
)
_CHILD_POSITIONS = "SELECT concern_id, position FROM concern_children WHERE child_id = :child"
# The child's referrals: those of the concerns about them alone, and on a shared concern
# those made for this child's position (one made for a whole shared concern by an earlier
# version stays: it was made for the other children too).
_REFERRALS = (
    f"r.concern_id IN ({_ALONE}) OR (r.concern_id, r.child_position) IN ({_CHILD_POSITIONS})"
)
_DECISIONS = (
    f"d.concern_id IN ({_ALONE}) OR (d.concern_id, d.child_position) IN ({_CHILD_POSITIONS})"
)
# An action or follow-up recorded for another child against a concern about this child
# alone is that child's: it stays, no longer tied to the concern (see delete_file).
_ACTIONS = f"child_id = :child OR (child_id IS NULL AND concern_id IN ({_ALONE}))"
_FOLLOW_UPS = (
    f"f.child_id = :child OR (f.child_id IS NULL AND f.concern_id IN ({_ALONE}))"
    f" OR f.referral_id IN (SELECT r.id FROM referrals r WHERE {_REFERRALS})"
    " OR f.status_id IN (SELECT id FROM child_statuses WHERE child_id = :child)"
)
_ATTACHMENTS = f"child_id = :child OR concern_id IN ({_ALONE})"


def _concerns_of(conn: Connection, child_id: int, *, alone: bool) -> list[int]:
    if alone:
        sql = f"{_ALONE} ORDER BY concern_id"
    else:
        sql = (
            "SELECT DISTINCT concern_id FROM concern_children WHERE child_id = :child"
            f" AND concern_id NOT IN ({_ALONE}) ORDER BY concern_id"
        )
    return [int(row[0]) for row in conn.execute(sql, {"child": child_id})]


def delete_file(conn: Connection, child_id: int, at: str) -> None:
    """Delete the child's file as :func:`plan` describes it (inside the caller's
    transaction), children before parents, as the foreign keys need."""
    p = {"child": child_id}
    shared = _concerns_of(conn, child_id, alone=False)
    conn.execute(f"CREATE TEMP TABLE doomed_concerns AS {_ALONE}", p)
    conn.execute(
        f"CREATE TEMP TABLE doomed_referrals AS SELECT r.id FROM referrals r WHERE {_REFERRALS}",
        p,
    )
    conn.execute(
        f"CREATE TEMP TABLE doomed_decisions AS SELECT d.id FROM decisions d WHERE {_DECISIONS}",
        p,
    )
    try:
        steps = (
            "DELETE FROM follow_ups WHERE id IN"
            f" (SELECT f.id FROM follow_ups f WHERE {_FOLLOW_UPS})"
            " OR escalation_id IN (SELECT id FROM escalations WHERE referral_id IN"
            " (SELECT id FROM doomed_referrals))",
            "DELETE FROM escalations WHERE referral_id IN (SELECT id FROM doomed_referrals)",
            "DELETE FROM referral_outcomes WHERE referral_id IN (SELECT id FROM doomed_referrals)",
            "DELETE FROM referral_acknowledgements"
            " WHERE referral_id IN (SELECT id FROM doomed_referrals)",
            "DELETE FROM referrals WHERE id IN (SELECT id FROM doomed_referrals)",
            # A referral an earlier version made for a whole shared concern stays; the
            # decision it came from (this child's share of it) does not.
            "UPDATE referrals SET decision_id = NULL"
            " WHERE decision_id IN (SELECT id FROM doomed_decisions)",
            "DELETE FROM decisions WHERE id IN (SELECT id FROM doomed_decisions)",
            f"DELETE FROM actions WHERE {_ACTIONS}",
            "DELETE FROM attachment_data WHERE attachment_id IN"
            f" (SELECT id FROM attachments WHERE {_ATTACHMENTS})",
            f"DELETE FROM attachments WHERE {_ATTACHMENTS}",
            # Another child's action or follow-up on a concern about this child alone stays
            # in that child's file, no longer tied to the concern that goes.
            "UPDATE actions SET concern_id = NULL WHERE child_id IS NOT NULL"
            " AND concern_id IN (SELECT concern_id FROM doomed_concerns)",
            "UPDATE follow_ups SET concern_id = NULL WHERE child_id IS NOT NULL"
            " AND concern_id IN (SELECT concern_id FROM doomed_concerns)",
            # A sealed copy kept aside (a duplicate, or one accepted from the items not
            # accepted) would let the inbox key open the concern again.
            "DELETE FROM quarantine WHERE ref IN"
            " (SELECT ref FROM concerns WHERE id IN (SELECT concern_id FROM doomed_concerns))",
            "DELETE FROM amendments WHERE concern_id IN (SELECT concern_id FROM doomed_concerns)",
            "DELETE FROM concern_notices_done WHERE child_id = :child"
            " OR concern_id IN (SELECT concern_id FROM doomed_concerns)",
            "DELETE FROM concern_categories"
            " WHERE concern_id IN (SELECT concern_id FROM doomed_concerns)",
            "DELETE FROM concern_search WHERE rowid IN (SELECT concern_id FROM doomed_concerns)",
            "DELETE FROM concern_children"
            " WHERE concern_id IN (SELECT concern_id FROM doomed_concerns)",
            "DELETE FROM concerns WHERE id IN (SELECT concern_id FROM doomed_concerns)",
            # Shared concerns stay for the other children, unlinked from this one.
            "UPDATE concern_children SET child_id = NULL, suggested_child_id = NULL,"
            " file_deleted_at = :at WHERE child_id = :child",
            "UPDATE concern_children SET suggested_child_id = NULL"
            " WHERE suggested_child_id = :child",
            "DELETE FROM household_members WHERE child_id = :child",
            "DELETE FROM professionals WHERE child_id = :child",
            "DELETE FROM child_statuses WHERE child_id = :child",
            "DELETE FROM child_history WHERE child_id = :child",
            "DELETE FROM subject_access_withheld WHERE request_id IN"
            " (SELECT id FROM subject_access_requests WHERE child_id = :child)",
            "DELETE FROM subject_access_terms WHERE request_id IN"
            " (SELECT id FROM subject_access_requests WHERE child_id = :child)",
            "DELETE FROM subject_access_requests WHERE child_id = :child",
            "INSERT OR IGNORE INTO transfers_deleted (transfer_id, deleted_at)"
            " SELECT transfer_id, :at FROM transfers_received WHERE child_id = :child",
            "DELETE FROM transferred_items WHERE child_id = :child",
            "DELETE FROM transfers_received WHERE child_id = :child",
            "DELETE FROM transfers_sent WHERE child_id = :child",
            "DELETE FROM retention_dates WHERE child_id = :child",
            "DELETE FROM legal_holds WHERE child_id = :child",
            "DELETE FROM children WHERE id = :child",
        )
        for sql in steps:
            conn.execute(sql, {**p, "at": at})
        # The kept concerns' search entries held this child's record name too.
        for concern_id in shared:
            reindex_concern(conn, concern_id)
    finally:
        # Never in the way of the error that stopped the steps (a full disk rolls the
        # transaction back, and the temporary tables with it).
        with suppress(DatabaseError):
            for table in ("doomed_concerns", "doomed_referrals", "doomed_decisions"):
                conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


def deleted_concern_refs(conn: Connection) -> frozenset[str]:
    """The reference of every concern deleted with a child's file, read from the audit
    log's tombstones (``child_file_deleted``): an append-only, hash-chained record that
    deletions made before this was read count too. Ingest refuses these references,
    so a sealed copy put back (an old inbox.db, a station's file) never brings a deleted
    concern back."""
    rows = conn.execute(
        "SELECT DISTINCT j.value FROM audit_log a, json_each(a.detail, '$.concerns') j"
        " WHERE a.action = 'child_file_deleted' AND j.type = 'text'"
    )
    return frozenset(str(row[0]) for row in rows)


def reclaim_space(conn: Connection) -> None:
    """Give the deleted pages back: the search index merged (a contentless index only
    marks what is deleted until its segments are merged), the file rewritten without the
    freed pages (outside any transaction), then the write-ahead log emptied."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("INSERT INTO concern_search (concern_search) VALUES ('optimize')")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with suppress(DatabaseError):
                conn.execute("ROLLBACK")
        raise
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
