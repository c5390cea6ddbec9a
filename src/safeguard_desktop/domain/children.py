"""Children's records: details, household, professionals, and finding the same child again.

A concern names a child as the recorder typed it ("Amelia Kowalska", born 2 March 2015).
The DSL keeps one record per child, and every concern about that child is linked to it,
so the chronology shows the whole picture. Linking is always the DSL's decision: the
program only suggests records that look like the same child, best first.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .errors import BadInput
from .text import MAX_TEXT_LENGTH, clean_name, clean_text, fold_letters

MAX_DETAIL = 1_000
# A pregnancy lasts about 40 weeks; an expected date further ahead than this is a slip.
LONGEST_PREGNANCY = timedelta(weeks=43)


class SendSupport(StrEnum):
    """Special educational needs, as the SEND Code of Practice names the levels."""

    NONE = "none"
    SEN_SUPPORT = "sen_support"
    EHC_PLAN = "ehc_plan"

    @property
    def label(self) -> str:
        return {
            SendSupport.NONE: "No special educational needs",
            SendSupport.SEN_SUPPORT: "SEN support",
            SendSupport.EHC_PLAN: "Education, health and care plan (EHCP)",
        }[self]


def nhs_number(value: object, field: str = "nhs_number") -> str:
    """An NHS number (CHI in Scotland, H&C in Northern Ireland) as "943 476 5919", or "".

    Ten digits, the last a modulus 11 check digit over the first nine (NHS Data
    Dictionary): a slip of one digit, or two swapped, is caught here rather than
    sending a social worker to the wrong health record. Spaces and hyphens are allowed.
    """
    text = clean_text(value, field, max_length=40, multiline=False, label="NHS number").strip()
    if not text:
        return ""
    digits = "".join(ch for ch in text if ch not in " -")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise BadInput("An NHS number is 10 digits, for example 943 476 5919.", field)
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        raise BadInput(
            "That NHS number's last digit does not match the others; please check it.", field
        )
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


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
    # What every council's referral form asks about the child (issue 20).
    religion: str = ""
    interpreter_needed: bool | None = None  # None: not known
    disability: bool | None = None  # None: not known
    send: SendSupport | None = None  # None: not known
    unborn: bool = False  # a pre-birth referral: the child is not born yet
    expected_on: date | None = None  # an unborn baby's expected date of delivery
    nhs_number: str = ""  # "943 476 5919"
    lives_with: str = ""  # who the child lives with, in the lead's words

    @classmethod
    def checked(cls, **values: object) -> ChildDetails:
        born = values.get("date_of_birth")
        if born is not None and not isinstance(born, date):
            raise BadInput("The date of birth must be a date.", "date_of_birth")
        if isinstance(born, date) and born > date.today():
            raise BadInput("The date of birth is in the future; please check it.", "date_of_birth")
        unborn = values.get("unborn", False)
        if not isinstance(unborn, bool):
            raise BadInput("Say whether the baby is not born yet: true or false.", "unborn")
        expected = values.get("expected_on")
        if expected is not None and not isinstance(expected, date):
            raise BadInput("The expected date must be a date.", "expected_on")
        if unborn and born is not None:
            raise BadInput(
                "A baby not born yet has no date of birth: give the expected date instead, "
                "or untick 'not born yet'.",
                "date_of_birth",
            )
        if unborn and values.get("approximate_age") is not None:
            raise BadInput("A baby not born yet has no age.", "approximate_age")
        if expected is not None and not unborn:
            raise BadInput(
                "An expected date is only for a baby not born yet; tick 'not born yet', or "
                "give the date of birth.",
                "expected_on",
            )
        if isinstance(expected, date) and expected > date.today() + LONGEST_PREGNANCY:
            raise BadInput(
                "The expected date is more than 43 weeks away; please check it.", "expected_on"
            )
        send = values.get("send")
        if send is not None and send not in SendSupport._value2member_map_:
            raise BadInput(
                "Choose the special educational needs: none, SEN support or an EHC plan.", "send"
            )
        flags: dict[str, bool | None] = {}
        for key, label in (
            ("interpreter_needed", "an interpreter is needed"),
            ("disability", "the child has a disability"),
        ):
            flag = values.get(key)
            if flag is not None and not isinstance(flag, bool):
                raise BadInput(f"Say whether {label}: yes, no or not known.", key)
            flags[key] = flag
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
            religion=line("religion", "Religion"),
            interpreter_needed=flags["interpreter_needed"],
            disability=flags["disability"],
            send=SendSupport(str(send)) if send is not None else None,
            unborn=unborn,
            expected_on=expected if isinstance(expected, date) else None,
            nhs_number=nhs_number(values.get("nhs_number", "")),
            lives_with=clean_text(
                values.get("lives_with", ""),
                "lives_with",
                max_length=MAX_DETAIL,
                label="Who the child lives with",
            ).strip(),
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


class ProfessionalKind(StrEnum):
    """The professionals every council's referral form asks for by name."""

    GP = "gp"
    SOCIAL_WORKER = "social_worker"


_GP_ROLES = frozenset({"gp", "general practitioner", "family doctor"})


def professional_kind(role: str) -> ProfessionalKind | None:
    """Whether a professional's role (as the lead typed it) is the child's GP or social worker."""
    words = name_key(role).replace("(", " ").replace(")", " ").replace(",", " ")
    if words.strip() in _GP_ROLES or "gp" in words.split():
        return ProfessionalKind.GP
    if "social worker" in " ".join(words.split()):
        return ProfessionalKind.SOCIAL_WORKER
    return None


def professional_line(professional: Professional) -> str:
    """One professional on one line: "Dr A. Example, Demo Surgery, 0100 000 0200"."""
    parts = (professional.name, professional.organisation, professional.contact)
    return ", ".join(part.strip() for part in parts if part.strip())


def key_professionals(
    professionals: Iterable[Professional],
) -> dict[ProfessionalKind, list[Professional]]:
    """The child's GP and social workers among their professionals, in the order added."""
    found: dict[ProfessionalKind, list[Professional]] = {kind: [] for kind in ProfessionalKind}
    for professional in professionals:
        kind = professional_kind(professional.role)
        if kind is not None:
            found[kind].append(professional)
    return found


def lives_with_words(details: ChildDetails, household: Sequence[HouseholdMember]) -> str:
    """Who the child lives with: the lead's own words, else the household members marked so.

    "" when neither says: the referral then prints "Not recorded", never a guess.
    """
    if details.lives_with.strip():
        return details.lives_with.strip()
    return "; ".join(
        f"{member.relationship} ({member.name})" for member in household if member.lives_with_child
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
