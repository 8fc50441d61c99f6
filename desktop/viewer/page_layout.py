"""Where pages go: a vertical column of pages with gaps, in logical pixels (no Qt).

Page sizes are in PDF points as displayed (the page's own /Rotate applied); the view's
rotation turns them further, and zoom is logical pixels per point.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

GAP = 8
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
MIN_ZOOM = 0.1
MAX_ZOOM = 4.0

Size = tuple[float, float]
Rect = tuple[int, int, int, int]  # x, y, width, height


def rotated(size: Size, rotation: int) -> Size:
    width, height = size
    return (height, width) if rotation % 180 else (width, height)


def clamp_zoom(zoom: float) -> float:
    return round(min(MAX_ZOOM, max(MIN_ZOOM, zoom)), 4)


def fit_width_zoom(size: Size, rotation: int, viewport_width: int) -> float:
    width, _ = rotated(size, rotation)
    return clamp_zoom((viewport_width - 2 * GAP) / width)


def fit_page_zoom(size: Size, rotation: int, viewport_width: int, viewport_height: int) -> float:
    width, height = rotated(size, rotation)
    return clamp_zoom(min((viewport_width - 2 * GAP) / width, (viewport_height - 2 * GAP) / height))


def zoom_step(zoom: float, direction: int) -> float:
    """The next step of ``ZOOM_STEPS`` above (``direction`` > 0) or below ``zoom``."""
    if direction > 0:
        return clamp_zoom(next((s for s in ZOOM_STEPS if s > zoom * 1.001), MAX_ZOOM))
    return clamp_zoom(next((s for s in reversed(ZOOM_STEPS) if s < zoom * 0.999), MIN_ZOOM))


@dataclass(frozen=True)
class PageLayout:
    """The pages ``pages`` (indices into the document) stacked top to bottom."""

    pages: tuple[int, ...]
    rects: tuple[Rect, ...]
    width: int
    height: int
    bottoms: tuple[int, ...]

    @classmethod
    def build(
        cls,
        sizes: Sequence[Size],
        pages: Sequence[int],
        zoom: float,
        rotation: int,
        viewport_width: int,
    ) -> PageLayout:
        scaled = [rotated(sizes[p], rotation) for p in pages]
        pixel_sizes = [(round(w * zoom), round(h * zoom)) for w, h in scaled]
        widest = max((w for w, _ in pixel_sizes), default=0)
        width = max(viewport_width, widest + 2 * GAP)
        rects: list[Rect] = []
        y = GAP
        for w, h in pixel_sizes:
            rects.append(((width - w) // 2, y, w, h))
            y += h + GAP
        return cls(tuple(pages), tuple(rects), width, y, tuple(r[1] + r[3] for r in rects))

    def slot(self, page: int) -> int | None:
        """The position of ``page`` in this layout, or None if it is not laid out."""
        if not self.pages:
            return None
        first = self.pages[0]
        if 0 <= page - first < len(self.pages) and self.pages[page - first] == page:
            return page - first
        return None

    def rect(self, page: int) -> Rect | None:
        slot = self.slot(page)
        return None if slot is None else self.rects[slot]

    def visible(self, top: int, bottom: int) -> list[int]:
        """The pages that intersect the band ``top`` <= y < ``bottom``."""
        start = bisect.bisect_right(self.bottoms, top)
        found = []
        for slot in range(start, len(self.rects)):
            if self.rects[slot][1] >= bottom:
                break
            found.append(self.pages[slot])
        return found

    def most_visible(self, top: int, bottom: int) -> int | None:
        """The page showing the most height in the band (the first of equals)."""
        best, best_height = None, 0
        for page in self.visible(top, bottom):
            _, y, _, h = self.rects[page - self.pages[0]]
            shown = min(y + h, bottom) - max(y, top)
            if shown > best_height:
                best, best_height = page, shown
        return best
