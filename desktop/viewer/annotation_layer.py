"""The annotation layer over one ``PageView``: paints annotations, runs the active tool,
selects and copies text, and owns the undo stack.

Records live in an ``AnnotationIndex`` (by id and by page), so a paint looks only at the
visible pages' annotations. Every change is a ``QUndoCommand``; applying one updates the
index at once and saves the record on one writer thread, in order (the store is SQLite;
the GUI never waits for it). Only the author's own annotations can be edited; others'
shared ones are shown and listed, read-only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QThreadPool, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPicture,
    QTabletEvent,
    QTransform,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from common.enums import Visibility
from common.wire import Annotation
from desktop.annotation_store import (
    DEFAULT_COLORS,
    KIND_LABELS,
    NOTE_SIZE,
    SHAPES,
    TEXT_MARKUP,
    AnnotationIndex,
    AnnotationStore,
    bounds,
    geometry,
    moved,
    new_annotation,
    rect_of,
)
from desktop.tasks import run_task
from desktop.viewer.page_view import Interaction, PageView
from desktop.viewer.text_layer import TextLayer, TextSelection, select_between

PALETTE = (
    ("Yellow", "#ffd400"),
    ("Red", "#ff6666"),
    ("Green", "#5fb236"),
    ("Blue", "#2ea8e5"),
    ("Purple", "#a28ae5"),
    ("Black", "#000000"),
)
TOOLS = ("select", *TEXT_MARKUP, "note", "freetext", "ink", "rect", "ellipse", "redact")
IMAGE_CACHE_PAGES = 6  # annotation images kept (a few screens' worth of pages)
MIN_DRAG = 3.0  # points: a smaller drag is a click
FREETEXT_SIZE = (200.0, 40.0)
_SELECTION = QColor(0x33, 0x88, 0xFF, 90)
_SELECTED_PEN = QColor(0x33, 0x88, 0xFF)

# (title, label, current text) -> the text typed, or None when cancelled.
Prompt = Callable[[str, str, str], str | None]


def _dialog_prompt(parent: QWidget) -> Prompt:
    def ask(title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getMultiLineText(parent, title, label, text)
        return value if ok else None

    return ask


_writers: list[QThreadPool] = []


def _default_writer() -> QThreadPool:
    """One thread for every layer's saves, so they reach the store in the order they
    happen; it lives as long as the application (a layer may close with saves queued)."""
    if not _writers:
        pool = QThreadPool()
        pool.setMaxThreadCount(1)
        _writers.append(pool)
    return _writers[0]


class _Change(QUndoCommand):
    """Replace ``before`` with ``after`` (either may be None: an add or a delete).

    Undoing a delete brings the annotation back under a fresh id, since the server never
    revives a deleted record; the layer remembers old id -> new id, so the commands below
    it on the stack still find the annotation they changed."""

    def __init__(
        self, layer: AnnotationLayer, before: Annotation | None, after: Annotation | None
    ) -> None:
        shown = after or before
        assert shown is not None
        verb = "Add" if before is None else "Delete" if after is None else "Edit"
        super().__init__(f"{verb} {KIND_LABELS.get(shown.kind, shown.kind).lower()}")
        self.layer = layer
        self.before = before
        self.after = after

    def redo(self) -> None:
        self._show(self.before, self.after)

    def undo(self) -> None:
        if self.after is None:  # a delete undone
            assert self.before is not None
            self.layer._revive(self.before.id)
        self._show(self.after, self.before)

    def _show(self, old: Annotation | None, new: Annotation | None) -> None:
        layer = self.layer
        if new is None:
            assert old is not None
            layer._remove(layer.resolve(old.id))
        else:
            layer._put(new.model_copy(update={"id": layer.resolve(new.id)}))


class AnnotationLayer(QObject, Interaction):
    """Annotations over ``view`` for ``author_id``; see the module docstring."""

    changed = Signal()  # the set of annotations changed (the pane refreshes)
    selected = Signal(object)  # the selected annotation's id, or None
    tool_changed = Signal(str)
    loaded = Signal(int)  # how many annotations were loaded
    failed = Signal(str)  # a message for the status bar
    saved = Signal()  # a change reached the local store (a sync may follow)

    def __init__(
        self,
        view: PageView,
        store: AnnotationStore,
        author_id: str,
        *,
        author_names: dict[str, str] | None = None,
        source: Any = None,
        writer: QThreadPool | None = None,
        prompt: Prompt | None = None,
    ) -> None:
        QObject.__init__(self, view)
        self.view = view
        self.store = store
        self.author_id = author_id
        self.author_names = dict(author_names or {})
        self.source = source  # the PDF's path or bytes, for export
        self.index = AnnotationIndex()
        self.undo_stack = QUndoStack(self)
        self.text = TextLayer(view, self)
        self.tool = "select"
        self.visibility = Visibility.PRIVATE
        self.panel_choice = False  # a Board member may share with the panel (Visibility.PANEL)
        self.colors = dict(DEFAULT_COLORS)
        self.prompt: Prompt = prompt or _dialog_prompt(view)
        self.selection: TextSelection | None = None
        self.selected_id: str | None = None
        self.writer = writer or _default_writer()
        self._drag: str | None = None  # "text" | "move" | "shape" | "ink"
        self._page = -1
        self._start = QPointF()
        self._point = QPointF()
        self._ink: list[QPointF] = []
        self._pending_saves = 0
        self._aliases: dict[str, str] = {}
        self._pictures: dict[int, QPicture] = {}  # page -> its annotations, recorded
        # page -> (zoom, rotation and size it was drawn for, its annotations rasterised)
        self._images: dict[int, tuple[tuple[float, ...], QImage]] = {}
        self.is_loaded = False
        self.text.words_ready.connect(self._on_words)
        view.interaction = self
        view.add_overlay(self.paint_page)

    # --- records ---------------------------------------------------------------------

    def load(self) -> None:
        """Read this document's annotations off the GUI thread, then show them."""
        run_task(self.store.load, self.set_records, self._on_error, pool=self.writer)

    def reload(self) -> None:
        """Read the records again after a sync brought others' changes; the undo history
        stays (it only holds this author's own changes, which the store already has: its
        writes are queued on the same thread, before this read)."""
        run_task(self.store.load, self._merge, self._on_error, pool=self.writer)

    def _merge(self, records: list[Annotation]) -> None:
        if self._drag is not None:  # mid-stroke: try again once the pointer is released
            self.reload()
            return
        self.index.replace_all(records)
        self._forget(None)
        if self.selected_id is not None and self.selected_id not in self.index.by_id:
            self.select(None)
        self.changed.emit()
        self.view.viewport().update()

    def set_records(self, records: list[Annotation]) -> None:
        self.index.replace_all(records)
        self._forget(None)
        self.is_loaded = True
        self.undo_stack.clear()
        self._aliases.clear()
        self.changed.emit()
        self.loaded.emit(len(records))
        self.view.viewport().update()

    def records(self) -> list[Annotation]:
        return list(self.index.by_id.values())

    def get(self, record_id: str) -> Annotation | None:
        return self.index.by_id.get(record_id)

    def can_edit(self, record: Annotation) -> bool:
        return record.author_id == self.author_id

    def author_name(self, author_id: str) -> str:
        if author_id == self.author_id:
            return self.author_names.get(author_id, "Me")
        return self.author_names.get(author_id, author_id[:8])

    def idle(self) -> bool:
        """Whether every change has been written to the store."""
        return self._pending_saves == 0

    def add(self, record: Annotation) -> None:
        self.undo_stack.push(_Change(self, None, record))

    def add_many(self, records: list[Annotation], text: str) -> None:
        """Add ``records`` as one undo step (an import)."""
        if not records:
            return
        self.undo_stack.beginMacro(text)
        for record in records:
            self.add(record)
        self.undo_stack.endMacro()

    def detach(self) -> None:
        """Stop painting and handling the pointer on the view (its document changed)."""
        self.view.remove_overlay(self.paint_page)
        if self.view.interaction is self:
            self.view.interaction = Interaction()
        self.text.clear()
        self.deleteLater()

    def edit(self, before: Annotation, after: Annotation) -> None:
        if before != after and self.can_edit(before):
            self.undo_stack.push(_Change(self, before, after))

    def delete(self, record_id: str) -> None:
        record = self.index.by_id.get(record_id)
        if record is not None and self.can_edit(record):
            self.undo_stack.push(_Change(self, record, None))

    def resolve(self, record_id: str) -> str:
        """The id an annotation has now (a deleted one brought back gets a new id)."""
        while record_id in self._aliases:
            record_id = self._aliases[record_id]
        return record_id

    def _revive(self, record_id: str) -> None:
        self._aliases[self.resolve(record_id)] = str(uuid.uuid4())

    def _put(self, record: Annotation) -> None:
        old = self.index.by_id.get(record.id)
        if old is not None:
            self._forget(old.page)
        self._forget(record.page)
        self.index.put(record)
        self._save(lambda: self.store.put(record))
        self._refresh(record.id)

    def _remove(self, record_id: str) -> None:
        old = self.index.remove(record_id)
        if old is not None:
            self._forget(old.page)
        if self.selected_id == record_id:
            self.select(None)
        self._save(lambda: self.store.remove(record_id))
        self._refresh(None)

    def _forget(self, page: int | None) -> None:
        """Drop what was drawn of ``page``'s annotations (of every page with None)."""
        if page is None:
            self._pictures.clear()
            self._images.clear()
        else:
            self._pictures.pop(page, None)
            self._images.pop(page, None)

    def _save(self, op: Callable[[], None]) -> None:
        self._pending_saves += 1
        run_task(op, self._on_saved, self._on_error, pool=self.writer)

    def _on_saved(self, _result: object) -> None:
        self._pending_saves -= 1
        self.saved.emit()

    def _on_error(self, err: Exception) -> None:
        self._pending_saves = max(0, self._pending_saves - 1)
        self.failed.emit(f"The annotation could not be saved on this computer: {err}")

    def _refresh(self, record_id: str | None) -> None:
        self.changed.emit()
        if record_id is not None and record_id == self.selected_id:
            self.selected.emit(record_id)
        self.view.viewport().update()

    # --- commands on the selection -----------------------------------------------------

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(f"unknown tool {tool!r}")
        self.tool = tool
        self._drag = None
        self.view.viewport().setCursor(
            Qt.CursorShape.IBeamCursor if tool != "select" else Qt.CursorShape.ArrowCursor
        )
        self.tool_changed.emit(tool)

    def select(self, record_id: str | None) -> None:
        self.selected_id = record_id
        if record_id is not None:
            self.selection = None
        self.selected.emit(record_id)
        self.view.viewport().update()

    def selected_record(self) -> Annotation | None:
        return None if self.selected_id is None else self.index.by_id.get(self.selected_id)

    def delete_selected(self) -> None:
        if self.selected_id is not None:
            self.delete(self.selected_id)

    def set_color(self, color: str) -> None:
        """The colour of the selected annotation, or of the active tool's next ones."""
        record = self.selected_record()
        if record is not None and self.can_edit(record):
            self.edit(record, record.model_copy(update={"color": color}))
        elif self.tool != "select":
            self.colors[self.tool] = color

    def set_visibility(self, visibility: Visibility) -> None:
        """Private to me, shared with the court or (a Board member) with the panel: the
        selected annotation's, or the default for new ones."""
        record = self.selected_record()
        if record is not None and self.can_edit(record):
            self.edit(record, record.model_copy(update={"visibility": visibility}))
        else:
            self.visibility = visibility

    def edit_comment(self, record_id: str | None = None) -> None:
        record = self.index.by_id.get(record_id or self.selected_id or "")
        if record is None or not self.can_edit(record):
            return
        field = "text" if record.kind == "freetext" else "comment"
        label = "Text on the page:" if field == "text" else "Comment:"
        value = self.prompt(KIND_LABELS[record.kind], label, getattr(record, field))
        if value is not None:
            self.edit(record, record.model_copy(update={field: value}))

    def copy_selection(self) -> str:
        """Copy the selected text (or the selected annotation's quoted text)."""
        text = self.selection.text if self.selection is not None else ""
        record = self.selected_record()
        if not text and record is not None:
            text = record.text or record.comment
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def jump_to(self, record_id: str) -> None:
        """Turn to the annotation's page, bring it into view and select it."""
        record = self.index.by_id.get(record_id)
        if record is None:
            return
        self.view.go_to_page(record.page)
        x0, y0, x1, y1 = rect_of(record)
        self.view.reveal(record.page, QRectF(x0, y0, x1 - x0, y1 - y0))
        self.select(record_id)

    # --- pointer ---------------------------------------------------------------------

    def _page_point(self, page: int, position: QPointF) -> QPointF | None:
        transform = self.view.page_transform(page)
        if transform is None:
            return None
        inverse, ok = transform.inverted()
        return inverse.map(position) if ok else None

    def press(self, event: QMouseEvent) -> bool:
        if event.button() == Qt.MouseButton.RightButton:
            return self._context_menu(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        self.view.setFocus()
        return self._begin(event.position())

    def move(self, event: QMouseEvent) -> bool:
        return self._continue(event.position())

    def release(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        return self._finish(event.position())

    def _context_menu(self, event: QMouseEvent) -> bool:
        hit = self.view.page_at(event.position())
        record = None if hit is None else self.index.at(hit[0], hit[1].x(), hit[1].y())
        if record is None:
            return False
        self.select(record.id)
        menu = self.context_menu(record)
        menu.popup(self.view.viewport().mapToGlobal(event.position().toPoint()))
        return True

    def context_menu(self, record: Annotation) -> QMenu:
        """What can be done to ``record`` (right-click on it): comment, colour, share,
        copy its text, delete. Someone else's annotation offers copying only."""
        menu = QMenu(self.view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editable = self.can_edit(record)
        what = "text" if record.kind == "freetext" else "comment"
        menu.addAction(f"Edit {what}…", lambda: self.edit_comment(record.id)).setEnabled(editable)
        colours = menu.addMenu("Colour")
        colours.setEnabled(editable)
        for name, value in PALETTE:
            colours.addAction(name, partial(self.set_color, value))
        shared = menu.addAction("Shared with the court")
        shared.setCheckable(True)
        shared.setChecked(record.visibility is Visibility.SHARED)
        shared.setEnabled(editable)
        shared.toggled.connect(
            lambda on: self.set_visibility(Visibility.SHARED if on else Visibility.PRIVATE)
        )
        if self.panel_choice:
            panel = menu.addAction("Shared with the panel")
            panel.setCheckable(True)
            panel.setChecked(record.visibility is Visibility.PANEL)
            panel.setEnabled(editable)
            panel.toggled.connect(
                lambda on: self.set_visibility(Visibility.PANEL if on else Visibility.PRIVATE)
            )
        menu.addAction("Copy text", self.copy_selection)
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.delete(record.id)).setEnabled(editable)
        return menu

    def double_click(self, event: QMouseEvent) -> bool:
        hit = self.view.page_at(event.position())
        if hit is None:
            return False
        record = self.index.at(hit[0], hit[1].x(), hit[1].y())
        if record is None:
            return False
        self.select(record.id)
        self.edit_comment(record.id)
        return True

    def tablet(self, event: QTabletEvent) -> bool:
        """A pen draws ink directly (smoother than the mouse events Qt makes from it);
        with any other tool the pen acts as a mouse."""
        if self.tool != "ink":
            return False
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            return self._begin(event.position())
        if kind == QEvent.Type.TabletMove:
            return self._continue(event.position())
        if kind == QEvent.Type.TabletRelease:
            return self._finish(event.position())
        return False

    def _begin(self, position: QPointF) -> bool:
        hit = self.view.page_at(position)
        if hit is None:
            self.selection = None
            self.select(None)
            return False
        page, point = hit
        self._page, self._start, self._point = page, point, point
        tool = self.tool
        if tool == "select":
            record = self.index.at(page, point.x(), point.y())
            if record is not None:
                self.select(record.id)
                self._drag = "move" if self.can_edit(record) else None
                return True
            self.select(None)
            self._drag = "text"
            self.selection = None
            self.text.words(page)
        elif tool in TEXT_MARKUP:
            self._drag = "text"
            self.selection = None
            self.text.words(page)
        elif tool == "note":
            self._drag = None
            self._add_note(page, point)
        elif tool == "ink":
            self._drag = "ink"
            self._ink = [point]
        else:
            self._drag = "shape"
        self.view.viewport().update()
        return True

    def _continue(self, position: QPointF) -> bool:
        if self._drag is None:
            return False
        point = self._page_point(self._page, position)
        if point is None:
            return True
        self._point = point
        if self._drag == "ink":
            self._ink.append(point)
        elif self._drag == "text":
            self._update_text_selection()
        self.view.viewport().update()
        return True

    def _finish(self, position: QPointF) -> bool:
        drag, self._drag = self._drag, None
        if drag is None:
            return self.tool != "select"
        point = self._page_point(self._page, position) or self._point
        self._point = point
        page, start = self._page, self._start
        if drag == "text":
            self._update_text_selection()
            if self.tool in TEXT_MARKUP and self.selection is not None:
                self._add_markup(self.tool, self.selection)
                self.selection = None
        elif drag == "move":
            record = self.selected_record()
            dx, dy = point.x() - start.x(), point.y() - start.y()
            if record is not None and (abs(dx) >= 1 or abs(dy) >= 1):
                self.edit(record, moved(record, dx, dy))
        elif drag == "ink":
            self._ink.append(point)
            if len(self._ink) >= 2:
                self._add_ink(page, self._ink)
            self._ink = []
        elif drag == "shape":
            self._add_shape(self.tool, page, start, point)
        self.view.viewport().update()
        return True

    def _update_text_selection(self) -> None:
        words = self.text.words(self._page)
        if not words:
            self.selection = None
            return
        start = (self._start.x(), self._start.y())
        end = (self._point.x(), self._point.y())
        self.selection = select_between(self._page, words, start, end)

    def _on_words(self, page: int) -> None:
        if self._drag == "text" and page == self._page:
            self._update_text_selection()
            self.view.viewport().update()

    # --- making annotations --------------------------------------------------------------

    def _new(self, kind: str, page: int, geom: dict[str, Any], **fields: Any) -> Annotation:
        return new_annotation(
            kind=kind,
            page=page,
            geom=geom,
            document_id=self.store.document_id,
            sha256=self.store.sha256,
            author_id=self.author_id,
            color=self.colors[kind],
            visibility=self.visibility,
            **fields,
        )

    def _add_markup(self, kind: str, selection: TextSelection) -> None:
        quads = selection.quads
        rect = bounds([(q[0], q[1]) for q in quads] + [(q[2], q[3]) for q in quads])
        geom = geometry(rect, quads=quads)
        record = self._new(kind, selection.page, geom, text=selection.text)
        self.add(record)

    def _add_note(self, page: int, point: QPointF) -> None:
        comment = self.prompt("Note", "Note:", "")
        if comment is None:
            return
        x, y = point.x(), point.y()
        record = self._new("note", page, geometry((x, y, x + NOTE_SIZE, y + NOTE_SIZE)))
        self.add(record.model_copy(update={"comment": comment}))
        self.select(record.id)

    def _add_ink(self, page: int, points: list[QPointF]) -> None:
        path = [(p.x(), p.y()) for p in points]
        self.add(self._new("ink", page, geometry(bounds(path, 1.0), paths=[path])))

    def _add_shape(self, kind: str, page: int, start: QPointF, end: QPointF) -> None:
        rect = (start.x(), start.y(), end.x(), end.y())
        small = abs(end.x() - start.x()) < MIN_DRAG or abs(end.y() - start.y()) < MIN_DRAG
        if kind == "freetext":
            if small:
                rect = (start.x(), start.y(), start.x() + FREETEXT_SIZE[0], start.y() + 40)
            text = self.prompt("Free text", "Text on the page:", "")
            if not text:
                return
            self.add(self._new(kind, page, geometry(rect), text=text))
            return
        if small or kind not in SHAPES:
            return
        record = self._new(kind, page, geometry(rect))
        if kind == "redact":
            record = record.model_copy(update={"text": self._text_in(page, record)})
        self.add(record)

    def _text_in(self, page: int, record: Annotation) -> str:
        """The words a redaction covers (known only if the page's words were read)."""
        words = self.text.words(page) or []
        x0, y0, x1, y1 = rect_of(record)
        inside = [
            w.text for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and y0 <= (w.y0 + w.y1) / 2 <= y1
        ]
        return " ".join(inside)

    # --- painting --------------------------------------------------------------------------

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


def paint_annotation(painter: QPainter, record: Annotation) -> None:
    """Draw one annotation; the painter is in the page's points."""
    color = QColor(record.color)
    if not color.isValid():
        color = QColor(DEFAULT_COLORS.get(record.kind, "#ffd400"))
    x0, y0, x1, y1 = rect_of(record)
    rect = QRectF(x0, y0, x1 - x0, y1 - y0)
    kind = record.kind
    geom = record.geometry
    if kind in TEXT_MARKUP:
        quads = geom.get("quads") or [[x0, y0, x1, y1]]
        if kind == "highlight":
            fill = QColor(color)
            fill.setAlpha(100)
            for q in quads:
                painter.fillRect(QRectF(q[0], q[1], q[2] - q[0], q[3] - q[1]), fill)
            return
        painter.setPen(QPen(color, 1.2))
        for q in quads:
            y = q[3] - 1 if kind == "underline" else (q[1] + q[3]) / 2
            painter.drawLine(QPointF(q[0], y), QPointF(q[2], y))
        return
    if kind == "note":
        painter.setPen(QPen(color.darker(150), 1))
        painter.setBrush(QBrush(color))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(QPen(color.darker(250), 1))
        for step in (0.35, 0.55, 0.75):
            y = y0 + (y1 - y0) * step
            painter.drawLine(QPointF(x0 + 4, y), QPointF(x1 - 4, y))
        return
    if kind == "freetext":
        painter.setPen(QPen(color))
        font = QFont("Sans")
        font.setPixelSize(10)  # 10 points of the page, at any zoom and screen
        painter.setFont(font)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
            Qt.TextFlag.TextWordWrap
        )
        painter.drawText(rect, flags, record.text)
        return
    if kind == "ink":
        painter.setPen(
            QPen(
                color, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
            )
        )
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for points in geom.get("paths", []):
            path = QPainterPath()
            path.moveTo(QPointF(*points[0]))
            for point in points[1:]:
                path.lineTo(QPointF(*point))
            painter.drawPath(path)
        return
    if kind == "redact":
        painter.setPen(QPen(QColor("#cc0000"), 1.5))
        painter.setBrush(QBrush(QColor(0, 0, 0, 70), Qt.BrushStyle.BDiagPattern))
        painter.drawRect(rect)
        return
    painter.setPen(QPen(color, 1.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if kind == "ellipse":
        painter.drawEllipse(rect)
    else:
        painter.drawRect(rect)
