"""First-time setup: a new store with its admin account and recovery key.

Everything is built in a hidden staging folder inside the data folder and
moved into place with vault.json last, so a crash during setup leaves no
half-made store, and nothing that already exists is overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..domain.accounts import new_id, validate_display_name, validate_password, validate_username
from ..domain.errors import BadInput, StoreExists
from ..domain.organisation import LocalContacts, Organisation, OrgType, Role, validate_contacts
from ..domain.text import clean_name, clean_text
from ..security import device_secret, key_slots, recovery_key, sealing, vault_signing
from ..security.kdf import KdfParams, calibrate
from ..storage import audit_log, case_database, case_records, station_file, vault_copy
from ..storage.atomic_file import fsync_directory
from ..storage.case_database import CASES_NAME
from ..storage.sealed_inbox import INBOX_NAME, SealedInbox
from ..storage.vault_file import (
    DEFAULT_IDLE_LOCK_MINUTES,
    VAULT_NAME,
    UserRecord,
    Vault,
    write_vault,
)
from . import vault_trust
from .input_files import shown_path
from .store import Store

Progress = Callable[[int, str], None]


@dataclass
class SetupRequest:
    org_name: str
    org_type: OrgType
    admin_username: str
    admin_display_name: str
    admin_password: str
    allow_guests: bool = False
    contacts: LocalContacts = field(default_factory=LocalContacts)


@dataclass
class SetupResult:
    store: Store
    recovery_key: str

    @property
    def recovery_groups(self) -> list[str]:
        return recovery_key.groups_of(self.recovery_key)


def organisation_name(typed: str) -> str:
    """The organisation's name as it is kept: as typed, only the spaces around it trimmed.

    It is printed on every referral and in the signing certificate, so spacing inside
    it is kept, and a tab (which no PDF shows) is refused like a line break.
    """
    if isinstance(typed, str) and not typed.strip():
        raise BadInput("Please type the name of your organisation.", field="organisation name")
    return clean_name(typed, "organisation name", label="Organisation name")


def validate_setup(req: SetupRequest) -> None:
    """Check every field; raises BadInput naming the first wrong one. No I/O."""
    organisation_name(req.org_name)
    if not isinstance(req.org_type, OrgType):
        raise BadInput(
            "Please choose what kind of organisation this is.", field="organisation type"
        )
    validate_display_name(req.admin_display_name)
    validate_username(req.admin_username)
    validate_password(req.admin_password, Role.ADMIN)
    for name_, value in req.contacts.to_json().items():
        clean_text(value, name_, max_length=2000, multiline=name_ == "notes")
    validate_contacts(req.contacts)


def _report(progress: Progress | None, percent: int, message: str) -> None:
    if progress is not None:
        progress(percent, message)


def _make_data_dir(data_dir: Path) -> None:
    """Create the data folder (and its parents), or say in one sentence why not."""
    shown = f"The folder {shown_path(data_dir)}"
    if data_dir.is_symlink() and not data_dir.exists():
        why = "is a symbolic link that leads nowhere, or round in a loop"
    elif data_dir.exists() and not data_dir.is_dir():
        why = "is a file, not a folder"
    else:
        try:
            data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            return
        except OSError as error:
            if isinstance(error, FileExistsError | NotADirectoryError):
                why = "cannot be made: part of its path is a file, not a folder"
            elif isinstance(error, PermissionError) or error.errno == errno.EROFS:
                why = "cannot be made: this account may not create folders there"
            elif error.errno == errno.ELOOP:
                why = "cannot be made: its path goes round a loop of symbolic links"
            elif error.errno == errno.ENAMETOOLONG:
                why = "cannot be made: its name is too long for this computer"
            else:
                why = f"cannot be made ({error.strerror or type(error).__name__})"
    raise BadInput(f"{shown} {why}; choose another folder for the records.", "data folder")


def credential_store_status() -> device_secret.DeviceSecretStatus:
    """Whether this PC's credential store can hold the device secret, asked before setup
    so the page where the password is chosen can say what it means (slow: D-Bus)."""
    return device_secret.probe()


def create_store(
    data_dir: Path,
    req: SetupRequest,
    *,
    kdf: KdfParams | None = None,
    progress: Progress | None = None,
) -> SetupResult:
    """Create the store; returns the recovery key, which is shown once and never stored."""
    validate_setup(req)
    data_dir = Path(data_dir)
    if Store.exists(data_dir) or (data_dir / CASES_NAME).exists():
        if not (data_dir / VAULT_NAME).exists():
            raise StoreExists(
                f"{data_dir} already holds Safeguard Desktop records whose settings file "
                "vault.json is missing; nothing was changed. Put vault.json back from a "
                "copy of this folder, or restore your most recent backup."
            )
        raise StoreExists(
            f"{data_dir} already holds Safeguard Desktop records; nothing was changed. "
            "Choose another folder, or sign in to the existing records."
        )
    if station_file.is_station(data_dir):
        raise StoreExists(
            f"{data_dir} is set up as a recording station for another PC's records; nothing "
            "was changed. Choose another folder for a store of its own."
        )
    _make_data_dir(data_dir)
    for leftover in data_dir.glob(".setup-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    staging = data_dir / f".setup-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    try:
        result = _build(staging, data_dir, req, kdf, progress)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _build(
    staging: Path,
    data_dir: Path,
    req: SetupRequest,
    kdf: KdfParams | None,
    progress: Progress | None,
) -> SetupResult:
    _report(progress, 5, "Measuring this PC to choose how strongly to protect passwords…")
    params = kdf or calibrate()
    vault_id = uuid.uuid4().hex
    _report(progress, 35, "Preparing this PC's credential store…")
    try:
        secret = device_secret.create_device_secret(vault_id)
    except device_secret.DeviceSecretUnavailable:
        secret = None

    _report(progress, 40, "Protecting the key with your password…")
    db_key = secrets.token_bytes(32)
    inbox_private, inbox_public = sealing.new_keypair()
    # The organisation's vault key: its private half goes only into the case
    # database, its public half into every password slot (services/vault_trust.py).
    vault_private, vault_public = vault_signing.new_key()
    admin_username = validate_username(req.admin_username)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    admin = key_slots.create_slot(
        kind="password",
        user_id=new_id(),
        secret=req.admin_password.encode("utf-8"),
        kdf=params,
        device_secret=secret,
        db_key=db_key,
        vault_key=vault_public,
    )
    _report(progress, 55, "Making your recovery key…")
    code = recovery_key.generate()
    recovery = key_slots.create_slot(
        kind="recovery",
        user_id=None,
        secret=recovery_key.secret_bytes(code),
        kdf=params,
        device_secret=None,  # the recovery key must open the records on a new PC
        db_key=db_key,
        vault_key=vault_public,
    )
    vault = Vault(
        vault_id=vault_id,
        created_at=now,
        organisation=Organisation(
            name=organisation_name(req.org_name),
            org_type=req.org_type,
            allow_guests=req.allow_guests,
            contacts=req.contacts,
        ),
        idle_lock_minutes=DEFAULT_IDLE_LOCK_MINUTES,
        inbox_public_key=inbox_public,
        users=(
            UserRecord(
                user_id=admin.slot.user_id or "",
                username=admin_username,
                display_name=validate_display_name(req.admin_display_name),
                role=Role.ADMIN,
                created_at=now,
                slot_id=admin.slot.slot_id,
            ),
        ),
        slots=(admin.slot, recovery.slot),
        new_slot_kdf=params,
    )

    _report(progress, 70, "Creating the encrypted case database…")
    conn = case_database.create_database(staging / CASES_NAME, db_key)
    try:
        _report(progress, 75, "Making the organisation's certificate for signing referrals…")
        # Imported here: reportlab and pyHanko are slow to load and the window is not.
        from ..pdf.signing import generate_signing_identity
        from .referral import store_signing_identity

        identity = generate_signing_identity(organisation_name(req.org_name))
        with case_records.transaction(conn):
            case_records.add_inbox_key(conn, inbox_public, sealing.private_bytes(inbox_private))
            store_signing_identity(conn, identity, "generated")
            vault_copy.set_signing_key(conn, vault_private)
            audit_log.append(
                conn,
                admin_username,
                "store_created",
                {"org_type": req.org_type.value, "device_bound": secret is not None},
            )
            vault = vault_trust.sign(vault, vault_private, vault_trust.anchor_now(conn), 1)
            vault_copy.save_vault_copy(
                conn, vault_trust.copy_text(vault), vault_trust.password_slots(vault)
            )
        case_database.checkpoint(conn)
    finally:
        conn.close()
    SealedInbox.create(staging / INBOX_NAME)
    write_vault(staging, vault)

    _report(progress, 95, "Saving…")
    # vault.json moves last: until it is in place there is no store.
    for name in (CASES_NAME, INBOX_NAME, VAULT_NAME):
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(staging / f"{name}{suffix}")
        os.replace(staging / name, data_dir / name)
    fsync_directory(data_dir)
    # Outside the folder too, where this PC has a credential store: the key guests
    # check vault.json against, and the first audit anchor.
    vault_trust.keep_outside(vault)
    _report(progress, 100, "Your encrypted store is ready.")
    return SetupResult(store=Store.open(data_dir), recovery_key=code)


def save_recovery_sheet(path: Path, org_name: str, code: str, created_at: datetime) -> None:
    """Write the one-page recovery-key PDF the user chose to save (atomically)."""
    from ..pdf.recovery_sheet import write_recovery_sheet

    write_recovery_sheet(path, org_name, code, created_at)


def check_recovery_group(text: str) -> bool:
    """True when one typed group of the recovery key has a correct check digit."""
    return recovery_key.check_group(text)
