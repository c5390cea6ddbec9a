"""Everything that happened about one child, read in one pass (ordering is domain/'s job).

Actions recorded against a concern rather than a child (a concern may name several
children) appear in the chronology of every child linked to that concern.
"""

from __future__ import annotations

import json

from ..domain.attachments import AttachmentKind
from ..domain.casework import ActionKind
from ..domain.categories import category, is_category
from ..domain.handoff import Outcome
from ..domain.records import ChronologyEntry
from ..domain.referral import ReferralKind
from ..domain.referral_outcome import AgencyOutcome, ConferenceResult
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
    """Every concern, action, decision, referral (with what happened after it: the
    acknowledgement, outcomes, escalations), correction, follow-up and file attached
    about the child.

    A decision or referral belongs to one child named in a concern (its
    ``child_position``): another child's, from the same concern, is in that child's
    chronology only. One an earlier version made for a whole concern (no position) is in
    the chronology of every child of that concern, as it was made for them all.
    """
    params = {"child": child_id}
    entries: list[ChronologyEntry] = []
    for cid, ref, occurred, cats, observed, submitted, recorder in conn.execute(
        "SELECT c.id, c.ref, c.occurred_at, c.categories,"
        f" substr(json_extract(c.body, '$.observed'), 1, {SUMMARY_CHARS * 2}),"
        " c.submitted_at, c.recorder_name"
        f" FROM concerns c WHERE c.id IN ({_LINKED})",
        params,
    ):
        title = f"Concern: {_category_words(str(cats))}"
        entries.append(
            _entry("concern", occurred, title, _short(observed), ref, cid, submitted, recorder)
        )
    for aid, kind, occurred, who, details, outcome, rec_at, rec_by, ref in conn.execute(
        "SELECT a.id, a.kind, a.occurred_at, a.who, a.details, a.outcome, a.recorded_at,"
        " a.recorded_by, coalesce(c.ref, '') FROM actions a LEFT JOIN concerns c"
        " ON c.id = a.concern_id WHERE a.child_id = :child"
        f" OR (+a.child_id IS NULL AND a.concern_id IN ({_LINKED}))",
        params,
    ):
        action_kind = ActionKind(str(kind))
        text = _short(f"{details} Outcome: {outcome}" if outcome else details)
        title = action_kind.label + (f" ({who})" if who else "")
        entries.append(
            _entry(
                "action", occurred, title, text, ref, aid, rec_at, rec_by,
                agency=action_kind.is_agency_contact,
            )
        )  # fmt: skip
    for did, outcome, reason, decided_at, by, ref in conn.execute(
        "SELECT d.id, d.outcome, d.reason, d.decided_at, d.decided_by, c.ref FROM decisions d"
        " JOIN concerns c ON c.id = d.concern_id"
        f" WHERE d.concern_id IN ({_LINKED}) AND {_FOR_THIS_CHILD.format(t='d')}",
        params,
    ):
        title = f"Decision: {_outcome_words(str(outcome))}"
        entries.append(
            _entry("decision", decided_at, title, _short(reason), ref, did, decided_at, by)
        )
    for rid, rref, kind, created_at, sent_at, by, ref in conn.execute(
        "SELECT r.id, r.ref, r.kind, r.created_at, r.sent_at, r.created_by, c.ref"
        " FROM referrals r JOIN concerns c ON c.id = r.concern_id"
        f" WHERE r.concern_id IN ({_LINKED}) AND r.sent_at IS NOT NULL"
        f" AND {_FOR_THIS_CHILD.format(t='r')}",
        params,
    ):
        title = f"Referral sent: {ReferralKind(str(kind)).label}"
        summary = f"Signed referral {rref}."
        entries.append(
            _entry("referral", sent_at, title, summary, ref, rid, created_at, by, agency=True)
        )
    entries += _after_referrals(conn, params)
    for am_id, field, reason, at, by, ref in conn.execute(
        "SELECT a.id, a.field, a.reason, a.amended_at, a.amended_by, c.ref FROM amendments a"
        f" JOIN concerns c ON c.id = a.concern_id WHERE a.concern_id IN ({_LINKED})",
        params,
    ):
        summary = _short(f"{str(field).replace('_', ' ')}: {reason}")
        entries.append(
            _entry("amendment", at, "Correction to a concern", summary, ref, am_id, at, by)
        )
    for fid, what, done_at, done_by, note, ref in conn.execute(
        "SELECT f.id, f.what, f.done_at, f.done_by, f.done_note, coalesce(c.ref, '')"
        " FROM follow_ups f LEFT JOIN concerns c ON c.id = f.concern_id"
        " WHERE f.done_at IS NOT NULL AND (f.child_id = :child"
        f" OR (+f.child_id IS NULL AND f.concern_id IN ({_LINKED})"
        # A referral's chase or escalation follow-up is its child's only.
        " AND (f.referral_id IS NULL OR EXISTS (SELECT 1 FROM referrals r"
        f" WHERE r.id = f.referral_id AND {_FOR_THIS_CHILD.format(t='r')}))))",
        params,
    ):
        done = what.rstrip() if what.rstrip().endswith((".", "?", "!")) else f"{what}."
        summary = _short(f"{done} {note or ''}")
        entries.append(
            _entry("follow_up", done_at, "Follow-up done", summary, ref, fid, done_at, done_by)
        )
    for att_id, kind, name, description, added_at, by, ref in conn.execute(
        "SELECT a.id, a.kind, a.file_name, a.description, a.added_at, a.added_by,"
        " coalesce(c.ref, '') FROM attachments a LEFT JOIN concerns c ON c.id = a.concern_id"
        f" WHERE a.child_id = :child OR a.concern_id IN ({_LINKED})",
        params,
    ):
        title = f"File attached: {AttachmentKind(str(kind)).label}"
        summary = _short(f"{description} ({name})" if description else str(name))
        entries.append(_entry("attachment", added_at, title, summary, ref, att_id, added_at, by))
    # What an earlier school or club transferred: each record as sent, in its own place in
    # time (one with no date of its own at the day it arrived), marked with where it came from.
    for item_id, heading, lines, occurred, org, sent_by, received_at in conn.execute(
        "SELECT i.id, i.heading, i.lines, i.occurred, r.from_organisation, r.sent_by,"
        " r.received_at FROM transferred_items i JOIN transfers_received r"
        " ON r.id = i.received_id WHERE i.child_id = :child",
        params,
    ):
        title = f"From {org}: {heading}"
        summary = _short(" ".join(json.loads(str(lines))))
        when = occurred or received_at
        entries.append(
            _entry("transferred", when, title, summary, "", item_id, received_at, sent_by)
        )
    return entries


def _after_referrals(conn: Connection, params: dict[str, int]) -> list[ChronologyEntry]:
    """What happened after each of the child's referrals: the agency's acknowledgement,
    each outcome (dated the day it was decided) and each stage of an escalation."""
    mine = f"r.concern_id IN ({_LINKED}) AND {_FOR_THIS_CHILD.format(t='r')}"
    entries: list[ChronologyEntry] = []
    for aid, rref, kind, on, who, their_ref, at, by, ref in conn.execute(
        "SELECT a.id, r.ref, r.kind, a.acknowledged_on, a.acknowledged_by, a.their_reference,"
        " a.recorded_at, a.recorded_by, c.ref FROM referral_acknowledgements a"
        " JOIN referrals r ON r.id = a.referral_id JOIN concerns c ON c.id = r.concern_id"
        f" WHERE {mine}",
        params,
    ):
        title = f"Referral acknowledged: {_kind_words(str(kind))}"
        summary = f"{who} acknowledged referral {rref}." + (
            f" Their reference: {their_ref}." if their_ref else ""
        )
        entries.append(
            _entry("acknowledgement", on, title, _short(summary), ref, aid, at, by, agency=True)
        )
    for oid, rref, outcome, on, note, result, agrees, at, by, ref in conn.execute(
        "SELECT o.id, r.ref, o.outcome, o.decided_on, o.note, o.conference_result,"
        " o.lead_agrees, o.recorded_at, o.recorded_by, c.ref FROM referral_outcomes o"
        " JOIN referrals r ON r.id = o.referral_id JOIN concerns c ON c.id = r.concern_id"
        f" WHERE {mine}",
        params,
    ):
        words = [f"Referral {rref}."]
        if result is not None:
            words.append(f"Result: {_result_words(str(result))}.")
        if note:
            words.append(str(note))
        words.append("The lead agrees." if agrees else "The lead disagrees and escalated it.")
        title = f"Outcome: {_agency_outcome_words(str(outcome))}"
        entries.append(
            _entry("outcome", on, title, _short(" ".join(words)), ref, oid, at, by, agency=True)
        )
    for eid, rref, stage, whom, raised, reason, at, by, result, result_on, ref in conn.execute(
        "SELECT e.id, r.ref, e.stage, e.to_whom, e.raised_on, e.reason, e.recorded_at,"
        " e.recorded_by, e.result, e.result_on, c.ref FROM escalations e"
        " JOIN referrals r ON r.id = e.referral_id JOIN concerns c ON c.id = r.concern_id"
        f" WHERE {mine}",
        params,
    ):
        title = f"Escalation, stage {stage}: raised with {whom}"
        summary = f"About referral {rref}. {reason}"
        entries.append(
            _entry("escalation", raised, title, _short(summary), ref, eid, at, by, agency=True)
        )
        if result is not None and result_on is not None:
            entries.append(
                _entry(
                    "escalation", result_on, f"Escalation, stage {stage}: result",
                    _short(str(result)), ref, eid, at, by, agency=True,
                )
            )  # fmt: skip
    return entries


# A decision's or referral's child: its position in the concern is this child's
# (concern_children), or it has none (made for the whole concern by an earlier version).
_FOR_THIS_CHILD = (
    "({t}.child_position IS NULL OR EXISTS (SELECT 1 FROM concern_children cc"
    " WHERE cc.concern_id = {t}.concern_id AND cc.position = {t}.child_position"
    " AND cc.child_id = :child))"
)


def _entry(
    kind: str,
    when: object,
    title: str,
    summary: str,
    ref: object,
    source_id: object,
    recorded_at: object,
    by: object,
    *,
    agency: bool = False,
) -> ChronologyEntry:
    """One line of the chronology from a row's values (SQLite gives them untyped)."""
    return ChronologyEntry(
        when=str(when),
        kind=kind,
        title=title,
        summary=summary,
        ref=str(ref),
        source_id=int(str(source_id)),
        agency_contact=agency,
        recorded_at=str(recorded_at),
        by=str(by),
    )


def _kind_words(kind: str) -> str:
    try:
        return ReferralKind(kind).label
    except ValueError:
        return kind.replace("_", " ")


def _agency_outcome_words(outcome: str) -> str:
    try:
        return AgencyOutcome(outcome).label
    except ValueError:
        return outcome.replace("_", " ")


def _result_words(result: str) -> str:
    try:
        return ConferenceResult(result).label
    except ValueError:
        return result.replace("_", " ")


def _outcome_words(outcome: str) -> str:
    try:
        return Outcome(outcome).label
    except ValueError:
        return outcome.replace("_", " ")
