"""The base of every wizard page: a large title, a body that scrolls, readable width; and
:class:`FieldsPage`, a page that puts a sentence under the field it is about.

Scrolling and a capped line length keep every page usable on a 1366 x 768 laptop with the
font at 150 %, and comfortable to read on a wide monitor. When a page appears the
keyboard focus is in its first field, so what is typed next lands there and not on a
button that happened to keep the focus; after a refusal it is in the field at fault.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ..theme import MessageLine, readable_column, scroll_area


def first_field(
    container: QWidget, kinds: tuple[type[QWidget], ...] | None = None
) -> QWidget | None:
    """The first widget inside ``container`` that Tab would stop at, in Tab order (of
    ``kinds`` only, if given).

    A group of radio buttons counts once, at its checked button, as Tab does; scroll
    areas and labels holding only links are passed over for what they hold.
    """
    widget = container.nextInFocusChain()
    seen: set[int] = set()
    while widget is not None and widget is not container and id(widget) not in seen:
        seen.add(id(widget))
        if (
            container.isAncestorOf(widget)
            and widget.isVisibleTo(container)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not isinstance(widget, QScrollArea | QLabel)
            and not (
                isinstance(widget, QAbstractScrollArea)
                and widget.focusPolicy() == Qt.FocusPolicy.NoFocus
            )
            and (kinds is None or isinstance(widget, kinds))
        ):
            if isinstance(widget, QRadioButton) and not widget.isChecked():
                checked = _checked_sibling(widget)
                return checked if checked is not None else widget
            return widget
        widget = widget.nextInFocusChain()
    return None


def _checked_sibling(radio: QRadioButton) -> QAbstractButton | None:
    group = radio.group()
    if group is not None:
        return group.checkedButton()
    parent = radio.parentWidget()
    if parent is None or not radio.autoExclusive():
        return None
    for sibling in parent.findChildren(QRadioButton):
        if sibling.parentWidget() is parent and sibling.isChecked():
            return sibling
    return None


class WizardPage(QWizardPage):
    """Subclasses add their widgets to ``self.body_layout``."""

    def __init__(self) -> None:
        super().__init__()
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(20, 12, 20, 12)
        self.body_layout.setSpacing(12)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll_area(readable_column(self.body)))
        self.plain_title = ""
        self.intro: QLabel | None = None
        self._focus_target: QWidget | None = None
        self._on_screen = False

    def set_intro(self, text: str, *, quiet: bool = False) -> QLabel:
        """The page's one introductory sentence, at the top of its body, where every page
        keeps it (not in the wizard's header, which some pages have and others not).

        ``quiet``: drawn as a hint, for a sentence that helps with the question in the
        title (examples, how to answer) but is not itself something to do, so that what
        must be read stands out from what may be glanced at."""
        if self.intro is None:
            self.intro = QLabel()
            self.intro.setWordWrap(True)
            self.intro.setTextFormat(Qt.TextFormat.PlainText)
            self.body_layout.insertWidget(0, self.intro)
        self.intro.setProperty("sgRole", "hint" if quiet else "")
        self.intro.style().unpolish(self.intro)
        self.intro.style().polish(self.intro)
        self.intro.setText(text)
        return self.intro

    def focus_first(self) -> None:
        """Put the keyboard focus in the page's first field."""
        target = self.first_field()
        self._focus_target = target
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_field(self) -> QWidget | None:
        """Where the focus goes when the page appears; pages may say otherwise."""
        return first_field(self)

    def arrange_tab_order(self) -> None:
        """Put Tab's order right where building the page could not (widgets added later,
        such as another child): called each time the page appears, once it is in its
        window, because moving a page into a wizard rebuilds the focus chain."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Only when the page appears, not when QWizard hides and shows again the page it is
        # already on (it does whenever its buttons change: a field becoming complete as
        # the person types).
        wizard = self.wizard()
        if wizard is not None:
            again = getattr(wizard, "_sg_page_on_screen", None) is self
            wizard._sg_page_on_screen = self  # type: ignore[attr-defined]
        else:
            again = self._on_screen
        self._on_screen = True
        if not event.spontaneous() and not again:
            self.arrange_tab_order()
            self.focus_first()
            # Once more when the events of showing are done: a stacked widget that has
            # just shown this page moves the focus itself afterwards.
            QTimer.singleShot(0, self, self._focus_first_if_shown)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not event.spontaneous():
            self._on_screen = False

    def _focus_first_if_shown(self) -> None:
        target = self._focus_target
        if self.isVisible() and target is not None and QApplication.focusWidget() is not target:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_title(self, text: str) -> None:
        """The page title in the wizard's header, larger than Qt's default bold."""
        self.plain_title = text
        size = QApplication.font().pointSizeF() * 1.45
        self.setTitle(
            f"<span style='font-size:{size:.1f}pt; font-weight:600'>"
            f"{html.escape(text, quote=False)}</span>"
        )


def bring_into_view(widget: QWidget) -> None:
    """Scroll the page so a sentence under a field is seen, at any font size."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        area = parent
        # After the layout has made room for the sentence that has just appeared.
        QTimer.singleShot(30, area, lambda: area.ensureWidgetVisible(widget, 20, 40))


class FieldsPage(WizardPage):
    """A page that shows BadInput's sentence under the field its ``.field`` names.

    Subclasses fill ``field_widgets`` and ``field_errors`` (keyed by the names the
    domain uses, such as "children.0.name" or "lado.adult.name") and place
    ``page_error``, where a sentence about no field of theirs goes.
    """

    def __init__(self) -> None:
        super().__init__()
        self.field_widgets: dict[str, QWidget] = {}
        self.field_errors: dict[str, MessageLine] = {}
        self.page_error = MessageLine(self.tr("Problem on this page"))

    def clear_errors(self) -> None:
        self.page_error.clear_message()
        for line in self.field_errors.values():
            line.clear_message()

    def show_error(self, field: str, sentence: str) -> None:
        """Put the sentence under ``field``, or at the foot of the page, and go there: the
        focus moves to the field and the sentence becomes its accessible description."""
        line = self.field_errors.get(field, self.page_error)
        widget = self.field_widgets.get(field)
        if widget is not None:
            line.describe(widget)
        line.show_error(sentence)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        bring_into_view(line)
