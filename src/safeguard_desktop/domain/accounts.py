"""Rules for user names, display names and passwords."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import BadInput, NotPermitted
from .organisation import Role

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD = {Role.RECORDER: 8, Role.DSL: 10, Role.ADMIN: 10}
MAX_PASSWORD = 1024


def validate_username(username: str, field: str = "user name") -> str:
    value = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(value):
        raise BadInput(
            "A user name has 2 to 32 characters: lower-case letters, digits, dots, "
            "dashes or underscores, starting with a letter or digit.",
            field=field,
        )
    return value


def validate_display_name(name: str, field: str = "full name") -> str:
    """A person's full name as kept: as typed, only the spaces around it trimmed."""
    value = name.strip()
    if not value:
        raise BadInput("Please type the person's full name.", field=field)
    if len(value) > 200:
        raise BadInput("A full name can be at most 200 characters.", field=field)
    # Refused, not tidied: a tab or line break inside a name would be changed on the way
    # to a PDF, and a name is kept exactly as it was given. Lone surrogates cannot be saved.
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or 0xD800 <= ord(ch) < 0xE000 for ch in value):
        raise BadInput(
            "The full name contains a tab, a line break or another control character; "
            "please retype it.",
            field=field,
        )
    return value


def validate_password(password: str, role: Role, field: str = "password") -> None:
    minimum = MIN_PASSWORD[role]
    if len(password) < minimum:
        raise BadInput(
            f"The password must be at least {minimum} characters long; "
            "a short phrase of several words is easiest to remember.",
            field=field,
        )
    if len(password) > MAX_PASSWORD:
        raise BadInput(f"The password can be at most {MAX_PASSWORD} characters.", field=field)
    if "\x00" in password or "\n" in password or "\r" in password:
        raise BadInput("The password cannot contain line breaks.", field=field)


# What a suspended account is told when it signs in or tries to record. Nothing about
# why: the person may not know of the allegation (KCSIE: do not tell the adult first).
# A worry about a child must still reach someone, so it says how.
SUSPENDED = (
    "This account is suspended, so it cannot sign in or record a concern. If you are "
    "worried about a child, tell a safeguarding lead in person now, or call the NSPCC "
    "helpline on 0808 800 5000."
)


@dataclass(frozen=True)
class AccountState:
    """What the suspension rules need to know of an account."""

    username: str
    display_name: str
    role: Role
    suspended: bool


def check_can_suspend(
    target: AccountState, actor_username: str, accounts: Iterable[AccountState]
) -> None:
    """Raise NotPermitted, in one sentence, when ``target`` must not be suspended.

    An account is suspended while an allegation about its holder is looked into (KCSIE
    Part 4: an interim step). The records must stay in someone's hands meanwhile: the
    only safeguarding lead or the only administrator still able to sign in is not
    suspended (another is added first), and nobody suspends the account they are using.
    """
    if target.suspended:
        raise NotPermitted(f"The account {target.username} is already suspended.")
    if target.username.casefold() == actor_username.casefold():
        raise NotPermitted(
            "You cannot suspend the account you are signed in with; ask another "
            "safeguarding lead or an administrator."
        )
    others = [
        a
        for a in accounts
        if not a.suspended and a.username.casefold() != target.username.casefold()
    ]
    if target.role is Role.DSL and not any(a.role is Role.DSL for a in others):
        raise NotPermitted(
            f"{target.display_name} is the only safeguarding lead still able to sign in. "
            "Add another lead's account first (People), then suspend this one, so "
            "someone can still read and act on concerns."
        )
    if target.role is Role.ADMIN and not any(a.role is Role.ADMIN for a in others):
        raise NotPermitted(
            f"{target.display_name} is the only administrator still able to sign in. "
            "Add another administrator first (People), or no one could manage accounts "
            "or reinstate this one."
        )


# Crockford's base32 alphabet: no I, L, O or U, so a reference read over the
# phone is not mistaken.
_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str = "C") -> str:
    """A random reference such as ``C-7K3M-Q9TX`` (40 bits)."""
    chars = "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


def new_id() -> str:
    return secrets.token_hex(8)
