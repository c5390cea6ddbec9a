"""One screen at three sizes, for the tests that check a feature's screens fit and name
their controls: 1366x768 at 100 %, at 150 % scaling, and with 150 % text.

Import ``screen`` into a test module to use it as a fixture (pytest finds fixtures by
name in the module), and ``problems_in`` to list what is cut off, clashes or is unnamed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget

from safeguard_desktop.ui.theme import apply_theme
from safeguard_desktop.ui.widgets import screen_fit
from screen_checks import alt_key_clashes, cut_off, unnamed_controls

SCREENS = {
    "1366x768 at 100%": (QRect(0, 0, 1366, 728), 1.0),
    "1366x768 at 150% scaling": (QRect(0, 0, 911, 472), 1.0),
    "1366x768 with 150% text": (QRect(0, 0, 1366, 728), 1.5),
}


@pytest.fixture(params=list(SCREENS))
def screen(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, qapp: QApplication
) -> Iterator[tuple[str, QRect]]:
    """(its name, its available area), with the app's look at that text size, put back after."""
    area, text = SCREENS[request.param]
    monkeypatch.setattr(screen_fit, "available_area", lambda widget=None: QRect(area))
    font, sheet = qapp.font(), qapp.styleSheet()
    apply_theme(qapp, text)
    yield request.param, area
    apply_theme(qapp, 1.0)
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def problems_in(widget: QWidget, where: str) -> list[str]:
    QApplication.processEvents()
    return (
        cut_off(widget, f"{where}: ")
        + alt_key_clashes(widget, f"{where}: ")
        + [f"{where}: unnamed {c}" for c in unnamed_controls(widget)]
    )
