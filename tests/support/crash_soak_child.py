"""The process tests/storage/test_crash_soak.py kills: the app restarting after a crash, then a
DSL's day of writes in a loop until SIGKILL.

Run as ``python crash_soak_child.py DATA_DIR BACKUP_FOLDER RECORDER_SLOT``. It imports
everything, prints ``ready`` and waits for one line on stdin: ``go RUN SEED`` or
``last RUN SEED``.

Then it restarts as the app would after the last process was killed: it signs in as
the DSL (every page checked and the audit chain walked, since a write-ahead log was
left), runs "Check the records now", checks every backup in the folder, and prints one
``report`` line of what it found (the test compares it with what earlier processes
acknowledged). Once that line is out, it deletes the backups it found whole, as an
administrator takes the USB stick away, so the folder stays small.

With ``go`` it then writes one thing after another, chosen by a generator seeded with
SEED: a recorder seals a concern, the DSL takes in the inbox, adds a note, closes or
reopens a concern, records a handoff decision, makes a backup. Before each write it
prints ``begin KIND JSON``; after the service call has returned, ``ack KIND JSON``. Both
are flushed at once, so any line the test reads was written before the kill: an
``ack`` is a promise that the write is stored. A ``begin`` with no ``ack`` is the write
the kill interrupted, which may or may not have been stored. Every label is unique
(run and step), so the test can find each write again.

With ``last`` it makes one backup (which clears what killed backups left), prints
``final`` with the folders' contents, signs out and exits.
"""

from __future__ import annotations

import json
import logging
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

import casework_data
from casework_data import concern_data, submit
from safeguard_desktop.domain.casework import ConcernStatus, NewAction
from safeguard_desktop.domain.errors import SafeguardError
from safeguard_desktop.domain.handoff import HandoffDecision, Outcome
from safeguard_desktop.domain.records import SearchFilters
from safeguard_desktop.security import key_slots
from safeguard_desktop.services import audit_trail, backup, casework, inbox, records_check
from safeguard_desktop.services.handoff import record_handoff
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import audit_log

DSL = ("dana", "dsl-password-1")

# How often each write is chosen. A backup takes several times longer than the others,
# so with these weights about a third of the kills land inside one.
WEIGHTS = {
    "submit": 4,
    "ingest": 2,
    "action": 4,
    "status": 3,
    "decision": 3,
    "backup": 1,
}


def say(kind: str, what: str, detail: object) -> None:
    print(kind, what, json.dumps(detail, sort_keys=True), flush=True)


def take_recorder_slot(path: Path) -> None:
    """The recorder's opened slot, as the test opened it once for the whole soak.

    Her key derivation takes a deliberately slow 0.1 to 0.3 s and writes nothing, so
    paying it in every one of hundreds of processes would only slow the soak down; the
    test opens the slot once (as casework_data does once per test run) and hands it over
    in a file only this user can read.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    vault_key = data["vault_key"]
    opened = key_slots.OpenedSlot(
        slot=key_slots.KeySlot.from_json(data["slot"]),
        private_key=X25519PrivateKey.from_private_bytes(bytes.fromhex(data["private_key"])),
        db_key=None,
        vault_key=bytes.fromhex(vault_key) if vault_key else None,
    )
    casework_data._OPENED[opened.slot.slot_id] = opened


class FullCheckSeen(logging.Handler):
    """Why sign-in checked every page, as storage/case_database.py logs it."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.reasons: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("checking every page of the case database"):
            self.reasons.append(message)


def sign_in(data_dir: Path) -> tuple[Store, CaseSession, dict[str, object]]:
    """Open the store and sign in as the DSL, noting whether every page was checked."""
    seen = FullCheckSeen()
    logger = logging.getLogger("safeguard_desktop.storage.case_database")
    logger.setLevel(logging.INFO)
    logger.addHandler(seen)
    wal_left = (data_dir / "cases.db-wal").exists()
    store = Store.open(data_dir)
    session = store.login(*DSL)
    assert isinstance(session, CaseSession)
    logger.removeHandler(seen)
    return store, session, {"wal_left": wal_left, "full_check": seen.reasons}


def report(session: CaseSession, folder: Path, work: Path) -> dict[str, object]:
    """What the restart found: the checks, every stored write of the soak, the backups."""
    conn = session.conn
    at_sign_in = session.audit_report
    checked = records_check.check_records(session)
    audit_now = audit_trail.verify(session)
    found: dict[str, object] = {
        "vault_alarm": session.vault_alarm is not None,
        "rollback_alarm": session.rollback_alarm is not None,
        "audit_at_sign_in": "" if at_sign_in.ok else at_sign_in.reason or "broken",
        "check_records": [] if checked.ok else list(checked.problems),
        "audit_now": "" if audit_now.ok else audit_now.reason or "broken",
        "quarantined": len(inbox.quarantined(session)),
        "head_seq": audit_log.head(conn)[0],
        "concerns": conn.execute(
            "SELECT ref, status, json_extract(body, '$.observed') FROM concerns"
        ).fetchall(),
        "actions": conn.execute(
            "SELECT id, details FROM actions WHERE details LIKE '%Soak %'"
        ).fetchall(),
        "decisions": conn.execute("SELECT id, reason FROM decisions").fetchall(),
        "backups_audited": [
            json.loads(detail)["file"]
            for (detail,) in conn.execute(
                "SELECT detail FROM audit_log WHERE action = 'backup_made'"
            )
        ],
    }
    key = session.backup_key_material()
    backups = []
    for path in sorted(folder.iterdir()):
        if not backup._NAME.match(path.name):
            continue
        try:
            made = backup.check_backup(path, key, work)
        except SafeguardError as err:
            backups.append({"file": path.name, "error": str(err)})
            continue
        backups.append({"file": path.name, "head_seq": made.head_seq, "concerns": made.concerns})
    found["backups"] = backups
    return found


def listing(data_dir: Path, folder: Path) -> dict[str, list[str]]:
    return {
        "data_folder": sorted(p.name for p in data_dir.iterdir()),
        "backup_folder": sorted(p.name for p in folder.iterdir()),
    }


def main() -> None:
    data_dir, folder, recorder = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    work = recorder.parent / "check"
    take_recorder_slot(recorder)
    print("ready", flush=True)
    go = sys.stdin.readline().split()
    if len(go) != 3 or go[0] not in ("go", "last"):
        return
    run, seed = int(go[1]), int(go[2])
    rng = random.Random(seed)  # noqa: S311 - which write next, repeatable; not a secret

    say("begin", "signin", {})
    store, session, opened = sign_in(data_dir)
    say("ack", "signin", {})
    say("begin", "check", {})
    # Listed before anything is written: what the kill left behind.
    found = {**opened, **listing(data_dir, folder), **report(session, folder, work)}
    say("report", "restart", found)
    # Only once the test has been told of them (a kill before this leaves them for the
    # next report to find again).
    for made in found["backups"]:  # type: ignore[attr-defined]
        if "error" not in made:
            (folder / made["file"]).unlink()
    say("ack", "check", {})
    if go[0] == "last":
        backup.make_backup(session, folder)
        say("final", "listing", listing(data_dir, folder))
        session.lock()
        return

    # Concerns already taken in; the newest are the ones most written to, as in real life.
    refs = [s.ref for s in casework.search(session, SearchFilters(), limit=50)]
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    step = 0
    while True:
        step += 1
        label = f"r{run}s{step}"
        kind = rng.choices(kinds, weights)[0]
        if kind in ("action", "status", "decision") and not refs:
            kind = "submit"
        now = datetime.now()
        if kind == "submit":
            say("begin", kind, {"label": label})
            ref = submit(store, concern_data(name=f"Soak {label}", observed=f"Soak {label}."))
            say("ack", kind, {"label": label, "ref": ref})
        elif kind == "ingest":
            say("begin", kind, {"label": label})
            taken = len(inbox.ingest(session).concerns)
            if taken:
                refs[:0] = [s.ref for s in casework.search(session, SearchFilters(), limit=taken)]
                del refs[50:]
            say("ack", kind, {"label": label, "taken": taken})
        elif kind == "action":
            ref = rng.choice(refs)
            say("begin", kind, {"label": label, "ref": ref})
            action_id = casework.add_action(
                session,
                NewAction.checked(
                    kind="note",
                    occurred_at=now,
                    who="Dana Lead",
                    details=f"Soak note {label}",
                    now=now,
                ),
                ref=ref,
            ).id
            say("ack", kind, {"label": label, "ref": ref, "id": action_id})
        elif kind == "status":
            ref = rng.choice(refs)
            status = rng.choice([ConcernStatus.CLOSED, ConcernStatus.OPEN]).value
            detail = {"label": label, "ref": ref, "status": status}
            say("begin", kind, detail)
            casework.set_status(session, ref, status, reason=f"Soak status {label}")
            say("ack", kind, detail)
        elif kind == "decision":
            ref = rng.choice(refs)
            say("begin", kind, {"label": label, "ref": ref})
            result = record_handoff(
                session,
                ref,
                HandoffDecision.checked(
                    immediate_danger=False,
                    police=None,
                    allegation_against_adult=False,
                    lado=None,
                    outcome=Outcome.MONITOR,
                    reason=f"Soak reason {label}",
                    advice=None,
                    information_sharing=None,
                    referral=None,
                    review_on=date.today() + timedelta(days=7),
                    follow_up_on=date.today(),
                    now=now,
                ),
            )
            say("ack", kind, {"label": label, "ref": ref, "id": result.decision_id})
        else:
            say("begin", kind, {"label": label})
            made = backup.make_backup(session, folder)
            say(
                "ack",
                kind,
                {
                    "label": label,
                    "file": made.path.name,
                    "head_seq": made.head_seq,
                    "concerns": made.concerns,
                },
            )


if __name__ == "__main__":
    main()
