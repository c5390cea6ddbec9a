"""What the referral dialog needs beyond services/referral.py: one call each to open it,
to save the DSL's edits, and to make the signed PDF with pictures of its pages.

Each function runs on the UI's worker thread and does in one go what would otherwise
be several round trips. Pictures are drawn from the PDF in memory (pdf/preview.py):
nothing of a referral is written anywhere until the DSL saves it to a file they chose.
The types the dialog shows are re-exported, so the UI needs no other module.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import referral_sections
from ..domain.records import ReferralRecord
from ..domain.referral import ReferralContent
from ..pdf.encryption import MIN_PASSWORD_LENGTH
from ..pdf.preview import PagePixels, render_pages  # pypdfium2 is loaded at first use
from . import referral
from .changes import Changes

if TYPE_CHECKING:
    from .session import CaseSession

CertificateInfo = referral.CertificateInfo
ReferralPdf = referral.ReferralPdf
SectionText = referral_sections.SectionText

__all__ = [
    "PDF_PASSWORD_MIN",
    "CertificateInfo",
    "MadeReferral",
    "PagePixels",
    "ReferralOverview",
    "ReferralPdf",
    "SectionText",
    "SentReferral",
    "copy_section",
    "make_with_preview",
    "open_referral",
    "save_edits",
    "save_pdf",
]

# The shortest password the PDF's encryption accepts (checked again when it is made).
PDF_PASSWORD_MIN = MIN_PASSWORD_LENGTH


@dataclass(frozen=True)
class ReferralOverview:
    """Everything the dialog shows before anything is made."""

    record: ReferralRecord
    referrer_contact: str
    certificate: referral.CertificateInfo
    changes: Changes = field(default_factory=Changes)  # the edits saved first, if any


@dataclass(frozen=True)
class MadeReferral:
    """A signed referral in memory, its pages drawn, and its record as it now stands."""

    made: referral.ReferralPdf
    pages: tuple[PagePixels, ...]
    record: ReferralRecord
    changes: Changes = field(default_factory=Changes)  # the edits saved first, if any


@dataclass(frozen=True)
class SentReferral:
    """A referral saved as a signed PDF: its record as it now stands (sent)."""

    record: ReferralRecord
    changes: Changes


def open_referral(session: CaseSession, referral_ref: str) -> ReferralOverview:
    """The referral's record, the signed-in lead's contact line and the certificate."""
    return ReferralOverview(
        record=referral.referral_record(session, referral_ref),
        referrer_contact=referral.referrer_contact(session),
        certificate=referral.certificate_info(session),
    )


def _save_changes(
    session: CaseSession,
    referral_ref: str,
    content: ReferralContent | None,
    referrer_contact: str | None,
) -> Changes:
    changes = Changes()
    if content is not None:
        changes |= referral.update_referral_content(session, referral_ref, content)
    if referrer_contact is not None:
        changes |= referral.set_referrer_contact(session, referrer_contact)
    return changes


def save_edits(
    session: CaseSession,
    referral_ref: str,
    content: ReferralContent | None,
    referrer_contact: str | None,
) -> ReferralOverview:
    """Save what changed (``None``: unchanged); each save is audited by the service."""
    changes = _save_changes(session, referral_ref, content, referrer_contact)
    return replace(open_referral(session, referral_ref), changes=changes)


def make_with_preview(
    session: CaseSession,
    referral_ref: str,
    *,
    page_width: int,
    content: ReferralContent | None = None,
    referrer_contact: str | None = None,
    pdf_password: str | None = None,
) -> MadeReferral:
    """Save any edits, then build, encrypt (with a password) and sign, then draw the pages.

    Edited content for a referral that has been sent meanwhile is refused (BadInput),
    never silently left out of the PDF.
    """
    changes = _save_changes(session, referral_ref, content, referrer_contact)
    made = referral.make_referral_pdf(session, referral_ref, pdf_password=pdf_password)
    pages = render_pages(made.pdf, page_width, password=pdf_password)
    record = referral.referral_record(session, made.referral_ref)
    return MadeReferral(made=made, pages=pages, record=record, changes=changes)


def copy_section(session: CaseSession, referral_ref: str, section: SectionText) -> str:
    """Audit ``section`` copied (its key, never its text); its text, to put on the clipboard."""
    referral.record_section_copied(session, referral_ref, section.key)
    return section.text


def save_pdf(session: CaseSession, made: referral.ReferralPdf, path: Path) -> SentReferral:
    """Write the signed PDF where the lead chose (audited, marked sent); the record after."""
    changes = referral.save_referral_pdf(session, made, path)
    return SentReferral(referral.referral_record(session, made.referral_ref), changes)
