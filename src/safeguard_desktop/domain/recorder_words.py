"""Who recorded a concern, in the words a referral prints them.

A concern is recorded by someone with an account (their role is the account's) or by a
guest, who typed a name and a role and has no account. A social worker reading the
referral should know which: a guest is said to be one, with the role they gave, never
"a member of staff or volunteer", which a guest may not be. Someone who recorded on one of
the organisation's recording stations also typed their name and role; the station, named
as the lead named it, is what vouches for them, and the words say so.
"""

from __future__ import annotations

from collections.abc import Mapping

from .organisation import OrgType, Role


def recorder_words(submitter: Mapping[str, object], org_type: OrgType) -> str:
    """ "Rita Recorder (Recorder)", or "Gail Guest, parent helper (a guest, without an account)"."""
    name = str(submitter.get("name") or "").strip()
    role = str(submitter.get("role") or "").strip()
    station = str(submitter.get("station_name") or "").strip()
    if submitter.get("username") is None and station:
        about = f"{role}, " if role else ""
        return f"{name}, {about}on the organisation's recording station “{station}”"
    if submitter.get("username") is None:
        about = f"{role} (a guest, without an account)" if role else "a guest, without an account"
        return f"{name}, {about}"
    if role in Role._value2member_map_:
        role = Role(role).label(org_type)
    # else a role word from an older version: shown as it was stored
    return f"{name} ({role})" if role else name
