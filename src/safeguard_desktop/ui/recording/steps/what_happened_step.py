"""The step asking what happened: when, where, and what the recorder saw and heard.

What was seen and heard is checked as it is typed for opinion and speculation (the
domain's table, ``factual_language``): each phrase is underlined, as a spelling checker
would, and a line under the box says in words what was noticed and why, so nobody needs
to see the underline to know. It is advice only and never stops the form.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QLineEdit

from safeguard_desktop.domain.concern import MAX_LOCATION_LENGTH
from safeguard_desktop.domain.factual_language import OpinionMatch, find_opinions
from safeguard_desktop.domain.organisation import Organisation
from safeguard_desktop.domain.text import display_safe

from ...theme import hint
from ...translations import plural
from ...widgets.form_fields import GrowingTextBox
from ...widgets.when_field import WhenField
from .step_page import FormPage, labelled

# At most this many phrases are named in the line under the box; the rest are counted.
_NAMED = 4


def _utf16(text: str, index: int) -> int:
    """A Python string index as the UTF-16 position Qt counts in (emoji take two)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _has_astral(text: str) -> bool:
    return any(ord(char) > 0xFFFF for char in text)


class FactualHighlighter(QSyntaxHighlighter):
    """A wavy underline under opinion and speculation, as a spelling checker would."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.opinion_format = QTextCharFormat()
        self.opinion_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.opinion_format.setUnderlineColor(QColor("#c46a00"))

    def highlightBlock(self, text: str) -> None:
        astral = _has_astral(text)
        for match in find_opinions(text):
            start, end = match.start, match.end
            if astral:
                start, end = _utf16(text, start), _utf16(text, end)
            self.setFormat(start, end - start, self.opinion_format)


def opinion_hint_at(text: str, position: int) -> tuple[str, str] | None:
    """(phrase as typed, hint) for the phrase at the cursor ``position`` (UTF-16), if any."""
    astral = _has_astral(text)
    for match in find_opinions(text):
        start, end = match.start, match.end
        if astral:
            start, end = _utf16(text, start), _utf16(text, end)
        if start <= position <= end:
            return text[match.start : match.end], match.hint
    return None


def opinion_advice(text: str, lead: str) -> str:
    """In words, what the checker noticed in ``text`` and why: one line per phrase (the
    first few), the same hint said once for phrases that share it."""
    found: list[OpinionMatch] = find_opinions(text)
    if not found:
        return QCoreApplication.translate(
            "FactsAdvice",
            "Nothing here reads as opinion or guesswork. Record what you saw and heard; "
            "leave conclusions to the {lead}.",
        ).format(lead=lead)
    by_hint: dict[str, list[str]] = {}
    for match in found:
        shown = display_safe(text[match.start : match.end])
        phrases = by_hint.setdefault(match.hint, [])
        if shown.casefold() not in (p.casefold() for p in phrases):
            phrases.append(shown)
    lines = [
        plural(
            "Noticed %n phrase(s) that may be opinion or guesswork rather than what you saw "
            "or heard (underlined in the box). You can keep them; this is advice, not a rule:",
            len(found),
        )
    ]
    named = 0
    for advice, phrases in by_hint.items():
        if named >= _NAMED:
            break
        quoted = ", ".join(f"\u201c{p}\u201d" for p in phrases[:3])
        said = QCoreApplication.translate("FactualLanguage", advice).replace(
            "the DSL", QCoreApplication.translate("FactsAdvice", "the {lead}").format(lead=lead)
        )
        lines.append(f"\u2022 {quoted}: {said}")
        named += 1
    if len(by_hint) > named:
        lines.append(plural("…and %n more kind(s) of phrase.", len(by_hint) - named))
    return "\n".join(lines)


class WhatHappenedPage(FormPage):
    def __init__(self, org: Organisation) -> None:
        super().__init__()
        # The labels say when, where and what was seen; the hint under the box says how.
        self.set_title(self.tr("What happened"))
        self._lead = org.org_type.lead_title
        layout = self.body_layout
        self.occurred_at = WhenField(self.tr("When it happened"))
        self.field_errors["occurred_at"] = labelled(
            layout,
            self.tr("&When did it happen?"),
            self.occurred_at,
            self.tr("Problem with when it happened"),
            self.tr("If you are not sure, when you noticed it."),
        )
        self.location = QLineEdit()
        self.location.setMaxLength(MAX_LOCATION_LENGTH)
        self.location.setAccessibleName(self.tr("Where it happened"))
        self.field_errors["location"] = labelled(
            layout,
            self.tr("Whe&re did it happen?"),
            self.location,
            self.tr("Problem with where it happened"),
            self.tr("For example: the changing room at the main pitch."),
        )
        self.observed = GrowingTextBox(self.tr("What you saw and heard"), min_lines=8, max_lines=14)
        self.highlighter = FactualHighlighter(self.observed.document())
        self._observed_hint = self.tr(
            "What you saw, what you heard and who said what, plainly and in the order it happened."
        )
        self.field_errors["observed"] = labelled(
            layout,
            self.tr("What you &saw and heard"),
            self.observed,
            self.tr("Problem with what you saw and heard"),
            self._observed_hint,
        )
        self.advice = hint()
        self.advice.setAccessibleName(self.tr("Advice on wording"))
        layout.addWidget(self.advice)
        self.field_widgets.update(
            occurred_at=self.occurred_at, location=self.location, observed=self.observed
        )
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.observed.textChanged.connect(self._update_advice)
        self._update_advice()

    def _update_advice(self) -> None:
        text = opinion_advice(self.observed.toPlainText(), self._lead)
        self.advice.setText(text)
        self.advice.setAccessibleDescription(text)
        # Read with the box: a screen reader in the box hears its hint, then what was
        # noticed.
        self.observed.setAccessibleDescription(
            f"{self._observed_hint}\n{text}" if text else self._observed_hint
        )
