"""A child's whole file as a reader follows it, record by record (:class:`Item`): what a
subject access response reviews and a transfer to a new school carries.

Every record the file holds is here: the child's details, household, professionals and
statuses, each concern as submitted with its corrections, actions, decisions, referrals
and follow-ups, the files attached (listed), and what earlier schools or clubs
transferred (each marked with where it came from and when).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..domain.casework import ActionKind
from ..domain.categories import category, is_category
from ..domain.chronology_timing import when_words
from ..domain.date_words import long_date
from ..storage import attachment_records, transfer_records
from . import casework, children
from .session import CaseSession


@dataclass(frozen=True)
class Item:
    """One record of the child's file as the review lists it."""

    key: str  # "concern:C-7K3M-Q9TX", "action:12"...
    section: str
    heading: str
    lines: tuple[str, ...]
    concern: str = ""  # the concern it belongs to (its corrections, actions, decisions...)
    occurred: str = ""  # when it happened or was done (ISO), for a chronology; "" when not dated


# The child's file, item by item -----------------------------------------------------------

_DETAILS = "About the child"
_FAMILY = "Family and household"
_PROFESSIONALS = "Professionals working with the child"
_CONCERNS = "Concerns recorded"
_CASEWORK = "What was done"
_FILES = "Files kept with the records"
_TRANSFERRED = "Records transferred from earlier schools or clubs"
SECTIONS = (_DETAILS, _FAMILY, _PROFESSIONALS, _CONCERNS, _CASEWORK, _FILES, _TRANSFERRED)
FILES = _FILES


def child_items(lead: CaseSession, child_id: int) -> list[Item]:
    """Every record of the child's file, in the order a reader follows them."""
    file = children.child_file(lead, child_id, audit=False)
    details = file.record.details
    items = [
        Item(
            "details",
            _DETAILS,
            details.name,
            _lines(
                ("Date of birth", long_date(details.date_of_birth)),
                ("Age given", str(details.approximate_age or "")),
                ("Other names", details.other_names),
                ("Gender", details.gender),
                ("Ethnicity", details.ethnicity),
                ("First language", details.language),
                ("Address", details.address),
                ("School, class, club or team", details.group),
                ("Additional needs", details.additional_needs),
            ),
        )
    ]
    for person in file.household:
        member = person.member
        items.append(
            Item(
                f"household:{person.member_id}",
                _FAMILY,
                f"{member.name} ({member.relationship})",
                _lines(
                    ("Date of birth", long_date(member.date_of_birth)),
                    ("Contact", member.contact),
                    ("Notes", member.notes),
                ),
            )
        )
    for pro in file.professionals:
        p = pro.professional
        items.append(
            Item(
                f"professional:{pro.professional_id}",
                _PROFESSIONALS,
                f"{p.name}, {p.role}",
                _lines(("Organisation", p.organisation), ("Contact", p.contact)),
            )
        )
    for status in file.statuses:
        items.append(
            Item(
                f"status:{status.status_id}",
                _DETAILS,
                f"{status.kind.label} from {long_date(status.status.started_on)}",
                _lines(("Ended", long_date(status.ended_on))),
            )
        )
    seen_actions: set[int] = set()
    for summary in sorted(file.concerns, key=lambda s: s.ref):
        concern_file = casework.concern_file(lead, summary.ref, audit=False, suggestions=False)
        items += _concern_items(concern_file, seen_actions)
    for attachment in attachment_records.for_child(lead.conn, child_id):
        items.append(
            Item(
                f"attachment:{attachment.attachment_id}",
                _FILES,
                f"{attachment.file_name} ({attachment.kind.label})",
                _lines(
                    ("Added", when_words(attachment.added_at)),
                    ("What it is", attachment.description),
                    ("Fingerprint (SHA-256)", attachment.sha256),
                ),
                concern=attachment.concern_ref or "",
                occurred=attachment.added_at,
            )
        )
    items += transferred_items(lead, child_id)
    return items


def transferred_items(lead: CaseSession, child_id: int) -> list[Item]:
    """What earlier schools or clubs sent, each marked with where it came from and when."""
    out = []
    for received in transfer_records.received_for_child(lead.conn, child_id):
        mark = f"transferred from {received.from_organisation} on {long_date(received.sent_on)}"
        for stored in transfer_records.items(lead.conn, received.received_id):
            out.append(
                Item(
                    f"transferred:{stored.item_id}",
                    _TRANSFERRED,
                    f"{stored.heading} ({mark})",
                    stored.lines,
                    occurred=stored.occurred,
                )
            )
    return out


def _concern_items(file: casework.ConcernFile, seen_actions: set[int]) -> list[Item]:
    stored = file.concern
    body = stored.recorded
    cats = ", ".join(category(c).label for c in body.categories if is_category(c))
    items = [
        Item(
            f"concern:{stored.ref}",
            _CONCERNS,
            f"Concern {stored.ref}: {when_words(body.occurred_at.isoformat())}",
            _lines(
                ("Recorded by", str(stored.submitter.get("name") or "")),
                ("Where", body.location),
                ("About", cats),
                ("What was seen or heard", body.observed),
                ("The child's own words", body.child_words),
                ("How the child seemed", body.presentation),
                ("Others present", body.others_present),
                ("What was done then", body.actions_taken),
                *((f"Mark on the body map ({m.view})", m.note or "no note") for m in body.body_map),
            ),
            occurred=body.occurred_at.isoformat(),
        )
    ]
    for amendment in file.amendments:
        items.append(
            Item(
                f"amendment:{amendment.amendment_id}",
                _CONCERNS,
                f"Correction to concern {stored.ref}, {when_words(amendment.amended_at)}",
                _lines(
                    (amendment.field.replace("_", " ").capitalize(), amendment.new_value),
                    ("Reason", amendment.reason),
                ),
                occurred=amendment.amended_at,
            )
        )
    for action in file.actions:
        if action.action_id in seen_actions:
            continue
        seen_actions.add(action.action_id)
        items.append(
            Item(
                f"action:{action.action_id}",
                _CASEWORK,
                f"{ActionKind(action.kind).label}, {when_words(action.occurred_at)}",
                _lines(
                    ("Who", action.who),
                    ("What happened", action.details),
                    ("Outcome", action.outcome),
                ),
                occurred=action.occurred_at,
            )
        )
    for decision in file.decisions:
        items.append(
            Item(
                f"decision:{decision.decision_id}",
                _CASEWORK,
                f"Decision on concern {stored.ref}, {when_words(decision.decided_at)}",
                _lines(("Decided by", decision.decided_by_name), ("Why", decision.reason)),
                occurred=decision.decided_at,
            )
        )
    for ref in file.referrals:
        content = ref.content
        items.append(
            Item(
                f"referral:{ref.ref}",
                _CASEWORK,
                f"{ref.kind.label} referral {ref.ref}"
                + (f", sent {when_words(ref.sent_at)}" if ref.sent_at else " (not sent)"),
                _lines(
                    ("Summary", content.summary),
                    ("Risks", content.risks),
                    ("Needs", content.needs),
                    ("Strengths", content.strengths),
                    ("Asking for", content.asking_for),
                ),
                occurred=ref.sent_at or "",
            )
        )
    for follow_up in file.follow_ups:
        items.append(
            Item(
                f"follow_up:{follow_up.follow_up_id}",
                _CASEWORK,
                f"Follow-up due {long_date(follow_up.due_on)}",
                _lines(
                    ("What", follow_up.what),
                    ("Done", when_words(follow_up.done_at or "")),
                    ("Note", follow_up.done_note or ""),
                ),
                occurred=follow_up.done_at or "",
            )
        )
    return [replace(item, concern=stored.ref) for item in items]


def _lines(*pairs: tuple[str, str]) -> tuple[str, ...]:
    return tuple(f"{label}: {value}" for label, value in pairs if value and value.strip())
