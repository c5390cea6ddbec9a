"""What a social worker asks about the child beyond the concern: urgency, where they are now.

Every council's multi-agency referral form asks these; they belong to one child's
decision (domain/handoff.py checks them) and print on that child's referral.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Urgency(StrEnum):
    """How soon the agency should act, as every council's referral form asks."""

    IMMEDIATE = "immediate"
    SAME_DAY = "same_day"
    ROUTINE = "routine"

    @property
    def label(self) -> str:
        return {
            Urgency.IMMEDIATE: "Immediate: the child may be at risk now",
            Urgency.SAME_DAY: "Today",
            Urgency.ROUTINE: "Routine",
        }[self]


@dataclass(frozen=True)
class PersonCausingHarm:
    """The person the DSL believes may be causing the harm, as far as is known."""

    name: str
    relationship: str = ""
    lives_with_child: bool | None = None  # None: not known
    contact_with_other_children: str = ""


@dataclass(frozen=True)
class ChildSituation:
    """What a social worker asks about this child beyond the concern itself."""

    urgency: Urgency | None = None
    child_views: str = ""  # the child's own views and wishes
    child_now: str = ""  # where the child is now, and whether they are safe tonight
    keep_from_family: str = ""  # what must not be shared with the family
    person_causing_harm: PersonCausingHarm | None = None
    referrer_relationship: str = ""  # the referrer's relationship to the child
    parents_views: str = ""  # the parents' or carers' views of the referral, when told of it
