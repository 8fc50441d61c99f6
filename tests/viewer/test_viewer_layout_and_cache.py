"""Page layout arithmetic and the byte-bounded page cache (no widgets)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from desktop.viewer.page_cache import PageCache
from desktop.viewer.page_layout import (
    GAP,
    MAX_ZOOM,
    PageLayout,
    fit_page_zoom,
    fit_width_zoom,
    zoom_step,
)
from desktop.viewer.render_worker import RenderKey

LETTER = (612.0, 792.0)


def _image(width: int = 100, height: int = 100) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    return image


def test_pages_stack_with_gaps_and_centre() -> None:
    layout = PageLayout.build([LETTER] * 3, range(3), 1.0, 0, 800)
    assert [r[1] for r in layout.rects] == [GAP, GAP + 792 + GAP, GAP + 2 * (792 + GAP)]
    assert layout.rects[0][0] == (800 - 612) // 2
    assert layout.height == 3 * (792 + GAP) + GAP
    assert layout.visible(0, 100) == [0]
    assert layout.visible(790, 820) == [0, 1]
    assert layout.most_visible(700, 1500) == 1


def test_rotation_swaps_width_and_height() -> None:
    upright = PageLayout.build([LETTER], [0], 1.0, 0, 100)
    turned = PageLayout.build([LETTER], [0], 1.0, 90, 100)
    assert upright.rects[0][2:] == (612, 792)
    assert turned.rects[0][2:] == (792, 612)


def test_fit_and_steps() -> None:
    assert fit_width_zoom(LETTER, 0, 612 + 2 * GAP) == 1.0
    assert fit_page_zoom(LETTER, 0, 2000, 792 + 2 * GAP) == 1.0
    assert zoom_step(1.0, +1) == 1.1
    assert zoom_step(1.0, -1) == 0.9
    assert zoom_step(MAX_ZOOM, +1) == MAX_ZOOM


def test_cache_evicts_least_recently_used_within_its_bytes() -> None:
    one = _image().sizeInBytes()
    cache = PageCache(max_bytes=3 * one)
    keys = [RenderKey(page, 1.0, 0, 1.0) for page in range(5)]
    for key in keys[:3]:
        cache.put(key, _image())
    cache.get(keys[0])  # page 0 is used again, so page 1 is the oldest
    cache.put(keys[3], _image())
    assert keys[1] not in cache and keys[0] in cache
    for key in keys:
        cache.put(key, _image())
        assert cache.bytes_used <= cache.max_bytes
    assert cache.peak_bytes <= cache.max_bytes


def test_nearest_size_prefers_the_closest_larger_image() -> None:
    cache = PageCache(max_bytes=10_000_000)
    cache.put(RenderKey(0, 0.5, 0, 1.0), _image(50, 50))
    cache.put(RenderKey(0, 2.0, 0, 1.0), _image(200, 200))
    cache.put(RenderKey(0, 1.0, 90, 1.0), _image(10, 10))
    found = cache.nearest(0, 0, 1.0)
    assert found is not None and found.width() == 200
    assert cache.nearest(1, 0, 1.0) is None
