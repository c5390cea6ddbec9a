"""Checking and cleaning the text a person types, and making it safe to show.

Every piece of free text in a concern passes through :func:`clean_text` before it is
stored, and through :func:`display_safe` before it is shown on screen or printed.
Cleaning changes nothing: a child's own words and a child's name are evidence, so
they are kept exactly as typed, with the same code points and line endings (a name
typed with combining accents stays so; CR LF stays CR LF). What cannot be stored
safely is refused with a sentence naming the field, never echoing the text itself
(it may be the very record we must not leak). Where the program compares text (the
search index, matching a child's name to a record) it normalises its own copy at
that moment: domain/children.py's ``name_key`` and storage/concern_search.py.
"""

from __future__ import annotations

import re

from safeguard_desktop.domain.errors import BadInput

MAX_TEXT_LENGTH = 100_000
MAX_NAME_LENGTH = 200

# Human labels for the fields of a concern, keyed by JSON path with list indices
# removed ("children[2].name" -> "children.name"). The UI shows the same words, so a
# message from the command line and a message in the form point at the same thing.
FIELD_LABELS: dict[str, str] = {
    "children": "Children",
    "children.name": "Child's name",
    "children.date_of_birth": "Date of birth",
    "children.approximate_age": "Approximate age",
    "children.group": "Group, class or team",
    "children.additional_needs": "Known additional needs",
    "occurred_at": "When it happened",
    "location": "Where it happened",
    "categories": "Categories",
    "observed": "What you saw and heard",
    "child_words": "The child's own words",
    "presentation": "How the child seemed",
    "others_present": "Who else was there",
    "actions_taken": "What you did",
    "immediate_danger": "Is a child in immediate danger",
    "told_dsl_in_person": "Already told the safeguarding lead in person",
    "body_map": "Body map",
    "body_map.view": "Body map side",
    "body_map.x": "Body map mark, across (x)",
    "body_map.y": "Body map mark, down (y)",
    "body_map.note": "Body map mark notes",
}

# What one item of each list is called, for "(child 2)" and "(mark 1)".
_ITEM_NOUNS: dict[str, str] = {"children": "child", "body_map": "mark", "categories": "category"}

_INDEX = re.compile(r"\[(\d+)\]")

# C0 controls except tab (U+0009) and the line breaks (LF U+000A, CR U+000D), DEL and
# the C1 block, plus lone surrogates: JSON can smuggle "\ud800" in, and it cannot be
# encoded as UTF-8, so it would fail later, far from the field that caused it.
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# A one-line field also refuses Unicode's own line and paragraph separators, which many
# readers (a JSON-lines consumer's splitlines, a text editor) take as line ends.
_CONTROL_SINGLE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def field_label(field: str) -> str:
    """The words a person knows a field by, e.g. "Child's name (child 2)"."""
    key = _INDEX.sub("", field)
    label = FIELD_LABELS.get(key, key.replace("_", " ").replace(".", " ").strip() or "text")
    first = _INDEX.search(field)
    if first is not None:
        owner = field[: first.start()]
        noun = _ITEM_NOUNS.get(owner, "item")
        label = f"{label} ({noun} {int(first.group(1)) + 1})"
    return label


def clean_text(
    value: object,
    field: str,
    *,
    max_length: int = MAX_TEXT_LENGTH,
    multiline: bool = True,
    required: bool = False,
    label: str | None = None,
) -> str:
    """Return ``value`` unchanged when it may be stored, or raise :class:`BadInput`.

    ``field`` is the JSON path ("children[0].name"); it becomes ``BadInput.field``.
    ``label`` overrides the words used in the message (default: :func:`field_label`).
    The text is kept as typed: no Unicode normalisation, no line-ending conversion.
    Its length counts a Windows line break (CR LF) as one character, as it is one
    break on screen: text pasted from Windows is not penalised for its line endings.
    """
    shown = label if label is not None else field_label(field)
    if not isinstance(value, str):
        raise BadInput(f"The field '{shown}' must be text.", field=field)
    control = _CONTROL_MULTILINE if multiline else _CONTROL_SINGLE_LINE
    found = control.search(value)
    if found is not None:
        if not multiline and found.group() in "\r\n\x85\u2028\u2029":
            raise BadInput(
                f"The field '{shown}' must be on one line; please remove the line breaks.",
                field=field,
            )
        raise BadInput(
            f"The field '{shown}' contains a control character that cannot be stored; "
            "please retype it.",
            field=field,
        )
    if len(value) - value.count("\r\n") > max_length:
        raise BadInput(
            f"The field '{shown}' is longer than {max_length:,} characters; please shorten it.",
            field=field,
        )
    if required and not value.strip():
        raise BadInput(f"The field '{shown}' is empty; please fill it in.", field=field)
    return value


def clean_name(
    value: object,
    field: str,
    *,
    max_length: int = MAX_NAME_LENGTH,
    label: str | None = None,
) -> str:
    """A person's name: one line, 1 to ``max_length`` characters after trimming.

    Only the spaces around a name are trimmed (a pasted name often carries them);
    the name itself is kept as typed, in any script.
    """
    text = clean_text(
        value, field, max_length=max_length, multiline=False, required=True, label=label
    ).strip()
    if "\t" in text:
        shown = label if label is not None else field_label(field)
        raise BadInput(
            f"The field '{shown}' contains a tab; please use a space instead.", field=field
        )
    return text


# Bidirectional formatting characters. Someone can type (or paste) "Ann\u202eeci\u202c"
# and have it displayed as "Annice": the right-to-left override reverses what follows.
# The same trick can swap digits in a date, or make one child's name look like another.
#
# Decision, and why:
# * Embeddings, overrides, isolates and their terminators (U+202A-U+202E, U+2066-U+2069)
#   are replaced by a visible U+FFFD. They are the characters that actually reorder
#   text; a reader (a DSL, a social worker reading the referral) should be able to see
#   that the typed text held something odd, rather than silently getting a different
#   string. Genuine Arabic, Hebrew or Urdu text needs none of them: the Unicode bidi
#   algorithm lays out right-to-left letters correctly on its own.
# * Marks (LRM U+200E, RLM U+200F, ALM U+061C) are removed. They are invisible and
#   common in text pasted from right-to-left documents, so a marker would litter
#   genuine names; but they can still move digits and punctuation around them
#   ("\u200f12 34\u200f" in a left-to-right line shows as "34 12"), so they cannot stay.
# The stored text keeps every character: this is applied only on the way out, and so
# is turning a CR LF or a lone CR into the one line break screens and PDFs understand.
_BIDI_REMOVE = "\u200e\u200f\u061c"
_BIDI_REPLACE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
REPLACEMENT = "\ufffd"
_DISPLAY_TABLE = str.maketrans(
    {**{c: None for c in _BIDI_REMOVE}, **{c: REPLACEMENT for c in _BIDI_REPLACE}}
)


# In JSON printed for a terminal or a script, the same characters are escaped instead
# ("\u202e"): the data stays exactly as stored (a JSON reader gets the character back),
# and a terminal showing the line cannot be made to reorder it. They only ever occur
# inside JSON strings, where the escape is valid.
# With the line and paragraph separators: one record, one line, whoever splits the lines.
_JSON_BIDI_TABLE = str.maketrans(
    {c: f"\\u{ord(c):04x}" for c in _BIDI_REMOVE + _BIDI_REPLACE + "\u2028\u2029"}
)


def json_bidi_escaped(json_text: str) -> str:
    """JSON text with every bidi formatting character written as a \\uXXXX escape."""
    return json_text.translate(_JSON_BIDI_TABLE)


_NEWLINE = re.compile(r"\r\n?")


def display_safe(text: str) -> str:
    """``text`` for screens and PDFs: bidi controls neutralised, each line break a "\\n"."""
    return _NEWLINE.sub("\n", text.translate(_DISPLAY_TABLE))


_WHITESPACE_RUN = re.compile(r"\s+")


def single_line(text: str) -> str:
    """``text`` on one line: each run of whitespace (line breaks, tabs) becomes a space.

    For places with room for one line only, such as a list row or a PDF table cell
    heading; the stored text keeps its line breaks.
    """
    return _WHITESPACE_RUN.sub(" ", text).strip()


# Letters that Unicode does not decompose into a base letter and an accent, so neither
# NFKD nor SQLite's unicode61 tokenizer folds them: without this, someone typing
# "Zazolc" on an English keyboard would never find "Zażółć".
_LETTER_FOLDS = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
        "ı": "i", "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T", "ß": "ss", "æ": "ae", "Æ": "AE",
        "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
    }
)  # fmt: skip


def fold_letters(text: str) -> str:
    """``text`` with the letters accent-folding misses spelt in plain Latin (ł -> l, ß -> ss)."""
    return text.translate(_LETTER_FOLDS)
