"""Rendered page images, least recently used first out, bounded in bytes.

The bound is ``QImage.sizeInBytes()`` summed over the images held; putting an image evicts
the least recently used ones until the total fits. One image larger than the whole bound
is held alone (the page on screen must be paintable), so only then may the total exceed it.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtGui import QImage

from desktop.viewer.render_worker import RenderKey


class PageCache:
    def __init__(self, max_bytes: int) -> None:
        if max_bytes <= 0:
            raise ValueError("the page cache needs a positive size")
        self.max_bytes = max_bytes
        self.bytes_used = 0
        self.peak_bytes = 0
        self._images: OrderedDict[RenderKey, QImage] = OrderedDict()
        self._by_page: dict[int, set[RenderKey]] = {}

    def __len__(self) -> int:
        return len(self._images)

    def __contains__(self, key: RenderKey) -> bool:
        return key in self._images

    def get(self, key: RenderKey) -> QImage | None:
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def put(self, key: RenderKey, image: QImage) -> None:
        self._drop(key)
        size = image.sizeInBytes()
        while self._images and self.bytes_used + size > self.max_bytes:
            self._drop(next(iter(self._images)))
        self._images[key] = image
        self._by_page.setdefault(key.page, set()).add(key)
        self.bytes_used += size
        self.peak_bytes = max(self.peak_bytes, self.bytes_used)

    def nearest(self, page: int, rotation: int, zoom: float) -> QImage | None:
        """The cached image of ``page`` at ``rotation`` closest in zoom, preferring larger."""
        keys = [k for k in self._by_page.get(page, ()) if k.rotation == rotation]
        if not keys:
            return None
        best = min(keys, key=lambda k: (k.zoom < zoom, abs(k.zoom - zoom)))
        return self._images[best]

    def clear(self) -> None:
        self._images.clear()
        self._by_page.clear()
        self.bytes_used = 0

    def _drop(self, key: RenderKey) -> None:
        image = self._images.pop(key, None)
        if image is None:
            return
        self.bytes_used -= image.sizeInBytes()
        keys = self._by_page[key.page]
        keys.discard(key)
        if not keys:
            del self._by_page[key.page]
