"""Reading every record out for the full export (services/export.py): one snapshot, as JSON.

Each table's rows come back as JSON object texts built by SQLite itself (json_object,
and json() for the columns that hold JSON), in id order, one at a time from the cursor:
the 100,000-concern benchmark store has 656,000 audit entries, which must stream rather
than sit in a list, and SQLite writes them several times faster than json.dumps would.
A concern's stored JSON is passed through json(), which keeps its values exactly as
submitted (strings, and numbers as they were written).

Everything is read inside one read transaction (:func:`snapshot`), so the counts, the
rows and the PDFs made from them describe the same moment even if something is written
meanwhile by another program.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from .case_database import Connection, DatabaseError

# Where an attachment's bytes go in the export: its id and kind, never the name it had
# (people name files after children).
ATTACHMENT_PATH_SQL = (
    "'attachments/attachment-' || a.id ||"
    " CASE a.kind WHEN 'pdf' THEN '.pdf' WHEN 'png' THEN '.png' ELSE '.jpg' END"
)

# The export's arrays, in the order export.json holds them: each a SELECT producing one
# JSON object text per row. Column names are the export's field names
# (docs/export.schema.json documents each).
ROW_QUERIES: dict[str, str] = {
    "children": (
        "SELECT json_object('id', id, 'name', name, 'date_of_birth', date_of_birth,"
        " 'approximate_age', approximate_age, 'details', json(details),"
        " 'case_owner', case_owner, 'risk_level', risk_level,"
        " 'created_at', created_at, 'updated_at', updated_at) FROM children ORDER BY id"
    ),
    "household_members": (
        "SELECT json_object('id', id, 'child_id', child_id, 'details', json(details),"
        " 'added_at', added_at, 'removed_at', removed_at) FROM household_members ORDER BY id"
    ),
    "professionals": (
        "SELECT json_object('id', id, 'child_id', child_id, 'details', json(details),"
        " 'added_at', added_at, 'removed_at', removed_at) FROM professionals ORDER BY id"
    ),
    # A child's statuses, the changes to their record, Home's notices dealt with
    # (migration 8).
    "child_statuses": (
        "SELECT json_object('id', id, 'child_id', child_id, 'kind', kind,"
        " 'started_on', started_on, 'ended_on', ended_on, 'details', json(details),"
        " 'recorded_at', recorded_at, 'recorded_by', recorded_by, 'ended_at', ended_at,"
        " 'ended_by', ended_by) FROM child_statuses ORDER BY id"
    ),
    "child_history": (
        "SELECT json_object('id', id, 'child_id', child_id, 'field', field,"
        " 'previous', json(previous), 'current', json(current), 'changed_at', changed_at,"
        " 'changed_by', changed_by) FROM child_history ORDER BY id"
    ),
    "concern_notices_done": (
        "SELECT json_object('concern_id', n.concern_id, 'concern_ref', c.ref,"
        " 'child_id', n.child_id, 'notice', n.notice, 'done_at', n.done_at,"
        " 'done_by', n.done_by, 'note', n.note)"
        " FROM concern_notices_done n JOIN concerns c ON c.id = n.concern_id"
        " ORDER BY n.concern_id, n.child_id, n.notice"
    ),
    "concerns": (
        "SELECT json_object('id', id, 'ref', ref, 'submitted_at', submitted_at,"
        " 'received_at', received_at, 'status', status, 'submitter', json(submitter),"
        " 'format_version', format_version, 'concern', json(body)) FROM concerns ORDER BY id"
    ),
    "concern_children": (
        "SELECT json_object('concern_id', l.concern_id, 'concern_ref', c.ref,"
        " 'position', l.position, 'child_id', l.child_id,"
        " 'suggested_child_id', l.suggested_child_id, 'linked_at', l.linked_at,"
        " 'linked_by', l.linked_by, 'file_deleted_at', l.file_deleted_at)"
        " FROM concern_children l JOIN concerns c ON c.id = l.concern_id"
        " ORDER BY l.concern_id, l.position"
    ),
    "amendments": (
        "SELECT json_object('id', a.id, 'concern_id', a.concern_id, 'concern_ref', c.ref,"
        " 'field', a.field, 'new_value', a.new_value, 'reason', a.reason,"
        " 'amended_at', a.amended_at, 'amended_by', a.amended_by)"
        " FROM amendments a JOIN concerns c ON c.id = a.concern_id ORDER BY a.id"
    ),
    "actions": (
        "SELECT json_object('id', a.id, 'child_id', a.child_id, 'concern_id', a.concern_id,"
        " 'concern_ref', c.ref, 'decision_id', a.decision_id, 'kind', a.kind,"
        " 'occurred_at', a.occurred_at, 'who', a.who, 'details', a.details,"
        " 'outcome', a.outcome, 'recorded_at', a.recorded_at, 'recorded_by', a.recorded_by)"
        " FROM actions a LEFT JOIN concerns c ON c.id = a.concern_id ORDER BY a.id"
    ),
    "decisions": (
        "SELECT json_object('id', d.id, 'concern_id', d.concern_id, 'concern_ref', c.ref,"
        " 'outcome', d.outcome, 'reason', d.reason, 'details', json(d.details),"
        " 'review_on', d.review_on, 'decided_at', d.decided_at, 'decided_by', d.decided_by,"
        " 'decided_by_name', d.decided_by_name, 'child_position', d.child_position,"
        " 'child_id', cc.child_id, 'migrated', json(iif(d.migrated, 'true', 'false')))"
        " FROM decisions d JOIN concerns c ON c.id = d.concern_id"
        " LEFT JOIN concern_children cc"
        "  ON cc.concern_id = d.concern_id AND cc.position = d.child_position"
        " ORDER BY d.id"
    ),
    "referrals": (
        "SELECT json_object('id', r.id, 'ref', r.ref, 'concern_id', r.concern_id,"
        " 'concern_ref', c.ref, 'decision_id', r.decision_id, 'kind', r.kind,"
        " 'status', r.status, 'content', json(json_extract(r.content, '$.content')),"
        " 'extra', json(coalesce(json_extract(r.content, '$.extra'), '{}')),"
        " 'created_at', r.created_at, 'created_by', r.created_by, 'sent_at', r.sent_at,"
        " 'sent_pdf_sha256', r.pdf_sha256, 'response', r.response, 'closed_at', r.closed_at,"
        " 'child_position', r.child_position, 'child_id', cc.child_id)"
        " FROM referrals r JOIN concerns c ON c.id = r.concern_id"
        " LEFT JOIN concern_children cc"
        "  ON cc.concern_id = r.concern_id AND cc.position = r.child_position"
        " ORDER BY r.id"
    ),
    # What happened after each referral (migration 7).
    "referral_acknowledgements": (
        "SELECT json_object('id', a.id, 'referral_id', a.referral_id, 'referral_ref', r.ref,"
        " 'acknowledged_on', a.acknowledged_on, 'acknowledged_by', a.acknowledged_by,"
        " 'their_reference', a.their_reference, 'recorded_at', a.recorded_at,"
        " 'recorded_by', a.recorded_by)"
        " FROM referral_acknowledgements a JOIN referrals r ON r.id = a.referral_id"
        " ORDER BY a.id"
    ),
    "referral_outcomes": (
        "SELECT json_object('id', o.id, 'referral_id', o.referral_id, 'referral_ref', r.ref,"
        " 'outcome', o.outcome, 'decided_on', o.decided_on, 'note', o.note,"
        " 'conference_result', o.conference_result,"
        " 'lead_agrees', json(iif(o.lead_agrees, 'true', 'false')),"
        " 'recorded_at', o.recorded_at, 'recorded_by', o.recorded_by)"
        " FROM referral_outcomes o JOIN referrals r ON r.id = o.referral_id ORDER BY o.id"
    ),
    "escalations": (
        "SELECT json_object('id', e.id, 'referral_id', e.referral_id, 'referral_ref', r.ref,"
        " 'outcome_id', e.outcome_id, 'stage', e.stage, 'to_whom', e.to_whom,"
        " 'raised_on', e.raised_on, 'reason', e.reason, 'recorded_at', e.recorded_at,"
        " 'recorded_by', e.recorded_by, 'result', e.result, 'result_on', e.result_on,"
        " 'result_recorded_at', e.result_recorded_at,"
        " 'result_recorded_by', e.result_recorded_by)"
        " FROM escalations e JOIN referrals r ON r.id = e.referral_id ORDER BY e.id"
    ),
    "follow_ups": (
        "SELECT json_object('id', f.id, 'child_id', f.child_id, 'concern_id', f.concern_id,"
        " 'concern_ref', c.ref, 'due_on', f.due_on, 'what', f.what,"
        " 'created_at', f.created_at, 'created_by', f.created_by, 'done_at', f.done_at,"
        " 'done_by', f.done_by, 'done_note', f.done_note, 'referral_id', f.referral_id,"
        " 'escalation_id', f.escalation_id, 'status_id', f.status_id)"
        " FROM follow_ups f LEFT JOIN concerns c ON c.id = f.concern_id ORDER BY f.id"
    ),
    # The low-level concerns log (migration 9): about adults, linked to no child.
    "low_level_concerns": (
        "SELECT json_object('id', id, 'occurred_on', occurred_on, 'adult_name', adult_name,"
        " 'adult_role', adult_role, 'what_happened', what_happened,"
        " 'action_taken', action_taken, 'recorded_at', recorded_at,"
        " 'recorded_by', recorded_by, 'recorded_by_name', recorded_by_name)"
        " FROM low_level_concerns ORDER BY id"
    ),
    # Retention (migration 12): a lead's own review dates, and legal holds (lifted ones too).
    "retention_dates": (
        "SELECT json_object('child_id', child_id, 'review_on', review_on, 'reason', reason,"
        " 'set_at', set_at, 'set_by', set_by) FROM retention_dates ORDER BY child_id"
    ),
    "legal_holds": (
        "SELECT json_object('id', id, 'child_id', child_id, 'reason', reason,"
        " 'placed_at', placed_at, 'placed_by', placed_by, 'lifted_at', lifted_at,"
        " 'lifted_by', lifted_by, 'lift_reason', lift_reason) FROM legal_holds ORDER BY id"
    ),
    # Subject access requests (migration 13), the words taken out and the records withheld.
    "subject_access_requests": (
        "SELECT json_object('id', id, 'child_id', child_id, 'requester', requester,"
        " 'relationship', relationship, 'received_on', received_on,"
        " 'identity_checked', identity_checked, 'due_on', due_on, 'recorded_at', recorded_at,"
        " 'recorded_by', recorded_by, 'released_at', released_at, 'released_by', released_by,"
        " 'released_sha256', released_sha256, 'appendix_sha256', appendix_sha256)"
        " FROM subject_access_requests ORDER BY id"
    ),
    "subject_access_terms": (
        "SELECT json_object('id', id, 'request_id', request_id, 'term', term,"
        " 'exemption', exemption, 'added_at', added_at, 'added_by', added_by)"
        " FROM subject_access_terms ORDER BY id"
    ),
    "subject_access_withheld": (
        "SELECT json_object('request_id', request_id, 'item_key', item_key,"
        " 'exemption', exemption, 'decided_at', decided_at, 'decided_by', decided_by)"
        " FROM subject_access_withheld ORDER BY request_id, item_key"
    ),
    # Transfers (migration 14): files sent to a new school or club with their receipts,
    # and files received, each record as sent. The key a receipt is checked with stays out.
    "transfers_sent": (
        "SELECT json_object('id', id, 'transfer_id', transfer_id, 'child_id', child_id,"
        " 'to_organisation', to_organisation, 'sent_how', sent_how, 'made_at', made_at,"
        " 'made_by', made_by, 'pdf_sha256', pdf_sha256, 'package_sha256', package_sha256,"
        " 'receipt_due_on', receipt_due_on, 'receipt_at', receipt_at,"
        " 'receipt_by', receipt_by, 'receipt_note', receipt_note,"
        " 'receipt_fingerprint', receipt_fingerprint) FROM transfers_sent ORDER BY id"
    ),
    "transfers_received": (
        "SELECT json_object('id', id, 'transfer_id', transfer_id, 'child_id', child_id,"
        " 'from_organisation', from_organisation, 'sent_at', sent_at, 'sent_by', sent_by,"
        " 'sender_fingerprint', sender_fingerprint, 'package_sha256', package_sha256,"
        " 'received_at', received_at, 'received_by', received_by)"
        " FROM transfers_received ORDER BY id"
    ),
    "transferred_items": (
        "SELECT json_object('id', id, 'received_id', received_id, 'child_id', child_id,"
        " 'position', position, 'section', section, 'heading', heading,"
        " 'lines', json(lines), 'occurred', occurred)"
        " FROM transferred_items ORDER BY received_id, position"
    ),
    # Files kept with a concern or a child's file (migration 11); their bytes are the
    # files under attachments/ (``path``), never in export.json.
    "attachments": (
        "SELECT json_object('id', a.id, 'concern_id', a.concern_id, 'concern_ref', c.ref,"
        " 'child_id', a.child_id, 'kind', a.kind, 'file_name', a.file_name,"
        " 'description', a.description, 'bytes', a.size, 'sha256', a.sha256,"
        " 'original_sha256', a.original_sha256, 'removed', json(a.removed),"
        " 'added_at', a.added_at, 'added_by', a.added_by,"
        " 'from_recorder', json(CASE a.from_recorder WHEN 0 THEN 'false' ELSE 'true' END),"
        f" 'path', {ATTACHMENT_PATH_SQL})"
        " FROM attachments a LEFT JOIN concerns c ON c.id = a.concern_id ORDER BY a.id"
    ),
    "audit_log": (
        "SELECT json_object('seq', seq, 'at', at, 'actor', actor, 'action', action,"
        " 'detail', json(detail), 'prev_hash', prev_hash, 'hash', hash)"
        " FROM audit_log ORDER BY seq"
    ),
}

_COUNTED_TABLES = {name: name for name in ROW_QUERIES}


@dataclass(frozen=True)
class SentReferral:
    """A referral that left the organisation: what its PDF is rebuilt from."""

    ref: str
    sent_at: str  # UTC, ISO 8601
    sent_pdf_sha256: str | None


@contextmanager
def snapshot(conn: Connection) -> Iterator[None]:
    """One read transaction for the whole export; never writes, ends with a rollback.

    WAL keeps what this transaction sees fixed from its first read until it ends, even
    while another connection commits.
    """
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # the snapshot starts
        yield
    finally:
        if conn.in_transaction:
            with suppress(DatabaseError):
                conn.execute("ROLLBACK")


def row_counts(conn: Connection) -> dict[str, int]:
    """How many rows each exported array holds, read in the same snapshot as the rows."""
    parts = ", ".join(f"(SELECT count(*) FROM {table})" for table in _COUNTED_TABLES.values())
    row = conn.execute(f"SELECT {parts}").fetchone()
    return {name: int(value) for name, value in zip(_COUNTED_TABLES, row, strict=True)}


def rows_json(conn: Connection, name: str) -> Iterator[str]:
    """Each row of the export array ``name`` as one JSON object text, in id order."""
    for (text,) in conn.execute(ROW_QUERIES[name]):
        yield str(text)


def attachment_paths(conn: Connection) -> list[tuple[int, str, str]]:
    """Each attachment's id, path in the export and the SHA-256 kept for it, in id order."""
    rows = conn.execute(
        f"SELECT a.id, {ATTACHMENT_PATH_SQL}, a.sha256 FROM attachments a ORDER BY a.id"
    ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def child_ids(conn: Connection) -> list[int]:
    return [int(row[0]) for row in conn.execute("SELECT id FROM children ORDER BY id")]


def sent_referrals(conn: Connection) -> list[SentReferral]:
    """Every referral marked sent (answered and closed ones too), oldest first."""
    rows = conn.execute(
        "SELECT ref, sent_at, pdf_sha256 FROM referrals WHERE sent_at IS NOT NULL ORDER BY id"
    ).fetchall()
    return [SentReferral(str(r[0]), str(r[1]), str(r[2]) if r[2] else None) for r in rows]


def referral_senders(conn: Connection) -> dict[str, tuple[str, str | None]]:
    """Referral reference -> (who saved it, the SHA-256 saved) from its newest
    ``referral_exported`` audit entry; one pass over the log, not one per referral."""
    senders: dict[str, tuple[str, str | None]] = {}
    for ref, actor, sha256 in conn.execute(
        "SELECT json_extract(detail, '$.referral'), actor, json_extract(detail, '$.sha256')"
        " FROM audit_log WHERE action = 'referral_exported' ORDER BY seq"
    ):
        if ref is not None:
            senders[str(ref)] = (str(actor), str(sha256) if sha256 is not None else None)
    return senders


def database_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])
