"""Dialogs that fit the screen (ui/widgets/screen_fit.py, dialog_parts.FittingDialog).

A dialog taller than the screen has its body put into a scroll area; it must then be as
big as the screen allows (or its contents need, if less), never the small size it had
before: at 150 % text Export everything once shrank to a strip two lines high.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QVBoxLayout
from pytestqt.qtbot import QtBot

from fit_screens import screen  # noqa: F401  (a fixture)
from safeguard_desktop.ui.theme import paragraph
from safeguard_desktop.ui.widgets import screen_fit
from safeguard_desktop.ui.widgets.dialog_parts import FittingDialog, action_buttons
from screen_checks import scrolls_with_room_to_spare

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

WORDS = "A sentence long enough to wrap over a line or two in a dialog of ordinary width. " * 3


def _dialog(paragraphs: int) -> FittingDialog:
    dialog = FittingDialog()
    layout = QVBoxLayout(dialog)
    for _ in range(paragraphs):
        layout.addWidget(paragraph(WORDS))
    buttons, _action, _cancel = action_buttons("&Go", "Go")
    layout.addWidget(buttons)
    # As the app's dialogs do: fitted once while being built, before it is shown.
    dialog.fit_height()
    return dialog


@pytest.mark.usefixtures("screen")
@pytest.mark.parametrize("paragraphs", [3, 12, 40])
def test_a_dialog_is_as_big_as_its_contents_or_the_screen_allows(
    qtbot: QtBot, paragraphs: int
) -> None:
    screen_fit.ScreenFit.install()
    dialog = _dialog(paragraphs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    largest = screen_fit.largest_client_size(dialog)
    assert dialog.height() <= largest.height() and dialog.width() <= largest.width()
    problems = scrolls_with_room_to_spare(dialog, largest, f"{paragraphs} paragraphs: ")
    assert problems == [], "\n".join(problems)
