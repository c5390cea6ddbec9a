"""Plurals go through Qt's plural forms, and the English (UK) forms ship with the app.

Every text the code gives ``plural()`` (ui/translations.py) must be in
resources/translations/safeguard_en_GB.ts with a singular and a plural; the compiled
safeguard_en_GB.qm must be the one pyside6-lrelease makes from it; and a count of one
reads as one ("1 entry", never "1 entries").
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from repo_paths import REPO
from safeguard_desktop.resource_files import resource_path
from safeguard_desktop.services.backup import BackupReport, RestoreReport
from safeguard_desktop.services.export import ExportResult
from safeguard_desktop.ui.export.export_dialog import result_sentence
from safeguard_desktop.ui.translations import CONTEXT, plural

PACKAGE = REPO / "src" / "safeguard_desktop"
TS = resource_path("translations", "safeguard_en_GB.ts")
QM = resource_path("translations", "safeguard_en_GB.qm")


def texts_in_code() -> dict[str, str]:
    """Each literal text given to plural(), and where."""
    found: dict[str, str] = {}
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "plural"
                and node.args
            ):
                first = node.args[0]
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                    f"{path}:{node.lineno}: plural() needs a literal text"
                )
                found[first.value] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return found


def forms_in_ts() -> dict[str, list[str]]:
    root = ET.parse(TS).getroot()  # noqa: S314 - our own file, in the repository
    forms: dict[str, list[str]] = {}
    for context in root.iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            forms[source] = [f.text or "" for f in message.iter("numerusform")]
    return forms


def test_every_plural_text_has_its_two_english_forms() -> None:
    code, ts = texts_in_code(), forms_in_ts()
    assert code, "no plural() calls found"
    missing = [f"{where}: {text!r}" for text, where in code.items() if text not in ts]
    assert missing == [], "add these to safeguard_en_GB.ts:\n" + "\n".join(missing)
    for source, forms in ts.items():
        assert len(forms) == 2 and all(forms), source
        assert not any("(s)" in form for form in forms), source
        placeholder = "%n" if "%n" in source else "{n}"
        assert all(placeholder in form for form in forms), source
    unused = sorted(set(ts) - set(code))
    assert unused == [], f"no longer used: {unused}"


@pytest.mark.skipif(shutil.which("pyside6-lrelease") is None, reason="no pyside6-lrelease")
def test_the_compiled_forms_are_the_ones_the_source_makes(tmp_path: Path) -> None:
    made = tmp_path / "made.qm"
    subprocess.run(["pyside6-lrelease", str(TS), "-qm", str(made)], check=True, capture_output=True)
    assert made.read_bytes() == QM.read_bytes(), "run pyside6-lrelease on safeguard_en_GB.ts"


def test_one_is_singular(qtbot: QtBot) -> None:
    sentence = "Complete and unchanged: {n} entries, checked at {time}."
    assert plural(sentence, 1).format(n=1, time="09:00") == (
        "Complete and unchanged: 1 entry, checked at 09:00."
    )
    assert plural(sentence, 2).format(n=2, time="09:00") == (
        "Complete and unchanged: 2 entries, checked at 09:00."
    )
    locked = "Locked because nobody used the app for %n minutes. Sign in to carry on."
    assert (
        plural(locked, 1) == "Locked because nobody used the app for 1 minute. Sign in to carry on."
    )


def _export_result(concerns: int, children: int, pdfs: int) -> ExportResult:
    return ExportResult(
        path=Path("export.zip"),
        zipped=True,
        counts={"concerns": concerns, "children": children},
        chronologies=pdfs,
        referrals=0,
        files=0,
        bytes=2_000,
        sha256=None,
        export_json_sha256="",
        seconds=1.0,
    )


def test_the_sentences_after_an_export_a_backup_and_a_restore_count_one_as_one(
    qtbot: QtBot,
) -> None:
    assert result_sentence(_export_result(1, 1, 1)) == (
        "Exported 1 concern about 1 child, with 1 PDF (2 kB)."
    )
    assert result_sentence(_export_result(1_200, 2, 0)) == (
        "Exported 1,200 concerns about 2 children, with 0 PDFs (2 kB)."
    )
    made = BackupReport(
        path=Path("safeguard-backup.sgbackup"),
        size=4096,
        made_at="2026-12-08T01:05:00+00:00",
        concerns=1,
        children=1,
        audit_entries=1,
        head_seq=1,
    )
    assert "holding 1 concern, 1 child and 1 audit entry." in made.sentence()
    restored = RestoreReport(
        data_dir=Path("data"),
        backup_made_at="2026-12-08T01:05:00+00:00",
        concerns=1,
        children=0,
        accounts_needing_password=(),
    )
    assert restored.sentence().startswith("Restored: 1 concern and 0 children as they were")
