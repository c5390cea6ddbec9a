"""The Concerns page's filter controls: categories as a check-list popup, optional dates.

``CategoryFilter`` is a button that says what is chosen ("Any category", "Neglect",
"3 categories") and opens a popup list of check boxes, worked with the mouse or with the
arrow keys, Space to tick and Enter or Escape to close. ``OptionalDate`` is a tick box
and a date: until it is ticked there is no date, which is easier to see (and to say to a
screen reader) than a special "no date" value hidden inside the date field.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.categories import CATEGORIES

from ..theme import hint, text_width
from ..widgets.form_fields import date_edit, to_date
from .concern_models import category_label


class CategoryList(QListWidget):
    """The categories with check boxes; Enter or Escape closes the popup it is in."""

    close_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            self.close_requested.emit()
            return
        super().keyPressEvent(event)


class CategoryFilter(QPushButton):
    """A button saying which categories are chosen; it opens a check-list to choose them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Categories to show"))
        self.popup = QFrame(self, Qt.WindowType.Popup)
        self.popup.setFrameShape(QFrame.Shape.StyledPanel)
        self.popup.setAccessibleName(self.tr("Choose categories"))
        layout = QVBoxLayout(self.popup)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(hint(self.tr("Concerns in any of the ticked categories:")))
        self.list = CategoryList()
        self.list.setAccessibleName(self.tr("Categories"))
        for category in CATEGORIES:
            item = QListWidgetItem(self.tr(category.label))
            item.setData(Qt.ItemDataRole.UserRole, category.id)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setMinimumWidth(text_width(52))
        rows = min(len(CATEGORIES), 14)
        self.list.setMinimumHeight(self.list.sizeHintForRow(0) * rows + 8)
        layout.addWidget(self.list)
        buttons = QHBoxLayout()
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setAccessibleName(self.tr("Clear the categories"))
        self.clear_button.clicked.connect(self.clear)
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.setAccessibleName(self.tr("Done choosing categories"))
        self.done_button.clicked.connect(self.popup.hide)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)
        self.list.itemChanged.connect(self._item_changed)
        self.list.close_requested.connect(self._close_popup)
        self.clicked.connect(self.show_popup)
        self._update_text()

    def chosen(self) -> tuple[str, ...]:
        return tuple(
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        )

    def set_chosen(self, ids: tuple[str, ...]) -> None:
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._update_text()

    def clear(self) -> None:
        if self.chosen():
            self.set_chosen(())
            self.changed.emit()

    def show_popup(self) -> None:
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()
        self.list.setFocus()
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)

    def _close_popup(self) -> None:
        self.popup.hide()
        self.setFocus()

    def _item_changed(self, _: QListWidgetItem) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        chosen = self.chosen()
        if not chosen:
            text = self.tr("Any category")
        elif len(chosen) == 1:
            text = self.tr(category_label(chosen[0]))
        else:
            text = self.tr("{n} categories").format(n=len(chosen))
        self.setText(text + " ▾")
        self.setAccessibleDescription(text)


class OptionalDate(QWidget):
    """A tick box and a date: no date until ticked (the "no date" state is unmistakable)."""

    changed = Signal()

    def __init__(self, label: str, accessible: str, default: QDate) -> None:
        super().__init__()
        self.check = QCheckBox(label)
        self.check.setAccessibleName(accessible)
        self.check.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # The theme's larger tick box (1.1em, 0.5em gap) is not in Qt's size hint, which
        # cut a short label like "To" to "T".
        metrics = self.check.fontMetrics()
        em = metrics.height()
        self.check.setFixedWidth(
            int(em * 1.6) + metrics.horizontalAdvance(label.replace("&", "")) + 12
        )
        self.date: QDateEdit = date_edit(accessible)
        self.date.setMaximumDate(QDate.currentDate().addYears(1))
        self.date.setMinimumDate(QDate(1900, 1, 1))
        self.date.setDate(default)
        self.date.setEnabled(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.check)
        row.addWidget(self.date)
        self.check.toggled.connect(self._toggled)
        self.date.dateChanged.connect(lambda _: self.changed.emit())

    def _toggled(self, on: bool) -> None:
        self.date.setEnabled(on)
        if on:
            self.date.setFocus()
        self.changed.emit()

    def value(self) -> date | None:
        return to_date(self.date.date()) if self.check.isChecked() else None

    def clear(self) -> None:
        self.check.setChecked(False)
