"""The kinds of concern a recorder can tick, with one line of guidance each.

Kept as data so the form, the command line, the DSL's inbox and the referral PDF all
use the same ids and words. The ids are part of the command-line contract
(docs/concern.schema.json) and are stored in sealed concerns: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguard_desktop.domain.errors import BadInput


@dataclass(frozen=True)
class Category:
    """One kind of concern.

    ``lado``: concerns an adult who works or volunteers with children, so the DSL
    must consider the Local Authority Designated Officer, and the adult concerned
    must not be told.
    ``prevent``: the DSL must consider a Prevent referral.
    ``fgm_reporting_duty``: teachers and health and social care workers in England and
    Wales must report known FGM in a girl under 18 to the police themselves.
    """

    id: str
    label: str
    guidance: str
    lado: bool = False
    prevent: bool = False
    fgm_reporting_duty: bool = False


CATEGORIES: tuple[Category, ...] = (
    Category(
        "physical_abuse",
        "Physical abuse",
        "Marks or injuries that may have been caused on purpose, or an explanation "
        "that does not fit the injury.",
    ),
    Category(
        "emotional_abuse",
        "Emotional abuse",
        "A child made to feel frightened, worthless or unloved, again and again, "
        "by what is said or done to them.",
    ),
    Category(
        "sexual_abuse",
        "Sexual abuse",
        "Any sexual touching, activity or talk involving a child, in person or online.",
    ),
    Category(
        "neglect",
        "Neglect",
        "Basic needs not met: food, clothing, warmth, hygiene, medical care, "
        "supervision or safety.",
    ),
    Category(
        "child_on_child",
        "Child-on-child abuse",
        "Harm done by another child: bullying, violence, sexual harassment or sharing images.",
    ),
    Category(
        "online_harm",
        "Online harm",
        "Harm through phones, games or the internet: grooming, threats, harmful "
        "content or nude images.",
    ),
    Category(
        "child_sexual_exploitation",
        "Child sexual exploitation",
        "A child given gifts, money, drugs, attention or a place to stay in return "
        "for sexual activity.",
    ),
    Category(
        "child_criminal_exploitation",
        "Child criminal exploitation / county lines",
        "A child made to carry drugs or money, steal or commit other crimes for "
        "others, often far from home.",
    ),
    Category(
        "domestic_abuse",
        "Domestic abuse",
        "Violence, threats or controlling behaviour at home that the child sees, "
        "hears or lives with.",
    ),
    Category(
        "fgm",
        "Female genital mutilation (FGM)",
        "Cutting or injury to a girl's genitals for no medical reason, or talk of a "
        "trip or ceremony to have it done.",
        fgm_reporting_duty=True,
    ),
    Category(
        "radicalisation",
        "Radicalisation (Prevent)",
        "A child being drawn towards extremist ideas that support violence or terrorism.",
        prevent=True,
    ),
    Category(
        "self_harm_mental_health",
        "Self-harm or mental health",
        "A child hurting themselves, talking about suicide, or in serious distress.",
    ),
    Category(
        "allegation_against_adult",
        "Allegation about an adult who works with children (LADO)",
        "An adult who works or volunteers with children may have harmed a child or "
        "may pose a risk; do not tell that adult.",
        lado=True,
    ),
    Category(
        "other",
        "Other",
        "Anything else that worries you about a child's safety or welfare.",
    ),
)

_BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}
CATEGORY_IDS: tuple[str, ...] = tuple(c.id for c in CATEGORIES)


def category(category_id: str) -> Category:
    """The category with this id; :class:`BadInput` if there is none."""
    found = _BY_ID.get(category_id)
    if found is None:
        raise BadInput(
            "A category is not one of the known kinds of concern; please choose from the list.",
            field="categories",
        )
    return found


def is_category(category_id: object) -> bool:
    """Whether ``category_id`` names a known category."""
    return isinstance(category_id, str) and category_id in _BY_ID
