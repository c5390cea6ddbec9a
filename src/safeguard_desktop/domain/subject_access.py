"""Subject access requests: the deadline, the exemptions, and taking words out for real.

Under UK GDPR (Article 15) a child, or a parent acting for them, may ask for a copy of the
records about the child. The organisation answers within one calendar month of receiving
the request (ICO: the same date in the next month, or that month's last day when it has no
such date; a deadline on a weekend or bank holiday moves to the next working day), after
checking who is asking.

Safeguarding records hold much that must not go out: other people (third parties, other
children), who recorded a concern where telling could put them at risk, and anything
likely to cause serious harm to the child or someone else (the Data Protection Act 2018,
Schedule 3 Part 2, serious harm; Schedule 2, crime, legal privilege). A lead reviews every
item: releases it, withholds it whole with an exemption, or names words (a name, an
address) that are taken out wherever they appear, each with its exemption. Taking out
is real: the words are removed from the text before the PDF is drawn, so no tool can
read them from the released copy. The list of what was taken out and why is kept by the
organisation (an appendix), never sent.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .errors import BadInput
from .text import clean_name, clean_text, fold_letters
from .working_days import WorkingDays

REDACTED = "[removed]"
MAX_TERM = 200
MAX_TERMS = 500


class Exemption(StrEnum):
    """Why something is not released, in words a lead and the ICO recognise."""

    THIRD_PARTY = "third_party"
    OTHER_CHILD = "other_child"
    RECORDER_AT_RISK = "recorder_at_risk"
    SERIOUS_HARM = "serious_harm"
    CRIME = "crime"
    LEGAL_ADVICE = "legal_advice"

    @property
    def label(self) -> str:
        return _LABELS[self]


# Short enough to read whole in a choice box at 150 % text size, and read after
# "Withheld: " on screen and "Exemption: " in the response's record.
_LABELS = {
    Exemption.THIRD_PARTY: "Another person, who has not agreed",
    Exemption.OTHER_CHILD: "Another child",
    Exemption.RECORDER_AT_RISK: "Risk to the person who recorded it",
    Exemption.SERIOUS_HARM: "Serious harm to the child or others",
    Exemption.CRIME: "Prevention or detection of crime",
    Exemption.LEGAL_ADVICE: "Legal professional privilege",
}


def due_on(received_on: date, working: WorkingDays | None = None) -> date:
    """One calendar month after ``received_on`` (moved to the next working day)."""
    year, month = (
        (received_on.year + 1, 1)
        if received_on.month == 12
        else (received_on.year, received_on.month + 1)
    )
    last = calendar.monthrange(year, month)[1]
    due = date(year, month, min(received_on.day, last))
    working = working or WorkingDays()
    return due if working.is_working_day(due) else working.next(due)


@dataclass(frozen=True)
class NewRequest:
    """A request as a lead records it."""

    requester: str  # who asked
    relationship: str  # "Mother", "The child herself", "Their solicitor"...
    received_on: date
    identity_checked: str  # how ("Passport seen at reception"); required before answering

    @classmethod
    def checked(
        cls,
        *,
        requester: str,
        relationship: str,
        received_on: date,
        identity_checked: str,
        today: date,
    ) -> NewRequest:
        if received_on > today:
            raise BadInput(
                "The day the request was received cannot be in the future.", "received_on"
            )
        return cls(
            requester=clean_name(requester, "requester", label="Who asked"),
            relationship=clean_name(relationship, "relationship", label="Their relationship"),
            received_on=received_on,
            identity_checked=clean_text(
                identity_checked,
                "identity_checked",
                max_length=1_000,
                required=True,
                label="How their identity was checked",
            ).strip(),
        )


@dataclass(frozen=True)
class Term:
    """Words to take out wherever they appear, and why."""

    text: str
    exemption: Exemption


def checked_term(text: str) -> str:
    text = clean_text(
        text, "term", max_length=MAX_TERM, multiline=False, required=True, label="Words to take out"
    ).strip()
    if len(_key(text)) < 2:
        raise BadInput("Give at least two letters to take out (a name, an address).", "term")
    return text


def _key(text: str) -> str:
    return fold_letters(unicodedata.normalize("NFKC", text)).casefold()


def redact(text: str, terms: Iterable[Term]) -> tuple[str, list[Term]]:
    """``text`` with every term taken out (whole words, any case, with or without accents
    and in any Unicode form), and the terms that were found."""
    chosen = sorted({t.text: t for t in terms}.values(), key=lambda t: -len(t.text))
    if not chosen or not text:
        return text, []
    # Matched on a folded copy of the text, which keeps one character per character (NFC
    # first, then letters folded one for one), so positions carry over to the original.
    source = unicodedata.normalize("NFC", text)
    folded = _fold_same_length(source)
    pattern = re.compile(
        "|".join(
            rf"(?<!\w){re.escape(_fold_same_length(unicodedata.normalize('NFC', t.text)))}(?!\w)"
            for t in chosen
        ),
        re.IGNORECASE,
    )
    found: dict[str, Term] = {}
    by_folded = {
        _fold_same_length(unicodedata.normalize("NFC", t.text)).casefold(): t for t in chosen
    }
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(folded):
        pieces.append(source[last : match.start()])
        pieces.append(REDACTED)
        last = match.end()
        term = by_folded.get(match.group(0).casefold())
        if term is not None:
            found[term.text] = term
    pieces.append(source[last:])
    return "".join(pieces), list(found.values())


# Letters folded to one plain letter each (ł -> l, é -> e), so a folded copy lines up with
# the text it came from; two-letter folds (ß -> ss) stay as they are.
def _fold_same_length(text: str) -> str:
    out = []
    for char in text:
        plain = unicodedata.normalize("NFKD", char)[0] if not char.isascii() else char
        folded = fold_letters(plain)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)
