"""A generated case store of 100,000 concerns over 20,000 children, for bench_casework.py.

Built once and cached, because it takes minutes: a real store made by first-time setup
(with ``KdfParams()``, the cheapest Argon2id the app accepts, so the benchmark measures
the database rather than key derivation), then filled through the real storage functions
(``case_records.insert_concern``, ``children_records.insert_child`` and ``link``,
``casework_records`` for actions, decisions, follow-ups, amendments and referrals, and an
audit entry for everything the services would audit) in large transactions. Nothing is
written with SQL of its own, so the search index, the list columns and the audit chain
are exactly what the app would have built.

The data is fictional and reproducible (a seeded generator): five years of concerns,
children named in English, Polish, Arabic, Chinese, Somali, Romanian and other
spellings (a few in Arabic or Chinese script), text of varied length from a fixed
vocabulary with some rare words, about 150 recorders, and a dozen children whose
chronologies run to about 500 entries.

    uv run python benchmarks/casework_store.py [FOLDER] [--force]

FOLDER defaults to benchmarks/.cache/ (git-ignored). bench_casework.py calls
:func:`ensure_store`, which generates the store the first time and reuses it after.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from safeguard_desktop.domain.casework import ConcernStatus, NewAction, NewAmendment
from safeguard_desktop.domain.children import ChildDetails
from safeguard_desktop.domain.concern import CONCERN_FORMAT_VERSION, Concern
from safeguard_desktop.domain.handoff import Outcome
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.domain.referral import ReferralContent, ReferralKind
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.setup import SetupRequest, create_store
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import (
    audit_log,
    case_records,
    casework_records,
    children_records,
    chronology_query,
)
from safeguard_desktop.storage.case_database import CASES_NAME
from safeguard_desktop.storage.schema import SCHEMA_VERSION

DEFAULT_FOLDER = Path(__file__).resolve().parent / ".cache"
ADMIN = ("admin", "benchmark-password-1")
SEED = 20261202
# Bump when the generated data changes shape, so an old cache is not measured.
# 2: a referral's decision holds what the handoff wizard records (the child's situation,
# information sharing), so its PDF can be made and signed (benchmarks/app_session.py).
GENERATOR_VERSION = 2
YEARS = 5
HEAVY_CHILDREN = 12  # on the 100,000-concern store; one per 8,000 concerns, at least one
HEAVY_CONCERNS = 145  # each; with what follows them, about 500 chronology entries
BATCH = 2_000  # concerns per transaction

# Names ------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


GIVEN = {
    "english": _words(
        "Amelia Olivia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Poppy Evie "
        "Ella Willow Florence Emily Sienna Daisy Harper Ruby Phoebe Matilda Zoë Chloe "
        "Oliver George Noah Arthur Leo Harry Oscar Archie Henry Theodore Freddie Jack "
        "Charlie Theo Alfie Jacob Thomas Finley Arlo William Lucas Tommy Isaac Reuben "
        "Joshua Samuel Daniel Max Ethan Mason Logan Riley Jayden Kai Tyler Callum Connor"
    ),
    "polish": _words(
        "Łucja Zofia Zuzanna Hanna Maja Julia Wiktoria Małgorzata Agnieszka Katarzyna "
        "Jakub Antoni Szymon Filip Jan Mikołaj Wojciech Kacper Michał Paweł Bartłomiej"
    ),
    "arabic": _words(
        "Aisha Fatima Maryam Layla Zainab Noor Amira Huda Yasmin Sara "
        "Mohammed Ahmed Omar Yusuf Ibrahim Hamza Ali Khalid Bilal Zakariya Tariq"
    ),
    "chinese": _words(
        "Xiuying Mei Jing Yan Li Na Xin Hui Lan Yu Wei Hao Jun Ming Tao Chen Bo Jie Lei Peng"
    ),
    "somali": _words("Hodan Ayaan Sagal Ifrah Farhan Abdi Liban Mahad Hamdi Nasra"),
    "romanian": _words("Ioana Elena Andreea Bianca Ștefan Andrei Mihai Răzvan Cosmin Alexandru"),
    "west_african": _words("Chidi Adaeze Ngozi Tobi Kemi Femi Ayodele Kwame Ama Kofi"),
    "south_asian": _words("Priya Aanya Diya Ishaan Arjun Rohan Harpreet Simran Zara Aryan"),
    "portuguese": _words("Inês Beatriz Leonor Tomás João Gonçalo Duarte Matilde Afonso Rita"),
}
SURNAMES = {
    "english": _words(
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
        "Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Turner Hill Moore "
        "Cooper Ward Morris King Watson Harris Baker Young Allen Mitchell Bennett Carter "
        "Hughes Edwards Shaw Lloyd Price Parker Bell Murphy Kelly Cook Morgan Reid Lee "
        "O'Connor Fletcher Dixon Barker Holmes Foster Chapman Webb Rogers Gray Mason Hunt"
    ),
    "polish": _words(
        "Kowalska Kowalski Nowak Wiśniewska Wiśniewski Wójcik Kamińska Lewandowski "
        "Zielińska Szymański Woźniak Dąbrowska Kozłowski Jankowska Mazur Krawczyk "
        "Piotrowska Grabowski Pawłowska Michalski"
    ),
    "arabic": _words(
        "Haddad Al-Hassan Rahman Hussain Khalil Mansour Saleh Nasser Farouk Abdullah "
        "El-Sayed Qureshi Aziz Hamdan Karim"
    ),
    "chinese": _words("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin"),
    "somali": _words("Hassan Warsame Abdi Farah Mohamud Osman Jama Ali Yusuf Ahmed"),
    "romanian": _words("Popescu Ionescu Popa Dumitru Stan Stoica Gheorghe Rusu Munteanu Matei"),
    "west_african": _words("Okafor Adeyemi Mensah Boateng Okonkwo Eze Balogun Owusu Asante Nwosu"),
    "south_asian": _words("Sharma Singh Kaur Khan Begum Ahmed Chowdhury Gupta Mistry Mahmood"),
    "portuguese": _words("Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Sousa"),
}
ORIGIN_WEIGHTS = {
    "english": 55,
    "polish": 9,
    "arabic": 8,
    "chinese": 5,
    "somali": 4,
    "romanian": 5,
    "west_african": 5,
    "south_asian": 7,
    "portuguese": 2,
}
# Some families' records use their own script, as the parents wrote the name.
NATIVE_SCRIPT = {
    "arabic": (
        ("ليلى", "مريم", "عمر", "يوسف", "فاطمة", "أحمد"),
        ("حداد", "الحسن", "رحمن", "خليل"),
    ),
    "chinese": (("秀英", "伟", "静", "明", "美", "浩"), ("王", "李", "张", "刘", "陈")),
}
GROUPS = (
    "Reception",
    "Year 1",
    "Year 2",
    "Year 3",
    "Year 4",
    "Year 5",
    "Year 6",
    "Year 7",
    "Year 8",
    "Year 9",
    "Year 10",
    "Year 11",
    "Under 11s",
    "Under 13s",
    "Under 15s",
    "Sixth form",
)

# Text -------------------------------------------------------------------------------------

INJURIES = (
    ("a bruise", 30),
    ("two bruises", 8),
    ("bruising", 8),
    ("a scratch", 8),
    ("a red mark", 10),
    ("a cut", 6),
    ("a graze", 6),
    ("swelling", 4),
    ("a burn", 3),
    ("what looked like a bite mark", 1),
    ("a scald", 0.3),
)
BODY_PARTS = (
    *_words("forearm wrist arm hand cheek jaw neck ear eye back shoulder thigh leg shin"),
    *("upper arm", "ankle", "knee", "forehead"),
)
PLACES = (
    "the changing rooms",
    "the classroom",
    "the playground",
    "the corridor by the hall",
    "the canteen",
    "the library",
    "the minibus",
    "the pitch",
    "the sports hall",
    "reception",
    "the music room",
    "the car park at pick-up",
    "the pastoral office",
    "the swimming pool",
    "the form room",
)
SITES = ("Riverside site", "Hillcrest site", "Main building", "Lower school", "Clubhouse")
LESSONS = (
    "maths",
    "PE",
    "English",
    "science",
    "art",
    "registration",
    "lunch",
    "break",
    "training",
    "the match on Saturday",
    "swimming",
    "drama club",
)
CLOTHES = ("jumper", "trousers", "uniform", "coat", "kit", "shoes", "tracksuit")
DAYS = ("yesterday", "Monday", "the weekend", "Friday", "last week", "the holidays")
MOODS = ("quietly", "in tears", "angry", "shaking", "withdrawn", "very tired", "hungry")
OBSERVED = (
    ("At {time} I saw {injury} on {poss} {side} {part}.", 30),
    ("I noticed {injury} on {poss} {part} when {name} changed for {lesson}.", 20),
    ("{Name} came into {place} {mood} and sat on {poss} own.", 15),
    ("{Name} said {pron} had not eaten since {day} and asked for toast.", 10),
    ("{Name} was wearing the same {clothes} as {day} and it was dirty.", 8),
    ("During {lesson} {name} kept pulling {poss} sleeve down over {poss} {part}.", 10),
    ("{Name} told a friend that {pron} was scared to go home tonight.", 10),
    ("{Name} showed me messages on {poss} phone from an older boy asking for photos.", 5),
    ("{Name} has been late {count} times this month and looks tired.", 8),
    ("{Name} said an older brother brushed it off when {pron} told him.", 4),
    ("{Name} had scratches on {poss} wrists that {pron} said were from the cat.", 4),
    ("{Name} was seen with a vape and a large amount of cash after school.", 2),
    ("{Name} said {pron} hurt {poss} {part} falling off the trampoline at home.", 0.5),
    ("{Name} said a man in a car offered {obj} a lift and a new phone.", 1),
    ("A parent shouted at {name} at the gate and grabbed {poss} arm.", 4),
    ("{Name} drew a picture of a knife and said it was for protection.", 0.3),
    ("{Name} missed {count} days of school and no reason was given.", 6),
    ("{Name} asked whether what {pron} said would be kept secret.", 6),
    ("Another pupil reported that {name} had been pushed and hit in the toilets.", 5),
    ("{Name} said {poss} mum's partner shouts and throws things at night.", 5),
    ("{Name} appeared very thin and said there was no food at home.", 3),
    ("{Name} said {pron} had been looking after younger siblings all night.", 3),
    ("{Name} spoke about wanting to hurt {obj}self and showed cuts on {poss} arm.", 2),
    ("{Name} repeated words about a group online that frightened {poss} friends.", 0.4),
)
CHILD_WORDS = (
    "My dad grabbed me when I dropped the plates.",
    "I don't want to go home tonight.",
    "Mum's boyfriend shouts at us when he has been drinking.",
    "Nobody made me any tea again.",
    "He said he would hurt my dog if I told anyone.",
    "It was an accident, I fell over.",
    "I have to look after my little sister because mum is asleep.",
    "Please don't tell my mum I told you.",
    "The older boys make me carry things for them.",
    "I'm not allowed to talk about it.",
    "It happens every time I get something wrong.",
    "I didn't sleep because of the shouting.",
    "He keeps messaging me and says I'm his girlfriend.",
    "I feel like nobody would notice if I wasn't here.",
)
PRESENTATION = (
    "Quiet, kept pulling the sleeve down.",
    "Tearful and withdrawn, would not make eye contact.",
    "Seemed their usual self and was keen to get back to the lesson.",
    "Hungry and tired, fell asleep in the lesson.",
    "Angry, then upset; calmed down after ten minutes.",
    "Flinched when a member of staff raised their voice.",
    "Anxious and asked several times what would happen next.",
    "Cheerful, but would not talk about home.",
)
ACTIONS_TAKEN = (
    "Listened, did not ask leading questions, told {obj} I would need to tell the DSL.",
    "Wrote down what {pron} said in {poss} own words and reported it straight away.",
    "Made sure {pron} was safe with a member of staff and informed the DSL.",
    "Reassured {obj} and passed the concern on before the end of the day.",
    "Gave {obj} a snack and told the safeguarding lead.",
)
STAFF = (
    "Sam Lee (teaching assistant)",
    "Mrs Patel (form tutor)",
    "Mr Okafor (PE teacher)",
    "Ms Nowak (lunchtime supervisor)",
    "Coach Daniels",
    "Mrs Chen (SENCo)",
    "Mr Ahmed (head of year)",
    "Ms Brown (office manager)",
)
ACTION_TEXT = {
    "spoke_to_child": "Spoke to {name} in the pastoral office; {pron} repeated what was said.",
    "contacted_parent": "Phoned {poss} mother to talk about the concern; she was cooperative.",
    "consulted_social_care": "Consultation call with the front door; advised to monitor.",
    "called_police": "Called 101 after the disclosure; an officer will visit the home.",
    "contacted_lado": "Discussed the allegation with the LADO, who opened a record.",
    "sought_advice": "Asked the local authority education safeguarding team for advice.",
    "referral_sent": "Sent the signed referral to children's social care.",
    "other_agency": "Shared information with the school nurse and the GP surgery.",
    "meeting": "Team around the family meeting with the parents and the family worker.",
    "note": "Checked in with {name} at break; {pron} seemed more settled today.",
}
REASONS = (
    "The injury and the child's account meet the threshold for a referral.",
    "Low-level concern on its own; monitor and review in two weeks.",
    "Family agreed to early help; the family worker will lead.",
    "Pattern of neglect over several months; referral needed.",
    "Mother is supportive; keep monitoring attendance and presentation.",
)


@dataclass(frozen=True)
class GeneratedStore:
    """A generated store ready to benchmark, and what the benchmarks need to know about it."""

    folder: Path  # holds data/ and manifest.json
    data_dir: Path
    admin: tuple[str, str]
    manifest: dict[str, object]

    @property
    def heavy_child_id(self) -> int:
        """The child whose chronology is closest to 500 entries."""
        return int(str(self.manifest["heavy_child_id"]))


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w for w, _ in weighted], [p for _, p in weighted])[0]


class _Generator:
    def __init__(self, session: CaseSession, concerns: int, children: int, seed: int) -> None:
        self.session = session
        self.conn = session.conn
        self.rng = random.Random(seed)
        self.concerns = concerns
        self.children = children
        # The smaller stores (benchmarks/run.py's 1,000 and 10,000) keep one child with a
        # 500-entry chronology, not twelve that would be most of the store; the
        # 100,000-concern store is built exactly as before.
        self.heavy_children = max(1, min(HEAVY_CHILDREN, concerns // 8_000))
        self.end = datetime.now().replace(microsecond=0, second=0) - timedelta(hours=2)
        self.start = self.end - timedelta(days=365 * YEARS)
        self.child_ids: dict[int, int] = {}  # generated index -> child record id
        self.recorders = self._recorders()
        self.refs: set[str] = set()
        self.audit_entries = 0

    # People --------------------------------------------------------------------------

    def _recorders(self) -> list[tuple[str, str | None, str]]:
        rng, people = self.rng, []
        for i in range(150):
            origin = rng.choices(list(ORIGIN_WEIGHTS), list(ORIGIN_WEIGHTS.values()))[0]
            name = f"{rng.choice(GIVEN[origin])} {rng.choice(SURNAMES[origin])}"
            username = f"staff{i:03d}"
            role = "dsl" if i < 4 else "recorder"
            people.append((name, username, role))
        # A few guests (visiting coaches, supply staff) with no account.
        people += [("Pat Visitor", None, "Supply teacher"), ("Jo Guest", None, "Visiting coach")]
        return people

    def _family_names(self) -> list[tuple[str, str]]:
        """(given, surname) for every child; pairs 2k and 2k+1 are siblings."""
        rng, names = self.rng, []
        for pair in range((self.children + 1) // 2):
            origin = rng.choices(list(ORIGIN_WEIGHTS), list(ORIGIN_WEIGHTS.values()))[0]
            native = origin in NATIVE_SCRIPT and rng.random() < 0.06
            if native:
                givens, surnames = NATIVE_SCRIPT[origin]
                surname = rng.choice(surnames)
            else:
                surname = rng.choice(SURNAMES[origin])
                givens = tuple(GIVEN[origin])
            for _ in range(2):
                names.append((rng.choice(givens), surname))
            if pair % 3 == 0 and not native:
                # Double-barrelled and hyphenated surnames are common in the records.
                other = rng.choice(SURNAMES["english"])
                names[-1] = (names[-1][0], f"{surname}-{other}")
        return names[: self.children]

    # Which child each concern is about --------------------------------------------------

    def _concern_children(self) -> list[list[int]]:
        """For each concern, in date order, the generated indexes of the children it names."""
        rng = self.rng
        heavy = list(range(self.heavy_children))
        plan: list[int] = []
        for child in heavy:
            plan += [child] * HEAVY_CONCERNS
        others = list(range(self.heavy_children, self.children))
        plan += others  # every child has at least one concern
        # The rest follow a long tail: most children have one or two, some dozens.
        weights = [min(rng.paretovariate(1.4), 25.0) for _ in others]
        plan += rng.choices(others, weights, k=max(0, self.concerns - len(plan)))
        plan = plan[: self.concerns]
        rng.shuffle(plan)
        named = []
        for child in plan:
            children = [child]
            if rng.random() < 0.12:
                children.append(child ^ 1 if (child ^ 1) < self.children else child)
            named.append(list(dict.fromkeys(children)))
        return named

    # Text ------------------------------------------------------------------------------

    def _fill(self, template: str, given: str, pronoun: tuple[str, str, str]) -> str:
        rng = self.rng
        pron, obj, poss = pronoun
        values = {
            "name": given,
            "Name": given,
            "pron": pron,
            "obj": obj,
            "poss": poss,
            "time": f"{rng.randint(8, 17):02d}:{rng.choice((0, 5, 10, 15, 20, 30, 40, 45)):02d}",
            "injury": _pick(rng, INJURIES),
            "side": rng.choice(("left", "right")),
            "part": rng.choice(BODY_PARTS),
            "lesson": rng.choice(LESSONS),
            "place": rng.choice(PLACES),
            "mood": rng.choice(MOODS),
            "day": rng.choice(DAYS),
            "clothes": rng.choice(CLOTHES),
            "count": str(rng.randint(2, 9)),
        }
        text = template.format(**values)
        return text[0].upper() + text[1:]

    def _concern_json(self, named: list[tuple[str, date]], when: datetime) -> dict[str, object]:
        rng = self.rng
        given = named[0][0].split()[0]
        pronoun = rng.choice(
            (("she", "her", "her"), ("he", "him", "his"), ("they", "them", "their"))
        )
        length = rng.choice((1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 12))
        sentences = rng.choices([t for t, _ in OBSERVED], [w for _, w in OBSERVED], k=length)
        observed = " ".join(self._fill(s, given, pronoun) for s in sentences)
        categories = self._categories(observed)
        return {
            "children": [
                {"name": name, "date_of_birth": born.isoformat(), "group": rng.choice(GROUPS)}
                for name, born in named
            ],
            "occurred_at": when.isoformat(),
            "location": f"{rng.choice(PLACES).capitalize()}, {rng.choice(SITES)}",
            "categories": categories,
            "observed": observed,
            "child_words": rng.choice(CHILD_WORDS) if rng.random() < 0.6 else "",
            "presentation": rng.choice(PRESENTATION) if rng.random() < 0.8 else "",
            "others_present": rng.choice(STAFF) if rng.random() < 0.5 else "",
            "actions_taken": self._fill(rng.choice(ACTIONS_TAKEN), given, pronoun),
            "immediate_danger": rng.random() < 0.02,
            "told_dsl_in_person": rng.random() < 0.4,
            "body_map": (
                [{"view": "front", "x": 0.31, "y": 0.42, "note": "bruise"}]
                if "bruise" in observed
                else []
            ),
        }

    def _categories(self, observed: str) -> list[str]:
        rng = self.rng
        picked = []
        for word, category in (
            ("bruis", "physical_abuse"),
            ("grabbed", "physical_abuse"),
            ("eaten", "neglect"),
            ("dirty", "neglect"),
            ("no food", "neglect"),
            ("photos", "online_harm"),
            ("cash", "child_criminal_exploitation"),
            ("lift", "child_sexual_exploitation"),
            ("pushed", "child_on_child"),
            ("shouts", "domestic_abuse"),
            ("hurt", "self_harm_mental_health"),
            ("online", "radicalisation"),
            ("scared", "emotional_abuse"),
        ):
            if word in observed and category not in picked:
                picked.append(category)
        if not picked:
            picked.append(rng.choice(("emotional_abuse", "neglect", "other", "physical_abuse")))
        if rng.random() < 0.01:
            picked.append("allegation_against_adult")
        return picked[:3]

    def _ref(self, prefix: str) -> str:
        alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
        while True:
            chars = "".join(self.rng.choice(alphabet) for _ in range(8))
            ref = f"{prefix}-{chars[:4]}-{chars[4:]}"
            if ref not in self.refs:
                self.refs.add(ref)
                return ref

    def _audit(self, actor: str, action: str, detail: dict[str, object]) -> None:
        audit_log.append(self.conn, actor, action, detail)
        self.audit_entries += 1

    # The store -----------------------------------------------------------------------

    def run(self, progress: bool = True) -> dict[str, object]:
        rng, conn = self.rng, self.conn
        names = self._family_names()
        births = [
            self.start.date() - timedelta(days=rng.randint(365 * 3, 365 * 13))
            for _ in range(self.children)
        ]
        plan = self._concern_children()
        span = (self.end - self.start).total_seconds()
        now = datetime.now()
        # The newest concerns are still in the DSL's inbox: not linked, status new.
        unlinked_from = len(plan) - 300
        started = time.perf_counter()
        for first in range(0, len(plan), BATCH):
            with case_records.transaction(conn):
                for index in range(first, min(first + BATCH, len(plan))):
                    offset = span * (index + rng.random()) / len(plan)
                    when = self.start + timedelta(seconds=int(offset))
                    self._one_concern(plan[index], names, births, when, now, index >= unlinked_from)
            if progress:
                done = min(first + BATCH, len(plan))
                rate = done / (time.perf_counter() - started)
                print(f"\r  {done:>7} concerns, {rate:,.0f} a second", end="", file=sys.stderr)
        if progress:
            print(file=sys.stderr)
        # A few years of daily sign-ins in the audit log too.
        with case_records.transaction(conn):
            for _ in range(YEARS * 250):
                self._audit("admin", "login", {"role": "admin"})
        return {"audit_entries": self.audit_entries}

    def _one_concern(
        self,
        children: list[int],
        names: list[tuple[str, str]],
        births: list[date],
        when: datetime,
        now: datetime,
        in_inbox: bool,
    ) -> None:
        rng, conn = self.rng, self.conn
        named = [(f"{names[c][0]} {names[c][1]}", births[c]) for c in children]
        body = Concern.from_json(self._concern_json(named, when), now=now).to_json()
        recorder, username, role = rng.choice(self.recorders)
        submitted = (when + timedelta(minutes=rng.randint(5, 600))).astimezone(UTC)
        ref = self._ref("C")
        concern_id = case_records.insert_concern(
            conn,
            ref=ref,
            submitted_at=submitted.isoformat(timespec="seconds"),
            submitter={"name": recorder, "role": role, "username": username},
            format_version=CONCERN_FORMAT_VERSION,
            body=body,
        )
        self._audit("admin", "concern_received", {"ref": ref})
        if in_inbox:
            return
        for position, child in enumerate(children):
            if child not in self.child_ids:
                name, born = named[position]
                self.child_ids[child] = children_records.insert_child(
                    conn,
                    ChildDetails.checked(name=name, date_of_birth=born, group=rng.choice(GROUPS)),
                )
                self._audit("admin", "child_created", {"child_id": self.child_ids[child]})
            children_records.link(conn, concern_id, position, self.child_ids[child], "admin")
            self._audit(
                "admin",
                "child_linked",
                {"ref": ref, "position": position, "child_id": self.child_ids[child]},
            )
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            self._audit("admin", "concern_opened", {"ref": ref})
        heavy = children[0] < self.heavy_children
        self._casework(
            concern_id,
            ref,
            self.child_ids[children[0]],
            given=named[0][0],
            when=when,
            now=now,
            heavy=heavy,
        )
        recent = (now - when).days < 60
        status = ConcernStatus.OPEN if recent or rng.random() < 0.08 else ConcernStatus.CLOSED
        casework_records.set_concern_status(conn, concern_id, status)
        self._audit("admin", "concern_status", {"ref": ref, "status": status.value})

    def _casework(
        self,
        concern_id: int,
        ref: str,
        child_id: int,
        *,
        given: str,
        when: datetime,
        now: datetime,
        heavy: bool,
    ) -> None:
        """Actions, decisions, amendments, follow-ups and referrals beside one concern."""
        rng, conn = self.rng, self.conn
        first_name = given.split()[0]
        actions = rng.choice((1, 1, 1, 2, 2)) if heavy else rng.choice((0, 0, 0, 1, 1, 2, 3))
        for _ in range(actions):
            kind = rng.choice(list(ACTION_TEXT))
            at = min(now, when + timedelta(hours=rng.randint(1, 240)))
            action = NewAction.checked(
                kind=kind,
                occurred_at=at,
                who=rng.choice(STAFF),
                details=ACTION_TEXT[kind].format(name=first_name, pron="they", poss="their"),
                outcome="Agreed to monitor." if rng.random() < 0.3 else "",
                now=now,
            )
            on_child = rng.random() < 0.3
            action_id = casework_records.add_action(
                conn,
                action,
                child_id=child_id if on_child else None,
                concern_id=concern_id,
                by="admin",
            )
            self._audit("admin", "action_added", {"action_id": action_id, "kind": kind, "ref": ref})
        if rng.random() < (0.5 if heavy else 0.2):
            outcome = rng.choice(list(Outcome))
            decided = min(now, when + timedelta(hours=rng.randint(1, 48)))
            decision_id = casework_records.add_decision(
                conn,
                concern_id=concern_id,
                outcome=outcome.value,
                reason=rng.choice(REASONS),
                details=_decision_details(outcome, first_name),
                review_on=(decided + timedelta(days=14)).date(),
                decided_at=decided.isoformat(),
                by="admin",
                by_name="Bench Admin",
                child_position=0,
            )
            refs = []
            if outcome is Outcome.SOCIAL_CARE and rng.random() < 0.8:
                referral_ref = self._ref("R")
                referral_id = casework_records.add_referral(
                    conn,
                    ref=referral_ref,
                    concern_id=concern_id,
                    decision_id=decision_id,
                    child_position=0,
                    kind=ReferralKind.SOCIAL_CARE,
                    content=ReferralContent.checked(
                        summary=f"{first_name}: {rng.choice(REASONS)}",
                        asking_for="An assessment of the family's needs.",
                    ),
                    extra={},
                    by="admin",
                )
                if rng.random() < 0.9:
                    casework_records.mark_referral_sent(conn, referral_id, "0" * 64)
                    if rng.random() < 0.8:
                        casework_records.close_referral(
                            conn, referral_id, "Accepted for a single assessment."
                        )
                refs.append(referral_ref)
            self._audit(
                "admin",
                "handoff_decision",
                {
                    "ref": ref,
                    "decision_id": decision_id,
                    "outcome": outcome.value,
                    "referrals": refs,
                },
            )
        if rng.random() < (0.12 if heavy else 0.03):
            amendment_id = casework_records.add_amendment(
                conn,
                concern_id,
                NewAmendment.checked(
                    field=rng.choice(("observed", "location", "child_words")),
                    new_value=f"{first_name} later said it happened at the weekend, not Friday.",
                    reason="The recorder corrected the day after speaking to the child again.",
                ),
                "admin",
            )
            self._audit("admin", "concern_amended", {"ref": ref, "amendment_id": amendment_id})
        if rng.random() < (0.15 if heavy else 0.1):
            follow_up_id = casework_records.add_follow_up(
                conn,
                due_on=(when + timedelta(days=14)).date(),
                what=f"Check in with {first_name} and review attendance.",
                child_id=child_id if rng.random() < 0.5 else None,
                concern_id=concern_id,
                by="admin",
            )
            self._audit("admin", "follow_up_added", {"follow_up_id": follow_up_id})
            if (now - when).days > 30 or rng.random() < 0.5:
                casework_records.complete_follow_up(
                    conn, follow_up_id, "admin", "Seen; attendance back to normal."
                )
                self._audit("admin", "follow_up_done", {"follow_up_id": follow_up_id})


def _decision_details(outcome: Outcome, first_name: str) -> dict[str, object]:
    """What services/handoff.py stores for a decision; a referral's is complete, so the
    referral can be signed (domain/referral_gaps.py). Uses no randomness."""
    details: dict[str, object] = {"immediate_danger": False, "allegation_against_adult": False}
    if outcome is Outcome.SOCIAL_CARE:
        details["situation"] = {
            "urgency": "routine",
            "child_now": f"{first_name} is at home with their mother and is safe tonight.",
            "parents_views": "Their mother agrees that the family needs some help.",
        }
        details["information_sharing"] = {
            "consent": "given",
            "consent_reason": "",
            "lawful_basis": "Consent, and the school's public task under section 175.",
            "parents_told": True,
            "parents_not_told_reason": "",
        }
    return details


def _store_name(concerns: int, children: int) -> str:
    return f"store-{concerns}x{children}-g{GENERATOR_VERSION}-s{SCHEMA_VERSION}"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def generate(folder: Path, concerns: int, children: int, progress: bool = True) -> GeneratedStore:
    """Build the store in ``folder`` (which must not exist yet); takes minutes."""
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    data_dir = staging / "data"
    started = time.perf_counter()
    result = create_store(
        data_dir,
        SetupRequest(
            org_name="Riverside Academy Trust",
            org_type=OrgType.SCHOOL,
            admin_username=ADMIN[0],
            admin_display_name="Bench Admin",
            admin_password=ADMIN[1],
        ),
        kdf=KdfParams(),
    )
    session = result.store.login(*ADMIN)
    assert isinstance(session, CaseSession)
    try:
        generator = _Generator(session, concerns, children, SEED)
        counts = generator.run(progress)
        conn = session.conn
        heavy = [
            generator.child_ids[i]
            for i in range(generator.heavy_children)
            if i in generator.child_ids
        ]
        lengths = {cid: len(chronology_query.chronology_rows(conn, cid)) for cid in heavy}
        heavy_child = min(lengths, key=lambda cid: abs(lengths[cid] - 500))
        row = conn.execute(
            "SELECT (SELECT count(*) FROM concerns), (SELECT count(*) FROM children),"
            " (SELECT count(*) FROM actions), (SELECT count(*) FROM decisions),"
            " (SELECT count(*) FROM amendments), (SELECT count(*) FROM follow_ups),"
            " (SELECT count(*) FROM referrals), (SELECT count(*) FROM audit_log)"
        ).fetchone()
    finally:
        session.lock()
    seconds = time.perf_counter() - started
    manifest: dict[str, object] = {
        "generator_version": GENERATOR_VERSION,
        "schema_version": SCHEMA_VERSION,
        "seed": SEED,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "generation_seconds": round(seconds, 1),
        "concerns": row[0],
        "children": row[1],
        "actions": row[2],
        "decisions": row[3],
        "amendments": row[4],
        "follow_ups": row[5],
        "referrals": row[6],
        "audit_entries": row[7],
        "generated_audit_entries": counts["audit_entries"],
        "heavy_child_id": heavy_child,
        "heavy_chronologies": {str(k): v for k, v in sorted(lengths.items())},
        "cases_db_bytes": (data_dir / CASES_NAME).stat().st_size,
        "data_dir_bytes": folder_size(data_dir),
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    staging.rename(folder)
    return GeneratedStore(folder, folder / "data", ADMIN, manifest)


def ensure_store(
    base: Path = DEFAULT_FOLDER,
    *,
    concerns: int = 100_000,
    children: int = 20_000,
    force: bool = False,
    progress: bool = True,
) -> GeneratedStore:
    """The cached store under ``base``, generated first if missing or out of date."""
    folder = Path(base) / _store_name(concerns, children)
    if force:
        shutil.rmtree(folder, ignore_errors=True)
    manifest_path = folder / "manifest.json"
    if manifest_path.exists() and Store.exists(folder / "data"):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        return GeneratedStore(folder, folder / "data", ADMIN, manifest)
    if progress:
        print(
            f"Generating {concerns:,} concerns over {children:,} children in {folder} "
            "(once; several minutes)...",
            file=sys.stderr,
        )
    return generate(folder, concerns, children, progress)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--concerns", type=int, default=100_000)
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--force", action="store_true", help="generate again even if cached")
    args = parser.parse_args()
    store = ensure_store(
        args.folder, concerns=args.concerns, children=args.children, force=args.force
    )
    print(json.dumps(store.manifest, indent=2))
    print(f"data folder: {store.data_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
