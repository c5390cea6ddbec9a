"""Everything that happened about one child, read in one pass (ordering is domain/'s job).

Actions recorded against a concern rather than a child (a concern may name several
children) appear in the chronology of every child linked to that concern.
"""

from __future__ import annotations

from ..domain.casework import ActionKind
from ..domain.categories import category, is_category
from ..domain.handoff import Outcome
from ..domain.records import ChronologyEntry
from ..domain.referral import ReferralKind
from ..domain.text import single_line
from .case_database import Connection

SUMMARY_CHARS = 240

_LINKED = "SELECT concern_id FROM concern_children WHERE child_id = :child"
# "+x.child_id IS NULL" below keeps SQLite from answering that half of the OR with the
# child_id index, which would read every action not recorded against a child (most of
# them: 70,000 rows on the 100,000-concern benchmark store) instead of looking up the
# child's concerns' actions by concern_id.


def _short(text: object) -> str:
    line = single_line(str(text or ""))
    return line if len(line) <= SUMMARY_CHARS else line[: SUMMARY_CHARS - 1] + "…"


def _category_words(ids: str) -> str:
    return ", ".join(category(c).label for c in ids.split(",") if is_category(c)) or "Concern"


def chronology_rows(conn: Connection, child_id: int) -> list[ChronologyEntry]:
    params = {"child": child_id}
    entries: list[ChronologyEntry] = []
    for cid, ref, occurred, cats, observed, submitted, recorder in conn.execute(
        "SELECT c.id, c.ref, c.occurred_at, c.categories,"
        f" substr(json_extract(c.body, '$.observed'), 1, {SUMMARY_CHARS * 2}),"
        " c.submitted_at, c.recorder_name"
        f" FROM concerns c WHERE c.id IN ({_LINKED})",
        params,
    ):
        entries.append(
            ChronologyEntry(
                when=str(occurred),
                kind="concern",
                title=f"Concern: {_category_words(str(cats))}",
                summary=_short(observed),
                ref=str(ref),
                source_id=int(cid),
                recorded_at=str(submitted),
                by=str(recorder),
            )
        )
    for aid, kind, occurred, who, details, outcome, rec_at, rec_by, ref in conn.execute(
        "SELECT a.id, a.kind, a.occurred_at, a.who, a.details, a.outcome, a.recorded_at,"
        " a.recorded_by, coalesce(c.ref, '') FROM actions a LEFT JOIN concerns c"
        " ON c.id = a.concern_id WHERE a.child_id = :child"
        f" OR (+a.child_id IS NULL AND a.concern_id IN ({_LINKED}))",
        params,
    ):
        action_kind = ActionKind(str(kind))
        text = _short(details)
        if outcome:
            text = _short(f"{details} Outcome: {outcome}")
        entries.append(
            ChronologyEntry(
                when=str(occurred),
                kind="action",
                title=action_kind.label + (f" ({who})" if who else ""),
                summary=text,
                ref=str(ref),
                source_id=int(aid),
                agency_contact=action_kind.is_agency_contact,
                recorded_at=str(rec_at),
                by=str(rec_by),
            )
        )
    for did, outcome, reason, decided_at, by, ref in conn.execute(
        "SELECT d.id, d.outcome, d.reason, d.decided_at, d.decided_by, c.ref FROM decisions d"
        f" JOIN concerns c ON c.id = d.concern_id WHERE d.concern_id IN ({_LINKED})",
        params,
    ):
        entries.append(
            ChronologyEntry(
                when=str(decided_at),
                kind="decision",
                title=f"Decision: {_outcome_words(str(outcome))}",
                summary=_short(reason),
                ref=str(ref),
                source_id=int(did),
                recorded_at=str(decided_at),
                by=str(by),
            )
        )
    for rid, rref, kind, _status, created_at, sent_at, by, ref in conn.execute(
        "SELECT r.id, r.ref, r.kind, r.status, r.created_at, r.sent_at, r.created_by, c.ref"
        " FROM referrals r JOIN concerns c ON c.id = r.concern_id"
        f" WHERE r.concern_id IN ({_LINKED}) AND r.sent_at IS NOT NULL",
        params,
    ):
        entries.append(
            ChronologyEntry(
                when=str(sent_at),
                kind="referral",
                title=f"Referral sent: {ReferralKind(str(kind)).label}",
                summary=f"Signed referral {rref}.",
                ref=str(ref),
                source_id=int(rid),
                agency_contact=True,
                recorded_at=str(created_at),
                by=str(by),
            )
        )
    for am_id, field, reason, at, by, ref in conn.execute(
        "SELECT a.id, a.field, a.reason, a.amended_at, a.amended_by, c.ref FROM amendments a"
        f" JOIN concerns c ON c.id = a.concern_id WHERE a.concern_id IN ({_LINKED})",
        params,
    ):
        entries.append(
            ChronologyEntry(
                when=str(at),
                kind="amendment",
                title="Correction to a concern",
                summary=_short(f"{field.replace('_', ' ')}: {reason}"),
                ref=str(ref),
                source_id=int(am_id),
                recorded_at=str(at),
                by=str(by),
            )
        )
    for fid, what, done_at, done_by, note, ref in conn.execute(
        "SELECT f.id, f.what, f.done_at, f.done_by, f.done_note, coalesce(c.ref, '')"
        " FROM follow_ups f LEFT JOIN concerns c ON c.id = f.concern_id"
        " WHERE f.done_at IS NOT NULL AND (f.child_id = :child"
        f" OR (+f.child_id IS NULL AND f.concern_id IN ({_LINKED})))",
        params,
    ):
        entries.append(
            ChronologyEntry(
                when=str(done_at),
                kind="follow_up",
                title="Follow-up done",
                summary=_short(f"{what}. {note or ''}"),
                ref=str(ref),
                source_id=int(fid),
                recorded_at=str(done_at),
                by=str(done_by),
            )
        )
    return entries


def _outcome_words(outcome: str) -> str:
    try:
        return Outcome(outcome).label
    except ValueError:
        return outcome.replace("_", " ")
