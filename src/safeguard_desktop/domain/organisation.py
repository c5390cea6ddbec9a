"""Organisation types, roles and the words each organisation uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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

    def to_json(self) -> dict[str, str]:
        return {
            "front_door": self.front_door,
            "out_of_hours": self.out_of_hours,
            "lado": self.lado,
            "police_non_emergency": self.police_non_emergency,
            "emergency": self.emergency,
            "nspcc_helpline": self.nspcc_helpline,
            "notes": self.notes,
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
