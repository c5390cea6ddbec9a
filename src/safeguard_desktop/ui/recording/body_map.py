"""The body map: front and back outlines of a child, where a recorder marks what they saw.

A mark is added by choosing the part of the body from a list (front or back, then "left
forearm"), or by pointing at an outline (the mouse, or the arrow keys and Enter). Each is
kept as a point relative to the outline (0..1 across and down), so it means the same on
any screen and in the referral PDF, and is read back by the part it is on ("Mark 1: left
forearm, front", domain/body_parts.py), with a note that wraps and grows as it is typed:
size, colour, shape, what the child said.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import cast

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.body_parts import REGIONS, View, region_at
from safeguard_desktop.domain.concern import MAX_BODY_MARKS, VIEWS
from safeguard_desktop.resource_files import resource_path

from ..theme import ACCENT, BUTTON_MIN_HEIGHT, ERROR_INK, banner, hint
from ..widgets.form_fields import GrowingTextBox
from ..widgets.wizard_page import bring_into_view


def place_words(view: str, x: float, y: float) -> str:
    """Where a mark is, in words: "left forearm, front"."""
    shown: View = "back" if view == "back" else "front"
    return QCoreApplication.translate("BodyParts", region_at(shown, x, y).name)


def mark_title(number: int, view: str, x: float, y: float) -> str:
    return QCoreApplication.translate("BodyMapEditor", "Mark {n}: {place}").format(
        n=number, place=place_words(view, x, y)
    )


def mark_words(number: int, mark: Mapping[str, object]) -> str:
    """A mark read back in one line: "Mark 1: left forearm, front. Round bruise, 3 cm"."""
    x, y = mark.get("x"), mark.get("y")
    title = mark_title(
        number,
        str(mark.get("view")),
        float(x) if isinstance(x, int | float) else 0.5,
        float(y) if isinstance(y, int | float) else 0.5,
    )
    note = str(mark.get("note") or "").strip()
    return f"{title}. {note}" if note else title


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
                "Point at the outline where you saw the mark. With the keyboard: move the "
                "cross with the arrow keys, then press Enter to add a mark there."
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
    """One mark in the list: where it is in words, its note, and a Remove button."""

    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.note = GrowingTextBox(self.tr("Notes for the mark"))
        self.note.setPlaceholderText(self.tr("Size, colour, shape, what the child said about it"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(8)
        layout.setVerticalSpacing(2)
        layout.addWidget(self.title, 0, 0, 1, 2)
        layout.addWidget(self.note, 1, 0)
        layout.addWidget(self.remove_button, 1, 1, Qt.AlignmentFlag.AlignTop)
        layout.setColumnStretch(0, 1)
        self.title.setBuddy(self.note)

    def show_number(self, number: int, view: str, x: float, y: float) -> None:
        title = mark_title(number, view, x, y)
        self.title.setText(title)
        self.note.setAccessibleName(self.tr("Notes for {mark}").format(mark=title))
        self.remove_button.setAccessibleName(self.tr("Remove {mark}").format(mark=title))


class BodyMapEditor(QWidget):
    """Both outlines, the list of parts and the marks. ``marks()`` gives the concern's
    body_map list."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Body map"))
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

        # By name: front or back, the part, Add. The keyboard's way, and the quickest.
        self.view_group = QButtonGroup(self)
        self.front_radio = QRadioButton(self.tr("&Front"))
        self.back_radio = QRadioButton(self.tr("Bac&k"))
        for radio, words in ((self.front_radio, "front"), (self.back_radio, "back")):
            radio.setAccessibleName(self.tr("Seen on the {side}").format(side=self.tr(words)))
            self.view_group.addButton(radio)
        self.front_radio.setChecked(True)
        self.part = QComboBox()
        self.part.setAccessibleName(self.tr("Part of the body"))
        self.part.setMinimumContentsLength(22)
        part_label = QLabel(self.tr("&Where on the body"))
        part_label.setBuddy(self.part)
        self.add_button = QPushButton(self.tr("&Add the mark"))
        self.add_button.setAccessibleName(self.tr("Add a mark on the part chosen"))
        self.add_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.add_button.clicked.connect(self.add_chosen)
        side_row = QHBoxLayout()
        side_row.setSpacing(16)
        side_row.addWidget(QLabel(self.tr("Seen on the")))
        side_row.addWidget(self.front_radio)
        side_row.addWidget(self.back_radio)
        side_row.addStretch(1)
        layout.addLayout(side_row)
        layout.addWidget(part_label)
        part_row = QHBoxLayout()
        part_row.setSpacing(8)
        part_row.addWidget(self.part, 1)
        part_row.addWidget(self.add_button)
        layout.addLayout(part_row)
        self.view_group.buttonToggled.connect(self._view_toggled)
        self._fill_parts()

        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(10)
        self.empty_line = hint(self.tr("No marks yet."))
        self.list_layout.addWidget(self.empty_line)
        layout.addLayout(self.list_layout)

        layout.addWidget(
            hint(self.tr("Or point at the outline where you saw it: each point adds a mark."))
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
            canvas = OutlineCanvas(
                view, self.tr("Body map outline, {side}").format(side=titles[view])
            )
            canvas.mark_requested.connect(lambda x, y, v=view: self.add_mark(v, x, y))
            column.addWidget(label)
            column.addWidget(canvas)
            column.addStretch(1)
            row.addLayout(column)
            self.canvases[view] = canvas
        row.addStretch(1)
        layout.addLayout(row)

    # Choosing by name -------------------------------------------------------------------

    def view(self) -> View:
        return "back" if self.back_radio.isChecked() else "front"

    def _view_toggled(self, _button: QAbstractButton, on: bool) -> None:
        if on:  # once for the view chosen, not again for the one left
            self._fill_parts()

    def _fill_parts(self) -> None:
        self.part.clear()
        for region in REGIONS[self.view()]:
            self.part.addItem(QCoreApplication.translate("BodyParts", region.words), region.anchor)

    def add_chosen(self) -> None:
        """A mark on the part chosen in the list, placed in the middle of that part (a
        little lower for each mark already there, so numbers do not cover each other)."""
        anchor = self.part.currentData()
        if not isinstance(anchor, tuple | list) or len(anchor) != 2:
            return
        view = self.view()
        x, y = float(anchor[0]), float(anchor[1])
        region = region_at(view, x, y)
        already = len(
            [
                mark
                for mark in self._marks
                if mark["view"] == view
                and region_at(view, float(cast(float, mark["x"])), float(cast(float, mark["y"])))
                == region
            ]
        )
        _x0, y0, _x1, y1 = region.box
        step = (y1 - y0) / 6
        y = min(max(y0, y + step * ((already + 1) // 2) * (1 if already % 2 else -1)), y1)
        self.add_mark(view, round(x, 4), round(y, 4))

    # The marks -------------------------------------------------------------------------

    def add_mark(self, view: str, x: float, y: float, note: str = "") -> None:
        if len(self._marks) >= MAX_BODY_MARKS:
            return
        self._marks.append({"view": view, "x": x, "y": y, "note": note})
        row = _MarkRow()
        row.note.setPlainText(note)
        row.note.textChanged.connect(self._notes_changed)
        row.remove_requested.connect(self._remove_row)
        self._rows.append(row)
        self.list_layout.addWidget(row)
        # Shown now (a layout would show it later): the focus can go straight to its note.
        if self.isVisible():
            row.show()
        self._refresh()
        self.arrange_tab_order()
        if note == "":
            row.note.setFocus()
            bring_into_view(row)
        self.changed.emit()

    def arrange_tab_order(self) -> None:
        """Front or back, the part, Add, then each mark's note and Remove, then the
        outlines: the order they are read in."""
        chain: list[QWidget] = [self.front_radio, self.back_radio, self.part, self.add_button]
        for row in self._rows:
            chain += [row.note, row.remove_button]
        chain += [self.canvases[view] for view in VIEWS]
        for before, after in itertools.pairwise(chain):
            self.setTabOrder(before, after)

    def remove_mark(self, index: int) -> None:
        row = self._rows.pop(index)
        self._marks.pop(index)
        row.hide()
        row.deleteLater()
        self._refresh()
        if self._rows:
            self._rows[min(index, len(self._rows) - 1)].note.setFocus()
        else:
            self.part.setFocus()
        self.changed.emit()

    def _remove_row(self, row: object) -> None:
        if row in self._rows:
            self.remove_mark(self._rows.index(row))

    def _notes_changed(self) -> None:
        for mark, row in zip(self._marks, self._rows, strict=True):
            mark["note"] = row.note.toPlainText()
        self.changed.emit()

    def _refresh(self) -> None:
        for number, (mark, row) in enumerate(zip(self._marks, self._rows, strict=True), 1):
            row.show_number(number, str(mark["view"]), float(mark["x"]), float(mark["y"]))  # type: ignore[arg-type]
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

    def note_edit(self, index: int) -> QPlainTextEdit:
        return self._rows[index].note
