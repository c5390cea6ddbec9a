"""The step for what was seen and heard, with opinion and speculation underlined as typed."""

from __future__ import annotations

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from safeguard_desktop.domain.factual_language import find_opinions
from safeguard_desktop.domain.organisation import Organisation
from safeguard_desktop.domain.text import display_safe

from ...theme import hint, paragraph
from ...widgets.form_fields import text_box
from .step_page import FormPage, labelled


def _utf16(text: str, index: int) -> int:
    """A Python string index as the UTF-16 position Qt counts in (emoji take two)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _has_astral(text: str) -> bool:
    return any(ord(char) > 0xFFFF for char in text)


class FactualHighlighter(QSyntaxHighlighter):
    """A wavy underline under opinion and speculation, as a spelling checker would."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.format = QTextCharFormat()
        self.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.format.setUnderlineColor(QColor("#c46a00"))

    def highlightBlock(self, text: str) -> None:
        astral = _has_astral(text)
        for match in find_opinions(text):
            start, end = match.start, match.end
            if astral:
                start, end = _utf16(text, start), _utf16(text, end)
            self.setFormat(start, end - start, self.format)


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


class FactsPage(FormPage):
    def __init__(self, org: Organisation) -> None:
        super().__init__()
        self.set_title(self.tr("What you saw and heard"))
        self._lead = org.org_type.lead_title
        layout = self.body_layout
        layout.addWidget(
            paragraph(
                self.tr(
                    "Write down what happened, in order, as plainly as you can: what you saw, "
                    "what you heard and who said what."
                )
            )
        )
        self.observed = text_box(self.tr("What you saw and heard"), 9)
        self.highlighter = FactualHighlighter(self.observed.document())
        self.field_errors["observed"] = labelled(
            layout,
            self.tr("What you &saw and heard"),
            self.observed,
            self.tr("Problem with what you saw and heard"),
        )
        self.field_widgets["observed"] = self.observed
        self.advice = hint()
        self.advice.setAccessibleName(self.tr("Advice on wording"))
        layout.addWidget(self.advice)
        layout.addWidget(self.page_error)
        layout.addStretch(1)
        self.observed.cursorPositionChanged.connect(self._update_advice)
        self.observed.textChanged.connect(self._update_advice)
        self._update_advice()

    def _update_advice(self) -> None:
        base = self.tr("Record what you saw and heard; leave conclusions to the {lead}.").format(
            lead=self._lead
        )
        found = opinion_hint_at(self.observed.toPlainText(), self.observed.textCursor().position())
        if found is None:
            self.advice.setText(base)
        else:
            phrase, advice = found
            advice = advice.replace("the DSL", self.tr("the {lead}").format(lead=self._lead))
            self.advice.setText(
                self.tr("{base} \u201c{phrase}\u201d: {advice}").format(
                    base=base, phrase=display_safe(phrase), advice=advice
                )
            )
        self.advice.setAccessibleDescription(self.advice.text())
