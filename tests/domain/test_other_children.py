"""Other children in a referral's narrative: initials, and a capital where a sentence starts."""

from __future__ import annotations

from safeguard_desktop.domain.other_children import initials, masked


def test_another_child_is_shown_by_initials_with_a_capital_at_a_sentence_start() -> None:
    assert initials("Finn  Brook-Hale") == "F.B.H."
    text = "Finn Brook was calm. Then Finn said he hides.\nfinn brook cried. Ella is fine."
    assert masked(text, ["Finn Brook"], "Ella Brook") == (
        "Another child (F.B.) was calm. Then another child (F.B.) said he hides.\n"
        "Another child (F.B.) cried. Ella is fine."
    )
    # The referred child's own first name is never hidden, even when another child shares it.
    assert masked("Ella and Ella Hart played.", ["Ella Hart"], "Ella Brook") == (
        "Ella and another child (E.H.) played."
    )
