"""TrueType fonts whose embedded subsets are made once per process, not once per PDF.

reportlab embeds in each PDF a subset of every font it uses: the glyphs that PDF
needs, in the order it first needed them. Cutting that subset out of the font file
and compressing it was about a fifth of the time a chronology took, and most PDFs
need the very same subset: printable ASCII has fixed places (reportlab's
``ttfAsciiReadable``), and the few other characters come in the same order when the
same headings come first. Across 400 chronologies of the benchmark store there were
60 different subsets in 801.

:class:`KeptSubsetsFont` keeps the last subsets it made, by the exact list of
characters (which with the font file fixes every byte), and their compressed form, by
their bytes. A PDF is byte for byte what it would have been without them.

What is kept is glyph outlines from the bundled font files, never a page's text, and
only in this process's memory. The list of characters a subset was made for is in the
order a PDF first used them, as the PDF's own embedded font has it; for a name in a
script outside ASCII that order says something of the name, so :func:`forget` drops
everything kept, and a DSL's session calls it when it locks.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# A whole subset (256 glyphs) of DejaVu Sans is about 52 KB, 28 KB compressed: with four
# fonts, at most about 25 MB in all.
SUBSETS_KEPT = 48
COMPRESSED_KEPT = 192


class _Kept(Generic[K, V]):
    """The newest ``size`` answers of a function, by key; safe across threads.

    Answers are made one at a time: reportlab cuts a subset by moving one read position
    over the whole font file, so two threads cutting at once each get a broken subset,
    which would then be kept and put into every later PDF.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._making = threading.Lock()
        self.made = 0  # how many answers were made rather than found (for tests)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def get(self, key: K, make: Callable[[], V]) -> V:
        found = self._found(key)
        if found is not None:
            return found[0]
        with self._making:
            found = self._found(key)  # made by another thread meanwhile
            if found is not None:
                return found[0]
            value = make()
            with self._lock:
                self.made += 1
                self._items[key] = value
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return value

    def _found(self, key: K) -> tuple[V] | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return (self._items[key],)


class _KeptFlate:
    """reportlab's Flate filter (``pdfdoc.PDFZCompress``), compressing the same bytes once."""

    pdfname = "FlateDecode"

    def __init__(self, size: int) -> None:
        self.kept: _Kept[bytes, bytes] = _Kept(size)

    def encode(self, content: bytes | str) -> bytes:
        data = content.encode("utf-8") if isinstance(content, str) else content
        return self.kept.get(data, lambda: zlib.compress(data))

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


KEPT_FLATE = _KeptFlate(COMPRESSED_KEPT)
_FONTS: list[KeptSubsetsFont] = []


def forget() -> None:
    """Drop every subset kept by every font, and their compressed forms."""
    for font in _FONTS:
        font.kept_subsets.clear()
    KEPT_FLATE.kept.clear()


class KeptSubsetsFont(TTFont):  # type: ignore[misc]  # reportlab has no type hints
    """A reportlab TrueType font that keeps the subsets it embeds (see the module)."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        face = self.face
        make_subset: Callable[[list[int]], bytes] = face.makeSubset
        add_subset_objects: Callable[[Any, str, list[int]], Any] = face.addSubsetObjects
        self.kept_subsets: _Kept[tuple[int, ...], bytes] = _Kept(SUBSETS_KEPT)

        def kept_subset(subset: list[int]) -> bytes:
            return self.kept_subsets.get(tuple(subset), lambda: make_subset(subset))

        def add_kept_subset_objects(doc: Any, font_name: str, subset: list[int]) -> Any:
            descriptor = add_subset_objects(doc, font_name, subset)
            # reportlab asked for its own Flate filter on the font file when the
            # document is compressed; the kept one gives the same bytes.
            font_file = doc.idToObject[descriptor.name].dict["FontFile2"]
            stream = doc.idToObject[font_file.name]
            if stream.filters == [pdfdoc.PDFZCompress]:
                stream.filters = [KEPT_FLATE]
            return descriptor

        face.makeSubset = kept_subset
        face.addSubsetObjects = add_kept_subset_objects
        _FONTS.append(self)
