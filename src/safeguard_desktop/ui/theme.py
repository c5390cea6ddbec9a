"""The calm look of the app: Fusion style, a quiet palette, generous spacing, big targets.

Also the few standard labels every page uses (headings, hints, one-sentence errors),
so that every page speaks with the same voice and nobody re-invents error red.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

# Big enough for an unsteady hand or a touch screen, the smallest WCAG suggests is 24 px.
BUTTON_MIN_HEIGHT = 36
FIELD_MIN_HEIGHT = 32

INK = "#1d2733"
MUTED_INK = "#4a5868"
PAPER = "#f4f5f7"
ACCENT = "#2f6690"
ERROR_INK = "#a4262c"
GOOD_INK = "#1e6b3a"
WARNING_INK = "#7a3e00"

_BASE_SIZE_PROPERTY = "sgBaseFontPointSize"

_STYLE_SHEET = f"""
QPushButton {{ min-height: {BUTTON_MIN_HEIGHT - 8}px; padding: 3px 18px; }}
QToolButton {{ min-height: {BUTTON_MIN_HEIGHT - 8}px; padding: 3px 12px; }}
/* A search box's clear button is a QToolButton too: it must fit inside the box. */
QLineEdit QToolButton {{ min-height: 0px; padding: 0px; }}
QLineEdit, QSpinBox, QComboBox {{ min-height: {FIELD_MIN_HEIGHT - 8}px; padding: 1px 6px; }}
QToolBar {{ spacing: 6px; padding: 4px 8px; }}
QToolBar QToolButton {{
    background: #ffffff; border: 1px solid #c3cad2; border-radius: 5px; margin: 2px;
}}
QToolBar QToolButton:hover {{ background: #eef3f8; border-color: {ACCENT}; }}
QToolBar QToolButton:focus {{ border: 2px solid {ACCENT}; }}
QTableView {{ gridline-color: #e1e5ea; }}
QTableView::item {{ padding: 2px 8px; }}
QHeaderView::section {{
    padding: 4px 8px; background: #e9edf1; border: none;
    border-bottom: 1px solid #d5dae0; border-right: 1px solid #d5dae0;
}}
QCheckBox::indicator, QRadioButton::indicator {{ width: 1.1em; height: 1.1em; }}
QCheckBox, QRadioButton {{ spacing: 0.5em; }}
QLabel[sgRole="error"] {{ color: {ERROR_INK}; }}
QDateTimeEdit[sgRole="refused"] {{ border: 2px solid {ERROR_INK}; border-radius: 3px; }}
QLabel[sgRole="good"] {{ color: {GOOD_INK}; }}
QLabel[sgRole="hint"] {{ color: {MUTED_INK}; }}
QLabel[sgRole="warning"] {{ color: {WARNING_INK}; font-weight: 600; }}
QFrame[sgRole="banner"] {{
    background: #fff6d6; border: 1px solid #d9c27a; border-radius: 6px;
}}
QFrame[sgRole="alarm"] {{
    background: #fdecea; border: 2px solid {ERROR_INK}; border-radius: 6px;
}}
QFrame[sgRole="warning"] {{
    background: #fff1dc; border: 2px solid #b25e00; border-radius: 6px;
}}
QFrame[sgRole="card"] {{
    background: #ffffff; border: 1px solid #d5dae0; border-radius: 8px;
}}
/* A child's file's tabs (widgets/wrapping_tabs.py): flat names, the open one underlined,
   the focused one framed, on as many lines as the width needs. */
QFrame[sgRole="tabs"] {{ border: none; border-bottom: 1px solid #c3cad2; }}
QPushButton[sgRole="tab"] {{
    background: transparent; border: 2px solid transparent; border-bottom: 3px solid transparent;
    border-radius: 0px; padding: 3px 10px;
}}
QPushButton[sgRole="tab"]:hover {{ background: #e9edf1; }}
QPushButton[sgRole="tab"]:checked {{ background: #ffffff; border-bottom: 3px solid {ACCENT}; }}
QPushButton[sgRole="tab"]:focus {{ border: 2px solid {ACCENT}; border-bottom: 3px solid {ACCENT}; }}
QWidget[sgRole="steps"] {{ background: #e9edf1; border-right: 1px solid #d5dae0; }}
QListWidget[sgRole="navigation"] {{
    background: #e9edf1; border: none; padding: 8px 4px;
}}
QListWidget[sgRole="navigation"]::item {{ padding-left: 12px; border-radius: 6px; }}
QListWidget[sgRole="navigation"]::item:selected {{ background: {ACCENT}; color: white; }}
"""


def apply_theme(app: QApplication, font_scale: float = 1.0) -> None:
    """Fusion with a light, low-contrast-background but high-contrast-text palette."""
    app.setStyle("Fusion")
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: PAPER,
        QPalette.ColorRole.WindowText: INK,
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#eef1f4",
        QPalette.ColorRole.Text: INK,
        QPalette.ColorRole.Button: "#e8ebef",
        QPalette.ColorRole.ButtonText: INK,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: INK,
        QPalette.ColorRole.PlaceholderText: "#6b7785",
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.BrightText: "#ffffff",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a949e"))
    app.setPalette(palette)

    # Remember the platform's own size once, so theming again (another font scale)
    # starts from it instead of compounding.
    if app.property(_BASE_SIZE_PROPERTY) is None:
        app.setProperty(_BASE_SIZE_PROPERTY, max(app.font().pointSizeF(), 10.0))
    font = QFont(app.font())
    # Slightly larger than most desktop defaults: people read this under stress.
    font.setPointSizeF(float(app.property(_BASE_SIZE_PROPERTY)) * 1.1 * font_scale)
    app.setFont(font)
    app.setStyleSheet(_STYLE_SHEET)
    ShownFocus.install(app)


class ShownFocus(QObject):
    """Fusion draws the frame that shows which tick box or radio button has the keyboard
    only once the keyboard has moved the focus in that window (Tab); when the app puts
    the focus there (a refusal, a page opening at its first choice) nothing showed where
    it was. Any focus that did not come from the mouse now counts as the keyboard's, so
    the frame is drawn, in the style's own look. Installed once on the application."""

    _INSTALLED = "sgShownFocusInstalled"
    _QUIET = (
        Qt.FocusReason.MouseFocusReason,
        Qt.FocusReason.PopupFocusReason,
        Qt.FocusReason.ActiveWindowFocusReason,
        Qt.FocusReason.MenuBarFocusReason,
    )

    @classmethod
    def install(cls, app: QApplication) -> None:
        if not app.property(cls._INSTALLED):
            app.installEventFilter(cls(app))
            app.setProperty(cls._INSTALLED, True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusIn
            and isinstance(event, QFocusEvent)
            and isinstance(watched, QCheckBox | QRadioButton)
            and event.reason() not in self._QUIET
        ):
            window = watched.window()
            if not window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange):
                window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
            watched.update()
        return False


def restyle(widget: QWidget) -> None:
    """Apply the style sheet again after a property it matches on (sgRole) changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def _scaled_font(scale: float, bold: bool) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


def heading(text: str, level: int = 1) -> QLabel:
    """A page heading (level 1) or section heading (level 2)."""
    label = QLabel(text)
    label.setFont(_scaled_font(1.6 if level == 1 else 1.2, bold=True))
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def urgent_line(text: str, scale: float) -> QLabel:
    """A very large, bold, red instruction that cannot be missed ("Call 999 now")."""
    label = QLabel(text)
    label.setFont(_scaled_font(scale, bold=True))
    label.setStyleSheet(f"color: {ERROR_INK};")
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def bold(label: QLabel) -> QLabel:
    """``label`` in bold (its own font, so a larger one stays larger); returned."""
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def paragraph(text: str = "") -> QLabel:
    """Body text that wraps instead of being cut off at any window size or font size."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def hint(text: str = "") -> QLabel:
    """A quieter line under a field saying what is expected."""
    label = paragraph(text)
    label.setProperty("sgRole", "hint")
    return label


class MessageLine(QLabel):
    """One sentence under a field: an error (red) or a confirmation (green).

    Hidden when empty so a form does not carry blank gaps. Setting an error also
    becomes the accessible description and raises an Alert event, which screen
    readers announce like an ARIA role="alert".
    """

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(accessible_name)
        self.hide()
        self._field: QWidget | None = None
        self._field_description = ""
        self._visible_when_placed: bool | None = None

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ParentChange
            and self.parentWidget() is not None
            and self._visible_when_placed is not None
        ):
            visible, self._visible_when_placed = self._visible_when_placed, None
            self.setVisible(visible)
        return super().event(event)

    def describe(self, field: QWidget) -> None:
        """While this line shows an error, it is also ``field``'s accessible description,
        so a screen reader landing on the field says what is wrong with it."""
        if field is self._field:
            return
        self._field = field
        self._field_description = field.accessibleDescription()

    def set_field_description(self, description: str) -> None:
        """The described field's own description (what it says with no error shown)."""
        self._field_description = description
        if self._field is not None and not (self.property("sgRole") == "error" and self.text()):
            self._field.setAccessibleDescription(description)

    def show_error(self, sentence: str) -> None:
        self._show(sentence, "error")
        if sentence:
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def show_good(self, sentence: str) -> None:
        self._show(sentence, "good")

    def show_info(self, sentence: str) -> None:
        self._show(sentence, "hint")

    def clear_message(self) -> None:
        self._show("", "error")

    def _show(self, sentence: str, role: str) -> None:
        self.setProperty("sgRole", role)
        # Re-polish so the colour from the style sheet follows the new role.
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(sentence)
        self.setAccessibleDescription(sentence)
        if self.parentWidget() is None:
            # Not placed on a page yet: shown when it is. A line shown now would be a small
            # window of its own, which takes the keyboard away from the real one.
            self._visible_when_placed = bool(sentence)
        else:
            self.setVisible(bool(sentence))
        if self._field is not None:
            error = role == "error" and bool(sentence)
            self._field.setAccessibleDescription(sentence if error else self._field_description)


def banner(text: str) -> QFrame:
    """A soft yellow box for something the user should notice but need not fear."""
    frame = QFrame()
    frame.setProperty("sgRole", "banner")
    label = paragraph(text)
    label.setAccessibleName(text)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 10)
    layout.addWidget(label)
    return frame


def alarm_box(title: str, *, warning: bool = False) -> tuple[QFrame, QVBoxLayout]:
    """A red (or, with ``warning``, amber) box for something that must be dealt with.

    The bold ``title`` says in words what is wrong, so the box never relies on its
    colour (an empty title: the heading above the box says it); the caller fills the
    layout under it (the sentence, the buttons).
    """
    frame = QFrame()
    frame.setProperty("sgRole", "warning" if warning else "alarm")
    frame.setAccessibleName(title)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 14)
    layout.setSpacing(8)
    if not title:
        return frame, layout  # the page's own heading says it; the box holds the sentence
    label = QLabel(title)
    label.setFont(_scaled_font(1.2, bold=True))
    label.setWordWrap(True)
    label.setAccessibleName(title)
    label.setStyleSheet(f"color: {WARNING_INK if warning else ERROR_INK};")
    layout.addWidget(label)
    return frame, layout


def card() -> QFrame:
    """A white panel that groups one thing on a page."""
    frame = QFrame()
    frame.setProperty("sgRole", "card")
    return frame


def taller(button: QPushButton, height: int) -> None:
    """Make ``button`` at least ``height`` pixels tall.

    The theme's style sheet gives every button its min-height when the button is
    polished, which overrides setMinimumHeight(); a rule on the button itself wins.
    """
    # The theme's padding (3 px above and below) and border (1 px) come on top.
    rule = f"QPushButton {{ min-height: {height - 8}px; }}"
    button.setStyleSheet(f"{button.styleSheet()}\n{rule}".strip())


def text_width(characters: int) -> int:
    """A width in pixels that holds about this many characters of body text.

    Widths follow the font, so a page laid out for 60 characters still holds 60
    when the font is 150 %.
    """
    return QFontMetrics(QApplication.font()).averageCharWidth() * characters


def readable_column(content: QWidget, characters: int = 90) -> QWidget:
    """Keep a page's content to a comfortable line length on a wide window."""
    content.setMaximumWidth(text_width(characters))
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(content, 1)
    row.addStretch(0)
    return holder


class FollowFocus(QObject):
    """Keeps the control with the keyboard in sight in ``area``, however the focus came
    there: Tab (which Qt's scroll area follows itself), an Alt key, or the app putting
    it in the field at fault (which Qt's does not). Owned by the area."""

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self._area = area
        self._target: QWidget | None = None
        # Once the layout has run: a field just shown (a refusal's sentence, a step
        # opened) has no place yet when the focus moves to it.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._scroll)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if not shiboken6.isValid(self._area):
            return  # the area is being destroyed (its children lose the focus as it goes)
        content = self._area.widget()
        if now is None or content is None or not content.isAncestorOf(now):
            return
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return  # clicked: it is where the pointer is, already in sight
        self._target = now
        self._timer.start()

    def _scroll(self) -> None:
        target, self._target = self._target, None
        if not shiboken6.isValid(self._area) or not (target and shiboken6.isValid(target)):
            return
        content = self._area.widget()
        if content is None or not content.isAncestorOf(target):
            return  # gone meanwhile (a page rebuilt, a lock)
        if target.isVisible() and target.hasFocus():
            self._area.ensureWidgetVisible(target, 20, 20)


def follow_focus(area: QScrollArea) -> QScrollArea:
    """Make ``area`` scroll to whatever takes the keyboard inside it (:class:`FollowFocus`)."""
    # Its own, not one an inner scrolling list already has inside the content.
    if area.findChild(FollowFocus, options=Qt.FindChildOption.FindDirectChildrenOnly) is None:
        FollowFocus(area)
    return area


def scroll_area(content: QWidget, *, sideways: bool = False) -> QScrollArea:
    """``content`` in a frameless area that scrolls it up and down (and sideways only
    when ``sideways``: a wide table), which is never a Tab stop of its own: Tab goes
    from field to field, and the area scrolls to each one as it is reached, by Tab, an
    Alt key or the app (:func:`follow_focus`)."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    if not sideways:
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return follow_focus(area)


def scrolling_page(page: QWidget, content: QWidget, *, sideways: bool = False) -> QScrollArea:
    """Fill ``page`` with ``content`` in a :func:`scroll_area`, edge to edge."""
    area = scroll_area(content, sideways=sideways)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    return area


def centred_page(page: QWidget, *pieces: QWidget, gap: int = 12) -> None:
    """Lay ``pieces`` on ``page`` one under another, each centred, a little above the middle.

    The first-run and sign-in pages: their card scrolls when the font is large.
    """
    content = QWidget()
    centre = QVBoxLayout(content)
    centre.setContentsMargins(24, 24, 24, 24)
    centre.addStretch(1)
    for index, piece in enumerate(pieces):
        if index:
            centre.addSpacing(gap)
        # Stretches rather than an alignment flag: an aligned widget loses Qt's
        # height-for-width, and wrapped sentences in the card would be cut off.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(piece)
        row.addStretch(1)
        centre.addLayout(row)
    centre.addStretch(2)
    scrolling_page(page, content)


def table_rows(table: QTableView) -> None:
    """Roomy rows without the row-number column, for the read-only lists; Tab leaves the
    table for the next control (the arrow keys move in it), never trapped cell by cell."""
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(QFontMetrics(table.font()).height() + 16)
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
