"""What is recorded after a referral: acknowledgements, outcomes, escalations (migration 7).

Rows are only added, except an escalation's result and a referral's answered status,
filled in once, and a follow-up closing itself when a later record makes it moot. A
follow-up made for a referral (the chase for its outcome) or for an escalation carries
its id, so the record that makes it moot finds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..domain.referral_outcome import (
    Acknowledgement,
    AcknowledgementRecord,
    AgencyOutcome,
    ConferenceResult,
    EscalationRecord,
    EscalationResult,
    EscalationStage,
    NewEscalation,
    NewOutcome,
    OutcomeRecord,
    ReferralProgress,
)
from .case_database import Connection
from .case_records import utc_now


def add_acknowledgement(
    conn: Connection, referral_id: int, acknowledgement: Acknowledgement, by: str
) -> int:
    cursor = conn.execute(
        "INSERT INTO referral_acknowledgements (referral_id, acknowledged_on, acknowledged_by,"
        " their_reference, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)",
        (
            referral_id,
            acknowledgement.acknowledged_on.isoformat(),
            acknowledgement.by,
            acknowledgement.their_reference,
            utc_now(),
            by,
        ),
    )
    return int(cursor.lastrowid or 0)


def add_outcome(conn: Connection, referral_id: int, outcome: NewOutcome, by: str) -> int:
    cursor = conn.execute(
        "INSERT INTO referral_outcomes (referral_id, outcome, decided_on, note,"
        " conference_result, lead_agrees, recorded_at, recorded_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            referral_id,
            outcome.outcome.value,
            outcome.decided_on.isoformat(),
            outcome.note,
            outcome.conference_result.value if outcome.conference_result else None,
            int(outcome.lead_agrees),
            utc_now(),
            by,
        ),
    )
    return int(cursor.lastrowid or 0)


def mark_answered(conn: Connection, referral_id: int) -> None:
    """The agency has answered: the referral leaves those waiting for an answer."""
    conn.execute(
        "UPDATE referrals SET status = 'closed', closed_at = coalesce(closed_at, ?) WHERE id = ?",
        (utc_now(), referral_id),
    )


def add_escalation(
    conn: Connection,
    referral_id: int,
    outcome_id: int | None,
    escalation: NewEscalation,
    by: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO escalations (referral_id, outcome_id, stage, to_whom, raised_on, reason,"
        " recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            referral_id,
            outcome_id,
            int(escalation.stage),
            escalation.to_whom,
            escalation.raised_on.isoformat(),
            escalation.reason,
            utc_now(),
            by,
        ),
    )
    return int(cursor.lastrowid or 0)


def set_escalation_result(
    conn: Connection, escalation_id: int, result: EscalationResult, by: str
) -> bool:
    """Record how a stage ended; False if it had ended already (or does not exist)."""
    cursor = conn.execute(
        "UPDATE escalations SET result = ?, result_on = ?, result_recorded_at = ?,"
        " result_recorded_by = ? WHERE id = ? AND result IS NULL",
        (result.result, result.result_on.isoformat(), utc_now(), by, escalation_id),
    )
    return cursor.rowcount == 1


_ESCALATION_COLUMNS = (
    "id, referral_id, outcome_id, stage, to_whom, raised_on, reason, recorded_at, recorded_by,"
    " result, result_on"
)


def _escalation(row: tuple[object, ...]) -> EscalationRecord:
    eid, referral, outcome, stage, whom, raised, reason, at, by, result, result_on = row
    return EscalationRecord(
        escalation_id=int(str(eid)),
        referral_id=int(str(referral)),
        outcome_id=int(str(outcome)) if outcome is not None else None,
        stage=EscalationStage(int(str(stage))),
        to_whom=str(whom),
        raised_on=date.fromisoformat(str(raised)),
        reason=str(reason),
        recorded_at=str(at),
        recorded_by=str(by),
        result=str(result) if result is not None else None,
        result_on=date.fromisoformat(str(result_on)) if result_on is not None else None,
    )


def referral_ref(conn: Connection, referral_id: int) -> str:
    row = conn.execute("SELECT ref FROM referrals WHERE id = ?", (referral_id,)).fetchone()
    return str(row[0]) if row else ""


def get_escalation(conn: Connection, escalation_id: int) -> EscalationRecord | None:
    row = conn.execute(
        f"SELECT {_ESCALATION_COLUMNS} FROM escalations WHERE id = ?", (escalation_id,)
    ).fetchone()
    return _escalation(row) if row else None


def _outcome(row: tuple[object, ...]) -> OutcomeRecord:
    oid, referral, outcome, decided, note, result, agrees, at, by = row
    try:
        kind: AgencyOutcome | str = AgencyOutcome(str(outcome))
    except ValueError:
        kind = str(outcome)  # written by a newer version: shown as it is
    try:
        conference = ConferenceResult(str(result)) if result is not None else None
    except ValueError:
        conference = None
    return OutcomeRecord(
        outcome_id=int(str(oid)),
        referral_id=int(str(referral)),
        outcome=kind,
        decided_on=date.fromisoformat(str(decided)),
        note=str(note),
        conference_result=conference,
        lead_agrees=bool(agrees),
        recorded_at=str(at),
        recorded_by=str(by),
    )


def progress_for(conn: Connection, referral_ids: Iterable[int]) -> dict[int, ReferralProgress]:
    """Each referral's acknowledgements, outcomes and escalations, oldest first."""
    ids = sorted(set(referral_ids))
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    acknowledgements: dict[int, list[AcknowledgementRecord]] = {i: [] for i in ids}
    for aid, referral, on, who, reference, at, by in conn.execute(
        "SELECT id, referral_id, acknowledged_on, acknowledged_by, their_reference,"
        f" recorded_at, recorded_by FROM referral_acknowledgements WHERE referral_id IN ({marks})"
        " ORDER BY acknowledged_on, id",
        ids,
    ):
        acknowledgements[int(referral)].append(
            AcknowledgementRecord(
                int(aid), int(referral), date.fromisoformat(str(on)), str(who), str(reference),
                str(at), str(by),
            )
        )  # fmt: skip
    outcomes: dict[int, list[OutcomeRecord]] = {i: [] for i in ids}
    for row in conn.execute(
        "SELECT id, referral_id, outcome, decided_on, note, conference_result, lead_agrees,"
        f" recorded_at, recorded_by FROM referral_outcomes WHERE referral_id IN ({marks})"
        " ORDER BY decided_on, id",
        ids,
    ):
        record = _outcome(row)
        outcomes[record.referral_id].append(record)
    escalations: dict[int, list[EscalationRecord]] = {i: [] for i in ids}
    for row in conn.execute(
        f"SELECT {_ESCALATION_COLUMNS} FROM escalations WHERE referral_id IN ({marks}) ORDER BY id",
        ids,
    ):
        escalation = _escalation(row)
        escalations[escalation.referral_id].append(escalation)
    return {
        i: ReferralProgress(
            i, tuple(acknowledgements[i]), tuple(outcomes[i]), tuple(escalations[i])
        )
        for i in ids
    }


# Follow-ups that belong to a referral or an escalation ---------------------------------


def add_follow_up(
    conn: Connection,
    *,
    due_on: date,
    what: str,
    child_id: int | None,
    concern_id: int,
    by: str,
    referral_id: int,
    escalation_id: int | None = None,
) -> int:
    """A follow-up that closes itself: with ``escalation_id`` when that stage ends, without
    it (the chase) when the referral's outcome is recorded."""
    cursor = conn.execute(
        "INSERT INTO follow_ups (child_id, concern_id, due_on, what, created_at, created_by,"
        " referral_id, escalation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            child_id,
            concern_id,
            due_on.isoformat(),
            what,
            utc_now(),
            by,
            referral_id,
            escalation_id,
        ),
    )
    return int(cursor.lastrowid or 0)


def close_chases(conn: Connection, referral_id: int, by: str, note: str) -> list[int]:
    """Close the referral's open chases for an outcome; the ids closed."""
    return _close(
        conn,
        "referral_id = ? AND escalation_id IS NULL",
        (referral_id,),
        by,
        note,
    )


def close_escalation_follow_ups(
    conn: Connection, escalation_id: int, by: str, note: str
) -> list[int]:
    """Close an escalation stage's open follow-ups; the ids closed."""
    return _close(conn, "escalation_id = ?", (escalation_id,), by, note)


def _close(
    conn: Connection, where: str, params: tuple[object, ...], by: str, note: str
) -> list[int]:
    ids = [
        int(row[0])
        for row in conn.execute(
            f"SELECT id FROM follow_ups WHERE done_at IS NULL AND {where} ORDER BY id", params
        )
    ]
    if ids:
        conn.execute(
            "UPDATE follow_ups SET done_at = ?, done_by = ?, done_note = ?"
            f" WHERE id IN ({', '.join('?' * len(ids))})",
            (utc_now(), by, note, *ids),
        )
    return ids
