"""What a referral says, as seven text boxes: the handoff wizard and the referral dialog share them.

One table of the boxes, in the order the PDF prints them, each with its caption (and
its mnemonic, free in both places), the name a screen reader hears, and the line under
it for the sentence the domain gives about it. What was last shown is remembered, so
only what the lead changed is saved back.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout

from safeguard_desktop.domain.referral import ReferralContent
from safeguard_desktop.domain.text import display_safe

from ..theme import MessageLine
from ..widgets.form_fields import text_box
from ..widgets.wizard_page import bring_into_view


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReferralContentFields", text)


# (key in ReferralContent, caption with its mnemonic, accessible name, lines tall).
# The mnemonics avoid the wizard's Next and Back and the dialog's own buttons and fields.
CONTENT_FIELDS = (
    ("summary", "S&ummary of the concern", "Summary of the concern", 6),
    ("child_words", "The child's own &words", "The child's own words", 3),
    ("risks", "&Risks to the child", "Risks to the child", 3),
    ("needs", "The child's n&eeds", "The child's needs", 3),
    ("strengths", "S&trengths and protective factors", "Strengths and protective factors", 3),
    ("immediate_actions", "&Actions already taken", "Actions already taken", 3),
    ("asking_for", "What you are as&king for", "What you are asking for", 3),
)


class ReferralContentFields:
    """The seven boxes, each added to ``layout`` as caption, box and error line.

    ``fixed``: the boxes keep their height and long text scrolls inside them (a dialog);
    otherwise they may grow with the page (a wizard page).
    """

    def __init__(self, layout: QVBoxLayout, *, fixed: bool) -> None:
        self.editors: dict[str, QPlainTextEdit] = {}
        self.errors: dict[str, MessageLine] = {}
        self._shown: dict[str, str] = {}
        for key, caption_text, name, lines in CONTENT_FIELDS:
            editor = text_box(_tr(name), lines, fixed=fixed)
            caption = QLabel(_tr(caption_text))
            caption.setBuddy(editor)
            caption.setWordWrap(True)
            error = MessageLine(_tr("Problem with: {what}").format(what=_tr(name)))
            # A sentence about what was typed goes as soon as it is changed.
            editor.textChanged.connect(error.clear_message)
            layout.addWidget(caption)
            layout.addWidget(editor)
            layout.addWidget(error)
            self.editors[key] = editor
            self.errors[key] = error

    def show(self, content: ReferralContent) -> None:
        """Show ``content`` and remember it as shown.

        Through display_safe: a bidi control in stored text must not reorder what the
        lead reads. A box left as shown is never saved back.
        """
        self._shown = {key: display_safe(value) for key, value in content.to_json().items()}
        for key, editor in self.editors.items():
            editor.setPlainText(self._shown.get(key, ""))

    def typed(self) -> dict[str, str]:
        return {key: editor.toPlainText() for key, editor in self.editors.items()}

    def content(self) -> ReferralContent:
        """What the boxes say now (checked by the domain when it is saved)."""
        return ReferralContent(**self.typed())

    def changed(self) -> ReferralContent | None:
        """What the boxes say, or None when it is what was last shown or saved."""
        typed = self.typed()
        return None if typed == self._shown else ReferralContent(**typed)

    def mark_saved(self) -> None:
        """What the boxes say now is what is stored."""
        self._shown = self.typed()

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.editors.values():
            editor.setReadOnly(read_only)

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear_message()

    def show_error(self, field: str | None, sentence: str) -> bool:
        """The sentence under the box ``field`` names ("referral.risks"), scrolled into
        view; False when it names none of them."""
        key = (field or "").removeprefix("referral.")
        if key not in self.errors:
            return False
        self.errors[key].show_error(sentence)
        self.editors[key].setFocus()
        bring_into_view(self.errors[key])
        return True
