"""A child's statuses, Home's notices about new concerns, and the history of the child's record.

A status (domain/child_status.py) is checked here whoever calls, added with its audit
entry in one transaction; an early help plan comes with a follow-up for its review,
which closes itself, with a note, when the plan ends. Home's notices are worked out from
the records each time Home is read; a lead deals with one (told the lead professional,
looked at the pattern) and it goes, audited.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..domain.child_history import HistoryRecord
from ..domain.child_status import (
    ConcernNotice,
    NewStatus,
    Notice,
    StatusKind,
    StatusRecord,
    checked_end,
)
from ..domain.date_words import long_date
from ..domain.errors import BadInput
from ..domain.text import clean_text
from ..storage import audit_log, case_records, child_status_records, children_records
from . import casework
from .changes import Added, Changes

if TYPE_CHECKING:
    from .session import CaseSession


def _known_child(session: CaseSession, child_id: int) -> None:
    if children_records.get_child(session.conn, child_id) is None:
        raise BadInput("There is no such child.", "child")


def statuses(session: CaseSession, child_id: int) -> list[StatusRecord]:
    """Every status the child has had, current ones first (read with the child's file)."""
    _known_child(session, child_id)
    return child_status_records.statuses_for(session.conn, child_id)


def current_statuses(session: CaseSession, child_ids: list[int]) -> dict[int, list[StatusRecord]]:
    """The current statuses of each of ``child_ids`` (a concern's linked children)."""
    return child_status_records.current_statuses(session.conn, child_ids)


def add_status(
    session: CaseSession, child_id: int, status: NewStatus, *, today: date | None = None
) -> Added:
    """Record a status; an early help plan's review date becomes a follow-up."""
    today = today or date.today()
    checked = NewStatus.checked(**vars(status), today=today)
    _known_child(session, child_id)
    conn = session.conn
    who = session.user.username
    with case_records.transaction(conn):
        status_id = child_status_records.add_status(conn, child_id, checked, who)
        detail: dict[str, object] = {
            "child_id": child_id,
            "status_id": status_id,
            "kind": checked.kind.value,
        }
        if checked.kind is StatusKind.EARLY_HELP_PLAN and checked.review_on is not None:
            detail["follow_up_id"] = child_status_records.add_review_follow_up(
                conn,
                child_id=child_id,
                status_id=status_id,
                due_on=checked.review_on,
                what="Early help plan review: check the plan with the lead professional and "
                "the family, and record what was agreed.",
                by=who,
            )
        audit_log.append(conn, who, "child_status_added", detail)
    follow_up = detail.get("follow_up_id")
    return Added(
        status_id,
        Changes.of(
            children=[child_id], follow_ups=[follow_up] if isinstance(follow_up, int) else []
        ),
    )


def end_status(
    session: CaseSession, status_id: int, ended_on: date, *, today: date | None = None
) -> Changes:
    """A status is over: its end date; an early help plan's open review closes itself."""
    today = today or date.today()
    conn = session.conn
    record = child_status_records.get_status(conn, status_id)
    if record is None:
        raise BadInput("There is no such status.", "status")
    if not record.is_current:
        raise BadInput("That status has ended already.", "ended_on")
    ended = checked_end(record.status.started_on, ended_on, today=today)
    who = session.user.username
    with case_records.transaction(conn):
        child_status_records.end_status(conn, status_id, ended, who)
        closed = child_status_records.close_review_follow_ups(
            conn,
            status_id,
            who,
            f"Closed by itself: the plan ended on {long_date(ended)}.",
        )
        audit_log.append(
            conn,
            who,
            "child_status_ended",
            {"child_id": record.child_id, "status_id": status_id, "closed_follow_ups": closed},
        )
    return Changes.of(children=[record.child_id], follow_ups=closed)


def status_counts(session: CaseSession) -> dict[StatusKind, int]:
    """How many children hold each status now, for the report."""
    return child_status_records.current_counts(session.conn)


def notices(session: CaseSession) -> list[ConcernNotice]:
    """Home's notices no lead has dealt with yet, newest concern first."""
    return child_status_records.notices(session.conn)


def notice_done(
    session: CaseSession, ref: str, child_id: int, notice: Notice | str, note: object = ""
) -> Changes:
    """A lead has dealt with a notice: told the lead professional (``note`` says whom and
    how, required), or looked at the pattern. The notice goes from Home; audited."""
    try:
        chosen = Notice(str(notice))
    except ValueError:
        raise BadInput("There is no such notice.", "notice") from None
    text = clean_text(note, "note", max_length=2_000, label="What you did").strip()
    if chosen is Notice.OPEN_PLAN and not text:
        raise BadInput(
            "Say who you told (the lead professional) and how, for example by phone today.",
            "note",
        )
    summary = casework.summary(session, ref)
    conn = session.conn
    pending = [
        n
        for n in child_status_records.notices(conn)
        if n.concern_id == summary.concern_id and n.child_id == child_id and n.notice is chosen
    ]
    if not pending:
        raise BadInput("That notice has been dealt with already, or does not apply.", "notice")
    who = session.user.username
    with case_records.transaction(conn):
        if child_status_records.mark_notice_done(
            conn, summary.concern_id, child_id, chosen, who, text
        ):
            audit_log.append(
                conn,
                who,
                "concern_notice_done",
                {"ref": summary.ref, "child_id": child_id, "notice": chosen.value},
            )
    return Changes.of(concerns=[summary.ref], children=[child_id])


def history(session: CaseSession, child_id: int) -> list[HistoryRecord]:
    """Every change kept for the child's record, newest first (read with the child's file)."""
    _known_child(session, child_id)
    return children_records.history(session.conn, child_id)
