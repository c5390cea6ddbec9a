"""A throwaway store of fictional sample data, for `safeguard-desktop --demo`.

Every name, place and event here is invented. The store lives in a temporary
folder that is deleted when the app closes.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from ..domain.casework import NewAction
from ..domain.child_situation import ChildSituation, PersonCausingHarm, Urgency
from ..domain.child_status import NewStatus, StatusKind
from ..domain.children import ChildDetails, HouseholdMember, Professional, SendSupport
from ..domain.concern import Concern
from ..domain.handoff import (
    AdviceSought,
    Consent,
    HandoffDecision,
    InformationSharing,
    LadoContact,
    Outcome,
    PoliceCall,
)
from ..domain.lawful_basis import lawful_basis_for
from ..domain.low_level_concerns import LowLevelConcern
from ..domain.organisation import LocalContacts, OrgType, Role
from ..domain.records import SearchFilters
from ..domain.referral import AdultDetails, InterimStep, ReferralKind
from ..domain.referral_outcome import (
    Acknowledgement,
    AgencyOutcome,
    EscalationStage,
    NewEscalation,
    NewOutcome,
)
from ..domain.routes import (
    Agency,
    AgencyInformed,
    ChannelDecision,
    FgmKnown,
    FgmReport,
    PoliceLine,
    PoliceReport,
    PreventContact,
    Routes,
)
from ..resource_files import resource_path
from ..security.kdf import KdfParams
from . import (
    after_referral,
    attachments,
    casework,
    child_status,
    children,
    low_level_concerns,
    people,
    retention,
)
from .handoff import record_handoff, referral_prefill
from .referral import set_organisation_contact, set_referrer_contact
from .session import CaseSession, require_case_session
from .setup import SetupRequest, create_store
from .store import Store

DEMO_ADMIN = ("dsl", "demo-password-1")
DEMO_RECORDER = ("coach", "demo-password-2")
DEMO_HELPER = ("alexh", "demo-password-3")
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
    {
        "children": [{"name": "Leo Sample", "date_of_birth": "2017-09-03", "group": "Under 9s"}],
        "location": "Pitch 3, Example Park",
        "categories": ["allegation_against_adult", "physical_abuse"],
        "observed": "At 17:35 I saw the assistant coach (demo) grab Leo by the upper arm and "
        "pull him off the pitch after he missed a pass. Leo was crying. There were red "
        "finger marks on his arm afterwards.",
        "child_words": "He always grabs me when I get it wrong.",
        "presentation": "Crying, held his arm, would not go back on the pitch.",
        "others_present": "Two parents on the touchline (demo)",
        "actions_taken": "Took Leo to his mum, told the Welfare Officer the same evening. "
        "Did not speak to the assistant coach about it.",
        "days_ago": 2,
    },
    {
        "children": [{"name": "Baby Fictional (not born yet)", "group": "Maya's sibling"}],
        "location": "Car park at pick-up, Example Park",
        "categories": ["domestic_abuse"],
        "observed": "At pick-up Jane Fictional, Maya's mother, told me she is about 32 weeks "
        "pregnant and that Maya's father came back home last week. She had a cut lip and "
        "said he hit her on Sunday. She asked me to help.",
        "child_words": "",
        "presentation": "Maya was quiet in the car; Jane was shaking.",
        "others_present": "",
        "actions_taken": "Stayed with Jane and Maya, told the Welfare Officer straight away.",
        "days_ago": 1,
    },
    {
        "children": [
            {"name": "Sam Sample", "date_of_birth": "2011-11-02", "group": "Under 15s boys"}
        ],
        "location": "Clubhouse, after training",
        "categories": ["radicalisation"],
        "observed": "Sam showed two players a video on his phone from a group that calls for "
        "violence against people of another faith, and said he had joined their chat.",
        "child_words": "They're the only ones telling the truth. I'm going to meet them.",
        "presentation": "Excited, then angry when the others walked away.",
        "others_present": "Two players from his team (demo)",
        "actions_taken": "Told him I was worried and would tell the Welfare Officer; did not "
        "take his phone.",
        "days_ago": 4,
    },
    {
        "children": [
            {"name": "Amina Example", "date_of_birth": "2015-03-14", "group": "Under 11s girls"}
        ],
        "location": "Changing room, before the match",
        "categories": ["fgm"],
        "observed": "Amina said she will miss the rest of the season because she is going "
        "abroad for the summer to see her grandmother, for a special celebration to become a "
        "woman, and that her older cousin was very poorly after hers.",
        "child_words": "Nana says I will be a big girl after the party. I'm a bit scared.",
        "presentation": "Quiet, and asked if it would hurt.",
        "others_present": "",
        "actions_taken": "Listened, did not ask more about the celebration, told the Welfare "
        "Officer before the match.",
        "days_ago": 2,
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
            prevent="Prevent team (fictional), 0100 000 0006",
        ),
    )
    # The demo uses the minimum Argon2id cost so it starts quickly; its data is fictional.
    result = create_store(data_dir, req, kdf=KdfParams())
    session = require_case_session(result.store.login(*DEMO_ADMIN))
    try:
        people.add_user(session, DEMO_RECORDER[0], "Chris Coach", Role.RECORDER, DEMO_RECORDER[1])
        # The assistant coach an allegation is about (his account is suspended below).
        people.add_user(
            session, DEMO_HELPER[0], "Alex Helper (demo)", Role.RECORDER, DEMO_HELPER[1]
        )
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
    """What a Welfare Officer would have done already: links, calls, decisions, a referral
    and what came back."""
    session = require_case_session(store.login(*DEMO_ADMIN))  # opens the sealed concerns
    try:
        # Printed on every referral: how the agency reaches the club and its lead.
        set_organisation_contact(
            session, "Example Park pavilion, Example Lane (fictional); 0100 000 0004 (fictional)"
        )
        set_referrer_contact(session, "0100 000 0005 (fictional); welfare@example.invalid")
        summaries: dict[str, list[str]] = {
            s.child_names: [] for s in casework.search(session, SearchFilters())
        }
        for summary in reversed(casework.search(session, SearchFilters())):
            summaries[summary.child_names].append(summary.ref)
        tom_refs, maya_refs = summaries["Tom Example"], summaries["Maya Fictional"]
        tom = casework.create_child_for(session, tom_refs[0], 0).id
        for ref in tom_refs[1:]:
            casework.link_child(session, ref, 0, tom)
        children.update_child(
            session,
            tom,
            ChildDetails.checked(
                name="Tom Example", approximate_age=12, group="Under 13s", language="English"
            ),
        )
        children.add_household_member(
            session,
            tom,
            HouseholdMember.checked(
                name="Dan Example",
                relationship="Father",
                parental_responsibility=True,
                contact="0100 000 0100 (fictional)",
            ),
        )
        casework.add_action(
            session,
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
            session,
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
        maya = casework.create_child_for(session, maya_refs[0], 0).id
        children.update_child(
            session,
            maya,
            ChildDetails.checked(
                name="Maya Fictional",
                date_of_birth=date(2015, 6, 14),
                gender="Female",
                ethnicity="White British",
                religion="None",
                language="English",
                interpreter_needed=False,
                nhs_number="943 476 5919",  # the NHS's own example number, fictional
                group="Under 11s",
                address="1 Example Street (fictional)",
                lives_with="Her mother, Jane Fictional; her father has moved back in",
                disability=False,
                send=SendSupport.SEN_SUPPORT,
                additional_needs="Dyslexia: reading support at school (demo).",
            ),
        )
        _family(session, maya)
        children.add_professional(
            session,
            maya,
            Professional.checked(
                name="Dr A. Example",
                role="GP",
                organisation="Demo Surgery",
                contact="0100 000 0200 (fictional)",
            ),
        )
        # Already known: an early help plan, printed on her referral, and on Home a notice
        # that its lead professional must hear of the new concerns.
        child_status.add_status(
            session,
            maya,
            NewStatus(
                kind=StatusKind.EARLY_HELP_PLAN,
                started_on=(now - timedelta(days=60)).date(),
                lead_professional="Sam Okafor, early help team (fictional), 0100 000 0300",
                review_on=(now + timedelta(days=21)).date(),
            ),
            today=now.date(),
        )
        child_status.add_status(
            session,
            tom,
            NewStatus(
                kind=StatusKind.YOUNG_CARER,
                started_on=(now - timedelta(days=200)).date(),
                note="Helps look after his younger sister when dad works nights (demo).",
            ),
            today=now.date(),
        )
        (maya_referral,) = _refer(
            session,
            maya_refs[0],
            now,
            ReferralKind.SOCIAL_CARE,
            situation=ChildSituation(
                urgency=Urgency.SAME_DAY,
                child_now="At home with her mother tonight.",
                child_views="She said she wants to keep coming to training.",
                referrer_relationship="Her Welfare Officer at the club for two seasons",
            ),
            reason="An injury whose explanation does not fit what was seen.",
            sharing=InformationSharing(
                consent=Consent.NOT_SOUGHT,
                consent_reason="Seeking consent could place Maya at greater risk.",
                lawful_basis=lawful_basis_for(OrgType.CLUB),
                parents_told=False,
                parents_not_told_reason="Children's social care to advise first.",
            ),
            risks="A bruise whose explanation does not fit what was seen.",
            needs="A safe adult to talk to; a check of the bruise.",
            strengths="Comes to every session; close to her mother, who asked for help.",
            follow_up=(2, "Ring the front door if there is no reply to the referral."),
            # Every council's form asks who else already knows.
            routes=Routes(
                agencies_informed=(
                    AgencyInformed(Agency.GP, (now - timedelta(days=1)).date(), "Dr A. Example"),
                )
            ),
        )
        _after_maya_referral(session, maya_refs[0], maya_referral, now.date())
        _paper_notes(session, maya_refs[0], maya)
        retention.place_legal_hold(
            session, tom, "Police investigation (fictional), reference DEMO-44/26: keep everything"
        )
        _allegation_about_a_coach(session, summaries["Leo Sample"][0], now)
        people.suspend_user(session, DEMO_HELPER[0], concern_ref=summaries["Leo Sample"][0])
        _low_level_concerns(session, now)
        _baby_not_born_yet(session, summaries["Baby Fictional (not born yet)"][0], maya, now)
        _prevent_referral(session, summaries["Sam Sample"][0], now)
        _at_risk_of_fgm(session, summaries["Amina Example"][0], now)
    finally:
        session.lock()


def _paper_notes(session: CaseSession, ref: str, maya: int) -> None:
    """The volunteer's handwritten notes (a picture of a page) with Maya's concern, and a
    letter in her file: the originals KCSIE expects kept beside what was typed.

    The page is a shipped picture (resources/demo/), not drawn here: drawing text needs
    Pillow's FreeType and HarfBuzz, 3 MB the single file would carry for the demo alone.
    """
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    attachments.attach_to_concern(
        session,
        ref,
        resource_path("demo", "notes-training.jpg").read_bytes(),
        "notes-training.jpg",
        "The coach's notes, written at training",
    )
    letter = BytesIO()
    canvas = Canvas(letter, pagesize=(595, 842))
    canvas.setTitle("Letter (fictional)")
    for row, text in enumerate(
        (
            "Example Surgery (fictional), Example Lane",
            "To the Welfare Officer, Example Park FC (fictional)",
            "Maya was seen today. The bruise is healing. No further concerns from the surgery.",
            "Dr A. Example (fictional)",
        )
    ):
        canvas.drawString(60, 760 - row * 28, text)
    canvas.save()
    attachments.attach_to_child(
        session, maya, letter.getvalue(), "gp-letter.pdf", "Letter from the GP surgery"
    )


def _family(session: CaseSession, child_id: int) -> None:
    """Maya's household, and her unborn sibling's: who has parental responsibility."""
    children.add_household_member(
        session,
        child_id,
        HouseholdMember.checked(
            name="Jane Fictional",
            relationship="Mother",
            date_of_birth=date(1990, 2, 11),
            parental_responsibility=True,
            contact="0100 000 0101 (fictional)",
        ),
    )
    children.add_household_member(
        session,
        child_id,
        HouseholdMember.checked(
            name="Mark Fictional",
            relationship="Father",
            parental_responsibility=True,
            lives_with_child=True,
            notes="Moved back in last week (demo).",
        ),
    )


def _allegation_about_a_coach(session: CaseSession, ref: str, now: datetime) -> None:
    """An allegation about the assistant coach: the LADO, with everything its form asks."""
    leo = casework.create_child_for(session, ref, 0).id
    children.update_child(
        session,
        leo,
        ChildDetails.checked(
            name="Leo Sample",
            date_of_birth=date(2017, 9, 3),
            gender="Male",
            language="English",
            group="Under 9s",
            address="7 Sample Road (fictional)",
        ),
    )
    children.add_household_member(
        session,
        leo,
        HouseholdMember.checked(
            name="Rosa Sample", relationship="Mother", parental_responsibility=True
        ),
    )
    children.add_professional(
        session,
        leo,
        Professional.checked(
            name="Sam Social (demo)",
            role="Social worker",
            organisation="Example Council children's services (fictional)",
            contact="0100 000 0300 (fictional)",
        ),
    )
    lado = LadoContact(
        adult=AdultDetails.checked(
            name="Alex Helper (demo)",
            role="Assistant coach, Under 9s",
            employment_basis="volunteer",
            started_on=date(2023, 9, 1),
            workplace="Example Park, Tuesday and Saturday training",
            other_work_with_children="Helps at a holiday football camp (fictional).",
            own_children="Two children at primary school (fictional).",
            aware=False,
            previous_concerns="A low-level concern about shouting at players, March (demo).",
        ),
        allegation="Grabbed Leo (age 9) by the upper arm and pulled him off the pitch, "
        "leaving finger marks.",
        contacted_at=now - timedelta(hours=20),
        officer="Pat Officer (LADO, fictional)",
        advice="Do not tell the coach yet; keep him away from children until the "
        "strategy discussion; tell Leo's mother what was seen.",
        raised_by="Chris Coach, the head coach, saw it and told the Welfare Officer the "
        "same evening.",
        interim_steps=InterimStep.SUSPENDED,
        interim_reason="To keep the players safe until the LADO advises; he has been told "
        "only that he is not coaching this week.",
    )
    decision = HandoffDecision.checked(
        immediate_danger=False,
        police=None,
        allegation_against_adult=True,
        lado=lado,
        outcome=Outcome.MONITOR,
        reason="The LADO leads on the allegation; Leo's mother is supporting him.",
        advice=None,
        information_sharing=None,
        referral=referral_prefill(session, ref, ReferralKind.LADO),
        review_on=(now + timedelta(days=7)).date(),
        follow_up_on=(now + timedelta(days=1)).date(),
        follow_up_what="Ask the LADO when the strategy discussion is.",
        situation=ChildSituation(referrer_relationship="His club's Welfare Officer"),
        now=now,
    )
    record_handoff(session, ref, decision)


def _baby_not_born_yet(session: CaseSession, ref: str, maya: int, now: datetime) -> None:
    """A referral before birth: a 999 call, the parents' views, a marked box."""
    baby = casework.create_child_for(session, ref, 0).id
    children.update_child(
        session,
        baby,
        ChildDetails.checked(
            name="Baby Fictional (not born yet)",
            unborn=True,
            expected_on=(now + timedelta(weeks=8)).date(),
            address="1 Example Street (fictional)",
            group="Maya Fictional's sibling",
            lives_with="Will live with Jane Fictional (mother) and Maya (sister, age 11)",
            language="English",
            interpreter_needed=False,
        ),
    )
    _family(session, baby)
    children.add_professional(
        session,
        baby,
        Professional.checked(
            name="Dr A. Example",
            role="GP",
            organisation="Demo Surgery",
            contact="0100 000 0200 (fictional)",
        ),
    )
    children.add_professional(
        session,
        baby,
        Professional.checked(
            name="Kim Midwife (demo)",
            role="Community midwife",
            organisation="Demo Hospital (fictional)",
        ),
    )
    called = (now - timedelta(days=1)).replace(hour=18, minute=5, second=0)
    decision = HandoffDecision.checked(
        immediate_danger=True,
        police=PoliceCall(
            called_at=called,
            incident_number="CAD 0417 (fictional)",
            spoke_to="Call handler, then PC 1234 Example",
            notes="Officers went to the house; the father was not there.",
        ),
        allegation_against_adult=False,
        lado=None,
        outcome=Outcome.SOCIAL_CARE,
        situation=ChildSituation(
            urgency=Urgency.IMMEDIATE,
            child_now="Jane is staying with her sister tonight, with Maya.",
            child_views="Not born yet. Maya said she is scared when her dad shouts.",
            keep_from_family="Where Jane is staying, and her new phone number.",
            person_causing_harm=PersonCausingHarm(
                name="Mark Fictional",
                relationship="Father",
                lives_with_child=True,
                contact_with_other_children="Lives with Maya (age 11).",
            ),
            referrer_relationship="Welfare Officer at Maya's club; has known Jane two years",
            parents_views="Jane agreed to the referral and wants help; Maya's father has "
            "not been told.",
        ),
        reason="Domestic abuse against a pregnant mother, in the home Maya and the baby live in.",
        advice=None,
        information_sharing=InformationSharing(
            consent=Consent.GIVEN,
            consent_reason="Jane agreed when we spoke at pick-up.",
            lawful_basis=lawful_basis_for(OrgType.CLUB),
            parents_told=True,
        ),
        referral=replace(
            referral_prefill(session, ref, ReferralKind.SOCIAL_CARE),
            risks="Violence against a pregnant mother; the father lives in the home.",
            needs="A safe place for Jane and Maya; support before and after the birth.",
            strengths="Jane asked for help and agreed to the referral; her sister is near.",
        ),
        review_on=None,
        follow_up_on=(now + timedelta(days=1)).date(),
        follow_up_what="Ring the front door for the outcome of the referral.",
        now=now,
    )
    record_handoff(session, ref, decision)


def _refer(
    session: CaseSession,
    ref: str,
    now: datetime,
    kind: ReferralKind,
    *,
    situation: ChildSituation,
    reason: str,
    sharing: InformationSharing,
    risks: str,
    needs: str,
    strengths: str,
    follow_up: tuple[int, str],
    routes: Routes,
    categories: tuple[str, ...] | None = None,
) -> tuple[str, ...]:
    """Record a decision to refer (no danger now, no allegation about an adult), its
    referral filled in from the concern with these risks, needs and strengths, and a
    follow-up in ``follow_up[0]`` days; the referrals' references."""
    outcome = Outcome.PREVENT if kind is ReferralKind.PREVENT else Outcome.SOCIAL_CARE
    decision = HandoffDecision.checked(
        immediate_danger=False,
        police=None,
        allegation_against_adult=False,
        lado=None,
        outcome=outcome,
        situation=situation,
        reason=reason,
        advice=None,
        information_sharing=sharing,
        referral=replace(
            referral_prefill(session, ref, kind), risks=risks, needs=needs, strengths=strengths
        ),
        review_on=None,
        follow_up_on=(now + timedelta(days=follow_up[0])).date(),
        follow_up_what=follow_up[1],
        categories=categories,
        routes=routes,
        now=now,
    )
    return record_handoff(session, ref, decision).referral_refs


def _prevent_referral(session: CaseSession, ref: str, now: datetime) -> None:
    """A Prevent referral: who at the Prevent team was spoken to, the Channel decision still
    to come, and the police already told."""
    sam = casework.create_child_for(session, ref, 0).id
    child_status.add_status(
        session,
        sam,
        NewStatus(
            kind=StatusKind.YOUNG_CARER,
            started_on=(now - timedelta(days=400)).date(),
            note="Looks after his mother, who is unwell (demo).",
        ),
        today=now.date(),
    )
    spoke = (now - timedelta(days=3)).replace(hour=10, minute=15, second=0)
    _refer(
        session,
        ref,
        now,
        ReferralKind.PREVENT,
        situation=ChildSituation(
            urgency=Urgency.SAME_DAY,
            child_now="At home with his mother; he plans to meet the group at the weekend.",
            child_views="He says the group are his friends and he wants to meet them.",
            referrer_relationship="Welfare Officer at his club for three seasons",
        ),
        reason="A child being drawn into a group that calls for violence, and planning to "
        "meet them: Prevent, with the police told because of the meeting.",
        sharing=InformationSharing(
            consent=Consent.NOT_SOUGHT,
            consent_reason="The Prevent team asked us not to tell the family before they advise.",
            lawful_basis=lawful_basis_for(OrgType.CLUB),
            parents_told=False,
            parents_not_told_reason="The Prevent team asked us to wait for their advice.",
        ),
        risks="Contact with a violent group; a planned meeting this weekend.",
        needs="A trusted adult to talk to; support through Channel if the panel agrees.",
        strengths="Close to his team; told the truth when asked.",
        follow_up=(2, "Ask the Prevent team for the Channel panel's decision."),
        routes=Routes(
            # Reported by 101 too, because of the planned meeting: the police as a route.
            police_report=PoliceReport(
                line=PoliceLine.NON_EMERGENCY,
                reported_at=spoke - timedelta(minutes=30),
                officer="PC Example (fictional)",
                what_they_said="They will pass it to the Prevent team, who will ring us.",
            ),
            prevent=PreventContact(
                contacted="PC Example, Prevent team (fictional)",
                contacted_at=spoke,
                channel_decision=ChannelDecision.NOT_KNOWN_YET,
                channel_note="The panel meets on Thursday (demo).",
            ),
            agencies_informed=(AgencyInformed(Agency.POLICE, spoke.date(), "Prevent team"),),
        ),
    )


def _at_risk_of_fgm(session: CaseSession, ref: str, now: datetime) -> None:
    """A girl who may be at risk of FGM: how it came to light (suspected, neither told nor
    seen, so the teachers' mandatory duty does not arise; a club has no teachers in any
    case) and a same-day referral to children's social care with the police told."""
    casework.create_child_for(session, ref, 0)
    rang = (now - timedelta(days=2)).replace(hour=16, minute=40, second=0)
    _refer(
        session,
        ref,
        now,
        ReferralKind.SOCIAL_CARE,
        situation=ChildSituation(
            urgency=Urgency.SAME_DAY,
            child_now="At home; the family leave for the summer in three weeks.",
            child_views="She is looking forward to seeing her grandmother, and is scared.",
            referrer_relationship="Her coach for two seasons",
        ),
        reason="Signs that she may be taken abroad for FGM this summer: a referral the same "
        "day, before the family travel.",
        sharing=InformationSharing(
            consent=Consent.NOT_SOUGHT,
            consent_reason="Telling the family could lead them to bring the trip forward.",
            lawful_basis=lawful_basis_for(OrgType.CLUB),
            parents_told=False,
            parents_not_told_reason="Children's social care and the police to advise first.",
        ),
        risks="A trip abroad this summer for a 'celebration to become a woman'; a cousin "
        "was very poorly after hers.",
        needs="Protection before the family travel (an FGM protection order if needed).",
        strengths="Told her coach; trusts the club.",
        follow_up=(1, "Ring the front door for their decision before the family travel."),
        categories=("fgm",),
        routes=Routes(
            fgm=FgmReport(known=FgmKnown.SUSPECTED, by_teacher=False),
            agencies_informed=(AgencyInformed(Agency.POLICE, rang.date(), "101, FGM advice"),),
        ),
    )


def _after_maya_referral(session: CaseSession, ref: str, referral_ref: str, today: date) -> None:
    """What came back: the front door acknowledged the referral and decided no further
    action, which the Welfare Officer challenged; not resolved with the duty social
    worker, it is with their team manager now (its follow-up on Home)."""
    after_referral.acknowledge(
        session,
        referral_ref,
        Acknowledgement(today, "Duty social worker, front door (fictional)", "FD-0001 (demo)"),
    )
    challenge = "The bruise does not fit a fall from a bike, and Maya keeps her arm covered."
    after_referral.record_outcome(
        session,
        referral_ref,
        NewOutcome(
            AgencyOutcome.NO_FURTHER_ACTION,
            today,
            "Mum's explanation accepted; advice given about supervision on the bike.",
            None,
            False,
            NewEscalation(
                EscalationStage.PRACTITIONER,
                "Duty social worker, front door (fictional)",
                today,
                challenge,
                today + timedelta(days=7),
            ),
        ),
    )
    (progress,) = casework.concern_file(session, ref, audit=False).after_referral.values()
    after_referral.raise_to_next_stage(
        session,
        progress.escalations[0].escalation_id,
        NewEscalation(
            EscalationStage.MANAGER,
            "Team manager, front door (fictional)",
            today,
            challenge,
            today + timedelta(days=3),
        ),
    )


def _low_level_concerns(session: CaseSession, now: datetime) -> None:
    """The low-level concerns log: three about the assistant coach in a year (a pattern to
    review, the "earlier concerns" his LADO form mentions) and one about another adult;
    his account is suspended while the LADO advises (reinstated from People)."""
    today = now.date()
    entries = (
        (
            250,
            "Alex Helper (demo)",
            "Assistant coach, Under 9s",
            "Shouted at the Under 9s for losing a match, in front of parents.",
            "Reminded him of the code of conduct the same evening.",
        ),
        (
            120,
            "Alex Helper (demo)",
            "Assistant coach, Under 9s",
            "Messaged a player's own phone about training times, not the club's group.",
            "Told him messages go to parents through the club's group only.",
        ),
        (
            60,
            "Jo Steward (demo)",
            "Match-day volunteer",
            "Took photos of the players on her own phone during a match.",
            "Asked her to delete them; she did, and read the photography policy.",
        ),
        (
            30,
            "Alex Helper (demo)",
            "Assistant coach, Under 9s",
            "Gave a player a lift home alone after training without asking his parents.",
            "Spoke to him; the Welfare Officer is reviewing the pattern.",
        ),
    )
    for days, name, role, what, done in entries:
        low_level_concerns.record(
            session,
            LowLevelConcern(today - timedelta(days=days), name, role, what, done),
            today=today,
        )


@contextmanager
def demo_data_dir() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="safeguard-demo-"))
    try:
        data_dir = root / "data"
        build_demo_store(data_dir)
        yield data_dir
    finally:
        shutil.rmtree(root, ignore_errors=True)
