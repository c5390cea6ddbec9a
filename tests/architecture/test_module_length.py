"""A long screen module says why it is one module (issue 13).

Past about 500 lines a module in ui/ is usually two features in one file; when it is
not, its docstring says so in a sentence starting "Over 500 lines because", so the next
person to open it knows the size was chosen, not grown into.
"""

from __future__ import annotations

import ast
from pathlib import Path

from repo_paths import REPO

UI = REPO / "src" / "safeguard_desktop" / "ui"
LONGEST_WITHOUT_REASON = 500
REASON = "Over 500 lines because"


def unexplained_long_modules(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) <= LONGEST_WITHOUT_REASON:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if REASON not in " ".join(docstring.split()):
            found.append(str(path.relative_to(folder)))
    return found


def test_every_long_ui_module_says_why() -> None:
    assert unexplained_long_modules(UI) == []


def test_the_check_finds_a_long_module_with_no_reason(tmp_path: Path) -> None:
    body = "x = 1\n" * (LONGEST_WITHOUT_REASON + 1)
    (tmp_path / "silent.py").write_text('"""A page."""\n' + body, encoding="utf-8")
    (tmp_path / "said.py").write_text(
        f'"""A page.\n\n{REASON} it is one form.\n"""\n' + body, encoding="utf-8"
    )
    (tmp_path / "short.py").write_text('"""A page."""\nx = 1\n', encoding="utf-8")
    assert unexplained_long_modules(tmp_path) == ["silent.py"]
