"""Page thumbnails: a list model rendered lazily on the render worker, and its side panel.

``ThumbnailModel`` has one row per page. Nothing is rendered until the panel asks for the
rows it shows (``request(rows)``); those are rendered ``THUMB_CHUNK`` pages per job through
``PageView.submit_job`` at a small zoom, returned as plain bytes, turned into ``QImage``s on
the GUI thread and kept in a bounded cache. ``ThumbnailPanel`` is a ``QListView`` that asks
for its visible rows when scrolled or shown, goes to a page when one is clicked (or chosen
with the keyboard), and keeps the current page selected.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from typing import Any

import pymupdf
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from desktop.viewer.page_view import PageView

THUMB_WIDTH = 110  # logical pixels
THUMB_HEIGHT = 142  # room for a letter page at that width
THUMB_CHUNK = 6  # pages rendered per job
MAX_THUMBS = 600  # images kept (about 60 KB each)
_MUPDF: Any = pymupdf
_EDGE = QColor(0xB0, 0xB0, 0xB0)
Thumb = tuple[int, int, int, int, bytes]  # page, width, height, stride, RGB samples
_ModelIndex = QModelIndex | QPersistentModelIndex


def render_thumbnails(doc: Any, pages: list[int], width_px: int) -> list[Thumb]:
    """On the worker thread: ``pages`` rendered ``width_px`` wide (or fitting the box)."""
    out: list[Thumb] = []
    for number in pages:
        if not 0 <= number < doc.page_count:
            continue
        page = doc.load_page(number)
        rect = page.rect
        box_h = width_px * THUMB_HEIGHT / THUMB_WIDTH
        scale = min(width_px / max(1.0, rect.width), box_h / max(1.0, rect.height))
        pix = page.get_pixmap(matrix=_MUPDF.Matrix(scale, scale), alpha=False)
        out.append((number, pix.width, pix.height, pix.stride, bytes(pix.samples)))
    return out


class ThumbnailModel(QAbstractListModel):
    """One row per page of a ``PageView``'s document; see the module docstring."""

    def __init__(self, view: PageView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.dpr = 1.0
        self._rows = 0
        self._images: OrderedDict[int, QImage] = OrderedDict()
        self._jobs: set[int] = set()
        self._in_flight: set[int] = set()
        self._wanted: list[int] = []
        self._failed: set[int] = set()
        self._placeholder = QImage()
        view.opened.connect(self._on_opened)
        view.failed.connect(lambda _message: self.reset())
        view.job_done.connect(self._on_job_done)
        view.job_failed.connect(self._on_job_failed)

    # --- Qt model ------------------------------------------------------------------

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._rows:
            return None
        page = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return str(page + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            image = self._images.get(page)
            return image if image is not None else self._blank()
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Page {page + 1}"
        return None

    # --- requests ------------------------------------------------------------------

    def has_image(self, page: int) -> bool:
        return page in self._images

    def request(self, pages: list[int]) -> None:
        """Render ``pages`` (the rows on screen, most wanted first) if not yet cached."""
        self._wanted = [
            p
            for p in pages
            if 0 <= p < self._rows and p not in self._images and p not in self._failed
        ]
        self._submit()

    def reset(self) -> None:
        self.beginResetModel()
        self._rows = 0
        self._images.clear()
        self._jobs.clear()
        self._in_flight.clear()
        self._wanted = []
        self._failed.clear()
        self.endResetModel()

    def _submit(self) -> None:
        if self._jobs:  # one job at a time: the rows wanted may change before it ends
            return
        pages = [p for p in self._wanted if p not in self._in_flight][:THUMB_CHUNK]
        if not pages:
            return
        job = partial(render_thumbnails, pages=pages, width_px=round(THUMB_WIDTH * self.dpr))
        job_id = self.view.submit_job(job)
        if job_id >= 0:
            self._jobs.add(job_id)
            self._in_flight.update(pages)

    def _on_opened(self, pages: int) -> None:
        if pages == self._rows:  # the second announcement (measured sizes): same rows
            return
        self.reset()
        self.beginInsertRows(QModelIndex(), 0, pages - 1)
        self._rows = pages
        self.endInsertRows()

    def _on_job_done(self, job_id: int, result: object) -> None:
        if job_id not in self._jobs:
            return
        self._jobs.discard(job_id)
        assert isinstance(result, list)
        for page, width, height, stride, samples in result:
            self._in_flight.discard(page)
            rgb = QImage(samples, width, height, stride, QImage.Format.Format_RGB888)
            image = rgb.convertToFormat(QImage.Format.Format_RGB32)  # owns its pixels
            painter = QPainter(image)  # the page's edge, so white paper shows on white
            painter.setPen(_EDGE)
            painter.drawRect(0, 0, width - 1, height - 1)
            painter.end()
            image.setDevicePixelRatio(self.dpr)
            self._images[page] = image
            while len(self._images) > MAX_THUMBS:
                self._images.popitem(last=False)
            self._wanted = [p for p in self._wanted if p != page]
            index = self.index(page)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
        self._submit()

    def _on_job_failed(self, job_id: int, _message: str) -> None:
        if job_id not in self._jobs:
            return
        self._jobs.discard(job_id)
        self._failed.update(self._in_flight)  # shown as blank pages; never asked again
        self._wanted = [p for p in self._wanted if p not in self._in_flight]
        self._in_flight.clear()
        self._submit()

    def _blank(self) -> QImage:
        if self._placeholder.isNull():
            image = QImage(THUMB_WIDTH, THUMB_HEIGHT, QImage.Format.Format_RGB32)
            image.fill(QColor(0xF4, 0xF4, 0xF4))
            painter = QPainter(image)
            painter.setPen(QColor(0xC8, 0xC8, 0xC8))
            painter.drawRect(0, 0, THUMB_WIDTH - 1, THUMB_HEIGHT - 1)
            painter.end()
            self._placeholder = image
        return self._placeholder


class ThumbnailPanel(QListView):
    """The side panel of thumbnails of the current document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thumbnails")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setSpacing(6)
        self.setIconSize(QSize(THUMB_WIDTH, THUMB_HEIGHT))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMinimumWidth(THUMB_WIDTH + 48)
        self._pane_view: PageView | None = None
        self._following = False
        self._ask = QTimer(self)
        self._ask.setSingleShot(True)
        self._ask.setInterval(30)
        self._ask.timeout.connect(self.request_visible)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._ask.start())
        self.clicked.connect(self._go_to)

    def show_model(self, model: ThumbnailModel | None) -> None:
        """Show the thumbnails of another document (None: none)."""
        old = self.model()
        if isinstance(old, ThumbnailModel):
            old.view.page_changed.disconnect(self.follow_page)
            old.modelReset.disconnect(self._ask.start)
            old.rowsInserted.disconnect(self._ask.start)
        self._pane_view = None
        self.setModel(model)
        if model is None:
            return
        model.dpr = self.devicePixelRatioF()
        self._pane_view = model.view
        model.view.page_changed.connect(self.follow_page)
        model.modelReset.connect(self._ask.start)
        model.rowsInserted.connect(self._ask.start)
        self.selectionModel().currentChanged.connect(self._on_current_changed)
        self.follow_page(model.view.current_page())
        self._ask.start()

    def follow_page(self, page: int) -> None:
        """Select ``page`` (the page the reader is on) and keep it in sight."""
        model = self.model()
        if model is None or not 0 <= page < model.rowCount():
            return
        index = model.index(page, 0)
        self._following = True
        try:
            self.setCurrentIndex(index)
            self.scrollTo(index)
        finally:
            self._following = False

    def visible_rows(self) -> list[int]:
        model = self.model()
        if model is None or not model.rowCount() or not self.isVisible():
            return []
        area = self.viewport().rect()
        x = area.center().x()
        top = self.indexAt(QPoint(x, area.top() + 2))
        bottom = self.indexAt(QPoint(x, area.bottom() - 2))
        first = top.row() if top.isValid() else 0
        if not top.isValid():  # between two items: the one just below
            first = max(0, self.indexAt(QPoint(x, area.top() + 12)).row())
        last = bottom.row() if bottom.isValid() else min(model.rowCount() - 1, first + 8)
        return list(range(first, last + 1))

    def request_visible(self) -> None:
        model = self.model()
        if isinstance(model, ThumbnailModel):
            rows = self.visible_rows()
            if rows:  # and a few past the bottom, for the next scroll
                rows += [r for r in range(rows[-1] + 1, rows[-1] + 3) if r < model.rowCount()]
            model.request(rows)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._ask.start()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._ask.start()

    def _go_to(self, index: QModelIndex) -> None:
        if self._pane_view is not None and index.isValid():
            self._pane_view.go_to_page(index.row())
            self._pane_view.setFocus()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._following and current.isValid() and self._pane_view is not None:
            self._pane_view.go_to_page(current.row())
