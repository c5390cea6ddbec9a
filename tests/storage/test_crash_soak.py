"""Crash soak: SIGKILL a working process hundreds of times; after each, nothing promised is lost.

tests/support/crash_soak_child.py is the app restarting after a crash and then a DSL at work:
it signs in, runs the checks below and reports what it found, then writes in a loop (a
recorder seals concerns, the DSL takes in the inbox, adds notes, closes and reopens
concerns, records handoff decisions, makes backups into a folder), printing ``ack``
only after each service call has returned. This test kills it with SIGKILL at a random
moment (the generator's seed is printed; SAFEGUARD_CRASH_SEED repeats its choices,
though not the machine's timing), starts the next one, and checks its report:

- the store opened, and since the killed session left its write-ahead log, sign-in
  checked every page (``integrity_check``) and walked the whole audit chain;
- ``check_records()`` found everything in order, the audit chain is unbroken, the
  vault raised no alarm, and nothing waits in quarantine (a concern half taken in is
  not a "duplicate");
- every acknowledged write is there exactly once: each concern, note, status change
  (with its note), decision and backup (with its audit entry); nothing is there that
  was not written (a write the kill interrupted may or may not be, once);
- every file in the backup folder passes ``backup.check_backup``, or is the temporary
  file of a backup killed half-way, which the next backup clears (as it clears its
  work folder in the data folder). Checked backups are then deleted, as an
  administrator takes a USB stick away, so the folder stays small.

Each restart is the next process, as it is for the app: one sign-in per kill (the key
derivation is deliberately slow), and the next process imports while this one works.
SIGKILL is a process crash: what was written reaches the OS, and the OS keeps it. Power
loss (the OS's cache lost too) is what synchronous=FULL and the fsyncs are for, and is
beyond a test on a running machine.

200 kills by default (about 2 minutes on a 2-core machine); more on demand::

    SAFEGUARD_CRASH_KILLS=2000 uv run pytest tests/storage/test_crash_soak.py -s

The counts are printed at the end (with or without ``-s``) and are in any failure message.
"""

from __future__ import annotations

import json
import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from casework_data import rita_slot
from conftest import StoreFixture
from repo_paths import SUPPORT
from safeguard_desktop.security import sealing
from safeguard_desktop.services import backup
from safeguard_desktop.services.store import Store

KILLS = int(os.environ.get("SAFEGUARD_CRASH_KILLS", "200"))
SEED = int(os.environ.get("SAFEGUARD_CRASH_SEED", str(time.time_ns() % 2**32)))
CHILD = SUPPORT / "crash_soak_child.py"
RECORDER = "recorder-slot.json"

# When to kill. Mostly while the child writes: up to WRITE_WINDOW seconds after its
# report (a write takes 2 to 40 ms here, a backup of the growing store 30 to 150 ms).
# Sometimes from the moment it is told to go: while it signs in, which writes too (the
# inbox taken in, the sign-in's audit entry, vault.json's anchor), or checks.
WRITE_WINDOW = 0.3
SIGN_IN_SHARE = 0.15
SIGN_IN_WINDOW = 0.5
LINE_TIMEOUT = 120.0

_TEMP = re.compile(r"^\.safeguard-backup-.*\.sgbackup\.[0-9a-f]{8}\.tmp$")
_WORK = re.compile(r"^\.backup-[0-9a-f]{8}$")
# What write_atomically leaves when killed between writing its temporary file and
# renaming it. The next write of vault.json clears its own (a sign-in writes it, so none
# may be in a report); cases.db.closed's hold no secret and are only counted.
_VAULT_TEMP = re.compile(r"^\.vault\.json\.[0-9a-f]{8}\.tmp$")
_CLOSED_TEMP = re.compile(r"^\.cases\.db\.closed\.[0-9a-f]{8}\.tmp$")
_DATA_FILES = {
    "vault.json",
    "cases.db",
    "cases.db-wal",
    "cases.db-shm",
    "cases.db.closed",
    "inbox.db",
    "inbox.db-wal",
    "inbox.db-shm",
    "in-use.lock",  # the app's hold on the folder (storage/folder_lock.py); empty
}
_LABEL = r"(r\d+s\d+)"
_CONCERN = re.compile(rf"^Soak {_LABEL}\.$")
_NOTE = re.compile(rf"^Soak note {_LABEL}$")
_STATUS_NOTE = re.compile(rf"^Concern (?:closed|open): Soak status {_LABEL}$")
_REASON = re.compile(rf"^Soak reason {_LABEL}$")
_NOT_CLOSED_CLEANLY = "checking every page of the case database (it was not closed cleanly)"

Json = dict[str, Any]
Write = tuple[str, Json]  # what (submit, action, ...), and its detail line


def _child_environment(logs: Path) -> dict[str, str]:
    env = {**os.environ, "SAFEGUARD_LOG_DIR": str(logs)}
    # Hundreds of processes import the same modules: compiled once into a cache of the
    # test's own (never beside the sources), not again in every process.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(logs / "pycache")
    return env


@dataclass
class Child:
    """One child process, started ahead of its turn: it imports while the last one works."""

    process: subprocess.Popen[str]
    lines: queue.Queue[str | None]
    stderr_path: Path
    reader: threading.Thread

    @classmethod
    def start(cls, data_dir: Path, folder: Path, logs: Path, number: int) -> Child:
        stderr_path = logs / f"child-{number}.stderr"
        with stderr_path.open("w", encoding="utf-8") as stderr:
            process = subprocess.Popen(
                [sys.executable, str(CHILD), str(data_dir), str(folder), str(logs / RECORDER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=_child_environment(logs),
            )
        lines: queue.Queue[str | None] = queue.Queue()

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                # A line cut off by the kill has no end: not an acknowledgement.
                if line.endswith("\n"):
                    lines.put(line.rstrip("\n"))
            process.stdout.close()
            lines.put(None)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        return cls(process, lines, stderr_path, reader)

    def tell(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def next_line(self, timeout: float = LINE_TIMEOUT) -> str | None:
        try:
            return self.lines.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None

    def rest(self) -> list[str]:
        """Every line still to come (the reader stops at the end of the pipe)."""
        out = []
        while (line := self.next_line()) is not None:
            out.append(line)
        return out

    def end(self) -> None:
        """Kill (if still running) and reap the process; close its pipes."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        if self.process.stdin is not None:
            self.process.stdin.close()

    def failure(self) -> str:
        return "child's stderr:\n" + self.stderr_path.read_text(encoding="utf-8")[-3000:]


@dataclass
class Expected:
    """What the killed processes promised, and what else may be there."""

    concerns: dict[str, str] = field(default_factory=dict)  # ref -> label
    notes: dict[int, str] = field(default_factory=dict)  # action id -> label
    decisions: dict[int, str] = field(default_factory=dict)  # decision id -> label
    status: dict[str, set[str]] = field(default_factory=dict)  # ref -> what it may be now
    status_notes: set[str] = field(default_factory=set)  # labels
    backups: dict[str, Json] = field(default_factory=dict)  # not yet found, by file
    labels: set[str] = field(default_factory=set)  # acknowledged, or stored though cut into
    interrupted: set[str] = field(default_factory=set)  # cut into, not found yet
    whole: set[tuple[str, int]] = field(default_factory=set)  # backups found whole
    backed_up: bool = False  # a backup ran to the end since the last report
    leftovers: set[str] = field(default_factory=set)  # in the last report


@dataclass
class Counts:
    kills: int = 0
    kill_during: Counter[str] = field(default_factory=Counter)
    reports: int = 0
    full_checks: int = 0
    acked_writes: int = 0
    acked_found: int = 0
    interrupted_stored: int = 0
    backups_whole: int = 0
    leftovers_found: int = 0
    leftovers_cleared: int = 0
    atomic_temps: int = 0
    seconds: float = 0.0
    time: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        during = ", ".join(f"{what} {n}" for what, n in self.kill_during.most_common())
        per_kill = ", ".join(
            f"{what} {t / max(1, self.kills):.2f}" for what, t in self.time.items()
        )
        return (
            f"crash soak, seed {SEED}: {self.kills} kills in {self.seconds:.0f} s "
            f"(killed while: {during}); {self.reports} restarts checked the records, "
            f"{self.full_checks} of them every page because the killed session left its "
            f"log; {self.acked_writes} acknowledged writes, every one found after the "
            f"kill that followed it and after every later one ({self.acked_found} "
            f"findings); {self.interrupted_stored} writes cut into were stored anyway; "
            f"{self.backups_whole} backups found whole; {self.leftovers_found} temporary "
            f"backup files or work folders left by kills, {self.leftovers_cleared} cleared "
            f"by the next backup; {self.atomic_temps} temporary cases.db.closed files "
            f"left in the data folder at the end. "
            f"Seconds per kill: {per_kill}."
        )


def _parse(lines: list[str]) -> tuple[Json | None, list[Write], Write | None, Json | None]:
    """The report, the acknowledged writes, the one begun and not acknowledged, the end."""
    found: Json | None = None
    final: Json | None = None
    acked: list[Write] = []
    open_write: Write | None = None
    for line in lines:
        kind, what, detail = line.split(" ", 2)
        data = json.loads(detail)
        if kind == "report":
            found = data
        elif kind == "final":
            final = data
        elif kind == "begin":
            open_write = (what, data)
        else:
            assert kind == "ack" and open_write is not None and open_write[0] == what, line
            acked.append((what, data))
            open_write = None
    return found, acked, open_write, final


_PHASES = {"signin": "signing in", "check": "checking the records"}


def _phase(lines: list[str], open_write: Write | None) -> str:
    if not lines:
        return "starting"
    if open_write is None:
        return "between writes"
    return _PHASES.get(open_write[0], open_write[0])


def _leftovers(listing: dict[str, list[str]], counts: Counts) -> set[str]:
    """What killed backups left; anything else unexpected in either folder fails here."""
    found = set()
    for name in listing["backup_folder"]:
        if _TEMP.match(name):
            found.add(f"backup folder/{name}")
        else:
            assert backup._NAME.match(name), f"unexpected file in the backup folder: {name}"
    atomic = 0
    for name in listing["data_folder"]:
        if _WORK.match(name):
            found.add(f"data folder/{name}")
        elif _CLOSED_TEMP.match(name):
            atomic += 1
        else:
            assert not _VAULT_TEMP.match(name), f"an older vault.json left by a kill: {name}"
            assert name in _DATA_FILES, f"unexpected file in the data folder: {name}"
    counts.atomic_temps = atomic
    return found


def _label(pattern: re.Pattern[str], text: str | None, what: str) -> str:
    match = pattern.match(text or "")
    assert match, f"{what} no one wrote: {text!r}"
    return match.group(1)


def _check_report(found: Json, expected: Expected, counts: Counts) -> None:
    """The restart's findings against every promise made before it."""
    counts.reports += 1
    if found["wal_left"]:
        assert found["full_check"] == [_NOT_CLOSED_CLEANLY], found["full_check"]
        counts.full_checks += 1
    assert not found["vault_alarm"] and not found["rollback_alarm"]
    assert found["audit_at_sign_in"] == "", found["audit_at_sign_in"]
    assert found["check_records"] == [], found["check_records"]
    assert found["audit_now"] == "", found["audit_now"]
    assert found["quarantined"] == 0, "something went to quarantine"

    stored: Counter[str] = Counter()
    concerns = {}
    for ref, status, observed in found["concerns"]:
        concerns[ref] = _label(_CONCERN, observed, "a concern")
        stored[concerns[ref]] += 1
        allowed = expected.status.get(ref, {"new"})
        assert status in allowed, f"{ref} is {status}, not one of {sorted(allowed)}"
        expected.status[ref] = {status}
    for ref, label in expected.concerns.items():
        assert concerns.get(ref) == label, f"acknowledged concern {ref} ({label}) is missing"
        counts.acked_found += 1
    notes, status_notes = {}, set()
    for action_id, details in found["actions"]:
        if details.startswith("Soak note"):
            notes[action_id] = _label(_NOTE, details, "a note")
            stored[notes[action_id]] += 1
        else:
            label = _label(_STATUS_NOTE, details, "a status note")
            status_notes.add(label)
            stored[label] += 1
    for action_id, label in expected.notes.items():
        assert notes.get(action_id) == label, f"acknowledged note {label} is missing"
        counts.acked_found += 1
    for label in expected.status_notes:
        assert label in status_notes, f"acknowledged status change {label} has no note"
        counts.acked_found += 1
    decisions = {}
    for decision_id, reason in found["decisions"]:
        decisions[decision_id] = _label(_REASON, reason, "a decision")
        stored[decisions[decision_id]] += 1
    for decision_id, label in expected.decisions.items():
        assert decisions.get(decision_id) == label, f"acknowledged decision {label} is missing"
        counts.acked_found += 1
    twice = sorted(label for label, n in stored.items() if n > 1)
    assert not twice, f"stored twice: {twice}"
    new = set(stored) - expected.labels
    never_begun = sorted(new - expected.interrupted)
    assert not never_begun, f"stored, but never begun: {never_begun}"
    counts.interrupted_stored += len(new)
    expected.labels |= new
    # The sign-in took in the inbox: a write cut into that is not there now never will be.
    expected.interrupted.clear()

    audited = set(found["backups_audited"])
    for made in found["backups"]:
        assert "error" not in made, f"a backup in the folder failed its check: {made}"
        assert made["head_seq"] <= found["head_seq"]
        promised = expected.backups.pop(made["file"], None)
        if promised is not None:
            assert (made["head_seq"], made["concerns"]) == (
                promised["head_seq"],
                promised["concerns"],
            ), made
            assert made["file"] in audited, f"{made['file']} was made but not audited"
            counts.acked_found += 1
        # A kill between the report and the deletion shows the same file twice.
        whole = (made["file"], made["head_seq"])
        counts.backups_whole += whole not in expected.whole
        expected.whole.add(whole)
    assert not expected.backups, f"acknowledged backups missing: {sorted(expected.backups)}"

    now = _leftovers(found, counts)
    if expected.backed_up:
        stuck = expected.leftovers & now
        assert not stuck, f"not cleared by the backup made since: {sorted(stuck)}"
    counts.leftovers_found += len(now - expected.leftovers)
    counts.leftovers_cleared += len(expected.leftovers - now)
    expected.leftovers = now
    expected.backed_up = False


def _note_promises(
    acked: list[Write], open_write: Write | None, expected: Expected, counts: Counts
) -> None:
    for what, data in acked:
        if what in ("signin", "check"):
            continue
        counts.acked_writes += 1
        label = str(data["label"])
        expected.labels.add(label)
        if what == "submit":
            expected.concerns[data["ref"]] = label
        elif what == "action":
            expected.notes[data["id"]] = label
        elif what == "decision":
            expected.decisions[data["id"]] = label
        elif what == "status":
            expected.status[data["ref"]] = {data["status"]}
            expected.status_notes.add(label)
        elif what == "backup":
            expected.backups[data["file"]] = data
            expected.backed_up = True
    if open_write is not None and "label" in open_write[1]:
        # Begun after every acknowledged write: it may have been stored, or not.
        expected.interrupted.add(open_write[1]["label"])
        if open_write[0] == "status":
            ref = open_write[1]["ref"]
            expected.status.setdefault(ref, {"new"}).add(open_write[1]["status"])


def _run_and_kill(child: Child, rng: random.Random, counts: Counts) -> list[str]:
    """Let the child go and kill it at a random moment; every line it printed."""
    lines: list[str] = []
    told = time.monotonic()
    child.tell(f"go {counts.kills + 1} {rng.randrange(2**32)}")
    if rng.random() < SIGN_IN_SHARE:
        deadline = told + rng.uniform(0, SIGN_IN_WINDOW)
    else:
        while True:
            line = child.next_line()
            assert line is not None, "the child died before its report\n" + child.failure()
            lines.append(line)
            if line.startswith("report "):
                break
        reported = time.monotonic()
        counts.time["restart (sign-in and checks)"] += reported - told
        deadline = reported + rng.uniform(0, WRITE_WINDOW)
    while (line := child.next_line(deadline - time.monotonic())) is not None:
        lines.append(line)
    assert child.process.poll() is None, "the child ended by itself\n" + child.failure()
    child.process.send_signal(signal.SIGKILL)
    child.process.wait(timeout=30)
    counts.time["child running"] += time.monotonic() - told
    assert child.process.returncode == -signal.SIGKILL, child.failure()
    counts.kills += 1
    lines += child.rest()
    child.end()
    return lines


def _hand_over_recorder_slot(store: Store, path: Path) -> None:
    """Open the recorder's slot once for every child (see crash_soak_child.py)."""
    opened = rita_slot(store)
    data = {
        "slot": opened.slot.to_json(),
        "private_key": sealing.private_bytes(opened.private_key).hex(),
        "vault_key": opened.vault_key.hex() if opened.vault_key else None,
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)


def _soak(data_dir: Path, folder: Path, logs: Path, counts: Counts) -> None:
    rng = random.Random(SEED)  # noqa: S311 - when to kill, repeatable; not a secret
    expected = Expected()
    child = Child.start(data_dir, folder, logs, 1)
    try:
        while True:
            waited = time.monotonic()
            assert child.next_line() == "ready", "the child did not start\n" + child.failure()
            counts.time["waiting for the next child to import"] += time.monotonic() - waited
            if counts.kills == KILLS:
                break
            current = child
            # The next process imports while this one works.
            child = Child.start(data_dir, folder, logs, counts.kills + 2)
            lines = _run_and_kill(current, rng, counts)
            current.stderr_path.unlink()
            found, acked, open_write, _ = _parse(lines)
            counts.kill_during[_phase(lines, open_write)] += 1
            if found is not None:
                _check_report(found, expected, counts)
            _note_promises(acked, open_write, expected, counts)
        # The last restart: checked as every other, then one more backup, as the next
        # automatic one would be, clears whatever the kills left.
        child.tell(f"last {KILLS + 1} 0")
        found, _, _, final = _parse(child.rest())
        child.end()
        assert child.process.returncode == 0, child.failure()
        assert found is not None and final is not None
        _check_report(found, expected, counts)
        now = _leftovers(final, counts)
        assert not now, f"left after the last backup: {sorted(now)}"
        counts.leftovers_cleared += len(expected.leftovers)
    finally:
        child.end()


def test_sigkill_at_random_moments_loses_nothing_acknowledged(
    store_dir: StoreFixture, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = store_dir.data_dir
    folder, logs = tmp_path / "usb", tmp_path / "logs"
    for made in (folder, logs, logs / "check"):
        made.mkdir(mode=0o700)
    _hand_over_recorder_slot(Store.open(data_dir), logs / RECORDER)
    counts = Counts()
    started = time.monotonic()
    try:
        _soak(data_dir, folder, logs, counts)
    except Exception as err:
        counts.seconds = time.monotonic() - started
        raise AssertionError(f"{err}\n{counts.summary()}") from err
    counts.seconds = time.monotonic() - started
    with capsys.disabled():  # shown in CI's log too, where -s is not given
        print("\n" + counts.summary())
    assert counts.kills == KILLS and counts.reports >= KILLS * 0.7, counts.summary()
    assert counts.acked_writes > KILLS, counts.summary()
