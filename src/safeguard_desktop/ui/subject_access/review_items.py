"""The two lists of a request's review: every item of the child's file, each to withhold
or release, and the words to take out wherever they appear.

Both only show what the review read and say what the lead chose (signals); the review
dialog saves it on the worker and reads the review again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.subject_access import MAX_TERM, Exemption, Term
from safeguard_desktop.domain.text import display_safe, single_line
from safeguard_desktop.services.child_records import Item

from ..theme import ERROR_INK, bold, heading, hint, paragraph
from ..widgets.form_fields import read_whole
from ..widgets.page_parts import sized_button
from ..widgets.record_text import record_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("SubjectAccess", text)


def exemption_choice(accessible: str) -> QComboBox:
    """The exemptions in their labels' words; the value of each is the Exemption."""
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    for exemption in Exemption:
        combo.addItem(_tr(exemption.label), exemption)
    # Gives way on the narrowest screens (1024x768 at 150 %).
    return read_whole(combo, narrowest=16)


def empty(layout: QLayout) -> None:
    """Take every widget out of ``layout`` and delete it (a list drawn again)."""
    while layout.count():
        old = layout.takeAt(0)
        widget = old.widget() if old is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def _narrowable(label: QLabel) -> QLabel:
    """A record's text never widens the list past its column: a long word (a file name,
    an email address) is cut at the edge rather than push the buttons out of view."""
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class ItemCard(QFrame):
    """One record: its heading and text, whether it is released, and the control to
    change that. ``withhold_requested(key, exemption)``, ``release_requested(key)``."""

    withhold_requested = Signal(str, object)
    release_requested = Signal(str)

    def __init__(
        self,
        item: Item,
        withheld: Exemption | None,
        answered: bool,
        parent: QWidget | None = None,
        *,
        with_concern: bool = False,
    ) -> None:
        super().__init__(parent)
        self.item = item
        self.setProperty("sgRole", "card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = single_line(display_safe(item.heading))
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addWidget(_narrowable(bold(record_label(item.heading, _tr("Record")))))
        if item.lines:
            layout.addWidget(_narrowable(record_label("\n".join(item.lines), _tr("What it says"))))
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.state)
        self.choice: QComboBox | None = None
        self.withhold_button: QPushButton | None = None
        self.release_button: QPushButton | None = None
        if withheld is not None:
            self.state.setText(_tr("Withheld: {why}").format(why=_tr(withheld.label)))
            self.state.setStyleSheet(f"color: {ERROR_INK}; font-weight: bold;")
            self.state.setAccessibleName(_tr("Withheld"))
            if with_concern:
                # Releasing it alone would change nothing: its concern's story goes with it.
                self.state.setText(
                    _tr(
                        "Withheld with its concern: {why}. Release the concern to release it."
                    ).format(why=_tr(withheld.label))
                )
            elif not answered:
                self.release_button = sized_button(
                    _tr("Release after all"),
                    _tr("Release after all: {item}").format(item=title),
                    lambda: self.release_requested.emit(item.key),
                )
                row = QHBoxLayout()
                row.addWidget(self.release_button)
                row.addStretch(1)
                layout.addLayout(row)
        else:
            self.state.setText(_tr("Released (words taken out are shown as [removed])"))
            self.state.setAccessibleName(_tr("Released"))
            self.state.setProperty("sgRole", "hint")
            if not answered:
                self.choice = exemption_choice(_tr("Why withhold: {item}").format(item=title))
                self.withhold_button = sized_button(
                    _tr("Withhold"), _tr("Withhold: {item}").format(item=title), self._withhold
                )
                row = QHBoxLayout()
                row.addWidget(self.choice, 1)
                row.addWidget(self.withhold_button)
                layout.addLayout(row)

    def _withhold(self) -> None:
        if self.choice is not None:
            self.withhold_requested.emit(self.item.key, self.choice.currentData())


class ItemList(QWidget):
    """Every item, grouped under its section's heading."""

    withhold_requested = Signal(str, object)
    release_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 8, 0)
        self.column.setSpacing(8)
        self.cards: list[ItemCard] = []

    def show_items(
        self, items: Sequence[Item], withheld: dict[str, Exemption], answered: bool
    ) -> None:
        empty(self.column)
        self.cards = []
        section = None
        for item in items:
            if item.section != section:
                section = item.section
                self.column.addWidget(heading(_tr(section), level=2))
            concern_key = f"concern:{item.concern}"
            with_concern = (
                bool(item.concern) and item.key != concern_key and concern_key in withheld
            )
            card = ItemCard(item, withheld.get(item.key), answered, with_concern=with_concern)
            card.withhold_requested.connect(self.withhold_requested)
            card.release_requested.connect(self.release_requested)
            self.cards.append(card)
            self.column.addWidget(card)
        self.column.addStretch(1)

    def card(self, key: str) -> ItemCard:
        return next(card for card in self.cards if card.item.key == key)


class TermsPanel(QWidget):
    """Words to take out: the list, and a field with its exemption to add one.
    ``add_requested(text, exemption)``, ``remove_requested(term_id)``."""

    add_requested = Signal(str, object)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(heading(_tr("Words to take out"), level=2))
        note = hint(
            _tr(
                "Names, addresses or anything else about another person. Each is taken out "
                "wherever it appears in the response, in any case and with or without "
                "accents, and shows as [removed]."
            )
        )
        layout.addWidget(note)
        self.list = QListWidget()
        self.list.setAccessibleName(_tr("Words taken out"))
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        layout.addWidget(self.list, 1)
        self.none_line = hint(_tr("Nothing is taken out yet."))
        layout.addWidget(self.none_line)
        self.remove_button = sized_button(
            _tr("P&ut the chosen words back"), _tr("Put the chosen words back"), self._remove
        )
        layout.addWidget(self.remove_button)
        caption = paragraph(_tr("&Take out:"))
        self.text = QLineEdit()
        self.text.setMaxLength(MAX_TERM)
        self.text.setAccessibleName(_tr("Words to take out"))
        self.text.setPlaceholderText(_tr("A name, an address…"))
        caption.setBuddy(self.text)
        layout.addWidget(caption)
        layout.addWidget(self.text)
        self.choice = exemption_choice(_tr("Why take these words out"))
        layout.addWidget(self.choice)
        self.add_button = sized_button(
            _tr("Take these words &out"), _tr("Take these words out"), self._add
        )
        self.text.returnPressed.connect(self._add)
        layout.addWidget(self.add_button)
        self.list.itemSelectionChanged.connect(self._selection)
        self._answered = False

    def show_terms(self, terms: Sequence[tuple[int, Term]], answered: bool) -> None:
        self._answered = answered
        self.list.clear()
        for term_id, term in terms:
            row = QListWidgetItem(
                _tr("{words} ({why})").format(
                    words=single_line(display_safe(term.text)), why=_tr(term.exemption.label)
                )
            )
            row.setData(Qt.ItemDataRole.UserRole, term_id)
            self.list.addItem(row)
        self.none_line.setVisible(not terms)
        for widget in (self.text, self.choice, self.add_button):
            widget.setVisible(not answered)
        self._selection()

    def _selection(self) -> None:
        self.remove_button.setVisible(not self._answered)
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    def _add(self) -> None:
        if self.text.text().strip():
            self.add_requested.emit(self.text.text(), self.choice.currentData())

    def _remove(self) -> None:
        chosen = self.list.selectedItems()
        if chosen:
            self.remove_requested.emit(int(chosen[0].data(Qt.ItemDataRole.UserRole)))
