"""Every action the services write to the audit log has plain words on the Audit log page."""

from __future__ import annotations

import ast

from repo_paths import REPO
from safeguard_desktop.ui.case_area import _ACTION_WORDS

SERVICES = REPO / "src" / "safeguard_desktop" / "services"


def _audited_actions() -> set[str]:
    """Action codes passed as literals to ``audit_log.append``, the session's ``audit``
    or a module's ``_audit(session, ...)`` helper."""
    found: set[str] = set()
    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "_audit" and len(node.args) >= 2:
                arg = node.args[1]
            elif not isinstance(func, ast.Attribute):
                continue
            elif func.attr in ("_audit", "audit") and node.args:
                arg = node.args[0]
            elif func.attr == "append" and len(node.args) >= 3:
                arg = node.args[2]
            else:
                continue
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def test_every_audited_action_has_words() -> None:
    actions = _audited_actions()
    assert {"login", "handoff_decision", "referral_exported"} <= actions  # the scan works
    assert sorted(actions - set(_ACTION_WORDS)) == []
