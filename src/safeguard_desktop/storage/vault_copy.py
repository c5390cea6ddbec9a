"""What the case database keeps of vault.json: the vault key, a copy, the sender keys.

vault.json sits in the data folder where anyone with the PC's OS account can edit it;
cases.db can only be changed with the database key. So the case database keeps the
organisation's vault key (its private half signs vault.json), the vault as a DSL or
administrator session last wrote it (compared at every such sign-in), and the public
key of every password slot it has seen (ingest checks a recorder's seal against these,
never against the file).
"""

from __future__ import annotations

from .case_database import Connection
from .case_records import get_setting, set_setting, utc_now

_SIGNING_KEY = "vault_signing_key"
_COPY = "vault_copy"


def signing_key(conn: Connection) -> bytes | None:
    value = get_setting(conn, _SIGNING_KEY)
    return bytes.fromhex(value) if isinstance(value, str) else None


def set_signing_key(conn: Connection, private: bytes) -> None:
    """Call inside a transaction; never replaces an existing key."""
    if signing_key(conn) is not None:
        raise ValueError("the case database already has a vault key")
    set_setting(conn, _SIGNING_KEY, private.hex())


def vault_copy(conn: Connection) -> str | None:
    """The vault JSON as a session last wrote it, or None before the first."""
    value = get_setting(conn, _COPY)
    return value if isinstance(value, str) else None


def save_vault_copy(
    conn: Connection, text: str, password_slots: list[tuple[str, str, str, bytes]]
) -> None:
    """Keep ``text`` and remember each (slot id, user id, user name, public key).

    Call inside a transaction. Slots no longer listed are marked removed, never
    forgotten: a concern sealed before an account was removed still verifies.
    """
    set_setting(conn, _COPY, text)
    now = utc_now()
    listed = {slot_id for slot_id, *_ in password_slots}
    for slot_id, user_id, username, public_key in password_slots:
        conn.execute(
            "INSERT INTO sender_keys (slot_id, user_id, username, public_key, added_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(slot_id) DO NOTHING",
            (slot_id, user_id, username, public_key, now),
        )
    rows = conn.execute("SELECT slot_id FROM sender_keys WHERE removed_at IS NULL").fetchall()
    gone = [(now, row[0]) for row in rows if row[0] not in listed]
    conn.executemany("UPDATE sender_keys SET removed_at = ? WHERE slot_id = ?", gone)


def sender_key(conn: Connection, slot_id: str) -> tuple[str, str, bytes, str | None] | None:
    """(user id, user name, public key, removed at) for a slot this database has seen."""
    row = conn.execute(
        "SELECT user_id, username, public_key, removed_at FROM sender_keys WHERE slot_id = ?",
        (slot_id,),
    ).fetchone()
    if row is None:
        return None
    return str(row[0]), str(row[1]), bytes(row[2]), row[3]
