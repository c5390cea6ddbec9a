"""Children's records in the case database: details, links to concerns, household, professionals."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from ..domain.casework import RiskLevel
from ..domain.child_history import HistoryRecord
from ..domain.children import (
    ChildDetails,
    HouseholdMember,
    MatchCandidate,
    Professional,
    SendSupport,
    given_key,
    name_key,
    surname_key,
)
from ..domain.records import ChildLink, ChildRecord, HouseholdRecord, ProfessionalRecord
from .case_database import Connection
from .case_records import utc_now
from .concern_search import reindex_concern

_DETAIL_KEYS = (
    "gender",
    "ethnicity",
    "language",
    "address",
    "group",
    "additional_needs",
    "other_names",
    "religion",
    "nhs_number",
    "lives_with",
)
# Kept in the same JSON, not as text: true, false or null (not known).
_FLAG_KEYS = ("interpreter_needed", "disability")
_CHILD_COLUMNS = (
    "ch.id, ch.name, ch.date_of_birth, ch.approximate_age, ch.details, ch.case_owner,"
    " ch.risk_level, ch.created_at, ch.updated_at"
)


def _details_json(details: ChildDetails) -> str:
    data: dict[str, object] = {k: getattr(details, k) for k in _DETAIL_KEYS}
    data.update({k: getattr(details, k) for k in _FLAG_KEYS})
    data["send"] = details.send.value if details.send is not None else None
    data["unborn"] = details.unborn
    data["expected_on"] = details.expected_on.isoformat() if details.expected_on else None
    return json.dumps(data, ensure_ascii=False)


def _details_from_json(extra: dict[str, object]) -> dict[str, object]:
    """The detail fields of a stored row; a row written before a field existed lacks it."""
    send = extra.get("send")
    expected = extra.get("expected_on")
    values: dict[str, object] = {k: str(extra.get(k) or "") for k in _DETAIL_KEYS}
    values.update({k: v if isinstance(v := extra.get(k), bool) else None for k in _FLAG_KEYS})
    values["send"] = SendSupport(str(send)) if send in SendSupport._value2member_map_ else None
    values["unborn"] = extra.get("unborn") is True
    values["expected_on"] = date.fromisoformat(expected) if isinstance(expected, str) else None
    return values


def insert_child(conn: Connection, details: ChildDetails) -> int:
    now = utc_now()
    cursor = conn.execute(
        "INSERT INTO children (name, name_key, surname_key, given_key, date_of_birth,"
        " approximate_age, details, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            details.name,
            name_key(details.name),
            surname_key(details.name),
            given_key(details.name),
            details.date_of_birth.isoformat() if details.date_of_birth else None,
            details.approximate_age,
            _details_json(details),
            now,
            now,
        ),
    )
    return int(cursor.lastrowid or 0)


def _history_values(details: ChildDetails) -> dict[str, object]:
    """Each field of the details as the history keeps it (plain JSON values)."""
    data: dict[str, object] = json.loads(_details_json(details))
    data["name"] = details.name
    data["date_of_birth"] = details.date_of_birth.isoformat() if details.date_of_birth else None
    data["approximate_age"] = details.approximate_age
    return data


def _add_history(
    conn: Connection, child_id: int, field: str, previous: object, current: object, by: str
) -> None:
    conn.execute(
        "INSERT INTO child_history (child_id, field, previous, current, changed_at, changed_by)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            child_id,
            field,
            json.dumps(previous, ensure_ascii=False),
            json.dumps(current, ensure_ascii=False),
            utc_now(),
            by,
        ),
    )


def update_child(conn: Connection, child_id: int, details: ChildDetails, by: str) -> None:
    """Save the child's details, keeping each changed field's value before in the history."""
    before = get_child(conn, child_id)
    if before is not None:
        old, new = _history_values(before.details), _history_values(details)
        for key, value in new.items():
            if old.get(key) != value:
                _add_history(conn, child_id, key, old.get(key), value, by)
    conn.execute(
        "UPDATE children SET name = ?, name_key = ?, surname_key = ?, given_key = ?,"
        " date_of_birth = ?, approximate_age = ?, details = ?, updated_at = ? WHERE id = ?",
        (
            details.name,
            name_key(details.name),
            surname_key(details.name),
            given_key(details.name),
            details.date_of_birth.isoformat() if details.date_of_birth else None,
            details.approximate_age,
            _details_json(details),
            utc_now(),
            child_id,
        ),
    )
    # The child's name is searchable in every linked concern.
    for (concern_id,) in conn.execute(
        "SELECT DISTINCT concern_id FROM concern_children WHERE child_id = ?", (child_id,)
    ).fetchall():
        reindex_concern(conn, int(concern_id))


def set_case_owner(conn: Connection, child_id: int, username: str) -> None:
    conn.execute(
        "UPDATE children SET case_owner = ?, updated_at = ? WHERE id = ?",
        (username, utc_now(), child_id),
    )


def set_risk_level(conn: Connection, child_id: int, level: RiskLevel) -> None:
    conn.execute(
        "UPDATE children SET risk_level = ?, updated_at = ? WHERE id = ?",
        (level.value, utc_now(), child_id),
    )


def _child(row: tuple[object, ...], concern_count: int = 0, last: str = "") -> ChildRecord:
    cid, name, born, approx, details, owner, risk, created, updated = row
    extra = json.loads(str(details))
    return ChildRecord(
        child_id=int(str(cid)),
        details=ChildDetails(
            name=str(name),
            date_of_birth=date.fromisoformat(str(born)) if born else None,
            approximate_age=int(str(approx)) if approx is not None else None,
            **_details_from_json(extra),  # type: ignore[arg-type]  # typed per key above
        ),
        case_owner=str(owner),
        risk_level=RiskLevel(str(risk)),
        created_at=str(created),
        updated_at=str(updated),
        concern_count=concern_count,
        last_concern_at=last,
    )


def names(conn: Connection, child_ids: list[int]) -> dict[int, str]:
    """Child id -> name, for the ids given (a list page's worth at a time)."""
    found: dict[int, str] = {}
    for start in range(0, len(child_ids), 500):
        part = child_ids[start : start + 500]
        marks = ", ".join("?" * len(part))
        for child_id, name in conn.execute(
            f"SELECT id, name FROM children WHERE id IN ({marks})", part
        ):
            found[int(child_id)] = str(name)
    return found


def get_child(conn: Connection, child_id: int) -> ChildRecord | None:
    row = conn.execute(
        f"SELECT {_CHILD_COLUMNS} FROM children ch WHERE ch.id = ?",
        (child_id,),
    ).fetchone()
    if row is None:
        return None
    count, last = conn.execute(
        "SELECT count(*), coalesce(max(c.occurred_at), '') FROM concern_children l"
        " JOIN concerns c ON c.id = l.concern_id WHERE l.child_id = ?",
        (child_id,),
    ).fetchone()
    return _child(row, int(count), str(last))


def list_children(
    conn: Connection, name_filter: str = "", *, limit: int = 200, offset: int = 0
) -> list[ChildRecord]:
    """Children by name, with how many concerns each has; ``name_filter`` matches any part."""
    key = name_key(name_filter)
    where, params = "", []
    if key:
        where = " WHERE ch.name_key LIKE ? ESCAPE '\\'"
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    rows = conn.execute(
        f"SELECT {_CHILD_COLUMNS},"
        " (SELECT count(*) FROM concern_children l WHERE l.child_id = ch.id),"
        " (SELECT coalesce(max(c.occurred_at), '') FROM concern_children l"
        "  JOIN concerns c ON c.id = l.concern_id WHERE l.child_id = ch.id)"
        f" FROM children ch{where} ORDER BY ch.name_key, ch.id LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return [_child(r[:9], int(str(r[9])), str(r[10])) for r in rows]


def match_candidates(
    conn: Connection, name: str, date_of_birth: date | None
) -> list[MatchCandidate]:
    """Records worth comparing with a child named in a concern (cheap, indexed look-ups).

    With a date of birth, a record born on another day (day and month swapped aside)
    can never be suggested (domain.children.suggest_matches), so only records born that
    day or with no date of birth are fetched: a common first name otherwise brings up
    hundreds of records on a big store, each compared by name for nothing.
    """
    keys = [("name_key", name_key(name)), ("given_key", given_key(name))]
    if surname_key(name):
        keys.append(("surname_key", surname_key(name)))
    clauses: list[str] = []
    params: list[object] = []
    if date_of_birth is None:
        for column, value in keys:
            clauses.append(f"{column} = ?")
            params.append(value)
    else:
        clauses.append("date_of_birth = ?")
        params.append(date_of_birth.isoformat())
        # A day and month swapped is a common slip.
        if date_of_birth.day <= 12 and date_of_birth.day != date_of_birth.month:
            clauses.append("date_of_birth = ?")
            params.append(
                date_of_birth.replace(month=date_of_birth.day, day=date_of_birth.month).isoformat()
            )
        # One OR term per index, so SQLite looks each up instead of scanning.
        for column, value in keys:
            clauses.append(f"({column} = ? AND date_of_birth IS NULL)")
            params.append(value)
    rows = conn.execute(
        "SELECT id, name, date_of_birth, approximate_age, json_extract(details, '$.other_names')"
        f" FROM children WHERE {' OR '.join(clauses)} LIMIT 500",
        params,
    ).fetchall()
    return [
        MatchCandidate(
            child_id=int(r[0]),
            name=str(r[1]),
            date_of_birth=date.fromisoformat(str(r[2])) if r[2] else None,
            approximate_age=int(r[3]) if r[3] is not None else None,
            other_names=str(r[4] or ""),
        )
        for r in rows
    ]


# Links -------------------------------------------------------------------------------


def links_for_concern(conn: Connection, concern_id: int) -> list[ChildLink]:
    rows = conn.execute(
        "SELECT concern_id, position, child_id, suggested_child_id, linked_at, linked_by,"
        " file_deleted_at FROM concern_children WHERE concern_id = ? ORDER BY position",
        (concern_id,),
    ).fetchall()
    return [ChildLink(int(r[0]), int(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in rows]


def set_suggestion(conn: Connection, concern_id: int, position: int, child_id: int | None) -> None:
    conn.execute(
        "UPDATE concern_children SET suggested_child_id = ? WHERE concern_id = ? AND position = ?",
        (child_id, concern_id, position),
    )


def link(conn: Connection, concern_id: int, position: int, child_id: int, by: str) -> None:
    conn.execute(
        "UPDATE concern_children SET child_id = ?, linked_at = ?, linked_by = ?"
        " WHERE concern_id = ? AND position = ?",
        (child_id, utc_now(), by, concern_id, position),
    )
    reindex_concern(conn, concern_id)


def concerns_with_unlinked_children(conn: Connection) -> int:
    return int(
        conn.execute(
            "SELECT count(DISTINCT concern_id) FROM concern_children"
            " WHERE child_id IS NULL AND file_deleted_at IS NULL"
        ).fetchone()[0]
    )


# Household and professionals ------------------------------------------------------------


# Household members and professionals are kept alike: a row of JSON details per person,
# never deleted, only marked removed, so the child's file keeps its history.
_PEOPLE_TABLES = frozenset({"household_members", "professionals"})


# Their history field: what a removal or an addition is listed under on the child's page.
_HISTORY_FIELD = {"household_members": "household", "professionals": "professional"}


def _add_person(
    conn: Connection, table: str, child_id: int, details: dict[str, object], by: str
) -> int:
    assert table in _PEOPLE_TABLES
    cursor = conn.execute(
        f"INSERT INTO {table} (child_id, details, added_at) VALUES (?, ?, ?)",
        (child_id, json.dumps(details, ensure_ascii=False), utc_now()),
    )
    _add_history(conn, child_id, _HISTORY_FIELD[table], None, details, by)
    return int(cursor.lastrowid or 0)


def _remove_person(conn: Connection, table: str, child_id: int, row_id: int, by: str) -> bool:
    """Mark one of ``child_id``'s people removed; False if there was no such person."""
    assert table in _PEOPLE_TABLES
    row = conn.execute(
        f"SELECT details FROM {table} WHERE id = ? AND child_id = ? AND removed_at IS NULL",
        (row_id, child_id),
    ).fetchone()
    if row is None:
        return False
    conn.execute(f"UPDATE {table} SET removed_at = ? WHERE id = ?", (utc_now(), row_id))
    _add_history(conn, child_id, _HISTORY_FIELD[table], json.loads(str(row[0])), None, by)
    return True


def _people(conn: Connection, table: str, child_id: int) -> list[tuple[int, dict[str, object]]]:
    assert table in _PEOPLE_TABLES
    rows = conn.execute(
        f"SELECT id, details FROM {table} WHERE child_id = ? AND removed_at IS NULL ORDER BY id",
        (child_id,),
    ).fetchall()
    return [(int(row_id), json.loads(str(details))) for row_id, details in rows]


def _replace_person(
    conn: Connection, table: str, child_id: int, row_id: int, details: dict[str, object], by: str
) -> int | None:
    """One of ``child_id``'s people changed: the old row marked removed, the new one added,
    and one history entry with both; the new row's id, or None if there was no such person."""
    assert table in _PEOPLE_TABLES
    row = conn.execute(
        f"SELECT details FROM {table} WHERE id = ? AND child_id = ? AND removed_at IS NULL",
        (row_id, child_id),
    ).fetchone()
    if row is None:
        return None
    now = utc_now()
    conn.execute(f"UPDATE {table} SET removed_at = ? WHERE id = ?", (now, row_id))
    cursor = conn.execute(
        f"INSERT INTO {table} (child_id, details, added_at) VALUES (?, ?, ?)",
        (child_id, json.dumps(details, ensure_ascii=False), now),
    )
    _add_history(conn, child_id, _HISTORY_FIELD[table], json.loads(str(row[0])), details, by)
    return int(cursor.lastrowid or 0)


def _member_json(member: HouseholdMember) -> dict[str, object]:
    data = asdict(member)
    data["date_of_birth"] = member.date_of_birth.isoformat() if member.date_of_birth else None
    return data


def replace_household_member(
    conn: Connection, child_id: int, member_id: int, member: HouseholdMember, by: str
) -> int | None:
    return _replace_person(conn, "household_members", child_id, member_id, _member_json(member), by)


def replace_professional(
    conn: Connection, child_id: int, professional_id: int, professional: Professional, by: str
) -> int | None:
    return _replace_person(
        conn, "professionals", child_id, professional_id, asdict(professional), by
    )


def add_household_member(conn: Connection, child_id: int, member: HouseholdMember, by: str) -> int:
    return _add_person(conn, "household_members", child_id, _member_json(member), by)


def remove_household_member(conn: Connection, child_id: int, member_id: int, by: str) -> bool:
    return _remove_person(conn, "household_members", child_id, member_id, by)


def household(conn: Connection, child_id: int) -> list[HouseholdRecord]:
    records = []
    for member_id, data in _people(conn, "household_members", child_id):
        born = data.pop("date_of_birth", None)
        member = HouseholdMember(
            **data,  # type: ignore[arg-type]
            date_of_birth=date.fromisoformat(str(born)) if born else None,
        )
        records.append(HouseholdRecord(member_id, child_id, member))
    return records


def add_professional(conn: Connection, child_id: int, professional: Professional, by: str) -> int:
    return _add_person(conn, "professionals", child_id, asdict(professional), by)


def remove_professional(conn: Connection, child_id: int, professional_id: int, by: str) -> bool:
    return _remove_person(conn, "professionals", child_id, professional_id, by)


def history(conn: Connection, child_id: int) -> list[HistoryRecord]:
    """Every change kept for the child's record, newest first."""
    rows = conn.execute(
        "SELECT id, field, previous, current, changed_at, changed_by FROM child_history"
        " WHERE child_id = ? ORDER BY id DESC",
        (child_id,),
    ).fetchall()
    return [
        HistoryRecord(
            history_id=int(r[0]),
            child_id=child_id,
            field=str(r[1]),
            previous=json.loads(str(r[2])),
            current=json.loads(str(r[3])),
            changed_at=str(r[4]),
            changed_by=str(r[5]),
        )
        for r in rows
    ]


def professionals(conn: Connection, child_id: int) -> list[ProfessionalRecord]:
    return [
        ProfessionalRecord(pid, child_id, Professional(**data))  # type: ignore[arg-type]
        for pid, data in _people(conn, "professionals", child_id)
    ]
