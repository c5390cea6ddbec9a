"""Other children in a referral's narrative: "another child (A.K.)" unless the DSL names them.

A referral is about one child and goes to that child's social worker. The recorder's
account and the DSL's summary often name other children present (a sibling, a friend,
the child who hit them); those children may be from another family, and their names
are not the recipient's to have unless the DSL decides they are needed. Full names are
replaced wherever they appear (any case); a first name alone is replaced where it is
written as a name (capitalised, a whole word) and is not the referred child's own.
A surname alone is left: a sibling shares it with the child the referral is about.
A child who is one of the referred child's household is not hidden (services/referral.py
leaves them out of ``others``): the household table names them already.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def initials(name: str) -> str:
    """``"Amelia Kowalska"`` -> ``"A.K."``; letters only, never more than four."""
    letters = [part[0].upper() for part in re.split(r"[\s\-]+", name.strip()) if part[:1].isalpha()]
    return "".join(f"{letter}." for letter in letters[:4])


def masked(text: str, others: Iterable[str], referred: str) -> str:
    """``text`` with each of ``others`` shown as "another child (initials)", with a
    capital where it starts a sentence."""
    own_first = referred.split()[0] if referred.split() else ""
    for name in sorted({" ".join(n.split()) for n in others if n.strip()}, key=len, reverse=True):
        shown = f"another child ({initials(name)})" if initials(name) else "another child"

        def replacement(found: re.Match[str], shown: str = shown) -> str:
            before = found.string[: found.start()].rstrip(" \t\"'\u201c\u2018(")
            starts = not before or before[-1] in ".!?\n"
            return shown[0].upper() + shown[1:] if starts else shown

        parts = name.split()
        full = r"\s+".join(re.escape(part) for part in parts)
        text = re.sub(rf"(?<!\w){full}(?!\w)", replacement, text, flags=re.IGNORECASE)
        first = parts[0]
        if len(parts) > 1 and len(first) > 1 and first != own_first:
            text = re.sub(rf"(?<!\w){re.escape(first)}(?!\w)", replacement, text)
    return text
