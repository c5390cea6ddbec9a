"""Children's records: details, household, professionals, and finding the same child again.

A concern names a child as the recorder typed it ("Amelia Kowalska", born 2 March 2015).
The DSL keeps one record per child, and every concern about that child is linked to it,
so the chronology shows the whole picture. Linking is always the DSL's decision: the
program only suggests records that look like the same child, best first.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import date

from .errors import BadInput
from .text import MAX_TEXT_LENGTH, clean_name, clean_text, fold_letters

MAX_DETAIL = 1_000


def name_key(name: str) -> str:
    """A name folded for comparing: case, accents and spacing ignored ("Zoë  Ná" ~ "zoe na")."""
    decomposed = unicodedata.normalize("NFKD", fold_letters(name).casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(letters.replace("-", " ").split())


def surname_key(name: str) -> str:
    """The last word of the folded name; "" for a one-word name."""
    parts = name_key(name).split()
    return parts[-1] if len(parts) > 1 else ""


def given_key(name: str) -> str:
    parts = name_key(name).split()
    return parts[0] if parts else ""


@dataclass(frozen=True)
class ChildDetails:
    """What the DSL knows about a child; all but the name may be blank."""

    name: str
    date_of_birth: date | None = None
    approximate_age: int | None = None
    gender: str = ""
    ethnicity: str = ""
    language: str = ""
    address: str = ""
    group: str = ""  # class, team, school or club
    additional_needs: str = ""
    other_names: str = ""

    @classmethod
    def checked(cls, **values: object) -> ChildDetails:
        born = values.get("date_of_birth")
        if born is not None and not isinstance(born, date):
            raise BadInput("The date of birth must be a date.", "date_of_birth")
        if isinstance(born, date) and born > date.today():
            raise BadInput("The date of birth is in the future; please check it.", "date_of_birth")
        age = values.get("approximate_age")
        if age is not None and (
            isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 25
        ):
            raise BadInput(
                "The approximate age must be a whole number from 0 to 25.", "approximate_age"
            )

        def line(key: str, label: str) -> str:
            return clean_text(
                values.get(key, ""), key, max_length=MAX_DETAIL, multiline=False, label=label
            ).strip()

        return cls(
            name=clean_name(values.get("name"), "name", label="Child's name"),
            date_of_birth=born if isinstance(born, date) else None,
            approximate_age=age if isinstance(age, int) else None,
            gender=line("gender", "Gender"),
            ethnicity=line("ethnicity", "Ethnicity"),
            language=line("language", "First language"),
            address=clean_text(
                values.get("address", ""), "address", max_length=MAX_DETAIL, label="Address"
            ).strip(),
            group=line("group", "School, class, club or team"),
            # As long as a concern may carry (domain.concern): a child's record is made
            # from a concern, and must never refuse what the concern already holds.
            additional_needs=clean_text(
                values.get("additional_needs", ""),
                "additional_needs",
                max_length=MAX_TEXT_LENGTH,
                label="Additional needs",
            ).strip(),
            other_names=line("other_names", "Other names used"),
        )


@dataclass(frozen=True)
class HouseholdMember:
    name: str
    relationship: str
    date_of_birth: date | None = None
    parental_responsibility: bool = False
    lives_with_child: bool = True
    contact: str = ""
    notes: str = ""

    @classmethod
    def checked(cls, **values: object) -> HouseholdMember:
        born = values.get("date_of_birth")
        if born is not None and not isinstance(born, date):
            raise BadInput("The date of birth must be a date.", "date_of_birth")
        return cls(
            name=clean_name(values.get("name"), "name", label="Name"),
            relationship=clean_text(
                values.get("relationship", ""),
                "relationship",
                required=True,
                max_length=MAX_DETAIL,
                multiline=False,
                label="Relationship to the child",
            ).strip(),
            date_of_birth=born if isinstance(born, date) else None,
            parental_responsibility=bool(values.get("parental_responsibility", False)),
            lives_with_child=bool(values.get("lives_with_child", True)),
            contact=clean_text(
                values.get("contact", ""), "contact", max_length=MAX_DETAIL, label="Contact details"
            ).strip(),
            notes=clean_text(values.get("notes", ""), "notes", max_length=10_000, label="Notes"),
        )


@dataclass(frozen=True)
class Professional:
    name: str
    role: str
    organisation: str = ""
    contact: str = ""

    @classmethod
    def checked(cls, **values: object) -> Professional:
        def line(key: str, label: str, required: bool = False) -> str:
            return clean_text(
                values.get(key, ""),
                key,
                max_length=MAX_DETAIL,
                multiline=False,
                required=required,
                label=label,
            ).strip()

        return cls(
            name=clean_name(values.get("name"), "name", label="Name"),
            role=line("role", "Role", required=True),
            organisation=line("organisation", "Organisation"),
            contact=line("contact", "Contact details"),
        )


# Matching ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchCandidate:
    """A child record as the matcher sees it."""

    child_id: int
    name: str
    date_of_birth: date | None
    approximate_age: int | None = None
    other_names: str = ""


@dataclass(frozen=True)
class Suggestion:
    child_id: int
    score: float  # 0..1, higher is more alike
    reason: str  # why it was suggested, in plain words
    strong: bool  # same name and date of birth


@dataclass(frozen=True)
class ConcernChild:
    """A child as named in a concern."""

    name: str
    date_of_birth: date | None = None
    approximate_age: int | None = None
    group: str = ""
    additional_needs: str = ""


SUGGEST_AT = 0.6


def _name_similarity(a: str, b: str) -> float:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    whole = difflib.SequenceMatcher(None, ka, kb).ratio()
    # The same words in another order ("Kowalska Amelia") count as the same name.
    if sorted(ka.split()) == sorted(kb.split()):
        return max(whole, 0.95)
    return whole


def suggest_matches(
    child: ConcernChild, candidates: list[MatchCandidate], *, limit: int = 5
) -> list[Suggestion]:
    """Records that may be ``child``, best first: same name and birthday, or close.

    A different date of birth on both sides rules a record out, however alike the
    names: two children called Mohammed Ali in one school are common.
    """
    found: list[Suggestion] = []
    for cand in candidates:
        both_born = child.date_of_birth is not None and cand.date_of_birth is not None
        # A day and month swapped (02/03 typed as 03/02) is a common slip.
        swapped = both_born and _day_month_swapped(child.date_of_birth, cand.date_of_birth)
        if both_born and child.date_of_birth != cand.date_of_birth and not swapped:
            # Ruled out before the (slow) name comparison: most candidates a common first
            # name brings up end here (ingesting on 100,000 concerns, bench_casework.py).
            continue
        names = [cand.name, *[n for n in cand.other_names.split(";") if n.strip()]]
        similarity = max(_name_similarity(child.name, n) for n in names)
        if both_born and child.date_of_birth != cand.date_of_birth:
            if similarity < 0.9:
                continue
            found.append(
                Suggestion(
                    cand.child_id, similarity * 0.8, "same name, day and month swapped", False
                )
            )
            continue
        if both_born:
            if similarity == 1.0:
                found.append(Suggestion(cand.child_id, 1.0, "same name and date of birth", True))
            elif similarity >= 0.7:
                found.append(
                    Suggestion(
                        cand.child_id,
                        0.6 + 0.4 * similarity * 0.9,
                        "similar name, same date of birth",
                        False,
                    )
                )
            elif surname_key(child.name) and surname_key(child.name) == surname_key(cand.name):
                found.append(
                    Suggestion(
                        cand.child_id, 0.6, "same surname and date of birth (a sibling?)", False
                    )
                )
            continue
        # One side has no date of birth: the name alone, weighed down.
        if similarity >= 0.85:
            age_ok = _ages_compatible(child, cand)
            if age_ok is False:
                continue
            score = similarity * (0.85 if age_ok else 0.75)
            reason = "same name" if similarity == 1.0 else "similar name"
            found.append(
                Suggestion(cand.child_id, score, reason + ", no date of birth to compare", False)
            )
    found = [s for s in found if s.score >= SUGGEST_AT]
    found.sort(key=lambda s: (-s.score, s.child_id))
    return found[:limit]


def _day_month_swapped(a: date | None, b: date | None) -> bool:
    return (
        a is not None
        and b is not None
        and a.year == b.year
        and a.day == b.month
        and a.month == b.day
    )


def _ages_compatible(child: ConcernChild, cand: MatchCandidate) -> bool | None:
    """None when nothing can be compared; else whether the ages could be the same child."""
    today = date.today()

    def age(born: date | None, approx: int | None) -> int | None:
        if born is not None:
            return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return approx

    a = age(child.date_of_birth, child.approximate_age)
    b = age(cand.date_of_birth, cand.approximate_age)
    if a is None or b is None:
        return None
    return abs(a - b) <= 2


def age_on(born: date, on: date) -> int:
    """Whole years between ``born`` and ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
