"""The case database schema as a straight chain of migrations.

``MIGRATIONS[n]`` takes a database at ``user_version`` n to n + 1. Each step
runs in one transaction; an existing file is copied aside before the first
step, and a database newer than this program is refused.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the foundation.
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL  -- JSON
    );
    CREATE TABLE inbox_keys (
        id INTEGER PRIMARY KEY,
        public_key BLOB NOT NULL UNIQUE,
        private_key BLOB NOT NULL,
        created_at TEXT NOT NULL,
        retired_at TEXT
    );
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,  -- canonical JSON; never record text
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    -- INSERT OR REPLACE would delete a row without firing the DELETE trigger.
    CREATE TRIGGER audit_log_only_appends BEFORE INSERT ON audit_log
    WHEN NEW.seq <= (SELECT coalesce(max(seq), 0) FROM audit_log)
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TABLE concerns (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        submitted_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        submitter TEXT NOT NULL,  -- JSON: name, role, username or null for a guest
        format_version INTEGER NOT NULL,
        body TEXT NOT NULL,  -- JSON of the concern as submitted; never changed
        status TEXT NOT NULL DEFAULT 'new'
    );
    CREATE INDEX concerns_submitted_at ON concerns (submitted_at);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
