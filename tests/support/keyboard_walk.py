"""A first day with Safeguard Desktop, by keyboard alone, measured screen by screen.

First start on a new PC, setup for a club that takes the defaults, a guest's concern about
a child, and the administrator signing in and reading it: every step is a key press sent
to whatever has the keyboard focus (QTest key events; nothing is clicked and no widget is
set from code), so a step works only if the focus really is where a person would need it.

It prints each screen as it appears and the keys pressed on it, and then a summary: the
screens, the key presses (characters typed and other keys), and an estimate of how long a
new user would take, from the keystroke-level model (Card, Moran and Newell): 0.28 s a
key press for an average typist, 1.35 s to think before each key that is not typing, and
reading what a screen asks to be read and was not on the screen before (headings,
sentences, labels, the words on buttons and choices; not the quieter hints under fields,
nor the list of steps again) at an adult's average 238 words a minute,
plus the time the app itself took (making the store, signing in). It is an estimate for a
new user, not a timing of one.

Run it as tests/ui/test_keyboard_walk.py does: a child process whose Qt sees a 1366 x 768
screen at 150 % (QT_SCALE_FACTOR=1.5, offscreen; under Xvfb the same). With
``--shots DIR`` it saves a picture of each screen (the README's "Using only the
keyboard"). With ``--notes`` the guest also sends a photo of their notes with the concern
(ticked on What you did, chosen from Documents in the file chooser by typing its name),
and the lead finds it with the concern. The data and home folders are temporary;
nothing touches a real keyring.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Before Qt is imported: a private home (the recovery key PDF is saved there), no keyring.
_ROOT = Path(tempfile.mkdtemp(prefix="safeguard-keyboard-walk-"))
os.environ["HOME"] = str(_ROOT / "home")
os.environ["XDG_DATA_HOME"] = str(_ROOT / "home" / ".local" / "share")
(_ROOT / "home" / "Documents").mkdir(parents=True)
os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402 - after the environment above
from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget  # noqa: E402

from safeguard_desktop.app import make_application  # noqa: E402
from safeguard_desktop.ui.case_area import CaseArea  # noqa: E402
from safeguard_desktop.ui.main_window import MainWindow  # noqa: E402
from safeguard_desktop.ui.recording.steps.review_step import ReviewCard  # noqa: E402
from safeguard_desktop.ui.widgets import screen_fit  # noqa: E402

# The keystroke-level model's operators, in seconds.
KEY_SECONDS = 0.28  # K: one key press, an average non-professional typist
THINK_SECONDS = 1.35  # M: deciding on the next command (every key that is not typing)
READ_SECONDS_PER_WORD = 60 / 238  # silent reading, an adult's average (Brysbaert 2019)
TASKBAR = 40  # Windows' taskbar, in logical pixels

ADMIN_PASSWORD = "kettle river orange bicycle"  # a throw-away store
OBSERVED = (
    "At 10:15 Sam came off the pitch holding his arm and would not let me look. When I "
    "asked if he was all right he said his dad gets angry when he loses."
)

_NAMES = {
    Qt.Key.Key_Tab: "Tab",
    Qt.Key.Key_Return: "Enter",
    Qt.Key.Key_Space: "Space",
    Qt.Key.Key_Down: "Down",
    Qt.Key.Key_Right: "Right",
}


@dataclass
class Screen:
    name: str
    words: int
    keys: list[str] = field(default_factory=list)
    typed: int = 0  # characters typed
    other: int = 0  # every other key press
    waited: float = 0.0  # seconds the app took

    def seconds(self) -> float:
        return (
            self.words * READ_SECONDS_PER_WORD
            + self.typed * KEY_SECONDS
            + self.other * (KEY_SECONDS + THINK_SECONDS)
            + self.waited
        )


def _texts(window: QWidget) -> list[str]:
    """What a screen asks a person to read before acting: its headings, sentences, field
    labels and the words on its buttons and choices. Quieter hints under fields and the
    record read back on the last step (the person has just typed it) are skimmed."""
    texts = []
    for label in window.findChildren(QLabel):
        if (
            label.isVisibleTo(window)
            and label.window() is window
            and label.property("sgRole") != "hint"
            and not isinstance(label.parentWidget(), ReviewCard)
        ):
            texts.append(re.sub(r"<[^>]+>", " ", label.text()))
    for button in window.findChildren(QAbstractButton):
        if button.isVisibleTo(window) and button.window() is window:
            texts.append(button.text())
    return [text.replace("&", "").strip() for text in texts if text.strip()]


def _new_words(texts: list[str], seen_before: set[str]) -> int:
    """Words not on the screen before: the list of steps, the header and the buttons that
    stay put are read once, not again on every step."""
    return len(" ".join(t for t in texts if t not in seen_before).split())


class Walk:
    """Sends key presses to the focused widget and keeps the transcript."""

    def __init__(self, app: QApplication, window: MainWindow, shots: Path | None) -> None:
        self.app = app
        self.window = window
        self.shots = shots
        self.screens: list[Screen] = []
        self.started = time.monotonic()
        self._seen: set[str] = set()

    @property
    def current(self) -> Screen:
        return self.screens[-1]

    def screen(self, name: str, ready: Callable[[], bool] | None = None) -> None:
        """A new screen has appeared (after waiting for ``ready``): note it, picture it."""
        if ready is not None:
            self.wait(ready)
        self.settle()
        top = self.app.activeModalWidget() or self.window
        texts = _texts(top)
        shown = Screen(name, _new_words(texts, self._seen))
        self._seen = set(texts)
        self.screens.append(shown)
        print(f"\n== {len(self.screens)}. {name} ({shown.words} words)")
        if self.shots is not None:
            path = self.shots / f"{len(self.screens):02d}-{_slug(name)}.png"
            top.grab().save(str(path))

    def focused(self) -> QWidget:
        widget = self.app.focusWidget()
        if widget is None:
            raise AssertionError(f"nothing has the keyboard focus on {self.current.name}")
        return widget

    def type(self, text: str, into: str) -> None:
        """Type ``text`` where the focus is, which must be the field named ``into``."""
        widget = self.focused()
        name = widget.accessibleName() or (
            widget.parentWidget().accessibleName() if widget.parentWidget() else ""
        )
        if into.lower() not in name.lower():
            raise AssertionError(f"expected the focus in {into!r}, it is in {name!r}")
        QTest.keyClicks(widget, text)
        self.current.typed += len(text)
        self.current.keys.append(f"type {text!r}")
        print(f"   type {len(text)} characters into {name}")
        self.settle()

    def press(
        self,
        key: Qt.Key,
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        why: str = "",
    ) -> None:
        widget = self.focused()
        QTest.keyClick(widget, key, modifiers)
        name = _NAMES.get(key) or chr(key).upper()
        if modifiers & Qt.KeyboardModifier.AltModifier:
            name = f"Alt+{name}"
        self.current.other += 1
        self.current.keys.append(name)
        self.settle()
        now = self.app.focusWidget()
        where = now.accessibleName() or type(now).__name__ if now is not None else "nothing"
        print(f"   {name:<8} {why} (focus: {where})")

    def settle(self) -> None:
        # An Alt key presses its button with Qt's animated click, 100 ms later.
        for _ in range(8):
            QTest.qWait(25)
        worker = self.window.worker
        self.wait(lambda: not worker.busy)

    def wait(self, condition: Callable[[], bool], timeout: float = 180.0) -> None:
        started = time.monotonic()
        while not condition():
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"waited too long on {self.current.name}")
            QTest.qWait(20)
        if self.screens:
            self.current.waited += time.monotonic() - started


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


NOTES_PHOTO = "coach notes.jpg"  # in Documents, where the file chooser opens


def walk(shots: Path | None, *, notes: bool = False) -> dict[str, object]:
    """The first day; with ``notes``, a photo of the guest's notes is sent with the concern."""
    Image.new("RGB", (900, 1200), (245, 242, 230)).save(_ROOT / "home" / "Documents" / NOTES_PHOTO)
    app = make_application()
    area = screen_fit.available_area()
    # Windows keeps its taskbar: the app has the screen less that.
    area = QRect(area.x(), area.y(), area.width(), area.height() - TASKBAR)
    screen_fit.available_area = lambda widget=None: QRect(area)  # type: ignore[assignment]
    window = MainWindow(_ROOT / "data")
    window.show()
    window.activateWindow()
    w = Walk(app, window, shots)
    w.wait(window.isActiveWindow)
    Tab, Enter = Qt.Key.Key_Tab, Qt.Key.Key_Return
    alt = Qt.KeyboardModifier.AltModifier

    # First start: set up a new store.
    w.screen("First start", lambda: window.first_run_page is not None)
    w.press(Enter, why="Set up a new store (it has the focus)")
    wizard = window.wizard
    assert wizard is not None
    w.screen("Setup: your organisation")
    w.type("Riverside Juniors FC", into="Organisation name")
    w.press(Qt.Key.Key_C, alt, "Sports club")
    w.press(Qt.Key.Key_A, alt, "allow guests to record concerns")
    w.press(Qt.Key.Key_N, alt, "Next")

    w.screen("Setup: your account")
    w.type("Sam Taylor", into="Full name")
    w.press(Tab, why="to the user name, filled in as sam")
    w.press(Tab, why="to the password")
    w.type(ADMIN_PASSWORD, into="Password")
    w.press(Tab, why="to the password again")
    w.type(ADMIN_PASSWORD, into="Password again")
    w.press(Qt.Key.Key_C, alt, "Create my store")

    w.screen("Setup: your recovery key", lambda: wizard.made is not None)
    key_page = wizard.key_page
    w.press(Qt.Key.Key_S, alt, "Save as PDF (to Documents)")
    w.wait(lambda: key_page.save_message.text().startswith("Saved to"))
    w.press(Qt.Key.Key_R, alt, "I have saved or printed the recovery key")
    groups = wizard.recovery_groups()  # what the person reads from their printed copy
    first, second = key_page.expected_group_numbers()
    w.type(groups[first - 1], into=f"Group {first}")
    w.type(groups[second - 1], into=f"Group {second}")
    w.press(Qt.Key.Key_F, alt, "Finish setup")

    login = window.login_page
    w.screen("Sign in", lambda: window.stack.currentWidget() is login)
    w.press(Qt.Key.Key_W, alt, "Record a concern without an account")
    form = window.concern_form
    assert form is not None
    concern_started = len(w.screens)
    w.screen("Concern: immediate danger?", lambda: form.stack.currentWidget() is form.wizard)
    w.press(Qt.Key.Key_O, alt, "No: answers and goes on")

    w.screen("Concern: the child")
    w.type("Sam Example", into="Child's name")
    w.press(Qt.Key.Key_G, alt, "Approximate age (the keyboard goes on into the age)")
    w.type("9", into="Approximate age")
    w.press(Tab, why="to the group")
    w.type("Under 10s", into="Group")
    w.press(Qt.Key.Key_N, alt, "Next")

    w.screen("Concern: what happened")
    w.press(Qt.Key.Key_Y, alt, "Yesterday (the keyboard goes on into the time)")
    w.type("1015", into="the time")
    w.press(Tab, why="to where")
    w.type("By the main pitch", into="Where it happened")
    w.press(Tab, why="to what you saw and heard")
    w.type(OBSERVED, into="What you saw and heard")
    w.press(Qt.Key.Key_N, alt, "Next")

    w.screen("Concern: the child's words")
    w.type("My dad gets angry when I lose.", into="The child's own words")
    w.press(Tab, why="to how the child seemed")
    w.type("Quiet, would not look at me.", into="How the child seemed")
    w.press(Qt.Key.Key_O, alt, "No mark seen")
    w.press(Qt.Key.Key_N, alt, "Next")

    w.screen("Concern: what you did")
    w.type("Nobody", into="Who else was there")
    w.press(Tab, why="to what you did")
    w.type("Listened and came to record it.", into="What you did")
    w.press(Qt.Key.Key_O, alt, "No, not yet told the Welfare Officer")
    if notes:
        w.press(Qt.Key.Key_W, alt, "tick I have written notes to send")
    w.press(Qt.Key.Key_N, alt, "Next")

    if notes:
        w.screen("Concern: your written notes")
        w.press(Qt.Key.Key_A, alt, "Add a file…")
        w.screen(
            "Choose a photo or scan of your notes", lambda: app.activeModalWidget() is not None
        )
        w.type(NOTES_PHOTO, into="Choose a photo or scan of your notes")
        w.press(Enter, why="Open: read and checked on the worker")
        # A window manager makes the form's window active again as the chooser closes;
        # offscreen Qt has none.
        window.activateWindow()
        w.screen(
            "Concern: your written notes, listed", lambda: len(form.wizard.files_to_send()) == 1
        )
        w.press(Qt.Key.Key_N, alt, "Next")

    w.screen("Concern: kind of concern")
    w.press(Qt.Key.Key_E, alt, "tick Emotional abuse")
    w.press(Qt.Key.Key_N, alt, "Next")

    w.screen("Concern: check and send")
    w.type("Gail Guest", into="Your name")
    w.press(Tab, why="to your role")
    w.type("Visiting coach", into="Your role")
    w.press(Qt.Key.Key_S, alt, "Send")

    concern_ended = len(w.screens)  # sent: the next page says what happens next
    w.screen("Concern sent", lambda: window.after_page is not None)
    w.press(Enter, why="Done (it has the focus)")

    w.screen("Sign in", lambda: window.stack.currentWidget() is login)
    w.type("sam", into="User name")
    w.press(Tab, why="to the password")
    w.type(ADMIN_PASSWORD, into="Password")
    w.press(Enter, why="Sign in")

    w.screen("Home", lambda: isinstance(window.session_area, CaseArea))
    case_area = window.session_area
    assert isinstance(case_area, CaseArea)
    home = case_area.home
    w.wait(lambda: home.newest_model.rowCount() > 0)
    # The newest concerns, below the count cards: Tab until the list has the focus.
    tabs = 0
    while app.focusWidget() is not home.newest and tabs < 30:
        w.press(Tab, why="towards the newest concerns")
        tabs += 1
    assert app.focusWidget() is home.newest, "the newest concerns were not reached by Tab"
    w.press(Enter, why="open the newest concern")

    view = case_area.concerns.view
    w.screen("The concern", lambda: view is not None and view.file is not None)
    assert view is not None and view.file is not None
    attachments_seen = len(view.file.attachments)

    concern = w.screens[concern_started - 1 : concern_ended]
    distinct = {screen.name for screen in w.screens}
    summary = {
        "screens_shown": len(w.screens),
        "distinct_screens": len(distinct),
        "typed": sum(s.typed for s in w.screens),
        "other_keys": sum(s.other for s in w.screens),
        "estimated_seconds": round(sum(s.seconds() for s in w.screens)),
        "concern_screens": len(concern),
        "concern_estimated_seconds": round(sum(s.seconds() for s in concern)),
        "concern_typed": sum(s.typed for s in concern),
        "concern_other_keys": sum(s.other for s in concern),
        "concern_words": sum(s.words for s in concern),
        "attachments_seen": attachments_seen,
        "app_waited_seconds": round(sum(s.waited for s in w.screens), 1),
        "wall_seconds": round(time.monotonic() - w.started, 1),
        "window": [window.width(), window.height()],
        "screen": [area.width(), area.height()],
        "scale": window.devicePixelRatio(),
        "per_screen": [
            {
                "name": s.name,
                "keys": s.keys,
                "typed": s.typed,
                "other": s.other,
                "words": s.words,
                "seconds": round(s.seconds(), 1),
            }
            for s in w.screens
        ],
    }
    # Where the time goes, screen by screen.
    print(f"\n{'screen':<34} {'words':>5} {'typed':>5} {'keys':>4} {'waited':>6} {'seconds':>7}")
    for number, s in enumerate(w.screens, start=1):
        mark = "*" if concern_started <= number <= concern_ended else " "
        print(
            f"{mark}{number:>2}. {s.name:<29} {s.words:>5} {s.typed:>5} {s.other:>4} "
            f"{s.waited:>6.1f} {s.seconds():>7.1f}"
        )
    print("(* the screens counted as the concern)")
    print(
        f"\n{len(w.screens)} screens ({len(distinct)} different), "
        f"{summary['typed']} characters typed and {summary['other_keys']} other key presses; "
        f"estimated {summary['estimated_seconds']} s for a new user, of which the concern "
        f"({len(concern)} screens, {summary['concern_words']} words read, "
        f"{summary['concern_typed']} characters, {summary['concern_other_keys']} other keys) "
        f"{summary['concern_estimated_seconds']} s. "
        f"The app's own waiting: {summary['app_waited_seconds']} s; this run took "
        f"{summary['wall_seconds']} s. Window {window.width()}x{window.height()} "
        f"at {window.devicePixelRatio():g}x on a {area.width()}x{area.height()} screen area."
    )
    window.close()
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=Path, help="save a picture of each screen here")
    parser.add_argument("--json", type=Path, help="write the summary here")
    parser.add_argument("--notes", action="store_true", help="send a photo of notes with it")
    args = parser.parse_args()
    if args.shots is not None:
        args.shots.mkdir(parents=True, exist_ok=True)
    try:
        summary = walk(args.shots, notes=args.notes)
    finally:
        shutil.rmtree(_ROOT, ignore_errors=True)
    if args.json is not None:
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
