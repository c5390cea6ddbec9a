"""Child process for tests/security/test_keyring_real.py: the device secret in a real keyring.

Run by the test, usually inside ``dbus-run-session`` with a gnome-keyring-daemon whose
login collection is unlocked; never imported by pytest. Prints one JSON object on its
last stdout line. Secrets never appear in the output: only their length and SHA-256.
From tests/support/:

    python keyring_probe_child.py roundtrip VAULT_ID
    python keyring_probe_child.py read VAULT_ID
    python keyring_probe_child.py absent VAULT_ID
    python keyring_probe_child.py e2e DATA_DIR      (init, then log in)
    python keyring_probe_child.py login DATA_DIR    (log in only)
    python keyring_probe_child.py throttle DATA_DIR (the sign-in delay's second copy)
    python keyring_probe_child.py trust DATA_DIR    (vault key, generation, anchor kept)
    python keyring_probe_child.py station DATA_DIR  (a recording station's settings pinned)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from safeguard_desktop.security import device_secret
from safeguard_desktop.services import audit_trail, backup, people

ADMIN_PASSWORD = "correct horse battery staple"
CHILD_TIMEOUT = 60


def _digest(value: bytes | None) -> str | None:
    return None if value is None else hashlib.sha256(value).hexdigest()


def _status() -> dict[str, Any]:
    status = device_secret.probe()
    return {"usable": status.usable, "backend": status.backend, "message": status.message}


def _default_collection() -> dict[str, Any]:
    """What the Secret Service itself says about the default collection (a diagnostic)."""
    import secretstorage  # only present where the SecretService backend can be used

    conn = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(conn)
        return {"label": collection.get_label(), "locked": collection.is_locked()}
    finally:
        conn.close()


def _in_second_process(step: str, arg: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, step, arg],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"second process failed ({done.returncode}): {done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def roundtrip(vault_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"probe": _status(), "default_collection": _default_collection()}
    out["get_before_create"] = _digest(device_secret.get_device_secret(vault_id))
    created = device_secret.create_device_secret(vault_id)
    out["created_length"] = len(created)
    out["created_sha256"] = _digest(created)
    out["get_after_create"] = _digest(device_secret.get_device_secret(vault_id))
    out["second_process"] = _in_second_process("read", vault_id)
    device_secret.delete_device_secret(vault_id)
    out["get_after_delete"] = _digest(device_secret.get_device_secret(vault_id))
    out["second_process_after_delete"] = _in_second_process("read", vault_id)
    # Deleting what is not there must be quiet too.
    device_secret.delete_device_secret(vault_id)
    return out


def read(vault_id: str) -> dict[str, Any]:
    value = device_secret.get_device_secret(vault_id)
    return {"pid": os.getpid(), "sha256": _digest(value)}


def absent(vault_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"probe": _status()}
    out["get"] = _digest(device_secret.get_device_secret(vault_id))
    try:
        device_secret.create_device_secret(vault_id)
    except device_secret.DeviceSecretUnavailable as err:
        out["create_raised"] = type(err).__name__
    else:
        out["create_raised"] = None
    return out


def _cli(data_dir: str, *args: str, stdin: str = "") -> dict[str, Any]:
    # The console script uv installs, exactly what `uv run safeguard-desktop` runs.
    script = Path(sys.executable).with_name("safeguard-desktop")
    done = subprocess.run(
        [str(script), "--data-dir", data_dir, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    return {"rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def e2e(data_dir: str) -> dict[str, Any]:
    init = _cli(
        data_dir,
        "init",
        "--org",
        "Riverside Juniors FC",
        "--org-type",
        "club",
        "--admin-user",
        "admin",
        "--admin-name",
        "Pat Admin",
        stdin=ADMIN_PASSWORD + "\n",
    )
    # The recovery key is a secret: report only that one was printed.
    init["recovery_key_printed"] = bool(init.pop("stdout").strip())
    out: dict[str, Any] = {"init": init}
    if init["rc"] == 0:
        vault = json.loads((Path(data_dir) / "vault.json").read_text(encoding="utf-8"))
        out["slots"] = [[slot.get("kind"), slot.get("device_bound")] for slot in vault["slots"]]
        out.update(login(data_dir))
    return out


def login(data_dir: str) -> dict[str, Any]:
    return {"login": _cli(data_dir, "audit-verify", "--as", "admin", stdin=ADMIN_PASSWORD + "\n")}


def throttle(data_dir: str) -> dict[str, Any]:
    """Wrong passwords, then the attacker deletes inbox.db's row: the delay must stay."""
    import sqlite3
    import time

    from safeguard_desktop.domain.errors import WrongCredentials
    from safeguard_desktop.domain.organisation import OrgType
    from safeguard_desktop.security.kdf import KdfParams
    from safeguard_desktop.services.setup import SetupRequest, create_store
    from safeguard_desktop.services.store import Store

    def refused(store: Store, password: str) -> float:
        try:
            store.login("admin", password).lock()
        except WrongCredentials as err:
            return err.retry_after
        return -1.0  # signed in

    def delete_row() -> None:
        conn = sqlite3.connect(Path(data_dir) / "inbox.db", isolation_level=None)
        conn.execute("DELETE FROM login_failures")
        conn.close()

    request = SetupRequest(
        org_name="Riverside Juniors FC",
        org_type=OrgType.CLUB,
        admin_username="admin",
        admin_display_name="Pat Admin",
        admin_password=ADMIN_PASSWORD,
    )
    store = create_store(Path(data_dir), request, kdf=KdfParams()).store
    vault_id = store.vault.vault_id
    out: dict[str, Any] = {"device_bound": [s.device_bound for s in store.vault.slots]}
    out["retry_after"] = [refused(store, "not-the-password") for _ in range(3)]
    out["note"] = json.loads(device_secret.read_note(vault_id, "sign-in failures:admin") or "null")
    delete_row()
    restarted = Store.open(Path(data_dir))  # as after a restart: nothing kept in memory
    out["row_after_delete"] = list(restarted.inbox.failures("admin"))
    out["delay_after_delete"] = restarted.login_delay("admin")
    out["right_password_during_delay"] = refused(restarted, ADMIN_PASSWORD)
    # The next failure counts on from the kept copy, not from the deleted row's zero.
    restarted.wait_for_login("admin")
    delete_row()
    out["next_retry_after"] = refused(restarted, "still-not-the-password")
    out["row_after_next"] = list(restarted.inbox.failures("admin"))[:1]
    # The right password after the wait signs in and clears both copies.
    restarted.wait_for_login("admin")
    started = time.perf_counter()
    out["signed_in"] = refused(restarted, ADMIN_PASSWORD) == -1.0
    out["sign_in_seconds"] = time.perf_counter() - started
    out["note_after_sign_in"] = device_secret.read_note(vault_id, "sign-in failures:admin")
    out["row_after_sign_in"] = list(restarted.inbox.failures("admin"))
    return out


def trust(data_dir: str) -> dict[str, Any]:
    """What the credential store adds against someone who edits or replaces the folder."""
    import base64
    import shutil
    import sqlite3
    from datetime import datetime

    from safeguard_desktop.domain.concern import Concern
    from safeguard_desktop.domain.errors import StoreTampered, WrongCredentials
    from safeguard_desktop.domain.organisation import OrgType, Role
    from safeguard_desktop.security import sealing
    from safeguard_desktop.security.kdf import KdfParams
    from safeguard_desktop.services import recording, vault_trust
    from safeguard_desktop.services.setup import SetupRequest, create_store
    from safeguard_desktop.services.store import Store

    sys.path.insert(0, str(Path(__file__).parent))
    from concern_example import example_concern

    folder = Path(data_dir)
    concern = Concern.from_json(example_concern(), now=datetime.now())
    request = SetupRequest(
        org_name="Riverside Juniors FC",
        org_type=OrgType.CLUB,
        admin_username="admin",
        admin_display_name="Pat Admin",
        admin_password=ADMIN_PASSWORD,
        allow_guests=True,
    )
    created = create_store(folder, request, kdf=KdfParams())
    store, recovery = created.store, created.recovery_key
    vault_id = store.vault.vault_id
    out: dict[str, Any] = {
        "vault_key_kept": vault_trust.pinned_vault_key(vault_id) == store.vault.vault_key,
        "anchor_kept": vault_trust.kept_anchor(vault_id) is not None,
    }
    admin = store.login("admin", ADMIN_PASSWORD)
    people.add_user(admin, "rita", "Rita Recorder", Role.RECORDER, "recorder-pw-1")  # type: ignore[arg-type]
    admin.lock()
    copy = folder.with_name("copy")
    shutil.copytree(folder, copy)

    def sealed_count() -> int:
        conn = sqlite3.connect(folder / "inbox.db")
        try:
            return int(conn.execute("SELECT count(*) FROM sealed").fetchone()[0])
        finally:
            conn.close()

    # A guest's concern is checked against the key kept in the credential store.
    original = (folder / "vault.json").read_text(encoding="utf-8")
    data = json.loads(original)
    data["inbox_public_key"] = base64.b64encode(sealing.new_keypair()[1]).decode()
    data.pop("checksum")
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    data["checksum"] = "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    (folder / "vault.json").write_text(json.dumps(data), encoding="utf-8")
    try:
        recording.submit_as_guest(Store.open(folder), "Visiting Coach", "Coach", concern)
        out["guest_refused"] = False
    except StoreTampered as err:
        out["guest_refused"] = str(err)
    out["sealed_after_refusal"] = sealed_count()
    (folder / "vault.json").write_text(original, encoding="utf-8")
    recording.submit_as_guest(Store.open(folder), "Visiting Coach", "Coach", concern)

    # A failed sign-in is sealed with this PC's device key: verified at ingest.
    with contextlib.suppress(WrongCredentials):
        Store.open(folder).login("admin", "not-the-password")
    admin = Store.open(folder).login("admin", ADMIN_PASSWORD)
    entries = audit_trail.entries(admin, 30)  # type: ignore[attr-defined]
    out["failed_sign_in_verified"] = [
        e.detail.get("verified") for e in entries if e.action == "login_failed"
    ]
    people.remove_user(admin, "rita")  # type: ignore[arg-type]
    admin.lock()

    # An older genuine vault.json (rita still in it): recorders refuse it here, because
    # the credential store remembers a newer generation.
    newer = (folder / "vault.json").read_bytes()
    shutil.copy2(copy / "vault.json", folder / "vault.json")
    rita = Store.open(folder).login("rita", "recorder-pw-1")
    try:
        rita.check_can_submit()
        out["older_vault_refused"] = False
    except StoreTampered:
        out["older_vault_refused"] = True
    rita.lock()
    (folder / "vault.json").write_bytes(newer)

    # A checked backup made since: the alarm below points to it.
    usb = folder.with_name("usb")
    usb.mkdir()
    admin = Store.open(folder).login("admin", ADMIN_PASSWORD)
    made = backup.make_backup(admin, usb)  # type: ignore[attr-defined]
    out["backup_name"] = made.path.name
    admin.lock()
    # Testing that backup by restoring it beside the real records on this PC must not
    # lower what the credential store keeps for them (the restore is a store of its own).
    from safeguard_desktop.services.backup import restore_backup

    restore_backup(made.path, folder.with_name("restored"), recovery, "admin", "restored-pw-1")
    restored = Store.open(folder.with_name("restored"))
    out["restored_has_own_identity"] = restored.vault.vault_id != vault_id
    restored.login("admin", "restored-pw-1").lock()

    # The whole folder put back as it was: vault.json and cases.db agree with each
    # other, but not with the anchor the credential store kept.
    shutil.rmtree(folder)
    shutil.copytree(copy, folder)
    admin = Store.open(folder).login("admin", ADMIN_PASSWORD)
    out["whole_folder_read_only"] = admin.read_only  # type: ignore[attr-defined]
    alarm = admin.rollback_alarm  # type: ignore[attr-defined]
    out["whole_folder_alarm"] = alarm.sentence() if alarm else None
    admin.lock()
    return out


def station(data_dir: str) -> dict[str, Any]:
    """A recording station's station.json is pinned in the credential store: replaced
    with another organisation's invitation, the station refuses to record."""

    from safeguard_desktop.domain.errors import StoreTampered
    from safeguard_desktop.domain.organisation import LocalContacts, OrgType
    from safeguard_desktop.security.kdf import KdfParams
    from safeguard_desktop.services import organisation_settings, recording_station, stations
    from safeguard_desktop.services.setup import SetupRequest, create_store

    root = Path(data_dir)
    drop = root / "drop"
    drop.mkdir(parents=True)
    made = {}
    for name in ("ours", "theirs"):
        request = SetupRequest(
            org_name=f"{name} FC",
            org_type=OrgType.CLUB,
            admin_username="admin",
            admin_display_name="Pat Admin",
            admin_password=ADMIN_PASSWORD,
        )
        store = create_store(root / name, request, kdf=KdfParams()).store
        admin = store.login("admin", ADMIN_PASSWORD)
        made[name] = stations.invite_station(admin, "Hall laptop", drop)  # type: ignore[arg-type]
        admin.lock()
    folder = root / "station"
    recording_station.set_up_station(folder, stations.parse_invitation(made["ours"].data))
    out: dict[str, Any] = {"reopened": recording_station.StationFolder.open(folder).station_name}
    genuine = (folder / "station.json").read_bytes()
    # Someone with the folder swaps in an invitation of their own, to read what is sent.
    recording_station.set_up_station(
        root / "other-station", stations.parse_invitation(made["theirs"].data)
    )
    (folder / "station.json").write_bytes((root / "other-station" / "station.json").read_bytes())
    try:
        recording_station.StationFolder.open(folder)
        out["swapped_refused"] = False
    except StoreTampered as err:
        out["swapped_refused"] = str(err)
    (folder / "station.json").write_bytes(genuine)
    # A signed settings update from the lead moves the pin with it.
    from safeguard_desktop.services.store import Store

    admin = Store.open(root / "ours").login("admin", ADMIN_PASSWORD)
    organisation_settings.set_contacts(  # type: ignore[arg-type]
        admin, LocalContacts(front_door="0100 000 0009", lado="0100 000 0008")
    )
    admin.lock()
    opened = recording_station.StationFolder.open(folder)
    recording_station.deliver_waiting(opened)
    out["front_door_after_update"] = recording_station.StationFolder.open(
        folder
    ).organisation.contacts.front_door
    return out


STEPS = {
    "station": station,
    "trust": trust,
    "roundtrip": roundtrip,
    "read": read,
    "absent": absent,
    "e2e": e2e,
    "login": login,
    "throttle": throttle,
}

if __name__ == "__main__":
    step, arg = sys.argv[1], sys.argv[2]
    print(json.dumps(STEPS[step](arg)))
