"""The lawful basis a referral cites for sharing without consent, by kind of organisation.

Sources (checked December 2026):

* UK GDPR Article 6(1)(e), public task: a maintained school, academy or college shares
  safeguarding information as part of its statutory duties (Education Act 2002 s.175
  and s.157; Keeping Children Safe in Education 2025, Part 1 and "Information sharing").
* UK GDPR Article 6(1)(f), legitimate interests, or 6(1)(d), vital interests (the latter
  where a life is at risk): a club, charity or youth group has no public task; the ICO's
  "A 10 step guide to sharing information to safeguard children" (2023) names these.
* Special category data (health, sex life, ethnicity ...): UK GDPR Article 9(2)(g)
  (substantial public interest) with the Data Protection Act 2018, Schedule 1 Part 2
  paragraph 18, "Safeguarding of children and of individuals at risk", which allows
  processing without consent where consent cannot reasonably be obtained, or would
  prejudice the protection of the child.

DPA 2018 Schedule 8 is not cited: it is the conditions for law-enforcement processing
(Part 3 of the Act), which a school or club does not do.
"""

from __future__ import annotations

from .organisation import OrgType

_SPECIAL_CATEGORY = (
    "For special category information, UK GDPR Article 9(2)(g) with the Data Protection "
    "Act 2018, Schedule 1 Part 2 paragraph 18 (safeguarding of children and of "
    "individuals at risk) allows sharing without consent where seeking it could put the "
    "child at risk or it cannot reasonably be obtained."
)

_SCHOOL = (
    "Safeguarding a child comes first. UK GDPR Article 6(1)(e) (public task: the "
    "school's statutory safeguarding duty) allows information to be shared without "
    "consent where that is needed to protect a child. " + _SPECIAL_CATEGORY
)

_NOT_A_PUBLIC_BODY = (
    "Safeguarding a child comes first. UK GDPR Article 6(1)(f) (legitimate interests: "
    "protecting a child from harm), or 6(1)(d) (vital interests) where a child's life or "
    "safety is at immediate risk, allows information to be shared without consent where "
    "that is needed to protect a child. " + _SPECIAL_CATEGORY
)


def lawful_basis_for(org_type: OrgType) -> str:
    """The wording a referral from this kind of organisation cites, unless the DSL edits it."""
    return _SCHOOL if org_type is OrgType.SCHOOL else _NOT_A_PUBLIC_BODY
