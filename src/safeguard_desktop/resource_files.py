"""Where the files shipped inside the package (fonts, SVGs, icons) are found.

One helper for every layer, so the same call works in three situations:

* from a source checkout or an editable install (``uv run``),
* from an installed wheel,
* from a PyInstaller build, which copies ``safeguard_desktop/resources`` below
  ``sys._MEIPASS`` (the unpack folder of the single file, or ``_internal`` of
  the folder build; see ``installer/safeguard-desktop.spec``).

The package is never imported from a zip file, so the result is always a real
folder on disk that reportlab and Qt can open by path.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

_PACKAGE = "safeguard_desktop"


def resources_root() -> Path:
    """The package's ``resources`` folder, frozen or not."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / _PACKAGE / "resources"
    # importlib.resources finds the installed package however it was installed
    # (editable, wheel); it is always plain files, so str() is a real path.
    return Path(str(resources.files(_PACKAGE) / "resources"))


def resource_path(*parts: str) -> Path:
    """The path of a shipped file, e.g. ``resource_path("icons", "app-256.png")``.

    Raises ``FileNotFoundError`` naming the missing file, because a missing
    resource is a packaging bug that should stop a build's smoke test, not a
    blank icon at run time.
    """
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"bundled resource missing: {'/'.join(parts)}")
    return path
