"""A throwaway store of fictional sample data, for `safeguard-desktop --demo`.

Every name, place and event here is invented. The store lives in a temporary
folder that is deleted when the app closes.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from ..domain.casework import NewAction
from ..domain.child_situation import ChildSituation, Urgency
from ..domain.children import ChildDetails, HouseholdMember, Professional
from ..domain.concern import Concern
from ..domain.handoff import (
    DEFAULT_LAWFUL_BASIS,
    AdviceSought,
    Consent,
    HandoffDecision,
    InformationSharing,
    Outcome,
)
from ..domain.organisation import LocalContacts, OrgType, Role
from ..domain.records import SearchFilters
from ..domain.referral import ReferralKind
from ..security.kdf import KdfParams
from .handoff import record_handoff, referral_prefill
from .session import require_case_session
from .setup import SetupRequest, create_store
from .store import Store

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
        "observed": "Tom was still waiting for a lift 60 minutes after training ended.",
        "child_words": "Dad said he'd come.",
        "presentation": "Said he had not had lunch.",
        "others_present": "",
        "actions_taken": "Waited with him with another coach until his dad arrived.",
        "days_ago": 24,
    },
    {
        "children": [{"name": "Tom Example", "approximate_age": 12, "group": "Under 13s"}],
        "location": "Clubhouse",
        "categories": ["neglect"],
        "observed": "Tom came to training in the same clothes as last week; they smelt strongly.",
        "child_words": "",
        "presentation": "Kept away from the others in the changing room.",
        "others_present": "",
        "actions_taken": "Offered him a spare club shirt, which he took.",
        "days_ago": 14,
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
    session = require_case_session(result.store.login(*DEMO_ADMIN))
    try:
        session.add_user(DEMO_RECORDER[0], "Chris Coach", Role.RECORDER, DEMO_RECORDER[1])
    finally:
        session.lock()
    now = datetime.now().replace(microsecond=0)
    # Sent the way the coach would: signed in, each concern sealed with his key.
    coach = result.store.login(*DEMO_RECORDER)
    for sample in _SAMPLES:
        data = {k: v for k, v in sample.items() if k != "days_ago"}
        # Junior training ends early in the evening; every sample is a day or more old.
        when = (now - timedelta(days=int(str(sample["days_ago"])))).replace(hour=17, minute=40)
        data.update(
            occurred_at=when.isoformat(),
            immediate_danger=False,
            told_dsl_in_person=True,
            body_map=[],
        )
        concern = Concern.from_json(data, now=now)
        coach.submit_concern(concern)
    coach.lock()
    _demo_casework(result.store, now)


def _demo_casework(store: Store, now: datetime) -> None:
    """What a Welfare Officer would have done already: links, calls, a decision, a referral."""
    session = require_case_session(store.login(*DEMO_ADMIN))  # opens the sealed concerns
    try:
        work = session.casework
        summaries: dict[str, list[str]] = {s.child_names: [] for s in work.search(SearchFilters())}
        for summary in reversed(work.search(SearchFilters())):
            summaries[summary.child_names].append(summary.ref)
        tom_refs, maya_refs = summaries["Tom Example"], summaries["Maya Fictional"]
        tom = work.create_child_for(tom_refs[0], 0).id
        for ref in tom_refs[1:]:
            work.link_child(ref, 0, tom)
        work.update_child(
            tom,
            ChildDetails.checked(
                name="Tom Example", approximate_age=12, group="Under 13s", language="English"
            ),
        )
        work.add_household_member(
            tom,
            HouseholdMember.checked(
                name="Dan Example",
                relationship="Father",
                parental_responsibility=True,
                contact="0100 000 0100 (fictional)",
            ),
        )
        work.add_action(
            NewAction.checked(
                kind="contacted_parent",
                occurred_at=now - timedelta(days=13),
                who="Dan Example (father)",
                details="Phoned about Tom waiting for lifts and his clothes.",
                outcome="Dad said his shifts have changed; he will arrange lifts with a neighbour.",
                now=now,
            ),
            child_id=tom,
        )
        record_handoff(
            work,
            tom_refs[-1],
            HandoffDecision.checked(
                immediate_danger=False,
                police=None,
                allegation_against_adult=False,
                lado=None,
                outcome=Outcome.MONITOR,
                reason="Three concerns about neglect in a month; dad engaged and has a plan. "
                "Below the threshold for a referral for now.",
                advice=AdviceSought("Front door (fictional)", "Monitor and review in two weeks."),
                information_sharing=None,
                referral=None,
                review_on=(now + timedelta(days=14)).date(),
                follow_up_on=now.date(),
                follow_up_what="Check whether Tom's lifts are now arranged.",
                now=now,
            ),
        )
        maya = work.create_child_for(maya_refs[0], 0).id
        work.update_child(
            maya,
            ChildDetails.checked(
                name="Maya Fictional",
                date_of_birth=date(2015, 6, 14),
                gender="Female",
                language="English",
                group="Under 11s",
                address="1 Example Street (fictional)",
            ),
        )
        work.add_household_member(
            maya,
            HouseholdMember.checked(
                name="Jane Fictional", relationship="Mother", parental_responsibility=True
            ),
        )
        work.add_professional(
            maya, Professional.checked(name="Dr A. Example", role="GP", organisation="Demo Surgery")
        )
        decision = HandoffDecision.checked(
            immediate_danger=False,
            police=None,
            allegation_against_adult=False,
            lado=None,
            outcome=Outcome.SOCIAL_CARE,
            situation=ChildSituation(
                urgency=Urgency.SAME_DAY, child_now="At home with her mother tonight."
            ),
            reason="An injury whose explanation does not fit what was seen.",
            advice=None,
            information_sharing=InformationSharing(
                consent=Consent.NOT_SOUGHT,
                consent_reason="Seeking consent could place Maya at greater risk.",
                lawful_basis=DEFAULT_LAWFUL_BASIS,
                parents_told=False,
                parents_not_told_reason="Children's social care to advise first.",
            ),
            referral=referral_prefill(work, maya_refs[0], ReferralKind.SOCIAL_CARE),
            review_on=None,
            follow_up_on=(now + timedelta(days=2)).date(),
            follow_up_what="Ring the front door if there is no reply to the referral.",
            now=now,
        )
        record_handoff(work, maya_refs[0], decision)
    finally:
        session.lock()


@contextmanager
def demo_data_dir() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="safeguard-demo-"))
    try:
        data_dir = root / "data"
        build_demo_store(data_dir)
        yield data_dir
    finally:
        shutil.rmtree(root, ignore_errors=True)
