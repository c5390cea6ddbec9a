"""Who recorded a concern, in the words a referral prints them (domain/recorder_words.py)."""

from __future__ import annotations

from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.domain.recorder_words import recorder_words


def test_an_account_a_guest_and_a_recording_station_are_each_said_as_they_are() -> None:
    account = {"name": "Rita Recorder", "role": "recorder", "username": "rita"}
    guest = {"name": "Gail Guest", "role": "Parent helper", "username": None}
    station = {**guest, "station": "S-AAAA-BBBB", "station_name": "Away laptop"}
    assert recorder_words(account, OrgType.CLUB).startswith("Rita Recorder (")
    assert recorder_words(guest, OrgType.CLUB) == (
        "Gail Guest, Parent helper (a guest, without an account)"
    )
    assert recorder_words(station, OrgType.CLUB) == (
        "Gail Guest, Parent helper, on the organisation's recording station “Away laptop”"
    )
