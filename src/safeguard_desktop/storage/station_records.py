"""Recording stations as the DSL's PC knows them (the ``stations`` table)."""

from __future__ import annotations

from dataclasses import dataclass

from .case_database import Connection

DROP_SUFFIX = ".sgdrop"  # storage/drop_folder.py's, for a file kept aside by its name


@dataclass(frozen=True)
class StationRow:
    station_id: str
    name: str
    drop_folder: str
    invited_at: str
    invited_by: str
    enrolment_secret: bytes
    public_key: bytes | None
    enrolled_at: str | None
    removed_at: str | None
    last_seen: str | None
    delivered: int
    waiting: int
    oldest_waiting: str | None
    recent: str  # JSON: [[reference, when delivered], ...] as its heartbeat listed them
    heartbeat_at: str | None
    last_error: str


_COLUMNS = (
    "id, name, drop_folder, invited_at, invited_by, enrolment_secret, public_key,"
    " enrolled_at, removed_at, last_seen, delivered, waiting, oldest_waiting, recent,"
    " heartbeat_at, last_error"
)


def _row(row: tuple[object, ...]) -> StationRow:
    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return StationRow(
        station_id=str(row[0]),
        name=str(row[1]),
        drop_folder=str(row[2]),
        invited_at=str(row[3]),
        invited_by=str(row[4]),
        enrolment_secret=bytes(row[5]),  # type: ignore[call-overload]
        public_key=None if row[6] is None else bytes(row[6]),  # type: ignore[call-overload]
        enrolled_at=text(row[7]),
        removed_at=text(row[8]),
        last_seen=text(row[9]),
        delivered=int(str(row[10])),
        waiting=int(str(row[11])),
        oldest_waiting=text(row[12]),
        recent=str(row[13]),
        heartbeat_at=text(row[14]),
        last_error=str(row[15]),
    )


def add(
    conn: Connection,
    *,
    station_id: str,
    name: str,
    drop_folder: str,
    invited_at: str,
    invited_by: str,
    enrolment_secret: bytes,
) -> None:
    conn.execute(
        "INSERT INTO stations (id, name, drop_folder, invited_at, invited_by, enrolment_secret)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (station_id, name, drop_folder, invited_at, invited_by, enrolment_secret),
    )


def get(conn: Connection, station_id: str) -> StationRow | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM stations WHERE id = ?", (station_id,)).fetchone()
    return _row(row) if row else None


def all_stations(conn: Connection) -> list[StationRow]:
    return [
        _row(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM stations ORDER BY invited_at, id")
    ]


def exists_named(conn: Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM stations WHERE removed_at IS NULL AND name = ? COLLATE NOCASE", (name,)
    ).fetchone()
    return row is not None


def enrol(conn: Connection, station_id: str, public_key: bytes, at: str) -> None:
    conn.execute(
        "UPDATE stations SET public_key = ?, enrolled_at = ? WHERE id = ? AND public_key IS NULL",
        (public_key, at, station_id),
    )


def remove(conn: Connection, station_id: str, by: str, at: str) -> None:
    conn.execute(
        "UPDATE stations SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL",
        (at, by, station_id),
    )


def seen(
    conn: Connection, station_id: str, at: str, *, delivered: int = 0, error: str = ""
) -> None:
    """A file from the station was read: when, how many concerns it brought, and the
    reason the last refused one was refused ("" keeps the one recorded)."""
    conn.execute(
        "UPDATE stations SET last_seen = ?, delivered = delivered + ?,"
        " last_error = CASE WHEN ? = '' THEN last_error ELSE ? END WHERE id = ?",
        (at, delivered, error, error, station_id),
    )


def heartbeat(
    conn: Connection,
    station_id: str,
    *,
    at: str,
    waiting: int,
    oldest_waiting: str | None,
    recent: str,
) -> None:
    """The station's own counts and references, as its newest heartbeat gave them."""
    conn.execute(
        "UPDATE stations SET heartbeat_at = ?, waiting = ?, oldest_waiting = ?, recent = ?"
        " WHERE id = ?",
        (at, waiting, oldest_waiting, recent, station_id),
    )


def arrived(conn: Connection, refs: list[str]) -> set[str]:
    """Which of ``refs`` reached this PC: taken in, or kept aside (decided on or not;
    a file kept aside by its name, ``C-….sgdrop``, counts for its reference)."""
    found: set[str] = set()
    for start in range(0, len(refs), 300):
        part = refs[start : start + 300]
        files = [f"{ref}{DROP_SUFFIX}" for ref in part]
        marks = ",".join("?" * len(part))
        rows = conn.execute(
            f"SELECT ref FROM concerns WHERE ref IN ({marks})"
            f" UNION SELECT ref FROM quarantine WHERE ref IN ({marks}, {marks})",
            (*part, *part, *files),
        )
        found.update(str(r[0]).removesuffix(DROP_SUFFIX) for r in rows)
    return found
