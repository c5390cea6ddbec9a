"""What happens after a referral, for one child: the agency's acknowledgement, each outcome
and whether the lead agrees, escalation under the local resolution policy, and the chase.

Working Together 2023: children's social care decides within one working day of a
referral and tells the referrer. So a social care referral comes with a chase, due that
many working days later (Settings: one unless changed; working days skip weekends and
the bank holidays of the organisation's UK nation), which closes itself, with a note
saying why, once an outcome is recorded. An outcome the lead disagrees with opens an
escalation at stage 1 with its own follow-up; raising it to the next stage, or recording
its result, closes that follow-up the same way. Every rule is checked here (and in the
domain's checked constructors), whoever calls: a screen may only check early.

Each change is one transaction with its audit entry (references and ids, never text).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from ..domain.date_words import long_date
from ..domain.errors import BadInput
from ..domain.records import ReferralRecord
from ..domain.referral_outcome import (
    Acknowledgement,
    EscalationResult,
    NewEscalation,
    NewOutcome,
    ReferralProgress,
    referred_on,
)
from ..storage import (
    after_referral_records,
    audit_log,
    case_records,
    casework_records,
    children_records,
)
from ..storage.case_database import Connection
from .casework_settings import read_settings
from .changes import Changes

if TYPE_CHECKING:
    from .session import CaseSession


def chase_due(conn: Connection, made_on: date) -> date:
    """When the chase for a social care referral made on ``made_on`` falls due."""
    return read_settings(conn).chase_due(made_on)


def add_chase(
    conn: Connection,
    *,
    referral_id: int,
    referral_ref: str,
    concern_id: int,
    child_position: int | None,
    made_on: date,
    by: str,
) -> int:
    """The chase for a social care referral's outcome (inside the caller's transaction)."""
    return after_referral_records.add_follow_up(
        conn,
        due_on=chase_due(conn, made_on),
        what=(
            f"Chase children's social care for their decision on referral {referral_ref}: "
            "they should decide within one working day and tell you."
        ),
        child_id=_child_id(conn, concern_id, child_position),
        concern_id=concern_id,
        by=by,
        referral_id=referral_id,
    )


def progress(session: CaseSession, referral_ids: list[int]) -> dict[int, ReferralProgress]:
    """What has been recorded after each referral; not audited (the concern's opening is)."""
    return after_referral_records.progress_for(session.conn, referral_ids)


def acknowledge(
    session: CaseSession, referral_ref: str, acknowledgement: Acknowledgement
) -> Changes:
    """The agency has the referral: when, who said so, their reference."""
    record = _referral(session, referral_ref)
    checked = Acknowledgement.checked(
        **vars(acknowledgement), today=date.today(), referred_on=referred_on(record.created_at)
    )
    conn = session.conn
    with case_records.transaction(conn):
        ack_id = after_referral_records.add_acknowledgement(
            conn, record.referral_id, checked, session.user.username
        )
        audit_log.append(
            conn,
            session.user.username,
            "referral_acknowledged",
            {"referral": record.ref, "ref": record.concern_ref, "acknowledgement_id": ack_id},
        )
    return _changes(session, record)


def record_outcome(session: CaseSession, referral_ref: str, outcome: NewOutcome) -> Changes:
    """One outcome of the referral, dated, with the lead's view; a disagreement opens an
    escalation at its stage with a follow-up. The chase for an outcome closes itself."""
    record = _referral(session, referral_ref)
    today = date.today()
    checked = NewOutcome.checked(
        **vars(outcome), kind=record.kind, today=today, referred_on=referred_on(record.created_at)
    )
    conn = session.conn
    who = session.user.username
    with case_records.transaction(conn):
        outcome_id = after_referral_records.add_outcome(conn, record.referral_id, checked, who)
        after_referral_records.mark_answered(conn, record.referral_id)
        closed = after_referral_records.close_chases(
            conn,
            record.referral_id,
            who,
            f"Closed by itself: the outcome ({checked.outcome.label.lower()}, "
            f"{long_date(checked.decided_on)}) was recorded on {long_date(today)}.",
        )
        detail: dict[str, object] = {
            "referral": record.ref,
            "ref": record.concern_ref,
            "outcome_id": outcome_id,
            "outcome": checked.outcome.value,
            "lead_agrees": checked.lead_agrees,
            "closed_follow_ups": closed,
        }
        follow_ups = list(closed)
        if checked.escalation is not None:
            escalation_id, follow_up_id = _open_escalation(
                session, record, outcome_id, checked.escalation
            )
            detail["escalation_id"] = escalation_id
            detail["follow_up_id"] = follow_up_id
            follow_ups.append(follow_up_id)
        audit_log.append(conn, who, "referral_outcome", detail)
    return _changes(session, record, follow_ups)


def raise_to_next_stage(
    session: CaseSession, escalation_id: int, escalation: NewEscalation
) -> Changes:
    """The challenge was not resolved at its stage: raise it with someone more senior.

    The stage before ends with a result saying so, and its follow-up closes itself.
    """
    conn = session.conn
    previous = after_referral_records.get_escalation(conn, escalation_id)
    if previous is None:
        raise BadInput("There is no such escalation.", "escalation")
    if not previous.is_open:
        raise BadInput(
            "That stage of the escalation has a result already; nothing is open to raise.",
            "stage",
        )
    following = previous.stage.next
    if following is None:
        raise BadInput(
            "That is the last stage of the resolution policy: record its result.", "stage"
        )
    record = _referral_by_id(session, previous.referral_id)
    checked = NewEscalation.checked(
        **vars(escalation), today=date.today(), referred_on=previous.raised_on
    )
    if checked.stage is not following:
        raise BadInput(
            f"The next stage is {following.label[0].lower()}{following.label[1:]}.", "stage"
        )
    who = session.user.username
    with case_records.transaction(conn):
        ended = EscalationResult(
            result=f"Not resolved at this stage: raised to stage {int(following)} with "
            f"{checked.to_whom} on {long_date(checked.raised_on)}.",
            result_on=checked.raised_on,
        )
        after_referral_records.set_escalation_result(conn, previous.escalation_id, ended, who)
        closed = after_referral_records.close_escalation_follow_ups(
            conn,
            previous.escalation_id,
            who,
            f"Closed by itself: the escalation was raised to stage {int(following)} on "
            f"{long_date(checked.raised_on)}.",
        )
        new_id, follow_up_id = _open_escalation(session, record, previous.outcome_id, checked)
        audit_log.append(
            conn,
            who,
            "escalation_raised",
            {
                "referral": record.ref,
                "ref": record.concern_ref,
                "escalation_id": new_id,
                "stage": int(checked.stage),
                "previous": previous.escalation_id,
                "follow_up_id": follow_up_id,
                "closed_follow_ups": closed,
            },
        )
    return _changes(session, record, [*closed, follow_up_id])


def record_escalation_result(
    session: CaseSession, escalation_id: int, result: EscalationResult
) -> Changes:
    """How the challenge ended at its stage; its follow-up closes itself."""
    conn = session.conn
    escalation = after_referral_records.get_escalation(conn, escalation_id)
    if escalation is None:
        raise BadInput("There is no such escalation.", "escalation")
    if not escalation.is_open:
        raise BadInput("That stage of the escalation already has its result.", "result")
    checked = EscalationResult.checked(
        **vars(result), today=date.today(), raised_on=escalation.raised_on
    )
    record = _referral_by_id(session, escalation.referral_id)
    who = session.user.username
    with case_records.transaction(conn):
        after_referral_records.set_escalation_result(conn, escalation_id, checked, who)
        closed = after_referral_records.close_escalation_follow_ups(
            conn,
            escalation_id,
            who,
            f"Closed by itself: the escalation's result ({long_date(checked.result_on)}) "
            f"was recorded on {long_date(date.today())}.",
        )
        audit_log.append(
            conn,
            who,
            "escalation_result",
            {
                "referral": record.ref,
                "ref": record.concern_ref,
                "escalation_id": escalation_id,
                "closed_follow_ups": closed,
            },
        )
    return _changes(session, record, closed)


# ---------------------------------------------------------------------------------------


def _open_escalation(
    session: CaseSession, record: ReferralRecord, outcome_id: int | None, escalation: NewEscalation
) -> tuple[int, int]:
    """A new stage and its follow-up (inside the caller's transaction)."""
    conn = session.conn
    who = session.user.username
    escalation_id = after_referral_records.add_escalation(
        conn, record.referral_id, outcome_id, escalation, who
    )
    follow_up_id = after_referral_records.add_follow_up(
        conn,
        due_on=escalation.follow_up_on,
        what=(
            f"Escalation about referral {record.ref}, stage {int(escalation.stage)}: ask "
            f"{escalation.to_whom} for their answer; if it is not resolved, raise it to the "
            "next stage."
        ),
        child_id=_child_id(conn, record.concern_id, record.child_position),
        concern_id=record.concern_id,
        by=who,
        referral_id=record.referral_id,
        escalation_id=escalation_id,
    )
    return escalation_id, follow_up_id


def _referral(session: CaseSession, referral_ref: str) -> ReferralRecord:
    record = casework_records.get_referral(session.conn, referral_ref.strip().upper())
    if record is None:
        raise BadInput("There is no referral with that reference.", "referral")
    return record


def _referral_by_id(session: CaseSession, referral_id: int) -> ReferralRecord:
    ref = after_referral_records.referral_ref(session.conn, referral_id)
    return _referral(session, ref)


def _child_id(conn: Connection, concern_id: int, position: int | None) -> int | None:
    """The child record the referral is about, when that child is linked."""
    if position is None:
        return None
    for link in children_records.links_for_concern(conn, concern_id):
        if link.position == position:
            return link.child_id
    return None


def _changes(
    session: CaseSession, record: ReferralRecord, follow_ups: Iterable[int] = ()
) -> Changes:
    """The referral, its concern, every child linked to the concern (their files show
    its follow-ups and chronology), and the follow-ups made or closed."""
    conn = session.conn
    linked = [link.child_id for link in children_records.links_for_concern(conn, record.concern_id)]
    return Changes.of(
        concerns=[record.concern_ref],
        children=linked,
        referrals=[record.ref],
        follow_ups=follow_ups,
    )
