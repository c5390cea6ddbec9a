"""One attached file on screen: a picture, or a PDF's pages, with its name, size and SHA-256.

The file is read on the worker (services/attachments.py: audited as an opening, and
checked against the SHA-256 kept, so a file changed inside the records is never shown as
the one attached) and made ready to show there too: a picture decoded into a QImage, a
PDF's pages drawn by PDFium from the bytes in memory. Nothing is written to a temporary
file to be shown, and nothing of the file is kept once the viewer closes.

"Save a copy…" asks :class:`.attachment_actions.AttachmentActions` (``save_requested``),
which warns that the copy is not encrypted before asking where to put it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFontDatabase, QImage
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.attachments import AttachmentRecord
from safeguard_desktop.domain.errors import SafeguardError
from safeguard_desktop.services import attachments
from safeguard_desktop.services.referral_preview import PagePixels
from safeguard_desktop.services.session import CaseSession

from ..theme import BUTTON_MIN_HEIGHT, MessageLine, bold, hint, text_width
from ..widgets.dialog_parts import busy_bar
from ..widgets.page_previews import PagePreviews
from ..widgets.record_text import record_label, set_record_text
from ..widgets.screen_fit import fit_window, largest_client_size
from ..worker import Failure
from .attachment_words import added_words, kind_and_size
from .picture_view import PictureView

# PDF pages are drawn this wide at the least and at the most (pixels), whatever the screen.
MIN_PAGE_WIDTH = 600
MAX_PAGE_WIDTH = 1_800


@dataclass(frozen=True)
class ReadyToShow:
    """An attachment read, checked and made ready to show: a picture, or a PDF's pages."""

    record: AttachmentRecord
    picture: QImage | None
    pages: tuple[PagePixels, ...] = ()

    @property
    def page_count(self) -> int:
        """The PDF's number of pages (more than are drawn, for a very long one)."""
        return self.pages[0].count if self.pages else 0


def read_to_show(session: CaseSession, attachment_id: int, page_width: int) -> ReadyToShow:
    """On the worker: open the attachment (audited, checked) and decode or draw it.

    A QImage may be made off the GUI thread; the QPixmap is made by the viewer.
    """
    opened = attachments.open_attachment(session, attachment_id)
    if not opened.record.kind.is_picture:
        return ReadyToShow(opened.record, None, attachments.pdf_pages(opened, page_width))
    picture = QImage.fromData(opened.data)
    if picture.isNull():
        # Not a rule about the file: intake (services/attachment_intake.py) kept it only
        # once Pillow had opened it. This is Qt on this PC failing to draw it, which only
        # a screen meets, so it is said here as a plain failure, not as bad input.
        raise SafeguardError(
            "This picture could not be drawn on this PC; save a copy and open it in "
            "another program."
        )
    return ReadyToShow(opened.record, picture)


class AttachmentViewer(QDialog):
    """Shows one attachment once :meth:`show_file` is given it. ``save_requested(record)``."""

    save_requested = Signal(object)  # AttachmentRecord

    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Attached file"))
        self.setModal(True)
        self._names = dict(names)
        self.record: AttachmentRecord | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.setSpacing(8)

        self.file_name = record_label(self.tr("Opening the file…"), self.tr("File name"))
        font = self.file_name.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.file_name.setFont(font)
        bold(self.file_name)
        outer.addWidget(self.file_name)
        self.facts = record_label("", self.tr("About the file"))
        self.facts.setProperty("sgRole", "hint")
        outer.addWidget(self.facts)
        self.description = record_label("", self.tr("What the file is"))
        self.description.hide()
        outer.addWidget(self.description)
        sha_row = QHBoxLayout()
        sha_row.setSpacing(8)
        sha_caption = hint(self.tr("Fingerprint (SHA-256):"))
        sha_caption.setWordWrap(False)
        sha_row.addWidget(sha_caption)
        # A fingerprint, not record text: copied to check a saved copy against it. A
        # read-only box rather than a label: 64 digits do not wrap, and on a small screen
        # at 150 % text a label that long would be wider than the dialog.
        self.sha256 = QLineEdit()
        self.sha256.setReadOnly(True)
        self.sha256.setFrame(False)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(self.sha256.font().pointSizeF())
        self.sha256.setFont(fixed)
        self.sha256.setMinimumWidth(text_width(16))
        self.sha256.setAccessibleName(self.tr("SHA-256 of the file"))
        sha_row.addWidget(self.sha256, 1)
        outer.addLayout(sha_row)

        self.busy = busy_bar(self.tr("Opening the file"))
        self.busy.show()
        outer.addWidget(self.busy)
        self.picture = PictureView(self.tr("The picture"), self.tr("Opening the file…"))
        self.picture.hide()
        outer.addWidget(self.picture, 1)
        self.pages = PagePreviews(self.tr("The pages of the PDF"), self.tr("Opening the file…"))
        self.pages.page_changed.connect(self._page_changed)
        outer.addWidget(self.pages, 1)
        self.message = MessageLine(self.tr("Result"))
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.message)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.zoom_button = self._button(
            self.tr("&Zoom to actual size"), self.tr("Zoom to actual size"), self.toggle_zoom
        )
        self.zoom_button.hide()
        buttons.addWidget(self.zoom_button)
        self.page_label = QLabel()
        self.page_label.setAccessibleName(self.tr("Page shown"))
        buttons.addWidget(self.page_label)
        buttons.addStretch(1)
        self.save_button = self._button(
            self.tr("&Save a copy…"), self.tr("Save a copy"), self._save_requested
        )
        self.save_button.setEnabled(False)
        buttons.addWidget(self.save_button)
        self.close_button = self._button(self.tr("Close"), self.tr("Close"), self.reject)
        self.close_button.setDefault(True)
        self.close_button.setFocus()  # until the file is there to scroll through
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)

        largest = largest_client_size(parent)
        # Most of the screen: a page of handwriting is read at the largest size there is.
        fit_window(self, QSize(largest.width() * 9 // 10, largest.height()))
        self.finished.connect(self._forget)

    def _button(self, text: str, accessible: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        button.clicked.connect(slot)
        return button

    def page_width(self) -> int:
        """How wide to draw a PDF's pages for this viewer, in device pixels."""
        wanted = round((self.width() - 80) * self.devicePixelRatioF())
        return max(MIN_PAGE_WIDTH, min(MAX_PAGE_WIDTH, wanted))

    def show_file(self, ready: ReadyToShow) -> None:
        """The file, read and checked on the worker."""
        record = self.record = ready.record
        self.busy.hide()
        set_record_text(self.file_name, record.file_name)
        self.facts.setText(f"{kind_and_size(record)}  ·  {added_words(record, self._names)}")
        set_record_text(self.description, record.description)
        self.description.setVisible(bool(record.description))
        self.sha256.setText(record.sha256)
        self.sha256.setCursorPosition(0)
        self.save_button.setEnabled(True)
        if ready.picture is not None:
            self.pages.hide()
            self.picture.show()
            self.picture.set_image(ready.picture)
            self.zoom_button.show()
            self.picture.setFocus()
        else:
            self.pages.set_pages(ready.pages, ready.page_count)
            self.pages.setFocus()

    def show_failure(self, failure: Failure) -> None:
        """The file could not be shown: one sentence, where the file would be."""
        self.busy.hide()
        self.file_name.setText(self.tr("The file could not be opened"))
        self.pages.set_placeholder("")
        self.message.show_error(failure.message)
        self.close_button.setFocus()

    def toggle_zoom(self) -> None:
        fitted = not self.picture.fitted
        self.picture.set_fitted(fitted)
        if fitted:
            text, name = self.tr("&Zoom to actual size"), self.tr("Zoom to actual size")
        else:
            text, name = self.tr("&Zoom to fit the window"), self.tr("Zoom to fit the window")
        self.zoom_button.setText(text)
        self.zoom_button.setAccessibleName(name)

    def _save_requested(self) -> None:
        if self.record is not None:
            self.message.clear_message()
            self.save_requested.emit(self.record)

    def _page_changed(self, number: int, count: int) -> None:
        self.page_label.setText(
            self.tr("Page {n} of {count}").format(n=number, count=count) if count else ""
        )

    def _forget(self) -> None:
        # Closed: the pixels go now, not whenever the dialog is deleted.
        self.picture.clear_picture()
        self.pages.clear_pages()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._forget()
        super().closeEvent(event)
