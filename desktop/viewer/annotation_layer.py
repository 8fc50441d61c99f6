"""The annotation layer over one ``PageView``: paints annotations, runs the active tool,
selects and copies text, and owns the undo stack.

``AnnotationLayer`` is built from three sections, one module each:

- ``annotation_layer_records``: the records (an ``AnnotationIndex`` by id and by page, so
  a paint looks only at the visible pages' annotations) and the undo stack. Every change
  is a ``QUndoCommand``; applying one updates the index at once and saves the record on
  one writer thread, in order (the store is SQLite; the GUI never waits for it). Only the
  author's own annotations can be edited; others' shared ones are shown and listed,
  read-only.
- ``annotation_layer_tools``: the pointer, the tools, the selection and its commands,
  making annotations.
- ``annotation_layer_painting``: drawing the page's annotations (each kind as its row of
  ``annotation_kinds`` says), the selection and what is being drawn.

This module holds the layer's signals and its state, set up once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QPointF, QThreadPool, Signal
from PySide6.QtGui import QImage, QPicture, QUndoStack

from common.annotations import DEFAULT_COLORS
from common.enums import Visibility
from desktop.annotation_store import AnnotationIndex, AnnotationStore
from desktop.viewer.annotation_kinds import paint_annotation
from desktop.viewer.annotation_layer_painting import IMAGE_CACHE_PAGES, LayerPainting
from desktop.viewer.annotation_layer_records import default_writer
from desktop.viewer.annotation_layer_tools import (
    FREETEXT_SIZE,
    MIN_DRAG,
    PALETTE,
    TOOLS,
    Prompt,
    dialog_prompt,
)
from desktop.viewer.page_view import Interaction, PageView
from desktop.viewer.text_layer import TextLayer, TextSelection

__all__ = [
    "FREETEXT_SIZE",
    "IMAGE_CACHE_PAGES",
    "MIN_DRAG",
    "PALETTE",
    "TOOLS",
    "AnnotationLayer",
    "Prompt",
    "paint_annotation",
]


class AnnotationLayer(LayerPainting, QObject, Interaction):
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
        self.prompt = prompt or dialog_prompt(view)
        self.selection: TextSelection | None = None
        self.selected_id: str | None = None
        self.writer = writer or default_writer()
        self._drag: str | None = None  # "text" | "move" | "shape" | "ink"
        self._page = -1
        self._start = QPointF()
        self._point = QPointF()
        self._ink: list[QPointF] = []
        self._pending_saves = 0
        self._aliases: dict[str, str] = {}
        self._pictures: dict[int, QPicture] = {}
        self._images: dict[int, tuple[tuple[float, ...], QImage]] = {}
        self.is_loaded = False
        self.text.words_ready.connect(self._on_words)
        view.interaction = self
        view.add_overlay(self.paint_page)

    def detach(self) -> None:
        """Stop painting and handling the pointer on the view (its document changed)."""
        self.view.remove_overlay(self.paint_page)
        if self.view.interaction is self:
            self.view.interaction = Interaction()
        self.text.clear()
        self.deleteLater()
