"""A Polish LC_TIME for a test, as Qt sets the locale from the environment on Linux.

With it, ``strftime("%B")`` says "marca" instead of "March", which is how a PDF built
with strftime would come out on a Polish computer. The locale is used if installed,
else compiled into the test's folder with ``localedef``; without either the test is
skipped.
"""

from __future__ import annotations

import locale
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

_NAMES = ("pl_PL.UTF-8", "pl_PL.utf8", "Polish_Poland.1250")


def _try(name: str) -> bool:
    try:
        locale.setlocale(locale.LC_TIME, name)
    except locale.Error:
        return False
    return f"{date(2015, 3, 2):%B}" != "March"


@contextmanager
def polish_time_locale(folder: Path) -> Iterator[None]:
    """Run the body with LC_TIME Polish; everything is put back afterwards."""
    before = locale.setlocale(locale.LC_TIME)
    old_path = os.environ.get("LOCPATH")
    try:
        if not any(_try(name) for name in _NAMES):
            built = folder / "locales"
            built.mkdir(parents=True, exist_ok=True)
            localedef = shutil.which("localedef")
            if localedef is None:
                pytest.skip("no Polish locale, and no localedef to make one")
            made = subprocess.run(
                [localedef, "-i", "pl_PL", "-f", "UTF-8", str(built / "pl_PL.UTF-8")],
                capture_output=True,
                check=False,
            )
            os.environ["LOCPATH"] = str(built)
            if made.returncode not in (0, 1) or not _try("pl_PL.UTF-8"):  # 1: warnings only
                pytest.skip("no Polish locale could be made")
        yield
    finally:
        locale.setlocale(locale.LC_TIME, before)
        if old_path is None:
            os.environ.pop("LOCPATH", None)
        else:
            os.environ["LOCPATH"] = old_path
