"""The document's outline (bookmarks): read once on the render worker, shown as a tree.

``OutlineModel`` reads ``doc.get_toc(simple=False)`` in one job when the document opens and
keeps plain values: title, page (0-based, -1 when the entry points nowhere in the document)
and the target's height on the page when the bookmark gives one. ``OutlinePanel`` shows the
tree, or says plainly that the document has no bookmarks (or why they could not be read);
activating an entry goes to its page, at its place on the page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QStackedWidget, QTreeView, QWidget

from desktop.viewer.page_view import PageView

PAGE_ROLE = Qt.ItemDataRole.UserRole + 1
TOP_ROLE = Qt.ItemDataRole.UserRole + 2
Entry = tuple[int, str, int, float | None]  # level, title, page or -1, y on the page

NO_DOCUMENT = "No document open."
READING = "Reading the bookmarks…"
NO_BOOKMARKS = "This document has no bookmarks."


def read_outline(doc: Any) -> list[Entry]:
    """On the worker thread: the outline as plain tuples, targets in page points as shown."""
    entries: list[Entry] = []
    for item in doc.get_toc(simple=False):
        level, title, number = int(item[0]), str(item[1]), int(item[2])
        dest = item[3] if len(item) > 3 and isinstance(item[3], dict) else {}
        page = number - 1 if 1 <= number <= doc.page_count else -1
        top: float | None = None
        point = dest.get("to")
        if page >= 0 and point is not None and dest.get("kind") == 1:  # LINK_GOTO
            target = doc.load_page(page)
            mapped = point * target.rotation_matrix if target.rotation else point
            top = float(mapped.y) if 0 <= mapped.y <= target.rect.height else None
        entries.append((level, " ".join(title.split()) or "(untitled)", page, top))
    return entries


class OutlineModel(QStandardItemModel):
    """The outline of a ``PageView``'s document; ``status`` says what the panel shows."""

    status_changed = Signal()

    def __init__(self, view: PageView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.status = NO_DOCUMENT  # "" once there is a tree to show
        self._job = -1
        view.opened.connect(self._on_opened)
        view.failed.connect(lambda _message: self.reset())
        view.job_done.connect(self._on_job_done)
        view.job_failed.connect(self._on_job_failed)

    def reset(self) -> None:
        self.clear()
        self._job = -1
        self._set_status(NO_DOCUMENT)

    def _on_opened(self, _pages: int) -> None:
        if self.status != NO_DOCUMENT:  # the second announcement (measured page sizes)
            return
        self._set_status(READING)
        self._job = self.view.submit_job(read_outline)

    def _on_job_done(self, job_id: int, result: object) -> None:
        if job_id != self._job:
            return
        self._job = -1
        assert isinstance(result, list)
        self.clear()
        parents: list[QStandardItem] = [self.invisibleRootItem()]
        for level, title, page, top in result:
            item = QStandardItem(title)
            item.setEditable(False)
            item.setData(page, PAGE_ROLE)
            item.setData(top, TOP_ROLE)
            item.setToolTip(f"{title} (page {page + 1})" if page >= 0 else title)
            depth = max(1, min(level, len(parents)))  # a skipped level hangs on the last
            del parents[depth:]
            parents[-1].appendRow(item)
            parents.append(item)
        self._set_status("" if result else NO_BOOKMARKS)

    def _on_job_failed(self, job_id: int, message: str) -> None:
        if job_id == self._job:
            self._job = -1
            self._set_status(f"The bookmarks could not be read: {message}")

    def _set_status(self, status: str) -> None:
        self.status = status
        self.status_changed.emit()


class OutlinePanel(QStackedWidget):
    """The outline tree of the current document, or a line saying why there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outline")
        self.tree = QTreeView(self)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setExpandsOnDoubleClick(False)
        self.message = QLabel(NO_DOCUMENT, self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.addWidget(self.tree)
        self.addWidget(self.message)
        self.setCurrentWidget(self.message)
        self._model: OutlineModel | None = None
        self.tree.clicked.connect(self.go_to)
        self.tree.activated.connect(self.go_to)

    def show_model(self, model: OutlineModel | None) -> None:
        if self._model is not None:
            self._model.status_changed.disconnect(self._refresh)
        self._model = model
        self.tree.setModel(model)
        if model is not None:
            model.status_changed.connect(self._refresh)
        self._refresh()

    def go_to(self, index: QModelIndex) -> None:
        """Go to the page (and place) of the bookmark at ``index``."""
        if self._model is None or not index.isValid():
            return
        page = index.data(PAGE_ROLE)
        top = index.data(TOP_ROLE)
        view = self._model.view
        if not isinstance(page, int) or page < 0:
            return
        if isinstance(top, float):
            view.reveal(page, QRectF(0.0, top, 1.0, 1.0), at_top=True)
        else:
            view.go_to_page(page)

    def _refresh(self) -> None:
        model = self._model
        status = NO_DOCUMENT if model is None else model.status
        if status:
            self.message.setText(status)
            self.setCurrentWidget(self.message)
        else:
            self.setCurrentWidget(self.tree)
            self.tree.expandToDepth(0)
