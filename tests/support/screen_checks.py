"""What every screen and dialog must get right for someone on a small screen or a keyboard.

Each function returns a list of readable problems (empty when all is well), so a test can
walk many screens and report every problem at once:

* :func:`alt_key_clashes`: an Alt key (a letter after "&") that belongs to more than one
  control shown in the same window.
* :func:`cut_off`: text a label, button, tick box or radio button is too small to show; a
  choice box too narrow for the longest of its choices (the one chosen is shown cut); a
  page wider than the scroll area it is in (its right edge hidden); a window smaller than
  its contents need; tabs that do not all fit their bar (some behind scroll arrows).
* :func:`cut_headers`: a table's column heading narrower than its words.
* :func:`not_in_view`: controls that must be seen (Next, Back, the header's buttons) that
  are hidden or outside the window.
* :func:`tab_order_problems`: Tab going back up the page, or right to left on one line,
  or kept in a table (:func:`tab_traps`).
* :func:`scrolls_with_room_to_spare`: a dialog whose body scrolls while the screen has
  room for more of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QToolButton,
    QWidget,
)

_MNEMONIC = re.compile(r"&([^&\s])")


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.window() is root.window() and widget.isVisibleTo(root.window())


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _name(widget: QWidget, text: str = "") -> str:
    shown = (text or widget.accessibleName() or type(widget).__name__).replace("&", "")
    return f"{type(widget).__name__} {shown!r}"


def alt_keys(root: QWidget) -> dict[str, list[str]]:
    """Every Alt key shown in ``root``'s window, and what each belongs to."""
    keys: dict[str, list[str]] = {}

    def add(letter: str | None, what: str) -> None:
        if letter:
            keys.setdefault(letter, []).append(what)

    window = root.window()
    for button in window.findChildren(QAbstractButton):
        if _shown(button, window) and not (
            isinstance(button, QToolButton) and button.defaultAction() is not None
        ):
            add(_letter(button.text()), _name(button, button.text()))
    for label in window.findChildren(QLabel):
        buddy = label.buddy()
        if (
            buddy is not None
            and _shown(label, window)
            and _shown(buddy, window)
            and label.textFormat() != Qt.TextFormat.RichText
        ):
            add(_letter(label.text()), _name(label, label.text()))
    for box in window.findChildren(QGroupBox):
        if _shown(box, window) and box.isCheckable():
            add(_letter(box.title()), _name(box, box.title()))
    for bar in window.findChildren(QTabBar):
        if _shown(bar, window):
            for index in range(bar.count()):
                if bar.isTabVisible(index):
                    add(_letter(bar.tabText(index)), f"tab {bar.tabText(index)!r}")
    return keys


def alt_key_clashes(root: QWidget, where: str = "") -> list[str]:
    return [
        f"{where}Alt+{letter.upper()}: {', '.join(owners)}"
        for letter, owners in sorted(alt_keys(root).items())
        if len(owners) > 1
    ]


def _text_width(widget: QWidget, text: str) -> int:
    return QFontMetrics(widget.font()).horizontalAdvance(text.replace("&&", "\0").replace("&", ""))


def cut_off(root: QWidget, where: str = "") -> list[str]:
    """Text that does not fit where it is shown, and pages wider than their window."""
    problems: list[str] = []
    window = root.window()
    for label in root.findChildren(QLabel):
        if (
            _shown(label, window)
            and label.text()
            and not label.wordWrap()
            and label.textFormat() != Qt.TextFormat.RichText
            and "\n" not in label.text()
            and label.pixmap().isNull()
            and label.width() + 1 < _text_width(label, label.text())
        ):
            problems.append(f"{where}{_name(label, label.text())} is cut off")
    for button in root.findChildren(QAbstractButton):
        if not _shown(button, window) or not button.text():
            continue
        if isinstance(button, QPushButton | QCheckBox | QRadioButton):
            needed = button.minimumSizeHint()
            if button.hasHeightForWidth():
                needed.setHeight(button.heightForWidth(button.width()))
            if button.width() + 1 < needed.width() or button.height() + 1 < needed.height():
                problems.append(
                    f"{where}{_name(button, button.text())} is {button.width()}x"
                    f"{button.height()}, needs {needed.width()}x{needed.height()}"
                )
    for combo in root.findChildren(QComboBox):
        if not _shown(combo, window) or combo.isEditable() or not combo.count():
            continue
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
        )
        metrics = QFontMetrics(combo.font())
        needed, longest = max(
            (metrics.horizontalAdvance(combo.itemText(i)), combo.itemText(i))
            for i in range(combo.count())
        )
        if field.width() + 1 < needed:
            problems.append(
                f"{where}{_name(combo)} shows {field.width()} px of a choice, "
                f"but {longest!r} needs {needed}"
            )
    for bar in root.findChildren(QTabBar):
        if _shown(bar, window) and bar.count():
            last = max(bar.tabRect(i).right() for i in range(bar.count()))
            if bar.tabRect(0).left() < 0 or last > bar.width():
                problems.append(
                    f"{where}the tabs {', '.join(repr(bar.tabText(i)) for i in range(bar.count()))}"
                    f" need {last} px across but have {bar.width()}: some hide behind arrows"
                )
    for area in root.findChildren(QScrollArea):
        content = area.widget()
        if (
            content is None
            or not _shown(area, window)
            or area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        ):
            continue
        needed = content.minimumSizeHint().width()
        if needed > area.viewport().width() + 1:
            problems.append(
                f"{where}a page needs {needed} px across but has {area.viewport().width()}: "
                f"its right side is hidden ({_widest_child(content, area.viewport().width())})"
            )
    return problems


def cut_headers(root: QWidget, where: str = "") -> list[str]:
    """A table's column heading narrower than its words need (Qt's own measure of them,
    with the style sheet's padding): the heading is cut ("What happene")."""
    problems = []
    for header in root.findChildren(QHeaderView):
        if not _shown(header, root.window()) or header.orientation() != Qt.Orientation.Horizontal:
            continue
        model = header.model()
        for section in range(header.count()):
            if model is None or header.isSectionHidden(section):
                continue
            text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
            needed = header.sectionSizeFromContents(section).width()
            if text and header.sectionSize(section) + 1 < needed:
                problems.append(
                    f"{where}the column heading {text!r} is {header.sectionSize(section)} px "
                    f"wide, needs {needed}: cut off"
                )
    return problems


def _widest_child(content: QWidget, room: int) -> str:
    """The deepest widgets that want more room than there is, to say what to fix."""
    culprits = [
        _name(child)
        for child in content.findChildren(QWidget)
        if child.isVisibleTo(content)
        and child.minimumSizeHint().width() > room - 40
        and not any(
            grandchild.minimumSizeHint().width() > room - 40
            for grandchild in child.findChildren(QWidget)
            if grandchild.isVisibleTo(child)
        )
    ]
    return ", ".join(culprits[:4]) or "?"


def not_in_view(window: QWidget, widgets: Iterable[QWidget], where: str = "") -> list[str]:
    """Each of ``widgets`` is shown and wholly inside ``window``."""
    problems = []
    inside = window.rect()
    for widget in widgets:
        if not widget.isVisibleTo(window):
            problems.append(f"{where}{_name(widget, getattr(widget, 'text', str)())} is hidden")
            continue
        top_left = widget.mapTo(window, QPoint(0, 0))
        rect = QRect(top_left, widget.size())
        if not inside.contains(rect):
            problems.append(
                f"{where}{_name(widget, getattr(widget, 'text', str)())} is at "
                f"{rect.getRect()}, outside the window {inside.getRect()}"
            )
    return problems


def tab_stops(root: QWidget) -> list[QWidget]:
    """The widgets inside ``root`` that Tab stops at, in the order Tab goes."""
    stops: list[QWidget] = []
    widget = root.nextInFocusChain()
    seen: set[int] = set()
    while widget is not None and widget is not root and id(widget) not in seen:
        seen.add(id(widget))
        # Only the checked button of a group of radio buttons is a Tab stop.
        unchecked_in_group = (
            isinstance(widget, QRadioButton)
            and not widget.isChecked()
            and any(
                sibling.isChecked()
                for sibling in (widget.group().buttons() if widget.group() else [])
            )
        )
        if (
            root.isAncestorOf(widget)
            and widget.isVisibleTo(root)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not unchecked_in_group
        ):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def _scroller(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def tab_order_problems(root: QWidget, where: str = "") -> list[str]:
    """Tab must go down the page, and left to right along a line. Tab goes round: one
    step back to the top is where it wraps from the last stop to the first."""
    problems = []
    stops = tab_stops(root)
    for before, after in zip(stops, stops[1:] + stops[:1], strict=False):
        if _scroller(before) is not _scroller(after):
            # One scrolls and the other stays (a dialog's buttons below what scrolls):
            # where each is on the screen says nothing of the order they are read in.
            continue
        a = QRect(before.mapToGlobal(QPoint(0, 0)), before.size())
        b = QRect(after.mapToGlobal(QPoint(0, 0)), after.size())
        same_line = b.top() < a.bottom() and a.top() < b.bottom()
        if (same_line and b.left() + 2 < a.left()) or (not same_line and b.top() < a.top()):
            problems.append(
                f"{where}Tab goes from {_name(before)} {a.getRect()} back to "
                f"{_name(after)} {b.getRect()}"
            )
    # The wrap from the last stop back to the first is the one step back allowed.
    problems = problems[1:] if len(stops) > 1 else problems
    return problems + [f"{where}{trap}" for trap in tab_traps(root)]


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls shown in ``root`` that a screen reader would announce without a name.

    Buttons, tick boxes, text boxes, lists, combo and spin boxes; the line edit inside a
    spin box or combo box is named through its owner, and a table's header by its table.
    """
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit)
    return [
        f"{type(w).__name__} {w.objectName() or getattr(w, 'text', lambda: '')()!r}"
        for kind in (*kinds, QAbstractItemView)
        for w in root.findChildren(kind)
        if w.isVisibleTo(root)
        and not w.accessibleName()
        and not isinstance(w.parent(), QAbstractSpinBox | QComboBox)
        and not isinstance(w, QHeaderView)
    ]


def scrolls_with_room_to_spare(dialog: QWidget, largest: QSize, where: str = "") -> list[str]:
    """A dialog whose body was made to scroll (screen_fit.fit_dialog) must first have
    grown as far as the screen allows: the smaller of what its contents need and the
    largest size the screen has room for, never a thin strip (it once kept the small size
    it had before its body began to scroll). Scroll areas a dialog has by design are its
    own affair."""
    problems: list[str] = []
    if not dialog.property("sgBodyScrolls"):
        return problems  # its body does not scroll, or scrolls by the dialog's own design
    for area in dialog.findChildren(QScrollArea):
        body = area.widget()
        if body is None or area.window() is not dialog or not area.isVisibleTo(dialog):
            continue
        layout = body.layout()
        room = area.viewport().height()
        width = area.viewport().width()
        needed = (
            layout.totalHeightForWidth(width)
            if layout is not None and layout.hasHeightForWidth()
            else body.sizeHint().height()
        )
        short = min(needed - room, largest.height() - dialog.height())
        if short > 4:
            problems.append(
                f"{where}{dialog.height()} px high, its contents scroll ({needed} px in "
                f"{room}) though the screen has room for {largest.height()}"
            )
    return problems


def tab_traps(root: QWidget) -> list[str]:
    """Tables shown in ``root`` that take Tab to move from cell to cell, so that Tab
    never reaches the controls after them (theme.table_rows lets it go)."""
    return [
        f"{_name(view)} keeps Tab to move between its cells"
        for view in root.findChildren(QAbstractItemView)
        if view.isVisibleTo(root.window()) and view.tabKeyNavigation()
    ]
