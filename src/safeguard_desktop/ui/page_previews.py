"""A scrollable column of page pictures, scaled to fit its width, saying which page is in view.

The pictures arrive as QImages (drawn on the worker from a PDF held in memory); they
live only in this widget, so they go when the dialog holding it goes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from .theme import hint

PAGE_GAP = 16
MARGIN = 16


class PagePreviews(QScrollArea):
    """Emits ``page_changed(number, count)`` when another page comes into view."""

    page_changed = Signal(int, int)

    def __init__(self, accessible_name: str, placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Arrow keys and Page Up/Down scroll the pages for keyboard users.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column = QWidget()
        column.setObjectName("pagePreviewColumn")
        # A grey desk, so the white pages stand out from it.
        column.setStyleSheet("QWidget#pagePreviewColumn { background: #d5dae0; }")
        self._layout = QVBoxLayout(column)
        self._layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self._layout.setSpacing(PAGE_GAP)
        self.placeholder = hint(placeholder)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self.placeholder, 1)
        self._layout.addStretch(0)
        self.setWidget(column)
        self._images: list[QImage] = []
        self._labels: list[QLabel] = []
        self._current = 0
        self._shown_count = 0
        self._rescale_timer = QTimer(self)
        self._rescale_timer.setSingleShot(True)
        self._rescale_timer.setInterval(60)
        self._rescale_timer.timeout.connect(self._rescale)
        self.verticalScrollBar().valueChanged.connect(self._update_current)

    @property
    def count(self) -> int:
        return len(self._images)

    @property
    def current_page(self) -> int:
        """The page in the middle of the view (1-based), 0 when there are none."""
        return self._current

    def page_labels(self) -> list[QLabel]:
        return list(self._labels)

    def set_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)

    def set_pages(self, images: Sequence[QImage]) -> None:
        """Show these pages in place of any shown before."""
        self.clear_pages()
        self._images = list(images)
        count = len(self._images)
        for number in range(1, count + 1):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            label.setAccessibleName(self.tr("Page {n} of {count}").format(n=number, count=count))
            label.setFrameShape(QFrame.Shape.Box)
            label.setStyleSheet("QLabel { border: 1px solid #9aa5b1; background: white; }")
            self._labels.append(label)
            self._layout.insertWidget(self._layout.count() - 1, label)
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
        self.placeholder.show()
        self._update_current()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._images:
            self._rescale_timer.start()

    def _rescale(self) -> None:
        width = max(50, self.viewport().width() - 2 * MARGIN - 2)
        ratio = self.devicePixelRatioF()
        for label, image in zip(self._labels, self._images, strict=True):
            scaled = image.scaledToWidth(
                round(width * ratio), Qt.TransformationMode.SmoothTransformation
            )
            pixmap = QPixmap.fromImage(scaled)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
            label.setFixedSize(
                round(scaled.width() / ratio) + 2, round(scaled.height() / ratio) + 2
            )
        self._update_current()

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
        if (current, len(self._labels)) != (self._current, self._shown_count):
            self._current, self._shown_count = current, len(self._labels)
            self.page_changed.emit(current, len(self._labels))
