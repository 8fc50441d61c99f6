"""The page view: paints cached page images in a scroll area; a worker renders the rest.

Not a widget per page and not a graphics scene: ``paintEvent`` draws the pages that
intersect the viewport from ``PageCache``. A page not yet rendered at the current zoom is
painted from the nearest cached size, scaled, or as a light placeholder with its number,
and is asked of the ``RenderWorker`` together with the next and previous pages. Images are
rendered at zoom x device pixel ratio, so the page is sharp on HiDPI screens.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTabletEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from desktop.viewer.page_cache import PageCache
from desktop.viewer.page_layout import (
    GAP,
    PageLayout,
    Size,
    clamp_zoom,
    fit_page_zoom,
    fit_width_zoom,
    zoom_step,
)
from desktop.viewer.render_worker import RenderKey, RenderWorker

DEFAULT_CACHE_BYTES = 256 * 1024 * 1024
LINE_STEP = 40
ZoomMode = Literal["fit_width", "fit_page", "custom"]
# Paints over one page: (painter already transformed to page points, page, that transform).
Overlay = Callable[[QPainter, int, QTransform], None]


class Interaction:
    """What the pointer does on the pages (text selection, annotation tools): the view
    hands every mouse and tablet event on its viewport to ``view.interaction``. A method
    returns True when it used the event. ``event.position()`` is in viewport pixels;
    ``view.page_at`` turns it into a page and page point. A tablet event not used falls
    back to the mouse events Qt synthesises from it."""

    def press(self, event: QMouseEvent) -> bool:
        return False

    def move(self, event: QMouseEvent) -> bool:
        return False

    def release(self, event: QMouseEvent) -> bool:
        return False

    def double_click(self, event: QMouseEvent) -> bool:
        return False

    def tablet(self, event: QTabletEvent) -> bool:
        return False


_BACKGROUND = QColor(0x5A, 0x5E, 0x63)
_PLACEHOLDER = QColor(0xF4, 0xF4, 0xF4)
_PLACEHOLDER_TEXT = QColor(0x9A, 0x9A, 0x9A)
_MESSAGE_TEXT = QColor(0xFF, 0xFF, 0xFF)


class PageView(QAbstractScrollArea):
    """A document's pages, continuous or one at a time; see the module docstring."""

    page_changed = Signal(int)  # 0-based
    zoom_changed = Signal(float)
    opened = Signal(int)  # page count
    failed = Signal(str)  # the message the view also paints
    first_page_painted = Signal()
    painted = Signal()
    # Answers to ``submit_job`` from the current document's worker: job id, result / message.
    job_done = Signal(int, object)
    job_failed = Signal(int, str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        prefetch: int = 2,
    ) -> None:
        super().__init__(parent)
        self.cache = PageCache(cache_bytes)
        self.prefetch = prefetch
        self._worker: RenderWorker | None = None
        self._sizes: list[Size] = []
        self._layout = PageLayout.build([], [], 1.0, 0, 0)
        self._zoom = 1.0
        self._zoom_mode: ZoomMode = "fit_width"
        self._rotation = 0
        self._continuous = True
        self._current = 0
        self._failed_pages: dict[int, str] = {}
        self._message: str | None = None
        self._first_painted = False
        self._jumping = False
        self._sharp: set[int] = set()  # on screen at full resolution since the last move
        self._overlays: list[Overlay] = []
        self.interaction = Interaction()  # replaced by the annotation layer
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setAutoFillBackground(False)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._on_scrolled)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close_document)

    # --- opening -------------------------------------------------------------------

    def open_bytes(self, data: bytes, expected_sha256: str | None = None) -> None:
        """Show ``data``; if ``expected_sha256`` is given, only if the bytes match it."""
        self._start(bytes(data), expected_sha256)

    def open_path(self, path: str | Path, expected_sha256: str | None = None) -> None:
        self._start(Path(path), expected_sha256)

    def close_document(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.shutdown()
        self.cache.clear()
        self._sizes = []
        self._failed_pages.clear()
        self._relayout()
        self.viewport().update()

    def _start(self, source: bytes | Path, expected_sha256: str | None) -> None:
        self.close_document()
        self._message = None
        self._first_painted = False
        self._current = 0
        worker = RenderWorker(max_pending=2 * self.prefetch + 4)
        worker.opened.connect(self._on_opened)
        worker.failed.connect(self._on_failed)
        worker.rendered.connect(self._on_rendered)
        worker.render_failed.connect(self._on_render_failed)
        worker.job_done.connect(self._on_job_done)
        worker.job_failed.connect(self._on_job_failed)
        self._worker = worker
        worker.open_document(source, expected_sha256)

    # --- public state --------------------------------------------------------------

    def page_count(self) -> int:
        return len(self._sizes)

    def current_page(self) -> int:
        return self._current

    def zoom(self) -> float:
        return self._zoom

    def zoom_mode(self) -> ZoomMode:
        return self._zoom_mode

    def rotation(self) -> int:
        return self._rotation

    def is_continuous(self) -> bool:
        return self._continuous

    def message(self) -> str | None:
        return self._message

    @property
    def sharp_pages(self) -> tuple[int, ...]:
        """The pages on screen painted from an image at the current zoom (not scaled)."""
        return tuple(sorted(self._sharp))

    def page_rect(self, page: int) -> QRect | None:
        """Where ``page`` is laid out, in document coordinates (None if not laid out)."""
        rect = self._layout.rect(page)
        return None if rect is None else QRect(*rect)

    # --- page coordinates, overlays and jobs ---------------------------------------

    def page_transform(self, page: int) -> QTransform | None:
        """Maps ``page``'s coordinates (PDF points as displayed: origin top-left, y down,
        the page's own /Rotate applied — PyMuPDF's ``page.rect`` space) to viewport pixels,
        with the view's zoom, rotation and scroll position. None if the page is not laid out.
        """
        rect = self._layout.rect(page)
        if rect is None or not 0 <= page < len(self._sizes):
            return None
        x, y, _w, _h = rect
        tx = x - self.horizontalScrollBar().value()
        ty = y - self.verticalScrollBar().value()
        width, height = self._sizes[page]
        z = self._zoom
        rotation = self._rotation % 360
        if rotation == 90:
            return QTransform(0, z, -z, 0, z * height + tx, ty)
        if rotation == 180:
            return QTransform(-z, 0, 0, -z, z * width + tx, z * height + ty)
        if rotation == 270:
            return QTransform(0, -z, z, 0, tx, z * width + ty)
        return QTransform(z, 0, 0, z, tx, ty)

    def page_at(self, point: QPointF | QPoint) -> tuple[int, QPointF] | None:
        """The page under a viewport point and that point in the page's coordinates."""
        if not self._sizes:
            return None
        dx, dy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        doc_x, doc_y = point.x() + dx, point.y() + dy
        for page in self._layout.visible(int(doc_y), int(doc_y) + 1):
            x, y, w, h = self._layout.rects[page - self._layout.pages[0]]
            if x <= doc_x <= x + w and y <= doc_y <= y + h:
                transform = self.page_transform(page)
                if transform is None:
                    return None
                inverse, invertible = transform.inverted()
                if not invertible:
                    return None
                return page, inverse.map(QPointF(point.x(), point.y()))
        return None

    def add_overlay(self, overlay: Overlay) -> None:
        """Paint ``overlay(painter, page, transform)`` over every visible page, after the
        page image; the painter is clipped to the page and restored afterwards."""
        self._overlays.append(overlay)
        self.viewport().update()

    def remove_overlay(self, overlay: Overlay) -> None:
        if overlay in self._overlays:
            self._overlays.remove(overlay)
            self.viewport().update()

    def submit_job(self, job: Callable[[Any], object]) -> int:
        """Run ``job(document)`` on the render worker's thread (see RenderWorker.submit);
        answered by ``job_done(job_id, result)`` or ``job_failed(job_id, message)``.
        Returns -1 when no document is open."""
        if self._worker is None:
            return -1
        return self._worker.submit(job)

    def discard_jobs(self) -> None:
        if self._worker is not None:
            self._worker.discard_jobs()

    def _on_job_done(self, ident: int, job_id: int, result: object) -> None:
        if self._from_current_worker(ident):
            self.job_done.emit(job_id, result)

    def _on_job_failed(self, ident: int, job_id: int, message: str) -> None:
        if self._from_current_worker(ident):
            self.job_failed.emit(job_id, message)

    # --- navigation, zoom, rotation ------------------------------------------------

    def go_to_page(self, page: int, *, at_bottom: bool = False) -> None:
        if not self._sizes:
            return
        page = max(0, min(page, len(self._sizes) - 1))
        changed = page != self._current
        self._current = page
        if not self._continuous:
            self._relayout()
        rect = self._layout.rect(page)
        if rect is not None:
            _, y, _, height = rect
            target = y + height + GAP - self.viewport().height() if at_bottom else y - GAP
            self._jumping = True
            try:
                self.verticalScrollBar().setValue(target)
            finally:
                self._jumping = False
        if changed:
            self.page_changed.emit(page)
        self.viewport().update()

    def reveal(self, page: int, rect: QRectF, *, at_top: bool = False) -> None:
        """Scroll so ``rect`` (in ``page``'s coordinates, as ``page_transform``) is on
        screen: centred if it was off screen, or at the top of the view with ``at_top``."""
        if not 0 <= page < len(self._sizes):
            return
        if self._layout.rect(page) is None:  # one page at a time: turn to it first
            self.go_to_page(page)
        transform = self.page_transform(page)
        if transform is None:
            return
        shown = transform.mapRect(rect)
        area = QRectF(self.viewport().rect())
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        if at_top:
            vbar.setValue(vbar.value() + round(shown.top()) - GAP)
        elif shown.top() < area.top() or shown.bottom() > area.bottom():
            vbar.setValue(vbar.value() + round(shown.center().y() - area.center().y()))
        if shown.left() < area.left() or shown.right() > area.right():
            hbar.setValue(hbar.value() + round(shown.center().x() - area.center().x()))
        self.viewport().update()

    def next_page(self) -> None:
        self.go_to_page(self._current + 1)

    def previous_page(self) -> None:
        self.go_to_page(self._current - 1)

    def page_down(self) -> None:
        bar = self.verticalScrollBar()
        if bar.value() < bar.maximum():
            bar.setValue(bar.value() + self._screen_step())
        elif not self._continuous and self._current < len(self._sizes) - 1:
            self.go_to_page(self._current + 1)

    def page_up(self) -> None:
        bar = self.verticalScrollBar()
        if bar.value() > bar.minimum():
            bar.setValue(bar.value() - self._screen_step())
        elif not self._continuous and self._current > 0:
            self.go_to_page(self._current - 1, at_bottom=True)

    def set_continuous(self, continuous: bool) -> None:
        if continuous == self._continuous:
            return
        self._continuous = continuous
        self._relayout()
        self.go_to_page(self._current)

    def set_zoom(self, zoom: float, anchor: QPoint | None = None) -> None:
        """Zoom to ``zoom`` (1.0 = 100 %), keeping the point under ``anchor`` in place."""
        self._zoom_mode = "custom"
        self._apply_zoom(clamp_zoom(zoom), anchor)

    def zoom_in(self) -> None:
        self.set_zoom(zoom_step(self._zoom, +1))

    def zoom_out(self) -> None:
        self.set_zoom(zoom_step(self._zoom, -1))

    def fit_width(self) -> None:
        self._zoom_mode = "fit_width"
        self._apply_zoom(self._fitted_zoom(), None)

    def fit_page(self) -> None:
        self._zoom_mode = "fit_page"
        self._apply_zoom(self._fitted_zoom(), None)
        self.go_to_page(self._current)

    def rotate(self, degrees: int = 90) -> None:
        """Turn the view (never the file) by a multiple of 90 degrees."""
        self._rotation = (self._rotation + degrees // 90 * 90) % 360
        if self._zoom_mode != "custom":
            self._zoom = self._fitted_zoom()
            self.zoom_changed.emit(self._zoom)
        self._relayout()
        self.go_to_page(self._current)

    # --- internals: layout ---------------------------------------------------------

    def _fitted_zoom(self) -> float:
        if not self._sizes:
            return self._zoom
        size = self._sizes[self._current]
        viewport = self.viewport()
        if self._zoom_mode == "fit_page":
            return fit_page_zoom(size, self._rotation, viewport.width(), viewport.height())
        return fit_width_zoom(size, self._rotation, viewport.width())

    def _apply_zoom(
        self, zoom: float, anchor: QPoint | None, sizes: list[Size] | None = None
    ) -> None:
        """Change the zoom (and the page sizes, if given) keeping the anchored point."""
        if not self._sizes:
            return
        viewport = self.viewport()
        anchor = anchor or QPoint(viewport.width() // 2, 0)
        hbar, vbar = self.horizontalScrollBar(), self.verticalScrollBar()
        x, y = hbar.value() + anchor.x(), vbar.value() + anchor.y()
        page = next(iter(self._layout.visible(y, y + 1)), self._current)
        before = self._layout.rect(page) or (0, 0, 1, 1)
        fx = (x - before[0]) / max(1, before[2])
        fy = (y - before[1]) / max(1, before[3])
        changed = zoom != self._zoom
        self._zoom = zoom
        self._sizes = self._sizes if sizes is None else sizes
        self._relayout()
        after = self._layout.rect(page) or (0, 0, 1, 1)
        self._jumping = True
        try:
            hbar.setValue(round(after[0] + fx * after[2]) - anchor.x())
            vbar.setValue(round(after[1] + fy * after[3]) - anchor.y())
        finally:
            self._jumping = False
        if changed:
            self.zoom_changed.emit(zoom)
        viewport.update()

    def _relayout(self) -> None:
        self._sharp.clear()  # what was painted is no longer where it was
        pages = range(len(self._sizes)) if self._continuous else [self._current]
        if not self._sizes:
            pages = range(0)
        viewport = self.viewport()
        self._layout = PageLayout.build(
            self._sizes, pages, self._zoom, self._rotation, viewport.width()
        )
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setRange(0, max(0, self._layout.height - viewport.height()))
        vbar.setPageStep(viewport.height())
        vbar.setSingleStep(LINE_STEP)
        hbar.setRange(0, max(0, self._layout.width - viewport.width()))
        hbar.setPageStep(viewport.width())
        hbar.setSingleStep(LINE_STEP)

    def _screen_step(self) -> int:
        return max(LINE_STEP, self.viewport().height() - 2 * LINE_STEP)

    def _key(self, page: int) -> RenderKey:
        dpr = round(self.viewport().devicePixelRatioF(), 3)
        return RenderKey(page, self._zoom, self._rotation, dpr)

    # --- internals: worker answers -------------------------------------------------

    def _from_current_worker(self, ident: int) -> bool:
        return self._worker is not None and self._worker.ident == ident

    def _on_opened(self, ident: int, sizes: list[Size]) -> None:
        if not self._from_current_worker(ident):
            return
        if self._sizes:  # the measured sizes replace the first guess
            self._apply_zoom(self._zoom, None, list(sizes))
            return
        self._sizes = list(sizes)
        self._current = 0
        self._zoom = self._fitted_zoom() if self._zoom_mode != "custom" else self._zoom
        self._relayout()
        self.verticalScrollBar().setValue(0)
        self.opened.emit(len(sizes))
        self.page_changed.emit(0)
        self.zoom_changed.emit(self._zoom)
        self.viewport().update()

    def _on_failed(self, ident: int, message: str) -> None:
        if not self._from_current_worker(ident):
            return
        self._message = message
        self._sizes = []
        self._relayout()
        self.viewport().update()
        self.failed.emit(message)

    def _on_rendered(self, ident: int, key: RenderKey, image: object) -> None:
        worker = self._worker
        if worker is None or worker.ident != ident:
            return
        worker.answered(key)
        if isinstance(image, QImage):
            self.cache.put(key, image)
        self._update_page(key.page)

    def _on_render_failed(self, ident: int, key: RenderKey, message: str) -> None:
        worker = self._worker
        if worker is None or worker.ident != ident:
            return
        worker.answered(key)
        self._failed_pages[key.page] = message
        self._update_page(key.page)

    def _update_page(self, page: int) -> None:
        rect = self._layout.rect(page)
        if rect is not None:
            x, y, w, h = rect
            shown = QRect(
                x - self.horizontalScrollBar().value(), y - self.verticalScrollBar().value(), w, h
            )
            if shown.intersects(self.viewport().rect()):
                self.viewport().update(shown)
                return
        # Not on screen: it was a prefetch; nothing to paint.

    def _on_scrolled(self, _value: int) -> None:
        self._sharp.clear()
        if not self._jumping and self._continuous and self._sizes:
            top = self.verticalScrollBar().value()
            page = self._layout.most_visible(top, top + self.viewport().height())
            if page is not None and page != self._current:
                self._current = page
                self.page_changed.emit(page)
        self.viewport().update()

    # --- painting ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.fillRect(event.rect(), _BACKGROUND)
        if self._message is not None or not self._sizes:
            self._paint_message(painter)
            painter.end()
            return
        dx, dy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        visible = self._layout.visible(dy, dy + self.viewport().height())
        for page in visible:
            x, y, w, h = self._layout.rects[page - self._layout.pages[0]]
            target = QRect(x - dx, y - dy, w, h)
            if not target.intersects(event.rect()):
                continue
            image = self.cache.get(self._key(page))
            if image is not None:
                painter.drawImage(target, image)
                self._sharp.add(page)
                continue
            self._sharp.discard(page)
            if page in self._failed_pages:
                self._paint_placeholder(painter, target, self._failed_pages[page])
            else:
                near = self.cache.nearest(page, self._rotation, self._zoom)
                if near is not None:
                    painter.drawImage(target, near)
                else:
                    self._paint_placeholder(painter, target, str(page + 1))
        if self._overlays:
            self._paint_overlays(painter, visible, event.rect())
        painter.end()
        self._ask_for(visible)
        if self._sharp and not self._first_painted:
            self._first_painted = True
            self.first_page_painted.emit()
        self.painted.emit()

    def _paint_overlays(self, painter: QPainter, visible: list[int], area: QRect) -> None:
        dx, dy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        for page in visible:
            x, y, w, h = self._layout.rects[page - self._layout.pages[0]]
            target = QRect(x - dx, y - dy, w, h)
            transform = self.page_transform(page)
            if transform is None or not target.intersects(area):
                continue
            for overlay in list(self._overlays):
                painter.save()
                painter.setClipRect(target)
                painter.setTransform(transform)
                try:
                    overlay(painter, page, transform)
                finally:
                    painter.restore()

    def _ask_for(self, visible: list[int]) -> None:
        """Ask the worker for the visible pages, then the next and previous ones."""
        if self._worker is None or not visible:
            return
        last = len(self._sizes) - 1
        order = sorted(visible, key=lambda p: p != self._current)
        for step in range(1, self.prefetch + 1):
            order += [p for p in (visible[-1] + step, visible[0] - step) if 0 <= p <= last]
        keys = [self._key(p) for p in order if p not in self._failed_pages]
        self._worker.want([key for key in keys if key not in self.cache])

    def _paint_placeholder(self, painter: QPainter, target: QRect, text: str) -> None:
        painter.fillRect(target, _PLACEHOLDER)
        painter.setPen(_PLACEHOLDER_TEXT)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(target.adjusted(12, 12, -12, -12), int(flags), text)

    def _paint_message(self, painter: QPainter) -> None:
        if self._message is None:
            return
        painter.setPen(_MESSAGE_TEXT)
        area = self.viewport().rect().adjusted(40, 40, -40, -40)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(area, int(flags), self._message)

    # --- input ---------------------------------------------------------------------

    # Pointer events go to ``self.interaction`` (see ``Interaction``) before the default.
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.interaction.press(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self.interaction.move(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self.interaction.release(event):
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if not self.interaction.double_click(event):
            super().mouseDoubleClickEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if isinstance(event, QTabletEvent):  # QAbstractScrollArea does not forward these
            used = self.interaction.tablet(event)
            event.setAccepted(used)  # not used: Qt sends the stroke as mouse events
            return used
        return super().viewportEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_document()  # end the worker thread with the window it serves
        super().closeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._zoom_mode != "custom" and self._sizes:
            self._apply_zoom(self._fitted_zoom(), None)
        else:
            self._relayout()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.set_zoom(self._zoom * 1.1**steps, event.position().toPoint())
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event.key(), event.modifiers()):
            super().keyPressEvent(event)

    def _handle_key(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        keys = Qt.Key
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        if ctrl and key in (keys.Key_Plus, keys.Key_Equal):
            self.zoom_in()
        elif ctrl and key == keys.Key_Minus:
            self.zoom_out()
        elif ctrl and key == keys.Key_0:
            self.fit_width()
        elif ctrl and key == keys.Key_R:
            self.rotate(-90 if shift else 90)
        elif key == keys.Key_PageDown or (key == keys.Key_Space and not shift):
            self.page_down()
        elif key == keys.Key_PageUp or (key == keys.Key_Space and shift):
            self.page_up()
        elif key == keys.Key_Home:
            self.go_to_page(0)
        elif key == keys.Key_End:
            self.go_to_page(self.page_count() - 1)
        elif key == keys.Key_Down:
            vbar.setValue(vbar.value() + LINE_STEP)
        elif key == keys.Key_Up:
            vbar.setValue(vbar.value() - LINE_STEP)
        elif key in (keys.Key_Left, keys.Key_Right):
            forward = key == keys.Key_Right
            if hbar.maximum() > 0:
                hbar.setValue(hbar.value() + (LINE_STEP if forward else -LINE_STEP))
            elif forward:
                self.next_page()
            else:
                self.previous_page()
        else:
            return False
        return True
