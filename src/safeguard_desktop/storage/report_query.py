"""Counts of concerns by month and category: the only data reports are built from."""

from __future__ import annotations

from datetime import date

from .case_database import Connection


def _range(date_from: date | None, date_to: date | None) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if date_from is not None:
        clauses.append("c.occurred_at >= ?")
        params.append(date_from.isoformat())
    if date_to is not None:
        clauses.append("substr(c.occurred_at, 1, 10) <= ?")
        params.append(date_to.isoformat())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def category_months(
    conn: Connection, date_from: date | None = None, date_to: date | None = None
) -> list[tuple[str, str, int]]:
    """(``YYYY-MM``, category id, number of concerns) for every month with any."""
    where, params = _range(date_from, date_to)
    # Months come from the index on occurred_at alone: a concern's row holds its whole
    # text, and reading 100,000 of them for one column took a second; this takes 0.1 s.
    rows = conn.execute(
        "WITH m AS MATERIALIZED (SELECT c.id, substr(c.occurred_at, 1, 7) AS month"
        f" FROM concerns c{where})"
        " SELECT m.month, cc.category, count(*) FROM concern_categories cc"
        " JOIN m ON m.id = cc.concern_id GROUP BY 1, 2",
        params,
    ).fetchall()
    return [(str(m), str(cat), int(n)) for m, cat, n in rows]


def concern_months(
    conn: Connection, date_from: date | None = None, date_to: date | None = None
) -> list[tuple[str, int]]:
    """(``YYYY-MM``, number of concerns) for every month with any."""
    where, params = _range(date_from, date_to)
    rows = conn.execute(
        f"SELECT substr(c.occurred_at, 1, 7), count(*) FROM concerns c{where} GROUP BY 1",
        params,
    ).fetchall()
    return [(str(m), int(n)) for m, n in rows]
