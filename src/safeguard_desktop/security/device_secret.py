"""The device secret: 32 random bytes in the operating system's credential store.

Mixed into every password slot, so a copied data folder cannot be attacked
away from this PC. Only backends that keep secrets encrypted by the OS are
allowed; keyring's plaintext, "fail" and null backends never are, and when no
allowed backend works the app says so and uses passwords alone.
"""

from __future__ import annotations

import base64
import importlib
import logging
import secrets
import sys
from dataclasses import dataclass

import keyring.backend
import keyring.errors

log = logging.getLogger(__name__)

SERVICE = "Safeguard Desktop"
SECRET_BYTES = 32

# The backends that store secrets encrypted by the OS (fully qualified class names), by
# sys.platform; any other Unix is tried as Linux. keyring's plaintext, "fail" and null
# backends are never among them.
ALLOWED_BY_PLATFORM = {
    "linux": (
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
    ),
    "win32": ("keyring.backends.Windows.WinVaultKeyring",),
    "darwin": ("keyring.backends.macOS.Keyring",),
}


class DeviceSecretUnavailable(Exception):
    """No allowed credential store is usable on this PC."""


@dataclass(frozen=True)
class DeviceSecretStatus:
    usable: bool
    backend: str | None
    message: str


def _qualname(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"


def _allowed_here() -> list[keyring.backend.KeyringBackend]:
    """One of each allowed backend that is written for this operating system.

    Only those are imported: keyring's own ``get_all_keyring`` imports every backend, and
    on Linux the macOS one looks for its library by running ``ldconfig`` and then ``gcc``
    (a fork of the whole app) at every start.
    """
    found = []
    for name in ALLOWED_BY_PLATFORM.get(sys.platform, ALLOWED_BY_PLATFORM["linux"]):
        module_name, _, class_name = name.rpartition(".")
        try:
            backend_class = getattr(importlib.import_module(module_name), class_name)
            found.append(backend_class())
        except Exception as err:  # deliberately broad: a backend that cannot load is not usable
            log.info("credential store %s not loaded: %s", name, type(err).__name__)
    return found


def _candidates() -> list[keyring.backend.KeyringBackend]:
    found = []
    for backend in _allowed_here():
        try:
            priority = float(backend.priority)
        except Exception:  # noqa: S112 - a backend says it cannot run here by raising
            continue
        if priority > 0:
            found.append((priority, backend))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [backend for _, backend in found]


def _working_backend() -> keyring.backend.KeyringBackend:
    for backend in _candidates():
        try:
            # A read proves the store answers (and is unlocked) before we rely on it.
            backend.get_password(SERVICE, "__probe__")
        except Exception as err:  # deliberately broad: any failure means "not usable"
            log.info("credential store %s not usable: %s", _qualname(backend), type(err).__name__)
            continue
        return backend
    raise DeviceSecretUnavailable("no usable credential store")


def probe() -> DeviceSecretStatus:
    """Which credential store would hold the device secret, in one plain sentence."""
    try:
        backend = _working_backend()
    except DeviceSecretUnavailable:
        return DeviceSecretStatus(
            usable=False,
            backend=None,
            message=(
                "This PC has no usable credential store, so passwords alone protect "
                "the records here; keep the data folder on this PC only."
            ),
        )
    name = _qualname(backend)
    return DeviceSecretStatus(
        usable=True,
        backend=name,
        message="This PC's credential store also protects the records.",
    )


def get_device_secret(vault_id: str) -> bytes | None:
    """The device secret for this store, or None if this PC does not hold it."""
    try:
        backend = _working_backend()
    except DeviceSecretUnavailable:
        return None
    encoded = backend.get_password(SERVICE, vault_id)
    if encoded is None:
        return None
    try:
        value = base64.b64decode(encoded.encode("ascii"), validate=True)
    except ValueError:
        return None
    return value if len(value) == SECRET_BYTES else None


def create_device_secret(vault_id: str) -> bytes:
    """Make and store a new device secret; raises DeviceSecretUnavailable."""
    backend = _working_backend()
    value = secrets.token_bytes(SECRET_BYTES)
    try:
        backend.set_password(SERVICE, vault_id, base64.b64encode(value).decode("ascii"))
    except keyring.errors.KeyringError as err:
        raise DeviceSecretUnavailable("the credential store refused the secret") from err
    if get_device_secret(vault_id) != value:
        raise DeviceSecretUnavailable("the credential store did not keep the secret")
    return value


def delete_device_secret(vault_id: str) -> None:
    try:
        backend = _working_backend()
        backend.delete_password(SERVICE, vault_id)
    except (DeviceSecretUnavailable, keyring.errors.PasswordDeleteError):
        pass


# Notes kept beside the device secret ------------------------------------------
#
# Small public values the data folder must not be the only keeper of: the vault
# key that must have signed vault.json (so a guest can check it) and the audit
# log's anchor (so a whole data folder put back from an older copy is noticed).
# They are not secret; the credential store is simply a place outside the folder.


def read_note(vault_id: str, name: str) -> str | None:
    """The note ``name`` kept for this store, or None (no store, no note, unusable)."""
    try:
        backend = _working_backend()
        return backend.get_password(SERVICE, f"{vault_id}:{name}")
    except Exception as err:  # deliberately broad: a failing store is "no note"
        log.info("credential store note unreadable: %s", type(err).__name__)
        return None


def write_note(vault_id: str, name: str, value: str) -> bool:
    """Keep ``value`` as the note ``name``; False when no credential store took it."""
    try:
        backend = _working_backend()
        backend.set_password(SERVICE, f"{vault_id}:{name}", value)
    except Exception as err:  # deliberately broad: the folder's copy still stands
        log.info("credential store note not written: %s", type(err).__name__)
        return False
    return True


def delete_notes(vault_id: str, names: tuple[str, ...]) -> None:
    for name in names:
        try:
            _working_backend().delete_password(SERVICE, f"{vault_id}:{name}")
        except Exception:  # noqa: S112 - nothing to delete, or no store: both fine
            continue
