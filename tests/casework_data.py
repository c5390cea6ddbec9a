"""Concerns for the casework tests: submitted the real way (sealed, then ingested)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from concern_example import example_concern
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.services.recording import Submitter, seal_concern
from safeguard_desktop.services.store import Store


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


def submit(store: Store, data: dict[str, Any], recorder: str = "Rita Recorder") -> str:
    concern = Concern.from_json(data, now=datetime.now())
    return seal_concern(store, concern, Submitter(recorder, "recorder", "rita"))
