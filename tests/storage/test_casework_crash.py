"""A DSL's work survives a killed process: every acknowledged write is there afterwards.

A real process signs in as the DSL and, in a loop, ingests a concern, corrects it, adds
an action and records a handoff decision, printing a line after each one returns. It is
killed with SIGKILL at an unpredictable moment (no clean-up, as if the power went). The
next sign-in must open the store (checking every page and the whole audit chain, since
the write-ahead log was left behind) and find everything that was acknowledged.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import StoreFixture
from repo_paths import SUPPORT
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.services import audit_trail, casework, inbox
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

CHILD = """
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from casework_data import concern_data, submit
from safeguard_desktop.domain.casework import NewAction, NewAmendment
from safeguard_desktop.domain.handoff import HandoffDecision, Outcome
from safeguard_desktop.services import casework, inbox
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.store import Store

store = Store.open(Path(sys.argv[1]))
session = store.login(sys.argv[2], sys.argv[3])
n = 0
while True:
    n += 1
    ref = submit(store, concern_data(observed=f"Round {n}."))
    inbox.ingest(session)
    casework.amend(session, ref, NewAmendment.checked(field="location", new_value=f"Hall {n}",
                                                      reason="Misheard"))
    now = datetime.now()
    casework.add_action(session, NewAction.checked(kind="note", occurred_at=now, who="DSL",
                                                   details=f"Note {n}", now=now), ref=ref)
    record_handoff(session, ref, HandoffDecision.checked(
        immediate_danger=False, police=None, allegation_against_adult=False, lado=None,
        outcome=Outcome.MONITOR, reason=f"Reason {n}", advice=None,
        information_sharing=None, referral=None, review_on=date.today() + timedelta(days=7),
        follow_up_on=date.today(), now=now))
    print(n, ref, flush=True)
"""


def test_a_killed_process_loses_nothing_it_acknowledged(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    env = dict(os.environ, SAFEGUARD_LOG_DIR=str(tmp_path / "logs"))
    tests_dir = str(SUPPORT)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store_dir.data_dir), *store_dir.dsl, tests_dir],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    done: list[str] = []
    deadline = time.monotonic() + 90
    while len(done) < 6 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        done.append(line.split()[1])
    time.sleep(0.013)  # somewhere inside the next round's writes
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert len(done) >= 6, "the child process did not get going"
    assert (store_dir.data_dir / "cases.db-wal").exists()  # it really died mid-session

    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    assert isinstance(session, CaseSession)
    try:
        assert session.audit_report.ok, session.audit_report.reason
        inbox.ingest(session)  # a concern sealed but not yet opened when the process died
        stored = {s.ref for s in casework.search(session, SearchFilters(), limit=1000)}
        assert set(done) <= stored
        for n, ref in enumerate(done, start=1):
            file = casework.concern_file(session, ref, audit=False, suggestions=False)
            assert [a.new_value for a in file.amendments] == [f"Hall {n}"]
            assert [a.details for a in file.actions if a.kind.value == "note"] == [f"Note {n}"]
            assert [d.reason for d in file.decisions] == [f"Reason {n}"]
        assert audit_trail.verify(session).ok
    finally:
        session.lock()
