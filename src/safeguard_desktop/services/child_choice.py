"""Which child of a concern a caller means, and how a message names them without a name.

A concern may name several children; a decision, a referral and what follows belong to
one of them, found here by position, child record id or name. Messages never name a
child: a child is "child 2 of 3 named in this concern".
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from ..domain.errors import BadInput
from ..domain.records import DecisionRecord

if TYPE_CHECKING:
    from .casework import ConcernFile, LinkChoice


def child_words(position: int, count: int) -> str:
    """How a message names a child without their name."""
    if count <= 1:
        return "the child in this concern"
    return f"child {position + 1} of {count} named in this concern"


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _names(choice: LinkChoice) -> set[str]:
    names = {_folded(choice.named.name)}
    if choice.linked is not None:
        names.add(_folded(choice.linked.name))
    return names - {""}


def choose_child(file: ConcernFile, wanted: str | int | None, field: str = "child") -> LinkChoice:
    """The child of ``file`` that ``wanted`` names: a child record's id, a name, or None.

    None is allowed only when the concern names one child. A name matches the name the
    recorder typed or the linked child's record, ignoring case and spacing.
    """
    children = file.children
    if not children:
        raise BadInput("This concern names no child.", field)
    if wanted is None or (isinstance(wanted, str) and not wanted.strip()):
        if len(children) == 1:
            return children[0]
        raise BadInput(
            f"This concern names {len(children)} children; say which child this is for "
            "(their name or child record id).",
            field,
        )
    text = str(wanted).strip()
    if text.isdigit():
        by_id = [c for c in children if c.linked is not None and c.linked.child_id == int(text)]
        if by_id:
            return by_id[0]
    by_name = [c for c in children if _folded(text) in _names(c)]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise BadInput(
            "Two children in this concern have that name; give the child record id instead.",
            field,
        )
    raise BadInput("No child of that name or id is named in this concern.", field)


def latest_decision(file: ConcernFile, position: int) -> DecisionRecord | None:
    """The newest decision recorded for the child at ``position`` of the concern."""
    mine = [d for d in file.decisions if d.child_position == position]
    return mine[-1] if mine else None
