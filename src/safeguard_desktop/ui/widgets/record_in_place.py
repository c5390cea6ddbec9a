"""One record's page shown in place of the list it was opened from, and back again.

The Concerns and Children pages keep their list and, while one is open, a single
record's page in the same stack. That page is made afresh each time and destroyed when
it closes, never kept hidden: the next one opened reads the record again (and its
opening is audited again), and a record that was on screen is not left in memory.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from ..worker import discard


def show_in_place(stack: QStackedWidget, old: QWidget | None, page: QWidget) -> None:
    """Show ``page`` in ``stack``, destroying ``old`` (the record shown before, if any)."""
    if old is not None:
        old.hide()
        discard(old)  # results still on their way for it are dropped
    stack.addWidget(page)
    stack.setCurrentWidget(page)


def back_to_list(stack: QStackedWidget, page: QWidget | None, list_page: QWidget) -> None:
    """Show ``list_page`` again and destroy the record's ``page``."""
    stack.setCurrentWidget(list_page)
    if page is not None:
        page.hide()
        discard(page)
