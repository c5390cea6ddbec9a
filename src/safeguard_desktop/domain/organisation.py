"""Organisation types, roles and the words each organisation uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .errors import BadInput


class OrgType(StrEnum):
    SCHOOL = "school"
    CLUB = "club"
    OTHER = "other"

    @property
    def lead_title(self) -> str:
        """What this kind of organisation calls its safeguarding lead."""
        return {
            OrgType.SCHOOL: "Designated Safeguarding Lead",
            OrgType.CLUB: "Welfare Officer",
            OrgType.OTHER: "Designated Safeguarding Lead",
        }[self]

    @property
    def lead_short(self) -> str:
        return {
            OrgType.SCHOOL: "DSL",
            OrgType.CLUB: "Welfare Officer",
            OrgType.OTHER: "DSL",
        }[self]

    @property
    def label(self) -> str:
        return {
            OrgType.SCHOOL: "School",
            OrgType.CLUB: "Sports club",
            OrgType.OTHER: "Youth group, charity or other",
        }[self]


class Role(StrEnum):
    RECORDER = "recorder"
    DSL = "dsl"
    ADMIN = "admin"

    @property
    def holds_database_key(self) -> bool:
        """Recorders never hold the case database key."""
        return self is not Role.RECORDER

    def label(self, org_type: OrgType) -> str:
        return {
            Role.RECORDER: "Recorder",
            Role.DSL: org_type.lead_title,
            Role.ADMIN: "Administrator",
        }[self]


NSPCC_HELPLINE = "0808 800 5000"
EMERGENCY = "999"
POLICE_NON_EMERGENCY = "101"


@dataclass(frozen=True)
class LocalContacts:
    """Numbers a worried adult needs; the local ones are filled in at setup."""

    front_door: str = ""  # children's services front door / MASH
    out_of_hours: str = ""  # emergency duty team
    lado: str = ""  # Local Authority Designated Officer
    police_non_emergency: str = POLICE_NON_EMERGENCY
    emergency: str = EMERGENCY
    nspcc_helpline: str = NSPCC_HELPLINE
    notes: str = ""
    # The local Prevent team or Channel panel: a name, number or address, as the police
    # or council give it (Prevent duty guidance 2023); offered on the handoff's Prevent route.
    prevent: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "front_door": self.front_door,
            "out_of_hours": self.out_of_hours,
            "lado": self.lado,
            "police_non_emergency": self.police_non_emergency,
            "emergency": self.emergency,
            "nspcc_helpline": self.nspcc_helpline,
            "notes": self.notes,
            "prevent": self.prevent,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LocalContacts:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: str(v) for k, v in data.items() if k in known and v is not None}
        return cls(**values)


@dataclass(frozen=True)
class Organisation:
    name: str
    org_type: OrgType
    allow_guests: bool = False
    contacts: LocalContacts = field(default_factory=LocalContacts)


PHONE_FIELDS = (
    "front_door",
    "out_of_hours",
    "lado",
    "police_non_emergency",
    "emergency",
    "nspcc_helpline",
)
PHONE_MAX_LENGTH = 60
NOTES_MAX_LENGTH = 2000
PREVENT_MAX_LENGTH = 200
_PHONE_WORDS = {
    "front_door": "children's services front door number",
    "out_of_hours": "out-of-hours team number",
    "lado": "LADO's number",
    "police_non_emergency": "police non-emergency number",
    "emergency": "emergency number",
    "nspcc_helpline": "NSPCC helpline number",
}


def validate_contacts(contacts: LocalContacts) -> LocalContacts:
    """Check every number and the notes; raises BadInput naming the first wrong field.

    A number is digits with the usual separators (spaces, + ( ) - . /) and may end in
    a few words such as "ext 2" or "option 3"; 3 to 15 digits, as phone numbers have.
    The local ones may be left empty until known; 999 and 101 may not.
    """
    for name in PHONE_FIELDS:
        value: str = getattr(contacts, name)
        words = _PHONE_WORDS[name]
        if not value.strip():
            if name in ("emergency", "police_non_emergency", "nspcc_helpline"):
                raise BadInput(f"Please fill in the {words}.", field=name)
            continue
        digits = sum(ch.isdigit() for ch in value)
        allowed = all(ch.isdigit() or ch in " +()-./" or ch.isalpha() for ch in value)
        if (
            len(value) > PHONE_MAX_LENGTH
            or not allowed
            or not 3 <= digits <= 15
            or not (value.strip()[0].isdigit() or value.strip()[0] in "+(")
        ):
            raise BadInput(
                f"The {words} does not look like a phone number: use digits, spaces and "
                "+ ( ) -, up to 15 digits.",
                field=name,
            )
    if len(contacts.prevent) > PREVENT_MAX_LENGTH or "\n" in contacts.prevent:
        raise BadInput(
            f"The Prevent contact is one line of up to {PREVENT_MAX_LENGTH} characters.",
            field="prevent",
        )
    if len(contacts.notes) > NOTES_MAX_LENGTH:
        raise BadInput(
            f"The notes on contacts are longer than {NOTES_MAX_LENGTH:,} characters.",
            field="notes",
        )
    return contacts
