"""What the DSL adds beside a concern: actions, follow-ups, amendments, decisions, referrals.

Nothing here changes a concern's submitted text. Rows are only ever added, except a
follow-up's "done" fields, a referral's sending and response, and a concern's status.
"""

from __future__ import annotations

import json
from datetime import date

from ..domain.casework import ActionKind, ConcernStatus, NewAction, NewAmendment
from ..domain.records import (
    ActionRecord,
    AmendmentRecord,
    DecisionRecord,
    FollowUpRecord,
    ReferralRecord,
)
from ..domain.referral import ReferralContent, ReferralKind, ReferralStatus
from .case_database import Connection
from .case_records import utc_now
from .concern_search import reindex_concern

# Concerns -------------------------------------------------------------------------------


def concern_id_for_ref(conn: Connection, ref: str) -> int | None:
    row = conn.execute("SELECT id FROM concerns WHERE ref = ?", (ref,)).fetchone()
    return int(row[0]) if row else None


def concern_ref(conn: Connection, concern_id: int) -> str:
    row = conn.execute("SELECT ref FROM concerns WHERE id = ?", (concern_id,)).fetchone()
    return str(row[0]) if row else ""


def set_concern_status(conn: Connection, concern_id: int, status: ConcernStatus) -> None:
    conn.execute("UPDATE concerns SET status = ? WHERE id = ?", (status.value, concern_id))


def count_by_status(conn: Connection) -> dict[ConcernStatus, int]:
    rows = conn.execute("SELECT status, count(*) FROM concerns GROUP BY status").fetchall()
    counts = dict.fromkeys(ConcernStatus, 0)
    for status, n in rows:
        counts[ConcernStatus(str(status))] = int(n)
    return counts


# Actions ----------------------------------------------------------------------------


def add_action(
    conn: Connection,
    action: NewAction,
    *,
    child_id: int | None,
    concern_id: int | None,
    by: str,
    decision_id: int | None = None,
) -> int:
    cursor = conn.execute(
        "INSERT INTO actions (child_id, concern_id, kind, occurred_at, who, details, outcome,"
        " recorded_at, recorded_by, decision_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            child_id,
            concern_id,
            action.kind.value,
            action.occurred_at.isoformat(),
            action.who,
            action.details,
            action.outcome,
            utc_now(),
            by,
            decision_id,
        ),
    )
    return int(cursor.lastrowid or 0)


_ACTION_COLUMNS = (
    "id, child_id, concern_id, kind, occurred_at, who, details, outcome, recorded_at,"
    " recorded_by, decision_id"
)


def _action(row: tuple[object, ...]) -> ActionRecord:
    aid, child, concern, kind, occurred, who, details, outcome, rec_at, rec_by, decision = row
    return ActionRecord(
        action_id=int(str(aid)),
        child_id=int(str(child)) if child is not None else None,
        concern_id=int(str(concern)) if concern is not None else None,
        kind=ActionKind(str(kind)),
        occurred_at=str(occurred),
        who=str(who),
        details=str(details),
        outcome=str(outcome),
        recorded_at=str(rec_at),
        recorded_by=str(rec_by),
        decision_id=int(str(decision)) if decision is not None else None,
    )


def actions_for_concern(conn: Connection, concern_id: int) -> list[ActionRecord]:
    rows = conn.execute(
        f"SELECT {_ACTION_COLUMNS} FROM actions WHERE concern_id = ? ORDER BY occurred_at, id",
        (concern_id,),
    ).fetchall()
    return [_action(r) for r in rows]


# Follow-ups -------------------------------------------------------------------------


def add_follow_up(
    conn: Connection,
    *,
    due_on: date,
    what: str,
    child_id: int | None,
    concern_id: int | None,
    by: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO follow_ups (child_id, concern_id, due_on, what, created_at, created_by)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (child_id, concern_id, due_on.isoformat(), what, utc_now(), by),
    )
    return int(cursor.lastrowid or 0)


def complete_follow_up(conn: Connection, follow_up_id: int, by: str, note: str) -> bool:
    cursor = conn.execute(
        "UPDATE follow_ups SET done_at = ?, done_by = ?, done_note = ?"
        " WHERE id = ? AND done_at IS NULL",
        (utc_now(), by, note, follow_up_id),
    )
    return cursor.rowcount == 1


_FOLLOW_UP_SELECT = (
    "SELECT f.id, f.child_id, f.concern_id, f.due_on, f.what, f.created_at, f.created_by,"
    " f.done_at, f.done_by, f.done_note, coalesce(ch.name, ''), coalesce(c.ref, '')"
    " FROM follow_ups f LEFT JOIN children ch ON ch.id = f.child_id"
    " LEFT JOIN concerns c ON c.id = f.concern_id"
)


def _follow_up(row: tuple[object, ...]) -> FollowUpRecord:
    fid, child, concern, due, what, created, by, done, done_by, note, name, ref = row
    return FollowUpRecord(
        follow_up_id=int(str(fid)),
        child_id=int(str(child)) if child is not None else None,
        concern_id=int(str(concern)) if concern is not None else None,
        due_on=date.fromisoformat(str(due)),
        what=str(what),
        created_at=str(created),
        created_by=str(by),
        done_at=str(done) if done is not None else None,
        done_by=str(done_by) if done_by is not None else None,
        done_note=str(note) if note is not None else None,
        child_name=str(name),
        concern_ref=str(ref),
    )


def get_follow_up(conn: Connection, follow_up_id: int) -> FollowUpRecord | None:
    row = conn.execute(_FOLLOW_UP_SELECT + " WHERE f.id = ?", (follow_up_id,)).fetchone()
    return _follow_up(row) if row is not None else None


def open_follow_ups(
    conn: Connection, *, due_by: date | None = None, limit: int = 500
) -> list[FollowUpRecord]:
    """Follow-ups not yet done, soonest first; only those due by ``due_by`` if given."""
    where = " WHERE f.done_at IS NULL"
    params: list[object] = []
    if due_by is not None:
        where += " AND f.due_on <= ?"
        params.append(due_by.isoformat())
    rows = conn.execute(
        _FOLLOW_UP_SELECT + where + " ORDER BY f.due_on, f.id LIMIT ?", (*params, limit)
    ).fetchall()
    return [_follow_up(r) for r in rows]


def count_open_follow_ups(conn: Connection, *, due_before: date) -> int:
    return int(
        conn.execute(
            "SELECT count(*) FROM follow_ups WHERE done_at IS NULL AND due_on < ?",
            (due_before.isoformat(),),
        ).fetchone()[0]
    )


def follow_ups_for(
    conn: Connection, *, child_id: int | None = None, concern_id: int | None = None
) -> list[FollowUpRecord]:
    """A child's follow-ups (their own, and those of concerns linked to them), or a concern's."""
    params: tuple[object, ...]
    if child_id is not None:
        # A follow-up set from a concern belongs to every child linked to that concern.
        where = (
            " WHERE f.child_id = ? OR (f.child_id IS NULL AND f.concern_id IN"
            " (SELECT concern_id FROM concern_children WHERE child_id = ?))"
        )
        params = (child_id, child_id)
    elif concern_id is not None:
        where, params = " WHERE f.concern_id = ?", (concern_id,)
    else:
        raise ValueError("give child_id or concern_id")
    rows = conn.execute(_FOLLOW_UP_SELECT + where + " ORDER BY f.due_on, f.id", params).fetchall()
    return [_follow_up(r) for r in rows]


# Amendments -------------------------------------------------------------------------


def add_amendment(conn: Connection, concern_id: int, amendment: NewAmendment, by: str) -> int:
    cursor = conn.execute(
        "INSERT INTO amendments (concern_id, field, new_value, reason, amended_at, amended_by)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (concern_id, amendment.field, amendment.new_value, amendment.reason, utc_now(), by),
    )
    reindex_concern(conn, concern_id)
    return int(cursor.lastrowid or 0)


def amendments_for(conn: Connection, concern_id: int) -> list[AmendmentRecord]:
    rows = conn.execute(
        "SELECT id, concern_id, field, new_value, reason, amended_at, amended_by"
        " FROM amendments WHERE concern_id = ? ORDER BY id",
        (concern_id,),
    ).fetchall()
    return [
        AmendmentRecord(int(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), str(r[6]))
        for r in rows
    ]


# Decisions --------------------------------------------------------------------------


def add_decision(
    conn: Connection,
    *,
    concern_id: int,
    outcome: str,
    reason: str,
    details: dict[str, object],
    review_on: date | None,
    decided_at: str,
    by: str,
    by_name: str,
    child_position: int,
) -> int:
    cursor = conn.execute(
        "INSERT INTO decisions (concern_id, child_position, outcome, reason, details,"
        " review_on, decided_at, decided_by, decided_by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            concern_id,
            child_position,
            outcome,
            reason,
            json.dumps(details, ensure_ascii=False, sort_keys=True),
            review_on.isoformat() if review_on else None,
            decided_at,
            by,
            by_name,
        ),
    )
    return int(cursor.lastrowid or 0)


_DECISION_COLUMNS = (
    "id, concern_id, outcome, reason, details, review_on, decided_at, decided_by,"
    " decided_by_name, child_position, migrated"
)


def _decision(row: tuple[object, ...]) -> DecisionRecord:
    did, concern, outcome, reason, details, review, at, by, name, position, migrated = row
    return DecisionRecord(
        decision_id=int(str(did)),
        concern_id=int(str(concern)),
        outcome=str(outcome),
        reason=str(reason),
        details=json.loads(str(details)),
        review_on=date.fromisoformat(str(review)) if review else None,
        decided_at=str(at),
        decided_by=str(by),
        decided_by_name=str(name),
        child_position=int(str(position)) if position is not None else None,
        migrated=bool(migrated),
    )


def decisions_for(conn: Connection, concern_id: int) -> list[DecisionRecord]:
    rows = conn.execute(
        f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE concern_id = ? ORDER BY id",
        (concern_id,),
    ).fetchall()
    return [_decision(r) for r in rows]


# Referrals --------------------------------------------------------------------------


def add_referral(
    conn: Connection,
    *,
    ref: str,
    concern_id: int,
    decision_id: int | None,
    kind: ReferralKind,
    content: ReferralContent,
    extra: dict[str, object],
    by: str,
    child_position: int | None,
) -> int:
    cursor = conn.execute(
        "INSERT INTO referrals (ref, concern_id, child_position, decision_id, kind, content,"
        " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ref,
            concern_id,
            child_position,
            decision_id,
            kind.value,
            json.dumps({"content": content.to_json(), "extra": extra}, ensure_ascii=False),
            utc_now(),
            by,
        ),
    )
    return int(cursor.lastrowid or 0)


def referral_ref_taken(conn: Connection, ref: str) -> bool:
    return conn.execute("SELECT 1 FROM referrals WHERE ref = ?", (ref,)).fetchone() is not None


def update_referral_content(
    conn: Connection, referral_id: int, content: ReferralContent, extra: dict[str, object]
) -> None:
    conn.execute(
        "UPDATE referrals SET content = ? WHERE id = ?",
        (
            json.dumps({"content": content.to_json(), "extra": extra}, ensure_ascii=False),
            referral_id,
        ),
    )


def mark_referral_sent(conn: Connection, referral_id: int, pdf_sha256: str) -> None:
    conn.execute(
        "UPDATE referrals SET status = CASE WHEN status = 'closed' THEN 'closed' ELSE 'sent' END,"
        " sent_at = ?, pdf_sha256 = ? WHERE id = ?",
        (utc_now(), pdf_sha256, referral_id),
    )


def close_referral(conn: Connection, referral_id: int, response: str) -> None:
    conn.execute(
        "UPDATE referrals SET status = 'closed', response = ?, closed_at = ? WHERE id = ?",
        (response, utc_now(), referral_id),
    )


_REFERRAL_SELECT = (
    "SELECT r.id, r.ref, r.concern_id, r.decision_id, r.kind, r.content, r.status, r.created_at,"
    " r.created_by, r.sent_at, r.pdf_sha256, r.response, r.closed_at, c.ref, r.child_position"
    " FROM referrals r JOIN concerns c ON c.id = r.concern_id"
)


def _referral(row: tuple[object, ...]) -> ReferralRecord:
    (
        rid,
        ref,
        concern,
        decision,
        kind,
        content,
        status,
        created,
        by,
        sent,
        sha,
        resp,
        closed,
        cref,
        position,
    ) = row
    data = json.loads(str(content))
    return ReferralRecord(
        referral_id=int(str(rid)),
        ref=str(ref),
        concern_id=int(str(concern)),
        decision_id=int(str(decision)) if decision is not None else None,
        kind=ReferralKind(str(kind)),
        content=ReferralContent(**data["content"]),
        status=ReferralStatus(str(status)),
        created_at=str(created),
        created_by=str(by),
        sent_at=str(sent) if sent is not None else None,
        pdf_sha256=str(sha) if sha is not None else None,
        response=str(resp) if resp is not None else None,
        closed_at=str(closed) if closed is not None else None,
        extra=dict(data.get("extra") or {}),
        concern_ref=str(cref),
        child_position=int(str(position)) if position is not None else None,
    )


def referrals_for(conn: Connection, concern_id: int) -> list[ReferralRecord]:
    rows = conn.execute(
        _REFERRAL_SELECT + " WHERE r.concern_id = ? ORDER BY r.id", (concern_id,)
    ).fetchall()
    return [_referral(r) for r in rows]


def get_referral(conn: Connection, ref: str) -> ReferralRecord | None:
    row = conn.execute(_REFERRAL_SELECT + " WHERE r.ref = ?", (ref,)).fetchone()
    return _referral(row) if row else None


def open_referrals(conn: Connection, limit: int = 500) -> list[ReferralRecord]:
    rows = conn.execute(
        _REFERRAL_SELECT
        + " WHERE r.status != 'closed' ORDER BY r.created_at DESC, r.id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [_referral(r) for r in rows]


def count_open_referrals(conn: Connection) -> int:
    return int(
        conn.execute("SELECT count(*) FROM referrals WHERE status != 'closed'").fetchone()[0]
    )
