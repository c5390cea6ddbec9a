"""Cleaning typed text for storage, and neutralising bidi spoofing for display."""

from __future__ import annotations

import itertools
import unicodedata
from typing import cast

import pytest

from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.text import (
    MAX_TEXT_LENGTH,
    REPLACEMENT,
    clean_name,
    clean_text,
    display_safe,
    field_label,
    single_line,
)

SAMPLES = [
    "Zażółć gęślą jaźń",
    "محمد",
    "王小明",
    "👧🏽 said “no” twice",
    "Siobhán Ní Bhriain",
    "Zoë O'Neil-Ünal",
]

# Every bidirectional formatting character the display must neutralise.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_MARKS = "\u200e\u200f\u061c"


@pytest.mark.parametrize("sample", SAMPLES)
def test_any_script_is_kept_exactly(sample: str) -> None:
    assert clean_text(sample, "observed") == sample
    assert clean_name(sample, "children[0].name") == sample


def test_text_is_kept_verbatim_apart_from_line_endings() -> None:
    typed = '  She said:\t"he hurt me"  \n\n  twice.  '
    assert clean_text(typed, "child_words") == typed


def test_line_endings_are_kept_as_typed() -> None:
    # Issue 21: CR LF and a lone CR were turned into LF; a record keeps what was given.
    typed = "one\r\ntwo\rthree\nfour"
    assert clean_text(typed, "observed") == typed


def test_line_endings_are_shown_as_line_breaks() -> None:
    # Only on the way out (screens, PDFs) does every break become the one they understand.
    assert display_safe("one\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour"


@pytest.mark.parametrize(
    "typed",
    [
        "Zo\u0065\u0308 Ne\u0301meth",  # e + combining diaeresis, e + combining acute
        "\uf900\uf901",  # CJK compatibility ideographs (NFC maps them to others)
        "\u1112\u1161\u11ab",  # Hangul jamo (NFC recombines them into one syllable)
    ],
    ids=["combining_accents", "cjk_compatibility", "hangul_jamo"],
)
def test_text_is_not_normalised(typed: str) -> None:
    # Issue 21: a name typed with combining accents went in 18 characters, came out 14.
    assert not unicodedata.is_normalized("NFC", typed)
    assert clean_text(typed, "children[0].name") == typed
    assert clean_name(typed, "children[0].name") == typed


def test_non_text_is_refused_naming_the_field() -> None:
    with pytest.raises(BadInput) as caught:
        clean_text(42, "observed")
    assert caught.value.field == "observed"
    assert str(caught.value) == "The field 'What you saw and heard' must be text."


def test_nul_is_refused_with_a_plain_sentence_that_does_not_echo_the_text() -> None:
    with pytest.raises(BadInput) as caught:
        clean_text("Private words\x00here", "observed")
    assert caught.value.field == "observed"
    assert str(caught.value) == (
        "The field 'What you saw and heard' contains a control character that cannot "
        "be stored; please retype it."
    )
    assert "Private" not in str(caught.value)


CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + [
    chr(c) for c in range(0x7F, 0xA0)
]


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_every_c0_and_c1_control_is_refused(control: str) -> None:
    with pytest.raises(BadInput, match="control character") as caught:
        clean_text(f"a{control}b", "presentation")
    assert caught.value.field == "presentation"


@pytest.mark.parametrize("surrogate", ["\ud800", "\udfff", "x\udc00y"])
def test_lone_surrogates_are_refused(surrogate: str) -> None:
    # json.loads('"\\ud800"') produces one; it could never be written as UTF-8.
    with pytest.raises(BadInput, match="control character"):
        clean_text(surrogate, "observed")


def test_tab_and_line_breaks_are_allowed_in_multiline_text() -> None:
    assert clean_text("a\tb\nc\r\nd\re", "observed") == "a\tb\nc\r\nd\re"


@pytest.mark.parametrize("typed", ["a\nb", "a\r\nb", "a\rb", "a\u2028b", "a\u2029b", "a\x85b"])
def test_single_line_fields_refuse_line_breaks(typed: str) -> None:
    with pytest.raises(BadInput) as caught:
        clean_text(typed, "location", multiline=False)
    assert caught.value.field == "location"
    assert str(caught.value) == (
        "The field 'Where it happened' must be on one line; please remove the line breaks."
    )


def test_a_hundred_thousand_characters_are_accepted_and_one_more_is_not() -> None:
    assert MAX_TEXT_LENGTH == 100_000
    longest = "ż" * 100_000
    assert clean_text(longest, "observed") == longest
    with pytest.raises(BadInput) as caught:
        clean_text(longest + "a", "observed")
    assert caught.value.field == "observed"
    assert str(caught.value) == (
        "The field 'What you saw and heard' is longer than 100,000 characters; please shorten it."
    )


def test_a_windows_line_break_counts_as_one_character() -> None:
    pasted = "a\r\n" * 40_000  # 120,000 code points, 80,000 characters as shown
    assert clean_text(pasted, "observed") == pasted
    with pytest.raises(BadInput, match="longer than 100,000"):
        clean_text("a\r\n" * 50_000 + "a", "observed")


def test_emoji_count_as_code_points() -> None:
    # "👧🏽" is two code points; 50,000 of them are 100,000 characters.
    assert clean_text("👧🏽" * 50_000, "observed")
    with pytest.raises(BadInput):
        clean_text("👧🏽" * 50_000 + "a", "observed")


def test_required_text_must_not_be_blank() -> None:
    assert clean_text("", "child_words") == ""
    for blank in ["", "   ", "\n\t\n"]:
        with pytest.raises(BadInput) as caught:
            clean_text(blank, "observed", required=True)
        assert caught.value.field == "observed"
        assert str(caught.value) == (
            "The field 'What you saw and heard' is empty; please fill it in."
        )


def test_field_labels_name_the_item_of_a_list() -> None:
    assert field_label("observed") == "What you saw and heard"
    assert field_label("children[1].name") == "Child's name (child 2)"
    assert field_label("body_map[0].note") == "Body map mark notes (mark 1)"
    assert field_label("guest_name") == "guest name"


def test_a_caller_can_give_its_own_label() -> None:
    with pytest.raises(BadInput) as caught:
        clean_name("", "guest_name", label="Your name")
    assert str(caught.value) == "The field 'Your name' is empty; please fill it in."
    assert caught.value.field == "guest_name"


def test_names_are_trimmed_and_limited_to_200_characters() -> None:
    assert clean_name("  Amelia Kowalska  ", "children[0].name") == "Amelia Kowalska"
    assert clean_name("x" * 200, "children[0].name") == "x" * 200
    with pytest.raises(BadInput, match="longer than 200 characters"):
        clean_name("x" * 201, "children[0].name")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("Amelia\nKowalska", "one line"),
        ("Amelia\tKowalska", "tab"),
        ("Amelia\x00", "control character"),
        (None, "must be text"),
    ],
)
def test_bad_names_are_refused(typed: object, reason: str) -> None:
    with pytest.raises(BadInput, match=reason) as caught:
        clean_name(typed, "children[0].name")
    assert caught.value.field == "children[0].name"
    assert "Child's name (child 1)" in str(caught.value)


def test_bidi_text_is_stored_as_typed() -> None:
    # Storage keeps the evidence; only showing it neutralises the controls.
    spoof = "Ann\u202eeci\u202c"
    assert clean_name(spoof, "children[0].name") == spoof


def test_display_safe_replaces_reordering_controls_and_removes_marks() -> None:
    assert display_safe("Ann\u202eeci\u202c") == f"Ann{REPLACEMENT}eci{REPLACEMENT}"
    assert display_safe("a \u200f12 34\u200f b") == "a 12 34 b"
    everything = "x" + "y".join(BIDI_CONTROLS + BIDI_MARKS) + "z"
    shown = display_safe(everything)
    assert not set(shown) & set(BIDI_CONTROLS + BIDI_MARKS)
    explicit = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
    assert not {unicodedata.bidirectional(c) for c in shown} & explicit
    assert shown.count(REPLACEMENT) == len(BIDI_CONTROLS)


@pytest.mark.parametrize("sample", SAMPLES)
def test_display_safe_leaves_ordinary_text_alone(sample: str) -> None:
    assert display_safe(sample) == sample


def _caret_positions(qapp: object, text: str) -> list[float]:
    """Where Qt draws the caret before each character, laid out in one line."""
    from PySide6.QtGui import QFont, QTextLayout

    layout = QTextLayout(text, QFont())
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(100_000)
    layout.endLayout()
    # PySide6 returns (x, cursor position) but its stubs say only "object".
    carets = [cast(tuple[float, int], line.cursorToX(i)) for i in range(len(text) + 1)]
    return [x for x, _ in carets]


@pytest.mark.parametrize(
    "spoof",
    [
        "Ann\u202eeci\u202c",  # right-to-left override: shows as "Annice"
        "Ann\u2067eci\u2069 Lee",  # right-to-left isolate
        "born \u200f2015 03\u200f",  # marks alone swap the digit groups
    ],
)
def test_display_safe_text_is_laid_out_in_typed_order(qapp: object, spoof: str) -> None:
    # Real bidi layout (Qt's, as the form and lists use): the spoof is drawn out of
    # order, the neutralised text strictly left to right.
    def in_typed_order(carets: list[float]) -> bool:
        return all(a < b for a, b in itertools.pairwise(carets))

    assert not in_typed_order(_caret_positions(qapp, spoof))
    assert in_typed_order(_caret_positions(qapp, display_safe(spoof)))


def test_single_line_joins_lines_and_tabs_with_spaces() -> None:
    assert (
        single_line("  first line\r\nsecond\t\tline\n\n third ") == "first line second line third"
    )
    assert single_line("王小明") == "王小明"
