"""One home for use cases: functions in services/ that take the session first.

The screens and the command line call a use case as ``casework.concern_file(session,
ref)`` or ``people.add_user(session, ...)``, never as a method reached through the
session: ``session.casework.concern_file(ref)`` and ``session.add_user(...)`` were the
second home this test keeps closed (services/__init__.py says where a new use case goes).
Read with ``ast``, nothing imported. Anything reached as ``.casework`` is flagged unless
the name it starts from was bound by an import (``safeguard_desktop.ui.casework``); a
use case that moved off the session is flagged when reached through an expression that
names a session (``session``, ``self._session``, ``area.session``, ``session_of(w)``).
"""

from __future__ import annotations

import ast

import pytest

from repo_paths import REPO

PACKAGE_DIR = REPO / "src" / "safeguard_desktop"

# What used to be methods of CaseSession and are now functions of services/inbox.py,
# casework.py, people.py, organisation_settings.py, backup.py, audit_trail.py and
# records_check.py. A session's own state and life (unlock, lock, conn, user, audit_read,
# drafts, the alarms) stay on it.
MOVED_FROM_THE_SESSION = frozenset(
    {
        # services/inbox.py
        "ingest_inbox",
        "quarantined",
        "accept_quarantined",
        "set_aside_quarantined",
        # services/casework.py
        "concern_count",
        "list_concerns",
        "open_concern",
        # services/people.py
        "add_user",
        "reset_password",
        "remove_user",
        "suspend_user",
        "reinstate_user",
        # services/organisation_settings.py
        "set_idle_lock_minutes",
        "set_contacts",
        "set_allow_guests",
        # services/backup.py
        "make_backup",
        "last_backup",
        "automatic_backups",
        "set_automatic_backups",
        "automatic_backup_due",
        "run_automatic_backup",
        "restored_from",
        # services/audit_trail.py and records_check.py
        "audit_entries",
        "verify_audit",
        "check_records",
    }
)


def _imported_names(tree: ast.AST) -> set[str]:
    """Every name an import binds, wherever it is written (functions import lazily)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _root_name(node: ast.expr) -> str | None:
    """The name an attribute chain starts from: ``area.session.casework`` -> ``area``."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def second_home_calls(rel_path: str, source: str) -> list[str]:
    """``path:line: what`` for each use case reached through an object, not a module."""
    tree = ast.parse(source)
    imported = _imported_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or _root_name(node.value) in imported:
            continue
        if node.attr == "casework":
            found.append(f"{rel_path}:{node.lineno}: .casework (use services/casework.py)")
        elif node.attr in MOVED_FROM_THE_SESSION and "session" in ast.unparse(node.value):
            # Called or handed to the worker as a bound method; a page's own method of
            # the same name (ConcernsPage.open_concern) is not reached through a session.
            found.append(f"{rel_path}:{node.lineno}: .{node.attr} (a function of services/)")
    return found


def _callers() -> list[tuple[str, str]]:
    paths = [*sorted((PACKAGE_DIR / "ui").rglob("*.py")), PACKAGE_DIR / "cli.py"]
    return [(p.relative_to(PACKAGE_DIR).as_posix(), p.read_text("utf-8")) for p in paths]


def test_the_screens_and_the_command_line_call_use_cases_as_functions() -> None:
    callers = _callers()
    assert len(callers) > 50 and ("cli.py" in dict(callers))
    found = [line for rel_path, source in callers for line in second_home_calls(rel_path, source)]
    assert not found, "use cases reached through the session:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "def load(session):\n    return session.casework.concern_file('C-1')\n",
        "def load(self):\n    work = self.session.casework\n    return work.home()\n",
        "def run(area):\n    return area.session.casework.home()\n",
        "def add(session):\n    return session.ingest_inbox()\n",
        "def accept(window, item):\n    return session_of(window).accept_quarantined(item)\n",
        "def bound(session, worker):\n    worker.submit(session.quarantined)\n",
    ],
)
def test_the_check_flags_a_use_case_reached_through_the_session(source: str) -> None:
    assert second_home_calls("ui/example.py", source)


@pytest.mark.parametrize(
    "source",
    [
        "from safeguard_desktop.services import casework\n"
        "def load(session):\n    return casework.concern_file(session, 'C-1')\n",
        "def take(session):\n"
        "    from safeguard_desktop.services import inbox\n"
        "    return inbox.ingest(session)\n",
        "from .casework.home_page import HomePage\n"
        "import safeguard_desktop.ui.casework.home_page\n"
        "x = safeguard_desktop.ui.casework.home_page.HomePage\n",
        "def show(summary):\n    return len(summary.quarantined)\n",
        "class Page:\n    def go(self, ref):\n        self.concerns.open_concern(ref)\n",
    ],
)
def test_the_check_passes_module_functions(source: str) -> None:
    assert second_home_calls("ui/example.py", source) == []
