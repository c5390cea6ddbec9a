"""The recovery key: 8 groups of 6 digits, the last digit of each a check digit.

Five random digits per group give 8 x log2(10^5) = 132.9 bits of entropy.
The check digit uses the Damm algorithm, which catches every single-digit
typo and every swap of two adjacent digits, so a mistyped group is flagged
as soon as it is typed, and the error says which group.
"""

from __future__ import annotations

import re
import secrets

from ..domain.errors import BadInput

GROUPS = 8
DATA_DIGITS = 5
GROUP_LENGTH = DATA_DIGITS + 1

# Damm's totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def _damm(digits: str) -> int:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return interim


def _group(data: str) -> str:
    return data + str(_damm(data))


def generate() -> str:
    """A new recovery key, e.g. ``"12345-6 ..."`` formatted as ``ddddddd-...``."""
    groups = [
        _group("".join(secrets.choice("0123456789") for _ in range(DATA_DIGITS)))
        for _ in range(GROUPS)
    ]
    return "-".join(groups)


def check_group(text: str) -> bool:
    """True when ``text`` is six digits whose check digit is right."""
    digits = re.sub(r"\s", "", text)
    return len(digits) == GROUP_LENGTH and digits.isdigit() and _damm(digits) == 0


def groups_of(key: str) -> list[str]:
    return key.split("-")


def normalise(text: str) -> str:
    """Accept spaces, dashes or nothing between groups; return ``dddddd-...``.

    Raises BadInput naming the first wrong group, so the user knows where to look.
    """
    digits = re.sub(r"[\s\-–—]", "", text)
    if not digits.isdigit():
        raise BadInput(
            "The recovery key has only digits; please check what you typed.",
            field="recovery_key",
        )
    if len(digits) != GROUPS * GROUP_LENGTH:
        raise BadInput(
            f"The recovery key has {GROUPS} groups of {GROUP_LENGTH} digits; "
            f"{len(digits)} digits were typed.",
            field="recovery_key",
        )
    groups = [digits[i : i + GROUP_LENGTH] for i in range(0, len(digits), GROUP_LENGTH)]
    for number, group in enumerate(groups, start=1):
        if not check_group(group):
            raise BadInput(
                f"Group {number} of the recovery key has a typing mistake; please check it.",
                field="recovery_key",
            )
    return "-".join(groups)


def secret_bytes(key: str) -> bytes:
    """The bytes fed to Argon2id for a (normalised) recovery key."""
    return normalise(key).replace("-", "").encode("ascii")
