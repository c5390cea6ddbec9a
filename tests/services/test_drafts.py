"""Unsent drafts: encrypted per account, and still there after the process is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from safeguard_desktop.services.store import Store

CHILD = """
import json, sys, time
from pathlib import Path
from safeguard_desktop.services.store import Store

session = Store.open(Path(sys.argv[1])).login(sys.argv[2], sys.argv[3])
n = 0
while True:
    n += 1
    session.save_draft({"observed": sys.argv[4], "saves": n})
    print(n, flush=True)
    time.sleep(0.05)
"""


def test_a_draft_survives_a_killed_process(store_dir, tmp_path: Path) -> None:
    canary = "DRAFT-CANARY-Żółć-3f9a"
    env = dict(os.environ, SAFEGUARD_LOG_DIR=str(tmp_path / "logs"))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store_dir.data_dir), *store_dir.recorder, canary],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    last = 0
    deadline = time.monotonic() + 60
    while last < 5 and time.monotonic() < deadline:
        last = int(child.stdout.readline())
    child.send_signal(signal.SIGKILL)  # no clean-up, no flush: as if the power went
    child.wait(timeout=30)
    child.stdout.close()
    assert last >= 5

    session = Store.open(store_dir.data_dir).login(*store_dir.recorder)
    try:
        draft = session.load_draft()
        assert draft is not None
        assert draft["observed"] == canary
        # Every acknowledged save is durable: at most the one in flight is lost.
        assert int(str(draft["saves"])) >= last
    finally:
        session.lock()
    for path in store_dir.data_dir.iterdir():
        data = path.read_bytes()
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert canary.encode(encoding) not in data, path


def test_drafts_are_private_to_their_account(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    rita = store.login(*store_dir.recorder)
    rita.save_draft({"observed": "rita's words"})
    rita.lock()
    dana = store.login(*store_dir.dsl)
    try:
        assert dana.load_draft() is None  # a DSL cannot read a recorder's draft
        dana.save_draft({"observed": "dana's own"})
        assert dana.load_draft() == {"observed": "dana's own"}
    finally:
        dana.lock()
    rita = store.login(*store_dir.recorder)
    try:
        assert rita.load_draft() == {"observed": "rita's words"}
        rita.discard_draft()
        assert rita.load_draft() is None
    finally:
        rita.lock()


def test_a_changed_password_keeps_the_draft(store_dir) -> None:
    store = Store.open(store_dir.data_dir)
    rita = store.login(*store_dir.recorder)
    rita.save_draft({"observed": json.dumps({"nested": True})})
    rita.change_password(store_dir.recorder[1], "a-new-recorder-pw")
    rita.lock()
    rita = store.login("rita", "a-new-recorder-pw")
    try:
        assert rita.load_draft() == {"observed": json.dumps({"nested": True})}
    finally:
        rita.lock()
