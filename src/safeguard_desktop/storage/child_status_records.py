"""A child's statuses and Home's notices about new concerns (migration 8).

A status row is only added, and later given its end date once; an early help plan's
review is a follow-up carrying the status's id, closed with a note when the plan ends.
A notice on Home is worked out from the concerns, links and statuses whenever Home is
read (nothing to keep in step), and a row here says a lead has dealt with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from ..domain.child_status import (
    PATTERN_CONCERNS,
    PATTERN_IGNORED_CATEGORIES,
    ConcernNotice,
    NewStatus,
    Notice,
    StatusKind,
    StatusRecord,
    pattern_window_start,
)
from .case_database import Connection
from .case_records import utc_now

# Home looks at this many of the newest concerns not closed: a notice is about a new
# concern, and Home must stay quick on a store of 100,000.
NOTICE_CANDIDATES = 300

_COLUMNS = "id, child_id, kind, started_on, ended_on, details, recorded_at, recorded_by, ended_by"


def add_status(conn: Connection, child_id: int, status: NewStatus, by: str) -> int:
    details = {
        "lead_professional": status.lead_professional,
        "virtual_school_contact": status.virtual_school_contact,
        "review_on": status.review_on.isoformat() if status.review_on else None,
        "note": status.note,
    }
    cursor = conn.execute(
        "INSERT INTO child_statuses (child_id, kind, started_on, details, recorded_at,"
        " recorded_by) VALUES (?, ?, ?, ?, ?, ?)",
        (
            child_id,
            status.kind.value,
            status.started_on.isoformat(),
            json.dumps(details, ensure_ascii=False),
            utc_now(),
            by,
        ),
    )
    return int(cursor.lastrowid or 0)


def add_review_follow_up(
    conn: Connection, *, child_id: int, status_id: int, due_on: date, what: str, by: str
) -> int:
    cursor = conn.execute(
        "INSERT INTO follow_ups (child_id, due_on, what, created_at, created_by, status_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (child_id, due_on.isoformat(), what, utc_now(), by, status_id),
    )
    return int(cursor.lastrowid or 0)


def end_status(conn: Connection, status_id: int, ended_on: date, by: str) -> bool:
    """Give a current status its end date; False if it had ended already."""
    cursor = conn.execute(
        "UPDATE child_statuses SET ended_on = ?, ended_at = ?, ended_by = ?"
        " WHERE id = ? AND ended_on IS NULL",
        (ended_on.isoformat(), utc_now(), by, status_id),
    )
    return cursor.rowcount == 1


def close_review_follow_ups(conn: Connection, status_id: int, by: str, note: str) -> list[int]:
    """Close a status's open review follow-ups (it has ended); the ids closed."""
    ids = [
        int(row[0])
        for row in conn.execute(
            "SELECT id FROM follow_ups WHERE done_at IS NULL AND status_id = ? ORDER BY id",
            (status_id,),
        )
    ]
    if ids:
        conn.execute(
            "UPDATE follow_ups SET done_at = ?, done_by = ?, done_note = ?"
            f" WHERE id IN ({', '.join('?' * len(ids))})",
            (utc_now(), by, note, *ids),
        )
    return ids


def _status(row: tuple[object, ...]) -> StatusRecord:
    sid, child, kind, started, ended, details, at, by, ended_by = row
    extra = json.loads(str(details))
    review = extra.get("review_on")
    return StatusRecord(
        status_id=int(str(sid)),
        child_id=int(str(child)),
        status=NewStatus(
            kind=StatusKind(str(kind)),
            started_on=date.fromisoformat(str(started)),
            lead_professional=str(extra.get("lead_professional") or ""),
            virtual_school_contact=str(extra.get("virtual_school_contact") or ""),
            review_on=date.fromisoformat(review) if isinstance(review, str) else None,
            note=str(extra.get("note") or ""),
        ),
        recorded_at=str(at),
        recorded_by=str(by),
        ended_on=date.fromisoformat(str(ended)) if ended is not None else None,
        ended_by=str(ended_by) if ended_by is not None else None,
    )


def get_status(conn: Connection, status_id: int) -> StatusRecord | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM child_statuses WHERE id = ?", (status_id,)
    ).fetchone()
    return _status(row) if row is not None else None


def statuses_for(conn: Connection, child_id: int) -> list[StatusRecord]:
    """Every status the child has had: current ones first, then by start date, newest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM child_statuses WHERE child_id = ?"
        " ORDER BY ended_on IS NOT NULL, started_on DESC, id DESC",
        (child_id,),
    ).fetchall()
    return [_status(r) for r in rows]


def current_statuses(conn: Connection, child_ids: Iterable[int]) -> dict[int, list[StatusRecord]]:
    """The current statuses of each child, by child id (a child with none is left out)."""
    ids = sorted(set(child_ids))
    found: dict[int, list[StatusRecord]] = {}
    if not ids:
        return found
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM child_statuses WHERE ended_on IS NULL"
        f" AND child_id IN ({', '.join('?' * len(ids))}) ORDER BY started_on DESC, id DESC",
        ids,
    ).fetchall()
    for row in rows:
        record = _status(row)
        found.setdefault(record.child_id, []).append(record)
    return found


def current_counts(conn: Connection) -> dict[StatusKind, int]:
    """How many children hold each status now (a child counted once per kind)."""
    counts = dict.fromkeys(StatusKind, 0)
    for kind, count in conn.execute(
        "SELECT kind, count(DISTINCT child_id) FROM child_statuses WHERE ended_on IS NULL"
        " GROUP BY kind"
    ):
        if str(kind) in StatusKind._value2member_map_:
            counts[StatusKind(str(kind))] = int(count)
    return counts


def started_between(conn: Connection, start: date, end: date) -> dict[StatusKind, int]:
    """How many statuses started in ``start``..``end`` (inclusive), by kind."""
    counts = dict.fromkeys(StatusKind, 0)
    for kind, count in conn.execute(
        "SELECT kind, count(*) FROM child_statuses WHERE started_on BETWEEN ? AND ? GROUP BY kind",
        (start.isoformat(), end.isoformat()),
    ):
        if str(kind) in StatusKind._value2member_map_:
            counts[StatusKind(str(kind))] = int(count)
    return counts


# Home's notices ---------------------------------------------------------------------------


def notices(conn: Connection) -> list[ConcernNotice]:
    """The notices no lead has dealt with, about the newest concerns not closed.

    Open plan: a linked child holds a current plan with a lead professional. Pattern: a
    linked child has had PATTERN_CONCERNS or more concerns in one category (other than
    those ignored) within the window ending on this concern's day, this one included.
    """
    candidates = conn.execute(
        "SELECT c.id, c.ref, c.occurred_at, l.child_id, ch.name, c.categories"
        " FROM (SELECT id, ref, occurred_at, categories FROM concerns WHERE status != 'closed'"
        "       ORDER BY id DESC LIMIT ?) c"
        " JOIN concern_children l ON l.concern_id = c.id AND l.child_id IS NOT NULL"
        " JOIN children ch ON ch.id = l.child_id"
        " ORDER BY c.id DESC, l.position",
        (NOTICE_CANDIDATES,),
    ).fetchall()
    if not candidates:
        return []
    done = {
        (int(concern), int(child), str(notice))
        for concern, child, notice in conn.execute(
            "SELECT concern_id, child_id, notice FROM concern_notices_done"
            f" WHERE concern_id IN ({', '.join('?' * len(candidates))})",
            [int(r[0]) for r in candidates],
        )
    }
    plans = current_statuses(conn, (int(r[3]) for r in candidates))
    found: list[ConcernNotice] = []
    seen: set[tuple[int, int]] = set()
    for concern_id, ref, occurred, child_id, name, categories in candidates:
        key = (int(concern_id), int(child_id))
        if key in seen:  # a child named twice in one concern
            continue
        seen.add(key)
        open_plans = tuple(
            record.words()
            for record in plans.get(int(child_id), [])
            if record.kind.has_lead_professional
        )
        if open_plans and (*key, Notice.OPEN_PLAN.value) not in done:
            found.append(
                ConcernNotice(Notice.OPEN_PLAN, str(ref), key[0], key[1], str(name), open_plans)
            )
        if (*key, Notice.PATTERN.value) not in done:
            repeated = _repeated(conn, str(categories), key[1], str(occurred))
            if repeated:
                found.append(
                    ConcernNotice(Notice.PATTERN, str(ref), key[0], key[1], str(name), repeated)
                )
    return found


def _repeated(conn: Connection, categories: str, child_id: int, occurred: str) -> tuple[str, ...]:
    """This concern's categories that the child has had PATTERN_CONCERNS times in the window:
    from its first day to this concern's moment (domain.child_status.repeated_categories).

    One indexed count per category (the child's links, then the category's own index),
    never a scan: Home reads this for each of the newest concerns.
    """
    start = pattern_window_start(date.fromisoformat(occurred[:10])).isoformat()
    found = []
    for category in sorted(set(filter(None, categories.split(",")))):
        if category in PATTERN_IGNORED_CATEGORIES:
            continue
        (count,) = conn.execute(
            "SELECT count(DISTINCT link.concern_id) FROM concern_children link"
            " JOIN concern_categories cat"
            "   ON cat.category = ? AND cat.concern_id = link.concern_id"
            " JOIN concerns c ON c.id = link.concern_id"
            "   AND c.occurred_at >= ? AND c.occurred_at <= ?"
            " WHERE link.child_id = ?",
            (category, start, occurred, child_id),
        ).fetchone()
        if int(count) >= PATTERN_CONCERNS:
            found.append(category)
    return tuple(found)


def mark_notice_done(
    conn: Connection, concern_id: int, child_id: int, notice: Notice, by: str, note: str
) -> bool:
    """A lead has dealt with a notice; False if one had already."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO concern_notices_done (concern_id, child_id, notice, done_at,"
        " done_by, note) VALUES (?, ?, ?, ?, ?, ?)",
        (concern_id, child_id, notice.value, utc_now(), by, note),
    )
    return cursor.rowcount == 1
