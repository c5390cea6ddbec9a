"""Listing and searching concerns: FTS5 inside the encrypted database, plus filters.

The index (``concern_search``) is contentless: it keeps tokens, not text, and it lives
in cases.db, so it is encrypted page by page like everything else. Each concern's entry
holds its children's names (as typed, and as the linked child records now spell them),
its free text, and every amendment's text.

Lists come newest first by id (the order concerns arrived in), which FTS5 and the
primary key both give without sorting, so a page of results costs the same whether a
word matches ten concerns or fifty thousand.
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
    " (SELECT count(*) FROM concern_children l WHERE l.concern_id = c.id AND l.child_id IS NULL)"
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
    """The words typed as an FTS5 query: every word must match, the last as a prefix.

    Each word is quoted, so nothing typed is read as FTS5 syntax ("AND", "NEAR", "*",
    quotes); "" when there is nothing to search for.
    """
    words = _TOKEN.findall(unicodedata.normalize("NFC", text))[:MAX_QUERY_TOKENS]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _where(filters: SearchFilters) -> tuple[list[str], list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.categories:
        marks = ", ".join("?" for _ in filters.categories)
        clauses.append(
            f"c.id IN (SELECT concern_id FROM concern_categories WHERE category IN ({marks}))"
        )
        params.extend(filters.categories)
    if filters.date_from is not None:
        clauses.append("c.occurred_at >= ?")
        params.append(filters.date_from.isoformat())
    if filters.date_to is not None:
        clauses.append("c.occurred_at < ?")
        params.append((filters.date_to + timedelta(days=1)).isoformat())
    if filters.status is not None:
        clauses.append("c.status = ?")
        params.append(filters.status.value)
    if filters.recorder:
        clauses.append("c.recorder_name = ?")
        params.append(filters.recorder)
    if filters.child_id is not None:
        clauses.append("c.id IN (SELECT concern_id FROM concern_children WHERE child_id = ?)")
        params.append(filters.child_id)
    return clauses, params


def search(
    conn: Connection, filters: SearchFilters, *, limit: int = 200, offset: int = 0
) -> list[ConcernSummary]:
    """One page of concerns matching ``filters``, newest first."""
    clauses, params = _where(filters)
    query = fts_query(filters.text)
    if query:
        sql = (
            f"SELECT {_SUMMARY_COLUMNS} FROM concern_search s JOIN concerns c ON c.id = s.rowid "
            "WHERE concern_search MATCH ?"
            + "".join(f" AND {c}" for c in clauses)
            + " ORDER BY s.rowid DESC LIMIT ? OFFSET ?"
        )
        rows = conn.execute(sql, (query, *params, limit, offset)).fetchall()
    else:
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = (
            f"SELECT {_SUMMARY_COLUMNS} FROM concerns c{where} ORDER BY c.id DESC LIMIT ? OFFSET ?"
        )
        rows = conn.execute(sql, (*params, limit, offset)).fetchall()
    return [_summary(r) for r in rows]


def count(conn: Connection, filters: SearchFilters) -> int:
    """How many concerns match ``filters`` (all pages)."""
    clauses, params = _where(filters)
    query = fts_query(filters.text)
    if query:
        sql = (
            "SELECT count(*) FROM concern_search s JOIN concerns c ON c.id = s.rowid "
            "WHERE concern_search MATCH ?" + "".join(f" AND {c}" for c in clauses)
        )
        return int(conn.execute(sql, (query, *params)).fetchone()[0])
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return int(conn.execute(f"SELECT count(*) FROM concerns c{where}", params).fetchone()[0])


def recorders(conn: Connection) -> list[str]:
    """Every recorder name that appears on a concern, for the filter list."""
    rows = conn.execute(
        "SELECT DISTINCT recorder_name FROM concerns WHERE recorder_name != '' ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows]


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
