"""Attachments' rows (migration 11): what each file is, and its bytes in a table of their own.

Listing a concern's or a child's attachments reads ``attachments`` only; the bytes
(``attachment_data``) are read one file at a time, when it is shown or saved. Both
tables are in cases.db, so a file is encrypted under the database key, travels in every
backup and is covered by its checks, and is written in the same transaction as its
audit entry.
"""

from __future__ import annotations

import hashlib
import json

from ..domain.attachments import AttachmentKind, AttachmentRecord
from .case_database import Connection

_COLUMNS = (
    "a.id, a.kind, a.file_name, a.description, a.size, a.sha256, a.original_sha256,"
    " a.removed, a.added_at, a.added_by, c.ref, a.child_id, a.from_recorder"
)
_FROM = "FROM attachments a LEFT JOIN concerns c ON c.id = a.concern_id"


def add(
    conn: Connection,
    *,
    concern_id: int | None,
    child_id: int | None,
    kind: AttachmentKind,
    file_name: str,
    description: str,
    data: bytes,
    sha256: str,
    original_sha256: str,
    removed: tuple[str, ...],
    added_at: str,
    added_by: str,
    from_recorder: bool = False,
) -> int:
    """Store one file and what it is (inside the caller's transaction); its id."""
    cursor = conn.execute(
        "INSERT INTO attachments (concern_id, child_id, kind, file_name, description, size,"
        " sha256, original_sha256, removed, added_at, added_by, from_recorder)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            concern_id,
            child_id,
            kind.value,
            file_name,
            description,
            len(data),
            sha256,
            original_sha256,
            json.dumps(list(removed)),
            added_at,
            added_by,
            int(from_recorder),
        ),
    )
    assert cursor.lastrowid is not None
    attachment_id = int(cursor.lastrowid)
    conn.execute(
        "INSERT INTO attachment_data (attachment_id, data) VALUES (?, ?)", (attachment_id, data)
    )
    return attachment_id


def get(conn: Connection, attachment_id: int) -> AttachmentRecord | None:
    row = conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE a.id = ?", (attachment_id,)).fetchone()
    return _record(row) if row is not None else None


def for_concern(conn: Connection, concern_id: int) -> list[AttachmentRecord]:
    """A concern's attachments, oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE a.concern_id = ? ORDER BY a.id", (concern_id,)
    ).fetchall()
    return [_record(row) for row in rows]


def for_child(conn: Connection, child_id: int) -> list[AttachmentRecord]:
    """Everything attached to the child's file and to each concern linked to the child,
    oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE a.child_id = :child OR a.concern_id IN"
        " (SELECT concern_id FROM concern_children WHERE child_id = :child) ORDER BY a.id",
        {"child": child_id},
    ).fetchall()
    return [_record(row) for row in rows]


def data(conn: Connection, attachment_id: int) -> bytes | None:
    """The bytes kept for one attachment."""
    row = conn.execute(
        "SELECT data FROM attachment_data WHERE attachment_id = ?", (attachment_id,)
    ).fetchone()
    return bytes(row[0]) if row is not None else None


def not_as_attached(conn: Connection) -> list[int]:
    """Ids of the attachments whose bytes no longer hash to the SHA-256 kept beside them,
    or to the one the audit chain recorded when they were attached (changing both means
    rewriting the chain, which its anchors outside the database catch)."""
    audited = {
        int(attachment): str(sha256)
        for attachment, sha256 in conn.execute(
            "SELECT json_extract(detail, '$.attachment'), json_extract(detail, '$.sha256')"
            " FROM audit_log WHERE action = 'attachment_added'"
        )
        if attachment is not None
    }
    changed = []
    for attachment_id, kept, data in conn.execute(
        "SELECT a.id, a.sha256, d.data FROM attachments a"
        " JOIN attachment_data d ON d.attachment_id = a.id ORDER BY a.id"
    ):
        actual = hashlib.sha256(bytes(data)).hexdigest()
        if actual != kept or audited.get(int(attachment_id)) != actual:
            changed.append(int(attachment_id))
    return changed


def count(conn: Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM attachments").fetchone()[0])


def all_ids(conn: Connection) -> list[int]:
    return [int(row[0]) for row in conn.execute("SELECT id FROM attachments ORDER BY id")]


def _record(row: tuple[object, ...]) -> AttachmentRecord:
    (
        attachment_id, kind, file_name, description, size, sha256, original, removed,
        added_at, added_by, concern_ref, child_id, from_recorder,
    ) = row  # fmt: skip
    return AttachmentRecord(
        attachment_id=int(str(attachment_id)),
        kind=AttachmentKind(str(kind)),
        file_name=str(file_name),
        description=str(description),
        size=int(str(size)),
        sha256=str(sha256),
        original_sha256=str(original),
        removed=tuple(str(item) for item in json.loads(str(removed))),
        added_at=str(added_at),
        added_by=str(added_by),
        concern_ref=str(concern_ref) if concern_ref is not None else None,
        child_id=int(str(child_id)) if child_id is not None else None,
        from_recorder=bool(from_recorder),
    )
