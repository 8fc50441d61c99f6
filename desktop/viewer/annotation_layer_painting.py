"""The painting section of the annotation layer (``AnnotationLayer``): a page's
annotations recorded once into a ``QPicture``, rasterised once per zoom, rotation and edit
into an image (so scrolling costs one image copy however many annotations the page has),
the selection's outline and the shape or ink being drawn. How each kind is drawn is its
row of ``desktop.viewer.annotation_kinds``.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPicture, QTransform

from desktop.annotation_store import rect_of
from desktop.viewer.annotation_kinds import paint_annotation
from desktop.viewer.annotation_layer_tools import LayerTools

IMAGE_CACHE_PAGES = 6  # annotation images kept (a few screens' worth of pages)
_SELECTION = QColor(0x33, 0x88, 0xFF, 90)
_SELECTED_PEN = QColor(0x33, 0x88, 0xFF)


class LayerPainting(LayerTools):
    """Paints the layer over the page view (``paint_page`` is the view's overlay)."""

    _pictures: dict[int, QPicture]  # page -> its annotations, recorded
    # page -> (zoom, rotation and size it was drawn for, its annotations rasterised)
    _images: dict[int, tuple[tuple[float, ...], QImage]]

    def _forget(self, page: int | None) -> None:
        """Drop what was drawn of ``page``'s annotations (of every page with None)."""
        if page is None:
            self._pictures.clear()
            self._images.clear()
        else:
            self._pictures.pop(page, None)
            self._images.pop(page, None)

    def paint_page(self, painter: QPainter, page: int, transform: QTransform) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self.index.by_page.get(page):
            self._paint_cached(painter, page, transform)
        selected = self.selected_record()
        if selected is not None and selected.page == page:
            x0, y0, x1, y1 = rect_of(selected)
            pen = QPen(_SELECTED_PEN, 0, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(x0 - 2, y0 - 2, x1 - x0 + 4, y1 - y0 + 4))
        if self.selection is not None and self.selection.page == page:
            for q in self.selection.quads:
                painter.fillRect(QRectF(q[0], q[1], q[2] - q[0], q[3] - q[1]), _SELECTION)
        if page == self._page and self._drag in ("shape", "ink"):
            self._paint_in_progress(painter)

    def _picture(self, page: int) -> QPicture:
        """The page's annotations recorded once (an edit on the page records them again)."""
        picture = self._pictures.get(page)
        if picture is None:
            picture = QPicture()
            recorder = QPainter(picture)
            recorder.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            for record in self.index.on_page(page):
                paint_annotation(recorder, record)
            recorder.end()
            self._pictures[page] = picture
        return picture

    def _paint_cached(self, painter: QPainter, page: int, transform: QTransform) -> None:
        """Draw the page's annotations from an image rasterised once per zoom, rotation
        and edit, so scrolling costs one image copy however many annotations the page has
        (stroking antialiased ink is the expensive part)."""
        layout = self.view.page_rect(page)
        if layout is None:
            return
        dx = self.view.horizontalScrollBar().value()
        dy = self.view.verticalScrollBar().value()
        left, top = layout.x() - dx, layout.y() - dy
        dpr = self.view.viewport().devicePixelRatioF()
        key = (
            layout.width(),
            layout.height(),
            round(transform.m11(), 6),
            round(transform.m12(), 6),
            round(transform.m21(), 6),
            round(transform.m22(), 6),
            dpr,
        )
        cached = self._images.get(page)
        if cached is None or cached[0] != key:
            image = QImage(
                max(1, round(layout.width() * dpr)),
                max(1, round(layout.height() * dpr)),
                QImage.Format.Format_ARGB32_Premultiplied,
            )
            image.setDevicePixelRatio(dpr)
            image.fill(Qt.GlobalColor.transparent)
            raster = QPainter(image)
            raster.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            raster.setTransform(transform * QTransform.fromTranslate(-left, -top))
            raster.drawPicture(0, 0, self._picture(page))
            raster.end()
            self._images.pop(page, None)
            while len(self._images) >= IMAGE_CACHE_PAGES:
                self._images.pop(next(iter(self._images)))
            cached = self._images[page] = (key, image)
        painter.save()
        painter.resetTransform()
        painter.drawImage(QPointF(left, top), cached[1])
        painter.restore()

    def _paint_in_progress(self, painter: QPainter) -> None:
        color = QColor(self.colors.get(self.tool, "#000000"))
        pen = QPen(color, 1.5)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._drag == "ink":
            path = QPainterPath()
            if self._ink:
                path.moveTo(self._ink[0])
                for point in self._ink[1:]:
                    path.lineTo(point)
            painter.drawPath(path)
            return
        rect = QRectF(self._start, self._point).normalized()
        if self.tool == "ellipse":
            painter.drawEllipse(rect)
        else:
            painter.drawRect(rect)
