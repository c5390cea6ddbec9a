"""A scrollable column of page pictures, scaled to fit its width, saying which page is in view.

The pages arrive drawn and packed (pdf/preview.py's PagePixels, drawn on the worker from
a PDF held in memory) and are unpacked into images only when they come near the view, so
a sixty-page referral or attached PDF holds about 10 MB here, not 400. They live only in
this widget, so they go when the dialog holding it goes. The referral dialog shows a
signed referral with it, the attachment viewer an attached PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..theme import hint

if TYPE_CHECKING:
    from safeguard_desktop.services.referral_preview import PagePixels

# A page drawn and packed, or (for a picture made here) an image.
Page: TypeAlias = "PagePixels | QImage"

PAGE_GAP = 16
MARGIN = 16
DESK = "#d5dae0"


class PagePreviews(QScrollArea):
    """Emits ``page_changed(number, count)`` when another page comes into view.

    ``count`` is the document's number of pages, which may be more than were drawn.
    Only the pages in view, and a screen's height either side, are scaled to the width
    shown (on the GUI thread, a few milliseconds each): scaling all of a long referral's
    pages at once froze the window for half a second, and again at every resize.
    """

    page_changed = Signal(int, int)

    def __init__(self, accessible_name: str, placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        column = QWidget()
        on_a_desk(self, accessible_name, column)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._layout = QVBoxLayout(column)
        self._layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self._layout.setSpacing(PAGE_GAP)
        self.placeholder = hint(placeholder)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self.placeholder, 1)
        # Under the last page drawn, when the document has more than were drawn.
        self.not_all_shown = hint()
        self.not_all_shown.hide()
        self._layout.addWidget(self.not_all_shown)
        self._layout.addStretch(0)
        self.setWidget(column)
        self._images: list[Page] = []
        self._labels: list[QLabel] = []
        self._drawn_width: list[int] = []  # per page: the width its picture was scaled to
        self._width = 0  # the width pages are shown at, in logical pixels
        self._total = 0
        self._current = 0
        self._shown_total = 0
        self._rescale_timer = QTimer(self)
        self._rescale_timer.setSingleShot(True)
        self._rescale_timer.setInterval(60)
        self._rescale_timer.timeout.connect(self._rescale)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    @property
    def count(self) -> int:
        """How many pages were drawn."""
        return len(self._images)

    @property
    def current_page(self) -> int:
        """The page in the middle of the view (1-based), 0 when there are none."""
        return self._current

    def page_labels(self) -> list[QLabel]:
        return list(self._labels)

    def set_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)

    def set_pages(self, images: Sequence[Page], total: int = 0) -> None:
        """Show these pages in place of any shown before.

        ``total``: the document's number of pages, when only the first were drawn.
        """
        self.clear_pages()
        self._images = list(images)
        count = len(self._images)
        self._total = max(total, count)
        for number in range(1, count + 1):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            label.setAccessibleName(
                self.tr("Page {n} of {count}").format(n=number, count=self._total)
            )
            label.setFrameShape(QFrame.Shape.Box)
            label.setStyleSheet("QLabel { border: 1px solid #9aa5b1; background: white; }")
            self._labels.append(label)
            self._layout.insertWidget(self._layout.indexOf(self.not_all_shown), label)
        self._drawn_width = [0] * count
        if self._total > count:
            self.not_all_shown.setText(
                self.tr(
                    "Only the first {count} of the {total} pages are shown here. The PDF you "
                    "save has all {total}."
                ).format(count=count, total=self._total)
            )
            self.not_all_shown.show()
        self.placeholder.setVisible(count == 0)
        self._rescale()
        self.verticalScrollBar().setValue(0)
        self._update_current()

    def clear_pages(self) -> None:
        """Drop every picture (they hold the record's text as pixels)."""
        for label in self._labels:
            label.clear()
            self._layout.removeWidget(label)
            label.deleteLater()
        self._labels = []
        self._images = []
        self._drawn_width = []
        self._total = 0
        self.not_all_shown.hide()
        self.placeholder.show()
        self._update_current()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._images:
            self._rescale_timer.start()

    def _rescale(self) -> None:
        """Size every page for the width shown, then draw those in view."""
        self._width = max(50, self.viewport().width() - 2 * MARGIN - 2)
        for index, (label, image) in enumerate(zip(self._labels, self._images, strict=True)):
            width, height = _size(image)
            height = round(height * self._width / max(1, width))
            label.setFixedSize(self._width + 2, height + 2)
            if self._drawn_width[index] != self._width:
                label.clear()  # out of view it waits; in view it is drawn below
        self._scrolled()

    def _scrolled(self) -> None:
        self._draw_near_view()
        self._update_current()

    def _draw_near_view(self) -> None:
        """Scale the pictures of the pages in view, and a screen's height either side."""
        if not self._labels:
            return
        view_top = self.verticalScrollBar().value()
        view_height = self.viewport().height()
        low, high = view_top - view_height, view_top + 2 * view_height
        ratio = self.devicePixelRatioF()
        top = MARGIN
        for index, (label, image) in enumerate(zip(self._labels, self._images, strict=True)):
            bottom = top + label.height()
            if bottom >= low and top <= high and self._drawn_width[index] != self._width:
                scaled = scaled_to_width(image, round(self._width * ratio))
                pixmap = QPixmap.fromImage(scaled)
                pixmap.setDevicePixelRatio(ratio)
                label.setPixmap(pixmap)
                self._drawn_width[index] = self._width
            if top > high:
                break
            top = bottom + PAGE_GAP

    def _update_current(self) -> None:
        current = 0
        if self._labels:
            middle = self.verticalScrollBar().value() + self.viewport().height() // 2
            # From the pages' own heights: right after set_pages the layout has not yet
            # placed them, so their geometry would still say nothing.
            top = MARGIN
            current = 1
            for number, label in enumerate(self._labels, start=1):
                if top <= middle:
                    current = number
                top += label.height() + PAGE_GAP
        if (current, self._total) != (self._current, self._shown_total):
            self._current, self._shown_total = current, self._total
            self.page_changed.emit(current, self._total)


def on_a_desk(area: QScrollArea, accessible_name: str, content: QWidget) -> None:
    """Make ``area`` a place where pages or a picture are looked at: named, framed, its
    ``content`` on a grey desk (so white pages stand out from it), and scrolled with the
    arrow keys and Page Up and Down as well as the mouse. ``content`` is set on it later.
    """
    area.setAccessibleName(accessible_name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.StyledPanel)
    area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    content.setObjectName("desk")
    content.setStyleSheet(f"#desk {{ background: {DESK}; }}")


def _size(page: Page) -> tuple[int, int]:
    if isinstance(page, QImage):
        return page.width(), page.height()
    return page.width, page.height


def scaled_to_width(page: Page, width: int) -> QImage:
    """The page as an image ``width`` pixels wide; a packed page is unpacked only for
    as long as it takes to scale it (the scaled image owns its pixels)."""
    smooth = Qt.TransformationMode.SmoothTransformation
    if isinstance(page, QImage):
        return page.scaledToWidth(width, smooth)
    pixels = page.pixels
    full = QImage(pixels, page.width, page.height, page.stride, QImage.Format.Format_RGBX8888)
    return full.scaledToWidth(width, smooth)
