"""The concern: every rule of its JSON form, the round trip, and the published schema."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from concern_example import example_concern
from repo_paths import REPO
from safeguard_desktop.domain.categories import CATEGORY_IDS
from safeguard_desktop.domain.concern import (
    BODY_MARK_KEYS,
    CHILD_KEYS,
    CONCERN_FORMAT_VERSION,
    MAX_APPROXIMATE_AGE,
    MAX_BODY_MARKS,
    MAX_CHILDREN,
    MAX_GROUP_LENGTH,
    MAX_LOCATION_LENGTH,
    MIN_APPROXIMATE_AGE,
    REQUIRED_BODY_MARK_KEYS,
    REQUIRED_CHILD_KEYS,
    REQUIRED_TOP_LEVEL_KEYS,
    TOP_LEVEL_KEYS,
    BodyMark,
    Child,
    Concern,
)
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.text import MAX_NAME_LENGTH, MAX_TEXT_LENGTH

SCHEMA_PATH = REPO / "docs" / "concern.schema.json"

# The example in the command-line contract (shared/CLI.md, "The concern JSON"), verbatim.
CLI_EXAMPLE: dict[str, Any] = example_concern()

NOW = datetime(2026, 12, 1, 12, 0, 0)  # naive: the organisation's local time

LONG_TEXT_FIELDS = ("observed", "child_words", "presentation", "others_present", "actions_taken")


def example() -> dict[str, Any]:
    return copy.deepcopy(CLI_EXAMPLE)


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def refused(data: object, now: datetime = NOW) -> BadInput:
    with pytest.raises(BadInput) as caught:
        Concern.from_json(data, now=now)
    return caught.value


# --- the contract example and the round trip -------------------------------------


def test_the_cli_example_is_accepted() -> None:
    concern = Concern.from_json(example(), now=NOW)
    assert concern.children == (
        Child("Amelia Kowalska", date_of_birth=date(2015, 3, 2), group="Under 11s"),
    )
    assert concern.occurred_at == datetime(2026, 11, 20, 15, 30)
    assert concern.categories == ("physical_abuse",)
    assert concern.immediate_danger is False
    assert concern.told_dsl_in_person is True
    assert concern.body_map == (BodyMark("front", 0.31, 0.42, "bruise, 3 cm, purple"),)


def test_the_schema_example_is_the_cli_example() -> None:
    assert schema()["examples"] == [CLI_EXAMPLE]


def full_concern() -> Concern:
    return Concern(
        children=(
            Child("Zażółć Gęślą", date(2014, 1, 31), None, "Year 7 – Jaźń", "Dyslexia\nEAL"),
            Child("محمد", None, 9, "Under 10s", ""),
            Child("王小明 👧🏽", date(2016, 2, 29), 10, "", ""),
            Child("Ann\u202eeci\u202c", None, None, "", ""),
        ),
        occurred_at=datetime(2026, 11, 30, 18, 5, 9, 120000, tzinfo=timezone(timedelta(hours=1))),
        location="Sports hall, Ulica Długa 5",
        categories=("neglect", "online_harm", "other"),
        observed="He said «nie» twice.\n\tThen he left.",
        child_words="“I don’t want to go home” 😢",
        presentation="",
        others_present="",
        actions_taken="Listened.",
        immediate_danger=True,
        told_dsl_in_person=False,
        body_map=(BodyMark("back", 0.0, 1.0, ""), BodyMark("front", 0.5, 0.25, "graze, 2 cm")),
    )


@pytest.mark.parametrize("build", [lambda: Concern.from_json(example(), now=NOW), full_concern])
def test_to_json_round_trips_exactly(build: Callable[[], Concern]) -> None:
    original = build()
    assert Concern.from_json(original.to_json(), now=NOW) == original
    # ... also through JSON text, as the sealed inbox stores it.
    as_text = json.dumps(original.to_json(), ensure_ascii=False)
    assert Concern.from_json(json.loads(as_text), now=NOW) == original
    assert Concern.from_json(json.loads(as_text), now=NOW).to_json() == original.to_json()


def test_to_json_holds_exactly_the_concern_fields() -> None:
    data = full_concern().to_json()
    assert tuple(data) == TOP_LEVEL_KEYS
    assert "version" not in data
    assert CONCERN_FORMAT_VERSION == 1
    children = data["children"]
    assert isinstance(children, list)
    assert all(tuple(child) == CHILD_KEYS for child in children)
    marks = data["body_map"]
    assert isinstance(marks, list)
    assert all(tuple(mark) == BODY_MARK_KEYS for mark in marks)


def test_the_round_trip_keeps_the_utc_offset() -> None:
    data = example()
    data["occurred_at"] = "2026-11-20T15:30:00+01:00"
    concern = Concern.from_json(data, now=NOW)
    assert concern.occurred_at.utcoffset() == timedelta(hours=1)
    assert concern.to_json()["occurred_at"] == "2026-11-20T15:30:00+01:00"


def test_a_concern_is_immutable_and_hashable() -> None:
    concern = full_concern()
    with pytest.raises(dataclasses.FrozenInstanceError):
        concern.observed = "changed"  # type: ignore[misc]
    assert hash(concern) == hash(full_concern())


# --- the schema and the code agree -------------------------------------------------


def test_schema_keys_match_what_from_json_accepts() -> None:
    doc = schema()
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["additionalProperties"] is False
    assert set(doc["properties"]) == set(TOP_LEVEL_KEYS)
    assert set(doc["required"]) == set(REQUIRED_TOP_LEVEL_KEYS)
    child = doc["properties"]["children"]["items"]
    assert child["additionalProperties"] is False
    assert set(child["properties"]) == set(CHILD_KEYS)
    assert set(child["required"]) == set(REQUIRED_CHILD_KEYS)
    mark = doc["properties"]["body_map"]["items"]
    assert mark["additionalProperties"] is False
    assert set(mark["properties"]) == set(BODY_MARK_KEYS)
    assert set(mark["required"]) == set(REQUIRED_BODY_MARK_KEYS)
    ids = [option["const"] for option in doc["properties"]["categories"]["items"]["oneOf"]]
    assert tuple(ids) == CATEGORY_IDS
    assert doc["properties"]["body_map"]["items"]["properties"]["view"]["enum"] == [
        "front",
        "back",
    ]


def test_schema_limits_match_the_code() -> None:
    doc = schema()
    props = doc["properties"]
    child = props["children"]["items"]["properties"]
    assert child["name"]["maxLength"] == MAX_NAME_LENGTH
    assert child["group"]["maxLength"] == MAX_GROUP_LENGTH
    assert child["additional_needs"]["maxLength"] == MAX_TEXT_LENGTH
    assert child["approximate_age"]["minimum"] == MIN_APPROXIMATE_AGE
    assert child["approximate_age"]["maximum"] == MAX_APPROXIMATE_AGE
    assert props["location"]["maxLength"] == MAX_LOCATION_LENGTH
    for name in LONG_TEXT_FIELDS:
        assert props[name]["maxLength"] == MAX_TEXT_LENGTH
    assert props["body_map"]["items"]["properties"]["note"]["maxLength"] == MAX_TEXT_LENGTH
    assert props["children"]["maxItems"] == MAX_CHILDREN
    assert props["body_map"]["maxItems"] == MAX_BODY_MARKS
    for described in (props, child, props["body_map"]["items"]["properties"]):
        for name, spec in described.items():
            assert spec["description"], name


def every_property_set() -> dict[str, Any]:
    """A concern using every property the schema documents, nested ones included."""
    doc = schema()
    data = example()
    data["children"][0]["approximate_age"] = 11
    data["children"][0]["additional_needs"] = "Hearing aid"
    assert set(data) == set(doc["properties"])
    assert set(data["children"][0]) == set(doc["properties"]["children"]["items"]["properties"])
    assert set(data["body_map"][0]) == set(doc["properties"]["body_map"]["items"]["properties"])
    return data


def test_every_schema_property_is_accepted() -> None:
    concern = Concern.from_json(every_property_set(), now=NOW)
    assert concern.children[0].approximate_age == 11
    assert concern.children[0].additional_needs == "Hearing aid"


@pytest.mark.parametrize("key", [k for k in TOP_LEVEL_KEYS if k not in REQUIRED_TOP_LEVEL_KEYS])
def test_each_optional_key_may_be_left_out(key: str) -> None:
    data = example()
    del data[key]
    concern = Concern.from_json(data, now=NOW)
    assert getattr(concern, key) in ("", False, ())


@pytest.mark.parametrize("key", REQUIRED_TOP_LEVEL_KEYS)
def test_each_required_key_is_needed(key: str) -> None:
    data = example()
    del data[key]
    error = refused(data)
    assert error.field == key
    assert str(error).endswith("is missing; please add it.")


def test_a_child_needs_only_a_name_and_a_mark_needs_no_note() -> None:
    data = example()
    data["children"] = [{"name": "Amelia"}]
    data["body_map"] = [{"view": "back", "x": 0, "y": 1}]
    concern = Concern.from_json(data, now=NOW)
    assert concern.children == (Child("Amelia"),)
    assert concern.body_map == (BodyMark("back", 0.0, 1.0, ""),)
    assert isinstance(concern.body_map[0].x, float)


def test_immediate_danger_is_never_assumed() -> None:
    data = example()
    del data["immediate_danger"]
    assert refused(data).field == "immediate_danger"


# --- any Unicode, long text ----------------------------------------------------------


@pytest.mark.parametrize("name", ["Zażółć gęślą jaźń", "محمد", "王小明", "👧🏽 Amelia"])
def test_names_and_text_in_any_script_are_kept(name: str) -> None:
    data = example()
    data["children"][0]["name"] = name
    data["observed"] = f"{name} said: {name}"
    data["child_words"] = name
    concern = Concern.from_json(data, now=NOW)
    assert concern.children[0].name == name
    assert concern.observed == f"{name} said: {name}"
    assert concern.child_words == name


@pytest.mark.parametrize("field", LONG_TEXT_FIELDS)
def test_long_text_fields_hold_100000_characters_and_no_more(field: str) -> None:
    data = example()
    data[field] = "ą" * 100_000
    assert getattr(Concern.from_json(data, now=NOW), field) == "ą" * 100_000
    data[field] = "ą" * 100_001
    error = refused(data)
    assert error.field == field
    assert "longer than 100,000 characters" in str(error)


def test_nested_long_text_fields_hold_100000_characters_and_no_more() -> None:
    data = example()
    data["children"][0]["additional_needs"] = "x" * 100_000
    data["body_map"][0]["note"] = "x" * 100_000
    Concern.from_json(data, now=NOW)
    data["body_map"][0]["note"] = "x" * 100_001
    assert refused(data).field == "body_map[0].note"


def test_checking_a_concern_of_half_a_million_characters_is_quick() -> None:
    data = example()
    for field in LONG_TEXT_FIELDS:
        data[field] = "Zażółć gęślą jaźń, 王小明 👧🏽\n" * 3_500
    started = time.perf_counter()
    Concern.from_json(data, now=NOW)
    assert time.perf_counter() - started < 0.5


# --- each rule names the right field -----------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: object) -> Mutation:
    """A mutation setting ``path`` ("children[0].name") to ``value``."""

    def apply(data: dict[str, Any]) -> None:
        target: Any = data
        parts = path.replace("[", ".").replace("]", "").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        target[int(last) if last.isdigit() else last] = value

    return apply


def _delete(path: str) -> Mutation:
    def apply(data: dict[str, Any]) -> None:
        target: Any = data
        parts = path.replace("[", ".").replace("]", "").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[parts[-1]]

    return apply


def _second_child(data: dict[str, Any]) -> None:
    data["children"].append({"name": "Second Child", "date_of_birth": "2016-06-01"})


def _both(*mutations: Mutation) -> Mutation:
    def apply(data: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(data)

    return apply


BAD: list[tuple[str, Mutation, str]] = [
    # unknown fields, at every level
    ("misspelt top-level key", _set("obsreved", "x"), "obsreved"),
    ("unknown child key", _set("children[0].dob", "2015-03-02"), "children[0].dob"),
    ("unknown mark key", _set("body_map[0].colour", "red"), "body_map[0].colour"),
    # children
    ("children not a list", _set("children", {"name": "A"}), "children"),
    ("no children", _set("children", []), "children"),
    ("too many children", _set("children", [{"name": "A"}] * 51), "children"),
    ("child not an object", _set("children[0]", "Amelia"), "children[0]"),
    ("child without a name", _delete("children[0].name"), "children[0].name"),
    ("empty name", _set("children[0].name", ""), "children[0].name"),
    ("blank name", _set("children[0].name", "   "), "children[0].name"),
    ("name not text", _set("children[0].name", 7), "children[0].name"),
    ("name of 201 characters", _set("children[0].name", "x" * 201), "children[0].name"),
    ("name over two lines", _set("children[0].name", "Amelia\nK"), "children[0].name"),
    ("name with NUL", _set("children[0].name", "Ame\x00lia"), "children[0].name"),
    (
        "second child's bad name",
        _both(_second_child, _set("children[1].name", "\x1b[31m")),
        "children[1].name",
    ),
    ("date of birth not ISO", _set("children[0].date_of_birth", "02/03/2015"), "dob"),
    ("date of birth compact", _set("children[0].date_of_birth", "20150302"), "dob"),
    ("date of birth impossible", _set("children[0].date_of_birth", "2015-02-30"), "dob"),
    ("date of birth in future", _set("children[0].date_of_birth", "2026-12-02"), "dob"),
    ("date of birth before 1900", _set("children[0].date_of_birth", "1899-12-31"), "dob"),
    ("date of birth a number", _set("children[0].date_of_birth", 2015), "dob"),
    ("date of birth with time", _set("children[0].date_of_birth", "2015-03-02T00:00"), "dob"),
    (
        "second child's date of birth",
        _both(_second_child, _set("children[1].date_of_birth", "2030-01-01")),
        "children[1].date_of_birth",
    ),
    ("age as text", _set("children[0].approximate_age", "7"), "age"),
    ("age as boolean", _set("children[0].approximate_age", True), "age"),
    ("age as fraction", _set("children[0].approximate_age", 7.5), "age"),
    ("age negative", _set("children[0].approximate_age", -1), "age"),
    ("age too high", _set("children[0].approximate_age", 26), "age"),
    ("group over two lines", _set("children[0].group", "Under\n11s"), "children[0].group"),
    ("group too long", _set("children[0].group", "x" * 201), "children[0].group"),
    ("needs not text", _set("children[0].additional_needs", ["x"]), "children[0].additional_needs"),
    # when
    ("occurred_at not ISO", _set("occurred_at", "yesterday at 3"), "occurred_at"),
    ("occurred_at date only", _set("occurred_at", "2026-11-20"), "occurred_at"),
    ("occurred_at impossible", _set("occurred_at", "2026-13-01T10:00"), "occurred_at"),
    ("occurred_at hour 24", _set("occurred_at", "2026-11-20T24:00"), "occurred_at"),
    ("occurred_at a number", _set("occurred_at", 1_790_000_000), "occurred_at"),
    ("occurred_at in future", _set("occurred_at", "2026-12-01T13:00:00"), "occurred_at"),
    ("occurred_at before 1900", _set("occurred_at", "1899-01-01T00:00"), "occurred_at"),
    ("occurred_at before birth", _set("occurred_at", "2015-03-01T23:59"), "occurred_at"),
    (
        "occurred_at before second child's birth",
        _both(_second_child, _set("occurred_at", "2016-05-31T10:00")),
        "occurred_at",
    ),
    ("where over two lines", _set("location", "Hall\nBack door"), "location"),
    ("where too long", _set("location", "x" * 1_001), "location"),
    # categories
    ("categories a string", _set("categories", "physical_abuse"), "categories"),
    ("no categories", _set("categories", []), "categories"),
    ("unknown category", _set("categories", ["physcial_abuse"]), "categories[0]"),
    ("category not text", _set("categories", ["neglect", 3]), "categories[1]"),
    ("category twice", _set("categories", ["neglect", "fgm", "neglect"]), "categories[2]"),
    # text
    ("observed empty", _set("observed", ""), "observed"),
    ("observed blank", _set("observed", " \n\t "), "observed"),
    ("observed not text", _set("observed", None), "observed"),
    ("child's words with NUL", _set("child_words", "no\x00"), "child_words"),
    ("presentation with C1", _set("presentation", "quiet\x85"), "presentation"),
    ("others not text", _set("others_present", 5), "others_present"),
    ("actions with escape", _set("actions_taken", "\x1b]0;title\x07"), "actions_taken"),
    # yes/no
    ("danger as text", _set("immediate_danger", "false"), "immediate_danger"),
    ("danger as number", _set("immediate_danger", 0), "immediate_danger"),
    ("danger as null", _set("immediate_danger", None), "immediate_danger"),
    ("told as text", _set("told_dsl_in_person", "yes"), "told_dsl_in_person"),
    # body map
    ("body map not a list", _set("body_map", {"view": "front"}), "body_map"),
    ("too many marks", _set("body_map", [{"view": "front", "x": 0, "y": 0}] * 201), "body_map"),
    ("mark not an object", _set("body_map[0]", [0.3, 0.4]), "body_map[0]"),
    ("mark side unknown", _set("body_map[0].view", "side"), "body_map[0].view"),
    ("mark side in capitals", _set("body_map[0].view", "FRONT"), "body_map[0].view"),
    ("mark without side", _delete("body_map[0].view"), "body_map[0].view"),
    ("mark without x", _delete("body_map[0].x"), "body_map[0].x"),
    ("x above 1", _set("body_map[0].x", 1.5), "body_map[0].x"),
    ("x below 0", _set("body_map[0].x", -0.01), "body_map[0].x"),
    ("x as text", _set("body_map[0].x", "0.3"), "body_map[0].x"),
    ("x as boolean", _set("body_map[0].x", True), "body_map[0].x"),
    ("x not a number", _set("body_map[0].x", math.nan), "body_map[0].x"),
    ("y infinite", _set("body_map[0].y", math.inf), "body_map[0].y"),
    ("y above 1", _set("body_map[0].y", 2), "body_map[0].y"),
    ("note with NUL", _set("body_map[0].note", "a\x00"), "body_map[0].note"),
]

SHORT_FIELDS = {
    "dob": "children[0].date_of_birth",
    "age": "children[0].approximate_age",
}


@pytest.mark.parametrize(
    ("mutation", "field"),
    [(mutation, SHORT_FIELDS.get(field, field)) for _, mutation, field in BAD],
    ids=[case for case, _, _ in BAD],
)
def test_each_bad_field_is_named(mutation: Mutation, field: str) -> None:
    data = example()
    mutation(data)
    error = refused(data)
    assert error.field == field
    assert error.exit_code == 2
    message = str(error)
    # One plain sentence.
    assert "\n" not in message
    assert message[0].isupper()
    assert message.endswith((".", "?"))
    assert message.count(". ") == 0


def test_messages_never_repeat_what_was_typed() -> None:
    secret = "SECRET-WORDS-FROM-A-CHILD"
    for path in ("observed", "child_words", "children[0].name", "body_map[0].note"):
        data = example()
        _set(path, secret + "\x00")(data)
        assert secret not in str(refused(data))
    data = example()
    data["categories"] = [secret]
    assert secret not in str(refused(data))
    data = example()
    data["children"][0]["date_of_birth"] = secret
    assert secret not in str(refused(data))


def test_an_unknown_key_gets_a_spelling_suggestion() -> None:
    data = example()
    data["obsreved"] = data.pop("observed")
    assert str(refused(data)) == "The field 'obsreved' is not known; did you mean 'observed'?"


def test_an_unknown_key_that_looks_like_record_text_is_not_repeated() -> None:
    data = example()
    data["She said her dad hit her"] = True
    error = refused(data)
    assert error.field == ""
    assert "dad" not in str(error)


@pytest.mark.parametrize("data", [None, [], "concern", 3, [CLI_EXAMPLE]])
def test_the_whole_document_must_be_an_object(data: object) -> None:
    error = refused(data)
    assert error.field == ""
    assert str(error) == "The concern must be a JSON object with named fields."


def test_messages_name_the_field_in_plain_words() -> None:
    data = example()
    data["children"].append({"name": "B", "date_of_birth": "2031-01-01"})
    assert str(refused(data)) == (
        "The field 'Date of birth (child 2)' is in the future; please check it."
    )
    data = example()
    data["occurred_at"] = "2015-03-01T10:00"
    assert str(refused(data)) == (
        "The field 'When it happened' is before the date of birth of child 1; "
        "please check both dates."
    )


# --- dates and times ----------------------------------------------------------------


def test_the_day_of_birth_and_today_are_allowed() -> None:
    data = example()
    data["children"][0]["date_of_birth"] = "2026-12-01"
    data["occurred_at"] = "2026-12-01T00:00"
    concern = Concern.from_json(data, now=NOW)
    assert concern.children[0].date_of_birth == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("occurred_at", "accepted"),
    [
        ("2026-12-01T12:00:00", True),
        ("2026-12-01T12:04:59", True),  # inside the clock slack
        ("2026-12-01T12:05:01", False),
        ("2026-12-01 11:59", True),
        ("2026-12-01T11:59:59.5", True),
    ],
)
def test_occurred_at_may_be_a_few_minutes_ahead_of_the_clock(
    occurred_at: str, accepted: bool
) -> None:
    data = example()
    data["occurred_at"] = occurred_at
    if accepted:
        Concern.from_json(data, now=NOW)
    else:
        assert refused(data).field == "occurred_at"


NOW_UTC = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("occurred_at", "accepted"),
    [
        ("2026-12-01T12:00:00Z", True),
        ("2026-12-01T12:30:00+01:00", True),  # 11:30 UTC
        ("2026-12-01T13:10:00+01:00", False),  # 12:10 UTC
        ("2026-12-01T07:30:00-05:00", False),  # 12:30 UTC
        ("2026-12-01T06:30:00-05:00", True),
    ],
)
def test_times_with_an_offset_compare_as_instants(occurred_at: str, accepted: bool) -> None:
    data = example()
    data["occurred_at"] = occurred_at
    if accepted:
        Concern.from_json(data, now=NOW_UTC)
    else:
        assert refused(data, now=NOW_UTC).field == "occurred_at"


@pytest.fixture
def tokyo_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local time zone is UTC+9 for the length of one test."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_naive_times_are_local_time_when_now_carries_a_zone(tokyo_time: None) -> None:
    # 12:00 UTC is 21:00 in Tokyo.
    data = example()
    data["occurred_at"] = "2026-12-01T20:30"
    Concern.from_json(data, now=NOW_UTC)
    data["occurred_at"] = "2026-12-01T21:30"
    assert refused(data, now=NOW_UTC).field == "occurred_at"
    # ... and a naive "now" is local time when the concern carries an offset.
    data["occurred_at"] = "2026-12-01T12:30:00Z"  # 21:30 in Tokyo
    assert refused(data, now=datetime(2026, 12, 1, 21, 0)).field == "occurred_at"
    data["occurred_at"] = "2026-12-01T11:30:00Z"  # 20:30 in Tokyo
    Concern.from_json(data, now=datetime(2026, 12, 1, 21, 0))
