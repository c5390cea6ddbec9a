"""Spotting opinion and speculation in what a recorder writes.

A safeguarding record should hold what was seen and heard; conclusions are for the
DSL. While a recorder types the facts, the form underlines phrases from this table
and shows the hint beside them. It is advice only: nothing here ever blocks saving
or submitting, and a phrase is sometimes fine in context ("I could clearly see").
"""

from __future__ import annotations

import re
from typing import NamedTuple

_OPINION = "This is your opinion. Write down what you saw and heard; the DSL will weigh it."
_GUESS = "This is a guess. Record what you know, and how you know it."
_APPEARS = "Describe what you actually saw or heard that gave you this impression."
_CERTAIN = "Say what you saw rather than how sure you are; leave conclusions to the DSL."
_HEARSAY = "Say who told you, and what they said, in their words."
_JUDGEMENT = "This is a judgement about the child. Write what they did and said instead."

# Phrase -> hint. Written in lower case with straight apostrophes and single spaces;
# the matcher also accepts curly apostrophes and any run of spaces or line breaks.
PHRASES: dict[str, str] = {
    # Opinion
    "i think": _OPINION,
    "i thought": _OPINION,
    "i feel": _OPINION,
    "i felt": _OPINION,
    "i believe": _OPINION,
    "i reckon": _OPINION,
    "i guess": _OPINION,
    "i suppose": _OPINION,
    "i assume": _OPINION,
    "i assumed": _OPINION,
    "i suspect": _OPINION,
    "i imagine": _OPINION,
    "i'd say": _OPINION,
    "i would say": _OPINION,
    "i'm sure": _OPINION,
    "i am sure": _OPINION,
    "i'm certain": _OPINION,
    "i am certain": _OPINION,
    "in my opinion": _OPINION,
    "in my view": _OPINION,
    "my feeling is": _OPINION,
    "i get the impression": _OPINION,
    "i got the impression": _OPINION,
    "i have a feeling": _OPINION,
    "gut feeling": _OPINION,
    # Guesses about what happened or why
    "probably": _GUESS,
    "possibly": _GUESS,
    "maybe": _GUESS,
    "perhaps": _GUESS,
    "likely": _GUESS,
    "unlikely": _GUESS,
    "presumably": _GUESS,
    "must have": _GUESS,
    "must've": _GUESS,
    "must be": _GUESS,
    "might have": _GUESS,
    "might've": _GUESS,
    "may have": _GUESS,
    "could have": _GUESS,
    "could've": _GUESS,
    "can't have": _GUESS,
    "bound to": _GUESS,
    "i bet": _GUESS,
    # Impressions
    "seems": _APPEARS,
    "seem": _APPEARS,
    "seemed": _APPEARS,
    "seemingly": _APPEARS,
    "it looks like": _APPEARS,
    "looks like": _APPEARS,
    "looked like": _APPEARS,
    "appears to": _APPEARS,
    "appeared to": _APPEARS,
    "as if": _APPEARS,
    "as though": _APPEARS,
    # Certainty and emphasis
    "obviously": _CERTAIN,
    "clearly": _CERTAIN,
    "definitely": _CERTAIN,
    "certainly": _CERTAIN,
    "surely": _CERTAIN,
    "undoubtedly": _CERTAIN,
    "evidently": _CERTAIN,
    "of course": _CERTAIN,
    "no doubt": _CERTAIN,
    "without a doubt": _CERTAIN,
    # Second-hand
    "apparently": _HEARSAY,
    "supposedly": _HEARSAY,
    "allegedly": _HEARSAY,
    "i heard that": _HEARSAY,
    "rumour is": _HEARSAY,
    # Labels put on a child
    "attention seeking": _JUDGEMENT,
    "attention-seeking": _JUDGEMENT,
    "making it up": _JUDGEMENT,
    "making things up": _JUDGEMENT,
    "drama queen": _JUDGEMENT,
}

# Apostrophes people actually type or paste: straight, curly (Word, phones), modifier.
_APOSTROPHES = "'\u2019\u2018\u02bc"
_APOSTROPHE_CLASS = "[" + _APOSTROPHES + "]"


class OpinionMatch(NamedTuple):
    """One phrase found: ``text[start:end]`` as typed, ``phrase`` as in the table.

    A named tuple rather than a dataclass: a long text can hold thousands of matches,
    re-checked on every keystroke pause, and tuples are the cheapest to build.
    """

    start: int
    end: int
    phrase: str
    hint: str


def _piece(char: str) -> str:
    if char == " ":
        return r"\s+"
    if char == "'":
        return _APOSTROPHE_CLASS
    if char == "-":
        return r"[-\u2010\u2011]"
    return re.escape(char)


_Trie = dict[str, "_Trie"]


def _trie_pattern(phrases: list[str]) -> str:
    """An alternation shaped as a trie, so most positions fail on the first letter.

    A flat "a|b|c..." makes the regex engine try every phrase at every position of
    the text; sharing prefixes keeps 100,000 characters well inside a keystroke.
    """
    root: _Trie = {}
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here

    def build(node: _Trie) -> str:
        branches = [_piece(char) + build(sub) for char, sub in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A greedy optional tail: the longest phrase that fits wins ("seemingly" over
        # "seem"), and the engine falls back to the shorter one when the tail fails.
        return f"(?:{body})?" if "" in node else body

    return build(root)


def _key(matched: str) -> str:
    """The table key of a matched span: lower case, single spaces, straight apostrophes."""
    key = re.sub(r"\s+", " ", matched.casefold())
    for apostrophe in _APOSTROPHES[1:]:
        key = key.replace(apostrophe, "'")
    return key.replace("\u2010", "-").replace("\u2011", "-")


# Whole words only: no letter, digit or apostrophe may touch either end, so "unclearly"
# and "seemsly" are not flagged, and neither is "mayhem" for "may".
_PATTERN = re.compile(
    rf"(?<![\w{_APOSTROPHES}])(?:{_trie_pattern(sorted(PHRASES))})(?![\w{_APOSTROPHES}])",
    re.IGNORECASE,
)


def find_opinions(text: str) -> list[OpinionMatch]:
    """Every opinion or speculation phrase in ``text``, in order, never overlapping."""
    found: list[OpinionMatch] = []
    for match in _PATTERN.finditer(text):
        matched = match.group()
        # Most matches are already in table form once lower-cased; normalise only the rest.
        phrase = matched.lower()
        hint = PHRASES.get(phrase)
        if hint is None:
            phrase = _key(matched)
            hint = PHRASES.get(phrase)
            if hint is None:  # a rare case-insensitive match that folds differently
                continue
        found.append(OpinionMatch(match.start(), match.end(), phrase, hint))
    return found
