"""Render the app icon SVG into every raster the builds and installers need.

Run after editing ``src/safeguard_desktop/resources/icons/safeguard-desktop.svg``
and commit the results (builds do not render icons, so CI needs no display):

    uv run python installer/render_icons.py

Writes, beside the SVG:

* ``safeguard-desktop-{16..1024}.png``: window icon sizes, the Linux
  ``.desktop`` icon (256) and the sources of the two containers below;
* ``safeguard-desktop.ico``: Windows executable, installer and shortcuts;
* ``safeguard-desktop.icns``: the macOS ``.app`` bundle.

Qt's own SVG renderer draws the PNGs (QtSvg ships with pyside6-essentials);
Pillow, already installed as a reportlab dependency, packs ICO and ICNS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICON_DIR = (
    Path(__file__).resolve().parent.parent / "src" / "safeguard_desktop" / "resources" / "icons"
)
SVG = ICON_DIR / "safeguard-desktop.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS holds 16..1024; Pillow picks the matching PNG for each slot from the largest.
ICNS_SOURCE = 1024


def png_path(size: int) -> Path:
    return ICON_DIR / f"safeguard-desktop-{size}.png"


def render_pngs() -> None:
    # No window is shown, so the offscreen platform works on a headless machine.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size)), "PNG"):
            raise SystemExit(f"cannot write {png_path(size)}")
    del app


def pack_containers() -> None:
    from PIL import Image

    images = {size: Image.open(png_path(size)).convert("RGBA") for size in ICO_SIZES}
    largest = images[max(ICO_SIZES)]
    # Each size is taken from its own render (crisper than Pillow downscaling one image).
    largest.save(
        ICON_DIR / "safeguard-desktop.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    Image.open(png_path(ICNS_SOURCE)).convert("RGBA").save(
        ICON_DIR / "safeguard-desktop.icns", format="ICNS"
    )


def main() -> int:
    render_pngs()
    pack_containers()
    for path in sorted(ICON_DIR.iterdir()):
        print(
            f"{path.stat().st_size:>9,d}  {path.relative_to(ICON_DIR.parent.parent.parent.parent)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
