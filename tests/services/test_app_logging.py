"""The log file never carries record text: not in other libraries' messages, not in tracebacks."""

from __future__ import annotations

import logging
from pathlib import Path

from safeguard_desktop.app_logging import RecordSafeFormatter

CANARY = "Amelia-Kowalska-7f3c"


def _file_logger(path: Path, name: str) -> tuple[logging.Logger, logging.Handler]:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(RecordSafeFormatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return logger, handler


def test_library_messages_and_exception_messages_are_withheld(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    ours, handler_a = _file_logger(path, "safeguard_desktop.canary_test")
    theirs, handler_b = _file_logger(path, "pyhanko.canary_test")
    try:
        theirs.warning("could not parse object near b'%s'", CANARY)
        ours.info("a referral was saved (%s)", "R-7K3M-Q9TX")
        try:
            try:
                raise KeyError(CANARY)
            except KeyError as inner:
                raise ValueError(f"the paragraph {CANARY!r} is too large") from inner
        except ValueError:
            ours.exception("background call failed")
    finally:
        for logger, handler in ((ours, handler_a), (theirs, handler_b)):
            logger.removeHandler(handler)
            handler.close()
    text = path.read_text("utf-8")
    assert CANARY not in text
    assert "pyhanko.canary_test: (message withheld" in text
    assert "a referral was saved (R-7K3M-Q9TX)" in text  # our own words stay
    # Enough to find the bug: where it happened and what kind of error, both errors.
    assert "background call failed" in text
    assert "builtins.ValueError (message withheld)" in text
    assert "builtins.KeyError (message withheld)" in text
    assert "test_app_logging.py" in text and "raise ValueError" in text
