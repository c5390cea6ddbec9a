"""A decision and a referral per child (issues 14 and 20), through the services and the CLI.

Two children from different families in one incident: each gets their own decision and
their own referral, which carries that child and their household only; the other child
is "another child (initials)" in the narrative unless the DSL chooses to name them.
Nothing is signed without the child's recorded, complete decision, and the command line
meets the same checks as the wizard. An older store's concern-level decisions are
carried over to each named child.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from casework_data import concern_data, submit
from conftest import StoreFixture
from repo_paths import REPO
from safeguard_desktop.domain.children import HouseholdMember
from safeguard_desktop.domain.errors import BadInput, IncompleteDecision
from safeguard_desktop.services import audit_trail, casework, children, decisions, referral
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import case_database
from safeguard_desktop.storage.schema import MIGRATIONS, SCHEMA_VERSION

AMELIA, ZOFIA = "Amelia Kowalska", "Zofia Brown"
AMELIA_MOTHER, ZOFIA_MOTHER = "Ewa Kowalska", "Hannah Brown"
OBSERVED = (
    f"At 15:30 I saw {ZOFIA} push {AMELIA} against the wall. {AMELIA} had a bruise on her "
    "left forearm and said her dad grabbed her. Zofia said she was sorry."
)


def _decision_json(child: str, **changes: object) -> dict[str, object]:
    return {
        "child": child,
        "immediate_danger": False,
        "outcome": "social_care_referral",
        "reason": "Bruise with her own account that her father grabbed her.",
        "urgency": "same_day",
        "consent": "not_sought",
        "consent_reason": "Asking her father could put her at greater risk.",
        "parents_told": False,
        "parents_not_told_reason": "Her father is the person she names.",
        "child_views": "She wants to stay with her mum.",
        "child_now": "At home with her mother tonight; father away until Friday.",
        "keep_from_family": "Her words about her father.",
        "person_causing_harm": {"name": "Marek Kowalski", "relationship": "father"},
        "referrer_relationship": "Her football coach for two seasons",
        "follow_up_on": (date.today() + timedelta(days=1)).isoformat(),
        **changes,
    }


@pytest.fixture
def two_families(store_dir: StoreFixture) -> tuple[StoreFixture, str, int, int]:
    """A concern naming two children from different families, each linked, with a mother."""
    data = concern_data(
        name=AMELIA,
        observed=OBSERVED,
        extra_children=({"name": ZOFIA, "date_of_birth": "2015-05-09"},),
    )
    ref = submit(Store.open(store_dir.data_dir), data)
    session = _login(store_dir)
    try:
        amelia = casework.create_child_for(session, ref, 0).id
        zofia = casework.create_child_for(session, ref, 1).id
        children.add_household_member(
            session, amelia, HouseholdMember.checked(name=AMELIA_MOTHER, relationship="Mother")
        )
        children.add_household_member(
            session, zofia, HouseholdMember.checked(name=ZOFIA_MOTHER, relationship="Mother")
        )
    finally:
        session.lock()
    return store_dir, ref, amelia, zofia


def _login(store: StoreFixture) -> CaseSession:
    session = Store.open(store.data_dir).login(*store.dsl)
    assert isinstance(session, CaseSession)
    return session


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / f"{secrets.token_hex(4)}.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(run.stdout.split())


def _cli(
    data_dir: Path, tmp_path: Path, *args: str, stdin: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SAFEGUARD_LOG_DIR": str(tmp_path / "logs")}
    env.pop("SAFEGUARD_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "safeguard_desktop.cli", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def test_each_child_has_a_referral_with_their_own_household_only(
    two_families: tuple[StoreFixture, str, int, int], tmp_path: Path
) -> None:
    store, ref, amelia, zofia = two_families
    session = _login(store)
    try:
        for_amelia = decisions.decide(session, ref, _decision_json(AMELIA))
        for_zofia = decisions.decide(
            session,
            ref,
            _decision_json(
                str(zofia),
                outcome="early_help",
                consent="given",
                parents_told=True,
                parents_views="Her mother asked for support.",
                reason="Pushing another child; her mother asked for support.",
                person_causing_harm=None,
            ),
        )
        assert (for_amelia.child_position, for_amelia.child_id) == (0, amelia)
        assert (for_zofia.child_position, for_zofia.child_id) == (1, zofia)
        (amelia_ref,) = for_amelia.result.referral_refs
        (zofia_ref,) = for_zofia.result.referral_refs

        amelia_pdf = _text(referral.make_referral_pdf(session, amelia_ref).pdf, tmp_path)
        zofia_pdf = _text(referral.make_referral_pdf(session, zofia_ref).pdf, tmp_path)
        named = referral.make_referral_pdf(session, amelia_ref, name_other_children=True)
        referral.save_referral_pdf(session, named, tmp_path / "named.pdf")
        audited = [
            e.detail for e in audit_trail.entries(session, 100) if e.action == "referral_exported"
        ]
    finally:
        session.lock()

    assert AMELIA in amelia_pdf and AMELIA_MOTHER in amelia_pdf
    assert ZOFIA not in amelia_pdf and ZOFIA_MOTHER not in amelia_pdf
    assert "Zofia" not in amelia_pdf  # her first name alone is hidden too
    assert "another child (Z.B.)" in amelia_pdf
    assert "Kowalska" in amelia_pdf  # the referred child's own name is never hidden
    # Printed from the decision: urgency and the child now, and the marked box (issue 20).
    assert "Urgency Today" in amelia_pdf
    assert "At home with her mother tonight; father away until Friday." in amelia_pdf
    assert "Do not share this with the child's family or carers: Her words about her father." in (
        amelia_pdf
    )
    assert "Marek Kowalski" in amelia_pdf and "Her football coach for two seasons" in amelia_pdf
    assert ZOFIA in zofia_pdf and ZOFIA_MOTHER in zofia_pdf
    assert AMELIA_MOTHER not in zofia_pdf and AMELIA not in zofia_pdf
    assert "another child (A.K.)" in zofia_pdf
    # Naming the other child is the DSL's choice, and the audit log records it.
    assert ZOFIA in _text((tmp_path / "named.pdf").read_bytes(), tmp_path)
    assert audited[-1]["other_children_named"] is True and audited[-1]["child"] == 0


def test_a_brother_or_sister_in_the_childs_household_is_named_not_hidden(
    two_families: tuple[StoreFixture, str, int, int], tmp_path: Path
) -> None:
    """The household table names a sibling the child lives with: hiding the same child
    in the narrative would hide nothing, and would read as if it were someone else."""
    store, ref, amelia, _ = two_families
    session = _login(store)
    try:
        children.add_household_member(
            session, amelia, HouseholdMember.checked(name=ZOFIA, relationship="Sister")
        )
        (amelia_ref,) = decisions.decide(session, ref, _decision_json(AMELIA)).result.referral_refs
        amelia_pdf = _text(referral.make_referral_pdf(session, amelia_ref).pdf, tmp_path)
    finally:
        session.lock()
    assert f"saw {ZOFIA} push {AMELIA}" in amelia_pdf
    assert "another child" not in amelia_pdf.lower()


def test_a_decision_needs_the_child_when_a_concern_names_several(
    two_families: tuple[StoreFixture, str, int, int],
) -> None:
    store, ref, _, _ = two_families
    session = _login(store)
    try:
        with pytest.raises(BadInput, match="names 2 children; say which child"):
            decisions.decide(session, ref, _decision_json(""))
        with pytest.raises(BadInput, match="No decision is recorded for child 2 of 2"):
            referral.referral_for_child(session, ref, ZOFIA)
        assert casework.concern_file(session, ref, audit=False).decisions == ()
    finally:
        session.lock()


def test_every_gap_is_listed_at_once_and_nothing_is_recorded(
    two_families: tuple[StoreFixture, str, int, int],
) -> None:
    store, ref, _, _ = two_families
    session = _login(store)
    try:
        with pytest.raises(IncompleteDecision) as caught:
            decisions.decide(
                session,
                ref,
                _decision_json(
                    AMELIA,
                    consent_reason="",
                    parents_not_told_reason="",
                    reason="",
                    follow_up_on=None,
                    person_causing_harm={"name": ""},
                ),
            )
        assert caught.value.fields == (
            "reason",
            "consent_reason",
            "parents_not_told_reason",
            "person_causing_harm.name",
            "follow_up_on",
        )
        assert casework.concern_file(session, ref, audit=False).decisions == ()
    finally:
        session.lock()


def test_the_command_line_decides_and_signs_for_the_child_it_names(
    two_families: tuple[StoreFixture, str, int, int], tmp_path: Path
) -> None:
    store, ref, _, _ = two_families
    password = f"{store.dsl[1]}\n"
    out = tmp_path / "r.pdf"
    base = ["--as", store.dsl[0], "--out", str(out)]

    no_child = _cli(store.data_dir, tmp_path, "referral", ref, *base, stdin=password)
    assert no_child.returncode == 2, no_child.stderr
    assert "names 2 children" in no_child.stderr and not out.exists()

    decision_file = tmp_path / "d.json"
    decision_file.write_text(json.dumps(_decision_json(ZOFIA.upper())), encoding="utf-8")
    decided = _cli(
        store.data_dir, tmp_path, "decide", ref, "--as", store.dsl[0], "--json",
        str(decision_file), stdin=password,
    )  # fmt: skip
    assert decided.returncode == 0, decided.stderr
    printed = json.loads(decided.stdout)
    assert printed["child_position"] == 1 and len(printed["referrals"]) == 1

    amelia_first = _cli(
        store.data_dir, tmp_path, "referral", ref, *base, "--child", AMELIA, stdin=password
    )
    assert amelia_first.returncode == 2 and "No decision is recorded for child 1 of 2" in (
        amelia_first.stderr
    )
    signed = _cli(
        store.data_dir, tmp_path, "referral", ref, *base, "--child", ZOFIA, stdin=password
    )
    assert signed.returncode == 0, signed.stderr
    assert json.loads(signed.stdout)["referral"] == printed["referrals"][0]
    text = _text(out.read_bytes(), tmp_path)
    assert ZOFIA in text and AMELIA not in text and AMELIA_MOTHER not in text
    assert (
        "Signature is Valid"
        in subprocess.run(["pdfsig", str(out)], capture_output=True, text=True, check=False).stdout
    )


def _version_4_database(path: Path, key: bytes) -> None:
    """A case database as version 4 left it: one decision and referrals per concern."""
    conn = case_database._connect(path, key)
    try:
        for statement in case_database._statements(MIGRATIONS[0]):
            conn.execute(statement)
        for i, body in enumerate(
            [
                concern_data(name=AMELIA, extra_children=({"name": ZOFIA},)),
                concern_data(name="Tom Example"),
            ]
        ):
            conn.execute(
                "INSERT INTO concerns (ref, submitted_at, received_at, submitter,"
                " format_version, body) VALUES (?, ?, ?, ?, 1, ?)",
                (
                    f"C-OLD0-000{i}",
                    "2026-11-01T10:00:00+00:00",
                    "2026-11-01T10:05:00+00:00",
                    json.dumps({"name": "Rita Recorder", "role": "recorder", "username": "rita"}),
                    json.dumps(body, ensure_ascii=False),
                ),
            )
        for step in (1, 2, 3):
            for statement in case_database._statements(MIGRATIONS[step]):
                conn.execute(statement)
        conn.execute("PRAGMA user_version = 4")
        for concern_id in (1, 2):
            conn.execute(
                "INSERT INTO decisions (concern_id, outcome, reason, details, decided_at,"
                " decided_by, decided_by_name) VALUES (?, 'social_care_referral', 'Old.',"
                " '{}', '2026-11-02T09:00:00', 'dana', 'Dana Lead')",
                (concern_id,),
            )
            conn.execute(
                "INSERT INTO referrals (ref, concern_id, decision_id, kind, content, created_at,"
                " created_by) VALUES (?, ?, ?, 'social_care', ?, '2026-11-02T09:00:00', 'dana')",
                (
                    f"R-OLD0-000{concern_id}",
                    concern_id,
                    concern_id,
                    json.dumps({"content": {"summary": "Old."}, "extra": {}}),
                ),
            )
        conn.commit()
    finally:
        conn.close()


def test_an_older_stores_concern_level_decision_becomes_each_childs(tmp_path: Path) -> None:
    path, key = tmp_path / "cases.db", secrets.token_bytes(32)
    _version_4_database(path, key)
    conn = case_database.open_database(path, key)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = conn.execute(
            "SELECT concern_id, child_position, migrated, reason FROM decisions ORDER BY id"
        ).fetchall()
        referrals = conn.execute("SELECT ref, child_position FROM referrals ORDER BY id").fetchall()
    finally:
        conn.close()
    assert sorted(rows) == [(1, 0, 1, "Old."), (1, 1, 1, "Old."), (2, 0, 1, "Old.")]
    # The one-child concern's referral is that child's; the two-child concern's keeps
    # no child, so it cannot be signed until each child has a decision.
    assert referrals == [("R-OLD0-0001", None), ("R-OLD0-0002", 0)]


DOCS = REPO / "docs"


def test_the_documented_schema_and_example_match_what_decide_reads(
    two_families: tuple[StoreFixture, str, int, int],
) -> None:
    import jsonschema

    schema = json.loads((DOCS / "decision.schema.json").read_text(encoding="utf-8"))
    example = json.loads((DOCS / "decision.example.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(example)
    properties = schema["properties"]
    assert set(properties) == decisions._TOP_KEYS
    assert set(properties["police"]["properties"]) == decisions._POLICE_KEYS
    assert set(properties["lado"]["properties"]) == decisions._LADO_KEYS
    assert set(properties["lado"]["properties"]["adult"]["properties"]) == decisions._ADULT_KEYS
    assert set(properties["person_causing_harm"]["properties"]) == decisions._HARM_KEYS
    assert set(properties["advice"]["properties"]) == decisions._ADVICE_KEYS
    assert set(properties["referral"]["properties"]) == decisions._REFERRAL_KEYS

    store, ref, _, _ = two_families
    session = _login(store)
    try:
        example["follow_up_on"] = (date.today() + timedelta(days=1)).isoformat()
        decided = decisions.decide(session, ref, example)
        (decision,) = casework.concern_file(session, ref, audit=False).decisions
    finally:
        session.lock()
    assert decided.child_position == 0 and len(decided.result.referral_refs) == 1
    assert decision.details["situation"] == {
        "urgency": "same_day",
        "child_views": example["child_views"],
        "child_now": example["child_now"],
        "keep_from_family": example["keep_from_family"],
        "person_causing_harm": {
            "name": "Marek Kowalski",
            "relationship": "father",
            "lives_with_child": True,
            "contact_with_other_children": "",
        },
        "referrer_relationship": example["referrer_relationship"],
        "parents_views": "",
    }


def test_a_lado_decision_from_the_command_line_prints_the_whole_adult(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    ref = submit(
        Store.open(store_dir.data_dir), concern_data(categories=("allegation_against_adult",))
    )
    session = _login(store_dir)
    try:
        decided = decisions.decide(
            session,
            ref,
            {
                "outcome": "monitor",
                "reason": "The LADO will advise; watch meanwhile.",
                "review_on": (date.today() + timedelta(days=14)).isoformat(),
                "follow_up_on": (date.today() + timedelta(days=1)).isoformat(),
                "consent": "not_sought",
                "consent_reason": "The LADO advises first.",
                "parents_told": True,
                "allegation_against_adult": True,
                "lado": {
                    "allegation": "Grabbed a player by the arm at training.",
                    "raised_by": "The player told the head coach after training.",
                    "interim_steps": "suspended",
                    "interim_reason": "To keep the players safe until the LADO advises.",
                    "adult": {
                        "name": "Sam Coach",
                        "role": "Assistant coach",
                        "employment": "volunteer",
                        "other_work_with_children": "Lifeguard at the town pool.",
                        "aware": False,
                        "previous_concerns": "A low-level concern about shouting, March 2026.",
                    },
                },
            },
        )
        (lado_ref,) = decided.result.referral_refs
        text = _text(referral.make_referral_pdf(session, lado_ref).pdf, tmp_path)
    finally:
        session.lock()
    for expected in (
        "Sam Coach",
        "Volunteer",
        "Lifeguard at the town pool.",
        "Do they know of the allegation? No",
        "A low-level concern about shouting, March 2026.",
    ):
        assert expected in text, expected


def test_a_childs_chronology_holds_their_own_decisions_and_referrals_only(
    two_families: tuple[StoreFixture, str, int, int], tmp_path: Path
) -> None:
    store, ref, amelia, zofia = two_families
    session = _login(store)
    try:
        for_amelia = decisions.decide(session, ref, _decision_json(AMELIA))
        (amelia_ref,) = for_amelia.result.referral_refs
        made = referral.make_referral_pdf(session, amelia_ref)
        referral.save_referral_pdf(session, made, tmp_path / "amelia.pdf")
        decisions.decide(
            session,
            ref,
            _decision_json(ZOFIA, outcome="monitor", review_on="2099-01-01", reason="Watch."),
        )
        kinds = {
            child: [
                (e.kind, e.title) for e in children.chronology(session, child) if e.kind != "action"
            ]
            for child in (amelia, zofia)
        }
    finally:
        session.lock()
    assert ("decision", "Decision: Referral to children's social care") in kinds[amelia]
    assert ("referral", "Referral sent: Children's social care") in kinds[amelia]
    assert ("decision", "Decision: Monitor, with a review date") not in kinds[amelia]
    assert ("decision", "Decision: Monitor, with a review date") in kinds[zofia]
    assert not any(kind in ("referral",) for kind, _ in kinds[zofia])
    assert ("decision", "Decision: Referral to children's social care") not in kinds[zofia]
