"""Architecture rules, checked by reading every module of the package with ``ast``.

The layers (bottom-up) are domain < security < storage < pdf < services < (cli, app, ui).
A layer imports only the layers below it, Qt only appears in ui/ and app.py, SQL and the
SQLite drivers only in storage/. Inside ui/, each feature package imports only the parts
``UI_MAY_IMPORT`` allows. Each rule is a test of its own so a failure names the rule; each
violation is printed as ``path:line: what``. Deliberate exceptions live in one table,
``EXCEPTIONS``, each with the reason it is safe.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from repo_paths import REPO

PACKAGE = "safeguard_desktop"
REPO_ROOT = REPO
PACKAGE_DIR = REPO_ROOT / "src" / PACKAGE

# Which layer each sub-package or top-level module belongs to. A new top-level
# module or sub-package fails test_every_module_is_in_a_layer until it is added here.
LAYER_OF: dict[str, str] = {
    "__init__": "root",  # APP_NAME and __version__ only
    "app_logging": "support",  # logging set-up shared by cli.py and app.py
    "resource_files": "support",  # finds shipped fonts and icons, frozen or not
    "process_hardening": "support",  # umask and core dumps, set by cli.py and app.py
    "resources": "support",  # data files (fonts, icons)
    "domain": "domain",
    "security": "security",
    "storage": "storage",
    "pdf": "pdf",
    "services": "services",
    "ui": "ui",
    "app": "app",
    "cli": "cli",
    "__main__": "cli",
}

# What each layer may import besides itself. "root" and "support" hold no logic
# of any layer and import nothing from the layers, so every layer may use them.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "root": frozenset(),
    "support": frozenset({"root"}),
    "domain": frozenset({"root", "support"}),
    "security": frozenset({"root", "support", "domain"}),
    "storage": frozenset({"root", "support", "domain", "security"}),
    "pdf": frozenset({"root", "support", "domain", "security"}),
    "services": frozenset({"root", "support", "domain", "security", "storage", "pdf"}),
    "ui": frozenset({"root", "support", "domain", "services"}),
    "app": frozenset({"root", "support", "domain", "services", "ui"}),
    # cli.py opens the desktop app (app.py) when run with no command.
    "cli": frozenset({"root", "support", "domain", "services", "app"}),
}

# Inside ui/: which part each sub-package or top-level module of ui/ belongs to. "base" is
# what every screen stands on; "widgets" the generic pieces; "shell" the window and the
# signed-in area that put the features together. A new sub-package or top-level module of
# ui/ fails test_every_ui_module_is_in_a_part until it is added here.
UI_PART_OF: dict[str, str] = {
    "__init__": "base",
    "theme": "base",  # the calm look and the standard labels every screen uses
    "worker": "base",  # the one background worker every screen submits to
    "case_worker": "base",  # the records area's worker and its one change signal
    "qt_probe": "base",  # the self-test's Qt check; imports nothing of ui/
    "garbage_collector": "base",  # the GUI thread's garbage collection, started by app.py
    "translations": "base",  # the English plural forms ("1 entry", "2 entries")
    "widgets": "widgets",  # form fields, dialog parts, wizard pages, lazy table models
    "access": "access",  # sign-in, a guest's name, recovery key, passwords, idle lock
    "setup": "setup",  # first run, the setup wizard, the recovery key shown once
    "recording": "recording",  # the recorder's area, the concern form, the body map
    "casework": "casework",  # Home, the Concerns page, the Concern view and its dialogs
    "children": "children",  # the Children page, a child's file, the chronology
    "handoff": "handoff",  # the handoff wizard and its pages (the LADO page among them)
    "referral": "referral",  # the referral dialog, verifying a PDF, signing settings
    "reports": "reports",  # the Reports page and its chart
    "admin": "admin",  # People, Settings, the local contacts form
    "backups": "backups",  # Back up now, automatic backups, restore
    "export": "export",  # Export everything
    "data_folder_alarms": "data_folder_alarms",  # Home's alarms, items not accepted
    "stations": "stations",  # a PC set up as a recording station, its home, the Stations list
    "attachments": "attachments",  # files attached: the list, attaching one, the viewer
    "subject_access": "subject_access",  # requests for a child's records: record, review
    "transfer": "transfer",  # a child's file sent to a new school or club, or received
    "main_window": "shell",
    "case_area": "shell",
}

# What each part of ui/ may import from ui/ besides itself, each edge with its reason.
# Every feature stands on base and widgets; widgets imports no feature; only the shell
# imports the shell. test_ui_table_is_acyclic keeps the features in one order.
_FOUNDATION = frozenset({"base", "widgets"})
UI_MAY_IMPORT: dict[str, frozenset[str]] = {
    "base": frozenset(),
    "widgets": frozenset({"base"}),
    "access": _FOUNDATION,
    "backups": _FOUNDATION,
    "export": _FOUNDATION,
    "data_folder_alarms": _FOUNDATION,
    "referral": _FOUNDATION,
    "reports": _FOUNDATION,
    "attachments": _FOUNDATION,
    "subject_access": _FOUNDATION,
    "transfer": _FOUNDATION,
    "stations": _FOUNDATION
    | {
        # a station's home has the recorder's big "Record a concern" button and numbers
        "recording",
    },
    "recording": _FOUNDATION
    | {
        # a recorder refused before the form opens (the settings file is not the one the
        # lead signed) sees the data-folder alarm's own page in place of the form
        "data_folder_alarms",
    },
    "casework": _FOUNDATION
    | {
        "recording",  # Home's "Record a concern" button; the concern file's body map outline
        "backups",  # Home's backups box
        "data_folder_alarms",  # Home's alarms and the items not accepted
        "attachments",  # the concern file's Attachments section: attach, view, save a copy
        "subject_access",  # Home's box of open subject access requests and their deadlines
        "transfer",  # Home's box of transferred files waiting for their receipt
    },
    "children": _FOUNDATION
    | {
        # a child's page adds an action with the concern's dialog, and says times,
        # categories and statuses in the words every casework view uses
        "casework",
        "attachments",  # a child's file's Attachments tab: its own files and its concerns'
        "subject_access",  # a child's file's Subject access tab: its requests, record, review
        "transfer",  # a child's file's Transfers tab; "Receive a transferred file…"
    },
    "handoff": _FOUNDATION
    | {
        "recording",  # the danger step shows the local numbers as the recorder's area does
        "referral",  # the referral step edits the same content fields as the referral dialog
    },
    "admin": _FOUNDATION
    | {
        "access",  # People opens "Set a new password"
        "backups",  # Settings' backup part; People's note for accounts without a password
        "export",  # Settings' "Export everything"
        "referral",  # Settings' signing certificate and the contact lines on referrals
        "stations",  # Settings' recording stations
    },
    "setup": _FOUNDATION
    | {
        "admin",  # the setup wizard asks the local contacts with Settings' own form
    },
    # The window and the signed-in areas put the features together: they may use any part.
    "shell": frozenset(UI_PART_OF.values()),
}

QT_PACKAGES = frozenset({"PySide6", "shiboken6", "PySide2", "PyQt5", "PyQt6"})
SQLITE_DRIVERS = frozenset({"sqlite3", "sqlcipher3", "pysqlcipher3", "apsw"})
SQL_CALLS = frozenset({"execute", "executemany", "executescript"})
QT_HOME = ("ui/*", "app.py")  # where Qt may be imported at all
SQL_HOME = ("storage/*",)  # where SQL and the SQLite drivers may appear

# (module path inside the package, glob; rule) -> why it is safe. Rules:
# "qt-in-function", "sql", "sqlite-driver", or "import <module>" for a layer exception.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("cli.py", f"import {PACKAGE}.ui.qt_probe"): (
        "selftest's Qt check, imported inside cmd_selftest only; it loads QtCore and QtGui "
        "and no widget (importing app.py would load every widget: 0.35 s of a 2 s budget)"
    ),
    ("pdf/*", f"import {PACKAGE}.storage.atomic_file"): (
        "a PDF written to disk uses the store's crash-safe write-fsync-rename; "
        "atomic_file touches files only, never the database"
    ),
}

# SQL statements as they are written in code: the keyword in upper or lower case (not
# "Select a child", which is an English sentence) followed by the shape of a statement.
_SQL_SHAPES = {
    "select": r"select\s+(?:\*|\d|[a-z_]+\s*\(|\S.*?\bfrom\b)",
    "insert": r"insert\s+(?:or\s+\w+\s+)?into\b",
    "update": r"update\s+[\w\"`\[\]]+\s+set\b",
    "delete": r"delete\s+from\b",
    "create": r"create\s+(?:(?:temp|temporary|unique|virtual)\s+)*(?:table|index|view|trigger)\b",
    "pragma": r"pragma\s+[\w.]+",
    "alter": r"alter\s+table\b",
    "drop": r"drop\s+(?:table|index|view|trigger)\b",
}
_SQL_RE = re.compile(
    r"^\s*(?:" + "|".join(f"(?P<{kw}>{shape})" for kw, shape in _SQL_SHAPES.items()) + ")",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class Violation:
    path: str  # inside the package, with forward slashes, e.g. "ui/setup_wizard.py"
    line: int
    rule: str  # a key of EXCEPTIONS' second element
    what: str

    def __str__(self) -> str:
        return f"src/{PACKAGE}/{self.path}:{self.line}: {self.what}"


def module_name(rel_path: str) -> str:
    parts = rel_path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([PACKAGE, *parts])


def layer_of_path(rel_path: str) -> str | None:
    return LAYER_OF.get(rel_path.split("/")[0].removesuffix(".py"))


def layer_of_module(module: str) -> str | None:
    """The layer of an imported ``safeguard_desktop...`` module; None if outside the package."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    if len(parts) == 1:
        return "root"
    return LAYER_OF.get(parts[1], f"unknown:{parts[1]}")


def ui_part_of_path(rel_path: str) -> str | None:
    """The part of ui/ a module of ui/ is in (None for one outside ui/ or in no part)."""
    parts = rel_path.split("/")
    if parts[0] != "ui" or len(parts) < 2:
        return None
    return UI_PART_OF.get(parts[1].removesuffix(".py"))


def ui_part_of_module(module: str) -> str | None:
    """The part of ui/ an imported module is in; None if it is outside ui/."""
    parts = module.split(".")
    if parts[:2] != [PACKAGE, "ui"]:
        return None
    if len(parts) == 2:
        return "base"  # ui/__init__.py
    return UI_PART_OF.get(parts[2], f"unknown:{parts[2]}")


def _matches(rel_path: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(rel_path, glob) for glob in globs)


def excepted(violation: Violation) -> bool:
    for (glob, rule), _reason in EXCEPTIONS.items():
        if not fnmatch.fnmatchcase(violation.path, glob):
            continue
        if rule == violation.rule:
            return True
        # "import a.b" (or "ui-import a.b") also covers a.b's submodules.
        if rule.startswith(("import ", "ui-import ")) and violation.rule.startswith(rule):
            rest = violation.rule[len(rule) :]
            if rest == "" or rest.startswith("."):
                return True
    return False


def _imports(
    node: ast.AST, rel_path: str, known_modules: frozenset[str]
) -> Iterator[tuple[str, int]]:
    """Absolute module names an import statement (or a literal dynamic import) pulls in."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name, node.lineno
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            package = module_name(rel_path).split(".")
            if not rel_path.endswith("__init__.py"):
                package = package[:-1]
            base = package[: len(package) - (node.level - 1)]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        for alias in node.names:
            candidate = f"{module}.{alias.name}"
            yield (candidate if candidate in known_modules else module), node.lineno
    elif isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        first = node.args[0] if node.args else None
        if (
            name in {"import_module", "__import__"}
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            yield first.value, node.lineno


def _sql_in_text(text: str) -> str | None:
    match = _SQL_RE.match(text)
    if match is None:
        return None
    keyword = text.lstrip().split(None, 1)[0]
    if keyword not in (keyword.upper(), keyword.lower()):
        return None  # "Select a child from the list" is prose
    return " ".join(text.split())[:50]


def _walk(node: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    """Every node with whether it runs inside a function body (not at import time)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant):
            continue  # docstrings and other bare strings are prose, not code
        yield child, in_function
        if isinstance(child, ast.JoinedStr):
            # The f-string was checked whole; only the expressions inside it remain.
            for part in child.values:
                if isinstance(part, ast.FormattedValue):
                    yield from _walk(part, in_function)
            continue
        nested = in_function or isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        yield from _walk(child, nested)


def _ui_import_problem(ui_part: str, module: str) -> str | None:
    """Why a module in part ``ui_part`` of ui/ may not import ``module``; None if it may."""
    part = ui_part_of_module(module)
    if part is None or part == ui_part:
        return None
    if not part.startswith("unknown:") and part in UI_MAY_IMPORT[ui_part]:
        return None
    allowed = ", ".join(sorted(UI_MAY_IMPORT[ui_part])) or "nothing"
    return f"ui/{ui_part} imports {module} ({part}); {ui_part} may import only: {allowed}"


def check_module(rel_path: str, source: str, known_modules: frozenset[str]) -> list[Violation]:
    """Every rule broken by one module, before EXCEPTIONS are applied."""
    found: list[Violation] = []

    def add(line: int, rule: str, what: str) -> None:
        violation = Violation(rel_path, line, rule, what)
        if violation not in found:  # `from m import a, b` is one import, not two
            found.append(violation)

    try:
        tree = ast.parse(source, filename=rel_path)
    except SyntaxError as err:
        add(err.lineno or 1, "syntax", f"does not parse: {err.msg}")
        return found

    layer = layer_of_path(rel_path)
    if layer is None:
        top = rel_path.split("/")[0].removesuffix(".py")
        add(1, "layer", f"is in no layer; add {top!r} to LAYER_OF in {Path(__file__).name}")
    ui_part = ui_part_of_path(rel_path)  # a module of ui/ in no part: see unplaced_in_ui
    qt_home = _matches(rel_path, QT_HOME)
    sql_home = _matches(rel_path, SQL_HOME)

    for node, in_function in _walk(tree):
        for module, line in _imports(node, rel_path, known_modules):
            top_name = module.split(".")[0]
            if top_name in QT_PACKAGES and not qt_home:
                if in_function:
                    add(line, "qt-in-function", f"imports {module} (in a function) outside ui/")
                else:
                    add(line, "qt", f"imports {module} at module level outside ui/ and app.py")
            if top_name in SQLITE_DRIVERS and not sql_home:
                add(line, "sqlite-driver", f"imports {module} outside storage/")
            if ui_part is not None and (problem := _ui_import_problem(ui_part, module)):
                add(line, f"ui-import {module}", problem)
            target = layer_of_module(module)
            if layer is None or target is None or target == layer:
                continue
            if target.startswith("unknown:") or target not in MAY_IMPORT[layer]:
                allowed = ", ".join(sorted(MAY_IMPORT[layer])) or "nothing"
                add(
                    line,
                    f"import {module}",
                    f"{layer} imports {module} ({target}); {layer} may import only: {allowed}",
                )
        if sql_home:
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            add(node.lineno, "sql", f"calls .{node.func.attr}() outside storage/")
        text: str | None = None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "x" for part in node.values
            )
        if text is not None and (snippet := _sql_in_text(str(text))) is not None:
            add(node.lineno, "sql", f"SQL text outside storage/: {snippet!r}")
    return found


def unplaced_in_ui(rel_paths: list[str]) -> list[Violation]:
    """Modules of ui/ whose sub-package or top-level name is missing from UI_PART_OF."""
    found: list[Violation] = []
    for rel_path in rel_paths:
        if rel_path.startswith("ui/") and ui_part_of_path(rel_path) is None:
            top = rel_path.split("/")[1].removesuffix(".py")
            found.append(
                Violation(
                    rel_path, 1, "ui-part", f"is in no part of ui/; add {top!r} to UI_PART_OF"
                )
            )
    return found


def _package_modules() -> dict[str, str]:
    """rel_path -> source for every module of the package."""
    return {
        path.relative_to(PACKAGE_DIR).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def violations() -> list[Violation]:
    modules = _package_modules()
    known = frozenset(module_name(rel) for rel in modules)
    found: list[Violation] = []
    for rel_path, source in modules.items():
        found.extend(v for v in check_module(rel_path, source, known) if not excepted(v))
    found.extend(unplaced_in_ui(list(modules)))
    return found


def _assert_none(violations: list[Violation], rules: set[str], title: str) -> None:
    broken = [
        v
        for v in violations
        if v.rule in rules or any(v.rule.startswith(f"{rule} ") for rule in rules)
    ]
    if broken:
        # pytrace=False: the list of violations is the whole story, not this frame.
        pytest.fail(f"{title}:\n" + "\n".join(str(v) for v in broken), pytrace=False)


def test_walker_finds_the_package() -> None:
    modules = _package_modules()
    assert len(modules) > 10, f"only {len(modules)} modules under {PACKAGE_DIR}"
    layers = {layer_of_path(rel) for rel in modules}
    missing = {"domain", "security", "storage", "pdf", "services", "ui"} - layers
    assert not missing, f"no modules found for layers {sorted(missing)}"


def test_every_module_is_in_a_layer(violations: list[Violation]) -> None:
    _assert_none(violations, {"layer", "syntax"}, "modules outside every layer")


def test_qt_only_in_ui_and_app(violations: list[Violation]) -> None:
    _assert_none(violations, {"qt", "qt-in-function"}, "Qt imported outside ui/ and app.py")


def test_layers_import_only_layers_below(violations: list[Violation]) -> None:
    _assert_none(violations, {"import"}, "imports of a layer above or beside")


def test_every_ui_module_is_in_a_part(violations: list[Violation]) -> None:
    _assert_none(violations, {"ui-part"}, "modules of ui/ in no part of UI_PART_OF")


def test_ui_parts_import_only_what_the_table_allows(violations: list[Violation]) -> None:
    _assert_none(violations, {"ui-import"}, "imports inside ui/ that UI_MAY_IMPORT does not allow")


def test_ui_table_is_acyclic() -> None:
    """The allowed edges between parts of ui/ run one way: no part reaches itself again."""
    # The shell may import everything by design; nothing imports the shell.
    edges = {part: UI_MAY_IMPORT[part] - {part} for part in UI_MAY_IMPORT if part != "shell"}
    assert all("shell" not in allowed for allowed in edges.values())

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges.get(start, frozenset()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    looped = sorted(part for part in edges if reaches(part, part, set()))
    assert not looped, f"UI_MAY_IMPORT lets these parts import themselves again: {looped}"


def test_every_ui_part_has_its_rules() -> None:
    assert set(UI_PART_OF.values()) == set(UI_MAY_IMPORT)


def test_every_allowed_ui_edge_is_used() -> None:
    """An allowance between two features that no import uses is a door left open: close it.

    (Only the edges between features and to the shell's own parts are checked; every
    part may use base and widgets without having to.)
    """
    modules = _package_modules()
    known = frozenset(module_name(rel) for rel in modules)
    used: set[tuple[str, str]] = set()
    for rel_path, source in modules.items():
        part = ui_part_of_path(rel_path)
        if part is None:
            continue
        for node, _ in _walk(ast.parse(source)):
            for module, _line in _imports(node, rel_path, known):
                target = ui_part_of_module(module)
                if target is not None and target != part:
                    used.add((part, target))
    unused = sorted(
        (part, target)
        for part, allowed in UI_MAY_IMPORT.items()
        if part != "shell"
        for target in allowed - _FOUNDATION - {part}
        if (part, target) not in used
    )
    assert not unused, f"allowed in UI_MAY_IMPORT but never imported: {unused}"


def test_sql_only_in_storage(violations: list[Violation]) -> None:
    _assert_none(violations, {"sql"}, "SQL outside storage/")


def test_sqlite_drivers_only_in_storage(violations: list[Violation]) -> None:
    _assert_none(violations, {"sqlite-driver"}, "SQLite drivers imported outside storage/")


# The checker itself, on small made-up modules: each rule must fire where it should.
_KNOWN = frozenset(
    {
        f"{PACKAGE}.security.recovery_key",
        f"{PACKAGE}.storage.vault_file",
        f"{PACKAGE}.ui.children.child_page",
    }
)


@pytest.mark.parametrize(
    ("rel_path", "source", "rule"),
    [
        ("storage/x.py", "from PySide6.QtCore import QObject\n", "qt"),
        ("services/x.py", "def f():\n    import shiboken6\n", "qt-in-function"),
        ("domain/x.py", "try:\n    import PySide6\nexcept ImportError:\n    pass\n", "qt"),
        ("services/x.py", "import importlib\nimportlib.import_module('PySide6.QtGui')\n", "qt"),
        ("domain/x.py", "from ..services import store\n", f"import {PACKAGE}.services"),
        (
            "domain/x.py",
            "from safeguard_desktop.security import kdf\n",
            f"import {PACKAGE}.security",
        ),
        (
            "security/x.py",
            "from ..storage import vault_file\n",
            f"import {PACKAGE}.storage.vault_file",
        ),
        (
            "ui/x.py",
            "def f():\n    from ..storage import vault_file\n",
            f"import {PACKAGE}.storage.vault_file",
        ),
        ("ui/x.py", "from ..pdf.signing import sign_pdf\n", f"import {PACKAGE}.pdf.signing"),
        ("services/x.py", "import safeguard_desktop.ui.theme\n", f"import {PACKAGE}.ui.theme"),
        ("storage/x.py", "from ..widgets import y\n", f"import {PACKAGE}.widgets"),
        ("ui/x.py", "conn.execute(q)\n", "sql"),
        ("services/x.py", "q = '  select id, name from users'\n", "sql"),
        ("services/x.py", "q = 'INSERT INTO audit VALUES (?)'\n", "sql"),
        ("services/x.py", "q = f'PRAGMA key = {key}'\n", "sql"),
        ("services/x.py", "q = f'UPDATE {table} SET a = 1'\n", "sql"),
        ("pdf/x.py", "q = '''\n    CREATE TABLE t (a)'''\n", "sql"),
        ("ui/x.py", "import sqlite3\n", "sqlite-driver"),
        ("services/x.py", "def f():\n    import sqlcipher3\n", "sqlite-driver"),
        ("helpers.py", "x = 1\n", "layer"),
        # Inside ui/: widgets imports no feature, a feature no feature the table leaves out.
        (
            "ui/widgets/x.py",
            "from ..casework.concern_models import local_day\n",
            f"ui-import {PACKAGE}.ui.casework.concern_models",
        ),
        (
            "ui/casework/x.py",
            "from ..children import child_page\n",
            f"ui-import {PACKAGE}.ui.children.child_page",
        ),
        (
            "ui/handoff/x.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from ..casework.concern_view import ConcernView\n",
            f"ui-import {PACKAGE}.ui.casework.concern_view",
        ),
        (
            "ui/referral/x.py",
            "def f():\n    from ..handoff.handoff_wizard import HandoffWizard\n",
            f"ui-import {PACKAGE}.ui.handoff.handoff_wizard",
        ),
        (
            "ui/casework/x.py",
            "from ..case_area import CaseArea\n",
            f"ui-import {PACKAGE}.ui.case_area",
        ),
        ("ui/theme.py", "from .widgets import form_fields\n", f"ui-import {PACKAGE}.ui.widgets"),
        (
            "ui/recording/steps/x.py",
            "import safeguard_desktop.ui.admin.people_page\n",
            f"ui-import {PACKAGE}.ui.admin.people_page",
        ),
        ("ui/reports/x.py", "from ..stuff import y\n", f"ui-import {PACKAGE}.ui.stuff"),
    ],
)
def test_checker_flags(rel_path: str, source: str, rule: str) -> None:
    rules = {v.rule for v in check_module(rel_path, source, _KNOWN)}
    assert rule in rules, f"{rel_path}: expected {rule!r}, got {sorted(rules)}"


@pytest.mark.parametrize(
    ("rel_path", "source"),
    [
        ("ui/x.py", "from PySide6.QtWidgets import QLabel\nimport shiboken6\n"),
        ("app.py", "from PySide6.QtWidgets import QApplication\nfrom .ui import theme\n"),
        ("storage/x.py", "import sqlcipher3\nconn.execute('SELECT 1')\n"),
        ("ui/x.py", "label = tr('Select a child from the list')\n"),
        ("ui/x.py", "label = tr('Delete from this list?')\nb = 'Create table of contents'\n"),
        ("services/x.py", '"""Runs PRAGMA rekey, then rewraps every slot."""\n'),
        ("services/x.py", "def f():\n    '''select x from y'''\n"),
        ("services/x.py", "from ..storage import case_database\nfrom . import store\n"),
        ("cli.py", "from . import APP_NAME, app_logging\ndef f():\n    from .app import run\n"),
        ("pdf/x.py", "from ..resource_files import resources_root\n"),
        (
            "ui/handoff/x.py",
            "from ..referral.referral_content_fields import ReferralContentFields\n"
            "from ..widgets.form_fields import text_box\nfrom ..theme import hint\n"
            "from .handoff_parts import HandoffPage\n",
        ),
        (
            "ui/main_window.py",
            "from .access.login_page import LoginPage\nfrom .case_area import A\n",
        ),
        ("ui/widgets/x.py", "from .dialog_parts import busy_bar\nfrom ..worker import Worker\n"),
        (
            "ui/recording/steps/x.py",
            "from ..body_map import BodyMapEditor\nfrom ...widgets.wizard_page import FieldsPage\n",
        ),
        ("app.py", "from .ui.main_window import MainWindow\n"),
    ],
)
def test_checker_passes(rel_path: str, source: str) -> None:
    found = [v for v in check_module(rel_path, source, _KNOWN) if not excepted(v)]
    assert not found, "\n".join(str(v) for v in found)


@pytest.mark.parametrize(
    ("rel_paths", "flagged"),
    [
        (["ui/helpers.py", "ui/theme.py"], ["ui/helpers.py"]),
        (["ui/lado/x.py", "ui/handoff/handoff_lado_page.py"], ["ui/lado/x.py"]),
        (["ui/__init__.py", "ui/widgets/__init__.py", "storage/x.py"], []),
    ],
)
def test_unplaced_in_ui_flags(rel_paths: list[str], flagged: list[str]) -> None:
    assert [v.path for v in unplaced_in_ui(rel_paths)] == flagged


def test_every_exception_has_a_reason() -> None:
    for key, reason in EXCEPTIONS.items():
        assert len(reason.split()) >= 8, f"{key}: say why this exception is safe"
