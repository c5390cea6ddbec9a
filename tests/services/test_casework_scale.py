"""What keeps casework quick on a big store (benchmarks/bench_casework.py measures it).

Searches pick concern ids from small indexes and read a concern's row only for the page
shown; a child's chronology looks actions up by concern; linking fetches only records
that could be suggested; and signing in checks every page of cases.db only when the
file is not exactly as this program closed it. Each test checks the results stay right,
and where a test reads a query plan it fails if a query goes back to reading rows.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import secrets
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from concern_example import example_concern
from safeguard_desktop.domain.casework import ConcernStatus, NewAction
from safeguard_desktop.domain.children import ChildDetails
from safeguard_desktop.domain.errors import StoreDamaged
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.security import key_slots
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import (
    audit_log,
    case_database,
    case_records,
    casework_records,
    children_records,
    chronology_query,
    concern_search,
)
from safeguard_desktop.storage.case_database import CLOSED_SUFFIX, Connection

CATEGORIES = ("physical_abuse", "neglect", "emotional_abuse", "online_harm")
RECORDERS = ("Sam Lee", "Rita Recorder", "Jo Guest")
WORDS = ("bruise", "bruised", "brother", "hungry", "late", "scared", "trampoline")


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    """A case database of 80 varied concerns, some linked to children, some closed."""
    conn = case_database.create_database(tmp_path / "cases.db", secrets.token_bytes(32))
    rng = random.Random(5)  # noqa: S311 (fictional test data, not a secret)
    start = datetime(2025, 1, 1, 9, 0)
    with case_records.transaction(conn):
        child = children_records.insert_child(conn, ChildDetails.checked(name="Amelia Kowalska"))
        for i in range(80):
            body = example_concern()
            body["children"] = [{"name": rng.choice(("Amelia Kowalska", "Omar Haddad", "王"))}]
            body["occurred_at"] = (start + timedelta(days=i * 5)).isoformat()
            body["categories"] = rng.sample(CATEGORIES, rng.randint(1, 2))
            body["observed"] = " ".join(rng.sample(WORDS, 2)) + f" note{i}"
            concern_id = case_records.insert_concern(
                conn,
                ref=f"C-TEST-{i:04d}",
                submitted_at=f"{body['occurred_at']}+00:00",
                submitter={"name": rng.choice(RECORDERS), "role": "recorder", "username": None},
                format_version=1,
                body=body,
            )
            if i % 3 == 0:
                children_records.link(conn, concern_id, 0, child, "dana")
            status = rng.choice((ConcernStatus.NEW, ConcernStatus.OPEN, ConcernStatus.CLOSED))
            casework_records.set_concern_status(conn, concern_id, status)
    try:
        yield conn
    finally:
        conn.close()


def _every_concern(conn: Connection) -> list[dict[str, object]]:
    rows = conn.execute(
        "SELECT id, occurred_at, categories, status, recorder_name,"
        " json_extract(body, '$.observed'), child_names FROM concerns"
    ).fetchall()
    linked = {r[0] for r in conn.execute("SELECT concern_id FROM concern_children WHERE child_id")}
    return [
        {
            "id": r[0],
            "occurred": r[1],
            "categories": set(r[2].split(",")),
            "status": r[3],
            "recorder": r[4],
            "words": f"{r[5]} {r[6]}".lower().split(),
            "linked": r[0] in linked,
        }
        for r in rows
    ]


def _expected(concerns: list[dict[str, object]], f: SearchFilters) -> list[int]:
    """The ids a search must return, worked out without SQL, newest first."""
    chosen = []
    for c in concerns:
        words = c["words"]
        assert isinstance(words, list)
        if f.text and not any(w.startswith(f.text) for w in words):
            continue
        if f.categories and not set(f.categories) & c["categories"]:  # type: ignore[operator]
            continue
        if f.date_from and str(c["occurred"]) < f.date_from.isoformat():
            continue
        if f.date_to and str(c["occurred"]) >= (f.date_to + timedelta(days=1)).isoformat():
            continue
        if f.status and c["status"] != f.status.value:
            continue
        if f.recorder and c["recorder"] != f.recorder:
            continue
        if f.child_id is not None and not c["linked"]:
            continue
        chosen.append(int(str(c["id"])))
    return sorted(chosen, reverse=True)


FILTERS = [
    SearchFilters(),
    SearchFilters(text="bru"),
    SearchFilters(text="trampoline"),
    SearchFilters(categories=("neglect",)),
    SearchFilters(categories=("neglect", "online_harm")),
    SearchFilters(date_from=date(2025, 3, 1)),
    SearchFilters(date_to=date(2025, 6, 30)),
    SearchFilters(date_from=date(2025, 3, 1), date_to=date(2025, 6, 30)),
    SearchFilters(status=ConcernStatus.CLOSED),
    SearchFilters(recorder="Jo Guest"),
    SearchFilters(child_id=1),
    SearchFilters(text="bruise", categories=("physical_abuse",), status=ConcernStatus.OPEN),
    SearchFilters(
        text="hungry",
        categories=("neglect", "emotional_abuse"),
        date_from=date(2025, 2, 1),
        date_to=date(2025, 12, 31),
        recorder="Sam Lee",
        child_id=1,
    ),
]


@pytest.mark.parametrize("filters", FILTERS, ids=[repr(f)[13:60] for f in FILTERS])
def test_search_pages_and_counts_match_every_filter(conn: Connection, filters) -> None:
    expected = _expected(_every_concern(conn), filters)
    assert [s.concern_id for s in concern_search.search(conn, filters)] == expected
    assert concern_search.count(conn, filters) == len(expected)
    pages = [
        s.concern_id
        for offset in range(0, 80, 7)
        for s in concern_search.search(conn, filters, limit=7, offset=offset)
    ]
    assert pages == expected


def _statements(conn: Connection, run) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        run()
    finally:
        conn.set_trace_callback(None)
    return [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def _plan(conn: Connection, sql: str) -> list[str]:
    return [str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]


@pytest.mark.parametrize("filters", FILTERS, ids=[repr(f)[13:60] for f in FILTERS])
def test_searches_read_no_concern_row_to_filter(conn: Connection, filters) -> None:
    """A concern's row holds its whole text: filtering by reading rows is what made a
    search take a second on 100,000 concerns. Only the page shown is looked up by id."""
    for run in (
        lambda: concern_search.search(conn, filters),
        lambda: concern_search.count(conn, filters),
    ):
        for sql in _statements(conn, run):
            for step in _plan(conn, sql):
                if re.match(r"(SCAN|SEARCH) (c|concerns)\b", step):
                    assert "COVERING INDEX" in step or "PRIMARY KEY (rowid=?)" in step, step


def test_a_one_letter_word_is_not_a_prefix() -> None:
    assert concern_search.fts_query("bru") == '"bru"*'
    assert concern_search.fts_query("b") == '"b"'  # a whole word: finds 王, not every b-word
    assert concern_search.fts_query("amelia k") == '"amelia"*'  # k waits for its next letter
    assert concern_search.fts_query("amelia ko") == '"amelia" "ko"*'


def test_one_character_names_are_still_found(conn: Connection) -> None:
    found = concern_search.search(conn, SearchFilters(text="王"))
    assert found and all("王" in s.child_names for s in found)
    assert concern_search.count(conn, SearchFilters(text="b")) == 0  # no word "b" in them


def test_chronology_finds_concern_actions_by_concern_not_by_scanning(conn: Connection) -> None:
    with case_records.transaction(conn):
        now = datetime.now().replace(microsecond=0)
        action = NewAction.checked(
            kind="note", occurred_at=now, who="Dana", details="Checked in.", now=now
        )
        on_concern = casework_records.add_action(conn, action, child_id=None, concern_id=1, by="d")
        on_child = casework_records.add_action(conn, action, child_id=1, concern_id=None, by="d")
        elsewhere = casework_records.add_action(conn, action, child_id=None, concern_id=2, by="d")
    entries = chronology_query.chronology_rows(conn, 1)
    actions = {e.source_id for e in entries if e.kind == "action"}
    assert {on_concern, on_child} <= actions and elsewhere not in actions
    statements = _statements(conn, lambda: chronology_query.chronology_rows(conn, 1))
    plans = [step for sql in statements if "FROM actions" in sql for step in _plan(conn, sql)]
    assert any("actions_concern" in step for step in plans), plans
    assert not any(step.startswith("SCAN a") for step in plans), plans


def test_link_candidates_are_only_records_that_could_be_suggested(conn: Connection) -> None:
    born = date(2015, 3, 2)
    with case_records.transaction(conn):
        same = children_records.insert_child(
            conn, ChildDetails.checked(name="Zofia Nowak", date_of_birth=born)
        )
        swapped = children_records.insert_child(
            conn, ChildDetails.checked(name="Zofia Nowak", date_of_birth=date(2015, 2, 3))
        )
        unknown = children_records.insert_child(conn, ChildDetails.checked(name="Zofia Nowak"))
        other_day = children_records.insert_child(
            conn, ChildDetails.checked(name="Zofia Nowak", date_of_birth=date(2016, 7, 9))
        )
    found = {c.child_id for c in children_records.match_candidates(conn, "Zofia Nowak", born)}
    assert {same, swapped, unknown} <= found and other_day not in found
    without_date = children_records.match_candidates(conn, "Zofia Nowak", None)
    assert {same, swapped, unknown, other_day} <= {c.child_id for c in without_date}


# Signing in: every page checked only when cases.db is not as it was closed ----------------


def _sign_in_checks_every_page(store_dir, caplog) -> bool:  # type: ignore[no-untyped-def]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="safeguard_desktop.storage.case_database"):
        Store.open(store_dir.data_dir).login(*store_dir.dsl).lock()
    return any("checking every page" in r.getMessage() for r in caplog.records)


def test_a_cleanly_closed_file_is_not_read_again_at_sign_in(store_dir, caplog) -> None:
    # The fixture's copy is a new file (new inode): checked once, then trusted.
    assert _sign_in_checks_every_page(store_dir, caplog)
    assert (store_dir.data_dir / f"cases.db{CLOSED_SUFFIX}").exists()
    assert not _sign_in_checks_every_page(store_dir, caplog)
    record = (store_dir.data_dir / f"cases.db{CLOSED_SUFFIX}").read_text("ascii")
    assert set(json.loads(record)) == {"size", "mtime_ns", "ctime_ns", "inode", "audit", "mac"}


def _flip_a_middle_page(path: Path, keep_times: bool) -> None:
    before = path.stat()
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    data[(pages // 2) * 4096 + 2048] ^= 0x01
    path.write_bytes(bytes(data))
    if keep_times:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("keep_times", [False, True], ids=["plain", "modification_time_put_back"])
def test_a_byte_flipped_after_a_clean_close_is_still_reported(
    store_dir, caplog, keep_times: bool
) -> None:
    assert _sign_in_checks_every_page(store_dir, caplog)  # now closed cleanly, and trusted
    path = store_dir.data_dir / "cases.db"
    _flip_a_middle_page(path, keep_times)  # the change time moves even when mtime is put back
    before = {p.name: p.read_bytes() for p in store_dir.data_dir.iterdir()}
    with pytest.raises(StoreDamaged) as caught:
        Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert str(path) in str(caught.value) and "backup" in str(caught.value)
    assert {p.name: p.read_bytes() for p in store_dir.data_dir.iterdir()} == before


def test_a_forged_close_record_or_an_old_check_means_a_full_check(store_dir, caplog) -> None:
    assert _sign_in_checks_every_page(store_dir, caplog)
    record_path = store_dir.data_dir / f"cases.db{CLOSED_SUFFIX}"
    record = json.loads(record_path.read_text("ascii"))
    record_path.write_text(json.dumps({**record, "mac": "0" * 64}), "ascii")
    assert _sign_in_checks_every_page(store_dir, caplog)  # a MAC without the key fails
    assert not _sign_in_checks_every_page(store_dir, caplog)

    # A week after the last full check, every page is read again however clean the close.
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    old = (datetime.now() - timedelta(days=8)).astimezone().isoformat(timespec="seconds")
    session.conn.execute(  # type: ignore[attr-defined]
        "UPDATE settings SET value = ? WHERE key = 'pages_checked_at'", (json.dumps(old),)
    )
    session.lock()
    assert _sign_in_checks_every_page(store_dir, caplog)
    assert not _sign_in_checks_every_page(store_dir, caplog)


def test_a_log_left_by_a_crash_means_a_full_check(store_dir, caplog) -> None:
    assert _sign_in_checks_every_page(store_dir, caplog)
    assert not (store_dir.data_dir / "cases.db-wal").exists()  # a clean close removes it
    # What a power cut leaves: the log beside a file whose times still match the record.
    (store_dir.data_dir / "cases.db-wal").write_bytes(b"")
    assert _sign_in_checks_every_page(store_dir, caplog)
    assert not _sign_in_checks_every_page(store_dir, caplog)


# The audit chain, checked at every sign-in: SQLite writes the canonical JSON ---------------


def test_the_quick_audit_check_agrees_with_the_entry_by_entry_walk(conn: Connection) -> None:
    awkward: list[dict[str, object]] = [
        {"ref": "C-TEST-0001", "n": 3, "ok": True, "none": None},
        {"text": 'quote " back \\ slash / tab \t new\nline \x01 \x7f', "list": [1, 2.5, -3]},
        {"name": "Łucja Wiśniewska 王秀英 محمد", "emoji": "\U0001f600", "sep": "\u2028"},
        {"nested": {"b": [{"y": 1, "x": 0}], "a": {}}, "float": 1e-05, "big": 10**20},
    ]
    with case_records.transaction(conn):
        for i, detail in enumerate(awkward * 3):
            audit_log.append(conn, f"user{i}", "test_action", detail)
    quick = audit_log._intact_quickly(conn)
    assert quick is not None, "the quick check could not confirm entries written as usual"
    assert quick == audit_log.verify(conn) and quick.ok and quick.entries == 12

    # Changed behind the triggers: the quick check gives no verdict, the walk names it.
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET detail = ? WHERE seq = 5", (json.dumps({"n": 4}),))
    assert audit_log._intact_quickly(conn) is None
    report = audit_log.verify(conn)
    assert not report.ok and report.first_broken == 5


def test_closing_a_connection_twice_records_nothing_and_raises_nothing(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    conn = case_database.create_database(tmp_path / "cases.db", key)
    conn.close()
    case_database.close_database(conn, key)
    assert not (tmp_path / f"cases.db{CLOSED_SUFFIX}").exists()


# The audit chain at sign-in: walked again only when the file is not as a checked session
# left it ----------------------------------------------------------------------------------


def _db_key(store_dir) -> bytes:  # type: ignore[no-untyped-def]
    """The database key from the admin's slot, as a tool with the key would have it."""
    vault = Store.open(store_dir.data_dir).vault
    record = vault.user(store_dir.admin[0])
    assert record is not None
    slot = vault.slot(record.slot_id)
    assert slot is not None
    opened = key_slots.open_slot(slot, store_dir.admin[1].encode(), None)
    assert opened.db_key is not None
    return opened.db_key


def _change_entry_two(path: Path, key: bytes) -> None:
    """Rewrite audit entry 2 behind the triggers, as someone holding the key could."""
    other = case_database._connect(path, key)
    try:
        other.execute("DROP TRIGGER audit_log_no_update")
        other.execute("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2")
    finally:
        other.close()


def _walks(conn: Connection, as_closed: tuple[int, str] | None) -> bool:
    """Whether verifying reads every entry (rather than the head alone)."""
    read = _statements(conn, lambda: audit_log.verify(conn, as_closed=as_closed))
    return any("ORDER BY seq" in sql and "LIMIT 1" not in sql for sql in read)


def test_an_unchanged_file_is_not_walked_again_and_a_changed_one_is(tmp_path: Path) -> None:
    path, key = tmp_path / "cases.db", secrets.token_bytes(32)
    conn = case_database.create_database(path, key)
    with case_records.transaction(conn):
        for n in range(5):
            audit_log.append(conn, "dana", "concern_opened", {"n": n})
    case_database.close_database(conn, key, audit_intact=True)
    conn = case_database.open_database(path, key)  # the first open checks every page
    assert case_database.audit_head_as_closed(conn) is None
    case_database.close_database(conn, key, audit_intact=audit_log.verify(conn).ok)

    conn = case_database.open_database(path, key)
    head = case_database.audit_head_as_closed(conn)
    assert head is not None and head == audit_log.head(conn)
    assert not _walks(conn, head)
    assert audit_log.verify(conn, as_closed=head) == audit_log.verify(conn)
    # A session that did not find the chain intact leaves no head to trust.
    case_database.close_database(conn, key, audit_intact=False)
    conn = case_database.open_database(path, key)
    assert case_database.audit_head_as_closed(conn) is None
    case_database.close_database(conn, key, audit_intact=True)

    _change_entry_two(path, key)  # after the close: the file's times change
    conn = case_database.open_database(path, key)
    try:
        assert case_database.audit_head_as_closed(conn) is None
        report = audit_log.verify(conn, as_closed=case_database.audit_head_as_closed(conn))
        assert not report.ok and report.first_broken == 2
    finally:
        conn.close()


def test_a_change_made_by_another_program_during_a_session_is_found_next_time(
    store_dir,
) -> None:
    key = _db_key(store_dir)
    path = store_dir.data_dir / "cases.db"
    Store.open(store_dir.data_dir).login(*store_dir.dsl).lock()  # recorded, trusted

    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession) and session.audit_report.ok
    _change_entry_two(path, key)  # while the session is open, through another connection
    session.lock()  # it saw the other commit: nothing recorded to trust

    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        assert not session.audit_report.ok and session.audit_report.first_broken == 2
    finally:
        session.lock()


def test_a_change_after_a_checked_session_is_found_at_sign_in(store_dir) -> None:
    Store.open(store_dir.data_dir).login(*store_dir.dsl).lock()
    _change_entry_two(store_dir.data_dir / "cases.db", _db_key(store_dir))
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        assert not session.audit_report.ok and session.audit_report.first_broken == 2
    finally:
        session.lock()
