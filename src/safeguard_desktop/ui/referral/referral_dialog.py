"""The referral dialog: check what a referral says, make the signed PDF, look at it, save it.

Left, the form (referral_form.py: what the referral says, editable while it is a draft,
and the lead's own contact line), the choice of a password for emailing, and, once the
PDF is made, "Copy this section" for each of its sections, for a council that takes
referrals through a web portal (audited; the clipboard is concealed and cleared, see
widgets/concealed_clipboard.py). Right, the
pages of the signed PDF, drawn in memory on the worker, and the certificate's fingerprint.
Nothing of the PDF is written anywhere but the file the lead chooses; saving it puts
its SHA-256 in the audit log and marks the referral sent (services/referral.py).

The dialog must be opened with a parent inside the case area: it then goes with the
area at lock, and the main window hides it at once. Edits not yet saved are saved
then, queued before the lock on the one worker, as the concern form's draft is.

Over 500 lines because it is one dialog whose steps share one state (the draft, the
drawn PDF, its password, a save in flight, a lock while busy); the form
(referral_form.py), the page previews (widgets/page_previews.py) and the sections to
copy (section_copies.py) are modules of their own.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.domain.records import ReferralRecord
from safeguard_desktop.domain.referral import ReferralContent
from safeguard_desktop.services.referral_preview import (
    PDF_PASSWORD_MIN,
    PagePixels,
    ReferralOverview,
    ReferralPdf,
    SectionText,
    SentReferral,
    copy_section,
    make_with_preview,
    open_referral,
    save_edits,
    save_pdf,
)
from safeguard_desktop.services.session import CaseSession

from ..theme import (
    BUTTON_MIN_HEIGHT,
    MessageLine,
    banner,
    heading,
    hint,
    paragraph,
    scroll_area,
    text_width,
)
from ..widgets.concealed_clipboard import concealed_clipboard
from ..widgets.dialog_parts import busy_bar
from ..widgets.new_password_fields import password_field
from ..widgets.page_previews import PagePreviews
from ..widgets.screen_fit import fit_window, largest_client_size
from ..widgets.wizard_page import bring_into_view
from ..worker import Failure, Submits
from .fingerprint_label import FingerprintLabel
from .referral_form import ReferralForm
from .section_copies import SectionCopies

# Pages are drawn at least this wide, so a wider window still shows them sharp.
MIN_RENDER_WIDTH = 900
MAX_RENDER_WIDTH = 1_800


def open_referral_dialog(
    parent: QWidget, session: CaseSession, worker: Submits, referral_ref: str
) -> ReferralDialog:
    """Open the dialog for ``referral_ref``; ``parent`` must be inside the case area."""
    dialog = ReferralDialog(session, worker, referral_ref, parent)
    dialog.open()
    return dialog


@dataclass(frozen=True)
class _Drawn:
    """A signed referral in memory, its record, and its pages drawn (packed) to show."""

    made: ReferralPdf
    record: ReferralRecord
    pages: tuple[PagePixels, ...]
    total_pages: int  # in the PDF: only the first ones of a very long one are drawn


def _make_and_draw(
    session: CaseSession,
    referral_ref: str,
    *,
    page_width: int,
    content: ReferralContent | None,
    referrer_contact: str | None,
    pdf_password: str | None,
) -> _Drawn:
    """On the worker: make, sign and draw the PDF; the page previews unpack the pages
    they show (a few milliseconds each) as they come into view."""
    result = make_with_preview(
        session,
        referral_ref,
        page_width=page_width,
        content=content,
        referrer_contact=referrer_contact,
        pdf_password=pdf_password,
    )
    return _Drawn(
        made=result.made,
        record=result.record,
        pages=result.pages,
        total_pages=result.pages[0].count if result.pages else 0,
    )


class ReferralDialog(QDialog):
    """One referral: its content, the signed PDF's pages, saving it.

    Emits ``saved(referral_ref)`` after a signed PDF has been saved (the referral is
    then marked sent), so the view that opened it can refresh.
    """

    saved = Signal(str)

    def __init__(
        self,
        session: CaseSession,
        worker: Submits,
        referral_ref: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        self._referral_ref = referral_ref
        self._made: ReferralPdf | None = None
        self._busy = False
        self._finished = False
        self._close_when_saved = False
        self._may_discard = False
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The title names the task only: no reference or record text in window lists.
        self.setWindowTitle(self.tr("Referral PDF"))
        self.setModal(True)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter = splitter
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_form())
        splitter.addWidget(self._build_preview())
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)

        # The actions stay in view at the foot of the dialog, whatever is scrolled.
        self.make_button = QPushButton(self.tr("&Make the signed PDF"))
        self.make_button.setAccessibleName(self.tr("Make the signed PDF"))
        self.make_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.make_button.setDefault(True)
        self.make_button.clicked.connect(self.make)
        self.busy = busy_bar(self.tr("Working"))
        self.busy.setFixedWidth(text_width(10))
        self.busy.setMaximumHeight(BUTTON_MIN_HEIGHT // 3)
        self.status = MessageLine(self.tr("What is happening"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(self.tr("&Save…"))
        self.save_button.setAccessibleName(self.tr("Save the signed PDF"))
        self.save_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self.tr("C&lose"))
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.setSpacing(12)
        bottom.addWidget(self.make_button, 0, Qt.AlignmentFlag.AlignTop)
        bottom.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignVCenter)
        bottom.addWidget(self.status, 1)
        bottom.addStretch()  # keeps the buttons their own size while the line is empty
        bottom.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        bottom.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._fit_to_parent_window()
        self._set_enabled_for_state()
        self.load()

    # Building ---------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 4, 16, 8)
        layout.setSpacing(8)
        self.form = ReferralForm()
        self.form.edited.connect(self._edited)
        self.form.save_changes_button.clicked.connect(self.save_changes)
        layout.addWidget(self.form)

        layout.addSpacing(6)
        layout.addWidget(heading(self.tr("Sending it by email"), level=2))
        self.protect = QCheckBox(self.tr("Pr&otect the PDF with a password"))
        self.protect.setAccessibleName(self.tr("Protect the PDF with a password"))
        self.protect.toggled.connect(self._protect_toggled)
        layout.addWidget(self.protect)
        self.password_box = QWidget()
        password_layout = QVBoxLayout(self.password_box)
        password_layout.setContentsMargins(24, 0, 0, 0)
        password_layout.setSpacing(6)
        self.password = password_field(
            password_layout, self.tr("PDF passwor&d"), self.tr("PDF password")
        )
        password_layout.addWidget(
            hint(
                self.tr("At least {n} characters. The PDF opens only with it.").format(
                    n=PDF_PASSWORD_MIN
                )
            )
        )
        self.password_again = password_field(
            password_layout, self.tr("PDF password a&gain"), self.tr("PDF password again")
        )
        self.show_password = QCheckBox(self.tr("S&how the password"))
        self.show_password.setAccessibleName(self.tr("Show the password"))
        self.show_password.toggled.connect(self._show_password_toggled)
        password_layout.addWidget(self.show_password)
        self.password_reminder = banner(
            self.tr(
                "Send the password by another route, such as a phone call — never in "
                "the same email as the PDF."
            )
        )
        password_layout.addWidget(self.password_reminder)
        self.password_error = MessageLine(self.tr("Problem with the PDF password"))
        password_layout.addWidget(self.password_error)
        # Enter in these fields presses the default button, "Make the signed PDF".
        for edit in (self.password, self.password_again):
            edit.textChanged.connect(self._edited)
        self.password_box.hide()
        layout.addWidget(self.password_box)

        layout.addSpacing(6)
        self.sections = SectionCopies()
        self.sections.copy_requested.connect(self.copy_section)
        layout.addWidget(self.sections)
        layout.addStretch(1)

        area = scroll_area(body)
        area.setAccessibleName(self.tr("The referral's content and how it is sent"))
        area.setMinimumWidth(text_width(44))
        self.form_area = area
        return area

    def _build_preview(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(16, 4, 8, 8)
        layout.setSpacing(8)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("The signed PDF"), level=2), 1)
        self.page_label = QLabel()
        self.page_label.setAccessibleName(self.tr("Page shown"))
        top.addWidget(self.page_label, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        self.previews = PagePreviews(
            self.tr("Pages of the signed PDF"),
            self.tr("Make the signed PDF to see its pages here before you save it."),
        )
        self.previews.page_changed.connect(self._page_changed)
        self.previews.setMinimumWidth(text_width(36))
        layout.addWidget(self.previews, 1)

        self.fingerprint_caption = paragraph(
            self.tr(
                "Signed with your organisation's certificate. Its SHA-256 fingerprint, also "
                "printed on the last page, lets the recipient check it with you by phone:"
            )
        )
        layout.addWidget(self.fingerprint_caption)
        self.fingerprint = FingerprintLabel(self.tr("Certificate fingerprint"))
        layout.addWidget(self.fingerprint)

        self.encrypted_reminder = banner(
            self.tr(
                "This PDF opens only with the password you typed. Send the password by "
                "another route, such as a phone call — never in the same email."
            )
        )
        self.encrypted_reminder.hide()
        layout.addWidget(self.encrypted_reminder)
        return panel

    def _fit_to_parent_window(self) -> None:
        """As big as suits the screen: the form and the pages side by side where there is
        room for both, the pages under the form on a small screen or at a large text size."""
        parent = self.parentWidget()
        largest = largest_client_size(parent.window() if parent is not None else self)
        # The pages' side is as wide as the fingerprint's lines of sixteen pairs, which
        # arrive with the certificate and never wrap (they match the printed ones).
        pages = max(self.previews.minimumWidth(), self.fingerprint.line_width()) + 24
        side_by_side = 32 + self.form_area.minimumWidth() + 8 + pages <= largest.width()
        if not side_by_side:
            self.splitter.setOrientation(Qt.Orientation.Vertical)
        self.setMinimumSize(QSize(text_width(80 if side_by_side else 44), 480).boundedTo(largest))
        fit_window(self, QSize(1280, 860))

    # State ------------------------------------------------------------------------

    @property
    def record(self) -> ReferralRecord | None:
        return self.form.record

    @property
    def made(self) -> ReferralPdf | None:
        """The signed PDF made in this dialog and not changed since (in memory only)."""
        return self._made

    @property
    def is_busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        if busy:
            self.status.show_info(text)
        self._set_enabled_for_state()

    def _set_enabled_for_state(self) -> None:
        idle = self.form.record is not None and not self._busy
        self.form.set_editable(idle)
        for widget in (self.protect, self.password_box):
            widget.setEnabled(idle)
        self.make_button.setEnabled(idle)
        self.save_button.setEnabled(idle and self._made is not None)
        self.sections.set_enabled(idle and self._made is not None)
        self.close_button.setEnabled(not self._busy)

    # Opening ----------------------------------------------------------------------

    def load(self) -> None:
        self._worker.submit(
            open_referral,
            self._session,
            self._referral_ref,
            on_done=self._loaded,
            on_error=self._load_failed,
        )

    def _loaded(self, overview: ReferralOverview) -> None:
        self._show_overview(overview)
        if self.form.is_draft():
            self.form.editors["summary"].setFocus()
        else:
            self.make_button.setFocus()

    def _show_overview(self, overview: ReferralOverview) -> None:
        self.form.show_overview(overview)
        self._name_make_button(again=not self.form.is_draft())
        self.fingerprint.set_fingerprint(overview.certificate.fingerprint_sha256)
        self._set_enabled_for_state()

    def _name_make_button(self, *, again: bool) -> None:
        """Once sent, making is making a fresh signed copy."""
        self.make_button.setText(
            self.tr("&Make again") if again else self.tr("&Make the signed PDF")
        )
        self.make_button.setAccessibleName(
            self.tr("Make the signed PDF again") if again else self.tr("Make the signed PDF")
        )

    def _load_failed(self, failure: Failure) -> None:
        self.form.show_load_error(failure.message)

    # Editing ----------------------------------------------------------------------

    def _edited(self) -> None:
        if self._may_discard:
            # Corrected after a failed save on the way out: Close saves again.
            self._may_discard = False
            self.close_button.setText(self.tr("C&lose"))
            self.close_button.setAccessibleName(self.tr("Close"))
        self.form.clear_messages()
        self.password_error.clear_message()
        self._forget_made()
        self._set_enabled_for_state()

    def _protect_toggled(self, on: bool) -> None:
        self.password_box.setVisible(on)
        if on:
            self.password.setFocus()
        self._edited()

    def _show_password_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password.setEchoMode(mode)
        self.password_again.setEchoMode(mode)

    def _forget_made(self) -> None:
        """Anything changed after making: the PDF shown is no longer what would be sent."""
        if self._made is None and not self.previews.count:
            return
        self._made = None
        self.sections.clear()
        self.previews.clear_pages()
        self.previews.set_placeholder(
            self.tr(
                "You changed something after making the PDF. Make it again to see, and "
                "save, the new version."
            )
        )
        self.encrypted_reminder.hide()
        self.status.clear_message()

    def save_changes(self) -> None:
        """Save the content and contact line as they are now, without making a PDF."""
        if self._busy or not self.form.has_unsaved_changes():
            return
        self._set_busy(True, self.tr("Saving your changes…"))
        self._worker.submit(
            save_edits,
            self._session,
            self._referral_ref,
            self.form.content_changed(),
            self.form.contact_changed(),
            on_done=self._changes_saved,
            on_error=self._changes_failed,
        )

    def _changes_saved(self, overview: ReferralOverview) -> None:
        self._set_busy(False)
        self.status.clear_message()
        self._show_overview(overview)
        self.form.changes_message.show_good(self.tr("Saved."))
        if self._close_when_saved:
            self.done(QDialog.DialogCode.Rejected)

    def _changes_failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.status.clear_message()
        self._show_failure(failure, self.form.changes_message)
        if self._close_when_saved:
            # Saving on the way out failed: say so, and let a second Close leave anyway.
            self._close_when_saved = False
            self._may_discard = True
            self.close_button.setText(self.tr("C&lose without saving"))
            self.close_button.setAccessibleName(self.tr("Close without saving"))
            self.status.show_error(
                self.tr("Your changes are not saved yet; correct them, or close without saving.")
            )

    def _show_failure(self, failure: Failure, fallback: MessageLine) -> None:
        """Put the sentence under the field it is about, else on ``fallback``."""
        field = failure.error.field if isinstance(failure.error, BadInput) else None
        if self.form.show_error(field, failure.message):
            return
        if field == "pdf_password":
            self._show_under(self.password_error, self.password, failure.message)
        else:
            fallback.show_error(failure.message)
            if fallback is not self.status:
                bring_into_view(fallback)

    def _show_under(self, line: MessageLine, field: QWidget, sentence: str) -> None:
        """The sentence under ``field``, scrolled into view: the form may be scrolled away."""
        line.show_error(sentence)
        field.setFocus()
        bring_into_view(line)

    # Making -----------------------------------------------------------------------

    def password_problem(self) -> str:
        """The sentence to show before making, or '' when the password is fine."""
        if not self.protect.isChecked():
            return ""
        if len(self.password.text()) < PDF_PASSWORD_MIN:
            return self.tr("The PDF password must be at least {n} characters long.").format(
                n=PDF_PASSWORD_MIN
            )
        if self.password_again.text() != self.password.text():
            return self.tr(
                "The two passwords are not the same; please type the same password twice."
            )
        return ""

    def _render_width(self) -> int:
        wanted = round(self.previews.viewport().width() * self.devicePixelRatioF())
        return max(MIN_RENDER_WIDTH, min(MAX_RENDER_WIDTH, wanted))

    def make(self) -> None:
        """Save any edits, then build, sign and draw the PDF on the worker."""
        if self._busy or self.form.record is None:
            return
        problem = self.password_problem()
        if problem:
            self._show_under(self.password_error, self.password, problem)
            return
        self.password_error.clear_message()
        self.status.clear_message()
        self._forget_made()
        self.previews.set_placeholder(self.tr("Making and signing the PDF…"))
        self._set_busy(True, self.tr("Making and signing the PDF…"))
        self._worker.submit(
            _make_and_draw,
            self._session,
            self._referral_ref,
            page_width=self._render_width(),
            content=self.form.content_changed(),
            referrer_contact=self.form.contact_changed(),
            pdf_password=self.password.text() if self.protect.isChecked() else None,
            on_done=self._made_done,
            on_error=self._make_failed,
        )

    def _made_done(self, result: _Drawn) -> None:
        self._set_busy(False)
        self.status.clear_message()
        self.form.mark_saved(result.record)
        self._made = result.made
        # Only the first pages of a very long PDF are drawn: the previews say so.
        self.previews.set_pages(result.pages, result.total_pages)
        self.sections.show_sections(result.made.sections)
        self.encrypted_reminder.setVisible(result.made.encrypted)
        self.status.show_good(self.tr("Made and signed. Look through the pages, then save it."))
        self._set_enabled_for_state()
        self.save_button.setFocus()

    def _make_failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.status.clear_message()
        self.previews.set_placeholder(
            self.tr("Make the signed PDF to see its pages here before you save it.")
        )
        self._show_failure(failure, self.status)

    def _page_changed(self, number: int, count: int) -> None:
        self.page_label.setText(
            self.tr("Page {n} of {count}").format(n=number, count=count) if count else ""
        )

    # Copying a section ------------------------------------------------------------

    def copy_section(self, section: SectionText) -> None:
        """Audit the copy on the worker, then put the section on the clipboard, concealed."""
        if self._busy or self._made is None:
            return
        self.sections.message.clear_message()
        self._worker.submit(
            copy_section,
            self._session,
            self._referral_ref,
            section,
            on_done=functools.partial(self._section_copied, section),
            on_error=lambda failure: self.sections.message.show_error(failure.message),
        )

    def _section_copied(self, section: SectionText, text: str) -> None:
        if self._finished:
            return  # locked or closed meanwhile: nothing goes on the clipboard now
        concealed_clipboard().copy(text)
        self.sections.message.show_good(
            self.tr("\u201c{title}\u201d is copied; paste it into the council's form.").format(
                title=section.title
            )
        )

    # Saving -----------------------------------------------------------------------

    def suggested_path(self) -> Path:
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        folder = Path(documents) if documents else Path.home()
        name = self._made.suggested_name if self._made is not None else "referral.pdf"
        return folder / name

    def save(self) -> None:
        """Ask where, then write the signed PDF there on the worker."""
        made = self._made
        if self._busy or made is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the signed referral"),
            str(self.suggested_path()),
            self.tr("PDF files (*.pdf)"),
        )
        # A lock while the file dialog was open hid this dialog (hideEvent): save nothing.
        if not chosen or self._finished:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self._set_busy(True, self.tr("Saving…"))
        self._worker.submit(
            save_pdf,
            self._session,
            made,
            path,
            on_done=functools.partial(self._saved, path),
            on_error=self._save_failed,
        )

    def _saved(self, path: Path, sent: SentReferral) -> None:
        record = sent.record
        self._set_busy(False)
        self.status.clear_message()
        # The line below says it was sent; the banner for an older sending would repeat it.
        self.form.show_record(record, just_sent=True)
        self._name_make_button(again=True)
        self.status.show_good(
            self.tr(
                "Saved to {path}. The file's SHA-256 fingerprint is in the audit log, and "
                "the referral is marked as sent."
            ).format(path=path)
        )
        self._set_enabled_for_state()
        self.saved.emit(record.ref)

    def _save_failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.status.clear_message()
        self.status.show_error(failure.message)

    # Closing ----------------------------------------------------------------------

    def reject(self) -> None:
        """Close; edits not yet saved are saved first (a failure keeps the dialog open)."""
        if self._busy:
            return
        if self.form.has_unsaved_changes() and not self._may_discard:
            self._close_when_saved = True
            self.save_changes()
            return
        self.done(QDialog.DialogCode.Rejected)

    def done(self, result: int) -> None:
        self._finished = True
        self._forget_everything()
        super().done(result)

    def hideEvent(self, event: QHideEvent) -> None:
        # Hidden by the main window at lock (not by closing): keep what was typed, as
        # the concern form keeps its draft. Queued now, it runs before the lock does.
        if not event.spontaneous() and not self._finished:
            self._finished = True
            # While busy, the job already queued (making, or saving the changes) carries
            # these very edits, and the boxes were read-only meanwhile: queuing them again
            # would only write a second, identical edit into the audit log.
            if not self._busy and self.form.has_unsaved_changes():
                # A worker already shut down means the app is quitting: nothing to queue.
                with contextlib.suppress(RuntimeError):
                    self._worker.submit(
                        save_edits,
                        self._session,
                        self._referral_ref,
                        self.form.content_changed(),
                        self.form.contact_changed(),
                    )
            self._forget_everything()
        super().hideEvent(event)

    def _forget_everything(self) -> None:
        """Drop the PDF, its pictures and the password before the widgets go."""
        self._made = None
        self.sections.clear()
        self.previews.clear_pages()
        self.password.clear()
        self.password_again.clear()
