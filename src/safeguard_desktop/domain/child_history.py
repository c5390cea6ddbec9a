"""The history of a child's record: each change to their details, household and professionals.

A child's address, who they live with, their school and their GP change, and a social
worker reading a chronology needs to know what was true when each concern was recorded
(Working Together 2023: a chronology is read against the child's circumstances at the
time). So a change never overwrites without trace: the value before, the value after,
when and by whom are kept (storage/children_records.py), and the child's page lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .children import SendSupport

# What each kept field is called on the child's page; a field not named here is shown by
# its key (a field added by a later version, read by an earlier one).
FIELD_LABELS = {
    "name": "Name",
    "date_of_birth": "Date of birth",
    "approximate_age": "Approximate age",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "language": "First language",
    "address": "Address",
    "group": "School, class, club or team",
    "additional_needs": "Additional needs",
    "other_names": "Other names used",
    "religion": "Religion",
    "nhs_number": "NHS number",
    "lives_with": "Who the child lives with",
    "interpreter_needed": "Interpreter needed",
    "disability": "Disability",
    "send": "Special educational needs",
    "unborn": "Not born yet",
    "expected_on": "Expected date of birth",
    "household": "Household, parents and carers",
    "professional": "Professionals (GP, school, social worker…)",
}


PERSON_FIELDS = frozenset({"household", "professional"})


@dataclass(frozen=True)
class HistoryRecord:
    """One change: ``previous`` None means added, ``current`` None means removed."""

    history_id: int
    child_id: int
    field: str
    previous: object
    current: object
    changed_at: str  # UTC, ISO 8601
    changed_by: str

    @property
    def is_person(self) -> bool:
        """A household member or professional (None before means added, after removed);
        for a detail, None is a value: not known."""
        return self.field in PERSON_FIELDS

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def before_words(self) -> str:
        return value_words(self.previous)

    @property
    def after_words(self) -> str:
        return value_words(self.current)


def value_words(value: object) -> str:
    """A kept value as a line: a person as "name (relationship)", a flag as yes or no."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        name = str(value.get("name") or "")
        about = str(value.get("relationship") or value.get("role") or "")
        where = str(value.get("organisation") or "")
        words = f"{name} ({about})" if about else name
        return f"{words}, {where}" if where else words
    if isinstance(value, str) and value in SendSupport._value2member_map_:
        return SendSupport(value).label
    return " ".join(str(value).split())
