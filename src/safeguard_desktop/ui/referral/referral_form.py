"""The referral dialog's form: which referral it is, what it says, how the agency reaches the lead.

A heading and the facts (reference, status, concern), the banner of a referral already
sent, the seven boxes of what it says (editable while it is a draft) with "Save
changes", and the lead's own contact line. The form remembers what it showed, so only
what the lead changed is saved, and it puts the domain's sentence under the field the
sentence is about. Making, showing and saving the PDF are the dialog's job
(referral_dialog.py), as is the password for emailing it.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.domain.records import ReferralRecord
from safeguard_desktop.domain.referral import ReferralContent, ReferralStatus
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services.referral_preview import ReferralOverview

from ..theme import MessageLine, banner, heading, hint
from ..widgets.wizard_page import bring_into_view
from .referral_content_fields import ReferralContentFields


def _local(moment: str | None) -> str:
    if not moment:
        return ""
    return long_date(local(datetime.fromisoformat(moment)))


class ReferralForm(QWidget):
    """Emits ``edited`` when the lead changes what the referral says or the contact line."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record: ReferralRecord | None = None
        self._shown_contact = ""
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.title = heading(self.tr("Referral"))
        layout.addWidget(self.title)
        self.facts = hint(self.tr("Opening…"))
        self.facts.setTextFormat(Qt.TextFormat.PlainText)  # its line break is kept
        self.facts.setAccessibleName(self.tr("About this referral"))
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts)
        self.sent_banner = banner("")
        self.sent_banner.hide()
        layout.addWidget(self.sent_banner)
        self.load_error = MessageLine(self.tr("Problem opening the referral"))
        layout.addWidget(self.load_error)

        layout.addSpacing(6)
        layout.addWidget(heading(self.tr("What the referral says"), level=2))
        self.content_hint = hint(
            self.tr(
                "Written from the concern when the decision was recorded. Check it and "
                "change anything that needs it before you make the PDF; your changes are "
                "kept with the referral."
            )
        )
        layout.addWidget(self.content_hint)
        self.content_fields = ReferralContentFields(layout, fixed=True)
        self.editors = self.content_fields.editors
        self.field_errors = self.content_fields.errors
        for editor in self.editors.values():
            editor.textChanged.connect(self._edited)

        self.save_changes_button = QPushButton(self.tr("Save &changes"))
        self.save_changes_button.setAccessibleName(self.tr("Save changes to the referral"))
        self.changes_message = MessageLine(self.tr("Result of saving the changes"))
        row = QHBoxLayout()
        row.addWidget(self.save_changes_button)
        row.addWidget(self.changes_message, 1)
        row.addStretch()  # keeps the button its own size while the message is hidden
        layout.addLayout(row)

        layout.addSpacing(6)
        layout.addWidget(heading(self.tr("How the agency can reach you"), level=2))
        self.contact = QLineEdit()
        self.contact.setAccessibleName(self.tr("Your phone and email"))
        self.contact.setMaxLength(500)
        self.contact.textChanged.connect(self._edited)
        contact_caption = QLabel(self.tr("Your &phone and email"))
        contact_caption.setBuddy(self.contact)
        layout.addWidget(contact_caption)
        layout.addWidget(self.contact)
        layout.addWidget(hint(self.tr("Printed on every referral you make; also in Settings.")))
        self.contact_error = MessageLine(self.tr("Problem with your contact details"))
        layout.addWidget(self.contact_error)

    # What is shown ----------------------------------------------------------------

    @property
    def record(self) -> ReferralRecord | None:
        return self._record

    def is_draft(self) -> bool:
        return self._record is not None and self._record.status is ReferralStatus.DRAFT

    def show_overview(self, overview: ReferralOverview) -> None:
        """The referral as stored: what it says, the lead's contact line, its state."""
        self._filling = True
        try:
            # Shown through display_safe, as the content is: only what is retyped is saved.
            self.content_fields.show(overview.record.content)
            self._shown_contact = display_safe(overview.referrer_contact)
            self.contact.setText(self._shown_contact)
        finally:
            self._filling = False
        self.show_record(overview.record)

    def show_record(self, record: ReferralRecord, *, just_sent: bool = False) -> None:
        """Which referral and where it stands; ``just_sent``: the dialog says it already."""
        self._record = record
        self.title.setText(record.kind.title)
        self.title.setAccessibleName(record.kind.title)
        self.facts.setText(
            # The concern on its own line: at 150 % text a reference mid-line was broken
            # in two at one of its hyphens.
            self.tr("Referral {ref} · {status}\nAbout concern {concern}").format(
                ref=record.ref, concern=record.concern_ref, status=self._status_words(record)
            )
        )
        sent = record.status is not ReferralStatus.DRAFT
        if sent and not just_sent:
            text = (
                self.tr(
                    "This referral was sent on {when}. What it says cannot change now. If "
                    "the agency asks for it again, or the file was lost, make a fresh signed "
                    "copy: it says the same, with today's date and signature."
                ).format(when=_local(record.sent_at))
                if record.sent_at
                # Answered without a signed PDF from here (given through a council's
                # portal, section by section): there is no sending date to name.
                else self.tr(
                    "The agency's answer to this referral is recorded, so what it says cannot "
                    "change now. No signed PDF of it was made here; you can make one."
                )
            )
            label = self.sent_banner.findChild(QLabel)
            if label is not None:
                label.setText(text)
                label.setAccessibleName(text)
        self.sent_banner.setVisible(sent and not just_sent)
        self.content_hint.setVisible(not sent)

    def _status_words(self, record: ReferralRecord) -> str:
        if record.status is ReferralStatus.DRAFT:
            return self.tr("Not sent yet")
        if record.status is ReferralStatus.SENT:
            return self.tr("Sent {when}, awaiting response").format(when=_local(record.sent_at))
        return self.tr("Response recorded")

    def show_load_error(self, sentence: str) -> None:
        self.facts.setText("")
        self.load_error.show_error(sentence)

    def set_editable(self, idle: bool) -> None:
        """What it says changes only in a draft, and nothing while the dialog is busy."""
        draft = self.is_draft()
        self.content_fields.set_read_only(not (idle and draft))
        self.save_changes_button.setVisible(draft)
        self.save_changes_button.setEnabled(idle and self.content_changed() is not None)
        self.contact.setReadOnly(not idle)

    # What was changed -------------------------------------------------------------

    def _edited(self) -> None:
        if not self._filling:
            self.edited.emit()

    def content_changed(self) -> ReferralContent | None:
        """The content as edited, or None when it is as shown (or not editable)."""
        return self.content_fields.changed() if self.is_draft() else None

    def contact_changed(self) -> str | None:
        typed = self.contact.text().strip()
        return None if typed == self._shown_contact else typed

    def has_unsaved_changes(self) -> bool:
        return self.content_changed() is not None or self.contact_changed() is not None

    def mark_saved(self, record: ReferralRecord) -> None:
        """The edits went in with a PDF just made: what is shown is now what is stored."""
        if self.is_draft():
            self.content_fields.mark_saved()
        self._shown_contact = self.contact.text().strip()
        self._record = record

    # Sentences --------------------------------------------------------------------

    def clear_messages(self) -> None:
        self.changes_message.clear_message()
        self.content_fields.clear_errors()
        self.contact_error.clear_message()

    def show_error(self, field: str | None, sentence: str) -> bool:
        """The sentence under the box or line ``field`` names; False when it names neither."""
        if self.content_fields.show_error(field, sentence):
            return True
        if field != "referrer_contact":
            return False
        self.contact_error.show_error(sentence)
        self.contact.setFocus()
        bring_into_view(self.contact_error)
        return True
