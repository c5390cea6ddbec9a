"""Use cases the UI and the CLI call. Plain Python: no Qt, no SQL strings.

Where a use case goes: it is a module-level function ``verb(session, ...)`` whose first
argument is the signed-in session, in the module named after its feature
(``casework.py`` for a concern, ``children.py`` for a child's record, ``inbox.py``,
``people.py``, ``organisation_settings.py``, ``backup.py``, ``handoff.py``,
``referral.py``, ...); a new feature gets a new module. It is never a method of the
session, and nothing builds a helper object around the session to hold it. What stays
a method of ``Session``/``CaseSession`` (session.py) is the session's own state and life
(unlock, lock, ``conn``, ``user``, ``organisation``, ``read_only``, the alarms and the
check after sign-in, ``audit``/``audit_read``, the recorder's drafts and sealing) and
the few operations on the keys it holds (``new_password_slot``, ``with_database_key``,
``backup_key_material``, ``rotate_keys``, ``save_vault``), which use cases call. Every
writing use case returns what it changed (changes.py). A module the session itself
imports (backup.py, records_check.py, inbox_ingest.py, recording.py, vault_trust.py)
names what it needs of the session as a Protocol rather than import it back.
tests/architecture/test_use_case_home.py fails if ui/ or cli.py reaches a use case
through the session.
"""
