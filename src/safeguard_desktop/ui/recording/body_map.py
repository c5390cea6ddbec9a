"""The body map: front and back outlines of a child, where a recorder marks what they saw.

A click (or, from the keyboard, the arrow keys and Enter) adds a numbered mark. Each mark
is kept as a point relative to the outline (0..1 across and down), so it means the same on
any screen and in the referral PDF, with a note: size, colour, shape, what the child said.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.concern import MAX_BODY_MARKS, VIEWS
from safeguard_desktop.resource_files import resource_path

from ..theme import ACCENT, ERROR_INK, banner, hint, text_width

# How far one arrow key press moves the keyboard pointer, as a share of the outline.
_KEY_STEP = 0.02
_MARK_RADIUS = 11.0


class OutlineCanvas(QWidget):
    """One outline (front or back). Emits ``mark_requested(x, y)`` in 0..1 coordinates."""

    mark_requested = Signal(float, float)

    def __init__(self, view: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._renderer = QSvgRenderer(str(resource_path("body_map", f"{view}.svg")), self)
        self._marks: list[tuple[int, float, float]] = []  # (number, x, y)
        self._pointer = QPointF(0.5, 0.45)  # where Enter adds a mark, keyboard only
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedSize(self.sizeHint())
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(title)
        self.setAccessibleDescription(
            self.tr(
                "Click where you saw the mark. With the keyboard: move with the arrow keys, "
                "then press Enter to add a mark."
            )
        )

    def sizeHint(self) -> QSize:
        size = self._renderer.defaultSize()
        # A little smaller than the drawing so both outlines and the notes fit at 1366x768.
        height = 340
        return QSize(round(height * size.width() / size.height()) + 8, height + 8)

    def outline_rect(self) -> QRectF:
        """Where the drawing sits inside the widget, keeping its proportions."""
        size = self._renderer.defaultSize()
        area = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        scale = min(area.width() / size.width(), area.height() / size.height())
        width, height = size.width() * scale, size.height() * scale
        return QRectF(
            area.x() + (area.width() - width) / 2,
            area.y() + (area.height() - height) / 2,
            width,
            height,
        )

    def set_marks(self, marks: list[tuple[int, float, float]]) -> None:
        self._marks = marks
        self.update()

    def relative(self, point: QPointF) -> tuple[float, float] | None:
        """A widget point as 0..1 coordinates on the outline, or None outside it."""
        rect = self.outline_rect()
        if not rect.contains(point):
            return None
        x = (point.x() - rect.x()) / rect.width()
        y = (point.y() - rect.y()) / rect.height()
        return round(min(max(x, 0.0), 1.0), 4), round(min(max(y, 0.0), 1.0), 4)

    def absolute(self, x: float, y: float) -> QPointF:
        rect = self.outline_rect()
        return QPointF(rect.x() + x * rect.width(), rect.y() + y * rect.height())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        found = self.relative(event.position())
        if found is not None:
            self._pointer = QPointF(*found)
            self.mark_requested.emit(*found)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        moves = {
            Qt.Key.Key_Left: (-_KEY_STEP, 0.0),
            Qt.Key.Key_Right: (_KEY_STEP, 0.0),
            Qt.Key.Key_Up: (0.0, -_KEY_STEP),
            Qt.Key.Key_Down: (0.0, _KEY_STEP),
        }
        key = Qt.Key(event.key())
        if key in moves:
            dx, dy = moves[key]
            self._pointer = QPointF(
                min(max(self._pointer.x() + dx, 0.0), 1.0),
                min(max(self._pointer.y() + dy, 0.0), 1.0),
            )
            self.update()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.mark_requested.emit(round(self._pointer.x(), 4), round(self._pointer.y(), 4))
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer.render(painter, self.outline_rect())
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        for number, x, y in self._marks:
            centre = self.absolute(x, y)
            painter.setPen(QPen(QColor("#ffffff"), 1.5))
            painter.setBrush(QColor(ERROR_INK))
            painter.drawEllipse(centre, _MARK_RADIUS, _MARK_RADIUS)
            box = QRectF(
                centre.x() - _MARK_RADIUS,
                centre.y() - _MARK_RADIUS,
                2 * _MARK_RADIUS,
                2 * _MARK_RADIUS,
            )
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(number))
        if self.hasFocus():
            # The keyboard pointer and a focus frame, so keyboard users see where they are.
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(ACCENT), 2))
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
            centre = self.absolute(self._pointer.x(), self._pointer.y())
            painter.drawLine(centre + QPointF(-9, 0), centre + QPointF(9, 0))
            painter.drawLine(centre + QPointF(0, -9), centre + QPointF(0, 9))
        painter.end()


class _MarkRow(QWidget):
    """One mark in the list: its number and side, its note, and a Remove button."""

    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.note = QLineEdit()
        self.note.setMaxLength(2000)
        self.note.setPlaceholderText(self.tr("Size, colour, shape, what the child said about it"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(8)
        layout.setVerticalSpacing(2)
        layout.addWidget(self.title, 0, 0, 1, 2)
        layout.addWidget(self.note, 1, 0)
        layout.addWidget(self.remove_button, 1, 1)
        self.title.setBuddy(self.note)

    def show_number(self, number: int, view_word: str) -> None:
        text = self.tr("Mark {n} ({side})").format(n=number, side=view_word)
        self.title.setText(text)
        self.note.setAccessibleName(self.tr("Notes for mark {n}").format(n=number))
        self.remove_button.setAccessibleName(self.tr("Remove mark {n}").format(n=number))


class BodyMapEditor(QWidget):
    """Both outlines and the list of marks. ``marks()`` gives the concern's body_map list."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Body map"))
        self._view_words = {"front": self.tr("front"), "back": self.tr("back")}
        self._marks: list[dict[str, object]] = []
        self._rows: list[_MarkRow] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        never = banner(self.tr("Never photograph a child's injury or ask them to undress."))
        never.setAccessibleName(
            self.tr("Never photograph a child's injury or ask them to undress.")
        )
        layout.addWidget(never)
        layout.addWidget(
            hint(
                self.tr(
                    "Only mark what you saw without asking. Click an outline where you saw it; "
                    "each click adds a numbered mark. Skip this step if there is nothing to mark."
                )
            )
        )

        row = QHBoxLayout()
        row.setSpacing(16)
        self.canvases: dict[str, OutlineCanvas] = {}
        titles = {"front": self.tr("Front"), "back": self.tr("Back")}
        for view in VIEWS:
            column = QVBoxLayout()
            column.setSpacing(2)
            label = QLabel(titles[view])
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            canvas = OutlineCanvas(view, self.tr("Body map, {side}").format(side=titles[view]))
            canvas.mark_requested.connect(
                lambda x, y, v=view: self.add_mark(v, x, y)  # type: ignore[misc]
            )
            label.setBuddy(canvas)
            column.addWidget(label)
            column.addWidget(canvas)
            column.addStretch(1)
            row.addLayout(column)
            self.canvases[view] = canvas

        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(10)
        self.empty_line = hint(self.tr("No marks yet."))
        self.list_layout.addWidget(self.empty_line)
        self.list_layout.addStretch(1)
        list_holder = QWidget()
        list_holder.setLayout(self.list_layout)
        list_holder.setMinimumWidth(text_width(30))
        row.addWidget(list_holder, 1)
        layout.addLayout(row)

    # The marks -------------------------------------------------------------------------

    def add_mark(self, view: str, x: float, y: float, note: str = "") -> None:
        if len(self._marks) >= MAX_BODY_MARKS:
            return
        self._marks.append({"view": view, "x": x, "y": y, "note": note})
        row = _MarkRow()
        row.note.setText(note)
        row.note.textChanged.connect(self._notes_changed)
        row.remove_requested.connect(self._remove_row)
        self._rows.append(row)
        # Before the stretch at the end of the list.
        self.list_layout.insertWidget(self.list_layout.count() - 1, row)
        self._refresh()
        if note == "":
            row.note.setFocus()
        self.changed.emit()

    def remove_mark(self, index: int) -> None:
        row = self._rows.pop(index)
        self._marks.pop(index)
        row.hide()
        row.deleteLater()
        self._refresh()
        self.changed.emit()

    def _remove_row(self, row: object) -> None:
        if row in self._rows:
            self.remove_mark(self._rows.index(row))  # type: ignore[arg-type]

    def _notes_changed(self) -> None:
        for mark, row in zip(self._marks, self._rows, strict=True):
            mark["note"] = row.note.text()
        self.changed.emit()

    def _refresh(self) -> None:
        for number, (mark, row) in enumerate(zip(self._marks, self._rows, strict=True), 1):
            row.show_number(number, self._view_words[str(mark["view"])])
        for view, canvas in self.canvases.items():
            canvas.set_marks(
                [
                    (number, float(mark["x"]), float(mark["y"]))  # type: ignore[arg-type]
                    for number, mark in enumerate(self._marks, 1)
                    if mark["view"] == view
                ]
            )
        self.empty_line.setVisible(not self._marks)

    def marks(self) -> list[dict[str, object]]:
        """The marks as the concern's ``body_map`` list: view, x, y, note."""
        return [dict(mark) for mark in self._marks]

    def set_marks(self, marks: list[dict[str, object]]) -> None:
        while self._marks:
            self.remove_mark(len(self._marks) - 1)
        for mark in marks:
            view = mark.get("view")
            x, y = mark.get("x"), mark.get("y")
            if view in VIEWS and isinstance(x, int | float) and isinstance(y, int | float):
                self.add_mark(str(view), float(x), float(y), str(mark.get("note", "")))

    def note_edit(self, index: int) -> QLineEdit:
        return self._rows[index].note
