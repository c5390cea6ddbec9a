"""Two data folders on one machine, the DSL's and a recording station's, sharing a drop folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.services import recording_station, stations
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store

CONCERN = {
    "children": [{"name": "Olek Nowak", "approximate_age": 9}],
    "occurred_at": "2026-11-02T10:00:00",
    "location": "Away ground, Hill Road",
    "categories": ["neglect"],
    "observed": "Arrived without a coat for the fourth week running.",
    "immediate_danger": False,
}


def concern(observed: str | None = None) -> Concern:
    data = dict(CONCERN)
    if observed is not None:
        data["observed"] = observed
    return Concern.from_json(data, now=datetime.now())


def lead(data_dir: Path, who: tuple[str, str]) -> CaseSession:
    session = Store.open(data_dir).login(*who)
    assert isinstance(session, CaseSession)
    return session


@dataclass
class Pair:
    """The DSL's data folder, a station's, and the drop folder between them."""

    dsl_dir: Path
    admin: tuple[str, str]
    drop: Path
    station_dir: Path
    invitation: stations.MadeInvitation
    station: recording_station.StationFolder

    def session(self) -> CaseSession:
        return lead(self.dsl_dir, self.admin)


def invite(
    dsl_dir: Path, admin: tuple[str, str], drop: Path, name: str = "Away laptop"
) -> stations.MadeInvitation:
    session = lead(dsl_dir, admin)
    try:
        return stations.invite_station(session, name, drop)
    finally:
        session.lock()


def make_pair(store_dir: object, tmp_path: Path, name: str = "Away laptop") -> Pair:
    """The store in ``store_dir`` (conftest's fixture), a station invited and set up."""
    data_dir: Path = store_dir.data_dir  # type: ignore[attr-defined]
    admin: tuple[str, str] = store_dir.admin  # type: ignore[attr-defined]
    drop = tmp_path / "shared drop"
    drop.mkdir()
    made = invite(data_dir, admin, drop, name)
    station_dir = tmp_path / "station"
    station = recording_station.set_up_station(station_dir, stations.parse_invitation(made.data))
    recording_station.deliver_waiting(station)  # its hello, as the app does next
    return Pair(data_dir, admin, drop, station_dir, made, station)
