"""Saving files the audit log must know of (services/export_file.py): every file is
written whole first, the audit runs, and only then do the files take their names."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard_desktop.services.export_file import NotSaved, save_all_audited

RECORDS = Path("/nonexistent/records")  # where no test writes


def _named(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_files_take_their_names_only_after_the_audit(tmp_path: Path) -> None:
    seen: list[tuple[list[str], list[str]]] = []

    def audit(shas: list[str]) -> None:
        # When the audit runs, both are written whole but neither has its name yet.
        seen.append((shas, _named(tmp_path)))
        assert len([p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]) == 2

    shas = save_all_audited(
        [(tmp_path / "a.pdf", b"first", "The PDF"), (tmp_path / "b.pkg", b"second", "The file")],
        audit,
        records_folder=RECORDS,
    )
    assert seen == [(shas, [])]
    assert _named(tmp_path) == ["a.pdf", "b.pkg"] and not list(tmp_path.glob(".*"))
    assert (tmp_path / "b.pkg").read_bytes() == b"second"


def test_a_refused_audit_leaves_nothing_under_any_name(tmp_path: Path) -> None:
    def audit(_: list[str]) -> None:
        raise RuntimeError("the database refused")

    with pytest.raises(RuntimeError):
        save_all_audited(
            [(tmp_path / "a.pdf", b"x", "The PDF"), (tmp_path / "b", b"y", "B")],
            audit,
            records_folder=RECORDS,
        )
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_cannot_be_written_is_one_sentence_and_nothing_is_audited(
    tmp_path: Path,
) -> None:
    audited: list[list[str]] = []
    with pytest.raises(NotSaved, match="that folder no longer exists"):
        save_all_audited(
            [(tmp_path / "a.pdf", b"x", "The PDF"), (tmp_path / "gone" / "b", b"y", "The file")],
            audited.append,
            records_folder=RECORDS,
        )
    assert audited == [] and list(tmp_path.iterdir()) == []


def test_nothing_is_saved_in_the_folder_that_holds_the_records(tmp_path: Path) -> None:
    # A referral or a chronology there would be unencrypted beside the records, outlive
    # the child's file at its review and travel with every copy of the folder.
    records = tmp_path / "data"
    (records / "inside").mkdir(parents=True)
    (tmp_path / "link").symlink_to(records)
    audited: list[list[str]] = []
    for path in (records / "r.pdf", records / "inside" / "r.pdf", tmp_path / "link" / "r.pdf"):
        with pytest.raises(NotSaved, match="cannot be saved in the folder that holds the records"):
            save_all_audited([(path, b"x", "The PDF")], audited.append, records_folder=records)
    assert audited == [] and _named(records) == ["inside"] and _named(records / "inside") == []
    save_all_audited(
        [(tmp_path / "r.pdf", b"x", "The PDF")], audited.append, records_folder=records
    )
    assert len(audited) == 1
