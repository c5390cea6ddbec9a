"""Concerns for the casework tests: submitted the real way (sealed, then ingested)."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from typing import Any

from concern_example import example_concern
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.organisation import Role
from safeguard_desktop.security import key_slots
from safeguard_desktop.services import people
from safeguard_desktop.services.recording import Submitter, seal_concern
from safeguard_desktop.services.store import Store

# The recorder account submit() seals as: (user name, full name, role, password), for
# stores built with ui_store.build_store (tests/support/) (the shared template store has her).
RECORDER_ACCOUNT = ("rita", "Rita Recorder", Role.RECORDER, "recorder-pw-1")

# Rita's opened slot, by slot id: every test's store is a copy of one template, so
# the slot (and its deliberately slow key derivation) is opened once per run.
_OPENED: dict[str, key_slots.OpenedSlot] = {}


def rita_slot(store: Store) -> key_slots.OpenedSlot:
    """The recorder account's opened slot, to seal concerns the way her session does."""
    record = store.vault.user("rita")
    assert record is not None, "this store has no recorder 'rita': add RECORDER_ACCOUNT"
    slot = store.vault.slot(record.slot_id)
    assert slot is not None
    if slot.slot_id not in _OPENED:
        _OPENED[slot.slot_id] = key_slots.open_slot(slot, b"recorder-pw-1", None)
    return _OPENED[slot.slot_id]


def concern_data(
    *,
    name: str = "Amelia Kowalska",
    born: str | None = "2015-03-02",
    days_ago: float = 1,
    categories: tuple[str, ...] = ("physical_abuse",),
    observed: str | None = None,
    extra_children: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    data = example_concern()
    child: dict[str, Any] = {"name": name, "group": "Under 11s"}
    if born is not None:
        child["date_of_birth"] = born
    data["children"] = [child, *extra_children]
    data["occurred_at"] = (
        (datetime.now() - timedelta(days=days_ago)).replace(microsecond=0).isoformat()
    )
    data["categories"] = list(categories)
    if observed is not None:
        data["observed"] = observed
    return data


def _recorder_slot(store: Store, full_name: str) -> tuple[str, key_slots.OpenedSlot]:
    """(user name, opened slot) of the recorder account called ``full_name``.

    Rita is in every test store. Another name gets an account of its own the first time
    (added by the template store's administrator), since ingest credits a concern to
    the account that sealed it, under that account's own name.
    """
    if full_name == RECORDER_ACCOUNT[1]:
        return RECORDER_ACCOUNT[0], rita_slot(store)
    plain = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    username = "".join(ch for ch in plain.lower() if ch.isascii() and ch.isalnum())[:20]
    username = username if len(username) >= 2 else "someone"
    password = f"{username}-password-1"
    if store.vault.user(username) is None:
        admin = store.login("admin", "admin-password-1")
        try:
            people.add_user(admin, username, full_name, Role.RECORDER, password)  # type: ignore[arg-type]
        finally:
            admin.lock()
        store.reload()
    record = store.vault.user(username)
    assert record is not None
    slot = store.vault.slot(record.slot_id)
    assert slot is not None
    if slot.slot_id not in _OPENED:
        _OPENED[slot.slot_id] = key_slots.open_slot(slot, password.encode(), None)
    return username, _OPENED[slot.slot_id]


def submit(store: Store, data: dict[str, Any], recorder: str = "Rita Recorder") -> str:
    """Seal ``data`` as the recorder called ``recorder`` (an account, made if need be)."""
    concern = Concern.from_json(data, now=datetime.now())
    username, opened = _recorder_slot(store, recorder)
    return seal_concern(store, concern, Submitter(recorder, "recorder", username), sender=opened)
