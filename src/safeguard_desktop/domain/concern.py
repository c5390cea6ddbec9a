"""A concern as a recorder submits it, and the rules its JSON form must follow.

``Concern.from_json`` is the one gate every concern passes through, whether it comes
from the guided form or from ``safeguard-desktop record --json``; docs/concern.schema.json
documents the same shape for people. Every refusal is a :class:`BadInput` whose
``field`` is the JSON path ("children[0].date_of_birth") and whose sentence says what
to change, without repeating the text that was typed.

``to_json`` gives back exactly the fields of the concern; the version number and the
submission's metadata (who, when, reference) are added around it when it is sealed.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal, cast

from safeguard_desktop.domain.categories import is_category
from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.text import clean_name, clean_text, field_label

CONCERN_FORMAT_VERSION = 1

# Limits that are not the general 100,000-character one. docs/concern.schema.json
# repeats them; a test keeps the two in step.
MAX_GROUP_LENGTH = 200
MAX_LOCATION_LENGTH = 1_000
MAX_CHILDREN = 50
MAX_BODY_MARKS = 200
MIN_APPROXIMATE_AGE = 0
# Children's services support some young people (care leavers, those with special
# educational needs) up to 25.
MAX_APPROXIMATE_AGE = 25
EARLIEST_YEAR = 1900
# The recorder's clock and the machine that checks may differ by a few minutes; a
# concern timed "now" on a phone-set clock must not be refused.
CLOCK_SLACK = timedelta(minutes=5)

View = Literal["front", "back"]
VIEWS: tuple[View, ...] = ("front", "back")

TOP_LEVEL_KEYS: tuple[str, ...] = (
    "children",
    "occurred_at",
    "location",
    "categories",
    "observed",
    "child_words",
    "presentation",
    "others_present",
    "actions_taken",
    "immediate_danger",
    "told_dsl_in_person",
    "body_map",
)
# immediate_danger has no default on purpose: a missing answer must not become "no".
REQUIRED_TOP_LEVEL_KEYS: tuple[str, ...] = (
    "children",
    "occurred_at",
    "categories",
    "observed",
    "immediate_danger",
)
CHILD_KEYS: tuple[str, ...] = (
    "name",
    "date_of_birth",
    "approximate_age",
    "group",
    "additional_needs",
)
REQUIRED_CHILD_KEYS: tuple[str, ...] = ("name",)
BODY_MARK_KEYS: tuple[str, ...] = ("view", "x", "y", "note")
REQUIRED_BODY_MARK_KEYS: tuple[str, ...] = ("view", "x", "y")
# The parts written as free text, which views and corrections name one by one.
TEXT_FIELDS: tuple[str, ...] = (
    "location",
    "observed",
    "child_words",
    "presentation",
    "others_present",
    "actions_taken",
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?",
    re.ASCII,
)
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_]{1,40}", re.ASCII)


@dataclass(frozen=True)
class Child:
    """A child the concern is about. Either, both or neither of the age fields."""

    name: str
    date_of_birth: date | None = None
    approximate_age: int | None = None
    group: str = ""
    additional_needs: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "date_of_birth": None if self.date_of_birth is None else self.date_of_birth.isoformat(),
            "approximate_age": self.approximate_age,
            "group": self.group,
            "additional_needs": self.additional_needs,
        }


@dataclass(frozen=True)
class BodyMark:
    """A mark on the body map, at a point relative to the outline (0..1 each way)."""

    view: View
    x: float
    y: float
    note: str = ""

    def to_json(self) -> dict[str, object]:
        return {"view": self.view, "x": self.x, "y": self.y, "note": self.note}


@dataclass(frozen=True)
class Concern:
    """What a recorder saw, heard and did, about one or more children."""

    children: tuple[Child, ...]
    occurred_at: datetime  # naive means the organisation's local time
    location: str
    categories: tuple[str, ...]
    observed: str
    child_words: str
    presentation: str
    others_present: str
    actions_taken: str
    immediate_danger: bool
    told_dsl_in_person: bool
    body_map: tuple[BodyMark, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The concern's own fields, in the documented shape; nothing else."""
        return {
            "children": [child.to_json() for child in self.children],
            "occurred_at": self.occurred_at.isoformat(),
            "location": self.location,
            "categories": list(self.categories),
            "observed": self.observed,
            "child_words": self.child_words,
            "presentation": self.presentation,
            "others_present": self.others_present,
            "actions_taken": self.actions_taken,
            "immediate_danger": self.immediate_danger,
            "told_dsl_in_person": self.told_dsl_in_person,
            "body_map": [mark.to_json() for mark in self.body_map],
        }

    def text(self, field: str) -> str:
        """The free-text part named ``field`` (one of :data:`TEXT_FIELDS`), as typed."""
        if field not in TEXT_FIELDS:
            raise KeyError(field)
        value = getattr(self, field)
        assert isinstance(value, str)
        return value

    def with_texts(self, texts: Mapping[str, str]) -> Concern:
        """This concern with the free-text parts ``texts`` names replaced (a correction
        applied where it is printed); any other key is left out."""

        def part(field: str) -> str:
            return texts.get(field, self.text(field))

        return replace(
            self,
            location=part("location"),
            observed=part("observed"),
            child_words=part("child_words"),
            presentation=part("presentation"),
            others_present=part("others_present"),
            actions_taken=part("actions_taken"),
        )

    @classmethod
    def from_json(cls, data: object, *, now: datetime) -> Concern:
        """Check ``data`` (parsed JSON) against every rule and build the concern.

        ``now`` is the current time (aware, or naive local time); nothing may have
        happened, nor anyone been born, after it.
        """
        top = _object(data, "", TOP_LEVEL_KEYS, REQUIRED_TOP_LEVEL_KEYS, "The concern")
        children = tuple(
            _child(item, f"children[{i}]", now)
            for i, item in enumerate(_list(top["children"], "children", MAX_CHILDREN, "children"))
        )
        if not children:
            raise BadInput(
                "The concern must name at least one child; please add the child.",
                field="children",
            )
        occurred_at = _occurred_at(top["occurred_at"], now)
        for i, child in enumerate(children):
            if child.date_of_birth is not None and occurred_at.date() < child.date_of_birth:
                raise BadInput(
                    f"The field '{field_label('occurred_at')}' is before the date of birth "
                    f"of child {i + 1}; please check both dates.",
                    field="occurred_at",
                )
        return cls(
            children=children,
            occurred_at=occurred_at,
            location=clean_text(
                top.get("location", ""),
                "location",
                max_length=MAX_LOCATION_LENGTH,
                multiline=False,
            ),
            categories=_categories(top["categories"]),
            observed=clean_text(top["observed"], "observed", required=True),
            child_words=clean_text(top.get("child_words", ""), "child_words"),
            presentation=clean_text(top.get("presentation", ""), "presentation"),
            others_present=clean_text(top.get("others_present", ""), "others_present"),
            actions_taken=clean_text(top.get("actions_taken", ""), "actions_taken"),
            immediate_danger=_bool(top["immediate_danger"], "immediate_danger"),
            told_dsl_in_person=_bool(top.get("told_dsl_in_person", False), "told_dsl_in_person"),
            body_map=tuple(
                _body_mark(item, f"body_map[{i}]")
                for i, item in enumerate(
                    _list(top.get("body_map", []), "body_map", MAX_BODY_MARKS, "marks")
                )
            ),
        )


def _object(
    value: object,
    path: str,
    keys: tuple[str, ...],
    required: tuple[str, ...],
    what: str,
) -> Mapping[str, object]:
    """``value`` as a JSON object holding only ``keys`` and at least ``required``."""
    if not isinstance(value, Mapping):
        raise BadInput(f"{what} must be a JSON object with named fields.", field=path)
    for key in value:
        if key not in keys:
            raise _unknown_key(key, path, keys)
    for key in required:
        if key not in value:
            field = _join(path, key)
            raise BadInput(
                f"The field '{field_label(field)}' is missing; please add it.", field=field
            )
    return cast(Mapping[str, object], value)


def _unknown_key(key: object, path: str, keys: tuple[str, ...]) -> BadInput:
    # The key is repeated back only when it looks like a field name; anything else might
    # be record text pasted in the wrong place, and must not reach a terminal or a log.
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
        field = _join(path, key)
        close = difflib.get_close_matches(key, keys, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "check its spelling."
        return BadInput(f"The field '{field}' is not known; {hint}", field=field)
    return BadInput(
        "The concern holds a field whose name is not known; check the field names "
        "against docs/concern.schema.json.",
        field=path,
    )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _list(value: object, path: str, limit: int, noun: str) -> list[object]:
    if not isinstance(value, list):
        raise BadInput(f"The field '{field_label(path)}' must be a list.", field=path)
    if len(value) > limit:
        raise BadInput(
            f"The field '{field_label(path)}' has more than {limit} {noun}; please record fewer.",
            field=path,
        )
    return value


def _bool(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise BadInput(f"The field '{field_label(path)}' must be true or false.", field=path)
    return value


def _child(value: object, path: str, now: datetime) -> Child:
    item = _object(value, path, CHILD_KEYS, REQUIRED_CHILD_KEYS, f"Child {_ordinal(path)}")
    return Child(
        name=clean_name(item["name"], f"{path}.name"),
        date_of_birth=_date_of_birth(item.get("date_of_birth"), f"{path}.date_of_birth", now),
        approximate_age=_approximate_age(item.get("approximate_age"), f"{path}.approximate_age"),
        group=clean_text(
            item.get("group", ""), f"{path}.group", max_length=MAX_GROUP_LENGTH, multiline=False
        ),
        additional_needs=clean_text(item.get("additional_needs", ""), f"{path}.additional_needs"),
    )


def _ordinal(path: str) -> str:
    index = re.search(r"\[(\d+)\]$", path)
    return str(int(index.group(1)) + 1) if index else ""


def _date_of_birth(value: object, path: str, now: datetime) -> date | None:
    if value is None:
        return None
    label = field_label(path)
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise BadInput(f"The field '{label}' must be a date written as YYYY-MM-DD.", field=path)
    try:
        born = date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"The field '{label}' is not a real date.", field=path) from None
    if born.year < EARLIEST_YEAR:
        raise BadInput(
            f"The field '{label}' is before {EARLIEST_YEAR}; please check the year.", field=path
        )
    if born > _local_naive(now).date():
        raise BadInput(f"The field '{label}' is in the future; please check it.", field=path)
    return born


def _approximate_age(value: object, path: str) -> int | None:
    if value is None:
        return None
    # bool is an int in Python, but "true" is not an age.
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(
            f"The field '{field_label(path)}' must be a whole number of years.", field=path
        )
    if not MIN_APPROXIMATE_AGE <= value <= MAX_APPROXIMATE_AGE:
        raise BadInput(
            f"The field '{field_label(path)}' must be between {MIN_APPROXIMATE_AGE} "
            f"and {MAX_APPROXIMATE_AGE}.",
            field=path,
        )
    return value


def _local_naive(moment: datetime) -> datetime:
    """``moment`` as naive local time (naive input already is)."""
    return moment if moment.tzinfo is None else moment.astimezone().replace(tzinfo=None)


def _occurred_at(value: object, now: datetime) -> datetime:
    path = "occurred_at"
    label = field_label(path)
    if not isinstance(value, str) or not _ISO_DATETIME.fullmatch(value):
        raise BadInput(
            f"The field '{label}' must be a date and time written as YYYY-MM-DDTHH:MM, "
            "optionally with seconds and a UTC offset.",
            field=path,
        )
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(f"The field '{label}' is not a real date and time.", field=path) from None
    if when.year < EARLIEST_YEAR:
        raise BadInput(
            f"The field '{label}' is before {EARLIEST_YEAR}; please check the year.", field=path
        )
    if when.tzinfo is None:
        in_future = when > _local_naive(now) + CLOCK_SLACK
    else:
        # A naive "now" is local time; astimezone() makes that explicit.
        in_future = when > now.astimezone() + CLOCK_SLACK
    if in_future:
        raise BadInput(f"The field '{label}' is in the future; please check it.", field=path)
    return when


def _categories(value: object) -> tuple[str, ...]:
    items = _list(value, "categories", 100, "categories")
    if not items:
        raise BadInput(
            "The concern needs at least one category; choose the one that fits best, or 'other'.",
            field="categories",
        )
    seen: list[str] = []
    for i, item in enumerate(items):
        path = f"categories[{i}]"
        if not is_category(item):
            raise BadInput(
                f"Category {i + 1} is not one of the known categories; use an id listed "
                "in docs/concern.schema.json.",
                field=path,
            )
        assert isinstance(item, str)  # is_category checked it
        if item in seen:
            raise BadInput(
                f"Category {i + 1} is listed twice; please list each category once.",
                field=path,
            )
        seen.append(item)
    return tuple(seen)


def _coordinate(value: object, path: str) -> float:
    # bool is an int in Python; reject it. NaN and infinity cannot come from json.loads
    # with its defaults, but they can from Python callers.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadInput(f"The field '{field_label(path)}' must be a number from 0 to 1.", field=path)
    number = float(value)
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise BadInput(f"The field '{field_label(path)}' must be a number from 0 to 1.", field=path)
    return number


def _body_mark(value: object, path: str) -> BodyMark:
    item = _object(
        value, path, BODY_MARK_KEYS, REQUIRED_BODY_MARK_KEYS, f"Body map mark {_ordinal(path)}"
    )
    view = item["view"]
    if view not in VIEWS:
        raise BadInput(
            f'The field \'{field_label(path + ".view")}\' must be "front" or "back".',
            field=f"{path}.view",
        )
    return BodyMark(
        view=view,
        x=_coordinate(item["x"], f"{path}.x"),
        y=_coordinate(item["y"], f"{path}.y"),
        note=clean_text(item.get("note", ""), f"{path}.note"),
    )
