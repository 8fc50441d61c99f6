"""The tools section of the annotation layer (``AnnotationLayer``): the pointer (mouse,
pen), the active tool, the selection and the commands on it, and making annotations.

Tools: select (move one's own annotations, select text), highlight, underline and
strike-out over the words dragged across, note (a click), free text, ink, rectangle,
ellipse and redaction (drags). A right-click on an annotation opens its menu; a
double-click edits its comment.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QMouseEvent, QTabletEvent
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from common.annotations import KIND_LABELS, SHAPES, TEXT_MARKUP
from common.enums import Visibility
from common.wire import Annotation
from desktop.annotation_store import NOTE_SIZE, bounds, geometry, moved, new_annotation, rect_of
from desktop.viewer.annotation_layer_records import LayerRecords
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
MIN_DRAG = 3.0  # points: a smaller drag is a click
FREETEXT_SIZE = (200.0, 40.0)

# (title, label, current text) -> the text typed, or None when cancelled.
Prompt = Callable[[str, str, str], str | None]


def dialog_prompt(parent: QWidget) -> Prompt:
    def ask(title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getMultiLineText(parent, title, label, text)
        return value if ok else None

    return ask


class LayerTools(LayerRecords):
    """The pointer and the tools (see the module docstring)."""

    text: TextLayer
    tool: str
    visibility: Visibility
    panel_choice: bool
    colors: dict[str, str]
    prompt: Prompt
    selection: TextSelection | None
    tool_changed: Any  # the layer's signal
    _page: int
    _start: QPointF
    _point: QPointF
    _ink: list[QPointF]

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
