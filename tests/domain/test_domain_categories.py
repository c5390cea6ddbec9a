"""The category table: the contract ids, their words and their flags."""

from __future__ import annotations

import dataclasses

import pytest

from safeguard_desktop.domain.categories import (
    CATEGORIES,
    CATEGORY_IDS,
    Category,
    category,
    is_category,
)
from safeguard_desktop.domain.errors import BadInput

# Copied from the command-line contract (shared/CLI.md): order and spelling are fixed.
CONTRACT_IDS = (
    "physical_abuse",
    "emotional_abuse",
    "sexual_abuse",
    "neglect",
    "child_on_child",
    "online_harm",
    "child_sexual_exploitation",
    "child_criminal_exploitation",
    "domestic_abuse",
    "fgm",
    "radicalisation",
    "self_harm_mental_health",
    "allegation_against_adult",
    "other",
)


def test_ids_are_the_contract_ids_in_order() -> None:
    assert CATEGORY_IDS == CONTRACT_IDS
    assert tuple(c.id for c in CATEGORIES) == CONTRACT_IDS


def test_labels_are_unique_and_guidance_is_one_short_line() -> None:
    assert len({c.label for c in CATEGORIES}) == len(CATEGORIES)
    for c in CATEGORIES:
        assert c.label and c.label[0].isupper()
        assert "\n" not in c.guidance
        assert 20 <= len(c.guidance) <= 130, c.id
        assert c.guidance.endswith("."), c.id


def test_labels_use_the_names_in_the_brief() -> None:
    labels = {c.id: c.label for c in CATEGORIES}
    assert labels["child_on_child"] == "Child-on-child abuse"
    assert labels["child_criminal_exploitation"] == "Child criminal exploitation / county lines"
    assert "Prevent" in labels["radicalisation"]
    assert "LADO" in labels["allegation_against_adult"]
    assert "FGM" in labels["fgm"]


def test_flags_sit_on_exactly_the_right_categories() -> None:
    assert [c.id for c in CATEGORIES if c.lado] == ["allegation_against_adult"]
    assert [c.id for c in CATEGORIES if c.prevent] == ["radicalisation"]
    assert [c.id for c in CATEGORIES if c.fgm_reporting_duty] == ["fgm"]


def test_category_looks_up_by_id() -> None:
    found = category("radicalisation")
    assert isinstance(found, Category)
    assert found.prevent
    assert category("other") is CATEGORIES[-1]


@pytest.mark.parametrize("unknown", ["", "physical", "Physical_Abuse", "other "])
def test_unknown_ids_are_refused(unknown: str) -> None:
    assert not is_category(unknown)
    with pytest.raises(BadInput) as caught:
        category(unknown)
    assert caught.value.field == "categories"
    assert str(caught.value).endswith("please choose from the list.")


def test_is_category_refuses_non_strings() -> None:
    assert not is_category(None)
    assert not is_category(3)
    assert is_category("neglect")


def test_categories_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CATEGORIES[0].label = "Changed"  # type: ignore[misc]
