"""The keyboard walk (tests/support/keyboard_walk.py), at 150 % on a 1366 x 768 screen, measured.

A child process so that Qt starts with the screen and the scale factor a school laptop
has (one QApplication per process); it prints each screen and the keys pressed on it,
then the counts and the estimate (run with ``-s`` to read them). A second walk sends a
photo of the guest's notes with the concern, chosen from the keyboard too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from repo_paths import SUPPORT

WALK = SUPPORT / "keyboard_walk.py"

# A 1366 x 768 screen for the offscreen platform; QT_SCALE_FACTOR makes it 150 %.
SCREEN = {
    "screens": [
        {
            "name": "laptop",
            "x": 0,
            "y": 0,
            "width": 1366,
            "height": 768,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        }
    ]
}


def test_the_walk_uses_only_key_presses() -> None:
    source = WALK.read_text(encoding="utf-8")
    for forbidden in (".click(", "mouseClick", "mousePress", ".setChecked(", ".setText("):
        assert forbidden not in source, forbidden


def run_walk(tmp_path: Path, *options: str) -> dict[str, object]:
    """The walk in a child process on a 1366 x 768 screen at 150 %; its summary."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps(SCREEN), encoding="utf-8")
    summary_file = tmp_path / "summary.json"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": "1.5",
    }
    done = subprocess.run(
        [sys.executable, str(WALK), "--json", str(summary_file), *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stderr[-3000:]
    summary: dict[str, object] = json.loads(summary_file.read_text(encoding="utf-8"))
    return summary


@pytest.mark.slow
def test_first_day_by_keyboard_at_150_percent(tmp_path: Path) -> None:
    summary = run_walk(tmp_path)
    # 1366 x 768 at 150 %: 911 x 512 logical pixels, the taskbar off the height.
    assert summary["scale"] == 1.5
    assert summary["screen"] == [911, 472]
    # The target: 15 screens or fewer (the sign-in page is met twice).
    assert summary["distinct_screens"] <= 15
    assert summary["screens_shown"] <= 16
    # The other target: a first concern in three minutes (it found 198 s over 9
    # steps; 227 s before the steps asked less reading and fewer keys). Its parts are held
    # where they now are, so that words or keys added to a step are noticed: 244 words
    # read (413 before; 238 until "I have written notes to send" on What you did, whose
    # six words are all that the written notes cost a recorder who has none), the same
    # 310 characters typed, 19 other keys (22 before).
    assert summary["concern_screens"] == 8
    assert summary["concern_estimated_seconds"] <= 180
    assert summary["concern_typed"] == 310
    assert summary["concern_words"] <= 245
    assert summary["concern_other_keys"] <= 19
    assert summary["attachments_seen"] == 0
    # The whole walk: the person's own time (reading, typing, keys) is held where it is
    # (447 s), so that words or keys added anywhere are noticed. The app's own waits (the
    # key derivation) come on top and depend on the machine, not on us: 20 to 45 s
    # measured (462 to 492 s in all, 523 s before), held loosely.
    assert summary["estimated_seconds"] - summary["app_waited_seconds"] <= 450
    assert summary["app_waited_seconds"] <= 90


@pytest.mark.slow
def test_a_photo_of_notes_is_sent_by_keyboard_at_150_percent(tmp_path: Path) -> None:
    """Alt+W ticks "I have written notes to send" on What you did, Alt+A opens the file
    chooser in Documents, the photo's name typed and Enter add it, Alt+N goes on; the lead
    finds it with the concern. Three screens more than the first day's concern (the notes,
    the chooser, the notes with the photo listed), and the words on them held where they
    are: 456 read over the concern, 244 s estimated."""
    summary = run_walk(tmp_path, "--notes")
    assert summary["attachments_seen"] == 1
    assert summary["concern_screens"] == 11
    assert summary["concern_typed"] == 310 + len("coach notes.jpg")
    assert summary["concern_other_keys"] <= 19 + 4
    assert summary["concern_words"] <= 460
    assert summary["concern_estimated_seconds"] <= 245
