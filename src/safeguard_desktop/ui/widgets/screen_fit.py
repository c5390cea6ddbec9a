"""Windows and dialogs that fit the screen they open on, and dialogs that open at a field.

A school's office PC is often a 1366 x 768 laptop, or a 1024 x 768 screen, with Windows set
to 125 % or 150 %: at 150 % a 1366 x 768 screen is 911 x 512 of Qt's (logical) pixels, less
the taskbar. So no window may ask for more than the screen's available area: the main
window opens at its preferred size or the area, whichever is smaller (:func:`fit_window`),
and every dialog is made to fit when it is shown (:class:`ScreenFit`, installed once on the
application). Pages and dialog bodies scroll instead of growing, so shrinking never cuts
anything off.

The same filter puts the focus in a dialog's first field when it opens, if the dialog left
it on a button while it has something to type in.
"""

from __future__ import annotations

import itertools

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..theme import follow_focus

# What a window's frame takes beyond its client area: a title bar and thin borders. Qt
# knows the real frame only once a window is on screen, and a size must fit before then.
FRAME_WIDTH = 16
FRAME_HEIGHT = 40

_INSTALLED = "sgScreenFitInstalled"
_SCROLLED = "sgBodyScrolls"
_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QRadioButton, QCheckBox)


def available_area(widget: QWidget | None = None) -> QRect:
    """The part of the screen a window may use (without the taskbar), in logical pixels."""
    screen = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 768)


def largest_client_size(widget: QWidget | None = None) -> QSize:
    """The biggest client area a window can have on that screen, frame included."""
    area = available_area(widget)
    return QSize(max(area.width() - FRAME_WIDTH, 320), max(area.height() - FRAME_HEIGHT, 240))


def fit_window(window: QWidget, preferred: QSize) -> None:
    """Size ``window`` to ``preferred``, or to the screen's available area if smaller."""
    largest = largest_client_size(window)
    window.resize(preferred.boundedTo(largest))


def _scrolling_body(dialog: QWidget) -> None:
    """Put what a dialog holds into a scroll area, its buttons staying below it in view.

    Qt moves a layout, with every widget it manages, to the widget it is set on; the
    dialog then holds only the scroll area and its buttons. Only widgets are moved out
    of the old layout (removeWidget): a layout item taken out of it would be owned twice.
    """
    old = dialog.layout()
    if old is None or dialog.property(_SCROLLED):
        return
    dialog.setProperty(_SCROLLED, True)
    # The buttons at the foot of the dialog (a button box, or a row of buttons).
    rows: list[tuple[list[QWidget], bool]] = []
    for index in reversed(range(old.count())):
        item = old.itemAt(index)
        if item is None:
            break
        widget = item.widget()
        if isinstance(widget, QDialogButtonBox):
            rows.insert(0, ([widget], False))
        elif item.layout() is not None and _only_buttons(item):
            sub = item.layout()
            assert sub is not None
            right = (
                sub.count() > 0
                and sub.itemAt(0) is not None
                and (
                    sub.itemAt(0).spacerItem() is not None  # type: ignore[union-attr]
                )
            )
            buttons = [
                child
                for child in (sub.itemAt(i).widget() for i in range(sub.count()))  # type: ignore[union-attr]
                if child is not None
            ]
            rows.insert(0, (buttons, right))
        elif item.spacerItem() is not None and not rows:
            continue
        else:
            break
    for widgets, _right in rows:
        for widget in widgets:
            _remove_from(old, widget)
    margins = old.contentsMargins()
    body = QWidget()
    body.setLayout(old)
    area = QScrollArea()
    area.setWidget(body)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    follow_focus(area)  # an Alt key or a refusal's field scrolls into sight too
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, margins.bottom())
    outer.addWidget(area, 1)
    for widgets, right in rows:
        row = QHBoxLayout()
        row.setContentsMargins(margins.left(), 0, margins.right(), 0)
        if right:
            row.addStretch(1)
        for widget in widgets:
            row.addWidget(widget)
        if not right and not isinstance(widgets[0], QDialogButtonBox):
            row.addStretch(1)
        outer.addLayout(row)
    # Tab goes through what scrolls, in the order it is laid out (positions are not known
    # yet: the new layout has not run), then to the buttons below it.
    ordered = [
        widget
        for widget in _laid_out(outer)
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(widget, QScrollArea)
        and widget.focusProxy() is None
    ]
    for before, after in itertools.pairwise(ordered):
        QWidget.setTabOrder(before, after)


def _laid_out(layout: QLayout) -> list[QWidget]:
    """Every widget a layout holds, and those inside them, in the order laid out: top to
    bottom, left to right."""
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        widget = item.widget()
        child = item.layout()
        if widget is not None:
            found.append(widget)
            inner = widget.widget() if isinstance(widget, QScrollArea) else None
            for holder in (widget, inner):
                if holder is not None and holder.layout() is not None:
                    found.extend(_laid_out(holder.layout()))  # type: ignore[arg-type]
        elif child is not None:
            found.extend(_laid_out(child))
    return found


def tab_in_reading_order(root: QWidget) -> None:
    """Tab through the controls shown in ``root`` top to bottom, left to right, as they
    are on the screen. A button made after the page (a row added when its facts arrive)
    otherwise comes last in Tab order, after everything below it. Found by position once
    laid out (call it after the layout has run, from a zero timer), as :func:`_tab_stops`
    does; hidden controls keep their place."""
    found = [
        widget
        for widget in root.findChildren(QWidget)
        if widget.window() is root.window()  # not a dialog opened from it
        and widget.isVisibleTo(root)
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
        and not isinstance(widget, QScrollArea)
        and not isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox)
    ]

    def place(widget: QWidget) -> tuple[int, int]:
        point = widget.mapTo(root, QPoint(0, 0))
        return point.y(), point.x()

    for before, after in itertools.pairwise(sorted(found, key=place)):
        QWidget.setTabOrder(before, after)


def _remove_from(layout: QLayout, widget: QWidget) -> None:
    """Take ``widget`` out of ``layout`` or whichever layout inside it holds it."""
    if layout.indexOf(widget) >= 0:
        layout.removeWidget(widget)
        return
    for index in range(layout.count()):
        item = layout.itemAt(index)
        child = item.layout() if item is not None else None
        if child is not None:
            _remove_from(child, widget)


def _only_buttons(item: QLayoutItem) -> bool:
    layout = item.layout()
    if layout is None:
        return False
    found = False
    for index in range(layout.count()):
        child = layout.itemAt(index)
        if child is None or child.spacerItem() is not None:
            continue
        if not isinstance(child.widget(), QAbstractButton):
            return False
        found = True
    return found


def _tab_stops(dialog: QWidget) -> list[QWidget]:
    """The dialog's own controls that take the keyboard, in reading order (found by
    position: walking Qt's focus chain from here has crashed on dialogs being closed)."""
    found = [
        widget
        for widget in dialog.findChildren(QWidget)
        if widget.window() is dialog
        and widget.isVisibleTo(dialog)
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
        and not isinstance(widget, QScrollArea)
        and not isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox)
    ]

    def place(widget: QWidget) -> tuple[int, int]:
        point = widget.mapTo(dialog, QPoint(0, 0))
        return point.y(), point.x()

    return sorted(found, key=place)


def body_scrolls(dialog: QWidget) -> bool:
    """Whether :func:`fit_dialog` has put the dialog's body into a scroll area."""
    return bool(dialog.property(_SCROLLED))


def _scrolled_height(dialog: QWidget, needed: QSize) -> int:
    """The height a dialog needs to show the whole of its body without scrolling, at its
    width: its body at the scroll area's width, and the buttons below; ``needed`` when
    the body does not scroll."""
    outer = dialog.layout()
    if outer is None or not body_scrolls(dialog):
        return needed.height()
    margins = outer.contentsMargins()
    total = margins.top() + margins.bottom() + outer.spacing() * max(0, outer.count() - 1)
    for index in range(outer.count()):
        item = outer.itemAt(index)
        if item is None:
            continue
        area = item.widget()
        if isinstance(area, QScrollArea) and area.widget() is not None:
            body = area.widget()
            assert body is not None
            inner = body.layout()
            width = dialog.width() - margins.left() - margins.right()
            width -= area.verticalScrollBar().sizeHint().width()
            if inner is not None and inner.hasHeightForWidth():
                total += inner.totalHeightForWidth(max(width, body.minimumSizeHint().width()))
            else:
                total += body.sizeHint().height()
        else:
            total += item.sizeHint().height()
    return max(total, needed.height())


def fit_dialog(dialog: QWidget) -> None:
    """Shrink a shown dialog that is bigger than the available area, and move it inside;
    what it holds then scrolls, its buttons staying in view.

    A question box (QMessageBox) is left as it is: it wraps its sentence at a width it
    chooses from the screen, after this runs. Measured here its sentence is still on one
    line, wider than a small screen, and made to scroll it stayed so, cut off."""
    if isinstance(dialog, QMessageBox):
        return
    largest = largest_client_size(dialog)
    layout = dialog.layout()
    needed = layout.totalMinimumSize() if layout is not None else dialog.minimumSize()
    if layout is not None and layout.hasHeightForWidth():
        # Wrapped sentences need more height than the minimum says, at this width.
        width = min(max(dialog.width(), needed.width()), largest.width())
        needed.setHeight(max(needed.height(), layout.totalHeightForWidth(width)))
    size = dialog.size()
    too_big = (
        max(size.width(), needed.width()) > largest.width()
        or max(size.height(), needed.height()) > largest.height()
    )
    if too_big:
        minimum = layout.totalMinimumSize() if layout is not None else dialog.minimumSize()
        scrolls_itself = any(
            isinstance(widget, QScrollArea | QAbstractItemView)
            and widget.window() is dialog
            and widget.isVisibleTo(dialog)
            for widget in dialog.findChildren(QWidget)
        )
        if not (
            scrolls_itself
            and minimum.width() <= largest.width()
            and minimum.height() <= largest.height()
        ):
            # A dialog with a list or pages of its own shrinks by them (a preview draws
            # its pages as they scroll into view); any other scrolls as a whole.
            _scrolling_body(dialog)
        # The dialog's own minimum may not be more than the screen: its body scrolls.
        dialog.setMinimumSize(dialog.minimumSize().boundedTo(largest))
        dialog.setMaximumSize(largest)
        # As big as its contents need, or the screen allows if less: never the size it
        # had before (often small, from before it was shown), its body a thin strip.
        wanted = size.expandedTo(QSize(needed.width(), _scrolled_height(dialog, needed)))
        dialog.resize(wanted.boundedTo(largest))
    elif body_scrolls(dialog):
        # Its body scrolls already; grow with what it shows (a message, a result), as
        # far as the screen allows.
        wanted = QSize(size.width(), _scrolled_height(dialog, needed)).boundedTo(largest)
        if wanted.height() > size.height():
            dialog.resize(size.expandedTo(wanted))
    area = available_area(dialog)
    frame = dialog.frameGeometry()
    x = min(max(frame.x(), area.left()), max(area.left(), area.right() - frame.width()))
    y = min(max(frame.y(), area.top()), max(area.top(), area.bottom() - frame.height()))
    if (x, y) != (frame.x(), frame.y()):
        dialog.move(x, y)


def focus_dialog_field(dialog: QWidget) -> None:
    """If the dialog opened with the focus on its first button (where Qt puts it when a
    button comes first), or nowhere, while it has a field to type in, put the focus in
    its first field, as every page does. A focus the dialog chose itself is left alone."""
    if not dialog.isVisible() or isinstance(dialog, QMessageBox):
        return
    stops = _tab_stops(dialog)
    focused = dialog.focusWidget()
    if focused is not None:
        qt_chose_it = isinstance(focused, QAbstractButton) and bool(stops) and focused is stops[0]
        if not qt_chose_it:
            return
        if isinstance(focused, QPushButton) and focused.isDefault():
            return  # the dialog's main action, on purpose (nothing needs typing first)
    for target in stops:
        if (
            isinstance(target, _INPUTS)
            and not getattr(target, "isReadOnly", lambda: False)()
            and not (isinstance(target, QRadioButton) and not target.isChecked())
        ):
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            return


class ScreenFit(QObject):
    """Application-wide: every dialog fits the screen, and opens with the focus in a field."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._opened: list[QDialog] = []
        # Once the dialog's own code has chosen a focus (it often does, just after show()
        # or open() returns): one timer, not a lambda holding each dialog.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._focus_opened)

    @classmethod
    def install(cls, app: QApplication | None = None) -> None:
        app = app or QApplication.instance()  # type: ignore[assignment]
        if app is None or app.property(_INSTALLED):
            return
        app.installEventFilter(cls(app))
        app.setProperty(_INSTALLED, True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and not event.spontaneous()
            and isinstance(watched, QDialog)
            and watched.isWindow()
        ):
            fit_dialog(watched)
            self._opened.append(watched)
            self._timer.start()
        return False

    def _focus_opened(self) -> None:
        opened, self._opened = self._opened, []
        for dialog in opened:
            # A dialog closed and deleted meanwhile is passed over.
            if shiboken6.isValid(dialog):
                focus_dialog_field(dialog)
