"""Reading JSON that a person wrote (a concern, a decision): nothing in it silently dropped.

Python's ``json`` keeps the last of two values given for one key, so
``"immediate_danger": true, "immediate_danger": false`` would be stored as false and a
second ``"children"`` list would replace the first without a word. Here a key given
twice in one object is refused, naming the key; so are the number forms JSON does not
have (NaN, Infinity) or that no field could hold (a number thousands of digits long,
which Python cannot even convert), and lists or objects nested more deeply than any
document the program reads. Each refusal is a :class:`BadInput` sentence; the text is
never guessed at.
"""

from __future__ import annotations

import json
import math
import re

from .errors import BadInput

# No field the program reads takes a number anywhere near this long; Python refuses
# integers above 4,300 digits with an error that names no field.
MAX_NUMBER_CHARACTERS = 40
# The deepest document the program reads (a decision's LADO details) is 4 levels deep.
MAX_DEPTH = 64

# A key is repeated back only when it looks like a field name: anything else may be
# record text pasted in the wrong place (the same rule as domain/concern.py).
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_]{1,40}", re.ASCII)


def parse_json(text: str, source: str, field: str) -> object:
    """``text`` parsed as JSON, or :class:`BadInput` naming what is wrong.

    ``source`` says in words where the text came from ("The file c.json"); every
    message starts with it. ``field`` becomes ``BadInput.field`` ("--json").
    """

    def refuse(why: str) -> BadInput:
        return BadInput(f"{source} {why}", field=field)

    def unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
        found: dict[str, object] = {}
        for key, value in pairs:
            if key in found:
                named = f"the key '{key}'" if _PLAIN_KEY.fullmatch(key) else "a key"
                raise refuse(
                    f"gives {named} twice in one object; keep the one you mean and delete "
                    "the other (nothing was saved)."
                )
            found[key] = value
        return found

    def integer(literal: str) -> int:
        if len(literal) > MAX_NUMBER_CHARACTERS:
            raise refuse(
                f"holds a number {len(literal):,} characters long; no field takes a "
                f"number longer than {MAX_NUMBER_CHARACTERS} characters."
            )
        return int(literal)

    def real(literal: str) -> float:
        if len(literal) > MAX_NUMBER_CHARACTERS:
            integer(literal)  # the same sentence
        number = float(literal)
        if not math.isfinite(number):
            raise refuse(f"holds the number {literal}, which is too large for any field.")
        return number

    def constant(name: str) -> object:
        raise refuse(f"holds {name}, which is not a number in JSON.")

    try:
        data = json.loads(
            text,
            object_pairs_hook=unique_keys,
            parse_int=integer,
            parse_float=real,
            parse_constant=constant,
        )
    except json.JSONDecodeError as err:
        raise refuse(f"is not valid JSON (line {err.lineno}, column {err.colno}).") from None
    except RecursionError:
        data = _TOO_DEEP
    if data is _TOO_DEEP or _depth_above(data, MAX_DEPTH):
        raise refuse(
            f"has lists or objects nested more than {MAX_DEPTH} deep; no document the "
            "program reads is nested like that."
        )
    return data


_TOO_DEEP = object()


def _depth_above(data: object, limit: int) -> bool:
    """Whether ``data`` nests lists and objects more than ``limit`` deep (no recursion)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: list[object] = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
