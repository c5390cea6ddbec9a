"""What a stored decision must hold before a referral made from it is signed.

One list of gaps, reported all at once, used by services/referral.py when a PDF is made
(from the wizard or the command line alike).
"""

from __future__ import annotations

from .handoff import (
    INTERIM_REASON_NEEDED,
    INTERIM_STEPS_NEEDED,
    PARENTS_VIEWS_NEEDED,
    Consent,
)
from .referral import InterimStep, ReferralKind


def referral_gaps(kind: ReferralKind, details: dict[str, object]) -> list[tuple[str, str]]:
    """What a stored decision lacks before a referral of ``kind`` may be signed.

    A decision recorded through :meth:`HandoffDecision.checked` has none; one carried
    over from an older version, or a record edited outside the app, may. Checked again
    when the PDF is made, so nothing is signed with "Not recorded" where a social
    worker or LADO needs an answer.
    """
    gaps: list[tuple[str, str]] = []
    if kind is ReferralKind.LADO:
        lado = details.get("lado")
        lado = lado if isinstance(lado, dict) else {}
        adult = lado.get("adult")
        adult = adult if isinstance(adult, dict) else {}
        if not str(adult.get("name") or "").strip():
            gaps.append(
                ("lado.adult.name", "Record the name of the adult the allegation is about.")
            )
        if not str(adult.get("role") or "").strip():
            gaps.append(("lado.adult.role", "Record the adult's role."))
        if not str(lado.get("allegation") or "").strip():
            gaps.append(("lado.allegation", "Record the allegation."))
        if not str(lado.get("raised_by") or "").strip():
            gaps.append(("lado.raised_by", "Record who raised the allegation."))
        if str(lado.get("interim_steps") or "") not in InterimStep._value2member_map_:
            gaps.append(("lado.interim_steps", INTERIM_STEPS_NEEDED))
        elif not str(lado.get("interim_reason") or "").strip():
            gaps.append(("lado.interim_reason", INTERIM_REASON_NEEDED))
        return gaps
    situation = details.get("situation")
    situation = situation if isinstance(situation, dict) else {}
    if kind in (ReferralKind.SOCIAL_CARE, ReferralKind.PREVENT) and not situation.get("urgency"):
        gaps.append(("urgency", "Choose how urgent this is: immediate, today or routine."))
    if kind is ReferralKind.SOCIAL_CARE and not str(situation.get("child_now") or "").strip():
        gaps.append(("child_now", "Say where the child is now and whether they are safe tonight."))
    sharing = details.get("information_sharing")
    if not isinstance(sharing, dict):
        return [
            *gaps,
            ("information_sharing.consent", "Record what was decided about consent and sharing."),
        ]
    consent = str(sharing.get("consent") or "")
    if consent not in Consent._value2member_map_:
        gaps.append(
            ("information_sharing.consent", "Say whether consent was sought, given or refused.")
        )
    elif consent != Consent.GIVEN and not str(sharing.get("consent_reason") or "").strip():
        gaps.append(
            (
                "information_sharing.consent_reason",
                "Say why consent was not sought, or what was said when it was refused.",
            )
        )
    if not str(sharing.get("lawful_basis") or "").strip():
        gaps.append(("information_sharing.lawful_basis", "Record the lawful basis for sharing."))
    told = sharing.get("parents_told")
    if not isinstance(told, bool):
        gaps.append(
            ("information_sharing.parents_told", "Say whether the parents or carers were told.")
        )
    elif not told and not str(sharing.get("parents_not_told_reason") or "").strip():
        gaps.append(
            (
                "information_sharing.parents_not_told_reason",
                "Say why the parents or carers were not told.",
            )
        )
    elif told and not str(situation.get("parents_views") or "").strip():
        gaps.append(("parents_views", PARENTS_VIEWS_NEEDED))
    return gaps
