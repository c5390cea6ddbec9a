"""The parts of the body map's outline, so a mark can be placed by name and named by place.

A mark is stored as a point on the outline (0..1 across and down, ``concern.BodyMark``),
which is what the referral's drawing needs. People think in parts of the body: a recorder
using the keyboard chooses "left forearm" from a list, and every mark, however it was
placed, is read back as "left forearm, front". The regions here are boxes on the outline
drawn in ``resources/body_map/front.svg`` and ``back.svg`` (200 x 410 units, the child
facing the viewer on the front, facing away on the back).

Left and right are always the child's own: on the front view the child's left arm is on
the viewer's right; on the back view it is on the viewer's left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

View = Literal["front", "back"]
Side = Literal["left", "right"]

# The drawing's size in its own units (the SVGs' viewBox).
_WIDTH, _HEIGHT = 200.0, 410.0

# (words, sided, (x0, y0, x1, y1)) in drawing units, head to toe; a sided part is given on
# the viewer's left half and mirrored for the other side ("{side}" says where the side
# goes in its words; otherwise it comes first). The first box holding a point
# names it, so a shoulder is listed before the chest it overlaps.
_Box = tuple[float, float, float, float]
_FRONT: tuple[tuple[str, bool, _Box], ...] = (
    ("top of the head", False, (66, 9, 134, 28)),
    ("face", False, (66, 28, 134, 91)),
    ("neck", False, (82, 91, 118, 106)),
    ("shoulder", True, (44, 103, 78, 128)),
    ("upper arm", True, (30, 128, 60, 182)),
    ("forearm", True, (21, 182, 52, 236)),
    ("hand", True, (16, 236, 48, 262)),
    ("chest", False, (60, 106, 140, 170)),
    ("tummy", False, (58, 170, 142, 235)),
    ("genital area", False, (58, 235, 142, 276)),
    ("thigh", True, (56, 276, 99, 322)),
    ("knee", True, (58, 322, 99, 344)),
    ("lower leg", True, (60, 344, 99, 388)),
    ("foot", True, (58, 388, 99, 410)),
)
_BACK: tuple[tuple[str, bool, _Box], ...] = (
    ("back of the head", False, (66, 9, 134, 91)),
    ("back of the neck", False, (82, 91, 118, 106)),
    ("shoulder", True, (44, 103, 78, 128)),
    ("upper arm", True, (30, 128, 60, 182)),
    ("forearm", True, (21, 182, 52, 236)),
    ("hand", True, (16, 236, 48, 262)),
    ("upper back", False, (60, 106, 140, 170)),
    ("lower back", False, (58, 170, 142, 235)),
    ("bottom", False, (58, 235, 142, 292)),
    ("thigh", True, (56, 292, 99, 322)),
    ("back of the {side} knee", True, (58, 322, 99, 344)),
    ("calf", True, (60, 344, 99, 388)),
    ("foot", True, (58, 388, 99, 410)),
)


@dataclass(frozen=True)
class BodyRegion:
    """One part of the outline in one view: its words, the child's side, its box (0..1)."""

    view: View
    part: str
    side: Side | None
    box: tuple[float, float, float, float]
    # Parts drawn on both outlines (an arm, a foot) need the view to say which is meant.
    on_both_views: bool

    @property
    def anchor(self) -> tuple[float, float]:
        """Where a mark chosen from the list is placed: the middle of the box."""
        x0, y0, x1, y1 = self.box
        return round((x0 + x1) / 2, 4), round((y0 + y1) / 2, 4)

    @property
    def words(self) -> str:
        """The part with its side: "left forearm", "chest"."""
        if self.side is None:
            return self.part
        if "{side}" in self.part:
            return self.part.format(side=self.side)
        return f"{self.side} {self.part}"

    @property
    def name(self) -> str:
        """The part as a mark is read back: "left forearm, front", "chest"."""
        return f"{self.words}, {self.view}" if self.on_both_views else self.words

    def distance(self, x: float, y: float) -> float:
        """How far a point is from the box (0 inside), in drawing units."""
        x0, y0, x1, y1 = self.box
        dx = max(x0 - x, 0.0, x - x1) * _WIDTH
        dy = max(y0 - y, 0.0, y - y1) * _HEIGHT
        return float((dx * dx + dy * dy) ** 0.5)


def _regions(view: View) -> tuple[BodyRegion, ...]:
    table = _FRONT if view == "front" else _BACK
    on_both = {words for words, _, _ in _FRONT} & {words for words, _, _ in _BACK}
    found: list[BodyRegion] = []
    for words, sided, (x0, y0, x1, y1) in table:
        box = (x0 / _WIDTH, y0 / _HEIGHT, x1 / _WIDTH, y1 / _HEIGHT)
        both = words in on_both
        if not sided:
            found.append(BodyRegion(view, words, None, box, both))
            continue
        mirrored = (1 - box[2], box[1], 1 - box[0], box[3])
        # The viewer's left half is the child's right on the front, the child's left behind.
        right, left = (box, mirrored) if view == "front" else (mirrored, box)
        # The child's right first, as body map forms list them.
        found.append(BodyRegion(view, words, "right", right, both))
        found.append(BodyRegion(view, words, "left", left, both))
    return tuple(found)


REGIONS: dict[View, tuple[BodyRegion, ...]] = {"front": _regions("front"), "back": _regions("back")}


def region_at(view: View, x: float, y: float) -> BodyRegion:
    """The part of the body a point on the outline is on, or the nearest one to it."""
    regions = REGIONS[view]
    for region in regions:
        x0, y0, x1, y1 = region.box
        if x0 <= x <= x1 and y0 <= y <= y1:
            return region
    return min(regions, key=lambda region: region.distance(x, y))


def mark_name(view: View, x: float, y: float) -> str:
    """A mark read back in words: "left forearm, front"."""
    return region_at(view, x, y).name
