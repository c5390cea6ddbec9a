"""A throwaway store of fictional sample data, for `safeguard-desktop --demo`.

Every name, place and event here is invented. The store lives in a temporary
folder that is deleted when the app closes.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from ..domain.concern import Concern
from ..domain.organisation import LocalContacts, OrgType, Role
from ..security.kdf import KdfParams
from .recording import Submitter, seal_concern
from .setup import SetupRequest, create_store

DEMO_ADMIN = ("dsl", "demo-password-1")
DEMO_RECORDER = ("coach", "demo-password-2")
DEMO_HINT = (
    "Demo store with fictional data. Sign in as dsl / demo-password-1 "
    "(Welfare Officer) or coach / demo-password-2 (recorder)."
)

_SAMPLES = (
    {
        "children": [
            {"name": "Maya Fictional", "date_of_birth": "2015-06-14", "group": "Under 11s"}
        ],
        "location": "Changing rooms, Example Park pavilion",
        "categories": ["physical_abuse"],
        "observed": "At 17:40 I saw a bruise about 4 cm across on Maya's upper left arm "
        "while she changed after training.",
        "child_words": "I fell off my bike.",
        "presentation": "Quiet, kept her jacket on for most of the session.",
        "others_present": "Assistant coach (demo)",
        "actions_taken": "Listened, did not ask leading questions, told the Welfare Officer.",
        "days_ago": 9,
    },
    {
        "children": [{"name": "Tom Example", "approximate_age": 12, "group": "Under 13s"}],
        "location": "Car park after training",
        "categories": ["neglect"],
        "observed": "Tom waited 90 minutes after training for a lift, for the third week "
        "running. He had no coat in the rain.",
        "child_words": "Mum's working, nobody can come.",
        "presentation": "Cold and hungry; ate two cereal bars quickly.",
        "others_present": "",
        "actions_taken": "Stayed with him with another coach until a neighbour collected him.",
        "days_ago": 3,
    },
    {
        "children": [
            {"name": "Ayesha Sample", "date_of_birth": "2011-01-30", "group": "Under 15s girls"}
        ],
        "location": "Team group chat (reported at training)",
        "categories": ["online_harm", "child_on_child"],
        "observed": "Ayesha showed me messages from another player's account calling her "
        "names and sharing an edited photo of her.",
        "child_words": "Everyone has seen it. I don't want to come any more.",
        "presentation": "Tearful, spoke quietly.",
        "others_present": "Her friend from the team",
        "actions_taken": "Reassured her she was right to tell me; did not copy the images.",
        "days_ago": 1,
    },
)


def build_demo_store(data_dir: Path) -> None:
    req = SetupRequest(
        org_name="Example Park Juniors FC (demo)",
        org_type=OrgType.CLUB,
        admin_username=DEMO_ADMIN[0],
        admin_display_name="Sam Demo",
        admin_password=DEMO_ADMIN[1],
        allow_guests=True,
        contacts=LocalContacts(
            front_door="0100 000 0001 (fictional)",
            out_of_hours="0100 000 0002 (fictional)",
            lado="0100 000 0003 (fictional)",
        ),
    )
    # The demo uses the minimum Argon2id cost so it starts quickly; its data is fictional.
    result = create_store(data_dir, req, kdf=KdfParams())
    session = result.store.login(*DEMO_ADMIN)
    try:
        session.add_user(
            DEMO_RECORDER[0],
            "Chris Coach",
            Role.RECORDER,  # type: ignore[attr-defined]
            DEMO_RECORDER[1],
        )
    finally:
        session.lock()
    now = datetime.now().replace(microsecond=0)
    for sample in _SAMPLES:
        data = {k: v for k, v in sample.items() if k != "days_ago"}
        when = now - timedelta(days=int(str(sample["days_ago"])), hours=2)
        data.update(
            occurred_at=when.isoformat(),
            immediate_danger=False,
            told_dsl_in_person=True,
            body_map=[],
        )
        concern = Concern.from_json(data, now=now)
        seal_concern(result.store, concern, Submitter("Chris Coach", "recorder", "coach"))


@contextmanager
def demo_data_dir() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="safeguard-demo-"))
    try:
        data_dir = root / "data"
        build_demo_store(data_dir)
        yield data_dir
    finally:
        shutil.rmtree(root, ignore_errors=True)
