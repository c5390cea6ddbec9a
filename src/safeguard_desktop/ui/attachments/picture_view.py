"""An attached picture on screen: scaled down to fit the window, or at its actual size.

The picture arrives decoded (a QImage made on the worker from the bytes in memory); a
pixmap is made from it here, on the GUI thread, as Qt requires. Fitted, it is scaled to
the space there is, never up (a small scan stays sharp), again shortly after each
resize rather than at every step of a drag; at its actual size it scrolls, with the
arrow keys and Page Up and Down as well as the mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QScrollArea, QWidget

from ..theme import hint
from ..widgets.page_previews import on_a_desk

MARGIN = 8


class PictureView(QScrollArea):
    """One picture, fitted (``fitted``) or at its actual size."""

    def __init__(self, accessible_name: str, placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.picture = hint(placeholder)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        on_a_desk(self, accessible_name, self.picture)
        self.setWidget(self.picture)
        self.image = QImage()
        self.fitted = True
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(60)
        self._redraw.timeout.connect(self._draw)
        self._scrollbars()

    def set_placeholder(self, text: str) -> None:
        self.picture.clear()
        self.picture.setText(text)

    def set_image(self, image: QImage) -> None:
        self.image = image
        self._draw()

    def set_fitted(self, fitted: bool) -> None:
        self.fitted = fitted
        self._scrollbars()
        self._draw()

    def shown_size(self) -> QSize:
        """The picture's size on screen, in logical pixels (empty before it is shown)."""
        pixmap = self.picture.pixmap()
        if pixmap.isNull():
            return QSize()
        return pixmap.deviceIndependentSize().toSize()

    def clear_picture(self) -> None:
        """Drop the pixels (they may show a child's record)."""
        self.image = QImage()
        self.picture.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitted and not self.image.isNull():
            self._redraw.start()

    def _scrollbars(self) -> None:
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if self.fitted
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)

    def _draw(self) -> None:
        if self.image.isNull():
            return
        ratio = self.devicePixelRatioF()
        image = self.image
        if self.fitted:
            room = (self.viewport().size() - QSize(2 * MARGIN, 2 * MARGIN)) * ratio
            room = room.expandedTo(QSize(16, 16))
            if image.width() > room.width() or image.height() > room.height():
                image = image.scaled(
                    room,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.picture.setPixmap(pixmap)
