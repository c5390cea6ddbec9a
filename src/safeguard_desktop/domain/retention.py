"""How long a child's file is kept, what stops it being deleted, and what deleting it takes.

Nothing is deleted automatically. Each child's file has a retention review date; when it
falls due, a lead reviews the file and either keeps it (a later date, with the reason)
or deletes it. A legal hold (a police investigation, a public inquiry, a claim) stops
deletion whatever the date says.

The periods, and why:

* **Schools**: the child's date of birth plus 25 years. The IRMS Information Management
  Toolkit for Schools sets this for child protection files (the file a school keeps,
  or the copy it kept after transferring one, is reviewed when the child is 25).
* **Clubs and other organisations**: no statutory period applies, so the administrator
  chooses one: by default 6 years after the last entry in the file (what sports
  governing bodies commonly use, matching the six years of the Limitation Act 1980).
  A file where a lead decided to refer to children's social care, the LADO or Prevent,
  or to report to the police, is a serious matter and is kept until the child is 25 as
  well, whichever is later (whether the app saved the referral's PDF or it was phoned
  through or typed into a council's web form).
* **Date of birth not known**: estimated from the age given, counted from the last entry
  (the age may have been given then); with no age either, 25 years after the last entry
  (so nothing is reviewed early for want of a date).
* **Set by a lead**: any date, with the reason (say the family asked for the file to be
  kept, or a sibling's case still runs). A lead cannot set a date in the past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .date_words import long_date
from .errors import BadInput
from .organisation import OrgType
from .text import clean_text

SCHOOL_AGE = 25  # IRMS toolkit: date of birth + 25 years for child protection files
DEFAULT_YEARS_AFTER_LAST = 6
MIN_YEARS_AFTER_LAST = 1
MAX_YEARS_AFTER_LAST = 100
MAX_REASON = 1_000


class Basis(StrEnum):
    """What a review date was worked out from (kept in the tombstone; never text)."""

    BIRTH_PLUS_25 = "birth_plus_25"
    ESTIMATED_BIRTH_PLUS_25 = "estimated_birth_plus_25"
    AFTER_LAST_ENTRY = "after_last_entry"
    SERIOUS_UNTIL_25 = "serious_until_25"
    SET_BY_LEAD = "set_by_lead"


@dataclass(frozen=True)
class RetentionFacts:
    """What a child's review date is worked out from, as the records hold it."""

    child_id: int
    date_of_birth: date | None
    approximate_age: int | None
    first_entry: date | None  # the day the earliest thing in the file was written
    last_entry: date | None  # ... and the latest
    serious: bool  # a referral or report was decided (social care, police, LADO, Prevent)
    set_on: date | None = None  # a lead's own review date...
    set_reason: str = ""  # ...and why
    set_by: str = ""
    hold_reason: str | None = None  # a legal hold in force, and why
    hold_by: str = ""
    hold_since: str = ""


@dataclass(frozen=True)
class Retention:
    """A child's review date, how it was reached, and whether the file can be deleted."""

    child_id: int
    review_on: date
    basis: Basis
    facts: RetentionFacts

    def due(self, today: date) -> bool:
        return self.review_on <= today

    @property
    def held(self) -> bool:
        return self.facts.hold_reason is not None

    def basis_words(self) -> str:
        """Why this date, in one sentence a lead can check."""
        match self.basis:
            case Basis.BIRTH_PLUS_25:
                return (
                    "When the child is 25 (the IRMS toolkit's period for child protection files)."
                )
            case Basis.ESTIMATED_BIRTH_PLUS_25:
                return (
                    "When the child is about 25, from the age given at the first entry (the "
                    "date of birth is not known)."
                )
            case Basis.SERIOUS_UNTIL_25:
                return (
                    "When the child is 25: a referral was made, so the file is kept as a "
                    "serious matter."
                )
            case Basis.SET_BY_LEAD:
                return f"Set by {self.facts.set_by or 'a lead'}: {self.facts.set_reason}"
            case _:
                return "After the organisation's retention period, counted from the last entry."

    def blocked_because(self, today: date, *, with_reason: bool = True) -> str | None:
        """Why the file cannot be deleted today, in one sentence; None when it can.

        ``with_reason=False`` leaves out the hold's reason, which the lead typed: for a
        refusal raised as an error, whose words may reach a log or a terminal.
        """
        if self.held:
            reason = f" ({self.facts.hold_reason})" if with_reason else ""
            see = "" if with_reason else " (its reason is on the child's Keeping this file tab)"
            return (
                f"This child's file is under a legal hold{reason}{see}, so it cannot be "
                "deleted. Lift the hold first if it no longer applies."
            )
        if not self.due(today):
            return (
                f"This child's file is kept until its retention review on "
                f"{long_date(self.review_on)}; it cannot be deleted before then."
            )
        return None


def review_date(
    facts: RetentionFacts, org_type: OrgType, years_after_last: int = DEFAULT_YEARS_AFTER_LAST
) -> Retention:
    """The child's retention review date under this organisation's rules."""
    if facts.set_on is not None:
        return Retention(facts.child_id, facts.set_on, Basis.SET_BY_LEAD, facts)
    until_25 = _twenty_fifth_birthday(facts)
    if org_type is OrgType.SCHOOL:
        if until_25 is not None:
            return Retention(facts.child_id, until_25[0], until_25[1], facts)
        return Retention(
            facts.child_id, _after_last(facts, SCHOOL_AGE), Basis.AFTER_LAST_ENTRY, facts
        )
    after_last = _after_last(facts, years_after_last)
    if facts.serious:
        # Until the child is 25; with no birth date or age to count from, 25 years after
        # the last entry, which is never earlier.
        until = until_25[0] if until_25 is not None else _after_last(facts, SCHOOL_AGE)
        if until > after_last:
            return Retention(facts.child_id, until, Basis.SERIOUS_UNTIL_25, facts)
    return Retention(facts.child_id, after_last, Basis.AFTER_LAST_ENTRY, facts)


def _twenty_fifth_birthday(facts: RetentionFacts) -> tuple[date, Basis] | None:
    if facts.date_of_birth is not None:
        return _years_after(facts.date_of_birth, SCHOOL_AGE), Basis.BIRTH_PLUS_25
    latest = facts.last_entry or facts.first_entry
    if facts.approximate_age is not None and latest is not None:
        # The age may have been given at any entry, so it is counted from the last one:
        # born at the latest day it allows, the file is never reviewed early.
        born = _years_after(latest, -facts.approximate_age)
        return _years_after(born, SCHOOL_AGE), Basis.ESTIMATED_BIRTH_PLUS_25
    return None


def _after_last(facts: RetentionFacts, years: int) -> date:
    last = facts.last_entry or facts.first_entry or date.today()
    return _years_after(last, years)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none: the day after, never before
        return date(day.year + years, 3, 1)


def checked_reason(text: str, field: str = "reason") -> str:
    """A lead's reason (for a date they set, or a legal hold): required, any script."""
    return clean_text(text, field, max_length=MAX_REASON, required=True, label="Reason").strip()


def checked_review_on(day: date, today: date, rule: date | None = None) -> date:
    """A lead's own review date: it may keep a file longer than the rule says (``rule``,
    the date the organisation's rule gives), never shorter (a file reviewed early is one
    reviewed before the guidance allows)."""
    if day < today:
        raise BadInput(
            "A review date a lead sets cannot be in the past; choose today or a later day.",
            "review_on",
        )
    if rule is not None and day < rule:
        raise BadInput(
            f"The rule keeps this file until {long_date(rule)}; a lead can keep it longer, "
            "not shorter. Choose that day or a later one.",
            "review_on",
        )
    return day


def checked_years_after_last(years: int) -> int:
    if isinstance(years, bool) or not MIN_YEARS_AFTER_LAST <= years <= MAX_YEARS_AFTER_LAST:
        raise BadInput(
            f"The retention period must be between {MIN_YEARS_AFTER_LAST} and "
            f"{MAX_YEARS_AFTER_LAST} years after the last entry.",
            "years",
        )
    return years


@dataclass(frozen=True)
class DeletionPlan:
    """What deleting a child's file removes, counted before anything is removed."""

    child_id: int
    concerns_deleted: tuple[str, ...]  # references of concerns about this child alone
    concerns_kept: tuple[str, ...]  # naming other children too: kept, unlinked from this child
    referrals: tuple[str, ...]  # this child's, deleted
    actions: int
    decisions: int
    follow_ups: int
    attachments: int
    household: int
    professionals: int
    statuses: int
    # Transfers: the record of the file sent to a new school, files received from earlier
    # ones and the records they held (a deleted file is never taken in again).
    transfers_sent: int = 0
    transfers_received: int = 0
    transferred_records: int = 0
    kept_aside_copies: int = 0  # sealed copies of its concerns among the items not accepted
    # Referrals an earlier version made for a whole concern that names other children too:
    # kept for them as they were sent, and so still naming this child.
    whole_concern_referrals: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "concerns": len(self.concerns_deleted),
            "concerns_kept_for_other_children": len(self.concerns_kept),
            "referrals": len(self.referrals),
            "actions": self.actions,
            "decisions": self.decisions,
            "follow_ups": self.follow_ups,
            "attachments": self.attachments,
            "household_members": self.household,
            "professionals": self.professionals,
            "statuses": self.statuses,
            "transfers_sent": self.transfers_sent,
            "transfers_received": self.transfers_received,
            "transferred_records": self.transferred_records,
            "kept_aside_copies": self.kept_aside_copies,
            "whole_concern_referrals_kept": self.whole_concern_referrals,
        }
