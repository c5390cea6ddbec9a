"""Listing and searching concerns: FTS5 inside the encrypted database, plus filters.

The index (``concern_search``) is contentless: it keeps tokens, not text, and it lives
in cases.db, so it is encrypted page by page like everything else. Each concern's entry
holds its children's names (as typed, and as the linked child records now spell them),
its free text, and every amendment's text.

Lists come newest first by id (the order concerns arrived in). A concern's row is large
(its whole text is in it), so a search never reads rows to filter them: each filter is
answered by something small that lists concern ids in id order (the search index, the
category table, an index on concerns), SQLite merges those lists (INTERSECT), and only the
page of ids that is shown is looked up in concerns. On 100,000 concerns that keeps a page
and a count to a few milliseconds whether a word matches ten concerns or fifty thousand
(benchmarks/bench_casework.py).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from ..domain.casework import ConcernStatus
from ..domain.records import ConcernSummary, SearchFilters
from .case_database import Connection

# Tokens as FTS5's unicode61 tokenizer sees them: runs of letters, digits and marks.
_TOKEN = re.compile(r"[\w\u0300-\u036f]+", re.UNICODE)
MAX_QUERY_TOKENS = 12

_SUMMARY_COLUMNS = (
    "c.id, c.ref, c.occurred_at, c.submitted_at, c.status, c.child_names, c.categories,"
    " c.recorder_name, c.immediate_danger, c.recorder_username,"
    " coalesce(json_extract(c.submitter, '$.role'), ''),"
    " (SELECT count(*) FROM concern_children l WHERE l.concern_id = c.id AND l.child_id IS NULL"
    # a child whose file was deleted at its retention review is not waiting to be linked
    " AND l.file_deleted_at IS NULL)"
)


def reindex_concern(conn: Connection, concern_id: int) -> None:
    """(Re)build one concern's search entry from what is stored; call inside its transaction."""
    conn.execute("DELETE FROM concern_search WHERE rowid = ?", (concern_id,))
    conn.execute(
        """
        INSERT INTO concern_search (rowid, names, body)
        SELECT id, concat_ws(' ', names, sg_fold(names)), concat_ws(' ', body, sg_fold(body))
        FROM (
            SELECT c.id,
                   concat_ws(' ', c.child_names,
                             (SELECT group_concat(ch.name, ' ') FROM concern_children l
                              JOIN children ch ON ch.id = l.child_id WHERE l.concern_id = c.id))
                       AS names,
                   concat_ws(' ', json_extract(c.body, '$.location'),
                             json_extract(c.body, '$.observed'),
                             json_extract(c.body, '$.child_words'),
                             json_extract(c.body, '$.presentation'),
                             json_extract(c.body, '$.others_present'),
                             json_extract(c.body, '$.actions_taken'), c.recorder_name,
                             (SELECT group_concat(a.new_value, ' ') FROM amendments a
                              WHERE a.concern_id = c.id))
                       AS body
            FROM concerns c WHERE c.id = ?
        )
        """,
        (concern_id,),
    )


def fts_query(text: str) -> str:
    """The words typed as an FTS5 query: every word must match, the last as a prefix
    (from its second letter: see below).

    Each word is quoted, so nothing typed is read as FTS5 syntax ("AND", "NEAR", "*",
    quotes); "" when there is nothing to search for.
    """
    words = _TOKEN.findall(unicodedata.normalize("NFC", text))[:MAX_QUERY_TOKENS]
    # A one-letter prefix matches nearly every concern and is the slowest query FTS5 can
    # be asked (no prefix index holds it). While a further word is being typed it is left
    # out, so the list keeps the matches of the words before it; alone, it is matched as
    # a whole word, which still finds a one-character name such as 王.
    if len(words) > 1 and len(words[-1]) == 1:
        words.pop()
    if not words:
        return ""
    if len(words[-1]) == 1:
        return " ".join(f'"{w}"' for w in words)
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _matching_ids(filters: SearchFilters) -> tuple[str, list[object]]:
    """A SELECT of the ids of concerns matching ``filters``, and its parameters.

    Each filter is one SELECT over something small that yields distinct concern ids in
    id order, so SQLite merges them (INTERSECT) without reading a concern's row, and with
    ``ORDER BY 1 DESC LIMIT`` stops as soon as a page is full.
    """
    parts: list[str] = []
    params: list[object] = []
    query = fts_query(filters.text)
    if query:
        parts.append("SELECT rowid FROM concern_search WHERE concern_search MATCH ?")
        params.append(query)
    if filters.categories:
        marks = ", ".join("?" for _ in filters.categories)
        # A concern in two of the categories chosen is one concern, not two.
        distinct = "DISTINCT " if len(filters.categories) > 1 else ""
        parts.append(
            f"SELECT {distinct}concern_id FROM concern_categories WHERE category IN ({marks})"
        )
        params.extend(filters.categories)
    if filters.date_from is not None or filters.date_to is not None:
        # Both bounds in one SELECT: one range over the occurred_at index.
        bounds = []
        if filters.date_from is not None:
            bounds.append("occurred_at >= ?")
            params.append(filters.date_from.isoformat())
        if filters.date_to is not None:
            bounds.append("occurred_at < ?")
            params.append((filters.date_to + timedelta(days=1)).isoformat())
        # Named, because with one bound SQLite would rather walk the table in id order
        # (no sort), not knowing that each row it reads holds a whole concern.
        parts.append(
            "SELECT id FROM concerns INDEXED BY concerns_occurred_at WHERE " + " AND ".join(bounds)
        )
    if filters.status is not None:
        parts.append("SELECT id FROM concerns WHERE status = ?")
        params.append(filters.status.value)
    if filters.recorder:
        parts.append("SELECT id FROM concerns WHERE recorder_name = ?")
        params.append(filters.recorder)
    if filters.child_id is not None:
        # DISTINCT: a concern may name the same child twice (two spellings, both linked).
        parts.append("SELECT DISTINCT concern_id FROM concern_children WHERE child_id = ?")
        params.append(filters.child_id)
    if not parts:
        parts.append("SELECT id FROM concerns")
    return " INTERSECT ".join(parts), params


def search(
    conn: Connection, filters: SearchFilters, *, limit: int = 200, offset: int = 0
) -> list[ConcernSummary]:
    """One page of concerns matching ``filters``, newest first."""
    ids, params = _matching_ids(filters)
    rows = conn.execute(
        f"SELECT {_SUMMARY_COLUMNS} FROM concerns c"
        f" WHERE c.id IN ({ids} ORDER BY 1 DESC LIMIT ? OFFSET ?) ORDER BY c.id DESC",
        (*params, limit, offset),
    ).fetchall()
    return [_summary(r) for r in rows]


def count(conn: Connection, filters: SearchFilters) -> int:
    """How many concerns match ``filters`` (all pages)."""
    ids, params = _matching_ids(filters)
    return int(conn.execute(f"SELECT count(*) FROM ({ids})", params).fetchone()[0])


def recorders(conn: Connection) -> list[str]:
    """Every recorder name that appears on a concern, for the filter list."""
    rows = conn.execute(
        "SELECT DISTINCT recorder_name FROM concerns WHERE recorder_name != '' ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows]


def danger_waiting(conn: Connection, limit: int = 100) -> list[ConcernSummary]:
    """Concerns saying a child was in immediate danger that no lead has acknowledged yet,
    oldest first (the one waiting longest is the most urgent)."""
    rows = conn.execute(
        f"SELECT {_SUMMARY_COLUMNS} FROM concerns c"
        " WHERE c.immediate_danger = 1 AND c.danger_acknowledged_at IS NULL"
        " ORDER BY c.id LIMIT ?",
        (limit,),
    ).fetchall()
    return [_summary(row) for row in rows]


def acknowledge_danger(conn: Connection, concern_id: int, by: str, at: str) -> bool:
    """Mark the danger acknowledged; False when it was already (or never in danger)."""
    cursor = conn.execute(
        "UPDATE concerns SET danger_acknowledged_at = ?, danger_acknowledged_by = ?"
        " WHERE id = ? AND immediate_danger = 1 AND danger_acknowledged_at IS NULL",
        (at, by, concern_id),
    )
    return cursor.rowcount == 1


def summary_by_id(conn: Connection, concern_id: int) -> ConcernSummary | None:
    row = conn.execute(
        f"SELECT {_SUMMARY_COLUMNS} FROM concerns c WHERE c.id = ?",
        (concern_id,),
    ).fetchone()
    return _summary(row) if row else None


def _summary(row: tuple[object, ...]) -> ConcernSummary:
    (
        cid,
        ref,
        occurred,
        submitted,
        status,
        names,
        cats,
        recorder,
        danger,
        username,
        role,
        unlinked,
    ) = row
    return ConcernSummary(
        concern_id=int(str(cid)),
        ref=str(ref),
        occurred_at=str(occurred),
        submitted_at=str(submitted),
        status=ConcernStatus(str(status)),
        child_names=str(names),
        categories=tuple(c for c in str(cats).split(",") if c),
        recorder_name=str(recorder),
        immediate_danger=bool(danger),
        unlinked_children=int(str(unlinked)),
        recorder_username=str(username) if username is not None else None,
        recorder_role=str(role),
    )
