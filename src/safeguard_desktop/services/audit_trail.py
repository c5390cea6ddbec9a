"""The audit log as a lead reads it: its newest entries, and a new walk of its chain.

Writing to it is the session's (``CaseSession.audit``) and every use case's, in the same
transaction as what it records; the chain itself is storage/audit_log.py.
"""

from __future__ import annotations

from ..storage import audit_log
from ..storage.audit_log import AuditEntry, AuditReport
from .session import CaseSession


def entries(session: CaseSession, limit: int = 200) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first."""
    return audit_log.recent(session.conn, limit)


def verify(session: CaseSession) -> AuditReport:
    """Walk the whole chain again; the session keeps the result (its lock records whether
    the chain was found intact)."""
    session.audit_report = audit_log.verify(session.conn)
    return session.audit_report
